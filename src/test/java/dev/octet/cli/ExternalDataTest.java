package dev.octet.cli;

import static dev.octet.cli.ErrorLines.assertApiFails;
import static dev.octet.cli.ErrorLines.assertInspectFails;
import static dev.octet.testing.OnnxModels.floats;
import static dev.octet.testing.OnnxModels.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.StringStringEntryProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.Graph;
import dev.octet.ir.OctetException;
import dev.octet.testing.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External data is read only from regular files inside the model's folder: a relative path climbing out of it,
 * an absolute path and a symbolic link leading out are refused with one line naming the tensor and the location,
 * even where the file they point at has exactly the bytes the tensor needs.
 */
class ExternalDataTest {
    @TempDir
    Path dir;

    private Path modelWithExternalWeights(String location) {
        TensorProto.Builder w = floats("w", new long[] {1, 1, 3, 3}).clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        GraphProto.Builder g = OnnxModels.convGraph(3, 3).setInitializer(0, w);
        return OnnxModels.write(model(g), dir.resolve("model/conv.onnx"));
    }

    /** 36 bytes: exactly what w needs, so that only its location can be wrong. */
    private Path weightsFile(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[36]);
    }

    @Test
    void externalDataInsideTheFolderIsRead() throws IOException {
        weightsFile(dir.resolve("model/weights/w.bin"));
        Graph g = OnnxImporter.load(modelWithExternalWeights("weights/w.bin")).graph();
        assertThat(g.constants().get("w").shape()).containsExactly(1, 1, 3, 3);
    }

    @Test
    void externalDataWithDotDotIsRefused() {
        Path f = modelWithExternalWeights("../../etc/passwd");
        assertInspectFails(f, "tensor 'w'", "'../../etc/passwd' is not a file inside the model's folder");
        assertApiFails(f, OctetException.class, f.toString(), "../../etc/passwd");
    }

    @Test
    void externalDataAtAnAbsolutePathIsRefused() throws IOException {
        Path secret = weightsFile(dir.resolve("secret.bin"));
        Path f = modelWithExternalWeights(secret.toString());
        assertInspectFails(f, "tensor 'w'", "'" + secret + "' is not a file inside the model's folder");
        Path etc = modelWithExternalWeights("/etc/passwd");
        assertInspectFails(etc, "'/etc/passwd' is not a file inside");
    }

    @Test
    void externalDataThroughASymbolicLinkLeadingOutIsRefused() throws IOException {
        Path secret = weightsFile(dir.resolve("secret.bin"));
        Files.createDirectories(dir.resolve("model"));
        Files.createSymbolicLink(dir.resolve("model/w.bin"), secret);
        Path f = modelWithExternalWeights("w.bin");
        assertInspectFails(f, "tensor 'w'", "'w.bin' is not a file inside the model's folder");
        assertApiFails(f, OctetException.class, f.toString(), "w.bin");
    }
}
