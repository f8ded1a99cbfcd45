/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/daemon/test-dbus.c: vmd's D-Bus API on a private dbus-daemon. */
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
    "  <os><type arch='riscv64' machine='virt'>hvm</type></os>\n"              \
    "  <devices>\n"                                                            \
    "    <interface type='user'><mac address='52:54:00:12:34:56'/>"            \
    "</interface>\n"                                                           \
    "  </devices>\n"                                                           \
    "</domain>\n"

#define TIMEOUT_MS 10000

typedef struct {
    gboolean skip;
    char *tmp;
    char *state;
    char *address;
    GPid bus_pid;
    GPid vmd_pid;
    GDBusConnection *conn;
    GQueue events; /* GVariant (oii) */
    GQueue props;  /* GVariant (sa{sv}as) */
    guint sub_events, sub_props;
} Fixture;

static gboolean name_has_owner(Fixture *f)
{
    return vmd_test_name_has_owner(f->conn, NAME);
}

static void start_vmd(Fixture *f)
{
    /* no engine here (tests/daemon/test-lifecycle runs domains): a start
     * must fail cleanly */
    f->vmd_pid = vmd_test_start_vmd(f->conn, NAME, f->address, f->state,
                                    "/nonexistent/vmkit", TIMEOUT_MS);
}

/* SIGTERM, and vmd must exit cleanly (status 0). */
static void stop_vmd(Fixture *f)
{
    vmd_test_stop_vmd(&f->vmd_pid);
}

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autofree char *dbus_daemon = g_find_program_in_path("dbus-daemon");

    if (dbus_daemon == NULL) {
        f->skip = TRUE;
        return;
    }
    f->tmp = g_dir_make_tmp("vmd-dbus-XXXXXX", &error);
    g_assert_no_error(error);
    f->state = g_build_filename(f->tmp, "state", NULL);
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
    start_vmd(f);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    if (f->skip) {
        return;
    }
    stop_vmd(f);
    g_dbus_connection_signal_unsubscribe(f->conn, f->sub_events);
    g_dbus_connection_signal_unsubscribe(f->conn, f->sub_props);
    g_dbus_connection_close_sync(f->conn, NULL, NULL);
    g_clear_object(&f->conn);
    kill(f->bus_pid, SIGTERM);
    waitpid(f->bus_pid, NULL, 0);
    g_spawn_close_pid(f->bus_pid);
    g_queue_clear_full(&f->events, (GDestroyNotify)g_variant_unref);
    g_queue_clear_full(&f->props, (GDestroyNotify)g_variant_unref);
    vmd_test_rm_rf(f->tmp);
    g_free(f->tmp);
    g_free(f->state);
    g_free(f->address);
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

/* ListDomains(flags) as one comma-separated string */
static char *list(Fixture *f, guint32 flags)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = call(f, PATH, MANAGER, "ListDomains",
                                 g_variant_new("(u)", flags), "(ao)", &error);
    g_autofree const char **paths = NULL;
    g_autoptr(GVariant) arr = NULL;

    g_assert_no_error(error);
    arr = g_variant_get_child_value(r, 0);
    paths = g_variant_get_objv(arr, NULL);
    return g_strjoinv(",", (char **)paths);
}

static GVariant *get_prop(Fixture *f, const char *path, const char *prop)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r =
        call(f, path, "org.freedesktop.DBus.Properties", "Get",
             g_variant_new("(ss)", DOMAIN, prop), "(v)", &error);
    GVariant *v;

    g_assert_no_error(error);
    g_variant_get(r, "(v)", &v);
    return v;
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

static char *expected_xml(const char *xml)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(VmdDomainDef) def =
        vmd_domain_def_new_from_xml(xml, -1, NULL, &error);

    g_assert_no_error(error);
    return vmd_domain_def_format(def);
}

