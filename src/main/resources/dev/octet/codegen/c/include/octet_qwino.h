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
 *   V (block):    v[(pos * C2 + pair) * T * 2 + tile * 2 + i]              int16
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

/* The 4×4 input transform V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]; d and v row-major. */
static inline void octet_qwino_bt(const int16_t *restrict d, int16_t *restrict v) {
    int16_t r[16];
    for (int j = 0; j < 4; j++) {
        r[0 * 4 + j] = (int16_t) (d[0 * 4 + j] - d[2 * 4 + j]);
        r[1 * 4 + j] = (int16_t) (d[1 * 4 + j] + d[2 * 4 + j]);
        r[2 * 4 + j] = (int16_t) (d[2 * 4 + j] - d[1 * 4 + j]);
        r[3 * 4 + j] = (int16_t) (d[1 * 4 + j] - d[3 * 4 + j]);
    }
    for (int i = 0; i < 4; i++) {
        v[i * 4 + 0] = (int16_t) (r[i * 4 + 0] - r[i * 4 + 2]);
        v[i * 4 + 1] = (int16_t) (r[i * 4 + 1] + r[i * 4 + 2]);
        v[i * 4 + 2] = (int16_t) (r[i * 4 + 2] - r[i * 4 + 1]);
        v[i * 4 + 3] = (int16_t) (r[i * 4 + 1] - r[i * 4 + 3]);
    }
}

/* Transforms tiles [t0, t0 + tlen) of C channels of one image into v (T tiles; tiles past tlen and the partner of
 * an odd last channel are 0). */
static void octet_qwino_input(const uint8_t *restrict in, int64_t C, int64_t H, int64_t W, int64_t PT, int64_t PL,
                              int64_t ZX, int64_t TW, int64_t t0, int64_t tlen, int64_t T, int16_t *restrict v) {
    const int64_t C2 = (C + 1) / 2;
    const int64_t ldp = C2 * T * 2; /* one position's values */
    for (int64_t c = 0; c < 2 * C2; c++) {
        int16_t *vc = v + (c >> 1) * T * 2 + (c & 1);
        if (c >= C) {
            for (int pos = 0; pos < 16; pos++) {
                for (int64_t t = 0; t < T; t++) {
                    vc[pos * ldp + t * 2] = 0;
                }
            }
            continue;
        }
        const uint8_t *plane = in + c * H * W;
        for (int64_t t = 0; t < T; t++) {
            int16_t d[16];
            int16_t x[16];
            if (t >= tlen) {
                memset(x, 0, sizeof x);
            } else {
                const int64_t tile = t0 + t;
                const int64_t y0 = 2 * (tile / TW) - PT;
                const int64_t x0 = 2 * (tile % TW) - PL;
                if (y0 >= 0 && y0 + 4 <= H && x0 >= 0 && x0 + 4 <= W) {
                    const uint8_t *p = plane + y0 * W + x0;
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            d[i * 4 + j] = (int16_t) (p[i * W + j] - ZX);
                        }
                    }
                } else {
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            const int64_t yy = y0 + i;
                            const int64_t xx = x0 + j;
                            d[i * 4 + j] = yy >= 0 && yy < H && xx >= 0 && xx < W
                                    ? (int16_t) (plane[yy * W + xx] - ZX) : 0;
                        }
                    }
                }
                octet_qwino_bt(d, x);
            }
            for (int pos = 0; pos < 16; pos++) {
                vc[pos * ldp + t * 2] = x[pos];
            }
        }
    }
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
        int32_t w[4];
        memcpy(w, u + p * 8, 16);
        __m256i a = _mm256_set1_epi32(w[0]);
        c00 = _mm256_add_epi32(c00, _mm256_madd_epi16(a, b0));
        c01 = _mm256_add_epi32(c01, _mm256_madd_epi16(a, b1));
        a = _mm256_set1_epi32(w[1]);
        c10 = _mm256_add_epi32(c10, _mm256_madd_epi16(a, b0));
        c11 = _mm256_add_epi32(c11, _mm256_madd_epi16(a, b1));
        a = _mm256_set1_epi32(w[2]);
        c20 = _mm256_add_epi32(c20, _mm256_madd_epi16(a, b0));
        c21 = _mm256_add_epi32(c21, _mm256_madd_epi16(a, b1));
        a = _mm256_set1_epi32(w[3]);
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
    octet_qwino_input(in, C, H, W, PT, PL, ZX, TW, t0, tlen, T, v);
    uint8_t *o = (uint8_t *) out;
    for (int64_t co0 = 0; co0 < 4 * CO4; co0 += COB) {
        const int64_t cob = COB < 4 * CO4 - co0 ? COB : 4 * CO4 - co0;
        for (int pos = 0; pos < 16; pos++) {
            for (int64_t r = 0; r < cob; r += 4) {
                const int16_t *up = u + ((pos * CO4 + (co0 + r) / 4) * C2) * 8;
                for (int64_t j = 0; j < tlen; j += OCTET_QWINO_NT) {
                    octet_qwino_gemm_4x16(C2, up, v + pos * C2 * T * 2 + j * 2, T * 2, m + (pos * COB + r) * T + j,
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
