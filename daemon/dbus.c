/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/dbus.c: vmd's D-Bus objects: registration, dispatch tables, errors. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "daemon/dbus.h"
#include "daemon/error.h"
#include "daemon/hub.h"
#include "daemon/netdev.h"

struct _VmdDbus {
    GDBusConnection *conn;
    VmdDaemon *daemon;
    GDBusNodeInfo *node;
    GDBusInterfaceInfo *manager_iface;
    GDBusInterfaceInfo *domain_iface;
    guint manager_id;
    guint subtree_id;
    VmdDbusHubs *hubs; /* /org/vmkit/Vmd1/hub: daemon/dbus-hub.c */
};

VmdDaemon *vmd_dbus_get_daemon(VmdDbus *dbus)
{
    return dbus->daemon;
}

void vmd_dbus_return_error(GDBusMethodInvocation *inv, GError *error)
{
    GError *err = NULL;

    vmd_error_propagate_as(&err, error, VMD_ERROR_FAILED);
    g_dbus_method_invocation_return_gerror(inv, err);
    g_error_free(err);
}

gboolean vmd_dbus_check_flags(GDBusMethodInvocation *inv, guint flags,
                              guint allowed)
{
    if ((flags & ~allowed) != 0) {
        g_dbus_method_invocation_return_error(
            inv, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
            _("unsupported flags 0x%x"), flags & ~allowed);
        return FALSE;
    }
    return TRUE;
}

/*
 * Everyone may call (bus policy), but only root or the daemon's own user
 * may change anything: a definition decides which files the engine opens
 * and which binaries it runs, as root for the system daemon. (libvirt's
 * read-only vs read-write connections, without polkit for now.)
 */
gboolean vmd_dbus_check_write(VmdDbus *dbus, const char *sender,
                              GError **error)
{
    g_autoptr(GVariant) reply = NULL;
    g_autoptr(GError) err = NULL;
    guint32 uid;

    if (!(g_dbus_connection_get_flags(dbus->conn) &
          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION) ||
        sender == NULL) {
        return TRUE; /* peer-to-peer: whoever connected is trusted */
    }
    reply = g_dbus_connection_call_sync(
        dbus->conn, "org.freedesktop.DBus", "/org/freedesktop/DBus",
        "org.freedesktop.DBus", "GetConnectionUnixUser",
        g_variant_new("(s)", sender), G_VARIANT_TYPE("(u)"),
        G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &err);
    if (reply == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_ACCESS_DENIED,
                    _("cannot identify the caller: %s"), err->message);
        return FALSE;
    }
    g_variant_get(reply, "(u)", &uid);
    if (uid != 0 && uid != (guint32)geteuid()) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_ACCESS_DENIED,
                    _("user %u may not change domains"), uid);
        return FALSE;
    }
    return TRUE;
}

static void vmd_dbus_dispatch(VmdDbus *dbus, const VmdDbusMethod *table,
                              VmdDomainObj *obj, const char *sender,
                              const char *method, GVariant *params,
                              GDBusMethodInvocation *inv)
{
    for (const VmdDbusMethod *m = table; m->name != NULL; m++) {
        GError *error = NULL;

        if (strcmp(m->name, method) != 0) {
            continue;
        }
        if (m->write && !vmd_dbus_check_write(dbus, sender, &error)) {
            vmd_dbus_return_error(inv, error);
            return;
        }
        m->func(dbus, obj, params, inv);
        return;
    }
    g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR,
                                          G_DBUS_ERROR_UNKNOWN_METHOD,
                                          _("unknown method %s"), method);
}

static GVariant *vmd_dbus_get(VmdDbus *dbus, const VmdDbusProperty *table,
                              VmdDomainObj *obj, const char *name,
                              GError **error)
{
    for (const VmdDbusProperty *p = table; p->name != NULL; p++) {
        if (strcmp(p->name, name) == 0) {
            return p->get(dbus, obj);
        }
    }
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                _("unknown property %s"), name);
    return NULL;
}

/* ---- the manager object ------------------------------------------------- */

static void vmd_manager_method_call(GDBusConnection *conn, const char *sender,
                                    const char *path, const char *iface,
                                    const char *method, GVariant *params,
                                    GDBusMethodInvocation *inv,
                                    gpointer user_data)
{
    vmd_dbus_dispatch(user_data, vmd_dbus_manager_methods, NULL, sender, method,
                      params, inv);
}

static GVariant *vmd_manager_get_property(GDBusConnection *conn,
                                          const char *sender, const char *path,
                                          const char *iface, const char *name,
                                          GError **error, gpointer user_data)
{
    return vmd_dbus_get(user_data, vmd_dbus_manager_properties, NULL, name,
                        error);
}

static const GDBusInterfaceVTable vmd_manager_vtable = {
    .method_call = vmd_manager_method_call,
    .get_property = vmd_manager_get_property,
};

/* ---- the domain subtree ------------------------------------------------- */

