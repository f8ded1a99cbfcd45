/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/daemon/test-attach.c: AttachDevice/DetachDevice of interfaces. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "daemon/domain.h"
#include "daemon/error.h"
#include "tests/daemon/dbus-harness.h"
#include "tests/daemon/test-common.h"

/*
 * AttachDevice / DetachDevice of <interface> elements, in the persistent
 * definition (the virt board cannot hot-plug: live changes are refused).
 * Each test gets its own dbus-daemon (a minimal session config in a temp
 * dir, --print-address), its own state dir and a vmd started with
 * --bus-address/--state-dir, and talks to it with GDBus like any client.
 */

#define NAME     "org.vmkit.Vmd1"
#define PATH     "/org/vmkit/Vmd1"
#define MANAGER  "org.vmkit.Vmd1.Manager"
#define DOMAIN   "org.vmkit.Vmd1.Domain"
#define UUID     "c7a5fdbd-edaf-4455-926a-d65c16db1809"
#define DOM_PATH PATH "/domain/_c7a5fdbd_edaf_4455_926a_d65c16db1809"

#define XML1                                                                   \
    "<domain type='vmkit'>\n"                                                  \
    "  <name>test1</name>\n"                                                   \
    "  <uuid>" UUID "</uuid>\n"                                                \
    "  <memory unit='MiB'>128</memory>\n"                                      \
    "  <os><type arch='riscv64' machine='virt'>hvm</type>"                     \
    "<loader>none</loader></os>\n"                                             \
    "  <devices>\n"                                                            \
    "    <interface type='user'><mac address='52:54:00:12:34:56'/>"            \
    "</interface>\n"                                                           \
    "  </devices>\n"                                                           \
    "</domain>\n"

#define TIMEOUT_MS 20000

typedef struct {
    gboolean skip;
    char *tmp;
    char *state;
    char *address;
    GPid bus_pid;
    GPid vmd_pid;
    char *engine; /* engine/vmkit of the build tree, or a missing one */
    gboolean have_engine;
    GDBusConnection *conn;
    GQueue events; /* GVariant (oii) */
    GQueue props;  /* GVariant (sa{sv}as) */
    GQueue added, removed; /* GVariant (s): DeviceAdded, DeviceRemoved */
    guint sub_events, sub_props, sub_added, sub_removed;
} Fixture;

static void start_vmd(Fixture *f)
{
    /* the build tree's engine runs bare machines for the running cases */
    f->vmd_pid = vmd_test_start_vmd(f->conn, NAME, f->address, f->state,
                                    f->engine, TIMEOUT_MS);
}

/* SIGTERM, and vmd must exit cleanly (status 0). */
static void stop_vmd(Fixture *f)
{
    vmd_test_stop_vmd(&f->vmd_pid);
}

/* Engines outlive vmd by design: the test must not leave any behind. */
static void kill_engines(Fixture *f)
{
    g_autofree char *rundir = NULL;
    g_autoptr(GDir) d = NULL;
    const char *name;

    if (f->state == NULL) {
        return;
    }
    rundir = g_build_filename(f->state, "run", NULL);
    d = g_dir_open(rundir, 0, NULL);
    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        g_autofree char *p = NULL;
        g_autofree char *text = NULL;
        GPid pid;

        if (!g_str_has_suffix(name, ".pid")) {
            continue;
        }
        p = g_build_filename(rundir, name, NULL);
        if (g_file_get_contents(p, &text, NULL, NULL) &&
            (pid = (GPid)g_ascii_strtoll(text, NULL, 10)) > 0) {
            kill(pid, SIGKILL);
        }
    }
}

/* A failed assertion aborts without teardown: still kill our engines. */
static Fixture *current;

