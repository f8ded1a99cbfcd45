/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdpass.c: one fd over a Unix socket (see fdpass.h). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/fdpass.h"

/* room for a few fds, so that a peer sending more is detected (and its
 * fds closed) rather than silently truncated */
#define FDPASS_MAX 4

int vmkit_fd_send(int sock, int fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    char payload = 0;
    struct iovec iov = {.iov_base = &payload, .iov_len = 1};
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof(control.buf),
    };
    struct cmsghdr *c;
    ssize_t n;

    memset(&control, 0, sizeof(control));
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    do {
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        if (n >= 0) {
            errno = EIO;
        }
        return -1;
    }
    return 0;
}

int vmkit_fd_recv(int sock)
{
    union {
        char buf[CMSG_SPACE(FDPASS_MAX * sizeof(int))];
        struct cmsghdr align;
    } control;
    char byte;
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof(control.buf),
    };
    struct cmsghdr *c;
    ssize_t n;
    int fd = -1, err = ENOMSG;

    do {
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        if (n == 0) {
            errno = ECONNRESET;
        }
        return -1;
    }
    if (msg.msg_flags & MSG_CTRUNC) {
        err = EPROTO;
    }
    for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        size_t nfds;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
            c->cmsg_len < CMSG_LEN(0)) {
            continue;
        }
        nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < nfds; i++) {
            int got;

            memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (fd < 0 && err == ENOMSG) {
                fd = got;
                err = 0;
            } else {
                close(got); /* more than one: a protocol error */
                err = EPROTO;
            }
        }
    }
    if (err) {
        if (fd >= 0) {
            close(fd);
        }
        errno = err;
        return -1;
    }
    return fd;
}
