/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/lifecycle.h: running domains — engine processes, their start and
 * stop, state and events, re-attach after a vmd restart. */
#pragma once

#include <gio/gio.h>

#include "daemon/daemon.h"

G_BEGIN_DECLS

/*
 * Each active domain is one `vmkit` process (DESIGN.md §4), spawned with
 * the argv of daemon/build.c plus `-control unix:RUNDIR/UUID.ctl` and
 * `-pidfile RUNDIR/UUID.pid`; its output goes to RUNDIR/UUID.log, its live
 * definition to RUNDIR/UUID.xml and its id to RUNDIR/UUID.state, which is
 * what a restarted vmd re-attaches from. Every operation is asynchronous:
 * @reply runs in the main thread once the engine answered (or at once for
 * errors found before asking it); the bus stays responsive while engines
 * start and stop.
 *
 * State and events (libvirt's codes, daemon.h):
 *   start            STARTED/BOOTED; RUNNING/BOOTED
 *                    (START_PAUSED: then SUSPENDED/PAUSED; PAUSED/USER)
 *   suspend/resume   SUSPENDED/PAUSED, PAUSED/USER;
 *                    RESUMED/UNPAUSED, RUNNING/UNPAUSED
 *   engine says it is going down (guest poweroff, Shutdown, quit):
 *                    SHUTDOWN/GUEST or SHUTDOWN/HOST; SHUTDOWN/UNKNOWN
 *   engine exited after that    STOPPED/SHUTDOWN; SHUTOFF/SHUTDOWN
 *   destroy          STOPPED/DESTROYED; SHUTOFF/DESTROYED
 *   engine exited without a word (killed, crashed)
 *                    STOPPED/FAILED; SHUTOFF/CRASHED (libvirt's "monitor
 *                    closed without SHUTDOWN event")
 * Then on_poweroff=restart (after a power-off) and on_crash=restart
 * (after an engine crash) start the domain again; on_reboot=destroy
 * passes -no-reboot, so a guest reboot ends the domain like a power-off.
 */

typedef struct {
    const char *engine;          /* the vmkit program */
    const char *runtime_dir;     /* created 0700 if missing */
    guint destroy_grace_ms;      /* SIGTERM .. SIGKILL; 0: 5000 */
    guint connect_timeout_ms;    /* engine start; 0: 10000 */
} VmdLifecycleConfig;

/**
 * VmdLifecycleReply:
 * @result: (nullable): floating reply tuple, or NULL for "()"
 * @error: (nullable) (transfer full): the failure
 */
typedef void (*VmdLifecycleReply)(GVariant *result, GError *error,
                                  gpointer user_data);

/**
 * vmd_lifecycle_default_engine:
 * Returns: (transfer full): $VMKIT_ENGINE, else $(bindir)/vmkit.
 */
char *vmd_lifecycle_default_engine(void);

/**
 * vmd_lifecycle_default_runtime_dir:
 * Returns: (transfer full): $XDG_RUNTIME_DIR/vmkit for a session daemon,
 * /run/vmkit for the system one.
 */
char *vmd_lifecycle_default_runtime_dir(gboolean session);

/** vmd_lifecycle_new: Thread: main, as every function here. */
VmdLifecycle *vmd_lifecycle_new(VmdDaemon *daemon,
                                const VmdLifecycleConfig *cfg, GError **error);
/** vmd_lifecycle_free: forgets the engines; they keep running. */
void vmd_lifecycle_free(VmdLifecycle *lc);

/**
 * vmd_lifecycle_reattach:
 * Finds engines left running by a previous vmd (RUNDIR/UUID.state with a
 * live process whose command line names our control socket), marks their
 * domains active at once and connects to them. Dead ones are cleaned up.
 * Returns: the number of domains re-attached.
 */
guint vmd_lifecycle_reattach(VmdLifecycle *lc);

/** vmd_lifecycle_autostart: starts inactive domains marked autostart. */
void vmd_lifecycle_autostart(VmdLifecycle *lc);

