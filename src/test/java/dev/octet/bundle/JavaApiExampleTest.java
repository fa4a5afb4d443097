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
 * The Java program of the README (its block after {@code <!-- example: BundleExample.java -->}): compile a model,
 * save it as a bundle, load the bundle and run it. It is compiled by javac against Octet's classes, as a user would,
 * so that the README's program keeps working and the public API it needs stays public. The README's fragment
 * (after {@code <!-- fragment: -->}) is compiled as the body of a method.
 */
class JavaApiExampleTest {
    static final Path README = Path.of("README.md");

    static String block(String marker) throws Exception {
        String readme = Files.readString(README);
        int at = readme.indexOf(marker);
        assertThat(at).as("README.md has " + marker).isNotNegative();
        int open = readme.indexOf("```java\n", at) + "```java\n".length();
        return readme.substring(open, readme.indexOf("```", open));
    }

    @TempDir
    Path dir;

    @Test
    void compilesSavesReloadsAndRuns() throws Exception {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String example = block("<!-- example: BundleExample.java -->");
        Path source = dir.resolve("BundleExample.java");
        Files.writeString(source, example);
        int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(),
                source.toString());
        assertThat(rc).as("javac").isZero();
        assertThat(example.lines().filter(l -> !l.isBlank() && !l.strip().equals("}")).count()).isLessThanOrEqualTo(12);

        Path model = TestData.blazeface("face_detection_front_128x128_barracuda.onnx");
        Path bundle = dir.resolve("model.octet");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                JavaApiExampleTest.class.getClassLoader())) {
            System.setOut(new PrintStream(printed, true));
            loader.loadClass("BundleExample").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {model.toString(), bundle.toString(), "1,128,128,3"});
        } finally {
            System.setOut(stdout);
        }
        assertThat(bundle).isRegularFile();
        List<String> outputs = dev.octet.Octet.load(model).graph().outputs().stream().map(v -> v.name()).toList();
        assertThat(printed.toString().lines().map(l -> l.split(" ")[0]).toList())
                .containsExactlyInAnyOrderElementsOf(outputs);
        assertThat(printed.toString()).contains("f32[");
    }

    @Test
    void theReadmeFragmentCompiles() throws Exception {
        String source = """
                import dev.octet.*; import dev.octet.ir.*; import dev.octet.runtime.*; import dev.octet.quant.*;
                import dev.octet.data.*; import dev.octet.tune.*; import dev.octet.frontend.onnx.*;
                import java.lang.foreign.Arena; import java.lang.foreign.MemorySegment; import java.nio.file.Path;
                class Fragment {
                    void run() {
                """ + block("<!-- fragment: options and int8 -->") + """
                    }
                }
                """;
        Path file = dir.resolve("Fragment.java");
        Files.writeString(file, source);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "-cp",
                System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
        assertThat(rc).as(errors.toString()).isZero();
    }
}
