/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-virtio-hostile.c: a hostile driver against the split virtqueue
 * core — descriptor loops, chains longer than the queue, indices out of
 * range, buffers outside RAM, huge lengths, bad indirect tables, avail
 * index jumps, misordered or misused buffers, bad ring setup, and random
 * rings. Each must put the device in DEVICE_NEEDS_RESET with a
 * configuration interrupt, send and write nothing, and leave the process
 * alive (run it under ASan: configure --enable-sanitizers); a reset
 * brings the device back. */
#include "config.h"

#include "virtio-test.h"

#define FEAT                                                                   \
    (EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1) | EMU_VIRTIO_BIT(F_MAC) |          \
     EMU_VIRTIO_BIT(F_MRG) | EMU_VIRTIO_BIT(EMU_VIRTIO_F_INDIRECT_DESC))
#define F_NEXT     EMU_VIRTQ_DESC_F_NEXT
#define F_WRITE    EMU_VIRTQ_DESC_F_WRITE
#define F_INDIRECT EMU_VIRTQ_DESC_F_INDIRECT
#define QSIZE      16
#define TABLE      (BUF_BASE + 0x100000)

static unsigned guest_errors;

static void count_log(const char *domain, GLogLevelFlags level, const char *msg,
                      gpointer data)
{
    guest_errors++;
}

typedef struct Hostile {
    Fixture f;
    Ring rx, tx;
} Hostile;

static void setup_pci(Hostile *h, gconstpointer data)
{
    fixture_up(&h->f, true, NULL);
    drv_bringup(h->f.d, FEAT, &h->rx, &h->tx, QSIZE);
}

static void setup_mmio(Hostile *h, gconstpointer data)
{
    fixture_up(&h->f, false, NULL);
    drv_bringup(h->f.d, FEAT, &h->rx, &h->tx, QSIZE);
}

static void teardown(Hostile *h, gconstpointer data)
{
    fixture_down(&h->f);
}

static bool needs_reset(Hostile *h)
{
    return drv_status(h->f.d) & EMU_VIRTIO_STATUS_NEEDS_RESET;
}

/* the device is broken: NEEDS_RESET, a configuration interrupt, nothing
 * sent, no used entry; further kicks do nothing; a reset revives it */
static void expect_broken(Hostile *h, Ring *r)
{
    Fixture *f = &h->f;
    Drv *d = f->d;
    uint8_t frame[60] = {1, 2, 3};
    GBuf b = {BUF_BASE + 0x8000, 1526, true};

    g_assert_true(needs_reset(h));
    g_assert_true(drv_irq_line(d));
    g_assert_true(drv_isr(d) & EMU_VIRTIO_ISR_CONFIG);
    g_assert_cmpuint(f->peer.frames->len, ==, 0);
    g_assert_cmpuint(gr16(f->m, r->used + 2), ==, 0);
    drv_notify(d, 0);
    drv_notify(d, 1);
    g_assert_cmpuint(gr16(f->m, r->used + 2), ==, 0);
    /* a frame for a broken device waits in the core */
    g_assert_cmpint(peer_send(f->m, &f->peer, frame, 60), ==, 0);

    /* reset and bring up again: the waiting frame arrives */
    drv_bringup(d, FEAT, &h->rx, &h->tx, QSIZE);
    g_assert_false(needs_reset(h));
    ring_add(&h->rx, &b, 1);
    drv_notify(d, 0);
    g_assert_true(ring_used(&h->rx, NULL, NULL));
    g_assert_cmpuint(f->peer.sent_cbs, ==, 1);
}

static void kick_tx(Hostile *h, uint16_t head)
{
    ring_publish(&h->tx, head);
    drv_notify(h->f.d, 1);
}

/* ---- direct chains ----------------------------------------------------- */

