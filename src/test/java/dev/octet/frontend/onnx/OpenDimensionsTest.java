package dev.octet.frontend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorShapeProto;
import dev.octet.frontend.onnx.proto.Onnx.TypeProto;
import dev.octet.frontend.onnx.proto.Onnx.ValueInfoProto;
import dev.octet.ir.Dim;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.runtime.InputBinding;
import dev.octet.testing.TinyModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenDimensionsTest {
    private static ValueInfoProto value(String name, String... params) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String p : params) {
            shape.addDim(p.matches("\\d+") ? TensorShapeProto.Dimension.newBuilder().setDimValue(Long.parseLong(p))
                    : TensorShapeProto.Dimension.newBuilder().setDimParam(p));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    @Test
    void aQuestionMarkIsAnOpenDimensionNotASharedName(@TempDir Path dir) {
        // As PP-OCR's Paddle2ONNX exports write their inputs: x f32[?,3,?,?].
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(value("x", "?", "3", "?", "?"))
                .addOutput(value("x", "?", "3", "?", "?")).build();
        Model m = OnnxImporter.load(TinyModels.write(dir.resolve("m.onnx"), g));
        assertThat(m.graph().inputs().getFirst().type().dims().get(2)).isEqualTo(Dim.unknown());
        Tensor x = Tensor.ofFloats(new int[] {1, 3, 48, 320}, new float[3 * 48 * 320]);
        assertThat(InputBinding.bind(m.graph(), Map.of("x", x)).get("x").shape()).containsExactly(1, 3, 48, 320);
    }

    @Test
    void otherNamesStillBindTogether(@TempDir Path dir) {
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(value("x", "n", "n"))
                .addOutput(value("x", "n", "n")).build();
        Model m = OnnxImporter.load(TinyModels.write(dir.resolve("m.onnx"), g));
        assertThat(m.graph().inputs().getFirst().type().dims().get(0)).isEqualTo(Dim.symbol("n"));
    }
}
