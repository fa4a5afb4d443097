package dev.octet.data;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format (versions 1.0 to 3.0), C order. Reads and writes float16/32/64, signed and unsigned
 * integers of 8 to 64 bits and booleans, little- or big-endian.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Parses .npy bytes; {@code what} names the source in messages. */
    public static Tensor read(byte[] bytes, String what) {
        if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw new OctetException(what + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : Integer.toUnsignedLong(buf.getInt(8));
        int headerStart = major == 1 ? 10 : 12;
        if (major < 1 || major > 3 || headerStart + headerLen > bytes.length) {
            throw new OctetException(what + ": corrupt .npy header (version " + major + ")");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new OctetException(what + ": .npy header without descr, fortran_order or shape: " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new OctetException(what + ": Fortran-order .npy arrays are not supported (save with C order)");
        }
        DataType dtype = dtype(d.group(2), Integer.parseInt(d.group(3)), what);
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        int[] shape = Shapes.toIntShape(dims.stream().mapToLong(Long::longValue).toArray(), what);
        int n = Shapes.size(shape);
        int size = dtype.byteSize();
        int start = headerStart + (int) headerLen;
        if ((long) n * size > bytes.length - start) {
            throw new OctetException(what + ": the .npy data is truncated (" + (bytes.length - start)
                    + " bytes for " + n + " values of " + size + " bytes)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, start, bytes.length - start)
                .order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean unsigned = d.group(2).equals("u");
        return switch (dtype) {
            case FLOAT, FLOAT16 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = dtype == DataType.FLOAT ? data.getFloat() : Float.float16ToFloat(data.getShort());
                }
                yield Tensor.of(dtype, shape, v);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.getDouble();
                }
                yield Tensor.of(dtype, shape, v);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = data.get() != 0;
                }
                yield Tensor.ofBooleans(shape, v);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (size) {
                        case 1 -> unsigned ? Byte.toUnsignedLong(data.get()) : data.get();
                        case 2 -> unsigned ? Short.toUnsignedLong(data.getShort()) : data.getShort();
                        case 4 -> unsigned ? Integer.toUnsignedLong(data.getInt()) : data.getInt();
                        default -> data.getLong();
                    };
                }
                yield Tensor.ofLongs(dtype, shape, v);
            }
        };
    }

    private static DataType dtype(String kind, int bytes, String what) {
        DataType t = switch (kind + bytes) {
            case "f2" -> DataType.FLOAT16;
            case "f4" -> DataType.FLOAT;
            case "f8" -> DataType.DOUBLE;
            case "i1" -> DataType.INT8;
            case "i2" -> DataType.INT16;
            case "i4" -> DataType.INT32;
            case "i8" -> DataType.INT64;
            case "u1" -> DataType.UINT8;
            case "u2" -> DataType.UINT16;
            case "u4" -> DataType.UINT32;
            case "u8" -> DataType.UINT64;
            case "b1" -> DataType.BOOL;
            default -> null;
        };
        if (t == null) {
            throw new OctetException(what + ": .npy element type '" + kind + bytes + "' is not supported");
        }
        return t;
    }

    /** A tensor as .npy (version 1.0) bytes, little-endian. */
    public static byte[] write(Tensor t) {
        String descr = switch (t.dtype()) {
            case FLOAT -> "<f4";
            case FLOAT16 -> "<f2";
            case DOUBLE -> "<f8";
            case INT8 -> "|i1";
            case INT16 -> "<i2";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case UINT8 -> "|u1";
            case UINT16 -> "<u2";
            case UINT32 -> "<u4";
            case UINT64 -> "<u8";
            case BOOL -> "|b1";
            default -> throw new OctetException(t.dtype().shortName() + " tensors cannot be written as .npy");
        };
        StringBuilder shape = new StringBuilder();
        for (int d : t.shape()) {
            shape.append(d).append(", ");
        }
        // Python's tuple syntax: (), (3,), (1, 3).
        shape.setLength(Math.max(0, shape.length() - (t.rank() == 1 ? 1 : 2)));
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + shape + "), }");
        // Data starts at a multiple of 64 bytes; the header ends with a newline.
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        int size = t.dtype().byteSize();
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + t.size() * size).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < t.size(); i++) {
            switch (t.dtype()) {
                case FLOAT -> buf.putFloat(t.floats()[i]);
                case FLOAT16 -> buf.putShort(Float.floatToFloat16(t.floats()[i]));
                case DOUBLE -> buf.putDouble(t.doubles()[i]);
                case BOOL -> buf.put((byte) (t.booleans()[i] ? 1 : 0));
                default -> {
                    long v = t.longs()[i];
                    switch (size) {
                        case 1 -> buf.put((byte) v);
                        case 2 -> buf.putShort((short) v);
                        case 4 -> buf.putInt((int) v);
                        default -> buf.putLong(v);
                    }
                }
            }
        }
        return buf.array();
    }
}
