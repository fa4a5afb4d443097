/* Direct int8 convolution in packed layouts for AVX2 (x86-64-v3): activations NCHW4c (u8, 4 channels per pixel
 * word), weights OIHW4o4i widened to int16, output NCHW4c (u8/s8), exact int32 accumulation (DESIGN.md,
 * "Numerics"; invariants 1 and 4). Used by Int8DirectConvTemplate, which owns the weight packing.
 *
 * Exactness without saturation: the input rows a block of outputs reads are prepared as int16 differences
 * (q_x − zp_x, 0 for padding and for the padded channels of the last quad), 4 channels per 64-bit word. One
 * vpmaddwd multiplies a broadcast word with the 4o×4i int16 weights of a (output quad, input quad, tap) and adds
 * channel pairs into int32 lanes (2·255·128 < 2^31): lanes 2o and 2o+1 hold two partial sums of output channel o.
 * int32 sums wrap as the reference's int32 accumulator does.
 *
 * Prepared rows: prep[((ky · CB + cb) · span + xp) · 4 + i], xp the input column relative to the chunk's first
 * window (x0 · s − pl). Output pixel p (of the chunk), tap (ky, kx) reads word p · s + kx · d of row ky.
 *
 * Requantize: y = clamp(rne((float) acc · M[o]) + zp_y, lo, hi) per output channel, QuantMath.requantize. */
#ifndef OCTET_QDIRECT_H
#define OCTET_QDIRECT_H
#include <immintrin.h>
#include <string.h>
#include "octet_runtime.h"

#define OCTET_QD_KERNEL static inline __attribute__((always_inline))
/* Output pixels per micro-kernel call (2 pairs of pixels; × 2 output quads = 8 accumulators: with 2 weight
 * vectors and the 4 broadcast words gcc hoists, all fit the 16 registers; 6 pixels spill). */
#define OCTET_QD_PIXELS 4

/* Prepares the KH input rows output row y reads for a chunk: span columns from x0s = x0 · s − pl, all CB quads. */
OCTET_QD_KERNEL void octet_qd_prep(int16_t *restrict dst, const uint8_t *restrict image, int64_t cb_count,
        int64_t h, int64_t w, int64_t ih0, int64_t dh, int64_t kh, int64_t x0s, int64_t span, int64_t zp) {
    const __m128i zv = _mm_set1_epi16((int16_t) zp);
    for (int64_t ky = 0; ky < kh; ky++) {
        const int64_t ih = ih0 + ky * dh;
        for (int64_t cb = 0; cb < cb_count; cb++) {
            int16_t *restrict row = dst + (ky * cb_count + cb) * span * 4;
            if (ih < 0 || ih >= h) {
                memset(row, 0, (size_t) span * 8);
                continue;
            }
            const uint8_t *restrict src = image + ((cb * h + ih) * w) * 4;
            const int64_t lo = OCTET_MIN(OCTET_MAX(-x0s, 0), span);
            const int64_t hi = OCTET_MAX(OCTET_MIN(w - x0s, span), lo);
            memset(row, 0, (size_t) lo * 8);
            int64_t xp = lo;
            for (; xp + 2 <= hi; xp += 2) {
                __m128i v = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *) (src + (x0s + xp) * 4)));
                _mm_storeu_si128((__m128i *) (row + xp * 4), _mm_sub_epi16(v, zv));
            }
            for (; xp < hi; xp++) {
                for (int i = 0; i < 4; i++) {
                    row[xp * 4 + i] = (int16_t) (src[(x0s + xp) * 4 + i] - zp);
                }
            }
            memset(row + hi * 4, 0, (size_t) (span - hi) * 8);
        }
    }
}

