/* SPDX-License-Identifier: GPL-2.0-or-later */
/* options.c: -netdev, -nic, -net and -device (NIC models) as QEMU reads
 * them — the backend and NIC model tables, MAC defaults, names, the order
 * in which realize creates backends, hubs and NICs, and the warnings. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "emu-error.h"
#include "engine/core/machine.h"
#include "engine/net/net-internal.h"

/*
 * Backends and NIC models of other parts of the tree, referenced through
 * the tables below. EMU_NET_PART may be defined as __attribute__((weak))
 * to build the net core without them (a NULL symbol then reads as "not
 * available in this build"); every part is in the tree, so it is empty.
 */
#ifndef EMU_NET_PART
#define EMU_NET_PART
#endif
EmuNetClient *emu_net_tap_init(EmuNet *, const char *, EmuOpts *,
                               EmuNetClient *, GError **) EMU_NET_PART;
EmuNetClient *emu_net_bridge_init(EmuNet *, const char *, EmuOpts *,
                                  EmuNetClient *, GError **) EMU_NET_PART;
EmuNetClient *emu_net_socket_init(EmuNet *, const char *, EmuOpts *,
                                  EmuNetClient *, GError **) EMU_NET_PART;
EmuNetClient *emu_net_stream_init(EmuNet *, const char *, EmuOpts *,
                                  EmuNetClient *, GError **) EMU_NET_PART;
EmuNetClient *emu_net_dgram_init(EmuNet *, const char *, EmuOpts *,
                                 EmuNetClient *, GError **) EMU_NET_PART;
bool emu_virtio_net_pci_create(EmuMachine *, EmuNetClient *, const uint8_t *,
                               const char *, EmuOpts *, GError **) EMU_NET_PART;
bool emu_virtio_net_mmio_create(EmuMachine *, EmuNetClient *, const uint8_t *,
                                const char *, EmuOpts *,
                                GError **) EMU_NET_PART;
bool emu_e1000_create(EmuMachine *, EmuNetClient *, const uint8_t *,
                      const char *, EmuOpts *, GError **) EMU_NET_PART;

typedef struct NetBackend {
    const char *name;
    EmuNetBackendInit init;
} NetBackend;

/* QEMU's -netdev types, in its "-netdev help" order for those we have */
static const NetBackend *backend_table(size_t *n)
{
    static NetBackend table[7];

    /* filled at run time: weak symbols are not constant expressions */
    table[0] = (NetBackend){"socket", emu_net_socket_init};
    table[1] = (NetBackend){"stream", emu_net_stream_init};
    table[2] = (NetBackend){"dgram", emu_net_dgram_init};
    table[3] = (NetBackend){"hubport", emu_net_hubport_init};
    table[4] = (NetBackend){"tap", emu_net_tap_init};
    table[5] = (NetBackend){"user", emu_net_user_init};
    table[6] = (NetBackend){"bridge", emu_net_bridge_init};
    *n = G_N_ELEMENTS(table);
    return table;
}

/* QEMU backends vmkit does not have at all */
static const char *const foreign_backends[] = {
    "nic",          "none",          "l2tpv3", "vde",   "vhost-user",
    "vhost-vdpa",   "netmap",        "af-xdp", "passt", "vmnet-host",
    "vmnet-shared", "vmnet-bridged", NULL,
};

static const EmuNicModel *nic_table(size_t *n)
{
    static EmuNicModel table[3];

    table[0] = (EmuNicModel){"e1000", emu_e1000_create, "PCI",
                             "Intel Gigabit Ethernet"};
    table[1] =
        (EmuNicModel){"virtio-net-device", emu_virtio_net_mmio_create,
                      "virtio-bus", "virtio network device (virtio-mmio)"};
    table[2] = (EmuNicModel){"virtio-net-pci", emu_virtio_net_pci_create, "PCI",
                             "virtio network device (PCI)"};
    *n = G_N_ELEMENTS(table);
    return table;
}

/* model aliases: -nic/-net nic accept "virtio" (QEMU's pci_nic_init);
 * both accept the e1000's long name */
