/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/domain-validate.c: semantic checks on a post-parsed VmdDomainDef. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "daemon/domain.h"
#include "daemon/error.h"

/* Linux IFNAMSIZ including the NUL: names must be shorter. */
#define VMD_IFNAMSIZ 16

/*
 * What domain.rng cannot say: cross-element rules (unique MACs and slots,
 * console vs serial was checked while parsing), rules that depend on the
 * interface type, and limits on what a definition may make the daemon do.
 */

static gboolean G_GNUC_PRINTF(3, 4)
    vmd_invalid(GError **error, long line, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (line > 0) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML, _("line %ld: %s"),
                    line, msg);
    } else {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML, msg);
    }
    return FALSE;
}

static gboolean vmd_is_ip(const char *s, gboolean want_multicast)
{
    g_autoptr(GInetAddress) a = NULL;

    if (s == NULL) {
        return FALSE;
    }
    a = g_inet_address_new_from_string(s);
    if (a == NULL) {
        return FALSE;
    }
    return !want_multicast || g_inet_address_get_is_multicast(a);
}

static gboolean vmd_is_ipv4_net(const char *s)
{
    g_auto(GStrv) parts = NULL;
    guint64 prefix;

    if (s == NULL) {
        return TRUE;
    }
    parts = g_strsplit(s, "/", 2);
    if (!vmd_is_ip(parts[0], FALSE) || strchr(parts[0], ':') != NULL) {
        return FALSE;
    }
    return parts[1] == NULL ||
           g_ascii_string_to_unsigned(parts[1], 10, 0, 32, &prefix, NULL) ||
           vmd_is_ip(parts[1], FALSE);
}

static gboolean vmd_validate_abs_path(const char *what, const char *path,
                                      long line, GError **error)
{
    if (path != NULL && !g_path_is_absolute(path)) {
        return vmd_invalid(error, line, _("%s '%s' must be an absolute path"),
                           what, path);
    }
    return TRUE;
}

static gboolean vmd_validate_ifname(const char *what, const char *name,
                                    long line, GError **error)
{
    if (name != NULL &&
        (name[0] == '\0' || strlen(name) >= VMD_IFNAMSIZ ||
         strchr(name, '/') != NULL || strchr(name, ' ') != NULL)) {
        return vmd_invalid(error, line,
                           _("%s '%s' is not a valid network interface name"),
                           what, name);
    }
    return TRUE;
}

static gboolean vmd_validate_port_forwards(const VmdNetDef *net, guint *n_ports,
                                           GError **error)
{
    for (guint i = 0; i < net->port_forwards->len; i++) {
        const VmdPortForward *pf = g_ptr_array_index(net->port_forwards, i);

        if (pf->address != NULL && !vmd_is_ip(pf->address, FALSE)) {
            return vmd_invalid(error, net->line,
                               _("portForward address '%s' is not an IP "
                                 "address"),
                               pf->address);
        }
        if (!vmd_validate_ifname("portForward dev", pf->dev, net->line,
                                 error)) {
            return FALSE;
        }
        if (pf->ranges->len == 0) {
            return vmd_invalid(error, net->line,
                               _("portForward needs at least one <range>"));
        }
        for (guint j = 0; j < pf->ranges->len; j++) {
            const VmdPortRange *r = g_ptr_array_index(pf->ranges, j);
            guint end = r->end != 0 ? r->end : r->start;

            if (r->start == 0 || end < r->start) {
                return vmd_invalid(error, net->line,
                                   _("invalid portForward range %u-%u"),
                                   r->start, r->end);
            }
            if (r->exclude) {
                if (r->to != 0) {
                    return vmd_invalid(error, net->line,
                                       _("an excluded portForward range "
                                         "cannot have 'to'"));
                }
                continue;
            }
            if (r->to != 0 && r->to + (end - r->start) > 65535) {
                return vmd_invalid(error, net->line,
                                   _("portForward range %u-%u to %u goes "
                                     "past port 65535"),
                                   r->start, end, r->to);
            }
            *n_ports += end - r->start + 1;
            if (*n_ports > VMD_DOMAIN_MAX_FORWARDED_PORTS) {
                return vmd_invalid(error, net->line,
                                   _("more than %d forwarded ports"),
                                   VMD_DOMAIN_MAX_FORWARDED_PORTS);
            }
        }
    }
    return TRUE;
}

