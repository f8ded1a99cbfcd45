/* SPDX-License-Identifier: GPL-2.0-or-later */
/* csr.c: the control and status registers a Linux/OpenSBI system uses,
 * with their WARL rules, privilege and counter-enable checks
 * (privileged spec §2, §3.1, §4.1; Zicntr; Sstc). */
#include "config.h"

#include "engine/cpu/riscv/cpu.h"

#define MSTATUS_WMASK                                                      \
    (MSTATUS_SIE | MSTATUS_MIE | MSTATUS_SPIE | MSTATUS_MPIE |             \
     MSTATUS_SPP | MSTATUS_MPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | \
     MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR)
#define SSTATUS_MASK                                                       \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
     MSTATUS_MXR | MSTATUS_UXL | MSTATUS_SD)
#define SSTATUS_WMASK                                                      \
    (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | \
     MSTATUS_MXR)
#define MIE_MASK 0xaaaULL
#define S_INTS (MIP_SSIP | MIP_STIP | MIP_SEIP)
/* exceptions that may be delegated to S: not ECALL from M (11), nor the
 * reserved/custom causes */
#define MEDELEG_MASK 0xb3ffULL
#define MENVCFG_STCE (1ULL << 63)

static uint64_t misa_value(void)
{
    const char *ext = "IMAFDCSU";
    uint64_t v = 2ULL << 62;

    for (const char *p = ext; *p; p++) {
        v |= 1ULL << (*p - 'A');
    }
    return v;
}

const char *emu_riscv_isa_string(void)
{
    return "rv64imafdc_zicntr_zicsr_zifencei_sstc";
}

void emu_csr_reset(EmuHart *h)
{
    h->priv = PRV_M;
    h->mstatus = (2ULL << 32) | (2ULL << 34); /* UXL = SXL = 64 */
    h->misa = misa_value();
    h->mie = h->mip_sw = 0;
    h->medeleg = h->mideleg = 0;
    h->mtvec = h->stvec = h->mepc = h->sepc = 0;
    h->mcause = h->scause = h->mtval = h->stval = 0;
    h->mscratch = h->sscratch = h->satp = 0;
    h->menvcfg = h->senvcfg = h->mcounteren = h->scounteren = 0;
    h->mcountinhibit = 0;
    h->stimecmp = ~0ULL;
    h->fflags = h->frm = 0;
    for (unsigned i = 0; i < 16; i++) {
        h->pmpcfg[i] = 0;
        h->pmpaddr[i] = 0;
    }
    h->pmp_active = false;
    h->res_addr = ~0ULL;
}

static uint64_t sd_fixup(uint64_t s)
{
    if ((s & MSTATUS_FS) == MSTATUS_FS || (s & MSTATUS_XS) == MSTATUS_XS) {
        return s | MSTATUS_SD;
    }
    return s & ~MSTATUS_SD;
}

static uint64_t cur_instret(EmuHart *h, const EmuOp *op)
{
    uint64_t done = h->instret;

    if (op && h->cur_tb) {
        done += (uint64_t)(op - h->cur_tb->ops);
    }
    return done;
}

/* Zicntr: cycle/time/instret below M need the mcounteren bit, and in U
 * also the scounteren bit. */
static bool counter_ok(EmuHart *h, unsigned bit)
{
    if (h->priv < PRV_M && !((h->mcounteren >> bit) & 1)) {
        return false;
    }
    if (h->priv < PRV_S && !((h->scounteren >> bit) & 1)) {
        return false;
    }
    return true;
}

static bool pmp_locked(EmuHart *h, unsigned i)
{
    return (h->pmpcfg[i] & 0x80) != 0;
}

static void pmp_changed(EmuHart *h)
{
    emu_pmp_cache_clear(h);
    h->pmp_active = false;
    for (unsigned i = 0; i < 16; i++) {
        if (h->pmpcfg[i] & 0x18) {
            h->pmp_active = true;
        }
    }
    emu_tlb_flush_all(h);
}

/* Reads CSR @csr into *val; returns false when it does not exist or the
 * current mode may not read it. */
