package dev.octet.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The templates valid for each kind of workload, as knob spaces, the default template first: the one place that
 * says which implementations a lowering may build and a tuner may try.
 */
public final class Implementations {
    private Implementations() {
    }

    /** fp32 convolution: depthwise (where it is one) before conv-as-GEMM, which is valid for every group count. */
    public static List<KnobSpace> conv(ConvWorkload w) {
        List<KnobSpace> spaces = new ArrayList<>();
        if (DepthwiseTemplate.isValid(w)) {
            spaces.add(DepthwiseTemplate.knobs(w));
        }
        if (ConvGemmTemplate.isValid(w)) {
            spaces.add(ConvGemmTemplate.knobs(w));
        }
        return spaces;
    }

    public static List<KnobSpace> matMul(MatMulWorkload w) {
        return List.of(MatMulTemplate.knobs(w));
    }

    /** int8 convolution; its knob space holds only the variants the workload's weights allow. */
    public static List<KnobSpace> int8Conv(Int8ConvWorkload w) {
        return List.of(Int8ConvTemplate.knobs(w));
    }
}
