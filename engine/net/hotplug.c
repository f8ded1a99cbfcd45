/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hotplug.c: QEMU's hot-plug monitor commands for the net layer —
 * "netdev_add", "netdev_del", "device_add", "device_del" and "info pci" —
 * and the same operations as functions for the control channel. NICs go
 * into pcie-root-port slots (engine/hw/pcie-root-port.c); the guest is
 * asked to let go of one before it is destroyed. */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "engine/core/machine.h"
#include "engine/core/monitor.h"
#include "engine/hw/pci.h"
#include "engine/hw/virt.h"
#include "engine/net/net-internal.h"

static EmuPciHost *pci_host(EmuNet *net, GError **error)
{
    EmuPciHost *h = net->m ? emu_virt_pci_host(net->m) : NULL;

    if (!h) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "the machine has no PCI host bridge");
    }
    return h;
}

bool emu_net_netdev_add(EmuNet *net, const char *options, GError **error)
{
    bool ok;

    emu_machine_lock(net->m);
    ok = emu_net_hot_netdev_add(net, options, error);
    emu_machine_unlock(net->m);
    return ok;
}

/* QEMU's qmp_netdev_del(): a netdev a NIC holds is cut off now (link
 * down on both sides) and freed with the NIC. */
bool emu_net_netdev_del(EmuNet *net, const char *id, GError **error)
{
    EmuNetClient *nc;
    bool ok = true;

    emu_machine_lock(net->m);
    nc = emu_net_find(net, id);
    if (!nc || emu_net_priv(nc)->deleted) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "Device '%s' not found", id);
        ok = false;
    } else if (nc->ops->kind == EMU_NET_CLIENT_NIC ||
               !emu_net_priv(nc)->is_netdev) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "Device '%s' is not a netdev", id);
        ok = false;
    } else if (nc->peer && nc->peer->ops->kind == EMU_NET_CLIENT_NIC) {
        emu_net_priv(nc)->deleted = true;
        emu_net_set_link(net, id, false, NULL);
    } else {
        emu_net_client_free(nc);
    }
    emu_machine_unlock(net->m);
    return ok;
}

bool emu_net_device_add(EmuNet *net, const char *options, char **id_out,
                        GError **error)
{
    g_autofree char *id = NULL;
    EmuPciHost *h = pci_host(net, error);
    EmuOpts *opts;
    const char *given;
    bool ok;

    if (!h) {
        return false;
    }
    opts = emu_opts_parse(options, "driver", error);
    if (!opts) {
        return false;
    }
    given = emu_opts_get(opts, "id");
    emu_machine_lock(net->m);
    if (given && emu_pcie_host_find(h, given)) {
        /* a root port's id, or a NIC of another name space */
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "Duplicate ID '%s' for device", given);
        ok = false;
    } else {
        ok = emu_net_hot_device_add(net, options, &id, error);
    }
    if (!ok && id) {
        /* the model was built but refused an option after plugging: take
         * it back at once (its slot has no power yet) */
        EmuPciDevice *d = emu_pcie_host_find(h, id);

        if (d) {
            emu_pci_unplug_request(d, NULL);
        }
    }
    emu_machine_unlock(net->m);
    emu_opts_free(opts);
    if (ok && id_out) {
        *id_out = g_steal_pointer(&id);
    }
    return ok;
}

bool emu_net_device_del(EmuNet *net, const char *id, GError **error)
{
    EmuPciHost *h = pci_host(net, error);
    EmuPciDevice *d;
    bool ok;

    if (!h) {
        return false;
    }
    emu_machine_lock(net->m);
    d = emu_pcie_host_find(h, id);
    if (d) {
        ok = emu_pci_unplug_request(d, error);
    } else if (emu_net_find(net, id) &&
               emu_net_find(net, id)->ops->kind == EMU_NET_CLIENT_NIC) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "device '%s' is not hot-pluggable", id);
        ok = false;
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "Device '%s' not found", id);
        ok = false;
    }
    emu_machine_unlock(net->m);
    return ok;
}

