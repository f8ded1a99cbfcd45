/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode.c: RV64GC instruction decoding into ops — RVC expansion to the
 * equivalent 32-bit encoding (ISA spec ch. 16, "C" extension), then one
 * decoder for RV64IMAFD + Zicsr + Zifencei + privileged instructions. */
#include "config.h"

#include "engine/cpu/riscv/ops.h"

/* ---- encoders used by the RVC expansion ---------------------------- */

static uint32_t enc_r(uint32_t opc, uint32_t rd, uint32_t f3, uint32_t rs1,
                      uint32_t rs2, uint32_t f7)
{
    return opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}

static uint32_t enc_i(uint32_t opc, uint32_t rd, uint32_t f3, uint32_t rs1,
                      int32_t imm)
{
    return opc | rd << 7 | f3 << 12 | rs1 << 15 | (uint32_t)imm << 20;
}

static uint32_t enc_s(uint32_t opc, uint32_t f3, uint32_t rs1, uint32_t rs2,
                      int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return opc | (u & 0x1f) << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 |
           ((u >> 5) & 0x7f) << 25;
}

static uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x63 | ((u >> 11) & 1) << 7 | ((u >> 1) & 0xf) << 8 | f3 << 12 |
           rs1 << 15 | rs2 << 20 | ((u >> 5) & 0x3f) << 25 |
           ((u >> 12) & 1) << 31;
}

static uint32_t enc_u(uint32_t opc, uint32_t rd, int32_t imm)
{
    return opc | rd << 7 | ((uint32_t)imm & 0xfffff000);
}

static uint32_t enc_j(uint32_t rd, int32_t imm)
{
    uint32_t u = (uint32_t)imm;
    return 0x6f | rd << 7 | ((u >> 12) & 0xff) << 12 | ((u >> 11) & 1) << 20 |
           ((u >> 1) & 0x3ff) << 21 | ((u >> 20) & 1) << 31;
}

#define BIT(x, n) (((x) >> (n)) & 1u)
#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

static int32_t sext(uint32_t v, unsigned bits)
{
    return (int32_t)(v << (32 - bits)) >> (32 - bits);
}

/* Returns the 32-bit equivalent of a compressed instruction, or 0 when the
 * encoding is reserved/illegal on RV64. */
