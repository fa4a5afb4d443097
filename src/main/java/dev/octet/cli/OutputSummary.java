package dev.octet.cli;

import dev.octet.ir.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What `octet run` prints about one output: shape, min/max/mean and the largest values with their indices; for a
 * 2-D [batch, classes] output the top classes of each row.
 */
final class OutputSummary {
    /** Rows of a [batch, classes] output printed in text mode (JSON has them all). */
    private static final int MAX_ROWS_PRINTED = 8;

    record Entry(int[] index, double value) {
    }

    private final String name;
    private final Tensor t;
    private final double min;
    private final double max;
    private final double mean;
    private final int nans;
    private final List<Entry> top;
    private final List<List<Entry>> rows;

    OutputSummary(String name, Tensor t, int k) {
        this.name = name;
        this.t = t;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int nanCount = 0;
        boolean numeric = t.dtype() != dev.octet.ir.DataType.STRING;
        for (int i = 0; numeric && i < t.size(); i++) {
            double v = t.getDouble(i);
            if (Double.isNaN(v)) {
                nanCount++;
                continue;
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            sum += v;
        }
        int counted = t.size() - nanCount;
        this.min = counted > 0 ? lo : Double.NaN;
        this.max = counted > 0 ? hi : Double.NaN;
        this.mean = counted > 0 ? sum / counted : Double.NaN;
        this.nans = nanCount;
        this.top = numeric ? topK(t, 0, t.size(), k) : List.of();
        List<List<Entry>> r = new ArrayList<>();
        if (numeric && t.rank() == 2 && t.dim(1) > 1) {
            for (int row = 0; row < t.dim(0); row++) {
                r.add(topK(t, row * t.dim(1), t.dim(1), k));
            }
        }
        this.rows = r;
    }

    /** The k largest values of t[from, from + count), with their indices (ties: the lower index first). */
    private static List<Entry> topK(Tensor t, int from, int count, int k) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            double va = t.getDouble(from + a);
            double vb = t.getDouble(from + b);
            return Double.isNaN(va) || Double.isNaN(vb) ? Boolean.compare(Double.isNaN(va), Double.isNaN(vb))
                    : Double.compare(vb, va);
        });
        List<Entry> out = new ArrayList<>();
        int[] strides = dev.octet.ir.Shapes.strides(t.shape());
        for (int i = 0; i < Math.min(k, count); i++) {
            int flat = from + order[i];
            int[] index = new int[t.rank()];
            for (int d = 0, rest = flat; d < index.length; d++) {
                index[d] = rest / strides[d];
                rest %= strides[d];
            }
            out.add(new Entry(index, t.getDouble(flat)));
        }
        return out;
    }

    /** Text lines; {@code labels} names classes of a 2-D output (may be empty). */
    void print(PrintWriter out, List<String> labels) {
        out.printf("output  %s  %s%n", name, t.type());
        if (t.size() == 0) {
            out.println("        (empty)");
            return;
        }
        out.printf("        min %s  max %s  mean %s%s%n", num(min), num(max), num(mean),
                nans > 0 ? "  NaN: " + nans : "");
        if (!rows.isEmpty()) {
            for (int r = 0; r < Math.min(rows.size(), MAX_ROWS_PRINTED); r++) {
                StringBuilder sb = new StringBuilder("        row " + r + " top classes:");
                for (Entry e : rows.get(r)) {
                    int c = e.index()[e.index().length - 1];
                    sb.append("  ").append(c).append(c < labels.size() ? " (" + labels.get(c) + ")" : "").append(' ')
                            .append(num(e.value()));
                }
                out.println(sb);
            }
            if (rows.size() > MAX_ROWS_PRINTED) {
                out.println("        ... " + (rows.size() - MAX_ROWS_PRINTED) + " more rows (--json lists them)");
            }
            return;
        }
        StringBuilder sb = new StringBuilder("        top " + top.size() + ":");
        for (Entry e : top) {
            sb.append("  ").append(Arrays.toString(e.index())).append(' ').append(num(e.value()));
        }
        out.println(sb);
    }

    /** One JSON object's fields. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("output", name);
        m.put("dtype", t.dtype().shortName());
        m.put("shape", t.shape());
        m.put("min", min);
        m.put("max", max);
        m.put("mean", mean);
        m.put("nan_count", nans);
        m.put("top", top.stream().map(e -> pair("index", e.index(), "value", e.value())).toList());
        if (!rows.isEmpty()) {
            m.put("top_classes", rows.stream().map(r -> r.stream()
                    .map(e -> pair("class", e.index()[e.index().length - 1], "score", e.value())).toList()).toList());
        }
        return m;
    }

    /** A two-field JSON object with its fields in this order. */
    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format("%.6g", v);
    }
}
