/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/vmd.c: the vmd program: options, bus connection, name, main loop. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "daemon/daemon.h"
#include "daemon/dbus.h"
#include "daemon/error.h"
#include "daemon/lifecycle.h"
#include "daemon/store.h"

/*
 * Startup order: load the store, re-attach to the engines a previous vmd
 * left running, register the objects, start autostart domains, then own
 * the name, so a client that sees org.vmkit.Vmd1 appear can use it at
 * once. Losing (or never getting) the name ends the daemon: another vmd
 * is running. Engines outlive vmd: stopping vmd leaves domains running.
 */

typedef struct {
    GMainLoop *loop;
    int status;
} VmdMain;

static void vmd_on_name_acquired(GDBusConnection *conn, const char *name,
                                 gpointer user_data)
{
    g_debug("owning %s", name);
}

static void vmd_on_name_lost(GDBusConnection *conn, const char *name,
                             gpointer user_data)
{
    VmdMain *m = user_data;

    if (conn == NULL) {
        g_printerr(_("vmd: no connection to the bus\n"));
    } else {
        g_printerr(_("vmd: lost or could not own the name %s (is another "
                     "vmd running?)\n"),
                   name);
    }
    m->status = EXIT_FAILURE;
    g_main_loop_quit(m->loop);
}

static void vmd_on_closed(GDBusConnection *conn, gboolean remote_peer_vanished,
                          GError *error, gpointer user_data)
{
    VmdMain *m = user_data;

    g_printerr(_("vmd: bus connection closed%s%s\n"), error ? ": " : "",
               error ? error->message : "");
    m->status = EXIT_FAILURE;
    g_main_loop_quit(m->loop);
}

static gboolean vmd_on_signal(gpointer user_data)
{
    VmdMain *m = user_data;

    g_main_loop_quit(m->loop);
    return G_SOURCE_CONTINUE;
}

static GDBusConnection *vmd_connect(gboolean session, const char *address,
                                    GError **error)
{
    GDBusConnection *conn;

    if (address == NULL) {
        return g_bus_get_sync(session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
                              NULL, error);
    }
    conn = g_dbus_connection_new_for_address_sync(
        address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, error);
    return conn;
}

