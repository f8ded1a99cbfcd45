# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/diff/local.mk: the differential CPU test: random programs
# (gen.py) on the native backend, the threaded executor and QEMU, compared
# by diff.py at `make check` time (run.sh; see its header).

# what run.sh builds with (absent without a cross compiler: it skips)
tests/engine/diff/toolchain: Makefile
	@$(MKDIR_P) tests/engine/diff
	$(AM_V_GEN)echo '$(RISCV_CC)' >$@

if HAVE_RISCV_CC
check_DATA += tests/engine/diff/toolchain
endif

TESTS += tests/engine/diff/run.sh
CLEANFILES += tests/engine/diff/toolchain
EXTRA_DIST += tests/engine/diff/run.sh tests/engine/diff/gen.py \
	tests/engine/diff/diff.py

# run.sh's work directory (kept when a comparison fails)
clean-local: clean-diff-work
clean-diff-work:
	-rm -rf tests/engine/diff/work
.PHONY: clean-diff-work
