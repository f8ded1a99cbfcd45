/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dbus-harness.h: what the daemon's D-Bus tests share — a private
 * dbus-daemon, signal queues, error assertions, child and file clean-up. */
#ifndef VMD_TEST_DBUS_HARNESS_H
#define VMD_TEST_DBUS_HARNESS_H

#include <gio/gio.h>

/* Child setup for everything a test spawns: dies with the test (a failed
 * assertion aborts it and its children must not outlive it). */
void vmd_test_die_with_parent(gpointer data);

/* Starts a private dbus-daemon listening in @dir; returns its address and
 * sets *pid (reap and kill it at teardown). */
char *vmd_test_start_bus(const char *dir, GPid *pid);

/* Whether @name has an owner on the bus of @c. */
gboolean vmd_test_name_has_owner(GDBusConnection *c, const char *name);

/* Starts the build tree's vmd on the bus at @address with --state-dir
 * @state and --engine @engine, and waits up to @ms until it owns @name
 * (seen through @c); the test fails if vmd exits first. */
GPid vmd_test_start_vmd(GDBusConnection *c, const char *name,
                        const char *address, const char *state,
                        const char *engine, guint ms);

/* SIGTERM to the vmd in *@pid (when there is one), which must exit with
 * status 0; *@pid is then 0. */
void vmd_test_stop_vmd(GPid *pid);

/* GDBusSignalCallback appending the parameters to the GQueue @data. */
void vmd_test_queue_signal(GDBusConnection *c, const char *sender,
                           const char *path, const char *iface,
                           const char *signal, GVariant *params,
                           gpointer data);

/* Queues the parameters of each @member signal of @iface sent on @path
 * (any path when NULL) with first argument @arg0 (any when NULL) in @q,
 * as vmd_test_queue_signal does; returns the subscription. */
guint vmd_test_watch(GDBusConnection *c, const char *iface,
                     const char *member, const char *path, const char *arg0,
                     GQueue *q);

/* Iterates the default main context until @q holds @n items, failing the
 * test after @ms milliseconds. */
void vmd_test_wait_queue(GQueue *q, guint n, guint ms);

/* @error is the remote D-Bus error @name, its message containing
 * @substring (unless NULL). */
void vmd_test_assert_dbus_error(GError *error, const char *name,
                                const char *substring);

/* Removes @path and everything below it (symlinks are not followed). */
void vmd_test_rm_rf(const char *path);

#endif
