package dev.octet.ir.op.nn;

import static dev.octet.ir.op.nn.NodeRunner.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.op.InferenceContext;
import dev.octet.ir.op.OpContext;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvGeometryTest {
    private static OpContext ctx(Attribute... attrs) {
        Node node = new Node("g", "Conv", "", List.of("x", "w"), List.of("y"), Attributes.of(Arrays.asList(attrs)));
        return new InferenceContext(node, 17, List.of(), List.of());
    }

    private static ConvGeometry conv(long kernel, Attribute... attrs) {
        return ConvGeometry.conv(ctx(attrs), new long[] {kernel});
    }

    private static ConvGeometry pool(long kernel, Attribute... attrs) {
        Attribute[] all = Arrays.copyOf(attrs, attrs.length + 1);
        all[attrs.length] = ints("kernel_shape", kernel);
        return ConvGeometry.pool(ctx(all), 1);
    }

    @Test
    void explicitPadsGiveTheFloorFormula() {
        // floor((5 + 1 + 1 - 3) / 2) + 1
        ConvGeometry.Window w = conv(3, ints("pads", 1, 1), ints("strides", 2)).resolve(new int[] {5});
        assertThat(w.out()).containsExactly(3);
        assertThat(w.padBegin()).containsExactly(1);
        assertThat(w.padEnd()).containsExactly(1);
        // Asymmetric pads are kept as given.
        assertThat(conv(3, ints("pads", 0, 2)).resolve(new int[] {4}).out()).containsExactly(4);
    }

    @Test
    void sameKeepsCeilOfInputOverStrideAndPutsTheOddPadAtTheEndForUpperAndTheStartForLower() {
        // in 6, kernel 3, stride 2: out 3, total pad (3 - 1)·2 + 3 − 6 = 1.
        ConvGeometry.Window upper = conv(3, str("auto_pad", "SAME_UPPER"), ints("strides", 2)).resolve(new int[] {6});
        assertThat(upper.out()).containsExactly(3);
        assertThat(upper.padBegin()).containsExactly(0);
        assertThat(upper.padEnd()).containsExactly(1);
        ConvGeometry.Window lower = conv(3, str("auto_pad", "SAME_LOWER"), ints("strides", 2)).resolve(new int[] {6});
        assertThat(lower.padBegin()).containsExactly(1);
        assertThat(lower.padEnd()).containsExactly(0);
        // Explicit pads are ignored under auto_pad.
        assertThat(conv(3, str("auto_pad", "SAME_UPPER"), ints("pads", 5, 5)).resolve(new int[] {6}).out())
                .containsExactly(6);
    }

    @Test
    void validUsesNoPadding() {
        ConvGeometry.Window w = conv(3, str("auto_pad", "VALID"), ints("strides", 2), ints("pads", 1, 1))
                .resolve(new int[] {7});
        assertThat(w.out()).containsExactly(3);
        assertThat(w.padBegin()).containsExactly(0);
    }

    @Test
    void dilationWidensTheKernelExtent() {
        // Extent (3 − 1)·2 + 1 = 5.
        assertThat(conv(3, ints("dilations", 2)).resolve(new int[] {7}).out()).containsExactly(3);
        ConvGeometry.Window same = conv(3, ints("dilations", 2), str("auto_pad", "SAME_UPPER")).resolve(new int[] {7});
        assertThat(same.out()).containsExactly(7);
        assertThat(same.padBegin()).containsExactly(2);
        assertThat(same.padEnd()).containsExactly(2);
    }

    @Test
    void ceilModeRoundsUpButDropsAWindowThatWouldStartInTheRightPadding() {
        assertThat(pool(3, ints("strides", 2)).outputSize(0, 4)).isEqualTo(1);
        assertThat(pool(3, ints("strides", 2), Attribute.of("ceil_mode", 1L)).outputSize(0, 4)).isEqualTo(2);
        // in 4, kernel 2, stride 2, pads 0,1: ceil(3 / 2) + 1 = 3, but window 2 would start at 4, in the padding.
        assertThat(pool(2, ints("strides", 2), ints("pads", 0, 1), Attribute.of("ceil_mode", 1L))
                .outputSize(0, 4)).isEqualTo(2);
        // ceil_mode is a pooling attribute; Conv ignores it.
        assertThat(conv(3, ints("strides", 2), Attribute.of("ceil_mode", 1L)).outputSize(0, 4)).isEqualTo(1);
    }

    @Test
    void unknownInputSizesGiveUnknownOutputSizes() {
        assertThat(conv(3).outputSize(0, -1)).isEqualTo(-1);
        // SAME does not depend on the kernel, so an unknown kernel still gives a size.
        ConvGeometry unknownKernel = ConvGeometry.conv(ctx(str("auto_pad", "SAME_LOWER"), ints("strides", 2)),
                new long[] {-1});
        assertThat(unknownKernel.outputSize(0, 9)).isEqualTo(5);
        assertThat(ConvGeometry.conv(ctx(), new long[] {-1}).outputSize(0, 9)).isEqualTo(-1);
        // kernel_shape fills in a kernel the weights' type does not know.
        assertThat(ConvGeometry.conv(ctx(ints("kernel_shape", 3)), new long[] {-1}).outputSize(0, 9)).isEqualTo(7);
    }

    @Test
    void transposedSizesFollowStridePaddingAndOutputShape() {
        ConvGeometry t = ConvGeometry.convTranspose(ctx(ints("strides", 2), ints("pads", 1, 1),
                ints("output_padding", 1)), new long[] {3});
        assertThat(t.outputSize(0, 3)).isEqualTo(2 * 2 + 1 + 3 - 2);
        ConvGeometry same = ConvGeometry.convTranspose(ctx(ints("strides", 2), str("auto_pad", "SAME_UPPER")),
                new long[] {3});
        ConvGeometry.Window w = same.resolve(new int[] {3});
        assertThat(w.out()).containsExactly(6);
        assertThat(w.padBegin()).containsExactly(0); // total 2·2 + 3 − 6 = 1, the odd unit at the end
        assertThat(w.padEnd()).containsExactly(1);
        // An output_shape beyond the full output (2·3 + 3 = 9) extends the end: a negative end pad.
        ConvGeometry.Window shaped = ConvGeometry.convTranspose(ctx(ints("strides", 3), ints("output_shape", 10)),
                new long[] {3}).resolve(new int[] {3});
        assertThat(shaped.out()).containsExactly(10);
        assertThat(shaped.padBegin()).containsExactly(0);
        assertThat(shaped.padEnd()).containsExactly(-1);
    }

    @Test
    void refusesGeometriesWithoutOutputOrWithAbsurdAttributes() {
        assertThatThrownBy(() -> conv(5).outputSize(0, 2)).isInstanceOf(OctetException.class)
                .hasMessageContaining("smaller than the kernel extent 5");
        assertThatThrownBy(() -> conv(3, ints("strides", 0))).hasMessageContaining("'strides' = [0]");
        assertThatThrownBy(() -> conv(3, ints("pads", 1L << 40, 0))).hasMessageContaining("values must be in");
        assertThatThrownBy(() -> conv(3, ints("pads", 1))).hasMessageContaining("has 1 values, expected 2");
        assertThatThrownBy(() -> conv(3, str("auto_pad", "SAME"))).hasMessageContaining("'auto_pad' is 'SAME'");
        assertThatThrownBy(() -> conv(3, ints("kernel_shape", 5))).hasMessageContaining("does not match");
        assertThatThrownBy(() -> conv(1 << 12, ints("dilations", 1 << 12))).hasMessageContaining("spans more than");
        assertThatThrownBy(() -> ConvGeometry.convTranspose(ctx(ints("pads", 3, 3)), new long[] {1})
                .outputSize(0, 2)).hasMessageContaining("expected a positive size");
        assertThatThrownBy(() -> ConvGeometry.pool(ctx(), 1)).hasMessageContaining("'kernel_shape' is required");
    }

    @Test
    void refusesPoolingWindowsOfPaddingOnly() {
        // Kernel 2 with dilation 3 under SAME_UPPER on 2 inputs: window 0 reads coordinates -1 and 2.
        assertThatThrownBy(() -> pool(2, ints("dilations", 3), str("auto_pad", "SAME_UPPER")).outputSize(0, 2))
                .hasMessageContaining("covers only padding");
        assertThatThrownBy(() -> pool(2, ints("pads", 2, 0)).outputSize(0, 3))
                .hasMessageContaining("covers only padding");
        // A convolution's window of padding only is fine: its output is the bias.
        assertThat(conv(2, ints("pads", 2, 0)).outputSize(0, 3)).isEqualTo(4);
    }

    private static Attribute str(String name, String value) {
        return Attribute.of(name, value);
    }
}
