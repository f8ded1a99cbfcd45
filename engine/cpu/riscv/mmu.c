/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mmu.c: address translation — Sv39/Sv48 page walks with A/D updates,
 * PMP, the soft TLB (per-context sets, read/write/exec arrays with a host
 * addend) and the slow paths of loads, stores and atomics. MMIO is never
 * cached in the TLB. (RISC-V privileged spec §3.7, §4.3-4.5) */
#include "config.h"

#include <string.h>

#include "engine/cpu/riscv/cpu.h"

#define PAGE_MASK (~0xfffULL)

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_RESERVED (0x3ffULL << 54) /* Svpbmt/Svnapot not implemented */

#define SATP_MODE(s) ((s) >> 60)

/* ---- TLB contexts ---------------------------------------------------- */

static unsigned data_priv(EmuHart *h)
{
    if (h->priv == PRV_M && (h->mstatus & MSTATUS_MPRV)) {
        return (h->mstatus & MSTATUS_MPP) >> 11;
    }
    return h->priv;
}

static void set_clear(EmuTlbSet *s)
{
    memset(s->r, 0xff, sizeof(s->r));
    memset(s->w, 0xff, sizeof(s->w));
    memset(s->x, 0xff, sizeof(s->x));
}

/* The key captures everything a cached translation depends on: satp
 * (mode, ASID, root), privilege, effective data privilege, SUM and MXR. */
static uint64_t context_key(EmuHart *h, uint64_t *satp_out)
{
    unsigned dp = data_priv(h);
    bool xlate = SATP_MODE(h->satp) != 0 && (h->priv < PRV_M || dp < PRV_M);
    uint64_t ctx = h->priv | dp << 2 |
                   ((h->mstatus & MSTATUS_SUM) ? 16 : 0) |
                   ((h->mstatus & MSTATUS_MXR) ? 32 : 0);

    *satp_out = xlate ? h->satp : 0;
    return ctx;
}

void emu_tlb_select(EmuHart *h)
{
    uint64_t satp, ctx = context_key(h, &satp);
    EmuTlbSet *victim = NULL;

    if (h->tlb && h->tlb->used && h->tlb->key == satp && h->tlb->ctx == ctx) {
        return;
    }
    for (unsigned i = 0; i < TLB_SETS; i++) {
        EmuTlbSet *s = &h->sets[i];
        if (s->used && s->key == satp && s->ctx == ctx) {
            s->lru = ++h->tlb_clock;
            h->tlb = s;
            return;
        }
    }
    for (unsigned i = 0; i < TLB_SETS; i++) {
        EmuTlbSet *s = &h->sets[i];
        if (!s->used) {
            victim = s;
            break;
        }
        if (!victim || s->lru < victim->lru) {
            victim = s;
        }
    }
    set_clear(victim);
    victim->used = true;
    victim->key = satp;
    victim->ctx = ctx;
    victim->lru = ++h->tlb_clock;
    h->tlb = victim;
}

void emu_tlb_flush_all(EmuHart *h)
{
    for (unsigned i = 0; i < TLB_SETS; i++) {
        h->sets[i].used = false;
    }
    emu_tlb_select(h);
}

void emu_tlb_flush_page(EmuHart *h, uint64_t va)
{
    unsigned idx = (va >> 12) & (TLB_SIZE - 1);
    uint64_t tag = va & PAGE_MASK;

    for (unsigned i = 0; i < TLB_SETS; i++) {
        EmuTlbSet *s = &h->sets[i];
        if (s->r[idx].tag == tag) {
            s->r[idx].tag = TLB_INVALID;
        }
        if (s->w[idx].tag == tag) {
            s->w[idx].tag = TLB_INVALID;
        }
        if (s->x[idx].tag == tag) {
            s->x[idx].tag = TLB_INVALID;
        }
    }
}

