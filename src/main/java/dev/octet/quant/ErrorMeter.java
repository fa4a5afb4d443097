package dev.octet.quant;

/**
 * Accumulates the sums behind a {@link TensorError} over several images, in double, so that the result is the
 * error of all elements pooled (an image with a large signal weighs more), not an average of per-image ratios.
 */
final class ErrorMeter {
    private final String tensor;
    private long count;
    private double signal;
    private double noise;
    private double dot;
    private double quantizedEnergy;
    private double maxAbsError;

    public ErrorMeter(String tensor) {
        this.tensor = tensor;
    }

    /**
     * Adds one image's values.
     *
     * @throws IllegalArgumentException where the lengths differ
     */
    public void add(float[] fp32, float[] int8) {
        if (fp32.length != int8.length) {
            throw new IllegalArgumentException("tensor '" + tensor + "': " + fp32.length + " fp32 values but "
                    + int8.length + " int8 values");
        }
        for (int i = 0; i < fp32.length; i++) {
            double x = fp32[i];
            double q = int8[i];
            double e = x - q;
            signal += x * x;
            noise += e * e;
            dot += x * q;
            quantizedEnergy += q * q;
            maxAbsError = Math.max(maxAbsError, Math.abs(e));
        }
        count += fp32.length;
    }

    public TensorError result() {
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        double cosine;
        if (signal == 0 && quantizedEnergy == 0) {
            cosine = 1;
        } else if (signal == 0 || quantizedEnergy == 0) {
            cosine = 0;
        } else {
            cosine = dot / Math.sqrt(signal * quantizedEnergy);
        }
        return new TensorError(tensor, count, sqnr, cosine, maxAbsError);
    }
}
