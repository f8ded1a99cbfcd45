/* SPDX-License-Identifier: GPL-2.0-or-later */
/* socket.c: -netdev socket as QEMU 7.2's net/socket.c — listen=,
 * connect= and stream fd= over the stream engine (4-byte big-endian
 * length + frame), mcast=, udp= and datagram fd= over the datagram engine
 * (one frame per datagram), with QEMU's checks, messages and info. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "emu-error.h"
#include "engine/net/backends.h"

static EmuNetClient *socket_fd(EmuNet *net, const char *id, EmuNetClient *peer,
                               const char *str, GError **error)
{
    int fd = emu_net_parse_fd(id, str, error);
    int type = -1;
    socklen_t len = sizeof(type);
    g_autofree char *info = NULL;

    if (fd < 0) {
        return NULL;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "can't get socket option SO_TYPE");
        close(fd);
        return NULL;
    }
    if (type == SOCK_STREAM) {
        EmuNetStream *s = emu_net_stream_new(
            net, id, EMU_NET_CLIENT_SOCKET, EMU_NET_STREAM_SOCKET, peer, error);

        if (!s) {
            close(fd);
            return NULL;
        }
        info = g_strdup_printf("socket: fd=%d", fd);
        emu_net_stream_use_fd(s, fd, true, info);
        return emu_net_stream_client(s);
    }
    if (type == SOCK_DGRAM) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);

        if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "%s: Can't use file descriptor %d: %s", id, fd,
                        g_strerror(errno));
            close(fd);
            return NULL;
        }
        /* the fd's own destination: it must be connected */
        info = g_strdup_printf("socket: fd=%d %s", fd,
                               ss.ss_family == AF_UNIX ? "unix" : "inet");
        return emu_net_dgram_new(net, id, EMU_NET_CLIENT_SOCKET, peer, fd, NULL,
                                 0, info, NULL, error);
    }
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "socket type=%d for fd=%d must be either SOCK_DGRAM or "
                "SOCK_STREAM",
                type, fd);
    close(fd);
    return NULL;
}

/* QEMU's net_socket_listen_init(): waits for one peer at a time */
static EmuNetClient *socket_listen(EmuNet *net, const char *id,
                                   EmuNetClient *peer, const char *hostport,
                                   GError **error)
{
    struct sockaddr_in sin;
    EmuNetStream *s;
    char a[16];
    int one = 1;
    int fd;

    if (!emu_net_parse_host_port(hostport, &sin, error)) {
        return NULL;
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't create stream socket: %s", g_strerror(errno));
        return NULL;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
        emu_net_format_in(&sin, a);
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't bind ip=%s to socket: %s", a, g_strerror(errno));
        close(fd);
        return NULL;
    }
    if (listen(fd, 0) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't listen on socket: %s", g_strerror(errno));
        close(fd);
        return NULL;
    }
    s = emu_net_stream_new(net, id, EMU_NET_CLIENT_SOCKET,
                           EMU_NET_STREAM_SOCKET, peer, error);
    if (!s) {
        close(fd);
        return NULL;
    }
    emu_net_stream_listen(s, fd, NULL);
    return emu_net_stream_client(s);
}

static EmuNetClient *socket_connect(EmuNet *net, const char *id,
                                    EmuNetClient *peer, const char *hostport,
                                    GError **error)
{
    struct sockaddr_in sin;
    g_autofree char *info = NULL;
    EmuNetStream *s;
    char a[16];

    if (!emu_net_parse_host_port(hostport, &sin, error)) {
        return NULL;
    }
    emu_net_format_in(&sin, a);
    info = g_strdup_printf("socket: connect to %s:%d", a, ntohs(sin.sin_port));
    s = emu_net_stream_new(net, id, EMU_NET_CLIENT_SOCKET,
                           EMU_NET_STREAM_SOCKET, peer, error);
    if (!s) {
        return NULL;
    }
    if (!emu_net_stream_connect(s, (struct sockaddr *)&sin, sizeof(sin), 0,
                                info, error)) {
        emu_net_client_free(emu_net_stream_client(s));
        return NULL;
    }
    return emu_net_stream_client(s);
}

