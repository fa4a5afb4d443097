package dev.octet.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.octet.frontend.onnx.OnnxWriter;
import dev.octet.ir.Model;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX Runtime loads every written zoo model (so the files are valid ONNX), runs it at batch 2 and gives [2, 1000]
 * logits whose spread shows that the random weights keep activations in range through the whole depth.
 */
class ZooOrtTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "vgg16", "inceptionv3", "mobilenetv2"})
    void onnxRuntimeRunsTheWrittenFileAtBatchTwo(String name) throws OrtException {
        Model model = Zoo.get(name).build();
        int size = (int) model.graph().inputs().get(0).type().dims().get(2).value();
        Path file = dir.resolve(name + ".onnx");
        OnnxWriter.write(model, file);
        model = null;

        float[][] logits = runOrt(file, 2, size, 1);
        assertThat(logits).hasNumberOfRows(2);
        assertThat(logits[0]).hasSize(1000);
        for (float[] row : logits) {
            double std = std(row);
            System.out.printf("%s: logits std %.3f%n", name, std);
            assertThat(std).as("standard deviation of the logits").isBetween(0.1, 100.0);
        }
        assertThat(logits[0]).as("two random images give different logits").isNotEqualTo(logits[1]);
    }

    /** Runs a model file in ONNX Runtime on one thread with a standard normal input of a fixed seed. */
    static float[][] runOrt(Path file, int batch, int size, long seed) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(file.toString(), options);
                    OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(randomInput(batch, size, seed)),
                            new long[] {batch, 3, size, size});
                    OrtSession.Result result = session.run(Map.of("input", input))) {
                return (float[][]) result.get("logits").orElseThrow().getValue();
            }
        }
    }

    static float[] randomInput(int batch, int size, long seed) {
        Random r = new Random(seed);
        float[] x = new float[batch * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static double std(float[] v) {
        double mean = 0;
        for (float f : v) {
            assertThat(Float.isFinite(f)).as("finite logits").isTrue();
            mean += f;
        }
        mean /= v.length;
        double sq = 0;
        for (float f : v) {
            sq += (f - mean) * (f - mean);
        }
        return Math.sqrt(sq / v.length);
    }
}
