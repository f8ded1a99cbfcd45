/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smc.c: self-modifying code (unprivileged spec ch. 3, Zifencei): stores
 * to instructions become visible to the hart's fetches after FENCE.I.
 * Covers: patching a function then calling it; code that patches the
 * instruction just ahead of it in the same block and page; patching an
 * instruction of a loop that has already run; generating code in a data
 * buffer, running it, rewriting it (200 times, and 16-bit instructions
 * over 32-bit ones); and, with Sv39, writing code through one virtual
 * alias and running it through another (translation keyed by physical
 * page). */
#include "macros.h"

#define ADDI_A0_ZERO(imm)   (((uint32_t)(imm) << 20) | 0x00000513u)
#define ADDI_A0_A0(imm)     (((uint32_t)(imm) << 20) | 0x00050513u)
#define ADDI_A4_ZERO(imm)   (((uint32_t)(imm) << 20) | 0x00000713u)
#define RET                 0x00008067u
#define C_LI_A0(imm)        ((uint16_t)(0x4501u | ((imm) & 0x1f) << 2))
#define C_JR_RA             ((uint16_t)0x8082u)
#define C_ADDI_A0(imm)      ((uint16_t)(0x0501u | ((imm) & 0x1f) << 2))

/* patch_self(insn): stores insn over its own "1:" instruction, FENCE.I,
 * runs it: returns what the new instruction put in a0.
 * patch_loop(insn): a 3-pass loop whose first pass patches an instruction
 * of the loop body that already ran: (old value) + 2 * (insn's value).
 * patch_fn: a function for the others to patch (li a0, 1). */
extern long patch_self(uint32_t insn);
extern long patch_loop(uint32_t insn);
extern long patch_fn(long);
extern uint32_t patch_fn_insn[];
__asm__(
    "   .pushsection .text.smc, \"ax\", @progbits\n"
    "   .option push\n"
    "   .option norvc\n"
    "   .balign 64\n"
    "patch_self:\n"
    "   la a1, 1f\n"
    "   sw a0, 0(a1)\n"
    "   fence.i\n"
    "1: addi a0, zero, 7\n"
    "   ret\n"
    "   .balign 64\n"
    "patch_loop:\n"
    "   li a2, 0\n"
    "   li a3, 0\n"
    "2:\n"
    "1: addi a4, zero, 1\n"
    "   add a3, a3, a4\n"
    "   addi a2, a2, 1\n"
    "   li a5, 1\n"
    "   bne a2, a5, 3f\n"
    "   la a1, 1b\n"
    "   sw a0, 0(a1)\n"
    "   fence.i\n"
    "3: li a5, 3\n"
    "   blt a2, a5, 2b\n"
    "   mv a0, a3\n"
    "   ret\n"
    "   .balign 64\n"
    "patch_fn:\n"
    "patch_fn_insn:\n"
    "   addi a0, zero, 1\n"
    "   ret\n"
    "   .option pop\n"
    "   .popsection\n");

static uint32_t code[1024] __attribute__((aligned(4096)));
static uint64_t ptroot[512] __attribute__((aligned(4096)));
static uint64_t ptl1[512] __attribute__((aligned(4096)));
static uint64_t ptl0[512] __attribute__((aligned(4096)));

#define VA_X 0x40000000UL   /* the code page, R X */
#define VA_W 0x40001000UL   /* the same page, R W */

static long call_code(long arg)
{
    return ((long (*)(long))code)(arg);
}

/* S-mode: rewrite the code through VA_W, FENCE.I, run it through VA_X */
static long s_rewrite_and_run(long imm)
{
    volatile uint32_t *w = (volatile uint32_t *)VA_W;

    w[0] = ADDI_A0_A0(imm);
    w[1] = RET;
    fence_i();
    return ((long (*)(long))VA_X)(100);
}

