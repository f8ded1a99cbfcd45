/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-opts.c: the EmuOpts parser — QEMU's option syntax (implied first
 * key, ",," escapes, bare flags, repeats, bools, unused keys). */
#include "net-test.h"

static EmuOpts *parse_ok(const char *text, const char *implied)
{
    g_autoptr(GError) err = NULL;
    EmuOpts *o = emu_opts_parse(text, implied, &err);

    g_assert_no_error(err);
    g_assert_nonnull(o);
    return o;
}

static void test_implied(void)
{
    EmuOpts *o = parse_ok("user,id=n0,restrict=on", "type");

    g_assert_cmpstr(emu_opts_get(o, "type"), ==, "user");
    g_assert_cmpstr(emu_opts_get(o, "id"), ==, "n0");
    g_assert_cmpstr(emu_opts_get(o, "restrict"), ==, "on");
    g_assert_null(emu_opts_get(o, "net"));
    emu_opts_free(o);

    /* an explicit key first: nothing implied */
    o = parse_ok("id=x,type=tap", "type");
    g_assert_cmpstr(emu_opts_get(o, "type"), ==, "tap");
    g_assert_cmpstr(emu_opts_get(o, "id"), ==, "x");
    emu_opts_free(o);

    /* without an implied key a bare first word is a flag */
    o = parse_ok("user,id=x", NULL);
    g_assert_cmpstr(emu_opts_get(o, "user"), ==, "on");
    emu_opts_free(o);

    o = parse_ok("", "type");
    g_assert_null(emu_opts_get(o, "type"));
    g_assert_true(emu_opts_check_unused(o, NULL, NULL));
    emu_opts_free(o);
}

static void test_escapes(void)
{
    EmuOpts *o = parse_ok("a,,b,tftp=/srv/x,,y,bootfile=z,,,id=n,"
                          "hostname=,domainname=a=b",
                          "type");

    g_assert_cmpstr(emu_opts_get(o, "type"), ==, "a,b");
    g_assert_cmpstr(emu_opts_get(o, "tftp"), ==, "/srv/x,y");
    /* ",,," is an escaped comma, then the separator */
    g_assert_cmpstr(emu_opts_get(o, "bootfile"), ==, "z,");
    g_assert_cmpstr(emu_opts_get(o, "id"), ==, "n");
    g_assert_cmpstr(emu_opts_get(o, "hostname"), ==, "");
    /* only the first '=' separates */
    g_assert_cmpstr(emu_opts_get(o, "domainname"), ==, "a=b");
    g_assert_cmpstr(emu_opts_text(o), ==,
                    "a,,b,tftp=/srv/x,,y,bootfile=z,,,id=n,hostname=,"
                    "domainname=a=b");
    emu_opts_free(o);

    /* a trailing comma is no item */
    o = parse_ok("user,id=x,", "type");
    g_assert_cmpstr(emu_opts_get(o, "type"), ==, "user");
    g_assert_cmpstr(emu_opts_get(o, "id"), ==, "x");
    g_assert_true(emu_opts_check_unused(o, NULL, NULL));
    emu_opts_free(o);
}

static void test_repeats(void)
{
    EmuOpts *o = parse_ok("user,hostfwd=tcp::1-:2,id=x,hostfwd=udp::3-:4,"
                          "id=y,dnssearch=a.org,dnssearch=b.org",
                          "type");
    const char *const *fwd = emu_opts_get_all(o, "hostfwd");
    const char *const *ds = emu_opts_get_all(o, "dnssearch");
    const char *const *none = emu_opts_get_all(o, "guestfwd");

    g_assert_cmpuint(g_strv_length((char **)fwd), ==, 2);
    g_assert_cmpstr(fwd[0], ==, "tcp::1-:2");
    g_assert_cmpstr(fwd[1], ==, "udp::3-:4");
    g_assert_cmpstr(ds[0], ==, "a.org");
    g_assert_cmpstr(ds[1], ==, "b.org");
    g_assert_null(ds[2]);
    g_assert_null(none[0]);
    /* a second call returns the same array */
    g_assert_true(emu_opts_get_all(o, "hostfwd") == fwd);
    /* a plain get takes the last one, as QemuOpts */
    g_assert_cmpstr(emu_opts_get(o, "id"), ==, "y");
    g_assert_cmpstr(emu_opts_get(o, "type"), ==, "user");
    g_assert_true(emu_opts_check_unused(o, NULL, NULL));
    emu_opts_free(o);
}

