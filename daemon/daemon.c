/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/daemon.c: vmd's domain registry and the operations on it. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "daemon/daemon.h"
#include "daemon/error.h"

/*
 * The registry knows nothing about D-Bus: the bus layer (dbus.c) installs
 * callbacks that turn lifecycle events and property changes into signals.
 * Every function runs in the main thread.
 */

struct _VmdDaemon {
    VmdStore *store;
    GHashTable *by_uuid; /* uuid -> VmdDomainObj, owned */
    GHashTable *by_name; /* name -> VmdDomainObj, borrowed */
    GHashTable *by_path; /* object path -> VmdDomainObj, borrowed */
    VmdDaemonEventFunc event_cb;
    VmdDaemonPropsFunc props_cb;
    VmdDaemonDeviceFunc device_cb;
    gpointer cb_data;
    VmdLifecycle *lifecycle;
};

char *vmd_domain_path_for_uuid(const char *uuid)
{
    char *path = g_strdup_printf(VMD_DBUS_DOMAIN_PATH "/_%s", uuid);

    g_strdelimit(path + strlen(VMD_DBUS_DOMAIN_PATH), "-", '_');
    return path;
}

static void vmd_domain_obj_free(VmdDomainObj *obj)
{
    if (obj == NULL) {
        return;
    }
    vmd_domain_def_free(obj->def);
    g_free(obj->path);
    g_free(obj);
}

VmdDaemon *vmd_daemon_new(VmdStore *store)
{
    VmdDaemon *daemon = g_new0(VmdDaemon, 1);

    daemon->store = store;
    daemon->by_uuid = g_hash_table_new_full(
        g_str_hash, g_str_equal, NULL, (GDestroyNotify)vmd_domain_obj_free);
    daemon->by_name = g_hash_table_new(g_str_hash, g_str_equal);
    daemon->by_path = g_hash_table_new(g_str_hash, g_str_equal);
    return daemon;
}

void vmd_daemon_free(VmdDaemon *daemon)
{
    if (daemon == NULL) {
        return;
    }
    g_hash_table_unref(daemon->by_name);
    g_hash_table_unref(daemon->by_path);
    g_hash_table_unref(daemon->by_uuid);
    vmd_store_free(daemon->store);
    g_free(daemon);
}

void vmd_daemon_set_callbacks(VmdDaemon *daemon, VmdDaemonEventFunc event,
                              VmdDaemonPropsFunc props, gpointer user_data)
{
    daemon->event_cb = event;
    daemon->props_cb = props;
    daemon->cb_data = user_data;
}

static void vmd_daemon_emit(VmdDaemon *daemon, VmdDomainObj *obj,
                            VmdEventType event, int detail)
{
    if (daemon->event_cb != NULL) {
        daemon->event_cb(daemon, obj, event, detail, daemon->cb_data);
    }
}

void vmd_daemon_emit_event(VmdDaemon *daemon, VmdDomainObj *obj,
                           VmdEventType event, int detail)
{
    vmd_daemon_emit(daemon, obj, event, detail);
}

void vmd_daemon_set_device_callback(VmdDaemon *daemon,
                                    VmdDaemonDeviceFunc device)
{
    daemon->device_cb = device;
}

void vmd_daemon_emit_device(VmdDaemon *daemon, VmdDomainObj *obj,
                            gboolean added, const char *alias)
{
    if (daemon->device_cb != NULL) {
        daemon->device_cb(daemon, obj, added, alias, daemon->cb_data);
    }
}

void vmd_daemon_emit_props(VmdDaemon *daemon, VmdDomainObj *obj,
                           const char *const *props)
{
    if (daemon->props_cb != NULL) {
        daemon->props_cb(daemon, obj, props, daemon->cb_data);
    }
}

void vmd_daemon_set_lifecycle(VmdDaemon *daemon, VmdLifecycle *lc)
{
    daemon->lifecycle = lc;
}

VmdLifecycle *vmd_daemon_get_lifecycle(VmdDaemon *daemon)
{
    return daemon->lifecycle;
}

static VmdDomainObj *vmd_daemon_add(VmdDaemon *daemon, VmdDomainDef *def,
                                    gboolean autostart)
{
    VmdDomainObj *obj = g_new0(VmdDomainObj, 1);

    obj->def = def;
    obj->path = vmd_domain_path_for_uuid(def->uuid);
    obj->persistent = TRUE;
    obj->autostart = autostart;
    obj->active = FALSE;
    obj->id = -1;
    obj->state = VMD_STATE_SHUTOFF;
    obj->reason = VMD_SHUTOFF_UNKNOWN;
    g_hash_table_insert(daemon->by_uuid, obj->def->uuid, obj);
    g_hash_table_insert(daemon->by_name, obj->def->name, obj);
    g_hash_table_insert(daemon->by_path, obj->path, obj);
    return obj;
}

