/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fpu-soft.c: exact software binary32/binary64 arithmetic (the reference
 * and slow path of fpu.c). Every operation forms the exact result, or an
 * exact 128-bit significand with a sticky bit, and rounds it once in
 * round_pack(), which follows IEEE 754-2008 §4.3 and §7 with tininess
 * detected after rounding, as RISC-V requires (ISA spec §11.2). */
#include "config.h"

#include <stddef.h>

#include "engine/cpu/riscv/fpu-soft.h"

typedef unsigned __int128 u128;

typedef struct Fmt {
    unsigned fbits; /* fraction bits: 23 or 52 */
    unsigned ebits; /* exponent bits: 8 or 11 */
} Fmt;

static const Fmt fmts[2] = {
    [EMU_FP_S] = {23, 8},
    [EMU_FP_D] = {52, 11},
};

enum { C_ZERO, C_FIN, C_INF, C_QNAN, C_SNAN };

/* An unpacked value: (-1)^sign * sig * 2^exp for C_FIN. */
typedef struct Unp {
    int cls;
    bool sign;
    int exp;
    uint64_t sig;
} Unp;

static inline int bias(const Fmt *f)
{
    return (1 << (f->ebits - 1)) - 1;
}

static inline uint64_t emask(const Fmt *f)
{
    return (1ULL << f->ebits) - 1;
}

static inline uint64_t sign_bit(const Fmt *f)
{
    return 1ULL << (f->fbits + f->ebits);
}

static inline uint64_t canon(const Fmt *f)
{
    return f->fbits == 23 ? EMU_FP_CANON_S : EMU_FP_CANON_D;
}

static inline uint64_t pack_inf(const Fmt *f, bool sign)
{
    return (sign ? sign_bit(f) : 0) | emask(f) << f->fbits;
}

static inline uint64_t pack_zero(const Fmt *f, bool sign)
{
    return sign ? sign_bit(f) : 0;
}

static Unp unpack(const Fmt *f, uint64_t a)
{
    Unp u;
    uint64_t e = (a >> f->fbits) & emask(f);
    uint64_t frac = a & ((1ULL << f->fbits) - 1);

    u.sign = (a >> (f->fbits + f->ebits)) & 1;
    u.exp = 0;
    u.sig = 0;
    if (e == emask(f)) {
        if (frac == 0) {
            u.cls = C_INF;
        } else {
            u.cls = (frac >> (f->fbits - 1)) & 1 ? C_QNAN : C_SNAN;
        }
    } else if (e == 0) {
        u.cls = frac ? C_FIN : C_ZERO;
        u.sig = frac;
        u.exp = 1 - bias(f) - (int)f->fbits;
    } else {
        u.cls = C_FIN;
        u.sig = frac | 1ULL << f->fbits;
        u.exp = (int)e - bias(f) - (int)f->fbits;
    }
    return u;
}

static inline bool is_nan(const Unp *u)
{
    return u->cls == C_QNAN || u->cls == C_SNAN;
}

static inline int clz128(u128 v)
{
    uint64_t hi = (uint64_t)(v >> 64);
    if (hi) {
        return __builtin_clzll(hi);
    }
    return 64 + __builtin_clzll((uint64_t)v);
}

/* v >> n with the shifted-out bits ORed into bit 0 ("jamming"). */
static inline u128 shr_jam(u128 v, int n)
{
    if (n == 0) {
        return v;
    }
    if (n >= 128) {
        return v != 0;
    }
    return (v >> n) | ((v & (((u128)1 << n) - 1)) != 0);
}

/* Drops the low @shift (>= 1) bits of @sig, rounding per @rm; sets
 * *inexact when a nonzero part was dropped. */
static u128 rshift_round(u128 sig, int shift, bool sign, unsigned rm,
                         bool *inexact)
{
    u128 kept, rem;
    int cmp; /* dropped part against one half ulp: -1, 0, 1 */
    bool inc = false;

    if (shift > 128) {
        kept = 0;
        rem = sig;
        cmp = -1;
    } else if (shift == 128) {
        kept = 0;
        rem = sig;
        cmp = rem > ((u128)1 << 127) ? 1 : rem == ((u128)1 << 127) ? 0 : -1;
    } else {
        u128 half = (u128)1 << (shift - 1);
        kept = sig >> shift;
        rem = sig & ((half << 1) - 1);
        cmp = rem > half ? 1 : rem == half ? 0 : -1;
    }
    *inexact = rem != 0;
    if (rem == 0) {
        return kept;
    }
    switch (rm) {
    case EMU_RM_RNE:
        inc = cmp > 0 || (cmp == 0 && (kept & 1));
        break;
    case EMU_RM_RTZ:
        break;
    case EMU_RM_RDN:
        inc = sign;
        break;
    case EMU_RM_RUP:
        inc = !sign;
        break;
    default: /* RMM: ties away from zero */
        inc = cmp >= 0;
        break;
    }
    return kept + inc;
}

