/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/vmctl.c: vmctl's entry point: locale, global options (--connect),
 * the command groups and their dispatch, `vmctl help [COMMAND]`. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "client/vmctl.h"

static const VmctlCmdGroup groups[] = {
    {N_("Domain management:"), vmctl_domain_cmds},
    {N_("Domain monitoring:"), vmctl_monitor_cmds},
    {N_("Domain interfaces:"), vmctl_iface_cmds},
    {N_("Hubs:"), vmctl_hub_cmds},
};

static const VmctlCmdDef *find_cmd(const char *name)
{
    for (size_t g = 0; g < G_N_ELEMENTS(groups); g++) {
        for (const VmctlCmdDef *c = groups[g].cmds; c->name; c++) {
            if (strcmp(c->name, name) == 0) {
                return c;
            }
        }
    }
    return NULL;
}

static void help_line(FILE *out, int indent, const char *left, const char *text)
{
    fprintf(out, "%*s", indent, "");
    vmctl_print_padded(out, left, 24 - indent);
    fprintf(out, " %s\n", text);
}

static void print_usage(FILE *out)
{
    fprintf(out, "%s\n", _("Usage: vmctl [OPTION...] COMMAND [ARG...]"));
    fprintf(out, "%s\n", _("       vmctl help [COMMAND]"));
}

static void print_help(FILE *out)
{
    print_usage(out);
    fprintf(out, "\n%s\n",
            _("Manage vmkit virtual machines through the vmd daemon."));
    fprintf(out, "\n%s\n", _("Options:"));
    help_line(out, 2, _("-c, --connect=BUS"),
              _("system, session or a D-Bus address"));
    help_line(out, 2, "", _("(default: $VMCTL_CONNECT, else system for root,"));
    help_line(out, 2, "", _("session for other users)"));
    help_line(out, 2, "-h, --help", _("show this help"));
    help_line(out, 2, "-V, --version", _("show the version"));
    for (size_t g = 0; g < G_N_ELEMENTS(groups); g++) {
        fprintf(out, "\n%s\n", _(groups[g].title));
        for (const VmctlCmdDef *c = groups[g].cmds; c->name; c++) {
            help_line(out, 4, c->name, _(c->summary));
        }
    }
    fprintf(out, "\n%s\n",
            _("Run 'vmctl help COMMAND' or 'vmctl COMMAND --help' for the "
              "options of a command."));
    fprintf(out, "%s\n",
            _("Exit status: 0 success, 1 failed operation, 2 bad usage."));
}

static int usage_error(const char *msg)
{
    vmctl_error("%s", msg);
    fprintf(stderr, "%s\n", _("Try 'vmctl help' for more information."));
    return VMCTL_EXIT_USAGE;
}

static int cmd_help(int argc, char **argv)
{
    const VmctlCmdDef *cmd;

    if (argc < 2) {
        print_help(stdout);
        return VMCTL_EXIT_OK;
    }
    if (argc > 2) {
        return usage_error(_("'help' takes at most one command"));
    }
    cmd = find_cmd(argv[1]);
    if (!cmd) {
        g_autofree char *msg =
            g_strdup_printf(_("unknown command: '%s'"), argv[1]);

        return usage_error(msg);
    }
    vmctl_cmd_print_help(cmd, stdout);
    return VMCTL_EXIT_OK;
}

static void setup_i18n(void)
{
    const char *dir = g_getenv("VMKIT_LOCALEDIR");

    setlocale(LC_ALL, "");
    /* VMKIT_LOCALEDIR lets tests use catalogs built in the build tree. */
    bindtextdomain(GETTEXT_PACKAGE, dir && *dir ? dir : LOCALEDIR);
    textdomain(GETTEXT_PACKAGE);
}

int main(int argc, char **argv)
{
    VmctlCtx ctx = {0};
    const VmctlCmdDef *cmd;
    g_autoptr(VmctlArgs) args = NULL;
    bool help = false;
    int i;
    int ret;

    setup_i18n();
    ctx.connect = g_strdup(g_getenv("VMCTL_CONNECT"));
    if (ctx.connect && !*ctx.connect) {
        g_clear_pointer(&ctx.connect, g_free);
    }

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            print_help(stdout);
            return VMCTL_EXIT_OK;
        } else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            printf("vmctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return VMCTL_EXIT_OK;
        } else if (strcmp(a, "-c") == 0 || strcmp(a, "--connect") == 0) {
            if (i + 1 >= argc) {
                g_autofree char *msg =
                    g_strdup_printf(_("option %s requires a value"), a);

                return usage_error(msg);
            }
            g_free(ctx.connect);
            ctx.connect = g_strdup(argv[++i]);
        } else if (g_str_has_prefix(a, "--connect=")) {
            g_free(ctx.connect);
            ctx.connect = g_strdup(a + strlen("--connect="));
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else {
            g_autofree char *msg = g_strdup_printf(_("unknown option '%s'"), a);

            return usage_error(msg);
        }
    }
    if (i >= argc) {
        print_usage(stderr);
        fprintf(stderr, "%s\n", _("Try 'vmctl help' for more information."));
        return VMCTL_EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        return cmd_help(argc - i, argv + i);
    }
    cmd = find_cmd(argv[i]);
    if (!cmd) {
        g_autofree char *msg =
            g_strdup_printf(_("unknown command: '%s'"), argv[i]);

        return usage_error(msg);
    }
    args = vmctl_args_parse(cmd, argc - i, argv + i, &help);
    if (!args) {
        return VMCTL_EXIT_USAGE;
    }
    if (help) {
        vmctl_cmd_print_help(cmd, stdout);
        return VMCTL_EXIT_OK;
    }
    ret = cmd->handler(&ctx, cmd, args);
    if (fflush(stdout) != 0 && ret == VMCTL_EXIT_OK) {
        vmctl_error(_("cannot write the output: %s"), g_strerror(errno));
        ret = VMCTL_EXIT_FAIL;
    }
    if (ctx.bus) {
        /* Flush so that a last method call without reply is sent. */
        g_dbus_connection_flush_sync(ctx.bus, NULL, NULL);
        g_object_unref(ctx.bus);
    }
    g_free(ctx.connect);
    return ret;
}
