package dev.octet.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.kernel.Config;
import dev.octet.kernel.Fp16ConvWorkload;
import dev.octet.kernel.KnobSpace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fp16 template against the reference on an awkward shape (odd channel counts that fill no tile, unequal
 * strides, dilations and pads, two images): every loop order, with and without the reduction split, and every
 * tile and unroll value at least once, measured and verified by the worker harness like any tuning candidate.
 */
class Fp16ConvProblemTest {
    static final Fp16ConvWorkload ODD = new Fp16ConvWorkload(5, 19, 3, 2, 2, 1, 1, 2);
    static final ConvGeometry GEOMETRY = new ConvGeometry(2, 9, 11, 1, 2, 0, 1);

    @Test
    void everyLoopOrderAndSplitVerifiesOnAnOddShape() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        Fp16ConvProblem p = new Fp16ConvProblem(ODD, GEOMETRY);
        KnobSpace space = p.spaces().get(0);
        List<Candidate> cands = new ArrayList<>();
        int[] tiles = {16, 64, 8};
        for (int order = 0; order < 5; order++) {
            for (int split = 1; split <= 2; split++) {
                int i = cands.size();
                Config c = new Config(space.template(), Map.of("order", order, "split", split, "oct", tiles[i % 3],
                        "unroll", i % 2));
                assertThat(space.contains(c)).isTrue();
                cands.add(Candidate.template(p, c));
            }
        }
        Measurer measurer = new Measurer(cc, Path.of("target", "test-tune-cache"),
                new Measurer.Settings(0, 1, 120, 30, 2));
        List<Measurement> ms = measurer.measure(p, cands);
        assertThat(ms).hasSize(10).allSatisfy(m -> assertThat(m.error()).as(m.config() + ": " + m.message())
                .isEqualTo(ErrorCode.NO_ERROR));
    }

    @Test
    void inputFamiliesAreFp16ValuesOfTheirRange() {
        java.util.Random r = new java.util.Random(1);
        for (String f : Fp16ConvProblem.FAMILIES) {
            for (short h : Fp16ConvProblem.halfs(f, 1000, r)) {
                float v = Float.float16ToFloat(h);
                assertThat(Float.isFinite(v)).isTrue();
                switch (f) {
                    case "POSITIVE" -> assertThat(v).isBetween(0f, 1f);
                    case "SIGNED" -> assertThat(Math.abs(v)).isLessThanOrEqualTo(1f);
                    case "TINY" -> assertThat(Math.abs(v)).isLessThanOrEqualTo(0x1p-9f);
                    default -> assertThat(Math.abs(v)).isEqualTo(8f);
                }
            }
        }
    }
}
