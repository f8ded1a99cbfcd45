/* SPDX-License-Identifier: GPL-2.0-or-later */
/* uart16550.h: the NS16550A UART of QEMU's virt board. */
#ifndef EMU_HW_UART16550_H
#define EMU_HW_UART16550_H

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "engine/core/chardev.h"
#include "engine/core/irq.h"
#include "engine/core/machine.h"

#define EMU_UART_SIZE  0x100
#define EMU_UART_FIFO  16
#define EMU_UART_CLOCK 3686400 /* DT clock-frequency, as QEMU virt */

typedef struct EmuUart16550 EmuUart16550;

/**
 * emu_uart16550_new:
 * @irq: output line (the PLIC input), may be NULL
 * @chr: backend, may be NULL (output discarded, no input)
 *
 * Registers the UART (reg-shift 0, byte registers) at @base and becomes
 * @chr's frontend: transmitted bytes go to emu_chardev_write() at once,
 * received bytes arrive through the frontend callbacks below.
 * Returns: the device, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuUart16550 *emu_uart16550_new(EmuMachine *m, uint64_t base, EmuIrq *irq,
                                EmuChardev *chr, GError **error);

/**
 * emu_uart16550_can_receive / emu_uart16550_receive:
 * The chardev frontend callbacks: free space in the RX FIFO, and delivery
 * of at most that many bytes (extra bytes are counted as overruns).
 * Thread: any thread holding the device lock (the I/O thread for the
 * chardev).
 */
size_t emu_uart16550_can_receive(EmuUart16550 *u);
void emu_uart16550_receive(EmuUart16550 *u, const uint8_t *buf, size_t len);

/**
 * emu_uart16550_reset:
 * Thread: any thread holding the device lock.
 */
void emu_uart16550_reset(EmuUart16550 *u);

/**
 * emu_uart16550_free:
 * Detaches from the chardev and frees the device.
 * Thread: main thread, machine and I/O thread stopped.
 */
void emu_uart16550_free(EmuUart16550 *u);

#endif
