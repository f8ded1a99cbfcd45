/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-fpu.c: unit tests of the F/D op handlers (engine/cpu/riscv/fpu.c)
 * and of the software float path (fpu-soft.c), run on a bare EmuHart
 * with hand-built ops. Built from the sources directly with stubs for
 * the trap and slow-memory entry points, so it needs no other CPU file. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "engine/cpu/riscv/fpu-soft.h"
#include "engine/cpu/riscv/ops.h"

/* ---- stubs for the rest of the CPU ---------------------------------- */

static uint64_t raised_cause, raised_tval;
static unsigned raised_count;

G_NORETURN void emu_raise(EmuHart *h, const EmuOp *op, uint64_t cause,
                          uint64_t tval)
{
    raised_cause = cause;
    raised_tval = tval;
    raised_count++;
    longjmp(h->trap_jmp, 1);
}

/* guest memory for loads/stores: MEM_SIZE bytes at MEM_BASE; every TLB
 * entry is invalid, so accesses come here */
#define MEM_BASE 0x80000000ULL
#define MEM_SIZE 4096
static uint8_t guest_mem[MEM_SIZE];

uint64_t emu_load_slow(EmuHart *h, const EmuOp *op, uint64_t va, unsigned size)
{
    uint64_t v = 0;

    if (va < MEM_BASE || va + size > MEM_BASE + MEM_SIZE) {
        emu_raise(h, op, EXC_LOAD_ACCESS, va);
    }
    memcpy(&v, guest_mem + (va - MEM_BASE), size);
    return v;
}

void emu_store_slow(EmuHart *h, const EmuOp *op, uint64_t va, uint64_t val,
                    unsigned size)
{
    if (va < MEM_BASE || va + size > MEM_BASE + MEM_SIZE) {
        emu_raise(h, op, EXC_STORE_ACCESS, va);
    }
    memcpy(guest_mem + (va - MEM_BASE), &val, size);
}

/* ---- harness -------------------------------------------------------- */

#define FS_INITIAL (1ULL << 13)
#define FS_CLEAN   (2ULL << 13)
#define RNE        EMU_RM_RNE
#define RTZ        EMU_RM_RTZ
#define RDN        EMU_RM_RDN
#define RUP        EMU_RM_RUP
#define RMM        EMU_RM_RMM
#define NV         EMU_FF_NV
#define DZ         EMU_FF_DZ
#define OF         EMU_FF_OF
#define UF         EMU_FF_UF
#define NX         EMU_FF_NX
#define CNAN_S     0x7fc00000ULL
#define CNAN_D     0x7ff8000000000000ULL
#define BOX        0xffffffff00000000ULL

static EmuHart *hart;
static unsigned n_checks;

static EmuHart *hart_new(void)
{
    EmuHart *h = g_new0(EmuHart, 1);

    h->tlb = g_new0(EmuTlbSet, 1);
    for (unsigned i = 0; i < TLB_SIZE; i++) {
        h->tlb->r[i].tag = TLB_INVALID;
        h->tlb->w[i].tag = TLB_INVALID;
        h->tlb->x[i].tag = TLB_INVALID;
    }
    h->mstatus = FS_INITIAL;
    h->x[32] = 0xdeadbeef; /* the x0 sink */
    return h;
}

static void setup(void)
{
    if (hart) {
        g_free(hart->tlb);
        g_free(hart);
    }
    hart = hart_new();
    raised_count = 0;
}

static uint64_t d2u(double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    return v;
}

static uint64_t f2u(float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    return v;
}

static EmuOp mkop(EmuOpFn fn, unsigned rd, unsigned rs1, unsigned rs2,
                  unsigned rs3, unsigned rm)
{
    EmuOp op = {0};

    op.fn = fn;
    op.rd = rd;
    op.rs1 = rs1;
    op.rs2 = rs2;
    op.rs3 = rs3;
    op.rm = rm;
    op.len = 4;
    op.insn = 0x53 | rd << 7 | rm << 12 | rs1 << 15 | rs2 << 20;
    op.raw = op.insn; /* what illegal-instruction traps report */
    return op;
}

/* Runs one op; returns true when it trapped (cause in raised_cause). */
static bool exec(EmuOpFn fn, unsigned rd, unsigned rs1, unsigned rs2,
                 unsigned rs3, unsigned rm)
{
    EmuOp op = mkop(fn, rd, rs1, rs2, rs3, rm);
    unsigned before = raised_count;

    if (setjmp(hart->trap_jmp) == 0) {
        const EmuOp *next = fn(hart, &op);
        g_assert_true(next == &op + 1);
        return false;
    }
    g_assert_cmpuint(raised_count, ==, before + 1);
    return true;
}

static const char *const rm_names[8] = {"rne", "rtz", "rdn", "rup",
                                        "rmm", "?5",  "?6",  "dyn"};

static void expect(const char *what, unsigned rm, uint64_t got, uint32_t got_fl,
                   uint64_t want, uint32_t want_fl)
{
    n_checks++;
    if (got != want || got_fl != want_fl) {
        g_error("%s %s: got %#018" G_GINT64_MODIFIER "x flags %#x, "
                "want %#018" G_GINT64_MODIFIER "x flags %#x",
                what, rm_names[rm & 7], got, got_fl, want, want_fl);
    }
}

/* f3 = op(f1, f2, f4) in double; checks f3 and the flags. */
static void t_d(const char *what, EmuOpFn fn, unsigned rm, uint64_t a,
                uint64_t b, uint64_t c, uint64_t want, uint32_t want_fl)
{
    hart->f[1] = a;
    hart->f[2] = b;
    hart->f[4] = c;
    hart->fflags = 0;
    g_assert_false(exec(fn, 3, 1, 2, 4, rm));
    expect(what, rm, hart->f[3], hart->fflags, want, want_fl);
}

/* The same in single: inputs get boxed, the result must be boxed. */
static void t_s(const char *what, EmuOpFn fn, unsigned rm, uint64_t a,
                uint64_t b, uint64_t c, uint64_t want, uint32_t want_fl)
{
    t_d(what, fn, rm, BOX | a, BOX | b, BOX | c, BOX | want, want_fl);
}

/* x5 = op(f1, f2): FP -> integer ops */
static void t_x(const char *what, EmuOpFn fn, unsigned rm, uint64_t a,
                uint64_t b, uint64_t want, uint32_t want_fl)
{
    hart->f[1] = a;
    hart->f[2] = b;
    hart->fflags = 0;
    g_assert_false(exec(fn, 5, 1, 2, 0, rm));
    expect(what, rm, hart->x[5], hart->fflags, want, want_fl);
}

/* f3 = op(x6): integer -> FP ops */
static void t_i(const char *what, EmuOpFn fn, unsigned rm, uint64_t v,
                uint64_t want, uint32_t want_fl)
{
    hart->x[6] = v;
    hart->fflags = 0;
    g_assert_false(exec(fn, 3, 6, 0, 0, rm));
    expect(what, rm, hart->f[3], hart->fflags, want, want_fl);
}

/* One expected result per rounding mode RNE, RTZ, RDN, RUP, RMM. */
typedef struct Want5 {
    uint64_t v[5];
} Want5;

static void t_d5(const char *what, EmuOpFn fn, uint64_t a, uint64_t b,
                 uint64_t c, Want5 w, uint32_t fl)
{
    for (unsigned rm = 0; rm < 5; rm++) {
        t_d(what, fn, rm, a, b, c, w.v[rm], fl);
        /* the dynamic mode must behave the same */
        hart->frm = rm;
        t_d(what, fn, 7, a, b, c, w.v[rm], fl);
    }
}

static void t_s5(const char *what, EmuOpFn fn, uint64_t a, uint64_t b,
                 uint64_t c, Want5 w, uint32_t fl)
{
    for (unsigned rm = 0; rm < 5; rm++) {
        t_s(what, fn, rm, a, b, c, w.v[rm], fl);
        hart->frm = rm;
        t_s(what, fn, 7, a, b, c, w.v[rm], fl);
    }
}

#define ONE_D  0x3ff0000000000000ULL
#define MAX_D  0x7fefffffffffffffULL
#define MIN_D  0x0010000000000000ULL /* smallest normal */
#define INF_D  0x7ff0000000000000ULL
#define NINF_D 0xfff0000000000000ULL
#define SIGN_D 0x8000000000000000ULL
#define SNAN_D 0x7ff0000000000001ULL
#define QNAN_D 0x7ff8000000000123ULL /* quiet, with a payload */
#define ONE_S  0x3f800000ULL
#define MAX_S  0x7f7fffffULL
#define INF_S  0x7f800000ULL
#define NINF_S 0xff800000ULL
#define SIGN_S 0x80000000ULL
#define SNAN_S 0x7f800001ULL
#define QNAN_S 0x7fc00123ULL

/* ---- rounding modes ------------------------------------------------ */

