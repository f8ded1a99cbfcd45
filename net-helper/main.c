/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-helper/main.c: vmkit-bridge-helper: arguments, privileges, ACL, flow. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cap-ng.h>
#include <glib/gi18n.h>

#include "net-helper/acl.h"
#include "net-helper/tap.h"

/*
 * vmkit-bridge-helper [--use-vnet] --br=BRIDGE --fd=FD
 *
 * The protocol of qemu-bridge-helper (QEMU's docs/system "Network
 * options", -netdev bridge; QEMU's net/tap.c net_bridge_run_helper()):
 * the caller makes a unix stream socketpair, runs the helper with one end
 * as --fd, and reads one byte carrying the TAP fd as SCM_RIGHTS; exit
 * status 0 means success.  So QEMU can run this helper and vmkit can run
 * QEMU's.
 *
 * The ACL path is fixed at build time and nothing at run time can change
 * it: the installed program is setuid root.  The test copy is a separate
 * binary built with another -DVMKIT_BRIDGE_ACL.
 */
#ifndef VMKIT_BRIDGE_ACL
#define VMKIT_BRIDGE_ACL SYSCONFDIR "/vmkit/bridge.conf"
#endif

/* Fixed, not argv[0]: a caller controls argv[0] of a setuid program. */
#define PROGRAM "vmkit-bridge-helper"

enum {
    EXIT_USAGE = 2,
};

static void G_GNUC_PRINTF(1, 2) helper_error(const char *fmt, ...)
{
    va_list ap;

    fputs(PROGRAM ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void usage(FILE *out)
{
    fprintf(out, _("Usage: %s [--use-vnet] --br=BRIDGE --fd=FD\n"), PROGRAM);
}

/*
 * A setuid program may be started with 0, 1 or 2 closed; the next open()
 * would then reuse it and our messages would land in that file.
 */
static void ensure_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            if (open("/dev/null", O_RDWR) != fd) {
                abort();
            }
        }
    }
}

/*
 * Keeps CAP_NET_ADMIN only (effective + permitted, empty bounding set)
 * and becomes the caller's real uid and gid for good (libcap-ng:
 * capng_change_id(3)).  Run setuid root or as root alike.  Run unprivileged
 * (file capabilities, or none), it only sheds every other capability.
 */
static gboolean drop_privileges(GError **error)
{
    uid_t uid = getuid(), ruid, euid, suid;
    gid_t gid = getgid(), rgid, egid, sgid;

    if (geteuid() == 0) {
        capng_clear(CAPNG_SELECT_BOTH);
        if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
                         CAP_NET_ADMIN) < 0 ||
            capng_change_id(uid, gid, CAPNG_CLEAR_BOUNDING) < 0) {
            g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                        N_("cannot drop privileges"));
            return FALSE;
        }
    } else {
        gboolean net_admin;

        capng_get_caps_process();
        net_admin = capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN);
        capng_clear(CAPNG_SELECT_CAPS);
        if ((net_admin &&
             capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
                          CAP_NET_ADMIN) < 0) ||
            capng_apply(CAPNG_SELECT_CAPS) < 0) {
            g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                        N_("cannot drop capabilities"));
            return FALSE;
        }
    }

    /* Trust, but verify: all ids are the caller's and root is gone. */
    if (getresuid(&ruid, &euid, &suid) < 0 ||
        getresgid(&rgid, &egid, &sgid) < 0 ||
        ruid != uid || euid != uid || suid != uid ||
        rgid != gid || egid != gid || sgid != gid ||
        (uid != 0 && setuid(0) == 0)) {
        g_set_error(error, VMKIT_TAP_ERROR, VMKIT_TAP_ERROR_FAILED,
                    N_("cannot drop privileges"));
        return FALSE;
    }
    return TRUE;
}

/* Parses "--fd=N": a non-negative int */
static gboolean parse_fd(const char *s, int *fd)
{
    guint64 v;

    if (!g_ascii_string_to_unsigned(s, 10, 0, G_MAXINT, &v, NULL)) {
        return FALSE;
    }
    *fd = (int)v;
    return TRUE;
}

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(VmkitAcl) acl = NULL;
    const char *bridge = NULL;
    gboolean use_vnet = FALSE, dropped;
    int sock = -1, tun, tun_errno, tap;

    ensure_std_fds();

    /*
     * The one thing done with root's rights: some systems (containers)
     * leave /dev/net/tun 0600.  Nothing is created with it before the ACL
     * allows it, and it is closed at exit either way.
     */
    tun = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    tun_errno = errno;

    /* Then, before reading any input (locale files included). */
    dropped = drop_privileges(&err);

    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);
    if (!dropped) {
        helper_error("%s", _(err->message));
        return EXIT_FAILURE;
    }

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (strcmp(a, "--use-vnet") == 0) {
            use_vnet = TRUE;
        } else if (g_str_has_prefix(a, "--br=") && !bridge) {
            bridge = a + strlen("--br=");
        } else if (g_str_has_prefix(a, "--fd=") && sock < 0) {
            if (!parse_fd(a + strlen("--fd="), &sock)) {
                g_autofree char *shown = g_strescape(a, NULL);

                helper_error(_("invalid option '%s': FD must be a "
                               "non-negative number"), shown);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return EXIT_SUCCESS;
        } else if (strcmp(a, "--version") == 0) {
            printf("%s (%s) %s\n", PROGRAM, PACKAGE_NAME, PACKAGE_VERSION);
            return EXIT_SUCCESS;
        } else {
            g_autofree char *shown = g_strescape(a, NULL);

            helper_error(_("unexpected or repeated argument '%s'"), shown);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!bridge || sock < 0) {
        helper_error(_("both --br=BRIDGE and --fd=FD are required"));
        usage(stderr);
        return EXIT_USAGE;
    }

    /* The name is checked before the ACL is even opened. */
    if (!vmkit_ifname_check(bridge, &err)) {
        helper_error("%s", err->message);
        return EXIT_FAILURE;
    }
    if (!vmkit_tap_check_socket(sock, &err)) {
        helper_error("%s", err->message);
        return EXIT_FAILURE;
    }

    /* Read with the caller's permissions, as qemu-bridge-helper does. */
    acl = vmkit_acl_load(VMKIT_BRIDGE_ACL, &err);
    if (!acl) {
        helper_error(_("access denied: %s"), err->message);
        return EXIT_FAILURE;
    }
    if (!vmkit_acl_allows(acl, bridge)) {
        helper_error(_("access denied: bridge '%s' is not allowed by %s"),
                     bridge, VMKIT_BRIDGE_ACL);
        return EXIT_FAILURE;
    }

    if (tun < 0) {
        helper_error(_("cannot open /dev/net/tun: %s"),
                     g_strerror(tun_errno));
        return EXIT_FAILURE;
    }
    tap = vmkit_tap_create(tun, bridge, use_vnet, &err);
    if (tap < 0) {
        helper_error("%s", err->message);
        return EXIT_FAILURE;
    }
    if (!vmkit_tap_send_fd(sock, tap, &err)) {
        helper_error("%s", err->message);
        vmkit_tap_destroy(tap, bridge);
        return EXIT_FAILURE;
    }
    /* The receiver holds the TAP now; ours goes away with us. */
    close(tap);
    return EXIT_SUCCESS;
}
