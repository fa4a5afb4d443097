package dev.octet.build;

import dev.octet.ir.Attributes;
import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.Int8ConvTemplate;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.Int8ConvWorkload;
import dev.octet.kernel.Int8DepthwiseTemplate;
import dev.octet.kernel.Int8DepthwiseWorkload;
import dev.octet.kernel.Int8DirectConvTemplate;
import dev.octet.kernel.Int8WinogradTemplate;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.ConvStep;
import dev.octet.runtime.Int8ConvStep;
import dev.octet.runtime.Step;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * Lowers a 2-D QLinearConv (or octet.ClampedQLinearConv) with constant parameters, u8 input, constant s8 weights
 * of zero point 0 (per tensor or per output channel) and u8 or s8 output to an {@link Int8ConvStep} on the
 * template the chooser picks among {@link Implementations#int8Conv}: {@link Int8DepthwiseTemplate} for a depthwise
 * convolution by default, else {@link Int8ConvTemplate} (VNNI, maddubs where the weights' pairs fit it, or
 * widening), or where a tuned configuration says so {@link Int8DirectConvTemplate}; weights, bias and multipliers
 * packed once here. An octet.QLinearConvAdd (the residual add fused) becomes a residual workload, which only
 * {@link Int8ConvTemplate} computes (its residual stage); where its parameters are not per-tensor constants, the
 * residual not u8, or a multiplier too large for the stage's fp32 terms, the node runs its reference.
 */
final class Int8ConvLowering {
    private Int8ConvLowering() {
    }

    /** The lowered step, or null where the node is outside what the template covers (it runs its reference). */
    static ModelCompiler.Lowered lower(Graph g, Node n, Map<String, LoopKernel> kernels, Step reference,
            IsaLevel level, ConfigChooser chooser) {
        Map<String, Tensor> c = g.constants();
        Int8Lowering.PerTensor x = Int8Lowering.PerTensor.of(g, n, 1, 2);
        Int8Lowering.PerTensor y = Int8Lowering.PerTensor.of(g, n, 6, 7);
        Tensor w = c.get(n.input(3));
        Tensor ws = c.get(n.input(4));
        Tensor wz = c.get(n.input(5));
        Tensor b = n.hasInput(8) ? c.get(n.input(8)) : null;
        if (x == null || y == null || x.type() != DataType.UINT8 || w == null || ws == null || wz == null
                || w.dtype() != DataType.INT8 || w.rank() != 4 || ws.dtype() != DataType.FLOAT
                || (n.hasInput(8) && (b == null || b.dtype() != DataType.INT32))) {
            return null;
        }
        Int8ConvStep.Residual residual = null;
        if (n.opType().equals("QLinearConvAdd")) {
            residual = residual(g, n);
            if (residual == null) {
                return null;
            }
        }
        int cout = w.dim(0);
        if ((ws.size() != 1 && ws.size() != cout) || (b != null && b.size() != cout)) {
            return null;
        }
        for (long z : wz.toLongs()) {
            if (z != 0) {
                return null; // asymmetric weights: the template folds only the input's zero point
            }
        }
        Attributes a = n.attributes();
        int groups = (int) a.getInt("group", 1);
        long[] strides = a.getInts("strides", new long[] {1, 1});
        long[] dil = a.getInts("dilations", new long[] {1, 1});
        long[] pads = a.getInts("pads", new long[] {0, 0, 0, 0});
        String autoPad = a.getString("auto_pad", "NOTSET");
        if (strides.length != 2 || dil.length != 2 || pads.length != 4 || groups < 1 || cout % groups != 0) {
            return null;
        }
        float[] multiplier = new float[cout];
        int[] bias = new int[cout];
        for (int o = 0; o < cout; o++) {
            multiplier[o] = QuantMath.multiplier(x.scale(), ws.floats()[ws.size() == 1 ? 0 : o], y.scale());
            bias[o] = b == null ? 0 : (int) b.getLong(o);
            if (!Float.isFinite(multiplier[o])) {
                return null;
            }
        }
        long[] clamp = a.getInts("clamp", new long[] {y.type().minValue(), y.type().maxValue()});
        boolean noPads = autoPad.equals("VALID") || (autoPad.equals("NOTSET") && pads[0] == 0 && pads[1] == 0
                && pads[2] == 0 && pads[3] == 0);
        boolean pointwise = w.dim(2) == 1 && w.dim(3) == 1 && strides[0] == 1 && strides[1] == 1 && noPads;
        byte[] weights = w.bytes();
        Int8ConvWorkload wl = Int8ConvWorkload.forWeights(w.dim(1) * groups, cout, groups, w.dim(2), w.dim(3),
                (int) strides[0], (int) strides[1], (int) dil[0], (int) dil[1], pointwise,
                (residual != null ? residual.out().type() : y.type()) == DataType.INT8, weights)
                .withResidual(residual != null);
        Config config = chooser.choose(new ConfigChooser.Request(wl.key(), wl, Implementations.int8Conv(wl, level)));
        if (residual != null && !config.template().equals(Int8ConvTemplate.NAME)) {
            throw new IllegalStateException(config + " has no residual stage: not a candidate for " + wl.key());
        }
        Int8ConvStep.Packed packed;
        Int8ConvStep.ParallelRange range;
        LoopKernel k;
        if (config.template().equals(Int8DepthwiseTemplate.NAME)) {
            Int8DepthwiseWorkload dw = Int8DepthwiseWorkload.of(wl);
            Int8DepthwiseTemplate.Params p = Int8DepthwiseTemplate.pack(dw, weights, bias, multiplier,
                    (int) x.zeroPoint());
            packed = new Int8ConvStep.Packed(MemorySegment.ofArray(p.weights()), p.bias(), p.multiplier(),
                    p.inputZeroPoint(), false);
            range = (batch, oh, ow) -> Int8DepthwiseTemplate.parallelRange(batch, dw, oh, config);
            k = kernels.computeIfAbsent(dw.key() + config,
                    key -> Int8DepthwiseTemplate.build(dw, config, "k" + kernels.size()));
        } else if (config.template().equals(Int8DirectConvTemplate.NAME)) {
            Int8DirectConvTemplate.Params p = Int8DirectConvTemplate.pack(wl, config, weights, bias, multiplier,
                    (int) x.zeroPoint());
            packed = new Int8ConvStep.Packed(p.weights(), p.bias(), p.multiplier(), p.inputZeroPoint(), true);
            range = (batch, oh, ow) -> Int8DirectConvTemplate.parallelRange(batch, oh, ow, config);
            k = kernels.computeIfAbsent(wl.key() + config,
                    key -> Int8DirectConvTemplate.build(wl, config, "k" + kernels.size()));
        } else if (config.template().equals(Int8WinogradTemplate.NAME)) {
            // the GEMM template's buffers and scalars: only packing, work split and kernel differ
            Int8ConvTemplate.Params p = Int8WinogradTemplate.pack(wl, config, weights, bias, multiplier,
                    (int) x.zeroPoint());
            packed = new Int8ConvStep.Packed(p.weights(), p.bias(), p.multiplier(), p.inputZeroPoint(), false);
            range = (batch, oh, ow) -> Int8WinogradTemplate.parallelRange(batch, oh, ow, config);
            k = kernels.computeIfAbsent(wl.key() + config,
                    key -> Int8WinogradTemplate.build(wl, config, "k" + kernels.size()));
        } else {
            Int8ConvTemplate.Params p = Int8ConvTemplate.pack(wl, config, weights, bias, multiplier,
                    (int) x.zeroPoint());
            packed = new Int8ConvStep.Packed(p.weights(), p.bias(), p.multiplier(), p.inputZeroPoint(), false);
            range = (batch, oh, ow) -> Int8ConvTemplate.parallelRange(wl, batch, oh, ow, config);
            k = kernels.computeIfAbsent(wl.key() + config,
                    key -> Int8ConvTemplate.build(wl, config, "k" + kernels.size(), level));
        }
        ConvStep.Geometry geo = new ConvStep.Geometry(w.dim(2), w.dim(3), (int) strides[0], (int) strides[1],
                (int) dil[0], (int) dil[1], autoPad, (int) pads[0], (int) pads[1]);
        Int8ConvStep.Output out = new Int8ConvStep.Output(y.type(), (int) y.zeroPoint(), (int) clamp[0],
                (int) clamp[1]);
        String what = config.toString() + (residual != null ? " +residual" : "");
        Int8ConvStep.Residual res = residual;
        return new ModelCompiler.Lowered(lib -> new Int8ConvStep(n.input(0), n.outputs().get(0), cout, geo,
                ModelCompiler.kernel(lib, k), packed, range, out, reference, what, res));
    }

    /**
     * The fused add of an octet.QLinearConvAdd (inputs 9-15: A_scale, A_zero_point, R, R_scale, R_zero_point,
     * C_scale, C_zero_point; attribute add_clamp), or null where the kernels' residual stage does not cover it.
     */
    private static Int8ConvStep.Residual residual(Graph g, Node n) {
        Int8Lowering.PerTensor a = Int8Lowering.PerTensor.of(g, n, 9, 10);
        Int8Lowering.PerTensor r = Int8Lowering.PerTensor.of(g, n, 12, 13);
        Int8Lowering.PerTensor c = Int8Lowering.PerTensor.of(g, n, 14, 15);
        if (a == null || r == null || c == null || r.type() != DataType.UINT8) {
            return null;
        }
        float[] m = Int8ConvTemplate.residualMultipliers(a.scale(), r.scale(), c.scale());
        for (float v : m) {
            // (q − zp)·m stays finite, so the fp32 sum of two terms is never inf − inf (NaN)
            if (!Float.isFinite(v) || Math.abs(v) > 1e30f) {
                return null;
            }
        }
        long[] clamp = n.attributes().getInts("add_clamp", new long[] {c.type().minValue(), c.type().maxValue()});
        return new Int8ConvStep.Residual(n.input(11), m, (int) a.zeroPoint(), (int) r.zeroPoint(),
                new Int8ConvStep.Output(c.type(), (int) c.zeroPoint(), (int) clamp[0], (int) clamp[1]));
    }
}
