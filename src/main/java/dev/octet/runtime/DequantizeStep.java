package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/** Per-tensor DequantizeLinear of u8 or s8 bytes with a constant scale and zero point: {@link QuantMath#dequantize}. */
public final class DequantizeStep extends PerTensorQuantStep {
    public DequantizeStep(String input, String output, float scale, long zeroPoint, DataType type, Step reference) {
        super(input, output, scale, zeroPoint, type, reference);
    }

    @Override
    DataType inputType() {
        return type;
    }

    @Override
    Tensor convert(Tensor x, WorkPool pool) {
        byte[] q = x.bytes();
        float[] y = new float[q.length];
        boolean unsigned = type == DataType.UINT8;
        pool.parallelFor(ElementChunks.count(q.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, q.length), e = ElementChunks.start(end, q.length); i < e; i++) {
                y[i] = QuantMath.dequantize(unsigned ? q[i] & 0xFF : q[i], zeroPoint, scale);
            }
        });
        return Tensor.ofFloats(x.shape(), y);
    }

    @Override
    public String describe() {
        return "java DequantizeLinear";
    }
}
