/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/netdev.c: what a starting domain's interfaces need from the host:
 * daemon hub ports, TAP devices (created, bridged, or opened by name). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/sockios.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "daemon/build.h"
#include "daemon/error.h"
#include "daemon/netdev.h"
#include "common/fdpass.h"

/*
 * TAP set-up follows libvirt's virNetDevTapCreateInBridgePort() and the
 * bridge helper (net-helper/tap.c, DESIGN.md §5): TUNSETIFF, SIOCSIFHWADDR
 * (0xFE first byte: the bridge must never take the guest's MAC as its
 * own), SIOCGIFMTU of the bridge / SIOCSIFMTU, SIOCBRADDIF, IFF_UP
 * (netdevice(7), Documentation/networking/tuntap.rst).
 */

#define VMD_HELPER_TIMEOUT_MS 10000

typedef struct {
    VmdHub *hub; /* hub port, or NULL */
    char *port;
    int fd; /* for the engine, until spawned */
} VmdNetRes;

struct _VmdNetRun {
    char *base;  /* RUNDIR/UUID: hub sockets are vmd_build_hub_path() */
    GArray *res; /* VmdNetRes per interface */
    int *fds;    /* per interface, for build.c */
};

char *vmd_netdev_bridge_helper(void)
{
    const char *env = g_getenv("VMKIT_BRIDGE_HELPER");

    if (env != NULL && env[0] != '\0') {
        return g_strdup(env);
    }
    return g_build_filename(LIBEXECDIR, "vmkit-bridge-helper", NULL);
}

/* ---- TAP devices --------------------------------------------------------- */

static gboolean vmd_ioctl_fail(GError **error, const char *what,
                               const char *ifname)
{
    int err = errno;

    g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED, _("%s '%s': %s"), what,
                ifname, g_strerror(err));
    return FALSE;
}

static gboolean vmd_ifreq_name(struct ifreq *ifr, const char *name,
                               GError **error)
{
    memset(ifr, 0, sizeof(*ifr));
    if (strlen(name) >= IFNAMSIZ) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("interface name '%s' is too long"), name);
        return FALSE;
    }
    strcpy(ifr->ifr_name, name);
    return TRUE;
}

/*
 * Opens /dev/net/tun as @name (a pattern with %d when creating). When
 * @must_exist, the device is never created: libvirt's managed='no'.
 * Returns the fd and the final name in @out (IFNAMSIZ).
 */
static int vmd_tap_open(const char *name, gboolean must_exist, char *out,
                        GError **error)
{
    struct ifreq ifr;
    int fd;

    if (must_exist && if_nametoindex(name) == 0) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("the TAP device '%s' does not exist (target "
                      "managed='no' uses an existing one)"),
                    name);
        return -1;
    }
    if (!vmd_ifreq_name(&ifr, name, error)) {
        return -1;
    }
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;

        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("cannot open /dev/net/tun: %s"), g_strerror(err));
        return -1;
    }
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int err = errno;

        close(fd);
        errno = err;
        vmd_ioctl_fail(error,
                       must_exist ? _("cannot open the TAP device")
                                  : _("cannot create the TAP device"),
                       name);
        if (err == EPERM && !must_exist) {
            g_prefix_error(error, "%s",
                           _("(a vmd that is not root can only use existing "
                             "TAPs, with managed='no') "));
        }
        return -1;
    }
    g_strlcpy(out, ifr.ifr_name, IFNAMSIZ);
    return fd;
}

