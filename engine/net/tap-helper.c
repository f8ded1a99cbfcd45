/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap-helper.c: the bridge helper's client side (QEMU's
 * net_bridge_run_helper(): a unix socketpair, "HELPER --use-vnet --fd=N
 * --br=BR", the TAP fd back with SCM_RIGHTS and a 1-byte payload), the
 * -netdev bridge backend, and running host programs (helpers, scripts). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "emu-error.h"
#include "engine/net/backends.h"
#include "common/fdpass.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define DEFAULT_BRIDGE_HELPER LIBEXECDIR "/vmkit-bridge-helper"
#define DEFAULT_BRIDGE        "br0" /* QEMU's DEFAULT_BRIDGE_INTERFACE */

/* How long a helper may take to hand the fd over before we give up (it
 * only opens a device and talks to the kernel). */
#define HELPER_TIMEOUT_MS 30000

/*
 * emu_net_spawn: fork + exec @argv[0] with @argv. The child keeps fds 0-2
 * (fd 2 replaced by @err_fd when >= 0) and @keep_fd; every other fd is
 * closed on exec, so no VM socket or TAP leaks into it. A failing exec is
 * reported here ("cannot run PATH: REASON"), not as an exit status.
 */
pid_t emu_net_spawn(char *const argv[], int keep_fd, int err_fd, GError **error)
{
    long open_max = sysconf(_SC_OPEN_MAX);
    int ep[2], e = 0;
    ssize_t n;
    pid_t pid;

    if (open_max < 0 || open_max > 65536) {
        open_max = 65536;
    }
    if (pipe2(ep, O_CLOEXEC) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "cannot run %s: %s",
                    argv[0], g_strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "cannot run %s: %s",
                    argv[0], g_strerror(errno));
        close(ep[0]);
        close(ep[1]);
        return -1;
    }
    if (pid == 0) {
        /* the child of a threaded process: async-signal-safe calls only */
        sigset_t none;

        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* vmkit ignores SIGPIPE; an ignored signal stays ignored across
         * exec, and scripts expect the default */
        signal(SIGPIPE, SIG_DFL);
        if (err_fd >= 0) {
            dup2(err_fd, 2);
        }
#ifdef SYS_close_range
        if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
#endif
        {
            for (int fd = 3; fd < open_max; fd++) {
                fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
        if (keep_fd >= 0) {
            fcntl(keep_fd, F_SETFD, 0);
        }
        execv(argv[0], argv);
        e = errno;
        n = write(ep[1], &e, sizeof(e));
        (void)n;
        _exit(127);
    }
    close(ep[1]);
    do {
        n = read(ep[0], &e, sizeof(e));
    } while (n < 0 && errno == EINTR);
    close(ep[0]);
    if (n == sizeof(e)) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "cannot run %s: %s",
                    argv[0], g_strerror(e));
        return -1;
    }
    return pid;
}

/* emu_net_wait: the child's wait status (0 when it cannot be known) */
int emu_net_wait(pid_t pid)
{
    int status = 0;

    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return 0; /* SIGCHLD ignored by someone: no status to see */
        }
    }
    return status;
}

/* the last non-empty line of @text (the helper's one-line error) */
static char *last_line(const char *text)
{
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

    for (int i = (int)g_strv_length(lines) - 1; i >= 0; i--) {
        g_strstrip(lines[i]);
        if (lines[i][0]) {
            return g_strdup(lines[i]);
        }
    }
    return NULL;
}

