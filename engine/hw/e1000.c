/* SPDX-License-Identifier: GPL-2.0-or-later */
/* e1000.c: the Intel 82540EM gigabit NIC ("e1000") on the PCIe host —
 * registers, Microwire EEPROM and EERD, the M88E1011 PHY behind MDIC,
 * interrupts with ITR throttling, the receive ring with address
 * filtering, statistics, link state, and the NIC client for -device/-nic.
 * Transmit lives in e1000-tx.c. Reference: Intel 8254x Family of Gigabit
 * Ethernet Controllers Software Developer's Manual (SDM), rev 4.0. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/hw/e1000-regs.h"
#include "engine/hw/pci.h"
#include "engine/hw/virt.h"

#define MODEL "e1000"

/* ---- guest memory ------------------------------------------------------ */

/*
 * Only RAM is a DMA target: a descriptor or buffer address in MMIO, ROM
 * (for writes) or outside guest memory fails, and so does a range running
 * off the end of RAM. (emu_mem_read() would dispatch MMIO and take the
 * device lock we already hold.)
 */
static uint8_t *dma_map(E1000 *s, uint64_t addr, size_t len, bool write)
{
    EmuRegion *r = emu_mem_find(s->m, addr);
    uint64_t off;

    if (!r || !r->host || (write && r->readonly)) {
        return NULL;
    }
    off = addr - r->base;
    if (len > r->size - off) {
        return NULL;
    }
    return r->host + off;
}

bool emu_e1000_dma_read(E1000 *s, uint64_t addr, void *buf, size_t len)
{
    const uint8_t *p;

    if (len == 0) {
        return true;
    }
    p = dma_map(s, addr, len, false);
    if (!p) {
        return false;
    }
    memcpy(buf, p, len);
    return true;
}

bool emu_e1000_dma_write(E1000 *s, uint64_t addr, const void *buf, size_t len)
{
    uint8_t *p;

    if (len == 0) {
        return true;
    }
    p = dma_map(s, addr, len, true);
    if (!p) {
        return false;
    }
    memcpy(p, buf, len);
    emu_mem_dirty(s->m, addr, len);
    return true;
}

/* ---- the FCS ------------------------------------------------------------ */

/* IEEE 802.3 CRC-32 (reflected 0x04c11db7), a nibble at a time */
static uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
    static const uint32_t tab[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };
    uint32_t crc = 0xffffffff;

    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ tab[crc & 15];
        crc = (crc >> 4) ^ tab[crc & 15];
    }
    return ~crc;
}

/* ---- statistics (SDM §13.7) -------------------------------------------- */

/* counters stick at their maximum */
void emu_e1000_stat_inc(E1000 *s, uint32_t off)
{
    if (e1000_reg(s, off) != UINT32_MAX) {
        e1000_reg_set(s, off, e1000_reg(s, off) + 1);
    }
}

void emu_e1000_stat_add64(E1000 *s, uint32_t off_low, uint64_t n)
{
    uint64_t v =
        (uint64_t)e1000_reg(s, off_low + 4) << 32 | e1000_reg(s, off_low);

    v = v + n < v ? UINT64_MAX : v + n;
    e1000_reg_set(s, off_low, (uint32_t)v);
    e1000_reg_set(s, off_low + 4, (uint32_t)(v >> 32));
}

/* the size bins PRC64..PRC1522 / PTC64..PTC1522; @len includes the FCS */
void emu_e1000_stat_size(E1000 *s, uint32_t first, size_t len)
{
    static const size_t top[5] = {64, 127, 255, 511, 1023};
    unsigned bin = 5;

    if (len < 64) {
        return; /* runts are not counted in the bins */
    }
    for (unsigned i = 0; i < 5; i++) {
        if (len <= top[i]) {
            bin = i;
            break;
        }
    }
    emu_e1000_stat_inc(s, first + 4 * bin);
}

/* Every statistics register clears when read; a 64-bit pair clears when
 * its high half is read (SDM §13.7.31). */
static uint32_t stat_read(E1000 *s, uint32_t off)
{
    uint32_t v = e1000_reg(s, off);

    switch (off) {
    case E1000_GORCL:
    case E1000_GOTCL:
    case E1000_TORL:
    case E1000_TOTL:
        return v;
    case E1000_GORCH:
    case E1000_GOTCH:
    case E1000_TORH:
    case E1000_TOTH:
        e1000_reg_set(s, off - 4, 0);
        break;
    }
    e1000_reg_set(s, off, 0);
    return v;
}

/* ---- interrupts (SDM §13.4.17-21) -----------------------------------------
 */

/*
 * INTA# follows ICR & IMS. ITR sets a minimum interval between two
 * assertions, in 256 ns units (§13.4.18): an assertion inside the window
 * waits for its end on a timer, one after a quiet period happens at once,
 * so a lone interrupt is never delayed. (QEMU instead delays every first
 * interrupt by at least 128 us.) RDTR/RADV/TIDV/TADV are kept but not
 * timed: ITR already bounds the rate.
 */
static void irq_update(E1000 *s)
{
    bool pending = (e1000_reg(s, E1000_ICR) & e1000_reg(s, E1000_IMS)) != 0;
    uint32_t itr = e1000_reg(s, E1000_ITR) & 0xffff;

    if (!pending) {
        if (s->irq_level) {
            s->irq_level = false;
            emu_pci_set_irq(s->pci, false);
        }
        return;
    }
    if (s->irq_level) {
        return;
    }
    if (s->mitigation && itr) {
        int64_t now = g_get_monotonic_time();

        if (now < s->irq_next_us) {
            g_source_set_ready_time(s->itr_timer, s->irq_next_us);
            return;
        }
        s->irq_next_us = now + ((int64_t)itr * 256 + 999) / 1000;
    }
    s->irq_level = true;
    emu_pci_set_irq(s->pci, true);
}

