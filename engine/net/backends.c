/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backends.c: the host backends' common parts — fd watches and timers on
 * the machine's I/O context, QEMU's TCP framing, host:port parsing, fd
 * parameters, multicast sockets and short-frame padding. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "emu-error.h"
#include "engine/core/machine.h"
#include "engine/net/backends.h"
#include "engine/net/net-internal.h"

EmuMachine *emu_net_machine(EmuNet *net)
{
    return net->m;
}

/* ---- fd watches ------------------------------------------------------- */

struct EmuFdWatch {
    GSource src;
    EmuMachine *m;
    int fd;
    EmuFdWatchFn fn;
    void *opaque;
    gpointer tag;     /* the fd in the source, NULL when not polled */
    GIOCondition cur; /* events in the poll set (I/O thread only) */
    atomic_uint want; /* events the backend wants */
    atomic_bool kicked;
};

static void watch_wakeup(EmuFdWatch *w)
{
    GMainContext *ctx = g_source_get_context(&w->src);

    if (ctx && !g_main_context_is_owner(ctx)) {
        g_main_context_wakeup(ctx);
    }
}

/* Applies the wanted events before the context polls (I/O thread). */
static gboolean watch_prepare(GSource *src, gint *timeout)
{
    EmuFdWatch *w = (EmuFdWatch *)src;
    GIOCondition want = atomic_load(&w->want);

    *timeout = -1;
    if (want != w->cur) {
        if (!want) {
            g_source_remove_unix_fd(src, w->tag);
            w->tag = NULL;
        } else if (!w->tag) {
            w->tag = g_source_add_unix_fd(src, w->fd, want);
        } else {
            g_source_modify_unix_fd(src, w->tag, want);
        }
        w->cur = want;
    }
    return atomic_load(&w->kicked);
}

static gboolean watch_check(GSource *src)
{
    EmuFdWatch *w = (EmuFdWatch *)src;

    if (atomic_load(&w->kicked)) {
        return TRUE;
    }
    return w->tag && g_source_query_unix_fd(src, w->tag) != 0;
}

static gboolean watch_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    EmuFdWatch *w = (EmuFdWatch *)src;
    EmuMachine *m = w->m;
    GIOCondition rev = w->tag ? g_source_query_unix_fd(src, w->tag) : 0;

    atomic_store(&w->kicked, false);
    /* the backend may have stopped wanting an event since the poll */
    rev &= w->cur | G_IO_ERR | G_IO_HUP | G_IO_NVAL;
    emu_machine_lock(m);
    /* freed under the lock while we waited for it: nothing to do */
    if (!g_source_is_destroyed(src)) {
        w->fn(w->opaque, rev);
    }
    emu_machine_unlock(m);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs watch_funcs = {
    .prepare = watch_prepare,
    .check = watch_check,
    .dispatch = watch_dispatch,
};

EmuFdWatch *emu_fd_watch_new(EmuMachine *m, int fd, EmuFdWatchFn fn,
                             void *opaque)
{
    EmuFdWatch *w =
        (EmuFdWatch *)g_source_new(&watch_funcs, sizeof(EmuFdWatch));

    w->m = m;
    w->fd = fd;
    w->fn = fn;
    w->opaque = opaque;
    atomic_init(&w->want, 0);
    atomic_init(&w->kicked, false);
    g_source_set_name(&w->src, "vmkit-net-fd");
    g_source_attach(&w->src, m->io_ctx);
    return w;
}

void emu_fd_watch_set(EmuFdWatch *w, GIOCondition events)
{
    if (atomic_exchange(&w->want, events) != events) {
        watch_wakeup(w);
    }
}

void emu_fd_watch_kick(EmuFdWatch *w)
{
    atomic_store(&w->kicked, true);
    watch_wakeup(w);
}

void emu_fd_watch_free(EmuFdWatch *w)
{
    if (w) {
        g_source_destroy(&w->src);
        g_source_unref(&w->src);
    }
}

/* ---- timers ----------------------------------------------------------- */

struct EmuNetTimer {
    GSource *src;
    EmuMachine *m;
    void (*fn)(void *opaque);
    void *opaque;
};

static gboolean timer_fire(gpointer data)
{
    EmuNetTimer *t = data;
    EmuMachine *m = t->m;
    GSource *src = g_main_current_source();

    emu_machine_lock(m);
    /* @fn may free @t: touch nothing of it afterwards */
    if (!g_source_is_destroyed(src)) {
        t->fn(t->opaque);
    }
    emu_machine_unlock(m);
    return G_SOURCE_REMOVE;
}

EmuNetTimer *emu_net_timer_new(EmuMachine *m, unsigned seconds,
                               void (*fn)(void *opaque), void *opaque)
{
    EmuNetTimer *t = g_new0(EmuNetTimer, 1);

    t->m = m;
    t->fn = fn;
    t->opaque = opaque;
    /* @t keeps a reference: the source outlives its firing until freed */
    t->src = g_timeout_source_new_seconds(seconds);
    g_source_set_callback(t->src, timer_fire, t, NULL);
    g_source_attach(t->src, m->io_ctx);
    return t;
}

