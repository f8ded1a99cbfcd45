/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dbus-harness.c: the daemon's D-Bus test harness (see dbus-harness.h). */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "tests/daemon/dbus-harness.h"
#include "tests/daemon/test-common.h"

void vmd_test_die_with_parent(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

char *vmd_test_start_bus(const char *dir, GPid *pid)
{
    g_autofree char *conf = g_build_filename(dir, "bus.conf", NULL);
    g_autofree char *text =
        g_strdup_printf("<busconfig>\n"
                        "  <type>session</type>\n"
                        "  <listen>unix:dir=%s</listen>\n"
                        "  <auth>EXTERNAL</auth>\n"
                        "  <policy context='default'>\n"
                        "    <allow send_destination='*' eavesdrop='true'/>\n"
                        "    <allow eavesdrop='true'/>\n"
                        "    <allow own='*'/>\n"
                        "  </policy>\n"
                        "</busconfig>\n",
                        dir);
    g_autofree char *arg = g_strconcat("--config-file=", conf, NULL);
    char *argv[] = {(char *)"dbus-daemon", arg, (char *)"--nofork",
                    (char *)"--print-address=1", NULL};
    g_autoptr(GError) error = NULL;
    g_autoptr(GIOChannel) ch = NULL;
    char *address = NULL;
    int out_fd;
    gsize term;

    g_file_set_contents(conf, text, -1, &error);
    g_assert_no_error(error);
    g_spawn_async_with_pipes(
        NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
        vmd_test_die_with_parent, NULL, pid, NULL, &out_fd, NULL, &error);
    g_assert_no_error(error);
    ch = g_io_channel_unix_new(out_fd);
    g_io_channel_set_close_on_unref(ch, TRUE);
    g_io_channel_read_line(ch, &address, NULL, &term, &error);
    g_assert_no_error(error);
    g_assert_nonnull(address);
    address[term] = '\0';
    return address;
}

gboolean vmd_test_name_has_owner(GDBusConnection *c, const char *name)
{
    g_autoptr(GVariant) r = g_dbus_connection_call_sync(
        c, "org.freedesktop.DBus", "/org/freedesktop/DBus",
        "org.freedesktop.DBus", "NameHasOwner", g_variant_new("(s)", name),
        G_VARIANT_TYPE("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
    gboolean has = FALSE;

    if (r != NULL) {
        g_variant_get(r, "(b)", &has);
    }
    return has;
}

GPid vmd_test_start_vmd(GDBusConnection *c, const char *name,
                        const char *address, const char *state,
                        const char *engine, guint ms)
{
    g_autofree char *vmd =
        g_build_filename(vmd_test_builddir(), "daemon", "vmd", NULL);
    char *argv[] = {vmd,           (char *)"--bus-address", (char *)address,
                    (char *)"--state-dir", (char *)state,   (char *)"--engine",
                    (char *)engine, NULL};
    g_autoptr(GError) error = NULL;
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;
    GPid pid = 0;

    g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                  vmd_test_die_with_parent, NULL, &pid, &error);
    g_assert_no_error(error);
    while (!vmd_test_name_has_owner(c, name)) {
        int status;

        g_assert_cmpint(waitpid(pid, &status, WNOHANG), ==, 0);
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(10000);
    }
    return pid;
}

void vmd_test_stop_vmd(GPid *pid)
{
    int status = 0;

    if (*pid <= 0) {
        return;
    }
    kill(*pid, SIGTERM);
    g_assert_cmpint(waitpid(*pid, &status, 0), ==, *pid);
    g_spawn_close_pid(*pid);
    *pid = 0;
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

void vmd_test_queue_signal(GDBusConnection *c, const char *sender,
                           const char *path, const char *iface,
                           const char *signal, GVariant *params,
                           gpointer data)
{
    g_queue_push_tail(data, g_variant_ref(params));
}

guint vmd_test_watch(GDBusConnection *c, const char *iface,
                     const char *member, const char *path, const char *arg0,
                     GQueue *q)
{
    return g_dbus_connection_signal_subscribe(c, NULL, iface, member, path,
                                              arg0, G_DBUS_SIGNAL_FLAGS_NONE,
                                              vmd_test_queue_signal, q, NULL);
}

static gboolean on_timeout(gpointer data)
{
    *(gboolean *)data = TRUE;
    return G_SOURCE_REMOVE;
}

void vmd_test_wait_queue(GQueue *q, guint n, guint ms)
{
    gboolean timed_out = FALSE;
    guint id = g_timeout_add(ms, on_timeout, &timed_out);

    while (g_queue_get_length(q) < n && !timed_out) {
        g_main_context_iteration(NULL, TRUE);
    }
    if (!timed_out) {
        g_source_remove(id);
    }
    g_assert_cmpuint(g_queue_get_length(q), >=, n);
}

void vmd_test_assert_dbus_error(GError *error, const char *name,
                                const char *substring)
{
    g_autofree char *remote = NULL;

    g_assert_nonnull(error);
    remote = g_dbus_error_get_remote_error(error);
    g_test_message("%s: %s", remote, error->message);
    g_assert_cmpstr(remote, ==, name);
    if (substring != NULL) {
        g_assert_nonnull(strstr(error->message, substring));
    }
}

void vmd_test_rm_rf(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;

    if (d == NULL) {
        g_unlink(path);
        return;
    }
    while ((name = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = g_build_filename(path, name, NULL);

        if (g_file_test(p, G_FILE_TEST_IS_DIR) &&
            !g_file_test(p, G_FILE_TEST_IS_SYMLINK)) {
            vmd_test_rm_rf(p);
        } else {
            g_unlink(p);
        }
    }
    g_dir_close(d);
    g_rmdir(path);
}
