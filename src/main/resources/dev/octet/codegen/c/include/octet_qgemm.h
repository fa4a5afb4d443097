/* int8 GEMM micro-kernels and packing for AVX2 (x86-64-v3) and AVX-512 VNNI (x86-64-v4+vnni, under
 * __AVX512VNNI__; the AMX kernel of x86-64-v4+amx is in octet_qamx.h): u8 activations × s8 weights, exact int32
 * accumulation, requantized to u8/s8 in the epilogue (DESIGN.md, "Numerics"; invariants 1 and 4). Used by
 * Int8ConvTemplate, which owns the weight packing and the pair predicate (Java).
 *
 * The reduction runs in 4-way groups: 4 consecutive reduction steps share one 32-bit lane (the layout of the
 * packed NCHW4c activations and OIHW4o4i weights). Packed operands, per group of 4 steps q:
 *   B (activations): b[q * ldb + j * 4 + i]  u8, pixel j of the block, step 4q+i; a kernel reads 16 pixels
 *   A (weights):     a[q * 16 + r * 4 + i]  s8 (maddubs) or int16 (widen), row r of a panel of 4 output channels
 * Two ways to multiply:
 *   maddubs: vpmaddubsw adds two u8·s8 products into a SATURATING int16, then vpmaddwd with ones widens to
 *            int32. Exact only where |w[2i]| + |w[2i+1]| <= 128 for every packed pair (255·128 < 2^15): the
 *            template checks that property on the packed weights and it is part of the workload key.
 *   widen:   activations widened to int16 in the kernel, weights packed as int16, vpmaddwd (each product and
 *            each pair sum fits: 2·255·128 < 2^31). Always exact.
 * int32 sums wrap (SIMD adds wrap; the C code around them is compiled with -fwrapv), which is exact wherever
 * the final value fits int32, as the reference's int32 accumulator.
 *
 * Requantize: y = clamp(rne((float) acc · M) + zp, lo, hi) in fp32, no fused multiply-add, as
 * QuantMath.requantize. M must be finite (the template checks); then only ±inf can reach the clamp, as in the
 * reference. Operands may lie in Java heap arrays, so every load and store is unaligned. */
#ifndef OCTET_QGEMM_H
#define OCTET_QGEMM_H
#include <immintrin.h>
#include <string.h>
#include "octet_runtime.h"

#define OCTET_QNR 16

/* Micro-kernels and packers are always_inline, so that a library of many kernels gets the same code as a library
 * of one (gcc's unit-growth limits otherwise stop inlining, and the widen kernel loses a third of its speed). The
 * micro-kernels name every accumulator (no arrays), so that the compiler keeps them in registers. */
#define OCTET_QKERNEL static inline __attribute__((always_inline))

