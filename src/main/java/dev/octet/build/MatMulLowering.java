package dev.octet.build;

import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.InferenceContext;
import dev.octet.kernel.Config;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.MatMulTemplate;
import dev.octet.kernel.MatMulWorkload;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.MatMulStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lowers fp32 MatMul (and Octet's FusedMatMul) with a constant 2-D right operand, and Gemm with transA = 0, alpha = beta = 1, a constant B
 * (either orientation) and a constant per-column C, to the MatMul template.
 */
final class MatMulLowering {
    private MatMulLowering() {
    }

    static ModelCompiler.Lowered lower(Graph g, Node n, Map<String, LoopKernel> kernels, IsaLevel level,
            ConfigChooser chooser) {
        if (!(n.domain().isEmpty() || n.domain().equals("octet")) || n.inputs().size() < 2) {
            return null;
        }
        Tensor b = g.constants().get(n.input(1));
        if (b == null || b.dtype() != DataType.FLOAT || b.rank() != 2) {
            return null;
        }
        float[] weights;
        float[] bias = null;
        int k;
        int cols;
        List<EpilogueStep> steps = new ArrayList<>();
        if (n.opType().equals("MatMul") || n.opType().equals("FusedMatMul") && n.domain().equals("octet")) {
            weights = b.floats();
            k = b.dim(0);
            cols = b.dim(1);
            if (n.opType().equals("FusedMatMul")) {
                steps.addAll(EpilogueStep.of(new InferenceContext(n, 0, List.of(), List.of())));
                if (steps.contains(EpilogueStep.BIAS)) {
                    Tensor c = g.constants().get(n.input(2));
                    if (c == null || c.dtype() != DataType.FLOAT || c.size() != cols) {
                        return null;
                    }
                    bias = c.floats();
                }
            }
        } else if (n.opType().equals("Gemm")) {
            Attributes a = n.attributes();
            if (a.getInt("transA", 0) != 0 || a.getFloat("alpha", 1f) != 1f || a.getFloat("beta", 1f) != 1f) {
                return null;
            }
            boolean transB = a.getInt("transB", 0) != 0;
            k = transB ? b.dim(1) : b.dim(0);
            cols = transB ? b.dim(0) : b.dim(1);
            weights = transB ? transpose(b.floats(), cols, k) : b.floats();
            if (n.hasInput(2)) {
                Tensor c = g.constants().get(n.input(2));
                if (c == null || c.dtype() != DataType.FLOAT || c.size() != cols || c.rank() > 2
                        || (c.rank() == 2 && c.dim(0) != 1)) {
                    return null;
                }
                bias = c.floats();
                steps.add(EpilogueStep.BIAS);
            }
        } else {
            return null;
        }
        MatMulWorkload w = new MatMulWorkload(k, cols, new Epilogue(steps));
        Config config = chooser.choose(new ConfigChooser.Request(w.key(), w, Implementations.matMul(w, level)));
        LoopKernel kernel = kernels.computeIfAbsent(w.key() + config,
                key -> MatMulTemplate.build(w, config, "k" + kernels.size(), level));
        float[] packed = MatMulTemplate.packWeights(w, weights);
        float[] biasValues = bias;
        String what = config.toString();
        String residual = w.epilogue().hasResidual() ? n.input(3) : null;
        return new ModelCompiler.Lowered(lib -> new MatMulStep(n.input(0), residual, n.outputs().get(0),
                ModelCompiler.kernel(lib, kernel), packed, biasValues, rows -> MatMulTemplate.parallelRange(w, rows, config),
                what));
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }
}
