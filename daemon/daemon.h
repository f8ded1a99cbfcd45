/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/daemon.h: vmd's domain registry and the operations on it. */
#pragma once

#include <glib.h>

#include "daemon/domain.h"
#include "daemon/store.h"

G_BEGIN_DECLS

/* libvirt's virDomainState */
typedef enum {
    VMD_STATE_NOSTATE = 0,
    VMD_STATE_RUNNING = 1,
    VMD_STATE_BLOCKED = 2,
    VMD_STATE_PAUSED = 3,
    VMD_STATE_SHUTDOWN = 4,
    VMD_STATE_SHUTOFF = 5,
    VMD_STATE_CRASHED = 6,
    VMD_STATE_PMSUSPENDED = 7,
} VmdDomainState;

/* libvirt's virDomainRunningReason, virDomainPausedReason */
enum {
    VMD_RUNNING_UNKNOWN = 0,
    VMD_RUNNING_BOOTED = 1,
    VMD_RUNNING_UNPAUSED = 5,
    VMD_PAUSED_UNKNOWN = 0,
    VMD_PAUSED_USER = 1,
    VMD_SHUTDOWN_UNKNOWN = 0, /* virDomainShutdownReason */
};

/* libvirt's virDomainShutoffReason */
typedef enum {
    VMD_SHUTOFF_UNKNOWN = 0,
    VMD_SHUTOFF_SHUTDOWN = 1,
    VMD_SHUTOFF_DESTROYED = 2,
    VMD_SHUTOFF_CRASHED = 3,
    VMD_SHUTOFF_FAILED = 6,
} VmdShutoffReason;

/* libvirt's virDomainEventType and the details vmd emits */
typedef enum {
    VMD_EVENT_DEFINED = 0,
    VMD_EVENT_UNDEFINED = 1,
    VMD_EVENT_STARTED = 2,
    VMD_EVENT_SUSPENDED = 3,
    VMD_EVENT_RESUMED = 4,
    VMD_EVENT_STOPPED = 5,
    VMD_EVENT_SHUTDOWN = 6,
} VmdEventType;

enum {
    VMD_EVENT_DEFINED_ADDED = 0,
    VMD_EVENT_DEFINED_UPDATED = 1,
    VMD_EVENT_UNDEFINED_REMOVED = 0,
    VMD_EVENT_STARTED_BOOTED = 0,
    VMD_EVENT_SUSPENDED_PAUSED = 0,
    VMD_EVENT_RESUMED_UNPAUSED = 0,
    VMD_EVENT_STOPPED_SHUTDOWN = 0,
    VMD_EVENT_STOPPED_DESTROYED = 1,
    VMD_EVENT_STOPPED_CRASHED = 2,
    VMD_EVENT_STOPPED_FAILED = 5,
    VMD_EVENT_SHUTDOWN_FINISHED = 0,
    VMD_EVENT_SHUTDOWN_GUEST = 1,
    VMD_EVENT_SHUTDOWN_HOST = 2,
};

/* libvirt's virConnectListAllDomainsFlags */
typedef enum {
    VMD_LIST_ACTIVE = 1 << 0,
    VMD_LIST_INACTIVE = 1 << 1,
    VMD_LIST_PERSISTENT = 1 << 2,
    VMD_LIST_TRANSIENT = 1 << 3,
    VMD_LIST_RUNNING = 1 << 4,
    VMD_LIST_PAUSED = 1 << 5,
    VMD_LIST_SHUTOFF = 1 << 6,
    VMD_LIST_OTHER = 1 << 7,
    VMD_LIST_MANAGEDSAVE = 1 << 8,
    VMD_LIST_NO_MANAGEDSAVE = 1 << 9,
    VMD_LIST_AUTOSTART = 1 << 10,
    VMD_LIST_NO_AUTOSTART = 1 << 11,
    VMD_LIST_HAS_SNAPSHOT = 1 << 12,
    VMD_LIST_NO_SNAPSHOT = 1 << 13,
} VmdListFlags;

#define VMD_LIST_ALL_FLAGS ((1u << 14) - 1)

typedef struct _VmdRun VmdRun; /* a running engine: daemon/lifecycle.c */
typedef struct _VmdLifecycle VmdLifecycle;

typedef struct {
    VmdDomainDef *def; /* the persistent definition (or the transient one) */
    char *path; /* D-Bus object path */
    gboolean persistent;
    gboolean autostart;
    gboolean active;
    int id; /* -1 when inactive */
    VmdDomainState state;
    int reason;
    VmdRun *run; /* non-NULL from the start of a start until the stop */
} VmdDomainObj;

typedef struct _VmdDaemon VmdDaemon;

/**
 * VmdDaemonEventFunc: a lifecycle event (libvirt codes) happened to @obj.
 * For UNDEFINED, @obj is still valid during the call, freed after.
 */
typedef void (*VmdDaemonEventFunc)(VmdDaemon *daemon, VmdDomainObj *obj,
                                   VmdEventType event, int detail,
                                   gpointer user_data);
/**
 * VmdDaemonPropsFunc: properties of @obj changed (NULL-terminated names
 * of org.vmkit.Vmd1.Domain properties).
 */
