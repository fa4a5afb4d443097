package dev.octet.ir.op.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.octet.ir.DataType;
import dev.octet.ir.Dim;
import dev.octet.ir.OctetException;
import dev.octet.ir.Tensor;
import dev.octet.ir.TensorType;
import dev.octet.ir.op.OpTestRun;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatMulIntegerTest {
    private static final Tensor A = Tensor.ofLongs(DataType.UINT8, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    private static final Tensor B = Tensor.ofLongs(DataType.UINT8, new int[] {3, 2}, 1, 0, 0, 1, 1, 1);

    private static Tensor run(Tensor... inputs) {
        return OpTestRun.op("MatMulInteger", 10).run1(inputs);
    }

    @Test
    void multipliesIntoInt32() {
        Tensor y = run(A, B);
        assertThat(y.dtype()).isEqualTo(DataType.INT32);
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.longs()).containsExactly(4, 5, 10, 11);
    }

    @Test
    void subtractsZeroPointsPerRowOfAAndPerColumnOfB() {
        // a - [1, 4] per row = [[0,1,2],[0,1,2]]; b - [1, 0] per column = [[0,0],[-1,1],[0,1]].
        Tensor y = run(A, B, Tensor.ofLongs(DataType.UINT8, new int[] {2}, 1, 4),
                Tensor.ofLongs(DataType.UINT8, new int[] {2}, 1, 0));
        assertThat(y.longs()).containsExactly(-1, 3, -1, 3);
        // The N-D forms [M, 1] and [1, N] mean the same.
        Tensor nd = run(A, B, Tensor.ofLongs(DataType.UINT8, new int[] {2, 1}, 1, 4),
                Tensor.ofLongs(DataType.UINT8, new int[] {1, 2}, 1, 0));
        assertThat(nd.longs()).containsExactly(-1, 3, -1, 3);
    }

    @Test
    void treatsVectorsAsNumpyDoes() {
        Tensor a = Tensor.ofLongs(DataType.INT8, new int[] {2}, -128, 127);
        Tensor b = Tensor.ofLongs(DataType.UINT8, new int[] {2}, 255, 255);
        Tensor y = run(a, b);
        assertThat(y.shape()).isEmpty();
        assertThat(y.longs()).containsExactly(-255);
    }

    @Test
    void broadcastsBatchAxes() {
        Tensor a = Tensor.ofLongs(DataType.UINT8, new int[] {2, 1, 3}, 1, 2, 3, 4, 5, 6);
        Tensor y = run(a, B);
        assertThat(y.shape()).containsExactly(2, 1, 2);
        assertThat(y.longs()).containsExactly(4, 5, 10, 11);
        List<TensorType> t = OpTestRun.op("MatMulInteger", 10).infer(new TensorType[] {
            new TensorType(DataType.UINT8, List.of(Dim.symbol("n"), Dim.of(5), Dim.of(3))), B.type()});
        assertThat(t.get(0).toString()).isEqualTo("i32[n,5,2]");
    }

    @Test
    void rejectsZeroPointsThatDoNotFit() {
        assertThatThrownBy(() -> run(A, B, Tensor.ofLongs(DataType.UINT8, new int[] {3}, 1, 2, 3), null))
                .isInstanceOf(OctetException.class).hasMessageContaining("has 3 values, but the operand has 2 rows");
        assertThatThrownBy(() -> run(A, Tensor.ofLongs(DataType.UINT8, new int[] {2, 2}, 1, 2, 3, 4)))
                .isInstanceOf(OctetException.class).hasMessageContaining("reduction lengths 3 and 2 differ");
    }
}