uint32_t emu_rvc_expand(uint16_t c)
{
    uint32_t f3 = BITS(c, 15, 13);
    uint32_t rd = BITS(c, 11, 7), rs2 = BITS(c, 6, 2);
    uint32_t rdp = BITS(c, 4, 2) + 8, rs1p = BITS(c, 9, 7) + 8;
    int32_t imm;
    uint32_t u;

    switch (c & 3) {
    case 0:
        switch (f3) {
        case 0: /* C.ADDI4SPN */
            u = BITS(c, 12, 11) << 4 | BITS(c, 10, 7) << 6 | BIT(c, 6) << 2 |
                BIT(c, 5) << 3;
            return u ? enc_i(0x13, rdp, 0, 2, u) : 0;
        case 1: /* C.FLD */
            u = BITS(c, 12, 10) << 3 | BITS(c, 6, 5) << 6;
            return enc_i(0x07, rdp, 3, rs1p, u);
        case 2: /* C.LW */
            u = BITS(c, 12, 10) << 3 | BIT(c, 6) << 2 | BIT(c, 5) << 6;
            return enc_i(0x03, rdp, 2, rs1p, u);
        case 3: /* C.LD */
            u = BITS(c, 12, 10) << 3 | BITS(c, 6, 5) << 6;
            return enc_i(0x03, rdp, 3, rs1p, u);
        case 5: /* C.FSD */
            u = BITS(c, 12, 10) << 3 | BITS(c, 6, 5) << 6;
            return enc_s(0x27, 3, rs1p, rdp, u);
        case 6: /* C.SW */
            u = BITS(c, 12, 10) << 3 | BIT(c, 6) << 2 | BIT(c, 5) << 6;
            return enc_s(0x23, 2, rs1p, rdp, u);
        case 7: /* C.SD */
            u = BITS(c, 12, 10) << 3 | BITS(c, 6, 5) << 6;
            return enc_s(0x23, 3, rs1p, rdp, u);
        default:
            return 0;
        }
    case 1:
        imm = sext(BIT(c, 12) << 5 | BITS(c, 6, 2), 6);
        switch (f3) {
        case 0: /* C.ADDI, C.NOP */
            return enc_i(0x13, rd, 0, rd, imm);
        case 1: /* C.ADDIW */
            return rd ? enc_i(0x1b, rd, 0, rd, imm) : 0;
        case 2: /* C.LI */
            return enc_i(0x13, rd, 0, 0, imm);
        case 3:
            if (rd == 2) { /* C.ADDI16SP */
                u = BIT(c, 12) << 9 | BIT(c, 6) << 4 | BIT(c, 5) << 6 |
                    BITS(c, 4, 3) << 7 | BIT(c, 2) << 5;
                return u ? enc_i(0x13, 2, 0, 2, sext(u, 10)) : 0;
            }
            /* C.LUI */
            if (imm == 0) {
                return 0;
            }
            return enc_u(0x37, rd, (int32_t)((uint32_t)imm << 12));
        case 4:
            switch (BITS(c, 11, 10)) {
            case 0: /* C.SRLI */
                u = BIT(c, 12) << 5 | BITS(c, 6, 2);
                return enc_i(0x13, rs1p, 5, rs1p, u);
            case 1: /* C.SRAI */
                u = BIT(c, 12) << 5 | BITS(c, 6, 2);
                return enc_i(0x13, rs1p, 5, rs1p, u | 0x400);
            case 2: /* C.ANDI */
                return enc_i(0x13, rs1p, 7, rs1p, imm);
            default:
                if (!BIT(c, 12)) {
                    static const uint32_t f3s[4] = {0, 4, 6, 7};
                    uint32_t sel = BITS(c, 6, 5);
                    return enc_r(0x33, rs1p, f3s[sel], rs1p, rdp,
                                 sel == 0 ? 0x20 : 0);
                }
                switch (BITS(c, 6, 5)) {
                case 0: /* C.SUBW */
                    return enc_r(0x3b, rs1p, 0, rs1p, rdp, 0x20);
                case 1: /* C.ADDW */
                    return enc_r(0x3b, rs1p, 0, rs1p, rdp, 0);
                default:
                    return 0;
                }
            }
        case 5: /* C.J */
            u = BIT(c, 12) << 11 | BIT(c, 11) << 4 | BITS(c, 10, 9) << 8 |
                BIT(c, 8) << 10 | BIT(c, 7) << 6 | BIT(c, 6) << 7 |
                BITS(c, 5, 3) << 1 | BIT(c, 2) << 5;
            return enc_j(0, sext(u, 12));
        default: /* C.BEQZ, C.BNEZ */
            u = BIT(c, 12) << 8 | BITS(c, 11, 10) << 3 | BITS(c, 6, 5) << 6 |
                BITS(c, 4, 3) << 1 | BIT(c, 2) << 5;
            return enc_b(f3 == 6 ? 0 : 1, rs1p, 0, sext(u, 9));
        }
    case 2:
        switch (f3) {
        case 0: /* C.SLLI */
            u = BIT(c, 12) << 5 | BITS(c, 6, 2);
            return enc_i(0x13, rd, 1, rd, u);
        case 1: /* C.FLDSP */
            u = BIT(c, 12) << 5 | BITS(c, 6, 5) << 3 | BITS(c, 4, 2) << 6;
            return enc_i(0x07, rd, 3, 2, u);
        case 2: /* C.LWSP */
            u = BIT(c, 12) << 5 | BITS(c, 6, 4) << 2 | BITS(c, 3, 2) << 6;
            return rd ? enc_i(0x03, rd, 2, 2, u) : 0;
        case 3: /* C.LDSP */
            u = BIT(c, 12) << 5 | BITS(c, 6, 5) << 3 | BITS(c, 4, 2) << 6;
            return rd ? enc_i(0x03, rd, 3, 2, u) : 0;
        case 4:
            if (!BIT(c, 12)) {
                if (rs2 == 0) { /* C.JR */
                    return rd ? enc_i(0x67, 0, 0, rd, 0) : 0;
                }
                return enc_r(0x33, rd, 0, 0, rs2, 0); /* C.MV */
            }
            if (rs2 == 0) {
                if (rd == 0) {
                    return 0x00100073; /* C.EBREAK */
                }
                return enc_i(0x67, 1, 0, rd, 0); /* C.JALR */
            }
            return enc_r(0x33, rd, 0, rd, rs2, 0); /* C.ADD */
        case 5: /* C.FSDSP */
            u = BITS(c, 12, 10) << 3 | BITS(c, 9, 7) << 6;
            return enc_s(0x27, 3, 2, rs2, u);
        case 6: /* C.SWSP */
            u = BITS(c, 12, 9) << 2 | BITS(c, 8, 7) << 6;
            return enc_s(0x23, 2, 2, rs2, u);
        default: /* C.SDSP */
            u = BITS(c, 12, 10) << 3 | BITS(c, 9, 7) << 6;
            return enc_s(0x23, 3, 2, rs2, u);
        }
    default:
        return 0;
    }
}

