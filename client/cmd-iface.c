/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/cmd-iface.c: vmctl's interface commands: domiflist, domifstat,
 * domif-setlink, attach-/detach-interface, hostfwd-add/-remove. */
#include "config.h"

#include <string.h>

#include "client/vmctl.h"

/* The domain's interfaces from its XML (persistent one with inactive). */
static VmctlDomXml *load_ifaces(VmctlCtx *ctx, const VmctlDomain *dom,
                                bool inactive)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *xml =
        vmctl_domain_xml(ctx, dom, inactive ? VMCTL_XML_INACTIVE : 0, &err);
    VmctlDomXml *dx;

    if (!xml) {
        vmctl_error_gerror(err, NULL);
        return NULL;
    }
    dx = vmctl_domxml_parse(xml, &err);
    if (!dx) {
        vmctl_error_gerror(err, NULL);
    }
    return dx;
}

/* ---- domiflist ----------------------------------------------------------- */

static int cmd_domiflist(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    g_autoptr(VmctlDomXml) dx = NULL;

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    dx = load_ifaces(ctx, dom, vmctl_args_has(args, "inactive"));
    if (!dx) {
        return VMCTL_EXIT_FAIL;
    }
    if (vmctl_args_has(args, "json")) {
        g_autoptr(VmctlJson) j = vmctl_json_new();

        vmctl_json_begin_array(j);
        for (guint i = 0; i < dx->ifaces->len; i++) {
            const VmctlIface *f = g_ptr_array_index(dx->ifaces, i);

            vmctl_json_begin_object(j);
            vmctl_json_key(j, "interface");
            vmctl_json_string(j, f->target);
            vmctl_json_key(j, "type");
            vmctl_json_string(j, f->type);
            vmctl_json_key(j, "source");
            vmctl_json_string(j, f->source);
            vmctl_json_key(j, "model");
            vmctl_json_string(j, f->model);
            vmctl_json_key(j, "mac");
            vmctl_json_string(j, f->mac);
            vmctl_json_key(j, "alias");
            vmctl_json_string(j, f->alias);
            vmctl_json_key(j, "link");
            vmctl_json_string(j, f->link ? f->link : "up");
            vmctl_json_end_object(j);
        }
        vmctl_json_end_array(j);
        vmctl_json_print(j, stdout);
    } else {
        const char *headers[] = {_("Interface"), _("Type"), _("Source"),
                                 _("Model"), _("MAC")};
        g_autoptr(VmctlTable) t = vmctl_table_new(5, headers);

        for (guint i = 0; i < dx->ifaces->len; i++) {
            const VmctlIface *f = g_ptr_array_index(dx->ifaces, i);
            const char *row[] = {f->target, f->type, f->source, f->model,
                                 f->mac};

            vmctl_table_add(t, row);
        }
        vmctl_table_print(t, stdout);
    }
    return VMCTL_EXIT_OK;
}

/* ---- domifstat ----------------------------------------------------------- */

static int cmd_domifstat(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    static const char *const names[] = {
        "rx_bytes", "rx_packets", "rx_errs", "rx_drop",
        "tx_bytes", "tx_packets", "tx_errs", "tx_drop",
    };
    g_autoptr(VmctlDomain) dom =
        vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    const char *iface = vmctl_args_get(args, "interface");
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;
    gint64 v[8];

    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, "InterfaceStats",
                   g_variant_new("(s)", iface), G_VARIANT_TYPE("(xxxxxxxx)"),
                   &err);
    if (!r) {
        g_autofree char *prefix = g_strdup_printf(
            _("failed to get interface stats of '%s' on domain '%s'"), iface,
            dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    g_variant_get(r, "(xxxxxxxx)", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                  &v[6], &v[7]);
    if (vmctl_args_has(args, "json")) {
        g_autoptr(VmctlJson) j = vmctl_json_new();

        vmctl_json_begin_object(j);
        vmctl_json_key(j, "interface");
        vmctl_json_string(j, iface);
        for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
            vmctl_json_key(j, names[i]);
            if (v[i] < 0) {
                vmctl_json_string(j, NULL);
            } else {
                vmctl_json_int(j, v[i]);
            }
        }
        vmctl_json_end_object(j);
        vmctl_json_print(j, stdout);
        return VMCTL_EXIT_OK;
    }
    /* virsh prints "IFACE COUNTER VALUE" and skips unsupported (-1). */
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        if (v[i] >= 0) {
            printf("%s %s %" G_GINT64_FORMAT "\n", iface, names[i], v[i]);
        }
    }
    printf("\n");
    return VMCTL_EXIT_OK;
}

