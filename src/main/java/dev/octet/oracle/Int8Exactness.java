package dev.octet.oracle;

import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether two implementations of the same QDQ model computed the same integers: the check that Octet's int8 code
 * agrees with ONNX Runtime on Octet's own export (issue 4: equal "except where ORT's arithmetic differs by at most
 * one unit, with the count of such elements reported").
 *
 * <p>The graph outputs are usually float (a float Gemm, Softmax or pooling after the last int8 tensor), where one
 * integer unit of difference is smeared by the float tail into a bound that depends on the weights. So the check is
 * made where units are defined: on the <em>last int8 tensors</em>, the quantized activations whose dequantized
 * values flow to a graph output without being quantized again. Their difference is counted in integer units: equal,
 * off by one (ORT's requantize rounds its fp32 multiply differently from DESIGN.md's formula at exact halves), or
 * more (a real disagreement).
 *
 * @param tensors the int8 tensors compared
 * @param elements how many elements they have in all (summed over the runs compared)
 * @param offByOne elements that differ by exactly one unit
 * @param offByMore elements that differ by more than one unit
 * @param maxUnits the largest difference, in units
 */
public record Int8Exactness(List<String> tensors, long elements, long offByOne, long offByMore, long maxUnits) {

    /** Nothing compared yet. */
    public static Int8Exactness empty(List<String> tensors) {
        return new Int8Exactness(List.copyOf(tensors), 0, 0, 0, 0);
    }

    /** Whether no element differs by more than one unit. */
    public boolean withinOneUnit() {
        return offByMore == 0;
    }

    /**
     * The last int8 tensors of a QDQ graph: non-constant inputs of DequantizeLinear nodes from which no
     * QuantizeLinear is reached downstream, in graph order.
     *
     * @throws OctetException where the graph dequantizes no activation (it is not an int8 model)
     */
    public static List<String> lastInt8Tensors(Graph qdq) {
        // Nodes are topologically sorted: walking them backwards, a value "feeds a quantize" when some node that
        // consumes it is a QuantizeLinear or produces a value that feeds one.
        Set<String> feedsQuantize = new HashSet<>();
        List<Node> nodes = qdq.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (n.opType().equals("QuantizeLinear") || n.outputs().stream().anyMatch(feedsQuantize::contains)) {
                feedsQuantize.addAll(n.inputs());
            }
        }
        Set<String> last = new LinkedHashSet<>();
        for (Node n : nodes) {
            if (n.opType().equals("DequantizeLinear") && !qdq.constants().containsKey(n.input(0))
                    && !feedsQuantize.contains(n.outputs().getFirst())) {
                last.add(n.input(0));
            }
        }
        if (last.isEmpty()) {
            throw new OctetException("graph " + qdq.name() + " dequantizes no int8 activation: it is not a QDQ "
                    + "model, so there is no int8 result to compare");
        }
        return new ArrayList<>(last);
    }

    /**
     * Every quantized activation of a QDQ graph (non-constant inputs of DequantizeLinear nodes), in graph order:
     * where Octet and ORT start to drift apart, for a per-tensor report.
     */
    public static List<String> allInt8Tensors(Graph qdq) {
        Set<String> all = new LinkedHashSet<>();
        for (Node n : qdq.nodes()) {
            if (n.opType().equals("DequantizeLinear") && !qdq.constants().containsKey(n.input(0))) {
                all.add(n.input(0));
            }
        }
        return new ArrayList<>(all);
    }

    /**
     * For each int8 activation, the int8 activations it is computed from (the nearest ones upstream, through float
     * steps such as DequantizeLinear → Conv → QuantizeLinear); empty for one computed from the float graph inputs.
     * Where all of these are equal in two runs, the tensor is one operator's result on identical inputs, which is
     * where the one-unit promise is checked.
     */
    public static Map<String, Set<String>> int8Inputs(Graph qdq) {
        Set<String> int8 = new HashSet<>(allInt8Tensors(qdq));
        Map<String, Set<String>> from = new HashMap<>();
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (Node n : qdq.nodes()) {
            Set<String> sources = new LinkedHashSet<>();
            for (String in : n.inputs()) {
                if (in.isEmpty() || qdq.constants().containsKey(in)) {
                    continue;
                }
                if (int8.contains(in)) {
                    sources.add(in);
                } else {
                    sources.addAll(from.getOrDefault(in, Set.of()));
                }
            }
            for (String out : n.outputs()) {
                from.put(out, sources);
                if (int8.contains(out)) {
                    result.put(out, sources);
                }
            }
        }
        return result;
    }

    /**
     * This result plus the comparison of one run's int8 tensors.
     *
     * @throws OctetException where a tensor is missing from either run or the shapes differ
     */
    public Int8Exactness plus(Map<String, Tensor> octet, Map<String, Tensor> oracle) {
        long n = elements;
        long one = offByOne;
        long more = offByMore;
        long max = maxUnits;
        for (String name : tensors) {
            Tensor a = octet.get(name);
            Tensor b = oracle.get(name);
            if (a == null || b == null) {
                throw new OctetException("int8 tensor '" + name + "' was not returned by "
                        + (a == null ? "Octet" : "the oracle"));
            }
            if (a.size() != b.size() || a.dtype() != b.dtype()) {
                throw new OctetException("int8 tensor '" + name + "': Octet gives " + a.type() + ", the oracle "
                        + b.type());
            }
            for (int i = 0; i < a.size(); i++) {
                long d = Math.abs(a.getLong(i) - b.getLong(i));
                one += d == 1 ? 1 : 0;
                more += d > 1 ? 1 : 0;
                max = Math.max(max, d);
            }
            n += a.size();
        }
        return new Int8Exactness(tensors, n, one, more, max);
    }

    /** One line for a report. */
    public String describe() {
        return String.format("%d int8 elements of %s: %d equal, %d off by one unit, %d off by more (max %d)",
                elements, tensors.size() == 1 ? tensors.getFirst() : tensors.size() + " tensors",
                elements - offByOne - offByMore, offByOne, offByMore, maxUnits);
    }
}
