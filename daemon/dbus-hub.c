/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/dbus-hub.c: org.vmkit.Vmd1.Hub objects (/org/vmkit/Vmd1/hub/NAME)
 * of the daemon-wide hubs. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "daemon/dbus.h"
#include "daemon/error.h"
#include "daemon/hub.h"

#define VMD_DBUS_HUB_PATH VMD_DBUS_PATH "/hub"

struct _VmdDbusHubs {
    VmdDbus *dbus;
    GDBusConnection *conn;
    GDBusInterfaceInfo *iface;
    VmdHubs *hubs;
    guint subtree_id;
};

static GVariant *vmd_hub_ports_variant(VmdHub *hub)
{
    g_autoptr(GArray) ports = vmd_hub_get_ports(hub);
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE("a(sssstttt)"));
    for (guint i = 0; i < ports->len; i++) {
        const VmdHubPortInfo *p = &g_array_index(ports, VmdHubPortInfo, i);

        g_variant_builder_add(&b, "(sssstttt)", p->name, p->peer, p->kind,
                              p->vm, p->rx_packets, p->rx_bytes, p->tx_packets,
                              p->tx_bytes);
    }
    return g_variant_builder_end(&b);
}

static GVariant *vmd_hub_drops_variant(VmdHub *hub)
{
    g_autoptr(GArray) ports = vmd_hub_get_ports(hub);
    GVariantBuilder b;

    g_variant_builder_init(&b, G_VARIANT_TYPE("a{st}"));
    for (guint i = 0; i < ports->len; i++) {
        const VmdHubPortInfo *p = &g_array_index(ports, VmdHubPortInfo, i);

        g_variant_builder_add(&b, "{st}", p->name, p->drops);
    }
    return g_variant_builder_end(&b);
}

static VmdHub *vmd_dbus_hub_for_path(VmdDbusHubs *dh, const char *path,
                                     GError **error)
{
    VmdHub *hub = vmd_hubs_lookup_by_path(dh->hubs, path);

    if (hub == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_NO_HUB, _("no hub at %s"),
                    path);
    }
    return hub;
}

/* An interface of @obj by alias "netN", MAC or target dev: its alias. */
static char *vmd_dbus_hub_iface_alias(VmdDomainObj *obj, const char *iface)
{
    guint8 mac[6];
    gboolean is_mac = vmd_domain_mac_parse(iface, mac);

    for (guint i = 0; i < obj->def->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(obj->def->nets, i);
        g_autofree char *alias = g_strdup_printf("net%u", i);

        if (strcmp(alias, iface) == 0 ||
            g_strcmp0(net->target_dev, iface) == 0 ||
            (is_mac && memcmp(net->mac, mac, 6) == 0)) {
            return g_steal_pointer(&alias);
        }
    }
    return NULL;
}

/*
 * AttachPort: (re)connects a running domain's interface that joins this
 * hub (it was started with <source network|hub='NAME'/>) and returns its
 * port; a detached one forwards again. Engines cannot take a new socket
 * netdev while running yet, so another interface cannot be moved here.
 */
static gboolean vmd_dbus_hub_attach(VmdDbusHubs *dh, VmdHub *hub,
                                    GVariant *params, char **port_out,
                                    GError **error)
{
    const char *path, *iface;
    VmdDomainObj *obj;
    g_autofree char *alias = NULL;
    const char *port;

    g_variant_get(params, "(&o&s)", &path, &iface);
    obj = vmd_daemon_lookup_by_path(vmd_dbus_get_daemon(dh->dbus), path);
    if (obj == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_NO_DOMAIN, _("no domain at %s"),
                    path);
        return FALSE;
    }
    alias = vmd_dbus_hub_iface_alias(obj, iface);
    if (alias == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("domain '%s' has no interface '%s'"), obj->def->name,
                    iface);
        return FALSE;
    }
    if (!obj->active) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                    _("domain '%s' is not running"), obj->def->name);
        return FALSE;
    }
    port = vmd_hub_find_port(hub, obj->def->uuid, alias);
    if (port == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("interface '%s' of domain '%s' was not started on "
                      "hub '%s'"),
                    iface, obj->def->name, vmd_hub_get_name(hub));
        return FALSE;
    }
    *port_out = g_strdup(port);
    return vmd_hub_set_port_attached(hub, port, TRUE, error);
}

