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

/* Connection and focus events delivered to a frontend's @event. */
typedef enum {
    EMU_CHR_EVENT_OPENED,    /* backend usable: client connected, pty
                              * slave opened, or stdio/file at attach */
    EMU_CHR_EVENT_CLOSED,    /* client gone / pty slave closed */
    EMU_CHR_EVENT_FOCUS_IN,  /* mux: input now goes to this frontend */
    EMU_CHR_EVENT_FOCUS_OUT, /* mux: input now goes to the other one */
} EmuChardevEvent;

/*
 * Frontend callbacks (a UART, the monitor). can_read returns how many
 * bytes the frontend accepts now; receive delivers at most that many.
 * All callbacks run on the I/O thread, with the machine's device lock
 * held unless @unlocked is set (the monitor sets it: its commands pause
 * the machine, which must not happen under the device lock).
 * Fields after @opaque are optional (zero = default).
 */
typedef struct EmuChardevFrontend {
    size_t (*can_read)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void *opaque;
    bool unlocked;
    void (*event)(void *opaque, EmuChardevEvent event);
} EmuChardevFrontend;

/**
 * emu_chardev_new:
 * @spec: "stdio", "pty", "file:PATH", "null",
 *        "unix:PATH[,server[=on|off]][,wait=on|off|,nowait]" (a server
 *        without wait=off blocks here until a client connects, as QEMU),
 *        "mon:BACKEND", e.g. "mon:stdio" (the backend multiplexed between
 *        the serial frontend and the monitor: Ctrl-A c switches)
 * Returns: a chardev attached to @m's I/O context, or NULL with @error.
 * The pty backend announces itself with the label "serial0".
 * Thread: main thread.
 */
EmuChardev *emu_chardev_new(EmuMachine *m, const char *spec, GError **error);

/**
 * emu_chardev_new_labelled:
 * Same as emu_chardev_new(); @label names the device in host messages
 * ("char device redirected to /dev/pts/3 (label compat_monitor0)").
 * Thread: main thread.
 */
EmuChardev *emu_chardev_new_labelled(EmuMachine *m, const char *spec,
                                     const char *label, GError **error);

/**
 * emu_chardev_set_frontend:
 * Sets (or with NULL clears) the frontend; on a mux chardev this is the
 * serial side. The struct is copied. Synchronous: once it returns, the
 * old frontend gets no more callbacks. The new one gets
 * EMU_CHR_EVENT_OPENED if the backend is connected.
 * Thread: any thread but a hart's, not holding the device lock.
 */
void emu_chardev_set_frontend(EmuChardev *c, const EmuChardevFrontend *fe);

/**
 * emu_chardev_set_monitor_frontend:
 * On a mux chardev ("mon:..."), sets the monitor side (reached with
 * Ctrl-A c); on any other chardev, the same as emu_chardev_set_frontend().
 * Thread: any thread but a hart's, not holding the device lock.
 */
void emu_chardev_set_monitor_frontend(EmuChardev *c,
                                      const EmuChardevFrontend *fe);

/**
 * emu_chardev_is_mux:
 * Returns: whether @c was created with "mon:".
 * Thread: any thread.
 */
bool emu_chardev_is_mux(EmuChardev *c);

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
 * Thread: any thread.
 */
const char *emu_chardev_path(EmuChardev *c);

/**
 * emu_chardev_get_dropped:
 * Returns: output bytes dropped so far (buffer overflow, or no reader on
 * a pty/socket).
 * Thread: any thread.
 */
uint64_t emu_chardev_get_dropped(EmuChardev *c);

/**
 * emu_chardev_free:
 * Flushes what the backend accepts without blocking, restores the tty,
 * closes the backend. The frontends get no callback after it returns.
 * Thread: main thread, while the I/O thread runs its loop or after it
 * has been joined.
 */
void emu_chardev_free(EmuChardev *c);

/**
 * emu_chardev_restore_tty:
 * Puts stdin's terminal back into the mode it had before a stdio chardev
 * switched it to raw mode. Async-signal-safe: call it from SIGTERM/SIGINT
 * handlers before exiting; also registered with atexit().
 * Thread: any thread or signal handler.
 */
void emu_chardev_restore_tty(void);

#endif
