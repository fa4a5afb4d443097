package dev.octet.report;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.kernel.Config;
import dev.octet.quant.QuantizationReport;
import dev.octet.runtime.BuildRecord;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.TuningRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The page of one compile (see {@link HtmlPage}: self-contained, no script, no link): a summary, per-layer latency
 * bars, the side-by-side with ONNX Runtime where one was timed, tuning curves where a tuning log is known, the
 * implementation chosen per layer, and the quantization report's sections where the model is int8. Built the same
 * way by {@code octet compile --report} (from what the compile has at hand) and {@code octet report} (from a
 * bundle): see {@link #of}.
 *
 * @param model the model's name (its file name)
 * @param family what kind of model it is, or null
 * @param octetVersion the Octet that compiled it
 * @param isa the ISA level of its native library, or null where it has none
 * @param backend what runs it ({@link CompiledModel#backendDescription})
 * @param inputs what it was timed on (one line per input)
 * @param threads threads of the timed runs
 * @param latency the measured latencies
 * @param loadAverage the machine's load average (one minute) when they were measured, NaN where unknown: a
 *     reader of the timings of a shared machine needs it
 * @param int8Layers layers (or nodes, without a quantization report) that run in int8
 * @param floatLayers the others
 * @param quantization the quantization report, or null (an fp32 model, or a bundle compiled without one)
 * @param tuning the tuning log's records, or null where none is known
 * @param tuningSource where the records come from (a file, or the bundle's copy), or null
 * @param buildConfigs the configuration the build chose per workload key
 * @param rival Octet against ONNX Runtime, or null where not asked for
 * @param notes anything else worth a line (e.g. why a section is missing)
 * @param layerTuning per step index, whether its kernel runs a tuned configuration or the defaults (steps without
 *     a tunable kernel have none)
 */
public record CompileReport(String model, String family, String octetVersion, String isa, String backend,
        List<String> inputs, int threads, LatencyProfile latency, double loadAverage, long int8Layers, long floatLayers,
        QuantizationReport quantization, List<TuningRecord> tuning, String tuningSource,
        Map<String, Config> buildConfigs, RivalTiming rival, List<String> notes,
        Map<Integer, LayerTuning> layerTuning) {
    /** Rows of the latency bar chart; faster layers are summed in one row. */
    static final int LATENCY_ROWS = 60;

    public CompileReport {
        inputs = List.copyOf(inputs);
        tuning = tuning == null ? null : List.copyOf(tuning);
        buildConfigs = Map.copyOf(buildConfigs);
        notes = List.copyOf(notes);
        layerTuning = Map.copyOf(layerTuning);
    }

    /** Int8 and float layers: the quantizer's decisions where there is a report, else the graph's output types. */
    static long[] layerCounts(QuantizationReport q, Graph graph, LatencyProfile latency) {
        if (q != null) {
            long int8 = q.layers().stream().filter(l -> l.summary().int8()).count();
            return new long[] {int8, q.layers().size() - int8};
        }
        Map<String, TensorType> types = graph.valueTypes();
        long int8 = latency.layers().stream().filter(l -> {
            List<String> outs = graph.nodes().get(l.index()).outputs();
            TensorType t = outs.isEmpty() ? null : types.get(outs.getFirst());
            return t != null && (t.dtype() == DataType.INT8 || t.dtype() == DataType.UINT8);
        }).count();
        return new long[] {int8, latency.layers().size() - int8};
    }

    /** Measures a compiled model's latency and puts the page's pieces together. */
    public static CompileReport of(String model, String family, String octetVersion, CompiledModel compiled,
            Map<String, Tensor> inputs, List<String> inputDescriptions, int threads, int runs,
            QuantizationReport quantization, List<TuningRecord> tuning, String tuningSource, RivalTiming rival,
            List<String> notes) {
        LatencyProfile latency = LatencyProfile.measure(compiled, inputs, runs);
        BuildRecord build = compiled.buildRecord().orElse(null);
        long[] counts = layerCounts(quantization, compiled.graph(), latency);
        return new CompileReport(model, family, octetVersion, build == null || build.level() == null ? null
                : build.level().id(), compiled.backendDescription(), inputDescriptions, threads, latency,
                currentLoadAverage(), counts[0],
                counts[1], quantization, tuning, tuningSource, build == null ? Map.of() : build.configs(), rival,
                notes, LayerTuning.of(build, compiled.graph().nodes().stream().map(n -> n.name()).toList(), tuning));
    }

    private static double currentLoadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load >= 0 ? load : Double.NaN;
    }

    /**
     * Writes the page.
     *
     * @throws OctetException where the file cannot be written
     */
    public void write(Path html) {
        try {
            if (html.toAbsolutePath().getParent() != null) {
                Files.createDirectories(html.toAbsolutePath().getParent());
            }
            Files.writeString(html, render());
        } catch (IOException e) {
            throw new OctetException("cannot write the report " + html + " (" + e.getMessage() + ")");
        }
    }

    public String render() {
        HtmlPage page = new HtmlPage("Compile report: " + model);
        page.heading(1, "Compile report: " + model);
        page.list(summary());
        page.heading(2, "Latency per layer");
        page.paragraph(String.format(java.util.Locale.ROOT, "Median of %d timed runs per step after a warm-up run "
                + "(wall time, %d thread(s)), slowest first; the steps' medians sum to %s of the %s median run (a "
                + "larger gap is time the machine gave other processes: on a loaded machine most runs are "
                + "interrupted somewhere, a given step seldom). Green: int8 kernels, blue: float kernels, purple: "
                + "JVM kernels, red: reference operators; a gold mark and \u201ctuned\u201d: a kernel that runs a "
                + "configuration from tuning instead of its template's defaults. Hover a bar for the full "
                + "implementation.", latency.runs(), threads, LatencyBars.ms(latency.stepSumMs()), LatencyBars.ms(latency.medianMs())));
        page.figure(LatencyBars.of(latency.layers(), LATENCY_ROWS, layerTuning), latency.layers().size()
                + " steps that ran");
        if (rival != null) {
            page.heading(2, "Octet and " + rival.rival());
            page.raw("<figure>" + rival.bars() + "</figure>\n");
            page.list(rivalLines());
        }
        page.heading(2, "Tuning curves");
        tuningSection(page);
        page.heading(2, "Implementation per layer");
        page.paragraph("What runs each step, in graph order: the template (or kind of step) and its configuration; "
                + "reference operators in grey. Rows marked tuned (highlighted) run a configuration from tuning "
                + "instead of the template's defaults; their tuning column names the default and, where the tuning "
                + "log timed both, the default's time against the tuned one (fastest verified call of each). "
                + tunedLine());
        page.raw("<div class=\"scroll\">" + ImplementationTable.of(latency.layers(), layerTuning) + "</div>\n");
        page.heading(2, "Quantization");
        if (quantization == null) {
            page.paragraph(int8Layers == 0 ? "None: the model runs in float." : "No quantization report: the model "
                    + "was quantized before Octet saw it, or the bundle was compiled without --report.");
        } else {
            ReportPage.addSections(page, quantization, 3);
        }
        if (!notes.isEmpty()) {
            page.heading(2, "Notes");
            page.list(notes);
        }
        return page.render();
    }

    private List<String> summary() {
        List<String> items = new ArrayList<>();
        items.add("model " + model + (family == null ? "" : " (" + family + ")"));
        items.add(quantization != null ? "layers: " + int8Layers + " int8, " + floatLayers + " float"
                : int8Layers == 0 ? "layers: all " + floatLayers + " float"
                : "nodes writing int8: " + int8Layers + ", float: " + floatLayers);
        items.add(String.format(java.util.Locale.ROOT, "latency %s median, %s fastest of %d runs (%d thread(s)%s%s)",
                LatencyBars.ms(latency.medianMs()), LatencyBars.ms(latency.minMs()), latency.runs(), threads,
                Double.isNaN(loadAverage) ? "" : String.format(java.util.Locale.ROOT, "; machine load average %.1f "
                        + "on %d cores while timed", loadAverage, Runtime.getRuntime().availableProcessors()),
                inputs.isEmpty() ? "" : "; " + String.join("; ", inputs)));
        items.add("ISA level " + (isa == null ? "none (no native library)" : isa) + "; " + backend);
        if (tuning != null) {
            items.add("tuning log " + tuningSource + ": " + tuning.size() + " records");
        }
        items.add(tunedLine());
        if (rival != null) {
            items.add(String.format(java.util.Locale.ROOT, "%s median %s: ratio %.2f (above 1: Octet is faster)",
                    rival.rival(), LatencyBars.ms(rival.rivalMedianMs()), rival.ratio()));
        }
        items.add("Octet " + octetVersion);
        return items;
    }

    /**
     * Steps tuned: "12 of 53 steps tuned (12 of the 40 with a tunable kernel run a configuration from tuning, ...)";
     * a workload shared by several steps counts once per step.
     */
    String tunedLine() {
        List<LayerLatency> layers = latency.layers();
        long tunable = layers.stream().filter(l -> layerTuning.containsKey(l.index())).count();
        long tuned = layers.stream().filter(l -> isTuned(l.index())).count();
        long kept = layers.stream().map(l -> layerTuning.get(l.index()))
                .filter(t -> t != null && t.defaultKept()).count();
        return tuned + " of " + layers.size() + " steps tuned (" + tuned + " of the " + tunable + " with a tunable "
                + "kernel run a configuration from tuning, not the template's default" + (kept > 0 ? "; " + kept
                + " more tuned but kept the default, the fastest" : "") + (tuning == null && tuned == 0
                ? "; no tuning log" : "") + ")";
    }

    boolean isTuned(int index) {
        LayerTuning t = layerTuning.get(index);
        return t != null && t.tuned();
    }

    private List<String> rivalLines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "Octet median %s (min %s), %s median %s (min %s) on %s; "
                + "%d timed runs each, alternating, %d thread(s)", LatencyBars.ms(rival.octetMedianMs()),
                LatencyBars.ms(rival.octetMinMs()), rival.rival(), LatencyBars.ms(rival.rivalMedianMs()),
                LatencyBars.ms(rival.rivalMinMs()), rival.model(), rival.runs(), rival.threads()));
        lines.add(String.format(java.util.Locale.ROOT, "ratio %s median / Octet median: %.2f", rival.rival(),
                rival.ratio()));
        if (rival.agreement() != null) {
            lines.add("outputs: " + rival.agreement());
        }
        return lines;
    }

    private void tuningSection(HtmlPage page) {
        if (tuning == null) {
            page.paragraph("No tuning log: every kernel uses its template's defaults (octet tune MODEL --log FILE, "
                    + "then compile with --tuning-log FILE).");
            return;
        }
        List<TuningCurve> curves = TuningCurve.of(tuning);
        List<TuningCurve> ours = curves.stream().filter(c -> buildConfigs.containsKey(c.workload())).toList();
        List<TuningCurve> others = curves.stream().filter(c -> !buildConfigs.containsKey(c.workload())).toList();
        page.paragraph("Best verified cost so far (blue) against the trial index, per task of " + tuningSource
                + "; grey dots are each trial's own cost (fastest timed call), red marks above the plot failed "
                + "trials; the cost axis spans the costs, not from zero. " + ours.size() + " of " + curves.size()
                + " tasks in the log are workloads of this build" + (others.isEmpty() ? "." : "; the others (e.g. "
                + "float kernels of a model compiled to int8) follow them, marked as not used."));
        page.raw(TuningCurves.figures(ours, buildConfigs));
        if (!others.isEmpty()) {
            page.raw("<details" + (ours.isEmpty() ? " open" : "") + "><summary>" + others.size()
                    + " task(s) of the log that this build does not use</summary>\n"
                    + TuningCurves.figures(others, buildConfigs) + "</details>\n");
        }
    }
}
