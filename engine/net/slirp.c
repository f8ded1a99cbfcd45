/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slirp.c: "-netdev user" on libslirp (SlirpConfig version 4): options as
 * QEMU's net/slirp.c, slirp's sockets and timers on the I/O thread's
 * context, hostfwd/guestfwd/smb, and the monitor's hooks. */
#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <libslirp.h>

#include "emu-error.h"
#include "engine/core/machine.h"
#include "engine/hw/guest-log.h"
#include "engine/net/net-internal.h"

#define ETH_ZLEN     60 /* shortest Ethernet frame, no FCS */
#define SMBD_DEFAULT "/usr/sbin/smbd"

typedef struct UserState UserState;

typedef struct UserTimer {
    UserState *s;
    SlirpTimerId id;
    void *cb_opaque;
    int64_t expire_ms; /* -1: not armed */
} UserTimer;

typedef struct HostFwd {
    bool udp;
    bool is_unix;
    struct in_addr haddr;
    int hport;
    char *rule;
} HostFwd;

typedef struct UserSource {
    GSource src;
    UserState *s;
} UserSource;

struct UserState {
    EmuNet *net;
    EmuNetClient *nc;
    Slirp *slirp;
    GSource *source;
    GArray *fill; /* GPollFD, built by slirp_pollfds_fill */
    GPollFD *fds; /* the copy registered with the source */
    unsigned nfds;
    int64_t deadline_ms; /* slirp's poll timeout, -1: none */
    GPtrArray *timers;   /* UserTimer * */
    GPtrArray *hostfwds; /* HostFwd * */
    char *smb_dir;
    struct in_addr vnet;
    bool restricted;
    EmuGuestLog glog;
};

static int64_t clock_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

static void lock(UserState *s)
{
    if (s->net->m) {
        emu_machine_lock(s->net->m);
    }
}

static void unlock(UserState *s)
{
    if (s->net->m) {
        emu_machine_unlock(s->net->m);
    }
}

/* ---- slirp's callbacks (device lock held: inside slirp calls) -------- */

static ssize_t user_send_packet(const void *pkt, size_t len, void *opaque)
{
    UserState *s = opaque;
    uint8_t min[ETH_ZLEN];

    /* slirp emits 42-byte ARP replies; NICs expect the 60-byte minimum a
     * wire would carry (QEMU pads for peers that need it) */
    if (len < ETH_ZLEN) {
        memcpy(min, pkt, len);
        memset(min + len, 0, ETH_ZLEN - len);
        pkt = min;
        len = ETH_ZLEN;
    }
    /* no sent callback: if the NIC cannot take it the core queues it,
     * bounded; slirp's TCP retransmits what a full queue drops */
    emu_net_send(s->nc, pkt, len, NULL);
    return len;
}

static void user_guest_error(const char *msg, void *opaque)
{
    UserState *s = opaque;

    emu_guest_error(&s->glog, "slirp", "%s", msg);
}

static int64_t user_clock_get_ns(void *opaque)
{
    return g_get_monotonic_time() * 1000;
}

static void user_init_completed(Slirp *slirp, void *opaque)
{
    UserState *s = opaque;

    s->slirp = slirp;
}

static void *user_timer_new_opaque(SlirpTimerId id, void *cb_opaque,
                                   void *opaque)
{
    UserState *s = opaque;
    UserTimer *t = g_new0(UserTimer, 1);

    t->s = s;
    t->id = id;
    t->cb_opaque = cb_opaque;
    t->expire_ms = -1;
    g_ptr_array_add(s->timers, t);
    return t;
}

static void user_timer_free(void *timer, void *opaque)
{
    UserState *s = opaque;

    g_ptr_array_remove(s->timers, timer); /* frees it */
}

static void user_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    UserState *s = opaque;
    UserTimer *t = timer;

    t->expire_ms = expire_ms;
    emu_net_wakeup(s->net);
}

static void user_register_poll_fd(int fd, void *opaque)
{
}

static void user_unregister_poll_fd(int fd, void *opaque)
{
}

static void user_notify(void *opaque)
{
    UserState *s = opaque;

    emu_net_wakeup(s->net);
}

static const SlirpCb user_cb = {
    .send_packet = user_send_packet,
    .guest_error = user_guest_error,
    .clock_get_ns = user_clock_get_ns,
    .timer_free = user_timer_free,
    .timer_mod = user_timer_mod,
    .register_poll_fd = user_register_poll_fd,
    .unregister_poll_fd = user_unregister_poll_fd,
    .notify = user_notify,
    .init_completed = user_init_completed,
    .timer_new_opaque = user_timer_new_opaque,
};