static void on_abort(int sig)
{
    if (current != NULL) {
        kill_engines(current);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dbus_daemon = g_find_program_in_path("dbus-daemon");

    if (dbus_daemon == NULL) {
        f->skip = TRUE;
        return;
    }
    f->tmp = g_dir_make_tmp("vmd-attach-XXXXXX", &error);
    g_assert_no_error(error);
    f->state = g_build_filename(f->tmp, "state", NULL);
    f->engine = g_build_filename(vmd_test_builddir(), "engine", "vmkit", NULL);
    f->have_engine = g_file_test(f->engine, G_FILE_TEST_IS_EXECUTABLE);
    current = f;
    f->address = vmd_test_start_bus(f->tmp, &f->bus_pid);
    f->conn = g_dbus_connection_new_for_address_sync(
        f->address,
        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
        NULL, NULL, &error);
    g_assert_no_error(error);
    f->sub_events =
        vmd_test_watch(f->conn, MANAGER, "DomainEvent", PATH, NULL, &f->events);
    f->sub_props = vmd_test_watch(f->conn, "org.freedesktop.DBus.Properties",
                                  "PropertiesChanged", NULL, DOMAIN, &f->props);
    f->sub_added =
        vmd_test_watch(f->conn, DOMAIN, "DeviceAdded", NULL, NULL, &f->added);
    f->sub_removed = vmd_test_watch(f->conn, DOMAIN, "DeviceRemoved", NULL,
                                    NULL, &f->removed);
    start_vmd(f);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    if (f->skip) {
        return;
    }
    kill_engines(f);
    current = NULL;
    stop_vmd(f);
    g_dbus_connection_signal_unsubscribe(f->conn, f->sub_events);
    g_dbus_connection_signal_unsubscribe(f->conn, f->sub_props);
    g_dbus_connection_signal_unsubscribe(f->conn, f->sub_added);
    g_dbus_connection_signal_unsubscribe(f->conn, f->sub_removed);
    g_dbus_connection_close_sync(f->conn, NULL, NULL);
    g_clear_object(&f->conn);
    kill(f->bus_pid, SIGTERM);
    waitpid(f->bus_pid, NULL, 0);
    g_spawn_close_pid(f->bus_pid);
    g_queue_clear_full(&f->events, (GDestroyNotify)g_variant_unref);
    g_queue_clear_full(&f->props, (GDestroyNotify)g_variant_unref);
    g_queue_clear_full(&f->added, (GDestroyNotify)g_variant_unref);
    g_queue_clear_full(&f->removed, (GDestroyNotify)g_variant_unref);
    vmd_test_rm_rf(f->tmp);
    g_free(f->tmp);
    g_free(f->state);
    g_free(f->address);
    g_free(f->engine);
}

static GVariant *call(Fixture *f, const char *path, const char *iface,
                      const char *method, GVariant *args,
                      const char *reply_type, GError **error)
{
    return g_dbus_connection_call_sync(
        f->conn, NAME, path, iface, method, args,
        reply_type ? G_VARIANT_TYPE(reply_type) : NULL, G_DBUS_CALL_FLAGS_NONE,
        TIMEOUT_MS, NULL, error);
}

static char *define(Fixture *f, const char *xml)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = call(f, PATH, MANAGER, "DomainDefineXML",
                                 g_variant_new("(s)", xml), "(o)", &error);
    char *path;

    g_assert_no_error(error);
    g_variant_get(r, "(o)", &path);
    return path;
}

static void assert_event(Fixture *f, guint i, const char *path, int event,
                         int detail)
{
    GVariant *ev;
    const char *p;
    gint32 e, d;

    vmd_test_wait_queue(&f->events, i + 1, TIMEOUT_MS);
    ev = g_queue_peek_nth(&f->events, i);
    g_variant_get(ev, "(&oii)", &p, &e, &d);
    g_assert_cmpstr(p, ==, path);
    g_assert_cmpint(e, ==, event);
    g_assert_cmpint(d, ==, detail);
}

#define NOT_RUNNING_LIVE "domain 'test1' is not running (a live change"

enum { AFFECT_CURRENT = 0, AFFECT_LIVE = 1, AFFECT_CONFIG = 2 };
enum { EV_DEFINED = 0, EV_STARTED = 2, EV_STOPPED = 5 };

