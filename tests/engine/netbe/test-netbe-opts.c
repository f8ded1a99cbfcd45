/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-netbe-opts.c: QEMU's TCP framing parser (partial input, invalid
 * lengths), host:port parsing, and the messages the socket, stream,
 * dgram, tap and bridge backends give for bad options (QEMU's words). */
#include "netbe-test.h"

#include <sys/stat.h>

/* ---- framing ------------------------------------------------------------ */

static void test_frame_parse(void)
{
    g_autoptr(GError) err = NULL;
    uint8_t buf[4 + 100];
    uint32_t len = 0;

    memset(buf, 0xab, sizeof(buf));
    buf[0] = 0;
    buf[1] = 0;
    buf[2] = 0;
    buf[3] = 100;
    /* the length word and the frame arrive in pieces */
    for (size_t have = 0; have < sizeof(buf); have++) {
        g_assert_cmpint(emu_net_frame_parse(buf, have, &len, &err), ==, 0);
        g_assert_no_error(err);
    }
    g_assert_cmpint(emu_net_frame_parse(buf, sizeof(buf), &len, &err), ==, 1);
    g_assert_cmpuint(len, ==, 100);
    /* more bytes behind it (the next frame) do not matter */
    {
        uint8_t two[4 + 1 + 4];

        memcpy(two, "\0\0\0\1x\0\0\0", 8);
        g_assert_cmpint(emu_net_frame_parse(two, sizeof(two), &len, NULL), ==,
                        1);
        g_assert_cmpuint(len, ==, 1);
    }
}

static void test_frame_lengths(void)
{
    g_autoptr(GError) err = NULL;
    static const uint8_t zero[4] = {0, 0, 0, 0};
    /* 69632 (QEMU's NET_BUFSIZE) is the largest allowed */
    static const uint8_t max[4] = {0, 1, 0x10, 0x00};
    static const uint8_t over[4] = {0, 1, 0x10, 0x01};
    static const uint8_t huge[4] = {0xff, 0xff, 0xff, 0xff};
    uint32_t len;

    g_assert_cmpint(EMU_NET_BUFSIZE, ==, 69632);
    g_assert_cmpint(emu_net_frame_parse(zero, 4, &len, &err), ==, -1);
    g_assert_error(err, EMU_ERROR, EMU_ERROR_IO);
    g_assert_cmpstr(err->message, ==,
                    "invalid frame length 0 (1 to 69632 allowed)");
    g_clear_error(&err);
    /* valid, waiting for its bytes */
    g_assert_cmpint(emu_net_frame_parse(max, 4, &len, &err), ==, 0);
    g_assert_no_error(err);
    g_assert_cmpint(emu_net_frame_parse(over, 4, &len, &err), ==, -1);
    g_assert_cmpstr(err->message, ==,
                    "invalid frame length 69633 (1 to 69632 allowed)");
    g_clear_error(&err);
    /* judged as soon as the length word is complete */
    g_assert_cmpint(emu_net_frame_parse(huge, 3, &len, &err), ==, 0);
    g_assert_cmpint(emu_net_frame_parse(huge, 4, &len, &err), ==, -1);
    g_assert_cmpstr(err->message, ==,
                    "invalid frame length 4294967295 (1 to 69632 allowed)");
}

/* ---- host:port ---------------------------------------------------------- */

static void test_host_port(void)
{
    static const struct {
        const char *in;
        const char *addr; /* NULL: error */
        int port;
        const char *msg;
    } cases[] = {
        {"127.0.0.1:1234", "127.0.0.1", 1234, NULL},
        {":5555", "0.0.0.0", 5555, NULL},
        {"localhost:0x10", "127.0.0.1", 16, NULL},
        {"230.0.0.1:1", "230.0.0.1", 1, NULL},
        {"127.0.0.1", NULL, 0,
         "host address '127.0.0.1' doesn't contain ':' separating host "
         "from port"},
        {"300.0.0.1:5", NULL, 0,
         "host address '300.0.0.1' is not a valid IPv4 address"},
        {"127.0.0.1:abc", NULL, 0, "port number 'abc' is invalid"},
        {"127.0.0.1:", NULL, 0, "port number '' is invalid"},
        {"127.0.0.1:65536", NULL, 0, "port number '65536' is invalid"},
        {"no-such-host.invalid:1", NULL, 0,
         "can't resolve host address 'no-such-host.invalid'"},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) err = NULL;
        struct sockaddr_in sin;
        char a[16];
        bool ok = emu_net_parse_host_port(cases[i].in, &sin, &err);

        if (cases[i].addr) {
            g_assert_no_error(err);
            g_assert_true(ok);
            emu_net_format_in(&sin, a);
            g_assert_cmpstr(a, ==, cases[i].addr);
            g_assert_cmpint(ntohs(sin.sin_port), ==, cases[i].port);
        } else {
            g_assert_false(ok);
            g_assert_cmpstr(err->message, ==, cases[i].msg);
        }
    }
}

