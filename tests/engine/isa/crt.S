/* SPDX-License-Identifier: GPL-2.0-or-later */
/* crt.S: runtime of the bare-metal ISA tests: entry, M and S trap vectors
 * with an armable "resume" point and a hook, pass/fail reporting over the
 * UART and the SiFive test device, and vk_call_mode for C tests.
 * Written in plain RV64I + Zicsr (no RVC, no M) so that it runs on a
 * translator that only knows the base ISA. */
#define VK_CRT 1
#include "macros.h"

#define FRAME_SIZE  288         /* x0..x31, mcause, mepc, mtval, mstatus */
#define F_MCAUSE    256
#define F_MEPC      264
#define F_MTVAL     272
#define F_MSTATUS   280

    .section .text.init, "ax", @progbits
    .globl _start
_start:
    csrr t0, mhartid
    bnez t0, vk_park
    la t0, vk_mtrap
    csrw mtvec, t0
    la sp, vk_stack_top
    la t0, vk_mtrap_stack_top
    csrw mscratch, t0
    la t0, vk_strap_stack_top
    csrw sscratch, t0
    la t0, vk_strap
    csrw stvec, t0

    la t0, vk_bss_start
    la t1, vk_bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:
    /* A known state: reset leaves most of it unspecified (privileged
     * spec §3.4). Each group is skipped if it traps, so that an emulator
     * still missing some of it can run the tests that do not need it. */
    la t0, 5f
    sd t0, vk_trap_resume, t1
    csrw mie, zero
    csrw medeleg, zero
    csrw mideleg, zero
    li t0, MIP_SSIP | MIP_STIP | MIP_SEIP
    csrc mip, t0
5:  la t0, 6f
    sd t0, vk_trap_resume, t1
    li t0, MSTATUS_SIE | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | \
           MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
    csrc mstatus, t0
    csrw satp, zero
    csrw mcounteren, zero
    csrw scounteren, zero
6:  la t0, 7f                   /* no timer or software interrupt */
    sd t0, vk_trap_resume, t1
    li t0, VK_CLINT_MSIP
    sw zero, 0(t0)
    li t0, VK_CLINT_MTIMECMP
    li t1, -1
    sd t1, 0(t0)
7:
    /* S and U code may access everything: the last PMP entry (lowest
     * priority) allows all, tests use the others. Without any active
     * entry S/U accesses fail (privileged spec §3.7.1). If PMP is not
     * there yet, go on: only the tests that need it will fail. */
    la t0, 3f
    sd t0, vk_trap_resume, t1
    li t0, -1
    csrw pmpaddr15, t0
    li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 56
    csrw pmpcfg2, t0
3:
    /* The FPU is usable (FS = Initial) with a clean fcsr (same: an
     * emulator without F still runs the integer tests). */
    la t0, 4f
    sd t0, vk_trap_resume, t1
    li t0, MSTATUS_FS
    csrc mstatus, t0
    li t0, MSTATUS_FS_INITIAL
    csrs mstatus, t0
    csrw fcsr, zero
4:  sd zero, vk_trap_resume, t0
    sd zero, vk_trap_count, t0

    call test_main
    bnez a0, 3f
    j vk_pass
3:  j vk_fail

vk_park:
    wfi
    j vk_park

/* ---------------------------------------------------------------------- */
/* M-mode trap vector (direct mode)                                         */
/* ---------------------------------------------------------------------- */
    .text
    .balign 64
    .globl vk_mtrap
