/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hart.c: the hart as an explicit state machine on its own thread — the
 * execution loop over translation blocks (interrupts, requests and
 * invalidations checked at block boundaries, direct chaining), and the
 * API devices use to reach it. */
#include "config.h"

#include <string.h>

#include "engine/cpu/riscv/ops.h"

#define TIMER_CHECK_BLOCKS 64
#define CHAIN_BUDGET 64

EmuHart *emu_hart_new(EmuMachine *m, unsigned hartid)
{
    EmuHart *h = g_new0(EmuHart, 1);

    g_assert(hartid < EMU_MAX_HARTS && !m->harts[hartid]);
    h->m = m;
    h->hartid = hartid;
    g_mutex_init(&h->sleep_lock);
    g_cond_init(&h->sleep_cond);
    g_mutex_init(&h->inval_lock);
    h->inval_pages = g_array_new(FALSE, FALSE, sizeof(EmuInval));
    atomic_init(&h->mip_hw, 0);
    atomic_init(&h->exit_request, 0);
    atomic_init(&h->mtimecmp, ~0ULL);
    atomic_init(&h->inval_done, 0);
    atomic_init(&h->idle, 1);
    emu_tb_init(h);
    emu_hart_reset(h, 0x1000, 0, 0);
    m->harts[hartid] = h;
    if (hartid >= m->nr_harts) {
        m->nr_harts = hartid + 1;
    }
    return h;
}

void emu_hart_free(EmuHart *h)
{
    if (!h) {
        return;
    }
    emu_tb_fini(h);
    g_array_free(h->inval_pages, TRUE);
    g_mutex_clear(&h->inval_lock);
    g_mutex_clear(&h->sleep_lock);
    g_cond_clear(&h->sleep_cond);
    g_free(h);
}

void emu_hart_reset(EmuHart *h, uint64_t pc, uint64_t a1, uint64_t a2)
{
    memset(h->x, 0, sizeof(h->x));
    memset(h->f, 0, sizeof(h->f));
    emu_csr_reset(h);
    h->pc = pc;
    h->x[10] = h->hartid;
    h->x[11] = a1;
    h->x[12] = a2;
    h->instret = h->cycle_offset = h->instret_offset = 0;
    atomic_store(&h->mip_hw, 0);
    atomic_store(&h->mtimecmp, ~0ULL);
    for (unsigned i = 0; i < TLB_SETS; i++) {
        h->sets[i].used = false;
    }
    h->tlb = NULL;
    emu_tlb_select(h);
    if (h->tb_hash) {
        emu_tb_flush(h);
    }
    h->exit_slot = -1;
    h->cur_tb = NULL;
    emu_jc_clear(h);
    emu_pmp_cache_clear(h);
}

static void hart_wake(EmuHart *h)
{
    g_mutex_lock(&h->sleep_lock);
    if (h->sleeping) {
        g_cond_signal(&h->sleep_cond);
    }
    g_mutex_unlock(&h->sleep_lock);
}

void emu_hart_kick(EmuHart *h)
{
    atomic_fetch_or(&h->exit_request, EXIT_KICK);
    hart_wake(h);
}

void emu_hart_set_irq(EmuHart *h, uint64_t mip_bit, bool level)
{
    if (level) {
        atomic_fetch_or(&h->mip_hw, mip_bit);
        hart_wake(h);
    } else {
        atomic_fetch_and(&h->mip_hw, ~mip_bit);
    }
}

uint64_t emu_hart_get_mip(EmuHart *h)
{
    return emu_hart_mip(h);
}

uint64_t emu_hart_get_mtimecmp(EmuHart *h)
{
    return atomic_load(&h->mtimecmp);
}

void emu_hart_set_mtimecmp(EmuHart *h, uint64_t value)
{
    atomic_store(&h->mtimecmp, value);
    if (emu_machine_mtime(h->m) >= value) {
        atomic_fetch_or(&h->mip_hw, MIP_MTIP);
    } else {
        atomic_fetch_and(&h->mip_hw, ~MIP_MTIP);
    }
    hart_wake(h);
}

