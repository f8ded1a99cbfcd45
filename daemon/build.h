/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/build.h: domain definition -> `vmkit` engine command line. */
#pragma once

#include <glib.h>

#include "daemon/domain.h"

G_BEGIN_DECLS

/**
 * VmdBuildOptions:
 * @emulator: argv[0]; NULL means "vmkit"
 * @control_fd: the engine's end of the control socket (-control FD), or -1
 * @net_fds: per interface (same index as def->nets), an fd the caller
 *   passes to the engine, or -1: a TAP fd for 'ethernet'/'bridge'
 *   (-netdev tap,fd=N), a connected socket to the daemon hub for
 *   'network'/'hub' (-netdev socket,fd=N); may be NULL
 * @n_net_fds: length of @net_fds
 *
 * What the caller (the domain start sequence) provides; build.c opens
 * nothing and spawns nothing.
 */
typedef struct {
    const char *emulator;
    int control_fd;
    const int *net_fds;
    guint n_net_fds;
} VmdBuildOptions;

/**
 * VmdBuildResult:
 * @argv: the engine command line (NULL-terminated)
 * @monitor_commands: commands to run on the control channel right after
 *   the engine starts, e.g. "set_link net0 off" for <link state='down'/>
 */
typedef struct {
    GStrv argv;
    GStrv monitor_commands;
} VmdBuildResult;

void vmd_build_result_free(VmdBuildResult *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmdBuildResult, vmd_build_result_free)

/**
 * vmd_build_command:
 * The one place that turns a definition into the engine's QEMU-compatible
 * options (DESIGN.md §2): machine, memory (MiB, rounded up), CPUs, name,
 * UUID, firmware and kernel, serial, and per interface `-netdev` plus
 * `-device`. Interface i gets netdev id "net<i>".
 * Errors: VMD_ERROR_UNSUPPORTED for definitions the engine cannot run yet
 * (e.g. a hub interface without a hub fd). Thread: any.
 */
VmdBuildResult *vmd_build_command(const VmdDomainDef *def,
                                  const VmdBuildOptions *opts, GError **error);

/**
 * vmd_build_escape:
 * Appends @value to @buf with QEMU option escaping (',' doubled).
 */
void vmd_build_escape(GString *buf, const char *value);

G_END_DECLS