/* ---- the I/O thread: a GSource around slirp_pollfds_fill/poll -------- */

static int poll_to_gio(int events)
{
    return ((events & SLIRP_POLL_IN) ? G_IO_IN : 0) |
           ((events & SLIRP_POLL_OUT) ? G_IO_OUT : 0) |
           ((events & SLIRP_POLL_PRI) ? G_IO_PRI : 0) |
           ((events & SLIRP_POLL_ERR) ? G_IO_ERR : 0) |
           ((events & SLIRP_POLL_HUP) ? G_IO_HUP : 0);
}

static int gio_to_poll(int events)
{
    return ((events & G_IO_IN) ? SLIRP_POLL_IN : 0) |
           ((events & G_IO_OUT) ? SLIRP_POLL_OUT : 0) |
           ((events & G_IO_PRI) ? SLIRP_POLL_PRI : 0) |
           ((events & G_IO_ERR) ? SLIRP_POLL_ERR : 0) |
           ((events & G_IO_HUP) ? SLIRP_POLL_HUP : 0);
}

static int user_add_poll(int fd, int events, void *opaque)
{
    UserState *s = opaque;
    GPollFD pfd = {.fd = fd, .events = poll_to_gio(events)};

    g_array_append_val(s->fill, pfd);
    return s->fill->len - 1;
}

static int user_get_revents(int idx, void *opaque)
{
    UserState *s = opaque;

    if (idx < 0 || (unsigned)idx >= s->nfds) {
        return 0;
    }
    return gio_to_poll(s->fds[idx].revents);
}

/* ms until the next armed timer (0: due), or G_MAXINT64 */
static int64_t next_timer_ms(UserState *s, int64_t now)
{
    int64_t next = G_MAXINT64;

    for (guint i = 0; i < s->timers->len; i++) {
        UserTimer *t = g_ptr_array_index(s->timers, i);
        if (t->expire_ms >= 0) {
            next = MIN(next, MAX(t->expire_ms - now, 0));
        }
    }
    return next;
}

static gboolean user_src_prepare(GSource *src, gint *timeout)
{
    UserState *s = ((UserSource *)src)->s;
    uint32_t t = UINT32_MAX;
    int64_t now, tm;

    /* the set of sockets changes as connections come and go: register
     * this round's fds (prepare runs without the context lock) */
    for (unsigned i = 0; i < s->nfds; i++) {
        g_source_remove_poll(src, &s->fds[i]);
    }
    g_array_set_size(s->fill, 0);
    lock(s);
    slirp_pollfds_fill(s->slirp, &t, user_add_poll, s);
    now = clock_ms();
    tm = next_timer_ms(s, now);
    unlock(s);
    if (tm < (int64_t)t) {
        t = (uint32_t)tm;
    }
    g_free(s->fds);
    s->nfds = s->fill->len;
    s->fds = g_memdup2(s->fill->data, sizeof(GPollFD) * s->nfds);
    for (unsigned i = 0; i < s->nfds; i++) {
        g_source_add_poll(src, &s->fds[i]);
    }
    if (t == UINT32_MAX) {
        s->deadline_ms = -1;
        *timeout = -1;
    } else {
        s->deadline_ms = now + t;
        *timeout = (gint)MIN(t, (uint32_t)G_MAXINT);
    }
    return t == 0;
}

static gboolean user_src_check(GSource *src)
{
    UserState *s = ((UserSource *)src)->s;

    for (unsigned i = 0; i < s->nfds; i++) {
        if (s->fds[i].revents) {
            return TRUE;
        }
    }
    return s->deadline_ms >= 0 && clock_ms() >= s->deadline_ms;
}

static void run_timers(UserState *s)
{
    int64_t now = clock_ms();
    bool again = true;

    while (again) {
        again = false;
        for (guint i = 0; i < s->timers->len; i++) {
            UserTimer *t = g_ptr_array_index(s->timers, i);
            if (t->expire_ms >= 0 && t->expire_ms <= now) {
                t->expire_ms = -1;
                slirp_handle_timer(s->slirp, t->id, t->cb_opaque);
                again = true; /* the list may have changed */
                break;
            }
        }
    }
}

