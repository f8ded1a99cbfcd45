/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-e1000.c: the 82540EM model driven as the Linux and U-Boot drivers
 * drive it — PCI identity, EEPROM (Microwire and EERD), PHY over MDIC,
 * interrupts and throttling, transmit (legacy, checksum offload, TCP
 * segmentation, VLAN, backpressure), receive (filters, long packets, FCS,
 * backpressure), statistics, link changes, reset and the I/O window. */
#include "config.h"

#include "e1000-test.h"

static void setup(Fixture *f, gconstpointer data)
{
    machine_setup(f);
    nic_create(f, NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
    machine_teardown(f);
}

/* ---- identity --------------------------------------------------------------
 */

static void test_pci_identity(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;

    g_assert_cmphex(hw_rd(m, f->cfg + 0x08, 4), ==, 0x02000003);
    g_assert_cmphex(hw_rd(m, f->cfg + 0x2c, 4), ==, 0x11001af4);
    g_assert_cmphex(hw_rd(m, f->cfg + 0x3d, 1), ==, 1);
    /* BAR sizing: 128 KiB memory, 64 bytes of I/O */
    hw_wr(m, f->cfg + 0x10, 0xffffffff, 4);
    g_assert_cmphex(hw_rd(m, f->cfg + 0x10, 4), ==, 0xfffe0000);
    hw_wr(m, f->cfg + 0x14, 0xffffffff, 4);
    g_assert_cmphex(hw_rd(m, f->cfg + 0x14, 4) & 0xffff, ==, 0xffc1);
    hw_wr(m, f->cfg + 0x10, BAR0_ADDR, 4);
    hw_wr(m, f->cfg + 0x14, BAR1_IO, 4);
    g_assert_cmphex(rd(f, STATUS) & (STATUS_LU | STATUS_FD), ==,
                    STATUS_LU | STATUS_FD);
    g_assert_cmphex(rd(f, STATUS) & 0xc0, ==, STATUS_SPEED_1000);
}

static void test_io_window(Fixture *f, gconstpointer data)
{
    uint64_t io = PIO_BASE + BAR1_IO;

    hw_wr(f->m, io, STATUS, 4);
    g_assert_cmphex(hw_rd(f->m, io, 4), ==, STATUS);
    g_assert_cmphex(hw_rd(f->m, io + 4, 4), ==, rd(f, STATUS));
    hw_wr(f->m, io, IMS, 4);
    hw_wr(f->m, io + 4, ICR_LSC, 4);
    g_assert_cmphex(rd(f, IMS), ==, ICR_LSC);
    g_assert_cmphex(hw_rd(f->m, io + 8, 4), ==, 0);
}

/* ---- EEPROM ----------------------------------------------------------------
 */

#define EECD_SK   0x1u
#define EECD_CS   0x2u
#define EECD_DI   0x4u
#define EECD_DO   0x8u
#define EECD_REQ  0x40u
#define EECD_GNT  0x80u
#define EECD_PRES 0x100u
#define EECD_SIZE 0x200u

static void ee_clock(Fixture *f, uint32_t *eecd)
{
    wr(f, EECD, *eecd | EECD_SK);
    wr(f, EECD, *eecd);
}

/* Linux's e1000_read_eeprom() for a Microwire part, bit by bit */
static uint16_t ee_read_word(Fixture *f, unsigned addr, unsigned abits)
{
    uint32_t eecd = rd(f, EECD) & ~(EECD_SK | EECD_DI);
    uint32_t out = 0x6u << abits | addr; /* READ opcode, address */
    uint16_t v = 0;

    eecd |= EECD_REQ;
    wr(f, EECD, eecd);
    g_assert_true(rd(f, EECD) & EECD_GNT);
    eecd |= EECD_CS;
    wr(f, EECD, eecd);
    for (int b = 3 + abits - 1; b >= 0; b--) {
        eecd = out >> b & 1 ? eecd | EECD_DI : eecd & ~EECD_DI;
        wr(f, EECD, eecd);
        ee_clock(f, &eecd);
    }
    eecd &= ~EECD_DI;
    wr(f, EECD, eecd);
    for (int b = 0; b < 16; b++) {
        wr(f, EECD, eecd | EECD_SK);
        v = v << 1 | !!(rd(f, EECD) & EECD_DO);
        wr(f, EECD, eecd);
    }
    /* standby, release */
    wr(f, EECD, eecd & ~(EECD_CS | EECD_REQ));
    return v;
}

static void test_eeprom(Fixture *f, gconstpointer data)
{
    uint32_t eecd = rd(f, EECD);
    uint16_t sum = 0, words[64];

    g_assert_true(eecd & EECD_PRES);
    g_assert_false(eecd & EECD_SIZE); /* 64 words, 6 address bits */
    for (unsigned i = 0; i < 64; i++) {
        words[i] = ee_read_word(f, i, 6);
        sum += words[i];
    }
    g_assert_cmphex(sum, ==, 0xbaba);
    g_assert_cmphex(words[0], ==, 0x5452);
    g_assert_cmphex(words[1], ==, 0x1200);
    g_assert_cmphex(words[2], ==, 0x5634);
    g_assert_cmphex(words[11], ==, 0x100e);
    g_assert_cmphex(words[13], ==, 0x100e);
    g_assert_cmphex(words[12], ==, 0x8086);
    /* EERD gives the same words */
    for (unsigned i = 0; i < 64; i++) {
        uint32_t v;

        wr(f, EERD, i << 8 | 1);
        v = rd(f, EERD);
        g_assert_true(v & 0x10);
        g_assert_cmphex(v >> 16, ==, words[i]);
    }
}

/* ---- PHY
 * --------------------------------------------------------------------- */

#define MDIC_READ  (2u << 26)
#define MDIC_WRITE (1u << 26)
#define MDIC_READY (1u << 28)
#define MDIC_IE    (1u << 29)
#define MDIC_ERROR (1u << 30)

static uint32_t mdic(Fixture *f, uint32_t op, unsigned phy, unsigned reg,
                     uint16_t data)
{
    uint32_t v;

    wr(f, MDIC, op | phy << 21 | reg << 16 | data);
    v = rd(f, MDIC);
    g_assert_true(v & MDIC_READY);
    return v;
}

static uint16_t phy_rd(Fixture *f, unsigned reg)
{
    uint32_t v = mdic(f, MDIC_READ, 1, reg, 0);

    g_assert_false(v & MDIC_ERROR);
    return v & 0xffff;
}

static void test_phy(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(phy_rd(f, 2), ==, 0x0141);
    g_assert_cmphex(phy_rd(f, 3), ==, 0x0c20);
    /* BMSR: link up, auto-negotiation complete */
    g_assert_cmphex(phy_rd(f, 1) & 0x24, ==, 0x24);
    g_assert_cmphex(phy_rd(f, 0), ==, 0x1140);
    /* 1000BASE-T status: partner 1000 full duplex, local/remote ok */
    g_assert_cmphex(phy_rd(f, 10) & 0x3800, ==, 0x3800);
    /* writable advertisement, self-clearing restart */
    mdic(f, MDIC_WRITE, 1, 4, 0x01e1);
    g_assert_cmphex(phy_rd(f, 4), ==, 0x01e1);
    mdic(f, MDIC_WRITE, 1, 0, 0x1340);
    g_assert_cmphex(phy_rd(f, 0), ==, 0x1140);
    g_assert_cmphex(phy_rd(f, 1) & 0x24, ==, 0x24);
    /* read-only identity */
    mdic(f, MDIC_WRITE, 1, 2, 0xdead);
    g_assert_cmphex(phy_rd(f, 2), ==, 0x0141);
    /* only PHY address 1 answers */
    g_assert_true(mdic(f, MDIC_READ, 2, 2, 0) & MDIC_ERROR);
    /* completion interrupt */
    wr(f, IMS, ICR_MDAC);
    mdic(f, MDIC_READ | MDIC_IE, 1, 1, 0);
    g_assert_true(nic_irq(f));
    g_assert_cmphex(rd(f, ICR), ==, ICR_MDAC);
    g_assert_false(nic_irq(f));
}

/* ---- interrupts -------------------------------------------------------------
 */

static void test_interrupts(Fixture *f, gconstpointer data)
{
    wr(f, ICS, ICR_LSC | ICR_RXT0);
    g_assert_false(nic_irq(f)); /* masked */
    g_assert_cmphex(rd(f, ICS), ==, ICR_LSC | ICR_RXT0);
    wr(f, IMS, ICR_RXT0);
    g_assert_true(nic_irq(f));
    g_assert_cmphex(rd(f, IMS), ==, ICR_RXT0);
    wr(f, IMC, ICR_RXT0);
    g_assert_false(nic_irq(f));
    g_assert_cmphex(rd(f, IMS), ==, 0);
    wr(f, IMS, ICR_RXT0 | ICR_LSC);
    g_assert_true(nic_irq(f));
    /* write 1 to clear one cause; the other keeps the line up */
    wr(f, ICR, ICR_RXT0);
    g_assert_true(nic_irq(f));
    /* read to clear */
    g_assert_cmphex(rd(f, ICR), ==, ICR_LSC);
    g_assert_false(nic_irq(f));
    g_assert_cmphex(rd(f, ICR), ==, 0);
    /* INTx disable in the command register masks the pin */
    wr(f, ICS, ICR_LSC);
    g_assert_true(nic_irq(f));
    hw_wr(f->m, f->cfg + EMU_PCI_COMMAND, 0x0407, 2);
    g_assert_false(nic_irq(f));
    hw_wr(f->m, f->cfg + EMU_PCI_COMMAND, 0x0007, 2);
    g_assert_true(nic_irq(f));
    rd(f, ICR);
}

/* waits (running the I/O context) until the line reaches @level */
static bool wait_irq(Fixture *f, bool level, int64_t timeout_us)
{
    int64_t end = g_get_monotonic_time() + timeout_us;

    while (nic_irq(f) != level) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_main_context_iteration(f->m->io_ctx, FALSE);
        g_usleep(200);
    }
    return true;
}

