/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-uart.c: the 16550A — THR output through a chardev, RX FIFO and its
 * trigger levels, IIR priorities, LSR bits, DLAB, loopback. */
#include "config.h"

#include <string.h>

#include "engine/hw/uart16550.h"
#include "hw-test.h"

#define BASE 0x10000000ULL
#define RBR  (BASE + 0)
#define THR  (BASE + 0)
#define DLL  (BASE + 0)
#define IER  (BASE + 1)
#define DLM  (BASE + 1)
#define IIR  (BASE + 2)
#define FCR  (BASE + 2)
#define LCR  (BASE + 3)
#define MCR  (BASE + 4)
#define LSR  (BASE + 5)
#define MSR  (BASE + 6)
#define SCR  (BASE + 7)

typedef struct {
    EmuMachine *m;
    EmuUart16550 *u;
    IrqProbe irq;
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;

    f->m = emu_machine_new();
    irq_probe_init(&f->irq);
    f->u = emu_uart16550_new(f->m, BASE, &f->irq.irq, NULL, &err);
    g_assert_no_error(err);
}

static void teardown(Fixture *f, gconstpointer data)
{
    emu_uart16550_free(f->u);
    emu_machine_free(f->m);
}

static size_t can_rx(Fixture *f)
{
    size_t n;

    emu_machine_lock(f->m);
    n = emu_uart16550_can_receive(f->u);
    emu_machine_unlock(f->m);
    return n;
}

static void rx(Fixture *f, const char *s)
{
    emu_machine_lock(f->m);
    emu_uart16550_receive(f->u, (const uint8_t *)s, strlen(s));
    emu_machine_unlock(f->m);
}

static void test_reset_state(Fixture *f, gconstpointer data)
{
    g_assert_cmphex(rd8(f->m, IIR), ==, 0x01);
    g_assert_cmphex(rd8(f->m, LSR), ==, 0x60); /* THRE | TEMT */
    g_assert_cmphex(rd8(f->m, IER), ==, 0);
    g_assert_false(f->irq.level);
    /* beyond the eight registers: reads zero */
    g_assert_cmphex(rd8(f->m, BASE + 0x10), ==, 0);
    wr8(f->m, SCR, 0x5a);
    g_assert_cmphex(rd8(f->m, SCR), ==, 0x5a);
}

static void test_dlab(Fixture *f, gconstpointer data)
{
    wr8(f->m, IER, 0x05);
    wr8(f->m, LCR, 0x83);
    wr8(f->m, DLL, 0x12);
    wr8(f->m, DLM, 0x34);
    g_assert_cmphex(rd8(f->m, DLL), ==, 0x12);
    g_assert_cmphex(rd8(f->m, DLM), ==, 0x34);
    wr8(f->m, LCR, 0x03);
    g_assert_cmphex(rd8(f->m, LCR), ==, 0x03);
    g_assert_cmphex(rd8(f->m, IER), ==, 0x05);
    /* with DLAB clear, offset 0 is RBR again (empty FIFO reads 0) */
    g_assert_cmphex(rd8(f->m, RBR), ==, 0);
}

static void test_rx_fifo(Fixture *f, gconstpointer data)
{
    /* non-FIFO mode holds one byte */
    g_assert_cmpuint(can_rx(f), ==, 1);
    wr8(f->m, FCR, 0x81); /* FIFO on, trigger 8 */
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc1);
    g_assert_cmpuint(can_rx(f), ==, EMU_UART_FIFO);
    wr8(f->m, IER, 0x01);

    rx(f, "abcd");
    g_assert_cmpuint(can_rx(f), ==, EMU_UART_FIFO - 4);
    g_assert_true(rd8(f->m, LSR) & 0x01);
    /* below the trigger level: character timeout indication */
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xcc);
    g_assert_true(f->irq.level);
    rx(f, "efgh");
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc4); /* trigger reached */

    for (const char *c = "abcdefgh"; *c; c++) {
        g_assert_cmphex(rd8(f->m, RBR), ==, *c);
    }
    g_assert_false(rd8(f->m, LSR) & 0x01);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc1);
    g_assert_false(f->irq.level);

    /* a full FIFO accepts nothing more; FCR bit 1 clears it */
    rx(f, "0123456789abcdef");
    g_assert_cmpuint(can_rx(f), ==, 0);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc4);
    wr8(f->m, FCR, 0x83);
    g_assert_cmpuint(can_rx(f), ==, EMU_UART_FIFO);
    g_assert_false(rd8(f->m, LSR) & 0x01);
    g_assert_false(f->irq.level);

    /* interrupts disabled: data waits without raising the line */
    wr8(f->m, IER, 0);
    rx(f, "z");
    g_assert_false(f->irq.level);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc1);
    g_assert_cmphex(rd8(f->m, RBR), ==, 'z');
}

