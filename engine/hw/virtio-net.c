/* SPDX-License-Identifier: GPL-2.0-or-later */
/* virtio-net.c: the virtio network device (virtio 1.2 §5.1) on either
 * transport — one receive and one transmit queue, MAC and link status in
 * the configuration space, mergeable receive buffers, no offloads. RX
 * applies the net layer's backpressure (a full ring queues in the core,
 * never drops); TX runs in bounded bursts and stops while the peer's queue
 * is full. The NIC client constructors for -device/-nic live here. */
#include "config.h"

#include <string.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/hw/pci.h"
#include "engine/hw/virt.h"
#include "engine/hw/virtio-slots.h"
#include "engine/hw/virtio.h"
#include "engine/net/eth.h"

/* §5.1.3 feature bits */
#define VIRTIO_NET_F_GUEST_CSUM 1 /* we may mark checksums validated */
#define VIRTIO_NET_F_MAC       5
#define VIRTIO_NET_F_MRG_RXBUF 15
#define VIRTIO_NET_F_STATUS    16

/* §5.1.4 configuration layout */
#define CFG_MAC              0
#define CFG_STATUS           6
#define CFG_MAX_VQ_PAIRS     8
#define CFG_MTU              10
#define CFG_LEN              12
#define VIRTIO_NET_S_LINK_UP 1

/* §5.1.6: with VERSION_1 the header is always struct
 * virtio_net_hdr_mrg_rxbuf: flags, gso_type, hdr_len, gso_size,
 * csum_start, csum_offset, num_buffers */
#define NET_HDR_LEN         12
#define NET_HDR_NUM_BUFFERS 10
#define VIRTIO_NET_HDR_F_DATA_VALID 2

#define RXQ                0
#define TXQ                1
#define QUEUE_SIZE_DEFAULT 256 /* QEMU's rx/tx_queue_size */
#define QUEUE_SIZE_MIN     256
#define TX_BURST           256 /* frames per TX run before yielding */

#define VIRTIO_NET_PCI_DEVICE_ID   (0x1040 + EMU_VIRTIO_ID_NET)
#define PCI_CLASS_NETWORK_ETHERNET 0x020000

typedef struct VirtioNet {
    EmuVirtioDevice vdev; /* first: vdev <-> VirtioNet */
    EmuNetClient *nc;
    const char *model; /* "virtio-net-pci" / "virtio-net-device" */
    uint8_t mac[6];
    bool pci;
    void *transport;
    bool tx_waiting;         /* the peer queued our frame: wait */
    GSource *tx_bh;          /* pending TX continuation */
    struct iovec *tx_iov;    /* EMU_VIRTQ_MAX_CHAIN entries */
    EmuVirtqElem **rx_elems; /* EMU_VIRTQ_MAX_SIZE entries */
    uint64_t tx_errors, rx_errors;
    uint8_t *csum_buf;       /* EMU_NET_MAX_FRAME: linearised RX frame */
} VirtioNet;

static VirtioNet *to_net(EmuVirtioDevice *vdev)
{
    return (VirtioNet *)vdev;
}

static size_t iov_size(const struct iovec *iov, int iovcnt)
{
    size_t len = 0;

    for (int i = 0; i < iovcnt; i++) {
        len += iov[i].iov_len;
    }
    return len;
}

/* ---- receive ---------------------------------------------------------------
 */

static bool rx_ready(VirtioNet *n)
{
    return emu_virtio_running(&n->vdev) && n->vdev.vqs[RXQ].ready;
}

static void rx_release(VirtioNet *n, unsigned count)
{
    EmuVirtqueue *vq = &n->vdev.vqs[RXQ];

    /* most recent first: each unpop steps last_avail_idx back once */
    while (count > 0) {
        emu_virtq_unpop(vq, n->rx_elems[--count]);
    }
}

