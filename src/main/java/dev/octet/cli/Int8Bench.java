package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.oracle.OrtOptimizedGraph;
import dev.octet.runtime.CompiledModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code octet bench MODEL --int8 --vs ort}: Octet int8 against ONNX Runtime fp32 on the original model and ONNX
 * Runtime int8 on Octet's QDQ export, one run each in turn after a warm-up. The integers are checked against ORT
 * int8 first (within one unit, see {@link dev.octet.oracle.Int8Exactness}); the fp32 agreement is reported, never
 * failed on (int8 is an approximation of it). ORT's optimized graph is inspected for QLinearConv nodes so the rival
 * is known to run int8 and not float convs between Q/DQ.
 */
final class Int8Bench {
    private Int8Bench() {
    }

    static int run(BenchCommand b) {
        PrintWriter out = b.spec.commandLine().getOut();
        Model m = OnnxImporter.load(b.model);
        List<Map<String, Tensor>> variants = BenchCommand.variants(
                ModelInputs.build(m, ModelFamily.of(m), b.inputs).tensors());
        CompileOptions compile = b.tuning.apply(CompileOptions.defaults().withBackend(Backends.parse(b.backend))
                .withThreads(b.threads), b.spec.commandLine().getErr());
        try (Int8Check c = Int8Check.open(m, b.model, b.int8, compile, b.threads)) {
            int qlinearConvs = OrtOptimizedGraph.qlinearConvCount(c.qdqFile, b.threads);
            Int8Check.Result agreement = c.check(variants);
            if (!agreement.agrees()) {
                out.println("int8 disagrees with ONNX Runtime on the same QDQ model: " + agreement.problem()
                        + "; no time reported");
                out.flush();
                return 3;
            }
            // The checked model keeps every int8 tensor; the timed one is compiled as users get it.
            long t0 = System.nanoTime();
            try (CompiledModel timed = Octet.compile(c.quantized.model(), compile)) {
                double compileSeconds = (System.nanoTime() - t0) / 1e9;
                return time(b, c, timed, compileSeconds, variants, agreement, qlinearConvs);
            }
        }
    }

    private static int time(BenchCommand b, Int8Check c, CompiledModel timed, double compileSeconds,
            List<Map<String, Tensor>> variants, Int8Check.Result agreement, int qlinearConvs) {
        PrintWriter out = b.spec.commandLine().getOut();
        List<Double> octetMs = new ArrayList<>();
        List<Double> fp32Ms = new ArrayList<>();
        List<Double> int8Ms = new ArrayList<>();
        int warmupRuns = b.rounds((i, recorded) -> {
            Map<String, Tensor> in = variants.get(i % variants.size());
            double a = BenchCommand.time(() -> timed.run(in));
            double f = c.ortFp32 == null ? Double.NaN : BenchCommand.time(() -> c.ortFp32.run(in));
            double q = BenchCommand.time(() -> c.ortInt8.run(in));
            if (recorded) {
                octetMs.add(a);
                fp32Ms.add(f);
                int8Ms.add(q);
            }
        });
        double octet = BenchCommand.median(octetMs);
        double fp32 = c.ortFp32 == null ? Double.NaN : BenchCommand.median(fp32Ms);
        double int8 = BenchCommand.median(int8Ms);
        if (b.json) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("model", b.model.getFileName().toString());
            f.put("int8", c.quantized.calibration() == null ? "given QDQ model" : c.quantized.calibration());
            f.put("threads", b.threads);
            f.put("backend", b.backend);
            f.put("runs", b.runs);
            f.put("warmup", warmupRuns);
            f.put("octet_ms", octet);
            f.put("ort_fp32_ms", nullIfNaN(fp32));
            f.put("ort_int8_ms", int8);
            f.put("ratio_vs_ort_fp32", nullIfNaN(fp32 / octet));
            f.put("ratio_vs_ort_int8", int8 / octet);
            f.put("ort_qlinearconv_nodes", qlinearConvs);
            f.put("int8_elements", agreement.exactness().elements());
            f.put("int8_off_by_one", agreement.exactness().offByOne());
            f.put("int8_off_by_more", agreement.exactness().offByMore());
            f.put("int8_max_units", agreement.exactness().maxUnits());
            f.put("int8_isolated_checks", agreement.isolatedChecks());
            f.put("int8_isolated_off_by_more", agreement.violations().size());
            f.put("max_rel_err_vs_ort_int8", agreement.maxRelVsOrtInt8());
            f.put("max_rel_err_vs_fp32", nullIfNaN(agreement.maxRelVsFp32()));
            f.put("cosine_vs_fp32", nullIfNaN(agreement.minCosineVsFp32()));
            f.put("compile_s", compileSeconds);
            out.println(RunCommand.toJson(f));
        } else {
            out.printf("model     %s, %d thread(s), %d timed runs after %d warm-up, %d input variants%n",
                    b.model.getFileName(), b.threads, b.runs, warmupRuns, variants.size());
            out.println(c.quantized.describe());
            out.printf("octet     int8 median %.2f ms  (min %.2f; compiled in %.2f s; %s)%n", octet,
                    Collections.min(octetMs), compileSeconds, timed.backendDescription());
            if (c.ortFp32 != null) {
                out.printf("ort fp32  median %.2f ms  (min %.2f)  ratio %.2f%n", fp32, Collections.min(fp32Ms),
                        fp32 / octet);
            }
            out.printf("ort int8  median %.2f ms  (min %.2f)  ratio %.2f  (%d QLinearConv nodes in ORT's "
                    + "optimized graph)%n", int8, Collections.min(int8Ms), int8 / octet, qlinearConvs);
            out.println("ratio     ORT median / Octet median; above 1: Octet is faster");
            out.println("per op    " + agreement.describeIsolated());
            out.println("last int8 " + agreement.exactness().describe() + " vs ORT int8 (same QDQ model)");
            out.printf("outputs   max_rel %.2g vs ORT int8%s%n", agreement.maxRelVsOrtInt8(),
                    agreement.hasFp32() ? String.format("; vs ORT fp32 max_rel %.2g, cosine %.6f",
                            agreement.maxRelVsFp32(), agreement.minCosineVsFp32()) : "");
        }
        out.flush();
        return 0;
    }

    private static Object nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