/* Dispatches the signals already received: after a synchronous call, those
 * emitted before its reply. */
static void drain(void)
{
    while (g_main_context_iteration(NULL, FALSE)) {
    }
}

static char *xml_desc(Fixture *f, const char *path, guint32 flags)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = call(f, path, DOMAIN, "GetXMLDesc",
                                 g_variant_new("(u)", flags), "(s)", &error);
    char *s;

    g_assert_no_error(error);
    g_variant_get(r, "(s)", &s);
    return s;
}

static VmdDomainDef *inactive_def(Fixture *f, const char *path)
{
    g_autofree char *xml = xml_desc(f, path, 2 /* INACTIVE */);
    g_autoptr(GError) error = NULL;
    VmdDomainDef *def = vmd_domain_def_new_from_xml(xml, -1, NULL, &error);

    g_assert_no_error(error);
    return def;
}

static GError *device(Fixture *f, const char *path, const char *method,
                      const char *xml, guint32 flags)
{
    GError *error = NULL;
    g_autoptr(GVariant) r =
        call(f, path, DOMAIN, method, g_variant_new("(su)", xml, flags), "()",
             &error);

    return error;
}

#define DEVICE_OK(method, xml, flags)                                          \
    do {                                                                       \
        g_autoptr(GError) e_ = device(f, DOM_PATH, method, xml, flags);        \
        g_assert_no_error(e_);                                                 \
    } while (0)

/* A refused call: its error, and neither the definition nor the events
 * changed. */
#define DEVICE_FAILS(path, method, xml, flags, name, message)                  \
    do {                                                                       \
        g_autofree char *before_ = xml_desc(f, path, 2);                       \
        guint n_ = g_queue_get_length(&f->events);                             \
        g_autoptr(GError) e_ = device(f, path, method, xml, flags);            \
        g_autofree char *after_ = NULL;                                        \
        vmd_test_assert_dbus_error(e_, name, message);                                  \
        drain();                                                               \
        after_ = xml_desc(f, path, 2);                                         \
        g_assert_cmpstr(after_, ==, before_);                                  \
        g_assert_cmpuint(g_queue_get_length(&f->events), ==, n_);              \
    } while (0)

static const VmdNetDef *net_at(const VmdDomainDef *def, guint i)
{
    g_assert_cmpuint(i, <, def->nets->len);
    return g_ptr_array_index(def->nets, i);
}

