/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-virtio-net.c: virtio-net as a guest driver sees it, on both
 * transports — feature negotiation, configuration, TX (direct, indirect,
 * oversize, bursts, backpressure), RX (single and mergeable buffers,
 * backpressure, frames too big), link status, interrupt suppression,
 * reset, and the -device options through the net core. */
#include "config.h"

#include "virtio-test.h"

#define FEAT_BASE                                                              \
    (EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1) | EMU_VIRTIO_BIT(F_MAC) |          \
     EMU_VIRTIO_BIT(F_STATUS))
#define FEAT_MRG (FEAT_BASE | EMU_VIRTIO_BIT(F_MRG))
#define FEAT_ALL (FEAT_MRG | EMU_VIRTIO_BIT(EMU_VIRTIO_F_INDIRECT_DESC))

static void make_frame(uint8_t *p, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        p[i] = (uint8_t)(seed + i * 7);
    }
}

/* a TX chain: header and frame in one buffer at @addr */
static uint16_t tx_one(Fixture *f, Ring *tx, uint64_t addr, size_t len,
                       uint8_t seed)
{
    uint8_t buf[NET_HDR + 2048] = {0};
    GBuf b = {addr, NET_HDR + len, false};

    g_assert_cmpuint(len, <=, 2048);
    make_frame(buf + NET_HDR, len, seed);
    gw(f->m, addr, buf, NET_HDR + len);
    return ring_add(tx, &b, 1);
}

static void check_frame(GBytes *b, size_t len, uint8_t seed)
{
    uint8_t want[2048];
    gsize n;
    const uint8_t *p = g_bytes_get_data(b, &n);

    make_frame(want, len, seed);
    g_assert_cmpuint(n, ==, len);
    g_assert_cmpmem(p, n, want, len);
}

/* @data: NULL, or -device options for the NIC */
static void setup(Fixture *f, bool pci, const char *opts_text)
{
    g_autoptr(GError) err = NULL;
    EmuOpts *opts = NULL;

    if (opts_text) {
        opts = emu_opts_parse(opts_text, NULL, &err);
        g_assert_no_error(err);
    }
    fixture_up(f, pci, opts);
    if (opts) {
        g_assert_true(emu_opts_check_unused(opts, NULL, &err));
        emu_opts_free(opts);
    }
}

static void setup_pci(Fixture *f, gconstpointer data)
{
    setup(f, true, data);
}

static void setup_mmio(Fixture *f, gconstpointer data)
{
    setup(f, false, data);
}

static void teardown(Fixture *f, gconstpointer data)
{
    fixture_down(f);
}

/* ---- identity, features, configuration ------------------------------- */

static void test_features(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    uint64_t feat = drv_features(d);
    uint8_t ok = EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER |
                 EMU_VIRTIO_STATUS_FEATURES_OK;

    g_assert_true(feat & EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1));
    g_assert_true(feat & EMU_VIRTIO_BIT(F_MAC));
    g_assert_true(feat & EMU_VIRTIO_BIT(F_STATUS));
    g_assert_true(feat & EMU_VIRTIO_BIT(F_MRG));
    g_assert_true(feat & EMU_VIRTIO_BIT(EMU_VIRTIO_F_INDIRECT_DESC));
    g_assert_false(feat & EMU_VIRTIO_BIT(EMU_VIRTIO_F_EVENT_IDX));
    g_assert_false(feat & 1); /* no checksum offload */

    /* a legacy driver (no VERSION_1) is refused */
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER);
    drv_set_features(d, EMU_VIRTIO_BIT(F_MAC));
    drv_set_status(d, ok);
    g_assert_cmphex(drv_status(d), ==, ok & ~EMU_VIRTIO_STATUS_FEATURES_OK);

    /* features the device did not offer are refused */
    drv_set_status(d, 0);
    g_assert_cmphex(drv_status(d), ==, 0);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER);
    drv_set_features(d, FEAT_BASE | EMU_VIRTIO_BIT(EMU_VIRTIO_F_EVENT_IDX));
    drv_set_status(d, ok);
    g_assert_cmphex(drv_status(d) & EMU_VIRTIO_STATUS_FEATURES_OK, ==, 0);

    /* a subset with VERSION_1 is accepted; later feature writes ignored */
    drv_set_status(d, 0);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER);
    drv_set_features(d, FEAT_BASE);
    drv_set_status(d, ok);
    g_assert_cmphex(drv_status(d), ==, ok);
    drv_set_features(d, FEAT_ALL);
    if (d->pci) {
        hw_wr(f->m, d->common + C_GFSELECT, 0, 4);
        g_assert_cmphex(hw_rd(f->m, d->common + C_GF, 4), ==,
                        (uint32_t)FEAT_BASE);
    }
    /* DRIVER_OK without FEATURES_OK does not start the device */
    drv_set_status(d, 0);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER |
                          EMU_VIRTIO_STATUS_DRIVER_OK);
    g_assert_cmphex(drv_status(d) & EMU_VIRTIO_STATUS_DRIVER_OK, ==, 0);

    g_assert_cmpuint(drv_queue_max(d, 0), ==, 256);
    g_assert_cmpuint(drv_queue_max(d, 1), ==, 256);
    g_assert_cmpuint(drv_queue_max(d, 2), ==, 0); /* no control queue */
}