static void test_loop(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    desc_write(m, h->tx.desc, 0, BUF_BASE, NET_HDR, F_NEXT, 1);
    desc_write(m, h->tx.desc, 1, BUF_BASE + 0x100, 64, F_NEXT, 2);
    desc_write(m, h->tx.desc, 2, BUF_BASE + 0x200, 64, F_NEXT, 1);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_self_loop(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, h->tx.desc, 5, BUF_BASE, 64, F_NEXT, 5);
    kick_tx(h, 5);
    expect_broken(h, &h->tx);
}

/* a chain of exactly the queue size is legal; one more is not */
static void test_chain_length(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;
    uint8_t frame[QSIZE * 8] = {0};
    uint32_t len;

    for (unsigned i = 0; i < QSIZE; i++) {
        desc_write(m, h->tx.desc, i, BUF_BASE + i * 0x100, i == 0 ? NET_HDR : 8,
                   i + 1 < QSIZE ? F_NEXT : 0, i + 1);
    }
    kick_tx(h, 0);
    g_assert_false(needs_reset(h));
    g_assert_cmpuint(h->f.peer.frames->len, ==, 1);
    g_assert_cmpuint(g_bytes_get_size(peer_frame(&h->f.peer, 0)), ==,
                     (QSIZE - 1) * 8);
    g_assert_true(ring_used(&h->tx, NULL, &len));
    (void)frame;

    /* the same table, closed into a ring: QSIZE + 1 steps */
    desc_write(m, h->tx.desc, QSIZE - 1, BUF_BASE, 8, F_NEXT, 0);
    kick_tx(h, 0);
    g_assert_true(needs_reset(h));
    g_assert_cmpuint(h->f.peer.frames->len, ==, 1);
}

static void test_next_out_of_range(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, h->tx.desc, 0, BUF_BASE, NET_HDR, F_NEXT, QSIZE);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_head_out_of_range(Hostile *h, gconstpointer data)
{
    kick_tx(h, QSIZE + 3);
    expect_broken(h, &h->tx);
}

static void test_avail_jump(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    desc_write(m, h->tx.desc, 0, BUF_BASE, 80, 0, 0);
    /* idx QSIZE + 1 ahead of the device */
    gw16(m, h->tx.avail + 2, QSIZE + 1);
    drv_notify(h->f.d, 1);
    expect_broken(h, &h->tx);
}

/* a full ring (idx exactly QSIZE ahead) is legal */
static void test_avail_full(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    for (unsigned i = 0; i < QSIZE; i++) {
        desc_write(m, h->tx.desc, i, BUF_BASE + i * 0x100, NET_HDR + 20, 0, 0);
        gw16(m, h->tx.avail + 4 + 2 * i, i);
    }
    gw16(m, h->tx.avail + 2, QSIZE);
    drv_notify(h->f.d, 1);
    g_assert_false(needs_reset(h));
    g_assert_cmpuint(h->f.peer.frames->len, ==, QSIZE);
}

/* ---- addresses and lengths --------------------------------------------- */

