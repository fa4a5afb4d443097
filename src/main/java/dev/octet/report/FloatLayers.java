package dev.octet.report;

import dev.octet.quant.LayerReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The float layers grouped by the quantizer's reason: one row per reason with the count and operator types, and
 * the layers' names in a folded list (a model's float islands can be hundreds of small nodes).
 */
final class FloatLayers {
    private FloatLayers() {
    }

    static String of(List<LayerReport> floats) {
        Map<String, List<LayerReport>> byReason = new LinkedHashMap<>();
        floats.forEach(l -> byReason.computeIfAbsent(l.summary().reason(), k -> new java.util.ArrayList<>()).add(l));
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>why</th><th>layers</th><th>operators</th>"
                + "<th>names</th></tr>\n");
        byReason.forEach((reason, layers) -> {
            Map<String, Long> ops = new TreeMap<>(layers.stream().collect(Collectors.groupingBy(
                    l -> l.summary().opType(), Collectors.counting())));
            String opText = ops.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                    .collect(Collectors.joining(", "));
            String names = layers.stream().map(l -> "#" + l.summary().index() + " " + l.summary().name())
                    .collect(Collectors.joining(", "));
            sb.append("<tr><td>").append(HtmlPage.escape(reason)).append("</td><td class=\"n\">").append(layers.size())
                    .append("</td><td>").append(HtmlPage.escape(opText)).append("</td><td><details><summary>")
                    .append(layers.size() == 1 ? "1 layer" : layers.size() + " layers").append("</summary>")
                    .append(HtmlPage.escape(names)).append("</details></td></tr>\n");
        });
        return sb.append("</table>\n").toString();
    }
}
