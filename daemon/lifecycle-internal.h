/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/lifecycle-internal.h: what daemon/lifecycle.c shares with
 * daemon/hotplug.c — a running domain's state (VmdRun). */
#pragma once

#include "daemon/engine.h"
#include "daemon/error.h"
#include "daemon/lifecycle.h"
#include "daemon/netdev.h"

G_BEGIN_DECLS

struct _VmdLifecycle {
    VmdDaemon *daemon;
    char *engine;
    char *rundir;
    guint grace_ms;
    guint connect_ms;
    int next_id;
    GHashTable *runs; /* VmdRun * (borrowed: the domain holds the ref) */
    VmdHubs *hubs;    /* daemon-wide hubs: daemon/hub.c */
};

typedef struct {
    VmdLifecycleReply reply;
    gpointer data;
} VmdWaiter;

struct _VmdRun {
    gint ref;
    VmdLifecycle *lc;
    VmdDomainObj *obj; /* NULL once the run is over */
    VmdDomainDef *live;
    char *base; /* RUNDIR/UUID: + .ctl .pid .xml .state .log */
    GPid pid;
    gboolean child;
    gboolean exited;
    int status; /* wait status (children only) */
    guint child_watch;
    guint pid_watch; /* re-attached: pidfd source or poll timer */
    int pidfd;
    VmdEngine *engine;
    GCancellable *cancel;
    goffset log_offset;
    char *pty;
    guint flags; /* start flags */
    GStrv monitor_commands;
    guint next_command;

    /* start in progress: start_reply set */
    VmdLifecycleReply start_reply;
    gpointer start_data;
    GError *start_error;

    /* stopping */
    gboolean destroying;
    gboolean graceful; /* destroy without SIGKILL */
    gboolean shutdown_seen;
    char *shutdown_reason;
    guint kill_timer;
    GSList *stop_waiters; /* VmdWaiter */
    GSList *pending;      /* VmdOp waiting for the re-attach connection */

    VmdNetRun *net; /* hub ports, TAPs (daemon/netdev.c); re-attached:
                     * hub ports only */

    /* live attach/detach (daemon/hotplug.c) */
    gboolean hotplug_busy; /* one device change at a time */
    GSList *unplugs;       /* VmdUnplug: detaches waiting for the guest */
};

VmdRun *vmd_run_ref(VmdRun *run);
void vmd_run_unref(VmdRun *run);

/* Writes RUNDIR/UUID.xml and .state (what a restarted vmd re-attaches
 * from); the live definition after a device change too. */
gboolean vmd_run_save(VmdRun *run, GError **error);

/* The running domain's run, or NULL after replying InvalidState. */
VmdRun *vmd_require_active(VmdDomainObj *obj, VmdLifecycleReply reply,
                           gpointer data);

void vmd_reply_error(VmdLifecycleReply reply, gpointer data, VmdError code,
                     const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* daemon/hotplug.c: "netN" aliases (engine ids) for interfaces without */
void vmd_hotplug_assign_aliases(VmdDomainDef *live);
/* daemon/hotplug.c: the engine's DeviceDeleted(@id) */
void vmd_hotplug_device_deleted(VmdRun *run, const char *id);
/* daemon/hotplug.c: the run is over: detaches still waiting fail */
void vmd_hotplug_run_over(VmdRun *run);

G_END_DECLS
