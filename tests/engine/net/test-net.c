/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-net.c: the net core and hubs — peers and names, queueing with
 * QEMU's backpressure contract, bounds, link state, counters, hub
 * fan-out and hub backpressure. */
#include "net-test.h"

typedef struct {
    EmuMachine *m;
    EmuNet *net;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    f->m = emu_machine_new();
    f->net = test_net_new(f->m);
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_net_free(f->net);
    emu_machine_free(f->m);
}

static ssize_t send_id(TestClient *from, uint8_t id, size_t len,
                       EmuNetSentCb cb)
{
    g_autofree uint8_t *buf = g_malloc0(len);

    buf[0] = id;
    return emu_net_send(from->nc, buf, len, cb);
}

static void test_peers_and_names(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    TestClient *a = test_client_new(f->net, &test_tap_ops, NULL, NULL);
    TestClient *b = test_client_new(f->net, &test_tap_ops, NULL, NULL);
    TestClient *n = test_client_new(f->net, &test_nic_ops, "nic0", a->nc);

    /* generated from the kind, as QEMU's "tap.0", "tap.1" */
    g_assert_cmpstr(a->nc->name, ==, "tap.0");
    g_assert_cmpstr(b->nc->name, ==, "tap.1");
    g_assert_true(a->nc->peer == n->nc && n->nc->peer == a->nc);
    g_assert_null(b->nc->peer);
    g_assert_true(emu_net_find(f->net, "tap.1") == b->nc);
    g_assert_null(emu_net_find(f->net, "nope"));
    /* emu_net_find_netdev skips NICs */
    g_assert_null(emu_net_find_netdev(f->net, "nic0"));
    g_assert_true(emu_net_find_netdev(f->net, "tap.0") == a->nc);

    /* a name is unique; a peer has one peer */
    g_assert_null(
        emu_net_client_new(f->net, &test_tap_ops, "nic0", NULL, NULL, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_assert_cmpstr(err->message, ==,
                    "network client name 'nic0' is already in use");
    g_clear_error(&err);
    g_assert_null(
        emu_net_client_new(f->net, &test_tap_ops, "x", a->nc, NULL, &err));
    g_assert_cmpstr(err->message, ==, "'tap.0' is already connected to 'nic0'");

    /* freeing one end leaves the other without peer */
    emu_net_client_free(n->nc);
    g_assert_null(a->nc->peer);
    /* a freed name can be generated again */
    TestClient *c = test_client_new(f->net, &test_tap_ops, NULL, NULL);
    g_assert_cmpstr(c->nc->name, ==, "tap.2");
}

static void test_deliver(Fixture *f, gconstpointer data)
{
    TestClient *a = test_client_new(f->net, &test_tap_ops, "a", NULL);
    TestClient *b = test_client_new(f->net, &test_nic_ops, "b", a->nc);
    struct iovec iov[2] = {
        {.iov_base = "\x07hello", .iov_len = 6},
        {.iov_base = " world", .iov_len = 6},
    };

    g_assert_cmpint(send_id(a, 1, 60, test_sent_cb), ==, 60);
    g_assert_cmpint(emu_net_sendv(a->nc, iov, 2, NULL), ==, 12);
    g_assert_cmpuint(b->frames->len, ==, 2);
    g_assert_cmpuint(test_frame_id(b, 0), ==, 1);
    g_assert_cmpmem(g_bytes_get_data(g_ptr_array_index(b->frames, 1), NULL), 12,
                    "\x07hello world", 12);
    /* delivered at once: no callback */
    g_assert_cmpuint(a->sent_cbs, ==, 0);
    g_assert_cmpuint(a->nc->stats.tx_packets, ==, 2);
    g_assert_cmpuint(a->nc->stats.tx_bytes, ==, 72);
    g_assert_cmpuint(b->nc->stats.rx_packets, ==, 2);
    g_assert_cmpuint(b->nc->stats.rx_bytes, ==, 72);
    /* and back */
    g_assert_cmpint(send_id(b, 2, 64, NULL), ==, 64);
    g_assert_cmpuint(a->frames->len, ==, 1);
    g_assert_cmpuint(b->nc->stats.tx_packets, ==, 1);

    /* no peer: dropped, counted */
    TestClient *lone = test_client_new(f->net, &test_tap_ops, "lone", NULL);
    g_assert_cmpint(send_id(lone, 3, 60, test_sent_cb), ==, 60);
    g_assert_cmpuint(lone->nc->stats.tx_dropped, ==, 1);
    g_assert_cmpuint(lone->sent_cbs, ==, 0);
    /* oversized: dropped */
    g_assert_cmpint(send_id(a, 4, EMU_NET_MAX_FRAME + 1, NULL), ==,
                    EMU_NET_MAX_FRAME + 1);
    g_assert_cmpuint(a->nc->stats.tx_dropped, ==, 1);
    g_assert_cmpuint(b->frames->len, ==, 2);
}

static void test_backpressure(Fixture *f, gconstpointer data)
{
    TestClient *a = test_client_new(f->net, &test_tap_ops, "a", NULL);
    TestClient *b = test_client_new(f->net, &test_nic_ops, "b", a->nc);

    /* the receiver cannot take frames: the sender's frames queue (0) */
    b->full = true;
    g_assert_cmpint(send_id(a, 1, 100, test_sent_cb), ==, 0);
    g_assert_cmpint(send_id(a, 2, 200, test_sent_cb), ==, 0);
    g_assert_cmpint(send_id(a, 3, 300, test_sent_cb), ==, 0);
    g_assert_cmpuint(emu_net_queue_len(b->nc->incoming), ==, 3);
    g_assert_cmpuint(a->sent_cbs, ==, 0);
    g_assert_cmpuint(b->frames->len, ==, 0);
    g_assert_cmpuint(a->nc->stats.tx_packets, ==, 0);

    /* flushing while still full delivers nothing */
    emu_net_flush_queue(b->nc);
    g_assert_cmpuint(b->frames->len, ==, 0);

    /* the receiver refills its ring and flushes: in order, callbacks */
    b->full = false;
    emu_net_flush_queue(b->nc);
    g_assert_cmpuint(b->frames->len, ==, 3);
    for (guint i = 0; i < 3; i++) {
        g_assert_cmpuint(test_frame_id(b, i), ==, i + 1);
    }
    g_assert_cmpuint(a->sent_cbs, ==, 3);
    g_assert_cmpint(a->last_sent_len, ==, 300);
    g_assert_cmpuint(emu_net_queue_len(b->nc->incoming), ==, 0);
    g_assert_cmpuint(a->nc->stats.tx_packets, ==, 3);
    g_assert_cmpuint(b->nc->stats.rx_bytes, ==, 600);
    g_assert_cmpuint(b->nc->stats.rx_dropped, ==, 0);
}

/* a receiver without can_receive whose receive() returns 0 */
static void test_receive_zero(Fixture *f, gconstpointer data)
{
    static const EmuNetClientOps no_can_receive = {
        .kind = EMU_NET_CLIENT_NIC,
        .receive = test_receive,
        .cleanup = test_cleanup,
    };
    TestClient *a = test_client_new(f->net, &test_tap_ops, "a", NULL);
    TestClient *b = test_client_new(f->net, &no_can_receive, "b", a->nc);

    b->full = true;
    /* receive() refuses: queued, and the receiver is now "disabled" */
    g_assert_cmpint(send_id(a, 1, 60, test_sent_cb), ==, 0);
    b->full = false;
    /* no flush yet: a new frame waits behind the first (no overtaking) */
    g_assert_cmpint(send_id(a, 2, 60, test_sent_cb), ==, 0);
    g_assert_cmpuint(b->frames->len, ==, 0);
    emu_net_flush_queue(b->nc);
    g_assert_cmpuint(b->frames->len, ==, 2);
    g_assert_cmpuint(test_frame_id(b, 0), ==, 1);
    g_assert_cmpuint(test_frame_id(b, 1), ==, 2);
    g_assert_cmpuint(a->sent_cbs, ==, 2);
    /* and delivered directly again */
    g_assert_cmpint(send_id(a, 3, 60, test_sent_cb), ==, 60);
    g_assert_cmpuint(a->sent_cbs, ==, 2);
}

static void test_bounded(Fixture *f, gconstpointer data)
{
    TestClient *a = test_client_new(f->net, &test_tap_ops, "a", NULL);
    TestClient *b = test_client_new(f->net, &test_nic_ops, "b", a->nc);
    unsigned n = EMU_NET_QUEUE_MAX_FRAMES;

    b->full = true;
    /* without a callback: queued up to the bound, then dropped */
    for (unsigned i = 0; i < n; i++) {
        g_assert_cmpint(send_id(a, (uint8_t)i, 60, NULL), ==, 0);
    }
    g_assert_cmpint(send_id(a, 0xee, 60, NULL), ==, 60);
    g_assert_cmpint(send_id(a, 0xef, 60, NULL), ==, 60);
    g_assert_cmpuint(emu_net_queue_len(b->nc->incoming), ==, n);
    g_assert_cmpuint(a->nc->stats.tx_dropped, ==, 2);
    g_assert_cmpuint(b->nc->stats.rx_dropped, ==, 2);
    /* with a callback the sender waits, so the frame is always queued */
    g_assert_cmpint(send_id(a, 0xf0, 60, test_sent_cb), ==, 0);
    g_assert_cmpuint(emu_net_queue_len(b->nc->incoming), ==, n + 1);

    b->full = false;
    emu_net_flush_queue(b->nc);
    g_assert_cmpuint(b->frames->len, ==, n + 1);
    g_assert_cmpuint(test_frame_id(b, n - 1), ==, (uint8_t)(n - 1));
    g_assert_cmpuint(test_frame_id(b, n), ==, 0xf0);
    g_assert_cmpuint(a->sent_cbs, ==, 1);

    /* the byte cap: big frames fill it before the frame count */
    b->full = true;
    unsigned big = 60000, fit = EMU_NET_QUEUE_MAX_BYTES / big;
    for (unsigned i = 0; i < fit; i++) {
        g_assert_cmpint(send_id(a, 1, big, NULL), ==, 0);
    }
    g_assert_cmpint(send_id(a, 2, big, NULL), ==, big);
    g_assert_cmpuint(emu_net_queue_len(b->nc->incoming), ==, fit);
}

static void test_free_with_queue(Fixture *f, gconstpointer data)
{
    TestClient *a = test_client_new(f->net, &test_tap_ops, "a", NULL);
    TestClient *b = test_client_new(f->net, &test_nic_ops, "b", a->nc);
    TestClient *c = test_client_new(f->net, &test_tap_ops, "c", NULL);
    TestClient *d = test_client_new(f->net, &test_nic_ops, "d", c->nc);

    b->full = true;
    g_assert_cmpint(send_id(a, 1, 60, test_sent_cb), ==, 0);
    /* the receiver goes away: the sender hears "0" and may go on */
    emu_net_client_free(b->nc);
    g_assert_cmpuint(a->sent_cbs, ==, 1);
    g_assert_cmpint(a->last_sent_len, ==, 0);
    g_assert_null(a->nc->peer);

    /* the sender goes away: its queued frames leave the peer's queue */
    d->full = true;
    g_assert_cmpint(send_id(c, 1, 60, test_sent_cb), ==, 0);
    emu_net_client_free(c->nc);
    g_assert_cmpuint(emu_net_queue_len(d->nc->incoming), ==, 0);
}

static void test_link(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    TestClient *be = test_client_new(f->net, &test_tap_ops, "be", NULL);
    TestClient *nic = test_client_new(f->net, &test_nic_ops, "nic", be->nc);

    /* a NIC's link: only the NIC goes down (QEMU), both hear of it */
    g_assert_true(emu_net_set_link(f->net, "nic", false, &err));
    g_assert_true(nic->nc->link_down);
    g_assert_false(be->nc->link_down);
    g_assert_cmpuint(nic->link_changes, ==, 1);
    g_assert_cmpuint(be->link_changes, ==, 1);
    /* the guest's frames are dropped at the NIC... */
    g_assert_cmpint(send_id(nic, 1, 60, NULL), ==, 60);
    g_assert_cmpuint(nic->nc->stats.tx_dropped, ==, 1);
    g_assert_cmpuint(be->frames->len, ==, 0);
    /* ... and the backend's are dropped on delivery */
    g_assert_cmpint(send_id(be, 2, 60, test_sent_cb), ==, 60);
    g_assert_cmpuint(nic->frames->len, ==, 0);
    g_assert_cmpuint(nic->nc->stats.rx_dropped, ==, 1);
    g_assert_cmpuint(be->sent_cbs, ==, 0);

    g_assert_true(emu_net_set_link(f->net, "nic", true, NULL));
    g_assert_cmpint(send_id(be, 3, 60, NULL), ==, 60);
    g_assert_cmpuint(nic->frames->len, ==, 1);

    /* a backend's link takes its NIC along */
    g_assert_true(emu_net_set_link(f->net, "be", false, NULL));
    g_assert_true(be->nc->link_down);
    g_assert_true(nic->nc->link_down);
    g_assert_true(emu_net_set_link(f->net, "be", true, NULL));
    g_assert_false(nic->nc->link_down);

    g_assert_false(emu_net_set_link(f->net, "nope", false, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_NOT_FOUND);
    g_assert_cmpstr(err->message, ==, "Device 'nope' not found");
}

/* ---- hubs ------------------------------------------------------------- */

static EmuNetClient *add_port(Fixture *f, int hub)
{
    g_autoptr(GError) err = NULL;
    EmuNetClient *p = emu_net_hub_add_port(f->net, hub, NULL, NULL, &err);

    g_assert_no_error(err);
    return p;
}

static void test_hub_fanout(Fixture *f, gconstpointer data)
{
    EmuNetClient *p0 = add_port(f, 0), *p1 = add_port(f, 0);
    EmuNetClient *p2 = add_port(f, 0);
    EmuNetClient *q0 = add_port(f, 1), *q1 = add_port(f, 1);
    TestClient *c0 = test_client_new(f->net, &test_nic_ops, "c0", p0);
    TestClient *c1 = test_client_new(f->net, &test_nic_ops, "c1", p1);
    TestClient *c2 = test_client_new(f->net, &test_tap_ops, "c2", p2);
    TestClient *d0 = test_client_new(f->net, &test_nic_ops, "d0", q0);
    TestClient *d1 = test_client_new(f->net, &test_tap_ops, "d1", q1);
    int id = -1;

    g_assert_cmpstr(p0->name, ==, "hub0port0");
    g_assert_cmpstr(p2->name, ==, "hub0port2");
    g_assert_cmpstr(q1->name, ==, "hub1port1");
    g_assert_true(emu_net_hub_id_for_client(c2->nc, &id));
    g_assert_cmpint(id, ==, 0);
    g_assert_true(emu_net_hub_id_for_client(q0, &id));
    g_assert_cmpint(id, ==, 1);

    /* every other port, never back */
    g_assert_cmpint(send_id(c0, 1, 60, NULL), ==, 60);
    g_assert_cmpuint(c0->frames->len, ==, 0);
    g_assert_cmpuint(c1->frames->len, ==, 1);
    g_assert_cmpuint(c2->frames->len, ==, 1);
    /* hubs are separate segments */
    g_assert_cmpuint(d0->frames->len + d1->frames->len, ==, 0);
    g_assert_cmpint(send_id(c2, 2, 70, NULL), ==, 70);
    g_assert_cmpuint(c0->frames->len, ==, 1);
    g_assert_cmpuint(c1->frames->len, ==, 2);
    g_assert_cmpuint(c2->frames->len, ==, 1);
    g_assert_cmpint(send_id(d1, 3, 80, NULL), ==, 80);
    g_assert_cmpuint(d0->frames->len, ==, 1);
    g_assert_cmpuint(c0->frames->len + c1->frames->len, ==, 3);

    /* counters on the ports: in from their client, out to it */
    g_assert_cmpuint(p0->stats.rx_packets, ==, 1);
    g_assert_cmpuint(p0->stats.tx_packets, ==, 1);
    g_assert_cmpuint(p1->stats.rx_packets, ==, 0);
    g_assert_cmpuint(p1->stats.tx_packets, ==, 2);
    g_assert_cmpuint(p1->stats.tx_bytes, ==, 130);
    g_assert_cmpuint(c1->nc->stats.rx_packets, ==, 2);
    g_assert_cmpuint(c0->nc->stats.tx_packets, ==, 1);

    /* a port whose client's link is down: the others still talk */
    g_assert_true(emu_net_set_link(f->net, "c1", false, NULL));
    g_assert_false(p1->link_down);
    g_assert_cmpint(send_id(c0, 4, 60, NULL), ==, 60);
    g_assert_cmpuint(c2->frames->len, ==, 2);
    g_assert_cmpuint(c1->frames->len, ==, 2);
    g_assert_cmpuint(c1->nc->stats.rx_dropped, ==, 1);
}

static void test_hub_backpressure(Fixture *f, gconstpointer data)
{
    EmuNetClient *p0 = add_port(f, 0), *p1 = add_port(f, 0);
    EmuNetClient *p2 = add_port(f, 0);
    TestClient *src = test_client_new(f->net, &test_tap_ops, "src", p0);
    TestClient *n1 = test_client_new(f->net, &test_nic_ops, "n1", p1);
    TestClient *n2 = test_client_new(f->net, &test_nic_ops, "n2", p2);

    /* a port can receive while any other port's peer can */
    n1->full = true;
    g_assert_true(emu_net_can_send(src->nc));
    n2->full = true;
    g_assert_false(emu_net_can_send(src->nc));

    /* nobody can take it: it waits at the ingress port, sender stopped */
    g_assert_cmpint(send_id(src, 1, 60, test_sent_cb), ==, 0);
    g_assert_cmpuint(emu_net_queue_len(p0->incoming), ==, 1);

    /* one NIC refills and flushes: the frame crosses the hub, the other
     * NIC gets it queued, the sender's callback runs */
    n1->full = false;
    emu_net_flush_queue(n1->nc);
    g_assert_cmpuint(n1->frames->len, ==, 1);
    g_assert_cmpuint(n2->frames->len, ==, 0);
    g_assert_cmpuint(emu_net_queue_len(n2->nc->incoming), ==, 1);
    g_assert_cmpuint(src->sent_cbs, ==, 1);
    g_assert_cmpuint(emu_net_queue_len(p0->incoming), ==, 0);

    n2->full = false;
    emu_net_flush_queue(n2->nc);
    g_assert_cmpuint(n2->frames->len, ==, 1);
    g_assert_cmpuint(test_frame_id(n2, 0), ==, 1);
}

static void test_hub_warnings(Fixture *f, gconstpointer data)
{
    /* hub 2: a NIC only; hub 3: a backend only; hub 4: a lonely port */
    EmuNetClient *a = add_port(f, 2), *b = add_port(f, 3);

    (void)add_port(f, 4);
    test_client_new(f->net, &test_nic_ops, "n", a);
    test_client_new(f->net, &test_tap_ops, "t", b);
    emu_net_hub_check_clients(f->net);
    g_assert_cmpuint(f->net->warnings->len, ==, 3);
    /* QEMU's texts (net/hub.c), newest hub first */
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 0), ==,
                    "hub port hub4port0 has no peer");
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 1), ==,
                    "hub 3 with no nics");
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 2), ==,
                    "hub 2 is not connected to host network");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    ADD("/net/core/peers-and-names", test_peers_and_names);
    ADD("/net/core/deliver", test_deliver);
    ADD("/net/core/backpressure", test_backpressure);
    ADD("/net/core/receive-zero", test_receive_zero);
    ADD("/net/core/bounded", test_bounded);
    ADD("/net/core/free-with-queue", test_free_with_queue);
    ADD("/net/core/link", test_link);
    ADD("/net/hub/fanout", test_hub_fanout);
    ADD("/net/hub/backpressure", test_hub_backpressure);
    ADD("/net/hub/warnings", test_hub_warnings);
#undef ADD
    return g_test_run();
}
