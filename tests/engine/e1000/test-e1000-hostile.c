/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-e1000-hostile.c: a guest that programs the e1000 against the host —
 * rings outside RAM or in MMIO, indices past the ring, huge lengths and
 * rings, TCP segmentation contexts that do not fit the packet, tiny MSS,
 * receive buffers in ROM or MMIO, frames no ring can hold, garbage in
 * every register, and a seeded fuzzer. The device must stay defined:
 * no crash, no hang, bounded work per call (run under ASan too). */
#include "config.h"

#include "e1000-test.h"

#define RAM_END   (RAM_BASE + RAM_SIZE)
#define UART_MMIO 0x10000000ULL
#define MROM      0x1000ULL

static void setup(Fixture *f, gconstpointer data)
{
    machine_setup(f);
    nic_create(f, NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
    machine_teardown(f);
}

/* the guest errors these tests provoke are counted, not printed */
static void quiet_log(const gchar *domain, GLogLevelFlags level,
                      const gchar *msg, gpointer data)
{
    unsigned *count = data;

    (*count)++;
}

/* a good frame still goes out after whatever came before */
static void tx_still_works(Fixture *f, unsigned i, unsigned n)
{
    uint8_t frame[60] = {0x02, 1, 2, 3, 4, 5};
    unsigned before = f->peer.frames->len;

    gw(f->m, TX_BUFS, frame, sizeof(frame));
    tx_desc(f, i, TX_BUFS, 60 | TXD_EOP | TXD_IFCS | TXD_RS, 0);
    wr(f, TDT, (i + 1) % n);
    run_bhs(f);
    g_assert_cmpuint(f->peer.frames->len, ==, before + 1);
    g_assert_cmpuint(rd(f, TDH), ==, (i + 1) % n);
}

static void test_tx_lengths(Fixture *f, gconstpointer data)
{
    unsigned before;

    tx_setup(f, 16);
    /* a legacy buffer running off the end of RAM: dropped, DD written */
    tx_desc(f, 0, RAM_END - 100, 0xffff | TXD_EOP | TXD_IFCS | TXD_RS, 0);
    wr(f, TDT, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_cmphex(tx_status(f, 0), ==, 1);
    /* three 1 MiB data descriptors: a packet over 64 KiB is dropped */
    for (unsigned i = 1; i < 4; i++) {
        tx_desc(f, i, RAM_BASE + 0x800000,
                0xfffff | TXD_DEXT | TXD_DTYP_D | (i == 3 ? TXD_EOP : 0), 0);
    }
    wr(f, TDT, 4);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_cmpuint(rd(f, TDH), ==, 4);
    /* buffers in MMIO and ROM are not DMA targets (no deadlock) */
    tx_desc(f, 4, UART_MMIO, 60 | TXD_EOP | TXD_IFCS, 0);
    tx_desc(f, 5, PLIC_BASE, 60 | TXD_EOP | TXD_IFCS, 0);
    tx_desc(f, 6, 0xffffffffffffff00ULL, 0x200 | TXD_EOP | TXD_IFCS, 0);
    wr(f, TDT, 7);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_cmpuint(rd(f, TDH), ==, 7);
    /* null address and zero length: no data, the packet goes on */
    before = f->peer.frames->len;
    tx_desc(f, 7, 0, 100 | TXD_RS, 0);
    tx_desc(f, 8, TX_BUFS, 0 | TXD_RS, 0);
    wr(f, TDT, 9);
    g_assert_cmphex(tx_status(f, 7), ==, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, before);
    tx_still_works(f, 9, 16);
}

static void test_tx_ring_outside_ram(Fixture *f, gconstpointer data)
{
    static const uint64_t bases[] = {
        UART_MMIO,    PLIC_BASE, 0, 0xfffff000ULL, 0xffffffff00000000ULL,
        RAM_END - 16, /* the first descriptor fits, the second does not */
    };

    tx_setup(f, 8);
    for (unsigned i = 0; i < G_N_ELEMENTS(bases); i++) {
        wr(f, TDBAL, (uint32_t)bases[i]);
        wr(f, TDBAH, bases[i] >> 32);
        wr(f, TDH, 0);
        wr(f, TDT, 3);
        run_bhs(f);
        g_assert_cmpuint(rd(f, TDH), <=, 1);
    }
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    /* reprogrammed: works again */
    wr(f, TDBAL, (uint32_t)TX_RING);
    wr(f, TDBAH, 0);
    wr(f, TDH, 0);
    wr(f, TDT, 0);
    tx_still_works(f, 0, 8);
}

static void test_tx_bad_indices(Fixture *f, gconstpointer data)
{
    tx_setup(f, 8);
    wr(f, TDT, 100); /* past the ring */
    run_bhs(f);
    g_assert_cmpuint(rd(f, TDH), ==, 0);
    wr(f, TDH, 50);
    wr(f, TDT, 1);
    run_bhs(f);
    g_assert_cmpuint(rd(f, TDH), ==, 50);
    wr(f, TDLEN, 0); /* no ring at all */
    wr(f, TDH, 0);
    wr(f, TDT, 1);
    run_bhs(f);
    g_assert_cmpuint(rd(f, TDH), ==, 0);
    wr(f, TDLEN, 0x7f); /* below one block of 8 */
    g_assert_cmphex(rd(f, TDLEN), ==, 0);
    wr(f, TDLEN, 8 * 16);
    wr(f, TDH, 0);
    wr(f, TDT, 0);
    tx_still_works(f, 0, 8);
}

/* the largest ring the register allows, full of empty descriptors: the
 * work is cut into bounded bursts that finish through bottom halves */
static void test_tx_huge_ring(Fixture *f, gconstpointer data)
{
    uint32_t n = 0xfff80 / 16;

    tx_setup(f, 8);
    wr(f, TDLEN, 0xffffffff);
    g_assert_cmphex(rd(f, TDLEN), ==, 0xfff80);
    wr(f, TDBAL, (uint32_t)(RAM_BASE + 0x1000000));
    wr(f, TDH, 0);
    wr(f, TDT, n - 1);
    g_assert_cmpuint(rd(f, TDH), <=, 1024);
    run_bhs(f);
    g_assert_cmpuint(rd(f, TDH), ==, n - 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
}

static void tso_packet(Fixture *f, unsigned d, size_t payload, uint8_t hdr,
                       uint16_t mss, uint8_t ipcss, uint8_t tucss,
                       uint8_t tucso, size_t data_len)
{
    g_autofree uint8_t *buf = g_malloc0(70000);
    size_t len = build_ipv4(buf, true, payload, 0x18);

    put_be16(buf + 34 + 16, pseudo_sum(buf + 14, 0));
    gw(f->m, TX_BUFS, buf, len);
    tx_ctx(f, d, ipcss, ipcss + 10, ipcss + 19, tucss, tucso, 0,
           TXD_TSE | TXD_CTX_TCP | TXD_CTX_IP | (len - hdr), hdr, mss);
    tx_desc(f, d + 1, TX_BUFS,
            (data_len ? data_len : len) | TXD_DEXT | TXD_DTYP_D | TXD_TSE |
                TXD_EOP | TXD_IFCS | TXD_RS,
            (POPTS_TXSM | POPTS_IXSM) << 8);
}

static void test_tso_bad_context(Fixture *f, gconstpointer data)
{
    unsigned d = 0;

    tx_setup(f, 64);
    /* HDRLEN beyond the packet */
    tso_packet(f, d, 0, 200, 1000, 14, 34, 50, 100);
    /* MSS 0 */
    tso_packet(f, d += 2, 3000, 54, 0, 14, 34, 50, 0);
    /* a segment larger than the packet buffer */
    tso_packet(f, d += 2, 3000, 255, 65535, 14, 34, 50, 0);
    /* the TCP checksum offset outside the header */
    tso_packet(f, d += 2, 3000, 54, 1000, 14, 34, 250, 0);
    /* the IP header cut by HDRLEN */
    tso_packet(f, d += 2, 3000, 54, 1000, 40, 34, 50, 0);
    /* the TCP header cut by HDRLEN */
    tso_packet(f, d += 2, 3000, 54, 1000, 14, 50, 50, 0);
    d += 2;
    wr(f, TDT, d);
    run_bhs(f);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_cmpuint(rd(f, TDH), ==, d);
    for (unsigned i = 1; i < d; i += 2) {
        g_assert_cmphex(tx_status(f, i), ==, 1);
    }
    tx_still_works(f, d, 64);
}

/* a segmentation context rewritten between the data descriptors of a
 * packet (HDRLEN and MSS shrinking under the bytes already gathered)
 * must not change how that packet is cut (found by the fuzzer) */
static void test_tso_context_midpacket(Fixture *f, gconstpointer data)
{
    g_autofree uint8_t *buf = g_malloc0(70000);
    size_t len = build_ipv4(buf, true, 3000, 0x18);
    const uint32_t dcmd = TXD_DEXT | TXD_DTYP_D | TXD_TSE;
    const uint32_t popts = (POPTS_TXSM | POPTS_IXSM) << 8;

    put_be16(buf + 34 + 16, pseudo_sum(buf + 14, 0));
    tx_setup(f, 16);
    gw(f->m, TX_BUFS, buf, len);
    tx_ctx(f, 0, 14, 24, 33, 34, 50, 0,
           TXD_TSE | TXD_CTX_TCP | TXD_CTX_IP | (len - 54), 54, 1400);
    tx_desc(f, 1, TX_BUFS, 1000 | dcmd, popts);
    tx_ctx(f, 2, 0, 0, 0, 0, 0, 0, TXD_TSE, 1, 1);
    tx_desc(f, 3, TX_BUFS + 1000, (len - 1000) | dcmd | TXD_EOP | TXD_IFCS,
            popts);
    wr(f, TDT, 4);
    run_bhs(f);
    g_assert_cmpuint(rd(f, TDH), ==, 4);
    g_assert_cmpuint(f->peer.frames->len, ==, 3);
    for (unsigned i = 0; i < 3; i++) {
        const uint8_t *ip =
            (const uint8_t *)g_bytes_get_data(peer_frame(&f->peer, i), NULL) +
            14;

        g_assert_true(ipv4_csum_ok(ip));
        g_assert_true(l4_csum_ok(ip));
    }
    tx_still_works(f, 4, 16);
}

/* MSS 1: one frame per payload byte, in bounded bursts */
static void test_tso_tiny_mss(Fixture *f, gconstpointer data)
{
    const size_t payload = 3000;
    GBytes *b;

    tx_setup(f, 8);
    tso_packet(f, 0, payload, 54, 1, 14, 34, 50, 0);
    wr(f, TDT, 2);
    g_assert_cmpuint(f->peer.frames->len, <=, 256);
    run_bhs(f);
    g_assert_cmpuint(f->peer.frames->len, ==, payload);
    b = peer_frame(&f->peer, payload - 1);
    g_assert_cmpuint(g_bytes_get_size(b), ==, 55);
    g_assert_true(
        ipv4_csum_ok((const uint8_t *)g_bytes_get_data(b, NULL) + 14));
    g_assert_true(l4_csum_ok((const uint8_t *)g_bytes_get_data(b, NULL) + 14));
    g_assert_cmpuint(rd(f, TDH), ==, 2);
}

/* checksum offsets past the packet: the request is void */
static void test_csum_offsets(Fixture *f, gconstpointer data)
{
    uint8_t frame[100];

    memset(frame, 0xab, sizeof(frame));
    tx_setup(f, 8);
    gw(f->m, TX_BUFS, frame, sizeof(frame));
    tx_ctx(f, 0, 250, 255, 10, 200, 254, 5, TXD_CTX_TCP, 0, 0);
    tx_desc(f, 1, TX_BUFS, 100 | TXD_DEXT | TXD_DTYP_D | TXD_EOP | TXD_IFCS,
            (POPTS_TXSM | POPTS_IXSM) << 8);
    /* legacy: CSO at the last byte, CSS past the end */
    tx_desc(f, 2, TX_BUFS, 100 | TXD_EOP | TXD_IFCS | TXD_IC | 99u << 16,
            200u << 8);
    tx_desc(f, 3, TX_BUFS, 100 | TXD_EOP | TXD_IFCS | TXD_IC | 255u << 16, 0);
    wr(f, TDT, 4);
    g_assert_cmpuint(f->peer.frames->len, ==, 3);
    for (unsigned i = 0; i < 3; i++) {
        GBytes *b = peer_frame(&f->peer, i);

        g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), frame,
                        sizeof(frame));
    }
}

static void test_rx_ring_outside_ram(Fixture *f, gconstpointer data)
{
    static const uint64_t bases[] = {
        UART_MMIO,
        0,
        0xfffff000ULL,
        0xffffffff00000000ULL,
    };
    uint8_t buf[100];

    memset(buf, 0, sizeof(buf));
    memcpy(buf, nic_mac, 6);
    rx_setup(f, 8, RCTL_SECRC);
    for (unsigned i = 0; i < G_N_ELEMENTS(bases); i++) {
        wr(f, RDBAL, (uint32_t)bases[i]);
        wr(f, RDBAH, bases[i] >> 32);
        /* dropped, not queued: the peer is never blocked */
        g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
        g_assert_cmpuint(rd(f, RDH), ==, 0);
    }
    g_assert_cmpuint(rd(f, MPC), ==, G_N_ELEMENTS(bases));
    /* RDLEN 0 and indices past the ring: dropped */
    wr(f, RDBAL, (uint32_t)RX_RING);
    wr(f, RDBAH, 0);
    wr(f, RDLEN, 0);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
    wr(f, RDLEN, 8 * 16);
    wr(f, RDT, 500);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
    wr(f, RDH, 300);
    wr(f, RDT, 2);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
    /* the largest ring, its end past RAM: descriptors there are refused */
    wr(f, RDLEN, 0xfff80);
    wr(f, RDBAL, (uint32_t)(RAM_END - 0x1000));
    wr(f, RDH, 1000);
    wr(f, RDT, 2000);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 1000);
    /* a sane ring again */
    rx_setup(f, 8, RCTL_SECRC);
    peer_send(f->m, &f->peer, buf, 100);
    g_assert_cmpuint(rd(f, RDH), ==, 1);
    g_assert_cmphex(rx_status(f, 0) & RXD_EOP, ==, RXD_EOP);
}

