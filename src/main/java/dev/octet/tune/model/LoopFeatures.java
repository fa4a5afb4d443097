package dev.octet.tune.model;

import dev.octet.kernel.loop.Expr;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.kernel.loop.Stmt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Features of a configuration read from the loop nest its template builds ({@link LoopKernel}), without compiling
 * it: a walk of the statement tree. Knob values say what a configuration asks for; the nest says what it does with
 * the workload (a tile clipped to the channels, a packing buffer's size, how many micro-kernel calls a block makes).
 * Trip counts are known where a loop's bounds are constants (loops over channels, tiles, kernel taps); loops
 * bounded by scalars (the spatial size, the parallel range) count once, so the counts are per block of the parallel
 * loop. Bytes are those of the local arrays (packed input panels, accumulator tiles): what a block keeps in cache.
 * No ratio to the L1 or L2 size is given: trees split on thresholds, so a fixed rescaling of a feature teaches them
 * nothing new.
 */
public final class LoopFeatures {
    /** The features, in schema order. */
    public static final List<String> NAMES = List.of("loops", "depth", "static_loops", "dynamic_loops",
            "unrolled_loops", "unroll_product", "vector_extent", "calls_per_block", "stores_per_block",
            "arith_per_block", "local_bytes", "largest_local_bytes", "local_arrays");

    /** Builds the loop nest of a configuration of a workload, or null where it cannot (unknown workload, invalid). */
    @FunctionalInterface
    public interface Source {
        LoopKernel kernel(String workload, dev.octet.kernel.Config c);
    }

    private int loops;
    private int depth;
    private int staticLoops;
    private int unrolled;
    private double unrollProduct = 1;
    private double vectorExtent;
    private double calls;
    private double stores;
    private double arith;
    private double localBytes;
    private double largestLocal;
    private int localArrays;

    private LoopFeatures() {
    }

    /** The features of a kernel, by {@link #NAMES}. */
    public static Map<String, Double> of(LoopKernel k) {
        LoopFeatures f = new LoopFeatures();
        f.walk(k.body(), 0, 1);
        Map<String, Double> out = new LinkedHashMap<>();
        double[] v = {f.loops, f.depth, f.staticLoops, f.loops - f.staticLoops, f.unrolled, f.unrollProduct,
                f.vectorExtent, f.calls, f.stores, f.arith, f.localBytes, f.largestLocal, f.localArrays};
        for (int i = 0; i < v.length; i++) {
            out.put(NAMES.get(i), v[i]);
        }
        return out;
    }

    /** @param times how often the statement runs per block: the product of its enclosing static trip counts */
    private void walk(Stmt s, int level, double times) {
        switch (s) {
            case Stmt.For f -> {
                loops++;
                depth = Math.max(depth, level + 1);
                long trips = trips(f);
                if (trips >= 0) {
                    staticLoops++;
                }
                if (f.kind() == Stmt.Kind.UNROLLED) {
                    unrolled++;
                    unrollProduct *= Math.max(1, trips);
                }
                if (f.kind() == Stmt.Kind.VECTORIZED && trips > 0) {
                    vectorExtent = Math.max(vectorExtent, trips);
                }
                walk(f.body(), level + 1, times * Math.max(1, trips));
            }
            case Stmt.Seq q -> q.body().forEach(b -> walk(b, level, times));
            case Stmt.If i -> {
                walk(i.then(), level, times);
                if (i.otherwise() != null) {
                    walk(i.otherwise(), level, times);
                }
            }
            case Stmt.LocalArray a -> {
                double bytes = (double) a.size() * a.buffer().type().bytes();
                localBytes += bytes;
                largestLocal = Math.max(largestLocal, bytes);
                localArrays++;
                walk(a.body(), level, times);
            }
            case Stmt.Store st -> {
                stores += times;
                arith += times * arithmetic(st.value());
            }
            case Stmt.Assign as -> arith += times * arithmetic(as.value());
            case Stmt.Declare d -> arith += times * arithmetic(d.init());
            case Stmt.Eval e -> calls += times;
        }
    }

    /** The trip count of a loop with constant bounds, else -1. */
    private static long trips(Stmt.For f) {
        if (f.start() instanceof Expr.Int a && f.end() instanceof Expr.Int b) {
            return Math.max(0, (b.value() - a.value() + f.step() - 1) / f.step());
        }
        return -1;
    }

    /** Arithmetic operations of an expression (additions, products, min/max; not index loads). */
    private static int arithmetic(Expr e) {
        return switch (e) {
            case Expr.Bin b -> (isArithmetic(b.op()) ? 1 : 0) + arithmetic(b.a()) + arithmetic(b.b());
            case Expr.Select s -> arithmetic(s.condition()) + arithmetic(s.ifTrue()) + arithmetic(s.ifFalse());
            case Expr.Cast c -> arithmetic(c.value());
            case Expr.Call c -> c.args().stream().mapToInt(LoopFeatures::arithmetic).sum();
            default -> 0;
        };
    }

    private static boolean isArithmetic(Expr.Op op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MIN, MAX -> true;
            default -> false;
        };
    }
}
