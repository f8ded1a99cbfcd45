/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hart-api.h: what devices and the machine may do to a hart. */
#ifndef EMU_HART_API_H
#define EMU_HART_API_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

typedef struct EmuHart EmuHart;
typedef struct EmuMachine EmuMachine;
typedef struct EmuRegion EmuRegion;

/* mip/mie bits (RISC-V privileged spec §3.1.9) */
#define MIP_SSIP (1ULL << 1)
#define MIP_MSIP (1ULL << 3)
#define MIP_STIP (1ULL << 5)
#define MIP_MTIP (1ULL << 7)
#define MIP_SEIP (1ULL << 9)
#define MIP_MEIP (1ULL << 11)

/**
 * emu_hart_new:
 * Creates hart @hartid of @m and registers it in m->harts.
 * Thread: main thread.
 */
EmuHart *emu_hart_new(EmuMachine *m, unsigned hartid);

/**
 * emu_hart_free:
 * Thread: main thread, the hart thread has stopped.
 */
void emu_hart_free(EmuHart *h);

/**
 * emu_hart_reset:
 * Puts the hart in its reset state: M-mode, pc = @pc, a0 = hartid,
 * a1 = @a1, a2 = @a2, caches flushed.
 * Thread: main thread while the hart is stopped.
 */
void emu_hart_reset(EmuHart *h, uint64_t pc, uint64_t a1, uint64_t a2);

/**
 * emu_hart_set_irq:
 * Drives a device-owned mip bit (MSIP, MTIP, MEIP, SEIP) and wakes the hart
 * when it sleeps in WFI.
 * Thread: any thread.
 */
void emu_hart_set_irq(EmuHart *h, uint64_t mip_bit, bool level);

/**
 * emu_hart_get_mtimecmp / emu_hart_set_mtimecmp:
 * The CLINT's per-hart compare register; the hart raises MTIP itself when
 * mtime >= mtimecmp and sleeps in WFI until then.
 * Thread: any thread.
 */
uint64_t emu_hart_get_mtimecmp(EmuHart *h);
void emu_hart_set_mtimecmp(EmuHart *h, uint64_t value);

/**
 * emu_hart_get_mip:
 * Returns: the hart's current mip (device-driven and software bits).
 * Thread: any thread.
 */
uint64_t emu_hart_get_mip(EmuHart *h);

/**
 * emu_hart_kick:
 * Makes the hart leave its execution loop at the next block boundary (or
 * its WFI sleep) to look at requests.
 * Thread: any thread.
 */
void emu_hart_kick(EmuHart *h);

/**
 * emu_hart_start / emu_hart_join:
 * Starts the hart's thread / waits for it to end (after a machine request).
 * Thread: main thread.
 */
void emu_hart_start(EmuHart *h);
void emu_hart_join(EmuHart *h);

/**
 * emu_hart_dump:
 * Appends the architectural state ("info registers") to @out.
 * Thread: any thread; values may be stale while the hart runs.
 */
void emu_hart_dump(EmuHart *h, GString *out);

/**
 * emu_harts_code_written:
 * Page @page of RAM region @r, on which the harts in @harts (bit per
 * hartid) hold translated code, was written: those harts drop their
 * blocks for it before they next execute.
 * Thread: any thread.
 */
void emu_harts_code_written(EmuMachine *m, EmuRegion *r, uint64_t page,
                            uint8_t harts);

/**
 * emu_riscv_isa_string:
 * Returns: the ISA string for the device tree, listing only what the hart
 * implements (e.g. "rv64imafdc_zicsr_zifencei").
 * Thread: any thread.
 */
const char *emu_riscv_isa_string(void);

#endif
