package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import dev.octet.ir.OctetException;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.loop.LoopKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reviewer's kernels from a folder: a fast kernel that computes nothing is recorded as a wrong answer and never
 * picked; a correct copy of the template's kernel is measured and verified, yet a build never applies it (only
 * template configurations are built).
 */
class ExternalCandidatesTest {
    @TempDir
    Path dir;

    @Test
    void aPlantedFastWrongKernelIsCaughtAndNeverPicked() throws Exception {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        ConvProblem p = MeasurerTest.smallConv();
        TuningTask task = new TuningTask(p, Target.current(), 1);
        Config claimed = task.defaults();
        Files.writeString(dir.resolve("fast.c"), """
                #include <stdint.h>
                /* Fast: writes zeros over the output and computes nothing. */
                void fast_conv(const float *in, const float *w, const float *bias, float *out, int64_t H, int64_t W,
                        int64_t OH, int64_t OW, int64_t PT, int64_t PL, int64_t begin, int64_t end) {
                    if (begin == 0) for (int64_t i = 0; i < 20 * OH * OW; i++) out[i] = 0.0f;
                }
                """);
        LoopKernel copy = p.kernel(claimed, "copied_conv");
        Files.writeString(dir.resolve("copy.c"), CPrinter.translationUnit(Headers.standard(), List.of(copy)));
        String knobs = TuningLog.JSON.writeValueAsString(claimed.values());
        Files.writeString(dir.resolve("manifest.json"), """
                {"candidates": [
                  {"file": "fast.c", "function": "fast_conv", "workload": "%s", "template": "%s", "knobs": %s},
                  {"file": "copy.c", "function": "copied_conv", "workload": "%s", "template": "%s", "knobs": %s},
                  {"file": "fast.c", "function": "fast_conv", "workload": "some other workload", "template": "x",
                   "knobs": {}}
                ]}""".formatted(p.key(), claimed.template(), knobs, p.key(), claimed.template(), knobs));
        Map<String, List<Candidate>> extras = ExternalCandidates.load(dir, List.of(task));
        assertThat(extras.get(p.key())).hasSize(2);

        Measurer measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                Measurer.Settings.defaults().withRunTimeout(10).withBuildThreads(2));
        Path file = dir.resolve("log.jsonl");
        TuningSession.Result result;
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            result = new TuningSession(measurer, log, cc.version(), List.of(), 4).tune(task, "grid", 4, 1,
                    extras.get(p.key()), null);
        }
        List<TuningRecord> records = TuningLog.read(file, w -> { });
        TuningRecord fast = records.stream().filter(r -> r.origin().endsWith("fast.c")).findFirst().orElseThrow();
        TuningRecord copied = records.stream().filter(r -> r.origin().endsWith("copy.c")).findFirst().orElseThrow();
        assertThat(fast.error()).isEqualTo(ErrorCode.WRONG_ANSWER);
        assertThat(fast.message()).contains("reference");
        assertThat(copied.error()).as(copied.message()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(BestRecords.list(records)).noneMatch(r -> r.origin().endsWith("fast.c"));
        assertThat(result.best().origin()).doesNotEndWith("fast.c");
        Config built = new TunedConfigs(records, Target.current())
                .choose(new ConfigChooser.Request(p.key(), p.workload(), p.spaces()));
        assertThat(built.values()).doesNotContainKey("external");
    }

    @Test
    void aClaimOfAConfigurationNoTemplateHasIsOneClearError() throws Exception {
        ConvProblem p = MeasurerTest.smallConv();
        Files.writeString(dir.resolve("manifest.json"), """
                {"candidates": [{"file": "k.c", "function": "k", "workload": "%s", "template": "conv_gemm",
                  "knobs": {"nc": 7}}]}""".formatted(p.key()));
        assertThatThrownBy(() -> ExternalCandidates.load(dir, List.of(new TuningTask(p, Target.current(), 1))))
                .isInstanceOf(OctetException.class).hasMessageContaining("candidate 0")
                .hasMessageContaining("not a configuration of a template valid for");
    }
}