/* Rounds (-1)^sign * sig * 2^exp (sig != 0; a sticky bit, if any, jammed
 * into bit 0 at least two bits below the rounding position) to @f. */
static uint64_t round_pack(const Fmt *f, bool sign, int exp, u128 sig,
                           unsigned rm, uint32_t *fl)
{
    int p = (int)f->fbits + 1;
    int emin = 1 - bias(f), emax = bias(f);
    int n = clz128(sig), big;
    bool inexact, tiny = false;
    uint64_t bits;
    u128 k;

    sig <<= n;
    big = exp - n + 127; /* the value is in [2^big, 2^(big+1)) */
    if (big > emax) {
        goto overflow;
    }
    if (big < emin) {
        /* tininess after rounding: as if the exponent were unbounded */
        k = rshift_round(sig, 128 - p, sign, rm, &inexact);
        tiny = big + (int)(k >> p) < emin;
        k = rshift_round(sig, 128 - p + (emin - big), sign, rm, &inexact);
        /* k == 2^(p-1) carries into the exponent field: min normal */
        bits = (uint64_t)k;
    } else {
        k = rshift_round(sig, 128 - p, sign, rm, &inexact);
        /* the leading one adds into the exponent field; a carry out of
         * the significand (k == 2^p) bumps the exponent by one */
        bits = ((uint64_t)(big + bias(f) - 1) << f->fbits) + (uint64_t)k;
        if ((bits >> f->fbits) >= emask(f)) {
            goto overflow;
        }
    }
    if (inexact) {
        *fl |= EMU_FF_NX | (tiny ? EMU_FF_UF : 0);
    }
    return bits | (sign ? sign_bit(f) : 0);

overflow:
    *fl |= EMU_FF_OF | EMU_FF_NX;
    if (rm == EMU_RM_RTZ || (rm == EMU_RM_RDN && !sign) ||
        (rm == EMU_RM_RUP && sign)) {
        /* largest finite number */
        return ((emask(f) << f->fbits) - 1) | (sign ? sign_bit(f) : 0);
    }
    return pack_inf(f, sign);
}

/* NaN operands: NV for any signalling one; the result is canonical. */
static uint64_t nan_result(const Fmt *f, const Unp *a, const Unp *b,
                           const Unp *c, uint32_t *fl)
{
    if (a->cls == C_SNAN || (b && b->cls == C_SNAN) ||
        (c && c->cls == C_SNAN)) {
        *fl |= EMU_FF_NV;
    }
    return canon(f);
}

static uint64_t invalid(const Fmt *f, uint32_t *fl)
{
    *fl |= EMU_FF_NV;
    return canon(f);
}

/* Exact sum of two nonzero finite values (significands below 2^126),
 * rounded once. */
static uint64_t add_fin(const Fmt *f, bool sa, int ea, u128 ma, bool sb, int eb,
                        u128 mb, unsigned rm, uint32_t *fl)
{
    int na = clz128(ma) - 2, nb = clz128(mb) - 2;
    u128 m;

    /* both significands get their leading one at bit 125, so exponents
     * compare magnitudes and the sum cannot carry out of 128 bits */
    ma <<= na;
    ea -= na;
    mb <<= nb;
    eb -= nb;
    if (ea < eb || (ea == eb && ma < mb)) {
        bool ts = sa;
        int te = ea;
        u128 tm = ma;
        sa = sb, ea = eb, ma = mb;
        sb = ts, eb = te, mb = tm;
    }
    /* bits shifted out are either provably zero (distance <= 1 and the
     * smaller operand has >= 20 trailing zeros) or far below the
     * rounding position, so jamming them keeps rounding exact */
    mb = shr_jam(mb, ea - eb);
    m = sa == sb ? ma + mb : ma - mb;
    if (m == 0) {
        /* exact cancellation: +0, or -0 when rounding down (IEEE
         * 754-2008 §6.3) */
        return pack_zero(f, rm == EMU_RM_RDN);
    }
    return round_pack(f, sa, ea, m, rm, fl);
}