static void vmd_dbus_hub_method_call(GDBusConnection *conn, const char *sender,
                                     const char *path, const char *iface,
                                     const char *method, GVariant *params,
                                     GDBusMethodInvocation *inv,
                                     gpointer user_data)
{
    VmdDbusHubs *dh = user_data;
    GError *error = NULL;
    VmdHub *hub = vmd_dbus_hub_for_path(dh, path, &error);

    if (hub == NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    if (strcmp(method, "AttachPort") != 0 &&
        strcmp(method, "DetachPort") != 0) {
        g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR,
                                              G_DBUS_ERROR_UNKNOWN_METHOD,
                                              _("unknown method %s"), method);
        return;
    }
    if (!vmd_dbus_check_write(dh->dbus, sender, &error)) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    if (strcmp(method, "AttachPort") == 0) {
        g_autofree char *port = NULL;

        if (!vmd_dbus_hub_attach(dh, hub, params, &port, &error)) {
            vmd_dbus_return_error(inv, error);
            return;
        }
        g_dbus_method_invocation_return_value(inv, g_variant_new("(s)", port));
    } else {
        const char *port;

        g_variant_get(params, "(&s)", &port);
        if (!vmd_hub_set_port_attached(hub, port, FALSE, &error)) {
            vmd_dbus_return_error(inv, error);
            return;
        }
        g_dbus_method_invocation_return_value(inv, NULL);
    }
}

static GVariant *vmd_dbus_hub_get(VmdHub *hub, const char *name, GError **error)
{
    if (strcmp(name, "Name") == 0) {
        return g_variant_new_string(vmd_hub_get_name(hub));
    }
    if (strcmp(name, "Scope") == 0) {
        return g_variant_new_string("daemon");
    }
    if (strcmp(name, "Ports") == 0) {
        return vmd_hub_ports_variant(hub);
    }
    if (strcmp(name, "PortDrops") == 0) {
        return vmd_hub_drops_variant(hub);
    }
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                _("unknown property %s"), name);
    return NULL;
}

static GVariant *vmd_dbus_hub_get_property(GDBusConnection *conn,
                                           const char *sender, const char *path,
                                           const char *iface, const char *name,
                                           GError **error, gpointer user_data)
{
    VmdHub *hub = vmd_dbus_hub_for_path(user_data, path, error);

    return hub != NULL ? vmd_dbus_hub_get(hub, name, error) : NULL;
}

static const GDBusInterfaceVTable vmd_dbus_hub_vtable = {
    .method_call = vmd_dbus_hub_method_call,
    .get_property = vmd_dbus_hub_get_property,
};

static char **vmd_dbus_hub_enumerate(GDBusConnection *conn, const char *sender,
                                     const char *path, gpointer user_data)
{
    VmdDbusHubs *dh = user_data;
    g_autoptr(GPtrArray) list = vmd_hubs_list(dh->hubs);
    GPtrArray *nodes = g_ptr_array_new();

    for (guint i = 0; i < list->len; i++) {
        VmdHub *hub = g_ptr_array_index(list, i);

        g_ptr_array_add(nodes, g_strdup(vmd_hub_get_path(hub) +
                                        strlen(VMD_DBUS_HUB_PATH "/")));
    }
    g_ptr_array_add(nodes, NULL);
    return (char **)g_ptr_array_free(nodes, FALSE);
}

