/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/net-helper/test-acl.c: unit tests of the ACL parser, name check. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "net-helper/acl.h"

/* A fresh folder per test, removed afterwards */
typedef struct {
    char *dir;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data)
{
    GError *err = NULL;

    f->dir = g_dir_make_tmp("vmkit-acl-XXXXXX", &err);
    g_assert_no_error(err);
}

static void rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;

    if (!d) {
        return;
    }
    while ((name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(dir, name, NULL);

        if (g_file_test(p, G_FILE_TEST_IS_DIR) &&
            !g_file_test(p, G_FILE_TEST_IS_SYMLINK)) {
            g_chmod(p, 0700);
            rm_rf(p);
        } else {
            g_unlink(p);
        }
    }
    g_dir_close(d);
    g_rmdir(dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data)
{
    rm_rf(f->dir);
    g_free(f->dir);
}

/* Writes @text to @name in the fixture folder; returns the full path */
static char *put(Fixture *f, const char *name, const char *text)
{
    char *path = g_build_filename(f->dir, name, NULL);
    GError *err = NULL;

    g_file_set_contents(path, text, -1, &err);
    g_assert_no_error(err);
    return path;
}

/* Loads @text as the top ACL file; fails the test on a load error */
static VmkitAcl *load_ok(Fixture *f, const char *text)
{
    g_autofree char *path = put(f, "bridge.conf", text);
    GError *err = NULL;
    VmkitAcl *acl = vmkit_acl_load(path, &err);

    g_assert_no_error(err);
    g_assert_nonnull(acl);
    return acl;
}

/*
 * Loads @path, which must fail with @code and exactly the message
 * @expect, where "@DIR@" stands for the fixture folder.
 */
static void load_fails(Fixture *f, const char *path, int code,
                       const char *expect)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(VmkitAcl) acl = vmkit_acl_load(path, &err);
    g_auto(GStrv) parts = g_strsplit(expect, "@DIR@", -1);
    g_autofree char *want = g_strjoinv(f->dir, parts);

    g_assert_null(acl);
    g_assert_error(err, VMKIT_ACL_ERROR, code);
    g_assert_cmpstr(err->message, ==, want);
    g_assert_null(strchr(err->message, '\n'));
}

/* The top file @text must fail with @expect (see load_fails) */
static void text_fails(Fixture *f, const char *text, int code,
                       const char *expect)
{
    g_autofree char *path = put(f, "bridge.conf", text);

    load_fails(f, path, code, expect);
}

static void test_allow_one(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) acl = load_ok(f, "allow br0\n");

    g_assert_true(vmkit_acl_allows(acl, "br0"));
    g_assert_false(vmkit_acl_allows(acl, "br1"));
    g_assert_false(vmkit_acl_allows(acl, "br"));
    g_assert_false(vmkit_acl_allows(acl, "br00"));
    g_assert_false(vmkit_acl_allows(acl, "BR0"));
}

static void test_default_deny(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) empty = load_ok(f, "");
    g_autoptr(VmkitAcl) comments = load_ok(f, "# nothing here\n\n");

    g_assert_false(vmkit_acl_allows(empty, "br0"));
    g_assert_false(vmkit_acl_allows(comments, "br0"));
    g_assert_false(vmkit_acl_allows(comments, "all"));
}

static void test_allow_all(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) acl = load_ok(f, "allow all\n");

    g_assert_true(vmkit_acl_allows(acl, "br0"));
    g_assert_true(vmkit_acl_allows(acl, "virbr0"));
    g_assert_true(vmkit_acl_allows(acl, "a"));
    /* invalid names are never allowed, even by "allow all" */
    g_assert_false(vmkit_acl_allows(acl, ""));
    g_assert_false(vmkit_acl_allows(acl, "../x"));
    g_assert_false(vmkit_acl_allows(acl, "0123456789abcdef"));
}

static void test_deny_all(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) after = load_ok(f, "allow br0\ndeny all\n");
    g_autoptr(VmkitAcl) before = load_ok(f, "deny all\nallow br0\n");
    g_autoptr(VmkitAcl) both = load_ok(f, "allow all\ndeny all\n");

    g_assert_false(vmkit_acl_allows(after, "br0"));
    g_assert_false(vmkit_acl_allows(before, "br0"));
    g_assert_false(vmkit_acl_allows(both, "br0"));
}

