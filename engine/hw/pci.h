/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pci.h: PCI devices behind the board's generic PCIe (ECAM) host bridge —
 * configuration space, BARs, INTx — and the host bridge itself. */
#ifndef EMU_HW_PCI_H
#define EMU_HW_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "engine/core/irq.h"
#include "engine/core/machine.h"
#include "engine/core/memory.h"

/* Configuration header offsets (PCI Local Bus spec 3.0 §6.1, type 0) */
#define EMU_PCI_VENDOR_ID           0x00
#define EMU_PCI_DEVICE_ID           0x02
#define EMU_PCI_COMMAND             0x04
#define EMU_PCI_STATUS              0x06
#define EMU_PCI_REVISION_ID         0x08
#define EMU_PCI_CLASS_PROG          0x09
#define EMU_PCI_CLASS_DEVICE        0x0a
#define EMU_PCI_CACHE_LINE_SIZE     0x0c
#define EMU_PCI_LATENCY_TIMER       0x0d
#define EMU_PCI_HEADER_TYPE         0x0e
#define EMU_PCI_BASE_ADDRESS_0      0x10
#define EMU_PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define EMU_PCI_SUBSYSTEM_ID        0x2e
#define EMU_PCI_ROM_ADDRESS         0x30
#define EMU_PCI_CAPABILITY_LIST     0x34
#define EMU_PCI_INTERRUPT_LINE      0x3c
#define EMU_PCI_INTERRUPT_PIN       0x3d

#define EMU_PCI_COMMAND_IO           0x0001
#define EMU_PCI_COMMAND_MEMORY       0x0002
#define EMU_PCI_COMMAND_MASTER       0x0004
#define EMU_PCI_COMMAND_INTX_DISABLE 0x0400
#define EMU_PCI_STATUS_INTERRUPT     0x0008
#define EMU_PCI_STATUS_CAP_LIST      0x0010

#define EMU_PCI_NUM_BARS     6
#define EMU_PCI_CONFIG_SIZE  256  /* conventional PCI */
#define EMU_PCIE_CONFIG_SIZE 4096 /* PCI Express extended space */
#define EMU_PCI_BAR_UNMAPPED (~0ULL)

#define EMU_PCI_DEVFN(slot, fn) (((slot) << 3) | (fn))
#define EMU_PCI_SLOT(devfn)     (((devfn) >> 3) & 0x1f)

/* BAR kinds: the low bits of the BAR register (§6.2.5.1) */
#define EMU_PCI_BAR_MEM32    0x0
#define EMU_PCI_BAR_IO       0x1
#define EMU_PCI_BAR_MEM64    0x4
#define EMU_PCI_BAR_PREFETCH 0x8

typedef struct EmuPciHost EmuPciHost;
typedef struct EmuPciDevice EmuPciDevice;

/*
 * What a device model declares when it plugs in. Hooks are optional and
 * run with the device lock held (hart or I/O thread).
 */
typedef struct EmuPciDeviceInfo {
    const char *name;
    uint16_t vendor_id;
    uint16_t device_id;
    uint16_t subsystem_vendor_id;
    uint16_t subsystem_id;
    uint8_t revision;
    uint32_t class_code;   /* 24 bits: base class << 16 | sub << 8 | prog-if */
    uint8_t interrupt_pin; /* 0 = none, 1 = INTA# .. 4 = INTD# */
    bool express;          /* 4 KiB configuration space */
    /* answer a configuration read yourself: return true and set *value
     * (size bytes at offset); false for the generic answer */
    bool (*config_read)(EmuPciDevice *d, uint32_t offset, unsigned size,
                        uint32_t *value);
    /* called after the generic write updated configuration space */
    void (*config_write)(EmuPciDevice *d, uint32_t offset, uint32_t value,
                         unsigned size);
    /* device part of a reset (the generic header is reset before) */
    void (*reset)(EmuPciDevice *d);
} EmuPciDeviceInfo;

/* Where the host bridge lives (QEMU virt's gpex layout). Bus addresses
 * equal CPU addresses in the MMIO windows; I/O bus address 0 is at
 * pio_base. */
typedef struct EmuPcieHostConfig {
    uint64_t ecam_base, ecam_size;           /* 1 MiB per bus */
    uint64_t mmio_base, mmio_size;           /* 32-bit window */
    uint64_t high_mmio_base, high_mmio_size; /* 64-bit window, size 0 = none */
    uint64_t pio_base, pio_size;
    EmuIrq *intx[4]; /* INTA..INTD (PLIC 32..35) */
} EmuPcieHostConfig;

