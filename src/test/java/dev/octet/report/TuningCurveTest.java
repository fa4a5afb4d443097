package dev.octet.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import dev.octet.tune.ErrorCode;
import dev.octet.tune.Timing;
import dev.octet.tune.TuningRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Best-so-far curves of a tuning log: per task, in log order, never increasing, failures never counting. */
class TuningCurveTest {
    static TuningRecord record(String workload, int trial, double ms, boolean ok) {
        return new TuningRecord(workload, "x86-64-v3", new Config("conv_gemm", Map.of("kc", trial)), "template",
                ok ? ms / 1e3 : Double.NaN, ok ? ms / 1e3 : Double.NaN, ok ? ErrorCode.NO_ERROR
                        : ErrorCode.values()[1], ok ? null : "planted failure", 0.1, trial, "dev", "cc",
                Timing.FLUSHED);
    }

    @Property(tries = 200)
    void bestSoFarNeverIncreasesAndIsTheRunningMinimumOfVerifiedTrials(
            @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = 0.01, max = 50) Double> costs,
            @ForAll @Size(min = 40, max = 40) List<Boolean> failed) {
        List<TuningRecord> log = new ArrayList<>();
        for (int i = 0; i < costs.size(); i++) {
            log.add(record("w", i, costs.get(i), !failed.get(i)));
        }
        TuningCurve c = TuningCurve.of(log).getFirst();
        double[] best = c.bestSoFarMs();
        assertThat(best).hasSize(costs.size());
        double min = Double.NaN;
        for (int i = 0; i < best.length; i++) {
            if (!failed.get(i)) {
                min = Double.isNaN(min) ? costs.get(i) : Math.min(min, costs.get(i));
            }
            if (Double.isNaN(min)) {
                assertThat(best[i]).as("no verified trial before %d", i).isNaN();
            } else {
                assertThat(best[i]).as("trial %d", i).isCloseTo(min, org.assertj.core.api.Assertions.within(1e-9));
            }
            if (i > 0 && !Double.isNaN(best[i - 1])) {
                assertThat(best[i]).as("non-increasing at %d", i).isLessThanOrEqualTo(best[i - 1]);
            }
        }
        assertThat(c.failed()).isEqualTo(failed.subList(0, costs.size()).stream().filter(f -> f).count());
    }

    @Test
    void oneCurvePerWorkloadInFirstSeenOrderWithItsFailuresMarked() {
        List<TuningRecord> log = List.of(record("b", 0, 3, true), record("a", 1, 2, true), record("b", 2, 5, false),
                record("b", 3, 1, true));
        List<TuningCurve> curves = TuningCurve.of(log);
        assertThat(curves).extracting(TuningCurve::workload).containsExactly("b", "a");
        assertThat(curves.getFirst().bestSoFarMs()).containsExactly(3, 3, 1);
        assertThat(curves.getFirst().best().config().values()).containsEntry("kc", 3);
        String svg = TuningCurves.plot(curves.getFirst()).toString();
        assertThat(svg).contains("<polyline", "planted failure", "trial 3").doesNotContain("NaN");
        assertThat(TuningCurves.caption(curves.getFirst(), Map.of("b", curves.getFirst().best().config())))
                .contains("3 trials, 1 failed", "first verified 3.00 ms, best 1.00 ms", "the build uses the best");
    }

    @Test
    void warmAndFlushedRecordsOfOneWorkloadAreSeparateCurves() {
        TuningRecord flushed = record("w", 0, 3, true);
        TuningRecord w = record("w", 1, 1, true);
        TuningRecord warm = new TuningRecord(w.workload(), w.target(), w.config(), w.origin(), w.minSeconds(),
                w.medianSeconds(), w.error(), w.message(), w.allCostSeconds(), w.timestamp(), w.octetVersion(),
                w.ccVersion(), Timing.WARM); // faster only because its caches were warm
        List<TuningCurve> curves = TuningCurve.of(List.of(flushed, warm));
        assertThat(curves).hasSize(2);
        assertThat(curves).extracting(TuningCurve::timing).containsExactly(Timing.FLUSHED, Timing.WARM);
        assertThat(curves.getFirst().bestSoFarMs()).containsExactly(3);
        assertThat(TuningCurves.caption(curves.get(1), Map.of())).startsWith("w (timed with warm caches): 1 trials");
        assertThat(TuningCurves.caption(curves.getFirst(), Map.of())).startsWith("w: 1 trials");
    }
}
