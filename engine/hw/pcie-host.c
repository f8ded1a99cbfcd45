/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcie-host.c: the generic PCIe host bridge ("pci-host-ecam-generic", as
 * QEMU's gpex) — ECAM configuration access, MMIO/I/O windows that route to
 * device BARs, and INTx swizzling onto the PLIC. PCI Express Base spec 4.0
 * §7.2.2 (ECAM: bus << 20 | device << 15 | function << 12 | register);
 * PCI-to-PCI Bridge spec 1.2 §9.1 (INTx swizzle); Linux DT binding
 * Documentation/devicetree/bindings/pci/host-generic-pci.yaml. */
#include "config.h"

#include <string.h>

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
 * interrupt-map describes ((slot + pin - 1) % 4, pin 1 = INTA#). Behind a
 * root port the pin is first swizzled across the bridge (PCI-to-PCI
 * Bridge spec 1.2 §9.1, Linux's pci_swizzle_interrupt_pin()), then maps
 * as the port's own pin would: what of_irq_parse_pci() computes from the
 * host bridge's interrupt-map. */
static int intx_line(EmuPciDevice *d)
{
    uint8_t pin = d->config[EMU_PCI_INTERRUPT_PIN];
    unsigned slot = EMU_PCI_SLOT(d->devfn);

    if (pin < 1 || pin > 4) {
        return -1;
    }
    if (d->parent) {
        pin = (pin - 1 + slot) % 4 + 1;
        slot = EMU_PCI_SLOT(emu_pcie_port_self(d->parent)->devfn);
    }
    return (slot + pin - 1) % 4;
}

void emu_pcie_host_update_intx(EmuPciHost *h)
{
    bool level[4] = {false, false, false, false};

    for (guint i = 0; i < h->plugged->len; i++) {
        EmuPciDevice *d = g_ptr_array_index(h->plugged, i);
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

/* The function a configuration cycle reaches: bus 0 directly, another bus
 * through the root port whose secondary bus it is (PCI-to-PCI Bridge spec
 * 1.2 §3.1.2.1: a type 1 cycle for the secondary bus becomes type 0 there;
 * buses up to the subordinate number would be further bridges, and there
 * are none behind a root port here). */
static EmuPciDevice *ecam_lookup(EmuPciHost *h, unsigned bus, unsigned devfn)
{
    EmuPciPort *p;

    if (bus == 0) {
        return h->devs[devfn];
    }
    p = emu_pcie_port_for_bus(h, bus);
    return p ? emu_pcie_port_child(p, devfn) : NULL;
}

static uint64_t ecam_read(void *opaque, uint64_t off, unsigned size)
{
    EmuPciHost *h = opaque;
    unsigned bus = off >> 20, devfn = (off >> 12) & 0xff;
    EmuPciDevice *d = ecam_lookup(h, bus, devfn);

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
    EmuPciDevice *d = ecam_lookup(h, bus, devfn);

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
        for (guint i = 0; i < h->plugged->len && !bar; i++) {
            EmuPciDevice *d = g_ptr_array_index(h->plugged, i);

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
    h->plugged = g_ptr_array_new();
    h->ports = g_ptr_array_new();
    h->unplugged = g_ptr_array_new();
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
    g_ptr_array_add(h->plugged, h->devs[0]);
    return h;

fail:
    /* regions already added stay in the machine's table until it is freed;
     * their opaque is never called again before that */
    g_ptr_array_unref(h->plugged);
    g_ptr_array_unref(h->ports);
    g_ptr_array_unref(h->unplugged);
    g_free(h);
    return NULL;
}

static EmuPciPort *find_port(EmuPciHost *h, const char *id)
{
    for (guint i = 0; i < h->ports->len; i++) {
        EmuPciPort *p = g_ptr_array_index(h->ports, i);

        if (!strcmp(emu_pcie_port_id(p), id)) {
            return p;
        }
    }
    return NULL;
}

/* A function behind root port @p: device 0 only (a PCIe link has one
 * device; QEMU refuses other slots the same way). */
static EmuPciDevice *new_behind_port(EmuPciHost *h, EmuPciPort *p, int devfn,
                                     const EmuPciDeviceInfo *info,
                                     void *opaque, GError **error)
{
    const char *name = info->name ? info->name : "pci";
    EmuPciDevice *d;

    if (devfn < 0) {
        devfn = 0;
    }
    if (EMU_PCI_SLOT(devfn) != 0 || devfn >= 8) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s: bus '%s' is a PCIe port: only slot 0 exists", name,
                    emu_pcie_port_id(p));
        return NULL;
    }
    d = emu_pci_device_alloc(h, devfn, info, opaque);
    d->parent = p;
    if (!emu_pcie_port_attach(p, d, error)) {
        g_prefix_error(error, "%s: ", name);
        emu_pci_device_free(d);
        return NULL;
    }
    g_ptr_array_add(h->plugged, d);
    return d;
}

EmuPciDevice *emu_pci_device_new(EmuPciHost *h, int devfn,
                                 const EmuPciDeviceInfo *info, void *opaque,
                                 GError **error)
{
    return emu_pci_device_new_on_bus(h, NULL, devfn, info, opaque, error);
}

EmuPciDevice *emu_pci_device_new_on_bus(EmuPciHost *h, const char *bus,
                                        int devfn,
                                        const EmuPciDeviceInfo *info,
                                        void *opaque, GError **error)
{
    if (bus && strcmp(bus, "pcie.0") && strcmp(bus, "pci.0")) {
        EmuPciPort *p = find_port(h, bus);

        if (!p) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                        "Bus '%s' not found", bus);
            return NULL;
        }
        return new_behind_port(h, p, devfn, info, opaque, error);
    }
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
    g_ptr_array_add(h->plugged, h->devs[devfn]);
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
    for (guint i = 0; i < h->plugged->len; i++) {
        emu_pci_device_reset(g_ptr_array_index(h->plugged, i));
    }
}

void emu_pcie_host_free(EmuPciHost *h)
{
    if (!h) {
        return;
    }
    /* functions waiting to be reaped: their models went with the net
     * layer (the machine is stopped), only the structures are left */
    for (guint i = 0; i < h->unplugged->len; i++) {
        emu_pci_device_free(g_ptr_array_index(h->unplugged, i));
    }
    for (guint i = 0; i < h->plugged->len; i++) {
        emu_pci_device_free(g_ptr_array_index(h->plugged, i));
    }
    for (guint i = 0; i < h->ports->len; i++) {
        emu_pcie_port_free(g_ptr_array_index(h->ports, i));
    }
    g_ptr_array_unref(h->plugged);
    g_ptr_array_unref(h->ports);
    g_ptr_array_unref(h->unplugged);
    g_free(h);
}

/* ---- hot-plug --------------------------------------------------------- */

void emu_pcie_host_set_live(EmuPciHost *h)
{
    h->live = true;
}

EmuPciDevice *emu_pcie_host_find(EmuPciHost *h, const char *id)
{
    for (guint i = 0; i < h->plugged->len; i++) {
        EmuPciDevice *d = g_ptr_array_index(h->plugged, i);

        if (d->id && !strcmp(d->id, id)) {
            return d;
        }
    }
    return NULL;
}

bool emu_pci_unplug_request(EmuPciDevice *d, GError **error)
{
    if (!d->parent) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "Bus 'pcie.0' does not support hotplugging "
                    "(device '%s' is not behind a pcie-root-port)",
                    d->id ? d->id : d->name);
        return false;
    }
    return emu_pcie_port_unplug_request(d->parent, d, error);
}

