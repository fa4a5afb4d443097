package dev.octet.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrtOracleTest {
    @Test
    void runsAModelOnOnnxRuntime(@TempDir Path dir) {
        assertThat(Oracles.onnxRuntimeAvailable()).isTrue();
        try (Oracle ort = Oracles.onnxRuntime(TinyModels.add(dir, "add.onnx", 0, 3), 1)) {
            assertThat(ort.name()).startsWith("ONNX Runtime 1.");
            Map<String, Tensor> out = ort.run(Map.of("x", Tensor.ofFloats(new int[] {2, 3}, 1, 2, 3, 4, 5, -6)));
            assertThat(out.keySet()).containsExactly("y");
            assertThat(out.get("y").dtype()).isEqualTo(DataType.FLOAT);
            assertThat(out.get("y").shape()).containsExactly(2, 3);
            assertThat(out.get("y").floats()).containsExactly(2, 4, 6, 8, 10, -12);
        }
    }

    @Test
    void reportsOnnxRuntimesRefusalsInOneLine(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a model");
        assertThatThrownBy(() -> Oracles.onnxRuntime(junk, 1)).isInstanceOf(OctetException.class)
                .hasMessageContaining("junk.onnx: ONNX Runtime rejects the model");
        try (Oracle ort = Oracles.onnxRuntime(TinyModels.add(dir, "add.onnx", 2), 1)) {
            assertThatThrownBy(() -> ort.run(Map.of("x", Tensor.ofFloats(new int[] {3}, 1, 2, 3))))
                    .isInstanceOf(OctetException.class).hasMessageContaining("ONNX Runtime failed");
        }
    }
}
