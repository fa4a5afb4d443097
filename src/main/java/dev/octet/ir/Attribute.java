package dev.octet.ir;

import java.util.Arrays;
import java.util.List;

/**
 * One typed node attribute. The value's Java type follows the kind: INT Long, FLOAT Float, STRING String,
 * TENSOR Tensor, INTS long[], FLOATS float[], STRINGS List&lt;String&gt;.
 */
public record Attribute(String name, Kind kind, Object value) {
    public enum Kind { INT, FLOAT, STRING, TENSOR, INTS, FLOATS, STRINGS }

    public Attribute {
        Class<?> expected = switch (kind) {
            case INT -> Long.class;
            case FLOAT -> Float.class;
            case STRING -> String.class;
            case TENSOR -> Tensor.class;
            case INTS -> long[].class;
            case FLOATS -> float[].class;
            case STRINGS -> List.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("attribute " + name + " of kind " + kind + " holds " + value);
        }
    }

    public static Attribute of(String name, long v) {
        return new Attribute(name, Kind.INT, v);
    }

    public static Attribute of(String name, float v) {
        return new Attribute(name, Kind.FLOAT, v);
    }

    public static Attribute of(String name, String v) {
        return new Attribute(name, Kind.STRING, v);
    }

    public static Attribute of(String name, Tensor v) {
        return new Attribute(name, Kind.TENSOR, v);
    }

    public static Attribute of(String name, long... v) {
        return new Attribute(name, Kind.INTS, v.clone());
    }

    public static Attribute of(String name, float... v) {
        return new Attribute(name, Kind.FLOATS, v.clone());
    }

    public static Attribute ofStrings(String name, List<String> v) {
        return new Attribute(name, Kind.STRINGS, List.copyOf(v));
    }

    /** The value as Octet's text IR prints it. */
    public String valueText() {
        return switch (value) {
            case long[] l -> Arrays.toString(l);
            case float[] f -> Arrays.toString(f);
            case String s -> '"' + s + '"';
            case Tensor t -> t.type().toString();
            default -> String.valueOf(value);
        };
    }
}