static const char *model_alias(const char *model, bool device)
{
    if (!device && !strcmp(model, "virtio")) {
        return "virtio-net-pci";
    }
    if (!strcmp(model, "e1000-82540em")) {
        return "e1000";
    }
    return model;
}

typedef enum {
    OPT_NETDEV,
    OPT_NIC,
    OPT_NET,
    OPT_DEVICE,
} OptKind;

struct NetOption {
    OptKind kind;
    char *text; /* "-netdev user,id=n0": the prefix of its errors */
    EmuOpts *opts;
    char *type;  /* backend type, "nic", or the device model */
    char *model; /* -nic / -net nic: model= (NULL: the default) */
    char *id;
    bool has_mac;
    uint8_t mac[6];
};

static void net_option_free(NetOption *o)
{
    emu_opts_free(o->opts);
    g_free(o->text);
    g_free(o->type);
    g_free(o->model);
    g_free(o->id);
    g_free(o);
}

void emu_net_options_free(EmuNet *net)
{
    for (guint i = 0; i < net->options->len; i++) {
        net_option_free(g_ptr_array_index(net->options, i));
    }
    g_ptr_array_set_size(net->options, 0);
}

void emu_net_add_nic_model(EmuNet *net, const char *name, EmuNicCreate create)
{
    EmuNicModel *m = g_new0(EmuNicModel, 1);

    m->name = name;
    m->create = create;
    m->bus = "test";
    m->desc = "test NIC";
    g_ptr_array_add(net->extra_models, m);
}

void emu_net_set_default_nic(EmuNet *net, const char *model)
{
    g_free(net->default_model);
    net->default_model = g_strdup(model);
}

void emu_net_set_quiet(EmuNet *net, bool quiet)
{
    net->quiet = quiet;
}

bool emu_net_help_requested(EmuNet *net)
{
    return net->help;
}

static const EmuNicModel *find_model(EmuNet *net, const char *name)
{
    size_t n;
    const EmuNicModel *t = nic_table(&n);

    for (guint i = 0; i < net->extra_models->len; i++) {
        const EmuNicModel *m = g_ptr_array_index(net->extra_models, i);
        if (!strcmp(m->name, name)) {
            return m;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(t[i].name, name)) {
            return &t[i];
        }
    }
    return NULL;
}

static const NetBackend *find_backend(const char *type)
{
    size_t n;
    const NetBackend *t = backend_table(&n);

    for (size_t i = 0; i < n; i++) {
        if (!strcmp(t[i].name, type)) {
            return &t[i];
        }
    }
    return NULL;
}

/* check_backend: the type exists and is built in */
static bool check_backend(const char *type, GError **error)
{
    const NetBackend *b = find_backend(type);

    if (b && b->init) {
        return true;
    }
    if (b || g_strv_contains(foreign_backends, type)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "network backend '%s' is not available in this build",
                    type);
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'type' does not accept value '%s'", type);
    }
    return false;
}

/* check_model: a NIC model we know and have; @device: -device naming */
static bool check_model(EmuNet *net, const char *model, bool device,
                        GError **error)
{
    const EmuNicModel *m = find_model(net, model);

    if (m && m->create) {
        return true;
    }
    if (m) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "NIC model '%s' is not available in this build", model);
    } else if (device) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "'%s' is not a valid device model name", model);
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "unsupported NIC model '%s' (model=help lists them)",
                    model);
    }
    return false;
}

/* ---- help texts (stdout, like QEMU's) -------------------------------- */

