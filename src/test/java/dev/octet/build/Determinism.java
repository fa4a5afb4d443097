package dev.octet.build;

import dev.octet.CompileOptions;
import dev.octet.Octet;
import dev.octet.ir.Model;
import dev.octet.ir.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Runs a compiled model 100 times at 1, 2 and 4 threads on one seeded input and counts the runs whose output bits
 * differ from the first run at 1 thread (issue 4's determinism check). Not a test: run its main with the test class
 * path, e.g. {@code java -cp target/classes:target/test-classes:$(cat target/octet.classpath)
 * dev.octet.build.Determinism MODEL.onnx 1,3,224,224}.
 */
public final class Determinism {
    private static final int RUNS = 100;

    private Determinism() {
    }

    public static void main(String[] args) {
        Model m = Octet.load(Path.of(args[0]));
        int[] shape = Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray();
        float[] x = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        Map<String, Tensor> in = Map.of(m.graph().inputs().getFirst().name(), Tensor.ofFloats(shape, x));
        Tensor first = null;
        for (int threads : new int[] {1, 2, 4}) {
            try (var c = Octet.compile(m, CompileOptions.defaults().withThreads(threads))) {
                int differ = 0;
                for (int run = 0; run < RUNS; run++) {
                    Tensor y = c.run(in).values().iterator().next();
                    first = first == null ? y : first;
                    differ += y.sameAs(first) ? 0 : 1;
                }
                System.out.printf("%s: %d thread(s): %d of %d runs differ from the first run at 1 thread%n", args[0],
                        threads, differ, RUNS);
            }
        }
    }
}
