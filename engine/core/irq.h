/* SPDX-License-Identifier: GPL-2.0-or-later */
/* irq.h: interrupt lines — one struct per line, level-triggered. */
#ifndef EMU_IRQ_H
#define EMU_IRQ_H

#include <stdbool.h>

typedef void (*EmuIrqHandler)(void *opaque, int n, bool level);

/* A wire from a device to an interrupt controller input. */
typedef struct EmuIrq {
    EmuIrqHandler handler;
    void *opaque;
    int n;
} EmuIrq;

/**
 * emu_irq_set:
 * Drives the line to @level. A line with no handler is a no-op.
 * Thread: any thread holding the machine's device lock.
 */
static inline void emu_irq_set(const EmuIrq *irq, bool level)
{
    if (irq && irq->handler) {
        irq->handler(irq->opaque, irq->n, level);
    }
}

#endif
