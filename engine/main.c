/* SPDX-License-Identifier: GPL-2.0-or-later */
/* main.c: the `vmkit` program — parse a QEMU-compatible command line,
 * build the virt machine, run it, act on lifecycle requests. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>

#include "emu-error.h"
#include "engine/core/chardev.h"
#include "engine/core/control.h"
#include "engine/core/machine.h"
#include "engine/core/monitor.h"
#include "engine/cpu/riscv/hart-api.h"
#include "engine/hw/pci.h"
#include "engine/hw/virt.h"
#include "emu-net.h"

typedef struct {
    const char *machine;
    uint64_t ram_size;
    unsigned smp;
    const char *bios, *kernel, *initrd, *append, *dumpdtb;
    const char *serial, *monitor, *name, *uuid, *pidfile;
    const char *control; /* -control FD|unix:PATH (vmkit only, for vmd) */
    bool nographic, daemonize, no_reboot, no_shutdown, start_paused;
    GPtrArray *net_opts; /* option, argument, option, argument... */
    GPtrArray *ports;    /* -device pcie-root-port,... texts */
} Options;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: vmkit [options]\n"
            "  -M virt               machine type (only 'virt')\n"
            "  -m SIZE[M|G]          guest RAM (default 128M)\n"
            "  -smp N                number of harts (1..%d)\n"
            "  -bios PATH|none       firmware (default: OpenSBI fw_dynamic.bin"
            " from the guest cache)\n"
            "  -kernel PATH          kernel (Image, EFI-stub Image or ELF)\n"
            "  -initrd PATH          initial ramdisk\n"
            "  -append CMDLINE       kernel command line\n"
            "  -nographic            serial and monitor on stdio (Ctrl-A h)\n"
            "  -serial SPEC          stdio|mon:stdio|pty|file:PATH|"
            "unix:PATH,server[,nowait]|null\n"
            "  -monitor SPEC         stdio|unix:PATH,server[,nowait]|none\n"
            "  -name NAME  -uuid UUID  -pidfile FILE  -daemonize\n"
            "  -control FD|unix:PATH  serve org.vmkit.Engine1 (vmd's control"
            " channel)\n"
            "  -dumpdtb FILE         write the device tree and exit\n"
            "  -no-reboot            exit instead of rebooting\n"
            "  -S                    start with the harts stopped\n"
            "  -netdev TYPE,id=ID[,...]  network backend (user, tap, bridge,"
            " socket,\n"
            "                        stream, dgram, hubport; -netdev help)\n"
            "  -device MODEL,netdev=ID[,mac=,id=,bus=]  NIC (virtio-net-pci,"
            " virtio-net-device,\n"
            "                        e1000)\n"
            "  -device pcie-root-port,id=ID,chassis=N,slot=N[,addr=]  a"
            " hot-plug slot\n"
            "  -nic TYPE[,model=,mac=,...]  backend and NIC in one; -nic none\n"
            "  -net nic[,model=,macaddr=,netdev=] | -net TYPE[,...]  legacy,"
            " on hub 0\n"
            "                        (no network option: -nic user with a"
            " virtio-net-pci NIC)\n"
            "  -version, -h\n",
            EMU_MAX_HARTS);
}

static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    double v;
    uint64_t mult = 1ULL << 20; /* QEMU: a bare number means MiB */

    if (g_str_has_prefix(s, "size=")) {
        s += 5;
    }
    errno = 0;
    v = g_ascii_strtod(s, &end);
    if (errno || end == s || v <= 0) {
        return false;
    }
    switch (g_ascii_toupper(*end)) {
    case '\0': break;
    case 'K': mult = 1ULL << 10; end++; break;
    case 'M': mult = 1ULL << 20; end++; break;
    case 'G': mult = 1ULL << 30; end++; break;
    case 'T': mult = 1ULL << 40; end++; break;
    case 'B': mult = 1; end++; break;
    default: return false;
    }
    if (*end == 'B' || *end == 'b' || *end == 'i') {
        end++;
    }
    if (*end) {
        return false;
    }
    if (v * mult > (double)(1ULL << 44)) {
        return false;
    }
    *out = (uint64_t)(v * mult);
    return true;
}

