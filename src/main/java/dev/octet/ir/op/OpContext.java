package dev.octet.ir.op;

import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.UnsupportedModelException;

/** What an operator sees of the node it runs for: attributes, the opset version, and a way to fail clearly. */
public abstract class OpContext {
    private final Node node;
    private final int opset;

    protected OpContext(Node node, int opset) {
        this.node = node;
        this.opset = opset;
    }

    public Node node() {
        return node;
    }

    public Attributes attrs() {
        return node.attributes();
    }

    /** The model's opset version for this node's domain. */
    public int opset() {
        return opset;
    }

    /** Number of inputs listed on the node, absent optional ones included. */
    public int inputCount() {
        return node.inputs().size();
    }

    public boolean hasInput(int i) {
        return node.hasInput(i);
    }

    /** Number of outputs the node asks for. */
    public int outputCount() {
        return node.outputs().size();
    }

    /** Throws the error for invalid input; the message says what was expected (the node is added). */
    public OctetException fail(String message) {
        throw new OctetException(node.describe() + ": " + message);
    }

    /** Throws the error for a valid but unimplemented case (an attribute value, a dtype, an opset). */
    public OctetException unsupported(String message) {
        throw new UnsupportedModelException(node.describe() + ": " + message);
    }
}
