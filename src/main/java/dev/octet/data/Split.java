package dev.octet.data;

/**
 * The two disjoint parts of a rendered dataset: images to calibrate a quantizer on, and images to evaluate it on.
 * Sample {@code i} of a split is drawn from its own random stream, seeded from (dataset seed, split, i); the two
 * splits use disjoint seed ranges, so no evaluation image is ever a calibration image.
 */
public enum Split {
    CALIBRATION(0L),
    EVALUATION(1L << 62);

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
