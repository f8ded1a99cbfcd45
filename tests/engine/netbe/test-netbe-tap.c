/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-netbe-tap.c: -netdev tap and -netdev bridge on real TAP devices,
 * each test in a subprocess with its own network namespace (root and
 * /dev/net/tun needed; skipped otherwise). Frames are injected and seen
 * on the host side with a packet socket; scripts, fd=, vnet headers,
 * short-frame padding, and the bridge helper protocol (a fake helper
 * written by the test makes the TAP and sends its fd). */
#include "netbe-test.h"

#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>

/* an EtherType no host stack sends: IEEE 802 local experimental 1 */
#define TEST_ETHERTYPE 0x88b5

static bool can_tap(void)
{
    if (getuid() != 0) {
        g_test_skip("needs root (network namespace, TAP devices)");
        return false;
    }
    if (access("/dev/net/tun", R_OK | W_OK) != 0) {
        g_test_skip("no /dev/net/tun");
        return false;
    }
    return true;
}

/* Runs the current test again in a subprocess in its own network
 * namespace; true in that subprocess. A subprocess that cannot do its
 * test calls child_skip(), and the test is skipped here. */
static char *skip_file;

static bool in_subprocess(void)
{
    g_autofree char *why = NULL;

    if (g_test_subprocess()) {
        g_assert_cmpint(unshare(CLONE_NEWNET), ==, 0);
        return true;
    }
    if (!can_tap()) {
        return false;
    }
    skip_file = g_build_filename(g_get_tmp_dir(), "netbe-skip-XXXXXX", NULL);
    close(g_mkstemp(skip_file));
    g_setenv("NETBE_SKIP_FILE", skip_file, TRUE);
    g_test_trap_subprocess(NULL, 60 * G_USEC_PER_SEC,
                           G_TEST_SUBPROCESS_INHERIT_STDOUT |
                               G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed();
    if (g_file_get_contents(skip_file, &why, NULL, NULL) && why[0]) {
        g_test_skip(why);
    }
    unlink(skip_file);
    g_clear_pointer(&skip_file, g_free);
    return false;
}

static void child_skip(const char *why)
{
    g_file_set_contents(g_getenv("NETBE_SKIP_FILE"), why, -1, NULL);
}

static void if_up(const char *ifname)
{
    struct ifreq ifr = {0};
    int s = socket(AF_INET, SOCK_DGRAM, 0);

    g_strlcpy(ifr.ifr_name, ifname, IFNAMSIZ);
    g_assert_cmpint(ioctl(s, SIOCGIFFLAGS, &ifr), ==, 0);
    ifr.ifr_flags |= IFF_UP;
    g_assert_cmpint(ioctl(s, SIOCSIFFLAGS, &ifr), ==, 0);
    close(s);
}

static bool if_exists(const char *ifname)
{
    return if_nametoindex(ifname) != 0;
}

/* a packet socket on @ifname for TEST_ETHERTYPE frames */
static int packet_socket(const char *ifname)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(TEST_ETHERTYPE),
        .sll_ifindex = if_nametoindex(ifname),
    };
    int s = socket(AF_PACKET, SOCK_RAW, htons(TEST_ETHERTYPE));

    g_assert_cmpint(s, >=, 0);
    g_assert_cmpint(bind(s, (struct sockaddr *)&sll, sizeof(sll)), ==, 0);
    return s;
}

/* a test frame: broadcast, EtherType TEST_ETHERTYPE, @len bytes */
static uint8_t *test_frame(size_t len, unsigned seed)
{
    uint8_t *f = frame_make(len, seed);

    memset(f, 0xff, 6);
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
    f[12] = TEST_ETHERTYPE >> 8;
    f[13] = TEST_ETHERTYPE & 0xff;
    return f;
}

static bool is_test_frame(GBytes *b)
{
    size_t n;
    const uint8_t *d = g_bytes_get_data(b, &n);

    return n >= 14 && d[12] == (TEST_ETHERTYPE >> 8) &&
           d[13] == (TEST_ETHERTYPE & 0xff);
}

/* the peer's test frames only (the kernel sends IPv6 noise on a new
 * interface) */
