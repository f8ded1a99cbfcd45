/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pcie-root-port.c: QEMU's "pcie-root-port" (1b36:000c) — a PCI-to-PCI
 * bridge on bus 0 whose bus numbers and windows route configuration,
 * memory and I/O cycles to its secondary bus, and a PCI Express root port
 * capability with one hot-plug slot driven the way Linux's pciehp (or any
 * OS following the spec) expects. PCI-to-PCI Bridge spec 1.2 §3.2 (type 1
 * header), §4.1 (address decoding); PCI Express Base spec 4.0 §6.7
 * (hot-plug), §7.5.3 (PCI Express capability). Behaviour follows QEMU's
 * hw/pci/pcie.c (pcie_cap_slot_*) so that guests see the same thing. */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/hw/pci-internal.h"

#define ROOT_PORT_VENDOR     0x1b36 /* Red Hat, Inc. */
#define ROOT_PORT_DEVICE     0x000c /* QEMU PCIe Root port */
#define PCI_CLASS_BRIDGE_PCI 0x060400
#define ROOT_PORT_MAX_SLOT   8191 /* Physical Slot Number: 13 bits */

/* type 1 header (PCI-to-PCI Bridge spec 1.2 §3.2) */
#define PB_PRIMARY_BUS      0x18
#define PB_SECONDARY_BUS    0x19
#define PB_SUBORDINATE_BUS  0x1a
#define PB_SEC_LATENCY      0x1b
#define PB_IO_BASE          0x1c
#define PB_IO_LIMIT         0x1d
#define PB_SEC_STATUS       0x1e
#define PB_MEM_BASE         0x20
#define PB_MEM_LIMIT        0x22
#define PB_PREF_BASE        0x24
#define PB_PREF_LIMIT       0x26
#define PB_PREF_BASE_UPPER  0x28
#define PB_PREF_LIMIT_UPPER 0x2c
#define PB_BRIDGE_CONTROL   0x3e
#define PB_WINDOWS_END      0x34 /* bus numbers .. I/O upper limit */

#define PB_PREF_64          0x0001 /* §3.2.5.9: 64-bit prefetchable */
#define PB_BRIDGE_CTL_WMASK 0x007f /* parity .. secondary bus reset */
#define PB_BRIDGE_CTL_RESET 0x0040 /* §3.2.5.17 secondary bus reset */

/* PCI Express capability (PCIe Base spec 4.0 §7.5.3), version 2 */
#define PCI_CAP_ID_EXP 0x10
#define EXP_SIZE       0x3c
#define EXP_FLAGS      0x02
#define EXP_DEVCAP     0x04
#define EXP_DEVCTL     0x08
#define EXP_DEVSTA     0x0a
#define EXP_LNKCAP     0x0c
#define EXP_LNKCTL     0x10
#define EXP_LNKSTA     0x12
#define EXP_SLTCAP     0x14
#define EXP_SLTCTL     0x18
#define EXP_SLTSTA     0x1a
#define EXP_RTCTL      0x1c
#define EXP_RTSTA      0x20
#define EXP_LNKCAP2    0x2c
#define EXP_LNKCTL2    0x30

#define EXP_FLAGS_V2        0x0002
#define EXP_FLAGS_ROOT_PORT 0x0040 /* device/port type 4 */
#define EXP_FLAGS_SLOT      0x0100 /* slot implemented */
#define EXP_DEVCAP_RBER     0x8000 /* role-based error reporting */
#define EXP_LNKCAP_2_5GT    0x0001
#define EXP_LNKCAP_X1       0x0010
#define EXP_LNKCAP_DLLLARC  0x00100000
#define EXP_LNKSTA_2_5GT    0x0001
#define EXP_LNKSTA_X1       0x0010
#define EXP_LNKSTA_DLLLA    0x2000
#define EXP_LNKSTA_W1C      0xc000 /* bandwidth management status */

/* Slot Capabilities (§7.5.3.9) */
#define SLTCAP_ABP       0x00000001 /* attention button present */
#define SLTCAP_PCP       0x00000002 /* power controller present */
#define SLTCAP_AIP       0x00000008 /* attention indicator present */
#define SLTCAP_PIP       0x00000010 /* power indicator present */
#define SLTCAP_HPC       0x00000040 /* hot-plug capable */
#define SLTCAP_PSN_SHIFT 19         /* physical slot number */

