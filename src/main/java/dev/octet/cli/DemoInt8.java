package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.codegen.c.CCompiler;
import dev.octet.codegen.c.LibraryCache;
import dev.octet.data.CtcDecoder;
import dev.octet.data.ImageDirectory;
import dev.octet.data.ModelFamily;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.quant.CalibrationImages;
import dev.octet.quant.Calibrator;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.quant.QuantizedModel;
import dev.octet.runtime.CompiledModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The int8 half of the bundled demo: PP-OCRv4 recognition quantized on rendered text lines of the calibration split
 * (never the demo's own line), run on the demo's input beside fp32: the text each reads, each one's time (best of
 * {@value #RUNS} runs) and how far the int8 output probabilities are from fp32's.
 */
final class DemoInt8 {
    static final int CALIBRATION_LINES = 32;
    private static final int RUNS = 5;

    private DemoInt8() {
    }

    static void report(PrintWriter out, Model fp32, Map<String, Tensor> inputs, CompileOptions options) {
        if (options.backend() == CompileOptions.Backend.JVM || CCompiler.find() == null) {
            out.println("int8    skipped: int8 kernels are native (no C compiler here, or --backend jvm)");
            return;
        }
        Path calib = calibrationLines(fp32);
        long t0 = System.nanoTime();
        CalibrationImages images = CalibrationImages.fromDirectory(calib,
                ModelFamily.of(fp32).preprocessing(fp32.graph().inputs().getFirst().type()));
        QuantizedModel q = PostTrainingQuantizer.defaults().withCompileOptions(options).quantize(fp32.graph(), images);
        double quantizeSeconds = (System.nanoTime() - t0) / 1e9;
        CtcDecoder decoder = CtcDecoder.fromLines(fp32.metadata().get("character"));
        try (CompiledModel f = Octet.compile(fp32, options);
                CompiledModel i = Octet.compile(new Model(q.qdq(), fp32.source(), fp32.producer(), fp32.metadata()),
                        options)) {
            Tensor yf = f.run(inputs).values().iterator().next();
            Tensor yi = i.run(inputs).values().iterator().next();
            double fms = bestMillis(f, inputs);
            double ims = bestMillis(i, inputs);
            CtcDecoder.Line lf = decoder.decode(yf).getFirst();
            CtcDecoder.Line li = decoder.decode(yi).getFirst();
            out.printf("int8    quantized in %.1f s: %d convs int8, calibrated on %d rendered lines (%s)%n",
                    quantizeSeconds, q.summary().int8Count("Conv"), images.size(), calib);
            out.printf("fp32    \"%s\" (confidence %.3f)  %.1f ms%n", lf.text(), lf.confidence(), fms);
            out.printf("int8    \"%s\" (confidence %.3f)  %.1f ms  (%.2fx fp32's speed)%n", li.text(),
                    li.confidence(), ims, fms / ims);
            out.printf("agree   %s text; max |fp32 - int8| over the output probabilities %.4f (best of %d runs "
                    + "each, %d thread(s))%n", lf.text().equals(li.text()) ? "same" : "DIFFERENT", maxAbs(yf, yi),
                    RUNS, options.threads());
        }
    }

    /** Rendered calibration lines, written once under the cache folder (stable files: the calibration cache hits). */
    private static Path calibrationLines(Model m) {
        Path dir = LibraryCache.defaultDir().resolveSibling("demo-calib").resolve("ppocr-rec-" + CALIBRATION_LINES);
        if (!Files.isRegularFile(dir.resolve("labels.tsv"))) {
            List<EvalData.Labelled> lines = new EvalData(null, false, false, 1, false).calibration(EvalTask.REC, m,
                    CALIBRATION_LINES);
            ImageDirectory.write(dir, lines.stream().map(EvalData.Labelled::image).toList(),
                    lines.stream().map(EvalData.Labelled::label).toList());
        }
        return dir;
    }

    private static double bestMillis(CompiledModel m, Map<String, Tensor> inputs) {
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < RUNS; r++) {
            long t = System.nanoTime();
            m.run(inputs);
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        return best;
    }

    private static double maxAbs(Tensor a, Tensor b) {
        float[] x = a.floats();
        float[] y = b.floats();
        double m = 0;
        for (int k = 0; k < x.length; k++) {
            m = Math.max(m, Math.abs(x[k] - y[k]));
        }
        return m;
    }
}