static void test_lifecycle(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *path = NULL;
    g_autofree char *l = NULL;
    g_autofree char *want = expected_xml(XML1);
    g_autofree char *link = NULL;
    const char *s;
    gint32 state, reason;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    l = list(f, 0);
    g_assert_cmpstr(l, ==, "");
    g_clear_pointer(&l, g_free);

    /* DefineXML -> object path and DEFINED/ADDED */
    path = define(f, XML1);
    g_assert_cmpstr(path, ==, DOM_PATH);
    assert_event(f, 0, DOM_PATH, 0, 0);

    /* ListDomains with libvirt's flags */
#define LIST_IS(flags, want)                                                   \
    do {                                                                       \
        g_autofree char *got_ = list(f, flags);                                \
        g_assert_cmpstr(got_, ==, want);                                       \
    } while (0)
    LIST_IS(0, DOM_PATH);
    LIST_IS(1 /* ACTIVE */, "");
    LIST_IS(2 | 4 /* INACTIVE|PERSISTENT */, DOM_PATH);
    LIST_IS(8 /* TRANSIENT */, "");
    LIST_IS(64 /* SHUTOFF */, DOM_PATH);
    LIST_IS(16 | 32 /* RUNNING|PAUSED */, "");
    LIST_IS(1024 /* AUTOSTART */, "");
    LIST_IS(2048 /* NO_AUTOSTART */, DOM_PATH);
    r = call(f, PATH, MANAGER, "ListDomains", g_variant_new("(u)", 1u << 20),
             "(ao)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidArgument", NULL);
    g_clear_error(&error);

    /* lookups */
    r = call(f, PATH, MANAGER, "DomainLookupByName",
             g_variant_new("(s)", "test1"), "(o)", &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&o)", &s);
    g_assert_cmpstr(s, ==, DOM_PATH);
    g_clear_pointer(&r, g_variant_unref);
    r = call(f, PATH, MANAGER, "DomainLookupByUUID",
             g_variant_new("(s)", "C7A5FDBDEDAF4455926AD65C16DB1809"), "(o)",
             &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&o)", &s);
    g_assert_cmpstr(s, ==, DOM_PATH);
    g_clear_pointer(&r, g_variant_unref);
    r = call(f, PATH, MANAGER, "DomainLookupByName",
             g_variant_new("(s)", "nope"), "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.NoDomain", "'nope'");
    g_clear_error(&error);
    r = call(f, PATH, MANAGER, "DomainLookupByUUID",
             g_variant_new("(s)", "xyz"), "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidArgument", NULL);
    g_clear_error(&error);

    /* GetXMLDesc and GetState */
    r = call(f, DOM_PATH, DOMAIN, "GetXMLDesc", g_variant_new("(u)", 0u), "(s)",
             &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&s)", &s);
    g_assert_cmpstr(s, ==, want);
    g_clear_pointer(&r, g_variant_unref);
    r = call(f, DOM_PATH, DOMAIN, "GetState", g_variant_new("(u)", 0u), "(ii)",
             &error);
    g_assert_no_error(error);
    g_variant_get(r, "(ii)", &state, &reason);
    g_assert_cmpint(state, ==, 5); /* VIR_DOMAIN_SHUTOFF */
    g_assert_cmpint(reason, ==, 0);
    g_clear_pointer(&r, g_variant_unref);

    /* properties */
#define PROP_IS(name, fmt, want)                                               \
    do {                                                                       \
        g_autoptr(GVariant) v_ = get_prop(f, DOM_PATH, name);                  \
        g_autofree char *got_ = g_variant_print(v_, FALSE);                    \
        g_assert_cmpstr(got_, ==, want);                                       \
    } while (0)
    PROP_IS("Name", "s", "'test1'");
    PROP_IS("UUID", "s", "'" UUID "'");
    PROP_IS("Id", "i", "-1");
    PROP_IS("Active", "b", "false");
    PROP_IS("Persistent", "b", "true");
    PROP_IS("Autostart", "b", "false");
    PROP_IS("State", "i", "5");

    /* Autostart is writable, stored, and announced */
    r = call(f, DOM_PATH, "org.freedesktop.DBus.Properties", "Set",
             g_variant_new("(ssv)", DOMAIN, "Autostart",
                           g_variant_new_boolean(TRUE)),
             NULL, &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    PROP_IS("Autostart", "b", "true");
    vmd_test_wait_queue(&f->props, 1, TIMEOUT_MS);
    {
        GVariant *pc = g_queue_peek_head(&f->props);
        g_autofree char *txt = g_variant_print(pc, FALSE);

        g_assert_cmpstr(txt, ==,
                        "('org.vmkit.Vmd1.Domain', {'Autostart': <true>}, "
                        "[])");
    }
    link = g_build_filename(f->state, "autostart", "test1.xml", NULL);
    g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    LIST_IS(1024 /* AUTOSTART */, DOM_PATH);

    /* redefine: same name and UUID updates */
    g_free(define(f, XML1));
    assert_event(f, 1, DOM_PATH, 0, 1);
    PROP_IS("Autostart", "b", "true");

    /* same name, other UUID; same UUID, other name: Exists */
    r = call(f, PATH, MANAGER, "DomainDefineXML",
             g_variant_new("(s)",
                           "<domain type='vmkit'><name>test1</name>"
                           "<memory>65536</memory><os><type>hvm</type></os>"
                           "</domain>"),
             "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.Exists", "test1");
    g_clear_error(&error);
    r = call(f, PATH, MANAGER, "DomainDefineXML",
             g_variant_new("(s)",
                           "<domain type='vmkit'><name>test2</name>"
                           "<uuid>" UUID "</uuid>"
                           "<memory>65536</memory><os><type>hvm</type></os>"
                           "</domain>"),
             "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.Exists", UUID);
    g_clear_error(&error);

    /* no engine to run: a failed start changes nothing */
    r = call(f, DOM_PATH, DOMAIN, "Create", g_variant_new("(u)", 0u), NULL,
             &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.Failed",
                      "/nonexistent/vmkit");
    g_clear_error(&error);
    r = call(f, DOM_PATH, DOMAIN, "Destroy", g_variant_new("(u)", 0u), NULL,
             &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidState",
                      "not running");
    g_clear_error(&error);
    r = call(f, DOM_PATH, DOMAIN, "GetXMLDesc", g_variant_new("(u)", 4u), "(s)",
             &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidArgument", NULL);
    g_clear_error(&error);

    /* Undefine: UNDEFINED/REMOVED, gone from list, file and link gone */
    r = call(f, DOM_PATH, DOMAIN, "Undefine", g_variant_new("(u)", 0u), NULL,
             &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);
    assert_event(f, 2, DOM_PATH, 1, 0);
    g_assert_cmpuint(g_queue_get_length(&f->events), ==, 3);
    LIST_IS(0, "");
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    r = call(f, DOM_PATH, DOMAIN, "GetXMLDesc", g_variant_new("(u)", 0u), "(s)",
             &error);
    g_assert_null(r);
    g_assert_nonnull(error);
#undef LIST_IS
#undef PROP_IS
}

static void test_invalid_xml(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *xml;
        const char *substring;
    } cases[] = {
        /* schema error, with the line of the offending element */
        {"<domain type='vmkit'>\n"
         "  <name>bad</name>\n"
         "  <memory>65536</memory>\n"
         "  <os><type>hvm</type></os>\n"
         "  <devices>\n"
         "    <interface type='user'>\n"
         "      <foo/>\n"
         "    </interface>\n"
         "  </devices>\n"
         "</domain>\n",
         "line 7: Element interface has extra content: foo"},
        /* not well-formed */
        {"<domain type='vmkit'>\n<name>bad</name>\n</domian>\n",
         "line 3: malformed XML"},
        /* hostile */
        {"<!DOCTYPE d [<!ENTITY a 'aaaa'>]>\n<domain>&a;</domain>", "DOCTYPE"},
        /* semantic */
        {"<domain type='vmkit'><name>a/b</name><memory>65536</memory>"
         "<os><type>hvm</type></os></domain>",
         "must not contain '/'"},
    };
    g_autofree char *l = NULL;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GVariant) r =
            call(f, PATH, MANAGER, "DomainDefineXML",
                 g_variant_new("(s)", cases[i].xml), "(o)", &error);

        g_assert_null(r);
        vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidXML",
                          cases[i].substring);
    }
    l = list(f, 0);
    g_assert_cmpstr(l, ==, "");
    g_assert_cmpuint(g_queue_get_length(&f->events), ==, 0);
}

