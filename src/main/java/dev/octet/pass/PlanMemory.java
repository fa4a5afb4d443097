package dev.octet.pass;

import dev.octet.ir.Graph;
import dev.octet.ir.Layout;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.ShapeInference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the memory of a graph's intermediate values (node outputs that are not graph outputs) at the graph's
 * concrete input shapes: values are placed in one arena, largest first, each at the lowest-waste gap (best fit)
 * among the values alive at the same time, so that values whose lifetimes do not overlap share memory. A value
 * lives from the node that computes it to the last node that reads it; a blocked value (NCHW8c) takes its channels
 * padded to a multiple of 8.
 */
final class PlanMemory {
    /** Every slot starts at and is sized to a multiple of this many bytes (a cache line, an AVX-512 vector). */
    public static final int ALIGNMENT = 64;

    private PlanMemory() {
    }

    /**
     * @param g a graph whose input types are static (see {@link BindInputShapes})
     * @return the plan, already {@link MemoryPlan#check() checked}
     * @throws OctetException where a value's shape is not static
     */
    public static MemoryPlan plan(Graph g) {
        ShapeInference.Result types = ShapeInference.infer(g, Map.of());
        GraphIndex index = new GraphIndex(g);
        List<Node> nodes = g.nodes();
        Map<String, Integer> lastRead = new HashMap<>();
        for (int step = 0; step < nodes.size(); step++) {
            for (String in : nodes.get(step).inputs()) {
                lastRead.put(in, step);
            }
        }
        Map<String, MemoryPlan.Slot> unplaced = new LinkedHashMap<>();
        for (int step = 0; step < nodes.size(); step++) {
            for (String out : nodes.get(step).outputs()) {
                if (out.isEmpty() || index.isGraphOutput(out)) {
                    continue;
                }
                long bytes = align(bytes(out, types.type(out), layout(g, out)));
                unplaced.put(out, new MemoryPlan.Slot(-1, bytes, step, lastRead.getOrDefault(out, step)));
            }
        }
        List<String> bySize = new ArrayList<>(unplaced.keySet());
        bySize.sort(Comparator.comparingLong((String v) -> -unplaced.get(v).bytes())
                .thenComparingInt(v -> unplaced.get(v).firstStep()));
        Map<String, MemoryPlan.Slot> placed = new HashMap<>();
        long arena = 0;
        for (String v : bySize) {
            MemoryPlan.Slot s = unplaced.get(v);
            long offset = bestFit(s, placed.values());
            MemoryPlan.Slot p = new MemoryPlan.Slot(offset, s.bytes(), s.firstStep(), s.lastStep());
            placed.put(v, p);
            arena = Math.max(arena, offset + s.bytes());
        }
        Map<String, MemoryPlan.Slot> inOrder = new LinkedHashMap<>();
        unplaced.keySet().forEach(v -> inOrder.put(v, placed.get(v)));
        MemoryPlan plan = new MemoryPlan(inOrder, arena);
        plan.check();
        return plan;
    }

    /** The offset of the smallest gap between slots alive with {@code s} that holds it, else the end of them. */
    private static long bestFit(MemoryPlan.Slot s, Iterable<MemoryPlan.Slot> placed) {
        List<MemoryPlan.Slot> live = new ArrayList<>();
        for (MemoryPlan.Slot p : placed) {
            if (p.livesWith(s)) {
                live.add(p);
            }
        }
        live.sort(Comparator.comparingLong(MemoryPlan.Slot::offset));
        long best = -1;
        long bestGap = Long.MAX_VALUE;
        long end = 0;
        for (MemoryPlan.Slot p : live) {
            long gap = p.offset() - end;
            if (gap >= s.bytes() && gap < bestGap) {
                best = end;
                bestGap = gap;
            }
            end = Math.max(end, p.offset() + p.bytes());
        }
        return best >= 0 ? best : end;
    }

    /** The layout the graph records for a value (the layout pass records blocked ones), else PLAIN. */
    private static Layout layout(Graph g, String value) {
        TensorType recorded = g.valueTypes().get(value);
        return recorded == null ? Layout.PLAIN : recorded.layout();
    }

    private static long bytes(String value, TensorType t, Layout layout) {
        if (t == null || !t.isStatic()) {
            throw new OctetException("memory planning needs static shapes, but value '" + value + "' is "
                    + (t == null ? "of unknown type" : t) + "; bind the input shapes first");
        }
        long n = t.dtype().byteSize();
        for (int i = 0; i < t.rank(); i++) {
            long d = t.dims().get(i).value();
            if (i == 1 && layout != Layout.PLAIN) {
                int block = layout == Layout.NCHW8C ? 8 : 4;
                d = (d + block - 1) / block * block;
            }
            if (d != 0 && n > Long.MAX_VALUE / 2 / d) {
                throw new OctetException("value '" + value + "' of type " + t + " is too large to plan");
            }
            n *= d;
        }
        return n;
    }

    private static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
