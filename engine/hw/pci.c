/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pci.c: a PCI function's configuration space — header, writable and
 * write-1-to-clear masks, BAR sizing and decoding, capabilities, INTx.
 * PCI Local Bus spec 3.0 §6.1-§6.2 (header, command/status), §6.2.5 (BARs),
 * §6.7 (capabilities list). */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "engine/hw/pci-internal.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static uint32_t get32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint16_t command(EmuPciDevice *d)
{
    return d->config[EMU_PCI_COMMAND] | d->config[EMU_PCI_COMMAND + 1] << 8;
}

/* The range reaches the function from the CPU: inside a host window and,
 * behind a root port, forwarded by it (PCI-to-PCI Bridge spec 1.2 §4.1:
 * a bridge forwards downstream what its enabled windows cover). */
static bool upstream_forwards(EmuPciDevice *d, bool io, uint64_t addr,
                              uint64_t size)
{
    if (d->detached) {
        return false;
    }
    if (d->parent && !emu_pcie_port_forwards(d->parent, io, addr, size)) {
        return false;
    }
    return emu_pcie_host_in_window(d->host, io, addr, size);
}

/* Recomputes where each BAR decodes; QEMU's pci_bar_address() rules:
 * space enabled in COMMAND, address aligned, no wrap, inside a window
 * (so a BAR still holding the all-ones sizing pattern decodes nowhere). */
void emu_pci_device_decode(EmuPciDevice *d)
{
    uint16_t cmd = command(d);

    for (unsigned i = 0; i < EMU_PCI_NUM_BARS; i++) {
        EmuPciBar *b = &d->bars[i];
        const uint8_t *reg = &d->config[EMU_PCI_BASE_ADDRESS_0 + 4 * i];
        bool io = b->flags & EMU_PCI_BAR_IO;
        uint64_t addr;

        b->addr = EMU_PCI_BAR_UNMAPPED;
        if (!b->size) {
            continue;
        }
        if (io ? !(cmd & EMU_PCI_COMMAND_IO)
               : !(cmd & EMU_PCI_COMMAND_MEMORY)) {
            continue;
        }
        addr = get32(reg) & (io ? ~0x3u : ~0xfu);
        if (!io && (b->flags & EMU_PCI_BAR_MEM64)) {
            addr |= (uint64_t)get32(reg + 4) << 32;
        }
        addr &= ~(b->size - 1);
        if (addr + b->size < addr) {
            continue;
        }
        if (upstream_forwards(d, io, addr, b->size)) {
            b->addr = addr;
        }
    }
}

EmuPciDevice *emu_pci_device_alloc(EmuPciHost *h, uint8_t devfn,
                                   const EmuPciDeviceInfo *info, void *opaque)
{
    EmuPciDevice *d = g_new0(EmuPciDevice, 1);
    uint8_t *c = d->config;

    d->host = h;
    d->info = *info;
    d->name = g_strdup(info->name ? info->name : "pci");
    d->opaque = opaque;
    d->devfn = devfn;
    d->config_size = info->express ? EMU_PCIE_CONFIG_SIZE : EMU_PCI_CONFIG_SIZE;
    d->next_cap = 0x40;

    put16(c + EMU_PCI_VENDOR_ID, info->vendor_id);
    put16(c + EMU_PCI_DEVICE_ID, info->device_id);
    c[EMU_PCI_REVISION_ID] = info->revision;
    c[EMU_PCI_CLASS_PROG] = info->class_code;
    put16(c + EMU_PCI_CLASS_DEVICE, info->class_code >> 8);
    c[EMU_PCI_HEADER_TYPE] = 0; /* type 0, single function */
    put16(c + EMU_PCI_SUBSYSTEM_VENDOR_ID, info->subsystem_vendor_id);
    put16(c + EMU_PCI_SUBSYSTEM_ID, info->subsystem_id);
    c[EMU_PCI_INTERRUPT_PIN] =
        info->interrupt_pin <= 4 ? info->interrupt_pin : 1;

    /* COMMAND: I/O, memory, master, parity, SERR#, INTx disable */
    put16(d->wmask + EMU_PCI_COMMAND, 0x0547);
    /* STATUS: error bits are write-1-to-clear */
    put16(d->w1cmask + EMU_PCI_STATUS, 0xf900);
    d->wmask[EMU_PCI_CACHE_LINE_SIZE] = 0xff;
    d->wmask[EMU_PCI_LATENCY_TIMER] = 0xff;
    d->wmask[EMU_PCI_INTERRUPT_LINE] = 0xff;
    for (unsigned i = 0; i < EMU_PCI_NUM_BARS; i++) {
        d->bars[i].addr = EMU_PCI_BAR_UNMAPPED;
    }
    return d;
}

