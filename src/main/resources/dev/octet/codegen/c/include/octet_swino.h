/* fp32 Winograd helpers (WinogradTemplate): the data movement of the input and output transforms (tiles to and
 * from 16-tile vector panels), which generated lane loops would leave scalar. */
#ifndef OCTET_SWINO_H
#define OCTET_SWINO_H
#include <immintrin.h>
#include <stdint.h>

#ifdef __AVX512F__
/* Eight or sixteen int64 tile origins as int32 lanes, saturated: a far-outside origin stays far outside. */
static inline __attribute__((always_inline)) __m512i octet_swino_lanes(const int64_t *v) {
    const __m256i lo = _mm512_cvtsepi64_epi32(_mm512_loadu_si512(v));
    const __m256i hi = _mm512_cvtsepi64_epi32(_mm512_loadu_si512(v + 8));
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
}

/* Each lane's plane index (y + i)·W + x + j and, in *inside, the lanes where that position lies inside the H × W
 * plane (unsigned compares: a negative or far-outside coordinate is outside; its index is never used). */
static inline __attribute__((always_inline)) __m512i octet_swino_at(__m512i y, __m512i x, int64_t i, int64_t j,
        int64_t H, int64_t W, __mmask16 *inside) {
    const __m512i vh = _mm512_add_epi32(y, _mm512_set1_epi32((int32_t) i));
    const __m512i vw = _mm512_add_epi32(x, _mm512_set1_epi32((int32_t) j));
    *inside = _mm512_cmplt_epu32_mask(vh, _mm512_set1_epi32((int32_t) H))
            & _mm512_cmplt_epu32_mask(vw, _mm512_set1_epi32((int32_t) W));
    return _mm512_add_epi32(_mm512_mullo_epi32(vh, _mm512_set1_epi32((int32_t) W)), vw);
}
#endif

/* The n × n input tiles of one 16-tile panel: dp[(i·n + j)·16 + lane] = plane[(iy[lane] + i)·W + ix[lane] + j],
 * 0 where that position lies outside the H × W plane (padding, or a lane past the block, whose origin is far
 * outside). With AVX-512 each (i, j) is one masked gather; masked-off lanes are never read, so nothing outside the
 * plane is touched. */
static inline void octet_swino_gather(const float *plane, int64_t H, int64_t W, const int64_t *iy,
        const int64_t *ix, const int64_t n, float *restrict dp) {
#ifdef __AVX512F__
    const __m512i y = octet_swino_lanes(iy);
    const __m512i x = octet_swino_lanes(ix);
    for (int64_t i = 0; i < n; i++) {
        for (int64_t j = 0; j < n; j++) {
            __mmask16 m;
            const __m512i at = octet_swino_at(y, x, i, j, H, W, &m);
            _mm512_storeu_ps(dp + (i * n + j) * 16, _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, at, plane, 4));
        }
    }
#else
    for (int64_t lane = 0; lane < 16; lane++) {
        for (int64_t i = 0; i < n; i++) {
            const int64_t yy = iy[lane] + i;
            for (int64_t j = 0; j < n; j++) {
                const int64_t xx = ix[lane] + j;
                const int inside = yy >= 0 && yy < H && xx >= 0 && xx < W;
                dp[(i * n + j) * 16 + lane] = inside ? plane[yy * W + xx] : 0.0f;
            }
        }
    }
#endif
}

/* Stores the m × m outputs of the 16 tiles of a panel: plane[(oy + r)·OW + ox + s] = yp[(r·m + s)·16 + lane] for
 * each lane's output origin (oy, ox) = (iy[lane] + pt, ix[lane] + pl), where that position lies inside the OH × OW
 * plane (a tile may reach past the image; a lane past the block has an origin far outside). Tiles do not overlap,
 * so the lanes of one scatter never write the same element. */
static inline void octet_swino_scatter(float *plane, int64_t OH, int64_t OW, const int64_t *iy, const int64_t *ix,
        int64_t pt, int64_t pl, const int64_t m, const float *restrict yp) {
#ifdef __AVX512F__
    const __m512i y = _mm512_add_epi32(octet_swino_lanes(iy), _mm512_set1_epi32((int32_t) pt));
    const __m512i x = _mm512_add_epi32(octet_swino_lanes(ix), _mm512_set1_epi32((int32_t) pl));
    for (int64_t r = 0; r < m; r++) {
        for (int64_t s = 0; s < m; s++) {
            __mmask16 k;
            const __m512i at = octet_swino_at(y, x, r, s, OH, OW, &k);
            _mm512_mask_i32scatter_ps(plane, k, at, _mm512_loadu_ps(yp + (r * m + s) * 16), 4);
        }
    }
#else
    for (int64_t lane = 0; lane < 16; lane++) {
        for (int64_t r = 0; r < m; r++) {
            const int64_t oy = iy[lane] + pt + r;
            for (int64_t s = 0; s < m; s++) {
                const int64_t ox = ix[lane] + pl + s;
                if (oy >= 0 && oy < OH && ox >= 0 && ox < OW) {
                    plane[oy * OW + ox] = yp[(r * m + s) * 16 + lane];
                }
            }
        }
    }
#endif
}

#endif
