/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dgram.c: one frame per datagram — the engine behind -netdev socket
 * mcast=/udp=/fd= (datagram fds) and -netdev dgram, and -netdev dgram
 * itself (QEMU 7.2's net/dgram.c: inet, unix, fd and multicast). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "emu-error.h"
#include "engine/net/backends.h"

typedef struct DgramState {
    EmuNetClient *nc;
    EmuMachine *m;
    int fd;
    EmuFdWatch *w;
    struct sockaddr_storage dst; /* where frames go; dstlen 0: send() */
    socklen_t dstlen;
    bool read_paused;   /* a frame waits at our peer */
    bool write_blocked; /* the socket buffer is full: flush when writable */
    uint8_t *buf;
    char *info;
    char *unlink_path;
} DgramState;

static void dgram_update_watch(DgramState *s)
{
    emu_fd_watch_set(s->w, (s->read_paused ? 0 : G_IO_IN) |
                               (s->write_blocked ? G_IO_OUT : 0));
}

static void dgram_sent(EmuNetClient *nc, ssize_t len)
{
    DgramState *s = nc->opaque;

    if (s->read_paused) {
        s->read_paused = false;
        dgram_update_watch(s);
    }
}

static void dgram_read(DgramState *s)
{
    for (int i = 0; i < EMU_NET_BURST; i++) {
        ssize_t n = recv(s->fd, s->buf, EMU_NET_BUFSIZE, MSG_TRUNC);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            /* EAGAIN, or an ICMP error reported on the socket (a udp=
             * peer not there yet): nothing to deliver */
            return;
        }
        if (n == 0 || n > EMU_NET_BUFSIZE) {
            s->nc->stats.rx_dropped++; /* empty or oversized: no frame */
            continue;
        }
        if (emu_net_send(s->nc, s->buf, n, dgram_sent) == 0) {
            s->read_paused = true;
            return;
        }
    }
    emu_fd_watch_kick(s->w); /* a busy socket: go on next time round */
}

static void dgram_ready(void *opaque, GIOCondition rev)
{
    DgramState *s = opaque;

    if (s->write_blocked && (rev & (G_IO_OUT | G_IO_ERR))) {
        s->write_blocked = false;
        emu_net_flush_queue(s->nc);
    }
    if (!s->read_paused && (rev == 0 || (rev & (G_IO_IN | G_IO_ERR)))) {
        dgram_read(s);
    }
    dgram_update_watch(s);
}