/* ---- the 32-bit decoder -------------------------------------------- */

static inline uint8_t xrd(uint32_t rd)
{
    return rd ? rd : 32; /* writes to x0 land in the sink register */
}

static bool rm_ok(uint32_t rm)
{
    return rm != 5 && rm != 6;
}

#define SET(name) (op->fn = emu_op_##name)

static bool decode_op_fp(EmuOp *op, uint32_t insn)
{
    uint32_t f7 = insn >> 25, f3 = BITS(insn, 14, 12), rs2 = BITS(insn, 24, 20);
    bool rm_valid = rm_ok(f3);

    switch (f7) {
    case 0x00: if (!rm_valid) return false; SET(fadd_s); return true;
    case 0x01: if (!rm_valid) return false; SET(fadd_d); return true;
    case 0x04: if (!rm_valid) return false; SET(fsub_s); return true;
    case 0x05: if (!rm_valid) return false; SET(fsub_d); return true;
    case 0x08: if (!rm_valid) return false; SET(fmul_s); return true;
    case 0x09: if (!rm_valid) return false; SET(fmul_d); return true;
    case 0x0c: if (!rm_valid) return false; SET(fdiv_s); return true;
    case 0x0d: if (!rm_valid) return false; SET(fdiv_d); return true;
    case 0x2c: if (!rm_valid || rs2) return false; SET(fsqrt_s); return true;
    case 0x2d: if (!rm_valid || rs2) return false; SET(fsqrt_d); return true;
    case 0x10:
        if (f3 == 0) SET(fsgnj_s); else if (f3 == 1) SET(fsgnjn_s);
        else if (f3 == 2) SET(fsgnjx_s); else return false;
        return true;
    case 0x11:
        if (f3 == 0) SET(fsgnj_d); else if (f3 == 1) SET(fsgnjn_d);
        else if (f3 == 2) SET(fsgnjx_d); else return false;
        return true;
    case 0x14:
        if (f3 == 0) SET(fmin_s); else if (f3 == 1) SET(fmax_s); else return false;
        return true;
    case 0x15:
        if (f3 == 0) SET(fmin_d); else if (f3 == 1) SET(fmax_d); else return false;
        return true;
    case 0x20:
        if (rs2 != 1 || !rm_valid) return false;
        SET(fcvt_s_d);
        return true;
    case 0x21:
        if (rs2 != 0 || !rm_valid) return false;
        SET(fcvt_d_s);
        return true;
    case 0x50: case 0x51:
        op->rd = xrd(op->rd);
        if (f3 == 2) { if (f7 & 1) SET(feq_d); else SET(feq_s); }
        else if (f3 == 1) { if (f7 & 1) SET(flt_d); else SET(flt_s); }
        else if (f3 == 0) { if (f7 & 1) SET(fle_d); else SET(fle_s); }
        else return false;
        return true;
    case 0x60: case 0x61:
        if (!rm_valid || rs2 > 3) return false;
        op->rd = xrd(op->rd);
        if (f7 & 1) {
            const EmuOpFn t[4] = {emu_op_fcvt_w_d, emu_op_fcvt_wu_d,
                                  emu_op_fcvt_l_d, emu_op_fcvt_lu_d};
            op->fn = t[rs2];
        } else {
            const EmuOpFn t[4] = {emu_op_fcvt_w_s, emu_op_fcvt_wu_s,
                                  emu_op_fcvt_l_s, emu_op_fcvt_lu_s};
            op->fn = t[rs2];
        }
        return true;
    case 0x68: case 0x69:
        if (!rm_valid || rs2 > 3) return false;
        if (f7 & 1) {
            const EmuOpFn t[4] = {emu_op_fcvt_d_w, emu_op_fcvt_d_wu,
                                  emu_op_fcvt_d_l, emu_op_fcvt_d_lu};
            op->fn = t[rs2];
        } else {
            const EmuOpFn t[4] = {emu_op_fcvt_s_w, emu_op_fcvt_s_wu,
                                  emu_op_fcvt_s_l, emu_op_fcvt_s_lu};
            op->fn = t[rs2];
        }
        return true;
    case 0x70: case 0x71:
        if (rs2 != 0) return false;
        op->rd = xrd(op->rd);
        if (f3 == 0) { if (f7 & 1) SET(fmv_x_d); else SET(fmv_x_w); }
        else if (f3 == 1) { if (f7 & 1) SET(fclass_d); else SET(fclass_s); }
        else return false;
        return true;
    case 0x78:
        if (rs2 || f3) return false;
        SET(fmv_w_x);
        return true;
    case 0x79:
        if (rs2 || f3) return false;
        SET(fmv_d_x);
        return true;
    default:
        return false;
    }
}

