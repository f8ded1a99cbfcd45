/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-options.c: -netdev/-nic/-net/-device handling — exact error
 * messages, names and MACs, the default network, "info network" for a few
 * topologies, the net monitor commands, and -netdev user (slirp). */
#include "net-test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/core/monitor.h"

/* other parts' symbols: while absent, their options say so */
bool emu_e1000_create(EmuMachine *, EmuNetClient *, const uint8_t *,
                      const char *, EmuOpts *, GError **) __attribute__((weak));
EmuNetClient *emu_net_tap_init(EmuNet *, const char *, EmuOpts *,
                               EmuNetClient *, GError **) __attribute__((weak));

typedef struct {
    EmuMachine *m;
    EmuNet *net;
    EmuMonitor *mon;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->m = emu_machine_new();
    f->net = test_net_new(f->m);
    f->mon = emu_monitor_new(f->m, NULL, &err);
    g_assert_no_error(err);
    emu_net_monitor_register(f->net, f->mon);
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_monitor_free(f->mon);
    emu_net_free(f->net);
    emu_machine_free(f->m);
}

/* build: feeds "-opt", "arg" pairs (NULL-terminated) then realizes.
 * Returns the error message, or NULL on success. */
static char *build(Fixture *f, const char *const *args)
{
    g_autoptr(GError) err = NULL;

    for (size_t i = 0; args[i]; i += 2) {
        if (!emu_net_add_option(f->net, args[i], args[i + 1], &err)) {
            return g_strdup(err->message);
        }
    }
    if (!emu_net_realize(f->net, &err)) {
        return g_strdup(err->message);
    }
    return NULL;
}

static void build_ok(Fixture *f, const char *const *args)
{
    g_autofree char *msg = build(f, args);

    g_assert_cmpstr(msg, ==, NULL);
}

