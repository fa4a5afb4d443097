package dev.octet.cli;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.tune.Confirmations;
import dev.octet.tune.ConfirmationRecord;
import dev.octet.tune.Measurer;
import dev.octet.tune.ModelTuning;
import dev.octet.tune.TuningLog;
import dev.octet.tune.TuningSession;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet tune MODEL --trials N --log FILE`: measures kernel configurations per workload, verified, into a log. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Tunes the kernels of a model for this machine: for each distinct workload, candidate "
                + "configurations are compiled, run in an isolated worker process, verified against the reference "
                + "(int8 bit-exact, fp32 within the accumulation bound) and timed. Every candidate is appended to "
                + "the log; a candidate that crashes, hangs or answers wrong is recorded with its error and never "
                + "used. Running again with the same log resumes without repeating a configuration.",
                "Use the log with `octet run/bench --tuning-log FILE`."})
final class TuneCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model file.")
    Path model;

    @Option(names = "--trials", defaultValue = "32", paramLabel = "N",
            description = "New candidates measured per task (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--total-trials", paramLabel = "N",
            description = "Instead of --trials per task: N candidates in all, each round of a batch going to the task "
                    + "where the model's total latency (best time x uses) is estimated to gain most (Ansor's task "
                    + "scheduler). Without it, tasks are tuned one after another.")
    Integer totalTrials;

    @Option(names = "--log", required = true, paramLabel = "FILE", description = "The tuning log (JSON lines), appended to.")
    Path log;

    @Option(names = "--tuner", defaultValue = KernelTuning.DEFAULT_TUNER, paramLabel = "grid|random|ga|xgb",
            description = "How candidates are proposed: grid (in order), random, ga (genetic: tournament, uniform "
                    + "crossover, mutation, elitism), xgb (a learned cost model: gradient-boosted trees in pure Java, "
                    + "not the XGBoost library, refit after each batch, pre-trained on the log's records of other "
                    + "workloads for this target, searched by simulated annealing). Default: ${DEFAULT-VALUE}.")
    String tuner;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Candidates compiled at once (default: the machine's cores). Measurements run one at a time.")
    int threads;

    @Option(names = "--timeout", defaultValue = KernelTuning.DEFAULT_TIMEOUT_SECONDS, paramLabel = "SECONDS",
            description = "Time limit of one candidate's worker process (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Option(names = "--repeats", defaultValue = KernelTuning.DEFAULT_REPEATS, paramLabel = "N",
            description = "Timed calls per candidate after 2 warm-up calls; min and median are logged (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--task", paramLabel = "TEXT",
            description = "Tunes only the tasks whose workload key contains TEXT (e.g. 'c128>128,g1,k3x3,s1x1').")
    String taskFilter;

    @Option(names = "--confirm", defaultValue = "" + Confirmations.DEFAULT_ROUNDS, paramLabel = "ROUNDS",
            description = "Re-measures default and best alternately, ROUNDS times each, for an honest speedup and the "
                    + "timing noise, and records the verdict in the log: a build applies a best only where its latest "
                    + "confirmation found a gain larger than 3x the noise (0: skip, bests are applied as measured; "
                    + "default: ${DEFAULT-VALUE}).")
    int confirm;

    @Option(names = "--confirm-in-model", defaultValue = "" + InModelConfirmation.DEFAULT_ROUNDS,
            paramLabel = "ROUNDS",
            description = "Then builds the model with the log's choices and with the defaults and runs both on one "
                    + "thread, ROUNDS rounds in ABBA order, timing each step: a tuned kernel stays applied only where "
                    + "its steps are faster in the model by more than 3x the paired noise (a kernel timed alone, "
                    + "caches flushed, can be faster there and slower in the model). 0: skip (default: "
                    + "${DEFAULT-VALUE}).")
    int confirmInModel;

    @Option(names = "--warm-caches",
            description = "Time each call right after the previous one on the same buffers, caches hot (the old way; "
                    + "it overrates kernels that read many bytes: ResNet-50's Winograd and fc). By default the "
                    + "harness evicts the buffers from all caches before each call, as AutoTVM's cache flush.")
    boolean warmCaches;

    @Option(names = "--seed", defaultValue = KernelTuning.DEFAULT_SEED, paramLabel = "N",
            description = "Seed of the random, ga and xgb tuners.")
    long seed;

    @Option(names = "--extra-candidates", paramLabel = "DIR",
            description = "A folder of external C kernels with a manifest.json naming the workload each claims; "
                    + "they are measured and verified like the templates' (see ExternalCandidates).")
    Path extraCandidates;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KernelTuning tuning = new KernelTuning(tuner, trials, totalTrials, seed, threads, timeout, repeats, taskFilter,
                extraCandidates, warmCaches);
        Model m = OnnxImporter.load(model);
        ModelTuning.Outcome outcome = tuning.run(m, model.getFileName().toString(), log, out, err);
        printSummary(out, outcome);
        if (confirm > 0) {
            try (TuningLog appender = TuningLog.append(log, w -> err.println("octet: warning: " + w))) {
                confirm(out, outcome.measurer(), outcome.results(), appender);
            }
        }
        if (confirmInModel > 0) {
            confirmInModel(out, err, m);
        }
        return 0;
    }

    /** Confirms the log's applied choices inside the whole model; each verdict is appended to the log. */
    private void confirmInModel(PrintWriter out, PrintWriter err, Model m) {
        List<ConfirmationRecord> records = InModelConfirmation.run(m, log, confirmInModel, err);
        out.println("confirm in the model: tuned and untuned builds, " + confirmInModel + " rounds each, steps timed "
                + "(recorded in " + log + ")");
        for (ConfirmationRecord r : records) {
            printVerdict(out, r.workload(), "tuned", r);
        }
        if (records.isEmpty()) {
            out.println("no kernel of the model uses a tuned configuration");
        }
    }

    /** Confirms each task's best against its default; each verdict is appended to the log. */
    private void confirm(PrintWriter out, Measurer measurer, List<TuningSession.Result> results, TuningLog appender) {
        out.println("confirm: default and best re-measured alternately, " + confirm + " rounds each (recorded in "
                + log + ")");
        for (Confirmations.Checked c : Confirmations.run(measurer, results, confirm, appender)) {
            ConfirmationRecord r = c.record();
            if (r == null) {
                out.printf("%-58s the default is the best%n", c.task().key());
            } else if (r.verdict() == ConfirmationRecord.Verdict.FAILED) {
                out.printf("%-58s failed on re-measurement%n", c.task().key());
            } else {
                printVerdict(out, c.task().key(), "best", r);
            }
        }
    }

    /** One confirmation's line: both times, the speedup, the noise and what a build does with it. */
    private static void printVerdict(PrintWriter out, String workload, String which, ConfirmationRecord r) {
        out.printf("%-58s default %.3f ms, %s %.3f ms: %.2fx, noise %.1f%% (%s)%n", workload,
                r.baselineSeconds() * 1e3, which, r.bestSeconds() * 1e3, r.speedup(), r.noise() * 100,
                r.verdict() == ConfirmationRecord.Verdict.SIGNIFICANT ? "significant: applied"
                        : "within 3x noise: builds keep the default");
    }

    private void printSummary(PrintWriter out, ModelTuning.Outcome outcome) {
        List<TuningSession.Result> results = outcome.results();
        out.println("times: minimum CPU time of one call on one thread, of " + repeats + " after warm-up, "
                + (warmCaches ? "caches warm" : "buffers flushed from the caches before each call"));
        out.printf("%-58s %10s %10s %8s %7s %6s%n", "workload (geometry)", "default ms", "best ms", "speedup",
                "trials", "failed");
        for (TuningSession.Result r : results) {
            double d = r.baseline() != null && r.baseline().usable() ? r.baseline().minSeconds() : Double.NaN;
            double b = r.best() != null ? r.best().minSeconds() : Double.NaN;
            out.printf("%-58s %10.3f %10.3f %7.2fx %7d %6d%n", r.task().key() + " (" + r.task().problem().geometry()
                    + ")", d * 1e3, b * 1e3, d / b, r.measured(), r.failed());
            if (r.best() != null) {
                out.println("        best " + r.best().config());
            }
        }
        double[] totals = outcome.weightedTotals();
        out.printf("total   %.3f ms -> %.3f ms over the tuned kernels (weighted by uses), %.2fx; tuned in %.0f s; "
                + "log %s%n", totals[0] * 1e3, totals[1] * 1e3, totals[0] / totals[1], outcome.seconds(), log);
    }
}
