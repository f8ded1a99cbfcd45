/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-helper/acl.h: bridge ACL file parser and interface-name check. */
#ifndef VMKIT_NET_HELPER_ACL_H
#define VMKIT_NET_HELPER_ACL_H

#include <glib.h>

/*
 * The ACL file of vmkit-bridge-helper (qemu-bridge-helper's syntax, see
 * net-helper/README.md):
 *
 *   # comment (only on a line of its own)
 *   allow BRIDGE|all
 *   deny BRIDGE|all
 *   include FILE        (relative FILE: from the including file's folder)
 *
 * One directive per line, tokens separated by blanks.  Access is denied
 * unless an allow matches; a matching deny anywhere (in any included file,
 * before or after the allow) wins.  Any error — unreadable file, unknown
 * keyword, missing or extra argument, invalid bridge name, include loop or
 * nesting deeper than VMKIT_ACL_MAX_DEPTH — fails the whole load, and the
 * caller must then deny everything.
 *
 * This unit is pure: no globals, no privileges, no output; the helper and
 * the unit tests use it alike.  All functions may be called from any thread.
 */

/* Longest include chain: the top file plus this many nested includes. */
#define VMKIT_ACL_MAX_DEPTH 8

/* Longest line accepted in an ACL file, in bytes (newline excluded). */
#define VMKIT_ACL_MAX_LINE 4096

/* Largest ACL file accepted, in bytes. */
#define VMKIT_ACL_MAX_FILE (1024 * 1024)

#define VMKIT_ACL_ERROR (vmkit_acl_error_quark())

typedef enum {
    VMKIT_ACL_ERROR_IO,        /* a file could not be opened or read */
    VMKIT_ACL_ERROR_SYNTAX,    /* malformed line */
    VMKIT_ACL_ERROR_INCLUDE,   /* include loop or nesting too deep */
    VMKIT_ACL_ERROR_NAME,      /* invalid interface name */
} VmkitAclError;

typedef struct VmkitAcl VmkitAcl;

GQuark vmkit_acl_error_quark(void);

/**
 * vmkit_ifname_check:
 * @name: an interface name, as given by the user
 * @error: set to a VMKIT_ACL_ERROR_NAME error when @name is refused
 *
 * Checks @name against the kernel's rules for interface names
 * (dev_valid_name() in net/core/dev.c) plus a ban on control characters:
 * not empty, shorter than IFNAMSIZ (16) bytes, not "." or "..", and no
 * '/', ':', whitespace or control character.  The message names the
 * (escaped) name and the reason, e.g.
 * "invalid bridge name '../x': it contains '/'".
 *
 * Returns: %TRUE when @name is acceptable.
 */
gboolean vmkit_ifname_check(const char *name, GError **error);

/**
 * vmkit_acl_load:
 * @path: the ACL file
 * @error: set when the file or one it includes cannot be read or is
 *   malformed; the message is one line starting with "FILE:LINE: " for
 *   errors inside a file, e.g. "bridge.conf:3: unknown keyword 'alow'"
 *
 * Reads and parses @path and everything it includes, with the caller's
 * own file permissions.
 *
 * Returns: (transfer full): the rules, or %NULL on error (deny all).
 */
VmkitAcl *vmkit_acl_load(const char *path, GError **error);

/**
 * vmkit_acl_allows:
 * @acl: rules from vmkit_acl_load()
 * @bridge: a bridge name
 *
 * Returns: %TRUE when an allow rule matches @bridge (by name or "all")
 *   and no deny rule does.  An invalid @bridge is never allowed.
 */
gboolean vmkit_acl_allows(const VmkitAcl *acl, const char *bridge);

/**
 * vmkit_acl_free:
 * @acl: (nullable): rules to free
 */
void vmkit_acl_free(VmkitAcl *acl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmkitAcl, vmkit_acl_free)

#endif /* VMKIT_NET_HELPER_ACL_H */
