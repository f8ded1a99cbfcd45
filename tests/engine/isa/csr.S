/* SPDX-License-Identifier: GPL-2.0-or-later */
/* csr.S: the CSRs of an RV64GC M/S/U hart (privileged spec ch. 2, 3, 4):
 * CSR instruction semantics, read-only CSRs (reads fine, writes illegal),
 * misa, mstatus and its sstatus view (S writes touch only S fields), FS/SD,
 * SXL/UXL, endianness bits, medeleg/mideleg, mie/mip and the sie/sip views
 * masked by mideleg, mtvec/stvec modes, mepc/sepc, mcause/scause,
 * mtval/stval, mscratch/sscratch, satp mode probing (an unsupported mode
 * leaves satp unchanged), menvcfg/senvcfg, mcounteren/scounteren gating of
 * cycle/time/instret in S and U, mcycle/minstret/time counting, 16 PMP
 * entries, unimplemented CSRs illegal. Where QEMU 7.2 deviates from the
 * spec (mepc bit 0, medeleg[11], upper bits of mcounteren and pmpaddr,
 * MPP = 2) the checks are in strict.S; Sv57 and the exact misa are vmkit
 * choices in platform.S. */
#include "macros.h"

/* the fields sstatus shows (VS aside: it may or may not exist) */
#define SSTATUS_FIELDS  (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | \
                         MSTATUS_FS | MSTATUS_XS | MSTATUS_SUM | \
                         MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
/* writable S fields, and M fields sstatus must not reach */
#define S_RW_FIELDS     (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | \
                         MSTATUS_SUM | MSTATUS_MXR)
#define M_ONLY_FIELDS   (MSTATUS_MIE | MSTATUS_TVM | MSTATUS_TW | \
                         MSTATUS_TSR | MSTATUS_MPRV)

.macro CHECK_BITS n, reg, mask, value
    li t6, \mask
    and a0, \reg, t6
    CHECK \n, a0, \value
.endm

/* insn, run in mode prv, must not trap: it is followed by an ecall */
.macro TEST_MODE_OK n, prv, insn:vararg
    TESTNUM \n
    TRAP_ARM .Lr\@
    GOTO_MODE \prv, .Li\@
.Li\@:
    \insn
.Le\@:
    ecall
.Lr\@:
    ld a0, vk_trap_epc
    la a1, .Le\@
    beq a0, a1, .Lok\@
    li a0, \n
    j vk_fail_trap
.Lok\@:
.endm

/* insn, run in mode prv, is an illegal instruction */
.macro TEST_MODE_ILL n, prv, insn:vararg
    TESTNUM \n
    TRAP_ARM .Lr\@
    GOTO_MODE \prv, .Li\@
.Li\@:
    \insn
    FAIL_HERE \n
.Lr\@:
    CHECK_TRAP \n, CAUSE_ILLEGAL
    CHECK_EPC_AT \n, .Li\@
.endm

