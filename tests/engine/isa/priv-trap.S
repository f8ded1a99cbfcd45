/* SPDX-License-Identifier: GPL-2.0-or-later */
/* priv-trap.S: traps and interrupts (privileged spec §3.1.6-3.1.16, §3.3,
 * §4.1): ECALL from U/S/M (8, 9, 11), EBREAK (3), illegal instructions
 * (2, mtval = the instruction bits), access faults on unmapped physical
 * addresses (1, 5, 7, mtval = address), medeleg delegation to S (scause,
 * sepc, stval, SPP/SPIE/SIE), M-mode traps never delegated, vectored
 * mtvec/stvec (interrupts at base + 4 * cause, exceptions at base),
 * MRET/SRET and the MPP/MPIE/SPP/SPIE/MPRV updates, MPRV + MPP on loads
 * and stores (seen through PMP), interrupts: delegated SSIP (not taken in
 * M, taken in S with SIE, in U regardless), MSIP via the CLINT, MTIP via
 * mtimecmp, MEIP via PLIC + UART (claim/complete), priority between
 * pending interrupts (the pairs QEMU 7.2 gets right; the full order is in
 * strict.S), WFI waking with MIE = 0, TW, WFI in U-mode, TSR, TVM. */
#include "macros.h"

#define PLIC_PRIO_UART  (VK_PLIC_BASE + 4 * VK_UART_IRQ)
#define PLIC_ENABLE_M   (VK_PLIC_BASE + 0x2000)
#define PLIC_THRESH_M   (VK_PLIC_BASE + 0x200000)
#define PLIC_CLAIM_M    (VK_PLIC_BASE + 0x200004)
#define UART_IER        (VK_UART_BASE + 1)
#define UNMAPPED        0x20000     /* nothing on the bus: access faults */

/* (reg & mask) == value */
.macro CHECK_BITS n, reg, mask, value
    li t6, \mask
    and a0, \reg, t6
    CHECK \n, a0, \value
.endm

/* the privilege the recorded M-mode trap came from (mstatus.MPP) */
.macro CHECK_TRAP_FROM n, prv
    ld a0, vk_trap_mstatus
    srli a0, a0, 11
    andi a0, a0, 3
    CHECK \n, a0, \prv
.endm

/* the trap recorded by the S-mode vector (vk_strap) */
.macro CHECK_STRAP n, cause
    ld a0, vk_strap_cause
    CHECK \n, a0, \cause
.endm

/* spin until an interrupt is taken (it resumes at the armed label) */
.macro WAIT_TRAP n
    li a3, 2000000
.Lw\@:
    addi a3, a3, -1
    bnez a3, .Lw\@
    FAIL_HERE \n
.endm

.macro MTIMECMP_IN ticks
    li t0, VK_CLINT_MTIME
    ld t1, 0(t0)
    li t0, \ticks
    add t1, t1, t0
    li t0, VK_CLINT_MTIMECMP
    sd t1, 0(t0)
.endm

.macro MTIMECMP_NEVER
    li t0, VK_CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
.endm

.macro MSIP_SET v
    li t0, VK_CLINT_MSIP
    li t1, \v
    sw t1, 0(t0)
.endm

/* a trap from code running in mode prv: GOTO prv, run insn (labelled
 * 1:), expect the M-mode trap cause at insn with mtval tval */
.macro TEST_MODE_TRAP n, prv, cause, tval, insn:vararg
    TESTNUM \n
    TRAP_ARM .Lr\@
    GOTO_MODE \prv, .Li\@
.Li\@:
    \insn
    FAIL_HERE \n
.Lr\@:
    CHECK_TRAP \n, \cause
    CHECK_EPC_AT \n, .Li\@
    CHECK_TVAL \n, \tval
    CHECK_TRAP_FROM \n, \prv
.endm

TEST_BEGIN
    MTIMECMP_NEVER
    csrw mie, zero

    /* ================= exceptions taken in M-mode ================= */
    TEST_TRAP_AT(100, CAUSE_ECALL_M, 0, ecall)
    CHECK_TRAP_FROM 101, PRV_M
    TESTNUM 102
    TRAP_ARM 2f
