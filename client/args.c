/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/args.c: vmctl's per-command option parser, synopsis and help,
 * driven by the VmctlOptDef tables of each command (virsh's model). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "client/vmctl.h"

struct VmctlArgs {
    GHashTable *values; /* option name -> value ("" for booleans) */
};

static const VmctlOptDef *find_opt(const VmctlCmdDef *cmd, const char *name,
                                   size_t len)
{
    for (const VmctlOptDef *o = cmd->opts; o && o->name; o++) {
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) {
            return o;
        }
    }
    return NULL;
}

static bool opt_is_positional(const VmctlOptDef *o)
{
    return o->type == VMCTL_OPT_ARG || o->type == VMCTL_OPT_ARG_OPT;
}

static bool opt_takes_value(const VmctlOptDef *o)
{
    return o->type != VMCTL_OPT_BOOL;
}

static const char *opt_metavar(const VmctlOptDef *o)
{
    if (o->metavar) {
        return _(o->metavar);
    }
    return o->type == VMCTL_OPT_UINT ? _("N") : _("VALUE");
}

char *vmctl_cmd_synopsis(const VmctlCmdDef *cmd)
{
    GString *s = g_string_new(cmd->name);

    for (const VmctlOptDef *o = cmd->opts; o && o->name; o++) {
        switch (o->type) {
        case VMCTL_OPT_ARG:
            g_string_append_printf(s, " %s", opt_metavar(o));
            break;
        case VMCTL_OPT_ARG_OPT:
            g_string_append_printf(s, " [%s]", opt_metavar(o));
            break;
        case VMCTL_OPT_BOOL:
            g_string_append_printf(s, " [--%s]", o->name);
            break;
        case VMCTL_OPT_STRING:
        case VMCTL_OPT_UINT:
            g_string_append_printf(s, " [--%s %s]", o->name, opt_metavar(o));
            break;
        }
    }
    return g_string_free(s, FALSE);
}

/* Prints text word-wrapped to width columns; the cursor is at column
 * indent (continuation lines are indented as much). */
