package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.testing.JavaProcess;
import dev.octet.testing.TestData;
import dev.octet.testing.TinyModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `octet run` must work where ONNX Runtime is absent: the CLI runs in a fresh JVM (this JDK) whose class path is
 * Octet's runtime class path without the onnxruntime jar.
 */
class OrtFreeRunTest {
    private static String classPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void classPathWithoutOnnxRuntime() throws Exception {
        Path repo = TestData.repoRoot();
        String deps = Files.readString(repo.resolve("target/octet.classpath")).strip();
        List<String> entries = new ArrayList<>();
        entries.add(repo.resolve("target/classes").toString());
        Arrays.stream(deps.split(File.pathSeparator)).filter(e -> !e.isEmpty())
                .filter(e -> !Path.of(e).getFileName().toString().startsWith("onnxruntime")).forEach(entries::add);
        assertThat(deps).contains("onnxruntime"); // else this test would prove nothing
        classPath = String.join(File.pathSeparator, entries);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result octet(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xss16m", "-cp", classPath, "dev.octet.cli.Main"));
        cmd.addAll(List.of(args));
        JavaProcess.Result r = JavaProcess.run(cmd, Map.of(), List.of(), 300);
        return new Result(r.exit(), r.out() + String.join("\n", r.errLines()));
    }

    @Test
    void runWorksWithoutOnnxRuntimeOnTheClassPath() throws Exception {
        Path model = TinyModels.identity(dir, "tiny.onnx", 1, 3, 8, 8);
        Result tiny = octet("run", model.toString(), "--input", "random");
        assertThat(tiny.exitCode()).as(tiny.output()).isZero();
        assertThat(tiny.output()).contains("output  x  f32[1,3,8,8]");
    }

    @Test
    void aRealModelRunsWithoutOnnxRuntime() throws Exception {
        Path face = TestData.blazeface(TestData.BLAZEFACE_MODELS.getFirst());
        Result real = octet("run", face.toString(), "--input", "random");
        assertThat(real.exitCode()).as(real.output()).isZero();
        assertThat(real.output()).contains("output  Identity:0  f32[1,512,1]");
    }

    @Test
    void compareSaysThatOnnxRuntimeIsMissing() {
        Path model = TinyModels.identity(dir, "tiny.onnx", 1, 3);
        Result r = octet("compare", model.toString(), "--against", "ort");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).startsWith("octet: error: ").endsWith("ONNX Runtime is not on the class path (Maven artifact "
                        + "com.microsoft.onnxruntime:onnxruntime); `compare --against ort` needs it");
    }

    @Test
    void compileVsOrtSaysThatOnnxRuntimeIsMissingBeforeItCompiles() {
        Path model = TinyModels.identity(dir, "tiny.onnx", 1, 3);
        Path bundle = dir.resolve("tiny.octet");
        Result r = octet("compile", model.toString(), "--vs-ort", "-o", bundle.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).isEqualTo("octet: error: " + model + ": --vs-ort needs ONNX Runtime on the class path (Maven "
                + "artifact com.microsoft.onnxruntime:onnxruntime)");
        assertThat(bundle).doesNotExist();
    }
}