void emu_tlb_flush_write(EmuHart *h)
{
    for (unsigned i = 0; i < TLB_SETS; i++) {
        memset(h->sets[i].w, 0xff, sizeof(h->sets[i].w));
    }
}

/* A page just got translated code: no fast-path write may reach it any
 * more, so stores to it take the slow path and invalidate blocks. */
void emu_tlb_drop_write_page(EmuHart *h, uint64_t paddr_page)
{
    for (unsigned i = 0; i < TLB_SETS; i++) {
        EmuTlbEntry *w = h->sets[i].w;
        for (unsigned j = 0; j < TLB_SIZE; j++) {
            if (w[j].tag != TLB_INVALID && w[j].paddr == paddr_page) {
                w[j].tag = TLB_INVALID;
            }
        }
    }
}

/* ---- PMP (privileged spec §3.7) ------------------------------------ */

#define PMP_R 1
#define PMP_W 2
#define PMP_X 4
#define PMP_A 0x18
#define PMP_L 0x80

/* Returns the range [lo, hi) matched by entry i, false when it is off. */
static bool pmp_range(EmuHart *h, unsigned i, uint64_t *lo, uint64_t *hi)
{
    uint8_t cfg = h->pmpcfg[i];
    uint64_t a = h->pmpaddr[i];

    switch ((cfg & PMP_A) >> 3) {
    case 1: /* TOR */
        *lo = i ? h->pmpaddr[i - 1] << 2 : 0;
        *hi = a << 2;
        return *lo < *hi;
    case 2: /* NA4 */
        *lo = a << 2;
        *hi = *lo + 4;
        return true;
    case 3: { /* NAPOT */
        unsigned t = __builtin_ctzll(~a);
        uint64_t size;
        if (t >= 54) {
            *lo = 0;
            *hi = ~0ULL;
            return true;
        }
        size = 8ULL << t;
        *lo = (a << 2) & ~(size - 1);
        *hi = *lo + size;
        return true;
    }
    default:
        return false;
    }
}

void emu_pmp_cache_clear(EmuHart *h)
{
    for (unsigned i = 0; i < PMP_CACHE_SIZE; i++) {
        h->pmp_cache[i].key = ~0ULL;
    }
}

static bool pmp_check_full(EmuHart *h, uint64_t pa, unsigned size,
                           EmuAccess acc, unsigned priv, bool *whole_page);

/* PMP with a small per-page cache: page walks check every PTE read, and
 * firmware keeps PMP active, so most checks repeat a recent decision. */
bool emu_pmp_check(EmuHart *h, uint64_t pa, unsigned size, EmuAccess acc,
                   unsigned priv, bool *whole_page)
{
    uint64_t page = pa & PAGE_MASK;
    uint64_t key = page | priv;
    unsigned i = (page >> 12) & (PMP_CACHE_SIZE - 1);
    static const uint8_t bit[3] = {1, 2, 4};

    if (whole_page) {
        *whole_page = true;
    }
    if (!h->pmp_active) {
        return true;
    }
    if (h->pmp_cache[i].key == key && (pa & 0xfff) + size <= 4096 &&
        (h->pmp_cache[i].known & bit[acc])) {
        return (h->pmp_cache[i].allow & bit[acc]) != 0;
    }
    {
        bool uniform = false;
        bool ok = pmp_check_full(h, pa, size, acc, priv, &uniform);
        if (whole_page) {
            *whole_page = uniform;
        }
        if (uniform) {
            /* one decision holds for the whole page: remember it */
            if (h->pmp_cache[i].key != key) {
                h->pmp_cache[i].key = key;
                h->pmp_cache[i].known = 0;
                h->pmp_cache[i].allow = 0;
            }
            h->pmp_cache[i].known |= bit[acc];
            if (ok) {
                h->pmp_cache[i].allow |= bit[acc];
            }
        }
        return ok;
    }
}

