/* SPDX-License-Identifier: GPL-2.0-or-later */
/* emu-error.h: the engine's GError domain and codes. */
#ifndef EMU_ERROR_H
#define EMU_ERROR_H

#include <glib.h>

G_BEGIN_DECLS

#define EMU_ERROR (emu_error_quark())

typedef enum {
    EMU_ERROR_FAILED,   /* generic failure */
    EMU_ERROR_INVALID,  /* malformed option or argument */
    EMU_ERROR_NOT_FOUND,/* missing file, unknown id */
    EMU_ERROR_EXISTS,   /* duplicate id, overlapping region */
    EMU_ERROR_TOO_BIG,  /* image does not fit, -m too large */
    EMU_ERROR_IO,       /* host I/O failure */
    EMU_ERROR_UNSUPPORTED,
} EmuErrorCode;

/**
 * emu_error_quark:
 *
 * Thread: any thread.
 */
GQuark emu_error_quark(void);

G_END_DECLS

#endif