/**
 * emu_pcie_host_new:
 * Registers the ECAM, MMIO and I/O window regions and the root complex
 * function 00:00.0 (Red Hat gpex root, 1b36:0008, class 0600). BARs of
 * devices plugged later are reached through the window regions, so no
 * region is added at run time.
 * Returns: the host, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuPciHost *emu_pcie_host_new(EmuMachine *m, const EmuPcieHostConfig *cfg,
                              GError **error);

/**
 * emu_pcie_host_reset:
 * Resets every function (command, BARs, interrupt line, device hook).
 * Thread: any thread holding the device lock.
 */
void emu_pcie_host_reset(EmuPciHost *h);

/**
 * emu_pcie_host_free:
 * Frees the host and its EmuPciDevice structures (not the devices'
 * opaque state, which belongs to their models).
 * Thread: main thread, machine stopped.
 */
void emu_pcie_host_free(EmuPciHost *h);

/**
 * emu_pci_device_new:
 * @devfn: EMU_PCI_DEVFN(slot, fn), or -1 for function 0 of the first free
 *         slot from 1 (QEMU's order for -device)
 * @info: copied; its strings must outlive the device
 *
 * Plugs a function into bus 0.
 * Returns: the device, or NULL with @error set (slot taken, bus full).
 * Thread: main thread, before the machine runs.
 */
EmuPciDevice *emu_pci_device_new(EmuPciHost *h, int devfn,
                                 const EmuPciDeviceInfo *info, void *opaque,
                                 GError **error);

/**
 * emu_pci_device_new_on_bus:
 * @bus: NULL, "pcie.0" or "pci.0" for bus 0, else the id of a
 *       pcie-root-port (its secondary bus, where only slot 0 exists)
 *
 * As emu_pci_device_new() on any bus. Behind a root port the function
 * fills the port's slot: while the machine is not live (see
 * emu_pcie_host_set_live()) the slot simply starts populated and powered;
 * on a live machine this is a hot-plug — presence detect and the
 * attention button change, and the port interrupts if the guest asked
 * for it, as QEMU's pcie_cap_slot_plug_cb(). Plug a device and set up its
 * BARs under one hold of the device lock so the guest never sees it half
 * built.
 * Returns: the device, or NULL with @error set (unknown bus "Bus 'X' not
 * found", slot taken, bad address).
 * Thread: main thread before the machine runs, or any thread holding the
 * device lock once it is live.
 */
EmuPciDevice *emu_pci_device_new_on_bus(EmuPciHost *h, const char *bus,
                                        int devfn,
                                        const EmuPciDeviceInfo *info,
                                        void *opaque, GError **error);

/**
 * emu_pci_set_hotplug:
 * Names the function with its -device id (for device_del and "info pci")
 * and says how its model goes away: once the guest let go of the slot
 * (or at once for an unpowered slot), the function is taken off the bus
 * and @unplug(@opaque) runs on the I/O thread with the device lock held;
 * it must free the model (the EmuPciDevice itself is freed after it).
 * Thread: same as emu_pci_device_new_on_bus().
 */
void emu_pci_set_hotplug(EmuPciDevice *d, const char *id,
                         void (*unplug)(void *opaque), void *opaque);
const char *emu_pci_id(EmuPciDevice *d);

/**
 * emu_pci_parse_addr:
 * QEMU's addr= syntax, "slot[.function]" in hexadecimal (0x prefixes
 * allowed, as libvirt writes them).
 * Returns: false with @error on bad syntax.
 * Thread: any thread.
 */
bool emu_pci_parse_addr(const char *v, int *devfn, GError **error);

/* ---- PCIe root ports and native hot-plug (pcie-root-port.c) ------------ */

typedef struct EmuPcieRootPortConfig {
    const char *id;   /* required: the secondary bus's name (bus=) */
    unsigned chassis; /* chassis=, 0..255 */
    unsigned slot;    /* slot=: Physical Slot Number, 0..8191 */
    int devfn;        /* addr= on bus 0, or -1: first free slot */
} EmuPcieRootPortConfig;

/**
 * emu_pcie_root_port_new:
 * Plugs a QEMU "pcie-root-port" (1b36:000c, class 0604) into bus 0: a
 * type 1 header whose bus numbers and windows route configuration and
 * memory/I/O cycles to its secondary bus, and a PCI Express capability
 * with a hot-plug capable slot (attention button, power controller,
 * attention and power indicators, Data Link Layer Link Active
 * Reporting), its events signalled on INTA#.
 * Returns: the port's function, or NULL with @error (duplicate id or
 * chassis/slot pair, address taken).
 * Thread: main thread, before the machine runs.
 */
EmuPciDevice *emu_pcie_root_port_new(EmuPciHost *h,
                                     const EmuPcieRootPortConfig *cfg,
                                     GError **error);

/**
 * emu_pcie_root_port_create:
 * The same from "-device pcie-root-port,id=ID,chassis=N,slot=N[,bus=pcie.0]
 * [,addr=SLOT[.FN]][,port=N][,multifunction=on|off]" (@text without the
 * driver name is fine too: "id=rp1,slot=1").
 * Thread: main thread, before the machine runs.
 */