static void test_config(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

    for (unsigned i = 0; i < 6; i++) {
        g_assert_cmphex(drv_config(d, i, 1), ==, mac[i]);
    }
    g_assert_cmphex(drv_config(d, 0, 4), ==, 0x12005452);
    g_assert_cmphex(drv_config(d, 4, 2), ==, 0x5634);
    g_assert_cmphex(drv_config(d, 6, 2), ==, 1); /* link up */
    g_assert_cmphex(drv_config(d, 8, 2), ==, 1); /* one queue pair */
    /* beyond the space: zeros; writes are ignored (MAC is read-only) */
    g_assert_cmphex(drv_config(d, 0x40, 4), ==, 0);
    if (d->pci) {
        hw_wr(f->m, d->device, 0xffffffff, 4);
    } else {
        hw_wr(f->m, d->mmio + M_CONFIG, 0xffffffff, 4);
    }
    g_assert_cmphex(drv_config(d, 0, 4), ==, 0x12005452);
}

/* ---- transmit ---------------------------------------------------------- */

static void test_tx(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx, tx;
    uint32_t id, len;
    uint16_t h0, h1, h2;
    uint8_t frame[100];
    GBuf two[2] = {
        {BUF_BASE + 0x1000, NET_HDR, false},
        {BUF_BASE + 0x1100, 100, false},
    };

    drv_bringup(d, FEAT_BASE, &rx, &tx, 256);
    g_assert_false(drv_irq_line(d));

    h0 = tx_one(f, &tx, BUF_BASE, 60, 1);
    h1 = tx_one(f, &tx, BUF_BASE + 0x800, 1514, 2);
    /* header and frame in separate buffers */
    make_frame(frame, sizeof(frame), 3);
    gw(f->m, BUF_BASE + 0x1100, frame, sizeof(frame));
    h2 = ring_add(&tx, two, 2);
    drv_notify(d, 1);

    g_assert_cmpuint(f->peer.frames->len, ==, 3);
    check_frame(peer_frame(&f->peer, 0), 60, 1);
    check_frame(peer_frame(&f->peer, 1), 1514, 2);
    check_frame(peer_frame(&f->peer, 2), 100, 3);

    g_assert_true(ring_used(&tx, &id, &len));
    g_assert_cmpuint(id, ==, h0);
    g_assert_cmpuint(len, ==, 0);
    g_assert_true(ring_used(&tx, &id, NULL));
    g_assert_cmpuint(id, ==, h1);
    g_assert_true(ring_used(&tx, &id, NULL));
    g_assert_cmpuint(id, ==, h2);
    g_assert_false(ring_used(&tx, NULL, NULL));

    /* one interrupt, cleared by the driver's read/ack */
    g_assert_true(drv_irq_line(d));
    g_assert_cmphex(drv_isr(d), ==, EMU_VIRTIO_ISR_QUEUE);
    g_assert_false(drv_irq_line(d));
    g_assert_cmpuint(f->peer.nc->stats.rx_packets, ==, 3);
}

