/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backends.h: what the host-facing backends (tap, bridge, socket, stream,
 * dgram) share — fd watches on the I/O context, QEMU's TCP framing,
 * address parsing and the stream/datagram engines. Not a public header. */
#ifndef EMU_NET_BACKENDS_H
#define EMU_NET_BACKENDS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <glib.h>

#include "emu-net.h"

typedef struct EmuMachine EmuMachine;

/*
 * QEMU's NET_BUFSIZE (net/net.h): the largest frame a backend reads — a
 * 64 KiB GSO frame plus headers. A TCP length above it is a protocol
 * error (QEMU: "oversized packet received, connection terminated").
 */
#define EMU_NET_BUFSIZE (4096 + 65536)

/* Frames read per wakeup before the I/O thread looks at other sources
 * (QEMU's tap_send() stops after 50 so a busy host cannot starve the
 * guest's device lock). */
#define EMU_NET_BURST 50

/* ---- fd watches ------------------------------------------------------ */

/*
 * EmuFdWatch: one fd on the machine's I/O context. The backend says which
 * events it wants now (from any thread, device lock held); the I/O thread
 * applies that before its next poll, so no GSource is touched from a hart
 * thread. @fn runs on the I/O thread with the device lock held; @revents
 * is 0 when the watch was kicked rather than polled. An fd wanting no
 * events is left out of poll() entirely (a hung-up socket would otherwise
 * wake the loop forever).
 */
typedef struct EmuFdWatch EmuFdWatch;
typedef void (*EmuFdWatchFn)(void *opaque, GIOCondition revents);

/* Thread: any; the watch starts with no events. */
EmuFdWatch *emu_fd_watch_new(EmuMachine *m, int fd, EmuFdWatchFn fn,
                             void *opaque);
/* Thread: any, device lock held. Replaces the wanted events. */
void emu_fd_watch_set(EmuFdWatch *w, GIOCondition events);
/* Thread: any. Runs fn(opaque, 0) soon on the I/O thread, even if the fd
 * is not ready (work left in a buffer). */
void emu_fd_watch_kick(EmuFdWatch *w);
/* Thread: any, device lock held (or the I/O thread stopped); also from
 * inside the watch's own callback. The fd is not closed. */
void emu_fd_watch_free(EmuFdWatch *w);

/*
 * emu_net_timer_new: runs @fn(@opaque) once after @seconds on the I/O
 * thread with the device lock held. Free with emu_net_timer_free (any
 * thread, device lock held; also from inside @fn).
 */
typedef struct EmuNetTimer EmuNetTimer;
EmuNetTimer *emu_net_timer_new(EmuMachine *m, unsigned seconds,
                               void (*fn)(void *opaque), void *opaque);
void emu_net_timer_free(EmuNetTimer *t);

/* The machine whose I/O context and lock a backend of @net uses. */
EmuMachine *emu_net_machine(EmuNet *net);

/* ---- small helpers ---------------------------------------------------- */

/*
 * emu_net_parse_fd: QEMU's monitor_fd_param() without a monitor — a
 * decimal fd number ("Invalid file descriptor number 'X'"), made
 * non-blocking ("ID: Can't use file descriptor N: REASON").
 */
int emu_net_parse_fd(const char *id, const char *str, GError **error);

/* QEMU's parse_host_port(): "host:port" (host empty = any), IPv4 only.
 * Errors as QEMU words them. */
bool emu_net_parse_host_port(const char *str, struct sockaddr_in *sin,
                             GError **error);
/* QEMU's convert_host_port(): separate host and port strings. */
bool emu_net_convert_host_port(const char *host, const char *port,
                               struct sockaddr_in *sin, GError **error);

/* "a.b.c.d" of an IPv4 address (no static buffer, unlike inet_ntoa) */
void emu_net_format_in(const struct sockaddr_in *sin, char out[16]);

/* pads a frame shorter than 60 bytes with zeros into @min (QEMU's
 * eth_pad_short_frame); returns the buffer and *len to send */
const uint8_t *emu_net_pad_short_frame(uint8_t min[60], const uint8_t *buf,
                                       size_t *len);

/* ---- QEMU's TCP framing ----------------------------------------------- */

/*
 * emu_net_frame_parse: @buf holds @len bytes read from a stream socket.
 * Returns 1 when a whole frame is there (its length in *@frame_len; it
 * starts at @buf + 4), 0 when more bytes are needed, -1 when the length
 * is invalid — 0 or above EMU_NET_BUFSIZE — with @error set.
 */
