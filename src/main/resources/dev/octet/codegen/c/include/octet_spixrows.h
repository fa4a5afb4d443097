/* fp32 convolution as GEMM with the block's pixels as the tile's rows (PixelRowsConvTemplate): the data movement
 * around octet_sgemm512_6x64_epi, which multiplies 6-pixel panels of the activations with 16-channel panels of the
 * weights into a row-major tile buffer (pixels × output channels), and the store that turns that buffer into NCHW
 * with the epilogue. A layer with few pixels (ResNet-50's 7×7 stage: 49) fills 9 six-pixel rows (54) where the
 * 64-pixel tile of conv-as-GEMM computes 64 columns for 49. */
#ifndef OCTET_SPIXROWS_H
#define OCTET_SPIXROWS_H
#include <immintrin.h>
#include <stdint.h>
#include "octet_sgemm.h"

#ifdef __AVX512F__
/* dst[ip·ldp + r] = row[6·ip + r] for ip < npanels and r < 6, zero where 6·ip + r ≥ n: the A panels of one
 * reduction step (ldp = klen·6 floats from one panel to the next). Only row[0 .. n) is read. */
static inline __attribute__((always_inline)) void octet_panels6_from_row(const float *restrict row, int64_t n,
        int64_t npanels, float *restrict dst, int64_t ldp) {
    for (int64_t ip = 0; ip < npanels; ip++) {
        const int64_t left = n - 6 * ip;
        const __mmask16 m = left >= 6 ? (__mmask16) 0x3F : left <= 0 ? (__mmask16) 0 : (__mmask16) ((1u << left) - 1);
        _mm512_mask_storeu_ps(dst + ip * ldp, (__mmask16) 0x3F, _mm512_maskz_loadu_ps(m, row + 6 * ip));
    }
}

/* r[i] (row i of a 16 × 16 block) becomes column i: unpacks within 128-bit lanes, then two rounds of 128-bit lane
 * shuffles. */
static inline __attribute__((always_inline)) void octet_transpose16(__m512 r[16]) {
    __m512 t[16];
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        const __m512d a = _mm512_castps_pd(t[4 * i]);
        const __m512d b = _mm512_castps_pd(t[4 * i + 1]);
        const __m512d c = _mm512_castps_pd(t[4 * i + 2]);
        const __m512d d = _mm512_castps_pd(t[4 * i + 3]);
        r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    /* r[4q + s] now holds, in 128-bit lane L, column 4L + s of rows 4q .. 4q+3 */
#pragma GCC unroll 4
    for (int s = 0; s < 4; s++) {
        t[s] = _mm512_shuffle_f32x4(r[s], r[4 + s], 0x88);
        t[4 + s] = _mm512_shuffle_f32x4(r[s], r[4 + s], 0xDD);
        t[8 + s] = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0x88);
        t[12 + s] = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0xDD);
    }
#pragma GCC unroll 4
    for (int s = 0; s < 4; s++) {
        r[s] = _mm512_shuffle_f32x4(t[s], t[8 + s], 0x88);
        r[4 + s] = _mm512_shuffle_f32x4(t[4 + s], t[12 + s], 0x88);
        r[8 + s] = _mm512_shuffle_f32x4(t[s], t[8 + s], 0xDD);
        r[12 + s] = _mm512_shuffle_f32x4(t[4 + s], t[12 + s], 0xDD);
    }
}

/* out[co·ldo + px] = epilogue(ct[px·ldct + co]) for px < npx and co0 ≤ co < co1, the epilogue as the tile applies
 * it (octet_sgemm512_epilogue: v + bias[co], v + res[co·ldo + px], max(v, lo), min(v, hi), each one fp32
 * operation, so the result is the one conv-as-GEMM stores). ct holds at least ⌈npx / 16⌉·16 readable rows and
 * columns up to ⌈co1 / 16⌉·16 (rows and columns past npx and co1 are read and never stored). res may be out. */
static void octet_store_pixel_rows(const float *restrict ct, int64_t ldct, int64_t npx, int64_t co0, int64_t co1,
        float *out, const float *res, int64_t ldo, int epi, const float *restrict bias, float lo, float hi) {
    const __m512 vlo = _mm512_set1_ps(lo);
    const __m512 vhi = _mm512_set1_ps(hi);
    for (int64_t p0 = 0; p0 < npx; p0 += 16) {
        const int64_t left = npx - p0;
        const __mmask16 pm = left >= 16 ? (__mmask16) 0xFFFF : (__mmask16) ((1u << left) - 1);
        for (int64_t c0 = co0; c0 < co1; c0 += 16) {
            __m512 r[16];
#pragma GCC unroll 16
            for (int i = 0; i < 16; i++) {
                r[i] = _mm512_loadu_ps(ct + (p0 + i) * ldct + c0);
            }
            octet_transpose16(r);
            const int64_t nco = co1 - c0;
#pragma GCC unroll 16
            for (int j = 0; j < 16; j++) {
                if (j >= nco) {
                    break;
                }
                __m512 v = r[j];
                const int64_t o = (c0 + j) * ldo + p0;
                if (epi & OCTET_EPI_BIAS) {
                    v = _mm512_add_ps(v, _mm512_set1_ps(bias[c0 + j]));
                }
                if (epi & OCTET_EPI_RESIDUAL) {
                    v = _mm512_add_ps(v, _mm512_maskz_loadu_ps(pm, res + o));
                }
                if (epi & OCTET_EPI_MAX) {
                    v = _mm512_max_ps(vlo, v);
                }
                if (epi & OCTET_EPI_MIN) {
                    v = _mm512_min_ps(vhi, v);
                }
                _mm512_mask_storeu_ps(out + o, pm, v);
            }
        }
    }
}
#endif /* __AVX512F__ */

#endif
