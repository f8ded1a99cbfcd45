/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-chardev.c: chardev backends — file output from many threads, unix
 * socket server/client with input backpressure, pty, and the mon: mux. */
#include "chr-test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>

#include "emu-error.h"
#include "engine/core/monitor.h"

/* ------------------------------------------------------------------ */
/* file: output from many threads arrives complete, in order per thread */

#define FILE_THREADS 8
#define FILE_RECORDS 2000

typedef struct {
    EmuChardev *chr;
    int id;
} Writer;

static gpointer file_writer(gpointer p)
{
    Writer *w = p;

    for (int i = 0; i < FILE_RECORDS; i++) {
        char rec[32];
        int n = snprintf(rec, sizeof(rec), "T%d:%d\n", w->id, i);
        emu_chardev_write(w->chr, (const uint8_t *)rec, n);
        if (i % 97 == 0) {
            g_thread_yield();
        }
    }
    return NULL;
}

static void test_file_threads(void)
{
    g_autofree char *dir = g_dir_make_tmp("chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.txt", NULL);
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    g_autoptr(GError) err = NULL;
    EmuMachine *m = chr_test_machine();
    EmuChardev *chr = emu_chardev_new(m, spec, &err);
    GThread *th[FILE_THREADS];
    Writer w[FILE_THREADS];
    size_t expect = 0;

    g_assert_no_error(err);
    g_assert_nonnull(chr);
    g_assert_null(emu_chardev_path(chr));
    for (int t = 0; t < FILE_THREADS; t++) {
        for (int i = 0; i < FILE_RECORDS; i++) {
            expect += snprintf(NULL, 0, "T%d:%d\n", t, i);
        }
        w[t] = (Writer){chr, t};
        th[t] = g_thread_new("writer", file_writer, &w[t]);
    }
    for (int t = 0; t < FILE_THREADS; t++) {
        g_thread_join(th[t]);
    }

    /* the I/O thread writes it out while running, not only at free */
    gint64 end = g_get_monotonic_time() + CHR_TEST_TIMEOUT_US;
    struct stat st = {0};
    while (g_get_monotonic_time() < end) {
        g_assert_cmpint(stat(path, &st), ==, 0);
        if ((size_t)st.st_size >= expect) {
            break;
        }
        g_usleep(10000);
    }
    g_assert_cmpuint(st.st_size, ==, expect);
    g_assert_cmpuint(emu_chardev_get_dropped(chr), ==, 0);
    emu_chardev_free(chr);

    g_autofree char *data = NULL;
    gsize len;
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpuint(len, ==, expect);
    int next[FILE_THREADS] = {0};
    g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
    for (int i = 0; lines[i] && lines[i][0]; i++) {
        int t, seq;
        g_assert_cmpint(sscanf(lines[i], "T%d:%d", &t, &seq), ==, 2);
        g_assert_cmpint(t, >=, 0);
        g_assert_cmpint(t, <, FILE_THREADS);
        g_assert_cmpint(seq, ==, next[t]);
        next[t]++;
    }
    for (int t = 0; t < FILE_THREADS; t++) {
        g_assert_cmpint(next[t], ==, FILE_RECORDS);
    }
    emu_machine_free(m);
    unlink(path);
    rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* unix socket server                                                  */

static void test_unix_server(void)
{
    g_autofree char *dir = g_dir_make_tmp("chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "s", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s,server,nowait", path);
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    EmuMachine *m = chr_test_machine();
    EmuChardev *chr = emu_chardev_new(m, spec, &err);
    EmuChardevFrontend fe;
    TestFe t;

    g_assert_no_error(err);
    g_assert_cmpstr(emu_chardev_path(chr), ==, path);
    test_fe_init(&t, m, &fe);
    emu_chardev_set_frontend(chr, &fe);

    /* no client: output is dropped, never queued for a later client */
    emu_chardev_write(chr, (const uint8_t *)"lost", 4);
    gint64 end = g_get_monotonic_time() + CHR_TEST_TIMEOUT_US;
    while (emu_chardev_get_dropped(chr) < 4 && g_get_monotonic_time() < end) {
        g_usleep(1000);
    }
    g_assert_cmpuint(emu_chardev_get_dropped(chr), ==, 4);
    g_assert_cmpint(t.opened, ==, 0);

    int fd = test_unix_connect(path);
    g_assert_cmpint(test_fe_wait_event(&t, &t.opened, 1), ==, 1);
    emu_chardev_write(chr, (const uint8_t *)"hello", 5);
    g_free(test_expect(fd, acc, "hello"));
    g_assert_cmpuint(acc->len, ==, 0);

    /* input reaches the frontend */
    test_write_all(fd, "abc", 3);
    g_assert_cmpuint(test_fe_wait_len(&t, 3), ==, 3);
    g_assert_cmpmem(t.got->data, 3, "abc", 3);

    /* backpressure: nothing while can_read() is 0 ... */
    atomic_store(&t.room, 0);
    test_write_all(fd, "xyz123", 6);
    g_usleep(100 * 1000);
    g_assert_cmpuint(t.got->len, ==, 3);
    /* ... then exactly what can_read() allows after accept_input */
    atomic_store(&t.room, 2);
    emu_chardev_accept_input(chr);
    g_assert_cmpuint(test_fe_wait_len(&t, 5), ==, 5);
    g_usleep(100 * 1000);
    g_assert_cmpuint(t.got->len, ==, 5);
    g_assert_cmpmem(t.got->data + 3, 2, "xy", 2);
    atomic_store(&t.room, 4096);
    emu_chardev_accept_input(chr);
    g_assert_cmpuint(test_fe_wait_len(&t, 9), ==, 9);
    g_assert_cmpmem(t.got->data, 9, "abcxyz123", 9);
    g_assert_true(t.locked_ok);
    g_assert_false(t.overrun);

    /* the client leaves; the next one is served */
    close(fd);
    g_assert_cmpint(test_fe_wait_event(&t, &t.closed, 1), ==, 1);
    fd = test_unix_connect(path);
    g_assert_cmpint(test_fe_wait_event(&t, &t.opened, 2), ==, 2);
    emu_chardev_write(chr, (const uint8_t *)"again", 5);
    g_free(test_expect(fd, acc, "again"));
    test_write_all(fd, "!", 1);
    g_assert_cmpuint(test_fe_wait_len(&t, 10), ==, 10);
    g_assert_cmpint(t.got->data[9], ==, '!');

    /* a second client waits in the backlog: it gets nothing */
    int fd2 = test_unix_connect(path);
    emu_chardev_write(chr, (const uint8_t *)"one", 3);
    g_free(test_expect(fd, acc, "one"));
    g_assert_true(test_quiet(fd2, 100));
    close(fd2);

    emu_chardev_free(chr);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    /* the server is gone: the client sees EOF */
    char c;
    g_assert_cmpint(read(fd, &c, 1), ==, 0);
    close(fd);
    test_fe_clear(&t);
    emu_machine_free(m);
    rmdir(dir);
}

typedef struct {
    char *path;
    int fd;
} LateClient;

static gpointer late_client(gpointer p)
{
    LateClient *lc = p;

    /* the server is created (and blocks) in the main thread meanwhile */
    for (int i = 0; i < 1000 && !g_file_test(lc->path, G_FILE_TEST_EXISTS);
         i++) {
        g_usleep(5000);
    }
    g_usleep(50 * 1000);
    lc->fd = test_unix_connect(lc->path);
    return NULL;
}

static void test_unix_server_wait(void)
{
    g_autofree char *dir = g_dir_make_tmp("chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "w", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s,server", path);
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    EmuMachine *m = chr_test_machine();
    LateClient lc = {path, -1};

    GThread *th = g_thread_new("client", late_client, &lc);
    EmuChardev *chr = emu_chardev_new(m, spec, &err);
    g_thread_join(th);
    g_assert_no_error(err);
    g_assert_cmpint(lc.fd, >=, 0);

    /* connected at creation: the first output is not dropped */
    emu_chardev_write(chr, (const uint8_t *)"first", 5);
    g_free(test_expect(lc.fd, acc, "first"));
    g_assert_cmpuint(emu_chardev_get_dropped(chr), ==, 0);
    emu_chardev_free(chr);
    close(lc.fd);
    emu_machine_free(m);
    rmdir(dir);
}

static void test_unix_client(void)
{
    g_autofree char *dir = g_dir_make_tmp("chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "c", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s", path);
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    EmuMachine *m = chr_test_machine();
    EmuChardevFrontend fe;
    TestFe t;

    /* nothing listens yet: a clean error */
    g_assert_null(emu_chardev_new(m, spec, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_IO);
    g_clear_error(&err);

    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(lfd, 1), ==, 0);
    EmuChardev *chr = emu_chardev_new(m, spec, &err);
    g_assert_no_error(err);
    int fd = accept(lfd, NULL, NULL);
    g_assert_cmpint(fd, >=, 0);
    test_fe_init(&t, m, &fe);
    emu_chardev_set_frontend(chr, &fe);

    emu_chardev_write(chr, (const uint8_t *)"out", 3);
    g_free(test_expect(fd, acc, "out"));
    test_write_all(fd, "in", 2);
    g_assert_cmpuint(test_fe_wait_len(&t, 2), ==, 2);
    g_assert_cmpmem(t.got->data, 2, "in", 2);

    emu_chardev_free(chr);
    /* a client chardev leaves the path alone */
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    close(fd);
    close(lfd);
    test_fe_clear(&t);
    emu_machine_free(m);
    unlink(path);
    rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* pty                                                                 */

static void test_pty(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    EmuChardevFrontend fe;
    TestFe t;

    if (!chr_test_have_pty()) {
        return;
    }
    EmuMachine *m = chr_test_machine();
    EmuChardev *chr = emu_chardev_new(m, "pty", &err);

    g_assert_no_error(err);
    const char *path = emu_chardev_path(chr);
    g_assert_nonnull(path);
    g_assert_true(g_str_has_prefix(path, "/dev/pts/"));
    test_fe_init(&t, m, &fe);
    emu_chardev_set_frontend(chr, &fe);

    /* nobody has the slave open: output is dropped, never blocks */
    emu_chardev_write(chr, (const uint8_t *)"lost", 4);
    gint64 end = g_get_monotonic_time() + CHR_TEST_TIMEOUT_US;
    while (emu_chardev_get_dropped(chr) < 4 && g_get_monotonic_time() < end) {
        g_usleep(1000);
    }
    g_assert_cmpuint(emu_chardev_get_dropped(chr), ==, 4);

    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(test_fe_wait_event(&t, &t.opened, 1), ==, 1);

    /* raw mode: bytes pass unchanged both ways ("\n" stays "\n") */
    emu_chardev_write(chr, (const uint8_t *)"ping\n", 5);
    g_autofree char *before = test_expect(fd, acc, "ping\n");
    g_assert_cmpstr(before, ==, "");
    test_write_all(fd, "pong\r", 5);
    g_assert_cmpuint(test_fe_wait_len(&t, 5), ==, 5);
    g_assert_cmpmem(t.got->data, 5, "pong\r", 5);
    g_assert_true(t.locked_ok);

    close(fd);
    g_assert_cmpint(test_fe_wait_event(&t, &t.closed, 1), ==, 1);

    /* and again: a later user gets a fresh session */
    fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(test_fe_wait_event(&t, &t.opened, 2), ==, 2);
    emu_chardev_write(chr, (const uint8_t *)"back", 4);
    g_free(test_expect(fd, acc, "back"));
    close(fd);

    emu_chardev_free(chr);
    test_fe_clear(&t);
    emu_machine_free(m);
}

/* ------------------------------------------------------------------ */
/* mon:stdio: stdin/stdout replaced by a socket for the test's duration */

typedef struct {
    int saved_in;
    int saved_out;
    int peer; /* the test's end: what a terminal would be */
} StdioSwap;

static void stdio_swap(StdioSwap *s)
{
    int sv[2];

    fflush(stdout);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), ==,
                    0);
    s->saved_in = dup(STDIN_FILENO);
    s->saved_out = dup(STDOUT_FILENO);
    dup2(sv[1], STDIN_FILENO);
    dup2(sv[1], STDOUT_FILENO);
    close(sv[1]);
    s->peer = sv[0];
}

