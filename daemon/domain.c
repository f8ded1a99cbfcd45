/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/domain.c: domain model lifetime, string tables, units, defaults. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "daemon/domain.h"
#include "daemon/error.h"
#include "daemon/xml.h"

/* ---- lifetime ------------------------------------------------------------ */

VmdDomainDef *vmd_domain_def_new(void)
{
    VmdDomainDef *def = g_new0(VmdDomainDef, 1);

    def->vcpus = 1;
    def->on_poweroff = VMD_LIFECYCLE_DESTROY;
    def->on_reboot = VMD_LIFECYCLE_RESTART;
    def->on_crash = VMD_LIFECYCLE_DESTROY;
    def->nets =
        g_ptr_array_new_with_free_func((GDestroyNotify)vmd_net_def_free);
    def->ports = g_ptr_array_new_with_free_func(g_free);
    return def;
}

void vmd_domain_def_free(VmdDomainDef *def)
{
    if (def == NULL) {
        return;
    }
    g_free(def->name);
    g_free(def->title);
    g_free(def->description);
    g_free(def->loader);
    g_free(def->kernel);
    g_free(def->initrd);
    g_free(def->cmdline);
    g_ptr_array_unref(def->nets);
    g_ptr_array_unref(def->ports);
    vmd_chr_def_free(def->serial);
    g_free(def);
}

VmdNetDef *vmd_net_def_new(VmdNetType type)
{
    VmdNetDef *net = g_new0(VmdNetDef, 1);

    net->type = type;
    net->port_forwards =
        g_ptr_array_new_with_free_func((GDestroyNotify)vmd_port_forward_free);
    return net;
}

void vmd_net_def_free(VmdNetDef *net)
{
    if (net == NULL) {
        return;
    }
    g_free(net->source_name);
    g_free(net->source_address);
    g_free(net->local_address);
    g_free(net->target_dev);
    g_free(net->alias);
    g_ptr_array_unref(net->port_forwards);
    vmd_slirp_def_free(net->slirp);
    g_free(net);
}

VmdPortForward *vmd_port_forward_new(void)
{
    VmdPortForward *pf = g_new0(VmdPortForward, 1);

    pf->ranges = g_ptr_array_new_with_free_func(g_free);
    return pf;
}

void vmd_port_forward_free(VmdPortForward *pf)
{
    if (pf == NULL) {
        return;
    }
    g_free(pf->proto);
    g_free(pf->address);
    g_free(pf->dev);
    g_ptr_array_unref(pf->ranges);
    g_free(pf);
}

void vmd_slirp_def_free(VmdSlirpDef *s)
{
    if (s == NULL) {
        return;
    }
    g_free(s->net);
    g_free(s->host);
    g_free(s->dhcpstart);
    g_free(s->dns);
    g_free(s->hostname);
    g_free(s->domainname);
    g_free(s->dnssearch);
    g_free(s->tftp);
    g_free(s->tftp_server_name);
    g_free(s->bootfile);
    g_free(s->smb);
    g_free(s);
}

void vmd_chr_def_free(VmdChrDef *chr)
{
    if (chr == NULL) {
        return;
    }
    g_free(chr->path);
    g_free(chr);
}

/* ---- string tables ------------------------------------------------------- */

static const char *const vmd_net_type_names[] = {
    [VMD_NET_USER] = "user",     [VMD_NET_NETWORK] = "network",
    [VMD_NET_BRIDGE] = "bridge", [VMD_NET_ETHERNET] = "ethernet",
    [VMD_NET_MCAST] = "mcast",   [VMD_NET_SERVER] = "server",
    [VMD_NET_CLIENT] = "client", [VMD_NET_UDP] = "udp",
    [VMD_NET_HUB] = "hub",
};

static const char *const vmd_net_model_names[] = {
    [VMD_NET_MODEL_VIRTIO] = "virtio",
    [VMD_NET_MODEL_E1000] = "e1000",
};

static const char *const vmd_lifecycle_names[] = {
    [VMD_LIFECYCLE_DESTROY] = "destroy",
    [VMD_LIFECYCLE_RESTART] = "restart",
    [VMD_LIFECYCLE_PRESERVE] = "preserve",
    [VMD_LIFECYCLE_RENAME_RESTART] = "rename-restart",
    [VMD_LIFECYCLE_COREDUMP_DESTROY] = "coredump-destroy",
    [VMD_LIFECYCLE_COREDUMP_RESTART] = "coredump-restart",
};

