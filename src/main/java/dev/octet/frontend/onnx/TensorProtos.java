package dev.octet.frontend.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.octet.frontend.onnx.proto.Onnx.StringStringEntryProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.DataType;
import dev.octet.ir.Names;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Storage;
import dev.octet.ir.Tensor;
import dev.octet.ir.UnsupportedModelException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Conversion between ONNX TensorProto and {@link Tensor}. Every size is checked against the declared shape before
 * anything is allocated, so a file that lies about its sizes fails with a message instead of exhausting memory.
 */
public final class TensorProtos {
    private TensorProtos() {
    }

    /**
     * Reads a tensor.
     *
     * @param modelDir the folder external data must lie in, or null where external data is not allowed
     */
    public static Tensor toTensor(TensorProto tp, Path modelDir) {
        String what = "tensor " + Names.quote(tp.getName());
        DataType dtype = DataType.fromOnnx(tp.getDataType());
        if (dtype == null) {
            throw new UnsupportedModelException(what + ": data type " + tp.getDataType() + " is not supported");
        }
        if (tp.hasSegment()) {
            throw new UnsupportedModelException(what + ": segmented tensors are not supported");
        }
        long[] dims = new long[tp.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tp.getDims(i);
        }
        int[] shape = Shapes.toIntShape(dims, what);
        int n = Shapes.size(shape);
        if (tp.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return fromBytes(dtype, shape, readExternal(tp, modelDir, (long) n * dtype.byteSize(), what), what);
        }
        if (tp.hasRawData()) {
            if (dtype == DataType.STRING) {
                throw new OctetException(what + ": string tensors cannot use raw_data");
            }
            return fromBytes(dtype, shape, tp.getRawData(), what);
        }
        return fromTypedFields(tp, dtype, shape, n, what);
    }

