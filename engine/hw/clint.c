/* SPDX-License-Identifier: GPL-2.0-or-later */
/* clint.c: the CLINT — machine software interrupts (MSWI) and the machine
 * timer (MTIMER) at QEMU virt's layout. RISC-V ACLINT spec v1.0 §2 (MTIMER:
 * MTIMECMP at +0x0 of the MTIMER block = CLINT +0x4000, MTIME at +0x7ff8 =
 * CLINT +0xbff8) and §3 (MSWI: MSIP at CLINT +0x0). */
#include "config.h"

#include "emu-error.h"
#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/clint.h"
#include "engine/hw/guest-log.h"

struct EmuClint {
    EmuMachine *m;
    EmuRegion *region;
    unsigned nr_harts;
    bool msip[EMU_MAX_HARTS];
    EmuGuestLog log;
};

static EmuHart *clint_hart(EmuClint *c, unsigned h)
{
    return h < c->nr_harts && h < c->m->nr_harts ? c->m->harts[h] : NULL;
}

static uint64_t reg_read32(EmuClint *c, uint64_t off)
{
    uint64_t v;

    if (off < EMU_CLINT_MTIMECMP) {
        unsigned h = off / 4;
        return h < c->nr_harts ? c->msip[h] : 0;
    }
    if (off >= EMU_CLINT_MTIMECMP && off < EMU_CLINT_MTIME) {
        EmuHart *hart = clint_hart(c, (off - EMU_CLINT_MTIMECMP) / 8);
        if (!hart) {
            return 0;
        }
        v = emu_hart_get_mtimecmp(hart);
    } else if (off >= EMU_CLINT_MTIME && off < EMU_CLINT_MTIME + 8) {
        v = emu_machine_mtime(c->m);
    } else {
        return 0;
    }
    return off & 4 ? v >> 32 : v & 0xffffffffu;
}

/*
 * mtime is the machine's one clock: harts read it for the time CSR and
 * compare it with mtimecmp. A guest write therefore moves the machine's
 * time base, so that every observer agrees, then kicks the harts so a WFI
 * sleep recomputes its deadline.
 */
static void set_mtime(EmuClint *c, uint64_t value)
{
    int64_t delta = (int64_t)(value - emu_machine_mtime(c->m));

    c->m->time_base_ns -= delta * (int64_t)(1000000000ULL / EMU_TIMEBASE_HZ);
    for (unsigned i = 0; i < c->m->nr_harts; i++) {
        emu_hart_kick(c->m->harts[i]);
    }
}

static void set_msip(EmuClint *c, unsigned h, bool level)
{
    EmuHart *hart = clint_hart(c, h);

    if (h >= c->nr_harts) {
        return;
    }
    c->msip[h] = level;
    if (hart) {
        emu_hart_set_irq(hart, MIP_MSIP, level);
    }
}

static void reg_write(EmuClint *c, uint64_t off, uint64_t value, unsigned size)
{
    if (off < EMU_CLINT_MTIMECMP) {
        /* ACLINT §3.2: only bit 0 of each MSIP register is writable */
        set_msip(c, off / 4, value & 1);
        if (size == 8) {
            set_msip(c, off / 4 + 1, (value >> 32) & 1);
        }
        return;
    }
    if (off >= EMU_CLINT_MTIMECMP && off < EMU_CLINT_MTIME) {
        EmuHart *hart = clint_hart(c, (off - EMU_CLINT_MTIMECMP) / 8);
        uint64_t v;

        if (!hart) {
            emu_guest_error(&c->log, "clint",
                            "mtimecmp write for missing hart at 0x%" PRIx64,
                            off);
            return;
        }
        v = emu_hart_get_mtimecmp(hart);
        if (size == 8) {
            v = value;
        } else if (off & 4) {
            v = (v & 0xffffffffu) | (value << 32);
        } else {
            v = (v & ~0xffffffffULL) | (value & 0xffffffffu);
        }
        emu_hart_set_mtimecmp(hart, v);
        return;
    }
    if (off >= EMU_CLINT_MTIME && off < EMU_CLINT_MTIME + 8) {
        uint64_t v = emu_machine_mtime(c->m);

        if (size == 8) {
            v = value;
        } else if (off & 4) {
            v = (v & 0xffffffffu) | (value << 32);
        } else {
            v = (v & ~0xffffffffULL) | (value & 0xffffffffu);
        }
        set_mtime(c, v);
        return;
    }
    emu_guest_error(&c->log, "clint", "write to reserved offset 0x%" PRIx64,
                    off);
}

static uint64_t clint_read(void *opaque, uint64_t off, unsigned size)
{
    EmuClint *c = opaque;

    if (size == 8) {
        return reg_read32(c, off) | reg_read32(c, off + 4) << 32;
    }
    return reg_read32(c, off);
}

static void clint_write(void *opaque, uint64_t off, uint64_t value,
                        unsigned size)
{
    reg_write(opaque, off, value, size);
}

static const EmuMmioOps clint_ops = {
    .read = clint_read,
    .write = clint_write,
    .min_access = 4,
    .max_access = 8,
};

EmuClint *emu_clint_new(EmuMachine *m, uint64_t base, unsigned nr_harts,
                        GError **error)
{
    EmuClint *c = g_new0(EmuClint, 1);

    c->m = m;
    c->nr_harts = MIN(nr_harts, EMU_MAX_HARTS);
    c->region = emu_mem_add_mmio(m, "clint", base, EMU_CLINT_SIZE, &clint_ops,
                                 c, error);
    if (!c->region) {
        g_free(c);
        return NULL;
    }
    return c;
}

void emu_clint_reset(EmuClint *c)
{
    for (unsigned h = 0; h < c->nr_harts; h++) {
        set_msip(c, h, false);
    }
}

void emu_clint_free(EmuClint *c)
{
    g_free(c);
}
