/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stream.c: frames over a stream socket with QEMU's framing (a 4-byte
 * big-endian length, then the frame) — the engine behind -netdev socket
 * listen=/connect=/fd= and -netdev stream, and -netdev stream itself. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "emu-error.h"
#include "engine/net/backends.h"
#include "engine/net/net-internal.h"

/* the read buffer holds the length word and the largest frame */
#define RBUF_SIZE (4 + EMU_NET_BUFSIZE)

struct EmuNetStream {
    EmuNetClient *nc;
    EmuMachine *m;
    EmuNetStreamFlavor flavor;

    /* server side: one peer at a time, like QEMU */
    int listen_fd;
    EmuFdWatch *listen_w;
    char *unlink_path;

    /* the connection */
    int fd;
    EmuFdWatch *w;
    bool connecting;    /* non-blocking connect() in progress */
    bool read_paused;   /* a frame waits at our peer: read nothing more */
    bool write_blocked; /* receive() said 0: flush once writable */
    bool dead;          /* receive() hit a socket error: drop on I/O thread */
    uint8_t *rbuf;      /* bytes read, not yet framed: [rpos, rlen) */
    size_t rpos, rlen;
    uint8_t *wbuf; /* the unsent tail of a frame the socket took in
                    * part: [wpos, wlen); nothing else goes first */
    size_t wpos, wlen;

    /* client side */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    unsigned reconnect; /* seconds, 0: never */
    EmuNetTimer *timer;
    bool warned;     /* a connect failure was reported since the last
                      * success: retries stay quiet */
    bool keep_alive; /* SO_KEEPALIVE on connections (addr.keep-alive) */

    char *info_fixed; /* socket connect=/fd=: the info while up */
    char *info;
};

static void stream_start_connect(EmuNetStream *s);

static void stream_msg(EmuNetStream *s, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* a runtime event worth a line on stderr (never fatal) */
static void stream_msg(EmuNetStream *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "vmkit: %s %s: %s\n",
            s->flavor == EMU_NET_STREAM_SOCKET ? "socket" : "stream",
            s->nc->name, msg);
}

static void stream_set_info(EmuNetStream *s, const char *info)
{
    g_free(s->info);
    s->info = g_strdup(info ? info : "");
}

/* "tcp:HOST:PORT" / "unix:PATH": QEMU's socket_uri() of an address */
static char *sockaddr_uri(const struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *sun = (const struct sockaddr_un *)sa;
        size_t n = len > offsetof(struct sockaddr_un, sun_path)
                       ? len - offsetof(struct sockaddr_un, sun_path)
                       : 0;

        if (n && sun->sun_path[0] == '\0') {
            /* abstract: the name after the NUL */
            return g_strdup_printf("unix:%.*s", (int)(n - 1),
                                   sun->sun_path + 1);
        }
        return g_strdup_printf("unix:%.*s", (int)strnlen(sun->sun_path, n),
                               sun->sun_path);
    }
    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return g_strdup("tcp:?");
    }
    return g_strdup_printf("tcp:%s:%s", host, serv);
}

static void stream_update_watch(EmuNetStream *s)
{
    GIOCondition ev = 0;

    if (!s->w) {
        return;
    }
    if (s->connecting || s->wlen || s->write_blocked) {
        ev |= G_IO_OUT;
    }
    if (!s->connecting && !s->read_paused) {
        ev |= G_IO_IN;
    }
    emu_fd_watch_set(s->w, ev);
}

/* Drops the connection: the link goes down (QEMU's "eoc" path), frames
 * queued for us are dropped and their senders resume; a server listens
 * again, a client with reconnect= retries. */
static void stream_disconnect(EmuNetStream *s)
{
    emu_fd_watch_free(s->w);
    s->w = NULL;
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
    s->connecting = false;
    s->read_paused = false;
    s->write_blocked = false;
    s->dead = false;
    s->rpos = s->rlen = 0;
    s->wpos = s->wlen = 0;
    s->nc->link_down = true;
    stream_set_info(s, "");
    emu_net_flush_queue(s->nc);
    if (s->listen_w) {
        emu_fd_watch_set(s->listen_w, G_IO_IN);
    }
}

static void stream_reconnect_fire(void *opaque)
{
    EmuNetStream *s = opaque;

    emu_net_timer_free(s->timer);
    s->timer = NULL;
    stream_start_connect(s);
}

