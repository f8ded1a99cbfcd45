/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cpu.h: the RV64GC hart's internal state — registers, CSRs, soft TLB,
 * translation blocks — shared by the translator's files. */
#ifndef EMU_RISCV_CPU_H
#define EMU_RISCV_CPU_H

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "engine/core/machine.h"
#include "engine/cpu/riscv/hart-api.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* mstatus fields (privileged spec §3.1.6) */
#define MSTATUS_SIE (1ULL << 1)
#define MSTATUS_MIE (1ULL << 3)
#define MSTATUS_SPIE (1ULL << 5)
#define MSTATUS_UBE (1ULL << 6)
#define MSTATUS_MPIE (1ULL << 7)
#define MSTATUS_SPP (1ULL << 8)
#define MSTATUS_VS (3ULL << 9)
#define MSTATUS_MPP (3ULL << 11)
#define MSTATUS_FS (3ULL << 13)
#define MSTATUS_XS (3ULL << 15)
#define MSTATUS_MPRV (1ULL << 17)
#define MSTATUS_SUM (1ULL << 18)
#define MSTATUS_MXR (1ULL << 19)
#define MSTATUS_TVM (1ULL << 20)
#define MSTATUS_TW (1ULL << 21)
#define MSTATUS_TSR (1ULL << 22)
#define MSTATUS_UXL (3ULL << 32)
#define MSTATUS_SXL (3ULL << 34)
#define MSTATUS_SD (1ULL << 63)

/* exception causes (§3.1.15) */
enum {
    EXC_INSN_MISALIGNED = 0,
    EXC_INSN_ACCESS = 1,
    EXC_ILLEGAL = 2,
    EXC_BREAKPOINT = 3,
    EXC_LOAD_MISALIGNED = 4,
    EXC_LOAD_ACCESS = 5,
    EXC_STORE_MISALIGNED = 6,
    EXC_STORE_ACCESS = 7,
    EXC_ECALL_U = 8,
    EXC_ECALL_S = 9,
    EXC_ECALL_M = 11,
    EXC_INSN_PAGE = 12,
    EXC_LOAD_PAGE = 13,
    EXC_STORE_PAGE = 15,
};

#define IRQ_FLAG (1ULL << 63)

typedef enum { ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2 } EmuAccess;

/* ---- soft TLB ------------------------------------------------------ */

#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_SETS 8
#define TLB_INVALID (~0ULL)

typedef struct EmuTlbEntry {
    uint64_t tag;        /* virtual page (low bits 0), TLB_INVALID if none */
    uintptr_t addend;    /* host address = vaddr + addend */
    uint64_t paddr;      /* physical page */
    EmuRegion *region;   /* RAM region holding the page */
} EmuTlbEntry;

/* One translation context: entries valid for a given satp, privilege and
 * SUM/MXR. Switching privilege or satp selects another set instead of
 * flushing, so syscall- and context-switch-heavy guests keep their TLB. */
typedef struct EmuTlbSet {
    uint64_t key;        /* satp, or 0 when nothing is translated */
    uint64_t ctx;        /* privilege, data privilege, SUM, MXR */
    uint64_t lru;
    bool used;
    EmuTlbEntry r[TLB_SIZE];
    EmuTlbEntry w[TLB_SIZE];
    EmuTlbEntry x[TLB_SIZE];
} EmuTlbSet;

/* ---- translation blocks -------------------------------------------- */

typedef struct EmuHart EmuHart;
typedef struct EmuOp EmuOp;
typedef struct EmuTb EmuTb;

/* An op handler executes one decoded instruction and returns the next op,
 * or NULL when the block ends (h->pc then holds the next pc). */
typedef const EmuOp *(*EmuOpFn)(EmuHart *h, const EmuOp *op);

