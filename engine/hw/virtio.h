/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio.h: the virtio device core — split virtqueues, feature negotiation,
 * the device status state machine and reset (virtio 1.2 §2, §3) — shared
 * by the MMIO and PCI transports and the device models. */
#ifndef EMU_HW_VIRTIO_H
#define EMU_HW_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>
#include <glib.h>

#include "engine/core/machine.h"
#include "engine/hw/guest-log.h"

typedef struct EmuPciHost EmuPciHost;
typedef struct EmuVirtioSlots EmuVirtioSlots;

/* Device IDs (§5) */
#define EMU_VIRTIO_ID_NET 1

/* Device status bits (§2.1) */
#define EMU_VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define EMU_VIRTIO_STATUS_DRIVER      0x02
#define EMU_VIRTIO_STATUS_DRIVER_OK   0x04
#define EMU_VIRTIO_STATUS_FEATURES_OK 0x08
#define EMU_VIRTIO_STATUS_NEEDS_RESET 0x40
#define EMU_VIRTIO_STATUS_FAILED      0x80

/* Reserved feature bits (§6) */
#define EMU_VIRTIO_F_INDIRECT_DESC   28
#define EMU_VIRTIO_F_EVENT_IDX       29
#define EMU_VIRTIO_F_VERSION_1       32
#define EMU_VIRTIO_F_ACCESS_PLATFORM 33

#define EMU_VIRTIO_BIT(b) (1ULL << (b))

/* Interrupt status bits, the same on both transports (§4.1.4.5, §4.2.2) */
#define EMU_VIRTIO_ISR_QUEUE  0x1
#define EMU_VIRTIO_ISR_CONFIG 0x2

/* Split virtqueue descriptor flags (§2.7.5) and ring flags (§2.7.6-7) */
#define EMU_VIRTQ_DESC_F_NEXT          1
#define EMU_VIRTQ_DESC_F_WRITE         2
#define EMU_VIRTQ_DESC_F_INDIRECT      4
#define EMU_VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define EMU_VIRTQ_USED_F_NO_NOTIFY     1

/*
 * Bounds that make every guest-built structure finite (STYLE.md: bound
 * every chain in count and bytes). A direct chain has at most the queue
 * size descriptors, an indirect table at most EMU_VIRTQ_MAX_INDIRECT, so
 * a walk cannot loop; the bytes a chain describes are capped as well.
 */
#define EMU_VIRTQ_MAX_SIZE        1024
#define EMU_VIRTQ_MAX_INDIRECT    1024
#define EMU_VIRTQ_MAX_CHAIN       1024 /* iovec entries per element */
#define EMU_VIRTQ_MAX_CHAIN_BYTES (4u << 20)

typedef struct EmuVirtioDevice EmuVirtioDevice;
typedef struct EmuVirtqueue EmuVirtqueue;

/*
 * One popped descriptor chain, mapped to host memory: @out are the
 * device-readable buffers, @in the device-writable ones (with their guest
 * addresses, so that writes can invalidate translated code). Pointers
 * stay valid for the machine's life (RAM regions never move).
 */
typedef struct EmuVirtqElem {
    uint16_t head;
    unsigned out_num, in_num;
    size_t out_len, in_len;
    struct iovec *out, *in;
    uint64_t *in_addr;
} EmuVirtqElem;

struct EmuVirtqueue {
    EmuVirtioDevice *vdev;
    unsigned index;
    uint16_t num_max; /* 0: the queue does not exist */
    uint16_t num;     /* driver's choice, power of two */
    bool ready;
    uint64_t desc_addr, avail_addr, used_addr;
    /* host views of the rings, valid while ready */
    uint8_t *desc, *avail, *used;
    uint16_t last_avail_idx; /* next avail entry to pop */
    uint16_t used_idx;       /* next used entry (shadow, see flush) */
    uint16_t pending;        /* pushed but not flushed */
    /* scratch for a chain walk (EMU_VIRTQ_MAX_CHAIN entries) */
    struct iovec *scratch_iov;
    uint64_t *scratch_addr;
};