static char *mon(Fixture *f, const char *line)
{
    GString *out = g_string_new(NULL);

    emu_monitor_execute(f->mon, line, out);
    return g_string_free(out, FALSE);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- errors ------------------------------------------------------------ */

typedef struct {
    const char *const *args;
    const char *msg;
} ErrCase;

static void test_errors(void)
{
    const ErrCase cases[] = {
        /* syntax, reported as the option is read */
        {ARGS("-netdev", "user"), "-netdev user: parameter 'id' is missing"},
        {ARGS("-netdev", "id=x"), "-netdev id=x: parameter 'type' is missing"},
        {ARGS("-netdev", "user,id=n0", "--netdev", "hubport,id=n0,hubid=0"),
         "-netdev hubport,id=n0,hubid=0: duplicate ID 'n0' for netdev"},
        {ARGS("-netdev", "user,id=n0", "-nic", "user,id=n0"),
         "-nic user,id=n0: duplicate ID 'n0' for netdev"},
        {ARGS("-netdev", "bogus,id=x"),
         "-netdev bogus,id=x: parameter 'type' does not accept value 'bogus'"},
        {ARGS("-netdev", "vde,id=x"),
         "-netdev vde,id=x: network backend 'vde' is not available in this "
         "build"},
        {ARGS("-netdev", "nic,id=x"),
         "-netdev nic,id=x: network backend 'nic' is not available in this "
         "build"},
        {ARGS("-netdev", "user,id=0x"),
         "-netdev user,id=0x: parameter 'id' expects an identifier"},
        {ARGS("-netdev", "user,=1"), "-netdev user,=1: empty parameter name"},
        {ARGS("-device", "foo"), "-device foo: 'foo' is not a valid device "
                                 "model name"},
        {ARGS("-device", "id=x"), "-device id=x: parameter 'driver' is "
                                  "missing"},
        {ARGS("-device", "test-nic,mac=01:00:00:00:00:01"),
         "-device test-nic,mac=01:00:00:00:00:01: property 'test-nic.mac' "
         "doesn't take value '01:00:00:00:00:01'"},
        {ARGS("-device", "test-nic,id=a", "-device", "test-nic,id=a"),
         "-device test-nic,id=a: duplicate ID 'a' for device"},
        {ARGS("-nic", "user,model=rtl8139"),
         "-nic user,model=rtl8139: unsupported NIC model 'rtl8139' "
         "(model=help lists them)"},
        {ARGS("-nic", "user,mac=52:54:00:12:34"),
         "-nic user,mac=52:54:00:12:34: invalid syntax for ethernet address"},
        {ARGS("-nic", "user,mac=03:54:00:12:34:56"),
         "-nic user,mac=03:54:00:12:34:56: NIC cannot have multicast MAC "
         "address"},
        {ARGS("-net", "hubport,hubid=0"),
         "-net hubport,hubid=0: network backend 'hubport' is only supported "
         "with -netdev/-nic"},
        {ARGS("-net", "model=test-nic"),
         "-net model=test-nic: parameter 'type' is missing"},
        {ARGS("-net", "nic,macaddr=xx"),
         "-net nic,macaddr=xx: invalid syntax for ethernet address"},
        /* found when building */
        {ARGS("-netdev", "user,id=n0,foo=1"),
         "-netdev user,id=n0,foo=1: invalid parameter 'foo'"},
        {ARGS("-net", "user,vlan=1"), "-net user,vlan=1: invalid parameter "
                                      "'vlan'"},
        {ARGS("-nic", "user,model=test-nic,bogus=1"),
         "-nic user,model=test-nic,bogus=1: invalid parameter 'bogus'"},
        {ARGS("-device", "test-nic,speed=10"),
         "-device test-nic,speed=10: invalid parameter 'speed'"},
        {ARGS("-device", "test-nic,netdev=nope"),
         "-device test-nic,netdev=nope: property 'test-nic.netdev' can't find "
         "value 'nope'"},
        {ARGS("-netdev", "user,id=n0", "-device", "test-nic,netdev=n0",
              "-device", "test-nic,netdev=n0"),
         "-device test-nic,netdev=n0: property 'test-nic.netdev' can't take "
         "value 'n0', it's in use"},
        {ARGS("-net", "nic,model=test-nic,netdev=nope"),
         "-net nic,model=test-nic,netdev=nope: netdev 'nope' not found"},
        {ARGS("-netdev", "hubport,id=h"),
         "-netdev hubport,id=h: parameter 'hubid' is missing"},
        {ARGS("-netdev", "hubport,id=h,hubid=x"),
         "-netdev hubport,id=h,hubid=x: parameter 'hubid' expects a number "
         "from 0 to 2147483647"},
        {ARGS("-netdev", "hubport,id=h,hubid=1,netdev=nope"),
         "-netdev hubport,id=h,hubid=1,netdev=nope: netdev 'nope' not found"},
        /* -netdev user */
        {ARGS("-netdev", "user,id=n,hostfwd=tcp::x-:22"),
         "-netdev user,id=n,hostfwd=tcp::x-:22: invalid host forwarding rule "
         "'tcp::x-:22' (bad host port)"},
        {ARGS("-netdev", "user,id=n,hostfwd=foo"),
         "-netdev user,id=n,hostfwd=foo: invalid host forwarding rule 'foo' "
         "(no : separators)"},
        {ARGS("-netdev", "user,id=n,hostfwd=sctp::1-:2"),
         "-netdev user,id=n,hostfwd=sctp::1-:2: invalid host forwarding rule "
         "'sctp::1-:2' (bad protocol name)"},
        {ARGS("-netdev", "user,id=n,hostfwd=tcp::22"),
         "-netdev user,id=n,hostfwd=tcp::22: invalid host forwarding rule "
         "'tcp::22' (bad host port separator)"},
        {ARGS("-netdev", "user,id=n,hostfwd=tcp:300.1.1.1:1-:2"),
         "-netdev user,id=n,hostfwd=tcp:300.1.1.1:1-:2: invalid host "
         "forwarding rule 'tcp:300.1.1.1:1-:2' (bad host address)"},
        {ARGS("-netdev", "user,id=n,hostfwd=tcp::1-10.0.2.15"),
         "-netdev user,id=n,hostfwd=tcp::1-10.0.2.15: invalid host forwarding "
         "rule 'tcp::1-10.0.2.15' (missing guest address)"},
        {ARGS("-netdev", "user,id=n,hostfwd=tcp::1-:0"),
         "-netdev user,id=n,hostfwd=tcp::1-:0: invalid host forwarding rule "
         "'tcp::1-:0' (bad guest port)"},
        {ARGS("-netdev", "user,id=n,restrict=maybe"),
         "-netdev user,id=n,restrict=maybe: parameter 'restrict' expects 'on' "
         "or 'off'"},
        {ARGS("-netdev", "user,id=n,net=10.0.2.0/40"),
         "-netdev user,id=n,net=10.0.2.0/40: invalid netmask provided (must "
         "be in range 4-32)"},
        {ARGS("-netdev", "user,id=n,net=10.0.2.0/255.255.x"),
         "-netdev user,id=n,net=10.0.2.0/255.255.x: failed to parse netmask "
         "(trailing chars)"},
        {ARGS("-netdev", "user,id=n,net=x"),
         "-netdev user,id=n,net=x: failed to parse netmask"},
        {ARGS("-netdev", "user,id=n,dns=10.0.2.2"),
         "-netdev user,id=n,dns=10.0.2.2: DNS must be different from host"},
        {ARGS("-netdev", "user,id=n,host=10.0.3.2"),
         "-netdev user,id=n,host=10.0.3.2: host doesn't belong to network"},
        {ARGS("-netdev", "user,id=n,dhcpstart=10.0.2.3"),
         "-netdev user,id=n,dhcpstart=10.0.2.3: DHCP must be different from "
         "host and DNS"},
        {ARGS("-netdev", "user,id=n,ipv4=off,ipv6=off"),
         "-netdev user,id=n,ipv4=off,ipv6=off: IPv4 and IPv6 disabled"},
        {ARGS("-netdev", "user,id=n,ipv4=off,net=10.0.2.0/24"),
         "-netdev user,id=n,ipv4=off,net=10.0.2.0/24: IPv4 disabled but "
         "netmask/host/dns provided"},
        {ARGS("-netdev", "user,id=n,ipv6-net=fec0::/127"),
         "-netdev user,id=n,ipv6-net=fec0::/127: invalid IPv6 prefix provided "
         "(IPv6 prefix length must be between 0 and 126)"},
        {ARGS("-netdev", "user,id=n,domainname="),
         "-netdev user,id=n,domainname=: 'domainname' parameter cannot be "
         "empty"},
        {ARGS("-netdev", "user,id=n,guestfwd=tcp:10.0.2.100:x-cmd:cat"),
         "-netdev user,id=n,guestfwd=tcp:10.0.2.100:x-cmd:cat: invalid guest "
         "forwarding rule 'tcp:10.0.2.100:x-cmd:cat'"},
        {ARGS("-netdev", "user,id=n,guestfwd=tcp:10.0.2.100:80-chardev"),
         "-netdev user,id=n,guestfwd=tcp:10.0.2.100:80-chardev: guest "
         "forwarding device 'chardev' is not supported (use cmd:COMMAND or "
         "unix:/PATH)"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Fixture f;
        g_autofree char *msg = NULL;

        setup(&f, NULL);
        msg = build(&f, cases[i].args);
        if (g_strcmp0(msg, cases[i].msg)) {
            g_test_message("case %zu", i);
        }
        g_assert_cmpstr(msg, ==, cases[i].msg);
        teardown(&f, NULL);
    }
}

/* parts not built yet report themselves (skipped once they exist) */
static void test_missing_parts(void)
{
    Fixture f;
    g_autofree char *msg = NULL;

    if (emu_e1000_create || emu_net_tap_init) {
        g_test_skip("e1000 or tap is built in");
        return;
    }
    setup(&f, NULL);
    msg = build(&f, ARGS("-nic", "user,model=e1000"));
    g_assert_cmpstr(msg, ==,
                    "-nic user,model=e1000: NIC model 'e1000' is not "
                    "available in this build");
    teardown(&f, NULL);
    g_free(msg);
    setup(&f, NULL);
    msg = build(&f, ARGS("-netdev", "tap,id=t0"));
    g_assert_cmpstr(msg, ==,
                    "-netdev tap,id=t0: network backend 'tap' is not "
                    "available in this build");
    teardown(&f, NULL);
}

/* a failure half-way leaves no client behind (sockets, smb dirs...) */
static void test_unwind(Fixture *f, gconstpointer data)
{
    g_autofree char *msg =
        build(f, ARGS("-netdev", "user,id=n0", "-net", "nic", "-net", "user",
                      "-device", "test-nic,netdev=nope"));

    g_assert_nonnull(msg);
    g_assert_cmpuint(f->net->clients->len, ==, 0);
    g_assert_cmpuint(f->net->hubs->len, ==, 0);
}

static void test_smb(Fixture *f, gconstpointer data)
{
    g_autofree char *tmp = g_dir_make_tmp("net-smb-XXXXXX", NULL);
    g_autofree char *arg = g_strdup_printf("user,id=n,smb=%s", tmp);
    g_autofree char *want = g_strdup_printf(
        "-netdev %s: could not find '/nonexistent/smbd', please install it "
        "(smb= needs Samba's smbd)",
        arg);
    g_autofree char *msg = NULL;

    g_setenv("VMKIT_SMBD", "/nonexistent/smbd", TRUE);
    msg = build(f, ARGS("-netdev", arg));
    g_unsetenv("VMKIT_SMBD");
    g_assert_cmpstr(msg, ==, want);
    rmdir(tmp);
}

/* with an "smbd" that exists the share is set up in a private dir, which
 * goes away with the backend */
static void test_smb_dir(void)
{
    g_autofree char *root = g_dir_make_tmp("net-smbroot-XXXXXX", NULL);
    g_autofree char *arg = g_strdup_printf("user,id=n,smb=%s", root);
    Fixture f;
    GDir *d;
    const char *name;
    g_autofree char *smbdir = NULL;
    g_autofree char *conf = NULL;
    g_autofree char *text = NULL;

    g_setenv("VMKIT_SMBD", "/bin/true", TRUE);
    setup(&f, NULL);
    build_ok(&f, ARGS("-netdev", arg));
    g_unsetenv("VMKIT_SMBD");
    d = g_dir_open(g_get_tmp_dir(), 0, NULL);
    while ((name = g_dir_read_name(d))) {
        if (g_str_has_prefix(name, "vmkit-smb.")) {
            g_autofree char *p = g_build_filename(g_get_tmp_dir(), name, NULL);
            g_autofree char *c = g_build_filename(p, "smb.conf", NULL);
            g_autofree char *t = NULL;
            if (g_file_get_contents(c, &t, NULL, NULL) && strstr(t, root)) {
                smbdir = g_steal_pointer(&p);
                conf = g_steal_pointer(&c);
                text = g_steal_pointer(&t);
            }
        }
    }
    g_dir_close(d);
    g_assert_nonnull(smbdir);
    g_assert_nonnull(strstr(text, "[qemu]\npath="));
    g_assert_true(g_file_test(smbdir, G_FILE_TEST_IS_DIR));
    teardown(&f, NULL);
    g_assert_false(g_file_test(smbdir, G_FILE_TEST_EXISTS));
    rmdir(root);
}

/* ---- help ------------------------------------------------------------- */

static void test_help(void)
{
    static const struct {
        const char *opt, *arg, *out;
    } cases[] = {
        {"-netdev", "help", "Available netdev backend types:\n*user\n*"},
        {"-nic", "model=help",
         "Available NIC models for this configuration:\n*test-nic\n*"},
        {"-net", "nic,model=?",
         "Available NIC models for this configuration:\n*test-nic\n*"},
        {"-nic", "help",
         "Available netdev backend types:\n*Available NIC "
         "models (use -nic model=help for a filtered "
         "list):\n*"},
        {"-device", "help", "Network devices:\n*"},
        {"-device", "test-nic,help", "test-nic options:\n*netdev=*"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        if (g_test_subprocess()) {
            break;
        }
        g_autofree char *path =
            g_strdup_printf("/net/options/help/subprocess/%zu", i);
        g_test_trap_subprocess(path, 0, G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_passed();
        g_test_trap_assert_stdout(cases[i].out);
    }
}

static void help_child(gconstpointer data)
{
    static const char *const opts[][2] = {
        {"-netdev", "help"},     {"-nic", "model=help"},
        {"-net", "nic,model=?"}, {"-nic", "help"},
        {"-device", "help"},     {"-device", "test-nic,help"},
    };
    size_t i = GPOINTER_TO_SIZE(data);
    Fixture f;

    setup(&f, NULL);
    g_assert_true(emu_net_add_option(f.net, opts[i][0], opts[i][1], NULL));
    g_assert_true(emu_net_help_requested(f.net));
    fflush(stdout);
    teardown(&f, NULL);
}

/* ---- names, MACs, topologies --------------------------------------------- */

static char *info(Fixture *f)
{
    return mon(f, "info network");
}

static void test_default(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, (const char *const[]){NULL});
    out = info(f);
    /* no option at all: -nic user on the board's NIC */
    g_assert_cmpstr(out, ==,
                    "test-nic.0: index=0,type=nic,model=test-nic,"
                    "macaddr=52:54:00:12:34:56\n"
                    " \\ #net0: index=0,type=user,net=10.0.2.0,restrict=off\n");
    g_assert_cmpuint(f->net->warnings->len, ==, 0);
}

static void test_none(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, ARGS("-nic", "none"));
    out = info(f);
    g_assert_cmpstr(out, ==, "");
    g_assert_cmpuint(f->net->clients->len, ==, 0);
}

static void test_legacy_hub(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, ARGS("-net", "nic,model=test-nic", "-net", "user"));
    out = info(f);
    g_assert_cmpstr(out, ==,
                    "hub 0\n"
                    " \\ hub0port1: #net0: index=0,type=user,net=10.0.2.0,"
                    "restrict=off\n"
                    " \\ hub0port0: test-nic.0: index=0,type=nic,"
                    "model=test-nic,macaddr=52:54:00:12:34:56\n");
    g_assert_cmpuint(f->net->warnings->len, ==, 0);
}

static void test_two_nics_on_hub(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, ARGS("-net", "nic", "-net", "nic,macaddr=02:00:00:00:00:02",
                     "-net", "nic", "-net", "user,id=u0"));
    out = info(f);
    g_assert_cmpstr(out, ==,
                    "hub 0\n"
                    " \\ hub0port3: u0: index=0,type=user,net=10.0.2.0,"
                    "restrict=off\n"
                    " \\ hub0port2: test-nic.2: index=0,type=nic,"
                    "model=test-nic,macaddr=52:54:00:12:34:57\n"
                    " \\ hub0port1: test-nic.1: index=0,type=nic,"
                    "model=test-nic,macaddr=02:00:00:00:00:02\n"
                    " \\ hub0port0: test-nic.0: index=0,type=nic,"
                    "model=test-nic,macaddr=52:54:00:12:34:56\n");
}

