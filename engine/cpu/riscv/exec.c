/* SPDX-License-Identifier: GPL-2.0-or-later */
/* exec.c: op handlers for RV64IMA, Zicsr, Zifencei and the privileged
 * instructions — the portable threaded-code executor's integer half. */
#include "config.h"

#include "engine/cpu/riscv/ops.h"

#define RS1 (h->x[op->rs1])
#define RS2 (h->x[op->rs2])
#define RD (h->x[op->rd])
/* Threaded code: each handler jumps straight to the next one (a sibling
 * call at -O2; without it the depth is still bounded by the block length
 * and the chain budget). */
#define NEXT return op[1].fn(h, op + 1)
#define OP(name) const EmuOp *emu_op_##name(EmuHart *h, const EmuOp *op)

/* End of block: continue at @pc; @slot says which chain slot a static
 * successor uses (0 taken, 1 fallthrough) or -1 when it is dynamic. */
static inline const EmuOp *leave(EmuHart *h, uint64_t pc, int slot)
{
    h->block_pc = h->pc;
    h->pc = pc;
    h->exit_slot = slot;
    return NULL;
}

/* Static successor: when the block already knows its successor (same
 * virtual page, still valid) continue there directly, without going back
 * to the run loop — for a bounded number of blocks, and only while no
 * exit is requested, so interrupts and timers are still seen promptly. */
static inline const EmuOp *chain(EmuHart *h, uint64_t target, int slot)
{
    EmuTb *tb = h->cur_tb, *next = tb->chain[slot];

    if (likely(next && next->valid && ((target ^ h->pc) >> 12) == 0 &&
               --h->chain_budget > 0 &&
               !atomic_load_explicit(&h->exit_request,
                                     memory_order_relaxed))) {
        h->instret += tb->n_ops;
        h->pc = target;
        h->cur_tb = next;
        return next->ops[0].fn(h, next->ops);
    }
    return leave(h, target, slot);
}

OP(illegal)
{
    emu_raise(h, op, EXC_ILLEGAL, op->raw);
}

OP(nop)
{
    NEXT;
}

OP(goto_next)
{
    return chain(h, OP_PC(h, op), 1);
}

OP(lui)
{
    RD = op->imm;
    NEXT;
}

OP(auipc)
{
    RD = OP_PC(h, op) + op->imm;
    NEXT;
}

OP(jal)
{
    uint64_t pc = OP_PC(h, op);
    RD = pc + op->len;
    return chain(h, pc + op->imm, 0);
}

/* Dynamic jumps (returns, indirect calls) continue through the jump
 * cache while the chain budget lasts. */
OP(jalr)
{
    uint64_t pc = OP_PC(h, op);
    uint64_t target = (RS1 + op->imm) & ~1ULL;
    EmuTb *next;

    RD = pc + op->len;
    next = emu_jump_dynamic(h, target);
    return next ? next->ops[0].fn(h, next->ops) : NULL;
}

#define BRANCH(name, cond)                                                 \
    OP(name)                                                               \
    {                                                                      \
        uint64_t pc = OP_PC(h, op);                                        \
        if (cond) {                                                        \
            return chain(h, pc + op->imm, 0);                              \
        }                                                                  \
        return chain(h, pc + op->len, 1);                                  \
    }

BRANCH(beq, RS1 == RS2)
BRANCH(bne, RS1 != RS2)
BRANCH(blt, (int64_t)RS1 < (int64_t)RS2)
BRANCH(bge, (int64_t)RS1 >= (int64_t)RS2)
BRANCH(bltu, RS1 < RS2)
BRANCH(bgeu, RS1 >= RS2)

#define LOAD(name, fn)                                                     \
    OP(name)                                                               \
    {                                                                      \
        RD = fn(h, op, RS1 + op->imm);                                     \
        NEXT;                                                              \
    }

LOAD(lb, ld_s8)
LOAD(lh, ld_s16)
LOAD(lw, ld_s32)
LOAD(ld, ld_u64)
LOAD(lbu, ld_u8)
LOAD(lhu, ld_u16)
LOAD(lwu, ld_u32)

#define STORE(name, fn)                                                    \
    OP(name)                                                               \
    {                                                                      \
        fn(h, op, RS1 + op->imm, RS2);                                     \
        NEXT;                                                              \
    }

