/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virt.h: the QEMU-"virt"-compatible RISC-V board — memory map, build,
 * reset, and what later device models need to plug in. */
#ifndef EMU_HW_VIRT_H
#define EMU_HW_VIRT_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "engine/core/chardev.h"
#include "engine/core/machine.h"

typedef struct EmuPciHost EmuPciHost;
typedef struct EmuVirtioSlots EmuVirtioSlots;
typedef struct EmuPlic EmuPlic;

/* The board's memory map (DESIGN.md §1, QEMU hw/riscv/virt.c virt_memmap) */
typedef enum {
    EMU_VIRT_MROM,
    EMU_VIRT_TEST,
    EMU_VIRT_RTC,
    EMU_VIRT_CLINT,
    EMU_VIRT_PCIE_PIO,
    EMU_VIRT_PLIC,
    EMU_VIRT_UART0,
    EMU_VIRT_VIRTIO,
    EMU_VIRT_PCIE_ECAM,
    EMU_VIRT_PCIE_MMIO,
    EMU_VIRT_DRAM,
    EMU_VIRT_NR
} EmuVirtDev;

typedef struct EmuVirtMapEntry {
    const char *node; /* DT node name under /soc, NULL: none of its own */
    uint64_t base;
    uint64_t size;         /* per instance; DRAM: 0 (= -m) */
    unsigned irq;          /* PLIC source (first one for several), 0: none */
    unsigned count;        /* instances, @size apart (virtio-mmio: 8) */
    const char *compat[4]; /* DT compatible list, NULL-terminated */
} EmuVirtMapEntry;

#define EMU_VIRT_PCIE_IRQ           32 /* INTA..INTD -> PLIC 32..35 */
#define EMU_VIRT_HIGH_MMIO_SIZE     (16ULL << 30)
#define EMU_VIRT_KERNEL_ALIGN       (2ULL << 20)
#define EMU_VIRT_FW_DYNAMIC_MAGIC   0x4942534f /* "OSBI" */
#define EMU_VIRT_FW_DYNAMIC_VERSION 2

/**
 * emu_virt_memmap:
 * Returns: the board's table, indexed by EmuVirtDev: one table both places
 * the devices and writes their device-tree nodes.
 * Thread: any thread.
 */
const EmuVirtMapEntry *emu_virt_memmap(void);

typedef struct EmuVirtConfig {
    uint64_t ram_size;
    unsigned smp;
    /* firmware path, "none", or NULL for the default fw_dynamic.bin found
     * in the guest cache ($VMKIT_GUEST_CACHE/images, else
     * $XDG_CACHE_HOME/vmkit/images, else /var/cache/vmkit/images for root
     * or ~/.cache/vmkit/images), then Debian's opensbi/qemu packages */
    const char *bios;
    const char *kernel;
    const char *initrd;
    const char *append;
    const char *dumpdtb; /* write the device tree here after building */
    EmuChardev *serial;  /* UART0 backend, may be NULL */
} EmuVirtConfig;

/**
 * emu_virt_build:
 * Populates the empty machine @m: RAM at 0x80000000, the MROM with the
 * reset vector and fw_dynamic info, CLINT, PLIC, UART0, RTC, test device,
 * PCIe host, virtio-mmio slots, @cfg->smp harts (reset to 0x1000 with
 * a1 = FDT address, a2 = fw_dynamic info), firmware, kernel, initrd and
 * the device tree. With bios "none" a kernel runs in M-mode from the reset
 * vector.
 * Returns: false with @error set (missing file, image too big, -m too
 * large for the host, bad -smp).
 * Thread: main thread, before the machine runs.
 */
bool emu_virt_build(EmuMachine *m, const EmuVirtConfig *cfg, GError **error);

/**
 * emu_virt_reset:
 * Reboots: resets every device, rewrites the boot images and the MROM,
 * resets the harts to the reset vector.
 * Returns: false with @error set if an image could not be rewritten.
 * Thread: main thread, harts stopped.
 */
bool emu_virt_reset(EmuMachine *m, GError **error);

/**
 * emu_virt_free:
 * Stops the I/O thread and frees the board state (devices, images, FDT).
 * Call before emu_machine_free().
 * Thread: main thread, harts stopped.
 */
void emu_virt_free(EmuMachine *m);

/**
 * emu_virt_fdt / emu_virt_fdt_addr:
 * Returns: the flattened device tree blob and its guest address.
 * Thread: any thread.
 */
GBytes *emu_virt_fdt(EmuMachine *m);
uint64_t emu_virt_fdt_addr(EmuMachine *m);

/**
 * emu_virt_pci_host / emu_virt_virtio_slots / emu_virt_plic:
 * Where later device models plug in (virtio-net-pci, e1000 through
 * pci.h; virtio-mmio transports through virtio-slots.h). Devices must be
 * plugged before the machine runs; the device tree does not list PCI
 * functions (the guest enumerates them).
 * Thread: main thread.
 */
EmuPciHost *emu_virt_pci_host(EmuMachine *m);
EmuVirtioSlots *emu_virt_virtio_slots(EmuMachine *m);
EmuPlic *emu_virt_plic(EmuMachine *m);

/**
 * emu_virt_add_reset:
 * Registers @fn(@opaque) to run (device lock held) on every board reset,
 * for device models that are neither PCI functions nor virtio slots.
 * Thread: main thread, before the machine runs.
 */
void emu_virt_add_reset(EmuMachine *m, void (*fn)(void *opaque), void *opaque);

/**
 * emu_virt_default_bios:
 * Returns: the default firmware path that exists, or NULL with @error
 * listing where it was looked for.
 * Thread: any thread.
 */
char *emu_virt_default_bios(GError **error);

#endif
