/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-pcie-port.c: the pcie-root-port — type 1 header and PCI Express
 * capability, bus numbers and windows routing configuration, memory and
 * I/O cycles to the secondary bus, the INTx swizzle behind a bridge, the
 * hot-plug slot's control/status state machine (plug, power, attention
 * button, unplug, reap) and hostile configuration writes. */
#include "config.h"

#include "pcie-test.h"

#define CFGB(bus, slot, fn, reg)                                            \
    (ECAM + ((uint64_t)(bus) << 20) + ((slot) << 15) + ((fn) << 12) + (reg))
#define CFG(slot, reg) CFGB(0, slot, 0, reg)

/* the port's PCI Express capability (first capability: 0x40) */
#define EXP        0x40
#define EXP_SLTCAP (EXP + 0x14)
#define EXP_SLTCTL (EXP + 0x18)
#define EXP_SLTSTA (EXP + 0x1a)
#define EXP_LNKSTA (EXP + 0x12)

#define SLTCTL_ABPE 0x0001
#define SLTCTL_PDCE 0x0008
#define SLTCTL_CCIE 0x0010
#define SLTCTL_HPIE 0x0020
#define PIC_ON      0x0100
#define PIC_BLINK   0x0200
#define PIC_OFF     0x0300
#define PCC_OFF     0x0400
#define STA_ABP     0x0001
#define STA_PDC     0x0008
#define STA_CC      0x0010
#define STA_PDS     0x0040

typedef struct {
    EmuMachine *m;
    EmuPciHost *h;
    IrqProbe intx[4];
    GPtrArray *deleted; /* ids the machine reported */
} Fixture;

typedef struct {
    uint32_t tag;
    unsigned unplugged;
} TestDev;

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    return ((TestDev *)opaque)->tag | off;
}

static void dev_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
}

static const EmuMmioOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
    .min_access = 4,
    .max_access = 4,
};

static void on_deleted(void *opaque, const char *id)
{
    g_ptr_array_add(opaque, g_strdup(id));
}

static void setup(Fixture *f, gconstpointer data)
{
    f->m = emu_machine_new();
    f->h = pcie_test_host_new(f->m, f->intx);
    f->deleted = g_ptr_array_new_with_free_func(g_free);
    f->m->device_deleted = on_deleted;
    f->m->device_deleted_opaque = f->deleted;
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_machine_free(f->m);
    emu_pcie_host_free(f->h);
    g_ptr_array_unref(f->deleted);
}

static EmuPciDevice *port(Fixture *f, const char *id, unsigned slot,
                          int devfn)
{
    g_autoptr(GError) err = NULL;
    EmuPcieRootPortConfig cfg = {id, 1, slot, devfn};
    EmuPciDevice *d = emu_pcie_root_port_new(f->h, &cfg, &err);

    g_assert_no_error(err);
    g_assert_nonnull(d);
    return d;
}

static void test_unplug(void *opaque)
{
    ((TestDev *)opaque)->unplugged++;
}

/* a function with a 4 KiB memory BAR 0, a 32-byte I/O BAR 1 and a 64-bit
 * prefetchable 1 MiB BAR 2, behind @bus */
static EmuPciDevice *child(Fixture *f, TestDev *t, const char *bus,
                           const char *id, GError **error)
{
    EmuPciDeviceInfo info = {
        .name = "testdev",
        .vendor_id = 0x1234,
        .device_id = 0x5678,
        .class_code = 0x020000,
        .interrupt_pin = 1,
    };
    EmuPciDevice *d;

    emu_machine_lock(f->m);
    d = emu_pci_device_new_on_bus(f->h, bus, -1, &info, t, error);
    if (d) {
        g_assert_true(emu_pci_set_bar(d, 0, 0x1000, EMU_PCI_BAR_MEM32,
                                      &dev_ops, t, NULL));
        g_assert_true(
            emu_pci_set_bar(d, 1, 0x20, EMU_PCI_BAR_IO, &dev_ops, t, NULL));
        g_assert_true(emu_pci_set_bar(d, 2, 0x100000,
                                      EMU_PCI_BAR_MEM64 |
                                          EMU_PCI_BAR_PREFETCH,
                                      &dev_ops, t, NULL));
        emu_pci_set_hotplug(d, id, test_unplug, t);
    }
    emu_machine_unlock(f->m);
    return d;
}

