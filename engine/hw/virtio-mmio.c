/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-mmio.c: the virtio-mmio version 2 (modern) transport on one of
 * the board's slots — registers, queue setup, notifications, interrupt
 * status/ACK through the slot's PLIC line. virtio 1.2 §4.2.2 (register
 * layout), §4.2.3 (initialisation and notifications). */
#include "config.h"

#include "emu-error.h"
#include "engine/hw/virtio-slots.h"
#include "engine/hw/virtio.h"

/* §4.2.2 register offsets */
#define REG_MAGIC               0x000
#define REG_VERSION             0x004
#define REG_DEVICE_ID           0x008
#define REG_VENDOR_ID           0x00c
#define REG_DEVICE_FEATURES     0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES     0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL           0x030
#define REG_QUEUE_NUM_MAX       0x034
#define REG_QUEUE_NUM           0x038
#define REG_QUEUE_READY         0x044
#define REG_QUEUE_NOTIFY        0x050
#define REG_INTERRUPT_STATUS    0x060
#define REG_INTERRUPT_ACK       0x064
#define REG_STATUS              0x070
#define REG_QUEUE_DESC_LOW      0x080
#define REG_QUEUE_DESC_HIGH     0x084
#define REG_QUEUE_DRIVER_LOW    0x090
#define REG_QUEUE_DRIVER_HIGH   0x094
#define REG_QUEUE_DEVICE_LOW    0x0a0
#define REG_QUEUE_DEVICE_HIGH   0x0a4
#define REG_SHM_SEL             0x0ac
#define REG_SHM_LEN_LOW         0x0b0
#define REG_SHM_LEN_HIGH        0x0b4
#define REG_SHM_BASE_LOW        0x0b8
#define REG_SHM_BASE_HIGH       0x0bc
#define REG_QUEUE_RESET         0x0c0
#define REG_CONFIG_GENERATION   0x0fc
#define REG_CONFIG              0x100

typedef struct VirtioMmio {
    EmuVirtioDevice *vdev;
    EmuVirtioSlot slot;
} VirtioMmio;

static void mmio_update_irq(EmuVirtioDevice *vdev)
{
    VirtioMmio *t = vdev->transport;

    emu_irq_set(t->slot.irq, vdev->isr != 0);
}

static const EmuVirtioTransportOps mmio_transport_ops = {
    .update_irq = mmio_update_irq,
};

static EmuVirtqueue *sel_queue(EmuVirtioDevice *vdev)
{
    return emu_virtio_queue(vdev, vdev->queue_sel);
}

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    VirtioMmio *t = opaque;
    EmuVirtioDevice *vdev = t->vdev;
    EmuVirtqueue *vq;

    if (off >= REG_CONFIG) {
        return emu_virtio_config_read(vdev, off - REG_CONFIG, size);
    }
    /* §4.2.2.2: registers are read as 32-bit words */
    if (size != 4) {
        emu_guest_error(&vdev->log, vdev->name,
                        "%u-byte read of register 0x%03" PRIx64, size, off);
        return 0;
    }
    vq = sel_queue(vdev);
    switch (off) {
    case REG_MAGIC:
        return EMU_VIRTIO_MMIO_MAGIC;
    case REG_VERSION:
        return EMU_VIRTIO_MMIO_VERSION;
    case REG_DEVICE_ID:
        return vdev->device_id;
    case REG_VENDOR_ID:
        return EMU_VIRTIO_MMIO_VENDOR;
    case REG_DEVICE_FEATURES:
        return emu_virtio_device_features(vdev, vdev->device_features_sel);
    case REG_QUEUE_NUM_MAX:
        return vq ? vq->num_max : 0;
    case REG_QUEUE_READY:
        return vq ? vq->ready : 0;
    case REG_INTERRUPT_STATUS:
        return vdev->isr;
    case REG_STATUS:
        return vdev->status;
    case REG_SHM_LEN_LOW:
    case REG_SHM_LEN_HIGH:
    case REG_SHM_BASE_LOW:
    case REG_SHM_BASE_HIGH:
        /* no shared memory regions: length ~0 (§4.2.2) */
        return 0xffffffffu;
    case REG_QUEUE_RESET:
        return 0;
    case REG_CONFIG_GENERATION:
        return vdev->config_generation;
    /* write-only registers read as 0; the others are readable state */
    case REG_QUEUE_NUM:
        return vq ? vq->num : 0;
    case REG_QUEUE_DESC_LOW:
        return vq ? (uint32_t)vq->desc_addr : 0;
    case REG_QUEUE_DESC_HIGH:
        return vq ? (uint32_t)(vq->desc_addr >> 32) : 0;
    case REG_QUEUE_DRIVER_LOW:
        return vq ? (uint32_t)vq->avail_addr : 0;
    case REG_QUEUE_DRIVER_HIGH:
        return vq ? (uint32_t)(vq->avail_addr >> 32) : 0;
    case REG_QUEUE_DEVICE_LOW:
        return vq ? (uint32_t)vq->used_addr : 0;
    case REG_QUEUE_DEVICE_HIGH:
        return vq ? (uint32_t)(vq->used_addr >> 32) : 0;
    default:
        return 0;
    }
}

/* Queue layout registers may change only while the queue is not ready
 * (§4.2.3.2). */
