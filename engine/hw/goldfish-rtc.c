/* SPDX-License-Identifier: GPL-2.0-or-later */
/* goldfish-rtc.c: Goldfish RTC — wall-clock time in ns, one alarm with an
 * interrupt. Register semantics follow the Android emulator's
 * GOLDFISH-VIRTUAL-HARDWARE.TXT ("Goldfish real-time clock") and what
 * Linux's drivers/rtc/rtc-goldfish.c expects: reading TIME_LOW latches
 * TIME_HIGH; writing ALARM_LOW arms the alarm. */
#include "config.h"

#include "emu-error.h"
#include "engine/hw/goldfish-rtc.h"
#include "engine/hw/guest-log.h"

struct EmuGoldfishRtc {
    EmuMachine *m;
    EmuRegion *region;
    EmuIrq *irq;
    int64_t offset_ns;  /* guest time = host wall clock + offset */
    uint32_t time_high; /* latched by a TIME_LOW read */
    uint64_t alarm_ns;  /* guest time of the next alarm */
    bool alarm_running;
    bool irq_enabled;
    bool irq_pending;
    GSource *alarm_src; /* timer on the I/O thread while the alarm runs */
    EmuGuestLog log;
};

static int64_t rtc_now(EmuGoldfishRtc *r)
{
    return g_get_real_time() * 1000 + r->offset_ns;
}

static void update_irq(EmuGoldfishRtc *r)
{
    emu_irq_set(r->irq, r->irq_pending && r->irq_enabled);
}

static void stop_timer(EmuGoldfishRtc *r)
{
    if (r->alarm_src) {
        g_source_destroy(r->alarm_src);
        g_source_unref(r->alarm_src);
        r->alarm_src = NULL;
    }
}

static void arm_timer(EmuGoldfishRtc *r);

static gboolean alarm_cb(gpointer data)
{
    EmuGoldfishRtc *r = data;

    emu_machine_lock(r->m);
    /* re-armed or cancelled while we waited for the lock */
    if (g_source_is_destroyed(g_main_current_source())) {
        emu_machine_unlock(r->m);
        return G_SOURCE_REMOVE;
    }
    g_source_unref(r->alarm_src);
    r->alarm_src = NULL;
    if (r->alarm_running) {
        if ((int64_t)r->alarm_ns <= rtc_now(r)) {
            r->alarm_running = false;
            r->irq_pending = true;
            update_irq(r);
        } else {
            arm_timer(r); /* woke early (wall clock moved): wait again */
        }
    }
    emu_machine_unlock(r->m);
    return G_SOURCE_REMOVE;
}

static void arm_timer(EmuGoldfishRtc *r)
{
    int64_t delta = (int64_t)r->alarm_ns - rtc_now(r);
    guint ms;

    stop_timer(r);
    if (delta <= 0) {
        /* an alarm in the past fires at once */
        r->alarm_running = false;
        r->irq_pending = true;
        update_irq(r);
        return;
    }
    ms = delta / 1000000 + 1 > G_MAXUINT ? G_MAXUINT
                                         : (guint)(delta / 1000000 + 1);
    r->alarm_src = g_timeout_source_new(ms);
    g_source_set_callback(r->alarm_src, alarm_cb, r, NULL);
    g_source_attach(r->alarm_src, r->m->io_ctx);
}

static uint64_t rtc_read(void *opaque, uint64_t off, unsigned size)
{
    EmuGoldfishRtc *r = opaque;

    switch (off) {
    case EMU_RTC_TIME_LOW: {
        uint64_t now = rtc_now(r);

        r->time_high = now >> 32;
        return (uint32_t)now;
    }
    case EMU_RTC_TIME_HIGH:
        return r->time_high;
    case EMU_RTC_ALARM_LOW:
        return (uint32_t)r->alarm_ns;
    case EMU_RTC_ALARM_HIGH:
        return r->alarm_ns >> 32;
    case EMU_RTC_IRQ_ENABLED:
        return r->irq_enabled;
    case EMU_RTC_ALARM_STATUS:
        return r->alarm_running;
    default:
        return 0;
    }
}

static void rtc_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    EmuGoldfishRtc *r = opaque;
    uint32_t v = value;

    switch (off) {
    case EMU_RTC_TIME_LOW:
    case EMU_RTC_TIME_HIGH: {
        uint64_t now = rtc_now(r);
        uint64_t set = off == EMU_RTC_TIME_LOW
                           ? (now & ~0xffffffffULL) | v
                           : (now & 0xffffffffULL) | (uint64_t)v << 32;

        r->offset_ns += (int64_t)(set - now);
        if (r->alarm_running) {
            arm_timer(r); /* the alarm is in guest time: re-aim it */
        }
        break;
    }
    case EMU_RTC_ALARM_LOW:
        r->alarm_ns = (r->alarm_ns & ~0xffffffffULL) | v;
        r->alarm_running = true;
        arm_timer(r);
        break;
    case EMU_RTC_ALARM_HIGH:
        r->alarm_ns = (r->alarm_ns & 0xffffffffULL) | (uint64_t)v << 32;
        break;
    case EMU_RTC_IRQ_ENABLED:
        r->irq_enabled = v & 1;
        update_irq(r);
        break;
    case EMU_RTC_CLEAR_ALARM:
        r->alarm_running = false;
        stop_timer(r);
        break;
    case EMU_RTC_CLEAR_INTERRUPT:
        r->irq_pending = false;
        update_irq(r);
        break;
    default:
        emu_guest_error(&r->log, "rtc", "write to offset 0x%" PRIx64, off);
        break;
    }
}

static const EmuMmioOps rtc_ops = {
    .read = rtc_read,
    .write = rtc_write,
    .min_access = 4,
    .max_access = 4,
};

EmuGoldfishRtc *emu_goldfish_rtc_new(EmuMachine *m, uint64_t base, EmuIrq *irq,
                                     GError **error)
{
    EmuGoldfishRtc *r = g_new0(EmuGoldfishRtc, 1);

    r->m = m;
    r->irq = irq;
    r->region =
        emu_mem_add_mmio(m, "rtc", base, EMU_RTC_SIZE, &rtc_ops, r, error);
    if (!r->region) {
        g_free(r);
        return NULL;
    }
    return r;
}

void emu_goldfish_rtc_reset(EmuGoldfishRtc *r)
{
    stop_timer(r);
    r->alarm_running = false;
    r->alarm_ns = 0;
    r->irq_enabled = false;
    r->irq_pending = false;
    update_irq(r);
}

void emu_goldfish_rtc_free(EmuGoldfishRtc *r)
{
    if (!r) {
        return;
    }
    stop_timer(r);
    g_free(r);
}
