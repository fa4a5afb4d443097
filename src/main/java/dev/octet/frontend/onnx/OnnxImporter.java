package dev.octet.frontend.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.octet.frontend.onnx.proto.Onnx.AttributeProto;
import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.NodeProto;
import dev.octet.frontend.onnx.proto.Onnx.OperatorSetIdProto;
import dev.octet.frontend.onnx.proto.Onnx.StringStringEntryProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorShapeProto;
import dev.octet.frontend.onnx.proto.Onnx.TypeProto;
import dev.octet.frontend.onnx.proto.Onnx.ValueInfoProto;
import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.Names;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Storage;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.UnsupportedModelException;
import dev.octet.ir.Value;
import dev.octet.ir.op.OperatorRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model file into Octet's graph IR. Initializers and Constant nodes both become constants; external
 * data is read only from inside the model's folder. Every failure is an {@link OctetException} naming the file and
 * what is wrong with it.
 */
public final class OnnxImporter {
    private OnnxImporter() {
    }

    /** Reads a model file. */
    public static Model load(Path file) {
        try {
            return read(parse(file), file);
        } catch (OctetException e) {
            throw inFile(file, e);
        }
    }

    /** Reads a model from its bytes, as if from {@code file} (which locates external data and names the model). */
    static Model load(byte[] bytes, Path file) {
        try {
            return read(parse(bytes, file), file);
        } catch (OctetException e) {
            throw inFile(file, e);
        }
    }

    private static OctetException inFile(Path file, OctetException e) {
        return e.getMessage().startsWith(file.toString()) ? e
                : e instanceof UnsupportedModelException
                        ? new UnsupportedModelException(file + ": " + e.getMessage())
                        : new OctetException(file + ": " + e.getMessage(), e);
    }

