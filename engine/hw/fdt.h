/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdt.h: the virt board's flattened device tree, built from its memory
 * map table the way QEMU's virt board lays it out. */
#ifndef EMU_HW_FDT_H
#define EMU_HW_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "engine/hw/virt.h"

typedef struct EmuVirtFdtParams {
    const EmuVirtMapEntry *map; /* emu_virt_memmap() */
    unsigned nr_harts;
    uint64_t ram_size;
    const char *isa;      /* e.g. "rv64imafdc_zicsr_zifencei" */
    const char *mmu_type; /* NULL: "riscv,sv48" */
    const char *bootargs; /* NULL: no bootargs */
    bool have_initrd;
    uint64_t initrd_start, initrd_end;
    uint64_t high_mmio_base, high_mmio_size; /* size 0: no 64-bit window */
    const uint8_t *rng_seed;                 /* NULL: none */
    size_t rng_seed_len;
} EmuVirtFdtParams;

/* phandles, numbered as QEMU numbers them (harts from the last one) */
#define EMU_FDT_CPU_PHANDLE(nr, h)  (2 * ((nr)-1 - (h)) + 1)
#define EMU_FDT_INTC_PHANDLE(nr, h) (2 * ((nr)-1 - (h)) + 2)
#define EMU_FDT_PLIC_PHANDLE(nr)    (2 * (nr) + 1)
#define EMU_FDT_TEST_PHANDLE(nr)    (2 * (nr) + 2)

/**
 * emu_virt_fdt_build:
 * Returns: the finished blob, or NULL with @error set.
 * Thread: any thread.
 */
GBytes *emu_virt_fdt_build(const EmuVirtFdtParams *p, GError **error);

/**
 * emu_fdt_write_file:
 * Writes @blob to @path (-dumpdtb).
 * Thread: any thread.
 */
bool emu_fdt_write_file(GBytes *blob, const char *path, GError **error);

#endif
