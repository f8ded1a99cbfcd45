/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/store.c: persistent domain definitions, one XML file per domain. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "daemon/error.h"
#include "daemon/store.h"
#include "daemon/xml.h"

struct _VmdStore {
    char *dir;
    char *autostart_dir;
};

void vmd_store_entry_free(VmdStoreEntry *entry)
{
    if (entry == NULL) {
        return;
    }
    vmd_domain_def_free(entry->def);
    g_free(entry);
}

char *vmd_store_default_dir(gboolean session)
{
    if (session) {
        return g_build_filename(g_get_user_config_dir(), "vmkit", "domains",
                                NULL);
    }
    return g_build_filename(LOCALSTATEDIR, "lib", "vmkit", "domains", NULL);
}

static gboolean vmd_store_set_errno(GError **error, int err, const char *what,
                                    const char *path)
{
    g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED, _("cannot %s %s: %s"), what,
                path, g_strerror(err));
    return FALSE;
}

VmdStore *vmd_store_new(const char *dir, GError **error)
{
    VmdStore *store;

    store = g_new0(VmdStore, 1);
    store->dir = g_strdup(dir);
    store->autostart_dir = g_build_filename(dir, "autostart", NULL);
    if (g_mkdir_with_parents(store->autostart_dir, 0700) < 0) {
        vmd_store_set_errno(error, errno, _("create directory"),
                            store->autostart_dir);
        vmd_store_free(store);
        return NULL;
    }
    return store;
}

void vmd_store_free(VmdStore *store)
{
    if (store == NULL) {
        return;
    }
    g_free(store->dir);
    g_free(store->autostart_dir);
    g_free(store);
}

const char *vmd_store_get_dir(VmdStore *store)
{
    return store->dir;
}

static char *vmd_store_path(VmdStore *store, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);

    return g_build_filename(store->dir, file, NULL);
}

static char *vmd_store_autostart_path(VmdStore *store, const char *name)
{
    g_autofree char *file = g_strconcat(name, ".xml", NULL);

    return g_build_filename(store->autostart_dir, file, NULL);
}

static gboolean vmd_write_all(int fd, const char *data, gsize len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return FALSE;
        }
        data += n;
        len -= (gsize)n;
    }
    return TRUE;
}

gboolean vmd_store_write_atomic(const char *path, const char *data, gsize len,
                                GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *base = g_path_get_basename(path);
    g_autofree char *tmp = NULL;
    int fd, dfd, err;

    /* same directory, so rename() cannot cross file systems */
    tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        return vmd_store_set_errno(error, errno, _("create"), tmp);
    }
    if (!vmd_write_all(fd, data, len) || fsync(fd) < 0) {
        err = errno;
        close(fd);
        g_unlink(tmp);
        return vmd_store_set_errno(error, err, _("write"), tmp);
    }
    if (close(fd) < 0) {
        err = errno;
        g_unlink(tmp);
        return vmd_store_set_errno(error, err, _("write"), tmp);
    }
    if (g_rename(tmp, path) < 0) {
        err = errno;
        g_unlink(tmp);
        return vmd_store_set_errno(error, err, _("rename to"), path);
    }
    /* the rename itself is durable only once the directory is synced */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        return vmd_store_set_errno(error, errno, _("open directory"), dir);
    }
    if (fsync(dfd) < 0) {
        err = errno;
        close(dfd);
        return vmd_store_set_errno(error, err, _("sync directory"), dir);
    }
    close(dfd);
    return TRUE;
}

gboolean vmd_store_save(VmdStore *store, const VmdDomainDef *def,
                        GError **error)
{
    g_autofree char *path = vmd_store_path(store, def->name);
    g_autofree char *xml = vmd_domain_def_format(def);

    return vmd_store_write_atomic(path, xml, strlen(xml), error);
}

gboolean vmd_store_remove(VmdStore *store, const char *name, GError **error)
{
    g_autofree char *path = vmd_store_path(store, name);

    if (!vmd_store_set_autostart(store, name, FALSE, error)) {
        return FALSE;
    }
    if (g_unlink(path) < 0 && errno != ENOENT) {
        return vmd_store_set_errno(error, errno, _("remove"), path);
    }
    return TRUE;
}

gboolean vmd_store_set_autostart(VmdStore *store, const char *name,
                                 gboolean autostart, GError **error)
{
    g_autofree char *link = vmd_store_autostart_path(store, name);
    g_autofree char *target = vmd_store_path(store, name);

    if (!autostart) {
        if (g_unlink(link) < 0 && errno != ENOENT) {
            return vmd_store_set_errno(error, errno, _("remove"), link);
        }
        return TRUE;
    }
    if (vmd_store_get_autostart(store, name)) {
        return TRUE;
    }
    g_unlink(link); /* a stale regular file or dangling link */
    if (symlink(target, link) < 0) {
        return vmd_store_set_errno(error, errno, _("create link"), link);
    }
    return TRUE;
}

