package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Map;

/**
 * Plain float data (an array or a memory segment) as the input of a single-input model: what {@link
 * CompiledModel#run(float[], int...)} binds before the ordinary run checks the shape against the model's.
 */
final class ArrayInput {
    private ArrayInput() {
    }

    /**
     * The model's one input.
     *
     * @param call the call that needs it, for the message ("run(float[], int...)")
     * @throws OctetException where the model has several inputs (or none), naming them
     */
    static Value single(Graph graph, String call) {
        if (graph.inputs().size() != 1) {
            throw new OctetException(call + " is for models with one input; this one has " + graph.inputs().size()
                    + " (" + graph.inputs().stream().map(v -> v.name() + " " + v.type()).toList()
                    + "): give them by name with run(Map<String, Tensor>)");
        }
        return graph.inputs().getFirst();
    }

    /** A copy of {@code data} as the one FLOAT input, of {@code shape} (empty: the input's static shape). */
    static Map<String, Tensor> of(Graph graph, float[] data, int[] shape) {
        Value in = floatInput(graph, "run(float[], int...)");
        int[] s = shapeFor(in, shape, data.length);
        return Map.of(in.name(), Tensor.ofFloats(s, data.clone()));
    }

    /** {@link #of(Graph, float[], int[])} for native-order floats in a memory segment (copied, any alignment). */
    static Map<String, Tensor> of(Graph graph, MemorySegment data, int[] shape) {
        Value in = floatInput(graph, "run(MemorySegment, int...)");
        if (data.byteSize() % Float.BYTES != 0 || data.byteSize() / Float.BYTES > Integer.MAX_VALUE) {
            throw new OctetException("input '" + in.name() + "': a segment of " + data.byteSize()
                    + " bytes is not a whole number of floats (or too many for one tensor)");
        }
        int[] s = shapeFor(in, shape, (int) (data.byteSize() / Float.BYTES));
        return Map.of(in.name(), Tensor.ofFloats(s, data.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED)));
    }

    private static Value floatInput(Graph graph, String call) {
        Value in = single(graph, call);
        if (in.type().dtype() != DataType.FLOAT) {
            throw new OctetException("input '" + in.name() + "' is " + in.type() + ", not float: give it as a Tensor "
                    + "with run(Map<String, Tensor>)");
        }
        return in;
    }

    private static int[] shapeFor(Value in, int[] shape, int values) {
        int[] s = shape;
        if (s.length == 0) {
            if (!in.type().isStatic()) {
                throw new OctetException("input '" + in.name() + "' is " + in.type() + ": give the shape of the data "
                        + "(run(data, 1, 3, 224, 224))");
            }
            s = in.type().shape();
        }
        if (Arrays.stream(s).anyMatch(d -> d < 0)) {
            throw new OctetException("input '" + in.name() + "': shape " + Arrays.toString(s) + " has a negative size");
        }
        if (Shapes.size(s) != values) {
            throw new OctetException("input '" + in.name() + "' (" + in.type() + "): shape " + Arrays.toString(s)
                    + " needs " + Shapes.size(s) + " values, got " + values);
        }
        return s.clone();
    }
}
