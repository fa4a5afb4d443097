package dev.octet.pass;

import dev.octet.ir.DataType;
import dev.octet.ir.Node;
import dev.octet.ir.Tensor;

/**
 * The per-tensor quantization of one DequantizeLinear or QuantizeLinear node of a QDQ graph (QDQ_FORM.md): its
 * scale and zero point are constants of one element, the scale positive and finite, the zero point uint8 or int8.
 * What the int8 fusion passes match on; a node of any other form (per-axis, zero point absent or computed) gives
 * null and its group stays float.
 *
 * @param scale the scale's value name, {@code scaleValue} its value
 * @param zeroPoint the zero point's value name, {@code zeroPointValue} its value and {@code type} its type (the
 *     integer side's type)
 */
record QdqParams(String scale, String zeroPoint, float scaleValue, long zeroPointValue, DataType type) {
    /** The node's parameters where it is a per-tensor DequantizeLinear or QuantizeLinear with constant ones. */
    static QdqParams of(GraphIndex index, Node n, String opType) {
        if (n == null || !n.domain().isEmpty() || !n.opType().equals(opType) || !n.hasInput(1) || !n.hasInput(2)) {
            return null;
        }
        Tensor s = index.constant(n.input(1));
        Tensor z = index.constant(n.input(2));
        if (s == null || z == null || s.size() != 1 || z.size() != 1 || s.dtype() != DataType.FLOAT
                || (z.dtype() != DataType.UINT8 && z.dtype() != DataType.INT8)) {
            return null;
        }
        float scale = s.floats()[0];
        if (!(scale > 0) || !Float.isFinite(scale)) {
            return null;
        }
        return new QdqParams(n.input(1), n.input(2), scale, z.getLong(0), z.dtype());
    }

    /** The parameters of the DequantizeLinear that computes {@code value}, or null. */
    static QdqParams dequantizing(GraphIndex index, String value) {
        return of(index, index.producer(value), "DequantizeLinear");
    }

    /** The same scale (bit for bit), zero point and type: a value carried between the two is exact on integers. */
    boolean sameAs(QdqParams o) {
        return Float.floatToRawIntBits(scaleValue) == Float.floatToRawIntBits(o.scaleValue)
                && zeroPointValue == o.zeroPointValue && type == o.type;
    }

    /** Where QuantizeLinear with these parameters sends a real value (the bound of a fused ReLU or Clip). */
    long quantize(float x) {
        return dev.octet.ir.op.quant.QuantMath.quantize(x, scaleValue, zeroPointValue, type);
    }
}