static gboolean user_src_dispatch(GSource *src, GSourceFunc cb, gpointer data)
{
    UserState *s = ((UserSource *)src)->s;

    lock(s);
    /* also runs slirp's TCP timers: call it when the timeout expired */
    slirp_pollfds_poll(s->slirp, 0, user_get_revents, s);
    run_timers(s);
    unlock(s);
    for (unsigned i = 0; i < s->nfds; i++) {
        s->fds[i].revents = 0;
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs user_src_funcs = {
    .prepare = user_src_prepare,
    .check = user_src_check,
    .dispatch = user_src_dispatch,
};

/* ---- the client ------------------------------------------------------ */

static ssize_t user_receive(EmuNetClient *nc, const struct iovec *iov,
                            int iovcnt)
{
    UserState *s = nc->opaque;
    size_t size = 0;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (iovcnt == 1) {
        slirp_input(s->slirp, iov[0].iov_base, (int)size);
    } else {
        g_autofree uint8_t *buf = g_malloc(size);
        size_t off = 0;
        for (int i = 0; i < iovcnt; i++) {
            memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
            off += iov[i].iov_len;
        }
        slirp_input(s->slirp, buf, (int)size);
    }
    /* a new connection means a new socket the I/O thread must poll */
    emu_net_wakeup(s->net);
    return size;
}

static void user_describe(EmuNetClient *nc, GString *out)
{
    UserState *s = nc->opaque;

    g_string_append_printf(out, "net=%s,restrict=%s", inet_ntoa(s->vnet),
                           s->restricted ? "on" : "off");
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    return remove(path);
}

static void smb_cleanup(UserState *s)
{
    if (s->smb_dir) {
        if (nftw(s->smb_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0) {
            fprintf(stderr, "vmkit: cannot remove '%s': %s\n", s->smb_dir,
                    g_strerror(errno));
        }
        g_free(s->smb_dir);
        s->smb_dir = NULL;
    }
}

static void hostfwd_free(gpointer p)
{
    HostFwd *f = p;

    g_free(f->rule);
    g_free(f);
}

static void user_cleanup(EmuNetClient *nc)
{
    UserState *s = nc->opaque;

    if (!s) {
        return;
    }
    if (s->source) {
        g_source_destroy(s->source);
        g_source_unref(s->source);
    }
    if (s->slirp) {
        slirp_cleanup(s->slirp);
    }
    smb_cleanup(s);
    g_ptr_array_unref(s->timers);
    g_ptr_array_unref(s->hostfwds);
    g_array_unref(s->fill);
    g_free(s->fds);
    g_free(s);
    nc->opaque = NULL;
}

static const EmuNetClientOps user_ops = {
    .kind = EMU_NET_CLIENT_USER,
    .receive = user_receive,
    .describe = user_describe,
    .cleanup = user_cleanup,
};

/* ---- forwarding rules ------------------------------------------------- */

/* get_str_sep: the text up to @sep into @buf; false without @sep */
static bool get_str_sep(char *buf, size_t size, const char **pp, int sep)
{
    const char *p1 = strchr(*pp, sep);
    size_t len;

    if (!p1) {
        return false;
    }
    len = MIN((size_t)(p1 - *pp), size - 1);
    memcpy(buf, *pp, len);
    buf[len] = '\0';
    *pp = p1 + 1;
    return true;
}

static bool parse_port(const char *s, int min, int *out)
{
    char *end;
    long v;

    if (!*s) {
        return false;
    }
    errno = 0;
    v = strtol(s, &end, 0);
    if (*end || errno || v < min || v > 65535) {
        return false;
    }
    *out = (int)v;
    return true;
}

static bool hostfwd_conflicts(UserState *s, const HostFwd *f)
{
    for (guint i = 0; i < s->hostfwds->len; i++) {
        HostFwd *o = g_ptr_array_index(s->hostfwds, i);
        if (o->is_unix || f->is_unix || o->udp != f->udp || !f->hport ||
            o->hport != f->hport) {
            continue;
        }
        if (o->haddr.s_addr == f->haddr.s_addr ||
            o->haddr.s_addr == INADDR_ANY || f->haddr.s_addr == INADDR_ANY) {
            return true;
        }
    }
    return false;
}

/* [tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport, or
 * unix:/path-[guestaddr]:guestport (QEMU's slirp_hostfwd) */
static bool user_hostfwd(UserState *s, const char *rule, GError **error)
{
    union {
        struct sockaddr_in in;
        struct sockaddr_un un;
    } host = {0};
    struct sockaddr_in guest = {.sin_family = AF_INET};
    socklen_t host_len;
    const char *p = rule;
    const char *why;
    char buf[256];
    HostFwd f = {0};
    int gport;

    if (!get_str_sep(buf, sizeof(buf), &p, ':')) {
        why = "no : separators";
        goto fail;
    }
    if (!strcmp(buf, "tcp") || !buf[0]) {
        f.udp = false;
    } else if (!strcmp(buf, "udp")) {
        f.udp = true;
    } else if (!strcmp(buf, "unix")) {
        f.is_unix = true;
    } else {
        why = "bad protocol name";
        goto fail;
    }
    if (f.is_unix) {
        struct stat st;

        if (!get_str_sep(buf, sizeof(buf), &p, '-')) {
            why = "missing - separator";
            goto fail;
        }
        if (buf[0] != '/') {
            why = "unix socket path must be absolute";
            goto fail;
        }
        if (strlen(buf) >= sizeof(host.un.sun_path)) {
            why = "unix socket path is too long";
            goto fail;
        }
        if (stat(buf, &st) == 0) {
            if (!S_ISSOCK(st.st_mode)) {
                why = "file exists and it's not unix socket";
                goto fail;
            }
            unlink(buf);
        }
        host.un.sun_family = AF_UNIX;
        strcpy(host.un.sun_path, buf);
        host_len = sizeof(host.un);
    } else {
        host.in.sin_family = AF_INET;
        host.in.sin_addr.s_addr = INADDR_ANY;
        if (!get_str_sep(buf, sizeof(buf), &p, ':')) {
            why = "missing : separator";
            goto fail;
        }
        if (buf[0] && !inet_aton(buf, &host.in.sin_addr)) {
            why = "bad host address";
            goto fail;
        }
        if (!get_str_sep(buf, sizeof(buf), &p, '-')) {
            why = "bad host port separator";
            goto fail;
        }
        if (!parse_port(buf, 0, &f.hport)) {
            why = "bad host port";
            goto fail;
        }
        host.in.sin_port = htons(f.hport);
        host_len = sizeof(host.in);
        f.haddr = host.in.sin_addr;
    }
    if (!get_str_sep(buf, sizeof(buf), &p, ':')) {
        why = "missing guest address";
        goto fail;
    }
    if (buf[0] && !inet_aton(buf, &guest.sin_addr)) {
        why = "bad guest address";
        goto fail;
    }
    if (!parse_port(p, 1, &gport)) {
        why = "bad guest port";
        goto fail;
    }
    guest.sin_port = htons(gport);

    if (hostfwd_conflicts(s, &f)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_EXISTS,
                    "could not set up host forwarding rule '%s' "
                    "(host port %d is already forwarded)",
                    rule, f.hport);
        return false;
    }
    errno = 0;
    if (slirp_add_hostxfwd(s->slirp, (struct sockaddr *)&host, host_len,
                           (struct sockaddr *)&guest, sizeof(guest),
                           f.udp ? SLIRP_HOSTFWD_UDP : 0) < 0) {
        int e = errno;
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "could not set up host forwarding rule '%s'%s%s%s", rule,
                    e ? " (" : "", e ? g_strerror(e) : "", e ? ")" : "");
        return false;
    }
    f.rule = g_strdup(rule);
    g_ptr_array_add(s->hostfwds, g_memdup2(&f, sizeof(f)));
    return true;

fail:
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                "invalid host forwarding rule '%s' (%s)", rule, why);
    return false;
}