1:  ebreak
    li a0, 102
    j vk_fail_notrap
2:  CHECK_TRAP 102, CAUSE_BREAKPOINT
    CHECK_EPC_AT 103, 1b
    /* mtval: zero or the address of the EBREAK (§3.1.16) */
    ld a0, vk_trap_tval
    beqz a0, 3f
    la a1, 1b
    CHECK_EQ 104, a0, a1
3:
    /* illegal instructions: mtval = the instruction bits */
    TEST_TRAP_AT(110, CAUSE_ILLEGAL, 0x0000703b, .word 0x0000703b)
    TEST_TRAP_AT(111, CAUSE_ILLEGAL, 0xf1101073, csrw mvendorid, zero)
    TEST_TRAP_AT(112, CAUSE_ILLEGAL, 0x0000000b, .word 0x0000000b)
    TEST_TRAP_AT(113, CAUSE_ILLEGAL, 0xfc002573, csrr a0, 0xfc0)
    TEST_TRAP_AT(114, CAUSE_ILLEGAL, 0xffffffff, .word 0xffffffff)
    /* access faults: nothing is mapped at UNMAPPED */
    /* (an AMO there is in strict.S: QEMU 7.2 reports cause 5, not 7) */
    li s1, UNMAPPED
    TEST_TRAP_AT(120, CAUSE_LOAD_ACCESS, UNMAPPED, ld a0, 0(s1))
    TEST_TRAP_AT(121, CAUSE_STORE_ACCESS, UNMAPPED + 8, sd a0, 8(s1))
    TEST_TRAP_AT(122, CAUSE_LOAD_ACCESS, UNMAPPED + 1, lbu a0, 1(s1))
    TEST_TRAP_AT(123, CAUSE_STORE_ACCESS, UNMAPPED + 2, sh a0, 2(s1))
    TESTNUM 124                 /* instruction access fault */
    TRAP_ARM 2f
    li a1, UNMAPPED
1:  jalr a1
    FAIL_HERE 124
2:  CHECK_TRAP 124, CAUSE_FETCH_ACCESS
    CHECK_TVAL 125, UNMAPPED
    ld a0, vk_trap_epc
    CHECK 126, a0, UNMAPPED
    TESTNUM 127                 /* JALR to an odd address clears bit 0 */
    la a1, 1f
    addi a1, a1, 1
    jalr a1
    FAIL_HERE 127
1:

    /* ================= exceptions from S and U ================= */
    TEST_MODE_TRAP 200, PRV_S, CAUSE_ECALL_S, 0, ecall
    TEST_MODE_TRAP 201, PRV_U, CAUSE_ECALL_U, 0, ecall
    TEST_MODE_TRAP 202, PRV_S, CAUSE_ILLEGAL, 0x30200073, mret
    TEST_MODE_TRAP 203, PRV_U, CAUSE_ILLEGAL, 0x30200073, mret
    TEST_MODE_TRAP 204, PRV_U, CAUSE_ILLEGAL, 0x10200073, sret
    TEST_MODE_TRAP 205, PRV_S, CAUSE_ILLEGAL, 0x30002573, csrr a0, mstatus
    TEST_MODE_TRAP 206, PRV_U, CAUSE_ILLEGAL, 0x10002573, csrr a0, sstatus
    TEST_MODE_TRAP 207, PRV_U, CAUSE_ILLEGAL, 0x12000073, sfence.vma
    TEST_MODE_TRAP 208, PRV_S, CAUSE_ILLEGAL, 0x34001073, csrw mscratch, zero
    TESTNUM 209                 /* EBREAK from U */
    TRAP_ARM 2f
    GOTO_MODE PRV_U, 1f
1:  ebreak
    FAIL_HERE 209
2:  CHECK_TRAP 209, CAUSE_BREAKPOINT
    CHECK_EPC_AT 210, 1b
    CHECK_TRAP_FROM 211, PRV_U
    TESTNUM 212                 /* load access fault from S */
    li a1, UNMAPPED
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  lw a0, 4(a1)
    FAIL_HERE 212