static inline __m256i octet_qbcast32(const void *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

static inline __m256i octet_qbcast64(const void *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_set1_epi64x(v);
}

/* The residual stage of an int8 convolution with its add fused (octet.QLinearConvAdd): after the convolution's own
 * requantization f = clamp(rne(acc·M) + zp_y, lo, hi) (an exact integer in fp32), the add's one formula
 * (QuantMath.addRequantize) with the residual byte q_r of the same position:
 *   y = clamp(rne((f − za)·ma + (q_r − zr)·mr) + zo, olo, ohi)
 * each product and the sum rounded to fp32 (no fused multiply-add), as the reference. res == NULL: no stage.
 * The residual has the output's layout (the same ldo); it is read only at the columns that are stored. */
typedef struct {
    const uint8_t *res;
    int64_t ld;
    float ma, mr, za, zr, zo, lo, hi;
} octet_qres;

static inline octet_qres octet_qres_of(const uint8_t *res, int64_t ld, const float *addm, int64_t za, int64_t zr,
                                       int64_t zo, int64_t olo, int64_t ohi) {
    octet_qres q = {res, ld, 0.f, 0.f, (float) za, (float) zr, (float) zo, (float) olo, (float) ohi};
    if (res) {
        q.ma = addm[0];
        q.mr = addm[1];
    }
    return q;
}

/* Up to 16 residual bytes at r (n of them valid; none read past them), as a vector; the rest 0. */
static inline __m128i octet_qload_res(const uint8_t *r, int64_t n) {
    if (n >= 16) {
        return _mm_loadu_si128((const __m128i *) r);
    }
    uint8_t t[16] = {0};
    if (n > 0) {
        memcpy(t, r, (size_t) n);
    }
    return _mm_loadu_si128((const __m128i *) t);
}

/* The residual stage on 8 requantized values f and their 8 residual bytes widened to int32. */
static inline __m256 octet_qresidual8(__m256 f, __m256i r, const octet_qres *q) {
    const int mode = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    const __m256 a = _mm256_mul_ps(_mm256_sub_ps(f, _mm256_set1_ps(q->za)), _mm256_set1_ps(q->ma));
    const __m256 b = _mm256_mul_ps(_mm256_sub_ps(_mm256_cvtepi32_ps(r), _mm256_set1_ps(q->zr)),
                                   _mm256_set1_ps(q->mr));
    const __m256 y = _mm256_add_ps(_mm256_round_ps(_mm256_add_ps(a, b), mode), _mm256_set1_ps(q->zo));
    return _mm256_min_ps(_mm256_max_ps(y, _mm256_set1_ps(q->lo)), _mm256_set1_ps(q->hi));
}

/* One row of 16 accumulators (pixels 0-7 in y0, 8-15 in y1) requantized to 16 bytes; with the residual stage
 * where q->res is set (r: the row's residual bytes, n of them valid). */
static inline __m128i octet_requantize16r(__m256i y0, __m256i y1, float m, int64_t zp, int64_t lo, int64_t hi,
                                          int is_signed, const octet_qres *q, const uint8_t *r, int64_t n) {
    const __m256 mv = _mm256_set1_ps(m);
    const __m256 zv = _mm256_set1_ps((float) zp);
    const __m256 lov = _mm256_set1_ps((float) lo);
    const __m256 hiv = _mm256_set1_ps((float) hi);
    const int mode = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    /* rne(acc·M) + zp is exact below 2^24; above it the clamp decides, and fp32 rounding is monotone. */
    __m256 f0 = _mm256_add_ps(_mm256_round_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(y0), mv), mode), zv);
    __m256 f1 = _mm256_add_ps(_mm256_round_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(y1), mv), mode), zv);
    f0 = _mm256_min_ps(_mm256_max_ps(f0, lov), hiv);
    f1 = _mm256_min_ps(_mm256_max_ps(f1, lov), hiv);
    if (q && q->res) {
        const __m128i rv = octet_qload_res(r, n);
        f0 = octet_qresidual8(f0, _mm256_cvtepu8_epi32(rv), q);
        f1 = octet_qresidual8(f1, _mm256_cvtepu8_epi32(_mm_srli_si128(rv, 8)), q);
    }
    __m256i w = _mm256_packs_epi32(_mm256_cvtps_epi32(f0), _mm256_cvtps_epi32(f1));
    __m256i b = is_signed ? _mm256_packs_epi16(w, w) : _mm256_packus_epi16(w, w);
    /* 32-bit groups now hold pixels 0-3, 8-11, _, _, 4-7, 12-15, _, _ */
    return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
}

static inline __m128i octet_requantize16(__m256i y0, __m256i y1, float m, int64_t zp, int64_t lo, int64_t hi,
                                         int is_signed) {
    return octet_requantize16r(y0, y1, m, zp, lo, hi, is_signed, NULL, NULL, 0);
}

/* Prefetches rows × n bytes (rows ld bytes apart) toward L2: the residual block a kernel's epilogues will read.
 * A prefetch never faults, so no bound matters beyond the block's. */
static inline void octet_qprefetch_rows(const uint8_t *p, int64_t ld, int64_t rows, int64_t n) {
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *row = p + r * ld;
        for (int64_t c = 0; c < n; c += 64) {
            _mm_prefetch((const char *) (row + c), _MM_HINT_T1);
        }
        _mm_prefetch((const char *) (row + n - 1), _MM_HINT_T1);
    }
}

/* Row r's residual bytes from column c of a tile, or NULL without the stage. */
static inline const uint8_t *octet_qres_at(const octet_qres *q, int64_t r, int64_t c) {
    return q->res ? q->res + r * q->ld + c : NULL;
}

/* Stores the first cols bytes of a requantized row. */
static inline void octet_qstore_row(__m128i v, uint8_t *restrict dst, int64_t cols) {
    if (cols == OCTET_QNR) {
        _mm_storeu_si128((__m128i *) dst, v);
    } else {
        uint8_t t[OCTET_QNR];
        _mm_storeu_si128((__m128i *) t, v);
        memcpy(dst, t, (size_t) cols);
    }
}

