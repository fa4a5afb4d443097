package dev.octet.oracle;

import dev.octet.ir.OctetException;
import java.nio.file.Path;

/**
 * Opens oracles. ONNX Runtime is an optional dependency: only this package refers to its classes, and only when an
 * oracle is asked for, so everything else in Octet runs without its jar.
 */
public final class Oracles {
    private Oracles() {
    }

    /** Whether ONNX Runtime's Java API is on the class path. */
    public static boolean onnxRuntimeAvailable() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, Oracles.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * ONNX Runtime (CPU, default graph optimisations) on a model file.
     *
     * @param threads intra-op threads (0: ONNX Runtime's default)
     * @throws OctetException where ONNX Runtime is not on the class path or rejects the model
     */
    public static Oracle onnxRuntime(Path model, int threads) {
        if (!onnxRuntimeAvailable()) {
            throw new OctetException("ONNX Runtime is not on the class path (Maven artifact "
                    + "com.microsoft.onnxruntime:onnxruntime); `compare --against ort` needs it");
        }
        return OrtOracle.open(model, threads);
    }
}
