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
 *   (-netdev tap,fd=N); may be NULL
 * @n_net_fds: length of @net_fds
 * @hub_base: the domain's runtime path prefix (RUNDIR/UUID): interfaces
 *   on a daemon hub ('network'/'hub') connect to vmd_build_hub_path() of
 *   it, where vmd listens; NULL: such interfaces cannot be built
 *
 * What the caller (the domain start sequence) provides; build.c opens
 * nothing and spawns nothing.
 */
typedef struct {
    const char *emulator;
    int control_fd;
    const int *net_fds;
    guint n_net_fds;
    const char *hub_base;
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
 * `-device`, and one pcie-root-port "pci.N" per pcie-root-port controller
 * of index N (postparse adds VMD_DOMAIN_HOTPLUG_PORTS) for live attach.
 * Interface i gets netdev id vmd_build_net_id().
 * Errors: VMD_ERROR_UNSUPPORTED for definitions the engine cannot run yet
 * (e.g. a hub interface without @hub_base). Thread: any.
 */
VmdBuildResult *vmd_build_command(const VmdDomainDef *def,
                                  const VmdBuildOptions *opts, GError **error);

/* vmd_build_netdev()'s @fd: one the engine gets with NetdevAdd and
 * appends itself (",fd=N") */
#define VMD_BUILD_FD_PASSED (-2)

/**
 * vmd_build_net_id:
 * Returns: (transfer full): the engine's netdev id of interface @idx: its
 * alias (live definitions, "netN" stable across hot-unplugs of others),
 * else "net<idx>".
 */
char *vmd_build_net_id(const VmdNetDef *net, guint idx);

/** vmd_build_nic_id: the id of its NIC: "<netdev id>-nic". */
char *vmd_build_nic_id(const VmdNetDef *net, guint idx);

/** vmd_build_port_id: the pcie-root-port of bus @bus: "pci.<bus>". */
char *vmd_build_port_id(guint bus);

/**
 * vmd_build_hub_path:
 * Returns: (transfer full): where vmd listens for the engine's connection
 * of hub interface @idx: "@base.<netdev id>.hub" (the id is an alias,
 * which the schema keeps free of '/'). The same at start, live attach and
 * re-attach after a vmd restart.
 */
char *vmd_build_hub_path(const char *base, const VmdNetDef *net, guint idx);

/**
 * vmd_build_netdev:
 * Appends interface @idx's -netdev option text to @out; @fd is the TAP
 * for the engine (-1: none, VMD_BUILD_FD_PASSED: given with
 * Engine1.NetdevAdd); @hub_base as in VmdBuildOptions. A hub interface
 * becomes `stream,server=off,addr.type=unix,addr.path=...,reconnect=1`:
 * the engine connects to vmd and, when vmd restarts, connects again.
 * Used at start and by live attach (the same text).
 * Errors: VMD_ERROR_UNSUPPORTED (a hub interface without @hub_base).
 */
gboolean vmd_build_netdev(GString *out, const VmdNetDef *net, guint idx, int fd,
                          const char *hub_base, GError **error);

/**
 * vmd_build_nic:
 * Appends interface @idx's -device option text to @out (model, netdev,
 * MAC, and its place: addr= on bus 0, bus=pci.N,id=... behind a port).
 */
void vmd_build_nic(GString *out, const VmdNetDef *net, guint idx);

/**
 * vmd_build_escape:
 * Appends @value to @buf with QEMU option escaping (',' doubled).
 */
void vmd_build_escape(GString *buf, const char *value);

G_END_DECLS