/* ---- domif-setlink ------------------------------------------------------- */

static int cmd_setlink(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    const char *iface = vmctl_args_get(args, "interface");
    const char *state = vmctl_args_get(args, "state");
    g_autoptr(VmctlDomain) dom = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;
    bool up;

    if (strcmp(state, "up") == 0) {
        up = true;
    } else if (strcmp(state, "down") == 0) {
        up = false;
    } else {
        return vmctl_usage_error(cmd,
                                 _("invalid link state '%s' (expected up "
                                   "or down)"),
                                 state);
    }
    dom = vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, "SetLink",
                   g_variant_new("(sb)", iface, up), NULL, &err);
    if (!r) {
        g_autofree char *prefix = g_strdup_printf(
            _("failed to set the link state of '%s' on domain '%s'"), iface,
            dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    printf("%s\n", _("Device updated successfully"));
    return VMCTL_EXIT_OK;
}

/* ---- attach-interface / detach-interface ----------------------------------
 */

static bool affect_flags(const VmctlCmdDef *cmd, VmctlArgs *args, guint *flags)
{
    *flags = VMCTL_AFFECT_CURRENT;
    if (vmctl_args_has(args, "current") &&
        (vmctl_args_has(args, "live") || vmctl_args_has(args, "config"))) {
        vmctl_usage_error(cmd, _("--current excludes --live and --config"));
        return false;
    }
    if (vmctl_args_has(args, "live")) {
        *flags |= VMCTL_AFFECT_LIVE;
    }
    if (vmctl_args_has(args, "config")) {
        *flags |= VMCTL_AFFECT_CONFIG;
    }
    return true;
}

static int cmd_attach(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(VmctlDomain) dom = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *xml = NULL;
    guint flags;

    if (!affect_flags(cmd, args, &flags)) {
        return VMCTL_EXIT_USAGE;
    }
    xml = vmctl_domxml_iface_new(
        vmctl_args_get(args, "type"), vmctl_args_get(args, "source"),
        vmctl_args_get(args, "target"), vmctl_args_get(args, "mac"),
        vmctl_args_get(args, "model"), vmctl_args_get(args, "local"), &err);
    if (!xml) {
        return vmctl_usage_error(cmd, "%s", err->message);
    }
    dom = vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    if (vmctl_args_has(args, "print-xml")) {
        fputs(xml, stdout);
        return VMCTL_EXIT_OK;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, "AttachDevice",
                   g_variant_new("(su)", xml, flags), NULL, &err);
    if (!r) {
        g_autofree char *prefix = g_strdup_printf(
            _("failed to attach interface to domain '%s'"), dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    printf("%s\n", _("Interface attached successfully"));
    return VMCTL_EXIT_OK;
}

static int cmd_detach(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    const char *type = vmctl_args_get(args, "type");
    const char *mac = vmctl_args_get(args, "mac");
    g_autoptr(GError) err = NULL;
    g_autoptr(VmctlDomain) dom = NULL;
    g_autoptr(VmctlDomXml) dx = NULL;
    g_autoptr(GVariant) r = NULL;
    const VmctlIface *found = NULL;
    guint flags;
    guint matches = 0;

    if (!affect_flags(cmd, args, &flags)) {
        return VMCTL_EXIT_USAGE;
    }
    dom = vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    /* As virsh: find the element in the definition that will change and
     * send it whole. */
    dx = load_ifaces(ctx, dom, flags == VMCTL_AFFECT_CONFIG || !dom->active);
    if (!dx) {
        return VMCTL_EXIT_FAIL;
    }
    for (guint i = 0; i < dx->ifaces->len; i++) {
        const VmctlIface *f = g_ptr_array_index(dx->ifaces, i);

        if (strcmp(f->type, type) != 0) {
            continue;
        }
        if (mac && (!f->mac || g_ascii_strcasecmp(f->mac, mac) != 0)) {
            continue;
        }
        found = f;
        matches++;
    }
    if (matches == 0) {
        if (mac) {
            vmctl_error(_("domain '%s' has no interface of type '%s' with "
                          "MAC %s"),
                        dom->name, type, mac);
        } else {
            vmctl_error(_("domain '%s' has no interface of type '%s'"),
                        dom->name, type);
        }
        return VMCTL_EXIT_FAIL;
    }
    if (matches > 1) {
        vmctl_error(_("domain '%s' has %u interfaces of type '%s': choose "
                      "one with --mac"),
                    dom->name, matches, type);
        return VMCTL_EXIT_FAIL;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE, "DetachDevice",
                   g_variant_new("(su)", found->xml, flags), NULL, &err);
    if (!r) {
        g_autofree char *prefix = g_strdup_printf(
            _("failed to detach interface from domain '%s'"), dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    printf("%s\n", _("Interface detached successfully"));
    return VMCTL_EXIT_OK;
}

/* ---- hostfwd-add / hostfwd-remove ---------------------------------------- */

/* The user-mode interface a rule applies to: --interface, else the only
 * (or first) interface of type 'user', named by its MAC. */
static char *user_iface(VmctlCtx *ctx, const VmctlDomain *dom, VmctlArgs *args)
{
    g_autoptr(VmctlDomXml) dx = NULL;

    if (vmctl_args_has(args, "interface")) {
        return g_strdup(vmctl_args_get(args, "interface"));
    }
    dx = load_ifaces(ctx, dom, !dom->active);
    if (!dx) {
        return NULL;
    }
    for (guint i = 0; i < dx->ifaces->len; i++) {
        const VmctlIface *f = g_ptr_array_index(dx->ifaces, i);

        if (strcmp(f->type, "user") == 0) {
            if (f->mac) {
                return g_strdup(f->mac);
            }
            return g_strdup(f->alias ? f->alias : f->target);
        }
    }
    vmctl_error(_("domain '%s' has no user-mode interface"), dom->name);
    return NULL;
}

static int cmd_hostfwd(VmctlCtx *ctx, const VmctlCmdDef *cmd, VmctlArgs *args)
{
    bool add = strcmp(cmd->name, "hostfwd-add") == 0;
    const char *rule = vmctl_args_get(args, "rule");
    g_autoptr(VmctlDomain) dom = NULL;
    g_autoptr(GError) err = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *iface = NULL;

    dom = vmctl_domain_lookup(ctx, vmctl_args_get(args, "domain"));
    if (!dom) {
        return VMCTL_EXIT_FAIL;
    }
    iface = user_iface(ctx, dom, args);
    if (!iface) {
        return VMCTL_EXIT_FAIL;
    }
    r = vmctl_call(ctx, dom->path, VMCTL_DOMAIN_IFACE,
                   add ? "HostfwdAdd" : "HostfwdRemove",
                   g_variant_new("(ss)", iface, rule), NULL, &err);
    if (!r) {
        g_autofree char *prefix =
            add ? g_strdup_printf(_("failed to add port forwarding '%s' to "
                                    "domain '%s'"),
                                  rule, dom->name)
                : g_strdup_printf(_("failed to remove port forwarding '%s' "
                                    "from domain '%s'"),
                                  rule, dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    if (add) {
        printf(_("Port forwarding '%s' added\n"), rule);
    } else {
        printf(_("Port forwarding '%s' removed\n"), rule);
    }
    return VMCTL_EXIT_OK;
}

/* ---- table --------------------------------------------------------------- */

#define OPT_IFACE                                                              \
    {                                                                          \
        "interface", VMCTL_OPT_ARG, N_("INTERFACE"),                           \
            N_("interface: target device name, MAC address or alias")          \
    }
#define OPTS_AFFECT                                                            \
    {"live", VMCTL_OPT_BOOL, NULL, N_("affect the running domain")},           \
        {"config", VMCTL_OPT_BOOL, NULL,                                       \
         N_("affect the persistent definition")},                              \
    {                                                                          \
        "current", VMCTL_OPT_BOOL, NULL,                                       \
            N_("affect the current state of the domain (default)")             \
    }

static const VmctlOptDef opts_domiflist[] = {
    VMCTL_OPT_DOMAIN,
    {"inactive", VMCTL_OPT_BOOL, NULL,
     N_("list the interfaces of the persistent definition")},
    {"json", VMCTL_OPT_BOOL, NULL, N_("print JSON")},
    {NULL},
};
static const VmctlOptDef opts_domifstat[] = {
    VMCTL_OPT_DOMAIN,
    OPT_IFACE,
    {"json", VMCTL_OPT_BOOL, NULL, N_("print JSON")},
    {NULL},
};
static const VmctlOptDef opts_setlink[] = {
    VMCTL_OPT_DOMAIN,
    OPT_IFACE,
    {"state", VMCTL_OPT_ARG, N_("up|down"), N_("new link state")},
    {NULL},
};
static const VmctlOptDef opts_attach[] = {
    VMCTL_OPT_DOMAIN,
    {"type", VMCTL_OPT_ARG, N_("TYPE"),
     N_("user, network, bridge, ethernet, mcast, server, client, udp or "
        "hub")},
    {"source", VMCTL_OPT_ARG_OPT, N_("SOURCE"),
     N_("network, bridge or hub name, TAP name (ethernet) or "
        "ADDRESS:PORT (sockets)")},
    {"target", VMCTL_OPT_STRING, N_("DEV"), N_("target device name")},
    {"mac", VMCTL_OPT_STRING, N_("MAC"), N_("MAC address")},
    {"model", VMCTL_OPT_STRING, N_("MODEL"), N_("NIC model: virtio or e1000")},
    {"local", VMCTL_OPT_STRING, N_("ADDRESS:PORT"),
     N_("local address of a udp (required), mcast or client socket")},
    OPTS_AFFECT,
    {"print-xml", VMCTL_OPT_BOOL, NULL,
     N_("print the interface XML instead of attaching it")},
    {NULL},
};
static const VmctlOptDef opts_detach[] = {
    VMCTL_OPT_DOMAIN,
    {"type", VMCTL_OPT_ARG, N_("TYPE"), N_("interface type")},
    {"mac", VMCTL_OPT_STRING, N_("MAC"),
     N_("MAC address (needed when several interfaces have the type)")},
    OPTS_AFFECT,
    {NULL},
};
static const VmctlOptDef opts_hostfwd[] = {
    VMCTL_OPT_DOMAIN,
    {"rule", VMCTL_OPT_ARG, N_("RULE"),
     N_("QEMU hostfwd rule, e.g. tcp:127.0.0.1:2222-:22 (remove: "
        "tcp:127.0.0.1:2222)")},
    {"interface", VMCTL_OPT_STRING, N_("INTERFACE"),
     N_("user-mode interface (default: the first one)")},
    {NULL},
};

const VmctlCmdDef vmctl_iface_cmds[] = {
    {"domiflist", N_("list all domain virtual interfaces"), NULL,
     opts_domiflist, cmd_domiflist},
    {"domifstat", N_("get network interface stats for a running domain"), NULL,
     opts_domifstat, cmd_domifstat},
    {"domif-setlink", N_("set the link state of a virtual interface"), NULL,
     opts_setlink, cmd_setlink},
    {"attach-interface", N_("attach a network interface"),
     N_("Builds an <interface> element from the options and attaches it "
        "to the running domain (--live), to its definition (--config) or "
        "to both."),
     opts_attach, cmd_attach},
    {"detach-interface", N_("detach a network interface"), NULL, opts_detach,
     cmd_detach},
    {"hostfwd-add", N_("add a port forwarding to a user-mode interface"), NULL,
     opts_hostfwd, cmd_hostfwd},
    {"hostfwd-remove",
     N_("remove a port forwarding from a user-mode interface"), NULL,
     opts_hostfwd, cmd_hostfwd},
    {NULL},
};