static void test_tx_indirect(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring tx;
    uint64_t table = BUF_BASE + 0x10000;
    uint8_t frame[64];
    uint32_t id;
    uint16_t head;

    drv_bringup(d, FEAT_ALL, NULL, &tx, 256);
    make_frame(frame, sizeof(frame), 9);
    gw(f->m, BUF_BASE + 0x100, frame, sizeof(frame));
    desc_write(f->m, table, 0, BUF_BASE, NET_HDR, EMU_VIRTQ_DESC_F_NEXT, 1);
    desc_write(f->m, table, 1, BUF_BASE + 0x100, 64, 0, 0);
    head = tx.next_desc++ % tx.num;
    desc_write(f->m, tx.desc, head, table, 32, EMU_VIRTQ_DESC_F_INDIRECT, 0);
    ring_publish(&tx, head);
    drv_notify(d, 1);

    g_assert_cmpuint(f->peer.frames->len, ==, 1);
    check_frame(peer_frame(&f->peer, 0), 64, 9);
    g_assert_true(ring_used(&tx, &id, NULL));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmphex(drv_status(d) & EMU_VIRTIO_STATUS_NEEDS_RESET, ==, 0);
}

/* frames above the largest frame are counted and returned, not sent */
static void test_tx_oversize(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring tx;
    GBuf big[2] = {
        {BUF_BASE, NET_HDR, false},
        {BUF_BASE + 0x1000, EMU_NET_MAX_FRAME + 1, false},
    };
    GBuf hdr_only = {BUF_BASE, NET_HDR, false};
    uint32_t id;
    uint16_t h0, h1;

    drv_bringup(d, FEAT_BASE, NULL, &tx, 256);
    h0 = ring_add(&tx, big, 2);
    h1 = ring_add(&tx, &hdr_only, 1);
    tx_one(f, &tx, BUF_BASE + 0x20000, 80, 4);
    drv_notify(d, 1);

    g_assert_cmpuint(f->peer.frames->len, ==, 1);
    check_frame(peer_frame(&f->peer, 0), 80, 4);
    g_assert_true(ring_used(&tx, &id, NULL));
    g_assert_cmpuint(id, ==, h0);
    g_assert_true(ring_used(&tx, &id, NULL));
    g_assert_cmpuint(id, ==, h1);
    g_assert_true(ring_used(&tx, NULL, NULL));
    g_assert_cmphex(drv_status(d) & EMU_VIRTIO_STATUS_NEEDS_RESET, ==, 0);
    g_assert_cmpuint(emu_net_find(f->net, "nic0")->stats.tx_dropped, ==, 2);
    g_assert_cmpuint(emu_net_find(f->net, "nic0")->stats.tx_packets, ==, 1);
}

/* more frames than a burst: the rest goes from a bottom half */
static void test_tx_burst(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring tx;
    unsigned used = 0;

    drv_bringup(d, FEAT_BASE, NULL, &tx, 512);
    for (unsigned i = 0; i < 300; i++) {
        tx_one(f, &tx, BUF_BASE + i * 0x100, 64, i);
    }
    drv_notify(d, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 256);
    while (ring_used(&tx, NULL, NULL)) {
        used++;
    }
    g_assert_cmpuint(used, ==, 256);
    run_bhs(f);
    g_assert_cmpuint(f->peer.frames->len, ==, 300);
    for (unsigned i = 0; i < 300; i++) {
        check_frame(peer_frame(&f->peer, i), 64, i);
    }
    while (ring_used(&tx, NULL, NULL)) {
        used++;
    }
    g_assert_cmpuint(used, ==, 300);
}

/* the peer cannot take frames: the NIC stops after the queued one and
 * continues from the sent callback, in order, nothing lost */
static void test_tx_backpressure(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring tx;
    unsigned used = 0;

    drv_bringup(d, FEAT_BASE, NULL, &tx, 256);
    f->peer.refuse = true;
    for (unsigned i = 0; i < 5; i++) {
        tx_one(f, &tx, BUF_BASE + i * 0x100, 64, 10 + i);
    }
    drv_notify(d, 1);
    /* the first frame was queued at the peer, the rest stays in the ring */
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    while (ring_used(&tx, NULL, NULL)) {
        used++;
    }
    g_assert_cmpuint(used, ==, 1);
    drv_notify(d, 1); /* a kick while waiting changes nothing */
    g_assert_false(ring_used(&tx, NULL, NULL));

    f->peer.refuse = false;
    emu_machine_lock(f->m);
    emu_net_flush_queue(f->peer.nc);
    emu_machine_unlock(f->m);
    g_assert_cmpuint(f->peer.frames->len, ==, 1);
    run_bhs(f);
    g_assert_cmpuint(f->peer.frames->len, ==, 5);
    for (unsigned i = 0; i < 5; i++) {
        check_frame(peer_frame(&f->peer, i), 64, 10 + i);
    }
    while (ring_used(&tx, NULL, NULL)) {
        used++;
    }
    g_assert_cmpuint(used, ==, 5);
}

