package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.testing.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsAgreementPerOutput() throws Exception {
        Path model = TinyModels.identity(dir, "tiny.onnx", 1, 3, 8, 8);
        CliRun text = CliRun.of("compare", model.toString(), "--against", "ort");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("oracle", "ONNX Runtime 1.", "max_rel", "tolerance", "all 1 outputs agree");
        CliRun json = CliRun.of("compare", model.toString(), "--against", "ort", "--json");
        assertThat(json.exitCode()).isZero();
        JsonNode j = new ObjectMapper().readTree(json.out().strip());
        assertThat(j.get("output").asText()).isEqualTo("x");
        assertThat(j.get("max_abs").asDouble()).isZero();
        assertThat(j.get("max_rel").asDouble()).isZero();
        assertThat(j.get("tolerance").asDouble()).isEqualTo(1e-4);
        assertThat(j.get("agree").asBoolean()).isTrue();
    }

    @Test
    void knowsOnlyOnnxRuntime() {
        Path model = TinyModels.identity(dir, "tiny.onnx", 1, 3);
        CliRun r = CliRun.of("compare", model.toString(), "--against", "tflite");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("the only implementation to compare with is 'ort'");
        assertThat(CliRun.of("compare", model.toString()).exitCode()).isEqualTo(2);
    }
}
