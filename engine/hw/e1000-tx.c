/* SPDX-License-Identifier: GPL-2.0-or-later */
/* e1000-tx.c: the 82540EM's transmit path — the descriptor ring, legacy
 * descriptors, context + data descriptor pairs, IP/TCP/UDP checksum
 * insertion, TCP segmentation (TSO), VLAN insertion, DD write-back, and
 * the net layer's backpressure: a packet in progress survives a full peer
 * queue and resumes from the same descriptor and byte when the peer's
 * sent callback arrives. 8254x SDM §3.3 (transmit descriptors), §3.5
 * (TCP segmentation), §13.4.33-43 (transmit registers). */
#include "config.h"

#include <string.h>

#include "engine/hw/e1000-regs.h"

#define MODEL "e1000"

static inline uint16_t ld16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static inline uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static inline void st16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static inline void st32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static inline uint32_t desc_lower(const uint8_t *d)
{
    return d[8] | d[9] << 8 | d[10] << 16 | (uint32_t)d[11] << 24;
}

static inline uint32_t desc_upper(const uint8_t *d)
{
    return d[12] | d[13] << 8 | d[14] << 16 | (uint32_t)d[15] << 24;
}

static inline uint64_t desc_addr(const uint8_t *d)
{
    uint64_t a;

    memcpy(&a, d, 8);
    return GUINT64_FROM_LE(a);
}

void emu_e1000_tx_init(E1000 *s)
{
    s->tx.data = g_malloc(E1000_TX_MAX_PACKET);
}

void emu_e1000_tx_cleanup(E1000 *s)
{
    if (s->tx.bh) {
        g_source_destroy(s->tx.bh);
        g_source_unref(s->tx.bh);
        s->tx.bh = NULL;
    }
    g_free(s->tx.data);
    s->tx.data = NULL;
}

static void packet_reset(E1000Tx *tx)
{
    tx->in_packet = false;
    tx->tse = false;
    tx->drop = false;
    tx->popts = 0;
    tx->css = 0;
    tx->vlan = false;
    tx->size = 0;
    tx->tso_frames = 0;
}

void emu_e1000_tx_abort(E1000 *s)
{
    packet_reset(&s->tx);
    s->tx.have_desc = false;
    s->tx.desc_done = 0;
    /* the contexts survive: they are device state the driver set */
}

/* ---- continuation on the I/O thread ------------------------------------ */

static gboolean tx_bh_run(gpointer data)
{
    E1000 *s = data;
    EmuMachine *m = s->m;

    emu_machine_lock(m);
    g_source_unref(s->tx.bh);
    s->tx.bh = NULL;
    emu_e1000_tx_run(s);
    emu_machine_unlock(m);
    return G_SOURCE_REMOVE;
}

/* a bottom half we can cancel when the NIC goes away */
static void tx_schedule(E1000 *s)
{
    if (s->tx.bh) {
        return;
    }
    s->tx.bh = g_idle_source_new();
    g_source_set_priority(s->tx.bh, G_PRIORITY_DEFAULT);
    g_source_set_callback(s->tx.bh, tx_bh_run, s, NULL);
    g_source_attach(s->tx.bh, s->m->io_ctx);
}

void emu_e1000_tx_sent(EmuNetClient *nc, ssize_t len)
{
    E1000 *s = nc->opaque;

    if (!s) {
        return;
    }
    s->tx.waiting = false;
    tx_schedule(s);
}

/* ---- checksums and segment headers (§3.3.6, §3.5.9) --------------------- */

/* RFC 1071 one's complement sum of big-endian 16-bit words */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    }
    if (i < len) {
        sum += (uint32_t)p[i] << 8;
    }
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

/*
 * Inserts the one's complement sum of bytes [css, cse] (cse 0: to the
 * end) at @so. Offsets outside the packet make the request void
 * (§3.3.3.1: "IC is ignored if CSS >= length or CSO >= length - 1").
 */
