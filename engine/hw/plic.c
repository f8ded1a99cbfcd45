/* SPDX-License-Identifier: GPL-2.0-or-later */
/* plic.c: the platform-level interrupt controller — gateways, priorities,
 * per-context enables, thresholds and claim/complete. RISC-V PLIC
 * specification v1.0.0 §3-§9 (memory map §3, priority §4, pending §5,
 * enables §6, threshold §7, claim §8, completion §9). */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/guest-log.h"
#include "engine/hw/plic.h"

#define WORDS        ((EMU_PLIC_NUM_SOURCES + 31) / 32)
#define MAX_CONTEXTS (2 * EMU_MAX_HARTS)

struct EmuPlic {
    EmuMachine *m;
    EmuRegion *region;
    unsigned nr_contexts;
    uint32_t priority[EMU_PLIC_NUM_SOURCES];
    uint32_t level[WORDS];   /* input lines as the devices drive them */
    uint32_t claimed[WORDS]; /* in service: claimed, not yet completed */
    uint32_t enable[MAX_CONTEXTS][WORDS];
    uint32_t threshold[MAX_CONTEXTS];
    bool out[MAX_CONTEXTS];
    EmuIrq inputs[EMU_PLIC_NUM_SOURCES];
    EmuGuestLog log;
};

/*
 * Level-triggered gateways (§2 and §9): a source is pending while its line
 * is high and it is not in service; after completion a still-high line
 * pends again. Source 0 never pends.
 */
static uint32_t pending_word(EmuPlic *p, unsigned w)
{
    uint32_t v = p->level[w] & ~p->claimed[w];

    return w == 0 ? v & ~1u : v;
}

/* Highest-priority pending+enabled source above the threshold; ties go
 * to the lowest id (§8). Returns 0 when none. */
static unsigned best_source(EmuPlic *p, unsigned ctx)
{
    unsigned best = 0;
    uint32_t best_prio = p->threshold[ctx];

    for (unsigned w = 0; w < WORDS; w++) {
        uint32_t bits = pending_word(p, w) & p->enable[ctx][w];

        while (bits) {
            unsigned src = w * 32 + __builtin_ctz(bits);

            bits &= bits - 1;
            if (src < EMU_PLIC_NUM_SOURCES && p->priority[src] > best_prio) {
                best_prio = p->priority[src];
                best = src;
            }
        }
    }
    return best;
}

static void update(EmuPlic *p)
{
    for (unsigned ctx = 0; ctx < p->nr_contexts; ctx++) {
        bool level = best_source(p, ctx) != 0;
        unsigned h = ctx / 2;

        if (level == p->out[ctx]) {
            continue;
        }
        p->out[ctx] = level;
        if (h < p->m->nr_harts && p->m->harts[h]) {
            emu_hart_set_irq(p->m->harts[h], ctx & 1 ? MIP_SEIP : MIP_MEIP,
                             level);
        }
    }
}

static void plic_set_input(void *opaque, int n, bool level)
{
    EmuPlic *p = opaque;
    uint32_t bit = 1u << (n % 32);
    uint32_t *w = &p->level[n / 32];

    if (!!(*w & bit) == level) {
        return;
    }
    *w = level ? *w | bit : *w & ~bit;
    update(p);
}

static uint32_t claim(EmuPlic *p, unsigned ctx)
{
    unsigned src = best_source(p, ctx);

    if (src) {
        p->claimed[src / 32] |= 1u << (src % 32);
        update(p);
    }
    return src;
}

static void complete(EmuPlic *p, unsigned ctx, uint32_t src)
{
    uint32_t bit;

    /* §9: an id not enabled for this context is silently ignored */
    if (src == 0 || src >= EMU_PLIC_NUM_SOURCES) {
        emu_guest_error(&p->log, "plic", "complete of invalid source %u", src);
        return;
    }
    bit = 1u << (src % 32);
    if (!(p->enable[ctx][src / 32] & bit)) {
        return;
    }
    p->claimed[src / 32] &= ~bit;
    update(p);
}

