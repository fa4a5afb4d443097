package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;
import java.util.Arrays;

/**
 * octet.QLinearAdd of two byte tensors of one shape with constant per-tensor parameters: element by element
 * {@link QuantMath#addRequantize}, the one int8 add formula, so exactly the reference (each operand's fp32 term
 * looked up from a table of its 256 values, the sum and rounding per element).
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
    private final float[] termA;
    private final float[] termB;

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
        this.termA = terms(a);
        this.termB = terms(b);
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
        byte[] y = ctx.allocateBytes(qa.length);
        ctx.pool().parallelFor(ElementChunks.count(y.length), (begin, end) -> {
            for (int i = ElementChunks.start(begin, y.length), e = ElementChunks.start(end, y.length); i < e; i++) {
                y[i] = (byte) QuantMath.addTermsRequantize(termA[qa[i] & 0xFF], termB[qb[i] & 0xFF], zeroPoint, lo,
                        hi);
            }
        });
        ctx.put(output, Tensor.ofBytes(type, ta.shape(), y));
    }

    /** An operand's {@link QuantMath#addTerm} for each of its 256 byte patterns, indexed by the byte & 0xFF. */
    private static float[] terms(Operand o) {
        float[] t = new float[256];
        for (int bits = 0; bits < 256; bits++) {
            long q = o.type() == DataType.UINT8 ? bits : (byte) bits;
            t[bits] = QuantMath.addTerm(q, o.zeroPoint(), o.multiplier());
        }
        return t;
    }

    @Override
    public String describe() {
        return "java int8 Add";
    }
}
