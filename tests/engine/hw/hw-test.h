/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hw-test.h: helpers for the device tests — register access through the
 * machine's region table under the device lock, and an IRQ probe. */
#ifndef TESTS_HW_TEST_H
#define TESTS_HW_TEST_H

#include <glib.h>
#include <glib/gstdio.h>

#include "emu-error.h"
#include "engine/core/irq.h"
#include "engine/core/machine.h"
#include "engine/core/memory.h"

static inline uint64_t hw_rd(EmuMachine *m, uint64_t addr, unsigned size)
{
    EmuRegion *r = emu_mem_find(m, addr);
    uint64_t v;

    g_assert_nonnull(r);
    g_assert_null(r->host);
    emu_machine_lock(m);
    v = emu_mmio_read_locked(r, addr - r->base, size);
    emu_machine_unlock(m);
    return v;
}

static inline void hw_wr(EmuMachine *m, uint64_t addr, uint64_t value,
                         unsigned size)
{
    EmuRegion *r = emu_mem_find(m, addr);

    g_assert_nonnull(r);
    g_assert_null(r->host);
    emu_machine_lock(m);
    emu_mmio_write_locked(r, addr - r->base, value, size);
    emu_machine_unlock(m);
}

#define rd32(m, a)    ((uint32_t)hw_rd((m), (a), 4))
#define wr32(m, a, v) hw_wr((m), (a), (v), 4)
#define rd8(m, a)     ((uint8_t)hw_rd((m), (a), 1))
#define wr8(m, a, v)  hw_wr((m), (a), (v), 1)

/* An interrupt controller input that records the level it is driven to. */
typedef struct IrqProbe {
    EmuIrq irq;
    bool level;
    unsigned edges; /* rising edges seen */
} IrqProbe;

static inline void irq_probe_handler(void *opaque, int n, bool level)
{
    IrqProbe *p = opaque;

    if (level && !p->level) {
        p->edges++;
    }
    p->level = level;
}

static inline void irq_probe_init(IrqProbe *p)
{
    p->irq.handler = irq_probe_handler;
    p->irq.opaque = p;
    p->irq.n = 0;
    p->level = false;
    p->edges = 0;
}

#endif
