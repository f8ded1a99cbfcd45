/* SPDX-License-Identifier: GPL-2.0-or-later */
/* control.c: the engine's control channel — org.vmkit.Engine1 on
 * peer-to-peer D-Bus connections, served on the I/O thread. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <gio/gunixfdlist.h>
#include <gio/gunixsocketaddress.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/core/chardev.h"
#include "engine/core/control.h"
#include "engine/core/monitor.h"

/*
 * How it fits (DESIGN.md §4): vmd connects to the socket it named with
 * `-control unix:PATH`, once after spawning the engine and again after its
 * own restart. No bus daemon: each connection is a D-Bus peer-to-peer
 * connection where the engine is the server (EXTERNAL authentication,
 * same user only). Connections are created with the I/O thread's context
 * as thread default, so GDBus dispatches method calls there; pause waits
 * for the harts outside the device lock, as the monitor's `stop` does.
 *
 * Guest- versus host-initiated requests: the machine has one request
 * word, so the control channel remembers what it asked for itself
 * (Powerdown, Reset, Quit, or those monitor commands through
 * HumanMonitorCommand); any other power-off or reset came from the guest
 * (or from a human monitor the daemon does not use).
 */

#define CTL_PATH  "/org/vmkit/Engine1"
#define CTL_IFACE "org.vmkit.Engine1"

/* generated from schemas/dbus/org.vmkit.Engine1.xml (engine/core/chr.mk) */
extern const char emu_control_introspection_xml[];

typedef enum {
    CTL_ERROR_FAILED,
    CTL_ERROR_NO_DEVICE,
} CtlError;

static const GDBusErrorEntry ctl_error_entries[] = {
    {CTL_ERROR_FAILED, "org.vmkit.Engine1.Error.Failed"},
    {CTL_ERROR_NO_DEVICE, "org.vmkit.Engine1.Error.NoDevice"},
};

static GQuark ctl_error_quark(void)
{
    static gsize quark;

    g_dbus_error_register_error_domain("emu-control-error-quark", &quark,
                                       ctl_error_entries,
                                       G_N_ELEMENTS(ctl_error_entries));
    return (GQuark)quark;
}

struct EmuControl {
    EmuMachine *m;
    char *name, *uuid;
    bool no_reboot;
    EmuMonitor *mon; /* internal, no chardev: HumanMonitorCommand */
    GDBusNodeInfo *node;
    GDBusInterfaceInfo *iface;
    GDBusAuthObserver *observer;
    char *guid;

    /* -control unix:PATH */
    GSocket *listener;
    GSource *accept_src;
    char *path;

    GMutex lock;     /* conns */
    GPtrArray *conns; /* GDBusConnection, one ref each */

    atomic_int host_req;      /* EmuRequest this channel asked for */
    atomic_bool shutting_down; /* a "shutdown" StateChanged was sent */
};

/* ------------------------------------------------------------------ */
/* signals                                                             */

/* Copies the live connections (refs) so that emitting needs no lock. */
static GPtrArray *ctl_conns(EmuControl *ctl)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(g_object_unref);

    g_mutex_lock(&ctl->lock);
    for (guint i = 0; i < ctl->conns->len; i++) {
        g_ptr_array_add(list, g_object_ref(g_ptr_array_index(ctl->conns, i)));
    }
    g_mutex_unlock(&ctl->lock);
    return list;
}

/* Emits @signal (@params floating or NULL) on every connection. */
static void ctl_emit(EmuControl *ctl, const char *signal, GVariant *params)
{
    g_autoptr(GPtrArray) list = ctl_conns(ctl);

    if (params) {
        g_variant_ref_sink(params);
    }
    for (guint i = 0; i < list->len; i++) {
        g_dbus_connection_emit_signal(g_ptr_array_index(list, i), NULL,
                                      CTL_PATH, CTL_IFACE, signal, params,
                                      NULL);
    }
    if (params) {
        g_variant_unref(params);
    }
}

