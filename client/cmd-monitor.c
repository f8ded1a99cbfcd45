/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/cmd-monitor.c: vmctl's domain monitoring commands: list,
 * dominfo and event (Manager.DomainEvent with libvirt's codes). */
#include "config.h"

#include <string.h>
#include <glib-unix.h>

#include "client/vmctl.h"

/* ---- list ---------------------------------------------------------------- */

/* Opens an object with the domain's properties; the caller adds more
 * keys and closes it. */
static void json_domain_open(VmctlJson *j, const VmctlDomain *d)
{
    vmctl_json_begin_object(j);
    vmctl_json_key(j, "id");
    if (d->active && d->id >= 0) {
        vmctl_json_int(j, d->id);
    } else {
        vmctl_json_string(j, NULL);
    }
    vmctl_json_key(j, "name");
    vmctl_json_string(j, d->name);
    vmctl_json_key(j, "uuid");
    vmctl_json_string(j, d->uuid);
    vmctl_json_key(j, "state");
    vmctl_json_string(j, vmctl_state_id(d->state));
    vmctl_json_key(j, "active");
    vmctl_json_bool(j, d->active);
    vmctl_json_key(j, "persistent");
    vmctl_json_bool(j, d->persistent);
    vmctl_json_key(j, "autostart");
    vmctl_json_bool(j, d->autostart);
}

static int cmd_list(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) doms = NULL;
    guint flags = VMCTL_LIST_ACTIVE;

    if (vmctl_args_has(args, "all")) {
        flags = 0;
    } else if (vmctl_args_has(args, "inactive")) {
        flags = VMCTL_LIST_INACTIVE;
    }
    if (vmctl_args_has(args, "name") && vmctl_args_has(args, "json")) {
        return vmctl_usage_error(cmd, _("options --name and --json are "
                                        "mutually exclusive"));
    }
    doms = vmctl_domain_list(ctx, flags, &err);
    if (!doms) {
        return vmctl_error_gerror(err, _("failed to list domains"));
    }
    if (vmctl_args_has(args, "name")) {
        for (guint i = 0; i < doms->len; i++) {
            const VmctlDomain *d = g_ptr_array_index(doms, i);

            printf("%s\n", d->name);
        }
    } else if (vmctl_args_has(args, "json")) {
        g_autoptr(VmctlJson) j = vmctl_json_new();

        vmctl_json_begin_array(j);
        for (guint i = 0; i < doms->len; i++) {
            json_domain_open(j, g_ptr_array_index(doms, i));
            vmctl_json_end_object(j);
        }
        vmctl_json_end_array(j);
        vmctl_json_print(j, stdout);
    } else {
        const char *headers[] = {_("Id"), _("Name"), _("State")};
        g_autoptr(VmctlTable) t = vmctl_table_new(3, headers);

        for (guint i = 0; i < doms->len; i++) {
            const VmctlDomain *d = g_ptr_array_index(doms, i);
            g_autofree char *id = d->active && d->id >= 0
                                      ? g_strdup_printf("%d", d->id)
                                      : g_strdup("-");
            const char *row[] = {id, d->name, vmctl_state_name(d->state)};

            vmctl_table_add(t, row);
        }
        vmctl_table_print(t, stdout);
    }
    return VMCTL_EXIT_OK;
}

/* ---- dominfo ------------------------------------------------------------- */

/* One "Label:   value" line, virsh's "%-15s %s" by display width. */
static void G_GNUC_PRINTF(2, 3)
    info_line(const char *label, const char *fmt, ...)
{
    g_autofree char *value = NULL;
    va_list ap;

    va_start(ap, fmt);
    value = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vmctl_print_padded(stdout, label, 15);
    printf(" %s\n", value);
}

