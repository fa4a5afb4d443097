package dev.octet.pass;

import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the declared types of graph inputs to concrete ones ({@code x: f32[?,3,?,?]} becomes
 * {@code x: f32[1,3,48,320]}), so that every later pass sees static shapes and the Shape→Gather→Concat chains of
 * exported models become constants. A given type must fit the declared one: same element type and rank, and equal
 * sizes where the declaration has a number.
 */
public final class BindInputShapes implements GraphPass {
    private final Map<String, TensorType> inputTypes;

    /** @param inputTypes the concrete type per input name; inputs not named keep their declared type */
    public BindInputShapes(Map<String, TensorType> inputTypes) {
        this.inputTypes = Map.copyOf(inputTypes);
    }

    @Override
    public Graph apply(Graph g) {
        Set<String> unknown = new HashSet<>(inputTypes.keySet());
        List<Value> inputs = new ArrayList<>();
        for (Value v : g.inputs()) {
            TensorType given = inputTypes.get(v.name());
            unknown.remove(v.name());
            inputs.add(given == null ? v : new Value(v.name(), checked(v, given)));
        }
        if (!unknown.isEmpty()) {
            throw new OctetException("the graph has no input named " + unknown.stream().sorted().toList());
        }
        return new Graph(g.name(), inputs, g.outputs(), g.nodes(), g.constants(), g.valueTypes(), g.opsets());
    }

    private static TensorType checked(Value v, TensorType given) {
        TensorType declared = v.type();
        if (declared == null) {
            return given;
        }
        boolean fits = declared.dtype() == given.dtype() && declared.rank() == given.rank();
        for (int i = 0; fits && i < declared.rank(); i++) {
            Dim d = declared.dims().get(i);
            Dim g = given.dims().get(i);
            fits = !d.isKnown() || (g.isKnown() && g.value() == d.value());
        }
        if (!fits) {
            throw new OctetException("input '" + v.name() + "' is declared " + declared + ", cannot bind it to "
                    + given);
        }
        return given;
    }
}