bool emu_net_user_hostfwd_add(EmuNetClient *nc, const char *rule,
                              GError **error)
{
    return user_hostfwd(nc->opaque, rule, error);
}

bool emu_net_user_hostfwd_remove(EmuNetClient *nc, const char *rule,
                                 bool *removed, GError **error)
{
    UserState *s = nc->opaque;
    struct sockaddr_in host = {.sin_family = AF_INET,
                               .sin_addr.s_addr = INADDR_ANY};
    const char *p = rule;
    char buf[256];
    bool udp;
    int port;

    if (!get_str_sep(buf, sizeof(buf), &p, ':')) {
        goto fail;
    }
    if (!strcmp(buf, "tcp") || !buf[0]) {
        udp = false;
    } else if (!strcmp(buf, "udp")) {
        udp = true;
    } else {
        goto fail;
    }
    if (!get_str_sep(buf, sizeof(buf), &p, ':')) {
        goto fail;
    }
    if (buf[0] && !inet_aton(buf, &host.sin_addr)) {
        goto fail;
    }
    if (!parse_port(p, 0, &port)) {
        goto fail;
    }
    host.sin_port = htons(port);
    *removed =
        slirp_remove_hostxfwd(s->slirp, (struct sockaddr *)&host, sizeof(host),
                              udp ? SLIRP_HOSTFWD_UDP : 0) == 0;
    if (*removed) {
        for (guint i = 0; i < s->hostfwds->len; i++) {
            HostFwd *f = g_ptr_array_index(s->hostfwds, i);
            if (!f->is_unix && f->udp == udp && f->hport == port &&
                f->haddr.s_addr == host.sin_addr.s_addr) {
                g_ptr_array_remove_index(s->hostfwds, i);
                break;
            }
        }
    }
    return true;

fail:
    g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID, "invalid format");
    return false;
}