static void test_attach_config(Fixture *f, gconstpointer data)
{
    g_autofree char *path = NULL;
    g_autoptr(VmdDomainDef) def = NULL;
    g_autofree char *stored = NULL;
    g_autofree char *xml = NULL;
    const VmdNetDef *n0, *n1, *n2;
    char mac[18];

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    path = define(f, XML1);
    assert_event(f, 0, DOM_PATH, EV_DEFINED, 0);

    /* CONFIG: the interface joins the definition with every default */
    DEVICE_OK("AttachDevice",
              "<interface type='network'>\n"
              "  <source network='lan'/>\n"
              "</interface>\n",
              AFFECT_CONFIG);
    assert_event(f, 1, DOM_PATH, EV_DEFINED, 1 /* UPDATED */);
    def = inactive_def(f, DOM_PATH);
    g_assert_cmpuint(def->nets->len, ==, 2);
    n0 = net_at(def, 0);
    n1 = net_at(def, 1);
    g_assert_cmpint(n1->type, ==, VMD_NET_NETWORK);
    g_assert_cmpstr(n1->source_name, ==, "lan");
    g_assert_true(n1->mac_set);
    g_assert_cmpmem(n1->mac, 3, "\x52\x54\x00", 3);
    g_assert_true(memcmp(n1->mac, n0->mac, 6) != 0);
    g_assert_cmpint(n1->model, ==, VMD_NET_MODEL_VIRTIO);
    g_assert_cmpint(n1->addr.type, ==, VMD_ADDR_PCI);
    g_assert_cmpint(n0->addr.type, ==, VMD_ADDR_PCI);
    g_assert_cmpuint(n1->addr.slot, !=, n0->addr.slot);
    xml = xml_desc(f, DOM_PATH, 2);
    g_test_message("%s", xml);
    g_assert_nonnull(strstr(xml, "<mac address='52:54:00:"));
    g_assert_nonnull(strstr(xml, vmd_domain_mac_format(n1->mac, mac)));
    g_assert_nonnull(strstr(xml, "<source network='lan'/>"));
    g_clear_pointer(&def, vmd_domain_def_free);

    /* CURRENT on an inactive domain is CONFIG; explicit values kept */
    DEVICE_OK("AttachDevice",
              "<interface type='user'>"
              "<mac address='52:54:00:AA:BB:CC'/><model type='e1000'/>"
              "</interface>",
              AFFECT_CURRENT);
    assert_event(f, 2, DOM_PATH, EV_DEFINED, 1);
    def = inactive_def(f, DOM_PATH);
    g_assert_cmpuint(def->nets->len, ==, 3);
    n2 = net_at(def, 2);
    g_assert_cmpstr(vmd_domain_mac_format(n2->mac, mac), ==,
                    "52:54:00:aa:bb:cc");
    g_assert_cmpint(n2->model, ==, VMD_NET_MODEL_E1000);
    g_assert_cmpuint(n2->addr.slot, !=, net_at(def, 0)->addr.slot);
    g_assert_cmpuint(n2->addr.slot, !=, net_at(def, 1)->addr.slot);

    /* a MAC the domain already uses (any case) */
    DEVICE_FAILS(DOM_PATH, "AttachDevice",
                 "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                 "</interface>",
                 AFFECT_CONFIG, "org.vmkit.Vmd1.Error.InvalidArgument",
                 "MAC address 52:54:00:12:34:56 is already used by an "
                 "interface of domain 'test1'");
    DEVICE_FAILS(DOM_PATH, "AttachDevice",
                 "<interface type='bridge'><source bridge='br0'/>"
                 "<mac address='52:54:00:aa:bb:cc'/></interface>",
                 AFFECT_CONFIG, "org.vmkit.Vmd1.Error.InvalidArgument",
                 "52:54:00:aa:bb:cc is already used");

    /* stored: a new vmd reads the same definition */
    stored = xml_desc(f, DOM_PATH, 2);
    stop_vmd(f);
    start_vmd(f);
    {
        g_autofree char *again = xml_desc(f, DOM_PATH, 2);

        g_assert_cmpstr(again, ==, stored);
    }
}

static void test_attach_invalid(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *xml;
        const char *name;
        const char *message;
        gboolean attach_only; /* the domain's rules: detach only matches */
    } cases[] = {
        /* schema, with the line of the fault */
        {"<interface type='user'>\n  <mac address='52:54:00:00:00:01'/>\n"
         "  <foo/>\n</interface>\n",
         "org.vmkit.Vmd1.Error.InvalidXML",
         "line 3: Element interface has extra content: foo"},
        /* not well-formed */
        {"<interface type='user'>\n</interfac>\n",
         "org.vmkit.Vmd1.Error.InvalidXML", "line 2: "},
        /* semantic, as in a whole domain */
        {"<interface type='mcast'>\n"
         "  <source address='10.0.0.1' port='5000'/>\n</interface>\n",
         "org.vmkit.Vmd1.Error.InvalidXML",
         "line 1: mcast interface needs a multicast source address", TRUE},
        {"<interface type='user'>\n  <mac address='01:00:5e:00:00:01'/>\n"
         "</interface>\n",
         "org.vmkit.Vmd1.Error.InvalidXML",
         "line 1: interface MAC address must be unicast", TRUE},
        /* a slot the domain's interface holds */
        {"<interface type='user'>\n"
         "  <address type='pci' domain='0' bus='0' slot='1' function='0'/>\n"
         "</interface>\n",
         "org.vmkit.Vmd1.Error.InvalidXML",
         "line 1: PCI slot 0x01 is used by two devices", TRUE},
        /* not a domain device / not an interface */
        {"<domain type='vmkit'/>", "org.vmkit.Vmd1.Error.InvalidXML",
         "line 1: "},
        {"<serial type='pty'/>", "org.vmkit.Vmd1.Error.Unsupported",
         "only <interface> devices can be attached and detached, not "
         "<serial>"},
        {"", "org.vmkit.Vmd1.Error.InvalidXML", NULL},
    };
    g_autofree char *path = NULL;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    path = define(f, XML1);
    assert_event(f, 0, DOM_PATH, EV_DEFINED, 0);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        DEVICE_FAILS(DOM_PATH, "AttachDevice", cases[i].xml, AFFECT_CONFIG,
                     cases[i].name, cases[i].message);
        if (!cases[i].attach_only) {
            DEVICE_FAILS(DOM_PATH, "DetachDevice", cases[i].xml, AFFECT_CONFIG,
                         cases[i].name, cases[i].message);
        }
    }
    /* unknown flags (VIR_DOMAIN_DEVICE_MODIFY_FORCE = 4 is not ours) */
    DEVICE_FAILS(DOM_PATH, "AttachDevice", "<interface type='user'/>", 4,
                 "org.vmkit.Vmd1.Error.InvalidArgument", NULL);
}

