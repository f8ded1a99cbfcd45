/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net-internal.h: what the net layer's files share — the per-machine state,
 * private client state, queues, hubs, the user backend's monitor hooks and
 * the hooks the unit tests use. Not a public header. */
#ifndef EMU_NET_INTERNAL_H
#define EMU_NET_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "emu-net.h"

/* Incoming queue bounds for frames queued without a sent callback (QEMU
 * queues up to 10000; a guest ring refills long before 256 frames). A frame
 * with a sent callback is always queued: its sender stops until then. */
#define EMU_NET_QUEUE_MAX_FRAMES 256
#define EMU_NET_QUEUE_MAX_BYTES  (4u << 20)

typedef struct EmuNetHub EmuNetHub;
typedef struct NetOption NetOption;

struct EmuNetQueue {
    EmuNetClient *owner; /* the receiving client */
    GQueue packets;      /* NetPacket *, oldest first */
    size_t bytes;
    bool delivering; /* inside owner->ops->receive() */
};

/*
 * The core's view of a client: the public struct first, so a client
 * pointer is a private pointer.
 */
typedef struct EmuNetClientPriv {
    EmuNetClient pub;
    bool receive_disabled; /* receive() returned 0: wait for a flush */
    bool is_netdev;        /* a backend with an id (-netdev, -nic, -net) */
    bool deleted;          /* netdev_del while a NIC held it: freed with
                            * the NIC (QEMU's peer_deleted) */
    char *model;           /* "user", "hub", "virtio-net-pci"... (names) */
    /* hub ports */
    EmuNetHub *hub;
    int port_id;
    /* NICs created by options.c: the info string when the model has no
     * describe() of its own */
    bool has_mac;
    uint8_t mac[6];
} EmuNetClientPriv;

static inline EmuNetClientPriv *emu_net_priv(EmuNetClient *nc)
{
    return (EmuNetClientPriv *)nc;
}

typedef struct EmuNicModel {
    const char *name;
    EmuNicCreate create; /* NULL: not in this build */
    const char *bus;     /* "PCI" or "virtio-bus", for -device help */
    const char *desc;
} EmuNicModel;

struct EmuNet {
    EmuMachine *m;
    GPtrArray *clients;      /* EmuNetClient *, creation order */
    GPtrArray *hubs;         /* EmuNetHub *, creation order */
    GPtrArray *options;      /* NetOption *, command-line order */
    GPtrArray *extra_models; /* EmuNicModel * registered by tests */
    char *default_model;     /* the board's NIC: "virtio-net-pci" */
    unsigned next_gen_id;    /* "#net0", "#net1"... */
    int mac_used[256]; /* QEMU's mac_table: last byte of 52:54:00:12:34:xx */
    bool no_default;   /* -nic none / -net none */
    bool help;         /* a help option printed its text */
    bool realized;
    bool quiet;          /* keep warnings in @warnings only */
    GPtrArray *warnings; /* char *, what realize warned about */
};

/* ---- net.c ------------------------------------------------------------ */

/* emu_net_warn: a realize-time warning, printed as "vmkit: warning: ..."
 * (QEMU's warn_report) and kept in net->warnings. */
