/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio.c: the virtio device core — split virtqueues with bounded chain
 * walks, used-ring updates with their barriers, feature negotiation, the
 * status state machine, NEEDS_RESET on a broken ring, and reset.
 * virtio 1.2 §2.1 (status), §2.2 (features), §2.5 (config), §2.7 (split
 * virtqueues), §3.1 (initialisation), §6 (reserved features). */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "engine/hw/virtio.h"

/* Split ring layout (§2.7): a descriptor is 16 bytes; the available ring
 * is flags, idx, ring[num], used_event; the used ring is flags, idx,
 * ring[num] of {id, len}, avail_event. */
#define DESC_SIZE      16
#define AVAIL_FLAGS    0
#define AVAIL_IDX      2
#define AVAIL_RING     4
#define USED_FLAGS     0
#define USED_IDX       2
#define USED_RING      4
#define USED_ELEM_SIZE 8

/* §2.7 table "Virtqueue Part Alignment" */
#define DESC_ALIGN  16
#define AVAIL_ALIGN 2
#define USED_ALIGN  4

typedef struct VirtqDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VirtqDesc;

static uint16_t ld16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return GUINT16_FROM_LE(v);
}

static uint32_t ld32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return GUINT32_FROM_LE(v);
}

static uint64_t ld64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}

static void st32(uint8_t *p, uint32_t v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}

/* Ring indices the driver updates concurrently: single aligned 16-bit
 * accesses (the enable path checked the ring alignment). */
static uint16_t ring_load16(const uint8_t *p, int order)
{
    return GUINT16_FROM_LE(__atomic_load_n((const uint16_t *)p, order));
}

static void ring_store16(uint8_t *p, uint16_t v, int order)
{
    __atomic_store_n((uint16_t *)p, GUINT16_TO_LE(v), order);
}

/*
 * Host view of guest memory the device will touch: only RAM (or ROM for
 * reads), the whole range inside one region. NULL for anything else —
 * an MMIO address or a range running off the end of RAM.
 */
static uint8_t *map_guest(EmuVirtioDevice *vdev, uint64_t addr, uint64_t len,
                          bool write)
{
    EmuRegion *r = emu_mem_find(vdev->m, addr);
    uint64_t off;

    if (!r || !r->host || (write && r->readonly)) {
        return NULL;
    }
    off = addr - r->base;
    if (len > r->size - off) {
        return NULL;
    }
    return r->host + off;
}

/* ---- device state ------------------------------------------------------ */

void emu_virtio_init(EmuVirtioDevice *vdev, EmuMachine *m, const char *name,
                     uint16_t device_id, uint64_t host_features,
                     unsigned num_queues, const uint16_t *queue_sizes,
                     unsigned config_len, const EmuVirtioDeviceOps *ops)
{
    vdev->m = m;
    vdev->name = g_strdup(name);
    vdev->device_id = device_id;
    vdev->host_features =
        host_features | EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1);
    vdev->num_queues = num_queues;
    vdev->vqs = g_new0(EmuVirtqueue, num_queues);
    for (unsigned i = 0; i < num_queues; i++) {
        EmuVirtqueue *vq = &vdev->vqs[i];

        vq->vdev = vdev;
        vq->index = i;
        vq->num_max = MIN(queue_sizes[i], EMU_VIRTQ_MAX_SIZE);
        vq->num = vq->num_max;
        vq->scratch_iov = g_new(struct iovec, EMU_VIRTQ_MAX_CHAIN);
        vq->scratch_addr = g_new(uint64_t, EMU_VIRTQ_MAX_CHAIN);
    }
    vdev->config_len = config_len;
    vdev->config = g_malloc0(MAX(config_len, 1));
    vdev->ops = ops;
}