/* VIRTQ_AVAIL_F_NO_INTERRUPT: the driver polls, no interrupt */
static void test_no_interrupt(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring tx;

    drv_bringup(d, FEAT_BASE, NULL, &tx, 256);
    gw16(f->m, tx.avail, EMU_VIRTQ_AVAIL_F_NO_INTERRUPT);
    tx_one(f, &tx, BUF_BASE, 64, 1);
    drv_notify(d, 1);
    g_assert_true(ring_used(&tx, NULL, NULL));
    g_assert_false(drv_irq_line(d));
    g_assert_cmphex(drv_isr(d), ==, 0);
    gw16(f->m, tx.avail, 0);
    tx_one(f, &tx, BUF_BASE, 64, 2);
    drv_notify(d, 1);
    g_assert_true(drv_irq_line(d));
}

/* ---- receive ----------------------------------------------------------- */

static void rx_post(Ring *rx, uint64_t addr, uint32_t len)
{
    GBuf b = {addr, len, true};

    ring_add(rx, &b, 1);
}

static void check_rx(Fixture *f, uint64_t addr, size_t len, uint8_t seed,
                     uint16_t num_buffers)
{
    uint8_t hdr[NET_HDR], want[2048], got[2048];

    gr(f->m, addr, hdr, NET_HDR);
    for (unsigned i = 0; i < 10; i++) {
        g_assert_cmpuint(hdr[i], ==, 0); /* no offloads: zeroed */
    }
    g_assert_cmpuint(hdr[10] | hdr[11] << 8, ==, num_buffers);
    make_frame(want, len, seed);
    gr(f->m, addr + NET_HDR, got, len);
    g_assert_cmpmem(got, len, want, len);
}

static void test_rx(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint8_t frame[1514];
    uint32_t id, len;

    drv_bringup(d, FEAT_BASE, &rx, NULL, 256);
    for (unsigned i = 0; i < 4; i++) {
        rx_post(&rx, BUF_BASE + i * 0x1000, 1526);
    }
    drv_notify(d, 0);

    make_frame(frame, 60, 5);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 60), ==, 60);
    make_frame(frame, 1514, 6);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 1514), ==, 1514);

    g_assert_true(ring_used(&rx, &id, &len));
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(len, ==, NET_HDR + 60);
    check_rx(f, BUF_BASE, 60, 5, 1);
    g_assert_true(ring_used(&rx, &id, &len));
    g_assert_cmpuint(id, ==, 1);
    g_assert_cmpuint(len, ==, NET_HDR + 1514);
    check_rx(f, BUF_BASE + 0x1000, 1514, 6, 1);
    g_assert_false(ring_used(&rx, NULL, NULL));
    g_assert_true(drv_irq_line(d));
    g_assert_cmphex(drv_isr(d), ==, EMU_VIRTIO_ISR_QUEUE);
    g_assert_cmpuint(f->peer.nc->stats.tx_packets, ==, 2);
}

/* one chain made of several writable descriptors, without MRG_RXBUF */
static void test_rx_chain(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint8_t frame[200], got[200], want[200];
    GBuf b[3] = {
        {BUF_BASE, NET_HDR, true},
        {BUF_BASE + 0x1000, 100, true},
        {BUF_BASE + 0x2000, 1000, true},
    };
    uint32_t len;

    drv_bringup(d, FEAT_BASE, &rx, NULL, 256);
    ring_add(&rx, b, 3);
    drv_notify(d, 0);
    make_frame(frame, 200, 8);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 200), ==, 200);
    g_assert_true(ring_used(&rx, NULL, &len));
    g_assert_cmpuint(len, ==, NET_HDR + 200);
    g_assert_cmpuint(gr16(f->m, BUF_BASE + 10), ==, 1);
    gr(f->m, BUF_BASE + 0x1000, got, 100);
    gr(f->m, BUF_BASE + 0x2000, got + 100, 100);
    make_frame(want, 200, 8);
    g_assert_cmpmem(got, 200, want, 200);
}

