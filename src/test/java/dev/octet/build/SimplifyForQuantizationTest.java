package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.zoo.Zoo;
import org.junit.jupiter.api.Test;

class SimplifyForQuantizationTest {
    @Test
    void foldsBatchNormButKeepsStandardOnnxOperators() {
        Graph model = Zoo.get("mobilenetv2").build().graph();
        long convs = model.nodes().stream().filter(n -> n.opType().equals("Conv")).count();
        assertThat(model.nodes()).anyMatch(n -> n.opType().equals("BatchNormalization"));

        Graph simplified = ModelCompiler.simplifyForQuantization(model);
        assertThat(simplified.nodes()).allMatch(n -> n.domain().isEmpty(), "only the default ONNX domain")
                .noneMatch(n -> n.opType().equals("BatchNormalization"));
        assertThat(simplified.nodes().stream().filter(n -> n.opType().equals("Conv")).count()).isEqualTo(convs);
        assertThat(simplified.nodes().stream().map(Node::opType)).contains("Clip", "Add");
        assertThat(ModelCompiler.simplify(model).nodes()).anyMatch(n -> !n.domain().isEmpty());
    }
}
