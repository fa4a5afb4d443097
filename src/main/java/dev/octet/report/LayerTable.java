package dev.octet.report;

import dev.octet.quant.LayerReport;
import dev.octet.quant.LayerSummary;
import dev.octet.quant.LayerSummary.TensorParams;
import java.util.List;
import java.util.Locale;

/** The table of layers: decision, weights, output scale/zero point, range vs observed, clipping, error. */
final class LayerTable {
    private LayerTable() {
    }

    static String of(List<LayerReport> layers) {
        StringBuilder sb = new StringBuilder("<table>\n<tr><th>#</th><th>layer</th><th>op</th><th>mode</th>"
                + "<th>weights</th><th>weight scales</th><th>output tensor</th><th>scale</th><th>zp</th>"
                + "<th>range (clip)</th><th>observed</th><th>clipped</th><th>SQNR</th><th>cosine</th>"
                + "<th>why</th></tr>\n");
        for (LayerReport l : layers) {
            LayerSummary s = l.summary();
            TensorParams out = s.output();
            sb.append(s.int8() ? "<tr>" : "<tr class=\"float\">");
            cell(sb, Integer.toString(s.index()), true);
            cell(sb, s.name(), false);
            cell(sb, s.opType(), false);
            cell(sb, s.int8() ? "int8" : "float", false);
            cell(sb, s.weightBits() == 0 ? "" : s.weightBits() + "-bit", true);
            cell(sb, ReportPage.weightScales(s), true);
            cell(sb, out == null ? "" : out.tensor(), false);
            cell(sb, out == null ? "" : num(out.scale()), true);
            cell(sb, out == null ? "" : Long.toString(out.zeroPoint()), true);
            cell(sb, out == null ? "" : "[" + num(out.min()) + ", " + num(out.max()) + "]", true);
            cell(sb, l.observedMin() == null ? "" : "[" + num(l.observedMin()) + ", " + num(l.observedMax()) + "]",
                    true);
            cell(sb, l.clippedFraction() == null ? "" : ReportPage.percent(l.clippedFraction()), true);
            if (l.error() == null) {
                cell(sb, "", true);
                cell(sb, "", true);
            } else {
                double db = l.error().sqnrDb();
                String cls = db < SqnrBarChart.BAD_DB ? "n bad" : db < SqnrBarChart.FAIR_DB ? "n meh" : "n";
                sb.append("<td class=\"").append(cls).append("\">").append(SqnrBarChart.decibels(db)).append("</td>");
                cell(sb, String.format(Locale.ROOT, "%.6f", l.error().cosine()), true);
            }
            sb.append("<td class=\"why\">").append(HtmlPage.escape(s.reason() + (s.activation() == null ? ""
                    : "; " + s.activation()))).append("</td>");
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    private static void cell(StringBuilder sb, String text, boolean numeric) {
        sb.append(numeric ? "<td class=\"n\">" : "<td>").append(HtmlPage.escape(text)).append("</td>");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
