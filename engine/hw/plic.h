/* SPDX-License-Identifier: GPL-2.0-or-later */
/* plic.h: the SiFive PLIC of QEMU's virt board (M and S context per hart). */
#ifndef EMU_HW_PLIC_H
#define EMU_HW_PLIC_H

#include <stdint.h>
#include <glib.h>

#include "engine/core/irq.h"
#include "engine/core/machine.h"

#define EMU_PLIC_NUM_SOURCES 96 /* including the reserved source 0 */
#define EMU_PLIC_NDEV        (EMU_PLIC_NUM_SOURCES - 1) /* DT riscv,ndev */
#define EMU_PLIC_PRIO_MAX    7 /* 3 priority bits, as QEMU virt */
#define EMU_PLIC_SIZE        0x600000

#define EMU_PLIC_PRIORITY       0x0
#define EMU_PLIC_PENDING        0x1000
#define EMU_PLIC_ENABLE         0x2000
#define EMU_PLIC_ENABLE_STRIDE  0x80
#define EMU_PLIC_CONTEXT        0x200000
#define EMU_PLIC_CONTEXT_STRIDE 0x1000

typedef struct EmuPlic EmuPlic;

/**
 * emu_plic_new:
 * Registers a PLIC at @base with two contexts per hart: 2h drives hart h's
 * MEIP, 2h+1 its SEIP. Harts are looked up in m->harts when an output
 * changes, so they may be created later.
 * Returns: the device, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuPlic *emu_plic_new(EmuMachine *m, uint64_t base, unsigned nr_harts,
                      GError **error);

/**
 * emu_plic_irq:
 * Returns: the level-triggered input line of source @n (1..95), or NULL for
 * the reserved source 0 and out-of-range numbers. Drive it with
 * emu_irq_set() under the device lock.
 * Thread: any thread.
 */
EmuIrq *emu_plic_irq(EmuPlic *p, unsigned n);

/**
 * emu_plic_reset:
 * Clears priorities, enables, thresholds and claims; input levels are kept
 * (they belong to the devices).
 * Thread: any thread holding the device lock.
 */
void emu_plic_reset(EmuPlic *p);

/**
 * emu_plic_free:
 * Thread: main thread, machine stopped.
 */
void emu_plic_free(EmuPlic *p);

#endif
