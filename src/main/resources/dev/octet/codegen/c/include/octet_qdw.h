/* int8 depthwise convolution for AVX2 (x86-64-v3): u8 activations × s8 weights, one weight plane per channel,
 * exact int32 accumulation, requantized to u8/s8 (DESIGN.md, "Numerics"; invariants 1 and 4). Used by
 * Int8DepthwiseTemplate, which owns the weight packing.
 *
 * Exactness without saturation: every product is (q_x − zp_x)·w with |q_x − zp_x| <= 255 and |w| <= 128, so both
 * factors are int16 and vpmaddwd adds two such products exactly into an int32 lane (2·255·128 < 2^31); nothing
 * saturates. Padding is (zp_x − zp_x) = 0, stored as 0 in the prepared rows, so the kernel has no bounds checks.
 *
 * Prepared ("pair") rows: one input row of one channel, for the input columns a chunk of output columns reads,
 * as int32 words each holding two int16 differences: the input at column c and at column c + dilation, so that
 * one vpmaddwd with the weight pair (w[kx], w[kx+1]) applies two horizontal taps to 8 outputs. A stride s splits
 * the row into s phases (phase r holds columns x0 + j·s + r), so that the words of consecutive outputs are
 * consecutive for every stride:  pr[r * lp + j] = (v(c) & 0xffff) | v(c + d) << 16,  c = x0 + j·s + r,
 * v(c) = in[c] − zp_x inside [0, W), else 0.
 * Output x (of the chunk), tap pair kx = 2p, kernel row ky then reads word  x + (kx·d) / s  of phase (kx·d) % s
 * of prepared row (y·s_h + ky·d_h); an odd kernel width pairs its last tap with a zero weight.
 *
 * Requantize: octet_requantize16 (y = clamp(rne((float) acc · M) + zp_y, lo, hi), QuantMath.requantize). int32
 * sums wrap as the reference's int32 accumulator does (SIMD adds; -fwrapv around them). Operands may lie in Java
 * heap arrays, so every load and store is unaligned. */
#ifndef OCTET_QDW_H
#define OCTET_QDW_H
#include "octet_qgemm.h"

/* Prepares input row ih of one channel plane (H × W u8) for a chunk: s phases, lp words apart, of their first
 * `need` words (those the chunk's valid outputs read), from column x0 on. A row outside [0, H) is padding: zeros.
 * The columns the words read are first copied into a zp_x-filled local row, so that the word loop has no bounds
 * checks (a difference of zp_x is 0). Words past `need` are left as they are: they only reach outputs that are
 * never stored. */
OCTET_QKERNEL void octet_qdw_prep(int32_t *restrict dst, int64_t lp, int64_t need, const uint8_t *restrict plane,
        int64_t h, int64_t w, int64_t ih, int64_t x0, int64_t s, int64_t d, int64_t zp) {
    if (ih < 0 || ih >= h) {
        for (int64_t r = 0; r < s; r++) {
            memset(dst + r * lp, 0, (size_t) need * sizeof(int32_t));
        }
        return;
    }
    const uint8_t *restrict row = plane + ih * w;
    /* Columns x0 .. x0 + span − 1, and 32 bytes of slack for the vector loops' last steps. */
    const int64_t span = need * s + d;
    uint8_t tmp[span + 32];
    memset(tmp, (int) zp, (size_t) (span + 32));
    const int64_t c0 = OCTET_MAX(x0, 0);
    const int64_t c1 = OCTET_MIN(x0 + span, w);
    if (c1 > c0) {
        memcpy(tmp + (c0 - x0), row + c0, (size_t) (c1 - c0));
    }
    const int32_t zx = (int32_t) zp;
    const __m256i zv = _mm256_set1_epi32(zx);
    const __m256i low = _mm256_set1_epi32(0xffff);
    for (int64_t r = 0; r < s; r++) {
        int32_t *restrict pr = dst + r * lp;
        if (s == 1) {
            for (int64_t j = 0; j < need; j += 8) {
                const uint8_t *p = tmp + j;
                __m256i a = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) p));
                __m256i b = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *) (p + d)));
                a = _mm256_and_si256(_mm256_sub_epi32(a, zv), low);
                b = _mm256_slli_epi32(_mm256_sub_epi32(b, zv), 16);
                _mm256_storeu_si256((__m256i *) (pr + j), _mm256_or_si256(a, b));
            }
        } else if (s == 2) {
            const __m128i even = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, -1, -1, -1, -1, -1, -1, -1, -1);
            for (int64_t j = 0; j < need; j += 8) {
                const uint8_t *p = tmp + 2 * j + r;
                __m128i a8 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *) p), even);
                __m128i b8 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *) (p + d)), even);
                __m256i a = _mm256_and_si256(_mm256_sub_epi32(_mm256_cvtepu8_epi32(a8), zv), low);
                __m256i b = _mm256_slli_epi32(_mm256_sub_epi32(_mm256_cvtepu8_epi32(b8), zv), 16);
                _mm256_storeu_si256((__m256i *) (pr + j), _mm256_or_si256(a, b));
            }
        } else {
            for (int64_t j = 0; j < need; j++) {
                const uint8_t *p = tmp + j * s + r;
                pr[j] = (int32_t) ((uint32_t) ((p[0] - zx) & 0xffff) | (uint32_t) (p[d] - zx) << 16);
            }
        }
    }
}

