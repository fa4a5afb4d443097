package dev.octet.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The templates valid for each kind of workload at an ISA level, as knob spaces, the default template first: the
 * one place that says which implementations a lowering may build and a tuner may try. The overloads without a
 * level use {@link IsaLevel#defaultLevel}.
 */
public final class Implementations {
    private Implementations() {
    }

    /**
     * fp32 convolution: depthwise (where it is one) before conv-as-GEMM, which is valid for every group count; then
     * Winograd F(2×2 or 4×4, 3×3) for ungrouped 3×3 stride-1 convolutions (never the default: it is less accurate,
     * within its own bound, and the tuner decides whether it is faster).
     */
    public static List<KnobSpace> conv(ConvWorkload w, IsaLevel level) {
        List<KnobSpace> spaces = new ArrayList<>();
        if (DepthwiseTemplate.isValid(w)) {
            spaces.add(DepthwiseTemplate.knobs(w));
        }
        if (ConvGemmTemplate.isValid(w)) {
            spaces.add(ConvGemmTemplate.knobs(w, level));
        }
        if (WinogradTemplate.isValid(w)) {
            spaces.add(WinogradTemplate.knobs(w, level));
        }
        return spaces;
    }

    public static List<KnobSpace> conv(ConvWorkload w) {
        return conv(w, IsaLevel.defaultLevel());
    }

    public static List<KnobSpace> matMul(MatMulWorkload w, IsaLevel level) {
        return List.of(MatMulTemplate.knobs(w, level));
    }

    public static List<KnobSpace> matMul(MatMulWorkload w) {
        return matMul(w, IsaLevel.defaultLevel());
    }

    /**
     * int8 convolution: depthwise (where it is one) before conv-as-GEMM, which is valid for every group count and
     * whose knob space holds only the variants the workload's weights allow; then, for ungrouped convolutions, the
     * direct NCHW4c template (never the default: the compiled step converts its activations to and from NCHW on
     * every run, a cost the tuner's kernel-only measurement does not see, so a tuned pick of it is worth checking
     * end to end); then exact Winograd F(2×2, 3×3) where the shape allows it (never the default: the tuner decides).
     */
    public static List<KnobSpace> int8Conv(Int8ConvWorkload w, IsaLevel level) {
        List<KnobSpace> spaces = new ArrayList<>();
        Int8DepthwiseWorkload dw = Int8DepthwiseWorkload.of(w);
        if (dw != null) {
            spaces.add(Int8DepthwiseTemplate.knobs(dw));
        }
        spaces.add(Int8ConvTemplate.knobs(w, level));
        if (Int8DirectConvTemplate.isValid(w)) {
            spaces.add(Int8DirectConvTemplate.knobs(w));
        }
        if (Int8WinogradTemplate.isValid(w)) {
            spaces.add(Int8WinogradTemplate.knobs(w));
        }
        return spaces;
    }

    public static List<KnobSpace> int8Conv(Int8ConvWorkload w) {
        return int8Conv(w, IsaLevel.defaultLevel());
    }

    /** int8 Add of two quantized tensors (octet.QLinearAdd). */
    public static List<KnobSpace> int8Add(Int8AddWorkload w) {
        return List.of(Int8AddTemplate.knobs(w));
    }
}