typedef void (*VmdDaemonPropsFunc)(VmdDaemon *daemon, VmdDomainObj *obj,
                                   const char *const *props,
                                   gpointer user_data);

/* Object path prefix of domain objects */
#define VMD_DBUS_PATH        "/org/vmkit/Vmd1"
#define VMD_DBUS_DOMAIN_PATH VMD_DBUS_PATH "/domain"

/**
 * vmd_domain_path_for_uuid:
 * Returns: (transfer full): /org/vmkit/Vmd1/domain/_<uuid with '_'>.
 */
char *vmd_domain_path_for_uuid(const char *uuid);

/**
 * vmd_daemon_new: (thread: main, as every function here)
 * Takes ownership of @store.
 */
VmdDaemon *vmd_daemon_new(VmdStore *store);
void vmd_daemon_free(VmdDaemon *daemon);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdDaemon, vmd_daemon_free)

void vmd_daemon_set_callbacks(VmdDaemon *daemon, VmdDaemonEventFunc event,
                              VmdDaemonPropsFunc props, gpointer user_data);

/**
 * VmdDaemonDeviceFunc: a device of running @obj was added (@added) or
 * removed live; @alias is its name in the live XML (libvirt's
 * DeviceAdded / DeviceRemoved domain events).
 */
typedef void (*VmdDaemonDeviceFunc)(VmdDaemon *daemon, VmdDomainObj *obj,
                                    gboolean added, const char *alias,
                                    gpointer user_data);
/** vmd_daemon_set_device_callback: with the user data of the others. */
void vmd_daemon_set_device_callback(VmdDaemon *daemon,
                                    VmdDaemonDeviceFunc device);
void vmd_daemon_emit_device(VmdDaemon *daemon, VmdDomainObj *obj,
                            gboolean added, const char *alias);

/** vmd_daemon_load: loads the store (bad files are skipped with warnings).
 * Returns: the number of domains loaded. */
guint vmd_daemon_load(VmdDaemon *daemon);

/**
 * vmd_daemon_define_xml:
 * Parse, validate, store; add or update the domain (libvirt's rules: same
 * name and UUID updates; same name with another UUID, or same UUID with
 * another name, is VMD_ERROR_EXISTS). Emits DEFINED/ADDED or UPDATED.
 * Returns: (transfer none): the domain.
 */
VmdDomainObj *vmd_daemon_define_xml(VmdDaemon *daemon, const char *xml,
                                    GError **error);

/**
 * vmd_daemon_undefine:
 * Removes a persistent, inactive domain (VMD_ERROR_INVALID_STATE while
 * active). Emits UNDEFINED/REMOVED; @obj is freed on success.
 */
gboolean vmd_daemon_undefine(VmdDaemon *daemon, VmdDomainObj *obj,
                             GError **error);

gboolean vmd_daemon_set_autostart(VmdDaemon *daemon, VmdDomainObj *obj,
                                  gboolean autostart, GError **error);

/**
 * vmd_daemon_add_transient:
 * Adds a domain that is not stored (DomainCreateXML), without an event;
 * VMD_ERROR_EXISTS when the name or UUID is taken. Takes @def on success.
 * Returns: (transfer none): the domain.
 */
VmdDomainObj *vmd_daemon_add_transient(VmdDaemon *daemon, VmdDomainDef *def,
                                       GError **error);

/**
 * vmd_daemon_forget:
 * Removes an inactive transient domain (no event: its STOPPED event is
 * the last one); @obj is freed.
 */
void vmd_daemon_forget(VmdDaemon *daemon, VmdDomainObj *obj);

/**
 * vmd_daemon_emit_event / vmd_daemon_emit_props:
 * Tells the bus layer about a lifecycle event / changed properties
 * (NULL-terminated names).
 */
void vmd_daemon_emit_event(VmdDaemon *daemon, VmdDomainObj *obj,
                           VmdEventType event, int detail);
void vmd_daemon_emit_props(VmdDaemon *daemon, VmdDomainObj *obj,
                           const char *const *props);

/**
 * vmd_daemon_set_lifecycle / vmd_daemon_get_lifecycle:
 * The running side of the daemon (not owned by the registry).
 */
void vmd_daemon_set_lifecycle(VmdDaemon *daemon, VmdLifecycle *lc);
VmdLifecycle *vmd_daemon_get_lifecycle(VmdDaemon *daemon);

VmdDomainObj *vmd_daemon_lookup_by_name(VmdDaemon *daemon, const char *name);
VmdDomainObj *vmd_daemon_lookup_by_uuid(VmdDaemon *daemon, const char *uuid);
VmdDomainObj *vmd_daemon_lookup_by_path(VmdDaemon *daemon, const char *path);

/**
 * vmd_daemon_list:
 * @flags: VmdListFlags; unknown bits are VMD_ERROR_INVALID_ARGUMENT.
 * Returns: (transfer container): VmdDomainObj array sorted by name.
 */
GPtrArray *vmd_daemon_list(VmdDaemon *daemon, guint flags, GError **error);

G_END_DECLS
