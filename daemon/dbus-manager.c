/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/dbus-manager.c: handlers of org.vmkit.Vmd1.Manager (/org/vmkit/Vmd1).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "daemon/dbus.h"
#include "daemon/error.h"
#include "daemon/lifecycle.h"
#include "daemon/netdev.h"

static void vmd_manager_define_xml(VmdDbus *dbus, VmdDomainObj *unused,
                                   GVariant *params, GDBusMethodInvocation *inv)
{
    const char *xml;
    GError *error = NULL;
    VmdDomainObj *obj;

    g_variant_get(params, "(&s)", &xml);
    obj = vmd_daemon_define_xml(vmd_dbus_get_daemon(dbus), xml, &error);
    if (obj == NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value(inv, g_variant_new("(o)", obj->path));
}

static void vmd_manager_created(GVariant *result, GError *error, gpointer data)
{
    GDBusMethodInvocation *inv = data;

    if (error != NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value(inv, result);
}

static void vmd_manager_create_xml(VmdDbus *dbus, VmdDomainObj *unused,
                                   GVariant *params, GDBusMethodInvocation *inv)
{
    const char *xml;
    guint32 flags;
    VmdLifecycle *lc = vmd_daemon_get_lifecycle(vmd_dbus_get_daemon(dbus));

    g_variant_get(params, "(&su)", &xml, &flags);
    /* VIR_DOMAIN_START_PAUSED = 1, AUTODESTROY = 2 (accepted, see Create) */
    if (!vmd_dbus_check_flags(inv, flags, 0x3)) {
        return;
    }
    if (lc == NULL) {
        g_dbus_method_invocation_return_error_literal(
            inv, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
            _("this vmd does not run domains"));
        return;
    }
    vmd_lifecycle_create_xml(lc, xml, flags & 1, vmd_manager_created, inv);
}

static void vmd_manager_lookup_by_name(VmdDbus *dbus, VmdDomainObj *unused,
                                       GVariant *params,
                                       GDBusMethodInvocation *inv)
{
    const char *name;
    VmdDomainObj *obj;

    g_variant_get(params, "(&s)", &name);
    obj = vmd_daemon_lookup_by_name(vmd_dbus_get_daemon(dbus), name);
    if (obj == NULL) {
        g_dbus_method_invocation_return_error(
            inv, VMD_ERROR, VMD_ERROR_NO_DOMAIN,
            _("no domain with matching name '%s'"), name);
        return;
    }
    g_dbus_method_invocation_return_value(inv, g_variant_new("(o)", obj->path));
}

static void vmd_manager_lookup_by_uuid(VmdDbus *dbus, VmdDomainObj *unused,
                                       GVariant *params,
                                       GDBusMethodInvocation *inv)
{
    const char *uuid;
    char canonical[37];
    VmdDomainObj *obj;

    g_variant_get(params, "(&s)", &uuid);
    if (!vmd_domain_uuid_normalize(uuid, canonical)) {
        g_dbus_method_invocation_return_error(inv, VMD_ERROR,
                                              VMD_ERROR_INVALID_ARGUMENT,
                                              _("'%s' is not a UUID"), uuid);
        return;
    }
    obj = vmd_daemon_lookup_by_uuid(vmd_dbus_get_daemon(dbus), canonical);
    if (obj == NULL) {
        g_dbus_method_invocation_return_error(
            inv, VMD_ERROR, VMD_ERROR_NO_DOMAIN,
            _("no domain with matching UUID '%s'"), canonical);
        return;
    }
    g_dbus_method_invocation_return_value(inv, g_variant_new("(o)", obj->path));
}

static void vmd_manager_list_domains(VmdDbus *dbus, VmdDomainObj *unused,
                                     GVariant *params,
                                     GDBusMethodInvocation *inv)
{
    guint32 flags;
    GError *error = NULL;
    g_autoptr(GPtrArray) list = NULL;
    GVariantBuilder paths;

    g_variant_get(params, "(u)", &flags);
    list = vmd_daemon_list(vmd_dbus_get_daemon(dbus), flags, &error);
    if (list == NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_variant_builder_init(&paths, G_VARIANT_TYPE("ao"));
    for (guint i = 0; i < list->len; i++) {
        VmdDomainObj *obj = g_ptr_array_index(list, i);

        g_variant_builder_add(&paths, "o", obj->path);
    }
    g_dbus_method_invocation_return_value(inv, g_variant_new("(ao)", &paths));
}

/* The daemon hubs (daemon/hub.c), owned by the running side. */
static VmdHubs *vmd_manager_hubs(VmdDbus *dbus, GDBusMethodInvocation *inv)
{
    VmdLifecycle *lc = vmd_daemon_get_lifecycle(vmd_dbus_get_daemon(dbus));
    VmdHubs *hubs = lc != NULL ? vmd_lifecycle_get_hubs(lc) : NULL;

    if (hubs == NULL) {
        g_dbus_method_invocation_return_error_literal(
            inv, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
            _("this vmd does not run domains"));
    }
    return hubs;
}

static void vmd_manager_list_hubs(VmdDbus *dbus, VmdDomainObj *unused,
                                  GVariant *params, GDBusMethodInvocation *inv)
{
    VmdHubs *hubs = vmd_manager_hubs(dbus, inv);
    g_autoptr(GPtrArray) list = NULL;
    GVariantBuilder paths;

    if (hubs == NULL) {
        return;
    }
    /* the daemon-wide hubs (Scope "daemon"), sorted by name */
    list = vmd_hubs_list(hubs);
    g_variant_builder_init(&paths, G_VARIANT_TYPE("ao"));
    for (guint i = 0; i < list->len; i++) {
        g_variant_builder_add(&paths, "o",
                              vmd_hub_get_path(g_ptr_array_index(list, i)));
    }
    g_dbus_method_invocation_return_value(inv, g_variant_new("(ao)", &paths));
}

static void vmd_manager_hub_create(VmdDbus *dbus, VmdDomainObj *unused,
                                   GVariant *params, GDBusMethodInvocation *inv)
{
    VmdHubs *hubs = vmd_manager_hubs(dbus, inv);
    const char *name;
    GError *error = NULL;
    VmdHub *hub;

    if (hubs == NULL) {
        return;
    }
    g_variant_get(params, "(&s)", &name);
    hub = vmd_hubs_create(hubs, name, &error);
    if (hub == NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value(
        inv, g_variant_new("(o)", vmd_hub_get_path(hub)));
}

static void vmd_manager_hub_destroy(VmdDbus *dbus, VmdDomainObj *unused,
                                    GVariant *params,
                                    GDBusMethodInvocation *inv)
{
    VmdHubs *hubs = vmd_manager_hubs(dbus, inv);
    const char *name;
    GError *error = NULL;

    if (hubs == NULL) {
        return;
    }
    g_variant_get(params, "(&s)", &name);
    if (!vmd_hubs_destroy(hubs, name, &error)) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value(inv, NULL);
}

static void vmd_manager_hub_lookup(VmdDbus *dbus, VmdDomainObj *unused,
                                   GVariant *params, GDBusMethodInvocation *inv)
{
    VmdHubs *hubs = vmd_manager_hubs(dbus, inv);
    const char *name;
    VmdHub *hub;

    if (hubs == NULL) {
        return;
    }
    g_variant_get(params, "(&s)", &name);
    hub = vmd_hubs_lookup(hubs, name);
    if (hub == NULL) {
        g_dbus_method_invocation_return_error(inv, VMD_ERROR, VMD_ERROR_NO_HUB,
                                              _("no hub named '%s'"), name);
        return;
    }
    g_dbus_method_invocation_return_value(
        inv, g_variant_new("(o)", vmd_hub_get_path(hub)));
}

const VmdDbusMethod vmd_dbus_manager_methods[] = {
    {"DomainDefineXML", vmd_manager_define_xml, TRUE},
    {"DomainCreateXML", vmd_manager_create_xml, TRUE},
    {"DomainLookupByName", vmd_manager_lookup_by_name, FALSE},
    {"DomainLookupByUUID", vmd_manager_lookup_by_uuid, FALSE},
    {"ListDomains", vmd_manager_list_domains, FALSE},
    {"ListHubs", vmd_manager_list_hubs, FALSE},
    {"HubCreate", vmd_manager_hub_create, TRUE},
    {"HubDestroy", vmd_manager_hub_destroy, TRUE},
    {"HubLookupByName", vmd_manager_hub_lookup, FALSE},
    {NULL, NULL, FALSE},
};

static GVariant *vmd_manager_get_version(VmdDbus *dbus, VmdDomainObj *unused)
{
    return g_variant_new_string(PACKAGE_VERSION);
}

const VmdDbusProperty vmd_dbus_manager_properties[] = {
    {"Version", vmd_manager_get_version},
    {NULL, NULL},
};
