package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.Implementations;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a build takes from a log: only verified records of this target whose config a valid template has. */
class TunedConfigsTest {
    private static final ConvWorkload W = new ConvWorkload(64, 64, 1, 3, 3, 1, 1, 1, 1, false, Epilogue.none());
    private static final ConfigChooser.Request REQUEST = new ConfigChooser.Request(W.key(), W,
            Implementations.conv(W));

    private static TuningRecord rec(String target, Config c, ErrorCode e, double median, String origin) {
        boolean ok = e == ErrorCode.NO_ERROR;
        return new TuningRecord(W.key(), target, c, origin, ok ? median : Double.NaN, ok ? median : Double.NaN, e,
                null, 1, 0, "dev", "cc");
    }

    /** A point of the request's space (whatever knobs the ISA level adds, e.g. AVX-512's tile, at defaults). */
    private static Config gemm(int nc) {
        Map<String, Integer> v = new java.util.HashMap<>(REQUEST.defaults().values());
        v.putAll(Map.of("nc", nc, "kc", 128, "order", 1));
        return new Config("conv_gemm", v);
    }

    @Test
    void appliesTheBestVerifiedRecordOfThisTarget() {
        TunedConfigs chooser = new TunedConfigs(List.of(rec("here", gemm(128), ErrorCode.NO_ERROR, 2e-3, "template"),
                rec("here", gemm(64), ErrorCode.NO_ERROR, 1e-3, "template")), new Target("here"));
        assertThat(chooser.choose(REQUEST)).isEqualTo(gemm(64));
        assertThat(chooser.applied()).isEqualTo(1);
    }

    @Test
    void neverAppliesAnotherTargetAWrongAnswerAnExternalKernelOrAnInvalidConfig() {
        Map<String, Integer> bad = new java.util.HashMap<>(gemm(64).values());
        bad.put("nc", 3);
        Config invalid = new Config("conv_gemm", bad);
        TunedConfigs chooser = new TunedConfigs(List.of(
                rec("elsewhere", gemm(64), ErrorCode.NO_ERROR, 1e-4, "template"),
                rec("here", gemm(128), ErrorCode.WRONG_ANSWER, 0, "template"),
                rec("here", gemm(512), ErrorCode.RUN_TIMEOUT, 0, "template"),
                rec("here", gemm(1024), ErrorCode.NO_ERROR, 1e-4, "external/fast.c"),
                rec("here", invalid, ErrorCode.NO_ERROR, 1e-5, "template"),
                rec("here", gemm(256), ErrorCode.NO_ERROR, 5e-3, "template")), new Target("here"));
        assertThat(chooser.choose(REQUEST)).isEqualTo(gemm(256));
        assertThat(new TunedConfigs(List.of(rec("elsewhere", gemm(64), ErrorCode.NO_ERROR, 1e-4, "template")),
                new Target("here")).choose(REQUEST)).isEqualTo(REQUEST.defaults());
    }

    private static ConfirmationRecord confirmation(Config best, ConfirmationRecord.Verdict verdict, Timing timing) {
        boolean failed = verdict == ConfirmationRecord.Verdict.FAILED;
        return new ConfirmationRecord(W.key(), "here", timing, REQUEST.defaults(), best, failed ? Double.NaN : 2e-3,
                failed ? Double.NaN : 1.9e-3, failed ? Double.NaN : 0.02, 3, verdict, 0, "dev", "cc");
    }

    private static final List<TuningRecord> FLUSHED_LOG = List.of(
            rec("here", gemm(128), ErrorCode.NO_ERROR, 2e-3, "template").withTiming(Timing.FLUSHED),
            rec("here", gemm(64), ErrorCode.NO_ERROR, 1e-3, "template").withTiming(Timing.FLUSHED));

    @Test
    void warmAndFlushedTimesAreNeverComparedTheFlushedBestIsApplied() {
        List<TuningRecord> log = List.of(rec("here", gemm(256), ErrorCode.NO_ERROR, 1e-3, "template"),
                rec("here", gemm(64), ErrorCode.NO_ERROR, 5e-4, "template").withTiming(Timing.WARM),
                rec("here", gemm(128), ErrorCode.NO_ERROR, 2e-3, "template").withTiming(Timing.FLUSHED),
                rec("here", gemm(512), ErrorCode.NO_ERROR, 3e-3, "template").withTiming(Timing.FLUSHED));
        assertThat(log.get(0).timing()).as("a record of unrecorded timing reads as warm").isEqualTo(Timing.WARM);
        assertThat(new TunedConfigs(log, new Target("here")).choose(REQUEST))
                .as("the warm record is faster, but only flushed times are compared").isEqualTo(gemm(128));
        assertThat(BestRecords.list(log)).singleElement().satisfies(r -> assertThat(r.config()).isEqualTo(gemm(128)));
        List<TuningRecord> warmOnly = log.subList(0, 2);
        assertThat(new TunedConfigs(warmOnly, new Target("here")).choose(REQUEST)).isEqualTo(gemm(64));
        assertThat(BestRecords.list(warmOnly)).singleElement().satisfies(r -> assertThat(r.config()).isEqualTo(gemm(64)));
    }

