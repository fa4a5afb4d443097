package dev.octet.ir;

import java.util.List;

/**
 * One operator application. Inputs and outputs are value names; an empty name marks an optional input that is
 * left out (as in ONNX).
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        Attributes attributes) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        domain = domain == null || domain.equals("ai.onnx") ? "" : domain;
    }

    public static Node of(String name, String opType, List<String> inputs, List<String> outputs, Attribute... attrs) {
        return new Node(name, opType, "", inputs, outputs, Attributes.of(attrs));
    }

    /** Input i's name, or "" where the input is absent. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    /** How the node is named in error messages: its name (or first output) and operator. */
    public String describe() {
        String id = name != null && !name.isEmpty() ? name : outputs.isEmpty() ? "?" : outputs.get(0);
        return "node " + Names.quote(id) + " (" + Names.shorten((domain.isEmpty() ? "" : domain + ".") + opType)
                + ")";
    }
}
