package dev.octet.build;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.InferenceContext;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.DepthwiseTemplate;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.ConvStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lowers 2-D fp32 convolutions with constant weights (ONNX Conv, or Octet's FusedConv with its epilogue) to a
 * native kernel: depthwise or conv-as-GEMM.
 */
final class ConvLowering {
    private ConvLowering() {
    }

    /** The lowered step, or null where this node is not a convolution the native templates cover. */
    static ModelCompiler.Lowered lower(Graph g, Node n, Map<String, LoopKernel> kernels) {
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
        boolean depthwise = DepthwiseTemplate.isValid(wl);
        Config config = depthwise ? DepthwiseTemplate.knobs(wl).defaults() : ConvGemmTemplate.knobs(wl).defaults();
        String key = wl.key() + config;
        LoopKernel kernel = kernels.get(key);
        if (kernel == null) {
            String name = "k" + kernels.size();
            kernel = depthwise ? DepthwiseTemplate.build(wl, config, name) : ConvGemmTemplate.build(wl, config, name);
            kernels.put(key, kernel);
        }
        LoopKernel k = kernel;
        float[] packed = depthwise ? DepthwiseTemplate.packWeights(wl, w.floats())
                : ConvGemmTemplate.packWeights(wl, w.floats());
        float[] bias = b == null ? null : b.floats();
        ConvStep.Geometry geo = new ConvStep.Geometry(w.dim(2), w.dim(3), (int) strides[0], (int) strides[1],
                (int) dil[0], (int) dil[1], autoPad, (int) pads[0], (int) pads[1]);
        ConvStep.Schedule schedule = depthwise ? ConvStep.Schedule.CHANNEL_PLANES : ConvStep.Schedule.PIXEL_BLOCKS;
        int grain = depthwise ? 1 : config.get("nc");
        String what = config.toString();
        String residual = wl.epilogue().hasResidual() ? n.input(3) : null;
        return new ModelCompiler.Lowered(lib -> new ConvStep(n.input(0), residual, n.outputs().get(0), cout, geo,
                ModelCompiler.kernel(lib, k), packed, bias, schedule, grain, what));
    }
}
