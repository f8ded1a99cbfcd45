/* SPDX-License-Identifier: GPL-2.0-or-later */
/* chardev.c: character backends (stdio, pty, file, unix socket, null) and
 * the "mon:" multiplexer, all driven from the machine's I/O thread. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "emu-error.h"
#include "engine/core/chardev.h"
#include "engine/core/machine.h"

/*
 * Threads. Everything below "I/O thread state" is touched only by code
 * that owns m->io_ctx: the I/O thread's dispatch, or another thread that
 * could acquire the context because no loop runs it (chr_run_on_io).
 * Writers on any thread only touch the output ring (under @lock) and the
 * @kick flag, then wake the context.
 *
 * Output. emu_chardev_write() appends to a ring that grows up to
 * CHR_RING_MAX; when full, the oldest bytes are dropped and counted. The
 * I/O thread moves at most CHR_OUT_CHUNK bytes at a time into a private
 * buffer and writes them non-blocking; on EAGAIN it waits for POLLOUT.
 * stdout and files are written with whatever blocking mode the host fd
 * has (we never set O_NONBLOCK on a descriptor we share with the shell):
 * a slow terminal may block the I/O thread briefly, never a hart; output
 * is lost only when a hart produces more than CHR_RING_MAX meanwhile.
 * A pty nobody has open and a socket with no client drop output at once
 * (counted too), as QEMU does.
 *
 * Input. The I/O thread reads at most CHR_IN_BURST bytes when its hold
 * buffer is empty and hands the frontend what can_read() allows. What is
 * left stays held, and the fd is not polled, until the frontend calls
 * emu_chardev_accept_input().
 */

#define CHR_RING_MIN    4096
#define CHR_RING_MAX    (1024 * 1024)
#define CHR_OUT_CHUNK   16384
#define CHR_IN_BURST    4096
#define CHR_PTY_POLL_US (200 * 1000) /* re-check a closed pty slave */
#define CHR_ESCAPE      0x01         /* Ctrl-A, QEMU's mux escape */

typedef enum {
    CHR_NULL,
    CHR_STDIO,
    CHR_FILE,
    CHR_PTY,
    CHR_UNIX,
} EmuChrKind;

enum { FE_SERIAL, FE_MONITOR, FE_COUNT };

typedef struct {
    EmuChardevFrontend fe;
    bool set;
    bool opened; /* OPENED delivered and no CLOSED since */
} EmuChrFe;

typedef struct {
    GSource base;
    EmuChardev *chr;
} EmuChrSource;

struct EmuChardev {
    EmuMachine *m;
    EmuChrKind kind;
    bool mux;
    bool server;
    char *label;
    char *path; /* pty slave / socket path / file path */

    /* ---- I/O thread state ---- */
    GSource *src;
    int in_fd;
    int out_fd;
    int listen_fd;
    gpointer in_tag; /* in_fd, also out_fd when they are the same */
    gpointer out_tag;
    gpointer listen_tag;
    bool connected;
    bool in_eof;
    bool out_wait; /* waiting for POLLOUT */
    bool tty_raw;  /* we put stdin in raw mode */
    bool stdio;    /* we own the process' stdio */
    uint8_t inbuf[CHR_IN_BURST];
    size_t in_pos;
    size_t in_len;
    uint8_t *out_buf; /* CHR_OUT_CHUNK, taken from the ring */
    size_t out_pos;
    size_t out_len;
    EmuChrFe fes[FE_COUNT];
    int focus; /* mux: FE_SERIAL or FE_MONITOR */
    bool mux_escape;

    /* ---- shared ---- */
    GMutex lock; /* the ring */
    uint8_t *ring;
    size_t ring_cap;
    size_t ring_head;
    size_t ring_len;
    atomic_uint_fast64_t dropped;
    atomic_int kick; /* work for the I/O thread; context woken */
};

/* ------------------------------------------------------------------ */
/* tty state: the only globals of the chardev layer. A signal handler  */
/* has no context pointer to reach a machine, and there is one stdin   */
/* per process, so the saved termios is process state by nature.      */

static struct termios emu_chr_saved_tty;
static volatile sig_atomic_t emu_chr_tty_saved;
static atomic_int emu_chr_stdio_users;

void emu_chardev_restore_tty(void)
{
    /* tcsetattr() is async-signal-safe (POSIX.1-2017 §2.4.3). */
    if (emu_chr_tty_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &emu_chr_saved_tty);
        emu_chr_tty_saved = 0;
    }
}

