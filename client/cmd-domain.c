/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/cmd-domain.c: vmctl's domain management commands: define,
 * undefine, the lifecycle calls (start ... resume), autostart, dumpxml,
 * edit and console. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "client/vmctl.h"

/* ---- define / undefine ------------------------------------------------- */

static int cmd_define(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    const char *file = vmctl_args_get(args, "file");
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autoptr(VmctlDomain) dom = NULL;

    if (strcmp(file, "-") == 0) {
        g_autoptr(GIOChannel) ch = g_io_channel_unix_new(STDIN_FILENO);

        if (g_io_channel_read_to_end(ch, &xml, NULL, &err) !=
            G_IO_STATUS_NORMAL) {
            return vmctl_error_gerror(err, _("cannot read standard input"));
        }
    } else if (!g_file_get_contents(file, &xml, NULL, &err)) {
        return vmctl_error_gerror(err, NULL);
    }
    r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE,
                   "DomainDefineXML", g_variant_new("(s)", xml),
                   G_VARIANT_TYPE("(o)"), &err);
    if (!r) {
        g_autofree char *prefix =
            g_strdup_printf(_("failed to define domain from %s"), file);

        return vmctl_error_gerror(err, prefix);
    }
    g_variant_get(r, "(o)", &path);
    dom = vmctl_domain_load(ctx, path, &err);
    if (!dom) {
        g_autofree char *prefix = g_strdup_printf(
            _("domain defined from %s, but its properties cannot be read"),
            file);

        return vmctl_error_gerror(err, prefix);
    }
    printf(_("Domain '%s' defined from %s\n"), dom->name, file);
    return VMCTL_EXIT_OK;
}

static int cmd_undefine(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, "Undefine",
                   g_variant_new("(u)", 0u), NULL, &err);
    if (!r) {
        g_autofree char *prefix =
            g_strdup_printf(_("failed to undefine domain '%s'"), dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    printf(_("Domain '%s' has been undefined\n"), dom->name);
    return VMCTL_EXIT_OK;
}

/* ---- lifecycle ----------------------------------------------------------- */

typedef enum {
    LC_START,
    LC_SHUTDOWN,
    LC_DESTROY,
    LC_REBOOT,
    LC_RESET,
    LC_SUSPEND,
    LC_RESUME,
} Lifecycle;

static const struct {
    const char *cmd;
    const char *method;
    bool has_flags;
} lifecycle[] = {
    [LC_START] = {"start", "Create", true},
    [LC_SHUTDOWN] = {"shutdown", "Shutdown", true},
    [LC_DESTROY] = {"destroy", "Destroy", true},
    [LC_REBOOT] = {"reboot", "Reboot", true},
    [LC_RESET] = {"reset", "Reset", true},
    [LC_SUSPEND] = {"suspend", "Suspend", false},
    [LC_RESUME] = {"resume", "Resume", false},
};

/* virsh's messages, as literals so that the format strings are checked. */
static void lifecycle_report(Lifecycle lc, const char *name, GError *err)
{
    g_autofree char *prefix = NULL;

    if (!err) {
        switch (lc) {
        case LC_START:
            printf(_("Domain '%s' started\n"), name);
            break;
        case LC_SHUTDOWN:
            printf(_("Domain '%s' is being shutdown\n"), name);
            break;
        case LC_DESTROY:
            printf(_("Domain '%s' destroyed\n"), name);
            break;
        case LC_REBOOT:
            printf(_("Domain '%s' is being rebooted\n"), name);
            break;
        case LC_RESET:
            printf(_("Domain '%s' was reset\n"), name);
            break;
        case LC_SUSPEND:
            printf(_("Domain '%s' suspended\n"), name);
            break;
        case LC_RESUME:
            printf(_("Domain '%s' resumed\n"), name);
            break;
        }
        return;
    }
    switch (lc) {
    case LC_START:
        prefix = g_strdup_printf(_("failed to start domain '%s'"), name);
        break;
    case LC_SHUTDOWN:
        prefix = g_strdup_printf(_("failed to shutdown domain '%s'"), name);
        break;
    case LC_DESTROY:
        prefix = g_strdup_printf(_("failed to destroy domain '%s'"), name);
        break;
    case LC_REBOOT:
        prefix = g_strdup_printf(_("failed to reboot domain '%s'"), name);
        break;
    case LC_RESET:
        prefix = g_strdup_printf(_("failed to reset domain '%s'"), name);
        break;
    case LC_SUSPEND:
        prefix = g_strdup_printf(_("failed to suspend domain '%s'"), name);
        break;
    case LC_RESUME:
        prefix = g_strdup_printf(_("failed to resume domain '%s'"), name);
        break;
    }
    vmctl_error_gerror(err, prefix);
}

static int cmd_lifecycle(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;
    Lifecycle lc = LC_START;
    guint flags = 0;

    for (size_t i = 0; i < G_N_ELEMENTS(lifecycle); i++) {
        if (strcmp(cmd->name, lifecycle[i].cmd) == 0) {
            lc = (Lifecycle)i;
        }
    }
    if (lc == LC_START && vmctl_args_has(args, "paused")) {
        flags |= 1; /* VIR_DOMAIN_START_PAUSED */
    }
    if (lc == LC_DESTROY && vmctl_args_has(args, "graceful")) {
        flags |= 1; /* VIR_DOMAIN_DESTROY_GRACEFUL */
    }
    dom = vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, lifecycle[lc].method,
                   lifecycle[lc].has_flags ? g_variant_new("(u)", flags) : NULL,
                   NULL, &err);
    lifecycle_report(lc, dom->name, r ? NULL : err);
    if (!r) {
        return VMCTL_EXIT_FAIL;
    }
    if (lc == LC_START && vmctl_args_has(args, "console")) {
        fflush(stdout);
        return vmctl_console_run(ctx, dom, NULL, false);
    }
    return VMCTL_EXIT_OK;
}

