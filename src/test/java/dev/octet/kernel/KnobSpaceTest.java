package dev.octet.kernel;

import dev.octet.ir.op.nn.EpilogueStep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.codegen.c.CPrinter;
import dev.octet.codegen.c.Headers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every configuration of a template's knob space prints a different program (the tuner searches real choices). */
class KnobSpaceTest {
    private static final ConvWorkload CONV = new ConvWorkload(64, 64, 1, 3, 3, 1, 1, 1, 1, false,
            new Epilogue(List.of(EpilogueStep.BIAS, EpilogueStep.RELU)));
    private static final ConvWorkload DEPTHWISE = new ConvWorkload(32, 32, 32, 3, 3, 2, 2, 1, 1, false,
            Epilogue.none());

    @Test
    void convGemmConfigurationsAreDistinctPrograms() {
        KnobSpace space = ConvGemmTemplate.knobs(CONV);
        assertThat(space.all()).hasSize((int) space.size()).doesNotHaveDuplicates();
        Set<String> programs = new HashSet<>();
        for (Config c : space.all()) {
            programs.add(CPrinter.translationUnit(Headers.standard(), List.of(ConvGemmTemplate.build(CONV, c, "k"))));
        }
        assertThat(programs).hasSize((int) space.size());
        assertThat(space.defaults()).isEqualTo(space.all().get(0));
    }

    @Test
    void depthwiseConfigurationsAreDistinctPrograms() {
        KnobSpace space = DepthwiseTemplate.knobs(DEPTHWISE);
        Set<String> programs = new HashSet<>();
        for (Config c : space.all()) {
            programs.add(CPrinter.translationUnit(Headers.standard(),
                    List.of(DepthwiseTemplate.build(DEPTHWISE, c, "k"))));
        }
        assertThat(programs).hasSize((int) space.size());
    }

    @Test
    void elementwiseAndPoolConfigurationsAreDistinctPrograms() {
        ElementwiseChain chain = new ElementwiseChain(List.of(
                new ElementwiseChain.Binary(ElementwiseChain.Arithmetic.MUL, ElementwiseChain.Operand.CHANNEL, false),
                new ElementwiseChain.HardSwish()));
        List<PoolWorkload> pools = List.of(new PoolWorkload(PoolWorkload.Kind.MAX, 3, 3, 2, 2, 1, 1, false),
                PoolWorkload.global(PoolWorkload.Kind.GLOBAL_AVERAGE));
        Set<String> programs = new HashSet<>();
        KnobSpace space = ElementwiseTemplate.knobs(chain);
        for (Config c : space.all()) {
            programs.add(CPrinter.translationUnit(Headers.standard(),
                    List.of(ElementwiseTemplate.build(chain, c, "k"))));
        }
        assertThat(programs).hasSize((int) space.size());
        for (PoolWorkload w : pools) {
            programs.clear();
            for (Config c : PoolTemplate.knobs(w).all()) {
                programs.add(CPrinter.translationUnit(Headers.standard(), List.of(PoolTemplate.build(w, c, "k"))));
            }
            assertThat(programs).as(w.key()).hasSize((int) PoolTemplate.knobs(w).size());
        }
        assertThat(chain.key()).isEqualTo("eltwise_f32[mul(channel)+hardswish]");
        assertThat(space.defaults().toString()).isEqualTo("elementwise[inner=0,planes=1]");
    }

    @Test
    void configTextIsStableForLogKeys() {
        assertThat(ConvGemmTemplate.knobs(CONV, IsaLevel.X86_64_V3).defaults().toString())
                .isEqualTo("conv_gemm[kc=256,nc=256,order=0,tile=0]");
        assertThat(ConvGemmTemplate.knobs(CONV, IsaLevel.X86_64_V4_VNNI).defaults().toString())
                .isEqualTo("conv_gemm[kc=256,nc=256,order=0,tile=1]");
        assertThat(CONV.key()).isEqualTo("conv2d_f32[c64>64,g1,k3x3,s1x1,d1x1,bias+relu]");
    }
}
