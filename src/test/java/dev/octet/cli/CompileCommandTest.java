package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.bundle.Bundle;
import dev.octet.codegen.c.CCompiler;
import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.TestData;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import dev.octet.tune.TunedConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `octet compile` end to end on PP-OCR's text-orientation classifier quantized to int8 (calibrated on rendered
 * lines that `octet eval --write-calib` wrote): a bundle whose reloaded model gives the compiled model's outputs bit
 * for bit, and which `octet run` runs with the C compiler hidden.
 */
class CompileCommandTest {
    private static final String CLS = "ch_ppocr_mobile_v2.0_cls_infer.onnx";
    private static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(2)
            .withCacheDir(Path.of("target", "test-native-cache"));

    @TempDir
    Path dir;

    @Test
    void int8CompileWritesABundleThatReloadsBitIdenticalAndRunsWithoutACompiler() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path calib = dir.resolve("calib");
        CliRun write = CliRun.of("eval", "ocr-cls", "--write-calib", calib.toString(), "--samples", "8");
        assertThat(write.exitCode()).as(write.err()).isZero();

        Path bundle = dir.resolve("cls.octet");
        CliRun compile = CliRun.of("compile", TestData.ppocr(CLS).toString(), "--int8", "--calib", calib.toString(),
                "--calib-count", "6", "--threads", "2", "-o", bundle.toString());
        assertThat(compile.exitCode()).as(compile.err()).isZero();
        assertThat(compile.err()).contains("[1/4] import", "[2/4] quantize", "[3/4] build", "[4/4] write");
        Matcher layers = Pattern.compile("layers  (\\d+) int8, (\\d+) float").matcher(compile.out());
        assertThat(layers.find()).as(compile.out()).isTrue();
        assertThat(Integer.parseInt(layers.group(1))).isPositive();
        assertThat(compile.out()).containsPattern("steps   \\d+ of \\d+ nodes on native kernels")
                .containsPattern("library x86-64-v\\S+, [0-9.]+ KiB").contains("latency ", "wrote   " + bundle);

        Matcher proxy = Pattern.compile("accuracy output cosine fp32 vs int8: mean ([0-9.]+), min ([0-9.]+) on 2 "
                + "held-out image").matcher(compile.out());
        assertThat(proxy.find()).as(compile.out()).isTrue();
        assertThat(Double.parseDouble(proxy.group(1))).isBetween(0.9, 1.0001)
                .isGreaterThanOrEqualTo(Double.parseDouble(proxy.group(2)));

        Bundle opened = Bundle.open(bundle);
        Model model = opened.model();
        assertThat(ModelFamily.of(model)).isEqualTo(ModelFamily.PPOCR_CLS);
        Map<String, Tensor> input = Map.of(model.graph().inputs().getFirst().name(),
                dev.octet.bundle.BundleTestInputs.random(new int[] {1, 3, 48, 192}, 3));
        try (CompiledModel compiled = Octet.compile(model, OPTIONS);
                CompiledModel loaded = Octet.loadCompiled(bundle, OPTIONS.withCacheDir(dir.resolve("cache")))) {
            assertThat(loaded.stepDescriptions()).isEqualTo(compiled.stepDescriptions())
                    .anyMatch(d -> d.startsWith("conv_int8"));
            Map<String, Tensor> expected = compiled.run(input);
            Map<String, Tensor> out = loaded.run(input);
            expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
        }

        String before = System.getProperty(CCompiler.PROPERTY);
        System.setProperty(CCompiler.PROPERTY, "/nonexistent/octet-test-cc");
        try {
            Path image = Files.list(calib).filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
            CliRun run = CliRun.of("run", bundle.toString(), "--input", image.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("PP-OCR text orientation", "loaded the bundle", "on native kernels");
            assertThat(run.err()).doesNotContain("no C compiler");
        } finally {
            if (before == null) {
                System.clearProperty(CCompiler.PROPERTY);
            } else {
                System.setProperty(CCompiler.PROPERTY, before);
            }
        }
    }

    @Test
    void aTuningLogIsStoredAndItsChoicesAreReplayedAtLoad() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path model = twoConvs();
        Path log = tunedLog(model);
        Path bundle = dir.resolve("tuned.octet");
        CliRun compile = CliRun.of("compile", model.toString(), "--tuning-log", log.toString(), "--threads", "2",
                "-o", bundle.toString());
        assertThat(compile.exitCode()).as(compile.err()).isZero();
        assertThat(compile.out()).contains("tuned   2 kernels from " + log, "layers  all float");

