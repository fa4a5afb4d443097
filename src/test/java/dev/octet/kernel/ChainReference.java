package dev.octet.kernel;

import dev.octet.ir.Attribute;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.EvalContext;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.verify.TestInputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inputs for one elementwise chain and its reference result: the ONNX reference operators applied one after another
 * (each rounding once to fp32, as an unfused model computes it), with every intermediate kept for {@link ChainBound}.
 *
 * @param steps the reference value after each operation (the last is the result)
 */
record ChainReference(int[] shape, float[] input, List<float[]> operands, List<float[]> steps, boolean exact) {
    static final int OPSET = 14;

    float[] result() {
        return steps.get(steps.size() - 1);
    }

    /**
     * Draws the input and operands of a kind. Divisors are kept away from zero (an infinity or NaN would make the
     * guarded output's NaN check meaningless); a reversed division is always first, so its divisor is the input.
     */
    static ChainReference draw(ElementwiseChain chain, int[] shape, List<int[]> operandShapes, TestInputs.Kind kind,
            long seed) {
        float[] x = TestInputs.floats(kind, size(shape), seed * 101 + 1);
        List<float[]> operands = new ArrayList<>();
        int k = 0;
        for (ElementwiseChain.Op op : chain.ops()) {
            if (op instanceof ElementwiseChain.Binary b) {
                float[] e = TestInputs.floats(kind, size(operandShapes.get(k)), seed * 101 + 2 + k);
                if (b.kind() == ElementwiseChain.Arithmetic.DIV) {
                    nonZero(b.operandFirst() ? x : e);
                }
                operands.add(e);
                k++;
            }
        }
        List<float[]> steps = steps(chain, shape, x, operands, operandShapes);
        boolean exact = chain.ops().stream().allMatch(o -> o instanceof ElementwiseChain.Binary
                || o instanceof ElementwiseChain.Relu || o instanceof ElementwiseChain.Clip);
        return new ChainReference(shape, x, operands, steps, exact);
    }

    /** The reference result of the chain on the given values. */
    static float[] evaluate(ElementwiseChain chain, int[] shape, float[] x, List<float[]> operands,
            List<int[]> operandShapes) {
        List<float[]> steps = steps(chain, shape, x, operands, operandShapes);
        return steps.get(steps.size() - 1);
    }

    private static List<float[]> steps(ElementwiseChain chain, int[] shape, float[] x, List<float[]> operands,
            List<int[]> operandShapes) {
        List<float[]> steps = new ArrayList<>();
        Tensor v = Tensor.ofFloats(shape, x);
        int k = 0;
        for (ElementwiseChain.Op op : chain.ops()) {
            Tensor e = null;
            if (op instanceof ElementwiseChain.Binary) {
                e = Tensor.ofFloats(operandShapes.get(k), operands.get(k));
                k++;
            }
            v = apply(op, v, e);
            assert Arrays.equals(v.shape(), shape);
            steps.add(v.floats());
        }
        return steps;
    }

    private static Tensor apply(ElementwiseChain.Op op, Tensor v, Tensor e) {
        List<Tensor> in = new ArrayList<>(List.of(v));
        Node node = switch (op) {
            case ElementwiseChain.Binary b -> {
                in.add(b.operandFirst() ? 0 : 1, e);
                String type = b.kind().name().charAt(0) + b.kind().name().substring(1).toLowerCase();
                yield Node.of("n", type, List.of("a", "b"), List.of("y"));
            }
            case ElementwiseChain.Relu r -> Node.of("n", "Relu", List.of("x"), List.of("y"));
            case ElementwiseChain.Clip c -> {
                List<String> names = new ArrayList<>(List.of("x"));
                if (c.min() != Float.NEGATIVE_INFINITY || c.max() != Float.POSITIVE_INFINITY) {
                    names.add(c.min() == Float.NEGATIVE_INFINITY ? "" : "lo");
                    in.add(c.min() == Float.NEGATIVE_INFINITY ? null : Tensor.ofFloats(new int[0], c.min()));
                }
                if (c.max() != Float.POSITIVE_INFINITY) {
                    names.add("hi");
                    in.add(Tensor.ofFloats(new int[0], c.max()));
                }
                yield Node.of("n", "Clip", names, List.of("y"));
            }
            case ElementwiseChain.Sigmoid s -> Node.of("n", "Sigmoid", List.of("x"), List.of("y"));
            case ElementwiseChain.HardSigmoid h -> Node.of("n", "HardSigmoid", List.of("x"), List.of("y"),
                    Attribute.of("alpha", h.alpha()), Attribute.of("beta", h.beta()));
            case ElementwiseChain.HardSwish h -> Node.of("n", "HardSwish", List.of("x"), List.of("y"));
        };
        return OperatorRegistry.forNode(node).evaluate(new EvalContext(node, OPSET, in)).get(0);
    }

    private static void nonZero(float[] a) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                a[i] = 1;
            }
        }
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