static void ctl_emit_state(EmuControl *ctl, const char *state,
                           const char *reason)
{
    ctl_emit(ctl, "StateChanged", g_variant_new("(ss)", state, reason));
}

static const char *ctl_state_name(EmuControl *ctl)
{
    if (atomic_load(&ctl->shutting_down)) {
        return "shutdown";
    }
    switch (atomic_load(&ctl->m->run_state)) {
    case EMU_RUN_RUNNING:
        return "running";
    case EMU_RUN_PAUSED:
        return "paused";
    default:
        return "shutdown";
    }
}

/* ------------------------------------------------------------------ */
/* methods (I/O thread, without the device lock)                       */

static void ctl_pause(EmuControl *ctl)
{
    if (atomic_load(&ctl->m->run_state) == EMU_RUN_RUNNING) {
        emu_machine_pause(ctl->m);
        ctl_emit_state(ctl, "paused", "user");
    }
}

static void ctl_resume(EmuControl *ctl)
{
    if (atomic_load(&ctl->m->run_state) == EMU_RUN_PAUSED) {
        emu_machine_resume(ctl->m);
        ctl_emit_state(ctl, "running", "user");
    }
}

/*
 * The machine keeps one request until the main loop handled it; a second
 * one made meanwhile (e.g. Powerdown right after Reset) would be lost. So
 * a host request waits for the word to be free, and Reset replies once
 * the main loop has done the reset: a client that calls Reset and then
 * Powerdown gets both.
 */
#define CTL_REQUEST_POLL_MS 5

typedef struct {
    EmuControl *ctl;
    EmuRequest req;
    bool issued;
    GDBusMethodInvocation *inv;
} CtlPending;

static gboolean ctl_pending_poll(gpointer data)
{
    CtlPending *p = data;
    EmuMachine *m = p->ctl->m;
    EmuRequest cur = atomic_load(&m->request);

    if (!p->issued) {
        if (cur != EMU_REQ_NONE) {
            return G_SOURCE_CONTINUE;
        }
        atomic_store(&p->ctl->host_req, p->req);
        emu_machine_request(m, p->req, 0);
        p->issued = true;
        if (p->req == EMU_REQ_RESET && !p->ctl->no_reboot) {
            return G_SOURCE_CONTINUE; /* reply once the reset is done */
        }
    } else if (cur != EMU_REQ_NONE) {
        return G_SOURCE_CONTINUE;
    }
    g_dbus_method_invocation_return_value(p->inv, NULL);
    return G_SOURCE_REMOVE;
}

static void ctl_host_request(EmuControl *ctl, EmuRequest req,
                             GDBusMethodInvocation *inv)
{
    CtlPending *p = g_new0(CtlPending, 1);
    GSource *src;

    p->ctl = ctl;
    p->req = req;
    p->inv = inv;
    if (ctl_pending_poll(p) == G_SOURCE_REMOVE) {
        g_free(p);
        return;
    }
    src = g_timeout_source_new(CTL_REQUEST_POLL_MS);
    g_source_set_callback(src, ctl_pending_poll, p, g_free);
    g_source_attach(src, ctl->m->io_ctx);
    g_source_unref(src);
}

/* The monitor commands that make lifecycle requests, by first word. */
static EmuRequest ctl_hmp_request(const char *line)
{
    g_auto(GStrv) words = g_strsplit_set(line, " \t", 2);
    const char *w = words[0] ? words[0] : "";

    if (!strcmp(w, "system_powerdown")) {
        return EMU_REQ_POWEROFF;
    }
    if (!strcmp(w, "system_reset")) {
        return EMU_REQ_RESET;
    }
    if (!strcmp(w, "quit") || !strcmp(w, "q")) {
        return EMU_REQ_QUIT;
    }
    return EMU_REQ_NONE;
}

