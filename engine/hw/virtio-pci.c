/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-pci.c: the virtio over PCI modern transport — the function's
 * identity, the vendor capabilities (COMMON_CFG, NOTIFY_CFG, ISR_CFG,
 * DEVICE_CFG, PCI_CFG) pointing into one 64-bit memory BAR, INTx through
 * the ISR. virtio 1.2 §4.1.2 (discovery), §4.1.4 (capabilities and their
 * structures), §4.1.5 (operation). Layout as QEMU's modern BAR: common at
 * 0x0000, ISR 0x1000, device 0x2000, notify 0x3000 (multiplier 4). */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "engine/hw/pci.h"
#include "engine/hw/virtio.h"

#define VIRTIO_PCI_VENDOR    0x1af4 /* Red Hat, Inc. (Qumranet) */
#define VIRTIO_PCI_SUBSYS_ID 0x1100 /* QEMU's default subsystem ID */
#define VIRTIO_PCI_REVISION  1      /* §4.1.2.1: modern-only device */

#define PCI_CAP_ID_VNDR 0x09

/* §4.1.4 cfg_type values */
#define CAP_COMMON_CFG 1
#define CAP_NOTIFY_CFG 2
#define CAP_ISR_CFG    3
#define CAP_DEVICE_CFG 4
#define CAP_PCI_CFG    5

/* struct virtio_pci_cap field offsets */
#define CAP_LEN          2
#define CAP_CFG_TYPE     3
#define CAP_BAR          4
#define CAP_ID           5
#define CAP_OFFSET       8
#define CAP_LENGTH       12
#define CAP_SIZE         16
#define CAP_NOTIFY_MULT  16 /* virtio_pci_notify_cap */
#define CAP_PCI_CFG_DATA 16 /* virtio_pci_cfg_cap */

/* the modern BAR */
#define MODERN_BAR  4
#define BAR_SIZE    0x4000
#define COMMON_OFF  0x0000
#define COMMON_LEN  0x1000
#define ISR_OFF     0x1000
#define ISR_LEN     0x1000
#define DEVICE_OFF  0x2000
#define DEVICE_LEN  0x1000
#define NOTIFY_OFF  0x3000
#define NOTIFY_LEN  0x1000
#define NOTIFY_MULT 4

/* struct virtio_pci_common_cfg (§4.1.4.3) */
#define CC_DFSELECT  0x00
#define CC_DF        0x04
#define CC_GFSELECT  0x08
#define CC_GF        0x0c
#define CC_MSIX      0x10
#define CC_NUMQ      0x12
#define CC_STATUS    0x14
#define CC_CFGGEN    0x15
#define CC_Q_SELECT  0x16
#define CC_Q_SIZE    0x18
#define CC_Q_MSIX    0x1a
#define CC_Q_ENABLE  0x1c
#define CC_Q_NOFF    0x1e
#define CC_Q_DESCLO  0x20
#define CC_Q_DESCHI  0x24
#define CC_Q_AVAILLO 0x28
#define CC_Q_AVAILHI 0x2c
#define CC_Q_USEDLO  0x30
#define CC_Q_USEDHI  0x34
#define CC_Q_NDATA   0x38
#define CC_Q_RESET   0x3a
#define CC_SIZE      0x3c

#define VIRTIO_MSI_NO_VECTOR 0xffff

typedef struct VirtioPci {
    EmuVirtioDevice *vdev;
    EmuPciDevice *pci;
    EmuRegion bar;    /* for PCI_CFG accesses through the core */
    unsigned cfg_cap; /* offset of the PCI_CFG capability */
} VirtioPci;

/* The common configuration fields, each read-modify-written as a whole:
 * 64-bit addresses are two 32-bit fields (§4.1.3.1: drivers access them
 * as two halves). */