/* MRG_RXBUF: a frame spread over several small buffers */
static void test_rx_mergeable(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint8_t frame[300], got[400], want[300];
    uint32_t id, len, total = 0;
    size_t off = 0;

    drv_bringup(d, FEAT_MRG, &rx, NULL, 256);
    for (unsigned i = 0; i < 8; i++) {
        rx_post(&rx, BUF_BASE + i * 0x100, 64);
    }
    drv_notify(d, 0);
    make_frame(frame, 300, 11);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 300), ==, 300);

    /* 312 bytes with the header: five 64-byte buffers */
    for (unsigned i = 0; i < 5; i++) {
        g_assert_true(ring_used(&rx, &id, &len));
        g_assert_cmpuint(id, ==, i);
        g_assert_cmpuint(len, ==, i < 4 ? 64 : 312 - 256);
        gr(f->m, BUF_BASE + i * 0x100, got + off, len);
        off += len;
        total += len;
    }
    g_assert_false(ring_used(&rx, NULL, NULL));
    g_assert_cmpuint(total, ==, NET_HDR + 300);
    g_assert_cmpuint(got[10] | got[11] << 8, ==, 5);
    make_frame(want, 300, 11);
    g_assert_cmpmem(got + NET_HDR, 300, want, 300);

    /* the next frame starts in the next buffer */
    make_frame(frame, 20, 12);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 20), ==, 20);
    g_assert_true(ring_used(&rx, &id, &len));
    g_assert_cmpuint(id, ==, 5);
    g_assert_cmpuint(len, ==, NET_HDR + 20);
    check_rx(f, BUF_BASE + 5 * 0x100, 20, 12, 1);
}

/* no buffers: the frames wait in the core, then arrive in order once the
 * driver posts buffers — nothing is dropped */
static void test_rx_backpressure(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint8_t frame[100];
    uint32_t len;

    drv_bringup(d, FEAT_MRG, &rx, NULL, 256);
    for (unsigned i = 0; i < 3; i++) {
        make_frame(frame, 100, 20 + i);
        g_assert_cmpint(peer_send(f->m, &f->peer, frame, 100), ==, 0);
    }
    g_assert_false(ring_used(&rx, NULL, NULL));
    g_assert_cmpuint(f->peer.sent_cbs, ==, 0);

    /* one 64-byte buffer is not enough for a 112-byte frame: still wait */
    rx_post(&rx, BUF_BASE, 64);
    drv_notify(d, 0);
    g_assert_false(ring_used(&rx, NULL, NULL));

    for (unsigned i = 1; i < 6; i++) {
        rx_post(&rx, BUF_BASE + i * 0x100, 64);
    }
    drv_notify(d, 0);
    /* 3 frames x 2 buffers */
    for (unsigned i = 0; i < 3; i++) {
        uint8_t got[128], want[100];

        g_assert_true(ring_used(&rx, NULL, &len));
        g_assert_cmpuint(len, ==, 64);
        gr(f->m, BUF_BASE + 2 * i * 0x100, got, 64);
        g_assert_true(ring_used(&rx, NULL, &len));
        g_assert_cmpuint(len, ==, 48);
        gr(f->m, BUF_BASE + (2 * i + 1) * 0x100, got + 64, 48);
        g_assert_cmpuint(got[10], ==, 2);
        make_frame(want, 100, 20 + i);
        g_assert_cmpmem(got + NET_HDR, 100, want, 100);
    }
    g_assert_cmpuint(f->peer.sent_cbs, ==, 3);
    g_assert_cmpuint(f->peer.nc->stats.tx_dropped, ==, 0);
}