static void emu_chr_atexit(void)
{
    emu_chardev_restore_tty();
}

/*
 * chr_tty_raw: QEMU's stdio settings: no echo, no line editing, no CR/NL
 * translation on input, 8 bits; output post-processing stays so "\n"
 * still starts a line. @signals keeps ISIG (Ctrl-C kills) — off for
 * "mon:stdio", where Ctrl-C belongs to the guest and Ctrl-A x quits.
 * Thread: main thread.
 */
static void chr_tty_raw(EmuChardev *c, bool signals)
{
    struct termios tty;

    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty) < 0) {
        return;
    }
    emu_chr_saved_tty = tty;
    emu_chr_tty_saved = 1;
    static gsize once;
    if (g_once_init_enter(&once)) {
        atexit(emu_chr_atexit);
        g_once_init_leave(&once, 1);
    }
    tty.c_iflag &=
        ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!signals) {
        tty.c_lflag &= ~ISIG;
    }
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &tty);
    c->tty_raw = true;
}

/* ------------------------------------------------------------------ */
/* output ring (under c->lock)                                         */

static void ring_grow_locked(EmuChardev *c, size_t need)
{
    size_t cap = c->ring_cap ? c->ring_cap : CHR_RING_MIN;

    while (cap < need && cap < CHR_RING_MAX) {
        cap *= 2;
    }
    if (cap > CHR_RING_MAX) {
        cap = CHR_RING_MAX;
    }
    if (cap <= c->ring_cap) {
        return;
    }
    uint8_t *n = g_malloc(cap);
    size_t first = MIN(c->ring_len, c->ring_cap - c->ring_head);
    if (c->ring_len) {
        memcpy(n, c->ring + c->ring_head, first);
        memcpy(n + first, c->ring, c->ring_len - first);
    }
    g_free(c->ring);
    c->ring = n;
    c->ring_cap = cap;
    c->ring_head = 0;
}

static void ring_append_locked(EmuChardev *c, const uint8_t *buf, size_t len)
{
    if (len > CHR_RING_MAX) {
        atomic_fetch_add(&c->dropped, len - CHR_RING_MAX);
        buf += len - CHR_RING_MAX;
        len = CHR_RING_MAX;
    }
    if (c->ring_len + len > c->ring_cap) {
        ring_grow_locked(c, c->ring_len + len);
    }
    if (c->ring_len + len > c->ring_cap) {
        size_t drop = c->ring_len + len - c->ring_cap;
        c->ring_head = (c->ring_head + drop) % c->ring_cap;
        c->ring_len -= drop;
        atomic_fetch_add(&c->dropped, drop);
    }
    size_t tail = (c->ring_head + c->ring_len) % c->ring_cap;
    size_t first = MIN(len, c->ring_cap - tail);
    memcpy(c->ring + tail, buf, first);
    memcpy(c->ring, buf + first, len - first);
    c->ring_len += len;
}

static size_t ring_take_locked(EmuChardev *c, uint8_t *dst, size_t max)
{
    if (!c->ring_len) {
        return 0;
    }
    size_t n = MIN(max, c->ring_len);
    size_t first = MIN(n, c->ring_cap - c->ring_head);

    memcpy(dst, c->ring + c->ring_head, first);
    memcpy(dst + first, c->ring, n - first);
    c->ring_len -= n;
    c->ring_head = c->ring_len ? (c->ring_head + n) % c->ring_cap : 0;
    return n;
}

/* chr_kick: make the I/O thread dispatch us. Thread: any thread. */
static void chr_kick(EmuChardev *c)
{
    if (!atomic_exchange(&c->kick, 1)) {
        g_main_context_wakeup(c->m->io_ctx);
    }
}

/* ------------------------------------------------------------------ */
/* running a function in the I/O context, synchronously                */

typedef struct {
    void (*fn)(EmuChardev *c, void *arg);
    EmuChardev *c;
    void *arg;
    GMutex mu;
    GCond cond;
    bool done;
} ChrCall;

static gboolean chr_call_idle(gpointer p)
{
    ChrCall *call = p;

    call->fn(call->c, call->arg);
    g_mutex_lock(&call->mu);
    call->done = true;
    g_cond_signal(&call->cond);
    g_mutex_unlock(&call->mu);
    return G_SOURCE_REMOVE;
}