TEST_BEGIN
    /* ---- CSR instruction semantics (on mscratch) ---- */
    csrr s1, mscratch           /* the trap stack pointer: restored below */
    TESTNUM 1
    li a1, 0x0123456789abcdef
    csrw mscratch, a1
    csrr a0, mscratch
    CHECK 1, a0, 0x0123456789abcdef
    li a1, 0xff00
    csrrs a0, mscratch, a1
    CHECK 2, a0, 0x0123456789abcdef
    csrr a0, mscratch
    CHECK 3, a0, 0x0123456789abffef
    li a1, 0xf0
    csrrc a0, mscratch, a1
    CHECK 4, a0, 0x0123456789abffef
    csrr a0, mscratch
    CHECK 5, a0, 0x0123456789abff0f
    csrrwi a0, mscratch, 0x1f
    CHECK 6, a0, 0x0123456789abff0f
    csrr a0, mscratch
    CHECK 7, a0, 0x1f
    csrrsi a0, mscratch, 0x20 >> 1
    csrr a0, mscratch
    CHECK 8, a0, 0x1f
    csrrci a0, mscratch, 0x3
    csrr a0, mscratch
    CHECK 9, a0, 0x1c
    TESTNUM 10                  /* rd = rs1 */
    li a0, 0x55
    csrrw a0, mscratch, a0
    CHECK 10, a0, 0x1c
    csrr a0, mscratch
    CHECK 11, a0, 0x55
    TESTNUM 12                  /* csrrs/csrrc with x0 do not write */
    csrrs a0, mscratch, x0
    csrrc a0, mscratch, x0
    csrrsi a0, mscratch, 0
    csrr a0, mscratch
    CHECK 12, a0, 0x55
    li a1, -1
    csrw sscratch, a1
    csrr a0, sscratch
    CHECK 13, a0, -1
    csrw mscratch, s1
    la t0, vk_strap_stack_top
    csrw sscratch, t0

    /* ---- read-only machine information ---- */
    TESTNUM 20
    csrr a0, mhartid
    CHECK 20, a0, 0
    TEST_NO_TRAP(21, csrr a0, mvendorid; csrr a0, marchid; csrr a0, mimpid;
                 csrrs a0, mhartid, x0; csrrsi a0, mhartid, 0;
                 csrrc a0, mhartid, x0)
    TEST_TRAP_AT(22, CAUSE_ILLEGAL, 0xf1101073, csrw mvendorid, zero)
    TEST_TRAP_AT(23, CAUSE_ILLEGAL, 0xf125a073, csrs marchid, a1)
    TEST_TRAP_AT(24, CAUSE_ILLEGAL, 0xf130d073, csrwi mimpid, 1)
    TEST_TRAP_AT(25, CAUSE_ILLEGAL, 0xf1401073, csrw mhartid, zero)
    TEST_TRAP_AT(26, CAUSE_ILLEGAL, 0xc0001073, csrw cycle, zero)
    TEST_TRAP_AT(27, CAUSE_ILLEGAL, 0xc010d073, csrw time, 1)
    TEST_TRAP_AT(28, CAUSE_ILLEGAL, 0xc020f073, csrc instret, 1)
    TEST_TRAP_AT(29, CAUSE_ILLEGAL, 0xf140a073, csrrs zero, mhartid, ra)

    /* ---- misa: RV64 with I M A F D C S U ---- */
    TESTNUM 30
    csrr a2, misa
    srli a0, a2, 62
    CHECK 30, a0, 2
    li t0, (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | \
           (1 << 12) | (1 << 18) | (1 << 20)
    and a0, a2, t0
    CHECK_EQ 31, a0, t0
    TEST_NO_TRAP(32, csrw misa, a2)  /* writing the value back is harmless */
    csrr a0, misa
    CHECK_EQ 33, a0, a2

    /* ---- mstatus and sstatus ---- */
    TESTNUM 40
    csrr a2, mstatus
    srli a0, a2, 32
    andi a0, a0, 0xf
    CHECK 40, a0, 0xa           /* SXL = UXL = 2 (64-bit) */
    CHECK_BITS 41, a2, MSTATUS_XS, 0
    TESTNUM 42                  /* little-endian only: UBE/SBE/MBE = 0 */
    li t0, MSTATUS_UBE | (3 << 36)
    csrs mstatus, t0
    csrr a2, mstatus
    CHECK_BITS 42, a2, MSTATUS_UBE | (3 << 36), 0
    TESTNUM 43                  /* sstatus is a view of mstatus */
    csrr a2, mstatus
    csrr a3, sstatus
    li t0, SSTATUS_FIELDS
    and a2, a2, t0
    and a0, a3, t0
    CHECK_EQ 43, a0, a2
    TESTNUM 44                  /* sstatus hides the M-only fields */
    li t0, M_ONLY_FIELDS | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_SXL
    and a0, a3, t0
    CHECK 44, a0, 0
    TESTNUM 45                  /* writing sstatus changes only S fields */
    csrr s2, mstatus
    li t0, MSTATUS_MPP | MSTATUS_MPIE
    csrs mstatus, t0
    li t0, M_ONLY_FIELDS
    csrc mstatus, t0
    /* set the S fields, try to set M ones, leave MPP/MPIE as zeros */
    li t0, S_RW_FIELDS | MSTATUS_FS | M_ONLY_FIELDS
    csrw sstatus, t0
    csrr a2, mstatus
    li t0, S_RW_FIELDS
    and a0, a2, t0
    CHECK_EQ 45, a0, t0
    li t0, M_ONLY_FIELDS
    and a0, a2, t0
    CHECK 46, a0, 0
    li t0, MSTATUS_MPP | MSTATUS_MPIE
    and a0, a2, t0
    CHECK_EQ 47, a0, t0
    CHECK_BITS 48, a2, MSTATUS_FS, MSTATUS_FS_DIRTY
    bltz a2, 1f                 /* SD follows FS = Dirty */
    FAIL_HERE 49
1:  TESTNUM 50
    csrw sstatus, zero
    csrr a2, mstatus
    li t0, S_RW_FIELDS | MSTATUS_FS
    and a0, a2, t0
    CHECK 50, a0, 0
    li t0, MSTATUS_MPP | MSTATUS_MPIE
    and a0, a2, t0
    CHECK_EQ 51, a0, t0
    bgez a2, 1f                 /* FS = Off: SD = 0 */
    FAIL_HERE 52
1:  csrw mstatus, s2
    TESTNUM 53                  /* MPP holds M, S and U */
    .irp m, 0, 1, 3
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, (\m << 11)
    csrs mstatus, t0
    csrr a2, mstatus
    CHECK_BITS 53, a2, MSTATUS_MPP, (\m << 11)
    .endr
    csrw mstatus, s2

    /* ---- trap delegation registers ---- */
    TESTNUM 60
    li a1, -1
    csrw medeleg, a1
    csrr a2, medeleg
    li t0, 0xb3ff               /* 0-9, 12, 13, 15 can be delegated */
    and a0, a2, t0
    CHECK 60, a0, 0xb3ff
    csrw medeleg, zero
    csrr a0, medeleg
    CHECK 61, a0, 0
    TESTNUM 62
    csrw mideleg, a1
    csrr a2, mideleg
    CHECK_BITS 62, a2, 0x222, 0x222     /* SSI, STI, SEI */
    CHECK_BITS 63, a2, 0x888, 0         /* M-level: never */
    csrw mideleg, zero

    /* ---- mie / mip and the sie / sip views ---- */
    TESTNUM 70
    csrw mie, a1
    csrr a2, mie
    CHECK_BITS 70, a2, 0xaaa, 0xaaa
    csrr a0, sie                /* nothing delegated: sie reads 0 */
    CHECK 71, a0, 0
    li t0, 0x222
    csrw mideleg, t0
    csrr a0, sie
    CHECK 72, a0, 0x222
    TESTNUM 73                  /* sie writes reach only delegated bits */
    li t0, 0x020
    csrw mideleg, t0
    csrw sie, zero
    csrr a2, mie
    CHECK_BITS 73, a2, 0xaaa, 0xa8a
    li t0, 0x222
    csrw mideleg, t0
    csrw sie, zero
    csrr a2, mie
    CHECK_BITS 74, a2, 0xaaa, 0x888
    li t0, 0x202
    csrs sie, t0
    csrr a0, sie
    CHECK 75, a0, 0x202
    csrw mie, zero
    TESTNUM 76                  /* mip: SSIP, STIP, SEIP writable from M */
    li t0, 0x222
    csrs mip, t0
    csrr a2, mip
    CHECK_BITS 76, a2, 0x222, 0x222
    csrr a0, sip                /* sip shows them (all delegated) */
    CHECK_BITS 77, a0, 0x222, 0x222
    csrw mip, zero
    csrr a2, mip
    CHECK_BITS 78, a2, 0x222, 0
    TESTNUM 79                  /* sip: only SSIP is writable */
    li t0, 0x222
    csrw sip, t0
    csrr a2, mip
    CHECK_BITS 79, a2, 0x222, 0x002
    csrw sip, zero
    csrr a2, mip
    CHECK_BITS 80, a2, 0x222, 0
    TESTNUM 81                  /* not delegated: sip reads 0, ignores writes */
    csrw mideleg, zero
    li t0, 0x222
    csrs mip, t0
    csrr a0, sip
    CHECK 81, a0, 0
    csrw sip, zero
    csrr a2, mip
    CHECK_BITS 82, a2, 0x222, 0x222
    csrw mip, zero
    TESTNUM 83                  /* MSIP/MTIP/MEIP are not writable in mip */
    li t0, VK_CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
    li t0, 0x888
    csrs mip, t0
    csrr a2, mip
    CHECK_BITS 83, a2, 0x888, 0

    /* ---- trap vectors ---- */
    csrr s2, mtvec
    TESTNUM 90
    la a1, vk_mtrap
    csrw mtvec, a1
    csrr a0, mtvec
    CHECK_EQ 90, a0, a1
    ori a1, a1, 1
    csrw mtvec, a1
    csrr a0, mtvec
    CHECK_EQ 91, a0, a1
    TESTNUM 92                  /* modes 2 and 3 are reserved (WARL) */
    addi a1, a1, 1
    csrw mtvec, a1
    csrr a0, mtvec
    andi a0, a0, 2
    CHECK 92, a0, 0
    csrw mtvec, s2
    csrr s2, stvec
    TESTNUM 93
    la a1, vk_strap
    ori a1, a1, 1
    csrw stvec, a1
    csrr a0, stvec
    CHECK_EQ 93, a0, a1
    addi a1, a1, 2
    csrw stvec, a1
    csrr a0, stvec
    andi a0, a0, 2
    CHECK 94, a0, 0
    csrw stvec, s2

    /* ---- mepc/sepc, mcause/scause, mtval/stval ---- */
    TESTNUM 100                 /* IALIGN = 16: bit 1 is kept */
    li a1, 0x80001002
    csrw mepc, a1
    csrr a0, mepc
    CHECK 100, a0, 0x80001002
    li a1, 0xffffffffc0000ffc
    csrw sepc, a1
    csrr a0, sepc
    CHECK 101, a0, 0xffffffffc0000ffc
    TESTNUM 102
    li a1, CAUSE_INTR | IRQ_MTI
    csrw mcause, a1
    csrr a0, mcause
    CHECK_EQ 102, a0, a1
    li a1, CAUSE_STORE_PAGE
    csrw scause, a1
    csrr a0, scause
    CHECK 103, a0, CAUSE_STORE_PAGE
    TESTNUM 104                 /* any valid virtual address */
    li a1, 0xffffffc000001234
    csrw mtval, a1
    csrr a0, mtval
    CHECK_EQ 104, a0, a1
    li a1, 0x00007ffffffff000
    csrw stval, a1
    csrr a0, stval
    CHECK_EQ 105, a0, a1

    /* ---- satp: supported modes are kept, others ignored ---- */
    TESTNUM 110
    csrw satp, zero
    csrr a0, satp
    CHECK 110, a0, 0
    li a1, (SATP_MODE_SV39 << 60) | 0x80123
    csrw satp, a1
    csrr a0, satp
    CHECK_EQ 111, a0, a1
    li a1, (SATP_MODE_SV48 << 60) | (5 << SATP_ASID_SHIFT) | 0x80456
    csrw satp, a1
    csrr a0, satp
    CHECK_EQ 112, a0, a1
    TESTNUM 113                 /* reserved modes: the whole write is dropped */
    li a2, (1 << 60) | 0x1
    csrw satp, a2
    csrr a0, satp
    CHECK_EQ 113, a0, a1
    li a2, (15 << 60) | (7 << SATP_ASID_SHIFT) | 0x2
    csrw satp, a2
    csrr a0, satp
    CHECK_EQ 114, a0, a1
    csrw satp, zero

    /* ---- menvcfg / senvcfg ---- */
    TESTNUM 120
    li a1, 1
    csrw menvcfg, a1
    csrr a0, menvcfg
    CHECK 120, a0, 1
    li a1, -1
    csrw menvcfg, a1
    csrr a2, menvcfg
    li t0, 0x3fffffffffffff0e   /* reserved: read zero */
    and a0, a2, t0
    CHECK 121, a0, 0
    CHECK_BITS 122, a2, 1, 1
    csrw menvcfg, zero
    TESTNUM 123
    csrw senvcfg, a1
    csrr a2, senvcfg
    li t0, 0xffffffffffffff0e
    and a0, a2, t0
    CHECK 123, a0, 0
    CHECK_BITS 124, a2, 1, 1
    csrw senvcfg, zero
    csrr a0, senvcfg
    CHECK 125, a0, 0

    /* ---- counters ---- */
    TESTNUM 130
    csrr a1, mcycle
    csrr a2, minstret
    li a3, 100
1:  addi a3, a3, -1
    bnez a3, 1b
    csrr a4, mcycle
    csrr a5, minstret
    bltu a1, a4, 1f
    FAIL_HERE 130
1:  bltu a2, a5, 1f
    FAIL_HERE 131
1:  TESTNUM 132                 /* the user views read the same counters */
    csrr a1, cycle
    csrr a2, instret
    csrr a3, mcycle
    csrr a4, minstret
    bgeu a3, a1, 1f
    FAIL_HERE 132
1:  bgeu a4, a2, 1f
    FAIL_HERE 133
1:  TESTNUM 134                 /* time is the CLINT's mtime */
    li t0, VK_CLINT_MTIME
    ld a1, 0(t0)
    csrr a2, time
    ld a3, 0(t0)
    bgeu a2, a1, 1f
    FAIL_HERE 134
1:  bgeu a3, a2, 1f
    FAIL_HERE 135
1:  TESTNUM 136                 /* and it advances */
    li a3, 10000000
1:  csrr a0, time
    bne a0, a2, 2f
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 136
2:

    /* ---- counter enables ---- */
    TESTNUM 140
    li a1, 7
    csrw mcounteren, a1
    csrr a0, mcounteren
    CHECK_BITS 140, a0, 7, 7
    csrw scounteren, a1
    csrr a0, scounteren
    CHECK_BITS 141, a0, 7, 7
    TEST_MODE_OK 142, PRV_S, rdcycle a0; rdtime a0; rdinstret a0
    TEST_MODE_OK 143, PRV_U, rdcycle a0; rdtime a0; rdinstret a0
    csrw scounteren, zero
    TEST_MODE_OK 144, PRV_S, rdcycle a0; rdtime a0; rdinstret a0
    TEST_MODE_ILL 145, PRV_U, rdcycle a0
    TEST_MODE_ILL 146, PRV_U, rdtime a0
    TEST_MODE_ILL 147, PRV_U, rdinstret a0
    li a1, 2                    /* S lets U read time only */
    csrw scounteren, a1
    TEST_MODE_OK 148, PRV_U, rdtime a0
    TEST_MODE_ILL 149, PRV_U, rdcycle a0
    csrw mcounteren, zero
    li a1, 7
    csrw scounteren, a1
    TEST_MODE_ILL 150, PRV_S, rdcycle a0
    TEST_MODE_ILL 151, PRV_S, rdtime a0
    TEST_MODE_ILL 152, PRV_S, rdinstret a0
    TEST_MODE_ILL 153, PRV_U, rdtime a0
    li a1, 4                    /* M lets S (and U) read instret only */
    csrw mcounteren, a1
    TEST_MODE_OK 154, PRV_S, rdinstret a0
    TEST_MODE_OK 155, PRV_U, rdinstret a0
    TEST_MODE_ILL 156, PRV_S, rdcycle a0
    TEST_NO_TRAP(157, rdcycle a0; rdtime a0; rdinstret a0)  /* M: always */
    csrw mcounteren, zero
    csrw scounteren, zero
    /* the machine counters are not reachable from S at all */
    TEST_MODE_ILL 158, PRV_S, csrr a0, mcycle
    TEST_MODE_ILL 159, PRV_S, csrr a0, mcounteren
    TEST_MODE_ILL 160, PRV_U, csrr a0, scounteren

    /* ---- PMP: 16 entries, even pmpcfg registers only on RV64 ---- */
    TESTNUM 170
    li a1, 0x0000000012345678
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
    addi a2, a1, \i
    csrw pmpaddr\i, a2
    .endr
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
    csrr a0, pmpaddr\i
    sub a0, a0, a1
    CHECK 170, a0, \i
    .endr
    csrr s2, pmpaddr15
    li a2, 0x000fedcba9876543
    csrw pmpaddr15, a2
    csrr a0, pmpaddr15
    csrw pmpaddr15, s2
    CHECK_EQ 171, a0, a2
    TESTNUM 172                 /* configuration bytes (all A = OFF here) */
    li a1, 0x0007050301000000   /* R, RW, RX, RWX, ... no A: inactive */
    csrw pmpcfg0, a1
    csrr a0, pmpcfg0
    CHECK_EQ 172, a0, a1
    csrr s2, pmpcfg2
    li a1, 0x1f00000000070503   /* keeps entry 15 (crt's allow-all) */
    csrw pmpcfg2, a1
    csrr a0, pmpcfg2
    CHECK_EQ 173, a0, a1
    csrw pmpcfg2, s2
    csrw pmpcfg0, zero
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
    csrw pmpaddr\i, zero
    .endr
    TEST_TRAP_AT(174, CAUSE_ILLEGAL, 0x3a102573, csrr a0, pmpcfg1)
    TEST_TRAP_AT(175, CAUSE_ILLEGAL, 0x3a302573, csrr a0, pmpcfg3)
    TEST_MODE_ILL 176, PRV_S, csrr a0, pmpcfg0
    TEST_MODE_ILL 177, PRV_S, csrr a0, pmpaddr0

    /* ---- CSRs that do not exist ---- */
    TEST_TRAP_AT(180, CAUSE_ILLEGAL, 0x7c002573, csrr a0, 0x7c0)
    TEST_TRAP_AT(181, CAUSE_ILLEGAL, 0x5c002573, csrr a0, 0x5c0)
    TEST_TRAP_AT(182, CAUSE_ILLEGAL, 0x80002573, csrr a0, 0x800)
    TEST_TRAP_AT(183, CAUSE_ILLEGAL, 0xfc002573, csrr a0, 0xfc0)
    TEST_TRAP_AT(184, CAUSE_ILLEGAL, 0x01502573, csrr a0, 0x015)   /* seed */
    TEST_TRAP_AT(185, CAUSE_ILLEGAL, 0x00802573, csrr a0, 0x008)   /* vstart */
    TEST_TRAP_AT(186, CAUSE_ILLEGAL, 0x7c0c1073, csrw 0x7c0, s8)
    /* privilege: U may not touch S CSRs, S not M CSRs */
    TEST_MODE_ILL 190, PRV_U, csrr a0, sstatus
    TEST_MODE_ILL 191, PRV_U, csrw sscratch, zero
    TEST_MODE_ILL 192, PRV_S, csrr a0, mepc
    TEST_MODE_ILL 193, PRV_S, csrr a0, mhartid
    TEST_MODE_OK 194, PRV_S, csrr a0, sstatus; csrr a0, sepc; \
        csrr a0, scause; csrr a0, stval; csrr a0, sie; csrr a0, sip; \
        csrr a0, stvec; csrr a0, satp; csrr a0, senvcfg; csrr a0, scounteren
    TEST_MODE_OK 195, PRV_S, csrr a0, sscratch; csrw sscratch, a0

    TEST_END