static void test_thre(Fixture *f, gconstpointer data)
{
    /* enabling ETBEI with THR empty raises THRI at once */
    wr8(f->m, IER, 0x02);
    g_assert_true(f->irq.level);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0x02);
    /* reading IIR acknowledged it */
    g_assert_false(f->irq.level);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0x01);
    /* a transmitted byte empties THR again: THRI again */
    wr8(f->m, THR, 'x');
    g_assert_true(f->irq.level);
    g_assert_cmphex(rd8(f->m, LSR) & 0x60, ==, 0x60);
    /* disable and re-enable (the 8250 driver's THRE test) */
    wr8(f->m, IER, 0);
    g_assert_false(f->irq.level);
    wr8(f->m, IER, 0x02);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0x02);
}

static void test_priority_loopback(Fixture *f, gconstpointer data)
{
    wr8(f->m, FCR, 0x01);
    wr8(f->m, MCR, 0x10);
    g_assert_cmpuint(can_rx(f), ==, 0); /* the input pin is cut */
    wr8(f->m, THR, 'L');
    g_assert_true(rd8(f->m, LSR) & 0x01);
    g_assert_cmphex(rd8(f->m, RBR), ==, 'L');

    /* overflow the FIFO: overrun is a line status interrupt, which beats
     * received data, which beats THR empty */
    for (unsigned i = 0; i < EMU_UART_FIFO + 1; i++) {
        wr8(f->m, THR, 'a' + i);
    }
    wr8(f->m, IER, 0x07);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc6);
    g_assert_cmphex(rd8(f->m, LSR) & 0x03, ==, 0x03); /* OE | DR, clears OE */
    g_assert_false(rd8(f->m, LSR) & 0x02);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc4);
    for (unsigned i = 0; i < EMU_UART_FIFO; i++) {
        g_assert_cmphex(rd8(f->m, RBR), ==, 'a' + i);
    }
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc2);

    /* modem lines follow MCR in loopback; deltas clear on read */
    wr8(f->m, IER, 0x08);
    (void)rd8(f->m, MSR);
    wr8(f->m, MCR, 0x1f);
    g_assert_cmphex(rd8(f->m, MSR), ==, 0xf0 | 0x0b);
    g_assert_cmphex(rd8(f->m, MSR), ==, 0xf0);
    wr8(f->m, MCR, 0x10);
    g_assert_cmphex(rd8(f->m, IIR) & 0x0f, ==, 0x00); /* MSI */
    g_assert_cmphex(rd8(f->m, MSR), ==, 0x0f);
    g_assert_cmphex(rd8(f->m, IIR), ==, 0xc1);
    /* leaving loopback: the port looks connected again */
    wr8(f->m, MCR, 0x08);
    g_assert_cmphex(rd8(f->m, MSR) & 0xf0, ==, 0xb0);
    g_assert_cmpuint(can_rx(f), ==, EMU_UART_FIFO);
}

static char *wait_file(const char *path, size_t want)
{
    for (unsigned i = 0; i < 500; i++) {
        char *s = NULL;
        gsize len = 0;

        if (g_file_get_contents(path, &s, &len, NULL) && len >= want) {
            return s;
        }
        g_free(s);
        g_usleep(10000);
    }
    return NULL;
}

static void test_chardev_output(void)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("vmkit-uart-XXXXXX", &err);
    g_autofree char *path = g_build_filename(dir, "out", NULL);
    g_autofree char *spec = g_strconcat("file:", path, NULL);
    g_autofree char *got = NULL;
    EmuMachine *m = emu_machine_new();
    EmuChardev *c = emu_chardev_new(m, spec, &err);
    EmuUart16550 *u;

    g_assert_no_error(err);
    u = emu_uart16550_new(m, BASE, NULL, c, &err);
    g_assert_no_error(err);
    emu_machine_start_io(m);
    for (const char *s = "hello\n"; *s; s++) {
        wr8(m, THR, *s);
    }
    got = wait_file(path, 6);
    g_assert_cmpstr(got, ==, "hello\n");
    emu_machine_stop_io(m);
    emu_uart16550_free(u);
    emu_chardev_free(c);
    emu_machine_free(m);
    g_unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/hw/uart/reset-state", Fixture, NULL, setup, test_reset_state,
               teardown);
    g_test_add("/hw/uart/dlab", Fixture, NULL, setup, test_dlab, teardown);
    g_test_add("/hw/uart/rx-fifo", Fixture, NULL, setup, test_rx_fifo,
               teardown);
    g_test_add("/hw/uart/thre", Fixture, NULL, setup, test_thre, teardown);
    g_test_add("/hw/uart/priority-loopback", Fixture, NULL, setup,
               test_priority_loopback, teardown);
    g_test_add_func("/hw/uart/chardev-output", test_chardev_output);
    return g_test_run();
}
