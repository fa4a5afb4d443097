/* int8 elementwise kernels for AVX2 (x86-64-v3), exact to QuantMath (DESIGN.md, "Numerics"): the int8 Add of two
 * quantized tensors and the QuantizeLinear / DequantizeLinear conversions at the borders of float islands. Used by
 * Int8AddTemplate, QuantizeLinearTemplate and DequantizeLinearTemplate.
 *
 * Each function handles n elements, 8 per vector step and `unroll` steps per iteration; the last n % 8 elements go
 * through the same vector code on a zero-padded copy, so there is one formula per operation. Every product and sum
 * is one IEEE fp32 operation (no fused multiply-add: the file is compiled with -ffp-contract=off and uses no FMA
 * intrinsic), rounding is round-half-to-even (_mm256_round_ps, nearest), and a NaN before the clamp becomes the
 * zero point clamped to [lo, hi], as QuantMath's saturate does. rne(v) + zp in fp32 is exact below 2^24; above it
 * the clamp decides, and fp32 rounding is monotone. After the clamp every value fits the output type, so the
 * narrowing packs never saturate. Operands may lie in Java heap arrays: every load and store is unaligned. */
#ifndef OCTET_QELT_H
#define OCTET_QELT_H
#include <immintrin.h>
#include <string.h>
#include "octet_runtime.h"

#define OCTET_QELT static inline __attribute__((always_inline))
#define OCTET_QELT_ROUND (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)

/* 8 int8 values (u8 or s8) minus a zero point, as exact fp32. */
OCTET_QELT __m256 octet_qelt_centered8(const uint8_t *p, int is_signed, __m256i zp) {
    const __m128i v = _mm_loadl_epi64((const __m128i *) p);
    const __m256i w = is_signed ? _mm256_cvtepi8_epi32(v) : _mm256_cvtepu8_epi32(v);
    return _mm256_cvtepi32_ps(_mm256_sub_epi32(w, zp));
}

/* rne(v) + zp, NaN to zp, clamped to [lo, hi], stored as 8 bytes (u8 or s8). */
OCTET_QELT void octet_qelt_store8(uint8_t *dst, __m256 v, __m256 zp, __m256 lo, __m256 hi, int is_signed) {
    __m256 f = _mm256_add_ps(_mm256_round_ps(v, OCTET_QELT_ROUND), zp);
    f = _mm256_blendv_ps(f, zp, _mm256_cmp_ps(f, f, _CMP_UNORD_Q));
    f = _mm256_min_ps(_mm256_max_ps(f, lo), hi);
    const __m256i i = _mm256_cvtps_epi32(f);
    const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(i), _mm256_extracti128_si256(i, 1));
    _mm_storel_epi64((__m128i *) dst, is_signed ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w));
}

/* Runs step(offset) over [0, n) in vector steps of 8, `unroll` at a time; returns where the tail starts. */
#define OCTET_QELT_LOOP(n, unroll, step) ({                                       \
    int64_t i_ = 0;                                                               \
    for (; i_ + 8 * (unroll) <= (n); i_ += 8 * (unroll)) {                        \
        _Pragma("GCC unroll 8") for (int64_t u_ = 0; u_ < (unroll); u_++) {       \
            step(i_ + 8 * u_);                                                    \
        }                                                                         \
    }                                                                             \
    for (; i_ + 8 <= (n); i_ += 8) {                                              \
        step(i_);                                                                 \
    }                                                                             \
    i_;                                                                           \
})

/* y = clamp(rne((float) (a − za) · ma + (float) (b − zb) · mb) + zy, lo, hi): QuantMath.addRequantize. */
OCTET_QELT void octet_qadd8(const uint8_t *a, const uint8_t *b, uint8_t *y, float ma, float mb, int64_t za,
        int64_t zb, int64_t zy, int64_t lo, int64_t hi, int a_signed, int b_signed, int y_signed) {
    const __m256 fa = _mm256_mul_ps(octet_qelt_centered8(a, a_signed, _mm256_set1_epi32((int32_t) za)),
            _mm256_set1_ps(ma));
    const __m256 fb = _mm256_mul_ps(octet_qelt_centered8(b, b_signed, _mm256_set1_epi32((int32_t) zb)),
            _mm256_set1_ps(mb));
    octet_qelt_store8(y, _mm256_add_ps(fa, fb), _mm256_set1_ps((float) zy), _mm256_set1_ps((float) lo),
            _mm256_set1_ps((float) hi), y_signed);
}