/* The I/O thread's half of an unplug: the model frees itself (its fds
 * and timers live on this thread, so nothing of it runs concurrently),
 * then the listeners hear the ids, without the lock. */
static gboolean reap_bh(gpointer data)
{
    EmuPciHost *h = data;
    EmuMachine *m = h->m;
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);

    emu_machine_lock(m);
    while (h->unplugged->len) {
        EmuPciDevice *d = g_ptr_array_steal_index(h->unplugged, 0);

        if (d->unplug) {
            d->unplug(d->unplug_opaque);
        }
        g_ptr_array_add(ids, g_strdup(d->id ? d->id : d->name));
        emu_pci_device_free(d);
    }
    emu_machine_unlock(m);
    for (guint i = 0; i < ids->len; i++) {
        emu_machine_device_deleted(m, g_ptr_array_index(ids, i));
    }
    return G_SOURCE_REMOVE;
}

void emu_pcie_host_detach(EmuPciHost *h, EmuPciDevice *d)
{
    if (d->detached) {
        return;
    }
    g_ptr_array_remove(h->plugged, d);
    if (h->devs[d->devfn] == d) {
        h->devs[d->devfn] = NULL;
    }
    d->detached = true;
    d->irq_level = false;
    emu_pci_device_decode(d);
    if (h->last_bar >= d->bars && h->last_bar < d->bars + EMU_PCI_NUM_BARS) {
        h->last_bar = NULL;
    }
    emu_pcie_host_update_intx(h);
    g_ptr_array_add(h->unplugged, d);
    if (h->unplugged->len == 1) {
        emu_machine_bh(h->m, reap_bh, h);
    }
}

