package dev.octet.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.octet.CompileOptions;
import dev.octet.codegen.c.CCompiler;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.pass.FuseQuantizedAdd;
import dev.octet.pass.FuseQuantizedConv;
import dev.octet.runtime.CompiledModel;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small ResNet-like int8 model (two bottleneck-style blocks whose residual adds have a ReLU, one whose last
 * convolution is s8) compiled natively: its residual adds are fused into the convolutions' kernels
 * (octet.QLinearConvAdd, the GEMM template's residual stage), and the outputs equal, byte for byte, what the
 * unfused integer graph (QLinearConv then octet.QLinearAdd, the two-node result) computes, at 1, 2 and 4 threads.
 * The QDQ form the quantizer exports is untouched: its simplification never fuses.
 */
class Int8ResidualModelTest {
    static Graph model() {
        QdqGraphBuilder b = new QdqGraphBuilder("resnet_like", 21);
        String x = b.input("x", 1, 8, 17, 19); // 323 pixels: several pixel panels per image
        String c1 = b.conv(x, 8, 3, 1, 1, 1, Act.RELU, DataType.UINT8, true);
        String c2 = b.conv(c1, 8, 3, 1, 1, 1, Act.NONE, DataType.UINT8, false);
        String a1 = b.add(x, c2, true, DataType.UINT8);
        String c3 = b.conv(a1, 12, 1, 1, 0, 1, Act.RELU, DataType.UINT8, true);
        String c4 = b.conv(c3, 8, 1, 1, 0, 1, Act.NONE, DataType.INT8, false);
        String a2 = b.add(c4, a1, true, DataType.UINT8);
        String c5 = b.conv(a2, 8, 3, 1, 1, 1, Act.CLIP, DataType.UINT8, false);
        String a3 = b.add(a2, c5, false, DataType.UINT8);
        return b.build(a3);
    }

    @Test
    void fusedResidualAddsGiveTheTwoNodeResultBitForBit() {
        assumeTrue(CCompiler.find() != null, "no C compiler on this machine");
        Graph g = model();
        Graph fused = ModelCompiler.simplify(g);
        assertThat(fused.nodes()).filteredOn(n -> n.opType().equals("QLinearConvAdd")).hasSize(3);
        assertThat(fused.nodes()).extracting(Node::opType).doesNotContain("QLinearAdd");
        Graph twoNodes = new FuseQuantizedAdd().apply(new FuseQuantizedConv().apply(g));
        assertThat(twoNodes.nodes()).filteredOn(n -> n.opType().equals("QLinearAdd")).hasSize(3);
        for (long s = 0; s < 3; s++) {
            long seed = s;
            Map<String, Tensor> inputs = QdqGraphBuilder.randomInputs(g, seed);
            Map<String, Tensor> expected = new ReferenceInterpreter(twoNodes).run(inputs);
            Map<String, Tensor> reference = new ReferenceInterpreter(fused).run(inputs);
            expected.forEach((name, t) -> assertThat(reference.get(name).sameAs(t)).as("fused reference").isTrue());
            for (int n : new int[] {1, 2, 4}) {
                int threads = n;
                try (CompiledModel m = ModelCompiler.compile(g, TestGraphs.OPTIONS.withThreads(n)
                        .withBackend(CompileOptions.Backend.NATIVE))) {
                    assertThat(m.stepDescriptions()).noneMatch(d -> d.startsWith("reference"))
                            .filteredOn(d -> d.startsWith("conv_int8_gemm") && d.endsWith("+residual")).hasSize(3);
                    Map<String, Tensor> out = m.run(inputs);
                    expected.forEach((name, t) -> assertThat(out.get(name).sameAs(t))
                            .as("%s at %d threads, seed %d", name, threads, seed).isTrue());
                }
            }
        }
    }

    @Test
    void theQuantizersSimplificationKeepsTheQdqForm() {
        Graph g = ModelCompiler.simplifyForQuantization(model());
        assertThat(g.nodes()).allMatch(n -> n.domain().isEmpty())
                .noneMatch(n -> n.opType().startsWith("QLinear"));
    }
}