/* 8 int32 sums (two pixels × 4 output channels, NCHW4c order) plus bias, requantized to 8 bytes. */
OCTET_QD_KERNEL __m128i octet_qd_requantize8(__m256i acc, __m256i bias, __m256 m, __m256 zp, __m256 lo, __m256 hi,
        int is_signed) {
    const __m256 f = _mm256_cvtepi32_ps(_mm256_add_epi32(acc, bias));
    __m256 r = _mm256_add_ps(_mm256_round_ps(_mm256_mul_ps(f, m), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC),
            zp);
    r = _mm256_min_ps(_mm256_max_ps(r, lo), hi);
    const __m256i i = _mm256_cvtps_epi32(r);
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    return is_signed ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w);
}

/* Combines the pair sums of pixels p and p+1 (one output quad each) into NCHW4c order: p.o0-3, (p+1).o0-3. */
OCTET_QD_KERNEL __m256i octet_qd_pairs(__m256i a, __m256i b) {
    return _mm256_permute4x64_epi64(_mm256_hadd_epi32(a, b), 0xD8);
}

OCTET_QD_KERNEL void octet_qd_store(uint8_t *restrict dst, __m128i v, int64_t pixels) {
    if (pixels >= 2) {
        _mm_storel_epi64((__m128i *) dst, v);
    } else if (pixels == 1) {
        int32_t t = _mm_cvtsi128_si32(v);
        memcpy(dst, &t, 4);
    }
}

/* One prepared pixel word (4 int16 channels) in every 64-bit lane. */
OCTET_QD_KERNEL __m256i octet_qd_bcast(const int16_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_set1_epi64x(v);
}

#define OCTET_QD_MAC(acc, xv, wv) acc = _mm256_add_epi32(acc, _mm256_madd_epi16(xv, wv))

/* Four output pixels × two output quads (quads ob and ob + 1; the second is stored only where two is set) over
 * all CB input quads and KH × KW taps. w: the pair's packed weights [CB][KH][KW][2][4o][4i] int16; bias and mult:
 * 8 values (the pair's channels). out: pixel 0 of quad ob (NCHW4c), quad_stride bytes to quad ob + 1. */
