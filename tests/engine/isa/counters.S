/* SPDX-License-Identifier: GPL-2.0-or-later */
/* counters.S: the Zicntr counters (unprivileged spec ch. 10, privileged
 * §3.1.10): mcycle/minstret and their cycle/instret views advance, time
 * follows the CLINT's mtime (also after mtime is written), the counters
 * keep counting across traps and in S and U. Only monotonic increase and
 * a lower bound are checked here: QEMU without -icount derives minstret
 * from host time, so the exact count (N instructions retired between two
 * reads = N + 1) is checked in strict.c. */
#include "macros.h"

#define N 1000

TEST_BEGIN
    /* ---- minstret advances by at least the instructions run ---- */
    TESTNUM 1
    csrr s1, minstret
    .rept N
    addi a0, a0, 1
    .endr
    csrr s2, minstret
    sub a0, s2, s1
    li a1, N
    bgeu a0, a1, 1f
    mv a2, a1
    mv a1, a0
    li a0, 1
    j vk_fail_cmp               /* got the delta, expected at least N */
1:  TESTNUM 2                   /* instret is the same counter */
    csrr s1, instret
    .rept N
    addi a0, a0, 1
    .endr
    csrr s2, instret
    sub a0, s2, s1
    li a1, N
    bgeu a0, a1, 1f
    FAIL_HERE 2
1:  TESTNUM 3                   /* mcycle and cycle advance */
    csrr s1, mcycle
    .rept 100
    addi a0, a0, 1
    .endr
    csrr s2, mcycle
    bltu s1, s2, 1f
    FAIL_HERE 3
1:  csrr s1, cycle
    .rept 100
    addi a0, a0, 1
    .endr
    csrr s2, cycle
    bltu s1, s2, 1f
    FAIL_HERE 4
1:  TESTNUM 5                   /* a loop: 3 instructions x 1000 */
    csrr s1, minstret
    li a2, 1000
2:  addi a0, a0, 1
    addi a2, a2, -1
    bnez a2, 2b
    csrr s2, minstret
    sub a0, s2, s1
    li a1, 3000
    bgeu a0, a1, 1f
    FAIL_HERE 5
1:  TESTNUM 6                   /* reads never go backwards */
    li a2, 1000
    csrr s1, minstret
    csrr s3, mcycle
    csrr s5, time
2:  csrr s2, minstret
    csrr s4, mcycle
    csrr s6, time
    bgeu s1, s2, 3f
    bgeu s3, s4, 3f
    bltu s6, s5, 3f
    mv s1, s2
    mv s3, s4
    mv s5, s6
    addi a2, a2, -1
    bnez a2, 2b
    j 1f
3:  FAIL_HERE 6
1:  TESTNUM 7                   /* they count across a trap */
    csrr s1, minstret
    csrr s3, mcycle
    TRAP_ARM 2f
    ecall
2:  csrr s2, minstret
    csrr s4, mcycle
    bltu s1, s2, 1f
    FAIL_HERE 7
1:  bltu s3, s4, 1f
    FAIL_HERE 8
1:  TESTNUM 9                   /* and in S and U */
    li a0, 7
    csrw mcounteren, a0
    csrw scounteren, a0
    csrr s1, minstret
    csrr s3, mcycle
    TRAP_ARM 2f
    GOTO_MODE PRV_U, 1f
1:  rdinstret a4
    .rept 100
    nop
    .endr
    rdinstret a5
    rdcycle a6
    ecall
2:  csrr s2, minstret
    bltu s1, a4, 1f
    FAIL_HERE 9
1:  sub a0, a5, a4
    li a1, 100
    bgeu a0, a1, 1f
    FAIL_HERE 10
1:  bltu a5, s2, 1f
    FAIL_HERE 11
1:  bltu s3, a6, 1f
    FAIL_HERE 12
1:  csrw mcounteren, zero
    csrw scounteren, zero

    /* ---- time is mtime ---- */
    TESTNUM 20
    li t0, VK_CLINT_MTIME
    ld a1, 0(t0)
    csrr a2, time
    ld a3, 0(t0)
    bgeu a2, a1, 1f
    FAIL_HERE 20
1:  bgeu a3, a2, 1f
    FAIL_HERE 21
1:  TESTNUM 22                  /* mtime is writable; time follows */
    li t0, VK_CLINT_MTIME
    li a1, 0x0123456700000000
    sd a1, 0(t0)
    csrr a2, time
    ld a3, 0(t0)
    bgeu a2, a1, 1f
    FAIL_HERE 22
1:  sub a0, a2, a1              /* and it went on from there: < 1 s */
    li t1, 10000000
    bltu a0, t1, 1f
    FAIL_HERE 23
1:  bgeu a3, a2, 1f
    FAIL_HERE 24
1:  TESTNUM 25                  /* 32-bit halves of mtime */
    li t0, VK_CLINT_MTIME
    lwu a1, 4(t0)
    CHECK 25, a1, 0x01234567
    TESTNUM 26                  /* mtimecmp compares with the new mtime */
    li t0, VK_CLINT_MTIME
    ld a1, 0(t0)
    li t1, 100000
    add a1, a1, t1
    li t0, VK_CLINT_MTIMECMP
    sd a1, 0(t0)
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    CHECK 26, a0, 0
    li t0, VK_CLINT_MTIMECMP
    li t1, 0x0123456700000000
    sd t1, 0(t0)
    li a2, 100000
1:  csrr a0, mip
    andi a0, a0, MIP_MTIP
    bnez a0, 2f
    addi a2, a2, -1
    bnez a2, 1b
    FAIL_HERE 27
2:  li t0, VK_CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)

    TEST_END