static EmuNetClient *socket_mcast(EmuNet *net, const char *id,
                                  EmuNetClient *peer, const char *hostport,
                                  const char *localaddr, GError **error)
{
    struct sockaddr_in group;
    struct in_addr ifaddr;
    g_autofree char *info = NULL;
    char a[16];
    int fd;

    if (!emu_net_parse_host_port(hostport, &group, error)) {
        return NULL;
    }
    if (localaddr && !inet_aton(localaddr, &ifaddr)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "localaddr '%s' is not a valid IPv4 address", localaddr);
        return NULL;
    }
    fd = emu_net_mcast_socket(&group, localaddr ? &ifaddr : NULL, error);
    if (fd < 0) {
        return NULL;
    }
    emu_net_format_in(&group, a);
    info = g_strdup_printf("socket: mcast=%s:%d", a, ntohs(group.sin_port));
    return emu_net_dgram_new(net, id, EMU_NET_CLIENT_SOCKET, peer, fd,
                             (struct sockaddr *)&group, sizeof(group), info,
                             NULL, error);
}

static EmuNetClient *socket_udp(EmuNet *net, const char *id, EmuNetClient *peer,
                                const char *rhost, const char *lhost,
                                GError **error)
{
    struct sockaddr_in laddr, raddr;
    g_autofree char *info = NULL;
    char a[16];
    int one = 1;
    int fd;

    if (!emu_net_parse_host_port(lhost, &laddr, error) ||
        !emu_net_parse_host_port(rhost, &raddr, error)) {
        return NULL;
    }
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't create datagram socket: %s", g_strerror(errno));
        return NULL;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't set socket option SO_REUSEADDR: %s",
                    g_strerror(errno));
        close(fd);
        return NULL;
    }
    if (bind(fd, (struct sockaddr *)&laddr, sizeof(laddr)) < 0) {
        emu_net_format_in(&laddr, a);
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "can't bind ip=%s to socket: %s", a, g_strerror(errno));
        close(fd);
        return NULL;
    }
    emu_net_format_in(&raddr, a);
    info = g_strdup_printf("socket: udp=%s:%d", a, ntohs(raddr.sin_port));
    return emu_net_dgram_new(net, id, EMU_NET_CLIENT_SOCKET, peer, fd,
                             (struct sockaddr *)&raddr, sizeof(raddr), info,
                             NULL, error);
}

EmuNetClient *emu_net_socket_init(EmuNet *net, const char *id, EmuOpts *opts,
                                  EmuNetClient *peer, GError **error)
{
    const char *fd = emu_opts_get(opts, "fd");
    const char *listen_ = emu_opts_get(opts, "listen");
    const char *connect_ = emu_opts_get(opts, "connect");
    const char *mcast = emu_opts_get(opts, "mcast");
    const char *udp = emu_opts_get(opts, "udp");
    const char *localaddr = emu_opts_get(opts, "localaddr");

    if (!emu_opts_check_unused(opts, NULL, error)) {
        return NULL;
    }
    if (!!fd + !!listen_ + !!connect_ + !!mcast + !!udp != 1) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "exactly one of listen=, connect=, mcast= or udp= is "
                    "required");
        return NULL;
    }
    if (localaddr && !mcast && !udp) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "localaddr= is only valid with mcast= or udp=");
        return NULL;
    }
    if (fd) {
        return socket_fd(net, id, peer, fd, error);
    }
    if (listen_) {
        return socket_listen(net, id, peer, listen_, error);
    }
    if (connect_) {
        return socket_connect(net, id, peer, connect_, error);
    }
    if (mcast) {
        return socket_mcast(net, id, peer, mcast, localaddr, error);
    }
    if (!localaddr) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "localaddr= is mandatory with udp=");
        return NULL;
    }
    return socket_udp(net, id, peer, udp, localaddr, error);
}
