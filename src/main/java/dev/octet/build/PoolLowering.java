package dev.octet.build;

import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.TensorType;
import dev.octet.kernel.Config;
import dev.octet.kernel.Int8MaxPoolTemplate;
import dev.octet.kernel.PoolTemplate;
import dev.octet.kernel.PoolWorkload;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.Int8MaxPoolStep;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.PoolStep;
import java.util.Map;

/**
 * Lowers fp32 2-D MaxPool (without Indices), AveragePool and GlobalAveragePool to {@link PoolTemplate} kernels, and
 * 2-D MaxPool of u8/s8 (a quantized graph's) to an {@link Int8MaxPoolStep} on an {@link Int8MaxPoolTemplate}
 * kernel, or on Java loops where no native kernels are built (the JVM backend).
 */
final class PoolLowering {
    /** Largest kernel, stride, dilation or pad lowered; anything larger stays with the reference, which checks it. */
    private static final long MAX_WINDOW = 1 << 16;

    private PoolLowering() {
    }

    /**
     * The lowered step, or null where this node is not a pooling the template covers.
     *
     * @param kernels the native kernels of the library being built, or null where none are (then only int8
     *     MaxPool is lowered, to Java loops)
     */
    static ModelCompiler.Lowered lower(GraphFacts facts, Node n, Map<String, LoopKernel> kernels) {
        if (!n.domain().isEmpty() || n.inputs().size() != 1 || n.outputs().isEmpty()) {
            return null;
        }
        TensorType x = facts.type(n.input(0));
        boolean bytes = x != null && (x.dtype() == DataType.UINT8 || x.dtype() == DataType.INT8);
        if (x == null || !(x.dtype() == DataType.FLOAT || bytes && n.opType().equals("MaxPool")) || x.rank() != 4) {
            return null;
        }
        PoolWorkload w;
        PoolStep.Geometry geometry = null;
        switch (n.opType()) {
            case "GlobalAveragePool" -> w = PoolWorkload.global(PoolWorkload.Kind.GLOBAL_AVERAGE);
            case "MaxPool", "AveragePool" -> {
                boolean max = n.opType().equals("MaxPool");
                if (max && n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()) {
                    return null; // Indices are left to the reference
                }
                Attributes a = n.attributes();
                long[] k = a.getInts("kernel_shape", new long[0]);
                long[] s = ints(a, "strides", 2);
                long[] d = ints(a, "dilations", 2);
                long[] p = ints(a, "pads", 4);
                String autoPad = a.getString("auto_pad", "NOTSET");
                if (k.length != 2 || s == null || d == null || p == null || !within(k, 1) || !within(s, 1)
                        || !within(d, 1) || !within(p, 0) || !autoPad.matches("NOTSET|SAME_UPPER|SAME_LOWER|VALID")) {
                    return null;
                }
                boolean includePad = !max && a.getInt("count_include_pad", 0) != 0;
                w = new PoolWorkload(max ? PoolWorkload.Kind.MAX : PoolWorkload.Kind.AVERAGE, (int) k[0], (int) k[1],
                        (int) s[0], (int) s[1], (int) d[0], (int) d[1], includePad);
                geometry = new PoolStep.Geometry(w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.dilationH(),
                        w.dilationW(), autoPad, new int[] {(int) p[0], (int) p[1], (int) p[2], (int) p[3]});
            }
            default -> {
                return null;
            }
        }
        if (bytes) {
            OperatorStep reference = new OperatorStep(n, facts.graph().opset(n.domain()));
            PoolStep.Geometry g = geometry;
            if (kernels == null) {
                Int8MaxPoolStep step = new Int8MaxPoolStep(n.input(0), n.outputs().get(0), g, reference);
                return new ModelCompiler.Lowered(lib -> step);
            }
            boolean signed = x.dtype() == DataType.INT8;
            Config config = Int8MaxPoolTemplate.knobs(w).defaults();
            String key = Int8MaxPoolTemplate.key(w, signed);
            LoopKernel kernel = kernels.computeIfAbsent(key + config,
                    k -> Int8MaxPoolTemplate.build(w, signed, config, "k" + kernels.size()));
            String what = config + " " + key;
            return new ModelCompiler.Lowered(lib -> new Int8MaxPoolStep(n.input(0), n.outputs().get(0), g,
                    reference, ModelCompiler.kernel(lib, kernel), what));
        }
        if (kernels == null) {
            return null;
        }
        Config config = PoolTemplate.knobs(w).defaults();
        LoopKernel kernel = kernels.computeIfAbsent(w.key() + config,
                key -> PoolTemplate.build(w, config, "k" + kernels.size()));
        PoolStep.Geometry g = geometry;
        OperatorStep reference = new OperatorStep(n, facts.graph().opset(n.domain()));
        String what = config + " " + w.key();
        return new ModelCompiler.Lowered(lib -> new PoolStep(n.input(0), n.outputs().get(0), g,
                ModelCompiler.kernel(lib, kernel), reference, what));
    }

    /** An INTS attribute of the given length, 1s (0s for pads) where absent or empty; null if the length differs. */
    private static long[] ints(Attributes a, String name, int length) {
        long[] v = a.getInts(name, new long[0]);
        if (v.length == 0) {
            v = new long[length];
            java.util.Arrays.fill(v, name.equals("pads") ? 0 : 1);
        }
        return v.length == length ? v : null;
    }

    private static boolean within(long[] v, long min) {
        for (long x : v) {
            if (x < min || x > MAX_WINDOW) {
                return false;
            }
        }
        return true;
    }
}
