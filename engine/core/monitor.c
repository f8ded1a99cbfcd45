/* SPDX-License-Identifier: GPL-2.0-or-later */
/* monitor.c: the human monitor — line editor, command tables, built-in
 * commands (QEMU HMP names and output formats). */
#include "config.h"

#include <stdatomic.h>
#include <stdarg.h>
#include <string.h>

#include "emu-error.h"
#include "engine/core/chardev.h"
#include "engine/core/machine.h"
#include "engine/core/monitor.h"
#include "engine/cpu/riscv/hart-api.h"

#define MON_LINE_MAX 1024
#define MON_PROMPT   "(vmkit) "
#define MON_BANNER   "vmkit monitor - type 'help' for more information\n"

typedef enum {
    MON_ESC_NONE,
    MON_ESC_START, /* got ESC */
    MON_ESC_CSI,   /* got ESC [ or ESC O: swallow up to the final byte */
} MonEscState;

struct EmuMonitor {
    EmuMachine *m;
    EmuChardev *chr;

    GMutex tab_lock; /* cmds, info_cmds */
    GPtrArray *cmds; /* EmuMonitorCmd *, newest last */
    GPtrArray *info_cmds;

    /* command execution is serialized; output of emu_monitor_execute()
     * goes to @capture when printed from @capture_thread */
    GRecMutex exec_lock;
    GString *capture;
    _Atomic(GThread *) capture_thread;

    /* line editor (I/O thread) */
    char line[MON_LINE_MAX];
    size_t line_len;
    MonEscState esc;
    bool last_cr;
    bool banner_done;
    bool quit; /* `quit` ran: no further prompt */
};

/* ------------------------------------------------------------------ */
/* output                                                              */

/* mon_write_raw: bytes to the chardev as they are (echo, prompt). */
static void mon_write_raw(EmuMonitor *mon, const char *s, size_t len)
{
    if (mon->chr && len) {
        emu_chardev_write(mon->chr, (const uint8_t *)s, len);
    }
}

static void mon_puts(EmuMonitor *mon, const char *s)
{
    if (atomic_load(&mon->capture_thread) == g_thread_self()) {
        g_string_append(mon->capture, s);
        return;
    }
    if (!mon->chr) {
        return;
    }
    /* QEMU's monitor ends lines with "\r\n": the terminal is raw */
    g_autoptr(GString) out = g_string_sized_new(strlen(s) + 16);
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    mon_write_raw(mon, out->str, out->len);
}

void emu_monitor_printf(EmuMonitor *mon, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_autofree char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    mon_puts(mon, s);
}

static void mon_prompt(EmuMonitor *mon)
{
    mon_write_raw(mon, MON_PROMPT, strlen(MON_PROMPT));
    mon_write_raw(mon, mon->line, mon->line_len);
}

/* ------------------------------------------------------------------ */
/* command tables                                                      */

/* mon_name_matches: @word is one of the '|'-separated names in @names */
static bool mon_name_matches(const char *names, const char *word)
{
    size_t wlen = strlen(word);

    for (const char *p = names; *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == wlen && !strncmp(p, word, len)) {
            return true;
        }
        p += len + (bar ? 1 : 0);
    }
    return false;
}

static bool mon_same_primary(const char *a, const char *b)
{
    size_t la = strcspn(a, "|");
    size_t lb = strcspn(b, "|");

    return la == lb && !strncmp(a, b, la);
}

static void mon_table_add(EmuMonitor *mon, GPtrArray *tab,
                          const EmuMonitorCmd *cmds)
{
    g_mutex_lock(&mon->tab_lock);
    for (const EmuMonitorCmd *c = cmds; c->name; c++) {
        for (guint i = 0; i < tab->len; i++) {
            EmuMonitorCmd *old = g_ptr_array_index(tab, i);
            if (mon_same_primary(old->name, c->name)) {
                g_ptr_array_remove_index(tab, i);
                break;
            }
        }
        g_ptr_array_add(tab, g_memdup2(c, sizeof(*c)));
    }
    g_mutex_unlock(&mon->tab_lock);
}

static void mon_table_remove(EmuMonitor *mon, GPtrArray *tab,
                             const EmuMonitorCmd *cmds)
{
    g_mutex_lock(&mon->tab_lock);
    for (const EmuMonitorCmd *c = cmds; c->name; c++) {
        for (guint i = 0; i < tab->len; i++) {
            EmuMonitorCmd *old = g_ptr_array_index(tab, i);
            if (!strcmp(old->name, c->name) && old->fn == c->fn) {
                g_ptr_array_remove_index(tab, i);
                break;
            }
        }
    }
    g_mutex_unlock(&mon->tab_lock);
}

