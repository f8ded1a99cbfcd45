/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net.c: the net core — clients with one peer, names, sending with QEMU's
 * backpressure contract, flush, link state, counters, per-machine state. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emu-error.h"
#include "engine/core/machine.h"
#include "engine/net/net-internal.h"

static const char *const kind_names[] = {
    [EMU_NET_CLIENT_NIC] = "nic",
    [EMU_NET_CLIENT_HUBPORT] = "hubport",
    [EMU_NET_CLIENT_USER] = "user",
    [EMU_NET_CLIENT_TAP] = "tap",
    /* QEMU's bridge backend is a tap client: "info network" says tap */
    [EMU_NET_CLIENT_BRIDGE] = "tap",
    [EMU_NET_CLIENT_SOCKET] = "socket",
    [EMU_NET_CLIENT_STREAM] = "stream",
    [EMU_NET_CLIENT_DGRAM] = "dgram",
};

/* model names used for generated names ("user.0"), as QEMU's clients */
static const char *const kind_models[] = {
    [EMU_NET_CLIENT_NIC] = "nic",       [EMU_NET_CLIENT_HUBPORT] = "hub",
    [EMU_NET_CLIENT_USER] = "user",     [EMU_NET_CLIENT_TAP] = "tap",
    [EMU_NET_CLIENT_BRIDGE] = "bridge", [EMU_NET_CLIENT_SOCKET] = "socket",
    [EMU_NET_CLIENT_STREAM] = "stream", [EMU_NET_CLIENT_DGRAM] = "dgram",
};

const char *emu_net_kind_str(EmuNetClientKind kind)
{
    if ((unsigned)kind < G_N_ELEMENTS(kind_names) && kind_names[kind]) {
        return kind_names[kind];
    }
    return "unknown";
}

EmuNet *emu_net_new(EmuMachine *m)
{
    EmuNet *net = g_new0(EmuNet, 1);

    net->m = m;
    net->clients = g_ptr_array_new();
    net->hubs = g_ptr_array_new();
    net->options = g_ptr_array_new();
    net->extra_models = g_ptr_array_new_with_free_func(g_free);
    net->default_model = g_strdup("virtio-net-pci");
    net->warnings = g_ptr_array_new_with_free_func(g_free);
    if (m && !m->net) {
        m->net = net;
    }
    return net;
}

void emu_net_free(EmuNet *net)
{
    if (!net) {
        return;
    }
    /* newest first: NICs and hub ports before what they hang off */
    while (net->clients->len) {
        emu_net_client_free(
            g_ptr_array_index(net->clients, net->clients->len - 1));
    }
    emu_net_hubs_free(net);
    emu_net_options_free(net);
    g_ptr_array_unref(net->clients);
    g_ptr_array_unref(net->hubs);
    g_ptr_array_unref(net->options);
    g_ptr_array_unref(net->extra_models);
    g_ptr_array_unref(net->warnings);
    g_free(net->default_model);
    if (net->m && net->m->net == net) {
        net->m->net = NULL;
    }
    g_free(net);
}

void emu_net_warn(EmuNet *net, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (!net->quiet) {
        fprintf(stderr, "vmkit: warning: %s\n", msg);
    }
    g_ptr_array_add(net->warnings, msg);
}

void emu_net_wakeup(EmuNet *net)
{
    if (net->m && net->m->io_ctx && !g_main_context_is_owner(net->m->io_ctx)) {
        g_main_context_wakeup(net->m->io_ctx);
    }
}

EmuNetClient *emu_net_find(EmuNet *net, const char *name)
{
    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClient *nc = g_ptr_array_index(net->clients, i);
        if (!strcmp(nc->name, name)) {
            return nc;
        }
    }
    return NULL;
}

EmuNetClient *emu_net_find_netdev(EmuNet *net, const char *id)
{
    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClient *nc = g_ptr_array_index(net->clients, i);
        if (nc->ops->kind != EMU_NET_CLIENT_NIC && !strcmp(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

char *emu_net_gen_name(EmuNet *net, const char *model)
{
    unsigned id = 0;

    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClientPriv *p = g_ptr_array_index(net->clients, i);
        if (p->model && !strcmp(p->model, model)) {
            id++;
        }
    }
    for (;; id++) {
        char *name = g_strdup_printf("%s.%u", model, id);
        if (!emu_net_find(net, name)) {
            return name;
        }
        g_free(name);
    }
}

EmuNetClient *emu_net_client_new(EmuNet *net, const EmuNetClientOps *ops,
                                 const char *name, EmuNetClient *peer,
                                 void *opaque, GError **error)
{
    EmuNetClientPriv *p;
    const char *model = (unsigned)ops->kind < G_N_ELEMENTS(kind_models)
                            ? kind_models[ops->kind]
                            : "net";

    g_return_val_if_fail(ops && ops->receive, NULL);
    if (name && emu_net_find(net, name)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "network client name '%s' is already in use", name);
        return NULL;
    }
    if (peer && peer->peer) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "'%s' is already connected to '%s'", peer->name,
                    peer->peer->name);
        return NULL;
    }
    p = g_new0(EmuNetClientPriv, 1);
    p->pub.ops = ops;
    p->pub.net = net;
    p->pub.opaque = opaque;
    p->model = g_strdup(model);
    p->pub.name = name ? g_strdup(name) : emu_net_gen_name(net, model);
    p->pub.incoming = emu_net_queue_new(&p->pub);
    if (peer) {
        p->pub.peer = peer;
        peer->peer = &p->pub;
    }
    g_ptr_array_add(net->clients, p);
    return &p->pub;
}