static GDBusInterfaceInfo **
vmd_dbus_hub_introspect(GDBusConnection *conn, const char *sender,
                        const char *path, const char *node, gpointer user_data)
{
    VmdDbusHubs *dh = user_data;
    g_autofree char *full = NULL;
    GDBusInterfaceInfo **ifaces;

    if (node == NULL) {
        return NULL;
    }
    full = g_strdup_printf(VMD_DBUS_HUB_PATH "/%s", node);
    if (vmd_hubs_lookup_by_path(dh->hubs, full) == NULL) {
        return NULL;
    }
    ifaces = g_new0(GDBusInterfaceInfo *, 2);
    ifaces[0] = g_dbus_interface_info_ref(dh->iface);
    return ifaces;
}

static const GDBusInterfaceVTable *
vmd_dbus_hub_dispatch(GDBusConnection *conn, const char *sender,
                      const char *path, const char *iface, const char *node,
                      gpointer *out_user_data, gpointer user_data)
{
    if (node == NULL || g_strcmp0(iface, VMD_DBUS_HUB_IFACE) != 0) {
        return NULL;
    }
    *out_user_data = user_data;
    return &vmd_dbus_hub_vtable;
}

static const GDBusSubtreeVTable vmd_dbus_hub_subtree_vtable = {
    .enumerate = vmd_dbus_hub_enumerate,
    .introspect = vmd_dbus_hub_introspect,
    .dispatch = vmd_dbus_hub_dispatch,
};

/* Ports came or went (or were detached): PropertiesChanged. */
static void vmd_dbus_hub_changed(VmdHubs *hubs, VmdHub *hub, const char *what,
                                 gpointer user_data)
{
    VmdDbusHubs *dh = user_data;
    GVariantBuilder changed;
    g_autoptr(GError) error = NULL;

    if (strcmp(what, "ports") != 0) {
        return;
    }
    g_variant_builder_init(&changed, G_VARIANT_TYPE("a{sv}"));
    g_variant_builder_add(&changed, "{sv}", "Ports",
                          vmd_hub_ports_variant(hub));
    g_variant_builder_add(&changed, "{sv}", "PortDrops",
                          vmd_hub_drops_variant(hub));
    if (!g_dbus_connection_emit_signal(
            dh->conn, NULL, vmd_hub_get_path(hub),
            "org.freedesktop.DBus.Properties", "PropertiesChanged",
            g_variant_new("(sa{sv}as)", VMD_DBUS_HUB_IFACE, &changed, NULL),
            &error)) {
        g_warning(_("cannot emit PropertiesChanged: %s"), error->message);
    }
}

VmdDbusHubs *vmd_dbus_hubs_new(VmdDbus *dbus, GDBusConnection *conn,
                               GDBusInterfaceInfo *iface, VmdHubs *hubs,
                               GError **error)
{
    VmdDbusHubs *dh = g_new0(VmdDbusHubs, 1);

    dh->dbus = dbus;
    dh->conn = g_object_ref(conn);
    dh->iface = g_dbus_interface_info_ref(iface);
    dh->hubs = vmd_hubs_ref(hubs);
    dh->subtree_id = g_dbus_connection_register_subtree(
        conn, VMD_DBUS_HUB_PATH, &vmd_dbus_hub_subtree_vtable,
        G_DBUS_SUBTREE_FLAGS_NONE, dh, NULL, error);
    if (dh->subtree_id == 0) {
        vmd_dbus_hubs_free(dh);
        return NULL;
    }
    vmd_hubs_set_listener(hubs, vmd_dbus_hub_changed, dh);
    return dh;
}

void vmd_dbus_hubs_free(VmdDbusHubs *dh)
{
    if (dh == NULL) {
        return;
    }
    if (dh->subtree_id != 0) {
        vmd_hubs_set_listener(dh->hubs, NULL, NULL);
        g_dbus_connection_unregister_subtree(dh->conn, dh->subtree_id);
    }
    vmd_hubs_unref(dh->hubs);
    g_dbus_interface_info_unref(dh->iface);
    g_object_unref(dh->conn);
    g_free(dh);
}
