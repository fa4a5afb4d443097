package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.Headers;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Int8ConvWorkload;
import dev.octet.kernel.Int8WinogradTemplate;
import dev.octet.kernel.KnobSpace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression test of Apache TVM's int8 Winograd bug (issue 6, 7(a); DESIGN.md invariant 3): into the int8 task
 * of ResNet-50's res3 3×3 convolution (128→128 at 28×28, pad 1) a reviewer plants, as external candidates claiming
 * the Winograd template's configuration, two subtly wrong int8 Winograd kernels: one stores the transformed inputs
 * saturated to int8 (|V| reaches 4·255), one uses the fractional G with the transformed weights rounded to
 * integers (and no division by 4). Both are made the fastest by construction: called again on the same buffers
 * (the timed repeats) they do nothing, a stand-in for a faster instruction sequence. Measured without
 * verification, as a tuner without a correctness check would, they are the fastest of all; measured by the tuner,
 * each is logged as a wrong answer, and neither the log's best records nor a build's chooser ever picks them,
 * while the exact Winograd template verifies.
 */
class WrongWinogradRegressionTest {
    /** res3's 3×3 convolution of ResNet-50, 8-bit weights (their pairs may exceed the vpmaddubsw bound). */
    static final Int8ConvWorkload RES3 = new Int8ConvWorkload(128, 128, 1, 3, 3, 1, 1, 1, 1, false, false, false);
    static final ConvGeometry AT_28 = new ConvGeometry(1, 28, 28, 1, 1, 1, 1);

    @TempDir
    Path dir;

    @Test
    void fastWrongWinogradKernelsAreLoggedAsWrongAnswersAndNeverChosen() throws IOException {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        Int8ConvProblem p = new Int8ConvProblem(RES3, AT_28);
        TuningTask task = new TuningTask(p, Target.current(), 1);
        KnobSpace winograd = p.spaces().stream().filter(s -> s.template().equals(Int8WinogradTemplate.NAME))
                .findFirst().orElseThrow();
        Config claimed = winograd.defaults();
        Files.writeString(dir.resolve("saturated.c"), planted("sat", claimed, saturatedInputs()));
        Files.writeString(dir.resolve("rounded.c"), planted("rnd", claimed, roundedFractionalG()));
        String knobs = TuningLog.JSON.writeValueAsString(claimed.values());
        Files.writeString(dir.resolve("manifest.json"), """
                {"candidates": [
                  {"file": "saturated.c", "function": "planted_sat", "workload": "%1$s", "template": "%2$s",
                   "knobs": %3$s},
                  {"file": "rounded.c", "function": "planted_rnd", "workload": "%1$s", "template": "%2$s",
                   "knobs": %3$s}
                ]}""".formatted(p.key(), claimed.template(), knobs));
        List<Candidate> planted = ExternalCandidates.load(dir, List.of(task)).get(p.key());
        assertThat(planted).hasSize(2);

        Measurer measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                Measurer.Settings.defaults().withRunTimeout(60).withBuildThreads(2));
        // Without verification (every judge says "right"), the planted kernels are the fastest of all.
        List<Candidate> all = new ArrayList<>(planted);
        all.add(Candidate.template(p, task.defaults()));
        all.add(Candidate.template(p, claimed));
        List<Measurement> unchecked = measurer.measure(ForwardingProblem.unverified(p), all);
        assertThat(unchecked).allSatisfy(m -> assertThat(m.error()).as(m.origin() + " " + m.message())
                .isEqualTo(ErrorCode.NO_ERROR));
        double fastestTemplate = Math.min(unchecked.get(2).minSeconds(), unchecked.get(3).minSeconds());
        assertThat(unchecked.get(0).minSeconds()).isLessThan(fastestTemplate);
        assertThat(unchecked.get(1).minSeconds()).isLessThan(fastestTemplate);

        // Control: the same harness with no patch (a faithful copy of the header) is right, so the planted
        // kernels are wrong by their defects alone.
        Files.writeString(dir.resolve("faithful.c"), planted("copy", claimed, Map.of()));
        Candidate faithful = new Candidate(new Config(claimed.template(), Map.of("tiles", claimed.get("tiles"),
                "cob", claimed.get("cob"), "control", 1)), "#include \"octet_runtime.h\"\n"
                + Files.readString(dir.resolve("faithful.c")), "planted_copy", 5, 10, "faithful.c", null);
        Measurement control = measurer.measure(p, List.of(faithful)).get(0);
        assertThat(control.error()).as(control.message()).isEqualTo(ErrorCode.NO_ERROR);

