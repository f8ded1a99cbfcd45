/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/build.c: domain definition -> `vmkit` engine command line. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "daemon/build.h"
#include "daemon/error.h"

/*
 * Everything the daemon tells an engine goes through here, in QEMU's
 * option language (DESIGN.md §2, QEMU's "Network options" and "Character
 * device options" documentation), so each domain can also be reproduced by
 * hand with the printed command line.
 */

void vmd_build_result_free(VmdBuildResult *res)
{
    if (res == NULL) {
        return;
    }
    g_strfreev(res->argv);
    g_strfreev(res->monitor_commands);
    g_free(res);
}

void vmd_build_escape(GString *buf, const char *value)
{
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == ',') {
            g_string_append_c(buf, ',');
        }
        g_string_append_c(buf, *p);
    }
}

/* ",key=value" with QEMU escaping, when value is set */
static void vmd_build_opt(GString *buf, const char *key, const char *value)
{
    if (value == NULL) {
        return;
    }
    g_string_append_printf(buf, ",%s=", key);
    vmd_build_escape(buf, value);
}

static void vmd_build_opt_onoff(GString *buf, const char *key, VmdTristate t)
{
    if (t != VMD_TRISTATE_DEFAULT) {
        vmd_build_opt(buf, key, t == VMD_TRISTATE_YES ? "on" : "off");
    }
}

/* "host:port", bracketing IPv6 literals as QEMU's inet syntax wants */
static void vmd_build_inet(GString *buf, const char *addr, guint port)
{
    if (addr != NULL && strchr(addr, ':') != NULL) {
        g_string_append_printf(buf, "[%s]", addr);
    } else if (addr != NULL) {
        g_string_append(buf, addr);
    }
    g_string_append_printf(buf, ":%u", port);
}

static void vmd_argv_add(GPtrArray *argv, const char *opt, const char *value)
{
    g_ptr_array_add(argv, g_strdup(opt));
    if (value != NULL) {
        g_ptr_array_add(argv, g_strdup(value));
    }
}

static gboolean vmd_port_excluded(const VmdPortForward *pf, guint port)
{
    for (guint i = 0; i < pf->ranges->len; i++) {
        const VmdPortRange *r = g_ptr_array_index(pf->ranges, i);
        guint end = r->end != 0 ? r->end : r->start;

        if (r->exclude && port >= r->start && port <= end) {
            return TRUE;
        }
    }
    return FALSE;
}

/*
 * libvirt's <portForward>: each <range start end to> maps host ports
 * start..end to guest ports to..to+(end-start); exclude='yes' ranges
 * remove host ports. Becomes one slirp hostfwd per port (validation
 * bounded the total).
 */
static gboolean vmd_build_hostfwds(GString *nd, const VmdNetDef *net,
                                   GError **error)
{
    for (guint i = 0; i < net->port_forwards->len; i++) {
        const VmdPortForward *pf = g_ptr_array_index(net->port_forwards, i);

        if (pf->dev != NULL) {
            g_set_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                        _("portForward dev='%s' is not supported with user "
                          "networking"),
                        pf->dev);
            return FALSE;
        }
        for (guint j = 0; j < pf->ranges->len; j++) {
            const VmdPortRange *r = g_ptr_array_index(pf->ranges, j);
            guint end = r->end != 0 ? r->end : r->start;
            guint to = r->to != 0 ? r->to : r->start;

            if (r->exclude) {
                continue;
            }
            for (guint port = r->start; port <= end; port++) {
                g_autoptr(GString) rule = NULL;

                if (vmd_port_excluded(pf, port)) {
                    continue;
                }
                rule = g_string_new(pf->proto);
                g_string_append_c(rule, ':');
                vmd_build_inet(rule, pf->address, port);
                g_string_append_printf(rule, "-:%u", to + (port - r->start));
                vmd_build_opt(nd, "hostfwd", rule->str);
            }
        }
    }
    return TRUE;
}

static void vmd_build_slirp(GString *nd, const VmdSlirpDef *s)
{
    if (s == NULL) {
        return;
    }
    vmd_build_opt(nd, "net", s->net);
    vmd_build_opt(nd, "host", s->host);
    vmd_build_opt(nd, "dhcpstart", s->dhcpstart);
    vmd_build_opt(nd, "dns", s->dns);
    vmd_build_opt_onoff(nd, "restrict", s->restrict_net);
    vmd_build_opt_onoff(nd, "ipv6", s->ipv6);
    vmd_build_opt(nd, "hostname", s->hostname);
    vmd_build_opt(nd, "domainname", s->domainname);
    vmd_build_opt(nd, "dnssearch", s->dnssearch);
    vmd_build_opt(nd, "tftp", s->tftp);
    vmd_build_opt(nd, "tftp-server-name", s->tftp_server_name);
    vmd_build_opt(nd, "bootfile", s->bootfile);
    vmd_build_opt(nd, "smb", s->smb);
}

char *vmd_build_net_id(const VmdNetDef *net, guint idx)
{
    return net->alias != NULL ? g_strdup(net->alias)
                              : g_strdup_printf("net%u", idx);
}

