/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-virtio-pci.c: the virtio over PCI modern transport through the
 * ECAM, as Linux's virtio_pci_modern probes it — identity, the vendor
 * capability list, BAR sizing and placement, the common configuration
 * structure, notifications, ISR and INTx, bus mastering, the PCI_CFG
 * access window, reset. virtio 1.2 §4.1. */
#include "config.h"

#include "virtio-test.h"

#define CFG      pci_cfg_base(NIC_SLOT)
#define INTX_SRC (EMU_VIRT_PCIE_IRQ + (NIC_SLOT + 1 - 1) % 4)

static void setup(Fixture *f, gconstpointer data)
{
    fixture_up(f, true, NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
    fixture_down(f);
}

static void test_identity(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;

    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_VENDOR_ID, 2), ==, 0x1af4);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_DEVICE_ID, 2), ==, 0x1041);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_REVISION_ID, 1), ==, 1);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_CLASS_PROG, 4) >> 8, ==,
                    0x0200); /* class: network, Ethernet */
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_CLASS_PROG, 1), ==, 0);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_SUBSYSTEM_VENDOR_ID, 2), ==, 0x1af4);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_SUBSYSTEM_ID, 2), ==, 0x1100);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_HEADER_TYPE, 1), ==, 0);
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_INTERRUPT_PIN, 1), ==, 1);
    g_assert_true(hw_rd(m, CFG + EMU_PCI_STATUS, 2) & EMU_PCI_STATUS_CAP_LIST);
}

/* §4.1.4: one capability of each kind, in the BAR, well formed */
static void test_capabilities(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    unsigned seen[6] = {0}, n = 0;

    for (unsigned at = hw_rd(m, CFG + EMU_PCI_CAPABILITY_LIST, 1); at;
         at = hw_rd(m, CFG + at + 1, 1)) {
        unsigned type, len;
        uint32_t off, length;

        g_assert_cmpuint(++n, <, 16);
        g_assert_cmpuint(at, >=, 0x40);
        g_assert_cmpuint(at & 3, ==, 0);
        g_assert_cmphex(hw_rd(m, CFG + at, 1), ==, 0x09);
        len = hw_rd(m, CFG + at + 2, 1);
        type = hw_rd(m, CFG + at + 3, 1);
        g_assert_cmpuint(type, >=, 1);
        g_assert_cmpuint(type, <=, 5);
        seen[type]++;
        g_assert_cmpuint(hw_rd(m, CFG + at + 4, 1), ==, 4);
        off = hw_rd(m, CFG + at + 8, 4);
        length = hw_rd(m, CFG + at + 12, 4);
        g_assert_cmpuint(off + length, <=, 0x4000);
        switch (type) {
        case 1:
            g_assert_cmpuint(len, ==, 16);
            g_assert_cmpuint(length, >=, 0x38);
            break;
        case 2:
            g_assert_cmpuint(len, ==, 20);
            g_assert_cmpuint(hw_rd(m, CFG + at + 16, 4), ==, 4);
            /* every queue's notify address lies inside */
            g_assert_cmpuint(length, >=, 2 * 4);
            break;
        case 3:
            g_assert_cmpuint(len, ==, 16);
            g_assert_cmpuint(length, >=, 1);
            break;
        case 4:
            g_assert_cmpuint(len, ==, 16);
            g_assert_cmpuint(length, >=, 12);
            break;
        case 5:
            g_assert_cmpuint(len, ==, 20);
            break;
        }
    }
    for (unsigned t = 1; t <= 5; t++) {
        g_assert_cmpuint(seen[t], ==, 1);
    }
}

/* BAR 4: 16 KiB, 64-bit prefetchable memory (§6.2.5.1 sizing) */
static void test_bar(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;

    for (unsigned b = 0; b < 6; b++) {
        hw_wr(m, CFG + 0x10 + 4 * b, 0xffffffff, 4);
    }
    for (unsigned b = 0; b < 4; b++) {
        g_assert_cmphex(hw_rd(m, CFG + 0x10 + 4 * b, 4), ==, 0);
    }
    g_assert_cmphex(hw_rd(m, CFG + 0x20, 4), ==, 0xffffc00c);
    g_assert_cmphex(hw_rd(m, CFG + 0x24, 4), ==, 0xffffffff);

    /* placed high, in the 64-bit window */
    hw_wr(m, CFG + 0x20, 0x4000, 4);
    hw_wr(m, CFG + 0x24, 0x4, 4);
    hw_wr(m, CFG + EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY, 2);
    g_assert_cmpuint(hw_rd(m, 0x400004000ULL + C_NUMQ, 2), ==, 2);
    /* memory decoding off: nothing answers */
    hw_wr(m, CFG + EMU_PCI_COMMAND, 0, 2);
    g_assert_cmphex(hw_rd(m, 0x400004000ULL + C_NUMQ, 2), ==, 0xffff);
}