    /**
     * Parses the protobuf, checking first that the file exists and that the heap can hold it. The file is read
     * whole and parsed with aliasing, so raw tensor data is not copied, and no length field in a corrupt file can
     * make the parser allocate more than the file's size.
     */
    static ModelProto parse(Path file) {
        long size;
        try {
            if (Files.isDirectory(file)) {
                throw new OctetException(file + ": is a folder, not an ONNX model file");
            }
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new OctetException(file + ": no such file");
        } catch (IOException e) {
            throw new OctetException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (!Files.isRegularFile(file)) {
            throw new OctetException(file + ": is not a regular file");
        }
        if (size == 0) {
            throw new OctetException(file + ": the file is empty, not an ONNX model");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (size > heap / 2 || size > Integer.MAX_VALUE - 8) {
            throw new OctetException(file + ": the model is " + Storage.mib(size) + ", too large for this JVM's "
                    + Storage.mib(heap) + " heap (raise it with -Xmx, e.g. OCTET_JAVA_OPTS=-Xmx8g)");
        }
        return parse(Storage.guard(size, file.toString(), () -> readAll(file)), file);
    }

    static ModelProto parse(byte[] bytes, Path file) {
        if (bytes.length == 0) {
            throw new OctetException(file + ": the file is empty, not an ONNX model");
        }
        String kind = FileKind.guess(bytes);
        try {
            CodedInputStream coded = CodedInputStream.newInstance(bytes);
            coded.enableAliasing(true);
            ModelProto proto = ModelProto.parseFrom(coded);
            if (!proto.hasGraph()) {
                throw new OctetException(file + ": " + (kind != null ? "is " + kind + ", not an ONNX model"
                        : "not an ONNX model (no graph in the file)"));
            }
            return proto;
        } catch (InvalidProtocolBufferException e) {
            String why = e.getMessage() != null && e.getMessage().contains("levels of nesting")
                    ? "its messages are nested more than 100 levels deep" : e.getMessage();
            throw new OctetException(file + ": " + (kind != null ? "is " + kind + ", not an ONNX model"
                    : "not a valid ONNX model, the file is truncated or corrupt (" + why + ")"));
        } catch (IOException e) {
            throw new OctetException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new OctetException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Converts a parsed model; {@code file} locates external data and names the model in messages. */
    public static Model read(ModelProto proto, Path file) {
        Map<String, Integer> opsets = opsets(proto);
        Path dir = file == null ? null : file.toAbsolutePath().getParent();
        Graph graph = graph(proto.getGraph(), opsets, dir);
        if (!opsets.containsKey("") && graph.nodes().stream().anyMatch(n -> n.domain().isEmpty())) {
            throw new OctetException("the model uses ONNX operators but imports no opset of the default domain");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        return new Model(graph, file, proto.getProducerName(), metadata);
    }

    private static Map<String, Integer> opsets(ModelProto proto) {
        Map<String, Integer> opsets = new HashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            String domain = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            opsets.put(domain, (int) Math.min(Integer.MAX_VALUE, Math.max(0, o.getVersion())));
        }
        Integer v = opsets.get("");
        if (v != null && (v < OperatorRegistry.MIN_OPSET || v > OperatorRegistry.MAX_OPSET)) {
            throw new UnsupportedModelException("opset " + v + " is not supported (Octet reads opsets "
                    + OperatorRegistry.MIN_OPSET + " to " + OperatorRegistry.MAX_OPSET + ")");
        }
        return opsets;
    }

    private static Graph graph(GraphProto g, Map<String, Integer> opsets, Path dir) {
        if (g.getSparseInitializerCount() > 0) {
            throw new UnsupportedModelException("sparse initializers are not supported");
        }
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (constants.put(t.getName(), TensorProtos.toTensor(t, dir)) != null) {
                throw new OctetException("initializer " + Names.quote(t.getName()) + " is given twice");
            }
        }
        List<Value> inputs = new ArrayList<>();
        for (ValueInfoProto vi : g.getInputList()) {
            if (!constants.containsKey(vi.getName())) {
                TensorType t = type(vi);
                if (t == null) {
                    throw new UnsupportedModelException("graph input " + Names.quote(vi.getName())
                            + " has no tensor shape");
                }
                inputs.add(new Value(vi.getName(), t));
            }
        }
        List<Value> outputs = new ArrayList<>();
        for (ValueInfoProto vi : g.getOutputList()) {
            outputs.add(new Value(vi.getName(), type(vi)));
        }
        Map<String, TensorType> valueTypes = new LinkedHashMap<>();
        for (ValueInfoProto vi : g.getValueInfoList()) {
            TensorType t = type(vi);
            if (t != null) {
                valueTypes.put(vi.getName(), t);
            }
        }
        List<Node> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            Node node = node(n, dir);
            if (node.opType().equals("Constant") && node.domain().isEmpty()) {
                if (node.outputs().size() != 1 || constants.containsKey(node.outputs().get(0))) {
                    throw new OctetException(node.describe() + ": needs exactly one output of a new name");
                }
                try {
                    constants.put(node.outputs().get(0), constantValue(node));
                } catch (OctetException e) {
                    throw withNode(node, e);
                }
            } else {
                nodes.add(node);
            }
        }
        return new Graph(g.getName(), inputs, outputs, nodes, constants, valueTypes, opsets);
    }

    private static Node node(NodeProto n, Path dir) {
        Node bare = new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                Attributes.empty());
        if (n.getOpType().isEmpty()) {
            throw new OctetException(bare.describe() + ": has no op_type");
        }
        try {
            List<Attribute> attrs = new ArrayList<>();
            for (AttributeProto a : n.getAttributeList()) {
                attrs.add(attribute(a, dir));
            }
            return new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                    Attributes.of(attrs));
        } catch (OctetException e) {
            throw withNode(bare, e);
        }
    }

    /** The error with the node named in front, keeping its kind (unsupported or invalid). */
    private static OctetException withNode(Node node, OctetException e) {
        String prefix = node.describe();
        if (e.getMessage().startsWith(prefix)) {
            return e;
        }
        return e instanceof UnsupportedModelException ? new UnsupportedModelException(prefix + ": " + e.getMessage())
                : new OctetException(prefix + ": " + e.getMessage(), e);
    }

