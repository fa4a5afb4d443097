/* fp32 GEMM micro-kernels for AVX2 + FMA (x86-64-v3) and AVX-512 (x86-64-v4): the innermost block of Octet's GEMM and convolution
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

#ifdef __AVX512F__
/* AVX-512 (x86-64-v4): a 6 × 64 tile on zmm registers, 24 accumulators, four B loads and six broadcasts per 24 FMAs.
 * A is the same 6-row panel as octet_sgemm_6x16's; B is nz = ceil(cols / 16) of the same 16-column panels, ldp
 * floats apart (b + z·ldp + k·16), so both templates keep their packing. Columns past cols are masked (loads and
 * stores), rows past rows are computed from the zero-padded panel and not stored. */
#define OCTET_NR512 64

static inline __attribute__((always_inline)) void octet_sgemm512_6xz(int64_t kc, const float *restrict a,
        const float *restrict b, int64_t ldp, float *restrict c, int64_t ldc, int64_t rows, int64_t cols,
        int accumulate, const int nz) {
    __m512 acc[OCTET_MR][4];
    __mmask16 mask[4];
#pragma GCC unroll 4
    for (int z = 0; z < 4; z++) {
        const int64_t n = cols - 16 * z;
        mask[z] = n >= 16 ? (__mmask16) 0xFFFF : n <= 0 ? (__mmask16) 0 : (__mmask16) ((1u << n) - 1);
    }
#pragma GCC unroll 6
    for (int r = 0; r < OCTET_MR; r++) {
#pragma GCC unroll 4
        for (int z = 0; z < nz; z++) {
            acc[r][z] = accumulate && r < rows ? _mm512_maskz_loadu_ps(mask[z], c + r * ldc + 16 * z)
                                               : _mm512_setzero_ps();
        }
    }
    for (int64_t k = 0; k < kc; k++) {
        __m512 bv[4];
#pragma GCC unroll 4
        for (int z = 0; z < nz; z++) {
            bv[z] = _mm512_loadu_ps(b + z * ldp + k * 16);
        }
        const float *ak = a + k * OCTET_MR;
#pragma GCC unroll 6
        for (int r = 0; r < OCTET_MR; r++) {
            const __m512 av = _mm512_set1_ps(ak[r]);
#pragma GCC unroll 4
            for (int z = 0; z < nz; z++) {
                acc[r][z] = _mm512_fmadd_ps(av, bv[z], acc[r][z]);
            }
        }
    }
#pragma GCC unroll 6
    for (int r = 0; r < OCTET_MR; r++) {
        if (r < rows) {
#pragma GCC unroll 4
            for (int z = 0; z < nz; z++) {
                _mm512_mask_storeu_ps(c + r * ldc + 16 * z, mask[z], acc[r][z]);
            }
        }
    }
}

/* C[0..rows)[0..cols) = (accumulate ? C : 0) + A·B for rows ≤ 6, cols ≤ 64. */
static inline void octet_sgemm512_6x64_edge(int64_t kc, const float *restrict a, const float *restrict b,
                                            int64_t ldp, float *restrict c, int64_t ldc, int64_t rows,
                                            int64_t cols, int accumulate) {
    if (cols > 48) {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 4);
    } else if (cols > 32) {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 3);
    } else if (cols > 16) {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 2);
    } else {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 1);
    }
}
#endif /* __AVX512F__ */

#endif
