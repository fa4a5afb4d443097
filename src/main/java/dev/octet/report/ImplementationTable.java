package dev.octet.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The implementation chosen per layer, in graph order: template, configuration, whether it is tuned (a badge, the
 * default it replaced and both times from the tuning log), median time and share.
 */
final class ImplementationTable {
    private ImplementationTable() {
    }

    static String of(List<LayerLatency> layers, Map<Integer, LayerTuning> tuning) {
        double sum = layers.stream().mapToDouble(LayerLatency::medianMs).sum();
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>#</th><th>node</th><th>op</th><th>template</th>"
                + "<th>configuration</th><th>tuning (the log's times)</th><th>median</th><th>share</th></tr>\n");
        for (LayerLatency l : layers) {
            LayerTuning t = tuning.get(l.index());
            sb.append(l.implementation().startsWith("reference") ? "<tr class=\"float\">"
                    : t != null && t.tuned() ? "<tr class=\"tuned\">" : "<tr>");
            cell(sb, Integer.toString(l.index()), true);
            cell(sb, l.node(), false);
            cell(sb, l.opType(), false);
            cell(sb, l.template(), false);
            sb.append("<td class=\"cfg\">").append(HtmlPage.escape(l.config())).append("</td>");
            sb.append("<td class=\"tuning\">").append(tuningCell(t)).append("</td>");
            cell(sb, LatencyBars.ms(l.medianMs()), true);
            cell(sb, String.format(Locale.ROOT, "%.1f%%", sum <= 0 ? 0 : 100 * l.medianMs() / sum), true);
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    /** A badge, the default it replaced and the log's times; "default" or what tuning kept; empty without a kernel. */
    private static String tuningCell(LayerTuning t) {
        if (t == null) {
            return "";
        }
        if (!t.tuned()) {
            return HtmlPage.escape(t.defaultKept() ? t.describe() : "default");
        }
        String times = t.times();
        return "<span class=\"badge\">tuned</span> default " + HtmlPage.escape(t.defaultConfig())
                + (times.isEmpty() ? "" : "<br><span class=\"nowrap\">" + HtmlPage.escape(times) + "</span>");
    }

    private static void cell(StringBuilder sb, String text, boolean numeric) {
        sb.append(numeric ? "<td class=\"n\">" : "<td>").append(HtmlPage.escape(text)).append("</td>");
    }
}
