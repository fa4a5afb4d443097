package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.testing.TestData;
import org.junit.jupiter.api.Test;

/** `octet bench --json` reports both medians, their ratio and the agreement; it never asserts on speed. */
class BenchCommandTest {
    @Test
    void reportsMediansRatioAndAgreementAsJson() throws Exception {
        String model = TestData.blazeface("face_detection_front_128x128_barracuda.onnx").toString();
        CliRun r = CliRun.of("bench", model, "--input", "random", "--runs", "2", "--warmup", "1", "--warmup-seconds",
                "0.2", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("warmup_runs").asInt()).isGreaterThanOrEqualTo(1);
        for (String key : new String[] {"octet_ms", "ort_ms", "ratio", "max_rel_err"}) {
            assertThat(j.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(j.get("ratio").asDouble()).isCloseTo(j.get("ort_ms").asDouble() / j.get("octet_ms").asDouble(),
                org.assertj.core.data.Percentage.withPercentage(1e-6));
        assertThat(j.get("max_rel_err").asDouble()).isLessThan(1e-4);
    }

    @Test
    void anUnknownRivalIsAOneLineError() {
        String model = TestData.blazeface("face_detection_front_128x128_barracuda.onnx").toString();
        CliRun r = CliRun.of("bench", model, "--vs", "tvm");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("octet: error: ").contains("--vs tvm").doesNotContain("Exception");
    }
}