static void test_common_cfg(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    uint64_t c = f->d->common;

    g_assert_cmpuint(hw_rd(m, c + C_NUMQ, 2), ==, 2);
    g_assert_cmphex(hw_rd(m, c + C_MSIX, 2), ==, 0xffff);
    hw_wr(m, c + C_MSIX, 0, 2); /* no MSI-X: stays "no vector" */
    g_assert_cmphex(hw_rd(m, c + C_MSIX, 2), ==, 0xffff);
    for (unsigned q = 0; q < 2; q++) {
        hw_wr(m, c + C_Q_SELECT, q, 2);
        g_assert_cmpuint(hw_rd(m, c + C_Q_SELECT, 2), ==, q);
        g_assert_cmpuint(hw_rd(m, c + C_Q_NOFF, 2), ==, q);
        g_assert_cmphex(hw_rd(m, c + C_Q_MSIX, 2), ==, 0xffff);
        g_assert_cmpuint(hw_rd(m, c + C_Q_SIZE, 2), ==, 256);
        g_assert_cmpuint(hw_rd(m, c + C_Q_ENABLE, 2), ==, 0);
    }
    /* a queue past num_queues has size 0 */
    hw_wr(m, c + C_Q_SELECT, 5, 2);
    g_assert_cmpuint(hw_rd(m, c + C_Q_SIZE, 2), ==, 0);

    /* the 64-bit addresses, written whole or in halves */
    hw_wr(m, c + C_Q_SELECT, 1, 2);
    hw_wr(m, c + C_Q_DESC, 0x1122334455667780ULL, 8);
    g_assert_cmphex(hw_rd(m, c + C_Q_DESC, 4), ==, 0x55667780);
    g_assert_cmphex(hw_rd(m, c + C_Q_DESC + 4, 4), ==, 0x11223344);
    g_assert_cmphex(hw_rd(m, c + C_Q_DESC, 8), ==, 0x1122334455667780ULL);
    hw_wr(m, c + C_Q_AVAIL + 4, 0xabcd, 4);
    g_assert_cmphex(hw_rd(m, c + C_Q_AVAIL, 8), ==, 0xabcd00000000ULL);
    /* a byte write merges into its field */
    hw_wr(m, c + C_Q_SIZE, 0x80, 1);
    g_assert_cmphex(hw_rd(m, c + C_Q_SIZE, 2), ==, 0x180);
    hw_wr(m, c + C_Q_SIZE, 256, 2);

    /* the device status is a byte; config_generation next to it */
    hw_wr(m, c + C_STATUS, EMU_VIRTIO_STATUS_ACKNOWLEDGE, 1);
    g_assert_cmphex(hw_rd(m, c + C_STATUS, 1), ==, 1);
    g_assert_cmphex(hw_rd(m, c + C_STATUS, 2) & 0xff, ==, 1);

    /* feature windows past 1 read 0 */
    hw_wr(m, c + C_DFSELECT, 2, 4);
    g_assert_cmphex(hw_rd(m, c + C_DF, 4), ==, 0);
    hw_wr(m, c + C_DFSELECT, 1, 4);
    g_assert_cmphex(hw_rd(m, c + C_DF, 4) & 1, ==, 1); /* VERSION_1 */
}

/* an enabled queue's layout is frozen */
static void test_enabled_queue(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    uint64_t c = f->d->common;
    Ring rx, tx;

    drv_bringup(f->d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), &rx, &tx, 128);
    hw_wr(m, c + C_Q_SELECT, 1, 2);
    g_assert_cmpuint(hw_rd(m, c + C_Q_ENABLE, 2), ==, 1);
    hw_wr(m, c + C_Q_SIZE, 64, 2);
    hw_wr(m, c + C_Q_DESC, 0x1000, 4);
    g_assert_cmpuint(hw_rd(m, c + C_Q_SIZE, 2), ==, 128);
    g_assert_cmphex(hw_rd(m, c + C_Q_DESC, 4), ==, (uint32_t)TXQ_BASE);
    hw_wr(m, c + C_Q_ENABLE, 0, 2); /* not a way to disable */
    g_assert_cmpuint(hw_rd(m, c + C_Q_ENABLE, 2), ==, 1);
}

/* ISR read clears; INTx reaches PLIC 32 + swizzle; INTx disable masks */
static void test_isr_intx(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    Ring tx;
    GBuf b = {BUF_BASE, NET_HDR + 60, false};

    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), NULL, &tx, 256);
    ring_add(&tx, &b, 1);
    drv_notify(d, 1);
    g_assert_true(plic_line(m, INTX_SRC));
    g_assert_true(drv_irq_line(d));

    hw_wr(m, CFG + EMU_PCI_COMMAND,
          EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER |
              EMU_PCI_COMMAND_INTX_DISABLE,
          2);
    g_assert_false(plic_line(m, INTX_SRC));
    g_assert_true(drv_irq_line(d)); /* the status bit still says so */
    hw_wr(m, CFG + EMU_PCI_COMMAND,
          EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER, 2);
    g_assert_true(plic_line(m, INTX_SRC));

    /* only offset 0 of the ISR region clears */
    g_assert_cmphex(hw_rd(m, d->isr + 4, 1), ==, 0);
    g_assert_true(plic_line(m, INTX_SRC));
    g_assert_cmphex(hw_rd(m, d->isr, 1), ==, EMU_VIRTIO_ISR_QUEUE);
    g_assert_false(plic_line(m, INTX_SRC));
    g_assert_false(drv_irq_line(d));
    g_assert_cmphex(hw_rd(m, d->isr, 1), ==, 0);
}