static char *ctl_hmp(EmuControl *ctl, const char *line)
{
    GString *out = g_string_new(NULL);
    EmuRunState before = atomic_load(&ctl->m->run_state);
    EmuRunState after;
    EmuRequest req = ctl_hmp_request(line);

    if (req != EMU_REQ_NONE) {
        atomic_store(&ctl->host_req, req);
    }
    emu_monitor_execute(ctl->mon, line, out);
    /* stop / cont through the monitor: tell the peers as Pause does */
    after = atomic_load(&ctl->m->run_state);
    if (after != before && after == EMU_RUN_PAUSED) {
        ctl_emit_state(ctl, "paused", "user");
    } else if (after != before && after == EMU_RUN_RUNNING) {
        ctl_emit_state(ctl, "running", "user");
    }
    return g_string_free(out, FALSE);
}

static char *ctl_serial_pty(EmuControl *ctl)
{
    const char *path = ctl->m->serial ? emu_chardev_path(ctl->m->serial)
                                      : NULL;
    struct stat st;

    /* a socket chardev has a path too: only a terminal is a pty */
    if (!path || stat(path, &st) < 0 || !S_ISCHR(st.st_mode)) {
        return g_strdup("");
    }
    return g_strdup(path);
}

static bool ctl_net_stats(EmuControl *ctl, const char *name,
                          EmuNetStats *stats, GError **error)
{
    EmuMachine *m = ctl->m;
    EmuNetClient *nc;
    bool swap = false;

    emu_machine_lock(m);
    nc = m->net ? emu_net_find(m->net, name) : NULL;
    if (nc && nc->ops->kind != EMU_NET_CLIENT_NIC) {
        if (nc->peer && nc->peer->ops->kind == EMU_NET_CLIENT_NIC) {
            nc = nc->peer; /* the guest's side of the link */
        } else {
            swap = true; /* what the backend sent, the guest received */
        }
    }
    if (nc) {
        *stats = nc->stats;
    }
    emu_machine_unlock(m);
    if (!nc) {
        g_set_error(error, ctl_error_quark(), CTL_ERROR_NO_DEVICE,
                    "no network client named '%s'", name);
        return false;
    }
    if (swap) {
        EmuNetStats s = *stats;

        stats->rx_packets = s.tx_packets;
        stats->rx_bytes = s.tx_bytes;
        stats->rx_dropped = s.tx_dropped;
        stats->tx_packets = s.rx_packets;
        stats->tx_bytes = s.rx_bytes;
        stats->tx_dropped = s.rx_dropped;
    }
    return true;
}

/* ---- hot-plug ------------------------------------------------------ */

/* An engine error as the reply: NoDevice for ids that name nothing. */
static void ctl_return_error(GDBusMethodInvocation *inv, GError *err)
{
    int code = g_error_matches(err, EMU_ERROR, EMU_ERROR_NOT_FOUND)
                   ? CTL_ERROR_NO_DEVICE
                   : CTL_ERROR_FAILED;

    g_dbus_method_invocation_return_error_literal(inv, ctl_error_quark(),
                                                  code, err->message);
}

static void ctl_netdev_add(EmuControl *ctl, GVariant *params,
                           GDBusMethodInvocation *inv)
{
    GDBusMessage *msg = g_dbus_method_invocation_get_message(inv);
    GUnixFDList *list = g_dbus_message_get_unix_fd_list(msg);
    g_autoptr(GVariant) handles = NULL;
    g_autoptr(GError) err = NULL;
    g_autofree char *text = NULL;
    const char *options;
    int fd = -1;

    g_variant_get(params, "(&s@ah)", &options, &handles);
    if (!ctl->m->net) {
        g_dbus_method_invocation_return_error_literal(
            inv, ctl_error_quark(), CTL_ERROR_FAILED,
            "the machine has no network layer");
        return;
    }
    if (g_variant_n_children(handles) > 1) {
        g_dbus_method_invocation_return_error_literal(
            inv, ctl_error_quark(), CTL_ERROR_FAILED,
            "NetdevAdd takes at most one file descriptor");
        return;
    }
    if (g_variant_n_children(handles) == 1) {
        gint32 h;

        g_variant_get_child(handles, 0, "h", &h);
        fd = list ? g_unix_fd_list_get(list, h, &err) : -1;
        if (fd < 0) {
            g_dbus_method_invocation_return_error(
                inv, ctl_error_quark(), CTL_ERROR_FAILED,
                "no file descriptor at index %d", h);
            return;
        }
        if (strstr(options, "fd=")) {
            close(fd);
            g_dbus_method_invocation_return_error_literal(
                inv, ctl_error_quark(), CTL_ERROR_FAILED,
                "fd= is set by the engine when a descriptor is passed");
            return;
        }
        text = g_strdup_printf("%s,fd=%d", options, fd);
    }
    if (!emu_net_netdev_add(ctl->m->net, text ? text : options, &err)) {
        /* a backend that failed did not keep the descriptor */
        if (fd >= 0 && fcntl(fd, F_GETFD) >= 0) {
            close(fd);
        }
        ctl_return_error(inv, err);
        return;
    }
    g_dbus_method_invocation_return_value(inv, NULL);
}

