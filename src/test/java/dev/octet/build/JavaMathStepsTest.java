package dev.octet.build;

import static dev.octet.build.MovementStepsTest.check;
import static dev.octet.build.MovementStepsTest.one;
import static dev.octet.build.MovementStepsTest.shape;
import static dev.octet.build.MovementStepsTest.values;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The Java math steps (Softmax, arithmetic with broadcasting, x², √x, ReduceMean) against the reference operators
 * they stand for, on random shapes with special values among the inputs: the same values bit for bit.
 */
class JavaMathStepsTest {
    /** Puts zeros of both signs, infinities, NaN, subnormals and values near fp32's limits among v's values. */
    private static Tensor withSpecials(Tensor t, Random r) {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
            -3 * Float.MIN_VALUE, Float.MIN_NORMAL, 3e38f, -2e38f, 1e-20f};
        float[] v = t.floats().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(6) == 0 ? specials[r.nextInt(specials.length)] : v[i];
        }
        return Tensor.ofFloats(t.shape(), v);
    }

    /** Softmax over the last axis (named as -1 or rank-1, opset 13 or 11), with large values and -inf too. */
    @Property(tries = 40)
    void softmax(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1);
        s[s.length - 1] = 1 + r.nextInt(40);
        Tensor x = values(s, r);
        float[] v = x.floats();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(10) == 0 ? Float.NEGATIVE_INFINITY : v[i] * (r.nextBoolean() ? 1 : 80);
        }
        int opset = r.nextBoolean() ? 13 : 11;
        long axis = opset == 11 || r.nextBoolean() ? s.length - 1 : -1;
        Node n = Node.of("s", "Softmax", List.of("x"), List.of("y"), Attribute.of("axis", axis));
        check(one(opset, n, x, Map.of()), x, "java Softmax");
    }

    /** Add/Sub/Mul/Div with numpy broadcasting either way (the constant operand first or second), x², √x. */
    @Property(tries = 60)
    void arithmetic(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1);
        Tensor x = withSpecials(values(s, r), r);
        String op = List.of("Add", "Sub", "Mul", "Div", "Pow", "Sqrt").get(r.nextInt(6));
        if (op.equals("Sqrt") || op.equals("Pow")) {
            Node n = Node.of("u", op, op.equals("Pow") ? List.of("x", "two") : List.of("x"), List.of("y"));
            int[] ones = new int[r.nextInt(s.length + 2)]; // an exponent of higher rank widens the output
            java.util.Arrays.fill(ones, 1);
            String step = op.equals("Sqrt") ? "java Sqrt" : ones.length <= s.length ? "java Square" : "reference Pow";
            check(one(13, n, x, Map.of("two", Tensor.ofFloats(ones, 2f))), x, step);
            return;
        }
        int[] t = java.util.Arrays.copyOfRange(s, r.nextInt(s.length + 1), s.length);
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextBoolean() ? 1 : t[i];
        }
        if (r.nextInt(4) == 0) { // the constant of higher rank: x broadcasts up
            int[] wider = new int[s.length + 1];
            wider[0] = 1 + r.nextInt(3);
            System.arraycopy(s, 0, wider, 1, s.length);
            t = wider;
        }
        Tensor c = withSpecials(values(t, r), r);
        List<String> in = r.nextBoolean() ? List.of("x", "c") : List.of("c", "x");
        Graph g = one(13, Node.of("b", op, in, List.of("y")), x, Map.of("c", c));
        String step;
        try (CompiledModel m = TestGraphs.compile(g)) {
            step = m.stepDescriptions().get(0); // broadcasts the native chains cover (scalar, channel) stay there
        }
        // The native chain may take a broadcast at compile time that its run-time check then hands to the
        // reference (a zero-sized axis, an operand widening the output): only the Java step must never fall back.
        boolean java = !step.startsWith("elementwise");
        check(g, x, java ? "java " + op : step, java);
    }

    /** The last axis (as -1 or rank-1) runs the Java step; another axis stays with the reference from the start. */
    @Property(tries = 30)
    void reduceMeanOverTheLastAxis(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1);
        s[s.length - 1] = 1 + r.nextInt(130);
        Tensor x = r.nextBoolean() ? withSpecials(values(s, r), r) : values(s, r);
        long axis = r.nextInt(4) == 0 ? r.nextInt(s.length) : r.nextBoolean() ? -1 : s.length - 1;
        Node n = Node.of("m", "ReduceMean", List.of("x"), List.of("y"), Attribute.of("axes", new long[] {axis}));
        boolean last = axis == -1 || axis == s.length - 1;
        check(one(13, n, x, Map.of()), x, last ? "java ReduceMean" : "reference ReduceMean");
    }
}