void emu_e1000_set_ics(E1000 *s, uint32_t causes)
{
    e1000_reg_set(s, E1000_ICR, e1000_reg(s, E1000_ICR) | causes);
    irq_update(s);
}

/* the ITR timer: a source whose ready time is the end of the window */
typedef struct ItrSource {
    GSource src;
    E1000 *s;
} ItrSource;

static gboolean itr_timer_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    E1000 *s = ((ItrSource *)src)->s;

    emu_machine_lock(s->m);
    g_source_set_ready_time(src, -1);
    irq_update(s);
    emu_machine_unlock(s->m);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs itr_timer_funcs = {
    .dispatch = itr_timer_dispatch,
};

/* ---- EEPROM (SDM §5, Table 5-2) --------------------------------------- */

/* QEMU's 82540EM image: MAC in words 0..2, device ID in 11 and 13 */
static const uint16_t eeprom_template[E1000_EEPROM_WORDS] = {
    0x0000, 0x0000, 0x0000, 0x0000, 0xffff, 0x0000, 0x0000, 0x0000,
    0x3000, 0x1000, 0x6403, 0x0000, 0x8086, 0x0000, 0x8086, 0x3040,
    0x0008, 0x2000, 0x7e14, 0x0048, 0x1000, 0x00d8, 0x0000, 0x2700,
    0x6cc9, 0x3150, 0x0722, 0x040b, 0x0984, 0x0000, 0xc000, 0x0706,
    0x1008, 0x0000, 0x0f04, 0x7fff, 0x4d01, 0xffff, 0xffff, 0xffff,
    0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
    0x0100, 0x4000, 0x121c, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff,
    0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0x0000,
};

static void eeprom_init(E1000 *s)
{
    uint16_t sum = 0;

    memcpy(s->eeprom, eeprom_template, sizeof(s->eeprom));
    for (unsigned i = 0; i < 3; i++) {
        s->eeprom[i] = s->macaddr[2 * i] | s->macaddr[2 * i + 1] << 8;
    }
    s->eeprom[11] = s->eeprom[13] = E1000_DEV_ID_82540EM;
    for (unsigned i = 0; i < E1000_EEPROM_WORDS - 1; i++) {
        sum += s->eeprom[i];
    }
    /* the 64 words sum to 0xbaba (§5.6.1) */
    s->eeprom[E1000_EEPROM_WORDS - 1] = E1000_EEPROM_SUM - sum;
}

/* EECD: DO carries the bit being read, MSB first; a 64-word part has no
 * EE_SIZE bit (6 address bits). The grant is immediate. */
static uint32_t eecd_read(E1000 *s)
{
    uint32_t v = E1000_EECD_PRES | E1000_EECD_GNT | s->ee.old;
    unsigned bit = s->ee.bitnum_out;

    if (!s->ee.reading ||
        ((s->eeprom[(bit >> 4) & 0x3f] >> (15 - (bit & 15))) & 1)) {
        v |= E1000_EECD_DO;
    }
    return v;
}

/*
 * The Microwire protocol (§5.4.1) bit by bit: CS rising resets the shift
 * register; DI is sampled on SK's rising edge; after the 3-bit opcode and
 * the 6-bit address a READ streams data words out, one bit per falling
 * edge, continuing into the next words while CS stays high.
 */
static void eecd_write(E1000 *s, uint32_t v)
{
    uint32_t old = s->ee.old;

    s->ee.old = v & (E1000_EECD_SK | E1000_EECD_CS | E1000_EECD_DI |
                     E1000_EECD_FWE_MASK | E1000_EECD_REQ);
    if (!(v & E1000_EECD_CS)) {
        return;
    }
    if ((v ^ old) & E1000_EECD_CS) {
        s->ee.val_in = 0;
        s->ee.bitnum_in = 0;
        s->ee.bitnum_out = 0;
        s->ee.reading = false;
    }
    if (!((v ^ old) & E1000_EECD_SK)) {
        return;
    }
    if (!(v & E1000_EECD_SK)) {
        s->ee.bitnum_out++;
        return;
    }
    s->ee.val_in = s->ee.val_in << 1 | !!(v & E1000_EECD_DI);
    if (s->ee.bitnum_in < UINT16_MAX) {
        s->ee.bitnum_in++;
    }
    if (s->ee.bitnum_in == 9 && !s->ee.reading) {
        /* the falling edge that follows moves to the word's first bit */
        s->ee.bitnum_out = ((s->ee.val_in & 0x3f) << 4) - 1;
        s->ee.reading = ((s->ee.val_in >> 6) & 7) == E1000_EEPROM_READ_OPCODE;
    }
}

/* EERD (§13.4.4): the read completes at once */
static void eerd_write(E1000 *s, uint32_t v)
{
    uint32_t addr = (v >> E1000_EERD_ADDR_SHIFT) & 0xff;
    uint32_t r = addr << E1000_EERD_ADDR_SHIFT;

    if (!(v & E1000_EERD_START)) {
        e1000_reg_set(s, E1000_EERD, r);
        return;
    }
    r |= E1000_EERD_DONE;
    if (addr < E1000_EEPROM_WORDS) {
        r |= (uint32_t)s->eeprom[addr] << E1000_EERD_DATA_SHIFT;
    }
    e1000_reg_set(s, E1000_EERD, r);
}

/* ---- PHY: Marvell 88E1011 as in QEMU's 82540EM (SDM §13.5) ------------- */

enum {
    PHY_BMCR = 0,
    PHY_BMSR = 1,
    PHY_ID1 = 2,
    PHY_ID2 = 3,
    PHY_ANAR = 4,
    PHY_ANLPAR = 5,
    PHY_ANER = 6,
    PHY_NPTX = 7,
    PHY_LPNP = 8,
    PHY_CTRL1000 = 9,
    PHY_STAT1000 = 10,
    PHY_EXTSTAT = 15,
    PHY_SPEC_CTRL = 16,
    PHY_SPEC_STATUS = 17,
    PHY_INT_ENABLE = 18,
    PHY_INT_STATUS = 19,
    PHY_EXT_SPEC_CTRL = 20,
    PHY_RX_ERR = 21,
    PHY_LED_CTRL = 24,
    PHY_PAGE = 29,
    PHY_GEN_CTRL = 30,
};

