package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.tune.BestRecords;
import dev.octet.tune.ConfirmationRecord;
import dev.octet.tune.Timing;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `octet tune`, `octet log best` and `--tuning-log` on a two-convolution model. */
class TuneCommandTest {
    @TempDir
    Path dir;

    private Path model() {
        Random r = new Random(5);
        Node c1 = Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("h"), Attribute.of("pads", 1L, 1, 1, 1));
        Node relu = Node.of("r", "Relu", List.of("h"), List.of("hr"));
        Node c2 = Node.of("c2", "Conv", List.of("hr", "w2"), List.of("y"), Attribute.of("pads", 1L, 1, 1, 1));
        Map<String, Tensor> constants = Map.of("w1", random(r, 16, 8, 3, 3), "b1", random(r, 16),
                "w2", random(r, 16, 16, 3, 3));
        List<Value> in = List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, 8, 12, 12)));
        Graph draft = new Graph("two_convs", in, List.of(new Value("y", in.get(0).type())), List.of(c1, relu, c2),
                constants, Map.of(), Map.of("", 13));
        TensorType y = ShapeInference.infer(draft, Map.of()).type("y");
        Path file = dir.resolve("two_convs.onnx");
        OnnxWriter.write(new Graph("two_convs", in, List.of(new Value("y", y)), List.of(c1, relu, c2), constants,
                Map.of(), Map.of("", 13)), file);
        return file;
    }

    private static Tensor random(Random r, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return Tensor.ofFloats(shape, v);
    }

    @Test
    void tuneThenKeepTheBestThenBuildWithIt() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path model = model();
        Path log = dir.resolve("tune.jsonl");
        CliRun tune = CliRun.of("tune", model.toString(), "--trials", "3", "--tuner", "grid", "--log", log.toString(),
                "--threads", "2", "--confirm-in-model", "0");
        assertThat(tune.exitCode()).as(tune.err()).isZero();
        assertThat(tune.out()).contains("tuning  2 tasks", "conv2d_f32[c8>16", "conv2d_f32[c16>16", "best conv_");
        List<TuningRecord> records = TuningLog.read(log, w -> { });
        assertThat(records).hasSize(6).allMatch(TuningRecord::usable);

        assertThat(records).allMatch(r -> r.timing() == Timing.FLUSHED);
        // --confirm 3 (the default) recorded a verdict for each task whose best is not its default.
        TuningLog.Contents contents = TuningLog.load(log, w -> { });
        List<TuningRecord> bests = BestRecords.list(records);
        assertThat(contents.confirmations()).hasSize((int) bests.stream().filter(b -> !b.config().equals(
                contents.records().stream().filter(r -> r.workload().equals(b.workload())).findFirst().orElseThrow()
                        .config())).count());
        assertThat(contents.confirmations()).allMatch(c -> bests.stream().anyMatch(c::confirms));

        Path best = dir.resolve("best.jsonl");
        CliRun keep = CliRun.of("log", "best", log.toString(), "-o", best.toString());
        assertThat(keep.exitCode()).as(keep.err()).isZero();
        assertThat(TuningLog.read(best, w -> { })).hasSize(2);
        assertThat(TuningLog.load(best, w -> { }).confirmations()).isEqualTo(contents.confirmations());
        assertThat(keep.out()).contains("timing  2 best among cache-flushed times, 0 among warm-cache times");

        CliRun run = CliRun.of("run", model.toString(), "--tuning-log", best.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        // A best whose confirmation was within the noise keeps its default: both kernels are decided by the log.
        Matcher tuned = Pattern.compile("tuned   (\\d) kernels from \\S+(?: \\((\\d) kept the default)?")
                .matcher(run.out());
        assertThat(tuned.find()).as(run.out()).isTrue();
        assertThat(Integer.parseInt(tuned.group(1)) + (tuned.group(2) == null ? 0 : Integer.parseInt(tuned.group(2))))
                .isEqualTo(2);
        assertThat(tuned.group(2) == null ? 0 : Integer.parseInt(tuned.group(2))).isEqualTo(
                (int) contents.confirmations().stream().filter(c -> c.verdict() != ConfirmationRecord.Verdict
                        .SIGNIFICANT).count());

        // The same log for another CPU: nothing applies.
        Path elsewhere = dir.resolve("elsewhere.jsonl");
        Files.writeString(elsewhere, Files.readString(best).replace("cpu=", "cpu=other,"));
        CliRun other = CliRun.of("run", model.toString(), "--tuning-log", elsewhere.toString());
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(other.out()).contains("tuned   0 kernels from");

        // Resuming: three more trials per task, none repeated.
        CliRun again = CliRun.of("tune", model.toString(), "--trials", "3", "--tuner", "grid", "--log", log.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        List<TuningRecord> all = TuningLog.read(log, w -> { });
        assertThat(all).hasSize(12);
        assertThat(all.stream().map(r -> r.workload() + r.config()).distinct().count()).isEqualTo(12);

        // Resuming with warm caches: a warning, and the warm session starts over (its default first) instead of
        // treating the flushed records as tried; log best still takes each workload's best among flushed times.
        CliRun warm = CliRun.of("tune", model.toString(), "--trials", "2", "--tuner", "grid", "--log", log.toString(),
                "--warm-caches", "--confirm", "0");
        assertThat(warm.exitCode()).as(warm.err()).isZero();
        assertThat(warm.err()).contains("12 records for this target timed with buffers flushed", "compared separately");
        List<TuningRecord> mixed = TuningLog.read(log, w -> { });
        assertThat(mixed).hasSize(16);
        assertThat(mixed.subList(12, 16)).allMatch(r -> r.timing() == Timing.WARM)
                .allMatch(r -> all.stream().anyMatch(f -> f.workload().equals(r.workload())
                        && f.config().equals(r.config())));
        CliRun keepMixed = CliRun.of("log", "best", log.toString(), "-o", best.toString());
        assertThat(keepMixed.out()).contains("timing  2 best among cache-flushed times",
                "2 workloads had both: their warm records were left out");
        assertThat(TuningLog.read(best, w -> { })).allMatch(r -> r.timing() == Timing.FLUSHED);
    }

    /**
     * After the kernel confirmations (skipped here), the log's choices are confirmed in the whole model: one record
     * of model timing per workload whose applied best is not its default, its verdict the 3x-noise rule on its own
     * figures, and a build then keeps the default exactly where that verdict found no significant gain.
     */
    @Test
    void theInModelConfirmationDecidesWhatABuildApplies() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path model = model();
        Path log = dir.resolve("model.jsonl");
        CliRun tune = CliRun.of("tune", model.toString(), "--trials", "3", "--tuner", "grid", "--log", log.toString(),
                "--threads", "2", "--confirm", "0", "--confirm-in-model", "5");
        assertThat(tune.exitCode()).as(tune.err()).isZero();
        assertThat(tune.out()).contains("confirm in the model: tuned and untuned builds, 5 rounds each");
        TuningLog.Contents contents = TuningLog.load(log, w -> { });
        List<TuningRecord> bests = BestRecords.list(contents.records());
        long changed = bests.stream().filter(b -> !b.config().equals(contents.records().stream()
                .filter(r -> r.workload().equals(b.workload())).findFirst().orElseThrow().config())).count();
        assertThat(contents.confirmations()).hasSize((int) changed).allMatch(c -> c.timing() == Timing.MODEL)
                .allMatch(c -> bests.stream().anyMatch(c::confirms)).allMatch(c -> c.rounds() == 5)
                .allMatch(c -> (c.verdict() == ConfirmationRecord.Verdict.SIGNIFICANT)
                        == (c.speedup() - 1 > 3 * c.noise()));

        CliRun run = CliRun.of("run", model.toString(), "--tuning-log", log.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Matcher tuned = Pattern.compile("tuned   (\\d) kernels from \\S+(?: \\((\\d) kept the default)?")
                .matcher(run.out());
        assertThat(tuned.find()).as(run.out()).isTrue();
        assertThat(tuned.group(2) == null ? 0 : Integer.parseInt(tuned.group(2))).isEqualTo(
                (int) contents.confirmations().stream().filter(c -> c.verdict() != ConfirmationRecord.Verdict
                        .SIGNIFICANT).count());
    }

    @Test
    void theCostModelTunerAndTheSchedulerWriteValidRecords() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Path model = model();
        Path log = dir.resolve("xgb.jsonl");
        CliRun xgb = CliRun.of("tune", model.toString(), "--trials", "5", "--tuner", "xgb", "--log", log.toString(),
                "--threads", "2", "--confirm", "0");
        assertThat(xgb.exitCode()).as(xgb.err()).isZero();
        assertThat(xgb.out()).contains("tuning  2 tasks", "5 trials each (xgb)", "best conv_");
        List<TuningRecord> records = TuningLog.read(log, w -> { });
        assertThat(records).hasSize(10).allMatch(TuningRecord::usable);

        // A scheduled run on the same log: 6 more in all, split over the tasks, nothing repeated.
        CliRun scheduled = CliRun.of("tune", model.toString(), "--total-trials", "6", "--tuner", "ga", "--log",
                log.toString(), "--threads", "2", "--confirm", "0");
        assertThat(scheduled.exitCode()).as(scheduled.err()).isZero();
        assertThat(scheduled.out()).contains("6 trials in all, scheduled (ga)");
        List<TuningRecord> all = TuningLog.read(log, w -> { });
        assertThat(all).hasSize(16).allMatch(TuningRecord::usable);
        assertThat(all.stream().map(r -> r.workload() + r.config()).distinct().count()).isEqualTo(16);
        assertThat(all.subList(10, 16).stream().map(TuningRecord::workload).distinct().count())
                .as("both tasks get a round").isEqualTo(2);

        CliRun help = CliRun.of("tune", "--help");
        assertThat(help.out().replaceAll("\\s+", " ")).contains("xgb (a learned cost model: gradient-boosted trees in "
                + "pure Java, not the XGBoost library", "--total-trials");
    }

    @Test
    void anUnknownTunerIsOneClearError() throws Exception {
        CliRun r = CliRun.of("tune", model().toString(), "--tuner", "magic", "--log", dir.resolve("l").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--tuner 'magic' is not one of grid, random");
    }
}