/* frames wait while the driver is not up yet, and arrive at DRIVER_OK */
static void test_rx_before_driver_ok(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint8_t frame[60];
    uint8_t ok = EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER |
                 EMU_VIRTIO_STATUS_FEATURES_OK;

    make_frame(frame, 60, 30);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 60), ==, 0);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER);
    drv_set_features(d, FEAT_BASE);
    drv_set_status(d, ok);
    ring_init(&rx, d, 0, 256, RXQ_BASE);
    rx_post(&rx, BUF_BASE, 1526);
    drv_notify(d, 0); /* before DRIVER_OK: ignored */
    g_assert_false(ring_used(&rx, NULL, NULL));
    drv_set_status(d, ok | EMU_VIRTIO_STATUS_DRIVER_OK);
    g_assert_true(ring_used(&rx, NULL, NULL));
    check_rx(f, BUF_BASE, 60, 30, 1);
}

/* without MRG_RXBUF a frame that does not fit one chain is dropped and
 * the buffer stays for the next frame (QEMU's behaviour) */
static void test_rx_too_small(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint8_t frame[200];
    uint32_t id, len;

    drv_bringup(d, FEAT_BASE, &rx, NULL, 256);
    rx_post(&rx, BUF_BASE, 100);
    drv_notify(d, 0);
    make_frame(frame, 200, 40);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 200), ==, 200);
    g_assert_false(ring_used(&rx, NULL, NULL));
    make_frame(frame, 50, 41);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 50), ==, 50);
    g_assert_true(ring_used(&rx, &id, &len));
    g_assert_cmpuint(id, ==, 0);
    g_assert_cmpuint(len, ==, NET_HDR + 50);
    check_rx(f, BUF_BASE, 50, 41, 1);
    g_assert_cmphex(drv_status(d) & EMU_VIRTIO_STATUS_NEEDS_RESET, ==, 0);
}

/* ---- link, reset ------------------------------------------------------- */

static void test_link(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx;
    uint32_t gen;
    uint8_t frame[60];
    g_autoptr(GError) err = NULL;

    drv_bringup(d, FEAT_BASE, &rx, NULL, 256);
    rx_post(&rx, BUF_BASE, 1526);
    drv_notify(d, 0);
    gen = drv_config_gen(d);
    g_assert_cmphex(drv_config(d, 6, 2), ==, 1);

    emu_machine_lock(f->m);
    g_assert_true(emu_net_set_link(f->net, "nic0", false, &err));
    emu_machine_unlock(f->m);
    g_assert_no_error(err);
    g_assert_cmphex(drv_config(d, 6, 2), ==, 0);
    g_assert_cmpuint(drv_config_gen(d), !=, gen);
    g_assert_true(drv_irq_line(d));
    g_assert_cmphex(drv_isr(d), ==, EMU_VIRTIO_ISR_CONFIG);

    /* link down: frames to the guest are dropped, not queued */
    make_frame(frame, 60, 50);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 60), ==, 60);
    g_assert_false(ring_used(&rx, NULL, NULL));

    emu_machine_lock(f->m);
    g_assert_true(emu_net_set_link(f->net, "nic0", true, &err));
    emu_machine_unlock(f->m);
    g_assert_cmphex(drv_config(d, 6, 2), ==, 1);
    g_assert_cmphex(drv_isr(d), ==, EMU_VIRTIO_ISR_CONFIG);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 60), ==, 60);
    g_assert_true(ring_used(&rx, NULL, NULL));

    /* set_link on the backend takes the NIC along */
    emu_machine_lock(f->m);
    g_assert_true(emu_net_set_link(f->net, "peer0", false, &err));
    emu_machine_unlock(f->m);
    g_assert_cmphex(drv_config(d, 6, 2), ==, 0);
}

static void test_reset(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx, tx;
    uint8_t frame[60];

    drv_bringup(d, FEAT_BASE, &rx, &tx, 256);
    tx_one(f, &tx, BUF_BASE, 64, 1);
    drv_notify(d, 1);
    g_assert_true(drv_irq_line(d));
    g_assert_true(drv_queue_ready(d, 0));

    drv_set_status(d, 0);
    g_assert_cmphex(drv_status(d), ==, 0);
    g_assert_false(drv_irq_line(d));
    g_assert_false(drv_queue_ready(d, 0));
    g_assert_false(drv_queue_ready(d, 1));
    g_assert_cmpuint(drv_queue_max(d, 0), ==, 256);

    /* rings restart from index 0 */
    drv_bringup(d, FEAT_BASE, &rx, &tx, 128);
    tx_one(f, &tx, BUF_BASE, 64, 2);
    drv_notify(d, 1);
    g_assert_cmpuint(f->peer.frames->len, ==, 2);
    check_frame(peer_frame(&f->peer, 1), 64, 2);
    g_assert_true(ring_used(&tx, NULL, NULL));
    rx_post(&rx, BUF_BASE + 0x1000, 1526);
    drv_notify(d, 0);
    make_frame(frame, 60, 3);
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 60), ==, 60);
    g_assert_true(ring_used(&rx, NULL, NULL));
    check_rx(f, BUF_BASE + 0x1000, 60, 3, 1);
}