static guint test_frames(Peer *p, GBytes **last)
{
    guint n = 0;

    for (guint i = 0; i < p->frames->len; i++) {
        if (is_test_frame(g_ptr_array_index(p->frames, i))) {
            n++;
            if (last) {
                *last = g_ptr_array_index(p->frames, i);
            }
        }
    }
    return n;
}

/* host -> guest through the TAP, guest -> host; @short_frames checks
 * QEMU's padding to 60 bytes */
static void tap_exchange(Fx *f, Peer *p, const char *ifname)
{
    int ps = packet_socket(ifname);
    g_autofree uint8_t *small = test_frame(42, 1);
    g_autofree uint8_t *big = test_frame(1514, 2);
    g_autofree uint8_t *out = test_frame(200, 3);
    GBytes *last = NULL;
    uint8_t buf[2048];
    const uint8_t *d;
    size_t n;

    g_assert_cmpint(send(ps, small, 42, 0), ==, 42);
    g_assert_true(PUMP_UNTIL(f, 5000, test_frames(p, &last) == 1));
    d = g_bytes_get_data(last, &n);
    /* padded with zeros to the Ethernet minimum, no vnet header */
    g_assert_cmpuint(n, ==, 60);
    g_assert_cmpint(memcmp(d, small, 42), ==, 0);
    for (int i = 42; i < 60; i++) {
        g_assert_cmpint(d[i], ==, 0);
    }
    g_assert_cmpint(send(ps, big, 1514, 0), ==, 1514);
    g_assert_true(PUMP_UNTIL(f, 5000, test_frames(p, &last) == 2));
    g_assert_true(g_bytes_get_size(last) == 1514);
    g_assert_cmpint(memcmp(g_bytes_get_data(last, NULL), big, 1514), ==, 0);

    /* guest -> host: exactly the frame, whatever the vnet header */
    g_assert_cmpint(peer_send(f, p, out, 200), ==, 200);
    {
        struct timeval tv = {.tv_sec = 5};

        setsockopt(ps, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    for (;;) {
        struct sockaddr_ll from;
        socklen_t fl = sizeof(from);
        ssize_t r =
            recvfrom(ps, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);

        g_assert_cmpint(r, >, 0);
        if (from.sll_pkttype == PACKET_OUTGOING) {
            continue;
        }
        g_assert_cmpint(r, ==, 200);
        g_assert_cmpint(memcmp(buf, out, 200), ==, 0);
        break;
    }
    close(ps);
}

static char *write_script(const char *dir, const char *name, const char *body)
{
    char *path = g_build_filename(dir, name, NULL);
    g_autofree char *text = g_strdup_printf("#!/bin/sh\n%s\n", body);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    chmod(path, 0755);
    return path;
}

static void test_tap_scripts(Fx *f, gconstpointer data)
{
    g_autofree char *dir = NULL;
    g_autofree char *up = NULL;
    g_autofree char *down = NULL;
    g_autofree char *body = NULL;
    g_autofree char *log = NULL;
    g_autofree char *info = NULL;
    g_autofree char *want = NULL;
    g_autofree char *text = NULL;
    EmuNetClient *nc;
    Peer *p;

    if (!in_subprocess()) {
        return;
    }
    dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    log = g_build_filename(dir, "log", NULL);
    body =
        g_strdup_printf("echo \"up $# $1\" >>%s\nip link set \"$1\" up", log);
    up = write_script(dir, "up.sh", body);
    g_free(body);
    body = g_strdup_printf("echo \"down $# $1\" >>%s", log);
    down = write_script(dir, "down.sh", body);

    nc = backend_ok(f, "tap,id=t0,ifname=vmkt0,script=%s,downscript=%s", up,
                    down);
    p = peer_new(f, nc);
    info = info_of(f, nc);
    want = g_strdup_printf("ifname=vmkt0,script=%s,downscript=%s", up, down);
    g_assert_cmpstr(info, ==, want);
    g_assert_cmpstr(emu_net_kind_str(nc->ops->kind), ==, "tap");
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "up 1 vmkt0\n");
    tap_exchange(f, p, "vmkt0");

    /* the down script runs while the TAP exists, then it goes */
    emu_net_client_free(p->nc);
    emu_net_client_free(nc);
    g_free(text);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "up 1 vmkt0\ndown 1 vmkt0\n");
    g_assert_false(if_exists("vmkt0"));

    /* tap%d and no scripts; vnet_hdr=off */
    nc = backend_ok(f, "tap,id=t1,script=no,downscript=no,vnet_hdr=off");
    p = peer_new(f, nc);
    g_free(info);
    info = info_of(f, nc);
    g_assert_cmpstr(info, ==, "ifname=tap0,script=no,downscript=no");
    if_up("tap0");
    tap_exchange(f, p, "tap0");
}

