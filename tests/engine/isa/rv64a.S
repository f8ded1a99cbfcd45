/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rv64a.S: the A extension (unprivileged spec ch. 8): LR/SC as far as the
 * spec guarantees (SC without a reservation fails and does not write, SC
 * after an SC fails, LR then SC to the same address succeeds, LR.W
 * sign-extends, SC.W writes 32 bits), every AMO in .W and .D (old value
 * sign-extended for .W, only the word written), .aq/.rl forms, rd = x0 and
 * aliasing, and misaligned LR (load address-misaligned or access fault,
 * mtval = address). Misaligned AMOs are in strict.S: QEMU 7.2 reports them
 * with the load cause 4, the spec requires store/AMO cause 6 or 7. */
#include "macros.h"

/* op at off(amo_data) pre-filled with init, rs2 = val: checks rd = exp_rd
 * and then the whole dword = exp_mem */
.macro TEST_AMO n, op, exp_rd, exp_mem, off, init, val
    TESTNUM \n
    la a1, amo_data
    li a3, \init
    sd a3, 0(a1)
    addi a1, a1, \off
    li a2, \val
    \op a0, a2, (a1)
    CHECK \n, a0, \exp_rd
    la a1, amo_data
    ld a0, 0(a1)
    CHECK \n, a0, \exp_mem
.endm

TEST_BEGIN
    /* ---- LR/SC ---- */
    /* SC with no LR executed before in this program fails, and does not
     * write memory */
    TESTNUM 1
    la a1, amo_data
    li a2, 0x1111
    sd a2, 0(a1)
    li a3, 0x2222
    sc.d a0, a3, (a1)
    bnez a0, 1f
    FAIL_HERE 1
1:  ld a0, 0(a1)
    CHECK 2, a0, 0x1111
    TESTNUM 3
    sc.w a0, a3, (a1)
    bnez a0, 1f
    FAIL_HERE 3
1:  ld a0, 0(a1)
    CHECK 4, a0, 0x1111

    /* LR.D then SC.D to the same address succeeds (rd = 0) and writes */
    TESTNUM 10
    la a1, amo_data
    li a2, 0x0123456789abcdef
    sd a2, 0(a1)
    lr.d a0, (a1)
    CHECK 10, a0, 0x0123456789abcdef
    li a3, 0xfedcba9876543210
    sc.d a0, a3, (a1)
    CHECK 11, a0, 0
    ld a0, 0(a1)
    CHECK 12, a0, 0xfedcba9876543210
    /* a second SC, without a new LR, fails and does not write */
    TESTNUM 13
    li a3, 0x5555
    sc.d a0, a3, (a1)
    bnez a0, 1f
    FAIL_HERE 13
1:  ld a0, 0(a1)
    CHECK 14, a0, 0xfedcba9876543210

    /* LR.W sign-extends, SC.W writes only the word */
    TESTNUM 20
    la a1, amo_data
    li a2, 0x1234567880000001
    sd a2, 0(a1)
    lr.w a0, (a1)
    CHECK 20, a0, 0xffffffff80000001
    li a3, 0xaaaaaaaa7ffffffe
    sc.w a0, a3, (a1)
    CHECK 21, a0, 0
    ld a0, 0(a1)
    CHECK 22, a0, 0x123456787ffffffe
    TESTNUM 23                  /* the upper word */
    addi a1, a1, 4
    lr.w a0, (a1)
    CHECK 23, a0, 0x12345678
    li a3, 0x87654321
    sc.w a0, a3, (a1)
    CHECK 24, a0, 0
    ld a0, -4(a1)
    CHECK 25, a0, 0x876543217ffffffe
    TESTNUM 26                  /* SC after a failed SC also fails */
    sc.w a0, a3, (a1)
    beqz a0, 2f
    sc.w a0, a3, (a1)
    bnez a0, 1f
2:  FAIL_HERE 26

    /* .aq / .rl / .aqrl forms */
