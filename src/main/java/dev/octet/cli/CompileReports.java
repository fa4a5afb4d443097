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
        RivalTiming rival = vsOrt == null ? null : vsOrt(source, compiled, vsOrt, runs, threads);
        return build(source, compiled, threads, runs, quantization, tuning, tuningSource, rival, notes);
    }

    /** {@link #build}, with the side-by-side already measured ({@link #vsOrt}) or null. */
    static CompileReport build(Model source, CompiledModel compiled, int threads, int runs,
            QuantizationReport quantization, List<TuningRecord> tuning, String tuningSource, RivalTiming rival,
            List<String> notes) {
        ModelFamily family = ModelFamily.of(source);
        ModelInputs.Prepared inputs = ModelInputs.build(source, family, new InputOptions());
        String name = source.source() == null ? source.displayName() : source.source().getFileName().toString();
        return CompileReport.of(name, family.description(), dev.octet.Octet.version(), compiled, inputs.tensors(),
                inputs.descriptions(), threads, runs, quantization, tuning, tuningSource, rival, notes);
    }

    /**
     * Octet against ONNX Runtime on {@code onnx}, on the inputs the report is timed on ({@link OrtSideBySide}).
     *
     * @throws dev.octet.ir.OctetException where the file is missing, ONNX Runtime is not on the class path or
     *     rejects the model
     */
    static RivalTiming vsOrt(Model source, CompiledModel compiled, Path onnx, int runs, int threads) {
        ModelInputs.Prepared inputs = ModelInputs.build(source, ModelFamily.of(source), new InputOptions());
        return OrtSideBySide.measure(compiled, onnx, inputs.tensors(), runs, threads);
    }

    /** The side-by-side in one line, as the summaries of compile and report print it. */
    static String describe(RivalTiming rival) {
        return String.format(java.util.Locale.ROOT, "%s %.2f ms median, Octet %.2f ms: ratio %.2f (%s; %d "
                + "alternating runs each, %d thread(s))", rival.rival(), rival.rivalMedianMs(), rival.octetMedianMs(),
                rival.ratio(), rival.ratio() >= 1 ? "Octet faster" : "ONNX Runtime faster", rival.runs(),
                rival.threads());
    }
}
