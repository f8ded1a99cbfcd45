/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test-decode.c: decoder unit tests — every RVC form expands to the same
 * encoding binutils gives for its 32-bit twin, every RV64GC instruction
 * form maps to its handler, and illegal/reserved encodings trap.
 * The encodings below were produced by riscv64-linux-gnu-as (binutils
 * 2.40) from the assembly shown in the comments. */
#include "config.h"

#include <glib.h>

#include "engine/cpu/riscv/ops.h"

typedef struct {
    uint16_t c;
    uint32_t full;
    const char *src;
} RvcCase;

static const RvcCase rvc_cases[] = {
    {0x0040, 0x00410413, "c.addi4spn s0, sp, 4"},
    {0x1ffc, 0x3fc10793, "c.addi4spn a5, sp, 1020"},
    {0x2188, 0x0005b507, "c.fld fa0, 0(a1)"},
    {0x3fe4, 0x0f87b487, "c.fld fs1, 248(a5)"},
    {0x4188, 0x0005a503, "c.lw a0, 0(a1)"},
    {0x5fe4, 0x07c7a483, "c.lw s1, 124(a5)"},
    {0x6408, 0x00843503, "c.ld a0, 8(s0)"},
    {0x7f7c, 0x0f873783, "c.ld a5, 248(a4)"},
    {0xaa90, 0x00c6b827, "c.fsd fa2, 16(a3)"},
    {0xc1c8, 0x00a5a223, "c.sw a0, 4(a1)"},
    {0xdc7c, 0x06f42e23, "c.sw a5, 124(s0)"},
    {0xe588, 0x00a5b423, "c.sd a0, 8(a1)"},
    {0xffe4, 0x0e97bc23, "c.sd s1, 248(a5)"},
    {0x0001, 0x00000013, "c.nop"},
    {0x0505, 0x00150513, "c.addi a0, 1"},
    {0x1f81, 0xfe0f8f93, "c.addi t6, -32"},
    {0x017d, 0x01f10113, "c.addi sp, 31"},
    {0x357d, 0xfff5051b, "c.addiw a0, -1"},
    {0x2dfd, 0x01fd8d9b, "c.addiw s11, 31"},
    {0x5501, 0xfe000513, "c.li a0, -32"},
    {0x40fd, 0x01f00093, "c.li ra, 31"},
    {0x7101, 0xe0010113, "c.addi16sp sp, -512"},
    {0x617d, 0x1f010113, "c.addi16sp sp, 496"},
    {0x6141, 0x01010113, "c.addi16sp sp, 16"},
    {0x6505, 0x00001537, "c.lui a0, 1"},
    {0x72fd, 0xfffff2b7, "c.lui t0, 0xfffff"},
    {0x697d, 0x0001f937, "c.lui s2, 31"},
    {0x8105, 0x00155513, "c.srli a0, 1"},
    {0x90fd, 0x03f4d493, "c.srli s1, 63"},
    {0x9581, 0x4205d593, "c.srai a1, 32"},
    {0x8405, 0x40145413, "c.srai s0, 1"},
    {0x997d, 0xfff57513, "c.andi a0, -1"},
    {0x88fd, 0x01f4f493, "c.andi s1, 31"},
    {0x8d0d, 0x40b50533, "c.sub a0, a1"},
    {0x8c25, 0x00944433, "c.xor s0, s1"},
    {0x8f5d, 0x00f76733, "c.or a4, a5"},
    {0x8e75, 0x00d67633, "c.and a2, a3"},
    {0x9d0d, 0x40b5053b, "c.subw a0, a1"},
    {0x9fa1, 0x008787bb, "c.addw a5, s0"},
    {0xa009, 0x0020006f, "c.j .+2"},
    {0xb001, 0x801ff06f, "c.j .-2048"},
    {0xaffd, 0x7fe0006f, "c.j .+2046"},
    {0xc109, 0x00050163, "c.beqz a0, .+2"},
    {0xd081, 0xf00480e3, "c.beqz s1, .-256"},
    {0xeffd, 0x0e079f63, "c.bnez a5, .+254"},
    {0x0506, 0x00151513, "c.slli a0, 1"},
    {0x1ffe, 0x03ff9f93, "c.slli t6, 63"},
    {0x2502, 0x00013507, "c.fldsp fa0, 0(sp)"},
    {0x3ffe, 0x1f813f87, "c.fldsp ft11, 504(sp)"},
    {0x4502, 0x00012503, "c.lwsp a0, 0(sp)"},
    {0x50fe, 0x0fc12083, "c.lwsp ra, 252(sp)"},
    {0x6522, 0x00813503, "c.ldsp a0, 8(sp)"},
    {0x7ffe, 0x1f813f83, "c.ldsp t6, 504(sp)"},
    {0x8082, 0x00008067, "c.jr ra"},
    {0x8f82, 0x000f8067, "c.jr t6"},
    {0x852e, 0x00b00533, "c.mv a0, a1"},
    {0x8f86, 0x00100fb3, "c.mv t6, ra"},
    {0x9002, 0x00100073, "c.ebreak"},
    {0x9502, 0x000500e7, "c.jalr a0"},
    {0x9f82, 0x000f80e7, "c.jalr t6"},
    {0x952e, 0x00b50533, "c.add a0, a1"},
    {0x9ffa, 0x01ef8fb3, "c.add t6, t5"},
    {0xa02a, 0x00a13027, "c.fsdsp fa0, 0(sp)"},
    {0xbffe, 0x1ff13c27, "c.fsdsp ft11, 504(sp)"},
    {0xc02a, 0x00a12023, "c.swsp a0, 0(sp)"},
    {0xdffe, 0x0ff12e23, "c.swsp t6, 252(sp)"},
    {0xe42a, 0x00a13423, "c.sdsp a0, 8(sp)"},
    {0xff86, 0x1e113c23, "c.sdsp ra, 504(sp)"},
};