/* a board reset resets the device like a driver's status 0 */
static void test_board_reset(Fixture *f, gconstpointer data)
{
    Drv *d = f->d;
    Ring rx, tx;
    g_autoptr(GError) err = NULL;

    drv_bringup(d, FEAT_BASE, &rx, &tx, 256);
    tx_one(f, &tx, BUF_BASE, 64, 1);
    drv_notify(d, 1);
    g_assert_true(drv_irq_line(d));
    g_assert_true(emu_virt_reset(f->m, &err));
    g_assert_no_error(err);
    if (d->pci) {
        drv_probe(d, f->m, true); /* the BAR is unprogrammed again */
    }
    g_assert_cmphex(drv_status(d), ==, 0);
    g_assert_false(drv_queue_ready(d, 1));
    g_assert_false(drv_irq_line(d));
}

/* ---- options through the net core ------------------------------------ */

static void test_options(void)
{
    Fixture f = {0};
    g_autoptr(GError) err = NULL;
    EmuNetClient *nc;
    g_autoptr(GString) info = g_string_new(NULL);

    machine_setup(&f);
    g_assert_true(emu_net_add_option(f.net, "-device",
                                     "virtio-net-pci,netdev=peer0,addr=0x5,"
                                     "mac=52:54:00:ab:cd:ef,"
                                     "rx_queue_size=1024,mrg_rxbuf=off",
                                     &err));
    g_assert_no_error(err);
    g_assert_true(emu_net_add_option(f.net, "-device",
                                     "virtio-net-device,id=vnet1", &err));
    g_assert_true(
        emu_net_add_option(f.net, "-device", "virtio-net-device", &err));
    g_assert_true(emu_net_add_option(
        f.net, "-device", "virtio-net-device,bus=virtio-mmio-bus.2", &err));
    g_assert_true(emu_net_realize(f.net, &err));
    g_assert_no_error(err);

    /* QEMU's names: id=, else "<model>.<n>" */
    nc = emu_net_find(f.net, "virtio-net-pci.0");
    g_assert_nonnull(nc);
    g_assert_true(nc->peer == f.peer.nc);
    nc->ops->describe(nc, info);
    g_assert_cmpstr(info->str, ==,
                    "model=virtio-net-pci,macaddr=52:54:00:ab:cd:ef");
    /* QEMU's assign_name counts every client of the model, named or not */
    g_assert_nonnull(emu_net_find(f.net, "vnet1"));
    g_assert_nonnull(emu_net_find(f.net, "virtio-net-device.1"));
    g_assert_nonnull(emu_net_find(f.net, "virtio-net-device.2"));

    /* addr=0x5: slot 5; queue size and features from the options */
    g_assert_cmphex(hw_rd(f.m, pci_cfg_base(5), 4), ==, 0x10411af4);
    {
        Drv d;

        pci_bar_set(f.m, pci_cfg_base(5), 4, BAR_ADDR, false);
        pci_enable(f.m, pci_cfg_base(5), EMU_PCI_COMMAND_MEMORY);
        hw_wr(f.m, BAR_ADDR + C_Q_SELECT, 0, 2);
        g_assert_cmpuint(hw_rd(f.m, BAR_ADDR + C_Q_SIZE, 2), ==, 1024);
        hw_wr(f.m, BAR_ADDR + C_DFSELECT, 0, 4);
        g_assert_false(hw_rd(f.m, BAR_ADDR + C_DF, 4) & (1u << F_MRG));
        /* the MMIO NICs: slots 7 and 6 by order, 2 by bus= */
        drv_probe(&d, f.m, false);
        g_assert_cmpuint(
            hw_rd(f.m, VIRTIO_MMIO_BASE + 7 * 0x1000 + M_DEVICE_ID, 4), ==, 1);
        g_assert_cmpuint(
            hw_rd(f.m, VIRTIO_MMIO_BASE + 6 * 0x1000 + M_DEVICE_ID, 4), ==, 1);
        g_assert_cmpuint(
            hw_rd(f.m, VIRTIO_MMIO_BASE + 2 * 0x1000 + M_DEVICE_ID, 4), ==, 1);
        g_assert_cmpuint(
            hw_rd(f.m, VIRTIO_MMIO_BASE + 5 * 0x1000 + M_DEVICE_ID, 4), ==, 0);
    }
    machine_teardown(&f);
}