#define BMCR_ANRESTART   0x0200
#define BMCR_AUTOEN      0x1000
#define BMCR_RESET       0x8000
#define BMSR_LINK        0x0004
#define BMSR_AN_COMP     0x0020
#define ANLPAR_ACK       0x4000
#define SPEC_STATUS_LINK 0x0400

static const uint16_t phy_init[32] = {
    [PHY_BMCR] = 0x1140, /* 1000 Mb/s, full duplex, autoneg on */
    [PHY_BMSR] = 0x794d, /* capabilities; link and AN_COMP apart */
    [PHY_ID1] = 0x0141,
    [PHY_ID2] = 0x0c20, /* 88E1011, as the 8254x's internal PHY */
    [PHY_ANAR] = 0x0de1,
    [PHY_ANLPAR] = 0x01e0,
    [PHY_CTRL1000] = 0x0e00,
    [PHY_STAT1000] = 0x3c00, /* partner 1000BASE-T FD/HD, rx ok */
    [PHY_EXTSTAT] = 0x3000,  /* 1000BASE-T FD/HD capable */
    [PHY_SPEC_CTRL] = 0x0360,
    [PHY_SPEC_STATUS] = 0xac00, /* 1000, full, resolved, link */
    [PHY_EXT_SPEC_CTRL] = 0x0d60,
};

/* registers the driver may write; the others ignore writes */
static bool phy_writable(unsigned reg)
{
    switch (reg) {
    case PHY_BMCR:
    case PHY_ANAR:
    case PHY_NPTX:
    case PHY_CTRL1000:
    case PHY_SPEC_CTRL:
    case PHY_INT_ENABLE:
    case PHY_EXT_SPEC_CTRL:
    case PHY_LED_CTRL:
    case PHY_PAGE:
    case PHY_GEN_CTRL:
        return true;
    }
    return false;
}

static bool link_up(E1000 *s)
{
    return !s->nc || !s->nc->link_down;
}

/* The link follows the net client; auto-negotiation completes at once
 * (QEMU takes 500 ms, which only slows drivers that wait for it). */
static void phy_link_update(E1000 *s)
{
    if (link_up(s)) {
        s->phy[PHY_BMSR] |= BMSR_LINK | BMSR_AN_COMP;
        s->phy[PHY_ANLPAR] |= ANLPAR_ACK;
        s->phy[PHY_SPEC_STATUS] |= SPEC_STATUS_LINK;
        e1000_reg_set(s, E1000_STATUS,
                      e1000_reg(s, E1000_STATUS) | E1000_STATUS_LU);
    } else {
        s->phy[PHY_BMSR] &= ~(BMSR_LINK | BMSR_AN_COMP);
        s->phy[PHY_ANLPAR] &= ~ANLPAR_ACK;
        s->phy[PHY_SPEC_STATUS] &= ~SPEC_STATUS_LINK;
        e1000_reg_set(s, E1000_STATUS,
                      e1000_reg(s, E1000_STATUS) & ~E1000_STATUS_LU);
    }
}

static void phy_reset(E1000 *s)
{
    memcpy(s->phy, phy_init, sizeof(s->phy));
    phy_link_update(s);
}

static void phy_write(E1000 *s, unsigned reg, uint16_t v)
{
    if (!phy_writable(reg)) {
        return;
    }
    if (reg == PHY_BMCR) {
        /* RESET and ANRESTART self-clear; bits 5:0 are reserved */
        s->phy[PHY_BMCR] = v & ~(BMCR_RESET | BMCR_ANRESTART | 0x3f);
        if (v & (BMCR_RESET | BMCR_ANRESTART)) {
            phy_link_update(s);
        }
        return;
    }
    s->phy[reg] = v;
}

/* MDIC (§13.4.7): the access completes at once; only PHY address 1 */
static void mdic_write(E1000 *s, uint32_t v)
{
    unsigned reg = (v >> E1000_MDIC_REG_SHIFT) & 0x1f;
    unsigned phy = (v >> E1000_MDIC_PHY_SHIFT) & 0x1f;
    uint32_t r = v & ~(E1000_MDIC_READY | E1000_MDIC_ERROR);

    if (phy != 1) {
        r |= E1000_MDIC_ERROR;
    } else if ((v & (3u << 26)) == E1000_MDIC_OP_READ) {
        r = (r & ~E1000_MDIC_DATA_MASK) | s->phy[reg];
    } else if ((v & (3u << 26)) == E1000_MDIC_OP_WRITE) {
        phy_write(s, reg, v & E1000_MDIC_DATA_MASK);
    } else {
        r |= E1000_MDIC_ERROR;
    }
    e1000_reg_set(s, E1000_MDIC, r | E1000_MDIC_READY);
    if (v & E1000_MDIC_INT_EN) {
        emu_e1000_set_ics(s, E1000_ICR_MDAC);
    }
}

/* ---- receive (SDM §3.2) ------------------------------------------------- */

static unsigned rx_buf_size(E1000 *s)
{
    static const unsigned sizes[2][4] = {
        {2048, 1024, 512, 256},
        {2048, 16384, 8192, 4096}, /* BSEX; 00b is reserved */
    };
    uint32_t rctl = e1000_reg(s, E1000_RCTL);

    return sizes[!!(rctl & E1000_RCTL_BSEX)]
                [(rctl >> E1000_RCTL_BSIZE_SHIFT) & 3];
}

static uint32_t ring_count(E1000 *s, uint32_t len_reg)
{
    return e1000_reg(s, len_reg) / E1000_DESC_SIZE;
}

