package dev.octet.ir;

/**
 * One dimension of a tensor type: a known size, or a named symbol ("batch", "height") whose size is bound when
 * the model runs, or unknown (no name).
 */
public record Dim(long value, String symbol) {
    private static final Dim UNKNOWN = new Dim(-1, null);

    public Dim {
        if (value < -1) {
            throw new IllegalArgumentException("dimension " + value);
        }
        if (value >= 0 && symbol != null) {
            throw new IllegalArgumentException("a known dimension has no symbol");
        }
    }

    public static Dim of(long value) {
        return new Dim(value, null);
    }

    /**
     * A named dimension; no name, or "?" (which some exporters, PaddlePaddle's among them, write for "unknown"),
     * is an unknown one: two "?" dimensions need not be equal.
     */
    public static Dim symbol(String name) {
        return name == null || name.isEmpty() || name.equals("?") ? UNKNOWN : new Dim(-1, name);
    }

    public static Dim unknown() {
        return UNKNOWN;
    }

    public boolean isKnown() {
        return value >= 0;
    }

    @Override
    public String toString() {
        return isKnown() ? Long.toString(value) : symbol != null ? symbol : "?";
    }
}