static void put_csum(uint8_t *data, uint32_t size, uint32_t so, uint32_t css,
                     uint32_t cse)
{
    uint32_t end = size;
    uint16_t sum;

    if (cse && cse < end) {
        end = cse + 1;
    }
    if (css >= end || so + 2 > end) {
        return;
    }
    sum = ~csum_fold(csum_add(0, data + css, end - css));
    st16(data + so, sum ? sum : 0xffff);
}

/*
 * A segmentation context the data can be cut with: the headers hold the
 * fields the hardware rewrites, and a segment fits the packet buffer.
 */
static bool tso_context_valid(E1000 *s)
{
    const E1000TxContext *c = &s->tx.pkt;
    uint32_t hdr = c->hdr_len;

    if (!hdr || !c->mss || hdr + (uint32_t)c->mss > E1000_TX_MAX_PACKET) {
        return false;
    }
    if ((uint32_t)c->ipcss + (c->ip ? 20 : 40) > hdr ||
        (uint32_t)c->tucss + (c->tcp ? 20 : 8) > hdr) {
        return false;
    }
    if ((s->tx.popts & E1000_TXD_POPTS_TXSM) && (uint32_t)c->tucso + 2 > hdr) {
        return false;
    }
    if ((s->tx.popts & E1000_TXD_POPTS_IXSM) && (uint32_t)c->ipcso + 2 > hdr) {
        return false;
    }
    return true;
}

/*
 * Fixes a segment's headers (§3.5.9.1-2): IPv4 total length and
 * identification, IPv6 payload length, TCP sequence number and (but in
 * the last segment) PSH/FIN cleared, UDP length, and the TCP/UDP
 * pseudo-header sum the driver left without the length gets it added.
 * All offsets were checked against HDRLEN by tso_context_valid().
 */
static void tso_fixup(E1000 *s, bool last)
{
    E1000Tx *tx = &s->tx;
    const E1000TxContext *c = &tx->pkt;
    uint8_t *d = tx->data;
    uint32_t plen = tx->size - c->tucss;

    if (c->ip) {
        st16(d + c->ipcss + 2, tx->size - c->ipcss);
        st16(d + c->ipcss + 4,
             ld16(tx->header + c->ipcss + 4) + tx->tso_frames);
    } else {
        /* the SDM says MSS + HDRLEN - IPCSS; IPv6's payload length does
         * not count its 40-byte header, so a packet would be malformed */
        st16(d + c->ipcss + 4, tx->size - c->ipcss - 40);
    }
    if (c->tcp) {
        st32(d + c->tucss + 4, ld32(tx->header + c->tucss + 4) +
                                   tx->tso_frames * (uint32_t)c->mss);
        if (!last) {
            d[c->tucss + 13] &= ~0x09; /* PSH, FIN */
        }
    } else {
        st16(d + c->tucss + 4, plen);
    }
    if (tx->popts & E1000_TXD_POPTS_TXSM) {
        uint32_t sum = ld16(tx->header + c->tucso) + plen;

        st16(d + c->tucso, csum_fold(sum));
    }
}

