/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-netbe-socket.c: -netdev socket, stream and dgram moving frames —
 * two backends in one process through recording peers; QEMU's wire format
 * checked with raw sockets (4-byte big-endian length, partial reads,
 * invalid lengths end the connection and the server listens again);
 * backpressure both ways; multicast on loopback; udp; unix sockets. */
#include "netbe-test.h"

#include <sys/un.h>

/* sends @n frames of various sizes from @a, waits until @b has them all */
static void exchange(Fx *f, Peer *a, Peer *b, unsigned n, unsigned seed)
{
    guint base = b->frames->len;

    for (unsigned i = 0; i < n; i++) {
        size_t len = 60 + (i * 397) % 1500;
        g_autofree uint8_t *fr = frame_make(len, seed + i);

        g_assert_cmpint(peer_send(f, a, fr, len), ==, (ssize_t)len);
    }
    g_assert_true(PUMP_UNTIL(f, 5000, b->frames->len == base + n));
    for (unsigned i = 0; i < n; i++) {
        g_assert_true(frame_is(g_ptr_array_index(b->frames, base + i),
                               60 + (i * 397) % 1500, seed + i));
    }
}

static void test_listen_connect(Fx *f, gconstpointer data)
{
    int port = free_port(SOCK_STREAM);
    EmuNetClient *srv =
        backend_ok(f, "socket,id=srv,listen=127.0.0.1:%d", port);
    EmuNetClient *cli = NULL;
    Peer *ps = peer_new(f, srv), *pc;
    g_autofree char *info = NULL;
    g_autofree char *want = NULL;

    /* waiting for a peer: down, no info (QEMU) */
    g_assert_true(srv->link_down);
    info = info_of(f, srv);
    g_assert_cmpstr(info, ==, "");
    /* a frame for nobody is dropped, not queued */
    {
        uint8_t fr[60] = {0};

        g_assert_cmpint(peer_send(f, ps, fr, 60), ==, 60);
    }

    cli = backend_ok(f, "socket,id=cli,connect=127.0.0.1:%d", port);
    pc = peer_new(f, cli);
    g_free(info);
    info = info_of(f, cli);
    want = g_strdup_printf("socket: connect to 127.0.0.1:%d", port);
    g_assert_cmpstr(info, ==, want);
    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down));
    g_free(info);
    info = info_of(f, srv);
    g_assert_true(g_str_has_prefix(info, "socket: connection from 127.0.0.1:"));

    exchange(f, pc, ps, 20, 1);
    exchange(f, ps, pc, 20, 100);
    /* a full-size frame (64 KiB + header) and a tiny one */
    {
        g_autofree uint8_t *big = frame_make(EMU_NET_MAX_FRAME, 7);
        uint8_t tiny[1] = {0x42};
        guint n = ps->frames->len;

        peer_send(f, pc, big, EMU_NET_MAX_FRAME);
        peer_send(f, pc, tiny, 1);
        g_assert_true(PUMP_UNTIL(f, 5000, ps->frames->len == n + 2));
        g_assert_true(
            frame_is(g_ptr_array_index(ps->frames, n), EMU_NET_MAX_FRAME, 7));
        g_assert_cmpuint(g_bytes_get_size(g_ptr_array_index(ps->frames, n + 1)),
                         ==, 1);
    }

    /* the client goes: the server is down again and listens */
    emu_net_client_free(pc->nc);
    emu_net_client_free(cli);
    g_assert_true(PUMP_UNTIL(f, 5000, srv->link_down));
    g_free(info);
    info = info_of(f, srv);
    g_assert_cmpstr(info, ==, "");
    cli = backend_ok(f, "socket,id=cli2,connect=127.0.0.1:%d", port);
    pc = peer_new(f, cli);
    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down));
    exchange(f, pc, ps, 3, 200);
}