/*
 * chr_run_on_io: runs @fn with exclusive access to the I/O thread state:
 * inline when this thread owns or can acquire the context (the I/O thread
 * itself, or nobody runs the loop), else as an idle on the I/O thread,
 * waiting for it. If the loop stops before running it, we acquire the
 * context and run it here.
 * Thread: any thread except a hart holding the device lock.
 */
static void chr_run_on_io(EmuChardev *c, void (*fn)(EmuChardev *, void *),
                          void *arg)
{
    GMainContext *ctx = c->m->io_ctx;

    if (g_main_context_acquire(ctx)) {
        fn(c, arg);
        g_main_context_release(ctx);
        return;
    }

    ChrCall call = {.fn = fn, .c = c, .arg = arg};
    g_mutex_init(&call.mu);
    g_cond_init(&call.cond);
    GSource *idle = g_idle_source_new();
    g_source_set_priority(idle, G_PRIORITY_HIGH);
    g_source_set_callback(idle, chr_call_idle, &call, NULL);
    g_source_attach(idle, ctx);

    g_mutex_lock(&call.mu);
    while (!call.done) {
        gint64 end = g_get_monotonic_time() + 20 * G_TIME_SPAN_MILLISECOND;
        if (g_cond_wait_until(&call.cond, &call.mu, end) || call.done) {
            continue;
        }
        g_mutex_unlock(&call.mu);
        if (g_main_context_acquire(ctx)) {
            /* nobody dispatches now: the idle ran entirely or not at all */
            g_mutex_lock(&call.mu);
            if (!call.done) {
                g_source_destroy(idle);
                fn(c, arg);
                call.done = true;
            }
            g_mutex_unlock(&call.mu);
            g_main_context_release(ctx);
        }
        g_mutex_lock(&call.mu);
    }
    g_mutex_unlock(&call.mu);
    g_source_unref(idle);
    g_mutex_clear(&call.mu);
    g_cond_clear(&call.cond);
}

/* ------------------------------------------------------------------ */
/* frontends (I/O thread)                                              */

static void chr_fe_lock(EmuChardev *c, EmuChrFe *f)
{
    if (!f->fe.unlocked) {
        emu_machine_lock(c->m);
    }
}

static void chr_fe_unlock(EmuChardev *c, EmuChrFe *f)
{
    if (!f->fe.unlocked) {
        emu_machine_unlock(c->m);
    }
}

static void chr_fe_event(EmuChardev *c, int slot, EmuChardevEvent ev)
{
    EmuChrFe *f = &c->fes[slot];

    if (!f->set || !f->fe.event) {
        return;
    }
    chr_fe_lock(c, f);
    f->fe.event(f->fe.opaque, ev);
    chr_fe_unlock(c, f);
}

/* chr_fe_deliver: hands up to @len bytes to @slot; returns how many. */
static size_t chr_fe_deliver(EmuChardev *c, int slot, const uint8_t *buf,
                             size_t len)
{
    EmuChrFe *f = &c->fes[slot];
    size_t n;

    if (!f->set || !f->fe.receive) {
        return len; /* nobody listens: input is discarded */
    }
    chr_fe_lock(c, f);
    n = f->fe.can_read ? f->fe.can_read(f->fe.opaque) : len;
    n = MIN(n, len);
    if (n) {
        f->fe.receive(f->fe.opaque, buf, n);
    }
    chr_fe_unlock(c, f);
    return n;
}

/* chr_sync_events: OPENED/CLOSED follow the backend's connection. */
static void chr_sync_events(EmuChardev *c)
{
    for (int i = 0; i < FE_COUNT; i++) {
        EmuChrFe *f = &c->fes[i];
        if (f->set && f->opened != c->connected) {
            f->opened = c->connected;
            chr_fe_event(c, i,
                         c->connected ? EMU_CHR_EVENT_OPENED
                                      : EMU_CHR_EVENT_CLOSED);
        }
    }
}

/* ------------------------------------------------------------------ */
/* the mux (I/O thread)                                                */

