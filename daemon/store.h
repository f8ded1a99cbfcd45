/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/store.h: persistent domain definitions, one XML file per domain. */
#pragma once

#include <glib.h>

#include "daemon/domain.h"

G_BEGIN_DECLS

/*
 * Layout (as libvirt's /etc/libvirt/qemu):
 *   DIR/NAME.xml                    the formatted definition
 *   DIR/autostart/NAME.xml          symlink to DIR/NAME.xml when autostart
 *   DIR/.NAME.xml.XXXXXX            temporary file of an atomic write
 * DIR is $(localstatedir)/lib/vmkit/domains for the system daemon,
 * $XDG_CONFIG_HOME/vmkit/domains for a session daemon, or --state-dir.
 */

typedef struct _VmdStore VmdStore;

typedef struct {
    VmdDomainDef *def;
    gboolean autostart;
} VmdStoreEntry;

void vmd_store_entry_free(VmdStoreEntry *entry);

/**
 * vmd_store_default_dir:
 * Returns: (transfer full): the default domain directory.
 */
char *vmd_store_default_dir(gboolean session);

/**
 * vmd_store_new:
 * Creates @dir and DIR/autostart (mode 0700) when missing.
 * Errors: VMD_ERROR_FAILED. Thread: main.
 */
VmdStore *vmd_store_new(const char *dir, GError **error);
void vmd_store_free(VmdStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdStore, vmd_store_free)

const char *vmd_store_get_dir(VmdStore *store);

/**
 * vmd_store_load:
 * Parses and validates every DIR/NAME.xml. A file that does not parse,
 * does not validate, or whose <name> is not NAME, or whose UUID another
 * file already has, is reported with g_warning() (path and reason) and
 * skipped; the others load. Leftover temporary files are removed.
 * Returns: (transfer full): VmdStoreEntry array, sorted by name.
 */
GPtrArray *vmd_store_load(VmdStore *store);

/**
 * vmd_store_save:
 * Writes DIR/NAME.xml atomically (vmd_store_write_atomic()).
 */
gboolean vmd_store_save(VmdStore *store, const VmdDomainDef *def,
                        GError **error);

/**
 * vmd_store_remove:
 * Deletes DIR/NAME.xml and its autostart link (a missing file is fine).
 */
gboolean vmd_store_remove(VmdStore *store, const char *name, GError **error);

gboolean vmd_store_set_autostart(VmdStore *store, const char *name,
                                 gboolean autostart, GError **error);
gboolean vmd_store_get_autostart(VmdStore *store, const char *name);

/**
 * vmd_store_write_atomic:
 * Temporary file in the same directory, write, fsync, rename over @path,
 * fsync the directory: after a crash @path holds the old or the new
 * content, never a mix. Mode 0600.
 */
gboolean vmd_store_write_atomic(const char *path, const char *data, gsize len,
                                GError **error);

G_END_DECLS
