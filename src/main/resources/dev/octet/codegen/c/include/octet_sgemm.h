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

/* Packing of the conv-as-GEMM B operand (activations), one reduction row at a time, into 16-column panels
 * dst[p * ldp + lane] for panel p of npanels (pixel 16·p + lane of the block).
 *
 * octet_im2col_row: pixel j reads plane[(iy[j] + dy) * W + ix[j] + dx], 0 outside the H × W plane; iy/ix are the
 * block's pixel origins (int32, 16 per panel; a pixel past the block has an origin far outside the plane). sw is
 * the stride along W (a constant at every call, so the branches on it fold). A panel whose 16 pixels lie on one
 * output row reads one contiguous (sw = 1) or two-vector (sw = 2) run with the out-of-plane lanes masked; other
 * panels use a masked gather. Masked-off lanes are never read, so nothing outside the plane is touched. */
#ifdef __AVX512F__
static inline __attribute__((always_inline)) __mmask32 octet_lane_interval(int64_t lo, int64_t hi, int64_t n) {
    lo = lo < 0 ? 0 : lo > n ? n : lo;
    hi = hi < lo ? lo : hi > n ? n : hi;
    const uint64_t ones = (hi >= 64 ? ~0ull : (1ull << hi) - 1) & ~((1ull << lo) - 1);
    return (__mmask32) ones;
}
#endif

static inline __attribute__((always_inline)) void octet_im2col_row(const float *plane, int64_t H, int64_t W,
        int64_t dy, int64_t dx, const int64_t sw, const int32_t *restrict iy, const int32_t *restrict ix,
        int64_t npanels, float *restrict dst, int64_t ldp) {
    for (int64_t p = 0; p < npanels; p++) {
        const int32_t *py = iy + 16 * p;
        const int32_t *px = ix + 16 * p;
        float *d = dst + p * ldp;
#ifdef __AVX512F__
        if (py[0] == py[15] && (sw == 1 || sw == 2)) {
            const int64_t ih = py[0] + dy;
            const int64_t iw = px[0] + dx;
            if ((uint64_t) ih >= (uint64_t) H) {
                _mm512_storeu_ps(d, _mm512_setzero_ps());
                continue;
            }
            const float *row = plane + ih * W + iw;
            if (iw >= 0 && iw + 16 * sw <= W) { /* inside the row (most panels): no lane masks to compute */
                if (sw == 1) {
                    _mm512_storeu_ps(d, _mm512_loadu_ps(row));
                } else {
                    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
                    _mm512_storeu_ps(d, _mm512_permutex2var_ps(_mm512_loadu_ps(row), even,
                            _mm512_loadu_ps(row + 16)));
                }
                continue;
            }
            if (sw == 1) {
                _mm512_storeu_ps(d, _mm512_maskz_loadu_ps((__mmask16) octet_lane_interval(-iw, W - iw, 16), row));
            } else {
                const __mmask32 m = octet_lane_interval(-iw, W - iw, 32);
                const __m512 lo = _mm512_maskz_loadu_ps((__mmask16) m, row);
                const __m512 hi = _mm512_maskz_loadu_ps((__mmask16) (m >> 16), row + 16);
                const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
                _mm512_storeu_ps(d, _mm512_permutex2var_ps(lo, even, hi));
            }
            continue;
        }
        const __m512i vh = _mm512_add_epi32(_mm512_loadu_si512(py), _mm512_set1_epi32((int32_t) dy));
        const __m512i vw = _mm512_add_epi32(_mm512_loadu_si512(px), _mm512_set1_epi32((int32_t) dx));
        const __mmask16 m = _mm512_cmplt_epu32_mask(vh, _mm512_set1_epi32((int32_t) H))
                & _mm512_cmplt_epu32_mask(vw, _mm512_set1_epi32((int32_t) W));
        const __m512i idx = _mm512_add_epi32(_mm512_mullo_epi32(vh, _mm512_set1_epi32((int32_t) W)), vw);
        /* Where the in-plane lanes read consecutive floats (stride 1 with OW = W, "same" padding: a panel that
         * crosses output rows crosses input rows at the same place), one masked load replaces the gather. */
        const int32_t first = (int32_t) ((py[0] + dy) * W + px[0] + dx);
        const __m512i run = _mm512_add_epi32(_mm512_set1_epi32(first),
                _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        if (sw == 1 && _mm512_mask_cmpneq_epi32_mask(m, idx, run) == 0) {
            _mm512_storeu_ps(d, _mm512_maskz_loadu_ps(m, plane + first));
            continue;
        }
        _mm512_storeu_ps(d, _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, idx, plane, 4));
#else
        for (int h = 0; h < 2; h++) {
            const __m256i vh = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *) (py + 8 * h)),
                    _mm256_set1_epi32((int32_t) dy));
            const __m256i vw = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *) (px + 8 * h)),
                    _mm256_set1_epi32((int32_t) dx));
            /* 0 <= v < n, as two signed compares (AVX2 has no unsigned one) */
            const __m256i okh = _mm256_and_si256(_mm256_cmpgt_epi32(vh, _mm256_set1_epi32(-1)),
                    _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t) H), vh));
            const __m256i okw = _mm256_and_si256(_mm256_cmpgt_epi32(vw, _mm256_set1_epi32(-1)),
                    _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t) W), vw));
            const __m256i ok = _mm256_and_si256(okh, okw);
            const __m256i idx = _mm256_add_epi32(_mm256_mullo_epi32(vh, _mm256_set1_epi32((int32_t) W)), vw);
            _mm256_storeu_ps(d + 8 * h, _mm256_mask_i32gather_ps(_mm256_setzero_ps(), plane, idx,
                    _mm256_castsi256_ps(ok), 4));
        }