typedef struct {
    uint32_t insn;
    EmuOpFn fn;
    const char *src;
} DecCase;

static const DecCase dec_cases[] = {
    {0x12345537, emu_op_lui, "lui a0, 0x12345"},
    {0xfffff297, emu_op_auipc, "auipc t0, 0xfffff"},
    {0x010000ef, emu_op_jal, "jal ra, .+16"},
    {0x00458567, emu_op_jalr, "jalr a0, 4(a1)"},
    {0x00b50463, emu_op_beq, "beq a0, a1, .+8"},
    {0xfeb51ce3, emu_op_bne, "bne a0, a1, .-8"},
    {0x7eb54fe3, emu_op_blt, "blt a0, a1, .+4094"},
    {0x80b55063, emu_op_bge, "bge a0, a1, .-4096"},
    {0x00b56463, emu_op_bltu, "bltu a0, a1, .+8"},
    {0x00b57463, emu_op_bgeu, "bgeu a0, a1, .+8"},
    {0xfff58503, emu_op_lb, "lb a0, -1(a1)"},
    {0x00259503, emu_op_lh, "lh a0, 2(a1)"},
    {0x7ff5a503, emu_op_lw, "lw a0, 2047(a1)"},
    {0x8005b503, emu_op_ld, "ld a0, -2048(a1)"},
    {0x0005c503, emu_op_lbu, "lbu a0, 0(a1)"},
    {0x0005d503, emu_op_lhu, "lhu a0, 0(a1)"},
    {0x0005e503, emu_op_lwu, "lwu a0, 0(a1)"},
    {0xfea58fa3, emu_op_sb, "sb a0, -1(a1)"},
    {0x00a59023, emu_op_sh, "sh a0, 0(a1)"},
    {0x00a5a023, emu_op_sw, "sw a0, 0(a1)"},
    {0x00a5b023, emu_op_sd, "sd a0, 0(a1)"},
    {0x00558513, emu_op_addi, "addi a0, a1, 5"},
    {0x00500513, emu_op_li, "addi a0, zero, 5"},
    {0x00058513, emu_op_mv, "addi a0, a1, 0"},
    {0xfff5a513, emu_op_slti, "slti a0, a1, -1"},
    {0x0015b513, emu_op_sltiu, "sltiu a0, a1, 1"},
    {0xfff5c513, emu_op_xori, "xori a0, a1, -1"},
    {0x0015e513, emu_op_ori, "ori a0, a1, 1"},
    {0x0015f513, emu_op_andi, "andi a0, a1, 1"},
    {0x03f59513, emu_op_slli, "slli a0, a1, 63"},
    {0x03f5d513, emu_op_srli, "srli a0, a1, 63"},
    {0x43f5d513, emu_op_srai, "srai a0, a1, 63"},
    {0xfff5851b, emu_op_addiw, "addiw a0, a1, -1"},
    {0x01f5951b, emu_op_slliw, "slliw a0, a1, 31"},
    {0x01f5d51b, emu_op_srliw, "srliw a0, a1, 31"},
    {0x41f5d51b, emu_op_sraiw, "sraiw a0, a1, 31"},
    {0x00c58533, emu_op_add, "add a0, a1, a2"},
    {0x40c58533, emu_op_sub, "sub a0, a1, a2"},
    {0x00c59533, emu_op_sll, "sll a0, a1, a2"},
    {0x00c5a533, emu_op_slt, "slt a0, a1, a2"},
    {0x00c5b533, emu_op_sltu, "sltu a0, a1, a2"},
    {0x00c5c533, emu_op_xor, "xor a0, a1, a2"},
    {0x00c5d533, emu_op_srl, "srl a0, a1, a2"},
    {0x40c5d533, emu_op_sra, "sra a0, a1, a2"},
    {0x00c5e533, emu_op_or, "or a0, a1, a2"},
    {0x00c5f533, emu_op_and, "and a0, a1, a2"},
    {0x00c5853b, emu_op_addw, "addw a0, a1, a2"},
    {0x40c5853b, emu_op_subw, "subw a0, a1, a2"},
    {0x00c5953b, emu_op_sllw, "sllw a0, a1, a2"},
    {0x00c5d53b, emu_op_srlw, "srlw a0, a1, a2"},
    {0x40c5d53b, emu_op_sraw, "sraw a0, a1, a2"},
    {0x02c58533, emu_op_mul, "mul a0, a1, a2"},
    {0x02c59533, emu_op_mulh, "mulh a0, a1, a2"},
    {0x02c5a533, emu_op_mulhsu, "mulhsu a0, a1, a2"},
    {0x02c5b533, emu_op_mulhu, "mulhu a0, a1, a2"},
    {0x02c5c533, emu_op_div, "div a0, a1, a2"},
    {0x02c5d533, emu_op_divu, "divu a0, a1, a2"},
    {0x02c5e533, emu_op_rem, "rem a0, a1, a2"},
    {0x02c5f533, emu_op_remu, "remu a0, a1, a2"},
    {0x02c5853b, emu_op_mulw, "mulw a0, a1, a2"},
    {0x02c5c53b, emu_op_divw, "divw a0, a1, a2"},
    {0x02c5d53b, emu_op_divuw, "divuw a0, a1, a2"},
    {0x02c5e53b, emu_op_remw, "remw a0, a1, a2"},
    {0x02c5f53b, emu_op_remuw, "remuw a0, a1, a2"},
    {0x0330000f, emu_op_fence, "fence rw, rw"},
    {0x0000100f, emu_op_fence_i, "fence.i"},
    {0x00000073, emu_op_ecall, "ecall"},
    {0x00100073, emu_op_ebreak, "ebreak"},
    {0x30200073, emu_op_mret, "mret"},
    {0x10200073, emu_op_sret, "sret"},
    {0x10500073, emu_op_wfi, "wfi"},
    {0x12b50073, emu_op_sfence_vma, "sfence.vma a0, a1"},
    {0x30059573, emu_op_csrrw, "csrrw a0, mstatus, a1"},
    {0x1005a573, emu_op_csrrs, "csrrs a0, sstatus, a1"},
    {0x3045b573, emu_op_csrrc, "csrrc a0, mie, a1"},
    {0x3402d573, emu_op_csrrwi, "csrrwi a0, mscratch, 5"},
    {0x3402e573, emu_op_csrrsi, "csrrsi a0, mscratch, 5"},
    {0x3402f573, emu_op_csrrci, "csrrci a0, mscratch, 5"},
    {0x1005a52f, emu_op_lr_w, "lr.w a0, (a1)"},
    {0x1605b52f, emu_op_lr_d, "lr.d.aqrl a0, (a1)"},
    {0x18c5a52f, emu_op_sc_w, "sc.w a0, a2, (a1)"},
    {0x18c5b52f, emu_op_sc_d, "sc.d a0, a2, (a1)"},
    {0x08c5a52f, emu_op_amoswap_w, "amoswap.w a0, a2, (a1)"},
    {0x00c5a52f, emu_op_amoadd_w, "amoadd.w a0, a2, (a1)"},
    {0x20c5a52f, emu_op_amoxor_w, "amoxor.w a0, a2, (a1)"},
    {0x60c5a52f, emu_op_amoand_w, "amoand.w a0, a2, (a1)"},
    {0x40c5a52f, emu_op_amoor_w, "amoor.w a0, a2, (a1)"},
    {0x80c5a52f, emu_op_amomin_w, "amomin.w a0, a2, (a1)"},
    {0xa0c5a52f, emu_op_amomax_w, "amomax.w a0, a2, (a1)"},
    {0xc0c5a52f, emu_op_amominu_w, "amominu.w a0, a2, (a1)"},
    {0xe0c5a52f, emu_op_amomaxu_w, "amomaxu.w a0, a2, (a1)"},
    {0x08c5b52f, emu_op_amoswap_d, "amoswap.d a0, a2, (a1)"},
    {0x00c5b52f, emu_op_amoadd_d, "amoadd.d a0, a2, (a1)"},
    {0x20c5b52f, emu_op_amoxor_d, "amoxor.d a0, a2, (a1)"},
    {0x60c5b52f, emu_op_amoand_d, "amoand.d a0, a2, (a1)"},
    {0x40c5b52f, emu_op_amoor_d, "amoor.d a0, a2, (a1)"},
    {0x80c5b52f, emu_op_amomin_d, "amomin.d a0, a2, (a1)"},
    {0xa0c5b52f, emu_op_amomax_d, "amomax.d a0, a2, (a1)"},
    {0xc0c5b52f, emu_op_amominu_d, "amominu.d a0, a2, (a1)"},
    {0xe0c5b52f, emu_op_amomaxu_d, "amomaxu.d a0, a2, (a1)"},
    {0x0045a507, emu_op_flw, "flw fa0, 4(a1)"},
    {0x0085b507, emu_op_fld, "fld fa0, 8(a1)"},
    {0x00a5a227, emu_op_fsw, "fsw fa0, 4(a1)"},
    {0x00a5b427, emu_op_fsd, "fsd fa0, 8(a1)"},
    {0x68c5f543, emu_op_fmadd_s, "fmadd.s fa0, fa1, fa2, fa3"},
    {0x68c5f547, emu_op_fmsub_s, "fmsub.s fa0, fa1, fa2, fa3"},
    {0x68c5f54b, emu_op_fnmsub_s, "fnmsub.s fa0, fa1, fa2, fa3"},
    {0x68c5f54f, emu_op_fnmadd_s, "fnmadd.s fa0, fa1, fa2, fa3"},
    {0x6ac59543, emu_op_fmadd_d, "fmadd.d fa0, fa1, fa2, fa3, rtz"},
    {0x6ac5f547, emu_op_fmsub_d, "fmsub.d fa0, fa1, fa2, fa3"},
    {0x6ac5f54b, emu_op_fnmsub_d, "fnmsub.d fa0, fa1, fa2, fa3"},
    {0x6ac5f54f, emu_op_fnmadd_d, "fnmadd.d fa0, fa1, fa2, fa3"},
    {0x00c5f553, emu_op_fadd_s, "fadd.s fa0, fa1, fa2"},
    {0x08c5f553, emu_op_fsub_s, "fsub.s fa0, fa1, fa2"},
    {0x10c5f553, emu_op_fmul_s, "fmul.s fa0, fa1, fa2"},
    {0x18c5f553, emu_op_fdiv_s, "fdiv.s fa0, fa1, fa2"},
    {0x5805f553, emu_op_fsqrt_s, "fsqrt.s fa0, fa1"},
    {0x02c5b553, emu_op_fadd_d, "fadd.d fa0, fa1, fa2, rup"},
    {0x0ac5f553, emu_op_fsub_d, "fsub.d fa0, fa1, fa2"},
    {0x12c5f553, emu_op_fmul_d, "fmul.d fa0, fa1, fa2"},
    {0x1ac5f553, emu_op_fdiv_d, "fdiv.d fa0, fa1, fa2"},
    {0x5a05f553, emu_op_fsqrt_d, "fsqrt.d fa0, fa1"},
    {0x20c58553, emu_op_fsgnj_s, "fsgnj.s fa0, fa1, fa2"},
    {0x20c59553, emu_op_fsgnjn_s, "fsgnjn.s fa0, fa1, fa2"},
    {0x20c5a553, emu_op_fsgnjx_s, "fsgnjx.s fa0, fa1, fa2"},
    {0x22c58553, emu_op_fsgnj_d, "fsgnj.d fa0, fa1, fa2"},
    {0x22c59553, emu_op_fsgnjn_d, "fsgnjn.d fa0, fa1, fa2"},
    {0x22c5a553, emu_op_fsgnjx_d, "fsgnjx.d fa0, fa1, fa2"},
    {0x28c58553, emu_op_fmin_s, "fmin.s fa0, fa1, fa2"},
    {0x28c59553, emu_op_fmax_s, "fmax.s fa0, fa1, fa2"},
    {0x2ac58553, emu_op_fmin_d, "fmin.d fa0, fa1, fa2"},
    {0x2ac59553, emu_op_fmax_d, "fmax.d fa0, fa1, fa2"},
    {0x4015f553, emu_op_fcvt_s_d, "fcvt.s.d fa0, fa1"},
    {0x42058553, emu_op_fcvt_d_s, "fcvt.d.s fa0, fa1"},
    {0xa0c5a553, emu_op_feq_s, "feq.s a0, fa1, fa2"},
    {0xa0c59553, emu_op_flt_s, "flt.s a0, fa1, fa2"},
    {0xa0c58553, emu_op_fle_s, "fle.s a0, fa1, fa2"},
    {0xa2c5a553, emu_op_feq_d, "feq.d a0, fa1, fa2"},
    {0xa2c59553, emu_op_flt_d, "flt.d a0, fa1, fa2"},
    {0xa2c58553, emu_op_fle_d, "fle.d a0, fa1, fa2"},
    {0xe0059553, emu_op_fclass_s, "fclass.s a0, fa1"},
    {0xe2059553, emu_op_fclass_d, "fclass.d a0, fa1"},
    {0xc0059553, emu_op_fcvt_w_s, "fcvt.w.s a0, fa1, rtz"},
    {0xc015f553, emu_op_fcvt_wu_s, "fcvt.wu.s a0, fa1"},
    {0xc025f553, emu_op_fcvt_l_s, "fcvt.l.s a0, fa1"},
    {0xc035f553, emu_op_fcvt_lu_s, "fcvt.lu.s a0, fa1"},
    {0xc205f553, emu_op_fcvt_w_d, "fcvt.w.d a0, fa1"},
    {0xc215f553, emu_op_fcvt_wu_d, "fcvt.wu.d a0, fa1"},
    {0xc225f553, emu_op_fcvt_l_d, "fcvt.l.d a0, fa1"},
    {0xc235f553, emu_op_fcvt_lu_d, "fcvt.lu.d a0, fa1"},
    {0xd005f553, emu_op_fcvt_s_w, "fcvt.s.w fa0, a1"},
    {0xd015f553, emu_op_fcvt_s_wu, "fcvt.s.wu fa0, a1"},
    {0xd025f553, emu_op_fcvt_s_l, "fcvt.s.l fa0, a1"},
    {0xd035f553, emu_op_fcvt_s_lu, "fcvt.s.lu fa0, a1"},
    {0xd2058553, emu_op_fcvt_d_w, "fcvt.d.w fa0, a1"},
    {0xd2158553, emu_op_fcvt_d_wu, "fcvt.d.wu fa0, a1"},
    {0xd225f553, emu_op_fcvt_d_l, "fcvt.d.l fa0, a1"},
    {0xd235f553, emu_op_fcvt_d_lu, "fcvt.d.lu fa0, a1"},
    {0xe0058553, emu_op_fmv_x_w, "fmv.x.w a0, fa1"},
    {0xf0058553, emu_op_fmv_w_x, "fmv.w.x fa0, a1"},
    {0xe2058553, emu_op_fmv_x_d, "fmv.x.d a0, fa1"},
    {0xf2058553, emu_op_fmv_d_x, "fmv.d.x fa0, a1"},
};

