/* int8 GEMM micro-kernel for Intel AMX (x86-64-v4+amx, under __AMX_INT8__): the AMX variant of Int8ConvTemplate,
 * on the packed activations of octet_qgemm.h and its requantization (DESIGN.md, "Numerics"; invariants 1 and 4). */
#ifndef OCTET_QAMX_H
#define OCTET_QAMX_H
#include "octet_qgemm.h"

#if defined(__AMX_INT8__) && defined(__AVX512VNNI__)
/* Intel AMX (x86-64-v4+amx): TDPBSUD adds, for each int32 element of a 16×16 tile, four s8·u8 products per
 * 32-bit group with no intermediate saturation (like vpdpbusd), so it is exact for EVERY s8 weight. Operand roles:
 * A = weights (s8, the signed source), 16 output channels × 16 groups of 4 reduction steps, 64 contiguous bytes
 * per row; B = activations (u8), 16 groups × 16 pixels × 4 bytes: exactly 16 rows of the packed B block above
 * (stride ldb), so the packers are shared with the other variants. C = 16 channels × 16 pixels int32.
 * A micro-tile is 2×2 C tiles: 32 channels × 32 pixels (tmm0-3), with 2 A tiles (tmm4-5) and 2 B tiles (tmm6-7),
 * so each loaded tile feeds two TDPBSUD. Weights of a 32-row panel, per block of 16 groups: two A tiles (rows
 * 0-15, 16-31) of 1024 bytes; the template pads channels to 32 rows and groups to a multiple of 16 with ZERO
 * weights, so the padded reduction steps add nothing whatever B bytes they meet (stale rows of the B block).
 *
 * Linux hands out the tile state only on request (arch_prctl ARCH_REQ_XCOMP_PERM for XTILEDATA, once per process);
 * tiles must be configured on each thread before use (LDTILECFG, palette 1). The kernel body calls
 * octet_amx_begin() on its thread at the start of each call and octet_amx_end() at its end; where the request is
 * refused, begin returns 0 and the micro-kernel computes the same sums with scalar code over the same operands. */
#include <sys/syscall.h>
/* glibc's declaration (unistd.h declares it only outside strict -std=c11) */
extern long syscall(long number, ...);
#define OCTET_QNR_AMX 32
#define OCTET_QMR_AMX 32
#define OCTET_ARCH_REQ_XCOMP_PERM 0x1023
#define OCTET_XFEATURE_XTILEDATA 18

/* 0: not asked yet; 1: granted; -1: refused. Asking twice is harmless (the permission is per process). */
static int octet_amx_permission;

static inline int64_t octet_amx_begin(void) {
#ifdef OCTET_AMX_REFUSED /* tests: behave as where Linux refuses the tile state */
    return 0;
#endif
    int state = __atomic_load_n(&octet_amx_permission, __ATOMIC_ACQUIRE);
    if (state == 0) {
        state = syscall(SYS_arch_prctl, OCTET_ARCH_REQ_XCOMP_PERM, OCTET_XFEATURE_XTILEDATA) == 0 ? 1 : -1;
        __atomic_store_n(&octet_amx_permission, state, __ATOMIC_RELEASE);
    }
    if (state < 0) {
        return 0;
    }
    struct {
        uint8_t palette;
        uint8_t start_row;
        uint8_t reserved[14];
        uint16_t colsb[16];
        uint8_t rows[16];
    } __attribute__((packed, aligned(64))) cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (int t = 0; t < 8; t++) {
        cfg.colsb[t] = 64;
        cfg.rows[t] = 16;
    }
    /* GCC does not model LDTILECFG's read of the whole 64 bytes: without this barrier it may drop the colsb/rows
     * stores as dead (it did, once the kernels grew their residual stage: palette 1 with no rows, and the first
     * tile instruction faulted with SIGILL) */
    __asm__ volatile("" : : "r"(&cfg) : "memory");
    _tile_loadconfig(&cfg);
    return 1;
}

static inline void octet_amx_end(int64_t amx) {
    if (amx) {
        _tile_release();
    }
}

