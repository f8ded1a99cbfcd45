/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/hotplug.c: live attach and detach of interfaces of a running
 * domain (PCIe native hot-plug through the engine's root ports). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "daemon/build.h"
#include "daemon/lifecycle-internal.h"

/*
 * libvirt's qemuDomainAttachNetDevice / qemuDomainDetachDeviceLive, on
 * the engine's Engine1 methods (schemas/dbus/org.vmkit.Engine1.xml):
 *
 *   attach  free port "pci.N" and alias "netM" chosen, the interface
 *           joins the live definition (defaults filled, validated);
 *           host side (TAP, hub port: daemon/netdev.c); NetdevAdd with
 *           the TAP's fd (a hub port is a socket the engine connects
 *           to), DeviceAdd "...,bus=pci.N,id=netM-nic" — the option
 *           text of daemon/build.c, as at start. A failure unwinds in
 *           reverse (NetdevDel, host side released, definition as it
 *           was). Then the live XML is saved; DeviceAdded(alias).
 *   detach  DeviceDel presses the slot's attention button; the guest
 *           powers the slot off and the engine emits DeviceDeleted; only
 *           then NetdevDel, host side released, the interface leaves the
 *           live definition; DeviceRemoved(alias). The caller waits at
 *           most VMD_HOTPLUG_UNPLUG_MS in the main loop (other calls are
 *           served meanwhile), then gets Timeout; the removal still
 *           completes whenever the guest lets go.
 * Cold-plugged NICs sit on bus 0 (pcie.0), which has no hot-plug: they
 * are detached with CONFIG only (Unsupported live).
 */

#define VMD_HOTPLUG_UNPLUG_MS 8000

typedef struct {
    VmdRun *run; /* a ref */
    VmdNetDef *net; /* borrowed: in run->live->nets until rolled back */
    char *alias;
    VmdLifecycleReply reply;
    gpointer data;
} VmdPlug;

typedef struct {
    VmdRun *run; /* a ref */
    char *alias;
    VmdLifecycleReply reply; /* NULL once answered */
    gpointer data;
    guint timer;
    gboolean call_pending; /* DeviceDel not answered yet */
} VmdUnplug;

static void vmd_plug_free(VmdPlug *p)
{
    vmd_run_unref(p->run);
    g_free(p->alias);
    g_free(p);
}

/* Index of @net in the live definition, or -1 when gone. */
static int vmd_live_index(VmdRun *run, const VmdNetDef *net)
{
    guint i;

    if (run->live != NULL && g_ptr_array_find(run->live->nets, net, &i)) {
        return (int)i;
    }
    return -1;
}

static int vmd_live_index_by_alias(VmdRun *run, const char *alias)
{
    for (guint i = 0; i < run->live->nets->len; i++) {
        const VmdNetDef *net = g_ptr_array_index(run->live->nets, i);
        g_autofree char *id = vmd_build_net_id(net, i);

        if (strcmp(id, alias) == 0) {
            return (int)i;
        }
    }
    return -1;
}

void vmd_hotplug_assign_aliases(VmdDomainDef *live)
{
    for (guint i = 0; i < live->nets->len; i++) {
        VmdNetDef *net = g_ptr_array_index(live->nets, i);

        for (guint n = i; net->alias == NULL; n++) {
            g_autofree char *alias = g_strdup_printf("net%u", n);
            gboolean taken = FALSE;

            for (guint j = 0; j < live->nets->len && !taken; j++) {
                const VmdNetDef *o = g_ptr_array_index(live->nets, j);

                taken = g_strcmp0(o->alias, alias) == 0;
            }
            if (!taken) {
                net->alias = g_steal_pointer(&alias);
            }
        }
    }
}

/* The interface leaves the live definition and the host side goes. */
static void vmd_live_remove(VmdRun *run, guint i)
{
    if (run->net != NULL) {
        vmd_net_run_remove(run->net, i);
    }
    g_ptr_array_remove_index(run->live->nets, i);
}

static void vmd_ignore_reply(GObject *src, GAsyncResult *res, gpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);

    if (r == NULL) {
        g_debug("engine: %s", error->message);
    }
}

static void vmd_save_live(VmdRun *run)
{
    g_autoptr(GError) error = NULL;

    if (run->obj != NULL && !vmd_run_save(run, &error)) {
        g_warning(_("domain '%s': cannot save the live definition: %s"),
                  run->obj->def->name, error->message);
    }
}

