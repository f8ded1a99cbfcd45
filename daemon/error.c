/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/error.c: the VMD_ERROR domain and its D-Bus error names. */
#include "config.h"

#include <gio/gio.h>

#include "daemon/error.h"

static const GDBusErrorEntry vmd_error_entries[] = {
    {VMD_ERROR_FAILED, "org.vmkit.Vmd1.Error.Failed"},
    {VMD_ERROR_INVALID_XML, "org.vmkit.Vmd1.Error.InvalidXML"},
    {VMD_ERROR_NO_DOMAIN, "org.vmkit.Vmd1.Error.NoDomain"},
    {VMD_ERROR_INVALID_STATE, "org.vmkit.Vmd1.Error.InvalidState"},
    {VMD_ERROR_ACCESS_DENIED, "org.vmkit.Vmd1.Error.AccessDenied"},
    {VMD_ERROR_INVALID_ARGUMENT, "org.vmkit.Vmd1.Error.InvalidArgument"},
    {VMD_ERROR_EXISTS, "org.vmkit.Vmd1.Error.Exists"},
    {VMD_ERROR_NO_HUB, "org.vmkit.Vmd1.Error.NoHub"},
    {VMD_ERROR_TIMEOUT, "org.vmkit.Vmd1.Error.Timeout"},
    {VMD_ERROR_UNSUPPORTED, "org.vmkit.Vmd1.Error.Unsupported"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(vmd_error_entries) == VMD_ERROR_N_CODES);

GQuark vmd_error_quark(void)
{
    static gsize quark;

    g_dbus_error_register_error_domain("vmd-error-quark", &quark,
                                       vmd_error_entries,
                                       G_N_ELEMENTS(vmd_error_entries));
    return (GQuark)quark;
}

const char *vmd_error_dbus_name(VmdError code)
{
    if ((unsigned)code >= G_N_ELEMENTS(vmd_error_entries)) {
        code = VMD_ERROR_FAILED;
    }
    return vmd_error_entries[code].dbus_error_name;
}

void vmd_error_propagate_as(GError **dest, GError *src, VmdError code)
{
    if (src == NULL) {
        return;
    }
    if (src->domain != VMD_ERROR) {
        GError *conv = g_error_new_literal(VMD_ERROR, code, src->message);
        g_error_free(src);
        src = conv;
    }
    g_propagate_error(dest, src);
}