static void chr_mux_help(EmuChardev *c)
{
    static const char *const help[] = {
        "C-a h    print this help\n\r",
        "C-a x    exit emulator\n\r",
        "C-a s    save disk data back to file (no effect)\n\r",
        "C-a t    toggle console timestamps (no effect)\n\r",
        "C-a b    send break (no effect)\n\r",
        "C-a c    switch between console and monitor\n\r",
        "C-a C-a  sends C-a\n\r",
    };

    emu_chardev_write(c, (const uint8_t *)"\n\r", 2);
    for (size_t i = 0; i < G_N_ELEMENTS(help); i++) {
        emu_chardev_write(c, (const uint8_t *)help[i], strlen(help[i]));
    }
}

static void chr_mux_switch(EmuChardev *c)
{
    int to = c->focus == FE_SERIAL ? FE_MONITOR : FE_SERIAL;

    if (!c->fes[to].set) {
        return; /* only one frontend: nothing to switch to */
    }
    chr_fe_event(c, c->focus, EMU_CHR_EVENT_FOCUS_OUT);
    c->focus = to;
    chr_fe_event(c, c->focus, EMU_CHR_EVENT_FOCUS_IN);
}

/* chr_mux_command: the byte after Ctrl-A (QEMU's char-mux keys). */
static void chr_mux_command(EmuChardev *c, uint8_t ch)
{
    static const char term[] = "vmkit: Terminated\n\r";

    switch (ch) {
    case 'h':
    case '?':
        chr_mux_help(c);
        break;
    case 'x':
        emu_chardev_write(c, (const uint8_t *)term, sizeof(term) - 1);
        emu_machine_request(c->m, EMU_REQ_QUIT, 0);
        break;
    case 'c':
        chr_mux_switch(c);
        break;
    default:
        /* 's' (commit disks), 'b' (break), 't' (timestamps) and unknown
         * keys are swallowed, as QEMU does with those it lacks. */
        break;
    }
}

/* ------------------------------------------------------------------ */
/* input (I/O thread)                                                  */

static void chr_deliver(EmuChardev *c)
{
    while (c->in_pos < c->in_len) {
        const uint8_t *p = c->inbuf + c->in_pos;
        size_t avail = c->in_len - c->in_pos;

        if (!c->mux) {
            size_t n = chr_fe_deliver(c, FE_SERIAL, p, avail);
            if (!n) {
                return;
            }
            c->in_pos += n;
            continue;
        }
        if (c->mux_escape) {
            if (p[0] == CHR_ESCAPE) {
                /* Ctrl-A Ctrl-A: one literal Ctrl-A */
                if (!chr_fe_deliver(c, c->focus, p, 1)) {
                    return; /* keep the escape state, retry later */
                }
            } else {
                chr_mux_command(c, p[0]);
            }
            c->mux_escape = false;
            c->in_pos++;
            continue;
        }
        if (p[0] == CHR_ESCAPE) {
            c->mux_escape = true;
            c->in_pos++;
            continue;
        }
        const uint8_t *esc = memchr(p, CHR_ESCAPE, avail);
        size_t run = esc ? (size_t)(esc - p) : avail;
        size_t n = chr_fe_deliver(c, c->focus, p, run);
        if (!n) {
            return;
        }
        c->in_pos += n;
    }
    c->in_pos = c->in_len = 0;
}

static bool chr_has_input_target(EmuChardev *c)
{
    /* the mux always reads: Ctrl-A must work whoever has the focus */
    return c->mux || c->fes[FE_SERIAL].set;
}

/* ------------------------------------------------------------------ */
/* connection state (I/O thread)                                       */

static void chr_unwatch(EmuChardev *c, gpointer *tag)
{
    if (*tag) {
        g_source_remove_unix_fd(c->src, *tag);
        *tag = NULL;
    }
}

static void chr_watch(EmuChardev *c, gpointer *tag, int fd, GIOCondition ev)
{
    if (*tag) {
        g_source_modify_unix_fd(c->src, *tag, ev);
    } else {
        *tag = g_source_add_unix_fd(c->src, fd, ev);
    }
}

static void chr_disconnect(EmuChardev *c)
{
    if (!c->connected) {
        return;
    }
    c->connected = false;
    c->in_pos = c->in_len = 0;
    c->mux_escape = false;
    if (c->out_len > c->out_pos) {
        atomic_fetch_add(&c->dropped, c->out_len - c->out_pos);
    }
    c->out_pos = c->out_len = 0;
    c->out_wait = false;
    chr_unwatch(c, &c->in_tag);

    if (c->kind == CHR_UNIX) {
        close(c->in_fd);
        c->in_fd = c->out_fd = -1;
    } else if (c->kind == CHR_PTY) {
        /* poll again later: POLLHUP stays set while the slave is closed */
        g_source_set_ready_time(c->src,
                                g_get_monotonic_time() + CHR_PTY_POLL_US);
    }
}