/* Slot Control (§7.5.3.10) */
#define SLTCTL_ABPE      0x0001
#define SLTCTL_PDCE      0x0008
#define SLTCTL_CCIE      0x0010
#define SLTCTL_HPIE      0x0020
#define SLTCTL_AIC       0x00c0
#define SLTCTL_AIC_OFF   0x00c0
#define SLTCTL_PIC       0x0300
#define SLTCTL_PIC_ON    0x0100
#define SLTCTL_PIC_BLINK 0x0200
#define SLTCTL_PIC_OFF   0x0300
#define SLTCTL_PCC       0x0400 /* 1 = power off */
#define SLTCTL_DLLSCE    0x1000
#define SLTCTL_WMASK                                                        \
    (SLTCTL_ABPE | SLTCTL_PDCE | SLTCTL_CCIE | SLTCTL_HPIE | SLTCTL_AIC |  \
     SLTCTL_PIC | SLTCTL_PCC | SLTCTL_DLLSCE)

/* Slot Status (§7.5.3.11) */
#define SLTSTA_ABP   0x0001 /* attention button pressed */
#define SLTSTA_PFD   0x0002 /* power fault detected (never: no fault) */
#define SLTSTA_MRLSC 0x0004
#define SLTSTA_PDC   0x0008 /* presence detect changed */
#define SLTSTA_CC    0x0010 /* command completed */
#define SLTSTA_PDS   0x0040 /* presence detect state */
#define SLTSTA_DLLSC 0x0100 /* data link layer state changed */
#define SLTSTA_W1C                                                          \
    (SLTSTA_ABP | SLTSTA_PFD | SLTSTA_MRLSC | SLTSTA_PDC | SLTSTA_CC |     \
     SLTSTA_DLLSC)

struct EmuPciPort {
    EmuPciHost *h;
    EmuPciDevice *dev; /* the port's own function on bus 0 */
    char *id;
    unsigned chassis, slot;
    unsigned exp;              /* PCI Express capability offset */
    EmuPciDevice *fns[8];      /* device 0 of the secondary bus */
    uint16_t sltctl;           /* Slot Control as last acted on */
    bool bus_reset;            /* secondary bus reset bit as last seen */
};