static void test_itr(Fixture *f, gconstpointer data)
{
    int64_t t0, t1;

    wr(f, IMS, ICR_RXT0);
    wr(f, ITR, 40000); /* 40000 * 256 ns = 10.24 ms between interrupts */
    /* a lone interrupt is not delayed */
    wr(f, ICS, ICR_RXT0);
    g_assert_true(nic_irq(f));
    t0 = g_get_monotonic_time();
    rd(f, ICR);
    g_assert_false(nic_irq(f));
    /* the next one inside the window waits for its end */
    wr(f, ICS, ICR_RXT0);
    if (g_get_monotonic_time() - t0 < 9000) {
        g_assert_false(nic_irq(f));
    }
    g_assert_true(wait_irq(f, true, 2000000));
    t1 = g_get_monotonic_time();
    g_assert_cmpint(t1 - t0, >=, 10000);
    rd(f, ICR);
    /* the cause went away while throttled: no interrupt at all */
    wr(f, ICS, ICR_RXT0);
    rd(f, ICR);
    g_usleep(20000);
    run_bhs(f);
    g_assert_false(nic_irq(f));
    /* ITR 0: no throttling */
    wr(f, ITR, 0);
    for (int i = 0; i < 3; i++) {
        wr(f, ICS, ICR_RXT0);
        g_assert_true(nic_irq(f));
        rd(f, ICR);
    }
}

