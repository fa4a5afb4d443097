package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.Octet;
import dev.octet.frontend.onnx.TensorProtos;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.Graph;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.Value;
import dev.octet.runtime.CompiledModel;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ONNX's backend node tests of the operators Octet lowers to fast steps (elementwise, pooling, data movement,
 * quantization: QuantizeLinear, DequantizeLinear, QLinearConv), run
 * through a compiled model instead of the reference interpreter, against the expected outputs with ONNX's tolerance
 * (rtol 1e-3, atol 1e-7). Inputs the fast paths do not cover (integer types, trailing-axis broadcasts, Clip bounds
 * given as graph inputs, shapes that depend on input values, 1-D and 3-D pools, edge and reflect Pad, scales and
 * zero points given as graph inputs) run the reference steps, so every test the reference passes must pass here too.
 */
class CompiledNodeTest {
    private static final Pattern OPS = Pattern.compile("^test_(add|sub|mul|div|relu|clip|sigmoid|hardsigmoid|"
            + "hardswish|maxpool|averagepool|globalaveragepool|reshape|flatten|squeeze|unsqueeze|identity|concat|"
            + "quantizelinear|dequantizelinear|qlinearconv|"
            + "split|transpose|slice|depthtospace|softmax|pow|sqrt|reduce_mean|constant_pad|edge_pad|"
            + "reflect_pad)(_|$)");

    /** Tests whose every step ran a fast path (no reference step, no fallback), for the count at the end. */
    private static final java.util.Set<String> FAST = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @TestFactory
    Stream<DynamicTest> nodeTestsOfLoweredOperators() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(TestData.onnxNodeTests())) {
            dirs = s.filter(d -> OPS.matcher(d.getFileName().toString()).find()).sorted().toList();
        }
        assertThat(dirs).hasSizeGreaterThan(100);
        return Stream.concat(dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(),
                () -> check(d))), Stream.of(DynamicTest.dynamicTest("most run entirely on fast steps",
                        () -> assertThat(FAST).as(FAST.size() + " of " + dirs.size()).hasSizeGreaterThan(60))));
    }

    private static void check(Path dir) {
        Model model;
        try {
            model = Octet.load(dir.resolve("model.onnx"));
        } catch (OctetException e) {
            Assumptions.abort("not importable: " + e.getMessage());
            return;
        }
        Graph g = model.graph();
        try (CompiledModel m = Octet.compile(model, TestGraphs.OPTIONS)) {
            boolean fast = m.stepDescriptions().stream().noneMatch(d -> d.startsWith("reference"));
            for (Path set : sets(dir)) {
                Map<String, Tensor> feed = new LinkedHashMap<>();
                List<Tensor> inputs = read(set, "input_");
                for (int i = 0; i < inputs.size(); i++) {
                    feed.put(g.inputs().get(i).name(), inputs.get(i));
                }
                Map<String, Long> times = new HashMap<>();
                Map<String, Tensor> actual = m.runTimed(feed, times);
                fast &= times.keySet().stream().noneMatch(k -> k.startsWith("fallback"));
                List<Tensor> expected = read(set, "output_");
                for (int i = 0; i < expected.size(); i++) {
                    Value out = g.outputs().get(i);
                    assertThat(difference(expected.get(i), actual.get(out.name()))).as(out.name()).isNull();
                }
            }
            if (fast) {
                FAST.add(dir.getFileName().toString());
            }
        }
    }

    private static List<Path> sets(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Tensor> read(Path set, String prefix) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; Files.exists(set.resolve(prefix + i + ".pb")); i++) {
            try (InputStream in = Files.newInputStream(set.resolve(prefix + i + ".pb"))) {
                out.add(TensorProtos.toTensor(TensorProto.parseFrom(in), null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Null where the tensors agree (numpy's assert_allclose with ONNX's defaults; NaN equals NaN). */
    private static String difference(Tensor expected, Tensor actual) {
        if (actual == null || actual.dtype() != expected.dtype()
                || !java.util.Arrays.equals(actual.shape(), expected.shape())) {
            return "got " + actual + ", expected " + expected;
        }
        for (int i = 0; i < expected.size(); i++) {
            boolean same;
            if (expected.dtype().isFloat()) {
                double e = expected.getDouble(i);
                double a = actual.getDouble(i);
                same = Double.isNaN(e) ? Double.isNaN(a) : Double.isInfinite(e) ? a == e
                        : Math.abs(a - e) <= 1e-7 + 1e-3 * Math.abs(e);
            } else {
                same = expected.getLong(i) == actual.getLong(i);
            }
            if (!same) {
                return "element " + i + ": got " + actual.getDouble(i) + ", expected " + expected.getDouble(i);
            }
        }
        return null;
    }
}
