/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-test.h: the virtio device tests' driver side — on nic-test.h's
 * board, register access for both transports (MMIO slot or PCI BAR found
 * through the ECAM and the capability list) and split rings built in
 * guest RAM, exactly as a guest driver would. */
#ifndef TESTS_VIRTIO_TEST_H
#define TESTS_VIRTIO_TEST_H

#include "engine/hw/virtio.h"
#include "tests/engine/nic-test.h"

#define VIRTIO_MMIO_BASE 0x10001000ULL
#define BAR_ADDR         PCI_MMIO

#define NET_HDR  12
#define F_MAC    5
#define F_MRG    15
#define F_STATUS 16

/* ---- the machine ------------------------------------------------------- */

typedef struct Drv Drv;

typedef struct Fixture {
    EmuMachine *m;
    EmuNet *net;
    Peer peer;
    bool pci;
    Drv *d;
} Fixture;

static inline void machine_setup(Fixture *f)
{
    f->m = nic_board_new(&f->net, &f->peer);
}

/* the NIC through its public constructor, connected to the peer */
static inline void nic_create(Fixture *f, EmuOpts *opts)
{
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    g_autoptr(GError) err = NULL;
    bool ok;

    if (f->pci) {
        ok = emu_virtio_net_pci_create(f->m, f->peer.nc, mac, "nic0", opts,
                                       &err);
    } else {
        ok = emu_virtio_net_mmio_create(f->m, f->peer.nc, mac, "nic0", opts,
                                        &err);
    }
    g_assert_no_error(err);
    g_assert_true(ok);
}

/* runs pending bottom halves (the I/O thread is not running in tests) */
static inline void run_bhs(Fixture *f)
{
    nic_board_run_bhs(f->m, 1000);
}

static inline void machine_teardown(Fixture *f)
{
    nic_board_free(f->m, f->net, &f->peer, 1000);
}

/* ---- the transport, from the driver's side ----------------------------- */

struct Drv {
    EmuMachine *m;
    bool pci;
    uint64_t mmio;     /* MMIO: the slot's registers */
    unsigned slot_irq; /* MMIO: PLIC source */
    uint64_t cfg;      /* PCI: the function's ECAM base */
    uint64_t common, isr, device, notify;
    uint32_t notify_mult;
    unsigned cfg_cap; /* PCI: the PCI_CFG capability */
};

/* virtio-mmio registers (§4.2.2) */
#define M_MAGIC            0x000
#define M_VERSION          0x004
#define M_DEVICE_ID        0x008
#define M_VENDOR_ID        0x00c
#define M_DEV_FEATURES     0x010
#define M_DEV_FEATURES_SEL 0x014
#define M_DRV_FEATURES     0x020
#define M_DRV_FEATURES_SEL 0x024
#define M_QUEUE_SEL        0x030
#define M_QUEUE_NUM_MAX    0x034
#define M_QUEUE_NUM        0x038
#define M_QUEUE_READY      0x044
#define M_QUEUE_NOTIFY     0x050
#define M_INT_STATUS       0x060
#define M_INT_ACK          0x064
#define M_STATUS           0x070
#define M_DESC_LO          0x080
#define M_DESC_HI          0x084
#define M_DRIVER_LO        0x090
#define M_DRIVER_HI        0x094
#define M_DEVICE_LO        0x0a0
#define M_DEVICE_HI        0x0a4
#define M_SHM_LEN_LO       0x0b0
#define M_CONFIG_GEN       0x0fc
#define M_CONFIG           0x100

/* virtio_pci_common_cfg (§4.1.4.3) */
#define C_DFSELECT 0x00
#define C_DF       0x04
#define C_GFSELECT 0x08
#define C_GF       0x0c
#define C_MSIX     0x10
#define C_NUMQ     0x12
#define C_STATUS   0x14
#define C_CFGGEN   0x15
#define C_Q_SELECT 0x16
#define C_Q_SIZE   0x18
#define C_Q_MSIX   0x1a
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF   0x1e
#define C_Q_DESC   0x20
#define C_Q_AVAIL  0x28
#define C_Q_USED   0x30