/* The same 32×32 sums as the tile code, in scalar int32 (wrapping: -fwrapv), where AMX was refused. */
static inline void octet_qgemm_amx_scalar(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b, int64_t ldb,
                                   int32_t *restrict acc) {
    for (int64_t r = 0; r < 32; r++) {
        for (int64_t n = 0; n < 32; n++) {
            int32_t s = acc[r * 32 + n];
            for (int64_t k = 0; k < kq; k++) {
                const int8_t *ak = a + (k / 16) * 2048 + (r / 16) * 1024 + (r % 16) * 64 + (k % 16) * 4;
                const uint8_t *bk = b + k * ldb + n * 4;
                s += ak[0] * bk[0] + ak[1] * bk[1] + ak[2] * bk[2] + ak[3] * bk[3];
            }
            acc[r * 32 + n] = s;
        }
    }
}

/* C tile (32 rows × 32 pixels) += A·B over kq groups of 4 steps (rounded up to 16 over zero weights) with
 * TDPBSUD. Starts from zero (first) or from part (32 × 32 int32, row-major); ends in part (!last) or, with the
 * bias added (int32, wrapping: the same sum in another order), requantized into out as the VNNI kernel does. */
OCTET_QKERNEL void octet_qgemm_amx_32x32_r(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols, int64_t amx, const uint8_t *restrict res, const float *restrict addm, int64_t za, int64_t zr, int64_t zo, int64_t olo,
        int64_t ohi) {
    const octet_qres rq = octet_qres_of(res, ldo, addm, za, zr, zo, olo, ohi);
    int32_t acc[32 * 32] __attribute__((aligned(64)));
    int32_t *c = last ? acc : part;
    if (amx) {
        if (first) {
            _tile_zero(0); _tile_zero(1); _tile_zero(2); _tile_zero(3);
        } else {
            _tile_loadd(0, part, 128); _tile_loadd(1, part + 16, 128);
            _tile_loadd(2, part + 512, 128); _tile_loadd(3, part + 528, 128);
        }
        for (int64_t k = 0; k < kq; k += 16) {
            const int8_t *ak = a + k * 128;
            const uint8_t *bk = b + k * ldb;
            _tile_loadd(4, ak, 64);
            _tile_loadd(6, bk, ldb);
            _tile_loadd(5, ak + 1024, 64);
            _tile_loadd(7, bk + 64, ldb);
            _tile_dpbsud(0, 4, 6);
            _tile_dpbsud(1, 4, 7);
            _tile_dpbsud(2, 5, 6);
            _tile_dpbsud(3, 5, 7);
        }
        _tile_stored(0, c, 128); _tile_stored(1, c + 16, 128);
        _tile_stored(2, c + 512, 128); _tile_stored(3, c + 528, 128);
    } else {
        if (first) {
            memset(c, 0, sizeof acc);
        } else if (c != part) {
            memcpy(c, part, sizeof acc);
        }
        octet_qgemm_amx_scalar((kq + 15) / 16 * 16, a, b, ldb, c);
    }
    if (!last) {
        return;
    }
    for (int64_t r = 0; r < rows; r++) {
        const __m512i bv = _mm512_set1_epi32(bias[r]);
        uint8_t *o = (uint8_t *) out + r * ldo;
        const __m512i y0 = _mm512_add_epi32(_mm512_load_si512(acc + r * 32), bv);
        const __m512i y1 = _mm512_add_epi32(_mm512_load_si512(acc + r * 32 + 16), bv);
        octet_qstore16_masked(octet_requantize16_zmmr(y0, mult[r], zp, lo, hi, is_signed, &rq,
                                                      octet_qres_at(&rq, r, 0), cols), o, cols);
        octet_qstore16_masked(octet_requantize16_zmmr(y1, mult[r], zp, lo, hi, is_signed, &rq,
                                                      octet_qres_at(&rq, r, 16), cols - 16), o + 16, cols - 16);
    }
}

/* Without the residual stage. */
OCTET_QKERNEL void octet_qgemm_amx_32x32(int64_t kq, const int8_t *restrict a, const uint8_t *restrict b,
        int64_t ldb, int32_t *restrict part, int first, int last, const int32_t *restrict bias,
        const float *restrict mult, int64_t zp, int64_t lo, int64_t hi, int is_signed, void *restrict out,
        int64_t ldo, int64_t rows, int64_t cols, int64_t amx) {
    octet_qgemm_amx_32x32_r(kq, a, b, ldb, part, first, last, bias, mult, zp, lo, hi, is_signed, out, ldo, rows, cols, amx, NULL, NULL,
        0, 0, 0, 0, 0);
}
#endif /* __AMX_INT8__ */

#endif