vk_mtrap:
    csrrw sp, mscratch, sp
    addi sp, sp, -FRAME_SIZE
    sd x1, 1*8(sp)
    sd x3, 3*8(sp)
    sd x4, 4*8(sp)
    sd x5, 5*8(sp)
    sd x6, 6*8(sp)
    sd x7, 7*8(sp)
    sd x8, 8*8(sp)
    sd x9, 9*8(sp)
    sd x10, 10*8(sp)
    sd x11, 11*8(sp)
    sd x12, 12*8(sp)
    sd x13, 13*8(sp)
    sd x14, 14*8(sp)
    sd x15, 15*8(sp)
    sd x16, 16*8(sp)
    sd x17, 17*8(sp)
    sd x18, 18*8(sp)
    sd x19, 19*8(sp)
    sd x20, 20*8(sp)
    sd x21, 21*8(sp)
    sd x22, 22*8(sp)
    sd x23, 23*8(sp)
    sd x24, 24*8(sp)
    sd x25, 25*8(sp)
    sd x26, 26*8(sp)
    sd x27, 27*8(sp)
    sd x28, 28*8(sp)
    sd x29, 29*8(sp)
    sd x30, 30*8(sp)
    sd x31, 31*8(sp)
    csrr t0, mscratch
    sd t0, 2*8(sp)
    csrw mscratch, sp           /* a nested trap stacks below this frame */
    csrr t0, mcause
    sd t0, F_MCAUSE(sp)
    csrr t0, mepc
    sd t0, F_MEPC(sp)
    csrr t0, mtval
    sd t0, F_MTVAL(sp)
    csrr t0, mstatus
    sd t0, F_MSTATUS(sp)

    /* a hook returning non-zero has handled the trap (and set mepc) */
    ld t0, vk_trap_hook
    beqz t0, 1f
    mv a0, sp
    jalr t0
    bnez a0, vk_mtrap_return
1:
    ld t0, vk_trap_resume
    beqz t0, vk_unexpected_trap
    sd zero, vk_trap_resume, t1
    csrw mepc, t0
    ld t1, F_MCAUSE(sp)
    sd t1, vk_trap_cause, t2
    ld t1, F_MEPC(sp)
    sd t1, vk_trap_epc, t2
    ld t1, F_MTVAL(sp)
    sd t1, vk_trap_tval, t2
    ld t1, F_MSTATUS(sp)
    sd t1, vk_trap_mstatus, t2
    ld t1, vk_trap_count
    addi t1, t1, 1
    sd t1, vk_trap_count, t2
    /* resume in M-mode with interrupts left disabled and MPRV clear
     * (MRET to M leaves MPRV alone but sets MPP = U: the resumed M code
     * would otherwise load and store with U privilege) */
    li t1, MSTATUS_MPP
    csrs mstatus, t1
    li t1, MSTATUS_MPIE | MSTATUS_MPRV
    csrc mstatus, t1

    .globl vk_mtrap_return
vk_mtrap_return:
    addi t0, sp, FRAME_SIZE
    csrw mscratch, t0
    ld x1, 1*8(sp)
    ld x3, 3*8(sp)
    ld x4, 4*8(sp)
    ld x5, 5*8(sp)
    ld x6, 6*8(sp)
    ld x7, 7*8(sp)
    ld x8, 8*8(sp)
    ld x9, 9*8(sp)
    ld x10, 10*8(sp)
    ld x11, 11*8(sp)
    ld x12, 12*8(sp)
    ld x13, 13*8(sp)
    ld x14, 14*8(sp)
    ld x15, 15*8(sp)
    ld x16, 16*8(sp)
    ld x17, 17*8(sp)
    ld x18, 18*8(sp)
    ld x19, 19*8(sp)
    ld x20, 20*8(sp)
    ld x21, 21*8(sp)
    ld x22, 22*8(sp)
    ld x23, 23*8(sp)
    ld x24, 24*8(sp)
    ld x25, 25*8(sp)
    ld x26, 26*8(sp)
    ld x27, 27*8(sp)
    ld x28, 28*8(sp)
    ld x29, 29*8(sp)
    ld x30, 30*8(sp)
    ld x31, 31*8(sp)
    ld sp, 2*8(sp)
    mret

vk_unexpected_trap:
    mv s1, sp
    li s0, 0
    call vk_fail_head
    la a0, .Lmsg_unexp
    call vk_puts
    ld a0, F_MCAUSE(s1)
    call vk_puthex
    la a0, .Lmsg_mepc
    call vk_puts
    ld a0, F_MEPC(s1)
    call vk_puthex
    la a0, .Lmsg_mtval
    call vk_puts
    ld a0, F_MTVAL(s1)
    call vk_puthex
    la a0, .Lmsg_mstatus
    call vk_puts
    ld a0, F_MSTATUS(s1)
    call vk_puthex
    ld t0, vk_strap_count
    beqz t0, 1f
    la a0, .Lmsg_scause
    call vk_puts
    ld a0, vk_strap_cause
    call vk_puthex
    la a0, .Lmsg_sepc
    call vk_puts
    ld a0, vk_strap_epc
    call vk_puthex
    la a0, .Lmsg_stval
    call vk_puts
    ld a0, vk_strap_tval
    call vk_puthex