static void test_round_add(void)
{
    setup();
    /* 1 + 2^-53: a tie between 1 (even) and 1 + 2^-52 */
    t_d5("fadd.d tie", emu_op_fadd_d, ONE_D, d2u(0x1p-53), 0,
         (Want5){{ONE_D, ONE_D, ONE_D, ONE_D + 1, ONE_D + 1}}, NX);
    t_d5("fadd.d -tie", emu_op_fadd_d, ONE_D | SIGN_D, d2u(-0x1p-53), 0,
         (Want5){{ONE_D | SIGN_D, ONE_D | SIGN_D, (ONE_D + 1) | SIGN_D,
                  ONE_D | SIGN_D, (ONE_D + 1) | SIGN_D}},
         NX);
    /* (1 + 2^-52) + 2^-53: a tie with an odd lower neighbour */
    t_d5("fadd.d odd tie", emu_op_fadd_d, ONE_D + 1, d2u(0x1p-53), 0,
         (Want5){{ONE_D + 2, ONE_D + 1, ONE_D + 1, ONE_D + 2, ONE_D + 2}}, NX);
    /* below and above one half ulp */
    t_d5("fadd.d quarter", emu_op_fadd_d, ONE_D, d2u(0x1p-54), 0,
         (Want5){{ONE_D, ONE_D, ONE_D, ONE_D + 1, ONE_D}}, NX);
    t_d5("fadd.d 3/4", emu_op_fadd_d, ONE_D, d2u(0x3p-54), 0,
         (Want5){{ONE_D + 1, ONE_D, ONE_D, ONE_D + 1, ONE_D + 1}}, NX);
    /* fsub: 1 - 2^-54 is a tie between 1 - 2^-53 and 1 (even) */
    t_d5("fsub.d tie", emu_op_fsub_d, ONE_D, d2u(0x1p-54), 0,
         (Want5){{ONE_D, ONE_D - 1, ONE_D - 1, ONE_D, ONE_D}}, NX);
    /* exact */
    t_d5("fadd.d exact", emu_op_fadd_d, ONE_D, ONE_D, 0,
         (Want5){{d2u(2), d2u(2), d2u(2), d2u(2), d2u(2)}}, 0);
    /* single: 1 + 2^-24 */
    t_s5("fadd.s tie", emu_op_fadd_s, ONE_S, f2u(0x1p-24f), 0,
         (Want5){{ONE_S, ONE_S, ONE_S, ONE_S + 1, ONE_S + 1}}, NX);
    t_s5("fsub.s -tie", emu_op_fsub_s, ONE_S | SIGN_S, f2u(0x1p-24f), 0,
         (Want5){{ONE_S | SIGN_S, ONE_S | SIGN_S, (ONE_S + 1) | SIGN_S,
                  ONE_S | SIGN_S, (ONE_S + 1) | SIGN_S}},
         NX);
}

static void test_round_mul(void)
{
    /* (2^27 + 1)(2^26 + 1) = 2^53 + 2^27 + 2^26 + 1 = P, odd, in
     * [2^53, 2^54) where the spacing is 2: a tie, P - 1 is even */
    double p = 0x1p53 + 0x1p27 + 0x1p26; /* P - 1 */
    float ps = 0x1p24f + 0x1p13f + 0x1p11f;

    setup();
    t_d5("fmul.d tie", emu_op_fmul_d, d2u(0x1p27 + 1), d2u(0x1p26 + 1), 0,
         (Want5){{d2u(p), d2u(p), d2u(p), d2u(p + 2), d2u(p + 2)}}, NX);
    t_d5("fmul.d -tie", emu_op_fmul_d, d2u(-(0x1p27 + 1)), d2u(0x1p26 + 1), 0,
         (Want5){{d2u(-p), d2u(-p), d2u(-p - 2), d2u(-p), d2u(-p - 2)}}, NX);
    /* (2^13 + 1)(2^11 + 1) = 2^24 + 2^13 + 2^11 + 1 */
    t_s5("fmul.s tie", emu_op_fmul_s, f2u(0x1p13f + 1), f2u(0x1p11f + 1), 0,
         (Want5){{f2u(ps), f2u(ps), f2u(ps), f2u(ps + 2), f2u(ps + 2)}}, NX);
    /* 3 * (1 + 2^-52) = 3 + 1.5 ulp: tie going up in RNE too */
    t_d5("fmul.d tie up", emu_op_fmul_d, d2u(3), ONE_D + 1, 0,
         (Want5){{d2u(3) + 2, d2u(3) + 1, d2u(3) + 1, d2u(3) + 2, d2u(3) + 2}},
         NX);
    /* a tie in the subnormal range, where an error-term approach cannot
     * see it: 2^-1074 * 0.5 lies halfway between 0 and 2^-1074 */
    t_d5("fmul.d subnormal tie", emu_op_fmul_d, 1, d2u(0.5), 0,
         (Want5){{0, 0, 0, 1, 1}}, UF | NX);
    t_d5("fmul.d -subnormal tie", emu_op_fmul_d, SIGN_D | 1, d2u(0.5), 0,
         (Want5){{SIGN_D, SIGN_D, SIGN_D | 1, SIGN_D, SIGN_D | 1}}, UF | NX);
    /* 3 * 2^-1074 * 0.5 = 1.5 units: tie between 1 (odd) and 2 */
    t_d5("fmul.d subnormal tie 1.5", emu_op_fmul_d, 3, d2u(0.5), 0,
         (Want5){{2, 1, 1, 2, 2}}, UF | NX);
    t_s5("fmul.s subnormal tie", emu_op_fmul_s, 5, f2u(0.5f), 0,
         (Want5){{2, 2, 2, 3, 3}}, UF | NX);
}

static void test_round_div(void)
{
    setup();
    /* 1/3: 0x3fd5555555555555 is below 1/3 */
    t_d5("fdiv.d 1/3", emu_op_fdiv_d, ONE_D, d2u(3), 0,
         (Want5){{0x3fd5555555555555ULL, 0x3fd5555555555555ULL,
                  0x3fd5555555555555ULL, 0x3fd5555555555556ULL,
                  0x3fd5555555555555ULL}},
         NX);
    /* 2/3: 0x3fe5555555555555 is below, the nearest is ...56 */
    t_d5("fdiv.d -2/3", emu_op_fdiv_d, d2u(-2), d2u(3), 0,
         (Want5){{0xbfe5555555555555ULL, 0xbfe5555555555555ULL,
                  0xbfe5555555555556ULL, 0xbfe5555555555555ULL,
                  0xbfe5555555555555ULL}},
         NX);
    /* quotient ties only exist as subnormals: 5 units / 2 = 2.5 units */
    t_d5("fdiv.d subnormal tie", emu_op_fdiv_d, 5, d2u(2), 0,
         (Want5){{2, 2, 2, 3, 3}}, UF | NX);
    t_s5("fdiv.s subnormal tie", emu_op_fdiv_s, SIGN_S | 1, f2u(2), 0,
         (Want5){{SIGN_S, SIGN_S, SIGN_S | 1, SIGN_S, SIGN_S | 1}}, UF | NX);
    t_s5("fdiv.s 1/3", emu_op_fdiv_s, ONE_S, f2u(3), 0,
         (Want5){{0x3eaaaaab, 0x3eaaaaaa, 0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab}},
         NX);
    t_d5("fdiv.d exact", emu_op_fdiv_d, d2u(6), d2u(3), 0,
         (Want5){{d2u(2), d2u(2), d2u(2), d2u(2), d2u(2)}}, 0);
}

static void test_round_sqrt(void)
{
    setup();
    /* sqrt(2) = 1.41421356237309504880...; 0x3ff6a09e667f3bcd is above */
    t_d5("fsqrt.d 2", emu_op_fsqrt_d, d2u(2), 0, 0,
         (Want5){{0x3ff6a09e667f3bcdULL, 0x3ff6a09e667f3bccULL,
                  0x3ff6a09e667f3bccULL, 0x3ff6a09e667f3bcdULL,
                  0x3ff6a09e667f3bcdULL}},
         NX);
    /* sqrt(2) single: 0x3fb504f3 = 1.41421353816986083984 is below */
    t_s5("fsqrt.s 2", emu_op_fsqrt_s, f2u(2), 0, 0,
         (Want5){{0x3fb504f3, 0x3fb504f3, 0x3fb504f3, 0x3fb504f4, 0x3fb504f3}},
         NX);
    t_d5("fsqrt.d 4", emu_op_fsqrt_d, d2u(4), 0, 0,
         (Want5){{d2u(2), d2u(2), d2u(2), d2u(2), d2u(2)}}, 0);
    t_d5("fsqrt.d -0", emu_op_fsqrt_d, SIGN_D, 0, 0,
         (Want5){{SIGN_D, SIGN_D, SIGN_D, SIGN_D, SIGN_D}}, 0);
    t_d5("fsqrt.d -1", emu_op_fsqrt_d, d2u(-1), 0, 0,
         (Want5){{CNAN_D, CNAN_D, CNAN_D, CNAN_D, CNAN_D}}, NV);
    t_s5("fsqrt.s -inf", emu_op_fsqrt_s, NINF_S, 0, 0,
         (Want5){{CNAN_S, CNAN_S, CNAN_S, CNAN_S, CNAN_S}}, NV);
    t_d5("fsqrt.d +inf", emu_op_fsqrt_d, INF_D, 0, 0,
         (Want5){{INF_D, INF_D, INF_D, INF_D, INF_D}}, 0);
    t_d5("fsqrt.d qnan", emu_op_fsqrt_d, QNAN_D | SIGN_D, 0, 0,
         (Want5){{CNAN_D, CNAN_D, CNAN_D, CNAN_D, CNAN_D}}, 0);
    t_d5("fsqrt.d snan", emu_op_fsqrt_d, SNAN_D, 0, 0,
         (Want5){{CNAN_D, CNAN_D, CNAN_D, CNAN_D, CNAN_D}}, NV);
    /* smallest subnormal: sqrt(2^-1074) = 2^-537 exactly */
    t_d5("fsqrt.d subnormal", emu_op_fsqrt_d, 1, 0, 0,
         (Want5){{d2u(0x1p-537), d2u(0x1p-537), d2u(0x1p-537), d2u(0x1p-537),
                  d2u(0x1p-537)}},
         0);
}

