/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/engine.h: vmd's client of one engine's control socket
 * (org.vmkit.Engine1 over peer-to-peer D-Bus). */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

G_BEGIN_DECLS

#define VMD_ENGINE_PATH  "/org/vmkit/Engine1"
#define VMD_ENGINE_IFACE "org.vmkit.Engine1"

typedef struct _VmdEngine VmdEngine;

/*
 * What the engine tells: StateChanged(state, reason), GuestPoweroff,
 * GuestReset (@signal is the member name, @params its arguments), and
 * the end of the connection. Callbacks run in the main thread, in the
 * order the engine sent them.
 */
typedef void (*VmdEngineSignalFunc)(VmdEngine *engine, const char *signal,
                                    GVariant *params, gpointer user_data);
typedef void (*VmdEngineClosedFunc)(VmdEngine *engine, gpointer user_data);

/**
 * vmd_engine_connect_async:
 * Connects to the engine's `-control unix:PATH` socket and does the D-Bus
 * handshake. While the socket does not exist or refuses connections, it
 * tries again every 20 ms until @timeout_ms passed or process @pid (when
 * > 0) is gone. Thread: main.
 */
void vmd_engine_connect_async(const char *path, GPid pid, guint timeout_ms,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);
VmdEngine *vmd_engine_connect_finish(GAsyncResult *result, GError **error);

/**
 * vmd_engine_set_handlers:
 * Sets who hears the engine's signals and the connection's end.
 */
void vmd_engine_set_handlers(VmdEngine *engine, VmdEngineSignalFunc signal,
                             VmdEngineClosedFunc closed, gpointer user_data);

/**
 * vmd_engine_call:
 * Calls @method of @iface (NULL: org.vmkit.Engine1) on the engine object
 * (@params floating or NULL); the reply (of @reply_type) or an error in
 * VMD_ERROR (the engine's message, without the D-Bus error name) comes to
 * @callback through vmd_engine_call_finish(). A closed connection fails
 * at once.
 */
void vmd_engine_call(VmdEngine *engine, const char *iface, const char *method,
                     GVariant *params, const char *reply_type,
                     GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data);
GVariant *vmd_engine_call_finish(GAsyncResult *result, GError **error);

/**
 * vmd_engine_call_with_fds:
 * vmd_engine_call() passing @fds (nullable; the engine gets its copies,
 * the caller keeps its own), e.g. a TAP for NetdevAdd.
 */
void vmd_engine_call_with_fds(VmdEngine *engine, const char *iface,
                              const char *method, GVariant *params,
                              GUnixFDList *fds, const char *reply_type,
                              GCancellable *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer user_data);

/** vmd_engine_is_closed: the connection ended. */
gboolean vmd_engine_is_closed(VmdEngine *engine);

/** vmd_engine_free: drops the connection (the engine keeps running). */
void vmd_engine_free(VmdEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdEngine, vmd_engine_free)

G_END_DECLS