static void test_deny_wins(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) a = load_ok(f, "allow br0\ndeny br0\n");
    g_autoptr(VmkitAcl) b = load_ok(f, "deny br0\nallow br0\n");
    g_autoptr(VmkitAcl) c = load_ok(f, "allow all\ndeny br0\n");

    g_assert_false(vmkit_acl_allows(a, "br0"));
    g_assert_false(vmkit_acl_allows(b, "br0"));
    g_assert_false(vmkit_acl_allows(c, "br0"));
    g_assert_true(vmkit_acl_allows(c, "br1"));
}

static void test_comments_blanks(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) acl = load_ok(f,
        "# vmkit bridge ACL\n"
        "\n"
        "   \t \n"
        "   # indented comment: allow br9\n"
        "#allow br8\n"
        "\tallow\t br0  \t\n"
        "allow br1\r\n"
        "allow br2");           /* no final newline */

    g_assert_true(vmkit_acl_allows(acl, "br0"));
    g_assert_true(vmkit_acl_allows(acl, "br1"));
    g_assert_true(vmkit_acl_allows(acl, "br2"));
    g_assert_false(vmkit_acl_allows(acl, "br8"));
    g_assert_false(vmkit_acl_allows(acl, "br9"));
}

static void test_long_names(Fixture *f, gconstpointer data)
{
    /* IFNAMSIZ is 16 with the NUL: 15 bytes is the longest name. */
    g_autoptr(VmkitAcl) acl = load_ok(f, "allow br0123456789abc\n");

    g_assert_true(vmkit_acl_allows(acl, "br0123456789abc"));
    g_assert_false(vmkit_acl_allows(acl, "br0123456789abcd"));
    text_fails(f, "# 16 bytes\nallow br0123456789abcd\n",
               VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:2: invalid bridge name "
               "'br0123456789abcd': it is 16 bytes long, the limit is 15");
}

static void test_include(Fixture *f, gconstpointer data)
{
    g_autofree char *abs = put(f, "abs.conf", "allow br1\n");
    g_autofree char *sub = g_build_filename(f->dir, "sub", NULL);
    g_autofree char *rel = NULL;
    g_autofree char *text = NULL;
    g_autoptr(VmkitAcl) acl = NULL;

    g_assert_cmpint(g_mkdir(sub, 0755), ==, 0);
    rel = put(f, "sub/rel.conf", "allow br2\ninclude more.conf\n");
    g_free(put(f, "sub/more.conf", "allow br3\n"));

    /* absolute, relative to the including file (sub/ for more.conf) */
    text = g_strdup_printf("allow br0\ninclude %s\ninclude sub/rel.conf\n",
                           abs);
    acl = load_ok(f, text);
    for (int i = 0; i <= 3; i++) {
        g_autofree char *br = g_strdup_printf("br%d", i);

        g_assert_true(vmkit_acl_allows(acl, br));
    }
    g_assert_false(vmkit_acl_allows(acl, "br4"));
}

static void test_include_deny_wins(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) acl = NULL;
    g_autoptr(VmkitAcl) acl2 = NULL;

    g_free(put(f, "deny.conf", "deny br0\n"));
    acl = load_ok(f, "allow all\ninclude deny.conf\n");
    g_assert_false(vmkit_acl_allows(acl, "br0"));
    g_assert_true(vmkit_acl_allows(acl, "br1"));

    /* the deny in the top file beats an allow in an included one */
    g_free(put(f, "allow.conf", "allow br0\n"));
    acl2 = load_ok(f, "deny br0\ninclude allow.conf\n");
    g_assert_false(vmkit_acl_allows(acl2, "br0"));
}

static void test_include_twice(Fixture *f, gconstpointer data)
{
    g_autoptr(VmkitAcl) acl = NULL;

    /* the same file twice side by side is no loop */
    g_free(put(f, "common.conf", "allow br0\n"));
    acl = load_ok(f, "include common.conf\ninclude common.conf\n");
    g_assert_true(vmkit_acl_allows(acl, "br0"));
}

static void test_include_missing(Fixture *f, gconstpointer data)
{
    text_fails(f, "allow br0\n\ninclude nope.conf\n", VMKIT_ACL_ERROR_IO,
               "@DIR@/bridge.conf:3: cannot read included file "
               "'@DIR@/nope.conf': No such file or directory");
}

static void test_include_unreadable(Fixture *f, gconstpointer data)
{
    g_autofree char *secret = put(f, "secret.conf", "allow br0\n");

    if (geteuid() == 0) {
        g_test_skip("root reads any file");
        return;
    }
    g_assert_cmpint(g_chmod(secret, 0), ==, 0);
    text_fails(f, "include secret.conf\n", VMKIT_ACL_ERROR_IO,
               "@DIR@/bridge.conf:1: cannot read included file "
               "'@DIR@/secret.conf': Permission denied");
}