static const char *const vmd_chr_type_names[] = {
    [VMD_CHR_PTY] = "pty",
    [VMD_CHR_UNIX] = "unix",
    [VMD_CHR_FILE] = "file",
};

static const char *vmd_table_to_string(const char *const *table, gsize n,
                                       int value)
{
    if (value < 0 || (gsize)value >= n) {
        return NULL;
    }
    return table[value];
}

static gboolean vmd_table_from_string(const char *const *table, gsize n,
                                      const char *s, int *out)
{
    if (s == NULL) {
        return FALSE;
    }
    for (gsize i = 0; i < n; i++) {
        if (table[i] != NULL && strcmp(table[i], s) == 0) {
            *out = (int)i;
            return TRUE;
        }
    }
    return FALSE;
}

#define VMD_TABLE_FUNCS(prefix, Type, table)                                   \
    const char *prefix##_to_string(Type v)                                     \
    {                                                                          \
        return vmd_table_to_string(table, G_N_ELEMENTS(table), (int)v);        \
    }                                                                          \
    gboolean prefix##_from_string(const char *s, Type *out)                    \
    {                                                                          \
        int v;                                                                 \
        if (!vmd_table_from_string(table, G_N_ELEMENTS(table), s, &v)) {       \
            return FALSE;                                                      \
        }                                                                      \
        *out = (Type)v;                                                        \
        return TRUE;                                                           \
    }

VMD_TABLE_FUNCS(vmd_net_type, VmdNetType, vmd_net_type_names)
VMD_TABLE_FUNCS(vmd_net_model, VmdNetModel, vmd_net_model_names)
VMD_TABLE_FUNCS(vmd_lifecycle, VmdLifecycleAction, vmd_lifecycle_names)
VMD_TABLE_FUNCS(vmd_chr_type, VmdChrType, vmd_chr_type_names)

/* ---- MAC, UUID, units ---------------------------------------------------- */

char *vmd_domain_mac_format(const guint8 mac[6], char *buf)
{
    g_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
               mac[3], mac[4], mac[5]);
    return buf;
}

gboolean vmd_domain_mac_parse(const char *s, guint8 mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi, lo;

        hi = g_ascii_xdigit_value(s[0]);
        lo = hi < 0 ? -1 : g_ascii_xdigit_value(s[1]);
        if (lo < 0) {
            return FALSE;
        }
        mac[i] = (guint8)(hi << 4 | lo);
        s += 2;
        if (i < 5) {
            if (*s != ':') {
                return FALSE;
            }
            s++;
        }
    }
    return *s == '\0';
}

gboolean vmd_domain_uuid_normalize(const char *s, char out[37])
{
    char hex[33];
    gsize len, n = 0;

    if (s == NULL) {
        return FALSE;
    }
    /* libvirt accepts the canonical form and 32 bare hex digits. */
    len = strlen(s);
    if (len == 36) {
        if (s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') {
            return FALSE;
        }
    } else if (len != 32) {
        return FALSE;
    }
    for (gsize i = 0; i < len; i++) {
        if (len == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
            continue;
        }
        if (!g_ascii_isxdigit(s[i])) {
            return FALSE;
        }
        hex[n++] = g_ascii_tolower(s[i]);
    }
    hex[n] = '\0';
    g_snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
               hex + 16, hex + 20);
    return TRUE;
}

gboolean vmd_domain_scale_to_kib(guint64 value, const char *unit, guint64 *kib)
{
    guint64 scale = 1;
    guint64 base;
    int power = 0;

    if (unit == NULL || unit[0] == '\0') {
        unit = "KiB";
    }
    if (g_ascii_strcasecmp(unit, "b") == 0 ||
        g_ascii_strcasecmp(unit, "byte") == 0 ||
        g_ascii_strcasecmp(unit, "bytes") == 0) {
        power = 0;
        base = 1;
    } else {
        switch (g_ascii_tolower(unit[0])) {
        case 'e':
            power = 6;
            break;
        case 'p':
            power = 5;
            break;
        case 't':
            power = 4;
            break;
        case 'g':
            power = 3;
            break;
        case 'm':
            power = 2;
            break;
        case 'k':
            power = 1;
            break;
        default:
            return FALSE;
        }
        if (unit[1] == '\0' || g_ascii_strcasecmp(unit + 1, "iB") == 0) {
            base = 1024;
        } else if (g_ascii_strcasecmp(unit + 1, "B") == 0) {
            base = 1000;
        } else {
            return FALSE;
        }
    }
    for (int i = 0; i < power; i++) {
        scale *= base;
    }
    if (value > G_MAXUINT64 / scale) {
        return FALSE;
    }
    value *= scale;
    /* bytes -> KiB, rounding up as libvirt does */
    *kib = value / 1024 + (value % 1024 != 0);
    return TRUE;
}

