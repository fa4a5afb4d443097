package dev.octet.frontend.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.ModelMutator.Mutation;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.UnsupportedModelException;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Fuzzes the importer, the IR checks, shape inference and (for the small models) the reference interpreter with
 * deterministic mutations of the real model files ({@link ModelMutator}). Every case must end in success or in an
 * {@link OctetException} with a non-empty one-line message, within a time limit; anything else (a
 * NullPointerException, an IndexOutOfBounds, an OutOfMemoryError, a StackOverflowError, a hang) fails the test and
 * is reported with what reproduces it, and the mutated file is kept under target/fuzz-failures/.
 *
 * <p>Properties: {@code octet.fuzz.cases} (total cases over all models, default 3000), {@code octet.fuzz.seed}
 * (default 1), {@code octet.fuzz.runs} (reference runs per small model, default 30), {@code octet.fuzz.model}
 * (only models whose name contains this) and {@code octet.fuzz.case} (only this case number: a reproduction).
 * An OctetException that wraps an unexpected exception from an operator ("inputs do not fit the operator (...
 * NegativeArraySizeException ...)") is a clear line for the user but a bug to fix; it is listed in
 * target/fuzz-report.txt, and fails the test with {@code -Doctet.fuzz.strict=true}.
 */
class ModelFuzzTest {
    private static final long SEED = Long.getLong("octet.fuzz.seed", 1);
    private static final int CASES = Integer.getInteger("octet.fuzz.cases", 3000);
    private static final int RUNS = Integer.getInteger("octet.fuzz.runs", 30);
    private static final long CASE_TIMEOUT_S = Long.getLong("octet.fuzz.timeout", 20);
    private static final boolean STRICT = Boolean.getBoolean("octet.fuzz.strict");
    private static final List<String> REPORT = new ArrayList<>();

    enum Outcome { IMPORTED, INFERRED, EXECUTED, REJECTED, UNSUPPORTED, WRAPPED_CRASH, FAILED }

    /** A model to fuzz: its share of the cases, and whether to run the reference interpreter on it. */
    record Target(String name, Supplier<Path> file, double share, boolean execute) {
    }

