package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Graph;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int octet(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void listsTheArchitecturesWithTheirParameterCounts() {
        assertThat(octet("zoo", "--list")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("resnet50", "vgg16", "inceptionv3", "mobilenetv2",
                "25,557,032", "3,504,872");
    }

    @Test
    void writesAModelThatOctetReadsBack() {
        Path file = dir.resolve("sub/mnv2.onnx");
        assertThat(octet("zoo", "mobilenetv2", "-o", file.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote", "3,504,872 parameters");
        Graph g = OnnxImporter.load(file).graph();
        assertThat(g.nodes().stream().filter(n -> n.opType().equals("Conv")).count()).isEqualTo(52);
        assertThat(g.outputs().get(0).type().toString()).isEqualTo("f32[N,1000]");
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        Path a = dir.resolve("a.onnx");
        Path b = dir.resolve("b.onnx");
        Path c = dir.resolve("c.onnx");
        assertThat(octet("zoo", "mobilenetv2", "-o", a.toString())).isZero();
        assertThat(octet("zoo", "mobilenetv2", "-o", b.toString())).isZero();
        assertThat(octet("zoo", "mobilenetv2", "--seed", "5", "-o", c.toString())).isZero();
        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isNotEqualTo(-1);
    }

    @Test
    void anUnknownNameOrAMissingOutputIsOneErrorLine() {
        assertThat(octet("zoo", "alexnet", "-o", dir.resolve("x.onnx").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo(
                "octet: error: unknown model 'alexnet'; the zoo has resnet50, vgg16, inceptionv3, mobilenetv2");
        err.reset();
        assertThat(octet("zoo", "resnet50")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("-o FILE");
        err.reset();
        assertThat(octet("zoo")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--list");
    }
}
