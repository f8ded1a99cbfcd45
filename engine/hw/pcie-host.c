/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcie-host.c: the generic PCIe host bridge ("pci-host-ecam-generic", as
 * QEMU's gpex) — ECAM configuration access, MMIO/I/O windows that route to
 * device BARs, and INTx swizzling onto the PLIC. PCI Express Base spec 4.0
 * §7.2.2 (ECAM: bus << 20 | device << 15 | function << 12 | register);
 * PCI-to-PCI Bridge spec 1.2 §9.1 (INTx swizzle); Linux DT binding
 * Documentation/devicetree/bindings/pci/host-generic-pci.yaml. */
#include "config.h"

#include "emu-error.h"
#include "engine/hw/pci-internal.h"

#define GPEX_ROOT_VENDOR      0x1b36 /* Red Hat, Inc. */
#define GPEX_ROOT_DEVICE      0x0008 /* QEMU PCIe host bridge */
#define PCI_CLASS_BRIDGE_HOST 0x060000

static uint64_t all_ones(unsigned size)
{
    return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* ---- INTx ------------------------------------------------------------- */

/* Line a function's pin reaches: the standard swizzle the DT
 * interrupt-map describes ((slot + pin - 1) % 4, pin 1 = INTA#). */
static int intx_line(EmuPciDevice *d)
{
    uint8_t pin = d->config[EMU_PCI_INTERRUPT_PIN];

    if (pin < 1 || pin > 4) {
        return -1;
    }
    return (EMU_PCI_SLOT(d->devfn) + pin - 1) % 4;
}

void emu_pcie_host_update_intx(EmuPciHost *h)
{
    bool level[4] = {false, false, false, false};

    for (unsigned i = 0; i < h->nr_plugged; i++) {
        EmuPciDevice *d = h->plugged[i];
        uint16_t cmd;
        int line;

        if (!d->irq_level) {
            continue;
        }
        cmd = d->config[EMU_PCI_COMMAND] | d->config[EMU_PCI_COMMAND + 1] << 8;
        line = intx_line(d);
        if (line >= 0 && !(cmd & EMU_PCI_COMMAND_INTX_DISABLE)) {
            level[line] = true;
        }
    }
    for (unsigned i = 0; i < 4; i++) {
        if (level[i] != h->intx_level[i]) {
            h->intx_level[i] = level[i];
            emu_irq_set(h->cfg.intx[i], level[i]);
        }
    }
}

/* ---- ECAM ------------------------------------------------------------- */

static uint64_t ecam_read(void *opaque, uint64_t off, unsigned size)
{
    EmuPciHost *h = opaque;
    unsigned bus = off >> 20, devfn = (off >> 12) & 0xff;
    EmuPciDevice *d = bus == 0 ? h->devs[devfn] : NULL;

    /* no function there: the read completes as a master abort */
    if (!d) {
        return all_ones(size);
    }
    return emu_pci_config_read(d, off & 0xfff, size);
}

static void ecam_write(void *opaque, uint64_t off, uint64_t value,
                       unsigned size)
{
    EmuPciHost *h = opaque;
    unsigned bus = off >> 20, devfn = (off >> 12) & 0xff;
    EmuPciDevice *d = bus == 0 ? h->devs[devfn] : NULL;

    if (d) {
        emu_pci_config_write(d, off & 0xfff, value, size);
    }
}

static const EmuMmioOps ecam_ops = {
    .read = ecam_read,
    .write = ecam_write,
    .min_access = 1,
    .max_access = 4,
};

/* ---- windows ---------------------------------------------------------- */

bool emu_pcie_host_in_window(EmuPciHost *h, bool io, uint64_t addr,
                             uint64_t size)
{
    const EmuPcieHostConfig *c = &h->cfg;

    if (io) {
        return addr < c->pio_size && size <= c->pio_size - addr;
    }
    if (addr >= c->mmio_base && addr - c->mmio_base < c->mmio_size &&
        size <= c->mmio_size - (addr - c->mmio_base)) {
        return true;
    }
    return c->high_mmio_size && addr >= c->high_mmio_base &&
           addr - c->high_mmio_base < c->high_mmio_size &&
           size <= c->high_mmio_size - (addr - c->high_mmio_base);
}

static bool bar_hit(EmuPciBar *bar, bool io, uint64_t addr)
{
    return bar->addr != EMU_PCI_BAR_UNMAPPED &&
           !(bar->flags & EMU_PCI_BAR_IO) == !io && addr >= bar->addr &&
           addr - bar->addr < bar->size;
}

/* The BAR decoding [addr, addr + size), and the offset into it. Guests
 * hammer one BAR at a time (a NIC's doorbell), so the last hit is tried
 * first. */
static EmuPciBar *find_bar(EmuPciHost *h, bool io, uint64_t addr, unsigned size,
                           uint64_t *offset)
{
    EmuPciBar *bar = h->last_bar;

    if (!bar || !bar_hit(bar, io, addr)) {
        bar = NULL;
        for (unsigned i = 0; i < h->nr_plugged && !bar; i++) {
            EmuPciDevice *d = h->plugged[i];

            for (unsigned b = 0; b < EMU_PCI_NUM_BARS; b++) {
                if (bar_hit(&d->bars[b], io, addr)) {
                    bar = &d->bars[b];
                    break;
                }
            }
        }
        if (!bar) {
            return NULL;
        }
        h->last_bar = bar;
    }
    *offset = addr - bar->addr;
    return *offset + size <= bar->size && bar->region.ops ? bar : NULL;
}

static uint64_t window_read(EmuPciHost *h, bool io, uint64_t addr,
                            unsigned size)
{
    uint64_t off;
    EmuPciBar *bar = find_bar(h, io, addr, size, &off);

    return bar ? emu_mmio_read_locked(&bar->region, off, size) : all_ones(size);
}

static void window_write(EmuPciHost *h, bool io, uint64_t addr, uint64_t value,
                         unsigned size)
{
    uint64_t off;
    EmuPciBar *bar = find_bar(h, io, addr, size, &off);

    if (bar) {
        emu_mmio_write_locked(&bar->region, off, value, size);
    }
}

static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    EmuPciHost *h = opaque;

    return window_read(h, false, h->cfg.mmio_base + off, size);
}

static void mmio_write(void *opaque, uint64_t off, uint64_t value,
                       unsigned size)
{
    EmuPciHost *h = opaque;

    window_write(h, false, h->cfg.mmio_base + off, value, size);
}

static uint64_t high_mmio_read(void *opaque, uint64_t off, unsigned size)
{
    EmuPciHost *h = opaque;

    return window_read(h, false, h->cfg.high_mmio_base + off, size);
}

static void high_mmio_write(void *opaque, uint64_t off, uint64_t value,
                            unsigned size)
{
    EmuPciHost *h = opaque;

    window_write(h, false, h->cfg.high_mmio_base + off, value, size);
}

static uint64_t pio_read(void *opaque, uint64_t off, unsigned size)
{
    return window_read(opaque, true, off, size);
}

static void pio_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    window_write(opaque, true, off, value, size);
}

