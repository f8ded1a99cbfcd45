/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-pcie.c: the PCIe host bridge — ECAM, the root complex, empty slots,
 * BAR sizing and mapping through the windows, command gating, INTx
 * swizzle, capabilities, reset. */
#include "config.h"

#include "pcie-test.h"

#define CFG(slot, fn, reg) (ECAM + ((slot) << 15) + ((fn) << 12) + (reg))

typedef struct {
    EmuMachine *m;
    EmuPciHost *h;
    IrqProbe intx[4];
} Fixture;

typedef struct {
    uint64_t last_off, last_val;
    unsigned writes, resets;
    uint32_t tag;
} TestDev;

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    TestDev *t = opaque;

    return t->tag | off;
}

static void dev_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    TestDev *t = opaque;

    t->last_off = off;
    t->last_val = v;
    t->writes++;
}

static void dev_reset(EmuPciDevice *d)
{
    ((TestDev *)emu_pci_opaque(d))->resets++;
}

static const EmuMmioOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
    .min_access = 4,
    .max_access = 4,
};

static void setup(Fixture *f, gconstpointer data)
{
    f->m = emu_machine_new();
    f->h = pcie_test_host_new(f->m, f->intx);
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_machine_free(f->m);
    emu_pcie_host_free(f->h);
}

static void test_root_and_empty(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(rd32(f->m, CFG(0, 0, 0)), ==, 0x00081b36);
    g_assert_cmphex(rd32(f->m, CFG(0, 0, 8)) >> 8, ==, 0x060000);
    g_assert_cmphex(rd8(f->m, CFG(0, 0, 0x0e)), ==, 0);
    g_assert_cmphex(hw_rd(f->m, CFG(0, 0, 2), 2), ==, 0x0008);
    /* conventional function: extended space reads all-ones */
    g_assert_cmphex(rd32(f->m, CFG(0, 0, 0x100)), ==, 0xffffffff);
    /* empty slot, other function, other bus */
    g_assert_cmphex(rd32(f->m, CFG(5, 0, 0)), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, CFG(0, 1, 0)), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, ECAM + (1 << 20)), ==, 0xffffffff);
    g_assert_cmphex(hw_rd(f->m, CFG(5, 0, 0), 2), ==, 0xffff);
    /* read-only IDs */
    wr32(f->m, CFG(0, 0, 0), 0);
    g_assert_cmphex(rd32(f->m, CFG(0, 0, 0)), ==, 0x00081b36);
    /* nothing decodes in the windows yet */
    g_assert_cmphex(rd32(f->m, MMIO), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, PIO), ==, 0xffffffff);
}

static EmuPciDevice *plug(Fixture *f, TestDev *t, int devfn)
{
    g_autoptr(GError) err = NULL;
    EmuPciDeviceInfo info = {
        .name = "testdev",
        .vendor_id = 0x1234,
        .device_id = 0x5678,
        .subsystem_vendor_id = 0x1af4,
        .subsystem_id = 0x1100,
        .revision = 3,
        .class_code = 0x020000,
        .interrupt_pin = 1,
        .reset = dev_reset,
    };
    EmuPciDevice *d = emu_pci_device_new(f->h, devfn, &info, t, &err);

    g_assert_no_error(err);
    g_assert_true(
        emu_pci_set_bar(d, 0, 0x1000, EMU_PCI_BAR_MEM32, &dev_ops, t, &err));
    g_assert_true(
        emu_pci_set_bar(d, 1, 0x20, EMU_PCI_BAR_IO, &dev_ops, t, &err));
    g_assert_true(emu_pci_set_bar(d, 2, 0x100000,
                                  EMU_PCI_BAR_MEM64 | EMU_PCI_BAR_PREFETCH,
                                  &dev_ops, t, &err));
    g_assert_no_error(err);
    return d;
}