/* chr_pty_check: has someone opened the slave since? (Linux: the master
 * reports POLLHUP while no slave fd is open.) */
static void chr_pty_check(EmuChardev *c)
{
    struct pollfd pfd = {.fd = c->in_fd, .events = POLLIN};

    if (poll(&pfd, 1, 0) >= 0 && !(pfd.revents & POLLHUP)) {
        c->connected = true;
        g_source_set_ready_time(c->src, -1);
    } else {
        g_source_set_ready_time(c->src,
                                g_get_monotonic_time() + CHR_PTY_POLL_US);
    }
}

static void chr_accept(EmuChardev *c)
{
    int fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

    if (fd < 0) {
        return; /* EAGAIN, or the client left already */
    }
    c->in_fd = c->out_fd = fd;
    c->connected = true;
    c->in_eof = false;
}

static void chr_read(EmuChardev *c)
{
    ssize_t n;

    do {
        if (c->kind == CHR_UNIX) {
            n = recv(c->in_fd, c->inbuf, sizeof(c->inbuf), MSG_DONTWAIT);
        } else {
            n = read(c->in_fd, c->inbuf, sizeof(c->inbuf));
        }
    } while (n < 0 && errno == EINTR);

    if (n > 0) {
        c->in_pos = 0;
        c->in_len = n;
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return;
    }
    /* EOF or error: stdin is done, a pty slave or a client has gone */
    if (c->kind == CHR_STDIO) {
        c->in_eof = true;
        chr_unwatch(c, &c->in_tag);
    } else {
        chr_disconnect(c);
    }
}

/* ------------------------------------------------------------------ */
/* output (I/O thread)                                                 */