/* ---- autostart ----------------------------------------------------------- */

static int cmd_autostart(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    bool enable = !vmctl_args_has(args, "disable");
    g_autoptr(GError) err = NULL;

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    if (!vmctl_set_property(ctx, dom->path, VMCTL_DOMAIN_IFACE, "Autostart",
                            g_variant_new_boolean(enable), &err)) {
        g_autofree char *prefix =
            enable ? g_strdup_printf(_("failed to mark domain '%s' as "
                                       "autostarted"),
                                     dom->name)
                   : g_strdup_printf(_("failed to unmark domain '%s' as "
                                       "autostarted"),
                                     dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    if (enable) {
        printf(_("Domain '%s' marked as autostarted\n"), dom->name);
    } else {
        printf(_("Domain '%s' unmarked as autostarted\n"), dom->name);
    }
    return VMCTL_EXIT_OK;
}

/* ---- dumpxml ------------------------------------------------------------- */

static int cmd_dumpxml(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    g_autoptr(GError) err = NULL;
    g_autofree char *xml = NULL;
    guint flags = 0;

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    if (vmctl_args_has(args, "inactive")) {
        flags |= VMCTL_XML_INACTIVE;
    }
    if (vmctl_args_has(args, "security-info")) {
        flags |= VMCTL_XML_SECURE;
    }
    xml = vmctl_domain_xml(ctx, dom, flags, &err);
    if (!xml) {
        return vmctl_error_gerror(err, NULL);
    }
    fputs(xml, stdout);
    if (!g_str_has_suffix(xml, "\n")) {
        fputc('\n', stdout);
    }
    return VMCTL_EXIT_OK;
}

/* ---- edit ---------------------------------------------------------------- */

/* Runs the user's editor like virsh: "$EDITOR FILE" through the shell, so
 * that EDITOR may carry arguments. */
static bool run_editor(const char *file, GError **error)
{
    const char *editor = g_getenv("VISUAL");
    g_autofree char *quoted = g_shell_quote(file);
    g_autofree char *line = NULL;
    int status;

    if (!editor || !*editor) {
        editor = g_getenv("EDITOR");
    }
    if (!editor || !*editor) {
        editor = "vi";
    }
    line = g_strdup_printf("%s %s", editor, quoted);
    {
        const char *argv[] = {"/bin/sh", "-c", line, NULL};

        if (!g_spawn_sync(NULL, (char **)argv, NULL,
                          G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                          &status, error)) {
            return false;
        }
    }
    if (!g_spawn_check_wait_status(status, NULL)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                    _("the editor '%s' failed"), editor);
        return false;
    }
    return true;
}

static bool ask_retry(void)
{
    char answer[16];

    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
        return false;
    }
    /* TRANSLATORS: the answer is checked against the translation of "y". */
    fprintf(stderr, "%s", _("Failed. Edit again? [y/N]: "));
    if (!fgets(answer, sizeof(answer), stdin)) {
        return false;
    }
    return g_ascii_strncasecmp(g_strstrip(answer), _("y"), 1) == 0;
}

