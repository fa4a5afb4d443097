package dev.octet.ir.op.nn;

import dev.octet.ir.op.Operator;
import java.util.List;

/** Convolutions, pooling, normalization, Gemm/MatMul, Resize, Pad; Octet's fused and layout operators. */
public final class NnOperators {
    private NnOperators() {
    }

    /** The operators of this group, for {@link dev.octet.ir.op.OperatorRegistry}. */
    public static List<Operator> all() {
        return List.of(new Conv(), new ConvTranspose(), new MaxPool(), new AveragePool(), new GlobalAveragePool(),
                new GlobalMaxPool(), new BatchNormalization(), new InstanceNormalization(), new LpNormalization(),
                new Resize(), new Upsample(), new Pad(), new FusedConv(), new FusedMatMul(), new ToBlocked(),
                new FromBlocked());
    }
}