/* ---- attach ---------------------------------------------------------------- */

/* The attach failed after the interface joined the live definition. */
static void vmd_plug_fail(VmdPlug *p, gboolean netdev_added, GError *error)
{
    VmdRun *run = p->run;
    int i;

    run->hotplug_busy = FALSE;
    if (run->obj == NULL || run->exited) {
        g_clear_error(&error);
        error = g_error_new_literal(VMD_ERROR, VMD_ERROR_INVALID_STATE,
                                    _("the domain stopped"));
    } else {
        if (netdev_added && run->engine != NULL) {
            vmd_engine_call(run->engine, NULL, "NetdevDel",
                            g_variant_new("(s)", p->alias), NULL, NULL,
                            vmd_ignore_reply, NULL);
        }
        i = vmd_live_index(run, p->net);
        if (i >= 0) {
            vmd_live_remove(run, (guint)i);
        }
        g_prefix_error(&error, _("cannot attach interface '%s': "), p->alias);
    }
    p->reply(NULL, error, p->data);
    vmd_plug_free(p);
}

static void vmd_plug_device_added(GObject *src, GAsyncResult *res,
                                  gpointer data)
{
    VmdPlug *p = data;
    VmdRun *run = p->run;
    GError *error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);

    if (r == NULL || run->obj == NULL) {
        vmd_plug_fail(p, TRUE, error);
        return;
    }
    run->hotplug_busy = FALSE;
    vmd_save_live(run);
    vmd_daemon_emit_device(run->lc->daemon, run->obj, TRUE, p->alias);
    p->reply(NULL, NULL, p->data);
    vmd_plug_free(p);
}

static void vmd_plug_netdev_added(GObject *src, GAsyncResult *res,
                                  gpointer data)
{
    VmdPlug *p = data;
    VmdRun *run = p->run;
    GError *error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);
    g_autoptr(GString) dev = g_string_new(NULL);
    int i;

    if (r == NULL || run->obj == NULL || run->engine == NULL ||
        (i = vmd_live_index(run, p->net)) < 0) {
        vmd_plug_fail(p, r != NULL, error);
        return;
    }
    vmd_build_nic(dev, p->net, (guint)i);
    vmd_engine_call(run->engine, NULL, "DeviceAdd",
                    g_variant_new("(s)", dev->str), "(s)", NULL,
                    vmd_plug_device_added, p);
}

/* A free hot-plug port (bus number), or 0. */
static guint vmd_free_port(const VmdDomainDef *live)
{
    for (guint p = 0; p < live->ports->len; p++) {
        guint bus = ((const VmdPciPortDef *)g_ptr_array_index(live->ports, p))
                        ->index;
        gboolean used = FALSE;

        for (guint i = 0; i < live->nets->len && !used; i++) {
            const VmdNetDef *net = g_ptr_array_index(live->nets, i);

            used = net->addr.type == VMD_ADDR_PCI && net->addr.bus == bus;
        }
        if (!used) {
            return bus;
        }
    }
    return 0;
}

/* A running domain whose engine answers, and no other change under way. */
static VmdRun *vmd_hotplug_run(VmdDomainObj *obj, VmdLifecycleReply reply,
                               gpointer data)
{
    VmdRun *run = vmd_require_active(obj, reply, data);

    if (run == NULL) {
        return NULL;
    }
    if (run->engine == NULL || vmd_engine_is_closed(run->engine)) {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_STATE,
                        _("no connection to the engine of domain '%s' yet"),
                        obj->def->name);
        return NULL;
    }
    if (run->hotplug_busy) {
        vmd_reply_error(reply, data, VMD_ERROR_INVALID_STATE,
                        _("another device change of domain '%s' is in "
                          "progress"),
                        obj->def->name);
        return NULL;
    }
    return run;
}