/* Domain operations. VMD_ERROR_INVALID_STATE when the state forbids. */
void vmd_lifecycle_start(VmdLifecycle *lc, VmdDomainObj *obj, guint flags,
                         VmdLifecycleReply reply, gpointer user_data);
/* DomainCreateXML: a transient domain; result "(o)" */
void vmd_lifecycle_create_xml(VmdLifecycle *lc, const char *xml, guint flags,
                              VmdLifecycleReply reply, gpointer user_data);
void vmd_lifecycle_shutdown(VmdLifecycle *lc, VmdDomainObj *obj, guint flags,
                            VmdLifecycleReply reply, gpointer user_data);
/* replies once the engine has exited */
void vmd_lifecycle_destroy(VmdLifecycle *lc, VmdDomainObj *obj, guint flags,
                           VmdLifecycleReply reply, gpointer user_data);
void vmd_lifecycle_reset(VmdLifecycle *lc, VmdDomainObj *obj,
                         VmdLifecycleReply reply, gpointer user_data);
void vmd_lifecycle_suspend(VmdLifecycle *lc, VmdDomainObj *obj,
                           VmdLifecycleReply reply, gpointer user_data);
void vmd_lifecycle_resume(VmdLifecycle *lc, VmdDomainObj *obj,
                          VmdLifecycleReply reply, gpointer user_data);
/* result "(xxxxxxxx)": virDomainInterfaceStats order */
void vmd_lifecycle_interface_stats(VmdLifecycle *lc, VmdDomainObj *obj,
                                   const char *iface, VmdLifecycleReply reply,
                                   gpointer user_data);
void vmd_lifecycle_set_link(VmdLifecycle *lc, VmdDomainObj *obj,
                            const char *iface, gboolean up,
                            VmdLifecycleReply reply, gpointer user_data);
void vmd_lifecycle_hostfwd(VmdLifecycle *lc, VmdDomainObj *obj,
                           const char *iface, const char *rule, gboolean add,
                           VmdLifecycleReply reply, gpointer user_data);

/**
 * vmd_lifecycle_attach_net:
 * @net: (transfer full): from vmd_domain_net_def_new_from_xml()
 * Hot-plugs @net into a free pcie-root-port of running @obj (daemon/
 * hotplug.c): host side, Engine1 NetdevAdd + DeviceAdd, live definition
 * saved, DeviceAdded. Errors: InvalidState, InvalidArgument (MAC in use),
 * InvalidXML, Unsupported (bus 0 / virtio-mmio address), NoHub, Failed
 * (no free port; the engine's message), all with nothing changed.
 */
void vmd_lifecycle_attach_net(VmdLifecycle *lc, VmdDomainObj *obj,
                              VmdNetDef *net, VmdLifecycleReply reply,
                              gpointer user_data);

/**
 * vmd_lifecycle_detach_net:
 * Asks the guest to release the interface matching @match (as
 * vmd_domain_def_find_net()) and replies once it did (DeviceRemoved), or
 * with Timeout after 8 s (the removal completes later). Errors:
 * InvalidArgument (no such interface), Unsupported (not behind a
 * hot-plug port), InvalidState, Failed.
 */
void vmd_lifecycle_detach_net(VmdLifecycle *lc, VmdDomainObj *obj,
                              const VmdNetDef *match, VmdLifecycleReply reply,
                              gpointer user_data);

/**
 * vmd_lifecycle_open_console:
 * Opens the serial pty of a running domain (@dev "", "serial0" or
 * "console0"). Returns: a new fd (O_CLOEXEC), or -1 with @error.
 */
int vmd_lifecycle_open_console(VmdLifecycle *lc, VmdDomainObj *obj,
                               const char *dev, guint flags, GError **error);

/**
 * vmd_lifecycle_format_xml:
 * The definition the domain runs with, plus live data (id attribute, pty
 * paths) when active and @inactive is FALSE; otherwise the persistent one.
 */
char *vmd_lifecycle_format_xml(VmdLifecycle *lc, VmdDomainObj *obj,
                               gboolean inactive);

G_END_DECLS
