# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/local.mk: `make bench` programs (built with the riscv64 cross
# compiler on the ISA test runtime).
bench_srcdir = $(top_srcdir)/tests/bench
EXTRA_DIST += tests/bench/cpu.sh tests/bench/bench-int.c \
	tests/bench/bench-mem.c tests/bench/bench-fp.c
if HAVE_RISCV_CC
BENCH_ELFS = tests/bench/bench-int.elf tests/bench/bench-mem.elf \
	tests/bench/bench-fp.elf
tests/bench/%.elf: tests/bench/%.c $(ISA_DEPS)
	@$(MKDIR_P) tests/bench
	$(AM_V_GEN)$(RISCV_CC) $(ISA_GCCFLAGS) -O2 -o $@ $(isa_srcdir)/crt.S $<
CLEANFILES += $(BENCH_ELFS)
endif
bench-cpu: engine/vmkit $(BENCH_ELFS)
	@VMKIT_BUILDDIR=$(abs_top_builddir) $(SHELL) $(bench_srcdir)/cpu.sh
bench: bench-cpu
.PHONY: bench-cpu
EXTRA_DIST += tests/bench/boot.py
bench-boot: engine/vmkit
	@VMKIT_BUILDDIR=$(abs_top_builddir) python3 $(bench_srcdir)/boot.py
bench: bench-boot
.PHONY: bench-boot
EXTRA_DIST += tests/bench/net.py
bench-net: engine/vmkit
	@VMKIT_BUILDDIR=$(abs_top_builddir) python3 $(bench_srcdir)/net.py
bench: bench-net
.PHONY: bench-net
EXTRA_DIST += tests/bench/net-pair.py
bench-net-pair: engine/vmkit
	@VMKIT_BUILDDIR=$(abs_top_builddir) python3 $(bench_srcdir)/net-pair.py
bench: bench-net-pair
.PHONY: bench-net-pair
EXTRA_DIST += tests/bench/net-tap.py
bench-net-tap: engine/vmkit
	@VMKIT_BUILDDIR=$(abs_top_builddir) python3 $(bench_srcdir)/net-tap.py
bench: bench-net-tap
.PHONY: bench-net-tap
EXTRA_DIST += tests/bench/vmd.py
bench-vmd: engine/vmkit daemon/vmd client/vmctl
	@VMKIT_BUILDDIR=$(abs_top_builddir) python3 $(bench_srcdir)/vmd.py
bench: bench-vmd
.PHONY: bench-vmd