static void test_netdev_device(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(
        f, ARGS("-netdev", "user,id=net0", "-device", "test-nic,netdev=net0"));
    out = info(f);
    g_assert_cmpstr(out, ==,
                    "test-nic.0: index=0,type=nic,model=test-nic,"
                    "macaddr=52:54:00:12:34:56\n"
                    " \\ net0: index=0,type=user,net=10.0.2.0,restrict=off\n");
}

static void test_nic_option(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f,
             ARGS("-nic", "user,model=test-nic,mac=02:00:00:00:00:01", "-nic",
                  "user,id=second,restrict=on", "-net", "nic,model=test-nic"));
    out = info(f);
    /* -nic first, then -net; the legacy NIC alone on hub 0 */
    g_assert_cmpstr(out, ==,
                    "hub 0\n"
                    " \\ hub0port0: test-nic.2: index=0,type=nic,"
                    "model=test-nic,macaddr=52:54:00:12:34:57\n"
                    "test-nic.0: index=0,type=nic,model=test-nic,"
                    "macaddr=02:00:00:00:00:01\n"
                    " \\ #net0: index=0,type=user,net=10.0.2.0,restrict=off\n"
                    "test-nic.1: index=0,type=nic,model=test-nic,"
                    "macaddr=52:54:00:12:34:56\n"
                    " \\ second: index=0,type=user,net=10.0.2.0,restrict=on\n");
    g_assert_cmpuint(f->net->warnings->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 0), ==,
                    "hub 0 is not connected to host network");
}