/* Sends the assembled packet or segment; counts it; notes backpressure. */
static void tx_send(E1000 *s, bool last)
{
    E1000Tx *tx = &s->tx;
    const E1000TxContext *c = &tx->pkt;
    uint8_t *d = tx->data;
    uint8_t tag[4];
    struct iovec iov[3];
    int cnt = 1;
    size_t wire;

    if (tx->tse) {
        tso_fixup(s, last);
    }
    if (tx->popts & E1000_TXD_POPTS_TXSM) {
        put_csum(d, tx->size, c->tucso, c->tucss, c->tucse);
    }
    if (tx->popts & E1000_TXD_POPTS_IXSM) {
        put_csum(d, tx->size, c->ipcso, c->ipcss, c->ipcse);
    }
    iov[0].iov_base = d;
    iov[0].iov_len = tx->size;
    if (tx->vlan && tx->size >= 12) {
        uint16_t vet = e1000_reg(s, E1000_VET);

        tag[0] = vet >> 8;
        tag[1] = vet;
        st16(tag + 2, tx->vlan_tci);
        iov[0].iov_len = 12;
        iov[1].iov_base = tag;
        iov[1].iov_len = 4;
        iov[2].iov_base = d + 12;
        iov[2].iov_len = tx->size - 12;
        cnt = 3;
    }
    wire = tx->size + (cnt == 3 ? 4 : 0);
    if (tx->tse) {
        tx->tso_frames++;
        if (last) {
            emu_e1000_stat_inc(s, E1000_TSCTC);
        }
    }
    if (emu_net_sendv(s->nc, iov, cnt, emu_e1000_tx_sent) == 0) {
        tx->waiting = true;
    }
    emu_e1000_stat_inc(s, E1000_TPT);
    emu_e1000_stat_inc(s, E1000_GPTC);
    if (!memcmp(d, "\xff\xff\xff\xff\xff\xff", 6)) {
        emu_e1000_stat_inc(s, E1000_BPTC);
    } else if (d[0] & 1) {
        emu_e1000_stat_inc(s, E1000_MPTC);
    }
    emu_e1000_stat_size(s, E1000_PTC64, wire + E1000_FCS_LEN);
    emu_e1000_stat_add64(s, E1000_GOTCL, wire + E1000_FCS_LEN);
    emu_e1000_stat_add64(s, E1000_TOTL, wire + E1000_FCS_LEN);
}

/* ---- descriptors (§3.3.3 legacy, §3.3.6 context, §3.3.7 data) ---------- */

static void read_context(E1000 *s, const uint8_t *d)
{
    uint32_t lower = desc_lower(d), upper = desc_upper(d);
    E1000TxContext *c = lower & E1000_TXD_CMD_TSE ? &s->tx.tso : &s->tx.ctx;

    c->ipcss = d[0];
    c->ipcso = d[1];
    c->ipcse = d[2] | d[3] << 8;
    c->tucss = d[4];
    c->tucso = d[5];
    c->tucse = d[6] | d[7] << 8;
    c->paylen = lower & E1000_TXD_DTALEN_MASK;
    c->ip = lower & E1000_TXD_CMD_IP;
    c->tcp = lower & E1000_TXD_CMD_TCP;
    c->hdr_len = upper >> 8;
    c->mss = upper >> 16;
}

/* the first descriptor of a packet fixes how the packet is handled */
static void packet_start(E1000 *s, bool data, uint32_t lower, uint32_t upper)
{
    E1000Tx *tx = &s->tx;

    packet_reset(tx);
    tx->in_packet = true;
    if (data) {
        tx->popts = upper >> 8;
        tx->tse = lower & E1000_TXD_CMD_TSE;
    } else {
        tx->css = upper >> 8;
    }
    tx->pkt = tx->tse ? tx->tso : tx->ctx;
    if (tx->tse) {
        if (!tso_context_valid(s)) {
            emu_guest_error(&s->log, MODEL,
                            "TCP segmentation context unusable (HDRLEN %u, "
                            "MSS %u, IPCSS %u, TUCSS %u, TUCSO %u): packet "
                            "dropped",
                            tx->pkt.hdr_len, tx->pkt.mss, tx->pkt.ipcss,
                            tx->pkt.tucss, tx->pkt.tucso);
            emu_e1000_stat_inc(s, E1000_TSCTFC);
            tx->drop = true;
        }
        /* segments before EOP carry the tag too: take it from here */
        if ((lower & E1000_TXD_CMD_VLE) &&
            (e1000_reg(s, E1000_CTRL) & E1000_CTRL_VME)) {
            tx->vlan = true;
            tx->vlan_tci = upper >> 16;
        }
    }
}

/*
 * Consumes the current descriptor's buffer from tx->desc_done on.
 * Returns false when it must stop before the descriptor is done — the
 * peer queued a segment (tx->waiting) or the burst is used up — and
 * true once the descriptor is complete (its packet sent at EOP).
 */
