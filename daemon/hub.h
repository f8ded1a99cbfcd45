/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/hub.h: daemon-wide hubs: vmd-resident switches joining VMs. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A daemon hub (DESIGN.md §4) is QEMU's hub (net/hub.c) living in vmd: a
 * frame entering one port leaves by every other port, never back. Each
 * port is a Unix socket vmd listens on, in the domain's runtime directory
 * (vmd_build_hub_path()); the engine connects to it as a client that
 * reconnects (`-netdev stream,server=off,addr.type=unix,...,reconnect=1`)
 * and both speak QEMU's stream framing (4-byte big-endian length, then the
 * frame). One connection per port: a second one is closed at once.
 * Everything runs on vmd's main loop with non-blocking sockets:
 *   - reads are bounded bursts (VMD_HUB_READ_BURST frames per wake-up);
 *   - each port has a bounded output queue (VMD_HUB_QUEUE_FRAMES frames,
 *     VMD_HUB_QUEUE_BYTES bytes): a VM that does not read loses frames
 *     (counted in its port's drops), vmd never blocks and never grows;
 *   - a malformed length (0 or > VMD_HUB_MAX_FRAME) closes that port's
 *     connection (the engine sees EOF and connects again); the port stays
 *     listed until its domain stops.
 * Counters per port: rx = received by the hub from the port, tx = sent by
 * the hub to the port (written to the socket), drops = frames for the port
 * thrown away because its queue was full or it was detached.
 *
 * Hubs live as long as vmd, and when given a directory they are kept
 * there as small libvirt-network-like files DIR/NAME.xml
 * (<network><name>NAME</name></network>) and re-created at the next vmd
 * start. Ports live as long as vmd too: a restarted vmd re-attaching a
 * running domain adds its ports again at the same paths, the engines
 * reconnect (within reconnect= seconds) and the ports carry frames again,
 * their counters from zero.
 *
 * Thread: main, for every function here.
 */

#define VMD_HUB_MAX_FRAME    (65536 + 14) /* EMU_NET_MAX_FRAME */
#define VMD_HUB_QUEUE_FRAMES 256
#define VMD_HUB_QUEUE_BYTES  (1024 * 1024)
#define VMD_HUB_READ_BURST   64
#define VMD_HUB_MAX_PORTS    256
#define VMD_HUB_NAME_MAX     64

typedef struct _VmdHubs VmdHubs;
typedef struct _VmdHub VmdHub;

/* A port as listed in the Hub's Ports property (a(sssstttt)) + drops. */
typedef struct {
    const char *name; /* "DOMAIN.netN" */
    const char *peer; /* "netN" */
    const char *kind; /* "vm", or "detached" while detached */
    const char *vm;   /* the domain UUID */
    guint64 rx_packets, rx_bytes, tx_packets, tx_bytes, drops;
} VmdHubPortInfo;

/**
 * VmdHubsChangedFunc: @hub was created (@what "created"), is about to be
 * destroyed ("destroyed") or its port list changed ("ports").
 */
typedef void (*VmdHubsChangedFunc)(VmdHubs *hubs, VmdHub *hub, const char *what,
                                   gpointer user_data);

/**
 * vmd_hubs_new:
 * @dir: (nullable): where hubs are kept (created 0700 when missing); the
 *   hubs found there are created at once. NULL: not kept.
 */
VmdHubs *vmd_hubs_new(const char *dir);
VmdHubs *vmd_hubs_ref(VmdHubs *hubs);
/** vmd_hubs_unref: the last one closes every port (engines see EOF and
 * keep trying to connect). */
void vmd_hubs_unref(VmdHubs *hubs);

void vmd_hubs_set_listener(VmdHubs *hubs, VmdHubsChangedFunc func,
                           gpointer user_data);

/**
 * vmd_hubs_create:
 * Errors: VMD_ERROR_INVALID_ARGUMENT (name empty, longer than
 * VMD_HUB_NAME_MAX, with '/', a leading '.' or control characters),
 * VMD_ERROR_EXISTS, VMD_ERROR_FAILED (cannot store it).
 */
VmdHub *vmd_hubs_create(VmdHubs *hubs, const char *name, GError **error);

/**
 * vmd_hubs_destroy:
 * Errors: VMD_ERROR_NO_HUB, VMD_ERROR_INVALID_STATE while it has ports.
 */
gboolean vmd_hubs_destroy(VmdHubs *hubs, const char *name, GError **error);

VmdHub *vmd_hubs_lookup(VmdHubs *hubs, const char *name);
/** vmd_hubs_lookup_by_path: by D-Bus object path (vmd_hub_get_path()). */
VmdHub *vmd_hubs_lookup_by_path(VmdHubs *hubs, const char *path);
/** vmd_hubs_list: Returns: (transfer container): VmdHub *, sorted by name */
GPtrArray *vmd_hubs_list(VmdHubs *hubs);

const char *vmd_hub_get_name(VmdHub *hub);
/** vmd_hub_get_path: /org/vmkit/Vmd1/hub/<escaped name> */
const char *vmd_hub_get_path(VmdHub *hub);
guint vmd_hub_n_ports(VmdHub *hub);

/**
 * vmd_hub_get_ports:
 * Returns: (transfer container): VmdHubPortInfo in attach order; the
 * strings are valid until the port list changes.
 */
GArray *vmd_hub_get_ports(VmdHub *hub);

/**
 * vmd_hub_add_port:
 * @domain: the domain name, @vm its UUID, @peer the interface alias
 *   ("net0"); the port is named "DOMAIN.PEER".
 * @path: where the port listens for its engine (replaced if it exists;
 *   unlinked when the port goes)
 * Returns: FALSE with VMD_ERROR_EXISTS (port name taken) or
 *   VMD_ERROR_FAILED (too many ports, path too long, cannot listen).
 */
gboolean vmd_hub_add_port(VmdHub *hub, const char *domain, const char *vm,
                          const char *peer, const char *path, GError **error);

/** vmd_hub_remove_port: the domain stopped; unknown names are ignored. */
void vmd_hub_remove_port(VmdHub *hub, const char *port);

/**
 * vmd_hub_find_port:
 * Returns: (nullable): the name of the port of domain @vm's interface
 * @peer, or NULL.
 */
const char *vmd_hub_find_port(VmdHub *hub, const char *vm, const char *peer);

/**
 * vmd_hub_set_port_attached:
 * Detached: the hub neither forwards the port's frames nor sends it any
 * (they count as its drops); its connection stays open, so attaching
 * again needs nothing from the engine. Errors: VMD_ERROR_INVALID_ARGUMENT (no
 * such port).
 */
gboolean vmd_hub_set_port_attached(VmdHub *hub, const char *port,
                                   gboolean attached, GError **error);

/* ---- the D-Bus side: org.vmkit.Vmd1.Hub objects (daemon/dbus-hub.c) ---- */

typedef struct _VmdDbus VmdDbus;
typedef struct _VmdDbusHubs VmdDbusHubs;

/**
 * vmd_dbus_hubs_new:
 * Registers the subtree /org/vmkit/Vmd1/hub (one object per hub of
 * @hubs) on @conn with @iface (org.vmkit.Vmd1.Hub) and emits
 * PropertiesChanged (Ports, PortDrops) when a hub's ports change.
 */
VmdDbusHubs *vmd_dbus_hubs_new(VmdDbus *dbus, GDBusConnection *conn,
                               GDBusInterfaceInfo *iface, VmdHubs *hubs,
                               GError **error);
void vmd_dbus_hubs_free(VmdDbusHubs *dh);

G_END_DECLS
