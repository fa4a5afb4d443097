package dev.octet.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.kernel.Config;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.TuningRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compile report of a small fp32 model through the Java API: measured per-layer latencies of every step that
 * ran, the implementation table, and tuning curves for the build's own workloads only.
 */
class CompileReportTest {
    private static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(1)
            .withCacheDir(Path.of("target", "test-native-cache"));

    @Test
    void fp32PageHasLatencyImplementationsAndTheBuildsTuningCurves() {
        Model model = new Model(twoConvs(), Path.of("two_convs.onnx"), "", Map.of());
        Map<String, Tensor> input = Map.of("x", gaussian(new Random(3), 1, 8, 12, 12));
        try (CompiledModel compiled = Octet.compile(model, OPTIONS)) {
            Map<String, Config> configs = compiled.buildRecord().orElseThrow().configs();
            assertThat(configs).isNotEmpty();
            List<TuningRecord> log = new ArrayList<>();
            int trial = 0;
            for (Map.Entry<String, Config> e : configs.entrySet()) {
                for (double ms : new double[] {0.5, 0.7, 0.3}) {
                    log.add(new TuningRecord(e.getKey(), "x86-64-v3", e.getValue(), "template", ms / 1e3, ms / 1e3,
                            dev.octet.tune.ErrorCode.NO_ERROR, null, 0.1, trial++, "dev", "cc"));
                }
            }
            log.add(TuningCurveTest.record("a workload of another model", 0, 1, true));

            CompileReport report = CompileReport.of("two_convs.onnx", "generic", "dev", compiled, input,
                    List.of("x: random"), 1, 4, null, log, "t.jsonl", null, List.of());

            assertThat(report.latency().runs()).isEqualTo(4);
            assertThat(report.latency().layers()).isNotEmpty().allSatisfy(l -> {
                assertThat(l.medianMs()).isPositive();
                assertThat(l.implementation()).isEqualTo(compiled.stepDescriptions().get(l.index()));
            });
            assertThat(report.latency().layers()).extracting(LayerLatency::node).contains("c1", "c2");
            assertThat(report.int8Layers()).isZero();
            String html = report.render();
            SelfContained.check(html);
            assertThat(html).contains("Compile report: two_convs.onnx", "layers: all", "Latency per layer",
                    "Implementation per layer", "Tuning curves", configs.size() + " of "
                            + (configs.size() + 1) + " tasks in the log", "None: the model runs in float.");
            for (LayerLatency l : report.latency().layers()) {
                assertThat(html).contains("<td>" + HtmlPage.escape(l.template()) + "</td>");
            }
            String ours = html.substring(html.indexOf("Tuning curves"), html.indexOf("that this build does not use"));
            assertThat(ours.split("<polyline", -1)).hasSize(configs.size() + 1);
            assertThat(ours).doesNotContain("a workload of another model");
            assertThat(html).contains("a workload of another model: 1 trials, 0 failed",
                    "not used: the build has no kernel of this workload");
            // a build of defaults: nothing marked tuned, and the log's single configurations kept nothing either
            assertThat(html).contains("0 of " + report.latency().layers().size() + " steps tuned")
                    .doesNotContain("class=\"badge\"", "<tr class=\"tuned\">", "the default was the fastest");
        }
    }

