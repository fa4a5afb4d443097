package dev.octet.report;

import dev.octet.ir.OctetException;
import dev.octet.quant.ActivationHistogram;
import dev.octet.quant.LayerReport;
import dev.octet.quant.LayerSummary;
import dev.octet.quant.LayerSummary.TensorParams;
import dev.octet.quant.QuantizationReport;
import dev.octet.quant.TensorError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link QuantizationReport} as one self-contained HTML page (see {@link HtmlPage}): summary, end-task metrics,
 * the error per layer as a bar plot, histograms of the worst layers with their clipping thresholds, the table of
 * every layer, float layers and why, 7-bit-weight layers, notes.
 */
public final class ReportPage {
    private ReportPage() {
    }

    /**
     * Writes the page to {@code html} and the report's JSON beside it (same name, extension .json), creating the
     * folder where it does not exist.
     *
     * @return the JSON file
     * @throws OctetException where a file cannot be written
     */
    public static Path write(QuantizationReport report, Path html) {
        Path json = jsonPath(html);
        try {
            if (html.toAbsolutePath().getParent() != null) {
                Files.createDirectories(html.toAbsolutePath().getParent()); // as CompileReport.write
            }
            Files.writeString(html, render(report));
            Files.writeString(json, report.toJson());
        } catch (IOException e) {
            throw new OctetException("cannot write the report " + html + " (" + e.getMessage() + ")");
        }
        return json;
    }

