/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nic-test.h: the board the NIC device tests (e1000, virtio) drive — a
 * virt machine with RAM and a test peer client standing in for a backend,
 * guest-RAM (DMA) access as the guest CPU sees it, PCI configuration space
 * through the ECAM and the PLIC's view of an interrupt line. Register
 * access under the device lock is hw-test.h's hw_rd()/hw_wr(). */
#ifndef TESTS_NIC_TEST_H
#define TESTS_NIC_TEST_H

#include <string.h>
#include <glib.h>

#include "emu-error.h"
#include "emu-net.h"
#include "engine/core/machine.h"
#include "engine/core/memory.h"
#include "engine/hw/pci.h"
#include "engine/hw/plic.h"
#include "engine/hw/virt.h"
#include "tests/engine/hw/hw-test.h"

/* the virt board's memory map (engine/hw/virt.c) */
#define RAM_BASE  0x80000000ULL
#define RAM_SIZE  (64ULL << 20)
#define ECAM      0x30000000ULL
#define PCI_MMIO  0x40000000ULL
#define PLIC_BASE 0x0c000000ULL

#define NIC_SLOT 1 /* the first free PCI slot, where the NIC lands */

/* ---- guest RAM, as the guest CPU sees it --------------------------------- */

static inline void gw(EmuMachine *m, uint64_t a, const void *p, size_t n)
{
    g_assert_true(emu_mem_write(m, a, p, n));
}

static inline void gr(EmuMachine *m, uint64_t a, void *p, size_t n)
{
    g_assert_true(emu_mem_read(m, a, p, n));
}

static inline void gw16(EmuMachine *m, uint64_t a, uint16_t v)
{
    uint16_t le = GUINT16_TO_LE(v);
    gw(m, a, &le, 2);
}

static inline void gw32(EmuMachine *m, uint64_t a, uint32_t v)
{
    uint32_t le = GUINT32_TO_LE(v);
    gw(m, a, &le, 4);
}

static inline void gw64(EmuMachine *m, uint64_t a, uint64_t v)
{
    uint64_t le = GUINT64_TO_LE(v);
    gw(m, a, &le, 8);
}

static inline uint8_t gr8(EmuMachine *m, uint64_t a)
{
    uint8_t v;
    gr(m, a, &v, 1);
    return v;
}

static inline uint16_t gr16(EmuMachine *m, uint64_t a)
{
    uint16_t v;
    gr(m, a, &v, 2);
    return GUINT16_FROM_LE(v);
}

static inline uint32_t gr32(EmuMachine *m, uint64_t a)
{
    uint32_t v;
    gr(m, a, &v, 4);
    return GUINT32_FROM_LE(v);
}

/* ---- the peer: a backend stand-in that records what the NIC sends -------- */

typedef struct Peer {
    EmuNetClient *nc;
    GPtrArray *frames; /* GBytes, in arrival order */
    bool refuse;       /* receive() returns 0 (a full backend) */
    unsigned sent_cbs; /* our queued frames the NIC took */
    ssize_t last_sent; /* emu_net_send()'s last answer */
    bool blocked;      /* a send returned 0, no sent callback yet */
} Peer;

static inline ssize_t peer_receive(EmuNetClient *nc, const struct iovec *iov,
                                   int iovcnt)
{
    Peer *p = nc->opaque;
    GByteArray *b;
    size_t len;

    if (p->refuse) {
        return 0;
    }
    b = g_byte_array_new();
    for (int i = 0; i < iovcnt; i++) {
        g_byte_array_append(b, iov[i].iov_base, iov[i].iov_len);
    }
    len = b->len;
    g_ptr_array_add(p->frames, g_byte_array_free_to_bytes(b));
    return len;
}

static const EmuNetClientOps peer_ops = {
    .kind = EMU_NET_CLIENT_USER,
    .receive = peer_receive,
};

static inline void peer_sent(EmuNetClient *nc, ssize_t len)
{
    Peer *p = nc->opaque;

    p->sent_cbs++;
    p->blocked = false;
    (void)len;
}

/* sends one frame to the NIC; returns emu_net_send()'s answer */
static inline ssize_t peer_send(EmuMachine *m, Peer *p, const void *buf,
                                size_t len)
{
    ssize_t r;

    emu_machine_lock(m);
    r = emu_net_send(p->nc, buf, len, peer_sent);
    emu_machine_unlock(m);
    p->last_sent = r;
    if (r == 0) {
        p->blocked = true;
    }
    return r;
}

static inline GBytes *peer_frame(Peer *p, unsigned i)
{
    g_assert_cmpuint(i, <, p->frames->len);
    return g_ptr_array_index(p->frames, i);
}

/* ---- the board ----------------------------------------------------------- */

/* a virt board with RAM_SIZE of RAM and no firmware, its network core and
 * @peer connected to it as "peer0"; *@net is the network core */
static inline EmuMachine *nic_board_new(EmuNet **net, Peer *peer)
{
    g_autoptr(GError) err = NULL;
    EmuVirtConfig cfg = {
        .ram_size = RAM_SIZE,
        .smp = 1,
        .bios = "none",
    };
    EmuMachine *m = emu_machine_new();

    g_assert_true(emu_virt_build(m, &cfg, &err));
    g_assert_no_error(err);
    *net = emu_net_new(m);
    m->net = *net;
    peer->frames =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    peer->nc = emu_net_client_new(*net, &peer_ops, "peer0", NULL, peer, &err);
    g_assert_no_error(err);
    return m;
}

/* runs pending bottom halves, at most @max rounds (no I/O thread runs in
 * the tests) */
static inline void nic_board_run_bhs(EmuMachine *m, int max)
{
    for (int i = 0; i < max && g_main_context_iteration(m->io_ctx, FALSE);
         i++) {
    }
}

/* frees what nic_board_new() made, after @max rounds of bottom halves */
static inline void nic_board_free(EmuMachine *m, EmuNet *net, Peer *peer,
                                  int max)
{
    nic_board_run_bhs(m, max);
    emu_net_free(net);
    emu_virt_free(m);
    emu_machine_free(m);
    g_ptr_array_unref(peer->frames);
}

/* ---- PCI, from the driver's side ----------------------------------------- */

/* the ECAM base of function 0 of @slot on bus 0 (PCIe §7.2.2) */
static inline uint64_t pci_cfg_base(unsigned slot)
{
    return ECAM + ((uint64_t)slot << 15);
}

/* places BAR @bar at @addr; a 64-bit BAR (@is64) takes @bar and @bar + 1
 * (PCI Local Bus 3.0 §6.2.5.1) */
static inline void pci_bar_set(EmuMachine *m, uint64_t cfg, unsigned bar,
                               uint64_t addr, bool is64)
{
    hw_wr(m, cfg + 0x10 + 4 * bar, (uint32_t)addr, 4);
    if (is64) {
        hw_wr(m, cfg + 0x14 + 4 * bar, addr >> 32, 4);
    }
}

/* writes the command register: the decoders and bus mastering to turn on */
static inline void pci_enable(EmuMachine *m, uint64_t cfg, uint16_t command)
{
    hw_wr(m, cfg + EMU_PCI_COMMAND, command, 2);
}

/* ---- interrupts ---------------------------------------------------------- */

/* PLIC pending bit = the level of source @src (level-triggered gateway) */
static inline bool plic_line(EmuMachine *m, unsigned src)
{
    uint32_t w = hw_rd(m, PLIC_BASE + EMU_PLIC_PENDING + 4 * (src / 32), 4);

    return w & (1u << (src % 32));
}

#endif
