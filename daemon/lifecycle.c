/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/lifecycle.c: running domains — engine processes, their start and
 * stop, state and events, re-attach after a vmd restart. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "daemon/build.h"
#include "daemon/engine.h"
#include "daemon/error.h"
#include "daemon/lifecycle-internal.h"

/*
 * A start runs in phases, each undone in reverse when a later one fails
 * (libvirt's qemuProcessStart style):
 *   1 prepare   live definition (a copy; a pty serial when none is
 *               defined, so that a console exists), argv, runtime paths
 *   2 spawn     the engine, stdout/stderr to RUNDIR/UUID.log, own session
 *   3 connect   the control socket, retried while the engine starts
 *   4 query     the serial pty; monitor commands from build.c (link down)
 *   5 commit    runtime files for re-attach; active, Id, state, events
 * A failure kills the engine (SIGKILL), waits for it, removes the runtime
 * files, and replies with the error plus the tail of the engine's log.
 *
 * Exit detection: g_child_watch for engines we spawned; for engines
 * re-attached after a restart (not our children) a pidfd, or polling
 * kill(pid, 0) where pidfds are missing. The control connection's end is
 * not used as the exit: a process may outlive its socket briefly.
 */

#define VMD_DEFAULT_GRACE_MS   5000
#define VMD_DEFAULT_CONNECT_MS 10000
#define VMD_REATTACH_MS        5000
#define VMD_PID_POLL_MS        200
#define VMD_LOG_TAIL_BYTES     2048

static const char *const vmd_props_activity[] = {"Active", "Id", "State",
                                                 NULL};
static const char *const vmd_props_state[] = {"State", NULL};

/* ---- small helpers ------------------------------------------------------- */

VmdRun *vmd_run_ref(VmdRun *run)
{
    g_atomic_int_inc(&run->ref);
    return run;
}

void vmd_run_unref(VmdRun *run)
{
    if (!g_atomic_int_dec_and_test(&run->ref)) {
        return;
    }
    g_assert(run->obj == NULL);
    if (run->child_watch != 0) {
        g_source_remove(run->child_watch);
    }
    if (run->pid_watch != 0) {
        g_source_remove(run->pid_watch);
    }
    if (run->pidfd >= 0) {
        close(run->pidfd);
    }
    if (run->kill_timer != 0) {
        g_source_remove(run->kill_timer);
    }
    if (run->child && run->pid > 0) {
        g_spawn_close_pid(run->pid);
    }
    g_clear_pointer(&run->engine, vmd_engine_free);
    vmd_net_run_free(run->net);
    g_clear_object(&run->cancel);
    g_clear_error(&run->start_error);
    vmd_domain_def_free(run->live);
    g_strfreev(run->monitor_commands);
    g_free(run->base);
    g_free(run->pty);
    g_free(run->shutdown_reason);
    g_free(run);
}

static char *vmd_run_file(VmdRun *run, const char *ext)
{
    return g_strconcat(run->base, ext, NULL);
}

static void vmd_run_remove_files(VmdRun *run)
{
    static const char *const exts[] = {".ctl", ".pid", ".xml", ".state"};

    for (gsize i = 0; i < G_N_ELEMENTS(exts); i++) {
        g_autofree char *p = vmd_run_file(run, exts[i]);

        g_unlink(p);
    }
}

/* The engine's output since this run started: the last lines. */
static char *vmd_run_log_tail(VmdRun *run)
{
    g_autofree char *path = vmd_run_file(run, ".log");
    g_autofree char *text = NULL;
    gsize len = 0;
    const char *start;

    if (!g_file_get_contents(path, &text, &len, NULL) ||
        (gsize)run->log_offset >= len) {
        return g_strdup("");
    }
    start = text + run->log_offset;
    if (len - (gsize)run->log_offset > VMD_LOG_TAIL_BYTES) {
        start = text + len - VMD_LOG_TAIL_BYTES;
    }
    return g_strchomp(g_strdup(start));
}

void vmd_reply_error(VmdLifecycleReply reply, gpointer data,
                            VmdError code, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (reply != NULL) {
        reply(NULL, g_error_new_literal(VMD_ERROR, code, msg), data);
    }
}

static void vmd_set_state(VmdLifecycle *lc, VmdDomainObj *obj,
                          VmdDomainState state, int reason)
{
    obj->state = state;
    obj->reason = reason;
}

/* ---- paths and defaults ---------------------------------------------------- */

char *vmd_lifecycle_default_engine(void)
{
    const char *env = g_getenv("VMKIT_ENGINE");

    if (env != NULL && env[0] != '\0') {
        return g_strdup(env);
    }
    return g_build_filename(VMD_BINDIR, "vmkit", NULL);
}

char *vmd_lifecycle_default_runtime_dir(gboolean session)
{
    if (session) {
        return g_build_filename(g_get_user_runtime_dir(), "vmkit", NULL);
    }
    return g_strdup("/run/vmkit");
}

VmdLifecycle *vmd_lifecycle_new(VmdDaemon *daemon,
                                const VmdLifecycleConfig *cfg, GError **error)
{
    VmdLifecycle *lc;

    if (g_mkdir_with_parents(cfg->runtime_dir, 0700) < 0) {
        int err = errno;

        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("cannot create the runtime directory %s: %s"),
                    cfg->runtime_dir, g_strerror(err));
        return NULL;
    }
    lc = g_new0(VmdLifecycle, 1);
    lc->daemon = daemon;
    lc->engine = g_strdup(cfg->engine);
    lc->rundir = g_strdup(cfg->runtime_dir);
    lc->grace_ms =
        cfg->destroy_grace_ms != 0 ? cfg->destroy_grace_ms : VMD_DEFAULT_GRACE_MS;
    lc->connect_ms = cfg->connect_timeout_ms != 0 ? cfg->connect_timeout_ms
                                                  : VMD_DEFAULT_CONNECT_MS;
    lc->next_id = 1;
    lc->runs = g_hash_table_new(NULL, NULL);
    {
        g_autofree char *hubs = g_build_filename(lc->rundir, "hubs", NULL);

        lc->hubs = vmd_hubs_new(hubs);
    }
    vmd_daemon_set_lifecycle(daemon, lc);
    return lc;
}

void vmd_lifecycle_free(VmdLifecycle *lc)
{
    GHashTableIter iter;
    gpointer key;

    if (lc == NULL) {
        return;
    }
    /* vmd exits: the engines keep running and are re-attached later */
    g_hash_table_iter_init(&iter, lc->runs);
    while (g_hash_table_iter_next(&iter, &key, NULL)) {
        VmdRun *run = key;

        g_cancellable_cancel(run->cancel);
        if (run->obj != NULL) {
            run->obj->run = NULL;
            run->obj = NULL;
        }
        g_hash_table_iter_remove(&iter);
        vmd_run_unref(run);
    }
    vmd_daemon_set_lifecycle(lc->daemon, NULL);
    vmd_hubs_unref(lc->hubs);
    g_hash_table_unref(lc->runs);
    g_free(lc->engine);
    g_free(lc->rundir);
    g_free(lc);
}

VmdHubs *vmd_lifecycle_get_hubs(VmdLifecycle *lc)
{
    return lc->hubs;
}

