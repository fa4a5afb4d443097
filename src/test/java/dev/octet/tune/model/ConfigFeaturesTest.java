package dev.octet.tune.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.kernel.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Workload numbers come from the key; knobs a template lacks read -1; one schema serves several workloads. */
class ConfigFeaturesTest {
    private static final String CONV = "conv2d_f32[c256>128,g1,k3x3,s1x1,d1x1,pw,bias+relu]";
    private static final String INT8 = "conv2d_u8s8u8[c64>64,g1,k1x1,s2x2,d1x1]";

    @Test
    void workloadNumbersFlagsTemplateAndKnobs() {
        Config gemm = new Config("conv_gemm", Map.of("nc", 512, "kc", 64));
        Config direct = new Config("direct", Map.of("nc", 32, "order", 1));
        ConfigFeatures f = ConfigFeatures.of(List.of(CONV, INT8), List.of(gemm, direct));
        double[] v = f.of(CONV, gemm);
        assertThat(value(f, v, "op=conv2d_f32")).isEqualTo(1);
        assertThat(value(f, v, "op=conv2d_u8s8u8")).isEqualTo(0);
        assertThat(value(f, v, "w.c.0")).isEqualTo(256);
        assertThat(value(f, v, "w.c.1")).isEqualTo(128);
        assertThat(value(f, v, "w.k.1")).isEqualTo(3);
        assertThat(value(f, v, "w:pw")).isEqualTo(1);
        assertThat(value(f, v, "w:bias+relu")).isEqualTo(1);
        assertThat(value(f, v, "template=conv_gemm")).isEqualTo(1);
        assertThat(value(f, v, "template=direct")).isEqualTo(0);
        assertThat(value(f, v, "knob.nc")).isEqualTo(512);
        assertThat(value(f, v, "knob.order")).as("a knob the template lacks").isEqualTo(-1);

        double[] u = f.of(INT8, direct);
        assertThat(value(f, u, "w.s.0")).isEqualTo(2);
        assertThat(value(f, u, "w:pw")).isEqualTo(0);
        assertThat(value(f, u, "knob.kc")).isEqualTo(-1);
        assertThat(value(f, u, "knob.order")).isEqualTo(1);
    }

    @Test
    void anUnseenKeyOrKnobIsIgnoredNotAnError() {
        ConfigFeatures f = ConfigFeatures.of(List.of(CONV), List.of(new Config("t", Map.of("a", 1))));
        double[] v = f.of("matmul_f32[k64,n10]", new Config("u", Map.of("b", 2)));
        assertThat(v).hasSize(f.names().size());
        assertThat(value(f, v, "knob.a")).isEqualTo(-1);
        assertThat(value(f, v, "op=conv2d_f32")).isEqualTo(0);
    }

    private static double value(ConfigFeatures f, double[] v, String name) {
        int i = f.names().indexOf(name);
        assertThat(i).as("feature " + name + " in " + f.names()).isNotNegative();
        return v[i];
    }
}