typedef struct EmuVirtioDeviceOps {
    /* the driver notified queue @index (device lock held) */
    void (*queue_notify)(EmuVirtioDevice *vdev, unsigned index);
    /* the status changed (after validation), e.g. DRIVER_OK was set */
    void (*status_changed)(EmuVirtioDevice *vdev, uint8_t old_status);
    /* device-specific part of a reset (queues are reset by the core) */
    void (*reset)(EmuVirtioDevice *vdev);
    /* a driver write to the device configuration space; the core already
     * refused writes outside [0, config_len); optional (read-only) */
    void (*config_write)(EmuVirtioDevice *vdev, unsigned offset, uint32_t value,
                         unsigned size);
} EmuVirtioDeviceOps;

typedef struct EmuVirtioTransportOps {
    /* the interrupt status changed: drive the line from vdev->isr */
    void (*update_irq)(EmuVirtioDevice *vdev);
    /* false while the transport forbids DMA (PCI bus master off) */
    bool (*dma_enabled)(EmuVirtioDevice *vdev);
} EmuVirtioTransportOps;

struct EmuVirtioDevice {
    EmuMachine *m;
    char *name; /* for guest-error messages */
    uint16_t device_id;
    uint64_t host_features;  /* offered; always has VERSION_1 */
    uint64_t guest_features; /* accepted by the driver */
    uint32_t device_features_sel, driver_features_sel;
    uint8_t status;
    uint8_t isr;
    uint32_t config_generation;
    bool broken; /* NEEDS_RESET: queues are dead until reset */
    uint16_t queue_sel;
    unsigned num_queues;
    EmuVirtqueue *vqs;
    uint8_t *config; /* device configuration space (LE) */
    unsigned config_len;
    const EmuVirtioDeviceOps *ops;
    const EmuVirtioTransportOps *tops;
    void *transport;
    EmuGuestLog log;
};

/* ---- the device core (virtio.c) ------------------------------------- */

/**
 * emu_virtio_init:
 * @vdev: zeroed device state embedded in the model
 * @name: model/instance name for messages (copied)
 * @host_features: offered features; VERSION_1 is added
 * @num_queues: number of virtqueues
 * @queue_sizes: maximum size of each queue (power of two, 1..1024)
 * @config_len: bytes of device configuration space (allocated, zeroed)
 *
 * Initialises the common state; a transport then attaches itself.
 * Thread: main thread, before the machine runs.
 */
void emu_virtio_init(EmuVirtioDevice *vdev, EmuMachine *m, const char *name,
                     uint16_t device_id, uint64_t host_features,
                     unsigned num_queues, const uint16_t *queue_sizes,
                     unsigned config_len, const EmuVirtioDeviceOps *ops);

/**
 * emu_virtio_cleanup:
 * Frees what emu_virtio_init() allocated (not @vdev itself).
 * Thread: main thread, machine stopped.
 */
void emu_virtio_cleanup(EmuVirtioDevice *vdev);

/**
 * emu_virtio_reset:
 * Device reset (§2.1.2, §3.1.1 step 1): status, features, queues,
 * interrupt status and the device's own state go back to power-on.
 * Thread: any thread holding the device lock.
 */
void emu_virtio_reset(EmuVirtioDevice *vdev);

/**
 * emu_virtio_set_status:
 * A driver write to the status register. 0 resets the device; setting
 * FEATURES_OK keeps the bit only if the accepted features are a subset of
 * the offered ones and include VERSION_1 (§2.2.1, §3.1.1); NEEDS_RESET
 * stays set until a reset.
 * Thread: any thread holding the device lock.
 */
void emu_virtio_set_status(EmuVirtioDevice *vdev, uint8_t value);

/**
 * emu_virtio_device_features / emu_virtio_set_driver_features:
 * The 32-bit window @sel of the offered features / of the driver's
 * accepted features (ignored once FEATURES_OK is set).
 * Thread: any thread holding the device lock.
 */
