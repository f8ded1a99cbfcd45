/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.c: -netdev tap as QEMU 7.2's net/tap.c and tap-linux.c — a Linux TAP
 * (IFF_TAP | IFF_NO_PI, virtio-net header when the kernel has it) made
 * here or passed as fd=/fds= or by a bridge helper, the up and down
 * scripts, bounded read bursts and QEMU's short-frame padding. The
 * TUN/TAP interface is Documentation/networking/tuntap.rst. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <linux/if_tun.h>

#include "emu-error.h"
#include "engine/net/backends.h"
#include "engine/net/net-internal.h"

#define PATH_NET_TUN       "/dev/net/tun"
#define DEFAULT_SCRIPT     SYSCONFDIR "/vmkit/vmkit-ifup"
#define DEFAULT_DOWNSCRIPT SYSCONFDIR "/vmkit/vmkit-ifdown"

/* struct virtio_net_hdr (virtio 1.2 §5.1.6): what IFF_VNET_HDR prepends.
 * No NIC negotiates offloads yet, so it is always zero on the way out and
 * ignored on the way in (TUNSETOFFLOAD 0 keeps the kernel from sending
 * GSO frames or partial checksums). */
#define VNET_HDR_LEN 10

typedef struct TapState {
    EmuNetClient *nc;
    EmuMachine *m;
    int fd;
    EmuFdWatch *w;
    unsigned vnet_hdr_len; /* 0 or VNET_HDR_LEN */
    bool read_paused;      /* a frame waits at our peer */
    bool write_blocked;    /* the TAP's queue is full: flush when writable */
    uint8_t *buf;
    char *info;
    char *ifname;
    char *downscript; /* run at cleanup with ifname; NULL: none */
} TapState;

/* ---- scripts ---------------------------------------------------------- */

/* QEMU's launch_script(): SCRIPT IFNAME, waited for; exit 0 or an error.
 * Unlike QEMU the script does not inherit the TAP fd: a daemon it starts
 * would keep the TAP alive after the VM. */
static bool run_script(const char *script, const char *ifname, GError **error)
{
    char *argv[] = {(char *)script, (char *)ifname, NULL};
    pid_t pid = emu_net_spawn(argv, -1, -1, error);
    int status;

    if (pid < 0) {
        g_prefix_error(error, "network script failed: ");
        return false;
    }
    status = emu_net_wait(pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return true;
    }
    if (WIFSIGNALED(status)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED,
                    "network script %s was killed by signal %d", script,
                    WTERMSIG(status));
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED,
                    "network script %s failed with status %d", script,
                    WEXITSTATUS(status));
    }
    return false;
}

/* a script option: NULL, "" and "no" mean none */
static bool script_wanted(const char *script)
{
    return script && script[0] && strcmp(script, "no") != 0;
}

/* ---- the TAP ---------------------------------------------------------- */

bool emu_net_tap_probe(int fd, bool *vnet_hdr, GError **error)
{
    struct ifreq ifr;

    memset(&ifr, 0, sizeof(ifr));
    if (ioctl(fd, TUNGETIFF, &ifr) != 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "Unable to query TUNGETIFF on FD %d: %s", fd,
                    g_strerror(errno));
        return false;
    }
    if (vnet_hdr) {
        *vnet_hdr = (ifr.ifr_flags & IFF_VNET_HDR) != 0;
    }
    return true;
}

/* QEMU's tap_open() (tap-linux.c): @ifname in/out, IFNAMSIZ bytes */
static int tap_open(char *ifname, bool want_vnet, bool vnet_required,
                    GError **error)
{
    unsigned int features = 0;
    struct ifreq ifr;
    int fd;

    fd = open(PATH_NET_TUN, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "could not open %s: %s",
                    PATH_NET_TUN, g_strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (ioctl(fd, TUNGETFEATURES, &features) < 0) {
        features = 0;
    }
    if (want_vnet && (features & IFF_VNET_HDR)) {
        ifr.ifr_flags |= IFF_VNET_HDR;
    } else if (vnet_required) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "vnet_hdr=1 requested, but no kernel support for "
                    "IFF_VNET_HDR available");
        close(fd);
        return -1;
    }
    g_strlcpy(ifr.ifr_name, ifname[0] ? ifname : "tap%d", IFNAMSIZ);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        if (ifname[0]) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "could not configure %s (%s): %s", PATH_NET_TUN, ifname,
                        g_strerror(errno));
        } else {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "could not configure %s: %s", PATH_NET_TUN,
                        g_strerror(errno));
        }
        close(fd);
        return -1;
    }
    g_strlcpy(ifname, ifr.ifr_name, IFNAMSIZ);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

