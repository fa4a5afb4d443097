package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.ir.op.ShapeInference;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process and checks that an error is one clear line, at the command line and at the API. */
final class ErrorLines {
    private ErrorLines() {
    }

    /** What one command line printed and returned. */
    record Run(int exit, String out, String err) {
    }

    static synchronized Run cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * `octet inspect FILE` fails with exit code 1 and exactly one line on stderr, "octet: error: FILE: ...",
     * mentioning each of {@code mentions}; nothing looks like a Java stack trace or exception name.
     */
    static void assertInspectFails(Path file, String... mentions) {
        Run r = cli("inspect", file.toString());
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
        String line = r.err().strip();
        System.out.println(line);
        assertThat(line).startsWith("octet: error: ").contains(file.toString()).contains(mentions);
        assertNoJavaInternals(line + r.out());
    }

    static void assertNoJavaInternals(String text) {
        assertThat(text).doesNotContain("\tat ", "Exception", "java.lang.", "Error:");
    }

    /** Imports the file and infers its types, as every command does first. */
    static ShapeInference.Result importAndInfer(Path file) {
        Graph g = OnnxImporter.load(file).graph();
        return ShapeInference.infer(g, Map.of());
    }

    /** The API fails with the given kind of error, whose message is one line mentioning each of {@code mentions}. */
    static void assertApiFails(Path file, Class<? extends OctetException> kind, String... mentions) {
        assertThatThrownBy(() -> importAndInfer(file)).isInstanceOf(kind)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains(mentions));
    }

}
