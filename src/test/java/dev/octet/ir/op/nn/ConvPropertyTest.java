package dev.octet.ir.op.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octet.ir.Attribute;
import dev.octet.ir.Shapes;
import dev.octet.ir.Tensor;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Conv and ConvTranspose against their definitions written as plain sums over every index, on random small shapes,
 * strides, pads, dilations and groups. Values are small integers, so every summation order is exact and the
 * comparison is exact.
 */
class ConvPropertyTest {
    /** A random geometry: per spatial axis kernel, stride, dilation, pads, input size. */
    private record Case(int rank, int batch, int group, int cg, int mg, int[] k, int[] s, int[] d, int[] pb, int[] pe,
            int[] in, Random random) {
        static Case random(long seed, int rank) {
            Random r = new Random(seed);
            int[] k = new int[rank];
            int[] s = new int[rank];
            int[] d = new int[rank];
            int[] pb = new int[rank];
            int[] pe = new int[rank];
            int[] in = new int[rank];
            for (int a = 0; a < rank; a++) {
                k[a] = 1 + r.nextInt(3);
                s[a] = 1 + r.nextInt(3);
                d[a] = 1 + r.nextInt(2);
                pb[a] = r.nextInt(3);
                pe[a] = r.nextInt(3);
                in[a] = 1 + r.nextInt(6);
            }
            return new Case(rank, 1 + r.nextInt(2), 1 + r.nextInt(3), 1 + r.nextInt(2), 1 + r.nextInt(2), k, s, d, pb,
                    pe, in, r);
        }

        Tensor tensor(int... shape) {
            float[] v = new float[Shapes.size(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextInt(9) - 4;
            }
            return Tensor.ofFloats(shape, v);
        }

        int[] shape(int n, int c, int[] spatial) {
            int[] s = new int[rank + 2];
            s[0] = n;
            s[1] = c;
            System.arraycopy(spatial, 0, s, 2, rank);
            return s;
        }

        List<Attribute> attributes() {
            long[] pads = new long[2 * rank];
            for (int a = 0; a < rank; a++) {
                pads[a] = pb[a];
                pads[a + rank] = pe[a];
            }
            return List.of(NodeRunner.ints("strides", longs(s)), NodeRunner.ints("dilations", longs(d)),
                    NodeRunner.ints("pads", pads), Attribute.of("group", (long) group));
        }

        private static long[] longs(int[] v) {
            return java.util.Arrays.stream(v).asLongStream().toArray();
        }
    }

    @Property(tries = 300)
    void convEqualsTheDirectSum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int rank) {
        Case c = Case.random(seed, rank);
        int[] out = new int[rank];
        for (int a = 0; a < rank; a++) {
            out[a] = Math.floorDiv(c.in[a] + c.pb[a] + c.pe[a] - ((c.k[a] - 1) * c.d[a] + 1), c.s[a]) + 1;
            if (out[a] <= 0) {
                return; // no output: ConvGeometryTest covers the error
            }
        }
        int channels = c.group * c.cg;
        int outChannels = c.group * c.mg;
        Tensor x = c.tensor(c.shape(c.batch, channels, c.in));
        Tensor w = c.tensor(c.shape(outChannels, c.cg, c.k));
        Tensor b = c.tensor(outChannels);
        Tensor y = NodeRunner.run("Conv", List.of(x, w, b), c.attributes().toArray(Attribute[]::new));

        int[] yShape = c.shape(c.batch, outChannels, out);
        assertThat(y.shape()).containsExactly(yShape);
        int[] xs = x.shape();
        int[] xStrides = Shapes.strides(xs);
        int[] wStrides = Shapes.strides(w.shape());
        for (int i = 0; i < y.size(); i++) {
            int[] yc = coords(i, yShape);
            int n = yc[0];
            int m = yc[1];
            double expected = b.getDouble(m);
            for (int ci = 0; ci < c.cg; ci++) {
                int ch = (m / c.mg) * c.cg + ci;
                for (int kp = 0; kp < Shapes.size(c.k); kp++) {
                    int[] kc = coords(kp, c.k);
                    int xi = n * xStrides[0] + ch * xStrides[1];
                    int wi = m * wStrides[0] + ci * wStrides[1];
                    boolean inside = true;
                    for (int a = 0; a < rank; a++) {
                        int pos = yc[a + 2] * c.s[a] + kc[a] * c.d[a] - c.pb[a];
                        inside &= pos >= 0 && pos < c.in[a];
                        xi += pos * xStrides[a + 2];
                        wi += kc[a] * wStrides[a + 2];
                    }
                    if (inside) {
                        expected += x.getDouble(xi) * w.getDouble(wi);
                    }
                }
            }
            assertThat(y.getDouble(i)).as("output %d of %s", i, java.util.Arrays.toString(yc)).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void convTransposeEqualsTheScatterDefinition(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int rank) {
        Case c = Case.random(seed, rank);
        int[] outputPadding = new int[rank];
        int[] out = new int[rank];
        for (int a = 0; a < rank; a++) {
            outputPadding[a] = c.random.nextInt(Math.max(c.s[a], c.d[a]));
            out[a] = c.s[a] * (c.in[a] - 1) + outputPadding[a] + (c.k[a] - 1) * c.d[a] + 1 - c.pb[a] - c.pe[a];
            if (out[a] <= 0) {
                return;
            }
        }
        int channels = c.group * c.cg;
        int outChannels = c.group * c.mg;
        Tensor x = c.tensor(c.shape(c.batch, channels, c.in));
        Tensor w = c.tensor(c.shape(channels, c.mg, c.k));
        Tensor b = c.tensor(outChannels);
        List<Attribute> attrs = new java.util.ArrayList<>(c.attributes());
        attrs.add(NodeRunner.ints("output_padding", Case.longs(outputPadding)));
        Tensor y = NodeRunner.run("ConvTranspose", List.of(x, w, b), attrs.toArray(Attribute[]::new));

        int[] yShape = c.shape(c.batch, outChannels, out);
        assertThat(y.shape()).containsExactly(yShape);
        double[] expected = new double[Shapes.size(yShape)];
        int[] yStrides = Shapes.strides(yShape);
        for (int i = 0; i < expected.length; i++) {
            expected[i] = b.getDouble(coords(i, yShape)[1]);
        }
        int[] wStrides = Shapes.strides(w.shape());
        for (int i = 0; i < x.size(); i++) {
            int[] xc = coords(i, x.shape());
            int ch = xc[1];
            for (int ml = 0; ml < c.mg; ml++) {
                int m = (ch / c.cg) * c.mg + ml;
                for (int kp = 0; kp < Shapes.size(c.k); kp++) {
                    int[] kc = coords(kp, c.k);
                    int yi = xc[0] * yStrides[0] + m * yStrides[1];
                    int wi = ch * wStrides[0] + ml * wStrides[1];
                    boolean inside = true;
                    for (int a = 0; a < rank; a++) {
                        int pos = xc[a + 2] * c.s[a] + kc[a] * c.d[a] - c.pb[a];
                        inside &= pos >= 0 && pos < out[a];
                        yi += pos * yStrides[a + 2];
                        wi += kc[a] * wStrides[a + 2];
                    }
                    if (inside) {
                        expected[yi] += x.getDouble(i) * w.getDouble(wi);
                    }
                }
            }
        }
        assertThat(y.toDoubles()).containsExactly(expected);
    }

    private static int[] coords(int flat, int[] shape) {
        int[] c = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            c[a] = flat % shape[a];
            flat /= shape[a];
        }
        return c;
    }
}
