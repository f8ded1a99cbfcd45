/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jit.h: the native backend (jit-x86_64.c) — translation blocks compiled
 * to host machine code. On hosts without a backend every function is a
 * no-op and the threaded executor runs the blocks. All functions run on
 * the hart's own thread. */
#ifndef EMU_RISCV_JIT_H
#define EMU_RISCV_JIT_H

#include "engine/cpu/riscv/cpu.h"

typedef struct EmuJit EmuJit;

/* A code arena for one hart, or NULL when native code cannot be used. */
EmuJit *emu_jit_new(void);
void emu_jit_free(EmuJit *j);
/* forgets all code (with the block cache it belongs to) */
void emu_jit_reset(EmuJit *j);
/* whether a block of @n_ops ops is sure to fit */
bool emu_jit_has_room(EmuJit *j, unsigned n_ops);
/* Compiles @tb's first @n ops (the block's instructions plus its closing
 * goto_next, if any) and installs the code as the block's entry handler.
 * False leaves the block to the threaded executor. */
bool emu_jit_compile(EmuJit *j, EmuTb *tb, unsigned n);

/* the handler of every op after the first in a compiled block: returns
 * to the native code that called the previous op's handler */
const EmuOp *emu_op_resume(EmuHart *h, const EmuOp *op);

#endif