static VmdRun *vmd_run_new(VmdLifecycle *lc, VmdDomainObj *obj,
                           VmdDomainDef *live)
{
    VmdRun *run = g_new0(VmdRun, 1);

    run->ref = 1; /* the domain's */
    run->lc = lc;
    run->obj = obj;
    run->live = live;
    run->base = g_build_filename(lc->rundir, obj->def->uuid, NULL);
    run->pidfd = -1;
    run->cancel = g_cancellable_new();
    obj->run = run;
    g_hash_table_add(lc->runs, run);
    return run;
}

/* The run is over: the domain forgets it (and drops the domain's ref). */
static void vmd_run_detach(VmdRun *run)
{
    vmd_hotplug_run_over(run);
    g_cancellable_cancel(run->cancel);
    if (run->kill_timer != 0) {
        g_source_remove(run->kill_timer);
        run->kill_timer = 0;
    }
    if (run->obj != NULL) {
        run->obj->run = NULL;
        run->obj = NULL;
    }
    /* hub ports and their sockets go, TAPs went with the engine's fds */
    g_clear_pointer(&run->net, vmd_net_run_free);
    g_hash_table_remove(run->lc->runs, run);
    vmd_run_unref(run);
}

/* ---- events from the engine -------------------------------------------------- */

static void vmd_run_paused(VmdRun *run)
{
    VmdDomainObj *obj = run->obj;

    if (obj == NULL || !obj->active || obj->state != VMD_STATE_RUNNING) {
        return;
    }
    vmd_set_state(run->lc, obj, VMD_STATE_PAUSED, VMD_PAUSED_USER);
    vmd_daemon_emit_event(run->lc->daemon, obj, VMD_EVENT_SUSPENDED,
                          VMD_EVENT_SUSPENDED_PAUSED);
    vmd_daemon_emit_props(run->lc->daemon, obj, vmd_props_state);
}

static void vmd_run_resumed(VmdRun *run)
{
    VmdDomainObj *obj = run->obj;

    if (obj == NULL || !obj->active || obj->state != VMD_STATE_PAUSED) {
        return;
    }
    vmd_set_state(run->lc, obj, VMD_STATE_RUNNING, VMD_RUNNING_UNPAUSED);
    vmd_daemon_emit_event(run->lc->daemon, obj, VMD_EVENT_RESUMED,
                          VMD_EVENT_RESUMED_UNPAUSED);
    vmd_daemon_emit_props(run->lc->daemon, obj, vmd_props_state);
}

static void vmd_run_going_down(VmdRun *run, const char *reason)
{
    VmdDomainObj *obj = run->obj;

    run->shutdown_seen = TRUE;
    g_free(run->shutdown_reason);
    run->shutdown_reason = g_strdup(reason);
    if (obj == NULL || !obj->active || run->destroying ||
        obj->state == VMD_STATE_SHUTDOWN) {
        return;
    }
    /* libvirt's qemuProcessHandleShutdown */
    vmd_set_state(run->lc, obj, VMD_STATE_SHUTDOWN, VMD_SHUTDOWN_UNKNOWN);
    vmd_daemon_emit_event(run->lc->daemon, obj, VMD_EVENT_SHUTDOWN,
                          g_str_has_prefix(reason, "guest-")
                              ? VMD_EVENT_SHUTDOWN_GUEST
                              : VMD_EVENT_SHUTDOWN_HOST);
    vmd_daemon_emit_props(run->lc->daemon, obj, vmd_props_state);
}

static void vmd_run_on_signal(VmdEngine *engine, const char *signal,
                              GVariant *params, gpointer data)
{
    VmdRun *run = data;
    const char *state, *reason;

    if (strcmp(signal, "DeviceDeleted") == 0 &&
        g_variant_is_of_type(params, G_VARIANT_TYPE("(s)"))) {
        const char *id;

        g_variant_get(params, "(&s)", &id);
        vmd_hotplug_device_deleted(run, id);
        return;
    }
    if (strcmp(signal, "StateChanged") != 0 ||
        !g_variant_is_of_type(params, G_VARIANT_TYPE("(ss)"))) {
        g_debug("engine %d: %s", (int)run->pid, signal);
        return;
    }
    g_variant_get(params, "(&s&s)", &state, &reason);
    g_debug("engine %d: state %s (%s)", (int)run->pid, state, reason);
    if (strcmp(state, "paused") == 0) {
        vmd_run_paused(run);
    } else if (strcmp(state, "running") == 0) {
        vmd_run_resumed(run);
    } else if (strcmp(state, "shutdown") == 0) {
        vmd_run_going_down(run, reason);
    }
}

static void vmd_run_on_closed(VmdEngine *engine, gpointer data)
{
    VmdRun *run = data;

    g_debug("engine %d: control connection closed", (int)run->pid);
}

/* ---- the end of a run ----------------------------------------------------------- */

static void vmd_start_finish_failure(VmdRun *run);
static void vmd_run_flush_pending(VmdRun *run);

static void vmd_restart_done(GVariant *result, GError *error, gpointer data)
{
    g_autofree char *name = data;

    if (result != NULL) {
        g_variant_unref(g_variant_ref_sink(result));
    }
    if (error != NULL) {
        g_warning(_("cannot restart domain '%s': %s"), name, error->message);
        g_error_free(error);
    }
}

static gboolean vmd_is_action_restart(VmdLifecycleAction a)
{
    return a == VMD_LIFECYCLE_RESTART || a == VMD_LIFECYCLE_RENAME_RESTART ||
           a == VMD_LIFECYCLE_COREDUMP_RESTART;
}

/* The engine process is gone: state, events, waiters, on_* actions. */
static void vmd_run_exited(VmdRun *run)
{
    VmdLifecycle *lc = run->lc;
    VmdDomainObj *obj = run->obj;
    int event, detail, reason;
    gboolean restart = FALSE;
    GSList *waiters;

    run->exited = TRUE;
    if (run->start_reply != NULL) {
        if (run->start_error == NULL) {
            run->start_error = g_error_new_literal(
                VMD_ERROR, VMD_ERROR_FAILED,
                _("the engine exited while the domain was starting"));
        }
        vmd_start_finish_failure(run);
        return;
    }
    if (obj == NULL) {
        return;
    }
    if (run->destroying) {
        event = VMD_EVENT_STOPPED_DESTROYED;
        reason = VMD_SHUTOFF_DESTROYED;
    } else if (run->shutdown_seen) {
        event = VMD_EVENT_STOPPED_SHUTDOWN;
        reason = VMD_SHUTOFF_SHUTDOWN;
        restart = (g_strcmp0(run->shutdown_reason, "guest-poweroff") == 0 ||
                   g_strcmp0(run->shutdown_reason, "host-poweroff") == 0) &&
                  vmd_is_action_restart(run->live->on_poweroff);
    } else {
        /* no "shutdown" from the engine: killed or crashed */
        g_autofree char *tail = vmd_run_log_tail(run);

        event = VMD_EVENT_STOPPED_FAILED;
        reason = VMD_SHUTOFF_CRASHED;
        restart = vmd_is_action_restart(run->live->on_crash);
        g_message(_("domain '%s': the engine (pid %d) ended unexpectedly%s%s"),
                  obj->def->name, (int)run->pid, tail[0] ? ":\n" : "", tail);
    }
    detail = event;
    vmd_run_remove_files(run);
    obj->active = FALSE;
    obj->id = -1;
    vmd_set_state(lc, obj, VMD_STATE_SHUTOFF, reason);
    waiters = g_steal_pointer(&run->stop_waiters);
    vmd_run_ref(run);
    g_clear_pointer(&run->engine, vmd_engine_free);
    vmd_run_flush_pending(run); /* calls that waited for a re-attach */
    vmd_run_detach(run);
    vmd_daemon_emit_event(lc->daemon, obj, VMD_EVENT_STOPPED, detail);
    vmd_daemon_emit_props(lc->daemon, obj, vmd_props_activity);
    for (GSList *l = waiters; l != NULL; l = l->next) {
        VmdWaiter *w = l->data;

        w->reply(NULL, NULL, w->data);
        g_free(w);
    }
    g_slist_free(waiters);
    vmd_run_unref(run);
    if (restart) {
        vmd_lifecycle_start(lc, obj, 0, vmd_restart_done,
                            g_strdup(obj->def->name));
    } else if (!obj->persistent) {
        vmd_daemon_forget(lc->daemon, obj);
    }
}