void emu_net_timer_free(EmuNetTimer *t)
{
    if (t) {
        g_source_destroy(t->src);
        g_source_unref(t->src);
        g_free(t);
    }
}

/* ---- helpers ---------------------------------------------------------- */

int emu_net_parse_fd(const char *id, const char *str, GError **error)
{
    char *end;
    long n;
    int flags;

    errno = 0;
    n = strtol(str, &end, 10);
    if (!*str || *end || errno || n < 0 || n > INT_MAX) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "Invalid file descriptor number '%s'", str);
        return -1;
    }
    flags = fcntl((int)n, F_GETFL);
    if (flags < 0 || fcntl((int)n, F_SETFL, flags | O_NONBLOCK) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s: Can't use file descriptor %ld: %s", id, n,
                    g_strerror(errno));
        return -1;
    }
    /* ours now: no child (scripts, helpers) inherits it */
    fcntl((int)n, F_SETFD, FD_CLOEXEC);
    return (int)n;
}

bool emu_net_convert_host_port(const char *host, const char *port,
                               struct sockaddr_in *sin, GError **error)
{
    char *end;
    long p;

    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    if (host[0] == '\0') {
        sin->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (g_ascii_isdigit(host[0])) {
        if (!inet_aton(host, &sin->sin_addr)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "host address '%s' is not a valid IPv4 address", host);
            return false;
        }
    } else {
        struct addrinfo hints = {.ai_family = AF_INET};
        struct addrinfo *res = NULL;

        if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "can't resolve host address '%s'", host);
            return false;
        }
        sin->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
        freeaddrinfo(res);
    }
    errno = 0;
    p = strtol(port, &end, 0);
    if (!*port || *end || errno || p < 0 || p > 65535) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "port number '%s' is invalid", port);
        return false;
    }
    sin->sin_port = htons((uint16_t)p);
    return true;
}

bool emu_net_parse_host_port(const char *str, struct sockaddr_in *sin,
                             GError **error)
{
    const char *colon = strchr(str, ':');
    g_autofree char *host = NULL;

    if (!colon) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "host address '%s' doesn't contain ':' separating "
                    "host from port",
                    str);
        return false;
    }
    host = g_strndup(str, colon - str);
    return emu_net_convert_host_port(host, colon + 1, sin, error);
}

void emu_net_format_in(const struct sockaddr_in *sin, char out[16])
{
    if (!inet_ntop(AF_INET, &sin->sin_addr, out, 16)) {
        g_strlcpy(out, "?", 16);
    }
}

const uint8_t *emu_net_pad_short_frame(uint8_t min[60], const uint8_t *buf,
                                       size_t *len)
{
    if (*len >= 60) {
        return buf;
    }
    memcpy(min, buf, *len);
    memset(min + *len, 0, 60 - *len);
    *len = 60;
    return min;
}

/* ---- QEMU's TCP framing ----------------------------------------------- */

int emu_net_frame_parse(const uint8_t *buf, size_t len, uint32_t *frame_len,
                        GError **error)
{
    uint32_t n;

    if (len < 4) {
        return 0;
    }
    n = (uint32_t)buf[0] << 24 | (uint32_t)buf[1] << 16 |
        (uint32_t)buf[2] << 8 | buf[3];
    if (n == 0 || n > EMU_NET_BUFSIZE) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "invalid frame length %" G_GUINT32_FORMAT
                    " (1 to %d allowed)",
                    n, EMU_NET_BUFSIZE);
        return -1;
    }
    if (len - 4 < n) {
        return 0;
    }
    *frame_len = n;
    return 1;
}

/* ---- multicast -------------------------------------------------------- */

int emu_net_mcast_socket(const struct sockaddr_in *group,
                         const struct in_addr *localaddr, GError **error)
{
    struct ip_mreq imr;
    char a[16];
    int fd, one = 1;

    emu_net_format_in(group, a);
    if (!IN_MULTICAST(ntohl(group->sin_addr.s_addr))) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "specified mcastaddr %s (0x%08x) does not contain a "
                    "multicast address",
                    a, (unsigned)ntohl(group->sin_addr.s_addr));
        return -1;
    }
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't create datagram socket: %s", g_strerror(errno));
        return -1;
    }
    /* several VMs of one host bind the same group and port */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't set socket option SO_REUSEADDR: %s",
                    g_strerror(errno));
        goto fail;
    }
    if (bind(fd, (const struct sockaddr *)group, sizeof(*group)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't bind ip=%s to socket: %s", a, g_strerror(errno));
        goto fail;
    }
    imr.imr_multiaddr = group->sin_addr;
    imr.imr_interface.s_addr =
        localaddr ? localaddr->s_addr : htonl(INADDR_ANY);
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &imr, sizeof(imr)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't add socket to multicast group %s: %s", a,
                    g_strerror(errno));
        goto fail;
    }
    /* the other VMs on this host are members too */
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't force multicast message to loopback: %s",
                    g_strerror(errno));
        goto fail;
    }
    if (localaddr && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, localaddr,
                                sizeof(*localaddr)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't set the default network send interface: %s",
                    g_strerror(errno));
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}