void emu_virtio_cleanup(EmuVirtioDevice *vdev)
{
    for (unsigned i = 0; i < vdev->num_queues; i++) {
        g_free(vdev->vqs[i].scratch_iov);
        g_free(vdev->vqs[i].scratch_addr);
    }
    g_free(vdev->vqs);
    g_free(vdev->config);
    g_free(vdev->name);
    vdev->vqs = NULL;
    vdev->config = NULL;
    vdev->name = NULL;
}

static void update_irq(EmuVirtioDevice *vdev)
{
    if (vdev->tops && vdev->tops->update_irq) {
        vdev->tops->update_irq(vdev);
    }
}

static void queue_reset(EmuVirtqueue *vq)
{
    vq->ready = false;
    vq->num = vq->num_max;
    vq->desc_addr = vq->avail_addr = vq->used_addr = 0;
    vq->desc = vq->avail = vq->used = NULL;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->pending = 0;
}

void emu_virtio_reset(EmuVirtioDevice *vdev)
{
    vdev->status = 0;
    vdev->guest_features = 0;
    vdev->device_features_sel = 0;
    vdev->driver_features_sel = 0;
    vdev->queue_sel = 0;
    vdev->broken = false;
    for (unsigned i = 0; i < vdev->num_queues; i++) {
        queue_reset(&vdev->vqs[i]);
    }
    if (vdev->ops && vdev->ops->reset) {
        vdev->ops->reset(vdev);
    }
    vdev->isr = 0;
    update_irq(vdev);
}

void emu_virtio_set_status(EmuVirtioDevice *vdev, uint8_t value)
{
    uint8_t old = vdev->status;
    uint8_t status;

    if (value == 0) {
        emu_virtio_reset(vdev);
        return;
    }
    /* §3.1.1 step 5-6: FEATURES_OK sticks only for an acceptable set */
    if ((value & EMU_VIRTIO_STATUS_FEATURES_OK) &&
        !(old & EMU_VIRTIO_STATUS_FEATURES_OK)) {
        uint64_t f = vdev->guest_features;

        if ((f & ~vdev->host_features) ||
            !(f & EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1))) {
            value &= ~EMU_VIRTIO_STATUS_FEATURES_OK;
        }
    }
    /* a modern device cannot run without negotiated features */
    if ((value & EMU_VIRTIO_STATUS_DRIVER_OK) &&
        !(value & EMU_VIRTIO_STATUS_FEATURES_OK)) {
        emu_guest_error(&vdev->log, vdev->name,
                        "DRIVER_OK without FEATURES_OK (status 0x%02x)", value);
        value &= ~EMU_VIRTIO_STATUS_DRIVER_OK;
    }
    status = value | (old & EMU_VIRTIO_STATUS_NEEDS_RESET);
    vdev->status = status;
    if (status != old && vdev->ops && vdev->ops->status_changed) {
        vdev->ops->status_changed(vdev, old);
    }
}

uint32_t emu_virtio_device_features(EmuVirtioDevice *vdev, uint32_t sel)
{
    return sel < 2 ? (uint32_t)(vdev->host_features >> (32 * sel)) : 0;
}

uint32_t emu_virtio_driver_features(EmuVirtioDevice *vdev, uint32_t sel)
{
    return sel < 2 ? (uint32_t)(vdev->guest_features >> (32 * sel)) : 0;
}

void emu_virtio_set_driver_features(EmuVirtioDevice *vdev, uint32_t sel,
                                    uint32_t value)
{
    uint64_t mask;

    if (vdev->status & EMU_VIRTIO_STATUS_FEATURES_OK) {
        emu_guest_error(&vdev->log, vdev->name,
                        "feature write after FEATURES_OK ignored");
        return;
    }
    if (sel >= 2) {
        if (value) {
            emu_guest_error(&vdev->log, vdev->name,
                            "features 0x%08x in unknown window %u ignored",
                            value, sel);
        }
        return;
    }
    mask = 0xffffffffULL << (32 * sel);
    vdev->guest_features =
        (vdev->guest_features & ~mask) | ((uint64_t)value << (32 * sel));
}

