package dev.octet.oracle;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ONNX Runtime through its Java API: one session per model, CPU execution provider. */
final class OrtOracle implements Oracle {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Path model;

    private OrtOracle(OrtEnvironment env, OrtSession session, Path model) {
        this.env = env;
        this.session = session;
        this.model = model;
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
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
            }
            return new OrtOracle(env, env.createSession(bytes, options), model);
        } catch (OrtException e) {
            throw new OctetException(model + ": ONNX Runtime rejects the model (" + e.getMessage() + ")");
        }
    }

    @Override
    public String name() {
        return "ONNX Runtime " + env.getVersion();
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
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
        } catch (OrtException e) {
            throw new OctetException("closing the ONNX Runtime session failed (" + e.getMessage() + ")");
        }
    }
}