        Bundle opened = Bundle.open(bundle);
        assertThat(opened.manifest().entries()).containsKey("tuning.jsonl");
        assertThat(opened.tuningLog()).isEqualTo(Files.readAllBytes(log));
        Map<String, Tensor> input = Map.of("x", dev.octet.bundle.BundleTestInputs.random(new int[] {1, 8, 12, 12}, 4));
        CompileOptions tuned = OPTIONS.withConfigs(TunedConfigs.load(log, w -> { }));
        try (CompiledModel compiled = Octet.compile(Octet.load(model), tuned);
                CompiledModel loaded = Octet.loadCompiled(bundle, OPTIONS)) {
            assertThat(loaded.buildRecord().orElseThrow().configs()).hasSize(2)
                    .isEqualTo(compiled.buildRecord().orElseThrow().configs());
            assertThat(loaded.stepDescriptions()).isEqualTo(compiled.stepDescriptions());
            Map<String, Tensor> expected = compiled.run(input);
            Map<String, Tensor> out = loaded.run(input);
            expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t)).as(name).isTrue());
        }
    }

    @Test
    void withoutACCompilerTheBundleRunsOnTheJvmKernels() {
        Path bundle = dir.resolve("jvm.octet");
        String before = System.getProperty(CCompiler.PROPERTY);
        System.setProperty(CCompiler.PROPERTY, "/nonexistent/octet-test-cc");
        try {
            CliRun compile = CliRun.of("compile", twoConvs().toString(), "--threads", "2", "-o", bundle.toString());
            assertThat(compile.exitCode()).as(compile.err()).isZero();
            assertThat(compile.out()).contains("library none (no native kernels)",
                    "steps   2 of 2 nodes on JVM kernels"); // the ReLU is fused into the first convolution
        } finally {
            if (before == null) {
                System.clearProperty(CCompiler.PROPERTY);
            } else {
                System.setProperty(CCompiler.PROPERTY, before);
            }
        }
        assertThat(Bundle.open(bundle).manifest().backend()).isEqualTo("JVM");
    }

    /**
     * `bench --vs untuned` times the tuned and the default build of one model in one process and reports the
     * speedup with its paired noise as JSON (never asserting on speed: only that the figures are consistent); without
     * a tuning log it is a one-line error.
     */
    @Test
    void benchAgainstTheUntunedBuildReportsTheSpeedupAndItsNoise() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path model = twoConvs();
        Path log = tunedLog(model);
        CliRun bench = CliRun.of("bench", model.toString(), "--input", "random", "--vs", "untuned", "--tuning-log",
                log.toString(), "--runs", "4", "--warmup", "1", "--warmup-seconds", "0", "--json");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(bench.out());
        double tuned = j.get("tuned_ms").asDouble();
        double untuned = j.get("untuned_ms").asDouble();
        assertThat(tuned).isPositive();
        assertThat(untuned).isPositive();
        assertThat(j.get("speedup").asDouble()).isCloseTo(untuned / tuned,
                org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(j.get("noise").asDouble()).isNotNegative();
        assertThat(j.get("significant").asBoolean())
                .isEqualTo(j.get("speedup").asDouble() - 1 > 3 * j.get("noise").asDouble());
        assertThat(j.get("max_rel_err").asDouble()).isLessThan(1e-4);

        CliRun noLog = CliRun.of("bench", model.toString(), "--input", "random", "--vs", "untuned");
        assertThat(noLog.exitCode()).isEqualTo(1);
        assertThat(noLog.err()).startsWith("octet: error: ").contains("--tuning-log").doesNotContain("Exception");
    }

    /**
     * A log of three grid trials per task of the model, every best applied as measured (--confirm 0 and
     * --confirm-in-model 0: a confirmation within the noise would keep a default).
     */
    private Path tunedLog(Path model) {
        Path log = dir.resolve("tune.jsonl");
        CliRun tune = CliRun.of("tune", model.toString(), "--trials", "3", "--tuner", "grid", "--log", log.toString(),
                "--threads", "2", "--confirm", "0", "--confirm-in-model", "0");
        assertThat(tune.exitCode()).as(tune.err()).isZero();
        return log;
    }

    /** Two 3x3 convolutions (8 → 16 → 16 channels) with a ReLU between, written to an ONNX file. */
    private Path twoConvs() {
        Random r = new Random(5);
        Node c1 = Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("h"), Attribute.of("pads", 1L, 1, 1, 1));
        Node relu = Node.of("r", "Relu", List.of("h"), List.of("hr"));
        Node c2 = Node.of("c2", "Conv", List.of("hr", "w2"), List.of("y"), Attribute.of("pads", 1L, 1, 1, 1));
        Map<String, Tensor> constants = Map.of("w1", gaussian(r, 16, 8, 3, 3), "b1", gaussian(r, 16),
                "w2", gaussian(r, 16, 16, 3, 3));
        List<Value> in = List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, 8, 12, 12)));
        List<Value> out = List.of(new Value("y", TensorType.of(DataType.FLOAT, 1, 16, 12, 12)));
        Path file = dir.resolve("two_convs.onnx");
        OnnxWriter.write(new Graph("two_convs", in, out, List.of(c1, relu, c2), constants, Map.of(),
                Map.of("", 13)), file);
        return file;
    }

    private static Tensor gaussian(Random r, int... shape) {
        float[] v = new float[java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return Tensor.ofFloats(shape, v);
    }

    @Test
    void tuneSpendsItsBudgetIntoALogBesideTheBundleAndTheBuildUsesIt() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path bundle = dir.resolve("cls.octet");
        CliRun r = CliRun.of("compile", TestData.ppocr(CLS).toString(), "--tune", "6", "--threads", "1", "-o",
                bundle.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("[2/4] tune     6 candidates", "6 measured, 0 failed");
        // each best that is not the default was re-measured against it and the verdict logged
        assertThat(r.err()).containsPattern("\\d+ bests confirmed, \\d+ within the noise \\(their default kept\\)");
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("cls.tune.jsonl"));
        long confirmations = lines.stream().filter(l -> l.contains("\"kind\":\"confirmation\"")
                && !l.contains("\"timing\":\"model\"")).count();
        java.util.regex.Matcher m = Pattern.compile("(\\d+) bests confirmed, (\\d+) within").matcher(r.err());
        assertThat(m.find()).isTrue();
        assertThat(confirmations).isEqualTo(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)));
        // then each best the build would apply was confirmed inside the model, each verdict logged
        long inModel = lines.stream().filter(l -> l.contains("\"timing\":\"model\"")).count();
        java.util.regex.Matcher mm = Pattern.compile("in the model (\\d+) faster, (\\d+) not").matcher(r.err());
        assertThat(mm.find()).as(r.err()).isTrue();
        assertThat(inModel).isEqualTo(Long.parseLong(mm.group(1)) + Long.parseLong(mm.group(2)));
        Path log = dir.resolve("cls.tune.jsonl");
        List<TuningRecord> records = TuningLog.read(log, w -> { });
        assertThat(records).hasSize(6).allMatch(TuningRecord::usable);
        // the build consulted the log: each tuned workload either took its best or, where the confirmation found
        // the gain within the noise, kept its default (how many of each depends on this machine's timing noise)
        java.util.regex.Matcher used = Pattern.compile("tuned   (\\d+) kernels from " + Pattern.quote(log.toString())
                + "(?: \\((\\d+) kept the default: their confirmation found no significant gain\\))?").matcher(r.out());
        assertThat(used.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(used.group(1)) + (used.group(2) == null ? 0 : Long.parseLong(used.group(2))))
                .as(r.out()).isPositive();

        CliRun zero = CliRun.of("compile", TestData.ppocr(CLS).toString(), "--tune", "0", "-o", bundle.toString());
        assertThat(zero.exitCode()).isEqualTo(1);
        assertThat(zero.err()).contains("--tune needs a positive number of candidates, not 0");
    }

    @Test
    void aModelThatIsNotThereIsOneErrorLine() {
        CliRun r = CliRun.of("compile", dir.resolve("missing.onnx").toString(), "-o", dir.resolve("m.octet").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip().lines().toList()).last() // after the progress line of the step that failed
                .isEqualTo("octet: error: " + dir.resolve("missing.onnx") + ": no such file");
        assertThat(dir.resolve("m.octet")).doesNotExist();
    }

    @Test
    void aFileThatIsNotABundleIsOneErrorLine() throws Exception {
        Path notABundle = dir.resolve("x.octet");
        Files.writeString(notABundle, "not a zip");
        CliRun r = CliRun.of("run", notABundle.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("octet: error: " + notABundle + ": is truncated or corrupt, or not an "
                + "Octet bundle").doesNotContain("\n");
    }
}