static bool tx_desc(E1000 *s, unsigned *frames)
{
    E1000Tx *tx = &s->tx;
    const uint8_t *d = tx->desc;
    uint32_t lower = desc_lower(d), upper = desc_upper(d);
    uint32_t dtype = lower & (E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D);
    bool data = dtype == (E1000_TXD_CMD_DEXT | E1000_TXD_DTYP_D);
    bool eop = lower & E1000_TXD_CMD_EOP;
    uint64_t addr = desc_addr(d);
    uint32_t len;

    if (dtype == E1000_TXD_CMD_DEXT) {
        read_context(s, d);
        return true;
    }
    len = data ? lower & E1000_TXD_DTALEN_MASK : lower & E1000_TXD_LEN_MASK;
    if (!addr) {
        len = 0; /* a null address transfers no data (§3.3.3) */
    }
    if (!tx->in_packet) {
        packet_start(s, data, lower, upper);
    }
    while (tx->desc_done < len) {
        uint32_t chunk = len - tx->desc_done;
        uint32_t hdr = tx->pkt.hdr_len, msh = hdr + tx->pkt.mss;

        if (tx->drop) {
            tx->desc_done = len;
            break;
        }
        if (tx->tse) {
            if (tx->size >= msh) { /* cannot happen: segments go at msh */
                tx->drop = true;
                continue;
            }
            chunk = MIN(chunk, msh - tx->size);
        } else if (chunk > E1000_TX_MAX_PACKET - tx->size) {
            emu_guest_error(&s->log, MODEL,
                            "packet longer than %u bytes: dropped",
                            E1000_TX_MAX_PACKET);
            tx->drop = true;
            continue;
        }
        if (!emu_e1000_dma_read(s, addr + tx->desc_done, tx->data + tx->size,
                                chunk)) {
            emu_guest_error(&s->log, MODEL,
                            "transmit buffer 0x%" PRIx64 "+%u (%u bytes) is "
                            "not in RAM: packet dropped",
                            addr, tx->desc_done, chunk);
            tx->drop = true;
            continue;
        }
        if (tx->tse && tx->size < hdr && tx->size + chunk >= hdr) {
            memcpy(tx->header, tx->data, hdr);
        }
        tx->size += chunk;
        tx->desc_done += chunk;
        /* a full segment goes now, unless it may be the packet's last
         * one: that goes at EOP with PSH/FIN kept */
        if (tx->tse && tx->size == msh && !(eop && tx->desc_done == len)) {
            tx_send(s, false);
            (*frames)++;
            memcpy(tx->data, tx->header, hdr);
            tx->size = hdr;
            if (tx->waiting || *frames >= E1000_TX_BURST_FRAMES) {
                return false;
            }
        }
    }
    if (!eop) {
        return true;
    }
    if (!tx->drop) {
        if (!tx->tse && (lower & E1000_TXD_CMD_VLE) &&
            (e1000_reg(s, E1000_CTRL) & E1000_CTRL_VME)) {
            tx->vlan = true;
            tx->vlan_tci = upper >> 16;
        }
        if (!data && (lower & E1000_TXD_CMD_IC)) {
            /* legacy checksum: CSS from the first descriptor, CSO here */
            put_csum(tx->data, tx->size, (lower >> E1000_TXD_CSO_SHIFT) & 0xff,
                     tx->css, 0);
        }
        if (tx->tse && tx->size < tx->pkt.hdr_len) {
            emu_guest_error(&s->log, MODEL,
                            "segmented packet of %u bytes ends inside its "
                            "%u-byte header: dropped",
                            tx->size, tx->pkt.hdr_len);
            emu_e1000_stat_inc(s, E1000_TSCTFC);
        } else if (tx->size > (tx->tse ? tx->pkt.hdr_len : 0) ||
                   (tx->tse && tx->tso_frames == 0)) {
            /* IFCS: frames leave without an FCS on any backend, so a
             * packet that carries its own is sent as the driver built it */
            tx_send(s, true);
            (*frames)++;
        }
    }
    packet_reset(tx);
    return true;
}