/* MAC, MTU (from @bridge), enslave to @bridge, up; NULL @bridge: MAC, up. */
static gboolean vmd_tap_setup_with(int s, const char *tap, const guint8 mac[6],
                                   const char *bridge, GError **error)
{
    struct ifreq ifr;

    if (!vmd_ifreq_name(&ifr, tap, error)) {
        return FALSE;
    }
    ifr.ifr_hwaddr.sa_family = 1; /* ARPHRD_ETHER */
    memcpy(ifr.ifr_hwaddr.sa_data, mac, 6);
    ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
    if (ioctl(s, SIOCSIFHWADDR, &ifr) < 0) {
        return vmd_ioctl_fail(error, _("cannot set the MAC address of"), tap);
    }
    if (bridge != NULL) {
        int mtu, index = (int)if_nametoindex(tap);

        if (!vmd_ifreq_name(&ifr, bridge, error)) {
            return FALSE;
        }
        if (ioctl(s, SIOCGIFMTU, &ifr) < 0) {
            return vmd_ioctl_fail(error, _("cannot get the MTU of bridge"),
                                  bridge);
        }
        mtu = ifr.ifr_mtu;
        vmd_ifreq_name(&ifr, tap, NULL);
        ifr.ifr_mtu = mtu;
        if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
            return vmd_ioctl_fail(error, _("cannot set the MTU of"), tap);
        }
        vmd_ifreq_name(&ifr, bridge, NULL);
        ifr.ifr_ifindex = index;
        if (ioctl(s, SIOCBRADDIF, &ifr) < 0) {
            g_autofree char *what =
                g_strdup_printf(_("cannot add %s to the bridge"), tap);

            return vmd_ioctl_fail(error, what, bridge);
        }
    }
    vmd_ifreq_name(&ifr, tap, NULL);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
        return vmd_ioctl_fail(error, _("cannot get the flags of"), tap);
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
        return vmd_ioctl_fail(error, _("cannot bring up"), tap);
    }
    return TRUE;
}

static gboolean vmd_tap_setup(const char *tap, const guint8 mac[6],
                              const char *bridge, GError **error)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    gboolean ok;

    if (s < 0) {
        return vmd_ioctl_fail(error, _("cannot set up"), tap);
    }
    ok = vmd_tap_setup_with(s, tap, mac, bridge, error);
    close(s);
    return ok;
}

/*
 * A session vmd: "HELPER --br=BR --fd=N" (no --use-vnet: the NICs do not
 * take a vnet header). Short and synchronous: the helper creates the TAP
 * and exits; bounded by VMD_HELPER_TIMEOUT_MS.
 */
static int vmd_tap_from_helper(const char *bridge, char *name, GError **error)
{
    g_autofree char *helper = vmd_netdev_bridge_helper();
    g_autofree char *br_arg = g_strconcat("--br=", bridge, NULL);
    g_autofree char *fd_arg = NULL;
    g_autoptr(GString) err_text = g_string_new(NULL);
    const char *argv[4];
    int sv[2], err_fd = -1, fd = -1, status = 0;
    gint64 deadline = g_get_monotonic_time() + VMD_HELPER_TIMEOUT_MS * 1000;
    gboolean sock_done = FALSE, err_done = FALSE;
    GPid pid;
    struct ifreq ifr;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        vmd_ioctl_fail(error, _("cannot create a socket pair for"), helper);
        return -1;
    }
    fd_arg = g_strdup_printf("--fd=%d", sv[1]);
    argv[0] = helper;
    argv[1] = br_arg;
    argv[2] = fd_arg;
    argv[3] = NULL;
    if (!g_spawn_async_with_pipes_and_fds(
            NULL, argv, NULL,
            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL |
                G_SPAWN_STDOUT_TO_DEV_NULL,
            NULL, NULL, -1, -1, -1, &sv[1], &sv[1], 1, &pid, NULL, NULL,
            &err_fd, error)) {
        close(sv[0]);
        close(sv[1]);
        g_prefix_error(error, _("cannot run the bridge helper: "));
        return -1;
    }
    close(sv[1]);
    /* the fd, and the helper's messages until it closes stderr */
    while (!(sock_done && err_done)) {
        struct pollfd p[2] = {{.fd = sock_done ? -1 : sv[0], .events = POLLIN},
                              {.fd = err_done ? -1 : err_fd, .events = POLLIN}};
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        char buf[512];

        if (left <= 0 || poll(p, 2, (int)left) == 0) {
            kill(pid, SIGKILL);
            break;
        }
        if (p[0].revents != 0) {
            fd = vmkit_fd_recv(sv[0]);
            sock_done = TRUE;
        }
        if (p[1].revents != 0) {
            ssize_t n = read(err_fd, buf, sizeof(buf));

            if (n > 0 && err_text->len < 4096) {
                g_string_append_len(err_text, buf, n);
            } else if (n <= 0 && !(n < 0 && errno == EINTR)) {
                err_done = TRUE;
            }
        }
    }
    close(sv[0]);
    close(err_fd);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_spawn_close_pid(pid);
    g_strstrip(err_text->str);
    if (fd < 0 || !g_spawn_check_wait_status(status, NULL)) {
        if (fd >= 0) {
            close(fd);
        }
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("the bridge helper %s gave no TAP for bridge '%s'%s%s"),
                    helper, bridge, err_text->str[0] ? ": " : "",
                    err_text->str);
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
        vmd_ioctl_fail(error, _("cannot get the name of the TAP of"), bridge);
        close(fd);
        return -1;
    }
    g_strlcpy(name, ifr.ifr_name, IFNAMSIZ);
    return fd;
}