static uint16_t get16(const uint8_t *p)
{
    return p[0] | p[1] << 8;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static uint32_t get32(const uint8_t *p)
{
    return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static uint8_t *exp_reg(EmuPciPort *p, unsigned reg)
{
    return p->dev->config + p->exp + reg;
}

static uint16_t port_command(EmuPciPort *p)
{
    return get16(p->dev->config + EMU_PCI_COMMAND);
}

/* PCC = 0 means the slot has power (§7.5.3.10) */
static bool powered(EmuPciPort *p)
{
    return !(get16(exp_reg(p, EXP_SLTCTL)) & SLTCTL_PCC);
}

/* QEMU's pcie_sltctl_powered_off(): power and power indicator both off */
static bool powered_off(uint16_t sltctl)
{
    return (sltctl & SLTCTL_PCC) &&
           (sltctl & SLTCTL_PIC) == SLTCTL_PIC_OFF;
}

/* ---- events and the interrupt (§6.7.3.4) ------------------------------- */

/*
 * The port interrupts (INTx: the board has no MSI controller; Linux's
 * portdrv falls back to INTx) while hot-plug interrupts are enabled and
 * an event is both pending and enabled. Level-triggered: the guest clears
 * the status bits (RW1C) to drop it.
 */
static void update_irq(EmuPciPort *p)
{
    uint16_t ctl = get16(exp_reg(p, EXP_SLTCTL));
    uint16_t sta = get16(exp_reg(p, EXP_SLTSTA));
    uint16_t ev = sta & ctl & (SLTSTA_ABP | SLTSTA_PDC | SLTSTA_CC);
    bool level;

    if ((sta & SLTSTA_DLLSC) && (ctl & SLTCTL_DLLSCE)) {
        ev |= SLTSTA_DLLSC;
    }
    level = (ctl & SLTCTL_HPIE) && ev;
    if (level != p->dev->irq_level) {
        emu_pci_set_irq(p->dev, level);
    }
}

static void set_events(EmuPciPort *p, uint16_t ev)
{
    uint8_t *sta = exp_reg(p, EXP_SLTSTA);

    put16(sta, get16(sta) | ev);
}

static void set_presence(EmuPciPort *p, bool present)
{
    uint8_t *sta = exp_reg(p, EXP_SLTSTA);
    uint8_t *lnk = exp_reg(p, EXP_LNKSTA);

    if (present) {
        put16(sta, get16(sta) | SLTSTA_PDS);
        put16(lnk, get16(lnk) | EXP_LNKSTA_DLLLA);
    } else {
        put16(sta, get16(sta) & ~SLTSTA_PDS);
        put16(lnk, get16(lnk) & ~EXP_LNKSTA_DLLLA);
    }
}

static void set_slot_control(EmuPciPort *p, uint16_t v)
{
    put16(exp_reg(p, EXP_SLTCTL), v);
    p->sltctl = v;
}

static void redecode_children(EmuPciPort *p)
{
    for (unsigned fn = 0; fn < 8; fn++) {
        if (p->fns[fn]) {
            emu_pci_device_decode(p->fns[fn]);
        }
    }
}

static void reset_children(EmuPciPort *p)
{
    for (unsigned fn = 0; fn < 8; fn++) {
        if (p->fns[fn]) {
            emu_pci_device_reset(p->fns[fn]);
        }
    }
}

/* The slot empties: every function goes (QEMU's pcie_cap_slot_do_unplug),
 * presence and link drop, and presence detect changed is latched. */
static void do_unplug(EmuPciPort *p)
{
    for (unsigned fn = 0; fn < 8; fn++) {
        EmuPciDevice *d = p->fns[fn];

        if (d) {
            p->fns[fn] = NULL;
            emu_pcie_host_detach(p->h, d);
        }
    }
    set_presence(p, false);
    set_events(p, SLTSTA_PDC);
}

/* A write to Slot Control is one command (§6.7.3.2), carried out at once
 * and acknowledged with Command Completed. Turning power and power
 * indicator off on an occupied slot is the guest letting go of it: the
 * hot-unplug completes (§6.7.1.8). Taking power away resets the
 * functions, which stop decoding until power comes back. */
static void slot_control_written(EmuPciPort *p)
{
    uint16_t old = p->sltctl;
    uint16_t val = get16(exp_reg(p, EXP_SLTCTL));
    uint16_t sta = get16(exp_reg(p, EXP_SLTSTA));

    p->sltctl = val;
    if ((sta & SLTSTA_PDS) && powered_off(val) && !powered_off(old)) {
        do_unplug(p);
    } else if ((val & SLTCTL_PCC) && !(old & SLTCTL_PCC)) {
        reset_children(p);
    }
    set_events(p, SLTSTA_CC);
}

/* ---- configuration space ------------------------------------------------ */

static bool touches(uint32_t off, unsigned size, uint32_t reg, unsigned len)
{
    return off < reg + len && off + size > reg;
}

static void port_config_write(EmuPciDevice *d, uint32_t off, uint32_t value,
                              unsigned size)
{
    EmuPciPort *p = d->port;
    bool redecode = false;

    if (touches(off, size, PB_BRIDGE_CONTROL, 2)) {
        bool reset = get16(d->config + PB_BRIDGE_CONTROL) & PB_BRIDGE_CTL_RESET;

        if (reset && !p->bus_reset) {
            reset_children(p);
        }
        p->bus_reset = reset;
        redecode = true;
    }
    if (touches(off, size, p->exp + EXP_SLTCTL, 2)) {
        slot_control_written(p);
        redecode = true;
    }
    if (touches(off, size, EMU_PCI_COMMAND, 2) ||
        touches(off, size, PB_PRIMARY_BUS, PB_WINDOWS_END - PB_PRIMARY_BUS)) {
        redecode = true;
    }
    if (redecode) {
        redecode_children(p);
    }
    update_irq(p);
    (void)value;
}

/* QEMU's rp_reset: bridge registers cleared, windows closed
 * (pci_bridge_disable_base_limit), slot as pcie_cap_slot_reset leaves it —
 * an occupied slot powered with its power indicator on, an empty one off. */
static void port_reset(EmuPciDevice *d)
{
    EmuPciPort *p = d->port;
    uint8_t *c = d->config;
    bool populated = false;
    uint16_t ctl;

    c[PB_PRIMARY_BUS] = 0;
    c[PB_SECONDARY_BUS] = 0;
    c[PB_SUBORDINATE_BUS] = 0;
    c[PB_SEC_LATENCY] = 0;
    c[PB_IO_BASE] = 0xf0;
    c[PB_IO_LIMIT] = 0;
    put16(c + PB_SEC_STATUS, 0);
    put16(c + PB_MEM_BASE, 0xfff0);
    put16(c + PB_MEM_LIMIT, 0);
    put16(c + PB_PREF_BASE, 0xfff0 | PB_PREF_64);
    put16(c + PB_PREF_LIMIT, PB_PREF_64);
    put32(c + PB_PREF_BASE_UPPER, 0xffffffff);
    put32(c + PB_PREF_LIMIT_UPPER, 0);
    put16(c + PB_BRIDGE_CONTROL, 0);
    p->bus_reset = false;

    put16(exp_reg(p, EXP_DEVCTL), 0);
    put16(exp_reg(p, EXP_DEVSTA), 0);
    put16(exp_reg(p, EXP_LNKCTL), 0);
    put16(exp_reg(p, EXP_RTCTL), 0);
    put32(exp_reg(p, EXP_RTSTA), 0);
    for (unsigned fn = 0; fn < 8; fn++) {
        populated |= p->fns[fn] != NULL;
    }
    ctl = SLTCTL_AIC_OFF | (populated ? SLTCTL_PIC_ON
                                      : SLTCTL_PIC_OFF | SLTCTL_PCC);
    set_slot_control(p, ctl);
    put16(exp_reg(p, EXP_SLTSTA), 0);
    set_presence(p, populated);
    update_irq(p);
}

/* ---- what the host bridge asks ------------------------------------------ */

EmuPciPort *emu_pcie_port_for_bus(EmuPciHost *h, unsigned bus)
{
    for (guint i = 0; i < h->ports->len; i++) {
        EmuPciPort *p = g_ptr_array_index(h->ports, i);
        const uint8_t *c = p->dev->config;

        /* forwarded only within [secondary, subordinate] (§3.2.5.3) */
        if (c[PB_SECONDARY_BUS] == bus && c[PB_SUBORDINATE_BUS] >= bus) {
            return p;
        }
    }
    return NULL;
}

EmuPciDevice *emu_pcie_port_child(EmuPciPort *p, unsigned devfn)
{
    if (EMU_PCI_SLOT(devfn) != 0 || !powered(p)) {
        return NULL;
    }
    return p->fns[devfn & 7];
}

EmuPciDevice *emu_pcie_port_function(EmuPciPort *p, unsigned fn)
{
    return fn < 8 ? p->fns[fn] : NULL;
}

EmuPciDevice *emu_pcie_port_self(EmuPciPort *p)
{
    return p->dev;
}

const char *emu_pcie_port_id(EmuPciPort *p)
{
    return p->id;
}

unsigned emu_pcie_port_secondary(EmuPciPort *p)
{
    return p->dev->config[PB_SECONDARY_BUS];
}

/* The windows as the bridge decodes them (§3.2.5.6-§3.2.5.10): a window
 * whose base is above its limit is closed. I/O is 16-bit, memory 32-bit
 * with 1 MiB granularity, prefetchable memory 64-bit. */
static bool io_window(EmuPciPort *p, uint64_t *base, uint64_t *limit)
{
    const uint8_t *c = p->dev->config;

    *base = (uint64_t)(c[PB_IO_BASE] & 0xf0) << 8;
    *limit = (uint64_t)(c[PB_IO_LIMIT] & 0xf0) << 8 | 0xfff;
    return *base <= *limit;
}

static bool mem_window(EmuPciPort *p, uint64_t *base, uint64_t *limit)
{
    const uint8_t *c = p->dev->config;

    *base = (uint64_t)(get16(c + PB_MEM_BASE) & 0xfff0) << 16;
    *limit = (uint64_t)(get16(c + PB_MEM_LIMIT) & 0xfff0) << 16 | 0xfffff;
    return *base <= *limit;
}

static bool pref_window(EmuPciPort *p, uint64_t *base, uint64_t *limit)
{
    const uint8_t *c = p->dev->config;

    *base = (uint64_t)(get16(c + PB_PREF_BASE) & 0xfff0) << 16 |
            (uint64_t)get32(c + PB_PREF_BASE_UPPER) << 32;
    *limit = (uint64_t)(get16(c + PB_PREF_LIMIT) & 0xfff0) << 16 | 0xfffff |
             (uint64_t)get32(c + PB_PREF_LIMIT_UPPER) << 32;
    return *base <= *limit;
}

static bool inside(uint64_t base, uint64_t limit, uint64_t addr,
                   uint64_t size)
{
    return size && addr >= base && addr <= limit && size - 1 <= limit - addr;
}

bool emu_pcie_port_forwards(EmuPciPort *p, bool io, uint64_t addr,
                            uint64_t size)
{
    uint16_t cmd = port_command(p);
    uint64_t base, limit;

    if (!powered(p)) {
        return false;
    }
    if (io) {
        return (cmd & EMU_PCI_COMMAND_IO) && io_window(p, &base, &limit) &&
               inside(base, limit, addr, size);
    }
    if (!(cmd & EMU_PCI_COMMAND_MEMORY)) {
        return false;
    }
    if (mem_window(p, &base, &limit) && inside(base, limit, addr, size)) {
        return true;
    }
    return pref_window(p, &base, &limit) && inside(base, limit, addr, size);
}

bool emu_pcie_port_master(EmuPciPort *p)
{
    return (port_command(p) & EMU_PCI_COMMAND_MASTER) && powered(p);
}

bool emu_pcie_port_attach(EmuPciPort *p, EmuPciDevice *d, GError **error)
{
    unsigned fn = d->devfn & 7;

    if (p->fns[fn]) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "slot 0 function %u of bus '%s' is in use by '%s'", fn,
                    p->id,
                    p->fns[fn]->id ? p->fns[fn]->id : p->fns[fn]->name);
        return false;
    }
    p->fns[fn] = d;
    if (fn && p->fns[0]) {
        p->fns[0]->config[EMU_PCI_HEADER_TYPE] |= 0x80;
    }
    set_presence(p, true);
    if (!p->h->live) {
        /* present from the start: no event, slot powered (QEMU does not
         * signal cold-plugged devices either) */
        set_slot_control(p, (get16(exp_reg(p, EXP_SLTCTL)) &
                             ~(SLTCTL_PCC | SLTCTL_PIC)) |
                                SLTCTL_PIC_ON);
        return true;
    }
    /* hot-plug: presence detect changed and the attention button, as
     * QEMU's pcie_cap_slot_plug_cb(); the guest powers the slot on */
    set_events(p, SLTSTA_PDC | SLTSTA_ABP);
    update_irq(p);
    return true;
}

