/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guest-log.c: rate-limited log of guest programming errors for devices. */
#include "config.h"

#include "engine/hw/guest-log.h"

#define WINDOW_US (60 * G_USEC_PER_SEC)

void emu_guest_error(EmuGuestLog *log, const char *dev, const char *fmt, ...)
{
    int64_t now = g_get_monotonic_time();
    g_autofree char *msg = NULL;
    va_list ap;

    if (log->window_start_us == 0 || now - log->window_start_us >= WINDOW_US) {
        if (log->suppressed) {
            g_log("vmkit-guest", G_LOG_LEVEL_MESSAGE,
                  "%s: %u more guest errors suppressed", dev, log->suppressed);
        }
        log->window_start_us = now;
        log->printed = 0;
        log->suppressed = 0;
    }
    if (log->printed >= EMU_GUEST_LOG_BURST) {
        log->suppressed++;
        return;
    }
    log->printed++;
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_log("vmkit-guest", G_LOG_LEVEL_MESSAGE, "%s: guest error: %s", dev, msg);
}