int main(int argc, char **argv)
{
    gboolean session = FALSE, system_bus = FALSE, version = FALSE;
    g_autofree char *address = NULL;
    g_autofree char *state_dir = NULL;
    g_autofree char *runtime_dir = NULL;
    g_autofree char *engine = NULL;
    const GOptionEntry entries[] = {
        {"system", 0, 0, G_OPTION_ARG_NONE, &system_bus,
         N_("Use the system bus (default)"), NULL},
        {"session", 0, 0, G_OPTION_ARG_NONE, &session,
         N_("Use the session bus"), NULL},
        {"bus-address", 0, 0, G_OPTION_ARG_STRING, &address,
         N_("Connect to the message bus at ADDRESS"), N_("ADDRESS")},
        {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
         N_("Keep domain definitions in DIR"), N_("DIR")},
        {"runtime-dir", 0, 0, G_OPTION_ARG_FILENAME, &runtime_dir,
         N_("Keep running domains' sockets, pidfiles and logs in DIR "
            "(default: /run/vmkit, $XDG_RUNTIME_DIR/vmkit with --session, "
            "STATE-DIR/run with --state-dir)"),
         N_("DIR")},
        {"engine", 0, 0, G_OPTION_ARG_FILENAME, &engine,
         N_("Run domains with PROGRAM (default: $VMKIT_ENGINE, else the "
            "installed vmkit)"),
         N_("PROGRAM")},
        {"version", 0, 0, G_OPTION_ARG_NONE, &version,
         N_("Print the version and exit"), NULL},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GDBusConnection) conn = NULL;
    g_autoptr(VmdDaemon) daemon = NULL;
    VmdStore *store;
    VmdDbus *dbus;
    VmdLifecycle *lc;
    VmdLifecycleConfig lc_cfg = {0};
    VmdMain m = {NULL, EXIT_SUCCESS};
    guint owner_id;
    guint n;

    setlocale(LC_ALL, "");
    bindtextdomain(GETTEXT_PACKAGE, LOCALEDIR);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
    textdomain(GETTEXT_PACKAGE);

    ctx = g_option_context_new(NULL);
    g_option_context_set_translation_domain(ctx, GETTEXT_PACKAGE);
    g_option_context_set_summary(
        ctx, _("vmkit daemon: keeps domain definitions and runs domains, "
               "D-Bus name org.vmkit.Vmd1."));
    g_option_context_add_main_entries(ctx, entries, GETTEXT_PACKAGE);
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        g_printerr("vmd: %s\n", error->message);
        return 2;
    }
    if (version) {
        g_print("vmd %s\n", PACKAGE_VERSION);
        return EXIT_SUCCESS;
    }
    if ((session ? 1 : 0) + (system_bus ? 1 : 0) + (address ? 1 : 0) > 1) {
        g_printerr(_("vmd: --system, --session and --bus-address are "
                     "exclusive\n"));
        return 2;
    }
    if (runtime_dir == NULL && state_dir != NULL) {
        /* a private state dir gets private engines: two such daemons
         * never re-attach each other's domains */
        runtime_dir = g_build_filename(state_dir, "run", NULL);
    } else if (runtime_dir == NULL) {
        runtime_dir = vmd_lifecycle_default_runtime_dir(session);
    }
    if (state_dir == NULL) {
        state_dir = vmd_store_default_dir(session);
    }
    if (engine == NULL) {
        engine = vmd_lifecycle_default_engine();
    }

    store = vmd_store_new(state_dir, &error);
    if (store == NULL) {
        g_printerr("vmd: %s\n", error->message);
        return EXIT_FAILURE;
    }
    daemon = vmd_daemon_new(store);
    n = vmd_daemon_load(daemon);
    g_debug("%u domain(s) loaded from %s", n, state_dir);
    lc_cfg.engine = engine;
    lc_cfg.runtime_dir = runtime_dir;
    lc = vmd_lifecycle_new(daemon, &lc_cfg, &error);
    if (lc == NULL) {
        g_printerr("vmd: %s\n", error->message);
        return EXIT_FAILURE;
    }
    n = vmd_lifecycle_reattach(lc);
    g_debug("%u running domain(s) re-attached from %s", n, runtime_dir);

    conn = vmd_connect(session, address, &error);
    if (conn == NULL) {
        g_printerr(_("vmd: cannot connect to the bus: %s\n"), error->message);
        return EXIT_FAILURE;
    }
    g_dbus_connection_set_exit_on_close(conn, FALSE);

    dbus = vmd_dbus_new(conn, daemon, &error);
    if (dbus == NULL) {
        g_printerr(_("vmd: cannot register objects: %s\n"), error->message);
        vmd_lifecycle_free(lc);
        return EXIT_FAILURE;
    }
    vmd_lifecycle_autostart(lc);

    m.loop = g_main_loop_new(NULL, FALSE);
    g_signal_connect(conn, "closed", G_CALLBACK(vmd_on_closed), &m);
    g_unix_signal_add(SIGTERM, vmd_on_signal, &m);
    g_unix_signal_add(SIGINT, vmd_on_signal, &m);
    owner_id = g_bus_own_name_on_connection(
        conn, VMD_DBUS_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
        vmd_on_name_acquired, vmd_on_name_lost, &m, NULL);

    g_main_loop_run(m.loop);

    g_bus_unown_name(owner_id);
    g_signal_handlers_disconnect_by_data(conn, &m);
    vmd_lifecycle_free(lc); /* the engines keep running */
    vmd_dbus_free(dbus);
    g_main_loop_unref(m.loop);
    return m.status;
}
