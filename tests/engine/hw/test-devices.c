/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-devices.c: the SiFive test device (poweroff/reset/fail requests),
 * the Goldfish RTC (time, alarm interrupt) and the virtio-mmio slots. */
#include "config.h"

#include <stdlib.h>

#include "engine/hw/goldfish-rtc.h"
#include "engine/hw/syscon.h"
#include "engine/hw/virtio-slots.h"
#include "hw-test.h"

#define TEST_BASE   0x100000ULL
#define RTC_BASE    0x101000ULL
#define VIRTIO_BASE 0x10001000ULL

static EmuRequest take_request(EmuMachine *m, int *code)
{
    EmuRequest r = atomic_load(&m->request);

    if (r != EMU_REQ_NONE) {
        r = emu_machine_wait_request(m, code);
        emu_machine_clear_request(m);
    }
    return r;
}

static void test_syscon(void)
{
    g_autoptr(GError) err = NULL;
    EmuMachine *m = emu_machine_new();
    EmuSyscon *s = emu_syscon_new(m, TEST_BASE, &err);
    int code = -1;

    g_assert_no_error(err);
    g_assert_cmpuint(rd32(m, TEST_BASE), ==, 0);

    wr32(m, TEST_BASE, 0x5555);
    g_assert_cmpint(take_request(m, &code), ==, EMU_REQ_POWEROFF);
    g_assert_cmpint(code, ==, 0);

    wr32(m, TEST_BASE, 0x7777);
    g_assert_cmpint(take_request(m, &code), ==, EMU_REQ_RESET);

    wr32(m, TEST_BASE, 0x3333 | (42 << 16));
    g_assert_cmpint(take_request(m, &code), ==, EMU_REQ_FAIL);
    g_assert_cmpint(code, ==, 42);

    /* unknown commands and other offsets do nothing (logged) */
    wr32(m, TEST_BASE, 0x1234);
    wr32(m, TEST_BASE + 4, 0x5555);
    g_assert_cmpint(take_request(m, NULL), ==, EMU_REQ_NONE);

    emu_machine_free(m);
    emu_syscon_free(s);
}

static uint64_t rtc_time(EmuMachine *m)
{
    uint64_t lo = rd32(m, RTC_BASE + EMU_RTC_TIME_LOW);

    return lo | (uint64_t)rd32(m, RTC_BASE + EMU_RTC_TIME_HIGH) << 32;
}

static bool wait_level(EmuMachine *m, IrqProbe *p, bool want)
{
    int64_t deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (g_get_monotonic_time() < deadline) {
        bool level;

        emu_machine_lock(m);
        level = p->level;
        emu_machine_unlock(m);
        if (level == want) {
            return true;
        }
        g_main_context_iteration(m->io_ctx, FALSE);
        g_usleep(1000);
    }
    return false;
}

static void test_rtc(void)
{
    g_autoptr(GError) err = NULL;
    EmuMachine *m = emu_machine_new();
    IrqProbe irq;
    EmuGoldfishRtc *r;
    int64_t host;
    uint64_t t, alarm;

    irq_probe_init(&irq);
    r = emu_goldfish_rtc_new(m, RTC_BASE, &irq.irq, &err);
    g_assert_no_error(err);

    /* host wall clock in ns */
    host = g_get_real_time() * 1000;
    t = rtc_time(m);
    g_assert_cmpint(llabs((int64_t)t - host), <, 1000000000LL);

    /* setting the time: HIGH then LOW, as rtc-goldfish does */
    wr32(m, RTC_BASE + EMU_RTC_TIME_HIGH, 0x12345678);
    wr32(m, RTC_BASE + EMU_RTC_TIME_LOW, 0);
    t = rtc_time(m);
    g_assert_cmphex(t >> 32, ==, 0x12345678);
    g_assert_cmpuint(t & 0xffffffff, <, 1000000000ULL);

    /* an alarm 20 ms ahead raises the interrupt from the I/O context */
    alarm = rtc_time(m) + 20000000;
    wr32(m, RTC_BASE + EMU_RTC_ALARM_HIGH, alarm >> 32);
    wr32(m, RTC_BASE + EMU_RTC_ALARM_LOW, (uint32_t)alarm);
    wr32(m, RTC_BASE + EMU_RTC_IRQ_ENABLED, 1);
    g_assert_cmpuint(rd32(m, RTC_BASE + EMU_RTC_ALARM_STATUS), ==, 1);
    g_assert_cmphex(rd32(m, RTC_BASE + EMU_RTC_ALARM_HIGH), ==, alarm >> 32);
    g_assert_false(irq.level);
    g_assert_true(wait_level(m, &irq, true));
    g_assert_cmpuint(rtc_time(m), >=, alarm);
    g_assert_cmpuint(rd32(m, RTC_BASE + EMU_RTC_ALARM_STATUS), ==, 0);
    wr32(m, RTC_BASE + EMU_RTC_CLEAR_INTERRUPT, 1);
    g_assert_false(irq.level);

    /* an alarm in the past fires at once; masked until enabled */
    wr32(m, RTC_BASE + EMU_RTC_IRQ_ENABLED, 0);
    wr32(m, RTC_BASE + EMU_RTC_ALARM_LOW, 0);
    g_assert_false(irq.level);
    wr32(m, RTC_BASE + EMU_RTC_IRQ_ENABLED, 1);
    g_assert_true(irq.level);
    wr32(m, RTC_BASE + EMU_RTC_CLEAR_INTERRUPT, 1);

    /* a cancelled alarm never fires */
    alarm = rtc_time(m) + 10000000;
    wr32(m, RTC_BASE + EMU_RTC_ALARM_HIGH, alarm >> 32);
    wr32(m, RTC_BASE + EMU_RTC_ALARM_LOW, (uint32_t)alarm);
    wr32(m, RTC_BASE + EMU_RTC_CLEAR_ALARM, 1);
    g_assert_cmpuint(rd32(m, RTC_BASE + EMU_RTC_ALARM_STATUS), ==, 0);
    g_usleep(30000);
    while (g_main_context_iteration(m->io_ctx, FALSE)) {
    }
    g_assert_false(irq.level);

    /* an alarm left running at free time is cancelled */
    alarm = rtc_time(m) + 1000000000ULL;
    wr32(m, RTC_BASE + EMU_RTC_ALARM_HIGH, alarm >> 32);
    wr32(m, RTC_BASE + EMU_RTC_ALARM_LOW, (uint32_t)alarm);
    emu_goldfish_rtc_free(r);
    emu_machine_free(m);
}

