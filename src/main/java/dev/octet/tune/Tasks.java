package dev.octet.tune;

import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.TensorType;
import dev.octet.kernel.ConvWorkload;
import dev.octet.kernel.Int8ConvWorkload;
import dev.octet.kernel.KernelUse;
import dev.octet.kernel.MatMulWorkload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the kernels a graph lowers to into tuning tasks: one per distinct workload key and target, measured at the
 * geometry of the first node that uses it (kernels are specialised on channels and kernel sizes, not on spatial
 * sizes). Where the graph's shapes are not static, a representative size stands in ({@link #DEFAULT_SIZE}).
 */
final class Tasks {
    /** Spatial size (conv) or rows (matmul) measured where the graph does not fix them. */
    static final int DEFAULT_SIZE = 32;

    private Tasks() {
    }

    /** Deduplicated tasks in first-use order; workloads no problem type covers are left out. */
    public static List<TuningTask> from(List<KernelUse> uses, Target target) {
        Map<String, Problem> problems = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (KernelUse u : uses) {
            String key = u.request().key();
            counts.merge(key, 1, Integer::sum);
            if (!problems.containsKey(key)) {
                Problem p = problem(u);
                if (p != null) {
                    problems.put(key, p);
                }
            }
        }
        List<TuningTask> tasks = new ArrayList<>();
        problems.forEach((key, p) -> tasks.add(new TuningTask(p, target, counts.get(key))));
        return tasks;
    }

    static Problem problem(KernelUse u) {
        long[] shape = shape(u.inputType());
        return switch (u.request().workload()) {
            case ConvWorkload w -> new ConvProblem(w, geometry(u.node(), shape, w.kernelH(), w.kernelW(), w.strideH(),
                    w.strideW(), w.dilationH(), w.dilationW()));
            case Int8ConvWorkload w -> new Int8ConvProblem(w, geometry(u.node(), shape, w.kernelH(), w.kernelW(),
                    w.strideH(), w.strideW(), w.dilationH(), w.dilationW()));
            case MatMulWorkload w -> new MatMulProblem(w, rows(shape));
            default -> null;
        };
    }

    /** The dimensions of a type, 0 where a dimension is symbolic or unknown (null where the type is unknown). */
    private static long[] shape(TensorType t) {
        if (t == null) {
            return null;
        }
        long[] s = new long[t.rank()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.dims().get(i).isKnown() ? t.dims().get(i).value() : 0;
        }
        return s;
    }

    private static int rows(long[] shape) {
        if (shape == null || shape.length < 1) {
            return DEFAULT_SIZE;
        }
        long rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= shape[i] > 0 ? shape[i] : (i == 0 ? 1 : DEFAULT_SIZE); // a symbolic batch measures as 1
        }
        return (int) Math.clamp(rows, 1, 1 << 20);
    }

    /** Batch, size and pads of a convolution node (Conv, FusedConv, QLinearConv: input 0 is the image, NCHW). */
    static ConvGeometry geometry(Node n, long[] shape, int kh, int kw, int sh, int sw, int dh, int dw) {
        boolean known = shape != null && shape.length == 4;
        int batch = known && shape[0] > 0 ? (int) shape[0] : 1; // a symbolic batch measures as 1
        int h = known && shape[2] > 0 ? (int) shape[2] : Math.max(DEFAULT_SIZE, (kh - 1) * dh + 1);
        int w = known && shape[3] > 0 ? (int) shape[3] : Math.max(DEFAULT_SIZE, (kw - 1) * dw + 1);
        Attributes a = n.attributes();
        String autoPad = a.getString("auto_pad", "NOTSET");
        long[] pads = a.getInts("pads", new long[] {0, 0, 0, 0});
        return switch (autoPad) {
            case "VALID" -> new ConvGeometry(batch, h, w, 0, 0, 0, 0);
            case "SAME_UPPER", "SAME_LOWER" -> {
                int th = Math.max(0, (ceilDiv(h, sh) - 1) * sh + (kh - 1) * dh + 1 - h);
                int tw = Math.max(0, (ceilDiv(w, sw) - 1) * sw + (kw - 1) * dw + 1 - w);
                boolean upper = autoPad.equals("SAME_UPPER");
                int pt = upper ? th / 2 : th - th / 2;
                int pl = upper ? tw / 2 : tw - tw / 2;
                yield new ConvGeometry(batch, h, w, pt, pl, th - pt, tw - pl);
            }
            default -> pads.length == 4 ? new ConvGeometry(batch, h, w, (int) pads[0], (int) pads[1], (int) pads[2],
                    (int) pads[3]) : new ConvGeometry(batch, h, w, 0, 0, 0, 0);
        };
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