static const struct {
    uint8_t off, size;
} cc_fields[] = {
    {CC_DFSELECT, 4},  {CC_DF, 4},       {CC_GFSELECT, 4}, {CC_GF, 4},
    {CC_MSIX, 2},      {CC_NUMQ, 2},     {CC_STATUS, 1},   {CC_CFGGEN, 1},
    {CC_Q_SELECT, 2},  {CC_Q_SIZE, 2},   {CC_Q_MSIX, 2},   {CC_Q_ENABLE, 2},
    {CC_Q_NOFF, 2},    {CC_Q_DESCLO, 4}, {CC_Q_DESCHI, 4}, {CC_Q_AVAILLO, 4},
    {CC_Q_AVAILHI, 4}, {CC_Q_USEDLO, 4}, {CC_Q_USEDHI, 4}, {CC_Q_NDATA, 2},
    {CC_Q_RESET, 2},
};

static void pci_update_irq(EmuVirtioDevice *vdev)
{
    VirtioPci *t = vdev->transport;

    emu_pci_set_irq(t->pci, vdev->isr != 0);
}

static bool pci_dma_enabled(EmuVirtioDevice *vdev)
{
    VirtioPci *t = vdev->transport;

    return emu_pci_bus_master(t->pci);
}

static const EmuVirtioTransportOps pci_transport_ops = {
    .update_irq = pci_update_irq,
    .dma_enabled = pci_dma_enabled,
};

/* ---- common configuration ----------------------------------------------- */

static uint32_t cc_get(EmuVirtioDevice *vdev, unsigned field)
{
    EmuVirtqueue *vq = emu_virtio_queue(vdev, vdev->queue_sel);

    switch (field) {
    case CC_DFSELECT:
        return vdev->device_features_sel;
    case CC_DF:
        return emu_virtio_device_features(vdev, vdev->device_features_sel);
    case CC_GFSELECT:
        return vdev->driver_features_sel;
    case CC_GF:
        return emu_virtio_driver_features(vdev, vdev->driver_features_sel);
    case CC_MSIX:
    case CC_Q_MSIX:
        return VIRTIO_MSI_NO_VECTOR; /* no MSI-X: INTx only */
    case CC_NUMQ:
        return vdev->num_queues;
    case CC_STATUS:
        return vdev->status;
    case CC_CFGGEN:
        return vdev->config_generation & 0xff;
    case CC_Q_SELECT:
        return vdev->queue_sel;
    case CC_Q_SIZE:
        return vq ? vq->num : 0; /* 0: the queue is unavailable */
    case CC_Q_ENABLE:
        return vq ? vq->ready : 0;
    case CC_Q_NOFF:
        return vdev->queue_sel;
    case CC_Q_DESCLO:
        return vq ? (uint32_t)vq->desc_addr : 0;
    case CC_Q_DESCHI:
        return vq ? (uint32_t)(vq->desc_addr >> 32) : 0;
    case CC_Q_AVAILLO:
        return vq ? (uint32_t)vq->avail_addr : 0;
    case CC_Q_AVAILHI:
        return vq ? (uint32_t)(vq->avail_addr >> 32) : 0;
    case CC_Q_USEDLO:
        return vq ? (uint32_t)vq->used_addr : 0;
    case CC_Q_USEDHI:
        return vq ? (uint32_t)(vq->used_addr >> 32) : 0;
    default:
        return 0;
    }
}

static void cc_set_addr(EmuVirtioDevice *vdev, EmuVirtqueue *vq, uint64_t *addr,
                        bool high, uint32_t v)
{
    if (!vq || vq->ready) {
        emu_guest_error(&vdev->log, vdev->name,
                        "queue %u address write while %s", vdev->queue_sel,
                        vq ? "enabled" : "missing");
        return;
    }
    if (high) {
        *addr = (*addr & 0xffffffffULL) | (uint64_t)v << 32;
    } else {
        *addr = (*addr & 0xffffffff00000000ULL) | v;
    }
}

