package dev.octet.tune;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.OctetException;
import dev.octet.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures candidates in isolation: a batch is compiled in parallel, then each built candidate runs alone in a
 * fresh worker process (the harness) on inputs written to files; the worker times warm-up and repeated calls and
 * writes the outputs back, and this process judges them against the reference. A crash, a hang (killed after the
 * run timeout), a compile error or a wrong output becomes a measurement with its error code; the session goes on.
 */
public final class Measurer {
    /**
     * @param warmup untimed calls before timing
     * @param repeats timed calls (min and median reported)
     * @param buildTimeoutSeconds per candidate compile
     * @param runTimeoutSeconds per worker process
     * @param buildThreads candidates compiled at once
     * @param flushCaches evict the run's buffers from every cache level (clflush) before each warm-up and timed
     *     call, as AutoTVM's enable_cpu_cache_flush: in a whole model a layer's weights come from DRAM (ResNet-50's
     *     100 MB of weights do not stay cached), where a kernel called again and again on the same buffers finds
     *     them in L2/L3 and looks much faster than it runs in the model, the more so the more bytes it reads
     */
    public record Settings(int warmup, int repeats, long buildTimeoutSeconds, long runTimeoutSeconds,
            int buildThreads, boolean flushCaches) {
        /** With caches flushed between calls (the default). */
        public Settings(int warmup, int repeats, long buildTimeoutSeconds, long runTimeoutSeconds, int buildThreads) {
            this(warmup, repeats, buildTimeoutSeconds, runTimeoutSeconds, buildThreads, true);
        }

        public static Settings defaults() {
            return new Settings(2, 10, 120, 30, Runtime.getRuntime().availableProcessors());
        }

        public Settings withRunTimeout(long seconds) {
            return new Settings(warmup, repeats, buildTimeoutSeconds, seconds, buildThreads, flushCaches);
        }

        public Settings withBuildThreads(int n) {
            return new Settings(warmup, repeats, buildTimeoutSeconds, runTimeoutSeconds, n, flushCaches);
        }

        public Settings withCacheFlush(boolean flush) {
            return new Settings(warmup, repeats, buildTimeoutSeconds, runTimeoutSeconds, buildThreads, flush);
        }
    }

    private final Path dir;
    private final Settings settings;
    private final Path harness;
    private final CandidateBuilder builder;

