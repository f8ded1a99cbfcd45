/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/daemon/test-domain-xml.c: domain XML parse/validate/format round trips.
 */
#include "config.h"

#include <string.h>

#include "daemon/domain.h"
#include "daemon/error.h"
#include "daemon/xml.h"
#include "tests/daemon/test-common.h"

/*
 * tests/daemon/xml/NAME.xml      input
 * tests/daemon/xml/NAME.expected format(parse(input)), byte for byte
 * tests/daemon/xml-invalid/NAME.xml + NAME.err: the error message must
 * contain the first line of NAME.err.
 * VMKIT_TEST_REGENERATE=1 rewrites the .expected files (review the diff!).
 * Random defaults come from a GRand seeded per case, so outputs are fixed.
 */

#define VMD_TEST_SEED 20240601

static char *read_file(const char *path)
{
    g_autoptr(GError) error = NULL;
    char *data = NULL;

    g_file_get_contents(path, &data, NULL, &error);
    g_assert_no_error(error);
    return data;
}

static VmdDomainDef *parse_seeded(const char *xml, GError **error)
{
    g_autoptr(GRand) rand = g_rand_new_with_seed(VMD_TEST_SEED);

    return vmd_domain_def_new_from_xml(xml, -1, rand, error);
}

static void test_roundtrip(gconstpointer data)
{
    const char *path = data;
    g_autofree char *in = read_file(path);
    g_autofree char *base = g_strndup(path, strlen(path) - strlen(".xml"));
    g_autofree char *expected_path = g_strconcat(base, ".expected", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(VmdDomainDef) def = NULL;
    g_autoptr(VmdDomainDef) def2 = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;
    g_autofree char *expected = NULL;

    def = parse_seeded(in, &error);
    g_assert_no_error(error);
    out = vmd_domain_def_format(def);

    if (g_strcmp0(g_getenv("VMKIT_TEST_REGENERATE"), "1") == 0) {
        g_file_set_contents(expected_path, out, -1, &error);
        g_assert_no_error(error);
    }
    expected = read_file(expected_path);
    g_assert_cmpstr(out, ==, expected);

    /* the output is a fixed point: nothing random left to fill in */
    def2 = vmd_domain_def_new_from_xml(out, -1, NULL, &error);
    g_assert_no_error(error);
    out2 = vmd_domain_def_format(def2);
    g_assert_cmpstr(out2, ==, out);
}

static void test_invalid(gconstpointer data)
{
    const char *path = data;
    g_autofree char *in = read_file(path);
    g_autofree char *base = g_strndup(path, strlen(path) - strlen(".xml"));
    g_autofree char *err_path = g_strconcat(base, ".err", NULL);
    g_autofree char *want = read_file(err_path);
    g_autoptr(GError) error = NULL;
    g_autoptr(VmdDomainDef) def = NULL;

    *strchrnul(want, '\n') = '\0';
    def = parse_seeded(in, &error);
    g_assert_null(def);
    g_assert_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML);
    g_test_message("%s: %s", path, error->message);
    if (strstr(error->message, want) == NULL) {
        g_test_message("expected substring: %s", want);
        g_test_fail();
    }
}

static void test_example(void)
{
    g_autofree char *path = g_build_filename(vmd_test_srcdir(), "examples",
                                             "debian-riscv64.xml", NULL);
    g_autofree char *in = read_file(path);
    g_autoptr(GError) error = NULL;
    g_autoptr(VmdDomainDef) def = parse_seeded(in, &error);
    g_autoptr(VmdDomainDef) def2 = NULL;
    g_autofree char *out = NULL;
    g_autofree char *out2 = NULL;
    VmdNetDef *net;

    g_assert_no_error(error);
    g_assert_cmpstr(def->name, ==, "debian-riscv64");
    g_assert_cmpuint(def->memory_kib, ==, 512 * 1024);
    g_assert_cmpstr(def->kernel, ==, "/var/cache/vmkit/images/Image");
    g_assert_cmpstr(def->initrd, ==, "/var/cache/vmkit/images/initrd.gz");
    g_assert_cmpstr(def->loader, ==, "/var/cache/vmkit/images/fw_dynamic.bin");
    g_assert_cmpstr(def->cmdline, ==,
                    "console=ttyS0 vmkit.scenario=net vmkit.ping=10.0.2.2 "
                    "vmkit.after=shell");
    g_assert_cmpuint(def->nets->len, ==, 1);
    net = g_ptr_array_index(def->nets, 0);
    g_assert_cmpint(net->type, ==, VMD_NET_USER);
    g_assert_cmpint(net->model, ==, VMD_NET_MODEL_VIRTIO);
    g_assert_nonnull(def->serial);
    g_assert_cmpint(def->serial->type, ==, VMD_CHR_PTY);

    out = vmd_domain_def_format(def);
    def2 = vmd_domain_def_new_from_xml(out, -1, NULL, &error);
    g_assert_no_error(error);
    out2 = vmd_domain_def_format(def2);
    g_assert_cmpstr(out, ==, out2);
}

