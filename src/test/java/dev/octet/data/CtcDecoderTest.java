package dev.octet.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import org.junit.jupiter.api.Test;

class CtcDecoderTest {
    /** Classes: 0 blank, 1 'a', 2 'b', 3 space. One row per step, the best class at probability p. */
    private static Tensor steps(double p, int... best) {
        float[] v = new float[best.length * 4];
        for (int t = 0; t < best.length; t++) {
            for (int c = 0; c < 4; c++) {
                v[t * 4 + c] = (float) (c == best[t] ? p : (1 - p) / 3);
            }
        }
        return Tensor.ofFloats(new int[] {1, best.length, 4}, v);
    }

    @Test
    void mergesRepeatsDropsBlanksAndAddsTheSpaceClass() {
        CtcDecoder d = CtcDecoder.fromLines("a\nb\n");
        CtcDecoder.Line line = d.decode(steps(0.9, 1, 1, 0, 1, 3, 2, 2, 0)).getFirst();
        assertThat(line.text()).isEqualTo("aa b");
        assertThat(line.confidence()).isCloseTo(0.9, within(1e-6));
        assertThat(d.decode(steps(0.5, 0, 0)).getFirst()).isEqualTo(new CtcDecoder.Line("", 0));
    }

    @Test
    void checksTheClassCountAgainstTheDictionary() {
        assertThatThrownBy(() -> CtcDecoder.fromLines("a\nb\nc\nd\ne").decode(steps(0.9, 1)))
                .isInstanceOf(OctetException.class).hasMessageContaining("4 classes but the dictionary has 5");
    }
}
