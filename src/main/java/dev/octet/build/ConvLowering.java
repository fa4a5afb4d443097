package dev.octet.build;

import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvTemplates;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.ConvStep;
import dev.octet.runtime.Kernel;
import dev.octet.runtime.NativeLibrary;
import dev.octet.runtime.jvm.JvmKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lowers 2-D fp32 convolutions with constant weights (ONNX Conv, or Octet's FusedConv with its epilogue) to a
 * kernel, depthwise or conv-as-GEMM: native (printed into the library being built) or its JVM twin, which takes the
 * same arguments and packed weights; or, where a tuned configuration picks it, native Winograd (the JVM backend has
 * no Winograd kernel and builds conv-as-GEMM's defaults instead).
 */
final class ConvLowering {
    private ConvLowering() {
    }

    /**
     * The lowered step, or null where this node is not a convolution the templates cover.
     *
     * @param kernels the native kernels of the library being built, keyed by workload and configuration
     * @param jvm whether to run the step on a JVM kernel (else a native kernel, added to {@code kernels})
     * @param chooser picks the template and configuration among those valid for the workload
     */
    static ModelCompiler.Lowered lower(Graph g, Node n, Map<String, LoopKernel> kernels, boolean jvm,
            IsaLevel level, ConfigChooser chooser) {
        boolean fused = n.domain().equals("octet") && n.opType().equals("FusedConv");
        if (!fused && (!n.domain().isEmpty() || !n.opType().equals("Conv")) || n.inputs().size() < 2) {
            return null;
        }
        Tensor w = g.constants().get(n.input(1));
        Tensor b = n.hasInput(2) ? g.constants().get(n.input(2)) : null;
        if (w == null || w.dtype() != DataType.FLOAT || w.rank() != 4 || (n.hasInput(2) && b == null)
                || (b != null && b.dtype() != DataType.FLOAT)) {
            return null;
        }
        Attributes a = n.attributes();
        int groups = (int) a.getInt("group", 1);
        int cout = w.dim(0);
        int cin = w.dim(1) * groups;
        long[] strides = a.getInts("strides", new long[] {1, 1});
        long[] dil = a.getInts("dilations", new long[] {1, 1});
        long[] pads = a.getInts("pads", new long[] {0, 0, 0, 0});
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (strides.length != 2 || dil.length != 2 || pads.length != 4 || groups < 1 || cout % groups != 0) {
            return null;
        }
        boolean noPads = autoPad.equals("VALID") || (autoPad.equals("NOTSET") && pads[0] == 0 && pads[1] == 0
                && pads[2] == 0 && pads[3] == 0);
        boolean pointwise = w.dim(2) == 1 && w.dim(3) == 1 && strides[0] == 1 && strides[1] == 1 && noPads;
        List<EpilogueStep> steps = new ArrayList<>();
        if (fused) {
            steps.addAll(EpilogueStep.of(new InferenceContext(n, 0, List.of(), List.of())));
        } else if (b != null) {
            steps.add(EpilogueStep.BIAS);
        }
        if (b != null && !steps.contains(EpilogueStep.BIAS)) {
            return null; // a bias input the epilogue does not add: not a form the fusion pass writes
        }
        ConvWorkload wl = new ConvWorkload(cin, cout, groups, w.dim(2), w.dim(3), (int) strides[0], (int) strides[1],
                (int) dil[0], (int) dil[1], pointwise, new Epilogue(steps));
        List<KnobSpace> spaces = Implementations.conv(wl, level);
        Config chosen = chooser.choose(new ConfigChooser.Request(wl.key(), wl, spaces));
        // the JVM backend has twins of depthwise and conv-as-GEMM only: elsewhere it builds conv-as-GEMM's defaults
        Config config = jvm && !ConvTemplates.hasJvmTwin(chosen) ? spaces.stream()
                .filter(s -> s.template().equals(ConvGemmTemplate.NAME)).findFirst().orElseThrow().defaults() : chosen;
        boolean depthwise = config.template().equals(DepthwiseTemplate.NAME);
        float[] bias = b == null ? null : b.floats();
        ConvStep.Geometry geo = new ConvStep.Geometry(w.dim(2), w.dim(3), (int) strides[0], (int) strides[1],
                (int) dil[0], (int) dil[1], autoPad, (int) pads[0], (int) pads[1]);
        String what = config + (jvm ? " on the JVM (" + JvmKernels.implementation() + ")" : "");
        String residual = wl.epilogue().hasResidual() ? n.input(3) : null;
        Function<NativeLibrary, Kernel> kernel = jvm ? jvmKernel(wl, config, depthwise)
                : nativeKernel(wl, config, kernels, level);
        float[] packed = ConvTemplates.packWeights(wl, config, w.floats());
        ConvStep.ParallelRange range = (batch, oh, ow) -> ConvTemplates.parallelRange(wl, batch, oh, ow, config);
        return new ModelCompiler.Lowered(lib -> new ConvStep(n.input(0), residual, n.outputs().get(0), cout, geo,
                kernel.apply(lib), packed, bias, range, !jvm && ConvTemplates.writesOverResidual(wl, config), what));
    }

    private static Function<NativeLibrary, Kernel> jvmKernel(ConvWorkload wl, Config config, boolean depthwise) {
        Kernel k = depthwise ? JvmKernels.depthwise(wl, config) : JvmKernels.convGemm(wl, config);
        return lib -> k;
    }

    /** The native kernel, printed into the library once per distinct workload and configuration. */
    private static Function<NativeLibrary, Kernel> nativeKernel(ConvWorkload wl, Config config,
            Map<String, LoopKernel> kernels, IsaLevel level) {
        LoopKernel k = kernels.computeIfAbsent(wl.key() + config,
                key -> ConvTemplates.build(wl, config, "k" + kernels.size(), level));
        return lib -> ModelCompiler.kernel(lib, k);
    }
}
