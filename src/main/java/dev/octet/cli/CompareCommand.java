package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.oracle.Agreement;
import dev.octet.oracle.Comparison;
import dev.octet.oracle.Int8Exactness;
import dev.octet.oracle.Oracle;
import dev.octet.oracle.Oracles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet compare MODEL --against ort`: Octet's reference interpreter against ONNX Runtime on the same input. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Runs a model on Octet's reference interpreter and on ONNX Runtime with the same inputs and "
                + "reports, per output, max_abs = max|octet - ort| and max_rel = max_abs / max|ort|.",
                "An output agrees when max_rel <= the tolerance (float outputs) or it is identical (integer "
                        + "outputs).",
                "With --int8: Octet's int8 code against ONNX Runtime on the same QDQ model: every int8 tensor "
                        + "computed from identical int8 inputs within one unit, the outputs' drift below int8's "
                        + "error vs fp32; the unit counts at the last int8 tensors and the agreement with ONNX "
                        + "Runtime fp32 on MODEL (max_rel, cosine) are reported.",
                "Exit code: 0 when every output agrees, 3 when one does not, 1 on an error."})
final class CompareCommand implements Callable<Integer> {
    static final int DISAGREE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model file.")
    Path model;

    @Option(names = "--against", paramLabel = "ort",
            description = "The implementation to compare with: 'ort' (ONNX Runtime, CPU); required unless --int8.")
    String against;

    @Option(names = "--int8", description = "Compare Octet int8 (the model quantized by --calib, or a QDQ model as "
            + "it is) with ONNX Runtime int8 on the same QDQ model and with ONNX Runtime fp32.")
    boolean int8Mode;

    @Mixin
    Int8Options int8;

    @Option(names = "--every-tensor", description = "With --int8: also compare every int8 activation with ONNX "
            + "Runtime's, one line each in graph order (where the two start to drift apart).")
    boolean everyTensor;

    @Mixin
    InputOptions inputs;

    @Option(names = "--tolerance", defaultValue = "1e-4", paramLabel = "REL",
            description = "Bound on max_rel for float outputs (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime's intra-op threads (default: its own choice).")
    int threads;

    @Option(names = "--json", description = "One JSON object per output, one per line: output, max_abs, max_rel, "
            + "tolerance, agree.")
    boolean json;

    @Override
    public Integer call() {
        if (against == null && !int8Mode) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--against=ort'");
        }
        against = against == null ? "ort" : against;
        if (!against.equalsIgnoreCase("ort") && !against.equalsIgnoreCase("onnxruntime")) {
            throw new OctetException("--against " + against + ": the only implementation to compare with is 'ort'");
        }
        if (!(tolerance >= 0)) {
            throw new OctetException("--tolerance " + tolerance + ": must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        Model m = OnnxImporter.load(model);
        ModelFamily family = ModelFamily.of(m);
        ModelInputs.Prepared prepared = ModelInputs.build(m, family, inputs);
        if (int8Mode) {
            return compareInt8(m, prepared, out);
        }
        Comparison.Report report;
        String oracleName;
        try (Oracle ort = Oracles.onnxRuntime(model, threads)) {
            oracleName = ort.name();
            report = Comparison.run(m.graph(), ort, prepared.tensors(), tolerance);
        }
        List<Agreement> results = report.outputs();
        Map<String, Tensor> octet = report.octetOutputs();
        boolean allAgree = results.stream().allMatch(Agreement::agree);
        if (json) {
            for (Agreement a : results) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("output", a.output());
                fields.put("max_abs", a.maxAbs());
                fields.put("max_rel", a.maxRel());
                fields.put("tolerance", a.tolerance());
                fields.put("agree", a.agree());
                Tensor t = octet.get(a.output());
                if (t != null) {
                    fields.put("shape", t.shape());
                }
                if (!a.detail().isEmpty()) {
                    fields.put("detail", a.detail());
                }
                out.println(RunCommand.toJson(fields));
            }
        } else {
            out.println("model    " + model.getFileName() + " (" + family.description() + ")");
            prepared.descriptions().forEach(d -> out.println("input    " + d));
            out.printf("octet    %.2f s (reference interpreter)%n", report.octetSeconds());
            out.printf("oracle   %.2f s (%s)%n", report.oracleSeconds(), oracleName);
            int width = Math.max(6, results.stream().mapToInt(a -> a.output().length()).max().orElse(6));
            out.printf("%-" + width + "s  %-20s  %-10s  %-10s  %-9s  %s%n", "output", "type", "max_abs", "max_rel",
                    "tolerance", "agree");
            for (Agreement a : results) {
                Tensor t = octet.get(a.output());
                out.printf("%-" + width + "s  %-20s  %-10.3g  %-10.3g  %-9.0e  %s%n", a.output(),
                        t == null ? "-" : t.type().toString(), a.maxAbs(), a.maxRel(), a.tolerance(),
                        (a.agree() ? "yes" : "NO") + (a.detail().isEmpty() ? "" : ": " + a.detail()));
            }
            long bad = results.stream().filter(a -> !a.agree()).count();
            out.println(allAgree ? String.format("verdict  all %d outputs agree (max_rel <= %.0e of each output's "
                    + "magnitude)", results.size(), tolerance) : "verdict  " + bad + " of " + results.size()
                    + " outputs disagree");
        }
        out.flush();
        return allAgree ? 0 : DISAGREE;
    }

    /** Octet int8 vs ORT int8 on the same QDQ model (within one unit) and vs ORT fp32 (reported only). */
    private int compareInt8(Model m, ModelInputs.Prepared prepared, PrintWriter out) {
        CompileOptions compile = threads > 0 ? CompileOptions.defaults().withThreads(threads)
                : CompileOptions.defaults();
        try (Int8Check c = Int8Check.open(m, model, int8, compile, threads)) {
            Int8Check.Result r = c.check(List.of(prepared.tensors()));
            Int8Exactness e = r.exactness();
            if (json) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("model", model.getFileName().toString());
                f.put("int8_tensors", e.tensors());
                f.put("int8_elements", e.elements());
                f.put("int8_off_by_one", e.offByOne());
                f.put("int8_off_by_more", e.offByMore());
                f.put("int8_max_units", e.maxUnits());
                f.put("max_rel_err_vs_ort_int8", r.maxRelVsOrtInt8());
                f.put("max_rel_err_vs_fp32", r.hasFp32() ? r.maxRelVsFp32() : null);
                f.put("cosine_vs_fp32", r.hasFp32() ? r.minCosineVsFp32() : null);
                f.put("int8_isolated_checks", r.isolatedChecks());
                f.put("int8_isolated_off_by_more", r.violations());
                f.put("agree", r.agrees());
                if (everyTensor) {
                    f.put("every_tensor", r.perTensor().stream().map(t -> Map.of("tensor", t.tensors().getFirst(),
                            "elements", t.elements(), "off_by_one", t.offByOne(), "off_by_more", t.offByMore(),
                            "max_units", t.maxUnits())).toList());
                }
                out.println(RunCommand.toJson(f));
            } else {
                out.println("model    " + model.getFileName() + " (" + ModelFamily.of(m).description() + ")");
                prepared.descriptions().forEach(d -> out.println("input    " + d));
                out.println(c.quantized.describe());
                if (everyTensor) {
                    r.perTensor().forEach(t -> out.println("tensor   " + t.describe()));
                }
                out.println("per op   " + r.describeIsolated());
                out.println("last     " + e.describe() + " vs " + c.ortInt8.name() + " on the same QDQ model");
                out.printf("outputs  max_rel %.3g vs ORT int8%s%n", r.maxRelVsOrtInt8(), r.hasFp32()
                        ? String.format("; vs ORT fp32 max_rel %.3g, cosine %.6f", r.maxRelVsFp32(),
                                r.minCosineVsFp32()) : " (a QDQ model given: no fp32 to compare with)");
                out.println(r.agrees() ? "verdict  int8 agrees with ONNX Runtime: within one unit per operator, "
                        + "drift below the quantization error" : "verdict  " + r.problem());
            }
            out.flush();
            return r.agrees() ? 0 : DISAGREE;
        }
    }
}
