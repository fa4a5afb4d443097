package dev.octet.kernel;

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
            new Epilogue(List.of(new Epilogue.Bias(), new Epilogue.Relu())));
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
    void configTextIsStableForLogKeys() {
        assertThat(ConvGemmTemplate.knobs(CONV).defaults().toString()).isEqualTo("conv_gemm[kc=256,nc=256,order=0]");
        assertThat(CONV.key()).isEqualTo("conv2d_f32[c64>64,g1,k3x3,s1x1,d1x1,bias+relu]");
    }
}