/* The net layer's hot-plug for the other three (no fds). */
static void ctl_hotplug(EmuControl *ctl, const char *method, GVariant *params,
                        GDBusMethodInvocation *inv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *id = NULL;
    const char *arg;
    bool ok;

    g_variant_get(params, "(&s)", &arg);
    if (!ctl->m->net) {
        g_dbus_method_invocation_return_error_literal(
            inv, ctl_error_quark(), CTL_ERROR_FAILED,
            "the machine has no network layer");
        return;
    }
    if (!strcmp(method, "DeviceAdd")) {
        ok = emu_net_device_add(ctl->m->net, arg, &id, &err);
    } else if (!strcmp(method, "DeviceDel")) {
        ok = emu_net_device_del(ctl->m->net, arg, &err);
    } else {
        ok = emu_net_netdev_del(ctl->m->net, arg, &err);
    }
    if (!ok) {
        ctl_return_error(inv, err);
    } else if (id) {
        g_dbus_method_invocation_return_value(inv, g_variant_new("(s)", id));
    } else {
        g_dbus_method_invocation_return_value(inv, NULL);
    }
}

/* m->device_deleted: I/O thread, without the device lock */
static void ctl_device_deleted(void *opaque, const char *id)
{
    ctl_emit(opaque, "DeviceDeleted", g_variant_new("(s)", id));
}

static void ctl_method_call(GDBusConnection *conn, const char *sender,
                            const char *path, const char *iface,
                            const char *method, GVariant *params,
                            GDBusMethodInvocation *inv, gpointer data)
{
    EmuControl *ctl = data;

    if (!strcmp(method, "Pause")) {
        ctl_pause(ctl);
        g_dbus_method_invocation_return_value(inv, NULL);
    } else if (!strcmp(method, "Resume")) {
        ctl_resume(ctl);
        g_dbus_method_invocation_return_value(inv, NULL);
    } else if (!strcmp(method, "Powerdown")) {
        ctl_host_request(ctl, EMU_REQ_POWEROFF, inv);
    } else if (!strcmp(method, "Reset")) {
        ctl_host_request(ctl, EMU_REQ_RESET, inv);
    } else if (!strcmp(method, "Quit")) {
        ctl_host_request(ctl, EMU_REQ_QUIT, inv);
    } else if (!strcmp(method, "HumanMonitorCommand")) {
        const char *line;
        g_autofree char *out = NULL;

        g_variant_get(params, "(&s)", &line);
        out = ctl_hmp(ctl, line);
        g_dbus_method_invocation_return_value(inv,
                                              g_variant_new("(s)", out));
    } else if (!strcmp(method, "NetdevAdd")) {
        ctl_netdev_add(ctl, params, inv);
    } else if (!strcmp(method, "DeviceAdd") ||
               !strcmp(method, "DeviceDel") ||
               !strcmp(method, "NetdevDel")) {
        ctl_hotplug(ctl, method, params, inv);
    } else if (!strcmp(method, "GetSerialPty")) {
        g_autofree char *pty = ctl_serial_pty(ctl);

        g_dbus_method_invocation_return_value(inv,
                                              g_variant_new("(s)", pty));
    } else if (!strcmp(method, "NetStats")) {
        const char *name;
        EmuNetStats s = {0};
        GError *err = NULL;

        g_variant_get(params, "(&s)", &name);
        if (!ctl_net_stats(ctl, name, &s, &err)) {
            g_dbus_method_invocation_take_error(inv, err);
            return;
        }
        g_dbus_method_invocation_return_value(
            inv, g_variant_new("(tttttt)", (guint64)s.rx_bytes,
                               (guint64)s.rx_packets, (guint64)s.rx_dropped,
                               (guint64)s.tx_bytes, (guint64)s.tx_packets,
                               (guint64)s.tx_dropped));
    } else {
        g_dbus_method_invocation_return_error(inv, G_DBUS_ERROR,
                                              G_DBUS_ERROR_UNKNOWN_METHOD,
                                              "unknown method %s", method);
    }
}