static VmdDomainObj *vmd_dbus_domain_for_path(VmdDbus *dbus, const char *path,
                                              GError **error)
{
    VmdDomainObj *obj = vmd_daemon_lookup_by_path(dbus->daemon, path);

    if (obj == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_NO_DOMAIN, _("no domain at %s"),
                    path);
    }
    return obj;
}

static void vmd_domain_method_call(GDBusConnection *conn, const char *sender,
                                   const char *path, const char *iface,
                                   const char *method, GVariant *params,
                                   GDBusMethodInvocation *inv,
                                   gpointer user_data)
{
    VmdDbus *dbus = user_data;
    GError *error = NULL;
    VmdDomainObj *obj = vmd_dbus_domain_for_path(dbus, path, &error);

    if (obj == NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    vmd_dbus_dispatch(dbus, vmd_dbus_domain_methods, obj, sender, method,
                      params, inv);
}

static GVariant *vmd_domain_get_property(GDBusConnection *conn,
                                         const char *sender, const char *path,
                                         const char *iface, const char *name,
                                         GError **error, gpointer user_data)
{
    VmdDbus *dbus = user_data;
    VmdDomainObj *obj = vmd_dbus_domain_for_path(dbus, path, error);

    return obj != NULL ? vmd_dbus_get(dbus, vmd_dbus_domain_properties, obj,
                                      name, error)
                       : NULL;
}

static gboolean vmd_domain_set_property(GDBusConnection *conn,
                                        const char *sender, const char *path,
                                        const char *iface, const char *name,
                                        GVariant *value, GError **error,
                                        gpointer user_data)
{
    VmdDbus *dbus = user_data;
    VmdDomainObj *obj = vmd_dbus_domain_for_path(dbus, path, error);

    if (obj == NULL || !vmd_dbus_check_write(dbus, sender, error)) {
        return FALSE;
    }
    return vmd_dbus_domain_set_property(dbus, obj, name, value, error);
}

static const GDBusInterfaceVTable vmd_domain_vtable = {
    .method_call = vmd_domain_method_call,
    .get_property = vmd_domain_get_property,
    .set_property = vmd_domain_set_property,
};

static char **vmd_subtree_enumerate(GDBusConnection *conn, const char *sender,
                                    const char *path, gpointer user_data)
{
    VmdDbus *dbus = user_data;
    g_autoptr(GPtrArray) list = vmd_daemon_list(dbus->daemon, 0, NULL);
    GPtrArray *nodes = g_ptr_array_new();

    for (guint i = 0; i < list->len; i++) {
        VmdDomainObj *obj = g_ptr_array_index(list, i);

        g_ptr_array_add(nodes,
                        g_strdup(obj->path + strlen(VMD_DBUS_DOMAIN_PATH "/")));
    }
    g_ptr_array_add(nodes, NULL);
    return (char **)g_ptr_array_free(nodes, FALSE);
}

static GDBusInterfaceInfo **
vmd_subtree_introspect(GDBusConnection *conn, const char *sender,
                       const char *path, const char *node, gpointer user_data)
{
    VmdDbus *dbus = user_data;
    g_autofree char *full = NULL;
    GDBusInterfaceInfo **ifaces;

    if (node == NULL) {
        return NULL;
    }
    /*
     * Not from @path: GLib passes the registration path when introspecting
     * but the full object path when dispatching a call.
     */
    full = g_strdup_printf(VMD_DBUS_DOMAIN_PATH "/%s", node);
    if (vmd_daemon_lookup_by_path(dbus->daemon, full) == NULL) {
        return NULL;
    }
    ifaces = g_new0(GDBusInterfaceInfo *, 2);
    ifaces[0] = g_dbus_interface_info_ref(dbus->domain_iface);
    return ifaces;
}

static const GDBusInterfaceVTable *
vmd_subtree_dispatch(GDBusConnection *conn, const char *sender,
                     const char *path, const char *iface, const char *node,
                     gpointer *out_user_data, gpointer user_data)
{
    if (node == NULL || g_strcmp0(iface, VMD_DBUS_DOMAIN_IFACE) != 0) {
        return NULL;
    }
    *out_user_data = user_data;
    return &vmd_domain_vtable;
}

static const GDBusSubtreeVTable vmd_subtree_vtable = {
    .enumerate = vmd_subtree_enumerate,
    .introspect = vmd_subtree_introspect,
    .dispatch = vmd_subtree_dispatch,
};

/* ---- daemon events -> signals ------------------------------------------ */

static void vmd_dbus_on_event(VmdDaemon *daemon, VmdDomainObj *obj,
                              VmdEventType event, int detail,
                              gpointer user_data)
{
    VmdDbus *dbus = user_data;
    g_autoptr(GError) error = NULL;

    if (!g_dbus_connection_emit_signal(
            dbus->conn, NULL, VMD_DBUS_PATH, VMD_DBUS_MANAGER_IFACE,
            "DomainEvent",
            g_variant_new("(oii)", obj->path, (gint32)event, (gint32)detail),
            &error)) {
        g_warning(_("cannot emit DomainEvent: %s"), error->message);
    }
}

static void vmd_dbus_on_props(VmdDaemon *daemon, VmdDomainObj *obj,
                              const char *const *props, gpointer user_data)
{
    VmdDbus *dbus = user_data;
    GVariantBuilder changed;
    g_autoptr(GError) error = NULL;

    g_variant_builder_init(&changed, G_VARIANT_TYPE("a{sv}"));
    for (gsize i = 0; props[i] != NULL; i++) {
        GVariant *v =
            vmd_dbus_get(dbus, vmd_dbus_domain_properties, obj, props[i], NULL);

        if (v != NULL) {
            g_variant_builder_add(&changed, "{sv}", props[i], v);
        }
    }
    if (!g_dbus_connection_emit_signal(
            dbus->conn, NULL, obj->path, "org.freedesktop.DBus.Properties",
            "PropertiesChanged",
            g_variant_new("(sa{sv}as)", VMD_DBUS_DOMAIN_IFACE, &changed, NULL),
            &error)) {
        g_warning(_("cannot emit PropertiesChanged: %s"), error->message);
    }
}

/* libvirt-dbus's org.libvirt.Domain DeviceAdded / DeviceRemoved */
static void vmd_dbus_on_device(VmdDaemon *daemon, VmdDomainObj *obj,
                               gboolean added, const char *alias,
                               gpointer user_data)
{
    VmdDbus *dbus = user_data;
    g_autoptr(GError) error = NULL;

    if (!g_dbus_connection_emit_signal(
            dbus->conn, NULL, obj->path, VMD_DBUS_DOMAIN_IFACE,
            added ? "DeviceAdded" : "DeviceRemoved",
            g_variant_new("(s)", alias), &error)) {
        g_warning(_("cannot emit %s: %s"),
                  added ? "DeviceAdded" : "DeviceRemoved", error->message);
    }
}

/* ---- lifetime ----------------------------------------------------------- */

VmdDbus *vmd_dbus_new(GDBusConnection *conn, VmdDaemon *daemon, GError **error)
{
    VmdDbus *dbus = g_new0(VmdDbus, 1);

    /* make sure the error names are registered before any reply */
    (void)vmd_error_quark();
    dbus->conn = g_object_ref(conn);
    dbus->daemon = daemon;
    dbus->node = g_dbus_node_info_new_for_xml(vmd_introspection_xml, error);
    if (dbus->node == NULL) {
        vmd_dbus_free(dbus);
        return NULL;
    }
    dbus->manager_iface =
        g_dbus_node_info_lookup_interface(dbus->node, VMD_DBUS_MANAGER_IFACE);
    dbus->domain_iface =
        g_dbus_node_info_lookup_interface(dbus->node, VMD_DBUS_DOMAIN_IFACE);
    g_assert(dbus->manager_iface != NULL && dbus->domain_iface != NULL);

    dbus->manager_id = g_dbus_connection_register_object(
        conn, VMD_DBUS_PATH, dbus->manager_iface, &vmd_manager_vtable, dbus,
        NULL, error);
    if (dbus->manager_id == 0) {
        vmd_dbus_free(dbus);
        return NULL;
    }
    dbus->subtree_id = g_dbus_connection_register_subtree(
        conn, VMD_DBUS_DOMAIN_PATH, &vmd_subtree_vtable,
        G_DBUS_SUBTREE_FLAGS_NONE, dbus, NULL, error);
    if (dbus->subtree_id == 0) {
        vmd_dbus_free(dbus);
        return NULL;
    }
    if (vmd_daemon_get_lifecycle(daemon) != NULL) {
        dbus->hubs = vmd_dbus_hubs_new(
            dbus, conn,
            g_dbus_node_info_lookup_interface(dbus->node, VMD_DBUS_HUB_IFACE),
            vmd_lifecycle_get_hubs(vmd_daemon_get_lifecycle(daemon)), error);
        if (dbus->hubs == NULL) {
            vmd_dbus_free(dbus);
            return NULL;
        }
    }
    vmd_daemon_set_callbacks(daemon, vmd_dbus_on_event, vmd_dbus_on_props,
                             dbus);
    vmd_daemon_set_device_callback(daemon, vmd_dbus_on_device);
    return dbus;
}

void vmd_dbus_free(VmdDbus *dbus)
{
    if (dbus == NULL) {
        return;
    }
    vmd_daemon_set_callbacks(dbus->daemon, NULL, NULL, NULL);
    vmd_daemon_set_device_callback(dbus->daemon, NULL);
    vmd_dbus_hubs_free(dbus->hubs);
    if (dbus->subtree_id != 0) {
        g_dbus_connection_unregister_subtree(dbus->conn, dbus->subtree_id);
    }
    if (dbus->manager_id != 0) {
        g_dbus_connection_unregister_object(dbus->conn, dbus->manager_id);
    }
    g_clear_pointer(&dbus->node, g_dbus_node_info_unref);
    g_clear_object(&dbus->conn);
    g_free(dbus);
}