static void test_tap_script_fails(Fx *f, gconstpointer data)
{
    g_autofree char *dir = NULL;
    g_autofree char *bad = NULL;
    g_autofree char *t = NULL;
    g_autofree char *msg = NULL;
    g_autoptr(GError) err = NULL;

    if (!in_subprocess()) {
        return;
    }
    dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    bad = write_script(dir, "bad.sh", "echo failing >&2; exit 3");
    t = g_strdup_printf("tap,id=t0,ifname=vmkt9,script=%s", bad);
    g_assert_null(backend_new(f, t, &err));
    msg = g_strdup_printf("network script %s failed with status 3", bad);
    g_assert_cmpstr(err->message, ==, msg);
    /* the TAP went with its fd */
    g_assert_false(if_exists("vmkt9"));
    g_clear_error(&err);

    g_assert_null(backend_new(f, "tap,id=t0,script=/nonexistent/up", &err));
    g_assert_cmpstr(err->message, ==,
                    "network script failed: cannot run /nonexistent/up: No "
                    "such file or directory");
    g_clear_error(&err);

    /* an interface name taken by something that is no TAP */
    g_assert_null(backend_new(f, "tap,id=t0,ifname=lo,script=no", &err));
    g_assert_cmpstr(err->message, ==,
                    "could not configure /dev/net/tun (lo): Invalid argument");
}

/* /dev/net/tun unusable: a unix socket mounted over it in a private
 * mount namespace (opening a socket fails with ENXIO) */
static void test_tap_no_tun(Fx *f, gconstpointer data)
{
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autoptr(GError) err = NULL;
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int s;

    if (!in_subprocess()) {
        return;
    }
    dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    path = g_build_filename(dir, "sock", NULL);
    g_strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(bind(s, (struct sockaddr *)&sun, sizeof(sun)), ==, 0);
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount(path, "/dev/net/tun", NULL, MS_BIND, NULL) != 0) {
        child_skip("cannot mount over /dev/net/tun");
        return;
    }
    g_assert_null(backend_new(f, "tap,id=t0,script=no", &err));
    g_assert_cmpstr(err->message, ==,
                    "could not open /dev/net/tun: No such device or address");
    umount("/dev/net/tun");
    close(s);
    unlink(path);
    rmdir(dir);
}

static int make_tap(const char *name, short flags)
{
    struct ifreq ifr = {0};
    int fd = open("/dev/net/tun", O_RDWR);

    g_assert_cmpint(fd, >=, 0);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | flags;
    g_strlcpy(ifr.ifr_name, name, IFNAMSIZ);
    g_assert_cmpint(ioctl(fd, TUNSETIFF, &ifr), ==, 0);
    return fd;
}

static void test_tap_fd(Fx *f, gconstpointer data)
{
    EmuNetClient *nc;
    Peer *p;
    g_autofree char *info = NULL;
    g_autofree char *want = NULL;
    int fd;

    if (!in_subprocess()) {
        return;
    }
    /* as a management tool passes it: plain, then with a vnet header */
    fd = make_tap("vmkfd0", 0);
    nc = backend_ok(f, "tap,id=t0,fd=%d", fd);
    p = peer_new(f, nc);
    info = info_of(f, nc);
    want = g_strdup_printf("fd=%d", fd);
    g_assert_cmpstr(info, ==, want);
    if_up("vmkfd0");
    tap_exchange(f, p, "vmkfd0");

    fd = make_tap("vmkfd1", IFF_VNET_HDR);
    nc = backend_ok(f, "tap,id=t1,fds=%d,sndbuf=1M", fd);
    p = peer_new(f, nc);
    if_up("vmkfd1");
    tap_exchange(f, p, "vmkfd1");
}