uint32_t emu_virtio_config_read(EmuVirtioDevice *vdev, uint64_t offset,
                                unsigned size)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < size && i < 4; i++) {
        if (offset + i < vdev->config_len) {
            v |= (uint32_t)vdev->config[offset + i] << (8 * i);
        }
    }
    return v;
}

void emu_virtio_config_write(EmuVirtioDevice *vdev, uint64_t offset,
                             uint32_t value, unsigned size)
{
    if (offset >= vdev->config_len || size > vdev->config_len - offset) {
        emu_guest_error(&vdev->log, vdev->name,
                        "config write at 0x%" PRIx64 " outside the space",
                        offset);
        return;
    }
    if (vdev->ops && vdev->ops->config_write) {
        vdev->ops->config_write(vdev, offset, value, size);
    }
}

/* ---- interrupts and errors -------------------------------------------- */

void emu_virtio_raise(EmuVirtioDevice *vdev, uint8_t bits)
{
    if ((vdev->isr | bits) != vdev->isr) {
        vdev->isr |= bits;
        update_irq(vdev);
    }
}

void emu_virtio_isr_ack(EmuVirtioDevice *vdev, uint8_t bits)
{
    if (vdev->isr & bits) {
        vdev->isr &= ~bits;
        update_irq(vdev);
    }
}

uint8_t emu_virtio_isr_read_clear(EmuVirtioDevice *vdev)
{
    uint8_t v = vdev->isr;

    if (v) {
        vdev->isr = 0;
        update_irq(vdev);
    }
    return v;
}

void emu_virtio_config_changed(EmuVirtioDevice *vdev)
{
    vdev->config_generation++;
    if (vdev->status & EMU_VIRTIO_STATUS_DRIVER_OK) {
        emu_virtio_raise(vdev, EMU_VIRTIO_ISR_CONFIG);
    }
}

void emu_virtio_error(EmuVirtioDevice *vdev, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    emu_guest_error(&vdev->log, vdev->name, "%s; device needs reset", msg);
    if (vdev->broken) {
        return;
    }
    vdev->broken = true;
    vdev->status |= EMU_VIRTIO_STATUS_NEEDS_RESET;
    /* §2.1.2: with DRIVER_OK set, tell the driver through a configuration
     * change notification */
    if (vdev->status & EMU_VIRTIO_STATUS_DRIVER_OK) {
        emu_virtio_raise(vdev, EMU_VIRTIO_ISR_CONFIG);
    }
}

bool emu_virtio_running(EmuVirtioDevice *vdev)
{
    if (!(vdev->status & EMU_VIRTIO_STATUS_DRIVER_OK) || vdev->broken) {
        return false;
    }
    return !vdev->tops || !vdev->tops->dma_enabled ||
           vdev->tops->dma_enabled(vdev);
}

/* ---- queue setup ------------------------------------------------------ */

EmuVirtqueue *emu_virtio_queue(EmuVirtioDevice *vdev, unsigned index)
{
    if (index >= vdev->num_queues || !vdev->vqs[index].num_max) {
        return NULL;
    }
    return &vdev->vqs[index];
}

