package dev.octet.frontend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.FuzzSubject.Outcome;
import dev.octet.frontend.onnx.ModelMutator.Mutation;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.OperatorSetIdProto;
import dev.octet.ir.OctetException;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the importer, the IR checks, shape inference and the reference interpreter with deterministic mutations
 * ({@link ModelMutator}) of the real models and of the ONNX node-test models of the operators Octet implements.
 * Every case must end in success or in an {@link OctetException} with a non-empty one-line message, within a time
 * limit; anything else (a NullPointerException, an IndexOutOfBounds, an OutOfMemoryError, a StackOverflowError, a
 * hang) fails the test and is reported with what reproduces it; the mutated file is kept in target/fuzz-failures/.
 *
 * <p>Import and inference run for every case; the reference interpreter runs for the small real models (PP-OCR
 * cls, BlazeFace front, up to {@code octet.fuzz.runs} cases each) and for every node-test case.
 *
 * <p>Properties: {@code octet.fuzz.cases} (total over all targets, default 3000), {@code octet.fuzz.seed}
 * (default 1), {@code octet.fuzz.runs} (default 30), {@code octet.fuzz.timeout} (seconds per case, default 20),
 * {@code octet.fuzz.model} (only targets whose name contains this), {@code octet.fuzz.case} (only this case
 * number: a reproduction), {@code octet.fuzz.debug} (print every case). An OctetException that wraps an
 * unexpected exception ("node 'x' (Op): inputs do not fit the operator (java.lang.NegativeArraySizeException)")
 * is one line for the user but a bug to fix: it is listed in target/fuzz-report.txt, and fails the test with
 * {@code -Doctet.fuzz.strict=true}.
 */
class ModelFuzzTest {
    private static final long SEED = Long.getLong("octet.fuzz.seed", 1);
    private static final int CASES = Integer.getInteger("octet.fuzz.cases", 3000);
    private static final int RUNS = Integer.getInteger("octet.fuzz.runs", 30);
    private static final long TIMEOUT_S = Long.getLong("octet.fuzz.timeout", 20);
    private static final boolean STRICT = Boolean.getBoolean("octet.fuzz.strict");
    private static final boolean DEBUG = System.getProperty("octet.fuzz.debug") != null;
    private static final List<String> REPORT = new ArrayList<>();

    /**
     * Models to fuzz, their share of the cases, and how many cases of theirs may run the interpreter. In a corpus
     * (the node tests) a model that fails unmutated is skipped; a real model must always import.
     */
    record Target(String name, Supplier<List<Path>> files, double share, boolean execute, int runs,
            boolean corpus, long... sizes) {
        static Target real(String name, Supplier<Path> file, double share, boolean execute, long... sizes) {
            return new Target(name, () -> List.of(file.get()), share, execute, RUNS, false, sizes);
        }
    }

    static List<Target> targets() {
        return List.of(
                Target.real("ppocr-cls", () -> TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx"), 0.25, true,
                        1, 3, 48, 96),
                Target.real("blazeface-front",
                        () -> TestData.blazeface("face_detection_front_128x128_barracuda.onnx"), 0.25, true),
                Target.real("ppocr-det-v3", () -> TestData.ppocr("ch_PP-OCRv3_det_infer.onnx"), 0.04, false,
                        1, 3, 64, 64),
                Target.real("mlsd-tiny-320", () -> TestData.mlsd("mlsd_320x320_tiny.onnx"), 0.03, false),
                Target.real("blazeface-back",
                        () -> TestData.blazeface("face_detection_back_256x256_barracuda.onnx"), 0.015, false),
                Target.real("ppocr-rec-v4", () -> TestData.ppocr("ch_PP-OCRv4_rec_infer.onnx"), 0.015, false,
                        1, 3, 48, 160),
                new Target("onnx-node-tests", ModelFuzzTest::claimedNodeTests, 0.4, true, Integer.MAX_VALUE,
                        true));
    }

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> fuzz() {
        String only = System.getProperty("octet.fuzz.model", "");
        return targets().stream().filter(t -> t.name().contains(only))
                .map(t -> DynamicTest.dynamicTest(t.name(), () -> fuzz(t)));
    }

