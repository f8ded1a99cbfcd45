/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rv64i.S: every RV64I instruction (unprivileged spec ch. 2 and 4):
 * register and immediate ALU ops incl. W forms and register aliasing,
 * LUI/AUIPC, branches taken and not taken (forward and backward), JAL/JALR
 * with link and target bit 0 cleared, loads/stores of all widths, misaligned
 * accesses, x0 writes discarded, HINTs, FENCE, and all 31 registers. */
#include "macros.h"

/* store val with sop at off(sym) into a dword pre-filled with fill, then
 * check the whole dword */
.macro TEST_ST_DWORD n, sop, exp, val, off, sym, fill=0xaaaaaaaaaaaaaaaa
    TESTNUM \n
    la a1, \sym
    li a3, \fill
    sd a3, 0(a1)
    li a2, \val
    \sop a2, \off(a1)
    ld a0, 0(a1)
    CHECK \n, a0, \exp
.endm

TEST_BEGIN

    /* ---- add ---- */
    TEST_RR 1001, add, 0x0, 0x0, 0x0
    TEST_RR 1002, add, 0x2, 0x1, 0x1
    TEST_RR 1003, add, 0x0, 0xffffffffffffffff, 0x1
    TEST_RR 1004, add, 0x8000000000000000, 0x7fffffffffffffff, 0x1
    TEST_RR 1005, add, 0x7fffffffffffffff, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 1006, add, 0x80000000, 0x7fffffff, 0x1
    TEST_RR 1007, add, 0x100000000, 0x80000000, 0x80000000
    TEST_RR 1008, add, 0x100000000, 0xffffffff, 0x1
    TEST_RR 1009, add, 0x1111111111111100, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 1010, add, 0x8, 0x3, 0x5
    TEST_RR 1011, add, 0x8, 0x5, 0x3
    TEST_RR 1012, add, 0xfffffffffffffffe, 0xffffffffffffffff, \
            0xffffffffffffffff
    TEST_RR 1013, add, 0x8000000000000001, 0x8000000000000000, 0x1
    TEST_RR 1014, add, 0x100e100e100e100e, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1015, add, 0x1111111111111100, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_D2 1016, add, 0x1111111111111100, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_SAME 1017, add, 0x2468acf13579bde0, 0x123456789abcdef0
    TEST_RR_X0 1018, add, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- sub ---- */
    TEST_RR 1101, sub, 0x0, 0x0, 0x0
    TEST_RR 1102, sub, 0x0, 0x1, 0x1
    TEST_RR 1103, sub, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
    TEST_RR 1104, sub, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0x1
    TEST_RR 1105, sub, 0x8000000000000001, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 1106, sub, 0x7ffffffe, 0x7fffffff, 0x1
    TEST_RR 1107, sub, 0x0, 0x80000000, 0x80000000
    TEST_RR 1108, sub, 0xfffffffe, 0xffffffff, 0x1
    TEST_RR 1109, sub, 0x13579be02468ace0, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 1110, sub, 0xfffffffffffffffe, 0x3, 0x5
    TEST_RR 1111, sub, 0x2, 0x5, 0x3
    TEST_RR 1112, sub, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 1113, sub, 0x7fffffffffffffff, 0x8000000000000000, 0x1
    TEST_RR 1114, sub, 0xf1eff1eff1eff1f0, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1115, sub, 0x13579be02468ace0, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_D2 1116, sub, 0x13579be02468ace0, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_SAME 1117, sub, 0x0, 0x123456789abcdef0
    TEST_RR_X0 1118, sub, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- slt ---- */
    TEST_RR 1201, slt, 0x0, 0x0, 0x0
    TEST_RR 1202, slt, 0x0, 0x1, 0x1
    TEST_RR 1203, slt, 0x1, 0xffffffffffffffff, 0x1
    TEST_RR 1204, slt, 0x0, 0x7fffffffffffffff, 0x1
    TEST_RR 1205, slt, 0x1, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 1206, slt, 0x0, 0x7fffffff, 0x1
    TEST_RR 1207, slt, 0x0, 0x80000000, 0x80000000
    TEST_RR 1208, slt, 0x0, 0xffffffff, 0x1
    TEST_RR 1209, slt, 0x0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR 1210, slt, 0x1, 0x3, 0x5
    TEST_RR 1211, slt, 0x0, 0x5, 0x3
    TEST_RR 1212, slt, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 1213, slt, 0x1, 0x8000000000000000, 0x1
    TEST_RR 1214, slt, 0x1, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1215, slt, 0x0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_D2 1216, slt, 0x0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_SAME 1217, slt, 0x0, 0x123456789abcdef0
    TEST_RR_X0 1218, slt, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- sltu ---- */
    TEST_RR 1301, sltu, 0x0, 0x0, 0x0
    TEST_RR 1302, sltu, 0x0, 0x1, 0x1
    TEST_RR 1303, sltu, 0x0, 0xffffffffffffffff, 0x1
    TEST_RR 1304, sltu, 0x0, 0x7fffffffffffffff, 0x1
    TEST_RR 1305, sltu, 0x1, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 1306, sltu, 0x0, 0x7fffffff, 0x1
    TEST_RR 1307, sltu, 0x0, 0x80000000, 0x80000000
    TEST_RR 1308, sltu, 0x0, 0xffffffff, 0x1
    TEST_RR 1309, sltu, 0x1, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR 1310, sltu, 0x1, 0x3, 0x5
    TEST_RR 1311, sltu, 0x0, 0x5, 0x3
    TEST_RR 1312, sltu, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 1313, sltu, 0x0, 0x8000000000000000, 0x1
    TEST_RR 1314, sltu, 0x1, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1315, sltu, 0x1, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_D2 1316, sltu, 0x1, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_SAME 1317, sltu, 0x0, 0x123456789abcdef0
    TEST_RR_X0 1318, sltu, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- xor ---- */
    TEST_RR 1401, xor, 0x0, 0x0, 0x0
    TEST_RR 1402, xor, 0x0, 0x1, 0x1
    TEST_RR 1403, xor, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
    TEST_RR 1404, xor, 0x7ffffffffffffffe, 0x7fffffffffffffff, 0x1
    TEST_RR 1405, xor, 0x7fffffffffffffff, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 1406, xor, 0x7ffffffe, 0x7fffffff, 0x1
    TEST_RR 1407, xor, 0x0, 0x80000000, 0x80000000
    TEST_RR 1408, xor, 0xfffffffe, 0xffffffff, 0x1
    TEST_RR 1409, xor, 0xece8ece0ece8ece0, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 1410, xor, 0x6, 0x3, 0x5
    TEST_RR 1411, xor, 0x6, 0x5, 0x3
    TEST_RR 1412, xor, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 1413, xor, 0x8000000000000001, 0x8000000000000000, 0x1
    TEST_RR 1414, xor, 0xff00ff00ff00ff0, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1415, xor, 0xece8ece0ece8ece0, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_D2 1416, xor, 0xece8ece0ece8ece0, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_SAME 1417, xor, 0x0, 0x123456789abcdef0
    TEST_RR_X0 1418, xor, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- or ---- */
    TEST_RR 1501, or, 0x0, 0x0, 0x0
    TEST_RR 1502, or, 0x1, 0x1, 0x1
    TEST_RR 1503, or, 0xffffffffffffffff, 0xffffffffffffffff, 0x1
    TEST_RR 1504, or, 0x7fffffffffffffff, 0x7fffffffffffffff, 0x1
    TEST_RR 1505, or, 0xffffffffffffffff, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 1506, or, 0x7fffffff, 0x7fffffff, 0x1
    TEST_RR 1507, or, 0x80000000, 0x80000000, 0x80000000
    TEST_RR 1508, or, 0xffffffff, 0xffffffff, 0x1
    TEST_RR 1509, or, 0xfefcfef8fefcfef0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR 1510, or, 0x7, 0x3, 0x5
    TEST_RR 1511, or, 0x7, 0x5, 0x3
    TEST_RR 1512, or, 0xffffffffffffffff, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 1513, or, 0x8000000000000001, 0x8000000000000000, 0x1
    TEST_RR 1514, or, 0xfff0fff0fff0fff, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1515, or, 0xfefcfef8fefcfef0, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_D2 1516, or, 0xfefcfef8fefcfef0, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_SAME 1517, or, 0x123456789abcdef0, 0x123456789abcdef0
    TEST_RR_X0 1518, or, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- and ---- */
    TEST_RR 1601, and, 0x0, 0x0, 0x0
    TEST_RR 1602, and, 0x1, 0x1, 0x1
    TEST_RR 1603, and, 0x1, 0xffffffffffffffff, 0x1
    TEST_RR 1604, and, 0x1, 0x7fffffffffffffff, 0x1
    TEST_RR 1605, and, 0x8000000000000000, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 1606, and, 0x1, 0x7fffffff, 0x1
    TEST_RR 1607, and, 0x80000000, 0x80000000, 0x80000000
    TEST_RR 1608, and, 0x1, 0xffffffff, 0x1
    TEST_RR 1609, and, 0x1214121812141210, 0x123456789abcdef0, \
            0xfedcba9876543210
    TEST_RR 1610, and, 0x1, 0x3, 0x5
    TEST_RR 1611, and, 0x1, 0x5, 0x3
    TEST_RR 1612, and, 0xffffffffffffffff, 0xffffffffffffffff, \
            0xffffffffffffffff
    TEST_RR 1613, and, 0x0, 0x8000000000000000, 0x1
    TEST_RR 1614, and, 0xf000f000f000f, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 1615, and, 0x1214121812141210, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_D2 1616, and, 0x1214121812141210, 0x123456789abcdef0, \
               0xfedcba9876543210
    TEST_RR_SAME 1617, and, 0x123456789abcdef0, 0x123456789abcdef0
    TEST_RR_X0 1618, and, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- sll ---- */
    TEST_RR 1701, sll, 0x123456789abcdef0, 0x123456789abcdef0, 0x0
    TEST_RR 1702, sll, 0x2468acf13579bde0, 0x123456789abcdef0, 0x1
    TEST_RR 1703, sll, 0x0, 0x8000000000000000, 0x3f
    TEST_RR 1704, sll, 0x80000000, 0x8000000000000001, 0x1f
    TEST_RR 1705, sll, 0x100000000, 0x8000000000000001, 0x20
    TEST_RR 1706, sll, 0xffffffffffffffe0, 0xffffffffffffffff, 0x5
    TEST_RR 1707, sll, 0xf00000000, 0xf0000000f0000000, 0x4
    TEST_RR 1708, sll, 0x100000000, 0x80000000, 0x1
    TEST_RR 1709, sll, 0x23456789abcdef00, 0x123456789abcdef0, 0x44
    TEST_RR 1710, sll, 0x0, 0x8000000000000000, 0xffffffffffffffc1
    TEST_RR 1711, sll, 0x3fffffff80000000, 0x7fffffff, 0x1f
    TEST_RR 1712, sll, 0x4000000000000000, 0x80000000, 0x1f
    TEST_RR_D1 1713, sll, 0x23456789abcdef00, 0x123456789abcdef0, 0x44
    TEST_RR_D2 1714, sll, 0x23456789abcdef00, 0x123456789abcdef0, 0x44
    TEST_RR_SAME 1715, sll, 0xdef0000000000000, 0x123456789abcdef0
    TEST_RR_X0 1716, sll, 0x123456789abcdef0, 0x44

    /* ---- srl ---- */
    TEST_RR 1801, srl, 0x123456789abcdef0, 0x123456789abcdef0, 0x0
    TEST_RR 1802, srl, 0x91a2b3c4d5e6f78, 0x123456789abcdef0, 0x1
    TEST_RR 1803, srl, 0x1, 0x8000000000000000, 0x3f
    TEST_RR 1804, srl, 0x100000000, 0x8000000000000001, 0x1f
    TEST_RR 1805, srl, 0x80000000, 0x8000000000000001, 0x20
    TEST_RR 1806, srl, 0x7ffffffffffffff, 0xffffffffffffffff, 0x5
    TEST_RR 1807, srl, 0xf0000000f000000, 0xf0000000f0000000, 0x4
    TEST_RR 1808, srl, 0x40000000, 0x80000000, 0x1
    TEST_RR 1809, srl, 0x123456789abcdef, 0x123456789abcdef0, 0x44
    TEST_RR 1810, srl, 0x4000000000000000, 0x8000000000000000, \
            0xffffffffffffffc1
    TEST_RR 1811, srl, 0x0, 0x7fffffff, 0x1f
    TEST_RR 1812, srl, 0x1, 0x80000000, 0x1f
    TEST_RR_D1 1813, srl, 0x123456789abcdef, 0x123456789abcdef0, 0x44
    TEST_RR_D2 1814, srl, 0x123456789abcdef, 0x123456789abcdef0, 0x44
    TEST_RR_SAME 1815, srl, 0x1234, 0x123456789abcdef0
    TEST_RR_X0 1816, srl, 0x123456789abcdef0, 0x44

    /* ---- sra ---- */
    TEST_RR 1901, sra, 0x123456789abcdef0, 0x123456789abcdef0, 0x0
    TEST_RR 1902, sra, 0x91a2b3c4d5e6f78, 0x123456789abcdef0, 0x1
    TEST_RR 1903, sra, 0xffffffffffffffff, 0x8000000000000000, 0x3f
    TEST_RR 1904, sra, 0xffffffff00000000, 0x8000000000000001, 0x1f
    TEST_RR 1905, sra, 0xffffffff80000000, 0x8000000000000001, 0x20
    TEST_RR 1906, sra, 0xffffffffffffffff, 0xffffffffffffffff, 0x5
    TEST_RR 1907, sra, 0xff0000000f000000, 0xf0000000f0000000, 0x4
    TEST_RR 1908, sra, 0x40000000, 0x80000000, 0x1
    TEST_RR 1909, sra, 0x123456789abcdef, 0x123456789abcdef0, 0x44
    TEST_RR 1910, sra, 0xc000000000000000, 0x8000000000000000, \
            0xffffffffffffffc1
    TEST_RR 1911, sra, 0x0, 0x7fffffff, 0x1f
    TEST_RR 1912, sra, 0x1, 0x80000000, 0x1f
    TEST_RR_D1 1913, sra, 0x123456789abcdef, 0x123456789abcdef0, 0x44
    TEST_RR_D2 1914, sra, 0x123456789abcdef, 0x123456789abcdef0, 0x44
    TEST_RR_SAME 1915, sra, 0x1234, 0x123456789abcdef0
    TEST_RR_X0 1916, sra, 0x123456789abcdef0, 0x44

    /* ---- addw ---- */
    TEST_RR 2001, addw, 0x0, 0x0, 0x0
    TEST_RR 2002, addw, 0x2, 0x1, 0x1
    TEST_RR 2003, addw, 0x0, 0xffffffffffffffff, 0x1
    TEST_RR 2004, addw, 0x0, 0x7fffffffffffffff, 0x1
    TEST_RR 2005, addw, 0xffffffffffffffff, 0x8000000000000000, \
            0xffffffffffffffff
    TEST_RR 2006, addw, 0xffffffff80000000, 0x7fffffff, 0x1
    TEST_RR 2007, addw, 0x0, 0x80000000, 0x80000000
    TEST_RR 2008, addw, 0x0, 0xffffffff, 0x1
    TEST_RR 2009, addw, 0x11111100, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR 2010, addw, 0x8, 0x3, 0x5
    TEST_RR 2011, addw, 0x8, 0x5, 0x3
    TEST_RR 2012, addw, 0xfffffffffffffffe, 0xffffffffffffffff, \
            0xffffffffffffffff
    TEST_RR 2013, addw, 0x1, 0x8000000000000000, 0x1
    TEST_RR 2014, addw, 0x100e100e, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 2015, addw, 0x11111100, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_D2 2016, addw, 0x11111100, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_SAME 2017, addw, 0x3579bde0, 0x123456789abcdef0
    TEST_RR_X0 2018, addw, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- subw ---- */
    TEST_RR 2101, subw, 0x0, 0x0, 0x0
    TEST_RR 2102, subw, 0x0, 0x1, 0x1
    TEST_RR 2103, subw, 0xfffffffffffffffe, 0xffffffffffffffff, 0x1
    TEST_RR 2104, subw, 0xfffffffffffffffe, 0x7fffffffffffffff, 0x1
    TEST_RR 2105, subw, 0x1, 0x8000000000000000, 0xffffffffffffffff
    TEST_RR 2106, subw, 0x7ffffffe, 0x7fffffff, 0x1
    TEST_RR 2107, subw, 0x0, 0x80000000, 0x80000000
    TEST_RR 2108, subw, 0xfffffffffffffffe, 0xffffffff, 0x1
    TEST_RR 2109, subw, 0x2468ace0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR 2110, subw, 0xfffffffffffffffe, 0x3, 0x5
    TEST_RR 2111, subw, 0x2, 0x5, 0x3
    TEST_RR 2112, subw, 0x0, 0xffffffffffffffff, 0xffffffffffffffff
    TEST_RR 2113, subw, 0xffffffffffffffff, 0x8000000000000000, 0x1
    TEST_RR 2114, subw, 0xfffffffff1eff1f0, 0xff00ff00ff00ff, 0xf0f0f0f0f0f0f0f
    TEST_RR_D1 2115, subw, 0x2468ace0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_D2 2116, subw, 0x2468ace0, 0x123456789abcdef0, 0xfedcba9876543210
    TEST_RR_SAME 2117, subw, 0x0, 0x123456789abcdef0
    TEST_RR_X0 2118, subw, 0x123456789abcdef0, 0xfedcba9876543210

    /* ---- sllw ---- */
    TEST_RR 2201, sllw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0x0
    TEST_RR 2202, sllw, 0x3579bde0, 0x123456789abcdef0, 0x1
    TEST_RR 2203, sllw, 0x0, 0x80000000, 0x1f
    TEST_RR 2204, sllw, 0xffffffff80000000, 0xffffffff80000001, 0x1f
    TEST_RR 2205, sllw, 0x0, 0xfffffffff0000000, 0x4
    TEST_RR 2206, sllw, 0xfffffffffffffffe, 0x7fffffff, 0x1
    TEST_RR 2207, sllw, 0xffffffff80000000, 0x100000001, 0x1f
    TEST_RR 2208, sllw, 0x56780000, 0x12345678, 0x10
    TEST_RR 2209, sllw, 0xffffffffabcdef00, 0x123456789abcdef0, 0x24
    TEST_RR 2210, sllw, 0x0, 0x80000000, 0xffffffffffffffe1
    TEST_RR 2211, sllw, 0xffffffff80000000, 0xffffffffffffffff, 0x1f
    TEST_RR_D1 2212, sllw, 0xffffffffabcdef00, 0x123456789abcdef0, 0x24
    TEST_RR_D2 2213, sllw, 0xffffffffabcdef00, 0x123456789abcdef0, 0x24
    TEST_RR_SAME 2214, sllw, 0xffffffffdef00000, 0x123456789abcdef0
    TEST_RR_X0 2215, sllw, 0x123456789abcdef0, 0x24

    /* ---- srlw ---- */
    TEST_RR 2301, srlw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0x0
    TEST_RR 2302, srlw, 0x4d5e6f78, 0x123456789abcdef0, 0x1
    TEST_RR 2303, srlw, 0x1, 0x80000000, 0x1f
    TEST_RR 2304, srlw, 0x1, 0xffffffff80000001, 0x1f
    TEST_RR 2305, srlw, 0xf000000, 0xfffffffff0000000, 0x4
    TEST_RR 2306, srlw, 0x3fffffff, 0x7fffffff, 0x1
    TEST_RR 2307, srlw, 0x0, 0x100000001, 0x1f
    TEST_RR 2308, srlw, 0x1234, 0x12345678, 0x10
    TEST_RR 2309, srlw, 0x9abcdef, 0x123456789abcdef0, 0x24
    TEST_RR 2310, srlw, 0x40000000, 0x80000000, 0xffffffffffffffe1
    TEST_RR 2311, srlw, 0x1, 0xffffffffffffffff, 0x1f
    TEST_RR_D1 2312, srlw, 0x9abcdef, 0x123456789abcdef0, 0x24
    TEST_RR_D2 2313, srlw, 0x9abcdef, 0x123456789abcdef0, 0x24
    TEST_RR_SAME 2314, srlw, 0x9abc, 0x123456789abcdef0
    TEST_RR_X0 2315, srlw, 0x123456789abcdef0, 0x24

    /* ---- sraw ---- */
    TEST_RR 2401, sraw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0x0
    TEST_RR 2402, sraw, 0xffffffffcd5e6f78, 0x123456789abcdef0, 0x1
    TEST_RR 2403, sraw, 0xffffffffffffffff, 0x80000000, 0x1f
    TEST_RR 2404, sraw, 0xffffffffffffffff, 0xffffffff80000001, 0x1f
    TEST_RR 2405, sraw, 0xffffffffff000000, 0xfffffffff0000000, 0x4
    TEST_RR 2406, sraw, 0x3fffffff, 0x7fffffff, 0x1
    TEST_RR 2407, sraw, 0x0, 0x100000001, 0x1f
    TEST_RR 2408, sraw, 0x1234, 0x12345678, 0x10
    TEST_RR 2409, sraw, 0xfffffffff9abcdef, 0x123456789abcdef0, 0x24
    TEST_RR 2410, sraw, 0xffffffffc0000000, 0x80000000, 0xffffffffffffffe1
    TEST_RR 2411, sraw, 0xffffffffffffffff, 0xffffffffffffffff, 0x1f
    TEST_RR_D1 2412, sraw, 0xfffffffff9abcdef, 0x123456789abcdef0, 0x24
    TEST_RR_D2 2413, sraw, 0xfffffffff9abcdef, 0x123456789abcdef0, 0x24
    TEST_RR_SAME 2414, sraw, 0xffffffffffff9abc, 0x123456789abcdef0
    TEST_RR_X0 2415, sraw, 0x123456789abcdef0, 0x24

    /* ---- addi ---- */
    TEST_RI 2501, addi, 0x0, 0x0, 0
    TEST_RI 2502, addi, 0x2, 0x1, 1
    TEST_RI 2503, addi, 0x0, 0xffffffffffffffff, 1
    TEST_RI 2504, addi, 0x8000000000000000, 0x7fffffffffffffff, 1
    TEST_RI 2505, addi, 0x7fffffffffffffff, 0x8000000000000000, -1
    TEST_RI 2506, addi, 0x80000000, 0x7fffffff, 1
    TEST_RI 2507, addi, 0x7ffff800, 0x80000000, -2048
    TEST_RI 2508, addi, 0x1000007fe, 0xffffffff, 2047
    TEST_RI 2509, addi, 0x123456789abcdeef, 0x123456789abcdef0, -1
    TEST_RI 2510, addi, 0x2, 0x5, -3
    TEST_RI 2511, addi, 0xff00ff00ff01ef, 0xff00ff00ff00ff, 240
    TEST_RI 2512, addi, 0xfffffffffffff7ff, 0xffffffffffffffff, -2048
    TEST_RI 2513, addi, 0x7ff, 0x0, 2047
    TEST_RI 2514, addi, 0xffffffffffffffff, 0x7ff, -2048
    TEST_RI_SAME 2515, addi, 0x2, 0x1, 1

    /* ---- slti ---- */
    TEST_RI 2601, slti, 0x0, 0x0, 0
    TEST_RI 2602, slti, 0x0, 0x1, 1
    TEST_RI 2603, slti, 0x1, 0xffffffffffffffff, 1
    TEST_RI 2604, slti, 0x0, 0x7fffffffffffffff, 1
    TEST_RI 2605, slti, 0x1, 0x8000000000000000, -1
    TEST_RI 2606, slti, 0x0, 0x7fffffff, 1
    TEST_RI 2607, slti, 0x0, 0x80000000, -2048
    TEST_RI 2608, slti, 0x0, 0xffffffff, 2047
    TEST_RI 2609, slti, 0x0, 0x123456789abcdef0, -1
    TEST_RI 2610, slti, 0x0, 0x5, -3
    TEST_RI 2611, slti, 0x0, 0xff00ff00ff00ff, 240
    TEST_RI 2612, slti, 0x0, 0xffffffffffffffff, -2048
    TEST_RI 2613, slti, 0x1, 0x0, 2047
    TEST_RI 2614, slti, 0x0, 0x7ff, -2048
    TEST_RI_SAME 2615, slti, 0x0, 0x1, 1

    /* ---- sltiu ---- */
    TEST_RI 2701, sltiu, 0x0, 0x0, 0
    TEST_RI 2702, sltiu, 0x0, 0x1, 1
    TEST_RI 2703, sltiu, 0x0, 0xffffffffffffffff, 1
    TEST_RI 2704, sltiu, 0x0, 0x7fffffffffffffff, 1
    TEST_RI 2705, sltiu, 0x1, 0x8000000000000000, -1
    TEST_RI 2706, sltiu, 0x0, 0x7fffffff, 1
    TEST_RI 2707, sltiu, 0x1, 0x80000000, -2048
    TEST_RI 2708, sltiu, 0x0, 0xffffffff, 2047
    TEST_RI 2709, sltiu, 0x1, 0x123456789abcdef0, -1
    TEST_RI 2710, sltiu, 0x1, 0x5, -3
    TEST_RI 2711, sltiu, 0x0, 0xff00ff00ff00ff, 240
    TEST_RI 2712, sltiu, 0x0, 0xffffffffffffffff, -2048
    TEST_RI 2713, sltiu, 0x1, 0x0, 2047
    TEST_RI 2714, sltiu, 0x1, 0x7ff, -2048
    TEST_RI_SAME 2715, sltiu, 0x0, 0x1, 1

    /* ---- xori ---- */
    TEST_RI 2801, xori, 0x0, 0x0, 0
    TEST_RI 2802, xori, 0x0, 0x1, 1
    TEST_RI 2803, xori, 0xfffffffffffffffe, 0xffffffffffffffff, 1
    TEST_RI 2804, xori, 0x7ffffffffffffffe, 0x7fffffffffffffff, 1
    TEST_RI 2805, xori, 0x7fffffffffffffff, 0x8000000000000000, -1
    TEST_RI 2806, xori, 0x7ffffffe, 0x7fffffff, 1
    TEST_RI 2807, xori, 0xffffffff7ffff800, 0x80000000, -2048
    TEST_RI 2808, xori, 0xfffff800, 0xffffffff, 2047
    TEST_RI 2809, xori, 0xedcba9876543210f, 0x123456789abcdef0, -1
    TEST_RI 2810, xori, 0xfffffffffffffff8, 0x5, -3
    TEST_RI 2811, xori, 0xff00ff00ff000f, 0xff00ff00ff00ff, 240
    TEST_RI 2812, xori, 0x7ff, 0xffffffffffffffff, -2048
    TEST_RI 2813, xori, 0x7ff, 0x0, 2047
    TEST_RI 2814, xori, 0xffffffffffffffff, 0x7ff, -2048
    TEST_RI_SAME 2815, xori, 0x0, 0x1, 1

    /* ---- ori ---- */
    TEST_RI 2901, ori, 0x0, 0x0, 0
    TEST_RI 2902, ori, 0x1, 0x1, 1
    TEST_RI 2903, ori, 0xffffffffffffffff, 0xffffffffffffffff, 1
    TEST_RI 2904, ori, 0x7fffffffffffffff, 0x7fffffffffffffff, 1
    TEST_RI 2905, ori, 0xffffffffffffffff, 0x8000000000000000, -1
    TEST_RI 2906, ori, 0x7fffffff, 0x7fffffff, 1
    TEST_RI 2907, ori, 0xfffffffffffff800, 0x80000000, -2048
    TEST_RI 2908, ori, 0xffffffff, 0xffffffff, 2047
    TEST_RI 2909, ori, 0xffffffffffffffff, 0x123456789abcdef0, -1
    TEST_RI 2910, ori, 0xfffffffffffffffd, 0x5, -3
    TEST_RI 2911, ori, 0xff00ff00ff00ff, 0xff00ff00ff00ff, 240
    TEST_RI 2912, ori, 0xffffffffffffffff, 0xffffffffffffffff, -2048
    TEST_RI 2913, ori, 0x7ff, 0x0, 2047
    TEST_RI 2914, ori, 0xffffffffffffffff, 0x7ff, -2048
    TEST_RI_SAME 2915, ori, 0x1, 0x1, 1

    /* ---- andi ---- */
    TEST_RI 3001, andi, 0x0, 0x0, 0
    TEST_RI 3002, andi, 0x1, 0x1, 1
    TEST_RI 3003, andi, 0x1, 0xffffffffffffffff, 1
    TEST_RI 3004, andi, 0x1, 0x7fffffffffffffff, 1
    TEST_RI 3005, andi, 0x8000000000000000, 0x8000000000000000, -1
    TEST_RI 3006, andi, 0x1, 0x7fffffff, 1
    TEST_RI 3007, andi, 0x80000000, 0x80000000, -2048
    TEST_RI 3008, andi, 0x7ff, 0xffffffff, 2047
    TEST_RI 3009, andi, 0x123456789abcdef0, 0x123456789abcdef0, -1
    TEST_RI 3010, andi, 0x5, 0x5, -3
    TEST_RI 3011, andi, 0xf0, 0xff00ff00ff00ff, 240
    TEST_RI 3012, andi, 0xfffffffffffff800, 0xffffffffffffffff, -2048
    TEST_RI 3013, andi, 0x0, 0x0, 2047
    TEST_RI 3014, andi, 0x0, 0x7ff, -2048
    TEST_RI_SAME 3015, andi, 0x1, 0x1, 1

    /* ---- addiw ---- */
    TEST_RI 3101, addiw, 0x0, 0x0, 0
    TEST_RI 3102, addiw, 0x2, 0x1, 1
    TEST_RI 3103, addiw, 0x0, 0xffffffffffffffff, 1
    TEST_RI 3104, addiw, 0x0, 0x7fffffffffffffff, 1
    TEST_RI 3105, addiw, 0xffffffffffffffff, 0x8000000000000000, -1
    TEST_RI 3106, addiw, 0xffffffff80000000, 0x7fffffff, 1
    TEST_RI 3107, addiw, 0x7ffff800, 0x80000000, -2048
    TEST_RI 3108, addiw, 0x7fe, 0xffffffff, 2047
    TEST_RI 3109, addiw, 0xffffffff9abcdeef, 0x123456789abcdef0, -1
    TEST_RI 3110, addiw, 0x2, 0x5, -3
    TEST_RI 3111, addiw, 0xff01ef, 0xff00ff00ff00ff, 240
    TEST_RI 3112, addiw, 0xfffffffffffff7ff, 0xffffffffffffffff, -2048
    TEST_RI 3113, addiw, 0x7ff, 0x0, 2047
    TEST_RI 3114, addiw, 0xffffffffffffffff, 0x7ff, -2048
    TEST_RI_SAME 3115, addiw, 0x2, 0x1, 1

    /* ---- slli ---- */
    TEST_RI 3201, slli, 0x123456789abcdef0, 0x123456789abcdef0, 0
    TEST_RI 3202, slli, 0x2468acf13579bde0, 0x123456789abcdef0, 1
    TEST_RI 3203, slli, 0x0, 0x8000000000000000, 63
    TEST_RI 3204, slli, 0x80000000, 0x8000000000000001, 31
    TEST_RI 3205, slli, 0x100000000, 0x8000000000000001, 32
    TEST_RI 3206, slli, 0xffffffffffffffe0, 0xffffffffffffffff, 5
    TEST_RI 3207, slli, 0xf00000000, 0xf0000000f0000000, 4
    TEST_RI 3208, slli, 0x100000000, 0x80000000, 1
    TEST_RI 3209, slli, 0x3fffffff80000000, 0x7fffffff, 31
    TEST_RI 3210, slli, 0x4000000000000000, 0x80000000, 31
    TEST_RI 3211, slli, 0x8000000000000000, 0xffffffffffffffff, 63
    TEST_RI_SAME 3212, slli, 0x2468acf13579bde0, 0x123456789abcdef0, 1

    /* ---- srli ---- */
    TEST_RI 3301, srli, 0x123456789abcdef0, 0x123456789abcdef0, 0
    TEST_RI 3302, srli, 0x91a2b3c4d5e6f78, 0x123456789abcdef0, 1
    TEST_RI 3303, srli, 0x1, 0x8000000000000000, 63
    TEST_RI 3304, srli, 0x100000000, 0x8000000000000001, 31
    TEST_RI 3305, srli, 0x80000000, 0x8000000000000001, 32
    TEST_RI 3306, srli, 0x7ffffffffffffff, 0xffffffffffffffff, 5
    TEST_RI 3307, srli, 0xf0000000f000000, 0xf0000000f0000000, 4
    TEST_RI 3308, srli, 0x40000000, 0x80000000, 1
    TEST_RI 3309, srli, 0x0, 0x7fffffff, 31
    TEST_RI 3310, srli, 0x1, 0x80000000, 31
    TEST_RI 3311, srli, 0x1, 0xffffffffffffffff, 63
    TEST_RI_SAME 3312, srli, 0x91a2b3c4d5e6f78, 0x123456789abcdef0, 1

    /* ---- srai ---- */
    TEST_RI 3401, srai, 0x123456789abcdef0, 0x123456789abcdef0, 0
    TEST_RI 3402, srai, 0x91a2b3c4d5e6f78, 0x123456789abcdef0, 1
    TEST_RI 3403, srai, 0xffffffffffffffff, 0x8000000000000000, 63
    TEST_RI 3404, srai, 0xffffffff00000000, 0x8000000000000001, 31
    TEST_RI 3405, srai, 0xffffffff80000000, 0x8000000000000001, 32
    TEST_RI 3406, srai, 0xffffffffffffffff, 0xffffffffffffffff, 5
    TEST_RI 3407, srai, 0xff0000000f000000, 0xf0000000f0000000, 4
    TEST_RI 3408, srai, 0x40000000, 0x80000000, 1
    TEST_RI 3409, srai, 0x0, 0x7fffffff, 31
    TEST_RI 3410, srai, 0x1, 0x80000000, 31
    TEST_RI 3411, srai, 0xffffffffffffffff, 0xffffffffffffffff, 63
    TEST_RI_SAME 3412, srai, 0x91a2b3c4d5e6f78, 0x123456789abcdef0, 1

    /* ---- slliw ---- */
    TEST_RI 3501, slliw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0
    TEST_RI 3502, slliw, 0x3579bde0, 0x123456789abcdef0, 1
    TEST_RI 3503, slliw, 0x0, 0x80000000, 31
    TEST_RI 3504, slliw, 0xffffffff80000000, 0xffffffff80000001, 31
    TEST_RI 3505, slliw, 0x0, 0xfffffffff0000000, 4
    TEST_RI 3506, slliw, 0xfffffffffffffffe, 0x7fffffff, 1
    TEST_RI 3507, slliw, 0xffffffff80000000, 0x100000001, 31
    TEST_RI 3508, slliw, 0x56780000, 0x12345678, 16
    TEST_RI 3509, slliw, 0xffffffff80000000, 0x80000000, 0
    TEST_RI 3510, slliw, 0xffffffff80000000, 0xffffffffffffffff, 31
    TEST_RI_SAME 3511, slliw, 0x3579bde0, 0x123456789abcdef0, 1

    /* ---- srliw ---- */
    TEST_RI 3601, srliw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0
    TEST_RI 3602, srliw, 0x4d5e6f78, 0x123456789abcdef0, 1
    TEST_RI 3603, srliw, 0x1, 0x80000000, 31
    TEST_RI 3604, srliw, 0x1, 0xffffffff80000001, 31
    TEST_RI 3605, srliw, 0xf000000, 0xfffffffff0000000, 4
    TEST_RI 3606, srliw, 0x3fffffff, 0x7fffffff, 1
    TEST_RI 3607, srliw, 0x0, 0x100000001, 31
    TEST_RI 3608, srliw, 0x1234, 0x12345678, 16
    TEST_RI 3609, srliw, 0xffffffff80000000, 0x80000000, 0
    TEST_RI 3610, srliw, 0x1, 0xffffffffffffffff, 31
    TEST_RI_SAME 3611, srliw, 0x4d5e6f78, 0x123456789abcdef0, 1

    /* ---- sraiw ---- */
    TEST_RI 3701, sraiw, 0xffffffff9abcdef0, 0x123456789abcdef0, 0
    TEST_RI 3702, sraiw, 0xffffffffcd5e6f78, 0x123456789abcdef0, 1
    TEST_RI 3703, sraiw, 0xffffffffffffffff, 0x80000000, 31
    TEST_RI 3704, sraiw, 0xffffffffffffffff, 0xffffffff80000001, 31
    TEST_RI 3705, sraiw, 0xffffffffff000000, 0xfffffffff0000000, 4
    TEST_RI 3706, sraiw, 0x3fffffff, 0x7fffffff, 1
    TEST_RI 3707, sraiw, 0x0, 0x100000001, 31
    TEST_RI 3708, sraiw, 0x1234, 0x12345678, 16
    TEST_RI 3709, sraiw, 0xffffffff80000000, 0x80000000, 0
    TEST_RI 3710, sraiw, 0xffffffffffffffff, 0xffffffffffffffff, 31
    TEST_RI_SAME 3711, sraiw, 0xffffffffcd5e6f78, 0x123456789abcdef0, 1

    /* ---- LUI / AUIPC ---- */
    TESTNUM 100
    lui a0, 0
    CHECK 100, a0, 0
    TESTNUM 101
    lui a0, 0x7ffff
    CHECK 101, a0, 0x7ffff000
    TESTNUM 102
    lui a0, 0x80000
    CHECK 102, a0, 0xffffffff80000000
    TESTNUM 103
    lui a0, 0xfffff
    CHECK 103, a0, 0xfffffffffffff000
    TESTNUM 104
    lui a0, 0x12345
    CHECK 104, a0, 0x12345000
    TESTNUM 105