/* the server side of the wire, seen from a raw TCP client */
static void test_wire_format(Fx *f, gconstpointer data)
{
    int port = free_port(SOCK_STREAM);
    EmuNetClient *srv =
        backend_ok(f, "socket,id=srv,listen=127.0.0.1:%d", port);
    Peer *ps = peer_new(f, srv);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
    int raw = socket(AF_INET, SOCK_STREAM, 0);
    g_autofree uint8_t *fr = frame_make(300, 5);
    uint8_t hdr[4], got[300];

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(raw, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down));

    /* backend -> wire: 4-byte big-endian length, then the frame */
    g_assert_cmpint(peer_send(f, ps, fr, 300), ==, 300);
    g_assert_true(read_full(raw, hdr, 4));
    g_assert_cmpint(hdr[0], ==, 0);
    g_assert_cmpint(hdr[1], ==, 0);
    g_assert_cmpint(hdr[2], ==, 1);
    g_assert_cmpint(hdr[3], ==, 44);
    g_assert_true(read_full(raw, got, 300));
    g_assert_cmpint(memcmp(got, fr, 300), ==, 0);

    /* wire -> backend, one byte at a time, then two frames in one write */
    {
        uint8_t msg[4 + 300];

        memcpy(msg, hdr, 4);
        memcpy(msg + 4, fr, 300);
        for (size_t i = 0; i < sizeof(msg); i++) {
            write_full(raw, msg + i, 1);
            pump(f, i % 50 == 0 ? 2 : 0);
        }
        g_assert_true(PUMP_UNTIL(f, 5000, ps->frames->len == 1));
        g_assert_true(frame_is(g_ptr_array_index(ps->frames, 0), 300, 5));
    }
    {
        uint8_t two[2 * (4 + 60)];
        g_autofree uint8_t *a = frame_make(60, 8);
        g_autofree uint8_t *b = frame_make(60, 9);

        memcpy(two, "\0\0\0\x3c", 4);
        memcpy(two + 4, a, 60);
        memcpy(two + 64, "\0\0\0\x3c", 4);
        memcpy(two + 68, b, 60);
        write_full(raw, two, sizeof(two));
        g_assert_true(PUMP_UNTIL(f, 5000, ps->frames->len == 3));
        g_assert_true(frame_is(g_ptr_array_index(ps->frames, 1), 60, 8));
        g_assert_true(frame_is(g_ptr_array_index(ps->frames, 2), 60, 9));
    }

    /* a length over 69632: the connection ends cleanly, the backend
     * listens again and takes the next client */
    write_full(raw, "\0\x01\x10\x01", 4);
    g_assert_true(PUMP_UNTIL(f, 5000, srv->link_down));
    g_assert_false(read_full(raw, hdr, 1)); /* EOF */
    close(raw);
    raw = socket(AF_INET, SOCK_STREAM, 0);
    g_assert_cmpint(connect(raw, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down));
    /* a zero length is no frame either */
    write_full(raw, "\0\0\0\0", 4);
    g_assert_true(PUMP_UNTIL(f, 5000, srv->link_down));
    close(raw);
    g_assert_cmpuint(ps->frames->len, ==, 3);
}

/* connect= to a raw server: the frames on the wire, EOF, refused peers */
static void test_connect_side(Fx *f, gconstpointer data)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof(sin);
    int lsn = socket(AF_INET, SOCK_STREAM, 0);
    int raw;
    EmuNetClient *cli;
    Peer *pc;
    uint8_t hdr[4], buf[64];
    g_autofree char *info = NULL;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(lsn, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(lsn, 1), ==, 0);
    getsockname(lsn, (struct sockaddr *)&sin, &len);
    cli = backend_ok(f, "socket,id=cli,connect=127.0.0.1:%d",
                     ntohs(sin.sin_port));
    pc = peer_new(f, cli);
    raw = accept(lsn, NULL, NULL);
    g_assert_cmpint(raw, >=, 0);
    {
        g_autofree uint8_t *fr = frame_make(64, 3);

        /* may be queued while the connect completes, then flushed */
        peer_send(f, pc, fr, 64);
        pump(f, 20);
        g_assert_true(read_full(raw, hdr, 4));
        g_assert_cmpint(hdr[3], ==, 64);
        g_assert_true(read_full(raw, buf, 64));
        g_assert_cmpint(memcmp(buf, fr, 64), ==, 0);
    }
    /* the server goes away: link down, info cleared (QEMU) */
    close(raw);
    g_assert_true(PUMP_UNTIL(f, 5000, cli->link_down));
    info = info_of(f, cli);
    g_assert_cmpstr(info, ==, "");
    close(lsn);

    /* nobody listening: QEMU 7.2 starts anyway, the link goes down */
    {
        int port = free_port(SOCK_STREAM);
        EmuNetClient *c2 =
            backend_ok(f, "socket,id=c2,connect=127.0.0.1:%d", port);

        g_assert_true(PUMP_UNTIL(f, 5000, c2->link_down));
    }
}