static bool decode_amo(EmuOp *op, uint32_t insn)
{
    uint32_t f3 = BITS(insn, 14, 12), f5 = insn >> 27;
    bool d = f3 == 3;

    if (f3 != 2 && f3 != 3) {
        return false;
    }
    op->rd = xrd(op->rd);
    switch (f5) {
    case 0x02:
        if (op->rs2) return false;
        if (d) SET(lr_d); else SET(lr_w);
        return true;
    case 0x03: if (d) SET(sc_d); else SET(sc_w); return true;
    case 0x01: if (d) SET(amoswap_d); else SET(amoswap_w); return true;
    case 0x00: if (d) SET(amoadd_d); else SET(amoadd_w); return true;
    case 0x04: if (d) SET(amoxor_d); else SET(amoxor_w); return true;
    case 0x0c: if (d) SET(amoand_d); else SET(amoand_w); return true;
    case 0x08: if (d) SET(amoor_d); else SET(amoor_w); return true;
    case 0x10: if (d) SET(amomin_d); else SET(amomin_w); return true;
    case 0x14: if (d) SET(amomax_d); else SET(amomax_w); return true;
    case 0x18: if (d) SET(amominu_d); else SET(amominu_w); return true;
    case 0x1c: if (d) SET(amomaxu_d); else SET(amomaxu_w); return true;
    default: return false;
    }
}

/* Fills @op for @insn (a 32-bit encoding, or an RVC one expanded).
 * Returns false for an illegal encoding; *end tells whether the op ends
 * the block (control transfer, system instruction, CSR access). */