static void chr_flush(EmuChardev *c)
{
    for (;;) {
        if (c->out_pos == c->out_len) {
            g_mutex_lock(&c->lock);
            c->out_len = ring_take_locked(c, c->out_buf, CHR_OUT_CHUNK);
            g_mutex_unlock(&c->lock);
            c->out_pos = 0;
            if (!c->out_len) {
                c->out_wait = false;
                return;
            }
        }
        if (!c->connected || c->out_fd < 0) {
            if (c->kind != CHR_NULL) {
                atomic_fetch_add(&c->dropped, c->out_len - c->out_pos);
            }
            c->out_pos = c->out_len = 0;
            continue;
        }

        const uint8_t *p = c->out_buf + c->out_pos;
        size_t len = c->out_len - c->out_pos;
        ssize_t n;
        if (c->kind == CHR_UNIX) {
            n = send(c->out_fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        } else {
            n = write(c->out_fd, p, len);
        }
        if (n > 0) {
            c->out_pos += n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            c->out_wait = true;
            return;
        }
        /* the reader is gone */
        if (c->kind == CHR_PTY || c->kind == CHR_UNIX) {
            chr_disconnect(c);
        } else {
            /* stdout closed or file write error: drop from now on */
            atomic_fetch_add(&c->dropped, len);
            c->out_pos = c->out_len = 0;
            c->out_fd = -1;
            chr_unwatch(c, &c->out_tag);
        }
    }
}

/* chr_update_watch: poll for exactly what we can act on now. */
static void chr_update_watch(EmuChardev *c)
{
    bool want_in = c->connected && c->in_fd >= 0 && !c->in_eof &&
                   c->in_pos == c->in_len && chr_has_input_target(c);
    bool want_out = c->connected && c->out_fd >= 0 && c->out_wait;
    GIOCondition ev = want_in ? G_IO_IN : 0;

    if (c->in_fd >= 0 && c->in_fd == c->out_fd) {
        ev |= want_out ? G_IO_OUT : 0;
        /* a connected pty/socket stays in the poll set (even with no
         * events) so that POLLHUP tells us the peer went away */
        if (ev || (c->connected && c->kind != CHR_STDIO)) {
            chr_watch(c, &c->in_tag, c->in_fd, ev);
        } else {
            chr_unwatch(c, &c->in_tag);
        }
    } else {
        if (ev) {
            chr_watch(c, &c->in_tag, c->in_fd, ev);
        } else {
            chr_unwatch(c, &c->in_tag);
        }
        if (want_out) {
            chr_watch(c, &c->out_tag, c->out_fd, G_IO_OUT);
        } else {
            chr_unwatch(c, &c->out_tag);
        }
    }
    if (c->listen_fd >= 0 && !c->connected) {
        chr_watch(c, &c->listen_tag, c->listen_fd, G_IO_IN);
    } else {
        chr_unwatch(c, &c->listen_tag);
    }
}

/* ------------------------------------------------------------------ */
/* the GSource                                                         */

static gboolean chr_src_prepare(GSource *s, gint *timeout)
{
    EmuChardev *c = ((EmuChrSource *)s)->chr;

    *timeout = -1;
    return atomic_load(&c->kick) != 0;
}

static gboolean chr_src_check(GSource *s)
{
    EmuChardev *c = ((EmuChrSource *)s)->chr;

    return atomic_load(&c->kick) ||
           (c->in_tag && g_source_query_unix_fd(s, c->in_tag)) ||
           (c->out_tag && g_source_query_unix_fd(s, c->out_tag)) ||
           (c->listen_tag && g_source_query_unix_fd(s, c->listen_tag));
}

static gboolean chr_src_dispatch(GSource *s, GSourceFunc cb, gpointer ud)
{
    EmuChardev *c = ((EmuChrSource *)s)->chr;
    GIOCondition rev;

    atomic_store(&c->kick, 0);

    if (c->listen_tag && (g_source_query_unix_fd(s, c->listen_tag) & G_IO_IN)) {
        chr_accept(c);
    }
    if (c->kind == CHR_PTY && !c->connected &&
        g_source_get_ready_time(s) >= 0 &&
        g_source_get_ready_time(s) <= g_source_get_time(s)) {
        chr_pty_check(c);
    }
    rev = c->in_tag ? g_source_query_unix_fd(s, c->in_tag) : 0;
    if (rev & G_IO_OUT) {
        c->out_wait = false;
    }
    if (c->out_tag && g_source_query_unix_fd(s, c->out_tag)) {
        c->out_wait = false;
    }
    if (rev & (G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_NVAL)) {
        if (c->in_pos == c->in_len && !c->in_eof) {
            chr_read(c); /* also ends a closed stdin (EBADF) */
        } else if (rev & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) {
            chr_disconnect(c); /* input held back and the peer left */
        }
    }
    chr_sync_events(c);
    chr_deliver(c);
    if (!c->out_wait) {
        chr_flush(c);
    }
    chr_sync_events(c);
    chr_update_watch(c);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs chr_src_funcs = {
    .prepare = chr_src_prepare,
    .check = chr_src_check,
    .dispatch = chr_src_dispatch,
};

/* ------------------------------------------------------------------ */
/* opening backends (main thread)                                      */

static bool chr_open_stdio(EmuChardev *c, GError **error)
{
    if (atomic_fetch_add(&emu_chr_stdio_users, 1) != 0) {
        atomic_fetch_sub(&emu_chr_stdio_users, 1);
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "cannot use stdio by multiple character devices");
        return false;
    }
    c->stdio = true;
    c->in_fd = STDIN_FILENO;
    c->out_fd = STDOUT_FILENO;
    chr_tty_raw(c, !c->mux);
    c->connected = true;
    return true;
}

static bool chr_open_file(EmuChardev *c, const char *path, GError **error)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "could not open '%s': %s",
                    path, g_strerror(errno));
        return false;
    }
    c->out_fd = fd;
    c->path = g_strdup(path);
    c->connected = true;
    return true;
}

static bool chr_open_pty(EmuChardev *c, GError **error)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    struct termios tty;

    if (fd < 0 || grantpt(fd) < 0 || unlockpt(fd) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "could not allocate a pty: %s", g_strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return false;
    }
    char name[64];
    if (ptsname_r(fd, name, sizeof(name)) != 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "ptsname: %s",
                    g_strerror(errno));
        close(fd);
        return false;
    }
    /* Put the slave in raw mode (the settings live as long as the master)
     * and close it again: from then on the master reports POLLHUP until a
     * user opens the slave, which is how we know someone listens. */
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "could not open %s: %s",
                    name, g_strerror(errno));
        close(fd);
        return false;
    }
    if (tcgetattr(slave, &tty) == 0) {
        cfmakeraw(&tty);
        tcsetattr(slave, TCSANOW, &tty);
    }
    close(slave);

    c->in_fd = c->out_fd = fd;
    c->path = g_strdup(name);
    c->connected = false;
    fprintf(stderr, "char device redirected to %s (label %s)\n", name,
            c->label);
    return true;
}