static void test_include_not_regular(Fixture *f, gconstpointer data)
{
    g_autofree char *fifo = g_build_filename(f->dir, "fifo", NULL);

    text_fails(f, "include .\n", VMKIT_ACL_ERROR_IO,
               "@DIR@/bridge.conf:1: cannot read included file "
               "'@DIR@/.': not a regular file");
    /* a FIFO nobody writes must not block the helper */
    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    text_fails(f, "include fifo\n", VMKIT_ACL_ERROR_IO,
               "@DIR@/bridge.conf:1: cannot read included file "
               "'@DIR@/fifo': not a regular file");
}

static void test_include_loop(Fixture *f, gconstpointer data)
{
    g_autofree char *a = put(f, "a.conf", "allow br0\ninclude b.conf\n");

    g_free(put(f, "b.conf", "# b\ninclude a.conf\n"));
    load_fails(f, a, VMKIT_ACL_ERROR_INCLUDE,
               "@DIR@/b.conf:2: include loop: "
               "'@DIR@/a.conf' is already being read");
    text_fails(f, "include bridge.conf\n", VMKIT_ACL_ERROR_INCLUDE,
               "@DIR@/bridge.conf:1: include loop: "
               "'@DIR@/bridge.conf' is already being read");
}

static void test_include_depth(Fixture *f, gconstpointer data)
{
    g_autofree char *top = NULL;
    g_autofree char *expect = NULL;
    int n = VMKIT_ACL_MAX_DEPTH;

    /* f0 includes f1 ... includes fN: N nested includes are fine */
    for (int i = 0; i <= n; i++) {
        g_autofree char *name = g_strdup_printf("f%d.conf", i);
        g_autofree char *text = i < n
            ? g_strdup_printf("include f%d.conf\n", i + 1)
            : g_strdup("allow br0\n");

        g_free(put(f, name, text));
    }
    top = g_build_filename(f->dir, "f0.conf", NULL);
    {
        GError *err = NULL;
        g_autoptr(VmkitAcl) acl = vmkit_acl_load(top, &err);

        g_assert_no_error(err);
        g_assert_true(vmkit_acl_allows(acl, "br0"));
    }
    /* one more is too deep */
    {
        g_autofree char *name = g_strdup_printf("f%d.conf", n);

        g_free(put(f, name, "include last.conf\n"));
        g_free(put(f, "last.conf", "allow br0\n"));
        expect = g_strdup_printf("@DIR@/f%d.conf:1: cannot include "
                                 "'last.conf': includes nested deeper "
                                 "than %d levels", n, n);
        load_fails(f, top, VMKIT_ACL_ERROR_INCLUDE, expect);
    }
}

static void test_missing_file(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "none.conf", NULL);

    load_fails(f, path, VMKIT_ACL_ERROR_IO,
               "cannot read ACL file '@DIR@/none.conf': "
               "No such file or directory");
}

static void test_malformed(Fixture *f, gconstpointer data)
{
    text_fails(f, "# ACL\n\nalow br0\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:3: unknown keyword 'alow'");
    text_fails(f, "Allow br0\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: unknown keyword 'Allow'");
    text_fails(f, "allow br0\nallow\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:2: 'allow' needs an argument");
    text_fails(f, "deny   \n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: 'deny' needs an argument");
    text_fails(f, "include\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: 'include' needs an argument");
    text_fails(f, "allow br0 br1\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: 'allow' takes one argument, found "
               "extra 'br1' (comments go on their own line)");
    text_fails(f, "allow br0 # lab\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: 'allow' takes one argument, found "
               "extra '#' (comments go on their own line)");
    text_fails(f, "allow ../x\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: invalid bridge name '../x': "
               "it contains '/'");
    text_fails(f, "deny ..\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: invalid bridge name '..': "
               "'.' and '..' are not interface names");
    text_fails(f, "allow br\0010\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: invalid bridge name 'br\\0010': "
               "it contains a control character");
    text_fails(f, "alow\x1b[2J\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: unknown keyword 'alow\\033[2J'");
    text_fails(f, "include a\x01\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:1: invalid file name 'a\\001': "
               "it contains a control character");
}