STORE(sb, st_8)
STORE(sh, st_16)
STORE(sw, st_32)
STORE(sd, st_64)

#define ALU(name, expr)                                                    \
    OP(name)                                                               \
    {                                                                      \
        RD = (expr);                                                       \
        NEXT;                                                              \
    }

#define SX32(v) ((uint64_t)(int64_t)(int32_t)(v))

ALU(li, op->imm)
ALU(mv, RS1)
ALU(addi, RS1 + op->imm)
ALU(slti, (int64_t)RS1 < op->imm)
ALU(sltiu, RS1 < (uint64_t)op->imm)
ALU(xori, RS1 ^ op->imm)
ALU(ori, RS1 | op->imm)
ALU(andi, RS1 & op->imm)
ALU(slli, RS1 << op->imm)
ALU(srli, RS1 >> op->imm)
ALU(srai, (uint64_t)((int64_t)RS1 >> op->imm))
ALU(addiw, SX32(RS1 + op->imm))
ALU(slliw, SX32((uint32_t)RS1 << op->imm))
ALU(srliw, SX32((uint32_t)RS1 >> op->imm))
ALU(sraiw, SX32((int32_t)RS1 >> op->imm))
ALU(add, RS1 + RS2)
ALU(sub, RS1 - RS2)
ALU(sll, RS1 << (RS2 & 63))
ALU(slt, (int64_t)RS1 < (int64_t)RS2)
ALU(sltu, RS1 < RS2)
ALU(xor, RS1 ^ RS2)
ALU(srl, RS1 >> (RS2 & 63))
ALU(sra, (uint64_t)((int64_t)RS1 >> (RS2 & 63)))
ALU(or, RS1 | RS2)
ALU(and, RS1 & RS2)
ALU(addw, SX32(RS1 + RS2))
ALU(subw, SX32(RS1 - RS2))
ALU(sllw, SX32((uint32_t)RS1 << (RS2 & 31)))
ALU(srlw, SX32((uint32_t)RS1 >> (RS2 & 31)))
ALU(sraw, SX32((int32_t)RS1 >> (RS2 & 31)))
ALU(mul, RS1 * RS2)
ALU(mulh, (uint64_t)(((__int128)(int64_t)RS1 * (__int128)(int64_t)RS2) >> 64))
ALU(mulhsu,
    (uint64_t)(((__int128)(int64_t)RS1 * (unsigned __int128)RS2) >> 64))
ALU(mulhu, (uint64_t)(((unsigned __int128)RS1 * RS2) >> 64))
ALU(mulw, SX32((uint32_t)RS1 * (uint32_t)RS2))

/* Division never traps (ISA spec §7.2): x/0 = -1, x%0 = x, and the
 * signed overflow case MIN/-1 = MIN, MIN%-1 = 0. */
OP(div)
{
    int64_t a = RS1, b = RS2;
    RD = b == 0 ? ~0ULL : (a == INT64_MIN && b == -1) ? (uint64_t)a
                                                       : (uint64_t)(a / b);
    NEXT;
}

OP(divu)
{
    RD = RS2 == 0 ? ~0ULL : RS1 / RS2;
    NEXT;
}

OP(rem)
{
    int64_t a = RS1, b = RS2;
    RD = b == 0 ? (uint64_t)a : (a == INT64_MIN && b == -1) ? 0
                                                           : (uint64_t)(a % b);
    NEXT;
}

OP(remu)
{
    RD = RS2 == 0 ? RS1 : RS1 % RS2;
    NEXT;
}

OP(divw)
{
    int32_t a = RS1, b = RS2;
    RD = b == 0 ? ~0ULL : (a == INT32_MIN && b == -1) ? SX32(a) : SX32(a / b);
    NEXT;
}

OP(divuw)
{
    uint32_t a = RS1, b = RS2;
    RD = b == 0 ? ~0ULL : SX32(a / b);
    NEXT;
}

OP(remw)
{
    int32_t a = RS1, b = RS2;
    RD = b == 0 ? SX32(a) : (a == INT32_MIN && b == -1) ? 0 : SX32(a % b);
    NEXT;
}

OP(remuw)
{
    uint32_t a = RS1, b = RS2;
    RD = b == 0 ? SX32(a) : SX32(a % b);
    NEXT;
}

OP(fence)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    NEXT;
}

