package dev.octet.quant;

/**
 * How far a tensor's int8 value (dequantized) is from its fp32 value, over every element of every image measured.
 *
 * @param tensor the quantized tensor's name in the fp32 graph
 * @param count elements compared
 * @param sqnrDb signal-to-quantization-noise ratio 10·log10(Σ x² / Σ (x − x̂)²) in dB, x the fp32 value and x̂ the
 *     int8 one: +∞ where they are equal, 20 dB ≈ noise a tenth of the signal's amplitude
 * @param cosine Σ x·x̂ / (‖x‖·‖x̂‖): 1 where both are zero, 0 where only one is
 * @param maxAbsError the largest |x − x̂|
 */
public record TensorError(String tensor, long count, double sqnrDb, double cosine, double maxAbsError) {

    /** The error of one pair of equally long arrays (fp32 first). */
    public static TensorError of(String tensor, float[] fp32, float[] int8) {
        ErrorMeter m = new ErrorMeter(tensor);
        m.add(fp32, int8);
        return m.result();
    }
}
