/* SPDX-License-Identifier: GPL-2.0-or-later */
/* macros.h: constants, check macros and runtime API of the bare-metal ISA
 * tests (assembly: gas macros; C: CHECK() and inline CSR accessors).
 *
 * Protocol (see README): every check first stores its number in
 * vk_testnum, then compares; the first mismatch prints
 * "FAIL test N (file): ..." on the UART and ends the run with the SiFive
 * test device's fail code N (clamped to 1..255). The end of test_main
 * prints "PASS (file)" and writes the pass code 0x5555.
 *
 * Register use in assembly tests: t5 and t6 belong to the macros; a0 is
 * the result register, a1..a3 the operands. Everything else is free. */
#ifndef VK_ISA_MACROS_H
#define VK_ISA_MACROS_H

#ifdef __ASSEMBLER__
#define VK_UL(x) x
#else
#define VK_UL(x) x##UL
#endif

/* ---- platform (QEMU virt) ------------------------------------------- */
#define VK_RAM_BASE     VK_UL(0x80000000)
#define VK_UART_BASE    VK_UL(0x10000000)
#define VK_TEST_BASE    VK_UL(0x100000)     /* sifive,test1 */
#define VK_CLINT_BASE   VK_UL(0x2000000)
#define VK_CLINT_MSIP   (VK_CLINT_BASE + 0x0)
#define VK_CLINT_MTIMECMP (VK_CLINT_BASE + 0x4000)
#define VK_CLINT_MTIME  (VK_CLINT_BASE + 0xbff8)
#define VK_PLIC_BASE    VK_UL(0xc000000)
#define VK_UART_IRQ     10

/* ---- mstatus (privileged spec §3.1.6) ------------------------------- */
#define MSTATUS_SIE     VK_UL(0x2)
#define MSTATUS_MIE     VK_UL(0x8)
#define MSTATUS_SPIE    VK_UL(0x20)
#define MSTATUS_UBE     VK_UL(0x40)
#define MSTATUS_MPIE    VK_UL(0x80)
#define MSTATUS_SPP     VK_UL(0x100)
#define MSTATUS_VS      VK_UL(0x600)
#define MSTATUS_MPP     VK_UL(0x1800)
#define MSTATUS_MPP_S   VK_UL(0x0800)
#define MSTATUS_MPP_U   VK_UL(0x0000)
#define MSTATUS_FS      VK_UL(0x6000)
#define MSTATUS_FS_INITIAL VK_UL(0x2000)
#define MSTATUS_FS_CLEAN VK_UL(0x4000)
#define MSTATUS_FS_DIRTY VK_UL(0x6000)
#define MSTATUS_XS      VK_UL(0x18000)
#define MSTATUS_MPRV    VK_UL(0x20000)
#define MSTATUS_SUM     VK_UL(0x40000)
#define MSTATUS_MXR     VK_UL(0x80000)
#define MSTATUS_TVM     VK_UL(0x100000)
#define MSTATUS_TW      VK_UL(0x200000)
#define MSTATUS_TSR     VK_UL(0x400000)
#define MSTATUS_UXL     VK_UL(0x300000000)
#define MSTATUS_SXL     VK_UL(0xc00000000)
#define MSTATUS_SD      VK_UL(0x8000000000000000)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* ---- trap causes (§3.1.15) ------------------------------------------ */
#define CAUSE_FETCH_MISALIGNED  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_LOAD_MISALIGNED   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_STORE_MISALIGNED  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15
#define CAUSE_INTR              VK_UL(0x8000000000000000)

#define IRQ_SSI 1
#define IRQ_MSI 3
#define IRQ_STI 5
#define IRQ_MTI 7
#define IRQ_SEI 9
#define IRQ_MEI 11
#define MIP_SSIP (1 << IRQ_SSI)
#define MIP_MSIP (1 << IRQ_MSI)
#define MIP_STIP (1 << IRQ_STI)
#define MIP_MTIP (1 << IRQ_MTI)
#define MIP_SEIP (1 << IRQ_SEI)
#define MIP_MEIP (1 << IRQ_MEI)

/* ---- satp / PTE (§4.1.11, §4.3.1) ----------------------------------- */
#define SATP_MODE_SHIFT 60
#define SATP_MODE_BARE  0
#define SATP_MODE_SV39  8
#define SATP_MODE_SV48  9
#define SATP_MODE_SV57  10
#define SATP_ASID_SHIFT 44
#define PTE_V 0x1
#define PTE_R 0x2
#define PTE_W 0x4
#define PTE_X 0x8
#define PTE_U 0x10
#define PTE_G 0x20
#define PTE_A 0x40
#define PTE_D 0x80