void emu_net_client_free(EmuNetClient *nc)
{
    EmuNetClientPriv *p;
    EmuNetClient *peer;

    if (!nc) {
        return;
    }
    p = emu_net_priv(nc);
    peer = nc->peer;
    g_ptr_array_remove(nc->net->clients, nc);
    if (nc->ops->cleanup) {
        nc->ops->cleanup(nc);
    }
    if (p->hub) {
        emu_net_hub_port_removed(nc);
    }
    /* our frames waiting at the peer go; the peer loses its peer */
    if (peer) {
        emu_net_queue_purge(peer->incoming, nc, false);
        peer->peer = NULL;
        nc->peer = NULL;
    }
    emu_net_queue_free(nc->incoming);
    g_free(nc->name);
    g_free(p->model);
    g_free(p);
}

bool emu_net_can_send(EmuNetClient *sender)
{
    EmuNetClient *rx = sender->peer;

    if (!rx) {
        return true;
    }
    if (emu_net_priv(rx)->receive_disabled) {
        return false;
    }
    return !rx->ops->can_receive || rx->ops->can_receive(rx);
}

ssize_t emu_net_sendv(EmuNetClient *sender, const struct iovec *iov, int iovcnt,
                      EmuNetSentCb sent_cb)
{
    size_t size = 0;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (sender->link_down || !sender->peer || size > EMU_NET_MAX_FRAME) {
        sender->stats.tx_dropped++;
        return size;
    }
    return emu_net_queue_send(sender->peer->incoming, sender, iov, iovcnt, size,
                              sent_cb);
}

ssize_t emu_net_send(EmuNetClient *sender, const uint8_t *buf, size_t len,
                     EmuNetSentCb sent_cb)
{
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};

    return emu_net_sendv(sender, &iov, 1, sent_cb);
}

void emu_net_flush_queue(EmuNetClient *nc)
{
    bool emptied;

    emu_net_priv(nc)->receive_disabled = false;
    emptied = emu_net_queue_flush(nc->incoming);
    /* frames that waited to enter our hub because no port could take
     * them (the hub port's can_receive was false) may move on now */
    if (nc->peer && nc->peer->ops->kind == EMU_NET_CLIENT_HUBPORT) {
        emu_net_hub_flush(nc->peer);
    }
    if (emptied) {
        /* backends that stopped reading their fd poll it again */
        emu_net_wakeup(nc->net);
    }
}

bool emu_net_set_link(EmuNet *net, const char *name, bool up, GError **error)
{
    EmuNetClient *nc = emu_net_find(net, name);

    if (!nc) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "Device '%s' not found", name);
        return false;
    }
    nc->link_down = !up;
    if (nc->ops->link_changed) {
        nc->ops->link_changed(nc);
    }
    if (nc->peer) {
        /* QEMU's qmp_set_link: a backend takes its NIC along; a NIC
         * leaves its backend or hub port alone (other hub members keep
         * talking), but the peer hears about the change */
        if (nc->peer->ops->kind == EMU_NET_CLIENT_NIC) {
            nc->peer->link_down = !up;
        }
        if (nc->peer->ops->link_changed) {
            nc->peer->ops->link_changed(nc->peer);
        }
    }
    return true;
}

void emu_net_client_info(EmuNetClient *nc, GString *out)
{
    EmuNetClientPriv *p = emu_net_priv(nc);

    if (nc->ops->describe) {
        nc->ops->describe(nc, out);
    } else if (p->has_mac) {
        g_string_append_printf(
            out, "model=%s,macaddr=%02x:%02x:%02x:%02x:%02x:%02x", p->model,
            p->mac[0], p->mac[1], p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
    }
}

void emu_net_nic_unplug(EmuNetClient *nic)
{
    EmuNetClient *peer = nic->peer;

    emu_net_client_free(nic);
    if (peer && emu_net_priv(peer)->deleted) {
        emu_net_client_free(peer);
    }
}