#define OCTET_QMADDUBS(acc, bv, av) \
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(bv, av), ones))

/* C tile (4 rows × 16 pixels) += A·B over kq groups of 4 steps, maddubs products. The tile starts from bias
 * (first) or from the int32 partial sums at part, and ends in part (!last) or requantized in out. rows, cols:
 * the valid part of the tile (bias and mult hold MR values, zero-padded). */
OCTET_QKERNEL void octet_qgemm_maddubs_4x16_r(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols, const uint8_t *restrict res, const float *restrict addm, int64_t za, int64_t zr, int64_t zo, int64_t olo,
        int64_t ohi) {
    const octet_qres rq = octet_qres_of(res, ldo, addm, za, zr, zo, olo, ohi);
    __m256i c00, c01, c10, c11, c20, c21, c30, c31;
    if (first) {
        c00 = c01 = _mm256_set1_epi32(bias[0]);
        c10 = c11 = _mm256_set1_epi32(bias[1]);
        c20 = c21 = _mm256_set1_epi32(bias[2]);
        c30 = c31 = _mm256_set1_epi32(bias[3]);
    } else {
        c00 = _mm256_loadu_si256((const __m256i *) (part + 0)); c01 = _mm256_loadu_si256((const __m256i *) (part + 8));
        c10 = _mm256_loadu_si256((const __m256i *) (part + 16)); c11 = _mm256_loadu_si256((const __m256i *) (part + 24));
        c20 = _mm256_loadu_si256((const __m256i *) (part + 32)); c21 = _mm256_loadu_si256((const __m256i *) (part + 40));
        c30 = _mm256_loadu_si256((const __m256i *) (part + 48)); c31 = _mm256_loadu_si256((const __m256i *) (part + 56));
    }
    const __m256i ones = _mm256_set1_epi16(1);
#pragma GCC unroll 2
    for (int64_t k = 0; k < kq; k++) {
        const __m256i b0 = _mm256_loadu_si256((const __m256i *) (b + k * ldb));
        const __m256i b1 = _mm256_loadu_si256((const __m256i *) (b + k * ldb + 32));
        const int8_t *ak = a + k * 16;
        __m256i av = octet_qbcast32(ak);
        OCTET_QMADDUBS(c00, b0, av); OCTET_QMADDUBS(c01, b1, av);
        av = octet_qbcast32(ak + 4);
        OCTET_QMADDUBS(c10, b0, av); OCTET_QMADDUBS(c11, b1, av);
        av = octet_qbcast32(ak + 8);
        OCTET_QMADDUBS(c20, b0, av); OCTET_QMADDUBS(c21, b1, av);
        av = octet_qbcast32(ak + 12);
        OCTET_QMADDUBS(c30, b0, av); OCTET_QMADDUBS(c31, b1, av);
    }
    if (!last) {
        _mm256_storeu_si256((__m256i *) (part + 0), c00); _mm256_storeu_si256((__m256i *) (part + 8), c01);
        _mm256_storeu_si256((__m256i *) (part + 16), c10); _mm256_storeu_si256((__m256i *) (part + 24), c11);
        _mm256_storeu_si256((__m256i *) (part + 32), c20); _mm256_storeu_si256((__m256i *) (part + 40), c21);
        _mm256_storeu_si256((__m256i *) (part + 48), c30); _mm256_storeu_si256((__m256i *) (part + 56), c31);
        return;
    }
    uint8_t *o = (uint8_t *) out;
    octet_qstore_row(octet_requantize16r(c00, c01, mult[0], zp, lo, hi, is_signed, &rq,
                         octet_qres_at(&rq, 0, 0), cols), o, cols);
    if (rows > 1) {
        octet_qstore_row(octet_requantize16r(c10, c11, mult[1], zp, lo, hi, is_signed, &rq,
                         octet_qres_at(&rq, 1, 0), cols), o + ldo, cols);
    }
    if (rows > 2) {
        octet_qstore_row(octet_requantize16r(c20, c21, mult[2], zp, lo, hi, is_signed, &rq,
                         octet_qres_at(&rq, 2, 0), cols), o + 2 * ldo, cols);
    }
    if (rows > 3) {
        octet_qstore_row(octet_requantize16r(c30, c31, mult[3], zp, lo, hi, is_signed, &rq,
                         octet_qres_at(&rq, 3, 0), cols), o + 3 * ldo, cols);
    }
}