    private static Attribute attribute(AttributeProto a, Path dir) {
        String name = a.getName();
        if (name.isEmpty()) {
            throw new OctetException("an attribute has no name");
        }
        if (!a.getRefAttrName().isEmpty()) {
            throw new UnsupportedModelException("attribute '" + name
                    + "' refers to a function attribute; functions are not supported");
        }
        AttributeProto.AttributeType type = a.hasType() ? a.getType() : guessType(a);
        return switch (type) {
            case INT -> Attribute.of(name, a.getI());
            case FLOAT -> Attribute.of(name, a.getF());
            case STRING -> Attribute.of(name, a.getS().toStringUtf8());
            case TENSOR -> Attribute.of(name, TensorProtos.toTensor(a.getT(), dir));
            case UNDEFINED -> throw new OctetException("attribute " + Names.quote(name) + " has no type and no value");
            case INTS -> Attribute.of(name, a.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield Attribute.of(name, f);
            }
            case STRINGS -> Attribute.ofStrings(name,
                    a.getStringsList().stream().map(s -> s.toStringUtf8()).toList());
            default -> throw new UnsupportedModelException("attribute " + Names.quote(name) + " of type "
                    + type + " is not supported (subgraphs, sparse tensors and type protos are not)");
        };
    }

    /** Models written before IR version 3 may leave out the attribute type; infer it from the field that is set. */
    private static AttributeProto.AttributeType guessType(AttributeProto a) {
        if (a.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        } else if (a.hasI()) {
            return AttributeProto.AttributeType.INT;
        } else if (a.hasS()) {
            return AttributeProto.AttributeType.STRING;
        } else if (a.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        } else if (a.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        } else if (a.getIntsCount() > 0) {
            return AttributeProto.AttributeType.INTS;
        } else if (a.getStringsCount() > 0) {
            return AttributeProto.AttributeType.STRINGS;
        }
        return AttributeProto.AttributeType.UNDEFINED;
    }

    /** The value of a Constant node, from whichever value_* attribute it carries. */
    private static Tensor constantValue(Node node) {
        Attributes a = node.attributes();
        if (a.all().size() != 1) {
            throw new OctetException(node.describe() + ": needs exactly one value attribute (value, value_float, "
                    + "value_floats, value_int or value_ints), has " + (a.all().isEmpty() ? "none"
                    : a.all().stream().map(Attribute::name).toList()));
        }
        Attribute attr = a.all().iterator().next();
        return switch (attr.name()) {
            case "value" -> a.getTensor("value");
            case "value_float" -> Tensor.ofFloats(new int[0], a.getFloat("value_float", 0));
            case "value_floats" -> {
                float[] f = a.getFloats("value_floats");
                yield Tensor.ofFloats(new int[] {f.length}, f);
            }
            case "value_int" -> Tensor.ofLongs(DataType.INT64, new int[0], a.requireInt("value_int"));
            case "value_ints" -> Tensor.int64Vector(a.getInts("value_ints"));
            default -> throw new UnsupportedModelException(node.describe() + ": attribute '" + attr.name()
                    + "' is not supported");
        };
    }

    /** The tensor type of a value_info, or null if it has none (unknown rank or not a tensor). */
    static TensorType type(ValueInfoProto vi) {
        if (!vi.hasType() || !vi.getType().hasTensorType()) {
            if (vi.hasType() && vi.getType().getValueCase() != TypeProto.ValueCase.VALUE_NOT_SET) {
                throw new UnsupportedModelException("value " + Names.quote(vi.getName()) + " is a "
                        + vi.getType().getValueCase() + ", only tensors are supported");
            }
            return null;
        }
        TypeProto.Tensor t = vi.getType().getTensorType();
        DataType dtype = DataType.fromOnnx(t.getElemType());
        if (dtype == null) {
            throw new UnsupportedModelException("value " + Names.quote(vi.getName()) + " has data type "
                    + t.getElemType() + ", which is not supported");
        }
        if (!t.hasShape()) {
            return null;
        }
        List<Dim> dims = new ArrayList<>();
        long known = 1;
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(Dim.of(d.getDimValue()));
                known = Shapes.count(new long[] {known, d.getDimValue()});
            } else {
                // Paddle2ONNX writes dim_param "?" for every open dimension: a placeholder, not one shared name.
                String param = d.hasDimParam() ? d.getDimParam() : null;
                dims.add(Dim.symbol("?".equals(param) ? null : param));
            }
        }
        TensorType type = new TensorType(dtype, dims);
        // Octet's tensors are Java arrays: a declared size beyond 2^31 elements can never be given or computed,
        // and refusing it here keeps the overflow out of every operator's shape arithmetic.
        if (known > Integer.MAX_VALUE - 8) {
            throw new OctetException("value " + Names.quote(vi.getName()) + " is declared as " + type
                    + ", more than 2^31 elements");
        }
        return type;
    }
}
