/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netbe-test.h: helpers for the host backend tests — a machine whose I/O
 * context the test pumps itself, a recording peer (a stand-in NIC that can
 * refuse frames like a full RX ring), backends made from option text,
 * free ports and raw sockets. */
#ifndef NETBE_TEST_H
#define NETBE_TEST_H

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <glib.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/core/machine.h"
#include "engine/net/backends.h"
#include "engine/net/net-internal.h"

typedef struct Fx {
    EmuMachine *m;
    EmuNet *net;
} Fx;

static inline void fx_setup(Fx *f, gconstpointer data)
{
    f->m = emu_machine_new();
    f->net = emu_net_new(f->m);
    emu_net_set_quiet(f->net, true);
}

static inline void fx_teardown(Fx *f, gconstpointer data)
{
    emu_net_free(f->net);
    emu_machine_free(f->m);
}

/* ---- the peer ----------------------------------------------------------- */

typedef struct Peer {
    EmuNetClient *nc;
    GPtrArray *frames; /* GBytes *, what the backend delivered */
    int accept;        /* frames it takes before refusing; -1: all */
    unsigned sent_cbs;
} Peer;

static inline ssize_t peer_receive(EmuNetClient *nc, const struct iovec *iov,
                                   int iovcnt)
{
    Peer *p = nc->opaque;
    GByteArray *b;

    if (p->accept == 0) {
        return 0;
    }
    if (p->accept > 0) {
        p->accept--;
    }
    b = g_byte_array_new();
    for (int i = 0; i < iovcnt; i++) {
        g_byte_array_append(b, iov[i].iov_base, iov[i].iov_len);
    }
    g_ptr_array_add(p->frames, g_byte_array_free_to_bytes(b));
    return g_bytes_get_size(g_ptr_array_index(p->frames, p->frames->len - 1));
}

static inline void peer_cleanup(EmuNetClient *nc)
{
    Peer *p = nc->opaque;

    g_ptr_array_unref(p->frames);
    g_free(p);
}

static const EmuNetClientOps peer_ops = {
    .kind = EMU_NET_CLIENT_NIC,
    .receive = peer_receive,
    .cleanup = peer_cleanup,
};

/* a peer connected to @backend (named after it) */
static inline Peer *peer_new(Fx *f, EmuNetClient *backend)
{
    Peer *p = g_new0(Peer, 1);
    g_autofree char *name = g_strdup_printf("nic-%s", backend->name);

    p->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    p->accept = -1;
    p->nc = emu_net_client_new(f->net, &peer_ops, name, backend, p, NULL);
    g_assert_nonnull(p->nc);
    return p;
}

static inline void peer_sent(EmuNetClient *nc, ssize_t len)
{
    Peer *p = nc->opaque;

    p->sent_cbs++;
}

/* sends from the peer to its backend, device lock held like a NIC */
static inline ssize_t peer_send(Fx *f, Peer *p, const uint8_t *buf, size_t len)
{
    ssize_t r;

    emu_machine_lock(f->m);
    r = emu_net_send(p->nc, buf, len, peer_sent);
    emu_machine_unlock(f->m);
    return r;
}

/* the peer's ring has room again */
static inline void peer_open(Fx *f, Peer *p, int accept)
{
    emu_machine_lock(f->m);
    p->accept = accept;
    emu_net_flush_queue(p->nc);
    emu_machine_unlock(f->m);
}

/* ---- frames ------------------------------------------------------------- */

/* a frame of @len bytes whose content depends on @seed */
static inline uint8_t *frame_make(size_t len, unsigned seed)
{
    uint8_t *b = g_malloc(len);

    for (size_t i = 0; i < len; i++) {
        b[i] = (uint8_t)(seed * 31 + i * 7);
    }
    return b;
}

