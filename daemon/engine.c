/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/engine.c: vmd's client of one engine's control socket
 * (org.vmkit.Engine1 over peer-to-peer D-Bus). */
#include "config.h"

#include <errno.h>
#include <signal.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n-lib.h>

#include "daemon/engine.h"
#include "daemon/error.h"

/*
 * One connection per running domain, made after the spawn (the engine
 * creates its socket while it starts, so the first attempts may find
 * nothing) or when vmd re-attaches after a restart. All calls are async:
 * a slow or stuck engine never blocks the daemon's bus.
 */

#define VMD_ENGINE_RETRY_MS 20

struct _VmdEngine {
    GDBusConnection *conn;
    guint sub_id;
    gulong closed_id;
    gboolean closed;
    VmdEngineSignalFunc signal_cb;
    VmdEngineClosedFunc closed_cb;
    gpointer user_data;
};

/* ---- connecting ----------------------------------------------------------- */

typedef struct {
    char *path;
    GPid pid;
    gint64 deadline;
    GSocketClient *client;
    guint timer;
} VmdConnectData;

static void vmd_connect_data_free(VmdConnectData *d)
{
    if (d->timer != 0) {
        g_source_remove(d->timer);
    }
    g_clear_object(&d->client);
    g_free(d->path);
    g_free(d);
}

static void vmd_engine_try_connect(GTask *task);

static gboolean vmd_engine_retry(gpointer data)
{
    GTask *task = data;
    VmdConnectData *d = g_task_get_task_data(task);

    d->timer = 0;
    vmd_engine_try_connect(task);
    return G_SOURCE_REMOVE;
}

static void vmd_engine_dbus_ready(GObject *src, GAsyncResult *res,
                                  gpointer data)
{
    g_autoptr(GTask) task = data;
    GError *error = NULL;
    GDBusConnection *conn = g_dbus_connection_new_finish(res, &error);
    VmdEngine *engine;

    if (conn == NULL) {
        g_prefix_error(&error, _("engine control handshake: "));
        g_task_return_error(task, error);
        return;
    }
    engine = g_new0(VmdEngine, 1);
    engine->conn = conn;
    g_dbus_connection_set_exit_on_close(conn, FALSE);
    g_task_return_pointer(task, engine, (GDestroyNotify)vmd_engine_free);
}

static void vmd_engine_socket_ready(GObject *src, GAsyncResult *res,
                                    gpointer data)
{
    GTask *task = data;
    VmdConnectData *d = g_task_get_task_data(task);
    g_autoptr(GError) error = NULL;
    g_autoptr(GSocketConnection) sc =
        g_socket_client_connect_finish(G_SOCKET_CLIENT(src), res, &error);

    if (sc != NULL) {
        g_dbus_connection_new(G_IO_STREAM(sc), NULL,
                              G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                              NULL, g_task_get_cancellable(task),
                              vmd_engine_dbus_ready, task);
        return;
    }
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_task_return_error(task, g_steal_pointer(&error));
        g_object_unref(task);
        return;
    }
    /* not there yet: the engine is still starting, unless it is gone */
    if ((d->pid > 0 && kill(d->pid, 0) < 0 && errno == ESRCH) ||
        g_get_monotonic_time() >= d->deadline) {
        g_task_return_new_error(task, VMD_ERROR, VMD_ERROR_FAILED,
                                _("cannot connect to the engine at %s: %s"),
                                d->path, error->message);
        g_object_unref(task);
        return;
    }
    d->timer = g_timeout_add(VMD_ENGINE_RETRY_MS, vmd_engine_retry, task);
}

static void vmd_engine_try_connect(GTask *task)
{
    VmdConnectData *d = g_task_get_task_data(task);
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(d->path);

    if (g_task_return_error_if_cancelled(task)) {
        g_object_unref(task);
        return;
    }
    g_socket_client_connect_async(d->client, G_SOCKET_CONNECTABLE(addr),
                                  g_task_get_cancellable(task),
                                  vmd_engine_socket_ready, task);
}

void vmd_engine_connect_async(const char *path, GPid pid, guint timeout_ms,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
    GTask *task = g_task_new(NULL, cancellable, callback, user_data);
    VmdConnectData *d = g_new0(VmdConnectData, 1);

    d->path = g_strdup(path);
    d->pid = pid;
    d->deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    d->client = g_socket_client_new();
    g_task_set_task_data(task, d, (GDestroyNotify)vmd_connect_data_free);
    g_task_set_source_tag(task, vmd_engine_connect_async);
    vmd_engine_try_connect(task);
}

