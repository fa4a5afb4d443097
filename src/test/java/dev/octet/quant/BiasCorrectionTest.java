package dev.octet.quant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.CompileOptions;
import dev.octet.ir.Attribute;
import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.Value;
import dev.octet.runtime.ReferenceInterpreter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BiasCorrectionTest {
    private static final CompileOptions COMPILE = CompileOptions.defaults().withThreads(1);

    /**
     * The mean input patch is exact: for any weights V, the mean over every output pixel (and input) of the
     * reference Conv(x, V) is V applied to the patch, with strides, dilations, asymmetric or automatic pads and
     * groups.
     */
    @Test
    void meanPatchGivesTheMeanOverPixelsOfAnyConv() {
        for (Attributes attrs : List.of(
                Attributes.of(Attribute.of("strides", 2L, 1L), Attribute.of("dilations", 1L, 2L),
                        Attribute.of("pads", 1L, 0L, 2L, 1L), Attribute.of("group", 2L)),
                Attributes.of(Attribute.of("strides", 2L, 3L), Attribute.of("auto_pad", "SAME_UPPER")),
                Attributes.of(Attribute.of("auto_pad", "SAME_LOWER"), Attribute.of("strides", 3L, 2L)))) {
            int group = (int) attrs.getInt("group", 1);
            Tensor v = random(new Random(3), 1.0, 6, 4 / group, 3, 2);
            Graph g = oneConv(v, null, attrs, 4, 9, 11);
            List<Map<String, Tensor>> inputs = List.of(input(1, 4, 9, 11, -1), input(2, 4, 9, 11, -1));
            Node conv = g.nodes().getFirst();
            float[] patch = ConvInputMeans.collect(g, List.of(conv), inputs.size(), i -> inputs.get(i).get("x"),
                    COMPILE).of("y");
            double[] expected = new double[6];
            long pixels = 0;
            for (Map<String, Tensor> in : inputs) {
                Tensor y = new ReferenceInterpreter(g).run(in).get("y");
                int per = y.size() / 6;
                for (int o = 0; o < 6; o++) {
                    for (int p = 0; p < per; p++) {
                        expected[o] += y.getDouble(o * per + p);
                    }
                }
                pixels += per;
            }
            int k = 3 * 2;
            int perGroup = 4 / group;
            for (int o = 0; o < 6; o++) {
                double dot = 0;
                for (int i = 0; i < perGroup * k; i++) {
                    dot += v.floats()[o * perGroup * k + i] * patch[o / (6 / group) * perGroup * k + i];
                }
                assertThat(dot).as("%s channel %d", attrs, o).isCloseTo(expected[o] / pixels,
                        org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    /**
     * Weights whose rounding errors all have one sign (each channel: one weight 1.27 fixes the scale at 0.01, the
     * other 143 are 0.0049 and round to 0) on positive inputs shift every output by about −0.3; bias correction
     * must remove nearly all of that mean error (it would double it with the wrong sign, and leave it without).
     */
    @Test
    void biasCorrectionRemovesTheMeanErrorOfBiasedWeightRounding() {
        float[] w = new float[4 * 16 * 9];
        java.util.Arrays.fill(w, 0.0049f);
        for (int o = 0; o < 4; o++) {
            w[o * 144] = 1.27f;
        }
        Graph g = oneConv(Tensor.ofFloats(new int[] {4, 16, 3, 3}, w), null, Attributes.of(Attribute.of("pads", 1L,
                1L, 1L, 1L)), 16, 8, 8);
        List<Map<String, Tensor>> calibration = List.of(input(1, 16, 8, 8, 0), input(2, 16, 8, 8, 0),
                input(3, 16, 8, 8, 0));
        Map<String, TensorRange> ranges = ReferenceRanges.of(g, Quantizer.calibrationTargets(g,
                QuantizeOptions.defaults()), calibration);
        ConvInputMeans means = ConvInputMeans.collect(g, Quantizer.int8Convs(g, QuantizeOptions.defaults()),
                calibration.size(), i -> calibration.get(i).get("x"), COMPILE);
        QuantizedModel plain = Quantizer.quantize(g, ranges, QuantizeOptions.defaults(), means);
        QuantizedModel corrected = Quantizer.quantize(g, ranges, QuantizeOptions.defaults().withBiasCorrection(true),
                means);
        double before = 0;
        double after = 0;
        for (long seed = 10; seed < 13; seed++) {
            Map<String, Tensor> in = input(seed, 16, 8, 8, 0);
            Tensor fp32 = new ReferenceInterpreter(g).run(in).get("y");
            before += meanError(fp32, new ReferenceInterpreter(plain.qdq()).run(in).get("y")) / 3;
            after += meanError(fp32, new ReferenceInterpreter(corrected.qdq()).run(in).get("y")) / 3;
        }
        assertThat(before).isLessThan(-0.2);
        assertThat(Math.abs(after)).isLessThan(Math.abs(before) / 10);
        LayerSummary layer = corrected.summary().layers().getFirst();
        assertThat(layer.biasShift()).hasSize(4);
        assertThat(layer.biasShift()[0]).isLessThan(-0.2f);
        assertThat(corrected.summary().toText()).contains("bias corrected (max |shift|");
        assertThat(plain.summary().layers().getFirst().biasShift()).isNull();
    }

    private static double meanError(Tensor fp32, Tensor int8) {
        double s = 0;
        for (int i = 0; i < fp32.size(); i++) {
            s += int8.getDouble(i) - fp32.getDouble(i);
        }
        return s / fp32.size();
    }

    private static Graph oneConv(Tensor w, Tensor b, Attributes attrs, int c, int h, int wd) {
        Attributes a = attrs.with(Attribute.of("kernel_shape", (long) w.dim(2), w.dim(3)));
        List<String> in = b == null ? List.of("x", "w") : List.of("x", "w", "b");
        Map<String, Tensor> constants = b == null ? Map.of("w", w) : Map.of("w", w, "b", b);
        return new Graph("conv", List.of(new Value("x", TensorType.of(DataType.FLOAT, 1, c, h, wd))),
                List.of(new Value("y", null)), List.of(new Node("conv", "Conv", "", in, List.of("y"), a)), constants,
                Map.of(), Map.of("", 13));
    }

    private static Tensor random(Random r, double sigma, int... shape) {
        float[] v = new float[dev.octet.ir.Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return Tensor.ofFloats(shape, v);
    }

    /** Uniform in [low, 1). */
    private static Map<String, Tensor> input(long seed, int c, int h, int w, double low) {
        Random r = new Random(seed);
        float[] v = new float[c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (low + r.nextDouble() * (1 - low));
        }
        return Map.of("x", Tensor.ofFloats(new int[] {1, c, h, w}, v));
    }
}
