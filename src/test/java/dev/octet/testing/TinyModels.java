package dev.octet.testing;

import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.NodeProto;
import dev.octet.frontend.onnx.proto.Onnx.OperatorSetIdProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorShapeProto;
import dev.octet.frontend.onnx.proto.Onnx.TypeProto;
import dev.octet.frontend.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small ONNX models written in code, for tests of the tools around the operators. */
public final class TinyModels {
    private TinyModels() {
    }

    /** A float value; a dimension of -1 is open ("?"), of 0 a named symbol "n". */
    public static ValueInfoProto floatValue(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            TensorShapeProto.Dimension.Builder b = TensorShapeProto.Dimension.newBuilder();
            if (d > 0) {
                b.setDimValue(d);
            } else if (d == 0) {
                b.setDimParam("n");
            }
            shape.addDim(b);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    /** A model whose graph output is its input: runs without any operator. */
    public static Path identity(Path dir, String fileName, long... dims) {
        GraphProto g = GraphProto.newBuilder().setName("identity").addInput(floatValue("x", dims))
                .addOutput(floatValue("x", dims)).build();
        return write(dir.resolve(fileName), g);
    }

    /** y = x + x with one Add node (opset 13). */
    public static Path add(Path dir, String fileName, long... dims) {
        GraphProto g = GraphProto.newBuilder().setName("add").addInput(floatValue("x", dims))
                .addOutput(floatValue("y", dims))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("x").addInput("x")
                        .addOutput("y"))
                .build();
        return write(dir.resolve(fileName), g);
    }

    public static Path write(Path file, GraphProto graph) {
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setProducerName("octet-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build();
        try {
            Files.write(file, m.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
