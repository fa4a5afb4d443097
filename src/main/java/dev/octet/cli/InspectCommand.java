package dev.octet.cli;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
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
        System.out.println("model     " + m.displayName() + (m.producer().isEmpty() ? "" : " (from " + m.producer() + ")"));
        System.out.println("opset     " + g.opsets());
        for (Value v : g.inputs()) {
            System.out.println("input     " + v.name() + ": " + v.type());
        }
        for (Value v : g.outputs()) {
            TensorType t = types.type(v.name());
            System.out.println("output    " + v.name() + ": " + (t != null ? t : v.type()));
        }
        System.out.printf("params    %,d in %d tensors%n", g.parameterCount(), g.constants().size());
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : g.nodes()) {
            counts.merge(n.opType(), 1, Integer::sum);
        }
        System.out.println("nodes     " + g.nodes().size());
        counts.forEach((op, c) -> System.out.printf("  %-22s %d%n", op, c));
    }
}