struct EmuOp {
    EmuOpFn fn;
    int64_t imm;
    uint32_t insn;     /* raw encoding (expanded for RVC: see decode.c) */
    uint16_t pc_off;   /* byte offset from the block's first instruction */
    uint8_t rd, rs1, rs2, rs3;
    uint8_t len;       /* 2 or 4 */
    uint8_t rm;        /* FP rounding mode field / AMO aq-rl / misc */
    uint32_t raw;      /* the original encoding (16-bit for RVC): the
                        * value mtval/stval report for illegal ones */
};

/* ops are copied and walked by the million: keep them at 32 bytes */
_Static_assert(sizeof(EmuOp) == 32, "EmuOp must stay 32 bytes");

#define TB_MAX_INSNS 128
#define JC_BITS 12
#define JC_SIZE (1u << JC_BITS)
#define PMP_CACHE_SIZE 256

struct EmuTb {
    uint64_t paddr;      /* physical address of the first instruction */
    uint32_t flags;      /* privilege etc.: the state decoding depends on */
    uint16_t n_ops;
    uint16_t size;       /* bytes of guest code */
    bool valid;
    bool cross_page;     /* last instruction straddles a page: not cached */
    EmuTb *hash_next;
    EmuTb *page_next;
    EmuTb *chain[2];     /* direct successors (taken, fallthrough) */
    void *native;        /* native backend: where compiled blocks continue
                          * into this one (see jit-x86_64.c) */
    EmuOp ops[];
};

/* ---- the hart ------------------------------------------------------- */

struct EmuHart {
    /* hot state first */
    uint64_t x[33];        /* x[32] is a sink for writes to x0 */
    uint64_t f[32];
    uint64_t pc;           /* during a block: vaddr of its first insn */
    EmuTlbSet *tlb;        /* current translation context */
    EmuTb *cur_tb;
    int exit_slot;         /* chaining slot chosen by the last op, or -1 */
    uint64_t block_pc;     /* vaddr of the block that just ended */
    int chain_budget;      /* blocks that may still chain without a check */

    atomic_uint_fast64_t mip_hw;  /* device-driven mip bits */
    atomic_int exit_request;      /* something to look at between blocks */

    unsigned priv;
    uint64_t mstatus;
    uint64_t misa;
    uint64_t mie, mip_sw;  /* mip_sw: SSIP, STIP, SEIP software bits */
    uint64_t medeleg, mideleg;
    uint64_t mtvec, stvec, mepc, sepc, mcause, scause, mtval, stval;
    uint64_t mscratch, sscratch, satp;
    uint64_t menvcfg, senvcfg, mcounteren, scounteren, mcountinhibit;
    uint64_t stimecmp;
    uint64_t instret, cycle_offset, instret_offset;
    uint32_t fflags, frm;
    uint8_t pmpcfg[16];
    uint64_t pmpaddr[16];
    bool pmp_active;       /* any PMP entry configured */

    /* LR/SC reservation */
    uint64_t res_addr;     /* physical, or ~0 */
    uint64_t res_val;
    uint8_t *res_host;
    unsigned res_size;

    /* timers */
    atomic_uint_fast64_t mtimecmp;
    int timer_countdown;

    /* TLB */
    EmuTlbSet sets[TLB_SETS];
    uint64_t tlb_clock;
    uint64_t code_epoch_seen;

    /* TB cache */
    struct EmuJit *jit;    /* native code for the blocks, or NULL */
    uint8_t *arena;
    size_t arena_size, arena_used;
    EmuTb **tb_hash;       /* TB_HASH_SIZE buckets */
    GHashTable *page_tbs;  /* phys page number -> EmuTb* list head */
    uint64_t tb_flushes;
    /* jump cache: virtual pc -> block, validated against the exec TLB */
    struct {
        uint64_t vpc;
        EmuTb *tb;
    } jc[JC_SIZE];
    /* PMP decisions for whole pages: (page | priv) -> allowed R/W/X */
    struct {
        uint64_t key;
        uint8_t known;
        uint8_t allow;
    } pmp_cache[PMP_CACHE_SIZE];
    uint64_t scratch_tb[(sizeof(EmuTb) + 2 * sizeof(EmuOp)) / 8 + 1];

