package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.DataType;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.oracle.Oracle;
import dev.octet.oracle.Oracles;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `octet bench MODEL --vs ort`: Octet and ONNX Runtime side by side in one process, as BENCHMARKS.md asks: same
 * model file, same inputs (a few variants), same thread count, runs alternating after a warm-up; outputs are
 * checked against ONNX Runtime before any time is reported; the figure that counts is the ratio of medians.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times a compiled model against ONNX Runtime on the same inputs and threads: warm-up, then "
                + "alternating timed runs; reports the medians and the ratio ORT/Octet (above 1: Octet is faster).",
                "Outputs are compared with ONNX Runtime's first; if they disagree no time is reported (exit 3).",
                "With --int8: Octet int8, ORT fp32 on MODEL and ORT int8 on Octet's QDQ export in turn; the int8 "
                        + "results are checked against ORT int8 first, as `compare --int8` does."})
final class BenchCommand implements Callable<Integer> {
    private static final int VARIANTS = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model file.")
    Path model;

    @Mixin
    InputOptions inputs;

    @Mixin
    TuningLogOption tuning;

    @Option(names = "--vs", defaultValue = "ort", paramLabel = "ort|untuned",
            description = "The rival: ONNX Runtime (ort, the default), or, with --tuning-log, the same model built "
                    + "with the default kernels (untuned): both builds alternate in ABBA order, and the speedup is "
                    + "reported with its paired timing noise (significant: more than 3x the noise).")
    String vs;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Threads for both Octet and ONNX Runtime (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|native|jvm|ref",
            description = "Octet's kernels (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--runs", defaultValue = "10", paramLabel = "N", description = "Timed runs of each (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "N", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "30", paramLabel = "S",
            description = "After the --warmup runs, keep warming up until the JVM's JIT has compiled nothing for "
                    + WarmUp.QUIET_ROUNDS + " rounds, for at most S seconds (default: ${DEFAULT-VALUE}; 0: the runs "
                    + "only). The JIT compiles Octet's per-run Java during the first ~100 runs, and at 2 threads on "
                    + "2 cores its compiler threads slow those runs down.")
    double warmupSeconds;

    @Option(names = "--tolerance", defaultValue = "1e-4", paramLabel = "REL",
            description = "Largest accepted max |octet − ort| / max |ort| per output (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--json", description = "One JSON object: octet_ms, ort_ms, ratio, max_rel_err and the settings "
            + "(with --int8: octet_ms, ort_fp32_ms, ort_int8_ms, ratio_vs_ort_fp32, ratio_vs_ort_int8, "
            + "ort_qlinearconv_nodes and the agreement).")
    boolean json;

    @Option(names = "--int8", description = "Octet int8 (the model quantized by --calib, or a QDQ model as it is) "
            + "against ONNX Runtime fp32 and ONNX Runtime int8 on the same QDQ model.")
    boolean int8Mode;

    @Mixin
    Int8Options int8;

