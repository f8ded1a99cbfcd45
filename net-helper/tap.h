/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-helper/tap.h: TAP creation, bridge enslaving and fd passing. */
#ifndef VMKIT_NET_HELPER_TAP_H
#define VMKIT_NET_HELPER_TAP_H

#include <glib.h>

#define VMKIT_TAP_ERROR (vmkit_tap_error_quark())

typedef enum {
    VMKIT_TAP_ERROR_FAILED,
} VmkitTapError;

GQuark vmkit_tap_error_quark(void);

/**
 * vmkit_tap_create:
 * @tun: a fresh fd of /dev/net/tun (opened O_RDWR), taken over: it becomes
 *   the returned fd, or is closed on failure
 * @bridge: an existing bridge, already checked with vmkit_ifname_check()
 * @use_vnet: ask for IFF_VNET_HDR when the kernel offers it
 * @error: set on failure, one line
 *
 * Creates a non-persistent TAP "tap%d" (IFF_TAP | IFF_NO_PI), gives it the
 * bridge's MTU and a MAC starting with 0xfe, enslaves it to @bridge and
 * brings it up.  Needs CAP_NET_ADMIN.  On failure nothing is left: the
 * TAP is taken out of the bridge and its last fd closed, which destroys a
 * non-persistent TAP.
 *
 * Returns: @tun, now the fd of the TAP, or -1 on error.
 */
int vmkit_tap_create(int tun, const char *bridge, gboolean use_vnet,
                     GError **error);

/**
 * vmkit_tap_destroy:
 * @fd: an fd from vmkit_tap_create()
 * @bridge: the bridge it was enslaved to
 *
 * Takes the TAP out of @bridge and closes @fd (the TAP disappears once no
 * other process holds an fd of it).
 */
void vmkit_tap_destroy(int fd, const char *bridge);

/**
 * vmkit_tap_check_socket:
 * @sock: the fd given by --fd
 * @error: set when @sock is not an AF_UNIX stream socket
 */
gboolean vmkit_tap_check_socket(int sock, GError **error);

/**
 * vmkit_tap_send_fd:
 * @sock: a unix socket (the --fd of the protocol)
 * @fd: the fd to pass
 * @error: set on failure
 *
 * Sends @fd over @sock as qemu-bridge-helper does: one sendmsg() with a
 * one-byte payload (0x00) and one SCM_RIGHTS control message (unix(7)).
 */
gboolean vmkit_tap_send_fd(int sock, int fd, GError **error);

#endif /* VMKIT_NET_HELPER_TAP_H */
