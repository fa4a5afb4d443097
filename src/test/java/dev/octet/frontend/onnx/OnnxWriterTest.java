package dev.octet.frontend.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.frontend.onnx.proto.Onnx.ModelProto;
import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.Graph;
import dev.octet.ir.GraphPrinter;
import dev.octet.ir.Layout;
import dev.octet.ir.Model;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxWriterTest {
    @TempDir
    Path dir;

    @Test
    void aRealModelSurvivesWriteAndReadUnchanged() {
        Model original = OnnxImporter.load(TestData.ppocr("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
        Path file = dir.resolve("cls.onnx");
        OnnxWriter.write(original, file);
        Model again = OnnxImporter.load(file);

        assertSameGraph(again.graph(), original.graph());
        assertThat(again.producer()).isEqualTo("octet");
        assertThat(again.metadata()).isEqualTo(original.metadata());
    }

    @Test
    void writesOpsetIrVersionProducerAndValueInfo() {
        ModelProto p = OnnxWriter.toProto(Model.of(tinyGraph(Map.of())));
        assertThat(p.getIrVersion()).isEqualTo(8);
        assertThat(p.getProducerName()).isEqualTo("octet");
        assertThat(p.getOpsetImportList()).singleElement()
                .satisfies(o -> assertThat(o.getDomain()).isEmpty())
                .satisfies(o -> assertThat(o.getVersion()).isEqualTo(13));
        var input = p.getGraph().getInput(0).getType().getTensorType();
        assertThat(input.getElemType()).isEqualTo(1);
        assertThat(input.getShape().getDim(0).getDimParam()).isEqualTo("N");
        assertThat(input.getShape().getDim(1).getDimValue()).isEqualTo(4);
        assertThat(input.getShape().getDim(2).hasDimValue() || input.getShape().getDim(2).hasDimParam()).isFalse();
        assertThat(p.getGraph().getInitializerList()).extracting(t -> t.getName())
                .containsExactlyInAnyOrder("w", "i8", "h", "flags", "names", "d");
        assertThat(p.getGraph().getInputCount()).as("initializers are not graph inputs").isEqualTo(1);
    }

    @Test
    void everyAttributeKindConstantTypeAndDimKindRoundTrips() {
        Graph g = tinyGraph(Map.of("", 13, "com.example", 2));
        Path file = dir.resolve("tiny.onnx");
        OnnxWriter.write(g, file);
        Graph again = OnnxImporter.load(file).graph();
        assertSameGraph(again, g);
        Node custom = again.nodes().get(1);
        assertThat(custom.domain()).isEqualTo("com.example");
        assertThat(custom.attributes().getFloats("fs")).containsExactly(0.5f, -2f);
        assertThat(custom.attributes().getStrings("ss")).containsExactly("a", "βγ");
        assertThat(custom.attributes().getTensor("t").sameAs(Tensor.int64Vector(3, -4))).isTrue();
    }

    @Test
    void aGraphWithoutTheDefaultOpsetGetsOpset13() {
        Graph g = new Graph("g", List.of(new Value("x", TensorType.of(DataType.FLOAT, 2))),
                List.of(new Value("y", null)), List.of(Node.of("r", "Relu", List.of("x"), List.of("y"))), Map.of(),
                Map.of(), Map.of());
        assertThat(OnnxWriter.toProto(Model.of(g)).getOpsetImport(0).getVersion()).isEqualTo(13);
    }

    @Test
    void refusesABlockedLayoutAndLeavesNoFileBehind() throws IOException {
        TensorType blocked = TensorType.of(DataType.FLOAT, 1, 8, 4, 4).withLayout(Layout.NCHW8C);
        Graph g = new Graph("g", List.of(new Value("x", blocked)), List.of(new Value("y", null)),
                List.of(Node.of("r", "Relu", List.of("x"), List.of("y"))), Map.of(), Map.of(), Map.of("", 13));
        Path file = dir.resolve("blocked.onnx");
        assertThatThrownBy(() -> OnnxWriter.write(g, file)).isInstanceOf(OctetException.class)
                .hasMessageContaining("layout nchw8c");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theFileGetsTheUsualPermissionsNotATempFilesOwnerOnlyOnes() throws IOException {
        Path file = dir.resolve("m.onnx");
        OnnxWriter.write(tinyGraph(Map.of("", 13)), file);
        Path plain = Files.createFile(dir.resolve("plain"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m.onnx", "plain");
        }
    }

    @Test
    void anUnwritablePlaceIsOneClearError() throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> OnnxWriter.write(tinyGraph(Map.of("", 13)), notADir.resolve("m.onnx")))
                .isInstanceOf(OctetException.class).hasMessageContaining("cannot write");
    }

    /** Two nodes carrying all seven attribute kinds, constants of several element types, all kinds of dims. */
    private static Graph tinyGraph(Map<String, Integer> opsets) {
        TensorType in = new TensorType(DataType.FLOAT, List.of(Dim.symbol("N"), Dim.of(4), Dim.unknown()));
        Node relu = Node.of("first", "Relu", List.of("x"), List.of("r"), Attribute.of("i", -7L),
                Attribute.of("f", 1.25f), Attribute.of("s", "text"));
        Node custom = new Node("second", "Custom", "com.example", List.of("r", "w", "", "i8"), List.of("y", "z"),
                dev.octet.ir.Attributes.of(Attribute.of("is", 1L, 2L, 3L), Attribute.of("fs", 0.5f, -2f),
                        Attribute.ofStrings("ss", List.of("a", "βγ")),
                        Attribute.of("t", Tensor.int64Vector(3, -4))));
        Map<String, Tensor> constants = new java.util.LinkedHashMap<>();
        constants.put("w", Tensor.ofFloats(new int[] {2, 2}, 1, -0f, Float.NaN, 3e-40f));
        constants.put("i8", Tensor.ofLongs(DataType.INT8, new int[] {3}, -128, 0, 127));
        constants.put("h", Tensor.of(DataType.FLOAT16, new int[] {2}, new float[] {0.5f, 65504f}));
        constants.put("flags", Tensor.ofBooleans(new int[] {2}, true, false));
        constants.put("names", Tensor.of(DataType.STRING, new int[] {1}, new String[] {"ok"}));
        constants.put("d", Tensor.of(DataType.DOUBLE, new int[0], new double[] {Math.PI}));
        Map<String, TensorType> valueTypes = Map.of("r", in);
        return new Graph("tiny", List.of(new Value("x", in)),
                List.of(new Value("y", TensorType.of(DataType.FLOAT, 4)), new Value("z", null)),
                List.of(relu, custom), constants, valueTypes, opsets);
    }

    /** Printed form, constants bit for bit, node names, value types and tensor attributes. */
    static void assertSameGraph(Graph actual, Graph expected) {
        assertThat(GraphPrinter.print(actual)).isEqualTo(GraphPrinter.print(expected));
        assertThat(actual.constants().keySet()).containsExactlyInAnyOrderElementsOf(expected.constants().keySet());
        expected.constants().forEach((name, t) ->
                assertThat(actual.constants().get(name).sameAs(t)).as("constant %s", name).isTrue());
        assertThat(actual.valueTypes()).isEqualTo(expected.valueTypes());
        assertThat(actual.nodes()).extracting(Node::name)
                .containsExactlyElementsOf(expected.nodes().stream().map(Node::name).toList());
        for (int i = 0; i < expected.nodes().size(); i++) {
            for (Attribute a : expected.nodes().get(i).attributes().all()) {
                if (a.kind() == Attribute.Kind.TENSOR) {
                    Tensor t = actual.nodes().get(i).attributes().getTensor(a.name());
                    assertThat(t.sameAs((Tensor) a.value())).as("attribute %s", a.name()).isTrue();
                }
            }
        }
    }
}