    @Test
    void tunedLayersAreMarkedWithTheirDefaultAndCountedAndADefaultThatWonSaysSo() {
        Model model = new Model(twoConvs(), Path.of("two_convs.onnx"), "", Map.of());
        Map.Entry<String, Config> c2 = CompileReportTestAccess.anotherConfig(model.graph(), "c2");
        Config c2Defaults = configs(model).get(c2.getKey());
        Map.Entry<String, Config> c1 = CompileReportTestAccess.anotherConfig(model.graph(), "c1");
        Config c1Defaults = configs(model).get(c1.getKey());
        // c2 runs a configuration that is not its default (as a tuning log makes it); c1 keeps its default
        CompileOptions tuned = OPTIONS.withConfigs(r -> r.key().equals(c2.getKey()) ? c2.getValue() : r.defaults());
        List<TuningRecord> log = List.of(timed(c2.getKey(), c2Defaults, 0.020),
                timed(c2.getKey(), c2.getValue(), 0.015),
                timed(c1.getKey(), c1Defaults, 0.010), timed(c1.getKey(), c1.getValue(), 0.012));
        try (CompiledModel compiled = Octet.compile(model, tuned)) {
            CompileReport report = CompileReport.of("two_convs.onnx", "generic", "dev", compiled,
                    Map.of("x", gaussian(new Random(3), 1, 8, 12, 12)), List.of("x: random"), 1, 2, null, log,
                    "t.jsonl", null, List.of());
            int c2Index = index(compiled, "c2");
            int c1Index = index(compiled, "c1");
            assertThat(report.layerTuning()).containsOnlyKeys(c1Index, c2Index);
            assertThat(report.layerTuning().get(c2Index).tuned()).isTrue();
            assertThat(report.layerTuning().get(c1Index).defaultKept()).isTrue();
            assertThat(compiled.stepDescriptions().get(c2Index)).contains(c2.getValue().toString().substring(
                    c2.getValue().template().length() + 1).replace("]", ""));

            String html = report.render();
            SelfContained.check(html);
            int layers = report.latency().layers().size();
            assertThat(html).contains("1 of " + layers + " steps tuned (1 of the 2 with a tunable kernel run a "
                    + "configuration from tuning", "; 1 more tuned but kept the default, the fastest)", "tuned: the default was the fastest of 2 configurations",
                    "20 µs → 15 µs (1.33x)");
            String[] rows = html.split("<tr class=\"tuned\">", -1);
            assertThat(rows).hasSize(2);
            assertThat(rows[1].substring(0, rows[1].indexOf("</tr>"))).contains("<td>c2</td>",
                    "<span class=\"badge\">tuned</span> default " + HtmlPage.escape(report.layerTuning()
                            .get(c2Index).defaultConfig()));
            String bars = html.substring(html.indexOf("Latency per layer"), html.indexOf("Tuning curves"));
            assertThat(bars.split(">tuned</tspan>", -1)).hasSize(2);
            assertThat(bars).contains("(FusedConv): " + compiled.stepDescriptions().get(c2Index));
        }
    }

    @Test
    void jvmKernelsWithTheirBaselineDefaultsAreNotMarkedTuned() {
        Model model = new Model(twoConvs(), Path.of("two_convs.onnx"), "", Map.of());
        try (CompiledModel jvm = Octet.compile(model, OPTIONS.withBackend(CompileOptions.Backend.JVM))) {
            Map<Integer, LayerTuning> tuning = LayerTuning.of(jvm.buildRecord().orElseThrow(),
                    jvm.graph().nodes().stream().map(dev.octet.ir.Node::name).toList(), null);
            assertThat(tuning).containsKeys(index(jvm, "c1"), index(jvm, "c2"));
            assertThat(tuning.values()).noneMatch(LayerTuning::tuned);
        }
    }

    private static Map<String, Config> configs(Model model) {
        try (CompiledModel untuned = Octet.compile(model, OPTIONS)) {
            return untuned.buildRecord().orElseThrow().configs();
        }
    }

    private static int index(CompiledModel compiled, String node) {
        List<dev.octet.ir.Node> nodes = compiled.graph().nodes();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).name().equals(node)) {
                return i;
            }
        }
        throw new AssertionError("no node " + node);
    }

    private static TuningRecord timed(String workload, Config c, double ms) {
        return new TuningRecord(workload, "x86-64-v3", c, "template", ms / 1e3, ms / 1e3,
                dev.octet.tune.ErrorCode.NO_ERROR, null, 0.1, 0, "dev", "cc");
    }

    /** Two 3x3 convolutions (8 → 16 → 16 channels) with a ReLU between. */
    static Graph twoConvs() {
        Random r = new Random(5);
        Node c1 = Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("h"), Attribute.of("pads", 1L, 1, 1, 1));
        Node relu = Node.of("r", "Relu", List.of("h"), List.of("hr"));
        Node c2 = Node.of("c2", "Conv", List.of("hr", "w2"), List.of("y"), Attribute.of("pads", 1L, 1, 1, 1));
        Map<String, Tensor> constants = Map.of("w1", gaussian(r, 16, 8, 3, 3), "b1", gaussian(r, 16),
                "w2", gaussian(r, 16, 16, 3, 3));
        return new Graph("two_convs", List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, 8, 12, 12))),
                List.of(new Value("y", TensorType.of(DataType.FLOAT, 1, 16, 12, 12))), List.of(c1, relu, c2),
                constants, Map.of(), Map.of("", 13));
    }

    static Tensor gaussian(Random r, int... shape) {
        float[] v = new float[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return Tensor.ofFloats(shape, v);
    }
}
