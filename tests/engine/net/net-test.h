/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-test.h: helpers for the net layer tests — a recording client that
 * can refuse frames (a full guest ring), a test NIC model for options. */
#ifndef NET_TEST_H
#define NET_TEST_H

#include "config.h"

#include <string.h>
#include <glib.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/core/machine.h"
#include "engine/net/net-internal.h"

/* A client that records what it receives; while @full it returns 0 (and
 * its can_receive says false), like a NIC whose RX ring is empty. */
typedef struct TestClient {
    EmuNetClient *nc;
    GPtrArray *frames; /* GBytes * */
    bool full;
    bool has_can_receive;
    unsigned link_changes;
    uint8_t mac[6];
    /* sent callbacks this client got as a sender */
    unsigned sent_cbs;
    ssize_t last_sent_len;
} TestClient;

static inline ssize_t test_receive(EmuNetClient *nc, const struct iovec *iov,
                                   int iovcnt)
{
    TestClient *t = nc->opaque;
    GByteArray *b;

    if (t->full) {
        return 0;
    }
    b = g_byte_array_new();
    for (int i = 0; i < iovcnt; i++) {
        g_byte_array_append(b, iov[i].iov_base, iov[i].iov_len);
    }
    g_ptr_array_add(t->frames, g_byte_array_free_to_bytes(b));
    return g_bytes_get_size(g_ptr_array_index(t->frames, t->frames->len - 1));
}

static inline bool test_can_receive(EmuNetClient *nc)
{
    TestClient *t = nc->opaque;

    return !t->full;
}

static inline void test_link_changed(EmuNetClient *nc)
{
    TestClient *t = nc->opaque;

    t->link_changes++;
}

static inline void test_describe(EmuNetClient *nc, GString *out)
{
    TestClient *t = nc->opaque;

    g_string_append_printf(
        out, "model=test-nic,macaddr=%02x:%02x:%02x:%02x:%02x:%02x", t->mac[0],
        t->mac[1], t->mac[2], t->mac[3], t->mac[4], t->mac[5]);
}

static inline void test_cleanup(EmuNetClient *nc)
{
    TestClient *t = nc->opaque;

    g_ptr_array_unref(t->frames);
    g_free(t);
}

static const EmuNetClientOps test_nic_ops = {
    .kind = EMU_NET_CLIENT_NIC,
    .receive = test_receive,
    .can_receive = test_can_receive,
    .link_changed = test_link_changed,
    .describe = test_describe,
    .cleanup = test_cleanup,
};

/* the same client posing as a backend (for hub tests) */
static const EmuNetClientOps test_tap_ops = {
    .kind = EMU_NET_CLIENT_TAP,
    .receive = test_receive,
    .can_receive = test_can_receive,
    .link_changed = test_link_changed,
    .cleanup = test_cleanup,
};

static inline TestClient *test_client_new(EmuNet *net,
                                          const EmuNetClientOps *ops,
                                          const char *name, EmuNetClient *peer)
{
    g_autoptr(GError) err = NULL;
    TestClient *t = g_new0(TestClient, 1);

    t->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    t->nc = emu_net_client_new(net, ops, name, peer, t, &err);
    g_assert_no_error(err);
    g_assert_nonnull(t->nc);
    return t;
}

static inline void test_sent_cb(EmuNetClient *sender, ssize_t len)
{
    TestClient *t = sender->opaque;

    t->sent_cbs++;
    t->last_sent_len = len;
}

/* the frame's first byte identifies it in the tests */
static inline uint8_t test_frame_id(TestClient *t, guint i)
{
    g_assert_cmpuint(i, <, t->frames->len);
    return *(const uint8_t *)g_bytes_get_data(g_ptr_array_index(t->frames, i),
                                              NULL);
}

/* The "test-nic" model for option tests: a TestClient NIC named @id. */
static inline bool test_nic_create(EmuMachine *m, EmuNetClient *peer,
                                   const uint8_t *mac, const char *id,
                                   EmuOpts *opts, GError **error)
{
    TestClient *t = g_new0(TestClient, 1);

    t->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    memcpy(t->mac, mac, 6);
    t->nc = emu_net_client_new(m->net, &test_nic_ops, id, peer, t, error);
    if (!t->nc) {
        g_ptr_array_unref(t->frames);
        g_free(t);
        return false;
    }
    return true;
}

/* a net with the test NIC as the board's default and quiet warnings */
static inline EmuNet *test_net_new(EmuMachine *m)
{
    EmuNet *net = emu_net_new(m);

    emu_net_add_nic_model(net, "test-nic", test_nic_create);
    emu_net_set_default_nic(net, "test-nic");
    emu_net_set_quiet(net, true);
    return net;
}

#endif