static uint16_t rd16(EmuMachine *m, uint64_t a)
{
    return hw_rd(m, a, 2);
}

static void wr16(EmuMachine *m, uint64_t a, uint16_t v)
{
    hw_wr(m, a, v, 2);
}

/* the I/O thread's half of an unplug */
static void run_io(Fixture *f)
{
    while (g_main_context_iteration(f->m->io_ctx, FALSE)) {
    }
}

static void test_header(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    EmuPcieRootPortConfig dup = {"rp1", 1, 7, -1};
    EmuPcieRootPortConfig dup_slot = {"rp9", 1, 3, -1};

    port(f, "rp1", 3, EMU_PCI_DEVFN(2, 0));
    g_assert_cmphex(rd32(f->m, CFG(2, 0)), ==, 0x000c1b36);
    g_assert_cmphex(rd32(f->m, CFG(2, 8)) >> 8, ==, 0x060400);
    g_assert_cmphex(rd8(f->m, CFG(2, 0x0e)), ==, 0x01);
    g_assert_cmphex(rd8(f->m, CFG(2, 0x3d)), ==, 1);
    /* capability list: PCI Express v2, root port, slot implemented */
    g_assert_true(rd16(f->m, CFG(2, 6)) & EMU_PCI_STATUS_CAP_LIST);
    g_assert_cmphex(rd8(f->m, CFG(2, 0x34)), ==, EXP);
    g_assert_cmphex(rd8(f->m, CFG(2, EXP)), ==, 0x10);
    g_assert_cmphex(rd16(f->m, CFG(2, EXP + 2)), ==, 0x0142);
    /* slot: button, power controller, indicators, hot-plug capable,
     * physical slot number 3; link: DLL link active reporting */
    g_assert_cmphex(rd32(f->m, CFG(2, EXP_SLTCAP)), ==, 0x5b | 3u << 19);
    g_assert_true(rd32(f->m, CFG(2, EXP + 0x0c)) & (1u << 20));
    /* an empty slot starts unpowered, indicators off, nothing pending */
    g_assert_cmphex(rd16(f->m, CFG(2, EXP_SLTCTL)), ==,
                    0x00c0 | PIC_OFF | PCC_OFF);
    g_assert_cmphex(rd16(f->m, CFG(2, EXP_SLTSTA)), ==, 0);
    /* windows closed, bus numbers zero */
    g_assert_cmphex(rd32(f->m, CFG(2, 0x18)), ==, 0);
    g_assert_cmphex(rd16(f->m, CFG(2, 0x20)), ==, 0xfff0);
    g_assert_cmphex(rd16(f->m, CFG(2, 0x22)), ==, 0);
    g_assert_cmphex(rd16(f->m, CFG(2, 0x24)), ==, 0xfff1);
    /* sizing the windows the way Linux probes them */
    wr16(f->m, CFG(2, 0x1c), 0xe0f0);
    g_assert_cmphex(rd16(f->m, CFG(2, 0x1c)), ==, 0xe0f0);
    wr32(f->m, CFG(2, 0x28), 0xffffffff);
    g_assert_cmphex(rd32(f->m, CFG(2, 0x28)), ==, 0xffffffff);
    /* read-only identity */
    wr32(f->m, CFG(2, 0), 0);
    wr8(f->m, CFG(2, 0x0e), 0);
    g_assert_cmphex(rd32(f->m, CFG(2, 0)), ==, 0x000c1b36);
    g_assert_cmphex(rd8(f->m, CFG(2, 0x0e)), ==, 0x01);
    /* duplicates */
    g_assert_null(emu_pcie_root_port_new(f->h, &dup, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_clear_error(&err);
    g_assert_null(emu_pcie_root_port_new(f->h, &dup_slot, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_clear_error(&err);
    /* option text */
    g_assert_true(emu_pcie_root_port_create(
        f->h, "pcie-root-port,id=rp2,chassis=2,slot=1,bus=pcie.0,addr=0x4",
        &err));
    g_assert_no_error(err);
    g_assert_cmphex(rd32(f->m, CFG(4, 0)), ==, 0x000c1b36);
    g_assert_false(emu_pcie_root_port_create(f->h, "id=rp3,bogus=1", &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    g_assert_false(emu_pcie_root_port_create(f->h, "chassis=3", &err));
    g_assert_nonnull(err);
}

static void test_routing(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    TestDev t = {.tag = 0xd0000000};
    EmuPciDevice *d;

    port(f, "rp1", 1, EMU_PCI_DEVFN(1, 0));
    g_assert_null(child(f, &t, "nope", "x", &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_NOT_FOUND);
    g_assert_cmpstr(err->message, ==, "Bus 'nope' not found");
    g_clear_error(&err);
    d = child(f, &t, "rp1", "dev0", &err);
    g_assert_no_error(err);
    g_assert_cmpuint(emu_pci_devfn(d), ==, 0);
    /* cold-plugged: present and powered, no event */
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTSTA)), ==, STA_PDS);
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTCTL)) & (PCC_OFF | PIC_OFF), ==,
                    PIC_ON);
    g_assert_true(rd16(f->m, CFG(1, EXP_LNKSTA)) & 0x2000);

    /* no bus number yet: bus 1 is nobody's */
    g_assert_cmphex(rd32(f->m, CFGB(1, 0, 0, 0)), ==, 0xffffffff);
    wr32(f->m, CFG(1, 0x18), 0x00010100); /* primary 0, secondary 1, sub 1 */
    g_assert_cmphex(rd32(f->m, CFGB(1, 0, 0, 0)), ==, 0x56781234);
    g_assert_cmphex(rd32(f->m, CFGB(1, 1, 0, 0)), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, CFGB(1, 0, 1, 0)), ==, 0xffffffff);
    g_assert_cmphex(rd32(f->m, CFGB(2, 0, 0, 0)), ==, 0xffffffff);

    /* BARs programmed and enabled on the device: nothing decodes until
     * the bridge forwards (windows + its own command register) */
    wr32(f->m, CFGB(1, 0, 0, 0x10), MMIO + 0x100000);
    wr32(f->m, CFGB(1, 0, 0, 0x14), 0x2000);
    wr32(f->m, CFGB(1, 0, 0, 0x18), 0);
    wr32(f->m, CFGB(1, 0, 0, 0x1c), HIGH >> 32);
    wr32(f->m, CFGB(1, 0, 0, 4),
         EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_IO | EMU_PCI_COMMAND_MASTER);
    g_assert_cmphex(rd32(f->m, MMIO + 0x100010), ==, 0xffffffff);
    emu_machine_lock(f->m);
    g_assert_false(emu_pci_bus_master(d));
    emu_machine_unlock(f->m);
    /* memory window 0x40100000-0x401fffff */
    wr16(f->m, CFG(1, 0x20), 0x4010);
    wr16(f->m, CFG(1, 0x22), 0x4010);
    g_assert_cmphex(rd32(f->m, MMIO + 0x100010), ==, 0xffffffff);
    wr16(f->m, CFG(1, 4), EMU_PCI_COMMAND_MEMORY);
    g_assert_cmphex(rd32(f->m, MMIO + 0x100010), ==, 0xd0000010);
    g_assert_cmphex(emu_pci_bar_address(d, 2), ==, EMU_PCI_BAR_UNMAPPED);
    /* prefetchable window 0x4_0000_0000-0x4_000f_ffff */
    wr16(f->m, CFG(1, 0x24), 0x0000);
    wr16(f->m, CFG(1, 0x26), 0x0000);
    wr32(f->m, CFG(1, 0x28), HIGH >> 32);
    wr32(f->m, CFG(1, 0x2c), HIGH >> 32);
    g_assert_cmphex(emu_pci_bar_address(d, 2), ==, HIGH);
    g_assert_cmphex(rd32(f->m, HIGH + 0x40), ==, 0xd0000040);
    /* I/O: needs the I/O window and the port's I/O enable */
    g_assert_cmphex(rd32(f->m, PIO + 0x2004), ==, 0xffffffff);
    wr8(f->m, CFG(1, 0x1c), 0x20);
    wr8(f->m, CFG(1, 0x1d), 0x20);
    wr16(f->m, CFG(1, 4), EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_IO |
                              EMU_PCI_COMMAND_MASTER);
    g_assert_cmphex(rd32(f->m, PIO + 0x2004), ==, 0xd0000004);
    emu_machine_lock(f->m);
    g_assert_true(emu_pci_bus_master(d));
    emu_machine_unlock(f->m);
    /* a BAR half outside the window does not decode */
    wr32(f->m, CFGB(1, 0, 0, 0x10), MMIO + 0x1ff000);
    wr16(f->m, CFG(1, 0x22), 0x400f);
    g_assert_cmphex(emu_pci_bar_address(d, 0), ==, EMU_PCI_BAR_UNMAPPED);
    /* closing the window stops decoding */
    wr16(f->m, CFG(1, 0x22), 0x4010);
    g_assert_cmphex(emu_pci_bar_address(d, 0), ==, MMIO + 0x1ff000);
    wr16(f->m, CFG(1, 0x20), 0x4020);
    g_assert_cmphex(emu_pci_bar_address(d, 0), ==, EMU_PCI_BAR_UNMAPPED);
    /* secondary bus reset resets the function */
    wr16(f->m, CFG(1, 0x3e), 0x40);
    wr16(f->m, CFG(1, 0x3e), 0);
    g_assert_cmphex(rd16(f->m, CFGB(1, 0, 0, 4)), ==, 0);
}