/* ---- transmit -------------------------------------------------------------
 */

static void test_tx_legacy(Fixture *f, gconstpointer data)
{
    uint8_t frame[100];
    GBytes *b;

    for (unsigned i = 0; i < sizeof(frame); i++) {
        frame[i] = i;
    }
    tx_setup(f, 8);
    wr(f, IMS, ICR_TXDW);
    gw(f->m, TX_BUFS, frame, sizeof(frame));
    tx_desc(f, 0, TX_BUFS, sizeof(frame) | TXD_EOP | TXD_IFCS | TXD_RS, 0);
    wr(f, TDT, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 1);
    b = peer_frame(&f->peer, 0);
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), frame,
                    sizeof(frame));
    g_assert_cmpuint(rd(f, TDH), ==, 1);
    g_assert_cmphex(tx_status(f, 0), ==, 1); /* DD */
    g_assert_true(nic_irq(f));
    g_assert_cmphex(rd(f, ICR), ==, ICR_TXDW | ICR_TXQE);
    g_assert_false(nic_irq(f));

    /* without RS: sent, no write-back, no TXDW */
    tx_desc(f, 1, TX_BUFS, 60 | TXD_EOP | TXD_IFCS, 0);
    wr(f, TDT, 2);
    g_assert_cmpuint(f->peer.frames->len, ==, 2);
    g_assert_cmphex(tx_status(f, 1), ==, 0);
    g_assert_cmphex(rd(f, ICR), ==, ICR_TXQE);

    /* four more, then a packet over three descriptors; the ring wraps */
    for (unsigned i = 2; i < 6; i++) {
        tx_desc(f, i, TX_BUFS, 60 | TXD_EOP | TXD_IFCS, 0);
    }
    wr(f, TDT, 6);
    g_assert_cmpuint(rd(f, TDH), ==, 6);
    tx_desc(f, 6, TX_BUFS, 10, 0);
    tx_desc(f, 7, TX_BUFS + 10, 30, 0);
    tx_desc(f, 0, TX_BUFS + 40, 60 | TXD_EOP | TXD_IFCS | TXD_RS, 0);
    g_assert_cmpuint(f->peer.frames->len, ==, 6);
    wr(f, TDT, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 7);
    b = peer_frame(&f->peer, 6);
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), frame,
                    sizeof(frame));
    g_assert_cmpuint(rd(f, TDH), ==, 1);
    g_assert_cmpuint(rd(f, TPT), ==, 7);
    g_assert_cmpuint(rd(f, GPTC), ==, 7);
    g_assert_cmpuint(rd(f, TPT), ==, 0); /* read to clear */
}

static void test_tx_legacy_csum(Fixture *f, gconstpointer data)
{
    uint8_t buf[200];
    size_t len = build_ipv4(buf, false, 100, 0);
    const uint8_t *ip;
    GBytes *b;

    /* UDP checksum over the pseudo header + datagram: the driver seeds
     * the field with the pseudo-header sum, CSS = UDP start, CSO = field */
    put_be16(buf + 34 + 6, pseudo_sum(buf + 14, 108));
    tx_setup(f, 8);
    gw(f->m, TX_BUFS, buf, len);
    /* CSS comes from the first descriptor, IC/CSO from the EOP one */
    tx_desc(f, 0, TX_BUFS, 20, 34 << 8);
    tx_desc(f, 1, TX_BUFS + 20,
            (len - 20) | TXD_EOP | TXD_IFCS | TXD_IC | (34 + 6) << 16 | TXD_RS,
            0);
    wr(f, TDT, 2);
    g_assert_cmpuint(f->peer.frames->len, ==, 1);
    b = peer_frame(&f->peer, 0);
    ip = (const uint8_t *)g_bytes_get_data(b, NULL) + 14;
    g_assert_true(l4_csum_ok(ip));
}

static void test_tx_csum_offload(Fixture *f, gconstpointer data)
{
    uint8_t buf[1600];
    const uint8_t *ip;
    size_t len;
    GBytes *b;

    tx_setup(f, 16);
    for (int tcp = 0; tcp < 2; tcp++) {
        unsigned cso = 34 + (tcp ? 16 : 6);

        len = build_ipv4(buf, tcp, 1000 + tcp * 3, 0x18);
        put_be16(buf + cso, pseudo_sum(buf + 14, len - 34));
        gw(f->m, TX_BUFS, buf, len);
        /* Linux's e1000_tx_csum(): a context with TUCSS/TUCSO, IPCSS for
         * the IP header, then data descriptors with TXSM and IXSM */
        tx_ctx(f, 3 * tcp, 14, 14 + 10, 14 + 19, 34, cso, 0,
               tcp ? TXD_CTX_TCP | TXD_CTX_IP : TXD_CTX_IP, 0, 0);
        tx_desc(f, 3 * tcp + 1, TX_BUFS, 500 | TXD_DEXT | TXD_DTYP_D,
                (POPTS_TXSM | POPTS_IXSM) << 8);
        tx_desc(f, 3 * tcp + 2, TX_BUFS + 500,
                (len - 500) | TXD_DEXT | TXD_DTYP_D | TXD_EOP | TXD_IFCS |
                    TXD_RS,
                (POPTS_TXSM | POPTS_IXSM) << 8);
        wr(f, TDT, 3 * tcp + 3);
        g_assert_cmpuint(f->peer.frames->len, ==, tcp + 1);
        b = peer_frame(&f->peer, tcp);
        g_assert_cmpuint(g_bytes_get_size(b), ==, len);
        ip = (const uint8_t *)g_bytes_get_data(b, NULL) + 14;
        g_assert_true(ipv4_csum_ok(ip));
        g_assert_true(l4_csum_ok(ip));
        g_assert_cmphex(tx_status(f, 3 * tcp + 2), ==, 1);
    }
}

