package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.runtime.jvm.JvmKernels;
import dev.octet.testing.TestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A compiled real model gives the reference interpreter's outputs from many threads, on native and JVM kernels. */
class CompiledModelTest {
    private static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(2)
            .withCacheDir(Path.of("target", "test-native-cache"));

    private static Tensor randomInput(int[] shape, long seed) {
        Random r = new Random(seed);
        float[] x = new float[shape[0] * shape[1] * shape[2] * shape[3]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.ofFloats(shape, x);
    }

    /** max |a − b| / max |b| over all outputs. */
    private static double relativeError(Map<String, Tensor> actual, Map<String, Tensor> expected) {
        double err = 0;
        for (var e : expected.entrySet()) {
            Tensor a = actual.get(e.getKey());
            double maxAbs = 0;
            double mag = 1e-30;
            for (int i = 0; i < a.size(); i++) {
                maxAbs = Math.max(maxAbs, Math.abs(a.getDouble(i) - e.getValue().getDouble(i)));
                mag = Math.max(mag, Math.abs(e.getValue().getDouble(i)));
            }
            err = Math.max(err, maxAbs / mag);
        }
        return err;
    }

    @Test
    void blazeFaceMatchesTheReferenceFromManyThreads() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Model model = Octet.load(TestData.blazeface("face_detection_front_128x128_barracuda.onnx"));
        try (CompiledModel compiled = Octet.compile(model, OPTIONS)) {
            assertThat(compiled.stepDescriptions()).anyMatch(d -> d.startsWith("conv_gemm"))
                    .anyMatch(d -> d.startsWith("depthwise")) // its Add and Relu are fused into the convolutions
                    .anyMatch(d -> d.startsWith("pool")).anyMatch(d -> d.equals("java Concat"))
                    .noneMatch(d -> d.matches("reference (Add|Relu|Concat|MaxPool|Transpose|Reshape)"))
                    .noneMatch(d -> d.contains("on the JVM"));
            assertMatchesTheReferenceFromManyThreads(model, compiled);
        }
    }

    @Test
    void blazeFaceOnTheJvmBackendMatchesTheReferenceFromManyThreads() throws Exception {
        Model model = Octet.load(TestData.blazeface("face_detection_front_128x128_barracuda.onnx"));
        try (CompiledModel compiled = Octet.compile(model, OPTIONS.withBackend(CompileOptions.Backend.JVM))) {
            assertThat(JvmKernels.implementation()).startsWith("Vector API");
            String jvm = " on the JVM (" + JvmKernels.implementation() + ")";
            assertThat(compiled.stepDescriptions()).anyMatch(d -> d.startsWith("conv_gemm") && d.endsWith(jvm))
                    .anyMatch(d -> d.startsWith("depthwise") && d.endsWith(jvm));
            assertMatchesTheReferenceFromManyThreads(model, compiled);
        }
    }

    @Test
    void reusedBuffersNeverChangeResultsHandedOutBefore() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Model model = Octet.load(TestData.blazeface("face_detection_front_128x128_barracuda.onnx"));
        String input = model.graph().inputs().get(0).name();
        try (CompiledModel compiled = Octet.compile(model, OPTIONS)) {
            List<Map<String, Tensor>> inputs = new ArrayList<>();
            List<Map<String, float[]>> sequential = new ArrayList<>();
            List<Map<String, Tensor>> handedOut = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                inputs.add(Map.of(input, randomInput(new int[] {1, 128, 128, 3}, 100 + i)));
                Map<String, Tensor> out = compiled.run(inputs.get(i));
                handedOut.add(out);
                Map<String, float[]> copy = new java.util.HashMap<>();
                out.forEach((k, v) -> copy.put(k, v.floats().clone()));
                sequential.add(copy);
            }
            ExecutorService callers = Executors.newFixedThreadPool(3);
            try {
                List<Future<Map<String, Tensor>>> runs = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    Map<String, Tensor> in = inputs.get(i % 4);
                    runs.add(callers.submit(() -> compiled.run(in)));
                }
                for (int i = 0; i < runs.size(); i++) {
                    Map<String, float[]> expected = sequential.get(i % 4);
                    runs.get(i).get().forEach((k, v) -> assertThat(v.floats()).as(k).isEqualTo(expected.get(k)));
                }
            } finally {
                callers.shutdown();
            }
            for (int i = 0; i < 4; i++) { // the arrays handed out first were not reused by the later runs
                Map<String, float[]> expected = sequential.get(i);
                handedOut.get(i).forEach((k, v) -> assertThat(v.floats()).as(k).isEqualTo(expected.get(k)));
            }
        }
    }

    /** Six random inputs run from three caller threads (each run splitting its kernels over two workers). */
    private static void assertMatchesTheReferenceFromManyThreads(Model model, CompiledModel compiled)
            throws Exception {
        String input = model.graph().inputs().get(0).name();
        ReferenceInterpreter reference = new ReferenceInterpreter(model.graph());
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<Double>> errors = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Map<String, Tensor> in = Map.of(input, randomInput(new int[] {1, 128, 128, 3}, i));
                Map<String, Tensor> expected = reference.run(in);
                errors.add(callers.submit(() -> relativeError(compiled.run(in), expected)));
            }
            for (Future<Double> e : errors) {
                assertThat(e.get()).isLessThan(1e-4);
            }
        } finally {
            callers.shutdown();
        }
    }
}
