package dev.octet.report;

import dev.octet.kernel.Config;
import dev.octet.tune.Timing;
import dev.octet.tune.TuningRecord;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tuning section's plots: per task a small line plot of the best verified cost so far (blue steps) against
 * the trial index, each trial's own cost as a grey dot and each failed trial as a red mark above the plot. The
 * cost axis spans the verified costs, not from zero.
 */
final class TuningCurves {
    private static final int WIDTH = 340;
    private static final int HEIGHT = 170;
    private static final int LEFT = 52;
    private static final int RIGHT = 12;
    private static final int TOP = 18;
    private static final int BOTTOM = 30;

    private TuningCurves() {
    }

    static Svg plot(TuningCurve c) {
        Svg svg = new Svg(WIDTH, HEIGHT);
        double[] cost = c.trialMs();
        double[] best = c.bestSoFarMs();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : cost) {
            min = Double.isNaN(v) ? min : Math.min(min, v);
            max = Double.isNaN(v) ? max : Math.max(max, v);
        }
        // the axis spans the verified costs with a margin, not from zero: tuning gains are often a few percent
        double margin = Double.isInfinite(min) ? 1 : Math.max(max - min, 0.02 * max) * 0.15;
        double yLo = Double.isInfinite(min) ? 0 : Math.max(0, min - margin);
        double yHi = Double.isInfinite(min) ? 1 : max + margin;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        int n = cost.length;
        java.util.function.IntToDoubleFunction x = i -> LEFT + (n == 1 ? plotW / 2 : i * plotW / (n - 1));
        java.util.function.DoubleUnaryOperator y = v -> TOP + plotH - (v - yLo) / (yHi - yLo) * plotH;
        for (int t = 0; t <= 2; t++) {
            double v = yLo + (yHi - yLo) * t / 2;
            svg.line(LEFT, y.applyAsDouble(v), LEFT + plotW, y.applyAsDouble(v), "#e4e4e4", 1, false);
            svg.text(LEFT - 4, y.applyAsDouble(v) + 4, "end", 9, "#555", axisLabel(v));
        }
        svg.line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#333", 1, false);
        svg.text(LEFT, HEIGHT - 10, "start", 10, "#555", "trial 1");
        svg.text(LEFT + plotW, HEIGHT - 10, "end", 10, "#555", "trial " + n);
        // best so far as steps: flat until the trial that improves it, then down
        java.util.List<double[]> points = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(best[i])) {
                continue;
            }
            if (!points.isEmpty()) {
                points.add(new double[] {x.applyAsDouble(i), points.getLast()[1]});
            }
            points.add(new double[] {x.applyAsDouble(i), y.applyAsDouble(best[i])});
        }
        if (points.size() > 1) {
            svg.polyline(points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray(), "#1f77b4", 2);
        }
        for (int i = 0; i < n; i++) {
            TuningRecord r = c.trials().get(i);
            if (Double.isNaN(cost[i])) {
                svg.circle(x.applyAsDouble(i), TOP - 8, 3, "#d62728", "trial " + (i + 1) + ": " + r.error()
                        + (r.message() == null ? "" : " (" + r.message() + ")") + "; " + r.config());
            } else {
                svg.circle(x.applyAsDouble(i), y.applyAsDouble(cost[i]), best[i] == cost[i] ? 3.5 : 2.5,
                        best[i] == cost[i] ? "#1f77b4" : "#999", "trial " + (i + 1) + ": " + LatencyBars.ms(cost[i])
                                + ", " + r.config());
            }
        }
        return svg;
    }

    /** A cost axis label of three significant digits that fits the margin: "15.2 µs" rather than "0.0152 ms". */
    static String axisLabel(double ms) {
        return ms >= 1 || ms == 0 ? String.format(Locale.ROOT, "%.3g ms", ms)
                : String.format(Locale.ROOT, "%.3g µs", ms * 1e3);
    }

    /** The caption: workload, trials and failures, first verified → best, and what the build uses. */
    static String caption(TuningCurve c, Map<String, Config> buildConfigs) {
        TuningRecord best = c.best();
        double[] cost = c.trialMs();
        double first = Double.NaN;
        for (double v : cost) {
            if (!Double.isNaN(v)) {
                first = v;
                break;
            }
        }
        Config used = buildConfigs.get(c.workload());
        String use = used == null ? "not used: the build has no kernel of this workload"
                : best != null && used.equals(best.config()) ? "the build uses the best: " + used
                : "the build uses " + used;
        return c.workload() + (c.timing() == Timing.WARM ? " (timed with warm caches)" : "") + ": "
                + c.trials().size() + " trials, " + c.failed() + " failed; "
                + (best == null ? "no verified candidate" : String.format(Locale.ROOT, "first verified %s, best %s",
                        LatencyBars.ms(first), LatencyBars.ms(best.minSeconds() * 1e3))) + "; " + use;
    }

    /** The curves of the workloads the build has, then the rest, as figures of a page. */
    static String figures(List<TuningCurve> curves, Map<String, Config> buildConfigs) {
        StringBuilder sb = new StringBuilder();
        for (TuningCurve c : curves) {
            sb.append("<figure style=\"width:").append(WIDTH).append("px\">").append(plot(c))
                    .append("<figcaption>").append(HtmlPage.escape(caption(c, buildConfigs)))
                    .append("</figcaption></figure>\n");
        }
        return sb.toString();
    }
}
