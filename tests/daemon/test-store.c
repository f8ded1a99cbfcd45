/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/daemon/test-store.c: the persistent domain store (atomic, tolerant). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "daemon/error.h"
#include "daemon/store.h"
#include "tests/daemon/dbus-harness.h"
#include "tests/daemon/test-common.h"

#define DOMAIN_XML(name, uuid)                                                 \
    "<domain type='vmkit'><name>" name "</name><uuid>" uuid "</uuid>"          \
    "<memory unit='MiB'>64</memory>"                                           \
    "<os><type>hvm</type></os></domain>"

#define UUID1 "11111111-2222-4333-8444-555555555555"
#define UUID2 "21111111-2222-4333-8444-555555555555"

typedef struct {
    char *dir;
    VmdStore *store;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;

    f->dir = g_dir_make_tmp("vmd-store-XXXXXX", &error);
    g_assert_no_error(error);
    f->store = vmd_store_new(f->dir, &error);
    g_assert_no_error(error);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    vmd_store_free(f->store);
    vmd_test_rm_rf(f->dir);
    g_free(f->dir);
}

static VmdDomainDef *parse(const char *xml)
{
    g_autoptr(GError) error = NULL;
    VmdDomainDef *def = vmd_domain_def_new_from_xml(xml, -1, NULL, &error);

    g_assert_no_error(error);
    return def;
}

static void write_raw(Fixture *f, const char *file, const char *content)
{
    g_autofree char *path = g_build_filename(f->dir, file, NULL);
    g_autoptr(GError) error = NULL;

    g_file_set_contents(path, content, -1, &error);
    g_assert_no_error(error);
}

static guint count_entries(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    guint n = 0;

    while (g_dir_read_name(d) != NULL) {
        n++;
    }
    g_dir_close(d);
    return n;
}

static void test_atomic_write(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "x.xml", NULL);
    g_autofree char *bad = g_build_filename(f->dir, "nodir", "x.xml", NULL);
    g_autofree char *content = NULL;
    g_autoptr(GError) error = NULL;
    GStatBuf st;

    g_assert_true(vmd_store_write_atomic(path, "one", 3, &error));
    g_assert_no_error(error);
    g_assert_true(vmd_store_write_atomic(path, "second", 6, &error));
    g_file_get_contents(path, &content, NULL, &error);
    g_assert_cmpstr(content, ==, "second");
    g_assert_cmpint(g_stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    /* x.xml and autostart/: no temporary file left behind */
    g_assert_cmpuint(count_entries(f->dir), ==, 2);

    /* a failure leaves nothing behind and reports the path */
    g_assert_false(vmd_store_write_atomic(bad, "x", 1, &error));
    g_assert_error(error, VMD_ERROR, VMD_ERROR_FAILED);
    g_assert_nonnull(strstr(error->message, "nodir"));
    g_assert_cmpuint(count_entries(f->dir), ==, 2);
}

static void test_save_load(Fixture *f, gconstpointer data)
{
    g_autoptr(VmdDomainDef) a = parse(DOMAIN_XML("b-dom", UUID1));
    g_autoptr(VmdDomainDef) b = parse(DOMAIN_XML("a-dom", UUID2));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *fa = vmd_domain_def_format(a);
    g_autofree char *fb = vmd_domain_def_format(b);
    g_autofree char *ea = NULL;

    g_assert_true(vmd_store_save(f->store, a, &error));
    g_assert_true(vmd_store_save(f->store, b, &error));
    g_assert_no_error(error);

    entries = vmd_store_load(f->store);
    g_assert_cmpuint(entries->len, ==, 2);
    /* sorted by name */
    ea = vmd_domain_def_format(
        ((VmdStoreEntry *)g_ptr_array_index(entries, 1))->def);
    g_assert_cmpstr(ea, ==, fa);
    g_assert_cmpstr(((VmdStoreEntry *)g_ptr_array_index(entries, 0))->def->name,
                    ==, "a-dom");
    g_assert_false(((VmdStoreEntry *)g_ptr_array_index(entries, 0))->autostart);
    (void)fb;
}

static void test_corrupt_skipped(Fixture *f, gconstpointer data)
{
    g_autoptr(VmdDomainDef) good = parse(DOMAIN_XML("good", UUID1));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = NULL;

    g_assert_true(vmd_store_save(f->store, good, &error));
    write_raw(f, "broken.xml", "<domain type='vmkit'><name>broken</na");
    write_raw(f, "invalid.xml",
              "<domain type='vmkit'><name>invalid</name></domain>");
    write_raw(f, "other.xml", DOMAIN_XML("not-other", UUID2));
    write_raw(f, "twin.xml", DOMAIN_XML("twin", UUID1));
    write_raw(f, "README", "not a definition");

    g_test_expect_message("vmd", G_LOG_LEVEL_WARNING,
                          "*broken.xml: line 1: malformed XML*");
    g_test_expect_message("vmd", G_LOG_LEVEL_WARNING,
                          "*invalid.xml: line 1: *");
    g_test_expect_message("vmd", G_LOG_LEVEL_WARNING,
                          "*other.xml: it defines the domain 'not-other'*");
    g_test_expect_message("vmd", G_LOG_LEVEL_WARNING,
                          "*twin.xml: UUID " UUID1 " is already used*");
    entries = vmd_store_load(f->store);
    g_test_assert_expected_messages();
    g_assert_cmpuint(entries->len, ==, 1);
    g_assert_cmpstr(((VmdStoreEntry *)g_ptr_array_index(entries, 0))->def->name,
                    ==, "good");
}