OCTET_QD_KERNEL void octet_qd_4x8(const int16_t *restrict prep, int64_t span, int64_t cb_count,
        const int16_t *restrict w, const int32_t *restrict bias, const float *restrict mult, int64_t zp, int64_t lo,
        int64_t hi, int is_signed, void *restrict out, int64_t quad_stride, int two, int64_t pixels,
        int64_t kh, int64_t kw, int64_t s, int64_t d) {
    __m256i a00 = _mm256_setzero_si256(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
    __m256i a30 = a00, a31 = a00;
    /* No unrolling: unrolled taps let gcc interleave them and spill the 12 accumulators (a third slower). */
#pragma GCC unroll 1
    for (int64_t cb = 0; cb < cb_count; cb++) {
#pragma GCC unroll 1
        for (int64_t ky = 0; ky < kh; ky++) {
            const int16_t *row = prep + (ky * cb_count + cb) * span * 4;
#pragma GCC unroll 1
            for (int64_t kx = 0; kx < kw; kx++) {
                const int16_t *wk = w + ((cb * kh + ky) * kw + kx) * 32;
                const __m256i w0 = _mm256_loadu_si256((const __m256i *) wk);
                const __m256i w1 = _mm256_loadu_si256((const __m256i *) (wk + 16));
                const int16_t *x = row + kx * d * 4;
                __m256i xv;
                xv = octet_qd_bcast(x + 0 * s * 4);
                OCTET_QD_MAC(a00, xv, w0); OCTET_QD_MAC(a01, xv, w1);
                xv = octet_qd_bcast(x + 1 * s * 4);
                OCTET_QD_MAC(a10, xv, w0); OCTET_QD_MAC(a11, xv, w1);
                xv = octet_qd_bcast(x + 2 * s * 4);
                OCTET_QD_MAC(a20, xv, w0); OCTET_QD_MAC(a21, xv, w1);
                xv = octet_qd_bcast(x + 3 * s * 4);
                OCTET_QD_MAC(a30, xv, w0); OCTET_QD_MAC(a31, xv, w1);
            }
        }
    }
    const __m256 zv = _mm256_set1_ps((float) zp);
    const __m256 lov = _mm256_set1_ps((float) lo);
    const __m256 hiv = _mm256_set1_ps((float) hi);
    const __m128i b4 = _mm_loadu_si128((const __m128i *) bias);
    const __m128i b4b = _mm_loadu_si128((const __m128i *) (bias + 4));
    const __m256i b0 = _mm256_set_m128i(b4, b4), b1 = _mm256_set_m128i(b4b, b4b);
    const __m128 m4 = _mm_loadu_ps(mult), m4b = _mm_loadu_ps(mult + 4);
    const __m256 m0 = _mm256_set_m128(m4, m4), m1 = _mm256_set_m128(m4b, m4b);
    uint8_t *o0 = (uint8_t *) out;
    uint8_t *o1 = out + quad_stride;
    octet_qd_store(o0, octet_qd_requantize8(octet_qd_pairs(a00, a10), b0, m0, zv, lov, hiv, is_signed), pixels);
    octet_qd_store(o0 + 8, octet_qd_requantize8(octet_qd_pairs(a20, a30), b0, m0, zv, lov, hiv, is_signed),
            pixels - 2);
    if (two) {
        octet_qd_store(o1, octet_qd_requantize8(octet_qd_pairs(a01, a11), b1, m1, zv, lov, hiv, is_signed), pixels);
        octet_qd_store(o1 + 8, octet_qd_requantize8(octet_qd_pairs(a21, a31), b1, m1, zv, lov, hiv, is_signed),
                pixels - 2);
    }
}

/* The maddubs variant, only where every weight pair (input channels 4q+0/4q+1 and 4q+2/4q+3 of one output channel
 * at one tap) has |w0| + |w1| <= 128, so vpmaddubsw's saturating int16 pair sum is exact (255·128 < 2^15); the
 * template checks it on the weights and it is part of the workload key. The input is used as it is (u8): padding
 * is zp_x and the template folds −zp_x·Σw into the bias, so padding adds zp_x·w − zp_x·w = 0. Prepared rows:
 * prep[((ky · CB + cb) · span + xp) · 4 + i] u8, as the widen variant's but raw. */
OCTET_QD_KERNEL void octet_qd_prep_u8(uint8_t *restrict dst, const uint8_t *restrict image, int64_t cb_count,
        int64_t h, int64_t w, int64_t ih0, int64_t dh, int64_t kh, int64_t x0s, int64_t span, int64_t zp) {
    for (int64_t ky = 0; ky < kh; ky++) {
        const int64_t ih = ih0 + ky * dh;
        for (int64_t cb = 0; cb < cb_count; cb++) {
            uint8_t *restrict row = dst + (ky * cb_count + cb) * span * 4;
            if (ih < 0 || ih >= h) {
                memset(row, (int) zp, (size_t) span * 4);
                continue;
            }
            const uint8_t *restrict src = image + ((cb * h + ih) * w) * 4;
            const int64_t lo = OCTET_MIN(OCTET_MAX(-x0s, 0), span);
            const int64_t hi = OCTET_MAX(OCTET_MIN(w - x0s, span), lo);
            memset(row, (int) zp, (size_t) lo * 4);
            memcpy(row + lo * 4, src + (x0s + lo) * 4, (size_t) (hi - lo) * 4);
            memset(row + hi * 4, (int) zp, (size_t) (span - hi) * 4);
        }
    }
}

/* One pixel word (4 u8 channels) in every 32-bit lane. */
OCTET_QD_KERNEL __m256i octet_qd_bcast32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

#define OCTET_QD_MADDUBS(acc, xv, wv) \
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(xv, wv), ones))