/* ---- PMP (§3.7) ----------------------------------------------------- */
#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_OFF   0x00
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

/* ---- fflags / frm (unprivileged spec §11.2) ------------------------- */
#define FFLAG_NX 0x01
#define FFLAG_UF 0x02
#define FFLAG_OF 0x04
#define FFLAG_DZ 0x08
#define FFLAG_NV 0x10
#define FRM_RNE 0
#define FRM_RTZ 1
#define FRM_RDN 2
#define FRM_RUP 3
#define FRM_RMM 4
#define FRM_DYN 7

#ifdef __ASSEMBLER__
/* ===================================================================== */
/* Assembly side                                                          */
/* ===================================================================== */

/* Tests are plain RV64G unless they opt in to RVC (.option rvc), so that
 * a translator can be brought up on the base ISA first. */
.option norvc

/* The name printed in PASS/FAIL lines. */
#ifndef VK_CRT
.pushsection .rodata.vk_name, "a"
.globl vk_test_name
vk_test_name:
    .asciz __BASE_FILE__
.popsection
#endif

#define TEST_BEGIN  .text; .globl test_main; test_main:
#define TEST_END    j vk_pass

/* TESTNUM n: record the number of the check about to run */
.macro TESTNUM n
    li t6, \n
    sd t6, vk_testnum, t5
.endm

/* CHECK n, reg, exp: fail check n unless reg == exp (an immediate) */
.macro CHECK n, reg, exp
    li t6, \exp
    beq \reg, t6, .Lck\@
    mv a1, \reg
    mv a2, t6
    li a0, \n
    j vk_fail_cmp
.Lck\@:
.endm

/* CHECK_EQ n, reg, reg2: fail check n unless reg == reg2 */
.macro CHECK_EQ n, reg, reg2
    beq \reg, \reg2, .Lck\@
    mv t6, \reg2
    mv a1, \reg
    mv a2, t6
    li a0, \n
    j vk_fail_cmp
.Lck\@:
.endm

/* CHECK_MEM n, symbol, exp: fail unless the dword at symbol == exp */
.macro CHECK_MEM n, sym, exp
    ld t6, \sym
    mv a0, t6
    CHECK \n, a0, \exp
.endm

/* FAIL_HERE n: a path that must not run */
.macro FAIL_HERE n
    li a0, \n
    j vk_fail
.endm

/* ---- register/register and register/immediate ALU ops --------------- */
.macro TEST_RR n, op, exp, v1, v2
    TESTNUM \n
    li a1, \v1
    li a2, \v2
    \op a0, a1, a2
    CHECK \n, a0, \exp
.endm

/* rd aliases rs1 */
.macro TEST_RR_D1 n, op, exp, v1, v2
    TESTNUM \n
    li a1, \v1
    li a2, \v2
    \op a1, a1, a2
    CHECK \n, a1, \exp
.endm

/* rd aliases rs2 */
.macro TEST_RR_D2 n, op, exp, v1, v2
    TESTNUM \n
    li a1, \v1
    li a2, \v2
    \op a2, a1, a2
    CHECK \n, a2, \exp
.endm

/* rd = rs1 = rs2 */
.macro TEST_RR_SAME n, op, exp, v
    TESTNUM \n
    li a1, \v
    \op a1, a1, a1
    CHECK \n, a1, \exp
.endm

/* writes to x0 are discarded */
.macro TEST_RR_X0 n, op, v1, v2
    TESTNUM \n
    li a1, \v1
    li a2, \v2
    \op x0, a1, a2
    CHECK \n, x0, 0
.endm

.macro TEST_RI n, op, exp, v1, imm
    TESTNUM \n
    li a1, \v1
    \op a0, a1, \imm
    CHECK \n, a0, \exp
.endm

.macro TEST_RI_SAME n, op, exp, v1, imm
    TESTNUM \n
    li a1, \v1
    \op a1, a1, \imm
    CHECK \n, a1, \exp
.endm

/* ---- loads and stores ----------------------------------------------- */
.macro TEST_LOAD n, op, exp, off, sym
    TESTNUM \n
    la a1, \sym
    \op a0, \off(a1)
    CHECK \n, a0, \exp
.endm