    static List<Target> targets() {
        return List.of(
                new Target("ppocr-cls", () -> TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx"), 0.35, true),
                new Target("blazeface-front", () -> TestData.blazeface("face_detection_front_128x128_barracuda.onnx"),
                        0.35, true),
                new Target("ppocr-det-v3", () -> TestData.ppocr("ch_PP-OCRv3_det_infer.onnx"), 0.10, false),
                new Target("mlsd-tiny-320", () -> TestData.mlsd("mlsd_320x320_tiny.onnx"), 0.10, false),
                new Target("blazeface-back", () -> TestData.blazeface("face_detection_back_256x256_barracuda.onnx"),
                        0.05, false),
                new Target("ppocr-rec-v4", () -> TestData.ppocr("ch_PP-OCRv4_rec_infer.onnx"), 0.05, false));
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
        byte[] original = Files.readAllBytes(target.file().get());
        ProtoTree tree = ProtoTree.parse(original, ModelProto.getDescriptor());
        assertThat(tree.write(Map.of())).as("the wire tree writes the file back unchanged").isEqualTo(original);
        ModelMutator mutator = new ModelMutator(tree);
        Path file = dir.resolve(target.name() + ".onnx");
        Fuzzer fuzzer = new Fuzzer(target, file);
        fuzzer.baseline(original);
        int n = Math.max(1, (int) Math.round(CASES * target.share()));
        Integer onlyCase = Integer.getInteger("octet.fuzz.case");
        long t0 = System.nanoTime();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        List<String> failures = new ArrayList<>();
        Map<String, String> wrapped = new TreeMap<>();
        ExecutorService pool = newPool();
        try {
            for (int c = 0; c < n; c++) {
                if (onlyCase != null && c != onlyCase) {
                    continue;
                }
                SplittableRandom rnd = new SplittableRandom(SEED * 0x9E3779B97F4A7C15L + target.name().hashCode()
                        + 31L * c);
                Mutation m = mutator.mutate(rnd);
                String id = target.name() + " seed " + SEED + " case " + c + " (" + m.description() + ")";
                long tc = System.nanoTime();
                Future<Outcome> f = pool.submit(() -> fuzzer.runCase(m.bytes()));
                Outcome o;
                try {
                    o = f.get(CASE_TIMEOUT_S, TimeUnit.SECONDS);
                    if (o == Outcome.WRAPPED_CRASH) {
                        wrapped.putIfAbsent(fuzzer.lastWrapped, id);
                    }
                } catch (TimeoutException e) {
                    f.cancel(true);
                    pool.shutdownNow();
                    pool = newPool();
                    o = Outcome.FAILED;
                    failures.add(id + ": no answer within " + CASE_TIMEOUT_S + " s (a hang)");
                    keep(target, c, m);
                } catch (ExecutionException e) {
                    o = Outcome.FAILED;
                    failures.add(id + ": " + describe(e.getCause()));
                    keep(target, c, m);
                }
                counts.merge(o, 1, Integer::sum);
                if (System.getProperty("octet.fuzz.debug") != null) {
                    System.out.printf("DEBUG %.1f ms %s -> %s %s%n", (System.nanoTime() - tc) / 1e6, id, o,
                            fuzzer.lastMessage);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String summary = String.format("%s: %d cases in %.1f s, %s; baseline: %s", target.name(), n, seconds,
                counts, fuzzer.baselineOutcome);
        System.out.println(summary);
        synchronized (REPORT) {
            REPORT.add(summary);
            wrapped.forEach((what, id) -> REPORT.add("  wrapped crash: " + what + "\n    first seen: " + id));
            failures.forEach(f -> REPORT.add("  FAILED: " + f));
        }
        assertThat(failures).as("cases that ended in something else than success or a one-line OctetException")
                .isEmpty();
        if (STRICT) {
            assertThat(wrapped).as("operator crashes wrapped in an OctetException").isEmpty();
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

    /** The checks of one model's cases. */
    static final class Fuzzer {
        private final Target target;
        private final Path file;
        private Map<String, Tensor> inputs;
        private long baselineElements = -1;
        private int runs;
        String baselineOutcome = "not run";
        String lastWrapped;
        String lastMessage;

        Fuzzer(Target target, Path file) {
            this.target = target;
            this.file = file;
        }

        /** The unmutated model: must import; inference and a run set the budget for mutated ones. */
        void baseline(byte[] original) {
            Graph g = OnnxImporter.load(original, file).graph();
            inputs = smallInputs(g);
            if (inputs == null) {
                baselineOutcome = "imported (inputs too large to run)";
                return;
            }
            try {
                ShapeInference.Result r = ShapeInference.infer(g, types(inputs));
                baselineElements = totalElements(r);
                baselineOutcome = "inferred";
                if (target.execute()) {
                    new ReferenceInterpreter(g).run(inputs);
                    baselineOutcome = "executed";
                }
            } catch (UnsupportedModelException e) {
                baselineElements = -1;
                baselineOutcome = "unsupported: " + e.getMessage();
            }
        }

        /** One case: import, infer, and maybe run; the outcome, or a throwable that is a failure. */
        Outcome runCase(byte[] bytes) {
            lastMessage = "";
            Outcome reached = Outcome.IMPORTED;
            try {
                Graph g = OnnxImporter.load(bytes, file).graph();
                Map<String, Tensor> in = smallInputs(g);
                ShapeInference.Result r = ShapeInference.infer(g, in == null ? Map.of() : types(in));
                reached = Outcome.INFERRED;
                if (target.execute() && in != null && runs < RUNS && baselineElements > 0
                        && totalElements(r) <= 4 * baselineElements) {
                    runs++;
                    new ReferenceInterpreter(g).run(in);
                    reached = Outcome.EXECUTED;
                }
                return reached;
            } catch (OctetException e) {
                String msg = e.getMessage();
                lastMessage = msg;
                if (msg == null || msg.isBlank() || msg.contains("\n") || msg.contains("\r")) {
                    throw new AssertionError("the error message is not one non-empty line: [" + msg + "]", e);
                }
                Throwable cause = unexpectedCause(e);
                if (cause != null) {
                    lastWrapped = cause.getClass().getSimpleName() + " " + where(cause) + " -> " + msg;
                    return Outcome.WRAPPED_CRASH;
                }
                return e instanceof UnsupportedModelException ? Outcome.UNSUPPORTED : Outcome.REJECTED;
            }
        }

        private static Throwable unexpectedCause(Throwable e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (!(c instanceof OctetException)) {
                    return c;
                }
            }
            return null;
        }

        private static String where(Throwable t) {
            for (StackTraceElement s : t.getStackTrace()) {
                if (s.getClassName().startsWith("dev.octet")) {
                    return "at " + s.getClassName().replace("dev.octet.", "") + "." + s.getMethodName() + ":"
                            + s.getLineNumber();
                }
            }
            return "";
        }
    }

    /** Inputs of the declared shapes (unknown sizes: batch 1, others 32), or null where they would be large. */
    static Map<String, Tensor> smallInputs(Graph g) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (Value v : g.inputs()) {
            TensorType t = v.type();
            int[] shape = new int[t.rank()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                Dim d = t.dims().get(i);
                long size = d.isKnown() ? d.value() : i == 0 ? 1 : 32;
                if (size > 4096) {
                    return null;
                }
                shape[i] = (int) size;
                count *= size;
            }
            if (count > 1 << 20 || t.rank() > 8) {
                return null;
            }
            int n = (int) count;
            Object data = switch (Tensor.storageClass(t.dtype()).getSimpleName()) {
                case "float[]" -> {
                    float[] f = new float[n];
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) rnd.nextDouble();
                    }
                    yield f;
                }
                case "double[]" -> new double[n];
                case "boolean[]" -> new boolean[n];
                case "String[]" -> {
                    String[] s = new String[n];
                    java.util.Arrays.fill(s, "");
                    yield s;
                }
                default -> new long[n];
            };
            in.put(v.name(), Tensor.of(t.dtype(), shape, data));
        }
        return in;
    }

    private static Map<String, TensorType> types(Map<String, Tensor> inputs) {
        Map<String, TensorType> m = new LinkedHashMap<>();
        inputs.forEach((k, v) -> m.put(k, v.type()));
        return m;
    }

    /** Elements of every value whose size inference knows: how much work a run would be. */
    private static long totalElements(ShapeInference.Result r) {
        long total = 0;
        for (TensorType t : r.types().values()) {
            long n = t == null ? -1 : t.elementCount();
            total = n > 0 ? Math.min(Long.MAX_VALUE / 8, total + n) : total;
        }
        return total;
    }

    @AfterAll
    static void report() throws IOException {
        if (REPORT.isEmpty()) {
            return;
        }
        Path out = Path.of("target", "fuzz-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join(System.lineSeparator(), REPORT) + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
