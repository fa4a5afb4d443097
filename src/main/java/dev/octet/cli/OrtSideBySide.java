package dev.octet.cli;

import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.oracle.Oracle;
import dev.octet.oracle.Oracles;
import dev.octet.quant.TensorError;
import dev.octet.report.RivalTiming;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's side-by-side with ONNX Runtime, timed as {@code octet bench} times it: the same inputs and threads,
 * a warm-up run each, then alternating timed runs; medians. The outputs are compared (cosine, SQNR, max |error|),
 * never failed on: an int8 bundle against the fp32 model it came from is an approximation of it.
 */
final class OrtSideBySide {
    private static final int WARMUP = 2;

    private OrtSideBySide() {
    }

    /**
     * @param onnx the model ONNX Runtime runs (its inputs must have the compiled model's names)
     * @throws OctetException where the file is missing, ONNX Runtime is not on the class path or rejects it
     */
    static RivalTiming measure(CompiledModel octet, Path onnx, Map<String, Tensor> inputs, int runs, int threads) {
        if (!Files.isRegularFile(onnx)) {
            throw new OctetException("--vs-ort " + onnx + ": no such file");
        }
        try (Oracle ort = Oracles.onnxRuntime(onnx, threads)) {
            Map<String, Tensor> ours = octet.run(inputs);
            Map<String, Tensor> theirs = ort.run(inputs);
            String agreement = agreement(ours, theirs);
            for (int i = 0; i < WARMUP; i++) {
                octet.run(inputs);
                ort.run(inputs);
            }
            List<Double> octetMs = new ArrayList<>();
            List<Double> ortMs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                octetMs.add(BenchCommand.time(() -> octet.run(inputs)));
                ortMs.add(BenchCommand.time(() -> ort.run(inputs)));
            }
            return new RivalTiming(ort.name(), onnx.getFileName().toString(), threads, runs,
                    BenchCommand.median(octetMs), BenchCommand.median(ortMs), Collections.min(octetMs),
                    Collections.min(ortMs), agreement);
        }
    }

    /** Per float output both have: cosine, SQNR and max |error| of Octet's against ONNX Runtime's. */
    private static String agreement(Map<String, Tensor> ours, Map<String, Tensor> theirs) {
        List<String> parts = new ArrayList<>();
        theirs.forEach((name, t) -> {
            Tensor o = ours.get(name);
            if (o == null || o.dtype() != DataType.FLOAT || t.dtype() != DataType.FLOAT || o.size() != t.size()) {
                parts.add(name + ": not compared");
                return;
            }
            TensorError e = TensorError.of(name, t.floats(), o.floats());
            parts.add(String.format(Locale.ROOT, "%s: cosine %.6f, SQNR %.1f dB, max |error| %.3g", name,
                    e.cosine(), e.sqnrDb(), e.maxAbsError()));
        });
        return String.join("; ", parts);
    }
}