/* bridge and ethernet interfaces: the TAP fd; @net->target_dev its name */
static int vmd_netdev_tap(VmdNetDef *net, GError **error)
{
    char name[IFNAMSIZ];
    const char *want = net->target_dev != NULL ? net->target_dev : "vnet%d";
    gboolean root = geteuid() == 0;
    int fd;

    if (net->type == VMD_NET_ETHERNET &&
        net->target_managed == VMD_TRISTATE_NO) {
        if (net->target_dev == NULL) {
            g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                                _("target managed='no' needs a dev name"));
            return -1;
        }
        return vmd_tap_open(net->target_dev, TRUE, name, error);
    }
    if (net->type == VMD_NET_BRIDGE && if_nametoindex(net->source_name) == 0) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("the bridge '%s' does not exist"), net->source_name);
        return -1;
    }
    if (net->type == VMD_NET_BRIDGE && !root) {
        fd = vmd_tap_from_helper(net->source_name, name, error);
    } else {
        if (net->target_dev != NULL && if_nametoindex(net->target_dev) != 0) {
            g_set_error(error, VMD_ERROR, VMD_ERROR_EXISTS,
                        _("the network device '%s' already exists (use "
                          "type='ethernet' with managed='no' to use it)"),
                        net->target_dev);
            return -1;
        }
        fd = vmd_tap_open(want, FALSE, name, error);
        if (fd >= 0 &&
            !vmd_tap_setup(
                name, net->mac,
                net->type == VMD_NET_BRIDGE ? net->source_name : NULL, error)) {
            close(fd); /* non-persistent: it goes with its last fd */
            fd = -1;
        }
    }
    if (fd >= 0) {
        g_free(net->target_dev);
        net->target_dev = g_strdup(name);
    }
    return fd;
}

/* ---- per domain ---------------------------------------------------------- */

static void vmd_net_res_clear(VmdNetRes *r)
{
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
    if (r->hub != NULL) {
        vmd_hub_remove_port(r->hub, r->port);
        r->hub = NULL;
    }
    g_clear_pointer(&r->port, g_free);
}

void vmd_net_run_free(VmdNetRun *nr)
{
    if (nr == NULL) {
        return;
    }
    for (guint i = 0; i < nr->res->len; i++) {
        vmd_net_res_clear(&g_array_index(nr->res, VmdNetRes, i));
    }
    g_array_unref(nr->res);
    g_free(nr->fds);
    g_free(nr->base);
    g_free(nr);
}

/* The host side of one interface: a hub port, a TAP, or nothing. */
static gboolean vmd_net_res_prepare(VmdNetRes *r, VmdHubs *hubs,
                                    const char *base, const char *domain,
                                    const char *uuid, VmdNetDef *net, guint i,
                                    gboolean hubs_only, GError **error)
{
    g_autofree char *alias = vmd_build_net_id(net, i);
    GError *err = NULL;

    r->hub = NULL;
    r->port = NULL;
    r->fd = -1;
    switch (net->type) {
    case VMD_NET_NETWORK:
    case VMD_NET_HUB: {
        g_autofree char *path = vmd_build_hub_path(base, net, i);

        r->hub = hubs != NULL ? vmd_hubs_lookup(hubs, net->source_name) : NULL;
        if (r->hub == NULL) {
            g_set_error(&err, VMD_ERROR, VMD_ERROR_NO_HUB,
                        _("interface %u: no hub named '%s' (create it "
                          "with HubCreate)"),
                        i, net->source_name);
            break;
        }
        /* the engine connects to it (build.c: -netdev stream) */
        if (!vmd_hub_add_port(r->hub, domain, uuid, alias, path, &err)) {
            r->hub = NULL;
            g_prefix_error(&err, _("interface %u: "), i);
            break;
        }
        r->port = g_strdup_printf("%s.%s", domain, alias);
        break;
    }
    case VMD_NET_BRIDGE:
    case VMD_NET_ETHERNET:
        if (hubs_only) {
            break; /* re-attach: the engine has its TAP */
        }
        r->fd = vmd_netdev_tap(net, &err);
        if (r->fd < 0) {
            g_prefix_error(&err, _("interface %u: "), i);
        }
        break;
    default:
        break;
    }
    if (err != NULL) {
        g_propagate_error(error, err);
        return FALSE;
    }
    return TRUE;
}

