package dev.octet.ir.op.math;

/** ONNX Softmax: e^x / Σ e^x along an axis (see {@link SoftmaxFamily} for the opset 13 change). */
final class Softmax extends SoftmaxFamily {
    Softmax() {
        super("Softmax", false);
    }
}
