/* Exact int8 Winograd F(2x2,3x3) for AVX2 (x86-64-v3): u8 activations (NCHW), s8 weights, int32 accumulation,
 * requantized to u8/s8 (DESIGN.md, "Numerics"; invariants 1 and 4). Used by Int8WinogradTemplate, which owns the
 * weight transform, the packing and the validity predicate (Java).
 *
 * Y = A^T [ (G g G^T) ⊙ (B^T d B) ] A is exact over the rationals; with G' = 2G (integer entries) the weights'
 * transform U = G' g G'^T is an integer matrix (|U| <= 9·128, int16) and A^T [U ⊙ V] A = 4·Y. The input transform
 * V = B^T d B of d = q_x − zp_x (0 for padding and for positions past the image) is an integer matrix with
 * |V| <= 4·255 (int16). Per transformed position the products are summed over input channels in int32 with
 * vpmaddwd (pairs of channels: |2·U·V| < 2^22, no saturation). These sums, the output transform and the bias add
 * wrap (vector adds wrap; the C around them is compiled with -fwrapv): the result is 4·Y mod 2^32, which is 4·Y
 * itself wherever |Y| < 2^29 (the template's channel limit guarantees it), and 4·Y >> 2 = Y exactly. Then
 * acc = Y + bias in wrapping int32 like the reference's accumulator, and the requantization of octet_qgemm.h:
 * y = clamp(rne((float) acc · M) + zp, lo, hi), plain fp32 multiply.
 *
 * Layouts (C2 = ceil(C / 2) channel pairs, CO4 = ceil(CO / 4) panels of 4 output channels, T tiles per block):
 *   U (weights):  u[((pos * CO4 + panel) * C2 + pair) * 8 + row * 2 + i]   int16, channel 2·pair+i
 *   V (block):    v[(pos * C2 + pair) * (T + 16) * 2 + tile * 2 + i]       int16
 *   M (block):    m[(pos * COB + row) * T + tile]                          int32
 * A tile t of the image is output rows 2·(t / TW) .. +1 and columns 2·(t % TW) .. +1, TW = ceil(OW / 2).
 * Operands may lie in Java heap arrays, so every load and store is unaligned. */
#ifndef OCTET_QWINO_H
#define OCTET_QWINO_H
#include <immintrin.h>
#include <string.h>
#include "octet_runtime.h"

/* Tiles of one micro-kernel call. */
#define OCTET_QWINO_NT 16

/* 16 tiles' input columns j = 0 and 1 of one padded row: the even and the odd bytes of 32, widened, minus zp_x. */
static inline void octet_qwino_columns(const uint8_t *p, __m256i zx, __m256i *even, __m256i *odd) {
    const __m256i x = _mm256_loadu_si256((const __m256i *) p);
    const __m256i split = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,
                                           0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    /* 64-bit groups: evens 0-7, odds 0-7, evens 8-15, odds 8-15 -> evens 0-15, odds 0-15 */
    const __m256i y = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(x, split), _MM_SHUFFLE(3, 1, 2, 0));
    *even = _mm256_sub_epi16(_mm256_cvtepu8_epi16(_mm256_castsi256_si128(y)), zx);
    *odd = _mm256_sub_epi16(_mm256_cvtepu8_epi16(_mm256_extracti128_si256(y, 1)), zx);
}

/* V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1], of 16 tiles at once (one int16 lane per tile), from
 * 4 padded rows: tile m's columns are bytes 2m .. 2m + 3 of p[i]. |d| <= 255, so |V| <= 1020: no int16 overflow. */