    /** report.html → report.json next to it. */
    public static Path jsonPath(Path html) {
        String name = html.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return html.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    public static String render(QuantizationReport r) {
        HtmlPage page = new HtmlPage("Quantization report: " + r.model());
        page.heading(1, "Quantization report: " + r.model());
        addSections(page, r, 2);
        return page.render();
    }

    /**
     * The report's sections (overview, metrics, error per layer, histograms, layer table, float layers, weight
     * bits, notes) appended to {@code page} with headings of {@code level}: the quantization part of the compile
     * report too.
     */
    public static void addSections(HtmlPage page, QuantizationReport r, int level) {
        List<LayerReport> measured = r.layers().stream().filter(l -> l.error() != null).toList();
        long int8 = r.layers().stream().filter(l -> l.summary().int8()).count();
        page.list(overview(r, measured, int8));
        page.heading(level, "End-task metrics");
        if (r.metrics().isEmpty()) {
            page.paragraph("None measured with this report (QuantizationReport.withMetrics adds them; `octet eval "
                    + "TASK --int8` measures them).");
        } else {
            page.raw(metrics(r));
        }
        page.heading(level, "Error per layer");
        page.paragraph("SQNR of each layer's quantized output (the int8 model's integers, dequantized) against "
                + "the fp32 model's value of the same tensor, pooled over " + r.measuredImages() + " image(s); "
                + "higher is better. Each error includes those of the layers before it. Float layers appear where "
                + "their output is quantized for an int8 reader. Red under " + (int) SqnrBarChart.BAD_DB
                + " dB, orange under " + (int) SqnrBarChart.FAIR_DB + " dB; hover a bar for its cosine.");
        page.figure(SqnrBarChart.of(measured), measured.size() + " layers with a quantized output, in graph order");
        page.heading(level, "Activation histograms of the " + r.histograms().size() + " worst layers");
        page.paragraph("Calibration histograms (log count) of the outputs of the " + r.histograms().size()
                + " layers with the lowest SQNR (of " + measured.size() + " measured): red lines are the chosen "
                + "clipping range, the shaded parts are clipped, dashed grey lines the observed extremes.");
        for (ActivationHistogram h : r.histograms()) {
            LayerReport l = layerOf(r, h.tensor());
            page.figure(HistogramPlot.of(h), (l == null ? "" : "#" + l.summary().index() + " " + l.summary().name()
                    + " (" + l.summary().opType() + "): ") + "tensor " + h.tensor()
                    + (l == null || l.error() == null ? "" : ", SQNR " + SqnrBarChart.decibels(l.error().sqnrDb()))
                    + (l == null || l.clippedFraction() == null ? "" : ", " + percent(l.clippedFraction())
                            + " of calibration values clipped"));
        }
        List<LayerReport> quantized = r.layers().stream().filter(l -> l.summary().int8() || l.output() != null)
                .toList();
        page.heading(level, "Quantized layers");
        page.paragraph(quantized.size() + " layers run in int8 or write a quantized output (float layers in grey); "
                + "range is the chosen clipping range behind scale and zero point, observed the calibration "
                + "extremes, clipped the share of calibration values beyond the range.");
        page.raw("<div class=\"scroll\">" + LayerTable.of(quantized) + "</div>\n");
        page.heading(level, "Float layers and why");
        List<LayerReport> floats = r.layers().stream().filter(l -> !l.summary().int8()).toList();
        page.raw(floats.isEmpty() ? "<p>None: every layer runs in int8.</p>\n" : FloatLayers.of(floats));
        page.heading(level, "Weight bits");
        List<String> sevenBit = r.layers().stream().filter(l -> l.summary().weightBits() == 7)
                .map(l -> l.summary().name()).toList();
        page.paragraph(sevenBit.isEmpty() ? "Every quantized conv has 8-bit weights (in [-127, 127])."
                : sevenBit.size() + " conv(s) with 7-bit weights (in [-63, 63], so that every weight pair fits AVX2's "
                        + "vpmaddubsw without saturation): " + String.join(", ", sevenBit));
        if (!r.notes().isEmpty()) {
            page.heading(level, "Notes");
            page.list(r.notes());
        }
    }

    private static List<String> overview(QuantizationReport r, List<LayerReport> measured, long int8) {
        List<String> items = new ArrayList<>();
        items.add(int8 + " of " + r.layers().size() + " layers in int8; activations "
                + r.activationType().shortName() + ", weights " + r.weightBits() + "-bit "
                + (r.perChannelWeights() ? "per output channel" : "per tensor"));
        if (r.calibration() != null) {
            items.add("calibrated on " + r.calibration());
        }
        items.add("errors measured on " + r.measuredImages() + " image(s) with the compiled fp32 and int8 models "
                + "(octet quantize and eval measure on the first calibration images)");
        if (!measured.isEmpty()) {
            double[] db = measured.stream().mapToDouble(l -> l.error().sqnrDb()).sorted().toArray();
            LayerReport worst = r.worst(1).getFirst();
            items.add(String.format(Locale.ROOT, "SQNR median %s, worst %s at #%d %s (cosine %.5f)",
                    SqnrBarChart.decibels(db[db.length / 2]), SqnrBarChart.decibels(db[0]),
                    worst.summary().index(), worst.summary().name(), worst.error().cosine()));
        }
        for (TensorError e : r.outputs()) {
            items.add(String.format(Locale.ROOT, "model output %s, int8 model against fp32: SQNR %s, cosine %.6f, "
                    + "max |error| %.4g", e.tensor(), SqnrBarChart.decibels(e.sqnrDb()), e.cosine(), e.maxAbsError()));
        }
        for (TensorError e : r.inputs()) {
            items.add(String.format(Locale.ROOT, "input %s quantized: SQNR %s, cosine %.6f", e.tensor(),
                    SqnrBarChart.decibels(e.sqnrDb()), e.cosine()));
        }
        return items;
    }

    private static String metrics(QuantizationReport r) {
        StringBuilder sb = new StringBuilder("<table><tr><th>metric</th><th>fp32</th><th>int8</th><th>drop</th></tr>\n");
        for (QuantizationReport.EndTaskMetric m : r.metrics()) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"n\">%.3f</td><td class=\"n\">%.3f</td>"
                    + "<td class=\"n\">%.3f</td></tr>%n", HtmlPage.escape(m.name()), m.fp32(), m.int8(), m.drop()));
        }
        return sb.append("</table>\n").toString();
    }

    private static LayerReport layerOf(QuantizationReport r, String tensor) {
        for (LayerReport l : r.layers()) {
            TensorParams out = l.summary().output();
            if (out != null && out.tensor().equals(tensor)) {
                return l;
            }
        }
        return null;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.3g%%", 100 * fraction);
    }

    /** The span of a conv's weight scales as text, or "" for a layer without quantized weights. */
    static String weightScales(LayerSummary s) {
        return s.weightBits() == 0 ? "" : String.format(Locale.ROOT, "%.3g..%.3g", s.weightScaleMin(),
                s.weightScaleMax());
    }
}