static void cc_set(EmuVirtioDevice *vdev, unsigned field, uint32_t v)
{
    EmuVirtqueue *vq = emu_virtio_queue(vdev, vdev->queue_sel);

    switch (field) {
    case CC_DFSELECT:
        vdev->device_features_sel = v;
        break;
    case CC_GFSELECT:
        vdev->driver_features_sel = v;
        break;
    case CC_GF:
        emu_virtio_set_driver_features(vdev, vdev->driver_features_sel, v);
        break;
    case CC_STATUS:
        emu_virtio_set_status(vdev, v);
        break;
    case CC_Q_SELECT:
        vdev->queue_sel = v;
        break;
    case CC_Q_SIZE:
        if (vq && !vq->ready) {
            vq->num = v;
        }
        break;
    case CC_Q_ENABLE:
        /* §4.1.4.3.2: the driver never writes 0 (that is a reset) */
        if (v == 1 && vq && !vq->ready) {
            emu_virtio_queue_enable(vq);
        }
        break;
    case CC_Q_DESCLO:
    case CC_Q_DESCHI:
        cc_set_addr(vdev, vq, vq ? &vq->desc_addr : NULL, field == CC_Q_DESCHI,
                    v);
        break;
    case CC_Q_AVAILLO:
    case CC_Q_AVAILHI:
        cc_set_addr(vdev, vq, vq ? &vq->avail_addr : NULL,
                    field == CC_Q_AVAILHI, v);
        break;
    case CC_Q_USEDLO:
    case CC_Q_USEDHI:
        cc_set_addr(vdev, vq, vq ? &vq->used_addr : NULL, field == CC_Q_USEDHI,
                    v);
        break;
    default: /* read-only, MSI-X vectors (no MSI-X), queue_reset */
        break;
    }
}

static uint32_t common_read(EmuVirtioDevice *vdev, uint64_t off, unsigned size)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < G_N_ELEMENTS(cc_fields); i++) {
        unsigned f = cc_fields[i].off, fs = cc_fields[i].size;

        if (off < f + fs && f < off + size) {
            uint64_t val = cc_get(vdev, f);
            int shift = (int)(f - off) * 8;

            v |= shift >= 0 ? (uint32_t)(val << shift)
                            : (uint32_t)(val >> -shift);
        }
    }
    return size < 4 ? v & ((1u << (size * 8)) - 1) : v;
}

static void common_write(EmuVirtioDevice *vdev, uint64_t off, uint32_t value,
                         unsigned size)
{
    for (unsigned i = 0; i < G_N_ELEMENTS(cc_fields); i++) {
        unsigned f = cc_fields[i].off, fs = cc_fields[i].size;
        uint64_t cur, mask, val;
        int shift;

        if (!(off < f + fs && f < off + size)) {
            continue;
        }
        /* merge a narrower access into the field's current value */
        shift = (int)(off - f) * 8;
        mask = size >= 4 ? 0xffffffffULL : (1ULL << (size * 8)) - 1;
        val = value;
        if (shift >= 0) {
            mask <<= shift;
            val <<= shift;
        } else {
            mask >>= -shift;
            val >>= -shift;
        }
        mask &= fs >= 4 ? 0xffffffffULL : (1ULL << (fs * 8)) - 1;
        if (mask != (fs >= 4 ? 0xffffffffULL : (1ULL << (fs * 8)) - 1)) {
            cur = cc_get(vdev, f);
            val = (cur & ~mask) | (val & mask);
        }
        cc_set(vdev, f,
               (uint32_t)(val &
                          (fs >= 4 ? 0xffffffffULL : (1ULL << (fs * 8)) - 1)));
    }
}

/* ---- the modern BAR ------------------------------------------------------ */

static uint64_t bar_read(void *opaque, uint64_t off, unsigned size)
{
    VirtioPci *t = opaque;
    EmuVirtioDevice *vdev = t->vdev;

    if (!vdev) {
        return 0;
    }
    if (off < COMMON_OFF + COMMON_LEN) {
        return off < CC_SIZE ? common_read(vdev, off, size) : 0;
    }
    if (off < ISR_OFF + ISR_LEN) {
        /* §4.1.4.5: reading the ISR status clears it and the INTx line */
        return off == ISR_OFF ? emu_virtio_isr_read_clear(vdev) : 0;
    }
    if (off < DEVICE_OFF + DEVICE_LEN) {
        return emu_virtio_config_read(vdev, off - DEVICE_OFF, size);
    }
    return 0; /* notify: write-only */
}