/* no bus mastering, no DMA: kicks wait until the driver enables it */
static void test_bus_master(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    Ring tx;
    GBuf b = {BUF_BASE, NET_HDR + 60, false};

    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), NULL, &tx, 256);
    hw_wr(m, CFG + EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY, 2);
    ring_add(&tx, &b, 1);
    drv_notify(d, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_false(ring_used(&tx, NULL, NULL));
    hw_wr(m, CFG + EMU_PCI_COMMAND,
          EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER, 2);
    drv_notify(d, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 1);
}

/* §4.1.4.9: BAR access through configuration space */
static void test_pci_cfg_window(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    uint64_t cap = CFG + d->cfg_cap;

    /* memory decoding off: the window still works */
    hw_wr(m, CFG + EMU_PCI_COMMAND, 0, 2);
    hw_wr(m, cap + 4, 4, 1);
    hw_wr(m, cap + 8, C_NUMQ, 4);
    hw_wr(m, cap + 12, 2, 4);
    g_assert_cmpuint(hw_rd(m, cap + 16, 4), ==, 2);

    /* a write through the window */
    hw_wr(m, cap + 8, C_Q_SELECT, 4);
    hw_wr(m, cap + 16, 1, 2);
    g_assert_cmpuint(hw_rd(m, cap + 16, 2), ==, 1);
    /* the device config: MAC */
    hw_wr(m, cap + 8, 0x2000, 4);
    hw_wr(m, cap + 12, 4, 4);
    g_assert_cmphex(hw_rd(m, cap + 16, 4), ==, 0x12005452);
    hw_wr(m, cap + 12, 1, 4);
    hw_wr(m, cap + 8, 0x2005, 4);
    g_assert_cmphex(hw_rd(m, cap + 16, 1), ==, 0x56);

    /* refused windows: other BAR, bad length, unaligned, out of range;
     * reading gives back stale data, nothing breaks */
    hw_wr(m, cap + 4, 0, 1);
    (void)hw_rd(m, cap + 16, 4);
    hw_wr(m, cap + 4, 4, 1);
    hw_wr(m, cap + 12, 3, 4);
    (void)hw_rd(m, cap + 16, 4);
    hw_wr(m, cap + 12, 4, 4);
    hw_wr(m, cap + 8, 2, 4);
    (void)hw_rd(m, cap + 16, 4);
    hw_wr(m, cap + 8, 0x4000, 4);
    hw_wr(m, cap + 16, 0xffffffff, 4);
    (void)hw_rd(m, cap + 16, 4);
    hw_wr(m, cap + 8, 0xfffffffc, 4);
    (void)hw_rd(m, cap + 16, 4);

    /* the capability header itself stays read-only */
    hw_wr(m, cap, 0xffff, 2);
    g_assert_cmphex(hw_rd(m, cap, 1), ==, 0x09);
    g_assert_cmphex(hw_rd(m, cap + 3, 1), ==, 5);
}

/* a board reset: the function's header and the device both reset */
static void test_reset(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    Ring tx;
    GBuf b = {BUF_BASE, NET_HDR + 60, false};
    g_autoptr(GError) err = NULL;

    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), NULL, &tx, 256);
    ring_add(&tx, &b, 1);
    drv_notify(d, 1);
    g_assert_true(plic_line(m, INTX_SRC));
    g_assert_true(emu_virt_reset(m, &err));
    g_assert_no_error(err);
    g_assert_false(plic_line(m, INTX_SRC));
    g_assert_cmphex(hw_rd(m, CFG + EMU_PCI_COMMAND, 2), ==, 0);
    drv_probe(d, m, true);
    g_assert_cmphex(drv_status(d), ==, 0);
    g_assert_false(drv_queue_ready(d, 1));
    /* and it works again */
    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), NULL, &tx, 256);
    ring_add(&tx, &b, 1);
    drv_notify(d, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 2);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/virtio-pci/identity", Fixture, NULL, setup, test_identity,
               teardown);
    g_test_add("/virtio-pci/capabilities", Fixture, NULL, setup,
               test_capabilities, teardown);
    g_test_add("/virtio-pci/bar", Fixture, NULL, setup, test_bar, teardown);
    g_test_add("/virtio-pci/common-cfg", Fixture, NULL, setup, test_common_cfg,
               teardown);
    g_test_add("/virtio-pci/enabled-queue", Fixture, NULL, setup,
               test_enabled_queue, teardown);
    g_test_add("/virtio-pci/isr-intx", Fixture, NULL, setup, test_isr_intx,
               teardown);
    g_test_add("/virtio-pci/bus-master", Fixture, NULL, setup, test_bus_master,
               teardown);
    g_test_add("/virtio-pci/pci-cfg-window", Fixture, NULL, setup,
               test_pci_cfg_window, teardown);
    g_test_add("/virtio-pci/reset", Fixture, NULL, setup, test_reset, teardown);
    return g_test_run();
}
