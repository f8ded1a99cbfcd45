/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/domain-parse.c: domain XML document -> VmdDomainDef (no defaults). */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "daemon/domain.h"
#include "daemon/error.h"
#include "daemon/xml.h"

/*
 * The document has passed schemas/domain.rng, so the structure is known;
 * this file converts values (numbers, units, enums) and still checks
 * every conversion, because the model must never rely on the schema file
 * found at run time being the one this code was written against.
 */

static gboolean G_GNUC_PRINTF(3, 4)
    vmd_parse_fail(GError **error, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML, _("line %ld: %s"),
                vmd_xml_line(node), msg);
    return FALSE;
}

static gboolean vmd_is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns == NULL &&
           strcmp((const char *)node->name, name) == 0;
}

static gboolean vmd_is_vmkit(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
           node->ns->href != NULL &&
           strcmp((const char *)node->ns->href, VMD_XML_NS) == 0 &&
           strcmp((const char *)node->name, name) == 0;
}

/* Attribute without namespace, as a g_malloc'ed string (NULL if absent). */
static char *vmd_prop(const xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    char *ret = v != NULL ? g_strdup((const char *)v) : NULL;

    xmlFree(v);
    return ret;
}

static char *vmd_text(const xmlNode *node)
{
    xmlChar *v = xmlNodeGetContent(node);
    char *ret = g_strdup(v != NULL ? (const char *)v : "");

    xmlFree(v);
    return ret;
}

/* Unsigned integer, decimal or 0x-hex (libvirt's base-0 parsing). */
static gboolean vmd_parse_u64(const xmlNode *node, const char *what,
                              const char *str, guint64 max, guint64 *out,
                              GError **error)
{
    g_autofree char *s = g_strstrip(g_strdup(str != NULL ? str : ""));
    const char *digits = s;
    guint base = 10;
    guint64 v;

    if (g_str_has_prefix(s, "0x") || g_str_has_prefix(s, "0X")) {
        digits = s + 2;
        base = 16;
    }
    if (digits[0] == '\0' ||
        !g_ascii_string_to_unsigned(digits, base, 0, max, &v, NULL)) {
        return vmd_parse_fail(
            error, node,
            _("invalid value '%s' for %s (0..%llu)"), s, what,
            (unsigned long long)max);
    }
    *out = v;
    return TRUE;
}

static gboolean vmd_parse_uint_prop(const xmlNode *node, const char *name,
                                    guint max, guint *out, GError **error)
{
    g_autofree char *s = vmd_prop(node, name);
    guint64 v;

    if (s == NULL) {
        return TRUE;
    }
    if (!vmd_parse_u64(node, name, s, max, &v, error)) {
        return FALSE;
    }
    *out = (guint)v;
    return TRUE;
}

static gboolean vmd_parse_tristate_prop(const xmlNode *node, const char *name,
                                        const char *yes, const char *no,
                                        VmdTristate *out, GError **error)
{
    g_autofree char *s = vmd_prop(node, name);

    if (s == NULL) {
        *out = VMD_TRISTATE_DEFAULT;
    } else if (strcmp(s, yes) == 0) {
        *out = VMD_TRISTATE_YES;
    } else if (strcmp(s, no) == 0) {
        *out = VMD_TRISTATE_NO;
    } else {
        return vmd_parse_fail(error, node,
                              _("invalid value '%s' for %s (%s or %s)"), s,
                              name, yes, no);
    }
    return TRUE;
}

static gboolean vmd_parse_memory(const xmlNode *node, guint64 *kib,
                                 GError **error)
{
    g_autofree char *unit = vmd_prop(node, "unit");
    g_autofree char *text = vmd_text(node);
    guint64 v;

    if (!vmd_parse_u64(node, (const char *)node->name, text, G_MAXUINT64, &v,
                       error)) {
        return FALSE;
    }
    if (!vmd_domain_scale_to_kib(v, unit, kib)) {
        return vmd_parse_fail(error, node,
                              _("invalid memory size '%s' with unit '%s'"),
                              g_strstrip(text), unit != NULL ? unit : "KiB");
    }
    return TRUE;
}

