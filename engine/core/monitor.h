/* SPDX-License-Identifier: GPL-2.0-or-later */
/* monitor.h: the human monitor (QEMU HMP style) on a chardev, with a
 * command table that subsystems extend at runtime. */
#ifndef EMU_MONITOR_H
#define EMU_MONITOR_H

#include <glib.h>

typedef struct EmuMachine EmuMachine;
typedef struct EmuChardev EmuChardev;
typedef struct EmuMonitor EmuMonitor;

/*
 * A command. @name may list aliases separated by '|' ("cont|c"). @fn gets
 * the words of the line: argv[0] is the command as typed (for an info
 * subcommand, the subcommand name), argv[argc] is NULL. @fn runs on the
 * I/O thread (or the thread calling emu_monitor_execute()) WITHOUT the
 * device lock: take emu_machine_lock() for device state. Tables end with
 * an entry whose @name is NULL; entries are copied, strings are not (use
 * literals or strings that outlive the monitor).
 */
typedef struct EmuMonitorCmd {
    const char *name;
    const char *args_help; /* "" or e.g. "name on|off" */
    const char *help;
    void (*fn)(EmuMonitor *mon, int argc, char **argv, void *opaque);
    void *opaque;
} EmuMonitorCmd;

/**
 * emu_monitor_new:
 * @chr: the chardev to talk on (a "mon:" mux, a socket, stdio, a pty), or
 *       NULL for a monitor used only through emu_monitor_execute().
 * Creates the monitor with the built-in commands (help|?, info, stop,
 * cont|c, system_reset, system_powerdown, quit|q; info status, registers,
 * version) and attaches it as @chr's (monitor) frontend. The banner
 * "vmkit monitor - type 'help' for more information" and the "(vmkit) "
 * prompt appear when a client connects, or on a mux when the user first
 * switches to the monitor with Ctrl-A c.
 * Returns: the monitor, or NULL with @error.
 * Thread: main thread.
 */
EmuMonitor *emu_monitor_new(EmuMachine *m, EmuChardev *chr, GError **error);

/**
 * emu_monitor_free:
 * Detaches from the chardev (no callback runs after this returns); call
 * it before freeing the chardev.
 * Thread: main thread.
 */
void emu_monitor_free(EmuMonitor *mon);

/**
 * emu_monitor_register / emu_monitor_register_info:
 * Adds commands (or "info" subcommands) from a NULL-terminated table. A
 * name registered again replaces the earlier command.
 * Thread: any thread.
 */
void emu_monitor_register(EmuMonitor *mon, const EmuMonitorCmd *cmds);
void emu_monitor_register_info(EmuMonitor *mon, const EmuMonitorCmd *cmds);

/**
 * emu_monitor_unregister:
 * Removes the commands and info subcommands of a table registered before
 * (matched by name and fn), e.g. when a subsystem goes away.
 * Thread: any thread; not from the command being removed.
 */
void emu_monitor_unregister(EmuMonitor *mon, const EmuMonitorCmd *cmds);

/**
 * emu_monitor_printf:
 * Prints to the monitor's chardev ("\n" becomes "\r\n" as in QEMU), or
 * into the output of the emu_monitor_execute() running on this thread.
 * Thread: any thread.
 */
void emu_monitor_printf(EmuMonitor *mon, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/**
 * emu_monitor_execute:
 * Runs one command line as if typed, appending its output to @out (plain
 * "\n" line ends). For the daemon's HMP passthrough and for tests.
 * Thread: any thread except a hart thread; not from inside a command.
 */
void emu_monitor_execute(EmuMonitor *mon, const char *line, GString *out);

/**
 * emu_monitor_get_machine:
 * Thread: any thread.
 */
EmuMachine *emu_monitor_get_machine(EmuMonitor *mon);

#endif
