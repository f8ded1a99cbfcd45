/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hub.c: hubs (QEMU net/hub.c) — a frame entering one port leaves by every
 * other port, never back; a port can receive while any other port's peer
 * can; "-netdev hubport"; the realize-time sanity warnings. */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "engine/net/net-internal.h"

struct EmuNetHub {
    EmuNet *net;
    int id;
    int num_ports;    /* ports ever created: the N of "hub0portN" */
    GPtrArray *ports; /* EmuNetClient *, creation order */
};

static EmuNetHub *port_hub(EmuNetClient *nc)
{
    return emu_net_priv(nc)->hub;
}

static ssize_t hub_port_receive(EmuNetClient *nc, const struct iovec *iov,
                                int iovcnt)
{
    EmuNetHub *hub = port_hub(nc);
    size_t size = 0;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (!hub) {
        return size;
    }
    /* newest port first, as QEMU's list; a port that cannot take the
     * frame now gets it queued (no callback: bounded, then dropped) */
    for (guint i = hub->ports->len; i-- > 0;) {
        EmuNetClient *port = g_ptr_array_index(hub->ports, i);
        if (port != nc) {
            emu_net_sendv(port, iov, iovcnt, NULL);
        }
    }
    return size;
}

static bool hub_port_can_receive(EmuNetClient *nc)
{
    EmuNetHub *hub = port_hub(nc);

    if (!hub) {
        return true;
    }
    for (guint i = 0; i < hub->ports->len; i++) {
        EmuNetClient *port = g_ptr_array_index(hub->ports, i);
        if (port != nc && emu_net_can_send(port)) {
            return true;
        }
    }
    return false;
}

static const EmuNetClientOps hub_port_ops = {
    .kind = EMU_NET_CLIENT_HUBPORT,
    .receive = hub_port_receive,
    .can_receive = hub_port_can_receive,
};

static EmuNetHub *hub_find(EmuNet *net, int id)
{
    for (guint i = 0; i < net->hubs->len; i++) {
        EmuNetHub *hub = g_ptr_array_index(net->hubs, i);
        if (hub->id == id) {
            return hub;
        }
    }
    return NULL;
}

EmuNetClient *emu_net_hub_add_port(EmuNet *net, int hub_id, const char *name,
                                   EmuNetClient *peer, GError **error)
{
    EmuNetHub *hub = hub_find(net, hub_id);
    g_autofree char *default_name = NULL;
    EmuNetClient *nc;
    bool new_hub = false;

    if (!hub) {
        hub = g_new0(EmuNetHub, 1);
        hub->net = net;
        hub->id = hub_id;
        hub->ports = g_ptr_array_new();
        new_hub = true;
    }
    if (!name) {
        default_name = g_strdup_printf("hub%dport%d", hub->id, hub->num_ports);
        name = default_name;
    }
    nc = emu_net_client_new(net, &hub_port_ops, name, peer, NULL, error);
    if (!nc) {
        if (new_hub) {
            g_ptr_array_unref(hub->ports);
            g_free(hub);
        }
        return NULL;
    }
    if (new_hub) {
        g_ptr_array_add(net->hubs, hub);
    }
    emu_net_priv(nc)->hub = hub;
    emu_net_priv(nc)->port_id = hub->num_ports++;
    g_ptr_array_add(hub->ports, nc);
    return nc;
}

void emu_net_hub_port_removed(EmuNetClient *port)
{
    EmuNetHub *hub = port_hub(port);

    if (hub) {
        g_ptr_array_remove(hub->ports, port);
        emu_net_priv(port)->hub = NULL;
    }
}

void emu_net_hubs_free(EmuNet *net)
{
    for (guint i = 0; i < net->hubs->len; i++) {
        EmuNetHub *hub = g_ptr_array_index(net->hubs, i);
        for (guint j = 0; j < hub->ports->len; j++) {
            EmuNetClient *port = g_ptr_array_index(hub->ports, j);
            emu_net_priv(port)->hub = NULL;
        }
        g_ptr_array_unref(hub->ports);
        g_free(hub);
    }
    g_ptr_array_set_size(net->hubs, 0);
}