void vmd_lifecycle_attach_net(VmdLifecycle *lc, VmdDomainObj *obj,
                              VmdNetDef *net, VmdLifecycleReply reply,
                              gpointer data)
{
    g_autoptr(VmdNetDef) owned = net;
    g_autoptr(GString) nd = g_string_new(NULL);
    g_autoptr(GUnixFDList) fds = NULL;
    VmdRun *run = vmd_hotplug_run(obj, reply, data);
    GError *error = NULL;
    GVariantBuilder handles;
    VmdPlug *p;
    guint i, bus;
    int fd;

    if (run == NULL) {
        return;
    }
    if (net->addr.type == VMD_ADDR_VIRTIO_MMIO) {
        vmd_reply_error(reply, data, VMD_ERROR_UNSUPPORTED,
                        _("virtio-mmio interfaces cannot be hot-plugged "
                          "(the virt board's virtio-mmio slots are fixed)"));
        return;
    }
    if (net->addr.type == VMD_ADDR_PCI && net->addr.bus == 0) {
        vmd_reply_error(reply, data, VMD_ERROR_UNSUPPORTED,
                        _("PCI bus 0 (pcie.0) has no hot-plug: give no "
                          "address, or bus N slot 0 (behind the "
                          "pcie-root-port of index N)"));
        return;
    }
    if (net->addr.type == VMD_ADDR_NONE) {
        bus = vmd_free_port(run->live);
        if (bus == 0) {
            vmd_reply_error(reply, data, VMD_ERROR_FAILED,
                            _("all %u hot-plug ports of domain '%s' are in "
                              "use"),
                            run->live->ports->len, obj->def->name);
            return;
        }
        net->addr.type = VMD_ADDR_PCI;
        net->addr.bus = bus;
        net->addr.slot = 0;
    }
    /* the live definition's rules: MAC, port and alias unique */
    owned = NULL;
    if (!vmd_domain_def_add_net(run->live, net, NULL, &error)) {
        reply(NULL, error, data);
        return;
    }
    i = run->live->nets->len - 1;
    vmd_hotplug_assign_aliases(run->live);
    if (run->net == NULL) {
        run->net = vmd_net_run_new(run->base);
    }
    /* a TAP's fd goes with NetdevAdd; a hub port listens, the engine
     * connects to it (the same -netdev stream text as at start) */
    fd = vmd_net_run_add(run->net, run->lc->hubs, obj->def->name,
                         obj->def->uuid, run->live, i, &error);
    if (fd < -1 ||
        !vmd_build_netdev(nd, net, i, fd >= 0 ? VMD_BUILD_FD_PASSED : -1,
                          run->base, &error)) {
        vmd_live_remove(run, i);
        reply(NULL, error, data);
        return;
    }
    fds = g_unix_fd_list_new();
    if (fd >= 0 && g_unix_fd_list_append(fds, fd, &error) < 0) {
        vmd_live_remove(run, i);
        reply(NULL, error, data);
        return;
    }
    /* the list holds a copy: vmd keeps none (the TAP goes with the NIC) */
    vmd_net_run_spawned(run->net);
    p = g_new0(VmdPlug, 1);
    p->run = vmd_run_ref(run);
    p->net = net;
    p->alias = g_strdup(net->alias);
    p->reply = reply;
    p->data = data;
    run->hotplug_busy = TRUE;
    g_debug("domain %s: NetdevAdd %s", obj->def->name, nd->str);
    g_variant_builder_init(&handles, G_VARIANT_TYPE("ah"));
    if (fd >= 0) {
        g_variant_builder_add(&handles, "h", 0);
    }
    vmd_engine_call_with_fds(run->engine, NULL, "NetdevAdd",
                             g_variant_new("(sah)", nd->str, &handles), fds,
                             NULL, NULL, vmd_plug_netdev_added, p);
}

/* ---- detach ---------------------------------------------------------------- */

static void vmd_unplug_finish(VmdUnplug *u, GError *error)
{
    VmdRun *run = u->run;

    if (u->timer != 0) {
        g_source_remove(u->timer);
        u->timer = 0;
    }
    if (u->reply != NULL) {
        VmdLifecycleReply reply = u->reply;

        u->reply = NULL;
        reply(NULL, error, u->data);
    } else if (error != NULL) {
        g_error_free(error);
    }
    run->unplugs = g_slist_remove(run->unplugs, u);
    if (!u->call_pending) {
        vmd_run_unref(run);
        g_free(u->alias);
        g_free(u);
    }
}

