/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-helper/acl.c: bridge ACL file parser and interface-name check. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "net-helper/acl.h"

struct VmkitAcl {
    gboolean allow_all;
    gboolean deny_all;
    GHashTable *allow;          /* bridge name -> itself */
    GHashTable *deny;
};

/* One file being read; the stack of them finds include loops. */
typedef struct {
    dev_t dev;
    ino_t ino;
} AclFileId;

typedef struct {
    VmkitAcl *acl;
    GArray *stack;              /* of AclFileId, the top file first */
} AclLoad;

G_DEFINE_QUARK(vmkit-acl-error-quark, vmkit_acl_error)

/*
 * A name or token made printable on one line: control characters, quotes
 * and backslashes are escaped C-style; bytes >= 0x80 are kept so UTF-8
 * text stays readable.
 */
static char *acl_escape(const char *s)
{
    char high[129];

    for (int i = 0; i < 128; i++) {
        high[i] = (char)(0x80 + i);
    }
    high[128] = '\0';
    return g_strescape(s, high);
}

gboolean vmkit_ifname_check(const char *name, GError **error)
{
    const char *why = NULL;
    size_t len = strlen(name);
    g_autofree char *shown = NULL;

    /* The kernel's rules are dev_valid_name() in net/core/dev.c. */
    if (len == 0) {
        why = _("it is empty");
    } else if (len >= IFNAMSIZ) {
        shown = acl_escape(name);
        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_NAME,
                    _("invalid bridge name '%s': it is %zu bytes long, "
                      "the limit is %d"), shown, len, IFNAMSIZ - 1);
        return FALSE;
    } else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        why = _("'.' and '..' are not interface names");
    } else {
        for (const char *p = name; *p; p++) {
            unsigned char c = (unsigned char)*p;

            if (c == '/') {
                why = _("it contains '/'");
            } else if (c == ':') {
                why = _("it contains ':'");
            } else if (g_ascii_isspace(c)) {
                why = _("it contains whitespace");
            } else if (g_ascii_iscntrl(c)) {
                why = _("it contains a control character");
            }
            if (why) {
                break;
            }
        }
    }
    if (why) {
        shown = acl_escape(name);
        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_NAME,
                    _("invalid bridge name '%s': %s"), shown, why);
        return FALSE;
    }
    return TRUE;
}

/*
 * Reads a whole ACL file into *contents.  Returns NULL on success, else
 * the reason (for the caller to place in its message).  Only regular
 * files of bounded size are read: an include of a FIFO or a device must
 * neither block nor run forever.
 */
static char *acl_read(const char *path, AclFileId *id, char **contents,
                      gsize *len)
{
    struct stat st;
    GString *buf;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        return g_strdup(g_strerror(errno));
    }
    if (fstat(fd, &st) < 0) {
        int err = errno;

        close(fd);
        return g_strdup(g_strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return g_strdup(_("not a regular file"));
    }
    id->dev = st.st_dev;
    id->ino = st.st_ino;

    buf = g_string_new(NULL);
    for (;;) {
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof(chunk));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int err = errno;

            close(fd);
            g_string_free(buf, TRUE);
            return g_strdup(g_strerror(err));
        }
        if (n == 0) {
            break;
        }
        if (buf->len + (gsize)n > VMKIT_ACL_MAX_FILE) {
            close(fd);
            g_string_free(buf, TRUE);
            return g_strdup_printf(_("larger than %d bytes"),
                                   VMKIT_ACL_MAX_FILE);
        }
        g_string_append_len(buf, chunk, n);
    }
    close(fd);
    *len = buf->len;
    *contents = g_string_free(buf, FALSE);
    return NULL;
}

static gboolean acl_load_file(AclLoad *ld, const char *path,
                              const char *from, guint from_line,
                              GError **error);

/* "allow X" / "deny X" */
static gboolean acl_rule(AclLoad *ld, gboolean allow, const char *arg,
                         const char *path, guint line, GError **error)
{
    GError *local = NULL;

    if (strcmp(arg, "all") == 0) {
        if (allow) {
            ld->acl->allow_all = TRUE;
        } else {
            ld->acl->deny_all = TRUE;
        }
        return TRUE;
    }
    if (!vmkit_ifname_check(arg, &local)) {
        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                    "%s:%u: %s", path, line, local->message);
        g_error_free(local);
        return FALSE;
    }
    g_hash_table_add(allow ? ld->acl->allow : ld->acl->deny, g_strdup(arg));
    return TRUE;
}

/* "include FILE": relative names start from the including file's folder */
static gboolean acl_include(AclLoad *ld, const char *arg, const char *path,
                            guint line, GError **error)
{
    g_autofree char *target = NULL;

    /* Keep every file name printable on one line in messages. */
    for (const char *c = arg; *c; c++) {
        if (g_ascii_iscntrl(*c)) {
            g_autofree char *shown = acl_escape(arg);

            g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                        _("%s:%u: invalid file name '%s': it contains a "
                          "control character"), path, line, shown);
            return FALSE;
        }
    }
    /* The stack holds the top file plus the includes around this line. */
    if (ld->stack->len > VMKIT_ACL_MAX_DEPTH) {
        g_autofree char *shown = acl_escape(arg);

        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_INCLUDE,
                    _("%s:%u: cannot include '%s': includes nested deeper "
                      "than %d levels"), path, line, shown,
                    VMKIT_ACL_MAX_DEPTH);
        return FALSE;
    }
    if (g_path_is_absolute(arg)) {
        target = g_strdup(arg);
    } else {
        g_autofree char *dir = g_path_get_dirname(path);

        target = g_build_filename(dir, arg, NULL);
    }
    return acl_load_file(ld, target, path, line, error);
}

