/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/domxml.c: the little of libvirt's domain XML vmctl reads itself
 * (dominfo, domiflist, detach-interface) and the <interface> element that
 * attach-interface builds. vmd stays the one validator. */
#include "config.h"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "client/vmctl.h"

static void iface_free(VmctlIface *i)
{
    g_free(i->type);
    g_free(i->source);
    g_free(i->model);
    g_free(i->mac);
    g_free(i->target);
    g_free(i->alias);
    g_free(i->link);
    g_free(i->xml);
    g_free(i);
}

void vmctl_domxml_free(VmctlDomXml *d)
{
    if (d) {
        g_free(d->name);
        g_free(d->uuid);
        g_free(d->os_type);
        if (d->ifaces) {
            g_ptr_array_unref(d->ifaces);
        }
        g_free(d);
    }
}

/* xmlChar* -> g_malloc'd string (NULL stays NULL). */
static char *xdup(xmlChar *s)
{
    char *r = s ? g_strdup((const char *)s) : NULL;

    xmlFree(s);
    return r;
}

static char *child_prop(xmlNode *parent, const char *elem, const char *attr)
{
    for (xmlNode *n = parent->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            strcmp((const char *)n->name, elem) == 0) {
            return xdup(xmlGetProp(n, (const xmlChar *)attr));
        }
    }
    return NULL;
}

static char *xpath_string(xmlXPathContext *ctx, const char *expr)
{
    xmlXPathObject *o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    char *r = NULL;

    if (o && o->type == XPATH_STRING && o->stringval && o->stringval[0]) {
        r = g_strdup((const char *)o->stringval);
    }
    xmlXPathFreeObject(o);
    return r;
}

/* libvirt's memory units (docs/formatdomain: "unit" attribute), to KiB. */
static bool scale_to_kib(char *value, const char *unit, guint64 *out)
{
    static const struct {
        const char *unit;
        guint64 num, den; /* KiB = value * num / den */
    } units[] = {
        {"b", 1, 1024},
        {"bytes", 1, 1024},
        {"KB", 1000, 1024},
        {"k", 1, 1},
        {"KiB", 1, 1},
        {"MB", 1000000, 1024},
        {"M", 1024, 1},
        {"MiB", 1024, 1},
        {"GB", 1000000000, 1024},
        {"G", 1048576, 1},
        {"GiB", 1048576, 1},
        {"TB", G_GUINT64_CONSTANT(1000000000000), 1024},
        {"T", 1073741824, 1},
        {"TiB", 1073741824, 1},
    };
    guint64 v;

    if (!value || !g_ascii_string_to_unsigned(g_strstrip(value), 10, 0,
                                              G_MAXUINT64, &v, NULL)) {
        return false;
    }
    if (!unit) {
        *out = v;
        return true;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
        if (g_ascii_strcasecmp(unit, units[i].unit) == 0) {
            *out = v * units[i].num / units[i].den;
            return true;
        }
    }
    return false;
}

static guint64 memory_kib(xmlXPathContext *ctx, const char *elem)
{
    g_autofree char *vexpr = g_strdup_printf("string(/domain/%s)", elem);
    g_autofree char *uexpr = g_strdup_printf("string(/domain/%s/@unit)", elem);
    g_autofree char *value = xpath_string(ctx, vexpr);
    g_autofree char *unit = xpath_string(ctx, uexpr);
    guint64 kib = 0;

    if (!scale_to_kib(value, unit, &kib)) {
        return 0;
    }
    return kib;
}

/* Source column of domiflist: the name or address the interface joins. */
static char *iface_source(xmlNode *n)
{
    static const char *const attrs[] = {
        "network", "bridge", "hub", "dev", "name", "path",
    };
    g_autofree char *addr = NULL;
    g_autofree char *port = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++) {
        char *v = child_prop(n, "source", attrs[i]);

        if (v) {
            return v;
        }
    }
    addr = child_prop(n, "source", "address");
    port = child_prop(n, "source", "port");
    if (addr || port) {
        return g_strdup_printf("%s:%s", addr ? addr : "", port ? port : "");
    }
    return NULL;
}

static VmctlIface *iface_parse(xmlDoc *doc, xmlNode *n)
{
    VmctlIface *i = g_new0(VmctlIface, 1);
    xmlBuffer *buf = xmlBufferCreate();

    i->type = xdup(xmlGetProp(n, (const xmlChar *)"type"));
    if (!i->type) {
        i->type = g_strdup("");
    }
    i->source = iface_source(n);
    i->model = child_prop(n, "model", "type");
    i->mac = child_prop(n, "mac", "address");
    i->target = child_prop(n, "target", "dev");
    i->alias = child_prop(n, "alias", "name");
    i->link = child_prop(n, "link", "state");
    if (buf) {
        xmlNodeDump(buf, doc, n, 0, 0);
        i->xml = g_strdup((const char *)xmlBufferContent(buf));
        xmlBufferFree(buf);
    }
    return i;
}