/* mon_lookup: copies the command named @word into @out. */
static bool mon_lookup(EmuMonitor *mon, GPtrArray *tab, const char *word,
                       EmuMonitorCmd *out)
{
    bool found = false;

    g_mutex_lock(&mon->tab_lock);
    for (guint i = tab->len; i-- > 0;) {
        EmuMonitorCmd *c = g_ptr_array_index(tab, i);
        if (mon_name_matches(c->name, word)) {
            *out = *c;
            found = true;
            break;
        }
    }
    g_mutex_unlock(&mon->tab_lock);
    return found;
}

void emu_monitor_register(EmuMonitor *mon, const EmuMonitorCmd *cmds)
{
    mon_table_add(mon, mon->cmds, cmds);
}

void emu_monitor_register_info(EmuMonitor *mon, const EmuMonitorCmd *cmds)
{
    mon_table_add(mon, mon->info_cmds, cmds);
}

void emu_monitor_unregister(EmuMonitor *mon, const EmuMonitorCmd *cmds)
{
    mon_table_remove(mon, mon->cmds, cmds);
    mon_table_remove(mon, mon->info_cmds, cmds);
}

EmuMachine *emu_monitor_get_machine(EmuMonitor *mon)
{
    return mon->m;
}

/* ------------------------------------------------------------------ */
/* running a line                                                      */

static gint mon_cmp_name(gconstpointer a, gconstpointer b)
{
    const EmuMonitorCmd *ca = *(EmuMonitorCmd *const *)a;
    const EmuMonitorCmd *cb = *(EmuMonitorCmd *const *)b;

    return strcmp(ca->name, cb->name);
}

/* mon_help_table: QEMU's layout, "name args -- help", sorted. */
static void mon_help_table(EmuMonitor *mon, GPtrArray *tab, const char *prefix,
                           const char *only)
{
    g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func(g_free);

    g_mutex_lock(&mon->tab_lock);
    for (guint i = 0; i < tab->len; i++) {
        EmuMonitorCmd *c = g_ptr_array_index(tab, i);
        if (!only || mon_name_matches(c->name, only)) {
            g_ptr_array_add(sorted, g_memdup2(c, sizeof(*c)));
        }
    }
    g_mutex_unlock(&mon->tab_lock);

    g_ptr_array_sort(sorted, mon_cmp_name);
    for (guint i = 0; i < sorted->len; i++) {
        EmuMonitorCmd *c = g_ptr_array_index(sorted, i);
        emu_monitor_printf(mon, "%s%s %s -- %s\n", prefix, c->name,
                           c->args_help ? c->args_help : "",
                           c->help ? c->help : "");
    }
}

/* mon_split: the words of @line (blanks separate; no quoting, as the
 * commands take plain words). */
static char **mon_split(const char *line, int *argc)
{
    GPtrArray *words = g_ptr_array_new();
    const char *p = line;

    for (;;) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (!*p) {
            break;
        }
        size_t len = strcspn(p, " \t");
        g_ptr_array_add(words, g_strndup(p, len));
        p += len;
    }
    *argc = words->len;
    g_ptr_array_add(words, NULL);
    return (char **)g_ptr_array_free(words, FALSE);
}

/* mon_run: parses and runs one command line.
 * Thread: any, with exec_lock held. */
static void mon_run(EmuMonitor *mon, const char *line)
{
    int argc;
    g_auto(GStrv) argv = mon_split(line, &argc);
    EmuMonitorCmd cmd;

    if (!argc) {
        return;
    }
    if (!mon_lookup(mon, mon->cmds, argv[0], &cmd)) {
        emu_monitor_printf(mon, "unknown command: '%s'\n", argv[0]);
        return;
    }
    cmd.fn(mon, argc, argv, cmd.opaque);
}

void emu_monitor_execute(EmuMonitor *mon, const char *line, GString *out)
{
    g_rec_mutex_lock(&mon->exec_lock);
    GString *saved = mon->capture;
    GThread *saved_thread = atomic_load(&mon->capture_thread);
    mon->capture = out;
    atomic_store(&mon->capture_thread, g_thread_self());
    mon_run(mon, line);
    mon->capture = saved;
    atomic_store(&mon->capture_thread, saved_thread);
    g_rec_mutex_unlock(&mon->exec_lock);
}

/* ------------------------------------------------------------------ */
/* built-in commands                                                   */

static void mon_cmd_help(EmuMonitor *mon, int argc, char **argv, void *op)
{
    if (argc < 2) {
        mon_help_table(mon, mon->cmds, "", NULL);
        return;
    }
    EmuMonitorCmd cmd;
    if (!strcmp(argv[1], "info")) {
        mon_help_table(mon, mon->info_cmds, "info ", argc > 2 ? argv[2] : NULL);
    } else if (mon_lookup(mon, mon->cmds, argv[1], &cmd)) {
        mon_help_table(mon, mon->cmds, "", argv[1]);
    } else {
        emu_monitor_printf(mon, "unknown command: '%s'\n", argv[1]);
    }
}