    @Override
    public Integer call() {
        if (!vs.equalsIgnoreCase("ort") && !vs.equalsIgnoreCase("untuned")) {
            throw new OctetException("--vs " + vs + ": the rivals are 'ort' (ONNX Runtime) and 'untuned' (the default "
                    + "kernels, against --tuning-log's)");
        }
        if (threads < 1 || runs < 1 || warmup < 0 || !(warmupSeconds >= 0)) {
            throw new OctetException(
                    "--threads and --runs must be at least 1, --warmup and --warmup-seconds at least 0");
        }
        if (vs.equalsIgnoreCase("untuned")) {
            return TunedVsUntuned.run(this);
        }
        if (int8Mode) {
            return Int8Bench.run(this);
        }
        PrintWriter out = spec.commandLine().getOut();
        Model m = OnnxImporter.load(model);
        if (PostTrainingQuantizer.isQuantized(m.graph())) {
            // An int8 model's outputs differ from ONNX Runtime's by a unit here and there (its own rounding), so
            // the fp32 tolerance would refuse it: the int8 comparison is the one that applies.
            spec.commandLine().getErr().println("octet: " + model.getFileName() + " is quantized: benchmarking it as "
                    + "int8 (as with --int8)");
            int8Mode = true;
            return Int8Bench.run(this);
        }
        Map<String, Tensor> base = ModelInputs.build(m, ModelFamily.of(m), inputs).tensors();
        List<Map<String, Tensor>> variants = variants(base);
        CompileOptions.Backend chosen = Backends.parse(backend);
        long t0 = System.nanoTime();
        CompiledModel compiled = chosen == CompileOptions.Backend.REFERENCE ? null
                : Octet.compile(m, tuning.apply(CompileOptions.defaults().withBackend(chosen).withThreads(threads),
                        spec.commandLine().getErr()));
        double compileSeconds = (System.nanoTime() - t0) / 1e9;
        ReferenceInterpreter reference = compiled == null ? new ReferenceInterpreter(m.graph()) : null;
        Function<Map<String, Tensor>, Map<String, Tensor>> octet = compiled != null ? compiled::run : reference::run;
        try (Oracle ort = Oracles.onnxRuntime(model, threads)) {
            double maxRel = 0;
            for (Map<String, Tensor> in : variants) {
                maxRel = Math.max(maxRel, maxRelativeError(octet.apply(in), ort.run(in)));
            }
            if (!(maxRel <= tolerance)) {
                out.printf("outputs disagree with %s: max_rel %.3g > tolerance %.3g; no time reported%n", ort.name(),
                        maxRel, tolerance);
                out.flush();
                return 3;
            }
            List<Double> octetMs = new ArrayList<>();
            List<Double> ortMs = new ArrayList<>();
            int warmupRuns = rounds((i, timed) -> {
                Map<String, Tensor> in = variants.get(i % variants.size());
                double a = time(() -> octet.apply(in));
                double b = time(() -> ort.run(in));
                if (timed) {
                    octetMs.add(a);
                    ortMs.add(b);
                }
            });
            double octetMedian = median(octetMs);
            double ortMedian = median(ortMs);
            if (json) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("model", model.getFileName().toString());
                f.put("threads", threads);
                f.put("backend", backend);
                f.put("runs", runs);
                f.put("warmup_runs", warmupRuns);
                f.put("octet_ms", octetMedian);
                f.put("ort_ms", ortMedian);
                f.put("ratio", ortMedian / octetMedian);
                f.put("max_rel_err", maxRel);
                f.put("compile_s", compileSeconds);
                out.println(RunCommand.toJson(f));
            } else {
                out.printf("model     %s, %d thread(s), %d timed runs after %d warm-up, %d input variants%n",
                        model.getFileName(), threads, runs, warmupRuns, variants.size());
                out.printf("octet     median %.2f ms  (min %.2f; compiled in %.2f s; %s)%n", octetMedian,
                        Collections.min(octetMs), compileSeconds,
                        compiled == null ? "reference interpreter" : compiled.backendDescription());
                out.printf("%-9s median %.2f ms  (min %.2f)%n", "ort", ortMedian, Collections.min(ortMs));
                out.printf("ratio     %.2f  (ORT median / Octet median; above 1: Octet is faster)%n",
                        ortMedian / octetMedian);
                out.printf("agreement max_rel %.2g over all outputs and variants (tolerance %.2g) vs %s%n", maxRel,
                        tolerance, ort.name());
            }
            out.flush();
            return 0;
        } finally {
            if (compiled != null) {
                compiled.close();
            }
        }
    }

    /** One round of a bench: round {@code i} of its engines, its times recorded where {@code timed}. */
    @FunctionalInterface
    interface Round {
        void run(int i, boolean timed);
    }

    /**
     * Runs the warm-up rounds (--warmup, then until the JIT settles, within --warmup-seconds) and then --runs timed
     * ones, with a progress bar on the error stream; returns how many warm-up rounds ran.
     */
    int rounds(Round round) {
        WarmUp warm = new WarmUp(warmup, warmupSeconds);
        try (RoundsProgress progress = new RoundsProgress(spec.commandLine().getErr(), runs)) {
            for (int i = 0, timed = 0; timed < runs; i++) {
                boolean warming = warm.warming();
                round.run(i, !warming);
                if (!warming) {
                    timed++;
                }
                progress.round(warming);
            }
        }
        return warm.rounds();
    }

    /** The given inputs and a few variants with small seeded noise on float inputs (no run sees a cached answer). */
    static List<Map<String, Tensor>> variants(Map<String, Tensor> base) {
        List<Map<String, Tensor>> out = new ArrayList<>(List.of(base));
        for (int v = 1; v < VARIANTS; v++) {
            Random r = new Random(v);
            Map<String, Tensor> m = new LinkedHashMap<>();
            base.forEach((name, t) -> {
                if (t.dtype() != DataType.FLOAT) {
                    m.put(name, t);
                    return;
                }
                float[] x = t.floats().clone();
                for (int i = 0; i < x.length; i++) {
                    x[i] += (float) (r.nextGaussian() * 0.01);
                }
                m.put(name, Tensor.ofFloats(t.shape(), x));
            });
            out.add(m);
        }
        return out;
    }

    /** The largest max |a − b| / max |b| over the outputs. */
    static double maxRelativeError(Map<String, Tensor> octet, Map<String, Tensor> ort) {
        double worst = 0;
        for (var e : ort.entrySet()) {
            Tensor a = octet.get(e.getKey());
            Tensor b = e.getValue();
            double maxAbs = 0;
            double mag = Double.MIN_NORMAL;
            for (int i = 0; i < b.size(); i++) {
                maxAbs = Math.max(maxAbs, Math.abs(a.getDouble(i) - b.getDouble(i)));
                mag = Math.max(mag, Math.abs(b.getDouble(i)));
            }
            worst = Math.max(worst, maxAbs / mag);
        }
        return worst;
    }

    static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
