/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jit-x86_64.c: the native backend — a translation block's ops compiled to
 * x86-64 machine code once, when the block is decoded.
 *
 * The native code keeps the block format and the executor's contract: it
 * is installed as the block's first op handler (EmuOpFn, so the run loop,
 * chaining and the jump cache treat it like any other block), guest
 * registers stay in EmuHart (a trap may longjmp out at any op), and ops
 * that have no native form are executed by calling their handler with the
 * op's own address (so trap pc, instret and CSR reads stay exact). The
 * handlers end with `return op[1].fn(h, op + 1)`; in a compiled block every
 * op after the first answers with emu_op_resume, which returns straight to
 * the native code.
 *
 * Register use: rbx holds the hart for the whole block (saved on entry,
 * restored on every exit); rax, rcx, rdx, rsi, rdi and r8 are scratch.
 * Block exits either return NULL to the run loop (h->pc, h->block_pc and
 * h->exit_slot set as leave() does in exec.c) or tail-jump to the next
 * block's first handler after the checks chain() makes. */
#include "config.h"

#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/cpu/riscv/jit.h"
#include "engine/cpu/riscv/ops.h"

#if defined(__x86_64__)

#define JIT_ARENA_SIZE (32u << 20)
/* worst case of one op (a load or store with its slow path, or a branch
 * with two chain exits) — see emit_op() */
#define JIT_OP_MAX 320
#define JIT_BLOCK_EXTRA 256
#define MAX_STUBS (TB_MAX_INSNS + 1)

enum { RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6,
       RDI = 7, R8 = 8 };

/* x86 condition codes (low nibble of Jcc/SETcc) */
enum { CC_B = 0x2, CC_AE = 0x3, CC_E = 0x4, CC_NE = 0x5, CC_L = 0xc,
       CC_GE = 0xd, CC_LE = 0xe };

typedef struct Asm {
    uint8_t *p, *end;
} Asm;

/* A memory access whose fast path missed the TLB: its out-of-line call
 * is emitted after the block body. */
typedef struct Stub {
    const EmuOp *op;
    int kind;
    uint8_t *jcc;   /* rel32 to patch to the stub */
    uint8_t *back;  /* where the fast path continues */
} Stub;

static void b1(Asm *a, unsigned v)
{
    *a->p++ = (uint8_t)v;
}

static void b4(Asm *a, uint32_t v)
{
    memcpy(a->p, &v, 4);
    a->p += 4;
}

static void b8(Asm *a, uint64_t v)
{
    memcpy(a->p, &v, 8);
    a->p += 8;
}

static bool fits32(int64_t v)
{
    return v == (int32_t)v;
}

/* REX prefix for a reg field @r and base/rm field @b (W for 64-bit) */
static void rex(Asm *a, bool w, unsigned r, unsigned b)
{
    unsigned v = 0x40 | (w ? 8 : 0) | ((r & 8) ? 4 : 0) | ((b & 8) ? 1 : 0);
    if (v != 0x40) {
        b1(a, v);
    }
}

/* ModRM for [base + disp32] (base is never rsp/r12 here, so no SIB) */
static void mem(Asm *a, unsigned reg, unsigned base, int32_t disp)
{
    b1(a, 0x80 | (reg & 7) << 3 | (base & 7));
    b4(a, (uint32_t)disp);
}

/* op r64, [base+disp] (or the store direction, by opcode) */
static void op_rm(Asm *a, bool w, unsigned opc, unsigned reg, unsigned base,
                  int32_t disp)
{
    rex(a, w, reg, base);
    b1(a, opc);
    mem(a, reg, base, disp);
}

static void op_rr(Asm *a, bool w, unsigned opc, unsigned reg, unsigned rm)
{
    rex(a, w, reg, rm);
    b1(a, opc);
    b1(a, 0xc0 | (reg & 7) << 3 | (rm & 7));
}

#define XOFF(i) ((int32_t)(offsetof(EmuHart, x) + 8 * (i)))
#define HOFF(f) ((int32_t)offsetof(EmuHart, f))

static void load_x(Asm *a, unsigned r, unsigned i)
{
    op_rm(a, true, 0x8b, r, RBX, XOFF(i));
}

static void store_x(Asm *a, unsigned r, unsigned i)
{
    op_rm(a, true, 0x89, r, RBX, XOFF(i));
}

static void mov_imm(Asm *a, unsigned r, int64_t v)
{
    if (v >= 0 && v <= 0xffffffffLL) {
        rex(a, false, 0, r);
        b1(a, 0xb8 + (r & 7)); /* mov r32, imm32 (zero-extends) */
        b4(a, (uint32_t)v);
    } else if (fits32(v)) {
        rex(a, true, 0, r);
        b1(a, 0xc7);
        b1(a, 0xc0 | (r & 7));
        b4(a, (uint32_t)v);
    } else {
        rex(a, true, 0, r);
        b1(a, 0xb8 + (r & 7));
        b8(a, (uint64_t)v);
    }
}

/* group-1 ALU with an immediate: /ext = 0 add, 1 or, 4 and, 5 sub, 6 xor,
 * 7 cmp */