static GVariant *ctl_get_property(GDBusConnection *conn, const char *sender,
                                  const char *path, const char *iface,
                                  const char *name, GError **error,
                                  gpointer data)
{
    EmuControl *ctl = data;

    if (!strcmp(name, "State")) {
        return g_variant_new_string(ctl_state_name(ctl));
    }
    if (!strcmp(name, "Pid")) {
        return g_variant_new_uint32((guint32)getpid());
    }
    if (!strcmp(name, "Name")) {
        return g_variant_new_string(ctl->name ? ctl->name : "");
    }
    if (!strcmp(name, "UUID")) {
        return g_variant_new_string(ctl->uuid ? ctl->uuid : "");
    }
    g_set_error(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY,
                "unknown property %s", name);
    return NULL;
}

static const GDBusInterfaceVTable ctl_vtable = {
    .method_call = ctl_method_call,
    .get_property = ctl_get_property,
};

/* ------------------------------------------------------------------ */
/* connections (I/O thread)                                            */

static void ctl_conn_closed(GDBusConnection *conn, gboolean vanished,
                            GError *error, gpointer data)
{
    EmuControl *ctl = data;

    g_signal_handlers_disconnect_by_data(conn, ctl);
    g_mutex_lock(&ctl->lock);
    g_ptr_array_remove(ctl->conns, conn); /* drops our ref */
    g_mutex_unlock(&ctl->lock);
}

static void ctl_conn_ready(GObject *src, GAsyncResult *res, gpointer data)
{
    EmuControl *ctl = data;
    g_autoptr(GError) err = NULL;
    GDBusConnection *conn = g_dbus_connection_new_finish(res, &err);
    guint id;

    if (!conn) {
        fprintf(stderr, "vmkit: control connection refused: %s\n",
                err->message);
        return;
    }
    g_dbus_connection_set_exit_on_close(conn, FALSE);
    id = g_dbus_connection_register_object(conn, CTL_PATH, ctl->iface,
                                           &ctl_vtable, ctl, NULL, &err);
    if (!id) {
        fprintf(stderr, "vmkit: control: %s\n", err->message);
        g_object_unref(conn);
        return;
    }
    g_object_set_data(G_OBJECT(conn), "emu-control-id", GUINT_TO_POINTER(id));
    g_signal_connect(conn, "closed", G_CALLBACK(ctl_conn_closed), ctl);
    g_mutex_lock(&ctl->lock);
    g_ptr_array_add(ctl->conns, conn);
    g_mutex_unlock(&ctl->lock);
    g_dbus_connection_start_message_processing(conn);
}

/* Starts the D-Bus handshake on @sock; the result arrives on the
 * thread-default context (the I/O context). */
