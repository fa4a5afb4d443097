package dev.octet.quant;

import dev.octet.CompileOptions;
import dev.octet.build.ModelCompiler;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.runtime.CompiledModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The mean input patch of each 2-D conv over the calibration images: for input channel c and kernel offset (a, b),
 * the mean over every output pixel of every image of the input value that kernel tap reads, padding read as 0:
 * {@code P[c, a, b] = Σ_pixels x_pad[c, i·sh − pt + a·dh, j·sw − pl + b·dw] / pixels}. Because a conv is linear,
 * the mean over pixels of any conv of the input with weights V is V applied to P, per output channel (its group's
 * channels): {@link BiasCorrection} uses it with V = the weights' quantization error.
 *
 * @param means the patch of each conv, by the conv's output name, as [C_in][kh][kw] row-major
 */
record ConvInputMeans(Map<String, float[]> means) {
    public ConvInputMeans {
        means = Map.copyOf(means);
    }

    /**
     * Runs the fp32 graph over the images and averages each conv's input patches.
     *
     * @param graph the simplified fp32 graph the quantizer reads
     * @param convs the Conv nodes (of {@code graph}) to observe; only 2-D convs with explicit or auto pads
     */
    static ConvInputMeans collect(Graph graph, List<Node> convs, CalibrationImages images, CompileOptions options) {
        return collect(graph, convs, images.size(), images::tensor, options);
    }

    /** The same over {@code count} inputs of the graph's single input, {@code input.apply(i)} the i-th. */
    static ConvInputMeans collect(Graph graph, List<Node> convs, int count, IntFunction<Tensor> input,
            CompileOptions options) {
        Map<String, List<Accumulator>> byInput = new HashMap<>();
        Map<String, Accumulator> byConv = new LinkedHashMap<>();
        for (Node n : convs) {
            Tensor w = graph.constants().get(n.input(1));
            if (w == null || w.rank() != 4) {
                continue;
            }
            Accumulator acc = new Accumulator(n, w);
            byConv.put(n.outputs().get(0), acc);
            byInput.computeIfAbsent(n.input(0), k -> new ArrayList<>()).add(acc);
        }
        Set<String> tapped = new HashSet<>(options.keptValues());
        tapped.addAll(byInput.keySet());
        String inputName = graph.inputs().getFirst().name();
        try (CompiledModel model = ModelCompiler.compile(graph, options.withKeptValues(tapped))) {
            for (int i = 0; i < count; i++) {
                model.runTapped(Map.of(inputName, input.apply(i)), byInput.keySet(), (name, t) ->
                        byInput.get(name).forEach(a -> a.add(t)));
            }
        }
        Map<String, float[]> means = new LinkedHashMap<>();
        byConv.forEach((out, acc) -> {
            if (acc.pixels > 0) {
                means.put(out, acc.mean());
            }
        });
        return new ConvInputMeans(means);
    }

    /** The mean patch of the conv with this output, or null where it was not observed. */
    public float[] of(String convOutput) {
        return means.get(convOutput);
    }

    /** Sums of one conv's input taps over all images. */
    private static final class Accumulator {
        final Node conv;
        final int kh;
        final int kw;
        final long[] strides;
        final long[] dilations;
        double[] sums;
        long pixels;

        Accumulator(Node conv, Tensor w) {
            this.conv = conv;
            this.kh = w.dim(2);
            this.kw = w.dim(3);
            this.strides = conv.attributes().getInts("strides", new long[] {1, 1});
            this.dilations = conv.attributes().getInts("dilations", new long[] {1, 1});
        }

        void add(Tensor x) {
            if (x.rank() != 4) {
                throw new OctetException("conv " + conv.name() + ": input of rank " + x.rank() + ", not 4");
            }
            int n = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            int[] rowPads = pads(0, h);
            int[] colPads = pads(1, w);
            int outH = outSize(h, rowPads, 0, kh);
            int outW = outSize(w, colPads, 1, kw);
            if (outH <= 0 || outW <= 0) {
                return;
            }
            if (sums == null) {
                sums = new double[c * kh * kw];
            }
            float[] v = x.floats();
            double[] partial = new double[h];
            for (int b = 0; b < kw; b++) {
                boolean[] cols = taps(w, outW, (int) strides[1], (int) dilations[1], colPads[0], b);
                for (int img = 0; img < n; img++) {
                    for (int ch = 0; ch < c; ch++) {
                        int base = (img * c + ch) * h * w;
                        for (int r = 0; r < h; r++) {
                            double s = 0;
                            for (int q = 0; q < w; q++) {
                                if (cols[q]) {
                                    s += v[base + r * w + q];
                                }
                            }
                            partial[r] = s;
                        }
                        for (int a = 0; a < kh; a++) {
                            boolean[] rows = taps(h, outH, (int) strides[0], (int) dilations[0], rowPads[0], a);
                            double s = 0;
                            for (int r = 0; r < h; r++) {
                                if (rows[r]) {
                                    s += partial[r];
                                }
                            }
                            sums[(ch * kh + a) * kw + b] += s;
                        }
                    }
                }
            }
            pixels += (long) n * outH * outW;
        }

        float[] mean() {
            float[] m = new float[sums.length];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (sums[i] / pixels);
            }
            return m;
        }

        /** Which input coordinates kernel offset k reads over all outputs (each at most once: stride ≥ 1). */
        private static boolean[] taps(int in, int out, int stride, int dilation, int padBegin, int k) {
            boolean[] hit = new boolean[in];
            for (int o = 0; o < out; o++) {
                int p = o * stride - padBegin + k * dilation;
                if (p >= 0 && p < in) {
                    hit[p] = true;
                }
            }
            return hit;
        }

        private int outSize(int in, int[] pads, int axis, int k) {
            int span = (int) dilations[axis] * (k - 1) + 1;
            return Math.floorDiv(in + pads[0] + pads[1] - span, (int) strides[axis]) + 1;
        }

        /** {begin, end} pads of a spatial axis, explicit or by auto_pad (as ONNX defines them). */
        private int[] pads(int axis, int in) {
            String auto = conv.attributes().getString("auto_pad", "NOTSET");
            int k = axis == 0 ? kh : kw;
            int stride = (int) strides[axis];
            switch (auto) {
                case "VALID":
                    return new int[] {0, 0};
                case "SAME_UPPER", "SAME_LOWER": {
                    int out = Math.ceilDiv(in, stride);
                    int total = Math.max(0, (out - 1) * stride + (int) dilations[axis] * (k - 1) + 1 - in);
                    int small = total / 2;
                    return auto.equals("SAME_UPPER") ? new int[] {small, total - small}
                            : new int[] {total - small, small};
                }
                default: {
                    long[] p = conv.attributes().getInts("pads", new long[] {0, 0, 0, 0});
                    return new int[] {(int) p[axis], (int) p[axis + 2]};
                }
            }
        }
    }
}