static void test_detach(Fixture *f, gconstpointer data)
{
    g_autofree char *path = NULL;
    g_autoptr(VmdDomainDef) def = NULL;
    g_autofree char *xml = NULL;
    char mac[18];

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    path = define(f, XML1);
    DEVICE_OK("AttachDevice",
              "<interface type='user'><mac address='52:54:00:00:00:02'/>"
              "</interface>",
              AFFECT_CONFIG);
    DEVICE_OK("AttachDevice",
              "<interface type='hub'><mac address='52:54:00:00:00:03'/>"
              "<source hub='lan'/></interface>",
              AFFECT_CONFIG);
    assert_event(f, 2, DOM_PATH, EV_DEFINED, 1);

    /* several of a type: a <mac> must say which */
    DEVICE_FAILS(DOM_PATH, "DetachDevice", "<interface type='user'/>",
                 AFFECT_CONFIG, "org.vmkit.Vmd1.Error.InvalidArgument",
                 "domain 'test1' has 2 interfaces of type 'user': give "
                 "<mac address=...> to choose one");
    DEVICE_FAILS(DOM_PATH, "DetachDevice",
                 "<interface type='user'><mac address='52:54:00:de:ad:01'/>"
                 "</interface>",
                 AFFECT_CONFIG, "org.vmkit.Vmd1.Error.InvalidArgument",
                 "no interface with MAC 52:54:00:de:ad:01 in domain 'test1'");
    DEVICE_FAILS(DOM_PATH, "DetachDevice",
                 "<interface type='bridge'><source bridge='br0'/></interface>",
                 AFFECT_CONFIG, "org.vmkit.Vmd1.Error.InvalidArgument",
                 "no interface of type 'bridge' in domain 'test1'");

    /* by MAC (vmctl sends the element of the definition, whole) */
    DEVICE_OK("DetachDevice",
              "<interface type='user'>\n"
              "  <mac address='52:54:00:12:34:56'/>\n"
              "  <model type='virtio'/>\n"
              "  <address type='pci' domain='0x0000' bus='0x00' "
              "slot='0x01' function='0x0'/>\n"
              "</interface>\n",
              AFFECT_CONFIG);
    assert_event(f, 3, DOM_PATH, EV_DEFINED, 1);
    xml = xml_desc(f, DOM_PATH, 2);
    g_assert_null(strstr(xml, "52:54:00:12:34:56"));
    def = inactive_def(f, DOM_PATH);
    g_assert_cmpuint(def->nets->len, ==, 2);
    g_assert_cmpstr(vmd_domain_mac_format(net_at(def, 0)->mac, mac), ==,
                    "52:54:00:00:00:02");
    g_clear_pointer(&def, vmd_domain_def_free);

    /* by type, when only one has it; CURRENT on an inactive domain */
    DEVICE_OK("DetachDevice",
              "<interface type='hub'><source hub='x'/>"
              "</interface>",
              AFFECT_CURRENT);
    assert_event(f, 4, DOM_PATH, EV_DEFINED, 1);
    def = inactive_def(f, DOM_PATH);
    g_assert_cmpuint(def->nets->len, ==, 1);
    g_assert_cmpint(net_at(def, 0)->type, ==, VMD_NET_USER);
    g_clear_pointer(&def, vmd_domain_def_free);

    /* the slot freed is used again */
    DEVICE_OK("AttachDevice", "<interface type='user'/>", AFFECT_CONFIG);
    def = inactive_def(f, DOM_PATH);
    g_assert_cmpuint(net_at(def, 1)->addr.slot, ==, 1);
}

