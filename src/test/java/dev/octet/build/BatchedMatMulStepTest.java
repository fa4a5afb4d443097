package dev.octet.build;

import static dev.octet.build.TestGraphs.graph;
import static dev.octet.build.TestGraphs.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * MatMul of two graph inputs (attention's Q·Kᵀ and weights·V: no constant operand for the native MatMul to pack)
 * runs the Java step and gives the reference's values bit for bit; broadcast batches hand over to the reference.
 */
class BatchedMatMulStepTest {
    private static Tensor values(int[] shape, Random r, boolean specials) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NaN, 3e38f, Float.MIN_VALUE};
        for (int i = 0; i < n; i++) {
            v[i] = specials && r.nextInt(8) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian() * 50;
        }
        return Tensor.ofFloats(shape, v);
    }

    @Property(tries = 40)
    void attentionShapedProductsMatchTheReference(@ForAll long seed) {
        Random r = new Random(seed);
        int rank = 2 + r.nextInt(3);
        int[] as = new int[rank];
        for (int d = 0; d < rank - 2; d++) {
            as[d] = 1 + r.nextInt(4);
        }
        int m = 1 + r.nextInt(9);
        int k = r.nextInt(10); // k = 0 too: every output is the empty sum
        int n = 1 + r.nextInt(9);
        as[rank - 2] = m;
        as[rank - 1] = k;
        int[] bs = as.clone();
        bs[rank - 2] = k;
        bs[rank - 1] = n;
        boolean broadcast = rank > 2 && r.nextInt(4) == 0;
        if (broadcast) {
            bs[0] = 1; // a batch the step does not cover: the reference runs
            as[0] = 2;
        }
        Tensor a = values(as, r, r.nextBoolean());
        Tensor b = values(bs, r, r.nextBoolean());
        Node node = Node.of("mm", "MatMul", List.of("a", "b"), List.of("y"));
        Graph g = graph(13, List.of(node), types("a", TensorType.of(DataType.FLOAT, longs(as)), "b",
                TensorType.of(DataType.FLOAT, longs(bs))), Map.of(), node.outputs());
        Map<String, Tensor> in = Map.of("a", a, "b", b);
        try (CompiledModel c = TestGraphs.compile(g)) {
            assertThat(c.stepDescriptions()).containsExactly("java MatMul");
            Map<String, Long> times = new HashMap<>();
            Map<String, Tensor> actual = c.runTimed(in, times);
            assertThat(times.keySet().stream().anyMatch(t -> t.startsWith("fallback"))).isEqualTo(broadcast);
            Tensor expected = new ReferenceInterpreter(g).run(in).get("y");
            assertThat(actual.get("y").sameAs(expected)).as(actual.get("y") + " vs " + expected).isTrue();
        }
    }

    private static long[] longs(int[] shape) {
        return java.util.Arrays.stream(shape).asLongStream().toArray();
    }
}
