package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;
import java.util.Arrays;

/**
 * octet.QLinearAdd of two byte tensors of one shape with constant per-tensor parameters: element by element
 * {@link QuantMath#addRequantize}, the one int8 add formula, so exactly the reference.
 */
public final class Int8AddStep implements Step {
    /** One operand: its value name, type, zero point and multiplier s_in / s_y. */
    public record Operand(String value, DataType type, long zeroPoint, float multiplier) {
    }

    private final Operand a;
    private final Operand b;
    private final String output;
    private final DataType type;
    private final long zeroPoint;
    private final long lo;
    private final long hi;
    private final Step reference;

    public Int8AddStep(Operand a, Operand b, String output, DataType type, long zeroPoint, long lo, long hi,
            Step reference) {
        this.a = a;
        this.b = b;
        this.output = output;
        this.type = type;
        this.zeroPoint = zeroPoint;
        this.lo = lo;
        this.hi = hi;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor ta = ctx.get(a.value());
        Tensor tb = ctx.get(b.value());
        if (ta.dtype() != a.type() || tb.dtype() != b.type() || !Arrays.equals(ta.shape(), tb.shape())) {
            ctx.runReference(reference, this);
            return;
        }
        byte[] qa = ta.bytes();
        byte[] qb = tb.bytes();
        byte[] y = new byte[qa.length];
        boolean ua = a.type() == DataType.UINT8;
        boolean ub = b.type() == DataType.UINT8;
        ctx.pool().parallelFor(ElementChunks.count(y.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, y.length), e = ElementChunks.start(end, y.length); i < e; i++) {
                y[i] = (byte) QuantMath.addRequantize(ua ? qa[i] & 0xFF : qa[i], a.zeroPoint(), a.multiplier(),
                        ub ? qb[i] & 0xFF : qb[i], b.zeroPoint(), b.multiplier(), zeroPoint, lo, hi);
            }
        });
        ctx.put(output, Tensor.ofBytes(type, ta.shape(), y));
    }

    @Override
    public String describe() {
        return "java int8 Add";
    }
}