static int cmd_dominfo(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(VmctlDomXml) dx = NULL;
    g_autofree char *id = NULL;

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    xml = vmctl_domain_xml(ctx, dom, 0, &err);
    if (!xml) {
        return vmctl_error_gerror(err, NULL);
    }
    dx = vmctl_domxml_parse(xml, &err);
    if (!dx) {
        return vmctl_error_gerror(err, NULL);
    }
    if (vmctl_args_has(args, "json")) {
        g_autoptr(VmctlJson) j = vmctl_json_new();

        json_domain_open(j, dom);
        vmctl_json_key(j, "os_type");
        vmctl_json_string(j, dx->os_type);
        vmctl_json_key(j, "vcpus");
        vmctl_json_int(j, dx->vcpus);
        vmctl_json_key(j, "max_memory_kib");
        vmctl_json_int(j, (gint64)dx->memory_kib);
        vmctl_json_key(j, "used_memory_kib");
        vmctl_json_int(j, (gint64)dx->cur_memory_kib);
        vmctl_json_end_object(j);
        vmctl_json_print(j, stdout);
        return VMCTL_EXIT_OK;
    }
    id = dom->active && dom->id >= 0 ? g_strdup_printf("%d", dom->id)
                                     : g_strdup("-");
    info_line(_("Id:"), "%s", id);
    info_line(_("Name:"), "%s", dom->name);
    info_line(_("UUID:"), "%s", dom->uuid);
    info_line(_("OS Type:"), "%s", dx->os_type ? dx->os_type : "-");
    info_line(_("State:"), "%s", vmctl_state_name(dom->state));
    info_line(_("CPU(s):"), "%u", dx->vcpus);
    info_line(_("Max memory:"), "%" G_GUINT64_FORMAT " KiB", dx->memory_kib);
    info_line(_("Used memory:"), "%" G_GUINT64_FORMAT " KiB",
              dx->cur_memory_kib);
    info_line(_("Persistent:"), "%s", dom->persistent ? _("yes") : _("no"));
    info_line(_("Autostart:"), "%s",
              dom->autostart ? _("enable") : _("disable"));
    printf("\n");
    return VMCTL_EXIT_OK;
}

/* ---- event --------------------------------------------------------------- */

/* virDomainEventType: identifiers (not translated: scripts match them). */
static const char *const event_ids[] = {
    "defined", "undefined", "started",     "suspended", "resumed",
    "stopped", "shutdown",  "pmsuspended", "crashed",
};

/* virsh's detail words per event type, lower case. */
static const char *const details_defined[] = {
    N_("added"), N_("updated"), N_("renamed"), N_("from snapshot"), NULL,
};
static const char *const details_undefined[] = {
    N_("removed"),
    N_("renamed"),
    NULL,
};
static const char *const details_started[] = {
    N_("booted"),        N_("migrated"), N_("restored"),
    N_("from snapshot"), N_("wakeup"),   NULL,
};
static const char *const details_suspended[] = {
    N_("paused"),          N_("migrated"),
    N_("I/O error"),       N_("watchdog"),
    N_("restored"),        N_("from snapshot"),
    N_("API error"),       N_("post-copy"),
    N_("post-copy error"), NULL,
};
static const char *const details_resumed[] = {
    N_("unpaused"),  N_("migrated"),        N_("from snapshot"),
    N_("post-copy"), N_("post-copy error"), NULL,
};
static const char *const details_stopped[] = {
    N_("shutdown"), N_("destroyed"), N_("crashed"),       N_("migrated"),
    N_("saved"),    N_("failed"),    N_("from snapshot"), NULL,
};
static const char *const details_shutdown[] = {
    N_("finished"),
    N_("finished after guest request"),
    N_("finished after host request"),
    NULL,
};
static const char *const details_pmsuspended[] = {
    N_("memory"),
    N_("disk"),
    NULL,
};
static const char *const details_crashed[] = {
    N_("panicked"),
    N_("crashloaded"),
    NULL,
};
static const char *const *const event_details[] = {
    details_defined,   details_undefined,   details_started,
    details_suspended, details_resumed,     details_stopped,
    details_shutdown,  details_pmsuspended, details_crashed,
};

static const char *event_detail(int event, int detail)
{
    const char *const *list;

    if (event < 0 || event >= (int)G_N_ELEMENTS(event_details)) {
        return _("unknown");
    }
    list = event_details[event];
    for (int i = 0; list[i]; i++) {
        if (i == detail) {
            return _(list[i]);
        }
    }
    return _("unknown");
}