/* Calls that cannot succeed here (no engine, no hubs) answer honestly. */
static void test_not_yet(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autofree char *l = NULL;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    /* a transient domain: the XML is checked first */
    r = call(f, PATH, MANAGER, "DomainCreateXML",
             g_variant_new("(su)", "<domain/>", 0u), "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidXML", "line 1: ");
    g_clear_error(&error);
    r = call(f, PATH, MANAGER, "DomainCreateXML",
             g_variant_new("(su)", XML1, 0u), "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.Failed",
                      "/nonexistent/vmkit");
    g_clear_error(&error);
    l = list(f, 0);
    g_assert_cmpstr(l, ==, "");

    /* hubs */
    r = call(f, PATH, MANAGER, "ListHubs", NULL, "(ao)", &error);
    g_assert_no_error(error);
    {
        g_autoptr(GVariant) hubs = g_variant_get_child_value(r, 0);

        g_assert_cmpuint(g_variant_n_children(hubs), ==, 0);
    }
    g_clear_pointer(&r, g_variant_unref);
    /* (hubs that work: tests/daemon/test-hub.c) */
    r = call(f, PATH, MANAGER, "HubCreate", g_variant_new("(s)", "a/b"), "(o)",
             &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.InvalidArgument", "a/b");
    g_clear_error(&error);
    r = call(f, PATH, MANAGER, "HubLookupByName", g_variant_new("(s)", "lan"),
             "(o)", &error);
    vmd_test_assert_dbus_error(error, "org.vmkit.Vmd1.Error.NoHub", "'lan'");
    g_clear_error(&error);

    /* a domain object that does not exist */
    r = call(f, DOM_PATH, DOMAIN, "GetState", g_variant_new("(u)", 0u), "(ii)",
             &error);
    g_assert_null(r);
    g_assert_nonnull(error);
}

static void test_restart(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autoptr(GVariant) autostart = NULL;
    g_autofree char *path = NULL;
    g_autofree char *want = expected_xml(XML1);
    const char *s;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    path = define(f, XML1);
    r = call(f, DOM_PATH, "org.freedesktop.DBus.Properties", "Set",
             g_variant_new("(ssv)", DOMAIN, "Autostart",
                           g_variant_new_boolean(TRUE)),
             NULL, &error);
    g_assert_no_error(error);
    g_clear_pointer(&r, g_variant_unref);

    stop_vmd(f);
    g_assert_false(name_has_owner(f));
    start_vmd(f);

    r = call(f, PATH, MANAGER, "DomainLookupByName",
             g_variant_new("(s)", "test1"), "(o)", &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&o)", &s);
    g_assert_cmpstr(s, ==, path);
    g_clear_pointer(&r, g_variant_unref);
    r = call(f, DOM_PATH, DOMAIN, "GetXMLDesc", g_variant_new("(u)", 0u), "(s)",
             &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&s)", &s);
    g_assert_cmpstr(s, ==, want);
    autostart = get_prop(f, DOM_PATH, "Autostart");
    g_assert_true(g_variant_get_boolean(autostart));
}

static void test_introspect(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) r = NULL;
    g_autoptr(GVariant) v = NULL;
    g_autofree char *path = NULL;
    const char *xml;

    if (f->skip) {
        g_test_skip("dbus-daemon not installed");
        return;
    }
    r = call(f, PATH, "org.freedesktop.DBus.Introspectable", "Introspect", NULL,
             "(s)", &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "<interface name=\"" MANAGER "\">"));
    g_assert_nonnull(strstr(xml, "name=\"DomainEvent\""));
    g_clear_pointer(&r, g_variant_unref);

    path = define(f, XML1);
    r = call(f, PATH "/domain", "org.freedesktop.DBus.Introspectable",
             "Introspect", NULL, "(s)", &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "_c7a5fdbd_edaf_4455_926a_d65c16db1809"));
    g_clear_pointer(&r, g_variant_unref);
    r = call(f, path, "org.freedesktop.DBus.Introspectable", "Introspect", NULL,
             "(s)", &error);
    g_assert_no_error(error);
    g_variant_get(r, "(&s)", &xml);
    g_assert_nonnull(strstr(xml, "<interface name=\"" DOMAIN "\">"));
    g_clear_pointer(&r, g_variant_unref);

    r = call(f, PATH, "org.freedesktop.DBus.Properties", "Get",
             g_variant_new("(ss)", MANAGER, "Version"), "(v)", &error);
    g_assert_no_error(error);
    g_variant_get(r, "(v)", &v);
    g_assert_cmpstr(g_variant_get_string(v, NULL), ==, PACKAGE_VERSION);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmd_test_use_source_schemas();
    /* register the error names in this process too */
    (void)vmd_error_quark();

#define ADD(name, fn)                                                          \
    g_test_add("/dbus/" name, Fixture, NULL, fixture_setup, fn,                \
               fixture_teardown)
    ADD("lifecycle", test_lifecycle);
    ADD("invalid-xml", test_invalid_xml);
    ADD("not-yet", test_not_yet);
    ADD("restart", test_restart);
    ADD("introspect", test_introspect);
#undef ADD
    return g_test_run();
}