static bool pmp_check_full(EmuHart *h, uint64_t pa, unsigned size,
                           EmuAccess acc, unsigned priv, bool *whole_page)
{
    uint64_t page = pa & PAGE_MASK;

    if (whole_page) {
        *whole_page = true;
    }
    for (unsigned i = 0; i < 16; i++) {
        uint64_t lo, hi;
        uint8_t cfg = h->pmpcfg[i];
        uint8_t need;
        if (!pmp_range(h, i, &lo, &hi)) {
            continue;
        }
        /* an entry boundary inside the page: decide per access */
        if (whole_page && lo < page + 4096 && hi > page &&
            (lo > page || hi < page + 4096)) {
            *whole_page = false;
        }
        if (pa + size <= lo || pa >= hi) {
            continue;
        }
        if (pa < lo || pa + size > hi) {
            return false; /* partial match fails (§3.7.1.3) */
        }
        if (priv == PRV_M && !(cfg & PMP_L)) {
            return true;
        }
        need = acc == ACC_READ ? PMP_R : acc == ACC_WRITE ? PMP_W : PMP_X;
        return (cfg & need) != 0;
    }
    /* no match: M succeeds, S/U fail when any entry is implemented */
    return priv == PRV_M;
}

/* ---- page walk ------------------------------------------------------ */

static uint64_t page_fault_cause(EmuAccess acc)
{
    return acc == ACC_READ ? EXC_LOAD_PAGE
           : acc == ACC_WRITE ? EXC_STORE_PAGE : EXC_INSN_PAGE;
}

static uint64_t access_fault_cause(EmuAccess acc)
{
    return acc == ACC_READ ? EXC_LOAD_ACCESS
           : acc == ACC_WRITE ? EXC_STORE_ACCESS : EXC_INSN_ACCESS;
}

/* Translates @va; returns 0 and sets *pa, or an exception cause + 1. */
static uint64_t walk(EmuHart *h, uint64_t va, EmuAccess acc, unsigned priv,
                     uint64_t *pa)
{
    unsigned mode = SATP_MODE(h->satp);
    unsigned levels = mode == 8 ? 3 : 4;
    unsigned vabits = 12 + 9 * levels;
    uint64_t base = (h->satp & ((1ULL << 44) - 1)) << 12;
    int64_t sva = (int64_t)(va << (64 - vabits)) >> (64 - vabits);
    bool mxr = (h->mstatus & MSTATUS_MXR) != 0;
    bool sum = (h->mstatus & MSTATUS_SUM) != 0;

    if ((uint64_t)sva != va) {
        return page_fault_cause(acc) + 1;
    }
    for (int lvl = levels - 1; lvl >= 0; lvl--) {
        uint64_t idx = (va >> (12 + 9 * lvl)) & 511;
        uint64_t pte_addr = base + idx * 8, pte;
        uint8_t *host;

        /* PTE reads are S-mode implicit accesses checked by PMP */
        if (!emu_pmp_check(h, pte_addr, 8, ACC_READ, PRV_S, NULL)) {
            return access_fault_cause(acc) + 1;
        }
        host = emu_mem_ram_ptr(h->m, pte_addr, 8);
        if (!host) {
            return access_fault_cause(acc) + 1;
        }
        pte = __atomic_load_n((uint64_t *)host, __ATOMIC_ACQUIRE);
        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) ||
            (pte & PTE_RESERVED)) {
            return page_fault_cause(acc) + 1;
        }
        if (!(pte & (PTE_R | PTE_X))) {
            base = ((pte >> 10) & ((1ULL << 44) - 1)) << 12;
            if (pte & (PTE_A | PTE_D | PTE_U)) {
                return page_fault_cause(acc) + 1;
            }
            continue;
        }
        /* leaf: permissions (§4.3.2 step 5) */
        if (acc == ACC_EXEC) {
            if (!(pte & PTE_X) || (priv == PRV_U) != !!(pte & PTE_U)) {
                return page_fault_cause(acc) + 1;
            }
        } else {
            if (priv == PRV_U && !(pte & PTE_U)) {
                return page_fault_cause(acc) + 1;
            }
            if (priv == PRV_S && (pte & PTE_U) && !sum) {
                return page_fault_cause(acc) + 1;
            }
            if (acc == ACC_READ &&
                !((pte & PTE_R) || (mxr && (pte & PTE_X)))) {
                return page_fault_cause(acc) + 1;
            }
            if (acc == ACC_WRITE && !(pte & PTE_W)) {
                return page_fault_cause(acc) + 1;
            }
        }
        {
            uint64_t ppn = (pte >> 10) & ((1ULL << 44) - 1);
            uint64_t lowmask = (1ULL << (9 * lvl)) - 1;
            uint64_t want = pte | PTE_A | (acc == ACC_WRITE ? PTE_D : 0);
            if (ppn & lowmask) {
                return page_fault_cause(acc) + 1; /* misaligned superpage */
            }
            /* hardware A/D update, atomically with the PTE check */
            if (want != pte) {
                uint64_t expect = pte;
                if (!__atomic_compare_exchange_n((uint64_t *)host, &expect,
                                                 want, false,
                                                 __ATOMIC_SEQ_CST,
                                                 __ATOMIC_SEQ_CST)) {
                    lvl = levels; /* PTE changed under us: walk again */
                    base = (h->satp & ((1ULL << 44) - 1)) << 12;
                    continue;
                }
                emu_mem_dirty(h->m, pte_addr, 8);
            }
            *pa = ((ppn | ((va >> 12) & lowmask)) << 12) | (va & 0xfff);
            return 0;
        }
    }
    return page_fault_cause(acc) + 1;
}