static bool chr_unix_addr(const char *path, struct sockaddr_un *sa,
                          GError **error)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (!*path || strlen(path) >= sizeof(sa->sun_path)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "UNIX socket path '%s' is too long or empty", path);
        return false;
    }
    strcpy(sa->sun_path, path);
    return true;
}

static bool chr_parse_onoff(const char *opt, const char *val, bool *out,
                            GError **error)
{
    if (!val || !strcmp(val, "on") || !strcmp(val, "yes")) {
        *out = true;
    } else if (!strcmp(val, "off") || !strcmp(val, "no")) {
        *out = false;
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "parameter '%s' expects 'on' or 'off'", opt);
        return false;
    }
    return true;
}

static bool chr_open_unix(EmuChardev *c, const char *args, GError **error)
{
    g_auto(GStrv) parts = g_strsplit(args, ",", -1);
    bool server = false;
    bool wait = true;
    struct sockaddr_un sa;
    int fd;

    for (int i = 1; parts[i]; i++) {
        char *eq = strchr(parts[i], '=');
        const char *val = NULL;
        if (eq) {
            *eq = '\0';
            val = eq + 1;
        }
        bool ok;
        if (!strcmp(parts[i], "server")) {
            ok = chr_parse_onoff("server", val, &server, error);
        } else if (!strcmp(parts[i], "wait")) {
            ok = chr_parse_onoff("wait", val, &wait, error);
        } else if (!strcmp(parts[i], "nowait") && !val) {
            wait = false;
            ok = true;
        } else {
            g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                        "unix chardev: unknown option '%s'", parts[i]);
            ok = false;
        }
        if (!ok) {
            return false;
        }
    }
    if (!chr_unix_addr(parts[0], &sa, error)) {
        return false;
    }
    c->path = g_strdup(parts[0]);
    c->server = server;

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "socket: %s",
                    g_strerror(errno));
        return false;
    }
    if (!server) {
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                        "failed to connect to '%s': %s", c->path,
                        g_strerror(errno));
            close(fd);
            return false;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        c->in_fd = c->out_fd = fd;
        c->connected = true;
        return true;
    }

    /* QEMU replaces a stale socket file */
    unlink(c->path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "failed to listen on '%s': %s", c->path, g_strerror(errno));
        close(fd);
        return false;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    c->listen_fd = fd;

    if (wait) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        fprintf(stderr,
                "vmkit: waiting for connection on: "
                "disconnected:unix:%s,server=on\n",
                c->path);
        for (;;) {
            int r = poll(&pfd, 1, -1);
            if (r < 0 && errno != EINTR) {
                g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "poll: %s",
                            g_strerror(errno));
                return false;
            }
            if (r > 0) {
                chr_accept(c);
                if (c->connected) {
                    break;
                }
            }
        }
    }
    return true;
}

static bool chr_open(EmuChardev *c, const char *spec, GError **error)
{
    if (g_str_has_prefix(spec, "mon:")) {
        c->mux = true;
        spec += 4;
    }
    if (!strcmp(spec, "stdio")) {
        c->kind = CHR_STDIO;
        return chr_open_stdio(c, error);
    }
    if (!strcmp(spec, "null")) {
        c->kind = CHR_NULL;
        c->connected = true;
        return true;
    }
    if (!strcmp(spec, "pty")) {
        c->kind = CHR_PTY;
        return chr_open_pty(c, error);
    }
    if (g_str_has_prefix(spec, "file:") && spec[5]) {
        c->kind = CHR_FILE;
        return chr_open_file(c, spec + 5, error);
    }
    if (g_str_has_prefix(spec, "unix:") && spec[5]) {
        c->kind = CHR_UNIX;
        return chr_open_unix(c, spec + 5, error);
    }
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "'%s' is not a valid char driver", spec);
    return false;
}