static void test_malformed_in_include(Fixture *f, gconstpointer data)
{
    /* the message names the included file and its line */
    g_free(put(f, "sub.conf", "allow br1\n# x\ndenny br0\n"));
    text_fails(f, "allow br0\ninclude sub.conf\n", VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/sub.conf:3: unknown keyword 'denny'");
}

static void test_nul_and_long_lines(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "bridge.conf", NULL);
    g_autofree char *expect = NULL;
    GString *big = g_string_new("allow br0\n");
    GError *err = NULL;

    g_file_set_contents(path, "allow br0\nallow br1\0\n", 21, &err);
    g_assert_no_error(err);
    load_fails(f, path, VMKIT_ACL_ERROR_SYNTAX,
               "@DIR@/bridge.conf:2: line contains a NUL byte");

    g_string_append_c(big, '#');
    for (int i = 0; i < VMKIT_ACL_MAX_LINE; i++) {
        g_string_append_c(big, 'x');
    }
    g_file_set_contents(path, big->str, big->len, &err);
    g_assert_no_error(err);
    expect = g_strdup_printf("@DIR@/bridge.conf:2: line longer than %d "
                             "bytes", VMKIT_ACL_MAX_LINE);
    load_fails(f, path, VMKIT_ACL_ERROR_SYNTAX, expect);
    g_string_free(big, TRUE);
}

/* vmkit_ifname_check(): what the helper checks before the ACL */
static void test_ifname(void)
{
    static const struct {
        const char *name;
        const char *message;    /* NULL: valid */
    } cases[] = {
        { "br0", NULL },
        { "virbr0-nic", NULL },
        { "a", NULL },
        { "br.100", NULL },
        { "br0123456789abc", NULL },
        { "", "invalid bridge name '': it is empty" },
        { ".", "invalid bridge name '.': '.' and '..' are not interface "
          "names" },
        { "..", "invalid bridge name '..': '.' and '..' are not interface "
          "names" },
        { "../x", "invalid bridge name '../x': it contains '/'" },
        { "a/b", "invalid bridge name 'a/b': it contains '/'" },
        { "eth0:1", "invalid bridge name 'eth0:1': it contains ':'" },
        { "br 0", "invalid bridge name 'br 0': it contains whitespace" },
        { "br\t0", "invalid bridge name 'br\\t0': it contains whitespace" },
        { "br0\n", "invalid bridge name 'br0\\n': it contains whitespace" },
        { "br\x7f", "invalid bridge name 'br\\177': it contains a control "
          "character" },
        { "abcdefghijklmnop", "invalid bridge name 'abcdefghijklmnop': it "
          "is 16 bytes long, the limit is 15" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        gboolean ok = vmkit_ifname_check(cases[i].name, &err);

        if (!cases[i].message) {
            g_assert_no_error(err);
            g_assert_true(ok);
        } else {
            g_assert_false(ok);
            g_assert_error(err, VMKIT_ACL_ERROR, VMKIT_ACL_ERROR_NAME);
            g_assert_cmpstr(err->message, ==, cases[i].message);
        }
    }
}

#define ADD(path, fn) \
    g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    g_test_add_func("/net-helper/ifname", test_ifname);
    ADD("/net-helper/acl/allow-one", test_allow_one);
    ADD("/net-helper/acl/default-deny", test_default_deny);
    ADD("/net-helper/acl/allow-all", test_allow_all);
    ADD("/net-helper/acl/deny-all", test_deny_all);
    ADD("/net-helper/acl/deny-wins", test_deny_wins);
    ADD("/net-helper/acl/comments-blanks", test_comments_blanks);
    ADD("/net-helper/acl/long-names", test_long_names);
    ADD("/net-helper/acl/include", test_include);
    ADD("/net-helper/acl/include-deny-wins", test_include_deny_wins);
    ADD("/net-helper/acl/include-twice", test_include_twice);
    ADD("/net-helper/acl/include-missing", test_include_missing);
    ADD("/net-helper/acl/include-unreadable", test_include_unreadable);
    ADD("/net-helper/acl/include-not-regular", test_include_not_regular);
    ADD("/net-helper/acl/include-loop", test_include_loop);
    ADD("/net-helper/acl/include-depth", test_include_depth);
    ADD("/net-helper/acl/missing-file", test_missing_file);
    ADD("/net-helper/acl/malformed", test_malformed);
    ADD("/net-helper/acl/malformed-in-include", test_malformed_in_include);
    ADD("/net-helper/acl/nul-and-long-lines", test_nul_and_long_lines);
    return g_test_run();
}