/* Full translation of one access (page walk, PMP, region); on success
 * returns the region and may install a TLB entry. On failure returns
 * NULL with *cause set. */
static EmuRegion *translate(EmuHart *h, uint64_t va, unsigned size,
                            EmuAccess acc, uint64_t *pa, uint64_t *cause)
{
    unsigned priv = acc == ACC_EXEC ? h->priv : data_priv(h);
    bool xlate = SATP_MODE(h->satp) != 0 && priv < PRV_M;
    bool whole_page;
    EmuRegion *r;
    EmuTlbEntry *arr, *e;

    if (xlate) {
        uint64_t c = walk(h, va, acc, priv, pa);
        if (c) {
            *cause = c - 1;
            return NULL;
        }
    } else {
        *pa = va;
    }
    if (!emu_pmp_check(h, *pa, size, acc, priv, &whole_page)) {
        *cause = access_fault_cause(acc);
        return NULL;
    }
    r = emu_mem_find(h->m, *pa);
    if (!r || (*pa - r->base) + size > r->size ||
        (acc == ACC_WRITE && r->readonly) || (acc == ACC_EXEC && !r->host)) {
        *cause = access_fault_cause(acc);
        return NULL;
    }
    if (!r->host || !whole_page) {
        return r;
    }
    if (acc == ACC_WRITE &&
        __atomic_load_n(&r->code_pages[(*pa - r->base) >> 12],
                        __ATOMIC_ACQUIRE)) {
        return r; /* code page: keep stores on the slow path */
    }
    arr = acc == ACC_READ ? h->tlb->r : acc == ACC_WRITE ? h->tlb->w
                                                          : h->tlb->x;
    e = tlb_entry(arr, va);
    e->tag = va & PAGE_MASK;
    e->addend = (uintptr_t)(r->host + ((*pa & PAGE_MASK) - r->base)) -
                (va & PAGE_MASK);
    e->paddr = *pa & PAGE_MASK;
    e->region = r;
    return r;
}