static void test_rx_bad_buffers(Fixture *f, gconstpointer data)
{
    static const uint64_t bufs[] = {
        UART_MMIO, PLIC_BASE, MROM, 0, RAM_END - 10, 0xfffffffffffffff0ULL,
    };
    uint8_t buf[100] = {0};

    memcpy(buf, nic_mac, 6);
    rx_setup(f, 8, RCTL_SECRC);
    for (unsigned i = 0; i < G_N_ELEMENTS(bufs); i++) {
        gw64(f->m, RX_RING + 16 * i, bufs[i]);
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(bufs); i++) {
        g_assert_cmpint(peer_send(f->m, &f->peer, buf, 100), ==, 100);
        g_assert_cmpuint(rd(f, RDH), ==, i + 1);
        /* written back with the RX error bit: the driver drops it */
        g_assert_cmphex(rx_status(f, i) & (RXD_DD | RXD_EOP), ==,
                        RXD_DD | RXD_EOP);
        g_assert_cmphex(rx_errors(f, i), ==, 0x80);
    }
    /* the boot ROM was not written */
    g_assert_cmphex(gr32(f->m, MROM), !=, 0);
}

/* a frame no ring of this size can ever hold is dropped, not queued */
static void test_rx_never_fits(Fixture *f, gconstpointer data)
{
    g_autofree uint8_t *buf = g_malloc0(9000);

    memcpy(buf, nic_mac, 6);
    rx_setup(f, 8, RCTL_BSIZE_256 | RCTL_LPE | RCTL_SECRC);
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 3000), ==, 3000);
    g_assert_cmpuint(rd(f, RDH), ==, 0);
    /* the biggest frame the net layer carries, SBP on */
    wr(f, RCTL, rd(f, RCTL) | (1u << 2));
    g_assert_cmpint(peer_send(f->m, &f->peer, buf, 9000), ==, 9000);
    g_assert_cmpuint(f->peer.sent_cbs, ==, 0);
}