uint64_t emu_softfp_add(EmuFpFmt ff, uint64_t a, uint64_t b, unsigned rm,
                        uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    Unp x = unpack(f, a), y = unpack(f, b);

    if (is_nan(&x) || is_nan(&y)) {
        return nan_result(f, &x, &y, NULL, fl);
    }
    if (x.cls == C_INF || y.cls == C_INF) {
        if (x.cls == C_INF && y.cls == C_INF && x.sign != y.sign) {
            return invalid(f, fl);
        }
        return x.cls == C_INF ? a : b;
    }
    if (x.cls == C_ZERO && y.cls == C_ZERO) {
        return pack_zero(f, x.sign == y.sign ? x.sign : rm == EMU_RM_RDN);
    }
    if (x.cls == C_ZERO) {
        return b;
    }
    if (y.cls == C_ZERO) {
        return a;
    }
    return add_fin(f, x.sign, x.exp, x.sig, y.sign, y.exp, y.sig, rm, fl);
}

uint64_t emu_softfp_mul(EmuFpFmt ff, uint64_t a, uint64_t b, unsigned rm,
                        uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    Unp x = unpack(f, a), y = unpack(f, b);
    bool s = x.sign ^ y.sign;

    if (is_nan(&x) || is_nan(&y)) {
        return nan_result(f, &x, &y, NULL, fl);
    }
    if (x.cls == C_INF || y.cls == C_INF) {
        if (x.cls == C_ZERO || y.cls == C_ZERO) {
            return invalid(f, fl);
        }
        return pack_inf(f, s);
    }
    if (x.cls == C_ZERO || y.cls == C_ZERO) {
        return pack_zero(f, s);
    }
    return round_pack(f, s, x.exp + y.exp, (u128)x.sig * y.sig, rm, fl);
}

uint64_t emu_softfp_div(EmuFpFmt ff, uint64_t a, uint64_t b, unsigned rm,
                        uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    Unp x = unpack(f, a), y = unpack(f, b);
    bool s = x.sign ^ y.sign;
    uint64_t ma, mb;
    u128 q, r;
    int na, nb;

    if (is_nan(&x) || is_nan(&y)) {
        return nan_result(f, &x, &y, NULL, fl);
    }
    if (x.cls == C_INF) {
        return y.cls == C_INF ? invalid(f, fl) : pack_inf(f, s);
    }
    if (y.cls == C_INF) {
        return pack_zero(f, s);
    }
    if (y.cls == C_ZERO) {
        if (x.cls == C_ZERO) {
            return invalid(f, fl);
        }
        *fl |= EMU_FF_DZ;
        return pack_inf(f, s);
    }
    if (x.cls == C_ZERO) {
        return pack_zero(f, s);
    }
    /* leading ones at bit 63: the quotient of (ma << 64) / mb lies in
     * (2^63, 2^65), at least 63 bits, the remainder becomes sticky */
    na = __builtin_clzll(x.sig);
    nb = __builtin_clzll(y.sig);
    ma = x.sig << na;
    mb = y.sig << nb;
    q = ((u128)ma << 64) / mb;
    r = ((u128)ma << 64) % mb;
    return round_pack(f, s, (x.exp - na) - (y.exp - nb) - 64, q | (r != 0), rm,
                      fl);
}

/* floor(sqrt(v)) by the digit-by-digit method; *rem_nz tells whether the
 * root was inexact. */
