/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rvc.S: every RV64C instruction (unprivileged spec ch. 16), written with
 * explicit c.* mnemonics so the assembler cannot pick 32-bit forms, each
 * checked against its 32-bit meaning: immediates at their limits, the
 * x8..x15 register subsets and full-register forms, C.JALR linking pc + 2,
 * C.EBREAK; reserved encodings trap illegal with mtval = the 16 instruction
 * bits; 32-bit instructions at 2-byte aligned addresses, including one
 * that straddles a page boundary and branch/jump targets at pc % 4 == 2. */
#include "macros.h"

.option rvc

/* NORVC insn...: assemble as 32-bit instructions (reference values) */
.macro NORVC args:vararg
    .option push
    .option norvc
    \args
    .option pop
.endm

/* TEST_CRR n, op, exp, v1, v2: a0 = v1, a1 = v2, "op a0, a1" */
.macro TEST_CRR n, op, exp, v1, v2
    TESTNUM \n
    li a0, \v1
    li a1, \v2
    \op a0, a1
    CHECK \n, a0, \exp
.endm

/* TEST_CRI n, op, exp, v, imm: a0 = v, "op a0, imm" */
.macro TEST_CRI n, op, exp, v, imm
    TESTNUM \n
    li a0, \v
    \op a0, \imm
    CHECK \n, a0, \exp
.endm

/* TEST_CILL n, bits: a reserved 16-bit encoding is an illegal instruction
 * with mtval = its bits and mepc = its address */
.macro TEST_CILL n, bits
    TESTNUM \n
    TRAP_ARM .Lr\@
.Li\@:
    .half \bits
    li a0, \n
    j vk_fail_notrap
.Lr\@:
    CHECK_TRAP \n, CAUSE_ILLEGAL
    CHECK_EPC_AT \n, .Li\@
    CHECK_TVAL \n, \bits
.endm

