/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-monitor.c: the human monitor over a unix socket chardev — built-in
 * commands, lifecycle requests, line editing, runtime-registered commands. */
#include "chr-test.h"

#include "emu-error.h"
#include "engine/core/monitor.h"
#include "engine/cpu/riscv/hart-api.h"

typedef struct {
    EmuMachine *m;
    EmuChardev *chr;
    EmuMonitor *mon;
    char *dir;
    char *path;
    int fd;
    GString *acc;
} MonFixture;

static void mon_fixture_up(MonFixture *f)
{
    g_autoptr(GError) err = NULL;

    f->dir = g_dir_make_tmp("mon-XXXXXX", NULL);
    f->path = g_build_filename(f->dir, "mon", NULL);
    g_autofree char *spec =
        g_strdup_printf("unix:%s,server=on,wait=off", f->path);
    f->m = chr_test_machine();
    f->chr = emu_chardev_new(f->m, spec, &err);
    g_assert_no_error(err);
    f->mon = emu_monitor_new(f->m, f->chr, &err);
    g_assert_no_error(err);
    f->acc = g_string_new(NULL);
    f->fd = test_unix_connect(f->path);
    /* a client is greeted with the banner and a prompt */
    g_autofree char *pre = test_expect(f->fd, f->acc, "(vmkit) ");
    g_assert_cmpstr(pre, ==,
                    "vmkit monitor - type 'help' for more information\r\n");
}

static void mon_fixture_down(MonFixture *f)
{
    close(f->fd);
    emu_monitor_free(f->mon);
    emu_chardev_free(f->chr);
    emu_machine_free(f->m);
    g_string_free(f->acc, TRUE);
    rmdir(f->dir);
    g_free(f->path);
    g_free(f->dir);
}

/* mon_cmd: types @line, returns the output up to the next prompt with the
 * echo of the line removed and "\r\n" turned into "\n". */
static char *mon_cmd(MonFixture *f, const char *line)
{
    test_write_all(f->fd, line, strlen(line));
    test_write_all(f->fd, "\r\n", 2);
    g_autofree char *out = test_expect(f->fd, f->acc, "(vmkit) ");
    g_autofree char *echo = g_strdup_printf("%s\r\n", line);
    g_assert_true(g_str_has_prefix(out, echo));
    g_auto(GStrv) parts = g_strsplit(out + strlen(echo), "\r\n", -1);
    return g_strjoinv("\n", parts);
}

static void test_status_stop_cont(void)
{
    MonFixture f;
    char *out;

    mon_fixture_up(&f);
    out = mon_cmd(&f, "info status");
    g_assert_cmpstr(out, ==, "VM status: running\n");
    g_free(out);

    out = mon_cmd(&f, "stop");
    g_assert_cmpstr(out, ==, "");
    g_free(out);
    g_assert_cmpint(atomic_load(&f.m->run_state), ==, EMU_RUN_PAUSED);
    out = mon_cmd(&f, "info status");
    g_assert_cmpstr(out, ==, "VM status: paused\n");
    g_free(out);

    out = mon_cmd(&f, "c");
    g_assert_cmpstr(out, ==, "");
    g_free(out);
    g_assert_cmpint(atomic_load(&f.m->run_state), ==, EMU_RUN_RUNNING);
    out = mon_cmd(&f, "stop");
    g_free(out);
    out = mon_cmd(&f, "cont");
    g_free(out);
    out = mon_cmd(&f, "info status");
    g_assert_cmpstr(out, ==, "VM status: running\n");
    g_free(out);

    atomic_store(&f.m->run_state, EMU_RUN_SHUTDOWN);
    out = mon_cmd(&f, "info status");
    g_assert_cmpstr(out, ==, "VM status: paused (shutdown)\n");
    g_free(out);
    mon_fixture_down(&f);
}

static void test_requests(void)
{
    static const struct {
        const char *cmd;
        EmuRequest req;
    } cases[] = {
        {"system_reset", EMU_REQ_RESET},
        {"system_powerdown", EMU_REQ_POWEROFF},
        {"quit", EMU_REQ_QUIT},
        {"q", EMU_REQ_QUIT},
    };
    MonFixture f;

    mon_fixture_up(&f);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpint(atomic_load(&f.m->request), ==, EMU_REQ_NONE);
        test_write_all(f.fd, cases[i].cmd, strlen(cases[i].cmd));
        test_write_all(f.fd, "\n", 1);
        g_assert_cmpint(emu_machine_wait_request(f.m, NULL), ==, cases[i].req);
        emu_machine_clear_request(f.m);
        g_autofree char *echo = g_strdup_printf("%s\r\n", cases[i].cmd);
        g_free(test_expect(f.fd, f.acc, echo));
        if (cases[i].req != EMU_REQ_QUIT) {
            g_free(test_expect(f.fd, f.acc, "(vmkit) "));
        }
    }
    /* after quit the monitor shows no prompt */
    g_assert_true(test_quiet(f.fd, 100));
    g_assert_cmpstr(f.acc->str, ==, "");
    mon_fixture_down(&f);
}

