package dev.octet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.octet.kernel.Config;
import dev.octet.tune.ErrorCode;
import dev.octet.tune.TuningRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A layer's tuning from the build's choice and the log: tuned or not, and the log's times on the right target. */
class LayerTuningTest {
    private static final Config DEFAULTS = new Config("conv_gemm", Map.of("kc", 256, "nc", 256));
    private static final Config OTHER = new Config("conv_gemm", Map.of("kc", 128, "nc", 64));

    static TuningRecord record(Config c, String target, double ms, boolean ok) {
        return new TuningRecord("w", target, c, "template", ok ? ms / 1e3 : Double.NaN, ok ? ms / 1e3 : Double.NaN,
                ok ? ErrorCode.NO_ERROR : ErrorCode.values()[1], null, 0.1, 0, "dev", "cc");
    }

    @Test
    void aTunedLayerNamesItsDefaultAndTheLogsTimesOfBothOnTheChosenOnesTarget() {
        List<TuningRecord> log = List.of(record(DEFAULTS, "a", 20, true), record(OTHER, "a", 16, true),
                record(OTHER, "a", 15, true), record(DEFAULTS, "b", 5, true), // another target: not compared
                record(new Config("conv_gemm", Map.of("kc", 64, "nc", 64)), "a", 1, false)); // failed: not counted
        LayerTuning t = LayerTuning.measured(3, "w", OTHER, DEFAULTS, log.stream().filter(TuningRecord::usable)
                .toList());
        assertThat(t.tuned()).isTrue();
        assertThat(t.defaultKept()).isFalse();
        assertThat(t.chosenMs()).isCloseTo(15, within(1e-9));
        assertThat(t.defaultMs()).isCloseTo(20, within(1e-9));
        assertThat(t.configsTried()).isEqualTo(2);
        assertThat(t.defaultConfig()).isEqualTo("kc=256,nc=256");
        assertThat(t.describe()).isEqualTo("default kc=256,nc=256: 20.0 ms → 15.0 ms (1.33x) in the tuning log");
    }

    @Test
    void aDefaultIsKeptOnlyWhereTuningTriedOthersAndAnUntimedDefaultSaysSo() {
        LayerTuning kept = LayerTuning.measured(0, "w", DEFAULTS, DEFAULTS, List.of(record(DEFAULTS, "a", 0.01, true),
                record(OTHER, "a", 0.02, true)));
        assertThat(kept.tuned()).isFalse();
        assertThat(kept.defaultKept()).isTrue();
        assertThat(kept.describe()).isEqualTo("tuned: the default was the fastest of 2 configurations");

        LayerTuning untuned = LayerTuning.measured(0, "w", DEFAULTS, DEFAULTS, List.of(record(DEFAULTS, "a", 1, true)));
        assertThat(untuned.tuned() || untuned.defaultKept()).isFalse();
        assertThat(untuned.describe()).isEmpty();

        // a bundle's recorded choice without the log's default time; another template is named in full
        Config winograd = new Config("conv_winograd", Map.of("tile", 4));
        LayerTuning replayed = LayerTuning.measured(0, "w", winograd, DEFAULTS, List.of(record(winograd, "a", 0.0004,
                true)));
        assertThat(replayed.tuned()).isTrue();
        assertThat(replayed.describe()).isEqualTo("default conv_gemm[kc=256,nc=256]: tuned 0.40 µs, the default not "
                + "timed in the tuning log");
        assertThat(LayerTuning.measured(0, "w", winograd, DEFAULTS, List.of()).times()).isEmpty();
    }
}