void emu_net_warn(EmuNet *net, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* emu_net_can_send: QEMU's qemu_can_send_packet — the peer would take a
 * frame from @sender now (true without a peer: the frame is dropped). */
bool emu_net_can_send(EmuNetClient *sender);

/* emu_net_kind_str: "nic", "user", "hubport"... (QEMU's type= names) */
const char *emu_net_kind_str(EmuNetClientKind kind);

/* emu_net_client_info: the info string (describe(), or model+macaddr for
 * NICs without one) */
void emu_net_client_info(EmuNetClient *nc, GString *out);

/* emu_net_gen_name: "MODEL.N" with N the number of clients of that model,
 * skipping names in use (QEMU's assign_name) */
char *emu_net_gen_name(EmuNet *net, const char *model);

/* emu_net_find_netdev: a non-NIC client named @id (qemu_find_netdev) */
EmuNetClient *emu_net_find_netdev(EmuNet *net, const char *id);

/* emu_net_wakeup: kicks the I/O thread out of poll() so that sources
 * re-evaluate their fds (no-op on the I/O thread itself) */
void emu_net_wakeup(EmuNet *net);

/* ---- queue.c ---------------------------------------------------------- */

EmuNetQueue *emu_net_queue_new(EmuNetClient *owner);
void emu_net_queue_free(EmuNetQueue *q);
/* QEMU's qemu_net_queue_send: deliver now or queue; see emu_net_sendv */
ssize_t emu_net_queue_send(EmuNetQueue *q, EmuNetClient *sender,
                           const struct iovec *iov, int iovcnt, size_t size,
                           EmuNetSentCb sent_cb);
/* delivers queued frames until the owner refuses one; true when empty */
bool emu_net_queue_flush(EmuNetQueue *q);
/* drops frames sent by @from (NULL: all); runs their callbacks with 0
 * unless @from is being freed (@call_from_cb false) */
void emu_net_queue_purge(EmuNetQueue *q, EmuNetClient *from, bool call_from_cb);
unsigned emu_net_queue_len(EmuNetQueue *q);

/* ---- hub.c ------------------------------------------------------------ */

EmuNetClient *emu_net_hub_add_port(EmuNet *net, int hub_id, const char *name,
                                   EmuNetClient *peer, GError **error);
/* the hub a hub port, or a client connected to a hub port, belongs to */
bool emu_net_hub_id_for_client(EmuNetClient *nc, int *id);
void emu_net_hub_info(EmuNet *net, GString *out);
void emu_net_hub_check_clients(EmuNet *net);
/* delivers frames queued at the other ports of @port's hub */
bool emu_net_hub_flush(EmuNetClient *port);
void emu_net_hub_port_removed(EmuNetClient *port);
void emu_net_hubs_free(EmuNet *net);
EmuNetClient *emu_net_hubport_init(EmuNet *net, const char *id, EmuOpts *opts,
                                   EmuNetClient *peer, GError **error);

/* ---- opts.c ----------------------------------------------------------- */

/* the text emu_opts_parse() was given */
const char *emu_opts_text(EmuOpts *opts);
/* true when @key was given (does not mark it used) */
bool emu_opts_has(EmuOpts *opts, const char *key);
/* QEMU's is_help_option: "help" or "?" */
bool emu_opts_is_help(const char *value);
/* QEMU's id_wellformed: a letter, then letters, digits, '-', '.', '_' */
bool emu_opts_id_wellformed(const char *id);
/* emu_opts_get_uint: a decimal or 0x number in [0, @max] */
bool emu_opts_get_uint(EmuOpts *opts, const char *key, uint64_t max,
                       uint64_t def, uint64_t *out, GError **error);

/* ---- options.c -------------------------------------------------------- */

/* QEMU's net_parse_macaddr: "52:54:00:12:34:56" (or '-' separators) */
bool emu_net_parse_mac(const char *s, uint8_t mac[6]);
void emu_net_options_free(EmuNet *net);

/* Test hooks: an extra NIC model (looked up before the board's table), the
 * model used by -nic/-net nic without model= and by the default network,
 * and quiet warnings (kept in net->warnings, not printed). */
void emu_net_add_nic_model(EmuNet *net, const char *name, EmuNicCreate create);
void emu_net_set_default_nic(EmuNet *net, const char *model);
void emu_net_set_quiet(EmuNet *net, bool quiet);

/* ---- slirp.c ---------------------------------------------------------- */

/* The user backend behind "hostfwd_add", "hostfwd_remove", "info usernet".
 * Device lock held. */
bool emu_net_user_hostfwd_add(EmuNetClient *nc, const char *rule,
                              GError **error);
/* Returns false with @error for a bad rule; *@removed says whether a
 * forwarding matched. */
bool emu_net_user_hostfwd_remove(EmuNetClient *nc, const char *rule,
                                 bool *removed, GError **error);
char *emu_net_user_connection_info(EmuNetClient *nc);

/* ---- options.c: hot-plug (hotplug.c's commands) ---------------------- */

/* netdev_add: "-netdev" text on a running machine (device lock held) */
bool emu_net_hot_netdev_add(EmuNet *net, const char *arg, GError **error);
/* device_add: a NIC model behind a pcie-root-port (device lock held);
 * *@id_out: its id (given or generated) */
bool emu_net_hot_device_add(EmuNet *net, const char *arg, char **id_out,
                            GError **error);

/* ---- hotplug.c -------------------------------------------------------- */

void emu_net_hotplug_monitor_register(EmuNet *net, EmuMonitor *mon);

/* ---- monitor-net.c ---------------------------------------------------- */

/* the text of "info network" (device lock held) */
void emu_net_format_info(EmuNet *net, GString *out);

#endif