char *emu_net_user_connection_info(EmuNetClient *nc)
{
    UserState *s = nc->opaque;

    return slirp_connection_info(s->slirp);
}

/* [tcp]:server:port-cmd:COMMAND | -unix:PATH (a connection per guest
 * connection; QEMU's chardev targets are not available) */
static bool user_guestfwd(UserState *s, const char *rule, GError **error)
{
    struct in_addr server = {.s_addr = 0};
    const char *p = rule;
    char buf[128];
    int port;
    int ret;

    if (!get_str_sep(buf, sizeof(buf), &p, ':') ||
        (strcmp(buf, "tcp") && buf[0]) ||
        !get_str_sep(buf, sizeof(buf), &p, ':') ||
        (buf[0] && !inet_aton(buf, &server)) ||
        !get_str_sep(buf, sizeof(buf), &p, '-') || !parse_port(buf, 1, &port)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "invalid guest forwarding rule '%s'", rule);
        return false;
    }
    if (g_str_has_prefix(p, "cmd:") && p[4]) {
        ret = slirp_add_exec(s->slirp, p + 4, &server, port);
    } else if (g_str_has_prefix(p, "unix:") && p[5] == '/') {
        ret = slirp_add_unix(s->slirp, p + 5, &server, port);
    } else {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "guest forwarding device '%s' is not supported "
                    "(use cmd:COMMAND or unix:/PATH)",
                    p);
        return false;
    }
    if (ret < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "conflicting/invalid host:port in guest forwarding "
                    "rule '%s'",
                    rule);
        return false;
    }
    return true;
}

/* QEMU's slirp_smb(): a private smb.conf for one share, smbd started by
 * slirp when the guest connects to port 139/445 of the SMB address */
static bool user_smb(UserState *s, const char *dir, struct in_addr addr,
                     GError **error)
{
    const char *smbd = g_getenv("VMKIT_SMBD");
    g_autofree char *conf = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GError) err = NULL;
    struct passwd *pw;

    if (!smbd || !*smbd) {
        smbd = SMBD_DEFAULT;
    }
    if (access(smbd, X_OK)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "could not find '%s', please install it (smb= needs "
                    "Samba's smbd)",
                    smbd);
        return false;
    }
    if (access(dir, R_OK | X_OK)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                    "error accessing shared directory '%s': %s", dir,
                    g_strerror(errno));
        return false;
    }
    pw = getpwuid(geteuid());
    if (!pw) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED,
                    "failed to retrieve user name");
        return false;
    }
    s->smb_dir = g_dir_make_tmp("vmkit-smb.XXXXXX", &err);
    if (!s->smb_dir) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "could not create samba server dir: %s", err->message);
        return false;
    }
    conf = g_build_filename(s->smb_dir, "smb.conf", NULL);
    text = g_strdup_printf("[global]\n"
                           "private dir=%s\n"
                           "interfaces=127.0.0.1\n"
                           "bind interfaces only=yes\n"
                           "pid directory=%s\n"
                           "lock directory=%s\n"
                           "state directory=%s\n"
                           "cache directory=%s\n"
                           "ncalrpc dir=%s/ncalrpc\n"
                           "log file=%s/log.smbd\n"
                           "smb passwd file=%s/smbpasswd\n"
                           "security = user\n"
                           "map to guest = Bad User\n"
                           "load printers = no\n"
                           "printing = bsd\n"
                           "disable spoolss = yes\n"
                           "usershare max shares = 0\n"
                           "[qemu]\n"
                           "path=%s\n"
                           "read only=no\n"
                           "guest ok=yes\n"
                           "force user=%s\n",
                           s->smb_dir, s->smb_dir, s->smb_dir, s->smb_dir,
                           s->smb_dir, s->smb_dir, s->smb_dir, s->smb_dir, dir,
                           pw->pw_name);
    if (!g_file_set_contents(conf, text, -1, &err)) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO,
                    "could not create samba server configuration file: %s",
                    err->message);
        smb_cleanup(s);
        return false;
    }
    cmd = g_strdup_printf("%s -l %s -s %s", smbd, s->smb_dir, conf);
    if (slirp_add_exec(s->slirp, cmd, &addr, 139) < 0 ||
        slirp_add_exec(s->slirp, cmd, &addr, 445) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "conflicting/invalid smbserver address");
        smb_cleanup(s);
        return false;
    }
    return true;
}