1:  TESTNUM 30
    la a1, amo_data
    sd zero, 0(a1)
    lr.d.aq a0, (a1)
    li a3, 30
    sc.d.rl a0, a3, (a1)
    CHECK 30, a0, 0
    lr.d.aqrl a0, (a1)
    CHECK 31, a0, 30
    li a3, 31
    sc.d.aqrl a0, a3, (a1)
    CHECK 32, a0, 0
    lr.w.aq a0, (a1)
    CHECK 33, a0, 31
    li a3, 33
    sc.w.aqrl a0, a3, (a1)
    CHECK 34, a0, 0
    ld a0, 0(a1)
    CHECK 35, a0, 33

    /* an LR/SC loop: atomic add of 1, ten times */
    TESTNUM 40
    la a1, amo_data
    li a2, 100
    sd a2, 0(a1)
    li a4, 10
1:  lr.d a0, (a1)
    addi a0, a0, 1
    sc.d a3, a0, (a1)
    bnez a3, 1b
    addi a4, a4, -1
    bnez a4, 1b
    ld a0, 0(a1)
    CHECK 40, a0, 110

    /* SC with rd = rs2 */
    TESTNUM 41
    la a1, amo_data
    lr.d a0, (a1)
    li a2, 77
    sc.d a2, a2, (a1)
    CHECK 41, a2, 0
    ld a0, 0(a1)
    CHECK 42, a0, 77

    /* misaligned LR: load address-misaligned (4) or load access fault (5),
     * mtval = the address */
    TESTNUM 50
    la a1, amo_data
    addi a1, a1, 2
    TRAP_ARM 1f
    lr.w a0, (a1)
    li a0, 50
    j vk_fail_notrap
1:  ld a0, vk_trap_cause
    li a2, CAUSE_LOAD_MISALIGNED
    beq a0, a2, 2f
    CHECK 50, a0, CAUSE_LOAD_ACCESS
2:  ld a0, vk_trap_tval
    CHECK_EQ 51, a0, a1
    TESTNUM 52
    la a1, amo_data
    addi a1, a1, 4
    TRAP_ARM 1f
    lr.d a0, (a1)
    li a0, 52
    j vk_fail_notrap
1:  ld a0, vk_trap_cause
    li a2, CAUSE_LOAD_MISALIGNED
    beq a0, a2, 2f
    CHECK 52, a0, CAUSE_LOAD_ACCESS