static void test_eeprom_garbage(Fixture *f, gconstpointer data)
{
    GRand *r = g_rand_new_with_seed(1);

    for (unsigned i = 0; i < 20000; i++) {
        wr(f, EECD, g_rand_int(r));
        (void)rd(f, EECD);
    }
    wr(f, EERD, 0xff01);
    g_assert_cmphex(rd(f, EERD) & 0xffff0010, ==, 0x10);
    g_rand_free(r);
}

/* every register of BAR0 and the I/O window, written with all-ones,
 * zero and noise — resets, enables and tails with garbage rings */
static void test_register_sweep(Fixture *f, gconstpointer data)
{
    GRand *r = g_rand_new_with_seed(2);
    uint8_t buf[100] = {0};
    uint64_t io = PIO_BASE + BAR1_IO;

    memcpy(buf, nic_mac, 6);
    for (unsigned pass = 0; pass < 3; pass++) {
        for (uint32_t off = 0; off < 0x20000; off += 4) {
            uint32_t v = pass == 0 ? 0xffffffff : pass == 1 ? 0 : g_rand_int(r);

            wr(f, off, v);
            (void)rd(f, off);
            if ((off & 0xfff) == 0) {
                peer_send(f->m, &f->peer, buf, 100);
                run_bhs(f);
            }
        }
    }
    for (unsigned i = 0; i < 10000; i++) {
        hw_wr(f->m, io + 4 * g_rand_int_range(r, 0, 16), g_rand_int(r), 4);
        (void)hw_rd(f->m, io + 4 * g_rand_int_range(r, 0, 16), 4);
    }
    run_bhs(f);
    /* a device reset brings it back */
    wr(f, CTRL, CTRL_RST);
    g_assert_true(rd(f, STATUS) & STATUS_LU);
    g_rand_free(r);
}

