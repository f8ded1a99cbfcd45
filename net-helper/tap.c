/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-helper/tap.c: TAP creation, bridge enslaving and fd passing. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>

#include <glib/gi18n.h>

#include "net-helper/tap.h"
#include "common/fdpass.h"

G_DEFINE_QUARK(vmkit-tap-error-quark, vmkit_tap_error)

/*
 * References:
 * - TUN/TAP: Documentation/networking/tuntap.rst (TUNSETIFF, IFF_TAP,
 *   IFF_NO_PI, IFF_VNET_HDR, TUNGETFEATURES).  The TAP is never made
 *   persistent (no TUNSETPERSIST), so it lives exactly as long as an fd.
 * - interface ioctls: netdevice(7) (SIOCGIFMTU/SIOCSIFMTU,
 *   SIOCGIFHWADDR/SIOCSIFHWADDR, SIOCGIFINDEX, SIOCGIFFLAGS/SIOCSIFFLAGS).
 * - bridge ports: SIOCBRADDIF/SIOCBRDELIF (linux/sockios.h, ifr_ifindex =
 *   the port), the ioctls brctl(8) uses.
 */

static void tap_set_name(struct ifreq *ifr, const char *name)
{
    memset(ifr, 0, sizeof(*ifr));
    g_strlcpy(ifr->ifr_name, name, sizeof(ifr->ifr_name));
}

/* Sets @error from errno for an operation described by @what */
static void tap_errno(GError **error, int err, const char *what)
{
    g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                "%s: %s", what, g_strerror(err));
}

/* Takes port @tap out of @bridge; errors ignored (cleanup path). */
static void tap_unbridge(int ctl, const char *tap, const char *bridge)
{
    struct ifreq ifr;
    int index;

    tap_set_name(&ifr, tap);
    if (ioctl(ctl, SIOCGIFINDEX, &ifr) < 0) {
        return;
    }
    index = ifr.ifr_ifindex;
    tap_set_name(&ifr, bridge);
    ifr.ifr_ifindex = index;
    (void)ioctl(ctl, SIOCBRDELIF, &ifr);
}

int vmkit_tap_create(int tun, const char *bridge, gboolean use_vnet,
                     GError **error)
{
    struct ifreq ifr;
    char tap[IFNAMSIZ] = "";
    g_autofree char *what = NULL;
    gboolean enslaved = FALSE;
    unsigned int features = 0;
    int ctl, fd = tun, mtu, index, err;

    /* Any socket carries the interface ioctls; AF_LOCAL needs no IP. */
    ctl = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (ctl < 0) {
        tap_errno(error, errno, _("cannot open a control socket"));
        close(fd);
        return -1;
    }

    /* The bridge must exist; its MTU goes to the TAP. */
    tap_set_name(&ifr, bridge);
    if (ioctl(ctl, SIOCGIFMTU, &ifr) < 0) {
        err = errno;
        if (err == ENODEV) {
            g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                        _("bridge '%s' does not exist"), bridge);
        } else {
            what = g_strdup_printf(_("cannot read the MTU of '%s'"), bridge);
            tap_errno(error, err, what);
        }
        goto fail;
    }
    mtu = ifr.ifr_mtu;

    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (use_vnet && ioctl(fd, TUNGETFEATURES, &features) == 0 &&
        (features & IFF_VNET_HDR)) {
        ifr.ifr_flags |= IFF_VNET_HDR;
    }
    /* "tap%d": the kernel picks the first free number. */
    g_strlcpy(ifr.ifr_name, "tap%d", sizeof(ifr.ifr_name));
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        tap_errno(error, errno, _("cannot create a tap device"));
        goto fail;
    }
    g_strlcpy(tap, ifr.ifr_name, sizeof(tap));

    tap_set_name(&ifr, tap);
    ifr.ifr_mtu = mtu;
    if (ioctl(ctl, SIOCSIFMTU, &ifr) < 0) {
        what = g_strdup_printf(_("cannot set the MTU of '%s' to %d"),
                               tap, mtu);
        tap_errno(error, errno, what);
        goto fail;
    }

    /*
     * A bridge without a MAC set by hand takes the lowest MAC of its
     * ports; 0xfe as first byte (locally administered, unicast) keeps the
     * TAP above the usual ones, so the bridge keeps its address.
     */
    tap_set_name(&ifr, tap);
    if (ioctl(ctl, SIOCGIFHWADDR, &ifr) < 0) {
        what = g_strdup_printf(_("cannot read the MAC of '%s'"), tap);
        tap_errno(error, errno, what);
        goto fail;
    }
    ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
    if (ioctl(ctl, SIOCSIFHWADDR, &ifr) < 0) {
        what = g_strdup_printf(_("cannot set the MAC of '%s'"), tap);
        tap_errno(error, errno, what);
        goto fail;
    }

    tap_set_name(&ifr, tap);
    if (ioctl(ctl, SIOCGIFINDEX, &ifr) < 0) {
        what = g_strdup_printf(_("cannot find the index of '%s'"), tap);
        tap_errno(error, errno, what);
        goto fail;
    }
    index = ifr.ifr_ifindex;
    tap_set_name(&ifr, bridge);
    ifr.ifr_ifindex = index;
    if (ioctl(ctl, SIOCBRADDIF, &ifr) < 0) {
        what = g_strdup_printf(_("cannot add '%s' to bridge '%s'"),
                               tap, bridge);
        tap_errno(error, errno, what);
        goto fail;
    }
    enslaved = TRUE;

    tap_set_name(&ifr, tap);
    if (ioctl(ctl, SIOCGIFFLAGS, &ifr) < 0) {
        what = g_strdup_printf(_("cannot read the flags of '%s'"), tap);
        tap_errno(error, errno, what);
        goto fail;
    }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(ctl, SIOCSIFFLAGS, &ifr) < 0) {
        what = g_strdup_printf(_("cannot bring '%s' up"), tap);
        tap_errno(error, errno, what);
        goto fail;
    }

    close(ctl);
    return fd;

fail:
    if (enslaved) {
        tap_unbridge(ctl, tap, bridge);
    }
    close(fd);
    close(ctl);
    return -1;
}

void vmkit_tap_destroy(int fd, const char *bridge)
{
    struct ifreq ifr;
    int ctl;

    memset(&ifr, 0, sizeof(ifr));
    ctl = socket(AF_LOCAL, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (ctl >= 0 && ioctl(fd, TUNGETIFF, &ifr) == 0) {
        char tap[IFNAMSIZ];

        g_strlcpy(tap, ifr.ifr_name, sizeof(tap));
        tap_unbridge(ctl, tap, bridge);
    }
    if (ctl >= 0) {
        close(ctl);
    }
    close(fd);
}

gboolean vmkit_tap_check_socket(int sock, GError **error)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    struct stat st;
    int type;
    socklen_t tlen = sizeof(type);

    if (fstat(sock, &st) < 0) {
        g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                    _("--fd=%d: %s"), sock, g_strerror(errno));
        return FALSE;
    }
    if (!S_ISSOCK(st.st_mode) ||
        getsockname(sock, (struct sockaddr *)&ss, &len) < 0 ||
        ss.ss_family != AF_UNIX ||
        getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 ||
        type != SOCK_STREAM) {
        g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                    _("--fd=%d is not a unix stream socket"), sock);
        return FALSE;
    }
    return TRUE;
}

gboolean vmkit_tap_send_fd(int sock, int fd, GError **error)
{
    if (vmkit_fd_send(sock, fd) < 0) {
        tap_errno(error, errno, _("cannot send the tap fd"));
        return FALSE;
    }
    return TRUE;
}
