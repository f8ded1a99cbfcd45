/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/bus.c: vmctl's D-Bus side: the connection (--connect), method
 * calls to vmd, error messages, domain lookup and properties. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "client/vmctl.h"

/* Messages are printed as one line: newlines of multi-line D-Bus messages
 * become "; " so that scripts can rely on one "error: " line. */
static char *one_line(const char *msg)
{
    g_autofree char *s = g_strstrip(g_strdup(msg));
    g_auto(GStrv) parts = g_strsplit(s, "\n", -1);

    return g_strjoinv("; ", parts);
}

void vmctl_error(const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *line = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    line = one_line(msg);
    fflush(stdout);
    fprintf(stderr, _("error: %s\n"), line);
}

int vmctl_error_gerror(GError *err, const char *prefix)
{
    if (g_dbus_error_is_remote_error(err)) {
        g_dbus_error_strip_remote_error(err);
    }
    if (prefix) {
        /* TRANSLATORS: context of an error, then the error itself */
        vmctl_error(_("%s: %s"), prefix, err->message);
    } else {
        vmctl_error("%s", err->message);
    }
    return VMCTL_EXIT_FAIL;
}

bool vmctl_error_is(const GError *err, const char *name)
{
    g_autofree char *remote = NULL;

    if (!err || !g_dbus_error_is_remote_error(err)) {
        return false;
    }
    remote = g_dbus_error_get_remote_error(err);
    return remote && g_str_has_prefix(remote, VMCTL_ERROR_PREFIX) &&
           strcmp(remote + strlen(VMCTL_ERROR_PREFIX), name) == 0;
}

GDBusConnection *vmctl_bus(VmctlCtx *ctx, GError **error)
{
    const char *c = ctx->connect;

    if (ctx->bus) {
        return ctx->bus;
    }
    if (!c) {
        c = getuid() == 0 ? "system" : "session";
    }
    if (strcmp(c, "system") == 0 || strcmp(c, "vmkit:///system") == 0) {
        ctx->bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, error);
    } else if (strcmp(c, "session") == 0 ||
               strcmp(c, "vmkit:///session") == 0) {
        ctx->bus = g_bus_get_sync(G_BUS_TYPE_SESSION, NULL, error);
    } else if (strchr(c, ':')) {
        ctx->bus = g_dbus_connection_new_for_address_sync(
            c,
            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
            NULL, NULL, error);
    } else {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    _("invalid connection '%s': expected system, session "
                      "or a D-Bus address"),
                    c);
        return NULL;
    }
    if (ctx->bus) {
        /* Never exit() inside GDBus when the bus goes away: the call in
         * progress fails and the command reports it. */
        g_dbus_connection_set_exit_on_close(ctx->bus, FALSE);
    } else if (error && *error) {
        g_prefix_error(error, _("cannot connect to the %s bus: "), c);
    }
    return ctx->bus;
}

