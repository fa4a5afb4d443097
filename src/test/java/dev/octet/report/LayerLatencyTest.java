package dev.octet.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A step's description split into template and configuration for the implementation table. */
class LayerLatencyTest {
    private static LayerLatency of(String implementation) {
        return new LayerLatency(0, "n", "Conv", implementation, 1);
    }

    @Test
    void splitsTemplateAndConfiguration() {
        assertThat(of("conv_gemm[kc=256,nc=64,order=0]").template()).isEqualTo("conv_gemm");
        assertThat(of("conv_gemm[kc=256,nc=64,order=0]").config()).isEqualTo("kc=256,nc=64,order=0");
        assertThat(of("conv_gemm[kc=256] on the JVM").config()).isEqualTo("[kc=256] on the JVM");
        assertThat(of("reference Softmax").template()).isEqualTo("reference");
        assertThat(of("reference Softmax").config()).isEqualTo("Softmax");
        assertThat(of("view").template()).isEqualTo("view");
        assertThat(of("view").config()).isEmpty();
    }
}