/* chr_close: closes the host side. Thread: owner of the I/O context. */
static void chr_close(EmuChardev *c, void *unused)
{
    if (c->src) {
        /* last chance for output; pty and socket fds are non-blocking,
         * so a slow reader cannot hold us here */
        chr_flush(c);
        g_source_destroy(c->src);
        g_source_unref(c->src);
        c->src = NULL;
    }
    if (c->stdio) {
        if (c->tty_raw) {
            emu_chardev_restore_tty();
            c->tty_raw = false;
        }
        atomic_fetch_sub(&emu_chr_stdio_users, 1);
        c->stdio = false;
    } else {
        if (c->in_fd >= 0) {
            close(c->in_fd);
        }
        if (c->out_fd >= 0 && c->out_fd != c->in_fd) {
            close(c->out_fd);
        }
    }
    if (c->listen_fd >= 0) {
        close(c->listen_fd);
        unlink(c->path);
    }
    c->in_fd = c->out_fd = c->listen_fd = -1;
}

EmuChardev *emu_chardev_new_labelled(EmuMachine *m, const char *spec,
                                     const char *label, GError **error)
{
    EmuChardev *c = g_new0(EmuChardev, 1);

    c->m = m;
    c->label = g_strdup(label ? label : "serial0");
    c->in_fd = c->out_fd = c->listen_fd = -1;
    c->focus = FE_SERIAL;
    g_mutex_init(&c->lock);
    c->out_buf = g_malloc(CHR_OUT_CHUNK);

    if (!chr_open(c, spec, error)) {
        chr_close(c, NULL);
        emu_chardev_free(c);
        return NULL;
    }

    c->src = g_source_new(&chr_src_funcs, sizeof(EmuChrSource));
    ((EmuChrSource *)c->src)->chr = c;
    g_source_set_name(c->src, "emu-chardev");
    if (c->kind == CHR_PTY) {
        g_source_set_ready_time(c->src, g_get_monotonic_time());
    }
    chr_update_watch(c);
    g_source_attach(c->src, m->io_ctx);
    chr_kick(c);
    return c;
}

EmuChardev *emu_chardev_new(EmuMachine *m, const char *spec, GError **error)
{
    return emu_chardev_new_labelled(m, spec, NULL, error);
}

/* ------------------------------------------------------------------ */
/* frontend API                                                        */

typedef struct {
    int slot;
    const EmuChardevFrontend *fe;
} ChrSetFe;

static void chr_set_fe_io(EmuChardev *c, void *arg)
{
    ChrSetFe *s = arg;
    EmuChrFe *f = &c->fes[s->slot];

    memset(f, 0, sizeof(*f));
    if (s->fe) {
        f->fe = *s->fe;
        f->set = true;
    }
    if (c->focus == s->slot && !f->set && c->mux) {
        c->focus = FE_SERIAL;
    }
    /* OPENED, held input and the watch are handled by the next dispatch */
    chr_kick(c);
}

void emu_chardev_set_frontend(EmuChardev *c, const EmuChardevFrontend *fe)
{
    ChrSetFe s = {FE_SERIAL, fe};

    chr_run_on_io(c, chr_set_fe_io, &s);
}

void emu_chardev_set_monitor_frontend(EmuChardev *c,
                                      const EmuChardevFrontend *fe)
{
    ChrSetFe s = {c->mux ? FE_MONITOR : FE_SERIAL, fe};

    chr_run_on_io(c, chr_set_fe_io, &s);
}

bool emu_chardev_is_mux(EmuChardev *c)
{
    return c->mux;
}

void emu_chardev_write(EmuChardev *c, const uint8_t *buf, size_t len)
{
    if (!len || c->kind == CHR_NULL) {
        return;
    }
    g_mutex_lock(&c->lock);
    ring_append_locked(c, buf, len);
    g_mutex_unlock(&c->lock);
    chr_kick(c);
}

void emu_chardev_accept_input(EmuChardev *c)
{
    chr_kick(c);
}

const char *emu_chardev_path(EmuChardev *c)
{
    return c->kind == CHR_PTY || c->kind == CHR_UNIX ? c->path : NULL;
}

uint64_t emu_chardev_get_dropped(EmuChardev *c)
{
    return atomic_load(&c->dropped);
}

void emu_chardev_free(EmuChardev *c)
{
    if (!c) {
        return;
    }
    if (c->src) {
        chr_run_on_io(c, chr_close, NULL);
    }
    g_mutex_clear(&c->lock);
    g_free(c->ring);
    g_free(c->out_buf);
    g_free(c->path);
    g_free(c->label);
    g_free(c);
}
