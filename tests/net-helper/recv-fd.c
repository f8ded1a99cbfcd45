/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/net-helper/recv-fd.c: the caller's side of the helper protocol. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <net/if.h>
#include <linux/if_tun.h>

#include <glib.h>

#include "common/fdpass.h"

/*
 * recv-fd [--creds] [--close] [--run CMD] HELPER [ARG...]
 *
 * Does what QEMU's net_bridge_run_helper() (net/tap.c) and vmkit do with a
 * bridge helper: makes a unix stream socketpair, runs HELPER ARG...
 * --fd=N with one end, receives the TAP fd (one byte + SCM_RIGHTS, see
 * unix(7)) and waits for the helper.  Then it prints one line on stdout,
 *   tap=NAME vnet_hdr=0|1
 * from TUNGETIFF on the received fd, and with --run CMD runs `sh -c CMD`
 * with $TAP set while it still holds the fd (the TAP lives as long as
 * that); the fd is closed when recv-fd exits.
 *
 * --creds: first fills the socket so the helper blocks when it sends the
 *   fd, then prints the helper's ids and capability sets at that point,
 *   read from /proc/PID/status:
 *     uid=R E S FS gid=R E S FS capeff=HEX capprm=HEX capbnd=HEX
 * --close: closes the receiving end before the helper runs (the send must
 *   fail); prints "status=N", N being the helper's exit status.
 *
 * Exit: 0 fd received and helper exited 0 (or --close done); 1 no fd or
 * helper failed; 2 usage; with --run, the status of CMD.
 */

static int fill_socket(int fd)
{
    char junk[65536];
    int filled = 0;
    int flags = fcntl(fd, F_GETFL);

    memset(junk, 'x', sizeof(junk));
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    for (;;) {
        ssize_t n = write(fd, junk, sizeof(junk));

        if (n < 0) {
            break;
        }
        filled += n;
    }
    /* O_NONBLOCK is shared with the helper's copy: clear it again. */
    fcntl(fd, F_SETFL, flags);
    return filled;
}

static gboolean drain(int fd, int count)
{
    char buf[65536];

    while (count > 0) {
        ssize_t n = read(fd, buf, MIN((int)sizeof(buf), count));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return FALSE;
        }
        count -= n;
    }
    return TRUE;
}

/* The value of "Key:" in /proc/PID/status, tabs made spaces */
static char *status_field(const char *status, const char *key)
{
    g_auto(GStrv) lines = g_strsplit(status, "\n", -1);
    size_t klen = strlen(key);

    for (char **l = lines; *l; l++) {
        if (strncmp(*l, key, klen) == 0 && (*l)[klen] == ':') {
            char *v = g_strstrip(g_strdup(*l + klen + 1));

            g_strdelimit(v, "\t", ' ');
            return v;
        }
    }
    return g_strdup("?");
}

/*
 * Waits (up to 10 s) until the helper sleeps — blocked in sendmsg() on
 * the full socket, its only sleep — and prints its credentials.
 */
static gboolean print_creds(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    int asleep = 0;

    for (int i = 0; i < 1000; i++) {
        g_autofree char *status = NULL;
        g_autofree char *state = NULL;

        if (!g_file_get_contents(path, &status, NULL, NULL)) {
            return FALSE;
        }
        state = status_field(status, "State");
        if (state[0] == 'Z' || state[0] == 'X') {
            return FALSE;
        }
        asleep = state[0] == 'S' ? asleep + 1 : 0;
        if (asleep == 3) {
            g_autofree char *uid = status_field(status, "Uid");
            g_autofree char *gid = status_field(status, "Gid");
            g_autofree char *eff = status_field(status, "CapEff");
            g_autofree char *prm = status_field(status, "CapPrm");
            g_autofree char *bnd = status_field(status, "CapBnd");

            printf("uid=%s gid=%s capeff=%s capprm=%s capbnd=%s\n",
                   uid, gid, eff, prm, bnd);
            fflush(stdout);
            return TRUE;
        }
        g_usleep(10000);
    }
    return FALSE;
}

static int run_cmd(const char *cmd, const char *tap)
{
    pid_t pid = fork();
    int status;

    if (pid < 0) {
        perror("recv-fd: fork");
        return 1;
    }
    if (pid == 0) {
        setenv("TAP", tap, 1);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0) {
        return 1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int helper_status(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status)
                             : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
    gboolean creds = FALSE, close_early = FALSE;
    const char *cmd = NULL;
    int argi = 1, sv[2], filled = 0, fd, status, hs;
    struct ifreq ifr;
    pid_t pid;

    for (; argi < argc && g_str_has_prefix(argv[argi], "--"); argi++) {
        if (strcmp(argv[argi], "--creds") == 0) {
            creds = TRUE;
        } else if (strcmp(argv[argi], "--close") == 0) {
            close_early = TRUE;
        } else if (strcmp(argv[argi], "--run") == 0 && argi + 1 < argc) {
            cmd = argv[++argi];
        } else {
            break;
        }
    }
    if (argi >= argc) {
        fprintf(stderr, "usage: recv-fd [--creds] [--close] [--run CMD] "
                "HELPER [ARG...]\n");
        return 2;
    }

    /* A stuck helper must not hang the test suite. */
    alarm(60);
    signal(SIGPIPE, SIG_IGN);

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        perror("recv-fd: socketpair");
        return 1;
    }
    if (creds) {
        filled = fill_socket(sv[1]);
    }
    if (close_early) {
        /* before the fork: the helper must never find a receiver there */
        close(sv[0]);
    }

    pid = fork();
    if (pid < 0) {
        perror("recv-fd: fork");
        return 1;
    }
    if (pid == 0) {
        GPtrArray *args = g_ptr_array_new();

        fcntl(sv[1], F_SETFD, 0);
        for (int i = argi; i < argc; i++) {
            g_ptr_array_add(args, argv[i]);
        }
        g_ptr_array_add(args, g_strdup_printf("--fd=%d", sv[1]));
        g_ptr_array_add(args, NULL);
        execv(argv[argi], (char **)args->pdata);
        perror("recv-fd: exec");
        _exit(127);
    }
    close(sv[1]);

    if (close_early) {
        if (waitpid(pid, &status, 0) < 0) {
            return 1;
        }
        printf("status=%d\n", helper_status(status));
        return 0;
    }

    if (creds) {
        if (!print_creds(pid)) {
            fprintf(stderr, "recv-fd: the helper never blocked sending\n");
        }
        if (!drain(sv[0], filled)) {
            fprintf(stderr, "recv-fd: cannot drain the socket\n");
            return 1;
        }
    }

    fd = vmkit_fd_recv(sv[0]);
    close(sv[0]);
    if (waitpid(pid, &status, 0) < 0) {
        perror("recv-fd: waitpid");
        return 1;
    }
    hs = helper_status(status);
    alarm(0);
    if (fd < 0) {
        fprintf(stderr, "recv-fd: no fd received; helper exit status %d\n",
                hs);
        return 1;
    }

    memset(&ifr, 0, sizeof(ifr));
    if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
        perror("recv-fd: TUNGETIFF (not a tap fd?)");
        return 1;
    }
    printf("tap=%s vnet_hdr=%d\n", ifr.ifr_name,
           (ifr.ifr_flags & IFF_VNET_HDR) ? 1 : 0);
    fflush(stdout);
    if (hs != 0) {
        fprintf(stderr, "recv-fd: helper exit status %d after sending\n",
                hs);
        return 1;
    }
    if (cmd) {
        return run_cmd(cmd, ifr.ifr_name);
    }
    return 0;
}