guint vmd_daemon_load(VmdDaemon *daemon)
{
    g_autoptr(GPtrArray) entries = vmd_store_load(daemon->store);
    guint n = 0;

    for (guint i = 0; i < entries->len; i++) {
        VmdStoreEntry *e = g_ptr_array_index(entries, i);

        /* the store already refused duplicate names and UUIDs */
        vmd_daemon_add(daemon, g_steal_pointer(&e->def), e->autostart);
        n++;
    }
    return n;
}

VmdDomainObj *vmd_daemon_add_transient(VmdDaemon *daemon, VmdDomainDef *def,
                                       GError **error)
{
    VmdDomainObj *obj;

    if (vmd_daemon_lookup_by_name(daemon, def->name) != NULL ||
        vmd_daemon_lookup_by_uuid(daemon, def->uuid) != NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_EXISTS,
                    _("domain '%s' or UUID %s already exists"), def->name,
                    def->uuid);
        return NULL;
    }
    obj = vmd_daemon_add(daemon, def, FALSE);
    obj->persistent = FALSE;
    return obj;
}

void vmd_daemon_forget(VmdDaemon *daemon, VmdDomainObj *obj)
{
    g_return_if_fail(!obj->persistent && !obj->active && obj->run == NULL);
    g_hash_table_remove(daemon->by_name, obj->def->name);
    g_hash_table_remove(daemon->by_path, obj->path);
    g_hash_table_remove(daemon->by_uuid, obj->def->uuid); /* frees obj */
}

VmdDomainObj *vmd_daemon_define_xml(VmdDaemon *daemon, const char *xml,
                                    GError **error)
{
    g_autoptr(VmdDomainDef) def = NULL;
    VmdDomainObj *by_name, *by_uuid;
    VmdDomainDef *old;

    def = vmd_domain_def_new_from_xml(xml, -1, NULL, error);
    if (def == NULL) {
        return NULL;
    }
    by_name = vmd_daemon_lookup_by_name(daemon, def->name);
    by_uuid = vmd_daemon_lookup_by_uuid(daemon, def->uuid);
    if (by_name != NULL && by_name != by_uuid) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_EXISTS,
                    _("domain '%s' already exists with UUID %s"), def->name,
                    by_name->def->uuid);
        return NULL;
    }
    if (by_uuid != NULL && by_name == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_EXISTS,
                    _("domain '%s' is already defined with UUID %s"),
                    by_uuid->def->name, def->uuid);
        return NULL;
    }
    /* store first: a failed write leaves the registry unchanged */
    if (!vmd_store_save(daemon->store, def, error)) {
        return NULL;
    }
    if (by_uuid == NULL) {
        VmdDomainObj *obj =
            vmd_daemon_add(daemon, g_steal_pointer(&def), FALSE);

        vmd_daemon_emit(daemon, obj, VMD_EVENT_DEFINED,
                        VMD_EVENT_DEFINED_ADDED);
        return obj;
    }
    /*
     * Same name and UUID: the keys into the tables stay equal, but they
     * point into the old definition, so re-key before freeing it.
     * (A running domain keeps its live definition, VmdRun's, until it
     * stops.)
     */
    old = by_uuid->def;
    g_hash_table_steal(daemon->by_uuid, old->uuid);
    g_hash_table_remove(daemon->by_name, old->name);
    by_uuid->def = g_steal_pointer(&def);
    g_hash_table_insert(daemon->by_uuid, by_uuid->def->uuid, by_uuid);
    g_hash_table_insert(daemon->by_name, by_uuid->def->name, by_uuid);
    vmd_domain_def_free(old);
    by_uuid->persistent = TRUE;
    vmd_daemon_emit(daemon, by_uuid, VMD_EVENT_DEFINED,
                    VMD_EVENT_DEFINED_UPDATED);
    return by_uuid;
}

gboolean vmd_daemon_undefine(VmdDaemon *daemon, VmdDomainObj *obj,
                             GError **error)
{
    if (obj->active || obj->run != NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                    _("domain '%s' is running: stop it before undefining "
                      "it"),
                    obj->def->name);
        return FALSE;
    }
    if (!vmd_store_remove(daemon->store, obj->def->name, error)) {
        return FALSE;
    }
    g_hash_table_remove(daemon->by_name, obj->def->name);
    g_hash_table_remove(daemon->by_path, obj->path);
    g_hash_table_steal(daemon->by_uuid, obj->def->uuid);
    obj->persistent = FALSE;
    obj->autostart = FALSE;
    vmd_daemon_emit(daemon, obj, VMD_EVENT_UNDEFINED,
                    VMD_EVENT_UNDEFINED_REMOVED);
    vmd_domain_obj_free(obj);
    return TRUE;
}