/* Stores pixel p's 8 requantized channels (two quads) of one octet: quad a at dst, quad a + 1 at dst + stride. */
OCTET_QD_KERNEL void octet_qd_store_octet(uint8_t *restrict dst, int64_t stride, __m128i v, int second) {
    int32_t t = _mm_cvtsi128_si32(v);
    memcpy(dst, &t, 4);
    if (second) {
        t = _mm_extract_epi32(v, 1);
        memcpy(dst + stride, &t, 4);
    }
}

/* Four output pixels × 16 output channels (quads 4g .. 4g+3; the first `quads` of them stored) over all CB input
 * quads and KH × KW taps. w: the group's packed weights [CB][KH][KW][16o][4i] s8; bias, mult: 16 values. out:
 * pixel 0 of quad 4g (NCHW4c), quad_stride bytes from one quad to the next. */
OCTET_QD_KERNEL void octet_qd_maddubs_4x16(const uint8_t *restrict prep, int64_t span, int64_t cb_count,
        const int8_t *restrict w, const int32_t *restrict bias, const float *restrict mult, int64_t zp, int64_t lo,
        int64_t hi, int is_signed, void *restrict out, int64_t quad_stride, int64_t quads, int64_t pixels,
        int64_t kh, int64_t kw, int64_t s, int64_t d) {
    __m256i a00 = _mm256_setzero_si256(), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
    __m256i a30 = a00, a31 = a00;
    const __m256i ones = _mm256_set1_epi16(1);
#pragma GCC unroll 1
    for (int64_t cb = 0; cb < cb_count; cb++) {
#pragma GCC unroll 1
        for (int64_t ky = 0; ky < kh; ky++) {
            const uint8_t *row = prep + (ky * cb_count + cb) * span * 4;
#pragma GCC unroll 1
            for (int64_t kx = 0; kx < kw; kx++) {
                const int8_t *wk = w + ((cb * kh + ky) * kw + kx) * 64;
                const __m256i w0 = _mm256_loadu_si256((const __m256i *) wk);
                const __m256i w1 = _mm256_loadu_si256((const __m256i *) (wk + 32));
                const uint8_t *x = row + kx * d * 4;
                __m256i xv;
                xv = octet_qd_bcast32(x + 0 * s * 4);
                OCTET_QD_MADDUBS(a00, xv, w0); OCTET_QD_MADDUBS(a01, xv, w1);
                xv = octet_qd_bcast32(x + 1 * s * 4);
                OCTET_QD_MADDUBS(a10, xv, w0); OCTET_QD_MADDUBS(a11, xv, w1);
                xv = octet_qd_bcast32(x + 2 * s * 4);
                OCTET_QD_MADDUBS(a20, xv, w0); OCTET_QD_MADDUBS(a21, xv, w1);
                xv = octet_qd_bcast32(x + 3 * s * 4);
                OCTET_QD_MADDUBS(a30, xv, w0); OCTET_QD_MADDUBS(a31, xv, w1);
            }
        }
    }
    const __m256 zv = _mm256_set1_ps((float) zp);
    const __m256 lov = _mm256_set1_ps((float) lo);
    const __m256 hiv = _mm256_set1_ps((float) hi);
    const __m256i b0 = _mm256_loadu_si256((const __m256i *) bias);
    const __m256i b1 = _mm256_loadu_si256((const __m256i *) (bias + 8));
    const __m256 m0 = _mm256_loadu_ps(mult), m1 = _mm256_loadu_ps(mult + 8);
    uint8_t *o = (uint8_t *) out;
    const __m256i acc0[4] = {a00, a10, a20, a30};
    const __m256i acc1[4] = {a01, a11, a21, a31};
    for (int64_t p = 0; p < pixels; p++) {
        octet_qd_store_octet(o + p * 4, quad_stride, octet_qd_requantize8(acc0[p], b0, m0, zv, lov, hiv,
                is_signed), quads > 1);
        if (quads > 2) {
            octet_qd_store_octet(o + 2 * quad_stride + p * 4, quad_stride, octet_qd_requantize8(acc1[p], b1, m1, zv,
                    lov, hiv, is_signed), quads > 3);
        }
    }
}

#endif