static gboolean vmd_validate_slirp(const VmdNetDef *net, GError **error)
{
    const VmdSlirpDef *s = net->slirp;
    const struct {
        const char *name, *value;
    } ips[] = {
        {"host", s->host},
        {"dhcpstart", s->dhcpstart},
        {"dns", s->dns},
    };

    if (!vmd_is_ipv4_net(s->net)) {
        return vmd_invalid(error, net->line,
                           _("vmkit:slirp net '%s' is not ADDR[/PREFIX]"),
                           s->net);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(ips); i++) {
        if (ips[i].value != NULL && !vmd_is_ip(ips[i].value, FALSE)) {
            return vmd_invalid(error, net->line,
                               _("vmkit:slirp %s '%s' is not an IP address"),
                               ips[i].name, ips[i].value);
        }
    }
    return vmd_validate_abs_path("vmkit:slirp tftp", s->tftp, net->line,
                                 error) &&
           vmd_validate_abs_path("vmkit:slirp smb", s->smb, net->line, error);
}

static gboolean vmd_validate_net_source(const VmdNetDef *net, GError **error)
{
    const char *type = vmd_net_type_to_string(net->type);

    switch (net->type) {
    case VMD_NET_NETWORK:
    case VMD_NET_HUB:
    case VMD_NET_BRIDGE:
        if (net->source_name == NULL || net->source_name[0] == '\0') {
            return vmd_invalid(error, net->line,
                               _("interface type '%s' needs a <source>"), type);
        }
        if (net->type == VMD_NET_BRIDGE) {
            return vmd_validate_ifname(_("bridge"), net->source_name, net->line,
                                       error);
        }
        return TRUE;
    case VMD_NET_MCAST:
        if (!vmd_is_ip(net->source_address, TRUE)) {
            return vmd_invalid(error, net->line,
                               _("mcast interface needs a multicast source "
                                 "address"));
        }
        break;
    case VMD_NET_CLIENT:
    case VMD_NET_UDP:
        if (!vmd_is_ip(net->source_address, FALSE)) {
            return vmd_invalid(error, net->line,
                               _("interface type '%s' needs a source IP "
                                 "address"),
                               type);
        }
        break;
    case VMD_NET_SERVER:
        if (net->source_address != NULL &&
            !vmd_is_ip(net->source_address, FALSE)) {
            return vmd_invalid(error, net->line,
                               _("source address '%s' is not an IP address"),
                               net->source_address);
        }
        break;
    case VMD_NET_USER:
    case VMD_NET_ETHERNET:
        return TRUE;
    }
    if (net->source_port == 0) {
        return vmd_invalid(error, net->line,
                           _("interface type '%s' needs a source port"), type);
    }
    if (net->type == VMD_NET_UDP &&
        (!vmd_is_ip(net->local_address, FALSE) || net->local_port == 0)) {
        return vmd_invalid(error, net->line,
                           _("udp interface needs <local address= port=>"));
    }
    if (net->local_address != NULL && !vmd_is_ip(net->local_address, FALSE)) {
        return vmd_invalid(error, net->line,
                           _("local address '%s' is not an IP address"),
                           net->local_address);
    }
    return TRUE;
}

/* The pcie-root-port of index @bus, or NULL. */
static const VmdPciPortDef *vmd_find_port(const VmdDomainDef *def, guint bus)
{
    for (guint i = 0; i < def->ports->len; i++) {
        const VmdPciPortDef *p = g_ptr_array_index(def->ports, i);

        if (p->index == bus) {
            return p;
        }
    }
    return NULL;
}

/* The pcie-root-port in slot @slot of bus 0, or NULL. */
static const VmdPciPortDef *vmd_port_in_slot(const VmdDomainDef *def,
                                             guint slot)
{
    for (guint i = 0; i < def->ports->len; i++) {
        const VmdPciPortDef *p = g_ptr_array_index(def->ports, i);

        if (p->addr.type == VMD_ADDR_PCI && p->addr.slot == slot) {
            return p;
        }
    }
    return NULL;
}