static void fix_unreachable(GError **error)
{
    /* vmd absent from the bus: say so rather than quoting dbus-daemon. */
    if (error && *error &&
        (g_error_matches(*error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches(*error, G_DBUS_ERROR,
                         G_DBUS_ERROR_NAME_HAS_NO_OWNER))) {
        g_dbus_error_strip_remote_error(*error);
        g_prefix_error(error, _("vmd is not running on this bus (%s): "),
                       VMCTL_BUS_NAME);
    }
}

GVariant *vmctl_call(VmctlCtx *ctx, const char *path, const char *iface,
                     const char *method, GVariant *params,
                     const GVariantType *reply_type, GError **error)
{
    GDBusConnection *bus = vmctl_bus(ctx, error);
    GVariant *r;

    if (!bus) {
        if (params) {
            g_variant_unref(g_variant_ref_sink(params));
        }
        return NULL;
    }
    r = g_dbus_connection_call_sync(bus, VMCTL_BUS_NAME, path, iface, method,
                                    params, reply_type, G_DBUS_CALL_FLAGS_NONE,
                                    -1, NULL, error);
    if (!r) {
        fix_unreachable(error);
    }
    return r;
}

GVariant *vmctl_call_fd(VmctlCtx *ctx, const char *path, const char *iface,
                        const char *method, GVariant *params,
                        GUnixFDList **out_fds, GError **error)
{
    GDBusConnection *bus = vmctl_bus(ctx, error);
    GVariant *r;

    if (!bus) {
        if (params) {
            g_variant_unref(g_variant_ref_sink(params));
        }
        return NULL;
    }
    r = g_dbus_connection_call_with_unix_fd_list_sync(
        bus, VMCTL_BUS_NAME, path, iface, method, params, NULL,
        G_DBUS_CALL_FLAGS_NONE, -1, NULL, out_fds, NULL, error);
    if (!r) {
        fix_unreachable(error);
    }
    return r;
}

GVariant *vmctl_get_all(VmctlCtx *ctx, const char *path, const char *iface,
                        GError **error)
{
    g_autoptr(GVariant) r = vmctl_call(
        ctx, path, "org.freedesktop.DBus.Properties", "GetAll",
        g_variant_new("(s)", iface), G_VARIANT_TYPE("(a{sv})"), error);

    if (!r) {
        return NULL;
    }
    return g_variant_get_child_value(r, 0);
}

bool vmctl_set_property(VmctlCtx *ctx, const char *path, const char *iface,
                        const char *name, GVariant *value, GError **error)
{
    g_autoptr(GVariant) r =
        vmctl_call(ctx, path, "org.freedesktop.DBus.Properties", "Set",
                   g_variant_new("(ssv)", iface, name, value), NULL, error);

    return r != NULL;
}

void vmctl_domain_free(VmctlDomain *dom)
{
    if (dom) {
        g_free(dom->path);
        g_free(dom->name);
        g_free(dom->uuid);
        g_free(dom);
    }
}

VmctlDomain *vmctl_domain_load(VmctlCtx *ctx, const char *path, GError **error)
{
    g_autoptr(GVariant) props =
        vmctl_get_all(ctx, path, VMCTL_DOMAIN_IFACE, error);
    VmctlDomain *dom;
    gboolean b;

    if (!props) {
        return NULL;
    }
    dom = g_new0(VmctlDomain, 1);
    dom->path = g_strdup(path);
    dom->id = -1;
    dom->state = VMCTL_STATE_NOSTATE;
    if (!g_variant_lookup(props, "Name", "s", &dom->name)) {
        dom->name = g_strdup("");
    }
    if (!g_variant_lookup(props, "UUID", "s", &dom->uuid)) {
        dom->uuid = g_strdup("");
    }
    g_variant_lookup(props, "Id", "i", &dom->id);
    g_variant_lookup(props, "State", "i", &dom->state);
    if (g_variant_lookup(props, "Active", "b", &b)) {
        dom->active = b;
    }
    if (g_variant_lookup(props, "Persistent", "b", &b)) {
        dom->persistent = b;
    }
    if (g_variant_lookup(props, "Autostart", "b", &b)) {
        dom->autostart = b;
    }
    return dom;
}

static char *lookup_path(VmctlCtx *ctx, const char *method, const char *arg,
                         GError **error)
{
    g_autoptr(GVariant) r =
        vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE, method,
                   g_variant_new("(s)", arg), G_VARIANT_TYPE("(o)"), error);
    char *path = NULL;

    if (r) {
        g_variant_get(r, "(o)", &path);
    }
    return path;
}