/* Without the residual stage. */
OCTET_QKERNEL void octet_qgemm_maddubs_4x16(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols) {
    octet_qgemm_maddubs_4x16_r(kq, a, b, ldb, part, first, last, bias, mult, zp, lo, hi, is_signed, out, ldo, rows, cols, NULL, NULL, 0, 0,
        0, 0, 0);
}

#define OCTET_QMADDWD(acc, xv, av) acc = _mm256_add_epi32(acc, _mm256_madd_epi16(xv, av))

/* hadd gives pixels 0 1 4 5 | 2 3 6 7 of two 4-pixel accumulator pairs; the 64-bit permute puts them in order. */
static inline __m256i octet_qpairsum(__m256i lo4, __m256i hi4) {
    return _mm256_permute4x64_epi64(_mm256_hadd_epi32(lo4, hi4), 0xD8);
}

/* 8 requantized bytes of one row-half, n <= 8 of them stored. */
static inline void octet_qstore_half(__m256i y, float m, int64_t zp, int64_t lo, int64_t hi, int is_signed,
                                     uint8_t *restrict dst, int64_t n, const octet_qres *q, const uint8_t *r) {
    const __m128i v = octet_requantize16r(y, y, m, zp, lo, hi, is_signed, q, r, n);
    if (n == 8) {
        _mm_storel_epi64((__m128i *) dst, v);
    } else {
        uint8_t t[OCTET_QNR];
        _mm_storeu_si128((__m128i *) t, v);
        memcpy(dst, t, (size_t) n);
    }
}

/* The same product with widened operands (a: int16 weights; activations widened here), as two 4×8 halves of the
 * panel: 8 accumulators, 4 broadcast weights and 2 widened quarters fit the 16 registers. Each 32-bit lane of an
 * accumulator holds one of two partial sums of one pixel (crv: row r, pixels 4v..4v+3 of the half); part holds
 * them as they are (4 × 32 int32), and the pairs are added only for the final requantization. */
OCTET_QKERNEL void octet_qgemm_widen_4x16_r(int64_t kq, const int16_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols, const uint8_t *restrict res, const float *restrict addm, int64_t za, int64_t zr, int64_t zo, int64_t olo,
        int64_t ohi) {
    const octet_qres rq = octet_qres_of(res, ldo, addm, za, zr, zo, olo, ohi);
    for (int64_t h = 0; h < 2; h++) {
        __m256i *p = (__m256i *) (part + h * 64);
        __m256i c00, c01, c10, c11, c20, c21, c30, c31;
        if (first) {
            c00 = c01 = _mm256_set1_epi64x((int64_t) (uint32_t) bias[0]);
            c10 = c11 = _mm256_set1_epi64x((int64_t) (uint32_t) bias[1]);
            c20 = c21 = _mm256_set1_epi64x((int64_t) (uint32_t) bias[2]);
            c30 = c31 = _mm256_set1_epi64x((int64_t) (uint32_t) bias[3]);
        } else {
            c00 = _mm256_loadu_si256(p + 0); c01 = _mm256_loadu_si256(p + 1);
            c10 = _mm256_loadu_si256(p + 2); c11 = _mm256_loadu_si256(p + 3);
            c20 = _mm256_loadu_si256(p + 4); c21 = _mm256_loadu_si256(p + 5);
            c30 = _mm256_loadu_si256(p + 6); c31 = _mm256_loadu_si256(p + 7);
        }
#pragma GCC unroll 2
        for (int64_t k = 0; k < kq; k++) {
            const uint8_t *bk = b + k * ldb + h * 32;
            const int16_t *ak = a + k * 16;
            const __m256i x0 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *) bk));
            const __m256i x1 = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *) (bk + 16)));
            __m256i av = octet_qbcast64(ak);
            OCTET_QMADDWD(c00, x0, av); OCTET_QMADDWD(c01, x1, av);
            av = octet_qbcast64(ak + 4);
            OCTET_QMADDWD(c10, x0, av); OCTET_QMADDWD(c11, x1, av);
            av = octet_qbcast64(ak + 8);
            OCTET_QMADDWD(c20, x0, av); OCTET_QMADDWD(c21, x1, av);
            av = octet_qbcast64(ak + 12);
            OCTET_QMADDWD(c30, x0, av); OCTET_QMADDWD(c31, x1, av);
        }
        if (!last) {
            _mm256_storeu_si256(p + 0, c00); _mm256_storeu_si256(p + 1, c01);
            _mm256_storeu_si256(p + 2, c10); _mm256_storeu_si256(p + 3, c11);
            _mm256_storeu_si256(p + 4, c20); _mm256_storeu_si256(p + 5, c21);
            _mm256_storeu_si256(p + 6, c30); _mm256_storeu_si256(p + 7, c31);
            continue;
        }
        const int64_t n = OCTET_MIN(cols - h * 8, 8);
        if (n <= 0) {
            break;
        }
        uint8_t *o = (uint8_t *) out + h * 8;
        octet_qstore_half(octet_qpairsum(c00, c01), mult[0], zp, lo, hi, is_signed, o, n, &rq,
                              octet_qres_at(&rq, 0, h * 8));
        if (rows > 1) {
            octet_qstore_half(octet_qpairsum(c10, c11), mult[1], zp, lo, hi, is_signed, o + ldo, n, &rq,
                              octet_qres_at(&rq, 1, h * 8));
        }
        if (rows > 2) {
            octet_qstore_half(octet_qpairsum(c20, c21), mult[2], zp, lo, hi, is_signed, o + 2 * ldo, n, &rq,
                              octet_qres_at(&rq, 2, h * 8));
        }
        if (rows > 3) {
            octet_qstore_half(octet_qpairsum(c30, c31), mult[3], zp, lo, hi, is_signed, o + 3 * ldo, n, &rq,
                              octet_qres_at(&rq, 3, h * 8));
        }
    }
}

