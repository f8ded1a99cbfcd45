/* SPDX-License-Identifier: GPL-2.0-or-later */
/* error.c: the engine's GError domain. */
#include "config.h"

#include "emu-error.h"

G_DEFINE_QUARK(emu-error-quark, emu_error)