static gboolean vmd_validate_net(const VmdDomainDef *def,
                                 const VmdNetDef *net, guint *n_ports,
                                 GError **error)
{
    const VmdPciPortDef *port;
    const char *type = vmd_net_type_to_string(net->type);

    if (!net->mac_set || (net->mac[0] & 1) != 0) {
        return vmd_invalid(error, net->line,
                           _("interface MAC address must be unicast"));
    }
    if (!vmd_validate_net_source(net, error) ||
        !vmd_validate_ifname(_("target dev"), net->target_dev, net->line,
                             error)) {
        return FALSE;
    }
    if (net->target_managed != VMD_TRISTATE_DEFAULT &&
        net->type != VMD_NET_ETHERNET) {
        return vmd_invalid(error, net->line,
                           _("target 'managed' is only valid for interfaces "
                             "of type 'ethernet'"));
    }
    if (net->port_forwards->len > 0 && net->type != VMD_NET_USER) {
        return vmd_invalid(error, net->line,
                           _("portForward is only supported on interfaces "
                             "of type 'user', not '%s'"),
                           type);
    }
    if (net->slirp != NULL) {
        if (net->type != VMD_NET_USER) {
            return vmd_invalid(error, net->line,
                               _("vmkit:slirp is only valid on interfaces "
                                 "of type 'user'"));
        }
        if (!vmd_validate_slirp(net, error)) {
            return FALSE;
        }
    }
    switch (net->addr.type) {
    case VMD_ADDR_NONE:
        return vmd_invalid(error, net->line,
                           _("no free PCI slot for the interface"));
    case VMD_ADDR_VIRTIO_MMIO:
        if (net->model != VMD_NET_MODEL_VIRTIO) {
            return vmd_invalid(error, net->line,
                               _("NIC model '%s' needs a PCI address"),
                               vmd_net_model_to_string(net->model));
        }
        break;
    case VMD_ADDR_PCI:
        if (net->addr.domain != 0 || net->addr.function != 0 ||
            (net->addr.bus == 0 &&
             (net->addr.slot < VMD_DOMAIN_PCI_SLOT_MIN ||
              net->addr.slot > VMD_DOMAIN_PCI_SLOT_MAX)) ||
            (net->addr.bus != 0 && net->addr.slot != 0)) {
            return vmd_invalid(error, net->line,
                               _("PCI address %04x:%02x:%02x.%x is not "
                                 "usable (domain 0, bus 0, slot 1..31, "
                                 "function 0)"),
                               net->addr.domain, net->addr.bus, net->addr.slot,
                               net->addr.function);
        }
        /* bus N: behind the pcie-root-port of index N */
        if (net->addr.bus != 0 && vmd_find_port(def, net->addr.bus) == NULL) {
            return vmd_invalid(error, net->line,
                               _("PCI bus 0x%02x has no pcie-root-port "
                                 "controller of index %u"),
                               net->addr.bus, net->addr.bus);
        }
        port = net->addr.bus == 0 ? vmd_port_in_slot(def, net->addr.slot)
                                  : NULL;
        if (port != NULL) {
            return vmd_invalid(error, net->line,
                               _("PCI slot 0x%02x is taken by hot-plug port "
                                 "pci.%u (bus %u, slot 0 is behind it)"),
                               net->addr.slot, port->index, port->index);
        }
        break;
    }
    return vmd_validate_port_forwards(net, n_ports, error);
}

/* pcie-root-ports: each in its own slot of bus 0, indexes unique */
static gboolean vmd_validate_ports(const VmdDomainDef *def, GError **error)
{
    if (def->ports->len > VMD_DOMAIN_MAX_PCI_PORTS) {
        return vmd_invalid(error, def->lines.root,
                           _("more than %d pcie-root-ports"),
                           VMD_DOMAIN_MAX_PCI_PORTS);
    }
    for (guint i = 0; i < def->ports->len; i++) {
        const VmdPciPortDef *p = g_ptr_array_index(def->ports, i);

        if (p->index == 0 || p->chassis > 0xff || p->port > 0xff) {
            return vmd_invalid(error, p->line,
                               _("pcie-root-port index %u, chassis %u, port "
                                 "%u out of range"),
                               p->index, p->chassis, p->port);
        }
        if (p->addr.type == VMD_ADDR_NONE) {
            return vmd_invalid(error, p->line,
                               _("no free PCI slot for pcie-root-port %u"),
                               p->index);
        }
        if (p->addr.type != VMD_ADDR_PCI || p->addr.domain != 0 ||
            p->addr.bus != 0 || p->addr.function != 0 ||
            p->addr.slot < VMD_DOMAIN_PCI_SLOT_MIN ||
            p->addr.slot > VMD_DOMAIN_PCI_SLOT_MAX) {
            return vmd_invalid(error, p->line,
                               _("pcie-root-port %u: a root port sits on "
                                 "bus 0, slot 1..31, function 0"),
                               p->index);
        }
        for (guint j = 0; j < i; j++) {
            const VmdPciPortDef *o = g_ptr_array_index(def->ports, j);

            if (o->index == p->index) {
                return vmd_invalid(error, p->line,
                                   _("two PCI controllers with index %u"),
                                   p->index);
            }
            if (o->addr.slot == p->addr.slot) {
                return vmd_invalid(error, p->line,
                                   _("PCI slot 0x%02x is used by two "
                                     "devices"),
                                   p->addr.slot);
            }
        }
    }
    return TRUE;
}

