package dev.octet.build;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.Config;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.DequantizeLinearTemplate;
import dev.octet.kernel.Implementations;
import dev.octet.kernel.Int8AddTemplate;
import dev.octet.kernel.Int8AddWorkload;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.QuantizeLinearTemplate;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.DequantizeStep;
import dev.octet.runtime.Int8AddStep;
import dev.octet.runtime.Int8LookupStep;
import dev.octet.runtime.Int8ElementwiseStep;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.QuantizeStep;
import dev.octet.runtime.Step;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Lowers the integer operators of a quantized graph: QLinearConv, octet.ClampedQLinearConv and octet.QLinearConvAdd
 * to native int8
 * convolutions ({@link Int8ConvLowering}; on the JVM backend they run their reference), and per-tensor
 * QuantizeLinear, DequantizeLinear and octet.QLinearAdd with constant parameters to native kernels of their
 * templates ({@link Int8ElementwiseStep}), or on the JVM backend to Java steps; both exact to QuantMath; and
 * octet.QLinearLookup to a Java table lookup. Every native step keeps the Java step, and every Java step the
 * node's reference, for runs it does not cover.
 */
final class Int8Lowering {
    private Int8Lowering() {
    }

    /**
     * The lowered step, or null.
     *
     * @param nativeKernels whether int8 convolutions may become native kernels (added to {@code kernels})
     */
    static ModelCompiler.Lowered lower(Graph g, Node n, Map<String, LoopKernel> kernels, boolean nativeKernels,
            IsaLevel level, ConfigChooser chooser) {
        boolean onnx = n.domain().isEmpty();
        boolean octet = n.domain().equals("octet");
        Step ref = new OperatorStep(n, g.opset(n.domain()));
        if (onnx && n.opType().equals("QLinearConv") || octet && (n.opType().equals("ClampedQLinearConv")
                || n.opType().equals("QLinearConvAdd"))) {
            return nativeKernels ? Int8ConvLowering.lower(g, n, kernels, ref, level, chooser) : null;
        } else if (onnx && n.opType().equals("QuantizeLinear")) {
            return quantize(g, n, ref, nativeKernels ? kernels : null);
        } else if (onnx && n.opType().equals("DequantizeLinear")) {
            return dequantize(g, n, ref, nativeKernels ? kernels : null);
        } else if (octet && n.opType().equals("QLinearAdd")) {
            return add(g, n, ref, nativeKernels ? kernels : null, chooser);
        } else if (octet && n.opType().equals("QLinearLookup") && g.constants().containsKey(n.input(1))) {
            Step lookup = new Int8LookupStep(n.input(0), n.outputs().get(0), g.constants().get(n.input(1)), ref);
            return new ModelCompiler.Lowered(lib -> lookup);
        }
        return null;
    }

    /** Per-tensor QuantizeLinear: the native template where the scale is finite and positive, else Java. */
    private static ModelCompiler.Lowered quantize(Graph g, Node n, Step ref, Map<String, LoopKernel> kernels) {
        PerTensor p = PerTensor.of(g, n, 1, 2);
        if (p == null) {
            return null;
        }
        Step java = new QuantizeStep(n.input(0), n.outputs().get(0), p.scale(), p.zeroPoint(), p.type(), ref);
        if (kernels == null || !(p.scale() > 0) || !Float.isFinite(p.scale())) {
            return new ModelCompiler.Lowered(lib -> java);
        }
        boolean signed = p.type() == DataType.INT8;
        Config config = QuantizeLinearTemplate.knobs(signed).defaults();
        LoopKernel k = kernels.computeIfAbsent("quantize_" + p.type() + config,
                key -> QuantizeLinearTemplate.build(signed, config, "k" + kernels.size()));
        int zy = (int) p.zeroPoint();
        return elementwise(n, List.of(DataType.FLOAT), new float[] {p.scale()}, p.type(), config, k,
                t -> QuantizeLinearTemplate.scalars(t, zy, signed), java);
    }

