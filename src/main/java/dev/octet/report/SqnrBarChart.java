package dev.octet.report;

import dev.octet.quant.LayerReport;
import java.util.List;
import java.util.Locale;

/**
 * The error per layer as horizontal bars: one row per measured layer in graph order, bar length its SQNR in
 * dB (longer is better), coloured red under {@value #BAD_DB} dB, orange under {@value #FAIR_DB} dB, else green.
 */
final class SqnrBarChart {
    static final double BAD_DB = 20;
    static final double FAIR_DB = 30;
    private static final int LABEL_WIDTH = 300;
    private static final int BAR_WIDTH = 560;
    private static final int ROW = 15;
    private static final int TOP = 22;

    private SqnrBarChart() {
    }

    static Svg of(List<LayerReport> measured) {
        double top = 10;
        for (LayerReport l : measured) {
            double db = l.error().sqnrDb();
            if (Double.isFinite(db)) {
                top = Math.max(top, db);
            }
        }
        double axisMax = Math.ceil(top / 10) * 10;
        int height = TOP + ROW * measured.size() + 6;
        Svg svg = new Svg(LABEL_WIDTH + BAR_WIDTH + 70, height);
        for (int db = 0; db <= axisMax; db += 10) {
            double x = LABEL_WIDTH + db / axisMax * BAR_WIDTH;
            svg.line(x, TOP - 4, x, height - 4, "#ddd", 1, false).text(x, TOP - 8, "middle", 10, "#555", db + " dB");
        }
        for (int i = 0; i < measured.size(); i++) {
            LayerReport l = measured.get(i);
            double db = l.error().sqnrDb();
            double y = TOP + i * ROW;
            double length = Double.isFinite(db) ? Math.max(0, db) / axisMax * BAR_WIDTH : BAR_WIDTH;
            String colour = db < BAD_DB ? "#d62728" : db < FAIR_DB ? "#ff7f0e" : "#2ca02c";
            String name = l.summary().name();
            String tip = String.format(Locale.ROOT, "#%d %s (%s): SQNR %s, cosine %.6f", l.summary().index(), name,
                    l.summary().opType(), decibels(db), l.error().cosine());
            svg.text(LABEL_WIDTH - 6, y + ROW - 4, "end", 11, "#222", shorten("#" + l.summary().index() + " " + name)
                    + (l.summary().int8() ? "" : " [float]"));
            svg.rect(LABEL_WIDTH, y + 2, length, ROW - 4, colour, tip);
            svg.text(LABEL_WIDTH + length + 4, y + ROW - 4, "start", 10, "#444", decibels(db));
        }
        return svg;
    }

    /** "31.2 dB", or "exact" where the int8 value equals fp32. */
    static String decibels(double db) {
        return Double.isInfinite(db) && db > 0 ? "exact" : String.format(Locale.ROOT, "%.1f dB", db);
    }

    private static String shorten(String s) {
        return s.length() <= 46 ? s : s.substring(0, 20) + "…" + s.substring(s.length() - 25);
    }
}