        // The tuner, verification in the loop: the default, both planted kernels and the exact Winograd template.
        Path file = dir.resolve("log.jsonl");
        List<Candidate> extras = new ArrayList<>(planted);
        extras.add(Candidate.template(p, claimed));
        TuningSession.Result result;
        try (TuningLog log = TuningLog.append(file, w -> { })) {
            result = new TuningSession(measurer, log, cc.version(), List.of(), 4).tune(task, "random", 4, 1, extras,
                    null);
        }
        List<TuningRecord> records = TuningLog.read(file, w -> { });
        assertThat(records).hasSize(4);
        for (String origin : List.of("saturated.c", "rounded.c")) {
            TuningRecord r = records.stream().filter(x -> x.origin().endsWith(origin)).findFirst().orElseThrow();
            assertThat(r.error()).as(origin).isEqualTo(ErrorCode.WRONG_ANSWER);
            assertThat(r.message()).as(origin).contains("bit-exact");
            assertThat(r.usable()).isFalse();
        }
        TuningRecord exact = records.stream().filter(r -> r.origin().equals("template")
                && r.config().equals(claimed)).findFirst().orElseThrow();
        assertThat(exact.error()).as(exact.message()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(result.failed()).isEqualTo(2);
        assertThat(result.best().origin()).isEqualTo("template");
        assertThat(BestRecords.list(records)).hasSize(1).allMatch(r -> r.origin().equals("template"));
        Config built = new TunedConfigs(records, Target.current())
                .choose(new ConfigChooser.Request(p.key(), p.workload(), p.spaces()));
        assertThat(built.values()).doesNotContainKey("external");
        assertThat(p.spaces().stream().anyMatch(s -> s.contains(built))).isTrue();
    }

    /** Transformed inputs stored saturated to int8 instead of int16. */
    private static Map<String, String> saturatedInputs() {
        String saturate = "_mm256_max_epi16(_mm256_min_epi16(%1$s[pos], _mm256_set1_epi16(127)),"
                + " _mm256_set1_epi16(-128))";
        return Map.of("const __m256i lo = _mm256_unpacklo_epi16(a[pos], b[pos]);",
                "a[pos] = " + saturate.formatted("a") + "; b[pos] = " + saturate.formatted("b") + ";"
                        + " const __m256i lo = _mm256_unpacklo_epi16(a[pos], b[pos]);");
    }

    /**
     * The fractional G (entries ½): G w Gᵀ = U/4 rounded half to even to integers, and the output transform taken as
     * Y itself (no division by 4).
     */
    private static Map<String, String> roundedFractionalG() {
        return Map.of(
                "const int16_t *w = u + p * 8;",
                "int16_t h[8]; for (int k = 0; k < 8; k++) { int q = u[p * 8 + k] >> 2, r = u[p * 8 + k] & 3;"
                        + " h[k] = (int16_t) (q + (r > 2 || (r == 2 && (q & 1)))); } const int16_t *w = h;",
                "_mm256_srai_epi32(y0, 2)", "_mm256_srai_epi32(y0, 0)",
                "_mm256_srai_epi32(y1, 2)", "_mm256_srai_epi32(y1, 0)");
    }

    /**
     * A C file with the Winograd template's calling convention for the claimed configuration: a renamed copy of
     * {@code octet_qwino.h} with the patches applied (each must match, so a change of the header fails loudly),
     * and an entry that walks the work items as the template's kernel does, or does nothing when called again on
     * the same buffers and range.
     */
    private static String planted(String tag, Config c, Map<String, String> patches) throws IOException {
        String header;
        try (InputStream in = Headers.class.getResourceAsStream("include/octet_qwino.h")) {
            header = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String prefix = "planted_" + tag + "_";
        header = header.replace("octet_qwino_", prefix).replace("OCTET_QWINO", prefix.toUpperCase());
        for (var e : patches.entrySet()) {
            assertThat(header).as("patch target").contains(e.getKey());
            header = header.replace(e.getKey(), e.getValue());
        }
        int tiles = c.get("tiles");
        int cob = c.get("cob");
        return header + """

                void planted_%1$s(const uint8_t *in, const int16_t *w, const int32_t *bias, const float *mult,
                        uint8_t *out, int64_t H, int64_t W, int64_t OH, int64_t OW, int64_t PT, int64_t PL,
                        int64_t ZX, int64_t ZY, int64_t LO, int64_t HI, int64_t begin, int64_t end) {
                    static const void *done_in, *done_out;
                    static int64_t done_begin = -1, done_end = -1;
                    if (in == done_in && out == done_out && begin == done_begin && end == done_end) return;
                    static int16_t v[16 * %3$d * (%4$d + 16) * 2];
                    static int32_t m[16 * %5$d * %4$d];
                    const int64_t NT = (OH + 1) / 2 * ((OW + 1) / 2);
                    const int64_t NB = (NT + %4$d - 1) / %4$d;
                    for (int64_t idx = begin; idx < end; idx++) {
                        const int64_t b = idx / NB, t0 = idx %% NB * %4$d;
                        const int64_t tlen = %4$d < NT - t0 ? %4$d : NT - t0;
                        %2$sblock(in + b * %6$d * H * W, w, bias, mult, out + b * %7$d * OH * OW, %6$d, %7$d, H, W,
                                OH, OW, PT, PL, ZX, ZY, LO, HI, t0, tlen, %4$d, %5$d, v, m);
                    }
                    done_in = in; done_out = out; done_begin = begin; done_end = end;
                }
                """.formatted(tag, prefix, (RES3.inChannels() + 1) / 2, tiles, cob, RES3.inChannels(),
                RES3.outChannels());
    }
}