typedef struct {
    uint64_t last_off, last_val;
    unsigned last_size;
    unsigned resets;
} FakeTransport;

static uint64_t fake_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xabc00000 | off;
}

static void fake_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    FakeTransport *t = opaque;

    t->last_off = off;
    t->last_val = v;
    t->last_size = size;
}

static void fake_reset(void *opaque)
{
    ((FakeTransport *)opaque)->resets++;
}

static const EmuMmioOps fake_ops = {
    .read = fake_read,
    .write = fake_write,
    .min_access = 4,
    .max_access = 4,
};

static void test_virtio_slots(void)
{
    g_autoptr(GError) err = NULL;
    EmuMachine *m = emu_machine_new();
    IrqProbe probes[8];
    EmuIrq *irqs[8];
    EmuVirtioSlots *vs;
    EmuVirtioSlot slot;
    FakeTransport t = {0}, t2 = {0};

    for (unsigned i = 0; i < 8; i++) {
        irq_probe_init(&probes[i]);
        irqs[i] = &probes[i].irq;
    }
    vs = emu_virtio_slots_new(m, VIRTIO_BASE, 0x1000, 8, irqs, &err);
    g_assert_no_error(err);

    for (unsigned i = 0; i < 8; i++) {
        uint64_t b = VIRTIO_BASE + i * 0x1000;

        g_assert_cmphex(rd32(m, b + 0x000), ==, 0x74726976);
        g_assert_cmphex(rd32(m, b + 0x004), ==, 2);
        g_assert_cmphex(rd32(m, b + 0x008), ==, 0);
        g_assert_cmphex(rd32(m, b + 0x00c), ==, 0x554d4551);
        g_assert_cmphex(rd32(m, b + 0x070), ==, 0);
        g_assert_cmphex(rd8(m, b + 1), ==, 'i');
        wr32(m, b + 0x070, 0xff); /* ignored */
        g_assert_cmphex(rd32(m, b + 0x070), ==, 0);
    }

    /* the first claim takes the highest slot, as QEMU's first device */
    g_assert_true(
        emu_virtio_slot_claim(vs, -1, &fake_ops, &t, fake_reset, &slot, &err));
    g_assert_cmpuint(slot.index, ==, 7);
    g_assert_cmphex(slot.base, ==, VIRTIO_BASE + 7 * 0x1000);
    g_assert_true(slot.irq == irqs[7]);
    g_assert_cmphex(rd32(m, slot.base + 0x10), ==, 0xabc00010);
    hw_wr(m, slot.base + 0x20, 0x1122334455667788ULL, 8);
    g_assert_cmphex(t.last_off, ==, 0x24);
    g_assert_cmphex(t.last_val, ==, 0x11223344);
    g_assert_cmpuint(t.last_size, ==, 4);

    g_assert_true(
        emu_virtio_slot_claim(vs, 2, &fake_ops, &t2, NULL, &slot, &err));
    g_assert_cmpuint(slot.index, ==, 2);
    g_assert_false(
        emu_virtio_slot_claim(vs, 2, &fake_ops, &t2, NULL, &slot, &err));
    g_assert_error(err, EMU_ERROR, EMU_ERROR_EXISTS);
    g_clear_error(&err);
    /* slot 6 is the next one for an anonymous claim */
    g_assert_true(
        emu_virtio_slot_claim(vs, -1, &fake_ops, &t2, NULL, &slot, &err));
    g_assert_cmpuint(slot.index, ==, 6);

    emu_machine_lock(m);
    emu_virtio_slots_reset(vs);
    emu_machine_unlock(m);
    g_assert_cmpuint(t.resets, ==, 1);

    emu_machine_free(m);
    emu_virtio_slots_free(vs);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hw/syscon/requests", test_syscon);
    g_test_add_func("/hw/rtc/time-alarm", test_rtc);
    g_test_add_func("/hw/virtio-slots/empty-and-claim", test_virtio_slots);
    return g_test_run();
}
