package dev.octet.pass;

import dev.octet.ir.Attributes;
import dev.octet.ir.Dim;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proves two values have the same shape where shape inference leaves sizes unknown (a strided convolution of a
 * symbolic height): each dimension gets a key that names how it is computed, "7" for a known size, the symbol of a
 * named one, "x#2" for axis 2 of a graph input of unknown size, "win(k,s,d,pb,pe,pad,ceil;KEY)" for a convolution's
 * or pool's output, the operand's key through elementwise nodes. The key is a function of the dimension's inputs,
 * so equal keys mean equal sizes for every input; a dimension whose computation is not followed gets no key (null).
 */
final class ShapeKeys {
    private static final Set<String> WINDOWED = Set.of("Conv", "FusedConv", "MaxPool", "AveragePool");
    private static final Set<String> UNARY = Set.of("Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Clip", "Tanh",
            "LeakyRelu", "Identity", "BatchNormalization", "Neg", "Abs", "Sqrt", "Exp");
    private static final Set<String> BINARY = Set.of("Add", "Sub", "Mul", "Div");

    private final GraphIndex index;
    private final ShapeInference.Result types;
    private final Map<String, List<String>> keys = new HashMap<>();

    ShapeKeys(GraphIndex index, ShapeInference.Result types) {
        this.index = index;
        this.types = types;
    }

    /** Whether a and b provably have the same dtype and shape. */
    boolean sameShape(String a, String b) {
        TensorType ta = types.type(a);
        TensorType tb = types.type(b);
        if (ta == null || tb == null || ta.dtype() != tb.dtype()) {
            return false;
        }
        List<String> ka = key(a);
        return ka != null && !ka.contains(null) && ka.equals(key(b));
    }

    /** The keys of a value's dimensions (an entry null where not followed), or null where even the rank is not. */
    List<String> key(String value) {
        if (keys.containsKey(value)) {
            return keys.get(value);
        }
        keys.put(value, null); // no cycles in a graph, but keep a bad one finite
        List<String> k = compute(value);
        keys.put(value, k);
        return k;
    }

    private List<String> compute(String value) {
        TensorType t = types.type(value);
        if (t == null) {
            return null;
        }
        List<String> own = new ArrayList<>();
        boolean complete = true;
        for (int a = 0; a < t.rank(); a++) {
            Dim d = t.dims().get(a);
            String k = d.isKnown() ? Long.toString(d.value()) : d.symbol();
            own.add(k);
            complete &= k != null;
        }
        Node p = index.producer(value);
        if (complete || p == null) {
            boolean input = index.graph().inputs().stream().map(Value::name).anyMatch(value::equals);
            for (int a = 0; a < own.size() && input; a++) {
                own.set(a, own.get(a) != null ? own.get(a) : value + "#" + a);
            }
            return own;
        }
        List<String> derived = derived(p, t.rank());
        for (int a = 0; derived != null && a < own.size(); a++) {
            own.set(a, own.get(a) != null ? own.get(a) : derived.get(a));
        }
        return own;
    }

    /** The keys of the first output of p from its inputs' keys, or null. */
    private List<String> derived(Node p, int rank) {
        String op = p.opType();
        if (UNARY.contains(op) && p.domain().isEmpty()) {
            List<String> in = key(p.input(0));
            return in != null && in.size() == rank ? in : null;
        }
        if (BINARY.contains(op) && p.domain().isEmpty() && p.inputs().size() == 2) {
            List<String> x = key(p.input(0));
            List<String> y = key(p.input(1));
            if (x != null && x.equals(y)) {
                return x;
            }
            return broadcastOfConstant(x, index.constant(p.input(1)), rank) != null ? x
                    : broadcastOfConstant(y, index.constant(p.input(0)), rank);
        }
        if (WINDOWED.contains(op) && rank == 4 && (p.domain().isEmpty() || p.domain().equals(Graphs.OCTET_DOMAIN))) {
            return windowed(p);
        }
        return null;
    }

    /** x's keys where a constant c only broadcasts against it (each dim 1 or x's known size), else null. */
    private static List<String> broadcastOfConstant(List<String> x, Tensor c, int rank) {
        if (x == null || c == null || x.size() != rank || c.rank() > rank) {
            return null;
        }
        for (int i = 0; i < c.rank(); i++) {
            int d = c.dim(i);
            if (d != 1 && !Integer.toString(d).equals(x.get(rank - c.rank() + i))) {
                return null;
            }
        }
        return x;
    }

    /** N and C as inferred or from the input; each spatial dim as a function of the input's and the window. */
    private List<String> windowed(Node p) {
        List<String> in = key(p.input(0));
        TensorType t = types.type(p.outputs().get(0));
        if (in == null || in.size() != 4 || t == null || t.rank() != 4) {
            return null;
        }
        Attributes a = p.attributes();
        long[] kernel = a.getInts("kernel_shape");
        Tensor w = p.opType().endsWith("Conv") ? index.constant(p.input(1)) : null;
        if (kernel == null && w != null && w.rank() == 4) {
            kernel = new long[] {w.dim(2), w.dim(3)};
        }
        if (kernel == null || kernel.length != 2) {
            return null;
        }
        long[] strides = a.getInts("strides", new long[] {1, 1});
        long[] dilations = a.getInts("dilations", new long[] {1, 1});
        long[] pads = a.getInts("pads", new long[4]);
        String autoPad = a.getString("auto_pad", "NOTSET");
        long ceil = a.getInt("ceil_mode", 0);
        List<String> out = new ArrayList<>();
        out.add(in.get(0));
        Dim c = t.dims().get(1);
        out.add(c.isKnown() ? Long.toString(c.value()) : w != null ? Integer.toString(w.dim(0)) : in.get(1));
        for (int i = 0; i < 2; i++) {
            boolean keepsSize = strides[i] == 1 && autoPad.equals("NOTSET")
                    && dilations[i] * (kernel[i] - 1) == pads[i] + pads[i + 2];
            String k = in.get(2 + i);
            out.add(k == null ? null : keepsSize ? k : "win(" + kernel[i] + "," + strides[i] + "," + dilations[i]
                    + "," + pads[i] + "," + pads[i + 2] + "," + autoPad + "," + ceil + ";" + k + ")");
        }
        return out;
    }
}