/* Returns the entry's sequence number (see inval_done). */
static uint64_t queue_inval(EmuHart *h, EmuRegion *r, uint64_t page)
{
    EmuInval iv = {r, page};
    uint64_t seq;

    g_mutex_lock(&h->inval_lock);
    g_array_append_val(h->inval_pages, iv);
    seq = ++h->inval_posted;
    g_mutex_unlock(&h->inval_lock);
    atomic_fetch_or(&h->exit_request, EXIT_INVAL);
    return seq;
}

static void process_invals(EmuHart *h);

void emu_harts_code_written(EmuMachine *m, EmuRegion *r, uint64_t page,
                            uint8_t harts)
{
    for (unsigned i = 0; i < m->nr_harts; i++) {
        if ((harts >> i) & 1 && m->harts[i]) {
            queue_inval(m->harts[i], r, page);
        }
    }
}

/* A page just got code on @self: every other hart must drop its fast
 * write-TLB entries for it before it stores again, or a store could
 * bypass code invalidation. Wait until each has done so (it does at its
 * next block boundary) or cannot store (sleeping in WFI, parked,
 * stopped: it processes the queue before executing again). While
 * waiting, serve our own queue so two harts waiting on each other both
 * progress. The wait is bounded as a last resort (then the notice is
 * still processed, only later). */
void emu_harts_code_page_new(EmuMachine *m, EmuHart *self, uint64_t paddr)
{
    uint64_t seq[EMU_MAX_HARTS] = {0};
    int64_t give_up;

    for (unsigned i = 0; i < m->nr_harts; i++) {
        if (m->harts[i] && m->harts[i] != self) {
            seq[i] = queue_inval(m->harts[i], NULL, paddr);
        }
    }
    give_up = g_get_monotonic_time() + 100000;
    for (unsigned i = 0; i < m->nr_harts; i++) {
        EmuHart *o = m->harts[i];
        if (!o || o == self) {
            continue;
        }
        while (atomic_load(&o->inval_done) < seq[i] &&
               !atomic_load(&o->idle)) {
            if (atomic_load(&m->request) != EMU_REQ_NONE ||
                g_get_monotonic_time() > give_up) {
                return;
            }
            if (atomic_load(&self->exit_request) & EXIT_INVAL) {
                process_invals(self);
            }
            g_thread_yield();
        }
    }
}

static void process_invals(EmuHart *h)
{
    GArray *todo;

    uint64_t upto;

    g_mutex_lock(&h->inval_lock);
    todo = h->inval_pages;
    upto = h->inval_posted;
    h->inval_pages = g_array_new(FALSE, FALSE, sizeof(EmuInval));
    g_mutex_unlock(&h->inval_lock);
    for (unsigned i = 0; i < todo->len; i++) {
        EmuInval *iv = &g_array_index(todo, EmuInval, i);
        if (iv->region) {
            emu_tb_invalidate_page(h, iv->region, iv->page);
        } else {
            emu_tlb_drop_write_page(h, iv->page);
        }
    }
    g_array_free(todo, TRUE);
    atomic_store(&h->inval_done, upto);
}

/* Between blocks: returns true when the hart must stop. */
static bool handle_exit(EmuHart *h)
{
    int req = atomic_exchange(&h->exit_request, 0);

    if (req & EXIT_INVAL) {
        process_invals(h);
    }
    if (atomic_load(&h->m->request) != EMU_REQ_NONE) {
        return true;
    }
    if (atomic_load(&h->m->run_state) == EMU_RUN_PAUSED) {
        atomic_store(&h->idle, 1);
        emu_machine_park(h->m);
        atomic_store(&h->idle, 0);
        return atomic_load(&h->m->request) != EMU_REQ_NONE;
    }
    return false;
}