bool emu_pcie_root_port_create(EmuPciHost *h, const char *text,
                               GError **error);

/**
 * emu_pcie_host_set_live:
 * From now on a function plugged behind a root port is a hot-plug (the
 * guest is told). Called once the machine is built.
 * Thread: main thread.
 */
void emu_pcie_host_set_live(EmuPciHost *h);

/**
 * emu_pcie_host_find:
 * Returns: the function whose -device id is @id, or NULL.
 * Thread: any thread holding the device lock.
 */
EmuPciDevice *emu_pcie_host_find(EmuPciHost *h, const char *id);

/**
 * emu_pci_unplug_request:
 * device_del: asks the guest to release the function's slot by pressing
 * the port's attention button (PCIe Base spec §6.7.1.5); the function
 * goes once the guest turns the slot's power and power indicator off
 * (§6.7.1.8, QEMU's pcie_cap_slot_write_config), or at once when the slot
 * has no power. Never waits for the guest.
 * Returns: false with @error when the function is not in a hot-plug slot
 * or a removal is already in progress (power indicator blinking).
 * Thread: any thread holding the device lock.
 */
bool emu_pci_unplug_request(EmuPciDevice *d, GError **error);

/**
 * emu_pcie_host_format_info:
 * The text of "info pci" (QEMU's layout, bus by bus).
 * Thread: any thread holding the device lock.
 */
void emu_pcie_host_format_info(EmuPciHost *h, GString *out);

/**
 * emu_pci_set_bar:
 * @size: power of two (>= 16 for memory, >= 4 for I/O)
 * @flags: EMU_PCI_BAR_IO, or EMU_PCI_BAR_MEM32 / EMU_PCI_BAR_MEM64 with
 *         optional EMU_PCI_BAR_PREFETCH (a 64-bit BAR uses @bar and @bar+1)
 * @ops: the BAR's registers; the core's access-width adaptation applies
 *
 * Declares a BAR. The guest sizes it by writing all-ones and places it by
 * writing an address; accesses reach @ops while the command register
 * enables the space and the address lies in a host window.
 * Returns: false with @error set on a bad size or index.
 * Thread: main thread, before the machine runs.
 */
bool emu_pci_set_bar(EmuPciDevice *d, unsigned bar, uint64_t size,
                     unsigned flags, const EmuMmioOps *ops, void *opaque,
                     GError **error);

/**
 * emu_pci_add_capability:
 * Reserves @len bytes (>= 2) of configuration space for a capability with
 * ID @cap_id, links it into the list and sets the status bit. The caller
 * fills the body through emu_pci_config() and marks guest-writable bits
 * with emu_pci_wmask().
 * Returns: the capability's offset, or 0 with @error set when full.
 * Thread: main thread, before the machine runs.
 */
unsigned emu_pci_add_capability(EmuPciDevice *d, uint8_t cap_id, unsigned len,
                                GError **error);

/**
 * emu_pci_config / emu_pci_wmask:
 * Returns: the device's configuration bytes (little-endian) and the mask
 * of guest-writable bits, each emu_pci_config_size() bytes.
 * Thread: any thread holding the device lock (or before running).
 */
uint8_t *emu_pci_config(EmuPciDevice *d);
uint8_t *emu_pci_wmask(EmuPciDevice *d);
unsigned emu_pci_config_size(EmuPciDevice *d);

/**
 * emu_pci_opaque / emu_pci_devfn / emu_pci_machine:
 * Thread: any thread.
 */
void *emu_pci_opaque(EmuPciDevice *d);
unsigned emu_pci_devfn(EmuPciDevice *d);
EmuMachine *emu_pci_machine(EmuPciDevice *d);

/**
 * emu_pci_set_irq:
 * Drives the function's INTx pin. The host ORs all functions that swizzle
 * to the same line ((slot + pin - 1) % 4) onto PLIC 32..35; the command
 * register's INTx disable masks it; the status bit follows @level.
 * Thread: any thread holding the device lock.
 */
void emu_pci_set_irq(EmuPciDevice *d, bool level);

/**
 * emu_pci_bus_master:
 * Returns: whether the guest enabled bus mastering (DMA) in the command
 * register. A device does no DMA while this is false.
 * Thread: any thread holding the device lock.
 */
bool emu_pci_bus_master(EmuPciDevice *d);

/**
 * emu_pci_bar_address:
 * Returns: the bus address at which @bar currently decodes, or
 * EMU_PCI_BAR_UNMAPPED (space disabled, unprogrammed or outside the
 * windows). I/O BARs answer in I/O space (window offset).
 * Thread: any thread holding the device lock.
 */
uint64_t emu_pci_bar_address(EmuPciDevice *d, unsigned bar);

#endif