static void test_hubports(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, ARGS("-netdev", "hubport,id=hp0,hubid=1", "-netdev",
                     "hubport,id=hp1,hubid=1", "-netdev",
                     "user,id=u,restrict=on,net=192.168.76.0/24", "-netdev",
                     "hubport,id=hp2,hubid=1,netdev=u", "-device",
                     "test-nic,netdev=hp0,id=nic0", "-device",
                     "test-nic,mac=52:54:00:12:34:60"));
    out = info(f);
    g_assert_cmpstr(out, ==,
                    "hub 1\n"
                    " \\ hp2: u: index=0,type=user,net=192.168.76.0,"
                    "restrict=on\n"
                    " \\ hp1\n"
                    " \\ hp0: nic0: index=0,type=nic,model=test-nic,"
                    "macaddr=52:54:00:12:34:56\n"
                    /* QEMU's assign_name counts nic0 too */
                    "test-nic.1: index=0,type=nic,model=test-nic,"
                    "macaddr=52:54:00:12:34:60\n");
    /* QEMU's warnings: the lone hub port twice, the lone NIC */
    g_assert_cmpuint(f->net->warnings->len, ==, 3);
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 0), ==,
                    "hub port hp1 has no peer");
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 1), ==,
                    "netdev hp1 has no peer");
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 2), ==,
                    "nic test-nic.1 has no peer");
}