static void vmd_run_child_exited(GPid pid, gint status, gpointer data)
{
    VmdRun *run = data;

    run->child_watch = 0;
    run->status = status;
    g_debug("engine %d exited (wait status 0x%x)", (int)pid, status);
    vmd_run_exited(run);
}

static gboolean vmd_run_pid_gone(gpointer data)
{
    VmdRun *run = data;

    run->pid_watch = 0;
    vmd_run_exited(run);
    return G_SOURCE_REMOVE;
}

static gboolean vmd_run_pidfd_ready(int fd, GIOCondition cond, gpointer data)
{
    return vmd_run_pid_gone(data);
}

static gboolean vmd_run_pid_poll(gpointer data)
{
    VmdRun *run = data;

    if (kill(run->pid, 0) == 0 || errno != ESRCH) {
        return G_SOURCE_CONTINUE;
    }
    return vmd_run_pid_gone(data);
}

/* Not our child: a pidfd says when it ends (Linux 5.3), else polling. */
static void vmd_run_watch_pid(VmdRun *run)
{
#ifdef SYS_pidfd_open
    run->pidfd = (int)syscall(SYS_pidfd_open, run->pid, 0);
#endif
    if (run->pidfd >= 0) {
        fcntl(run->pidfd, F_SETFD, FD_CLOEXEC);
        run->pid_watch =
            g_unix_fd_add(run->pidfd, G_IO_IN, vmd_run_pidfd_ready, run);
    } else if (errno == ESRCH) {
        run->pid_watch = g_idle_add(vmd_run_pid_gone, run);
    } else {
        run->pid_watch = g_timeout_add(VMD_PID_POLL_MS, vmd_run_pid_poll, run);
    }
}

/* ---- start ---------------------------------------------------------------------- */

static void vmd_start_finish_failure(VmdRun *run)
{
    VmdLifecycle *lc = run->lc;
    VmdDomainObj *obj = run->obj;
    g_autofree char *tail = vmd_run_log_tail(run);
    VmdLifecycleReply reply = run->start_reply;
    gpointer data = run->start_data;
    GError *error = g_steal_pointer(&run->start_error);

    run->start_reply = NULL;
    vmd_run_remove_files(run);
    if (tail[0] != '\0') {
        /* what the engine said is usually the reason (libvirt does this) */
        char *msg = g_strdup_printf("%s: %s", error->message, tail);

        g_free(error->message);
        error->message = msg;
    }
    vmd_run_detach(run); /* may free run */
    if (obj != NULL && !obj->persistent && !obj->active) {
        vmd_daemon_forget(lc->daemon, obj);
    }
    if (reply != NULL) {
        reply(NULL, error, data);
    } else {
        g_error_free(error);
    }
}

/* A phase failed: stop the engine; the rest happens once it is gone. */
static void vmd_start_failed(VmdRun *run, GError *error)
{
    if (run->start_reply == NULL) {
        g_error_free(error);
        return;
    }
    if (run->start_error == NULL) {
        run->start_error = error;
    } else {
        g_error_free(error);
    }
    g_cancellable_cancel(run->cancel);
    if (run->pid > 0 && !run->exited) {
        kill(run->pid, SIGKILL);
        return;
    }
    vmd_start_finish_failure(run);
}

static gboolean vmd_write_file(const char *path, const char *text,
                               GError **error)
{
    return g_file_set_contents_full(path, text, -1,
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                    error);
}

/* What a restarted vmd re-attaches from. */
gboolean vmd_run_save(VmdRun *run, GError **error)
{
    g_autofree char *xml_path = vmd_run_file(run, ".xml");
    g_autofree char *state_path = vmd_run_file(run, ".state");
    g_autofree char *xml = vmd_domain_def_format(run->live);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autofree char *state = NULL;

    g_key_file_set_integer(kf, "domain", "id", run->obj->id);
    g_key_file_set_string(kf, "domain", "name", run->obj->def->name);
    g_key_file_set_integer(kf, "domain", "pid", (int)run->pid);
    if (run->pty != NULL) {
        g_key_file_set_string(kf, "domain", "pty", run->pty);
    }
    state = g_key_file_to_data(kf, NULL, NULL);
    return vmd_write_file(xml_path, xml, error) &&
           vmd_write_file(state_path, state, error);
}

static void vmd_start_commit(VmdRun *run)
{
    VmdLifecycle *lc = run->lc;
    VmdDomainObj *obj = run->obj;
    VmdLifecycleReply reply = run->start_reply;
    gpointer data = run->start_data;
    gboolean paused = (run->flags & 1) != 0; /* VIR_DOMAIN_START_PAUSED */
    GError *error = NULL;

    obj->id = lc->next_id++;
    if (!vmd_run_save(run, &error)) {
        obj->id = -1;
        vmd_start_failed(run, error);
        return;
    }
    run->start_reply = NULL;
    obj->active = TRUE;
    if (paused) {
        vmd_set_state(lc, obj, VMD_STATE_PAUSED, VMD_PAUSED_USER);
    } else {
        vmd_set_state(lc, obj, VMD_STATE_RUNNING, VMD_RUNNING_BOOTED);
    }
    vmd_daemon_emit_event(lc->daemon, obj, VMD_EVENT_STARTED,
                          VMD_EVENT_STARTED_BOOTED);
    if (paused) {
        vmd_daemon_emit_event(lc->daemon, obj, VMD_EVENT_SUSPENDED,
                              VMD_EVENT_SUSPENDED_PAUSED);
    }
    vmd_daemon_emit_props(lc->daemon, obj, vmd_props_activity);
    if (reply != NULL) {
        reply(NULL, NULL, data);
    }
}

static void vmd_start_next_command(VmdRun *run);

static void vmd_start_command_done(GObject *src, GAsyncResult *res,
                                   gpointer data)
{
    VmdRun *run = data;
    GError *error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);

    if (run->start_reply == NULL ||
        g_cancellable_is_cancelled(run->cancel)) {
        g_clear_error(&error);
    } else if (r == NULL) {
        vmd_start_failed(run, error);
    } else {
        const char *out;

        g_variant_get(r, "(&s)", &out);
        if (out[0] != '\0') {
            vmd_start_failed(
                run, g_error_new(VMD_ERROR, VMD_ERROR_FAILED,
                                 _("engine command '%s' failed: %s"),
                                 run->monitor_commands[run->next_command - 1],
                                 out));
        } else {
            vmd_start_next_command(run);
        }
    }
    vmd_run_unref(run);
}

