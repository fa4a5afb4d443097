package dev.octet;

import dev.octet.build.ModelCompiler;
import dev.octet.bundle.Bundle;
import dev.octet.bundle.BundleWriter;
import dev.octet.data.ModelFamily;
import dev.octet.data.Preprocessing;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Value;
import dev.octet.quant.CalibrationImages;
import dev.octet.quant.PostTrainingQuantizer;
import dev.octet.quant.QuantizedModel;
import dev.octet.runtime.CompiledModel;
import java.nio.file.Path;

/**
 * Octet's entry point: load an ONNX model, compile it (fp32, or int8 after calibration; tuned where asked), run
 * it (on tensors by name, plain floats or images).
 *
 * <pre>{@code
 * try (CompiledModel m = Octet.compile(Octet.load(Path.of("model.onnx")), CompileOptions.defaults())) {
 *     Map<String, Tensor> out = m.run(Map.of("x", input));
 *     float[] first = m.run(pixels, 1, 3, 224, 224).firstEntry().getValue().floats();
 * }
 *
 * CompileOptions tuned = CompileOptions.defaults().withTuningLog(Path.of("model.tune.jsonl")).withTuningTrials(200);
 * try (CompiledModel m = Octet.compile(Octet.load(Path.of("ppocr_rec.onnx")), tuned)) { // PP-OCR's preprocessing
 *     Tensor logits = m.run(ImageIO.read(new File("line.png"))).firstEntry().getValue();
 * }
 *
 * Model fp32 = Octet.load(Path.of("resnet50.onnx"));
 * CalibrationImages images = CalibrationImages.fromDirectory(Path.of("calib"),
 *         ModelFamily.of(fp32).preprocessing(fp32.graph().inputs().getFirst().type()));
 * QuantizedModel q = Octet.quantize(fp32, images, PostTrainingQuantizer.defaults());
 * OnnxWriter.write(q.qdq(), Path.of("resnet50-int8.onnx"));      // the QDQ file ONNX Runtime also runs
 * try (CompiledModel m = Octet.compile(Model.of(q.qdq()), CompileOptions.defaults())) { ... } // integer kernels
 *
 * try (CompiledModel m = Octet.compile(Octet.load(Path.of("model.onnx")), CompileOptions.defaults())) {
 *     Octet.save(m, Path.of("model.octet"));                     // graph, native library, manifest with hashes
 * }
 * try (CompiledModel m = Octet.loadCompiled(Path.of("model.octet"))) { // no C compiler needed
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
     * Compiles a model for this machine. Where {@code options} give a trial budget ({@link
     * CompileOptions#withTuningTrials}), the model's kernels are tuned first, into the tuning log, each candidate
     * verified against the reference, and each best that differs from its template default is re-measured against
     * it (as {@code octet compile --tune}); the log's best records then choose the kernels' configurations, a best
     * only where that confirmation found a gain larger than the timing noise. The compiled
     * model's {@linkplain CompiledModel#preprocessing() preprocessing} is the declared one, else the convention of
     * the model's family where Octet knows it ({@link ModelFamily}: PP-OCR, BlazeFace, M-LSD).
     *
     * @param model a model from {@link #load}, or {@code Model.of(graph)} (which has no file name to tell its family)
     * @throws dev.octet.ir.OctetException where the model cannot be compiled (unsupported operator, C compiler error),
     *     where the declared preprocessing does not fit the model's input, or where tuning cannot run (no C compiler,
     *     no tuning log given)
     */
    public static CompiledModel compile(Model model, CompileOptions options) {
        CompileOptions resolved = CompileTuning.apply(model.graph(), withPreprocessing(model, options));
        return ModelCompiler.compile(model.graph(), resolved);
    }

    /**
     * {@code options} with the declared preprocessing checked against the model's input, or with the family's
     * where none is declared and the family is one whose convention Octet knows (a guess is no convention: an
     * unknown image model gets none, so that run(BufferedImage) asks for one rather than normalising wrongly).
     */
    private static CompileOptions withPreprocessing(Model model, CompileOptions options) {
        java.util.List<Value> inputs = model.graph().inputs();
        Preprocessing declared = options.preprocessing();
        if (declared != null) {
            if (inputs.size() != 1) {
                throw new OctetException(model.displayName() + ": a preprocessing is for a model with one image input; "
                        + "this one has " + inputs.size() + " (" + inputs.stream().map(Value::name).toList() + ")");
            }
            declared.checkFits(inputs.getFirst().name(), inputs.getFirst().type());
            return options;
        }
        ModelFamily family = ModelFamily.of(model);
        if (family == ModelFamily.IMAGE || family == ModelFamily.OTHER || inputs.size() != 1
                || ModelFamily.channelAxis(inputs.getFirst().type()) < 0) {
            return options;
        }
        Preprocessing derived;
        try {
            derived = family.preprocessing(inputs.getFirst().type());
            derived.checkFits(inputs.getFirst().name(), inputs.getFirst().type());
        } catch (OctetException | IllegalArgumentException e) {
            return options; // named like the family but shaped otherwise: no convention applies
        }
        return options.withPreprocessing(derived);
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

    /**
     * Saves a compiled model as a bundle (see {@link BundleWriter}): the graph, the native library built for its
     * ISA level, the configuration chosen per kernel and a manifest with this Octet's version and the SHA-256 of
     * every entry. Packed weights are re-packed from the graph's weights when the bundle is loaded. A declared
     * preprocessing is not stored: give it to {@link #loadCompiled(Path, CompileOptions)} again (a family's
     * convention is found again from the model's file name, which {@link #save(CompiledModel, Model, Path)} keeps).
     *
     * @param compiled a model compiled by {@link #compile} (or loaded by {@link #loadCompiled})
     * @param bundle the file to write (conventionally {@code model.octet}); it appears whole or not at all
     * @throws dev.octet.ir.OctetException where the file cannot be written
     */
    public static void save(CompiledModel compiled, Path bundle) {
        BundleWriter.write(compiled, null, null, bundle);
    }

    /**
     * {@link #save(CompiledModel, Path)}, keeping the source model's metadata (a recognizer's character list) and
     * file name (which tells its family: preprocessing, decoding) for {@code octet run model.octet}.
     *
     * @param source the model {@code compiled} was compiled from
     */
    public static void save(CompiledModel compiled, Model source, Path bundle) {
        BundleWriter.write(compiled, source, null, bundle);
    }

    /**
     * Loads a bundle written by {@link #save} (or {@code octet compile}) and rebuilds its compiled model without a
     * C compiler, with the machine's cores as threads. Where this CPU cannot run the bundle's ISA level, the model
     * runs on the JVM kernels, with a one-line notice on stderr.
     *
     * @throws dev.octet.ir.OctetException where the bundle is missing, truncated, tampered with or written by
     *     another Octet version (checked before its library is loaded)
     */
    public static CompiledModel loadCompiled(Path bundle) {
        return loadCompiled(bundle, CompileOptions.defaults());
    }

    /**
     * {@link #loadCompiled(Path)} with the threads, library cache folder and preprocessing of {@code options} (no
     * preprocessing: the family's, told by the file name of the model the bundle was compiled from); its backend
     * JVM runs the bundle on the JVM kernels (other backends, the ISA level and the kernel configurations come from
     * the bundle; tuning options do not apply).
     */
    public static CompiledModel loadCompiled(Path bundle, CompileOptions options) {
        Bundle b = Bundle.open(bundle);
        return b.instantiate(withPreprocessing(b.model(), options), System.err::println);
    }

    /** This Octet's version: the jar's Implementation-Version, or "dev" when run from classes. */
    public static String version() {
        String v = Octet.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
