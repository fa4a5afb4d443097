package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.op.nn.EpilogueStep;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Epilogue;
import dev.octet.kernel.KnobSpace;
import dev.octet.kernel.WinogradTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tuner's fp32 verification of Winograd candidates: the template's F(2×2) and F(4×4) kernels pass, in the
 * worker process, on every input family (F(4×4) is not exact on small integers, so the bound of the template the m
 * knob names is used there too); a kernel whose input transform has one constant off by 1/8 (Bᵀ's 5 printed as
 * 5.125), claiming the F(4×4) configuration, is a wrong answer.
 */
class WinogradVerificationTest {
    private static final ConvWorkload W = new ConvWorkload(32, 40, 1, 3, 3, 1, 1, 1, 1, false,
            new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU)));
    private static final ConvGeometry AT_13 = new ConvGeometry(1, 13, 15, 1, 1, 1, 1);

    @Test
    void templateKernelsVerifyAndAnOffByAnEighthTransformIsAWrongAnswer() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        ConvProblem p = new ConvProblem(W, AT_13);
        KnobSpace space = p.spaces().stream().filter(s -> s.template().equals(WinogradTemplate.NAME)).findFirst()
                .orElseThrow();
        List<Candidate> candidates = new ArrayList<>();
        for (int m : new int[] {4, 2}) {
            candidates.add(Candidate.template(p, space.all().stream().filter(c -> c.get("m") == m).findFirst()
                    .orElseThrow()));
        }
        Candidate right = candidates.get(0);
        String five = "(0x1.4p2f)"; // Bᵀ's 5 as CPrinter spells it; F(4×4)'s Aᵀ has no 5
        assertThat(right.source()).contains(five);
        var tagged = new HashMap<>(right.config().values());
        tagged.put("planted_bt", 1);
        candidates.add(new Candidate(new Config(right.config().template(), tagged),
                right.source().replace(five, "(0x1.48p2f)"), right.function(), right.buffers(), right.scalars(),
                "planted:bt", null));
        Measurer measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                Measurer.Settings.defaults().withRunTimeout(60).withBuildThreads(2));
        List<Measurement> ms = measurer.measure(p, candidates);
        assertThat(ms.get(0).error()).as(ms.get(0).message()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(ms.get(1).error()).as(ms.get(1).message()).isEqualTo(ErrorCode.NO_ERROR);
        assertThat(ms.get(2).error()).isEqualTo(ErrorCode.WRONG_ANSWER);
        assertThat(ms.get(2).message()).contains("exceeds the Winograd bound");
    }
}
