/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-slots.c: the virtio-mmio slot table — eight register windows that
 * read as a device-less transport (virtio 1.2 §4.2.2: DeviceID 0 means no
 * device; a driver must then ignore the slot) until a transport claims
 * one and takes over its window. */
#include "config.h"

#include "emu-error.h"
#include "engine/hw/virtio-slots.h"

/* virtio 1.2 §4.2.2 register offsets read by a probing driver */
#define REG_MAGIC     0x000
#define REG_VERSION   0x004
#define REG_VENDOR_ID 0x00c

typedef struct SlotState {
    EmuVirtioSlots *owner;
    unsigned index;
    uint64_t base;
    EmuIrq *irq;
    bool claimed;
    EmuRegion dev; /* the transport's ops, not in the address space */
    void (*reset)(void *opaque);
} SlotState;

struct EmuVirtioSlots {
    EmuMachine *m;
    unsigned count;
    uint64_t size;
    SlotState slots[EMU_VIRTIO_SLOT_MAX];
};

static uint32_t empty_reg(uint64_t off)
{
    switch (off) {
    case REG_MAGIC:
        return EMU_VIRTIO_MMIO_MAGIC;
    case REG_VERSION:
        return EMU_VIRTIO_MMIO_VERSION;
    case REG_VENDOR_ID:
        return EMU_VIRTIO_MMIO_VENDOR;
    default: /* DeviceID 0: no device */
        return 0;
    }
}

static uint64_t slot_read(void *opaque, uint64_t off, unsigned size)
{
    SlotState *s = opaque;

    if (s->claimed) {
        return emu_mmio_read_locked(&s->dev, off, size);
    }
    if (size == 8) {
        return empty_reg(off) | (uint64_t)empty_reg(off + 4) << 32;
    }
    return empty_reg(off & ~3ULL) >> ((off & 3) * 8);
}

static void slot_write(void *opaque, uint64_t off, uint64_t value,
                       unsigned size)
{
    SlotState *s = opaque;

    if (s->claimed) {
        emu_mmio_write_locked(&s->dev, off, value, size);
    }
}

/*
 * The slot region passes every access size through unchanged so that a
 * claimed transport sees exactly what the guest did (after its own width
 * adaptation below); an empty slot answers 32-bit registers.
 */
static const EmuMmioOps slot_ops = {
    .read = slot_read,
    .write = slot_write,
    .min_access = 1,
    .max_access = 8,
};

EmuVirtioSlots *emu_virtio_slots_new(EmuMachine *m, uint64_t base,
                                     uint64_t size, unsigned count,
                                     EmuIrq *const *irqs, GError **error)
{
    EmuVirtioSlots *vs = g_new0(EmuVirtioSlots, 1);

    vs->m = m;
    vs->count = MIN(count, EMU_VIRTIO_SLOT_MAX);
    vs->size = size;
    for (unsigned i = 0; i < vs->count; i++) {
        SlotState *s = &vs->slots[i];
        g_autofree char *name = g_strdup_printf("virtio-mmio.%u", i);

        s->owner = vs;
        s->index = i;
        s->base = base + i * size;
        s->irq = irqs ? irqs[i] : NULL;
        if (!emu_mem_add_mmio(m, name, s->base, size, &slot_ops, s, error)) {
            g_free(vs);
            return NULL;
        }
    }
    return vs;
}

bool emu_virtio_slot_claim(EmuVirtioSlots *vs, int index, const EmuMmioOps *ops,
                           void *opaque, void (*reset)(void *opaque),
                           EmuVirtioSlot *slot, GError **error)
{
    SlotState *s;

    if (index < 0) {
        for (int i = (int)vs->count - 1; i >= 0; i--) {
            if (!vs->slots[i].claimed) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                        "all %u virtio-mmio slots are in use", vs->count);
            return false;
        }
    }
    if ((unsigned)index >= vs->count || vs->slots[index].claimed) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "virtio-mmio slot %d is %s", index,
                    (unsigned)index >= vs->count ? "invalid" : "in use");
        return false;
    }
    s = &vs->slots[index];
    s->claimed = true;
    s->dev.name = "virtio-mmio";
    s->dev.base = s->base;
    s->dev.size = vs->size;
    s->dev.ops = ops;
    s->dev.opaque = opaque;
    s->reset = reset;
    if (slot) {
        slot->index = index;
        slot->base = s->base;
        slot->size = vs->size;
        slot->irq = s->irq;
    }
    return true;
}

void emu_virtio_slots_reset(EmuVirtioSlots *vs)
{
    for (unsigned i = 0; i < vs->count; i++) {
        SlotState *s = &vs->slots[i];

        if (s->claimed && s->reset) {
            s->reset(s->dev.opaque);
        }
    }
}

void emu_virtio_slots_free(EmuVirtioSlots *vs)
{
    g_free(vs);
}