static gboolean vmd_parse_os(VmdDomainDef *def, const xmlNode *os,
                             GError **error)
{
    for (const xmlNode *n = os->children; n != NULL; n = n->next) {
        if (vmd_is(n, "type")) {
            g_autofree char *arch = vmd_prop(n, "arch");
            g_autofree char *machine = vmd_prop(n, "machine");
            g_autofree char *text = g_strstrip(vmd_text(n));

            if (strcmp(text, "hvm") != 0) {
                return vmd_parse_fail(error, n, _("unsupported OS type '%s'"),
                                      text);
            }
            if (arch != NULL && strcmp(arch, "riscv64") != 0) {
                return vmd_parse_fail(error, n,
                                      _("unsupported architecture '%s'"), arch);
            }
            if (machine != NULL && strcmp(machine, "virt") != 0) {
                return vmd_parse_fail(error, n, _("unsupported machine '%s'"),
                                      machine);
            }
        } else if (vmd_is(n, "loader")) {
            def->loader = vmd_text(n);
        } else if (vmd_is(n, "kernel")) {
            def->kernel = vmd_text(n);
        } else if (vmd_is(n, "initrd")) {
            def->initrd = vmd_text(n);
        } else if (vmd_is(n, "cmdline")) {
            def->cmdline = vmd_text(n);
        } else if (n->type == XML_ELEMENT_NODE) {
            return vmd_parse_fail(error, n, _("unsupported element <%s>"),
                                  (const char *)n->name);
        }
    }
    return TRUE;
}

static gboolean vmd_parse_port_forward(VmdNetDef *net, const xmlNode *node,
                                       GError **error)
{
    VmdPortForward *pf = vmd_port_forward_new();

    g_ptr_array_add(net->port_forwards, pf);
    pf->proto = vmd_prop(node, "proto");
    pf->address = vmd_prop(node, "address");
    pf->dev = vmd_prop(node, "dev");
    if (pf->proto == NULL) {
        pf->proto = g_strdup("tcp");
    }
    if (strcmp(pf->proto, "tcp") != 0 && strcmp(pf->proto, "udp") != 0) {
        return vmd_parse_fail(
            error, node, _("unsupported portForward proto '%s'"), pf->proto);
    }
    for (const xmlNode *n = node->children; n != NULL; n = n->next) {
        VmdPortRange *r;

        if (!vmd_is(n, "range")) {
            continue;
        }
        r = g_new0(VmdPortRange, 1);
        g_ptr_array_add(pf->ranges, r);
        if (!vmd_parse_uint_prop(n, "start", 65535, &r->start, error) ||
            !vmd_parse_uint_prop(n, "end", 65535, &r->end, error) ||
            !vmd_parse_uint_prop(n, "to", 65535, &r->to, error)) {
            return FALSE;
        }
        {
            VmdTristate ex;

            if (!vmd_parse_tristate_prop(n, "exclude", "yes", "no", &ex,
                                         error)) {
                return FALSE;
            }
            r->exclude = ex == VMD_TRISTATE_YES;
        }
    }
    return TRUE;
}

static gboolean vmd_parse_slirp(VmdNetDef *net, const xmlNode *node,
                                GError **error)
{
    VmdSlirpDef *s = g_new0(VmdSlirpDef, 1);

    net->slirp = s;
    s->net = vmd_prop(node, "net");
    s->host = vmd_prop(node, "host");
    s->dhcpstart = vmd_prop(node, "dhcpstart");
    s->dns = vmd_prop(node, "dns");
    s->hostname = vmd_prop(node, "hostname");
    s->domainname = vmd_prop(node, "domainname");
    s->dnssearch = vmd_prop(node, "dnssearch");
    s->tftp = vmd_prop(node, "tftp");
    s->tftp_server_name = vmd_prop(node, "tftp-server-name");
    s->bootfile = vmd_prop(node, "bootfile");
    s->smb = vmd_prop(node, "smb");
    return vmd_parse_tristate_prop(node, "restrict", "yes", "no",
                                   &s->restrict_net, error) &&
           vmd_parse_tristate_prop(node, "ipv6", "yes", "no", &s->ipv6, error);
}