/* Without the residual stage. */
OCTET_QKERNEL void octet_qgemm_widen_4x16(int64_t kq, const int16_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols) {
    octet_qgemm_widen_4x16_r(kq, a, b, ldb, part, first, last, bias, mult, zp, lo, hi, is_signed, out, ldo, rows, cols, NULL, NULL, 0, 0,
        0, 0, 0);
}

#ifdef __AVX512VNNI__
/* AVX-512 VNNI (x86-64-v4+vnni): vpdpbusd adds four u8·s8 products of one 32-bit lane into its int32 accumulator
 * with no intermediate saturation (each product fits 16 bits, their sum 18 bits, the int32 add wraps), so it is
 * exact for EVERY s8 weight, unlike vpmaddubsw. Same packed operands as maddubs (s8 weights, 4-row panels); a tile
 * is 4 rows × 64 pixels (four zmm of B per group): 16 accumulators, 4 loads and 4 broadcasts per 16 vpdpbusd.
 * The template pads B rows to whole 64-pixel tiles; lanes past cols are computed from stale bytes and dropped. */
#define OCTET_QNR_VNNI 64

/* 16 int32 of one row requantized to 16 bytes: the same fp32 operations, in the same order, as
 * octet_requantize16 (saturating narrowing of already clamped values). */
static inline __m128i octet_requantize16_zmmr(__m512i acc, float m, int64_t zp, int64_t lo, int64_t hi,
                                              int is_signed, const octet_qres *q, const uint8_t *r, int64_t n) {
    const int mode = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), _mm512_set1_ps(m));
    f = _mm512_add_ps(_mm512_roundscale_ps(f, mode), _mm512_set1_ps((float) zp));
    f = _mm512_min_ps(_mm512_max_ps(f, _mm512_set1_ps((float) lo)), _mm512_set1_ps((float) hi));
    if (q && q->res) { /* the residual stage of octet_qresidual8, 16 lanes; bytes past n are not read */
        const __mmask16 k = n >= 16 ? (__mmask16) 0xFFFF : n > 0 ? (__mmask16) ((1u << n) - 1) : 0;
        const __m512 rv = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(k, r)));
        const __m512 a = _mm512_mul_ps(_mm512_sub_ps(f, _mm512_set1_ps(q->za)), _mm512_set1_ps(q->ma));
        const __m512 b = _mm512_mul_ps(_mm512_sub_ps(rv, _mm512_set1_ps(q->zr)), _mm512_set1_ps(q->mr));
        f = _mm512_add_ps(_mm512_roundscale_ps(_mm512_add_ps(a, b), mode), _mm512_set1_ps(q->zo));
        f = _mm512_min_ps(_mm512_max_ps(f, _mm512_set1_ps(q->lo)), _mm512_set1_ps(q->hi));
    }
    const __m512i v = _mm512_cvtps_epi32(f);
    return is_signed ? _mm512_cvtsepi32_epi8(v) : _mm512_cvtusepi32_epi8(_mm512_max_epi32(v, _mm512_setzero_si512()));
}