bool emu_pcie_port_unplug_request(EmuPciPort *p, EmuPciDevice *d,
                                  GError **error)
{
    uint16_t ctl = get16(exp_reg(p, EXP_SLTCTL));

    if ((ctl & SLTCTL_PIC) == SLTCTL_PIC_BLINK) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "Hot-unplug of '%s' failed: guest is busy (power "
                    "indicator blinking)",
                    d->id ? d->id : d->name);
        return false;
    }
    if (ctl & SLTCTL_PCC) {
        /* nobody powered the slot: nothing to ask the guest */
        do_unplug(p);
    } else {
        /* §6.7.1.5: the attention button asks the OS to remove the
         * adapter; pressing it again while the event is still pending
         * changes nothing (a second edge could cancel the removal) */
        set_events(p, SLTSTA_ABP);
    }
    update_irq(p);
    return true;
}

void emu_pcie_port_format_info(EmuPciPort *p, GString *out)
{
    const uint8_t *c = p->dev->config;
    uint16_t ctl = get16(exp_reg(p, EXP_SLTCTL));
    uint16_t sta = get16(exp_reg(p, EXP_SLTSTA));
    static const struct {
        bool (*get)(EmuPciPort *p, uint64_t *base, uint64_t *limit);
        const char *name;
        int digits;
    } windows[] = {
        {io_window, "IO", 4},
        {mem_window, "memory", 8},
        {pref_window, "prefetchable memory", 8},
    };
    uint64_t base, limit;

    g_string_append_printf(out, "      BUS %u.\n", c[PB_PRIMARY_BUS]);
    g_string_append_printf(out, "      secondary bus %u.\n",
                           c[PB_SECONDARY_BUS]);
    g_string_append_printf(out, "      subordinate bus %u.\n",
                           c[PB_SUBORDINATE_BUS]);
    for (unsigned i = 0; i < G_N_ELEMENTS(windows); i++) {
        if (!windows[i].get(p, &base, &limit)) {
            base = limit = 0;
        }
        g_string_append_printf(out,
                               "      %s range [0x%0*" G_GINT64_MODIFIER
                               "x, 0x%0*" G_GINT64_MODIFIER "x]\n",
                               windows[i].name, windows[i].digits, base,
                               windows[i].digits, limit);
    }
    g_string_append_printf(
        out, "      slot %u (chassis %u): %s, power %s\n", p->slot,
        p->chassis, sta & SLTSTA_PDS ? "occupied" : "empty",
        ctl & SLTCTL_PCC                               ? "off"
        : (ctl & SLTCTL_PIC) == SLTCTL_PIC_BLINK       ? "on (blinking)"
                                                       : "on");
}