static void vmd_start_next_command(VmdRun *run)
{
    const char *cmd = run->monitor_commands != NULL
                          ? run->monitor_commands[run->next_command]
                          : NULL;

    if (cmd == NULL) {
        vmd_start_commit(run);
        return;
    }
    run->next_command++;
    vmd_engine_call(run->engine, NULL, "HumanMonitorCommand",
                    g_variant_new("(s)", cmd), "(s)", run->cancel,
                    vmd_start_command_done, vmd_run_ref(run));
}

static void vmd_start_got_pty(GObject *src, GAsyncResult *res, gpointer data)
{
    VmdRun *run = data;
    GError *error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);

    if (run->start_reply == NULL ||
        g_cancellable_is_cancelled(run->cancel)) {
        g_clear_error(&error);
    } else if (r == NULL) {
        vmd_start_failed(run, error);
    } else {
        const char *pty;

        g_variant_get(r, "(&s)", &pty);
        if (pty[0] != '\0') {
            run->pty = g_strdup(pty);
            if (run->live->serial != NULL &&
                run->live->serial->type == VMD_CHR_PTY) {
                g_free(run->live->serial->path);
                run->live->serial->path = g_strdup(pty);
            }
        }
        vmd_start_next_command(run);
    }
    vmd_run_unref(run);
}

static void vmd_start_connected(GObject *src, GAsyncResult *res, gpointer data)
{
    VmdRun *run = data;
    GError *error = NULL;
    VmdEngine *engine = vmd_engine_connect_finish(res, &error);

    if (run->start_reply == NULL ||
        g_cancellable_is_cancelled(run->cancel)) {
        g_clear_error(&error);
        g_clear_pointer(&engine, vmd_engine_free);
    } else if (engine == NULL) {
        vmd_start_failed(run, error);
    } else {
        run->engine = engine;
        vmd_engine_set_handlers(engine, vmd_run_on_signal, vmd_run_on_closed,
                                run);
        vmd_engine_call(engine, NULL, "GetSerialPty", NULL, "(s)", run->cancel,
                        vmd_start_got_pty, vmd_run_ref(run));
    }
    vmd_run_unref(run);
}

static void vmd_child_setup(gpointer data)
{
    /* its own session: a terminal's signals to vmd never reach engines */
    setsid();
}

/* Phase 1: live definition and command line. */
static GPtrArray *vmd_start_prepare(VmdRun *run, GError **error)
{
    VmdBuildOptions bo = {.emulator = run->lc->engine, .control_fd = -1};
    g_autoptr(VmdBuildResult) br = NULL;
    g_autofree char *ctl = vmd_run_file(run, ".ctl");
    g_autofree char *pidfile = vmd_run_file(run, ".pid");
    GPtrArray *argv;

    if (strlen(ctl) >= sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("the control socket path %s is too long"), ctl);
        return NULL;
    }
    if (run->live->serial == NULL) {
        /* no serial defined: a pty one, so that the console works */
        run->live->serial = g_new0(VmdChrDef, 1);
        run->live->serial->type = VMD_CHR_PTY;
    }
    /* stable engine ids: a live detach must not rename the others */
    vmd_hotplug_assign_aliases(run->live);
    /* hub ports (listening before the engine connects) and TAPs; TAP
     * names go into the live definition */
    run->net = vmd_netdev_prepare(run->lc->hubs, run->base,
                                  run->obj->def->name, run->obj->def->uuid,
                                  run->live, error);
    if (run->net == NULL) {
        return NULL;
    }
    bo.net_fds = vmd_net_run_fds(run->net, &bo.n_net_fds);
    bo.hub_base = run->base;
    br = vmd_build_command(run->live, &bo, error);
    if (br == NULL) {
        return NULL;
    }
    argv = g_ptr_array_new_with_free_func(g_free);
    for (char **a = br->argv; *a != NULL; a++) {
        g_ptr_array_add(argv, g_strdup(*a));
    }
    g_ptr_array_add(argv, g_strdup("-control"));
    g_ptr_array_add(argv, g_strconcat("unix:", ctl, NULL));
    g_ptr_array_add(argv, g_strdup("-pidfile"));
    g_ptr_array_add(argv, g_strdup(pidfile));
    if (run->flags & 1) {
        g_ptr_array_add(argv, g_strdup("-S"));
    }
    if (run->live->on_reboot == VMD_LIFECYCLE_DESTROY) {
        g_ptr_array_add(argv, g_strdup("-no-reboot"));
    }
    g_ptr_array_add(argv, NULL);
    run->monitor_commands = g_steal_pointer(&br->monitor_commands);
    return argv;
}

/* Phase 2: the process, its output in the log. */
static gboolean vmd_start_spawn(VmdRun *run, GPtrArray *argv, GError **error)
{
    g_autofree char *log = vmd_run_file(run, ".log");
    g_autofree char *cmdline = g_strjoinv(" ", (char **)argv->pdata);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autofree char *stamp = g_date_time_format(now, "%F %T");
    g_autofree char *header = NULL;
    int fd;
    gboolean ok;

    vmd_run_remove_files(run); /* stale files of a crashed run */
    fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        int err = errno;

        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("cannot open the log %s: %s"), log, g_strerror(err));
        return FALSE;
    }
    header = g_strdup_printf("%s: starting domain %s\n%s\n", stamp,
                             run->obj->def->name, cmdline);
    if (write(fd, header, strlen(header)) < 0) {
        /* the log is a courtesy; the start goes on */
    }
    run->log_offset = lseek(fd, 0, SEEK_END);
    {
        /* the interfaces' fds (netdev.c) under the same numbers */
        guint n_net = 0, n_pass = 0;
        const int *net_fds =
            run->net != NULL ? vmd_net_run_fds(run->net, &n_net) : NULL;
        g_autofree int *pass = g_new(int, n_net + 1);

        for (guint i = 0; i < n_net; i++) {
            if (net_fds[i] >= 0) {
                pass[n_pass++] = net_fds[i];
            }
        }
        ok = g_spawn_async_with_pipes_and_fds(
            NULL, (const char *const *)argv->pdata, NULL,
            G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL,
            vmd_child_setup, NULL, -1, fd, fd, pass, pass, n_pass, &run->pid,
            NULL, NULL, NULL, error);
    }
    close(fd);
    if (run->net != NULL) {
        vmd_net_run_spawned(run->net); /* the engine has its copies */
    }
    if (!ok) {
        g_prefix_error(error, _("cannot run the engine %s: "),
                       run->lc->engine);
        return FALSE;
    }
    run->child = TRUE;
    run->child_watch = g_child_watch_add(run->pid, vmd_run_child_exited, run);
    return TRUE;
}

static gboolean vmd_require_inactive(VmdDomainObj *obj,
                                     VmdLifecycleReply reply, gpointer data)
{
    if (obj->run != NULL) {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_STATE,
                        obj->active ? _("domain '%s' is already running")
                                    : _("domain '%s' is being started"),
                        obj->def->name);
        return FALSE;
    }
    return TRUE;
}

