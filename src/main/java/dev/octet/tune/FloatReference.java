package dev.octet.tune;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.Epilogue;
import dev.octet.verify.FloatBound;

/**
 * The fp32 judge shared by conv and matmul problems: the reference product (the operator's reference, in double),
 * the epilogue applied in double, and the check of {@link FloatBound} (exact on small-integer inputs where the
 * epilogue has no fractional step).
 */
final class FloatReference {
    private FloatReference() {
    }

    /**
     * Applies the epilogue to a reference product in place. With {@code magnitude}, each step is replaced by its
     * Lipschitz bound so that the result bounds Σ|a·b| + |bias| + |residual| through the epilogue.
     *
     * @param channel the bias index of element i
     */
    static float[] epilogue(double[] v, Epilogue e, float[] bias, float[] res, java.util.function.IntUnaryOperator channel,
            boolean magnitude) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            for (EpilogueStep s : e.steps()) {
                x = switch (s.kind()) {
                    case BIAS -> x + bias[channel.applyAsInt(i)];
                    case RESIDUAL -> x + res[i];
                    case RELU -> magnitude ? x : Math.max(x, 0);
                    case CLIP -> magnitude ? x : Math.min(Math.max(x, s.a()), s.b());
                    case HARDSIGMOID -> magnitude ? Math.abs(s.a()) * x : Math.min(Math.max(s.a() * x + s.b(), 0), 1);
                    case HARDSWISH -> magnitude ? 2 * x + 1 : x * Math.min(Math.max(x / 6 + 0.5, 0), 1);
                };
            }
            out[i] = (float) x;
        }
        return out;
    }

    static boolean fractional(Epilogue e) {
        return e.steps().stream().anyMatch(s -> s.kind() == EpilogueStep.Kind.HARDSWISH
                || s.kind() == EpilogueStep.Kind.HARDSIGMOID);
    }

    /** Null if actual is correct for this input family, else the first violation. */
    static String check(String family, float[] actual, float[] exact, float[] magnitude, int reduction, Epilogue e) {
        if (family.equals("SMALL_INTEGER") && !fractional(e)) {
            for (int i = 0; i < actual.length; i++) {
                if (Float.floatToIntBits(actual[i]) != Float.floatToIntBits(exact[i]) && actual[i] != exact[i]) {
                    return "element " + i + " is " + actual[i] + ", reference " + exact[i]
                            + " (small-integer inputs are exact in any summation order)";
                }
            }
            return null;
        }
        return FloatBound.check(actual, exact, magnitude, reduction, e.steps().size());
    }

    static float[] abs(float[] a) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = Math.abs(a[i]);
        }
        return o;
    }
}