static void ctl_serve(EmuControl *ctl, GSocket *sock)
{
    GSocketConnection *sc = g_socket_connection_factory_create_connection(sock);

    g_dbus_connection_new(G_IO_STREAM(sc), ctl->guid,
                          G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                              G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_REQUIRE_SAME_USER |
                              G_DBUS_CONNECTION_FLAGS_DELAY_MESSAGE_PROCESSING,
                          ctl->observer, NULL, ctl_conn_ready, ctl);
    g_object_unref(sc);
}

static gboolean ctl_accept(GSocket *listener, GIOCondition cond, gpointer data)
{
    EmuControl *ctl = data;
    g_autoptr(GError) err = NULL;
    GSocket *sock = g_socket_accept(listener, NULL, &err);

    if (!sock) {
        if (!g_error_matches(err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
            fprintf(stderr, "vmkit: control: accept: %s\n", err->message);
        }
        return G_SOURCE_CONTINUE;
    }
    ctl_serve(ctl, sock);
    g_object_unref(sock);
    return G_SOURCE_CONTINUE;
}

static gboolean ctl_allow_mechanism(GDBusAuthObserver *obs,
                                    const char *mechanism, gpointer data)
{
    return !g_strcmp0(mechanism, "EXTERNAL");
}

/* ------------------------------------------------------------------ */

static bool ctl_listen(EmuControl *ctl, const char *path, GError **error)
{
    g_autoptr(GSocketAddress) addr = NULL;
    struct stat st;

    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
        unlink(path); /* a stale socket of an engine that died */
    }
    ctl->listener = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_DEFAULT, error);
    if (!ctl->listener) {
        return false;
    }
    addr = g_unix_socket_address_new(path);
    if (!g_socket_bind(ctl->listener, addr, FALSE, error) ||
        !g_socket_listen(ctl->listener, error)) {
        return false;
    }
    ctl->path = g_strdup(path);
    if (chmod(path, 0600) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID, "chmod %s: %s", path,
                    g_strerror(errno));
        return false;
    }
    g_socket_set_blocking(ctl->listener, FALSE);
    ctl->accept_src = g_socket_create_source(ctl->listener, G_IO_IN, NULL);
    g_source_set_callback(ctl->accept_src, (GSourceFunc)(void (*)(void))ctl_accept,
                          ctl, NULL);
    g_source_attach(ctl->accept_src, ctl->m->io_ctx);
    return true;
}

static bool ctl_adopt_fd(EmuControl *ctl, const char *spec, GError **error)
{
    char *end;
    long fd;
    GSocket *sock;

    errno = 0;
    fd = strtol(spec, &end, 10);
    if (errno || end == spec || *end || fd < 3 || fd > G_MAXINT) {
        g_set_error_literal(error, EMU_ERROR, EMU_ERROR_INVALID,
                            "expected a file descriptor number (3 or more) "
                            "or unix:PATH");
        return false;
    }
    sock = g_socket_new_from_fd((int)fd, error);
    if (!sock) {
        return false;
    }
    g_main_context_push_thread_default(ctl->m->io_ctx);
    ctl_serve(ctl, sock);
    g_main_context_pop_thread_default(ctl->m->io_ctx);
    g_object_unref(sock);
    return true;
}