/* ---- -netdev user ---------------------------------------------------- */

typedef struct UserCfg {
    bool restricted;
    bool ipv4, ipv6;
    struct in_addr net, mask, host, dhcp, dns, smbsrv;
    struct in6_addr prefix6, host6, dns6;
    int prefix6_len;
} UserCfg;

static bool fail(GError **error, const char *msg)
{
    g_set_error_literal(error, EMU_ERROR, EMU_ERROR_INVALID, msg);
    return false;
}

static bool in6_equal_net(const struct in6_addr *a, const struct in6_addr *b,
                          int len)
{
    for (int i = 0; i < len / 8; i++) {
        if (a->s6_addr[i] != b->s6_addr[i]) {
            return false;
        }
    }
    if (len % 8) {
        uint8_t mask = (uint8_t)(0xff << (8 - len % 8));
        return (a->s6_addr[len / 8] & mask) == (b->s6_addr[len / 8] & mask);
    }
    return true;
}

/* the addressing options, checked as QEMU's net_slirp_init() does */
static bool user_parse_addrs(EmuOpts *opts, UserCfg *c, GError **error)
{
    const char *vnet = emu_opts_get(opts, "net");
    const char *ip = emu_opts_get(opts, "ip");
    const char *vhost = emu_opts_get(opts, "host");
    const char *vdns = emu_opts_get(opts, "dns");
    const char *vdhcp = emu_opts_get(opts, "dhcpstart");
    const char *vsmb = emu_opts_get(opts, "smbserver");
    const char *v6net = emu_opts_get(opts, "ipv6-net");
    const char *v6prefix = emu_opts_get(opts, "ipv6-prefix");
    const char *v6host = emu_opts_get(opts, "ipv6-host");
    const char *v6dns = emu_opts_get(opts, "ipv6-dns");
    bool has4 = emu_opts_has(opts, "ipv4"), has6 = emu_opts_has(opts, "ipv6");
    g_autofree char *net_buf = NULL;
    g_autofree char *prefix_buf = NULL;
    uint64_t plen = 0;
    bool v4, v6;

    if (!emu_opts_get_bool(opts, "ipv4", true, &v4, error) ||
        !emu_opts_get_bool(opts, "ipv6", true, &v6, error) ||
        !emu_opts_get_bool(opts, "restrict", false, &c->restricted, error)) {
        return false;
    }
    /* QEMU: "ipv6=on" alone means IPv6 only, and the converse */
    c->ipv4 = !((has6 && v6 && !has4) || (has4 && !v4));
    c->ipv6 = !((has4 && v4 && !has6) || (has6 && !v6));
    c->net.s_addr = htonl(0x0a000200);
    c->mask.s_addr = htonl(0xffffff00);
    c->host.s_addr = htonl(0x0a000202);
    c->dhcp.s_addr = htonl(0x0a00020f);
    c->dns.s_addr = htonl(0x0a000203);
    c->smbsrv.s_addr = 0; /* slirp_add_exec: 0 = the network's .4 */

    if (!vnet && ip) {
        vnet = net_buf = g_strdup_printf("%s/24", ip);
    }
    if (!c->ipv4 && (vnet || vhost || vdns)) {
        return fail(error, "IPv4 disabled but netmask/host/dns provided");
    }
    if (!c->ipv6 && (v6net || v6prefix || v6host || v6dns)) {
        return fail(error, "IPv6 disabled but prefix/host6/dns6 provided");
    }
    if (!c->ipv4 && !c->ipv6) {
        return fail(error, "IPv4 and IPv6 disabled");
    }
    if (vnet) {
        const char *slash = strchr(vnet, '/');
        g_autofree char *addr =
            g_strndup(vnet, slash ? (size_t)(slash - vnet) : strlen(vnet));
        if (!inet_aton(addr, &c->net)) {
            return fail(error, "failed to parse netmask");
        }
        if (!slash) {
            /* classful default, as QEMU */
            uint32_t a = ntohl(c->net.s_addr);
            uint32_t m = !(a & 0x80000000)                ? 0xff000000
                         : (a & 0xfff00000) == 0xac100000 ? 0xfff00000
                         : (a & 0xc0000000) == 0x80000000 ? 0xffff0000
                         : (a & 0xffff0000) == 0xc0a80000 ? 0xffff0000
                         : (a & 0xffff0000) == 0xc6120000 ? 0xfffe0000
                         : (a & 0xe0000000) == 0xe0000000 ? 0xffffff00
                                                          : 0xfffffff0;
            c->mask.s_addr = htonl(m);
        } else {
            char *end;
            long shift = strtol(slash + 1, &end, 10);
            if (*end || end == slash + 1) {
                if (!inet_aton(slash + 1, &c->mask)) {
                    return fail(error,
                                "failed to parse netmask (trailing chars)");
                }
            } else if (shift < 4 || shift > 32) {
                return fail(error,
                            "invalid netmask provided (must be in range 4-32)");
            } else {
                c->mask.s_addr =
                    htonl((uint32_t)(0xffffffffull << (32 - shift)));
            }
        }
        c->net.s_addr &= c->mask.s_addr;
        c->host.s_addr = c->net.s_addr | (htonl(0x0202) & ~c->mask.s_addr);
        c->dhcp.s_addr = c->net.s_addr | (htonl(0x020f) & ~c->mask.s_addr);
        c->dns.s_addr = c->net.s_addr | (htonl(0x0203) & ~c->mask.s_addr);
    }
    if (vhost && !inet_aton(vhost, &c->host)) {
        return fail(error, "failed to parse host");
    }
    if ((c->host.s_addr & c->mask.s_addr) != c->net.s_addr) {
        return fail(error, "host doesn't belong to network");
    }
    if (vdns && !inet_aton(vdns, &c->dns)) {
        return fail(error, "failed to parse DNS");
    }
    if (c->restricted && (c->dns.s_addr & c->mask.s_addr) != c->net.s_addr) {
        return fail(error, "DNS doesn't belong to network");
    }
    if (c->dns.s_addr == c->host.s_addr) {
        return fail(error, "DNS must be different from host");
    }
    if (vdhcp && !inet_aton(vdhcp, &c->dhcp)) {
        return fail(error, "failed to parse DHCP start address");
    }
    if ((c->dhcp.s_addr & c->mask.s_addr) != c->net.s_addr) {
        return fail(error, "DHCP doesn't belong to network");
    }
    if (c->dhcp.s_addr == c->host.s_addr || c->dhcp.s_addr == c->dns.s_addr) {
        return fail(error, "DHCP must be different from host and DNS");
    }
    if (vsmb && !inet_aton(vsmb, &c->smbsrv)) {
        return fail(error, "failed to parse SMB address");
    }

    /* ipv6-net=PREFIX[/LEN], or the older ipv6-prefix= + ipv6-prefixlen= */
    if (v6net) {
        const char *slash = strchr(v6net, '/');
        prefix_buf =
            g_strndup(v6net, slash ? (size_t)(slash - v6net) : strlen(v6net));
        v6prefix = prefix_buf;
        plen = 64;
        if (slash) {
            char *end;
            errno = 0;
            plen = strtoul(slash + 1, &end, 10);
            if (*end || end == slash + 1 || errno) {
                return fail(error,
                            "parameter 'ipv6-net' expects a number after '/'");
            }
        }
    } else if (!emu_opts_get_uint(opts, "ipv6-prefixlen", 255, 0, &plen,
                                  error)) {
        return false;
    }
    if (!inet_pton(AF_INET6, v6prefix ? v6prefix : "fec0::", &c->prefix6)) {
        return fail(error, "failed to parse IPv6 prefix");
    }
    c->prefix6_len = plen ? (int)plen : 64;
    if (c->prefix6_len > 126) {
        return fail(error, "invalid IPv6 prefix provided (IPv6 prefix length "
                           "must be between 0 and 126)");
    }
    if (v6host) {
        if (!inet_pton(AF_INET6, v6host, &c->host6)) {
            return fail(error, "failed to parse IPv6 host");
        }
        if (!in6_equal_net(&c->prefix6, &c->host6, c->prefix6_len)) {
            return fail(error, "IPv6 host doesn't belong to network");
        }
    } else {
        c->host6 = c->prefix6;
        c->host6.s6_addr[15] |= 2;
    }
    if (v6dns) {
        if (!inet_pton(AF_INET6, v6dns, &c->dns6)) {
            return fail(error, "failed to parse IPv6 DNS");
        }
        if (c->restricted &&
            !in6_equal_net(&c->prefix6, &c->dns6, c->prefix6_len)) {
            return fail(error, "IPv6 DNS doesn't belong to network");
        }
    } else {
        c->dns6 = c->prefix6;
        c->dns6.s6_addr[15] |= 3;
    }
    return true;
}