static void stdio_restore(StdioSwap *s)
{
    dup2(s->saved_in, STDIN_FILENO);
    dup2(s->saved_out, STDOUT_FILENO);
    close(s->saved_in);
    close(s->saved_out);
    close(s->peer);
}

static void test_mux_stdio(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    EmuMachine *m = chr_test_machine();
    EmuChardevFrontend fe;
    TestFe t;
    StdioSwap s;
    char *pre;

    stdio_swap(&s);
    EmuChardev *chr = emu_chardev_new(m, "mon:stdio", &err);
    g_assert_no_error(err);
    g_assert_true(emu_chardev_is_mux(chr));

    /* stdio belongs to one chardev */
    g_assert_null(emu_chardev_new(m, "stdio", &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_clear_error(&err);

    test_fe_init(&t, m, &fe);
    emu_chardev_set_frontend(chr, &fe);
    EmuMonitor *mon = emu_monitor_new(m, chr, &err);
    g_assert_no_error(err);

    /* the serial side has the focus first; the monitor stays silent */
    test_write_all(s.peer, "boot", 4);
    g_assert_cmpuint(test_fe_wait_len(&t, 4), ==, 4);
    g_assert_cmpmem(t.got->data, 4, "boot", 4);
    emu_chardev_write(chr, (const uint8_t *)"guest> ", 7);
    pre = test_expect(s.peer, acc, "guest> ");
    g_assert_cmpstr(pre, ==, "");
    g_free(pre);

    /* Ctrl-A c: the monitor, with its banner, answers */
    test_write_all(s.peer,
                   "\x01"
                   "c",
                   2);
    g_free(test_expect(s.peer, acc,
                       "vmkit monitor - type 'help' for more information"));
    g_free(test_expect(s.peer, acc, "(vmkit) "));
    test_write_all(s.peer, "info status\r", 12);
    pre = test_expect(s.peer, acc, "VM status: running\r\n");
    g_assert_cmpstr(pre, ==, "info status\r\n");
    g_free(pre);
    g_free(test_expect(s.peer, acc, "(vmkit) "));
    g_assert_cmpuint(t.got->len, ==, 4); /* the serial saw none of it */

    /* guest output still shows while the monitor has the focus */
    emu_chardev_write(chr, (const uint8_t *)"tick", 4);
    g_free(test_expect(s.peer, acc, "tick"));

    /* Ctrl-A c back; Ctrl-A Ctrl-A is one literal Ctrl-A; s/b ignored */
    static const char keys[] = "\x01"
                               "cab\x01\x01"
                               "d\x01"
                               "s\x01"
                               "be";
    test_write_all(s.peer, keys, sizeof(keys) - 1);
    g_assert_cmpuint(test_fe_wait_len(&t, 9), ==, 9);
    g_usleep(50 * 1000);
    g_assert_cmpuint(t.got->len, ==, 9);
    g_assert_cmpmem(t.got->data + 4, 5,
                    "ab\x01"
                    "de",
                    5);

    /* an escape split across reads still works */
    test_write_all(s.peer, "\x01", 1);
    g_usleep(20 * 1000);
    test_write_all(s.peer, "h", 1);
    g_free(test_expect(s.peer, acc,
                       "C-a c    switch between console and monitor\n\r"));
    g_assert_cmpuint(t.got->len, ==, 9);

    /* Ctrl-A x quits */
    g_assert_cmpint(atomic_load(&m->request), ==, EMU_REQ_NONE);
    test_write_all(s.peer,
                   "\x01"
                   "x",
                   2);
    g_free(test_expect(s.peer, acc, "vmkit: Terminated"));
    g_assert_cmpint(emu_machine_wait_request(m, NULL), ==, EMU_REQ_QUIT);
    g_assert_true(t.locked_ok);

    emu_monitor_free(mon);
    emu_chardev_free(chr);
    stdio_restore(&s);
    test_fe_clear(&t);
    emu_machine_free(m);
}

/* the serial frontend's backpressure also holds behind the mux, and an
 * escape typed meanwhile is not lost */
static void test_mux_backpressure(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    EmuMachine *m = chr_test_machine();
    EmuChardevFrontend fe;
    TestFe t;
    StdioSwap s;

    stdio_swap(&s);
    EmuChardev *chr = emu_chardev_new(m, "mon:stdio", &err);
    g_assert_no_error(err);
    test_fe_init(&t, m, &fe);
    atomic_store(&t.room, 0);
    emu_chardev_set_frontend(chr, &fe);
    EmuMonitor *mon = emu_monitor_new(m, chr, &err);

    test_write_all(s.peer,
                   "12345\x01"
                   "c",
                   7);
    g_usleep(100 * 1000);
    g_assert_cmpuint(t.got->len, ==, 0);
    atomic_store(&t.room, 3);
    emu_chardev_accept_input(chr);
    g_assert_cmpuint(test_fe_wait_len(&t, 3), ==, 3);
    atomic_store(&t.room, 100);
    emu_chardev_accept_input(chr);
    g_assert_cmpuint(test_fe_wait_len(&t, 5), ==, 5);
    g_assert_cmpmem(t.got->data, 5, "12345", 5);
    g_assert_false(t.overrun);
    /* the Ctrl-A c behind the held bytes switched to the monitor */
    g_free(test_expect(s.peer, acc, "(vmkit) "));

    emu_monitor_free(mon);
    emu_chardev_free(chr);
    stdio_restore(&s);
    test_fe_clear(&t);
    emu_machine_free(m);
}

/* stdio on a terminal: raw while in use, restored on free or on demand */
static void test_stdio_tty(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) acc = g_string_new(NULL);
    struct termios before, now;
    EmuChardevFrontend fe;
    TestFe t;
    char name[64];

    if (!chr_test_have_pty()) {
        return;
    }
    EmuMachine *m = chr_test_machine();

    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(master, >=, 0);
    g_assert_cmpint(grantpt(master), ==, 0);
    g_assert_cmpint(unlockpt(master), ==, 0);
    g_assert_cmpint(ptsname_r(master, name, sizeof(name)), ==, 0);
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    g_assert_cmpint(slave, >=, 0);
    g_assert_cmpint(tcgetattr(slave, &before), ==, 0);
    g_assert_true(before.c_lflag & ICANON); /* a cooked terminal */

    fflush(stdout);
    int saved_in = dup(STDIN_FILENO);
    int saved_out = dup(STDOUT_FILENO);
    dup2(slave, STDIN_FILENO);
    dup2(slave, STDOUT_FILENO);

    EmuChardev *chr = emu_chardev_new(m, "stdio", &err);
    g_assert_no_error(err);
    g_assert_cmpint(tcgetattr(slave, &now), ==, 0);
    g_assert_false(now.c_lflag & (ICANON | ECHO));
    g_assert_false(now.c_iflag & ICRNL);
    g_assert_true(now.c_lflag & ISIG);  /* plain stdio: Ctrl-C kills */
    g_assert_true(now.c_oflag & OPOST); /* "\n" still starts a line */

    test_fe_init(&t, m, &fe);
    emu_chardev_set_frontend(chr, &fe);
    test_write_all(master, "a\rb", 3); /* no line buffering, no CR->NL */
    g_assert_cmpuint(test_fe_wait_len(&t, 3), ==, 3);
    g_assert_cmpmem(t.got->data, 3, "a\rb", 3);
    emu_chardev_write(chr, (const uint8_t *)"out\n", 4);
    g_free(test_expect(master, acc, "out\r\n"));

    emu_chardev_free(chr);
    g_assert_cmpint(tcgetattr(slave, &now), ==, 0);
    g_assert_cmpint(now.c_lflag, ==, before.c_lflag);
    g_assert_cmpint(now.c_iflag, ==, before.c_iflag);

    /* the mux keeps Ctrl-C for the guest; a signal handler's restore */
    chr = emu_chardev_new(m, "mon:stdio", &err);
    g_assert_no_error(err);
    g_assert_cmpint(tcgetattr(slave, &now), ==, 0);
    g_assert_false(now.c_lflag & ISIG);
    emu_chardev_restore_tty();
    g_assert_cmpint(tcgetattr(slave, &now), ==, 0);
    g_assert_cmpint(now.c_lflag, ==, before.c_lflag);
    emu_chardev_free(chr);

    dup2(saved_in, STDIN_FILENO);
    dup2(saved_out, STDOUT_FILENO);
    close(saved_in);
    close(saved_out);
    close(slave);
    close(master);
    test_fe_clear(&t);
    emu_machine_free(m);
}

static void test_bad_specs(void)
{
    EmuMachine *m = chr_test_machine();
    static const char *const bad[] = {
        "nonsense",
        "file:",
        "unix:",
        "unix:/tmp/x,bogus",
        "unix:/tmp/x,server=maybe",
        "unix:/tmp/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "file:/nonexistent-dir/x",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(GError) err = NULL;
        g_assert_null(emu_chardev_new(m, bad[i], &err));
        g_assert_nonnull(err);
        g_assert_true(err->domain == EMU_ERROR);
    }

    /* null swallows everything and counts nothing as dropped */
    g_autoptr(GError) err = NULL;
    EmuChardev *chr = emu_chardev_new(m, "null", &err);
    g_assert_no_error(err);
    emu_chardev_write(chr, (const uint8_t *)"x", 1);
    emu_chardev_free(chr);
    emu_machine_free(m);
}

/* freeing after the I/O thread stopped, with output still queued */
static void test_free_after_stop(void)
{
    g_autofree char *dir = g_dir_make_tmp("chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "late.txt", NULL);
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    EmuMachine *m = chr_test_machine();
    EmuChardev *chr = emu_chardev_new(m, spec, NULL);

    emu_machine_stop_io(m);
    emu_chardev_write(chr, (const uint8_t *)"tail\n", 5);
    emu_chardev_free(chr);

    g_autofree char *data = NULL;
    g_assert_true(g_file_get_contents(path, &data, NULL, NULL));
    g_assert_cmpstr(data, ==, "tail\n");
    emu_machine_free(m);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/chardev/file/threads", test_file_threads);
    g_test_add_func("/chardev/unix/server", test_unix_server);
    g_test_add_func("/chardev/unix/server-wait", test_unix_server_wait);
    g_test_add_func("/chardev/unix/client", test_unix_client);
    g_test_add_func("/chardev/pty", test_pty);
    g_test_add_func("/chardev/stdio/tty", test_stdio_tty);
    g_test_add_func("/chardev/mux/stdio", test_mux_stdio);
    g_test_add_func("/chardev/mux/backpressure", test_mux_backpressure);
    g_test_add_func("/chardev/bad-specs", test_bad_specs);
    g_test_add_func("/chardev/free-after-stop", test_free_after_stop);
    return g_test_run();
}