/* acc += the taps of kernel rows 0..kh-1 on the 8 outputs whose words start at offset x of each phase. */
OCTET_QKERNEL __m256i octet_qdw_taps8(__m256i acc, const int32_t *restrict rows, int64_t lp, int64_t x,
        const int32_t *restrict wp, int64_t kh, int64_t kw, int64_t sw, int64_t dw, int64_t row_step) {
    const int64_t pairs = (kw + 1) / 2;
    for (int64_t ky = 0; ky < kh; ky++) {
        for (int64_t p = 0; p < pairs; p++) {
            const int32_t *q = rows + ky * row_step + ((2 * p * dw) % sw) * lp + (2 * p * dw) / sw + x;
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *) q),
                    _mm256_set1_epi32(wp[ky * pairs + p])));
        }
    }
    return acc;
}

/* One output row of one channel over n outputs of a chunk, vec (8 or 16) outputs per step. rows: the prepared row
 * of kernel row 0 (its phases lp words apart); row_step: words from one kernel row's prepared row to the next
 * (d_h · s_w · lp). The last vector step reads up to 15 words past the last output's taps, still inside the
 * phase (lp; their values are stale) and stores only its valid outputs. */
OCTET_QKERNEL void octet_qdw_row(void *restrict out, int64_t n, const int32_t *restrict rows, int64_t lp,
        int64_t row_step, const int32_t *restrict wp, int32_t bias, float m, int64_t zp, int64_t lo, int64_t hi,
        int is_signed, int64_t kh, int64_t kw, int64_t sw, int64_t dw, int64_t vec) {
    uint8_t *o = (uint8_t *) out;
    const __m256i b = _mm256_set1_epi32(bias);
    if (vec == 16) {
        for (int64_t x = 0; x < n; x += 16) {
            __m256i a0 = octet_qdw_taps8(b, rows, lp, x, wp, kh, kw, sw, dw, row_step);
            __m256i a1 = octet_qdw_taps8(b, rows, lp, x + 8, wp, kh, kw, sw, dw, row_step);
            octet_qstore_row(octet_requantize16(a0, a1, m, zp, lo, hi, is_signed), o + x, OCTET_MIN(n - x, 16));
        }
    } else {
        for (int64_t x = 0; x < n; x += 8) {
            __m256i a0 = octet_qdw_taps8(b, rows, lp, x, wp, kh, kw, sw, dw, row_step);
            octet_qstore_half(a0, m, zp, lo, hi, is_signed, o + x, OCTET_MIN(n - x, 8), NULL, NULL);
        }
    }
}

#endif
