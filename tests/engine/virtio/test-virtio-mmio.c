/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-virtio-mmio.c: the virtio-mmio version 2 transport on the board's
 * slots, as Linux's virtio_mmio probes it — identity, slot placement and
 * interrupt lines, register widths, queue registers and QueueReady,
 * InterruptStatus/ACK, ConfigGeneration, shared memory, reset.
 * virtio 1.2 §4.2. */
#include "config.h"

#include "virtio-test.h"

#define SLOT(n) (VIRTIO_MMIO_BASE + (n)*0x1000ULL)
#define BASE    SLOT(7)

static void setup(Fixture *f, gconstpointer data)
{
    fixture_up(f, false, NULL);
}

static void teardown(Fixture *f, gconstpointer data)
{
    fixture_down(f);
}

static void test_identity(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;

    g_assert_cmphex(hw_rd(m, BASE + M_MAGIC, 4), ==, 0x74726976);
    g_assert_cmphex(hw_rd(m, BASE + M_VERSION, 4), ==, 2);
    g_assert_cmphex(hw_rd(m, BASE + M_DEVICE_ID, 4), ==, 1);
    g_assert_cmphex(hw_rd(m, BASE + M_VENDOR_ID, 4), ==, 0x554d4551);
    /* the other slots stay empty transports */
    for (unsigned i = 0; i < 7; i++) {
        g_assert_cmphex(hw_rd(m, SLOT(i) + M_MAGIC, 4), ==, 0x74726976);
        g_assert_cmphex(hw_rd(m, SLOT(i) + M_DEVICE_ID, 4), ==, 0);
    }
}

/* the second device takes the next slot down, with its own line */
static void test_second_device(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    g_autoptr(GError) err = NULL;
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x57};
    Drv d2 = {.m = m, .mmio = SLOT(6), .slot_irq = 7};
    Ring tx;
    GBuf b = {BUF_BASE, NET_HDR + 60, false};

    g_assert_true(emu_virtio_net_mmio_create(m, NULL, mac, "nic1", NULL, &err));
    g_assert_no_error(err);
    g_assert_cmphex(hw_rd(m, SLOT(6) + M_DEVICE_ID, 4), ==, 1);
    g_assert_cmphex(hw_rd(m, SLOT(6) + M_CONFIG + 5, 1), ==, 0x57);
    g_assert_cmphex(hw_rd(m, BASE + M_CONFIG + 5, 1), ==, 0x56);

    drv_bringup(&d2, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), NULL, &tx, 256);
    ring_add(&tx, &b, 1);
    drv_notify(&d2, 1);
    g_assert_true(plic_line(m, 7));
    g_assert_false(plic_line(m, 8));
    g_assert_cmphex(drv_isr(&d2), ==, EMU_VIRTIO_ISR_QUEUE);
    g_assert_false(plic_line(m, 7));
}

/* registers are 32-bit; the configuration space takes any width */
static void test_widths(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;

    g_assert_cmphex(hw_rd(m, BASE + M_MAGIC, 1), ==, 0);
    g_assert_cmphex(hw_rd(m, BASE + M_MAGIC, 2), ==, 0);
    hw_wr(m, BASE + M_STATUS, EMU_VIRTIO_STATUS_ACKNOWLEDGE, 1);
    g_assert_cmphex(hw_rd(m, BASE + M_STATUS, 4), ==, 0);
    g_assert_cmphex(hw_rd(m, BASE + M_CONFIG + 1, 1), ==, 0x54);
    g_assert_cmphex(hw_rd(m, BASE + M_CONFIG + 2, 2), ==, 0x1200);
    g_assert_cmphex(hw_rd(m, BASE + M_CONFIG, 8), ==, 0x0001563412005452ULL);
    /* past the configuration space */
    g_assert_cmphex(hw_rd(m, BASE + 0x800, 4), ==, 0);
    hw_wr(m, BASE + 0x800, 0x1234, 4);
    /* a 64-bit register access arrives as two 32-bit halves */
    g_assert_cmphex(hw_rd(m, BASE + M_MAGIC, 8), ==, 0x0000000274726976ULL);
}

