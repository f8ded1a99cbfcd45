/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pci-internal.h: state shared by pci.c (functions) and pcie-host.c
 * (the bridge); device models use pci.h only. */
#ifndef EMU_HW_PCI_INTERNAL_H
#define EMU_HW_PCI_INTERNAL_H

#include "engine/hw/guest-log.h"
#include "engine/hw/pci.h"

#define PCI_MAX_DEVFN 256

typedef struct EmuPciPort EmuPciPort; /* pcie-root-port.c */

typedef struct EmuPciBar {
    uint64_t size;    /* 0: unused (or upper half of a 64-bit BAR) */
    unsigned flags;   /* EMU_PCI_BAR_* */
    uint64_t addr;    /* decoded bus address or EMU_PCI_BAR_UNMAPPED */
    EmuRegion region; /* not in the address space: ops/opaque/size for
                       * the core's width adaptation */
} EmuPciBar;

struct EmuPciDevice {
    EmuPciHost *host;
    EmuPciDeviceInfo info;
    char *name;
    void *opaque;
    uint8_t devfn;
    unsigned config_size;
    uint8_t config[EMU_PCIE_CONFIG_SIZE];
    uint8_t wmask[EMU_PCIE_CONFIG_SIZE];
    uint8_t w1cmask[EMU_PCIE_CONFIG_SIZE];
    EmuPciBar bars[EMU_PCI_NUM_BARS];
    unsigned next_cap; /* first free byte for a capability */
    bool irq_level;    /* the pin as the model drives it */
    EmuPciPort *parent; /* the root port whose secondary bus holds us,
                         * NULL: bus 0 */
    EmuPciPort *port;   /* set when this function is a root port */
    /* hot-plug: the -device id, and how the model frees itself once the
     * function is gone from the bus (pci.h emu_pci_set_hotplug) */
    char *id;
    void (*unplug)(void *opaque);
    void *unplug_opaque;
    bool detached; /* off the bus, waiting to be freed */
};

struct EmuPciHost {
    EmuMachine *m;
    EmuPcieHostConfig cfg;
    EmuRegion *ecam, *mmio, *high_mmio, *pio;
    EmuPciDevice *devs[PCI_MAX_DEVFN];    /* by devfn, for ECAM */
    GPtrArray *plugged;   /* every function, behind ports too: BARs, INTx */
    GPtrArray *ports;     /* EmuPciPort *, creation order */
    GPtrArray *unplugged; /* functions taken off the bus, to be freed on
                           * the I/O thread (emu_pcie_host_reap) */
    bool live;            /* the machine runs: plugging is hot-plugging */
    EmuPciBar *last_bar;  /* last BAR hit: MMIO fast path */
    bool intx_level[4];
    EmuGuestLog log;
};

/* pci.c */
EmuPciDevice *emu_pci_device_alloc(EmuPciHost *h, uint8_t devfn,
                                   const EmuPciDeviceInfo *info, void *opaque);
void emu_pci_device_free(EmuPciDevice *d);
void emu_pci_device_reset(EmuPciDevice *d);
uint32_t emu_pci_config_read(EmuPciDevice *d, uint32_t off, unsigned size);
void emu_pci_config_write(EmuPciDevice *d, uint32_t off, uint32_t value,
                          unsigned size);

/* recomputes where the function's BARs decode (after its command
 * register, BARs, or an upstream bridge's windows changed) */
void emu_pci_device_decode(EmuPciDevice *d);

/* pcie-host.c */
void emu_pcie_host_update_intx(EmuPciHost *h);
bool emu_pcie_host_in_window(EmuPciHost *h, bool io, uint64_t addr,
                             uint64_t size);
/* takes @d off its bus (no more config cycles, BAR decoding, interrupts
 * or DMA) and queues it to be freed — its model's unplug hook run, the
 * machine's device_deleted listener told — on the I/O thread */
void emu_pcie_host_detach(EmuPciHost *h, EmuPciDevice *d);

/* pcie-root-port.c */
/* the port whose secondary bus is @bus (bus > 0), or NULL */
EmuPciPort *emu_pcie_port_for_bus(EmuPciHost *h, unsigned bus);
/* the function at @devfn of the port's secondary bus while the slot has
 * power (a PCIe link has device 0 only), or NULL */
EmuPciDevice *emu_pcie_port_child(EmuPciPort *p, unsigned devfn);
/* the function @fn in the port's slot, powered or not */
EmuPciDevice *emu_pcie_port_function(EmuPciPort *p, unsigned fn);
/* the port forwards [addr, addr + size) downstream: its space is enabled
 * in COMMAND, the range lies in its I/O or (prefetchable) memory window
 * and the slot has power */
bool emu_pcie_port_forwards(EmuPciPort *p, bool io, uint64_t addr,
                            uint64_t size);
/* the port forwards DMA upstream (bus master enabled, slot powered) */
bool emu_pcie_port_master(EmuPciPort *p);
/* a function was plugged into / is being taken off the port's slot */
bool emu_pcie_port_attach(EmuPciPort *p, EmuPciDevice *d, GError **error);
EmuPciDevice *emu_pcie_port_self(EmuPciPort *p);
void emu_pcie_port_free(EmuPciPort *p);
const char *emu_pcie_port_id(EmuPciPort *p);
unsigned emu_pcie_port_secondary(EmuPciPort *p);
void emu_pcie_port_format_info(EmuPciPort *p, GString *out);
bool emu_pcie_port_unplug_request(EmuPciPort *p, EmuPciDevice *d,
                                  GError **error);

#endif