gboolean vmd_daemon_set_autostart(VmdDaemon *daemon, VmdDomainObj *obj,
                                  gboolean autostart, GError **error)
{
    static const char *const props[] = {"Autostart", NULL};

    if (!obj->persistent) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                    _("cannot set autostart for the transient domain '%s'"),
                    obj->def->name);
        return FALSE;
    }
    if (obj->autostart == autostart) {
        return TRUE;
    }
    if (!vmd_store_set_autostart(daemon->store, obj->def->name, autostart,
                                 error)) {
        return FALSE;
    }
    obj->autostart = autostart;
    if (daemon->props_cb != NULL) {
        daemon->props_cb(daemon, obj, props, daemon->cb_data);
    }
    return TRUE;
}

VmdDomainObj *vmd_daemon_lookup_by_name(VmdDaemon *daemon, const char *name)
{
    return g_hash_table_lookup(daemon->by_name, name);
}

VmdDomainObj *vmd_daemon_lookup_by_uuid(VmdDaemon *daemon, const char *uuid)
{
    char canonical[37];

    if (!vmd_domain_uuid_normalize(uuid, canonical)) {
        return NULL;
    }
    return g_hash_table_lookup(daemon->by_uuid, canonical);
}

VmdDomainObj *vmd_daemon_lookup_by_path(VmdDaemon *daemon, const char *path)
{
    return g_hash_table_lookup(daemon->by_path, path);
}

/* libvirt's filter: groups are ANDed, bits inside a group ORed. */
static gboolean vmd_list_match(const VmdDomainObj *obj, guint flags)
{
    guint group;

    group = flags & (VMD_LIST_ACTIVE | VMD_LIST_INACTIVE);
    if (group != 0 &&
        !(group & (obj->active ? VMD_LIST_ACTIVE : VMD_LIST_INACTIVE))) {
        return FALSE;
    }
    group = flags & (VMD_LIST_PERSISTENT | VMD_LIST_TRANSIENT);
    if (group != 0 && !(group & (obj->persistent ? VMD_LIST_PERSISTENT
                                                 : VMD_LIST_TRANSIENT))) {
        return FALSE;
    }
    group = flags & (VMD_LIST_RUNNING | VMD_LIST_PAUSED | VMD_LIST_SHUTOFF |
                     VMD_LIST_OTHER);
    if (group != 0) {
        guint bit = obj->state == VMD_STATE_RUNNING   ? VMD_LIST_RUNNING
                    : obj->state == VMD_STATE_PAUSED  ? VMD_LIST_PAUSED
                    : obj->state == VMD_STATE_SHUTOFF ? VMD_LIST_SHUTOFF
                                                      : VMD_LIST_OTHER;
        if (!(group & bit)) {
            return FALSE;
        }
    }
    group = flags & (VMD_LIST_AUTOSTART | VMD_LIST_NO_AUTOSTART);
    if (group != 0 && !(group & (obj->autostart ? VMD_LIST_AUTOSTART
                                                : VMD_LIST_NO_AUTOSTART))) {
        return FALSE;
    }
    /* vmd has no managed save and no snapshots */
    if ((flags & (VMD_LIST_MANAGEDSAVE | VMD_LIST_NO_MANAGEDSAVE)) ==
        VMD_LIST_MANAGEDSAVE) {
        return FALSE;
    }
    if ((flags & (VMD_LIST_HAS_SNAPSHOT | VMD_LIST_NO_SNAPSHOT)) ==
        VMD_LIST_HAS_SNAPSHOT) {
        return FALSE;
    }
    return TRUE;
}

static gint vmd_obj_cmp(gconstpointer a, gconstpointer b)
{
    const VmdDomainObj *oa = *(VmdDomainObj *const *)a;
    const VmdDomainObj *ob = *(VmdDomainObj *const *)b;

    return strcmp(oa->def->name, ob->def->name);
}

GPtrArray *vmd_daemon_list(VmdDaemon *daemon, guint flags, GError **error)
{
    GPtrArray *list;
    GHashTableIter iter;
    gpointer value;

    if (flags & ~VMD_LIST_ALL_FLAGS) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("unsupported flags 0x%x"), flags & ~VMD_LIST_ALL_FLAGS);
        return NULL;
    }
    list = g_ptr_array_new();
    g_hash_table_iter_init(&iter, daemon->by_uuid);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        if (vmd_list_match(value, flags)) {
            g_ptr_array_add(list, value);
        }
    }
    g_ptr_array_sort(list, vmd_obj_cmp);
    return list;
}
