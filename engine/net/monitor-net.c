/* SPDX-License-Identifier: GPL-2.0-or-later */
/* monitor-net.c: the net monitor commands in QEMU's HMP formats — "info
 * network", "info usernet", "set_link", "hostfwd_add", "hostfwd_remove". */
#include "config.h"

#include <string.h>

#include "engine/core/machine.h"
#include "engine/core/monitor.h"
#include "engine/net/net-internal.h"

static void print_client(GString *out, EmuNetClient *nc)
{
    g_string_append_printf(out, "%s: index=0,type=%s,", nc->name,
                           emu_net_kind_str(nc->ops->kind));
    emu_net_client_info(nc, out);
    g_string_append_c(out, '\n');
}

/* QEMU's hmp_info_network(): the hubs, then every client not on a hub —
 * a NIC with its backend under it, or a client alone. */
void emu_net_format_info(EmuNet *net, GString *out)
{
    emu_net_hub_info(net, out);
    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClient *nc = g_ptr_array_index(net->clients, i);
        bool nic = nc->ops->kind == EMU_NET_CLIENT_NIC;

        if (emu_net_hub_id_for_client(nc, NULL)) {
            continue; /* printed with its hub */
        }
        if (!nc->peer || nic) {
            print_client(out, nc);
        }
        if (nc->peer && nic) {
            g_string_append(out, " \\ ");
            print_client(out, nc->peer);
        }
    }
}

static void mon_lock(EmuNet *net)
{
    if (net->m) {
        emu_machine_lock(net->m);
    }
}

static void mon_unlock(EmuNet *net)
{
    if (net->m) {
        emu_machine_unlock(net->m);
    }
}

static void cmd_info_network(EmuMonitor *mon, int argc, char **argv,
                             void *opaque)
{
    EmuNet *net = opaque;
    g_autoptr(GString) out = g_string_new(NULL);

    mon_lock(net);
    emu_net_format_info(net, out);
    mon_unlock(net);
    emu_monitor_printf(mon, "%s", out->str);
}

static void cmd_info_usernet(EmuMonitor *mon, int argc, char **argv,
                             void *opaque)
{
    EmuNet *net = opaque;
    g_autoptr(GString) out = g_string_new(NULL);

    mon_lock(net);
    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClient *nc = g_ptr_array_index(net->clients, i);
        g_autofree char *info = NULL;
        int id;

        if (nc->ops->kind != EMU_NET_CLIENT_USER) {
            continue;
        }
        if (!emu_net_hub_id_for_client(nc, &id)) {
            id = -1;
        }
        info = emu_net_user_connection_info(nc);
        g_string_append_printf(out, "Hub %d (%s):\n%s", id, nc->name,
                               info ? info : "");
    }
    mon_unlock(net);
    emu_monitor_printf(mon, "%s", out->str);
}

static void cmd_set_link(EmuMonitor *mon, int argc, char **argv, void *opaque)
{
    EmuNet *net = opaque;
    g_autoptr(GError) err = NULL;
    bool up;
    bool ok;

    if (argc != 3) {
        emu_monitor_printf(mon, "usage: set_link name on|off\n");
        return;
    }
    if (!strcmp(argv[2], "on")) {
        up = true;
    } else if (!strcmp(argv[2], "off")) {
        up = false;
    } else {
        emu_monitor_printf(mon, "Expected 'on' or 'off'\n");
        return;
    }
    mon_lock(net);
    ok = emu_net_set_link(net, argv[1], up, &err);
    mon_unlock(net);
    if (!ok) {
        emu_monitor_printf(mon, "Error: %s\n", err->message);
    }
}

/* QEMU's slirp_lookup(): the named user netdev, or the first one */
static EmuNetClient *user_lookup(EmuMonitor *mon, EmuNet *net, const char *id)
{
    if (id) {
        EmuNetClient *nc = emu_net_find_netdev(net, id);
        if (!nc) {
            emu_monitor_printf(mon, "unrecognized netdev id '%s'\n", id);
            return NULL;
        }
        if (nc->ops->kind != EMU_NET_CLIENT_USER) {
            emu_monitor_printf(mon, "invalid device specified\n");
            return NULL;
        }
        return nc;
    }
    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClient *nc = g_ptr_array_index(net->clients, i);
        if (nc->ops->kind == EMU_NET_CLIENT_USER) {
            return nc;
        }
    }
    emu_monitor_printf(mon, "user mode network stack not in use\n");
    return NULL;
}

static void cmd_hostfwd_add(EmuMonitor *mon, int argc, char **argv,
                            void *opaque)
{
    EmuNet *net = opaque;
    g_autoptr(GError) err = NULL;
    EmuNetClient *nc;
    const char *rule;
    bool ok = true;

    if (argc < 2 || argc > 3) {
        emu_monitor_printf(mon, "usage: hostfwd_add [netdev_id] "
                                "[tcp|udp]:[hostaddr]:hostport-"
                                "[guestaddr]:guestport\n");
        return;
    }
    rule = argv[argc - 1];
    mon_lock(net);
    nc = user_lookup(mon, net, argc == 3 ? argv[1] : NULL);
    if (nc) {
        ok = emu_net_user_hostfwd_add(nc, rule, &err);
    }
    mon_unlock(net);
    if (!ok) {
        emu_monitor_printf(mon, "%s\n", err->message);
    }
}

static void cmd_hostfwd_remove(EmuMonitor *mon, int argc, char **argv,
                               void *opaque)
{
    EmuNet *net = opaque;
    g_autoptr(GError) err = NULL;
    EmuNetClient *nc;
    const char *rule;
    bool removed = false;
    bool ok = false;

    if (argc < 2 || argc > 3) {
        emu_monitor_printf(mon, "usage: hostfwd_remove [netdev_id] "
                                "[tcp|udp]:[hostaddr]:hostport\n");
        return;
    }
    rule = argv[argc - 1];
    mon_lock(net);
    nc = user_lookup(mon, net, argc == 3 ? argv[1] : NULL);
    if (nc) {
        ok = emu_net_user_hostfwd_remove(nc, rule, &removed, &err);
    }
    mon_unlock(net);
    if (!nc) {
        return;
    }
    if (!ok) {
        emu_monitor_printf(mon, "%s\n", err->message);
        return;
    }
    emu_monitor_printf(mon, "host forwarding rule for %s %s\n", rule,
                       removed ? "removed" : "not found");
}

void emu_net_monitor_register(EmuNet *net, EmuMonitor *mon)
{
    /* the monitor copies the entries; the opaque is this machine's net */
    const EmuMonitorCmd cmds[] = {
        {"set_link", "name on|off",
         "change the link status of a network adapter", cmd_set_link, net},
        {"hostfwd_add",
         "[netdev_id] [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport",
         "redirect TCP or UDP connections from host to guest (user "
         "networking)",
         cmd_hostfwd_add, net},
        {"hostfwd_remove", "[netdev_id] [tcp|udp]:[hostaddr]:hostport",
         "remove host-to-guest TCP or UDP redirection", cmd_hostfwd_remove,
         net},
        {NULL},
    };
    const EmuMonitorCmd infos[] = {
        {"network", "", "show the network state", cmd_info_network, net},
        {"usernet", "", "show user network stack connection states",
         cmd_info_usernet, net},
        {NULL},
    };

    emu_monitor_register(mon, cmds);
    emu_monitor_register_info(mon, infos);
    emu_net_hotplug_monitor_register(net, mon);
}