/* random rings and registers while the peer sends random frames */
static void test_fuzz(Fixture *f, gconstpointer data)
{
    static const uint32_t regs[] = {
        TDT,  TDH,  TDLEN, TDBAL, TCTL, RDT,  RDH,  RDLEN, RDBAL,
        RCTL, CTRL, IMS,   ICS,   ITR,  MDIC, EECD, EERD,  VET,
    };
    GRand *r = g_rand_new_with_seed(g_test_rand_int());
    g_autofree uint8_t *frame = g_malloc(2000);
    uint8_t junk[256];

    tx_setup(f, 64);
    rx_setup(f, 64, RCTL_BAM | RCTL_UPE);
    for (unsigned iter = 0; iter < 3000; iter++) {
        unsigned what = g_rand_int_range(r, 0, 10);

        if (what < 3) {
            /* a random descriptor in either ring, addresses mostly in RAM */
            uint64_t ring = g_rand_boolean(r) ? TX_RING : RX_RING;
            unsigned i = g_rand_int_range(r, 0, 64);
            uint64_t a = g_rand_int_range(r, 0, 4)
                             ? RAM_BASE + g_rand_int_range(r, 0, RAM_SIZE)
                             : (uint64_t)g_rand_int(r) << 16;

            for (unsigned k = 0; k < 16; k++) {
                junk[k] = g_rand_int(r);
            }
            if (g_rand_int_range(r, 0, 4)) {
                /* mostly plausible lengths, any command bits */
                junk[9] &= 0x07;
                junk[10] &= 0xf0;
            }
            gw(f->m, ring + 16 * i, junk, 16);
            gw64(f->m, ring + 16 * i, a);
        } else if (what < 6) {
            uint32_t reg = regs[g_rand_int_range(r, 0, G_N_ELEMENTS(regs))];
            uint32_t v = g_rand_int(r);

            if ((reg == TDT || reg == RDT || reg == TDH || reg == RDH) &&
                g_rand_int_range(r, 0, 8)) {
                v %= 64;
            } else if (reg == TCTL && g_rand_int_range(r, 0, 8)) {
                v |= TCTL_EN;
            } else if (reg == TDLEN || reg == RDLEN) {
                v &= 0x3ff80;
            } else if (reg == TDBAL || reg == RDBAL) {
                v = g_rand_boolean(r) ? (uint32_t)TX_RING : v;
            } else if (reg == CTRL) {
                v &= ~CTRL_RST;
            }
            wr(f, reg, v);
        } else {
            size_t len = g_rand_int_range(r, 1, 2000);

            for (size_t k = 0; k < len; k++) {
                frame[k] = g_rand_int(r);
            }
            if (g_rand_boolean(r)) {
                memcpy(frame, nic_mac, 6);
            }
            peer_send(f->m, &f->peer, frame, len);
        }
        if (iter % 64 == 0) {
            f->peer.refuse = g_rand_int_range(r, 0, 4) == 0;
            if (!f->peer.refuse) {
                emu_machine_lock(f->m);
                emu_net_flush_queue(f->peer.nc);
                emu_machine_unlock(f->m);
            }
            run_bhs(f);
        }
    }
    f->peer.refuse = false;
    run_bhs(f);
    g_test_message("fuzz: %u frames out, TPR %u", f->peer.frames->len,
                   rd(f, TPR));
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    unsigned logged = 0;

    g_test_init(&argc, &argv, NULL);
    g_log_set_handler("vmkit-guest", G_LOG_LEVEL_MESSAGE, quiet_log, &logged);
#define ADD(name, fn)                                                          \
    g_test_add("/e1000/hostile/" name, Fixture, NULL, setup, fn, teardown)
    ADD("tx-lengths", test_tx_lengths);
    ADD("tx-ring-outside-ram", test_tx_ring_outside_ram);
    ADD("tx-bad-indices", test_tx_bad_indices);
    ADD("tx-huge-ring", test_tx_huge_ring);
    ADD("tso-bad-context", test_tso_bad_context);
    ADD("tso-context-midpacket", test_tso_context_midpacket);
    ADD("tso-tiny-mss", test_tso_tiny_mss);
    ADD("csum-offsets", test_csum_offsets);
    ADD("rx-ring-outside-ram", test_rx_ring_outside_ram);
    ADD("rx-bad-buffers", test_rx_bad_buffers);
    ADD("rx-never-fits", test_rx_never_fits);
    ADD("eeprom-garbage", test_eeprom_garbage);
    ADD("register-sweep", test_register_sweep);
    ADD("fuzz", test_fuzz);
#undef ADD
    return g_test_run();
}