/* the peer's ring is full: reading stops, nothing is lost, order kept */
static void test_read_backpressure(Fx *f, gconstpointer data)
{
    int port = free_port(SOCK_STREAM);
    EmuNetClient *srv =
        backend_ok(f, "socket,id=srv,listen=127.0.0.1:%d", port);
    Peer *ps = peer_new(f, srv);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
    int raw = socket(AF_INET, SOCK_STREAM, 0);
    const unsigned n = 200;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(connect(raw, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down));
    ps->accept = 3;
    for (unsigned i = 0; i < n; i++) {
        g_autofree uint8_t *fr = frame_make(1000, i);
        uint8_t hdr[4] = {0, 0, 1000 >> 8, 1000 & 0xff};

        write_full(raw, hdr, 4);
        write_full(raw, fr, 1000);
    }
    pump(f, 200);
    /* 3 taken, 1 waiting in the core's queue, the rest not read */
    g_assert_cmpuint(ps->frames->len, ==, 3);
    g_assert_cmpuint(emu_net_queue_len(ps->nc->incoming), ==, 1);
    peer_open(f, ps, 10);
    pump(f, 100);
    g_assert_cmpuint(ps->frames->len, ==, 13);
    peer_open(f, ps, -1);
    g_assert_true(PUMP_UNTIL(f, 5000, ps->frames->len == n));
    for (unsigned i = 0; i < n; i++) {
        g_assert_true(frame_is(g_ptr_array_index(ps->frames, i), 1000, i));
    }
    g_assert_cmpuint(srv->stats.tx_dropped, ==, 0);
    close(raw);
}

/* reads @len bytes from @fd while the backend keeps running */
static bool read_pumping(Fx *f, int fd, void *buf, size_t len)
{
    gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
    size_t got = 0;

    while (got < len && g_get_monotonic_time() < end) {
        ssize_t n = recv(fd, (char *)buf + got, len - got, MSG_DONTWAIT);

        if (n > 0) {
            got += n;
        } else if (n == 0) {
            return false;
        } else {
            g_main_context_iteration(f->m->io_ctx, FALSE);
            g_usleep(200);
        }
    }
    return got == len;
}

/* the socket is full: receive() says 0, POLLOUT, flush; nothing lost */
static void test_write_backpressure(Fx *f, gconstpointer data)
{
    struct sockaddr_in sin = {.sin_family = AF_INET};
    socklen_t len = sizeof(sin);
    int lsn = socket(AF_INET, SOCK_STREAM, 0);
    int raw;
    EmuNetClient *cli;
    Peer *pc;
    unsigned sent = 0, queued_at = 0;
    const size_t flen = 1400;

    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(lsn, (struct sockaddr *)&sin, sizeof(sin)), ==, 0);
    g_assert_cmpint(listen(lsn, 1), ==, 0);
    getsockname(lsn, (struct sockaddr *)&sin, &len);
    cli = backend_ok(f, "socket,id=cli,connect=127.0.0.1:%d",
                     ntohs(sin.sin_port));
    pc = peer_new(f, cli);
    raw = accept(lsn, NULL, NULL);
    pump(f, 50);
    /* send until the backend refuses (the frame is queued) */
    while (sent < 100000) {
        g_autofree uint8_t *fr = frame_make(flen, sent);
        ssize_t r = peer_send(f, pc, fr, flen);

        sent++;
        if (r == 0) {
            queued_at = sent;
            break;
        }
    }
    g_assert_cmpuint(queued_at, >, 0);
    g_assert_cmpuint(pc->sent_cbs, ==, 0);
    /* the reader drains; the queued frame follows in order */
    for (unsigned i = 0; i < sent; i++) {
        uint8_t hdr[4];
        uint8_t buf[1400];
        g_autofree uint8_t *want = frame_make(flen, i);

        g_assert_true(read_pumping(f, raw, hdr, 4));
        g_assert_cmpuint((unsigned)hdr[2] << 8 | hdr[3], ==, flen);
        g_assert_true(read_pumping(f, raw, buf, flen));
        g_assert_cmpint(memcmp(buf, want, flen), ==, 0);
    }
    g_assert_true(PUMP_UNTIL(f, 2000, pc->sent_cbs == 1));
    g_assert_cmpuint(pc->nc->stats.tx_dropped, ==, 0);
    close(raw);
    close(lsn);
}

