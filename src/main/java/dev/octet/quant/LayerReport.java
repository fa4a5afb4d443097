package dev.octet.quant;

import dev.octet.quant.LayerSummary.TensorParams;

/**
 * One layer of a {@link QuantizationReport}: what the quantizer did ({@link LayerSummary}) next to what calibration
 * saw of its output and how far its int8 output is from fp32.
 *
 * @param summary the quantizer's decision: int8 or float and why, weight bits and scales, the parameters of its
 *     quantized inputs and output
 * @param observedMin the smallest value of its output seen in calibration, or null (no quantized output, or no
 *     statistics)
 * @param observedMax the largest, or null
 * @param clippedFraction the fraction of calibration values of its output outside the chosen range, or null
 * @param error its quantized output's error against fp32 (accumulated through every layer before it), or null
 *     where it has no quantized output or it was not measured
 */
public record LayerReport(LayerSummary summary, Float observedMin, Float observedMax, Double clippedFraction,
        TensorError error) {

    /** The quantized output's parameters, or null. */
    public TensorParams output() {
        return summary.output();
    }

    /** The output's SQNR in dB, or NaN where not measured (for sorting: NaN sorts last). */
    public double sqnrOrNaN() {
        return error == null ? Double.NaN : error.sqnrDb();
    }
}
