/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/daemon/test-common.h: shared helpers of the daemon tests. */
#pragma once

#include <glib.h>

/* $VMKIT_SRCDIR (set by the harness) or the configure-time source dir */
static inline const char *vmd_test_srcdir(void)
{
    const char *d = g_getenv("VMKIT_SRCDIR");

    return d != NULL && d[0] != '\0' ? d : VMD_TEST_SRCDIR;
}

static inline const char *vmd_test_builddir(void)
{
    const char *d = g_getenv("VMKIT_BUILDDIR");

    return d != NULL && d[0] != '\0' ? d : VMD_TEST_BUILDDIR;
}

/* Point the schema lookup at the source tree: never an installed copy. */
static inline void vmd_test_use_source_schemas(void)
{
    g_autofree char *dir = g_build_filename(vmd_test_srcdir(), "schemas", NULL);

    g_setenv("VMKIT_SCHEMA_DIR", dir, TRUE);
}
