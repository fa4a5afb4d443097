package dev.octet.quant;

import dev.octet.ir.Graph;

/**
 * The quantizer's result: the QDQ graph (standard ONNX, opset 13 or above; see {@link Quantizer}) and what was done
 * to each layer.
 */
public record QuantizedModel(Graph qdq, QuantizationSummary summary) {
}
