/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/netdev.h: what a starting domain's interfaces need from the host:
 * daemon hub ports, TAP devices (created, bridged, or opened by name). */
#pragma once

#include <glib.h>

#include "daemon/domain.h"
#include "daemon/hub.h"

G_BEGIN_DECLS

/*
 * Per interface of a starting domain (libvirt's qemuInterfacePrepare…):
 *   network, hub   a port on the daemon hub named by <source network=|hub=>
 *                  (VMD_ERROR_NO_HUB if there is none), listening at
 *                  vmd_build_hub_path(): -netdev stream (a client)
 *   bridge         root: vmd creates a TAP (/dev/net/tun, IFF_TAP|IFF_NO_PI;
 *                  no IFF_VNET_HDR: the NICs do not use it), named from
 *                  <target dev=> or "vnet%d", MAC = the guest's with first
 *                  byte 0xFE, MTU = the bridge's, enslaved, up;
 *                  not root: the bridge helper does that (qemu-bridge-helper
 *                  protocol) and sends the fd. -netdev tap,fd=
 *   ethernet       managed (default): a TAP created like the above, not
 *                  bridged; managed='no': the existing TAP <target dev=>
 *                  opened by name (an error if absent). -netdev tap,fd=
 *   others         nothing (-1).
 * The TAP's name is written to the live definition (<target dev=>), so the
 * live XML and domiflist show it. vmd keeps no TAP fd: once the engine has
 * its copy, vmd closes its own, so a TAP vmd created disappears with the
 * engine (non-persistent TAPs go when their last fd closes).
 */

typedef struct _VmdNetRun VmdNetRun;

/**
 * vmd_netdev_prepare:
 * @hubs: (nullable): the daemon hubs; NULL: hub interfaces cannot start
 * @base: the domain's runtime path prefix (RUNDIR/UUID): hub sockets
 * @domain, @uuid: the domain's name and UUID (hub port names, owners)
 * @live: the live definition; target_dev of TAP interfaces is set
 * Returns: (transfer full): the resources, or NULL with @error after
 * releasing what was already set up. Thread: main.
 */
VmdNetRun *vmd_netdev_prepare(VmdHubs *hubs, const char *base,
                              const char *domain, const char *uuid,
                              VmdDomainDef *live, GError **error);

/**
 * vmd_netdev_rejoin:
 * A running domain re-attached after a vmd restart: its hub ports listen
 * again where its engine reconnects; nothing else is touched (the engine
 * has its TAPs). A port that cannot be made is a warning.
 * Returns: (transfer full): the resources. Thread: main.
 */
VmdNetRun *vmd_netdev_rejoin(VmdHubs *hubs, const char *base,
                             const char *domain, const char *uuid,
                             VmdDomainDef *live);

/** vmd_net_run_new: no interface yet; @base as for vmd_netdev_prepare(). */
VmdNetRun *vmd_net_run_new(const char *base);

/**
 * vmd_net_run_add:
 * Prepares interface @i of @live (live attach: just inserted at @i) as
 * vmd_netdev_prepare() does; the resources of interfaces from @i on move
 * up by one.
 * Returns: the fd for the engine (open until vmd_net_run_spawned()), -1
 * when the type needs none (a hub port listens instead), or -2 with
 * @error.
 */
int vmd_net_run_add(VmdNetRun *nr, VmdHubs *hubs, const char *domain,
                    const char *uuid, VmdDomainDef *live, guint i,
                    GError **error);

/**
 * vmd_net_run_remove:
 * Interface @i went (live detach): its hub port removed (socket file
 * too), fd closed; those
 * after it move down by one, as in live->nets.
 */
void vmd_net_run_remove(VmdNetRun *nr, guint i);

/**
 * vmd_net_run_fds:
 * Returns: per interface (index of live->nets) the fd for the engine, or
 * -1; @n: the length. The fds stay open until vmd_net_run_spawned().
 */
const int *vmd_net_run_fds(VmdNetRun *nr, guint *n);

/**
 * vmd_net_run_spawned:
 * The engine has its copies: close vmd's (hub ports stay).
 */
void vmd_net_run_spawned(VmdNetRun *nr);

/**
 * vmd_net_run_free:
 * The domain stopped (or its start failed): hub ports removed with their
 * socket files, fds closed.
 */
void vmd_net_run_free(VmdNetRun *nr);

/**
 * vmd_netdev_bridge_helper:
 * Returns: (transfer full): $VMKIT_BRIDGE_HELPER, else
 * $(libexecdir)/vmkit-bridge-helper.
 */
char *vmd_netdev_bridge_helper(void);

/* The daemon hubs of the running side (defined in daemon/lifecycle.c). */
typedef struct _VmdLifecycle VmdLifecycle;
VmdHubs *vmd_lifecycle_get_hubs(VmdLifecycle *lc);

G_END_DECLS