/* Linux's e1000_tso(): IP total length and checksum zeroed, the TCP
 * checksum field seeded with the pseudo-header sum without length, one
 * context with TSE, data descriptors with TSE + IXSM + TXSM. The header
 * and payload are cut at odd places across descriptors. */
static void tso_send(Fixture *f, size_t payload, uint16_t mss,
                     unsigned first_desc, unsigned *next_desc)
{
    g_autofree uint8_t *buf = g_malloc(70000);
    size_t len = build_ipv4(buf, true, payload, 0x19); /* FIN PSH ACK */
    const unsigned hdr = 54;
    const uint32_t dcmd = TXD_DEXT | TXD_DTYP_D | TXD_TSE;
    const uint32_t popts = (POPTS_TXSM | POPTS_IXSM) << 8;
    size_t cuts[4] = {30, hdr + 1, hdr + payload / 3 + 7, len};
    unsigned d = first_desc;
    size_t at = 0;

    put_be16(buf + 14 + 2, 0);
    put_be16(buf + 14 + 10, 0);
    put_be16(buf + 34 + 16, pseudo_sum(buf + 14, 0));
    gw(f->m, TX_BUFS, buf, len);
    tx_ctx(f, d++, 14, 24, 33, 34, 50, 0,
           TXD_TSE | TXD_CTX_TCP | TXD_CTX_IP | (len - hdr), hdr, mss);
    for (unsigned i = 0; i < 4; i++) {
        uint32_t cmd = dcmd | (cuts[i] - at);

        if (i == 3) {
            cmd |= TXD_EOP | TXD_IFCS | TXD_RS;
        }
        tx_desc(f, d++, TX_BUFS + at, cmd, popts);
        at = cuts[i];
    }
    *next_desc = d;
}

static void check_segments(Fixture *f, unsigned first, size_t payload,
                           uint16_t mss)
{
    unsigned nseg = (payload + mss - 1) / mss;
    size_t off = 0;

    g_assert_cmpuint(f->peer.frames->len, ==, first + nseg);
    for (unsigned i = 0; i < nseg; i++) {
        GBytes *b = peer_frame(&f->peer, first + i);
        const uint8_t *fr = g_bytes_get_data(b, NULL);
        const uint8_t *ip = fr + 14, *th = ip + 20;
        size_t seg = MIN(mss, payload - off);
        bool last = i == nseg - 1;

        g_assert_cmpuint(g_bytes_get_size(b), ==, 54 + seg);
        g_assert_cmpuint(be16(ip + 2), ==, 40 + seg);
        g_assert_cmphex(be16(ip + 4), ==, 0x1234 + i);
        g_assert_true(ipv4_csum_ok(ip));
        g_assert_cmphex(be32(th + 4), ==, (uint32_t)(0xfffff000u + off));
        g_assert_cmphex(th[13], ==, last ? 0x19 : 0x10);
        g_assert_true(l4_csum_ok(ip));
        for (size_t k = 0; k < seg; k++) {
            g_assert_cmpuint(th[20 + k], ==, (uint8_t)((off + k) * 7 + 3));
        }
        off += seg;
    }
}

static void test_tx_tso(Fixture *f, gconstpointer data)
{
    unsigned next;

    tx_setup(f, 64);
    /* payload a multiple of MSS: exactly 4 segments */
    tso_send(f, 4000, 1000, 0, &next);
    wr(f, TDT, next);
    check_segments(f, 0, 4000, 1000);
    g_assert_cmpuint(rd(f, TDH), ==, next);
    g_assert_cmphex(tx_status(f, next - 1), ==, 1);
    g_assert_cmpuint(rd(f, TSCTC), ==, 1);
    /* a short last segment, MSS of 1448 */
    tso_send(f, 10000, 1448, next, &next);
    wr(f, TDT, next);
    check_segments(f, 4, 10000, 1448);
    /* a single-segment TSO packet keeps its flags */
    tso_send(f, 100, 1448, next, &next);
    wr(f, TDT, next);
    check_segments(f, 11, 100, 1448);
}

/* IPv6: the payload length (not counting the 40-byte header) and the
 * TCP checksum over the IPv6 pseudo header are right in every segment */
