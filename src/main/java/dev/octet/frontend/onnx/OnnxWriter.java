package dev.octet.frontend.onnx;

import com.google.protobuf.ByteString;
import dev.octet.frontend.onnx.proto.Onnx.AttributeProto;
import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.NodeProto;
import dev.octet.frontend.onnx.proto.Onnx.OperatorSetIdProto;
import dev.octet.frontend.onnx.proto.Onnx.StringStringEntryProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorShapeProto;
import dev.octet.frontend.onnx.proto.Onnx.TypeProto;
import dev.octet.frontend.onnx.proto.Onnx.ValueInfoProto;
import dev.octet.ir.Attribute;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Layout;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes Octet's graph IR as an ONNX model file that ONNX Runtime and other tools read: every constant becomes an
 * initializer (raw little-endian data, see {@link TensorProtos#toProto}), declared input, output and intermediate
 * types become value_info with symbolic dimensions as dim_param, and node attributes keep their kind.
 *
 * <p>The graph's own opset imports are written as they are (a model read at opset 11 stays opset 11, since the
 * meaning of some operators changes between opsets); a graph that uses ONNX operators without importing the
 * default domain gets {@link #DEFAULT_OPSET}. Reading the written file with {@link OnnxImporter} gives back the same
 * graph.
 */
public final class OnnxWriter {
    /** The IR version written: 8 (ONNX 1.10+), which covers opsets up to 17 and initializers outside the inputs. */
    public static final long IR_VERSION = 8;
    /** The opset of the default domain for graphs that do not name one. */
    public static final int DEFAULT_OPSET = 13;
    /** The producer_name written to every file. */
    public static final String PRODUCER = "octet";

    /** Protobuf cannot hold a message of 2 GiB or more; Octet does not write external data. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - (64L << 20);

    private OnnxWriter() {
    }

    /** Writes a model (its graph and metadata) to a file, atomically: the file appears whole or not at all. */
    public static void write(Model model, Path file) {
        ModelProto proto = toProto(model);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its owner-only permissions would stay on the model file after the move.
            tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + System.nanoTime() + ".part");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 16)) {
                proto.writeTo(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new OctetException(file + ": cannot write (" + e.getMessage() + ")");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    /** Writes a graph built in code (no metadata) to a file. */
    public static void write(Graph graph, Path file) {
        write(Model.of(graph), file);
    }

    /** The ONNX model of a Model: its graph, opsets, metadata properties and producer "octet". */
    public static ModelProto toProto(Model model) {
        Graph g = model.graph();
        checkSize(g);
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .setGraph(graph(g));
        String version = OnnxWriter.class.getPackage().getImplementationVersion();
        if (version != null) {
            m.setProducerVersion(version);
        }
        for (Map.Entry<String, Integer> e : opsets(g).entrySet()) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()));
        }
        new TreeMap<>(model.metadata()).forEach((k, v) ->
                m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return m.build();
    }

    private static Map<String, Integer> opsets(Graph g) {
        Map<String, Integer> opsets = new TreeMap<>(g.opsets());
        if (!opsets.containsKey("") && g.nodes().stream().anyMatch(n -> n.domain().isEmpty())) {
            opsets.put("", DEFAULT_OPSET);
        }
        return opsets;
    }

    private static void checkSize(Graph g) {
        long bytes = 0;
        for (Tensor t : g.constants().values()) {
            bytes += (long) t.size() * t.dtype().byteSize();
        }
        if (bytes > MAX_BYTES) {
            throw new OctetException("the model's constants take " + (bytes >> 20) + " MiB; an ONNX file holds "
                    + "less than 2 GiB and Octet does not write external data");
        }
    }

    static GraphProto graph(Graph g) {
        GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
        for (Value v : g.inputs()) {
            b.addInput(valueInfo(v.name(), v.type()));
        }
        for (Value v : g.outputs()) {
            b.addOutput(valueInfo(v.name(), v.type()));
        }
        g.valueTypes().forEach((name, type) -> b.addValueInfo(valueInfo(name, type)));
        g.constants().forEach((name, t) -> b.addInitializer(TensorProtos.toProto(name, t)));
        for (Node n : g.nodes()) {
            b.addNode(node(n));
        }
        return b.build();
    }

    private static NodeProto node(Node n) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(n.opType()).addAllInput(n.inputs())
                .addAllOutput(n.outputs());
        if (n.name() != null && !n.name().isEmpty()) {
            b.setName(n.name());
        }
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        for (Attribute a : n.attributes().all()) {
            b.addAttribute(attribute(a));
        }
        return b.build();
    }

    static AttributeProto attribute(Attribute a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
        switch (a.kind()) {
            case INT -> b.setType(AttributeProto.AttributeType.INT).setI((Long) a.value());
            case FLOAT -> b.setType(AttributeProto.AttributeType.FLOAT).setF((Float) a.value());
            case STRING -> b.setType(AttributeProto.AttributeType.STRING).setS(utf8((String) a.value()));
            case TENSOR -> b.setType(AttributeProto.AttributeType.TENSOR)
                    .setT(TensorProtos.toProto("", (Tensor) a.value()));
            case INTS -> {
                b.setType(AttributeProto.AttributeType.INTS);
                for (long v : (long[]) a.value()) {
                    b.addInts(v);
                }
            }
            case FLOATS -> {
                b.setType(AttributeProto.AttributeType.FLOATS);
                for (float v : (float[]) a.value()) {
                    b.addFloats(v);
                }
            }
            case STRINGS -> {
                b.setType(AttributeProto.AttributeType.STRINGS);
                for (Object s : (List<?>) a.value()) {
                    b.addStrings(utf8((String) s));
                }
            }
        }
        return b.build();
    }

    /** A value_info; a null type (an output whose type the source did not declare) writes the name alone. */
    static ValueInfoProto valueInfo(String name, TensorType type) {
        ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(name);
        if (type == null) {
            return b.build();
        }
        if (type.layout() != Layout.PLAIN) {
            throw new OctetException("value '" + name + "' has layout " + type.layout().tag()
                    + ", which ONNX cannot express; write the graph before the layout pass");
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Dim d : type.dims()) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d.isKnown()) {
                dim.setDimValue(d.value());
            } else if (d.symbol() != null) {
                dim.setDimParam(d.symbol());
            }
            shape.addDim(dim);
        }
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.dtype().onnxCode())
                .setShape(shape);
        return b.setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }
}