static void test_lone_netdev_ok(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, ARGS("-netdev", "user,id=u0,hostname=vm,"
                                "dnssearch=a.org,dnssearch=b.org,"
                                "domainname=example.org,tftp=/srv,"
                                "bootfile=pxe.0,tftp-server-name=tftp.local,"
                                "ipv6-net=fd00::/64,ipv6-host=fd00::2,"
                                "ipv6-dns=fd00::3,dhcpstart=10.0.2.20,"
                                "dns=10.0.2.5,host=10.0.2.1,ipv4=on,ipv6=on,"
                                "smbserver=10.0.2.9"));
    out = info(f);
    g_assert_cmpstr(out, ==,
                    "u0: index=0,type=user,net=10.0.2.0,restrict=off\n");
    g_assert_cmpuint(f->net->warnings->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(f->net->warnings, 0), ==,
                    "netdev u0 has no peer");
}

static void test_macs(Fixture *f, gconstpointer data)
{
    /* a given MAC in QEMU's range takes its slot; defaults take the
     * lowest free one */
    build_ok(f, ARGS("-device", "test-nic,mac=52:54:00:12:34:56,id=a",
                     "-device", "test-nic,id=b", "-device",
                     "test-nic,mac=52:54:00:12:34:58,id=c", "-device",
                     "test-nic,id=d"));
    static const struct {
        const char *name;
        uint8_t last;
    } want[] = {{"a", 0x56}, {"b", 0x57}, {"c", 0x58}, {"d", 0x59}};
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        EmuNetClient *nc = emu_net_find(f->net, want[i].name);
        TestClient *t = nc->opaque;
        g_assert_cmpuint(t->mac[5], ==, want[i].last);
        g_assert_cmpuint(t->mac[0], ==, 0x52);
    }
}