static void test_errors_and_help(void)
{
    MonFixture f;
    char *out;

    mon_fixture_up(&f);
    out = mon_cmd(&f, "foo bar");
    g_assert_cmpstr(out, ==, "unknown command: 'foo'\n");
    g_free(out);
    out = mon_cmd(&f, "info foo");
    g_assert_cmpstr(out, ==, "unknown command: 'info foo'\n");
    g_free(out);
    out = mon_cmd(&f, "");
    g_assert_cmpstr(out, ==, "");
    g_free(out);

    out = mon_cmd(&f, "help");
    g_assert_nonnull(strstr(out, "cont|c  -- resume emulation\n"));
    g_assert_nonnull(strstr(out, "quit|q  -- quit the emulator\n"));
    g_assert_nonnull(strstr(out, "stop  -- stop emulation\n"));
    /* sorted by name */
    g_assert_true(strstr(out, "cont|c") < strstr(out, "stop"));
    g_free(out);
    out = mon_cmd(&f, "? stop");
    g_assert_cmpstr(out, ==, "stop  -- stop emulation\n");
    g_free(out);
    out = mon_cmd(&f, "help info");
    g_assert_nonnull(strstr(out, "info status  -- show the current VM status"));
    g_assert_nonnull(strstr(out, "info version  -- "));
    g_free(out);
    out = mon_cmd(&f, "info");
    g_assert_nonnull(strstr(out, "info registers [-a] -- "));
    g_free(out);

    out = mon_cmd(&f, "info version");
    g_assert_cmpstr(out, ==, PACKAGE_VERSION "\n");
    g_free(out);
    mon_fixture_down(&f);
}

static void test_line_editing(void)
{
    MonFixture f;

    mon_fixture_up(&f);
    /* backspace (DEL and ^H) erases, echoed as "\b \b" */
    static const char typed[] = "infx\x7fo statuss\b\r";
    test_write_all(f.fd, typed, strlen(typed));
    g_autofree char *out = test_expect(f.fd, f.acc, "(vmkit) ");
    g_assert_nonnull(strstr(out, "VM status: running\r\n"));
    g_assert_nonnull(strstr(out, "x\b \bo"));
    g_assert_null(strstr(out, "unknown"));

    /* an arrow key's escape sequence is swallowed; "\r\n" is one enter */
    static const char arrow[] = "\x1b[Ainfo version\r\n";
    test_write_all(f.fd, arrow, strlen(arrow));
    g_free(test_expect(f.fd, f.acc, PACKAGE_VERSION "\r\n(vmkit) "));
    g_assert_true(test_quiet(f.fd, 100));

    /* Ctrl-U kills the line */
    static const char killed[] = "garbage\x15info version\n";
    test_write_all(f.fd, killed, strlen(killed));
    g_free(test_expect(f.fd, f.acc, PACKAGE_VERSION "\r\n(vmkit) "));
    g_assert_null(strstr(f.acc->str, "unknown"));

    /* an over-long line is cut, not overflowing */
    g_autofree char *longline = g_strnfill(5000, 'z');
    test_write_all(f.fd, longline, 5000);
    test_write_all(f.fd, "\n", 1);
    g_free(test_expect(f.fd, f.acc, "unknown command: 'zzz"));
    g_free(test_expect(f.fd, f.acc, "(vmkit) "));
    mon_fixture_down(&f);
}

/* a reconnecting client gets a fresh banner and an empty line */
static void test_reconnect(void)
{
    MonFixture f;

    mon_fixture_up(&f);
    test_write_all(f.fd, "half", 4);
    g_free(test_expect(f.fd, f.acc, "half"));
    close(f.fd);
    f.fd = test_unix_connect(f.path);
    g_string_truncate(f.acc, 0);
    g_free(test_expect(f.fd, f.acc, "help' for more information\r\n"));
    g_free(test_expect(f.fd, f.acc, "(vmkit) "));
    g_autofree char *out = mon_cmd(&f, "info status");
    g_assert_cmpstr(out, ==, "VM status: running\n");
    mon_fixture_down(&f);
}

typedef struct {
    int calls;
    char *args;
} EchoState;

static void cmd_echo(EmuMonitor *mon, int argc, char **argv, void *opaque)
{
    EchoState *st = opaque;
    g_autofree char *joined = g_strjoinv(",", argv);

    st->calls++;
    emu_monitor_printf(mon, "argc=%d %s\n", argc, joined);
}

static void info_widgets(EmuMonitor *mon, int argc, char **argv, void *opaque)
{
    emu_monitor_printf(mon, "%d widgets (%s)\n", GPOINTER_TO_INT(opaque),
                       argv[0]);
}

/* commands run without the device lock: they may pause the machine */
static void cmd_lockcheck(EmuMonitor *mon, int argc, char **argv, void *op)
{
    EmuMachine *m = emu_monitor_get_machine(mon);

    if (g_mutex_trylock(&m->dev_lock)) {
        g_mutex_unlock(&m->dev_lock);
        emu_monitor_printf(mon, "unlocked\n");
    } else {
        emu_monitor_printf(mon, "LOCKED\n");
    }
}