static void print_backends(void)
{
    size_t n;
    const NetBackend *t = backend_table(&n);

    printf("Available netdev backend types:\n");
    for (size_t i = 0; i < n; i++) {
        if (t[i].init) {
            printf("%s\n", t[i].name);
        }
    }
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void print_models(EmuNet *net, const char *title)
{
    size_t n;
    const EmuNicModel *t = nic_table(&n);
    g_autoptr(GPtrArray) names = g_ptr_array_new();

    for (size_t i = 0; i < n; i++) {
        if (t[i].create) {
            g_ptr_array_add(names, (gpointer)t[i].name);
        }
    }
    for (guint i = 0; i < net->extra_models->len; i++) {
        const EmuNicModel *m = g_ptr_array_index(net->extra_models, i);
        g_ptr_array_add(names, (gpointer)m->name);
    }
    g_ptr_array_sort(names, cmp_str);
    printf("%s\n", title);
    for (guint i = 0; i < names->len; i++) {
        printf("%s\n", (const char *)g_ptr_array_index(names, i));
    }
}

static void print_devices(EmuNet *net)
{
    size_t n;
    const EmuNicModel *t = nic_table(&n);

    printf("Network devices:\n");
    for (size_t i = 0; i < n; i++) {
        if (t[i].create) {
            printf("name \"%s\", bus %s%s, desc \"%s\"\n", t[i].name, t[i].bus,
                   !strcmp(t[i].name, "e1000") ? ", alias \"e1000-82540em\""
                                               : "",
                   t[i].desc);
        }
    }
}

static void print_device_props(const char *model)
{
    printf("%s options:\n"
           "  id=<str>\n"
           "  mac=<str>              - Ethernet 6-byte MAC Address, example: "
           "52:54:00:12:34:56\n"
           "  netdev=<str>           - ID of a netdev to use as a backend\n",
           model);
}

/* ---- recording options (syntax errors) ------------------------------ */

static bool parse_mac_opt(const char *s, uint8_t mac[6], GError **error)
{
    if (!emu_net_parse_mac(s, mac)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "invalid syntax for ethernet address");
        return false;
    }
    if (mac[0] & 1) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "NIC cannot have multicast MAC address");
        return false;
    }
    return true;
}

bool emu_net_parse_mac(const char *s, uint8_t mac[6])
{
    const char *p = s;

    for (int i = 0; i < 6; i++) {
        char *end;
        unsigned long v;

        if (!g_ascii_isxdigit(*p)) {
            return false;
        }
        v = strtoul(p, &end, 16);
        if (end - p > 2 || v > 0xff) {
            return false;
        }
        mac[i] = (uint8_t)v;
        p = end;
        if (i < 5) {
            if (*p != ':' && *p != '-') {
                return false;
            }
            p++;
        }
    }
    return *p == '\0';
}

/* an id another -netdev or -nic already has */
static bool netdev_id_taken(EmuNet *net, const char *id)
{
    for (guint i = 0; i < net->options->len; i++) {
        NetOption *o = g_ptr_array_index(net->options, i);
        if ((o->kind == OPT_NETDEV || o->kind == OPT_NIC) && o->id &&
            !strcmp(o->id, id)) {
            return true;
        }
    }
    return false;
}

static bool device_id_taken(EmuNet *net, const char *id)
{
    for (guint i = 0; i < net->options->len; i++) {
        NetOption *o = g_ptr_array_index(net->options, i);
        if (o->kind == OPT_DEVICE && o->id && !strcmp(o->id, id)) {
            return true;
        }
    }
    return false;
}

static bool check_id(const char *id, GError **error)
{
    if (!emu_opts_id_wellformed(id)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'id' expects an identifier");
        return false;
    }
    return true;
}

static bool record_netdev(EmuNet *net, NetOption *o, GError **error)
{
    const char *type = emu_opts_get(o->opts, "type");
    const char *id = emu_opts_get(o->opts, "id");

    if (emu_opts_is_help(type)) {
        print_backends();
        net->help = true;
        return true;
    }
    if (!type) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'type' is missing");
        return false;
    }
    if (!check_backend(type, error)) {
        return false;
    }
    if (!id) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'id' is missing");
        return false;
    }
    if (!check_id(id, error)) {
        return false;
    }
    if (netdev_id_taken(net, id)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "duplicate ID '%s' for netdev", id);
        return false;
    }
    o->type = g_strdup(type);
    o->id = g_strdup(id);
    return true;
}