VmctlDomain *vmctl_domain_lookup(VmctlCtx *ctx, const char *name_or_uuid)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    g_autofree char *prefix = NULL;
    VmctlDomain *dom;

    /* A UUID first (virsh's order is id, UUID, name); a name that looks
     * like a UUID is still found by the fallback. */
    if (g_uuid_string_is_valid(name_or_uuid)) {
        path = lookup_path(ctx, "DomainLookupByUUID", name_or_uuid, &err);
        if (!path && vmctl_error_is(err, "NoDomain")) {
            g_clear_error(&err);
        }
    }
    if (!path && !err) {
        path = lookup_path(ctx, "DomainLookupByName", name_or_uuid, &err);
    }
    if (path) {
        dom = vmctl_domain_load(ctx, path, &err);
        if (dom) {
            return dom;
        }
    }
    prefix = g_strdup_printf(_("failed to get domain '%s'"), name_or_uuid);
    vmctl_error_gerror(err, prefix);
    return NULL;
}

/* True when the domain at path was undefined meanwhile (its object path
 * holds its UUID with '_' for '-'): then a failed GetAll is no error. */
static bool domain_is_gone(VmctlCtx *ctx, const char *path)
{
    const char *base = strrchr(path, '/');
    g_autofree char *uuid = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *found = NULL;

    if (!base || base[1] != '_') {
        return false;
    }
    uuid = g_strdelimit(g_strdup(base + 2), "_", '-');
    found = lookup_path(ctx, "DomainLookupByUUID", uuid, &err);
    return !found && vmctl_error_is(err, "NoDomain");
}

GPtrArray *vmctl_domain_list(VmctlCtx *ctx, guint flags, GError **error)
{
    g_autoptr(GVariant) r =
        vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE, "ListDomains",
                   g_variant_new("(u)", flags), G_VARIANT_TYPE("(ao)"), error);
    g_autoptr(GPtrArray) doms = NULL;
    g_autoptr(GVariantIter) iter = NULL;
    const char *path;

    if (!r) {
        return NULL;
    }
    doms = g_ptr_array_new_with_free_func((GDestroyNotify)vmctl_domain_free);
    g_variant_get(r, "(ao)", &iter);
    while (g_variant_iter_loop(iter, "&o", &path)) {
        g_autoptr(GError) err = NULL;
        VmctlDomain *dom = vmctl_domain_load(ctx, path, &err);

        if (dom) {
            g_ptr_array_add(doms, dom);
        } else if (!domain_is_gone(ctx, path)) {
            g_propagate_error(error, g_steal_pointer(&err));
            return NULL;
        }
    }
    return g_steal_pointer(&doms);
}

char *vmctl_domain_xml(VmctlCtx *ctx, const VmctlDomain *dom, guint flags,
                       GError **error)
{
    g_autoptr(GVariant) r =
        vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, "GetXMLDesc",
                   g_variant_new("(u)", flags), G_VARIANT_TYPE("(s)"), error);
    char *xml = NULL;

    if (r) {
        g_variant_get(r, "(s)", &xml);
    }
    return xml;
}

const char *vmctl_state_name(int state)
{
    /* virsh's virshDomainStateToString() */
    switch (state) {
    case VMCTL_STATE_RUNNING:
        return _("running");
    case VMCTL_STATE_BLOCKED:
        return _("idle");
    case VMCTL_STATE_PAUSED:
        return _("paused");
    case VMCTL_STATE_SHUTDOWN:
        return _("in shutdown");
    case VMCTL_STATE_SHUTOFF:
        return _("shut off");
    case VMCTL_STATE_CRASHED:
        return _("crashed");
    case VMCTL_STATE_PMSUSPENDED:
        return _("pmsuspended");
    case VMCTL_STATE_NOSTATE:
    default:
        return _("no state");
    }
}

const char *vmctl_state_id(int state)
{
    /* libvirt's VIR_DOMAIN_* enum names, for --json (never translated) */
    static const char *const ids[] = {
        "nostate",  "running", "blocked", "paused",
        "shutdown", "shutoff", "crashed", "pmsuspended",
    };

    if (state < 0 || state >= (int)G_N_ELEMENTS(ids)) {
        return "nostate";
    }
    return ids[state];
}