void emu_pci_device_free(EmuPciDevice *d)
{
    if (d) {
        g_free(d->id);
        g_free(d->name);
        g_free(d);
    }
}

bool emu_pci_set_bar(EmuPciDevice *d, unsigned bar, uint64_t size,
                     unsigned flags, const EmuMmioOps *ops, void *opaque,
                     GError **error)
{
    bool io = flags & EMU_PCI_BAR_IO;
    bool is64 = !io && (flags & EMU_PCI_BAR_MEM64);
    uint64_t mask;
    EmuPciBar *b;

    if (bar >= EMU_PCI_NUM_BARS || (is64 && bar + 1 >= EMU_PCI_NUM_BARS) ||
        d->bars[bar].size || (is64 && d->bars[bar + 1].size)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s: BAR %u is invalid or already in use", d->name, bar);
        return false;
    }
    if (size < (io ? 4u : 16u) || (size & (size - 1)) ||
        (!is64 && size > (1ULL << 31)) || (io && size > 0x10000)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s: BAR %u size 0x%" G_GINT64_MODIFIER "x is invalid",
                    d->name, bar, size);
        return false;
    }
    flags = io ? EMU_PCI_BAR_IO
               : flags & (EMU_PCI_BAR_MEM64 | EMU_PCI_BAR_PREFETCH);
    b = &d->bars[bar];
    b->size = size;
    b->flags = flags;
    b->addr = EMU_PCI_BAR_UNMAPPED;
    b->region.name = d->name;
    b->region.size = size;
    b->region.ops = ops;
    b->region.opaque = opaque;

    /* §6.2.5.1: the bits below the size read as zero (sizing), the low
     * bits give the kind */
    mask = ~(size - 1) & (io ? ~0x3ULL : ~0xfULL);
    put32(&d->config[EMU_PCI_BASE_ADDRESS_0 + 4 * bar], flags);
    put32(&d->wmask[EMU_PCI_BASE_ADDRESS_0 + 4 * bar], (uint32_t)mask);
    if (is64) {
        put32(&d->wmask[EMU_PCI_BASE_ADDRESS_0 + 4 * (bar + 1)],
              (uint32_t)(mask >> 32));
    }
    return true;
}

unsigned emu_pci_add_capability(EmuPciDevice *d, uint8_t cap_id, unsigned len,
                                GError **error)
{
    unsigned off = (d->next_cap + 3) & ~3u;

    if (len < 2 || off + len > EMU_PCI_CONFIG_SIZE) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_TOO_BIG,
                    "%s: no room for a %u-byte capability", d->name, len);
        return 0;
    }
    d->config[off] = cap_id;
    d->config[off + 1] = d->config[EMU_PCI_CAPABILITY_LIST];
    d->config[EMU_PCI_CAPABILITY_LIST] = off;
    d->config[EMU_PCI_STATUS] |= EMU_PCI_STATUS_CAP_LIST;
    d->next_cap = off + len;
    return off;
}

uint8_t *emu_pci_config(EmuPciDevice *d)
{
    return d->config;
}

uint8_t *emu_pci_wmask(EmuPciDevice *d)
{
    return d->wmask;
}

unsigned emu_pci_config_size(EmuPciDevice *d)
{
    return d->config_size;
}

void *emu_pci_opaque(EmuPciDevice *d)
{
    return d->opaque;
}

unsigned emu_pci_devfn(EmuPciDevice *d)
{
    return d->devfn;
}

EmuMachine *emu_pci_machine(EmuPciDevice *d)
{
    return d->host->m;
}

bool emu_pci_bus_master(EmuPciDevice *d)
{
    /* behind a bridge, DMA also needs the bridge's bus master enable
     * (PCI-to-PCI Bridge spec 1.2 §3.2.5.1) */
    if (d->detached || (d->parent && !emu_pcie_port_master(d->parent))) {
        return false;
    }
    return command(d) & EMU_PCI_COMMAND_MASTER;
}

void emu_pci_set_hotplug(EmuPciDevice *d, const char *id,
                         void (*unplug)(void *opaque), void *opaque)
{
    g_free(d->id);
    d->id = g_strdup(id);
    d->unplug = unplug;
    d->unplug_opaque = opaque;
}