/*
 * Copies one frame into the guest's receive buffers (§5.1.6.4): one chain
 * without MRG_RXBUF, else as many as it takes with num_buffers in the
 * header. Returns 0 — the core queues the frame and we flush it when the
 * driver adds buffers — while the buffers are short; drops (returns the
 * length) only a frame that can never fit.
 */
static ssize_t net_receive(EmuNetClient *nc, const struct iovec *iov,
                           int iovcnt)
{
    VirtioNet *n = nc->opaque;
    EmuVirtioDevice *vdev = &n->vdev;
    EmuVirtqueue *vq = &vdev->vqs[RXQ];
    bool mrg = emu_virtio_has_feature(vdev, VIRTIO_NET_F_MRG_RXBUF);
    size_t size = iov_size(iov, iovcnt), need = size + NET_HDR_LEN;
    size_t room = 0, done = 0;
    unsigned count = 0;
    uint8_t hdr[NET_HDR_LEN] = {0};
    struct iovec hiov = {hdr, NET_HDR_LEN};

    if (!rx_ready(n)) {
        return 0;
    }
    if (nc->link_down || size > EMU_NET_MAX_FRAME) {
        n->rx_errors += !nc->link_down;
        return size;
    }
    while (room < need && (mrg || count == 0) && count < vq->num) {
        EmuVirtqElem *elem = emu_virtq_pop(vq);

        if (!elem) {
            break;
        }
        n->rx_elems[count++] = elem;
        /* §5.1.6.3.1: receive buffers are device-writable only, and a
         * mergeable buffer holds at least the header */
        if (elem->out_num || !elem->in_num ||
            (mrg && elem->in_len < NET_HDR_LEN)) {
            emu_virtio_error(vdev,
                             "receive buffer %u is not a writable buffer of "
                             "at least %u bytes",
                             elem->head, NET_HDR_LEN);
            break;
        }
        room += elem->in_len;
    }
    if (vdev->broken) {
        rx_release(n, count);
        return 0; /* flushed after the driver's reset */
    }
    if (room < need) {
        /* all the ring could ever hold is not enough: never deliverable */
        bool hopeless = mrg ? count == vq->num : count == 1;

        rx_release(n, count);
        if (!hopeless) {
            return 0;
        }
        n->rx_errors++;
        emu_guest_error(&vdev->log, vdev->name,
                        "%zu-byte frame does not fit the receive buffers, "
                        "dropped",
                        size);
        return size;
    }
    /* receive-checksum offload (§5.1.6.4.1): the device validates the
     * TCP/UDP checksum natively and says so with DATA_VALID, sparing the
     * guest the (emulated) work; anything else the guest checks itself */
    if (emu_virtio_has_feature(vdev, VIRTIO_NET_F_GUEST_CSUM)) {
        const uint8_t *frame = iov[0].iov_base;
        if (iovcnt > 1) {
            size_t at = 0;
            for (int i = 0; i < iovcnt; i++) {
                memcpy(n->csum_buf + at, iov[i].iov_base, iov[i].iov_len);
                at += iov[i].iov_len;
            }
            frame = n->csum_buf;
        }
        if (emu_eth_l4_csum_ok(frame, size)) {
            hdr[0] = VIRTIO_NET_HDR_F_DATA_VALID;
        }
    }
    hdr[NET_HDR_NUM_BUFFERS] = mrg ? count : 1;
    hdr[NET_HDR_NUM_BUFFERS + 1] = mrg ? count >> 8 : 0;
    for (unsigned i = 0; i < count; i++) {
        EmuVirtqElem *elem = n->rx_elems[i];
        size_t off = 0, chunk;

        if (i == 0) {
            off = emu_virtq_write(vdev, elem, 0, &hiov, 1, 0, NET_HDR_LEN);
        }
        chunk = MIN(elem->in_len - off, size - done);
        chunk = emu_virtq_write(vdev, elem, off, iov, iovcnt, done, chunk);
        done += chunk;
        emu_virtq_push(vq, elem, off + chunk);
    }
    emu_virtq_flush(vq);
    return size;
}