static void test_round_fma(void)
{
    double p = 0x1p53 + 0x1p27 + 0x1p26; /* see test_round_mul */

    setup();
    /* P + 4 is still a tie with an even lower neighbour */
    t_d5("fmadd.d tie", emu_op_fmadd_d, d2u(0x1p27 + 1), d2u(0x1p26 + 1),
         d2u(4),
         (Want5){{d2u(p + 4), d2u(p + 4), d2u(p + 4), d2u(p + 6), d2u(p + 6)}},
         NX);
    /* single rounding: (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly */
    t_d5("fmadd.d fused", emu_op_fmadd_d, ONE_D + 1, d2u(1 - 0x1p-52), d2u(-1),
         (Want5){{d2u(-0x1p-104), d2u(-0x1p-104), d2u(-0x1p-104),
                  d2u(-0x1p-104), d2u(-0x1p-104)}},
         0);
    /* forms: a=2, b=3, c=1 */
    t_d("fmadd.d", emu_op_fmadd_d, RNE, d2u(2), d2u(3), d2u(1), d2u(7), 0);
    t_d("fmsub.d", emu_op_fmsub_d, RNE, d2u(2), d2u(3), d2u(1), d2u(5), 0);
    t_d("fnmsub.d", emu_op_fnmsub_d, RNE, d2u(2), d2u(3), d2u(1), d2u(-5), 0);
    t_d("fnmadd.d", emu_op_fnmadd_d, RNE, d2u(2), d2u(3), d2u(1), d2u(-7), 0);
    t_s("fmadd.s", emu_op_fmadd_s, RNE, f2u(2), f2u(3), f2u(1), f2u(7), 0);
    t_s("fmsub.s", emu_op_fmsub_s, RNE, f2u(2), f2u(3), f2u(1), f2u(5), 0);
    t_s("fnmsub.s", emu_op_fnmsub_s, RNE, f2u(2), f2u(3), f2u(1), f2u(-5), 0);
    t_s("fnmadd.s", emu_op_fnmadd_s, RNE, f2u(2), f2u(3), f2u(1), f2u(-7), 0);
    /* signed zeros: -(+0 * 1) - (+0) = -0; +0*1 - (+0) = +0, RDN -0 */
    t_d("fnmadd.d zero", emu_op_fnmadd_d, RNE, 0, ONE_D, 0, SIGN_D, 0);
    t_d("fmsub.d zero", emu_op_fmsub_d, RNE, 0, ONE_D, 0, 0, 0);
    t_d("fmsub.d zero rdn", emu_op_fmsub_d, RDN, 0, ONE_D, 0, SIGN_D, 0);
    t_d("fmsub.d zero rmm", emu_op_fmsub_d, RMM, 0, ONE_D, 0, 0, 0);
    /* inf * 0 + qNaN raises NV (ISA spec §11.6), in every mode */
    for (unsigned rm = 0; rm < 5; rm++) {
        t_d("fmadd.d inf*0+qnan", emu_op_fmadd_d, rm, INF_D, 0, QNAN_D, CNAN_D,
            NV);
        t_s("fmadd.s 0*inf+qnan", emu_op_fmadd_s, rm, 0, INF_S, QNAN_S, CNAN_S,
            NV);
        t_d("fmadd.d inf*0+1", emu_op_fmadd_d, rm, INF_D, 0, ONE_D, CNAN_D, NV);
        t_d("fmadd.d 1*1+qnan", emu_op_fmadd_d, rm, ONE_D, ONE_D, QNAN_D,
            CNAN_D, 0);
        t_d("fmadd.d snan", emu_op_fmadd_d, rm, ONE_D, SNAN_D, ONE_D, CNAN_D,
            NV);
        t_d("fmadd.d inf-inf", emu_op_fmadd_d, rm, INF_D, ONE_D, NINF_D, CNAN_D,
            NV);
    }
    /* overflow and underflow through fma */
    t_d5("fmadd.d overflow", emu_op_fmadd_d, MAX_D, d2u(2), d2u(-1),
         (Want5){{INF_D, MAX_D, MAX_D, INF_D, INF_D}}, OF | NX);
    /* 3 units * 0.5 + 1 unit = 2.5 units of 2^-1074: a subnormal tie */
    t_d5("fmadd.d subnormal tie", emu_op_fmadd_d, 3, d2u(0.5), 1,
         (Want5){{2, 2, 2, 3, 3}}, UF | NX);
    t_s5("fnmadd.s subnormal tie", emu_op_fnmadd_s, 3, f2u(0.5f), 1,
         (Want5){{SIGN_S | 2, SIGN_S | 2, SIGN_S | 3, SIGN_S | 2, SIGN_S | 3}},
         UF | NX);
}

static void test_round_cvt(void)
{
    setup();
    /* double -> int: ties and non-ties */
    t_x("fcvt.w.d 2.5 rne", emu_op_fcvt_w_d, RNE, d2u(2.5), 0, 2, NX);
    t_x("fcvt.w.d 2.5 rtz", emu_op_fcvt_w_d, RTZ, d2u(2.5), 0, 2, NX);
    t_x("fcvt.w.d 2.5 rdn", emu_op_fcvt_w_d, RDN, d2u(2.5), 0, 2, NX);
    t_x("fcvt.w.d 2.5 rup", emu_op_fcvt_w_d, RUP, d2u(2.5), 0, 3, NX);
    t_x("fcvt.w.d 2.5 rmm", emu_op_fcvt_w_d, RMM, d2u(2.5), 0, 3, NX);
    t_x("fcvt.w.d 3.5 rne", emu_op_fcvt_w_d, RNE, d2u(3.5), 0, 4, NX);
    t_x("fcvt.l.d -2.5 rne", emu_op_fcvt_l_d, RNE, d2u(-2.5), 0, -2ULL, NX);
    t_x("fcvt.l.d -2.5 rtz", emu_op_fcvt_l_d, RTZ, d2u(-2.5), 0, -2ULL, NX);
    t_x("fcvt.l.d -2.5 rdn", emu_op_fcvt_l_d, RDN, d2u(-2.5), 0, -3ULL, NX);
    t_x("fcvt.l.d -2.5 rup", emu_op_fcvt_l_d, RUP, d2u(-2.5), 0, -2ULL, NX);
    t_x("fcvt.l.d -2.5 rmm", emu_op_fcvt_l_d, RMM, d2u(-2.5), 0, -3ULL, NX);
    t_x("fcvt.w.s -2.3 rne", emu_op_fcvt_w_s, RNE, BOX | f2u(-2.3f), 0, -2ULL,
        NX);
    t_x("fcvt.w.s -2.3 rdn", emu_op_fcvt_w_s, RDN, BOX | f2u(-2.3f), 0, -3ULL,
        NX);
    t_x("fcvt.w.s -2.7 rmm", emu_op_fcvt_w_s, RMM, BOX | f2u(-2.7f), 0, -3ULL,
        NX);
    t_x("fcvt.w.s -2.7 rtz", emu_op_fcvt_w_s, RTZ, BOX | f2u(-2.7f), 0, -2ULL,
        NX);
    t_x("fcvt.wu.d 7 exact", emu_op_fcvt_wu_d, RNE, d2u(7), 0, 7, 0);
    t_x("fcvt.lu.s 0.5 rmm", emu_op_fcvt_lu_s, RMM, BOX | f2u(0.5f), 0, 1, NX);
    t_x("fcvt.lu.s 0.5 rne", emu_op_fcvt_lu_s, RNE, BOX | f2u(0.5f), 0, 0, NX);
    /* dynamic */
    hart->frm = RMM;
    t_x("fcvt.w.d 2.5 dyn", emu_op_fcvt_w_d, 7, d2u(2.5), 0, 3, NX);

    /* int -> double: 2^53 + 1 is a tie between 2^53 (even) and 2^53 + 2 */
    t_i("fcvt.d.l 2^53+1", emu_op_fcvt_d_l, RNE, (1ULL << 53) + 1, d2u(0x1p53),
        NX);
    t_i("fcvt.d.l 2^53+1", emu_op_fcvt_d_l, RTZ, (1ULL << 53) + 1, d2u(0x1p53),
        NX);
    t_i("fcvt.d.l 2^53+1", emu_op_fcvt_d_l, RDN, (1ULL << 53) + 1, d2u(0x1p53),
        NX);
    t_i("fcvt.d.l 2^53+1", emu_op_fcvt_d_l, RUP, (1ULL << 53) + 1,
        d2u(0x1p53) + 1, NX);
    t_i("fcvt.d.l 2^53+1", emu_op_fcvt_d_l, RMM, (1ULL << 53) + 1,
        d2u(0x1p53) + 1, NX);
    /* 2^53 + 3: tie between 2^53 + 2 (odd) and 2^53 + 4 */
    t_i("fcvt.d.lu 2^53+3", emu_op_fcvt_d_lu, RNE, (1ULL << 53) + 3,
        d2u(0x1p53) + 2, NX);
    t_i("fcvt.d.lu 2^53+3", emu_op_fcvt_d_lu, RTZ, (1ULL << 53) + 3,
        d2u(0x1p53) + 1, NX);
    t_i("fcvt.d.l -(2^53+1)", emu_op_fcvt_d_l, RDN, -((1ULL << 53) + 1),
        d2u(-0x1p53) + 1, NX);
    t_i("fcvt.d.l -(2^53+1)", emu_op_fcvt_d_l, RMM, -((1ULL << 53) + 1),
        d2u(-0x1p53) + 1, NX);
    t_i("fcvt.d.l -(2^53+1)", emu_op_fcvt_d_l, RUP, -((1ULL << 53) + 1),
        d2u(-0x1p53), NX);
    /* int -> single */
    t_i("fcvt.s.w 2^24+1", emu_op_fcvt_s_w, RNE, (1 << 24) + 1,
        BOX | f2u(0x1p24f), NX);
    t_i("fcvt.s.w 2^24+1", emu_op_fcvt_s_w, RMM, (1 << 24) + 1,
        BOX | (f2u(0x1p24f) + 1), NX);
    t_i("fcvt.s.w -(2^24+1)", emu_op_fcvt_s_w, RDN,
        (uint64_t)(int64_t) - ((1 << 24) + 1), BOX | (f2u(-0x1p24f) + 1), NX);
    t_i("fcvt.s.w -(2^24+1)", emu_op_fcvt_s_w, RUP,
        (uint64_t)(int64_t) - ((1 << 24) + 1), BOX | f2u(-0x1p24f), NX);
    /* W reads only the low 32 bits of the register */
    t_i("fcvt.s.w low bits", emu_op_fcvt_s_w, RNE, 0x12345678ffffffffULL,
        BOX | f2u(-1), 0);
    t_i("fcvt.s.wu low bits", emu_op_fcvt_s_wu, RNE, 0x00000001ffffffffULL,
        BOX | f2u(0x1p32f), NX);
    t_i("fcvt.s.wu rtz", emu_op_fcvt_s_wu, RTZ, 0xffffffffULL,
        BOX | 0x4f7fffffULL, NX);
    t_i("fcvt.d.wu", emu_op_fcvt_d_wu, RNE, 0xffffffffffffffffULL,
        d2u(4294967295.0), 0);
    t_i("fcvt.d.w", emu_op_fcvt_d_w, RNE, 0xffffffff80000000ULL,
        d2u(-2147483648.0), 0);
    t_i("fcvt.s.lu max", emu_op_fcvt_s_lu, RNE, ~0ULL, BOX | f2u(0x1p64f), NX);
    t_i("fcvt.s.lu max", emu_op_fcvt_s_lu, RTZ, ~0ULL, BOX | (f2u(0x1p64f) - 1),
        NX);
    t_i("fcvt.d.l min", emu_op_fcvt_d_l, RNE, 1ULL << 63, d2u(-0x1p63), 0);
    t_i("fcvt.d.l zero", emu_op_fcvt_d_l, RDN, 0, 0, 0);
}