TEST_BEGIN
    /* ---- stack-pointer based: C.ADDI4SPN, C.ADDI16SP ---- */
    TESTNUM 1
    mv s1, sp
    c.addi4spn a0, sp, 4
    addi a1, s1, 4
    CHECK_EQ 1, a0, a1
    c.addi4spn a2, sp, 1020
    addi a1, s1, 1020
    CHECK_EQ 2, a2, a1
    c.addi4spn s0, sp, 512
    addi a1, s1, 512
    CHECK_EQ 3, s0, a1
    TESTNUM 4
    c.addi16sp sp, -512
    addi a1, s1, -512
    CHECK_EQ 4, sp, a1
    c.addi16sp sp, 496
    addi a1, a1, 496
    CHECK_EQ 5, sp, a1
    c.addi16sp sp, 16
    CHECK_EQ 6, sp, s1
    mv sp, s1

    /* ---- loads and stores, register based ---- */
    TESTNUM 10
    la a1, cdata
    c.lw a0, 0(a1)
    CHECK 10, a0, 0xffffffff89abcdef
    c.lw a0, 4(a1)
    CHECK 11, a0, 0x01234567
    c.lw a0, 124(a1)
    CHECK 12, a0, 0x7c7c7c7c
    c.ld a0, 0(a1)
    CHECK 13, a0, 0x0123456789abcdef
    c.ld a0, 248(a1)
    CHECK 14, a0, 0xf8f8f8f8f8f8f8f8
    c.ld a1, 8(a1)              /* rd = rs1 */
    CHECK 15, a1, 0x1111111111111111
    TESTNUM 16
    la a1, cdata
    li a2, 0x5566778899aabbcc
    c.sd a2, 16(a1)
    NORVC ld a0, 16(a1)
    CHECK 16, a0, 0x5566778899aabbcc
    c.sw a2, 24(a1)
    NORVC lw a0, 24(a1)
    CHECK 17, a0, 0xffffffff99aabbcc
    c.sw a2, 124(a1)
    NORVC lwu a0, 124(a1)
    CHECK 18, a0, 0x99aabbcc
    c.sd a2, 248(a1)
    NORVC ld a0, 248(a1)
    CHECK 19, a0, 0x5566778899aabbcc
    TESTNUM 20                  /* FP loads and stores */
    c.fld fa0, 0(a1)
    fmv.x.d a0, fa0
    CHECK 20, a0, 0x0123456789abcdef
    c.fld fa1, 248(a1)
    fmv.x.d a0, fa1
    CHECK 21, a0, 0x5566778899aabbcc
    c.fsd fa0, 32(a1)
    NORVC ld a0, 32(a1)
    CHECK 22, a0, 0x0123456789abcdef
    c.fsd fa0, 240(a1)
    NORVC ld a0, 240(a1)
    CHECK 23, a0, 0x0123456789abcdef

    /* ---- stack-pointer based loads and stores ---- */
    TESTNUM 30
    mv s1, sp
    la sp, cdata_sp
    c.lwsp a0, 0(sp)
    c.ldsp a2, 8(sp)
    c.lwsp a3, 252(sp)
    c.ldsp a4, 504(sp)
    c.fldsp fa2, 0(sp)
    c.fldsp fa3, 496(sp)
    li t0, 0x7777777788888888
    c.swsp t0, 40(sp)
    c.sdsp t0, 48(sp)
    c.swsp t0, 252(sp)
    c.sdsp t0, 496(sp)
    fmv.d.x fa4, t0
    c.fsdsp fa4, 56(sp)
    c.fsdsp fa4, 488(sp)
    mv sp, s1
    CHECK 30, a0, 0xffffffff89abcdef
    CHECK 31, a2, 0x1111111111111111
    CHECK 32, a3, 0xfffffffffcfcfcfc
    CHECK 33, a4, 0x0808080808080808
    fmv.x.d a0, fa2
    CHECK 34, a0, 0x0123456789abcdef
    fmv.x.d a0, fa3
    CHECK 35, a0, 0xf0f0f0f0f0f0f0f0
    la a1, cdata_sp
    NORVC lw a0, 40(a1)
    CHECK 36, a0, 0xffffffff88888888
    NORVC ld a0, 48(a1)
    CHECK 37, a0, 0x7777777788888888
    NORVC lwu a0, 252(a1)
    CHECK 38, a0, 0x88888888
    NORVC ld a0, 496(a1)
    CHECK 39, a0, 0x7777777788888888
    NORVC ld a0, 56(a1)
    CHECK 40, a0, 0x7777777788888888
    NORVC ld a0, 488(a1)
    CHECK 41, a0, 0x7777777788888888

    /* ---- constants and immediates ---- */
    TESTNUM 50
    li a0, 77
    c.nop
    CHECK 50, a0, 77
    TEST_CRI 51, c.addi, 0x100000000 - 32, 0xffffffff, -31
    TEST_CRI 52, c.addi, 0x20, 1, 31
    TEST_CRI 53, c.addi, -32, 0, -32
    TEST_CRI 54, c.addiw, 0xffffffff80000000, 0x7fffffff, 1
    TEST_CRI 55, c.addiw, 0xffffffff89abcdef, 0x0123456789abcdef, 0
    TEST_CRI 56, c.addiw, 0x7fffffff, 0xffffffff80000000, -1
    TEST_CRI 57, c.addiw, 0xffffffffffffffe0, 0x100000000, -32
    TESTNUM 58
    c.li a0, -32
    CHECK 58, a0, -32
    c.li t0, 31
    CHECK 59, t0, 31
    c.li s1, 0
    CHECK 60, s1, 0
    TESTNUM 61
    c.lui a0, 1
    CHECK 61, a0, 0x1000
    c.lui a0, 0x1f
    CHECK 62, a0, 0x1f000
    c.lui t2, 0xfffe0
    CHECK 63, t2, 0xfffffffffffe0000
    c.lui a0, 0xfffff
    CHECK 64, a0, 0xfffffffffffff000
    TESTNUM 65                  /* C.ADDI on a full register */
    li t1, 100
    c.addi t1, -1
    CHECK 65, t1, 99

    /* ---- shifts and C.ANDI ---- */
    TEST_CRI 70, c.srli, 0x0091a2b3c4d5e6f7, 0x123456789abcdef0, 5
    TEST_CRI 71, c.srli, 1, 0x8000000000000000, 63
    TEST_CRI 72, c.srli, 0xffffffff, 0xffffffffffffffff, 32
    TEST_CRI 73, c.srai, 0xfc00000000000007, 0x80000000000000f0, 5
    TEST_CRI 74, c.srai, -1, 0x8000000000000000, 63
    TEST_CRI 75, c.srai, 0xffffffff80000000, 0x8000000000000000, 32
    TEST_CRI 76, c.srai, 0x3fffffffffffffff, 0x7fffffffffffffff, 1
    TEST_CRI 77, c.andi, 0x10, 0xfffffffffffffff0, 0x1f
    TEST_CRI 78, c.andi, 0xffffffffffffffe0, 0xffffffffffffffff, -32
    TEST_CRI 79, c.andi, 0, 0xffffffffffffffff, 0
    TEST_CRI 80, c.andi, 0x123456789abcdef0, 0x123456789abcdef0, -1
    TEST_CRI 81, c.slli, 0x8000000000000000, 1, 63
    TEST_CRI 82, c.slli, 0x2468acf13579bde0, 0x123456789abcdef0, 1
    TEST_CRI 83, c.slli, 0x9abcdef000000000, 0x123456789abcdef0, 32
    TESTNUM 84                  /* C.SLLI on a full register */
    li t3, 3
    c.slli t3, 4
    CHECK 84, t3, 48

    /* ---- register-register arithmetic ---- */
    TEST_CRR 90, c.sub, 0xffffffffffffffff, 0, 1
    TEST_CRR 91, c.sub, 0x8000000000000000, 0x7fffffffffffffff, \
        0xffffffffffffffff
    TEST_CRR 92, c.xor, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0, \
        0x0ff00ff00ff00ff0
    TEST_CRR 93, c.or, 0xfff0fff0fff0fff0, 0xf0f0f0f0f0f0f0f0, \
        0x0ff00ff00ff00ff0
    TEST_CRR 94, c.and, 0x00f000f000f000f0, 0xf0f0f0f0f0f0f0f0, \
        0x0ff00ff00ff00ff0
    TEST_CRR 95, c.subw, 0xffffffff80000000, 0x7fffffff, 0xffffffffffffffff
    TEST_CRR 96, c.subw, 0, 0x100000000, 0
    TEST_CRR 97, c.addw, 0xffffffff80000000, 0x7fffffff, 1
    TEST_CRR 98, c.addw, 2, 0x100000001, 0x200000001
    TEST_CRR 99, c.add, 0, 0xffffffffffffffff, 1
    TEST_CRR 100, c.mv, 0x123456789abcdef0, 0, 0x123456789abcdef0
    TESTNUM 101                 /* full registers: C.ADD, C.MV */
    li t0, 5
    li t4, 7
    c.add t0, t4
    CHECK 101, t0, 12
    c.mv s7, t0
    CHECK 102, s7, 12
    TESTNUM 103                 /* rd = rs */
    li a0, 21
    c.add a0, a0
    CHECK 103, a0, 42
    c.sub a0, a0
    CHECK 104, a0, 0

    /* ---- control transfer ---- */
    TESTNUM 110
    c.j 1f
    FAIL_HERE 110