/* ---- monitor ------------------------------------------------------------ */

/* The words after the command, joined again (option text has no spaces,
 * but a typo's error message should show what was typed). */
static char *args_text(int argc, char **argv)
{
    return argc > 1 ? g_strjoinv(" ", argv + 1) : NULL;
}

static void report(EmuMonitor *mon, bool ok, const GError *err)
{
    if (!ok) {
        emu_monitor_printf(mon, "Error: %s\n",
                           err ? err->message : "failed");
    }
}

static void cmd_netdev_add(EmuMonitor *mon, int argc, char **argv,
                           void *opaque)
{
    g_autofree char *text = args_text(argc, argv);
    g_autoptr(GError) err = NULL;
    bool ok;

    if (!text) {
        emu_monitor_printf(mon, "usage: netdev_add TYPE,id=ID[,...]\n");
        return;
    }
    ok = emu_net_netdev_add(opaque, text, &err);
    report(mon, ok, err);
}

static void cmd_netdev_del(EmuMonitor *mon, int argc, char **argv,
                           void *opaque)
{
    g_autoptr(GError) err = NULL;
    bool ok;

    if (argc != 2) {
        emu_monitor_printf(mon, "usage: netdev_del ID\n");
        return;
    }
    ok = emu_net_netdev_del(opaque, argv[1], &err);
    report(mon, ok, err);
}

static void cmd_device_add(EmuMonitor *mon, int argc, char **argv,
                           void *opaque)
{
    g_autofree char *text = args_text(argc, argv);
    g_autoptr(GError) err = NULL;
    bool ok;

    if (!text) {
        emu_monitor_printf(mon, "usage: device_add DRIVER,bus=PORT"
                                "[,netdev=ID][,id=ID][,mac=MAC]\n");
        return;
    }
    ok = emu_net_device_add(opaque, text, NULL, &err);
    report(mon, ok, err);
}

static void cmd_device_del(EmuMonitor *mon, int argc, char **argv,
                           void *opaque)
{
    g_autoptr(GError) err = NULL;
    bool ok;

    if (argc != 2) {
        emu_monitor_printf(mon, "usage: device_del ID\n");
        return;
    }
    ok = emu_net_device_del(opaque, argv[1], &err);
    report(mon, ok, err);
}

static void cmd_info_pci(EmuMonitor *mon, int argc, char **argv,
                         void *opaque)
{
    EmuNet *net = opaque;
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    EmuPciHost *h = pci_host(net, &err);

    if (!h) {
        emu_monitor_printf(mon, "Error: %s\n", err->message);
        return;
    }
    emu_machine_lock(net->m);
    emu_pcie_host_format_info(h, out);
    emu_machine_unlock(net->m);
    emu_monitor_printf(mon, "%s", out->str);
}

void emu_net_hotplug_monitor_register(EmuNet *net, EmuMonitor *mon)
{
    const EmuMonitorCmd cmds[] = {
        {"netdev_add", "[user|tap|bridge|socket|stream|dgram|hubport],id=str"
                       "[,prop=value][,...]",
         "add host network device", cmd_netdev_add, net},
        {"netdev_del", "id", "remove host network device", cmd_netdev_del,
         net},
        {"device_add", "driver[,prop=value][,...]",
         "add device into a pcie-root-port slot, like -device",
         cmd_device_add, net},
        {"device_del", "device", "remove device (the guest must let go)",
         cmd_device_del, net},
        {NULL},
    };
    const EmuMonitorCmd infos[] = {
        {"pci", "", "show PCI info", cmd_info_pci, net},
        {NULL},
    };

    if (!net->m) {
        return;
    }
    emu_monitor_register(mon, cmds);
    emu_monitor_register_info(mon, infos);
}