/* Starts @obj with @live (taken) as its running definition. */
static void vmd_start_with(VmdLifecycle *lc, VmdDomainObj *obj,
                           VmdDomainDef *live, guint flags,
                           VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_run_new(lc, obj, live);
    g_autoptr(GPtrArray) argv = NULL;
    GError *error = NULL;

    run->flags = flags;
    run->start_reply = reply;
    run->start_data = data;
    argv = vmd_start_prepare(run, &error);
    if (argv == NULL || !vmd_start_spawn(run, argv, &error)) {
        run->exited = TRUE; /* nothing to wait for */
        vmd_start_failed(run, error);
        return;
    }
    g_debug("domain %s: engine pid %d", obj->def->name, (int)run->pid);
    {
        g_autofree char *ctl = vmd_run_file(run, ".ctl");

        vmd_engine_connect_async(ctl, run->pid, lc->connect_ms, run->cancel,
                                 vmd_start_connected, vmd_run_ref(run));
    }
}

void vmd_lifecycle_start(VmdLifecycle *lc, VmdDomainObj *obj, guint flags,
                         VmdLifecycleReply reply, gpointer data)
{
    g_autofree char *xml = NULL;
    VmdDomainDef *live;
    GError *error = NULL;

    if (!vmd_require_inactive(obj, reply, data)) {
        return;
    }
    /* the live definition is a copy: redefining does not touch it */
    xml = vmd_domain_def_format(obj->def);
    live = vmd_domain_def_new_from_xml(xml, -1, NULL, &error);
    if (live == NULL) {
        reply(NULL, error, data);
        return;
    }
    vmd_start_with(lc, obj, live, flags, reply, data);
}

typedef struct {
    VmdLifecycleReply reply;
    gpointer data;
    char *path;
} VmdCreateData;

static void vmd_create_done(GVariant *result, GError *error, gpointer data)
{
    VmdCreateData *cd = data;

    if (error != NULL) {
        cd->reply(NULL, error, cd->data);
    } else {
        cd->reply(g_variant_new("(o)", cd->path), NULL, cd->data);
    }
    g_free(cd->path);
    g_free(cd);
}

void vmd_lifecycle_create_xml(VmdLifecycle *lc, const char *xml, guint flags,
                              VmdLifecycleReply reply, gpointer data)
{
    GError *error = NULL;
    VmdDomainDef *def = vmd_domain_def_new_from_xml(xml, -1, NULL, &error);
    VmdDomainDef *live;
    VmdDomainObj *obj;
    VmdCreateData *cd;

    if (def == NULL) {
        reply(NULL, error, data);
        return;
    }
    obj = vmd_daemon_add_transient(lc->daemon, def, &error);
    if (obj == NULL) {
        vmd_domain_def_free(def);
        reply(NULL, error, data);
        return;
    }
    {
        /* a copy with the same generated defaults (UUID, MACs) */
        g_autofree char *again = vmd_domain_def_format(def);

        live = vmd_domain_def_new_from_xml(again, -1, NULL, &error);
    }
    if (live == NULL) {
        vmd_daemon_forget(lc->daemon, obj);
        reply(NULL, error, data);
        return;
    }
    cd = g_new0(VmdCreateData, 1);
    cd->reply = reply;
    cd->data = data;
    cd->path = g_strdup(obj->path);
    vmd_start_with(lc, obj, live, flags, vmd_create_done, cd);
}

/* ---- operations on a running domain ----------------------------------------------- */

VmdRun *vmd_require_active(VmdDomainObj *obj, VmdLifecycleReply reply,
                                  gpointer data)
{
    if (obj->run == NULL || !obj->active) {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_STATE,
                        obj->run != NULL ? _("domain '%s' is being started")
                                         : _("domain '%s' is not running"),
                        obj->def->name);
        return NULL;
    }
    /* engine NULL: re-attaching; calls wait in run->pending */
    return obj->run;
}

typedef enum {
    VMD_OP_PLAIN,
    VMD_OP_SHUTDOWN,
    VMD_OP_SUSPEND,
    VMD_OP_RESUME,
    VMD_OP_STATS,
    VMD_OP_SET_LINK,
    VMD_OP_HOSTFWD_ADD,
    VMD_OP_HOSTFWD_REMOVE,
} VmdOpKind;

typedef struct {
    VmdRun *run;
    VmdOpKind kind;
    guint net;
    gboolean up;
    VmdLifecycleReply reply;
    gpointer data;
    /* the call, kept while it waits for the connection (re-attach) */
    const char *method;
    GVariant *params;
    const char *reply_type;
} VmdOp;

static void vmd_op_done(GObject *src, GAsyncResult *res, gpointer data)
{
    VmdOp *op = data;
    GError *error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);
    VmdRun *run = op->run;
    GVariant *result = NULL;
    const char *out = "";

    if (r != NULL && g_variant_is_of_type(r, G_VARIANT_TYPE("(s)"))) {
        g_variant_get(r, "(&s)", &out);
    }
    if (r == NULL && op->kind == VMD_OP_SHUTDOWN && run->shutdown_seen) {
        /* it went down before its answer was out: what was asked for */
        g_clear_error(&error);
    } else if (r == NULL) {
        /* the engine went away meanwhile: say so plainly */
        if (run->obj == NULL || run->exited) {
            g_clear_error(&error);
            error = g_error_new_literal(VMD_ERROR, VMD_ERROR_INVALID_STATE,
                                        _("the domain stopped"));
        }
    } else {
        switch (op->kind) {
        case VMD_OP_PLAIN:
        case VMD_OP_SHUTDOWN:
            break;
        case VMD_OP_SUSPEND:
            vmd_run_paused(run); /* if the signal was missed */
            break;
        case VMD_OP_RESUME:
            vmd_run_resumed(run);
            break;
        case VMD_OP_STATS: {
            guint64 rb, rp, rd, tb, tp, td;

            g_variant_get(r, "(tttttt)", &rb, &rp, &rd, &tb, &tp, &td);
            result = g_variant_new("(xxxxxxxx)", (gint64)rb, (gint64)rp,
                                   (gint64)0, (gint64)rd, (gint64)tb,
                                   (gint64)tp, (gint64)0, (gint64)td);
            break;
        }
        case VMD_OP_SET_LINK:
            if (out[0] != '\0') {
                g_autofree char *msg = g_strchomp(g_strdup(out));

                error = g_error_new(VMD_ERROR, VMD_ERROR_FAILED, "%s", msg);
                break;
            }
            if (op->net < run->live->nets->len) {
                VmdNetDef *net = g_ptr_array_index(run->live->nets, op->net);

                net->link = op->up ? VMD_TRISTATE_DEFAULT : VMD_TRISTATE_NO;
            }
            break;
        case VMD_OP_HOSTFWD_ADD:
            if (out[0] != '\0') {
                g_autofree char *msg = g_strchomp(g_strdup(out));

                error = g_error_new(VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                                    "%s", msg);
            }
            break;
        case VMD_OP_HOSTFWD_REMOVE: {
            g_autofree char *msg = g_strchomp(g_strdup(out));

            /* "host forwarding rule for RULE removed|not found" */
            if (!g_str_has_suffix(msg, " removed")) {
                error = g_error_new(VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                                    "%s", msg);
            }
            break;
        }
        }
    }
    op->reply(error != NULL ? NULL : result, error, op->data);
    if (error != NULL && result != NULL) {
        g_variant_unref(g_variant_ref_sink(result));
    }
    vmd_run_unref(op->run);
    g_clear_pointer(&op->params, g_variant_unref);
    g_free(op);
}

static void vmd_op_send(VmdOp *op)
{
    vmd_engine_call(op->run->engine, NULL, op->method,
                    g_steal_pointer(&op->params), op->reply_type, NULL,
                    vmd_op_done, op);
}

