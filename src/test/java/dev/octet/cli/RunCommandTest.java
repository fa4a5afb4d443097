package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.octet.data.TensorFiles;
import dev.octet.ir.Tensor;
import dev.octet.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `octet run` on models without operators (graph output = input), so that only the CLI and data code run. */
class RunCommandTest {
    @TempDir
    Path dir;

    private Path image(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 0, 0xFF0000);
        Path file = dir.resolve("img.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void runsAnImageModelOnAnImageAndSummarisesTheOutput() throws Exception {
        Path model = TinyModels.identity(dir, "tiny.onnx", 1, 3, 4, 4);
        CliRun r = CliRun.of("run", model.toString(), "--input", image(4, 4).toString(), "--top", "2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("input   x: f32[1,3,4,4] <- image", "image model preprocessing",
                "output  x  f32[1,3,4,4]", "min 0  max 1  mean 0.0208333", "top 2:  [0, 0, 0, 1] 1  [0, 0, 0, 0] 0");
    }

    @Test
    void printsOneJsonObjectPerOutputAndSavesOutputs() throws Exception {
        Path model = TinyModels.identity(dir, "tiny.onnx", 0, 2);
        Path input = dir.resolve("in.npy");
        TensorFiles.save(input, "x", Tensor.ofFloats(new int[] {2, 2}, 0.1f, 0.9f, 0.7f, 0.3f));
        Path saved = dir.resolve("out.npy");
        CliRun r = CliRun.of("run", model.toString(), "--input", "x=" + input, "--json", "--top", "1",
                "--save-output", saved.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode j = new ObjectMapper().readTree(lines[0]);
        assertThat(j.get("output").asText()).isEqualTo("x");
        assertThat(j.get("shape").toString()).isEqualTo("[2,2]");
        assertThat(j.get("max").asDouble()).isEqualTo(0.9f);
        // A [batch, classes] output lists each row's top classes.
        assertThat(j.get("top_classes").toString()).isEqualTo("[[{\"class\":1,\"score\":" + (double) 0.9f
                + "}],[{\"class\":0,\"score\":" + (double) 0.7f + "}]]");
        assertThat(TensorFiles.load(saved).sameAs(TensorFiles.load(input))).isTrue();
    }

    @Test
    void randomInputsFillOpenDimensionsFromShape() {
        Path model = TinyModels.identity(dir, "tiny.onnx", -1, 5);
        CliRun r = CliRun.of("run", model.toString(), "--shape", "3,5", "--seed", "7");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("x: f32[3,5] <- random values");
        assertThat(CliRun.of("run", model.toString(), "--shape", "3,5", "--seed", "7").out()).isEqualTo(r.out());
        assertThat(CliRun.of("run", model.toString(), "--shape", "3,5", "--seed", "8").out()).isNotEqualTo(r.out());
    }

    @Test
    void badInputsEndInOneLine() {
        Path model = TinyModels.identity(dir, "tiny.onnx", 2, -1);
        CliRun open = CliRun.of("run", model.toString());
        assertThat(open.exitCode()).isEqualTo(1);
        assertThat(open.err()).contains("octet: error: ", "input 'x' has open dimensions (f32[2,?]); give them with "
                + "--shape x=...");
        assertThat(CliRun.of("run", model.toString(), "--shape", "3,4").err()).contains("is fixed at 2");
        assertThat(CliRun.of("run", model.toString(), "--input", "text:hello").err())
                .contains("does not take an image");
        assertThat(CliRun.of("run", model.toString(), "--input", "random", "--input", "random").err())
                .contains("the model has no input left for it");
        CliRun missing = CliRun.of("run", model.toString(), "--input", dir.resolve("nope.npy").toString());
        assertThat(missing.err().strip()).endsWith("nope.npy: no such file").doesNotContain("\n");
    }
}