static bool record_nic(EmuNet *net, NetOption *o, GError **error)
{
    const char *type = emu_opts_get(o->opts, "type");
    const char *id = emu_opts_get(o->opts, "id");
    const char *model = emu_opts_get(o->opts, "model");
    const char *mac = emu_opts_get(o->opts, "mac");

    if (emu_opts_is_help(type)) {
        print_backends();
        printf("\n");
        print_models(net, "Available NIC models "
                          "(use -nic model=help for a filtered list):");
        net->help = true;
        return true;
    }
    if (emu_opts_is_help(model)) {
        print_models(net, "Available NIC models for this configuration:");
        net->help = true;
        return true;
    }
    if (type && !strcmp(type, "none")) {
        net->no_default = true;
        return true;
    }
    if (!type) {
        type = "user";
    }
    if (!check_backend(type, error)) {
        return false;
    }
    if (id) {
        if (!check_id(id, error)) {
            return false;
        }
        if (netdev_id_taken(net, id)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "duplicate ID '%s' for netdev", id);
            return false;
        }
    }
    if (model) {
        model = model_alias(model, false);
        if (!check_model(net, model, false, error)) {
            return false;
        }
    }
    if (mac) {
        if (!parse_mac_opt(mac, o->mac, error)) {
            return false;
        }
        o->has_mac = true;
    }
    o->type = g_strdup(type);
    o->id = g_strdup(id);
    o->model = g_strdup(model);
    return true;
}

static bool record_net(EmuNet *net, NetOption *o, GError **error)
{
    const char *type = emu_opts_get(o->opts, "type");

    if (emu_opts_is_help(type)) {
        print_backends();
        net->help = true;
        return true;
    }
    if (!type) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'type' is missing");
        return false;
    }
    if (!strcmp(type, "none")) {
        net->no_default = true;
        return true;
    }
    if (!strcmp(type, "hubport")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "network backend 'hubport' is only supported with "
                    "-netdev/-nic");
        return false;
    }
    if (!strcmp(type, "nic")) {
        const char *model = emu_opts_get(o->opts, "model");
        const char *mac = emu_opts_get(o->opts, "macaddr");

        if (emu_opts_is_help(model)) {
            print_models(net, "Available NIC models for this configuration:");
            net->help = true;
            return true;
        }
        if (model) {
            model = model_alias(model, false);
            if (!check_model(net, model, false, error)) {
                return false;
            }
        }
        if (mac) {
            if (!parse_mac_opt(mac, o->mac, error)) {
                return false;
            }
            o->has_mac = true;
        }
        o->model = g_strdup(model);
    } else if (!check_backend(type, error)) {
        return false;
    }
    o->type = g_strdup(type);
    return true;
}

/* -device / device_add mac=: a unicast address for @driver, kept in @o */
static bool device_mac_opt(NetOption *o, const char *driver, const char *mac,
                           GError **error)
{
    if (!emu_net_parse_mac(mac, o->mac) || (o->mac[0] & 1)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "property '%s.mac' doesn't take value '%s'", driver, mac);
        return false;
    }
    o->has_mac = true;
    return true;
}

static bool record_device(EmuNet *net, NetOption *o, GError **error)
{
    const char *driver = emu_opts_get(o->opts, "driver");
    const char *id = emu_opts_get(o->opts, "id");
    const char *mac = emu_opts_get(o->opts, "mac");

    if (emu_opts_is_help(driver)) {
        print_devices(net);
        net->help = true;
        return true;
    }
    if (!driver) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'driver' is missing");
        return false;
    }
    driver = model_alias(driver, true);
    if (!check_model(net, driver, true, error)) {
        return false;
    }
    if (emu_opts_has(o->opts, "help") || emu_opts_has(o->opts, "?")) {
        print_device_props(driver);
        net->help = true;
        return true;
    }
    if (id) {
        if (!check_id(id, error)) {
            return false;
        }
        if (device_id_taken(net, id)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "duplicate ID '%s' for device", id);
            return false;
        }
    }
    if (mac && !device_mac_opt(o, driver, mac, error)) {
        return false;
    }
    o->type = g_strdup(driver);
    o->id = g_strdup(id);
    return true;
}

