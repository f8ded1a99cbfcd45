/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcie-test.h: the PCIe host bridge the PCI device tests plug into — the
 * virt board's windows, INTx A-D on four IRQ probes. */
#ifndef TESTS_PCIE_TEST_H
#define TESTS_PCIE_TEST_H

#include "engine/hw/pci.h"
#include "hw-test.h"

#define ECAM 0x30000000ULL
#define MMIO 0x40000000ULL
#define PIO  0x3000000ULL
#define HIGH 0x400000000ULL

static inline EmuPciHost *pcie_test_host_new(EmuMachine *m, IrqProbe intx[4])
{
    g_autoptr(GError) err = NULL;
    EmuPcieHostConfig cfg = {
        .ecam_base = ECAM,
        .ecam_size = 0x10000000,
        .mmio_base = MMIO,
        .mmio_size = 0x40000000,
        .high_mmio_base = HIGH,
        .high_mmio_size = 16ULL << 30,
        .pio_base = PIO,
        .pio_size = 0x10000,
    };
    EmuPciHost *h;

    for (unsigned i = 0; i < 4; i++) {
        irq_probe_init(&intx[i]);
        cfg.intx[i] = &intx[i].irq;
    }
    h = emu_pcie_host_new(m, &cfg, &err);
    g_assert_no_error(err);
    return h;
}

#endif
