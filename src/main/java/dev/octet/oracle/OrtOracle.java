package dev.octet.oracle;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.ValueInfoProto;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** ONNX Runtime through its Java API: one session per model, CPU execution provider. */
final class OrtOracle implements Oracle {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path model;
    private final byte[] bytes;
    private final int threads;
    /** Sessions of the model with intermediate values added as graph outputs, by the set of values. */
    private final Map<Set<String>, OrtSession> tapped = new HashMap<>();

    private OrtOracle(OrtEnvironment env, OrtSession session, Path model, byte[] bytes, int threads) {
        this.env = env;
        this.session = session;
        this.model = model;
        this.bytes = bytes;
        this.threads = threads;
    }

    static OrtOracle open(Path model, int threads) {
        byte[] bytes;
        try {
            // Bytes rather than a path: the model may live inside a jar (zip file system).
            bytes = Files.readAllBytes(model);
        } catch (IOException e) {
            throw new OctetException(model + ": cannot read (" + e.getMessage() + ")");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "octet");
        return new OrtOracle(env, session(env, bytes, threads, model), model, bytes, threads);
    }

    private static OrtSession session(OrtEnvironment env, byte[] bytes, int threads, Path model) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
            }
            // ORT's pool threads spin during a run (as they should) and, by default, for a while after it: a
            // side-by-side benchmark then runs Octet's next step while ORT's idle threads hold the cores (on this
            // 2-core machine Octet at 2 threads measured no faster than at 1). Stopping the spin at the end of each
            // run keeps ORT's own speed and leaves the cores to whoever runs next.
            options.addConfigEntry("session.force_spinning_stop", "1");
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new OctetException(model + ": ONNX Runtime rejects the model (" + e.getMessage() + ")");
        }
    }

    /** The model with more graph outputs: ONNX Runtime returns only graph outputs. */
    private OrtSession sessionReturning(Set<String> values) {
        return tapped.computeIfAbsent(Set.copyOf(values), key -> {
            ModelProto proto;
            try {
                proto = ModelProto.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new OctetException(model + ": not a valid ONNX model (" + e.getMessage() + ")");
            }
            ModelProto.Builder b = proto.toBuilder();
            for (String v : new TreeSet<>(key)) {
                if (proto.getGraph().getOutputList().stream().noneMatch(o -> o.getName().equals(v))) {
                    b.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(v));
                }
            }
            return session(env, b.build().toByteArray(), threads, model);
        });
    }

    @Override
    public String name() {
        return "ONNX Runtime " + env.getVersion();
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(session, inputs);
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> alsoReturn) {
        return run(alsoReturn.isEmpty() ? session : sessionReturning(alsoReturn), inputs);
    }

    private Map<String, Tensor> run(OrtSession session, Map<String, Tensor> inputs) {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                feeds.put(e.getKey(), toOrt(e.getValue()));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                List<String> names = new ArrayList<>(session.getOutputNames());
                for (String name : names) {
                    OnnxValue v = result.get(name).orElseThrow();
                    if (!(v instanceof OnnxTensor t)) {
                        throw new OctetException("output '" + name + "' of ONNX Runtime is not a tensor ("
                                + v.getType() + ")");
                    }
                    out.put(name, fromOrt(name, t));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new OctetException(model + ": ONNX Runtime failed (" + e.getMessage() + ")");
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOrt(Tensor t) throws OrtException {
        long[] shape = new long[t.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.dim(i);
        }
        int n = t.size();
        return switch (t.dtype()) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
            case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(t.doubles()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) t.longs()[i];
                }
                yield OnnxTensor.createTensor(env, IntBuffer.wrap(v), shape);
            }
            case INT16, FLOAT16 -> {
                short[] v = new short[n];
                for (int i = 0; i < n; i++) {
                    v[i] = t.dtype() == DataType.FLOAT16 ? Float.floatToFloat16(t.floats()[i]) : (short) t.longs()[i];
                }
                yield OnnxTensor.createTensor(env, ShortBuffer.wrap(v), shape,
                        t.dtype() == DataType.FLOAT16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.INT16);
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer v = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                for (int i = 0; i < n; i++) {
                    v.put(i, (byte) (t.dtype() == DataType.BOOL ? (t.booleans()[i] ? 1 : 0) : t.longs()[i]));
                }
                yield OnnxTensor.createTensor(env, v, shape, switch (t.dtype()) {
                    case INT8 -> OnnxJavaType.INT8;
                    case UINT8 -> OnnxJavaType.UINT8;
                    default -> OnnxJavaType.BOOL;
                });
            }
            default -> throw new OctetException("cannot pass a " + t.dtype().shortName()
                    + " tensor to ONNX Runtime from Octet");
        };
    }

    private static Tensor fromOrt(String name, OnnxTensor t) {
        TensorInfo info = t.getInfo();
        long[] dims = info.getShape();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        int n = Math.toIntExact(info.getNumElements());
        return switch (info.type) {
            case FLOAT -> {
                float[] v = new float[n];
                t.getFloatBuffer().get(v);
                yield Tensor.of(DataType.FLOAT, shape, v);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                t.getDoubleBuffer().get(v);
                yield Tensor.of(DataType.DOUBLE, shape, v);
            }
            case FLOAT16 -> {
                ShortBuffer b = t.getShortBuffer();
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = Float.float16ToFloat(b.get(i));
                }
                yield Tensor.of(DataType.FLOAT16, shape, v);
            }
            case INT64 -> {
                long[] v = new long[n];
                t.getLongBuffer().get(v);
                yield Tensor.ofLongs(DataType.INT64, shape, v);
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i);
                }
                yield Tensor.ofLongs(DataType.INT32, shape, v);
            }
            case INT16 -> {
                ShortBuffer b = t.getShortBuffer();
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i);
                }
                yield Tensor.ofLongs(DataType.INT16, shape, v);
            }
            case INT8, UINT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                if (info.type == OnnxJavaType.BOOL) {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = b.get(i) != 0;
                    }
                    yield Tensor.ofBooleans(shape, v);
                }
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = info.type == OnnxJavaType.UINT8 ? Byte.toUnsignedLong(b.get(i)) : b.get(i);
                }
                yield Tensor.ofLongs(info.type == OnnxJavaType.UINT8 ? DataType.UINT8 : DataType.INT8, shape, v);
            }
            default -> throw new OctetException("output '" + name + "': ONNX Runtime's " + info.type
                    + " tensors are not read by Octet");
        };
    }

    @Override
    public void close() {
        try {
            session.close();
            for (OrtSession s : tapped.values()) {
                s.close();
            }
        } catch (OrtException e) {
            throw new OctetException("closing the ONNX Runtime session failed (" + e.getMessage() + ")");
        }
    }
}