2:  CHECK_TRAP 212, CAUSE_LOAD_ACCESS
    CHECK_TVAL 213, UNMAPPED + 4
    TESTNUM 214                 /* trap entry: MIE -> MPIE, MIE = 0 */
    csrsi mstatus, MSTATUS_MIE
    TRAP_ARM 2f
    ecall
2:  ld a2, vk_trap_mstatus
    CHECK_BITS 214, a2, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MPIE

    /* ================= delegation (medeleg) ================= */
    li t0, (1 << CAUSE_ECALL_U) | (1 << CAUSE_ILLEGAL) | \
           (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS)
    csrw medeleg, t0
    TESTNUM 300                 /* U ECALL goes to the S handler */
    sd zero, vk_strap_count, t0
    csrsi sstatus, MSTATUS_SIE
    TRAP_ARM 2f
    GOTO_MODE PRV_U, 1f
1:  ecall
    FAIL_HERE 300
2:  CHECK_TRAP 300, CAUSE_ECALL_S   /* the S handler's forwarding ecall */
    CHECK_STRAP 301, CAUSE_ECALL_U
    ld a0, vk_strap_epc
    la a1, 1b
    CHECK_EQ 302, a0, a1
    CHECK_MEM 303, vk_strap_tval, 0
    ld a2, vk_strap_status
    CHECK_BITS 304, a2, MSTATUS_SPP, 0
    CHECK_BITS 305, a2, MSTATUS_SIE | MSTATUS_SPIE, MSTATUS_SPIE
    CHECK_MEM 306, vk_strap_count, 1
    csrci sstatus, MSTATUS_SIE
    TESTNUM 310                 /* illegal instruction in S, delegated */
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  .word 0x0000703b
    FAIL_HERE 310
2:  CHECK_STRAP 310, CAUSE_ILLEGAL
    CHECK_MEM 311, vk_strap_tval, 0x0000703b
    ld a0, vk_strap_epc
    la a1, 1b
    CHECK_EQ 312, a0, a1
    ld a2, vk_strap_status
    CHECK_BITS 313, a2, MSTATUS_SPP, MSTATUS_SPP
    TESTNUM 314                 /* load access fault in U, delegated */
    li a1, UNMAPPED
    TRAP_ARM 2f
    GOTO_MODE PRV_U, 1f
1:  ld a0, 16(a1)
    FAIL_HERE 314
2:  CHECK_STRAP 314, CAUSE_LOAD_ACCESS
    CHECK_MEM 315, vk_strap_tval, UNMAPPED + 16
    TESTNUM 316                 /* EBREAK in S, delegated */
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  ebreak
    FAIL_HERE 316
2:  CHECK_STRAP 316, CAUSE_BREAKPOINT
    TESTNUM 320                 /* traps taken in M are never delegated */
    sd zero, vk_strap_count, t0
    TEST_TRAP_AT(320, CAUSE_ILLEGAL, 0x0000703b, .word 0x0000703b)
    CHECK_MEM 321, vk_strap_count, 0
    /* an S ECALL is not delegated (bit 9 clear): it goes to M */
    TEST_MODE_TRAP 322, PRV_S, CAUSE_ECALL_S, 0, ecall
    CHECK_MEM 323, vk_strap_count, 0
    csrw medeleg, zero

    /* ================= vectored trap vectors ================= */
    TESTNUM 400                 /* mtvec: exceptions at BASE */
    la t0, mvec
    ori t0, t0, 1
    csrw mtvec, t0
    la s9, 1f
    li s10, -1
    ecall
    FAIL_HERE 400