/* store val with sop at off(sym), read back with lop, expect exp */
.macro TEST_STORE n, sop, lop, exp, val, off, sym
    TESTNUM \n
    la a1, \sym
    li a2, \val
    \sop a2, \off(a1)
    \lop a0, \off(a1)
    CHECK \n, a0, \exp
.endm

/* ---- branches ------------------------------------------------------- */
/* taken, forward and backward */
.macro TEST_BR_TAKEN n, op, v1, v2
    TESTNUM \n
    li a1, \v1
    li a2, \v2
    \op a1, a2, .Lfwd\@
    FAIL_HERE \n
.Lback\@:
    j .Ldone\@
.Lfwd\@:
    \op a1, a2, .Lback\@
    FAIL_HERE \n
.Ldone\@:
.endm

.macro TEST_BR_NOT n, op, v1, v2
    TESTNUM \n
    li a1, \v1
    li a2, \v2
    \op a1, a2, .Lbad\@
    j .Lok\@
.Lbad\@:
    FAIL_HERE \n
.Lok\@:
.endm

/* ---- traps ---------------------------------------------------------- */
/* TRAP_ARM label: the next trap into M-mode is recorded in vk_trap_* and
 * resumes at label, in M-mode with MPIE and MPRV clear. */
.macro TRAP_ARM label
    la t6, \label
    sd t6, vk_trap_resume, t5
.endm

.macro TRAP_DISARM
    sd zero, vk_trap_resume, t5
.endm

/* after resuming: check the recorded M-mode trap */
.macro CHECK_TRAP n, cause
    ld a0, vk_trap_cause
    CHECK \n, a0, \cause
.endm

.macro CHECK_TVAL n, tval
    ld a0, vk_trap_tval
    CHECK \n, a0, \tval
.endm

.macro CHECK_EPC_AT n, label
    ld a0, vk_trap_epc
    la a1, \label
    CHECK_EQ \n, a0, a1
.endm

/* TEST_TRAP(n, cause, insn; insn...): the sequence must trap into M-mode
 * with this cause; execution resumes after the macro. Local labels 88 and
 * 89 belong to the trap macros. */
#define TEST_TRAP(n, cause, ...) \
    TESTNUM n; TRAP_ARM 89f; \
    __VA_ARGS__; \
    li a0, n; j vk_fail_notrap; \
89: CHECK_TRAP n, cause

/* same, and the faulting instruction is the (single) insn given; checks
 * mepc and mtval too */
#define TEST_TRAP_AT(n, cause, tval, ...) \
    TESTNUM n; TRAP_ARM 89f; \
88: __VA_ARGS__; \
    li a0, n; j vk_fail_notrap; \
89: CHECK_TRAP n, cause; CHECK_EPC_AT n, 88b; CHECK_TVAL n, tval

/* insn must not trap */
#define TEST_NO_TRAP(n, ...) \
    TESTNUM n; TRAP_ARM 89f; \
    __VA_ARGS__; \
    TRAP_DISARM; j 88f; \
89: li a0, n; j vk_fail_trap; \
88:

/* ---- floating point ------------------------------------------------- */
/* operands are given as bit patterns; singles are NaN-boxed by fmv.w.x */
.macro FP_IN_s freg, bits
    li t6, \bits
    fmv.w.x \freg, t6
.endm
.macro FP_IN_d freg, bits
    li t6, \bits
    fmv.d.x \freg, t6
.endm
/* results: fmv.x.w sign-extends bit 31 */
.macro FP_OUT_s reg, freg
    fmv.x.w \reg, \freg
.endm
.macro FP_OUT_d reg, freg
    fmv.x.d \reg, \freg
.endm

/* fail check n unless fflags == flags; then clears fflags */
.macro CHECK_FLAGS n, flags
    csrrw a0, fflags, zero
    li t6, \flags
    beq a0, t6, .Lck\@
    mv a1, a0
    mv a2, t6
    li a0, \n
    j vk_fail_flags
.Lck\@:
.endm

/* TEST_FP(n, f, exp, flags, a, b, c, insn): fa1..fa3 = a, b, c (format f,
 * s or d), fflags cleared, insn (writing fa0) runs; checks fa0 == exp and
 * fflags == flags */
#define TEST_FP(n, f, exp, flags, a, b, c, ...) \
    TESTNUM n; FP_IN_##f fa1, a; FP_IN_##f fa2, b; FP_IN_##f fa3, c; \
    csrw fflags, zero; __VA_ARGS__; FP_OUT_##f a0, fa0; \
    CHECK n, a0, exp; CHECK_FLAGS n, flags