bool emu_net_add_option(EmuNet *net, const char *opt, const char *arg,
                        GError **error)
{
    NetOption *o;
    bool ok;

    if (opt[0] == '-' && opt[1] == '-') {
        opt++;
    }
    o = g_new0(NetOption, 1);
    if (!strcmp(opt, "-netdev")) {
        o->kind = OPT_NETDEV;
    } else if (!strcmp(opt, "-nic")) {
        o->kind = OPT_NIC;
    } else if (!strcmp(opt, "-net")) {
        o->kind = OPT_NET;
    } else if (!strcmp(opt, "-device")) {
        o->kind = OPT_DEVICE;
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s: not a network option", opt);
        g_free(o);
        return false;
    }
    o->text = g_strdup_printf("%s %s", opt, arg);
    if (net->realized) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s: the network is already set up", o->text);
        net_option_free(o);
        return false;
    }
    o->opts =
        emu_opts_parse(arg, o->kind == OPT_DEVICE ? "driver" : "type", error);
    if (!o->opts) {
        g_prefix_error(error, "%s: ", o->text);
        net_option_free(o);
        return false;
    }
    switch (o->kind) {
    case OPT_NETDEV:
        ok = record_netdev(net, o, error);
        break;
    case OPT_NIC:
        ok = record_nic(net, o, error);
        break;
    case OPT_NET:
        ok = record_net(net, o, error);
        break;
    default:
        ok = record_device(net, o, error);
        break;
    }
    if (!ok) {
        g_prefix_error(error, "%s: ", o->text);
        net_option_free(o);
        return false;
    }
    /* "-nic none", "-net none" and help options leave nothing to build */
    if (!o->type) {
        net_option_free(o);
        return true;
    }
    g_ptr_array_add(net->options, o);
    return true;
}

/* ---- realize ---------------------------------------------------------- */

static const uint8_t mac_base[5] = {0x52, 0x54, 0x00, 0x12, 0x34};

static void mac_set_used(EmuNet *net, const uint8_t mac[6])
{
    if (mac[5] >= 0x56 && mac[5] < 0xff) {
        net->mac_used[mac[5]]++;
    }
}

/* QEMU's qemu_macaddr_default_if_unset(): 52:54:00:12:34:56 for the
 * first NIC, then the lowest free last byte; a given MAC in that range
 * counts as used. */
static void mac_default_if_unset(EmuNet *net, uint8_t mac[6], bool has_mac)
{
    int idx = 0xff;

    if (has_mac) {
        if (!memcmp(mac, mac_base, 5)) {
            mac_set_used(net, mac);
        }
        return;
    }
    for (int i = 0x56; i < 0xff; i++) {
        if (!net->mac_used[i]) {
            idx = i;
            break;
        }
    }
    memcpy(mac, mac_base, 5);
    mac[5] = (uint8_t)idx;
    mac_set_used(net, mac);
}

/* create_backend: runs the type's constructor and reports keys it did
 * not use ("invalid parameter 'foo'") */
static EmuNetClient *create_backend(EmuNet *net, NetOption *o, const char *name,
                                    EmuNetClient *peer, GError **error)
{
    const NetBackend *b = find_backend(o->type);
    EmuNetClient *nc;

    if (!b || !b->init) {
        check_backend(o->type, error);
        return NULL;
    }
    nc = b->init(net, name, o->opts, peer, error);
    if (!nc) {
        return NULL;
    }
    if (!emu_opts_check_unused(o->opts, NULL, error)) {
        emu_net_client_free(nc);
        return NULL;
    }
    emu_net_priv(nc)->is_netdev = true;
    return nc;
}

static char *gen_id(EmuNet *net)
{
    for (;;) {
        char *id = g_strdup_printf("#net%u", net->next_gen_id++);
        if (!emu_net_find(net, id)) {
            return id;
        }
        g_free(id);
    }
}

/* A NIC the board creates from -nic / -net nic (QEMU's nd_table). */
typedef struct NicDesc {
    NetOption *o;
    const char *model;
    EmuNetClient *peer;
    uint8_t mac[6];
    EmuOpts *nic_opts;
} NicDesc;

static void nic_desc_free(gpointer p)
{
    NicDesc *nd = p;

    emu_opts_free(nd->nic_opts);
    g_free(nd);
}

