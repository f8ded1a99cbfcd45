/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/domain-format.c: VmdDomainDef -> domain XML (libvirt's layout). */
#include "config.h"

#include <string.h>

#include "daemon/domain.h"
#include "daemon/xml.h"

/*
 * Output follows libvirt's formatter: two-space indentation, attributes
 * in single quotes, a fixed element order, every default written out, so
 * that the output parses back to the same definition (a fixed point).
 */

static void vmd_buf_escape(GString *buf, const char *s, gboolean attr)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&':
            g_string_append(buf, "&amp;");
            break;
        case '<':
            g_string_append(buf, "&lt;");
            break;
        case '>':
            g_string_append(buf, "&gt;");
            break;
        case '\'':
            g_string_append(buf, "&apos;");
            break;
        case '"':
            g_string_append(buf, "&quot;");
            break;
        /* a raw CR would be normalised away by the next parse */
        case '\r':
            g_string_append(buf, "&#13;");
            break;
        /* attribute values normalise whitespace; text keeps it */
        case '\n':
            g_string_append(buf, attr ? "&#10;" : "\n");
            break;
        case '\t':
            g_string_append(buf, attr ? "&#9;" : "\t");
            break;
        default:
            g_string_append_c(buf, *s);
            break;
        }
    }
}

static void vmd_buf_indent(GString *buf, int level)
{
    for (int i = 0; i < level; i++) {
        g_string_append(buf, "  ");
    }
}

/* " name='value'" when value is set */
static void vmd_buf_attr(GString *buf, const char *name, const char *value)
{
    if (value == NULL) {
        return;
    }
    g_string_append_printf(buf, " %s='", name);
    vmd_buf_escape(buf, value, TRUE);
    g_string_append_c(buf, '\'');
}

static void vmd_buf_attr_uint(GString *buf, const char *name, guint value)
{
    g_string_append_printf(buf, " %s='%u'", name, value);
}

/* <name>text</name> when text is set */
static void vmd_buf_text_elem(GString *buf, int level, const char *name,
                              const char *text)
{
    if (text == NULL) {
        return;
    }
    vmd_buf_indent(buf, level);
    g_string_append_printf(buf, "<%s>", name);
    vmd_buf_escape(buf, text, FALSE);
    g_string_append_printf(buf, "</%s>\n", name);
}

static const char *vmd_tristate_str(VmdTristate t, const char *yes,
                                    const char *no)
{
    switch (t) {
    case VMD_TRISTATE_YES:
        return yes;
    case VMD_TRISTATE_NO:
        return no;
    case VMD_TRISTATE_DEFAULT:
        break;
    }
    return NULL;
}

static void vmd_format_pci_address(GString *buf, int level,
                                   const VmdDevAddress *addr)
{
    vmd_buf_indent(buf, level);
    g_string_append_printf(buf,
                           "<address type='pci' domain='0x%04x' "
                           "bus='0x%02x' slot='0x%02x' function='0x%x'/>\n",
                           addr->domain, addr->bus, addr->slot,
                           addr->function);
}

static void vmd_format_net_source(GString *buf, const VmdNetDef *net)
{
    const char *attr = net->type == VMD_NET_NETWORK  ? "network"
                       : net->type == VMD_NET_BRIDGE ? "bridge"
                       : net->type == VMD_NET_HUB    ? "hub"
                                                     : NULL;

    if (attr != NULL) {
        vmd_buf_indent(buf, 3);
        g_string_append(buf, "<source");
        vmd_buf_attr(buf, attr, net->source_name);
        g_string_append(buf, "/>\n");
        return;
    }
    if (net->source_address == NULL && net->source_port == 0) {
        return;
    }
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "<source");
    vmd_buf_attr(buf, "address", net->source_address);
    if (net->source_port != 0) {
        vmd_buf_attr_uint(buf, "port", net->source_port);
    }
    if (net->local_address == NULL) {
        g_string_append(buf, "/>\n");
        return;
    }
    g_string_append(buf, ">\n");
    vmd_buf_indent(buf, 4);
    g_string_append(buf, "<local");
    vmd_buf_attr(buf, "address", net->local_address);
    if (net->local_port != 0) {
        vmd_buf_attr_uint(buf, "port", net->local_port);
    }
    g_string_append(buf, "/>\n");
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "</source>\n");
}

static void vmd_format_port_forward(GString *buf, const VmdPortForward *pf)
{
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "<portForward");
    vmd_buf_attr(buf, "proto", pf->proto);
    vmd_buf_attr(buf, "address", pf->address);
    vmd_buf_attr(buf, "dev", pf->dev);
    g_string_append(buf, ">\n");
    for (guint i = 0; i < pf->ranges->len; i++) {
        const VmdPortRange *r = g_ptr_array_index(pf->ranges, i);

        vmd_buf_indent(buf, 4);
        g_string_append(buf, "<range");
        vmd_buf_attr_uint(buf, "start", r->start);
        if (r->end != 0) {
            vmd_buf_attr_uint(buf, "end", r->end);
        }
        if (r->to != 0) {
            vmd_buf_attr_uint(buf, "to", r->to);
        }
        if (r->exclude) {
            vmd_buf_attr(buf, "exclude", "yes");
        }
        g_string_append(buf, "/>\n");
    }
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "</portForward>\n");
}

