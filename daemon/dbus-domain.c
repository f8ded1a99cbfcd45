/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/dbus-domain.c: handlers of org.vmkit.Vmd1.Domain objects. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gi18n-lib.h>

#include "daemon/dbus.h"
#include "daemon/error.h"
#include "daemon/lifecycle.h"

/* ---- lifecycle: daemon/lifecycle.c does the work, asynchronously -------- */

static VmdLifecycle *vmd_domain_lc(VmdDbus *dbus)
{
    return vmd_daemon_get_lifecycle(vmd_dbus_get_daemon(dbus));
}

/* Completes the invocation given as @data (VmdLifecycleReply). */
static void vmd_domain_reply(GVariant *result, GError *error, gpointer data)
{
    GDBusMethodInvocation *inv = data;

    if (error != NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value(inv, result);
}

static gboolean vmd_domain_have_lc(VmdDbus *dbus, GDBusMethodInvocation *inv)
{
    if (vmd_domain_lc(dbus) == NULL) {
        g_dbus_method_invocation_return_error_literal(
            inv, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
            _("this vmd does not run domains"));
        return FALSE;
    }
    return TRUE;
}

static void vmd_domain_create(VmdDbus *dbus, VmdDomainObj *obj,
                              GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;

    g_variant_get(params, "(u)", &flags);
    /* VIR_DOMAIN_START_PAUSED = 1 (AUTODESTROY = 2: accepted, not honoured:
     * a D-Bus client has no connection lifetime to tie the domain to) */
    if (!vmd_dbus_check_flags(inv, flags, 0x3) ||
        !vmd_domain_have_lc(dbus, inv)) {
        return;
    }
    vmd_lifecycle_start(vmd_domain_lc(dbus), obj, flags & 1, vmd_domain_reply,
                        inv);
}

static void vmd_domain_shutdown(VmdDbus *dbus, VmdDomainObj *obj,
                                GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;

    g_variant_get(params, "(u)", &flags);
    /* DEFAULT = 0, ACPI_POWER_BTN = 1: both the board's power-off */
    if (!vmd_dbus_check_flags(inv, flags, 0x1) ||
        !vmd_domain_have_lc(dbus, inv)) {
        return;
    }
    vmd_lifecycle_shutdown(vmd_domain_lc(dbus), obj, flags, vmd_domain_reply,
                           inv);
}

static void vmd_domain_destroy(VmdDbus *dbus, VmdDomainObj *obj,
                               GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;

    g_variant_get(params, "(u)", &flags);
    /* VIR_DOMAIN_DESTROY_GRACEFUL = 1 */
    if (!vmd_dbus_check_flags(inv, flags, 0x1) ||
        !vmd_domain_have_lc(dbus, inv)) {
        return;
    }
    vmd_lifecycle_destroy(vmd_domain_lc(dbus), obj, flags, vmd_domain_reply,
                          inv);
}

/* Reboot and Reset: the virt board cannot ask its guest to reboot (no
 * ACPI, no agent), so both reset the machine. */
static void vmd_domain_reset(VmdDbus *dbus, VmdDomainObj *obj,
                             GVariant *params, GDBusMethodInvocation *inv)
{
    guint32 flags;

    g_variant_get(params, "(u)", &flags);
    if (!vmd_dbus_check_flags(inv, flags, 0) ||
        !vmd_domain_have_lc(dbus, inv)) {
        return;
    }
    vmd_lifecycle_reset(vmd_domain_lc(dbus), obj, vmd_domain_reply, inv);
}

static void vmd_domain_suspend(VmdDbus *dbus, VmdDomainObj *obj,
                               GVariant *params, GDBusMethodInvocation *inv)
{
    if (vmd_domain_have_lc(dbus, inv)) {
        vmd_lifecycle_suspend(vmd_domain_lc(dbus), obj, vmd_domain_reply, inv);
    }
}

static void vmd_domain_resume(VmdDbus *dbus, VmdDomainObj *obj,
                              GVariant *params, GDBusMethodInvocation *inv)
{
    if (vmd_domain_have_lc(dbus, inv)) {
        vmd_lifecycle_resume(vmd_domain_lc(dbus), obj, vmd_domain_reply, inv);
    }
}

static void vmd_domain_open_console(VmdDbus *dbus, VmdDomainObj *obj,
                                    GVariant *params,
                                    GDBusMethodInvocation *inv)
{
    const char *dev;
    guint32 flags;
    GError *error = NULL;
    g_autoptr(GUnixFDList) fds = NULL;
    int fd, handle;

    g_variant_get(params, "(&su)", &dev, &flags);
    /* VIR_DOMAIN_CONSOLE_FORCE = 1, SAFE = 2: nothing to steal or lock,
     * each caller gets its own descriptor of the pty */
    if (!vmd_dbus_check_flags(inv, flags, 0x3) ||
        !vmd_domain_have_lc(dbus, inv)) {
        return;
    }
    fd = vmd_lifecycle_open_console(vmd_domain_lc(dbus), obj, dev, flags,
                                    &error);
    if (fd < 0) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    fds = g_unix_fd_list_new();
    handle = g_unix_fd_list_append(fds, fd, &error);
    close(fd);
    if (handle < 0) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    g_dbus_method_invocation_return_value_with_unix_fd_list(
        inv, g_variant_new("(h)", handle), fds);
}

static void vmd_domain_interface_stats(VmdDbus *dbus, VmdDomainObj *obj,
                                       GVariant *params,
                                       GDBusMethodInvocation *inv)
{
    const char *iface;

    g_variant_get(params, "(&s)", &iface);
    if (vmd_domain_have_lc(dbus, inv)) {
        vmd_lifecycle_interface_stats(vmd_domain_lc(dbus), obj, iface,
                                      vmd_domain_reply, inv);
    }
}

static void vmd_domain_set_link(VmdDbus *dbus, VmdDomainObj *obj,
                                GVariant *params, GDBusMethodInvocation *inv)
{
    const char *iface;
    gboolean up;

    g_variant_get(params, "(&sb)", &iface, &up);
    if (vmd_domain_have_lc(dbus, inv)) {
        vmd_lifecycle_set_link(vmd_domain_lc(dbus), obj, iface, up,
                               vmd_domain_reply, inv);
    }
}

static void vmd_domain_hostfwd(VmdDbus *dbus, VmdDomainObj *obj,
                               GVariant *params, GDBusMethodInvocation *inv)
{
    const char *iface, *rule;
    gboolean add = strcmp(g_dbus_method_invocation_get_method_name(inv),
                          "HostfwdAdd") == 0;

    g_variant_get(params, "(&s&s)", &iface, &rule);
    if (vmd_domain_have_lc(dbus, inv)) {
        vmd_lifecycle_hostfwd(vmd_domain_lc(dbus), obj, iface, rule, add,
                              vmd_domain_reply, inv);
    }
}

/* virDomainDeviceModifyFlags (CURRENT = 0) */
#define VMD_AFFECT_LIVE   1u
#define VMD_AFFECT_CONFIG 2u

typedef struct {
    GDBusMethodInvocation *inv;
    VmdDaemon *daemon;
    char *config_xml; /* CONFIG too: the new persistent definition */
} VmdDeviceCall;

/* The live part is done: the persistent part, then the answer. */
static void vmd_domain_device_live_done(GVariant *result, GError *error,
                                        gpointer data)
{
    VmdDeviceCall *dc = data;

    if (error == NULL && dc->config_xml != NULL &&
        vmd_daemon_define_xml(dc->daemon, dc->config_xml, &error) == NULL) {
        g_prefix_error(&error, _("the running domain was changed, its "
                                 "persistent definition not: "));
    }
    if (error != NULL) {
        vmd_dbus_return_error(dc->inv, error);
    } else {
        g_dbus_method_invocation_return_value(dc->inv, NULL);
    }
    g_free(dc->config_xml);
    g_free(dc);
}

/*
 * AttachDevice / DetachDevice of one <interface>, libvirt's flags:
 * CONFIG edits the persistent definition (through
 * vmd_daemon_define_xml(): stored atomically, DEFINED/UPDATED); LIVE (or
 * CURRENT while running) hot-plugs through the engine's PCIe root ports
 * (daemon/hotplug.c). With both, the persistent change is checked first
 * and stored once the live one succeeded; the two get the same MAC.
 */
static void vmd_domain_device_modify(VmdDbus *dbus, VmdDomainObj *obj,
                                     GVariant *params,
                                     GDBusMethodInvocation *inv)
{
    gboolean attach = strcmp(g_dbus_method_invocation_get_method_name(inv),
                             "AttachDevice") == 0;
    gboolean running = obj->active || obj->run != NULL;
    gboolean live, config;
    const char *xml;
    guint32 flags;
    GError *error = NULL;
    g_autoptr(VmdNetDef) net = NULL;
    g_autoptr(VmdDomainDef) def = NULL;
    g_autofree char *new_xml = NULL;
    VmdDeviceCall *dc;

    g_variant_get(params, "(&su)", &xml, &flags);
    if (!vmd_dbus_check_flags(inv, flags,
                              VMD_AFFECT_LIVE | VMD_AFFECT_CONFIG)) {
        return;
    }
    net = vmd_domain_net_def_new_from_xml(xml, -1, &error);
    if (net == NULL) {
        vmd_dbus_return_error(inv, error);
        return;
    }
    live = (flags & VMD_AFFECT_LIVE) != 0 || (flags == 0 && running);
    config = (flags & VMD_AFFECT_CONFIG) != 0 || (flags == 0 && !running);
    if (live && !obj->active) {
        g_dbus_method_invocation_return_error(
            inv, VMD_ERROR, VMD_ERROR_INVALID_STATE,
            running ? _("domain '%s' is being started")
                    : _("domain '%s' is not running (a live change needs a "
                        "running domain; use CONFIG)"),
            obj->def->name);
        return;
    }
    if (live && !vmd_domain_have_lc(dbus, inv)) {
        return;
    }
    if (config && !obj->persistent) {
        g_dbus_method_invocation_return_error_literal(
            inv, VMD_ERROR, VMD_ERROR_INVALID_STATE,
            _("transient domain has no persistent config"));
        return;
    }
    if (config) {
        def = vmd_domain_def_copy(obj->def, &error);
        if (def == NULL) {
            vmd_dbus_return_error(inv, error);
            return;
        }
        if (attach) {
            VmdNetDef *copy = NULL;

            if (live) {
                copy = vmd_domain_net_def_new_from_xml(xml, -1, &error);
                g_assert(copy != NULL); /* parsed once already */
            }
            /* engine ids are the live definition's business */
            g_clear_pointer(&net->alias, g_free);
            if (!vmd_domain_def_add_net(def, g_steal_pointer(&net), NULL,
                                        &error)) {
                vmd_net_def_free(copy);
                vmd_dbus_return_error(inv, error);
                return;
            }
            if (copy != NULL) {
                /* the same MAC in both definitions */
                const VmdNetDef *added =
                    g_ptr_array_index(def->nets, def->nets->len - 1);

                memcpy(copy->mac, added->mac, 6);
                copy->mac_set = TRUE;
            }
            net = copy;
        } else {
            int i = vmd_domain_def_find_net(def, net, &error);

            if (i < 0) {
                vmd_dbus_return_error(inv, error);
                return;
            }
            g_ptr_array_remove_index(def->nets, (guint)i);
        }
        new_xml = vmd_domain_def_format(def);
    }
    if (!live) {
        if (vmd_daemon_define_xml(vmd_dbus_get_daemon(dbus), new_xml,
                                  &error) == NULL) {
            vmd_dbus_return_error(inv, error);
            return;
        }
        g_dbus_method_invocation_return_value(inv, NULL);
        return;
    }
    dc = g_new0(VmdDeviceCall, 1);
    dc->inv = inv;
    dc->daemon = vmd_dbus_get_daemon(dbus);
    dc->config_xml = g_steal_pointer(&new_xml);
    if (attach) {
        vmd_lifecycle_attach_net(vmd_domain_lc(dbus), obj, g_steal_pointer(&net),
                                 vmd_domain_device_live_done, dc);
    } else {
        vmd_lifecycle_detach_net(vmd_domain_lc(dbus), obj, net,
                                 vmd_domain_device_live_done, dc);
    }
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
    /* VIR_DOMAIN_XML_SECURE = 1 (no secrets exist), INACTIVE = 2 */
    if (!vmd_dbus_check_flags(inv, flags, 0x3)) {
        return;
    }
    if (vmd_domain_lc(dbus) != NULL) {
        xml = vmd_lifecycle_format_xml(vmd_domain_lc(dbus), obj,
                                       (flags & 2) != 0);
    } else {
        xml = vmd_domain_def_format(obj->def);
    }
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
    {"Shutdown", vmd_domain_shutdown, TRUE},
    {"Destroy", vmd_domain_destroy, TRUE},
    {"Reboot", vmd_domain_reset, TRUE},
    {"Reset", vmd_domain_reset, TRUE},
    {"Suspend", vmd_domain_suspend, TRUE},
    {"Resume", vmd_domain_resume, TRUE},
    {"Undefine", vmd_domain_undefine, TRUE},
    {"GetXMLDesc", vmd_domain_get_xml_desc, FALSE},
    {"GetState", vmd_domain_get_state, FALSE},
    {"OpenConsole", vmd_domain_open_console, TRUE},
    {"InterfaceStats", vmd_domain_interface_stats, FALSE},
    {"AttachDevice", vmd_domain_device_modify, TRUE},
    {"DetachDevice", vmd_domain_device_modify, TRUE},
    {"SetLink", vmd_domain_set_link, TRUE},
    {"HostfwdAdd", vmd_domain_hostfwd, TRUE},
    {"HostfwdRemove", vmd_domain_hostfwd, TRUE},
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
