package dev.octet.ir;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The static type of a value: element type, logical shape (each dimension known, symbolic or unknown) and memory
 * layout. Dimensions are always the logical ones (N, C, H, W), whatever the layout.
 */
public record TensorType(DataType dtype, List<Dim> dims, Layout layout) {
    public TensorType {
        dims = List.copyOf(dims);
        if (layout == null) {
            layout = Layout.PLAIN;
        }
    }

    /** A plain (row-major) tensor type, as every ONNX value is. */
    public TensorType(DataType dtype, List<Dim> dims) {
        this(dtype, dims, Layout.PLAIN);
    }

    public TensorType withLayout(Layout newLayout) {
        return new TensorType(dtype, dims, newLayout);
    }

    public static TensorType of(DataType dtype, long... shape) {
        return new TensorType(dtype, Arrays.stream(shape).mapToObj(Dim::of).toList());
    }

    public int rank() {
        return dims.size();
    }

    public boolean isStatic() {
        for (Dim d : dims) {
            if (!d.isKnown()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The concrete shape; only for static types. A shape that no Java array could hold (a dimension or an element
     * count beyond 2^31, as a lying model can declare) is an {@link OctetException}.
     */
    public int[] shape() {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            Dim d = dims.get(i);
            if (!d.isKnown()) {
                throw new IllegalStateException("dimension " + i + " of " + this + " is not known");
            }
            s[i] = d.value();
        }
        return Shapes.toIntShape(s, () -> "type " + this);
    }

    /** The number of elements of a static type (saturating at Long.MAX_VALUE), or -1 if a dimension is unknown. */
    public long elementCount() {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            if (!dims.get(i).isKnown()) {
                return -1;
            }
            s[i] = dims.get(i).value();
        }
        return Shapes.count(s);
    }

    @Override
    public String toString() {
        return dtype.shortName() + dims.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"))
                + (layout == Layout.PLAIN ? "" : "@" + layout.tag());
    }
}
