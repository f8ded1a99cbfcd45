/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemon/hub.c: daemon-wide hubs: vmd-resident switches joining VMs. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "daemon/dbus.h"
#include "daemon/error.h"
#include "daemon/hub.h"

/*
 * The forwarding rule is QEMU's net/hub.c (net_hub_receive): every port
 * but the source. Unlike QEMU's in-process hub, a receiver here is another
 * process that may stop reading; its queue is bounded and overflow drops
 * (libvirt/QEMU count those as the receiver's tx drops).
 */

typedef struct {
    guint8 *data; /* 4-byte length + frame */
    gsize len;
} VmdHubFrame;

typedef struct {
    VmdHub *hub;
    char *name, *peer, *vm;
    char *path;    /* the listening socket's path (unlinked at the end) */
    int listen_fd; /* where the engine connects (and reconnects) */
    guint listen_watch;
    int fd; /* the engine's connection; -1 while there is none */
    guint watch;
    GIOCondition watching;
    guint8 *rbuf; /* 4 + VMD_HUB_MAX_FRAME */
    gsize rlen;
    GQueue outq; /* VmdHubFrame */
    gsize out_off, out_bytes;
    gboolean attached;
    guint64 rx_packets, rx_bytes, tx_packets, tx_bytes, drops;
} VmdHubPort;

struct _VmdHub {
    VmdHubs *hubs;
    char *name;
    char *path;
    GPtrArray *ports; /* VmdHubPort, attach order */
};

struct _VmdHubs {
    gint ref;
    char *dir;
    GHashTable *by_name; /* name -> VmdHub (owned) */
    VmdHubsChangedFunc changed;
    gpointer changed_data;
};

static void vmd_hub_port_watch(VmdHubPort *port);

static void vmd_hubs_notify(VmdHub *hub, const char *what)
{
    if (hub->hubs->changed != NULL) {
        hub->hubs->changed(hub->hubs, hub, what, hub->hubs->changed_data);
    }
}

/* ---- ports: the data path ------------------------------------------------ */

static void vmd_hub_frame_free(gpointer p)
{
    VmdHubFrame *f = p;

    g_free(f->data);
    g_free(f);
}

/* The connection is over (EOF, error, protocol violation). */
static void vmd_hub_port_close(VmdHubPort *port)
{
    if (port->watch != 0) {
        g_source_remove(port->watch);
        port->watch = 0;
    }
    port->watching = 0;
    if (port->fd >= 0) {
        close(port->fd);
        port->fd = -1;
    }
    g_queue_clear_full(&port->outq, vmd_hub_frame_free);
    port->out_off = 0;
    port->out_bytes = 0;
}

static void vmd_hub_port_free(gpointer p)
{
    VmdHubPort *port = p;

    vmd_hub_port_close(port);
    if (port->listen_watch != 0) {
        g_source_remove(port->listen_watch);
    }
    if (port->listen_fd >= 0) {
        close(port->listen_fd);
        g_unlink(port->path);
    }
    g_free(port->path);
    g_free(port->rbuf);
    g_free(port->name);
    g_free(port->peer);
    g_free(port->vm);
    g_free(port);
}

/* Writes what the socket takes. Returns FALSE if the port was closed. */
static gboolean vmd_hub_port_flush(VmdHubPort *port)
{
    while (!g_queue_is_empty(&port->outq)) {
        VmdHubFrame *f = g_queue_peek_head(&port->outq);
        ssize_t n = send(port->fd, f->data + port->out_off,
                         f->len - port->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        }
        if (n < 0) {
            g_debug("hub %s: port %s: %s", port->hub->name, port->name,
                    g_strerror(errno));
            vmd_hub_port_close(port);
            return FALSE;
        }
        port->out_off += (gsize)n;
        if (port->out_off == f->len) {
            port->tx_packets++;
            port->tx_bytes += f->len - 4;
            port->out_bytes -= f->len;
            port->out_off = 0;
            vmd_hub_frame_free(g_queue_pop_head(&port->outq));
        }
    }
    vmd_hub_port_watch(port);
    return TRUE;
}