1:  li a0, '\n'
    call vk_putc
    ld a0, vk_testnum
    j vk_exit_fail

/* ---------------------------------------------------------------------- */
/* S-mode trap vector: records scause/sepc/stval/sstatus, then ecalls to   */
/* M-mode, which resumes at the armed label (or reports the trap).         */
/* ---------------------------------------------------------------------- */
    .balign 64
    .globl vk_strap
vk_strap:
    csrrw sp, sscratch, sp
    addi sp, sp, -16
    sd t0, 0(sp)
    sd t1, 8(sp)
    csrr t0, scause
    sd t0, vk_strap_cause, t1
    csrr t0, sepc
    sd t0, vk_strap_epc, t1
    csrr t0, stval
    sd t0, vk_strap_tval, t1
    csrr t0, sstatus
    sd t0, vk_strap_status, t1
    ld t0, vk_strap_count
    addi t0, t0, 1
    sd t0, vk_strap_count, t1
    ld t0, 0(sp)
    ld t1, 8(sp)
    addi sp, sp, 16
    csrrw sp, sscratch, sp
    .globl vk_strap_ecall
vk_strap_ecall:
    ecall
    j vk_strap_ecall

/* ---------------------------------------------------------------------- */
/* vk_call_mode(prv, fn, arg, sp)                                          */
/* ---------------------------------------------------------------------- */
    .globl vk_call_mode
vk_call_mode:
    la t0, vk_call_ctx
    sd ra, 0(t0)
    sd sp, 8(t0)
    sd s0, 16(t0)
    sd s1, 24(t0)
    sd s2, 32(t0)
    sd s3, 40(t0)
    sd s4, 48(t0)
    sd s5, 56(t0)
    sd s6, 64(t0)
    sd s7, 72(t0)
    sd s8, 80(t0)
    sd s9, 88(t0)
    sd s10, 96(t0)
    sd s11, 104(t0)
    sd gp, 112(t0)
    sd tp, 120(t0)
    sd zero, vk_call_trapped, t1
    la t1, .Lcall_back
    sd t1, vk_trap_resume, t2
    li t1, MSTATUS_MPP
    csrc mstatus, t1
    slli a0, a0, 11
    csrs mstatus, a0
    csrw mepc, a1
    mv a0, a2
    ld ra, vk_call_ret_addr
    bnez ra, 1f
    la ra, vk_call_return
1:  beqz a3, 2f
    mv sp, a3
2:  mret

    .globl vk_call_return
vk_call_return:
    ecall
    j vk_call_return

.Lcall_back:
    la t0, vk_call_ctx
    ld ra, 0(t0)
    ld sp, 8(t0)
    ld s0, 16(t0)
    ld s1, 24(t0)
    ld s2, 32(t0)
    ld s3, 40(t0)
    ld s4, 48(t0)
    ld s5, 56(t0)
    ld s6, 64(t0)
    ld s7, 72(t0)
    ld s8, 80(t0)
    ld s9, 88(t0)
    ld s10, 96(t0)
    ld s11, 104(t0)
    ld gp, 112(t0)
    ld tp, 120(t0)
    ld t1, vk_trap_epc
    ld t2, vk_call_ret_addr
    bnez t2, 3f
    la t2, vk_call_return
3:  bne t1, t2, 4f
    ld t1, vk_trap_cause
    li t2, CAUSE_ECALL_U
    beq t1, t2, 5f
    li t2, CAUSE_ECALL_S
    beq t1, t2, 5f
    li t2, CAUSE_ECALL_M
    beq t1, t2, 5f
4:  li t1, 1
    sd t1, vk_call_trapped, t2
    li a0, -1
5:  ret

/* ---------------------------------------------------------------------- */
/* pass / fail                                                             */
/* ---------------------------------------------------------------------- */

/* Failure reports may start in S or U mode: get back to M first (the
 * armed resume point brings us there if reading mstatus traps). Keeps
 * a0..a3. */
vk_to_machine:
    la t0, 1f
    sd t0, vk_trap_resume, t1
    csrr t0, mstatus
    sd zero, vk_trap_resume, t1
1:  ret

    .globl vk_pass
vk_pass:
    call vk_to_machine
    la a0, .Lmsg_pass
    call vk_puts
    call vk_put_name
    li a0, ')'
    call vk_putc
    li a0, '\n'
    call vk_putc
    li t0, VK_TEST_BASE
    li t1, 0x5555
    sw t1, 0(t0)