gboolean vmd_domain_name_check(const char *name, GError **error)
{
    if (name == NULL || name[0] == '\0') {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("domain name must not be empty"));
        return FALSE;
    }
    if (strlen(name) > 200) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("domain name is longer than 200 bytes"));
        return FALSE;
    }
    if (name[0] == '.' || strchr(name, '/') != NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                    _("domain name '%s' must not contain '/' or start "
                      "with '.'"),
                    name);
        return FALSE;
    }
    for (const char *p = name; *p != '\0'; p++) {
        if ((guchar)*p < 0x20 || *p == 0x7f) {
            g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                                _("domain name must not contain control "
                                  "characters"));
            return FALSE;
        }
    }
    if (!g_utf8_validate(name, -1, NULL)) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("domain name is not valid UTF-8"));
        return FALSE;
    }
    return TRUE;
}

/* ---- defaults ------------------------------------------------------------ */

static guint32 vmd_rand_u32(GRand *rand)
{
    return rand != NULL ? g_rand_int(rand) : g_random_int();
}

static void vmd_domain_random_uuid(GRand *rand, char out[37])
{
    guint8 b[16];
    char hex[33];

    for (int i = 0; i < 16; i += 4) {
        guint32 v = vmd_rand_u32(rand);
        memcpy(b + i, &v, 4);
    }
    b[6] = (guint8)((b[6] & 0x0f) | 0x40); /* RFC 4122 version 4 */
    b[8] = (guint8)((b[8] & 0x3f) | 0x80); /* variant 10xx */
    for (int i = 0; i < 16; i++) {
        g_snprintf(hex + 2 * i, 3, "%02x", b[i]);
    }
    vmd_domain_uuid_normalize(hex, out);
}