/* FENCE.I: stores to code pages were already queued as invalidations
 * (see mmu.c); ending the block makes the run loop apply them before the
 * next fetch (Zifencei, ISA spec ch. 3). */
OP(fence_i)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    atomic_fetch_or(&h->exit_request, EXIT_INVAL);
    return leave(h, OP_PC(h, op) + op->len, -1);
}

OP(ecall)
{
    static const uint64_t cause[4] = {EXC_ECALL_U, EXC_ECALL_S, 0,
                                      EXC_ECALL_M};
    emu_raise(h, op, cause[h->priv], 0);
}

OP(ebreak)
{
    emu_raise(h, op, EXC_BREAKPOINT, OP_PC(h, op));
}

OP(mret)
{
    if (h->priv < PRV_M) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
    return leave(h, emu_do_mret(h), -1);
}

OP(sret)
{
    if (h->priv < PRV_S ||
        (h->priv == PRV_S && (h->mstatus & MSTATUS_TSR))) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
    return leave(h, emu_do_sret(h), -1);
}

OP(wfi)
{
    /* privileged spec §3.3.3: TW traps WFI below M; U-mode WFI traps */
    if (h->priv == PRV_U ||
        (h->priv < PRV_M && (h->mstatus & MSTATUS_TW))) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
    emu_hart_wfi(h);
    return leave(h, OP_PC(h, op) + op->len, -1);
}

OP(sfence_vma)
{
    if (h->priv == PRV_U ||
        (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM))) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
    emu_tlb_flush_all(h);
    return leave(h, OP_PC(h, op) + op->len, -1);
}

/* CSR instructions end their block: a write may change translation state.
 * csr.c sets exit_slot to -1 when it does, so plain reads still chain. */
static const EmuOp *csr_op(EmuHart *h, const EmuOp *op, unsigned mode,
                           uint64_t src, bool write)
{
    uint64_t old = 0;

    h->exit_slot = 1;
    emu_csr_rw(h, op, (unsigned)op->imm, mode, src, write, &old);
    RD = old;
    return leave(h, OP_PC(h, op) + op->len, h->exit_slot);
}

OP(csrrw)
{
    return csr_op(h, op, 0, RS1, true);
}

OP(csrrs)
{
    return csr_op(h, op, 1, RS1, op->rs1 != 0);
}

OP(csrrc)
{
    return csr_op(h, op, 2, RS1, op->rs1 != 0);
}

OP(csrrwi)
{
    return csr_op(h, op, 0, op->rs1, true);
}

OP(csrrsi)
{
    return csr_op(h, op, 1, op->rs1, op->rs1 != 0);
}

OP(csrrci)
{
    return csr_op(h, op, 2, op->rs1, op->rs1 != 0);
}

/* ---- A extension ---------------------------------------------------- */

static void check_amo_align(EmuHart *h, const EmuOp *op, uint64_t va,
                            unsigned size, uint64_t cause)
{
    if (va & (size - 1)) {
        emu_raise(h, op, cause, va);
    }
}

#define DO_LR(name, size, type)                                            \
    OP(name)                                                               \
    {                                                                      \
        uint64_t va = RS1, pa;                                             \
        uint8_t *host;                                                     \
        type v;                                                            \
        check_amo_align(h, op, va, size, EXC_LOAD_MISALIGNED);             \
        host = emu_amo_host(h, op, va, size, ACC_READ, &pa);               \
        if (host) {                                                        \
            v = __atomic_load_n((type *)host, __ATOMIC_ACQUIRE);           \
        } else {                                                           \
            v = (type)emu_mmio_load(h, op, pa, size);                      \
        }                                                                  \
        h->res_addr = host ? pa : ~0ULL;                                   \
        h->res_host = host;                                                \
        h->res_val = (uint64_t)(int64_t)v;                                 \
        h->res_size = size;                                                \
        RD = (uint64_t)(int64_t)v;                                         \
        NEXT;                                                              \
    }

DO_LR(lr_w, 4, int32_t)
DO_LR(lr_d, 8, int64_t)

/* SC succeeds when the reservation covers this address and memory still
 * holds what LR saw (compare-and-swap: a store by another hart in
 * between makes it fail, which the spec requires). */