static void vmd_hub_port_enqueue(VmdHubPort *port, const guint8 *frame,
                                 gsize len)
{
    VmdHubFrame *f;

    if (port->fd < 0) {
        return; /* gone: nobody to count for */
    }
    if (!port->attached ||
        g_queue_get_length(&port->outq) >= VMD_HUB_QUEUE_FRAMES ||
        port->out_bytes + len + 4 > VMD_HUB_QUEUE_BYTES) {
        port->drops++;
        return;
    }
    f = g_new(VmdHubFrame, 1);
    f->len = len + 4;
    f->data = g_malloc(f->len);
    f->data[0] = (guint8)(len >> 24);
    f->data[1] = (guint8)(len >> 16);
    f->data[2] = (guint8)(len >> 8);
    f->data[3] = (guint8)len;
    memcpy(f->data + 4, frame, len);
    g_queue_push_tail(&port->outq, f);
    port->out_bytes += f->len;
    vmd_hub_port_flush(port);
}

/* QEMU's net_hub_receive: to every port but the source. */
static void vmd_hub_forward(VmdHubPort *src, const guint8 *frame, gsize len)
{
    VmdHub *hub = src->hub;

    src->rx_packets++;
    src->rx_bytes += len;
    if (!src->attached) {
        src->drops++;
        return;
    }
    for (guint i = 0; i < hub->ports->len; i++) {
        VmdHubPort *port = g_ptr_array_index(hub->ports, i);

        if (port != src) {
            vmd_hub_port_enqueue(port, frame, len);
        }
    }
}

/* Reads one burst; forwards every whole frame. FALSE: port closed. */
static gboolean vmd_hub_port_read(VmdHubPort *port)
{
    for (guint burst = 0; burst < VMD_HUB_READ_BURST; burst++) {
        gsize off = 0;
        ssize_t n = recv(port->fd, port->rbuf + port->rlen,
                         4 + VMD_HUB_MAX_FRAME - port->rlen, MSG_DONTWAIT);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return TRUE;
        }
        if (n <= 0) {
            g_debug("hub %s: port %s: %s", port->hub->name, port->name,
                    n == 0 ? "end of stream" : g_strerror(errno));
            vmd_hub_port_close(port);
            return FALSE;
        }
        port->rlen += (gsize)n;
        while (port->rlen - off >= 4) {
            const guint8 *p = port->rbuf + off;
            guint32 len = ((guint32)p[0] << 24) | ((guint32)p[1] << 16) |
                          ((guint32)p[2] << 8) | p[3];

            if (len == 0 || len > VMD_HUB_MAX_FRAME) {
                g_message(_("hub '%s': port %s sent a frame of %u bytes; "
                            "closing it"),
                          port->hub->name, port->name, len);
                vmd_hub_port_close(port);
                return FALSE;
            }
            if (port->rlen - off < 4 + (gsize)len) {
                break;
            }
            /* forwarding may close other ports, never this one */
            vmd_hub_forward(port, p + 4, len);
            off += 4 + len;
        }
        if (off > 0) {
            memmove(port->rbuf, port->rbuf + off, port->rlen - off);
            port->rlen -= off;
        }
    }
    return TRUE;
}

static gboolean vmd_hub_port_ready(int fd, GIOCondition cond, gpointer data)
{
    VmdHubPort *port = data;

    if ((cond & (G_IO_ERR | G_IO_HUP)) != 0 && (cond & G_IO_IN) == 0) {
        port->watch = 0; /* returning REMOVE */
        vmd_hub_port_close(port);
        return G_SOURCE_REMOVE;
    }
    if ((cond & G_IO_OUT) != 0 && !vmd_hub_port_flush(port)) {
        return G_SOURCE_REMOVE; /* closed: watch already removed */
    }
    if ((cond & G_IO_IN) != 0 && !vmd_hub_port_read(port)) {
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* Always reading; writing only while something is queued. */
static void vmd_hub_port_watch(VmdHubPort *port)
{
    GIOCondition want = G_IO_IN | G_IO_HUP | G_IO_ERR;

    if (port->fd < 0) {
        return;
    }
    if (!g_queue_is_empty(&port->outq)) {
        want |= G_IO_OUT;
    }
    if (port->watch != 0 && want == port->watching) {
        return;
    }
    if (port->watch != 0) {
        g_source_remove(port->watch);
    }
    port->watch = g_unix_fd_add(port->fd, want, vmd_hub_port_ready, port);
    port->watching = want;
}

/* ---- ports: management --------------------------------------------------- */

static VmdHubPort *vmd_hub_port_lookup(VmdHub *hub, const char *name,
                                       guint *idx)
{
    for (guint i = 0; i < hub->ports->len; i++) {
        VmdHubPort *port = g_ptr_array_index(hub->ports, i);

        if (strcmp(port->name, name) == 0) {
            if (idx != NULL) {
                *idx = i;
            }
            return port;
        }
    }
    return NULL;
}

/*
 * The engine (a client with reconnect=, engine/net/stream.c) connected. One
 * connection per port: while one is up, others are closed at once.
 */
static gboolean vmd_hub_port_accept(int lfd, GIOCondition cond, gpointer data)
{
    VmdHubPort *port = data;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0) {
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK &&
            errno != ECONNABORTED) {
            g_debug("hub %s: port %s: accept: %s", port->hub->name, port->name,
                    g_strerror(errno));
        }
        return G_SOURCE_CONTINUE;
    }
    if (port->fd >= 0) {
        g_debug("hub %s: port %s: refusing a second connection",
                port->hub->name, port->name);
        close(fd);
        return G_SOURCE_CONTINUE;
    }
    g_debug("hub %s: port %s: engine connected", port->hub->name, port->name);
    port->fd = fd;
    port->rlen = 0;
    vmd_hub_port_watch(port);
    return G_SOURCE_CONTINUE;
}