static void test_mcast(Fx *f, gconstpointer data)
{
    int port = free_port(SOCK_DGRAM);
    EmuNetClient *a = backend_ok(
        f, "socket,id=a,mcast=230.0.0.1:%d,localaddr=127.0.0.1", port);
    EmuNetClient *b = backend_ok(
        f, "socket,id=b,mcast=230.0.0.1:%d,localaddr=127.0.0.1", port);
    Peer *pa = peer_new(f, a), *pb = peer_new(f, b);
    g_autofree char *info = info_of(f, a);
    g_autofree char *want = g_strdup_printf("socket: mcast=230.0.0.1:%d", port);
    g_autofree uint8_t *fr = frame_make(500, 11);

    g_assert_cmpstr(info, ==, want);
    g_assert_cmpint(peer_send(f, pa, fr, 500), ==, 500);
    g_assert_true(PUMP_UNTIL(f, 5000, pb->frames->len == 1));
    g_assert_true(frame_is(g_ptr_array_index(pb->frames, 0), 500, 11));
    /* like QEMU, a member hears itself too (IP_MULTICAST_LOOP) */
    g_assert_true(PUMP_UNTIL(f, 2000, pa->frames->len == 1));
    exchange(f, pb, pa, 10, 50);

    /* -netdev dgram's multicast is the same socket */
    {
        EmuNetClient *c =
            backend_ok(f,
                       "dgram,id=c,remote.type=inet,remote.host=230.0.0.1,"
                       "remote.port=%d,local.type=inet,local.host=127.0.0.1,"
                       "local.port=0",
                       port);
        Peer *pcl = peer_new(f, c);
        g_autofree char *ci = info_of(f, c);
        g_autofree char *cw = g_strdup_printf("mcast=230.0.0.1:%d", port);
        guint nb = pb->frames->len;

        g_assert_cmpstr(ci, ==, cw);
        peer_send(f, pcl, fr, 500);
        g_assert_true(PUMP_UNTIL(f, 5000, pb->frames->len == nb + 1));
    }
}

static void test_udp(Fx *f, gconstpointer data)
{
    int pa_port = free_port(SOCK_DGRAM), pb_port = free_port(SOCK_DGRAM);
    EmuNetClient *a =
        backend_ok(f, "socket,id=a,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d",
                   pb_port, pa_port);
    EmuNetClient *b =
        backend_ok(f, "socket,id=b,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d",
                   pa_port, pb_port);
    Peer *pa = peer_new(f, a), *pb = peer_new(f, b);
    g_autofree char *info = info_of(f, a);
    g_autofree char *want =
        g_strdup_printf("socket: udp=127.0.0.1:%d", pb_port);

    g_assert_cmpstr(info, ==, want);
    exchange(f, pa, pb, 30, 1);
    exchange(f, pb, pa, 30, 2);
    /* one datagram per frame, nothing else on the wire */
    {
        int raw = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in sin = {.sin_family = AF_INET,
                                  .sin_port = htons(pa_port)};
        g_autofree uint8_t *fr = frame_make(77, 4);
        guint n = pa->frames->len;

        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        g_assert_cmpint(
            sendto(raw, fr, 77, 0, (struct sockaddr *)&sin, sizeof(sin)), ==,
            77);
        g_assert_true(PUMP_UNTIL(f, 5000, pa->frames->len == n + 1));
        g_assert_true(frame_is(g_ptr_array_index(pa->frames, n), 77, 4));
        close(raw);
    }
}

