package dev.octet;

import dev.octet.build.ModelCompiler;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.quant.CalibrationImages;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.quant.QuantizedModel;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;

/**
 * Octet's entry point: load an ONNX model, compile it (fp32, or int8 after calibration), run it.
 *
 * <pre>{@code
 * try (CompiledModel m = Octet.compile(Octet.load(Path.of("model.onnx")), CompileOptions.defaults())) {
 *     Map<String, Tensor> out = m.run(Map.of("x", input));
 * }
 *
 * Model fp32 = Octet.load(Path.of("resnet50.onnx"));
 * CalibrationImages images = CalibrationImages.fromDirectory(Path.of("calib"),
 *         ModelFamily.of(fp32).preprocessing(fp32.graph().inputs().getFirst().type()));
 * QuantizedModel q = Octet.quantize(fp32, images, PostTrainingQuantizer.defaults());
 * OnnxWriter.write(q.qdq(), Path.of("resnet50-int8.onnx"));      // the QDQ file ONNX Runtime also runs
 * try (CompiledModel m = Octet.compile(Model.of(q.qdq()), CompileOptions.defaults())) { ... } // integer kernels
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

    /**
     * Quantizes an fp32 model to int8 after calibrating it on images: the QDQ graph (which {@link #compile}
     * compiles to integer kernels) and a summary of what was done to each layer.
     *
     * @throws dev.octet.ir.OctetException where calibration or quantization fails, naming the image, tensor or node
     */
    public static QuantizedModel quantize(Model model, CalibrationImages images, PostTrainingQuantizer quantizer) {
        return quantizer.quantize(model.graph(), images);
    }
}