char *vmd_build_nic_id(const VmdNetDef *net, guint idx)
{
    g_autofree char *id = vmd_build_net_id(net, idx);

    return g_strconcat(id, "-nic", NULL);
}

char *vmd_build_port_id(guint bus)
{
    return g_strdup_printf("pci.%u", bus);
}

char *vmd_build_hub_path(const char *base, const VmdNetDef *net, guint idx)
{
    g_autofree char *id = vmd_build_net_id(net, idx);

    return g_strconcat(base, ".", id, ".hub", NULL);
}

gboolean vmd_build_netdev(GString *nd, const VmdNetDef *net, guint idx, int fd,
                          const char *hub_base, GError **error)
{
    g_autofree char *id = vmd_build_net_id(net, idx);
    /* an fd NetdevAdd passes: the engine appends ",fd=N" itself */
    gboolean passed = fd == VMD_BUILD_FD_PASSED;

    switch (net->type) {
    case VMD_NET_USER:
        g_string_append_printf(nd, "user,id=%s", id);
        vmd_build_slirp(nd, net->slirp);
        return vmd_build_hostfwds(nd, net, error);
    case VMD_NET_ETHERNET:
    case VMD_NET_BRIDGE:
        if (passed) {
            g_string_append_printf(nd, "tap,id=%s", id);
        } else if (fd >= 0) {
            g_string_append_printf(nd, "tap,id=%s,fd=%d", id, fd);
        } else if (net->type == VMD_NET_BRIDGE) {
            /* no fd from the daemon: the engine runs the bridge helper */
            g_string_append_printf(nd, "bridge,id=%s", id);
            vmd_build_opt(nd, "br", net->source_name);
        } else {
            g_string_append_printf(nd, "tap,id=%s", id);
            vmd_build_opt(nd, "ifname", net->target_dev);
            g_string_append(nd, ",script=no,downscript=no");
        }
        return TRUE;
    case VMD_NET_NETWORK:
    case VMD_NET_HUB:
        if (hub_base == NULL) {
            g_set_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                        _("interface %u: joining the hub '%s' needs the "
                          "daemon's socket"),
                        idx, net->source_name);
            return FALSE;
        }
        {
            /*
             * QEMU's stream netdev as a client of vmd's socket: the link
             * is up while connected, and reconnect= makes a restarted vmd
             * reachable again without the guest noticing more than a gap.
             */
            g_autofree char *path = vmd_build_hub_path(hub_base, net, idx);

            g_string_append_printf(nd, "stream,id=%s,server=off", id);
            vmd_build_opt(nd, "addr.type", "unix");
            vmd_build_opt(nd, "addr.path", path);
            g_string_append(nd, ",reconnect=1");
        }
        return TRUE;
    case VMD_NET_MCAST:
        g_string_append_printf(nd, "socket,id=%s,mcast=", id);
        vmd_build_inet(nd, net->source_address, net->source_port);
        vmd_build_opt(nd, "localaddr", net->local_address);
        return TRUE;
    case VMD_NET_SERVER:
        g_string_append_printf(nd, "socket,id=%s,listen=", id);
        vmd_build_inet(nd, net->source_address, net->source_port);
        return TRUE;
    case VMD_NET_CLIENT:
        g_string_append_printf(nd, "socket,id=%s,connect=", id);
        vmd_build_inet(nd, net->source_address, net->source_port);
        return TRUE;
    case VMD_NET_UDP:
        g_string_append_printf(nd, "socket,id=%s,udp=", id);
        vmd_build_inet(nd, net->source_address, net->source_port);
        g_string_append(nd, ",localaddr=");
        vmd_build_inet(nd, net->local_address, net->local_port);
        return TRUE;
    }
    g_set_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                _("interface %u: unsupported type"), idx);
    return FALSE;
}

void vmd_build_nic(GString *dev, const VmdNetDef *net, guint idx)
{
    g_autofree char *id = vmd_build_net_id(net, idx);
    char mac[18];

    if (net->model == VMD_NET_MODEL_E1000) {
        g_string_append(dev, "e1000");
    } else if (net->addr.type == VMD_ADDR_VIRTIO_MMIO) {
        g_string_append(dev, "virtio-net-device");
    } else {
        g_string_append(dev, "virtio-net-pci");
    }
    g_string_append_printf(dev, ",netdev=%s,mac=%s", id,
                           vmd_domain_mac_format(net->mac, mac));
    if (net->addr.type == VMD_ADDR_PCI && net->addr.bus != 0) {
        /* behind a hot-plug port: named, so that it can be unplugged */
        g_autofree char *port = vmd_build_port_id(net->addr.bus);
        g_autofree char *nic = vmd_build_nic_id(net, idx);

        g_string_append_printf(dev, ",bus=%s,id=%s", port, nic);
    } else if (net->addr.type == VMD_ADDR_PCI) {
        g_string_append_printf(dev, ",addr=0x%x", net->addr.slot);
    }
}

