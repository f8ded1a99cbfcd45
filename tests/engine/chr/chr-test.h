/* SPDX-License-Identifier: GPL-2.0-or-later */
/* chr-test.h: helpers shared by the chardev and monitor tests — a machine
 * with a running I/O thread, a recording frontend, socket expectations. */
#ifndef CHR_TEST_H
#define CHR_TEST_H

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#include "engine/core/chardev.h"
#include "engine/core/machine.h"

#define CHR_TEST_TIMEOUT_US (10 * G_USEC_PER_SEC)

/* chr_test_have_pty: containers without /dev/pts skip the pty tests */
static inline bool chr_test_have_pty(void)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY);

    if (fd < 0) {
        g_test_skip("no pseudo-terminals here");
        return false;
    }
    close(fd);
    return true;
}

static inline EmuMachine *chr_test_machine(void)
{
    EmuMachine *m = emu_machine_new();

    emu_machine_start_io(m);
    /* g_main_loop_quit() before g_main_loop_run() started is lost: make
     * sure the loop runs, so that emu_machine_stop_io() cannot hang */
    while (!g_main_loop_is_running(m->io_loop)) {
        g_usleep(1000);
    }
    return m;
}

/* A frontend that records what it gets; @room is what can_read says,
 * and shrinks by what was received. */
typedef struct {
    GMutex lock;
    GCond cond;
    GByteArray *got;
    atomic_size_t room;
    int opened;
    int closed;
    bool locked_ok; /* every callback ran with the device lock held */
    bool overrun;   /* got more than can_read() allowed */
    EmuMachine *m;
} TestFe;

static inline size_t test_fe_can_read(void *opaque)
{
    TestFe *t = opaque;

    if (g_mutex_trylock(&t->m->dev_lock)) {
        /* the chardev should hold it: trylock succeeding is a bug */
        g_mutex_unlock(&t->m->dev_lock);
        t->locked_ok = false;
    }
    return atomic_load(&t->room);
}

static inline void test_fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
    TestFe *t = opaque;

    /* can_read() is a promise for the next receive: use it up */
    size_t room = atomic_load(&t->room);
    if (len > room) {
        t->overrun = true;
    } else {
        atomic_store(&t->room, room - len);
    }
    g_mutex_lock(&t->lock);
    g_byte_array_append(t->got, buf, len);
    g_cond_broadcast(&t->cond);
    g_mutex_unlock(&t->lock);
}

static inline void test_fe_event(void *opaque, EmuChardevEvent ev)
{
    TestFe *t = opaque;

    g_mutex_lock(&t->lock);
    if (ev == EMU_CHR_EVENT_OPENED) {
        t->opened++;
    } else if (ev == EMU_CHR_EVENT_CLOSED) {
        t->closed++;
    }
    g_cond_broadcast(&t->cond);
    g_mutex_unlock(&t->lock);
}

static inline void test_fe_init(TestFe *t, EmuMachine *m,
                                EmuChardevFrontend *fe)
{
    memset(t, 0, sizeof(*t));
    g_mutex_init(&t->lock);
    g_cond_init(&t->cond);
    t->got = g_byte_array_new();
    atomic_store(&t->room, 4096);
    t->locked_ok = true;
    t->m = m;
    *fe = (EmuChardevFrontend){
        .can_read = test_fe_can_read,
        .receive = test_fe_receive,
        .opaque = t,
        .event = test_fe_event,
    };
}

static inline void test_fe_clear(TestFe *t)
{
    g_byte_array_unref(t->got);
    g_mutex_clear(&t->lock);
    g_cond_clear(&t->cond);
}

/* test_fe_wait_len: waits until @n bytes arrived; returns the count. */
static inline size_t test_fe_wait_len(TestFe *t, size_t n)
{
    gint64 end = g_get_monotonic_time() + CHR_TEST_TIMEOUT_US;
    size_t len;

    g_mutex_lock(&t->lock);
    while (t->got->len < n && g_cond_wait_until(&t->cond, &t->lock, end)) {
    }
    len = t->got->len;
    g_mutex_unlock(&t->lock);
    return len;
}

/* test_fe_wait_event: waits until *counter reaches @n. */
static inline int test_fe_wait_event(TestFe *t, int *counter, int n)
{
    gint64 end = g_get_monotonic_time() + CHR_TEST_TIMEOUT_US;
    int v;

    g_mutex_lock(&t->lock);
    while (*counter < n && g_cond_wait_until(&t->cond, &t->lock, end)) {
    }
    v = *counter;
    g_mutex_unlock(&t->lock);
    return v;
}

static inline int test_unix_connect(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        g_error("connect %s: %s", path, g_strerror(errno));
    }
    return fd;
}

static inline void test_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert_cmpint(n, >, 0);
        p += n;
        len -= n;
    }
}

/*
 * test_expect: reads @fd into @acc until @needle appears, then removes
 * everything up to and including it from @acc. Fails the test on timeout
 * or EOF. Returns what preceded the needle (freed by the caller).
 */
static inline char *test_expect(int fd, GString *acc, const char *needle)
{
    gint64 end = g_get_monotonic_time() + CHR_TEST_TIMEOUT_US;

    for (;;) {
        char *hit = strstr(acc->str, needle);
        if (hit) {
            size_t pre = hit - acc->str;
            char *before = g_strndup(acc->str, pre);
            g_string_erase(acc, 0, pre + strlen(needle));
            return before;
        }
        gint64 left = end - g_get_monotonic_time();
        if (left <= 0) {
            g_error("timeout waiting for '%s'; got '%s'", needle, acc->str);
        }
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, (int)(left / 1000) + 1) <= 0) {
            continue;
        }
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (n <= 0) {
            g_error("EOF waiting for '%s'; got '%s'", needle, acc->str);
        }
        g_string_append_len(acc, buf, n);
    }
}

/* test_quiet: true when nothing arrives on @fd within @ms. */
static inline bool test_quiet(int fd, int ms)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    return poll(&pfd, 1, ms) == 0;
}

#endif