/* A stand-in bridge helper: QEMU's protocol, from the helper's side. It
 * logs its arguments, makes a TAP (IFF_VNET_HDR with --use-vnet) and
 * sends the fd with a 1-byte payload. */
static const char fake_helper[] =
    "#!/usr/bin/env python3\n"
    "import array, fcntl, os, socket, struct, sys\n"
    "args = sys.argv[1:]\n"
    "with open(os.environ['NETBE_LOG'], 'a') as f:\n"
    "    f.write(' '.join(a if not a.startswith('--fd=') else '--fd=N'\n"
    "                     for a in args) + '\\n')\n"
    "fd = int([a for a in args if a.startswith('--fd=')][0][5:])\n"
    "tun = os.open('/dev/net/tun', os.O_RDWR)\n"
    "flags = 0x0002 | 0x1000 | (0x4000 if '--use-vnet' in args else 0)\n"
    "fcntl.ioctl(tun, 0x400454ca, struct.pack('16sH22x', b'vmkbr%d', flags))\n"
    "s = socket.socket(fileno=fd)\n"
    "s.sendmsg([b'\\0'], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,\n"
    "                      array.array('i', [tun]))])\n";

static void test_bridge_helper(Fx *f, gconstpointer data)
{
    g_autofree char *dir = NULL;
    g_autofree char *helper = NULL;
    g_autofree char *python = NULL;
    g_autofree char *log = NULL;
    g_autofree char *text = NULL;
    g_autofree char *info = NULL;
    g_autofree char *want = NULL;
    EmuNetClient *nc;
    Peer *p;

    if (!in_subprocess()) {
        return;
    }
    python = g_find_program_in_path("python3");
    if (!python) {
        child_skip("no python3 for the fake helper");
        return;
    }
    dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    helper = g_build_filename(dir, "helper.py", NULL);
    g_assert_true(g_file_set_contents(helper, fake_helper, -1, NULL));
    chmod(helper, 0755);
    log = g_build_filename(dir, "log", NULL);
    g_setenv("NETBE_LOG", log, TRUE);

    nc = backend_ok(f, "bridge,id=b0,br=brx,helper=%s", helper);
    p = peer_new(f, nc);
    info = info_of(f, nc);
    want = g_strdup_printf("helper=%s,br=brx", helper);
    g_assert_cmpstr(info, ==, want);
    /* QEMU's bridge backend is a tap client */
    g_assert_cmpstr(emu_net_kind_str(nc->ops->kind), ==, "tap");
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "--use-vnet --fd=N --br=brx\n");
    if_up("vmkbr0");
    tap_exchange(f, p, "vmkbr0");
    emu_net_client_free(p->nc);
    emu_net_client_free(nc);
    g_assert_false(if_exists("vmkbr0"));

    /* a helper with arguments runs through sh -c; br defaults to br0 */
    g_free(info);
    nc = backend_ok(f, "tap,id=t0,helper=%s --extra", helper);
    info = info_of(f, nc);
    g_free(want);
    want = g_strdup_printf("helper=%s --extra", helper);
    g_assert_cmpstr(info, ==, want);
    g_free(text);
    g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
    g_assert_true(
        g_str_has_suffix(text, "--extra --use-vnet --fd=N --br=br0\n"));
    p = peer_new(f, nc);
    if_up("vmkbr0");
    tap_exchange(f, p, "vmkbr0");
    unlink(log);
    unlink(helper);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fx, NULL, fx_setup, fn, fx_teardown)
    ADD("/netbe/tap/scripts", test_tap_scripts);
    ADD("/netbe/tap/script-fails", test_tap_script_fails);
    ADD("/netbe/tap/no-tun", test_tap_no_tun);
    ADD("/netbe/tap/fd", test_tap_fd);
    ADD("/netbe/bridge/helper", test_bridge_helper);
    return g_test_run();
}