VmctlDomXml *vmctl_domxml_parse(const char *xml, GError **error)
{
    g_autoptr(VmctlDomXml) d = g_new0(VmctlDomXml, 1);
    xmlDoc *doc;
    xmlXPathContext *ctx;
    xmlXPathObject *o;
    g_autofree char *vcpu = NULL;
    guint64 n;

    doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    if (!doc) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                    _("the domain XML is not well-formed"));
        return NULL;
    }
    ctx = xmlXPathNewContext(doc);
    d->name = xpath_string(ctx, "string(/domain/name)");
    d->uuid = xpath_string(ctx, "string(/domain/uuid)");
    d->os_type = xpath_string(ctx, "string(/domain/os/type)");
    vcpu = xpath_string(ctx, "string(/domain/vcpu)");
    if (vcpu && g_ascii_string_to_unsigned(g_strstrip(vcpu), 10, 0, G_MAXUINT,
                                           &n, NULL)) {
        d->vcpus = (guint)n;
    }
    d->memory_kib = memory_kib(ctx, "memory");
    d->cur_memory_kib = memory_kib(ctx, "currentMemory");
    if (d->cur_memory_kib == 0) {
        d->cur_memory_kib = d->memory_kib;
    }
    d->ifaces = g_ptr_array_new_with_free_func((GDestroyNotify)iface_free);
    o = xmlXPathEvalExpression((const xmlChar *)"/domain/devices/interface",
                               ctx);
    if (o && o->nodesetval) {
        for (int k = 0; k < o->nodesetval->nodeNr; k++) {
            g_ptr_array_add(d->ifaces,
                            iface_parse(doc, o->nodesetval->nodeTab[k]));
        }
    }
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    xmlFreeDoc(doc);
    return g_steal_pointer(&d);
}

static void add_attr_elem(GString *s, const char *elem, const char *attr,
                          const char *value)
{
    g_autofree char *esc = g_markup_escape_text(value, -1);

    g_string_append_printf(s, "  <%s %s='%s'/>\n", elem, attr, esc);
}

/* Splits "ADDRESS:PORT" (ADDRESS may be empty or a [bracketed] IPv6
 * address) into escaped attribute text. */
static bool split_addr_port(const char *s, char **addr, char **port)
{
    const char *colon = s ? strrchr(s, ':') : NULL;
    g_autofree char *a = NULL;

    if (!colon || colon[1] == '\0') {
        return false;
    }
    a = g_strndup(s, colon - s);
    if (a[0] == '[' && a[strlen(a) - 1] == ']') {
        a[strlen(a) - 1] = '\0';
        memmove(a, a + 1, strlen(a));
    }
    *addr = g_markup_escape_text(a, -1);
    *port = g_markup_escape_text(colon + 1, -1);
    return true;
}

static bool is_socket_type(const char *type)
{
    return strcmp(type, "mcast") == 0 || strcmp(type, "server") == 0 ||
           strcmp(type, "client") == 0 || strcmp(type, "udp") == 0;
}

char *vmctl_domxml_iface_new(const char *type, const char *source,
                             const char *target, const char *mac,
                             const char *model, const char *local,
                             GError **error)
{
    g_autoptr(GString) s = g_string_new(NULL);
    g_autofree char *etype = g_markup_escape_text(type, -1);

    if (local && (!is_socket_type(type) || strcmp(type, "server") == 0)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    _("--local applies to udp, mcast and client interfaces "
                      "only"));
        return NULL;
    }
    g_string_append_printf(s, "<interface type='%s'>\n", etype);
    if (strcmp(type, "network") == 0 || strcmp(type, "bridge") == 0 ||
        strcmp(type, "hub") == 0) {
        if (!source) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        _("interface type '%s' needs a source"), type);
            return NULL;
        }
        add_attr_elem(s, "source", type, source);
    } else if (strcmp(type, "ethernet") == 0) {
        /* libvirt: the source of an ethernet interface is its TAP. */
        if (source && !target) {
            target = source;
        }
    } else if (is_socket_type(type)) {
        g_autofree char *addr = NULL;
        g_autofree char *port = NULL;

        if (!split_addr_port(source, &addr, &port)) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        _("interface type '%s' needs a source "
                          "ADDRESS:PORT"),
                        type);
            return NULL;
        }
        if (strcmp(type, "udp") == 0 && !local) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                        _("interface type 'udp' needs --local "
                          "ADDRESS:PORT"));
            return NULL;
        }
        g_string_append(s, "  <source");
        if (addr[0]) {
            g_string_append_printf(s, " address='%s'", addr);
        }
        g_string_append_printf(s, " port='%s'", port);
        if (local) {
            g_autofree char *laddr = NULL;
            g_autofree char *lport = NULL;

            if (!split_addr_port(local, &laddr, &lport)) {
                g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                            _("invalid --local '%s': expected ADDRESS:PORT"),
                            local);
                return NULL;
            }
            g_string_append_printf(s,
                                   ">\n    <local address='%s' "
                                   "port='%s'/>\n  </source>\n",
                                   laddr, lport);
        } else {
            g_string_append(s, "/>\n");
        }
    } else if (strcmp(type, "user") != 0) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    _("unknown interface type '%s' (expected user, network, "
                      "bridge, ethernet, mcast, server, client, udp or hub)"),
                    type);
        return NULL;
    } else if (source) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    _("interface type 'user' takes no source"));
        return NULL;
    }
    if (mac) {
        add_attr_elem(s, "mac", "address", mac);
    }
    if (model) {
        add_attr_elem(s, "model", "type", model);
    }
    if (target) {
        add_attr_elem(s, "target", "dev", target);
    }
    g_string_append(s, "</interface>\n");
    return g_string_free(g_steal_pointer(&s), FALSE);
}
