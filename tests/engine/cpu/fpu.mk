# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/cpu/fpu.mk: the F/D unit test. It compiles the FPU sources
# itself and stubs emu_raise() and the slow memory path, so it does not
# link the engine library (and needs none of the other CPU files).
check_PROGRAMS += tests/engine/cpu/test-fpu
TESTS += tests/engine/cpu/test-fpu
tests_engine_cpu_test_fpu_SOURCES = tests/engine/cpu/test-fpu.c \
	engine/cpu/riscv/fpu.c engine/cpu/riscv/fpu-soft.c \
	engine/cpu/riscv/fpu-soft.h
tests_engine_cpu_test_fpu_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS) -O2
tests_engine_cpu_test_fpu_LDADD = $(GLIB_LIBS) $(LIBM)