gboolean vmd_store_get_autostart(VmdStore *store, const char *name)
{
    g_autofree char *link = vmd_store_autostart_path(store, name);

    return g_file_test(link, G_FILE_TEST_IS_SYMLINK);
}

/* Reads a definition file, refusing anything but a bounded regular file. */
static char *vmd_store_read_file(const char *path, gsize *len, GError **error)
{
    GStatBuf st;
    char *data = NULL;
    g_autoptr(GError) err = NULL;

    if (g_lstat(path, &st) < 0) {
        vmd_store_set_errno(error, errno, _("stat"), path);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error_literal(error, VMD_ERROR, VMD_ERROR_FAILED,
                            _("not a regular file"));
        return NULL;
    }
    if (st.st_size > VMD_XML_MAX_SIZE) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("file larger than %d bytes"), VMD_XML_MAX_SIZE);
        return NULL;
    }
    if (!g_file_get_contents(path, &data, len, &err)) {
        vmd_error_propagate_as(error, g_steal_pointer(&err), VMD_ERROR_FAILED);
        return NULL;
    }
    return data;
}

static VmdDomainDef *vmd_store_load_one(VmdStore *store, const char *file,
                                        GHashTable *uuids)
{
    g_autofree char *path = g_build_filename(store->dir, file, NULL);
    g_autofree char *name = g_strndup(file, strlen(file) - strlen(".xml"));
    g_autofree char *data = NULL;
    g_autofree char *canonical = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(VmdDomainDef) def = NULL;
    gsize len = 0;

    data = vmd_store_read_file(path, &len, &err);
    if (data != NULL) {
        def = vmd_domain_def_new_from_xml(data, (gssize)len, NULL, &err);
    }
    if (def == NULL) {
        g_warning(_("skipping domain definition %s: %s"), path, err->message);
        return NULL;
    }
    if (strcmp(def->name, name) != 0) {
        g_warning(_("skipping domain definition %s: it defines the domain "
                    "'%s', not '%s'"),
                  path, def->name, name);
        return NULL;
    }
    if (g_hash_table_contains(uuids, def->uuid)) {
        g_warning(_("skipping domain definition %s: UUID %s is already used "
                    "by the domain '%s'"),
                  path, def->uuid,
                  (const char *)g_hash_table_lookup(uuids, def->uuid));
        return NULL;
    }
    g_hash_table_insert(uuids, g_strdup(def->uuid), g_strdup(def->name));

    /*
     * A hand-written file may lack defaults (UUID, MACs): store what was
     * filled in, or the domain would change identity at every start.
     */
    canonical = vmd_domain_def_format(def);
    if (strcmp(canonical, data) != 0 &&
        !vmd_store_write_atomic(path, canonical, strlen(canonical), &err)) {
        g_warning(_("cannot rewrite %s with defaults filled in: %s"), path,
                  err->message);
    }
    return g_steal_pointer(&def);
}

static gint vmd_store_entry_cmp(gconstpointer a, gconstpointer b)
{
    const VmdStoreEntry *ea = *(VmdStoreEntry *const *)a;
    const VmdStoreEntry *eb = *(VmdStoreEntry *const *)b;

    return strcmp(ea->def->name, eb->def->name);
}

static gint vmd_str_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *vmd_store_load(VmdStore *store)
{
    GPtrArray *entries =
        g_ptr_array_new_with_free_func((GDestroyNotify)vmd_store_entry_free);
    g_autoptr(GHashTable) uuids =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    GDir *dir;
    const char *file;

    dir = g_dir_open(store->dir, 0, &err);
    if (dir == NULL) {
        g_warning(_("cannot read domain directory %s: %s"), store->dir,
                  err->message);
        return entries;
    }
    while ((file = g_dir_read_name(dir)) != NULL) {
        if (file[0] == '.') {
            /* a temporary file left by a crash during an atomic write */
            if (strstr(file, ".xml.") != NULL) {
                g_autofree char *p = g_build_filename(store->dir, file, NULL);
                g_unlink(p);
            }
            continue;
        }
        if (g_str_has_suffix(file, ".xml") && strlen(file) > 4) {
            g_ptr_array_add(files, g_strdup(file));
        }
    }
    g_dir_close(dir);
    /* sorted, so that which of two clashing files wins is predictable */
    g_ptr_array_sort(files, vmd_str_cmp);

    for (guint i = 0; i < files->len; i++) {
        VmdDomainDef *def =
            vmd_store_load_one(store, g_ptr_array_index(files, i), uuids);
        VmdStoreEntry *entry;

        if (def == NULL) {
            continue;
        }
        entry = g_new0(VmdStoreEntry, 1);
        entry->def = def;
        entry->autostart = vmd_store_get_autostart(store, def->name);
        g_ptr_array_add(entries, entry);
    }
    g_ptr_array_sort(entries, vmd_store_entry_cmp);
    return entries;
}