EmuControl *emu_control_new(EmuMachine *m, const char *spec,
                            const EmuControlConfig *cfg, GError **error)
{
    EmuControl *ctl = g_new0(EmuControl, 1);
    bool ok;

    (void)ctl_error_quark(); /* error names registered before any reply */
    ctl->m = m;
    ctl->name = g_strdup(cfg ? cfg->name : NULL);
    ctl->uuid = g_strdup(cfg ? cfg->uuid : NULL);
    ctl->no_reboot = cfg && cfg->no_reboot;
    g_mutex_init(&ctl->lock);
    ctl->conns = g_ptr_array_new_with_free_func(g_object_unref);
    atomic_init(&ctl->host_req, EMU_REQ_NONE);
    atomic_init(&ctl->shutting_down, false);
    ctl->guid = g_dbus_generate_guid();
    ctl->node = g_dbus_node_info_new_for_xml(emu_control_introspection_xml,
                                             error);
    if (!ctl->node) {
        emu_control_free(ctl);
        return NULL;
    }
    ctl->iface = g_dbus_node_info_lookup_interface(ctl->node, CTL_IFACE);
    ctl->observer = g_dbus_auth_observer_new();
    g_signal_connect(ctl->observer, "allow-mechanism",
                     G_CALLBACK(ctl_allow_mechanism), NULL);
    ctl->mon = emu_monitor_new(m, NULL, error);
    if (!ctl->mon) {
        emu_control_free(ctl);
        return NULL;
    }
    if (m->net) {
        emu_net_monitor_register(m->net, ctl->mon);
    }
    m->device_deleted = ctl_device_deleted;
    m->device_deleted_opaque = ctl;
    if (g_str_has_prefix(spec, "unix:")) {
        ok = ctl_listen(ctl, spec + 5, error);
    } else {
        ok = ctl_adopt_fd(ctl, spec, error);
    }
    if (!ok) {
        g_prefix_error(error, "-control %s: ", spec);
        emu_control_free(ctl);
        return NULL;
    }
    return ctl;
}

void emu_control_request(EmuControl *ctl, EmuRequest req, int code)
{
    EmuRequest host = atomic_exchange(&ctl->host_req, EMU_REQ_NONE);
    bool guest = host != req;
    const char *reason = NULL;

    switch (req) {
    case EMU_REQ_POWEROFF:
        if (guest) {
            ctl_emit(ctl, "GuestPoweroff", NULL);
        }
        reason = guest ? "guest-poweroff" : "host-poweroff";
        break;
    case EMU_REQ_RESET:
        if (guest) {
            ctl_emit(ctl, "GuestReset", NULL);
        }
        if (ctl->no_reboot) {
            reason = guest ? "guest-reset" : "host-reset";
        }
        break;
    case EMU_REQ_QUIT:
        reason = "quit";
        break;
    case EMU_REQ_FAIL:
        reason = "guest-failure";
        break;
    case EMU_REQ_NONE:
        break;
    }
    if (reason) {
        atomic_store(&ctl->shutting_down, true);
        ctl_emit_state(ctl, "shutdown", reason);
    }
    /* the peer must see this before it sees the connection close */
    g_autoptr(GPtrArray) list = ctl_conns(ctl);
    for (guint i = 0; i < list->len; i++) {
        g_dbus_connection_flush_sync(g_ptr_array_index(list, i), NULL, NULL);
    }
    (void)code;
}

void emu_control_free(EmuControl *ctl)
{
    if (!ctl) {
        return;
    }
    if (ctl->m->device_deleted_opaque == ctl) {
        ctl->m->device_deleted = NULL;
        ctl->m->device_deleted_opaque = NULL;
    }
    if (ctl->accept_src) {
        g_source_destroy(ctl->accept_src);
        g_source_unref(ctl->accept_src);
    }
    if (ctl->listener) {
        g_socket_close(ctl->listener, NULL);
        g_object_unref(ctl->listener);
    }
    if (ctl->path) {
        unlink(ctl->path);
    }
    for (guint i = 0; i < ctl->conns->len; i++) {
        GDBusConnection *conn = g_ptr_array_index(ctl->conns, i);
        guint id = GPOINTER_TO_UINT(
            g_object_get_data(G_OBJECT(conn), "emu-control-id"));

        g_signal_handlers_disconnect_by_data(conn, ctl);
        if (id) {
            g_dbus_connection_unregister_object(conn, id);
        }
        g_dbus_connection_close_sync(conn, NULL, NULL);
    }
    g_ptr_array_unref(ctl->conns);
    if (ctl->mon) {
        emu_monitor_free(ctl->mon);
    }
    g_clear_object(&ctl->observer);
    g_clear_pointer(&ctl->node, g_dbus_node_info_unref);
    g_mutex_clear(&ctl->lock);
    g_free(ctl->guid);
    g_free(ctl->path);
    g_free(ctl->name);
    g_free(ctl->uuid);
    g_free(ctl);
}