static inline void octet_qwino_bt16(const uint8_t *const p[4], __m256i zx, __m256i v[16]) {
    __m256i d[4][4];
    for (int i = 0; i < 4; i++) {
        octet_qwino_columns(p[i], zx, &d[i][0], &d[i][1]);
        octet_qwino_columns(p[i] + 2, zx, &d[i][2], &d[i][3]);
    }
    __m256i r[4][4];
    for (int j = 0; j < 4; j++) {
        r[0][j] = _mm256_sub_epi16(d[0][j], d[2][j]);
        r[1][j] = _mm256_add_epi16(d[1][j], d[2][j]);
        r[2][j] = _mm256_sub_epi16(d[2][j], d[1][j]);
        r[3][j] = _mm256_sub_epi16(d[1][j], d[3][j]);
    }
    for (int i = 0; i < 4; i++) {
        v[i * 4 + 0] = _mm256_sub_epi16(r[i][0], r[i][2]);
        v[i * 4 + 1] = _mm256_add_epi16(r[i][1], r[i][2]);
        v[i * 4 + 2] = _mm256_sub_epi16(r[i][2], r[i][1]);
        v[i * 4 + 3] = _mm256_sub_epi16(r[i][1], r[i][3]);
    }
}

/* Transforms tiles [t0, t0 + tlen) of C channels of one image into v: per position and channel pair a row of
 * T + OCTET_QWINO_NT tiles (the slack takes whole 16-tile stores), tiles [tlen, T) 0, an odd last channel's
 * partner 0. Per segment of the block in one tile row, the 4 input rows of each channel are copied into padded
 * rows (zp_x outside the image, so that d = 0 there), then 16 tiles at a time are transformed and the pair's two
 * channels interleaved. */
static void octet_qwino_input(const uint8_t *restrict in, int64_t C, int64_t H, int64_t W, int64_t PT, int64_t PL,
                              int64_t ZX, int64_t TW, int64_t t0, int64_t tlen, int64_t T, int16_t *restrict v) {
    const int64_t C2 = (C + 1) / 2;
    const int64_t ldt = T + OCTET_QWINO_NT;
    const int64_t ldp = C2 * ldt * 2;
    const int64_t wp = 2 * TW + 64; /* >= W + PL, and the last 32-byte read at 2·(TW − 1) + 2 */
    uint8_t rows[2][4][wp];
    const __m256i zx = _mm256_set1_epi16((int16_t) ZX);
    for (int64_t c2 = 0; c2 < C2; c2++) {
        int16_t *vp = v + c2 * ldt * 2;
        for (int64_t t = 0; t < tlen;) {
            const int64_t ty = (t0 + t) / TW;
            const int64_t tx = (t0 + t) % TW;
            const int64_t n = TW - tx < tlen - t ? TW - tx : tlen - t;
            for (int ch = 0; ch < 2; ch++) {
                const int64_t c = 2 * c2 + ch;
                for (int i = 0; i < 4; i++) {
                    const int64_t y = 2 * ty - PT + i;
                    memset(rows[ch][i], (int) ZX, (size_t) wp);
                    if (c < C && y >= 0 && y < H) {
                        memcpy(rows[ch][i] + PL, in + (c * H + y) * W, (size_t) W);
                    }
                }
            }
            for (int64_t k = 0; k < n; k += OCTET_QWINO_NT) {
                __m256i a[16], b[16];
                const uint8_t *pa[4] = {rows[0][0] + 2 * (tx + k), rows[0][1] + 2 * (tx + k),
                                        rows[0][2] + 2 * (tx + k), rows[0][3] + 2 * (tx + k)};
                const uint8_t *pb[4] = {rows[1][0] + 2 * (tx + k), rows[1][1] + 2 * (tx + k),
                                        rows[1][2] + 2 * (tx + k), rows[1][3] + 2 * (tx + k)};
                octet_qwino_bt16(pa, zx, a);
                octet_qwino_bt16(pb, zx, b);
                for (int pos = 0; pos < 16; pos++) {
                    const __m256i lo = _mm256_unpacklo_epi16(a[pos], b[pos]); /* tiles 0-3, 8-11 */
                    const __m256i hi = _mm256_unpackhi_epi16(a[pos], b[pos]); /* tiles 4-7, 12-15 */
                    int16_t *dst = vp + pos * ldp + (t + k) * 2;
                    _mm256_storeu_si256((__m256i *) dst, _mm256_permute2x128_si256(lo, hi, 0x20));
                    _mm256_storeu_si256((__m256i *) (dst + 16), _mm256_permute2x128_si256(lo, hi, 0x31));
                }
            }
            t += n;
        }
        for (int pos = 0; pos < 16 && tlen < T; pos++) {
            memset(vp + pos * ldp + tlen * 2, 0, (size_t) (T - tlen) * 4);
        }
    }
}