static void bar_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    VirtioPci *t = opaque;
    EmuVirtioDevice *vdev = t->vdev;

    if (!vdev) {
        return;
    }
    if (off < COMMON_OFF + COMMON_LEN) {
        if (off < CC_SIZE) {
            common_write(vdev, off, value, size);
        }
    } else if (off < ISR_OFF + ISR_LEN) {
        /* read-only */
    } else if (off < DEVICE_OFF + DEVICE_LEN) {
        emu_virtio_config_write(vdev, off - DEVICE_OFF, value, size);
    } else {
        /* §4.1.4.4: queue_notify_off * multiplier; ours is the index */
        emu_virtio_queue_notify(vdev, (off - NOTIFY_OFF) / NOTIFY_MULT);
    }
}

static const EmuMmioOps bar_ops = {
    .read = bar_read,
    .write = bar_write,
    .min_access = 1,
    .max_access = 4,
};

/* ---- configuration space: the PCI_CFG window (§4.1.4.9) ----------------- */

static uint32_t cfg_le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The BAR access the window currently describes, or false when the driver
 * programmed something we refuse (other BAR, bad length, unaligned). */
static bool cfg_window(VirtioPci *t, uint32_t *bar_off, unsigned *len)
{
    const uint8_t *cap = emu_pci_config(t->pci) + t->cfg_cap;
    uint32_t off = cfg_le32(cap + CAP_OFFSET);
    uint32_t l = cfg_le32(cap + CAP_LENGTH);

    if (cap[CAP_BAR] != MODERN_BAR || (l != 1 && l != 2 && l != 4) || off % l ||
        off >= BAR_SIZE || l > BAR_SIZE - off) {
        return false;
    }
    *bar_off = off;
    *len = l;
    return true;
}

static bool touches_data(VirtioPci *t, uint32_t offset, unsigned size)
{
    uint32_t data = t->cfg_cap + CAP_PCI_CFG_DATA;

    return offset < data + 4 && data < offset + size;
}

static bool pci_config_read(EmuPciDevice *d, uint32_t offset, unsigned size,
                            uint32_t *value)
{
    VirtioPci *t = emu_pci_opaque(d);
    uint32_t bar_off;
    unsigned len;

    if (t->vdev && t->cfg_cap && touches_data(t, offset, size) &&
        cfg_window(t, &bar_off, &len)) {
        uint8_t *data = emu_pci_config(d) + t->cfg_cap + CAP_PCI_CFG_DATA;
        uint32_t v = emu_mmio_read_locked(&t->bar, bar_off, len);

        for (unsigned i = 0; i < 4; i++) {
            data[i] = i < len ? v >> (8 * i) : 0;
        }
    }
    return false; /* the generic read answers from the updated bytes */
}

static void pci_config_write(EmuPciDevice *d, uint32_t offset, uint32_t value,
                             unsigned size)
{
    VirtioPci *t = emu_pci_opaque(d);
    uint32_t bar_off;
    unsigned len;

    if (t->vdev && t->cfg_cap && touches_data(t, offset, size) &&
        cfg_window(t, &bar_off, &len)) {
        const uint8_t *data = emu_pci_config(d) + t->cfg_cap + CAP_PCI_CFG_DATA;
        uint32_t v = cfg_le32(data);

        if (len < 4) {
            v &= (1u << (len * 8)) - 1;
        }
        emu_mmio_write_locked(&t->bar, bar_off, v, len);
    }
}

static void pci_reset(EmuPciDevice *d)
{
    VirtioPci *t = emu_pci_opaque(d);

    if (t->vdev) {
        emu_virtio_reset(t->vdev);
    }
}

