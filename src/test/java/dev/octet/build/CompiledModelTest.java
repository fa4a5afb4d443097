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

/** A compiled real model gives the reference interpreter's outputs, at several batch sizes and from many threads. */
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

    /**
     * Pixel values 0..255, the input M-LSD normalises itself. (Values in [−1, 1] become a nearly constant image whose
     * outputs change by 1e-5 of their magnitude when the input moves by one ulp: too ill-conditioned to compare.)
     */
    private static Tensor randomPixels(int[] shape, long seed) {
        Random r = new Random(seed);
        float[] x = new float[shape[0] * shape[1] * shape[2] * shape[3]];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(256);
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
    void mlsdTinyMatchesTheReference() {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Model model = Octet.load(TestData.mlsd("mlsd_320x320_tiny.onnx"));
        String input = model.graph().inputs().get(0).name();
        try (CompiledModel compiled = Octet.compile(model, OPTIONS)) {
            assertThat(compiled.stepDescriptions()).anyMatch(d -> d.startsWith("elementwise"))
                    .anyMatch(d -> d.startsWith("pool")).anyMatch(d -> d.equals("java Pad"))
                    .anyMatch(d -> d.equals("java Slice")).anyMatch(d -> d.equals("java Transpose"))
                    .anyMatch(d -> d.equals("fused")).noneMatch(d -> d.matches("reference (Clip|Add|Mul|Sub|Relu|"
                            + "Sigmoid|MaxPool|Pad|Transpose|Reshape)"));
            ReferenceInterpreter reference = new ReferenceInterpreter(model.graph());
            for (int i = 0; i < 2; i++) {
                Map<String, Tensor> in = Map.of(input, randomPixels(new int[] {1, 320, 320, 4}, 10 + i));
                Map<String, Long> times = new java.util.HashMap<>();
                assertThat(relativeError(compiled.runTimed(in, times), reference.run(in))).isLessThan(1e-4);
                assertThat(times.keySet()).noneMatch(k -> k.startsWith("fallback"));
            }
        }
    }

    @Test
    void blazeFaceMatchesTheReferenceFromManyThreads() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler");
        Model model = Octet.load(TestData.blazeface("face_detection_front_128x128_barracuda.onnx"));
        String input = model.graph().inputs().get(0).name();
        try (CompiledModel compiled = Octet.compile(model, OPTIONS)) {
            assertThat(compiled.stepDescriptions()).anyMatch(d -> d.startsWith("conv_gemm"))
                    .anyMatch(d -> d.startsWith("depthwise")) // its Add and Relu are fused into the convolutions
                    .anyMatch(d -> d.startsWith("pool")).anyMatch(d -> d.equals("java Concat"))
                    .noneMatch(d -> d.matches("reference (Add|Relu|Concat|MaxPool|Transpose|Reshape)"));
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
}
