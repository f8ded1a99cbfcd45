/* SPDX-License-Identifier: GPL-2.0-or-later */
/* machine.h: the machine — address space, harts, device lock, I/O thread,
 * time base and lifecycle requests. No globals: everything hangs off this. */
#ifndef EMU_MACHINE_H
#define EMU_MACHINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "engine/core/memory.h"

typedef struct EmuHart EmuHart;
typedef struct EmuChardev EmuChardev;

#define EMU_MAX_HARTS 8
#define EMU_TIMEBASE_HZ 10000000ULL /* mtime frequency, as QEMU virt */

typedef enum {
    EMU_REQ_NONE = 0,
    EMU_REQ_POWEROFF,   /* guest powered off: exit status 0 */
    EMU_REQ_RESET,      /* guest or monitor reset: reboot the machine */
    EMU_REQ_QUIT,       /* monitor quit / Ctrl-A x */
    EMU_REQ_FAIL,       /* guest reported failure through the test device */
} EmuRequest;

typedef enum {
    EMU_RUN_RUNNING,
    EMU_RUN_PAUSED,
    EMU_RUN_SHUTDOWN,
} EmuRunState;

struct EmuMachine {
    /* address space: sorted by base, immutable once running */
    EmuRegion **regions;
    unsigned nr_regions;
    EmuRegion *ram;          /* main RAM */
    uint64_t ram_base;
    uint64_t ram_size;

    /* the device lock: every MMIO dispatch and device state change */
    GMutex dev_lock;

    EmuHart *harts[EMU_MAX_HARTS];
    unsigned nr_harts;

    /* time: mtime counts EMU_TIMEBASE_HZ from time_base_ns (monotonic) */
    int64_t time_base_ns;

    /* code tracking epoch: bumped when a page first gets translated code */
    atomic_uint_fast64_t code_epoch;

    /* lifecycle */
    atomic_int request;      /* EmuRequest, first one wins until handled */
    int fail_code;           /* EMU_REQ_FAIL: code from the test device */
    atomic_int run_state;    /* EmuRunState */
    GMutex run_lock;
    GCond run_cond;
    unsigned parked;         /* harts parked by a pause (run_lock) */
    unsigned running_harts;  /* harts whose thread runs (run_lock) */

    /* I/O thread */
    GMainContext *io_ctx;
    GMainLoop *io_loop;
    GThread *io_thread;

    /* devices the monitor and board need to reach */
    void *board;             /* board private state (hw/virt.c) */
    struct EmuNet *net;      /* net layer (engine/net), may be NULL */
    EmuChardev *serial;

    /* told when a hot-unplugged device is gone for good (the control
     * channel's DeviceDeleted); see emu_machine_device_deleted() */
    void (*device_deleted)(void *opaque, const char *id);
    void *device_deleted_opaque;
};

/**
 * emu_machine_new:
 * Creates an empty machine (no regions, no harts).
 * Thread: main thread.
 */
EmuMachine *emu_machine_new(void);

/**
 * emu_machine_free:
 * Frees a stopped machine and everything hanging off it.
 * Thread: main thread, after the harts and I/O thread stopped.
 */
void emu_machine_free(EmuMachine *m);

/**
 * emu_machine_mtime:
 * Returns: the machine's mtime (EMU_TIMEBASE_HZ ticks).
 * Thread: any thread.
 */
uint64_t emu_machine_mtime(EmuMachine *m);

/**
 * emu_machine_mtime_to_ns:
 * Returns: the host monotonic time (ns) at which mtime reaches @mtime.
 * Thread: any thread.
 */
int64_t emu_machine_mtime_to_ns(EmuMachine *m, uint64_t mtime);

/**
 * emu_machine_request:
 * Asks the machine to power off, reset, quit or fail; the main loop acts
 * on it. Harts stop at their next block boundary.
 * Thread: any thread.
 */
void emu_machine_request(EmuMachine *m, EmuRequest req, int code);

/**
 * emu_machine_pause / emu_machine_resume:
 * Stops every hart at a block boundary (pause returns once all are
 * parked) / lets them run again. Used by the monitor's stop/cont.
 * Thread: any thread except a hart thread.
 */
void emu_machine_pause(EmuMachine *m);
void emu_machine_resume(EmuMachine *m);

/**
 * emu_machine_park:
 * A hart parks here while the machine is paused.
 * Thread: hart thread.
 */
void emu_machine_park(EmuMachine *m);

/**
 * emu_machine_wait_request / emu_machine_clear_request:
 * The main thread waits for the next lifecycle request (and its code),
 * then clears it once handled.
 * Thread: main thread.
 */
EmuRequest emu_machine_wait_request(EmuMachine *m, int *code);
void emu_machine_clear_request(EmuMachine *m);

/**
 * emu_machine_start_io / emu_machine_stop_io:
 * Starts / stops the I/O thread running m->io_ctx.
 * Thread: main thread.
 */
void emu_machine_start_io(EmuMachine *m);
void emu_machine_stop_io(EmuMachine *m);

/**
 * emu_machine_lock / emu_machine_unlock:
 * The device lock.
 * Thread: any thread.
 */
static inline void emu_machine_lock(EmuMachine *m)
{
    g_mutex_lock(&m->dev_lock);
}

static inline void emu_machine_unlock(EmuMachine *m)
{
    g_mutex_unlock(&m->dev_lock);
}

/**
 * emu_machine_bh:
 * Runs @fn(@data) once on the I/O thread (a bottom half).
 * Thread: any thread.
 */
void emu_machine_bh(EmuMachine *m, GSourceFunc fn, gpointer data);

/**
 * emu_machine_device_deleted:
 * A hot-unplug completed: the device @id is gone (QMP's DEVICE_DELETED).
 * Calls m->device_deleted if set.
 * Thread: I/O thread, without the device lock.
 */
void emu_machine_device_deleted(EmuMachine *m, const char *id);

#endif