1:  CHECK 400, s10, 0
    CHECK 401, s11, CAUSE_ECALL_M
    TESTNUM 402                 /* MSI at BASE + 4 * 3 */
    li s10, -1
    la s9, 1f
    li t0, MIP_MSIP
    csrw mie, t0
    MSIP_SET 1
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 402
1:  MSIP_SET 0
    CHECK 402, s10, IRQ_MSI
    CHECK 403, s11, CAUSE_INTR | IRQ_MSI
    TESTNUM 404                 /* MTI at BASE + 4 * 7 */
    li s10, -1
    la s9, 1f
    li t0, MIP_MTIP
    csrw mie, t0
    MTIMECMP_IN 100
    csrsi mstatus, MSTATUS_MIE
3:  wfi
    j 3b
1:  MTIMECMP_NEVER
    CHECK 404, s10, IRQ_MTI
    CHECK 405, s11, CAUSE_INTR | IRQ_MTI
    csrw mie, zero
    la t0, vk_mtrap
    csrw mtvec, t0
    TESTNUM 410                 /* stvec: delegated SSI at BASE + 4 * 1 */
    la t0, svec
    ori t0, t0, 1
    csrw stvec, t0
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    li s10, -1
    la s9, 2f
    csrsi mstatus, MSTATUS_SIE
    TRAP_ARM 3f
    GOTO_MODE PRV_S, 1f
1:  WAIT_TRAP 410
2:  ecall                       /* back in S after the vector's SRET */
3:  CHECK_TRAP 410, CAUSE_ECALL_S
    CHECK 411, s10, IRQ_SSI
    CHECK 412, s11, CAUSE_INTR | IRQ_SSI
    li t0, MIP_SSIP
    csrc mip, t0
    csrw mie, zero
    csrw mideleg, zero
    TESTNUM 413                 /* stvec: delegated exception at BASE */
    li t0, 1 << CAUSE_ECALL_U
    csrw medeleg, t0
    li s10, -1
    la s9, 2f
    TRAP_ARM 3f
    GOTO_MODE PRV_U, 1f
1:  ecall
    FAIL_HERE 413
2:  ebreak                      /* back in U: not delegated, goes to M */
3:  CHECK_TRAP 413, CAUSE_BREAKPOINT
    CHECK 414, s10, 0
    CHECK 415, s11, CAUSE_ECALL_U
    csrw medeleg, zero
    la t0, vk_strap
    csrw stvec, t0

    /* ================= MRET / SRET ================= */
    TESTNUM 500                 /* MRET to M: MIE = MPIE (0), MPIE = 1,
                                 * MPP = U */
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    csrsi mstatus, MSTATUS_MIE
    la t0, 1f
    csrw mepc, t0
    mret
    FAIL_HERE 500
1:  csrr a2, mstatus
    CHECK_BITS 500, a2, MSTATUS_MIE, 0
    CHECK_BITS 501, a2, MSTATUS_MPIE, MSTATUS_MPIE
    CHECK_BITS 502, a2, MSTATUS_MPP, 0
    TESTNUM 503                 /* MRET to M with MPIE = 1: MIE = 1 */
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    li t0, MSTATUS_MPIE
    csrs mstatus, t0
    csrci mstatus, MSTATUS_MIE
    la t0, 1f
    csrw mepc, t0
    mret
    FAIL_HERE 503
1:  csrr a2, mstatus
    csrci mstatus, MSTATUS_MIE
    CHECK_BITS 503, a2, MSTATUS_MIE | MSTATUS_MPIE, MSTATUS_MIE | MSTATUS_MPIE
    TESTNUM 504                 /* MRET to S: MIE = MPIE there */
    /* (that it also clears MPRV is in strict.S: QEMU 7.2 keeps MPRV) */
    li t0, MSTATUS_MPIE
    csrs mstatus, t0
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  ecall
    FAIL_HERE 504
2:  CHECK_TRAP 504, CAUSE_ECALL_S
    ld a2, vk_trap_mstatus
    CHECK_BITS 506, a2, MSTATUS_MPIE, MSTATUS_MPIE  /* MIE was 1 in S */
    TESTNUM 510                 /* SRET from S to U: SIE = SPIE,
                                 * SPIE = 1, SPP = U */
    TRAP_ARM 3f
    GOTO_MODE PRV_S, 1f