static gboolean vmd_domain_mac_in_use(const VmdDomainDef *def,
                                      const guint8 mac[6])
{
    for (guint i = 0; i < def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(def->nets, i);

        if (net->mac_set && memcmp(net->mac, mac, 6) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

/*
 * Hot-plug ports: VMD_DOMAIN_HOTPLUG_PORTS of them in slots 0x1c..0x1f when
 * the definition has none (libvirt adds pcie-root-ports the same way);
 * each without <target>
 * gets chassis = index and port 0x10 + index - 1 (libvirt's numbering),
 * each without <address> slot 0x1b + index when free, else the highest
 * free slot of bus 0.
 */
static void vmd_postparse_ports(VmdDomainDef *def, gboolean *slot_used)
{
    if (def->ports->len == 0) {
        for (guint n = 1; n <= VMD_DOMAIN_HOTPLUG_PORTS; n++) {
            VmdPciPortDef *p = g_new0(VmdPciPortDef, 1);

            /* fixed slots: a NIC placed there is an error, not moved */
            p->index = n;
            p->addr.type = VMD_ADDR_PCI;
            p->addr.slot = VMD_DOMAIN_HOTPLUG_SLOT_BASE - 1 + n;
            g_ptr_array_add(def->ports, p);
        }
    }
    for (guint i = 0; i < def->ports->len; i++) {
        const VmdPciPortDef *p = g_ptr_array_index(def->ports, i);

        if (p->addr.type == VMD_ADDR_PCI && p->addr.bus == 0 &&
            p->addr.slot <= VMD_DOMAIN_PCI_SLOT_MAX) {
            slot_used[p->addr.slot] = TRUE;
        }
    }
    for (guint i = 0; i < def->ports->len; i++) {
        VmdPciPortDef *p = g_ptr_array_index(def->ports, i);
        guint want = VMD_DOMAIN_HOTPLUG_SLOT_BASE - 1 + p->index;

        if (!p->target_set) {
            p->chassis = MIN(p->index, 0xff);
            p->port = MIN(VMD_DOMAIN_PORT_NUMBER_BASE - 1 + p->index, 0xff);
            p->target_set = TRUE;
        }
        if (p->addr.type != VMD_ADDR_NONE) {
            continue;
        }
        if (want > VMD_DOMAIN_PCI_SLOT_MAX || slot_used[want]) {
            for (want = VMD_DOMAIN_PCI_SLOT_MAX;
                 want >= VMD_DOMAIN_PCI_SLOT_MIN && slot_used[want]; want--) {
            }
        }
        /* none free: left NONE, vmd_domain_def_validate() reports */
        if (want >= VMD_DOMAIN_PCI_SLOT_MIN) {
            slot_used[want] = TRUE;
            p->addr.type = VMD_ADDR_PCI;
            p->addr.slot = want;
        }
    }
}

void vmd_domain_def_postparse(VmdDomainDef *def, GRand *rand)
{
    gboolean slot_used[VMD_DOMAIN_PCI_SLOT_MAX + 1] = {FALSE};

    if (def->uuid[0] == '\0') {
        vmd_domain_random_uuid(rand, def->uuid);
    }
    if (def->current_memory_kib == 0) {
        def->current_memory_kib = def->memory_kib;
    }
    for (guint i = 0; i < def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(def->nets, i);

        if (net->addr.type == VMD_ADDR_PCI && net->addr.bus == 0 &&
            net->addr.slot <= VMD_DOMAIN_PCI_SLOT_MAX) {
            slot_used[net->addr.slot] = TRUE;
        }
    }
    vmd_postparse_ports(def, slot_used);
    for (guint i = 0; i < def->nets->len; i++) {
        VmdNetDef *net = g_ptr_array_index(def->nets, i);

        if (!net->model_set) {
            net->model = VMD_NET_MODEL_VIRTIO;
            net->model_set = TRUE;
        }
        while (!net->mac_set) {
            guint32 r = vmd_rand_u32(rand);
            guint8 mac[6] = {
                0x52,     0x54, 0x00, (guint8)(r >> 16), (guint8)(r >> 8),
                (guint8)r};

            if (!vmd_domain_mac_in_use(def, mac)) {
                memcpy(net->mac, mac, 6);
                net->mac_set = TRUE;
            }
        }
        if (net->addr.type == VMD_ADDR_NONE) {
            /* Lowest free slot, after the explicitly placed devices. */
            for (guint s = VMD_DOMAIN_PCI_SLOT_MIN;
                 s <= VMD_DOMAIN_PCI_SLOT_MAX; s++) {
                if (!slot_used[s]) {
                    slot_used[s] = TRUE;
                    net->addr.type = VMD_ADDR_PCI;
                    net->addr.domain = 0;
                    net->addr.bus = 0;
                    net->addr.slot = s;
                    net->addr.function = 0;
                    break;
                }
            }
            /* None free: left NONE, vmd_domain_def_validate() reports. */
        }
    }
}

/* ---- the whole chain ----------------------------------------------------- */

/*
 * domain.rng, and when it fails, each device alone against
 * domain-device.rng: libxml2 blames a bad device on the <interleave> of
 * <domain> ("Extra element devices in interleave"); the second pass names
 * the device and the line of its fault. The copy keeps line numbers.
 */
static gboolean vmd_domain_validate_schema(xmlDoc *doc, GError **error)
{
    g_autoptr(GError) err = NULL;
    xmlNode *root = xmlDocGetRootElement(doc);

    if (vmd_xml_validate(doc, "domain.rng", &err)) {
        return TRUE;
    }
    for (xmlNode *devs = root->children;
         devs != NULL && err->code == VMD_ERROR_INVALID_XML;
         devs = devs->next) {
        if (devs->type != XML_ELEMENT_NODE || devs->ns != NULL ||
            strcmp((const char *)devs->name, "devices") != 0) {
            continue;
        }
        for (xmlNode *dev = devs->children; dev != NULL; dev = dev->next) {
            xmlDoc *one;
            gboolean ok;
            g_autoptr(GError) dev_err = NULL;

            if (dev->type != XML_ELEMENT_NODE) {
                continue;
            }
            one = xmlNewDoc((const xmlChar *)"1.0");
            xmlDocSetRootElement(one, xmlDocCopyNode(dev, one, 1));
            ok = vmd_xml_validate(one, "domain-device.rng", &dev_err);
            xmlFreeDoc(one);
            if (!ok && dev_err->code == VMD_ERROR_INVALID_XML) {
                g_propagate_error(error, g_steal_pointer(&dev_err));
                return FALSE;
            }
        }
    }
    g_propagate_error(error, g_steal_pointer(&err));
    return FALSE;
}

VmdDomainDef *vmd_domain_def_new_from_xml(const char *xml, gssize len,
                                          GRand *rand, GError **error)
{
    xmlDoc *doc;
    VmdDomainDef *def;

    doc = vmd_xml_read(xml, len, error);
    if (doc == NULL) {
        return NULL;
    }
    if (!vmd_domain_validate_schema(doc, error)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    def = vmd_domain_def_parse(doc, error);
    xmlFreeDoc(doc);
    if (def == NULL) {
        return NULL;
    }
    vmd_domain_def_postparse(def, rand);
    if (!vmd_domain_def_validate(def, error)) {
        vmd_domain_def_free(def);
        return NULL;
    }
    return def;
}

/* ---- one device: AttachDevice / DetachDevice ----------------------------- */

VmdNetDef *vmd_domain_net_def_new_from_xml(const char *xml, gssize len,
                                           GError **error)
{
    xmlDoc *doc;
    xmlNode *root;
    VmdNetDef *net = NULL;

    doc = vmd_xml_read(xml, len, error);
    if (doc == NULL) {
        return NULL;
    }
    root = xmlDocGetRootElement(doc);
    if (root == NULL) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_INVALID_XML,
                            _("XML document has no root element"));
    } else if (root->ns == NULL &&
               (strcmp((const char *)root->name, "serial") == 0 ||
                strcmp((const char *)root->name, "console") == 0)) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                    _("only <interface> devices can be attached and "
                      "detached, not <%s>"),
                    (const char *)root->name);
    } else if (vmd_xml_validate(doc, "domain-device.rng", error)) {
        net = vmd_domain_net_def_parse(root, error);
    }
    xmlFreeDoc(doc);
    return net;
}

