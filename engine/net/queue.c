/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue.c: a client's incoming queue — QEMU's net/queue.c contract: a frame
 * the receiver cannot take now is queued; the receiver flushes later and
 * the sender's callback runs; without a callback a full queue drops. */
#include "config.h"

#include <string.h>

#include "engine/net/net-internal.h"

typedef struct NetPacket {
    EmuNetClient *sender;
    EmuNetSentCb sent_cb;
    size_t size;
    uint8_t data[];
} NetPacket;

EmuNetQueue *emu_net_queue_new(EmuNetClient *owner)
{
    EmuNetQueue *q = g_new0(EmuNetQueue, 1);

    q->owner = owner;
    g_queue_init(&q->packets);
    return q;
}

void emu_net_queue_free(EmuNetQueue *q)
{
    if (!q) {
        return;
    }
    emu_net_queue_purge(q, NULL, true);
    g_free(q);
}

unsigned emu_net_queue_len(EmuNetQueue *q)
{
    return q->packets.length;
}

/* deliver: hands one frame to the owner (qemu_deliver_packet_iov). Returns
 * the length (consumed or dropped) or 0 (the owner refused: it stops
 * receiving until emu_net_flush_queue()). Counts on both ends. */
static ssize_t deliver(EmuNetQueue *q, EmuNetClient *sender,
                       const struct iovec *iov, int iovcnt, size_t size)
{
    EmuNetClient *rx = q->owner;
    EmuNetClientPriv *p = emu_net_priv(rx);
    ssize_t ret;

    if (rx->link_down) {
        rx->stats.rx_dropped++;
        return size;
    }
    if (p->receive_disabled) {
        return 0;
    }
    q->delivering = true;
    ret = rx->ops->receive(rx, iov, iovcnt);
    q->delivering = false;
    if (ret == 0) {
        p->receive_disabled = true;
        return 0;
    }
    if (ret < 0) {
        /* a receiver error: the frame is lost, not retried */
        rx->stats.rx_dropped++;
        if (sender) {
            sender->stats.tx_dropped++;
        }
        return size;
    }
    rx->stats.rx_packets++;
    rx->stats.rx_bytes += size;
    if (sender) {
        sender->stats.tx_packets++;
        sender->stats.tx_bytes += size;
    }
    return ret;
}

/* append: queues a copy; a frame without callback is dropped when the
 * queue is full (returns false). */
static bool append(EmuNetQueue *q, EmuNetClient *sender,
                   const struct iovec *iov, int iovcnt, size_t size,
                   EmuNetSentCb sent_cb)
{
    NetPacket *pkt;
    size_t off = 0;

    if (!sent_cb && q->packets.length &&
        (q->packets.length >= EMU_NET_QUEUE_MAX_FRAMES ||
         q->bytes + size > EMU_NET_QUEUE_MAX_BYTES)) {
        q->owner->stats.rx_dropped++;
        if (sender) {
            sender->stats.tx_dropped++;
        }
        return false;
    }
    pkt = g_malloc(sizeof(*pkt) + size);
    pkt->sender = sender;
    pkt->sent_cb = sent_cb;
    pkt->size = size;
    for (int i = 0; i < iovcnt; i++) {
        memcpy(pkt->data + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    g_queue_push_tail(&q->packets, pkt);
    q->bytes += size;
    return true;
}

static bool can_deliver(EmuNetQueue *q)
{
    EmuNetClient *rx = q->owner;

    if (emu_net_priv(rx)->receive_disabled) {
        return false;
    }
    return !rx->ops->can_receive || rx->ops->can_receive(rx);
}

ssize_t emu_net_queue_send(EmuNetQueue *q, EmuNetClient *sender,
                           const struct iovec *iov, int iovcnt, size_t size,
                           EmuNetSentCb sent_cb)
{
    ssize_t ret;

    /* Unlike QEMU, a new frame never overtakes queued ones: flush first. */
    if (!q->delivering && q->packets.length && can_deliver(q)) {
        emu_net_queue_flush(q);
    }
    if (q->delivering || q->packets.length || !can_deliver(q)) {
        return append(q, sender, iov, iovcnt, size, sent_cb) ? 0
                                                             : (ssize_t)size;
    }
    ret = deliver(q, sender, iov, iovcnt, size);
    if (ret == 0) {
        return append(q, sender, iov, iovcnt, size, sent_cb) ? 0
                                                             : (ssize_t)size;
    }
    return ret;
}

bool emu_net_queue_flush(EmuNetQueue *q)
{
    if (q->delivering) {
        return false;
    }
    while (q->packets.length) {
        NetPacket *pkt = g_queue_pop_head(&q->packets);
        struct iovec iov = {.iov_base = pkt->data, .iov_len = pkt->size};
        ssize_t ret;

        q->bytes -= pkt->size;
        ret = deliver(q, pkt->sender, &iov, 1, pkt->size);
        if (ret == 0) {
            g_queue_push_head(&q->packets, pkt);
            q->bytes += pkt->size;
            return false;
        }
        if (pkt->sent_cb) {
            pkt->sent_cb(pkt->sender, ret);
        }
        g_free(pkt);
    }
    return true;
}

void emu_net_queue_purge(EmuNetQueue *q, EmuNetClient *from, bool call_from_cb)
{
    GList *l = q->packets.head;

    while (l) {
        GList *next = l->next;
        NetPacket *pkt = l->data;

        if (!from || pkt->sender == from) {
            g_queue_delete_link(&q->packets, l);
            q->bytes -= pkt->size;
            if (pkt->sender) {
                pkt->sender->stats.tx_dropped++;
            }
            if (pkt->sent_cb && (call_from_cb || pkt->sender != from)) {
                pkt->sent_cb(pkt->sender, 0);
            }
            g_free(pkt);
        }
        l = next;
    }
}
