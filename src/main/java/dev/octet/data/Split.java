package dev.octet.data;

/**
 * The disjoint parts of a rendered dataset: images to calibrate a quantizer on, images to evaluate it on, and
 * images the automatic float fallback measures its end-task budget on (so that neither calibration nor the
 * evaluation decides which layers go back to float). Sample {@code i} of a split is drawn from its own random
 * stream, seeded from (dataset seed, split, i); the splits use disjoint seed ranges (the top two bits), so no
 * image of one split is ever an image of another.
 */
public enum Split {
    CALIBRATION(0L),
    EVALUATION(1L << 62),
    FALLBACK(1L << 63);

    private final long base;

    Split(long base) {
        this.base = base;
    }

    /** The seed of sample {@code index} of this split of the dataset with {@code seed}. */
    public long sampleSeed(long seed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("sample index " + index);
        }
        // The index lives in the low 62 bits (never reaching the other split's range), the dataset seed is mixed
        // in by a bijective hash so that neighbouring seeds give unrelated samples.
        return mix(seed) ^ (base | index);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
