package dev.octet.ir.op;

import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import java.util.List;

/**
 * One ONNX operator: its type inference and its reference implementation, the one plain, obviously correct
 * computation that every fast kernel, the tuner's verification and the tests are checked against.
 *
 * <p>Float reductions (Conv, MatMul, Gemm, pooling, means) accumulate in double and round once to the output type;
 * integer operators are exact. Implementations are stateless and thread-safe.
 */
public interface Operator {
    /** The ONNX op_type, e.g. "Conv". */
    String opType();

    /** The operator domain; "" is the default ONNX domain. */
    default String domain() {
        return "";
    }

    /**
     * Output types from input types (and input values where they are constant). Dimensions that cannot be known
     * yet are {@link dev.octet.ir.Dim#unknown()} or symbolic. Invalid input fails with {@link InferenceContext#fail}.
     */
    List<TensorType> inferTypes(InferenceContext ctx);

    /** Computes the outputs. Inputs have already passed {@link #inferTypes}. */
    List<Tensor> evaluate(EvalContext ctx);

    /**
     * The output values where the input <em>types</em> alone determine them, though the input values are not
     * known (Shape and Size of a tensor of static shape); null otherwise, as for almost every operator.
     * {@link ShapeInference} treats such outputs as constants, which lets the Shape→Gather→Concat→Reshape
     * chains of exported models fold. Called after {@link #inferTypes} succeeded on the same context.
     */
    default List<Tensor> constantOutputs(InferenceContext ctx) {
        return null;
    }
}