static void stream_arm_reconnect(EmuNetStream *s)
{
    if (s->reconnect && !s->timer && s->addrlen) {
        s->timer =
            emu_net_timer_new(s->m, s->reconnect, stream_reconnect_fire, s);
    }
}

static void stream_connect_failed(EmuNetStream *s, int err)
{
    g_autofree char *uri =
        sockaddr_uri((struct sockaddr *)&s->addr, s->addrlen);

    stream_disconnect(s);
    if (!s->warned) {
        stream_msg(s, "connect to %s failed: %s",
                   g_str_has_prefix(uri, "tcp:") ? uri + 4 : uri,
                   g_strerror(err));
        s->warned = true;
    }
    /* QEMU: socket clears its info, stream says why */
    stream_set_info(s, s->flavor == EMU_NET_STREAM_STREAM ? "connection error"
                                                          : "");
    stream_arm_reconnect(s);
}

static void stream_sent(EmuNetClient *nc, ssize_t len)
{
    EmuNetStream *s = nc->opaque;

    if (s->read_paused) {
        s->read_paused = false;
        if (s->w) {
            /* frames may wait in rbuf with nothing new on the socket */
            emu_fd_watch_kick(s->w);
            stream_update_watch(s);
        }
    }
}

/* Frames what was read and sends it on; reads more when a frame is
 * incomplete. Stops when the peer queues a frame (backpressure), the
 * socket is drained, or after a burst. */
static void stream_read(EmuNetStream *s)
{
    int frames = 0;

    for (int rounds = 0; rounds < 4 * EMU_NET_BURST; rounds++) {
        g_autoptr(GError) err = NULL;
        uint32_t flen;
        ssize_t n;
        int r = emu_net_frame_parse(s->rbuf + s->rpos, s->rlen - s->rpos, &flen,
                                    &err);

        if (r < 0) {
            stream_msg(s, "%s, connection terminated", err->message);
            stream_disconnect(s);
            stream_arm_reconnect(s);
            return;
        }
        if (r > 0) {
            const uint8_t *frame = s->rbuf + s->rpos + 4;

            s->rpos += 4 + flen;
            if (emu_net_send(s->nc, frame, flen, stream_sent) == 0) {
                s->read_paused = true;
                return;
            }
            if (++frames >= EMU_NET_BURST) {
                emu_fd_watch_kick(s->w); /* more may be buffered */
                return;
            }
            continue;
        }
        /* incomplete: keep the partial frame at the start, read more */
        if (s->rpos) {
            memmove(s->rbuf, s->rbuf + s->rpos, s->rlen - s->rpos);
            s->rlen -= s->rpos;
            s->rpos = 0;
        }
        n = recv(s->fd, s->rbuf + s->rlen, RBUF_SIZE - s->rlen, 0);
        if (n > 0) {
            s->rlen += n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        }
        /* end of connection or a socket error */
        stream_disconnect(s);
        stream_arm_reconnect(s);
        return;
    }
    emu_fd_watch_kick(s->w);
}

/* Writes what is left of a partly sent frame; true when done. */
static bool stream_write_tail(EmuNetStream *s)
{
    while (s->wpos < s->wlen) {
        ssize_t n = send(s->fd, s->wbuf + s->wpos, s->wlen - s->wpos,
                         MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return false;
        }
        if (n < 0) {
            s->dead = true;
            return false;
        }
        s->wpos += n;
    }
    s->wpos = s->wlen = 0;
    return true;
}

static void stream_connected(EmuNetStream *s, const char *info)
{
    int one = 1;
    g_autofree char *uri = NULL;

    s->connecting = false;
    s->warned = false;
    s->write_blocked = false;
    s->nc->link_down = false;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (s->keep_alive) {
        setsockopt(s->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
    }
    if (!info) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);

        if (getpeername(s->fd, (struct sockaddr *)&ss, &len) == 0) {
            uri = sockaddr_uri((struct sockaddr *)&ss, len);
        }
        info = uri;
    }
    stream_set_info(s, info);
    stream_update_watch(s);
    /* frames that waited for the connection go now */
    emu_net_flush_queue(s->nc);
}