static void test_live(Fixture *f, gconstpointer data)
{
    g_autofree char *path = NULL;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    path = define(f, XML1);
    assert_event(f, 0, DOM_PATH, EV_DEFINED, 0);
    /* LIVE, alone or with CONFIG, on a domain that does not run: refused
     * as a whole */
    DEVICE_FAILS(DOM_PATH, "AttachDevice",
                 "<interface type='network'><source network='lan'/>"
                 "</interface>",
                 AFFECT_LIVE, "org.vmkit.Vmd1.Error.InvalidState",
                 NOT_RUNNING_LIVE);
    DEVICE_FAILS(DOM_PATH, "AttachDevice",
                 "<interface type='network'><source network='lan'/>"
                 "</interface>",
                 AFFECT_LIVE | AFFECT_CONFIG,
                 "org.vmkit.Vmd1.Error.InvalidState", NOT_RUNNING_LIVE);
    DEVICE_FAILS(DOM_PATH, "DetachDevice",
                 "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                 "</interface>",
                 AFFECT_LIVE, "org.vmkit.Vmd1.Error.InvalidState",
                 NOT_RUNNING_LIVE);
    DEVICE_FAILS(DOM_PATH, "DetachDevice",
                 "<interface type='user'><mac address='52:54:00:12:34:56'/>"
                 "</interface>",
                 AFFECT_LIVE | AFFECT_CONFIG,
                 "org.vmkit.Vmd1.Error.InvalidState", NOT_RUNNING_LIVE);
}

static void assert_signal(GQueue *q, guint i, const char *alias)
{
    const char *a;

    vmd_test_wait_queue(q, i + 1, TIMEOUT_MS);
    g_variant_get(g_queue_peek_nth(q, i), "(&s)", &a);
    g_assert_cmpstr(a, ==, alias);
}

/* A live change refused: its error, the live XML unchanged. */
#define LIVE_FAILS(method, xml, flags, name, message)                          \
    do {                                                                       \
        g_autofree char *before_ = xml_desc(f, DOM_PATH, 0);                   \
        g_autoptr(GError) e_ = device(f, DOM_PATH, method, xml, flags);        \
        g_autofree char *after_ = NULL;                                        \
        vmd_test_assert_dbus_error(e_, name, message);                         \
        after_ = xml_desc(f, DOM_PATH, 0);                                     \
        g_assert_cmpstr(after_, ==, before_);                                  \
    } while (0)

/* A running domain (a bare machine: no guest needed; a slot it never
 * powered gives its device up at once, so detach completes at once). */