static void test_cvt_s_d(void)
{
    setup();
    /* 1 + 2^-24 is a tie in single */
    for (unsigned rm = 0; rm < 5; rm++) {
        static const uint64_t w[5] = {ONE_S, ONE_S, ONE_S, ONE_S + 1,
                                      ONE_S + 1};
        t_d("fcvt.s.d tie", emu_op_fcvt_s_d, rm, d2u(1 + 0x1p-24), 0, 0,
            BOX | w[rm], NX);
    }
    t_d("fcvt.s.d exact", emu_op_fcvt_s_d, RNE, d2u(0.5), 0, 0, BOX | f2u(0.5f),
        0);
    t_d("fcvt.s.d snan", emu_op_fcvt_s_d, RNE, SNAN_D, 0, 0, BOX | CNAN_S, NV);
    t_d("fcvt.s.d qnan", emu_op_fcvt_s_d, RMM, QNAN_D, 0, 0, BOX | CNAN_S, 0);
    t_d("fcvt.s.d -inf", emu_op_fcvt_s_d, RNE, NINF_D, 0, 0, BOX | NINF_S, 0);
    t_d("fcvt.s.d -0", emu_op_fcvt_s_d, RNE, SIGN_D, 0, 0, BOX | SIGN_S, 0);
    t_d("fcvt.s.d overflow", emu_op_fcvt_s_d, RNE, d2u(1e300), 0, 0,
        BOX | INF_S, OF | NX);
    t_d("fcvt.s.d overflow", emu_op_fcvt_s_d, RTZ, d2u(1e300), 0, 0,
        BOX | MAX_S, OF | NX);
    t_d("fcvt.s.d overflow", emu_op_fcvt_s_d, RMM, d2u(-1e300), 0, 0,
        BOX | NINF_S, OF | NX);
    t_d("fcvt.s.d underflow", emu_op_fcvt_s_d, RNE, d2u(1e-300), 0, 0, BOX | 0,
        UF | NX);
    t_d("fcvt.s.d underflow", emu_op_fcvt_s_d, RUP, d2u(1e-300), 0, 0, BOX | 1,
        UF | NX);
    t_d("fcvt.s.d underflow", emu_op_fcvt_s_d, RMM, d2u(1e-300), 0, 0, BOX | 0,
        UF | NX);
    /* 2^-150 is halfway between 0 and the smallest subnormal single */
    t_d("fcvt.s.d subnormal tie", emu_op_fcvt_s_d, RMM, d2u(0x1p-150), 0, 0,
        BOX | 1, UF | NX);
    t_d("fcvt.s.d subnormal tie", emu_op_fcvt_s_d, RNE, d2u(0x1p-150), 0, 0,
        BOX | 0, UF | NX);
    /* double <- single: exact, NaN canonical */
    t_d("fcvt.d.s", emu_op_fcvt_d_s, RNE, BOX | f2u(0.1f), 0, 0,
        d2u((double)0.1f), 0);
    t_d("fcvt.d.s subnormal", emu_op_fcvt_d_s, RNE, BOX | 1, 0, 0,
        d2u(0x1p-149), 0);
    t_d("fcvt.d.s snan", emu_op_fcvt_d_s, RNE, BOX | SNAN_S, 0, 0, CNAN_D, NV);
    t_d("fcvt.d.s qnan", emu_op_fcvt_d_s, RNE, BOX | QNAN_S, 0, 0, CNAN_D, 0);
    t_d("fcvt.d.s unboxed", emu_op_fcvt_d_s, RNE, ONE_S, 0, 0, CNAN_D, 0);
}

/* ---- special values ------------------------------------------------- */

static void test_nan_boxing(void)
{
    setup();
    /* an unboxed input reads as the canonical (quiet) NaN */
    t_d("fadd.s unboxed", emu_op_fadd_s, RNE, ONE_S, BOX | ONE_S, 0,
        BOX | CNAN_S, 0);
    t_d("fadd.s half-boxed", emu_op_fadd_s, RNE, 0x7fffffff3f800000ULL,
        BOX | ONE_S, 0, BOX | CNAN_S, 0);
    t_d("fmin.s unboxed", emu_op_fmin_s, RNE, ONE_S, BOX | f2u(2), 0,
        BOX | f2u(2), 0);
    t_d("fsgnj.s unboxed", emu_op_fsgnj_s, RNE, ONE_S, BOX | f2u(-2), 0,
        BOX | CNAN_S | SIGN_S, 0);
    t_d("fsgnjx.s unboxed rs2", emu_op_fsgnjx_s, RNE, BOX | f2u(-2), ONE_S, 0,
        BOX | f2u(-2), 0);
    t_x("feq.s unboxed", emu_op_feq_s, RNE, ONE_S, BOX | ONE_S, 0, 0);
    t_x("fclass.s unboxed", emu_op_fclass_s, RNE, ONE_S, 0, 1 << 9, 0);
    t_x("fcvt.w.s unboxed", emu_op_fcvt_w_s, RNE, ONE_S, 0, 0x7fffffff, NV);
    /* FMV.X.W takes the low bits raw and sign-extends */
    t_x("fmv.x.w unboxed", emu_op_fmv_x_w, RNE, 0x12345678bf800000ULL, 0,
        0xffffffffbf800000ULL, 0);
    t_x("fmv.x.w positive", emu_op_fmv_x_w, RNE, BOX | ONE_S, 0, ONE_S, 0);
    t_x("fmv.x.d", emu_op_fmv_x_d, RNE, 0x123456789abcdef0ULL, 0,
        0x123456789abcdef0ULL, 0);
    t_i("fmv.w.x", emu_op_fmv_w_x, RNE, 0xaaaaaaaa3f800000ULL, BOX | ONE_S, 0);
    t_i("fmv.d.x", emu_op_fmv_d_x, RNE, 0x123456789abcdef0ULL,
        0x123456789abcdef0ULL, 0);
    /* sign injection on doubles is raw */
    t_d("fsgnjn.d", emu_op_fsgnjn_d, RNE, QNAN_D, ONE_D, 0, QNAN_D | SIGN_D, 0);
    t_d("fsgnjx.d", emu_op_fsgnjx_d, RNE, d2u(-3), d2u(-1), 0, d2u(3), 0);
    t_d("fsgnj.d", emu_op_fsgnj_d, RNE, d2u(3), d2u(-0.0), 0, d2u(-3), 0);
    t_s("fsgnjn.s", emu_op_fsgnjn_s, RNE, f2u(3), f2u(-1), 0, f2u(3), 0);
    t_s("fsgnjx.s", emu_op_fsgnjx_s, RNE, f2u(-3), f2u(-1), 0, f2u(3), 0);
}