static void test_pad(void)
{
    uint8_t min[60], frame[42];
    size_t len = sizeof(frame);
    const uint8_t *out;

    memset(frame, 0x55, sizeof(frame));
    memset(min, 0xee, sizeof(min));
    out = emu_net_pad_short_frame(min, frame, &len);
    g_assert_true(out == min);
    g_assert_cmpuint(len, ==, 60);
    g_assert_cmpint(memcmp(min, frame, 42), ==, 0);
    for (int i = 42; i < 60; i++) {
        g_assert_cmpint(min[i], ==, 0);
    }
    len = 60;
    g_assert_true(emu_net_pad_short_frame(min, frame, &len) == frame);
    g_assert_cmpuint(len, ==, 60);
}

/* ---- option messages ---------------------------------------------------- */

static void expect_error(Fx *f, const char *text, const char *msg)
{
    g_autoptr(GError) err = NULL;
    EmuNetClient *nc = backend_new(f, text, &err);

    if (nc) {
        g_error("-netdev %s: accepted, want \"%s\"", text, msg);
    }
    g_assert_nonnull(err);
    if (strcmp(err->message, msg) != 0) {
        g_error("-netdev %s:\n  got  \"%s\"\n  want \"%s\"", text, err->message,
                msg);
    }
    /* nothing half-made stays behind */
    g_assert_null(emu_net_find(f->net, "n0"));
}

static void test_socket_messages(Fx *f, gconstpointer data)
{
    g_autofree char *busy = NULL;
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof(sin);
    int hold = socket(AF_INET, SOCK_STREAM, 0);

    expect_error(f, "socket,id=n0",
                 "exactly one of listen=, connect=, mcast= or udp= is "
                 "required");
    expect_error(f, "socket,id=n0,listen=:5,connect=127.0.0.1:5",
                 "exactly one of listen=, connect=, mcast= or udp= is "
                 "required");
    expect_error(f, "socket,id=n0,fd=3,mcast=230.0.0.1:5",
                 "exactly one of listen=, connect=, mcast= or udp= is "
                 "required");
    expect_error(f, "socket,id=n0,listen=:5,localaddr=127.0.0.1",
                 "localaddr= is only valid with mcast= or udp=");
    expect_error(f, "socket,id=n0,udp=127.0.0.1:5",
                 "localaddr= is mandatory with udp=");
    expect_error(f, "socket,id=n0,udp=127.0.0.1:5,localaddr=127.0.0.1",
                 "host address '127.0.0.1' doesn't contain ':' separating "
                 "host from port");
    expect_error(f, "socket,id=n0,mcast=10.0.0.1:5",
                 "specified mcastaddr 10.0.0.1 (0x0a000001) does not "
                 "contain a multicast address");
    expect_error(f, "socket,id=n0,mcast=230.0.0.1:5,localaddr=foo",
                 "localaddr 'foo' is not a valid IPv4 address");
    expect_error(f, "socket,id=n0,listen=127.0.0.1",
                 "host address '127.0.0.1' doesn't contain ':' separating "
                 "host from port");
    expect_error(f, "socket,id=n0,listen=1.2.3.4:5",
                 "can't bind ip=1.2.3.4 to socket: Cannot assign requested "
                 "address");
    expect_error(f, "socket,id=n0,connect=127.0.0.1:x",
                 "port number 'x' is invalid");
    expect_error(f, "socket,id=n0,fd=abc",
                 "Invalid file descriptor number 'abc'");
    expect_error(f, "socket,id=n0,fd=987",
                 "n0: Can't use file descriptor 987: Bad file descriptor");
    expect_error(f, "socket,id=n0,listen=:5,bogus=1",
                 "invalid parameter 'bogus'");

    /* a port in use */
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(hold, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(hold, 1), ==, 0);
    getsockname(hold, (struct sockaddr *)&sin, &len);
    busy = g_strdup_printf("socket,id=n0,listen=127.0.0.1:%d",
                           ntohs(sin.sin_port));
    expect_error(f, busy,
                 "can't bind ip=127.0.0.1 to socket: Address already in "
                 "use");
    close(hold);

    /* a file is no socket */
    {
        int fd = open("/dev/null", O_RDONLY);
        g_autofree char *t = g_strdup_printf("socket,id=n0,fd=%d", fd);

        expect_error(f, t, "can't get socket option SO_TYPE");
        close(fd);
    }
}

