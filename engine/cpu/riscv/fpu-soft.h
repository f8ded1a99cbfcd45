/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fpu-soft.h: exact software IEEE 754 binary32/binary64 arithmetic with
 * RISC-V semantics (canonical NaNs, fflags bits, all five rounding modes),
 * used by fpu.c where the host FPU cannot do the job: RMM, float<->int
 * conversions, and tininess fix-ups on hosts that detect it early. */
#ifndef EMU_RISCV_FPU_SOFT_H
#define EMU_RISCV_FPU_SOFT_H

#include <stdbool.h>
#include <stdint.h>

/* Formats; a binary32 value travels in the low 32 bits of a uint64_t
 * (no NaN boxing: that is the register file's business). */
typedef enum { EMU_FP_S = 0, EMU_FP_D = 1 } EmuFpFmt;

/* rounding modes, as encoded in the rm field / frm (ISA spec §11.2) */
enum {
    EMU_RM_RNE = 0,
    EMU_RM_RTZ = 1,
    EMU_RM_RDN = 2,
    EMU_RM_RUP = 3,
    EMU_RM_RMM = 4,
};

/* fflags bits (ISA spec §11.2, table "Accrued exception flag encoding") */
enum {
    EMU_FF_NX = 0x01,
    EMU_FF_UF = 0x02,
    EMU_FF_OF = 0x04,
    EMU_FF_DZ = 0x08,
    EMU_FF_NV = 0x10,
};

#define EMU_FP_CANON_S 0x7fc00000ULL
#define EMU_FP_CANON_D 0x7ff8000000000000ULL

/*
 * All functions below take @rm in 0..4 (never 7: resolve the dynamic mode
 * first), return the result's bit pattern, and OR the raised flags into
 * *@fl. NaN results are always the canonical NaN of the result format.
 * Thread: any (pure functions, no host FP environment used).
 */

/* a + b; subtraction is a + (b with its sign bit flipped) */
uint64_t emu_softfp_add(EmuFpFmt f, uint64_t a, uint64_t b, unsigned rm,
                        uint32_t *fl);
uint64_t emu_softfp_mul(EmuFpFmt f, uint64_t a, uint64_t b, unsigned rm,
                        uint32_t *fl);
uint64_t emu_softfp_div(EmuFpFmt f, uint64_t a, uint64_t b, unsigned rm,
                        uint32_t *fl);
uint64_t emu_softfp_sqrt(EmuFpFmt f, uint64_t a, unsigned rm, uint32_t *fl);
/* a * b + c with a single rounding; the FMSUB/FNMSUB/FNMADD forms flip
 * the sign bits of a and/or c before calling. inf * 0 raises NV even when
 * c is a quiet NaN (ISA spec §11.6). */
uint64_t emu_softfp_fma(EmuFpFmt f, uint64_t a, uint64_t b, uint64_t c,
                        unsigned rm, uint32_t *fl);
/* FCVT.S.D / FCVT.D.S */
uint64_t emu_softfp_cvt(EmuFpFmt to, EmuFpFmt from, uint64_t a, unsigned rm,
                        uint32_t *fl);
/* FCVT.{S,D}.{W,WU,L,LU}: @v is the integer (sign- or zero-extended to 64
 * bits by the caller), @is_signed tells how to read it. */
uint64_t emu_softfp_from_int(EmuFpFmt f, uint64_t v, bool is_signed,
                             unsigned rm, uint32_t *fl);
/* FCVT.{W,WU,L,LU}.{S,D}: @width 32 or 64. Out-of-range values and NaNs
 * saturate with NV per the ISA spec's FCVT table; 32-bit results come back
 * sign-extended to 64 bits (also the unsigned ones). */
uint64_t emu_softfp_to_int(EmuFpFmt f, uint64_t a, unsigned width,
                           bool is_signed, unsigned rm, uint32_t *fl);

#endif