1:  auipc a0, 0
    la a1, 1b
    CHECK_EQ 105, a0, a1
    TESTNUM 106
1:  auipc a0, 1
    la a1, 1b
    li a2, 0x1000
    add a1, a1, a2
    CHECK_EQ 106, a0, a1
    TESTNUM 107
1:  auipc a0, 0x80000
    la a1, 1b
    li a2, 0xffffffff80000000
    add a1, a1, a2
    CHECK_EQ 107, a0, a1
    TESTNUM 108
1:  auipc a0, 0xfffff
    la a1, 1b
    li a2, -0x1000
    add a1, a1, a2
    CHECK_EQ 108, a0, a1

    /* ---- branches ---- */
    TEST_BR_TAKEN 200, beq, 0, 0
    TEST_BR_TAKEN 201, beq, -1, -1
    TEST_BR_TAKEN 202, beq, 0x8000000000000000, 0x8000000000000000
    TEST_BR_NOT   203, beq, 0, 1
    TEST_BR_NOT   204, beq, 0x100000000, 0
    TEST_BR_NOT   205, beq, -1, 0x7fffffffffffffff
    TEST_BR_TAKEN 210, bne, 0, 1
    TEST_BR_TAKEN 211, bne, 0x100000000, 0
    TEST_BR_TAKEN 212, bne, -1, 0xffffffff
    TEST_BR_NOT   213, bne, 0, 0
    TEST_BR_NOT   214, bne, -1, -1
    TEST_BR_TAKEN 220, blt, 0, 1
    TEST_BR_TAKEN 221, blt, -1, 0
    TEST_BR_TAKEN 222, blt, 0x8000000000000000, 0x7fffffffffffffff
    TEST_BR_TAKEN 223, blt, -2, -1
    TEST_BR_NOT   224, blt, 1, 0
    TEST_BR_NOT   225, blt, 0, -1
    TEST_BR_NOT   226, blt, 5, 5
    TEST_BR_NOT   227, blt, 0x7fffffffffffffff, 0x8000000000000000
    TEST_BR_NOT   228, blt, 0x80000000, 0x7fffffff
    TEST_BR_TAKEN 230, bge, 1, 0
    TEST_BR_TAKEN 231, bge, 0, -1
    TEST_BR_TAKEN 232, bge, 5, 5
    TEST_BR_TAKEN 233, bge, 0x7fffffffffffffff, 0x8000000000000000
    TEST_BR_TAKEN 234, bge, -1, -1
    TEST_BR_NOT   235, bge, -1, 0
    TEST_BR_NOT   236, bge, 0x8000000000000000, 0
    TEST_BR_NOT   237, bge, 0, 1
    TEST_BR_TAKEN 240, bltu, 0, 1
    TEST_BR_TAKEN 241, bltu, 0, -1
    TEST_BR_TAKEN 242, bltu, 0x7fffffffffffffff, 0x8000000000000000
    TEST_BR_TAKEN 243, bltu, 0xffffffff, 0x100000000
    TEST_BR_NOT   244, bltu, -1, 0
    TEST_BR_NOT   245, bltu, 1, 1
    TEST_BR_NOT   246, bltu, 0x8000000000000000, 0x7fffffffffffffff
    TEST_BR_TAKEN 250, bgeu, -1, 0
    TEST_BR_TAKEN 251, bgeu, 1, 1
    TEST_BR_TAKEN 252, bgeu, 0x8000000000000000, 0x7fffffffffffffff
    TEST_BR_TAKEN 253, bgeu, 0x100000000, 0xffffffff
    TEST_BR_NOT   254, bgeu, 0, 1
    TEST_BR_NOT   255, bgeu, 0, -1
    TEST_BR_NOT   256, bgeu, 0x7fffffffffffffff, 0x8000000000000000
    /* same register on both sides */
    TESTNUM 260
    li a1, 7
    beq a1, a1, 1f
    FAIL_HERE 260
