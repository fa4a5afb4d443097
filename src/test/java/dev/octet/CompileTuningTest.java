package dev.octet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.BestRecords;
import dev.octet.tune.ConfirmationRecord;
import dev.octet.tune.Target;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trial budget in CompileOptions: the compile tunes the kernels into the log, confirms its bests against the
 * defaults, then builds with the confirmed ones.
 */
class CompileTuningTest {
    @TempDir
    Path dir;

    /**
     * One 3x3 convolution, 8 to 16 channels, with small-integer weights: on small-integer inputs every fp32 summation
     * order is exact, so every verified GEMM configuration must give the reference's output bit for bit.
     */
    private static Model conv() {
        Random r = new Random(3);
        float[] w = new float[16 * 8 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextInt(5) - 2;
        }
        TensorType x = TensorType.of(DataType.FLOAT, 1, 8, 12, 12);
        Node conv = Node.of("c", "Conv", List.of("x", "w"), List.of("y"), Attribute.of("pads", 1L, 1, 1, 1));
        return Model.of(new Graph("conv", List.of(new Value("x", x)),
                List.of(new Value("y", TensorType.of(DataType.FLOAT, 1, 16, 12, 12))), List.of(conv),
                Map.of("w", Tensor.ofFloats(new int[] {16, 8, 3, 3}, w)), Map.of(), Map.of("", 13)));
    }

    /**
     * Bit for bit where the kernel sums in fp32 (every order is exact on small integers); Winograd's transforms
     * have fractional entries (F(4×4)'s 1/4, 1/6 ...), so it is held to a relative error instead (the tuner
     * verified it against its own bound).
     */
    private static void assertAgrees(Tensor got, Tensor expected, String template) {
        if (!template.equals(dev.octet.kernel.WinogradTemplate.NAME)) {
            assertThat(got.sameAs(expected)).as(template).isTrue();
            return;
        }
        float[] g = got.floats();
        float[] e = expected.floats();
        double scale = 0;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            assertThat((double) Math.abs(g[i] - e[i])).as("element %d of %s", i, template).isLessThanOrEqualTo(1e-4 * scale);
        }
    }

    private static float[] smallIntegers(int n) {
        Random r = new Random(4);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(9) - 4;
        }
        return v;
    }

    @Test
    void aTrialBudgetTunesIntoTheLogAndTheBuildTakesItsBestConfigurations() throws Exception {
        assumeTrue(CCompiler.find() != null, "tuning needs a C compiler");
        Path log = dir.resolve("conv.tune.jsonl");
        CompileOptions options = CompileOptions.defaults().withThreads(1).withTuningLog(log).withTuningTrials(4);
        float[] x = smallIntegers(8 * 12 * 12);
        Tensor expected;
        try (CompiledModel ref = Octet.compile(conv(), CompileOptions.defaults()
                .withBackend(CompileOptions.Backend.REFERENCE))) {
            expected = ref.run(x).get("y");
        }
        try (CompiledModel tuned = Octet.compile(conv(), options)) {
            List<TuningRecord> records = TuningLog.read(log, w -> { });
            assertThat(records).hasSizeGreaterThanOrEqualTo(2); // the default and at least one proposal
            List<TuningRecord> best = BestRecords.list(records).stream()
                    .filter(b -> b.target().equals(Target.current().key())).toList();
            assertThat(best).isNotEmpty();
            Map<String, dev.octet.kernel.Config> built = tuned.buildRecord().orElseThrow().configs();
            List<ConfirmationRecord> confirmations = TuningLog.load(log, w -> { }).confirmations();
            for (TuningRecord b : best) {
                // as compile --tune: a best other than the default was re-measured against it, and is built only
                // where the gain was significant
                ConfirmationRecord c = confirmations.stream().filter(k -> k.confirms(b)).reduce((first, later) -> later)
                        .orElse(null);
                if (c == null) {
                    assertThat(built.get(b.workload())).as(b.workload()).isEqualTo(b.config());
                } else {
                    assertThat(built.get(b.workload())).as(b.workload()).isEqualTo(
                            c.verdict() == ConfirmationRecord.Verdict.SIGNIFICANT ? b.config() : c.baseline());
                }
            }
            // a fresh log starts each workload with its default: every other best was confirmed
            long notDefault = best.stream().filter(b -> !records.stream().filter(r -> r.workload().equals(b.workload()))
                    .findFirst().orElseThrow().config().equals(b.config())).count();
            assertThat(confirmations).hasSize((int) notDefault);
            assertAgrees(tuned.run(x).get("y"), expected, built.get(best.getFirst().workload()).template());
        }

        // A log alone is applied, not extended: make another verified configuration the fastest, and it is built.
        List<TuningRecord> records = TuningLog.read(log, w -> { });
        TuningRecord best = BestRecords.list(records).getFirst();
        TuningRecord other = records.stream().filter(r -> r.usable() && r.workload().equals(best.workload())
                && !r.config().equals(best.config())).findFirst().orElseThrow();
        try (TuningLog appender = TuningLog.append(log, w -> { })) {
            appender.write(new TuningRecord(other.workload(), other.target(), other.config(), other.origin(),
                    best.minSeconds() / 2, best.medianSeconds() / 2, other.error(), other.message(),
                    other.allCostSeconds(), other.timestamp(), other.octetVersion(), other.ccVersion(),
                    other.timing())); // timed like the others: records of another timing mode are never compared
        }
        long lines = Files.lines(log).count();
        try (CompiledModel again = Octet.compile(conv(), options.withTuningTrials(0))) {
            assertThat(Files.lines(log).count()).isEqualTo(lines);
            assertThat(again.buildRecord().orElseThrow().configs().get(best.workload())).isEqualTo(other.config());
            assertAgrees(again.run(x).get("y"), expected, other.config().template());
        }
    }

    @Test
    void aBudgetWithoutALogOrWithoutNativeKernelsIsOneClearError() {
        assertThatThrownBy(() -> Octet.compile(conv(), CompileOptions.defaults().withTuningTrials(3)))
                .isInstanceOf(OctetException.class)
                .hasMessage("CompileOptions.withTuningTrials(3) needs withTuningLog(FILE): the file the tuning "
                        + "records go to");
        assertThatThrownBy(() -> Octet.compile(conv(), CompileOptions.defaults().withTuningTrials(3)
                .withTuningLog(dir.resolve("l")).withBackend(CompileOptions.Backend.JVM)))
                .isInstanceOf(OctetException.class)
                .hasMessage("tuning measures native kernels; the backend JVM has none");
        assertThatThrownBy(() -> CompileOptions.defaults().withTuningTrials(-1)).isInstanceOf(OctetException.class)
                .hasMessageContaining("cannot be negative");
    }
}