static void stream_ready(void *opaque, GIOCondition rev)
{
    EmuNetStream *s = opaque;

    if (s->connecting) {
        int err = 0;
        socklen_t len = sizeof(err);

        if (!(rev & (G_IO_OUT | G_IO_ERR | G_IO_HUP))) {
            return;
        }
        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
            err = errno;
        }
        if (err) {
            stream_connect_failed(s, err);
            return;
        }
        stream_connected(s, s->info_fixed);
        return;
    }
    if (!s->dead && (s->wlen || s->write_blocked) &&
        (rev & (G_IO_OUT | G_IO_ERR | G_IO_HUP)) && stream_write_tail(s)) {
        if (s->write_blocked) {
            s->write_blocked = false;
            /* the frames the core held for us (may mark us dead) */
            emu_net_flush_queue(s->nc);
        }
    }
    if (s->dead) {
        stream_disconnect(s);
        stream_arm_reconnect(s);
        return;
    }
    if (!s->read_paused &&
        (rev == 0 || (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR)))) {
        stream_read(s);
    }
    stream_update_watch(s);
}

/* the core hands us a frame (device lock held, any thread) */
static ssize_t stream_receive(EmuNetClient *nc, const struct iovec *iov,
                              int iovcnt)
{
    EmuNetStream *s = nc->opaque;
    struct iovec v[64];
    struct msghdr msg = {.msg_iov = v};
    uint8_t hdr[4];
    size_t size = 0, off;
    ssize_t n;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (s->fd < 0 || s->dead) {
        return size; /* no connection: the frame is lost, as on a wire */
    }
    if (s->connecting || s->wlen) {
        /* flushed once connected / the tail is out */
        s->write_blocked = true;
        stream_update_watch(s);
        return 0;
    }
    if (iovcnt > (int)G_N_ELEMENTS(v) - 1) {
        return -1;
    }
    hdr[0] = size >> 24;
    hdr[1] = size >> 16;
    hdr[2] = size >> 8;
    hdr[3] = size;
    v[0] = (struct iovec){.iov_base = hdr, .iov_len = 4};
    memcpy(v + 1, iov, iovcnt * sizeof(*iov));
    msg.msg_iovlen = iovcnt + 1;
    do {
        n = sendmsg(s->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        s->write_blocked = true;
        stream_update_watch(s);
        return 0;
    }
    if (n < 0) {
        /* the peer is gone: the I/O thread drops the connection */
        s->dead = true;
        emu_fd_watch_kick(s->w);
        return -1;
    }
    if ((size_t)n == size + 4) {
        return size;
    }
    /* a partial write: keep the rest, it goes out before anything else */
    off = n;
    s->wpos = 0;
    s->wlen = 0;
    for (int i = 0; i < iovcnt + 1; i++) {
        size_t l = v[i].iov_len;

        if (off >= l) {
            off -= l;
            continue;
        }
        memcpy(s->wbuf + s->wlen, (uint8_t *)v[i].iov_base + off, l - off);
        s->wlen += l - off;
        off = 0;
    }
    stream_update_watch(s);
    return size;
}

static void stream_describe(EmuNetClient *nc, GString *out)
{
    EmuNetStream *s = nc->opaque;

    g_string_append(out, s->info);
}

static void stream_cleanup(EmuNetClient *nc)
{
    EmuNetStream *s = nc->opaque;

    emu_net_timer_free(s->timer);
    emu_fd_watch_free(s->w);
    emu_fd_watch_free(s->listen_w);
    if (s->fd >= 0) {
        close(s->fd);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
    }
    if (s->unlink_path) {
        unlink(s->unlink_path);
    }
    g_free(s->unlink_path);
    g_free(s->rbuf);
    g_free(s->wbuf);
    g_free(s->info_fixed);
    g_free(s->info);
    g_free(s);
}

static const EmuNetClientOps socket_stream_ops = {
    .kind = EMU_NET_CLIENT_SOCKET,
    .receive = stream_receive,
    .describe = stream_describe,
    .cleanup = stream_cleanup,
};

static const EmuNetClientOps stream_ops = {
    .kind = EMU_NET_CLIENT_STREAM,
    .receive = stream_receive,
    .describe = stream_describe,
    .cleanup = stream_cleanup,
};

EmuNetStream *emu_net_stream_new(EmuNet *net, const char *id,
                                 EmuNetClientKind kind,
                                 EmuNetStreamFlavor flavor, EmuNetClient *peer,
                                 GError **error)
{
    EmuNetStream *s = g_new0(EmuNetStream, 1);

    s->m = emu_net_machine(net);
    s->flavor = flavor;
    s->fd = -1;
    s->listen_fd = -1;
    s->info = g_strdup("");
    s->nc = emu_net_client_new(
        net, kind == EMU_NET_CLIENT_STREAM ? &stream_ops : &socket_stream_ops,
        id, peer, s, error);
    if (!s->nc) {
        g_free(s->info);
        g_free(s);
        return NULL;
    }
    s->rbuf = g_malloc(RBUF_SIZE);
    s->wbuf = g_malloc(RBUF_SIZE);
    return s;
}

EmuNetClient *emu_net_stream_client(EmuNetStream *s)
{
    return s->nc;
}

/* the connection is up on @fd */
static void stream_attach(EmuNetStream *s, int fd, bool connecting,
                          const char *info)
{
    s->fd = fd;
    s->w = emu_fd_watch_new(s->m, fd, stream_ready, s);
    if (connecting) {
        s->connecting = true;
        stream_update_watch(s);
    } else {
        stream_connected(s, info);
    }
}

static void stream_accept(void *opaque, GIOCondition rev)
{
    EmuNetStream *s = opaque;
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    g_autofree char *info = NULL;
    int fd;

    if (s->fd >= 0) {
        emu_fd_watch_set(s->listen_w, 0);
        return;
    }
    do {
        fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return; /* EAGAIN, or the client left already */
    }
    /* one peer at a time: the next waits in the backlog */
    emu_fd_watch_set(s->listen_w, 0);
    if (s->flavor == EMU_NET_STREAM_SOCKET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
        char a[16] = "?";
        int port = 0;

        if (ss.ss_family == AF_INET) {
            emu_net_format_in(sin, a);
            port = ntohs(sin->sin_port);
        }
        info = g_strdup_printf("socket: connection from %s:%d", a, port);
    } else if (ss.ss_family == AF_UNIX) {
        /* QEMU shows the listening path for a unix peer */
        len = sizeof(ss);
        getsockname(fd, (struct sockaddr *)&ss, &len);
        info = sockaddr_uri((struct sockaddr *)&ss, len);
    } else {
        info = sockaddr_uri((struct sockaddr *)&ss, len);
    }
    stream_attach(s, fd, false, info);
}

void emu_net_stream_listen(EmuNetStream *s, int listen_fd,
                           const char *unlink_path)
{
    s->listen_fd = listen_fd;
    s->unlink_path = g_strdup(unlink_path);
    s->nc->link_down = true; /* until a peer connects */
    s->listen_w = emu_fd_watch_new(s->m, listen_fd, stream_accept, s);
    emu_fd_watch_set(s->listen_w, G_IO_IN);
}

/* one connect() attempt; failures are runtime events */
static void stream_start_connect(EmuNetStream *s)
{
    int fd = socket(s->addr.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int r;

    if (fd < 0) {
        stream_connect_failed(s, errno);
        return;
    }
    do {
        r = connect(fd, (struct sockaddr *)&s->addr, s->addrlen);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && errno != EINPROGRESS) {
        int err = errno;

        close(fd);
        stream_connect_failed(s, err);
        return;
    }
    stream_attach(s, fd, r < 0, s->info_fixed);
}

bool emu_net_stream_connect(EmuNetStream *s, const struct sockaddr *sa,
                            socklen_t salen, unsigned reconnect,
                            const char *info_fixed, GError **error)
{
    memcpy(&s->addr, sa, salen);
    s->addrlen = salen;
    s->reconnect = reconnect;
    s->info_fixed = g_strdup(info_fixed);
    if (s->flavor == EMU_NET_STREAM_SOCKET) {
        /* QEMU's net_socket_connect_init(): an immediate failure is an
         * error, the link stays up while the connect is in progress */
        int fd = socket(sa->sa_family,
                        SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        int r;

        if (fd < 0) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "can't create stream socket: %s", g_strerror(errno));
            return false;
        }
        do {
            r = connect(fd, sa, salen);
        } while (r < 0 && errno == EINTR);
        if (r < 0 && errno != EINPROGRESS && errno != EALREADY) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "can't connect socket: %s", g_strerror(errno));
            close(fd);
            return false;
        }
        stream_attach(s, fd, r < 0, info_fixed);
        stream_set_info(s, info_fixed);
        return true;
    }
    /* -netdev stream: down until connected, failures only show in
     * "info network" (QEMU 7.2) */
    s->nc->link_down = true;
    stream_start_connect(s);
    return true;
}