static bool decode32(EmuOp *op, uint32_t insn, bool *end)
{
    uint32_t opc = insn & 0x7f, f3 = BITS(insn, 14, 12), f7 = insn >> 25;
    int32_t imm_i = (int32_t)insn >> 20;

    op->rd = BITS(insn, 11, 7);
    op->rs1 = BITS(insn, 19, 15);
    op->rs2 = BITS(insn, 24, 20);
    op->rs3 = insn >> 27;
    op->rm = f3;
    *end = false;

    switch (opc) {
    case 0x37: /* LUI */
        op->rd = xrd(op->rd);
        op->imm = (int32_t)(insn & 0xfffff000);
        SET(lui);
        return true;
    case 0x17: /* AUIPC */
        op->rd = xrd(op->rd);
        op->imm = (int32_t)(insn & 0xfffff000);
        SET(auipc);
        return true;
    case 0x6f: /* JAL */
        op->rd = xrd(op->rd);
        op->imm = sext(BIT(insn, 31) << 20 | BITS(insn, 19, 12) << 12 |
                       BIT(insn, 20) << 11 | BITS(insn, 30, 21) << 1, 21);
        SET(jal);
        *end = true;
        return true;
    case 0x67: /* JALR */
        if (f3) return false;
        op->rd = xrd(op->rd);
        op->imm = imm_i;
        SET(jalr);
        *end = true;
        return true;
    case 0x63: { /* branches */
        static const EmuOpFn t[8] = {emu_op_beq, emu_op_bne, NULL, NULL,
                                     emu_op_blt, emu_op_bge, emu_op_bltu,
                                     emu_op_bgeu};
        if (!t[f3]) return false;
        op->fn = t[f3];
        op->imm = sext(BIT(insn, 31) << 12 | BIT(insn, 7) << 11 |
                       BITS(insn, 30, 25) << 5 | BITS(insn, 11, 8) << 1, 13);
        *end = true;
        return true;
    }
    case 0x03: { /* loads */
        static const EmuOpFn t[8] = {emu_op_lb, emu_op_lh, emu_op_lw,
                                     emu_op_ld, emu_op_lbu, emu_op_lhu,
                                     emu_op_lwu, NULL};
        if (!t[f3]) return false;
        op->fn = t[f3];
        op->rd = xrd(op->rd);
        op->imm = imm_i;
        return true;
    }
    case 0x23: { /* stores */
        static const EmuOpFn t[8] = {emu_op_sb, emu_op_sh, emu_op_sw,
                                     emu_op_sd};
        if (f3 > 3) return false;
        op->fn = t[f3];
        op->imm = sext(f7 << 5 | BITS(insn, 11, 7), 12);
        return true;
    }
    case 0x13: /* OP-IMM */
        op->rd = xrd(op->rd);
        op->imm = imm_i;
        switch (f3) {
        case 0:
            if (op->rs1 == 0) SET(li);
            else if (imm_i == 0) SET(mv);
            else SET(addi);
            return true;
        case 2: SET(slti); return true;
        case 3: SET(sltiu); return true;
        case 4: SET(xori); return true;
        case 6: SET(ori); return true;
        case 7: SET(andi); return true;
        case 1:
            if (insn >> 26) return false;
            op->imm &= 63;
            SET(slli);
            return true;
        default:
            if ((insn >> 26) == 0) SET(srli);
            else if ((insn >> 26) == 0x10) SET(srai);
            else return false;
            op->imm &= 63;
            return true;
        }
    case 0x1b: /* OP-IMM-32 */
        op->rd = xrd(op->rd);
        op->imm = imm_i;
        switch (f3) {
        case 0: SET(addiw); return true;
        case 1: if (f7) return false; op->imm &= 31; SET(slliw); return true;
        case 5:
            if (f7 == 0) SET(srliw);
            else if (f7 == 0x20) SET(sraiw);
            else return false;
            op->imm &= 31;
            return true;
        default: return false;
        }
    case 0x33: /* OP */
        op->rd = xrd(op->rd);
        if (f7 == 0) {
            static const EmuOpFn t[8] = {emu_op_add, emu_op_sll, emu_op_slt,
                                         emu_op_sltu, emu_op_xor, emu_op_srl,
                                         emu_op_or, emu_op_and};
            op->fn = t[f3];
        } else if (f7 == 0x20) {
            if (f3 == 0) SET(sub); else if (f3 == 5) SET(sra); else return false;
        } else if (f7 == 1) {
            static const EmuOpFn t[8] = {emu_op_mul, emu_op_mulh,
                                         emu_op_mulhsu, emu_op_mulhu,
                                         emu_op_div, emu_op_divu,
                                         emu_op_rem, emu_op_remu};
            op->fn = t[f3];
        } else {
            return false;
        }
        return true;
    case 0x3b: /* OP-32 */
        op->rd = xrd(op->rd);
        if (f7 == 0) {
            if (f3 == 0) SET(addw); else if (f3 == 1) SET(sllw);
            else if (f3 == 5) SET(srlw); else return false;
        } else if (f7 == 0x20) {
            if (f3 == 0) SET(subw); else if (f3 == 5) SET(sraw); else return false;
        } else if (f7 == 1) {
            if (f3 == 0) SET(mulw); else if (f3 == 4) SET(divw);
            else if (f3 == 5) SET(divuw); else if (f3 == 6) SET(remw);
            else if (f3 == 7) SET(remuw); else return false;
        } else {
            return false;
        }
        return true;
    case 0x0f: /* MISC-MEM */
        if (f3 == 0) { SET(fence); return true; }
        if (f3 == 1) { SET(fence_i); *end = true; return true; }
        return false;
    case 0x73: /* SYSTEM */
        if (f3 == 0) {
            *end = true;
            if (insn == 0x00000073) SET(ecall);
            else if (insn == 0x00100073) SET(ebreak);
            else if (insn == 0x30200073) SET(mret);
            else if (insn == 0x10200073) SET(sret);
            else if (insn == 0x10500073) SET(wfi);
            else if (f7 == 0x09 && op->rd == 0) SET(sfence_vma);
            else return false;
            return true;
        }
        if (f3 == 4) return false;
        op->rd = xrd(op->rd);
        op->imm = insn >> 20; /* the CSR number */
        {
            static const EmuOpFn t[8] = {NULL, emu_op_csrrw, emu_op_csrrs,
                                         emu_op_csrrc, NULL, emu_op_csrrwi,
                                         emu_op_csrrsi, emu_op_csrrci};
            op->fn = t[f3];
        }
        *end = true;
        return true;
    case 0x2f:
        return decode_amo(op, insn);
    case 0x07: /* LOAD-FP */
        op->imm = imm_i;
        if (f3 == 2) SET(flw); else if (f3 == 3) SET(fld); else return false;
        return true;
    case 0x27: /* STORE-FP */
        op->imm = sext(f7 << 5 | BITS(insn, 11, 7), 12);
        if (f3 == 2) SET(fsw); else if (f3 == 3) SET(fsd); else return false;
        return true;
    case 0x43: case 0x47: case 0x4b: case 0x4f: { /* FMA */
        uint32_t fmt = BITS(insn, 26, 25);
        unsigned k = (opc - 0x43) >> 2;
        static const EmuOpFn ts[4] = {emu_op_fmadd_s, emu_op_fmsub_s,
                                      emu_op_fnmsub_s, emu_op_fnmadd_s};
        static const EmuOpFn td[4] = {emu_op_fmadd_d, emu_op_fmsub_d,
                                      emu_op_fnmsub_d, emu_op_fnmadd_d};
        if (!rm_ok(f3) || fmt > 1) return false;
        op->fn = fmt ? td[k] : ts[k];
        return true;
    }
    case 0x53:
        return decode_op_fp(op, insn);
    default:
        return false;
    }
}

bool emu_decode(EmuOp *op, uint32_t insn, unsigned len)
{
    uint32_t raw = insn;
    bool end = false;

    op->len = len;
    op->imm = 0;
    op->raw = raw;
    if (len == 2) {
        insn = emu_rvc_expand((uint16_t)raw);
    }
    if (insn == 0 || !decode32(op, insn, &end)) {
        op->fn = emu_op_illegal;
        op->insn = raw;
        return true;
    }
    op->insn = insn;
    return end;
}
