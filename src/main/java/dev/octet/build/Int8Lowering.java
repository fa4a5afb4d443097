package dev.octet.build;

import dev.octet.ir.DataType;
import dev.octet.ir.Graph;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;
import dev.octet.ir.op.quant.QuantMath;
import dev.octet.kernel.ConfigChooser;
import dev.octet.kernel.IsaLevel;
import dev.octet.kernel.loop.LoopKernel;
import dev.octet.runtime.DequantizeStep;
import dev.octet.runtime.Int8AddStep;
import dev.octet.runtime.Int8LookupStep;
import dev.octet.runtime.OperatorStep;
import dev.octet.runtime.QuantizeStep;
import dev.octet.runtime.Step;
import java.util.Map;

/**
 * Lowers the integer operators of a quantized graph: QLinearConv and octet.ClampedQLinearConv to native int8
 * convolutions ({@link Int8ConvLowering}; on the JVM backend they run their reference), and per-tensor
 * QuantizeLinear, DequantizeLinear and octet.QLinearAdd with constant parameters to Java steps exact to QuantMath,
 * and octet.QLinearLookup to a Java table lookup.
 * Every step keeps the node's reference step for runs it does not cover.
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
        Step step = null;
        if (onnx && n.opType().equals("QLinearConv") || octet && n.opType().equals("ClampedQLinearConv")) {
            return nativeKernels ? Int8ConvLowering.lower(g, n, kernels, ref, level, chooser) : null;
        } else if (onnx && n.opType().equals("QuantizeLinear")) {
            PerTensor p = PerTensor.of(g, n, 1, 2);
            step = p == null ? null : new QuantizeStep(n.input(0), n.outputs().get(0), p.scale(), p.zeroPoint(),
                    p.type(), ref);
        } else if (onnx && n.opType().equals("DequantizeLinear")) {
            PerTensor p = PerTensor.of(g, n, 1, 2);
            step = p == null ? null : new DequantizeStep(n.input(0), n.outputs().get(0), p.scale(), p.zeroPoint(),
                    p.type(), ref);
        } else if (octet && n.opType().equals("QLinearAdd")) {
            step = add(g, n, ref);
        } else if (octet && n.opType().equals("QLinearLookup") && g.constants().containsKey(n.input(1))) {
            step = new Int8LookupStep(n.input(0), n.outputs().get(0), g.constants().get(n.input(1)), ref);
        }
        Step s = step;
        return s == null ? null : new ModelCompiler.Lowered(lib -> s);
    }

    private static Step add(Graph g, Node n, Step ref) {
        PerTensor a = PerTensor.of(g, n, 1, 2);
        PerTensor b = PerTensor.of(g, n, 4, 5);
        PerTensor y = PerTensor.of(g, n, 6, 7);
        if (a == null || b == null || y == null) {
            return null;
        }
        long[] clamp = n.attributes().getInts("clamp", new long[] {y.type().minValue(), y.type().maxValue()});
        return new Int8AddStep(
                new Int8AddStep.Operand(n.input(0), a.type(), a.zeroPoint(), QuantMath.addMultiplier(a.scale(),
                        y.scale())),
                new Int8AddStep.Operand(n.input(3), b.type(), b.zeroPoint(), QuantMath.addMultiplier(b.scale(),
                        y.scale())),
                n.outputs().get(0), y.type(), y.zeroPoint(), clamp[0], clamp[1], ref);
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