static uint64_t ring_base(E1000 *s, uint32_t bal)
{
    return (uint64_t)e1000_reg(s, bal + 4) << 32 | e1000_reg(s, bal);
}

/* the receive ring as programmed can be used at all */
static bool rx_ring_valid(E1000 *s)
{
    uint32_t n = ring_count(s, E1000_RDLEN);

    return n > 0 && e1000_reg(s, E1000_RDH) < n && e1000_reg(s, E1000_RDT) < n;
}

static bool rx_enabled(E1000 *s)
{
    return e1000_reg(s, E1000_RCTL) & E1000_RCTL_EN;
}

/*
 * Whether receive() would take a frame now. Only a full ring (or DMA
 * switched off) holds frames back: with the receiver disabled or a ring
 * that can never work the hardware drops them, so the net core must not
 * queue them for later.
 */
static bool rx_can_receive(E1000 *s)
{
    if (!rx_enabled(s) || !rx_ring_valid(s)) {
        return true;
    }
    if (!emu_pci_bus_master(s->pci)) {
        return false;
    }
    return e1000_reg(s, E1000_RDH) != e1000_reg(s, E1000_RDT);
}

/* descriptors may have become available: deliver what the core queued */
static void rx_kick(E1000 *s)
{
    if (s->nc && rx_can_receive(s)) {
        emu_net_flush_queue(s->nc);
    }
}

/* Address filtering (§3.2.1): broadcast, multicast and unicast accept
 * bits, the 16 exact addresses, then the multicast table array. */
static bool rx_filter(E1000 *s, const uint8_t *buf)
{
    static const unsigned mta_shift[4] = {4, 3, 2, 0};
    uint32_t rctl = e1000_reg(s, E1000_RCTL);
    unsigned hash;

    if (rctl & E1000_RCTL_VFE && (uint32_t)(buf[12] << 8 | buf[13]) ==
                                     (e1000_reg(s, E1000_VET) & 0xffff)) {
        unsigned vid = (buf[14] << 8 | buf[15]) & 0xfff;

        if (!(e1000_reg(s, E1000_VFTA + 4 * (vid >> 5)) & (1u << (vid & 31)))) {
            return false;
        }
    }
    if (!memcmp(buf, "\xff\xff\xff\xff\xff\xff", 6)) {
        if (rctl & E1000_RCTL_BAM) {
            return true;
        }
    } else if (buf[0] & 1) {
        if (rctl & E1000_RCTL_MPE) {
            return true;
        }
    } else if (rctl & E1000_RCTL_UPE) {
        return true;
    }
    for (unsigned i = 0; i < 16; i++) {
        uint32_t lo = e1000_reg(s, E1000_RA + 8 * i);
        uint32_t hi = e1000_reg(s, E1000_RA + 8 * i + 4);
        uint8_t ra[6] = {lo, lo >> 8, lo >> 16, lo >> 24, hi, hi >> 8};

        if ((hi & E1000_RAH_AV) && !memcmp(buf, ra, 6)) {
            return true;
        }
    }
    hash = ((buf[5] << 8 | buf[4]) >>
            mta_shift[(rctl >> E1000_RCTL_MO_SHIFT) & 3]) &
           0xfff;
    return e1000_reg(s, E1000_MTA + 4 * (hash >> 5)) & (1u << (hash & 31));
}

/* a frame the receive filter would drop for its size (§3.2.2: LPE) */
static bool rx_oversized(E1000 *s, size_t size)
{
    uint32_t rctl = e1000_reg(s, E1000_RCTL);

    if (rctl & E1000_RCTL_SBP) {
        return false;
    }
    return size >
           (rctl & E1000_RCTL_LPE ? 16384 - E1000_FCS_LEN : 14 + 4 + 1500);
}

static ssize_t rx_drop(E1000 *s, size_t size, uint32_t stat)
{
    if (stat) {
        emu_e1000_stat_inc(s, stat);
    }
    return size;
}

/*
 * Places one frame in the receive ring: the frame (padded to 60 bytes,
 * VLAN tag stripped with CTRL.VME, FCS appended unless RCTL.SECRC) goes
 * into as many buffers as it needs, the last one with EOP (§3.2.3).
 * Returns 0 — the core queues it and rx_kick() flushes once the driver
 * advanced RDT — when the ring has fewer free descriptors than the frame
 * needs; drops frames the filters refuse or that can never fit.
 */