bool emu_fetch_translate(EmuHart *h, uint64_t va, uint64_t *pa,
                         uint8_t **host, EmuRegion **region,
                         uint64_t *cause)
{
    EmuTlbEntry *e = tlb_entry(h->tlb->x, va);
    EmuRegion *r;

    if (e->tag == (va & PAGE_MASK)) {
        *pa = e->paddr | (va & 0xfff);
        *host = (uint8_t *)(uintptr_t)(va + e->addend);
        *region = e->region;
        return true;
    }
    r = translate(h, va, 2, ACC_EXEC, pa, cause);
    if (!r) {
        return false;
    }
    *host = r->host + (*pa - r->base);
    *region = r;
    return true;
}

/* ---- slow paths ------------------------------------------------------ */

uint64_t emu_mmio_load(EmuHart *h, const EmuOp *op, uint64_t pa,
                       unsigned size)
{
    EmuRegion *r = emu_mem_find(h->m, pa);
    uint64_t v;

    if (!r) {
        emu_raise(h, op, EXC_LOAD_ACCESS, pa);
    }
    emu_machine_lock(h->m);
    v = emu_mmio_read_locked(r, pa - r->base, size);
    emu_machine_unlock(h->m);
    return v;
}

uint64_t emu_load_slow(EmuHart *h, const EmuOp *op, uint64_t va,
                       unsigned size)
{
    uint64_t pa, cause;
    EmuRegion *r;

    if ((va & 0xfff) + size > 4096) {
        /* misaligned across a page: byte by byte, each translated */
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            v |= emu_load_slow(h, op, va + i, 1) << (8 * i);
        }
        return v;
    }
    r = translate(h, va, size, ACC_READ, &pa, &cause);
    if (!r) {
        emu_raise(h, op, cause, va);
    }
    if (r->host) {
        uint64_t v = 0;
        memcpy(&v, r->host + (pa - r->base), size);
        return v;
    }
    return emu_mmio_load(h, op, pa, size);
}

void emu_store_slow(EmuHart *h, const EmuOp *op, uint64_t va, uint64_t val,
                    unsigned size)
{
    uint64_t pa, cause;
    EmuRegion *r;

    if ((va & 0xfff) + size > 4096) {
        /* check both pages before writing anything */
        uint64_t pa2;
        unsigned first = 4096 - (va & 0xfff);
        if (!translate(h, va, 1, ACC_WRITE, &pa, &cause)) {
            emu_raise(h, op, cause, va);
        }
        if (!translate(h, va + first, 1, ACC_WRITE, &pa2, &cause)) {
            emu_raise(h, op, cause, va + first);
        }
        for (unsigned i = 0; i < size; i++) {
            emu_store_slow(h, op, va + i, val >> (8 * i), 1);
        }
        return;
    }
    r = translate(h, va, size, ACC_WRITE, &pa, &cause);
    if (!r) {
        emu_raise(h, op, cause, va);
    }
    if (r->host) {
        uint64_t off = pa - r->base;
        uint8_t harts;
        memcpy(r->host + off, &val, size);
        harts = __atomic_load_n(&r->code_pages[off >> 12], __ATOMIC_ACQUIRE);
        if (harts) {
            emu_harts_code_written(h->m, r, off >> 12, harts);
        }
        return;
    }
    emu_machine_lock(h->m);
    emu_mmio_write_locked(r, pa - r->base, val, size);
    emu_machine_unlock(h->m);
}

uint8_t *emu_amo_host(EmuHart *h, const EmuOp *op, uint64_t va,
                      unsigned size, EmuAccess acc, uint64_t *pa)
{
    uint64_t cause;
    EmuRegion *r = translate(h, va, size, acc, pa, &cause);
    uint64_t off;
    uint8_t harts;

    if (!r) {
        /* AMOs report store/AMO faults, LR reports load faults */
        emu_raise(h, op, cause, va);
    }
    if (!r->host) {
        return NULL;
    }
    off = *pa - r->base;
    if (acc == ACC_WRITE) {
        harts = __atomic_load_n(&r->code_pages[off >> 12], __ATOMIC_ACQUIRE);
        if (harts) {
            emu_harts_code_written(h->m, r, off >> 12, harts);
        }
    }
    return r->host + off;
}