static gboolean vmd_build_serial(GPtrArray *argv, const VmdChrDef *chr,
                                 GError **error)
{
    g_autoptr(GString) spec = NULL;

    /*
     * No <serial>: nothing is passed and the engine's -nographic default
     * applies (the UART goes to the engine's stdout, i.e. its log).
     */
    if (chr == NULL) {
        return TRUE;
    }
    switch (chr->type) {
    case VMD_CHR_PTY:
        vmd_argv_add(argv, "-serial", "pty");
        return TRUE;
    case VMD_CHR_UNIX:
        spec = g_string_new("unix:");
        vmd_build_escape(spec, chr->path);
        if (chr->listen) {
            /* a daemon must not block the guest until someone connects */
            g_string_append(spec, ",server=on,wait=off");
        }
        break;
    case VMD_CHR_FILE:
        if (chr->append == VMD_TRISTATE_YES) {
            g_set_error_literal(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                                _("serial file append='on' is not "
                                  "supported yet"));
            return FALSE;
        }
        spec = g_string_new("file:");
        vmd_build_escape(spec, chr->path);
        break;
    }
    vmd_argv_add(argv, "-serial", spec->str);
    return TRUE;
}

VmdBuildResult *vmd_build_command(const VmdDomainDef *def,
                                  const VmdBuildOptions *opts, GError **error)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) mon = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) name = g_string_new(NULL);
    VmdBuildResult *res;
    char buf[64];

    vmd_argv_add(
        argv, opts != NULL && opts->emulator != NULL ? opts->emulator : "vmkit",
        NULL);
    vmd_argv_add(argv, "-M", "virt");
    /* -m takes MiB; a size that is not a whole MiB is rounded up */
    g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT "M",
               (def->memory_kib + 1023) / 1024);
    vmd_argv_add(argv, "-m", buf);
    g_snprintf(buf, sizeof(buf), "%u", def->vcpus);
    vmd_argv_add(argv, "-smp", buf);
    vmd_build_escape(name, def->name);
    vmd_argv_add(argv, "-name", name->str);
    vmd_argv_add(argv, "-uuid", def->uuid);
    vmd_argv_add(argv, "-nographic", NULL);
    if (def->loader != NULL) {
        vmd_argv_add(argv, "-bios", def->loader);
    }
    if (def->kernel != NULL) {
        vmd_argv_add(argv, "-kernel", def->kernel);
    }
    if (def->initrd != NULL) {
        vmd_argv_add(argv, "-initrd", def->initrd);
    }
    if (def->cmdline != NULL) {
        vmd_argv_add(argv, "-append", def->cmdline);
    }
    if (!vmd_build_serial(argv, def->serial, error)) {
        return NULL;
    }

    if (def->nets->len == 0) {
        /* no interfaces means no network, not the engine's default NIC */
        vmd_argv_add(argv, "-nic", "none");
    }
    /*
     * The hot-plug ports, libvirt's pcie-root-port controllers (postparse
     * gives a definition without any VMD_DOMAIN_HOTPLUG_PORTS): physical
     * slot number = index, so that chassis/slot pairs never clash.
     */
    for (guint i = 0; i < def->ports->len; i++) {
        const VmdPciPortDef *p = g_ptr_array_index(def->ports, i);
        g_autofree char *id = vmd_build_port_id(p->index);

        g_snprintf(buf, sizeof(buf), "pcie-root-port,id=%s,chassis=%u,"
                   "slot=%u,port=0x%x,addr=0x%x", id, p->chassis, p->index,
                   p->port, p->addr.slot);
        vmd_argv_add(argv, "-device", buf);
    }
    for (guint i = 0; i < def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(def->nets, i);
        int fd = opts != NULL && opts->net_fds != NULL && i < opts->n_net_fds
                     ? opts->net_fds[i]
                     : -1;
        g_autoptr(GString) nd = g_string_new(NULL);
        g_autoptr(GString) dev = g_string_new(NULL);

        if (!vmd_build_netdev(nd, net, i, fd,
                              opts != NULL ? opts->hub_base : NULL, error)) {
            return NULL;
        }
        vmd_build_nic(dev, net, i);
        vmd_argv_add(argv, "-netdev", nd->str);
        vmd_argv_add(argv, "-device", dev->str);
        if (net->link == VMD_TRISTATE_NO) {
            g_autofree char *id = vmd_build_net_id(net, i);

            g_ptr_array_add(mon, g_strdup_printf("set_link %s off", id));
        }
    }

    if (opts != NULL && opts->control_fd >= 0) {
        g_snprintf(buf, sizeof(buf), "%d", opts->control_fd);
        vmd_argv_add(argv, "-control", buf);
    }

    g_ptr_array_add(argv, NULL);
    g_ptr_array_add(mon, NULL);
    res = g_new0(VmdBuildResult, 1);
    res->argv = (GStrv)g_ptr_array_free(g_steal_pointer(&argv), FALSE);
    res->monitor_commands =
        (GStrv)g_ptr_array_free(g_steal_pointer(&mon), FALSE);
    return res;
}
