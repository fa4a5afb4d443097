package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/**
 * Per-tensor QuantizeLinear of fp32 values with a constant scale and zero point, into bytes: element by element
 * {@link QuantMath#quantize} (x / scale in fp32, a division, as ONNX defines it), so exactly the reference.
 */
public final class QuantizeStep extends PerTensorQuantStep {
    public QuantizeStep(String input, String output, float scale, long zeroPoint, DataType type, Step reference) {
        super(input, output, scale, zeroPoint, type, reference);
    }

    @Override
    DataType inputType() {
        return DataType.FLOAT;
    }

    @Override
    Tensor convert(Tensor x, WorkPool pool) {
        float[] v = x.floats();
        byte[] y = new byte[v.length];
        pool.parallelFor(ElementChunks.count(v.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, v.length), e = ElementChunks.start(end, v.length); i < e; i++) {
                y[i] = (byte) QuantMath.quantize(v[i], scale, zeroPoint, type);
            }
        });
        return Tensor.ofBytes(type, x.shape(), y);
    }

    @Override
    public String describe() {
        return "java QuantizeLinear";
    }
}