static bool csr_read(EmuHart *h, const EmuOp *op, unsigned csr, uint64_t *val)
{
    switch (csr) {
    case 0x001: case 0x002: case 0x003:
        if (!(h->mstatus & MSTATUS_FS)) {
            return false;
        }
        *val = csr == 1 ? h->fflags : csr == 2 ? h->frm
                                               : (h->frm << 5 | h->fflags);
        return true;
    case 0xc00: case 0xc02:
        if (!counter_ok(h, csr & 3)) {
            return false;
        }
        *val = cur_instret(h, op) +
               (csr == 0xc00 ? h->cycle_offset : h->instret_offset);
        return true;
    case 0xc01:
        if (!counter_ok(h, 1)) {
            return false;
        }
        *val = emu_machine_mtime(h->m);
        return true;
    case 0x100: *val = sd_fixup(h->mstatus) & SSTATUS_MASK; return true;
    case 0x104: *val = h->mie & h->mideleg; return true;
    case 0x105: *val = h->stvec; return true;
    case 0x106: *val = h->scounteren; return true;
    case 0x10a: *val = h->senvcfg; return true;
    case 0x140: *val = h->sscratch; return true;
    case 0x141: *val = h->sepc; return true;
    case 0x142: *val = h->scause; return true;
    case 0x143: *val = h->stval; return true;
    case 0x144: emu_update_timer(h); *val = emu_hart_mip(h) & h->mideleg; return true;
    case 0x14d:
        if (h->priv < PRV_M && (!(h->menvcfg & MENVCFG_STCE) ||
                                !(h->mcounteren & 2))) {
            return false;
        }
        *val = h->stimecmp;
        return true;
    case 0x180:
        if (h->priv == PRV_S && (h->mstatus & MSTATUS_TVM)) {
            return false;
        }
        *val = h->satp;
        return true;
    case 0xf11: case 0xf12: case 0xf13: case 0xf15: *val = 0; return true;
    case 0xf14: *val = h->hartid; return true;
    case 0x300: *val = sd_fixup(h->mstatus); return true;
    case 0x301: *val = h->misa; return true;
    case 0x302: *val = h->medeleg; return true;
    case 0x303: *val = h->mideleg; return true;
    case 0x304: *val = h->mie; return true;
    case 0x305: *val = h->mtvec; return true;
    case 0x306: *val = h->mcounteren; return true;
    case 0x30a: *val = h->menvcfg; return true;
    case 0x320: *val = h->mcountinhibit; return true;
    case 0x340: *val = h->mscratch; return true;
    case 0x341: *val = h->mepc; return true;
    case 0x342: *val = h->mcause; return true;
    case 0x343: *val = h->mtval; return true;
    case 0x344: emu_update_timer(h); *val = emu_hart_mip(h); return true;
    case 0x3a0: case 0x3a2: {
        unsigned base = (csr - 0x3a0) * 4;
        uint64_t v = 0;
        for (unsigned i = 0; i < 8; i++) {
            v |= (uint64_t)h->pmpcfg[base + i] << (8 * i);
        }
        *val = v;
        return true;
    }
    case 0xb00: case 0xb02:
        *val = cur_instret(h, op) +
               (csr == 0xb00 ? h->cycle_offset : h->instret_offset);
        return true;
    default:
        break;
    }
    if (csr >= 0x3b0 && csr <= 0x3bf) {
        *val = h->pmpaddr[csr - 0x3b0];
        return true;
    }
    /* hpmcounter3..31 and their M views and event selectors read zero */
    if (csr >= 0xc03 && csr <= 0xc1f) {
        if (!counter_ok(h, csr - 0xc00)) {
            return false;
        }
        *val = 0;
        return true;
    }
    if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) {
        *val = 0;
        return true;
    }
    return false;
}

static void write_mstatus(EmuHart *h, uint64_t v, uint64_t mask)
{
    uint64_t s = h->mstatus;

    if ((v & MSTATUS_MPP) == (2ULL << 11) && (mask & MSTATUS_MPP)) {
        v = (v & ~MSTATUS_MPP) | (s & MSTATUS_MPP); /* 2 is reserved */
    }
    s = (s & ~mask) | (v & mask);
    h->mstatus = s;
    emu_tlb_select(h);
}