typedef struct {
    VmctlCtx *ctx;
    GMainLoop *loop;
    GHashTable *names; /* object path -> domain name */
    char *only;        /* --domain: object path, or NULL */
    bool loop_forever; /* --loop */
    bool timestamp;
    bool timed_out;
    bool lost; /* vmd left the bus */
    guint count;
} EventWatch;

static const char *event_domain_name(EventWatch *w, const char *path)
{
    const char *name = g_hash_table_lookup(w->names, path);
    g_autoptr(VmctlDomain) dom = NULL;
    const char *uuid;

    if (name) {
        return name;
    }
    dom = vmctl_domain_load(w->ctx, path, NULL);
    if (dom) {
        g_hash_table_insert(w->names, g_strdup(path),
                            g_steal_pointer(&dom->name));
    } else {
        /* Gone already: name it by the UUID in its path. */
        uuid = strrchr(path, '/');
        uuid = uuid && uuid[1] == '_' ? uuid + 2 : path;
        g_hash_table_insert(w->names, g_strdup(path),
                            g_strdelimit(g_strdup(uuid), "_", '-'));
    }
    return g_hash_table_lookup(w->names, path);
}

static void on_domain_event(GDBusConnection *bus, const char *sender,
                            const char *opath, const char *iface,
                            const char *signal, GVariant *params, gpointer data)
{
    EventWatch *w = data;
    const char *path;
    gint32 event, detail;

    if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(oii)"))) {
        return;
    }
    g_variant_get(params, "(&oii)", &path, &event, &detail);
    if (w->only && strcmp(w->only, path) != 0) {
        return;
    }
    if (w->timestamp) {
        g_autoptr(GDateTime) now = g_date_time_new_now_local();
        g_autofree char *ts = g_date_time_format(now, "%F %T.%f%z");

        /* %f gives microseconds: keep milliseconds, as virsh. */
        if (ts && strlen(ts) > 23) {
            memmove(ts + 23, ts + 26, strlen(ts + 26) + 1);
        }
        printf("%s: ", ts);
    }
    printf(_("event '%s' for domain '%s': %s\n"),
           event >= 0 && event < (int)G_N_ELEMENTS(event_ids) ? event_ids[event]
                                                              : "unknown",
           event_domain_name(w, path), event_detail(event, detail));
    fflush(stdout);
    w->count++;
    if (!w->loop_forever) {
        g_main_loop_quit(w->loop);
    }
}

static gboolean on_timeout(gpointer data)
{
    EventWatch *w = data;

    w->timed_out = true;
    g_main_loop_quit(w->loop);
    return G_SOURCE_REMOVE;
}

static gboolean on_sigint(gpointer data)
{
    EventWatch *w = data;

    g_main_loop_quit(w->loop);
    return G_SOURCE_CONTINUE;
}

static void on_vmd_vanished(GDBusConnection *bus, const char *name,
                            gpointer data)
{
    EventWatch *w = data;

    w->lost = true;
    g_main_loop_quit(w->loop);
}

