/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strict.c: spec rules that QEMU 7.2 does not follow. vmkit follows the
 * spec; run.sh reports this program as skipped when the runner is QEMU.
 * Every check runs and prints "ok N ..." or "not ok N ...", so the output
 * on QEMU lists the deviations (see README). */
#include "macros.h"

static uint64_t amo_buf[4] __attribute__((aligned(32)));

/* a misaligned or faulting AMO/SC is a store/AMO exception: cause 6
 * (address misaligned) or 7 (access fault), never a load cause */
static unsigned long store_amo_cause(unsigned long cause)
{
    return (cause == CAUSE_STORE_MISALIGNED || cause == CAUSE_STORE_ACCESS)
        ? 1 : cause;
}

/* wait (interrupts on) for the next interrupt; returns its mcause */
static unsigned long next_irq(void)
{
    return TRY("csrsi mstatus, 8\n\tli a3, 2000000\n"
               "2:\taddi a3, a3, -1\n\tbnez a3, 2b", 0);
}

static void irq_priority(void)
{
    static const unsigned long order[] = {
        IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, IRQ_SSI, IRQ_STI,
    };
    unsigned i;

    csr_write(mideleg, 0);
    csr_write(mie, MIP_MEIP | MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP |
              MIP_STIP);
    csr_set(mip, MIP_SEIP | MIP_SSIP | MIP_STIP);
    *(volatile uint64_t *)VK_CLINT_MTIMECMP = 0;
    mmio_write32(VK_CLINT_MSIP, 1);
    mmio_write32(VK_PLIC_BASE + 4 * VK_UART_IRQ, 1);      /* priority */
    mmio_write32(VK_PLIC_BASE + 0x200000, 0);             /* threshold */
    mmio_write32(VK_PLIC_BASE + 0x2000, 1 << VK_UART_IRQ); /* enable */
    *(volatile uint8_t *)(VK_UART_BASE + 1) = 0x02;       /* THRE irq */
    for (i = 0; i < 100000; i++) {
        if ((csr_read(mip) & 0xaaa) == 0xaaa) {
            break;
        }
    }
    vk_soft(40, "six interrupts pending", csr_read(mip) & 0xaaa, 0xaaa);

    /* privileged spec §3.1.9: MEI, MSI, MTI, SEI, SSI, STI */
    for (i = 0; i < 6; i++) {
        unsigned long cause = next_irq();

        vk_soft(41 + i, "interrupt priority order", cause,
                CAUSE_INTR | order[i]);
        switch (cause & 0xff) {
        case IRQ_MEI:
            mmio_write32(VK_PLIC_BASE + 0x200004,
                         mmio_read32(VK_PLIC_BASE + 0x200004));
            *(volatile uint8_t *)(VK_UART_BASE + 1) = 0;
            mmio_write32(VK_PLIC_BASE + 0x2000, 0);
            break;
        case IRQ_MSI:
            mmio_write32(VK_CLINT_MSIP, 0);
            break;
        case IRQ_MTI:
            *(volatile uint64_t *)VK_CLINT_MTIMECMP = -1UL;
            break;
        default:
            csr_clear(mip, 1UL << (cause & 0xff));
            break;
        }
    }
    *(volatile uint8_t *)(VK_UART_BASE + 1) = 0;
    mmio_write32(VK_PLIC_BASE + 0x2000, 0);
    mmio_write32(VK_CLINT_MSIP, 0);
    *(volatile uint64_t *)VK_CLINT_MTIMECMP = -1UL;
    csr_clear(mip, MIP_SEIP | MIP_SSIP | MIP_STIP);
    csr_write(mie, 0);
}

