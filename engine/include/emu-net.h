/* SPDX-License-Identifier: GPL-2.0-or-later */
/* emu-net.h: the net layer's contract — clients with one peer, bounded
 * queues with QEMU's backpressure rule, hubs, backends and NIC models. */
#ifndef EMU_NET_H
#define EMU_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct EmuMachine EmuMachine;
typedef struct EmuNet EmuNet;             /* per-machine net state */
typedef struct EmuNetClient EmuNetClient;
typedef struct EmuNetQueue EmuNetQueue;
typedef struct EmuOpts EmuOpts;           /* parsed key=value,... options */

#define EMU_NET_MAX_FRAME (65536 + 14)    /* largest frame we pass around */

/*
 * Threading: every function here is called with the machine's device lock
 * held, from a hart thread (a NIC's MMIO handler) or from the I/O thread
 * (backends, which take the lock around their fd callbacks). Backends
 * never block: fds are non-blocking and watched on the machine's I/O
 * context.
 */

typedef enum {
    EMU_NET_CLIENT_NIC,
    EMU_NET_CLIENT_HUBPORT,
    EMU_NET_CLIENT_USER,
    EMU_NET_CLIENT_TAP,
    EMU_NET_CLIENT_BRIDGE,
    EMU_NET_CLIENT_SOCKET,
    EMU_NET_CLIENT_STREAM,
    EMU_NET_CLIENT_DGRAM,
} EmuNetClientKind;

typedef struct EmuNetClientOps {
    EmuNetClientKind kind;
    /* Delivers one frame to this client. Returns the frame length when
     * consumed (or deliberately dropped, e.g. link down), or 0 when the
     * client cannot take it now: the core then queues it and the client
     * MUST call emu_net_flush_queue() later (QEMU's contract). */
    ssize_t (*receive)(EmuNetClient *nc, const struct iovec *iov, int iovcnt);
    /* Optional: false when receive() would return 0 right now. */
    bool (*can_receive)(EmuNetClient *nc);
    /* Optional: the link state of this client changed (set_link). */
    void (*link_changed)(EmuNetClient *nc);
    /* Optional: "info network" detail after the name, e.g.
     * "model=virtio-net-pci,macaddr=52:54:00:12:34:56" or
     * "net=10.0.2.0,restrict=off" (QEMU's info_str). */
    void (*describe)(EmuNetClient *nc, GString *out);
    /* Optional: release backend resources (fds, scripts, slirp). */
    void (*cleanup)(EmuNetClient *nc);
} EmuNetClientOps;

typedef struct EmuNetStats {
    uint64_t rx_packets, rx_bytes, rx_dropped;
    uint64_t tx_packets, tx_bytes, tx_dropped;
} EmuNetStats;

struct EmuNetClient {
    const EmuNetClientOps *ops;
    EmuNet *net;
    char *name;              /* id=, or generated ("hub0port1", "e1000.0") */
    EmuNetClient *peer;
    EmuNetQueue *incoming;   /* frames waiting to be received by us */
    bool link_down;
    EmuNetStats stats;
    void *opaque;            /* the owner's state */
};

/**
 * emu_net_client_new:
 * Creates a client named @name (unique; NULL → generated from the kind)
 * and, when @peer is not NULL, connects the two (a client has at most one
 * peer; connecting to a taken peer fails).
 * Returns: the client, or NULL with @error set.
 */
EmuNetClient *emu_net_client_new(EmuNet *net, const EmuNetClientOps *ops,
                                 const char *name, EmuNetClient *peer,
                                 void *opaque, GError **error);

/**
 * emu_net_client_free:
 * Disconnects and frees (after ops->cleanup); queued frames are dropped
 * and their senders' callbacks run with length 0.
 */
void emu_net_client_free(EmuNetClient *nc);

typedef void (*EmuNetSentCb)(EmuNetClient *sender, ssize_t len);

