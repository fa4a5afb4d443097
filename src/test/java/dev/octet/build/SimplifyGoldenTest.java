package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Graph;
import dev.octet.ir.GraphPrinter;
import dev.octet.testing.TestData;
import dev.octet.zoo.MobileNetV2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The graph the compiler lowers, for a float model (no QuantizeLinear/DequantizeLinear): golden text, so that a
 * pass added to {@link ModelCompiler#simplify} for other graphs (the int8 fusions) shows here if it changes a float
 * one. Rewrite with {@code -Doctet.golden.update=true} and review the diff.
 */
class SimplifyGoldenTest {
    @Test
    void aFloatModelSimplifiesToTheGoldenGraph() throws IOException {
        Graph simplified = ModelCompiler.simplify(MobileNetV2.build(1).graph());
        String actual = GraphPrinter.print(simplified, simplified.valueTypes());
        Path golden = TestData.repoRoot().resolve("src/test/resources/golden/build/simplify_mobilenetv2.txt");
        if (Boolean.getBoolean("octet.golden.update")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(golden));
    }
}