/* finds the transport of the only virtio-net on the board */
static inline void drv_probe(Drv *d, EmuMachine *m, bool pci)
{
    memset(d, 0, sizeof(*d));
    d->m = m;
    d->pci = pci;
    if (!pci) {
        /* QEMU's order: the first device takes the highest slot */
        d->mmio = VIRTIO_MMIO_BASE + 7 * 0x1000;
        d->slot_irq = 8;
        return;
    }
    d->cfg = pci_cfg_base(NIC_SLOT);
    g_assert_cmphex(hw_rd(m, d->cfg, 2), ==, 0x1af4);
    /* BAR 4 (64-bit): program it, enable memory + bus mastering */
    pci_bar_set(m, d->cfg, 4, BAR_ADDR, true);
    pci_enable(m, d->cfg, EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER);
    /* walk the capability list for the virtio structures */
    for (unsigned at = hw_rd(m, d->cfg + EMU_PCI_CAPABILITY_LIST, 1), n = 0;
         at && n < 48; at = hw_rd(m, d->cfg + at + 1, 1), n++) {
        uint64_t base;
        unsigned type;

        if (hw_rd(m, d->cfg + at, 1) != 0x09) {
            continue;
        }
        type = hw_rd(m, d->cfg + at + 3, 1);
        g_assert_cmpuint(hw_rd(m, d->cfg + at + 4, 1), ==, 4);
        base = BAR_ADDR + hw_rd(m, d->cfg + at + 8, 4);
        switch (type) {
        case 1:
            d->common = base;
            break;
        case 2:
            d->notify = base;
            d->notify_mult = hw_rd(m, d->cfg + at + 16, 4);
            break;
        case 3:
            d->isr = base;
            break;
        case 4:
            d->device = base;
            break;
        case 5:
            d->cfg_cap = at;
            break;
        }
    }
    g_assert_cmphex(d->common, !=, 0);
    g_assert_cmphex(d->notify, !=, 0);
    g_assert_cmphex(d->isr, !=, 0);
    g_assert_cmphex(d->device, !=, 0);
    g_assert_cmpuint(d->cfg_cap, !=, 0);
}

static inline uint8_t drv_status(Drv *d)
{
    return d->pci ? hw_rd(d->m, d->common + C_STATUS, 1)
                  : hw_rd(d->m, d->mmio + M_STATUS, 4);
}

static inline void drv_set_status(Drv *d, uint8_t s)
{
    if (d->pci) {
        hw_wr(d->m, d->common + C_STATUS, s, 1);
    } else {
        hw_wr(d->m, d->mmio + M_STATUS, s, 4);
    }
}

static inline uint64_t drv_features(Drv *d)
{
    uint64_t f = 0;

    for (unsigned sel = 0; sel < 2; sel++) {
        if (d->pci) {
            hw_wr(d->m, d->common + C_DFSELECT, sel, 4);
            f |= hw_rd(d->m, d->common + C_DF, 4) << (32 * sel);
        } else {
            hw_wr(d->m, d->mmio + M_DEV_FEATURES_SEL, sel, 4);
            f |= hw_rd(d->m, d->mmio + M_DEV_FEATURES, 4) << (32 * sel);
        }
    }
    return f;
}

static inline void drv_set_features(Drv *d, uint64_t f)
{
    for (unsigned sel = 0; sel < 2; sel++) {
        if (d->pci) {
            hw_wr(d->m, d->common + C_GFSELECT, sel, 4);
            hw_wr(d->m, d->common + C_GF, f >> (32 * sel), 4);
        } else {
            hw_wr(d->m, d->mmio + M_DRV_FEATURES_SEL, sel, 4);
            hw_wr(d->m, d->mmio + M_DRV_FEATURES, f >> (32 * sel), 4);
        }
    }
}

static inline uint32_t drv_config(Drv *d, unsigned off, unsigned size)
{
    return d->pci ? hw_rd(d->m, d->device + off, size)
                  : hw_rd(d->m, d->mmio + M_CONFIG + off, size);
}

static inline uint32_t drv_config_gen(Drv *d)
{
    return d->pci ? hw_rd(d->m, d->common + C_CFGGEN, 1)
                  : hw_rd(d->m, d->mmio + M_CONFIG_GEN, 4);
}

