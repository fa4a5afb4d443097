package dev.octet.ir.op.tensor;

import dev.octet.ir.op.Operator;
import java.util.List;

/** Shape manipulation (Reshape, Transpose, Concat, Slice, Gather, Shape...) and the matrix products. */
public final class TensorOperators {
    private TensorOperators() {
    }

    /** The operators of this group, for {@link dev.octet.ir.op.OperatorRegistry}. */
    public static List<Operator> all() {
        return List.of(new Reshape(), new Flatten(), new Transpose(), new Concat(), new Split(), new Slice(),
                new Squeeze(), new Unsqueeze(), new Shape(), new Size(), new Gather(), new ConstantOfShape(),
                new Expand(), new Tile(), new MatMul(), new Gemm(), new GatherElements(), new Range(), new DepthToSpace(),
                new SpaceToDepth());
    }
}
