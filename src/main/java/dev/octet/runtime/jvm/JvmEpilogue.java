package dev.octet.runtime.jvm;

import static dev.octet.runtime.jvm.ConvArgs.F32;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.Epilogue;
import java.lang.foreign.MemorySegment;

/**
 * A conv epilogue as the JVM kernels run it: {@link Epilogue}'s steps in order, each with the fp32 formula that
 * {@link Epilogue#apply} gives the C printer (no fused multiply-add, HardSwish divides by 6), so the JVM and native
 * kernels round alike. The steps are decoded once into op codes: the per-element loop switches on an int.
 */
final class JvmEpilogue {
    static final int BIAS = 0;
    static final int RESIDUAL = 1;
    static final int RELU = 2;
    static final int CLIP = 3;
    static final int HARD_SIGMOID = 4;
    static final int HARD_SWISH = 5;

    final int[] ops;
    /** Per step: Clip's min, HardSigmoid's alpha. */
    final float[] p;
    /** Per step: Clip's max, HardSigmoid's beta. */
    final float[] q;

    JvmEpilogue(Epilogue e) {
        int n = e.steps().size();
        ops = new int[n];
        p = new float[n];
        q = new float[n];
        for (int i = 0; i < n; i++) {
            EpilogueStep step = e.steps().get(i);
            p[i] = step.a();
            q[i] = step.b();
            ops[i] = switch (step.kind()) {
                case BIAS -> BIAS;
                case RESIDUAL -> RESIDUAL;
                case RELU -> RELU;
                case CLIP -> CLIP;
                case HARDSIGMOID -> HARD_SIGMOID;
                case HARDSWISH -> HARD_SWISH;
            };
        }
    }

    boolean isEmpty() {
        return ops.length == 0;
    }

    float apply(float v, float bias, float residual) {
        for (int i = 0; i < ops.length; i++) {
            v = switch (ops[i]) {
                case BIAS -> v + bias;
                case RESIDUAL -> v + residual;
                case RELU -> Math.max(v, 0f);
                case CLIP -> Math.min(Math.max(v, p[i]), q[i]);
                case HARD_SIGMOID -> Math.min(Math.max(p[i] * v + q[i], 0f), 1f);
                case HARD_SWISH -> v * Math.min(Math.max(v / 6f + 0.5f, 0f), 1f);
                default -> throw new IllegalStateException("epilogue op " + ops[i]);
            };
        }
        return v;
    }

    /** out[index + j] = apply(out[index + j], bias, res[index + j]) for j in [from, n); res may be null. */
    void applyInPlace(MemorySegment out, long index, int from, int n, float bias, MemorySegment res) {
        for (int j = from; j < n; j++) {
            long at = index + j;
            float r = res == null ? 0f : res.getAtIndex(F32, at);
            out.setAtIndex(F32, at, apply(out.getAtIndex(F32, at), bias, r));
        }
    }
}