uint32_t emu_virtio_device_features(EmuVirtioDevice *vdev, uint32_t sel);
uint32_t emu_virtio_driver_features(EmuVirtioDevice *vdev, uint32_t sel);
void emu_virtio_set_driver_features(EmuVirtioDevice *vdev, uint32_t sel,
                                    uint32_t value);

/**
 * emu_virtio_has_feature:
 * Returns: whether feature bit @bit was negotiated.
 * Thread: any thread holding the device lock.
 */
static inline bool emu_virtio_has_feature(const EmuVirtioDevice *vdev,
                                          unsigned bit)
{
    return vdev->guest_features & EMU_VIRTIO_BIT(bit);
}

/**
 * emu_virtio_config_read / emu_virtio_config_write:
 * Device configuration space accesses of 1, 2 or 4 bytes; outside the
 * space reads answer 0 and writes are ignored.
 * Thread: any thread holding the device lock.
 */
uint32_t emu_virtio_config_read(EmuVirtioDevice *vdev, uint64_t offset,
                                unsigned size);
void emu_virtio_config_write(EmuVirtioDevice *vdev, uint64_t offset,
                             uint32_t value, unsigned size);

/**
 * emu_virtio_queue / emu_virtio_queue_enable / emu_virtio_queue_disable:
 * The queue @index (NULL when it does not exist); enabling checks the
 * size and ring addresses (alignment, inside guest RAM) and maps the
 * rings, or puts the device in NEEDS_RESET.
 * Thread: any thread holding the device lock.
 */
EmuVirtqueue *emu_virtio_queue(EmuVirtioDevice *vdev, unsigned index);
bool emu_virtio_queue_enable(EmuVirtqueue *vq);
void emu_virtio_queue_disable(EmuVirtqueue *vq);

/**
 * emu_virtio_queue_notify:
 * A driver notification ("kick") for queue @index, from a transport.
 * Ignored (with a guest-error log) for a queue that does not exist, and
 * while the device is broken, not DRIVER_OK or DMA is disabled.
 * Thread: any thread holding the device lock.
 */
void emu_virtio_queue_notify(EmuVirtioDevice *vdev, unsigned index);

/**
 * emu_virtio_raise / emu_virtio_isr_ack / emu_virtio_isr_read_clear:
 * Sets interrupt status bits and drives the line; the driver acknowledges
 * bits (MMIO InterruptACK) or reads and clears them all (PCI ISR).
 * Thread: any thread holding the device lock.
 */
void emu_virtio_raise(EmuVirtioDevice *vdev, uint8_t bits);
void emu_virtio_isr_ack(EmuVirtioDevice *vdev, uint8_t bits);
uint8_t emu_virtio_isr_read_clear(EmuVirtioDevice *vdev);

/**
 * emu_virtio_config_changed:
 * The device changed its configuration: bumps the generation and, once
 * the driver is up, sends a configuration change interrupt (§2.5.1).
 * Thread: any thread holding the device lock.
 */
void emu_virtio_config_changed(EmuVirtioDevice *vdev);

/**
 * emu_virtio_error:
 * The driver broke the device's rules: logs (rate-limited), sets
 * DEVICE_NEEDS_RESET and sends a configuration change interrupt (§2.1.2).
 * Every queue stops until the driver resets the device.
 * Thread: any thread holding the device lock.
 */