static void test_tx_tso_ipv6(Fixture *f, gconstpointer data)
{
    const size_t payload = 2500;
    const uint16_t mss = 1000;
    g_autofree uint8_t *buf = g_malloc0(4000);
    uint8_t *ip = buf + 14, *th = ip + 40;
    size_t len = 14 + 40 + 20 + payload, off = 0;
    uint32_t sum;

    memset(buf, 0x52, 12);
    put_be16(buf + 12, 0x86dd);
    ip[0] = 0x60;
    ip[6] = 6; /* next header TCP */
    ip[7] = 64;
    for (unsigned i = 0; i < 32; i++) {
        ip[8 + i] = 0x20 + i;
    }
    put_be32(th + 4, 1000);
    th[12] = 5 << 4;
    th[13] = 0x18;
    for (size_t i = 0; i < payload; i++) {
        th[20 + i] = i;
    }
    /* the driver's seed: the pseudo header without the length */
    sum = sum16(0, ip + 8, 32) + 6;
    put_be16(th + 16, fold16(sum));
    tx_setup(f, 8);
    gw(f->m, TX_BUFS, buf, len);
    tx_ctx(f, 0, 14, 0, 0, 54, 70, 0, TXD_TSE | TXD_CTX_TCP | (len - 74), 74,
           mss);
    tx_desc(f, 1, TX_BUFS,
            len | TXD_DEXT | TXD_DTYP_D | TXD_TSE | TXD_EOP | TXD_IFCS,
            POPTS_TXSM << 8);
    wr(f, TDT, 2);
    g_assert_cmpuint(f->peer.frames->len, ==, 3);
    for (unsigned i = 0; i < 3; i++) {
        const uint8_t *fr = g_bytes_get_data(peer_frame(&f->peer, i), NULL);
        size_t seg = MIN(mss, payload - off);

        g_assert_cmpuint(be16(fr + 14 + 4), ==, 20 + seg);
        g_assert_cmpuint(be32(fr + 54 + 4), ==, 1000 + off);
        sum = sum16(0, fr + 14 + 8, 32) + 6 + 20 + seg;
        sum = sum16(sum, fr + 54, 20 + seg);
        g_assert_cmphex(fold16(sum), ==, 0xffff);
        off += seg;
    }
}

static void test_tx_vlan(Fixture *f, gconstpointer data)
{
    uint8_t frame[64] = {0};
    const uint8_t *p;
    GBytes *b;

    memset(frame, 0xff, 6);
    frame[12] = 0x08;
    frame[13] = 0x06;
    tx_setup(f, 8);
    gw(f->m, TX_BUFS, frame, sizeof(frame));
    /* without CTRL.VME the VLE bit is ignored */
    tx_desc(f, 0, TX_BUFS, sizeof(frame) | TXD_EOP | TXD_IFCS | TXD_VLE,
            0x0123u << 16);
    wr(f, TDT, 1);
    g_assert_cmpuint(g_bytes_get_size(peer_frame(&f->peer, 0)), ==, 64);
    wr(f, CTRL, rd(f, CTRL) | CTRL_VME);
    tx_desc(f, 1, TX_BUFS, sizeof(frame) | TXD_EOP | TXD_IFCS | TXD_VLE,
            0x0123u << 16);
    wr(f, TDT, 2);
    b = peer_frame(&f->peer, 1);
    p = g_bytes_get_data(b, NULL);
    g_assert_cmpuint(g_bytes_get_size(b), ==, 68);
    g_assert_cmphex(be16(p + 12), ==, 0x8100);
    g_assert_cmphex(be16(p + 14), ==, 0x0123);
    g_assert_cmphex(be16(p + 16), ==, 0x0806);
}

/* the peer's queue is full: the NIC stops after the frame that got
 * queued and resumes when the peer takes it */
static void test_tx_backpressure(Fixture *f, gconstpointer data)
{
    uint8_t frame[60] = {0x02};
    unsigned next;

    tx_setup(f, 64);
    gw(f->m, TX_BUFS, frame, sizeof(frame));
    for (unsigned i = 0; i < 4; i++) {
        tx_desc(f, i, TX_BUFS, 60 | TXD_EOP | TXD_IFCS | TXD_RS, 0);
    }
    f->peer.refuse = true;
    wr(f, TDT, 4);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_cmpuint(rd(f, TDH), ==, 1); /* the queued one is done */
    g_assert_cmphex(tx_status(f, 0), ==, 1);
    g_assert_cmphex(tx_status(f, 1), ==, 0);
    wr(f, TDT, 4); /* no effect while waiting */
    g_assert_cmpuint(rd(f, TDH), ==, 1);
    f->peer.refuse = false;
    emu_machine_lock(f->m);
    emu_net_flush_queue(f->peer.nc);
    emu_machine_unlock(f->m);
    run_bhs(f);
    g_assert_cmpuint(f->peer.frames->len, ==, 4);
    g_assert_cmpuint(rd(f, TDH), ==, 4);

    /* mid-packet: a TSO packet stalls between segments and resumes from
     * the same byte */
    tso_send(f, 3000, 1000, 4, &next);
    f->peer.refuse = true;
    wr(f, TDT, next);
    g_assert_cmpuint(rd(f, TDH), <, next);
    f->peer.refuse = false;
    emu_machine_lock(f->m);
    emu_net_flush_queue(f->peer.nc);
    emu_machine_unlock(f->m);
    run_bhs(f);
    check_segments(f, 4, 3000, 1000);
    g_assert_cmpuint(rd(f, TDH), ==, next);
}

/* ---- receive ----------------------------------------------------------------
 */

static size_t make_frame(uint8_t *buf, const uint8_t *dst, size_t len)
{
    memcpy(buf, dst, 6);
    memcpy(buf + 6, "\x52\x55\x0a\x00\x02\x02", 6);
    buf[12] = 0x08;
    buf[13] = 0x00;
    for (size_t i = 14; i < len; i++) {
        buf[i] = i ^ 0x5a;
    }
    return len;
}

