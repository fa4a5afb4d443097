package dev.octet.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.codegen.c.CCompiler;
import dev.octet.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ten-line Java program a user writes: compile a model, save it as a bundle, load the bundle and run it. It is
 * compiled by javac against Octet's classes, as a user would, so that the public API it needs stays public.
 */
class JavaApiExampleTest {
    static final String EXAMPLE = """
            import dev.octet.*; import dev.octet.ir.*; import dev.octet.runtime.*;
            import java.nio.file.Path; import java.util.Map;
            public class BundleExample {
                public static void main(String[] args) {
                    Model model = Octet.load(Path.of(args[0]));
                    try (CompiledModel m = Octet.compile(model, CompileOptions.defaults())) {
                        Octet.save(m, model, Path.of(args[1]));             // model.octet: graph, library, manifest
                    }
                    try (CompiledModel m = Octet.loadCompiled(Path.of(args[1]))) { // no C compiler needed
                        Tensor x = Tensor.ofFloats(new int[] {1, 128, 128, 3}, new float[128 * 128 * 3]);
                        System.out.println(m.run(Map.of(model.graph().inputs().get(0).name(), x)).keySet());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void compilesSavesReloadsAndRuns() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path source = dir.resolve("BundleExample.java");
        Files.writeString(source, EXAMPLE);
        int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(),
                source.toString());
        assertThat(rc).as("javac").isZero();
        assertThat(EXAMPLE.lines().filter(l -> !l.isBlank() && !l.strip().equals("}")).count()).isLessThanOrEqualTo(12);

        Path model = TestData.blazeface("face_detection_front_128x128_barracuda.onnx");
        Path bundle = dir.resolve("model.octet");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                JavaApiExampleTest.class.getClassLoader())) {
            System.setOut(new PrintStream(printed, true));
            loader.loadClass("BundleExample").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {model.toString(), bundle.toString()});
        } finally {
            System.setOut(stdout);
        }
        assertThat(bundle).isRegularFile();
        List<String> outputs = dev.octet.Octet.load(model).graph().outputs().stream().map(v -> v.name()).toList();
        assertThat(printed.toString().strip()).isEqualTo(outputs.toString());
    }
}