static void tap_update_watch(TapState *s)
{
    emu_fd_watch_set(s->w, (s->read_paused ? 0 : G_IO_IN) |
                               (s->write_blocked ? G_IO_OUT : 0));
}

static void tap_sent(EmuNetClient *nc, ssize_t len)
{
    TapState *s = nc->opaque;

    if (s->read_paused) {
        s->read_paused = false;
        tap_update_watch(s);
    }
}

/* QEMU's tap_send(): at most EMU_NET_BURST frames per wakeup */
static void tap_read(TapState *s)
{
    for (int i = 0; i < EMU_NET_BURST; i++) {
        uint8_t min[60];
        const uint8_t *frame;
        ssize_t n = read(s->fd, s->buf, s->vnet_hdr_len + EMU_NET_BUFSIZE);
        size_t len;

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= (ssize_t)s->vnet_hdr_len) {
            return; /* EAGAIN (drained), or nothing but a header */
        }
        len = n - s->vnet_hdr_len;
        /* QEMU pads what the host sends to the Ethernet minimum (short
         * frames are legal on a TAP, not on a wire) */
        frame = emu_net_pad_short_frame(min, s->buf + s->vnet_hdr_len, &len);
        if (emu_net_send(s->nc, frame, len, tap_sent) == 0) {
            s->read_paused = true;
            return;
        }
    }
    emu_fd_watch_kick(s->w); /* more may be waiting: after other sources */
}

static void tap_ready(void *opaque, GIOCondition rev)
{
    TapState *s = opaque;

    if (s->write_blocked && (rev & (G_IO_OUT | G_IO_ERR))) {
        s->write_blocked = false;
        emu_net_flush_queue(s->nc);
    }
    if (!s->read_paused && (rev == 0 || (rev & (G_IO_IN | G_IO_ERR)))) {
        tap_read(s);
    }
    tap_update_watch(s);
}

static ssize_t tap_receive(EmuNetClient *nc, const struct iovec *iov,
                           int iovcnt)
{
    TapState *s = nc->opaque;
    static const uint8_t zero_hdr[VNET_HDR_LEN];
    struct iovec v[64];
    int n = 0;
    ssize_t r;

    if (iovcnt > (int)G_N_ELEMENTS(v) - 1) {
        return -1;
    }
    if (s->vnet_hdr_len) {
        v[n++] = (struct iovec){.iov_base = (void *)zero_hdr,
                                .iov_len = s->vnet_hdr_len};
    }
    memcpy(v + n, iov, iovcnt * sizeof(*iov));
    n += iovcnt;
    do {
        r = writev(s->fd, v, n);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && errno == EAGAIN) {
        s->write_blocked = true;
        tap_update_watch(s);
        return 0;
    }
    if (r < 0) {
        return -1; /* e.g. EIO while the host interface is down: lost */
    }
    return r > (ssize_t)s->vnet_hdr_len ? r - s->vnet_hdr_len : 0;
}

static void tap_describe(EmuNetClient *nc, GString *out)
{
    TapState *s = nc->opaque;

    g_string_append(out, s->info);
}

static void tap_cleanup(EmuNetClient *nc)
{
    TapState *s = nc->opaque;

    emu_fd_watch_free(s->w);
    /* QEMU runs the down script while the TAP still exists */
    if (s->downscript) {
        g_autoptr(GError) err = NULL;

        if (!run_script(s->downscript, s->ifname, &err)) {
            fprintf(stderr, "vmkit: %s\n", err->message);
        }
    }
    close(s->fd);
    g_free(s->buf);
    g_free(s->info);
    g_free(s->ifname);
    g_free(s->downscript);
    g_free(s);
}

static const EmuNetClientOps tap_ops = {
    .kind = EMU_NET_CLIENT_TAP,
    .receive = tap_receive,
    .describe = tap_describe,
    .cleanup = tap_cleanup,
};

static const EmuNetClientOps bridge_ops = {
    .kind = EMU_NET_CLIENT_BRIDGE,
    .receive = tap_receive,
    .describe = tap_describe,
    .cleanup = tap_cleanup,
};

