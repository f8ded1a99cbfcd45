/* SPDX-License-Identifier: GPL-2.0-or-later */
/* platform.c: vmkit's platform choices where QEMU 7.2 chose differently
 * (both are allowed by the spec): the hart is exactly RV64IMAFDC with S
 * and U, no hypervisor extension (so its CSRs and delegation/interrupt
 * bits do not exist), and translation modes Bare, Sv39 and Sv48 but not
 * Sv57 (docs: DESIGN.md §1). run.sh reports it as skipped on QEMU. */
#include "macros.h"

int test_main(void)
{
    unsigned long v;

    /* misa: MXL = 2, I M A F D C S U and nothing else (QEMU 7.2 adds H) */
    v = csr_read(misa);
    vk_soft(1, "misa = RV64IMAFDCSU", v,
            (2UL << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) |
            (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20));

    /* no H: hypervisor CSRs are illegal, H-only bits read zero */
    vk_soft(2, "hstatus is illegal", TRY("csrr a0, 0x600", 0),
            CAUSE_ILLEGAL);
    vk_soft(3, "vsstatus is illegal", TRY("csrr a0, 0x200", 0),
            CAUSE_ILLEGAL);
    csr_write(medeleg, -1UL);
    vk_soft(4, "medeleg: no VS-ecall or guest page faults",
            csr_read(medeleg) & ((1UL << 10) | (0xfUL << 20)), 0);
    csr_write(medeleg, 0);
    csr_write(mideleg, -1UL);
    vk_soft(5, "mideleg: no VS or guest interrupts",
            csr_read(mideleg) & 0x1444, 0);
    csr_write(mideleg, 0);
    csr_write(mie, -1UL);
    vk_soft(6, "mie: no VS or guest interrupts", csr_read(mie) & 0x1444, 0);
    csr_write(mie, 0);
    v = csr_read(mstatus);
    csr_set(mstatus, (3UL << 38));
    vk_soft(7, "mstatus: no MPV/GVA", csr_read(mstatus) & (3UL << 38), 0);
    csr_write(mstatus, v);

    /* satp: Sv39 and Sv48 are accepted, Sv57 is not (the write is
     * dropped), QEMU 7.2 accepts Sv57 */
    csr_write(satp, (8UL << 60) | 0x80100);
    vk_soft(8, "satp Sv39", csr_read(satp), (8UL << 60) | 0x80100);
    csr_write(satp, (9UL << 60) | 0x80200);
    vk_soft(9, "satp Sv48", csr_read(satp), (9UL << 60) | 0x80200);
    csr_write(satp, (10UL << 60) | 0x80300);
    vk_soft(10, "satp Sv57 is not supported", csr_read(satp),
            (9UL << 60) | 0x80200);
    csr_write(satp, 0);

    return vk_soft_done();
}
