package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.data.CtcDecoder;
import dev.octet.data.DbPostProcess;
import dev.octet.data.ImageDirectory;
import dev.octet.data.LabelledLine;
import dev.octet.data.LabelledPage;
import dev.octet.data.ModelFamily;
import dev.octet.data.Split;
import dev.octet.eval.AgreementEvaluator;
import dev.octet.eval.DetectionEvaluator;
import dev.octet.eval.EvalReport;
import dev.octet.eval.MetricDrop;
import dev.octet.quant.QuantizationReport;
import dev.octet.report.EndTaskMetrics;
import dev.octet.report.ReportPage;
import dev.octet.eval.ModelRunner;
import dev.octet.eval.OrientationEvaluator;
import dev.octet.eval.RecognitionEvaluator;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.runtime.CompiledModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet eval TASK [MODEL]`: end-task accuracy on rendered, labelled data, or agreement of two runs on photos. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measures a model on data with known answers, rendered by Octet from a seed: ocr-rec (text "
                + "lines: character and exact-line accuracy), ocr-cls (lines upright or upside down: accuracy), "
                + "ocr-det (pages with known line boxes: precision, recall, F1 at IoU 0.5). For blazeface and mlsd "
                + "(no labels): agreement of the model's outputs with a second run on photos (--images), by default "
                + "the reference interpreter. Every figure comes with a 95% confidence interval.",
                "Without MODEL the OCR tasks use the bundled PP-OCRv4 rec/det and v2.0 cls models."})
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK", description = "ocr-rec, ocr-cls, ocr-det, blazeface or mlsd.")
    String task;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MODEL", description = "An ONNX model file.")
    Path model;

    @Option(names = "--samples", defaultValue = "-1", paramLabel = "N",
            description = "Lines (rec, cls), pages (det) or photos to use (default: 500 lines, 100 pages, all photos).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the rendered data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "One JSON object instead of text.")
    boolean json;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|native|jvm|ref",
            description = "What runs the model (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Worker threads.")
    int threads;

    @Option(names = "--write-calib", paramLabel = "DIR",
            description = "Writes --samples images of the calibration split (disjoint from the evaluation split) "
                    + "as PNG files to DIR, with labels.tsv, and evaluates nothing.")
    Path writeCalib;

    @Option(names = "--images", paramLabel = "DIR", description = "Photos (JPEG, PNG) for blazeface and mlsd.")
    Path images;

    @Option(names = "--against", paramLabel = "FILE",
            description = "A second model evaluated on the same samples (an int8 one, say), reported beside MODEL "
                    + "with the drop and its paired 95% interval; blazeface, mlsd: the model whose outputs are "
                    + "compared with MODEL's (default: MODEL on the reference interpreter).")
    Path against;

    @Option(names = "--int8", description = "Also evaluates MODEL quantized to int8 (on integer kernels) and "
            + "reports the drop from fp32 with its paired 95% interval. Calibrated on --calib DIR, or for the OCR "
            + "tasks without --calib on --calib-count (default 64) images of the rendered calibration split, "
            + "disjoint from the evaluation split.")
    boolean int8;

    @CommandLine.Mixin
    Int8Options int8Options;

    @Option(names = "--report", paramLabel = "REPORT.html", description = "With --int8: also writes the "
            + "quantization report (as `octet quantize --report`) with the fp32 and int8 metrics on its page.")
    Path report;

    /** MODEL quantized by --int8, kept for --report. */
    private Int8Options.Quantized quantized;

    @Option(names = "--clean", description = "No rotation, blur, noise or contrast change in rendered data.")
    boolean clean;

    @Option(names = "--latin", description = "No Chinese characters in rendered text.")
    boolean latin;

    @Option(names = "--cluttered", description = "ocr-det: harder pages (for calibration too): smaller and more "
            + "lines, coloured ink, light text on dark labels, over gradients, shapes and ruled lines. Plain pages "
            + "are so easy that F1 hardly moves when the model is damaged.")
    boolean cluttered;

    @Option(names = "--dict", paramLabel = "FILE",
            description = "ocr-rec: the character dictionary (default: the model's own, else ppocr_keys_v1.txt).")
    Path dict;

    @Option(names = "--det-limit", defaultValue = "" + ModelFamily.DET_LIMIT, paramLabel = "N",
            description = "ocr-det: bound on the input's longer side (default: ${DEFAULT-VALUE}).")
    int detLimit;

    /** Rendered calibration images for --int8 without --calib. */
    static final int DEFAULT_CALIBRATION_IMAGES = 64;

    private final List<AutoCloseable> open = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        EvalTask t = EvalTask.parse(task);
        try {
            if (writeCalib != null) {
                return writeCalibration(t);
            }
            if (this.report != null && !int8) {
                throw new OctetException("--report needs --int8 (the report is on MODEL's int8 quantization)");
            }
            EvalInt8.check(t, int8, int8Options);
            Path file = modelFile(t);
            Model m = Octet.load(file);
            long start = System.nanoTime();
            ModelRunner runner = compiled(m);
            double compileSeconds = (System.nanoTime() - start) / 1e9;
            ModelRunner other = candidate(t, m);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("task", t.label);
            result.put("model", file.toString());
            result.put("runner", runner.description());
            result.put("compile_seconds", compileSeconds);
            result.put("seed", seed);
            if (t.rendered()) {
                result.put("fonts", data().fonts().describe());
            }
            Evaluated e = switch (t) {
                case REC -> {
                    RecognitionEvaluator ev = new RecognitionEvaluator(new CtcDecoder(data().dictionary(m)));
                    List<LabelledLine> lines = data().lines(m, Split.EVALUATION, count(t));
                    yield paired(r -> ev.evaluate(r, lines), runner, other, MetricDrop::recognition);
                }
                case CLS -> {
                    List<LabelledLine> lines = data().orientedLines(m, Split.EVALUATION, count(t));
                    yield paired(r -> new OrientationEvaluator().evaluate(r, lines), runner, other,
                            MetricDrop::orientation);
                }
                case DET -> {
                    DetectionEvaluator ev = new DetectionEvaluator(detLimit, DbPostProcess.paddleDefaults());
                    List<LabelledPage> pages = data().pages(m, Split.EVALUATION, count(t));
                    yield paired(r -> ev.evaluate(r, pages), runner, other, MetricDrop::detection);
                }
                case BLAZEFACE, MLSD -> new Evaluated(new AgreementEvaluator().evaluate(runner,
                        other != null ? other : ModelRunner.reference(m.graph()),
                        EvalData.photos(images, m, samples > 0 ? samples : Integer.MAX_VALUE)), null, null);
            };
            EvalReport report = e.reference();
            EvalReport otherReport = e.candidate();
            MetricDrop drop = e.drop();
            result.put("report", report.json());
            if (otherReport != null) {
                result.put("candidate", other.description());
                result.put("candidate_report", otherReport.json());
                result.put("drop", drop.json());
            }
            String fallback = fallbackNote();
            if (fallback != null) {
                result.put("fallback", fallback);
            }
            Path reportJson = this.report == null ? null : writeReport(file, m, e);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(RunCommand.toJson(result));
            } else {
                out.printf("eval    %s on %s (%s, compiled in %.1f s)%n", t.label, file.getFileName(),
                        runner.description(), compileSeconds);
                if (t.rendered()) {
                    out.println("data    seed " + seed + ", " + data().fonts().describe());
                }
                out.print(report);
                if (otherReport != null) {
                    out.println("against " + other.description());
                    out.print(otherReport);
                    out.println("drop    " + drop + " (paired bootstrap, 95%)");
                }
                if (fallback != null) {
                    out.println(fallback);
                }
                if (reportJson != null) {
                    out.println("report  " + this.report + " and " + reportJson);
                }
            }
            out.flush();
            return 0;
        } finally {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        }
    }

    /** The quantization report of --int8's model with the evaluation's metrics; returns its JSON file. */
    private Path writeReport(Path file, Model m, Evaluated e) {
        if (quantized == null || quantized.quantized() == null) {
            throw new OctetException("--report needs a float MODEL: " + file.getFileName() + " is quantized already");
        }
        CompileOptions options = threads > 0 ? CompileOptions.defaults().withThreads(threads) : CompileOptions.defaults();
        QuantizationReport r = QuantizationReport.measure(file.getFileName().toString(), m.graph(),
                quantized.quantized(), int8Options.quantizer(options, false), int8Options.calibrationImages(m),
                8, quantized.calibration());
        return ReportPage.write(r.withMetrics(e.candidate() == null ? List.of()
                : EndTaskMetrics.of(e.reference(), e.candidate())), this.report);
    }

    /**
     * The fallback's one line (budget, its value with every layer int8 and after, met or not) of --int8
     * --fallback, or null: with --json it is otherwise nowhere, as progress notes go to stderr only without --json.
     */
    private String fallbackNote() {
        if (quantized == null || quantized.quantized() == null) {
            return null;
        }
        return quantized.quantized().summary().notes().stream().filter(n -> n.startsWith("fallback:")).findFirst()
                .orElse(null);
    }

    /** A task's report on MODEL and, with --against, on the candidate too, with the drop between them. */
    private record Evaluated(EvalReport reference, EvalReport candidate, MetricDrop drop) {
    }

    /** Evaluates MODEL and, where there is one, the candidate on the same samples (labelled tasks only). */
    private static <R extends EvalReport> Evaluated paired(Function<ModelRunner, R> evaluate, ModelRunner runner,
            ModelRunner other, BiFunction<R, R, MetricDrop> drop) {
        R a = evaluate.apply(runner);
        if (other == null) {
            return new Evaluated(a, null, null);
        }
        R b = evaluate.apply(other);
        return new Evaluated(a, b, drop.apply(a, b));
    }

    /**
     * The model compared with MODEL (MODEL being the fp32 reference), or null for none: with --int8, MODEL
     * quantized; with --against FILE, that model; compiled for --backend.
     */
    private ModelRunner candidate(EvalTask t, Model m) throws IOException {
        if (int8) {
            if (against != null) {
                throw new OctetException("--int8 and --against both name the model to compare; give one");
            }
            CompileOptions options = CompileOptions.defaults();
            Int8Options.Quantized q = EvalInt8.quantize(t, m, int8Options, data(), detLimit,
                    threads > 0 ? options.withThreads(threads) : options, !json, open);
            quantized = q;
            ModelRunner r = compiled(q.model());
            return ModelRunner.of(r.inputName(), r::run, "int8 (" + q.summary() + "): "
                    + r.description());
        }
        if (against == null) {
            return null;
        }
        ModelRunner r = compiled(Octet.load(against));
        return ModelRunner.of(r.inputName(), r::run, against.getFileName() + ": " + r.description());
    }

    private ModelRunner compiled(Model m) {
        CompileOptions.Backend chosen = Backends.parse(backend);
        if (chosen == CompileOptions.Backend.REFERENCE) {
            return ModelRunner.reference(m.graph());
        }
        CompileOptions options = CompileOptions.defaults().withBackend(chosen);
        CompiledModel c = Octet.compile(m, threads > 0 ? options.withThreads(threads) : options);
        open.add(c);
        return ModelRunner.of(c);
    }

    private int writeCalibration(EvalTask t) {
        int n = count(t);
        List<EvalData.Labelled> samples = data().calibration(t, model == null ? null : Octet.load(model), n);
        ImageDirectory.write(writeCalib, samples.stream().map(EvalData.Labelled::image).toList(),
                samples.stream().map(EvalData.Labelled::label).toList());
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? RunCommand.toJson(Map.of("written", n, "dir", writeCalib.toString()))
                : "wrote   " + n + " calibration images (" + t.label + ", seed " + seed + ") to " + writeCalib);
        out.flush();
        return 0;
    }

    private EvalData data() {
        return new EvalData(dict, clean, latin, seed, cluttered);
    }

    private int count(EvalTask t) {
        return samples > 0 ? samples : t.defaultSamples;
    }

    private Path modelFile(EvalTask t) {
        if (model != null) {
            return model;
        }
        if (t.bundled == null) {
            throw new OctetException(t.label + " needs a MODEL file");
        }
        BundledModels bundle = BundledModels.open();
        open.add(bundle);
        return bundle.model(t.bundled);
    }
}