int test_main(void)
{
    long sum;
    int i;

    /* ---- a function is patched, then called ---- */
    CHECK(1, patch_fn(0), 1);
    patch_fn_insn[0] = ADDI_A0_ZERO(2);
    fence_i();
    CHECK(2, patch_fn(0), 2);
    patch_fn_insn[0] = ADDI_A0_ZERO(-3);
    fence_i();
    CHECK(3, patch_fn(0), -3);

    /* ---- the running code patches the instruction ahead of it ---- */
    CHECK(10, patch_self(ADDI_A0_ZERO(42)), 42);
    CHECK(11, patch_self(ADDI_A0_ZERO(43)), 43);
    CHECK(12, patch_self(ADDI_A0_ZERO(-1)), -1);

    /* ---- a loop patches its own body after it ran once ---- */
    CHECK(20, patch_loop(ADDI_A4_ZERO(10)), 21);
    /* its first pass now runs the instruction patched in last time */
    CHECK(21, patch_loop(ADDI_A4_ZERO(100)), 10 + 2 * 100);

    /* ---- code written to a buffer, run, rewritten, run again ---- */
    code[0] = ADDI_A0_A0(1);
    code[1] = RET;
    fence_i();
    CHECK(30, call_code(10), 11);
    code[0] = ADDI_A0_A0(5);
    fence_i();
    CHECK(31, call_code(10), 15);
    sum = 0;
    for (i = 0; i < 200; i++) {
        code[0] = ADDI_A0_A0(i);
        fence_i();
        sum += call_code(1);
    }
    CHECK(32, sum, 200 + 199 * 200 / 2);
    /* 16-bit instructions over 32-bit ones, and back */
    ((uint16_t *)code)[0] = C_LI_A0(9);
    ((uint16_t *)code)[1] = C_JR_RA;
    fence_i();
    CHECK(33, call_code(0), 9);
    ((uint16_t *)code)[0] = C_ADDI_A0(3);
    fence_i();
    CHECK(34, call_code(4), 7);
    code[0] = ADDI_A0_ZERO(77);
    code[1] = RET;
    fence_i();
    CHECK(35, call_code(0), 77);
    /* a longer function, changed in its middle */
    for (i = 0; i < 64; i++) {
        code[i] = ADDI_A0_A0(1);
    }
    code[64] = RET;
    fence_i();
    CHECK(36, call_code(0), 64);
    code[32] = ADDI_A0_A0(100);
    fence_i();
    CHECK(37, call_code(0), 163);
    code[63] = RET;
    fence_i();
    CHECK(38, call_code(0), 162);

    /* ---- through two virtual aliases of one physical page (S-mode) ---- */
    code[0] = ADDI_A0_A0(1);
    code[1] = RET;
    ptroot[2] = (0x80000000UL >> 12) << 10 | PTE_V | PTE_R | PTE_W | PTE_X |
        PTE_A | PTE_D;
    ptroot[1] = ((unsigned long)ptl1 >> 12) << 10 | PTE_V;
    ptl1[0] = ((unsigned long)ptl0 >> 12) << 10 | PTE_V;
    ptl0[0] = ((unsigned long)code >> 12) << 10 | PTE_V | PTE_R | PTE_X |
        PTE_A;
    ptl0[1] = ((unsigned long)code >> 12) << 10 | PTE_V | PTE_R | PTE_W |
        PTE_A | PTE_D;
    csr_write(satp, (unsigned long)SATP_MODE_SV39 << 60 |
              (unsigned long)ptroot >> 12);
    sfence_vma_all();
    fence_i();
    CHECK(40, vk_call_mode(PRV_S, (long (*)(long))VA_X, 100, 0), 101);
    CHECK(41, vk_call_mode(PRV_S, s_rewrite_and_run, 5, 0), 105);
    CHECK(42, vk_call_mode(PRV_S, s_rewrite_and_run, 6, 0), 106);
    CHECK(43, code[0], ADDI_A0_A0(6));
    /* M writes through the physical address, S runs the alias */
    code[0] = ADDI_A0_A0(-100);
    fence_i();
    CHECK(44, vk_call_mode(PRV_S, (long (*)(long))VA_X, 100, 0), 0);
    csr_write(satp, 0);
    sfence_vma_all();
    return 0;
}