/* ---- construction ---------------------------------------------------------
 */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static unsigned add_cap(VirtioPci *t, uint8_t type, unsigned len,
                        uint32_t offset, uint32_t length, GError **error)
{
    unsigned at = emu_pci_add_capability(t->pci, PCI_CAP_ID_VNDR, len, error);
    uint8_t *c;

    if (!at) {
        return 0;
    }
    c = emu_pci_config(t->pci) + at;
    c[CAP_LEN] = len;
    c[CAP_CFG_TYPE] = type;
    c[CAP_BAR] = MODERN_BAR;
    c[CAP_ID] = 0;
    put32(c + CAP_OFFSET, offset);
    put32(c + CAP_LENGTH, length);
    return at;
}

void *emu_virtio_pci_new(EmuVirtioDevice *vdev, EmuPciHost *host,
                         const char *bus, int devfn, uint16_t pci_device_id,
                         uint32_t class_code, GError **error)
{
    EmuPciDeviceInfo info = {
        .name = "virtio-pci",
        .vendor_id = VIRTIO_PCI_VENDOR,
        .device_id = pci_device_id,
        .subsystem_vendor_id = VIRTIO_PCI_VENDOR,
        .subsystem_id = VIRTIO_PCI_SUBSYS_ID,
        .revision = VIRTIO_PCI_REVISION,
        .class_code = class_code,
        .interrupt_pin = 1,
        .config_read = pci_config_read,
        .config_write = pci_config_write,
        .reset = pci_reset,
    };
    VirtioPci *t;
    unsigned at;
    uint8_t *wmask;

    if (!host) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "%s: the machine has no PCI host bridge", vdev->name);
        return NULL;
    }
    if (vdev->config_len > DEVICE_LEN) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                    "%s: configuration space too large", vdev->name);
        return NULL;
    }
    t = g_new0(VirtioPci, 1);
    t->vdev = vdev;
    t->pci = emu_pci_device_new_on_bus(host, bus, devfn, &info, t, error);
    if (!t->pci) {
        g_free(t);
        return NULL;
    }
    t->bar.name = "virtio-pci-bar";
    t->bar.size = BAR_SIZE;
    t->bar.ops = &bar_ops;
    t->bar.opaque = t;
    if (!emu_pci_set_bar(t->pci, MODERN_BAR, BAR_SIZE,
                         EMU_PCI_BAR_MEM64 | EMU_PCI_BAR_PREFETCH, &bar_ops, t,
                         error) ||
        !add_cap(t, CAP_COMMON_CFG, CAP_SIZE, COMMON_OFF, COMMON_LEN, error) ||
        !add_cap(t, CAP_ISR_CFG, CAP_SIZE, ISR_OFF, ISR_LEN, error) ||
        !add_cap(t, CAP_DEVICE_CFG, CAP_SIZE, DEVICE_OFF, DEVICE_LEN, error)) {
        goto fail;
    }
    at =
        add_cap(t, CAP_NOTIFY_CFG, CAP_SIZE + 4, NOTIFY_OFF, NOTIFY_LEN, error);
    if (!at) {
        goto fail;
    }
    put32(emu_pci_config(t->pci) + at + CAP_NOTIFY_MULT, NOTIFY_MULT);
    /* PCI_CFG: bar, offset, length and data are the driver's to write */
    t->cfg_cap = add_cap(t, CAP_PCI_CFG, CAP_SIZE + 4, 0, 0, error);
    if (!t->cfg_cap) {
        goto fail;
    }
    wmask = emu_pci_wmask(t->pci) + t->cfg_cap;
    wmask[CAP_BAR] = 0xff;
    memset(wmask + CAP_OFFSET, 0xff, 12);
    vdev->transport = t;
    vdev->tops = &pci_transport_ops;
    return t;

fail:
    /* the function stays plugged (the host has no unplug): it keeps this
     * transport, now inert (no device), until the process ends */
    t->vdev = NULL;
    return NULL;
}

void emu_virtio_pci_free(void *transport)
{
    g_free(transport);
}

EmuPciDevice *emu_virtio_pci_device(void *transport)
{
    return ((VirtioPci *)transport)->pci;
}