static int cmd_edit(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    g_autoptr(GError) err = NULL;
    g_autofree char *orig = NULL;
    g_autofree char *tmpl = NULL;
    g_autofree char *file = NULL;
    int fd;
    int ret = VMCTL_EXIT_FAIL;

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    orig =
        vmctl_domain_xml(ctx, dom, VMCTL_XML_INACTIVE | VMCTL_XML_SECURE, &err);
    if (!orig) {
        return vmctl_error_gerror(err, NULL);
    }
    tmpl = g_strdup_printf("vmctl-%s-XXXXXX.xml", dom->uuid);
    fd = g_file_open_tmp(tmpl, &file, &err);
    if (fd < 0) {
        return vmctl_error_gerror(err, NULL);
    }
    close(fd);
    if (!g_file_set_contents(file, orig, -1, &err)) {
        vmctl_error_gerror(err, NULL);
        goto out;
    }
    for (;;) {
        g_autofree char *edited = NULL;
        g_autoptr(GVariant) r = NULL;

        if (!run_editor(file, &err) ||
            !g_file_get_contents(file, &edited, NULL, &err)) {
            vmctl_error_gerror(err, NULL);
            break;
        }
        if (strcmp(edited, orig) == 0) {
            printf(_("Domain '%s' XML configuration not changed.\n"),
                   dom->name);
            ret = VMCTL_EXIT_OK;
            break;
        }
        r = vmctl_call(ctx, VMCTL_MANAGER_PATH, VMCTL_MANAGER_IFACE,
                       "DomainDefineXML", g_variant_new("(s)", edited),
                       G_VARIANT_TYPE("(o)"), &err);
        if (r) {
            printf(_("Domain '%s' XML configuration edited.\n"), dom->name);
            ret = VMCTL_EXIT_OK;
            break;
        }
        if (g_dbus_error_is_remote_error(err)) {
            g_dbus_error_strip_remote_error(err);
        }
        if (ask_retry()) {
            g_clear_error(&err);
            continue;
        }
        /* The definition is untouched; keep the user's work. */
        vmctl_error(_("failed to define domain '%s' from the edited XML: "
                      "%s (the definition is unchanged; your version is "
                      "kept in %s)"),
                    dom->name, err->message, file);
        g_clear_pointer(&file, g_free);
        break;
    }
out:
    if (file) {
        g_unlink(file);
    }
    return ret;
}

/* ---- console ------------------------------------------------------------- */

static int cmd_console(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    return vmctl_console_run(ctx, dom, vmctl_args_get(args, "devname"),
                             vmctl_args_has(args, "force"));
}

/* ---- table --------------------------------------------------------------- */