static ssize_t nc_receive(EmuNetClient *nc, const struct iovec *iov, int iovcnt)
{
    E1000 *s = nc->opaque;
    size_t orig = 0, size, total, off;
    uint8_t *buf = s->rx_buf;
    uint32_t n, rdh, rdt, avail, need, bufsize, rctl, fcs;
    uint16_t special = 0;
    uint8_t status = 0;
    uint64_t base;
    bool bcast, mcast;

    for (int i = 0; i < iovcnt; i++) {
        orig += iov[i].iov_len;
    }
    if (!rx_enabled(s) || orig > EMU_NET_MAX_FRAME) {
        return orig;
    }
    if (!rx_ring_valid(s)) {
        emu_guest_error(&s->log, MODEL,
                        "receive ring unusable (RDLEN 0x%x RDH %u RDT %u): "
                        "frame dropped",
                        e1000_reg(s, E1000_RDLEN), e1000_reg(s, E1000_RDH),
                        e1000_reg(s, E1000_RDT));
        return rx_drop(s, orig, E1000_MPC);
    }
    if (!emu_pci_bus_master(s->pci)) {
        return 0;
    }
    size = 0;
    for (int i = 0; i < iovcnt; i++) {
        memcpy(buf + size, iov[i].iov_base, iov[i].iov_len);
        size += iov[i].iov_len;
    }
    if (size < E1000_MIN_FRAME) {
        memset(buf + size, 0, E1000_MIN_FRAME - size);
        size = E1000_MIN_FRAME;
    }
    if (rx_oversized(s, size)) {
        return rx_drop(s, orig, E1000_ROC);
    }
    if (!rx_filter(s, buf)) {
        return orig;
    }
    bcast = !memcmp(buf, "\xff\xff\xff\xff\xff\xff", 6);
    mcast = !bcast && (buf[0] & 1);
    if (e1000_reg(s, E1000_CTRL) & E1000_CTRL_VME &&
        (uint32_t)(buf[12] << 8 | buf[13]) ==
            (e1000_reg(s, E1000_VET) & 0xffff)) {
        /* §3.2.3 / §9: strip the tag into the descriptor's special field */
        special = buf[14] << 8 | buf[15];
        status |= E1000_RXD_STAT_VP;
        memmove(buf + 4, buf, 12);
        buf += 4;
        size -= 4;
    }
    rctl = e1000_reg(s, E1000_RCTL);
    fcs = rctl & E1000_RCTL_SECRC ? 0 : E1000_FCS_LEN;
    if (fcs) {
        uint32_t crc = crc32_ieee(buf, size);

        buf[size] = crc;
        buf[size + 1] = crc >> 8;
        buf[size + 2] = crc >> 16;
        buf[size + 3] = crc >> 24;
    }
    total = size + fcs;

    n = ring_count(s, E1000_RDLEN);
    rdh = e1000_reg(s, E1000_RDH);
    rdt = e1000_reg(s, E1000_RDT);
    avail = (rdt + n - rdh) % n;
    bufsize = rx_buf_size(s);
    need = (total + bufsize - 1) / bufsize;
    if (need > n - 1) {
        /* the ring can never hold it: waiting would stall the peer */
        emu_guest_error(&s->log, MODEL,
                        "%zu-byte frame needs %u receive buffers of %u "
                        "bytes, the ring has %u: dropped",
                        total, need, bufsize, n);
        return rx_drop(s, orig, E1000_MPC);
    }
    if (avail < need) {
        emu_e1000_stat_inc(s, E1000_RNBC);
        return 0;
    }

    base = ring_base(s, E1000_RDBAL);
    for (off = 0; off < total; off += bufsize) {
        uint64_t daddr = base + (uint64_t)rdh * E1000_DESC_SIZE;
        uint32_t chunk = MIN(bufsize, total - off);
        uint8_t desc[E1000_DESC_SIZE];
        uint64_t baddr;

        if (!emu_e1000_dma_read(s, daddr, desc, sizeof(desc))) {
            emu_guest_error(&s->log, MODEL,
                            "receive descriptor %u at 0x%" PRIx64
                            " is not in RAM: frame dropped",
                            rdh, daddr);
            e1000_reg_set(s, E1000_RDH, rdh);
            return rx_drop(s, orig, E1000_MPC);
        }
        memcpy(&baddr, desc, 8);
        baddr = GUINT64_FROM_LE(baddr);
        desc[8] = chunk;
        desc[9] = chunk >> 8;
        desc[10] = desc[11] = 0; /* packet checksum: not offered */
        desc[12] = E1000_RXD_STAT_DD | E1000_RXD_STAT_IXSM | status;
        desc[13] = 0;
        desc[14] = special;
        desc[15] = special >> 8;
        if (off + chunk >= total) {
            desc[12] |= E1000_RXD_STAT_EOP;
        }
        /* a null or unreachable buffer loses this part of the frame: the
         * RX error bit tells the driver to drop the frame */
        if (!baddr || !emu_e1000_dma_write(s, baddr, buf + off, chunk)) {
            emu_guest_error(&s->log, MODEL,
                            "receive buffer 0x%" PRIx64 " (descriptor %u) "
                            "is not writable RAM",
                            baddr, rdh);
            desc[13] = E1000_RXD_ERR_RXE;
        }
        /* length before status: DD published last (§3.2.3.1) */
        emu_e1000_dma_write(s, daddr + 8, desc + 8, 4);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        emu_e1000_dma_write(s, daddr + 12, desc + 12, 4);
        rdh = (rdh + 1) % n;
    }
    e1000_reg_set(s, E1000_RDH, rdh);

    emu_e1000_stat_inc(s, E1000_TPR);
    emu_e1000_stat_inc(s, E1000_GPRC);
    if (bcast) {
        emu_e1000_stat_inc(s, E1000_BPRC);
    } else if (mcast) {
        emu_e1000_stat_inc(s, E1000_MPRC);
    }
    emu_e1000_stat_size(s, E1000_PRC64, size + E1000_FCS_LEN);
    emu_e1000_stat_add64(s, E1000_GORCL, size + E1000_FCS_LEN);
    emu_e1000_stat_add64(s, E1000_TORL, size + E1000_FCS_LEN);

    /* RXDMT0: free descriptors fell to 1/2, 1/4 or 1/8 of the ring */
    {
        unsigned shift = ((rctl >> E1000_RCTL_RDMTS_SHIFT) & 3) + 1;
        uint32_t left = (rdt + n - rdh) % n;
        uint32_t cause = E1000_ICR_RXT0;

        if (left <= n >> shift) {
            cause |= E1000_ICR_RXDMT0;
        }
        emu_e1000_set_ics(s, cause);
    }
    return orig;
}

/* ---- reset --------------------------------------------------------------- */