static void mon_cmd_info(EmuMonitor *mon, int argc, char **argv, void *op)
{
    EmuMonitorCmd cmd;

    if (argc < 2) {
        mon_help_table(mon, mon->info_cmds, "info ", NULL);
        return;
    }
    if (!mon_lookup(mon, mon->info_cmds, argv[1], &cmd)) {
        /* QEMU names the whole command: "unknown command: 'info foo'" */
        emu_monitor_printf(mon, "unknown command: '%s %s'\n", argv[0], argv[1]);
        return;
    }
    cmd.fn(mon, argc - 1, argv + 1, cmd.opaque);
}

static void mon_cmd_stop(EmuMonitor *mon, int argc, char **argv, void *op)
{
    emu_machine_pause(mon->m);
}

static void mon_cmd_cont(EmuMonitor *mon, int argc, char **argv, void *op)
{
    emu_machine_resume(mon->m);
}

static void mon_cmd_system_reset(EmuMonitor *mon, int argc, char **argv,
                                 void *op)
{
    emu_machine_request(mon->m, EMU_REQ_RESET, 0);
}

/*
 * system_powerdown: QEMU sends an ACPI/GPIO power-button event that the
 * guest acts on. The riscv virt board has no power button (no ACPI, no
 * gpio-keys node in its FDT), so QEMU's guest never hears of it; until a
 * button device exists we power the machine off directly instead, which
 * is what a user of this command expects — the guest gets no chance to
 * shut down cleanly.
 */
static void mon_cmd_system_powerdown(EmuMonitor *mon, int argc, char **argv,
                                     void *op)
{
    emu_machine_request(mon->m, EMU_REQ_POWEROFF, 0);
}

static void mon_cmd_quit(EmuMonitor *mon, int argc, char **argv, void *op)
{
    mon->quit = true;
    emu_machine_request(mon->m, EMU_REQ_QUIT, 0);
}

static void mon_info_status(EmuMonitor *mon, int argc, char **argv, void *op)
{
    /* QEMU: "running", "paused", or "paused (reason)" for other states */
    switch (atomic_load(&mon->m->run_state)) {
    case EMU_RUN_RUNNING:
        emu_monitor_printf(mon, "VM status: running\n");
        break;
    case EMU_RUN_PAUSED:
        emu_monitor_printf(mon, "VM status: paused\n");
        break;
    case EMU_RUN_SHUTDOWN:
    default:
        emu_monitor_printf(mon, "VM status: paused (shutdown)\n");
        break;
    }
}

static void mon_info_registers(EmuMonitor *mon, int argc, char **argv, void *op)
{
    for (unsigned i = 0; i < mon->m->nr_harts; i++) {
        if (!mon->m->harts[i]) {
            continue;
        }
        g_autoptr(GString) s = g_string_new(NULL);
        emu_hart_dump(mon->m->harts[i], s);
        emu_monitor_printf(mon, "CPU#%u\n%s", i, s->str);
        if (s->len && s->str[s->len - 1] != '\n') {
            emu_monitor_printf(mon, "\n");
        }
    }
}

static void mon_info_version(EmuMonitor *mon, int argc, char **argv, void *op)
{
    emu_monitor_printf(mon, "%s\n", PACKAGE_VERSION);
}

static const EmuMonitorCmd mon_builtin_cmds[] = {
    {"help|?", "[cmd]", "show the help", mon_cmd_help, NULL},
    {"info", "[subcommand]", "show various information about the system state",
     mon_cmd_info, NULL},
    {"stop", "", "stop emulation", mon_cmd_stop, NULL},
    {"cont|c", "", "resume emulation", mon_cmd_cont, NULL},
    {"system_reset", "", "reset the system", mon_cmd_system_reset, NULL},
    {"system_powerdown", "", "power the system off (virt has no power button)",
     mon_cmd_system_powerdown, NULL},
    {"quit|q", "", "quit the emulator", mon_cmd_quit, NULL},
    {NULL},
};

static const EmuMonitorCmd mon_builtin_info[] = {
    {"status", "", "show the current VM status (running|paused)",
     mon_info_status, NULL},
    {"registers", "[-a]", "show the cpu registers", mon_info_registers, NULL},
    {"version", "", "show the version of vmkit", mon_info_version, NULL},
    {NULL},
};

/* ------------------------------------------------------------------ */
/* the chardev frontend (I/O thread, without the device lock)          */

static void mon_enter(EmuMonitor *mon)
{
    g_autofree char *line = g_strndup(mon->line, mon->line_len);

    mon->line_len = 0;
    mon_puts(mon, "\n");
    g_rec_mutex_lock(&mon->exec_lock);
    mon_run(mon, line);
    g_rec_mutex_unlock(&mon->exec_lock);
    if (!mon->quit) {
        mon_prompt(mon);
    }
}

