/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guest-log.h: rate-limited log of guest programming errors for devices. */
#ifndef EMU_HW_GUEST_LOG_H
#define EMU_HW_GUEST_LOG_H

#include <inttypes.h>
#include <stdint.h>
#include <glib.h>

/*
 * A guest can hit a device error path millions of times a second; the log
 * must never slow it down nor flood the host. Each device owns one
 * EmuGuestLog: at most EMU_GUEST_LOG_BURST messages per minute, then one
 * "suppressed" note when the window reopens.
 */
#define EMU_GUEST_LOG_BURST 10

typedef struct EmuGuestLog {
    int64_t window_start_us; /* monotonic */
    unsigned printed;
    unsigned suppressed;
} EmuGuestLog;

/**
 * emu_guest_error:
 * @log: the device's limiter state
 * @dev: device name, prefixed to the message
 *
 * Logs a guest error (GLib message level, domain "vmkit-guest").
 * Thread: any thread; the caller serialises access to @log (the device
 * lock for devices).
 */
void emu_guest_error(EmuGuestLog *log, const char *dev, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

#endif
