package dev.octet.report;

import java.util.Locale;

/**
 * A tiny builder of inline SVG (no namespace URL: inline SVG in HTML5 needs none, and the page links nowhere).
 * Coordinates are pixels from the top left.
 */
public final class Svg {
    private final int width;
    private final int height;
    private final StringBuilder body = new StringBuilder();

    public Svg(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** A filled rectangle with an optional tooltip (null: none). */
    public Svg rect(double x, double y, double w, double h, String fill, String tooltip) {
        body.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
                x, y, Math.max(0, w), Math.max(0, h), fill));
        if (tooltip != null) {
            body.append("<title>").append(HtmlPage.escape(tooltip)).append("</title>");
        }
        body.append("</rect>\n");
        return this;
    }

    /** A line; {@code dashed} draws it in 4-pixel dashes. */
    public Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, boolean dashed) {
        body.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                + "stroke-width=\"%.1f\"%s/>\n", x1, y1, x2, y2, stroke, strokeWidth,
                dashed ? " stroke-dasharray=\"4 3\"" : ""));
        return this;
    }

    /** An open line through the points (x[i], y[i]), e.g. a curve of a plot. */
    public Svg polyline(double[] x, double[] y, String stroke, double strokeWidth) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", x[i], y[i]));
        }
        body.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                + "stroke-width=\"%.1f\"/>%n", points, stroke, strokeWidth));
        return this;
    }

    /** A filled circle with an optional tooltip (null: none). */
    public Svg circle(double cx, double cy, double r, String fill, String tooltip) {
        body.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\">", cx, cy,
                r, fill));
        if (tooltip != null) {
            body.append("<title>").append(HtmlPage.escape(tooltip)).append("</title>");
        }
        body.append("</circle>\n");
        return this;
    }

    /** Text at (x, y) (its baseline), anchored "start", "middle" or "end". */
    public Svg text(double x, double y, String anchor, int size, String fill, String text) {
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
                + "fill=\"%s\">", x, y, anchor, size, fill)).append(HtmlPage.escape(text)).append("</text>\n");
        return this;
    }

    /**
     * Text followed by a bold tag in its own colour (e.g. a "tuned" badge after a bar's numbers); a null tag gives
     * plain {@link #text}.
     */
    public Svg text(double x, double y, String anchor, int size, String fill, String text, String tag,
            String tagFill) {
        if (tag == null) {
            return text(x, y, anchor, size, fill, text);
        }
        body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
                + "fill=\"%s\">", x, y, anchor, size, fill)).append(HtmlPage.escape(text))
                .append(String.format(Locale.ROOT, "<tspan dx=\"6\" fill=\"%s\" font-weight=\"bold\">", tagFill))
                .append(HtmlPage.escape(tag)).append("</tspan></text>\n");
        return this;
    }

    @Override
    public String toString() {
        return "<svg width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height
                + "\" role=\"img\" font-family=\"sans-serif\">\n" + body + "</svg>\n";
    }
}
