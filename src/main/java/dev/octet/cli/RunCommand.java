package dev.octet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.bundle.Bundle;
import dev.octet.data.CtcDecoder;
import dev.octet.data.ModelFamily;
import dev.octet.data.TensorFiles;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `octet run [MODEL]`: compiles and runs a model (or runs it on the reference interpreter) and summarises its outputs. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Compiles a model for this machine (native kernels; the JVM backend where there is no C "
                + "compiler), runs it and prints each output's shape, range and "
                + "largest values (the top classes of a [batch, classes] output; the text read by a PP-OCR "
                + "recogniser).",
                "Without MODEL: the bundled demo, PP-OCRv4 text recognition on a rendered line of text, in fp32 and "
                        + "then in int8 (calibrated on other rendered lines), with both texts, times and agreement."})
final class RunCommand implements Callable<Integer> {
    static final String DEMO_MODEL = "ch_PP-OCRv4_rec_infer.onnx";
    static final String DEMO_TEXT = "Octet reads this line of text";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "An ONNX model file, or a bundle (model.octet from octet compile: loaded without a C "
                    + "compiler).")
    Path model;

    @Mixin
    InputOptions inputs;

    @Mixin
    TuningLogOption tuning;

    @Option(names = "--int8", description = "Quantizes the model to int8 first (calibrated on --calib DIR; a QDQ "
            + "model file is int8 already) and runs it on integer kernels.")
    boolean int8;

    @Mixin
    Int8Options int8Options;

    @Option(names = "--save-output", paramLabel = "FILE",
            description = "Writes the outputs as tensor files (.npy or .pb); with several outputs, FILE's name gets "
                    + "each output's name appended.")
    Path saveOutput;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K",
            description = "How many of the largest values (or classes) to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per output, one per line.")
    boolean json;

    @Option(names = "--backend", defaultValue = "auto", paramLabel = "auto|native|jvm|ref",
            description = "Which kernels run the model: native C (auto: where a C compiler is found, else the JVM's "
                    + "Vector API), or Octet's exact reference interpreter (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Worker threads of the compiled model (default: the machine's cores).")
    int threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BundledModels bundle = null;
        Path file = model;
        try {
            if (file == null) {
                bundle = BundledModels.open();
                file = bundle.model(DEMO_MODEL);
                if (inputs.inputs.isEmpty()) {
                    inputs.inputs.add("text:" + DEMO_TEXT);
                }
                if (!json) {
                    out.println("No model given: the bundled demo, PP-OCRv4 text recognition (" + BundledModels.ARTIFACT
                            + ") reading a line of rendered text, in fp32 and in int8.");
                }
            }
            Bundle compiledBundle = Bundle.looksLikeBundle(file) ? Bundle.open(file) : null;
            if (compiledBundle != null && (int8 || tuning.tuningLog != null)) {
                throw new OctetException("--int8 and --tuning-log apply to ONNX models; a bundle is compiled already");
            }
            Model m = compiledBundle != null ? compiledBundle.model() : OnnxImporter.load(file);
            ModelFamily family = ModelFamily.of(m);
            Int8Options.Quantized quantized = null;
            if (int8) {
                quantized = int8Options.quantize(m, threads > 0 ? CompileOptions.defaults().withThreads(threads)
                        : CompileOptions.defaults(), !json);
                m = quantized.model();
            }
            ModelInputs.Prepared prepared = ModelInputs.build(m, family, inputs);
            CompileOptions.Backend chosen = Backends.parse(backend);
            Map<String, Tensor> outputs;
            String how;
            long start = System.nanoTime();
            if (chosen == CompileOptions.Backend.REFERENCE) {
                outputs = new ReferenceInterpreter(m.graph()).run(prepared.tensors());
                how = String.format("ran     in %.2f s on Octet's reference interpreter", (System.nanoTime() - start) / 1e9);
            } else {
                CompileOptions options = tuning.apply(CompileOptions.defaults().withBackend(chosen),
                        spec.commandLine().getErr());
                options = threads > 0 ? options.withThreads(threads) : options;
                try (CompiledModel compiled = compiledBundle != null
                        ? compiledBundle.instantiate(options, spec.commandLine().getErr()::println)
                        : Octet.compile(m, options)) {
                    double compileSeconds = (System.nanoTime() - start) / 1e9;
                    compiled.run(prepared.tensors()); // first run: shape plan and warm-up
                    long runStart = System.nanoTime();
                    outputs = compiled.run(prepared.tensors());
                    how = String.format("ran     in %.1f ms (%s in %.2f s; %s)",
                            (System.nanoTime() - runStart) / 1e6, compiledBundle != null ? "loaded the bundle"
                                    : "compiled", compileSeconds, compiled.backendDescription());
                }
            }
            if (!json) {
                out.println("model   " + file.getFileName() + " (" + family.description() + ")");
                prepared.descriptions().forEach(d -> out.println("input   " + d));
                if (quantized != null) {
                    out.println(quantized.describe());
                }
                out.println(how);
                if (tuning.summary() != null) {
                    out.println(tuning.summary());
                }
            }
            for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
                report(out, m, family, e.getKey(), e.getValue());
            }
            if (bundle != null && !json && !int8 && chosen != CompileOptions.Backend.REFERENCE) {
                CompileOptions options = CompileOptions.defaults().withBackend(chosen);
                DemoInt8.report(out, m, prepared.tensors(), threads > 0 ? options.withThreads(threads) : options);
            }
            if (saveOutput != null) {
                save(out, outputs);
            }
            out.flush();
            return 0;
        } finally {
            if (bundle != null) {
                bundle.close();
            }
        }
    }

    private void report(PrintWriter out, Model m, ModelFamily family, String name, Tensor t) {
        OutputSummary summary = new OutputSummary(name, t, Math.max(0, top));
        List<CtcDecoder.Line> lines = family == ModelFamily.PPOCR_REC && t.rank() == 3
                && m.metadata().containsKey("character")
                ? CtcDecoder.fromLines(m.metadata().get("character")).decode(t) : List.of();
        if (json) {
            Map<String, Object> fields = summary.json();
            if (!lines.isEmpty()) {
                fields.put("text", lines.stream().map(CtcDecoder.Line::text).toList());
                fields.put("confidence", lines.stream().map(CtcDecoder.Line::confidence).toList());
            }
            out.println(toJson(fields));
            return;
        }
        summary.print(out, family == ModelFamily.PPOCR_CLS ? List.of("0°", "180°") : List.of());
        for (CtcDecoder.Line line : lines) {
            out.printf("text    \"%s\" (confidence %.3f)%n", line.text(), line.confidence());
        }
    }

    private void save(PrintWriter out, Map<String, Tensor> outputs) {
        String fileName = saveOutput.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            Path target = saveOutput;
            if (outputs.size() > 1) {
                String safe = e.getKey().replaceAll("[^A-Za-z0-9._-]", "_");
                String named = dot > 0 ? fileName.substring(0, dot) + "-" + safe + fileName.substring(dot)
                        : fileName + "-" + safe;
                target = saveOutput.resolveSibling(named);
            }
            TensorFiles.save(target, e.getKey(), e.getValue());
            if (!json) {
                out.println("saved   " + e.getKey() + " to " + target);
            }
        }
    }

    static String toJson(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
