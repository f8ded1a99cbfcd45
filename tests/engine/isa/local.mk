# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/isa/local.mk: the bare-metal RISC-V ISA test programs, built
# with the riscv64 cross compiler at `make check` time and run by run.sh.
# `make isa-tests` only builds them.

ISA_NAMES = rv64i rv64m rv64a rv64f rv64d rvc priv-trap csr \
	mmu-sv39 mmu-sv48 pmp smc counters strict platform
ISA_ASM_SRCS = rv64i.S rv64m.S rv64a.S rv64f.S rv64d.S rvc.S \
	priv-trap.S csr.S counters.S
ISA_C_SRCS = mmu-sv39.c mmu-sv48.c mmu.h pmp.c smc.c strict.c platform.c
ISA_RUNTIME = crt.S macros.h link.ld

isa_srcdir = $(srcdir)/tests/engine/isa
ISA_ELFS = $(ISA_NAMES:%=tests/engine/isa/%.elf)
ISA_DEPS = $(ISA_RUNTIME:%=$(isa_srcdir)/%) $(isa_srcdir)/mmu.h

# RVC is allowed by -march but assembly opts out with `.option norvc`
# (macros.h): only rvc.S and the C programs use compressed instructions.
# -Werror follows --enable-werror.
ISA_GCCFLAGS = -march=rv64gc -mabi=lp64d -mcmodel=medany -ffreestanding \
	-nostdlib -nostartfiles -static -O1 -g -Wall -Wextra \
	-Wstrict-prototypes -Wmissing-prototypes \
	$(filter -Werror,$(WARN_CFLAGS)) \
	-fno-pic -fno-stack-protector -fno-asynchronous-unwind-tables \
	-I$(isa_srcdir) -T $(isa_srcdir)/link.ld \
	-Wl,--no-relax -Wl,--build-id=none

tests/engine/isa/%.elf: tests/engine/isa/%.S $(ISA_DEPS)
	@$(MKDIR_P) tests/engine/isa
	$(AM_V_GEN)$(RISCV_CC) $(ISA_GCCFLAGS) -o $@ $(isa_srcdir)/crt.S $<

tests/engine/isa/%.elf: tests/engine/isa/%.c $(ISA_DEPS)
	@$(MKDIR_P) tests/engine/isa
	$(AM_V_GEN)$(RISCV_CC) $(ISA_GCCFLAGS) -o $@ $(isa_srcdir)/crt.S $<

# what run.sh runs (absent when there is no cross compiler: it skips)
tests/engine/isa/programs.list: Makefile
	@$(MKDIR_P) tests/engine/isa
	$(AM_V_GEN)echo $(ISA_NAMES) >$@

if HAVE_RISCV_CC
check_DATA += $(ISA_ELFS) tests/engine/isa/programs.list
isa-tests: $(ISA_ELFS) tests/engine/isa/programs.list
else
isa-tests:
	@echo "no riscv64 cross compiler: ISA tests not built"
endif
.PHONY: isa-tests

TESTS += tests/engine/isa/run.sh tests/engine/isa/run-threaded.sh
CLEANFILES += $(ISA_ELFS) tests/engine/isa/programs.list
EXTRA_DIST += tests/engine/isa/run.sh tests/engine/isa/run-threaded.sh tests/engine/isa/README \
	tests/engine/isa/fpvectors.py \
	$(ISA_RUNTIME:%=tests/engine/isa/%) \
	$(ISA_ASM_SRCS:%=tests/engine/isa/%) \
	$(ISA_C_SRCS:%=tests/engine/isa/%)
