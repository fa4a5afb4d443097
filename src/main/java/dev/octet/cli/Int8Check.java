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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Octet int8 side by side with ONNX Runtime on the same QDQ model (Octet's own export, written to a temporary
 * file) and with ONNX Runtime fp32 on the original model: what {@code bench --int8} times and {@code compare --int8}
 * checks. Octet is compiled keeping the last int8 tensors (see {@link Int8Exactness}) so that its integers can be
 * compared with ORT's on the very model that is timed.
 */
final class Int8Check implements AutoCloseable {
    /** The agreement over a set of inputs. */
    record Result(Int8Exactness exactness, double maxRelVsOrtInt8, double maxRelVsFp32, double minCosineVsFp32) {
        boolean hasFp32() {
            return !Double.isNaN(maxRelVsFp32);
        }
    }

    final Int8Options.Quantized quantized;
    final Path qdqFile;
    final CompiledModel octet;
    final Oracle ortInt8;
    /** ONNX Runtime on the float model, or null where the model given was already quantized. */
    final Oracle ortFp32;
    final double compileSeconds;
    private final List<String> lastInt8;
    private final boolean ownsQdqFile;

    private Int8Check(Int8Options.Quantized quantized, Path qdqFile, boolean ownsQdqFile, CompiledModel octet,
            Oracle ortInt8, Oracle ortFp32, double compileSeconds, List<String> lastInt8) {
        this.quantized = quantized;
        this.qdqFile = qdqFile;
        this.ownsQdqFile = ownsQdqFile;
        this.octet = octet;
        this.ortInt8 = ortInt8;
        this.ortFp32 = ortFp32;
        this.compileSeconds = compileSeconds;
        this.lastInt8 = lastInt8;
    }

    /**
     * Quantizes the model by the options (or takes it as it is where it is QDQ already), writes the QDQ model to a
     * temporary file, compiles it and opens ONNX Runtime on it and on the float model.
     */
    static Int8Check open(Model model, Path modelFile, Int8Options int8, CompileOptions compile, int ortThreads) {
        Int8Options.Quantized q = int8.quantize(model, compile, false);
        boolean given = q.quantized() == null;
        Path file = modelFile;
        if (!given) {
            try {
                file = Files.createTempFile("octet-int8-", ".onnx");
            } catch (IOException e) {
                throw new OctetException("cannot create a temporary file for the QDQ model (" + e.getMessage() + ")");
            }
            OnnxWriter.write(q.model(), file);
        }
        List<String> last = Int8Exactness.lastInt8Tensors(q.model().graph());
        CompiledModel compiled = null;
        Oracle int8Ort = null;
        try {
            long t0 = System.nanoTime();
            compiled = Octet.compile(q.model(), compile.withKeptValues(new LinkedHashSet<>(last)));
            double seconds = (System.nanoTime() - t0) / 1e9;
            int8Ort = Oracles.onnxRuntime(file, ortThreads);
            Oracle fp32Ort = given ? null : Oracles.onnxRuntime(modelFile, ortThreads);
            return new Int8Check(q, file, !given, compiled, int8Ort, fp32Ort, seconds, last);
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
        Int8Exactness exact = Int8Exactness.empty(lastInt8);
        double relInt8 = 0;
        double relFp32 = ortFp32 == null ? Double.NaN : 0;
        double cosine = ortFp32 == null ? Double.NaN : 1;
        for (Map<String, Tensor> in : inputs) {
            Map<String, Tensor> mine = new HashMap<>();
            Map<String, Tensor> out = octet.runTapped(in, new LinkedHashSet<>(lastInt8),
                    (name, t) -> mine.put(name, Tensor.ofLongs(t.dtype(), t.shape(), t.toLongs())));
            Map<String, Tensor> theirs = ortInt8.run(in, new LinkedHashSet<>(lastInt8));
            exact = exact.plus(mine, theirs);
            Map<String, Tensor> fp32 = ortFp32 == null ? null : ortFp32.run(in);
            for (Value v : octet.graph().outputs()) {
                Tensor a = out.get(v.name());
                relInt8 = Math.max(relInt8, maxRel(a, theirs.get(v.name())));
                if (fp32 != null) {
                    relFp32 = Math.max(relFp32, maxRel(a, fp32.get(v.name())));
                    cosine = Math.min(cosine, cosine(a, fp32.get(v.name())));
                }
            }
        }
        return new Result(exact, relInt8, relFp32, cosine);
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
        octet.close();
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