static void test_queue_regs(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    Ring rx;

    hw_wr(m, BASE + M_QUEUE_SEL, 0, 4);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_NUM_MAX, 4), ==, 256);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_READY, 4), ==, 0);
    hw_wr(m, BASE + M_QUEUE_NUM, 64, 4);
    hw_wr(m, BASE + M_DESC_LO, 0x80100000, 4);
    hw_wr(m, BASE + M_DESC_HI, 0, 4);
    g_assert_cmphex(hw_rd(m, BASE + M_QUEUE_NUM, 4), ==, 64);
    g_assert_cmphex(hw_rd(m, BASE + M_DESC_LO, 4), ==, 0x80100000);
    /* a queue that does not exist */
    hw_wr(m, BASE + M_QUEUE_SEL, 2, 4);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_NUM_MAX, 4), ==, 0);
    hw_wr(m, BASE + M_QUEUE_NUM, 64, 4);
    hw_wr(m, BASE + M_QUEUE_READY, 1, 4);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_READY, 4), ==, 0);
    hw_wr(m, BASE + M_QUEUE_SEL, 0x12345678, 4);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_NUM_MAX, 4), ==, 0);

    /* ready: the layout is frozen; QueueReady 0 stops the queue */
    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), &rx, NULL, 128);
    g_assert_true(drv_queue_ready(d, 0));
    hw_wr(m, BASE + M_QUEUE_NUM, 32, 4);
    hw_wr(m, BASE + M_DESC_LO, 0, 4);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_NUM, 4), ==, 128);
    g_assert_cmphex(hw_rd(m, BASE + M_DESC_LO, 4), ==, (uint32_t)RXQ_BASE);
    hw_wr(m, BASE + M_QUEUE_READY, 0, 4);
    g_assert_false(drv_queue_ready(d, 0));

    /* status 0 resets the queues */
    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), &rx, NULL, 128);
    drv_set_status(d, 0);
    g_assert_false(drv_queue_ready(d, 0));
    hw_wr(m, BASE + M_QUEUE_SEL, 0, 4);
    g_assert_cmpuint(hw_rd(m, BASE + M_QUEUE_NUM, 4), ==, 256);
    g_assert_cmphex(hw_rd(m, BASE + M_DESC_LO, 4), ==, 0);
}

/* InterruptStatus bits are acknowledged one by one; the line follows */
static void test_interrupts(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    Ring tx;
    GBuf b = {BUF_BASE, NET_HDR + 60, false};
    g_autoptr(GError) err = NULL;
    uint32_t gen;

    drv_bringup(
        d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1) | EMU_VIRTIO_BIT(F_STATUS),
        NULL, &tx, 256);
    gen = hw_rd(m, BASE + M_CONFIG_GEN, 4);
    ring_add(&tx, &b, 1);
    drv_notify(d, 1);
    emu_machine_lock(m);
    g_assert_true(emu_net_set_link(f->net, "nic0", false, &err));
    emu_machine_unlock(m);
    g_assert_cmphex(hw_rd(m, BASE + M_INT_STATUS, 4), ==, 3);
    g_assert_cmpuint(hw_rd(m, BASE + M_CONFIG_GEN, 4), ==, gen + 1);
    g_assert_true(plic_line(m, 8));
    hw_wr(m, BASE + M_INT_ACK, EMU_VIRTIO_ISR_QUEUE, 4);
    g_assert_cmphex(hw_rd(m, BASE + M_INT_STATUS, 4), ==, 2);
    g_assert_true(plic_line(m, 8));
    hw_wr(m, BASE + M_INT_ACK, EMU_VIRTIO_ISR_CONFIG, 4);
    g_assert_cmphex(hw_rd(m, BASE + M_INT_STATUS, 4), ==, 0);
    g_assert_false(plic_line(m, 8));
    /* InterruptStatus is read-only */
    hw_wr(m, BASE + M_INT_STATUS, 3, 4);
    g_assert_cmphex(hw_rd(m, BASE + M_INT_STATUS, 4), ==, 0);
}

static void test_shm(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;

    /* no shared memory regions: length ~0 */
    hw_wr(m, BASE + 0x0ac, 0, 4);
    g_assert_cmphex(hw_rd(m, BASE + M_SHM_LEN_LO, 4), ==, 0xffffffff);
    g_assert_cmphex(hw_rd(m, BASE + M_SHM_LEN_LO + 4, 4), ==, 0xffffffff);
}

/* the slot's board reset hook resets the device */
static void test_board_reset(Fixture *f, gconstpointer data)
{
    EmuMachine *m = f->m;
    Drv *d = f->d;
    Ring tx;
    GBuf b = {BUF_BASE, NET_HDR + 60, false};
    g_autoptr(GError) err = NULL;

    drv_bringup(d, EMU_VIRTIO_BIT(EMU_VIRTIO_F_VERSION_1), NULL, &tx, 256);
    ring_add(&tx, &b, 1);
    drv_notify(d, 1);
    g_assert_true(plic_line(m, 8));
    g_assert_true(emu_virt_reset(m, &err));
    g_assert_no_error(err);
    g_assert_false(plic_line(m, 8));
    g_assert_cmphex(drv_status(d), ==, 0);
    g_assert_cmphex(hw_rd(m, BASE + M_INT_STATUS, 4), ==, 0);
    g_assert_false(drv_queue_ready(d, 1));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/virtio-mmio/identity", Fixture, NULL, setup, test_identity,
               teardown);
    g_test_add("/virtio-mmio/second-device", Fixture, NULL, setup,
               test_second_device, teardown);
    g_test_add("/virtio-mmio/widths", Fixture, NULL, setup, test_widths,
               teardown);
    g_test_add("/virtio-mmio/queue-regs", Fixture, NULL, setup, test_queue_regs,
               teardown);
    g_test_add("/virtio-mmio/interrupts", Fixture, NULL, setup, test_interrupts,
               teardown);
    g_test_add("/virtio-mmio/shm", Fixture, NULL, setup, test_shm, teardown);
    g_test_add("/virtio-mmio/board-reset", Fixture, NULL, setup,
               test_board_reset, teardown);
    return g_test_run();
}