1:  TESTNUM 261
    bne a1, a1, 2f
    blt a1, a1, 2f
    bltu a1, a1, 2f
    bge a1, a1, 1f
2:  FAIL_HERE 261
1:  TESTNUM 262
    bgeu a1, a1, 1f
    FAIL_HERE 262
1:  TESTNUM 263                 /* branches compare against x0 */
    li a1, -5
    bltz a1, 1f
    FAIL_HERE 263
1:  bgez a1, 2f
    blez a1, 1f
2:  FAIL_HERE 263
1:  bgtz a1, 2b
    /* far branch: forward over 3000 bytes, and back */
    TESTNUM 264
    li a1, 1
    beqz a1, 2f
    bnez a1, 1f
2:  FAIL_HERE 264
    .fill 800, 4, 0x00000013    /* nops */
1:  TESTNUM 265
    li a2, 0
    li a3, 3
3:  addi a2, a2, 1              /* backward loop: runs 3 times */
    bne a2, a3, 3b
    CHECK 265, a2, 3

    /* ---- JAL ---- */
    TESTNUM 300
    la a2, 2f
    jal a1, 1f
2:  FAIL_HERE 300
1:  CHECK_EQ 300, a1, a2
    TESTNUM 301                 /* rd = x0 (J) */
    j 1f
    FAIL_HERE 301
