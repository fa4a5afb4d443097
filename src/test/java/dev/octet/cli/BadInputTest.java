package dev.octet.cli;

import static dev.octet.cli.ErrorLines.assertApiFails;
import static dev.octet.cli.ErrorLines.assertInspectFails;
import static dev.octet.cli.ErrorLines.cli;
import static dev.octet.cli.ErrorLines.importAndInfer;
import static dev.octet.testing.OnnxModels.floats;
import static dev.octet.testing.OnnxModels.graph;
import static dev.octet.testing.OnnxModels.input;
import static dev.octet.testing.OnnxModels.ints;
import static dev.octet.testing.OnnxModels.model;
import static dev.octet.testing.OnnxModels.node;
import static dev.octet.testing.OnnxModels.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.octet.frontend.onnx.OnnxImporter;
import dev.octet.frontend.onnx.proto.Onnx.GraphProto;
import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.frontend.onnx.proto.Onnx.TensorProto;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.UnsupportedModelException;
import dev.octet.ir.op.OperatorRegistry;
import dev.octet.ir.op.ShapeInference;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.OnnxModels;
import dev.octet.testing.TestData;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind ends in one clear error line that names the file and the problem, and exit code 1: no
 * stack trace, no hang, no OutOfMemoryError. Each case is checked at the command line ({@code octet inspect},
 * which imports the model and infers its shapes) and at the API ({@link OnnxImporter}, {@link ShapeInference},
 * {@link ReferenceInterpreter}). External data that leads out of the model's folder: {@link ExternalDataTest}.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path write(String name, ModelProto m) {
        return OnnxModels.write(m, dir.resolve(name));
    }

    // ---------------------------------------------------------------- files that are not ONNX models

    @Test
    void anEmptyFileIsNamedAsEmpty() throws IOException {
        Path f = write("empty.onnx", new byte[0]);
        assertInspectFails(f, "empty");
        assertApiFails(f, OctetException.class, f.toString(), "empty");
    }

    @Test
    void randomBytesAreNotAModel() throws IOException {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Path f = write("random.onnx", junk);
        assertInspectFails(f, "not");
        assertApiFails(f, OctetException.class, f.toString(), "ONNX model");
    }

    @Test
    void aJpegRenamedToOnnxIsRecognisedAsAnImage() throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 4, 0xFF8800);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "jpg", jpeg)).isTrue();
        Path f = write("photo.onnx", jpeg.toByteArray());
        assertInspectFails(f, "JPEG image, not an ONNX model");
        assertApiFails(f, OctetException.class, f.toString(), "JPEG");
    }

    @Test
    void aTruncatedRealModelIsNamedTruncated() throws IOException {
        byte[] model = Files.readAllBytes(TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        Path f = write("cls-truncated.onnx", Arrays.copyOf(model, model.length / 2));
        assertInspectFails(f, "truncated");
        assertApiFails(f, OctetException.class, f.toString(), "truncated");
    }

    @Test
    void aMissingFileAndAFolderAreNamed() throws IOException {
        assertInspectFails(dir.resolve("nothing.onnx"), "no such file");
        assertInspectFails(Files.createDirectories(dir.resolve("folder.onnx")), "is a folder");
    }

    // ---------------------------------------------------------------- tensors that lie about their size

    private Path convWithWeights(String file, TensorProto.Builder w) {
        GraphProto.Builder g = OnnxModels.convGraph(3, 3);
        g.setInitializer(0, w);
        return write(file, model(g));
    }

    @Test
    void rawDataShorterOrLongerThanTheDimsIsRejectedNamingTheTensor() {
        Path shorter = convWithWeights("short.onnx", floats("w", new long[] {1, 1, 3, 3}, new float[8]));
        assertInspectFails(shorter, "tensor 'w'", "32 bytes", "needs 36");
        assertApiFails(shorter, OctetException.class, shorter.toString(), "tensor 'w'", "needs 36");
        Path longer = convWithWeights("long.onnx", floats("w", new long[] {1, 1, 3, 3}, new float[10]));
        assertInspectFails(longer, "tensor 'w'", "40 bytes", "needs 36");
    }

    @Test
    void dimsClaimingATrillionElementsFailBeforeAnyAllocation() {
        Path trillion = convWithWeights("trillion.onnx", floats("w", new long[] {1_000_000, 1_000_000}, 1, 2));
        assertInspectFails(trillion, "tensor 'w'", "more than 2^31 elements");
        assertApiFails(trillion, OctetException.class, "tensor 'w'", "2^31");
        // Fits a Java array (10^9 floats, 4 GB) but the file holds 8 bytes: refused from the sizes alone.
        Path billion = convWithWeights("billion.onnx", floats("w", new long[] {100_000, 10_000}, 1, 2));
        assertInspectFails(billion, "tensor 'w'", "8 bytes", "needs 4000000000");
    }

    @Test
    void aGraphInputDeclaredBeyondTwoToThe31ElementsIsRefusedAtImport() {
        Path f = write("huge-input.onnx", model(graph("huge").addInput(input("x", DataType.FLOAT, 1 << 20, 1 << 12))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(output("y"))));
        assertInspectFails(f, "value 'x'", "f32[1048576,4096]", "more than 2^31 elements");
        Path g = write("long-dim.onnx", model(graph("long").addInput(input("x", DataType.FLOAT, 1L << 40))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(output("y"))));
        assertApiFails(g, OctetException.class, g.toString(), "value 'x'", "2^31");
    }

    // ---------------------------------------------------------------- graphs that are not DAGs

    @Test
    void aTwoNodeCycleIsNamed() {
        Path f = write("cycle.onnx", model(graph("cycle").addInput(input("x", DataType.FLOAT, 1, 4))
                .addNode(node("Add", List.of("x", "b"), List.of("a")))
                .addNode(node("Relu", List.of("a"), List.of("b")))
                .addOutput(output("b"))));
        assertInspectFails(f, "cycle", "node 'a' (Add)");
        assertApiFails(f, OctetException.class, f.toString(), "cycle");
    }

    @Test
    void aNodeReadingAValueNobodyProducesIsNamed() {
        Path f = write("dangling.onnx", model(graph("dangling").addInput(input("x", DataType.FLOAT, 1, 4))
                .addNode(node("Add", List.of("x", "ghost"), List.of("y"))).addOutput(output("y"))));
        assertInspectFails(f, "node 'y' (Add)", "'ghost' is not produced");
        assertApiFails(f, OctetException.class, f.toString(), "'ghost'");
    }

    // ---------------------------------------------------------------- what Octet does not implement

    @Test
    void anUnknownOperatorIsNamedWithItsNode() {
        Path f = write("frob.onnx", model(graph("frob").addInput(input("x", DataType.FLOAT, 1, 4))
                .addNode(node("Frobnicate", List.of("x"), List.of("y"))).addOutput(output("y"))));
        assertInspectFails(f, "node 'y' (Frobnicate)", "operator 'Frobnicate' is not supported");
        assertThatThrownBy(() -> importAndInfer(f)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("'Frobnicate'");
    }

    @Test
    void opsetsOutsideNineToSeventeenAreNamed() {
        for (int opset : new int[] {7, 99}) {
            Path f = write("opset" + opset + ".onnx", model(OnnxModels.reluGraph(), opset));
            assertInspectFails(f, "opset " + opset + " is not supported", "9 to 17");
            assertApiFails(f, UnsupportedModelException.class, f.toString(), "opset " + opset);
        }
    }

    // ---------------------------------------------------------------- nodes whose attributes make no sense

    @Test
    void aConstantWithoutItsValueAttributeIsNamed() {
        Path f = write("const.onnx", model(graph("const").addNode(node("Constant", List.of(), List.of("c")))
                .addOutput(output("c"))));
        assertInspectFails(f, "node 'c' (Constant)", "needs exactly one value attribute", "has none");
        assertApiFails(f, OctetException.class, f.toString(), "node 'c' (Constant)");
    }

    @Test
    void aMissingRequiredAttributeIsNamed() {
        // Cast's 'to' and Concat's 'axis' have no default in any opset.
        for (String op : List.of("Cast", "Concat")) {
            Assumptions.assumeTrue(OperatorRegistry.supports("", op), op + " is not implemented yet");
            Path f = write(op + ".onnx", model(graph(op).addInput(input("x", DataType.FLOAT, 1, 4))
                    .addNode(node(op, List.of("x"), List.of("y"))).addOutput(output("y"))));
            String attr = op.equals("Cast") ? "'to'" : "'axis'";
            assertInspectFails(f, "node 'y' (" + op + ")", attr);
            assertApiFails(f, OctetException.class, "node 'y' (" + op + ")", attr);
        }
    }

    @Test
    void aNegativeKernelSizeIsNamed() {
        Assumptions.assumeTrue(OperatorRegistry.supports("", "Conv"), "Conv is not implemented yet");
        Path f = write("negative-kernel.onnx", OnnxModels.conv(-3, -3));
        assertInspectFails(f, "node 'y' (Conv)", "kernel");
        assertApiFails(f, OctetException.class, "node 'y' (Conv)", "kernel");
        Assumptions.assumeTrue(OperatorRegistry.supports("", "MaxPool"), "MaxPool is not implemented yet");
        Path pool = write("negative-pool.onnx", model(graph("pool")
                .addInput(input("x", DataType.FLOAT, 1, 1, 5, 5))
                .addNode(node("MaxPool", List.of("x"), List.of("y"), ints("kernel_shape", -2, -2)))
                .addOutput(output("y"))));
        assertInspectFails(pool, "node 'y' (MaxPool)", "kernel");
    }

    // ---------------------------------------------------------------- inputs that do not fit the model

    /** A graph without nodes, x: f32[1,3,N,N] → x, so that input checking is tested apart from any operator. */
    private ReferenceInterpreter identity() {
        Path f = write("identity.onnx", model(graph("identity")
                .addInput(input("x", DataType.FLOAT, 1, 3, -1, -1)).addOutput(output("x"))));
        return new ReferenceInterpreter(OnnxImporter.load(f).graph());
    }

    @Test
    void aRunWithTheRightInputSucceeds() {
        Tensor x = Tensor.ofFloats(new int[] {1, 3, 2, 2}, new float[12]);
        assertThat(identity().run(Map.of("x", x)).get("x").shape()).containsExactly(1, 3, 2, 2);
    }

    @Test
    void aWrongInputRankSizeOrDtypeIsNamed() {
        ReferenceInterpreter interp = identity();
        Tensor rank3 = Tensor.ofFloats(new int[] {3, 2, 2}, new float[12]);
        assertThatThrownBy(() -> interp.run(Map.of("x", rank3))).isInstanceOf(OctetException.class)
                .hasMessageContaining("input 'x'").hasMessageContaining("f32[1,3,d2,d3]")
                .hasMessageContaining("rank 3");
        Tensor fourChannels = Tensor.ofFloats(new int[] {1, 4, 2, 2}, new float[16]);
        assertThatThrownBy(() -> interp.run(Map.of("x", fourChannels))).isInstanceOf(OctetException.class)
                .hasMessageContaining("input 'x'").hasMessageContaining("dimension 1 must be 3");
        Tensor ints = Tensor.ofLongs(DataType.INT64, new int[] {1, 3, 2, 2}, new long[12]);
        assertThatThrownBy(() -> interp.run(Map.of("x", ints))).isInstanceOf(OctetException.class)
                .hasMessageContaining("input 'x'").hasMessageContaining("expected f32").hasMessageContaining("i64");
        assertThatThrownBy(() -> interp.run(Map.of())).isInstanceOf(OctetException.class)
                .hasMessageContaining("input 'x'").hasMessageContaining("missing");
    }

    /** `octet run MODEL --input x=FILE` fails with one line naming the model, the input and what it expected. */
    private void assertRunFails(Path model, Tensor given, String... mentions) {
        Path pb = dir.resolve("given-" + Arrays.toString(given.shape()).replaceAll("\\D+", "_") + given.dtype()
                + ".pb");
        OnnxModels.writeTensor(given, "x", pb);
        ErrorLines.Run r = cli("run", model.toString(), "--input", "x=" + pb);
        assertThat(r.exit()).as("exit code; stderr: %s", r.err()).isEqualTo(1);
        assertThat(r.err().lines().toList()).as("stderr lines").hasSize(1);
        System.out.println(r.err().strip());
        assertThat(r.err().strip()).startsWith("octet: error: " + model + ": ").contains(mentions);
        ErrorLines.assertNoJavaInternals(r.err());
    }

    @Test
    void aWrongInputRankSizeOrDtypeAtTheCommandLineIsNamed() {
        Assumptions.assumeTrue(OperatorRegistry.supports("", "Relu"), "Relu is not implemented yet");
        Path m = write("relu4d.onnx", model(graph("relu").addInput(input("x", DataType.FLOAT, 1, 3, 4, 4))
                .addNode(node("Relu", List.of("x"), List.of("y"))).addOutput(output("y"))));
        Tensor right = Tensor.ofFloats(new int[] {1, 3, 4, 4}, new float[48]);
        Path pb = OnnxModels.writeTensor(right, "x", dir.resolve("right.pb"));
        assertThat(cli("run", m.toString(), "--input", "x=" + pb).exit()).isZero();
        assertRunFails(m, Tensor.ofFloats(new int[] {3, 4, 4}, new float[48]), "input 'x'", "f32[1,3,4,4]",
                "rank 3");
        assertRunFails(m, Tensor.ofFloats(new int[] {1, 3, 4, 5}, new float[60]), "input 'x'",
                "dimension 3 must be 4");
        assertRunFails(m, Tensor.ofLongs(DataType.INT64, new int[] {1, 3, 4, 4}, new long[48]), "input 'x'",
                "expected f32", "i64");
    }

    // ---------------------------------------------------------------- names from the file cannot break the line

    @Test
    void inspectPrintsNamesFromTheFileEscaped() {
        Assumptions.assumeTrue(OperatorRegistry.supports("", "Relu"), "Relu is not implemented yet");
        String evil = "x\u001b[2J\nfake line";
        Path f = write("evil-names.onnx", model(graph("g").addInput(input(evil, DataType.FLOAT, 1, 4))
                .addNode(node("Relu", List.of(evil), List.of("y"))).addOutput(output("y"))));
        ErrorLines.Run r = cli("inspect", f.toString());
        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("input     x\\u001b[2J\\nfake line: f32[1,4]").doesNotContain("\u001b")
                .doesNotContain("\nfake line");
    }

    @Test
    void messagesNestedTenThousandLevelsDeepEndInOneLine() throws IOException {
        // TypeProto.sequence_type (4) -> Sequence.elem_type (1) -> TypeProto ... inside graph.input[0].type.
        ByteString type = ByteString.EMPTY;
        for (int i = 0; i < 10_000; i++) {
            type = field(4, field(1, type));
        }
        byte[] model = field(7, field(11, field(1, ByteString.copyFromUtf8("x"))
                .concat(field(2, type)))).toByteArray();
        Path f = write("deep.onnx", model);
        assertInspectFails(f, "not a valid ONNX model", "nested more than 100 levels deep");
    }

    /** One length-delimited protobuf field. */
    private static ByteString field(int number, ByteString body) {
        ByteString.Output out = ByteString.newOutput();
        try {
            CodedOutputStream c = CodedOutputStream.newInstance(out);
            c.writeBytes(number, body);
            c.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteString();
    }

    @Test
    void namesWithLineBreaksStayOnOneLine() {
        Path f = write("newline.onnx", model(graph("g").addInput(input("x", DataType.FLOAT, 1, 4))
                .addNode(node("Frob\nnicate", List.of("x"), List.of("y\r\nat java.lang.Fake"))).addOutput(
                        output("y\r\nat java.lang.Fake"))));
        ErrorLines.Run r = cli("inspect", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).contains("Frob\\nnicate");
    }
}
