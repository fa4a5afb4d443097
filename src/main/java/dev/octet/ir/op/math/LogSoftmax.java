package dev.octet.ir.op.math;

/** ONNX LogSoftmax: x - log Σ e^x along an axis (see {@link SoftmaxFamily} for the opset 13 change). */
final class LogSoftmax extends SoftmaxFamily {
    LogSoftmax() {
        super("LogSoftmax", true);
    }
}