/* ---- construction ------------------------------------------------------- */

static EmuPciPort *port_by_id(EmuPciHost *h, const char *id)
{
    for (guint i = 0; i < h->ports->len; i++) {
        EmuPciPort *p = g_ptr_array_index(h->ports, i);

        if (!strcmp(p->id, id)) {
            return p;
        }
    }
    return NULL;
}

static void init_exp(EmuPciPort *p)
{
    uint8_t *c = p->dev->config + p->exp;
    uint8_t *w = p->dev->wmask + p->exp;
    uint8_t *w1c = p->dev->w1cmask + p->exp;

    put16(c + EXP_FLAGS, EXP_FLAGS_V2 | EXP_FLAGS_ROOT_PORT | EXP_FLAGS_SLOT);
    put32(c + EXP_DEVCAP, EXP_DEVCAP_RBER);
    put32(c + EXP_LNKCAP, EXP_LNKCAP_2_5GT | EXP_LNKCAP_X1 |
                              EXP_LNKCAP_DLLLARC |
                              (uint32_t)(p->slot & 0xff) << 24);
    put16(c + EXP_LNKSTA, EXP_LNKSTA_2_5GT | EXP_LNKSTA_X1);
    put32(c + EXP_SLTCAP, SLTCAP_ABP | SLTCAP_PCP | SLTCAP_AIP | SLTCAP_PIP |
                              SLTCAP_HPC |
                              (uint32_t)p->slot << SLTCAP_PSN_SHIFT);
    put32(c + EXP_LNKCAP2, 0x2); /* supported speeds: 2.5 GT/s */
    put16(c + EXP_LNKCTL2, 0x1); /* target link speed 2.5 GT/s */

    /* device control: error reporting, payload, relaxed ordering... */
    put16(w + EXP_DEVCTL, 0x7fff);
    put16(w1c + EXP_DEVSTA, 0x000f);
    /* link control: ASPM, RCB, common clock, extended synch; the retrain
     * bit reads 0 (training completes at once) */
    put16(w + EXP_LNKCTL, 0x00cb);
    put16(w1c + EXP_LNKSTA, EXP_LNKSTA_W1C);
    put16(w + EXP_SLTCTL, SLTCTL_WMASK);
    put16(w1c + EXP_SLTSTA, SLTSTA_W1C);
    put16(w + EXP_RTCTL, 0x001f);
    put32(w1c + EXP_RTSTA, 0x00010000); /* PME status */
}