    /** Per-tensor DequantizeLinear of bytes: the native template where the scale is finite, else Java. */
    private static ModelCompiler.Lowered dequantize(Graph g, Node n, Step ref, Map<String, LoopKernel> kernels) {
        PerTensor p = PerTensor.of(g, n, 1, 2);
        if (p == null) {
            return null;
        }
        Step java = new DequantizeStep(n.input(0), n.outputs().get(0), p.scale(), p.zeroPoint(), p.type(), ref);
        if (kernels == null || !Float.isFinite(p.scale())) {
            return new ModelCompiler.Lowered(lib -> java);
        }
        boolean signed = p.type() == DataType.INT8;
        Config config = DequantizeLinearTemplate.knobs(signed).defaults();
        LoopKernel k = kernels.computeIfAbsent("dequantize_" + p.type() + config,
                key -> DequantizeLinearTemplate.build(signed, config, "k" + kernels.size()));
        int zx = (int) p.zeroPoint();
        return elementwise(n, List.of(p.type()), new float[] {p.scale()}, DataType.FLOAT, config, k,
                t -> DequantizeLinearTemplate.scalars(t, zx), java);
    }

    /** octet.QLinearAdd: the native template where both multipliers are finite, else Java. */
    private static ModelCompiler.Lowered add(Graph g, Node n, Step ref, Map<String, LoopKernel> kernels,
            ConfigChooser chooser) {
        PerTensor a = PerTensor.of(g, n, 1, 2);
        PerTensor b = PerTensor.of(g, n, 4, 5);
        PerTensor y = PerTensor.of(g, n, 6, 7);
        if (a == null || b == null || y == null) {
            return null;
        }
        long[] clamp = n.attributes().getInts("clamp", new long[] {y.type().minValue(), y.type().maxValue()});
        float ma = QuantMath.addMultiplier(a.scale(), y.scale());
        float mb = QuantMath.addMultiplier(b.scale(), y.scale());
        Step java = new Int8AddStep(new Int8AddStep.Operand(n.input(0), a.type(), a.zeroPoint(), ma),
                new Int8AddStep.Operand(n.input(3), b.type(), b.zeroPoint(), mb),
                n.outputs().get(0), y.type(), y.zeroPoint(), clamp[0], clamp[1], ref);
        if (kernels == null || !Float.isFinite(ma) || !Float.isFinite(mb)) {
            return new ModelCompiler.Lowered(lib -> java);
        }
        Int8AddWorkload wl = new Int8AddWorkload(a.type() == DataType.INT8, b.type() == DataType.INT8,
                y.type() == DataType.INT8);
        Config config = chooser.choose(new ConfigChooser.Request(wl.key(), wl, Implementations.int8Add(wl)));
        LoopKernel k = kernels.computeIfAbsent(wl.key() + config,
                key -> Int8AddTemplate.build(wl, config, "k" + kernels.size()));
        int za = (int) a.zeroPoint();
        int zb = (int) b.zeroPoint();
        int zy = (int) y.zeroPoint();
        int lo = (int) clamp[0];
        int hi = (int) clamp[1];
        float[] m = Int8AddTemplate.multipliers(a.scale(), b.scale(), y.scale());
        return new ModelCompiler.Lowered(lib -> new Int8ElementwiseStep(List.of(n.input(0), n.input(3)),
                List.of(a.type(), b.type()), m, n.outputs().get(0), y.type(),
                t -> Int8AddTemplate.scalars(t, za, zb, zy, lo, hi), config.get("block"),
                ModelCompiler.kernel(lib, k), java, config.toString()));
    }

    /** A one-input native elementwise step on kernel {@code k} (QuantizeLinear, DequantizeLinear). */
    private static ModelCompiler.Lowered elementwise(Node n, List<DataType> inputTypes, float[] constants,
            DataType outputType, Config config, LoopKernel k, LongFunction<long[]> scalars, Step java) {
        return new ModelCompiler.Lowered(lib -> new Int8ElementwiseStep(List.of(n.input(0)), inputTypes, constants,
                n.outputs().get(0), outputType, scalars, config.get("block"), ModelCompiler.kernel(lib, k), java,
                config.toString()));
    }

    /** A constant per-tensor scale and 8-bit zero point of a node, read from two of its inputs. */
    record PerTensor(float scale, long zeroPoint, DataType type) {
        /** The parameters, or null where either is absent, not constant, not one element or not 8-bit. */
        static PerTensor of(Graph g, Node n, int scaleInput, int zeroPointInput) {
            if (!n.hasInput(scaleInput) || !n.hasInput(zeroPointInput)) {
                return null;
            }
            Tensor s = g.constants().get(n.input(scaleInput));
            Tensor z = g.constants().get(n.input(zeroPointInput));
            if (s == null || z == null || s.size() != 1 || z.size() != 1 || s.dtype() != DataType.FLOAT
                    || (z.dtype() != DataType.UINT8 && z.dtype() != DataType.INT8)) {
                return null;
            }
            return new PerTensor(s.floats()[0], z.getLong(0), z.dtype());
        }
    }
}