/* Splits @line at blanks; the tokens point into @line, which is changed. */
static guint acl_tokens(char *line, char **tok, guint max)
{
    guint n = 0;
    char *p = line;

    for (;;) {
        while (*p && g_ascii_isspace(*p)) {
            p++;
        }
        if (!*p) {
            return n;
        }
        if (n < max) {
            tok[n] = p;
        }
        n++;
        while (*p && !g_ascii_isspace(*p)) {
            p++;
        }
        if (*p) {
            *p++ = '\0';
        }
    }
}

static gboolean acl_parse_line(AclLoad *ld, char *text, const char *path,
                               guint line, GError **error)
{
    char *tok[3];
    guint n = acl_tokens(text, tok, G_N_ELEMENTS(tok));
    g_autofree char *kw = NULL;

    if (n == 0 || tok[0][0] == '#') {
        return TRUE;
    }
    kw = acl_escape(tok[0]);
    if (strcmp(tok[0], "allow") != 0 && strcmp(tok[0], "deny") != 0 &&
        strcmp(tok[0], "include") != 0) {
        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                    _("%s:%u: unknown keyword '%s'"), path, line, kw);
        return FALSE;
    }
    if (n < 2) {
        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                    _("%s:%u: '%s' needs an argument"), path, line, kw);
        return FALSE;
    }
    if (n > 2) {
        g_autofree char *extra = acl_escape(tok[2]);

        g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                    _("%s:%u: '%s' takes one argument, found extra '%s' "
                      "(comments go on their own line)"),
                    path, line, kw, extra);
        return FALSE;
    }
    if (strcmp(tok[0], "include") == 0) {
        return acl_include(ld, tok[1], path, line, error);
    }
    return acl_rule(ld, strcmp(tok[0], "allow") == 0, tok[1], path, line,
                    error);
}

/*
 * Reads @path, included from @from:@from_line (NULL for the top file),
 * and adds its rules.
 */
static gboolean acl_load_file(AclLoad *ld, const char *path,
                              const char *from, guint from_line,
                              GError **error)
{
    g_autofree char *contents = NULL;
    g_autofree char *reason = NULL;
    AclFileId id;
    gsize len = 0;
    guint line = 0;
    gboolean ok = TRUE;
    char *p, *end;

    reason = acl_read(path, &id, &contents, &len);
    if (reason) {
        if (from) {
            g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_IO,
                        _("%s:%u: cannot read included file '%s': %s"),
                        from, from_line, path, reason);
        } else {
            g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_IO,
                        _("cannot read ACL file '%s': %s"), path, reason);
        }
        return FALSE;
    }
    for (guint i = 0; i < ld->stack->len; i++) {
        AclFileId *open_id = &g_array_index(ld->stack, AclFileId, i);

        if (open_id->dev == id.dev && open_id->ino == id.ino) {
            g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_INCLUDE,
                        _("%s:%u: include loop: '%s' is already being read"),
                        from, from_line, path);
            return FALSE;
        }
    }
    g_array_append_val(ld->stack, id);

    p = contents;
    end = contents + len;
    while (ok && p < end) {
        char *nl = memchr(p, '\n', end - p);
        char *eol = nl ? nl : end;

        line++;
        if (eol - p > VMKIT_ACL_MAX_LINE) {
            g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                        _("%s:%u: line longer than %d bytes"),
                        path, line, VMKIT_ACL_MAX_LINE);
            ok = FALSE;
            break;
        }
        if (memchr(p, '\0', eol - p)) {
            g_set_error(error, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_SYNTAX,
                        _("%s:%u: line contains a NUL byte"), path, line);
            ok = FALSE;
            break;
        }
        *eol = '\0';
        ok = acl_parse_line(ld, p, path, line, error);
        p = eol + 1;
    }

    g_array_set_size(ld->stack, ld->stack->len - 1);
    return ok;
}

VmkitAcl *vmkit_acl_load(const char *path, GError **error)
{
    AclLoad ld;
    gboolean ok;

    ld.acl = g_new0(VmkitAcl, 1);
    ld.acl->allow = g_hash_table_new_full(g_str_hash, g_str_equal,
                                          g_free, NULL);
    ld.acl->deny = g_hash_table_new_full(g_str_hash, g_str_equal,
                                         g_free, NULL);
    ld.stack = g_array_new(FALSE, FALSE, sizeof(AclFileId));

    ok = acl_load_file(&ld, path, NULL, 0, error);
    g_array_free(ld.stack, TRUE);
    if (!ok) {
        vmkit_acl_free(ld.acl);
        return NULL;
    }
    return ld.acl;
}

gboolean vmkit_acl_allows(const VmkitAcl *acl, const char *bridge)
{
    if (!vmkit_ifname_check(bridge, NULL)) {
        return FALSE;
    }
    /* Deny wins: any matching deny, wherever it was read. */
    if (acl->deny_all || g_hash_table_contains(acl->deny, bridge)) {
        return FALSE;
    }
    return acl->allow_all || g_hash_table_contains(acl->allow, bridge);
}

void vmkit_acl_free(VmkitAcl *acl)
{
    if (!acl) {
        return;
    }
    g_hash_table_destroy(acl->allow);
    g_hash_table_destroy(acl->deny);
    g_free(acl);
}