static void test_stream_messages(Fx *f, gconstpointer data)
{
    expect_error(f, "stream,id=n0,server=on", "parameter 'addr' is missing");
    expect_error(f, "stream,id=n0,addr.host=127.0.0.1,addr.port=5",
                 "parameter 'addr.type' is missing");
    expect_error(f, "stream,id=n0,addr.type=inet,addr.host=127.0.0.1",
                 "parameter 'addr.port' is missing");
    expect_error(f, "stream,id=n0,addr.type=inet,addr.port=5",
                 "parameter 'addr.host' is missing");
    expect_error(f, "stream,id=n0,addr.type=unix",
                 "parameter 'addr.path' is missing");
    expect_error(f, "stream,id=n0,addr.type=foo",
                 "parameter 'addr.type' does not accept value 'foo'");
    expect_error(f, "stream,id=n0,server=maybe,addr.type=unix,addr.path=/x",
                 "parameter 'server' expects 'on' or 'off'");
    expect_error(f,
                 "stream,id=n0,server=on,reconnect=1,addr.type=inet,"
                 "addr.host=127.0.0.1,addr.port=5",
                 "'reconnect' option is incompatible with socket in server "
                 "mode");
    expect_error(f,
                 "stream,id=n0,server=on,addr.type=inet,addr.host=1.2.3.4,"
                 "addr.port=5",
                 "can't bind tcp:1.2.3.4:5 to socket: Cannot assign "
                 "requested address");
    expect_error(f,
                 "stream,id=n0,server=on,addr.type=unix,"
                 "addr.path=/nonexistent/dir/sock",
                 "can't bind unix:/nonexistent/dir/sock to socket: No such "
                 "file or directory");
    expect_error(f,
                 "stream,id=n0,addr.type=inet,addr.host=127.0.0.1,"
                 "addr.port=5,addr.colour=red",
                 "invalid parameter 'addr.colour'");
}

static void test_dgram_messages(Fx *f, gconstpointer data)
{
    expect_error(f, "dgram,id=n0", "dgram requires local= parameter");
    expect_error(f,
                 "dgram,id=n0,remote.type=inet,remote.host=127.0.0.1,"
                 "remote.port=5",
                 "dgram requires local= parameter");
    expect_error(f,
                 "dgram,id=n0,local.type=inet,local.host=127.0.0.1,"
                 "local.port=5",
                 "type=inet or type=unix requires remote parameter");
    expect_error(f,
                 "dgram,id=n0,local.type=unix,local.path=/tmp/x,"
                 "remote.type=inet,remote.host=127.0.0.1,remote.port=5",
                 "remote and local types must be the same");
    expect_error(f,
                 "dgram,id=n0,local.type=fd,local.str=3,remote.type=unix,"
                 "remote.path=/tmp/x",
                 "don't set remote with local.fd");
    expect_error(f,
                 "dgram,id=n0,local.type=inet,local.host=127.0.0.1,"
                 "local.port=5,remote.type=inet,remote.host=127.0.0.1",
                 "parameter 'remote.port' is missing");
    expect_error(f, "dgram,id=n0,local.host=127.0.0.1",
                 "parameter 'local.type' is missing");
    expect_error(f,
                 "dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,"
                 "remote.port=5,local.type=unix,local.path=/tmp/x",
                 "only support inet or fd type for local");
    expect_error(f,
                 "dgram,id=n0,remote.type=inet,remote.host=230.0.0.1,"
                 "remote.port=5,local.type=inet,local.host=foo,local.port=1",
                 "localaddr 'foo' is not a valid IPv4 address");
    expect_error(f,
                 "dgram,id=n0,local.type=inet,local.host=1.2.3.4,"
                 "local.port=5,remote.type=inet,remote.host=127.0.0.1,"
                 "remote.port=5",
                 "can't bind ip=1.2.3.4 to socket: Cannot assign requested "
                 "address");
}

