package dev.octet.frontend.onnx;

import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.UnsupportedModelException;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.ReferenceInterpreter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One model under fuzzing: its mutator, and the checks of one mutated copy (import, shape inference and, within a
 * budget, a run of the reference interpreter on small inputs). The unmutated model sets the budget: a mutated one
 * is run only if inference says it is at most a few times as much work, so a mutated size cannot turn a case into
 * an hour of honest computing.
 */
final class FuzzSubject {
    enum Outcome { IMPORTED, INFERRED, EXECUTED, REJECTED, UNSUPPORTED, WRAPPED_CRASH, FAILED, SKIPPED }

    final String name;
    final ModelMutator mutator;
    private final Path file;
    private final boolean execute;
    private final int maxRuns;
    private final List<Tensor> testInputs;
    private final long[] sizes;
    private long baselineElements = -1;
    private int runs;
    String baseline = "not run";
    /** The wrapped crash of the last case (exception, where, message), or null. */
    String lastWrapped;
    String lastMessage;
    String lastInputEdit = "";
    final byte[] original;

    /**
     * @param source the model file
     * @param file where the mutated copies pretend to be (locates external data; names the file in messages)
     * @param sizes sizes for the unknown dimensions of an input of this rank (PP-OCR's height and width), or empty
     */
    FuzzSubject(Path source, Path file, boolean execute, int maxRuns, long[] sizes) {
        this.sizes = sizes;
        this.name = source.getParent().getFileName() + "/" + source.getFileName();
        this.file = file;
        this.execute = execute;
        this.maxRuns = maxRuns;
        try {
            original = Files.readAllBytes(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProtoTree tree = ProtoTree.parse(original, ModelProto.getDescriptor());
        if (!Arrays.equals(tree.write(Map.of()), original)) {
            throw new AssertionError(name + ": the wire tree does not write the file back unchanged");
        }
        this.mutator = new ModelMutator(tree);
        this.testInputs = readTestInputs(source);
        runBaseline(original);
    }

    /** The unmutated model must import; where it also infers and runs, mutated copies may run too. */
    private void runBaseline(byte[] original) {
        Graph g = OnnxImporter.load(original, file).graph();
        Map<String, Tensor> inputs = inputsFor(g);
        if (inputs == null) {
            baseline = "imported (inputs too large to run)";
            return;
        }
        try {
            ShapeInference.Result r = ShapeInference.infer(g, types(inputs));
            baseline = "inferred";
            if (execute) {
                new ReferenceInterpreter(g).run(inputs);
                baseline = "executed";
            }
            baselineElements = totalElements(r);
        } catch (UnsupportedModelException e) {
            baseline = "unsupported: " + e.getMessage();
        }
    }

    /**
     * One case: the outcome, or a throwable (a failure: an Octet bug).
     *
     * @param inputEdits where not null, one input value is changed to a hostile one (a huge or negative size in
     *     a shape-like input, NaN or infinity in a float one); {@link #lastInputEdit} says which
     */
    Outcome check(byte[] bytes, SplittableRandom inputEdits) {
        lastMessage = "";
        lastWrapped = null;
        lastInputEdit = "";
        Outcome reached = Outcome.IMPORTED;
        try {
            Graph g = OnnxImporter.load(bytes, file).graph();
            Map<String, Tensor> in = inputsFor(g);
            if (in != null && inputEdits != null) {
                in = editInput(in, inputEdits);
            }
            ShapeInference.Result r = ShapeInference.infer(g, in == null ? Map.of() : types(in));
            reached = Outcome.INFERRED;
            if (execute && in != null && runs < maxRuns && baselineElements >= 0
                    && totalElements(r) <= 4 * baselineElements + 4096) {
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

    /** The inputs with one value replaced by a hostile one of its type. */
    private Map<String, Tensor> editInput(Map<String, Tensor> inputs, SplittableRandom rnd) {
        List<String> names = new ArrayList<>(inputs.keySet());
        if (names.isEmpty()) {
            return inputs;
        }
        String name = names.get(rnd.nextInt(names.size()));
        Tensor t = inputs.get(name);
        if (t.size() == 0) {
            return inputs;
        }
        int j = rnd.nextInt(t.size());
        Object data;
        String value;
        switch (t.data()) {
            case long[] l -> {
                long[] c = l.clone();
                long v = rnd.nextBoolean() ? ModelMutator.INTERESTING[rnd.nextInt(ModelMutator.INTERESTING.length)]
                        : c[j] + rnd.nextInt(-3, 4);
                c[j] = Math.clamp(v, t.dtype().minValue(), t.dtype().maxValue());
                data = c;
                value = Long.toString(c[j]);
            }
            case float[] f -> {
                float[] c = f.clone();
                c[j] = HOSTILE_FLOATS[rnd.nextInt(HOSTILE_FLOATS.length)];
                data = c;
                value = Float.toString(c[j]);
            }
            case double[] d -> {
                double[] c = d.clone();
                c[j] = HOSTILE_FLOATS[rnd.nextInt(HOSTILE_FLOATS.length)];
                data = c;
                value = Double.toString(c[j]);
            }
            case boolean[] b -> {
                boolean[] c = b.clone();
                c[j] = !c[j];
                data = c;
                value = Boolean.toString(c[j]);
            }
            default -> {
                return inputs;
            }
        }
        lastInputEdit = "input '" + name + "'[" + j + "] = " + value;
        Map<String, Tensor> out = new LinkedHashMap<>(inputs);
        out.put(name, Tensor.of(t.dtype(), t.shape(), data));
        return out;
    }

    private static final float[] HOSTILE_FLOATS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        -0f, 0f, 1e30f, -1e30f, Float.MIN_VALUE, 65536f, -1f};

    /**
     * The model's own test inputs where it has them (a node test's test_data_set_0/input_K.pb, bound in order to
     * the graph's inputs), else small ones of the declared shapes.
     */
    private Map<String, Tensor> inputsFor(Graph g) {
        if (testInputs.isEmpty() || testInputs.size() != g.inputs().size()) {
            return smallInputs(g, sizes);
        }
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (int i = 0; i < testInputs.size(); i++) {
            Value v = g.inputs().get(i);
            if (!fits(testInputs.get(i), v.type())) {
                return smallInputs(g, sizes);
            }
            in.put(v.name(), testInputs.get(i));
        }
        return in;
    }

    private static boolean fits(Tensor t, TensorType type) {
        if (t.dtype() != type.dtype() || t.rank() != type.rank()) {
            return false;
        }
        for (int i = 0; i < t.rank(); i++) {
            if (type.dims().get(i).isKnown() && type.dims().get(i).value() != t.dim(i)) {
                return false;
            }
        }
        return true;
    }

    private static List<Tensor> readTestInputs(Path model) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            Path f = model.resolveSibling("test_data_set_0").resolve("input_" + i + ".pb");
            if (!Files.isRegularFile(f)) {
                return out;
            }
            try {
                out.add(TensorProtos.toTensor(TensorProto.parseFrom(Files.readAllBytes(f)), null));
            } catch (IOException | OctetException e) {
                return List.of();
            }
        }
    }

    /**
     * Inputs of the declared shapes (unknown sizes from {@code sizes} where the rank matches, else batch 1 and 32),
     * or null where they would be large.
     */
    static Map<String, Tensor> smallInputs(Graph g, long[] sizes) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (Value v : g.inputs()) {
            TensorType t = v.type();
            int[] shape = new int[t.rank()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                Dim d = t.dims().get(i);
                long size = d.isKnown() ? d.value() : sizes.length == shape.length ? sizes[i] : i == 0 ? 1 : 32;
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
                    Arrays.fill(s, "");
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
}