    private static void fuzz(Target target) throws Exception {
        List<Path> files = target.files().get();
        Path fake = Files.createDirectories(dir.resolve(target.name())).resolve("model.onnx");
        Map<Path, FuzzSubject> subjects = new HashMap<>();
        List<String> brokenBaselines = new ArrayList<>();
        Set<Path> broken = new HashSet<>();
        int n = Math.max(1, (int) Math.round(CASES * target.share()));
        Integer onlyCase = Integer.getInteger("octet.fuzz.case");
        long t0 = System.nanoTime();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        List<String> failures = new ArrayList<>();
        Map<String, String> wrapped = new TreeMap<>();
        ExecutorService pool = newPool();
        try {
            for (int c = 0; c < n; c++) {
                SplittableRandom rnd = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + target.name().hashCode()
                        + 31L * c);
                Path source = files.get(rnd.nextInt(files.size()));
                if (onlyCase != null && c != onlyCase) {
                    continue;
                }
                FuzzSubject s = broken.contains(source) ? null
                        : subjects.computeIfAbsent(source, p -> subject(target, p, fake, brokenBaselines));
                if (s == null) {
                    broken.add(source);
                    counts.merge(Outcome.SKIPPED, 1, Integer::sum);
                    continue;
                }
                // In the node-test corpus, half the cases keep the model and change one of its test inputs.
                boolean inputsOnly = target.corpus() && rnd.nextBoolean();
                Mutation m = inputsOnly ? new Mutation("model unchanged", s.original) : s.mutator.mutate(rnd);
                SplittableRandom inputEdits = inputsOnly ? rnd.split() : null;
                long tc = System.nanoTime();
                Future<Outcome> f = pool.submit(() -> s.check(m.bytes(), inputEdits));
                String id = target.name() + " seed " + SEED + " case " + c + ": " + s.name + " ("
                        + m.description() + ")";
                Outcome o;
                try {
                    o = f.get(TIMEOUT_S, TimeUnit.SECONDS);
                    id += s.lastInputEdit.isEmpty() ? "" : " with " + s.lastInputEdit;
                    if (o == Outcome.WRAPPED_CRASH) {
                        wrapped.putIfAbsent(s.lastWrapped, id);
                    }
                } catch (TimeoutException e) {
                    f.cancel(true);
                    pool.shutdownNow();
                    pool = newPool();
                    o = Outcome.FAILED;
                    failures.add(id + ": no answer within " + TIMEOUT_S + " s (a hang)");
                    keep(target, c, m);
                } catch (ExecutionException e) {
                    id += s.lastInputEdit.isEmpty() ? "" : " with " + s.lastInputEdit;
                    o = Outcome.FAILED;
                    failures.add(id + ": " + describe(e.getCause()));
                    keep(target, c, m);
                }
                counts.merge(o, 1, Integer::sum);
                if (DEBUG) {
                    System.out.printf("DEBUG %.1f ms %s -> %s %s%n", (System.nanoTime() - tc) / 1e6, id, o,
                            s.lastMessage);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        String baseline = target.corpus() ? files.size() + " models, " + brokenBaselines.size() + " failing unmutated"
                : subjects.values().stream().map(x -> x.baseline).findFirst().orElse("none");
        String summary = String.format("%s: %d cases in %.1f s, %s; baseline: %s", target.name(), n,
                (System.nanoTime() - t0) / 1e9, counts, baseline);
        System.out.println(summary);
        synchronized (REPORT) {
            REPORT.add(summary);
            brokenBaselines.forEach(b -> REPORT.add("  unmutated model fails (skipped): " + b));
            wrapped.forEach((what, id) -> REPORT.add("  wrapped crash: " + what + "\n    first seen: " + id));
            failures.forEach(f -> REPORT.add("  FAILED: " + f));
        }
        assertThat(failures).as("cases that ended in something else than success or a one-line OctetException")
                .isEmpty();
        if (STRICT) {
            assertThat(wrapped).as("operator crashes wrapped in an OctetException").isEmpty();
        }
    }

    /**
     * The subject for a model, or null (recorded) where the unmutated model itself fails: that is a bug the node
     * tests report; a real model must always import.
     */
    private static FuzzSubject subject(Target target, Path source, Path fake, List<String> broken) {
        try {
            return new FuzzSubject(source, fake, target.execute(), target.runs(), target.sizes());
        } catch (RuntimeException | StackOverflowError e) {
            if (!target.corpus()) {
                throw e;
            }
            broken.add(source.getParent().getFileName() + ": " + e);
            return null;
        }
    }

    /** Node-test models whose every operator Octet implements, at an opset it reads. */
    static List<Path> claimedNodeTests() {
        try (Stream<Path> s = Files.list(TestData.onnxNodeTests())) {
            return s.map(d -> d.resolve("model.onnx")).filter(Files::isRegularFile).filter(ModelFuzzTest::claimed)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean claimed(Path model) {
        try (InputStream in = Files.newInputStream(model)) {
            ModelProto m = ModelProto.parseFrom(in);
            for (OperatorSetIdProto o : m.getOpsetImportList()) {
                if (o.getDomain().isEmpty() && (o.getVersion() < OperatorRegistry.MIN_OPSET
                        || o.getVersion() > OperatorRegistry.MAX_OPSET)) {
                    return false;
                }
            }
            return m.getGraph().getNodeCount() > 0 && m.getGraph().getNodeList().stream()
                    .allMatch(n -> OperatorRegistry.supports(n.getDomain(), n.getOpType()));
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs the cases one by one on a daemon thread that a hang cannot keep alive past the test run. */
    private static ExecutorService newPool() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    /** The failing input, kept for reproduction with {@code octet inspect} or a debugger. */
    private static void keep(Target target, int c, Mutation m) {
        try {
            Path out = Path.of("target", "fuzz-failures", target.name() + "-seed" + SEED + "-case" + c + ".onnx");
            Files.createDirectories(out.getParent());
            Files.write(out, m.bytes());
        } catch (IOException e) {
            System.err.println("cannot keep the failing case: " + e);
        }
    }

    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.toString());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            sb.append("\n      at ").append(st[i]);
        }
        return sb.toString();
    }

    @AfterAll
    static void report() throws IOException {
        if (REPORT.isEmpty()) {
            return;
        }
        Path out = Path.of("target", "fuzz-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join(System.lineSeparator(), REPORT) + System.lineSeparator());
    }
}