static gboolean vmd_parse_address(VmdDevAddress *addr, const xmlNode *node,
                                  GError **error)
{
    g_autofree char *type = vmd_prop(node, "type");

    if (g_strcmp0(type, "pci") == 0) {
        addr->type = VMD_ADDR_PCI;
        return vmd_parse_uint_prop(node, "domain", 0xffff, &addr->domain,
                                   error) &&
               vmd_parse_uint_prop(node, "bus", 0xff, &addr->bus, error) &&
               vmd_parse_uint_prop(node, "slot", 0x1f, &addr->slot, error) &&
               vmd_parse_uint_prop(node, "function", 7, &addr->function, error);
    }
    if (g_strcmp0(type, "virtio-mmio") == 0) {
        addr->type = VMD_ADDR_VIRTIO_MMIO;
        return TRUE;
    }
    return vmd_parse_fail(error, node, _("unsupported address type '%s'"),
                          type != NULL ? type : "");
}

static gboolean vmd_parse_net_source(VmdNetDef *net, const xmlNode *node,
                                     GError **error)
{
    const char *name_attr = net->type == VMD_NET_NETWORK  ? "network"
                            : net->type == VMD_NET_BRIDGE ? "bridge"
                            : net->type == VMD_NET_HUB    ? "hub"
                                                          : NULL;

    if (name_attr != NULL) {
        net->source_name = vmd_prop(node, name_attr);
        return TRUE;
    }
    net->source_address = vmd_prop(node, "address");
    if (!vmd_parse_uint_prop(node, "port", 65535, &net->source_port, error)) {
        return FALSE;
    }
    for (const xmlNode *n = node->children; n != NULL; n = n->next) {
        if (vmd_is(n, "local")) {
            net->local_address = vmd_prop(n, "address");
            if (!vmd_parse_uint_prop(n, "port", 65535, &net->local_port,
                                     error)) {
                return FALSE;
            }
        }
    }
    return TRUE;
}

/*
 * libvirt's PCI controllers: the root complex (index 0, implied, accepted
 * for round trips of libvirt's output) and its pcie-root-ports, kept
 * sorted by index.
 */
static gint vmd_port_cmp(gconstpointer a, gconstpointer b)
{
    const VmdPciPortDef *pa = *(VmdPciPortDef *const *)a;
    const VmdPciPortDef *pb = *(VmdPciPortDef *const *)b;

    return pa->index < pb->index ? -1 : pa->index > pb->index;
}

