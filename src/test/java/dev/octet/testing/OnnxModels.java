package dev.octet.testing;

import com.google.protobuf.ByteString;
import dev.octet.frontend.onnx.TensorProtos;
import dev.octet.frontend.onnx.proto.Onnx.AttributeProto;
import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.NodeProto;
import dev.octet.frontend.onnx.proto.Onnx.OperatorSetIdProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorShapeProto;
import dev.octet.frontend.onnx.proto.Onnx.TypeProto;
import dev.octet.frontend.onnx.proto.Onnx.ValueInfoProto;
import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tiny ONNX models built in code (as ONNX Runtime's Java tests do), for tests that need a model file with one
 * specific property: a Relu or a Conv graph, and the pieces to build any other. Everything returns protobuf
 * builders or messages, so that a test can break exactly the field it is about.
 *
 * <pre>
 * ModelProto m = OnnxModels.model(OnnxModels.graph("g")
 *         .addInput(OnnxModels.input("x", DataType.FLOAT, 1, 4))
 *         .addNode(OnnxModels.node("Relu", List.of("x"), List.of("y")))
 *         .addOutput(OnnxModels.output("y")));
 * Path file = OnnxModels.write(m, dir.resolve("relu.onnx"));
 * </pre>
 */
public final class OnnxModels {
    /** The default-domain opset the helpers declare unless told otherwise. */
    public static final int OPSET = 13;

    private OnnxModels() {
    }

    /** A model of the graph importing the default domain at {@link #OPSET}. */
    public static ModelProto model(GraphProto.Builder graph) {
        return model(graph, OPSET);
    }

    public static ModelProto model(GraphProto.Builder graph, int opset) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("octet-tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    public static GraphProto.Builder graph(String name) {
        return GraphProto.newBuilder().setName(name);
    }

    /**
     * A tensor value declaration (graph input or output); a negative size is a symbolic dimension named
     * "d" + its axis.
     */
    public static ValueInfoProto input(String name, DataType dtype, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            shape.addDim(dims[i] >= 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i])
                    : TensorShapeProto.Dimension.newBuilder().setDimParam("d" + i));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(dtype.onnxCode()).setShape(shape))).build();
    }

    /** A graph output without a declared type (Octet infers it). */
    public static ValueInfoProto output(String name) {
        return ValueInfoProto.newBuilder().setName(name).build();
    }

    /** A default-domain node named after its first output. */
    public static NodeProto node(String opType, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        return NodeProto.newBuilder().setName(outputs.isEmpty() ? opType : outputs.get(0)).setOpType(opType)
                .addAllInput(inputs).addAllOutput(outputs).addAllAttribute(List.of(attrs)).build();
    }

    public static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value)
                .build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    public static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    public static AttributeProto attr(String name, TensorProto value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(value)
                .build();
    }

    /** A float tensor with raw data; values.length need not match dims (tests of lying sizes rely on that). */
    public static TensorProto.Builder floats(String name, long[] dims, float... values) {
        TensorProto.Builder b = TensorProtos.toProto(name, Tensor.ofFloats(new int[] {values.length}, values))
                .toBuilder().clearDims();
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    /** A tensor of any type, as raw data. */
    public static TensorProto tensor(String name, Tensor value) {
        return TensorProtos.toProto(name, value);
    }

    /** x: f32[1,4] → Relu → y. */
    public static GraphProto.Builder reluGraph() {
        return graph("relu").addInput(input("x", DataType.FLOAT, 1, 4))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(output("y"));
    }

    public static ModelProto relu() {
        return model(reluGraph());
    }

    /**
     * x: f32[1,1,5,5] → Conv(x, w: f32[1,1,3,3]) → y, with the given kernel_shape attribute (none where empty).
     */
    public static GraphProto.Builder convGraph(long... kernelShape) {
        float[] w = new float[9];
        java.util.Arrays.fill(w, 1f / 9);
        NodeProto conv = kernelShape.length == 0 ? node("Conv", List.of("x", "w"), List.of("y"))
                : node("Conv", List.of("x", "w"), List.of("y"), ints("kernel_shape", kernelShape));
        return graph("conv").addInput(input("x", DataType.FLOAT, 1, 1, 5, 5))
                .addInitializer(floats("w", new long[] {1, 1, 3, 3}, w)).addNode(conv).addOutput(output("y"));
    }

    public static ModelProto conv(long... kernelShape) {
        return model(convGraph(kernelShape));
    }

    /** Writes a tensor as an ONNX TensorProto file (.pb, as the node tests' data and `--input` read them). */
    public static Path writeTensor(Tensor t, String name, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, TensorProtos.toProto(name, t).toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the model (creating folders) and returns the file. */
    public static Path write(ModelProto model, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, model.toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