/**
 * emu_net_send / emu_net_sendv:
 * Sends one frame from @sender to its peer. Returns the length when the
 * frame was delivered or dropped (no peer, link down, peer's queue full
 * and @sent_cb NULL), or 0 when it was queued: the sender must then stop
 * sending until @sent_cb runs (backpressure; no silent drop).
 * Counts tx on @sender and rx on the peer.
 */
ssize_t emu_net_send(EmuNetClient *sender, const uint8_t *buf, size_t len,
                     EmuNetSentCb sent_cb);
ssize_t emu_net_sendv(EmuNetClient *sender, const struct iovec *iov,
                      int iovcnt, EmuNetSentCb sent_cb);

/**
 * emu_net_flush_queue:
 * @nc can receive again: delivers its queued frames in order until it
 * returns 0 again or the queue is empty; senders' callbacks run.
 */
void emu_net_flush_queue(EmuNetClient *nc);

/**
 * emu_net_set_link:
 * Sets the link of the client named @name (and, as QEMU does, of the
 * NIC's peer for a NIC / the NIC for its backend). Returns false with
 * @error when there is no such client.
 */
bool emu_net_set_link(EmuNet *net, const char *name, bool up,
                      GError **error);

/**
 * emu_net_find:
 * Returns: the client named @name, or NULL.
 */
EmuNetClient *emu_net_find(EmuNet *net, const char *name);

/* ---- options (QEMU's -netdev/-nic/-net/-device syntax) ------------- */

/**
 * emu_opts_parse:
 * Parses "TYPE,key=value,key=value" (the first item may be a bare word,
 * stored under @implied_key, e.g. "type"); ",," escapes a comma; a key
 * may repeat (hostfwd=...). Returns NULL with @error naming the problem.
 */
EmuOpts *emu_opts_parse(const char *text, const char *implied_key,
                        GError **error);
void emu_opts_free(EmuOpts *opts);
const char *emu_opts_get(EmuOpts *opts, const char *key);
/* all values of a repeatable key, in order (NULL-terminated, owned) */
const char *const *emu_opts_get_all(EmuOpts *opts, const char *key);
bool emu_opts_get_bool(EmuOpts *opts, const char *key, bool def,
                       bool *out, GError **error);
/* marks @key as used; emu_opts_check_unused() then reports leftovers */
bool emu_opts_check_unused(EmuOpts *opts, const char *what, GError **error);

/* ---- backends and NIC models: registered in one table (net/options.c) */

/* A backend constructor: creates the client for -netdev TYPE,id=ID,...
 * @peer is NULL for -netdev (the NIC connects later) or the hub port /
 * NIC for -net and -nic. */
typedef EmuNetClient *(*EmuNetBackendInit)(EmuNet *net, const char *id,
                                           EmuOpts *opts, EmuNetClient *peer,
                                           GError **error);

EmuNetClient *emu_net_user_init(EmuNet *, const char *, EmuOpts *,
                                EmuNetClient *, GError **);
EmuNetClient *emu_net_tap_init(EmuNet *, const char *, EmuOpts *,
                               EmuNetClient *, GError **);
EmuNetClient *emu_net_bridge_init(EmuNet *, const char *, EmuOpts *,
                                  EmuNetClient *, GError **);
EmuNetClient *emu_net_socket_init(EmuNet *, const char *, EmuOpts *,
                                  EmuNetClient *, GError **);
EmuNetClient *emu_net_stream_init(EmuNet *, const char *, EmuOpts *,
                                  EmuNetClient *, GError **);
EmuNetClient *emu_net_dgram_init(EmuNet *, const char *, EmuOpts *,
                                 EmuNetClient *, GError **);

/* A NIC model constructor: creates the device on the board and its NIC
 * client connected to @peer (may be NULL: an unconnected NIC).
 * @mac is the resolved MAC; @opts holds the -device/-nic options left
 * for the model (e.g. addr=, romfile=) — unknown ones are an error. */