/* Fails with a one-line message naming the problem, exit status 1. */
static G_NORETURN void die(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void die(const char *fmt, ...)
{
    va_list ap;

    fputs("vmkit: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void parse_args(int argc, char **argv, Options *o)
{
    o->machine = "virt";
    o->ram_size = 128ULL << 20;
    o->smp = 1;
    o->net_opts = g_ptr_array_new();
    o->ports = g_ptr_array_new();

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (a[0] == '-' && a[1] == '-') {
            a++; /* QEMU accepts --opt too */
        }
#define NEEDARG()                                                          \
    do {                                                                   \
        if (!v) {                                                          \
            die("option '%s' needs an argument", argv[i]);                 \
        }                                                                  \
        i++;                                                               \
    } while (0)
        if (!strcmp(a, "-h") || !strcmp(a, "-help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(a, "-version")) {
            printf("vmkit %s\n", PACKAGE_VERSION);
            exit(0);
        } else if (!strcmp(a, "-M") || !strcmp(a, "-machine")) {
            NEEDARG();
            o->machine = v;
            if (strcmp(v, "virt") && !g_str_has_prefix(v, "virt,") &&
                !g_str_has_prefix(v, "type=virt")) {
                die("unsupported machine type '%s' (only 'virt')", v);
            }
        } else if (!strcmp(a, "-m")) {
            NEEDARG();
            if (!parse_size(v, &o->ram_size) || o->ram_size < (16ULL << 20)) {
                die("invalid RAM size '%s' (at least 16M, e.g. 512M or 2G)",
                    v);
            }
        } else if (!strcmp(a, "-smp")) {
            char *end;
            long n;
            NEEDARG();
            n = strtol(g_str_has_prefix(v, "cpus=") ? v + 5 : v, &end, 10);
            if ((*end && *end != ',') || n < 1 || n > EMU_MAX_HARTS) {
                die("invalid -smp '%s' (1..%d harts)", v, EMU_MAX_HARTS);
            }
            o->smp = n;
        } else if (!strcmp(a, "-bios")) {
            NEEDARG();
            o->bios = v;
        } else if (!strcmp(a, "-kernel")) {
            NEEDARG();
            o->kernel = v;
        } else if (!strcmp(a, "-initrd")) {
            NEEDARG();
            o->initrd = v;
        } else if (!strcmp(a, "-append")) {
            NEEDARG();
            o->append = v;
        } else if (!strcmp(a, "-dumpdtb")) {
            NEEDARG();
            o->dumpdtb = v;
        } else if (!strcmp(a, "-nographic")) {
            o->nographic = true;
        } else if (!strcmp(a, "-display")) {
            NEEDARG();
            if (strcmp(v, "none")) {
                die("unsupported display '%s' (only 'none')", v);
            }
        } else if (!strcmp(a, "-serial")) {
            NEEDARG();
            o->serial = v;
        } else if (!strcmp(a, "-monitor")) {
            NEEDARG();
            o->monitor = v;
        } else if (!strcmp(a, "-name")) {
            NEEDARG();
            o->name = g_str_has_prefix(v, "guest=") ? v + 6 : v;
        } else if (!strcmp(a, "-uuid")) {
            NEEDARG();
            if (!g_uuid_string_is_valid(v)) {
                die("invalid UUID '%s'", v);
            }
            o->uuid = v;
        } else if (!strcmp(a, "-pidfile")) {
            NEEDARG();
            o->pidfile = v;
        } else if (!strcmp(a, "-control")) {
            NEEDARG();
            o->control = v;
        } else if (!strcmp(a, "-daemonize")) {
            o->daemonize = true;
        } else if (!strcmp(a, "-no-reboot")) {
            o->no_reboot = true;
        } else if (!strcmp(a, "-S")) {
            o->start_paused = true;
        } else if (!strcmp(a, "-device") && v &&
                   (!strcmp(v, "pcie-root-port") ||
                    g_str_has_prefix(v, "pcie-root-port,") ||
                    g_str_has_prefix(v, "driver=pcie-root-port"))) {
            NEEDARG();
            /* a board device: plugged once the board exists, before the
             * NICs that may sit behind it */
            g_ptr_array_add(o->ports, (gpointer)v);
        } else if (!strcmp(a, "-netdev") || !strcmp(a, "-device") ||
                   !strcmp(a, "-nic") || !strcmp(a, "-net")) {
            NEEDARG();
            /* handed to the net layer once the machine exists */
            g_ptr_array_add(o->net_opts, (gpointer)a);
            g_ptr_array_add(o->net_opts, (gpointer)v);
        } else {
            die("unknown option '%s' (see vmkit -h)", argv[i]);
        }
#undef NEEDARG
    }
    if (o->daemonize && o->nographic) {
        die("-nographic cannot be used with -daemonize");
    }
}

static gboolean on_signal(gpointer data)
{
    emu_machine_request(data, EMU_REQ_QUIT, 0);
    return G_SOURCE_CONTINUE;
}

static void watch_signal(EmuMachine *m, int sig)
{
    GSource *src = g_unix_signal_source_new(sig);

    g_source_set_callback(src, on_signal, m, NULL);
    g_source_attach(src, m->io_ctx);
    g_source_unref(src);
}

static void write_pidfile(const char *path)
{
    g_autofree char *s = g_strdup_printf("%d\n", (int)getpid());
    g_autoptr(GError) err = NULL;

    if (!g_file_set_contents(path, s, -1, &err)) {
        die("cannot write pidfile: %s", err->message);
    }
}

static void start_harts(EmuMachine *m)
{
    for (unsigned i = 0; i < m->nr_harts; i++) {
        emu_hart_start(m->harts[i]);
    }
}

static void stop_harts(EmuMachine *m)
{
    for (unsigned i = 0; i < m->nr_harts; i++) {
        emu_hart_join(m->harts[i]);
    }
}

int main(int argc, char **argv)
{
    Options o = {0};
    EmuVirtConfig cfg = {0};
    g_autoptr(GError) err = NULL;
    EmuChardev *serial = NULL, *monchr = NULL;
    EmuMonitor *mon = NULL, *mux_mon = NULL;
    EmuControl *ctl = NULL;
    EmuMachine *m;
    EmuNet *net;
    const char *serial_spec;
    int status = 0;

    setlocale(LC_ALL, "");
    signal(SIGPIPE, SIG_IGN);
    parse_args(argc, argv, &o);

    m = emu_machine_new();
    net = emu_net_new(m);
    m->net = net;
    for (guint i = 0; i + 1 < o.net_opts->len; i += 2) {
        if (!emu_net_add_option(net, g_ptr_array_index(o.net_opts, i),
                                g_ptr_array_index(o.net_opts, i + 1), &err)) {
            die("%s", err->message);
        }
    }
    g_ptr_array_unref(o.net_opts);
    if (emu_net_help_requested(net)) {
        emu_net_free(net);
        emu_machine_free(m);
        return 0;
    }
    serial_spec = o.serial ? o.serial
                  : o.daemonize ? "null"
                  : (!o.monitor || strcmp(o.monitor, "stdio")) ? "mon:stdio"
                                                                : "null";
    if (o.dumpdtb) {
        serial_spec = "null";
    }
    serial = emu_chardev_new(m, serial_spec, &err);
    if (!serial) {
        die("-serial %s: %s", serial_spec, err->message);
    }
    if (g_str_has_prefix(serial_spec, "mon:")) {
        mux_mon = emu_monitor_new(m, serial, &err);
        if (!mux_mon) {
            die("monitor: %s", err->message);
        }
        emu_net_monitor_register(net, mux_mon);
    }
    if (o.monitor && strcmp(o.monitor, "none") && !o.dumpdtb) {
        monchr = emu_chardev_new(m, o.monitor, &err);
        if (!monchr) {
            die("-monitor %s: %s", o.monitor, err->message);
        }
        mon = emu_monitor_new(m, monchr, &err);
        if (!mon) {
            die("-monitor %s: %s", o.monitor, err->message);
        }
        emu_net_monitor_register(net, mon);
    }
    m->serial = serial;

    cfg.ram_size = o.ram_size;
    cfg.smp = o.smp;
    cfg.bios = o.bios;
    cfg.kernel = o.kernel;
    cfg.initrd = o.initrd;
    cfg.append = o.append;
    cfg.dumpdtb = o.dumpdtb;
    cfg.serial = serial;
    if (!emu_virt_build(m, &cfg, &err)) {
        die("%s", err->message);
    }
    if (o.dumpdtb) {
        g_ptr_array_unref(o.ports);
        emu_net_free(net);
        emu_virt_free(m);
        if (mux_mon) {
            emu_monitor_free(mux_mon);
        }
        emu_chardev_free(serial);
        emu_machine_free(m);
        return 0;
    }
    for (guint i = 0; i < o.ports->len; i++) {
        const char *text = g_ptr_array_index(o.ports, i);

        if (!emu_pcie_root_port_create(emu_virt_pci_host(m), text, &err)) {
            die("-device %s: %s", text, err->message);
        }
    }
    g_ptr_array_unref(o.ports);
    if (!emu_net_realize(net, &err)) {
        die("%s", err->message);
    }
    /* from now on a device_add is a hot-plug the guest is told about */
    emu_pcie_host_set_live(emu_virt_pci_host(m));
    if (o.daemonize && daemon(1, 0) < 0) {
        die("cannot daemonize: %s", g_strerror(errno));
    }
    if (o.pidfile) {
        write_pidfile(o.pidfile);
    }
    watch_signal(m, SIGINT);
    watch_signal(m, SIGTERM);
    watch_signal(m, SIGHUP);
    if (o.start_paused) {
        atomic_store(&m->run_state, EMU_RUN_PAUSED);
    }
    if (o.control) {
        EmuControlConfig ccfg = {o.name, o.uuid, o.no_reboot};

        ctl = emu_control_new(m, o.control, &ccfg, &err);
        if (!ctl) {
            die("%s", err->message);
        }
    }
    emu_machine_start_io(m);
    start_harts(m);

    for (;;) {
        int code = 0;
        EmuRequest req = emu_machine_wait_request(m, &code);

        if (ctl) {
            emu_control_request(ctl, req, code);
        }

        if (req == EMU_REQ_RESET && !o.no_reboot) {
            EmuRunState rs = atomic_load(&m->run_state);
            stop_harts(m);
            emu_machine_clear_request(m);
            if (!emu_virt_reset(m, &err)) {
                fprintf(stderr, "vmkit: reset failed: %s\n", err->message);
                status = 1;
                break;
            }
            atomic_store(&m->run_state, rs);
            start_harts(m);
            continue;
        }
        stop_harts(m);
        if (req == EMU_REQ_FAIL) {
            status = code ? code : 1;
        }
        break;
    }
    emu_machine_stop_io(m);
    emu_control_free(ctl);
    /* the net core owns every client, NICs included: before the board */
    emu_net_free(net);
    emu_virt_free(m); /* devices first: they detach from the chardevs */
    if (mon) {
        emu_monitor_free(mon);
    }
    if (mux_mon) {
        emu_monitor_free(mux_mon);
    }
    if (monchr) {
        emu_chardev_free(monchr);
    }
    emu_chardev_free(serial);
    if (o.pidfile) {
        unlink(o.pidfile);
    }
    emu_machine_free(m);
    return status;
}
