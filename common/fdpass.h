/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdpass.h: passing one file descriptor over a Unix socket the way
 * qemu-bridge-helper does — a 1-byte payload carrying one SCM_RIGHTS
 * control message (unix(7)). Used by the bridge helper (sender) and by
 * the engine, vmd and the tests (receivers). No GLib: the setuid helper
 * links it too. */
#ifndef VMKIT_COMMON_FDPASS_H
#define VMKIT_COMMON_FDPASS_H

/* Sends @fd with a 0x00 payload; 0, or -1 with errno set (MSG_NOSIGNAL:
 * a receiver that went away is an error, not a signal). */
int vmkit_fd_send(int sock, int fd);

/* Receives exactly one fd (close-on-exec) with its 1-byte payload; -1
 * with errno set otherwise: ECONNRESET when the peer closed without
 * sending, ENOMSG for a message without an fd, EPROTO for more than one
 * fd or a truncated control message (any fds received are closed). */
int vmkit_fd_recv(int sock);

#endif
