/* SPDX-License-Identifier: GPL-2.0-or-later */
/* client/console.c: vmctl's console: the fd from Domain.OpenConsole
 * joined to the terminal in raw mode until Ctrl-] or end of stream. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <gio/gunixfdlist.h>

#include "client/vmctl.h"

#define CONSOLE_ESCAPE 0x1d /* Ctrl-], as virsh */

/* Writes all of buf; false on error or when the peer is gone. */
static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Copies between the terminal and the console fd. Returns 0 on detach or
 * console EOF, -1 with errno on an I/O error. */
static int console_loop(int fd)
{
    struct pollfd p[2] = {
        {.fd = STDIN_FILENO, .events = POLLIN},
        {.fd = fd, .events = POLLIN},
    };
    char buf[4096];

    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(fd, buf, sizeof(buf));

            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (n <= 0) {
                return n < 0 ? -1 : 0;
            }
            if (!write_all(STDOUT_FILENO, buf, (size_t)n)) {
                return -1;
            }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
            char *esc;

            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                continue;
            }
            if (n <= 0) {
                return 0; /* end of input: detach */
            }
            esc = memchr(buf, CONSOLE_ESCAPE, (size_t)n);
            if (esc) {
                write_all(fd, buf, (size_t)(esc - buf));
                return 0;
            }
            if (!write_all(fd, buf, (size_t)n)) {
                return -1;
            }
        }
    }
}

int vmctl_console_run(VmctlCtx *ctx, const VmctlDomain *dom, const char *dev,
                      bool force)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GUnixFDList) fds = NULL;
    g_autoptr(GVariant) r = NULL;
    struct termios saved, raw;
    bool tty = isatty(STDIN_FILENO);
    gint32 handle;
    int fd;
    int rc;
    int saved_errno;

    r = vmctl_call_fd(ctx, dom->path, VMCTL_DOMAIN_IFACE, "OpenConsole",
                      g_variant_new("(su)", dev ? dev : "", force ? 1u : 0u),
                      &fds, &err);
    if (!r) {
        g_autofree char *prefix = g_strdup_printf(
            _("failed to open the console of domain '%s'"), dom->name);

        return vmctl_error_gerror(err, prefix);
    }
    g_variant_get(r, "(h)", &handle);
    if (!fds || handle < 0 || handle >= g_unix_fd_list_get_length(fds)) {
        vmctl_error(_("vmd returned no console file descriptor"));
        return VMCTL_EXIT_FAIL;
    }
    fd = g_unix_fd_list_get(fds, handle, &err);
    if (fd < 0) {
        return vmctl_error_gerror(err, NULL);
    }

    printf(_("Connected to domain '%s'\n"), dom->name);
    printf("%s\n", _("Escape character is ^] (Ctrl + ])"));
    fflush(stdout);

    /* A closed console must not kill us with SIGPIPE before the terminal
     * is restored. */
    signal(SIGPIPE, SIG_IGN);
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    } else {
        tty = false;
    }
    rc = console_loop(fd);
    saved_errno = errno;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stdout);
    }
    close(fd);
    if (rc < 0) {
        vmctl_error(_("console I/O error: %s"), g_strerror(saved_errno));
        return VMCTL_EXIT_FAIL;
    }
    return VMCTL_EXIT_OK;
}