static void test_running(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *path = NULL;
    g_autofree char *live = NULL;
    g_autofree char *inactive = NULL;
    const char *attach = "<interface type='network'><source network='lan'/>"
                         "<mac address='52:54:00:00:00:09'/></interface>";
    const char *user9 = "<interface type='user'>"
                        "<mac address='52:54:00:00:00:09'/></interface>";

    if (f->skip || !f->have_engine) {
        g_test_skip("dbus-daemon or the engine missing");
        return;
    }
    /* transient: no persistent definition to change */
    r = call(f, PATH, MANAGER, "DomainCreateXML",
             g_variant_new("(su)", XML1, 0u), "(o)", &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    assert_event(f, 0, DOM_PATH, EV_STARTED, 0);
    DEVICE_FAILS(DOM_PATH, "AttachDevice", attach, AFFECT_CONFIG,
                 "org.vmkit.Vmd1.Error.InvalidState",
                 "transient domain has no persistent config");
    DEVICE_FAILS(DOM_PATH, "DetachDevice", "<interface type='user'/>",
                 AFFECT_CONFIG, "org.vmkit.Vmd1.Error.InvalidState",
                 "transient domain has no persistent config");
    /* CURRENT is LIVE: no hub 'lan' */
    LIVE_FAILS("AttachDevice", attach, AFFECT_CURRENT,
               "org.vmkit.Vmd1.Error.NoHub", "no hub named 'lan'");
    r = call(f, DOM_PATH, DOMAIN, "Destroy", g_variant_new("(u)", 0u), NULL,
             &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    assert_event(f, 1, DOM_PATH, EV_STOPPED, 1);

    /* persistent and running */
    path = define(f, XML1);
    assert_event(f, 2, DOM_PATH, EV_DEFINED, 0);
    r = call(f, DOM_PATH, DOMAIN, "Create", g_variant_new("(u)", 0u), NULL,
             &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    assert_event(f, 3, DOM_PATH, EV_STARTED, 0);
    live = xml_desc(f, DOM_PATH, 0);
    g_assert_nonnull(strstr(live, "<alias name='net0'/>"));

    /* refusals, nothing changed */
    LIVE_FAILS("AttachDevice", attach, AFFECT_LIVE | AFFECT_CONFIG,
               "org.vmkit.Vmd1.Error.NoHub", "no hub named 'lan'");
    LIVE_FAILS("AttachDevice",
               "<interface type='user'><mac address='52:54:00:12:34:56'/>"
               "</interface>",
               AFFECT_LIVE, "org.vmkit.Vmd1.Error.InvalidArgument",
               "52:54:00:12:34:56 is already used");
    LIVE_FAILS("AttachDevice",
               "<interface type='user'><address type='pci' slot='5'/>"
               "</interface>",
               AFFECT_LIVE, "org.vmkit.Vmd1.Error.Unsupported",
               "PCI bus 0 (pcie.0) has no hot-plug");
    LIVE_FAILS("AttachDevice",
               "<interface type='user'><address type='virtio-mmio'/>"
               "</interface>",
               AFFECT_LIVE, "org.vmkit.Vmd1.Error.Unsupported",
               "virtio-mmio interfaces cannot be hot-plugged");
    LIVE_FAILS("AttachDevice", "<interface type='user'><model type='rtl8139'/>"
               "</interface>",
               AFFECT_LIVE, "org.vmkit.Vmd1.Error.InvalidXML", NULL);
    LIVE_FAILS("AttachDevice", "<interface type='user'>", AFFECT_LIVE,
               "org.vmkit.Vmd1.Error.InvalidXML", NULL);
    LIVE_FAILS("AttachDevice", "<serial type='pty'/>", AFFECT_LIVE,
               "org.vmkit.Vmd1.Error.Unsupported", "only <interface>");
    LIVE_FAILS("DetachDevice", "<interface type='user'/>", AFFECT_CURRENT,
               "org.vmkit.Vmd1.Error.Unsupported",
               "interface 'net0' is not behind a hot-plug port");
    LIVE_FAILS("DetachDevice",
               "<interface type='user'><mac address='52:54:00:de:ad:01'/>"
               "</interface>",
               AFFECT_LIVE, "org.vmkit.Vmd1.Error.InvalidArgument",
               "no interface with MAC 52:54:00:de:ad:01");
    drain();
    g_assert_cmpuint(g_queue_get_length(&f->added), ==, 0);

    /* LIVE attach: a hot-plug port, an alias, DeviceAdded; not stored */
    DEVICE_OK("AttachDevice", user9, AFFECT_CURRENT);
    assert_signal(&f->added, 0, "net1");
    g_clear_pointer(&live, g_free);
    live = xml_desc(f, DOM_PATH, 0);
    g_test_message("%s", live);
    g_assert_nonnull(strstr(live, "52:54:00:00:00:09"));
    g_assert_nonnull(strstr(live, "<alias name='net1'/>"));
    g_assert_nonnull(strstr(live, "bus='0x01' slot='0x00'"));
    inactive = xml_desc(f, DOM_PATH, 2);
    g_assert_null(strstr(inactive, "52:54:00:00:00:09"));
    g_assert_null(strstr(inactive, "<alias"));
    r = call(f, DOM_PATH, DOMAIN, "InterfaceStats",
             g_variant_new("(s)", "net1"), "(xxxxxxxx)", &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);

    /* LIVE detach: the engine lets go at once (the slot never had power) */
    DEVICE_OK("DetachDevice", user9, AFFECT_LIVE);
    assert_signal(&f->removed, 0, "net1");
    g_clear_pointer(&live, g_free);
    live = xml_desc(f, DOM_PATH, 0);
    g_assert_null(strstr(live, "52:54:00:00:00:09"));
    g_assert_nonnull(strstr(live, "<alias name='net0'/>"));

    /* LIVE|CONFIG: both, with the same generated MAC */
    DEVICE_OK("AttachDevice", "<interface type='user'/>",
              AFFECT_LIVE | AFFECT_CONFIG);
    assert_signal(&f->added, 1, "net1");
    assert_event(f, 4, DOM_PATH, EV_DEFINED, 1);
    {
        g_autoptr(VmdDomainDef) def = inactive_def(f, DOM_PATH);
        g_autofree char *again = xml_desc(f, DOM_PATH, 0);
        char mac[18];

        g_assert_cmpuint(def->nets->len, ==, 2);
        g_assert_nonnull(
            strstr(again, vmd_domain_mac_format(net_at(def, 1)->mac, mac)));
        g_assert_cmpuint(net_at(def, 1)->addr.bus, ==, 0);
        /* and out of both again */
        g_clear_pointer(&again, g_free);
        again = g_strdup_printf("<interface type='user'>"
                                "<mac address='%s'/></interface>",
                                mac);
        DEVICE_OK("DetachDevice", again, AFFECT_LIVE | AFFECT_CONFIG);
        assert_signal(&f->removed, 1, "net1");
        assert_event(f, 5, DOM_PATH, EV_DEFINED, 1);
    }

    /* CONFIG alone: the next start gets it, the running machine not */
    DEVICE_OK("AttachDevice", attach, AFFECT_CONFIG);
    assert_event(f, 6, DOM_PATH, EV_DEFINED, 1);
    g_clear_pointer(&inactive, g_free);
    inactive = xml_desc(f, DOM_PATH, 2);
    g_assert_nonnull(strstr(inactive, "52:54:00:00:00:09"));
    {
        g_autofree char *again = xml_desc(f, DOM_PATH, 0);

        g_assert_null(strstr(again, "52:54:00:00:00:09"));
    }
    DEVICE_OK("DetachDevice", attach, AFFECT_CONFIG);
    assert_event(f, 7, DOM_PATH, EV_DEFINED, 1);
    g_clear_pointer(&inactive, g_free);
    inactive = xml_desc(f, DOM_PATH, 2);
    g_assert_null(strstr(inactive, "52:54:00:00:00:09"));
    r = call(f, DOM_PATH, DOMAIN, "Destroy", g_variant_new("(u)", 0u), NULL,
             &error);
    g_assert_no_error(error);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmd_test_use_source_schemas();
    /* register the error names in this process too */
    (void)vmd_error_quark();
    signal(SIGABRT, on_abort);

#define ADD(name, fn)                                                          \
    g_test_add("/attach/" name, Fixture, NULL, fixture_setup, fn,              \
               fixture_teardown)
    ADD("config", test_attach_config);
    ADD("invalid", test_attach_invalid);
    ADD("detach", test_detach);
    ADD("live", test_live);
    ADD("running", test_running);
#undef ADD
    return g_test_run();
}