static void test_register(void)
{
    EchoState st = {0};
    const EmuMonitorCmd cmds[] = {
        {"echo|e", "words...", "print the words", cmd_echo, &st},
        {"lockcheck", "", "is the device lock free?", cmd_lockcheck, NULL},
        {NULL},
    };
    const EmuMonitorCmd infos[] = {
        {"widgets", "", "count the widgets", info_widgets, GINT_TO_POINTER(42)},
        {NULL},
    };
    MonFixture f;
    char *out;

    mon_fixture_up(&f);
    emu_monitor_register(f.mon, cmds);
    emu_monitor_register_info(f.mon, infos);

    out = mon_cmd(&f, "echo  a   b");
    g_assert_cmpstr(out, ==, "argc=3 echo,a,b\n");
    g_free(out);
    out = mon_cmd(&f, "e x");
    g_assert_cmpstr(out, ==, "argc=2 e,x\n");
    g_free(out);
    g_assert_cmpint(st.calls, ==, 2);
    out = mon_cmd(&f, "info widgets");
    g_assert_cmpstr(out, ==, "42 widgets (widgets)\n");
    g_free(out);
    out = mon_cmd(&f, "lockcheck");
    g_assert_cmpstr(out, ==, "unlocked\n");
    g_free(out);
    out = mon_cmd(&f, "help echo");
    g_assert_cmpstr(out, ==, "echo|e words... -- print the words\n");
    g_free(out);

    /* execute() captures output with plain newlines, nothing on the
     * socket */
    g_autoptr(GString) cap = g_string_new(NULL);
    emu_monitor_execute(f.mon, "echo\tvia  execute", cap);
    g_assert_cmpstr(cap->str, ==, "argc=3 echo,via,execute\n");
    g_assert_true(test_quiet(f.fd, 100));

    emu_monitor_unregister(f.mon, cmds);
    emu_monitor_unregister(f.mon, infos);
    out = mon_cmd(&f, "echo a");
    g_assert_cmpstr(out, ==, "unknown command: 'echo'\n");
    g_free(out);
    out = mon_cmd(&f, "info widgets");
    g_assert_cmpstr(out, ==, "unknown command: 'info widgets'\n");
    g_free(out);
    mon_fixture_down(&f);
}

/* a monitor with no chardev works through execute() alone */
static void test_execute_only(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    EmuMachine *m = chr_test_machine();
    EmuMonitor *mon = emu_monitor_new(m, NULL, &err);

    g_assert_no_error(err);
    g_assert_true(emu_monitor_get_machine(mon) == m);
    emu_monitor_execute(mon, "stop", out);
    g_assert_cmpint(atomic_load(&m->run_state), ==, EMU_RUN_PAUSED);
    emu_monitor_execute(mon, "info status", out);
    g_assert_cmpstr(out->str, ==, "VM status: paused\n");
    emu_monitor_printf(mon, "to nowhere\n"); /* no chardev: dropped */
    emu_monitor_free(mon);
    emu_machine_free(m);
}

static void test_info_registers(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    EmuMachine *m = chr_test_machine();
    EmuMonitor *mon = emu_monitor_new(m, NULL, &err);

    emu_monitor_execute(mon, "info registers", out);
    g_assert_cmpstr(out->str, ==, ""); /* no harts yet */

    for (unsigned i = 0; i < 2; i++) {
        EmuHart *h = emu_hart_new(m, i);
        emu_hart_reset(h, 0x1000, 0x87e00000, 0);
    }
    g_assert_cmpuint(m->nr_harts, ==, 2);
    g_autoptr(GString) dump0 = g_string_new(NULL);
    emu_hart_dump(m->harts[0], dump0);
    g_assert_cmpuint(dump0->len, >, 0);

    emu_monitor_execute(mon, "info registers", out);
    g_assert_true(g_str_has_prefix(out->str, "CPU#0\n"));
    g_assert_nonnull(strstr(out->str, "0000000000001000")); /* the pc */
    g_assert_nonnull(strstr(out->str, dump0->str));
    g_assert_nonnull(strstr(out->str, "\nCPU#1\n"));
    g_assert_true(strstr(out->str, "CPU#0") < strstr(out->str, "CPU#1"));
    emu_monitor_free(mon);
    emu_machine_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/monitor/status-stop-cont", test_status_stop_cont);
    g_test_add_func("/monitor/requests", test_requests);
    g_test_add_func("/monitor/errors-help", test_errors_and_help);
    g_test_add_func("/monitor/line-editing", test_line_editing);
    g_test_add_func("/monitor/reconnect", test_reconnect);
    g_test_add_func("/monitor/register", test_register);
    g_test_add_func("/monitor/execute-only", test_execute_only);
    g_test_add_func("/monitor/info-registers", test_info_registers);
    return g_test_run();
}
