package dev.octet.cli;

import dev.octet.data.ModelFamily;
import dev.octet.ir.Model;
import dev.octet.quant.QuantizationReport;
import dev.octet.report.CompileReport;
import dev.octet.report.RivalTiming;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.TuningRecord;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code octet compile --report} and {@code octet report} share: the inputs a model is timed on (those of
 * {@code octet compile}'s timed run: the family's default, or random), the optional side-by-side with ONNX Runtime,
 * then {@link CompileReport#of}.
 */
final class CompileReports {
    private CompileReports() {
    }

    /**
     * @param source the model as compiled (its file name and family)
     * @param vsOrt the ONNX model ONNX Runtime runs beside it, or null
     */
    static CompileReport build(Model source, CompiledModel compiled, int threads, int runs,
            QuantizationReport quantization, List<TuningRecord> tuning, String tuningSource, Path vsOrt,
            List<String> notes) {
        ModelFamily family = ModelFamily.of(source);
        ModelInputs.Prepared inputs = ModelInputs.build(source, family, new InputOptions());
        RivalTiming rival = vsOrt == null ? null
                : OrtSideBySide.measure(compiled, vsOrt, inputs.tensors(), runs, threads);
        String name = source.source() == null ? source.displayName() : source.source().getFileName().toString();
        return CompileReport.of(name, family.description(), dev.octet.Octet.version(), compiled, inputs.tensors(),
                inputs.descriptions(), threads, runs, quantization, tuning, tuningSource, rival, notes);
    }
}