OCTET_QELT void octet_qadd(const void *a, const void *b, void *y, int64_t n, float ma, float mb, int64_t za,
        int64_t zb, int64_t zy, int64_t lo, int64_t hi, int a_signed, int b_signed, int y_signed, int64_t unroll) {
    const uint8_t *pa = (const uint8_t *) a;
    const uint8_t *pb = (const uint8_t *) b;
    uint8_t *py = (uint8_t *) y;
#define OCTET_QADD_STEP(o) octet_qadd8(pa + (o), pb + (o), py + (o), ma, mb, za, zb, zy, lo, hi, a_signed, \
        b_signed, y_signed)
    const int64_t t = OCTET_QELT_LOOP(n, unroll, OCTET_QADD_STEP);
#undef OCTET_QADD_STEP
    if (t < n) {
        uint8_t ta[8] = {0}, tb[8] = {0}, ty[8];
        memcpy(ta, pa + t, (size_t) (n - t));
        memcpy(tb, pb + t, (size_t) (n - t));
        octet_qadd8(ta, tb, ty, ma, mb, za, zb, zy, lo, hi, a_signed, b_signed, y_signed);
        memcpy(py + t, ty, (size_t) (n - t));
    }
}

/* y = saturate(rne(x / scale) + zp): QuantMath.quantize (a division in fp32, as ONNX QuantizeLinear). */
OCTET_QELT void octet_quantize8(const float *x, uint8_t *y, float scale, int64_t zp, int64_t lo, int64_t hi,
        int y_signed) {
    octet_qelt_store8(y, _mm256_div_ps(_mm256_loadu_ps(x), _mm256_set1_ps(scale)), _mm256_set1_ps((float) zp),
            _mm256_set1_ps((float) lo), _mm256_set1_ps((float) hi), y_signed);
}

OCTET_QELT void octet_quantize(const float *x, void *y, int64_t n, float scale, int64_t zp, int64_t lo, int64_t hi,
        int y_signed, int64_t unroll) {
    uint8_t *py = (uint8_t *) y;
#define OCTET_QUANTIZE_STEP(o) octet_quantize8(x + (o), py + (o), scale, zp, lo, hi, y_signed)
    const int64_t t = OCTET_QELT_LOOP(n, unroll, OCTET_QUANTIZE_STEP);
#undef OCTET_QUANTIZE_STEP
    if (t < n) {
        float tx[8] = {0};
        uint8_t ty[8];
        memcpy(tx, x + t, (size_t) (n - t) * sizeof(float));
        octet_quantize8(tx, ty, scale, zp, lo, hi, y_signed);
        memcpy(py + t, ty, (size_t) (n - t));
    }
}

/* y = (float) (q − zp) · scale: QuantMath.dequantize. */
OCTET_QELT void octet_dequantize8(const uint8_t *q, float *y, float scale, int64_t zp, int q_signed) {
    _mm256_storeu_ps(y, _mm256_mul_ps(octet_qelt_centered8(q, q_signed, _mm256_set1_epi32((int32_t) zp)),
            _mm256_set1_ps(scale)));
}

OCTET_QELT void octet_dequantize(const void *q, float *y, int64_t n, float scale, int64_t zp, int q_signed,
        int64_t unroll) {
    const uint8_t *pq = (const uint8_t *) q;
#define OCTET_DEQUANTIZE_STEP(o) octet_dequantize8(pq + (o), y + (o), scale, zp, q_signed)
    const int64_t t = OCTET_QELT_LOOP(n, unroll, OCTET_DEQUANTIZE_STEP);
#undef OCTET_DEQUANTIZE_STEP
    if (t < n) {
        uint8_t tq[8] = {0};
        float ty[8];
        memcpy(tq, pq + t, (size_t) (n - t));
        octet_dequantize8(tq, ty, scale, zp, q_signed);
        memcpy(y + t, ty, (size_t) (n - t) * sizeof(float));
    }
}

#endif