/* Writes CSR @csr; returns false when it is read-only or absent. */
static bool csr_write(EmuHart *h, const EmuOp *op, unsigned csr, uint64_t v)
{
    switch (csr) {
    case 0x001: h->fflags = v & 0x1f; break;
    case 0x002: h->frm = v & 7; break;
    case 0x003: h->fflags = v & 0x1f; h->frm = (v >> 5) & 7; break;
    case 0x100: write_mstatus(h, v, SSTATUS_WMASK); h->exit_slot = -1; break;
    case 0x104: h->mie = (h->mie & ~h->mideleg) | (v & h->mideleg & MIE_MASK); break;
    case 0x105: if ((v & 3) < 2) h->stvec = v; break;
    case 0x106: h->scounteren = v & 0xffffffffULL; break;
    case 0x10a: h->senvcfg = v & 1; break;
    case 0x140: h->sscratch = v; break;
    case 0x141: h->sepc = v & ~1ULL; break;
    case 0x142: h->scause = v; break;
    case 0x143: h->stval = v; break;
    case 0x144: /* only SSIP is writable through sip */
        h->mip_sw = (h->mip_sw & ~(MIP_SSIP & h->mideleg)) |
                    (v & MIP_SSIP & h->mideleg);
        break;
    case 0x14d: h->stimecmp = v; emu_update_timer(h); break;
    case 0x180: {
        unsigned mode = v >> 60;
        if (mode != 0 && mode != 8 && mode != 9) {
            break; /* unsupported mode: the whole write is ignored */
        }
        h->satp = v;
        emu_tlb_select(h);
        h->exit_slot = -1;
        break;
    }
    case 0x300: write_mstatus(h, v, MSTATUS_WMASK); h->exit_slot = -1; break;
    case 0x301: break; /* misa is read-only here (WARL) */
    case 0x302: h->medeleg = v & MEDELEG_MASK; break;
    case 0x303: h->mideleg = v & S_INTS; break;
    case 0x304: h->mie = v & MIE_MASK; break;
    case 0x305: if ((v & 3) < 2) h->mtvec = v; break;
    case 0x306: h->mcounteren = v & 0xffffffffULL; break;
    case 0x30a: h->menvcfg = v & (MENVCFG_STCE | 1); emu_update_timer(h); break;
    case 0x320: h->mcountinhibit = v & 0xfffffffdULL; break;
    case 0x340: h->mscratch = v; break;
    case 0x341: h->mepc = v & ~1ULL; break;
    case 0x342: h->mcause = v; break;
    case 0x343: h->mtval = v; break;
    case 0x344: {
        /* SSIP, SEIP always; STIP only while Sstc does not drive it */
        uint64_t mask = MIP_SSIP | MIP_SEIP |
                        ((h->menvcfg & MENVCFG_STCE) ? 0 : MIP_STIP);
        h->mip_sw = (h->mip_sw & ~mask) | (v & mask);
        break;
    }
    case 0x3a0: case 0x3a2: {
        unsigned base = (csr - 0x3a0) * 4;
        for (unsigned i = 0; i < 8; i++) {
            uint8_t c = v >> (8 * i);
            if (pmp_locked(h, base + i)) {
                continue;
            }
            if ((c & 3) == 2) {
                c &= ~2; /* W without R is reserved */
            }
            h->pmpcfg[base + i] = c & 0x9f;
        }
        pmp_changed(h);
        h->exit_slot = -1;
        break;
    }
    case 0xb00: h->cycle_offset = v - cur_instret(h, op); break;
    case 0xb02: h->instret_offset = v - cur_instret(h, op); break;
    default:
        if (csr >= 0x3b0 && csr <= 0x3bf) {
            unsigned i = csr - 0x3b0;
            if (pmp_locked(h, i) ||
                (i < 15 && pmp_locked(h, i + 1) &&
                 ((h->pmpcfg[i + 1] & 0x18) >> 3) == 1)) {
                break;
            }
            h->pmpaddr[i] = v & ((1ULL << 54) - 1);
            pmp_changed(h);
            h->exit_slot = -1;
            break;
        }
        if ((csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f)) {
            break; /* hpm counters/events are read-only zero (WARL) */
        }
        return false;
    }
    if (csr <= 3) {
        h->mstatus |= MSTATUS_FS;
    }
    return true;
}

bool emu_csr_rw(EmuHart *h, const EmuOp *op, unsigned csr, unsigned mode,
                uint64_t src, bool do_write, uint64_t *old)
{
    uint64_t val = 0, nv;
    unsigned min_priv = (csr >> 8) & 3;

    if (h->priv < min_priv || (do_write && (csr >> 10) == 3) ||
        !csr_read(h, op, csr, &val)) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
    *old = val;
    if (!do_write) {
        return true;
    }
    /* §3.1.9: a read-modify-write of mip uses the software-writable SEIP
     * bit, not the level the PLIC drives — else a CSRS/CSRC of SSIP would
     * latch an external interrupt for ever */
    if (csr == 0x344 && mode != 0) {
        val = (val & ~MIP_SEIP) | (h->mip_sw & MIP_SEIP);
    }
    nv = mode == 0 ? src : mode == 1 ? (val | src) : (val & ~src);
    if (!csr_write(h, op, csr, nv)) {
        emu_raise(h, op, EXC_ILLEGAL, op->raw);
    }
    return true;
}