static void test_rx_basic(Fixture *f, gconstpointer data)
{
    uint8_t buf[1514], got[1600];
    size_t len = make_frame(buf, nic_mac, 1000);
    uint32_t crc;

    rx_setup(f, 8, RCTL_BAM);
    wr(f, IMS, ICR_RXT0);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, len), ==, len);
    g_assert_cmpuint(rd(f, RDH), ==, 1);
    /* FCS included unless SECRC (Linux subtracts 4) */
    g_assert_cmpuint(rx_len(f, 0), ==, len + 4);
    g_assert_cmphex(rx_status(f, 0) & (RXD_DD | RXD_EOP), ==, RXD_DD | RXD_EOP);
    g_assert_cmphex(rx_errors(f, 0), ==, 0);
    gr(f->m, RX_BUFS, got, len + 4);
    g_assert_cmpmem(got, len, buf, len);
    crc = crc32_bits(buf, len);
    g_assert_cmphex(got[len] | got[len + 1] << 8 | got[len + 2] << 16 |
                        (uint32_t)got[len + 3] << 24,
                    ==, crc);
    g_assert_true(nic_irq(f));
    g_assert_true(rd(f, ICR) & ICR_RXT0);
    g_assert_cmpuint(rd(f, GPRC), ==, 1);
    g_assert_cmpuint(rd(f, TPR), ==, 1);
    g_assert_cmpuint(rd(f, GORCL), ==, len + 4);
    g_assert_cmpuint(rd(f, GORCL), ==, len + 4); /* low half keeps */
    g_assert_cmpuint(rd(f, GORCH), ==, 0);       /* high half clears both */
    g_assert_cmpuint(rd(f, GORCL), ==, 0);

    /* SECRC strips the FCS; short frames are padded to 60 bytes */
    wr(f, RCTL, rd(f, RCTL) | RCTL_SECRC);
    len = make_frame(buf, nic_mac, 42);
    peer_send(f->m, &f->peer, buf, len);
    g_assert_cmpuint(rx_len(f, 1), ==, 60);
    gr(f->m, RX_BUFS + RX_BUF_STRIDE, got, 60);
    g_assert_cmpmem(got, 42, buf, 42);
    for (unsigned i = 42; i < 60; i++) {
        g_assert_cmpuint(got[i], ==, 0);
    }
}

static void test_rx_filter(Fixture *f, gconstpointer data)
{
    static const uint8_t other[6] = {0x52, 0x54, 0x00, 0x99, 0x99, 0x99};
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
    uint8_t buf[100];
    unsigned hash;

    rx_setup(f, 16, 0);
    make_frame(buf, other, 100);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 0); /* not for us */
    make_frame(buf, bcast, 100);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 0); /* no BAM */
    make_frame(buf, mcast, 100);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 0); /* not in the MTA */
    /* MO = 00: hash = bits 47:36 of the address */
    hash = (mcast[4] >> 4 | mcast[5] << 4) & 0xfff;
    wr(f, MTA + 4 * (hash >> 5), 1u << (hash & 31));
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 1);
    g_assert_cmpuint(rd(f, MPRC), ==, 1);
    wr(f, RCTL, rd(f, RCTL) | RCTL_BAM);
    make_frame(buf, bcast, 100);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 2);
    g_assert_cmpuint(rd(f, BPRC), ==, 1);
    /* a second exact address */
    wr(f, RAL0 + 8,
       other[0] | other[1] << 8 | other[2] << 16 | (uint32_t)other[3] << 24);
    wr(f, RAH0 + 8, other[4] | other[5] << 8 | RAH_AV);
    make_frame(buf, other, 100);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 3);
    wr(f, RAH0 + 8, 0);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 3);
    wr(f, RCTL, rd(f, RCTL) | RCTL_UPE); /* promiscuous */
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 4);
    /* the receiver off: dropped, not queued */
    wr(f, RCTL, rd(f, RCTL) & ~RCTL_EN);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
    wr(f, RCTL, rd(f, RCTL) | RCTL_EN);
    g_assert_cmpuint(rd(f, RDH), ==, 4);
    /* oversized without LPE */
    {
        g_autofree uint8_t *big = g_malloc(3000);

        make_frame(big, nic_mac, 1519);
        peer_send(f->m, &f->peer, big, 1519);
        g_assert_cmpuint(rd(f, RDH), ==, 4);
    }
}

/* a frame larger than one buffer spans several descriptors */
static void test_rx_long(Fixture *f, gconstpointer data)
{
    g_autofree uint8_t *buf = g_malloc(9000);
    g_autofree uint8_t *got = g_malloc(9000);
    size_t len = make_frame(buf, nic_mac, 1000);
    size_t off = 0;

    rx_setup(f, 16, RCTL_BSIZE_256);
    peer_send(f->m, &f->peer, buf, len);
    /* 1004 bytes with FCS: 256 + 256 + 256 + 236 */
    g_assert_cmpuint(rd(f, RDH), ==, 4);
    for (unsigned i = 0; i < 4; i++) {
        g_assert_cmpuint(rx_len(f, i), ==, i < 3 ? 256 : 236);
        g_assert_cmphex(rx_status(f, i) & (RXD_DD | RXD_EOP), ==,
                        i < 3 ? RXD_DD : RXD_DD | RXD_EOP);
        gr(f->m, RX_BUFS + i * RX_BUF_STRIDE, got + off, rx_len(f, i));
        off += rx_len(f, i);
    }
    g_assert_cmpmem(got, len, buf, len);
    /* LPE: a jumbo frame over many buffers */
    wr(f, RCTL, rd(f, RCTL) | RCTL_LPE | RCTL_SECRC);
    wr(f, RDT, 3); /* 15 free */
    len = make_frame(buf, nic_mac, 3000);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, len), ==, len);
    g_assert_cmpuint(rd(f, RDH), ==, (4 + 12) % 16);
    g_assert_cmpuint(rx_len(f, 15), ==, 3000 - 11 * 256);
    g_assert_true(rx_status(f, 15) & RXD_EOP);
}

