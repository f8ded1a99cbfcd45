/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-slots.h: the board's eight virtio-mmio transport slots; a slot
 * answers as an empty transport until a device model claims it. */
#ifndef EMU_HW_VIRTIO_SLOTS_H
#define EMU_HW_VIRTIO_SLOTS_H

#include <stdint.h>
#include <glib.h>

#include "engine/core/irq.h"
#include "engine/core/machine.h"

#define EMU_VIRTIO_SLOT_MAX 8

/* what an unclaimed slot answers (virtio 1.2 §4.2.2, QEMU's values) */
#define EMU_VIRTIO_MMIO_MAGIC   0x74726976 /* "virt" */
#define EMU_VIRTIO_MMIO_VERSION 2
#define EMU_VIRTIO_MMIO_VENDOR  0x554d4551 /* "QEMU" */

typedef struct EmuVirtioSlots EmuVirtioSlots;

/* A claimed slot, as handed to the transport. */
typedef struct EmuVirtioSlot {
    unsigned index;
    uint64_t base;
    uint64_t size;
    EmuIrq *irq; /* the slot's PLIC input (1 + index on virt) */
} EmuVirtioSlot;

/**
 * emu_virtio_slots_new:
 * @irqs: @count interrupt lines, one per slot
 *
 * Registers @count regions of @size bytes from @base, @size apart.
 * Returns: the slot table, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuVirtioSlots *emu_virtio_slots_new(EmuMachine *m, uint64_t base,
                                     uint64_t size, unsigned count,
                                     EmuIrq *const *irqs, GError **error);

/**
 * emu_virtio_slot_claim:
 * @index: slot number, or -1 for the highest free slot (QEMU's order: the
 *         first -device virtio-*-device lands at the highest address, the
 *         first node in its device tree)
 * @ops: the transport's registers, through the core's width adaptation
 * @reset: called (device lock held) when the board resets, may be NULL
 * @slot: (out): where the device landed
 *
 * Hands a slot's register window and interrupt line to a transport.
 * Returns: false with @error set when the slot is taken or none is free.
 * Thread: main thread, before the machine runs.
 */
bool emu_virtio_slot_claim(EmuVirtioSlots *s, int index, const EmuMmioOps *ops,
                           void *opaque, void (*reset)(void *opaque),
                           EmuVirtioSlot *slot, GError **error);

/**
 * emu_virtio_slots_reset:
 * Calls the claimed transports' reset hooks.
 * Thread: any thread holding the device lock.
 */
void emu_virtio_slots_reset(EmuVirtioSlots *s);

/**
 * emu_virtio_slots_free:
 * Thread: main thread, machine stopped.
 */
void emu_virtio_slots_free(EmuVirtioSlots *s);

#endif