static gboolean vmd_validate_nets(const VmdDomainDef *def, GError **error)
{
    guint n_ports = 0, n_mmio = 0;

    if (def->nets->len > VMD_DOMAIN_MAX_NETS) {
        return vmd_invalid(error, def->lines.root, _("more than %d interfaces"),
                           VMD_DOMAIN_MAX_NETS);
    }
    for (guint i = 0; i < def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(def->nets, i);

        if (!vmd_validate_net(def, net, &n_ports, error)) {
            return FALSE;
        }
        if (net->addr.type == VMD_ADDR_VIRTIO_MMIO &&
            ++n_mmio > VMD_DOMAIN_MAX_MMIO_NETS) {
            return vmd_invalid(error, net->line,
                               _("more than %d virtio-mmio devices"),
                               VMD_DOMAIN_MAX_MMIO_NETS);
        }
        for (guint j = 0; j < i; j++) {
            const VmdNetDef *other = g_ptr_array_index(def->nets, j);
            char mac[18];

            if (net->alias != NULL &&
                g_strcmp0(net->alias, other->alias) == 0) {
                return vmd_invalid(error, net->line,
                                   _("alias '%s' is used by two interfaces"),
                                   net->alias);
            }
            if (memcmp(net->mac, other->mac, 6) == 0) {
                return vmd_invalid(error, net->line,
                                   _("MAC address %s is used by two "
                                     "interfaces"),
                                   vmd_domain_mac_format(net->mac, mac));
            }
            if (net->addr.type == VMD_ADDR_PCI &&
                other->addr.type == VMD_ADDR_PCI &&
                net->addr.bus == other->addr.bus &&
                net->addr.slot == other->addr.slot) {
                return vmd_invalid(error, net->line,
                                   _("PCI slot 0x%02x is used by two "
                                     "devices"),
                                   net->addr.slot);
            }
        }
    }
    return TRUE;
}

static gboolean vmd_validate_serial(const VmdChrDef *chr, GError **error)
{
    if (chr == NULL) {
        return TRUE;
    }
    if (chr->port != 0) {
        return vmd_invalid(error, chr->line,
                           _("serial port %u does not exist (the virt board "
                             "has one UART, port 0)"),
                           chr->port);
    }
    switch (chr->type) {
    case VMD_CHR_PTY:
        return TRUE;
    case VMD_CHR_UNIX:
    case VMD_CHR_FILE:
        if (chr->path == NULL) {
            return vmd_invalid(error, chr->line,
                               _("serial type '%s' needs <source path=>"),
                               vmd_chr_type_to_string(chr->type));
        }
        return vmd_validate_abs_path(_("serial source path"), chr->path,
                                     chr->line, error);
    }
    return TRUE;
}

gboolean vmd_domain_def_validate(const VmdDomainDef *def, GError **error)
{
    const VmdDefLines *l = &def->lines;
    g_autoptr(GError) err = NULL;

    if (!vmd_domain_name_check(def->name, &err)) {
        return vmd_invalid(error, l->name, "%s", err->message);
    }
    if (def->uuid[0] == '\0') {
        return vmd_invalid(error, l->root, _("domain has no UUID"));
    }
    if (def->title != NULL && strchr(def->title, '\n') != NULL) {
        return vmd_invalid(error, l->title,
                           _("title must not contain a newline"));
    }
    if (def->memory_kib < 1024 || def->memory_kib > VMD_DOMAIN_MAX_MEMORY_KIB) {
        return vmd_invalid(error, l->memory,
                           _("memory size %llu KiB is out of range "
                             "(1 MiB .. 1 TiB)"),
                           (unsigned long long)def->memory_kib);
    }
    if (def->current_memory_kib > def->memory_kib) {
        return vmd_invalid(error, l->current_memory,
                           _("currentMemory is larger than memory"));
    }
    if (def->vcpus < 1 || def->vcpus > VMD_DOMAIN_MAX_VCPUS) {
        return vmd_invalid(error, l->vcpu,
                           _("vcpu count %u out of range (1..%d)"), def->vcpus,
                           VMD_DOMAIN_MAX_VCPUS);
    }
    if (def->on_poweroff >= VMD_LIFECYCLE_COREDUMP_DESTROY ||
        def->on_reboot >= VMD_LIFECYCLE_COREDUMP_DESTROY) {
        return vmd_invalid(error,
                           def->on_poweroff >= VMD_LIFECYCLE_COREDUMP_DESTROY
                               ? l->on_poweroff
                               : l->on_reboot,
                           _("coredump actions are only valid for "
                             "on_crash"));
    }
    if ((def->initrd != NULL || def->cmdline != NULL) && def->kernel == NULL) {
        return vmd_invalid(error, l->os, _("initrd and cmdline need a kernel"));
    }
    if (def->loader != NULL && strcmp(def->loader, "none") != 0 &&
        !vmd_validate_abs_path(_("loader"), def->loader, l->os, error)) {
        return FALSE;
    }
    if (!vmd_validate_abs_path(_("kernel"), def->kernel, l->os, error) ||
        !vmd_validate_abs_path(_("initrd"), def->initrd, l->os, error)) {
        return FALSE;
    }
    return vmd_validate_ports(def, error) && vmd_validate_nets(def, error) &&
           vmd_validate_serial(def->serial, error);
}
