/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-plic.c: PLIC priorities, pending, enables, thresholds, claim and
 * complete, and the MEIP/SEIP outputs per context. */
#include "config.h"

#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/plic.h"
#include "hw-test.h"

#define BASE       0xc000000ULL
#define PRIO(s)    (BASE + EMU_PLIC_PRIORITY + 4 * (s))
#define PENDING(w) (BASE + EMU_PLIC_PENDING + 4 * (w))
#define ENABLE(c, w)                                                           \
    (BASE + EMU_PLIC_ENABLE + EMU_PLIC_ENABLE_STRIDE * (c) + 4 * (w))
#define THRESHOLD(c) (BASE + EMU_PLIC_CONTEXT + EMU_PLIC_CONTEXT_STRIDE * (c))
#define CLAIM(c)     (THRESHOLD(c) + 4)

typedef struct {
    EmuMachine *m;
    EmuPlic *p;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->m = emu_machine_new();
    emu_hart_new(f->m, 0);
    emu_hart_new(f->m, 1);
    f->p = emu_plic_new(f->m, BASE, 2, &err);
    g_assert_no_error(err);
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_machine_free(f->m);
    emu_plic_free(f->p);
}

static void set_line(Fixture *f, unsigned src, bool level)
{
    emu_machine_lock(f->m);
    emu_irq_set(emu_plic_irq(f->p, src), level);
    emu_machine_unlock(f->m);
}

static uint64_t mip(Fixture *f, unsigned h)
{
    return emu_hart_get_mip(f->m->harts[h]);
}

static void test_registers(Fixture *f, gconstpointer data)
{
    g_assert_null(emu_plic_irq(f->p, 0));
    g_assert_null(emu_plic_irq(f->p, EMU_PLIC_NUM_SOURCES));
    g_assert_nonnull(emu_plic_irq(f->p, EMU_PLIC_NDEV));

    wr32(f->m, PRIO(10), 5);
    g_assert_cmpuint(rd32(f->m, PRIO(10)), ==, 5);
    wr32(f->m, PRIO(10), 0xff); /* 3 priority bits */
    g_assert_cmpuint(rd32(f->m, PRIO(10)), ==, EMU_PLIC_PRIO_MAX);
    wr32(f->m, PRIO(0), 3); /* source 0 does not exist */
    g_assert_cmpuint(rd32(f->m, PRIO(0)), ==, 0);

    wr32(f->m, ENABLE(1, 0), 0xffffffff);
    g_assert_cmphex(rd32(f->m, ENABLE(1, 0)), ==, 0xfffffffe);
    wr32(f->m, ENABLE(1, 2), 0xffffffff); /* sources 64..95 */
    g_assert_cmphex(rd32(f->m, ENABLE(1, 2)), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, ENABLE(0, 0)), ==, 0);
    /* context 4 does not exist with two harts */
    wr32(f->m, ENABLE(4, 0), 0xffffffff);
    g_assert_cmphex(rd32(f->m, ENABLE(4, 0)), ==, 0);

    wr32(f->m, THRESHOLD(3), 2);
    g_assert_cmpuint(rd32(f->m, THRESHOLD(3)), ==, 2);
}

static void test_pending_enable_threshold(Fixture *f, gconstpointer data)
{
    set_line(f, 10, true);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, 1u << 10);
    g_assert_false(mip(f, 0) & (MIP_MEIP | MIP_SEIP));

    /* enabled but priority 0 never interrupts */
    wr32(f->m, ENABLE(0, 0), 1u << 10);
    g_assert_false(mip(f, 0) & MIP_MEIP);
    wr32(f->m, PRIO(10), 1);
    g_assert_true(mip(f, 0) & MIP_MEIP);
    g_assert_false(mip(f, 0) & MIP_SEIP);
    g_assert_false(mip(f, 1) & (MIP_MEIP | MIP_SEIP));

    /* threshold: priority must be strictly greater */
    wr32(f->m, THRESHOLD(0), 1);
    g_assert_false(mip(f, 0) & MIP_MEIP);
    wr32(f->m, THRESHOLD(0), 0);
    g_assert_true(mip(f, 0) & MIP_MEIP);

    /* the line drops before a claim: nothing pends any more */
    set_line(f, 10, false);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, 0);
    g_assert_false(mip(f, 0) & MIP_MEIP);
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 0);

    /* S-mode context of hart 1 = context 3 -> SEIP */
    wr32(f->m, PRIO(40), 2);
    wr32(f->m, ENABLE(3, 1), 1u << (40 - 32));
    set_line(f, 40, true);
    g_assert_cmphex(rd32(f->m, PENDING(1)), ==, 1u << 8);
    g_assert_true(mip(f, 1) & MIP_SEIP);
    g_assert_false(mip(f, 1) & MIP_MEIP);
    g_assert_false(mip(f, 0) & (MIP_MEIP | MIP_SEIP));
    wr32(f->m, ENABLE(3, 1), 0);
    g_assert_false(mip(f, 1) & MIP_SEIP);
}