static bool net_can_receive(EmuNetClient *nc)
{
    VirtioNet *n = nc->opaque;

    return rx_ready(n) && emu_virtq_avail(&n->vdev.vqs[RXQ]) > 0;
}

/* ---- transmit -------------------------------------------------------------
 */

static void tx_schedule(VirtioNet *n);

static void net_tx_sent(EmuNetClient *sender, ssize_t len)
{
    VirtioNet *n = sender->opaque;

    if (!n) { /* the NIC is going away */
        return;
    }
    n->tx_waiting = false;
    tx_schedule(n);
}

/* @dst = @src without its first @skip bytes; returns the entry count */
static int iov_skip(struct iovec *dst, const struct iovec *src, unsigned cnt,
                    size_t skip)
{
    int out = 0;

    for (unsigned i = 0; i < cnt; i++) {
        if (skip >= src[i].iov_len) {
            skip -= src[i].iov_len;
            continue;
        }
        dst[out].iov_base = (uint8_t *)src[i].iov_base + skip;
        dst[out].iov_len = src[i].iov_len - skip;
        skip = 0;
        out++;
    }
    return out;
}

/*
 * Sends up to TX_BURST frames from the transmit ring (§5.1.6.2), then
 * publishes them with one used-index update (one interrupt per burst).
 * Stops when the peer queued a frame (emu_net_sendv returned 0) until the
 * sent callback; a full burst yields to the I/O thread and continues from
 * a bottom half.
 */
static void net_flush_tx(VirtioNet *n)
{
    EmuVirtioDevice *vdev = &n->vdev;
    EmuVirtqueue *vq = &vdev->vqs[TXQ];
    unsigned done = 0;

    if (n->tx_waiting || !emu_virtio_running(vdev) || !vq->ready) {
        return;
    }
    while (done < TX_BURST) {
        EmuVirtqElem *elem = emu_virtq_pop(vq);
        size_t len;
        int cnt;

        if (!elem) {
            break;
        }
        if (elem->in_num) {
            emu_virtio_error(vdev,
                             "transmit chain %u has device-writable buffers",
                             elem->head);
            emu_virtq_elem_free(elem);
            break;
        }
        done++;
        len = elem->out_len;
        if (len <= NET_HDR_LEN || len - NET_HDR_LEN > EMU_NET_MAX_FRAME) {
            n->tx_errors++;
            n->nc->stats.tx_dropped++;
            emu_guest_error(&vdev->log, vdev->name,
                            "transmit chain %u of %zu bytes (header %u, max "
                            "frame %u) dropped",
                            elem->head, len, NET_HDR_LEN, EMU_NET_MAX_FRAME);
            emu_virtq_push(vq, elem, 0);
            continue;
        }
        /* no offloads negotiated: the header carries nothing we use */
        cnt = iov_skip(n->tx_iov, elem->out, elem->out_num, NET_HDR_LEN);
        if (emu_net_sendv(n->nc, n->tx_iov, cnt, net_tx_sent) == 0) {
            n->tx_waiting = true;
        }
        emu_virtq_push(vq, elem, 0);
        if (n->tx_waiting || vdev->broken) {
            break;
        }
    }
    emu_virtq_flush(vq);
    if (done == TX_BURST && !n->tx_waiting) {
        tx_schedule(n);
    }
}

static gboolean tx_bh_run(gpointer data)
{
    VirtioNet *n = data;
    EmuMachine *m = n->vdev.m;

    emu_machine_lock(m);
    g_source_unref(n->tx_bh);
    n->tx_bh = NULL;
    net_flush_tx(n);
    emu_machine_unlock(m);
    return G_SOURCE_REMOVE;
}

/* A bottom half we can cancel when the NIC goes away (emu_machine_bh()
 * has no handle to cancel). */