void emu_net_stream_use_fd(EmuNetStream *s, int fd, bool connected,
                           const char *info_fixed)
{
    s->info_fixed = g_strdup(info_fixed);
    stream_attach(s, fd, !connected, info_fixed);
    if (info_fixed) {
        stream_set_info(s, info_fixed);
    }
}

/* ---- -netdev stream --------------------------------------------------- */

/* The addr.* of -netdev stream (QAPI SocketAddress): a listening or a
 * connecting socket, or the fd given. */
typedef struct StreamAddr {
    const char *type;
    struct sockaddr_storage ss;
    socklen_t len;
    int fd;
    bool keep_alive;
    char *unlink_path;
} StreamAddr;

static bool opt_missing(const char *key, GError **error)
{
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "parameter '%s' is missing", key);
    return false;
}

static bool parse_inet(EmuOpts *opts, const char *pfx, bool passive,
                       StreamAddr *a, GError **error)
{
    g_autofree char *khost = g_strdup_printf("%s.host", pfx);
    g_autofree char *kport = g_strdup_printf("%s.port", pfx);
    g_autofree char *kv4 = g_strdup_printf("%s.ipv4", pfx);
    g_autofree char *kv6 = g_strdup_printf("%s.ipv6", pfx);
    g_autofree char *knum = g_strdup_printf("%s.numeric", pfx);
    g_autofree char *kka = g_strdup_printf("%s.keep-alive", pfx);
    const char *host = emu_opts_get(opts, khost);
    const char *port = emu_opts_get(opts, kport);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    bool v4, v6, numeric;
    int r;

    if (!emu_opts_get_bool(opts, kv4, false, &v4, error) ||
        !emu_opts_get_bool(opts, kv6, false, &v6, error) ||
        !emu_opts_get_bool(opts, knum, false, &numeric, error) ||
        !emu_opts_get_bool(opts, kka, false, &a->keep_alive, error)) {
        return false;
    }
    if (!host) {
        return opt_missing(khost, error);
    }
    if (!port) {
        return opt_missing(kport, error);
    }
    hints.ai_family = v4 && !v6 ? AF_INET : v6 && !v4 ? AF_INET6 : AF_UNSPEC;
    hints.ai_flags =
        (passive ? AI_PASSIVE : 0) | (numeric ? AI_NUMERICHOST : 0);
    r = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (r != 0 || !res) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "address resolution failed for %s:%s: %s", host, port,
                    gai_strerror(r));
        return false;
    }
    memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
    a->len = res->ai_addrlen;
    freeaddrinfo(res);
    return true;
}