static void test_claim_complete(Fixture *f, gconstpointer data)
{
    wr32(f->m, ENABLE(0, 0), (1u << 5) | (1u << 10));
    wr32(f->m, PRIO(5), 2);
    wr32(f->m, PRIO(10), 2);
    set_line(f, 10, true);
    set_line(f, 5, true);

    /* equal priorities: the lowest id wins */
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 5);
    /* 5 is in service: no longer pending, 10 still drives MEIP */
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, 1u << 10);
    g_assert_true(mip(f, 0) & MIP_MEIP);
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 10);
    g_assert_false(mip(f, 0) & MIP_MEIP);
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 0);

    /* completing a still-high level source makes it pend again */
    wr32(f->m, CLAIM(0), 5);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, 1u << 5);
    g_assert_true(mip(f, 0) & MIP_MEIP);
    /* a source that dropped its line stays quiet after completion */
    set_line(f, 10, false);
    wr32(f->m, CLAIM(0), 10);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, 1u << 5);

    /* higher priority wins over lower id */
    wr32(f->m, PRIO(10), 3);
    set_line(f, 10, true);
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 10);
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 5);

    /* completion for a source not enabled in this context is ignored */
    wr32(f->m, CLAIM(1), 10);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, 0);
    wr32(f->m, CLAIM(0), 10);
    wr32(f->m, CLAIM(0), 5);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, (1u << 5) | (1u << 10));

    /* reset clears enables and claims, keeps the levels */
    emu_machine_lock(f->m);
    emu_plic_reset(f->p);
    emu_machine_unlock(f->m);
    g_assert_false(mip(f, 0) & MIP_MEIP);
    g_assert_cmphex(rd32(f->m, ENABLE(0, 0)), ==, 0);
    g_assert_cmphex(rd32(f->m, PENDING(0)), ==, (1u << 5) | (1u << 10));
}

static void test_two_contexts(Fixture *f, gconstpointer data)
{
    /* the same source enabled for hart 0 M and hart 1 S: one claim */
    wr32(f->m, PRIO(7), 1);
    wr32(f->m, ENABLE(0, 0), 1u << 7);
    wr32(f->m, ENABLE(3, 0), 1u << 7);
    set_line(f, 7, true);
    g_assert_true(mip(f, 0) & MIP_MEIP);
    g_assert_true(mip(f, 1) & MIP_SEIP);
    g_assert_cmpuint(rd32(f->m, CLAIM(3)), ==, 7);
    g_assert_false(mip(f, 0) & MIP_MEIP);
    g_assert_false(mip(f, 1) & MIP_SEIP);
    g_assert_cmpuint(rd32(f->m, CLAIM(0)), ==, 0);
    wr32(f->m, CLAIM(3), 7);
    g_assert_true(mip(f, 0) & MIP_MEIP);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hw/plic/registers", Fixture, NULL, setup, test_registers,
               teardown);
    g_test_add("/hw/plic/pending-enable-threshold", Fixture, NULL, setup,
               test_pending_enable_threshold, teardown);
    g_test_add("/hw/plic/claim-complete", Fixture, NULL, setup,
               test_claim_complete, teardown);
    g_test_add("/hw/plic/two-contexts", Fixture, NULL, setup, test_two_contexts,
               teardown);
    return g_test_run();
}
