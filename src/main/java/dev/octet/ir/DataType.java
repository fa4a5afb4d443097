package dev.octet.ir;

/** Element types, numbered as ONNX's TensorProto.DataType. */
public enum DataType {
    FLOAT(1, 4, "f32"),
    UINT8(2, 1, "u8"),
    INT8(3, 1, "i8"),
    UINT16(4, 2, "u16"),
    INT16(5, 2, "i16"),
    INT32(6, 4, "i32"),
    INT64(7, 8, "i64"),
    STRING(8, 0, "str"),
    BOOL(9, 1, "bool"),
    FLOAT16(10, 2, "f16"),
    DOUBLE(11, 8, "f64"),
    UINT32(12, 4, "u32"),
    UINT64(13, 8, "u64"),
    BFLOAT16(16, 2, "bf16");

    private final int onnxCode;
    private final int byteSize;
    private final String shortName;

    DataType(int onnxCode, int byteSize, String shortName) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.shortName = shortName;
    }

    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element in ONNX's raw_data encoding (0 for strings). */
    public int byteSize() {
        return byteSize;
    }

    /** The name used in Octet's text IR: f32, u8, i64... */
    public String shortName() {
        return shortName;
    }

    public boolean isFloat() {
        return this == FLOAT || this == DOUBLE || this == FLOAT16 || this == BFLOAT16;
    }

    public boolean isInteger() {
        return !isFloat() && this != BOOL && this != STRING;
    }

    public boolean isSigned() {
        return this == INT8 || this == INT16 || this == INT32 || this == INT64 || isFloat();
    }

    /** Smallest value of an integer type (as a long; UINT64 is limited to Long range). */
    public long minValue() {
        return switch (this) {
            case UINT8, UINT16, UINT32, UINT64, BOOL -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** Largest value of an integer type (UINT64 is limited to Long range). */
    public long maxValue() {
        return switch (this) {
            case UINT8 -> 255;
            case UINT16 -> 65535;
            case UINT32 -> 0xFFFF_FFFFL;
            case UINT64, INT64 -> Long.MAX_VALUE;
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case BOOL -> 1;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** The type with this ONNX code, or null if Octet does not know it. */
    public static DataType fromOnnx(int code) {
        for (DataType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        return null;
    }
}
