/* SPDX-License-Identifier: GPL-2.0-or-later */
/* translate.c: the translation-block cache — blocks decoded once, keyed by
 * guest physical pc and privilege, indexed per physical page for
 * invalidation, allocated from a per-hart arena flushed when full. */
#include "config.h"

#include <string.h>

#include "engine/cpu/riscv/jit.h"
#include "engine/cpu/riscv/ops.h"

#define TB_HASH_BITS 15
#define TB_HASH_SIZE (1u << TB_HASH_BITS)
#define TB_ARENA_SIZE (32u << 20)

static unsigned tb_hash(uint64_t pa, uint32_t flags)
{
    uint64_t k = (pa >> 1) ^ ((uint64_t)flags << 40);
    k *= 0x9e3779b97f4a7c15ULL;
    return (unsigned)(k >> (64 - TB_HASH_BITS));
}

void emu_tb_init(EmuHart *h)
{
    h->arena_size = TB_ARENA_SIZE;
    h->arena = g_malloc(h->arena_size);
    h->arena_used = 0;
    h->tb_hash = g_new0(EmuTb *, TB_HASH_SIZE);
    h->page_tbs = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
                                        NULL);
    /* VMKIT_JIT=off keeps the portable threaded executor (debugging,
     * and the tests that run the ISA suite on both) */
    if (g_strcmp0(g_getenv("VMKIT_JIT"), "off") != 0) {
        h->jit = emu_jit_new();
    }
}

static void clear_code_bits(EmuHart *h)
{
    GHashTableIter it;
    gpointer key, val;
    uint8_t bit = 1u << h->hartid;

    g_hash_table_iter_init(&it, h->page_tbs);
    while (g_hash_table_iter_next(&it, &key, &val)) {
        uint64_t page = *(uint64_t *)key;
        EmuRegion *r = emu_mem_find(h->m, page << 12);
        if (r && r->code_pages) {
            __atomic_fetch_and(&r->code_pages[((page << 12) - r->base) >> 12],
                               (uint8_t)~bit, __ATOMIC_RELEASE);
        }
    }
    g_hash_table_remove_all(h->page_tbs);
}

void emu_tb_fini(EmuHart *h)
{
    if (!h->tb_hash) {
        return;
    }
    clear_code_bits(h);
    g_hash_table_destroy(h->page_tbs);
    g_free(h->tb_hash);
    g_free(h->arena);
    emu_jit_free(h->jit);
    h->jit = NULL;
    h->tb_hash = NULL;
}

void emu_jc_clear(EmuHart *h)
{
    memset(h->jc, 0, sizeof(h->jc));
}

void emu_tb_flush(EmuHart *h)
{
    emu_jc_clear(h);
    clear_code_bits(h);
    memset(h->tb_hash, 0, TB_HASH_SIZE * sizeof(EmuTb *));
    h->arena_used = 0;
    emu_jit_reset(h->jit);
    h->tb_flushes++;
    h->cur_tb = NULL;
}

void emu_tb_invalidate_page(EmuHart *h, EmuRegion *r, uint64_t page)
{
    uint64_t pnum = (r->base >> 12) + page;
    EmuTb *head = g_hash_table_lookup(h->page_tbs, &pnum);
    uint8_t bit = 1u << h->hartid;

    if (head) {
        for (EmuTb *tb = head; tb; tb = tb->page_next) {
            tb->valid = false; /* unlinked lazily from its hash bucket */
        }
        g_hash_table_remove(h->page_tbs, &pnum);
    }
    __atomic_fetch_and(&r->code_pages[page], (uint8_t)~bit, __ATOMIC_RELEASE);
}

/* Marks the page as holding our code; the first time, no write TLB entry
 * (ours or another hart's) may keep bypassing the slow store path. */
static void note_code_page(EmuHart *h, EmuRegion *r, uint64_t pa, EmuTb *tb)
{
    uint64_t pnum = pa >> 12;
    uint64_t page = (pa - r->base) >> 12;
    uint8_t bit = 1u << h->hartid;
    uint8_t before;
    EmuTb *head;

    head = g_hash_table_lookup(h->page_tbs, &pnum);
    tb->page_next = head;
    {
        /* the table owns its keys: replace() frees the previous one */
        uint64_t *k = g_new(uint64_t, 1);
        *k = pnum;
        g_hash_table_replace(h->page_tbs, k, tb);
    }
    before = __atomic_fetch_or(&r->code_pages[page], bit, __ATOMIC_ACQ_REL);
    if (!(before & bit)) {
        emu_tlb_drop_write_page(h, pa & ~0xfffULL);
        if (h->m->nr_harts > 1) {
            emu_harts_code_page_new(h->m, h, pa & ~0xfffULL);
        }
    }
}

static EmuTb *tb_alloc(EmuHart *h, unsigned n_ops)
{
    size_t sz = sizeof(EmuTb) + n_ops * sizeof(EmuOp);

    sz = (sz + 15) & ~(size_t)15;
    if (h->arena_used + sz > h->arena_size) {
        return NULL;
    }
    h->arena_used += sz;
    return (EmuTb *)(h->arena + h->arena_used - sz);
}

/* Decodes one block starting at @pa (host bytes at @host, which stay
 * within one page). */
