# SPDX-License-Identifier: GPL-2.0-or-later
# engine/cpu/riscv/local.mk: the RV64GC translator.
engine_libvmkit_engine_a_SOURCES += \
	engine/cpu/riscv/hart-api.h \
	engine/cpu/riscv/cpu.h \
	engine/cpu/riscv/ops.h \
	engine/cpu/riscv/decode.c \
	engine/cpu/riscv/exec.c \
	engine/cpu/riscv/csr.c \
	engine/cpu/riscv/trap.c \
	engine/cpu/riscv/mmu.c \
	engine/cpu/riscv/translate.c \
	engine/cpu/riscv/jit.h engine/cpu/riscv/jit-x86_64.c \
	engine/cpu/riscv/hart.c \
	engine/cpu/riscv/fpu.c engine/cpu/riscv/fpu-soft.c engine/cpu/riscv/fpu-soft.h