const char *emu_pci_id(EmuPciDevice *d)
{
    return d->id;
}

uint64_t emu_pci_bar_address(EmuPciDevice *d, unsigned bar)
{
    return bar < EMU_PCI_NUM_BARS ? d->bars[bar].addr : EMU_PCI_BAR_UNMAPPED;
}

void emu_pci_set_irq(EmuPciDevice *d, bool level)
{
    d->irq_level = level;
    if (level) {
        d->config[EMU_PCI_STATUS] |= EMU_PCI_STATUS_INTERRUPT;
    } else {
        d->config[EMU_PCI_STATUS] &= ~EMU_PCI_STATUS_INTERRUPT;
    }
    emu_pcie_host_update_intx(d->host);
}

uint32_t emu_pci_config_read(EmuPciDevice *d, uint32_t off, unsigned size)
{
    uint32_t v = 0;

    if (off + size > d->config_size) {
        return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
    }
    if (d->info.config_read && d->info.config_read(d, off, size, &v)) {
        return v;
    }
    for (unsigned i = 0; i < size; i++) {
        v |= (uint32_t)d->config[off + i] << (i * 8);
    }
    return v;
}

void emu_pci_config_write(EmuPciDevice *d, uint32_t off, uint32_t value,
                          unsigned size)
{
    uint16_t old_cmd = command(d);

    if (off + size > d->config_size) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        uint8_t byte = value >> (i * 8);
        uint8_t *c = &d->config[off + i];

        *c = (*c & ~d->wmask[off + i]) | (byte & d->wmask[off + i]);
        *c &= ~(byte & d->w1cmask[off + i]);
    }
    /* a write touching COMMAND or a BAR may move a decoder */
    if (off < EMU_PCI_COMMAND + 2 && off + size > EMU_PCI_COMMAND) {
        emu_pci_device_decode(d);
        if ((old_cmd ^ command(d)) & EMU_PCI_COMMAND_INTX_DISABLE) {
            emu_pcie_host_update_intx(d->host);
        }
    } else if (off < EMU_PCI_BASE_ADDRESS_0 + 4 * EMU_PCI_NUM_BARS &&
               off + size > EMU_PCI_BASE_ADDRESS_0) {
        emu_pci_device_decode(d);
    }
    if (d->info.config_write) {
        d->info.config_write(d, off, value, size);
    }
}

/* The generic part of a function reset (QEMU's pci_do_device_reset). */
void emu_pci_device_reset(EmuPciDevice *d)
{
    uint8_t *c = d->config;

    put16(c + EMU_PCI_COMMAND, 0);
    c[EMU_PCI_STATUS] &= EMU_PCI_STATUS_CAP_LIST;
    c[EMU_PCI_STATUS + 1] = 0;
    c[EMU_PCI_CACHE_LINE_SIZE] = 0;
    c[EMU_PCI_LATENCY_TIMER] = 0;
    c[EMU_PCI_INTERRUPT_LINE] = 0;
    for (unsigned i = 0; i < EMU_PCI_NUM_BARS; i++) {
        uint8_t *reg = &c[EMU_PCI_BASE_ADDRESS_0 + 4 * i];

        if (d->bars[i].size) {
            put32(reg, d->bars[i].flags);
            if (d->bars[i].flags & EMU_PCI_BAR_MEM64) {
                put32(reg + 4, 0);
            }
        }
    }
    d->irq_level = false;
    emu_pci_device_decode(d);
    if (d->info.reset) {
        d->info.reset(d);
    }
    emu_pcie_host_update_intx(d->host);
}

/* QEMU's PCI address syntax: "slot[.function]", hexadecimal */
bool emu_pci_parse_addr(const char *v, int *devfn, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(v, ".", 3);
    const char *slot_text = parts[0];
    guint64 slot, fn = 0;

    if (slot_text && g_str_has_prefix(slot_text, "0x")) {
        slot_text += 2;
    }
    if (!slot_text || (parts[1] && parts[2]) ||
        !g_ascii_string_to_unsigned(slot_text, 16, 0, 31, &slot, NULL) ||
        (parts[1] &&
         !g_ascii_string_to_unsigned(g_str_has_prefix(parts[1], "0x")
                                         ? parts[1] + 2
                                         : parts[1],
                                     16, 0, 7, &fn, NULL))) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "addr=%s: expected slot[.function] (hex, slot < 0x20)", v);
        return false;
    }
    *devfn = EMU_PCI_DEVFN(slot, fn);
    return true;
}