static void mac_reset(E1000 *s)
{
    const uint8_t *a = s->macaddr;

    if (s->itr_timer) {
        g_source_set_ready_time(s->itr_timer, -1);
    }
    s->irq_next_us = 0;
    if (s->irq_level) {
        s->irq_level = false;
        emu_pci_set_irq(s->pci, false);
    }
    memset(s->regs, 0, sizeof(s->regs));
    e1000_reg_set(s, E1000_CTRL,
                  E1000_CTRL_SWDPIN2 | E1000_CTRL_SWDPIN0 |
                      E1000_CTRL_SPD_1000 | E1000_CTRL_SLU);
    e1000_reg_set(s, E1000_STATUS,
                  0x80000000u | E1000_STATUS_GIO_MASTER_EN |
                      E1000_STATUS_ASDV_1000 | E1000_STATUS_MTXCKOK |
                      E1000_STATUS_SPEED_1000 | E1000_STATUS_FD);
    e1000_reg_set(s, E1000_LEDCTL, 0x602);
    e1000_reg_set(s, E1000_PBA, 0x00100030);
    e1000_reg_set(s, E1000_VET, 0x8100);
    /* the EEPROM's MAC loads into receive address 0 (§5.6.1) */
    e1000_reg_set(s, E1000_RA,
                  a[0] | a[1] << 8 | a[2] << 16 | (uint32_t)a[3] << 24);
    e1000_reg_set(s, E1000_RA + 4, a[4] | a[5] << 8 | E1000_RAH_AV);
    memset(&s->ee, 0, sizeof(s->ee));
    s->ioaddr = 0;
    phy_reset(s);
    emu_e1000_tx_abort(s);
}

/* ---- registers ---------------------------------------------------------- */

/*
 * The registers the model has (§13.4, Table 13-2), sorted by offset:
 * @count consecutive 32-bit registers from @off, @wmask the bits a write
 * keeps (0: read-only). Offsets not listed are reserved or not modelled
 * (flexible filters, packet buffer memory): they read as zero and ignore
 * writes. Side effects are in reg_read()/reg_write().
 */
typedef struct E1000RegDef {
    uint32_t off;
    uint16_t count;
    uint32_t wmask;
} E1000RegDef;

/* clang-format off */
static const E1000RegDef reg_defs[] = {
    {E1000_CTRL, 1, ~0u},          {E1000_STATUS, 1, 0},
    {E1000_EECD, 1, ~0u},          {E1000_EERD, 1, ~0u},
    {E1000_CTRL_EXT, 1, ~E1000_CTRL_EXT_EE_RST},
    {E1000_FLA, 1, ~0u},           {E1000_MDIC, 1, ~0u},
    {E1000_FCAL, 3, ~0u},          {E1000_VET, 1, 0xffff},
    {E1000_ICR, 1, ~0u},           {E1000_ITR, 1, 0xffff},
    {E1000_ICS, 1, ~0u},           {E1000_IMS, 1, ~0u},
    {E1000_IMC, 1, ~0u},           {E1000_RCTL, 1, ~0u},
    {E1000_FCTTV, 1, 0xffff},      {E1000_TXCW, 1, ~0u},
    {E1000_RXCW, 1, ~0u},          {E1000_TCTL, 1, ~0u},
    {E1000_TIPG, 1, ~0u},          {E1000_AIFS, 1, 0xffff},
    {E1000_LEDCTL, 1, ~0u},        {E1000_PBA, 1, ~0u},
    {E1000_FCRTL, 1, ~0u},         {E1000_FCRTH, 1, ~0u},
    {E1000_RDFH, 1, 0x1fff},       {E1000_RDFT, 1, 0x1fff},
    {E1000_RDFHS, 1, 0x1fff},      {E1000_RDFTS, 1, 0x1fff},
    {E1000_RDFPC, 1, 0x1fff},      {E1000_RDBAL, 1, ~0xfu},
    {E1000_RDBAH, 1, ~0u},         {E1000_RDLEN, 1, 0xfff80},
    {E1000_RDH, 1, 0xffff},        {E1000_RDT, 1, 0xffff},
    {E1000_RDTR, 1, 0xffff},       {E1000_RXDCTL, 1, ~0u},
    {E1000_RADV, 1, 0xffff},       {E1000_RSRPD, 1, 0xfff},
    {E1000_TXDMAC, 1, 1},          {E1000_TDFH, 1, 0x7ff},
    {E1000_TDFT, 1, 0x7ff},        {E1000_TDFHS, 1, 0x1fff},
    {E1000_TDFTS, 1, 0x1fff},      {E1000_TDFPC, 1, 0x1fff},
    {E1000_TDBAL, 1, ~0xfu},       {E1000_TDBAH, 1, ~0u},
    {E1000_TDLEN, 1, 0xfff80},     {E1000_TDH, 1, 0xffff},
    {E1000_TDT, 1, 0xffff},        {E1000_TIDV, 1, 0xffff},
    {E1000_TXDCTL, 1, ~0u},        {E1000_TADV, 1, 0xffff},
    {E1000_TSPMT, 1, ~0u},
    {E1000_STATS_FIRST, (E1000_STATS_LAST - E1000_STATS_FIRST) / 4 + 1, 0},
    {E1000_RXCSUM, 1, 0x7ff},      {E1000_MTA, 128, ~0u},
    {E1000_RA, 32, ~0u},           {E1000_VFTA, 128, ~0u},
    {E1000_WUC, 1, ~0u},           {E1000_WUFC, 1, ~0u},
    {E1000_WUS, 1, ~0u},           {E1000_MANC, 1, ~0u},
    {E1000_IPAV, 1, ~0u},          {E1000_IP4AT, 7, ~0u},
    {E1000_IP6AT, 4, ~0u},         {E1000_WUPL, 1, 0xfff},
    {E1000_WUPM, 32, ~0u},
    {E1000_SWSM, 1, ~0u},          /* U-Boot takes this semaphore */
    {E1000_SW_FW_SYNC, 1, ~0u},    {E1000_FFLT, 8, 0x7ff},
};
/* clang-format on */

static int reg_def_cmp(const void *key, const void *elem)
{
    uint32_t off = *(const uint32_t *)key;
    const E1000RegDef *d = elem;

    if (off < d->off) {
        return -1;
    }
    return off >= d->off + 4u * d->count ? 1 : 0;
}

static const E1000RegDef *reg_def(uint32_t off)
{
    return bsearch(&off, reg_defs, G_N_ELEMENTS(reg_defs), sizeof(*reg_defs),
                   reg_def_cmp);
}

