/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/cmd-hub.c: vmctl's hub commands: hub-list, hub-create,
 * hub-destroy, hub-show (org.vmkit.Vmd1.Hub objects). */
#include "config.h"

#include <string.h>

#include "client/vmctl.h"

typedef struct {
    char *name, *peer, *kind, *vm;
    guint64 rx_packets, rx_bytes, tx_packets, tx_bytes;
} HubPort;

typedef struct {
    char *path;
    char *name;
    char *scope;
    GArray *ports; /* of HubPort */
} Hub;

static void hub_port_clear(gpointer p)
{
    HubPort *hp = p;

    g_free(hp->name);
    g_free(hp->peer);
    g_free(hp->kind);
    g_free(hp->vm);
}

static void hub_free(Hub *h)
{
    if (h) {
        g_free(h->path);
        g_free(h->name);
        g_free(h->scope);
        g_array_unref(h->ports);
        g_free(h);
    }
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Hub, hub_free)

static Hub *hub_load(VmctlCtx *ctx, const char *path, GError **error)
{
    g_autoptr(GVariant) props =
        vmctl_get_all(ctx, path, VMCTL_HUB_IFACE, error);
    g_autoptr(GVariantIter) iter = NULL;
    Hub *h;
    HubPort p;

    if (!props) {
        return NULL;
    }
    h = g_new0(Hub, 1);
    h->path = g_strdup(path);
    h->ports = g_array_new(FALSE, TRUE, sizeof(HubPort));
    g_array_set_clear_func(h->ports, hub_port_clear);
    if (!g_variant_lookup(props, "Name", "s", &h->name)) {
        h->name = g_strdup("");
    }
    if (!g_variant_lookup(props, "Scope", "s", &h->scope)) {
        h->scope = g_strdup("");
    }
    if (g_variant_lookup(props, "Ports", "a(sssstttt)", &iter)) {
        while (g_variant_iter_next(iter, "(sssstttt)", &p.name, &p.peer,
                                   &p.kind, &p.vm, &p.rx_packets, &p.rx_bytes,
                                   &p.tx_packets, &p.tx_bytes)) {
            g_array_append_val(h->ports, p);
        }
    }
    return h;
}

static Hub *hub_lookup(VmctlCtx *ctx, const char *name)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *prefix = NULL;
    const char *path;
    Hub *h;

    r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE,
                   "HubLookupByName", g_variant_new("(s)", name),
                   G_VARIANT_TYPE("(o)"), &err);
    if (r) {
        g_variant_get(r, "(&o)", &path);
        h = hub_load(ctx, path, &err);
        if (h) {
            return h;
        }
    }
    prefix = g_strdup_printf(_("failed to get hub '%s'"), name);
    vmctl_error_gerror(err, prefix);
    return NULL;
}

/* Domain name of a port's owning VM (by UUID), for display. */
static const char *vm_name(VmctlCtx *ctx, GHashTable *cache, const char *uuid)
{
    g_autoptr(GVariant) r = NULL;
    const char *name = g_hash_table_lookup(cache, uuid);

    if (name) {
        return name;
    }
    r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE,
                   "DomainLookupByUUID", g_variant_new("(s)", uuid),
                   G_VARIANT_TYPE("(o)"), NULL);
    if (r) {
        const char *path;
        g_autoptr(VmctlDomain) dom = NULL;

        g_variant_get(r, "(&o)", &path);
        dom = vmctl_domain_load(ctx, path, NULL);
        if (dom) {
            g_hash_table_insert(cache, g_strdup(uuid),
                                g_steal_pointer(&dom->name));
            return g_hash_table_lookup(cache, uuid);
        }
    }
    g_hash_table_insert(cache, g_strdup(uuid), g_strdup(uuid));
    return g_hash_table_lookup(cache, uuid);
}

