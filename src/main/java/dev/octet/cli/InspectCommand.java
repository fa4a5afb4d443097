package dev.octet.cli;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.Names;
import dev.octet.ir.Node;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.ir.op.ShapeInference;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `octet inspect MODEL`: inputs, outputs, operator counts and parameter count. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Shows a model's inputs, outputs, operator counts and parameter count.")
final class InspectCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "MODEL", description = "An ONNX model file.")
    Path model;

    @Override
    public void run() {
        Model m = OnnxImporter.load(model);
        Graph g = m.graph();
        ShapeInference.Result types = ShapeInference.infer(g, Map.of());
        // Names come from the file: printed escaped, so that none can forge lines or drive the terminal.
        System.out.println("model     " + Names.escape(m.displayName())
                + (m.producer().isEmpty() ? "" : " (from " + Names.printable(m.producer()) + ")"));
        System.out.println("opset     " + Names.printable(g.opsets().toString()));
        for (Value v : g.inputs()) {
            System.out.println("input     " + Names.printable(v.name()) + ": " + Names.escape(v.type().toString()));
        }
        for (Value v : g.outputs()) {
            TensorType t = types.type(v.name());
            System.out.println("output    " + Names.printable(v.name()) + ": "
                    + Names.escape(String.valueOf(t != null ? t : v.type())));
        }
        System.out.printf("params    %,d in %d tensors%n", g.parameterCount(), g.constants().size());
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : g.nodes()) {
            counts.merge(n.opType(), 1, Integer::sum);
        }
        System.out.println("nodes     " + g.nodes().size());
        counts.forEach((op, c) -> System.out.printf("  %-22s %d%n", Names.printable(op), c));
    }
}
