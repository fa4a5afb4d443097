package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.CompileOptions;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Int8ConvTemplate;
import dev.octet.kernel.KnobSpace;
import dev.octet.pass.BindInputShapes;
import dev.octet.pass.FoldBatchNorm;
import dev.octet.pass.FoldConstants;
import dev.octet.pass.PassPipeline;
import dev.octet.pass.RemoveExportNoise;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqTestQuantizer;
import dev.octet.testing.TestData;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * PP-OCR models with many depthwise convolutions, quantized by {@link QdqTestQuantizer} and compiled twice: with
 * the default templates (depthwise convs on {@code Int8DepthwiseTemplate}) and with every int8 conv forced onto
 * conv-as-GEMM. Both are exact, so their outputs must be identical; prints best-of-5 wall and CPU times at 1
 * thread and the time per kind of step. Run with {@code mvn test -Pslow -Dtest=Int8DepthwiseModelBenchmark}.
 */
@Tag("slow")
class Int8DepthwiseModelBenchmark {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void depthwiseTemplateAgainstGemm() {
        bench("ch_ppocr_mobile_v2.0_cls_infer.onnx", 1, 3, 48, 192);
        bench("ch_PP-OCRv3_det_infer.onnx", 1, 3, 320, 320);
        bench("ch_PP-OCRv4_rec_infer.onnx", 1, 3, 48, 320);
    }

    private static void bench(String file, long... shape) {
        Graph model = OnnxImporter.load(TestData.ppocr(file)).graph();
        String input = model.inputs().get(0).name();
        Graph fp32 = new PassPipeline(List.of(new BindInputShapes(Map.of(input, TensorType.of(DataType.FLOAT,
                shape))), new FoldConstants(), new RemoveExportNoise(), new FoldConstants(), new FoldBatchNorm()))
                .apply(model);
        Graph int8 = QdqTestQuantizer.quantize(fp32, List.of(QdqGraphBuilder.randomInputs(fp32, 1),
                QdqGraphBuilder.randomInputs(fp32, 2)), false);
        Map<String, Tensor> in = QdqGraphBuilder.randomInputs(fp32, 3);
        CompileOptions options = CompileOptions.defaults().withThreads(1).withBackend(CompileOptions.Backend.NATIVE)
                .withCacheDir(Path.of("target", "test-native-cache"));
        ConfigChooser gemmOnly = r -> r.spaces().stream().filter(s -> s.template().equals(Int8ConvTemplate.NAME))
                .findFirst().map(KnobSpace::defaults).orElseGet(r::defaults);
        try (CompiledModel dw = ModelCompiler.compile(int8, options);
                CompiledModel gemm = ModelCompiler.compile(int8, options.withConfigs(gemmOnly))) {
            long dwSteps = dw.stepDescriptions().stream().filter(d -> d.startsWith("dwconv_int8")).count();
            assertThat(gemm.stepDescriptions()).noneMatch(d -> d.startsWith("dwconv_int8"));
            Map<String, Tensor> a = dw.run(in);
            Map<String, Tensor> b = gemm.run(in);
            a.forEach((name, t) -> assertThat(t.sameAs(b.get(name))).as(name).isTrue());
            double[] td = time(dw, in);
            double[] tg = time(gemm, in);
            System.out.printf("%s %s: %d depthwise convs; int8 with dwconv_int8 %.2f ms (cpu %.2f), all on"
                    + " conv_int8_gemm %.2f ms (cpu %.2f); %s%n", file, java.util.Arrays.toString(shape), dwSteps,
                    td[0], td[1], tg[0], tg[1], dw.backendDescription());
            for (CompiledModel m : List.of(dw, gemm)) {
                Map<String, Long> best = new TreeMap<>();
                for (int i = 0; i < 5; i++) {
                    Map<String, Long> times = new TreeMap<>();
                    m.runTimed(in, times);
                    times.forEach((k, v) -> best.merge(k, v, Math::min));
                }
                best.entrySet().stream().filter(e -> e.getValue() > 200_000).forEach(e -> System.out.printf(
                        "  %s %-70s %8.2f ms%n", m == dw ? "dw  " : "gemm", e.getKey(), e.getValue() / 1e6));
            }
        }
    }

    /** Best wall and CPU milliseconds of 5 runs after 3 warm-ups. */
    private static double[] time(CompiledModel m, Map<String, Tensor> input) {
        for (int i = 0; i < 3; i++) {
            m.run(input);
        }
        long wall = Long.MAX_VALUE;
        long cpu = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long c0 = CPU.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            m.run(input);
            wall = Math.min(wall, System.nanoTime() - t0);
            cpu = Math.min(cpu, CPU.getCurrentThreadCpuTime() - c0);
        }
        return new double[] {wall / 1e6, cpu / 1e6};
    }
}