static ssize_t dgram_receive(EmuNetClient *nc, const struct iovec *iov,
                             int iovcnt)
{
    DgramState *s = nc->opaque;
    struct msghdr msg = {
        .msg_name = s->dstlen ? &s->dst : NULL,
        .msg_namelen = s->dstlen,
        .msg_iov = (struct iovec *)iov,
        .msg_iovlen = iovcnt,
    };
    ssize_t n;

    do {
        n = sendmsg(s->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 &&
        (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
        s->write_blocked = true;
        dgram_update_watch(s);
        return 0;
    }
    /* other errors (no route, nobody listening yet) lose the frame, as
     * a wire would */
    return n < 0 ? -1 : n;
}

static void dgram_describe(EmuNetClient *nc, GString *out)
{
    DgramState *s = nc->opaque;

    g_string_append(out, s->info);
}

static void dgram_cleanup(EmuNetClient *nc)
{
    DgramState *s = nc->opaque;

    emu_fd_watch_free(s->w);
    close(s->fd);
    if (s->unlink_path) {
        unlink(s->unlink_path);
    }
    g_free(s->unlink_path);
    g_free(s->buf);
    g_free(s->info);
    g_free(s);
}

static const EmuNetClientOps socket_dgram_ops = {
    .kind = EMU_NET_CLIENT_SOCKET,
    .receive = dgram_receive,
    .describe = dgram_describe,
    .cleanup = dgram_cleanup,
};

static const EmuNetClientOps dgram_ops = {
    .kind = EMU_NET_CLIENT_DGRAM,
    .receive = dgram_receive,
    .describe = dgram_describe,
    .cleanup = dgram_cleanup,
};

EmuNetClient *emu_net_dgram_new(EmuNet *net, const char *id,
                                EmuNetClientKind kind, EmuNetClient *peer,
                                int fd, const struct sockaddr *dst,
                                socklen_t dstlen, const char *info,
                                const char *unlink_path, GError **error)
{
    DgramState *s = g_new0(DgramState, 1);

    s->m = emu_net_machine(net);
    s->fd = fd;
    if (dst && dstlen) {
        memcpy(&s->dst, dst, dstlen);
        s->dstlen = dstlen;
    }
    s->info = g_strdup(info);
    s->unlink_path = g_strdup(unlink_path);
    s->nc = emu_net_client_new(
        net, kind == EMU_NET_CLIENT_DGRAM ? &dgram_ops : &socket_dgram_ops, id,
        peer, s, error);
    if (!s->nc) {
        close(fd);
        g_free(s->info);
        g_free(s->unlink_path);
        g_free(s);
        return NULL;
    }
    s->buf = g_malloc(EMU_NET_BUFSIZE);
    s->w = emu_fd_watch_new(s->m, fd, dgram_ready, s);
    dgram_update_watch(s);
    return s->nc;
}

/* ---- -netdev dgram ----------------------------------------------------- */

typedef enum { ADDR_NONE, ADDR_INET, ADDR_UNIX, ADDR_FD } AddrType;

typedef struct DgramAddr {
    AddrType type;
    const char *host, *port, *path, *str;
} DgramAddr;

/* reads PFX.type and its members (QEMU's flattened SocketAddress) */
static bool dgram_addr(EmuOpts *opts, const char *pfx, DgramAddr *a,
                       GError **error)
{
    g_autofree char *ktype = g_strdup_printf("%s.type", pfx);
    g_autofree char *khost = g_strdup_printf("%s.host", pfx);
    g_autofree char *kport = g_strdup_printf("%s.port", pfx);
    g_autofree char *kpath = g_strdup_printf("%s.path", pfx);
    g_autofree char *kstr = g_strdup_printf("%s.str", pfx);
    const char *type = emu_opts_get(opts, ktype);
    const char *missing = NULL;

    a->host = emu_opts_get(opts, khost);
    a->port = emu_opts_get(opts, kport);
    a->path = emu_opts_get(opts, kpath);
    a->str = emu_opts_get(opts, kstr);
    if (!type) {
        if (a->host || a->port || a->path || a->str) {
            missing = ktype;
            goto missing;
        }
        a->type = ADDR_NONE;
        return true;
    }
    if (!strcmp(type, "inet")) {
        a->type = ADDR_INET;
        missing = !a->host ? khost : !a->port ? kport : NULL;
    } else if (!strcmp(type, "unix")) {
        a->type = ADDR_UNIX;
        missing = !a->path ? kpath : NULL;
    } else if (!strcmp(type, "fd")) {
        a->type = ADDR_FD;
        missing = !a->str ? kstr : NULL;
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter '%s' does not accept value '%s'", ktype, type);
        return false;
    }
    if (!missing) {
        return true;
    }
missing:
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "parameter '%s' is missing", missing);
    return false;
}

static bool unix_addr(const char *path, struct sockaddr_un *sun, GError **error)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "UNIX socket path '%s' is too long", path);
        return false;
    }
    strcpy(sun->sun_path, path);
    return true;
}

/* QEMU's net_dgram_mcast_init(): remote is a multicast group */
static EmuNetClient *dgram_mcast(EmuNet *net, const char *id,
                                 EmuNetClient *peer,
                                 const struct sockaddr_in *group,
                                 const DgramAddr *local, GError **error)
{
    g_autofree char *info = NULL;
    char a[16];
    int fd;

    emu_net_format_in(group, a);
    if (local->type == ADDR_NONE) {
        fd = emu_net_mcast_socket(group, NULL, error);
        info = g_strdup_printf("mcast=%s:%d", a, ntohs(group->sin_port));
    } else if (local->type == ADDR_INET) {
        struct in_addr ifaddr;

        if (!inet_aton(local->host, &ifaddr)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "localaddr '%s' is not a valid IPv4 address",
                        local->host);
            return NULL;
        }
        fd = emu_net_mcast_socket(group, &ifaddr, error);
        info = g_strdup_printf("mcast=%s:%d", a, ntohs(group->sin_port));
    } else if (local->type == ADDR_FD) {
        /* a socket shared with another process: QEMU makes its own
         * membership on the same group (its "clone") in the fd's place */
        int newfd;

        fd = emu_net_parse_fd(id, local->str, error);
        if (fd < 0) {
            return NULL;
        }
        newfd = emu_net_mcast_socket(group, NULL, error);
        if (newfd < 0) {
            close(fd);
            return NULL;
        }
        dup3(newfd, fd, O_CLOEXEC);
        close(newfd);
        info = g_strdup_printf("fd=%d (cloned mcast=%s:%d)", fd, a,
                               ntohs(group->sin_port));
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "only support inet or fd type for local");
        return NULL;
    }
    if (fd < 0) {
        return NULL;
    }
    return emu_net_dgram_new(net, id, EMU_NET_CLIENT_DGRAM, peer, fd,
                             (const struct sockaddr *)group, sizeof(*group),
                             info, NULL, error);
}