static void test_bools(void)
{
    static const struct {
        const char *v;
        bool b;
    } ok[] = {
        {"on", true},   {"yes", true}, {"true", true},   {"y", true},
        {"off", false}, {"no", false}, {"false", false}, {"n", false},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
        g_autofree char *text = g_strdup_printf("user,restrict=%s", ok[i].v);
        EmuOpts *o = parse_ok(text, "type");
        bool b = !ok[i].b;

        g_assert_true(emu_opts_get_bool(o, "restrict", false, &b, NULL));
        g_assert_cmpint(b, ==, ok[i].b);
        emu_opts_free(o);
    }

    EmuOpts *o = parse_ok("user,restrict,ipv6=maybe", "type");
    g_autoptr(GError) err = NULL;
    bool b = false;

    /* a bare key is "on" (QemuOpts flags) */
    g_assert_true(emu_opts_get_bool(o, "restrict", false, &b, NULL));
    g_assert_true(b);
    /* absent: the default */
    g_assert_true(emu_opts_get_bool(o, "ipv4", true, &b, NULL));
    g_assert_true(b);
    g_assert_false(emu_opts_get_bool(o, "ipv6", true, &b, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_assert_cmpstr(err->message, ==, "parameter 'ipv6' expects 'on' or 'off'");
    emu_opts_free(o);
}

static void test_numbers(void)
{
    EmuOpts *o = parse_ok("hubport,hubid=0x10,a=-1,b=7,c=x", "type");
    g_autoptr(GError) err = NULL;
    uint64_t v = 0;

    g_assert_true(emu_opts_get_uint(o, "hubid", 100, 0, &v, NULL));
    g_assert_cmpuint(v, ==, 16);
    g_assert_true(emu_opts_get_uint(o, "none", 100, 42, &v, NULL));
    g_assert_cmpuint(v, ==, 42);
    g_assert_false(emu_opts_get_uint(o, "a", 100, 0, &v, NULL));
    g_assert_false(emu_opts_get_uint(o, "b", 5, 0, &v, NULL));
    g_assert_false(emu_opts_get_uint(o, "c", 100, 0, &v, &err));
    g_assert_cmpstr(err->message, ==,
                    "parameter 'c' expects a number from 0 to 100");
    emu_opts_free(o);
}

static void test_unused(void)
{
    EmuOpts *o = parse_ok("user,foo=1,id=n0,bar", "type");
    g_autoptr(GError) err = NULL;

    g_assert_true(emu_opts_has(o, "foo"));
    g_assert_false(emu_opts_has(o, "baz"));
    (void)emu_opts_get(o, "type");
    (void)emu_opts_get(o, "id");
    g_assert_false(emu_opts_check_unused(o, "-netdev user,foo=1", &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_assert_cmpstr(err->message, ==,
                    "-netdev user,foo=1: invalid parameter 'foo'");
    g_clear_error(&err);
    (void)emu_opts_get(o, "foo");
    g_assert_false(emu_opts_check_unused(o, NULL, &err));
    g_assert_cmpstr(err->message, ==, "invalid parameter 'bar'");
    g_clear_error(&err);
    /* emu_opts_has() does not count as a use */
    g_assert_true(emu_opts_has(o, "bar"));
    (void)emu_opts_get_all(o, "bar");
    g_assert_true(emu_opts_check_unused(o, NULL, &err));
    emu_opts_free(o);
}

static void test_errors(void)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(emu_opts_parse("user,=x", "type", &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_INVALID);
    g_assert_cmpstr(err->message, ==, "empty parameter name");
    g_clear_error(&err);
    g_assert_null(emu_opts_parse("=x", NULL, &err));
    g_assert_nonnull(err);
}

static void test_ids_and_macs(void)
{
    uint8_t mac[6];

    g_assert_true(emu_opts_id_wellformed("n0"));
    g_assert_true(emu_opts_id_wellformed("net-0.a_b"));
    g_assert_false(emu_opts_id_wellformed("0net"));
    g_assert_false(emu_opts_id_wellformed("#net0"));
    g_assert_false(emu_opts_id_wellformed("a b"));
    g_assert_false(emu_opts_id_wellformed(""));
    g_assert_true(emu_opts_is_help("help"));
    g_assert_true(emu_opts_is_help("?"));
    g_assert_false(emu_opts_is_help("user"));

    g_assert_true(emu_net_parse_mac("52:54:00:12:34:56", mac));
    g_assert_cmpmem(mac, 6, ((uint8_t[]){0x52, 0x54, 0, 0x12, 0x34, 0x56}), 6);
    g_assert_true(emu_net_parse_mac("2-a-b-c-d-FE", mac));
    g_assert_cmpmem(mac, 6, ((uint8_t[]){2, 0xa, 0xb, 0xc, 0xd, 0xfe}), 6);
    g_assert_false(emu_net_parse_mac("52:54:00:12:34", mac));
    g_assert_false(emu_net_parse_mac("52:54:00:12:34:56:78", mac));
    g_assert_false(emu_net_parse_mac("52:54:00:12:34:567", mac));
    g_assert_false(emu_net_parse_mac("zz:54:00:12:34:56", mac));
    g_assert_false(emu_net_parse_mac("", mac));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/net/opts/implied", test_implied);
    g_test_add_func("/net/opts/escapes", test_escapes);
    g_test_add_func("/net/opts/repeats", test_repeats);
    g_test_add_func("/net/opts/bools", test_bools);
    g_test_add_func("/net/opts/numbers", test_numbers);
    g_test_add_func("/net/opts/unused", test_unused);
    g_test_add_func("/net/opts/errors", test_errors);
    g_test_add_func("/net/opts/ids-and-macs", test_ids_and_macs);
    return g_test_run();
}
