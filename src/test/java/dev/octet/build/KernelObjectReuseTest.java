package dev.octet.build;

import static dev.octet.build.TestGraphs.graph;
import static dev.octet.build.TestGraphs.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.verify.TestInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two models that differ in one layer share the objects of their other kernels: the second build compiles one new
 * object, not the whole library, and the library linked from shared objects computes what the reference does.
 * (This is what makes the float fallback's one-variant-per-layer compiles cheap.)
 */
class KernelObjectReuseTest {
    @TempDir
    Path cache;

    /** Conv 3×3 → ReLU → Conv k×k (the layer that differs) → Add of the first conv's output. */
    private static Graph model(int secondKernel) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("w1", smallIntegers(new int[] {8, 4, 3, 3}, 1));
        w.put("b1", smallIntegers(new int[] {8}, 2));
        w.put("w2", smallIntegers(new int[] {8, 8, secondKernel, secondKernel}, 3));
        long pad = secondKernel / 2;
        List<Node> nodes = List.of(
                Node.of("c1", "Conv", List.of("x", "w1", "b1"), List.of("c1"), Attribute.of("pads", 1L, 1L, 1L, 1L)),
                Node.of("a", "Relu", List.of("c1"), List.of("a")),
                Node.of("c2", "Conv", List.of("a", "w2"), List.of("c2"), Attribute.of("pads", pad, pad, pad, pad)),
                Node.of("y", "Add", List.of("c2", "a"), List.of("y")));
        return graph(14, nodes, types("x", TensorType.of(DataType.FLOAT, 1, 4, 9, 7)), w, List.of("y"));
    }

    private static Tensor smallIntegers(int[] shape, long seed) {
        return Tensor.ofFloats(shape, TestInputs.floats(TestInputs.Kind.SMALL_INTEGER,
                java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b), seed));
    }

    private long objects() throws IOException {
        Path dir = cache.resolve("objects");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".o")).count();
        }
    }

    @Test
    void aModelDifferingInOneLayerCompilesOneObjectAndComputesTheReference() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Map<String, Tensor> in = Map.of("x", smallIntegers(new int[] {1, 4, 9, 7}, 4));
        for (int k : new int[] {1, 3}) {
            long before = objects();
            Graph g = model(k);
            try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withCacheDir(cache))) {
                Tensor expected = new ReferenceInterpreter(g).run(in).get("y");
                assertThat(m.run(in).get("y").sameAs(expected)).as("kernel %dx%d", k, k).isTrue();
            }
            long added = objects() - before;
            if (k == 1) {
                assertThat(added).as("the first model compiles its kernels").isEqualTo(2);
            } else {
                assertThat(added).as("only the changed conv is compiled again").isEqualTo(1);
            }
        }
    }
}
