package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.Int8ConvTemplate;
import dev.octet.kernel.Int8ConvWorkload;
import dev.octet.kernel.Int8DepthwiseTemplate;
import dev.octet.kernel.Int8DirectConvTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measurement in isolation with verification in the loop: real template configurations measure and verify;
 * planted candidates that crash, trap, hang, do not compile, or compute a wrong value are recorded with their error
 * code, and the session (this JVM) goes on.
 */
class MeasurerTest {
    private static CCompiler cc;
    private static Measurer measurer;

    @BeforeAll
    static void setUp() {
        cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                Measurer.Settings.defaults().withRunTimeout(5).withBuildThreads(2));
    }

    static ConvProblem smallConv() {
        ConvWorkload w = new ConvWorkload(8, 20, 1, 3, 3, 1, 1, 1, 1, false,
                new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU)));
        return new ConvProblem(w, new ConvGeometry(1, 11, 9, 1, 1, 1, 1));
    }

    static Int8ConvProblem smallInt8Conv() {
        Int8ConvWorkload w = new Int8ConvWorkload(12, 10, 1, 3, 3, 1, 1, 1, 1, false, false, true);
        return new Int8ConvProblem(w, new ConvGeometry(1, 9, 13, 1, 1, 1, 1));
    }

    @Test
    void templateConfigurationsMeasureAndVerify() {
        ConvProblem p = smallConv();
        List<Candidate> cands = new ArrayList<>();
        for (var space : p.spaces()) {
            cands.add(Candidate.template(p, space.defaults()));
            cands.add(Candidate.template(p, space.all().get(space.all().size() - 1)));
        }
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms).allSatisfy(m -> {
            assertThat(m.error()).as(m.config() + ": " + m.message()).isEqualTo(ErrorCode.NO_ERROR);
            assertThat(m.minSeconds()).isPositive().isLessThanOrEqualTo(m.medianSeconds());
        });
    }

    @Test
    void misbehavingCandidatesBecomeRecordsAndTheSessionGoesOn() {
        ConvProblem p = smallConv();
        Config base = p.spaces().get(0).defaults();
        List<Candidate> cands = List.of(Planted.crashing(p, base), Planted.aborting(p, base), Planted.hanging(p, base),
                Planted.notCompiling(p, base), Planted.offByOne(p, base, "out"), Planted.skipsLastItem(p, base),
                Candidate.template(p, new Config(base.template(), java.util.Map.of("nc", 3))),
                Candidate.template(p, base));
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms).extracting(Measurement::error).containsExactly(ErrorCode.RUNTIME_ERROR,
                ErrorCode.RUNTIME_ERROR, ErrorCode.RUN_TIMEOUT, ErrorCode.COMPILE_ERROR, ErrorCode.WRONG_ANSWER,
                ErrorCode.WRONG_ANSWER, ErrorCode.INSTANTIATION_ERROR, ErrorCode.NO_ERROR);
        assertThat(ms.get(0).message()).contains("signal 11");
        assertThat(ms.get(5).message()).contains("NaN");
        assertThat(ms).allSatisfy(m -> assertThat(m.ok() == Double.isFinite(m.minSeconds())).isTrue());
    }

    /**
     * An fp32 kernel whose results keep 12 of their 24 significand bits (as an fp16-like accumulation would): each
     * output is off by at most 2^-12 relative, small enough to pass a loose tolerance, far beyond the bound.
     */
    @Test
    void anFp32KernelThatLosesPrecisionIsAWrongAnswer() {
        ConvProblem p = smallConv();
        Config base = p.spaces().get(0).defaults();
        Candidate truncating = Planted.around(p, base, "truncate12", """
                REAL;
                if (begin == 0) {
                    for (int64_t i = 0; i < 20 * OH * OW; i++) {
                        union { float f; uint32_t u; } v = {out[i]};
                        v.u &= 0xfffff000u;
                        out[i] = v.f;
                    }
                }""");
        List<Measurement> ms = measurer.measure(p, List.of(truncating, Candidate.template(p, base)));
        assertThat(ms.get(0).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
        assertThat(ms.get(0).message()).contains("RANDOM inputs", "exceeds the bound");
        assertThat(ms.get(1).error()).isEqualTo(ErrorCode.NO_ERROR);
    }

    @Test
    void aConfirmationReMeasuresBothConfigurationsAndRefusesOneThatFails() {
        ConvProblem p = smallConv();
        var gemm = p.spaces().get(0);
        Config a = gemm.defaults();
        Config b = gemm.all().get(gemm.all().size() - 1);
        Confirmation c = Confirmation.of(measurer, p, a, b, 2);
        assertThat(c).isNotNull();
        assertThat(c.rounds()).isEqualTo(2);
        assertThat(c.baselineSeconds()).isPositive();
        assertThat(c.bestSeconds()).isPositive();
        assertThat(c.noise()).isNotNegative();
        assertThat(Confirmation.of(measurer, p, a, new Config(a.template(), java.util.Map.of("nc", 5)), 1)).isNull();
    }

    @Test
    void int8IsJudgedBitForBit() {
        Int8ConvProblem p = smallInt8Conv();
        List<Candidate> cands = new ArrayList<>();
        for (Config c : p.spaces().get(0).all().subList(0, 4)) {
            cands.add(Candidate.template(p, c));
        }
        Config base = p.spaces().get(0).defaults();
        cands.add(Planted.offByOne(p, base, "out"));
        cands.add(Planted.skipsLastItem(p, base));
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms.subList(0, 4)).allSatisfy(m -> assertThat(m.error()).as(m.config() + ": " + m.message())
                .isEqualTo(ErrorCode.NO_ERROR));
        assertThat(ms.get(4).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
        assertThat(ms.get(4).message()).contains("bit-exact");
        assertThat(ms.get(5).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
    }

    /**
     * A convolution with its residual add fused offers only the GEMM template (the only one with the residual stage);
     * its configurations verify bit for bit against octet.QLinearConvAdd's reference, and a planted error does not.
     */
    @Test
    void int8ResidualIsJudgedBitForBitAgainstTheFusedReference() {
        Int8ConvWorkload w = new Int8ConvWorkload(12, 10, 1, 3, 3, 1, 1, 1, 1, false, false, true, true);
        Int8ConvProblem p = new Int8ConvProblem(w, new ConvGeometry(2, 9, 13, 1, 1, 1, 1));
        assertThat(p.spaces()).extracting(s -> s.template()).containsExactly(Int8ConvTemplate.NAME);
        List<Candidate> cands = new ArrayList<>();
        for (int variant : new int[] {Int8ConvTemplate.MADDUBS, Int8ConvTemplate.WIDEN}) {
            cands.add(Candidate.template(p, p.spaces().get(0).all().stream().filter(c -> c.get("variant") == variant)
                    .findFirst().orElseThrow()));
        }
        cands.add(Planted.offByOne(p, cands.get(1).config(), "out"));
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms.subList(0, 2)).allSatisfy(m -> assertThat(m.error()).as(m.config() + ": " + m.message())
                .isEqualTo(ErrorCode.NO_ERROR));
        assertThat(ms.get(2).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
    }

    /** A depthwise int8 convolution offers both templates; each one's configurations verify bit for bit. */
    @Test
    void int8DepthwiseMeasuresBothTemplates() {
        Int8ConvWorkload w = new Int8ConvWorkload(6, 6, 6, 3, 3, 2, 2, 1, 1, false, false, false);
        Int8ConvProblem p = new Int8ConvProblem(w, new ConvGeometry(2, 11, 14, 1, 1, 1, 1));
        assertThat(p.spaces()).extracting(s -> s.defaults().template())
                .containsExactly(Int8DepthwiseTemplate.NAME, Int8ConvTemplate.NAME);
        List<Candidate> cands = new ArrayList<>();
        for (var space : p.spaces()) {
            cands.add(Candidate.template(p, space.defaults()));
            cands.add(Candidate.template(p, space.all().get(space.all().size() - 1)));
        }
        cands.add(Planted.offByOne(p, p.spaces().get(0).defaults(), "out"));
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms.subList(0, 4)).allSatisfy(m -> assertThat(m.error()).as(m.config() + ": " + m.message())
                .isEqualTo(ErrorCode.NO_ERROR));
        assertThat(ms.get(4).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
    }

    /** An ungrouped int8 convolution also offers the direct NCHW4c template, last; its configurations verify. */
    @Test
    void int8DirectConvMeasuresAndVerifies() {
        Int8ConvProblem p = smallInt8Conv();
        var direct = p.spaces().stream().filter(s -> s.template().equals(Int8DirectConvTemplate.NAME)).findFirst()
                .orElseThrow();
        List<Candidate> cands = new ArrayList<>(List.of(Candidate.template(p, direct.defaults()),
                Candidate.template(p, direct.all().get(direct.all().size() - 1))));
        cands.add(Planted.offByOne(p, direct.defaults(), "out"));
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms.subList(0, 2)).allSatisfy(m -> assertThat(m.error()).as(m.config() + ": " + m.message())
                .isEqualTo(ErrorCode.NO_ERROR));
        assertThat(ms.get(2).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
    }
}