VmdEngine *vmd_engine_connect_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

/* ---- signals and closure -------------------------------------------------- */

static void vmd_engine_on_signal(GDBusConnection *conn, const char *sender,
                                 const char *path, const char *iface,
                                 const char *signal, GVariant *params,
                                 gpointer data)
{
    VmdEngine *engine = data;

    if (engine->signal_cb != NULL) {
        engine->signal_cb(engine, signal, params, engine->user_data);
    }
}

static void vmd_engine_on_closed(GDBusConnection *conn, gboolean vanished,
                                 GError *error, gpointer data)
{
    VmdEngine *engine = data;

    engine->closed = TRUE;
    if (engine->closed_cb != NULL) {
        engine->closed_cb(engine, engine->user_data);
    }
}

void vmd_engine_set_handlers(VmdEngine *engine, VmdEngineSignalFunc signal,
                             VmdEngineClosedFunc closed, gpointer user_data)
{
    engine->signal_cb = signal;
    engine->closed_cb = closed;
    engine->user_data = user_data;
    if (engine->sub_id == 0) {
        /* a peer-to-peer connection has no sender names: sender NULL */
        engine->sub_id = g_dbus_connection_signal_subscribe(
            engine->conn, NULL, VMD_ENGINE_IFACE, NULL, VMD_ENGINE_PATH,
            NULL, G_DBUS_SIGNAL_FLAGS_NONE, vmd_engine_on_signal, engine,
            NULL);
        engine->closed_id = g_signal_connect(
            engine->conn, "closed", G_CALLBACK(vmd_engine_on_closed), engine);
        engine->closed = g_dbus_connection_is_closed(engine->conn);
    }
}

gboolean vmd_engine_is_closed(VmdEngine *engine)
{
    return engine->closed || g_dbus_connection_is_closed(engine->conn);
}

/* ---- calls ----------------------------------------------------------------- */

static void vmd_engine_call_done(GObject *src, GAsyncResult *res, gpointer data)
{
    g_autoptr(GTask) task = data;
    GError *error = NULL;
    GVariant *reply = g_dbus_connection_call_with_unix_fd_list_finish(
        G_DBUS_CONNECTION(src), NULL, res, &error);

    if (reply == NULL) {
        GError *err = NULL;

        if (g_dbus_error_is_remote_error(error)) {
            g_dbus_error_strip_remote_error(error);
        }
        vmd_error_propagate_as(&err, error, VMD_ERROR_FAILED);
        g_task_return_error(task, err);
        return;
    }
    g_task_return_pointer(task, reply, (GDestroyNotify)g_variant_unref);
}

void vmd_engine_call(VmdEngine *engine, const char *iface, const char *method,
                     GVariant *params, const char *reply_type,
                     GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
    vmd_engine_call_with_fds(engine, iface, method, params, NULL, reply_type,
                             cancellable, callback, user_data);
}

void vmd_engine_call_with_fds(VmdEngine *engine, const char *iface,
                              const char *method, GVariant *params,
                              GUnixFDList *fds, const char *reply_type,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
    GTask *task = g_task_new(NULL, cancellable, callback, user_data);

    /* @fds may be NULL: a plain call */
    g_dbus_connection_call_with_unix_fd_list(
        engine->conn, NULL, VMD_ENGINE_PATH,
        iface != NULL ? iface : VMD_ENGINE_IFACE, method, params,
        reply_type != NULL ? G_VARIANT_TYPE(reply_type) : NULL,
        G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, fds, cancellable,
        vmd_engine_call_done, task);
}

GVariant *vmd_engine_call_finish(GAsyncResult *result, GError **error)
{
    return g_task_propagate_pointer(G_TASK(result), error);
}

void vmd_engine_free(VmdEngine *engine)
{
    if (engine == NULL) {
        return;
    }
    if (engine->sub_id != 0) {
        g_dbus_connection_signal_unsubscribe(engine->conn, engine->sub_id);
    }
    if (engine->closed_id != 0) {
        g_signal_handler_disconnect(engine->conn, engine->closed_id);
    }
    if (!g_dbus_connection_is_closed(engine->conn)) {
        g_dbus_connection_close(engine->conn, NULL, NULL, NULL);
    }
    g_object_unref(engine->conn);
    g_free(engine);
}
