/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fpu.c: op handlers for the F and D extensions (RISC-V unprivileged ISA
 * spec 20191213, ch. 11 "F" and ch. 12 "D"; section numbers below refer to
 * that version).
 *
 * Arithmetic in RNE/RTZ/RDN/RUP runs on the host FPU: the rounding mode
 * and the exception flags are set and read around each operation (MXCSR
 * directly on x86-64, <fenv.h> elsewhere). RMM has no host equivalent and
 * goes to the exact software path in fpu-soft.c, as do conversions to
 * integers (saturation rules) and the inexact conversions from integers.
 *
 * No special compiler flags are needed: every host operation sits between
 * FP_BARRIER()s, empty volatile asm statements with a memory clobber that
 * make the operands opaque (no constant folding) and pin the arithmetic
 * between the mode switch and the flag read (which are themselves volatile
 * asm or calls), even without -frounding-math.
 *
 * Host FP environment contract: outside these handlers the hart thread is
 * in round-to-nearest; the host's sticky exception flags may be left set
 * (nothing in vmkit reads them; each operation clears them first). */
#include "config.h"

#include <fenv.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "engine/cpu/riscv/fpu-soft.h"
#include "engine/cpu/riscv/ops.h"

#define OP(name) const EmuOp *emu_op_##name(EmuHart *h, const EmuOp *op)
#define NEXT     return op + 1

#define BOX    0xffffffff00000000ULL
#define SIGN_S 0x80000000ULL
#define SIGN_D 0x8000000000000000ULL
#define INF_S  0x7f800000ULL
#define INF_D  0x7ff0000000000000ULL

/* ---- host floating-point environment --------------------------------- */

#if defined(__x86_64__)
#define FPU_HOST 1
/* SSE detects tininess after rounding, like RISC-V (§11.2): its UE flag
 * is exactly the UF flag. */
#define FPU_HOST_TINY_AFTER 1
#define FP_BARRIER(x)       __asm__ volatile("" : "+x"(x) : : "memory")

#define MXCSR_DEFAULT 0x1f80u /* all exceptions masked, RNE, no DAZ/FTZ */

static inline void mxcsr_set(uint32_t v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v) : "memory");
}

static inline uint32_t mxcsr_get(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v) : : "memory");
    return v;
}

/* Enters rounding mode @rm (0..3) with clear flags. */
static inline void host_begin(unsigned rm)
{
    /* MXCSR.RC: 0 nearest, 1 down, 2 up, 3 toward zero */
    static const uint32_t rc[4] = {0u << 13, 3u << 13, 1u << 13, 2u << 13};
    mxcsr_set(MXCSR_DEFAULT | rc[rm]);
}

/* Returns the RISC-V flags raised since host_begin(), back in RNE. */
static inline uint32_t host_end(unsigned rm)
{
    uint32_t c = mxcsr_get();

    if (rm != EMU_RM_RNE) {
        mxcsr_set(MXCSR_DEFAULT);
    }
    /* IE, ZE, OE, UE, PE (bits 0, 2, 3, 4, 5) -> NV, DZ, OF, UF, NX;
     * DE (bit 1, denormal operand) has no RISC-V counterpart */
    return (c & 1) << 4 | (c & 4) << 1 | (c & 8) >> 1 | (c & 16) >> 3 |
           (c & 32) >> 5;
}

#elif FLT_EVAL_METHOD == 0 && defined(FE_TONEAREST) &&                         \
    defined(FE_TOWARDZERO) && defined(FE_DOWNWARD) && defined(FE_UPWARD) &&    \
    defined(FE_INVALID) && defined(FE_DIVBYZERO) && defined(FE_OVERFLOW) &&    \
    defined(FE_UNDERFLOW) && defined(FE_INEXACT)
#define FPU_HOST            1
/* e.g. Arm detects tininess before rounding: results flagged UF are
 * recomputed in software, where the rare disagreement is settled */
#define FPU_HOST_TINY_AFTER 0
#if defined(__aarch64__)
#define FP_BARRIER(x) __asm__ volatile("" : "+w"(x) : : "memory")
#else
#define FP_BARRIER(x) __asm__ volatile("" : "+m"(x) : : "memory")
#endif

