package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;

/**
 * Per-tensor QuantizeLinear of fp32 values with a constant scale and zero point, into bytes: element by element
 * {@link QuantMath#quantize} (x / scale in fp32, a division, as ONNX defines it), so exactly the reference.
 */
public final class QuantizeStep implements Step {
    private final String input;
    private final String output;
    private final float scale;
    private final long zeroPoint;
    private final DataType type;
    private final Step reference;

    public QuantizeStep(String input, String output, float scale, long zeroPoint, DataType type, Step reference) {
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
        if (x.dtype() != DataType.FLOAT) {
            ctx.runReference(reference, this);
            return;
        }
        float[] v = x.floats();
        byte[] y = new byte[v.length];
        ctx.pool().parallelFor(ElementChunks.count(v.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, v.length), e = ElementChunks.start(end, v.length); i < e; i++) {
                y[i] = (byte) QuantMath.quantize(v[i], scale, zeroPoint, type);
            }
        });
        ctx.put(output, Tensor.ofBytes(type, x.shape(), y));
    }

    @Override
    public String describe() {
        return "java QuantizeLinear";
    }
}
