package dev.octet.cli;

import static dev.octet.testing.OnnxModels.model;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.octet.frontend.onnx.proto.Onnx.StringStringEntryProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.DataType;
import dev.octet.testing.JavaProcess;
import dev.octet.testing.OnnxModels;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a 256 MiB heap, models whose tensors need more memory than that end in one clear error line that says how
 * much was needed and how to get it, never in an OutOfMemoryError stack trace or a crashed JVM; and the largest
 * real model still loads. Each case runs the CLI in a JVM of its own.
 */
class SmallHeapTest {
    private static final List<String> SMALL_HEAP = List.of("-Xmx256m", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    private static JavaProcess.Result inspect(Path model) {
        return JavaProcess.cli(SMALL_HEAP, List.of("inspect", model.toString()), 180);
    }

    /** Exit code 1, one line "octet: error: FILE: ... needs N MiB ... -Xmx", nothing of a crash. */
    private static void assertClearMemoryError(JavaProcess.Result r, Path model) {
        assertThat(r.exit()).as("exit code; output: %s", r.all()).isEqualTo(1);
        assertThat(r.errLines()).as("stderr: %s", r.err()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("octet: error: " + model).contains("MiB", "-Xmx");
        assertNoCrash(r);
    }

    private static void assertNoCrash(JavaProcess.Result r) {
        assertThat(r.all()).doesNotContain("OutOfMemoryError", "\tat ", "A fatal error has been detected",
                "hs_err");
    }

    @Test
    void anInt8TensorThatWouldNeedTwiceTheHeapIsRefusedClearly() {
        // 40 MiB of int8 in the file, 320 MiB once widened to Octet's long[] storage.
        int n = 40 << 20;
        TensorProto big = TensorProto.newBuilder().setName("big").setDataType(DataType.INT8.onnxCode())
                .addDims(40).addDims(1024).addDims(1024).setRawData(ByteString.copyFrom(new byte[n])).build();
        Path model = OnnxModels.write(model(OnnxModels.reluGraph().addInitializer(big)), dir.resolve("big.onnx"));
        JavaProcess.Result r = inspect(model);
        assertClearMemoryError(r, model);
        assertThat(r.err()).contains("tensor 'big'", "needs 320 MiB");
    }

    @Test
    void externalDataLargerThanTheFreeHeapIsRefusedClearly() throws IOException {
        // 200 MiB of floats (a sparse file: no disk space): the bytes and the float[] do not both fit.
        long bytes = 200L << 20;
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("w.bin").toFile(), "rw")) {
            f.setLength(bytes);
        }
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(DataType.FLOAT.onnxCode())
                .addDims(bytes / 4).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
        Path model = OnnxModels.write(model(OnnxModels.reluGraph().addInitializer(w)), dir.resolve("ext.onnx"));
        JavaProcess.Result r = inspect(model);
        assertClearMemoryError(r, model);
        assertThat(r.err()).contains("tensor 'w'", "needs");
    }

    @Test
    void theLargestRealModelLoadsInASmallHeap() {
        Path rec = TestData.ppocr("ch_PP-OCRv4_rec_infer.onnx");
        JavaProcess.Result r = inspect(rec);
        assertNoCrash(r);
        if (r.exit() == 0) {
            assertThat(r.out()).contains("params", "nodes");
        } else {
            // An operator Octet does not have yet: still one clear line.
            assertThat(r.exit()).as("output: %s", r.all()).isEqualTo(1);
            assertThat(r.errLines()).as("stderr: %s", r.err()).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("octet: error: " + rec);
        }
    }
}
