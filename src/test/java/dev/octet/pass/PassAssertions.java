package dev.octet.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Graph;
import dev.octet.ir.GraphPrinter;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The two checks every pass test makes: golden text before and after the pass (both files are reviewed text under
 * {@code src/test/resources/golden/pass/}), and equal outputs from the reference interpreter. Run with
 * {@code -Doctet.golden.update=true} to rewrite the golden files from the current output (then review the diff).
 */
final class PassAssertions {
    private PassAssertions() {
    }

    /** Prints with the graph's recorded value types, so that layouts show. */
    static String print(Graph g) {
        return GraphPrinter.print(g, g.valueTypes());
    }

    static void assertGolden(String name, Graph before, Graph after) {
        assertThat(print(before)).as("%s_before.txt", name).isEqualTo(golden(name + "_before.txt", print(before)));
        assertThat(print(after)).as("%s_after.txt", name).isEqualTo(golden(name + "_after.txt", print(after)));
    }

    /** The golden file's text (rewritten from {@code actual} under -Doctet.golden.update=true). */
    static String golden(String file, String actual) {
        if (Boolean.getBoolean("octet.golden.update")) {
            try {
                Path p = dev.octet.testing.TestData.repoRoot().resolve("src/test/resources/golden/pass").resolve(file);
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return actual;
        }
        try (InputStream in = PassAssertions.class.getResourceAsStream("/golden/pass/" + file)) {
            assertThat(in).as("golden file %s", file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The outputs of both graphs on the same inputs are bit for bit the same. */
    static void assertSameOutputs(Graph before, Graph after, Map<String, Tensor> inputs) {
        Map<String, Tensor> expected = new ReferenceInterpreter(before).run(inputs);
        Map<String, Tensor> actual = new ReferenceInterpreter(after).run(inputs);
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, t) -> assertThat(actual.get(name).sameAs(t))
                .as("output %s: expected %s, got %s", name, t, actual.get(name)).isTrue());
    }

    /**
     * The outputs agree within {@code relative} times the largest magnitude of each expected output.
     *
     * @return the largest error seen, relative to that magnitude
     */
    static double assertCloseOutputs(Graph before, Graph after, Map<String, Tensor> inputs, double relative) {
        Map<String, Tensor> expected = new ReferenceInterpreter(before).run(inputs);
        Map<String, Tensor> actual = new ReferenceInterpreter(after).run(inputs);
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        double worst = 0;
        for (String name : expected.keySet()) {
            Tensor e = expected.get(name);
            Tensor a = actual.get(name);
            assertThat(a.shape()).as("shape of %s", name).isEqualTo(e.shape());
            double magnitude = 0;
            for (int i = 0; i < e.size(); i++) {
                magnitude = Math.max(magnitude, Math.abs(e.getDouble(i)));
            }
            double err = 0;
            for (int i = 0; i < e.size(); i++) {
                err = Math.max(err, Math.abs(e.getDouble(i) - a.getDouble(i)));
            }
            double rel = magnitude == 0 ? err : err / magnitude;
            assertThat(rel).as("error of %s relative to its magnitude %s", name, magnitude).isLessThanOrEqualTo(relative);
            worst = Math.max(worst, rel);
        }
        return worst;
    }
}