static void test_rvc_expand(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(rvc_cases); i++) {
        uint32_t got = emu_rvc_expand(rvc_cases[i].c);
        if (got != rvc_cases[i].full) {
            g_test_message("%s: 0x%04x expands to 0x%08x, want 0x%08x",
                           rvc_cases[i].src, rvc_cases[i].c, got,
                           rvc_cases[i].full);
        }
        g_assert_cmphex(got, ==, rvc_cases[i].full);
    }
}

static void test_decode_forms(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(dec_cases); i++) {
        EmuOp op = {0};
        emu_decode(&op, dec_cases[i].insn, 4);
        if (op.fn != dec_cases[i].fn) {
            g_test_message("%s (0x%08x) decoded to the wrong handler",
                           dec_cases[i].src, dec_cases[i].insn);
        }
        g_assert_true(op.fn == dec_cases[i].fn);
    }
}

/* Fields land where the handlers expect them. */
static void test_decode_fields(void)
{
    EmuOp op = {0};

    emu_decode(&op, 0x00c58533, 4); /* add a0, a1, a2 */
    g_assert_cmpuint(op.rd, ==, 10);
    g_assert_cmpuint(op.rs1, ==, 11);
    g_assert_cmpuint(op.rs2, ==, 12);
    emu_decode(&op, 0x00c58033, 4); /* add zero, a1, a2: write to sink */
    g_assert_cmpuint(op.rd, ==, 32);
    emu_decode(&op, 0xfff58513, 4); /* addi a0, a1, -1 */
    g_assert_cmpint(op.imm, ==, -1);
    emu_decode(&op, 0x80000537, 4); /* lui a0, 0x80000: sign-extended */
    g_assert_cmpint(op.imm, ==, (int64_t)(int32_t)0x80000000);
    emu_decode(&op, 0xfe058ee3, 4); /* beq a1, zero, .-4 */
    g_assert_cmpint(op.imm, ==, -4);
    emu_decode(&op, 0x300025f3, 4); /* csrr a1, mstatus */
    g_assert_cmpint(op.imm, ==, 0x300);
    emu_decode(&op, 0x4501, 2); /* c.li a0, 0 */
    g_assert_cmpuint(op.len, ==, 2);
    g_assert_true(op.fn == emu_op_li);
}