static void alu_imm(Asm *a, bool w, unsigned ext, unsigned r, int64_t v)
{
    if (fits32(v)) {
        rex(a, w, 0, r);
        b1(a, 0x81);
        b1(a, 0xc0 | ext << 3 | (r & 7));
        b4(a, (uint32_t)v);
    } else {
        mov_imm(a, RCX, v);
        static const uint8_t opc[8] = {0x01, 0x09, 0, 0, 0x21, 0x29, 0x31,
                                       0x39};
        op_rr(a, w, opc[ext], RCX, r);
    }
}

/* shifts: /4 shl, /5 shr, /7 sar; by an immediate or by cl */
static void shift_imm(Asm *a, bool w, unsigned ext, unsigned r, unsigned n)
{
    rex(a, w, 0, r);
    b1(a, 0xc1);
    b1(a, 0xc0 | ext << 3 | (r & 7));
    b1(a, n);
}

static void shift_cl(Asm *a, bool w, unsigned ext, unsigned r)
{
    rex(a, w, 0, r);
    b1(a, 0xd3);
    b1(a, 0xc0 | ext << 3 | (r & 7));
}

static void movsxd_rax_eax(Asm *a)
{
    b1(a, 0x48);
    b1(a, 0x63);
    b1(a, 0xc0);
}

/* setcc al; movzx eax, al */
static void setcc_rax(Asm *a, unsigned cc)
{
    b1(a, 0x0f);
    b1(a, 0x90 | cc);
    b1(a, 0xc0);
    b1(a, 0x0f);
    b1(a, 0xb6);
    b1(a, 0xc0);
}

static uint8_t *jcc32(Asm *a, unsigned cc)
{
    b1(a, 0x0f);
    b1(a, 0x80 | cc);
    b4(a, 0);
    return a->p - 4;
}

static uint8_t *jmp32(Asm *a)
{
    b1(a, 0xe9);
    b4(a, 0);
    return a->p - 4;
}

static void patch(uint8_t *rel, const uint8_t *target)
{
    int32_t d = (int32_t)(target - (rel + 4));
    memcpy(rel, &d, 4);
}

static void call_abs(Asm *a, const void *fn)
{
    mov_imm(a, RAX, (int64_t)(uintptr_t)fn);
    b1(a, 0xff);
    b1(a, 0xd0); /* call rax */
}

static void mov_rdi_rbx(Asm *a)
{
    op_rr(a, true, 0x89, RBX, RDI);
}

/* ---- op classification ----------------------------------------------- */

enum {
    K_NONE, K_LUI, K_AUIPC, K_JAL, K_JALR, K_BRANCH, K_LOAD, K_STORE,
    K_ALUI, K_ALUIW, K_ALU, K_ALUW, K_MULH, K_FENCE, K_NOP, K_GOTO,
};

typedef struct OpInfo {
    EmuOpFn fn;
    int kind;
    int sub;     /* ALU: x86 /ext or special; loads: size|signed; CC */
} OpInfo;

/* ALU sub-kinds beyond the group-1 /ext values */
enum { A_ADD = 0, A_OR = 1, A_AND = 4, A_SUB = 5, A_XOR = 6, A_SLT = 16,
       A_SLTU, A_SLL, A_SRL, A_SRA, A_MUL, A_MV };

/* loads: size in the low bits, 8 = sign-extend */
#define LD_S 16

static const OpInfo op_table[] = {
    {emu_op_nop, K_NOP, 0},
    {emu_op_goto_next, K_GOTO, 0},
    {emu_op_fence, K_FENCE, 0},
    {emu_op_lui, K_LUI, 0},
    {emu_op_li, K_LUI, 0},
    {emu_op_auipc, K_AUIPC, 0},
    {emu_op_jal, K_JAL, 0},
    {emu_op_jalr, K_JALR, 0},
    {emu_op_beq, K_BRANCH, CC_E},
    {emu_op_bne, K_BRANCH, CC_NE},
    {emu_op_blt, K_BRANCH, CC_L},
    {emu_op_bge, K_BRANCH, CC_GE},
    {emu_op_bltu, K_BRANCH, CC_B},
    {emu_op_bgeu, K_BRANCH, CC_AE},
    {emu_op_lb, K_LOAD, 1 | LD_S},
    {emu_op_lh, K_LOAD, 2 | LD_S},
    {emu_op_lw, K_LOAD, 4 | LD_S},
    {emu_op_ld, K_LOAD, 8},
    {emu_op_lbu, K_LOAD, 1},
    {emu_op_lhu, K_LOAD, 2},
    {emu_op_lwu, K_LOAD, 4},
    {emu_op_sb, K_STORE, 1},
    {emu_op_sh, K_STORE, 2},
    {emu_op_sw, K_STORE, 4},
    {emu_op_sd, K_STORE, 8},
    {emu_op_mv, K_ALU, A_MV},
    {emu_op_addi, K_ALUI, A_ADD},
    {emu_op_slti, K_ALUI, A_SLT},
    {emu_op_sltiu, K_ALUI, A_SLTU},
    {emu_op_xori, K_ALUI, A_XOR},
    {emu_op_ori, K_ALUI, A_OR},
    {emu_op_andi, K_ALUI, A_AND},
    {emu_op_slli, K_ALUI, A_SLL},
    {emu_op_srli, K_ALUI, A_SRL},
    {emu_op_srai, K_ALUI, A_SRA},
    {emu_op_addiw, K_ALUIW, A_ADD},
    {emu_op_slliw, K_ALUIW, A_SLL},
    {emu_op_srliw, K_ALUIW, A_SRL},
    {emu_op_sraiw, K_ALUIW, A_SRA},
    {emu_op_add, K_ALU, A_ADD},
    {emu_op_sub, K_ALU, A_SUB},
    {emu_op_sll, K_ALU, A_SLL},
    {emu_op_slt, K_ALU, A_SLT},
    {emu_op_sltu, K_ALU, A_SLTU},
    {emu_op_xor, K_ALU, A_XOR},
    {emu_op_srl, K_ALU, A_SRL},
    {emu_op_sra, K_ALU, A_SRA},
    {emu_op_or, K_ALU, A_OR},
    {emu_op_and, K_ALU, A_AND},
    {emu_op_mul, K_ALU, A_MUL},
    {emu_op_addw, K_ALUW, A_ADD},
    {emu_op_subw, K_ALUW, A_SUB},
    {emu_op_sllw, K_ALUW, A_SLL},
    {emu_op_srlw, K_ALUW, A_SRL},
    {emu_op_sraw, K_ALUW, A_SRA},
    {emu_op_mulw, K_ALUW, A_MUL},
    {emu_op_mulh, K_MULH, 5},  /* imul r/m64: F7 /5 */
    {emu_op_mulhu, K_MULH, 4}, /* mul r/m64: F7 /4 */
};