#define DO_SC(name, size, type)                                            \
    OP(name)                                                               \
    {                                                                      \
        uint64_t va = RS1, pa;                                             \
        uint8_t *host;                                                     \
        bool ok = false;                                                   \
        check_amo_align(h, op, va, size, EXC_STORE_MISALIGNED);            \
        host = emu_amo_host(h, op, va, size, ACC_WRITE, &pa);              \
        if (host && h->res_addr == pa && h->res_size == size) {            \
            type expected = (type)h->res_val;                              \
            ok = __atomic_compare_exchange_n((type *)host, &expected,      \
                                             (type)RS2, false,             \
                                             __ATOMIC_SEQ_CST,             \
                                             __ATOMIC_SEQ_CST);            \
        }                                                                  \
        h->res_addr = ~0ULL;                                               \
        RD = ok ? 0 : 1;                                                   \
        NEXT;                                                              \
    }

DO_SC(sc_w, 4, int32_t)
DO_SC(sc_d, 8, int64_t)

typedef enum {
    AMO_SWAP, AMO_ADD, AMO_XOR, AMO_AND, AMO_OR,
    AMO_MIN, AMO_MAX, AMO_MINU, AMO_MAXU,
} AmoKind;

static uint64_t amo_compute(AmoKind k, uint64_t a, uint64_t b, bool w)
{
    int64_t sa = w ? (int32_t)a : (int64_t)a, sb = w ? (int32_t)b : (int64_t)b;
    uint64_t ua = w ? (uint32_t)a : a, ub = w ? (uint32_t)b : b;

    switch (k) {
    case AMO_SWAP: return b;
    case AMO_ADD: return a + b;
    case AMO_XOR: return a ^ b;
    case AMO_AND: return a & b;
    case AMO_OR: return a | b;
    case AMO_MIN: return sa < sb ? a : b;
    case AMO_MAX: return sa > sb ? a : b;
    case AMO_MINU: return ua < ub ? a : b;
    default: return ua > ub ? a : b;
    }
}

static const EmuOp *amo(EmuHart *h, const EmuOp *op, AmoKind k, bool w)
{
    unsigned size = w ? 4 : 8;
    uint64_t va = RS1, pa, src = RS2, old;
    uint8_t *host;

    check_amo_align(h, op, va, size, EXC_STORE_MISALIGNED);
    host = emu_amo_host(h, op, va, size, ACC_WRITE, &pa);
    if (!host) {
        EmuRegion *r;
        emu_machine_lock(h->m);
        r = emu_mem_find(h->m, pa);
        old = emu_mmio_read_locked(r, pa - r->base, size);
        emu_mmio_write_locked(r, pa - r->base, amo_compute(k, old, src, w),
                              size);
        emu_machine_unlock(h->m);
    } else if (w) {
        uint32_t *p = (uint32_t *)host, cur = __atomic_load_n(p, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(p, &cur,
                                            (uint32_t)amo_compute(k, cur, src, w),
                                            true, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
        }
        old = cur;
    } else {
        uint64_t *p = (uint64_t *)host, cur = __atomic_load_n(p, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(p, &cur, amo_compute(k, cur, src, w),
                                            true, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
        }
        old = cur;
    }
    RD = w ? SX32(old) : old;
    NEXT;
}

#define AMO(name, kind, w)                                                 \
    OP(name)                                                               \
    {                                                                      \
        return amo(h, op, kind, w);                                        \
    }

AMO(amoswap_w, AMO_SWAP, true)
AMO(amoadd_w, AMO_ADD, true)
AMO(amoxor_w, AMO_XOR, true)
AMO(amoand_w, AMO_AND, true)
AMO(amoor_w, AMO_OR, true)
AMO(amomin_w, AMO_MIN, true)
AMO(amomax_w, AMO_MAX, true)
AMO(amominu_w, AMO_MINU, true)
AMO(amomaxu_w, AMO_MAXU, true)
AMO(amoswap_d, AMO_SWAP, false)
AMO(amoadd_d, AMO_ADD, false)
AMO(amoxor_d, AMO_XOR, false)
AMO(amoand_d, AMO_AND, false)
AMO(amoor_d, AMO_OR, false)
AMO(amomin_d, AMO_MIN, false)
AMO(amomax_d, AMO_MAX, false)
AMO(amominu_d, AMO_MINU, false)
AMO(amomaxu_d, AMO_MAXU, false)
