/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-clint.c: CLINT msip, mtimecmp and mtime through the MMIO path. */
#include "config.h"

#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/clint.h"
#include "hw-test.h"

#define BASE 0x2000000ULL

typedef struct {
    EmuMachine *m;
    EmuClint *c;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->m = emu_machine_new();
    emu_hart_new(f->m, 0);
    emu_hart_new(f->m, 1);
    f->c = emu_clint_new(f->m, BASE, 2, &err);
    g_assert_no_error(err);
    g_assert_nonnull(f->c);
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_machine_free(f->m);
    emu_clint_free(f->c);
}

static void test_msip(Fixture *f, gconstpointer data)
{
    EmuHart *h0 = f->m->harts[0], *h1 = f->m->harts[1];

    g_assert_cmpuint(rd32(f->m, BASE + 4), ==, 0);
    wr32(f->m, BASE + 4, 1);
    g_assert_cmpuint(rd32(f->m, BASE + 4), ==, 1);
    g_assert_true(emu_hart_get_mip(h1) & MIP_MSIP);
    g_assert_false(emu_hart_get_mip(h0) & MIP_MSIP);
    /* only bit 0 is writable */
    wr32(f->m, BASE + 0, 0xfffffffe);
    g_assert_cmpuint(rd32(f->m, BASE + 0), ==, 0);
    g_assert_false(emu_hart_get_mip(h0) & MIP_MSIP);
    wr32(f->m, BASE + 4, 0);
    g_assert_false(emu_hart_get_mip(h1) & MIP_MSIP);
    /* a 64-bit store covers two harts */
    hw_wr(f->m, BASE, 0x100000001ULL, 8);
    g_assert_true(emu_hart_get_mip(h0) & MIP_MSIP);
    g_assert_true(emu_hart_get_mip(h1) & MIP_MSIP);
    g_assert_cmphex(hw_rd(f->m, BASE, 8), ==, 0x100000001ULL);
    /* missing hart 2: reads zero, writes ignored */
    wr32(f->m, BASE + 8, 1);
    g_assert_cmpuint(rd32(f->m, BASE + 8), ==, 0);
    emu_machine_lock(f->m);
    emu_clint_reset(f->c);
    emu_machine_unlock(f->m);
    g_assert_false(emu_hart_get_mip(h0) & MIP_MSIP);
    g_assert_false(emu_hart_get_mip(h1) & MIP_MSIP);
}

static void test_mtimecmp(Fixture *f, gconstpointer data)
{
    EmuHart *h1 = f->m->harts[1];
    uint64_t cmp1 = BASE + EMU_CLINT_MTIMECMP + 8;

    hw_wr(f->m, cmp1, 0x123456789abcdef0ULL, 8);
    g_assert_cmphex(hw_rd(f->m, cmp1, 8), ==, 0x123456789abcdef0ULL);
    g_assert_cmphex(emu_hart_get_mtimecmp(h1), ==, 0x123456789abcdef0ULL);
    g_assert_cmphex(rd32(f->m, cmp1), ==, 0x9abcdef0);
    g_assert_cmphex(rd32(f->m, cmp1 + 4), ==, 0x12345678);
    /* 32-bit halves, the order RV32 software uses */
    wr32(f->m, cmp1 + 4, 0xffffffff);
    wr32(f->m, cmp1, 0x11112222);
    g_assert_cmphex(emu_hart_get_mtimecmp(h1), ==, 0xffffffff11112222ULL);
    g_assert_false(emu_hart_get_mip(h1) & MIP_MTIP);
    /* a compare value in the past raises MTIP (the hart does) */
    hw_wr(f->m, cmp1, 0, 8);
    g_assert_true(emu_hart_get_mip(h1) & MIP_MTIP);
    hw_wr(f->m, cmp1, ~0ULL, 8);
    g_assert_false(emu_hart_get_mip(h1) & MIP_MTIP);
    /* hart 0 is untouched */
    g_assert_cmphex(emu_hart_get_mtimecmp(f->m->harts[0]), ==, ~0ULL);
}

static void test_mtime(Fixture *f, gconstpointer data)
{
    uint64_t mtime = BASE + EMU_CLINT_MTIME;
    uint64_t t0 = hw_rd(f->m, mtime, 8), t1;

    g_usleep(2000);
    t1 = hw_rd(f->m, mtime, 8);
    /* 10 MHz: 2 ms is at least 20000 ticks */
    g_assert_cmpuint(t1 - t0, >=, 20000);
    g_assert_cmpuint(t1, <=, emu_machine_mtime(f->m));
    g_assert_cmpuint(rd32(f->m, mtime + 4), ==, emu_machine_mtime(f->m) >> 32);

    /* a write moves the machine's clock for everyone */
    hw_wr(f->m, mtime, 1ULL << 40, 8);
    t0 = hw_rd(f->m, mtime, 8);
    g_assert_cmpuint(t0, >=, 1ULL << 40);
    g_assert_cmpuint(t0, <, (1ULL << 40) + 10000000);
    g_assert_cmpuint(emu_machine_mtime(f->m), >=, 1ULL << 40);
    wr32(f->m, mtime + 4, 0);
    g_assert_cmpuint(hw_rd(f->m, mtime, 8), <, 1ULL << 32);
}

static void test_overlap(void)
{
    g_autoptr(GError) err = NULL;
    EmuMachine *m = emu_machine_new();
    EmuClint *c = emu_clint_new(m, BASE, 1, &err);

    g_assert_nonnull(c);
    g_assert_null(emu_clint_new(m, BASE + 0x1000, 1, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    emu_machine_free(m);
    emu_clint_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hw/clint/msip", Fixture, NULL, setup, test_msip, teardown);
    g_test_add("/hw/clint/mtimecmp", Fixture, NULL, setup, test_mtimecmp,
               teardown);
    g_test_add("/hw/clint/mtime", Fixture, NULL, setup, test_mtime, teardown);
    g_test_add_func("/hw/clint/overlap", test_overlap);
    return g_test_run();
}