bool emu_virtio_queue_enable(EmuVirtqueue *vq)
{
    EmuVirtioDevice *vdev = vq->vdev;
    unsigned num = vq->num;

    if (vdev->broken) {
        return false;
    }
    /* §2.7: the split ring's size is a power of two (free-running 16-bit
     * indices must wrap on a ring boundary) */
    if (num == 0 || num > vq->num_max || (num & (num - 1))) {
        emu_virtio_error(vdev, "queue %u: invalid size %u (max %u)", vq->index,
                         num, vq->num_max);
        return false;
    }
    if ((vq->desc_addr & (DESC_ALIGN - 1)) ||
        (vq->avail_addr & (AVAIL_ALIGN - 1)) ||
        (vq->used_addr & (USED_ALIGN - 1))) {
        emu_virtio_error(vdev, "queue %u: misaligned rings", vq->index);
        return false;
    }
    vq->desc = map_guest(vdev, vq->desc_addr, (uint64_t)DESC_SIZE * num, false);
    vq->avail =
        map_guest(vdev, vq->avail_addr, AVAIL_RING + 2 * num + 2, false);
    vq->used = map_guest(vdev, vq->used_addr,
                         USED_RING + USED_ELEM_SIZE * num + 2, true);
    if (!vq->desc || !vq->avail || !vq->used) {
        emu_virtio_error(vdev,
                         "queue %u: rings outside RAM (desc 0x%" PRIx64
                         " avail 0x%" PRIx64 " used 0x%" PRIx64 ")",
                         vq->index, vq->desc_addr, vq->avail_addr,
                         vq->used_addr);
        vq->desc = vq->avail = vq->used = NULL;
        return false;
    }
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->pending = 0;
    /* the device owns the used ring: start it clean (flags 0: we always
     * want notifications) */
    ring_store16(vq->used + USED_FLAGS, 0, __ATOMIC_RELAXED);
    ring_store16(vq->used + USED_IDX, 0, __ATOMIC_RELEASE);
    emu_mem_dirty(vdev->m, vq->used_addr, 4);
    vq->ready = true;
    return true;
}

void emu_virtio_queue_disable(EmuVirtqueue *vq)
{
    vq->ready = false;
    vq->desc = vq->avail = vq->used = NULL;
}

void emu_virtio_queue_notify(EmuVirtioDevice *vdev, unsigned index)
{
    EmuVirtqueue *vq = emu_virtio_queue(vdev, index);

    if (!vq) {
        emu_guest_error(&vdev->log, vdev->name,
                        "notify for queue %u that does not exist", index);
        return;
    }
    /* §2.7.13 / §3.1.1: no buffer is consumed before DRIVER_OK */
    if (!vq->ready || !emu_virtio_running(vdev)) {
        return;
    }
    if (vdev->ops && vdev->ops->queue_notify) {
        vdev->ops->queue_notify(vdev, index);
    }
}

/* ---- split virtqueue --------------------------------------------------- */

unsigned emu_virtq_avail(EmuVirtqueue *vq)
{
    uint16_t idx, n;

    if (!vq->ready || vq->vdev->broken) {
        return 0;
    }
    /* acquire: the ring entries and descriptors the driver wrote before
     * bumping idx are visible after this load (§2.7.13 step 3-4) */
    idx = ring_load16(vq->avail + AVAIL_IDX, __ATOMIC_ACQUIRE);
    n = idx - vq->last_avail_idx;
    if (n > vq->num) {
        emu_virtio_error(vq->vdev,
                         "queue %u: avail idx %u is %u entries ahead of %u "
                         "(size %u)",
                         vq->index, idx, n, vq->last_avail_idx, vq->num);
        return 0;
    }
    return n;
}

static void read_desc(const uint8_t *table, unsigned i, VirtqDesc *d)
{
    uint8_t raw[DESC_SIZE];

    /* one copy: the driver may rewrite it under us, we use what we read */
    memcpy(raw, table + (size_t)i * DESC_SIZE, DESC_SIZE);
    d->addr = ld64(raw);
    d->len = ld32(raw + 8);
    d->flags = ld16(raw + 12);
    d->next = ld16(raw + 14);
}