static void test_intx(Fixture *f, gconstpointer data)
{
    TestDev t1 = {0}, t2 = {0};
    EmuPciDevice *d1, *d2;

    port(f, "rp1", 1, EMU_PCI_DEVFN(1, 0));
    port(f, "rp2", 2, EMU_PCI_DEVFN(6, 0));
    d1 = child(f, &t1, "rp1", "a", NULL);
    d2 = child(f, &t2, "rp2", "b", NULL);
    /* device 0 INTA behind port slot 1 -> swizzled INTA -> line 1 */
    emu_machine_lock(f->m);
    emu_pci_set_irq(d1, true);
    emu_machine_unlock(f->m);
    g_assert_true(f->intx[1].level);
    g_assert_false(f->intx[0].level || f->intx[2].level || f->intx[3].level);
    /* behind the port at slot 6: line (6 + 0) % 4 = 2 */
    emu_machine_lock(f->m);
    emu_pci_set_irq(d2, true);
    emu_pci_set_irq(d1, false);
    emu_machine_unlock(f->m);
    g_assert_true(f->intx[2].level);
    g_assert_false(f->intx[1].level);
    /* the port's INTx disable is about its own interrupt only */
    wr16(f->m, CFG(6, 4), EMU_PCI_COMMAND_INTX_DISABLE);
    g_assert_true(f->intx[2].level);
}