/* ---- monitor -------------------------------------------------------- */

static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(bind(fd, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&a, &len), ==, 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_monitor_set_link(Fixture *f, gconstpointer data)
{
    g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    EmuNetClient *nic, *be;

    build_ok(f, ARGS("-netdev", "user,id=net0", "-device",
                     "test-nic,netdev=net0,id=nic0"));
    nic = emu_net_find(f->net, "nic0");
    be = emu_net_find(f->net, "net0");
    a = mon(f, "set_link nic0 off");
    g_assert_cmpstr(a, ==, "");
    g_assert_true(nic->link_down);
    g_assert_false(be->link_down);
    b = mon(f, "set_link nic0 on");
    g_assert_false(nic->link_down);
    c = mon(f, "set_link nope off");
    g_assert_cmpstr(c, ==, "Error: Device 'nope' not found\n");
    d = mon(f, "set_link nic0 maybe");
    g_assert_cmpstr(d, ==, "Expected 'on' or 'off'\n");
    g_free(a);
    a = mon(f, "set_link net0 off");
    g_assert_true(be->link_down && nic->link_down);
}

static void test_monitor_hostfwd(Fixture *f, gconstpointer data)
{
    int port = free_port();
    g_autofree char *rule = g_strdup_printf("tcp:127.0.0.1:%d-:22", port);
    g_autofree char *add = g_strdup_printf("hostfwd_add net0 %s", rule);
    g_autofree char *add2 = g_strdup_printf("hostfwd_add %s", rule);
    g_autofree char *rm =
        g_strdup_printf("hostfwd_remove net0 tcp:127.0.0.1:%d", port);
    g_autofree char *out = NULL;
    g_autofree char *want = NULL;

    build_ok(f, ARGS("-netdev", "hubport,id=hp,hubid=0", "-netdev",
                     "user,id=net0", "-device", "test-nic,netdev=net0"));
    out = mon(f, add);
    g_assert_cmpstr(out, ==, "");
    g_free(out);
    out = mon(f, "info usernet");
    g_assert_true(g_str_has_prefix(out, "Hub -1 (net0):\n"));
    g_assert_nonnull(strstr(out, "HOST_FORWARD"));
    g_free(out);

    /* the same port again (no netdev id: the first user stack) */
    out = mon(f, add2);
    want = g_strdup_printf("could not set up host forwarding rule '%s' "
                           "(host port %d is already forwarded)\n",
                           rule, port);
    g_assert_cmpstr(out, ==, want);
    g_free(out);

    out = mon(f, rm);
    g_free(want);
    want = g_strdup_printf("host forwarding rule for tcp:127.0.0.1:%d "
                           "removed\n",
                           port);
    g_assert_cmpstr(out, ==, want);
    g_free(out);
    out = mon(f, rm);
    g_free(want);
    want = g_strdup_printf("host forwarding rule for tcp:127.0.0.1:%d "
                           "not found\n",
                           port);
    g_assert_cmpstr(out, ==, want);
    g_free(out);
    /* removed: it can be added again */
    out = mon(f, add);
    g_assert_cmpstr(out, ==, "");
    g_free(out);

    /* UDP: the kernel would let a second socket bind (SO_REUSEADDR), the
     * rule list does not */
    g_free(add);
    add = g_strdup_printf("hostfwd_add net0 udp:127.0.0.1:%d-:53", port);
    out = mon(f, add);
    g_assert_cmpstr(out, ==, "");
    g_free(out);
    out = mon(f, add);
    g_free(want);
    want = g_strdup_printf("could not set up host forwarding rule "
                           "'udp:127.0.0.1:%d-:53' (host port %d is already "
                           "forwarded)\n",
                           port, port);
    g_assert_cmpstr(out, ==, want);
    g_free(out);

    out = mon(f, "hostfwd_add nosuch tcp::1-:2");
    g_assert_cmpstr(out, ==, "unrecognized netdev id 'nosuch'\n");
    g_free(out);
    out = mon(f, "hostfwd_add hp tcp::1-:2");
    g_assert_cmpstr(out, ==, "invalid device specified\n");
    g_free(out);
    out = mon(f, "hostfwd_add net0 tcp::x-:2");
    g_assert_cmpstr(out, ==,
                    "invalid host forwarding rule 'tcp::x-:2' "
                    "(bad host port)\n");
    g_free(out);
    out = mon(f, "hostfwd_remove net0 tcp:x");
    g_assert_cmpstr(out, ==, "invalid format\n");
}

static void test_monitor_no_user(Fixture *f, gconstpointer data)
{
    g_autofree char *out = NULL;

    build_ok(f, ARGS("-nic", "none"));
    out = mon(f, "hostfwd_add tcp::1-:2");
    g_assert_cmpstr(out, ==, "user mode network stack not in use\n");
    g_free(out);
    out = mon(f, "info usernet");
    g_assert_cmpstr(out, ==, "");
}

/* a port someone else listens on cannot be forwarded: the error names
 * the rule */
static void test_hostfwd_bind_failure(Fixture *f, gconstpointer data)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    g_autofree char *arg = NULL;
    g_autofree char *msg = NULL;
    g_autofree char *want = NULL;

    g_assert_cmpint(bind(fd, (struct sockaddr *)&a, sizeof(a)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&a, &len), ==, 0);
    arg = g_strdup_printf("user,id=n,hostfwd=tcp:127.0.0.1:%d-:22",
                          ntohs(a.sin_port));
    msg = build(f, ARGS("-netdev", arg));
    want = g_strdup_printf("-netdev %s: could not set up host forwarding "
                           "rule 'tcp:127.0.0.1:%d-:22'",
                           arg, ntohs(a.sin_port));
    g_assert_nonnull(msg);
    g_assert_true(g_str_has_prefix(msg, want));
    close(fd);
}