/* ---- info pci --------------------------------------------------------- */

static const char *class_name(uint16_t cls)
{
    switch (cls) {
    case 0x0600: return "Host bridge";
    case 0x0604: return "PCI bridge";
    case 0x0200: return "Ethernet controller";
    case 0x0100: return "SCSI controller";
    default: return "Class";
    }
}

static void format_function(EmuPciDevice *d, unsigned bus, GString *out)
{
    const uint8_t *c = d->config;
    uint16_t cls = c[EMU_PCI_CLASS_DEVICE] | c[EMU_PCI_CLASS_DEVICE + 1] << 8;
    uint8_t pin = c[EMU_PCI_INTERRUPT_PIN];

    g_string_append_printf(out, "  Bus %2u, device %3u, function %u:\n", bus,
                           EMU_PCI_SLOT(d->devfn), d->devfn & 7);
    g_string_append_printf(out, "    %s: PCI device %04x:%04x\n",
                           class_name(cls), d->info.vendor_id,
                           d->info.device_id);
    if (pin) {
        g_string_append_printf(out, "      IRQ %u, pin %c\n",
                               c[EMU_PCI_INTERRUPT_LINE], 'A' + pin - 1);
    }
    if (d->port) {
        emu_pcie_port_format_info(d->port, out);
    }
    for (unsigned i = 0; i < EMU_PCI_NUM_BARS; i++) {
        const EmuPciBar *b = &d->bars[i];

        if (!b->size) {
            continue;
        }
        if (b->flags & EMU_PCI_BAR_IO) {
            g_string_append_printf(out, "      BAR%u: I/O at ", i);
        } else {
            g_string_append_printf(
                out, "      BAR%u: %s%smemory at ", i,
                b->flags & EMU_PCI_BAR_MEM64 ? "64 bit " : "32 bit ",
                b->flags & EMU_PCI_BAR_PREFETCH ? "prefetchable " : "");
        }
        if (b->addr == EMU_PCI_BAR_UNMAPPED) {
            g_string_append_printf(out, "0x%" G_GINT64_MODIFIER
                                   "x [0x%" G_GINT64_MODIFIER "x].\n",
                                   (uint64_t)-1, b->size - 2);
        } else {
            g_string_append_printf(out, "0x%" G_GINT64_MODIFIER
                                   "x [0x%" G_GINT64_MODIFIER "x].\n",
                                   b->addr, b->addr + b->size - 1);
        }
    }
    g_string_append_printf(out, "      id \"%s\"\n", d->id ? d->id : "");
}

void emu_pcie_host_format_info(EmuPciHost *h, GString *out)
{
    for (unsigned devfn = 0; devfn < PCI_MAX_DEVFN; devfn++) {
        if (h->devs[devfn]) {
            format_function(h->devs[devfn], 0, out);
        }
    }
    for (guint i = 0; i < h->ports->len; i++) {
        EmuPciPort *p = g_ptr_array_index(h->ports, i);

        for (unsigned fn = 0; fn < 8; fn++) {
            EmuPciDevice *d = emu_pcie_port_function(p, fn);

            if (d) {
                format_function(d, emu_pcie_port_secondary(p), out);
            }
        }
    }
}