/* The re-attach connection is there (or is not going to be). */
static void vmd_run_flush_pending(VmdRun *run)
{
    GSList *ops = g_steal_pointer(&run->pending);

    for (GSList *l = ops; l != NULL; l = l->next) {
        VmdOp *op = l->data;

        if (run->engine != NULL) {
            vmd_op_send(op);
            continue;
        }
        op->reply(NULL,
                  g_error_new_literal(VMD_ERROR, VMD_ERROR_FAILED,
                                      _("no connection to the engine")),
                  op->data);
        vmd_run_unref(op->run);
        g_clear_pointer(&op->params, g_variant_unref);
        g_free(op);
    }
    g_slist_free(ops);
}

static void vmd_op_call(VmdRun *run, VmdOpKind kind, const char *method,
                        GVariant *params, const char *reply_type,
                        VmdLifecycleReply reply, gpointer data, guint net,
                        gboolean up)
{
    VmdOp *op = g_new0(VmdOp, 1);

    op->run = vmd_run_ref(run);
    op->kind = kind;
    op->net = net;
    op->up = up;
    op->reply = reply;
    op->data = data;
    op->method = method;
    op->params = params != NULL ? g_variant_ref_sink(params) : NULL;
    op->reply_type = reply_type;
    if (run->engine == NULL) {
        run->pending = g_slist_append(run->pending, op);
        return;
    }
    vmd_op_send(op);
}

void vmd_lifecycle_shutdown(VmdLifecycle *lc, VmdDomainObj *obj, guint flags,
                            VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);

    if (run != NULL) {
        vmd_op_call(run, VMD_OP_SHUTDOWN, "Powerdown", NULL, NULL, reply, data,
                    0, FALSE);
    }
}

void vmd_lifecycle_reset(VmdLifecycle *lc, VmdDomainObj *obj,
                         VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);

    if (run != NULL) {
        vmd_op_call(run, VMD_OP_PLAIN, "Reset", NULL, NULL, reply, data, 0,
                    FALSE);
    }
}

void vmd_lifecycle_suspend(VmdLifecycle *lc, VmdDomainObj *obj,
                           VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);

    if (run != NULL) {
        vmd_op_call(run, VMD_OP_SUSPEND, "Pause", NULL, NULL, reply, data, 0,
                    FALSE);
    }
}

void vmd_lifecycle_resume(VmdLifecycle *lc, VmdDomainObj *obj,
                          VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);

    if (run != NULL) {
        vmd_op_call(run, VMD_OP_RESUME, "Resume", NULL, NULL, reply, data, 0,
                    FALSE);
    }
}

/* ---- destroy ------------------------------------------------------------------------- */

static void vmd_destroy_fail_waiters(VmdRun *run, const char *msg)
{
    GSList *waiters = g_steal_pointer(&run->stop_waiters);

    for (GSList *l = waiters; l != NULL; l = l->next) {
        VmdWaiter *w = l->data;

        w->reply(NULL, g_error_new_literal(VMD_ERROR, VMD_ERROR_FAILED, msg),
                 w->data);
        g_free(w);
    }
    g_slist_free(waiters);
}

static gboolean vmd_destroy_timeout(gpointer data)
{
    VmdRun *run = data;

    run->kill_timer = 0;
    if (run->graceful) {
        /* GRACEFUL: no SIGKILL; the domain stays as it is */
        g_autofree char *msg = g_strdup_printf(
            _("the engine (pid %d) did not stop after SIGTERM"),
            (int)run->pid);

        run->graceful = FALSE;
        run->destroying = FALSE;
        vmd_destroy_fail_waiters(run, msg);
        return G_SOURCE_REMOVE;
    }
    g_debug("engine %d: SIGKILL", (int)run->pid);
    kill(run->pid, SIGKILL);
    return G_SOURCE_REMOVE;
}

void vmd_lifecycle_destroy(VmdLifecycle *lc, VmdDomainObj *obj, guint flags,
                           VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = obj->run;
    VmdWaiter *w;

    if (run == NULL || !obj->active) {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_STATE,
                        run != NULL ? _("domain '%s' is being started")
                                    : _("domain '%s' is not running"),
                        obj->def->name);
        return;
    }
    w = g_new0(VmdWaiter, 1);
    w->reply = reply;
    w->data = data;
    run->stop_waiters = g_slist_append(run->stop_waiters, w);
    if (run->destroying) {
        return; /* one kill sequence for every caller */
    }
    run->destroying = TRUE;
    run->graceful = (flags & 1) != 0; /* VIR_DOMAIN_DESTROY_GRACEFUL */
    /* the engine quits cleanly on SIGTERM (its pidfile, its socket) */
    kill(run->pid, SIGTERM);
    run->kill_timer = g_timeout_add(lc->grace_ms, vmd_destroy_timeout, run);
}

/* ---- interfaces -------------------------------------------------------------------- */

/* An interface by target dev, MAC address or alias "netN". */
static gboolean vmd_find_net(VmdRun *run, const char *iface, guint *idx,
                             GError **error)
{
    guint8 mac[6];
    gboolean is_mac = vmd_domain_mac_parse(iface, mac);

    for (guint i = 0; i < run->live->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(run->live->nets, i);
        g_autofree char *alias = vmd_build_net_id(net, i);

        if (g_strcmp0(net->target_dev, iface) == 0 ||
            strcmp(alias, iface) == 0 ||
            (is_mac && memcmp(net->mac, mac, 6) == 0)) {
            *idx = i;
            return TRUE;
        }
    }
    g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                _("domain '%s' has no interface '%s'"), run->obj->def->name,
                iface);
    return FALSE;
}

void vmd_lifecycle_interface_stats(VmdLifecycle *lc, VmdDomainObj *obj,
                                   const char *iface, VmdLifecycleReply reply,
                                   gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);
    GError *error = NULL;
    g_autofree char *id = NULL;
    guint i;

    if (run == NULL) {
        return;
    }
    if (!vmd_find_net(run, iface, &i, &error)) {
        reply(NULL, error, data);
        return;
    }
    id = vmd_build_net_id(g_ptr_array_index(run->live->nets, i), i);
    vmd_op_call(run, VMD_OP_STATS, "NetStats", g_variant_new("(s)", id),
                "(tttttt)", reply, data, i, FALSE);
}

void vmd_lifecycle_set_link(VmdLifecycle *lc, VmdDomainObj *obj,
                            const char *iface, gboolean up,
                            VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);
    GError *error = NULL;
    g_autofree char *cmd = NULL;
    guint i;

    if (run == NULL) {
        return;
    }
    if (!vmd_find_net(run, iface, &i, &error)) {
        reply(NULL, error, data);
        return;
    }
    {
        g_autofree char *id =
            vmd_build_net_id(g_ptr_array_index(run->live->nets, i), i);

        cmd = g_strdup_printf("set_link %s %s", id, up ? "on" : "off");
    }
    vmd_op_call(run, VMD_OP_SET_LINK, "HumanMonitorCommand",
                g_variant_new("(s)", cmd), "(s)", reply, data, i, up);
}

