package dev.octet.kernel;

/**
 * Y[M][N] = X[M][K] · W[K][N] (+ epilogue) with W constant: MatMul or Gemm whose right operand is a weight. K and N
 * are specialised; M (the batch and sequence rows) is a run-time argument.
 */
public record MatMulWorkload(int k, int n, Epilogue epilogue) {
    public String key() {
        return "matmul_f32[k" + k + ",n" + n + "," + epilogue + "]";
    }
}