static void test_bars(Fixture *f, gconstpointer data)
{
    TestDev t = {.tag = 0xd0000000};
    EmuPciDevice *d = plug(f, &t, -1);
    uint64_t a;

    g_assert_cmpuint(emu_pci_devfn(d), ==, EMU_PCI_DEVFN(1, 0));
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0)), ==, 0x56781234);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x2c)), ==, 0x11001af4);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 8)), ==, 0x02000003);
    g_assert_cmphex(rd8(f->m, CFG(1, 0, 0x3d)), ==, 1);

    /* kinds in the low bits */
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x10)), ==, 0x0);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x14)), ==, 0x1);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x18)), ==, 0xc);
    /* sizing */
    for (unsigned bar = 0; bar < 6; bar++) {
        wr32(f->m, CFG(1, 0, 0x10 + 4 * bar), 0xffffffff);
    }
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x10)), ==, 0xfffff000);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x14)), ==, 0xffffffe1);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x18)), ==, 0xfff0000c);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x1c)), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x20)), ==, 0);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x24)), ==, 0);

    /* placement */
    wr32(f->m, CFG(1, 0, 0x10), MMIO + 0x3000);
    wr32(f->m, CFG(1, 0, 0x14), 0x1000);
    wr32(f->m, CFG(1, 0, 0x18), 0);
    wr32(f->m, CFG(1, 0, 0x1c), HIGH >> 32);
    g_assert_cmphex(emu_pci_bar_address(d, 0), ==, EMU_PCI_BAR_UNMAPPED);
    g_assert_cmphex(rd32(f->m, MMIO + 0x3010), ==, 0xffffffff);

    /* memory decoding on */
    wr32(f->m, CFG(1, 0, 4), EMU_PCI_COMMAND_MEMORY);
    g_assert_cmphex(emu_pci_bar_address(d, 0), ==, MMIO + 0x3000);
    g_assert_cmphex(emu_pci_bar_address(d, 2), ==, HIGH);
    g_assert_cmphex(emu_pci_bar_address(d, 1), ==, EMU_PCI_BAR_UNMAPPED);
    g_assert_cmphex(rd32(f->m, MMIO + 0x3010), ==, 0xd0000010);
    g_assert_cmphex(rd32(f->m, MMIO + 0x2ffc), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, MMIO + 0x4000), ==, 0xffffffff);
    wr32(f->m, MMIO + 0x3ffc, 0xcafe);
    g_assert_cmphex(t.last_off, ==, 0xffc);
    g_assert_cmphex(t.last_val, ==, 0xcafe);
    /* the core splits a 64-bit access for a 32-bit BAR */
    g_assert_cmphex(hw_rd(f->m, HIGH + 0x80, 8), ==, 0xd0000084d0000080ULL);
    g_assert_cmphex(rd32(f->m, PIO + 0x1004), ==, 0xffffffff);

    /* I/O decoding on */
    wr32(f->m, CFG(1, 0, 4), EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_IO);
    g_assert_cmphex(emu_pci_bar_address(d, 1), ==, 0x1000);
    g_assert_cmphex(rd32(f->m, PIO + 0x1004), ==, 0xd0000004);
    g_assert_cmphex(rd32(f->m, PIO + 0x1020), ==, 0xffffffff);

    /* moving a BAR moves the decoder */
    wr32(f->m, CFG(1, 0, 0x10), MMIO + 0x100000);
    g_assert_cmphex(rd32(f->m, MMIO + 0x3010), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, MMIO + 0x100010), ==, 0xd0000010);
    /* a BAR outside every window decodes nowhere */
    wr32(f->m, CFG(1, 0, 0x10), 0x10000000);
    g_assert_cmphex(emu_pci_bar_address(d, 0), ==, EMU_PCI_BAR_UNMAPPED);

    /* command register: writable bits only; bus master */
    g_assert_false(emu_pci_bus_master(d));
    wr32(f->m, CFG(1, 0, 4), 0xffff);
    g_assert_cmphex(hw_rd(f->m, CFG(1, 0, 4), 2), ==, 0x0547);
    emu_machine_lock(f->m);
    g_assert_true(emu_pci_bus_master(d));
    emu_machine_unlock(f->m);

    /* reset: command, BARs and interrupt line cleared, hook called */
    wr8(f->m, CFG(1, 0, 0x3c), 33);
    g_assert_cmphex(rd8(f->m, CFG(1, 0, 0x3c)), ==, 33);
    emu_machine_lock(f->m);
    emu_pcie_host_reset(f->h);
    emu_machine_unlock(f->m);
    g_assert_cmpuint(t.resets, ==, 1);
    g_assert_cmphex(hw_rd(f->m, CFG(1, 0, 4), 2), ==, 0);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x10)), ==, 0);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x18)), ==, 0xc);
    g_assert_cmphex(rd32(f->m, CFG(1, 0, 0x1c)), ==, 0);
    g_assert_cmphex(rd8(f->m, CFG(1, 0, 0x3c)), ==, 0);
    a = emu_pci_bar_address(d, 2);
    g_assert_cmphex(a, ==, EMU_PCI_BAR_UNMAPPED);
}

static void set_irq(Fixture *f, EmuPciDevice *d, bool level)
{
    emu_machine_lock(f->m);
    emu_pci_set_irq(d, level);
    emu_machine_unlock(f->m);
}