/* TEST_FP_INT(n, f, exp, flags, a, b, insn): insn writes integer a0 */
#define TEST_FP_INT(n, f, exp, flags, a, b, ...) \
    TESTNUM n; FP_IN_##f fa1, a; FP_IN_##f fa2, b; \
    csrw fflags, zero; __VA_ARGS__; \
    CHECK n, a0, exp; CHECK_FLAGS n, flags

/* TEST_FP_FROM_INT(n, f, exp, flags, x, insn): a1 = x; insn writes fa0 */
#define TEST_FP_FROM_INT(n, f, exp, flags, x, ...) \
    TESTNUM n; li a1, x; \
    csrw fflags, zero; __VA_ARGS__; FP_OUT_##f a0, fa0; \
    CHECK n, a0, exp; CHECK_FLAGS n, flags

/* the usual shapes: op, rounding mode (the N forms have none), the
 * expected result and fflags, then the operands */
#define TEST_FP1(n, f, op, rm, exp, flags, a) \
    TEST_FP(n, f, exp, flags, a, 0, 0, op fa0, fa1, rm)
#define TEST_FP1N(n, f, op, exp, flags, a) \
    TEST_FP(n, f, exp, flags, a, 0, 0, op fa0, fa1)
#define TEST_FP2(n, f, op, rm, exp, flags, a, b) \
    TEST_FP(n, f, exp, flags, a, b, 0, op fa0, fa1, fa2, rm)
#define TEST_FP2N(n, f, op, exp, flags, a, b) \
    TEST_FP(n, f, exp, flags, a, b, 0, op fa0, fa1, fa2)
#define TEST_FP3(n, f, op, rm, exp, flags, a, b, c) \
    TEST_FP(n, f, exp, flags, a, b, c, op fa0, fa1, fa2, fa3, rm)
#define TEST_FP3N(n, f, op, exp, flags, a, b, c) \
    TEST_FP(n, f, exp, flags, a, b, c, op fa0, fa1, fa2, fa3)
/* compare (a0 = op(a, b)), classify and convert to integer (a0) */
#define TEST_FP_CMP(n, f, op, exp, flags, a, b) \
    TEST_FP_INT(n, f, exp, flags, a, b, op a0, fa1, fa2)
#define TEST_FP_CLASS(n, f, op, exp, flags, a) \
    TEST_FP_INT(n, f, exp, flags, a, 0, op a0, fa1)
#define TEST_FP_TOINT(n, f, op, rm, exp, flags, a) \
    TEST_FP_INT(n, f, exp, flags, a, 0, op a0, fa1, rm)
/* convert from integer x */
#define TEST_FP_FROMINT(n, f, op, rm, exp, flags, x) \
    TEST_FP_FROM_INT(n, f, exp, flags, x, op fa0, a1, rm)
#define TEST_FP_FROMINTN(n, f, op, exp, flags, x) \
    TEST_FP_FROM_INT(n, f, exp, flags, x, op fa0, a1)
/* convert between formats (operand format f), result moved out by mv */
#define TEST_FP_CVT(n, f, op, rm, mv, exp, flags, a) \
    TEST_FP_INT(n, f, exp, flags, a, 0, op fa0, fa1, rm; mv a0, fa0)
#define TEST_FP_CVTN(n, f, op, mv, exp, flags, a) \
    TEST_FP_INT(n, f, exp, flags, a, 0, op fa0, fa1; mv a0, fa0)

/* ---- privilege switches --------------------------------------------- */
/* GOTO_MODE prv, label: from M-mode, continue at label in mode prv
 * (clobbers t0) */
.macro GOTO_MODE prv, label
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (\prv << 11)
    csrs mstatus, t0
    la t0, \label
    csrw mepc, t0
    mret
.endm

/* BACK_TO_M: from any mode, raise an ecall that resumes (in M) at label */
.macro BACK_TO_M label
    TRAP_ARM \label
    ecall
.endm

#else /* !__ASSEMBLER__ */
/* ===================================================================== */
/* C side                                                                 */
/* ===================================================================== */
#include <stdint.h>

const char vk_test_name[] = __BASE_FILE__;