static int bound_socket(int family, const struct sockaddr *sa, socklen_t len,
                        const char *what, GError **error)
{
    int one = 1;
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't create datagram socket: %s", g_strerror(errno));
        return -1;
    }
    if (family == AF_INET &&
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't set socket option SO_REUSEADDR: %s",
                    g_strerror(errno));
        close(fd);
        return -1;
    }
    if (bind(fd, sa, len) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't bind %s to socket: %s", what, g_strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

EmuNetClient *emu_net_dgram_init(EmuNet *net, const char *id, EmuOpts *opts,
                                 EmuNetClient *peer, GError **error)
{
    DgramAddr remote, local;
    g_autofree char *info = NULL;
    int fd;

    if (!dgram_addr(opts, "remote", &remote, error) ||
        !dgram_addr(opts, "local", &local, error) ||
        !emu_opts_check_unused(opts, NULL, error)) {
        return NULL;
    }
    /* a multicast remote makes a multicast socket */
    if (remote.type == ADDR_INET) {
        struct sockaddr_in group;

        if (!emu_net_convert_host_port(remote.host, remote.port, &group,
                                       error)) {
            return NULL;
        }
        if (IN_MULTICAST(ntohl(group.sin_addr.s_addr))) {
            return dgram_mcast(net, id, peer, &group, &local, error);
        }
    }
    if (local.type == ADDR_NONE) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "dgram requires local= parameter");
        return NULL;
    }
    if (remote.type != ADDR_NONE) {
        if (local.type == ADDR_FD) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "don't set remote with local.fd");
            return NULL;
        }
        if (remote.type != local.type) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "remote and local types must be the same");
            return NULL;
        }
    } else if (local.type != ADDR_FD) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "type=inet or type=unix requires remote parameter");
        return NULL;
    }

    if (local.type == ADDR_INET) {
        struct sockaddr_in laddr, raddr;
        char l[16], r[16];

        if (!emu_net_convert_host_port(local.host, local.port, &laddr, error) ||
            !emu_net_convert_host_port(remote.host, remote.port, &raddr,
                                       error)) {
            return NULL;
        }
        emu_net_format_in(&laddr, l);
        emu_net_format_in(&raddr, r);
        {
            g_autofree char *what = g_strdup_printf("ip=%s", l);

            fd = bound_socket(AF_INET, (struct sockaddr *)&laddr, sizeof(laddr),
                              what, error);
        }
        if (fd < 0) {
            return NULL;
        }
        info = g_strdup_printf("udp=%s:%d/%s:%d", l, ntohs(laddr.sin_port), r,
                               ntohs(raddr.sin_port));
        return emu_net_dgram_new(net, id, EMU_NET_CLIENT_DGRAM, peer, fd,
                                 (struct sockaddr *)&raddr, sizeof(raddr), info,
                                 NULL, error);
    }
    if (local.type == ADDR_UNIX) {
        struct sockaddr_un laddr, raddr;
        g_autofree char *what = NULL;

        if (!unix_addr(local.path, &laddr, error) ||
            !unix_addr(remote.path, &raddr, error)) {
            return NULL;
        }
        if (unlink(local.path) < 0 && errno != ENOENT) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "failed to unlink socket %s: %s", local.path,
                        g_strerror(errno));
            return NULL;
        }
        what = g_strdup_printf("unix=%s", local.path);
        fd = bound_socket(AF_UNIX, (struct sockaddr *)&laddr, sizeof(laddr),
                          what, error);
        if (fd < 0) {
            return NULL;
        }
        info = g_strdup_printf("udp=%s:%s", local.path, remote.path);
        return emu_net_dgram_new(net, id, EMU_NET_CLIENT_DGRAM, peer, fd,
                                 (struct sockaddr *)&raddr, sizeof(raddr), info,
                                 local.path, error);
    }
    /* local.type=fd: a socket the caller set up, connected */
    {
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);

        fd = emu_net_parse_fd(id, local.str, error);
        if (fd < 0) {
            return NULL;
        }
        if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
            info = g_strdup_printf("fd=%d %s", fd,
                                   ss.ss_family == AF_UNIX ? "unix" : "inet");
        } else {
            info = g_strdup_printf("fd=%d", fd);
        }
        return emu_net_dgram_new(net, id, EMU_NET_CLIENT_DGRAM, peer, fd, NULL,
                                 0, info, NULL, error);
    }
}
