package dev.octet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each architecture has the reference's parameter count, operator counts and output shape. */
class ZooTest {
    /** torchvision's num_params from its model docs (Inception-v3: 27,161,264 less the auxiliary head). */
    private static final Map<String, Long> TORCHVISION_PARAMS = Map.of(
            "resnet50", 25_557_032L,
            "vgg16", 138_357_544L,
            "inceptionv3", 23_834_568L,
            "mobilenetv2", 3_504_872L);

    private static final Map<String, Map<String, Integer>> OP_COUNTS = Map.of(
            // 53 convolutions (1 stem + 16 bottlenecks x 3 + 4 projections), ReLU after the stem and twice
            // inside and once after each of the 16 blocks.
            "resnet50", Map.of("Conv", 53, "BatchNormalization", 53, "Relu", 49, "Add", 16, "MaxPool", 1,
                    "GlobalAveragePool", 1, "Flatten", 1, "Gemm", 1),
            "vgg16", Map.of("Conv", 13, "Relu", 15, "MaxPool", 5, "Flatten", 1, "Gemm", 3),
            // 94 BasicConv2d; average pools in A (3), C (4) and E (2); concats: one per block plus E's two inner.
            "inceptionv3", Map.of("Conv", 94, "BatchNormalization", 94, "Relu", 94, "MaxPool", 4,
                    "AveragePool", 9, "Concat", 15, "GlobalAveragePool", 1, "Flatten", 1, "Gemm", 1),
            // 52 convolutions: stem, 2 in the t=1 block, 3 in each of the other 16, the last 1x1; ReLU6 after all
            // but the 17 projections; 10 residual sums.
            "mobilenetv2", Map.of("Conv", 52, "BatchNormalization", 52, "Clip", 35, "Add", 10,
                    "GlobalAveragePool", 1, "Flatten", 1, "Gemm", 1));

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "vgg16", "inceptionv3", "mobilenetv2"})
    void hasTheReferenceParameterAndOperatorCounts(String name) {
        Model m = Zoo.get(name).build();
        Graph g = m.graph();
        long expected = TORCHVISION_PARAMS.get(name);
        assertThat(torchvisionParameterCount(g)).isEqualTo(expected);
        assertThat(m.metadata().get("parameters")).isEqualTo(Long.toString(expected));
        assertThat(Zoo.get(name).parameters()).isEqualTo(expected);
        assertThat(opCounts(g)).isEqualTo(new TreeMap<>(OP_COUNTS.get(name)));
        assertThat(g.opsets()).isEqualTo(Map.of("", 13));
        assertThat(g.inputs()).singleElement().satisfies(v -> assertThat(v.type().dims().get(0))
                .isEqualTo(Dim.symbol("N")));
        assertThat(g.outputs()).singleElement().satisfies(v -> assertThat(v.type().toString())
                .isEqualTo("f32[N,1000]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "vgg16", "inceptionv3", "mobilenetv2"})
    void shapeInferenceGivesNBy1000(String name) {
        Graph g = Zoo.get(name).build().graph();
        assumeOperatorsRegistered(g);
        ShapeInference.Result r = ShapeInference.infer(g, Map.of());
        TensorType out = r.type("logits");
        assertThat(out.toString()).isEqualTo("f32[N,1000]");
        TensorType declared = g.inputs().get(0).type();
        long size = declared.dims().get(2).value();
        TensorType batch3 = ShapeInference.infer(g, Map.of("input",
                TensorType.of(declared.dtype(), 3, 3, size, size))).type("logits");
        assertThat(batch3.toString()).isEqualTo("f32[3,1000]");
    }

    @Test
    void resnetIsV15WithTheStrideOnTheThreeByThree() {
        Graph g = ResNet50.build(1).graph();
        Node conv2 = g.nodes().stream().filter(n -> n.name().equals("layer2.0/Conv_1")).findFirst().orElseThrow();
        Node conv1 = g.nodes().stream().filter(n -> n.name().equals("layer2.0/Conv")).findFirst().orElseThrow();
        assertThat(conv1.attributes().getInts("kernel_shape")).containsExactly(1, 1);
        assertThat(conv1.attributes().getInts("strides")).containsExactly(1, 1);
        assertThat(conv2.attributes().getInts("kernel_shape")).containsExactly(3, 3);
        assertThat(conv2.attributes().getInts("strides")).containsExactly(2, 2);
    }

    @Test
    void mobileNetDepthwiseConvolutionsHaveOneGroupPerChannel() {
        Graph g = MobileNetV2.build(1).graph();
        long depthwise = g.nodes().stream().filter(n -> n.opType().equals("Conv")
                && n.attributes().getInts("kernel_shape")[0] == 3 && n.attributes().getInt("group", 1) > 1)
                .count();
        assertThat(depthwise).isEqualTo(17);
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        Graph a = MobileNetV2.build(7).graph();
        Graph b = MobileNetV2.build(7).graph();
        Graph c = MobileNetV2.build(8).graph();
        String w = "features.1/Conv.weight";
        assertThat(a.constants().get(w).sameAs(b.constants().get(w))).isTrue();
        assertThat(a.constants().get(w).sameAs(c.constants().get(w))).isFalse();
    }

    @Test
    void anUnknownNameListsTheZoo() {
        assertThatThrownBy(() -> Zoo.get("alexnet")).isInstanceOf(OctetException.class)
                .hasMessageContaining("resnet50, vgg16, inceptionv3, mobilenetv2");
        assertThat(Zoo.get("ResNet50").name()).isEqualTo("resnet50");
    }

    /**
     * Counted from the graph alone, as torchvision counts parameters(): every constant except BN running
     * statistics (BatchNormalization inputs 3 and 4) and Clip bounds, which are buffers, not parameters.
     */
    static long torchvisionParameterCount(Graph g) {
        java.util.Set<String> buffers = new java.util.HashSet<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("BatchNormalization")) {
                buffers.add(n.input(3));
                buffers.add(n.input(4));
            } else if (n.opType().equals("Clip")) {
                buffers.add(n.input(1));
                buffers.add(n.input(2));
            }
        }
        long count = 0;
        for (var e : g.constants().entrySet()) {
            if (!buffers.contains(e.getKey())) {
                count += e.getValue().size();
            }
        }
        return count;
    }

    static Map<String, Integer> opCounts(Graph g) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : g.nodes()) {
            counts.merge(n.opType(), 1, Integer::sum);
        }
        return counts;
    }

    /** Skips until the operator groups are merged in; from then on the test runs for real. */
    static void assumeOperatorsRegistered(Graph g) {
        for (Node n : g.nodes()) {
            Assumptions.assumeTrue(OperatorRegistry.supports(n.domain(), n.opType()),
                    "operator " + n.opType() + " is not registered yet");
        }
    }
}