/* the ring is full: the core queues, a new RDT delivers */
static void test_rx_backpressure(Fixture *f, gconstpointer data)
{
    uint8_t buf[200];
    size_t len = make_frame(buf, nic_mac, 200);

    rx_setup(f, 8, RCTL_SECRC);
    wr(f, RDT, 2); /* two buffers */
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, len), ==, len);
    buf[20] = 1;
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, len), ==, len);
    buf[20] = 2;
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, len), ==, 0);
    buf[20] = 3;
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, len), ==, 0);
    g_assert_cmpuint(rd(f, RDH), ==, 2);
    g_assert_cmpuint(f->peer.sent_cbs, ==, 0);
    wr(f, RDT, 3);
    g_assert_cmpuint(rd(f, RDH), ==, 3);
    g_assert_cmpuint(f->peer.sent_cbs, ==, 1);
    g_assert_cmpuint(gr8(f->m, RX_BUFS + 2 * RX_BUF_STRIDE + 20), ==, 2);
    wr(f, RDT, 7);
    g_assert_cmpuint(rd(f, RDH), ==, 4);
    g_assert_cmpuint(f->peer.sent_cbs, ==, 2);
    g_assert_cmpuint(gr8(f->m, RX_BUFS + 3 * RX_BUF_STRIDE + 20), ==, 3);
    /* a frame needing more buffers than are free waits too */
    wr(f, RCTL, RCTL_EN | RCTL_BSIZE_256 | RCTL_SECRC);
    {
        uint8_t big[1000];

        make_frame(big, nic_mac, 1000); /* 4 buffers; 3 free */
        g_assert_cmpint(peer_send(f->m, &f->peer, big, 1000), ==, 0);
        g_assert_cmpuint(rd(f, RDH), ==, 4);
        wr(f, RDT, 0);
        g_assert_cmpuint(rd(f, RDH), ==, 0);
        g_assert_cmpuint(f->peer.sent_cbs, ==, 3);
    }
}

static void test_rx_vlan(Fixture *f, gconstpointer data)
{
    uint8_t buf[100];

    rx_setup(f, 8, RCTL_SECRC);
    make_frame(buf, nic_mac, 100);
    buf[12] = 0x81;
    buf[13] = 0x00;
    buf[14] = 0x20;
    buf[15] = 0x05; /* priority 1, VID 5 */
    buf[16] = 0x08;
    buf[17] = 0x00;
    wr(f, CTRL, rd(f, CTRL) | CTRL_VME);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 1);
    g_assert_cmpuint(rx_len(f, 0), ==, 96);
    g_assert_true(rx_status(f, 0) & RXD_VP);
    g_assert_cmphex(gr16(f->m, RX_RING + 14), ==, 0x2005);
    g_assert_cmphex(gr8(f->m, RX_BUFS + 12), ==, 0x08);
    /* VLAN filter: VID 5 not in the VFTA, dropped */
    wr(f, RCTL, rd(f, RCTL) | RCTL_VFE);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 1);
    wr(f, VFTA, 1u << 5);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 2);
}

static void test_rxdmt(Fixture *f, gconstpointer data)
{
    uint8_t buf[100];

    rx_setup(f, 8, RCTL_SECRC); /* RDMTS 1/2: 4 descriptors */
    make_frame(buf, nic_mac, 100);
    /* 7 free; RXDMT0 once only 4 (1/2 of the ring) are left */
    for (unsigned i = 0; i < 2; i++) {
        peer_send(f->m, &f->peer, buf, 100);
        g_assert_cmphex(rd(f, ICR), ==, ICR_RXT0);
    }
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmphex(rd(f, ICR), ==, ICR_RXT0 | ICR_RXDMT0);
}

/* ---- link, reset, info
 * ------------------------------------------------------- */

static void test_link(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    uint8_t buf[100];

    wr(f, IMS, ICR_LSC);
    rx_setup(f, 8, 0);
    emu_machine_lock(f->m);
    g_assert_true(emu_net_set_link(f->net, "nic0", false, &err));
    emu_machine_unlock(f->m);
    g_assert_no_error(err);
    g_assert_false(rd(f, STATUS) & STATUS_LU);
    g_assert_false(phy_rd(f, 1) & 0x4);
    g_assert_true(nic_irq(f));
    g_assert_cmphex(rd(f, ICR), ==, ICR_LSC);
    /* frames for a NIC with its link down are dropped */
    make_frame(buf, nic_mac, 100);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 0);
    emu_machine_lock(f->m);
    g_assert_true(emu_net_set_link(f->net, "nic0", true, &err));
    emu_machine_unlock(f->m);
    g_assert_true(rd(f, STATUS) & STATUS_LU);
    g_assert_cmphex(phy_rd(f, 1) & 0x24, ==, 0x24);
    g_assert_cmphex(rd(f, ICR), ==, ICR_LSC);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 1);
}

