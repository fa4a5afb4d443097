package dev.octet.runtime;

import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks the tensors given for a graph's inputs against the declared types and binds the symbolic dimensions
 * (batch, height, width) to the sizes given. One clear error names the first input that does not fit.
 */
public final class InputBinding {
    private InputBinding() {
    }

    /** The concrete type of each graph input, after checking the given tensors. */
    public static Map<String, TensorType> bind(Graph graph, Map<String, Tensor> inputs) {
        Map<String, TensorType> types = new LinkedHashMap<>();
        Map<String, Long> symbols = new HashMap<>();
        for (Value v : graph.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) {
                throw new OctetException("input '" + v.name() + "' (" + v.type() + ") is missing; the model's inputs are "
                        + graph.inputs().stream().map(Value::name).toList());
            }
            check(v, t, symbols);
            types.put(v.name(), t.type());
        }
        for (String name : inputs.keySet()) {
            if (graph.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                throw new OctetException("'" + name + "' is not an input of the model; its inputs are "
                        + graph.inputs().stream().map(Value::name).toList());
            }
        }
        return types;
    }

    private static void check(Value v, Tensor t, Map<String, Long> symbols) {
        TensorType declared = v.type();
        if (t.dtype() != declared.dtype()) {
            throw new OctetException("input '" + v.name() + "': expected " + declared.dtype().shortName()
                    + " elements, got " + t.dtype().shortName());
        }
        int[] shape = t.shape();
        if (shape.length != declared.rank()) {
            throw new OctetException("input '" + v.name() + "': expected shape " + declared + ", got rank "
                    + shape.length + " " + Arrays.toString(shape));
        }
        for (int i = 0; i < shape.length; i++) {
            Dim d = declared.dims().get(i);
            if (d.isKnown() && d.value() != shape[i]) {
                throw new OctetException("input '" + v.name() + "': expected shape " + declared + ", got "
                        + Arrays.toString(shape) + " (dimension " + i + " must be " + d.value() + ")");
            }
            if (d.symbol() != null) {
                Long prev = symbols.putIfAbsent(d.symbol(), (long) shape[i]);
                if (prev != null && prev != shape[i]) {
                    throw new OctetException("input '" + v.name() + "': dimension '" + d.symbol() + "' is " + shape[i]
                            + " here but " + prev + " in another input");
                }
            }
        }
    }
}