1:  TESTNUM 302                 /* backward, and ra */
    j 3f
2:  la a2, 4f
    CHECK_EQ 302, ra, a2
    j 5f
3:  jal ra, 2b
4:  FAIL_HERE 302
5:  TESTNUM 303                 /* far: +-1 MiB range */
    jal a1, far_target
6:  FAIL_HERE 303
far_back:
    la a2, 6b
    CHECK_EQ 303, a1, a2

    /* ---- JALR ---- */
    TESTNUM 310
    la a3, 1f
    la a2, 2f
    jalr a1, 0(a3)
2:  FAIL_HERE 310
1:  CHECK_EQ 310, a1, a2
    TESTNUM 311                 /* positive offset */
    la a3, 1f
    addi a3, a3, -16
    jalr a1, 16(a3)
    FAIL_HERE 311
1:  TESTNUM 312                 /* negative offset */
    la a3, 1f
    addi a3, a3, 2000
    jalr a1, -2000(a3)
    FAIL_HERE 312
1:  TESTNUM 313                 /* bit 0 of the target is cleared */
    la a3, 1f
    addi a3, a3, 1
    jalr a1, 0(a3)
    FAIL_HERE 313
1:  TESTNUM 314                 /* ... also when the offset makes it odd */
    la a3, 1f
    addi a3, a3, 2
    jalr a1, -1(a3)
    FAIL_HERE 314