static void test_stream_inet(Fx *f, gconstpointer data)
{
    int port = free_port(SOCK_STREAM);
    EmuNetClient *srv =
        backend_ok(f,
                   "stream,id=srv,server=on,addr.type=inet,addr.host=127.0.0.1,"
                   "addr.port=%d",
                   port);
    EmuNetClient *cli;
    Peer *ps = peer_new(f, srv), *pc;
    g_autofree char *info = info_of(f, srv);
    g_autofree char *want = g_strdup_printf("tcp:127.0.0.1:%d", port);

    g_assert_cmpstr(info, ==, "");
    cli = backend_ok(
        f,
        "stream,id=cli,server=off,addr.type=inet,addr.host=127.0.0.1,"
        "addr.port=%d",
        port);
    pc = peer_new(f, cli);
    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down && !cli->link_down));
    g_free(info);
    info = info_of(f, cli);
    g_assert_cmpstr(info, ==, want);
    g_free(info);
    info = info_of(f, srv);
    g_assert_true(g_str_has_prefix(info, "tcp:127.0.0.1:"));
    exchange(f, pc, ps, 10, 1);
    exchange(f, ps, pc, 10, 2);
}

static void test_stream_reconnect(Fx *f, gconstpointer data)
{
    int port = free_port(SOCK_STREAM);
    EmuNetClient *cli = backend_ok(
        f,
        "stream,id=cli,addr.type=inet,addr.host=127.0.0.1,addr.port=%d,"
        "reconnect=1",
        port);
    EmuNetClient *srv;
    Peer *pc = peer_new(f, cli), *ps;
    g_autofree char *info = NULL;

    g_assert_true(PUMP_UNTIL(f, 2000, ({
                                 g_free(info);
                                 info = info_of(f, cli);
                                 strcmp(info, "connection error") == 0;
                             })));
    /* the server comes later: the client retries every second */
    srv = backend_ok(f,
                     "stream,id=srv,server=on,addr.type=inet,"
                     "addr.host=127.0.0.1,addr.port=%d",
                     port);
    ps = peer_new(f, srv);
    g_assert_true(PUMP_UNTIL(f, 5000, !cli->link_down && !srv->link_down));
    exchange(f, pc, ps, 5, 9);
    /* and again after the server goes away and comes back */
    emu_net_client_free(ps->nc);
    emu_net_client_free(srv);
    g_assert_true(PUMP_UNTIL(f, 5000, cli->link_down));
    srv = backend_ok(f,
                     "stream,id=srv2,server=on,addr.type=inet,"
                     "addr.host=127.0.0.1,addr.port=%d",
                     port);
    ps = peer_new(f, srv);
    g_assert_true(PUMP_UNTIL(f, 5000, !cli->link_down && !srv->link_down));
    exchange(f, ps, pc, 5, 19);
}

static void test_stream_unix(Fx *f, gconstpointer data)
{
    g_autofree char *dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "s.sock", NULL);
    g_autofree char *want = g_strdup_printf("unix:%s", path);
    EmuNetClient *srv = backend_ok(
        f, "stream,id=srv,server=on,addr.type=unix,addr.path=%s", path);
    EmuNetClient *cli =
        backend_ok(f, "stream,id=cli,addr.type=unix,addr.path=%s", path);
    Peer *ps = peer_new(f, srv), *pc = peer_new(f, cli);
    g_autofree char *info = NULL;

    g_assert_true(PUMP_UNTIL(f, 5000, !srv->link_down && !cli->link_down));
    info = info_of(f, srv);
    g_assert_cmpstr(info, ==, want);
    g_free(info);
    info = info_of(f, cli);
    g_assert_cmpstr(info, ==, want);
    exchange(f, pc, ps, 10, 1);
    exchange(f, ps, pc, 10, 2);
    /* the server's socket file goes with it */
    emu_net_client_free(ps->nc);
    emu_net_client_free(srv);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    rmdir(dir);
}