static void test_intx(Fixture *f, gconstpointer data)
{
    TestDev t1 = {0}, t2 = {0};
    EmuPciDevice *d1 = plug(f, &t1, EMU_PCI_DEVFN(1, 0));
    EmuPciDevice *d6 = plug(f, &t2, EMU_PCI_DEVFN(6, 0));

    /* slot 1 INTA -> line (1 + 0) % 4 = 1; slot 6 INTA -> line 2 */
    set_irq(f, d1, true);
    g_assert_true(f->intx[1].level);
    g_assert_false(f->intx[0].level || f->intx[2].level || f->intx[3].level);
    g_assert_true(rd32(f->m, CFG(1, 0, 4)) & (EMU_PCI_STATUS_INTERRUPT << 16));
    set_irq(f, d6, true);
    g_assert_true(f->intx[2].level);

    /* INTx disable masks the pin, the status bit still shows it */
    wr32(f->m, CFG(1, 0, 4), EMU_PCI_COMMAND_INTX_DISABLE);
    g_assert_false(f->intx[1].level);
    g_assert_true(rd32(f->m, CFG(1, 0, 4)) & (EMU_PCI_STATUS_INTERRUPT << 16));
    wr32(f->m, CFG(1, 0, 4), 0);
    g_assert_true(f->intx[1].level);
    set_irq(f, d1, false);
    g_assert_false(f->intx[1].level);
    g_assert_false(rd32(f->m, CFG(1, 0, 4)) & (EMU_PCI_STATUS_INTERRUPT << 16));
    set_irq(f, d6, false);
    g_assert_false(f->intx[2].level);
}

static void test_plugging(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    TestDev t = {0};
    EmuPciDeviceInfo info = {.name = "x",
                             .vendor_id = 0x8086,
                             .device_id = 0x100e,
                             .class_code = 0x020000,
                             .interrupt_pin = 1};
    EmuPciDevice *a, *b;
    unsigned cap, cap2;

    a = emu_pci_device_new(f->h, -1, &info, &t, &err);
    b = emu_pci_device_new(f->h, -1, &info, &t, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(emu_pci_devfn(a), ==, EMU_PCI_DEVFN(1, 0));
    g_assert_cmpuint(emu_pci_devfn(b), ==, EMU_PCI_DEVFN(2, 0));
    g_assert_null(
        emu_pci_device_new(f->h, EMU_PCI_DEVFN(2, 0), &info, &t, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_clear_error(&err);
    g_assert_null(
        emu_pci_device_new(f->h, EMU_PCI_DEVFN(0, 0), &info, &t, &err));
    g_clear_error(&err);

    /* bad BARs */
    g_assert_false(
        emu_pci_set_bar(a, 0, 0x1800, EMU_PCI_BAR_MEM32, &dev_ops, &t, &err));
    g_clear_error(&err);
    g_assert_false(
        emu_pci_set_bar(a, 5, 0x1000, EMU_PCI_BAR_MEM64, &dev_ops, &t, &err));
    g_clear_error(&err);

    /* capabilities: a list from 0x34, newest first */
    g_assert_false(rd32(f->m, CFG(1, 0, 4)) & (EMU_PCI_STATUS_CAP_LIST << 16));
    cap = emu_pci_add_capability(a, 0x09, 16, &err);
    cap2 = emu_pci_add_capability(a, 0x11, 12, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(cap, ==, 0x40);
    g_assert_cmpuint(cap2, ==, 0x50);
    g_assert_true(rd32(f->m, CFG(1, 0, 4)) & (EMU_PCI_STATUS_CAP_LIST << 16));
    g_assert_cmphex(rd8(f->m, CFG(1, 0, 0x34)), ==, 0x50);
    g_assert_cmphex(hw_rd(f->m, CFG(1, 0, 0x50), 2), ==, 0x4011);
    g_assert_cmphex(hw_rd(f->m, CFG(1, 0, 0x40), 2), ==, 0x0009);
    /* a writable field the model declares */
    emu_pci_wmask(a)[cap2 + 3] = 0xc0;
    wr8(f->m, CFG(1, 0, cap2 + 3), 0xff);
    g_assert_cmphex(rd8(f->m, CFG(1, 0, cap2 + 3)), ==, 0xc0);
    g_assert_cmphex(emu_pci_config(a)[cap2 + 3], ==, 0xc0);
    g_assert_cmpuint(emu_pci_add_capability(a, 0x10, 200, &err), ==, 0);
    g_assert_error(err, EMU_ERROR, EMU_ERROR_TOO_BIG);
    g_assert_true(emu_pci_machine(a) == f->m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hw/pcie/root-and-empty", Fixture, NULL, setup,
               test_root_and_empty, teardown);
    g_test_add("/hw/pcie/bars", Fixture, NULL, setup, test_bars, teardown);
    g_test_add("/hw/pcie/intx", Fixture, NULL, setup, test_intx, teardown);
    g_test_add("/hw/pcie/plugging", Fixture, NULL, setup, test_plugging,
               teardown);
    return g_test_run();
}