    /** @param dir the tuning cache: the harness, candidate libraries, scratch files of running workers */
    public Measurer(CCompiler cc, Path dir, Settings settings) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OctetException("cannot create the tuning cache " + dir + ": " + e.getMessage());
        }
        this.dir = dir;
        this.settings = settings;
        this.harness = Harness.build(cc, dir);
        this.builder = new CandidateBuilder(cc, dir, settings.buildTimeoutSeconds(), settings.buildThreads());
    }

    /** {@code $OCTET_CACHE/tune}, else {@code ~/.cache/octet/tune}. */
    public static Path defaultDir() {
        String env = System.getenv("OCTET_CACHE");
        Path base = env != null && !env.isEmpty() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "octet");
        return base.resolve("tune");
    }

    /** How this measurer's times are taken (what its records say). */
    public Timing timing() {
        return Timing.of(settings.flushCaches());
    }

    /** Builds the batch (in parallel), then runs and verifies each candidate, one at a time, in candidate order. */
    public List<Measurement> measure(Problem problem, List<Candidate> candidates) {
        List<Measurement> out = new ArrayList<>();
        for (CandidateBuilder.Built b : builder.buildAll(candidates)) {
            if (b.error() != ErrorCode.NO_ERROR) {
                out.add(Measurement.failed(b.candidate(), b.error(), b.message(), b.seconds()));
                continue;
            }
            long t0 = System.nanoTime();
            Measurement m = run(problem, b);
            double all = b.seconds() + (System.nanoTime() - t0) / 1e9;
            out.add(new Measurement(m.config(), m.origin(), m.error(), m.minSeconds(), m.medianSeconds(), all,
                    m.message()));
        }
        return out;
    }

    private Measurement run(Problem problem, CandidateBuilder.Built b) {
        Candidate c = b.candidate();
        List<Problem.Run> runs;
        try {
            runs = problem.runs(c.config());
        } catch (RuntimeException e) {
            return Measurement.failed(c, ErrorCode.INSTANTIATION_ERROR, e.getMessage(), 0);
        }
        Path work = null;
        try {
            work = Files.createTempDirectory(dir, "run-");
            StringBuilder job = new StringBuilder("library " + b.library().toAbsolutePath() + "\nwarmup "
                    + settings.warmup() + "\nrepeats " + settings.repeats() + "\nflush " + (settings.flushCaches() ? 1 : 0)
                    + "\n");
            List<List<Path>> outputs = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                Problem.Run run = runs.get(r);
                if (run.args().size() != c.buffers() || run.scalars().length != c.scalars()) {
                    return Measurement.failed(c, ErrorCode.INSTANTIATION_ERROR, "the candidate takes " + c.buffers()
                            + " buffers and " + c.scalars() + " scalars; the task passes " + run.args().size()
                            + " and " + run.scalars().length, 0);
                }
                job.append("run ").append(run.range()).append(' ').append(run.scalars().length);
                for (long s : run.scalars()) {
                    job.append(' ').append(s);
                }
                job.append('\n').append(run.args().size()).append('\n');
                List<Path> outs = new ArrayList<>();
                for (int i = 0; i < run.args().size(); i++) {
                    Problem.Arg a = run.args().get(i);
                    Path f = work.resolve("r" + r + "b" + i + ".bin");
                    Files.write(f, a.bytes());
                    job.append(a.output() ? "out " : "in ").append(a.bytes().length).append(' ')
                            .append(f.toAbsolutePath()).append('\n');
                    if (a.output()) {
                        outs.add(f);
                    }
                }
                outputs.add(outs);
            }
            Path jobFile = work.resolve("job.txt");
            Files.writeString(jobFile, job);
            Path stdout = work.resolve("stdout.txt");
            Path stderr = work.resolve("stderr.txt");
            Process p = new ProcessBuilder(harness.toString(), jobFile.toString()).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).start();
            if (!p.waitFor(settings.runTimeoutSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return Measurement.failed(c, ErrorCode.RUN_TIMEOUT, "the worker did not finish in "
                        + settings.runTimeoutSeconds() + " s and was killed", 0);
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                String why = p.exitValue() > 128 ? "the worker died of signal " + (p.exitValue() - 128)
                        : "the worker exited with status " + p.exitValue();
                return Measurement.failed(c, ErrorCode.RUNTIME_ERROR, why + (err.isEmpty() ? "" : ": " + err), 0);
            }
            String[] ok = Files.readString(stdout, StandardCharsets.UTF_8).strip().split("\\s+");
            if (ok.length != 3 || !ok[0].equals("ok")) {
                return Measurement.failed(c, ErrorCode.RUNTIME_ERROR, "the worker reported no time: " + err, 0);
            }
            for (int r = 0; r < runs.size(); r++) {
                List<byte[]> bytes = new ArrayList<>();
                for (Path f : outputs.get(r)) {
                    bytes.add(Files.readAllBytes(f));
                }
                String wrong;
                try {
                    wrong = runs.get(r).judge().check(bytes);
                } catch (RuntimeException e) {
                    wrong = "its output could not be read back: " + e.getMessage();
                }
                if (wrong != null) {
                    return Measurement.failed(c, ErrorCode.WRONG_ANSWER, runs.get(r).family() + " inputs: " + wrong, 0);
                }
            }
            return new Measurement(c.config(), c.origin(), ErrorCode.NO_ERROR, Long.parseLong(ok[1]) / 1e9,
                    Long.parseLong(ok[2]) / 1e9, 0, null);
        } catch (IOException e) {
            throw new OctetException("cannot run a tuning worker in " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OctetException("interrupted while measuring " + c.config());
        } finally {
            deleteTree(work);
        }
    }

    static void deleteTree(Path p) {
        try {
            FileTrees.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
