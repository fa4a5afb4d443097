package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.data.ImageDirectory;
import dev.octet.io.FileTrees;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * MODEL quantized for {@code octet eval TASK --int8}: calibrated on --calib, or for the rendered tasks on their
 * calibration split; with {@code --fallback --max-drop X} the fallback's budget is the task's own metric on the
 * held-out split ({@link TaskMetric}).
 */
final class EvalInt8 {
    private EvalInt8() {
    }

    /**
     * Refuses int8 flags eval cannot honour, before anything is compiled: --max-drop without --int8 or --fallback,
     * with --min-cosine, or for a task without labels (blazeface, mlsd).
     */
    static void check(EvalTask t, boolean int8, Int8Options o) {
        if (o.maxDrop == null) {
            return;
        }
        if (!int8) {
            throw new OctetException("--max-drop budgets the int8 model's fallback: add --int8 --fallback");
        }
        o.checkBudget();
        if (!t.rendered()) {
            throw new OctetException("--max-drop needs an end-task metric, and " + t.label + " has none (no "
                    + "labels); use --min-cosine");
        }
    }

    /**
     * Quantizes {@code m} by {@code o}, filling in what eval decides for it (the rendered calibration images, the
     * task metric of --max-drop).
     *
     * @param open where a temporary calibration folder is registered for deletion
     * @throws OctetException where the budget flags do not go together, --max-drop is asked of a task without
     *     labels, or calibration or quantization fails
     */
    static Int8Options.Quantized quantize(EvalTask t, Model m, Int8Options o, EvalData data, int detLimit,
            CompileOptions compile, boolean progress, List<AutoCloseable> open) throws IOException {
        check(t, true, o);
        if (o.maxDrop != null) {
            int n = o.fallbackSamples != null ? o.fallbackSamples : TaskMetric.defaultSamples(t);
            o.taskMetric = TaskMetric.of(t, data, m, n, detLimit);
        }
        if (o.calib == null) {
            int n = o.calibCount > 0 ? o.calibCount : EvalCommand.DEFAULT_CALIBRATION_IMAGES;
            Path dir = Files.createTempDirectory("octet-calib-");
            open.add(() -> FileTrees.delete(dir));
            List<EvalData.Labelled> samples = data.calibration(t, m, n);
            ImageDirectory.write(dir, samples.stream().map(EvalData.Labelled::image).toList(),
                    samples.stream().map(EvalData.Labelled::label).toList());
            o.calib = dir;
        }
        return o.quantize(m, compile, progress);
    }
}