static int cmd_event(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    EventWatch w = {.ctx = ctx};
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) doms = NULL;
    GDBusConnection *bus;
    guint timeout = 0;
    guint sub, watch, sigint, tsrc = 0;

    vmctl_args_get_uint(args, "timeout", &timeout);
    w.loop_forever = vmctl_args_has(args, "loop");
    w.timestamp = vmctl_args_has(args, "timestamp");
    bus = vmctl_bus(ctx, &err);
    if (!bus) {
        return vmctl_error_gerror(err, NULL);
    }
    w.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    w.loop = g_main_loop_new(NULL, FALSE);
    sub = g_dbus_connection_signal_subscribe(
        bus, VMCTL_BUS_NAME, VMCTL_MANAGER_IFACE, "DomainEvent",
        VMCTL_MANAGER_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_domain_event, &w,
        NULL);
    /* This round trip also orders our AddMatch before any later event;
     * the names it caches serve the events of undefined domains. */
    doms = vmctl_domain_list(ctx, 0, &err);
    if (!doms) {
        vmctl_error_gerror(err, NULL);
        g_dbus_connection_signal_unsubscribe(bus, sub);
        g_hash_table_unref(w.names);
        g_main_loop_unref(w.loop);
        return VMCTL_EXIT_FAIL;
    }
    for (guint i = 0; i < doms->len; i++) {
        VmctlDomain *d = g_ptr_array_index(doms, i);

        g_hash_table_insert(w.names, g_strdup(d->path), g_strdup(d->name));
    }
    if (vmctl_args_has(args, "domain")) {
        g_autoptr(VmctlDomain) dom =
            vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));

        if (!dom) {
            g_dbus_connection_signal_unsubscribe(bus, sub);
            g_hash_table_unref(w.names);
            g_main_loop_unref(w.loop);
            return VMCTL_EXIT_FAIL;
        }
        w.only = g_strdup(dom->path);
    }
    watch = g_bus_watch_name_on_connection(bus, VMCTL_BUS_NAME,
                                           G_BUS_NAME_WATCHER_FLAGS_NONE, NULL,
                                           on_vmd_vanished, &w, NULL);
    sigint = g_unix_signal_add(SIGINT, on_sigint, &w);
    if (timeout > 0) {
        tsrc = g_timeout_add_seconds(timeout, on_timeout, &w);
    }

    g_main_loop_run(w.loop);

    if (tsrc && !w.timed_out) {
        g_source_remove(tsrc);
    }
    g_source_remove(sigint);
    g_bus_unwatch_name(watch);
    g_dbus_connection_signal_unsubscribe(bus, sub);
    if (w.timed_out) {
        printf("%s\n", _("event loop timed out"));
    }
    printf(_("events received: %u\n"), w.count);
    g_free(w.only);
    g_hash_table_unref(w.names);
    g_main_loop_unref(w.loop);
    if (w.lost) {
        vmctl_error(_("vmd left the bus"));
        return VMCTL_EXIT_FAIL;
    }
    return VMCTL_EXIT_OK;
}

/* ---- table --------------------------------------------------------------- */

static const VmctlOptDef opts_list[] = {
    {"all", VMCTL_OPT_BOOL, NULL, N_("list active and inactive domains")},
    {"inactive", VMCTL_OPT_BOOL, NULL, N_("list inactive domains only")},
    {"name", VMCTL_OPT_BOOL, NULL, N_("print domain names only")},
    {"json", VMCTL_OPT_BOOL, NULL, N_("print JSON")},
    {NULL},
};
static const VmctlOptDef opts_dominfo[] = {
    VMCTL_OPT_DOMAIN,
    {"json", VMCTL_OPT_BOOL, NULL, N_("print JSON")},
    {NULL},
};
static const VmctlOptDef opts_event[] = {
    {"domain", VMCTL_OPT_STRING, N_("DOMAIN"),
     N_("only events of this domain")},
    {"loop", VMCTL_OPT_BOOL, NULL,
     N_("keep printing events (default: stop after the first)")},
    {"timeout", VMCTL_OPT_UINT, N_("SECONDS"),
     N_("stop waiting after this many seconds")},
    {"timestamp", VMCTL_OPT_BOOL, NULL, N_("show a timestamp per event")},
    {NULL},
};

const VmctlCmdDef vmctl_monitor_cmds[] = {
    {"list", N_("list domains"),
     N_("Lists the active domains, or with --all every domain, with "
        "--inactive the inactive ones."),
     opts_list, cmd_list},
    {"dominfo", N_("domain information"), NULL, opts_dominfo, cmd_dominfo},
    {"event", N_("wait for domain lifecycle events"),
     N_("Prints each lifecycle event as \"event 'TYPE' for domain 'NAME': "
        "DETAIL\"; stops after the first event unless --loop is given, "
        "or after --timeout seconds, or on Ctrl-C."),
     opts_event, cmd_event},
    {NULL},
};
