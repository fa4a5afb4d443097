package dev.octet.pass;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.runtime.ReferenceInterpreter;
import dev.octet.testing.QdqGraphBuilder;
import dev.octet.testing.QdqGraphBuilder.Act;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FuseQuantizedLookupTest {
    /** Between two int8 convs, the exported HardSwish becomes one table lookup with exactly its results. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"UINT8", "INT8"})
    void aFloatHardSwishBetweenTwoQuantizedValuesBecomesAnExactLookup(DataType type) {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_hswish", 3);
        String x = b.input("x", 1, 4, 6, 6);
        String c = b.conv(x, 8, 3, 1, 1, 1, Act.NONE, type, false);
        String h = b.hardSwish(c, type == DataType.UINT8 ? DataType.INT8 : DataType.UINT8);
        String y = b.conv(h, 4, 1, 1, 0, 1, Act.RELU, DataType.UINT8, false);
        Graph before = b.build(y);
        Graph after = new FuseQuantizedLookup().apply(before);
        assertThat(after.nodes()).extracting(Node::opType).contains("QLinearLookup")
                .doesNotContain("Clip", "Div");
        for (long s = 0; s < 4; s++) {
            long seed = s;
            Map<String, Tensor> in = QdqGraphBuilder.randomInputs(before, seed);
            Map<String, Tensor> expected = new ReferenceInterpreter(before).run(in);
            Map<String, Tensor> actual = new ReferenceInterpreter(after).run(in);
            expected.forEach((name, t) -> assertThat(actual.get(name).sameAs(t)).as("%s, seed %d", name, seed)
                    .isTrue());
        }
    }

    @Test
    void aPerChannelConstantIsNotOneFunctionOfTheElementAndStaysFloat() {
        QdqGraphBuilder b = new QdqGraphBuilder("qdq_channel_scale", 4);
        String x = b.input("x", 1, 4, 6, 6);
        String c = b.conv(x, 4, 3, 1, 1, 1, Act.RELU, DataType.UINT8, false);
        Graph before = b.build(b.channelScale(c, DataType.UINT8));
        assertThat(new FuseQuantizedLookup().apply(before)).isSameAs(before);
    }
}