extern volatile unsigned long vk_testnum;
extern volatile unsigned long vk_trap_resume, vk_trap_hook;
extern volatile unsigned long vk_trap_cause, vk_trap_epc, vk_trap_tval;
extern volatile unsigned long vk_trap_mstatus, vk_trap_count;
extern volatile unsigned long vk_strap_cause, vk_strap_epc, vk_strap_tval;
extern volatile unsigned long vk_strap_status, vk_strap_count;
extern volatile unsigned long vk_call_trapped, vk_call_ret_addr;
extern char vk_call_return[];
extern char vk_image_end[];

int test_main(void);
void vk_pass(void) __attribute__((noreturn));
void vk_fail(long n) __attribute__((noreturn));
void vk_fail_cmp(long n, unsigned long got, unsigned long exp)
    __attribute__((noreturn));
void vk_fail_msg(long n, const char *msg) __attribute__((noreturn));
void vk_putc(int c);
void vk_puts(const char *s);
void vk_puthex(unsigned long v);
void vk_putdec(unsigned long v);

/* vk_call_mode: run fn(arg) in privilege mode prv (PRV_U/S/M) on stack sp
 * (0: keep the current one). Returns fn's result; when fn traps into
 * M-mode instead, returns -1 with vk_call_trapped = 1 and the trap in
 * vk_trap_*. fn returns through vk_call_return (or vk_call_ret_addr if
 * set: an alias of it that the mode can execute). */
long vk_call_mode(long prv, long (*fn)(long), long arg, void *sp);

#define CHECK(n, got, exp) do { \
        vk_testnum = (n); \
        unsigned long g_ = (unsigned long)(got); \
        unsigned long e_ = (unsigned long)(exp); \
        if (g_ != e_) { \
            vk_fail_cmp((n), g_, e_); \
        } \
    } while (0)

#define CHECK_TRUE(n, cond) do { \
        vk_testnum = (n); \
        if (!(cond)) { \
            vk_fail_msg((n), #cond); \
        } \
    } while (0)

/* TRY(insns, arg): run the assembly insns with a1 = arg and a trap armed;
 * returns the trap cause, or -1 when nothing trapped (then vk_trap_* are
 * stale). insns may use a0..a5 and a numeric label other than 1. */
#define TRY(insns, arg) ({ \
        register unsigned long a1_ __asm__("a1") = (unsigned long)(arg); \
        vk_trap_cause = -1UL; \
        __asm__ volatile("la t6, 1f\n\tsd t6, vk_trap_resume, t5\n\t" \
                         insns "\n\tsd zero, vk_trap_resume, t5\n1:" \
                         : "+r"(a1_) : \
                         : "t5", "t6", "a0", "a2", "a3", "a4", "a5", \
                           "memory"); \
        vk_trap_cause; })

/* soft checks: report every mismatch and go on; vk_soft_done() ends the
 * program as a failure of the first failing check, if any */
static long vk_soft_first __attribute__((unused));
static long vk_soft_count __attribute__((unused));

static inline void __attribute__((unused))
vk_soft(long n, const char *what, unsigned long got, unsigned long exp)
{
    vk_testnum = n;
    if (got == exp) {
        vk_puts("ok ");
        vk_putdec(n);
        vk_puts(" ");
        vk_puts(what);
        vk_puts("\n");
        return;
    }
    vk_puts("not ok ");
    vk_putdec(n);
    vk_puts(" ");
    vk_puts(what);
    vk_puts(": got ");
    vk_puthex(got);
    vk_puts(" expected ");
    vk_puthex(exp);
    vk_puts("\n");
    if (!vk_soft_count++) {
        vk_soft_first = n;
    }
}

static inline int __attribute__((unused)) vk_soft_done(void)
{
    if (vk_soft_count) {
        vk_fail_msg(vk_soft_first, "(first of the failed checks above)");
    }
    return 0;
}

#define csr_read(csr) ({ unsigned long v_; \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_) :: "memory"); v_; })
#define csr_write(csr, v) \
    __asm__ volatile("csrw " #csr ", %0" :: "r"((unsigned long)(v)) : "memory")
#define csr_set(csr, v) \
    __asm__ volatile("csrs " #csr ", %0" :: "r"((unsigned long)(v)) : "memory")
#define csr_clear(csr, v) \
    __asm__ volatile("csrc " #csr ", %0" :: "r"((unsigned long)(v)) : "memory")

static inline void sfence_vma_all(void)
{
    __asm__ volatile("sfence.vma" ::: "memory");
}

static inline void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

static inline void mmio_write32(unsigned long addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(unsigned long addr)
{
    return *(volatile uint32_t *)addr;
}

#endif /* __ASSEMBLER__ */
#endif /* VK_ISA_MACROS_H */