static void tx_schedule(VirtioNet *n)
{
    if (n->tx_bh) {
        return;
    }
    n->tx_bh = g_idle_source_new();
    g_source_set_priority(n->tx_bh, G_PRIORITY_DEFAULT);
    g_source_set_callback(n->tx_bh, tx_bh_run, n, NULL);
    g_source_attach(n->tx_bh, n->vdev.m->io_ctx);
}

/* ---- device hooks
 * ------------------------------------------------------------ */

static void net_queue_notify(EmuVirtioDevice *vdev, unsigned index)
{
    VirtioNet *n = to_net(vdev);

    if (index == RXQ) {
        /* new receive buffers: deliver what the core queued for us */
        emu_net_flush_queue(n->nc);
    } else if (index == TXQ) {
        net_flush_tx(n);
    }
}

static void net_status_changed(EmuVirtioDevice *vdev, uint8_t old)
{
    VirtioNet *n = to_net(vdev);

    if ((vdev->status & EMU_VIRTIO_STATUS_DRIVER_OK) &&
        !(old & EMU_VIRTIO_STATUS_DRIVER_OK)) {
        net_flush_tx(n);
        emu_net_flush_queue(n->nc);
    }
}

static void net_reset(EmuVirtioDevice *vdev)
{
    VirtioNet *n = to_net(vdev);

    n->tx_waiting = false;
}

static const EmuVirtioDeviceOps net_vdev_ops = {
    .queue_notify = net_queue_notify,
    .status_changed = net_status_changed,
    .reset = net_reset,
};

static void update_link(VirtioNet *n)
{
    uint8_t *st = &n->vdev.config[CFG_STATUS];
    uint8_t want = n->nc && n->nc->link_down ? 0 : VIRTIO_NET_S_LINK_UP;

    if ((*st & VIRTIO_NET_S_LINK_UP) != want) {
        *st = (*st & ~VIRTIO_NET_S_LINK_UP) | want;
        emu_virtio_config_changed(&n->vdev);
    }
}

/* ---- the NIC client
 * ---------------------------------------------------------- */

static void net_link_changed(EmuNetClient *nc)
{
    update_link(nc->opaque);
}

static void net_describe(EmuNetClient *nc, GString *out)
{
    VirtioNet *n = nc->opaque;

    g_string_append_printf(
        out, "model=%s,macaddr=%02x:%02x:%02x:%02x:%02x:%02x", n->model,
        n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5]);
}

/* The core frees the NIC client when the machine goes away; the device
 * goes with it. Thread: main thread, harts and I/O thread stopped. */
static void net_cleanup(EmuNetClient *nc)
{
    VirtioNet *n = nc->opaque;

    if (!n) {
        return;
    }
    if (n->tx_bh) {
        g_source_destroy(n->tx_bh);
        g_source_unref(n->tx_bh);
    }
    if (n->transport) {
        if (n->pci) {
            emu_virtio_pci_free(n->transport);
        } else {
            emu_virtio_mmio_free(n->transport);
        }
    }
    emu_virtio_cleanup(&n->vdev);
    g_free(n->tx_iov);
    g_free(n->rx_elems);
    g_free(n->csum_buf);
    g_free(n);
    nc->opaque = NULL;
}

/* The function left the bus after a hot-unplug (I/O thread, device lock
 * held): the NIC goes the way it goes at exit. */
static void net_unplug(void *opaque)
{
    emu_net_nic_unplug(opaque);
}

static const EmuNetClientOps net_client_ops = {
    .kind = EMU_NET_CLIENT_NIC,
    .receive = net_receive,
    .can_receive = net_can_receive,
    .link_changed = net_link_changed,
    .describe = net_describe,
    .cleanup = net_cleanup,
};

/* ---- options and construction
 * ------------------------------------------------ */