EmuNetClient *emu_net_tap_client_new(EmuNet *net, const char *id,
                                     EmuNetClientKind kind, EmuNetClient *peer,
                                     int fd, const char *info,
                                     const char *ifname, const char *downscript,
                                     GError **error)
{
    TapState *s;
    bool vnet = false;
    int len = VNET_HDR_LEN;

    if (!emu_net_tap_probe(fd, &vnet, error)) {
        close(fd);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (vnet) {
        /* another user of a persistent TAP may have left another size */
        ioctl(fd, TUNSETVNETHDRSZ, &len);
    }
    /* plain frames: no GSO, no partial checksums (QEMU's
     * tap_set_offload(0, ...) until a NIC negotiates them) */
    ioctl(fd, TUNSETOFFLOAD, 0);

    s = g_new0(TapState, 1);
    s->m = emu_net_machine(net);
    s->fd = fd;
    s->vnet_hdr_len = vnet ? VNET_HDR_LEN : 0;
    s->info = g_strdup(info);
    s->ifname = g_strdup(ifname);
    s->downscript = script_wanted(downscript) ? g_strdup(downscript) : NULL;
    s->nc = emu_net_client_new(
        net, kind == EMU_NET_CLIENT_BRIDGE ? &bridge_ops : &tap_ops, id, peer,
        s, error);
    if (!s->nc) {
        /* no down script: the up script's work goes with the TAP */
        close(fd);
        g_free(s->info);
        g_free(s->ifname);
        g_free(s->downscript);
        g_free(s);
        return NULL;
    }
    s->buf = g_malloc(VNET_HDR_LEN + EMU_NET_BUFSIZE);
    s->w = emu_fd_watch_new(s->m, fd, tap_ready, s);
    tap_update_watch(s);
    return s->nc;
}

/* ---- -netdev tap ------------------------------------------------------ */

/* QEMU's size type: a number with an optional B/K/M/G/T suffix */
static bool parse_size(const char *str, uint64_t *out)
{
    char *end;
    unsigned long long n;
    int shift = 0;

    errno = 0;
    n = strtoull(str, &end, 10);
    if (end == str || errno || str[0] == '-') {
        return false;
    }
    switch (g_ascii_toupper(*end)) {
    case '\0':
    case 'B':
        shift = 0;
        break;
    case 'K':
        shift = 10;
        break;
    case 'M':
        shift = 20;
        break;
    case 'G':
        shift = 30;
        break;
    case 'T':
        shift = 40;
        break;
    default:
        return false;
    }
    if (*end && end[1]) {
        return false;
    }
    if (shift && n > (UINT64_MAX >> shift)) {
        return false;
    }
    *out = (uint64_t)n << shift;
    return true;
}

static bool tap_set_sndbuf(int fd, const char *sndbuf, GError **error)
{
    uint64_t v = 0;
    int n;

    if (sndbuf && !parse_size(sndbuf, &v)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'sndbuf' expects a size");
        return false;
    }
    /* QEMU: unset or 0 is "unlimited" */
    n = !sndbuf || v == 0 || v > INT_MAX ? INT_MAX : (int)v;
    if (ioctl(fd, TUNSETSNDBUF, &n) < 0 && sndbuf) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "TUNSETSNDBUF ioctl failed: %s", g_strerror(errno));
        return false;
    }
    return true;
}

static bool invalid_with(const char *msg, GError **error)
{
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID, "%s", msg);
    return false;
}

