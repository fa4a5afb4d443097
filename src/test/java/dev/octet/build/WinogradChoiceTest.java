package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.ConvGemmTemplate;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.WinogradTemplate;
import dev.octet.kernel.WinogradTransforms;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.verify.WinogradBound;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A chooser that picks fp32 Winograd (as a tuning log where it was fastest) builds the Winograd kernel, with its
 * tile-block work split, at 1 and 2 threads, within {@link WinogradBound} of the reference; the JVM backend, which
 * has no Winograd kernel, builds conv-as-GEMM instead.
 */
class WinogradChoiceTest {
    private static final int CIN = 6;
    private static final int COUT = 8;
    private static final int H = 11;
    private static final int W = 9;

    @Test
    void aChosenWinogradKernelIsBuiltAndWithinItsBound() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Random r = new Random(5);
        float[] w = new float[COUT * CIN * 9];
        float[] x = new float[CIN * H * W];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        Node conv = Node.of("c", "Conv", List.of("x", "w"), List.of("y"), Attribute.of("pads", 1L, 1, 1, 1));
        Graph g = TestGraphs.graph(13, List.of(conv), TestGraphs.types("x", TensorType.of(DataType.FLOAT, 1, CIN, H,
                W)), Map.of("w", Tensor.ofFloats(new int[] {COUT, CIN, 3, 3}, w)), List.of("y"));
        Map<String, Tensor> inputs = Map.of("x", Tensor.ofFloats(new int[] {1, CIN, H, W}, x));
        float[] exact = new ReferenceInterpreter(ModelCompiler.simplify(g)).run(inputs).get("y").floats();
        for (int m : new int[] {2, 4}) {
            ConfigChooser picksWinograd = req -> req.spaces().stream()
                    .filter(s -> s.template().equals(WinogradTemplate.NAME)).findFirst()
                    .map(s -> s.all().stream().filter(c -> c.get("m") == m).findFirst().orElseThrow())
                    .orElse(req.defaults());
            WinogradTransforms t = WinogradTransforms.of(m);
            double[] raw = WinogradBound.magnitude(t, x, 1, CIN, H, W, 1, 1, w, COUT, H, W);
            float[] magnitude = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                magnitude[i] = (float) raw[i];
            }
            for (int threads : new int[] {1, 2}) {
                try (CompiledModel model = ModelCompiler.compile(g, TestGraphs.OPTIONS.withConfigs(picksWinograd)
                        .withThreads(threads))) {
                    assertThat(model.stepDescriptions()).anyMatch(d -> d.startsWith(WinogradTemplate.NAME));
                    float[] y = model.run(inputs).get("y").floats();
                    assertThat(WinogradBound.check(y, exact, magnitude, WinogradBound.chainLength(t, CIN), 0))
                            .as("m=%d, %d threads", m, threads).isNull();
                }
            }
            try (CompiledModel jvm = ModelCompiler.compile(g, TestGraphs.OPTIONS.withConfigs(picksWinograd)
                    .withBackend(CompileOptions.Backend.JVM))) {
                assertThat(jvm.stepDescriptions()).anyMatch(d -> d.startsWith(ConvGemmTemplate.NAME))
                        .noneMatch(d -> d.startsWith(WinogradTemplate.NAME));
            }
        }
    }
}
