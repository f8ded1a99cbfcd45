/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/error.h: vmd's GError domain, mapped 1:1 to D-Bus error names. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * VmdError:
 * Error codes of the daemon. Each code is registered as the D-Bus error
 * name org.vmkit.Vmd1.Error.<Name> (see schemas/dbus/org.vmkit.Vmd1.xml).
 */
typedef enum {
    VMD_ERROR_FAILED,           /* org.vmkit.Vmd1.Error.Failed */
    VMD_ERROR_INVALID_XML,      /* org.vmkit.Vmd1.Error.InvalidXML */
    VMD_ERROR_NO_DOMAIN,        /* org.vmkit.Vmd1.Error.NoDomain */
    VMD_ERROR_INVALID_STATE,    /* org.vmkit.Vmd1.Error.InvalidState */
    VMD_ERROR_ACCESS_DENIED,    /* org.vmkit.Vmd1.Error.AccessDenied */
    VMD_ERROR_INVALID_ARGUMENT, /* org.vmkit.Vmd1.Error.InvalidArgument */
    VMD_ERROR_EXISTS,           /* org.vmkit.Vmd1.Error.Exists */
    VMD_ERROR_NO_HUB,           /* org.vmkit.Vmd1.Error.NoHub */
    VMD_ERROR_UNSUPPORTED,      /* org.vmkit.Vmd1.Error.Unsupported */
    VMD_ERROR_TIMEOUT,          /* org.vmkit.Vmd1.Error.Timeout */
} VmdError;

#define VMD_ERROR_N_CODES (VMD_ERROR_TIMEOUT + 1)

#define VMD_ERROR (vmd_error_quark())

/**
 * vmd_error_quark:
 * The quark of the daemon error domain. The first call registers every
 * code with GDBus (g_dbus_error_register_error_domain), so errors returned
 * with g_dbus_method_invocation_return_gerror() carry the D-Bus names.
 * Thread: any.
 */
GQuark vmd_error_quark(void);

/**
 * vmd_error_dbus_name:
 * @code: a #VmdError
 * Returns: the D-Bus error name of @code (static string).
 */
const char *vmd_error_dbus_name(VmdError code);

/**
 * vmd_error_propagate_as:
 * Moves @src into @dest; when @src is not in VMD_ERROR it is converted to
 * @code with the same message (so foreign GErrors never reach D-Bus as
 * unmapped GErrors). Thread: any.
 */
void vmd_error_propagate_as(GError **dest, GError *src, VmdError code);

G_END_DECLS