/* A listening AF_UNIX stream socket at @path (a stale one is replaced). */
static int vmd_hub_listen(VmdHub *hub, const char *path, GError **error)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd, err;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("the hub socket path %s is too long"), path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        goto fail;
    }
    /* left by a vmd that did not exit cleanly */
    if (g_unlink(path) < 0 && errno != ENOENT) {
        goto fail;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
        goto fail;
    }
    return fd;
fail:
    err = errno;
    if (fd >= 0) {
        close(fd);
    }
    g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                _("hub '%s': cannot listen on %s: %s"), hub->name, path,
                g_strerror(err));
    return -1;
}

gboolean vmd_hub_add_port(VmdHub *hub, const char *domain, const char *vm,
                          const char *peer, const char *path, GError **error)
{
    g_autofree char *name = g_strdup_printf("%s.%s", domain, peer);
    VmdHubPort *port;
    int lfd;

    if (vmd_hub_port_lookup(hub, name, NULL) != NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_EXISTS,
                    _("hub '%s' already has a port %s"), hub->name, name);
        return FALSE;
    }
    if (hub->ports->len >= VMD_HUB_MAX_PORTS) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                    _("hub '%s' has the maximum of %u ports"), hub->name,
                    VMD_HUB_MAX_PORTS);
        return FALSE;
    }
    lfd = vmd_hub_listen(hub, path, error);
    if (lfd < 0) {
        return FALSE;
    }
    port = g_new0(VmdHubPort, 1);
    port->hub = hub;
    port->name = g_steal_pointer(&name);
    port->peer = g_strdup(peer);
    port->vm = g_strdup(vm);
    port->path = g_strdup(path);
    port->listen_fd = lfd;
    port->listen_watch = g_unix_fd_add(lfd, G_IO_IN, vmd_hub_port_accept, port);
    port->fd = -1;
    port->rbuf = g_malloc(4 + VMD_HUB_MAX_FRAME);
    port->attached = TRUE;
    g_queue_init(&port->outq);
    g_ptr_array_add(hub->ports, port);
    vmd_hubs_notify(hub, "ports");
    return TRUE;
}

void vmd_hub_remove_port(VmdHub *hub, const char *name)
{
    guint idx;

    if (vmd_hub_port_lookup(hub, name, &idx) == NULL) {
        return;
    }
    g_ptr_array_remove_index(hub->ports, idx);
    vmd_hubs_notify(hub, "ports");
}

const char *vmd_hub_find_port(VmdHub *hub, const char *vm, const char *peer)
{
    for (guint i = 0; i < hub->ports->len; i++) {
        VmdHubPort *port = g_ptr_array_index(hub->ports, i);

        if (strcmp(port->vm, vm) == 0 && strcmp(port->peer, peer) == 0) {
            return port->name;
        }
    }
    return NULL;
}