#endif
    }
}

/* octet_pack_rows: dst panels = src[0 .. n) in order, zero past n (1×1 convolutions: a contiguous row of pixels). */
static inline __attribute__((always_inline)) void octet_pack_rows(const float *restrict src, int64_t n,
        int64_t npanels, float *restrict dst, int64_t ldp) {
    for (int64_t p = 0; p < npanels; p++) {
        const int64_t left = n - 16 * p;
#ifdef __AVX512F__
        const __mmask16 m = left >= 16 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << left) - 1);
        _mm512_storeu_ps(dst + p * ldp, _mm512_maskz_loadu_ps(m, src + 16 * p));
#else
        for (int h = 0; h < 2; h++) {
            const int64_t l = left - 8 * h;
            const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            const __m256i m = _mm256_cmpgt_epi32(_mm256_set1_epi32((int32_t) (l > 8 ? 8 : l < 0 ? 0 : l)), lanes);
            _mm256_storeu_ps(dst + p * ldp + 8 * h, _mm256_maskload_ps(src + 16 * p + 8 * h, m));
        }
#endif
    }
}

#ifdef __AVX512F__
/* AVX-512 (x86-64-v4): a 6 × 64 tile on zmm registers, 24 accumulators, four B loads and six broadcasts per 24 FMAs.
 * A is the same 6-row panel as octet_sgemm_6x16's; B is nz = ceil(cols / 16) of the same 16-column panels, ldp
 * floats apart (b + z·ldp + k·16), so both templates keep their packing. Columns past cols are masked (loads and
 * stores), rows past rows are computed from the zero-padded panel and not stored. */
#define OCTET_NR512 64

/* Epilogue steps a tile can apply in registers, in this order, each a separate fp32 operation exactly as the
 * generated epilogue pass computes it: v + bias[r], v + res[r·ldc + col], max(v, lo) (OCTET_MAX: a NaN v stays),
 * min(v, hi) (OCTET_MIN). */
#define OCTET_EPI_BIAS 1
#define OCTET_EPI_RESIDUAL 2
#define OCTET_EPI_MAX 4
#define OCTET_EPI_MIN 8

