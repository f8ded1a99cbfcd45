/* SPDX-License-Identifier: GPL-2.0-or-later */
/* clint.h: the SiFive CLINT / ACLINT MSWI + MTIMER pair of QEMU's virt. */
#ifndef EMU_HW_CLINT_H
#define EMU_HW_CLINT_H

#include <stdint.h>
#include <glib.h>

#include "engine/core/machine.h"

#define EMU_CLINT_SIZE     0x10000
#define EMU_CLINT_MSIP     0x0    /* 4 bytes per hart */
#define EMU_CLINT_MTIMECMP 0x4000 /* 8 bytes per hart */
#define EMU_CLINT_MTIME    0xbff8

typedef struct EmuClint EmuClint;

/**
 * emu_clint_new:
 * Registers a CLINT at @base serving harts 0..@nr_harts-1 of @m. The harts
 * are looked up in m->harts at access time, so they may be created later.
 * Returns: the device, or NULL with @error set (overlap).
 * Thread: main thread, before the machine runs.
 */
EmuClint *emu_clint_new(EmuMachine *m, uint64_t base, unsigned nr_harts,
                        GError **error);

/**
 * emu_clint_reset:
 * Clears every msip bit. mtime keeps running (it is the machine's clock).
 * Thread: any thread holding the device lock.
 */
void emu_clint_reset(EmuClint *c);

/**
 * emu_clint_free:
 * Thread: main thread, machine stopped.
 */
void emu_clint_free(EmuClint *c);

#endif