gboolean vmd_hub_set_port_attached(VmdHub *hub, const char *name,
                                   gboolean attached, GError **error)
{
    VmdHubPort *port = vmd_hub_port_lookup(hub, name, NULL);

    if (port == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                    _("hub '%s' has no port '%s'"), hub->name, name);
        return FALSE;
    }
    if (port->attached != attached) {
        port->attached = attached;
        if (!attached) {
            /* what was queued for it is not delivered either */
            port->drops += g_queue_get_length(&port->outq);
            g_queue_clear_full(&port->outq, vmd_hub_frame_free);
            port->out_off = 0;
            port->out_bytes = 0;
            vmd_hub_port_watch(port);
        }
        vmd_hubs_notify(hub, "ports");
    }
    return TRUE;
}

GArray *vmd_hub_get_ports(VmdHub *hub)
{
    GArray *out =
        g_array_sized_new(FALSE, TRUE, sizeof(VmdHubPortInfo), hub->ports->len);

    for (guint i = 0; i < hub->ports->len; i++) {
        VmdHubPort *port = g_ptr_array_index(hub->ports, i);
        VmdHubPortInfo info = {
            .name = port->name,
            .peer = port->peer,
            .kind = port->attached ? "vm" : "detached",
            .vm = port->vm,
            .rx_packets = port->rx_packets,
            .rx_bytes = port->rx_bytes,
            .tx_packets = port->tx_packets,
            .tx_bytes = port->tx_bytes,
            .drops = port->drops,
        };

        g_array_append_val(out, info);
    }
    return out;
}

guint vmd_hub_n_ports(VmdHub *hub)
{
    return hub->ports->len;
}

const char *vmd_hub_get_name(VmdHub *hub)
{
    return hub->name;
}

const char *vmd_hub_get_path(VmdHub *hub)
{
    return hub->path;
}

/* ---- the registry -------------------------------------------------------- */

static gboolean vmd_hub_name_check(const char *name, GError **error)
{
    gsize len = strlen(name);

    if (len == 0 || len > VMD_HUB_NAME_MAX || name[0] == '.' ||
        strpbrk(name, "/<>&") != NULL || !g_utf8_validate(name, -1, NULL)) {
        goto bad;
    }
    for (const char *p = name; *p != '\0'; p++) {
        if ((guchar)*p < 0x20 || *p == 0x7f) {
            goto bad;
        }
    }
    return TRUE;
bad:
    g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_ARGUMENT,
                _("'%s' is not a valid hub name (1 to %u bytes, none of "
                  "/<>&, no leading '.', no control characters)"),
                name, VMD_HUB_NAME_MAX);
    return FALSE;
}

static void vmd_hub_free(gpointer p)
{
    VmdHub *hub = p;

    g_ptr_array_unref(hub->ports);
    g_free(hub->name);
    g_free(hub->path);
    g_free(hub);
}

static char *vmd_hub_file(VmdHubs *hubs, const char *name)
{
    g_autofree char *base = g_strconcat(name, ".xml", NULL);

    return g_build_filename(hubs->dir, base, NULL);
}

static VmdHub *vmd_hubs_add(VmdHubs *hubs, const char *name)
{
    VmdHub *hub = g_new0(VmdHub, 1);
    g_autofree char *esc = g_dbus_escape_object_path(name);

    hub->hubs = hubs;
    hub->name = g_strdup(name);
    hub->path = g_strconcat(VMD_DBUS_PATH "/hub/", esc, NULL);
    hub->ports = g_ptr_array_new_with_free_func(vmd_hub_port_free);
    g_hash_table_insert(hubs->by_name, hub->name, hub);
    return hub;
}

/* DIR/NAME.xml: <network><name>NAME</name></network> */
static void vmd_hubs_load(VmdHubs *hubs)
{
    g_autoptr(GDir) dir = g_dir_open(hubs->dir, 0, NULL);
    const char *entry;

    while (dir != NULL && (entry = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = NULL;
        g_autofree char *text = NULL;
        g_autofree char *name = NULL;
        const char *a, *b;

        if (!g_str_has_suffix(entry, ".xml")) {
            continue;
        }
        path = g_build_filename(hubs->dir, entry, NULL);
        if (!g_file_get_contents(path, &text, NULL, NULL) ||
            (a = strstr(text, "<name>")) == NULL ||
            (b = strstr(a, "</name>")) == NULL) {
            g_warning(_("ignoring the hub file %s"), path);
            continue;
        }
        name = g_strndup(a + 6, b - (a + 6));
        if (!vmd_hub_name_check(name, NULL) ||
            g_hash_table_contains(hubs->by_name, name)) {
            g_warning(_("ignoring the hub file %s"), path);
            continue;
        }
        vmd_hubs_add(hubs, name);
    }
}

VmdHubs *vmd_hubs_new(const char *dir)
{
    VmdHubs *hubs = g_new0(VmdHubs, 1);

    hubs->ref = 1;
    hubs->by_name =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, vmd_hub_free);
    if (dir != NULL) {
        hubs->dir = g_strdup(dir);
        if (g_mkdir_with_parents(dir, 0700) < 0) {
            g_warning(_("cannot create %s: %s"), dir, g_strerror(errno));
        }
        vmd_hubs_load(hubs);
    }
    return hubs;
}

