package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.data.CtcDecoder;
import dev.octet.data.DbPostProcess;
import dev.octet.data.FontSet;
import dev.octet.data.ImageDegradation;
import dev.octet.data.ImageDirectory;
import dev.octet.data.Images;
import dev.octet.data.LabelledLine;
import dev.octet.data.LabelledPage;
import dev.octet.data.ModelFamily;
import dev.octet.data.Split;
import dev.octet.data.TextLineSet;
import dev.octet.data.TextPageSet;
import dev.octet.eval.AgreementEvaluator;
import dev.octet.eval.DetectionEvaluator;
import dev.octet.eval.ModelRunner;
import dev.octet.eval.OrientationEvaluator;
import dev.octet.eval.RecognitionEvaluator;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
            description = "blazeface, mlsd: the model to compare with MODEL (default: MODEL on the reference "
                    + "interpreter).")
    Path against;

    @Option(names = "--clean", description = "No rotation, blur, noise or contrast change in rendered data.")
    boolean clean;

    @Option(names = "--latin", description = "No Chinese characters in rendered text.")
    boolean latin;

    @Option(names = "--dict", paramLabel = "FILE",
            description = "ocr-rec: the character dictionary (default: the model's own, else ppocr_keys_v1.txt).")
    Path dict;

    @Option(names = "--det-limit", defaultValue = "" + ModelFamily.DET_LIMIT, paramLabel = "N",
            description = "ocr-det: bound on the input's longer side (default: ${DEFAULT-VALUE}).")
    int detLimit;

    private final List<AutoCloseable> open = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        EvalTask t = EvalTask.parse(task);
        try {
            if (writeCalib != null) {
                return writeCalibration(t);
            }
            Path file = modelFile(t);
            Model m = Octet.load(file);
            long start = System.nanoTime();
            ModelRunner runner = candidate(m);
            double compileSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("task", t.label);
            result.put("model", file.toString());
            result.put("runner", runner.description());
            result.put("compile_seconds", compileSeconds);
            result.put("seed", seed);
            Object report = switch (t) {
                case REC -> new RecognitionEvaluator(decoder(m)).evaluate(runner, lineSet(m).lines(count(t)));
                case CLS -> new OrientationEvaluator().evaluate(runner, orientedLines(lineSet(m), count(t)));
                case DET -> new DetectionEvaluator(detLimit, DbPostProcess.paddleDefaults()).evaluate(runner,
                        pages(pageSet(m), count(t)));
                case BLAZEFACE, MLSD -> new AgreementEvaluator().evaluate(runner, second(m), photos(m));
            };
            if (t.rendered()) {
                result.put("fonts", FontSet.installed().describe());
            }
            result.put("report", report.getClass().getMethod("json").invoke(report));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(RunCommand.toJson(result));
            } else {
                out.printf("eval    %s on %s (%s, compiled in %.1f s)%n", t.label, file.getFileName(),
                        runner.description(), compileSeconds);
                if (t.rendered()) {
                    out.println("data    seed " + seed + ", " + FontSet.installed().describe());
                }
                out.print(report);
            }
            out.flush();
            return 0;
        } finally {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        }
    }

    /**
     * The model under evaluation as a runner: MODEL compiled for --backend. This is the place where an int8
     * model comes in: {@code --int8 --calib DIR} will quantize {@code m} on the images of DIR (written by
     * {@code --write-calib}) and return the compiled int8 model here.
     */
    private ModelRunner candidate(Model m) {
        return compiled(m);
    }

    /** blazeface, mlsd: what MODEL's outputs are compared with. */
    private ModelRunner second(Model m) {
        if (against != null) {
            return compiled(Octet.load(against));
        }
        return ModelRunner.reference(m.graph());
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
        if (!t.rendered()) {
            throw new OctetException(t.label + " has no rendered data: calibrate it on photos");
        }
        int n = count(t);
        List<BufferedImage> imgs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Model m = model == null ? null : Octet.load(model);
        for (int i = 0; i < n; i++) {
            switch (t) {
                case REC, CLS -> {
                    LabelledLine l = t == EvalTask.REC ? lineSet(m, Split.CALIBRATION).line(i)
                            : lineSet(m, Split.CALIBRATION).orientedLine(i);
                    imgs.add(l.image());
                    labels.add(t == EvalTask.REC ? l.text() : Integer.toString(l.rotation()));
                }
                default -> {
                    LabelledPage p = pageSet(m, Split.CALIBRATION).page(i);
                    imgs.add(p.image());
                    labels.add(p.boxes().toString());
                }
            }
        }
        ImageDirectory.write(writeCalib, imgs, labels);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? RunCommand.toJson(Map.of("written", n, "dir", writeCalib.toString()))
                : "wrote   " + n + " calibration images (" + t.label + ", seed " + seed + ") to " + writeCalib);
        out.flush();
        return 0;
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

    private List<String> dictionary(Model m) {
        try {
            if (dict != null) {
                return CtcDecoder.dictionaryLines(Files.readString(dict));
            }
            if (m != null && m.metadata().containsKey("character")) {
                return CtcDecoder.dictionaryLines(m.metadata().get("character"));
            }
            try (BundledModels bundle = BundledModels.open()) {
                return CtcDecoder.dictionaryLines(Files.readString(bundle.model("ppocr_keys_v1.txt")));
            }
        } catch (IOException e) {
            throw new OctetException("cannot read the character dictionary (" + e.getMessage() + ")");
        }
    }

    private CtcDecoder decoder(Model m) {
        return new CtcDecoder(dictionary(m));
    }

    private FontSet fonts() {
        FontSet all = FontSet.installed();
        return latin ? FontSet.latinOnly(all) : all;
    }

    private ImageDegradation degradation() {
        return clean ? ImageDegradation.NONE : ImageDegradation.MILD;
    }

    private TextLineSet lineSet(Model m) {
        return lineSet(m, Split.EVALUATION);
    }

    private TextLineSet lineSet(Model m, Split split) {
        return new TextLineSet(dictionary(m), fonts(), seed, split, degradation());
    }

    private TextPageSet pageSet(Model m) {
        return pageSet(m, Split.EVALUATION);
    }

    private TextPageSet pageSet(Model m, Split split) {
        return new TextPageSet(dictionary(m), fonts(), seed, split, degradation());
    }

    private static List<LabelledLine> orientedLines(TextLineSet set, int n) {
        return collect(n, set::orientedLine);
    }

    private static List<LabelledPage> pages(TextPageSet set, int n) {
        return collect(n, set::page);
    }

    private static <T> List<T> collect(int n, IntFunction<T> sample) {
        return IntStream.range(0, n).mapToObj(sample).toList();
    }

    private List<Tensor> photos(Model m) {
        if (images == null) {
            throw new OctetException("--images DIR is needed: the photos to compare the outputs on");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(images)) {
            files = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new OctetException(images + ": cannot list the photos (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new OctetException(images + ": no JPEG or PNG photos");
        }
        if (samples > 0 && samples < files.size()) {
            files = files.subList(0, samples);
        }
        var input = m.graph().inputs().getFirst().type();
        var p = ModelFamily.of(m).preprocessing(input);
        return files.stream().map(f -> Images.toTensor(Images.load(f), p, 1)).toList();
    }
}