    @Test
    void aFlushedBestThatNoValidTemplateHasFallsBackToTheWarmBest() {
        Map<String, Integer> bad = new java.util.HashMap<>(gemm(64).values());
        bad.put("nc", 3);
        List<TuningRecord> log = List.of(
                rec("here", new Config("conv_gemm", bad), ErrorCode.NO_ERROR, 1e-3, "template").withTiming(Timing.FLUSHED),
                rec("here", gemm(256), ErrorCode.NO_ERROR, 5e-3, "template").withTiming(Timing.WARM));
        assertThat(new TunedConfigs(log, new Target("here")).choose(REQUEST)).isEqualTo(gemm(256));
    }

    @Test
    void aBestIsAppliedOnlyWhereItsLatestConfirmationWasSignificant() {
        Target here = new Target("here");
        TunedConfigs significant = new TunedConfigs(FLUSHED_LOG,
                List.of(confirmation(gemm(64), ConfirmationRecord.Verdict.SIGNIFICANT, Timing.FLUSHED)), here);
        assertThat(significant.choose(REQUEST)).isEqualTo(gemm(64));
        assertThat(significant.applied()).isEqualTo(1);

        TunedConfigs noise = new TunedConfigs(FLUSHED_LOG,
                List.of(confirmation(gemm(64), ConfirmationRecord.Verdict.WITHIN_NOISE, Timing.FLUSHED)), here);
        assertThat(noise.choose(REQUEST)).isEqualTo(REQUEST.defaults());
        assertThat(noise.applied()).isZero();
        assertThat(noise.refuted()).isEqualTo(1);

        assertThat(new TunedConfigs(FLUSHED_LOG,
                List.of(confirmation(gemm(64), ConfirmationRecord.Verdict.FAILED, Timing.FLUSHED)), here)
                .choose(REQUEST)).as("failed on re-measurement").isEqualTo(REQUEST.defaults());
    }

    @Test
    void theLatestConfirmationOfExactlyTheBestDecides() {
        Target here = new Target("here");
        ConfirmationRecord yes = confirmation(gemm(64), ConfirmationRecord.Verdict.SIGNIFICANT, Timing.FLUSHED);
        ConfirmationRecord no = confirmation(gemm(64), ConfirmationRecord.Verdict.WITHIN_NOISE, Timing.FLUSHED);
        assertThat(new TunedConfigs(FLUSHED_LOG, List.of(no, yes), here).choose(REQUEST)).isEqualTo(gemm(64));
        assertThat(new TunedConfigs(FLUSHED_LOG, List.of(yes, no), here).choose(REQUEST))
                .isEqualTo(REQUEST.defaults());
        // Confirmations of another configuration (an earlier best), another timing or another target do not count:
        // the best is applied as without confirmation.
        List<ConfirmationRecord> others = List.of(
                confirmation(gemm(128), ConfirmationRecord.Verdict.WITHIN_NOISE, Timing.FLUSHED),
                confirmation(gemm(64), ConfirmationRecord.Verdict.WITHIN_NOISE, Timing.WARM),
                new ConfirmationRecord(W.key(), "elsewhere", Timing.FLUSHED, REQUEST.defaults(), gemm(64), 2e-3,
                        2e-3, 0.01, 3, ConfirmationRecord.Verdict.WITHIN_NOISE, 0, "dev", "cc"));
        assertThat(new TunedConfigs(FLUSHED_LOG, others, here).choose(REQUEST)).isEqualTo(gemm(64));
    }

    /**
     * A confirmation in the whole model speaks for the configuration whatever its record's timing, and being the
     * latest it overrides the kernel's own: a best confirmed alone and refuted in the model keeps the default.
     */
    @Test
    void anInModelConfirmationJudgesTheBestWhateverItsRecordsTiming() {
        Target here = new Target("here");
        ConfirmationRecord alone = confirmation(gemm(64), ConfirmationRecord.Verdict.SIGNIFICANT, Timing.FLUSHED);
        ConfirmationRecord inModelNo = confirmation(gemm(64), ConfirmationRecord.Verdict.WITHIN_NOISE, Timing.MODEL);
        ConfirmationRecord inModelYes = confirmation(gemm(64), ConfirmationRecord.Verdict.SIGNIFICANT, Timing.MODEL);
        assertThat(new TunedConfigs(FLUSHED_LOG, List.of(alone, inModelNo), here).choose(REQUEST))
                .isEqualTo(REQUEST.defaults());
        assertThat(new TunedConfigs(FLUSHED_LOG, List.of(inModelNo, alone), here).choose(REQUEST))
                .as("a later kernel confirmation decides again").isEqualTo(gemm(64));
        assertThat(new TunedConfigs(FLUSHED_LOG, List.of(alone, inModelYes), here).choose(REQUEST))
                .isEqualTo(gemm(64));
    }

    @Test
    void withoutAnyConfirmationTheBestIsAppliedAsMeasured() {
        TunedConfigs chooser = new TunedConfigs(FLUSHED_LOG, List.of(), new Target("here"));
        assertThat(chooser.choose(REQUEST)).isEqualTo(gemm(64));
        assertThat(chooser.refuted()).isZero();
    }
}
