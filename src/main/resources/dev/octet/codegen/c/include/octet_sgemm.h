/* fp32 GEMM micro-kernels for AVX2 + FMA (x86-64-v3): the innermost block of Octet's GEMM and convolution
 * templates. Packed operands:
 *   A panel: kc steps of OCTET_MR rows     a[k * OCTET_MR + r]   (weights, packed once at compile time)
 *   B panel: kc steps of OCTET_NR columns  b[k * OCTET_NR + c]   (activations, packed per block, zero-padded)
 * C is row-major with row stride ldc. Operands may lie in Java heap arrays (16-byte aligned only), so every
 * load is unaligned. The product is summed in fp32 with fused multiply-adds in k order; the
 * verifier's bound (DESIGN.md invariant 2) covers any such order. */
#ifndef OCTET_SGEMM_H
#define OCTET_SGEMM_H
#include <immintrin.h>
#include <string.h>
#include "octet_runtime.h"

#define OCTET_MR 6
#define OCTET_NR 16

/* C[0..6)[0..16) = (accumulate ? C : 0) + A·B, all of the tile valid. */
static inline void octet_sgemm_6x16(int64_t kc, const float *restrict a, const float *restrict b,
                                    float *restrict c, int64_t ldc, int accumulate) {
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (accumulate) {
        c00 = _mm256_loadu_ps(c + 0 * ldc); c01 = _mm256_loadu_ps(c + 0 * ldc + 8);
        c10 = _mm256_loadu_ps(c + 1 * ldc); c11 = _mm256_loadu_ps(c + 1 * ldc + 8);
        c20 = _mm256_loadu_ps(c + 2 * ldc); c21 = _mm256_loadu_ps(c + 2 * ldc + 8);
        c30 = _mm256_loadu_ps(c + 3 * ldc); c31 = _mm256_loadu_ps(c + 3 * ldc + 8);
        c40 = _mm256_loadu_ps(c + 4 * ldc); c41 = _mm256_loadu_ps(c + 4 * ldc + 8);
        c50 = _mm256_loadu_ps(c + 5 * ldc); c51 = _mm256_loadu_ps(c + 5 * ldc + 8);
    } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
    }
    for (int64_t k = 0; k < kc; k++) {
        const __m256 b0 = _mm256_loadu_ps(b + k * OCTET_NR);
        const __m256 b1 = _mm256_loadu_ps(b + k * OCTET_NR + 8);
        const float *ak = a + k * OCTET_MR;
        __m256 av = _mm256_broadcast_ss(ak + 0);
        c00 = _mm256_fmadd_ps(av, b0, c00); c01 = _mm256_fmadd_ps(av, b1, c01);
        av = _mm256_broadcast_ss(ak + 1);
        c10 = _mm256_fmadd_ps(av, b0, c10); c11 = _mm256_fmadd_ps(av, b1, c11);
        av = _mm256_broadcast_ss(ak + 2);
        c20 = _mm256_fmadd_ps(av, b0, c20); c21 = _mm256_fmadd_ps(av, b1, c21);
        av = _mm256_broadcast_ss(ak + 3);
        c30 = _mm256_fmadd_ps(av, b0, c30); c31 = _mm256_fmadd_ps(av, b1, c31);
        av = _mm256_broadcast_ss(ak + 4);
        c40 = _mm256_fmadd_ps(av, b0, c40); c41 = _mm256_fmadd_ps(av, b1, c41);
        av = _mm256_broadcast_ss(ak + 5);
        c50 = _mm256_fmadd_ps(av, b0, c50); c51 = _mm256_fmadd_ps(av, b1, c51);
    }
    _mm256_storeu_ps(c + 0 * ldc, c00); _mm256_storeu_ps(c + 0 * ldc + 8, c01);
    _mm256_storeu_ps(c + 1 * ldc, c10); _mm256_storeu_ps(c + 1 * ldc + 8, c11);
    _mm256_storeu_ps(c + 2 * ldc, c20); _mm256_storeu_ps(c + 2 * ldc + 8, c21);
    _mm256_storeu_ps(c + 3 * ldc, c30); _mm256_storeu_ps(c + 3 * ldc + 8, c31);
    _mm256_storeu_ps(c + 4 * ldc, c40); _mm256_storeu_ps(c + 4 * ldc + 8, c41);
    _mm256_storeu_ps(c + 5 * ldc, c50); _mm256_storeu_ps(c + 5 * ldc + 8, c51);
}

/* The same for a partial tile of rows × cols (rows ≤ 6, cols ≤ 16): computed in a full local tile (the packed
 * operands are zero-padded) and copied out, so nothing outside the tile is read or written. */
static inline void octet_sgemm_6x16_edge(int64_t kc, const float *restrict a, const float *restrict b,
                                         float *restrict c, int64_t ldc, int64_t rows, int64_t cols,
                                         int accumulate) {
    if (rows == OCTET_MR && cols == OCTET_NR) {
        octet_sgemm_6x16(kc, a, b, c, ldc, accumulate);
        return;
    }
    float t[OCTET_MR * OCTET_NR] __attribute__((aligned(32)));
    for (int64_t r = 0; r < OCTET_MR; r++) {
        for (int64_t j = 0; j < OCTET_NR; j++) {
            t[r * OCTET_NR + j] = (accumulate && r < rows && j < cols) ? c[r * ldc + j] : 0.0f;
        }
    }
    octet_sgemm_6x16(kc, a, b, t, OCTET_NR, 1);
    for (int64_t r = 0; r < rows; r++) {
        memcpy(c + r * ldc, t + r * OCTET_NR, (size_t) cols * sizeof(float));
    }
}

#endif