static EmuTb *tb_translate(EmuHart *h, uint64_t va, uint64_t pa,
                           uint8_t *host, EmuRegion *r, uint32_t flags)
{
    EmuOp ops[TB_MAX_INSNS + 1];
    unsigned n = 0, off = 0;
    unsigned page_left = 4096 - (pa & 0xfff);
    bool end = false;
    EmuTb *tb;

    while (!end && n < TB_MAX_INSNS) {
        uint16_t lo;
        uint32_t insn;
        unsigned len;

        if (off + 2 > page_left) {
            break;
        }
        memcpy(&lo, host + off, 2);
        len = (lo & 3) == 3 ? 4 : 2;
        if (off + len > page_left) {
            break; /* straddles the page: its own block (below) */
        }
        if (len == 4) {
            memcpy(&insn, host + off, 4);
        } else {
            insn = lo;
        }
        memset(&ops[n], 0, sizeof(ops[n]));
        ops[n].pc_off = off;
        end = emu_decode(&ops[n], insn, len);
        off += len;
        n++;
    }
    if (n == 0) {
        return NULL;
    }
    if (!end) {
        memset(&ops[n], 0, sizeof(ops[n]));
        ops[n].fn = emu_op_goto_next;
        ops[n].pc_off = off;
        ops[n].len = 0;
    }
    if (h->jit && !emu_jit_has_room(h->jit, n + 1)) {
        emu_tb_flush(h);
    }
    tb = tb_alloc(h, n + (end ? 0 : 1));
    if (!tb) {
        emu_tb_flush(h);
        tb = tb_alloc(h, n + (end ? 0 : 1));
        if (!tb) {
            return NULL; /* cannot happen: one block fits an empty arena */
        }
    }
    memcpy(tb->ops, ops, (n + (end ? 0 : 1)) * sizeof(EmuOp));
    tb->paddr = pa;
    tb->flags = flags;
    tb->n_ops = n;
    tb->size = off;
    tb->valid = true;
    tb->cross_page = false;
    tb->chain[0] = tb->chain[1] = NULL;
    tb->native = NULL;
    {
        unsigned b = tb_hash(pa, flags);
        tb->hash_next = h->tb_hash[b];
        h->tb_hash[b] = tb;
    }
    if (h->jit) {
        emu_jit_compile(h->jit, tb, n + (end ? 0 : 1));
    }
    note_code_page(h, r, pa, tb);
    (void)va;
    return tb;
}

/* An instruction whose two halves lie on different pages depends on two
 * translations: decode it afresh every time into a scratch block. */
static EmuTb *tb_cross_page(EmuHart *h, uint64_t va, uint8_t *host)
{
    static const size_t sz = sizeof(EmuTb) + 2 * sizeof(EmuOp);
    EmuTb *tb = (EmuTb *)(void *)h->scratch_tb;
    uint64_t pa2, cause;
    uint8_t *host2;
    EmuRegion *r2;
    uint16_t lo, hi;

    memcpy(&lo, host, 2);
    if (!emu_fetch_translate(h, va + 2, &pa2, &host2, &r2, &cause)) {
        emu_take_trap(h, cause, va + 2);
        return NULL;
    }
    memcpy(&hi, host2, 2);
    memset(tb, 0, sz);
    tb->n_ops = 1;
    tb->size = 4;
    tb->valid = false; /* never chained to */
    tb->cross_page = true;
    if (!emu_decode(&tb->ops[0], (uint32_t)lo | (uint32_t)hi << 16, 4)) {
        tb->ops[1].fn = emu_op_goto_next;
        tb->ops[1].pc_off = 4;
    }
    return tb;
}

static EmuTb *tb_find_slow(EmuHart *h);

EmuTb *emu_tb_find(EmuHart *h)
{
    EmuTb *tb = emu_jc_lookup(h, h->pc);

    if (tb) {
        return tb;
    }
    tb = tb_find_slow(h);
    if (tb && !tb->cross_page) {
        unsigned i = (h->pc >> 1) & (JC_SIZE - 1);
        h->jc[i].vpc = h->pc;
        h->jc[i].tb = tb;
    }
    return tb;
}

static EmuTb *tb_find_slow(EmuHart *h)
{
    uint64_t va = h->pc, pa, cause;
    uint8_t *host;
    EmuRegion *r;
    uint32_t flags = h->priv;
    EmuTb **link, *tb;

    if (!emu_fetch_translate(h, va, &pa, &host, &r, &cause)) {
        emu_take_trap(h, cause, va);
        return NULL;
    }
    link = &h->tb_hash[tb_hash(pa, flags)];
    while ((tb = *link) != NULL) {
        if (!tb->valid) {
            *link = tb->hash_next; /* drop invalidated blocks lazily */
            continue;
        }
        if (tb->paddr == pa && tb->flags == flags) {
            return tb;
        }
        link = &tb->hash_next;
    }
    if ((pa & 0xfff) == 0xffe) {
        uint16_t lo;
        memcpy(&lo, host, 2);
        if ((lo & 3) == 3) {
            return tb_cross_page(h, va, host);
        }
    }
    return tb_translate(h, va, pa, host, r, flags);
}