typedef struct NetOptions {
    const char *bus; /* PCI: bus=, NULL for pcie.0 */
    int devfn; /* PCI: addr=, -1 auto */
    int slot;  /* MMIO: bus=virtio-mmio-bus.N, -1 auto */
    bool mrg_rxbuf, status, indirect_desc, guest_csum;
    uint16_t rx_size, tx_size;
} NetOptions;

static bool parse_queue_size(EmuOpts *opts, const char *key, uint16_t *out,
                             GError **error)
{
    const char *v = opts ? emu_opts_get(opts, key) : NULL;
    guint64 x;

    *out = QUEUE_SIZE_DEFAULT;
    if (!v) {
        return true;
    }
    if (!g_ascii_string_to_unsigned(v, 10, QUEUE_SIZE_MIN, EMU_VIRTQ_MAX_SIZE,
                                    &x, NULL) ||
        (x & (x - 1))) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID,
                    "%s=%s: must be a power of two from %u to %u", key, v,
                    QUEUE_SIZE_MIN, EMU_VIRTQ_MAX_SIZE);
        return false;
    }
    *out = x;
    return true;
}

static bool parse_options(EmuOpts *opts, bool pci, NetOptions *o,
                          GError **error)
{
    const char *v;

    o->bus = NULL;
    o->devfn = -1;
    o->slot = -1;
    o->mrg_rxbuf = o->status = o->indirect_desc = o->guest_csum = true;
    if (!parse_queue_size(opts, "rx_queue_size", &o->rx_size, error) ||
        !parse_queue_size(opts, "tx_queue_size", &o->tx_size, error)) {
        return false;
    }
    if (!opts) {
        return true;
    }
    if (!emu_opts_get_bool(opts, "mrg_rxbuf", true, &o->mrg_rxbuf, error) ||
        !emu_opts_get_bool(opts, "status", true, &o->status, error) ||
        !emu_opts_get_bool(opts, "guest_csum", true, &o->guest_csum,
                           error) ||
        !emu_opts_get_bool(opts, "indirect_desc", true, &o->indirect_desc,
                           error)) {
        return false;
    }
    v = emu_opts_get(opts, "bus");
    if (pci) {
        /* pcie.0 or a pcie-root-port's id: the PCI core checks it */
        o->bus = v;
        v = emu_opts_get(opts, "addr");
        if (v && !emu_pci_parse_addr(v, &o->devfn, error)) {
            return false;
        }
        /* option ROMs do not exist on this board; libvirt passes "" */
        (void)emu_opts_get(opts, "romfile");
    } else if (v) {
        guint64 slot;

        if (!g_str_has_prefix(v, "virtio-mmio-bus.") ||
            !g_ascii_string_to_unsigned(v + strlen("virtio-mmio-bus."), 10, 0,
                                        (EMU_VIRTIO_SLOT_MAX - 1), &slot,
                                        NULL)) {
            g_set_error(error, EMU_ERROR, EMU_ERROR_NOT_FOUND,
                        "bus=%s: expected virtio-mmio-bus.0 to "
                        "virtio-mmio-bus.%u",
                        v, (EMU_VIRTIO_SLOT_MAX - 1));
            return false;
        }
        o->slot = slot;
    }
    /* the net core reports the keys nobody used */
    return true;
}

/* QEMU names an anonymous NIC "<model>.<n>" (net/net.c assign_name). */
static char *nic_name(EmuNet *net, const char *model, const char *id)
{
    if (id && *id) {
        return g_strdup(id);
    }
    for (unsigned i = 0;; i++) {
        char *name = g_strdup_printf("%s.%u", model, i);

        if (!emu_net_find(net, name)) {
            return name;
        }
        g_free(name);
    }
}