static uint32_t reg_read(E1000 *s, uint32_t off)
{
    uint32_t v;

    off &= ~3u;
    if (!reg_def(off)) {
        return 0;
    }
    switch (off) {
    case E1000_ICR:
        /* read to clear (§13.4.17) */
        v = e1000_reg(s, E1000_ICR);
        e1000_reg_set(s, E1000_ICR, 0);
        irq_update(s);
        return v;
    case E1000_ICS:
        /* write-only in the SDM; real parts read back ICR (VxWorks) */
        return e1000_reg(s, E1000_ICR);
    case E1000_IMC:
        return 0;
    case E1000_EECD:
        return eecd_read(s);
    }
    if (off >= E1000_STATS_FIRST && off <= E1000_STATS_LAST) {
        return stat_read(s, off);
    }
    return e1000_reg(s, off);
}

static void reg_write(E1000 *s, uint32_t off, uint32_t v)
{
    const E1000RegDef *def;
    uint32_t old;

    off &= ~3u;
    def = reg_def(off);
    if (!def) {
        return;
    }
    old = e1000_reg(s, off);
    switch (off) {
    case E1000_CTRL:
        if (v & E1000_CTRL_RST) {
            /* software reset (§13.4.1): the MAC's registers and state,
             * not the PCI configuration; RST self-clears */
            mac_reset(s);
        } else {
            e1000_reg_set(s, off, v);
            if ((v & ~old) & E1000_CTRL_PHY_RST) {
                phy_reset(s);
            }
        }
        return;
    case E1000_EECD:
        eecd_write(s, v);
        return;
    case E1000_EERD:
        eerd_write(s, v);
        return;
    case E1000_MDIC:
        mdic_write(s, v);
        return;
    case E1000_ICR:
        /* write 1 to clear */
        e1000_reg_set(s, off, old & ~v);
        irq_update(s);
        return;
    case E1000_ICS:
        emu_e1000_set_ics(s, v);
        return;
    case E1000_IMS:
        e1000_reg_set(s, off, old | v);
        irq_update(s);
        return;
    case E1000_IMC:
        e1000_reg_set(s, E1000_IMS, e1000_reg(s, E1000_IMS) & ~v);
        irq_update(s);
        return;
    }
    if (!def->wmask) {
        return; /* read-only: STATUS, statistics */
    }
    e1000_reg_set(s, off, v & def->wmask);
    switch (off) {
    case E1000_RCTL:
        /* no receive stall after an RCTL write (QEMU 7.2 waits 1 s):
         * what the core queued goes to the ring at once */
    case E1000_RDLEN:
    case E1000_RDT:
        rx_kick(s);
        break;
    case E1000_TCTL:
        if (!(v & E1000_TCTL_EN)) {
            emu_e1000_tx_abort(s);
        }
        /* fall through */
    case E1000_TDT:
        emu_e1000_tx_run(s);
        break;
    case E1000_TDBAL:
    case E1000_TDBAH:
    case E1000_TDLEN:
    case E1000_TDH:
        /* a descriptor or packet in progress belongs to the old ring */
        emu_e1000_tx_abort(s);
        break;
    }
}

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    return reg_read(opaque, offset);
}

static void mmio_write(void *opaque, uint64_t offset, uint64_t value,
                       unsigned size)
{
    reg_write(opaque, offset, value);
}

static const EmuMmioOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
    .min_access = 4,
    .max_access = 4,
};

/* BAR1: IOADDR selects a register, IODATA reaches it (§13.3.1) */
static uint64_t io_read(void *opaque, uint64_t offset, unsigned size)
{
    E1000 *s = opaque;

    switch (offset) {
    case E1000_IOADDR:
        return s->ioaddr;
    case E1000_IODATA:
        return reg_read(s, s->ioaddr & (E1000_MMIO_SIZE - 4));
    }
    return 0;
}

static void io_write(void *opaque, uint64_t offset, uint64_t value,
                     unsigned size)
{
    E1000 *s = opaque;

    switch (offset) {
    case E1000_IOADDR:
        s->ioaddr = value & (E1000_MMIO_SIZE - 4);
        break;
    case E1000_IODATA:
        reg_write(s, s->ioaddr, value);
        break;
    }
}

static const EmuMmioOps io_ops = {
    .read = io_read,
    .write = io_write,
    .min_access = 4,
    .max_access = 4,
};

/* ---- PCI hooks ----------------------------------------------------------- */

static void pci_config_write(EmuPciDevice *d, uint32_t offset, uint32_t value,
                             unsigned size)
{
    E1000 *s = emu_pci_opaque(d);

    /* DMA allowed again: resume both rings */
    if (offset < EMU_PCI_COMMAND + 2 && offset + size > EMU_PCI_COMMAND &&
        emu_pci_bus_master(d)) {
        rx_kick(s);
        emu_e1000_tx_run(s);
    }
}

static void pci_reset(EmuPciDevice *d)
{
    E1000 *s = emu_pci_opaque(d);

    s->irq_level = false; /* the generic reset lowered the pin */
    mac_reset(s);
}

/* ---- the NIC client ------------------------------------------------------ */

static bool nc_can_receive(EmuNetClient *nc)
{
    return rx_can_receive(nc->opaque);
}

/* set_link: STATUS.LU, the PHY's link bits and an LSC interrupt */
static void nc_link_changed(EmuNetClient *nc)
{
    E1000 *s = nc->opaque;
    uint32_t old = e1000_reg(s, E1000_STATUS);

    phy_link_update(s);
    if (e1000_reg(s, E1000_STATUS) != old) {
        emu_e1000_set_ics(s, E1000_ICR_LSC);
    }
    if (link_up(s)) {
        rx_kick(s);
        emu_e1000_tx_run(s);
    }
}

