/* fp32 max pooling micro-kernel for AVX-512 (x86-64-v4): one output row of a 3×3 window at stride 2 (dilation 1),
 * ResNet's stem pool. Used by PoolTemplate's rows = 2 configuration on rows whose window lies inside the image
 * vertically.
 *
 * Each step makes 16 outputs from three input rows: per row, two loads split into even and odd columns (vpermt2ps)
 * give the window's left and middle taps, and the right tap is the even columns moved down a lane with the next
 * load's first column (valignd). A column outside [0, W) (padding) loads as -inf; the step past OW is masked, so
 * one loop covers the whole row, borders included, with no scalar tail.
 *
 * Exactness against the reference: the taps fold as m = t > m ? t : m (vmaxps(t, m): ties keep m, the first), row by
 * row, left to right, then the three rows top to bottom. Folding each row first and then the rows in order picks
 * the same element as folding all nine in (kh, kw) order: the first of the window's largest values. A padding -inf
 * never beats a value, and against a real -inf it is the same bits. vmaxps drops a NaN tap, so the kernel returns
 * nonzero where any column it read is NaN, and the caller recomputes that row with the NaN-aware fold. */
#ifndef OCTET_SPOOL_H
#define OCTET_SPOOL_H
#include <immintrin.h>
#include <stdint.h>

#ifdef __AVX512F__
/* Lanes [lo, hi) ∩ [0, 16) of a 16-lane mask. */
static inline __attribute__((always_inline)) __mmask16 octet_spool_lanes(int64_t lo, int64_t hi) {
    lo = lo < 0 ? 0 : lo;
    hi = hi > 16 ? 16 : hi;
    return hi <= lo ? (__mmask16) 0 : (__mmask16) (((1u << hi) - 1) & ~((1u << lo) - 1));
}

/* The horizontal max of one input row for outputs x0 .. x0+15, whose windows start at column c0 = 2·x0 − PL; OR's
 * the unordered lanes of every load into *nan. */
static inline __attribute__((always_inline)) __m512 octet_spool_row3s2(const float *row, int64_t c0, int64_t W,
        __mmask16 *nan) {
    const __m512 ninf = _mm512_set1_ps(-__builtin_inff());
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const __mmask16 m0 = octet_spool_lanes(-c0, W - c0);
    const __mmask16 m1 = octet_spool_lanes(-c0 - 16, W - c0 - 16);
    const __mmask16 m2 = octet_spool_lanes(-c0 - 32, W - c0 - 32) & 1;
    const __m512 l0 = _mm512_mask_loadu_ps(ninf, m0, row + c0);
    const __m512 l1 = _mm512_mask_loadu_ps(ninf, m1, row + c0 + 16);
    const __m512 l2 = _mm512_mask_loadu_ps(ninf, m2, row + c0 + 32);
    *nan |= _mm512_cmp_ps_mask(l0, l0, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(l1, l1, _CMP_UNORD_Q)
            | _mm512_cmp_ps_mask(l2, l2, _CMP_UNORD_Q);
    const __m512 left = _mm512_permutex2var_ps(l0, even, l1);
    const __m512 mid = _mm512_permutex2var_ps(l0, odd, l1);
    const __m512 right = _mm512_castsi512_ps(_mm512_alignr_epi32(_mm512_castps_si512(l2),
            _mm512_castps_si512(left), 1));
    return _mm512_max_ps(right, _mm512_max_ps(mid, left));
}

/* out[x] = max of the 3×3 window at (2x − PL, rows r0..r2) for x in [0, OW); returns nonzero where a column read
 * was NaN (out then holds a NaN-dropping max: the caller redoes the row). */
static inline int octet_spool_max3s2_row(const float *r0, const float *r1, const float *r2, float *out,
        int64_t W, int64_t OW, int64_t PL) {
    __mmask16 nan = 0;
    for (int64_t x0 = 0; x0 < OW; x0 += 16) {
        const int64_t c0 = 2 * x0 - PL;
        __m512 m = octet_spool_row3s2(r0, c0, W, &nan);
        m = _mm512_max_ps(octet_spool_row3s2(r1, c0, W, &nan), m);
        m = _mm512_max_ps(octet_spool_row3s2(r2, c0, W, &nan), m);
        _mm512_mask_storeu_ps(out + x0, octet_spool_lanes(0, OW - x0), m);
    }
    return nan != 0;
}
#else
/* Without AVX-512 the row is left to the caller's loop. */
static inline int octet_spool_max3s2_row(const float *r0, const float *r1, const float *r2, float *out,
        int64_t W, int64_t OW, int64_t PL) {
    (void) r0, (void) r1, (void) r2, (void) out, (void) W, (void) OW, (void) PL;
    return 1;
}
#endif /* __AVX512F__ */

#endif