EmuVirtqElem *emu_virtq_pop(EmuVirtqueue *vq)
{
    EmuVirtioDevice *vdev = vq->vdev;
    const uint8_t *table = vq->desc;
    unsigned table_len = vq->num, steps = 0, n = 0, in_num = 0;
    uint64_t total = 0;
    bool indirect = false;
    uint16_t head, idx;
    EmuVirtqElem *elem;
    size_t out_len = 0, in_len = 0;
    uint8_t *mem;

    if (emu_virtq_avail(vq) == 0) {
        return NULL;
    }
    head = ring_load16(vq->avail + AVAIL_RING +
                           2 * (vq->last_avail_idx & (vq->num - 1)),
                       __ATOMIC_RELAXED);
    if (head >= vq->num) {
        emu_virtio_error(vdev, "queue %u: head %u out of range (size %u)",
                         vq->index, head, vq->num);
        return NULL;
    }
    idx = head;
    for (;;) {
        VirtqDesc d;
        bool write;
        uint8_t *host = NULL;

        read_desc(table, idx, &d);
        if (d.flags & EMU_VIRTQ_DESC_F_INDIRECT) {
            /* §2.7.5.3.1: only with the feature, never with NEXT, never
             * inside a table; we also take it only as a chain's head */
            if (!emu_virtio_has_feature(vdev, EMU_VIRTIO_F_INDIRECT_DESC) ||
                indirect || steps > 0 || (d.flags & EMU_VIRTQ_DESC_F_NEXT)) {
                emu_virtio_error(vdev,
                                 "queue %u: invalid indirect descriptor %u "
                                 "(flags 0x%x%s)",
                                 vq->index, idx, d.flags,
                                 indirect ? ", nested" : "");
                return NULL;
            }
            if (d.len == 0 || d.len % DESC_SIZE ||
                d.len / DESC_SIZE > EMU_VIRTQ_MAX_INDIRECT) {
                emu_virtio_error(vdev, "queue %u: indirect table of %u bytes",
                                 vq->index, d.len);
                return NULL;
            }
            table = map_guest(vdev, d.addr, d.len, false);
            if (!table) {
                emu_virtio_error(vdev,
                                 "queue %u: indirect table at 0x%" PRIx64
                                 " outside RAM",
                                 vq->index, d.addr);
                return NULL;
            }
            table_len = d.len / DESC_SIZE;
            indirect = true;
            idx = 0;
            continue;
        }
        /* the count bound makes a loop impossible: a chain visits at most
         * every descriptor of its table once */
        if (++steps > table_len || n >= EMU_VIRTQ_MAX_CHAIN) {
            emu_virtio_error(vdev,
                             "queue %u: chain from head %u longer than %u "
                             "descriptors (loop?)",
                             vq->index, head, table_len);
            return NULL;
        }
        write = d.flags & EMU_VIRTQ_DESC_F_WRITE;
        if (!write && in_num) {
            emu_virtio_error(vdev,
                             "queue %u: readable descriptor after a "
                             "writable one in chain %u",
                             vq->index, head);
            return NULL;
        }
        total += d.len;
        if (total > EMU_VIRTQ_MAX_CHAIN_BYTES) {
            emu_virtio_error(vdev, "queue %u: chain %u exceeds %u bytes",
                             vq->index, head, EMU_VIRTQ_MAX_CHAIN_BYTES);
            return NULL;
        }
        if (d.len) {
            host = map_guest(vdev, d.addr, d.len, write);
            if (!host) {
                emu_virtio_error(vdev,
                                 "queue %u: buffer 0x%" PRIx64 "+%u outside "
                                 "%sRAM",
                                 vq->index, d.addr, d.len,
                                 write ? "writable " : "");
                return NULL;
            }
        }
        vq->scratch_iov[n].iov_base = host;
        vq->scratch_iov[n].iov_len = d.len;
        vq->scratch_addr[n] = d.addr;
        n++;
        if (write) {
            in_num++;
            in_len += d.len;
        } else {
            out_len += d.len;
        }
        if (!(d.flags & EMU_VIRTQ_DESC_F_NEXT)) {
            break;
        }
        if (d.next >= table_len) {
            emu_virtio_error(vdev,
                             "queue %u: next %u out of range (%u entries)",
                             vq->index, d.next, table_len);
            return NULL;
        }
        idx = d.next;
    }
    vq->last_avail_idx++;

    /* one allocation, bounded by EMU_VIRTQ_MAX_CHAIN entries */
    mem = g_malloc(sizeof(*elem) + n * sizeof(struct iovec) +
                   in_num * sizeof(uint64_t));
    elem = (EmuVirtqElem *)mem;
    elem->head = head;
    elem->out_num = n - in_num;
    elem->in_num = in_num;
    elem->out_len = out_len;
    elem->in_len = in_len;
    elem->out = (struct iovec *)(mem + sizeof(*elem));
    elem->in = elem->out + elem->out_num;
    elem->in_addr = (uint64_t *)(elem->out + n);
    memcpy(elem->out, vq->scratch_iov, n * sizeof(struct iovec));
    memcpy(elem->in_addr, vq->scratch_addr + elem->out_num,
           in_num * sizeof(uint64_t));
    return elem;
}