static inline __m128i octet_requantize16_zmm(__m512i acc, float m, int64_t zp, int64_t lo, int64_t hi,
                                             int is_signed) {
    return octet_requantize16_zmmr(acc, m, zp, lo, hi, is_signed, NULL, NULL, 0);
}

/* Stores pixels [16v, 16v + 16) ∩ [0, cols) of a requantized row. */
static inline void octet_qstore16_masked(__m128i v, uint8_t *restrict dst, int64_t n) {
    if (n >= 16) {
        _mm_storeu_si128((__m128i *) dst, v);
    } else if (n > 0) {
        _mm_mask_storeu_epi8(dst, (__mmask16) ((1u << n) - 1), v);
    }
}

#define OCTET_QVNNI_ROW(r, av) \
    c##r##0 = _mm512_dpbusd_epi32(c##r##0, b0, av); c##r##1 = _mm512_dpbusd_epi32(c##r##1, b1, av); \
    c##r##2 = _mm512_dpbusd_epi32(c##r##2, b2, av); c##r##3 = _mm512_dpbusd_epi32(c##r##3, b3, av)
#define OCTET_QVNNI_INIT(r) c##r##0 = c##r##1 = c##r##2 = c##r##3 = _mm512_set1_epi32(bias[r])
#define OCTET_QVNNI_LOAD(r) \
    c##r##0 = _mm512_loadu_si512(part + (r * 4 + 0) * 16); c##r##1 = _mm512_loadu_si512(part + (r * 4 + 1) * 16); \
    c##r##2 = _mm512_loadu_si512(part + (r * 4 + 2) * 16); c##r##3 = _mm512_loadu_si512(part + (r * 4 + 3) * 16)