static bool create_nic(EmuNet *net, NetOption *o, const char *model,
                       EmuNetClient *peer, const uint8_t mac[6], const char *id,
                       EmuOpts *nic_opts, GError **error)
{
    const EmuNicModel *m;
    g_autofree char *name = NULL;
    EmuNetClient *nc;

    if (!check_model(net, model, o->kind == OPT_DEVICE, error)) {
        return false;
    }
    m = find_model(net, model);
    name = id ? g_strdup(id) : emu_net_gen_name(net, model);
    if (emu_net_find(net, name)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "duplicate ID '%s' for device", name);
        return false;
    }
    if (!m->create(net->m, peer, mac, name, nic_opts, error)) {
        return false;
    }
    nc = emu_net_find(net, name);
    if (nc && nc->ops->kind == EMU_NET_CLIENT_NIC) {
        EmuNetClientPriv *p = emu_net_priv(nc);
        g_free(p->model);
        p->model = g_strdup(model);
        memcpy(p->mac, mac, 6);
        p->has_mac = true;
    }
    return emu_opts_check_unused(nic_opts, NULL, error);
}

static bool realize_option_backend(EmuNet *net, NetOption *o, GPtrArray *nds,
                                   GError **error)
{
    EmuNetClient *nc, *peer = NULL;
    NicDesc *nd;

    switch (o->kind) {
    case OPT_NETDEV:
        return create_backend(net, o, o->id, NULL, error) != NULL;
    case OPT_NIC:
        if (!o->id) {
            o->id = gen_id(net);
        }
        nc = create_backend(net, o, o->id, NULL, error);
        if (!nc) {
            return false;
        }
        nd = g_new0(NicDesc, 1);
        nd->o = o;
        nd->model = o->model ? o->model : net->default_model;
        nd->peer = nc;
        memcpy(nd->mac, o->mac, 6);
        mac_default_if_unset(net, nd->mac, o->has_mac);
        nd->nic_opts = emu_opts_parse("", NULL, NULL);
        g_ptr_array_add(nds, nd);
        return true;
    default: /* OPT_NET */
        break;
    }
    if (!strcmp(o->type, "nic")) {
        const char *netdev = emu_opts_get(o->opts, "netdev");
        const char *addr = emu_opts_get(o->opts, "addr");
        g_autofree char *addr_opt = NULL;

        /* -net nic's own name= and id= only label it in QEMU's warnings */
        (void)emu_opts_get(o->opts, "name");
        (void)emu_opts_get(o->opts, "id");
        if (netdev) {
            peer = emu_net_find_netdev(net, netdev);
            if (!peer) {
                g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                            "netdev '%s' not found", netdev);
                return false;
            }
            if (peer->peer) {
                g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                            "netdev '%s' is already in use", netdev);
                return false;
            }
        } else {
            peer = emu_net_hub_add_port(net, 0, NULL, NULL, error);
            if (!peer) {
                return false;
            }
        }
        if (!emu_opts_check_unused(o->opts, NULL, error)) {
            return false;
        }
        nd = g_new0(NicDesc, 1);
        nd->o = o;
        nd->model = o->model ? o->model : net->default_model;
        nd->peer = peer;
        memcpy(nd->mac, o->mac, 6);
        mac_default_if_unset(net, nd->mac, o->has_mac);
        if (addr) {
            g_autoptr(GString) s = g_string_new("addr=");
            for (const char *p = addr; *p; p++) {
                g_string_append_c(s, *p);
                if (*p == ',') {
                    g_string_append_c(s, ',');
                }
            }
            addr_opt = g_string_free(g_steal_pointer(&s), FALSE);
        }
        nd->nic_opts = emu_opts_parse(addr_opt ? addr_opt : "", NULL, NULL);
        g_ptr_array_add(nds, nd);
        return true;
    } else {
        /* legacy -net BACKEND: a new port of hub 0, then the backend */
        const char *id = emu_opts_get(o->opts, "id");
        const char *name = emu_opts_get(o->opts, "name");
        g_autofree char *gen = NULL;

        if (!id && !name) {
            gen = gen_id(net);
        }
        peer = emu_net_hub_add_port(net, 0, NULL, NULL, error);
        if (!peer) {
            return false;
        }
        nc = create_backend(net, o, id ? id : name ? name : gen, peer, error);
        if (!nc) {
            emu_net_client_free(peer);
            return false;
        }
        return true;
    }
}