typedef bool (*EmuNicCreate)(EmuMachine *m, EmuNetClient *peer,
                             const uint8_t mac[6], const char *id,
                             EmuOpts *opts, GError **error);

bool emu_virtio_net_pci_create(EmuMachine *, EmuNetClient *, const uint8_t *,
                               const char *, EmuOpts *, GError **);
bool emu_virtio_net_mmio_create(EmuMachine *, EmuNetClient *,
                                const uint8_t *, const char *, EmuOpts *,
                                GError **);
bool emu_e1000_create(EmuMachine *, EmuNetClient *, const uint8_t *,
                      const char *, EmuOpts *, GError **);

/**
 * emu_net_nic_unplug:
 * The NIC's device was hot-unplugged (a PCI model's unplug hook): frees
 * the NIC client, and with it the model through ops->cleanup; then its
 * peer too when netdev_del asked for that while the NIC held it (QEMU's
 * qemu_del_nic). The peer otherwise stays, free for another NIC.
 */
void emu_net_nic_unplug(EmuNetClient *nic);

/* ---- hot-plug: QEMU's netdev_add / netdev_del / device_add / device_del */

/**
 * emu_net_netdev_add / emu_net_netdev_del / emu_net_device_add /
 * emu_net_device_del:
 * The monitor commands as functions, for the control channel:
 * @options is the -netdev / -device text ("user,id=n1",
 * "virtio-net-pci,netdev=n1,id=nic1,bus=rp1"). device_add plugs into an
 * empty pcie-root-port slot and tells the guest; device_del asks the guest
 * to let go (the device goes when it does: m->device_deleted hears it).
 * netdev_del of a netdev a NIC holds frees it together with the NIC.
 * Errors are one line (unknown bus, occupied slot, no such id, not
 * hot-pluggable), EMU_ERROR_NOT_FOUND when the id names nothing.
 * Thread: I/O thread (a netdev's fds are watched there), without the
 * device lock (they take it).
 */
bool emu_net_netdev_add(EmuNet *net, const char *options, GError **error);
bool emu_net_netdev_del(EmuNet *net, const char *id, GError **error);
bool emu_net_device_add(EmuNet *net, const char *options, char **id_out,
                        GError **error);
bool emu_net_device_del(EmuNet *net, const char *id, GError **error);

/* ---- the machine's net configuration -------------------------------- */

/**
 * emu_net_new / emu_net_free:
 * Per-machine net state (clients, hubs, the monitor's view).
 */
EmuNet *emu_net_new(EmuMachine *m);
void emu_net_free(EmuNet *net);

/**
 * emu_net_add_option:
 * Records one command-line option: @opt is "-netdev", "-nic", "-net" or
 * "-device" (NIC models only; other devices are an error), @arg its text.
 * Syntax errors are reported here.
 */
bool emu_net_add_option(EmuNet *net, const char *opt, const char *arg,
                        GError **error);

/**
 * emu_net_help_requested:
 * Returns: true when an option asked for a list ("-netdev help",
 * "-nic model=help", "-device help"...): its text went to stdout and the
 * program should exit with status 0 once the options are read.
 */
bool emu_net_help_requested(EmuNet *net);

/**
 * emu_net_realize:
 * Creates backends, hubs and NICs in QEMU's order after the board exists;
 * with no network option at all, behaves as "-nic user" with the board's
 * default NIC (virtio-net-pci). Warnings (hub without NIC or without host
 * backend) go to stderr like QEMU's.
 */
bool emu_net_realize(EmuNet *net, GError **error);

/**
 * emu_net_monitor_register:
 * Adds "info network", "info usernet", "set_link", "hostfwd_add",
 * "hostfwd_remove", and the hot-plug commands "netdev_add", "netdev_del",
 * "device_add", "device_del", "info pci" to @mon.
 */
typedef struct EmuMonitor EmuMonitor;
void emu_net_monitor_register(EmuNet *net, EmuMonitor *mon);

G_END_DECLS

#endif