int emu_net_frame_parse(const uint8_t *buf, size_t len, uint32_t *frame_len,
                        GError **error);

/* ---- the stream engine (-netdev socket listen/connect, -netdev stream) */

typedef enum {
    EMU_NET_STREAM_SOCKET, /* -netdev socket: QEMU's net/socket.c strings */
    EMU_NET_STREAM_STREAM, /* -netdev stream: QEMU's net/stream.c strings */
} EmuNetStreamFlavor;

typedef struct EmuNetStream EmuNetStream;

/*
 * Creates the client. Exactly one of the start functions follows:
 * listen on a bound, listening fd; connect to an address (non-blocking:
 * an immediate failure is an error, a later one a disconnect, retried
 * every @reconnect seconds when not 0); or use an already connected fd.
 * @info_fixed (socket connect/fd) stays the info string while up.
 */
EmuNetStream *emu_net_stream_new(EmuNet *net, const char *id,
                                 EmuNetClientKind kind,
                                 EmuNetStreamFlavor flavor, EmuNetClient *peer,
                                 GError **error);
void emu_net_stream_listen(EmuNetStream *s, int listen_fd,
                           const char *unlink_path);
bool emu_net_stream_connect(EmuNetStream *s, const struct sockaddr *sa,
                            socklen_t salen, unsigned reconnect,
                            const char *info_fixed, GError **error);
void emu_net_stream_use_fd(EmuNetStream *s, int fd, bool connected,
                           const char *info_fixed);
EmuNetClient *emu_net_stream_client(EmuNetStream *s);

/* ---- the datagram engine (-netdev socket mcast/udp, -netdev dgram) ---- */

/*
 * emu_net_dgram_new: one frame per datagram on @fd (bound, non-blocking),
 * sent to @dst (NULL: the fd is connected, use send()). Takes @fd; on
 * failure closes it. @unlink_path: a unix socket file removed at cleanup.
 */
EmuNetClient *emu_net_dgram_new(EmuNet *net, const char *id,
                                EmuNetClientKind kind, EmuNetClient *peer,
                                int fd, const struct sockaddr *dst,
                                socklen_t dstlen, const char *info,
                                const char *unlink_path, GError **error);

/*
 * emu_net_mcast_socket: QEMU's net_socket_mcast_create() — a UDP socket
 * bound to the group's address and port, member of the group (on
 * @localaddr's interface when given), looping its own datagrams back so
 * that several VMs on one host see each other.
 */
int emu_net_mcast_socket(const struct sockaddr_in *group,
                         const struct in_addr *localaddr, GError **error);

/* ---- tap (tap.c) and the bridge helper (tap-helper.c) ----------------- */

/*
 * emu_net_spawn: fork + exec @argv[0] (an absolute path) with @argv; the
 * child keeps fds 0-2 (2 replaced by @err_fd when >= 0) and @keep_fd
 * only. An exec failure is an error here ("cannot run PATH: REASON").
 * emu_net_wait: waits for it; the wait status (0 if it cannot be known).
 * Thread: main thread (startup) or teardown; they block.
 */
pid_t emu_net_spawn(char *const argv[], int keep_fd, int err_fd,
                    GError **error);
int emu_net_wait(pid_t pid);

/*
 * emu_net_bridge_run_helper: QEMU's net_bridge_run_helper() — runs
 * "HELPER --use-vnet --fd=N --br=BR" (through /bin/sh -c when HELPER
 * holds a blank), receives the TAP fd and waits for the helper. The
 * helper's stderr is captured: its last line ends the error message
 * ("bridge helper failed: ...").
 */
int emu_net_bridge_run_helper(const char *helper, const char *br,
                              GError **error);

/* The tap client on an open TAP fd (takes it), for tap.c and bridge. */
EmuNetClient *emu_net_tap_client_new(EmuNet *net, const char *id,
                                     EmuNetClientKind kind, EmuNetClient *peer,
                                     int fd, const char *info,
                                     const char *ifname, const char *downscript,
                                     GError **error);

/* TUNGETIFF: the fd is a TAP; *vnet_hdr says whether IFF_VNET_HDR is on.
 * "Unable to query TUNGETIFF on FD N: REASON" */
bool emu_net_tap_probe(int fd, bool *vnet_hdr, GError **error);

#endif