static void test_load_store(void)
{
    EmuOp op;
    uint64_t pat = 0x0123456789abcdefULL;

    setup();
    memcpy(guest_mem + 16, &pat, 8);
    hart->x[7] = MEM_BASE + 8;

    op = mkop(emu_op_flw, 3, 7, 0, 0, 2);
    op.imm = 8;
    g_assert_true(op.fn(hart, &op) == &op + 1);
    g_assert_cmphex(hart->f[3], ==, BOX | 0x89abcdefULL);

    op = mkop(emu_op_fld, 3, 7, 0, 0, 3);
    op.imm = 8;
    g_assert_true(op.fn(hart, &op) == &op + 1);
    g_assert_cmphex(hart->f[3], ==, pat);
    g_assert_cmphex(hart->mstatus & MSTATUS_FS, ==, MSTATUS_FS);

    /* FSW stores the low 32 bits as they are, boxed or not */
    hart->mstatus = FS_CLEAN;
    hart->f[9] = 0x00000000cafef00dULL;
    op = mkop(emu_op_fsw, 0, 7, 9, 0, 2);
    op.imm = -8;
    g_assert_true(op.fn(hart, &op) == &op + 1);
    g_assert_cmpuint(guest_mem[0], ==, 0x0d);
    g_assert_cmpuint(guest_mem[3], ==, 0xca);
    g_assert_cmpuint(guest_mem[4], ==, 0);

    hart->f[9] = 0xfedcba9876543210ULL;
    op = mkop(emu_op_fsd, 0, 7, 9, 0, 3);
    op.imm = 24;
    g_assert_true(op.fn(hart, &op) == &op + 1);
    g_assert_cmpmem(guest_mem + 32, 8, &hart->f[9], 8);
    /* stores change no FP state: FS stays Clean */
    g_assert_cmphex(hart->mstatus, ==, FS_CLEAN);

    /* a faulting load leaves the register and FS alone */
    hart->f[3] = 42;
    hart->x[7] = 16;
    op = mkop(emu_op_fld, 3, 7, 0, 0, 3);
    if (setjmp(hart->trap_jmp) == 0) {
        op.fn(hart, &op);
        g_assert_not_reached();
    }
    g_assert_cmpuint(raised_cause, ==, EXC_LOAD_ACCESS);
    g_assert_cmphex(hart->f[3], ==, 42);
    g_assert_cmphex(hart->mstatus, ==, FS_CLEAN);
    n_checks += 12;
}

static void test_nan(void)
{
    setup();
    /* canonical NaN out of every arithmetic NaN */
    t_d("fadd.d qnan", emu_op_fadd_d, RNE, QNAN_D, ONE_D, 0, CNAN_D, 0);
    t_d("fadd.d -qnan", emu_op_fadd_d, RNE, ONE_D, QNAN_D | SIGN_D, 0, CNAN_D,
        0);
    t_d("fmul.d snan", emu_op_fmul_d, RNE, SNAN_D, ONE_D, 0, CNAN_D, NV);
    t_d("fdiv.d snan", emu_op_fdiv_d, RMM, ONE_D, SNAN_D, 0, CNAN_D, NV);
    t_s("fsub.s snan", emu_op_fsub_s, RTZ, SNAN_S, QNAN_S, 0, CNAN_S, NV);
    t_s("fmul.s qnan", emu_op_fmul_s, RMM, QNAN_S, ONE_S, 0, CNAN_S, 0);
    t_d("fmul.d inf*0", emu_op_fmul_d, RNE, INF_D, SIGN_D, 0, CNAN_D, NV);
    t_d("fadd.d inf-inf", emu_op_fadd_d, RUP, INF_D, NINF_D, 0, CNAN_D, NV);
    t_d("fsub.d inf-inf", emu_op_fsub_d, RMM, INF_D, INF_D, 0, CNAN_D, NV);
    t_d("fdiv.d 0/0", emu_op_fdiv_d, RNE, 0, SIGN_D, 0, CNAN_D, NV);
    t_d("fdiv.d inf/inf", emu_op_fdiv_d, RMM, INF_D, NINF_D, 0, CNAN_D, NV);
    t_s("fdiv.s 0/0", emu_op_fdiv_s, RMM, 0, 0, 0, CNAN_S, NV);
    /* division by zero */
    t_d("fdiv.d 1/0", emu_op_fdiv_d, RNE, ONE_D, 0, 0, INF_D, DZ);
    t_d("fdiv.d 1/-0", emu_op_fdiv_d, RTZ, ONE_D, SIGN_D, 0, NINF_D, DZ);
    t_s("fdiv.s -1/0", emu_op_fdiv_s, RMM, ONE_S | SIGN_S, 0, 0, NINF_S, DZ);
    t_d("fdiv.d inf/0", emu_op_fdiv_d, RNE, INF_D, 0, 0, INF_D, 0);
    /* flags accumulate */
    hart->fflags = NX;
    hart->f[1] = ONE_D;
    hart->f[2] = 0;
    g_assert_false(exec(emu_op_fdiv_d, 3, 1, 2, 0, RNE));
    g_assert_cmphex(hart->fflags, ==, NX | DZ);
    n_checks++;
}

static void test_signed_zero(void)
{
    setup();
    for (unsigned rm = 0; rm < 5; rm++) {
        uint64_t z = rm == RDN ? SIGN_D : 0;
        uint64_t zs = rm == RDN ? SIGN_S : 0;
        t_d("fadd.d +0 + -0", emu_op_fadd_d, rm, 0, SIGN_D, 0, z, 0);
        t_d("fadd.d -0 + -0", emu_op_fadd_d, rm, SIGN_D, SIGN_D, 0, SIGN_D, 0);
        t_d("fsub.d x - x", emu_op_fsub_d, rm, d2u(1.5), d2u(1.5), 0, z, 0);
        t_d("fsub.d -0 - +0", emu_op_fsub_d, rm, SIGN_D, 0, 0, SIGN_D, 0);
        t_s("fadd.s x + -x", emu_op_fadd_s, rm, f2u(3), f2u(-3), 0, zs, 0);
        t_d("fmul.d -0 * 5", emu_op_fmul_d, rm, SIGN_D, d2u(5), 0, SIGN_D, 0);
        t_d("fdiv.d 0 / -5", emu_op_fdiv_d, rm, 0, d2u(-5), 0, SIGN_D, 0);
        t_d("fmadd.d x*y - xy", emu_op_fmadd_d, rm, d2u(2), d2u(3), d2u(-6), z,
            0);
    }
}

static void test_overflow(void)
{
    setup();
    t_d5("fmul.d max*2", emu_op_fmul_d, MAX_D, d2u(2), 0,
         (Want5){{INF_D, MAX_D, MAX_D, INF_D, INF_D}}, OF | NX);
    t_d5("fmul.d -max*2", emu_op_fmul_d, MAX_D | SIGN_D, d2u(2), 0,
         (Want5){{NINF_D, MAX_D | SIGN_D, NINF_D, MAX_D | SIGN_D, NINF_D}},
         OF | NX);
    t_d5("fadd.d max+max", emu_op_fadd_d, MAX_D, MAX_D, 0,
         (Want5){{INF_D, MAX_D, MAX_D, INF_D, INF_D}}, OF | NX);
    t_s5("fadd.s max+max", emu_op_fadd_s, MAX_S, MAX_S, 0,
         (Want5){{INF_S, MAX_S, MAX_S, INF_S, INF_S}}, OF | NX);
    t_d5("fdiv.d max/0.5", emu_op_fdiv_d, MAX_D, d2u(0.5), 0,
         (Want5){{INF_D, MAX_D, MAX_D, INF_D, INF_D}}, OF | NX);
    /* max + half an ulp of max: a tie whose even neighbour is 2^1024, so
     * overflow in RNE and RMM; RTZ/RDN round to max, which is no overflow
     * (IEEE 754 §7.4: judged after rounding with an unbounded exponent) */
    for (unsigned rm = 0; rm < 5; rm++) {
        bool down = rm == RTZ || rm == RDN;
        t_d("fadd.d max+half ulp", emu_op_fadd_d, rm, MAX_D, d2u(0x1p970), 0,
            down ? MAX_D : INF_D, down ? NX : OF | NX);
    }
    /* just below: max + a quarter ulp is inexact but no overflow except
     * in RUP */
    t_d("fadd.d max+quarter", emu_op_fadd_d, RNE, MAX_D, d2u(0x1p969), 0, MAX_D,
        NX);
    t_d("fadd.d max+quarter", emu_op_fadd_d, RMM, MAX_D, d2u(0x1p969), 0, MAX_D,
        NX);
    t_d("fadd.d max+quarter", emu_op_fadd_d, RUP, MAX_D, d2u(0x1p969), 0, INF_D,
        OF | NX);
    /* inf arithmetic is exact */
    t_d("fadd.d inf+1", emu_op_fadd_d, RNE, INF_D, ONE_D, 0, INF_D, 0);
}