static void print_wrapped(FILE *out, const char *text, gsize indent,
                          gsize width)
{
    g_auto(GStrv) words = g_strsplit_set(text, " \n", -1);
    gsize col = indent;
    bool first = true;

    for (char **w = words; *w; w++) {
        gsize len = vmctl_display_width(*w);

        if (!**w) {
            continue;
        }
        if (!first && col + 1 + len > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fputs(*w, out);
        col += len;
        first = false;
    }
    fputc('\n', out);
}

static void help_line(FILE *out, const char *left, const char *text)
{
    fputs("  ", out);
    vmctl_print_padded(out, left, 24);
    fputc(' ', out);
    print_wrapped(out, text, 27, 78);
}

void vmctl_cmd_print_help(const VmctlCmdDef *cmd, FILE *out)
{
    g_autofree char *syn = vmctl_cmd_synopsis(cmd);
    bool any = false;

    fprintf(out, _("Usage: vmctl %s\n"), syn);
    fprintf(out, "\n%s\n", _(cmd->summary));
    if (cmd->description) {
        fputc('\n', out);
        print_wrapped(out, _(cmd->description), 0, 78);
    }
    for (const VmctlOptDef *o = cmd->opts; o && o->name; o++) {
        g_autofree char *left = NULL;

        if (!any) {
            fprintf(out, "\n%s\n", _("Options:"));
            any = true;
        }
        if (opt_is_positional(o)) {
            left = g_strdup_printf("[--%s] %s", o->name, opt_metavar(o));
        } else if (opt_takes_value(o)) {
            left = g_strdup_printf("--%s %s", o->name, opt_metavar(o));
        } else {
            left = g_strdup_printf("--%s", o->name);
        }
        help_line(out, left, _(o->help));
    }
    help_line(out, "--help", _("show this help"));
}

int vmctl_usage_error(const VmctlCmdDef *cmd, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *syn = vmctl_cmd_synopsis(cmd);
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    vmctl_error("%s", msg);
    fprintf(stderr, _("Usage: vmctl %s\n"), syn);
    fprintf(stderr, _("Try 'vmctl help %s' for more information.\n"),
            cmd->name);
    return VMCTL_EXIT_USAGE;
}

void vmctl_args_free(VmctlArgs *args)
{
    if (args) {
        g_hash_table_unref(args->values);
        g_free(args);
    }
}

VmctlArgs *vmctl_args_parse(const VmctlCmdDef *cmd, int argc, char **argv,
                            bool *help)
{
    g_autoptr(VmctlArgs) args = g_new0(VmctlArgs, 1);
    bool only_positional = false;

    args->values = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    *help = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!only_positional && strcmp(a, "--") == 0) {
            only_positional = true;
        } else if (!only_positional &&
                   (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            *help = true;
            return g_steal_pointer(&args);
        } else if (!only_positional && g_str_has_prefix(a, "--")) {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const VmctlOptDef *o = find_opt(cmd, name, len);
            const char *value;

            if (!o) {
                vmctl_usage_error(cmd,
                                  _("command '%s' doesn't support option "
                                    "--%.*s"),
                                  cmd->name, (int)len, name);
                return NULL;
            }
            if (!opt_takes_value(o)) {
                if (eq) {
                    vmctl_usage_error(cmd, _("option --%s takes no value"),
                                      o->name);
                    return NULL;
                }
                value = "";
            } else if (eq) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                vmctl_usage_error(cmd, _("option --%s requires a value"),
                                  o->name);
                return NULL;
            }
            if (g_hash_table_contains(args->values, o->name)) {
                vmctl_usage_error(cmd, _("option --%s given twice"), o->name);
                return NULL;
            }
            g_hash_table_insert(args->values, (gpointer)o->name,
                                g_strdup(value));
        } else if (!only_positional && a[0] == '-' && a[1] != '\0') {
            vmctl_usage_error(cmd, _("command '%s' doesn't support option %s"),
                              cmd->name, a);
            return NULL;
        } else {
            const VmctlOptDef *slot = NULL;

            for (const VmctlOptDef *o = cmd->opts; o && o->name; o++) {
                if (opt_is_positional(o) &&
                    !g_hash_table_contains(args->values, o->name)) {
                    slot = o;
                    break;
                }
            }
            if (!slot) {
                vmctl_usage_error(cmd, _("unexpected argument '%s'"), a);
                return NULL;
            }
            g_hash_table_insert(args->values, (gpointer)slot->name,
                                g_strdup(a));
        }
    }
    for (const VmctlOptDef *o = cmd->opts; o && o->name; o++) {
        if (o->type == VMCTL_OPT_ARG &&
            !g_hash_table_contains(args->values, o->name)) {
            vmctl_usage_error(cmd, _("command '%s' requires %s"), cmd->name,
                              opt_metavar(o));
            return NULL;
        }
        if (o->type == VMCTL_OPT_UINT &&
            g_hash_table_contains(args->values, o->name)) {
            guint dummy;

            if (!vmctl_args_get_uint(args, o->name, &dummy)) {
                vmctl_usage_error(cmd,
                                  _("option --%s expects a non-negative "
                                    "number, not '%s'"),
                                  o->name, vmctl_args_get(args, o->name));
                return NULL;
            }
        }
    }
    return g_steal_pointer(&args);
}

const char *vmctl_args_get(VmctlArgs *args, const char *name)
{
    return g_hash_table_lookup(args->values, name);
}

bool vmctl_args_has(VmctlArgs *args, const char *name)
{
    return g_hash_table_contains(args->values, name);
}

bool vmctl_args_get_uint(VmctlArgs *args, const char *name, guint *out)
{
    const char *v = vmctl_args_get(args, name);
    guint64 n;

    if (!v) {
        return true;
    }
    if (!g_ascii_string_to_unsigned(v, 10, 0, G_MAXUINT, &n, NULL)) {
        return false;
    }
    *out = (guint)n;
    return true;
}