VmdDomainDef *vmd_domain_def_copy(const VmdDomainDef *def, GError **error)
{
    g_autofree char *xml = vmd_domain_def_format(def);

    return vmd_domain_def_new_from_xml(xml, -1, NULL, error);
}

gboolean vmd_domain_def_add_net(VmdDomainDef *def, VmdNetDef *net, GRand *rand,
                                GError **error)
{
    g_autoptr(VmdNetDef) owned = net;
    char mac[18];

    if (def->nets->len >= VMD_DOMAIN_MAX_NETS) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("domain '%s' already has %d interfaces, the maximum"),
                    def->name, VMD_DOMAIN_MAX_NETS);
        return FALSE;
    }
    if (net->mac_set && vmd_domain_mac_in_use(def, net->mac)) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("MAC address %s is already used by an interface of "
                      "domain '%s'"),
                    vmd_domain_mac_format(net->mac, mac), def->name);
        return FALSE;
    }
    /* every other interface has its MAC and address already: postparse
     * fills only the new one's */
    g_ptr_array_add(def->nets, g_steal_pointer(&owned));
    vmd_domain_def_postparse(def, rand);
    if (!vmd_domain_def_validate(def, error)) {
        g_ptr_array_remove_index(def->nets, def->nets->len - 1);
        return FALSE;
    }
    return TRUE;
}

int vmd_domain_def_find_net(const VmdDomainDef *def, const VmdNetDef *match,
                            GError **error)
{
    char mac[18];
    int found = -1;
    guint n = 0;

    if (match->mac_set) {
        for (guint i = 0; i < def->nets->len; i++) {
            const VmdNetDef *net = g_ptr_array_index(def->nets, i);

            if (memcmp(net->mac, match->mac, 6) == 0) {
                return (int)i;
            }
        }
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("no interface with MAC %s in domain '%s'"),
                    vmd_domain_mac_format(match->mac, mac), def->name);
        return -1;
    }
    for (guint i = 0; i < def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(def->nets, i);

        if (net->type == match->type) {
            found = (int)i;
            n++;
        }
    }
    if (n == 0) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("no interface of type '%s' in domain '%s'"),
                    vmd_net_type_to_string(match->type), def->name);
        return -1;
    }
    if (n > 1) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("domain '%s' has %u interfaces of type '%s': give "
                      "<mac address=...> to choose one"),
                    def->name, n, vmd_net_type_to_string(match->type));
        return -1;
    }
    return found;
}