VmdNetRun *vmd_net_run_new(const char *base)
{
    VmdNetRun *nr = g_new0(VmdNetRun, 1);

    nr->base = g_strdup(base);
    nr->res = g_array_new(FALSE, TRUE, sizeof(VmdNetRes));
    nr->fds = g_new(int, 1);
    return nr;
}

/* nr->fds mirrors the resources' fds (build.c reads it) */
static void vmd_net_run_sync_fds(VmdNetRun *nr)
{
    nr->fds = g_renew(int, nr->fds, MAX(nr->res->len, 1));
    for (guint i = 0; i < nr->res->len; i++) {
        nr->fds[i] = g_array_index(nr->res, VmdNetRes, i).fd;
    }
}

VmdNetRun *vmd_netdev_prepare(VmdHubs *hubs, const char *base,
                              const char *domain, const char *uuid,
                              VmdDomainDef *live, GError **error)
{
    VmdNetRun *nr = vmd_net_run_new(base);

    for (guint i = 0; i < live->nets->len; i++) {
        if (vmd_net_run_add(nr, hubs, domain, uuid, live, i, error) < -1) {
            vmd_net_run_free(nr);
            return NULL;
        }
    }
    return nr;
}

VmdNetRun *vmd_netdev_rejoin(VmdHubs *hubs, const char *base,
                             const char *domain, const char *uuid,
                             VmdDomainDef *live)
{
    VmdNetRun *nr = vmd_net_run_new(base);

    for (guint i = 0; i < live->nets->len; i++) {
        VmdNetRes r = {NULL, NULL, -1};
        g_autoptr(GError) error = NULL;

        if (!vmd_net_res_prepare(&r, hubs, base, domain, uuid,
                                 g_ptr_array_index(live->nets, i), i, TRUE,
                                 &error)) {
            /* that interface stays unconnected; the others work */
            g_warning(_("domain '%s': %s"), domain, error->message);
        }
        g_array_append_val(nr->res, r);
    }
    vmd_net_run_sync_fds(nr);
    return nr;
}

int vmd_net_run_add(VmdNetRun *nr, VmdHubs *hubs, const char *domain,
                    const char *uuid, VmdDomainDef *live, guint i,
                    GError **error)
{
    VmdNetRes r = {NULL, NULL, -1};
    VmdNetDef *net = g_ptr_array_index(live->nets, i);

    /* a run re-attached after a restart starts with nothing recorded */
    while (nr->res->len < i) {
        g_array_append_val(nr->res, r);
    }
    if (!vmd_net_res_prepare(&r, hubs, nr->base, domain, uuid, net, i, FALSE,
                             error)) {
        vmd_net_run_sync_fds(nr);
        return -2;
    }
    g_array_insert_val(nr->res, i, r);
    vmd_net_run_sync_fds(nr);
    return r.fd;
}

void vmd_net_run_remove(VmdNetRun *nr, guint i)
{
    if (i >= nr->res->len) {
        return;
    }
    vmd_net_res_clear(&g_array_index(nr->res, VmdNetRes, i));
    g_array_remove_index(nr->res, i);
    vmd_net_run_sync_fds(nr);
}

const int *vmd_net_run_fds(VmdNetRun *nr, guint *n)
{
    *n = nr->res->len;
    return nr->fds;
}

void vmd_net_run_spawned(VmdNetRun *nr)
{
    for (guint i = 0; i < nr->res->len; i++) {
        VmdNetRes *r = &g_array_index(nr->res, VmdNetRes, i);

        if (r->fd >= 0) {
            close(r->fd);
            r->fd = -1;
        }
    }
    vmd_net_run_sync_fds(nr);
}