static const VmctlOptDef opts_define[] = {
    {"file", VMCTL_OPT_ARG, N_("FILE"),
     N_("file with the domain XML ('-' for standard input)")},
    {NULL},
};
static const VmctlOptDef opts_domain[] = {
    VMCTL_OPT_DOMAIN,
    {NULL},
};
static const VmctlOptDef opts_start[] = {
    VMCTL_OPT_DOMAIN,
    {"console", VMCTL_OPT_BOOL, NULL,
     N_("attach to the console after starting")},
    {"paused", VMCTL_OPT_BOOL, NULL, N_("leave the guest paused")},
    {NULL},
};
static const VmctlOptDef opts_destroy[] = {
    VMCTL_OPT_DOMAIN,
    {"graceful", VMCTL_OPT_BOOL, NULL,
     N_("terminate gracefully (SIGTERM only)")},
    {NULL},
};
static const VmctlOptDef opts_autostart[] = {
    VMCTL_OPT_DOMAIN,
    {"disable", VMCTL_OPT_BOOL, NULL, N_("disable autostarting")},
    {NULL},
};
static const VmctlOptDef opts_dumpxml[] = {
    VMCTL_OPT_DOMAIN,
    {"inactive", VMCTL_OPT_BOOL, NULL,
     N_("show the persistent definition, not the running one")},
    {"security-info", VMCTL_OPT_BOOL, NULL,
     N_("include security-sensitive information")},
    {NULL},
};
static const VmctlOptDef opts_console[] = {
    VMCTL_OPT_DOMAIN,
    {"devname", VMCTL_OPT_STRING, N_("DEV"),
     N_("console or serial device alias, e.g. serial0")},
    {"force", VMCTL_OPT_BOOL, NULL,
     N_("take the console over from another client")},
    {NULL},
};

const VmctlCmdDef vmctl_domain_cmds[] = {
    {"define", N_("define (but don't start) a domain from an XML file"),
     N_("Defines a persistent domain, or updates the definition of the "
        "domain with the same name and UUID."),
     opts_define, cmd_define},
    {"undefine", N_("undefine a domain"),
     N_("Removes the persistent definition of an inactive domain."),
     opts_domain, cmd_undefine},
    {"start", N_("start a (previously defined) inactive domain"), NULL,
     opts_start, cmd_lifecycle},
    {"shutdown", N_("gracefully shut down a domain"),
     N_("Asks the guest to power off, like the power button."), opts_domain,
     cmd_lifecycle},
    {"destroy", N_("destroy (stop) a domain"),
     N_("Stops the domain at once, without guest cooperation."), opts_destroy,
     cmd_lifecycle},
    {"reboot", N_("reboot a domain"), N_("Asks the guest to reboot."),
     opts_domain, cmd_lifecycle},
    {"reset", N_("reset a domain"),
     N_("Resets the domain at once, like a reset button."), opts_domain,
     cmd_lifecycle},
    {"suspend", N_("suspend a domain"),
     N_("Pauses the virtual CPUs; the domain stays in memory."), opts_domain,
     cmd_lifecycle},
    {"resume", N_("resume a domain"), NULL, opts_domain, cmd_lifecycle},
    {"autostart", N_("autostart a domain"),
     N_("Marks the domain to start when vmd starts (or, with --disable, "
        "not)."),
     opts_autostart, cmd_autostart},
    {"dumpxml", N_("domain information in XML"), NULL, opts_dumpxml,
     cmd_dumpxml},
    {"edit", N_("edit the XML configuration of a domain"),
     N_("Opens $VISUAL or $EDITOR (default vi) on a copy of the "
        "persistent definition and defines the result. When the result "
        "is rejected, the definition is left unchanged."),
     opts_domain, cmd_edit},
    {"console", N_("connect to the guest console"),
     N_("Attaches the terminal to the domain's serial console. Press "
        "Ctrl-] to detach."),
     opts_console, cmd_console},
    {NULL},
};