static void test_illegal(void)
{
    static const uint32_t bad32[] = {
        0x00000000, 0xffffffff,
        0x0000007f, /* reserved major opcode */
        0x00007003, /* load funct3 7 */
        0x00004023, /* store funct3 4 */
        0x02001013, /* slli with shamt[6] set on RV64? no: imm[11:6]=0x01 */
        0x40001013, /* slli with funct6 0x10 */
        0x0000101b | (1u << 25), /* slliw with funct7 1 */
        0x00002033 | (2u << 25), /* OP funct7 2 */
        0x00004073, /* SYSTEM funct3 4 */
        0x00200073, /* ecall with rs2 = 2 */
        0x0000200f, /* MISC-MEM funct3 2 */
        0x1000202f, /* lr.w with rs2 != 0: 0x10 = lr, rs2 = 0? */
        0x0000402f, /* AMO funct3 4 */
        0x00005053 | (0x2c << 25) | (1u << 20), /* fsqrt.s with rs2=1 */
        0x00005053, /* fadd.s with rm = 5 */
        0x00006053, /* fadd.s with rm = 6 */
        0x06000043, /* fmadd with fmt 3 (Q, not implemented) */
        0xe0001053, /* fmv.x.w with funct3 1 + rs2... fclass uses f3 1 */
    };
    static const uint16_t bad16[] = {
        0x0000, /* all zero: illegal */
        0x8000 & 0x8000, /* quadrant 0 funct3 4: reserved */
        0x6001 | 0x0100, /* c.lui/addi16sp with nzimm = 0 (rd = x2) */
        0x6081, /* c.lui ra, 0 */
        0x2001, /* c.addiw zero: reserved */
        0x4002, /* c.lwsp zero: reserved */
        0x6002, /* c.ldsp zero: reserved */
        0x8002, /* c.jr zero: reserved */
        0x9c41, /* c.subw-space reserved (funct2 10) */
    };
    EmuOp op = {0};

    /* entries that are in fact legal are filtered: the point is that a
     * reserved form never decodes to a real handler */
    for (gsize i = 0; i < G_N_ELEMENTS(bad32); i++) {
        uint32_t insn = bad32[i];
        if (insn == 0x02001013 || insn == 0x1000202f || insn == 0xe0001053) {
            continue;
        }
        emu_decode(&op, insn, 4);
        if (op.fn != emu_op_illegal) {
            g_test_message("0x%08x should be illegal", insn);
        }
        g_assert_true(op.fn == emu_op_illegal);
        g_assert_cmphex(op.insn, ==, insn);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(bad16); i++) {
        uint16_t c = bad16[i];
        if (c == 0x8000 || c == 0x6101) {
            c = c == 0x8000 ? 0x8000 : 0x6101;
        }
        if ((c & 3) == 0 && (c >> 13) == 4) {
            /* reserved quadrant-0 slot */
        }
        emu_decode(&op, c, 2);
        if (op.fn != emu_op_illegal) {
            g_test_message("0x%04x should be illegal", c);
        }
        g_assert_true(op.fn == emu_op_illegal);
        g_assert_cmphex(op.insn, ==, c);
    }
}

/* Exhaustive: every 16-bit pattern either expands to a 32-bit encoding
 * that the 32-bit decoder accepts, or is illegal — never a crash, never
 * a 32-bit-looking expansion of a reserved form. */
static void test_rvc_exhaustive(void)
{
    unsigned legal = 0;

    for (uint32_t c = 0; c < 0x10000; c++) {
        EmuOp op = {0};
        uint32_t full;
        if ((c & 3) == 3) {
            continue;
        }
        full = emu_rvc_expand(c);
        emu_decode(&op, c, 2);
        if (full == 0) {
            g_assert_true(op.fn == emu_op_illegal);
        } else {
            g_assert_cmphex(full & 3, ==, 3);
            legal++;
        }
    }
    /* 3 quadrants x 2^14 minus the reserved space */
    g_assert_cmpuint(legal, >, 40000);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/decode/rvc-expand", test_rvc_expand);
    g_test_add_func("/decode/forms", test_decode_forms);
    g_test_add_func("/decode/fields", test_decode_fields);
    g_test_add_func("/decode/illegal", test_illegal);
    g_test_add_func("/decode/rvc-exhaustive", test_rvc_exhaustive);
    return g_test_run();
}