static void test_tap_messages(Fx *f, gconstpointer data)
{
    int pipefd[2];
    g_autofree char *t = NULL;

    expect_error(f, "tap,id=n0,fd=3,script=no",
                 "ifname=, script=, downscript=, vnet_hdr=, helper=, "
                 "queues=, fds=, and vhostfds= are invalid with fd=");
    expect_error(f, "tap,id=n0,fds=3,ifname=x",
                 "ifname=, script=, downscript=, vnet_hdr=, helper=, "
                 "queues=, and vhostfd= are invalid with fds=");
    expect_error(f, "tap,id=n0,helper=/x,vnet_hdr=on",
                 "ifname=, script=, downscript=, vnet_hdr=, queues=, and "
                 "vhostfds= are invalid with helper=");
    expect_error(f, "tap,id=n0,vhost=on",
                 "vhost-net is not supported (use vhost=off)");
    expect_error(f, "tap,id=n0,queues=4",
                 "multiqueue tap is not supported (queues=4)");
    expect_error(f, "tap,id=n0,fds=3:4",
                 "multiqueue tap is not supported (fds=3:4)");
    expect_error(f, "tap,id=n0,fd=abc", "Invalid file descriptor number 'abc'");
    expect_error(f, "tap,id=n0,fd=987",
                 "n0: Can't use file descriptor 987: Bad file descriptor");
    expect_error(f, "tap,id=n0,vnet_hdr=perhaps",
                 "parameter 'vnet_hdr' expects 'on' or 'off'");
    expect_error(f, "tap,id=n0,ifname=0123456789abcdefXYZ",
                 "ifname '0123456789abcdefXYZ' is too long (at most 15 "
                 "characters)");
    expect_error(f, "tap,id=n0,colour=red", "invalid parameter 'colour'");
    /* an fd that is no TAP */
    g_assert_cmpint(pipe(pipefd), ==, 0);
    t = g_strdup_printf("tap,id=n0,fd=%d", pipefd[0]);
    {
        g_autofree char *msg = g_strdup_printf(
            "Unable to query TUNGETIFF on FD %d: Inappropriate ioctl for "
            "device",
            pipefd[0]);

        expect_error(f, t, msg);
    }
    close(pipefd[0]);
    close(pipefd[1]);
}

/* a fake helper: prints @msg on stderr and exits @status */
static char *fake_helper(const char *dir, const char *msg, int status)
{
    char *path = g_build_filename(dir, "helper.sh", NULL);
    g_autofree char *quoted = g_shell_quote(msg);
    g_autofree char *text = g_strdup_printf(
        "#!/bin/sh\necho 'some noise' >&2\necho %s >&2\nexit %d\n", quoted,
        status);

    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    chmod(path, 0755);
    return path;
}

static void test_bridge_messages(Fx *f, gconstpointer data)
{
    g_autofree char *dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    g_autofree char *helper = NULL;
    g_autofree char *t = NULL;
    g_autofree char *script = NULL;

    expect_error(f, "bridge,id=n0,helper=/nonexistent/helper",
                 "bridge helper failed: cannot run /nonexistent/helper: No "
                 "such file or directory");
    helper = fake_helper(dir,
                         "vmkit-bridge-helper: access denied: bridge 'br9' "
                         "is not allowed by /etc/vmkit/bridge.conf",
                         1);
    t = g_strdup_printf("bridge,id=n0,br=br9,helper=%s", helper);
    expect_error(f, t,
                 "bridge helper failed: vmkit-bridge-helper: access denied: "
                 "bridge 'br9' is not allowed by /etc/vmkit/bridge.conf");
    /* exits 0 without sending an fd */
    g_free(t);
    g_free(helper);
    helper = fake_helper(dir, "", 0);
    t = g_strdup_printf("bridge,id=n0,helper=%s", helper);
    expect_error(f, t, "bridge helper failed: some noise");
    /* silent failure */
    g_free(t);
    script = g_build_filename(dir, "quiet.sh", NULL);
    g_assert_true(g_file_set_contents(script, "#!/bin/sh\nexit 7\n", -1, NULL));
    chmod(script, 0755);
    t = g_strdup_printf("tap,id=n0,helper=%s", script);
    {
        g_autofree char *msg = g_strdup_printf(
            "bridge helper failed: %s exited with status 7", script);

        expect_error(f, t, msg);
    }
    g_free(t);
    t = g_strdup_printf("bridge,id=n0,helper=%s,colour=red", script);
    expect_error(f, t, "invalid parameter 'colour'");
    unlink(script);
    unlink(helper);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/netbe/frame/parse", test_frame_parse);
    g_test_add_func("/netbe/frame/lengths", test_frame_lengths);
    g_test_add_func("/netbe/addr/host-port", test_host_port);
    g_test_add_func("/netbe/tap/pad", test_pad);
    g_test_add("/netbe/opts/socket", Fx, NULL, fx_setup, test_socket_messages,
               fx_teardown);
    g_test_add("/netbe/opts/stream", Fx, NULL, fx_setup, test_stream_messages,
               fx_teardown);
    g_test_add("/netbe/opts/dgram", Fx, NULL, fx_setup, test_dgram_messages,
               fx_teardown);
    g_test_add("/netbe/opts/tap", Fx, NULL, fx_setup, test_tap_messages,
               fx_teardown);
    g_test_add("/netbe/opts/bridge", Fx, NULL, fx_setup, test_bridge_messages,
               fx_teardown);
    return g_test_run();
}
