/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/dbus.h: vmd's D-Bus objects: registration, dispatch tables, errors. */
#pragma once

#include <gio/gio.h>

#include "daemon/daemon.h"

G_BEGIN_DECLS

#define VMD_DBUS_NAME          "org.vmkit.Vmd1"
#define VMD_DBUS_MANAGER_IFACE "org.vmkit.Vmd1.Manager"
#define VMD_DBUS_DOMAIN_IFACE  "org.vmkit.Vmd1.Domain"
#define VMD_DBUS_HUB_IFACE     "org.vmkit.Vmd1.Hub"

/* schemas/dbus/org.vmkit.Vmd1.xml, compiled in (generated source) */
extern const char vmd_introspection_xml[];

typedef struct _VmdDbus VmdDbus;

/*
 * Handlers are plain functions in tables (libvirt-dbus style): the
 * dispatcher finds the entry, checks write access for entries marked
 * @write, and calls it. @obj is NULL for the manager object. A handler
 * completes @inv (return value or error) before returning.
 */
typedef void (*VmdDbusMethodFunc)(VmdDbus *dbus, VmdDomainObj *obj,
                                  GVariant *params, GDBusMethodInvocation *inv);
typedef struct {
    const char *name;
    VmdDbusMethodFunc func;
    gboolean write; /* changes state: needs a privileged caller */
} VmdDbusMethod;

typedef GVariant *(*VmdDbusGetFunc)(VmdDbus *dbus, VmdDomainObj *obj);
typedef struct {
    const char *name;
    VmdDbusGetFunc get;
} VmdDbusProperty;

/* Tables, NULL-terminated: dbus-manager.c, dbus-domain.c */
extern const VmdDbusMethod vmd_dbus_manager_methods[];
extern const VmdDbusProperty vmd_dbus_manager_properties[];
extern const VmdDbusMethod vmd_dbus_domain_methods[];
extern const VmdDbusProperty vmd_dbus_domain_properties[];

/* Writable properties of org.vmkit.Vmd1.Domain (dbus-domain.c) */
gboolean vmd_dbus_domain_set_property(VmdDbus *dbus, VmdDomainObj *obj,
                                      const char *name, GVariant *value,
                                      GError **error);

/**
 * vmd_dbus_new:
 * Registers /org/vmkit/Vmd1 (Manager) and the domain subtree on @conn and
 * hooks the daemon's events to DomainEvent / PropertiesChanged. Does not
 * own the bus name (the caller does, after this succeeds, so the objects
 * exist when the name appears). Thread: main.
 */
VmdDbus *vmd_dbus_new(GDBusConnection *conn, VmdDaemon *daemon, GError **error);
void vmd_dbus_free(VmdDbus *dbus);

VmdDaemon *vmd_dbus_get_daemon(VmdDbus *dbus);

/**
 * vmd_dbus_return_error:
 * Completes @inv with @error (taken), converted to VMD_ERROR if foreign,
 * so that the caller always sees an org.vmkit.Vmd1.Error.* name.
 */
void vmd_dbus_return_error(GDBusMethodInvocation *inv, GError *error);

/**
 * vmd_dbus_check_write:
 * Returns: TRUE if @sender may change state (root or vmd's own user; any
 * peer-to-peer caller), else FALSE with VMD_ERROR_ACCESS_DENIED.
 */
gboolean vmd_dbus_check_write(VmdDbus *dbus, const char *sender,
                              GError **error);

/**
 * vmd_dbus_check_flags:
 * Returns: TRUE if @flags has no bit outside @allowed; otherwise completes
 * @inv with InvalidArgument and returns FALSE.
 */
gboolean vmd_dbus_check_flags(GDBusMethodInvocation *inv, guint flags,
                              guint allowed);

G_END_DECLS