1:  li t0, MSTATUS_SPP
    csrc sstatus, t0
    li t0, MSTATUS_SPIE
    csrs sstatus, t0
    csrci sstatus, MSTATUS_SIE
    la t0, 2f
    csrw sepc, t0
    sret
    FAIL_HERE 510
2:  ecall
    FAIL_HERE 510
3:  CHECK_TRAP 510, CAUSE_ECALL_U
    ld a2, vk_trap_mstatus
    CHECK_BITS 511, a2, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, \
        MSTATUS_SIE | MSTATUS_SPIE
    csrci mstatus, MSTATUS_SIE
    TESTNUM 515                 /* SRET from S to S: SIE = SPIE (0), SPP = U */
    TRAP_ARM 3f
    GOTO_MODE PRV_S, 1f
1:  li t0, MSTATUS_SPP
    csrs sstatus, t0
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    csrsi sstatus, MSTATUS_SIE
    la t0, 2f
    csrw sepc, t0
    sret
    FAIL_HERE 515
2:  ecall
    FAIL_HERE 515
3:  CHECK_TRAP 515, CAUSE_ECALL_S
    ld a2, vk_trap_mstatus
    CHECK_BITS 516, a2, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP, MSTATUS_SPIE
    TESTNUM 520                 /* SRET in M returns to the SPP mode */
    li t0, MSTATUS_SPP
    csrs mstatus, t0
    la t0, 1f
    csrw sepc, t0
    TRAP_ARM 2f
    sret
    FAIL_HERE 520
1:  ecall
    FAIL_HERE 520
2:  CHECK_TRAP 520, CAUSE_ECALL_S
    CHECK_EPC_AT 521, 1b

    /* ================= MPRV: M-mode loads/stores with MPP's privilege
     * (observed through a PMP entry that denies S and U) ========== */
    la t0, pmp_page
    srli t0, t0, 2
    ori t0, t0, (4096 / 8 - 1)  /* NAPOT, 4 KiB */
    csrw pmpaddr0, t0
    li t0, PMP_NAPOT            /* no R/W/X, not locked: S/U denied */
    csrw pmpcfg0, t0
    sfence.vma
    la s1, pmp_page
    TEST_NO_TRAP(600, ld a0, 0(s1); sd a0, 8(s1))
    TESTNUM 601                 /* MPRV = 1, MPP = U: load faults */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    TRAP_ARM 2f
1:  ld a0, 0(s1)
    FAIL_HERE 601
2:  CHECK_TRAP 601, CAUSE_LOAD_ACCESS
    CHECK_EPC_AT 602, 1b
    ld a0, vk_trap_tval
    CHECK_EQ 603, a0, s1
    TESTNUM 604                 /* MPRV = 1, MPP = S: store faults */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPP_S | MSTATUS_MPRV
    csrs mstatus, t0
    TRAP_ARM 2f
    sd a0, 16(s1)
    FAIL_HERE 604
2:  CHECK_TRAP 604, CAUSE_STORE_ACCESS
    TESTNUM 605                 /* instruction fetch ignores MPRV */
    li t0, MSTATUS_MPP
    csrc mstatus, t0
    li t0, MSTATUS_MPRV
    csrs mstatus, t0
    call pmp_page
    CHECK 605, a0, 0x605
    TESTNUM 606                 /* MPRV = 1, MPP = M: allowed */
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    TEST_NO_TRAP(606, ld a0, 0(s1))
    li t0, MSTATUS_MPRV
    csrc mstatus, t0
    csrw pmpcfg0, zero
    csrw pmpaddr0, zero
    sfence.vma

    /* ================= interrupts ================= */
    TESTNUM 700                 /* delegated SSI is not taken in M */
    li t0, MIP_SSIP
    csrw mideleg, t0
    csrw mie, t0
    csrs mip, t0
    csrsi mstatus, MSTATUS_MIE | MSTATUS_SIE
    TEST_NO_TRAP(700, nop; nop; nop; fence; nop)
    csrci mstatus, MSTATUS_MIE
    TESTNUM 701                 /* ... but in S with SIE = 1 */
    sd zero, vk_strap_count, t0
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  WAIT_TRAP 701
2:  CHECK_STRAP 701, CAUSE_INTR | IRQ_SSI
    ld a2, vk_strap_status
    CHECK_BITS 702, a2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE, \
        MSTATUS_SPP | MSTATUS_SPIE
    CHECK_MEM 703, vk_strap_count, 1
    csrci mstatus, MSTATUS_SIE
    TESTNUM 704                 /* not taken in S with SIE = 0 */
    sd zero, vk_strap_count, t0
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  li a3, 1000
3:  addi a3, a3, -1
    bnez a3, 3b
