package dev.octet.runtime;

import dev.octet.ir.DataType;
import dev.octet.ir.Tensor;
import java.util.Arrays;

/**
 * fp32 MatMul of two computed tensors with the same batch dimensions ([..., m, k] × [..., k, n], as attention's
 * scores and weighted sums), computed as the reference computes it: each output a double sum over k in ascending
 * order, rounded once to fp32. The loops run over (i, k, j) with a row of double sums, so no per-element accessor
 * and no double copy of the inputs: the same values as the reference, several times faster. Broadcast batches,
 * rank 1 and other types run the reference step.
 */
public final class BatchedMatMulStep implements Step {
    private final String a;
    private final String b;
    private final String output;
    private final Step reference;

    public BatchedMatMulStep(String a, String b, String output, Step reference) {
        this.a = a;
        this.b = b;
        this.output = output;
        this.reference = reference;
    }

    @Override
    public void run(ExecutionContext ctx) {
        Tensor x = ctx.get(a);
        Tensor y = ctx.get(b);
        int rank = x.rank();
        if (x.dtype() != DataType.FLOAT || y.dtype() != DataType.FLOAT || rank < 2 || y.rank() != rank
                || !Arrays.equals(x.shape(), 0, rank - 2, y.shape(), 0, rank - 2)
                || x.dim(rank - 1) != y.dim(rank - 2)) {
            ctx.runReference(reference, this);
            return;
        }
        int m = x.dim(rank - 2);
        int k = x.dim(rank - 1);
        int n = y.dim(rank - 1);
        int batches = 1;
        for (int d = 0; d < rank - 2; d++) {
            batches *= x.dim(d);
        }
        float[] av = x.floats();
        float[] bv = y.floats();
        float[] out = ctx.allocate(batches * m * n);
        double[] acc = new double[n];
        for (int batch = 0; batch < batches; batch++) {
            int aOff = batch * m * k;
            int bOff = batch * k * n;
            for (int i = 0; i < m; i++) {
                Arrays.fill(acc, 0);
                for (int p = 0; p < k; p++) {
                    double aip = av[aOff + i * k + p];
                    int row = bOff + p * n;
                    for (int j = 0; j < n; j++) {
                        acc[j] += aip * bv[row + j];
                    }
                }
                int o = (batch * m + i) * n;
                for (int j = 0; j < n; j++) {
                    out[o + j] = (float) (0.0 + acc[j]); // the reference adds each sum to a zeroed output
                }
            }
        }
        int[] shape = x.shape().clone();
        shape[rank - 1] = n;
        ctx.put(output, Tensor.of(DataType.FLOAT, shape, out));
    }

    @Override
    public String describe() {
        return "java MatMul";
    }
}