int test_main(void)
{
    unsigned long addr = (unsigned long)amo_buf;
    unsigned long c, v, saved;

    /* A extension §8.4: a misaligned AMO raises address-misaligned or
     * access-fault; for AMOs that is the store/AMO cause (6 or 7).
     * QEMU 7.2: load address misaligned (4). */
    c = TRY("amoadd.w a0, a0, (a1)", addr + 2);
    vk_soft(1, "misaligned AMOADD.W: store/AMO cause", store_amo_cause(c), 1);
    vk_soft(2, "  mtval", vk_trap_tval, addr + 2);
    c = TRY("amoswap.d a0, a0, (a1)", addr + 4);
    vk_soft(3, "misaligned AMOSWAP.D: store/AMO cause", store_amo_cause(c),
            1);
    /* §8.2: LR/SC need natural alignment, else the exception; an SC must
     * not quietly fail instead. QEMU 7.2: the SC fails without a trap. */
    c = TRY("sc.w a0, a0, (a1)", addr + 2);
    vk_soft(4, "misaligned SC.W: store/AMO cause", store_amo_cause(c), 1);
    c = TRY("lr.d a0, (a1)\n\taddi a1, a1, 4\n\tsc.d a0, a0, (a1)", addr);
    vk_soft(5, "misaligned SC.D after LR.D: store/AMO cause",
            store_amo_cause(c), 1);
    /* an AMO that hits nothing: store/AMO access fault (7).
     * QEMU 7.2: load access fault (5). */
    c = TRY("amoor.w a0, a0, (a1)", 0x20000);
    vk_soft(6, "AMO on unmapped memory: cause", c, CAUSE_STORE_ACCESS);

    /* privileged spec §3.1.6.3 (1.12): an MRET or SRET to a mode below M
     * clears MPRV. QEMU 7.2 leaves it set. */
    c = TRY("li a0, 0x20000\n\tcsrs mstatus, a0\n\t"       /* MPRV */
            "li a0, 0x1800\n\tcsrc mstatus, a0\n\t"
            "li a0, 0x0800\n\tcsrs mstatus, a0\n\t"        /* MPP = S */
            "la a0, 2f\n\tcsrw mepc, a0\n\tmret\n"
            "2:\tecall", 0);
    vk_soft(7, "MRET to S: then ECALL from S", c, CAUSE_ECALL_S);
    vk_soft(8, "MRET to S clears MPRV", vk_trap_mstatus & MSTATUS_MPRV, 0);
    csr_clear(mstatus, MSTATUS_MPRV);

    /* §3.1.14: mepc[0] is always zero (and sepc[0], §4.1.7).
     * QEMU 7.2 keeps bit 0. */
    csr_write(mepc, 0x80000001UL);
    vk_soft(10, "mepc bit 0 reads zero", csr_read(mepc), 0x80000000UL);
    csr_write(sepc, 0x80000003UL);
    vk_soft(11, "sepc bit 0 reads zero", csr_read(sepc), 0x80000002UL);

    /* §3.1.8: medeleg[11] (ECALL from M) is read-only zero.
     * QEMU 7.2: writable. */
    csr_write(medeleg, -1UL);
    vk_soft(12, "medeleg[11] is read-only zero", csr_read(medeleg) & 0x800,
            0);
    csr_write(medeleg, 0);

    /* §3.1.11, §4.1.5: mcounteren/scounteren are 32-bit registers.
     * QEMU 7.2 keeps 64 bits. */
    csr_write(mcounteren, -1UL);
    vk_soft(13, "mcounteren bits 63:32 read zero", csr_read(mcounteren) >> 32,
            0);
    csr_write(mcounteren, 0);
    csr_write(scounteren, -1UL);
    vk_soft(14, "scounteren bits 63:32 read zero", csr_read(scounteren) >> 32,
            0);
    csr_write(scounteren, 0);

    /* §3.7.1: on RV64 pmpaddr holds address bits 55:2; bits 63:54 are
     * zero (WARL). QEMU 7.2 keeps them. */
    csr_write(pmpaddr0, -1UL);
    vk_soft(15, "pmpaddr bits 63:54 read zero", csr_read(pmpaddr0) >> 54, 0);
    csr_write(pmpaddr0, 0);
    /* §3.7.1: pmpcfg bits 6:5 are zero (WARL), and R=0 W=1 is reserved:
     * a written 0x62 must not read back with them. QEMU 7.2 keeps both. */
    csr_write(pmpcfg0, 0x62);
    v = csr_read(pmpcfg0) & 0xff;
    vk_soft(16, "pmpcfg bits 6:5 read zero", v & 0x60, 0);
    vk_soft(17, "pmpcfg R=0 W=1 is not retained", (v & 3) == 2, 0);
    csr_write(pmpcfg0, 0);

    /* §3.1.6.2: MPP is WARL with the legal values M, S, U; 2 is reserved.
     * QEMU 7.2 stores 2. */
    saved = csr_read(mstatus);
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, 2UL << 11);
    vk_soft(18, "MPP = 2 is not retained",
            ((csr_read(mstatus) & MSTATUS_MPP) >> 11) == 2, 0);
    csr_write(mstatus, saved);
    /* §3.1.6.2: UXL is WARL; with only 64-bit U-mode it stays 2.
     * QEMU 7.2 takes any value written. */
    csr_set(mstatus, MSTATUS_UXL);
    v = (csr_read(mstatus) & MSTATUS_UXL) >> 32;
    csr_write(mstatus, saved);
    vk_soft(19, "mstatus.UXL stays 2", v, 2);
    csr_set(sstatus, MSTATUS_UXL);
    v = (csr_read(sstatus) & MSTATUS_UXL) >> 32;
    csr_write(mstatus, saved);
    vk_soft(20, "sstatus.UXL stays 2", v, 2);

    /* Zicntr: minstret counts retired instructions, and a CSR read
     * returns the value before the reading instruction (§2.1 of the
     * Zicsr chapter): two reads around 100 instructions differ by 101.
     * QEMU 7.2 without -icount counts host time instead. */
    __asm__ volatile("csrr %0, minstret\n\t"
                     ".rept 100\n\taddi zero, zero, 0\n\t.endr\n\t"
                     "csrr %1, minstret"
                     : "=&r"(v), "=r"(saved));
    vk_soft(30, "minstret counts instructions exactly", saved - v, 101);

    /* §3.1.9: with several interrupts pending the order is fixed.
     * QEMU 7.2 takes the lowest-numbered one first. */
    irq_priority();

    return vk_soft_done();
}
