package dev.octet.build;

import static dev.octet.build.TestGraphs.graph;
import static dev.octet.build.TestGraphs.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The Java data-movement steps against the reference operators they stand for, on random shapes and arguments:
 * the same values bit for bit, and for the views the very same array.
 */
class MovementStepsTest {
    static int[] shape(Random r, int minRank) {
        int[] s = new int[minRank + r.nextInt(5 - minRank)];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(5);
        }
        return s;
    }

    static Tensor values(int[] shape, Random r) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(shape, v);
    }

    private static long[] dims(int[] shape) {
        return java.util.Arrays.stream(shape).asLongStream().toArray();
    }

    /** Compiles and runs the graph on x: its one step is {@code step}, on its fast path, giving the reference's. */
    static Map<String, Tensor> check(Graph g, Tensor x, String step) {
        return check(g, x, step, true);
    }

    /** As above; where {@code fastPath} is false, the step may run its reference instead (values still checked). */
    static Map<String, Tensor> check(Graph g, Tensor x, String step, boolean fastPath) {
        Map<String, Tensor> in = Map.of("x", x);
        try (CompiledModel m = TestGraphs.compile(g)) {
            assertThat(m.stepDescriptions()).containsExactly(step);
            Map<String, Long> times = new java.util.HashMap<>();
            Map<String, Tensor> actual = m.runTimed(in, times);
            if (fastPath) {
                assertThat(times.keySet()).as("the fast path ran").noneMatch(k -> k.startsWith("fallback"));
            }
            Map<String, Tensor> expected = new ReferenceInterpreter(g).run(in);
            expected.forEach((name, t) -> assertThat(actual.get(name).sameAs(t))
                    .as(name + ": " + actual.get(name) + " vs " + t).isTrue());
            return actual;
        }
    }

    static Graph one(int opset, Node n, Tensor x, Map<String, Tensor> constants) {
        return graph(opset, List.of(n), types("x", x.type()), constants, n.outputs());
    }

    @Property(tries = 40)
    void depthToSpace(@ForAll long seed) {
        Random r = new Random(seed);
        int b = 1 + r.nextInt(3);
        int[] s = {1 + r.nextInt(2), b * b * (1 + r.nextInt(3)), 1 + r.nextInt(5), 1 + r.nextInt(5)};
        Tensor x = values(s, r);
        String mode = r.nextBoolean() ? "CRD" : "DCR";
        Node n = Node.of("d", "DepthToSpace", List.of("x"), List.of("y"), Attribute.of("blocksize", (long) b),
                Attribute.of("mode", mode));
        check(one(13, n, x, Map.of()), x, "java DepthToSpace");
    }

    @Property(tries = 60)
    void transpose(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = values(shape(r, 1), r);
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            p.add(i);
        }
        Collections.shuffle(p, r);
        Node n = r.nextInt(5) == 0 ? Node.of("t", "Transpose", List.of("x"), List.of("y"))
                : Node.of("t", "Transpose", List.of("x"), List.of("y"),
                        Attribute.of("perm", p.stream().mapToLong(Integer::longValue).toArray()));
        check(one(13, n, x, Map.of()), x, "java Transpose");
    }

    @Property(tries = 80)
    void slice(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = values(shape(r, 1), r);
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            axes.add(i);
        }
        Collections.shuffle(axes, r);
        int k = 1 + r.nextInt(x.rank());
        long[] starts = new long[k];
        long[] ends = new long[k];
        long[] ax = new long[k];
        long[] steps = new long[k];
        for (int i = 0; i < k; i++) {
            int d = x.dim(axes.get(i));
            ax[i] = r.nextBoolean() ? axes.get(i) : axes.get(i) - x.rank();
            starts[i] = r.nextInt(10) == 0 ? Long.MIN_VALUE : r.nextInt(2 * d + 5) - d - 2;
            ends[i] = r.nextInt(10) == 0 ? Long.MAX_VALUE : r.nextInt(2 * d + 5) - d - 2;
            steps[i] = (1 + r.nextInt(3)) * (r.nextBoolean() ? 1 : -1);
        }
        if (r.nextInt(4) == 0) {
            Node n = Node.of("s", "Slice", List.of("x"), List.of("y"), Attribute.of("starts", starts),
                    Attribute.of("ends", ends), Attribute.of("axes", ax));
            check(one(9, n, x, Map.of()), x, "java Slice");
            return;
        }
        Node n = Node.of("s", "Slice", List.of("x", "starts", "ends", "axes", "steps"), List.of("y"));
        check(one(13, n, x, Map.of("starts", Tensor.int64Vector(starts), "ends", Tensor.int64Vector(ends),
                "axes", Tensor.int64Vector(ax), "steps", Tensor.int64Vector(steps))), x, "java Slice");
    }

    @Property(tries = 60)
    void concat(@ForAll long seed) {
        Random r = new Random(seed);
        int[] base = shape(r, 1);
        int axis = r.nextInt(base.length);
        int count = 1 + r.nextInt(4);
        Map<String, Tensor> constants = new java.util.HashMap<>();
        List<String> inputs = new ArrayList<>(List.of("x"));
        for (int i = 1; i < count; i++) {
            int[] s = base.clone();
            s[axis] = r.nextInt(4);
            constants.put("c" + i, values(s, r));
            inputs.add(r.nextInt(inputs.size() + 1), "c" + i);
        }
        long a = r.nextBoolean() ? axis : axis - base.length;
        Tensor x = values(base, r);
        Node n = Node.of("c", "Concat", inputs, List.of("y"), Attribute.of("axis", a));
        check(one(13, n, x, constants), x, "java Concat");
    }

    @Property(tries = 60)
    void split(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1);
        int axis = r.nextInt(s.length);
        List<Long> sizes = new ArrayList<>();
        for (int left = s[axis]; left > 0; ) {
            int part = 1 + r.nextInt(left);
            sizes.add((long) part);
            left -= part;
        }
        sizes.add(0L);
        long[] split = sizes.stream().mapToLong(Long::longValue).toArray();
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < split.length; i++) {
            outs.add("y" + i);
        }
        Tensor x = values(s, r);
        long a = r.nextBoolean() ? axis : axis - s.length;
        Node n = r.nextBoolean()
                ? Node.of("s", "Split", List.of("x"), outs, Attribute.of("axis", a), Attribute.of("split", split))
                : Node.of("s", "Split", List.of("x", "split"), outs, Attribute.of("axis", a));
        int opset = n.inputs().size() == 1 ? 11 : 13;
        check(one(opset, n, x, opset == 13 ? Map.of("split", Tensor.int64Vector(split)) : Map.of()), x,
                "java Split");
    }

    @Property(tries = 60)
    void constantPad(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 1);
        long[] pads = new long[2 * s.length];
        for (int i = 0; i < s.length; i++) {
            int least = s[i] >= 2 ? -1 : 0; // a crop of at most one element at each end, where two are there
            pads[i] = least + r.nextInt(4);
            pads[i + s.length] = least + r.nextInt(4);
        }
        Tensor x = values(s, r);
        float value = r.nextBoolean() ? 0f : (float) r.nextGaussian();
        if (r.nextInt(4) == 0) {
            Node n = Node.of("p", "Pad", List.of("x"), List.of("y"), Attribute.of("pads", pads),
                    Attribute.of("value", value));
            check(one(9, n, x, Map.of()), x, "java Pad");
            return;
        }
        Node n = Node.of("p", "Pad", List.of("x", "pads", "value"), List.of("y"));
        check(one(13, n, x, Map.of("pads", Tensor.int64Vector(pads), "value", Tensor.ofFloats(new int[] {}, value))),
                x, "java Pad");
    }

    @Property(tries = 30)
    void viewsShareTheInputsValues(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 2);
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.max(s[i], 1); // Reshape's -1 is ambiguous next to an empty axis
        }
        Tensor x = values(s, r);
        int axis = r.nextInt(s.length);
        int[] withOne = s.clone();
        withOne[axis] = 1;
        Tensor one = values(withOne, r);
        record View(Node node, int opset, Tensor x, Map<String, Tensor> constants) {
        }
        List<View> views = List.of(
                new View(Node.of("v", "Reshape", List.of("x", "shape"), List.of("y")), 13, x,
                        Map.of("shape", Tensor.int64Vector(0, -1))),
                new View(Node.of("v", "Flatten", List.of("x"), List.of("y"), Attribute.of("axis", (long) axis)), 13, x,
                        Map.of()),
                new View(Node.of("v", "Unsqueeze", List.of("x", "axes"), List.of("y")), 13, x,
                        Map.of("axes", Tensor.int64Vector(axis, -1))),
                new View(Node.of("v", "Squeeze", List.of("x", "axes"), List.of("y")), 13, one,
                        Map.of("axes", Tensor.int64Vector(axis))),
                new View(Node.of("v", "Identity", List.of("x"), List.of("y")), 13, x, Map.of()));
        for (View v : views) {
            Map<String, Tensor> out = check(one(v.opset(), v.node(), v.x(), v.constants()), v.x(),
                    "view " + v.node().opType());
            assertThat(out.get("y").floats()).isSameAs(v.x().floats());
        }
    }
}
