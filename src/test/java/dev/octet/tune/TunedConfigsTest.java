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
}