static void json_hub(VmctlCtx *ctx, VmctlJson *j, const Hub *h, GHashTable *vms)
{
    vmctl_json_begin_object(j);
    vmctl_json_key(j, "name");
    vmctl_json_string(j, h->name);
    vmctl_json_key(j, "scope");
    vmctl_json_string(j, h->scope);
    vmctl_json_key(j, "ports");
    vmctl_json_begin_array(j);
    for (guint i = 0; i < h->ports->len; i++) {
        const HubPort *p = &g_array_index(h->ports, HubPort, i);

        vmctl_json_begin_object(j);
        vmctl_json_key(j, "name");
        vmctl_json_string(j, p->name);
        vmctl_json_key(j, "peer");
        vmctl_json_string(j, p->peer);
        vmctl_json_key(j, "kind");
        vmctl_json_string(j, p->kind);
        vmctl_json_key(j, "domain_uuid");
        vmctl_json_string(j, p->vm[0] ? p->vm : NULL);
        vmctl_json_key(j, "domain");
        vmctl_json_string(j, p->vm[0] ? vm_name(ctx, vms, p->vm) : NULL);
        vmctl_json_key(j, "rx_packets");
        vmctl_json_int(j, (gint64)p->rx_packets);
        vmctl_json_key(j, "rx_bytes");
        vmctl_json_int(j, (gint64)p->rx_bytes);
        vmctl_json_key(j, "tx_packets");
        vmctl_json_int(j, (gint64)p->tx_packets);
        vmctl_json_key(j, "tx_bytes");
        vmctl_json_int(j, (gint64)p->tx_bytes);
        vmctl_json_end_object(j);
    }
    vmctl_json_end_array(j);
    vmctl_json_end_object(j);
}

/* ---- hub-list ------------------------------------------------------------ */

static int cmd_hub_list(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autoptr(GVariantIter) iter = NULL;
    g_autoptr(GPtrArray) hubs =
        g_ptr_array_new_with_free_func((GDestroyNotify)hub_free);
    g_autoptr(GHashTable) vms =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *path;

    if (vmctl_args_has(args, "name") && vmctl_args_has(args, "json")) {
        return vmctl_usage_error(cmd, _("options --name and --json are "
                                        "mutually exclusive"));
    }
    r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE, "ListHubs",
                   NULL, G_VARIANT_TYPE("(ao)"), &err);
    if (!r) {
        return vmctl_error_gerror(err, _("failed to list hubs"));
    }
    g_variant_get(r, "(ao)", &iter);
    while (g_variant_iter_loop(iter, "&o", &path)) {
        Hub *h = hub_load(ctx, path, &err);

        if (!h) {
            return vmctl_error_gerror(err, _("failed to list hubs"));
        }
        g_ptr_array_add(hubs, h);
    }
    if (vmctl_args_has(args, "name")) {
        for (guint i = 0; i < hubs->len; i++) {
            printf("%s\n", ((Hub *)g_ptr_array_index(hubs, i))->name);
        }
    } else if (vmctl_args_has(args, "json")) {
        g_autoptr(VmctlJson) j = vmctl_json_new();

        vmctl_json_begin_array(j);
        for (guint i = 0; i < hubs->len; i++) {
            json_hub(ctx, j, g_ptr_array_index(hubs, i), vms);
        }
        vmctl_json_end_array(j);
        vmctl_json_print(j, stdout);
    } else {
        const char *headers[] = {_("Name"), _("Scope"), _("Ports")};
        g_autoptr(VmctlTable) t = vmctl_table_new(3, headers);

        for (guint i = 0; i < hubs->len; i++) {
            const Hub *h = g_ptr_array_index(hubs, i);
            g_autofree char *n = g_strdup_printf("%u", h->ports->len);
            const char *row[] = {h->name, h->scope, n};

            vmctl_table_add(t, row);
        }
        vmctl_table_print(t, stdout);
    }
    return VMCTL_EXIT_OK;
}

/* ---- hub-create / hub-destroy ------------------------------------------- */

static int cmd_hub_create(VmctlCtx *ctx, const VmctlCmdDef *cmd,
                          VmctlArgs *args)
{
    const char *name = vmctl_args_get(args, "hub");
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;

    r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE, "HubCreate",
                   g_variant_new("(s)", name), G_VARIANT_TYPE("(o)"), &err);
    if (!r) {
        g_autofree char *prefix =
            g_strdup_printf(_("failed to create hub '%s'"), name);

        return vmctl_error_gerror(err, prefix);
    }
    printf(_("Hub '%s' created\n"), name);
    return VMCTL_EXIT_OK;
}