static bool queue_writable(EmuVirtioDevice *vdev, EmuVirtqueue *vq,
                           uint64_t off)
{
    if (!vq) {
        emu_guest_error(&vdev->log, vdev->name,
                        "write 0x%03" PRIx64 " for missing queue %u", off,
                        vdev->queue_sel);
        return false;
    }
    if (vq->ready) {
        emu_guest_error(&vdev->log, vdev->name,
                        "write 0x%03" PRIx64 " to ready queue %u ignored", off,
                        vq->index);
        return false;
    }
    return true;
}

static void set_low(uint64_t *addr, uint32_t v)
{
    *addr = (*addr & 0xffffffff00000000ULL) | v;
}

static void set_high(uint64_t *addr, uint32_t v)
{
    *addr = (*addr & 0xffffffffULL) | (uint64_t)v << 32;
}

static void mmio_write(void *opaque, uint64_t off, uint64_t value,
                       unsigned size)
{
    VirtioMmio *t = opaque;
    EmuVirtioDevice *vdev = t->vdev;
    EmuVirtqueue *vq;
    uint32_t v = value;

    if (off >= REG_CONFIG) {
        emu_virtio_config_write(vdev, off - REG_CONFIG, v, size);
        return;
    }
    if (size != 4) {
        emu_guest_error(&vdev->log, vdev->name,
                        "%u-byte write of register 0x%03" PRIx64, size, off);
        return;
    }
    vq = sel_queue(vdev);
    switch (off) {
    case REG_DEVICE_FEATURES_SEL:
        vdev->device_features_sel = v;
        break;
    case REG_DRIVER_FEATURES:
        emu_virtio_set_driver_features(vdev, vdev->driver_features_sel, v);
        break;
    case REG_DRIVER_FEATURES_SEL:
        vdev->driver_features_sel = v;
        break;
    case REG_QUEUE_SEL:
        vdev->queue_sel = v < 0x10000 ? v : 0xffff;
        break;
    case REG_QUEUE_NUM:
        if (queue_writable(vdev, vq, off)) {
            vq->num = v <= 0xffff ? v : 0;
        }
        break;
    case REG_QUEUE_READY:
        if (!vq) {
            queue_writable(vdev, vq, off);
        } else if (v == 1 && !vq->ready) {
            emu_virtio_queue_enable(vq);
        } else if (v == 0) {
            emu_virtio_queue_disable(vq);
        }
        break;
    case REG_QUEUE_NOTIFY:
        /* without VIRTIO_F_NOTIFICATION_DATA the value is the index */
        emu_virtio_queue_notify(vdev, v & 0xffff);
        break;
    case REG_INTERRUPT_ACK:
        emu_virtio_isr_ack(vdev, v);
        break;
    case REG_STATUS:
        emu_virtio_set_status(vdev, v);
        break;
    case REG_QUEUE_DESC_LOW:
        if (queue_writable(vdev, vq, off)) {
            set_low(&vq->desc_addr, v);
        }
        break;
    case REG_QUEUE_DESC_HIGH:
        if (queue_writable(vdev, vq, off)) {
            set_high(&vq->desc_addr, v);
        }
        break;
    case REG_QUEUE_DRIVER_LOW:
        if (queue_writable(vdev, vq, off)) {
            set_low(&vq->avail_addr, v);
        }
        break;
    case REG_QUEUE_DRIVER_HIGH:
        if (queue_writable(vdev, vq, off)) {
            set_high(&vq->avail_addr, v);
        }
        break;
    case REG_QUEUE_DEVICE_LOW:
        if (queue_writable(vdev, vq, off)) {
            set_low(&vq->used_addr, v);
        }
        break;
    case REG_QUEUE_DEVICE_HIGH:
        if (queue_writable(vdev, vq, off)) {
            set_high(&vq->used_addr, v);
        }
        break;
    case REG_SHM_SEL:
        break;
    default:
        emu_guest_error(&vdev->log, vdev->name,
                        "write 0x%08x to read-only or unknown register "
                        "0x%03" PRIx64,
                        v, off);
        break;
    }
}

/* Registers are 32-bit; the configuration space at 0x100 takes 1, 2 and 4
 * byte accesses (a 64-bit one arrives as two 32-bit halves). */
static const EmuMmioOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .min_access = 1,
    .max_access = 4,
};

static void mmio_reset(void *opaque)
{
    VirtioMmio *t = opaque;

    emu_virtio_reset(t->vdev);
}

void *emu_virtio_mmio_new(EmuVirtioDevice *vdev, EmuVirtioSlots *slots,
                          int index, GError **error)
{
    VirtioMmio *t;

    if (!slots) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "%s: the machine has no virtio-mmio slots", vdev->name);
        return NULL;
    }
    if (vdev->config_len > 0x1000 - REG_CONFIG) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                    "%s: configuration space too large", vdev->name);
        return NULL;
    }
    t = g_new0(VirtioMmio, 1);
    t->vdev = vdev;
    if (!emu_virtio_slot_claim(slots, index, &mmio_ops, t, mmio_reset, &t->slot,
                               error)) {
        g_free(t);
        return NULL;
    }
    vdev->transport = t;
    vdev->tops = &mmio_transport_ops;
    return t;
}

void emu_virtio_mmio_free(void *transport)
{
    g_free(transport);
}