static uint64_t plic_read(void *opaque, uint64_t off, unsigned size)
{
    EmuPlic *p = opaque;

    if (off < EMU_PLIC_PENDING) {
        unsigned src = off / 4;
        return src < EMU_PLIC_NUM_SOURCES ? p->priority[src] : 0;
    }
    if (off < EMU_PLIC_ENABLE) {
        unsigned w = (off - EMU_PLIC_PENDING) / 4;
        return w < WORDS ? pending_word(p, w) : 0;
    }
    if (off < EMU_PLIC_CONTEXT) {
        unsigned ctx = (off - EMU_PLIC_ENABLE) / EMU_PLIC_ENABLE_STRIDE;
        unsigned w = (off - EMU_PLIC_ENABLE) % EMU_PLIC_ENABLE_STRIDE / 4;
        return ctx < p->nr_contexts && w < WORDS ? p->enable[ctx][w] : 0;
    }
    {
        unsigned ctx = (off - EMU_PLIC_CONTEXT) / EMU_PLIC_CONTEXT_STRIDE;
        unsigned reg = (off - EMU_PLIC_CONTEXT) % EMU_PLIC_CONTEXT_STRIDE;

        if (ctx >= p->nr_contexts) {
            return 0;
        }
        if (reg == 0) {
            return p->threshold[ctx];
        }
        if (reg == 4) {
            return claim(p, ctx);
        }
    }
    return 0;
}

static void plic_write(void *opaque, uint64_t off, uint64_t value,
                       unsigned size)
{
    EmuPlic *p = opaque;
    uint32_t v = value;

    if (off < EMU_PLIC_PENDING) {
        unsigned src = off / 4;
        if (src > 0 && src < EMU_PLIC_NUM_SOURCES) {
            p->priority[src] = MIN(v, EMU_PLIC_PRIO_MAX);
            update(p);
        }
        return;
    }
    if (off < EMU_PLIC_ENABLE) {
        emu_guest_error(&p->log, "plic", "write to read-only pending bits");
        return;
    }
    if (off < EMU_PLIC_CONTEXT) {
        unsigned ctx = (off - EMU_PLIC_ENABLE) / EMU_PLIC_ENABLE_STRIDE;
        unsigned w = (off - EMU_PLIC_ENABLE) % EMU_PLIC_ENABLE_STRIDE / 4;
        if (ctx < p->nr_contexts && w < WORDS) {
            if (w == 0) {
                v &= ~1u; /* source 0 does not exist */
            }
            if (w == WORDS - 1 && EMU_PLIC_NUM_SOURCES % 32) {
                v &= (1u << (EMU_PLIC_NUM_SOURCES % 32)) - 1;
            }
            p->enable[ctx][w] = v;
            update(p);
        }
        return;
    }
    {
        unsigned ctx = (off - EMU_PLIC_CONTEXT) / EMU_PLIC_CONTEXT_STRIDE;
        unsigned reg = (off - EMU_PLIC_CONTEXT) % EMU_PLIC_CONTEXT_STRIDE;

        if (ctx >= p->nr_contexts) {
            emu_guest_error(&p->log, "plic", "write to missing context %u",
                            ctx);
            return;
        }
        if (reg == 0) {
            p->threshold[ctx] = MIN(v, EMU_PLIC_PRIO_MAX);
            update(p);
        } else if (reg == 4) {
            complete(p, ctx, v);
        }
    }
}

static const EmuMmioOps plic_ops = {
    .read = plic_read,
    .write = plic_write,
    .min_access = 4,
    .max_access = 4,
};

EmuPlic *emu_plic_new(EmuMachine *m, uint64_t base, unsigned nr_harts,
                      GError **error)
{
    EmuPlic *p = g_new0(EmuPlic, 1);

    p->m = m;
    p->nr_contexts = 2 * MIN(nr_harts, EMU_MAX_HARTS);
    for (unsigned i = 0; i < EMU_PLIC_NUM_SOURCES; i++) {
        p->inputs[i].handler = plic_set_input;
        p->inputs[i].opaque = p;
        p->inputs[i].n = i;
    }
    p->region =
        emu_mem_add_mmio(m, "plic", base, EMU_PLIC_SIZE, &plic_ops, p, error);
    if (!p->region) {
        g_free(p);
        return NULL;
    }
    return p;
}

EmuIrq *emu_plic_irq(EmuPlic *p, unsigned n)
{
    return n > 0 && n < EMU_PLIC_NUM_SOURCES ? &p->inputs[n] : NULL;
}

void emu_plic_reset(EmuPlic *p)
{
    memset(p->priority, 0, sizeof(p->priority));
    memset(p->claimed, 0, sizeof(p->claimed));
    memset(p->enable, 0, sizeof(p->enable));
    memset(p->threshold, 0, sizeof(p->threshold));
    update(p);
}

void emu_plic_free(EmuPlic *p)
{
    g_free(p);
}
