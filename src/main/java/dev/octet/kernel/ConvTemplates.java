package dev.octet.kernel;

import dev.octet.kernel.loop.LoopKernel;

/**
 * The fp32 convolution templates by the template a configuration names: the one place that maps a configuration to
 * its kernel, its packed weight layout and its parallel range, for the lowering and the tuner alike.
 */
public final class ConvTemplates {
    private ConvTemplates() {
    }

    /** The native kernel of a configuration at a level. */
    public static LoopKernel build(ConvWorkload w, Config c, String name, IsaLevel level) {
        return switch (c.template()) {
            case DepthwiseTemplate.NAME -> DepthwiseTemplate.build(w, c, name);
            case WinogradTemplate.NAME -> WinogradTemplate.build(w, c, name, level);
            default -> ConvGemmTemplate.build(w, c, name, level);
        };
    }

    /** Weights [Cout][Cin/g][KH][KW] in the layout the configuration's kernel reads. */
    public static float[] packWeights(ConvWorkload w, Config c, float[] weights) {
        return switch (c.template()) {
            case DepthwiseTemplate.NAME -> DepthwiseTemplate.packWeights(w, weights);
            case WinogradTemplate.NAME -> WinogradTemplate.packWeights(w, c, weights);
            default -> ConvGemmTemplate.packWeights(w, weights);
        };
    }

    /** Work items of one run of the configuration's kernel. */
    public static long parallelRange(ConvWorkload w, int batch, int oh, int ow, Config c) {
        return switch (c.template()) {
            case DepthwiseTemplate.NAME -> DepthwiseTemplate.parallelRange(batch, w);
            case WinogradTemplate.NAME -> WinogradTemplate.parallelRange(w, batch, oh, ow, c);
            default -> ConvGemmTemplate.parallelRange(w, batch, oh, ow, c);
        };
    }

    /**
     * Whether the configuration's native kernel may write its output over its residual (one array for both; see
     * {@link ConvGemmTemplate#writesOverResidual}). No other template may.
     */
    public static boolean writesOverResidual(ConvWorkload w, Config c) {
        return c.template().equals(ConvGemmTemplate.NAME) && ConvGemmTemplate.writesOverResidual(w, c);
    }

    /** Whether the JVM backend has a twin of the configuration's template (depthwise and conv-as-GEMM do). */
    public static boolean hasJvmTwin(Config c) {
        return c.template().equals(DepthwiseTemplate.NAME) || c.template().equals(ConvGemmTemplate.NAME);
    }
}
