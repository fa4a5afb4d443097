package dev.octet.tune;

/**
 * How a record's times were taken. The harness flushes the candidate's buffers from every cache before each call
 * by default ({@link Measurer.Settings#flushCaches}); {@code octet tune --warm-caches} times calls on hot caches, the
 * way of the harness before it (commit 1061284). The two are not comparable: hot caches flatter a byte-heavy kernel by up
 * to 1.4x, so a warm time may never be ranked against a flushed one.
 *
 * <p>A log line without a "timing" field was written before the field existed and is read as {@link #WARM}: every
 * committed log of that time (src/test/resources/tune/resnet50-grid.jsonl.gz, recorded before the flushing harness
 * landed) is warm, and it is the safe way to be wrong: a flushed record mislabelled warm only loses to the flushed
 * records of a later session (flushed is preferred), where a warm one mislabelled flushed would beat honest flushed
 * times with a flattering one.
 */
public enum Timing {
    FLUSHED("flushed"),
    WARM("warm"),
    /**
     * Confirmations only: the kernel's steps timed inside whole-model runs, tuned build against untuned
     * ({@link ModelConfirmation}). Such a confirmation speaks for the configuration however its record was timed.
     */
    MODEL("model");

    private final String key;

    Timing(String key) {
        this.key = key;
    }

    /** As a log spells it. */
    public String key() {
        return key;
    }

    /** The mode of a harness that does or does not flush the caches. */
    public static Timing of(boolean flushCaches) {
        return flushCaches ? FLUSHED : WARM;
    }

    /** A log's "timing" value; null (a line from before the field) is {@link #WARM}. */
    static Timing parse(String key) {
        if (key == null) {
            return WARM;
        }
        for (Timing t : values()) {
            if (t.key.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown timing \"" + key + "\" (flushed, warm or model)");
    }

    /** A phrase for messages. */
    public String describe() {
        return switch (this) {
            case FLUSHED -> "buffers flushed from the caches before each call";
            case WARM -> "caches warm";
            case MODEL -> "in the whole model";
        };
    }
}