1:  TESTNUM 111
    c.j 3f
2:  c.j 4f
3:  c.j 2b
    FAIL_HERE 111
4:  TESTNUM 112
    li a0, 0
    c.beqz a0, 1f
    FAIL_HERE 112
1:  li a0, 1
    c.beqz a0, 2f
    c.bnez a0, 1f
2:  FAIL_HERE 113
1:  li a0, 0
    c.bnez a0, 2b
    TESTNUM 114                 /* backward C.BNEZ loop */
    li s0, 5
    li a0, 0
1:  addi a0, a0, 3
    addi s0, s0, -1
    c.bnez s0, 1b
    CHECK 114, a0, 15
    TESTNUM 115                 /* full-width register is tested */
    li a0, 0x100000000
    c.beqz a0, 2f
    c.bnez a0, 1f
2:  FAIL_HERE 115
1:  TESTNUM 116                 /* C.JR */
    la a3, 1f
    c.jr a3
    FAIL_HERE 116
1:  TESTNUM 117                 /* C.JALR links pc + 2 */
    la a3, 2f
    la a4, 1f
    c.jalr a3
1:  FAIL_HERE 117
2:  CHECK_EQ 117, ra, a4
    TESTNUM 118                 /* C.JALR with rs1 = ra */
    la ra, 2f
    la a4, 1f
    c.jalr ra
