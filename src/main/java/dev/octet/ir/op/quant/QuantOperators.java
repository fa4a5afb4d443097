package dev.octet.ir.op.quant;

import dev.octet.ir.op.Operator;
import java.util.List;

/** Quantization: QuantizeLinear, DequantizeLinear, QLinearConv, ConvInteger, MatMulInteger..., and Octet's
 * ClampedQLinearConv, QLinearAdd and QLinearLookup (domain "octet"). */
public final class QuantOperators {
    private QuantOperators() {
    }

    /** The operators of this group, for {@link dev.octet.ir.op.OperatorRegistry}. */
    public static List<Operator> all() {
        return List.of(
                new QuantizeLinear(),
                new DequantizeLinear(),
                new DynamicQuantizeLinear(),
                new MatMulInteger(),
                new QLinearMatMul(),
                new ConvInteger(),
                new QLinearConv(),
                new ClampedQLinearConv(),
                new QLinearAdd(),
                new QLinearConvAdd(),
                new QLinearLookup());
    }
}