static u128 isqrt128(u128 v, bool *rem_nz)
{
    u128 res = 0, bit = (u128)1 << 126;

    while (bit > v) {
        bit >>= 2;
    }
    while (bit) {
        if (v >= res + bit) {
            v -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    *rem_nz = v != 0;
    return res;
}

uint64_t emu_softfp_sqrt(EmuFpFmt ff, uint64_t a, unsigned rm, uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    Unp x = unpack(f, a);
    int n, e, s;
    bool rem_nz;
    u128 root;

    if (is_nan(&x)) {
        return nan_result(f, &x, NULL, NULL, fl);
    }
    if (x.cls == C_ZERO) {
        return a; /* sqrt(-0) = -0 */
    }
    if (x.sign) {
        return invalid(f, fl);
    }
    if (x.cls == C_INF) {
        return a;
    }
    n = __builtin_clzll(x.sig);
    e = x.exp - n;         /* value = (sig << n) * 2^e, leading one at bit 63 */
    s = (e & 1) ? 63 : 62; /* make the exponent even */
    root = isqrt128((u128)(x.sig << n) << s, &rem_nz);
    /* the root has >= 62 bits: the sticky bit is far below rounding */
    return round_pack(f, false, (e - s) / 2, root | rem_nz, rm, fl);
}

uint64_t emu_softfp_fma(EmuFpFmt ff, uint64_t a, uint64_t b, uint64_t c,
                        unsigned rm, uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    Unp x = unpack(f, a), y = unpack(f, b), z = unpack(f, c);
    bool ps = x.sign ^ y.sign;
    bool inf_zero = (x.cls == C_INF && y.cls == C_ZERO) ||
                    (x.cls == C_ZERO && y.cls == C_INF);

    if (is_nan(&x) || is_nan(&y) || is_nan(&z)) {
        if (inf_zero) {
            *fl |= EMU_FF_NV; /* even with a quiet NaN addend (§11.6) */
        }
        return nan_result(f, &x, &y, &z, fl);
    }
    if (inf_zero) {
        return invalid(f, fl);
    }
    if (x.cls == C_INF || y.cls == C_INF) {
        if (z.cls == C_INF && z.sign != ps) {
            return invalid(f, fl);
        }
        return pack_inf(f, ps);
    }
    if (z.cls == C_INF) {
        return c;
    }
    if (x.cls == C_ZERO || y.cls == C_ZERO) {
        if (z.cls == C_ZERO) {
            return pack_zero(f, ps == z.sign ? ps : rm == EMU_RM_RDN);
        }
        return c;
    }
    if (z.cls == C_ZERO) {
        return round_pack(f, ps, x.exp + y.exp, (u128)x.sig * y.sig, rm, fl);
    }
    return add_fin(f, ps, x.exp + y.exp, (u128)x.sig * y.sig, z.sign, z.exp,
                   z.sig, rm, fl);
}

uint64_t emu_softfp_cvt(EmuFpFmt to, EmuFpFmt from, uint64_t a, unsigned rm,
                        uint32_t *fl)
{
    const Fmt *ft = &fmts[to], *ff = &fmts[from];
    Unp x = unpack(ff, a);

    switch (x.cls) {
    case C_QNAN:
    case C_SNAN:
        return nan_result(ft, &x, NULL, NULL, fl);
    case C_INF:
        return pack_inf(ft, x.sign);
    case C_ZERO:
        return pack_zero(ft, x.sign);
    default:
        return round_pack(ft, x.sign, x.exp, x.sig, rm, fl);
    }
}

uint64_t emu_softfp_from_int(EmuFpFmt ff, uint64_t v, bool is_signed,
                             unsigned rm, uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    bool neg = is_signed && (int64_t)v < 0;
    uint64_t mag = neg ? -v : v;

    if (mag == 0) {
        return 0;
    }
    return round_pack(f, neg, 0, mag, rm, fl);
}

uint64_t emu_softfp_to_int(EmuFpFmt ff, uint64_t a, unsigned width,
                           bool is_signed, unsigned rm, uint32_t *fl)
{
    const Fmt *f = &fmts[ff];
    Unp x = unpack(f, a);
    /* magnitude limits: [-neg_lim, pos_lim] */
    uint64_t pos_lim, neg_lim, mag = 0, r;
    bool inexact = false, range = true;

    if (is_signed) {
        pos_lim = (1ULL << (width - 1)) - 1;
        neg_lim = 1ULL << (width - 1);
    } else {
        pos_lim = width == 64 ? ~0ULL : (1ULL << width) - 1;
        neg_lim = 0;
    }
    switch (x.cls) {
    case C_QNAN:
    case C_SNAN:
        /* NaN converts like +inf (ISA spec §11.7, FCVT table) */
        x.sign = false;
        range = false;
        break;
    case C_INF:
        range = false;
        break;
    case C_ZERO:
        break;
    default:
        if (x.exp >= 0) {
            if (x.exp >= 64 || __builtin_clzll(x.sig) < x.exp) {
                range = false; /* 2^64 or more */
            } else {
                mag = x.sig << x.exp;
            }
        } else {
            mag = (uint64_t)rshift_round(x.sig, -x.exp, x.sign, rm, &inexact);
        }
        if (mag > (x.sign ? neg_lim : pos_lim)) {
            range = false;
        }
        break;
    }
    if (!range) {
        *fl |= EMU_FF_NV;
        r = x.sign ? -neg_lim : pos_lim;
    } else {
        if (inexact) {
            *fl |= EMU_FF_NX;
        }
        r = x.sign ? -mag : mag;
    }
    if (width == 32) {
        r = (uint64_t)(int64_t)(int32_t)(uint32_t)r;
    }
    return r;
}
