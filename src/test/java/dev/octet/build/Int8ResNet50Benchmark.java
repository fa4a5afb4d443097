package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.CompileOptions;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.pass.BindInputShapes;
import dev.octet.pass.FoldBatchNorm;
import dev.octet.pass.FoldConstants;
import dev.octet.pass.PassPipeline;
import dev.octet.pass.RemoveExportNoise;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqTestQuantizer;
import dev.octet.zoo.ResNet50;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * End-to-end speed of the int8 path on a QDQ ResNet-50 (the zoo model, BatchNorm folded, quantized by
 * {@link QdqTestQuantizer}: per-channel 7-bit weights, u8 activations with min/max ranges over 2 random inputs)
 * against the same fp32 model, both compiled natively, batch 1, at 1 and 2 threads: best of 5 timed runs after 3
 * warm-ups, wall time and the calling thread's CPU time. Prints the steps that still run by reference and the
 * time per kind of step. Run with {@code mvn test -Pslow -Dtest=Int8ResNet50Benchmark}.
 */
@Tag("slow")
class Int8ResNet50Benchmark {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Test
    void int8AgainstFp32() {
        Graph model = ResNet50.build(1).graph();
        Graph fp32 = new PassPipeline(List.of(new BindInputShapes(Map.of("input",
                TensorType.of(DataType.FLOAT, 1, 3, 224, 224))), new FoldConstants(), new RemoveExportNoise(),
                new FoldConstants(), new FoldBatchNorm())).apply(model);
        Graph int8 = QdqTestQuantizer.quantize(fp32, List.of(QdqGraphBuilder.randomInputs(fp32, 1),
                QdqGraphBuilder.randomInputs(fp32, 2)), true);
        Map<String, Tensor> input = QdqGraphBuilder.randomInputs(fp32, 3);
        for (int threads : new int[] {1, 2}) {
            CompileOptions options = CompileOptions.defaults().withThreads(threads)
                    .withBackend(CompileOptions.Backend.NATIVE).withCacheDir(Path.of("target", "test-native-cache"));
            try (CompiledModel f = ModelCompiler.compile(fp32, options);
                    CompiledModel q = ModelCompiler.compile(int8, options)) {
                if (threads == 1) {
                    System.out.println("int8 steps by reference: " + q.stepDescriptions().stream()
                            .filter(d -> d.startsWith("reference")).toList() + "; " + q.backendDescription());
                    float[] a = f.run(input).get("logits").floats();
                    float[] b = q.run(input).get("logits").floats();
                    double dot = 0;
                    double na = 0;
                    double nb = 0;
                    for (int i = 0; i < a.length; i++) {
                        dot += a[i] * b[i];
                        na += a[i] * a[i];
                        nb += b[i] * b[i];
                    }
                    double cosine = dot / Math.sqrt(na * nb);
                    System.out.printf("logits cosine similarity int8 vs fp32: %.4f%n", cosine);
                    assertThat(cosine).isGreaterThan(0.9);
                }
                double[] tf = time(f, input);
                double[] tq = time(q, input);
                System.out.printf("resnet50 batch 1, %d thread(s): octet_ms fp32 %.1f (cpu %.1f), int8 %.1f (cpu %.1f),"
                        + " speed-up %.2fx%n", threads, tf[0], tf[1], tq[0], tq[1], tf[0] / tq[0]);
                if (threads == 1) {
                    Map<String, Long> best = new TreeMap<>();
                    for (int i = 0; i < 5; i++) {
                        Map<String, Long> times = new TreeMap<>();
                        q.runTimed(input, times);
                        times.forEach((k, v) -> best.merge(k, v, Math::min));
                    }
                    best.forEach((k, v) -> System.out.printf("  int8 %-60s %8.2f ms (best of 5)%n", k, v / 1e6));
                }
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