static inline __m256i octet_qwino_bcast32(const int16_t *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

/* One position's products of 4 output channels (a weight panel, C2 pairs × 4 rows × 2) with 16 tiles of v (row
 * stride ldv int16), summed over the channels, into 4 rows of m (stride ldm). */
static inline __attribute__((always_inline)) void octet_qwino_gemm_4x16(int64_t C2, const int16_t *restrict u,
        const int16_t *restrict v, int64_t ldv, int32_t *restrict m, int64_t ldm) {
    __m256i c00 = _mm256_setzero_si256(), c01 = _mm256_setzero_si256();
    __m256i c10 = _mm256_setzero_si256(), c11 = _mm256_setzero_si256();
    __m256i c20 = _mm256_setzero_si256(), c21 = _mm256_setzero_si256();
    __m256i c30 = _mm256_setzero_si256(), c31 = _mm256_setzero_si256();
    for (int64_t p = 0; p < C2; p++) {
        const __m256i b0 = _mm256_loadu_si256((const __m256i *) (v + p * ldv));
        const __m256i b1 = _mm256_loadu_si256((const __m256i *) (v + p * ldv + 16));
        const int16_t *w = u + p * 8;
        __m256i a = octet_qwino_bcast32(w);
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(a, b0));
        c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(a, b1));
        a = octet_qwino_bcast32(w + 2);
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(a, b0));
        c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(a, b1));
        a = octet_qwino_bcast32(w + 4);
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(a, b0));
        c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(a, b1));
        a = octet_qwino_bcast32(w + 6);
        c30 = _mm256_add_epi32(c30, _mm256_madd_epi16(a, b0));
        c31 = _mm256_add_epi32(c31, _mm256_madd_epi16(a, b1));
    }
    _mm256_storeu_si256((__m256i *) (m + 0 * ldm), c00);
    _mm256_storeu_si256((__m256i *) (m + 0 * ldm + 8), c01);
    _mm256_storeu_si256((__m256i *) (m + 1 * ldm), c10);
    _mm256_storeu_si256((__m256i *) (m + 1 * ldm + 8), c11);
    _mm256_storeu_si256((__m256i *) (m + 2 * ldm), c20);
    _mm256_storeu_si256((__m256i *) (m + 2 * ldm + 8), c21);
    _mm256_storeu_si256((__m256i *) (m + 3 * ldm), c30);
    _mm256_storeu_si256((__m256i *) (m + 3 * ldm + 8), c31);
}

#ifdef __AVX512VNNI__
/* 4 output channels × 32 tiles with AVX-512 vpdpwssd (int16 pairs multiplied and added to int32 lanes, wrapping,
 * not saturating: the same sums as vpmaddwd + vpaddd). */