/* QEMU's info string follows receive address 0 as the driver sets it */
static void nc_describe(EmuNetClient *nc, GString *out)
{
    E1000 *s = nc->opaque;
    uint32_t lo = e1000_reg(s, E1000_RA), hi = e1000_reg(s, E1000_RA + 4);
    uint8_t a[6] = {lo, lo >> 8, lo >> 16, lo >> 24, hi, hi >> 8};

    if (!(hi & E1000_RAH_AV)) {
        memcpy(a, s->macaddr, 6);
    }
    g_string_append_printf(
        out, "model=" MODEL ",macaddr=%02x:%02x:%02x:%02x:%02x:%02x", a[0],
        a[1], a[2], a[3], a[4], a[5]);
}

static void e1000_free(E1000 *s)
{
    if (s->itr_timer) {
        g_source_destroy(s->itr_timer);
        g_source_unref(s->itr_timer);
    }
    emu_e1000_tx_cleanup(s);
    g_free(s->rx_buf);
    g_free(s);
}

/* The core frees the NIC client when the machine goes away; the device
 * state goes with it (the board frees its EmuPciDevice). Thread: main
 * thread, harts and I/O thread stopped. */
static void nc_cleanup(EmuNetClient *nc)
{
    E1000 *s = nc->opaque;

    if (s) {
        e1000_free(s);
        nc->opaque = NULL;
    }
}

/* The function left the bus after a hot-unplug (I/O thread, device lock
 * held): the NIC goes the way it goes at exit. */
static void e1000_unplug(void *opaque)
{
    emu_net_nic_unplug(opaque);
}

static const EmuNetClientOps nc_ops = {
    .kind = EMU_NET_CLIENT_NIC,
    .receive = nc_receive,
    .can_receive = nc_can_receive,
    .link_changed = nc_link_changed,
    .describe = nc_describe,
    .cleanup = nc_cleanup,
};

/* ---- construction -------------------------------------------------------- */

/* -device e1000 properties: addr=, bus=, romfile= (ignored: no option
 * ROMs on this board), mitigation= (ITR honoured, default on),
 * autonegotiation= (accepted; negotiation is always instant) */
static bool parse_options(EmuOpts *opts, const char **bus, int *devfn,
                          bool *mitigation, GError **error)
{
    const char *v;
    bool autoneg;

    *bus = NULL;
    *devfn = -1;
    *mitigation = true;
    if (!opts) {
        return true;
    }
    /* pcie.0 or a pcie-root-port's id: the PCI core checks it */
    *bus = emu_opts_get(opts, "bus");
    v = emu_opts_get(opts, "addr");
    if (v && !emu_pci_parse_addr(v, devfn, error)) {
        return false;
    }
    (void)emu_opts_get(opts, "romfile");
    return emu_opts_get_bool(opts, "mitigation", true, mitigation, error) &&
           emu_opts_get_bool(opts, "autonegotiation", true, &autoneg, error);
}

static char *nic_name(EmuNet *net, const char *id)
{
    if (id && *id) {
        return g_strdup(id);
    }
    for (unsigned i = 0;; i++) {
        char *name = g_strdup_printf(MODEL ".%u", i);

        if (!emu_net_find(net, name)) {
            return name;
        }
        g_free(name);
    }
}

bool emu_e1000_create(EmuMachine *m, EmuNetClient *peer, const uint8_t *mac,
                      const char *id, EmuOpts *opts, GError **error)
{
    static const uint8_t default_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    const EmuPciDeviceInfo info = {
        .name = MODEL,
        .vendor_id = E1000_VENDOR_INTEL,
        .device_id = E1000_DEV_ID_82540EM,
        .subsystem_vendor_id = E1000_SUBSYS_VENDOR,
        .subsystem_id = E1000_SUBSYS_ID,
        .revision = E1000_REVISION,
        .class_code = E1000_CLASS_ETHERNET,
        .interrupt_pin = 1,
        .config_write = pci_config_write,
        .reset = pci_reset,
    };
    g_autofree char *name = NULL;
    EmuPciHost *host;
    const char *bus;
    bool mitigation;
    int devfn;
    E1000 *s;

    if (!m->net) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    MODEL ": the machine has no network layer");
        return false;
    }
    host = emu_virt_pci_host(m);
    if (!host) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    MODEL ": the board has no PCI host bridge");
        return false;
    }
    if (!parse_options(opts, &bus, &devfn, &mitigation, error)) {
        return false;
    }
    name = nic_name(m->net, id);

    s = g_new0(E1000, 1);
    s->m = m;
    s->mitigation = mitigation;
    memcpy(s->macaddr, mac ? mac : default_mac, 6);
    s->rx_buf = g_malloc(EMU_NET_MAX_FRAME + E1000_MIN_FRAME + E1000_FCS_LEN);
    emu_e1000_tx_init(s);
    eeprom_init(s);

    /* the client first: its name and peer are checked before the board
     * gets a function it could not take back */
    s->nc = emu_net_client_new(m->net, &nc_ops, name, peer, s, error);
    if (!s->nc) {
        e1000_free(s);
        return false;
    }
    s->pci = emu_pci_device_new_on_bus(host, bus, devfn, &info, s, error);
    if (!s->pci) {
        emu_net_client_free(s->nc); /* frees s through nc_cleanup */
        return false;
    }
    /* constant, valid sizes: these cannot fail once the slot exists */
    if (!emu_pci_set_bar(s->pci, 0, E1000_MMIO_SIZE, EMU_PCI_BAR_MEM32,
                         &mmio_ops, s, error) ||
        !emu_pci_set_bar(s->pci, 1, E1000_IO_SIZE, EMU_PCI_BAR_IO, &io_ops, s,
                         error)) {
        return false;
    }
    s->itr_timer = g_source_new(&itr_timer_funcs, sizeof(ItrSource));
    ((ItrSource *)s->itr_timer)->s = s;
    g_source_set_ready_time(s->itr_timer, -1);
    g_source_attach(s->itr_timer, m->io_ctx);
    mac_reset(s);
    /* device_del: the net core frees the client, and s with it */
    emu_pci_set_hotplug(s->pci, name, e1000_unplug, s->nc);
    return true;
}