EmuPciDevice *emu_pcie_root_port_new(EmuPciHost *h,
                                     const EmuPcieRootPortConfig *cfg,
                                     GError **error)
{
    static const EmuPciDeviceInfo info = {
        .name = "pcie-root-port",
        .vendor_id = ROOT_PORT_VENDOR,
        .device_id = ROOT_PORT_DEVICE,
        .class_code = PCI_CLASS_BRIDGE_PCI,
        .interrupt_pin = 1,
        .express = true,
        .config_write = port_config_write,
        .reset = port_reset,
    };
    EmuPciPort *p;
    EmuPciDevice *d;
    uint8_t *c, *w;

    if (!cfg->id || !*cfg->id) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "pcie-root-port: id= is required (it names the bus)");
        return NULL;
    }
    if (cfg->chassis > 0xff || cfg->slot > ROOT_PORT_MAX_SLOT) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "pcie-root-port: chassis must be 0..255 and slot 0..%u",
                    ROOT_PORT_MAX_SLOT);
        return NULL;
    }
    if (port_by_id(h, cfg->id) || emu_pcie_host_find(h, cfg->id)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "Duplicate device ID '%s'", cfg->id);
        return NULL;
    }
    for (guint i = 0; i < h->ports->len; i++) {
        EmuPciPort *o = g_ptr_array_index(h->ports, i);

        if (o->chassis == cfg->chassis && o->slot == cfg->slot) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "pcie-root-port: chassis %u slot %u is already "
                        "used by '%s'",
                        cfg->chassis, cfg->slot, o->id);
            return NULL;
        }
    }
    p = g_new0(EmuPciPort, 1);
    d = emu_pci_device_new(h, cfg->devfn, &info, p, error);
    if (!d) {
        g_free(p);
        return NULL;
    }
    p->h = h;
    p->dev = d;
    p->id = g_strdup(cfg->id);
    p->chassis = cfg->chassis;
    p->slot = cfg->slot;
    d->port = p;
    emu_pci_set_hotplug(d, cfg->id, NULL, NULL);

    c = d->config;
    w = d->wmask;
    c[EMU_PCI_HEADER_TYPE] = (c[EMU_PCI_HEADER_TYPE] & 0x80) | 0x01;
    memset(w + PB_PRIMARY_BUS, 0xff, 4); /* bus numbers, latency */
    w[PB_IO_BASE] = 0xf0;
    w[PB_IO_LIMIT] = 0xf0;
    put16(d->w1cmask + PB_SEC_STATUS, 0xf900);
    put16(w + PB_MEM_BASE, 0xfff0);
    put16(w + PB_MEM_LIMIT, 0xfff0);
    put16(w + PB_PREF_BASE, 0xfff0);
    put16(w + PB_PREF_LIMIT, 0xfff0);
    put32(w + PB_PREF_BASE_UPPER, 0xffffffff);
    put32(w + PB_PREF_LIMIT_UPPER, 0xffffffff);
    put16(w + PB_BRIDGE_CONTROL, PB_BRIDGE_CTL_WMASK);

    /* the capability list is built before anything can fail to fit:
     * 0x40 + 0x3c always does */
    p->exp = emu_pci_add_capability(d, PCI_CAP_ID_EXP, EXP_SIZE, error);
    g_assert(p->exp);
    init_exp(p);
    g_ptr_array_add(h->ports, p);
    port_reset(d);
    return d;
}