void emu_virtio_error(EmuVirtioDevice *vdev, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/**
 * emu_virtio_running:
 * Returns: true when queues may be processed: DRIVER_OK set, not broken,
 * DMA allowed by the transport.
 * Thread: any thread holding the device lock.
 */
bool emu_virtio_running(EmuVirtioDevice *vdev);

/* ---- split virtqueue (§2.7) ----------------------------------------- */

/**
 * emu_virtq_avail:
 * Returns: how many chains the driver made available and the device has
 * not popped. An avail index more than the queue size ahead breaks the
 * device (returns 0).
 * Thread: any thread holding the device lock.
 */
unsigned emu_virtq_avail(EmuVirtqueue *vq);

/**
 * emu_virtq_pop:
 * Takes the next available chain and maps it (bounds above: count,
 * indirect tables, bytes, RAM, readable-before-writable order).
 * Returns: the element (free with emu_virtq_push() or
 * emu_virtq_unpop()), or NULL when none is available or the ring is
 * broken (the device is then in NEEDS_RESET: check vdev->broken).
 * Thread: any thread holding the device lock.
 */
EmuVirtqElem *emu_virtq_pop(EmuVirtqueue *vq);

/**
 * emu_virtq_unpop:
 * Gives back the last popped chains, most recent first (@elem is freed):
 * the device could not use them after all (e.g. RX backpressure).
 * Thread: any thread holding the device lock.
 */
void emu_virtq_unpop(EmuVirtqueue *vq, EmuVirtqElem *elem);

/**
 * emu_virtq_push:
 * Returns @elem to the driver with @len bytes written, in the used ring
 * (not yet visible: see emu_virtq_flush()); frees @elem.
 * Thread: any thread holding the device lock.
 */
void emu_virtq_push(EmuVirtqueue *vq, EmuVirtqElem *elem, uint32_t len);

/**
 * emu_virtq_flush:
 * Publishes the pushed entries (used idx, after a write barrier) and
 * interrupts the driver unless it asked not to (VIRTQ_AVAIL_F_NO_INTERRUPT,
 * read after a full barrier). No-op when nothing was pushed.
 * Thread: any thread holding the device lock.
 */
void emu_virtq_flush(EmuVirtqueue *vq);

/**
 * emu_virtq_elem_free:
 * Frees an element without returning it (the device is being reset).
 * Thread: any thread.
 */
void emu_virtq_elem_free(EmuVirtqElem *elem);

/**
 * emu_virtq_write:
 * Copies @len bytes from @iov (skipping @skip bytes of it) into the
 * element's writable buffers from byte @offset, invalidating translated
 * code there. Returns: bytes copied.
 * Thread: any thread holding the device lock.
 */
size_t emu_virtq_write(EmuVirtioDevice *vdev, EmuVirtqElem *elem, size_t offset,
                       const struct iovec *iov, int iovcnt, size_t skip,
                       size_t len);

/* ---- transports (virtio-mmio.c, virtio-pci.c) ----------------------- */

/**
 * emu_virtio_mmio_new:
 * @index: slot number or -1 for QEMU's order (highest free slot first)
 *
 * Attaches @vdev to a virtio-mmio version 2 transport on one of the
 * board's slots (virtio 1.2 §4.2).
 * Returns: the transport (freed by emu_virtio_mmio_free()), or NULL
 * with @error set.
 * Thread: main thread, before the machine runs.
 */
void *emu_virtio_mmio_new(EmuVirtioDevice *vdev, EmuVirtioSlots *slots,
                          int index, GError **error);
void emu_virtio_mmio_free(void *transport);

/**
 * emu_virtio_pci_new:
 * @bus: NULL (pcie.0) or the id of a pcie-root-port (see
 *       emu_pci_device_new_on_bus())
 * @devfn: EMU_PCI_DEVFN(slot, fn), or -1 for the first free slot
 * @pci_device_id: 0x1040 + virtio device ID
 * @class_code: PCI class (e.g. 0x020000 for Ethernet)
 *
 * Attaches @vdev to a virtio over PCI modern transport (virtio 1.2 §4.1):
 * vendor 0x1af4, revision 1, its capabilities in a 64-bit memory BAR 4,
 * INTx.
 * Returns: the transport (freed by emu_virtio_pci_free()), or NULL with
 * @error set.
 * Thread: main thread before the machine runs, or (hot-plug behind a
 * root port) any thread holding the device lock.
 */
void *emu_virtio_pci_new(EmuVirtioDevice *vdev, EmuPciHost *host,
                         const char *bus, int devfn, uint16_t pci_device_id,
                         uint32_t class_code, GError **error);
void emu_virtio_pci_free(void *transport);

/**
 * emu_virtio_pci_device:
 * Returns: the transport's PCI function.
 * Thread: any thread.
 */
typedef struct EmuPciDevice EmuPciDevice;
EmuPciDevice *emu_virtio_pci_device(void *transport);

#endif