static int cmd_hub_destroy(VmctlCtx *ctx, const VmctlCmdDef *cmd,
                           VmctlArgs *args)
{
    const char *name = vmctl_args_get(args, "hub");
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;

    r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE, "HubDestroy",
                   g_variant_new("(s)", name), NULL, &err);
    if (!r) {
        g_autofree char *prefix =
            g_strdup_printf(_("failed to destroy hub '%s'"), name);

        return vmctl_error_gerror(err, prefix);
    }
    printf(_("Hub '%s' destroyed\n"), name);
    return VMCTL_EXIT_OK;
}

/* ---- hub-show ------------------------------------------------------------ */

static int cmd_hub_show(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(Hub) h = hub_lookup(ctx, vmctl_args_get(args, "hub"));
    g_autoptr(GHashTable) vms =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    const char *charset;
    bool utf8 = g_get_charset(&charset);
    const char *branch = utf8 ? "\u251c\u2500 " : "|- ";
    const char *last = utf8 ? "\u2514\u2500 " : "`- ";
    const char *cont = utf8 ? "\u2502  " : "|  ";

    if (!h) {
        return VMCTL_EXIT_FAIL;
    }
    if (vmctl_args_has(args, "json")) {
        g_autoptr(VmctlJson) j = vmctl_json_new();

        json_hub(ctx, j, h, vms);
        vmctl_json_print(j, stdout);
        return VMCTL_EXIT_OK;
    }
    printf(_("hub '%s' (%s)\n"), h->name, h->scope);
    for (guint i = 0; i < h->ports->len; i++) {
        const HubPort *p = &g_array_index(h->ports, HubPort, i);
        bool is_last = i + 1 == h->ports->len;

        printf("%s%s: %s [%s]", is_last ? last : branch, p->name, p->peer,
               p->kind);
        if (p->vm[0]) {
            printf(_(" domain '%s'"), vm_name(ctx, vms, p->vm));
        }
        /* Counter names as domifstat prints them (not translated). */
        printf("\n%s   rx_packets=%" G_GUINT64_FORMAT
               " rx_bytes=%" G_GUINT64_FORMAT " tx_packets=%" G_GUINT64_FORMAT
               " tx_bytes=%" G_GUINT64_FORMAT "\n",
               is_last ? "   " : cont, p->rx_packets, p->rx_bytes,
               p->tx_packets, p->tx_bytes);
    }
    if (h->ports->len == 0) {
        printf("%s%s\n", last, _("(no ports)"));
    }
    return VMCTL_EXIT_OK;
}

/* ---- table --------------------------------------------------------------- */

static const VmctlOptDef opts_hub_list[] = {
    {"name", VMCTL_OPT_BOOL, NULL, N_("print hub names only")},
    {"json", VMCTL_OPT_BOOL, NULL, N_("print JSON")},
    {NULL},
};
static const VmctlOptDef opts_hub[] = {
    {"hub", VMCTL_OPT_ARG, N_("HUB"), N_("hub name")},
    {NULL},
};
static const VmctlOptDef opts_hub_show[] = {
    {"hub", VMCTL_OPT_ARG, N_("HUB"), N_("hub name")},
    {"json", VMCTL_OPT_BOOL, NULL, N_("print JSON")},
    {NULL},
};

const VmctlCmdDef vmctl_hub_cmds[] = {
    {"hub-list", N_("list the hubs that join domains"), NULL, opts_hub_list,
     cmd_hub_list},
    {"hub-create", N_("create a hub"),
     N_("Creates a daemon-wide hub; interfaces of type 'hub' (source "
        "hub='NAME') or 'network' (source network='NAME') join it when "
        "their domain starts."),
     opts_hub, cmd_hub_create},
    {"hub-destroy", N_("destroy a hub without ports"), NULL, opts_hub,
     cmd_hub_destroy},
    {"hub-show", N_("show a hub and its ports as a tree"), NULL, opts_hub_show,
     cmd_hub_show},
    {NULL},
};