static void test_dgram_pairs(Fx *f, gconstpointer data)
{
    int p1 = free_port(SOCK_DGRAM), p2 = free_port(SOCK_DGRAM);
    g_autofree char *dir = g_dir_make_tmp("netbe-XXXXXX", NULL);
    g_autofree char *s1 = g_build_filename(dir, "1.sock", NULL);
    g_autofree char *s2 = g_build_filename(dir, "2.sock", NULL);
    EmuNetClient *a = backend_ok(
        f,
        "dgram,id=a,local.type=inet,local.host=127.0.0.1,local.port=%d,"
        "remote.type=inet,remote.host=127.0.0.1,remote.port=%d",
        p1, p2);
    EmuNetClient *b = backend_ok(
        f,
        "dgram,id=b,local.type=inet,local.host=127.0.0.1,local.port=%d,"
        "remote.type=inet,remote.host=127.0.0.1,remote.port=%d",
        p2, p1);
    EmuNetClient *u1 =
        backend_ok(f,
                   "dgram,id=u1,local.type=unix,local.path=%s,remote.type=unix,"
                   "remote.path=%s",
                   s1, s2);
    EmuNetClient *u2 =
        backend_ok(f,
                   "dgram,id=u2,local.type=unix,local.path=%s,remote.type=unix,"
                   "remote.path=%s",
                   s2, s1);
    Peer *pa = peer_new(f, a), *pb = peer_new(f, b);
    Peer *pu1 = peer_new(f, u1), *pu2 = peer_new(f, u2);
    g_autofree char *info = info_of(f, a);
    g_autofree char *want =
        g_strdup_printf("udp=127.0.0.1:%d/127.0.0.1:%d", p1, p2);

    g_assert_cmpstr(info, ==, want);
    g_free(info);
    g_free(want);
    info = info_of(f, u1);
    want = g_strdup_printf("udp=%s:%s", s1, s2);
    g_assert_cmpstr(info, ==, want);
    exchange(f, pa, pb, 10, 1);
    exchange(f, pb, pa, 10, 2);
    exchange(f, pu1, pu2, 10, 3);
    exchange(f, pu2, pu1, 10, 4);
    emu_net_client_free(pu1->nc);
    emu_net_client_free(u1);
    g_assert_false(g_file_test(s1, G_FILE_TEST_EXISTS));
    emu_net_client_free(pu2->nc);
    emu_net_client_free(u2);
    rmdir(dir);
}

/* fd=: a connected stream socket and a connected datagram socket */
static void test_socket_fd(Fx *f, gconstpointer data)
{
    int sp[2], dp[2];
    EmuNetClient *s, *d;
    Peer *ps, *pd;
    g_autofree char *info = NULL;
    g_autofree char *want = NULL;
    uint8_t buf[100];

    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), ==, 0);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM, 0, dp), ==, 0);
    s = backend_ok(f, "socket,id=s,fd=%d", sp[0]);
    d = backend_ok(f, "socket,id=d,fd=%d", dp[0]);
    ps = peer_new(f, s);
    pd = peer_new(f, d);
    info = info_of(f, s);
    want = g_strdup_printf("socket: fd=%d", sp[0]);
    g_assert_cmpstr(info, ==, want);
    g_free(info);
    g_free(want);
    info = info_of(f, d);
    want = g_strdup_printf("socket: fd=%d unix", dp[0]);
    g_assert_cmpstr(info, ==, want);

    write_full(sp[1], "\0\0\0\x05hello", 9);
    g_assert_true(PUMP_UNTIL(f, 5000, ps->frames->len == 1));
    g_assert_cmpint(send(dp[1], "datagram", 8, 0), ==, 8);
    g_assert_true(PUMP_UNTIL(f, 5000, pd->frames->len == 1));
    peer_send(f, pd, (const uint8_t *)"back", 4);
    g_assert_cmpint(recv(dp[1], buf, sizeof(buf), 0), ==, 4);
    close(sp[1]);
    close(dp[1]);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fx, NULL, fx_setup, fn, fx_teardown)
    ADD("/netbe/socket/listen-connect", test_listen_connect);
    ADD("/netbe/socket/wire-format", test_wire_format);
    ADD("/netbe/socket/connect-side", test_connect_side);
    ADD("/netbe/socket/read-backpressure", test_read_backpressure);
    ADD("/netbe/socket/write-backpressure", test_write_backpressure);
    ADD("/netbe/socket/mcast", test_mcast);
    ADD("/netbe/socket/udp", test_udp);
    ADD("/netbe/socket/fd", test_socket_fd);
    ADD("/netbe/stream/inet", test_stream_inet);
    ADD("/netbe/stream/reconnect", test_stream_reconnect);
    ADD("/netbe/stream/unix", test_stream_unix);
    ADD("/netbe/dgram/pairs", test_dgram_pairs);
    return g_test_run();
}
