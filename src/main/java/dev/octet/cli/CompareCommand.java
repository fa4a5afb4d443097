package dev.octet.cli;

import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.oracle.Agreement;
import dev.octet.oracle.Comparison;
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
                "Exit code: 0 when every output agrees, 3 when one does not, 1 on an error."})
final class CompareCommand implements Callable<Integer> {
    static final int DISAGREE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model file.")
    Path model;

    @Option(names = "--against", required = true, paramLabel = "ort",
            description = "The implementation to compare with: 'ort' (ONNX Runtime, CPU).")
    String against;

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
}