static void test_addr_mmio(Hostile *h, gconstpointer data)
{
    /* the UART's registers are not memory */
    desc_write(h->f.m, h->tx.desc, 0, 0x10000000, 80, 0, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_addr_unmapped(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, h->tx.desc, 0, 0xfffffffffffffff0ULL, 0x20, 0, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_addr_past_ram(Hostile *h, gconstpointer data)
{
    /* starts in RAM, runs off its end */
    desc_write(h->f.m, h->tx.desc, 0, RAM_BASE + RAM_SIZE - 16, 80, 0, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_huge_len(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, h->tx.desc, 0, BUF_BASE, 0xffffffffu, 0, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

/* every buffer in RAM, but the chain adds up past the byte cap */
static void test_chain_bytes(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    desc_write(m, h->tx.desc, 0, RAM_BASE + (8 << 20), 3 << 20, F_NEXT, 1);
    desc_write(m, h->tx.desc, 1, RAM_BASE + (16 << 20), 3 << 20, 0, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

/* the device never writes ROM */
static void test_rx_into_rom(Hostile *h, gconstpointer data)
{
    GBuf b = {0x1000, 1526, true};
    uint8_t frame[60] = {0};
    uint8_t rom[16], rom_after[16];

    gr(h->f.m, 0x1000, rom, sizeof(rom));
    ring_add(&h->rx, &b, 1);
    drv_notify(h->f.d, 0);
    g_assert_cmpint(peer_send(h->f.m, &h->f.peer, frame, 60), ==, 0);
    g_assert_true(needs_reset(h));
    gr(h->f.m, 0x1000, rom_after, sizeof(rom_after));
    g_assert_cmpmem(rom, 16, rom_after, 16);
    /* the frame stays queued and arrives after the reset */
    {
        GBuf ok = {BUF_BASE, 1526, true};

        drv_isr(h->f.d);
        drv_bringup(h->f.d, FEAT, &h->rx, &h->tx, QSIZE);
        ring_add(&h->rx, &ok, 1);
        drv_notify(h->f.d, 0);
        g_assert_true(ring_used(&h->rx, NULL, NULL));
    }
}

/* ---- buffer direction -------------------------------------------------- */

static void test_readable_after_writable(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    desc_write(m, h->tx.desc, 0, BUF_BASE, 64, F_NEXT | F_WRITE, 1);
    desc_write(m, h->tx.desc, 1, BUF_BASE + 0x100, 64, 0, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_tx_writable(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    desc_write(m, h->tx.desc, 0, BUF_BASE, 64, F_NEXT, 1);
    desc_write(m, h->tx.desc, 1, BUF_BASE + 0x100, 64, F_WRITE, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_rx_readable(Hostile *h, gconstpointer data)
{
    GBuf b[2] = {{BUF_BASE, 64, false}, {BUF_BASE + 0x100, 1526, true}};
    uint8_t frame[60] = {0};

    ring_add(&h->rx, b, 2);
    drv_notify(h->f.d, 0);
    g_assert_cmpint(peer_send(h->f.m, &h->f.peer, frame, 60), ==, 0);
    g_assert_true(needs_reset(h));
    g_assert_cmpuint(gr16(h->f.m, h->rx.used + 2), ==, 0);
}

/* MRG_RXBUF buffers must hold at least the header */
static void test_rx_tiny_mergeable(Hostile *h, gconstpointer data)
{
    GBuf b = {BUF_BASE, 4, true};
    uint8_t frame[60] = {0};

    ring_add(&h->rx, &b, 1);
    drv_notify(h->f.d, 0);
    g_assert_cmpint(peer_send(h->f.m, &h->f.peer, frame, 60), ==, 0);
    g_assert_true(needs_reset(h));
}

/* ---- indirect tables --------------------------------------------------- */

static void indirect_head(Hostile *h, uint64_t table, uint32_t len,
                          uint16_t flags)
{
    desc_write(h->f.m, h->tx.desc, 0, table, len, F_INDIRECT | flags, 1);
    desc_write(h->f.m, h->tx.desc, 1, BUF_BASE, 64, 0, 0);
    kick_tx(h, 0);
}

static void test_indirect_nested(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, TABLE, 0, BUF_BASE, NET_HDR, F_NEXT, 1);
    desc_write(h->f.m, TABLE, 1, TABLE, 32, F_INDIRECT, 0);
    indirect_head(h, TABLE, 32, 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_self(Hostile *h, gconstpointer data)
{
    /* a table whose only entry is itself */
    desc_write(h->f.m, TABLE, 0, TABLE, 16, F_INDIRECT, 0);
    indirect_head(h, TABLE, 16, 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_outside_ram(Hostile *h, gconstpointer data)
{
    indirect_head(h, 0x10000000, 32, 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_bad_len(Hostile *h, gconstpointer data)
{
    indirect_head(h, TABLE, 24, 0); /* not a multiple of 16 */
    expect_broken(h, &h->tx);
}

static void test_indirect_zero_len(Hostile *h, gconstpointer data)
{
    indirect_head(h, TABLE, 0, 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_too_big(Hostile *h, gconstpointer data)
{
    indirect_head(h, TABLE, 16 * (EMU_VIRTQ_MAX_INDIRECT + 1), 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_with_next(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, TABLE, 0, BUF_BASE, 80, 0, 0);
    indirect_head(h, TABLE, 16, F_NEXT);
    expect_broken(h, &h->tx);
}

static void test_indirect_mid_chain(Hostile *h, gconstpointer data)
{
    EmuMachine *m = h->f.m;

    desc_write(m, TABLE, 0, BUF_BASE, 80, 0, 0);
    desc_write(m, h->tx.desc, 0, BUF_BASE, NET_HDR, F_NEXT, 1);
    desc_write(m, h->tx.desc, 1, TABLE, 16, F_INDIRECT, 0);
    kick_tx(h, 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_next_range(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, TABLE, 0, BUF_BASE, NET_HDR, F_NEXT, 2);
    desc_write(h->f.m, TABLE, 1, BUF_BASE, 64, 0, 0);
    indirect_head(h, TABLE, 32, 0);
    expect_broken(h, &h->tx);
}

static void test_indirect_loop(Hostile *h, gconstpointer data)
{
    desc_write(h->f.m, TABLE, 0, BUF_BASE, NET_HDR, F_NEXT, 1);
    desc_write(h->f.m, TABLE, 1, BUF_BASE, 64, F_NEXT, 0);
    indirect_head(h, TABLE, 32, 0);
    expect_broken(h, &h->tx);
}

/* a large legal table: more entries than the ring has */
static void test_indirect_big_ok(Hostile *h, gconstpointer data)
{
    unsigned n = 64;

    for (unsigned i = 0; i < n; i++) {
        desc_write(h->f.m, TABLE, i, BUF_BASE + i * 0x10, i ? 4 : NET_HDR,
                   i + 1 < n ? F_NEXT : 0, i + 1);
    }
    indirect_head(h, TABLE, 16 * n, 0);
    g_assert_false(needs_reset(h));
    g_assert_cmpuint(h->f.peer.frames->len, ==, 1);
    g_assert_cmpuint(g_bytes_get_size(peer_frame(&h->f.peer, 0)), ==,
                     (n - 1) * 4);
}

/* ---- ring setup -------------------------------------------------------- */

static void reinit_status(Hostile *h)
{
    Drv *d = h->f.d;

    drv_set_status(d, 0);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER);
    drv_set_features(d, FEAT);
    drv_set_status(d, EMU_VIRTIO_STATUS_ACKNOWLEDGE | EMU_VIRTIO_STATUS_DRIVER |
                          EMU_VIRTIO_STATUS_FEATURES_OK);
}

static void test_ring_outside_ram(Hostile *h, gconstpointer data)
{
    reinit_status(h);
    drv_queue_setup(h->f.d, 1, QSIZE, 0x10000000, TXQ_BASE + 0x800,
                    TXQ_BASE + 0x1000);
    g_assert_true(needs_reset(h));
    g_assert_false(drv_queue_ready(h->f.d, 1));
}

static void test_ring_used_in_rom(Hostile *h, gconstpointer data)
{
    reinit_status(h);
    drv_queue_setup(h->f.d, 1, QSIZE, TXQ_BASE, TXQ_BASE + 0x800, 0x1000);
    g_assert_true(needs_reset(h));
}

static void test_ring_misaligned(Hostile *h, gconstpointer data)
{
    reinit_status(h);
    drv_queue_setup(h->f.d, 1, QSIZE, TXQ_BASE + 8, TXQ_BASE + 0x800,
                    TXQ_BASE + 0x1000);
    g_assert_true(needs_reset(h));
}

static void test_ring_size(Hostile *h, gconstpointer data)
{
    reinit_status(h);
    drv_queue_setup(h->f.d, 1, 100, TXQ_BASE, TXQ_BASE + 0x800,
                    TXQ_BASE + 0x1000);
    g_assert_true(needs_reset(h));
    reinit_status(h);
    g_assert_false(needs_reset(h));
    drv_queue_setup(h->f.d, 1, 512, TXQ_BASE, TXQ_BASE + 0x800,
                    TXQ_BASE + 0x1000);
    g_assert_true(needs_reset(h));
    reinit_status(h);
    drv_queue_setup(h->f.d, 1, 0, TXQ_BASE, TXQ_BASE + 0x800,
                    TXQ_BASE + 0x1000);
    g_assert_true(needs_reset(h));
}

/* a notify for a queue that does not exist is only logged */
static void test_notify_bogus(Hostile *h, gconstpointer data)
{
    Drv *d = h->f.d;

    if (d->pci) {
        hw_wr(h->f.m, d->notify + 0xffc, 0, 2);
    } else {
        hw_wr(h->f.m, d->mmio + M_QUEUE_NOTIFY, 0xffff, 4);
        hw_wr(h->f.m, d->mmio + M_QUEUE_NOTIFY, 7, 4);
    }
    g_assert_false(needs_reset(h));
}

/* ---- random rings ------------------------------------------------------ */

/* an address that is usually but not always in RAM */
static uint64_t rand_addr(GRand *r)
{
    switch (g_rand_int_range(r, 0, 8)) {
    case 0:
        return g_rand_int(r) | (uint64_t)g_rand_int(r) << 32;
    case 1:
        return RAM_BASE + RAM_SIZE - g_rand_int_range(r, 0, 64);
    case 2:
        return g_rand_int_range(r, 0, 0x20000000);
    default:
        return BUF_BASE + g_rand_int_range(r, 0, 0x200000);
    }
}

static uint32_t rand_len(GRand *r)
{
    switch (g_rand_int_range(r, 0, 6)) {
    case 0:
        return g_rand_int(r);
    case 1:
        return 0;
    default:
        return g_rand_int_range(r, 1, 2048);
    }
}

/* one random act of a buggy or hostile driver */
static void scribble(Hostile *h, GRand *r, Ring *q)
{
    EmuMachine *m = h->f.m;

    switch (g_rand_int_range(r, 0, 6)) {
    case 0:
        desc_write(m, q->desc, g_rand_int_range(r, 0, QSIZE), rand_addr(r),
                   rand_len(r), g_rand_int_range(r, 0, 8),
                   g_rand_int_range(r, 0, QSIZE + 2));
        break;
    case 1:
        desc_write(m, TABLE, g_rand_int_range(r, 0, 8), rand_addr(r),
                   rand_len(r), g_rand_int_range(r, 0, 8),
                   g_rand_int_range(r, 0, 10));
        desc_write(m, q->desc, g_rand_int_range(r, 0, QSIZE), TABLE,
                   16 * g_rand_int_range(r, 0, 10),
                   F_INDIRECT | g_rand_int_range(r, 0, 2), 0);
        break;
    case 2:
        gw16(m, q->avail + 4 + 2 * g_rand_int_range(r, 0, QSIZE),
             g_rand_int_range(r, 0, QSIZE + 4));
        break;
    case 3:
        q->avail_idx += g_rand_int(r);
        gw16(m, q->avail + 2, q->avail_idx);
        break;
    case 4:
        gw16(m, q->avail, g_rand_int_range(r, 0, 2));
        break;
    default:
        q->avail_idx++;
        gw16(m, q->avail + 2, q->avail_idx);
        break;
    }
}

static void test_random(Hostile *h, gconstpointer data)
{
    Fixture *f = &h->f;
    EmuMachine *m = f->m;
    GRand *r = g_rand_new_with_seed(0x5eed);
    unsigned broken = 0, rounds = g_test_quick() ? 1000 : 10000;
    unsigned received = 0;
    uint8_t frame[1514];

    memset(frame, 0xab, sizeof(frame));
    for (unsigned it = 0; it < rounds; it++) {
        bool tx = g_rand_boolean(r);
        Ring *q = tx ? &h->tx : &h->rx;

        if (g_rand_int_range(r, 0, 8) == 0) {
            scribble(h, r, q);
        } else if (tx) {
            GBuf b[2] = {
                {BUF_BASE + 0x10000, NET_HDR, false},
                {BUF_BASE + 0x10100, g_rand_int_range(r, 14, 1514), false},
            };
            ring_add(q, b, 2);
        } else {
            GBuf b = {BUF_BASE + 0x20000 + 0x800 * (it % 16),
                      g_rand_int_range(r, 12, 1600), true};
            ring_add(q, &b, 1);
        }
        drv_notify(f->d, q->q);
        /* a well-behaved sender: nothing more after a 0 until sent_cb */
        if (!f->peer.blocked) {
            peer_send(m, &f->peer, frame, g_rand_int_range(r, 14, 1514));
        }
        while (ring_used(&h->rx, NULL, NULL)) {
            received++;
        }
        while (ring_used(&h->tx, NULL, NULL)) {
        }
        if (needs_reset(h)) {
            broken++;
            drv_isr(f->d);
            drv_bringup(f->d, FEAT, &h->rx, &h->tx, QSIZE);
        }
        run_bhs(f);
    }
    g_test_message("%u rounds: %u broke the device, %u frames sent, %u "
                   "received, %u guest errors logged",
                   rounds, broken, f->peer.frames->len, received, guest_errors);
    g_assert_cmpuint(broken, >, 0);
    g_assert_cmpuint(f->peer.frames->len, >, 0);
    g_assert_cmpuint(received, >, 0);
    g_rand_free(r);
}

static void add(const char *name, void (*fn)(Hostile *, gconstpointer))
{
    g_autofree char *p = g_strdup_printf("/virtio-hostile/pci/%s", name);
    g_autofree char *m = g_strdup_printf("/virtio-hostile/mmio/%s", name);

    g_test_add(p, Hostile, NULL, setup_pci, fn, teardown);
    g_test_add(m, Hostile, NULL, setup_mmio, fn, teardown);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* guest errors are what these tests provoke: count, do not print */
    g_log_set_handler("vmkit-guest", G_LOG_LEVEL_MESSAGE, count_log, NULL);
    add("loop", test_loop);
    add("self-loop", test_self_loop);
    add("chain-length", test_chain_length);
    add("next-out-of-range", test_next_out_of_range);
    add("head-out-of-range", test_head_out_of_range);
    add("avail-jump", test_avail_jump);
    add("avail-full", test_avail_full);
    add("addr-mmio", test_addr_mmio);
    add("addr-unmapped", test_addr_unmapped);
    add("addr-past-ram", test_addr_past_ram);
    add("huge-len", test_huge_len);
    add("chain-bytes", test_chain_bytes);
    add("rx-into-rom", test_rx_into_rom);
    add("readable-after-writable", test_readable_after_writable);
    add("tx-writable", test_tx_writable);
    add("rx-readable", test_rx_readable);
    add("rx-tiny-mergeable", test_rx_tiny_mergeable);
    add("indirect-nested", test_indirect_nested);
    add("indirect-self", test_indirect_self);
    add("indirect-outside-ram", test_indirect_outside_ram);
    add("indirect-bad-len", test_indirect_bad_len);
    add("indirect-zero-len", test_indirect_zero_len);
    add("indirect-too-big", test_indirect_too_big);
    add("indirect-with-next", test_indirect_with_next);
    add("indirect-mid-chain", test_indirect_mid_chain);
    add("indirect-next-range", test_indirect_next_range);
    add("indirect-loop", test_indirect_loop);
    add("indirect-big-ok", test_indirect_big_ok);
    add("ring-outside-ram", test_ring_outside_ram);
    add("ring-used-in-rom", test_ring_used_in_rom);
    add("ring-misaligned", test_ring_misaligned);
    add("ring-size", test_ring_size);
    add("notify-bogus", test_notify_bogus);
    add("random", test_random);
    return g_test_run();
}
