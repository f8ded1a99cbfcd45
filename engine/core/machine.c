/* SPDX-License-Identifier: GPL-2.0-or-later */
/* machine.c: machine lifetime, the I/O thread, the time base, lifecycle
 * requests and pause/resume of the harts. */
#include "config.h"

#include <time.h>

#include "engine/core/machine.h"
#include "engine/cpu/riscv/hart-api.h"

static int64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static gpointer io_thread_main(gpointer data)
{
    EmuMachine *m = data;

    g_main_context_push_thread_default(m->io_ctx);
    g_main_loop_run(m->io_loop);
    g_main_context_pop_thread_default(m->io_ctx);
    return NULL;
}

EmuMachine *emu_machine_new(void)
{
    EmuMachine *m = g_new0(EmuMachine, 1);

    g_mutex_init(&m->dev_lock);
    g_mutex_init(&m->run_lock);
    g_cond_init(&m->run_cond);
    m->time_base_ns = monotonic_ns();
    atomic_init(&m->request, EMU_REQ_NONE);
    atomic_init(&m->run_state, EMU_RUN_RUNNING);
    atomic_init(&m->code_epoch, 0);
    m->io_ctx = g_main_context_new();
    m->io_loop = g_main_loop_new(m->io_ctx, FALSE);
    return m;
}

void emu_machine_start_io(EmuMachine *m)
{
    if (!m->io_thread) {
        m->io_thread = g_thread_new("vmkit-io", io_thread_main, m);
    }
}

static gboolean quit_io_loop(gpointer data)
{
    g_main_loop_quit(data);
    return G_SOURCE_REMOVE;
}

void emu_machine_stop_io(EmuMachine *m)
{
    if (m->io_thread) {
        /* quit from inside the loop: a quit issued before the thread
         * entered g_main_loop_run() would be lost */
        GSource *src = g_idle_source_new();
        g_source_set_priority(src, G_PRIORITY_HIGH);
        g_source_set_callback(src, quit_io_loop, m->io_loop, NULL);
        g_source_attach(src, m->io_ctx);
        g_source_unref(src);
        g_thread_join(m->io_thread);
        m->io_thread = NULL;
    }
}

void emu_machine_free(EmuMachine *m)
{
    if (!m) {
        return;
    }
    emu_machine_stop_io(m);
    for (unsigned i = 0; i < m->nr_harts; i++) {
        emu_hart_free(m->harts[i]);
        m->harts[i] = NULL;
    }
    emu_mem_free_regions(m);
    g_main_loop_unref(m->io_loop);
    g_main_context_unref(m->io_ctx);
    g_mutex_clear(&m->dev_lock);
    g_mutex_clear(&m->run_lock);
    g_cond_clear(&m->run_cond);
    g_free(m);
}

uint64_t emu_machine_mtime(EmuMachine *m)
{
    int64_t ns = monotonic_ns() - m->time_base_ns;

    /* 10 MHz: one tick per 100 ns */
    return (uint64_t)(ns / (1000000000LL / EMU_TIMEBASE_HZ));
}

int64_t emu_machine_mtime_to_ns(EmuMachine *m, uint64_t mtime)
{
    uint64_t max = (uint64_t)(INT64_MAX / 200);

    if (mtime > max) {
        return INT64_MAX / 2;
    }
    return m->time_base_ns +
           (int64_t)mtime * (int64_t)(1000000000LL / EMU_TIMEBASE_HZ);
}

static void kick_all(EmuMachine *m)
{
    for (unsigned i = 0; i < m->nr_harts; i++) {
        emu_hart_kick(m->harts[i]);
    }
}

void emu_machine_request(EmuMachine *m, EmuRequest req, int code)
{
    int expected = EMU_REQ_NONE;

    g_mutex_lock(&m->run_lock);
    if (atomic_compare_exchange_strong(&m->request, &expected, req)) {
        m->fail_code = code;
    }
    g_cond_broadcast(&m->run_cond);
    g_mutex_unlock(&m->run_lock);
    kick_all(m);
}

EmuRequest emu_machine_wait_request(EmuMachine *m, int *code)
{
    EmuRequest req;

    g_mutex_lock(&m->run_lock);
    while ((req = atomic_load(&m->request)) == EMU_REQ_NONE) {
        g_cond_wait(&m->run_cond, &m->run_lock);
    }
    if (code) {
        *code = m->fail_code;
    }
    g_mutex_unlock(&m->run_lock);
    return req;
}

void emu_machine_clear_request(EmuMachine *m)
{
    g_mutex_lock(&m->run_lock);
    atomic_store(&m->request, EMU_REQ_NONE);
    m->fail_code = 0;
    g_mutex_unlock(&m->run_lock);
}

void emu_machine_pause(EmuMachine *m)
{
    g_mutex_lock(&m->run_lock);
    atomic_store(&m->run_state, EMU_RUN_PAUSED);
    g_mutex_unlock(&m->run_lock);
    kick_all(m);
    g_mutex_lock(&m->run_lock);
    while (m->parked < m->running_harts &&
           atomic_load(&m->request) == EMU_REQ_NONE) {
        g_cond_wait(&m->run_cond, &m->run_lock);
    }
    g_mutex_unlock(&m->run_lock);
}

void emu_machine_resume(EmuMachine *m)
{
    g_mutex_lock(&m->run_lock);
    if (atomic_load(&m->run_state) == EMU_RUN_PAUSED) {
        atomic_store(&m->run_state, EMU_RUN_RUNNING);
    }
    g_cond_broadcast(&m->run_cond);
    g_mutex_unlock(&m->run_lock);
    kick_all(m);
}

void emu_machine_park(EmuMachine *m)
{
    g_mutex_lock(&m->run_lock);
    m->parked++;
    g_cond_broadcast(&m->run_cond);
    while (atomic_load(&m->run_state) == EMU_RUN_PAUSED &&
           atomic_load(&m->request) == EMU_REQ_NONE) {
        g_cond_wait(&m->run_cond, &m->run_lock);
    }
    m->parked--;
    g_mutex_unlock(&m->run_lock);
}

typedef struct {
    GSourceFunc fn;
    gpointer data;
} EmuBh;

static gboolean bh_dispatch(gpointer data)
{
    EmuBh *bh = data;

    bh->fn(bh->data);
    return G_SOURCE_REMOVE;
}

void emu_machine_bh(EmuMachine *m, GSourceFunc fn, gpointer data)
{
    EmuBh *bh = g_new(EmuBh, 1);
    GSource *src = g_idle_source_new();

    bh->fn = fn;
    bh->data = data;
    g_source_set_callback(src, bh_dispatch, bh, g_free);
    g_source_attach(src, m->io_ctx);
    g_source_unref(src);
}

void emu_machine_device_deleted(EmuMachine *m, const char *id)
{
    if (m->device_deleted) {
        m->device_deleted(m->device_deleted_opaque, id);
    }
}
