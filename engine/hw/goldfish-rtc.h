/* SPDX-License-Identifier: GPL-2.0-or-later */
/* goldfish-rtc.h: the Goldfish real-time clock of QEMU's virt board. */
#ifndef EMU_HW_GOLDFISH_RTC_H
#define EMU_HW_GOLDFISH_RTC_H

#include <stdint.h>
#include <glib.h>

#include "engine/core/irq.h"
#include "engine/core/machine.h"

#define EMU_RTC_SIZE 0x1000

/* register offsets (Android goldfish "RTC" device, 32-bit registers) */
#define EMU_RTC_TIME_LOW        0x00
#define EMU_RTC_TIME_HIGH       0x04
#define EMU_RTC_ALARM_LOW       0x08
#define EMU_RTC_ALARM_HIGH      0x0c
#define EMU_RTC_IRQ_ENABLED     0x10
#define EMU_RTC_CLEAR_ALARM     0x14
#define EMU_RTC_ALARM_STATUS    0x18
#define EMU_RTC_CLEAR_INTERRUPT 0x1c

typedef struct EmuGoldfishRtc EmuGoldfishRtc;

/**
 * emu_goldfish_rtc_new:
 * Registers the RTC at @base. Time is the host wall clock in ns plus an
 * offset the guest sets; alarms fire from a timer on m->io_ctx.
 * Returns: the device, or NULL with @error set.
 * Thread: main thread, before the machine runs.
 */
EmuGoldfishRtc *emu_goldfish_rtc_new(EmuMachine *m, uint64_t base, EmuIrq *irq,
                                     GError **error);

/**
 * emu_goldfish_rtc_reset:
 * Cancels the alarm and masks the interrupt; the time offset survives.
 * Thread: any thread holding the device lock.
 */
void emu_goldfish_rtc_reset(EmuGoldfishRtc *r);

/**
 * emu_goldfish_rtc_free:
 * Thread: main thread, machine and I/O thread stopped.
 */
void emu_goldfish_rtc_free(EmuGoldfishRtc *r);

#endif