static bool realize_device(EmuNet *net, NetOption *o, GError **error)
{
    const char *netdev = emu_opts_get(o->opts, "netdev");
    EmuNetClient *peer = NULL;
    uint8_t mac[6];

    if (netdev) {
        peer = emu_net_find_netdev(net, netdev);
        if (!peer) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                        "property '%s.netdev' can't find value '%s'", o->type,
                        netdev);
            return false;
        }
        if (peer->peer) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "property '%s.netdev' can't take value '%s', "
                        "it's in use",
                        o->type, netdev);
            return false;
        }
    }
    memcpy(mac, o->mac, 6);
    mac_default_if_unset(net, mac, o->has_mac);
    return create_nic(net, o, o->type, peer, mac, o->id, o->opts, error);
}

/* QEMU's net_check_clients(): after the hubs, every client alone */
static void check_clients(EmuNet *net)
{
    emu_net_hub_check_clients(net);
    for (guint i = 0; i < net->clients->len; i++) {
        EmuNetClient *nc = g_ptr_array_index(net->clients, i);
        if (!nc->peer) {
            emu_net_warn(net, "%s %s has no peer",
                         nc->ops->kind == EMU_NET_CLIENT_NIC ? "nic" : "netdev",
                         nc->name);
        }
    }
}

/* unwind: a failed realize leaves nothing running (slirp sockets, smb
 * directories, tap scripts go with their clients), newest first */
static void unwind(EmuNet *net)
{
    while (net->clients->len) {
        emu_net_client_free(
            g_ptr_array_index(net->clients, net->clients->len - 1));
    }
    emu_net_hubs_free(net);
}

static bool realize(EmuNet *net, GError **error);

bool emu_net_realize(EmuNet *net, GError **error)
{
    if (net->realized) {
        return true;
    }
    net->realized = true;
    if (!realize(net, error)) {
        unwind(net);
        return false;
    }
    return true;
}

static bool realize(EmuNet *net, GError **error)
{
    g_autoptr(GPtrArray) nds = g_ptr_array_new_with_free_func(nic_desc_free);

    if (!net->options->len && !net->no_default) {
        /* no network option: "-nic user" on the board's NIC (QEMU itself
         * uses "-net nic -net user", i.e. hub 0). Quietly nothing when
         * this build has no such NIC. */
        const EmuNicModel *m = find_model(net, net->default_model);
        if (m && m->create) {
            NetOption *o = g_new0(NetOption, 1);
            o->kind = OPT_NIC;
            o->text = g_strdup("-nic user");
            o->opts = emu_opts_parse("user", "type", NULL);
            (void)emu_opts_get(o->opts, "type");
            o->type = g_strdup("user");
            g_ptr_array_add(net->options, o);
        }
    }
    /* QEMU's order: -netdev, then -nic, then -net; the board's NICs
     * (-nic, -net nic); then -device */
    for (OptKind k = OPT_NETDEV; k <= OPT_NET; k++) {
        for (guint i = 0; i < net->options->len; i++) {
            NetOption *o = g_ptr_array_index(net->options, i);
            if (o->kind == k && !realize_option_backend(net, o, nds, error)) {
                g_prefix_error(error, "%s: ", o->text);
                return false;
            }
        }
    }
    for (guint i = 0; i < nds->len; i++) {
        NicDesc *nd = g_ptr_array_index(nds, i);
        if (!create_nic(net, nd->o, nd->model, nd->peer, nd->mac, NULL,
                        nd->nic_opts, error)) {
            g_prefix_error(error, "%s: ", nd->o->text);
            return false;
        }
    }
    for (guint i = 0; i < net->options->len; i++) {
        NetOption *o = g_ptr_array_index(net->options, i);
        if (o->kind == OPT_DEVICE && !realize_device(net, o, error)) {
            g_prefix_error(error, "%s: ", o->text);
            return false;
        }
    }
    check_clients(net);
    return true;
}

