package dev.octet.report;

import dev.octet.quant.ActivationHistogram;
import java.util.Locale;

/**
 * An activation histogram (log-scaled counts, since activations are heavy-tailed) with the chosen clipping range
 * as solid red lines, the values beyond it shaded, and the observed extremes as dashed grey lines.
 */
final class HistogramPlot {
    private static final int WIDTH = 520;
    private static final int HEIGHT = 190;
    private static final int LEFT = 10;
    private static final int RIGHT = 10;
    private static final int TOP = 24;
    private static final int BOTTOM = 26;

    private HistogramPlot() {
    }

    static Svg of(ActivationHistogram h) {
        Svg svg = new Svg(WIDTH, HEIGHT);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double base = TOP + plotH;
        double maxLog = 0;
        for (long c : h.counts()) {
            maxLog = Math.max(maxLog, Math.log10(1 + c));
        }
        double xr = plotW / (h.hi() - h.lo());
        double lo = LEFT + (h.rangeMin() - h.lo()) * xr;
        double hi = LEFT + (h.rangeMax() - h.lo()) * xr;
        svg.rect(LEFT, TOP, lo - LEFT, plotH, "#fde0e0", "clipped below the range");
        svg.rect(hi, TOP, LEFT + plotW - hi, plotH, "#fde0e0", "clipped above the range");
        double bw = plotW / h.counts().length;
        for (int i = 0; i < h.counts().length; i++) {
            long c = h.counts()[i];
            if (c > 0) {
                double bh = maxLog == 0 ? 0 : Math.log10(1 + c) / maxLog * plotH;
                double from = h.lo() + i * (h.hi() - h.lo()) / h.counts().length;
                svg.rect(LEFT + i * bw, base - bh, Math.max(1, bw - 0.5), bh, "#4c78a8",
                        String.format(Locale.ROOT, "[%.4g, %.4g): %d", from, from + (h.hi() - h.lo())
                                / h.counts().length, c));
            }
        }
        svg.line(LEFT, base, LEFT + plotW, base, "#333", 1, false);
        marker(svg, h.observedMax(), h, xr, "#777", true, "max " + num(h.observedMax()));
        if (h.observedMin() < 0) {
            marker(svg, h.observedMin(), h, xr, "#777", true, "min " + num(h.observedMin()));
        }
        marker(svg, h.rangeMax(), h, xr, "#d62728", false, "clip " + num(h.rangeMax()));
        if (h.rangeMin() < 0) {
            marker(svg, h.rangeMin(), h, xr, "#d62728", false, "clip " + num(h.rangeMin()));
        }
        svg.text(LEFT, HEIGHT - 8, "start", 10, "#555", num(h.lo()));
        svg.text(LEFT + plotW, HEIGHT - 8, "end", 10, "#555", num(h.hi()));
        double zero = LEFT - h.lo() * xr;
        if (h.lo() < 0 && zero - LEFT > 40 && LEFT + plotW - zero > 40) { // clear of the end labels
            svg.text(zero, HEIGHT - 8, "middle", 10, "#555", "0");
        }
        return svg;
    }

    private static void marker(Svg svg, double v, ActivationHistogram h, double xr, String colour, boolean dashed,
            String label) {
        double x = LEFT + (v - h.lo()) * xr;
        svg.line(x, TOP - 2, x, HEIGHT - BOTTOM, colour, dashed ? 1 : 2, dashed);
        boolean nearRight = x > WIDTH * 0.8;
        svg.text(nearRight ? x - 3 : x + 3, dashed ? TOP - 12 + 22 : TOP - 8, nearRight ? "end" : "start", 10,
                colour, label);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