static inline bool frame_is(GBytes *got, size_t len, unsigned seed)
{
    g_autofree uint8_t *want = frame_make(len, seed);
    size_t n;
    const uint8_t *d = g_bytes_get_data(got, &n);

    return n == len && memcmp(d, want, len) == 0;
}

/* ---- backends from option text ------------------------------------------ */

/* "TYPE,id=ID,..." through the backend's constructor, then the unused-key
 * check as options.c does */
static inline EmuNetClient *backend_new(Fx *f, const char *text, GError **error)
{
    EmuOpts *opts = emu_opts_parse(text, "type", error);
    const char *type, *id;
    EmuNetBackendInit init = NULL;
    EmuNetClient *nc;

    if (!opts) {
        return NULL;
    }
    type = emu_opts_get(opts, "type");
    id = emu_opts_get(opts, "id");
    if (!strcmp(type, "socket")) {
        init = emu_net_socket_init;
    } else if (!strcmp(type, "stream")) {
        init = emu_net_stream_init;
    } else if (!strcmp(type, "dgram")) {
        init = emu_net_dgram_init;
    } else if (!strcmp(type, "tap")) {
        init = emu_net_tap_init;
    } else if (!strcmp(type, "bridge")) {
        init = emu_net_bridge_init;
    }
    g_assert_nonnull(init);
    nc = init(f->net, id, opts, NULL, error);
    if (nc && !emu_opts_check_unused(opts, NULL, error)) {
        emu_net_client_free(nc);
        nc = NULL;
    }
    emu_opts_free(opts);
    return nc;
}

static inline EmuNetClient *backend_ok(Fx *f, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
static inline EmuNetClient *backend_ok(Fx *f, const char *fmt, ...)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    EmuNetClient *nc;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    nc = backend_new(f, text, &err);
    if (!nc) {
        g_error("-netdev %s: %s", text, err->message);
    }
    return nc;
}

/* the "info network" string of @nc */
static inline char *info_of(Fx *f, EmuNetClient *nc)
{
    GString *s = g_string_new(NULL);

    emu_machine_lock(f->m);
    emu_net_client_info(nc, s);
    emu_machine_unlock(f->m);
    return g_string_free(s, FALSE);
}

/* ---- the I/O context ---------------------------------------------------- */

/* runs the machine's I/O context on this thread for about @ms */
static inline void pump(Fx *f, int ms)
{
    gint64 end = g_get_monotonic_time() + ms * 1000LL;

    while (g_get_monotonic_time() < end) {
        g_main_context_iteration(f->m->io_ctx, FALSE);
        g_usleep(1000);
    }
}

/* pumps until @cond, at most @ms; returns @cond */
#define PUMP_UNTIL(f, ms, cond)                                                \
    ({                                                                         \
        gint64 _end = g_get_monotonic_time() + (ms)*1000LL;                    \
        while (!(cond) && g_get_monotonic_time() < _end) {                     \
            if (!g_main_context_iteration((f)->m->io_ctx, FALSE)) {            \
                g_usleep(500);                                                 \
            }                                                                  \
        }                                                                      \
        (cond);                                                                \
    })

/* ---- sockets ------------------------------------------------------------ */

/* a port that was free a moment ago on 127.0.0.1 */
static inline int free_port(int type)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, type, 0);
    int port;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
    port = ntohs(sin.sin_port);
    close(fd);
    return port;
}

/* reads exactly @len bytes (blocking, with a 5 s timeout); false on EOF */
static inline bool read_full(int fd, void *buf, size_t len)
{
    struct timeval tv = {.tv_sec = 5};
    size_t got = 0;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    while (got < len) {
        ssize_t n = recv(fd, (char *)buf + got, len - got, 0);

        if (n <= 0) {
            return false;
        }
        got += n;
    }
    return true;
}

static inline void write_full(int fd, const void *buf, size_t len)
{
    g_assert_cmpint(send(fd, buf, len, MSG_NOSIGNAL), ==, (ssize_t)len);
}

#endif