1:  FAIL_HERE 118
2:  CHECK_EQ 118, ra, a4
    TESTNUM 119                 /* call / return (C.JR ra) */
    li a0, 5
    call c_add_ten
    CHECK 119, a0, 15
    TESTNUM 120                 /* C.J at the edge of its range */
    c.j far_fwd
    FAIL_HERE 120
far_back:
    j 1f
    .fill 1000, 2, 0x0001       /* c.nop */
far_fwd:
    c.j far_back
1:

    /* ---- C.EBREAK ---- */
    TESTNUM 130
    TRAP_ARM 2f
1:  c.ebreak
    li a0, 130
    j vk_fail_notrap
2:  CHECK_TRAP 130, CAUSE_BREAKPOINT
    CHECK_EPC_AT 131, 1b
    /* mtval: zero or the address of the instruction (privileged spec
     * §3.1.16); QEMU 7.2 writes zero */
    ld a0, vk_trap_tval
    beqz a0, 3f
    la a1, 1b
    CHECK_EQ 132, a0, a1
3:

    /* ---- reserved encodings ---- */
    TEST_CILL 140, 0x0000       /* all zeros */
    TEST_CILL 141, 0x0004       /* C.ADDI4SPN with nzuimm = 0 */
    TEST_CILL 142, 0x6101       /* C.ADDI16SP with nzimm = 0 */
    TEST_CILL 143, 0x6081       /* C.LUI with nzimm = 0 */
    TEST_CILL 144, 0x4002       /* C.LWSP with rd = x0 */
    TEST_CILL 145, 0x6002       /* C.LDSP with rd = x0 */
    TEST_CILL 146, 0x8002       /* C.JR with rs1 = x0 */

    /* ---- 32-bit instructions at pc % 4 == 2 ---- */
    TESTNUM 150
    .balign 4
    c.nop
    NORVC li a0, 0x12345    /* lui + addiw, both at 2 mod 4 */
    CHECK 150, a0, 0x12345
    TESTNUM 151
    .balign 4
    c.nop
    NORVC jal a2, 1f        /* 32-bit jump to a 2 mod 4 target */
    FAIL_HERE 151
    .balign 4
    c.nop
1:  NORVC addi a0, zero, 151
    CHECK 151, a0, 151
    TESTNUM 152             /* JALR to an address = 2 mod 4 */
    la a3, 2f
    jalr a3
    FAIL_HERE 152
    .balign 4
    c.nop
2:  NORVC beq zero, zero, 1f
    FAIL_HERE 153
    .balign 4
    c.nop
1:  TESTNUM 154             /* a 32-bit instruction across a page boundary */
    call straddle
    CHECK 154, a0, 0x154

    TEST_END

c_add_ten:
    c.addi a0, 10
    c.jr ra

/* straddle: its lui starts 2 bytes before a page boundary */
    .balign 4096
    .fill 2047, 2, 0x0001       /* c.nop */
straddle:
    NORVC lui a0, 0x0
    NORVC addi a0, a0, 0x154
    ret

    .data
    .balign 16
cdata:
    .dword 0x0123456789abcdef, 0x1111111111111111
    .fill 13, 8, 0
    .word 0, 0x7c7c7c7c         /* cdata + 120 */
    .fill 15, 8, 0
    .dword 0xf8f8f8f8f8f8f8f8   /* cdata + 248 */
cdata_sp:
    .dword 0x0123456789abcdef, 0x1111111111111111
    .fill 29, 8, 0
    .word 0, 0xfcfcfcfc         /* cdata_sp + 248 */
    .fill 30, 8, 0
    .dword 0xf0f0f0f0f0f0f0f0   /* cdata_sp + 496 */
    .dword 0x0808080808080808   /* cdata_sp + 504 */