void vmd_lifecycle_hostfwd(VmdLifecycle *lc, VmdDomainObj *obj,
                           const char *iface, const char *rule, gboolean add,
                           VmdLifecycleReply reply, gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);
    GError *error = NULL;
    g_autofree char *cmd = NULL;
    const VmdNetDef *net;
    guint i;

    if (run == NULL) {
        return;
    }
    if (!vmd_find_net(run, iface, &i, &error)) {
        reply(NULL, error, data);
        return;
    }
    net = g_ptr_array_index(run->live->nets, i);
    if (net->type != VMD_NET_USER) {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_ARGUMENT,
                        _("interface '%s' is not a user-mode interface"),
                        iface);
        return;
    }
    /* one word for the monitor: no blanks, no control characters */
    for (const char *p = rule; *p != '\0'; p++) {
        if (g_ascii_isspace(*p) || g_ascii_iscntrl(*p)) {
            vmd_reply_error(reply, data, VMD_ERROR_INVALID_ARGUMENT,
                            _("invalid hostfwd rule '%s'"), rule);
            return;
        }
    }
    if (rule[0] == '\0') {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_ARGUMENT,
                        _("empty hostfwd rule"));
        return;
    }
    {
        g_autofree char *id = vmd_build_net_id(net, i);

        cmd = g_strdup_printf("%s %s %s",
                              add ? "hostfwd_add" : "hostfwd_remove", id, rule);
    }
    vmd_op_call(run, add ? VMD_OP_HOSTFWD_ADD : VMD_OP_HOSTFWD_REMOVE,
                "HumanMonitorCommand", g_variant_new("(s)", cmd), "(s)", reply,
                data, i, FALSE);
}

/* ---- console and XML --------------------------------------------------------------- */

int vmd_lifecycle_open_console(VmdLifecycle *lc, VmdDomainObj *obj,
                               const char *dev, guint flags, GError **error)
{
    VmdRun *run = obj->run;
    struct termios tio;
    int fd;

    if (run == NULL || !obj->active) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                    _("domain '%s' is not running"), obj->def->name);
        return -1;
    }
    if (dev[0] != '\0' && strcmp(dev, "serial0") != 0 &&
        strcmp(dev, "console0") != 0) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("domain '%s' has no console '%s'"), obj->def->name, dev);
        return -1;
    }
    if (run->pty == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_UNSUPPORTED,
                    _("the serial port of domain '%s' is not a pty"),
                    obj->def->name);
        return -1;
    }
    fd = open(run->pty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;

        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("cannot open the console %s: %s"), run->pty,
                    g_strerror(err));
        return -1;
    }
    /* raw both ways: no echo back to the guest, no newline mangling */
    if (tcgetattr(fd, &tio) == 0) {
        cfmakeraw(&tio);
        tcsetattr(fd, TCSANOW, &tio);
    }
    return fd;
}

/* Inserts @text after the first occurrence of @after in @s. */
static void vmd_insert_after(GString *s, const char *after, const char *text)
{
    const char *p = strstr(s->str, after);

    if (p != NULL) {
        g_string_insert(s, (p - s->str) + (gssize)strlen(after), text);
    }
}

char *vmd_lifecycle_format_xml(VmdLifecycle *lc, VmdDomainObj *obj,
                               gboolean inactive)
{
    VmdRun *run = obj->run;
    g_autofree char *xml = NULL;
    g_autofree char *id = NULL;
    GString *s;

    if (inactive || run == NULL || !obj->active) {
        return vmd_domain_def_format(obj->def);
    }
    xml = vmd_domain_def_format(run->live);
    s = g_string_new(xml);
    /* libvirt's live-only attributes */
    id = g_strdup_printf(" id='%d'", obj->id);
    vmd_insert_after(s, "<domain type='vmkit'", id);
    if (run->pty != NULL) {
        g_autofree char *esc = g_markup_escape_text(run->pty, -1);
        g_autofree char *tty = g_strdup_printf(" tty='%s'", esc);

        vmd_insert_after(s, "<console type='pty'", tty);
    }
    return g_string_free(s, FALSE);
}

/* ---- re-attach and autostart --------------------------------------------------------- */

/* Whether process @pid runs with the argument @arg (our control socket). */
static gboolean vmd_pid_has_arg(GPid pid, const char *arg)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    g_autofree char *text = NULL;
    gsize len;

    if (!g_file_get_contents(path, &text, &len, NULL)) {
        return FALSE;
    }
    for (gsize off = 0; off < len; off += strlen(text + off) + 1) {
        if (strcmp(text + off, arg) == 0) {
            return TRUE;
        }
    }
    return FALSE;
}

static void vmd_reattach_got_state(GObject *src, GAsyncResult *res,
                                   gpointer data)
{
    VmdRun *run = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);

    if (r != NULL && run->obj != NULL) {
        g_autoptr(GVariant) v = NULL;
        const char *state;

        g_variant_get(r, "(v)", &v);
        state = g_variant_get_string(v, NULL);
        if (strcmp(state, "paused") == 0 &&
            run->obj->state == VMD_STATE_RUNNING) {
            /* what it was all along: no event, as libvirt on reconnect */
            vmd_set_state(run->lc, run->obj, VMD_STATE_PAUSED,
                          VMD_PAUSED_UNKNOWN);
            vmd_daemon_emit_props(run->lc->daemon, run->obj,
                                  vmd_props_state);
        } else if (strcmp(state, "shutdown") == 0) {
            vmd_run_going_down(run, "quit");
        }
    }
    vmd_run_unref(run);
}

static void vmd_reattach_got_pty(GObject *src, GAsyncResult *res,
                                 gpointer data)
{
    VmdRun *run = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);

    if (r != NULL && run->obj != NULL) {
        const char *pty;

        g_variant_get(r, "(&s)", &pty);
        g_free(run->pty);
        run->pty = pty[0] != '\0' ? g_strdup(pty) : NULL;
        if (run->live->serial != NULL &&
            run->live->serial->type == VMD_CHR_PTY) {
            g_free(run->live->serial->path);
            run->live->serial->path = g_strdup(run->pty);
        }
    }
    vmd_run_unref(run);
}

static void vmd_reattach_connected(GObject *src, GAsyncResult *res,
                                   gpointer data)
{
    VmdRun *run = data;
    GError *error = NULL;
    VmdEngine *engine = vmd_engine_connect_finish(res, &error);

    if (run->obj == NULL || g_cancellable_is_cancelled(run->cancel)) {
        g_clear_error(&error);
        g_clear_pointer(&engine, vmd_engine_free);
    } else if (engine == NULL) {
        /* alive but unreachable: unmanageable, like libvirt we stop it */
        g_warning(_("domain '%s': cannot re-attach to the engine (pid %d): "
                    "%s; killing it"),
                  run->obj->def->name, (int)run->pid, error->message);
        g_error_free(error);
        kill(run->pid, SIGKILL);
        vmd_run_flush_pending(run);
    } else {
        run->engine = engine;
        vmd_engine_set_handlers(engine, vmd_run_on_signal, vmd_run_on_closed,
                                run);
        vmd_run_flush_pending(run);
        vmd_engine_call(engine, NULL, "GetSerialPty", NULL, "(s)", run->cancel,
                        vmd_reattach_got_pty, vmd_run_ref(run));
        vmd_engine_call(engine, "org.freedesktop.DBus.Properties", "Get",
                        g_variant_new("(ss)", VMD_ENGINE_IFACE, "State"),
                        "(v)", run->cancel, vmd_reattach_got_state,
                        vmd_run_ref(run));
    }
    vmd_run_unref(run);
}

/* UUID.*.hub (build.c's hub paths) left by a vmd that did not exit
 * cleanly, of an engine that is gone */