/* ---- hot-plug: netdev_add, device_add ---------------------------------- */

/*
 * The same options as on the command line, checked against what exists
 * now rather than against the other options (ids freed by netdev_del or
 * device_del can be used again). A hot-added option stays in
 * net->options: its parsed values live as long as the net layer.
 */
static NetOption *hot_option(OptKind kind, const char *what, const char *arg,
                             GError **error)
{
    NetOption *o = g_new0(NetOption, 1);

    o->kind = kind;
    o->text = g_strdup_printf("%s %s", what, arg);
    o->opts = emu_opts_parse(arg, kind == OPT_DEVICE ? "driver" : "type",
                             error);
    if (!o->opts) {
        net_option_free(o);
        return NULL;
    }
    return o;
}

bool emu_net_hot_netdev_add(EmuNet *net, const char *arg, GError **error)
{
    NetOption *o = hot_option(OPT_NETDEV, "netdev_add", arg, error);
    const char *type, *id;

    if (!o) {
        return false;
    }
    type = emu_opts_get(o->opts, "type");
    id = emu_opts_get(o->opts, "id");
    if (!type || emu_opts_is_help(type)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'type' is missing");
        goto fail;
    }
    if (!check_backend(type, error)) {
        goto fail;
    }
    if (!strcmp(type, "hubport") && !emu_opts_get(o->opts, "hubid")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'hubid' is missing");
        goto fail;
    }
    if (!id) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'id' is missing");
        goto fail;
    }
    if (!check_id(id, error)) {
        goto fail;
    }
    if (emu_net_find(net, id)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "Duplicate ID '%s' for netdev", id);
        goto fail;
    }
    o->type = g_strdup(type);
    o->id = g_strdup(id);
    if (!create_backend(net, o, o->id, NULL, error)) {
        goto fail;
    }
    g_ptr_array_add(net->options, o);
    return true;

fail:
    net_option_free(o);
    return false;
}

bool emu_net_hot_device_add(EmuNet *net, const char *arg, char **id_out,
                            GError **error)
{
    NetOption *o = hot_option(OPT_DEVICE, "device_add", arg, error);
    const char *driver, *id, *mac, *bus;

    if (!o) {
        return false;
    }
    driver = emu_opts_get(o->opts, "driver");
    id = emu_opts_get(o->opts, "id");
    mac = emu_opts_get(o->opts, "mac");
    bus = emu_opts_get(o->opts, "bus");
    if (!driver) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter 'driver' is missing");
        goto fail;
    }
    driver = model_alias(driver, true);
    if (!strcmp(driver, "pcie-root-port")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "device 'pcie-root-port' is not hot-pluggable (add root "
                    "ports with -device at start)");
        goto fail;
    }
    if (!check_model(net, driver, true, error)) {
        goto fail;
    }
    if (!strcmp(driver, "virtio-net-device")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "device 'virtio-net-device' is not hot-pluggable "
                    "(virtio-mmio slots are fixed; use virtio-net-pci)");
        goto fail;
    }
    if (!bus || !strcmp(bus, "pcie.0") || !strcmp(bus, "pci.0")) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "Bus 'pcie.0' does not support hotplugging (give "
                    "bus=ID of a pcie-root-port)");
        goto fail;
    }
    if (id) {
        if (!check_id(id, error)) {
            goto fail;
        }
        if (emu_net_find(net, id)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                        "Duplicate ID '%s' for device", id);
            goto fail;
        }
    }
    if (mac && !device_mac_opt(o, driver, mac, error)) {
        goto fail;
    }
    o->type = g_strdup(driver);
    o->id = id ? g_strdup(id) : emu_net_gen_name(net, driver);
    /* the id even on failure: a model refusing an option after it was
     * plugged is then taken back by the caller */
    if (id_out) {
        *id_out = g_strdup(o->id);
    }
    if (!realize_device(net, o, error)) {
        goto fail;
    }
    g_ptr_array_add(net->options, o);
    return true;

fail:
    net_option_free(o);
    return false;
}