static void vmd_format_slirp(GString *buf, const VmdSlirpDef *s)
{
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "<vmkit:slirp");
    vmd_buf_attr(buf, "net", s->net);
    vmd_buf_attr(buf, "host", s->host);
    vmd_buf_attr(buf, "dhcpstart", s->dhcpstart);
    vmd_buf_attr(buf, "dns", s->dns);
    vmd_buf_attr(buf, "hostname", s->hostname);
    vmd_buf_attr(buf, "domainname", s->domainname);
    vmd_buf_attr(buf, "dnssearch", s->dnssearch);
    vmd_buf_attr(buf, "tftp", s->tftp);
    vmd_buf_attr(buf, "tftp-server-name", s->tftp_server_name);
    vmd_buf_attr(buf, "bootfile", s->bootfile);
    vmd_buf_attr(buf, "smb", s->smb);
    vmd_buf_attr(buf, "restrict",
                 vmd_tristate_str(s->restrict_net, "yes", "no"));
    vmd_buf_attr(buf, "ipv6", vmd_tristate_str(s->ipv6, "yes", "no"));
    g_string_append(buf, "/>\n");
}

static void vmd_format_net(GString *buf, const VmdNetDef *net)
{
    char mac[18];

    vmd_buf_indent(buf, 2);
    g_string_append(buf, "<interface");
    vmd_buf_attr(buf, "type", vmd_net_type_to_string(net->type));
    g_string_append(buf, ">\n");
    if (net->mac_set) {
        vmd_buf_indent(buf, 3);
        g_string_append_printf(buf, "<mac address='%s'/>\n",
                               vmd_domain_mac_format(net->mac, mac));
    }
    vmd_format_net_source(buf, net);
    if (net->target_dev != NULL ||
        net->target_managed != VMD_TRISTATE_DEFAULT) {
        vmd_buf_indent(buf, 3);
        g_string_append(buf, "<target");
        vmd_buf_attr(buf, "dev", net->target_dev);
        vmd_buf_attr(buf, "managed",
                     vmd_tristate_str(net->target_managed, "yes", "no"));
        g_string_append(buf, "/>\n");
    }
    if (net->model_set) {
        vmd_buf_indent(buf, 3);
        g_string_append(buf, "<model");
        vmd_buf_attr(buf, "type", vmd_net_model_to_string(net->model));
        g_string_append(buf, "/>\n");
    }
    if (net->link != VMD_TRISTATE_DEFAULT) {
        vmd_buf_indent(buf, 3);
        g_string_append(buf, "<link");
        vmd_buf_attr(buf, "state", vmd_tristate_str(net->link, "up", "down"));
        g_string_append(buf, "/>\n");
    }
    for (guint i = 0; i < net->port_forwards->len; i++) {
        vmd_format_port_forward(buf, g_ptr_array_index(net->port_forwards, i));
    }
    if (net->addr.type == VMD_ADDR_PCI) {
        vmd_format_pci_address(buf, 3, &net->addr);
    } else if (net->addr.type == VMD_ADDR_VIRTIO_MMIO) {
        vmd_buf_indent(buf, 3);
        g_string_append(buf, "<address type='virtio-mmio'/>\n");
    }
    if (net->alias != NULL) {
        vmd_buf_indent(buf, 3);
        g_string_append(buf, "<alias");
        vmd_buf_attr(buf, "name", net->alias);
        g_string_append(buf, "/>\n");
    }
    if (net->slirp != NULL) {
        vmd_format_slirp(buf, net->slirp);
    }
    vmd_buf_indent(buf, 2);
    g_string_append(buf, "</interface>\n");
}

/* libvirt's order: the root complex, then its ports by index */
static void vmd_format_controllers(GString *buf, const VmdDomainDef *def)
{
    if (def->ports->len == 0) {
        return; /* not through postparse */
    }
    g_string_append(buf, "    <controller type='pci' index='0' "
                         "model='pcie-root'/>\n");
    for (guint i = 0; i < def->ports->len; i++) {
        const VmdPciPortDef *p = g_ptr_array_index(def->ports, i);

        g_string_append_printf(buf,
                               "    <controller type='pci' index='%u' "
                               "model='pcie-root-port'>\n",
                               p->index);
        if (p->target_set) {
            g_string_append_printf(buf,
                                   "      <target chassis='%u' "
                                   "port='0x%x'/>\n",
                                   p->chassis, p->port);
        }
        if (p->addr.type == VMD_ADDR_PCI) {
            vmd_format_pci_address(buf, 3, &p->addr);
        }
        g_string_append(buf, "    </controller>\n");
    }
}

