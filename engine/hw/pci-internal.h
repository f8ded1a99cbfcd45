/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pci-internal.h: state shared by pci.c (functions) and pcie-host.c
 * (the bridge); device models use pci.h only. */
#ifndef EMU_HW_PCI_INTERNAL_H
#define EMU_HW_PCI_INTERNAL_H

#include "engine/hw/guest-log.h"
#include "engine/hw/pci.h"

#define PCI_MAX_DEVFN 256

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
};

struct EmuPciHost {
    EmuMachine *m;
    EmuPcieHostConfig cfg;
    EmuRegion *ecam, *mmio, *high_mmio, *pio;
    EmuPciDevice *devs[PCI_MAX_DEVFN];    /* by devfn, for ECAM */
    EmuPciDevice *plugged[PCI_MAX_DEVFN]; /* dense, for BAR lookups */
    unsigned nr_plugged;
    EmuPciBar *last_bar; /* last BAR hit: MMIO fast path */
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

/* pcie-host.c */
void emu_pcie_host_update_intx(EmuPciHost *h);
bool emu_pcie_host_in_window(EmuPciHost *h, bool io, uint64_t addr,
                             uint64_t size);

#endif
