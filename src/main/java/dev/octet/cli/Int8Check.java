package dev.octet.cli;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.oracle.Int8Exactness;
import dev.octet.oracle.Oracle;
import dev.octet.oracle.Oracles;
import dev.octet.runtime.CompiledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Octet int8 side by side with ONNX Runtime on the same QDQ model (Octet's own export, written to a temporary
 * file) and with ONNX Runtime fp32 on the original model: what {@code bench --int8} times and {@code compare --int8}
 * checks.
 *
 * <p>What "agree" means. Octet's requantize (DESIGN.md's formula) and ORT's (fp32 multiply, its own rounding of
 * halves; QLinearAdd in float) may round one element one unit apart; from then on the two runs feed different
 * integers to the next layer, and the gap grows with depth (measured on ResNet-50: every conv of layer1.0 equal,
 * the first residual Add 8 elements one unit off, the last tensor up to 7 units off). So the one-unit promise is
 * checked where it is defined, per operator: every int8 activation computed from int8 inputs that are identical in
 * both runs must be within one unit (see {@link Int8Exactness#int8Inputs}). End to end, the drift must stay below
 * the quantization error itself: max_rel(Octet int8, ORT int8) ≤ max_rel(Octet int8, ORT fp32) on the outputs
 * (a wrong kernel is far off both). The counts at the last int8 tensors are reported as they are.
 */
final class Int8Check implements AutoCloseable {
    /**
     * The agreement over a set of inputs.
     *
     * @param exactness the last int8 tensors, in units
     * @param perTensor every int8 activation, in graph order
     * @param isolatedChecks (tensor, input) pairs whose int8 inputs were identical in both runs
     * @param violations tensors more than one unit off although their int8 inputs were identical
     */
    record Result(Int8Exactness exactness, List<Int8Exactness> perTensor, int isolatedChecks,
            List<String> violations, double maxRelVsOrtInt8, double maxRelVsFp32, double minCosineVsFp32) {
        boolean hasFp32() {
            return !Double.isNaN(maxRelVsFp32);
        }

        /** Whether drift below the quantization error explains the end-to-end difference (true without fp32). */
        boolean driftBelowQuantizationError() {
            return !hasFp32() || maxRelVsOrtInt8 <= maxRelVsFp32;
        }

        boolean agrees() {
            return violations.isEmpty() && driftBelowQuantizationError();
        }

        /** Why they do not agree, or "". */
        String problem() {
            if (!violations.isEmpty()) {
                return "int8 tensor(s) " + violations + " differ by more than one unit from identical int8 inputs";
            }
            return driftBelowQuantizationError() ? "" : String.format("the outputs differ from ORT int8 by "
                    + "max_rel %.3g, more than int8 differs from fp32 (%.3g)", maxRelVsOrtInt8, maxRelVsFp32);
        }

        /** One line on the per-operator check. */
        String describeIsolated() {
            return isolatedChecks + " int8 tensor result(s) computed from identical int8 inputs: "
                    + (violations.isEmpty() ? "all within one unit" : violations.size() + " more than one unit off");
        }
    }

    final Int8Options.Quantized quantized;
    final Path qdqFile;
    /** Octet compiled keeping every int8 activation: for the checks, not for timing. */
    final CompiledModel checked;
    final Oracle ortInt8;
    /** ONNX Runtime on the float model, or null where the model given was already quantized. */
    final Oracle ortFp32;
    private final List<String> lastInt8;
    private final List<String> allInt8;
    private final Map<String, Set<String>> int8Inputs;
    private final boolean ownsQdqFile;

    private Int8Check(Int8Options.Quantized quantized, Path qdqFile, boolean ownsQdqFile, CompiledModel checked,
            Oracle ortInt8, Oracle ortFp32) {
        this.quantized = quantized;
        this.qdqFile = qdqFile;
        this.ownsQdqFile = ownsQdqFile;
        this.checked = checked;
        this.ortInt8 = ortInt8;
        this.ortFp32 = ortFp32;
        this.lastInt8 = Int8Exactness.lastInt8Tensors(quantized.model().graph());
        this.allInt8 = Int8Exactness.allInt8Tensors(quantized.model().graph());
        this.int8Inputs = Int8Exactness.int8Inputs(quantized.model().graph());
    }

    /**
     * Quantizes the model by the options (or takes it as it is where it is QDQ already), writes the QDQ model to a
     * temporary file, compiles it keeping every int8 activation and opens ONNX Runtime on it and on the float model.
     */
    static Int8Check open(Model model, Path modelFile, Int8Options int8, CompileOptions compile, int ortThreads) {
        Int8Options.Quantized q = int8.quantize(model, compile, false);
        boolean given = q.quantized() == null;
        Int8Exactness.lastInt8Tensors(q.model().graph()); // fails early, before a file is written, if not QDQ
        Path file = modelFile;
        if (!given) {
            try {
                file = Files.createTempFile("octet-int8-", ".onnx");
            } catch (IOException e) {
                throw new OctetException("cannot create a temporary file for the QDQ model (" + e.getMessage() + ")");
            }
            OnnxWriter.write(q.model(), file);
        }
        CompiledModel compiled = null;
        Oracle int8Ort = null;
        try {
            Set<String> kept = new LinkedHashSet<>(Int8Exactness.allInt8Tensors(q.model().graph()));
            compiled = Octet.compile(q.model(), compile.withKeptValues(kept));
            int8Ort = Oracles.onnxRuntime(file, ortThreads);
            Oracle fp32Ort = given ? null : Oracles.onnxRuntime(modelFile, ortThreads);
            return new Int8Check(q, file, !given, compiled, int8Ort, fp32Ort);
        } catch (RuntimeException e) {
            if (compiled != null) {
                compiled.close();
            }
            if (int8Ort != null) {
                int8Ort.close();
            }
            deleteQuietly(given ? null : file);
            throw e;
        }
    }

    /** Runs Octet and both ORT sessions on every input and compares their results. */
    Result check(List<Map<String, Tensor>> inputs) {
        Int8Exactness last = Int8Exactness.empty(lastInt8);
        List<Int8Exactness> each = new ArrayList<>(allInt8.stream().map(t -> Int8Exactness.empty(List.of(t)))
                .toList());
        Set<String> tapped = new LinkedHashSet<>(allInt8);
        int isolated = 0;
        Set<String> violations = new LinkedHashSet<>();
        double relInt8 = 0;
        double relFp32 = ortFp32 == null ? Double.NaN : 0;
        double cosine = ortFp32 == null ? Double.NaN : 1;
        for (Map<String, Tensor> in : inputs) {
            Map<String, Tensor> mine = new HashMap<>();
            Map<String, Tensor> out = checked.runTapped(in, tapped,
                    (name, t) -> mine.put(name, Tensor.ofLongs(t.dtype(), t.shape(), t.toLongs())));
            Map<String, Tensor> theirs = ortInt8.run(in, tapped);
            last = last.plus(mine, theirs);
            Map<String, Int8Exactness> thisRun = new HashMap<>();
            for (int i = 0; i < each.size(); i++) {
                String name = allInt8.get(i);
                Int8Exactness one = Int8Exactness.empty(List.of(name)).plus(mine, theirs);
                thisRun.put(name, one);
                each.set(i, each.get(i).plus(mine, theirs));
            }
            for (String name : allInt8) {
                boolean sameInputs = int8Inputs.getOrDefault(name, Set.of()).stream()
                        .allMatch(p -> thisRun.get(p).offByOne() == 0 && thisRun.get(p).offByMore() == 0);
                if (sameInputs) {
                    isolated++;
                    if (!thisRun.get(name).withinOneUnit()) {
                        violations.add(name);
                    }
                }
            }
            Map<String, Tensor> fp32 = ortFp32 == null ? null : ortFp32.run(in);
            for (Value v : checked.graph().outputs()) {
                Tensor a = out.get(v.name());
                relInt8 = Math.max(relInt8, maxRel(a, theirs.get(v.name())));
                if (fp32 != null) {
                    relFp32 = Math.max(relFp32, maxRel(a, fp32.get(v.name())));
                    cosine = Math.min(cosine, cosine(a, fp32.get(v.name())));
                }
            }
        }
        return new Result(last, each, isolated, List.copyOf(violations), relInt8, relFp32, cosine);
    }

    /** max |a − b| / max |b| (the measure {@link dev.octet.oracle.Agreement} uses). */
    static double maxRel(Tensor a, Tensor b) {
        requireSameSize(a, b);
        double maxAbs = 0;
        double magnitude = Double.MIN_NORMAL;
        for (int i = 0; i < b.size(); i++) {
            maxAbs = Math.max(maxAbs, Math.abs(a.getDouble(i) - b.getDouble(i)));
            magnitude = Math.max(magnitude, Math.abs(b.getDouble(i)));
        }
        return maxAbs / magnitude;
    }

    /** The cosine similarity of two outputs as vectors (1 where both are all zero). */
    static double cosine(Tensor a, Tensor b) {
        requireSameSize(a, b);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.getDouble(i);
            double y = b.getDouble(i);
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return aa == 0 && bb == 0 ? 1 : ab / Math.sqrt(aa * bb);
    }

    private static void requireSameSize(Tensor a, Tensor b) {
        if (a == null || b == null || a.size() != b.size()) {
            throw new OctetException("an output of the int8 model is missing or has another size in one result");
        }
    }

    @Override
    public void close() {
        checked.close();
        ortInt8.close();
        if (ortFp32 != null) {
            ortFp32.close();
        }
        deleteQuietly(ownsQdqFile ? qdqFile : null);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file left behind is not worth failing the command.
        }
    }
}