static inline unsigned drv_queue_max(Drv *d, unsigned q)
{
    if (d->pci) {
        hw_wr(d->m, d->common + C_Q_SELECT, q, 2);
        return hw_rd(d->m, d->common + C_Q_SIZE, 2);
    }
    hw_wr(d->m, d->mmio + M_QUEUE_SEL, q, 4);
    return hw_rd(d->m, d->mmio + M_QUEUE_NUM_MAX, 4);
}

static inline bool drv_queue_ready(Drv *d, unsigned q)
{
    if (d->pci) {
        hw_wr(d->m, d->common + C_Q_SELECT, q, 2);
        return hw_rd(d->m, d->common + C_Q_ENABLE, 2);
    }
    hw_wr(d->m, d->mmio + M_QUEUE_SEL, q, 4);
    return hw_rd(d->m, d->mmio + M_QUEUE_READY, 4);
}

static inline void drv_queue_setup(Drv *d, unsigned q, unsigned num,
                                   uint64_t desc, uint64_t avail, uint64_t used)
{
    EmuMachine *m = d->m;

    if (d->pci) {
        uint64_t c = d->common;

        hw_wr(m, c + C_Q_SELECT, q, 2);
        hw_wr(m, c + C_Q_SIZE, num, 2);
        hw_wr(m, c + C_Q_DESC, (uint32_t)desc, 4);
        hw_wr(m, c + C_Q_DESC + 4, desc >> 32, 4);
        hw_wr(m, c + C_Q_AVAIL, (uint32_t)avail, 4);
        hw_wr(m, c + C_Q_AVAIL + 4, avail >> 32, 4);
        hw_wr(m, c + C_Q_USED, (uint32_t)used, 4);
        hw_wr(m, c + C_Q_USED + 4, used >> 32, 4);
        hw_wr(m, c + C_Q_ENABLE, 1, 2);
    } else {
        uint64_t b = d->mmio;

        hw_wr(m, b + M_QUEUE_SEL, q, 4);
        hw_wr(m, b + M_QUEUE_NUM, num, 4);
        hw_wr(m, b + M_DESC_LO, (uint32_t)desc, 4);
        hw_wr(m, b + M_DESC_HI, desc >> 32, 4);
        hw_wr(m, b + M_DRIVER_LO, (uint32_t)avail, 4);
        hw_wr(m, b + M_DRIVER_HI, avail >> 32, 4);
        hw_wr(m, b + M_DEVICE_LO, (uint32_t)used, 4);
        hw_wr(m, b + M_DEVICE_HI, used >> 32, 4);
        hw_wr(m, b + M_QUEUE_READY, 1, 4);
    }
}

static inline void drv_notify(Drv *d, unsigned q)
{
    if (d->pci) {
        hw_wr(d->m, d->notify + q * d->notify_mult, q, 2);
    } else {
        hw_wr(d->m, d->mmio + M_QUEUE_NOTIFY, q, 4);
    }
}

/* the interrupt line as the interrupt controller sees it */
static inline bool drv_irq_line(Drv *d)
{
    if (d->pci) {
        return hw_rd(d->m, d->cfg + EMU_PCI_STATUS, 2) &
               EMU_PCI_STATUS_INTERRUPT;
    }
    return plic_line(d->m, d->slot_irq);
}

/* reads and acknowledges the interrupt status (the ISR handler) */
static inline uint32_t drv_isr(Drv *d)
{
    uint32_t v;

    if (d->pci) {
        return hw_rd(d->m, d->isr, 1);
    }
    v = hw_rd(d->m, d->mmio + M_INT_STATUS, 4);
    hw_wr(d->m, d->mmio + M_INT_ACK, v, 4);
    return v;
}

/* ---- split rings in guest RAM ----------------------------------------- */

typedef struct Ring {
    Drv *d;
    unsigned q, num;
    uint64_t desc, avail, used;
    uint16_t avail_idx; /* driver's next avail idx */
    uint16_t used_seen; /* used entries consumed */
    unsigned next_desc; /* descriptors handed out round-robin */
} Ring;

typedef struct GBuf {
    uint64_t addr;
    uint32_t len;
    bool write;
} GBuf;

