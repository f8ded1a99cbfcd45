/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/dbus-domain.c: handlers of org.vmkit.Vmd1.Domain objects. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "daemon/dbus.h"
#include "daemon/error.h"

/* ---- lifecycle: waiting for the engine integration ---------------------- */

static gboolean vmd_domain_require_active(VmdDomainObj *obj,
                                          GDBusMethodInvocation *inv)
{
    if (!obj->active) {
        g_dbus_method_invocation_return_error(
            inv, VMD_ERROR, VMD_ERROR_INVALID_STATE,
            _("domain '%s' is not running"), obj->def->name);
        return FALSE;
    }
    return TRUE;
}

static void vmd_domain_not_yet(GDBusMethodInvocation *inv)
{
    g_dbus_method_invocation_return_error_literal(
        inv, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
        _("starting domains is not implemented yet"));
}

static void vmd_domain_create(VmdDbus *dbus, VmdDomainObj *obj,
                              GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;

    g_variant_get(params, "(u)", &flags);
    /* VIR_DOMAIN_START_PAUSED = 1, AUTODESTROY = 2 */
    if (!vmd_dbus_check_flags(inv, flags, 0x3)) {
        return;
    }
    if (obj->active) {
        g_dbus_method_invocation_return_error(
            inv, VMD_ERROR, VMD_ERROR_INVALID_STATE,
            _("domain '%s' is already running"), obj->def->name);
        return;
    }
    vmd_domain_not_yet(inv);
}

/*
 * Shutdown, Destroy, Reboot, Reset, Suspend, Resume, OpenConsole,
 * InterfaceStats, SetLink, Hostfwd*: all act on a running engine; no
 * domain can run yet, so they answer as they will for an inactive one.
 */
static void vmd_domain_running_only(VmdDbus *dbus, VmdDomainObj *obj,
                                    GVariant *params,
                                    GDBusMethodInvocation *inv)
{
    if (vmd_domain_require_active(obj, inv)) {
        vmd_domain_not_yet(inv);
    }
}

static void vmd_domain_device_modify(VmdDbus *dbus, VmdDomainObj *obj,
                                     GVariant *params,
                                     GDBusMethodInvocation *inv)
{
    g_dbus_method_invocation_return_error_literal(
        inv, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
        _("attaching and detaching devices is not implemented yet"));
}

/* ---- definition --------------------------------------------------------- */

static void vmd_domain_undefine(VmdDbus *dbus, VmdDomainObj *obj,
                                GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;
    GError *error = NULL;

    g_variant_get(params, "(u)", &flags);
    /* virDomainUndefineFlagsValues: all no-ops here (nothing to remove) */
    if (!vmd_dbus_check_flags(inv, flags, 0x7f)) {
        return;
    }
    if (!vmd_daemon_undefine(vmd_dbus_get_daemon(dbus), obj, &error)) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value(inv, NULL);
}

static void vmd_domain_get_xml_desc(VmdDbus *dbus, VmdDomainObj *obj,
                                    GVariant *params,
                                    GDBusMethodInvocation *inv)
{
    guint32 flags;
    g_autofree char *xml = NULL;

    g_variant_get(params, "(u)", &flags);
    /* VIR_DOMAIN_XML_SECURE = 1, INACTIVE = 2: same output for now */
    if (!vmd_dbus_check_flags(inv, flags, 0x3)) {
        return;
    }
    xml = vmd_domain_def_format(obj->def);
    g_dbus_method_invocation_return_value(inv, g_variant_new("(s)", xml));
}

static void vmd_domain_get_state(VmdDbus *dbus, VmdDomainObj *obj,
                                 GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;

    g_variant_get(params, "(u)", &flags);
    if (!vmd_dbus_check_flags(inv, flags, 0)) {
        return;
    }
    g_dbus_method_invocation_return_value(
        inv, g_variant_new("(ii)", (gint32)obj->state, (gint32)obj->reason));
}

const VmdDbusMethod vmd_dbus_domain_methods[] = {
    {"Create", vmd_domain_create, TRUE},
    {"Shutdown", vmd_domain_running_only, TRUE},
    {"Destroy", vmd_domain_running_only, TRUE},
    {"Reboot", vmd_domain_running_only, TRUE},
    {"Reset", vmd_domain_running_only, TRUE},
    {"Suspend", vmd_domain_running_only, TRUE},
    {"Resume", vmd_domain_running_only, TRUE},
    {"Undefine", vmd_domain_undefine, TRUE},
    {"GetXMLDesc", vmd_domain_get_xml_desc, FALSE},
    {"GetState", vmd_domain_get_state, FALSE},
    {"OpenConsole", vmd_domain_running_only, TRUE},
    {"InterfaceStats", vmd_domain_running_only, FALSE},
    {"AttachDevice", vmd_domain_device_modify, TRUE},
    {"DetachDevice", vmd_domain_device_modify, TRUE},
    {"SetLink", vmd_domain_running_only, TRUE},
    {"HostfwdAdd", vmd_domain_running_only, TRUE},
    {"HostfwdRemove", vmd_domain_running_only, TRUE},
    {NULL, NULL, FALSE},
};

/* ---- properties --------------------------------------------------------- */

static GVariant *vmd_domain_prop_name(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_string(obj->def->name);
}

static GVariant *vmd_domain_prop_uuid(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_string(obj->def->uuid);
}

static GVariant *vmd_domain_prop_id(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_int32(obj->active ? obj->id : -1);
}

static GVariant *vmd_domain_prop_active(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_boolean(obj->active);
}

static GVariant *vmd_domain_prop_persistent(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_boolean(obj->persistent);
}

static GVariant *vmd_domain_prop_autostart(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_boolean(obj->autostart);
}

static GVariant *vmd_domain_prop_state(VmdDbus *dbus, VmdDomainObj *obj)
{
    return g_variant_new_int32((gint32)obj->state);
}

const VmdDbusProperty vmd_dbus_domain_properties[] = {
    {"Name", vmd_domain_prop_name},
    {"UUID", vmd_domain_prop_uuid},
    {"Id", vmd_domain_prop_id},
    {"Active", vmd_domain_prop_active},
    {"Persistent", vmd_domain_prop_persistent},
    {"Autostart", vmd_domain_prop_autostart},
    {"State", vmd_domain_prop_state},
    {NULL, NULL},
};

gboolean vmd_dbus_domain_set_property(VmdDbus *dbus, VmdDomainObj *obj,
                                      const char *name, GVariant *value,
                                      GError **error)
{
    g_autoptr(GError) err = NULL;

    if (strcmp(name, "Autostart") != 0 ||
        !g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("property %s is not writable"), name);
        return FALSE;
    }
    if (!vmd_daemon_set_autostart(vmd_dbus_get_daemon(dbus), obj,
                                  g_variant_get_boolean(value), &err)) {
        vmd_error_propagate_as(error, g_steal_pointer(&err), VMD_ERROR_FAILED);
        return FALSE;
    }
    return TRUE;
}
