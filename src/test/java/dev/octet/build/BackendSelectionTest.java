package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.CompileOptions.Backend;
import dev.octet.codegen.c.CCompiler;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.DataType;
import dev.octet.ir.Model;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.OnnxModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which kernels a compile picks: AUTO uses native kernels where a C compiler is found, else the JVM backend with one
 * notice on stderr; NATIVE without a compiler is an error; JVM never needs one. The compiler is hidden with
 * {@code -Doctet.cc=<a file that does not exist>}, not by changing PATH.
 */
class BackendSelectionTest {
    private static final String HIDDEN = "/nonexistent/octet-test-cc";
    private static final CompileOptions OPTIONS = CompileOptions.defaults().withThreads(2)
            .withCacheDir(Path.of("target", "test-native-cache"));
    private static final List<String> JVM_STEPS = List.of("conv_gemm\\[.*\\] on the JVM \\(.*\\)",
            "depthwise\\[.*\\] on the JVM \\(.*\\)");

    /** x: f32[1,3,9,9] → Conv 3×3 pad 1 to 8 channels (conv-as-GEMM) → depthwise 3×3 stride 2 with bias → y. */
    private static Model twoConvs() {
        Random r = new Random(3);
        float[] w1 = new float[8 * 3 * 3 * 3];
        float[] w2 = new float[8 * 3 * 3];
        float[] b2 = new float[8];
        for (float[] a : List.of(w1, w2, b2)) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
        }
        return OnnxImporter.read(OnnxModels.model(OnnxModels.graph("two_convs")
                .addInput(OnnxModels.input("x", DataType.FLOAT, 1, 3, 9, 9))
                .addInitializer(OnnxModels.floats("w1", new long[] {8, 3, 3, 3}, w1))
                .addInitializer(OnnxModels.floats("w2", new long[] {8, 1, 3, 3}, w2))
                .addInitializer(OnnxModels.floats("b2", new long[] {8}, b2))
                .addNode(OnnxModels.node("Conv", List.of("x", "w1"), List.of("h"), OnnxModels.ints("pads", 1, 1, 1,
                        1)))
                .addNode(OnnxModels.node("Conv", List.of("h", "w2", "b2"), List.of("y"), OnnxModels.attr("group", 8),
                        OnnxModels.ints("strides", 2, 2)))
                .addOutput(OnnxModels.output("y"))), Path.of("two_convs.onnx"));
    }

    @AfterEach
    void showTheCompiler() {
        System.clearProperty(CCompiler.PROPERTY);
    }

    /** Compiles with the options, returning what was printed on stderr meanwhile; checks the outputs. */
    private static String compileAndRun(Backend backend, List<String> expectedSteps) {
        Model model = twoConvs();
        PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (CompiledModel m = ModelCompiler.compile(model.graph(), OPTIONS.withBackend(backend))) {
            System.setErr(stderr);
            assertThat(m.stepDescriptions()).hasSize(2).zipSatisfy(expectedSteps, (d, e) -> assertThat(d).matches(e));
            float[] x = new float[3 * 9 * 9];
            Random r = new Random(5);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new int[] {1, 3, 9, 9}, x));
            float[] expected = new ReferenceInterpreter(model.graph()).run(in).get("y").floats();
            float[] actual = m.run(in).get("y").floats();
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], offset(1e-4f));
            }
        } finally {
            System.setErr(stderr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void autoWithoutACCompilerRunsOnTheJvmAndSaysSoOnce() {
        System.setProperty(CCompiler.PROPERTY, HIDDEN);
        assertThat(CCompiler.find()).isNull();
        String err = compileAndRun(Backend.AUTO, JVM_STEPS);
        assertThat(err.lines().toList()).containsExactly(
                "octet: no C compiler found (looked for -Doctet.cc=" + HIDDEN + "); using the JVM backend");
    }

    @Test
    void theJvmBackendNeedsNoCCompilerAndSaysNothing() {
        System.setProperty(CCompiler.PROPERTY, HIDDEN);
        assertThat(compileAndRun(Backend.JVM, JVM_STEPS)).isEmpty();
    }

    @Test
    void nativeWithoutACCompilerIsAnErrorNamingWhereItLooked() {
        System.setProperty(CCompiler.PROPERTY, HIDDEN);
        assertThatThrownBy(() -> ModelCompiler.compile(twoConvs().graph(), OPTIONS.withBackend(Backend.NATIVE)))
                .isInstanceOf(OctetException.class)
                .hasMessage("no C compiler found (looked for -Doctet.cc=" + HIDDEN + "); install gcc or use another "
                        + "backend");
    }

    @Test
    void autoWithACCompilerIsNative() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        assertThat(compileAndRun(Backend.AUTO, List.of("conv_gemm\\[[^ ]*\\]", "depthwise\\[[^ ]*\\]"))).isEmpty();
    }

    @Test
    void theCompilerPropertyNamesTheCompilerToUse() {
        CCompiler cc = CCompiler.find();
        assumeTrue(cc != null, "no C compiler on this machine");
        System.setProperty(CCompiler.PROPERTY, "cc");
        assertThat(CCompiler.find()).isNotNull();
        assertThat(CCompiler.searched()).isEqualTo("-Doctet.cc=cc");
        System.clearProperty(CCompiler.PROPERTY);
        assertThat(CCompiler.searched()).isEqualTo("$CC, then cc on PATH");
    }
}
