/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscon.h: the SiFive test device (sifive,test1) — poweroff, reset, fail. */
#ifndef EMU_HW_SYSCON_H
#define EMU_HW_SYSCON_H

#include <stdint.h>
#include <glib.h>

#include "engine/core/machine.h"

#define EMU_SYSCON_SIZE  0x1000
#define EMU_SYSCON_FAIL  0x3333 /* | exit code << 16 */
#define EMU_SYSCON_PASS  0x5555 /* poweroff */
#define EMU_SYSCON_RESET 0x7777

typedef struct EmuSyscon EmuSyscon;

/**
 * emu_syscon_new:
 * Registers the test device at @base: a 32-bit write at offset 0 of
 * 0x5555 requests EMU_REQ_POWEROFF, 0x7777 EMU_REQ_RESET and
 * 0x3333 | code << 16 EMU_REQ_FAIL with code. Reads return 0.
 * Returns: the device, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuSyscon *emu_syscon_new(EmuMachine *m, uint64_t base, GError **error);

/**
 * emu_syscon_free:
 * Thread: main thread, machine stopped.
 */
void emu_syscon_free(EmuSyscon *s);

#endif