static void mon_input_byte(EmuMonitor *mon, uint8_t ch)
{
    bool cr = false;

    switch (mon->esc) {
    case MON_ESC_START:
        mon->esc = (ch == '[' || ch == 'O') ? MON_ESC_CSI : MON_ESC_NONE;
        return;
    case MON_ESC_CSI:
        if (ch >= 0x40 && ch <= 0x7e) {
            mon->esc = MON_ESC_NONE; /* arrows, Home…: not supported */
        }
        return;
    case MON_ESC_NONE:
        break;
    }

    switch (ch) {
    case '\r':
        cr = true;
        mon_enter(mon);
        break;
    case '\n':
        if (!mon->last_cr) { /* "\r\n" from a socket client is one enter */
            mon_enter(mon);
        }
        break;
    case 0x7f: /* DEL, what terminals send for backspace */
    case '\b':
        if (mon->line_len) {
            mon->line_len--;
            mon_write_raw(mon, "\b \b", 3);
        }
        break;
    case 0x15: /* Ctrl-U: kill the line */
        while (mon->line_len) {
            mon->line_len--;
            mon_write_raw(mon, "\b \b", 3);
        }
        break;
    case 0x1b:
        mon->esc = MON_ESC_START;
        break;
    default:
        if (ch >= 0x20 && mon->line_len < MON_LINE_MAX - 1) {
            mon->line[mon->line_len++] = ch;
            mon_write_raw(mon, (const char *)&ch, 1);
        }
        break;
    }
    mon->last_cr = cr;
}

static size_t mon_can_read(void *opaque)
{
    return MON_LINE_MAX; /* every byte is consumed at once */
}

static void mon_receive(void *opaque, const uint8_t *buf, size_t len)
{
    EmuMonitor *mon = opaque;

    for (size_t i = 0; i < len; i++) {
        mon_input_byte(mon, buf[i]);
    }
}

static void mon_banner(EmuMonitor *mon)
{
    mon_puts(mon, MON_BANNER);
    mon->banner_done = true;
}

static void mon_event(void *opaque, EmuChardevEvent ev)
{
    EmuMonitor *mon = opaque;
    bool mux = emu_chardev_is_mux(mon->chr);

    switch (ev) {
    case EMU_CHR_EVENT_OPENED:
        /* a new client (socket, pty) gets a fresh session; on a mux the
         * monitor shows itself when the user switches to it */
        mon->line_len = 0;
        mon->esc = MON_ESC_NONE;
        mon->last_cr = false;
        if (!mux) {
            mon_banner(mon);
            mon_prompt(mon);
        }
        break;
    case EMU_CHR_EVENT_CLOSED:
        mon->line_len = 0;
        mon->esc = MON_ESC_NONE;
        break;
    case EMU_CHR_EVENT_FOCUS_IN:
        if (!mon->banner_done) {
            mon_banner(mon);
        }
        mon_prompt(mon);
        break;
    case EMU_CHR_EVENT_FOCUS_OUT:
        mon_puts(mon, "\n"); /* the console starts on a fresh line */
        break;
    }
}

/* ------------------------------------------------------------------ */

EmuMonitor *emu_monitor_new(EmuMachine *m, EmuChardev *chr, GError **error)
{
    if (!m) {
        g_set_error(error, EMU_ERROR, EMU_ERROR_INVALID, "monitor: no machine");
        return NULL;
    }
    EmuMonitor *mon = g_new0(EmuMonitor, 1);
    mon->m = m;
    mon->chr = chr;
    g_mutex_init(&mon->tab_lock);
    g_rec_mutex_init(&mon->exec_lock);
    mon->cmds = g_ptr_array_new_with_free_func(g_free);
    mon->info_cmds = g_ptr_array_new_with_free_func(g_free);
    emu_monitor_register(mon, mon_builtin_cmds);
    emu_monitor_register_info(mon, mon_builtin_info);

    if (chr) {
        EmuChardevFrontend fe = {
            .can_read = mon_can_read,
            .receive = mon_receive,
            .opaque = mon,
            .unlocked = true, /* stop/cont pause the harts */
            .event = mon_event,
        };
        emu_chardev_set_monitor_frontend(chr, &fe);
    }
    return mon;
}

void emu_monitor_free(EmuMonitor *mon)
{
    if (!mon) {
        return;
    }
    if (mon->chr) {
        emu_chardev_set_monitor_frontend(mon->chr, NULL);
    }
    g_ptr_array_unref(mon->cmds);
    g_ptr_array_unref(mon->info_cmds);
    g_mutex_clear(&mon->tab_lock);
    g_rec_mutex_clear(&mon->exec_lock);
    g_free(mon);
}