static void test_underflow(void)
{
    /* a = 18631 * 2^-75, b = 1801 * 2^-76: ab = 2^-126 - 2^-151 */
    float as = 18631 * 0x1p-75f, bs = 1801 * 0x1p-76f;

    setup();
    /* an exact subnormal result raises nothing */
    t_d5("fmul.d min/2", emu_op_fmul_d, MIN_D, d2u(0.5), 0,
         (Want5){{MIN_D >> 1, MIN_D >> 1, MIN_D >> 1, MIN_D >> 1, MIN_D >> 1}},
         0);
    /* inexact and tiny */
    t_d5("fmul.d min/3", emu_op_fmul_d, MIN_D, d2u(1.0 / 3), 0,
         (Want5){{0x0005555555555555ULL, 0x0005555555555555ULL,
                  0x0005555555555555ULL, 0x0005555555555556ULL,
                  0x0005555555555555ULL}},
         UF | NX);
    /* (2^27 - 1) 2^-538 * (2^27 + 1) 2^-538 = 2^-1022 - 2^-1076: rounds to
     * 2^-1022 with an unbounded exponent in RNE, so not tiny after
     * rounding (ISA spec §11.2): NX only */
    t_d("fmul.d tininess", emu_op_fmul_d, RNE, d2u((0x1p27 - 1) * 0x1p-538),
        d2u((0x1p27 + 1) * 0x1p-538), 0, MIN_D, NX);
    t_d("fmul.d tininess", emu_op_fmul_d, RMM, d2u((0x1p27 - 1) * 0x1p-538),
        d2u((0x1p27 + 1) * 0x1p-538), 0, MIN_D, NX);
    t_d("fmul.d tininess", emu_op_fmul_d, RUP, d2u((0x1p27 - 1) * 0x1p-538),
        d2u((0x1p27 + 1) * 0x1p-538), 0, MIN_D, NX);
    t_d("fmul.d tininess", emu_op_fmul_d, RTZ, d2u((0x1p27 - 1) * 0x1p-538),
        d2u((0x1p27 + 1) * 0x1p-538), 0, MIN_D - 1, UF | NX);
    t_d("fmul.d tininess", emu_op_fmul_d, RDN, d2u((0x1p27 - 1) * 0x1p-538),
        d2u((0x1p27 + 1) * 0x1p-538), 0, MIN_D - 1, UF | NX);
    t_s("fmul.s tininess", emu_op_fmul_s, RNE, f2u(as), f2u(bs), 0, 0x00800000,
        NX);
    t_s("fmul.s tininess", emu_op_fmul_s, RMM, f2u(as), f2u(bs), 0, 0x00800000,
        NX);
    t_s("fmul.s tininess", emu_op_fmul_s, RTZ, f2u(as), f2u(bs), 0, 0x007fffff,
        UF | NX);
    /* 2^-1022 * (1 - 2^-53) = 2^-1022 - 2^-1075: tiny even after
     * rounding with an unbounded exponent, so UF although the delivered
     * result is 2^-1022 */
    t_d("fmul.d tiny to min", emu_op_fmul_d, RNE, MIN_D, d2u(1 - 0x1p-53), 0,
        MIN_D, UF | NX);
    t_d("fmul.d tiny to min", emu_op_fmul_d, RMM, MIN_D, d2u(1 - 0x1p-53), 0,
        MIN_D, UF | NX);
    /* total underflow */
    t_d5("fmul.d min*min", emu_op_fmul_d, MIN_D, MIN_D, 0,
         (Want5){{0, 0, 0, 1, 0}}, UF | NX);
    t_d5("fmul.d -min*min", emu_op_fmul_d, MIN_D | SIGN_D, MIN_D, 0,
         (Want5){{SIGN_D, SIGN_D, SIGN_D | 1, SIGN_D, SIGN_D}}, UF | NX);
    /* subnormal arithmetic stays exact */
    t_d("fadd.d subnormals", emu_op_fadd_d, RNE, 3, 5, 0, 8, 0);
    t_s("fsub.s subnormals", emu_op_fsub_s, RMM, 3, 5, 0, SIGN_S | 2, 0);
}

/* ---- comparisons, min/max, class ------------------------------------ */

static void test_minmax(void)
{
    setup();
    t_d("fmin.d -0 +0", emu_op_fmin_d, RNE, SIGN_D, 0, 0, SIGN_D, 0);
    t_d("fmin.d +0 -0", emu_op_fmin_d, RNE, 0, SIGN_D, 0, SIGN_D, 0);
    t_d("fmax.d -0 +0", emu_op_fmax_d, RNE, SIGN_D, 0, 0, 0, 0);
    t_d("fmax.d +0 -0", emu_op_fmax_d, RNE, 0, SIGN_D, 0, 0, 0);
    t_s("fmin.s -0 +0", emu_op_fmin_s, RNE, 0, SIGN_S, 0, SIGN_S, 0);
    t_s("fmax.s -0 +0", emu_op_fmax_s, RNE, SIGN_S, 0, 0, 0, 0);
    t_d("fmin.d", emu_op_fmin_d, RNE, d2u(-1), d2u(2), 0, d2u(-1), 0);
    t_d("fmax.d", emu_op_fmax_d, RNE, d2u(-1), d2u(-2), 0, d2u(-1), 0);
    t_d("fmin.d -inf", emu_op_fmin_d, RNE, NINF_D, MAX_D, 0, NINF_D, 0);
    t_s("fmax.s", emu_op_fmax_s, RNE, f2u(1.5f), f2u(1.25f), 0, f2u(1.5f), 0);
    t_s("fmin.s neg", emu_op_fmin_s, RNE, f2u(-1.5f), f2u(-1.25f), 0,
        f2u(-1.5f), 0);
    /* one NaN: the other operand; sNaN raises NV */
    t_d("fmin.d qnan x", emu_op_fmin_d, RNE, QNAN_D, d2u(3), 0, d2u(3), 0);
    t_d("fmax.d x qnan", emu_op_fmax_d, RNE, d2u(3), QNAN_D, 0, d2u(3), 0);
    t_d("fmin.d snan x", emu_op_fmin_d, RNE, SNAN_D, d2u(3), 0, d2u(3), NV);
    t_s("fmax.s x snan", emu_op_fmax_s, RNE, f2u(-3), SNAN_S, 0, f2u(-3), NV);
    /* two NaNs: canonical */
    t_d("fmin.d qnan qnan", emu_op_fmin_d, RNE, QNAN_D, QNAN_D | SIGN_D, 0,
        CNAN_D, 0);
    t_d("fmax.d snan qnan", emu_op_fmax_d, RNE, SNAN_D, QNAN_D, 0, CNAN_D, NV);
    t_s("fmin.s qnan qnan", emu_op_fmin_s, RNE, QNAN_S, QNAN_S, 0, CNAN_S, 0);
}

static void test_compare(void)
{
    setup();
    t_x("feq.d", emu_op_feq_d, RNE, d2u(1), d2u(1), 1, 0);
    t_x("feq.d zeros", emu_op_feq_d, RNE, 0, SIGN_D, 1, 0);
    t_x("flt.d zeros", emu_op_flt_d, RNE, SIGN_D, 0, 0, 0);
    t_x("fle.d zeros", emu_op_fle_d, RNE, 0, SIGN_D, 1, 0);
    t_x("flt.d", emu_op_flt_d, RNE, d2u(-1), d2u(1), 1, 0);
    t_x("flt.d eq", emu_op_flt_d, RNE, d2u(1), d2u(1), 0, 0);
    t_x("fle.d", emu_op_fle_d, RNE, d2u(2), d2u(1), 0, 0);
    t_x("fle.d inf", emu_op_fle_d, RNE, NINF_D, INF_D, 1, 0);
    t_x("feq.s", emu_op_feq_s, RNE, BOX | f2u(2), BOX | f2u(2), 1, 0);
    t_x("flt.s", emu_op_flt_s, RNE, BOX | f2u(-2), BOX | f2u(2), 1, 0);
    t_x("fle.s", emu_op_fle_s, RNE, BOX | f2u(2), BOX | f2u(2), 1, 0);
    /* quiet NaN: FEQ quiet, FLT/FLE signal */
    t_x("feq.d qnan", emu_op_feq_d, RNE, QNAN_D, QNAN_D, 0, 0);
    t_x("flt.d qnan", emu_op_flt_d, RNE, QNAN_D, d2u(1), 0, NV);
    t_x("fle.d qnan", emu_op_fle_d, RNE, d2u(1), QNAN_D, 0, NV);
    t_x("feq.s qnan", emu_op_feq_s, RNE, BOX | QNAN_S, BOX | ONE_S, 0, 0);
    t_x("flt.s qnan", emu_op_flt_s, RNE, BOX | QNAN_S, BOX | ONE_S, 0, NV);
    /* signalling NaN: all three signal */
    t_x("feq.d snan", emu_op_feq_d, RNE, d2u(1), SNAN_D, 0, NV);
    t_x("feq.s snan", emu_op_feq_s, RNE, BOX | SNAN_S, BOX | ONE_S, 0, NV);
    t_x("fle.s snan", emu_op_fle_s, RNE, BOX | SNAN_S, BOX | ONE_S, 0, NV);
    /* rd = x0 is the sink register 32 */
    hart->f[1] = ONE_D;
    g_assert_false(exec(emu_op_feq_d, 32, 1, 1, 0, 0));
    g_assert_cmphex(hart->x[32], ==, 1);
    g_assert_cmphex(hart->x[0], ==, 0);
    n_checks++;
}

static void test_fclass(void)
{
    static const struct {
        uint64_t d, s;
    } v[10] = {
        {NINF_D, NINF_S},
        {0xbff0000000000000ULL, 0xbf800000},
        {SIGN_D | 1, SIGN_S | 1},
        {SIGN_D, SIGN_S},
        {0, 0},
        {0x000fffffffffffffULL, 0x007fffff},
        {MAX_D, MAX_S},
        {INF_D, INF_S},
        {SNAN_D, SNAN_S},
        {QNAN_D, QNAN_S},
    };

    setup();
    for (unsigned i = 0; i < 10; i++) {
        t_x("fclass.d", emu_op_fclass_d, RNE, v[i].d, 0, 1u << i, 0);
        t_x("fclass.s", emu_op_fclass_s, RNE, BOX | v[i].s, 0, 1u << i, 0);
    }
    t_x("fclass.d min normal", emu_op_fclass_d, RNE, MIN_D, 0, 1 << 6, 0);
    t_x("fclass.d canonical", emu_op_fclass_d, RNE, CNAN_D, 0, 1 << 9, 0);
    t_x("fclass.s sNaN all", emu_op_fclass_s, RNE, BOX | 0xffbfffff, 0, 1 << 8,
        0);
}

/* ---- conversions to integers: the saturation table (§11.7) ---------- */