void emu_virtq_elem_free(EmuVirtqElem *elem)
{
    g_free(elem);
}

void emu_virtq_unpop(EmuVirtqueue *vq, EmuVirtqElem *elem)
{
    vq->last_avail_idx--;
    g_free(elem);
}

void emu_virtq_push(EmuVirtqueue *vq, EmuVirtqElem *elem, uint32_t len)
{
    unsigned slot;
    uint8_t *p;

    if (!vq->ready) {
        g_free(elem);
        return;
    }
    slot = vq->used_idx & (vq->num - 1);
    p = vq->used + USED_RING + (size_t)slot * USED_ELEM_SIZE;
    st32(p, elem->head);
    st32(p + 4, len);
    emu_mem_dirty(vq->vdev->m,
                  vq->used_addr + USED_RING + (uint64_t)slot * USED_ELEM_SIZE,
                  USED_ELEM_SIZE);
    vq->used_idx++;
    vq->pending++;
    g_free(elem);
}

void emu_virtq_flush(EmuVirtqueue *vq)
{
    uint16_t flags;

    if (!vq->pending || !vq->ready) {
        vq->pending = 0;
        return;
    }
    vq->pending = 0;
    /* release: the used elements are visible before the new idx
     * (§2.7.8, the device's write barrier) */
    ring_store16(vq->used + USED_IDX, vq->used_idx, __ATOMIC_RELEASE);
    emu_mem_dirty(vq->vdev->m, vq->used_addr + USED_IDX, 2);
    /* full barrier between publishing idx and reading the driver's
     * suppression flag, or a driver re-enabling interrupts could miss
     * this update (§2.7.10) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    flags = ring_load16(vq->avail + AVAIL_FLAGS, __ATOMIC_RELAXED);
    if (!(flags & EMU_VIRTQ_AVAIL_F_NO_INTERRUPT)) {
        emu_virtio_raise(vq->vdev, EMU_VIRTIO_ISR_QUEUE);
    }
}

size_t emu_virtq_write(EmuVirtioDevice *vdev, EmuVirtqElem *elem, size_t offset,
                       const struct iovec *iov, int iovcnt, size_t skip,
                       size_t len)
{
    size_t done = 0;
    unsigned d = 0;
    int s = 0;

    /* find the destination and source positions */
    while (d < elem->in_num && offset >= elem->in[d].iov_len) {
        offset -= elem->in[d].iov_len;
        d++;
    }
    while (s < iovcnt && skip >= iov[s].iov_len) {
        skip -= iov[s].iov_len;
        s++;
    }
    while (done < len && d < elem->in_num && s < iovcnt) {
        size_t room = elem->in[d].iov_len - offset;
        size_t avail = iov[s].iov_len - skip;
        size_t chunk = MIN(MIN(room, avail), len - done);

        memcpy((uint8_t *)elem->in[d].iov_base + offset,
               (const uint8_t *)iov[s].iov_base + skip, chunk);
        emu_mem_dirty(vdev->m, elem->in_addr[d] + offset, chunk);
        done += chunk;
        offset += chunk;
        skip += chunk;
        if (offset == elem->in[d].iov_len) {
            d++;
            offset = 0;
        }
        if (skip == iov[s].iov_len) {
            s++;
            skip = 0;
        }
    }
    return done;
}