/* slirp answers an ARP request for the gateway at once, padded to 60 */
static void test_user_arp(Fixture *f, gconstpointer data)
{
    static const uint8_t req[42] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12, 0x34,
        0x56, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 10,   0,    2,    15,   0,
        0,    0,    0,    0,    0,    10,   0,    2,    2,
    };
    EmuNetClient *nic;
    TestClient *t;
    const uint8_t *rep;
    gsize len;

    build_ok(f, ARGS("-netdev", "user,id=net0", "-device",
                     "test-nic,netdev=net0,id=nic0"));
    nic = emu_net_find(f->net, "nic0");
    t = nic->opaque;
    g_assert_cmpint(emu_net_send(nic, req, sizeof(req), NULL), ==, sizeof(req));
    g_assert_cmpuint(t->frames->len, ==, 1);
    rep = g_bytes_get_data(g_ptr_array_index(t->frames, 0), &len);
    g_assert_cmpuint(len, >=, 60);
    g_assert_cmpmem(rep, 6, req + 6, 6); /* to us */
    g_assert_cmpuint(rep[12], ==, 0x08); /* ARP */
    g_assert_cmpuint(rep[13], ==, 0x06);
    g_assert_cmpuint(rep[21], ==, 2); /* reply */
    g_assert_cmpmem(rep + 28, 4, ((uint8_t[]){10, 0, 2, 2}), 4);
    g_assert_cmpuint(nic->stats.rx_packets, ==, 1);
    g_assert_cmpuint(nic->stats.tx_packets, ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/net/options/errors", test_errors);
    g_test_add_func("/net/options/missing-parts", test_missing_parts);
    g_test_add_func("/net/options/help", test_help);
    for (size_t i = 0; i < 6; i++) {
        g_autofree char *path =
            g_strdup_printf("/net/options/help/subprocess/%zu", i);
        g_test_add_data_func(path, GSIZE_TO_POINTER(i), help_child);
    }
    g_test_add_func("/net/user/smb-dir", test_smb_dir);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
    ADD("/net/user/smb-missing", test_smb);
    ADD("/net/options/default", test_default);
    ADD("/net/options/none", test_none);
    ADD("/net/options/legacy-hub", test_legacy_hub);
    ADD("/net/options/two-nics-on-hub", test_two_nics_on_hub);
    ADD("/net/options/netdev-device", test_netdev_device);
    ADD("/net/options/nic", test_nic_option);
    ADD("/net/options/hubports", test_hubports);
    ADD("/net/options/macs", test_macs);
    ADD("/net/options/unwind", test_unwind);
    ADD("/net/user/options", test_lone_netdev_ok);
    ADD("/net/user/hostfwd-bind-failure", test_hostfwd_bind_failure);
    ADD("/net/user/arp", test_user_arp);
    ADD("/net/monitor/set-link", test_monitor_set_link);
    ADD("/net/monitor/hostfwd", test_monitor_hostfwd);
    ADD("/net/monitor/no-user", test_monitor_no_user);
#undef ADD
    return g_test_run();
}
