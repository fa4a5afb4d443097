package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.KernelUse;
import dev.octet.kernel.KnobSpace;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lowering builds what the chooser picks, among every template valid for the workload (a depthwise
 * convolution may also run as conv-as-GEMM), and lists the kernels it builds for a tuner.
 */
class ConfigChooserTest {
    private static Graph depthwiseThenMatMul() {
        Random r = new Random(3);
        float[] w = new float[8 * 9];
        float[] m = new float[8 * 6 * 6 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextInt(9) - 4; // small integers: exact in any summation order

        }
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextInt(9) - 4;
        }
        Node dw = Node.of("dw", "Conv", List.of("x", "w"), List.of("h"), Attribute.of("group", 8L),
                Attribute.of("pads", 1L, 1, 1, 1));
        Node flat = Node.of("f", "Flatten", List.of("h"), List.of("hf"));
        Node mm = Node.of("mm", "MatMul", List.of("hf", "m"), List.of("y"));
        return TestGraphs.graph(13, List.of(dw, flat, mm), TestGraphs.types("x", TensorType.of(DataType.FLOAT, 1, 8,
                6, 6)), Map.of("w", Tensor.ofFloats(new int[] {8, 1, 3, 3}, w), "m",
                Tensor.ofFloats(new int[] {8 * 6 * 6, 5}, m)), List.of("y"));
    }

    @Test
    void kernelUsesListEveryKernelWithItsValidTemplatesAndInputType() {
        List<KernelUse> uses = ModelCompiler.kernelUses(depthwiseThenMatMul());
        assertThat(uses).extracting(u -> u.request().spaces().stream().map(KnobSpace::template).toList())
                .containsExactly(List.of("depthwise", "conv_gemm"), List.of("matmul"));
        assertThat(uses.get(0).inputType().shape()).containsExactly(1, 8, 6, 6);
    }

    @Test
    void theBuildUsesTheChosenConfigurationAndStaysCorrect() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Graph g = depthwiseThenMatMul();
        List<Config> chosen = new ArrayList<>();
        ConfigChooser lastOfLastSpace = req -> {
            List<Config> all = req.spaces().get(req.spaces().size() - 1).all();
            Config c = all.get(all.size() - 1);
            chosen.add(c);
            return c;
        };
        float[] x = new float[288];
        Random r = new Random(4);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(9) - 4;
        }
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new int[] {1, 8, 6, 6}, x));
        try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withConfigs(lastOfLastSpace))) {
            assertThat(chosen).extracting(Config::template).containsExactly("conv_gemm", "matmul");
            assertThat(m.stepDescriptions()).anyMatch(d -> d.contains(chosen.get(0).toString()))
                    .anyMatch(d -> d.contains(chosen.get(1).toString()));
            Tensor y = m.run(in).get("y");
            Tensor ref = new ReferenceInterpreter(g).run(in).get("y");
            assertThat(y.floats()).containsExactly(ref.floats()).doesNotContain(Float.NaN);
            assertThat(java.util.Arrays.stream(ref.toDoubles()).anyMatch(v -> v != 0)).as("a test that can fail")
                    .isTrue();
        }
    }
}
