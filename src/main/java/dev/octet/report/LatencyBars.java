package dev.octet.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-layer latency as horizontal bars, slowest first: label "#index node (op)", a bar coloured by the kind of
 * step (native or JVM kernel, reference operator, data movement), its median time and share of the steps' sum,
 * and the template that ran it. The fastest layers beyond {@code maxRows} are summed in one last row.
 */
final class LatencyBars {
    private static final int LABEL_WIDTH = 290;
    private static final int BAR_WIDTH = 420;
    private static final int TAIL_WIDTH = 300;
    private static final int ROW = 15;
    private static final int TOP = 22;

    private LatencyBars() {
    }

    /** The chart; layers whose kernel runs a tuned configuration ({@code tuning}) are marked "tuned". */
    static Svg of(List<LayerLatency> layers, int maxRows, Map<Integer, LayerTuning> tuning) {
        List<LayerLatency> sorted = layers.stream().sorted(Comparator.comparingDouble(LayerLatency::medianMs)
                .reversed()).toList();
        double sum = layers.stream().mapToDouble(LayerLatency::medianMs).sum();
        List<LayerLatency> shown = sorted.subList(0, Math.min(maxRows, sorted.size()));
        List<LayerLatency> rest = sorted.subList(shown.size(), sorted.size());
        double restMs = rest.stream().mapToDouble(LayerLatency::medianMs).sum();
        int rows = shown.size() + (rest.isEmpty() ? 0 : 1);
        // the axis fits the slowest layer; the summed row of the rest may run to its end (its text says more)
        double axisMax = niceCeiling(shown.isEmpty() ? 0 : shown.getFirst().medianMs());
        int height = TOP + ROW * rows + 6;
        Svg svg = new Svg(LABEL_WIDTH + BAR_WIDTH + TAIL_WIDTH, height);
        for (int t = 0; t <= 4; t++) {
            double v = axisMax * t / 4;
            double x = LABEL_WIDTH + BAR_WIDTH * t / 4.0;
            svg.line(x, TOP - 4, x, height - 4, "#ddd", 1, false).text(x, TOP - 8, "middle", 10, "#555", ms(v));
        }
        for (int i = 0; i < shown.size(); i++) {
            LayerLatency l = shown.get(i);
            String label = "#" + l.index() + " " + l.node() + " (" + l.opType() + ")";
            LayerTuning t = tuning.get(l.index());
            boolean tuned = t != null && t.tuned();
            row(svg, i, label, l.medianMs(), axisMax, sum, colour(l.implementation()), l.template(), tuned,
                    label + ": " + l.implementation() + ", median " + ms(l.medianMs())
                            + (tuned ? "; tuned, " + t.describe() : ""));
        }
        if (!rest.isEmpty()) {
            long tunedRest = rest.stream().filter(l -> tuning.containsKey(l.index()) && tuning.get(l.index()).tuned())
                    .count();
            row(svg, shown.size(), rest.size() + " faster layers", restMs, axisMax, sum, "#bbb",
                    tunedRest == 0 ? "" : tunedRest + " of them tuned", false,
                    rest.size() + " layers, " + ms(restMs) + " together");
        }
        return svg;
    }

    private static void row(Svg svg, int i, String label, double ms, double axisMax, double sum, String colour,
            String template, boolean tuned, String tip) {
        double y = TOP + i * ROW;
        double length = axisMax <= 0 ? 0 : Math.min(1, ms / axisMax) * BAR_WIDTH;
        svg.text(LABEL_WIDTH - 6, y + ROW - 4, "end", 11, "#222", shorten(label, 44));
        svg.rect(LABEL_WIDTH, y + 2, Math.max(1, length), ROW - 4, colour, tip);
        if (tuned) { // a gold stripe before the bar, as the badge of the implementation table
            svg.rect(LABEL_WIDTH - 4, y + 2, 3, ROW - 4, "#e8a317", null);
        }
        svg.text(LABEL_WIDTH + length + 4, y + ROW - 4, "start", 10, "#444", String.format(Locale.ROOT,
                "%s  %.1f%%  %s", ms(ms), sum <= 0 ? 0 : 100 * ms / sum, shorten(template, 30)),
                tuned ? "tuned" : null, "#b8860b");
    }

    /** Blue for compiled kernels, grey-red for reference operators, grey for data movement and the JVM. */
    static String colour(String implementation) {
        if (implementation.startsWith("reference")) {
            return "#d62728";
        }
        if (implementation.contains("on the JVM")) {
            return "#9467bd";
        }
        return implementation.contains("int8") ? "#2ca02c" : "#4c78a8";
    }

    /** A time for a label: "12.3 ms", "0.45 ms", "36 µs", "0.41 µs" (a log's tiny kernels are not "0 µs"). */
    static String ms(double ms) {
        return ms >= 10 ? String.format(Locale.ROOT, "%.1f ms", ms) : ms >= 0.1
                ? String.format(Locale.ROOT, "%.2f ms", ms) : ms >= 0.00995 || ms == 0
                ? String.format(Locale.ROOT, "%.0f µs", ms * 1000) : ms >= 0.000995
                ? String.format(Locale.ROOT, "%.1f µs", ms * 1000) : String.format(Locale.ROOT, "%.2f µs", ms * 1000);
    }

    /** A round axis end at least {@code v} (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6 or 8 times a power of ten). */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max / 2 - 1) + "…" + s.substring(s.length() - max / 2);
    }
}