1:  wfi
    j 1b

    /* vk_fail(n) */
    .globl vk_fail
vk_fail:
    call vk_to_machine
    mv s0, a0
    call vk_fail_head
    li a0, '\n'
    call vk_putc
    mv a0, s0
    j vk_exit_fail

    /* vk_fail_cmp(n, got, expected) */
    .globl vk_fail_cmp
vk_fail_cmp:
    call vk_to_machine
    mv s0, a0
    mv s2, a1
    mv s3, a2
    call vk_fail_head
    la a0, .Lmsg_got
    call vk_puts
    mv a0, s2
    call vk_puthex
    la a0, .Lmsg_exp
    call vk_puts
    mv a0, s3
    call vk_puthex
    li a0, '\n'
    call vk_putc
    mv a0, s0
    j vk_exit_fail

    /* vk_fail_flags(n, got, expected): fflags mismatch */
    .globl vk_fail_flags
vk_fail_flags:
    call vk_to_machine
    mv s0, a0
    mv s2, a1
    mv s3, a2
    call vk_fail_head
    la a0, .Lmsg_fflags
    call vk_puts
    mv a0, s2
    call vk_puthex
    la a0, .Lmsg_exp
    call vk_puts
    mv a0, s3
    call vk_puthex
    li a0, '\n'
    call vk_putc
    mv a0, s0
    j vk_exit_fail

    /* vk_fail_msg(n, msg) */
    .globl vk_fail_msg
vk_fail_msg:
    call vk_to_machine
    mv s0, a0
    mv s2, a1
    call vk_fail_head
    li a0, ' '
    call vk_putc
    mv a0, s2
    call vk_puts
    li a0, '\n'
    call vk_putc
    mv a0, s0
    j vk_exit_fail

    /* vk_fail_notrap(n): an expected trap did not happen */
    .globl vk_fail_notrap
vk_fail_notrap:
    call vk_to_machine
    sd zero, vk_trap_resume, t1
    mv s0, a0
    call vk_fail_head
    la a0, .Lmsg_notrap
    call vk_puts
    mv a0, s0
    j vk_exit_fail

    /* vk_fail_trap(n): a trap where none was expected (recorded) */
    .globl vk_fail_trap
vk_fail_trap:
    call vk_to_machine
    mv s0, a0
    call vk_fail_head
    la a0, .Lmsg_unexp
    call vk_puts
    ld a0, vk_trap_cause
    call vk_puthex
    la a0, .Lmsg_mepc
    call vk_puts
    ld a0, vk_trap_epc
    call vk_puthex
    la a0, .Lmsg_mtval
    call vk_puts
    ld a0, vk_trap_tval
    call vk_puthex
    li a0, '\n'
    call vk_putc
    mv a0, s0
    j vk_exit_fail

/* "FAIL test N (name):" for test number s0 (or vk_testnum) */
vk_fail_head:
    mv s11, ra
    la a0, .Lmsg_fail
    call vk_puts
    ld a0, vk_testnum
    beqz s0, 1f
    mv a0, s0
1:  call vk_putdec
    la a0, .Lmsg_open
    call vk_puts
    call vk_put_name
    la a0, .Lmsg_close
    call vk_puts
    mv ra, s11
    ret

/* exit with fail code a0, clamped to 1..255 so that QEMU's exit status
 * (the code, truncated to 8 bits) is never 0 */
vk_exit_fail:
    li t0, 255
    bgeu t0, a0, 1f
    mv a0, t0
1:  bnez a0, 2f
    mv a0, t0
2:  slli a0, a0, 16
    li t0, 0x3333
    or a0, a0, t0
    li t0, VK_TEST_BASE
    sw a0, 0(t0)
3:  wfi
    j 3b

/* ---------------------------------------------------------------------- */
/* UART output (16550 THR; waits a bounded time for LSR.THRE)              */
/* ---------------------------------------------------------------------- */
    .globl vk_putc
vk_putc:
    li t0, VK_UART_BASE
    li t1, 100000
1:  lbu t2, 5(t0)
    andi t2, t2, 0x20
    bnez t2, 2f
    addi t1, t1, -1
    bnez t1, 1b
2:  sb a0, 0(t0)
    ret

    .globl vk_puts
vk_puts:
    mv t3, a0
    mv t4, ra
