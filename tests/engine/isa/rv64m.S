/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rv64m.S: the M extension (unprivileged spec ch. 13): MUL, MULH, MULHSU,
 * MULHU, MULW, DIV, DIVU, REM, REMU and the W forms, with signed/unsigned
 * corner cases, division by zero (quotient all ones, remainder = dividend),
 * signed overflow (INT_MIN / -1 = INT_MIN, remainder 0), W results
 * sign-extended from bit 31, register aliasing and rd = x0. */
#include "macros.h"

TEST_BEGIN

    /* ---- mul ---- */
    TEST_RR 100, mul, 0x0, 0x0, 0x0
    TEST_RR 101, mul, 0x1, 0x1, 0x1
    TEST_RR 102, mul, 0x15, 0x3, 0x7
    TEST_RR 103, mul, 0x1, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 104, mul, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    TEST_RR 105, mul, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 106, mul, 0x0, 0x8000000000000000, 0x8000000000000000
    TEST_RR 107, mul, 0x1, 0x7fffffffffffffff, 0x7fffffffffffffff
    TEST_RR 108, mul, 0x236d88fe5618cf00, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR 109, mul, 0xfffffffe00000001, 0xffffffff, 0xffffffff
    TEST_RR 110, mul, 0x0, 0x100000000, 0x100000000
    TEST_RR 111, mul, 0xffffffffffffffeb, 0x7, 0xfffffffffffffffd
    TEST_RR 112, mul, 0xffffffffffffffeb, 0xfffffffffffffff9, 0x3
    TEST_RR 113, mul, 0x2, 0x8000000000000001, 0x2
    TEST_RR_D1 114, mul, 0x2, 0x8000000000000001, 0x2
    TEST_RR_D2 115, mul, 0x2, 0x8000000000000001, 0x2
    TEST_RR_SAME 116, mul, 0x1, 0x8000000000000001
    TEST_RR_X0 117, mul, 0x8000000000000001, 0x2

    /* ---- mulh ---- */
    TEST_RR 200, mulh, 0x0, 0x0, 0x0
    TEST_RR 201, mulh, 0x0, 0x1, 0x1
    TEST_RR 202, mulh, 0x0, 0x3, 0x7
    TEST_RR 203, mulh, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 204, mulh, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    TEST_RR 205, mulh, 0x0, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 206, mulh, 0x4000000000000000, 0x8000000000000000, \
            0x8000000000000000
    TEST_RR 207, mulh, 0x3fffffffffffffff, 0x7fffffffffffffff, \
            0x7fffffffffffffff
    TEST_RR 208, mulh, 0xffeb49923cc09532, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 209, mulh, 0x0, 0xffffffff, 0xffffffff
    TEST_RR 210, mulh, 0x1, 0x100000000, 0x100000000
    TEST_RR 211, mulh, 0xffffffffffffffff, 0x7, 0xfffffffffffffffd
    TEST_RR 212, mulh, 0xffffffffffffffff, 0xfffffffffffffff9, 0x3
    TEST_RR 213, mulh, 0xffffffffffffffff, 0x8000000000000001, 0x2
    TEST_RR_D1 214, mulh, 0xffffffffffffffff, 0x8000000000000001, 0x2
    TEST_RR_D2 215, mulh, 0xffffffffffffffff, 0x8000000000000001, 0x2
    TEST_RR_SAME 216, mulh, 0x3fffffffffffffff, 0x8000000000000001
    TEST_RR_X0 217, mulh, 0x8000000000000001, 0x2

    /* ---- mulhsu ---- */
    TEST_RR 300, mulhsu, 0x0, 0x0, 0x0
    TEST_RR 301, mulhsu, 0x0, 0x1, 0x1
    TEST_RR 302, mulhsu, 0x0, 0x3, 0x7
    TEST_RR 303, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, \
            0xffffffffffffffff
    TEST_RR 304, mulhsu, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    TEST_RR 305, mulhsu, 0x8000000000000000, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 306, mulhsu, 0xc000000000000000, 0x8000000000000000, \
            0x8000000000000000
    TEST_RR 307, mulhsu, 0x3fffffffffffffff, 0x7fffffffffffffff, \
            0x7fffffffffffffff
    TEST_RR 308, mulhsu, 0x121fa00ad77d7422, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 309, mulhsu, 0x0, 0xffffffff, 0xffffffff
    TEST_RR 310, mulhsu, 0x1, 0x100000000, 0x100000000
    TEST_RR 311, mulhsu, 0x6, 0x7, 0xfffffffffffffffd
    TEST_RR 312, mulhsu, 0xffffffffffffffff, 0xfffffffffffffff9, 0x3
    TEST_RR 313, mulhsu, 0xffffffffffffffff, 0x8000000000000001, 0x2
    TEST_RR_D1 314, mulhsu, 0xffffffffffffffff, 0x8000000000000001, 0x2
    TEST_RR_D2 315, mulhsu, 0xffffffffffffffff, 0x8000000000000001, 0x2
    TEST_RR_SAME 316, mulhsu, 0xc000000000000000, 0x8000000000000001
    TEST_RR_X0 317, mulhsu, 0x8000000000000001, 0x2

    /* ---- mulhu ---- */
    TEST_RR 400, mulhu, 0x0, 0x0, 0x0
    TEST_RR 401, mulhu, 0x0, 0x1, 0x1
    TEST_RR 402, mulhu, 0x0, 0x3, 0x7
    TEST_RR 403, mulhu, 0xfffffffffffffffe, 0xffffffffffffffff, \
            0xffffffffffffffff
    TEST_RR 404, mulhu, 0x0, 0xffffffffffffffff, 0x1
    TEST_RR 405, mulhu, 0x7fffffffffffffff, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 406, mulhu, 0x4000000000000000, 0x8000000000000000, \
            0x8000000000000000
    TEST_RR 407, mulhu, 0x3fffffffffffffff, 0x7fffffffffffffff, \
            0x7fffffffffffffff
    TEST_RR 408, mulhu, 0x121fa00ad77d7422, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 409, mulhu, 0x0, 0xffffffff, 0xffffffff
    TEST_RR 410, mulhu, 0x1, 0x100000000, 0x100000000
    TEST_RR 411, mulhu, 0x6, 0x7, 0xfffffffffffffffd
    TEST_RR 412, mulhu, 0x2, 0xfffffffffffffff9, 0x3
    TEST_RR 413, mulhu, 0x1, 0x8000000000000001, 0x2
    TEST_RR_D1 414, mulhu, 0x1, 0x8000000000000001, 0x2
    TEST_RR_D2 415, mulhu, 0x1, 0x8000000000000001, 0x2
    TEST_RR_SAME 416, mulhu, 0x4000000000000001, 0x8000000000000001
    TEST_RR_X0 417, mulhu, 0x8000000000000001, 0x2

    /* ---- mulw ---- */
    TEST_RR 500, mulw, 0x0, 0x0, 0x0
    TEST_RR 501, mulw, 0x15, 0x3, 0x7
    TEST_RR 502, mulw, 0xfffffffffffffffe, 0x7fffffff, 0x2
    TEST_RR 503, mulw, 0xffffffff80000000, 0x80000000, 0x1
    TEST_RR 504, mulw, 0x1, 0xffffffff, 0xffffffff
    TEST_RR 505, mulw, 0xffffffffabcdef00, 0x123456789abcdef0, 0x10
    TEST_RR 506, mulw, 0xf, 0x100000003, 0x100000005
    TEST_RR 507, mulw, 0xffffffffffffffff, 0xffff, 0x10001
    TEST_RR 508, mulw, 0xffffffff80000000, 0xffffffff80000000, \
            0xffffffffffffffff
    TEST_RR_D1 509, mulw, 0xffffffff80000000, 0xffffffff80000000, \
               0xffffffffffffffff
    TEST_RR_D2 510, mulw, 0xffffffff80000000, 0xffffffff80000000, \
               0xffffffffffffffff
    TEST_RR_SAME 511, mulw, 0x0, 0xffffffff80000000
    TEST_RR_X0 512, mulw, 0xffffffff80000000, 0xffffffffffffffff

    /* ---- div ---- */
    TEST_RR 600, div, 0x3, 0x14, 0x6
    TEST_RR 601, div, 0xfffffffffffffffd, 0xffffffffffffffec, 0x6
    TEST_RR 602, div, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa
    TEST_RR 603, div, 0x3, 0xffffffffffffffec, 0xfffffffffffffffa
    TEST_RR 604, div, 0x0, 0x0, 0x1
    TEST_RR 605, div, 0xffffffffffffffff, 0x5, 0x0
    TEST_RR 606, div, 0xffffffffffffffff, 0xfffffffffffffffb, 0x0
    TEST_RR 607, div, 0xffffffffffffffff, 0x0, 0x0
    TEST_RR 608, div, 0x8000000000000000, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 609, div, 0x8000000000000000, 0x8000000000000000, 0x1
    TEST_RR 610, div, 0xc000000000000000, 0x8000000000000000, 0x2
    TEST_RR 611, div, 0x8000000000000001, 0x7fffffffffffffff, 0xffffffffffffffff
    TEST_RR 612, div, 0x0, 0xffffffffffffffff, 0x2
    TEST_RR 613, div, 0x123456789abcd, 0x123456789abcdef0, 0x1000
    TEST_RR 614, div, 0xffffffffffffffff, 0x1, 0xffffffffffffffff
    TEST_RR 615, div, 0xffffffffffffffff, 0x8000000000000001, 0x7fffffffffffffff
    TEST_RR 616, div, 0x1, 0xffffffff, 0x80000000
    TEST_RR_D1 617, div, 0x1, 0xffffffff, 0x80000000
    TEST_RR_D2 618, div, 0x1, 0xffffffff, 0x80000000
    TEST_RR_SAME 619, div, 0x1, 0xffffffff
    TEST_RR_X0 620, div, 0xffffffff, 0x80000000

    /* ---- divu ---- */
    TEST_RR 700, divu, 0x3, 0x14, 0x6
    TEST_RR 701, divu, 0x2aaaaaaaaaaaaaa7, 0xffffffffffffffec, 0x6
    TEST_RR 702, divu, 0x0, 0x14, 0xfffffffffffffffa
    TEST_RR 703, divu, 0x0, 0xffffffffffffffec, 0xfffffffffffffffa
    TEST_RR 704, divu, 0x0, 0x0, 0x1
    TEST_RR 705, divu, 0xffffffffffffffff, 0x5, 0x0
    TEST_RR 706, divu, 0xffffffffffffffff, 0xfffffffffffffffb, 0x0
    TEST_RR 707, divu, 0xffffffffffffffff, 0x0, 0x0
    TEST_RR 708, divu, 0x0, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 709, divu, 0x8000000000000000, 0x8000000000000000, 0x1
    TEST_RR 710, divu, 0x4000000000000000, 0x8000000000000000, 0x2
    TEST_RR 711, divu, 0x0, 0x7fffffffffffffff, 0xffffffffffffffff
    TEST_RR 712, divu, 0x7fffffffffffffff, 0xffffffffffffffff, 0x2
    TEST_RR 713, divu, 0x123456789abcd, 0x123456789abcdef0, 0x1000
    TEST_RR 714, divu, 0x0, 0x1, 0xffffffffffffffff
    TEST_RR 715, divu, 0x1, 0x8000000000000001, 0x7fffffffffffffff
    TEST_RR 716, divu, 0x1, 0xffffffff, 0x80000000
    TEST_RR_D1 717, divu, 0x1, 0xffffffff, 0x80000000
    TEST_RR_D2 718, divu, 0x1, 0xffffffff, 0x80000000
    TEST_RR_SAME 719, divu, 0x1, 0xffffffff
    TEST_RR_X0 720, divu, 0xffffffff, 0x80000000

    /* ---- rem ---- */
    TEST_RR 800, rem, 0x2, 0x14, 0x6
    TEST_RR 801, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0x6
    TEST_RR 802, rem, 0x2, 0x14, 0xfffffffffffffffa
    TEST_RR 803, rem, 0xfffffffffffffffe, 0xffffffffffffffec, 0xfffffffffffffffa
    TEST_RR 804, rem, 0x0, 0x0, 0x1
    TEST_RR 805, rem, 0x5, 0x5, 0x0
    TEST_RR 806, rem, 0xfffffffffffffffb, 0xfffffffffffffffb, 0x0
    TEST_RR 807, rem, 0x0, 0x0, 0x0
    TEST_RR 808, rem, 0x0, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 809, rem, 0x0, 0x8000000000000000, 0x1
    TEST_RR 810, rem, 0x0, 0x8000000000000000, 0x2
    TEST_RR 811, rem, 0x0, 0x7fffffffffffffff, 0xffffffffffffffff
    TEST_RR 812, rem, 0xffffffffffffffff, 0xffffffffffffffff, 0x2
    TEST_RR 813, rem, 0xef0, 0x123456789abcdef0, 0x1000
    TEST_RR 814, rem, 0x0, 0x1, 0xffffffffffffffff
    TEST_RR 815, rem, 0x0, 0x8000000000000001, 0x7fffffffffffffff
    TEST_RR 816, rem, 0x7fffffff, 0xffffffff, 0x80000000
    TEST_RR_D1 817, rem, 0x7fffffff, 0xffffffff, 0x80000000
    TEST_RR_D2 818, rem, 0x7fffffff, 0xffffffff, 0x80000000
    TEST_RR_SAME 819, rem, 0x0, 0xffffffff
    TEST_RR_X0 820, rem, 0xffffffff, 0x80000000

    /* ---- remu ---- */
    TEST_RR 900, remu, 0x2, 0x14, 0x6
    TEST_RR 901, remu, 0x2, 0xffffffffffffffec, 0x6
    TEST_RR 902, remu, 0x14, 0x14, 0xfffffffffffffffa
    TEST_RR 903, remu, 0xffffffffffffffec, 0xffffffffffffffec, \
            0xfffffffffffffffa
    TEST_RR 904, remu, 0x0, 0x0, 0x1
    TEST_RR 905, remu, 0x5, 0x5, 0x0
    TEST_RR 906, remu, 0xfffffffffffffffb, 0xfffffffffffffffb, 0x0
    TEST_RR 907, remu, 0x0, 0x0, 0x0
    TEST_RR 908, remu, 0x8000000000000000, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 909, remu, 0x0, 0x8000000000000000, 0x1
    TEST_RR 910, remu, 0x0, 0x8000000000000000, 0x2
    TEST_RR 911, remu, 0x7fffffffffffffff, 0x7fffffffffffffff, \
            0xffffffffffffffff
    TEST_RR 912, remu, 0x1, 0xffffffffffffffff, 0x2
    TEST_RR 913, remu, 0xef0, 0x123456789abcdef0, 0x1000
    TEST_RR 914, remu, 0x1, 0x1, 0xffffffffffffffff
    TEST_RR 915, remu, 0x2, 0x8000000000000001, 0x7fffffffffffffff
    TEST_RR 916, remu, 0x7fffffff, 0xffffffff, 0x80000000
    TEST_RR_D1 917, remu, 0x7fffffff, 0xffffffff, 0x80000000
    TEST_RR_D2 918, remu, 0x7fffffff, 0xffffffff, 0x80000000
    TEST_RR_SAME 919, remu, 0x0, 0xffffffff
    TEST_RR_X0 920, remu, 0xffffffff, 0x80000000

    /* ---- divw ---- */
    TEST_RR 1000, divw, 0x3, 0x14, 0x6
    TEST_RR 1001, divw, 0xfffffffffffffffd, 0xffffffffffffffec, 0x6
    TEST_RR 1002, divw, 0xfffffffffffffffd, 0x14, 0xfffffffffffffffa
    TEST_RR 1003, divw, 0x3, 0xffffffec, 0xfffffffa
    TEST_RR 1004, divw, 0x0, 0x0, 0x1
    TEST_RR 1005, divw, 0xffffffffffffffff, 0x5, 0x0
    TEST_RR 1006, divw, 0xffffffffffffffff, 0xfffffffb, 0x0
    TEST_RR 1007, divw, 0xffffffff80000000, 0x80000000, 0xffffffff
    TEST_RR 1008, divw, 0xffffffff80000000, 0xffffffff80000000, \
            0xffffffffffffffff
    TEST_RR 1009, divw, 0xffffffff80000000, 0x80000000, 0x1
    TEST_RR 1010, divw, 0x3fffffff, 0x7fffffff, 0x2
    TEST_RR 1011, divw, 0xfffffffffff9abce, 0x123456789abcdef0, 0x1000
    TEST_RR 1012, divw, 0x0, 0x1ffffffff, 0x100000002
    TEST_RR 1013, divw, 0x1, 0xffffffff, 0xffffffff
    TEST_RR 1014, divw, 0xffffffffffffffff, 0x100000005, 0x100000000
    TEST_RR 1015, divw, 0xfffffffffffffffd, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D1 1016, divw, 0xfffffffffffffffd, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D2 1017, divw, 0xfffffffffffffffd, 0xfffffff9, 0xffffffff00000002
    TEST_RR_SAME 1018, divw, 0x1, 0xfffffff9
    TEST_RR_X0 1019, divw, 0xfffffff9, 0xffffffff00000002

    /* ---- divuw ---- */
    TEST_RR 1100, divuw, 0x3, 0x14, 0x6
    TEST_RR 1101, divuw, 0x2aaaaaa7, 0xffffffffffffffec, 0x6
    TEST_RR 1102, divuw, 0x0, 0x14, 0xfffffffffffffffa
    TEST_RR 1103, divuw, 0x0, 0xffffffec, 0xfffffffa
    TEST_RR 1104, divuw, 0x0, 0x0, 0x1
    TEST_RR 1105, divuw, 0xffffffffffffffff, 0x5, 0x0
    TEST_RR 1106, divuw, 0xffffffffffffffff, 0xfffffffb, 0x0
    TEST_RR 1107, divuw, 0x0, 0x80000000, 0xffffffff
    TEST_RR 1108, divuw, 0x0, 0xffffffff80000000, 0xffffffffffffffff
    TEST_RR 1109, divuw, 0xffffffff80000000, 0x80000000, 0x1
    TEST_RR 1110, divuw, 0x3fffffff, 0x7fffffff, 0x2
    TEST_RR 1111, divuw, 0x9abcd, 0x123456789abcdef0, 0x1000
    TEST_RR 1112, divuw, 0x7fffffff, 0x1ffffffff, 0x100000002
    TEST_RR 1113, divuw, 0x1, 0xffffffff, 0xffffffff
    TEST_RR 1114, divuw, 0xffffffffffffffff, 0x100000005, 0x100000000
    TEST_RR 1115, divuw, 0x7ffffffc, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D1 1116, divuw, 0x7ffffffc, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D2 1117, divuw, 0x7ffffffc, 0xfffffff9, 0xffffffff00000002
    TEST_RR_SAME 1118, divuw, 0x1, 0xfffffff9
    TEST_RR_X0 1119, divuw, 0xfffffff9, 0xffffffff00000002

    /* ---- remw ---- */
    TEST_RR 1200, remw, 0x2, 0x14, 0x6
    TEST_RR 1201, remw, 0xfffffffffffffffe, 0xffffffffffffffec, 0x6
    TEST_RR 1202, remw, 0x2, 0x14, 0xfffffffffffffffa
    TEST_RR 1203, remw, 0xfffffffffffffffe, 0xffffffec, 0xfffffffa
    TEST_RR 1204, remw, 0x0, 0x0, 0x1
    TEST_RR 1205, remw, 0x5, 0x5, 0x0
    TEST_RR 1206, remw, 0xfffffffffffffffb, 0xfffffffb, 0x0
    TEST_RR 1207, remw, 0x0, 0x80000000, 0xffffffff
    TEST_RR 1208, remw, 0x0, 0xffffffff80000000, 0xffffffffffffffff
    TEST_RR 1209, remw, 0x0, 0x80000000, 0x1
    TEST_RR 1210, remw, 0x1, 0x7fffffff, 0x2
    TEST_RR 1211, remw, 0xfffffffffffffef0, 0x123456789abcdef0, 0x1000
    TEST_RR 1212, remw, 0xffffffffffffffff, 0x1ffffffff, 0x100000002
    TEST_RR 1213, remw, 0x0, 0xffffffff, 0xffffffff
    TEST_RR 1214, remw, 0x5, 0x100000005, 0x100000000
    TEST_RR 1215, remw, 0xffffffffffffffff, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D1 1216, remw, 0xffffffffffffffff, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D2 1217, remw, 0xffffffffffffffff, 0xfffffff9, 0xffffffff00000002
    TEST_RR_SAME 1218, remw, 0x0, 0xfffffff9
    TEST_RR_X0 1219, remw, 0xfffffff9, 0xffffffff00000002

    /* ---- remuw ---- */
    TEST_RR 1300, remuw, 0x2, 0x14, 0x6
    TEST_RR 1301, remuw, 0x2, 0xffffffffffffffec, 0x6
    TEST_RR 1302, remuw, 0x14, 0x14, 0xfffffffffffffffa
    TEST_RR 1303, remuw, 0xffffffffffffffec, 0xffffffec, 0xfffffffa
    TEST_RR 1304, remuw, 0x0, 0x0, 0x1
    TEST_RR 1305, remuw, 0x5, 0x5, 0x0
    TEST_RR 1306, remuw, 0xfffffffffffffffb, 0xfffffffb, 0x0
    TEST_RR 1307, remuw, 0xffffffff80000000, 0x80000000, 0xffffffff
    TEST_RR 1308, remuw, 0xffffffff80000000, 0xffffffff80000000, \
            0xffffffffffffffff
    TEST_RR 1309, remuw, 0x0, 0x80000000, 0x1
    TEST_RR 1310, remuw, 0x1, 0x7fffffff, 0x2
    TEST_RR 1311, remuw, 0xef0, 0x123456789abcdef0, 0x1000
    TEST_RR 1312, remuw, 0x1, 0x1ffffffff, 0x100000002
    TEST_RR 1313, remuw, 0x0, 0xffffffff, 0xffffffff
    TEST_RR 1314, remuw, 0x5, 0x100000005, 0x100000000
    TEST_RR 1315, remuw, 0x1, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D1 1316, remuw, 0x1, 0xfffffff9, 0xffffffff00000002
    TEST_RR_D2 1317, remuw, 0x1, 0xfffffff9, 0xffffffff00000002
    TEST_RR_SAME 1318, remuw, 0x0, 0xfffffff9
    TEST_RR_X0 1319, remuw, 0xfffffff9, 0xffffffff00000002

    /* ---- a MULH/MUL pair on the same operands (the fused idiom) ---- */
    TESTNUM 1500
    li a1, 0x7654321087654321
    li a2, 0x0fedcba987654321
    mulhu a3, a1, a2
    mul a0, a1, a2
    CHECK 1500, a3, 0x075cd9047119a49a
    CHECK 1501, a0, 0x848214b3d7a44a41
    /* ---- a DIV/REM pair: (q * d) + r == n ---- */
    TESTNUM 1502
    li a1, -1234567890123
    li a2, 98765
    div a3, a1, a2
    rem a0, a1, a2
    mul a3, a3, a2
    add a0, a0, a3
    CHECK 1502, a0, -1234567890123

    TEST_END