VmdHubs *vmd_hubs_ref(VmdHubs *hubs)
{
    hubs->ref++;
    return hubs;
}

void vmd_hubs_unref(VmdHubs *hubs)
{
    if (hubs == NULL || --hubs->ref > 0) {
        return;
    }
    g_hash_table_unref(hubs->by_name);
    g_free(hubs->dir);
    g_free(hubs);
}

void vmd_hubs_set_listener(VmdHubs *hubs, VmdHubsChangedFunc func,
                           gpointer user_data)
{
    hubs->changed = func;
    hubs->changed_data = user_data;
}

VmdHub *vmd_hubs_create(VmdHubs *hubs, const char *name, GError **error)
{
    VmdHub *hub;

    if (!vmd_hub_name_check(name, error)) {
        return NULL;
    }
    if (g_hash_table_contains(hubs->by_name, name)) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_EXISTS,
                    _("a hub named '%s' already exists"), name);
        return NULL;
    }
    if (hubs->dir != NULL) {
        g_autofree char *path = vmd_hub_file(hubs, name);
        g_autofree char *xml =
            g_strdup_printf("<!-- vmkit daemon hub: written by vmd -->\n"
                            "<network>\n  <name>%s</name>\n</network>\n",
                            name);

        if (!g_file_set_contents_full(
                path, xml, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)) {
            g_prefix_error(error, _("cannot store the hub '%s': "), name);
            return NULL;
        }
    }
    hub = vmd_hubs_add(hubs, name);
    vmd_hubs_notify(hub, "created");
    return hub;
}

gboolean vmd_hubs_destroy(VmdHubs *hubs, const char *name, GError **error)
{
    VmdHub *hub = vmd_hubs_lookup(hubs, name);

    if (hub == NULL) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_NO_HUB, _("no hub named '%s'"),
                    name);
        return FALSE;
    }
    if (hub->ports->len > 0) {
        g_set_error(error, VMD_ERROR, VMD_ERROR_INVALID_STATE,
                    _("hub '%s' still has %u port(s) (running domains use "
                      "it)"),
                    name, hub->ports->len);
        return FALSE;
    }
    if (hubs->dir != NULL) {
        g_autofree char *path = vmd_hub_file(hubs, name);

        if (g_unlink(path) < 0 && errno != ENOENT) {
            int err = errno;

            g_set_error(error, VMD_ERROR, VMD_ERROR_FAILED,
                        _("cannot remove %s: %s"), path, g_strerror(err));
            return FALSE;
        }
    }
    vmd_hubs_notify(hub, "destroyed");
    g_hash_table_remove(hubs->by_name, name);
    return TRUE;
}

VmdHub *vmd_hubs_lookup(VmdHubs *hubs, const char *name)
{
    return g_hash_table_lookup(hubs->by_name, name);
}

VmdHub *vmd_hubs_lookup_by_path(VmdHubs *hubs, const char *path)
{
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, hubs->by_name);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        VmdHub *hub = value;

        if (strcmp(hub->path, path) == 0) {
            return hub;
        }
    }
    return NULL;
}

static gint vmd_hub_cmp(gconstpointer a, gconstpointer b)
{
    const VmdHub *x = *(VmdHub *const *)a;
    const VmdHub *y = *(VmdHub *const *)b;

    return strcmp(x->name, y->name);
}

GPtrArray *vmd_hubs_list(VmdHubs *hubs)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, hubs->by_name);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        g_ptr_array_add(list, value);
    }
    g_ptr_array_sort(list, vmd_hub_cmp);
    return list;
}