static void test_cvt_saturate(void)
{
    static const struct {
        const char *name;
        EmuOpFn fn_d, fn_s;
        uint64_t nan, pinf, ninf;
    } t[4] = {
        {"w", emu_op_fcvt_w_d, emu_op_fcvt_w_s, 0x7fffffffULL, 0x7fffffffULL,
         0xffffffff80000000ULL},
        {"wu", emu_op_fcvt_wu_d, emu_op_fcvt_wu_s, ~0ULL, ~0ULL, 0},
        {"l", emu_op_fcvt_l_d, emu_op_fcvt_l_s, 0x7fffffffffffffffULL,
         0x7fffffffffffffffULL, 1ULL << 63},
        {"lu", emu_op_fcvt_lu_d, emu_op_fcvt_lu_s, ~0ULL, ~0ULL, 0},
    };

    setup();
    for (unsigned i = 0; i < 4; i++) {
        for (unsigned rm = 0; rm < 5; rm++) {
            t_x(t[i].name, t[i].fn_d, rm, QNAN_D, 0, t[i].nan, NV);
            t_x(t[i].name, t[i].fn_d, rm, SNAN_D | SIGN_D, 0, t[i].nan, NV);
            t_x(t[i].name, t[i].fn_d, rm, INF_D, 0, t[i].pinf, NV);
            t_x(t[i].name, t[i].fn_d, rm, NINF_D, 0, t[i].ninf, NV);
            t_x(t[i].name, t[i].fn_d, rm, d2u(1e30), 0, t[i].pinf, NV);
            t_x(t[i].name, t[i].fn_d, rm, d2u(-1e30), 0, t[i].ninf, NV);
            t_x(t[i].name, t[i].fn_s, rm, BOX | QNAN_S, 0, t[i].nan, NV);
            t_x(t[i].name, t[i].fn_s, rm, BOX | INF_S, 0, t[i].pinf, NV);
            t_x(t[i].name, t[i].fn_s, rm, BOX | NINF_S, 0, t[i].ninf, NV);
            t_x(t[i].name, t[i].fn_s, rm, BOX | f2u(-1e30f), 0, t[i].ninf, NV);
            t_x(t[i].name, t[i].fn_d, rm, SIGN_D, 0, 0, 0);
        }
    }
    /* edges of the 32-bit range */
    t_x("w 2^31-0.5", emu_op_fcvt_w_d, RNE, d2u(2147483647.5), 0, 0x7fffffff,
        NV);
    t_x("w 2^31-0.5", emu_op_fcvt_w_d, RTZ, d2u(2147483647.5), 0, 0x7fffffff,
        NX);
    t_x("w -2^31", emu_op_fcvt_w_d, RNE, d2u(-2147483648.0), 0,
        0xffffffff80000000ULL, 0);
    t_x("w -2^31-0.5", emu_op_fcvt_w_d, RTZ, d2u(-2147483648.5), 0,
        0xffffffff80000000ULL, NX);
    t_x("w -2^31-0.5", emu_op_fcvt_w_d, RMM, d2u(-2147483648.5), 0,
        0xffffffff80000000ULL, NV);
    t_x("w -2^31-1", emu_op_fcvt_w_d, RNE, d2u(-2147483649.0), 0,
        0xffffffff80000000ULL, NV);
    /* unsigned 32-bit results are sign-extended too */
    t_x("wu 2^32-1", emu_op_fcvt_wu_d, RNE, d2u(4294967295.0), 0, ~0ULL, 0);
    t_x("wu 2^31", emu_op_fcvt_wu_d, RNE, d2u(2147483648.0), 0,
        0xffffffff80000000ULL, 0);
    t_x("wu 2^32", emu_op_fcvt_wu_d, RNE, d2u(4294967296.0), 0, ~0ULL, NV);
    t_x("wu 2^32-0.5", emu_op_fcvt_wu_d, RDN, d2u(4294967295.5), 0, ~0ULL, NX);
    t_x("wu 2^32-0.5", emu_op_fcvt_wu_d, RNE, d2u(4294967295.5), 0, ~0ULL, NV);
    /* negative values that round to 0 are fine for unsigned, NX only */
    t_x("wu -0.3", emu_op_fcvt_wu_d, RNE, d2u(-0.3), 0, 0, NX);
    t_x("wu -0.5", emu_op_fcvt_wu_d, RNE, d2u(-0.5), 0, 0, NX);
    t_x("wu -0.5", emu_op_fcvt_wu_d, RMM, d2u(-0.5), 0, 0, NV);
    t_x("wu -0.9", emu_op_fcvt_wu_d, RTZ, d2u(-0.9), 0, 0, NX);
    t_x("wu -0.9", emu_op_fcvt_wu_d, RUP, d2u(-0.9), 0, 0, NX);
    t_x("wu -0.1", emu_op_fcvt_wu_d, RDN, d2u(-0.1), 0, 0, NV);
    t_x("lu -1", emu_op_fcvt_lu_d, RNE, d2u(-1), 0, 0, NV);
    t_x("lu -0.5", emu_op_fcvt_lu_s, RTZ, BOX | f2u(-0.5f), 0, 0, NX);
    /* 64-bit edges */
    t_x("l 2^63", emu_op_fcvt_l_d, RNE, d2u(0x1p63), 0, 0x7fffffffffffffffULL,
        NV);
    t_x("l -2^63", emu_op_fcvt_l_d, RNE, d2u(-0x1p63), 0, 1ULL << 63, 0);
    t_x("l max double below 2^63", emu_op_fcvt_l_d, RNE, d2u(0x1p63) - 1, 0,
        0x7ffffffffffffc00ULL, 0);
    t_x("lu 2^64", emu_op_fcvt_lu_d, RNE, d2u(0x1p64), 0, ~0ULL, NV);
    t_x("lu max double below 2^64", emu_op_fcvt_lu_d, RNE, d2u(0x1p64) - 1, 0,
        0xfffffffffffff800ULL, 0);
    t_x("lu.s max float below 2^64", emu_op_fcvt_lu_s, RNE,
        BOX | (f2u(0x1p64f) - 1), 0, 0xffffff0000000000ULL, 0);
    t_x("l tiny", emu_op_fcvt_l_d, RUP, 1, 0, 1, NX);
    t_x("l -tiny", emu_op_fcvt_l_d, RDN, SIGN_D | 1, 0, ~0ULL, NX);
    t_x("l -tiny", emu_op_fcvt_l_d, RNE, SIGN_D | 1, 0, 0, NX);
    /* rd = x0 */
    hart->f[1] = d2u(2.5);
    hart->fflags = 0;
    g_assert_false(exec(emu_op_fcvt_l_d, 32, 1, 0, 0, RNE));
    g_assert_cmphex(hart->fflags, ==, NX);
    n_checks++;
}

/* ---- mstatus.FS and the rounding-mode field ------------------------- */

static void test_fs_and_rm(void)
{
    setup();
    /* FS = Off: illegal instruction, nothing changes */
    hart->mstatus = 0;
    hart->f[1] = ONE_D;
    hart->f[2] = ONE_D;
    hart->f[3] = 77;
    g_assert_true(exec(emu_op_fadd_d, 3, 1, 2, 0, RNE));
    g_assert_cmpuint(raised_cause, ==, EXC_ILLEGAL);
    g_assert_cmphex(raised_tval, ==, mkop(emu_op_fadd_d, 3, 1, 2, 0, 0).insn);
    g_assert_cmphex(hart->f[3], ==, 77);
    g_assert_cmphex(hart->fflags, ==, 0);
    g_assert_cmphex(hart->mstatus, ==, 0);
    {
        static const EmuOpFn all[] = {
#define X(name) emu_op_##name,
            EMU_FP_OPS(X)
#undef X
        };
        for (unsigned i = 0; i < G_N_ELEMENTS(all); i++) {
            hart->x[5] = 5;
            g_assert_true(exec(all[i], 5, 1, 2, 4, RNE));
            g_assert_cmpuint(raised_cause, ==, EXC_ILLEGAL);
            g_assert_cmphex(hart->x[5], ==, 5);
            n_checks++;
        }
    }

    /* FS = Initial: a result makes it Dirty, with SD */
    hart->mstatus = FS_INITIAL;
    g_assert_false(exec(emu_op_fadd_d, 3, 1, 2, 0, RNE));
    g_assert_cmphex(hart->mstatus, ==, MSTATUS_FS | MSTATUS_SD);
    g_assert_cmphex(hart->f[3], ==, d2u(2));
    /* FCLASS, FMV.X and quiet compares change nothing: FS stays Clean */
    hart->mstatus = FS_CLEAN;
    g_assert_false(exec(emu_op_fclass_d, 5, 1, 0, 0, 0));
    g_assert_false(exec(emu_op_fmv_x_d, 5, 1, 0, 0, 0));
    g_assert_false(exec(emu_op_feq_d, 5, 1, 2, 0, 0));
    g_assert_cmphex(hart->mstatus, ==, FS_CLEAN);
    /* but a signalling compare that sets NV dirties it */
    hart->f[2] = QNAN_D;
    g_assert_false(exec(emu_op_flt_d, 5, 1, 2, 0, 0));
    g_assert_cmphex(hart->mstatus, ==, FS_CLEAN | MSTATUS_FS | MSTATUS_SD);
    g_assert_cmphex(hart->fflags, ==, NV);

    /* dynamic rounding with an invalid frm is illegal; static rm is not
     * affected by frm */
    hart->mstatus = FS_INITIAL;
    hart->f[2] = ONE_D;
    for (unsigned frm = 5; frm < 8; frm++) {
        hart->frm = frm;
        hart->f[3] = 77;
        g_assert_true(exec(emu_op_fadd_d, 3, 1, 2, 0, 7));
        g_assert_cmpuint(raised_cause, ==, EXC_ILLEGAL);
        g_assert_cmphex(hart->f[3], ==, 77);
        g_assert_true(exec(emu_op_fcvt_d_s, 3, 1, 0, 0, 7));
        g_assert_true(exec(emu_op_fcvt_w_d, 5, 1, 0, 0, 7));
        g_assert_true(exec(emu_op_fcvt_d_w, 3, 6, 0, 0, 7));
        g_assert_true(exec(emu_op_fmadd_s, 3, 1, 2, 4, 7));
        g_assert_false(exec(emu_op_fadd_d, 3, 1, 2, 0, RTZ));
        /* ops without an rm field ignore frm */
        g_assert_false(exec(emu_op_fmin_d, 3, 1, 2, 0, 0));
        g_assert_false(exec(emu_op_fsgnj_d, 3, 1, 2, 0, 0));
        n_checks += 8;
    }
    /* reserved static modes (the decoder rejects them; be safe anyway) */
    g_assert_true(exec(emu_op_fmul_d, 3, 1, 2, 0, 5));
    g_assert_true(exec(emu_op_fmul_d, 3, 1, 2, 0, 6));
    n_checks += 2;
}