static inline void ring_init(Ring *r, Drv *d, unsigned q, unsigned num,
                             uint64_t base)
{
    g_autofree uint8_t *zero = NULL;
    size_t size;

    memset(r, 0, sizeof(*r));
    r->d = d;
    r->q = q;
    r->num = num;
    r->desc = base;
    r->avail = base + 16 * num;
    r->used = (r->avail + 6 + 2 * num + 4095) & ~4095ULL;
    /* a driver hands the device zeroed rings */
    size = r->used + 6 + 8 * num - base;
    zero = g_malloc0(size);
    gw(d->m, base, zero, size);
    drv_queue_setup(d, q, num, r->desc, r->avail, r->used);
}

static inline void desc_write(EmuMachine *m, uint64_t table, unsigned i,
                              uint64_t addr, uint32_t len, uint16_t flags,
                              uint16_t next)
{
    gw64(m, table + 16 * i, addr);
    gw32(m, table + 16 * i + 8, len);
    gw16(m, table + 16 * i + 12, flags);
    gw16(m, table + 16 * i + 14, next);
}

/* publishes head @head in the avail ring (the driver's barrier is
 * implicit: the test is single-threaded) */
static inline void ring_publish(Ring *r, uint16_t head)
{
    EmuMachine *m = r->d->m;

    gw16(m, r->avail + 4 + 2 * (r->avail_idx % r->num), head);
    r->avail_idx++;
    gw16(m, r->avail + 2, r->avail_idx);
}

/* a chain of @n buffers; returns its head */
static inline uint16_t ring_add(Ring *r, const GBuf *b, unsigned n)
{
    EmuMachine *m = r->d->m;
    uint16_t head = r->next_desc % r->num;

    for (unsigned i = 0; i < n; i++) {
        unsigned at = (r->next_desc + i) % r->num;
        unsigned next = (r->next_desc + i + 1) % r->num;
        uint16_t flags = (b[i].write ? EMU_VIRTQ_DESC_F_WRITE : 0) |
                         (i + 1 < n ? EMU_VIRTQ_DESC_F_NEXT : 0);

        desc_write(m, r->desc, at, b[i].addr, b[i].len, flags, next);
    }
    r->next_desc += n;
    ring_publish(r, head);
    return head;
}

/* the next used entry, if the device returned one */
static inline bool ring_used(Ring *r, uint32_t *id, uint32_t *len)
{
    EmuMachine *m = r->d->m;
    uint16_t idx = gr16(m, r->used + 2);
    unsigned slot;

    if (id) {
        *id = ~0u;
    }
    if (len) {
        *len = ~0u;
    }
    if (idx == r->used_seen) {
        return false;
    }
    slot = r->used_seen % r->num;
    if (id) {
        *id = gr32(m, r->used + 4 + 8 * slot);
    }
    if (len) {
        *len = gr32(m, r->used + 4 + 8 * slot + 4);
    }
    r->used_seen++;
    return true;
}

/* ---- a whole driver bring-up (§3.1.1) ---------------------------------- */

#define RXQ_BASE (RAM_BASE + 0x100000)
#define TXQ_BASE (RAM_BASE + 0x120000)
#define BUF_BASE (RAM_BASE + 0x200000)

static inline void drv_bringup(Drv *d, uint64_t features, Ring *rx, Ring *tx,
                               unsigned num)
{
    drv_set_status(d, 0);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER);
    drv_set_features(d, features);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER |
                          EMU_VIRTIO_STATUS_FEATURES_OK);
    g_assert_cmphex(drv_status(d) & EMU_VIRTIO_STATUS_FEATURES_OK, ==,
                    EMU_VIRTIO_STATUS_FEATURES_OK);
    if (rx) {
        ring_init(rx, d, 0, num, RXQ_BASE);
    }
    if (tx) {
        ring_init(tx, d, 1, num, TXQ_BASE);
    }
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER |
                          EMU_VIRTIO_STATUS_FEATURES_OK |
                          EMU_VIRTIO_STATUS_DRIVER_OK);
}

static inline void fixture_up(Fixture *f, bool pci, EmuOpts *opts)
{
    f->pci = pci;
    machine_setup(f);
    nic_create(f, opts);
    f->d = g_new0(Drv, 1);
    drv_probe(f->d, f->m, pci);
}

static inline void fixture_down(Fixture *f)
{
    machine_teardown(f);
    g_free(f->d);
}

#endif