    /* code pages written behind our back (other harts, DMA) */
    GMutex inval_lock;
    GArray *inval_pages;   /* of EmuInval */
    uint64_t inval_posted;           /* entries ever queued (inval_lock) */
    atomic_uint_fast64_t inval_done; /* entries processed */
    atomic_int idle;       /* not executing: WFI sleep, parked, stopped */

    /* thread, sleep and lifecycle */
    EmuMachine *m;
    unsigned hartid;
    GThread *thread;
    GMutex sleep_lock;
    GCond sleep_cond;
    bool sleeping;
    jmp_buf trap_jmp;
    uint64_t guest_errors;
};

typedef struct EmuInval {
    EmuRegion *region;    /* NULL: drop write TLB entries for paddr */
    uint64_t page;        /* page index in region, or physical page */
} EmuInval;

enum {
    EXIT_KICK = 1,
    EXIT_INVAL = 2,
};

/* ---- cross-file internals ------------------------------------------ */

/* trap.c */
G_NORETURN void emu_raise(EmuHart *h, const EmuOp *op, uint64_t cause,
                          uint64_t tval);
void emu_take_trap(EmuHart *h, uint64_t cause, uint64_t tval);
bool emu_check_interrupts(EmuHart *h);
void emu_hart_wfi(EmuHart *h);
void emu_update_timer(EmuHart *h);
uint64_t emu_do_mret(EmuHart *h);
uint64_t emu_do_sret(EmuHart *h);

/* csr.c */
bool emu_csr_rw(EmuHart *h, const EmuOp *op, unsigned csr, unsigned mode,
                uint64_t src, bool do_write, uint64_t *old);
void emu_csr_reset(EmuHart *h);

/* mmu.c */
void emu_tlb_select(EmuHart *h);
void emu_tlb_flush_all(EmuHart *h);
void emu_tlb_flush_write(EmuHart *h);
void emu_tlb_drop_write_page(EmuHart *h, uint64_t paddr_page);
void emu_tlb_flush_page(EmuHart *h, uint64_t va);
uint64_t emu_load_slow(EmuHart *h, const EmuOp *op, uint64_t va,
                       unsigned size);
void emu_store_slow(EmuHart *h, const EmuOp *op, uint64_t va,
                    uint64_t val, unsigned size);
/* translates for an atomic access and returns the host pointer, raising
 * the fault; NULL for MMIO (caller then uses the locked path) */
uint8_t *emu_amo_host(EmuHart *h, const EmuOp *op, uint64_t va,
                      unsigned size, EmuAccess acc, uint64_t *pa);
bool emu_fetch_translate(EmuHart *h, uint64_t va, uint64_t *pa,
                         uint8_t **host, EmuRegion **region,
                         uint64_t *cause);
bool emu_pmp_check(EmuHart *h, uint64_t pa, unsigned size, EmuAccess acc,
                   unsigned priv, bool *whole_page);
uint64_t emu_mmio_load(EmuHart *h, const EmuOp *op, uint64_t pa,
                       unsigned size);

/* hart.c */
void emu_harts_code_page_new(EmuMachine *m, EmuHart *self, uint64_t paddr);

/* translate.c */
EmuTb *emu_tb_find(EmuHart *h);
void emu_jc_clear(EmuHart *h);
void emu_pmp_cache_clear(EmuHart *h);

/* Jump-cache lookup for @vpc: the block, when the cached one is still
 * valid, has the current privilege and @vpc still maps to its paddr. */
