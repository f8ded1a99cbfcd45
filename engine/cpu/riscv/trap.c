/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trap.c: exceptions and interrupts — delegation, priority, trap entry,
 * MRET/SRET, WFI sleep and the timer compare logic (privileged spec §3.1.6,
 * §3.1.9, §3.3, §4.1). */
#include "config.h"

#include <time.h>

#include "engine/cpu/riscv/cpu.h"

G_NORETURN void emu_raise(EmuHart *h, const EmuOp *op, uint64_t cause,
                          uint64_t tval)
{
    if (op) {
        h->pc += op->pc_off;
        if (h->cur_tb) {
            h->instret += (uint64_t)(op - h->cur_tb->ops);
        }
    }
    emu_take_trap(h, cause, tval);
    longjmp(h->trap_jmp, 1);
}

void emu_take_trap(EmuHart *h, uint64_t cause, uint64_t tval)
{
    bool irq = (cause & IRQ_FLAG) != 0;
    unsigned code = cause & 63;
    uint64_t deleg = irq ? h->mideleg : h->medeleg;

    h->res_addr = ~0ULL;
    if (h->priv <= PRV_S && ((deleg >> code) & 1)) {
        uint64_t s = h->mstatus;
        h->scause = cause;
        h->sepc = h->pc;
        h->stval = tval;
        s = (s & ~MSTATUS_SPP) | (h->priv == PRV_S ? MSTATUS_SPP : 0);
        s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) ? MSTATUS_SPIE : 0);
        s &= ~MSTATUS_SIE;
        h->mstatus = s;
        h->priv = PRV_S;
        h->pc = (h->stvec & ~3ULL) +
                ((irq && (h->stvec & 1)) ? 4ULL * code : 0);
    } else {
        uint64_t s = h->mstatus;
        h->mcause = cause;
        h->mepc = h->pc;
        h->mtval = tval;
        s = (s & ~MSTATUS_MPP) | ((uint64_t)h->priv << 11);
        s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) ? MSTATUS_MPIE : 0);
        s &= ~MSTATUS_MIE;
        h->mstatus = s;
        h->priv = PRV_M;
        h->pc = (h->mtvec & ~3ULL) +
                ((irq && (h->mtvec & 1)) ? 4ULL * code : 0);
    }
    emu_tlb_select(h);
}

/* Highest-priority first: MEI, MSI, MTI, SEI, SSI, STI (§3.1.9). */
static const unsigned irq_order[6] = {11, 3, 7, 9, 1, 5};

bool emu_check_interrupts(EmuHart *h)
{
    uint64_t pending = emu_hart_mip(h) & h->mie;
    uint64_t m_en, s_en, take;

    if (!pending) {
        return false;
    }
    /* M-level interrupts: enabled below M, or in M with MIE */
    m_en = (h->priv < PRV_M || (h->mstatus & MSTATUS_MIE))
               ? pending & ~h->mideleg : 0;
    /* S-level (delegated): enabled below S, or in S with SIE; never in M */
    s_en = (h->priv < PRV_S ||
            (h->priv == PRV_S && (h->mstatus & MSTATUS_SIE)))
               ? pending & h->mideleg : 0;
    take = m_en ? m_en : s_en;
    if (!take) {
        return false;
    }
    for (unsigned i = 0; i < 6; i++) {
        if (take & (1ULL << irq_order[i])) {
            emu_take_trap(h, IRQ_FLAG | irq_order[i], 0);
            return true;
        }
    }
    return false;
}

uint64_t emu_do_mret(EmuHart *h)
{
    uint64_t s = h->mstatus;
    unsigned mpp = (s & MSTATUS_MPP) >> 11;

    s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) ? MSTATUS_MIE : 0);
    s |= MSTATUS_MPIE;
    s &= ~MSTATUS_MPP; /* MPP := U, the least-privileged mode */
    if (mpp != PRV_M) {
        s &= ~MSTATUS_MPRV;
    }
    h->mstatus = s;
    h->priv = mpp;
    h->res_addr = ~0ULL;
    emu_tlb_select(h);
    return h->mepc;
}

uint64_t emu_do_sret(EmuHart *h)
{
    uint64_t s = h->mstatus;
    unsigned spp = (s & MSTATUS_SPP) ? PRV_S : PRV_U;

    s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) ? MSTATUS_SIE : 0);
    s |= MSTATUS_SPIE;
    s &= ~MSTATUS_SPP;
    s &= ~MSTATUS_MPRV;
    h->mstatus = s;
    h->priv = spp;
    h->res_addr = ~0ULL;
    emu_tlb_select(h);
    return h->sepc;
}

/* MTIP follows mtime >= mtimecmp; with Sstc (menvcfg.STCE), STIP follows
 * time >= stimecmp. The hart evaluates both itself (at block boundaries
 * and in WFI), so no host timer thread is needed. */
void emu_update_timer(EmuHart *h)
{
    uint64_t now = emu_machine_mtime(h->m);
    uint64_t cmp = atomic_load(&h->mtimecmp);
    uint64_t hw = atomic_load(&h->mip_hw);
    uint64_t want = hw;

    want = now >= cmp ? want | MIP_MTIP : want & ~MIP_MTIP;
    if (h->menvcfg & (1ULL << 63)) {
        want = now >= h->stimecmp ? want | MIP_STIP : want & ~MIP_STIP;
    }
    if (want != hw) {
        atomic_fetch_or(&h->mip_hw, want & ~hw);
        atomic_fetch_and(&h->mip_hw, ~(hw & ~want));
    }
}

/* WFI (§3.3.3): sleep the host thread until an enabled interrupt is
 * pending (regardless of the global enables) or something needs the hart
 * (pause, shutdown, kick). Timers wake it at their deadline. */
void emu_hart_wfi(EmuHart *h)
{
    /* asleep, the hart stores nothing: harts announcing new code pages
     * need not wait for it (it reads its queue before running again) */
    atomic_store(&h->idle, 1);
    g_mutex_lock(&h->sleep_lock);
    for (;;) {
        uint64_t deadline, cmp;
        int64_t wake_ns;

        emu_update_timer(h);
        if ((emu_hart_mip(h) & h->mie) ||
            atomic_load(&h->exit_request) ||
            atomic_load(&h->m->request) != EMU_REQ_NONE) {
            break;
        }
        cmp = atomic_load(&h->mtimecmp);
        deadline = cmp;
        if ((h->menvcfg & (1ULL << 63)) && h->stimecmp < deadline) {
            deadline = h->stimecmp;
        }
        wake_ns = emu_machine_mtime_to_ns(h->m, deadline);
        h->sleeping = true;
        {
            /* GCond deadlines use g_get_monotonic_time (µs, monotonic) */
            struct timespec ts;
            int64_t now_ns, until_us;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            now_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
            if (wake_ns - now_ns > 1000000000LL) {
                wake_ns = now_ns + 1000000000LL; /* re-check each second */
            }
            until_us = g_get_monotonic_time() + (wake_ns - now_ns) / 1000 + 1;
            g_cond_wait_until(&h->sleep_cond, &h->sleep_lock, until_us);
        }
        h->sleeping = false;
    }
    g_mutex_unlock(&h->sleep_lock);
    atomic_store(&h->idle, 0);
}