static inline __attribute__((always_inline)) void octet_qwino_gemm_4x32(int64_t C2, const int16_t *restrict u,
        const int16_t *restrict v, int64_t ldv, int32_t *restrict m, int64_t ldm) {
    __m512i c00 = _mm512_setzero_si512(), c01 = _mm512_setzero_si512();
    __m512i c10 = _mm512_setzero_si512(), c11 = _mm512_setzero_si512();
    __m512i c20 = _mm512_setzero_si512(), c21 = _mm512_setzero_si512();
    __m512i c30 = _mm512_setzero_si512(), c31 = _mm512_setzero_si512();
    for (int64_t p = 0; p < C2; p++) {
        const __m512i b0 = _mm512_loadu_si512((const void *) (v + p * ldv));
        const __m512i b1 = _mm512_loadu_si512((const void *) (v + p * ldv + 32));
        const int16_t *w = u + p * 8;
        int32_t w0, w1, w2, w3;
        memcpy(&w0, w, 4);
        memcpy(&w1, w + 2, 4);
        memcpy(&w2, w + 4, 4);
        memcpy(&w3, w + 6, 4);
        __m512i a = _mm512_set1_epi32(w0);
        c00 = _mm512_dpwssd_epi32(c00, a, b0);
        c01 = _mm512_dpwssd_epi32(c01, a, b1);
        a = _mm512_set1_epi32(w1);
        c10 = _mm512_dpwssd_epi32(c10, a, b0);
        c11 = _mm512_dpwssd_epi32(c11, a, b1);
        a = _mm512_set1_epi32(w2);
        c20 = _mm512_dpwssd_epi32(c20, a, b0);
        c21 = _mm512_dpwssd_epi32(c21, a, b1);
        a = _mm512_set1_epi32(w3);
        c30 = _mm512_dpwssd_epi32(c30, a, b0);
        c31 = _mm512_dpwssd_epi32(c31, a, b1);
    }
    _mm512_storeu_si512((void *) (m + 0 * ldm), c00);
    _mm512_storeu_si512((void *) (m + 0 * ldm + 16), c01);
    _mm512_storeu_si512((void *) (m + 1 * ldm), c10);
    _mm512_storeu_si512((void *) (m + 1 * ldm + 16), c11);
    _mm512_storeu_si512((void *) (m + 2 * ldm), c20);
    _mm512_storeu_si512((void *) (m + 2 * ldm + 16), c21);
    _mm512_storeu_si512((void *) (m + 3 * ldm), c30);
    _mm512_storeu_si512((void *) (m + 3 * ldm + 16), c31);
}
#endif

/* 8 accumulators requantized: clamp(rne((float) acc · M) + zp, lo, hi), the operations of octet_requantize16. */
static inline __m256i octet_qwino_requantize8(__m256i acc, float m, int64_t zp, int64_t lo, int64_t hi) {
    const int mode = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    __m256 f = _mm256_add_ps(_mm256_round_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(acc), _mm256_set1_ps(m)), mode),
                             _mm256_set1_ps((float) zp));
    f = _mm256_min_ps(_mm256_max_ps(f, _mm256_set1_ps((float) lo)), _mm256_set1_ps((float) hi));
    return _mm256_cvtps_epi32(f);
}

/* The output transform 4·Y = A^T M A (A^T = [1 1 1 0; 0 1 -1 -1]) of 8 tiles of one output channel (m: position
 * stride ldp), Y = 4·Y >> 2, plus the bias, requantized, stored where the tile's pixels lie inside the output. */