static inline EmuTb *emu_jc_lookup(EmuHart *h, uint64_t vpc)
{
    unsigned i = (vpc >> 1) & (JC_SIZE - 1);
    EmuTb *tb = h->jc[i].tb;
    EmuTlbEntry *e;

    if (!tb || h->jc[i].vpc != vpc || !tb->valid || tb->flags != h->priv) {
        return NULL;
    }
    e = &h->tlb->x[(vpc >> 12) & (TLB_SIZE - 1)];
    if (e->tag != (vpc & ~0xfffULL) || (e->paddr | (vpc & 0xfff)) != tb->paddr) {
        return NULL;
    }
    return tb;
}
/* A dynamic jump (JALR) to @target: continues through the jump cache
 * while the chain budget lasts and no exit is requested — returns the
 * next block with h->pc, cur_tb and instret updated — or leaves to the
 * run loop (h->pc = @target) and returns NULL. */
static inline EmuTb *emu_jump_dynamic(EmuHart *h, uint64_t target)
{
    EmuTb *next;

    if (likely(--h->chain_budget > 0 &&
               !atomic_load_explicit(&h->exit_request,
                                     memory_order_relaxed)) &&
        (next = emu_jc_lookup(h, target)) != NULL) {
        h->instret += h->cur_tb->n_ops;
        h->pc = target;
        h->cur_tb = next;
        return next;
    }
    h->block_pc = h->pc;
    h->pc = target;
    h->exit_slot = -1;
    return NULL;
}
void emu_tb_flush(EmuHart *h);
void emu_tb_invalidate_page(EmuHart *h, EmuRegion *r, uint64_t page);
void emu_tb_init(EmuHart *h);
void emu_tb_fini(EmuHart *h);

/* decode.c */
bool emu_decode(EmuOp *op, uint32_t insn, unsigned len);
uint32_t emu_rvc_expand(uint16_t c);

static inline uint64_t emu_hart_mip(EmuHart *h)
{
    return atomic_load_explicit(&h->mip_hw, memory_order_acquire) |
           h->mip_sw;
}

/* exec.c: op handlers used by the decoder */
#define OP_PC(h, op) ((h)->pc + (op)->pc_off)

/* ---- fast memory access (inline) ----------------------------------- */

static inline EmuTlbEntry *tlb_entry(EmuTlbEntry *arr, uint64_t va)
{
    return &arr[(va >> 12) & (TLB_SIZE - 1)];
}

#define DEFINE_LOAD(name, type, size)                                      \
    static inline uint64_t name(EmuHart *h, const EmuOp *op, uint64_t va)  \
    {                                                                      \
        EmuTlbEntry *e = tlb_entry(h->tlb->r, va);                         \
        if (likely(e->tag == (va & (~0xfffULL | (size - 1))))) {           \
            type v;                                                        \
            __builtin_memcpy(&v, (void *)(uintptr_t)(va + e->addend),      \
                             size);                                        \
            return (uint64_t)v;                                            \
        }                                                                  \
        return (type)emu_load_slow(h, op, va, size);                       \
    }

DEFINE_LOAD(ld_s8, int8_t, 1)
DEFINE_LOAD(ld_u8, uint8_t, 1)
DEFINE_LOAD(ld_s16, int16_t, 2)
DEFINE_LOAD(ld_u16, uint16_t, 2)
DEFINE_LOAD(ld_s32, int32_t, 4)
DEFINE_LOAD(ld_u32, uint32_t, 4)
DEFINE_LOAD(ld_u64, uint64_t, 8)

#define DEFINE_STORE(name, type, size)                                     \
    static inline void name(EmuHart *h, const EmuOp *op, uint64_t va,      \
                            uint64_t val)                                  \
    {                                                                      \
        EmuTlbEntry *e = tlb_entry(h->tlb->w, va);                         \
        if (likely(e->tag == (va & (~0xfffULL | (size - 1))))) {           \
            type v = (type)val;                                            \
            __builtin_memcpy((void *)(uintptr_t)(va + e->addend), &v,      \
                             size);                                        \
            return;                                                        \
        }                                                                  \
        emu_store_slow(h, op, va, val, size);                              \
    }

DEFINE_STORE(st_8, uint8_t, 1)
DEFINE_STORE(st_16, uint16_t, 2)
DEFINE_STORE(st_32, uint32_t, 4)
DEFINE_STORE(st_64, uint64_t, 8)

#endif
