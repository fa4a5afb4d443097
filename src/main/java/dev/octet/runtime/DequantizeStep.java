package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/** Per-tensor DequantizeLinear of u8 or s8 bytes with a constant scale and zero point: {@link QuantMath#dequantize}. */
public final class DequantizeStep implements Step {
    private final String input;
    private final String output;
    private final float scale;
    private final long zeroPoint;
    private final DataType type;
    private final Step reference;

    public DequantizeStep(String input, String output, float scale, long zeroPoint, DataType type, Step reference) {
        this.input = input;
        this.output = output;
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.type = type;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(input);
        if (x.dtype() != type) {
            ctx.runReference(reference, this);
            return;
        }
        byte[] q = x.bytes();
        float[] y = new float[q.length];
        boolean unsigned = type == DataType.UINT8;
        ctx.pool().parallelFor(ElementChunks.count(q.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, q.length), e = ElementChunks.start(end, q.length); i < e; i++) {
                y[i] = QuantMath.dequantize(unsigned ? q[i] & 0xFF : q[i], zeroPoint, scale);
            }
        });
        ctx.put(output, Tensor.ofFloats(x.shape(), y));
    }

    @Override
    public String describe() {
        return "java DequantizeLinear";
    }
}