static void test_hotplug(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    TestDev t = {.tag = 0xd0000000};
    GString *info = g_string_new(NULL);
    EmuPciDevice *d;
    uint16_t ints = SLTCTL_ABPE | SLTCTL_PDCE | SLTCTL_CCIE | SLTCTL_HPIE;

    port(f, "rp1", 1, EMU_PCI_DEVFN(1, 0)); /* INTA -> line 1 */
    wr32(f->m, CFG(1, 0x18), 0x00010100);
    emu_pcie_host_set_live(f->h);

    /* the guest enables hot-plug interrupts: a command, completed */
    wr16(f->m, CFG(1, EXP_SLTCTL), ints | PIC_OFF | PCC_OFF | 0xc0);
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTSTA)), ==, STA_CC);
    g_assert_true(f->intx[1].level);
    wr16(f->m, CFG(1, EXP_SLTSTA), STA_CC); /* RW1C */
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTSTA)), ==, 0);
    g_assert_false(f->intx[1].level);

    /* hot-plug: presence, presence detect changed, attention button */
    d = child(f, &t, "rp1", "nic1", &err);
    g_assert_no_error(err);
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTSTA)), ==,
                    STA_PDS | STA_PDC | STA_ABP);
    g_assert_true(f->intx[1].level);
    /* the slot has no power yet: the function answers nothing */
    g_assert_cmphex(rd32(f->m, CFGB(1, 0, 0, 0)), ==, 0xffffffff);
    /* a second function into an occupied function number is refused */
    g_assert_null(child(f, &t, "rp1", "nic2", &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_clear_error(&err);
    wr16(f->m, CFG(1, EXP_SLTSTA), STA_PDC | STA_ABP);
    g_assert_false(f->intx[1].level);
    /* power on, indicator on: the function appears */
    wr16(f->m, CFG(1, EXP_SLTCTL), ints | PIC_ON | 0xc0);
    g_assert_cmphex(rd32(f->m, CFGB(1, 0, 0, 0)), ==, 0x56781234);
    wr16(f->m, CFG(1, EXP_SLTSTA), STA_CC);
    emu_machine_lock(f->m);
    g_assert_true(emu_pcie_host_find(f->h, "nic1") == d);
    emu_pcie_host_format_info(f->h, info);
    emu_machine_unlock(f->m);
    g_assert_nonnull(strstr(info->str, "id \"nic1\""));
    g_assert_nonnull(strstr(info->str, "occupied, power on"));

    /* device_del: the attention button, once; nothing goes yet */
    emu_machine_lock(f->m);
    g_assert_true(emu_pci_unplug_request(d, &err));
    emu_machine_unlock(f->m);
    g_assert_no_error(err);
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTSTA)), ==, STA_PDS | STA_ABP);
    g_assert_true(f->intx[1].level);
    run_io(f);
    g_assert_cmpuint(t.unplugged, ==, 0);
    /* the guest blinks the power indicator: a second request is busy */
    wr16(f->m, CFG(1, EXP_SLTSTA), STA_ABP);
    wr16(f->m, CFG(1, EXP_SLTCTL), ints | PIC_BLINK | 0xc0);
    emu_machine_lock(f->m);
    g_assert_false(emu_pci_unplug_request(d, &err));
    emu_machine_unlock(f->m);
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_clear_error(&err);
    /* power off first, indicator still blinking: not yet */
    wr16(f->m, CFG(1, EXP_SLTCTL), ints | PIC_BLINK | PCC_OFF | 0xc0);
    g_assert_true(rd16(f->m, CFG(1, EXP_SLTSTA)) & STA_PDS);
    /* power and indicator off: the guest let go */
    wr16(f->m, CFG(1, EXP_SLTCTL), ints | PIC_OFF | PCC_OFF | 0xc0);
    g_assert_cmphex(rd16(f->m, CFG(1, EXP_SLTSTA)) & (STA_PDS | STA_PDC), ==,
                    STA_PDC);
    g_assert_false(rd16(f->m, CFG(1, EXP_LNKSTA)) & 0x2000);
    emu_machine_lock(f->m);
    g_assert_null(emu_pcie_host_find(f->h, "nic1"));
    emu_machine_unlock(f->m);
    g_assert_cmpuint(t.unplugged, ==, 0); /* freed on the I/O thread */
    run_io(f);
    g_assert_cmpuint(t.unplugged, ==, 1);
    g_assert_cmpuint(f->deleted->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(f->deleted, 0), ==, "nic1");

    /* plugged while the guest ignores it: device_del of a slot never
     * powered completes at once */
    d = child(f, &t, "rp1", "nic3", &err);
    g_assert_no_error(err);
    emu_machine_lock(f->m);
    g_assert_true(emu_pci_unplug_request(d, &err));
    emu_machine_unlock(f->m);
    run_io(f);
    g_assert_cmpuint(t.unplugged, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(f->deleted, 1), ==, "nic3");
    g_assert_false(rd16(f->m, CFG(1, EXP_SLTSTA)) & STA_PDS);
    g_string_free(info, TRUE);
}