2:  ld a0, vk_trap_tval
    CHECK_EQ 53, a0, a1

    /* ---- amoswap.d / amoswap.w ---- */
    TEST_AMO 100, amoswap.d, 0x123456789abcdef, 0x1111111111111111, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 101, amoswap.d, 0xffffffffffffffff, 0x1, 0, 0xffffffffffffffff, 0x1
    TEST_AMO 102, amoswap.d, 0x8000000000000000, 0x7fffffffffffffff, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 103, amoswap.d, 0x5, 0xfffffffffffffffb, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 104, amoswap.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 105, amoswap.w, 0xffffffff89abcdef, 0xcccccccc11111111, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 106, amoswap.w, 0xffffffffffffffff, 0xcccccccc00000001, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 107, amoswap.w, 0xffffffff80000000, 0xcccccccc7fffffff, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 108, amoswap.w, 0x5, 0xccccccccfffffffb, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 109, amoswap.w, 0x7fffffff, 0xcccccccc00000001, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 110, amoswap.w, 0xffffffffffffffff, 0x133333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amoadd.d / amoadd.w ---- */
    TEST_AMO 200, amoadd.d, 0x123456789abcdef, 0x123456789abcdf00, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 201, amoadd.d, 0xffffffffffffffff, 0x0, 0, 0xffffffffffffffff, 0x1
    TEST_AMO 202, amoadd.d, 0x8000000000000000, 0xffffffffffffffff, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 203, amoadd.d, 0x5, 0x0, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 204, amoadd.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 205, amoadd.w, 0xffffffff89abcdef, 0xcccccccc9abcdf00, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 206, amoadd.w, 0xffffffffffffffff, 0xcccccccc00000000, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 207, amoadd.w, 0xffffffff80000000, 0xccccccccffffffff, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 208, amoadd.w, 0x5, 0xcccccccc00000000, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 209, amoadd.w, 0x7fffffff, 0xcccccccc80000000, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 210, amoadd.w, 0xffffffffffffffff, 0x33333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amoxor.d / amoxor.w ---- */
    TEST_AMO 300, amoxor.d, 0x123456789abcdef, 0x1032547698badcfe, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 301, amoxor.d, 0xffffffffffffffff, 0xfffffffffffffffe, 0, \
             0xffffffffffffffff, 0x1
    TEST_AMO 302, amoxor.d, 0x8000000000000000, 0xffffffffffffffff, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 303, amoxor.d, 0x5, 0xfffffffffffffffe, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 304, amoxor.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 305, amoxor.w, 0xffffffff89abcdef, 0xcccccccc98badcfe, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 306, amoxor.w, 0xffffffffffffffff, 0xccccccccfffffffe, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 307, amoxor.w, 0xffffffff80000000, 0xccccccccffffffff, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 308, amoxor.w, 0x5, 0xccccccccfffffffe, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 309, amoxor.w, 0x7fffffff, 0xcccccccc7ffffffe, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 310, amoxor.w, 0xffffffffffffffff, 0xfffffffe33333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amoand.d / amoand.w ---- */
    TEST_AMO 400, amoand.d, 0x123456789abcdef, 0x101010101010101, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 401, amoand.d, 0xffffffffffffffff, 0x1, 0, 0xffffffffffffffff, 0x1
    TEST_AMO 402, amoand.d, 0x8000000000000000, 0x0, 0, 0x8000000000000000, \
             0x7fffffffffffffff
    TEST_AMO 403, amoand.d, 0x5, 0x1, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 404, amoand.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 405, amoand.w, 0xffffffff89abcdef, 0xcccccccc01010101, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 406, amoand.w, 0xffffffffffffffff, 0xcccccccc00000001, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 407, amoand.w, 0xffffffff80000000, 0xcccccccc00000000, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 408, amoand.w, 0x5, 0xcccccccc00000001, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 409, amoand.w, 0x7fffffff, 0xcccccccc00000001, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 410, amoand.w, 0xffffffffffffffff, 0x133333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amoor.d / amoor.w ---- */
    TEST_AMO 500, amoor.d, 0x123456789abcdef, 0x1133557799bbddff, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 501, amoor.d, 0xffffffffffffffff, 0xffffffffffffffff, 0, \
             0xffffffffffffffff, 0x1
    TEST_AMO 502, amoor.d, 0x8000000000000000, 0xffffffffffffffff, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 503, amoor.d, 0x5, 0xffffffffffffffff, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 504, amoor.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 505, amoor.w, 0xffffffff89abcdef, 0xcccccccc99bbddff, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 506, amoor.w, 0xffffffffffffffff, 0xccccccccffffffff, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 507, amoor.w, 0xffffffff80000000, 0xccccccccffffffff, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 508, amoor.w, 0x5, 0xccccccccffffffff, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 509, amoor.w, 0x7fffffff, 0xcccccccc7fffffff, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 510, amoor.w, 0xffffffffffffffff, 0xffffffff33333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amomin.d / amomin.w ---- */
    TEST_AMO 600, amomin.d, 0x123456789abcdef, 0x123456789abcdef, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 601, amomin.d, 0xffffffffffffffff, 0xffffffffffffffff, 0, \
             0xffffffffffffffff, 0x1
    TEST_AMO 602, amomin.d, 0x8000000000000000, 0x8000000000000000, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 603, amomin.d, 0x5, 0xfffffffffffffffb, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 604, amomin.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 605, amomin.w, 0xffffffff89abcdef, 0xcccccccc89abcdef, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 606, amomin.w, 0xffffffffffffffff, 0xccccccccffffffff, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 607, amomin.w, 0xffffffff80000000, 0xcccccccc80000000, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 608, amomin.w, 0x5, 0xccccccccfffffffb, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 609, amomin.w, 0x7fffffff, 0xcccccccc00000001, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 610, amomin.w, 0xffffffffffffffff, 0xffffffff33333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amomax.d / amomax.w ---- */
    TEST_AMO 700, amomax.d, 0x123456789abcdef, 0x1111111111111111, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 701, amomax.d, 0xffffffffffffffff, 0x1, 0, 0xffffffffffffffff, 0x1
    TEST_AMO 702, amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 703, amomax.d, 0x5, 0x5, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 704, amomax.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 705, amomax.w, 0xffffffff89abcdef, 0xcccccccc11111111, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 706, amomax.w, 0xffffffffffffffff, 0xcccccccc00000001, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 707, amomax.w, 0xffffffff80000000, 0xcccccccc7fffffff, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 708, amomax.w, 0x5, 0xcccccccc00000005, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 709, amomax.w, 0x7fffffff, 0xcccccccc7fffffff, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 710, amomax.w, 0xffffffffffffffff, 0x133333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amominu.d / amominu.w ---- */
    TEST_AMO 800, amominu.d, 0x123456789abcdef, 0x123456789abcdef, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 801, amominu.d, 0xffffffffffffffff, 0x1, 0, 0xffffffffffffffff, 0x1
    TEST_AMO 802, amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 803, amominu.d, 0x5, 0x5, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 804, amominu.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 805, amominu.w, 0xffffffff89abcdef, 0xcccccccc11111111, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 806, amominu.w, 0xffffffffffffffff, 0xcccccccc00000001, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 807, amominu.w, 0xffffffff80000000, 0xcccccccc7fffffff, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 808, amominu.w, 0x5, 0xcccccccc00000005, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 809, amominu.w, 0x7fffffff, 0xcccccccc00000001, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 810, amominu.w, 0xffffffffffffffff, 0x133333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- amomaxu.d / amomaxu.w ---- */
    TEST_AMO 900, amomaxu.d, 0x123456789abcdef, 0x1111111111111111, 0, \
             0x123456789abcdef, 0x1111111111111111
    TEST_AMO 901, amomaxu.d, 0xffffffffffffffff, 0xffffffffffffffff, 0, \
             0xffffffffffffffff, 0x1
    TEST_AMO 902, amomaxu.d, 0x8000000000000000, 0x8000000000000000, 0, \
             0x8000000000000000, 0x7fffffffffffffff
    TEST_AMO 903, amomaxu.d, 0x5, 0xfffffffffffffffb, 0, 0x5, 0xfffffffffffffffb
    TEST_AMO 904, amomaxu.d, 0x0, 0x0, 0, 0x0, 0x0
    TEST_AMO 905, amomaxu.w, 0xffffffff89abcdef, 0xcccccccc89abcdef, 0, \
             0xcccccccc89abcdef, 0x11111111
    TEST_AMO 906, amomaxu.w, 0xffffffffffffffff, 0xccccccccffffffff, 0, \
             0xccccccccffffffff, 0x1
    TEST_AMO 907, amomaxu.w, 0xffffffff80000000, 0xcccccccc80000000, 0, \
             0xcccccccc80000000, 0x7fffffff
    TEST_AMO 908, amomaxu.w, 0x5, 0xccccccccfffffffb, 0, 0xcccccccc00000005, \
             0xfffffffffffffffb
    TEST_AMO 909, amomaxu.w, 0x7fffffff, 0xcccccccc7fffffff, 0, \
             0xcccccccc7fffffff, 0x1
    TEST_AMO 910, amomaxu.w, 0xffffffffffffffff, 0xffffffff33333333, 4, \
             0xffffffff33333333, 0x1

    /* ---- ordering bits, rd = x0, aliasing ---- */
    TEST_AMO 1000, amoadd.d.aq, 10, 15, 0, 10, 5
    TEST_AMO 1001, amoadd.d.rl, 10, 15, 0, 10, 5
    TEST_AMO 1002, amoadd.w.aqrl, 10, 15, 0, 10, 5
    TEST_AMO 1003, amoswap.w.aq, 10, 5, 0, 10, 5
    TESTNUM 1004                /* rd = x0: memory still updated */
    la a1, amo_data
    li a2, 40
    sd a2, 0(a1)
    li a2, 2
    amoadd.d x0, a2, (a1)
    CHECK 1004, x0, 0
    ld a0, 0(a1)
    CHECK 1005, a0, 42
    TESTNUM 1006                /* rd = rs2: memory gets the old rs2 */
    li a2, 8
    amoadd.d a2, a2, (a1)
    CHECK 1006, a2, 42
    ld a0, 0(a1)
    CHECK 1007, a0, 50
    TESTNUM 1008                /* rd = rs1: address read before the write */
    la a1, amo_data
    mv a3, a1
    li a2, 3
    amoswap.d a1, a2, (a1)
    CHECK 1008, a1, 50
    ld a0, 0(a3)
    CHECK 1009, a0, 3
    TESTNUM 1010                /* amoswap as an atomic load of x0 */
    la a1, amo_data
    amoor.d a0, x0, (a1)
    CHECK 1010, a0, 3

    TEST_END

    .data
    .balign 16
amo_data:
    .dword 0, 0