static bool net_create(EmuMachine *m, EmuNetClient *peer, const uint8_t *mac,
                       const char *id, EmuOpts *opts, bool pci, GError **error)
{
    static const uint8_t default_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    const char *model = pci ? "virtio-net-pci" : "virtio-net-device";
    g_autofree char *name = NULL;
    uint64_t features = EMU_VIRTIO_BIT(VIRTIO_NET_F_MAC);
    uint16_t sizes[2];
    NetOptions o;
    VirtioNet *n;

    if (!m->net) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_UNSUPPORTED,
                    "%s: the machine has no network layer", model);
        return false;
    }
    if (!parse_options(opts, pci, &o, error)) {
        return false;
    }
    if (o.mrg_rxbuf) {
        features |= EMU_VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF);
    }
    if (o.status) {
        features |= EMU_VIRTIO_BIT(VIRTIO_NET_F_STATUS);
    }
    if (o.guest_csum) {
        features |= EMU_VIRTIO_BIT(VIRTIO_NET_F_GUEST_CSUM);
    }
    if (o.indirect_desc) {
        features |= EMU_VIRTIO_BIT(EMU_VIRTIO_F_INDIRECT_DESC);
    }
    sizes[RXQ] = o.rx_size;
    sizes[TXQ] = o.tx_size;
    name = nic_name(m->net, model, id);

    n = g_new0(VirtioNet, 1);
    n->model = model;
    n->pci = pci;
    memcpy(n->mac, mac ? mac : default_mac, 6);
    n->tx_iov = g_new(struct iovec, EMU_VIRTQ_MAX_CHAIN);
    n->rx_elems = g_new(EmuVirtqElem *, EMU_VIRTQ_MAX_SIZE);
    n->csum_buf = g_malloc(EMU_NET_MAX_FRAME);
    emu_virtio_init(&n->vdev, m, name, EMU_VIRTIO_ID_NET, features, 2, sizes,
                    CFG_LEN, &net_vdev_ops);
    memcpy(n->vdev.config + CFG_MAC, n->mac, 6);
    n->vdev.config[CFG_MAX_VQ_PAIRS] = 1;
    n->vdev.config[CFG_MTU] = 1500 & 0xff;
    n->vdev.config[CFG_MTU + 1] = 1500 >> 8;

    /* the client first: its name and peer are checked before the board
     * gets a device it could not take back */
    n->nc = emu_net_client_new(m->net, &net_client_ops, name, peer, n, error);
    if (!n->nc) {
        emu_virtio_cleanup(&n->vdev);
        g_free(n->tx_iov);
        g_free(n->rx_elems);
        g_free(n->csum_buf);
        g_free(n);
        return false;
    }
    n->vdev.config[CFG_STATUS] = n->nc->link_down ? 0 : VIRTIO_NET_S_LINK_UP;
    if (pci) {
        n->transport = emu_virtio_pci_new(
            &n->vdev, emu_virt_pci_host(m), o.bus, o.devfn,
            VIRTIO_NET_PCI_DEVICE_ID, PCI_CLASS_NETWORK_ETHERNET, error);
    } else {
        n->transport = emu_virtio_mmio_new(&n->vdev, emu_virt_virtio_slots(m),
                                           o.slot, error);
    }
    if (!n->transport) {
        emu_net_client_free(n->nc); /* frees n through net_cleanup */
        return false;
    }
    if (pci) {
        /* device_del: the net core frees the client, and n with it */
        emu_pci_set_hotplug(emu_virtio_pci_device(n->transport), name,
                            net_unplug, n->nc);
    }
    return true;
}

bool emu_virtio_net_pci_create(EmuMachine *m, EmuNetClient *peer,
                               const uint8_t *mac, const char *id,
                               EmuOpts *opts, GError **error)
{
    return net_create(m, peer, mac, id, opts, true, error);
}

bool emu_virtio_net_mmio_create(EmuMachine *m, EmuNetClient *peer,
                                const uint8_t *mac, const char *id,
                                EmuOpts *opts, GError **error)
{
    return net_create(m, peer, mac, id, opts, false, error);
}