static inline __attribute__((always_inline)) void octet_sgemm512_epilogue(__m512 acc[OCTET_MR][4],
        const __mmask16 mask[4], const int nz, int64_t rows, int epi, const float *restrict bias,
        const float *res, int64_t ldc, float lo, float hi) {
    const __m512 vlo = _mm512_set1_ps(lo);
    const __m512 vhi = _mm512_set1_ps(hi);
#pragma GCC unroll 6
    for (int r = 0; r < OCTET_MR; r++) {
        if (r < rows) {
            const __m512 br = (epi & OCTET_EPI_BIAS) ? _mm512_set1_ps(bias[r]) : _mm512_setzero_ps();
#pragma GCC unroll 4
            for (int z = 0; z < nz; z++) {
                __m512 v = acc[r][z];
                if (epi & OCTET_EPI_BIAS) {
                    v = _mm512_add_ps(v, br);
                }
                if (epi & OCTET_EPI_RESIDUAL) {
                    v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(mask[z], res + r * ldc + 16 * z));
                }
                if (epi & OCTET_EPI_MAX) {
                    v = _mm512_max_ps(vlo, v); /* the second operand where either is NaN or both are zero */
                }
                if (epi & OCTET_EPI_MIN) {
                    v = _mm512_min_ps(vhi, v);
                }
                acc[r][z] = v;
            }
        }
    }
}

static inline __attribute__((always_inline)) void octet_sgemm512_6xz(int64_t kc, const float *restrict a,
        const float *restrict b, int64_t ldp, float *c, int64_t ldc, int64_t rows, int64_t cols,
        int accumulate, const int nz, int epi, const float *restrict bias, const float *res, float lo,
        float hi, const float *anext) {
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
        _mm_prefetch((const char *) (anext + k * OCTET_MR), _MM_HINT_T0);
#pragma GCC unroll 6
        for (int r = 0; r < OCTET_MR; r++) {
            const __m512 av = _mm512_set1_ps(ak[r]);
#pragma GCC unroll 4
            for (int z = 0; z < nz; z++) {
                acc[r][z] = _mm512_fmadd_ps(av, bv[z], acc[r][z]);
            }
        }
    }
    if (epi) {
        octet_sgemm512_epilogue(acc, mask, nz, rows, epi, bias, res, ldc, lo, hi);
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

/* C[0..rows)[0..cols) = (accumulate ? C : 0) + A·B for rows ≤ 6, cols ≤ 64, then the epilogue epi (0: none) on
 * the tile while it is in registers (see octet_sgemm512_epilogue; bias and res as there). res may be c itself (so
 * neither is restrict): a tile reads every residual it adds before it stores, and stores only its own elements,
 * so a convolution whose one reduction block covers all of K may write its output over its residual. anext: the A
 * panel the next call will read (k·6 floats of it are prefetched at step k), so that weights streaming from memory
 * arrive while this tile computes (layers with few pixels use each weight for one tile only). Not inlined: a call
 * per tile is cheap, and inlined into a large kernel the 24 accumulators lose registers to its other values. */
static __attribute__((noinline)) void octet_sgemm512_6x64_epi(int64_t kc, const float *restrict a,
        const float *restrict b, int64_t ldp, float *c, int64_t ldc, int64_t rows, int64_t cols,
        int accumulate, int epi, const float *restrict bias, const float *res, float lo, float hi,
        const float *anext) {
    if (cols > 48) {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 4, epi, bias, res, lo, hi, anext);
    } else if (cols > 32) {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 3, epi, bias, res, lo, hi, anext);
    } else if (cols > 16) {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 2, epi, bias, res, lo, hi, anext);
    } else {
        octet_sgemm512_6xz(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 1, epi, bias, res, lo, hi, anext);
    }
}

/* C[0..rows)[0..cols) = (accumulate ? C : 0) + A·B for rows ≤ 6, cols ≤ 64. */
static inline void octet_sgemm512_6x64_edge(int64_t kc, const float *restrict a, const float *restrict b,
                                            int64_t ldp, float *restrict c, int64_t ldc, int64_t rows,
                                            int64_t cols, int accumulate) {
    octet_sgemm512_6x64_epi(kc, a, b, ldp, c, ldc, rows, cols, accumulate, 0, 0, 0, 0.0f, 0.0f, a);
}
#endif /* __AVX512F__ */

#endif