static void test_units(void)
{
    static const struct {
        guint64 value;
        const char *unit;
        guint64 kib;
    } cases[] = {
        {512, NULL, 512},
        {512, "KiB", 512},
        {512, "k", 512},
        {1000, "KB", 977}, /* 1,000,000 bytes, rounded up */
        {1, "b", 1},
        {1024, "bytes", 1},
        {1025, "B", 2},
        {512, "M", 512 * 1024},
        {512, "MiB", 512 * 1024},
        {1, "MB", 977},
        {2, "G", 2 * 1024 * 1024},
        {2, "gib", 2 * 1024 * 1024},
        {1, "T", G_GUINT64_CONSTANT(1) << 30},
        {1, "E", G_GUINT64_CONSTANT(1) << 50},
    };
    guint64 kib;

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_true(
            vmd_domain_scale_to_kib(cases[i].value, cases[i].unit, &kib));
        g_assert_cmpuint(kib, ==, cases[i].kib);
    }
    g_assert_false(vmd_domain_scale_to_kib(1, "XB", &kib));
    g_assert_false(vmd_domain_scale_to_kib(1, "Mi", &kib));
    g_assert_false(vmd_domain_scale_to_kib(G_MAXUINT64, "E", &kib));
}

static void test_uuid_mac(void)
{
    char out[37];
    guint8 mac[6];
    char buf[18];

    g_assert_true(
        vmd_domain_uuid_normalize("C7A5FDBD-EDAF-9455-926A-D65C16DB1809", out));
    g_assert_cmpstr(out, ==, "c7a5fdbd-edaf-9455-926a-d65c16db1809");
    g_assert_true(
        vmd_domain_uuid_normalize("c7a5fdbdedaf9455926ad65c16db1809", out));
    g_assert_cmpstr(out, ==, "c7a5fdbd-edaf-9455-926a-d65c16db1809");
    g_assert_false(vmd_domain_uuid_normalize("c7a5fdbd-edaf-9455", out));
    g_assert_false(
        vmd_domain_uuid_normalize("c7a5fdbd-edaf9-455-926a-d65c16db1809", out));
    g_assert_false(
        vmd_domain_uuid_normalize("g7a5fdbdedaf9455926ad65c16db1809", out));

    g_assert_true(vmd_domain_mac_parse("52:54:00:AB:cd:0f", mac));
    g_assert_cmpstr(vmd_domain_mac_format(mac, buf), ==, "52:54:00:ab:cd:0f");
    g_assert_false(vmd_domain_mac_parse("52:54:00:ab:cd", mac));
    g_assert_false(vmd_domain_mac_parse("52:54:00:ab:cd:0f:00", mac));
    g_assert_false(vmd_domain_mac_parse("52-54-00-ab-cd-0f", mac));
}

/* Generated hostile documents (the file cases cover DOCTYPE/entities). */
static void test_hostile_size(void)
{
    g_autoptr(GError) error = NULL;
    gsize n = VMD_XML_MAX_SIZE + 1;
    g_autofree char *big = g_malloc(n + 1);
    xmlDoc *doc;

    memset(big, ' ', n);
    memcpy(big, "<domain>", 8);
    big[n] = '\0';
    doc = vmd_xml_read(big, -1, &error);
    g_assert_null(doc);
    g_assert_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML);
    g_assert_nonnull(strstr(error->message, "too large"));
}

static void test_hostile_depth(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) s = g_string_new("<domain type='vmkit'>\n");
    xmlDoc *doc;

    for (int i = 0; i < 100; i++) {
        g_string_append(s, "<a>");
    }
    for (int i = 0; i < 100; i++) {
        g_string_append(s, "</a>");
    }
    g_string_append(s, "</domain>");
    doc = vmd_xml_read(s->str, -1, &error);
    g_assert_null(doc);
    g_assert_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML);
    g_assert_nonnull(strstr(error->message, "line 2: elements nested"));
}

static void test_empty(void)
{
    g_autoptr(GError) error = NULL;

    g_assert_null(vmd_xml_read("", -1, &error));
    g_assert_error(error, VMD_ERROR, VMD_ERROR_INVALID_XML);
}

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds one test per *.xml file of @dir; paths are kept for the run. */
static void add_dir_tests(const char *subdir, const char *prefix,
                          GTestDataFunc func, GPtrArray *keep)
{
    g_autofree char *dir =
        g_build_filename(vmd_test_srcdir(), "tests", "daemon", subdir, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    GDir *d = g_dir_open(dir, 0, &error);
    const char *name;

    g_assert_no_error(error);
    while ((name = g_dir_read_name(d)) != NULL) {
        if (g_str_has_suffix(name, ".xml")) {
            g_ptr_array_add(names, g_strdup(name));
        }
    }
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_names);
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        char *path = g_build_filename(dir, n, NULL);
        g_autofree char *stem = g_strndup(n, strlen(n) - 4);
        g_autofree char *tname = g_strdup_printf("%s/%s", prefix, stem);

        g_ptr_array_add(keep, path);
        g_test_add_data_func(tname, path, func);
    }
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);

    g_test_init(&argc, &argv, NULL);
    vmd_test_use_source_schemas();

    g_test_add_func("/domain/units", test_units);
    g_test_add_func("/domain/uuid-mac", test_uuid_mac);
    g_test_add_func("/domain/hostile/size", test_hostile_size);
    g_test_add_func("/domain/hostile/depth", test_hostile_depth);
    g_test_add_func("/domain/hostile/empty", test_empty);
    g_test_add_func("/domain/example/debian-riscv64", test_example);
    add_dir_tests("xml", "/domain/xml", test_roundtrip, keep);
    add_dir_tests("xml-invalid", "/domain/xml-invalid", test_invalid, keep);
    return g_test_run();
}
