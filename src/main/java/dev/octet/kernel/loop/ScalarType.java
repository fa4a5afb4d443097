package dev.octet.kernel.loop;

/** Element and scalar types of the loop language, with their C spelling. */
public enum ScalarType {
    F32("float", 4), F64("double", 8), I8("int8_t", 1), U8("uint8_t", 1), I16("int16_t", 2), I32("int32_t", 4),
    I64("int64_t", 8), BOOL("int", 4);

    private final String cName;
    private final int bytes;

    ScalarType(String cName, int bytes) {
        this.cName = cName;
        this.bytes = bytes;
    }

    public String cName() {
        return cName;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == F32 || this == F64;
    }
}
