package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Fp16ConvWorkload;
import dev.octet.kernel.KnobSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression test of Apache TVM's fp16 bug (issue 6, 7(b); DESIGN.md invariant 3): a MetaSchedule-tuned fp16
 * conv2d whose loop reorder changed its results. The historical shape (input 1×230×230×3 NHWC, 7×7×3×64 kernel,
 * stride 2, output 112×112×64: ResNet's stem on a pre-padded image) is tuned through the real session and worker
 * with every loop order of the fp16 template, with and without a reduction split: each order sums in another
 * order, and each verifies within the bound built on the fp32 accumulator. A reviewer plants, as an external
 * candidate claiming the default configuration, the same nest with a {@code _Float16} accumulator, made the fastest
 * by construction (called again on the same buffers, as the timed repeats do, it does nothing: a stand-in for the
 * speed of native fp16 arithmetic). Unverified it wins; verified it is logged as a wrong answer, and neither the
 * log's best records ({@code octet log best}) nor a build's chooser ever picks it.
 */
class Fp16ReorderRegressionTest {
    static final Fp16ConvWorkload STEM = new Fp16ConvWorkload(3, 64, 7, 7, 2, 2, 1, 1);
    static final ConvGeometry PRE_PADDED_230 = new ConvGeometry(1, 230, 230, 0, 0, 0, 0);

    @TempDir
    Path dir;

    @Test
    void loopReordersStayWithinTheBoundAndAnFp16AccumulatorIsRejected() throws IOException {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        Fp16ConvProblem p = new Fp16ConvProblem(STEM, PRE_PADDED_230);
        assertThat(p.geometry()).isEqualTo("1x3x230x230 pads 0,0,0,0");
        Map<String, Double> worst = new ConcurrentHashMap<>();
        Map<Config, byte[]> positive = new ConcurrentHashMap<>();
        Problem observed = observed(p, worst, positive);
        TuningTask task = new TuningTask(observed, Target.current(), 1);
        Config claimed = task.defaults();
        Files.writeString(dir.resolve("f16acc.c"), FP16_ACCUMULATOR);
        Files.writeString(dir.resolve("manifest.json"), """
                {"candidates": [{"file": "f16acc.c", "function": "planted_f16acc", "workload": "%s",
                                 "template": "%s", "knobs": %s}]}"""
                .formatted(p.key(), claimed.template(), TuningLog.JSON.writeValueAsString(claimed.values())));
        List<Candidate> planted = ExternalCandidates.load(dir, List.of(task)).get(p.key());
        assertThat(planted).hasSize(1);
        Measurer measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                new Measurer.Settings(0, 2, 120, 60, 2));

        // Without verification, the fp16 accumulator is the fastest: a tuner without a check would pick it.
        List<Measurement> unchecked = measurer.measure(ForwardingProblem.unverified(p),
                List.of(planted.get(0), Candidate.template(p, claimed)));
        assertThat(unchecked).allSatisfy(m -> assertThat(m.ok()).as(m.message()).isTrue());
        assertThat(unchecked.get(0).minSeconds()).isLessThan(unchecked.get(1).minSeconds());

        // The tuner, verification in the loop: the default (order 0), the planted kernel and orders 1-4.
        KnobSpace space = p.spaces().get(0);
        List<Candidate> extras = new ArrayList<>(planted);
        for (int order = 1; order <= 4; order++) {
            extras.add(Candidate.template(p, new Config(space.template(), Map.of("order", order,
                    "split", 1 + order % 2, "oct", order == 1 ? 8 : 64, "unroll", order % 2))));
        }
        Path file = dir.resolve("log.jsonl");
        TuningSession.Result result;
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            result = new TuningSession(measurer, log, cc.version(), List.of(), 6).tune(task, "grid", 6, 1, extras,
                    null);
        }
        List<TuningRecord> records = TuningLog.read(file, w -> { });
        assertThat(records).hasSize(6);
        TuningRecord wrong = records.stream().filter(r -> r.origin().endsWith("f16acc.c")).findFirst().orElseThrow();
        assertThat(wrong.error()).isEqualTo(ErrorCode.WRONG_ANSWER);
        assertThat(wrong.message()).startsWith("POSITIVE inputs").contains("exceeds the bound");
        assertThat(wrong.usable()).isFalse();
        List<TuningRecord> templates = records.stream().filter(r -> r.origin().equals("template")).toList();
        assertThat(templates).hasSize(5).allSatisfy(r -> assertThat(r.error()).as(r.config() + ": " + r.message())
                .isEqualTo(ErrorCode.NO_ERROR));
        assertThat(templates.stream().map(r -> r.config().get("order")).distinct()).hasSize(5);
        for (TuningRecord r : templates) {
            for (String family : Fp16ConvProblem.FAMILIES) {
                assertThat(worst.get(r.config() + " " + family)).as(r.config() + " " + family).isLessThanOrEqualTo(1);
            }
        }
        assertThat(worst.get(wrong.config() + " POSITIVE")).isGreaterThan(1);
        // The reorders did change the results (other summation orders, other fp16 roundings), within the bound.
        Map<Config, Integer> changed = new java.util.LinkedHashMap<>();
        templates.forEach(r -> changed.put(r.config(), differing(positive.get(claimed), positive.get(r.config()))));
        assertThat(changed.values()).anyMatch(n -> n > 0);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.best().origin()).isEqualTo("template");
        // What `octet log best` keeps, and what a build applies: a verified template configuration.
        assertThat(BestRecords.list(records)).hasSize(1).allSatisfy(r -> {
            assertThat(r.origin()).isEqualTo("template");
            assertThat(r.usable()).isTrue();
        });
        Config built = new TunedConfigs(records, Target.current())
                .choose(new ConfigChooser.Request(p.key(), p.workload(), p.spaces()));
        assertThat(built.values()).doesNotContainKey("external");
        assertThat(space.contains(built)).isTrue();
        worst.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf("error/bound %-70s %.4f%n", e.getKey(), e.getValue()));
        records.forEach(r -> System.out.printf("%-60s %-14s %8.2f ms, %s POSITIVE outputs differ from the default%n",
                r.config(), r.error(), r.minSeconds() * 1e3, changed.get(r.config())));
    }

    /** How many fp16 outputs differ between two output buffers. */
    private static int differing(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i + 1 < a.length; i += 2) {
            n += a[i] != b[i] || a[i + 1] != b[i + 1] ? 1 : 0;
        }
        return n;
    }

    /**
     * The task with every judge's worst error / bound recorded per configuration and family, and the outputs of the
     * POSITIVE family kept; verdicts unchanged.
     */
    private static Problem observed(Fp16ConvProblem p, Map<String, Double> worst, Map<Config, byte[]> positive) {
        return new ForwardingProblem(p) {
            @Override
            public List<Run> runs(Config c) {
                return p.runs(c).stream().map(r -> new Run(r.family(), r.args(), r.scalars(), r.range(), outputs -> {
                    worst.put(c + " " + r.family(), p.worstRatio(r.family(), outputs.get(0)));
                    if (r.family().equals("POSITIVE")) {
                        positive.put(c, outputs.get(0));
                    }
                    return r.judge().check(outputs);
                })).toList();
            }
        };
    }

    /**
     * The planted kernel, with the template's calling convention: the channel-inner nest of order 0 for the whole
     * 64-channel tile, its accumulators {@code _Float16}, so that each addition rounds to fp16 (C evaluates
     * {@code acc + x·w} in float and rounds at the assignment). Called again on the same buffers and rows, it
     * returns at once.
     */
    static final String FP16_ACCUMULATOR = """
            void planted_f16acc(const _Float16 *in, const _Float16 *w, _Float16 *out, int64_t H, int64_t W,
                    int64_t OH, int64_t OW, int64_t PT, int64_t PL, int64_t begin, int64_t end) {
                static const void *done_in, *done_out;
                static int64_t done_begin = -1, done_end = -1;
                if (in == done_in && out == done_out && begin == done_begin && end == done_end) return;
                for (int64_t idx = begin; idx < end; idx++) {
                    const int64_t b = idx / OH, oy = idx % OH;
                    for (int64_t ox = 0; ox < OW; ox++) {
                        _Float16 acc[64] = {0};
                        for (int64_t kh = 0; kh < 7; kh++) {
                            const int64_t iy = oy * 2 - PT + kh;
                            if (iy < 0 || iy >= H) continue;
                            for (int64_t kw = 0; kw < 7; kw++) {
                                const int64_t ix = ox * 2 - PL + kw;
                                if (ix < 0 || ix >= W) continue;
                                for (int64_t ci = 0; ci < 3; ci++) {
                                    const _Float16 x = in[((b * H + iy) * W + ix) * 3 + ci];
                                    for (int64_t o = 0; o < 64; o++) acc[o] = acc[o] + x * w[((kh * 7 + kw) * 3 + ci) * 64 + o];
                                }
                            }
                        }
                        for (int64_t o = 0; o < 64; o++) out[((b * OH + oy) * OW + ox) * 64 + o] = acc[o];
                    }
                }
                done_in = in; done_out = out; done_begin = begin; done_end = end;
            }
            """;
}