/* DD in the status of a descriptor that asked for it (RS; §3.3.3.2) */
static uint32_t tx_writeback(E1000 *s, uint64_t daddr)
{
    const uint8_t *d = s->tx.desc;
    uint32_t lower = desc_lower(d);
    uint8_t sta;

    if (!(lower & (E1000_TXD_CMD_RS | E1000_TXD_CMD_RPS))) {
        return 0;
    }
    sta = (d[12] & ~E1000_TXD_STAT_MASK) | E1000_TXD_STAT_DD;
    if (!emu_e1000_dma_write(s, daddr + 12, &sta, 1)) {
        emu_guest_error(
            &s->log, MODEL,
            "transmit descriptor at 0x%" PRIx64 " is not writable RAM", daddr);
    }
    return E1000_ICR_TXDW;
}

/*
 * Runs the ring from TDH to TDT (§3.4): at most E1000_TX_BURST_FRAMES
 * frames and E1000_TX_BURST_DESCS descriptors per call, then the rest
 * continues from a bottom half; stops while the peer holds a frame of
 * ours (backpressure) and when the ring is unusable. TDH, write-backs and
 * the TXDW/TXQE causes follow each completed descriptor.
 */
void emu_e1000_tx_run(E1000 *s)
{
    E1000Tx *tx = &s->tx;
    uint32_t n = e1000_reg(s, E1000_TDLEN) / E1000_DESC_SIZE;
    uint64_t base =
        (uint64_t)e1000_reg(s, E1000_TDBAH) << 32 | e1000_reg(s, E1000_TDBAL);
    unsigned frames = 0, descs = 0;
    uint32_t cause = 0;

    if (tx->waiting || !(e1000_reg(s, E1000_TCTL) & E1000_TCTL_EN) ||
        !emu_pci_bus_master(s->pci)) {
        return;
    }
    while (e1000_reg(s, E1000_TDH) != e1000_reg(s, E1000_TDT)) {
        uint32_t tdh = e1000_reg(s, E1000_TDH);
        uint64_t daddr = base + (uint64_t)tdh * E1000_DESC_SIZE;

        if (tdh >= n || e1000_reg(s, E1000_TDT) >= n) {
            emu_guest_error(&s->log, MODEL,
                            "transmit ring unusable (TDLEN 0x%x TDH %u TDT "
                            "%u): transmitter idle until reprogrammed",
                            e1000_reg(s, E1000_TDLEN), tdh,
                            e1000_reg(s, E1000_TDT));
            break;
        }
        if (descs >= E1000_TX_BURST_DESCS || frames >= E1000_TX_BURST_FRAMES) {
            tx_schedule(s);
            break;
        }
        if (!tx->have_desc) {
            if (!emu_e1000_dma_read(s, daddr, tx->desc, E1000_DESC_SIZE)) {
                emu_guest_error(&s->log, MODEL,
                                "transmit descriptor %u at 0x%" PRIx64
                                " is not in RAM: transmitter idle until "
                                "TDT is written again",
                                tdh, daddr);
                break;
            }
            tx->have_desc = true;
            tx->desc_done = 0;
        }
        if (!tx_desc(s, &frames)) {
            if (!tx->waiting) {
                tx_schedule(s);
            }
            break;
        }
        cause |= tx_writeback(s, daddr);
        tx->have_desc = false;
        e1000_reg_set(s, E1000_TDH, (tdh + 1) % n);
        descs++;
        if (tx->waiting) {
            break;
        }
    }
    if (e1000_reg(s, E1000_TDH) == e1000_reg(s, E1000_TDT)) {
        cause |= E1000_ICR_TXQE;
    }
    if (cause) {
        emu_e1000_set_ics(s, cause);
    }
}