bool emu_net_hub_id_for_client(EmuNetClient *nc, int *id)
{
    EmuNetClient *port = NULL;

    if (nc->ops->kind == EMU_NET_CLIENT_HUBPORT) {
        port = nc;
    } else if (nc->peer && nc->peer->ops->kind == EMU_NET_CLIENT_HUBPORT) {
        port = nc->peer;
    }
    if (!port || !port_hub(port)) {
        return false;
    }
    if (id) {
        *id = port_hub(port)->id;
    }
    return true;
}

bool emu_net_hub_flush(EmuNetClient *port)
{
    EmuNetHub *hub = port_hub(port);
    bool moved = false;

    if (!hub) {
        return false;
    }
    for (guint i = 0; i < hub->ports->len; i++) {
        EmuNetClient *other = g_ptr_array_index(hub->ports, i);
        if (other != port && emu_net_queue_len(other->incoming)) {
            emu_net_queue_flush(other->incoming);
            moved = true;
        }
    }
    return moved;
}

/* "info network": hubs newest first, each port newest first (QEMU keeps
 * both lists with QLIST_INSERT_HEAD), then the port's peer. */
void emu_net_hub_info(EmuNet *net, GString *out)
{
    for (guint i = net->hubs->len; i-- > 0;) {
        EmuNetHub *hub = g_ptr_array_index(net->hubs, i);

        g_string_append_printf(out, "hub %d\n", hub->id);
        for (guint j = hub->ports->len; j-- > 0;) {
            EmuNetClient *port = g_ptr_array_index(hub->ports, j);

            g_string_append_printf(out, " \\ %s", port->name);
            if (port->peer) {
                g_string_append(out, ": ");
                g_string_append_printf(out, "%s: index=0,type=%s,",
                                       port->peer->name,
                                       emu_net_kind_str(port->peer->ops->kind));
                emu_net_client_info(port->peer, out);
            }
            g_string_append_c(out, '\n');
        }
    }
}

/* QEMU's net_hub_check_clients(), same texts (warn_report). */
void emu_net_hub_check_clients(EmuNet *net)
{
    for (guint i = net->hubs->len; i-- > 0;) {
        EmuNetHub *hub = g_ptr_array_index(net->hubs, i);
        bool has_nic = false, has_host_dev = false;

        for (guint j = hub->ports->len; j-- > 0;) {
            EmuNetClient *port = g_ptr_array_index(hub->ports, j);

            if (!port->peer) {
                emu_net_warn(net, "hub port %s has no peer", port->name);
                continue;
            }
            switch (port->peer->ops->kind) {
            case EMU_NET_CLIENT_NIC:
                has_nic = true;
                break;
            case EMU_NET_CLIENT_USER:
            case EMU_NET_CLIENT_TAP:
            case EMU_NET_CLIENT_BRIDGE:
            case EMU_NET_CLIENT_SOCKET:
            case EMU_NET_CLIENT_STREAM:
            case EMU_NET_CLIENT_DGRAM:
                has_host_dev = true;
                break;
            default:
                break;
            }
        }
        if (has_host_dev && !has_nic) {
            emu_net_warn(net, "hub %d with no nics", hub->id);
        }
        if (has_nic && !has_host_dev) {
            emu_net_warn(net, "hub %d is not connected to host network",
                         hub->id);
        }
    }
}

/* -netdev hubport,id=ID,hubid=N[,netdev=ID] */
EmuNetClient *emu_net_hubport_init(EmuNet *net, const char *id, EmuOpts *opts,
                                   EmuNetClient *peer, GError **error)
{
    const char *hubid_str = emu_opts_get(opts, "hubid");
    const char *netdev = emu_opts_get(opts, "netdev");
    EmuNetClient *hubpeer = NULL;
    uint64_t hubid;

    if (!hubid_str) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'hubid' is missing");
        return NULL;
    }
    if (!emu_opts_get_uint(opts, "hubid", G_MAXINT32, 0, &hubid, error)) {
        return NULL;
    }
    if (netdev) {
        hubpeer = emu_net_find_netdev(net, netdev);
        if (!hubpeer) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                        "netdev '%s' not found", netdev);
            return NULL;
        }
        if (hubpeer->peer) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "netdev '%s' is already in use", netdev);
            return NULL;
        }
    }
    if (peer && hubpeer) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "a hub port has one peer: 'netdev' cannot be used here");
        return NULL;
    }
    return emu_net_hub_add_port(net, (int)hubid, id, peer ? peer : hubpeer,
                                error);
}
