/* SPDX-License-Identifier: GPL-2.0-or-later */
/* chardev.h: character backends (stdio, pty, file, unix socket) for the
 * serial port and the monitor, run on the I/O thread. */
#ifndef EMU_CHARDEV_H
#define EMU_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

typedef struct EmuMachine EmuMachine;
typedef struct EmuChardev EmuChardev;

/*
 * Frontend callbacks (a UART, the monitor). can_read returns how many
 * bytes the frontend accepts now; receive delivers at most that many.
 * Both run on the I/O thread; the chardev takes the machine's device lock
 * around them when it was created with @locked.
 */
typedef struct EmuChardevFrontend {
    size_t (*can_read)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
} EmuChardevFrontend;

/**
 * emu_chardev_new:
 * @spec: "stdio", "pty", "file:PATH", "unix:PATH[,server][,nowait]", "null",
 *        "mon:stdio" (stdio multiplexed with the monitor via Ctrl-A c)
 * Returns: a chardev attached to @m's I/O context, or NULL with @error.
 * Thread: main thread.
 */
EmuChardev *emu_chardev_new(EmuMachine *m, const char *spec, GError **error);

/**
 * emu_chardev_set_frontend:
 * Thread: main thread before running, or the I/O thread.
 */
void emu_chardev_set_frontend(EmuChardev *c, const EmuChardevFrontend *fe);

/**
 * emu_chardev_write:
 * Queues bytes for output (bounded buffer; when full, the oldest output
 * is dropped for pty/socket with no reader, never blocking a hart).
 * Thread: any thread.
 */
void emu_chardev_write(EmuChardev *c, const uint8_t *buf, size_t len);

/**
 * emu_chardev_accept_input:
 * The frontend calls this when can_read() may have grown (e.g. the guest
 * drained the UART FIFO), so held-back input is delivered.
 * Thread: any thread.
 */
void emu_chardev_accept_input(EmuChardev *c);

/**
 * emu_chardev_path:
 * Returns: the pty path or socket path, or NULL.
 */
const char *emu_chardev_path(EmuChardev *c);

void emu_chardev_free(EmuChardev *c);

#endif