static bool check_len(const char *key, const char *v, GError **error)
{
    if (v && strlen(v) > 255) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "'%s' parameter cannot exceed 255 bytes", key);
        return false;
    }
    return true;
}

EmuNetClient *emu_net_user_init(EmuNet *net, const char *id, EmuOpts *opts,
                                EmuNetClient *peer, GError **error)
{
    UserCfg c = {0};
    SlirpConfig cfg = {0};
    const char *hostname = emu_opts_get(opts, "hostname");
    const char *domainname = emu_opts_get(opts, "domainname");
    const char *tftp = emu_opts_get(opts, "tftp");
    const char *tftp_name = emu_opts_get(opts, "tftp-server-name");
    const char *bootfile = emu_opts_get(opts, "bootfile");
    const char *smb = emu_opts_get(opts, "smb");
    const char *const *dnssearch = emu_opts_get_all(opts, "dnssearch");
    const char *const *hostfwd = emu_opts_get_all(opts, "hostfwd");
    const char *const *guestfwd = emu_opts_get_all(opts, "guestfwd");
    EmuNetClient *nc;
    UserState *s;

    if (!user_parse_addrs(opts, &c, error)) {
        return NULL;
    }
    if (domainname && !*domainname) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "'domainname' parameter cannot be empty");
        return NULL;
    }
    if (!check_len("domainname", domainname, error) ||
        !check_len("hostname", hostname, error) ||
        !check_len("tftp-server-name", tftp_name, error)) {
        return NULL;
    }

    s = g_new0(UserState, 1);
    s->net = net;
    s->vnet = c.net;
    s->restricted = c.restricted;
    s->fill = g_array_new(FALSE, TRUE, sizeof(GPollFD));
    s->timers = g_ptr_array_new_with_free_func(g_free);
    s->hostfwds = g_ptr_array_new_with_free_func(hostfwd_free);
    nc = emu_net_client_new(net, &user_ops, id, peer, s, error);
    if (!nc) {
        g_array_unref(s->fill);
        g_ptr_array_unref(s->timers);
        g_ptr_array_unref(s->hostfwds);
        g_free(s);
        return NULL;
    }
    s->nc = nc;

    cfg.version = 4;
    cfg.restricted = c.restricted;
    cfg.in_enabled = c.ipv4;
    cfg.vnetwork = c.net;
    cfg.vnetmask = c.mask;
    cfg.vhost = c.host;
    cfg.in6_enabled = c.ipv6;
    cfg.vprefix_addr6 = c.prefix6;
    cfg.vprefix_len = (uint8_t)c.prefix6_len;
    cfg.vhost6 = c.host6;
    cfg.vhostname = hostname;
    cfg.tftp_server_name = tftp_name;
    cfg.tftp_path = tftp;
    cfg.bootfile = bootfile;
    cfg.vdhcp_start = c.dhcp;
    cfg.vnameserver = c.dns;
    cfg.vnameserver6 = c.dns6;
    cfg.vdnssearch = dnssearch[0] ? (const char **)dnssearch : NULL;
    cfg.vdomainname = domainname;
    if (!slirp_new(&cfg, &user_cb, s) || !s->slirp) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_FAILED,
                    "cannot start the user-mode network stack");
        emu_net_client_free(nc);
        return NULL;
    }
    for (size_t i = 0; hostfwd[i]; i++) {
        if (!user_hostfwd(s, hostfwd[i], error)) {
            emu_net_client_free(nc);
            return NULL;
        }
    }
    for (size_t i = 0; guestfwd[i]; i++) {
        if (!user_guestfwd(s, guestfwd[i], error)) {
            emu_net_client_free(nc);
            return NULL;
        }
    }
    if (smb && !user_smb(s, smb, c.smbsrv, error)) {
        emu_net_client_free(nc);
        return NULL;
    }
    s->source = g_source_new(&user_src_funcs, sizeof(UserSource));
    ((UserSource *)s->source)->s = s;
    g_source_set_name(s->source, "vmkit-slirp");
    if (net->m && net->m->io_ctx) {
        g_source_attach(s->source, net->m->io_ctx);
    }
    return nc;
}
