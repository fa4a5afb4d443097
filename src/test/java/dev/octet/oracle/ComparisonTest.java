package dev.octet.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.frontend.onnx.TensorProtos;
import dev.octet.frontend.onnx.proto.Onnx.AttributeProto;
import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.NodeProto;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Tensor;
import dev.octet.testing.TinyModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How outputs computed from a discrete decision are judged: y = float(x == c), c = 0.5. */
class ComparisonTest {
    private static final Tensor X = Tensor.ofFloats(new int[] {4}, 0.1f, 0.5f, 0.9f, 0.5f);

    @TempDir
    Path dir;

    private Graph graph() {
        GraphProto g = GraphProto.newBuilder().setName("mask").addInput(TinyModels.floatValue("x", 4))
                .addOutput(TinyModels.floatValue("y", 4))
                .addInitializer(TensorProtos.toProto("c", Tensor.ofFloats(new int[] {1}, 0.5f)))
                .addNode(NodeProto.newBuilder().setOpType("Equal").setName("eq").addInput("x").addInput("c")
                        .addOutput("d"))
                .addNode(NodeProto.newBuilder().setOpType("Cast").setName("cast").addInput("d").addOutput("y")
                        .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                                .setI(1)))
                .build();
        return OnnxImporter.load(TinyModels.write(dir.resolve("mask.onnx"), g)).graph();
    }

    /** An oracle that decided element {@code flipped} of x == c the other way. */
    private record FlippingOracle(int flipped) implements Oracle {
        @Override
        public String name() {
            return "flipping";
        }

        private boolean[] decisions() {
            boolean[] d = new boolean[4];
            for (int i = 0; i < 4; i++) {
                d[i] = (X.floats()[i] == 0.5f) != (i == flipped);
            }
            return d;
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs) {
            float[] y = new float[4];
            for (int i = 0; i < 4; i++) {
                y[i] = decisions()[i] ? 1 : 0;
            }
            return Map.of("y", Tensor.ofFloats(new int[] {4}, y));
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> alsoReturn) {
            assertThat(alsoReturn).containsExactlyInAnyOrder("x", "d");
            Map<String, Tensor> out = new HashMap<>(run(inputs));
            out.put("x", X);
            out.put("d", Tensor.ofBooleans(new int[] {4}, decisions()));
            return out;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anOutputAgreesWhenItsOnlyDifferencesAreDecisionsOnTies() {
        Comparison.Report r = Comparison.run(graph(), new FlippingOracle(3), Map.of("x", X), 1e-4);
        Agreement y = r.outputs().getFirst();
        assertThat(y.maxAbs()).isEqualTo(1);
        assertThat(y.agree()).isTrue();
        assertThat(y.detail()).contains("1 of 4 decisions", "node 'eq' (Equal)", "with the oracle's decisions max_rel 0");
    }

    @Test
    void aDecisionOnOperandsFarApartIsARealDisagreement() {
        Comparison.Report r = Comparison.run(graph(), new FlippingOracle(0), Map.of("x", X), 1e-4);
        Agreement y = r.outputs().getFirst();
        assertThat(y.agree()).isFalse();
        assertThat(y.detail()).contains("not a decision tie", "decided element 0 differently on operands 0.4");
        assertThat(r.allAgree()).isFalse();
    }

    @Test
    void identicalResultsNeedNoExplanation() {
        Comparison.Report r = Comparison.run(graph(), new FlippingOracle(-1), Map.of("x", X), 1e-4);
        assertThat(r.allAgree()).isTrue();
        assertThat(r.outputs().getFirst().detail()).isEmpty();
        assertThat(r.octetOutputs().get("y").dtype()).isEqualTo(DataType.FLOAT);
    }
}