static inline void host_begin(unsigned rm)
{
    static const int mode[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD,
                                FE_UPWARD};
    if (rm != EMU_RM_RNE) {
        fesetround(mode[rm]);
    }
    feclearexcept(FE_ALL_EXCEPT);
}

static inline uint32_t host_end(unsigned rm)
{
    int e = fetestexcept(FE_ALL_EXCEPT);

    if (rm != EMU_RM_RNE) {
        fesetround(FE_TONEAREST);
    }
    return ((e & FE_INVALID) ? EMU_FF_NV : 0) |
           ((e & FE_DIVBYZERO) ? EMU_FF_DZ : 0) |
           ((e & FE_OVERFLOW) ? EMU_FF_OF : 0) |
           ((e & FE_UNDERFLOW) ? EMU_FF_UF : 0) |
           ((e & FE_INEXACT) ? EMU_FF_NX : 0);
}

#else
#define FPU_HOST            0 /* no usable host environment: all in software */
#define FPU_HOST_TINY_AFTER 1
#endif

static inline double d_of(uint64_t v)
{
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static inline uint64_t bits_d(double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    return v;
}

static inline float s_of(uint64_t v)
{
    uint32_t u = (uint32_t)v;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint64_t bits_s(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline bool nan_d(uint64_t v)
{
    return (v & ~SIGN_D) > INF_D;
}

static inline bool nan_s(uint64_t v)
{
    return (v & ~SIGN_S & 0xffffffffULL) > INF_S;
}

static inline bool snan_d(uint64_t v)
{
    return nan_d(v) && !(v & (1ULL << 51));
}

static inline bool snan_s(uint64_t v)
{
    return nan_s(v) && !(v & (1ULL << 22));
}

/* ---- state access (§11.1, §11.2, §12.2) ------------------------------ */

static inline void fp_check(EmuHart *h, const EmuOp *op)
{
    /* FS = Off: every F/D instruction is illegal (privileged §3.1.6.6) */
    if (unlikely(!(h->mstatus & MSTATUS_FS))) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
}

/* FS check, then the effective rounding mode: the static one, or frm for
 * rm = 7 (DYN); an invalid frm makes the instruction illegal (§11.2). */
static inline unsigned fp_rm(EmuHart *h, const EmuOp *op)
{
    unsigned rm = op->rm;

    fp_check(h, op);
    if (unlikely(rm > EMU_RM_RMM)) {
        rm = rm == 7 ? h->frm : rm;
        if (rm > EMU_RM_RMM) {
            emu_raise(h, op, EXC_ILLEGAL, op->raw);
        }
    }
    return rm;
}

/* Anything that writes an f register or fflags makes FS Dirty. */
static inline void fp_dirty(EmuHart *h)
{
    h->mstatus |= MSTATUS_FS | MSTATUS_SD;
}

static inline void fp_flags(EmuHart *h, uint32_t fl)
{
    if (fl) {
        h->fflags |= fl;
        fp_dirty(h);
    }
}

/* A single is valid only NaN-boxed; anything else reads as the canonical
 * NaN (§12.2). */
static inline uint64_t get_s(EmuHart *h, unsigned r)
{
    uint64_t v = h->f[r];
    return (v >> 32) == 0xffffffffu ? (uint32_t)v : EMU_FP_CANON_S;
}

static inline void put_s(EmuHart *h, unsigned r, uint64_t v, uint32_t fl)
{
    h->f[r] = BOX | v;
    h->fflags |= fl;
    fp_dirty(h);
}

static inline void put_d(EmuHart *h, unsigned r, uint64_t v, uint32_t fl)
{
    h->f[r] = v;
    h->fflags |= fl;
    fp_dirty(h);
}

/* ---- arithmetic ------------------------------------------------------ */

enum { AR_ADD, AR_SUB, AR_MUL, AR_DIV, AR_SQRT };

static inline uint64_t soft_arith(EmuFpFmt f, unsigned kind, uint64_t a,
                                  uint64_t b, unsigned rm, uint32_t *fl)
{
    uint64_t sign = f == EMU_FP_D ? SIGN_D : SIGN_S;

    *fl = 0;
    switch (kind) {
    case AR_ADD:
        return emu_softfp_add(f, a, b, rm, fl);
    case AR_SUB:
        return emu_softfp_add(f, a, b ^ sign, rm, fl);
    case AR_MUL:
        return emu_softfp_mul(f, a, b, rm, fl);
    case AR_DIV:
        return emu_softfp_div(f, a, b, rm, fl);
    default:
        return emu_softfp_sqrt(f, a, rm, fl);
    }
}

/* @kind is a constant at every call site: the switches fold away. */
static inline uint64_t arith_d(unsigned kind, uint64_t a, uint64_t b,
                               unsigned rm, uint32_t *fl)
{
#if FPU_HOST
    /* sqrt of a negative number or NaN: software, which knows the rules
     * and keeps libm's errno path out of the way */
    if (likely(rm != EMU_RM_RMM) && !(kind == AR_SQRT && a > INF_D)) {
        double x = d_of(a), y = d_of(b), r;
        uint64_t v;

        host_begin(rm);
        FP_BARRIER(x);
        FP_BARRIER(y);
        switch (kind) {
        case AR_ADD:
            r = x + y;
            break;
        case AR_SUB:
            r = x - y;
            break;
        case AR_MUL:
            r = x * y;
            break;
        case AR_DIV:
            r = x / y;
            break;
        default:
            r = __builtin_sqrt(x);
            break;
        }
        FP_BARRIER(r);
        *fl = host_end(rm);
        if (FPU_HOST_TINY_AFTER || !(*fl & EMU_FF_UF)) {
            v = bits_d(r);
            return nan_d(v) ? EMU_FP_CANON_D : v;
        }
    }
#endif
    return soft_arith(EMU_FP_D, kind, a, b, rm, fl);
}

static inline uint64_t arith_s(unsigned kind, uint64_t a, uint64_t b,
                               unsigned rm, uint32_t *fl)
{
#if FPU_HOST
    if (likely(rm != EMU_RM_RMM) && !(kind == AR_SQRT && a > INF_S)) {
        float x = s_of(a), y = s_of(b), r;
        uint64_t v;

        host_begin(rm);
        FP_BARRIER(x);
        FP_BARRIER(y);
        switch (kind) {
        case AR_ADD:
            r = x + y;
            break;
        case AR_SUB:
            r = x - y;
            break;
        case AR_MUL:
            r = x * y;
            break;
        case AR_DIV:
            r = x / y;
            break;
        default:
            r = __builtin_sqrtf(x);
            break;
        }
        FP_BARRIER(r);
        *fl = host_end(rm);
        if (FPU_HOST_TINY_AFTER || !(*fl & EMU_FF_UF)) {
            v = bits_s(r);
            return nan_s(v) ? EMU_FP_CANON_S : v;
        }
    }
#endif
    return soft_arith(EMU_FP_S, kind, a, b, rm, fl);
}

#define ARITH_OPS(name, kind)                                                  \
    OP(name##_s)                                                               \
    {                                                                          \
        unsigned rm = fp_rm(h, op);                                            \
        uint32_t fl;                                                           \
        uint64_t r =                                                           \
            arith_s(kind, get_s(h, op->rs1), get_s(h, op->rs2), rm, &fl);      \
        put_s(h, op->rd, r, fl);                                               \
        NEXT;                                                                  \
    }                                                                          \
    OP(name##_d)                                                               \
    {                                                                          \
        unsigned rm = fp_rm(h, op);                                            \
        uint32_t fl;                                                           \
        uint64_t r = arith_d(kind, h->f[op->rs1], h->f[op->rs2], rm, &fl);     \
        put_d(h, op->rd, r, fl);                                               \
        NEXT;                                                                  \
    }

ARITH_OPS(fadd, AR_ADD)
ARITH_OPS(fsub, AR_SUB)
ARITH_OPS(fmul, AR_MUL)
ARITH_OPS(fdiv, AR_DIV)

OP(fsqrt_s)
{
    unsigned rm = fp_rm(h, op);
    uint32_t fl;
    uint64_t r = arith_s(AR_SQRT, get_s(h, op->rs1), 0, rm, &fl);
    put_s(h, op->rd, r, fl);
    NEXT;
}

OP(fsqrt_d)
{
    unsigned rm = fp_rm(h, op);
    uint32_t fl;
    uint64_t r = arith_d(AR_SQRT, h->f[op->rs1], 0, rm, &fl);
    put_d(h, op->rd, r, fl);
    NEXT;
}

/* ---- fused multiply-add (§11.6) -------------------------------------- */

/* a * b + c, one rounding. NaN operands go to software, which raises NV
 * for inf * 0 even with a quiet NaN addend as the spec demands (IEEE 754
 * leaves that case to the implementation; hosts differ). */
static inline uint64_t fma_d(uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                             uint32_t *fl)
{
#if FPU_HOST
    if (likely(rm != EMU_RM_RMM && !nan_d(a) && !nan_d(b) && !nan_d(c))) {
        double x = d_of(a), y = d_of(b), z = d_of(c), r;

        host_begin(rm);
        FP_BARRIER(x);
        FP_BARRIER(y);
        FP_BARRIER(z);
        r = fma(x, y, z);
        FP_BARRIER(r);
        *fl = host_end(rm);
        if (FPU_HOST_TINY_AFTER || !(*fl & EMU_FF_UF)) {
            uint64_t v = bits_d(r);
            return nan_d(v) ? EMU_FP_CANON_D : v;
        }
    }
#endif
    *fl = 0;
    return emu_softfp_fma(EMU_FP_D, a, b, c, rm, fl);
}

static inline uint64_t fma_s(uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                             uint32_t *fl)
{
#if FPU_HOST
    if (likely(rm != EMU_RM_RMM && !nan_s(a) && !nan_s(b) && !nan_s(c))) {
        float x = s_of(a), y = s_of(b), z = s_of(c), r;

        host_begin(rm);
        FP_BARRIER(x);
        FP_BARRIER(y);
        FP_BARRIER(z);
        r = fmaf(x, y, z);
        FP_BARRIER(r);
        *fl = host_end(rm);
        if (FPU_HOST_TINY_AFTER || !(*fl & EMU_FF_UF)) {
            uint64_t v = bits_s(r);
            return nan_s(v) ? EMU_FP_CANON_S : v;
        }
    }
#endif
    *fl = 0;
    return emu_softfp_fma(EMU_FP_S, a, b, c, rm, fl);
}

/* FMADD = a*b + c, FMSUB = a*b - c, FNMSUB = -(a*b) + c,
 * FNMADD = -(a*b) - c: negations are exact sign flips of a and c. */
#define FMA_OPS(name, neg_a, neg_c)                                            \
    OP(name##_s)                                                               \
    {                                                                          \
        unsigned rm = fp_rm(h, op);                                            \
        uint32_t fl;                                                           \
        uint64_t r =                                                           \
            fma_s(get_s(h, op->rs1) ^ (neg_a ? SIGN_S : 0), get_s(h, op->rs2), \
                  get_s(h, op->rs3) ^ (neg_c ? SIGN_S : 0), rm, &fl);          \
        put_s(h, op->rd, r, fl);                                               \
        NEXT;                                                                  \
    }                                                                          \
    OP(name##_d)                                                               \
    {                                                                          \
        unsigned rm = fp_rm(h, op);                                            \
        uint32_t fl;                                                           \
        uint64_t r =                                                           \
            fma_d(h->f[op->rs1] ^ (neg_a ? SIGN_D : 0), h->f[op->rs2],         \
                  h->f[op->rs3] ^ (neg_c ? SIGN_D : 0), rm, &fl);              \
        put_d(h, op->rd, r, fl);                                               \
        NEXT;                                                                  \
    }

FMA_OPS(fmadd, 0, 0)
FMA_OPS(fmsub, 0, 1)
FMA_OPS(fnmsub, 1, 0)
FMA_OPS(fnmadd, 1, 1)

/* ---- loads and stores (§11.5, §12.3) --------------------------------- */

OP(flw)
{
    uint64_t v;

    fp_check(h, op);
    v = ld_u32(h, op, h->x[op->rs1] + op->imm);
    put_s(h, op->rd, v, 0);
    NEXT;
}

OP(fld)
{
    uint64_t v;

    fp_check(h, op);
    v = ld_u64(h, op, h->x[op->rs1] + op->imm);
    put_d(h, op->rd, v, 0);
    NEXT;
}

OP(fsw)
{
    fp_check(h, op);
    st_32(h, op, h->x[op->rs1] + op->imm, h->f[op->rs2]); /* raw, no unbox */
    NEXT;
}

OP(fsd)
{
    fp_check(h, op);
    st_64(h, op, h->x[op->rs1] + op->imm, h->f[op->rs2]);
    NEXT;
}

/* ---- sign injection (§11.7), min/max (§11.6) ------------------------- */

#define SGNJ_OPS(name, expr)                                                   \
    OP(name##_s)                                                               \
    {                                                                          \
        uint64_t a, b, sign = SIGN_S;                                          \
        fp_check(h, op);                                                       \
        a = get_s(h, op->rs1);                                                 \
        b = get_s(h, op->rs2);                                                 \
        put_s(h, op->rd, (a & ~sign) | ((expr)&sign), 0);                      \
        NEXT;                                                                  \
    }                                                                          \
    OP(name##_d)                                                               \
    {                                                                          \
        uint64_t a, b, sign = SIGN_D;                                          \
        fp_check(h, op);                                                       \
        a = h->f[op->rs1];                                                     \
        b = h->f[op->rs2];                                                     \
        put_d(h, op->rd, (a & ~sign) | ((expr)&sign), 0);                      \
        NEXT;                                                                  \
    }

SGNJ_OPS(fsgnj, b)
SGNJ_OPS(fsgnjn, ~b)
SGNJ_OPS(fsgnjx, a ^ b)

/* Total order of the non-NaN values with -0 < +0, as unsigned keys. */
static inline uint64_t order_key(uint64_t v, uint64_t sign)
{
    return (v & sign) ? ~v & (sign | (sign - 1)) : v | sign;
}

/* IEEE 754-2019 minimumNumber/maximumNumber, as F 2.2 specifies: a NaN
 * operand yields the other one, two NaNs the canonical NaN, any sNaN NV. */
static inline uint64_t minmax(EmuHart *h, uint64_t a, uint64_t b, bool max,
                              bool dbl)
{
    bool na = dbl ? nan_d(a) : nan_s(a), nb = dbl ? nan_d(b) : nan_s(b);
    uint64_t sign = dbl ? SIGN_D : SIGN_S;
    uint64_t ka, kb;

    if (unlikely(na || nb)) {
        if (dbl ? snan_d(a) || snan_d(b) : snan_s(a) || snan_s(b)) {
            h->fflags |= EMU_FF_NV;
        }
        if (na && nb) {
            return dbl ? EMU_FP_CANON_D : EMU_FP_CANON_S;
        }
        return na ? b : a;
    }
    ka = order_key(a, sign);
    kb = order_key(b, sign);
    return (max ? ka >= kb : ka <= kb) ? a : b;
}

OP(fmin_s)
{
    fp_check(h, op);
    put_s(h, op->rd, minmax(h, get_s(h, op->rs1), get_s(h, op->rs2), 0, 0), 0);
    NEXT;
}

OP(fmax_s)
{
    fp_check(h, op);
    put_s(h, op->rd, minmax(h, get_s(h, op->rs1), get_s(h, op->rs2), 1, 0), 0);
    NEXT;
}

OP(fmin_d)
{
    fp_check(h, op);
    put_d(h, op->rd, minmax(h, h->f[op->rs1], h->f[op->rs2], 0, 1), 0);
    NEXT;
}

OP(fmax_d)
{
    fp_check(h, op);
    put_d(h, op->rd, minmax(h, h->f[op->rs1], h->f[op->rs2], 1, 1), 0);
    NEXT;
}

/* ---- comparisons (§11.8) --------------------------------------------- */

/* FEQ is quiet (NV only for sNaN), FLT/FLE signal on any NaN; with a NaN
 * the result is 0. */
#define CMP_OPS(name, cmp, quiet)                                              \
    OP(name##_s)                                                               \
    {                                                                          \
        uint64_t a, b;                                                         \
        fp_check(h, op);                                                       \
        a = get_s(h, op->rs1);                                                 \
        b = get_s(h, op->rs2);                                                 \
        if (unlikely(nan_s(a) || nan_s(b))) {                                  \
            if (!(quiet) || snan_s(a) || snan_s(b)) {                          \
                fp_flags(h, EMU_FF_NV);                                        \
            }                                                                  \
            h->x[op->rd] = 0;                                                  \
        } else {                                                               \
            h->x[op->rd] = s_of(a) cmp s_of(b);                                \
        }                                                                      \
        NEXT;                                                                  \
    }                                                                          \
    OP(name##_d)                                                               \
    {                                                                          \
        uint64_t a, b;                                                         \
        fp_check(h, op);                                                       \
        a = h->f[op->rs1];                                                     \
        b = h->f[op->rs2];                                                     \
        if (unlikely(nan_d(a) || nan_d(b))) {                                  \
            if (!(quiet) || snan_d(a) || snan_d(b)) {                          \
                fp_flags(h, EMU_FF_NV);                                        \
            }                                                                  \
            h->x[op->rd] = 0;                                                  \
        } else {                                                               \
            h->x[op->rd] = d_of(a) cmp d_of(b);                                \
        }                                                                      \
        NEXT;                                                                  \
    }

CMP_OPS(feq, ==, 1)
CMP_OPS(flt, <, 0)
CMP_OPS(fle, <=, 0)

/* ---- classification (§11.9) ------------------------------------------ */

static inline uint64_t fclass(uint64_t v, unsigned fbits, unsigned ebits)
{
    bool neg = (v >> (fbits + ebits)) & 1;
    uint64_t e = (v >> fbits) & ((1ULL << ebits) - 1);
    uint64_t frac = v & ((1ULL << fbits) - 1);
    unsigned bit;

    if (e == (1ULL << ebits) - 1) {
        if (frac == 0) {
            bit = neg ? 0 : 7; /* -inf, +inf */
        } else {
            bit = (frac >> (fbits - 1)) & 1 ? 9 : 8; /* qNaN, sNaN */
        }
    } else if (e == 0) {
        if (frac == 0) {
            bit = neg ? 3 : 4; /* -0, +0 */
        } else {
            bit = neg ? 2 : 5; /* subnormal */
        }
    } else {
        bit = neg ? 1 : 6; /* normal */
    }
    return 1ULL << bit;
}

OP(fclass_s)
{
    fp_check(h, op);
    h->x[op->rd] = fclass(get_s(h, op->rs1), 23, 8);
    NEXT;
}

OP(fclass_d)
{
    fp_check(h, op);
    h->x[op->rd] = fclass(h->f[op->rs1], 52, 11);
    NEXT;
}

/* ---- conversions (§11.7, §12.5) -------------------------------------- */

OP(fcvt_s_d)
{
    unsigned rm = fp_rm(h, op);
    uint64_t a = h->f[op->rs1], r;
    uint32_t fl = 0;

#if FPU_HOST
    if (likely(rm != EMU_RM_RMM && !nan_d(a))) {
        double x = d_of(a);
        float y;

        host_begin(rm);
        FP_BARRIER(x);
        y = (float)x;
        FP_BARRIER(y);
        fl = host_end(rm);
        if (FPU_HOST_TINY_AFTER || !(fl & EMU_FF_UF)) {
            put_s(h, op->rd, bits_s(y), fl);
            NEXT;
        }
        fl = 0;
    }
#endif
    r = emu_softfp_cvt(EMU_FP_S, EMU_FP_D, a, rm, &fl);
    put_s(h, op->rd, r, fl);
    NEXT;
}

OP(fcvt_d_s)
{
    uint64_t a, r;
    uint32_t fl = 0;

    fp_rm(h, op); /* exact, but a bad dynamic rm is still illegal */
    a = get_s(h, op->rs1);
    if (unlikely(nan_s(a))) {
        r = emu_softfp_cvt(EMU_FP_D, EMU_FP_S, a, EMU_RM_RNE, &fl);
    } else {
        r = bits_d((double)s_of(a)); /* exact: no flags, any mode */
    }
    put_d(h, op->rd, r, fl);
    NEXT;
}

/* To integers: always in software, which knows the saturation table. */
#define CVT_TO_INT(name, get, fmt, width, is_signed)                           \
    OP(name)                                                                   \
    {                                                                          \
        unsigned rm = fp_rm(h, op);                                            \
        uint32_t fl = 0;                                                       \
        h->x[op->rd] = emu_softfp_to_int(fmt, get, width, is_signed, rm, &fl); \
        fp_flags(h, fl);                                                       \
        NEXT;                                                                  \
    }

CVT_TO_INT(fcvt_w_s, get_s(h, op->rs1), EMU_FP_S, 32, true)
CVT_TO_INT(fcvt_wu_s, get_s(h, op->rs1), EMU_FP_S, 32, false)
CVT_TO_INT(fcvt_l_s, get_s(h, op->rs1), EMU_FP_S, 64, true)
CVT_TO_INT(fcvt_lu_s, get_s(h, op->rs1), EMU_FP_S, 64, false)
CVT_TO_INT(fcvt_w_d, h->f[op->rs1], EMU_FP_D, 32, true)
CVT_TO_INT(fcvt_wu_d, h->f[op->rs1], EMU_FP_D, 32, false)
CVT_TO_INT(fcvt_l_d, h->f[op->rs1], EMU_FP_D, 64, true)
CVT_TO_INT(fcvt_lu_d, h->f[op->rs1], EMU_FP_D, 64, false)

/* From integers: values that fit the significand convert exactly on the
 * host (no rounding, no flags, any mode); the rest round in software. */
static inline bool int_exact(uint64_t v, bool is_signed, int64_t limit)
{
    if (is_signed) {
        return (int64_t)v >= -limit && (int64_t)v <= limit;
    }
    return v <= (uint64_t)limit;
}

#define CVT_FROM_INT(name, ext, is_signed, fmt)                                \
    OP(name)                                                                   \
    {                                                                          \
        unsigned rm = fp_rm(h, op);                                            \
        uint64_t v = (uint64_t)(ext)h->x[op->rs1], r;                          \
        uint32_t fl = 0;                                                       \
        if (fmt == EMU_FP_S) {                                                 \
            if (likely(int_exact(v, is_signed, 1LL << 24))) {                  \
                r = bits_s((float)(int64_t)v);                                 \
            } else {                                                           \
                r = emu_softfp_from_int(fmt, v, is_signed, rm, &fl);           \
            }                                                                  \
            put_s(h, op->rd, r, fl);                                           \
        } else {                                                               \
            if (likely(int_exact(v, is_signed, 1LL << 53))) {                  \
                r = bits_d((double)(int64_t)v);                                \
            } else {                                                           \
                r = emu_softfp_from_int(fmt, v, is_signed, rm, &fl);           \
            }                                                                  \
            put_d(h, op->rd, r, fl);                                           \
        }                                                                      \
        NEXT;                                                                  \
    }

CVT_FROM_INT(fcvt_s_w, int32_t, true, EMU_FP_S)
CVT_FROM_INT(fcvt_s_wu, uint32_t, false, EMU_FP_S)
CVT_FROM_INT(fcvt_s_l, int64_t, true, EMU_FP_S)
CVT_FROM_INT(fcvt_s_lu, uint64_t, false, EMU_FP_S)
CVT_FROM_INT(fcvt_d_w, int32_t, true, EMU_FP_D)
CVT_FROM_INT(fcvt_d_wu, uint32_t, false, EMU_FP_D)
CVT_FROM_INT(fcvt_d_l, int64_t, true, EMU_FP_D)
CVT_FROM_INT(fcvt_d_lu, uint64_t, false, EMU_FP_D)

/* ---- moves (§11.7, §12.5) -------------------------------------------- */

OP(fmv_x_w)
{
    fp_check(h, op);
    /* the low 32 bits, sign-extended, whatever the boxing */
    h->x[op->rd] = (uint64_t)(int64_t)(int32_t)(uint32_t)h->f[op->rs1];
    NEXT;
}

OP(fmv_w_x)
{
    fp_check(h, op);
    put_s(h, op->rd, (uint32_t)h->x[op->rs1], 0);
    NEXT;
}

OP(fmv_x_d)
{
    fp_check(h, op);
    h->x[op->rd] = h->f[op->rs1];
    NEXT;
}

OP(fmv_d_x)
{
    fp_check(h, op);
    put_d(h, op->rd, h->x[op->rs1], 0);
    NEXT;
}
