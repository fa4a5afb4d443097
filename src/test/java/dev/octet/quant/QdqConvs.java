package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import java.util.HashMap;
import java.util.Map;

/** Checks of the agreed QDQ form on every quantized conv of a graph. */
final class QdqConvs {
    private QdqConvs() {
    }

    /**
     * Asserts, for every conv whose weights come through DequantizeLinear: INT8 weights in [−max, max] with zero
     * point 0, a per-axis (axis 0) weight scale, and an INT32 bias whose scale is s_x · s_w[o] bit for bit.
     *
     * @return the number of quantized convs
     */
    static int check(Graph g, long max) {
        Map<String, Node> producers = new HashMap<>();
        g.nodes().forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));
        int count = 0;
        for (Node conv : g.nodes()) {
            Node wdq = producers.get(conv.input(1));
            if (!conv.opType().equals("Conv") || wdq == null || !wdq.opType().equals("DequantizeLinear")) {
                continue;
            }
            count++;
            Tensor w = g.constants().get(wdq.input(0));
            float[] ws = g.constants().get(wdq.input(1)).floats();
            assertThat(w.dtype()).isEqualTo(DataType.INT8);
            assertThat(java.util.Arrays.stream(w.longs()).map(Math::abs).max().orElse(0)).as(conv.name())
                    .isLessThanOrEqualTo(max);
            assertThat(g.constants().get(wdq.input(2)).longs()).containsOnly(0);
            assertThat(wdq.attributes().getInt("axis", 1)).isZero();
            assertThat(ws).hasSize(w.dim(0));
            Node xdq = producers.get(conv.input(0));
            assertThat(xdq.opType()).isEqualTo("DequantizeLinear");
            float sx = g.constants().get(xdq.input(1)).floats()[0];
            if (conv.hasInput(2)) {
                Node bdq = producers.get(conv.input(2));
                assertThat(g.constants().get(bdq.input(0)).dtype()).isEqualTo(DataType.INT32);
                float[] bs = g.constants().get(bdq.input(1)).floats();
                for (int o = 0; o < ws.length; o++) {
                    assertThat(Float.floatToRawIntBits(bs[o])).as("%s bias scale %d", conv.name(), o)
                            .isEqualTo(Float.floatToRawIntBits(sx * ws[o]));
                }
            }
        }
        return count;
    }
}