4:  ecall
2:  CHECK_TRAP 704, CAUSE_ECALL_S
    CHECK_EPC_AT 705, 4b
    CHECK_MEM 705, vk_strap_count, 0
    TESTNUM 706                 /* in U, S interrupts are taken even
                                 * with SIE = 0 */
    TRAP_ARM 2f
    GOTO_MODE PRV_U, 1f
1:  WAIT_TRAP 706
2:  CHECK_STRAP 706, CAUSE_INTR | IRQ_SSI
    ld a2, vk_strap_status
    CHECK_BITS 707, a2, MSTATUS_SPP, 0
    li t0, MIP_SSIP
    csrc mip, t0
    TESTNUM 710                 /* S sets its own SSIP through sip */
    csrsi mstatus, MSTATUS_SIE
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  csrsi sip, MIP_SSIP
    WAIT_TRAP 710
2:  CHECK_STRAP 710, CAUSE_INTR | IRQ_SSI
    csrr a0, mip
    CHECK_BITS 711, a0, MIP_SSIP, MIP_SSIP
    li t0, MIP_SSIP
    csrc mip, t0
    csrci mstatus, MSTATUS_SIE
    csrw mideleg, zero
    csrw mie, zero

    TESTNUM 720                 /* MSI from the CLINT */
    li t0, MIP_MSIP
    csrw mie, t0
    MSIP_SET 1
    li a3, 100000
1:  csrr a0, mip
    andi a0, a0, MIP_MSIP
    bnez a0, 1f
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 720
1:  TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 721
2:  CHECK_TRAP 721, CAUSE_INTR | IRQ_MSI
    CHECK_TRAP_FROM 722, PRV_M
    MSIP_SET 0
    TESTNUM 723
    li a3, 100000
1:  csrr a0, mip
    andi a0, a0, MIP_MSIP
    beqz a0, 1f
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 723
1:  TESTNUM 724                 /* mip.MSIP is read-only */
    li t0, MIP_MSIP
    csrs mip, t0
    csrr a0, mip
    CHECK_BITS 724, a0, MIP_MSIP, 0

    TESTNUM 730                 /* MTI: mtimecmp = mtime + 100 us, WFI */
    li t0, MIP_MTIP
    csrw mie, t0
    MTIMECMP_IN 1000
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    li a3, 10000000
1:  wfi
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 730
2:  CHECK_TRAP 730, CAUSE_INTR | IRQ_MTI
    TESTNUM 731                 /* not before mtimecmp */
    li t0, VK_CLINT_MTIME
    ld a1, 0(t0)
    li t0, VK_CLINT_MTIMECMP
    ld a2, 0(t0)
    bgeu a1, a2, 1f
    FAIL_HERE 731
1:  MTIMECMP_NEVER
    TESTNUM 732
    csrr a0, mip
    CHECK_BITS 732, a0, MIP_MTIP, 0
    li t0, MIP_MTIP             /* read-only in mip */
    csrs mip, t0
    csrr a0, mip
    CHECK_BITS 733, a0, MIP_MTIP, 0
    csrw mie, zero

    /* ================= MEI through the PLIC ================= */
    TESTNUM 800
    li t0, MIP_MEIP
    csrw mie, t0
    li t0, PLIC_PRIO_UART
    li t1, 1
    sw t1, 0(t0)
    li t0, PLIC_THRESH_M
    sw zero, 0(t0)
    li t0, PLIC_ENABLE_M
    li t1, 1 << VK_UART_IRQ
    sw t1, 0(t0)
    li t0, UART_IER
    li t1, 0x02                 /* THR-empty interrupt: raised at once */
    sb t1, 0(t0)
    li a3, 100000