    private static Tensor fromTypedFields(TensorProto tp, DataType dtype, int[] shape, int n, String what) {
        int count = switch (dtype) {
            case FLOAT -> tp.getFloatDataCount();
            case DOUBLE -> tp.getDoubleDataCount();
            case INT64 -> tp.getInt64DataCount();
            case UINT32, UINT64 -> tp.getUint64DataCount();
            case STRING -> tp.getStringDataCount();
            default -> tp.getInt32DataCount();
        };
        if (count != n) {
            throw new OctetException(what + ": holds " + count + " values, its shape " + Shapes.toString(shape)
                    + " needs " + n);
        }
        Object storage = Storage.allocate(dtype, n, what);
        return switch (dtype) {
            case FLOAT -> {
                float[] f = (float[]) storage;
                for (int i = 0; i < n; i++) {
                    f[i] = tp.getFloatData(i);
                }
                yield Tensor.of(dtype, shape, f);
            }
            case FLOAT16, BFLOAT16 -> {
                float[] f = (float[]) storage;
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(dtype, (short) tp.getInt32Data(i));
                }
                yield Tensor.of(dtype, shape, f);
            }
            case DOUBLE -> {
                double[] d = (double[]) storage;
                for (int i = 0; i < n; i++) {
                    d[i] = tp.getDoubleData(i);
                }
                yield Tensor.of(dtype, shape, d);
            }
            case BOOL -> {
                boolean[] b = (boolean[]) storage;
                for (int i = 0; i < n; i++) {
                    b[i] = tp.getInt32Data(i) != 0;
                }
                yield Tensor.of(dtype, shape, b);
            }
            case STRING -> {
                String[] s = (String[]) storage;
                for (int i = 0; i < n; i++) {
                    s[i] = tp.getStringData(i).toStringUtf8();
                }
                yield Tensor.of(dtype, shape, s);
            }
            default -> {
                long[] l = (long[]) storage;
                for (int i = 0; i < n; i++) {
                    long v = switch (dtype) {
                        case INT64 -> tp.getInt64Data(i);
                        case UINT32, UINT64 -> tp.getUint64Data(i);
                        default -> tp.getInt32Data(i);
                    };
                    l[i] = narrow(dtype, v);
                }
                yield Tensor.of(dtype, shape, l);
            }
        };
    }

    /** Reads little-endian raw bytes (ONNX raw_data and external data). */
    public static Tensor fromBytes(DataType dtype, int[] shape, ByteString bytes, String what) {
        if (dtype == DataType.STRING) {
            throw new OctetException(what + ": string tensors cannot use raw data");
        }
        int n = Shapes.size(shape);
        long expected = (long) n * dtype.byteSize();
        if (bytes.size() != expected) {
            throw new OctetException(what + ": raw data has " + bytes.size() + " bytes, its shape "
                    + Shapes.toString(shape) + " of " + dtype.shortName() + " needs " + expected);
        }
        ByteBuffer b = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        Object storage = Storage.allocate(dtype, n, what);
        return switch (dtype) {
            case FLOAT -> {
                float[] f = (float[]) storage;
                b.asFloatBuffer().get(f);
                yield Tensor.of(dtype, shape, f);
            }
            case FLOAT16, BFLOAT16 -> {
                float[] f = (float[]) storage;
                for (int i = 0; i < n; i++) {
                    f[i] = halfToFloat(dtype, b.getShort());
                }
                yield Tensor.of(dtype, shape, f);
            }
            case DOUBLE -> {
                double[] d = (double[]) storage;
                b.asDoubleBuffer().get(d);
                yield Tensor.of(dtype, shape, d);
            }
            case BOOL -> {
                boolean[] z = (boolean[]) storage;
                for (int i = 0; i < n; i++) {
                    z[i] = b.get() != 0;
                }
                yield Tensor.of(dtype, shape, z);
            }
            default -> {
                long[] l = (long[]) storage;
                for (int i = 0; i < n; i++) {
                    l[i] = switch (dtype) {
                        case INT8 -> b.get();
                        case UINT8 -> b.get() & 0xFF;
                        case INT16 -> b.getShort();
                        case UINT16 -> b.getShort() & 0xFFFF;
                        case INT32 -> b.getInt();
                        case UINT32 -> b.getInt() & 0xFFFF_FFFFL;
                        default -> b.getLong();
                    };
                }
                yield Tensor.of(dtype, shape, l);
            }
        };
    }

    /** Writes a tensor as raw little-endian data (strings as string_data). */
    public static TensorProto toProto(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(t.dtype().onnxCode());
        for (int d : t.shape()) {
            b.addDims(d);
        }
        if (t.dtype() == DataType.STRING) {
            for (String s : t.strings()) {
                b.addStringData(ByteString.copyFrom(s, StandardCharsets.UTF_8));
            }
            return b.build();
        }
        ByteBuffer buf = ByteBuffer.allocate(t.size() * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            switch (t.dtype()) {
                case FLOAT -> buf.putFloat(t.floats()[i]);
                case FLOAT16 -> buf.putShort(Float.floatToFloat16(t.floats()[i]));
                case BFLOAT16 -> buf.putShort((short) (Float.floatToRawIntBits(t.floats()[i]) >>> 16));
                case DOUBLE -> buf.putDouble(t.doubles()[i]);
                case BOOL -> buf.put((byte) (t.booleans()[i] ? 1 : 0));
                case INT8, UINT8 -> buf.put((byte) t.longs()[i]);
                case INT16, UINT16 -> buf.putShort((short) t.longs()[i]);
                case INT32, UINT32 -> buf.putInt((int) t.longs()[i]);
                default -> buf.putLong(t.longs()[i]);
            }
        }
        // The buffer is local and never written again, so the proto may share it instead of copying it.
        return b.setRawData(UnsafeByteOperations.unsafeWrap(buf.array())).build();
    }

    private static float halfToFloat(DataType dtype, short bits) {
        return dtype == DataType.FLOAT16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Values of small integer types arrive widened in int32_data; keep them in their type's range as ONNX does. */
    private static long narrow(DataType dtype, long v) {
        return switch (dtype) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case INT16 -> (short) v;
            case UINT16 -> v & 0xFFFF;
            case INT32 -> (int) v;
            case UINT32 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    /** Reads external data, refusing any location outside the model's folder (also through symbolic links). */
    private static ByteString readExternal(TensorProto tp, Path modelDir, long expected, String what) {
        if (modelDir == null) {
            throw new OctetException(what + ": external data is not allowed here");
        }
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : tp.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { }
                }
            } catch (NumberFormatException ex) {
                throw new OctetException(what + ": external data " + e.getKey() + " '" + e.getValue()
                        + "' is not a number");
            }
        }
        if (location == null || location.isEmpty()) {
            throw new OctetException(what + ": external data has no location");
        }
        if (offset < 0 || length < -1) {
            throw new OctetException(what + ": external data offset " + offset + " or length " + length
                    + " is negative");
        }
        if (length >= 0 && length != expected) {
            throw new OctetException(what + ": external data length " + length + " does not match its shape ("
                    + expected + " bytes)");
        }
        Path file = insideFolder(modelDir, location, what);
        try {
            long size = Files.size(file);
            if (offset > size || expected > size - offset) {
                throw new OctetException(what + ": external data " + Names.quote(location) + " has " + size
                        + " bytes, the tensor needs " + expected + " at offset " + offset);
            }
            if (expected > Integer.MAX_VALUE - 8) {
                throw new OctetException(what + ": external data of " + expected + " bytes is more than one Java "
                        + "array can hold (2 GiB)");
            }
            byte[] bytes = Storage.guard(expected, what, () -> new byte[(int) expected]);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                f.seek(offset);
                f.readFully(bytes);
            }
            return UnsafeByteOperations.unsafeWrap(bytes);
        } catch (IOException e) {
            throw new OctetException(what + ": cannot read external data " + Names.quote(location) + ": "
                    + e.getMessage());
        }
    }

    /**
     * The external data file, which must be a regular file inside the model's folder: no "..", no absolute path,
     * no symbolic link leading out, no device or pipe (reading one could block forever).
     */
    private static Path insideFolder(Path modelDir, String location, String what) {
        String refused = what + ": external data " + Names.quote(location)
                + " is not a file inside the model's folder ";
        try {
            Path dir = modelDir.toRealPath();
            Path file = dir.resolve(location).normalize();
            if (!file.startsWith(dir) || !Files.isRegularFile(file) || !file.toRealPath().startsWith(dir)) {
                throw new OctetException(refused + dir);
            }
            return file.toRealPath();
        } catch (InvalidPathException e) {
            throw new OctetException(refused + modelDir + " (" + e.getReason() + ")");
        } catch (IOException e) {
            throw new OctetException(refused + modelDir + " (" + e.getMessage() + ")");
        }
    }
}