static const OpInfo *classify(EmuOpFn fn)
{
    for (size_t i = 0; i < G_N_ELEMENTS(op_table); i++) {
        if (op_table[i].fn == fn) {
            return &op_table[i];
        }
    }
    return NULL;
}

/* ---- the arena ------------------------------------------------------- */

static void emit_trampoline(EmuJit *j);

struct EmuJit {
    uint8_t *tramp;  /* continues in a block that has no native code */
    uint8_t *code;
    size_t size, used;
    FILE *perf_map;  /* VMKIT_PERFMAP=1: /tmp/perf-PID.map for perf(1) */
};

EmuJit *emu_jit_new(void)
{
    EmuJit *j;
    void *p = mmap(NULL, JIT_ARENA_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (p == MAP_FAILED) {
        return NULL; /* e.g. W^X policy: the threaded executor runs */
    }
    j = g_new0(EmuJit, 1);
    j->code = p;
    j->size = JIT_ARENA_SIZE;
    emit_trampoline(j);
    if (g_strcmp0(g_getenv("VMKIT_PERFMAP"), "1") == 0) {
        char *path = g_strdup_printf("/tmp/perf-%d.map", (int)getpid());
        j->perf_map = fopen(path, "a");
        g_free(path);
    }
    return j;
}

void emu_jit_free(EmuJit *j)
{
    if (j) {
        if (j->perf_map) {
            fclose(j->perf_map);
        }
        munmap(j->code, j->size);
        g_free(j);
    }
}

void emu_jit_reset(EmuJit *j)
{
    if (j) {
        j->used = 0;
        emit_trampoline(j);
    }
}

bool emu_jit_has_room(EmuJit *j, unsigned n_ops)
{
    return j->used + (size_t)n_ops * JIT_OP_MAX + JIT_BLOCK_EXTRA <= j->size;
}

/* ---- code for ops ---------------------------------------------------- */

/* Guest registers are cached in host registers for the length of a block,
 * write-through: every result is stored to EmuHart at once and also kept
 * in a host register, so later reads in the block need no store-to-load
 * round trip, and nothing has to be written back at exits, before calls
 * or when a trap longjmps out. r12-r15 are callee-saved (pushed once by
 * the prologue; blocks chain into each other's bodies inside that frame),
 * r9-r11 are saved around the slow-path calls. */
#define NPOOL 7
static const unsigned pool[NPOOL] = {12, 13, 14, 15, 9, 10, 11};

typedef struct Ctx {
    Asm a;
    EmuTb *tb;
    Stub stubs[MAX_STUBS];
    unsigned n_stubs;
    uint8_t *native;        /* where other blocks enter: after the prologue */
    uint8_t *body;          /* the first op's code, after live-in loads */
    int loop_slot[33];      /* self-loops: the pool slot a live-in guest
                             * register is in at the body, or -1 */
    int host_of[33];        /* guest register -> pool slot, or -1 */
    int guest_of[NPOOL];    /* pool slot -> guest register, or -1 */
    unsigned stamp[NPOOL];  /* last use, for eviction */
    unsigned clock;
    unsigned pinned;        /* slots the current op is using */
} Ctx;

static void cache_reset(Ctx *c)
{
    for (unsigned i = 0; i < 33; i++) {
        c->host_of[i] = -1;
    }
    for (unsigned i = 0; i < NPOOL; i++) {
        c->guest_of[i] = -1;
        c->stamp[i] = 0;
    }
    c->pinned = 0;
}

static unsigned cache_slot(Ctx *c, unsigned g)
{
    unsigned best = NPOOL;

    for (unsigned i = 0; i < NPOOL; i++) {
        if (c->pinned & (1u << i)) {
            continue;
        }
        if (c->guest_of[i] < 0) {
            best = i;
            break;
        }
        if (best == NPOOL || c->stamp[i] < c->stamp[best]) {
            best = i;
        }
    }
    g_assert(best < NPOOL);
    if (c->guest_of[best] >= 0) {
        c->host_of[c->guest_of[best]] = -1; /* memory has its value */
    }
    c->guest_of[best] = (int)g;
    c->host_of[g] = (int)best;
    return best;
}

/* host register holding guest x[@g] for reading (loaded if needed) */
static unsigned xr(Ctx *c, unsigned g)
{
    int s = c->host_of[g];

    if (s < 0) {
        s = (int)cache_slot(c, g);
        load_x(&c->a, pool[s], g);
    }
    c->stamp[s] = ++c->clock;
    c->pinned |= 1u << s;
    return pool[s];
}

/* x[@g] = rax: stored, and kept in a host register */
static void xw(Ctx *c, unsigned g)
{
    int s;

    if (g == 32) {
        return; /* x0: the write is discarded */
    }
    store_x(&c->a, RAX, g);
    s = c->host_of[g];
    if (s < 0) {
        s = (int)cache_slot(c, g);
    }
    c->stamp[s] = ++c->clock;
    op_rr(&c->a, true, 0x89, RAX, pool[s]); /* mov hr, rax */
}

static void mov_rr(Asm *a, unsigned dst, unsigned src)
{
    op_rr(a, true, 0x89, src, dst);
}

/* pop what the prologue pushed and return rax */
static void epilogue(Asm *a)
{
    b1(a, 0x41); b1(a, 0x5f); /* pop r15 */
    b1(a, 0x41); b1(a, 0x5e);
    b1(a, 0x41); b1(a, 0x5d);
    b1(a, 0x41); b1(a, 0x5c); /* pop r12 */
    b1(a, 0x5b);              /* pop rbx */
    b1(a, 0xc3);
}

static void ret_null(Asm *a)
{
    op_rr(a, false, 0x31, RAX, RAX); /* xor eax, eax */
    epilogue(a);
}

/* The checks chain() makes before continuing in the block in rcx: still
 * valid, chain budget left, no exit requested; then instret is counted.
 * Failed checks jump to the returned patch sites (3). */
static void emit_chain_checks(Ctx *c, uint8_t **to_leave)
{
    Asm *a = &c->a;

    b1(a, 0x80);             /* cmp byte [rcx + valid], 0 */
    b1(a, 0x79);
    b1(a, (uint8_t)offsetof(EmuTb, valid));
    b1(a, 0);
    to_leave[0] = jcc32(a, CC_E);
    b1(a, 0xff);             /* dec dword [rbx + chain_budget] */
    mem(a, 1, RBX, HOFF(chain_budget));
    to_leave[1] = jcc32(a, CC_LE);
    b1(a, 0x83);             /* cmp dword [rbx + exit_request], 0 */
    mem(a, 7, RBX, HOFF(exit_request));
    b1(a, 0);
    to_leave[2] = jcc32(a, CC_NE);
    b1(a, 0x48);             /* add qword [rbx + instret], n_ops */
    b1(a, 0x81);
    mem(a, 0, RBX, HOFF(instret));
    b4(a, c->tb->n_ops);
}

/* The guest registers an op reads (into @r, at most 2) and the one it
 * writes (or -1); false for an op compiled as a handler call. */
static bool op_regs(const EmuOp *op, int r[2], int *w)
{
    const OpInfo *info = classify(op->fn);

    r[0] = r[1] = -1;
    *w = -1;
    if (!info) {
        return false;
    }
    switch (info->kind) {
    case K_ALU: case K_ALUW: case K_MULH:
        r[0] = op->rs1;
        r[1] = info->sub == A_MV ? -1 : op->rs2;
        *w = op->rd;
        break;
    case K_ALUI: case K_ALUIW: case K_LOAD:
        r[0] = op->rs1;
        *w = op->rd;
        break;
    case K_STORE: case K_BRANCH:
        r[0] = op->rs1;
        r[1] = op->rs2;
        break;
    case K_JALR:
        r[0] = op->rs1;
        *w = op->rd;
        break;
    case K_LUI: case K_AUIPC: case K_JAL:
        *w = op->rd;
        break;
    default:
        break;
    }
    return true;
}

/* A block that loops onto itself and is compiled without handler calls
 * keeps its live-in registers (read before written) in fixed host
 * registers across iterations: they are loaded once where the block is
 * entered, and the back edge moves the current values back into place
 * instead of the next iteration reloading them from EmuHart. */
static void plan_loop(Ctx *c, unsigned n)
{
    const EmuOp *last = &c->tb->ops[n - 1];
    const OpInfo *li = classify(last->fn);
    bool written[33] = {false};
    unsigned used = 0;

    for (unsigned g = 0; g < 33; g++) {
        c->loop_slot[g] = -1;
    }
    if (!li || !((li->kind == K_BRANCH || li->kind == K_JAL) &&
                 (int64_t)last->pc_off + last->imm == 0)) {
        return;
    }
    for (unsigned i = 0; i < n; i++) {
        int r[2], w;

        if (!op_regs(&c->tb->ops[i], r, &w)) {
            for (unsigned g = 0; g < 33; g++) {
                c->loop_slot[g] = -1;
            }
            return;
        }
        for (unsigned k = 0; k < 2; k++) {
            if (r[k] > 0 && r[k] < 32 && !written[r[k]] &&
                c->loop_slot[r[k]] < 0 && used < NPOOL) {
                c->loop_slot[r[k]] = (int)used++;
            }
        }
        if (w >= 0) {
            written[w] = true;
        }
    }
}

/* entry of a planned loop: live-ins into their slots */
static void emit_loop_entry(Ctx *c)
{
    for (unsigned g = 0; g < 33; g++) {
        int sl = c->loop_slot[g];
        if (sl >= 0) {
            load_x(&c->a, pool[sl], g);
            c->guest_of[sl] = (int)g;
            c->host_of[g] = sl;
        }
    }
}

/* back edge of a planned loop: each live-in into its slot again, from
 * the host register holding it now or else from EmuHart (write-through:
 * it is always current there) */
static void emit_loop_moves(Ctx *c)
{
    int holds[NPOOL];

    for (unsigned i = 0; i < NPOOL; i++) {
        holds[i] = c->guest_of[i];
    }
    for (unsigned g = 0; g < 33; g++) {
        int sl = c->loop_slot[g], cur = c->host_of[g];
        if (sl < 0 || (cur == sl && holds[sl] == (int)g)) {
            continue;
        }
        if (cur >= 0 && holds[cur] == (int)g) {
            mov_rr(&c->a, pool[sl], pool[cur]);
        } else {
            load_x(&c->a, pool[sl], g);
        }
        holds[sl] = (int)g;   /* whatever was there is still in memory */
    }
}

/* Continue at h->pc + @delta: chain to the block in tb->chain[@slot] when
 * chain() in exec.c would, else leave to the run loop. */
static void emit_exit(Ctx *c, int64_t delta, int slot)
{
    Asm *a = &c->a;
    int64_t in_page = (int64_t)(c->tb->paddr & 0xfff) + delta;
    uint8_t *to_leave[4];
    unsigned n = 0;

    if (slot >= 0 && delta == 0) {
        /* a loop onto itself: the successor chain() would find is this
         * very block while it stays valid; same pc, no indirect jump */
        mov_imm(a, RCX, (int64_t)(uintptr_t)c->tb);
        emit_chain_checks(c, to_leave);
        n = 3;
        emit_loop_moves(c);
        patch(jmp32(a), c->body);
    } else if (slot >= 0 && in_page >= 0 && in_page < 4096 && fits32(delta)) {
        mov_imm(a, RCX, (int64_t)(uintptr_t)&c->tb->chain[slot]);
        b1(a, 0x48); b1(a, 0x8b); b1(a, 0x09); /* mov rcx, [rcx] */
        op_rr(a, true, 0x85, RCX, RCX);          /* test rcx, rcx */
        to_leave[n++] = jcc32(a, CC_E);
        emit_chain_checks(c, to_leave + n);
        n += 3;
        b1(a, 0x48);                             /* add qword [rbx+pc] */
        b1(a, 0x81);
        mem(a, 0, RBX, HOFF(pc));
        b4(a, (uint32_t)(int32_t)delta);
        op_rm(a, true, 0x89, RCX, RBX, HOFF(cur_tb));
        b1(a, 0xff);                             /* jmp [rcx + native] */
        mem(a, 4, RCX, (int32_t)offsetof(EmuTb, native));
    }
    for (unsigned i = 0; i < n; i++) {
        patch(to_leave[i], a->p);
    }
    /* leave: block_pc = pc; pc += delta; exit_slot = slot */
    op_rm(a, true, 0x8b, RAX, RBX, HOFF(pc));
    op_rm(a, true, 0x89, RAX, RBX, HOFF(block_pc));
    alu_imm(a, true, 0, RAX, delta);
    op_rm(a, true, 0x89, RAX, RBX, HOFF(pc));
    b1(a, 0xc7);
    mem(a, 0, RBX, HOFF(exit_slot));
    b4(a, (uint32_t)slot);
    ret_null(a);
}

/* rax = guest virtual address rs1 + imm; rcx = the TLB entry it selects
 * in the array at @arr_off of the current set; jumps to a stub when the
 * tag does not match (miss, or misaligned: the low bits stay in the
 * compared value). Then rax = host address. */
static void emit_tlb(Ctx *c, const EmuOp *op, int kind, size_t arr_off,
                     unsigned size)
{
    Asm *a = &c->a;
    int32_t mask = (int32_t)(~0xfffU | (size - 1));
    Stub *s = &c->stubs[c->n_stubs++];

    mov_rr(a, RAX, xr(c, op->rs1));
    if (op->imm) {
        alu_imm(a, true, 0, RAX, op->imm);
    }
    op_rm(a, true, 0x8b, RCX, RBX, HOFF(tlb));
    mov_rr(a, RDX, RAX);
    shift_imm(a, true, 5, RDX, 12);
    alu_imm(a, false, 4, RDX, TLB_SIZE - 1);
    shift_imm(a, true, 4, RDX, 5);
    _Static_assert(sizeof(EmuTlbEntry) == 32, "TLB entry size");
    op_rr(a, true, 0x01, RDX, RCX);            /* add rcx, rdx */
    mov_rr(a, RDX, RAX);
    alu_imm(a, true, 4, RDX, mask);
    op_rm(a, true, 0x3b, RDX, RCX,
          (int32_t)(arr_off + offsetof(EmuTlbEntry, tag)));
    s->op = op;
    s->kind = kind;
    s->jcc = jcc32(a, CC_NE);
    op_rm(a, true, 0x03, RAX, RCX,
          (int32_t)(arr_off + offsetof(EmuTlbEntry, addend)));
}

/* rax = value at [rax] of @size bytes, extended as @sub says */
static void emit_load_host(Asm *a, int sub)
{
    switch (sub) {
    case 1: b1(a, 0x0f); b1(a, 0xb6); b1(a, 0x00); break;               /* movzx eax, byte */
    case 1 | LD_S: b1(a, 0x48); b1(a, 0x0f); b1(a, 0xbe); b1(a, 0x00); break;
    case 2: b1(a, 0x0f); b1(a, 0xb7); b1(a, 0x00); break;
    case 2 | LD_S: b1(a, 0x48); b1(a, 0x0f); b1(a, 0xbf); b1(a, 0x00); break;
    case 4: b1(a, 0x8b); b1(a, 0x00); break;                             /* mov eax, [rax] */
    case 4 | LD_S: b1(a, 0x48); b1(a, 0x63); b1(a, 0x00); break;         /* movsxd */
    default: b1(a, 0x48); b1(a, 0x8b); b1(a, 0x00); break;
    }
}

/* extend the value emu_load_slow returned in rax */
static void emit_extend_rax(Asm *a, int sub)
{
    switch (sub) {
    case 1: b1(a, 0x0f); b1(a, 0xb6); b1(a, 0xc0); break;
    case 1 | LD_S: b1(a, 0x48); b1(a, 0x0f); b1(a, 0xbe); b1(a, 0xc0); break;
    case 2: b1(a, 0x0f); b1(a, 0xb7); b1(a, 0xc0); break;
    case 2 | LD_S: b1(a, 0x48); b1(a, 0x0f); b1(a, 0xbf); b1(a, 0xc0); break;
    case 4: b1(a, 0x89); b1(a, 0xc0); break;                             /* mov eax, eax */
    case 4 | LD_S: movsxd_rax_eax(a); break;
    default: break;
    }
}

static void emit_load(Ctx *c, const EmuOp *op, int sub)
{
    Asm *a = &c->a;

    emit_tlb(c, op, K_LOAD, offsetof(EmuTlbSet, r), sub & 15);
    emit_load_host(a, sub);
    c->stubs[c->n_stubs - 1].back = a->p; /* the slow path joins here */
    xw(c, op->rd);
}

static void emit_store(Ctx *c, const EmuOp *op, int size)
{
    Asm *a = &c->a;
    /* before the TLB check: the slow path must see the same cache state */
    unsigned r2 = xr(c, op->rs2);

    emit_tlb(c, op, K_STORE, offsetof(EmuTlbSet, w), size);
    mov_rr(a, RDX, r2);
    switch (size) {
    case 1: b1(a, 0x88); b1(a, 0x10); break;             /* mov [rax], dl */
    case 2: b1(a, 0x66); b1(a, 0x89); b1(a, 0x10); break;
    case 4: b1(a, 0x89); b1(a, 0x10); break;
    default: b1(a, 0x48); b1(a, 0x89); b1(a, 0x10); break;
    }
    c->stubs[c->n_stubs - 1].back = a->p;
}

/* Slow paths (va in rax): the call keeps r9-r11, which may cache guest
 * registers; guest registers are current in EmuHart (write-through). */
static void emit_stubs(Ctx *c)
{
    Asm *a = &c->a;

    for (unsigned i = 0; i < c->n_stubs; i++) {
        Stub *s = &c->stubs[i];
        const OpInfo *info = classify(s->op->fn);

        patch(s->jcc, a->p);
        b1(a, 0x41); b1(a, 0x51);                /* push r9 */
        b1(a, 0x41); b1(a, 0x52);                /* push r10 */
        b1(a, 0x41); b1(a, 0x53);                /* push r11 */
        b1(a, 0x48); b1(a, 0x83); b1(a, 0xec); b1(a, 8); /* sub rsp, 8 */
        mov_rdi_rbx(a);
        mov_imm(a, RSI, (int64_t)(uintptr_t)s->op);
        mov_rr(a, RDX, RAX);                     /* va */
        if (s->kind == K_LOAD) {
            mov_imm(a, RCX, info->sub & 15);
            call_abs(a, (const void *)emu_load_slow);
            emit_extend_rax(a, info->sub);
        } else {
            load_x(a, RCX, s->op->rs2);
            mov_imm(a, R8, info->sub);
            call_abs(a, (const void *)emu_store_slow);
        }
        b1(a, 0x48); b1(a, 0x83); b1(a, 0xc4); b1(a, 8); /* add rsp, 8 */
        b1(a, 0x41); b1(a, 0x5b);
        b1(a, 0x41); b1(a, 0x5a);
        b1(a, 0x41); b1(a, 0x59);
        patch(jmp32(a), s->back);
    }
}

static void emit_alu(Ctx *c, const EmuOp *op, int sub, bool imm, bool w32)
{
    Asm *a = &c->a;
    bool w = !w32;

    mov_rr(a, RAX, xr(c, op->rs1));
    switch (sub) {
    case A_MV:
        break;
    case A_ADD: case A_OR: case A_AND: case A_SUB: case A_XOR:
        if (imm) {
            alu_imm(a, w, (unsigned)sub, RAX, op->imm);
        } else {
            static const uint8_t opc[8] = {0x03, 0x0b, 0, 0, 0x23, 0x2b,
                                           0x33, 0};
            op_rr(a, w, opc[sub], RAX, xr(c, op->rs2));
        }
        break;
    case A_SLT: case A_SLTU:
        if (imm) {
            alu_imm(a, true, 7, RAX, op->imm);
        } else {
            op_rr(a, true, 0x3b, RAX, xr(c, op->rs2));
        }
        setcc_rax(a, sub == A_SLT ? CC_L : CC_B);
        break;
    case A_SLL: case A_SRL: case A_SRA: {
        unsigned ext = sub == A_SLL ? 4 : sub == A_SRL ? 5 : 7;
        if (imm) {
            if (op->imm) {
                shift_imm(a, w, ext, RAX, (unsigned)op->imm);
            }
        } else {
            mov_rr(a, RCX, xr(c, op->rs2));
            shift_cl(a, w, ext, RAX);
        }
        break;
    }
    case A_MUL: {
        unsigned r2 = xr(c, op->rs2);
        rex(a, w, RAX, r2);
        b1(a, 0x0f);
        b1(a, 0xaf);
        b1(a, 0xc0 | (r2 & 7));  /* imul rax, r2 */
        break;
    }
    default:
        g_assert_not_reached();
    }
    if (w32) {
        movsxd_rax_eax(a);
    }
    xw(c, op->rd);
}

/* an op without a native form: call its handler; NULL means the block
 * ended inside it (the run loop takes over). The handler may change any
 * guest register: the cache starts afresh. */
static void emit_call_handler(Ctx *c, const EmuOp *op, bool last)
{
    Asm *a = &c->a;
    uint8_t *j;

    mov_rdi_rbx(a);
    mov_imm(a, RSI, (int64_t)(uintptr_t)op);
    call_abs(a, (const void *)op->fn);
    cache_reset(c);
    if (last) {
        epilogue(a);
        return;
    }
    op_rr(a, true, 0x85, RAX, RAX);
    j = jcc32(a, CC_NE);
    epilogue(a);
    patch(j, a->p);
}

/* Dynamic jump: the jump-cache step of emu_op_jalr; the next block, or
 * NULL after leaving to the run loop. */
static EmuTb *jit_jalr(EmuHart *h, uint64_t target)
{
    return emu_jump_dynamic(h, target);
}

/* Emits one op; returns false once the block has ended. */
static bool emit_op(Ctx *c, const EmuOp *op, bool last)
{
    Asm *a = &c->a;
    const OpInfo *info = classify(op->fn);

    c->pinned = 0;
    if (!info) {
        emit_call_handler(c, op, last);
        return !last;
    }
    switch (info->kind) {
    case K_NOP:
        break;
    case K_FENCE:
        b1(a, 0x0f); b1(a, 0xae); b1(a, 0xf0); /* mfence */
        break;
    case K_LUI:
        mov_imm(a, RAX, op->imm);
        xw(c, op->rd);
        break;
    case K_AUIPC:
        op_rm(a, true, 0x8b, RAX, RBX, HOFF(pc));
        alu_imm(a, true, 0, RAX, (int64_t)op->pc_off + op->imm);
        xw(c, op->rd);
        break;
    case K_ALU: emit_alu(c, op, info->sub, false, false); break;
    case K_ALUW: emit_alu(c, op, info->sub, false, true); break;
    case K_ALUI: emit_alu(c, op, info->sub, true, false); break;
    case K_ALUIW: emit_alu(c, op, info->sub, true, true); break;
    case K_MULH: {
        unsigned r2;
        mov_rr(a, RAX, xr(c, op->rs1));
        r2 = xr(c, op->rs2);
        rex(a, true, 0, r2);
        b1(a, 0xf7);
        b1(a, 0xc0 | (unsigned)info->sub << 3 | (r2 & 7));
        mov_rr(a, RAX, RDX);
        xw(c, op->rd);
        break;
    }
    case K_LOAD: emit_load(c, op, info->sub); break;
    case K_STORE: emit_store(c, op, info->sub); break;
    case K_GOTO:
        emit_exit(c, op->pc_off, 1);
        return false;
    case K_JAL:
        op_rm(a, true, 0x8b, RAX, RBX, HOFF(pc));
        alu_imm(a, true, 0, RAX, (int64_t)op->pc_off + op->len);
        xw(c, op->rd);
        emit_exit(c, (int64_t)op->pc_off + op->imm, 0);
        return false;
    case K_JALR: {
        uint8_t *j;
        mov_rr(a, RSI, xr(c, op->rs1));
        if (op->imm) {
            alu_imm(a, true, 0, RSI, op->imm);
        }
        alu_imm(a, true, 4, RSI, -2);
        op_rm(a, true, 0x8b, RAX, RBX, HOFF(pc));
        alu_imm(a, true, 0, RAX, (int64_t)op->pc_off + op->len);
        xw(c, op->rd);
        mov_rdi_rbx(a);
        call_abs(a, (const void *)jit_jalr);
        op_rr(a, true, 0x85, RAX, RAX);
        j = jcc32(a, CC_NE);
        epilogue(a);
        patch(j, a->p);
        mov_rr(a, RCX, RAX);
        b1(a, 0xff);                          /* jmp [rcx + native] */
        mem(a, 4, RCX, (int32_t)offsetof(EmuTb, native));
        return false;
    }
    case K_BRANCH: {
        uint8_t *taken;
        unsigned r1 = xr(c, op->rs1), r2 = xr(c, op->rs2);
        op_rr(a, true, 0x3b, r1, r2);         /* cmp r1, r2 */
        taken = jcc32(a, (unsigned)info->sub);
        emit_exit(c, (int64_t)op->pc_off + op->len, 1);
        patch(taken, a->p);
        emit_exit(c, (int64_t)op->pc_off + op->imm, 0);
        return false;
    }
    default:
        g_assert_not_reached();
    }
    if (last) {
        /* cannot happen: blocks end with a terminator or goto_next */
        emit_exit(c, (int64_t)op->pc_off + op->len, -1);
        return false;
    }
    return true;
}

const EmuOp *emu_op_resume(EmuHart *h, const EmuOp *op)
{
    (void)h;
    return op;
}

/* Entered like a block body (rbx = hart, the prologue's frame) with the
 * block in rcx: leaves the frame and tail-calls the block's first op
 * handler, as chain() in exec.c does. */
static void emit_trampoline(EmuJit *j)
{
    Asm a = {j->code, j->code + j->size};

    j->tramp = a.p;
    op_rm(&a, true, 0x8d, RSI, RCX, (int32_t)offsetof(EmuTb, ops));
    mov_rdi_rbx(&a);
    b1(&a, 0x41); b1(&a, 0x5f);
    b1(&a, 0x41); b1(&a, 0x5e);
    b1(&a, 0x41); b1(&a, 0x5d);
    b1(&a, 0x41); b1(&a, 0x5c);
    b1(&a, 0x5b);
    b1(&a, 0xff); b1(&a, 0x26);         /* jmp [rsi] */
    j->used = ((size_t)(a.p - j->code) + 15) & ~(size_t)15;
}

bool emu_jit_compile(EmuJit *j, EmuTb *tb, unsigned n)
{
    Ctx *c;
    uint8_t *start, *c_body;

    if (!emu_jit_has_room(j, n)) {
        tb->native = j->tramp;
        return false;
    }
    c = g_new(Ctx, 1);
    c->tb = tb;
    c->n_stubs = 0;
    c->clock = 0;
    cache_reset(c);
    start = j->code + j->used;
    c->a.p = start;
    c->a.end = j->code + j->size;
    /* prologue: the frame every compiled block runs in (blocks chain into
     * each other's bodies); rsp is 16-byte aligned after the 5 pushes */
    b1(&c->a, 0x53);                    /* push rbx */
    b1(&c->a, 0x41); b1(&c->a, 0x54);   /* push r12 */
    b1(&c->a, 0x41); b1(&c->a, 0x55);
    b1(&c->a, 0x41); b1(&c->a, 0x56);
    b1(&c->a, 0x41); b1(&c->a, 0x57);   /* push r15 */
    op_rr(&c->a, true, 0x89, RDI, RBX); /* mov rbx, rdi */
    c->native = c->a.p;
    plan_loop(c, n);
    emit_loop_entry(c);
    c->body = c->a.p;
    for (unsigned i = 0; i < n; i++) {
        if (!emit_op(c, &tb->ops[i], i + 1 == n)) {
            break;
        }
    }
    emit_stubs(c);
    /* the bound emu_jit_has_room() promised (checked in every test run) */
    g_assert((size_t)(c->a.p - start) <=
             (size_t)n * JIT_OP_MAX + JIT_BLOCK_EXTRA);
    j->used = ((size_t)(c->a.p - j->code) + 15) & ~(size_t)15;
    if (j->perf_map) {
        fprintf(j->perf_map, "%" G_GINT64_MODIFIER "x %zx tb_%" G_GINT64_MODIFIER "x_p%u\n",
                (guint64)(uintptr_t)start, (size_t)(c->a.p - start),
                (guint64)tb->paddr, (unsigned)tb->flags);
        fflush(j->perf_map);
    }
    c_body = c->native;
    g_free(c);
    for (unsigned i = 1; i < n; i++) {
        tb->ops[i].fn = emu_op_resume;
    }
    tb->ops[0].fn = (EmuOpFn)(void *)start;
    tb->native = c_body;
    return true;
}

#else /* !__x86_64__ */

EmuJit *emu_jit_new(void)
{
    return NULL;
}

void emu_jit_free(EmuJit *j)
{
    (void)j;
}

void emu_jit_reset(EmuJit *j)
{
    (void)j;
}

bool emu_jit_has_room(EmuJit *j, unsigned n_ops)
{
    (void)j;
    (void)n_ops;
    return true;
}

bool emu_jit_compile(EmuJit *j, EmuTb *tb, unsigned n)
{
    (void)j;
    (void)tb;
    (void)n;
    return false;
}

const EmuOp *emu_op_resume(EmuHart *h, const EmuOp *op)
{
    (void)h;
    return op;
}

#endif
