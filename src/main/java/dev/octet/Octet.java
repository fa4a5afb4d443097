package dev.octet;

import dev.octet.build.ModelCompiler;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;

/**
 * Octet's entry point: load an ONNX model, compile it, run it.
 *
 * <pre>{@code
 * try (CompiledModel m = Octet.compile(Octet.load(Path.of("model.onnx")), CompileOptions.defaults())) {
 *     Map<String, Tensor> out = m.run(Map.of("x", input));
 * }
 * }</pre>
 */
public final class Octet {
    private Octet() {
    }

    /**
     * Reads an ONNX model file.
     *
     * @throws dev.octet.ir.OctetException naming the file and the problem where it cannot be read
     */
    public static Model load(Path onnxFile) {
        return OnnxImporter.load(onnxFile);
    }

    /**
     * Compiles a model for this machine.
     *
     * @throws dev.octet.ir.OctetException where the model cannot be compiled (unsupported operator, C compiler error)
     */
    public static CompiledModel compile(Model model, CompileOptions options) {
        return ModelCompiler.compile(model.graph(), options);
    }
}
