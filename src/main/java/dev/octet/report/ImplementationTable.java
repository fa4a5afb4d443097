package dev.octet.report;

import java.util.List;
import java.util.Locale;

/** The implementation chosen per layer, in graph order: template, configuration, median time and share. */
final class ImplementationTable {
    private ImplementationTable() {
    }

    static String of(List<LayerLatency> layers) {
        double sum = layers.stream().mapToDouble(LayerLatency::medianMs).sum();
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>#</th><th>node</th><th>op</th><th>template</th>"
                + "<th>configuration</th><th>median</th><th>share</th></tr>\n");
        for (LayerLatency l : layers) {
            sb.append(l.implementation().startsWith("reference") ? "<tr class=\"float\">" : "<tr>");
            cell(sb, Integer.toString(l.index()), true);
            cell(sb, l.node(), false);
            cell(sb, l.opType(), false);
            cell(sb, l.template(), false);
            cell(sb, l.config(), false);
            cell(sb, LatencyBars.ms(l.medianMs()), true);
            cell(sb, String.format(Locale.ROOT, "%.1f%%", sum <= 0 ? 0 : 100 * l.medianMs() / sum), true);
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    private static void cell(StringBuilder sb, String text, boolean numeric) {
        sb.append(numeric ? "<td class=\"n\">" : "<td>").append(HtmlPage.escape(text)).append("</td>");
    }
}
