package dev.octet.oracle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ONNX Runtime's own time per node of a model (its profiler's "Node" events), best of the runs after warm-up: what
 * each Octet step is up against. Not a test:
 * {@code java ... dev.octet.oracle.OrtNodeTimings MODEL N,C,H,W [RUNS]} ({@code -Dthreads=N}, default 1).
 */
public final class OrtNodeTimings {
    private static final Pattern EVENT = Pattern.compile(
            "\"cat\"\\s*:\\s*\"Node\".*?\"name\"\\s*:\\s*\"([^\"]*)_kernel_time\".*?\"dur\"\\s*:\\s*(\\d+)"
                    + "|\"cat\"\\s*:\\s*\"Node\".*?\"dur\"\\s*:\\s*(\\d+).*?\"name\"\\s*:\\s*\"([^\"]*)_kernel_time\"");

    private OrtNodeTimings() {
    }

    public static void main(String[] args) throws Exception {
        long[] shape = Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "octet");
        Path prefix = Files.createTempDirectory("ort-profile").resolve("r");
        Path file;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Integer.getInteger("threads", 1));
            options.setInterOpNumThreads(1);
            options.enableProfiling(prefix.toString());
            try (OrtSession session = env.createSession(args[0], options)) {
                float[] x = new float[(int) Arrays.stream(shape).reduce(1, Math::multiplyExact)];
                Random r = new Random(1);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (r.nextDouble() * 2 - 1);
                }
                String input = session.getInputNames().iterator().next();
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
                    for (int i = 0; i < runs + 5; i++) {
                        session.run(Map.of(input, t)).close();
                    }
                }
                file = Path.of(session.endProfiling());
            }
        }
        Map<String, Long> best = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String event : Files.readString(file).split("\\},\\s*\\{")) {
            Matcher m = EVENT.matcher(event);
            if (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(4);
                long dur = Long.parseLong(m.group(2) != null ? m.group(2) : m.group(3));
                int n = seen.merge(name, 1, Integer::sum);
                if (n > 5) { // the first runs are warm-up
                    best.merge(name, dur, Math::min);
                }
            }
        }
        long total = 0;
        for (Map.Entry<String, Long> e : best.entrySet()) {
            System.out.printf("    %8.3f ms  %s%n", e.getValue() / 1e3, e.getKey());
            total += e.getValue();
        }
        System.out.printf("sum of nodes' best: %.2f ms (%d nodes; profile %s)%n", total / 1e3, best.size(), file);
    }
}