1:  lbu a0, 0(t3)
    beqz a0, 2f
    call vk_putc
    addi t3, t3, 1
    j 1b
2:  mv ra, t4
    ret

/* the test's source file name, without directories */
vk_put_name:
    la t3, vk_test_name
    mv a0, t3
1:  lbu t2, 0(t3)
    beqz t2, 3f
    li t1, '/'
    bne t2, t1, 2f
    addi a0, t3, 1
2:  addi t3, t3, 1
    j 1b
3:  j vk_puts

    .globl vk_puthex
vk_puthex:
    mv t3, a0
    mv t4, ra
    li a0, '0'
    call vk_putc
    li a0, 'x'
    call vk_putc
    li t5, 60
    li t6, 0                    /* a digit has been printed */
1:  srl a0, t3, t5
    andi a0, a0, 15
    bnez a0, 2f
    bnez t6, 2f
    bnez t5, 4f                 /* skip leading zeros, keep the last */
2:  li t6, 1
    li t1, 10
    blt a0, t1, 3f
    addi a0, a0, 'a' - '0' - 10
3:  addi a0, a0, '0'
    call vk_putc
4:  addi t5, t5, -4
    bgez t5, 1b
    mv ra, t4
    ret

/* decimal without M: subtract powers of ten */
    .globl vk_putdec
vk_putdec:
    mv t3, a0
    mv t4, ra
    la t5, .Lpow10
    li t6, 0
1:  ld a1, 0(t5)
    li a0, 0
2:  bltu t3, a1, 3f
    sub t3, t3, a1
    addi a0, a0, 1
    j 2b
3:  bnez a0, 4f
    bnez t6, 4f
    li a2, 1
    bne a1, a2, 5f
4:  li t6, 1
    addi a0, a0, '0'
    call vk_putc
5:  addi t5, t5, 8
    li a2, 1
    bne a1, a2, 1b
    mv ra, t4
    ret

    .section .rodata
    .balign 8
.Lpow10:
    .dword 10000000000000000000, 1000000000000000000, 100000000000000000
    .dword 10000000000000000, 1000000000000000, 100000000000000
    .dword 10000000000000, 1000000000000, 100000000000, 10000000000
    .dword 1000000000, 100000000, 10000000, 1000000, 100000, 10000
    .dword 1000, 100, 10, 1
.Lmsg_pass:     .asciz "PASS ("
.Lmsg_fail:     .asciz "FAIL test "
.Lmsg_open:     .asciz " ("
.Lmsg_close:    .asciz "):"
.Lmsg_got:      .asciz " got "
.Lmsg_fflags:   .asciz " fflags got "
.Lmsg_exp:      .asciz " expected "
.Lmsg_notrap:   .asciz " expected trap did not occur\n"
.Lmsg_unexp:    .asciz " unexpected trap mcause="
.Lmsg_mepc:     .asciz " mepc="
.Lmsg_mtval:    .asciz " mtval="
.Lmsg_mstatus:  .asciz " mstatus="
.Lmsg_scause:   .asciz " | S-mode trap scause="
.Lmsg_sepc:     .asciz " sepc="
.Lmsg_stval:    .asciz " stval="

/* ---------------------------------------------------------------------- */
/* state shared with the tests                                             */
/* ---------------------------------------------------------------------- */
    .bss
    .balign 8
    .globl vk_testnum, vk_trap_resume, vk_trap_hook
    .globl vk_trap_cause, vk_trap_epc, vk_trap_tval, vk_trap_mstatus
    .globl vk_trap_count
    .globl vk_strap_cause, vk_strap_epc, vk_strap_tval, vk_strap_status
    .globl vk_strap_count, vk_call_trapped, vk_call_ret_addr
vk_testnum:         .dword 0
vk_trap_resume:     .dword 0
vk_trap_hook:       .dword 0
vk_trap_cause:      .dword 0
vk_trap_epc:        .dword 0
vk_trap_tval:       .dword 0
vk_trap_mstatus:    .dword 0
vk_trap_count:      .dword 0
vk_strap_cause:     .dword 0
vk_strap_epc:       .dword 0
vk_strap_tval:      .dword 0
vk_strap_status:    .dword 0
vk_strap_count:     .dword 0
vk_call_trapped:    .dword 0
vk_call_ret_addr:   .dword 0
vk_call_ctx:        .space 16 * 8