static void test_autostart(Fixture *f, gconstpointer data)
{
    g_autoptr(VmdDomainDef) def = parse(DOMAIN_XML("auto", UUID1));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *link =
        g_build_filename(f->dir, "autostart", "auto.xml", NULL);
    g_autofree char *target = NULL;
    g_autofree char *want = g_build_filename(f->dir, "auto.xml", NULL);

    g_assert_true(vmd_store_save(f->store, def, &error));
    g_assert_false(vmd_store_get_autostart(f->store, "auto"));
    g_assert_true(vmd_store_set_autostart(f->store, "auto", TRUE, &error));
    g_assert_no_error(error);
    g_assert_true(vmd_store_get_autostart(f->store, "auto"));
    target = g_file_read_link(link, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(target, ==, want);
    /* idempotent */
    g_assert_true(vmd_store_set_autostart(f->store, "auto", TRUE, &error));

    entries = vmd_store_load(f->store);
    g_assert_cmpuint(entries->len, ==, 1);
    g_assert_true(((VmdStoreEntry *)g_ptr_array_index(entries, 0))->autostart);

    g_assert_true(vmd_store_set_autostart(f->store, "auto", FALSE, &error));
    g_assert_false(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
    g_assert_true(vmd_store_set_autostart(f->store, "auto", FALSE, &error));
    g_assert_no_error(error);
}

static void test_remove(Fixture *f, gconstpointer data)
{
    g_autoptr(VmdDomainDef) def = parse(DOMAIN_XML("gone", UUID1));
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *link =
        g_build_filename(f->dir, "autostart", "gone.xml", NULL);

    g_assert_true(vmd_store_save(f->store, def, &error));
    g_assert_true(vmd_store_set_autostart(f->store, "gone", TRUE, &error));
    g_assert_true(vmd_store_remove(f->store, "gone", &error));
    g_assert_no_error(error);
    g_assert_false(
        g_file_test(link, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK));
    entries = vmd_store_load(f->store);
    g_assert_cmpuint(entries->len, ==, 0);
    /* removing again is not an error */
    g_assert_true(vmd_store_remove(f->store, "gone", &error));
    g_assert_no_error(error);
}

static void test_defaults_kept(Fixture *f, gconstpointer data)
{
    g_autoptr(GPtrArray) first = NULL;
    g_autoptr(GPtrArray) second = NULL;
    g_autofree char *path = g_build_filename(f->dir, "hand.xml", NULL);
    g_autofree char *content = NULL;

    /* hand-written: no UUID, no MAC; the store must keep what it filled */
    write_raw(f, "hand.xml",
              "<domain type='vmkit'><name>hand</name>"
              "<memory unit='MiB'>64</memory><os><type>hvm</type></os>"
              "<devices><interface type='user'/></devices></domain>");
    first = vmd_store_load(f->store);
    second = vmd_store_load(f->store);
    g_assert_cmpuint(first->len, ==, 1);
    g_assert_cmpuint(second->len, ==, 1);
    g_assert_cmpstr(((VmdStoreEntry *)g_ptr_array_index(first, 0))->def->uuid,
                    ==,
                    ((VmdStoreEntry *)g_ptr_array_index(second, 0))->def->uuid);
    g_file_get_contents(path, &content, NULL, NULL);
    g_assert_nonnull(strstr(content, "<uuid>"));
    g_assert_nonnull(strstr(content, "<mac address='52:54:00:"));
}

static void test_leftover_temp(Fixture *f, gconstpointer data)
{
    g_autoptr(GPtrArray) entries = NULL;
    g_autofree char *tmp = g_build_filename(f->dir, ".x.xml.AbC123", NULL);

    write_raw(f, ".x.xml.AbC123", "<domain");
    entries = vmd_store_load(f->store);
    g_assert_cmpuint(entries->len, ==, 0);
    g_assert_false(g_file_test(tmp, G_FILE_TEST_EXISTS));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    vmd_test_use_source_schemas();

#define ADD(name, fn)                                                          \
    g_test_add("/store/" name, Fixture, NULL, fixture_setup, fn,               \
               fixture_teardown)
    ADD("atomic-write", test_atomic_write);
    ADD("save-load", test_save_load);
    ADD("corrupt-skipped", test_corrupt_skipped);
    ADD("autostart", test_autostart);
    ADD("remove", test_remove);
    ADD("defaults-kept", test_defaults_kept);
    ADD("leftover-temp", test_leftover_temp);
#undef ADD
    return g_test_run();
}