void emu_pcie_port_free(EmuPciPort *p)
{
    if (p) {
        g_free(p->id);
        g_free(p);
    }
}

bool emu_pcie_root_port_create(EmuPciHost *h, const char *text,
                               GError **error)
{
    EmuOpts *opts = emu_opts_parse(text, "driver", error);
    EmuPcieRootPortConfig cfg = {.devfn = -1};
    const char *driver, *bus, *addr, *v;
    bool multifunction;
    uint64_t n;
    bool ok = false;

    if (!opts) {
        return false;
    }
    driver = emu_opts_get(opts, "driver");
    bus = emu_opts_get(opts, "bus");
    addr = emu_opts_get(opts, "addr");
    cfg.id = emu_opts_get(opts, "id");
    if (driver && strcmp(driver, "pcie-root-port")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "'%s' is not a pcie-root-port", driver);
        goto out;
    }
    if (bus && strcmp(bus, "pcie.0") && strcmp(bus, "pci.0")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "pcie-root-port: bus=%s: root ports sit on pcie.0", bus);
        goto out;
    }
    if (addr && !emu_pci_parse_addr(addr, &cfg.devfn, error)) {
        goto out;
    }
    v = emu_opts_get(opts, "chassis");
    if (v && (!g_ascii_string_to_unsigned(v, 10, 0, 0xff, &n, NULL))) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "pcie-root-port: chassis=%s: expected 0..255", v);
        goto out;
    }
    cfg.chassis = v ? n : 0;
    v = emu_opts_get(opts, "slot");
    if (v && (!g_ascii_string_to_unsigned(v, 10, 0, ROOT_PORT_MAX_SLOT, &n,
                                          NULL))) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "pcie-root-port: slot=%s: expected 0..%u", v,
                    ROOT_PORT_MAX_SLOT);
        goto out;
    }
    cfg.slot = v ? n : 0;
    /* accepted for libvirt's command lines: the port number only labels
     * the link, and function 0 becomes multi-function by itself */
    (void)emu_opts_get(opts, "port");
    if (!emu_opts_get_bool(opts, "multifunction", false, &multifunction,
                           error) ||
        !emu_opts_check_unused(opts, NULL, error)) {
        goto out;
    }
    ok = emu_pcie_root_port_new(h, &cfg, error) != NULL;
out:
    emu_opts_free(opts);
    return ok;
}