static gboolean vmd_parse_controller(VmdDomainDef *def, const xmlNode *node,
                                     GError **error)
{
    g_autofree char *type = vmd_prop(node, "type");
    g_autofree char *model = vmd_prop(node, "model");
    g_autofree char *index = vmd_prop(node, "index");
    g_autofree VmdPciPortDef *p = g_new0(VmdPciPortDef, 1);

    if (g_strcmp0(type, "pci") != 0) {
        return vmd_parse_fail(error, node,
                              _("unsupported controller type '%s'"),
                              type != NULL ? type : "");
    }
    if (!vmd_parse_uint_prop(node, "index", 0xff, &p->index, error)) {
        return FALSE;
    }
    if (g_strcmp0(model, "pcie-root") == 0) {
        if (p->index != 0) {
            return vmd_parse_fail(error, node,
                                  _("the pcie-root controller has index 0"));
        }
        return TRUE;
    }
    if (g_strcmp0(model, "pcie-root-port") != 0) {
        return vmd_parse_fail(error, node,
                              _("unsupported PCI controller model '%s' "
                                "(pcie-root, pcie-root-port)"),
                              model != NULL ? model : "");
    }
    if (index == NULL || p->index == 0) {
        return vmd_parse_fail(error, node,
                              _("a pcie-root-port needs an index of 1 or "
                                "more"));
    }
    if (def->ports->len >= VMD_DOMAIN_MAX_PCI_PORTS) {
        return vmd_parse_fail(error, node, _("more than %d pcie-root-ports"),
                              VMD_DOMAIN_MAX_PCI_PORTS);
    }
    p->line = vmd_xml_line(node);
    for (const xmlNode *n = node->children; n != NULL; n = n->next) {
        if (vmd_is(n, "target")) {
            p->target_set = TRUE;
            if (!vmd_parse_uint_prop(n, "chassis", 0xff, &p->chassis, error) ||
                !vmd_parse_uint_prop(n, "port", 0xff, &p->port, error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "address")) {
            if (!vmd_parse_address(&p->addr, n, error)) {
                return FALSE;
            }
        }
    }
    g_ptr_array_add(def->ports, g_steal_pointer(&p));
    g_ptr_array_sort(def->ports, vmd_port_cmp);
    return TRUE;
}

static gboolean vmd_parse_interface(VmdDomainDef *def, const xmlNode *node,
                                    GError **error)
{
    g_autofree char *type = vmd_prop(node, "type");
    VmdNetType t;
    VmdNetDef *net;

    if (!vmd_net_type_from_string(type, &t)) {
        return vmd_parse_fail(error, node, _("unsupported interface type '%s'"),
                              type != NULL ? type : "");
    }
    net = vmd_net_def_new(t);
    net->line = vmd_xml_line(node);
    g_ptr_array_add(def->nets, net);

    for (const xmlNode *n = node->children; n != NULL; n = n->next) {
        if (vmd_is(n, "mac")) {
            g_autofree char *mac = vmd_prop(n, "address");

            if (mac == NULL || !vmd_domain_mac_parse(mac, net->mac)) {
                return vmd_parse_fail(error, n, _("invalid MAC address '%s'"),
                                      mac != NULL ? mac : "");
            }
            net->mac_set = TRUE;
        } else if (vmd_is(n, "source")) {
            if (!vmd_parse_net_source(net, n, error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "alias")) {
            g_free(net->alias);
            net->alias = vmd_prop(n, "name");
        } else if (vmd_is(n, "target")) {
            net->target_dev = vmd_prop(n, "dev");
            if (!vmd_parse_tristate_prop(n, "managed", "yes", "no",
                                         &net->target_managed, error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "model")) {
            g_autofree char *model = vmd_prop(n, "type");

            if (!vmd_net_model_from_string(model, &net->model)) {
                return vmd_parse_fail(error, n, _("unsupported NIC model '%s'"),
                                      model != NULL ? model : "");
            }
            net->model_set = TRUE;
        } else if (vmd_is(n, "link")) {
            if (!vmd_parse_tristate_prop(n, "state", "up", "down", &net->link,
                                         error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "portForward")) {
            if (!vmd_parse_port_forward(net, n, error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "address")) {
            if (!vmd_parse_address(&net->addr, n, error)) {
                return FALSE;
            }
        } else if (vmd_is_vmkit(n, "slirp")) {
            if (!vmd_parse_slirp(net, n, error)) {
                return FALSE;
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            return vmd_parse_fail(error, n, _("unsupported element <%s>"),
                                  (const char *)n->name);
        }
    }
    return TRUE;
}

static VmdChrDef *vmd_parse_chardev(const xmlNode *node, GError **error)
{
    g_autofree char *type = vmd_prop(node, "type");
    g_autofree char *mode = NULL;
    g_autoptr(GError) err = NULL;
    VmdChrDef *chr = g_new0(VmdChrDef, 1);

    chr->line = vmd_xml_line(node);
    if (!vmd_chr_type_from_string(type, &chr->type)) {
        vmd_parse_fail(error, node, _("unsupported character device type '%s'"),
                       type != NULL ? type : "");
        vmd_chr_def_free(chr);
        return NULL;
    }
    for (const xmlNode *n = node->children; n != NULL; n = n->next) {
        if (vmd_is(n, "source")) {
            g_free(chr->path);
            chr->path = vmd_prop(n, "path");
            g_free(mode);
            mode = vmd_prop(n, "mode");
            if (!vmd_parse_tristate_prop(n, "append", "on", "off", &chr->append,
                                         &err)) {
                break;
            }
        } else if (vmd_is(n, "target")) {
            if (!vmd_parse_uint_prop(n, "port", 65535, &chr->port, &err)) {
                break;
            }
        }
    }
    if (chr->type == VMD_CHR_PTY) {
        /* the live pty path of a running domain is not configuration */
        g_clear_pointer(&chr->path, g_free);
    }
    if (err == NULL && mode != NULL) {
        if (strcmp(mode, "bind") == 0) {
            chr->listen = TRUE;
        } else if (strcmp(mode, "connect") != 0) {
            vmd_parse_fail(&err, node, _("invalid source mode '%s'"), mode);
        }
    }
    if (err != NULL) {
        g_propagate_error(error, g_steal_pointer(&err));
        vmd_chr_def_free(chr);
        return NULL;
    }
    return chr;
}

static gboolean vmd_chr_equal(const VmdChrDef *a, const VmdChrDef *b)
{
    return a->type == b->type && g_strcmp0(a->path, b->path) == 0 &&
           a->listen == b->listen && a->append == b->append &&
           a->port == b->port;
}

static gboolean vmd_parse_devices(VmdDomainDef *def, const xmlNode *devices,
                                  GError **error)
{
    g_autoptr(VmdChrDef) console = NULL;
    const xmlNode *console_node = NULL;

    for (const xmlNode *n = devices->children; n != NULL; n = n->next) {
        if (vmd_is(n, "interface")) {
            if (def->nets->len >= VMD_DOMAIN_MAX_NETS) {
                return vmd_parse_fail(error, n, _("more than %d interfaces"),
                                      VMD_DOMAIN_MAX_NETS);
            }
            if (!vmd_parse_interface(def, n, error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "controller")) {
            if (!vmd_parse_controller(def, n, error)) {
                return FALSE;
            }
        } else if (vmd_is(n, "serial")) {
            if (def->serial != NULL) {
                return vmd_parse_fail(error, n,
                                      _("only one serial port is supported"));
            }
            def->serial = vmd_parse_chardev(n, error);
            if (def->serial == NULL) {
                return FALSE;
            }
        } else if (vmd_is(n, "console")) {
            if (console != NULL) {
                return vmd_parse_fail(error, n,
                                      _("only one console is supported"));
            }
            console = vmd_parse_chardev(n, error);
            console_node = n;
            if (console == NULL) {
                return FALSE;
            }
        } else if (n->type == XML_ELEMENT_NODE) {
            return vmd_parse_fail(error, n, _("unsupported device <%s>"),
                                  (const char *)n->name);
        }
    }
    /*
     * As libvirt: a console with target type 'serial' is serial port N seen
     * from the other side. Alone, it creates the serial port; with one,
     * both must describe the same character device.
     */
    if (console != NULL) {
        if (def->serial == NULL) {
            def->serial = g_steal_pointer(&console);
        } else if (!vmd_chr_equal(def->serial, console)) {
            return vmd_parse_fail(error, console_node,
                                  _("console must describe the same "
                                    "character device as serial port %u"),
                                  def->serial->port);
        }
    }
    return TRUE;
}

static gboolean vmd_parse_lifecycle(const xmlNode *n, VmdLifecycleAction *out,
                                    GError **error)
{
    g_autofree char *text = g_strstrip(vmd_text(n));

    if (!vmd_lifecycle_from_string(text, out)) {
        return vmd_parse_fail(error, n, _("invalid <%s> action '%s'"),
                              (const char *)n->name, text);
    }
    return TRUE;
}

static gboolean vmd_parse_domain(VmdDomainDef *def, const xmlNode *root,
                                 GError **error)
{
    g_autofree char *type = vmd_prop(root, "type");

    if (!vmd_is(root, "domain")) {
        return vmd_parse_fail(error, root,
                              _("expected root element <domain>, got <%s>"),
                              (const char *)root->name);
    }
    if (g_strcmp0(type, "vmkit") != 0) {
        return vmd_parse_fail(error, root,
                              _("unsupported domain type '%s' (expected "
                                "'vmkit')"),
                              type != NULL ? type : "");
    }
    def->lines.root = vmd_xml_line(root);
    for (const xmlNode *n = root->children; n != NULL; n = n->next) {
        gboolean ok = TRUE;

        if (vmd_is(n, "name")) {
            def->name = vmd_text(n);
            def->lines.name = vmd_xml_line(n);
        } else if (vmd_is(n, "uuid")) {
            g_autofree char *uuid = g_strstrip(vmd_text(n));

            if (!vmd_domain_uuid_normalize(uuid, def->uuid)) {
                return vmd_parse_fail(error, n, _("invalid UUID '%s'"), uuid);
            }
        } else if (vmd_is(n, "title")) {
            def->title = vmd_text(n);
            def->lines.title = vmd_xml_line(n);
        } else if (vmd_is(n, "description")) {
            def->description = vmd_text(n);
        } else if (vmd_is(n, "memory")) {
            ok = vmd_parse_memory(n, &def->memory_kib, error);
            def->lines.memory = vmd_xml_line(n);
        } else if (vmd_is(n, "currentMemory")) {
            ok = vmd_parse_memory(n, &def->current_memory_kib, error);
            def->lines.current_memory = vmd_xml_line(n);
        } else if (vmd_is(n, "vcpu")) {
            g_autofree char *text = vmd_text(n);
            guint64 v;

            ok =
                vmd_parse_u64(n, "vcpu", text, VMD_DOMAIN_MAX_VCPUS, &v, error);
            def->vcpus = (guint)v;
            def->lines.vcpu = vmd_xml_line(n);
        } else if (vmd_is(n, "os")) {
            ok = vmd_parse_os(def, n, error);
            def->lines.os = vmd_xml_line(n);
        } else if (vmd_is(n, "on_poweroff")) {
            ok = vmd_parse_lifecycle(n, &def->on_poweroff, error);
            def->lines.on_poweroff = vmd_xml_line(n);
        } else if (vmd_is(n, "on_reboot")) {
            ok = vmd_parse_lifecycle(n, &def->on_reboot, error);
            def->lines.on_reboot = vmd_xml_line(n);
        } else if (vmd_is(n, "on_crash")) {
            ok = vmd_parse_lifecycle(n, &def->on_crash, error);
        } else if (vmd_is(n, "devices")) {
            ok = vmd_parse_devices(def, n, error);
        } else if (n->type == XML_ELEMENT_NODE) {
            return vmd_parse_fail(error, n, _("unsupported element <%s>"),
                                  (const char *)n->name);
        }
        if (!ok) {
            return FALSE;
        }
    }
    if (def->name == NULL) {
        return vmd_parse_fail(error, root, _("missing domain <name>"));
    }
    if (def->memory_kib == 0) {
        return vmd_parse_fail(error, root, _("missing or zero <memory>"));
    }
    return TRUE;
}

VmdDomainDef *vmd_domain_def_parse(xmlDoc *doc, GError **error)
{
    g_autoptr(VmdDomainDef) def = vmd_domain_def_new();
    xmlNode *root = xmlDocGetRootElement(doc);

    if (root == NULL) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("XML document has no root element"));
        return NULL;
    }
    if (!vmd_parse_domain(def, root, error)) {
        return NULL;
    }
    return g_steal_pointer(&def);
}

VmdNetDef *vmd_domain_net_def_parse(const xmlNode *node, GError **error)
{
    g_autoptr(VmdDomainDef) holder = vmd_domain_def_new();

    if (!vmd_is(node, "interface")) {
        vmd_parse_fail(error, node, _("expected element <interface>, got <%s>"),
                       (const char *)node->name);
        return NULL;
    }
    if (!vmd_parse_interface(holder, node, error)) {
        return NULL;
    }
    return g_ptr_array_steal_index(holder->nets, 0);
}