EmuNetClient *emu_net_tap_init(EmuNet *net, const char *id, EmuOpts *opts,
                               EmuNetClient *peer, GError **error)
{
    const char *ifname_opt = emu_opts_get(opts, "ifname");
    const char *script = emu_opts_get(opts, "script");
    const char *downscript = emu_opts_get(opts, "downscript");
    const char *fd_opt = emu_opts_get(opts, "fd");
    const char *fds = emu_opts_get(opts, "fds");
    const char *helper = emu_opts_get(opts, "helper");
    const char *br = emu_opts_get(opts, "br");
    const char *sndbuf = emu_opts_get(opts, "sndbuf");
    const char *queues = emu_opts_get(opts, "queues");
    const char *vhostfd = emu_opts_get(opts, "vhostfd");
    const char *vhostfds = emu_opts_get(opts, "vhostfds");
    bool has_vnet = emu_opts_has(opts, "vnet_hdr");
    bool vnet_hdr, vhost, vhostforce;
    g_autofree char *info = NULL;
    char ifname[IFNAMSIZ] = "";
    EmuNetClient *nc;
    int fd;

    (void)emu_opts_get(opts, "poll-us"); /* vhost busy polling: no vhost */
    if (!emu_opts_get_bool(opts, "vnet_hdr", true, &vnet_hdr, error) ||
        !emu_opts_get_bool(opts, "vhost", false, &vhost, error) ||
        !emu_opts_get_bool(opts, "vhostforce", false, &vhostforce, error) ||
        !emu_opts_check_unused(opts, NULL, error)) {
        return NULL;
    }
    if (peer && (queues || fds || vhostfds)) {
        invalid_with("Multiqueue tap cannot be used with hubs", error);
        return NULL;
    }
    if (vhost || vhostforce || vhostfd || vhostfds) {
        invalid_with("vhost-net is not supported (use vhost=off)", error);
        return NULL;
    }
    if (queues && strcmp(queues, "1") != 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "multiqueue tap is not supported (queues=%s)", queues);
        return NULL;
    }

    if (fd_opt || fds) {
        if (fd_opt && (ifname_opt || script || downscript || has_vnet ||
                       helper || queues || fds)) {
            invalid_with("ifname=, script=, downscript=, vnet_hdr=, "
                         "helper=, queues=, fds=, and vhostfds= are invalid "
                         "with fd=",
                         error);
            return NULL;
        }
        if (fds && (ifname_opt || script || downscript || has_vnet || helper ||
                    queues)) {
            invalid_with("ifname=, script=, downscript=, vnet_hdr=, "
                         "helper=, queues=, and vhostfd= are invalid with "
                         "fds=",
                         error);
            return NULL;
        }
        if (fds && strchr(fds, ':')) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                        "multiqueue tap is not supported (fds=%s)", fds);
            return NULL;
        }
        fd = emu_net_parse_fd(id, fd_opt ? fd_opt : fds, error);
        if (fd < 0) {
            return NULL;
        }
        if (!emu_net_tap_probe(fd, NULL, error)) {
            close(fd);
            return NULL;
        }
        if (!tap_set_sndbuf(fd, sndbuf, error)) {
            close(fd);
            return NULL;
        }
        info = g_strdup_printf("fd=%d", fd);
        return emu_net_tap_client_new(net, id, EMU_NET_CLIENT_TAP, peer, fd,
                                      info, NULL, NULL, error);
    }

    if (helper) {
        if (ifname_opt || script || downscript || has_vnet || queues) {
            invalid_with("ifname=, script=, downscript=, vnet_hdr=, "
                         "queues=, and vhostfds= are invalid with helper=",
                         error);
            return NULL;
        }
        fd = emu_net_bridge_run_helper(helper, br ? br : "br0", error);
        if (fd < 0) {
            return NULL;
        }
        if (!tap_set_sndbuf(fd, sndbuf, error)) {
            close(fd);
            return NULL;
        }
        info = g_strdup_printf("helper=%s", helper);
        return emu_net_tap_client_new(net, id, EMU_NET_CLIENT_TAP, peer, fd,
                                      info, NULL, NULL, error);
    }

    /* a new TAP, named ifname= or tap%d, then the up script */
    if (!script) {
        script = DEFAULT_SCRIPT;
    }
    if (!downscript) {
        downscript = DEFAULT_DOWNSCRIPT;
    }
    if (ifname_opt) {
        if (strlen(ifname_opt) >= IFNAMSIZ) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "ifname '%s' is too long (at most %d characters)",
                        ifname_opt, IFNAMSIZ - 1);
            return NULL;
        }
        g_strlcpy(ifname, ifname_opt, sizeof(ifname));
    }
    fd = tap_open(ifname, vnet_hdr, has_vnet && vnet_hdr, error);
    if (fd < 0) {
        return NULL;
    }
    if (!tap_set_sndbuf(fd, sndbuf, error)) {
        close(fd);
        return NULL;
    }
    if (script_wanted(script) && !run_script(script, ifname, error)) {
        close(fd);
        return NULL;
    }
    info = g_strdup_printf("ifname=%s,script=%s,downscript=%s", ifname, script,
                           downscript);
    nc = emu_net_tap_client_new(net, id, EMU_NET_CLIENT_TAP, peer, fd, info,
                                ifname, downscript, error);
    return nc;
}