1:  TESTNUM 315                 /* rd = rs1: target from the old value */
    la a3, 1f
    la a2, 2f
    jalr a3, 0(a3)
2:  FAIL_HERE 315
1:  CHECK_EQ 315, a3, a2
    TESTNUM 316                 /* rd = x0 */
    la a3, 1f
    jalr x0, 0(a3)
    FAIL_HERE 316
1:  CHECK 316, x0, 0
    TESTNUM 317                 /* call and return through a function */
    li a0, 5
    call add_seven
    CHECK 317, a0, 12

    /* ---- loads ---- */
    TEST_LOAD 400, lb,  0xffffffffffffff88, 0, ldata
    TEST_LOAD 401, lb,  0xffffffffffffff81, 7, ldata
    TEST_LOAD 402, lb,  0x08, 8, ldata
    TEST_LOAD 403, lb,  0x01, -1, ldata_end
    TEST_LOAD 404, lbu, 0x88, 0, ldata
    TEST_LOAD 405, lbu, 0x81, 7, ldata
    TEST_LOAD 406, lbu, 0x88, -8, ldata_mid
    TEST_LOAD 407, lh,  0xffffffffffff8788, 0, ldata
    TEST_LOAD 408, lh,  0xffffffffffff8182, 6, ldata
    TEST_LOAD 409, lh,  0x0708, 8, ldata
    TEST_LOAD 410, lh,  0x0102, -2, ldata_end
    TEST_LOAD 411, lhu, 0x8788, 0, ldata
    TEST_LOAD 412, lhu, 0x8182, 6, ldata
    TEST_LOAD 413, lhu, 0x0506, -6, ldata_end
    TEST_LOAD 414, lw,  0xffffffff85868788, 0, ldata
    TEST_LOAD 415, lw,  0xffffffff81828384, 4, ldata
    TEST_LOAD 416, lw,  0x05060708, 8, ldata
    TEST_LOAD 417, lw,  0x01020304, -4, ldata_end
    TEST_LOAD 418, lwu, 0x85868788, 0, ldata
    TEST_LOAD 419, lwu, 0x81828384, 4, ldata
    TEST_LOAD 420, lwu, 0x85868788, -8, ldata_mid
    TEST_LOAD 421, ld,  0x8182838485868788, 0, ldata
    TEST_LOAD 422, ld,  0x0102030405060708, 8, ldata
    TEST_LOAD 423, ld,  0x8182838485868788, -16, ldata_end
    TEST_LOAD 424, ld,  0xfedcba9876543210, 2040, ldata
    TEST_LOAD 425, lw,  0x76543210, -2048, ldata_far
    TESTNUM 426                 /* rd = rs1 */
    la a1, ldata
    ld a1, 8(a1)
    CHECK 426, a1, 0x0102030405060708
    TESTNUM 427                 /* load into x0 is discarded */
    la a1, ldata
    ld x0, 0(a1)
    lb x0, 0(a1)
    CHECK 427, x0, 0

    /* ---- stores ---- */
    TEST_ST_DWORD 500, sb, 0xaaaaaaaaaaaaaa12, 0x12, 0, sdata
    TEST_ST_DWORD 501, sb, 0xaaaaaaaa34aaaaaa, 0xffffffffffffff34, 3, sdata
    TEST_ST_DWORD 502, sb, 0xefaaaaaaaaaaaaaa, 0x1ef, 7, sdata
    TEST_ST_DWORD 503, sh, 0xaaaaaaaaaaaa1234, 0x1234, 0, sdata
    TEST_ST_DWORD 504, sh, 0xaaaa8765aaaaaaaa, 0x7777778765, 4, sdata
    TEST_ST_DWORD 505, sh, 0xbeefaaaaaaaaaaaa, 0xbeef, 6, sdata
    TEST_ST_DWORD 506, sw, 0xaaaaaaaa89abcdef, 0x0123456789abcdef, 0, sdata
    TEST_ST_DWORD 507, sw, 0xdeadbeefaaaaaaaa, 0xdeadbeef, 4, sdata
    TEST_ST_DWORD 508, sd, 0x0123456789abcdef, 0x0123456789abcdef, 0, sdata
    TEST_ST_DWORD 509, sd, 0x8000000000000001, 0x8000000000000001, 0, sdata, 0
    TEST_STORE 510, sb, lb, 0xffffffffffffff80, 0x80, 9, sdata
    TEST_STORE 511, sb, lbu, 0x80, 0x80, 9, sdata
    TEST_STORE 512, sh, lh, 0xffffffffffff8001, 0x8001, 10, sdata
    TEST_STORE 513, sh, lhu, 0x8001, 0x8001, 10, sdata
    TEST_STORE 514, sw, lw, 0xffffffff80000001, 0x80000001, 12, sdata
    TEST_STORE 515, sw, lwu, 0x80000001, 0x80000001, 12, sdata
    TEST_STORE 516, sd, ld, 0x55aa55aa55aa55aa, 0x55aa55aa55aa55aa, -8, \
               sdata_end
    TEST_STORE 517, sw, lw, 0x11223344, 0x11223344, -2048, sdata_far
    TEST_STORE 518, sd, ld, 0x1122334455667788, 0x1122334455667788, 2040, sdata
    TESTNUM 519                 /* store of the base register itself */
    la a1, sdata
    sd a1, 16(a1)
    ld a0, 16(a1)
    CHECK_EQ 519, a0, a1
    TESTNUM 520                 /* store x0 */
    la a1, sdata
    li a2, -1
    sd a2, 24(a1)
    sw x0, 24(a1)
    ld a0, 24(a1)
    CHECK 520, a0, 0xffffffff00000000

    /* ---- misaligned loads and stores: QEMU performs them in hardware
     * for ordinary loads/stores (the spec allows either that or a trap;
     * vmkit follows QEMU) ---- */
    TEST_LOAD 600, ld,  0x0881828384858687, 1, ldata
    TEST_LOAD 601, ld,  0x0405060708818283, 5, ldata
    TEST_LOAD 602, lw,  0xffffffff83848586, 2, ldata
    TEST_LOAD 603, lw,  0x07088182, 6, ldata
    TEST_LOAD 604, lwu, 0x84858687, 1, ldata
    TEST_LOAD 605, lh,  0xffffffffffff8485, 3, ldata
    TEST_LOAD 606, lhu, 0x0881, 7, ldata
    TEST_LOAD 607, lh,  0x0881, 7, ldata
    TEST_ST_DWORD 610, sh, 0xaaaaaaaaaa1234aa, 0x1234, 1, sdata
    TEST_ST_DWORD 611, sw, 0xaaaa12345678aaaa, 0x12345678, 2, sdata
    TEST_ST_DWORD 612, sw, 0x345678aaaaaaaaaa, 0x12345678, 5, sdata
    TESTNUM 613
    la a1, sdata
    sd zero, 0(a1)
    sd zero, 8(a1)
    li a2, 0x1122334455667788
    sd a2, 3(a1)
    ld a0, 0(a1)
    CHECK 613, a0, 0x4455667788000000
    ld a0, 8(a1)
    CHECK 614, a0, 0x0000000000112233
    ld a0, 3(a1)
    CHECK 615, a0, 0x1122334455667788
    /* across a page boundary */
    TESTNUM 616
    la a1, cross_page
    li a2, 0x0102030405060708
    sd a2, -4(a1)
    lw a0, -4(a1)
    CHECK 616, a0, 0x05060708
    lw a0, 0(a1)
    CHECK 617, a0, 0x01020304
    ld a0, -4(a1)
    CHECK 618, a0, 0x0102030405060708
    lw a0, -2(a1)
    CHECK 619, a0, 0x03040506
    TESTNUM 620
    li a2, -1
    sw a2, -2(a1)
    lhu a0, -2(a1)
    CHECK 620, a0, 0xffff
    lhu a0, 0(a1)
    CHECK 621, a0, 0xffff
    lh a0, -4(a1)
    CHECK 622, a0, 0x0708
    lh a0, 2(a1)
    CHECK 623, a0, 0x0102

    /* ---- x0 is hard-wired zero; HINT encodings execute as no-ops ---- */
    TESTNUM 700
    li a1, 123
    addi x0, x0, 5
    addi x0, a1, 1
    lui x0, 0x12345
    auipc x0, 1
    slli x0, a1, 3
    add x0, a1, a1
    sltiu x0, a1, 7
    CHECK 700, x0, 0
    TESTNUM 701
    mv a0, x0
    CHECK 701, a0, 0
    TESTNUM 702
    addi a0, x0, -1
    CHECK 702, a0, -1
    TESTNUM 703                 /* NOP */
    li a0, 9
    nop
    addi zero, zero, 0
    CHECK 703, a0, 9

    /* ---- FENCE (and FENCE.TSO, PAUSE) run and have no other effect ---- */
    TESTNUM 710
    li a0, 42
    fence
    fence rw, rw
    fence r, r
    fence w, w
    fence iorw, iorw
    fence.tso
    .word 0x0100000f            /* pause (fence w, 0) */
    CHECK 710, a0, 42

    /* ---- every register holds its own value ---- */
    TESTNUM 800
    li x1, 0x0101010101010101
    li x2, 0x0202020202020202
    li x3, 0x0303030303030303
    li x4, 0x0404040404040404
    li x5, 0x0505050505050505
    li x6, 0x0606060606060606
    li x7, 0x0707070707070707
    li x8, 0x0808080808080808
    li x9, 0x0909090909090909
    li x10, 0x0a0a0a0a0a0a0a0a
    li x11, 0x0b0b0b0b0b0b0b0b
    li x12, 0x0c0c0c0c0c0c0c0c
    li x13, 0x0d0d0d0d0d0d0d0d
    li x14, 0x0e0e0e0e0e0e0e0e
    li x15, 0x0f0f0f0f0f0f0f0f
    li x16, 0x1010101010101010
    li x17, 0x1111111111111111
    li x18, 0x1212121212121212
    li x19, 0x1313131313131313
    li x20, 0x1414141414141414
    li x21, 0x1515151515151515
    li x22, 0x1616161616161616
    li x23, 0x1717171717171717
    li x24, 0x1818181818181818
    li x25, 0x1919191919191919
    li x26, 0x1a1a1a1a1a1a1a1a
    li x27, 0x1b1b1b1b1b1b1b1b
    li x28, 0x1c1c1c1c1c1c1c1c
    li x29, 0x1d1d1d1d1d1d1d1d
    li x30, 0x1e1e1e1e1e1e1e1e
    li x31, 0x1f1f1f1f1f1f1f1f
    /* x1 + ... + x31, each 0x0101..01 * i: 496 * 0x0101010101010101 */
    add x1, x1, x2
    add x1, x1, x3
    add x1, x1, x4
    add x1, x1, x5
    add x1, x1, x6
    add x1, x1, x7
    add x1, x1, x8
    add x1, x1, x9
    add x1, x1, x10
    add x1, x1, x11
    add x1, x1, x12
    add x1, x1, x13
    add x1, x1, x14
    add x1, x1, x15
    add x1, x1, x16
    add x1, x1, x17
    add x1, x1, x18
    add x1, x1, x19
    add x1, x1, x20
    add x1, x1, x21
    add x1, x1, x22
    add x1, x1, x23
    add x1, x1, x24
    add x1, x1, x25
    add x1, x1, x26
    add x1, x1, x27
    add x1, x1, x28
    add x1, x1, x29
    add x1, x1, x30
    add x1, x1, x31
    la sp, vk_stack_top
    mv a0, x1
    CHECK 800, a0, 0xf1f1f1f1f1f1f1f0

    TEST_END

/* JAL far target: more than 64 KiB away */
    .section .text.far, "ax", @progbits
    .fill 20000, 4, 0x00000013
far_target:
    j far_back

    .text
add_seven:
    addi a0, a0, 7
    ret

    .data
    .balign 16
ldata:
    .dword 0x8182838485868788
ldata_mid:
    .dword 0x0102030405060708
ldata_end:
    .fill 253, 8, 0
    .dword 0xfedcba9876543210   /* ldata + 2040 */
    .fill 255, 8, 0
ldata_far:                      /* ldata + 4088 = (ldata + 2040) + 2048 */

    .balign 16
    .dword 0, 0, 0, 0
sdata:
    .fill 255, 8, 0
    .dword 0                    /* sdata + 2040 */
    .dword 0
sdata_end:
    .fill 254, 8, 0
sdata_far:

    .balign 4096
    .fill 4088, 1, 0
    .dword 0
cross_page:
    .dword 0