static void test_hostile(Fixture *f, gconstpointer data)
{
    TestDev t = {.tag = 0xd0000000};
    GRand *r = g_rand_new_with_seed(7);

    port(f, "rp1", 1, EMU_PCI_DEVFN(1, 0));
    port(f, "rp2", 2, EMU_PCI_DEVFN(2, 0));
    child(f, &t, "rp1", "a", NULL);
    emu_pcie_host_set_live(f->h);
    /* both ports claim bus 0 and then the same bus: bus 0 stays bus 0,
     * the first port wins the other */
    wr32(f->m, CFG(1, 0x18), 0x00000000);
    wr32(f->m, CFG(2, 0x18), 0x00ff0000);
    g_assert_cmphex(rd32(f->m, CFG(1, 0)), ==, 0x000c1b36);
    wr32(f->m, CFG(1, 0x18), 0x00050500);
    wr32(f->m, CFG(2, 0x18), 0x00050500);
    g_assert_cmphex(rd32(f->m, CFGB(5, 0, 0, 0)), ==, 0x56781234);
    /* subordinate below secondary: not forwarded */
    wr32(f->m, CFG(1, 0x18), 0x00040500);
    g_assert_cmphex(rd32(f->m, CFGB(5, 0, 0, 0)), ==, 0xffffffff);
    /* garbage everywhere in both ports' spaces, every width */
    for (unsigned i = 0; i < 20000; i++) {
        unsigned slot = 1 + g_rand_int_range(r, 0, 2);
        unsigned size = 1u << g_rand_int_range(r, 0, 3);
        uint32_t off = g_rand_int_range(r, 0, 0x1000) & ~(size - 1);

        hw_wr(f->m, CFG(slot, off), g_rand_int(r), size);
        (void)hw_rd(f->m, CFG(slot, off), size);
        (void)hw_rd(f->m, CFGB(g_rand_int_range(r, 0, 256), 0, 0, 0), 4);
        (void)hw_rd(f->m, MMIO + g_rand_int_range(r, 0, 0x400000), 4);
    }
    run_io(f);
    g_assert_cmphex(rd32(f->m, CFG(1, 0)), ==, 0x000c1b36);
    g_assert_cmphex(rd32(f->m, CFG(2, 0)), ==, 0x000c1b36);
    g_assert_cmphex(rd8(f->m, CFG(1, 0x0e)), ==, 0x01);
    g_assert_cmphex(rd32(f->m, CFG(0, 0)), ==, 0x00081b36);
    /* reset brings sanity back: windows closed, slot per its occupant */
    emu_machine_lock(f->m);
    emu_pcie_host_reset(f->h);
    emu_machine_unlock(f->m);
    g_assert_cmphex(rd16(f->m, CFG(2, EXP_SLTCTL)), ==,
                    0x00c0 | PIC_OFF | PCC_OFF);
    g_assert_cmphex(rd16(f->m, CFG(2, 0x20)), ==, 0xfff0);
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hw/pcie-port/header", Fixture, NULL, setup, test_header,
               teardown);
    g_test_add("/hw/pcie-port/routing", Fixture, NULL, setup, test_routing,
               teardown);
    g_test_add("/hw/pcie-port/intx", Fixture, NULL, setup, test_intx,
               teardown);
    g_test_add("/hw/pcie-port/hotplug", Fixture, NULL, setup, test_hotplug,
               teardown);
    g_test_add("/hw/pcie-port/hostile", Fixture, NULL, setup, test_hostile,
               teardown);
    return g_test_run();
}