#define OCTET_QVNNI_SAVE(r) \
    _mm512_storeu_si512(part + (r * 4 + 0) * 16, c##r##0); _mm512_storeu_si512(part + (r * 4 + 1) * 16, c##r##1); \
    _mm512_storeu_si512(part + (r * 4 + 2) * 16, c##r##2); _mm512_storeu_si512(part + (r * 4 + 3) * 16, c##r##3)
#define OCTET_QVNNI_OUT(r) do { \
        uint8_t *o_ = (uint8_t *) out + r * ldo; \
        octet_qstore16_masked(octet_requantize16_zmmr(c##r##0, mult[r], zp, lo, hi, is_signed, &rq, \
            octet_qres_at(&rq, r, 0), cols), o_, cols); \
        octet_qstore16_masked(octet_requantize16_zmmr(c##r##1, mult[r], zp, lo, hi, is_signed, &rq, \
            octet_qres_at(&rq, r, 16), cols - 16), o_ + 16, cols - 16); \
        octet_qstore16_masked(octet_requantize16_zmmr(c##r##2, mult[r], zp, lo, hi, is_signed, &rq, \
            octet_qres_at(&rq, r, 32), cols - 32), o_ + 32, cols - 32); \
        octet_qstore16_masked(octet_requantize16_zmmr(c##r##3, mult[r], zp, lo, hi, is_signed, &rq, \
            octet_qres_at(&rq, r, 48), cols - 48), o_ + 48, cols - 48); \
    } while (0)

/* C tile (4 rows × 64 pixels) += A·B over kq groups of 4 steps with vpdpbusd; otherwise as
 * octet_qgemm_maddubs_4x16 (bias or part in, part or requantized bytes out; part holds 4 × 64 int32). */
OCTET_QKERNEL void octet_qgemm_vnni_4x64_r(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols, const uint8_t *restrict res, const float *restrict addm, int64_t za, int64_t zr, int64_t zo, int64_t olo,
        int64_t ohi) {
    const octet_qres rq = octet_qres_of(res, ldo, addm, za, zr, zo, olo, ohi);
    __m512i c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
    if (first) {
        OCTET_QVNNI_INIT(0); OCTET_QVNNI_INIT(1); OCTET_QVNNI_INIT(2); OCTET_QVNNI_INIT(3);
    } else {
        OCTET_QVNNI_LOAD(0); OCTET_QVNNI_LOAD(1); OCTET_QVNNI_LOAD(2); OCTET_QVNNI_LOAD(3);
    }
#pragma GCC unroll 2
    for (int64_t k = 0; k < kq; k++) {
        const uint8_t *bk = b + k * ldb;
        const __m512i b0 = _mm512_loadu_si512(bk);
        const __m512i b1 = _mm512_loadu_si512(bk + 64);
        const __m512i b2 = _mm512_loadu_si512(bk + 128);
        const __m512i b3 = _mm512_loadu_si512(bk + 192);
        const int8_t *ak = a + k * 16;
        int32_t w;
        memcpy(&w, ak, 4);
        __m512i av = _mm512_set1_epi32(w);
        OCTET_QVNNI_ROW(0, av);
        memcpy(&w, ak + 4, 4);
        av = _mm512_set1_epi32(w);
        OCTET_QVNNI_ROW(1, av);
        memcpy(&w, ak + 8, 4);
        av = _mm512_set1_epi32(w);
        OCTET_QVNNI_ROW(2, av);
        memcpy(&w, ak + 12, 4);
        av = _mm512_set1_epi32(w);
        OCTET_QVNNI_ROW(3, av);
    }
    if (!last) {
        OCTET_QVNNI_SAVE(0); OCTET_QVNNI_SAVE(1); OCTET_QVNNI_SAVE(2); OCTET_QVNNI_SAVE(3);
        return;
    }
    OCTET_QVNNI_OUT(0);
    if (rows > 1) {
        OCTET_QVNNI_OUT(1);
    }
    if (rows > 2) {
        OCTET_QVNNI_OUT(2);
    }
    if (rows > 3) {
        OCTET_QVNNI_OUT(3);
    }
}

/* Without the residual stage. */
OCTET_QKERNEL void octet_qgemm_vnni_4x64(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols) {
    octet_qgemm_vnni_4x64_r(kq, a, b, ldb, part, first, last, bias, mult, zp, lo, hi, is_signed, out, ldo, rows, cols, NULL, NULL, 0, 0,
        0, 0, 0);
}
#endif /* __AVX512VNNI__ */


/* Interleaves 16 pixels of 4 channel rows into 16 words [c0 c1 c2 c3]. */
static inline void octet_qinterleave16(uint8_t *restrict dst, __m128i x0, __m128i x1, __m128i x2, __m128i x3) {
    const __m128i a = _mm_unpacklo_epi8(x0, x1);
    const __m128i b = _mm_unpackhi_epi8(x0, x1);
    const __m128i c = _mm_unpacklo_epi8(x2, x3);
    const __m128i d = _mm_unpackhi_epi8(x2, x3);
    _mm_storeu_si128((__m128i *) (dst + 0), _mm_unpacklo_epi16(a, c));
    _mm_storeu_si128((__m128i *) (dst + 16), _mm_unpackhi_epi16(a, c));
    _mm_storeu_si128((__m128i *) (dst + 32), _mm_unpacklo_epi16(b, d));
    _mm_storeu_si128((__m128i *) (dst + 48), _mm_unpackhi_epi16(b, d));
}

/* n words of 4 channels at src[c·plane + t] (t < n); channels at or past cin read as zp. */
static inline void octet_qinterleave_run(uint8_t *restrict dst, const uint8_t *restrict src, int64_t plane,
                                         int64_t cin, int64_t n, uint8_t zp) {
    int64_t t = 0;
    if (cin >= 4) {
        for (; t + 16 <= n; t += 16) {
            octet_qinterleave16(dst + t * 4, _mm_loadu_si128((const __m128i *) (src + t)),
                                _mm_loadu_si128((const __m128i *) (src + plane + t)),
                                _mm_loadu_si128((const __m128i *) (src + 2 * plane + t)),
                                _mm_loadu_si128((const __m128i *) (src + 3 * plane + t)));
        }
    }
    for (; t < n; t++) {
        for (int64_t i = 0; i < 4; i++) {
            dst[t * 4 + i] = i < cin ? src[i * plane + t] : zp;
        }
    }
}

static inline void octet_qfill_words(uint8_t *restrict dst, int64_t n, uint8_t zp) {
    memset(dst, zp, (size_t) n * 4);
}

/* B block of a 1×1, stride-1, unpadded convolution: steps are channels, so for group q and pixel j the word is
 * channels 4(q0+q)..+3 at pixel n0 + j of the input (channel planes `plane` bytes apart, cin channels from in).
 * Pixels past nlen, up to a whole panel, are zp. */
OCTET_QKERNEL void octet_qpack_pointwise(uint8_t *restrict bp, int64_t ldb, const uint8_t *restrict in,
                                         int64_t plane, int64_t cin, int64_t n0, int64_t nlen, int64_t q0,
                                         int64_t kq, uint8_t zp) {
    const int64_t padded = (nlen + OCTET_QNR - 1) / OCTET_QNR * OCTET_QNR;
    for (int64_t q = 0; q < kq; q++) {
        const int64_t c = 4 * (q0 + q);
        octet_qinterleave_run(bp + q * ldb, in + c * plane + n0, plane, cin - c, nlen, zp);
        octet_qfill_words(bp + q * ldb + nlen * 4, padded - nlen, zp);
    }
}

/* B block of a convolution (im2col in 4-way groups): group q = (quad c4, ky, kx) in that order, quads
 * [c4a, c4a + kq / (kh·kw)); word j of group q = channels 4c4..4c4+3 at input (y·sh − pt + ky·dh, x·sw − pl + kx·dw)
 * for the block's pixel n0 + j = y·ow + x, and zp (padding) outside the image or past cin. The block is walked
 * one output-row segment at a time: each (quad, ky) input row is interleaved once into the scratch row, then
 * copied for each kx. Pixels past nlen, up to a whole panel, are zp. The scratch row holds
 * ((nlen − 1)·sw + (kw − 1)·dw + 1) words and 32 bytes of slack; rows of bp have 32 bytes of slack after the
 * last panel. */
OCTET_QKERNEL void octet_qpack_im2col(uint8_t *restrict bp, int64_t ldb, uint8_t *restrict row,
                                      const uint8_t *restrict in, int64_t h, int64_t w, int64_t ow, int64_t pt,
                                      int64_t pl, int64_t cin, int64_t n0, int64_t nlen, int64_t c4a, int64_t kq,
                                      uint8_t zp, int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t dh,
                                      int64_t dw) {
    const int64_t plane = h * w;
    const int64_t quads = kq / (kh * kw);
    int64_t y = n0 / ow;
    int64_t x = n0 % ow;
    for (int64_t j0 = 0; j0 < nlen;) {
        const int64_t len = OCTET_MIN(ow - x, nlen - j0);
        const int64_t ix0 = x * sw - pl;
        const int64_t tlen = (len - 1) * sw + (kw - 1) * dw + 1;
        const int64_t lo = OCTET_MIN(OCTET_MAX(-ix0, 0), tlen);
        const int64_t hi = OCTET_MAX(OCTET_MIN(w - ix0, tlen), lo);
        for (int64_t cq = 0; cq < quads; cq++) {
            const int64_t c = 4 * (c4a + cq);
            for (int64_t ky = 0; ky < kh; ky++) {
                const int64_t iy = y * sh - pt + ky * dh;
                if (iy < 0 || iy >= h) {
                    octet_qfill_words(row, tlen, zp);
                } else {
                    octet_qfill_words(row, lo, zp);
                    octet_qinterleave_run(row + lo * 4, in + c * plane + iy * w + ix0 + lo, plane, cin - c, hi - lo,
                                          zp);
                    octet_qfill_words(row + hi * 4, tlen - hi, zp);
                }
                for (int64_t kx = 0; kx < kw; kx++) {
                    uint8_t *dst = bp + ((cq * kh + ky) * kw + kx) * ldb + j0 * 4;
                    const uint8_t *src = row + kx * dw * 4;
                    if (sw == 1) {
                        /* whole 32-byte chunks: the overrun lands on words of later segments (written after
                         * this) or on the block's padding (filled at the end), and reads the scratch's slack */
                        for (int64_t off = 0; off < len * 4; off += 32) {
                            _mm256_storeu_si256((__m256i *) (dst + off),
                                                _mm256_loadu_si256((const __m256i *) (src + off)));
                        }
                    } else {
                        for (int64_t p = 0; p < len; p++) {
                            memcpy(dst + p * 4, src + p * sw * 4, 4);
                        }
                    }
                }
            }
        }
        j0 += len;
        x = 0;
        y++;
    }
    const int64_t padded = (nlen + OCTET_QNR - 1) / OCTET_QNR * OCTET_QNR;
    for (int64_t q = 0; q < kq; q++) {
        octet_qfill_words(bp + q * ldb + nlen * 4, padded - nlen, zp);
    }
}

#endif