static gboolean vmd_unplug_timeout(gpointer data)
{
    VmdUnplug *u = data;

    u->timer = 0;
    vmd_unplug_finish(
        u, g_error_new(VMD_ERROR, VMD_ERROR_TIMEOUT,
                       _("the guest did not release interface '%s' within "
                         "%u s: its removal was requested and completes "
                         "when the guest lets go (DeviceRemoved)"),
                       u->alias, VMD_HOTPLUG_UNPLUG_MS / 1000));
    return G_SOURCE_REMOVE;
}

static void vmd_unplug_requested(GObject *src, GAsyncResult *res,
                                 gpointer data)
{
    VmdUnplug *u = data;
    GError *error = NULL;
    g_autoptr(GVariant) r = vmd_engine_call_finish(res, &error);
    gboolean waiting = g_slist_find(u->run->unplugs, u) != NULL;

    u->call_pending = FALSE;
    if (!waiting) {
        /* DeviceDeleted came first (a slot the guest never powered) */
        g_clear_error(&error);
        vmd_run_unref(u->run);
        g_free(u->alias);
        g_free(u);
        return;
    }
    if (r == NULL) {
        g_prefix_error(&error, _("cannot detach interface '%s': "), u->alias);
        vmd_unplug_finish(u, error);
        return;
    }
    u->timer = g_timeout_add(VMD_HOTPLUG_UNPLUG_MS, vmd_unplug_timeout, u);
}

void vmd_lifecycle_detach_net(VmdLifecycle *lc, VmdDomainObj *obj,
                              const VmdNetDef *match, VmdLifecycleReply reply,
                              gpointer data)
{
    VmdRun *run = vmd_hotplug_run(obj, reply, data);
    GError *error = NULL;
    const VmdNetDef *net;
    g_autofree char *nic = NULL;
    VmdUnplug *u;
    int i;

    if (run == NULL) {
        return;
    }
    i = vmd_domain_def_find_net(run->live, match, &error);
    if (i < 0) {
        reply(NULL, error, data);
        return;
    }
    net = g_ptr_array_index(run->live->nets, i);
    if (net->addr.type != VMD_ADDR_PCI || net->addr.bus == 0) {
        vmd_reply_error(reply, data, VMD_ERROR_UNSUPPORTED,
                        _("interface '%s' is not behind a hot-plug port "
                          "(bus 0 and virtio-mmio have no hot-plug): detach "
                          "it with CONFIG, it goes at the next start"),
                        net->alias);
        return;
    }
    u = g_new0(VmdUnplug, 1);
    u->run = vmd_run_ref(run);
    u->alias = vmd_build_net_id(net, (guint)i);
    u->reply = reply;
    u->data = data;
    u->call_pending = TRUE;
    /* registered before the call: DeviceDeleted may precede its reply */
    run->unplugs = g_slist_append(run->unplugs, u);
    nic = vmd_build_nic_id(net, (guint)i);
    vmd_engine_call(run->engine, NULL, "DeviceDel", g_variant_new("(s)", nic),
                    NULL, NULL, vmd_unplug_requested, u);
}

void vmd_hotplug_device_deleted(VmdRun *run, const char *id)
{
    g_autofree char *alias = NULL;
    GSList *l, *next;
    int i;

    if (run->obj == NULL || !g_str_has_suffix(id, "-nic")) {
        return;
    }
    alias = g_strndup(id, strlen(id) - strlen("-nic"));
    i = vmd_live_index_by_alias(run, alias);
    if (i < 0) {
        return;
    }
    g_debug("domain %s: %s deleted", run->obj->def->name, id);
    if (run->engine != NULL) {
        vmd_engine_call(run->engine, NULL, "NetdevDel",
                        g_variant_new("(s)", alias), NULL, NULL,
                        vmd_ignore_reply, NULL);
    }
    vmd_live_remove(run, (guint)i);
    vmd_save_live(run);
    vmd_daemon_emit_device(run->lc->daemon, run->obj, FALSE, alias);
    for (l = run->unplugs; l != NULL; l = next) {
        VmdUnplug *u = l->data;

        next = l->next;
        if (strcmp(u->alias, alias) == 0) {
            vmd_unplug_finish(u, NULL);
        }
    }
}

void vmd_hotplug_run_over(VmdRun *run)
{
    while (run->unplugs != NULL) {
        vmd_unplug_finish(run->unplugs->data,
                          g_error_new_literal(VMD_ERROR,
                                              VMD_ERROR_INVALID_STATE,
                                              _("the domain stopped")));
    }
}