static const EmuMmioOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .min_access = 1,
    .max_access = 8,
};

static const EmuMmioOps high_mmio_ops = {
    .read = high_mmio_read,
    .write = high_mmio_write,
    .min_access = 1,
    .max_access = 8,
};

static const EmuMmioOps pio_ops = {
    .read = pio_read,
    .write = pio_write,
    .min_access = 1,
    .max_access = 4,
};

/* ---- lifecycle -------------------------------------------------------- */

EmuPciHost *emu_pcie_host_new(EmuMachine *m, const EmuPcieHostConfig *cfg,
                              GError **error)
{
    EmuPciHost *h = g_new0(EmuPciHost, 1);
    static const EmuPciDeviceInfo root = {
        .name = "gpex-root",
        .vendor_id = GPEX_ROOT_VENDOR,
        .device_id = GPEX_ROOT_DEVICE,
        .class_code = PCI_CLASS_BRIDGE_HOST,
    };

    h->m = m;
    h->cfg = *cfg;
    h->ecam = emu_mem_add_mmio(m, "pcie-ecam", cfg->ecam_base, cfg->ecam_size,
                               &ecam_ops, h, error);
    if (!h->ecam) {
        goto fail;
    }
    h->mmio = emu_mem_add_mmio(m, "pcie-mmio", cfg->mmio_base, cfg->mmio_size,
                               &mmio_ops, h, error);
    if (!h->mmio) {
        goto fail;
    }
    if (cfg->high_mmio_size) {
        h->high_mmio =
            emu_mem_add_mmio(m, "pcie-mmio-high", cfg->high_mmio_base,
                             cfg->high_mmio_size, &high_mmio_ops, h, error);
        if (!h->high_mmio) {
            goto fail;
        }
    }
    h->pio = emu_mem_add_mmio(m, "pcie-pio", cfg->pio_base, cfg->pio_size,
                              &pio_ops, h, error);
    if (!h->pio) {
        goto fail;
    }
    h->devs[0] = emu_pci_device_alloc(h, 0, &root, h);
    h->plugged[h->nr_plugged++] = h->devs[0];
    return h;

fail:
    /* regions already added stay in the machine's table until it is freed;
     * their opaque is never called again before that */
    g_free(h);
    return NULL;
}

EmuPciDevice *emu_pci_device_new(EmuPciHost *h, int devfn,
                                 const EmuPciDeviceInfo *info, void *opaque,
                                 GError **error)
{
    if (devfn < 0) {
        for (unsigned slot = 1; slot < 32; slot++) {
            bool used = false;

            for (unsigned fn = 0; fn < 8; fn++) {
                used |= h->devs[EMU_PCI_DEVFN(slot, fn)] != NULL;
            }
            if (!used) {
                devfn = EMU_PCI_DEVFN(slot, 0);
                break;
            }
        }
        if (devfn < 0) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                        "%s: no free PCI slot on bus 0",
                        info->name ? info->name : "pci");
            return NULL;
        }
    }
    if (devfn >= PCI_MAX_DEVFN || h->devs[devfn]) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "%s: PCI address 00:%02x.%x is %s",
                    info->name ? info->name : "pci", EMU_PCI_SLOT(devfn & 0xff),
                    devfn & 7, devfn >= PCI_MAX_DEVFN ? "invalid" : "in use");
        return NULL;
    }
    h->devs[devfn] = emu_pci_device_alloc(h, devfn, info, opaque);
    h->plugged[h->nr_plugged++] = h->devs[devfn];
    /* a function other than 0 makes function 0 multi-function (§6.2.1) */
    if (devfn & 7) {
        EmuPciDevice *f0 = h->devs[devfn & ~7];
        if (f0) {
            f0->config[EMU_PCI_HEADER_TYPE] |= 0x80;
        }
    }
    return h->devs[devfn];
}

void emu_pcie_host_reset(EmuPciHost *h)
{
    for (unsigned i = 0; i < h->nr_plugged; i++) {
        emu_pci_device_reset(h->plugged[i]);
    }
}

void emu_pcie_host_free(EmuPciHost *h)
{
    if (!h) {
        return;
    }
    for (unsigned i = 0; i < h->nr_plugged; i++) {
        emu_pci_device_free(h->plugged[i]);
    }
    g_free(h);
}