static bool parse_unix(EmuOpts *opts, const char *pfx, StreamAddr *a,
                       GError **error)
{
    g_autofree char *kpath = g_strdup_printf("%s.path", pfx);
    g_autofree char *kabs = g_strdup_printf("%s.abstract", pfx);
    g_autofree char *ktight = g_strdup_printf("%s.tight", pfx);
    const char *path = emu_opts_get(opts, kpath);
    struct sockaddr_un *sun = (struct sockaddr_un *)&a->ss;
    bool abstract, tight;
    size_t n;

    if (!emu_opts_get_bool(opts, kabs, false, &abstract, error) ||
        !emu_opts_get_bool(opts, ktight, true, &tight, error)) {
        return false;
    }
    if (!path) {
        return opt_missing(kpath, error);
    }
    n = strlen(path);
    if (n + (abstract ? 1 : 0) >= sizeof(sun->sun_path)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "UNIX socket path '%s' is too long", path);
        return false;
    }
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (abstract) {
        memcpy(sun->sun_path + 1, path, n);
        a->len = tight ? offsetof(struct sockaddr_un, sun_path) + 1 + n
                       : sizeof(*sun);
    } else {
        memcpy(sun->sun_path, path, n);
        a->len = sizeof(*sun);
        a->unlink_path = g_strdup(path);
    }
    return true;
}