static void vmd_remove_hub_sockets(VmdLifecycle *lc, const char *uuid)
{
    g_autoptr(GDir) dir = g_dir_open(lc->rundir, 0, NULL);
    g_autofree char *prefix = g_strconcat(uuid, ".", NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
        if (g_str_has_prefix(name, prefix) && g_str_has_suffix(name, ".hub")) {
            g_autofree char *p = g_build_filename(lc->rundir, name, NULL);

            g_unlink(p);
        }
    }
}

static void vmd_reattach_one(VmdLifecycle *lc, const char *uuid)
{
    g_autofree char *base = g_build_filename(lc->rundir, uuid, NULL);
    g_autofree char *state_path = g_strconcat(base, ".state", NULL);
    g_autofree char *pid_path = g_strconcat(base, ".pid", NULL);
    g_autofree char *xml_path = g_strconcat(base, ".xml", NULL);
    g_autofree char *ctl_path = g_strconcat(base, ".ctl", NULL);
    g_autofree char *ctl_arg = g_strconcat("unix:", ctl_path, NULL);
    g_autofree char *pid_text = NULL;
    g_autofree char *xml = NULL;
    g_autoptr(GKeyFile) kf = g_key_file_new();
    g_autoptr(GError) error = NULL;
    VmdDomainDef *live = NULL;
    VmdDomainObj *obj;
    VmdRun *run;
    GPid pid = 0;
    int id;

    if (g_file_get_contents(pid_path, &pid_text, NULL, NULL)) {
        pid = (GPid)g_ascii_strtoll(pid_text, NULL, 10);
    }
    if (pid <= 0 || kill(pid, 0) < 0 || !vmd_pid_has_arg(pid, ctl_arg) ||
        !g_key_file_load_from_file(kf, state_path, G_KEY_FILE_NONE, NULL) ||
        !g_file_get_contents(xml_path, &xml, NULL, NULL) ||
        (live = vmd_domain_def_new_from_xml(xml, -1, NULL, &error)) == NULL) {
        /* the engine ended while vmd was away (or the files are bad) */
        static const char *const exts[] = {".ctl", ".pid", ".xml", ".state"};

        if (error != NULL) {
            g_warning(_("cannot re-attach domain %s: %s"), uuid,
                      error->message);
        }
        for (gsize i = 0; i < G_N_ELEMENTS(exts); i++) {
            g_autofree char *p = g_strconcat(base, exts[i], NULL);

            g_unlink(p);
        }
        vmd_remove_hub_sockets(lc, uuid);
        return;
    }
    id = g_key_file_get_integer(kf, "domain", "id", NULL);
    obj = vmd_daemon_lookup_by_uuid(lc->daemon, uuid);
    if (obj == NULL) {
        /* a transient domain: its definition is the live one */
        VmdDomainDef *def = vmd_domain_def_new_from_xml(xml, -1, NULL, NULL);

        obj = def != NULL ? vmd_daemon_add_transient(lc->daemon, def, &error)
                          : NULL;
        if (obj == NULL) {
            vmd_domain_def_free(def);
            vmd_domain_def_free(live);
            g_warning(_("cannot re-attach domain %s: %s"), uuid,
                      error != NULL ? error->message : "bad definition");
            return;
        }
    }
    if (obj->run != NULL) {
        vmd_domain_def_free(live);
        return;
    }
    run = vmd_run_new(lc, obj, live);
    run->pid = pid;
    run->child = FALSE;
    obj->active = TRUE;
    obj->id = id > 0 ? id : lc->next_id++;
    lc->next_id = MAX(lc->next_id, obj->id + 1);
    vmd_set_state(lc, obj, VMD_STATE_RUNNING, VMD_RUNNING_UNKNOWN);
    /* the parser drops live pty paths: the state file has it */
    run->pty = g_key_file_get_string(kf, "domain", "pty", NULL);
    if (run->pty != NULL && live->serial != NULL &&
        live->serial->type == VMD_CHR_PTY) {
        g_free(live->serial->path);
        live->serial->path = g_strdup(run->pty);
    }
    /* its hub ports listen again: the engine reconnects (reconnect=) */
    run->net = vmd_netdev_rejoin(lc->hubs, base, obj->def->name, uuid, live);
    vmd_run_watch_pid(run);
    vmd_engine_connect_async(ctl_path, pid, VMD_REATTACH_MS, run->cancel,
                             vmd_reattach_connected, vmd_run_ref(run));
    g_debug("re-attaching domain %s (pid %d, id %d)", obj->def->name,
            (int)pid, obj->id);
}

/*
 * UUID.pid without UUID.state: vmd went away in the middle of a start.
 * Nobody will ever manage that engine: stop it (when it is really ours:
 * its command line names our socket).
 */
static void vmd_reap_half_started(VmdLifecycle *lc, const char *pid_name)
{
    g_autofree char *base = NULL;
    g_autofree char *state = NULL;
    g_autofree char *ctl_arg = NULL;
    g_autofree char *pid_path = NULL;
    g_autofree char *text = NULL;
    GPid pid;

    base = g_build_filename(lc->rundir, pid_name, NULL);
    base[strlen(base) - strlen(".pid")] = '\0';
    state = g_strconcat(base, ".state", NULL);
    if (g_file_test(state, G_FILE_TEST_EXISTS)) {
        return;
    }
    pid_path = g_strconcat(base, ".pid", NULL);
    ctl_arg = g_strconcat("unix:", base, ".ctl", NULL);
    if (g_file_get_contents(pid_path, &text, NULL, NULL) &&
        (pid = (GPid)g_ascii_strtoll(text, NULL, 10)) > 0 &&
        vmd_pid_has_arg(pid, ctl_arg)) {
        g_message(_("stopping the engine %d of an interrupted start"),
                  (int)pid);
        kill(pid, SIGKILL);
    }
    g_unlink(pid_path);
}

guint vmd_lifecycle_reattach(VmdLifecycle *lc)
{
    g_autoptr(GDir) dir = g_dir_open(lc->rundir, 0, NULL);
    const char *name;
    guint n = 0;

    if (dir == NULL) {
        return 0;
    }
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *uuid = NULL;
        char canonical[37];

        if (g_str_has_suffix(name, ".pid")) {
            vmd_reap_half_started(lc, name);
            continue;
        }
        if (!g_str_has_suffix(name, ".state")) {
            continue;
        }
        uuid = g_strndup(name, strlen(name) - strlen(".state"));
        if (!vmd_domain_uuid_normalize(uuid, canonical) ||
            strcmp(canonical, uuid) != 0) {
            continue;
        }
        vmd_reattach_one(lc, uuid);
        if (vmd_daemon_lookup_by_uuid(lc->daemon, uuid) != NULL &&
            vmd_daemon_lookup_by_uuid(lc->daemon, uuid)->run != NULL) {
            n++;
        }
    }
    return n;
}

void vmd_lifecycle_autostart(VmdLifecycle *lc)
{
    g_autoptr(GPtrArray) list = vmd_daemon_list(
        lc->daemon, VMD_LIST_AUTOSTART | VMD_LIST_INACTIVE, NULL);

    for (guint i = 0; list != NULL && i < list->len; i++) {
        VmdDomainObj *obj = g_ptr_array_index(list, i);

        if (obj->run == NULL) {
            vmd_lifecycle_start(lc, obj, 0, vmd_restart_done,
                                g_strdup(obj->def->name));
        }
    }
}