1:  csrr a0, mip
    li t0, MIP_MEIP
    and a0, a0, t0
    bnez a0, 1f
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 800
1:  TESTNUM 801
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 801
2:  CHECK_TRAP 801, CAUSE_INTR | IRQ_MEI
    li t0, PLIC_CLAIM_M         /* claim: the UART; quiet it; complete */
    lw a1, 0(t0)
    li t1, UART_IER
    sb zero, 0(t1)
    sw a1, 0(t0)
    CHECK 802, a1, VK_UART_IRQ
    li a3, 100000
1:  csrr a0, mip
    li t0, MIP_MEIP
    and a0, a0, t0
    beqz a0, 1f
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 803
1:  li t0, PLIC_ENABLE_M
    sw zero, 0(t0)

    /* ============ priority between pending interrupts ============
     * (§3.1.9: MEI > MSI > MTI > SEI > SSI > STI). Only the pairs where
     * QEMU 7.2 agrees are here; it takes the lowest-numbered interrupt
     * first, so the full order is in strict.S. */
    TESTNUM 810                 /* MSI before MTI */
    li t0, MIP_MSIP | MIP_MTIP
    csrw mie, t0
    MSIP_SET 1
    li t0, VK_CLINT_MTIMECMP
    sd zero, 0(t0)
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 810
2:  CHECK_TRAP 810, CAUSE_INTR | IRQ_MSI
    MSIP_SET 0
    TESTNUM 811
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 811
2:  CHECK_TRAP 811, CAUSE_INTR | IRQ_MTI
    TESTNUM 812                 /* MTI before SEI */
    li t0, MIP_MTIP | MIP_SEIP
    csrw mie, t0
    csrs mip, t0
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 812
2:  CHECK_TRAP 812, CAUSE_INTR | IRQ_MTI
    MTIMECMP_NEVER
    TESTNUM 813
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 813
2:  CHECK_TRAP 813, CAUSE_INTR | IRQ_SEI
    li t0, MIP_SEIP
    csrc mip, t0
    TESTNUM 814                 /* SSI before STI (not delegated: to M) */
    li t0, MIP_SSIP | MIP_STIP
    csrw mie, t0
    csrs mip, t0
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 814
2:  CHECK_TRAP 814, CAUSE_INTR | IRQ_SSI
    li t0, MIP_SSIP
    csrc mip, t0
    TESTNUM 815
    TRAP_ARM 2f
    csrsi mstatus, MSTATUS_MIE
    WAIT_TRAP 815
2:  CHECK_TRAP 815, CAUSE_INTR | IRQ_STI
    li t0, MIP_STIP
    csrc mip, t0
    TESTNUM 816                 /* nothing left */
    TEST_NO_TRAP(816, csrsi mstatus, MSTATUS_MIE; nop; fence; nop;
                 csrci mstatus, MSTATUS_MIE)
    TESTNUM 817                 /* an M interrupt preempts S-mode
                                 * whatever MIE says */
    li t0, MIP_MSIP
    csrw mie, t0
    MSIP_SET 1
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  WAIT_TRAP 817
2:  CHECK_TRAP 817, CAUSE_INTR | IRQ_MSI
    CHECK_TRAP_FROM 818, PRV_S
    MSIP_SET 0
    csrw mie, zero

    /* ================= WFI, TW, TSR, TVM ================= */
    TESTNUM 900                 /* WFI with MIE = 0 wakes on MTIP */
    csrci mstatus, MSTATUS_MIE
    ld s2, vk_trap_count
    li t0, MIP_MTIP
    csrw mie, t0
    MTIMECMP_IN 10000
    li a3, 10000000
1:  wfi
    csrr a0, mip
    andi a0, a0, MIP_MTIP
    bnez a0, 2f
    addi a3, a3, -1
    bnez a3, 1b
    FAIL_HERE 900
