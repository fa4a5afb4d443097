package dev.octet.kernel.loop;

/**
 * Element and scalar types of the loop language, with their C spelling. {@link #F16} is IEEE binary16 as C's
 * {@code _Float16} (GCC 12+ on x86-64; at x86-64-v3 conversions use F16C): a storage type, converted to
 * {@link #F32} for arithmetic, because no ISA level of Octet has AVX512-FP16 arithmetic.
 */
public enum ScalarType {
    F16("_Float16", 2), F32("float", 4), F64("double", 8), I8("int8_t", 1), U8("uint8_t", 1), I16("int16_t", 2), I32("int32_t", 4),
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
        return this == F16 || this == F32 || this == F64;
    }
}