static void test_reset(Fixture *f, gconstpointer data)
{
    wr(f, IMS, 0xff);
    wr(f, RAL0, 0x11223344);
    wr(f, RCTL, RCTL_EN | RCTL_UPE);
    wr(f, MANC, 0x123);
    wr(f, ICS, ICR_LSC);
    g_assert_true(nic_irq(f));
    wr(f, CTRL, rd(f, CTRL) | CTRL_RST);
    g_assert_false(nic_irq(f));
    g_assert_false(rd(f, CTRL) & CTRL_RST);
    g_assert_true(rd(f, CTRL) & CTRL_SLU);
    g_assert_cmphex(rd(f, IMS), ==, 0);
    g_assert_cmphex(rd(f, RCTL), ==, 0);
    g_assert_cmphex(rd(f, ICR), ==, 0);
    g_assert_cmphex(rd(f, MANC), ==, 0);
    g_assert_cmphex(rd(f, RAL0), ==, 0x12005452);
    g_assert_cmphex(rd(f, RAH0), ==, 0x80005634);
    g_assert_cmphex(rd(f, VET), ==, 0x8100);
    g_assert_true(rd(f, STATUS) & STATUS_LU);
    /* registers that only store, and unknown ones that read as zero */
    wr(f, WUC, 0x5);
    g_assert_cmphex(rd(f, WUC), ==, 0x5);
    /* U-Boot takes the software semaphore (SWSM.SWESMBS) before every
     * EEPROM access and gives up when the bit does not stick */
    wr(f, SWSM, 0x2);
    g_assert_cmphex(rd(f, SWSM), ==, 0x2);
    wr(f, 0x0024, 0xffffffff);
    g_assert_cmphex(rd(f, 0x0024), ==, 0);
    wr(f, RDTR, 0x12345678);
    g_assert_cmphex(rd(f, RDTR), ==, 0x5678);
    wr(f, RDBAL, 0x1234567f);
    g_assert_cmphex(rd(f, RDBAL), ==, 0x12345670);
    wr(f, RDLEN, 0xffffffff);
    g_assert_cmphex(rd(f, RDLEN), ==, 0xfff80);
    wr(f, STATUS, 0);
    g_assert_true(rd(f, STATUS) & STATUS_LU);
    wr(f, GPRC, 5);
    g_assert_cmphex(rd(f, GPRC), ==, 0);
    /* a board reset resets the device too */
    wr(f, IMS, 0xff);
    emu_machine_lock(f->m);
    emu_pcie_host_reset(emu_virt_pci_host(f->m));
    emu_machine_unlock(f->m);
    hw_wr(f->m, f->cfg + 0x10, BAR0_ADDR, 4);
    hw_wr(f->m, f->cfg + EMU_PCI_COMMAND, 0x0006, 2);
    g_assert_cmphex(rd(f, IMS), ==, 0);
}

static void test_describe(Fixture *f, gconstpointer data)
{
    EmuNetClient *nc = emu_net_find(f->net, "nic0");
    g_autoptr(GString) s = g_string_new(NULL);

    g_assert_nonnull(nc);
    g_assert_true(nc->ops->kind == EMU_NET_CLIENT_NIC);
    g_assert_true(nc->peer == f->peer.nc);
    nc->ops->describe(nc, s);
    g_assert_cmpstr(s->str, ==, "model=e1000,macaddr=52:54:00:12:34:56");
}

static void test_options(void)
{
    Fixture f;
    g_autoptr(GError) err = NULL;
    EmuOpts *opts;

    machine_setup(&f);
    opts = emu_opts_parse("addr=0x5,romfile=,mitigation=off", NULL, &err);
    g_assert_no_error(err);
    g_assert_true(emu_e1000_create(f.m, f.peer.nc, nic_mac, NULL, opts, &err));
    g_assert_no_error(err);
    g_assert_true(emu_opts_check_unused(opts, NULL, &err));
    emu_opts_free(opts);
    g_assert_cmphex(hw_rd(f.m, pci_cfg_base(5), 4), ==, 0x100e8086);
    g_assert_nonnull(emu_net_find(f.net, "e1000.0"));
    /* a taken slot and a bad address are errors */
    opts = emu_opts_parse("addr=5", NULL, &err);
    g_assert_false(emu_e1000_create(f.m, NULL, nic_mac, NULL, opts, &err));
    g_assert_nonnull(err);
    g_clear_error(&err);
    emu_opts_free(opts);
    opts = emu_opts_parse("addr=zz", NULL, &err);
    g_assert_false(emu_e1000_create(f.m, NULL, nic_mac, NULL, opts, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_clear_error(&err);
    emu_opts_free(opts);
    machine_teardown(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(name, fn)                                                          \
    g_test_add("/e1000/" name, Fixture, NULL, setup, fn, teardown)
    ADD("pci-identity", test_pci_identity);
    ADD("io-window", test_io_window);
    ADD("eeprom", test_eeprom);
    ADD("phy", test_phy);
    ADD("interrupts", test_interrupts);
    ADD("itr", test_itr);
    ADD("tx/legacy", test_tx_legacy);
    ADD("tx/legacy-csum", test_tx_legacy_csum);
    ADD("tx/csum-offload", test_tx_csum_offload);
    ADD("tx/tso", test_tx_tso);
    ADD("tx/tso-ipv6", test_tx_tso_ipv6);
    ADD("tx/vlan", test_tx_vlan);
    ADD("tx/backpressure", test_tx_backpressure);
    ADD("rx/basic", test_rx_basic);
    ADD("rx/filter", test_rx_filter);
    ADD("rx/long", test_rx_long);
    ADD("rx/backpressure", test_rx_backpressure);
    ADD("rx/vlan", test_rx_vlan);
    ADD("rx/rxdmt", test_rxdmt);
    ADD("link", test_link);
    ADD("reset", test_reset);
    ADD("describe", test_describe);
#undef ADD
    g_test_add_func("/e1000/options", test_options);
    return g_test_run();
}