/* ---- the host path against the software path ------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Random operands biased towards the interesting places: specials, the
 * subnormal boundary, overflow, near-equal magnitudes, sparse and dense
 * significands. */
static uint64_t rnd_val(bool dbl, uint64_t near)
{
    unsigned fb = dbl ? 52 : 23, eb = dbl ? 11 : 8;
    uint64_t emax = (1ULL << eb) - 1, bias = emax >> 1;
    uint64_t sign = (rnd() & 1) << (fb + eb), frac, e;
    uint64_t r = rnd();

    switch (r % 16) {
    case 0:
        return sign;
    case 1:
        return sign | emax << fb;
    case 2: /* NaN, quiet or signalling */
        return sign | emax << fb | ((rnd() & ((1ULL << fb) - 1)) | 1);
    case 3: /* near the other operand */
        return near ^ (rnd() & 0xff) ^ ((rnd() & 1) << (fb + eb));
    default:
        break;
    }
    switch ((r >> 8) % 4) {
    case 0:
        frac = rnd();
        break;
    case 1:
        frac = ~(rnd() & rnd() & rnd());
        break;
    case 2:
        frac = rnd() & rnd() & rnd();
        break;
    default:
        frac = 1ULL << (rnd() % fb);
        break;
    }
    frac &= (1ULL << fb) - 1;
    switch ((r >> 16) % 5) {
    case 0: /* subnormal or tiny */
        e = rnd() % 4;
        break;
    case 1: /* large */
        e = emax - 1 - rnd() % 4;
        break;
    case 2: /* around 1 */
        e = bias - 30 + rnd() % 60;
        break;
    case 3: /* around the square root of the extremes */
        e = (rnd() & 1) ? bias / 2 + rnd() % 8 : bias + bias / 2 - rnd() % 8;
        break;
    default:
        e = rnd() % emax;
        break;
    }
    return sign | e << fb | frac;
}

static void test_host_vs_soft(void)
{
    static const struct {
        const char *name;
        EmuOpFn fn;
        bool dbl;
        int kind; /* 0 add 1 sub 2 mul 3 div 4 sqrt 5..8 fma forms 9 cvt */
    } ops[] = {
        {"fadd.d", emu_op_fadd_d, 1, 0},
        {"fsub.d", emu_op_fsub_d, 1, 1},
        {"fmul.d", emu_op_fmul_d, 1, 2},
        {"fdiv.d", emu_op_fdiv_d, 1, 3},
        {"fsqrt.d", emu_op_fsqrt_d, 1, 4},
        {"fmadd.d", emu_op_fmadd_d, 1, 5},
        {"fmsub.d", emu_op_fmsub_d, 1, 6},
        {"fnmsub.d", emu_op_fnmsub_d, 1, 7},
        {"fnmadd.d", emu_op_fnmadd_d, 1, 8},
        {"fadd.s", emu_op_fadd_s, 0, 0},
        {"fsub.s", emu_op_fsub_s, 0, 1},
        {"fmul.s", emu_op_fmul_s, 0, 2},
        {"fdiv.s", emu_op_fdiv_s, 0, 3},
        {"fsqrt.s", emu_op_fsqrt_s, 0, 4},
        {"fmadd.s", emu_op_fmadd_s, 0, 5},
        {"fmsub.s", emu_op_fmsub_s, 0, 6},
        {"fnmsub.s", emu_op_fnmsub_s, 0, 7},
        {"fnmadd.s", emu_op_fnmadd_s, 0, 8},
        {"fcvt.s.d", emu_op_fcvt_s_d, 1, 9},
    };
    unsigned iters = g_test_slow() ? 2000000 : 100000;

    setup();
    for (unsigned i = 0; i < iters; i++) {
        unsigned k = i % G_N_ELEMENTS(ops);
        bool dbl = ops[k].dbl;
        EmuFpFmt f = dbl ? EMU_FP_D : EMU_FP_S;
        uint64_t sign = dbl ? SIGN_D : SIGN_S;
        uint64_t a = rnd_val(dbl, 0), b = rnd_val(dbl, a);
        uint64_t c = rnd_val(dbl, ops[k].kind >= 5 ? 0 : a), want;
        unsigned rm = rnd() % 4;
        uint32_t fl = 0;

        if (ops[k].kind >= 5 && ops[k].kind <= 8 && (rnd() & 1)) {
            /* make c cancel a * b in the high bits */
            c = emu_softfp_mul(f, a, b, RNE, &fl) ^ sign ^ (rnd() & 0xf);
            fl = 0;
        }
        switch (ops[k].kind) {
        case 0:
            want = emu_softfp_add(f, a, b, rm, &fl);
            break;
        case 1:
            want = emu_softfp_add(f, a, b ^ sign, rm, &fl);
            break;
        case 2:
            want = emu_softfp_mul(f, a, b, rm, &fl);
            break;
        case 3:
            want = emu_softfp_div(f, a, b, rm, &fl);
            break;
        case 4:
            want = emu_softfp_sqrt(f, a, rm, &fl);
            break;
        case 5:
            want = emu_softfp_fma(f, a, b, c, rm, &fl);
            break;
        case 6:
            want = emu_softfp_fma(f, a, b, c ^ sign, rm, &fl);
            break;
        case 7:
            want = emu_softfp_fma(f, a ^ sign, b, c, rm, &fl);
            break;
        case 8:
            want = emu_softfp_fma(f, a ^ sign, b, c ^ sign, rm, &fl);
            break;
        default:
            want = emu_softfp_cvt(EMU_FP_S, EMU_FP_D, a, rm, &fl);
            break;
        }
        if (ops[k].kind == 9) {
            t_d(ops[k].name, ops[k].fn, rm, a, b, c, BOX | want, fl);
        } else if (dbl) {
            t_d(ops[k].name, ops[k].fn, rm, a, b, c, want, fl);
        } else {
            t_s(ops[k].name, ops[k].fn, rm, a, b, c, want, fl);
        }
    }
}

/* RMM differs from RNE only on exact ties, and then picks the neighbour
 * away from zero: check that against the directed modes. */
static void test_rmm_consistency(void)
{
    unsigned iters = g_test_slow() ? 1000000 : 50000, ties = 0;

    setup();
    for (unsigned i = 0; i < iters; i++) {
        bool dbl = i & 1;
        EmuFpFmt f = dbl ? EMU_FP_D : EMU_FP_S;
        uint64_t a = rnd_val(dbl, 0), b = rnd_val(dbl, a), r[5];
        uint32_t fl[5];
        unsigned kind = rnd() % 3;

        if (kind == 2) {
            /* products of short significands produce ties often */
            a &= ~((1ULL << (dbl ? 26 : 11)) - 1);
            b &= ~((1ULL << (dbl ? 26 : 11)) - 1);
        }
        for (unsigned rm = 0; rm < 5; rm++) {
            fl[rm] = 0;
            r[rm] = kind == 0   ? emu_softfp_add(f, a, b, rm, &fl[rm])
                    : kind == 1 ? emu_softfp_div(f, a, b, rm, &fl[rm])
                                : emu_softfp_mul(f, a, b, rm, &fl[rm]);
        }
        /* RMM and RNE raise the same flags: a tie never sits at an
         * overflow or tininess boundary where the two would differ */
        g_assert_cmphex(fl[RMM], ==, fl[RNE]);
        if (r[RMM] != r[RNE]) {
            bool neg = (r[RNE] >> (dbl ? 63 : 31)) & 1;
            uint64_t away = neg ? r[RDN] : r[RUP];
            uint64_t toward = r[RTZ];
            ties++;
            g_assert_cmphex(r[RNE], ==, toward);
            g_assert_cmphex(r[RMM], ==, away);
            g_assert_cmphex(r[RNE] & 1, ==, 0); /* RNE took the even one */
        }
        n_checks++;
    }
    g_assert_cmpuint(ties, >, 0);
}

int main(int argc, char **argv)
{
    int rc;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fpu/round/add", test_round_add);
    g_test_add_func("/fpu/round/mul", test_round_mul);
    g_test_add_func("/fpu/round/div", test_round_div);
    g_test_add_func("/fpu/round/sqrt", test_round_sqrt);
    g_test_add_func("/fpu/round/fma", test_round_fma);
    g_test_add_func("/fpu/round/cvt", test_round_cvt);
    g_test_add_func("/fpu/round/cvt-s-d", test_cvt_s_d);
    g_test_add_func("/fpu/nan-boxing", test_nan_boxing);
    g_test_add_func("/fpu/load-store", test_load_store);
    g_test_add_func("/fpu/nan", test_nan);
    g_test_add_func("/fpu/signed-zero", test_signed_zero);
    g_test_add_func("/fpu/overflow", test_overflow);
    g_test_add_func("/fpu/underflow", test_underflow);
    g_test_add_func("/fpu/minmax", test_minmax);
    g_test_add_func("/fpu/compare", test_compare);
    g_test_add_func("/fpu/fclass", test_fclass);
    g_test_add_func("/fpu/cvt-saturate", test_cvt_saturate);
    g_test_add_func("/fpu/fs-and-rm", test_fs_and_rm);
    g_test_add_func("/fpu/host-vs-soft", test_host_vs_soft);
    g_test_add_func("/fpu/rmm-consistency", test_rmm_consistency);
    rc = g_test_run();
    if (g_test_verbose()) {
        g_print("# %u checks\n", n_checks);
    }
    return rc;
}