static void test_bad_options(void)
{
    static const char *const bad[] = {
        "virtio-net-pci,rx_queue_size=100",
        "virtio-net-pci,tx_queue_size=2048",
        "virtio-net-pci,addr=0x20",
        "virtio-net-pci,addr=zz",
        "virtio-net-pci,bus=pci.7",
        "virtio-net-pci,mrg_rxbuf=maybe",
        "virtio-net-pci,bogus=1",
        "virtio-net-device,bus=virtio-mmio-bus.8",
        "virtio-net-device,addr=3",
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
        Fixture f = {0};
        g_autoptr(GError) err = NULL;

        machine_setup(&f);
        if (emu_net_add_option(f.net, "-device", bad[i], &err)) {
            g_assert_false(emu_net_realize(f.net, &err));
        }
        g_assert_nonnull(err);
        g_test_message("%s: %s", bad[i], err->message);
        machine_teardown(&f);
    }
}

/* two NICs on one PCI slot, or a ninth MMIO device: clean errors */
static void test_no_room(void)
{
    Fixture f = {0};
    g_autoptr(GError) err = NULL;
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};

    machine_setup(&f);
    for (unsigned i = 0; i < 8; i++) {
        g_autofree char *id = g_strdup_printf("m%u", i);

        g_assert_true(
            emu_virtio_net_mmio_create(f.m, NULL, mac, id, NULL, &err));
    }
    g_assert_false(
        emu_virtio_net_mmio_create(f.m, NULL, mac, "m8", NULL, &err));
    g_assert_nonnull(err);
    g_assert_null(emu_net_find(f.net, "m8"));
    g_clear_error(&err);
    /* a duplicate name fails before the board gets a device */
    g_assert_false(emu_virtio_net_pci_create(f.m, NULL, mac, "m0", NULL, &err));
    g_assert_nonnull(err);
    g_assert_cmpuint(hw_rd(f.m, pci_cfg_base(1), 4), ==, 0xffffffff);
    machine_teardown(&f);
}

static void add_opts(const char *name, const char *opts,
                     void (*fn)(Fixture *, gconstpointer))
{
    g_autofree char *p = g_strdup_printf("/virtio-net/pci/%s", name);
    g_autofree char *m = g_strdup_printf("/virtio-net/mmio/%s", name);

    g_test_add(p, Fixture, opts, setup_pci, fn, teardown);
    g_test_add(m, Fixture, opts, setup_mmio, fn, teardown);
}

static void add(const char *name, void (*fn)(Fixture *, gconstpointer))
{
    add_opts(name, NULL, fn);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    add("features", test_features);
    add("config", test_config);
    add("tx", test_tx);
    add("tx-indirect", test_tx_indirect);
    add("tx-oversize", test_tx_oversize);
    add_opts("tx-burst", "tx_queue_size=512", test_tx_burst);
    add("tx-backpressure", test_tx_backpressure);
    add("no-interrupt", test_no_interrupt);
    add("rx", test_rx);
    add("rx-chain", test_rx_chain);
    add("rx-mergeable", test_rx_mergeable);
    add("rx-backpressure", test_rx_backpressure);
    add("rx-before-driver-ok", test_rx_before_driver_ok);
    add("rx-too-small", test_rx_too_small);
    add("link", test_link);
    add("reset", test_reset);
    add("board-reset", test_board_reset);
    g_test_add_func("/virtio-net/options", test_options);
    g_test_add_func("/virtio-net/bad-options", test_bad_options);
    g_test_add_func("/virtio-net/no-room", test_no_room);
    return g_test_run();
}
