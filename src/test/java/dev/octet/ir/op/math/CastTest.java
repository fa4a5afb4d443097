package dev.octet.ir.op.math;

import static dev.octet.ir.op.math.NodeRunner.floats;
import static dev.octet.ir.op.math.NodeRunner.run;
import static dev.octet.ir.op.math.NodeRunner.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.DataType;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.UnsupportedModelException;
import org.junit.jupiter.api.Test;

class CastTest {
    private static Tensor cast(Tensor x, DataType to) {
        Tensor y = run(13, "Cast", x, Attribute.of("to", (long) to.onnxCode()));
        assertThat(y.dtype()).isEqualTo(to);
        return y;
    }

    @Test
    void floatToIntegerTruncatesTowardZeroThenWraps() {
        Tensor x = floats(shape(6), 2.9f, -2.9f, 300.5f, -1, Float.NaN, 1e20f);
        assertThat(cast(x, DataType.INT32).longs()).containsExactly(2, -2, 300, -1, 0, -1);
        assertThat(cast(x, DataType.UINT8).longs()).containsExactly(2, 254, 44, 255, 0, 255);
        assertThat(cast(x, DataType.INT64).longs()).containsExactly(2, -2, 300, -1, 0, Long.MAX_VALUE);
    }

    @Test
    void toFloatTypesRoundsOnce() {
        Tensor x = Tensor.of(DataType.DOUBLE, shape(3), new double[] {0.1, 1 + Math.pow(2, -11), 1e6});
        assertThat(cast(x, DataType.FLOAT).floats()).containsExactly(0.1f, 1.0004883f, 1e6f);
        assertThat(cast(x, DataType.FLOAT16).floats()).containsExactly(Tensor.round(DataType.FLOAT16, 0.1), 1,
                Float.POSITIVE_INFINITY);
        Tensor big = Tensor.ofLongs(DataType.INT64, shape(1), (1L << 53) + (1L << 29) + 1);
        assertThat(cast(big, DataType.FLOAT).floats()).containsExactly((float) ((1L << 53) + (1L << 30)));
    }

    @Test
    void integersWrapAndBooleansAreZeroOrOne() {
        Tensor x = Tensor.ofLongs(DataType.INT32, shape(3), -1, 256, 0);
        assertThat(cast(x, DataType.UINT8).longs()).containsExactly(255, 0, 0);
        assertThat(cast(x, DataType.BOOL).booleans()).containsExactly(true, true, false);
        assertThat(cast(floats(shape(2), Float.NaN, -0f), DataType.BOOL).booleans()).containsExactly(true, false);
        assertThat(cast(Tensor.ofBooleans(shape(2), true, false), DataType.FLOAT).floats()).containsExactly(1, 0);
    }

    @Test
    void numbersPrintAsNumpyAndStringsParseBack() {
        Tensor x = floats(shape(7), 0.1f, 1, -2.5e-5f, 1.5e20f, Float.NaN, Float.NEGATIVE_INFINITY, 123456.7f);
        assertThat(cast(x, DataType.STRING).strings())
                .containsExactly("0.1", "1.0", "-2.5e-05", "1.5e+20", "NaN", "-INF", "123456.7");
        Tensor s = Tensor.of(DataType.STRING, shape(5), new String[] {"0.1", " -3 ", "+INF", "nan", "1e3"});
        assertThat(cast(s, DataType.FLOAT).floats()).containsExactly(0.1f, -3, Float.POSITIVE_INFINITY, Float.NaN,
                1000);
        assertThat(cast(Tensor.of(DataType.STRING, shape(2), new String[] {"-7", "42"}), DataType.INT8).longs())
                .containsExactly(-7, 42);
        assertThatThrownBy(() -> cast(Tensor.of(DataType.STRING, shape(1), new String[] {"0x10"}), DataType.FLOAT))
                .isInstanceOf(OctetException.class).hasMessageContaining("'0x10'");
        Tensor h = Tensor.of(DataType.FLOAT16, shape(1), new float[] {Tensor.round(DataType.FLOAT16, 0.1)});
        assertThat(cast(h, DataType.STRING).strings()).containsExactly("0.1");
    }

    @Test
    void unknownTargetTypesAreUnsupported() {
        assertThatThrownBy(() -> run(13, "Cast", floats(shape(1), 1), Attribute.of("to", 14L)))
                .isInstanceOf(UnsupportedModelException.class).hasMessageContaining("data type 14");
    }

    @Test
    void castLikeTakesTheTypeOfItsSecondInput() {
        Tensor like = Tensor.ofLongs(DataType.INT16, shape(1), 0);
        Tensor y = run(15, "CastLike", floats(shape(2), -1.5f, 70000), like);
        assertThat(y.dtype()).isEqualTo(DataType.INT16);
        assertThat(y.longs()).containsExactly(-1, 4464);
    }

    @Test
    void identityPassesAnyTensorThrough() {
        Tensor s = Tensor.of(DataType.STRING, shape(1), new String[] {"x"});
        assertThat(run(13, "Identity", s)).isSameAs(s);
    }
}