static void hart_run(EmuHart *h)
{
    EmuTb *volatile prev = NULL;
    volatile uint64_t prev_page = 0;
    volatile uint64_t flushes = h->tb_flushes;

    if (setjmp(h->trap_jmp)) {
        /* a trap was taken inside a block (emu_raise) */
        prev = NULL;
    }
    for (;;) {
        EmuTb *tb = NULL;
        const EmuOp *op;
        int slot;

        if (unlikely(atomic_load_explicit(&h->exit_request,
                                          memory_order_relaxed))) {
            if (handle_exit(h)) {
                return;
            }
            prev = NULL;
        }
        if (unlikely(--h->timer_countdown <= 0)) {
            emu_update_timer(h);
            h->timer_countdown = TIMER_CHECK_BLOCKS;
        }
        if (unlikely(emu_hart_mip(h) & h->mie) && emu_check_interrupts(h)) {
            prev = NULL;
        }
        slot = h->exit_slot;
        if (prev && slot >= 0 && flushes == h->tb_flushes &&
            (h->pc >> 12) == prev_page) {
            tb = prev->chain[slot];
            if (!tb || !tb->valid) {
                tb = emu_tb_find(h);
                if (tb && !tb->cross_page && flushes == h->tb_flushes) {
                    prev->chain[slot] = tb;
                }
            }
        } else {
            tb = emu_tb_find(h);
        }
        flushes = h->tb_flushes;
        if (!tb) {
            prev = NULL; /* fetch fault: the trap is taken, go again */
            continue;
        }
        h->cur_tb = tb;
        h->exit_slot = -1;
        h->chain_budget = CHAIN_BUDGET;
        op = tb->ops;
        do {
            op = op->fn(h, op);
        } while (op);
        /* the block that ended may not be @tb: ops chain directly */
        tb = h->cur_tb;
        h->instret += tb->n_ops;
        prev_page = h->block_pc >> 12;
        prev = tb->cross_page ? NULL : tb;
    }
}

static gpointer hart_thread(gpointer data)
{
    EmuHart *h = data;

    atomic_store(&h->idle, 0);
    hart_run(h);
    atomic_store(&h->idle, 1);
    g_mutex_lock(&h->m->run_lock);
    h->m->running_harts--;
    g_cond_broadcast(&h->m->run_cond);
    g_mutex_unlock(&h->m->run_lock);
    return NULL;
}

void emu_hart_start(EmuHart *h)
{
    char name[16];

    g_snprintf(name, sizeof(name), "vmkit-hart%u", h->hartid);
    g_mutex_lock(&h->m->run_lock);
    h->m->running_harts++;
    g_mutex_unlock(&h->m->run_lock);
    /* keep a pending invalidation: the hart handles it before it runs */
    atomic_fetch_and(&h->exit_request, EXIT_INVAL);
    h->thread = g_thread_new(name, hart_thread, h);
}

void emu_hart_join(EmuHart *h)
{
    if (h->thread) {
        emu_hart_kick(h);
        g_thread_join(h->thread);
        h->thread = NULL;
    }
}

static const char *const abi_names[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
    "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
    "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void emu_hart_dump(EmuHart *h, GString *out)
{
    static const char prv[4] = {'U', 'S', '?', 'M'};

    g_string_append_printf(out, " pc       %016" G_GINT64_MODIFIER "x\n",
                           h->pc);
    g_string_append_printf(out, " priv     %c\n", prv[h->priv & 3]);
    g_string_append_printf(out,
                           " mstatus  %016" G_GINT64_MODIFIER "x\n"
                           " mip      %016" G_GINT64_MODIFIER "x\n"
                           " mie      %016" G_GINT64_MODIFIER "x\n"
                           " mcause   %016" G_GINT64_MODIFIER "x\n"
                           " mepc     %016" G_GINT64_MODIFIER "x\n"
                           " mtval    %016" G_GINT64_MODIFIER "x\n"
                           " scause   %016" G_GINT64_MODIFIER "x\n"
                           " sepc     %016" G_GINT64_MODIFIER "x\n"
                           " stval    %016" G_GINT64_MODIFIER "x\n"
                           " satp     %016" G_GINT64_MODIFIER "x\n"
                           " instret  %" G_GUINT64_FORMAT "\n",
                           h->mstatus, emu_hart_mip(h), h->mie, h->mcause,
                           h->mepc, h->mtval, h->scause, h->sepc, h->stval,
                           h->satp, h->instret);
    for (unsigned i = 0; i < 32; i++) {
        g_string_append_printf(out, " x%-2u/%-4s %016" G_GINT64_MODIFIER "x%s",
                               i, abi_names[i], h->x[i],
                               (i % 4 == 3) ? "\n" : " ");
    }
}