static inline void octet_qwino_output8(const int32_t *restrict m, int64_t ldp, int32_t bias, float mult,
                                       uint8_t *restrict out, int64_t OH, int64_t OW, int64_t TW, int64_t t0,
                                       int64_t n, int64_t zp, int64_t lo, int64_t hi) {
    __m256i s[2][4];
    for (int j = 0; j < 4; j++) {
        const __m256i m0 = _mm256_loadu_si256((const __m256i *) (m + (0 * 4 + j) * ldp));
        const __m256i m1 = _mm256_loadu_si256((const __m256i *) (m + (1 * 4 + j) * ldp));
        const __m256i m2 = _mm256_loadu_si256((const __m256i *) (m + (2 * 4 + j) * ldp));
        const __m256i m3 = _mm256_loadu_si256((const __m256i *) (m + (3 * 4 + j) * ldp));
        s[0][j] = _mm256_add_epi32(_mm256_add_epi32(m0, m1), m2);
        s[1][j] = _mm256_sub_epi32(_mm256_sub_epi32(m1, m2), m3);
    }
    const __m256i bv = _mm256_set1_epi32(bias);
    int32_t y[4][8];
    for (int i = 0; i < 2; i++) {
        const __m256i y0 = _mm256_add_epi32(_mm256_add_epi32(s[i][0], s[i][1]), s[i][2]);
        const __m256i y1 = _mm256_sub_epi32(_mm256_sub_epi32(s[i][1], s[i][2]), s[i][3]);
        _mm256_storeu_si256((__m256i *) y[2 * i],
                octet_qwino_requantize8(_mm256_add_epi32(_mm256_srai_epi32(y0, 2), bv), mult, zp, lo, hi));
        _mm256_storeu_si256((__m256i *) y[2 * i + 1],
                octet_qwino_requantize8(_mm256_add_epi32(_mm256_srai_epi32(y1, 2), bv), mult, zp, lo, hi));
    }
    for (int64_t t = 0; t < n; t++) {
        const int64_t oy = 2 * ((t0 + t) / TW);
        const int64_t ox = 2 * ((t0 + t) % TW);
        for (int i = 0; i < 2; i++) {
            if (oy + i < OH) {
                out[(oy + i) * OW + ox] = (uint8_t) y[2 * i][t];
                if (ox + 1 < OW) {
                    out[(oy + i) * OW + ox + 1] = (uint8_t) y[2 * i + 1][t];
                }
            }
        }
    }
}

/* One block of tiles [t0, t0 + tlen) of one image: input transform into v, then per block of COB output channels
 * the 16 positions' channel sums into m and the output transform. in, out: the image's first channel plane. */
static void octet_qwino_block(const uint8_t *restrict in, const int16_t *restrict u, const int32_t *restrict bias,
                              const float *restrict mult, void *out, int64_t C, int64_t CO, int64_t H, int64_t W,
                              int64_t OH, int64_t OW, int64_t PT, int64_t PL, int64_t ZX, int64_t ZY, int64_t LO,
                              int64_t HI, int64_t t0, int64_t tlen, int64_t T, int64_t COB, int16_t *restrict v,
                              int32_t *restrict m) {
    const int64_t C2 = (C + 1) / 2;
    const int64_t CO4 = (CO + 3) / 4;
    const int64_t TW = (OW + 1) / 2;
    const int64_t ldv = (T + OCTET_QWINO_NT) * 2;
    octet_qwino_input(in, C, H, W, PT, PL, ZX, TW, t0, tlen, T, v);
    uint8_t *o = (uint8_t *) out;
    for (int64_t co0 = 0; co0 < 4 * CO4; co0 += COB) {
        const int64_t cob = COB < 4 * CO4 - co0 ? COB : 4 * CO4 - co0;
        for (int pos = 0; pos < 16; pos++) {
            for (int64_t r = 0; r < cob; r += 4) {
                const int16_t *up = u + ((pos * CO4 + (co0 + r) / 4) * C2) * 8;
                const int16_t *vp = v + pos * C2 * ldv;
                int64_t j = 0;
#ifdef __AVX512VNNI__
                for (; j + 2 * OCTET_QWINO_NT <= T && j < tlen; j += 2 * OCTET_QWINO_NT) {
                    octet_qwino_gemm_4x32(C2, up, vp + j * 2, ldv, m + (pos * COB + r) * T + j,
                                          T);
                }
#endif
                for (; j < tlen; j += OCTET_QWINO_NT) {
                    octet_qwino_gemm_4x16(C2, up, vp + j * 2, ldv, m + (pos * COB + r) * T + j,
                                          T);
                }
            }
        }
        const int64_t rows = CO - co0 < cob ? CO - co0 : cob;
        for (int64_t r = 0; r < rows; r++) {
            const int64_t co = co0 + r;
            for (int64_t j = 0; j < tlen; j += 8) {
                octet_qwino_output8(m + r * T + j, COB * T, bias[co], mult[co], o + co * OH * OW, OH, OW, TW,
                                    t0 + j, tlen - j < 8 ? tlen - j : 8, ZY, LO, HI);
            }
        }
    }
}

#endif