2:  ld a0, vk_trap_count        /* and no trap was taken */
    CHECK_EQ 901, a0, s2
    MTIMECMP_NEVER
    csrw mie, zero
    li t0, MSTATUS_TW
    csrs mstatus, t0
    TEST_MODE_TRAP 910, PRV_S, CAUSE_ILLEGAL, 0x10500073, wfi
    TESTNUM 911                 /* TW does not apply to M */
    li t0, VK_CLINT_MTIMECMP
    sd zero, 0(t0)
    li t0, MIP_MTIP
    csrw mie, t0
    TEST_NO_TRAP(911, wfi)
    MTIMECMP_NEVER
    li t0, MSTATUS_TW
    csrc mstatus, t0
    TESTNUM 912                 /* TW = 0: WFI in S waits for the timer */
    MTIMECMP_IN 1000
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  wfi
    j 1b
2:  CHECK_TRAP 912, CAUSE_INTR | IRQ_MTI
    CHECK_TRAP_FROM 913, PRV_S
    MTIMECMP_NEVER
    csrw mie, zero
    /* WFI in U-mode is illegal when S-mode exists (§3.3.3) */
    TEST_MODE_TRAP 914, PRV_U, CAUSE_ILLEGAL, 0x10500073, wfi
    li t0, MSTATUS_TSR
    csrs mstatus, t0
    TEST_MODE_TRAP 920, PRV_S, CAUSE_ILLEGAL, 0x10200073, sret
    TESTNUM 921                 /* TSR does not apply to M */
    li t0, MSTATUS_SPP
    csrs mstatus, t0
    la t0, 1f
    csrw sepc, t0
    TRAP_ARM 2f
    sret
    FAIL_HERE 921
1:  ecall
2:  CHECK_TRAP 921, CAUSE_ECALL_S
    li t0, MSTATUS_TSR
    csrc mstatus, t0
    li t0, MSTATUS_TVM
    csrs mstatus, t0
    TEST_MODE_TRAP 930, PRV_S, CAUSE_ILLEGAL, 0x18002573, csrr a0, satp
    TEST_MODE_TRAP 931, PRV_S, CAUSE_ILLEGAL, 0x18001073, csrw satp, zero
    TEST_MODE_TRAP 932, PRV_S, CAUSE_ILLEGAL, 0x12000073, sfence.vma
    TEST_NO_TRAP(933, csrr a0, satp; sfence.vma)
    li t0, MSTATUS_TVM
    csrc mstatus, t0
    TESTNUM 934                 /* TVM = 0: S may use satp and SFENCE.VMA */
    TRAP_ARM 2f
    GOTO_MODE PRV_S, 1f
1:  csrr a0, satp
    sfence.vma
    csrw satp, zero
3:  ecall
2:  CHECK_TRAP 934, CAUSE_ECALL_S
    CHECK_EPC_AT 935, 3b

    TEST_END

/* ---- vectored M-mode table: entry i records i in s10, mcause in s11,
 * and resumes at s9 in M-mode with interrupts off (clobbers t0) ---- */
    .balign 256
mvec:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j mvec_\i
    .endr
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
mvec_\i:
    li s10, \i
    j mvec_common
    .endr
mvec_common:
    csrr s11, mcause
    csrw mepc, s9
    li t0, MSTATUS_MPIE
    csrc mstatus, t0
    li t0, MSTATUS_MPP
    csrs mstatus, t0
    mret

/* ---- vectored S-mode table: the same, resuming at s9 in the SPP mode
 * with SIE = 0 ---- */
    .balign 256
svec:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j svec_\i
    .endr
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
svec_\i:
    li s10, \i
    j svec_common
    .endr
svec_common:
    csrr s11, scause
    csrw sepc, s9
    li t0, MSTATUS_SPIE
    csrc sstatus, t0
    sret

/* a page that PMP entry 0 covers: code (runs in M under MPRV) and data */
    .balign 4096
pmp_page:
    li a0, 0x605
    ret
    .balign 4096