static void vmd_format_chr_source(GString *buf, const VmdChrDef *chr)
{
    /* a pty has a path only while it runs (live XML); parse drops it */
    if (chr->path == NULL) {
        return;
    }
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "<source");
    if (chr->type == VMD_CHR_UNIX) {
        vmd_buf_attr(buf, "mode", chr->listen ? "bind" : "connect");
    }
    vmd_buf_attr(buf, "path", chr->path);
    vmd_buf_attr(buf, "append", vmd_tristate_str(chr->append, "on", "off"));
    g_string_append(buf, "/>\n");
}

static void vmd_format_serial(GString *buf, const VmdChrDef *chr)
{
    const char *type = vmd_chr_type_to_string(chr->type);

    /* The UART of the virt board, as libvirt describes it for riscv64. */
    vmd_buf_indent(buf, 2);
    g_string_append_printf(buf, "<serial type='%s'>\n", type);
    vmd_format_chr_source(buf, chr);
    vmd_buf_indent(buf, 3);
    g_string_append_printf(buf, "<target type='system-serial' port='%u'>\n",
                           chr->port);
    vmd_buf_indent(buf, 4);
    g_string_append(buf, "<model name='16550a'/>\n");
    vmd_buf_indent(buf, 3);
    g_string_append(buf, "</target>\n");
    vmd_buf_indent(buf, 2);
    g_string_append(buf, "</serial>\n");

    /* console[0] mirrors serial[0], as libvirt writes it */
    vmd_buf_indent(buf, 2);
    g_string_append_printf(buf, "<console type='%s'>\n", type);
    vmd_format_chr_source(buf, chr);
    vmd_buf_indent(buf, 3);
    g_string_append_printf(buf, "<target type='serial' port='%u'/>\n",
                           chr->port);
    vmd_buf_indent(buf, 2);
    g_string_append(buf, "</console>\n");
}

static gboolean vmd_def_uses_vmkit_ns(const VmdDomainDef *def)
{
    for (guint i = 0; i < def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(def->nets, i);

        if (net->slirp != NULL) {
            return TRUE;
        }
    }
    return FALSE;
}

char *vmd_domain_def_format(const VmdDomainDef *def)
{
    GString *buf = g_string_new("<domain type='vmkit'");

    if (vmd_def_uses_vmkit_ns(def)) {
        vmd_buf_attr(buf, "xmlns:vmkit", VMD_XML_NS);
    }
    g_string_append(buf, ">\n");
    vmd_buf_text_elem(buf, 1, "name", def->name);
    vmd_buf_text_elem(buf, 1, "uuid", def->uuid);
    vmd_buf_text_elem(buf, 1, "title", def->title);
    vmd_buf_text_elem(buf, 1, "description", def->description);
    g_string_append_printf(
        buf,
        "  <memory unit='KiB'>%" G_GUINT64_FORMAT "</memory>\n"
        "  <currentMemory unit='KiB'>%" G_GUINT64_FORMAT "</currentMemory>\n"
        "  <vcpu placement='static'>%u</vcpu>\n",
        def->memory_kib, def->current_memory_kib, def->vcpus);

    g_string_append(buf,
                    "  <os>\n"
                    "    <type arch='riscv64' machine='virt'>hvm</type>\n");
    vmd_buf_text_elem(buf, 2, "loader", def->loader);
    vmd_buf_text_elem(buf, 2, "kernel", def->kernel);
    vmd_buf_text_elem(buf, 2, "initrd", def->initrd);
    vmd_buf_text_elem(buf, 2, "cmdline", def->cmdline);
    g_string_append(buf, "  </os>\n");

    vmd_buf_text_elem(buf, 1, "on_poweroff",
                      vmd_lifecycle_to_string(def->on_poweroff));
    vmd_buf_text_elem(buf, 1, "on_reboot",
                      vmd_lifecycle_to_string(def->on_reboot));
    vmd_buf_text_elem(buf, 1, "on_crash",
                      vmd_lifecycle_to_string(def->on_crash));

    if (def->nets->len == 0 && def->serial == NULL && def->ports->len == 0) {
        g_string_append(buf, "  <devices/>\n");
    } else {
        g_string_append(buf, "  <devices>\n");
        vmd_format_controllers(buf, def);
        for (guint i = 0; i < def->nets->len; i++) {
            vmd_format_net(buf, g_ptr_array_index(def->nets, i));
        }
        if (def->serial != NULL) {
            vmd_format_serial(buf, def->serial);
        }
        g_string_append(buf, "  </devices>\n");
    }
    g_string_append(buf, "</domain>\n");
    return g_string_free(buf, FALSE);
}