int emu_net_bridge_run_helper(const char *helper, const char *br,
                              GError **error)
{
    g_autofree char *fd_arg = NULL;
    g_autofree char *br_arg = NULL;
    g_autofree char *cmd = NULL;
    g_autoptr(GString) err_text = g_string_new(NULL);
    g_autofree char *why = NULL;
    char *argv[6];
    int sv[2], ep[2];
    int fd = -1, recv_errno = 0, status;
    bool sock_done = false, err_done = false;
    gint64 deadline;
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "socketpair() failed: %s",
                    g_strerror(errno));
        return -1;
    }
    if (pipe2(ep, O_CLOEXEC) < 0) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "pipe() failed: %s",
                    g_strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    fd_arg = g_strdup_printf("--fd=%d", sv[1]);
    if (strchr(helper, ' ') || strchr(helper, '\t')) {
        /* QEMU: a helper with blanks is a shell command line */
        if (!strstr(helper, "--br=")) {
            br_arg = g_strdup_printf("--br=%s", br);
        }
        cmd = g_strdup_printf("%s --use-vnet %s %s", helper, fd_arg,
                              br_arg ? br_arg : "");
        argv[0] = (char *)"/bin/sh";
        argv[1] = (char *)"-c";
        argv[2] = cmd;
        argv[3] = NULL;
    } else {
        br_arg = g_strdup_printf("--br=%s", br);
        argv[0] = (char *)helper;
        argv[1] = (char *)"--use-vnet";
        argv[2] = fd_arg;
        argv[3] = br_arg;
        argv[4] = NULL;
    }
    pid = emu_net_spawn(argv, sv[1], ep[1], error);
    close(sv[1]);
    close(ep[1]);
    if (pid < 0) {
        g_prefix_error(error, "bridge helper failed: ");
        close(sv[0]);
        close(ep[0]);
        return -1;
    }

    /* the fd (or EOF) on the socket, and the helper's stderr to its end */
    deadline = g_get_monotonic_time() + HELPER_TIMEOUT_MS * 1000LL;
    while (!sock_done || !err_done) {
        struct pollfd p[2] = {
            {.fd = sock_done ? -1 : sv[0], .events = POLLIN},
            {.fd = err_done ? -1 : ep[0], .events = POLLIN},
        };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int r;

        if (left <= 0) {
            kill(pid, SIGKILL);
            why = g_strdup_printf("no answer from %s within %d s", helper,
                                  HELPER_TIMEOUT_MS / 1000);
            break;
        }
        r = poll(p, 2, (int)left);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (p[0].revents) {
            fd = vmkit_fd_recv(sv[0]);
            recv_errno = fd < 0 ? errno : 0;
            sock_done = true;
        }
        if (p[1].revents) {
            char buf[512];
            ssize_t n = read(ep[0], buf, sizeof(buf));

            if (n > 0 && err_text->len < 4096) {
                g_string_append_len(err_text, buf, n);
            } else if (n == 0 || (n < 0 && errno != EINTR)) {
                err_done = true;
            }
        }
    }
    close(sv[0]);
    close(ep[0]);
    status = emu_net_wait(pid);

    if (!why && fd >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        if (err_text->len) {
            fputs(err_text->str, stderr); /* the helper's warnings */
        }
        return fd;
    }
    if (fd >= 0) {
        close(fd);
    }
    if (!why) {
        why = last_line(err_text->str);
    }
    if (!why) {
        if (WIFSIGNALED(status)) {
            why = g_strdup_printf("%s was killed by signal %d", helper,
                                  WTERMSIG(status));
        } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
            why = g_strdup_printf("%s exited with status %d", helper,
                                  WEXITSTATUS(status));
        } else {
            why = g_strdup_printf("failed to recv file descriptor: %s",
                                  g_strerror(recv_errno));
        }
    }
    g_set_error(error, EMU_ERROR, EMU_ERROR_IO, "bridge helper failed: %s",
                why);
    return -1;
}

/* -netdev bridge,id=ID[,br=BR][,helper=PATH] */
EmuNetClient *emu_net_bridge_init(EmuNet *net, const char *id, EmuOpts *opts,
                                  EmuNetClient *peer, GError **error)
{
    const char *br = emu_opts_get(opts, "br");
    const char *helper = emu_opts_get(opts, "helper");
    g_autofree char *info = NULL;
    int fd;

    if (!emu_opts_check_unused(opts, NULL, error)) {
        return NULL;
    }
    if (!br) {
        br = DEFAULT_BRIDGE;
    }
    if (!helper) {
        helper = DEFAULT_BRIDGE_HELPER;
    }
    fd = emu_net_bridge_run_helper(helper, br, error);
    if (fd < 0) {
        return NULL;
    }
    info = g_strdup_printf("helper=%s,br=%s", helper, br);
    return emu_net_tap_client_new(net, id, EMU_NET_CLIENT_BRIDGE, peer, fd,
                                  info, NULL, NULL, error);
}
