package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.data.ModelFamily;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import dev.octet.tune.Confirmation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code octet bench MODEL --tuning-log LOG --vs untuned}: what a tuning log buys on this machine, as the tuner's
 * targets are stated (tuned against the untuned defaults, the gain against the timing noise). Both builds of the
 * model run in this one process, in ABBA order round by round (the untuned one first in even rounds), so that a
 * load lasting a round slows both and cancels in that round's ratio; the noise is the one confirmations use
 * ({@link Confirmation#pairedNoise}), and the gain counts where it exceeds three times that noise. An fp32 model
 * runs as fp32, a QDQ model as int8. Outputs of the two builds are compared first: tuned kernels are verified
 * kernel by kernel, and this checks the whole model end to end.
 */
final class TunedVsUntuned {
    private TunedVsUntuned() {
    }

    static int run(BenchCommand b) {
        if (b.tuning.tuningLog == null) {
            throw new OctetException("--vs untuned compares a tuned build with the defaults: give --tuning-log FILE");
        }
        if (b.int8Mode) {
            throw new OctetException("--vs untuned times the model as given: quantize it first (octet quantize) and "
                    + "bench the QDQ model, without --int8");
        }
        PrintWriter out = b.spec.commandLine().getOut();
        Model m = OnnxImporter.load(b.model);
        List<Map<String, Tensor>> variants = BenchCommand.variants(ModelInputs.build(m, ModelFamily.of(m), b.inputs)
                .tensors());
        CompileOptions plain = CompileOptions.defaults().withBackend(Backends.parse(b.backend)).withThreads(b.threads);
        try (CompiledModel untuned = Octet.compile(m, plain);
                CompiledModel tuned = Octet.compile(m, b.tuning.apply(plain, b.spec.commandLine().getErr()))) {
            double maxRel = 0;
            for (Map<String, Tensor> in : variants) {
                maxRel = Math.max(maxRel, BenchCommand.maxRelativeError(tuned.run(in), untuned.run(in)));
            }
            if (!(maxRel <= b.tolerance)) {
                out.printf("the tuned build disagrees with the untuned one: max_rel %.3g > tolerance %.3g; no time "
                        + "reported%n", maxRel, b.tolerance);
                out.flush();
                return 3;
            }
            List<Double> tunedMs = new ArrayList<>();
            List<Double> untunedMs = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            int warmupRuns = b.rounds((i, timed) -> {
                Map<String, Tensor> in = variants.get(i % variants.size());
                boolean untunedFirst = i % 2 == 0;
                double first = BenchCommand.time(() -> (untunedFirst ? untuned : tuned).run(in));
                double second = BenchCommand.time(() -> (untunedFirst ? tuned : untuned).run(in));
                if (timed) {
                    double u = untunedFirst ? first : second;
                    double t = untunedFirst ? second : first;
                    untunedMs.add(u);
                    tunedMs.add(t);
                    ratios.add(t / u);
                }
            });
            double tunedMedian = BenchCommand.median(tunedMs);
            double untunedMedian = BenchCommand.median(untunedMs);
            double speedup = untunedMedian / tunedMedian;
            double noise = Confirmation.pairedNoise(ratios.stream().mapToDouble(Double::doubleValue).toArray());
            boolean significant = speedup - 1 > 3 * noise;
            if (b.json) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("model", b.model.getFileName().toString());
                f.put("threads", b.threads);
                f.put("runs", b.runs);
                f.put("warmup_runs", warmupRuns);
                f.put("tuned_ms", tunedMedian);
                f.put("untuned_ms", untunedMedian);
                f.put("speedup", speedup);
                f.put("noise", noise);
                f.put("significant", significant);
                f.put("max_rel_err", maxRel);
                out.println(RunCommand.toJson(f));
            } else {
                out.printf("model     %s, %d thread(s), %d timed rounds after %d warm-up, %d input variants%n",
                        b.model.getFileName(), b.threads, b.runs, warmupRuns, variants.size());
                out.println(b.tuning.summary());
                out.printf("untuned   median %.2f ms%n", untunedMedian);
                out.printf("tuned     median %.2f ms%n", tunedMedian);
                out.printf("speedup   %.3f  (untuned median / tuned median), noise %.1f%%: %s%n", speedup,
                        100 * noise, significant ? "significant (more than 3x the noise)" : "within 3x the noise");
                out.printf("agreement max_rel %.2g between the builds (tolerance %.2g)%n", maxRel, b.tolerance);
            }
            out.flush();
            return 0;
        }
    }
}