/* reads addr.* (QEMU's flattened SocketAddress) */
static bool parse_stream_addr(EmuOpts *opts, const char *id, bool server,
                              StreamAddr *a, GError **error)
{
    a->fd = -1;
    a->type = emu_opts_get(opts, "addr.type");
    if (!a->type) {
        /* QEMU's visitor: no addr.* at all is "addr" missing */
        static const char *const keys[] = {
            "addr.host",
            "addr.port",
            "addr.path",
            "addr.str",
        };
        for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
            if (emu_opts_has(opts, keys[i])) {
                return opt_missing("addr.type", error);
            }
        }
        return opt_missing("addr", error);
    }
    if (!strcmp(a->type, "inet")) {
        return parse_inet(opts, "addr", server, a, error);
    }
    if (!strcmp(a->type, "unix")) {
        return parse_unix(opts, "addr", a, error);
    }
    if (!strcmp(a->type, "fd")) {
        const char *str = emu_opts_get(opts, "addr.str");

        if (!str) {
            return opt_missing("addr.str", error);
        }
        a->fd = emu_net_parse_fd(id, str, error);
        return a->fd >= 0;
    }
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "parameter 'addr.type' does not accept value '%s'", a->type);
    return false;
}

/* a listening socket on @a (QEMU unlinks a stale unix socket first) */
static int stream_listen_fd(StreamAddr *a, GError **error)
{
    g_autofree char *uri = sockaddr_uri((struct sockaddr *)&a->ss, a->len);
    int one = 1;
    int fd =
        socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't create stream socket: %s", g_strerror(errno));
        return -1;
    }
    if (a->ss.ss_family == AF_UNIX) {
        if (a->unlink_path && unlink(a->unlink_path) < 0 && errno != ENOENT) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "failed to unlink socket %s: %s", a->unlink_path,
                        g_strerror(errno));
            close(fd);
            return -1;
        }
    } else {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    }
    if (bind(fd, (struct sockaddr *)&a->ss, a->len) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't bind %s to socket: %s", uri, g_strerror(errno));
        close(fd);
        return -1;
    }
    if (listen(fd, 1) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't listen on socket: %s", g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

EmuNetClient *emu_net_stream_init(EmuNet *net, const char *id, EmuOpts *opts,
                                  EmuNetClient *peer, GError **error)
{
    StreamAddr a = {0};
    EmuNetStream *s;
    bool server;
    uint64_t reconnect = 0;
    bool has_reconnect = emu_opts_has(opts, "reconnect");
    int lfd = -1;
    EmuNetClient *nc = NULL;

    if (!emu_opts_get_bool(opts, "server", false, &server, error) ||
        !emu_opts_get_uint(opts, "reconnect", UINT32_MAX, 0, &reconnect,
                           error) ||
        !parse_stream_addr(opts, id, server, &a, error)) {
        goto out;
    }
    if (!emu_opts_check_unused(opts, NULL, error)) {
        goto out;
    }
    if (server && has_reconnect) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "'reconnect' option is incompatible with socket in "
                    "server mode");
        goto out;
    }
    if (server) {
        if (a.fd >= 0) {
            lfd = a.fd;
            a.fd = -1;
        } else {
            lfd = stream_listen_fd(&a, error);
            if (lfd < 0) {
                goto out;
            }
        }
    }
    s = emu_net_stream_new(net, id, EMU_NET_CLIENT_STREAM,
                           EMU_NET_STREAM_STREAM, peer, error);
    if (!s) {
        goto out;
    }
    nc = emu_net_stream_client(s);
    if (server) {
        emu_net_stream_listen(s, lfd, a.unlink_path);
        lfd = -1;
    } else if (a.fd >= 0) {
        emu_net_stream_use_fd(s, a.fd, true, NULL);
        a.fd = -1;
    } else {
        s->keep_alive = a.keep_alive;
        emu_net_stream_connect(s, (struct sockaddr *)&a.ss, a.len,
                               (unsigned)reconnect, NULL, NULL);
    }
out:
    if (lfd >= 0) {
        close(lfd);
    }
    if (a.fd >= 0) {
        close(a.fd);
    }
    g_free(a.unlink_path);
    return nc;
}
