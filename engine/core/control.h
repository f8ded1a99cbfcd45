/* SPDX-License-Identifier: GPL-2.0-or-later */
/* control.h: the engine's control channel — org.vmkit.Engine1 served on
 * peer-to-peer D-Bus connections (`-control FD|unix:PATH`), for vmd. */
#ifndef EMU_CONTROL_H
#define EMU_CONTROL_H

#include <stdbool.h>
#include <glib.h>

#include "engine/core/machine.h"

typedef struct EmuControl EmuControl;

/*
 * The interface is schemas/dbus/org.vmkit.Engine1.xml (compiled in).
 * Threads: D-Bus method calls run on the machine's I/O thread (the
 * connections are created with m->io_ctx as thread-default context), never
 * under the device lock; the main thread reports lifecycle requests with
 * emu_control_request().
 */

typedef struct EmuControlConfig {
    const char *name;  /* -name, or NULL */
    const char *uuid;  /* -uuid, or NULL */
    bool no_reboot;    /* -no-reboot: a guest reset ends the engine */
} EmuControlConfig;

/**
 * emu_control_new:
 * @spec: "FD" (an inherited connected stream socket: one connection) or
 *        "unix:PATH" (listen on PATH, serve every connection; the socket
 *        file is replaced if it exists, removed by emu_control_free())
 * Creates the control channel and an internal monitor (no chardev) with
 * the net layer's commands when m->net is set.
 * Returns: the channel, or NULL with @error.
 * Thread: main thread, before emu_machine_start_io() (it pushes m->io_ctx
 * as thread default while creating the connection).
 */
EmuControl *emu_control_new(EmuMachine *m, const char *spec,
                            const EmuControlConfig *cfg, GError **error);

/**
 * emu_control_request:
 * The main loop got @req (and @code): emits GuestPoweroff / GuestReset
 * for guest-initiated requests and StateChanged("shutdown", reason) when
 * the engine is going to exit, and flushes the connections so that peers
 * see it before the connection closes.
 * Thread: main thread.
 */
void emu_control_request(EmuControl *ctl, EmuRequest req, int code);

/**
 * emu_control_free:
 * Closes every connection and the listening socket.
 * Thread: main thread, after emu_machine_stop_io().
 */
void emu_control_free(EmuControl *ctl);

#endif
