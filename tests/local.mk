# SPDX-License-Identifier: GPL-2.0-or-later
# tests/local.mk: the test harness — GLib g_test programs and shell tests,
# all speaking TAP under automake's TAP driver.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
LOG_DRIVER_FLAGS = --comments
SH_LOG_DRIVER = $(LOG_DRIVER)
SH_LOG_DRIVER_FLAGS = --comments
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	VMKIT_BUILDDIR='$(abs_top_builddir)'; export VMKIT_BUILDDIR; \
	VMKIT_SRCDIR='$(abs_top_srcdir)'; export VMKIT_SRCDIR; \
	G_DEBUG=gc-friendly; export G_DEBUG; \
	ASAN_OPTIONS=detect_leaks=0; export ASAN_OPTIONS; \
	LC_ALL=C.UTF-8; export LC_ALL;

EXTRA_DIST += tests/lib.sh

include tests/engine/local.mk
include tests/daemon/local.mk
include tests/client/local.mk
include tests/net-helper/local.mk
include tests/guest/local.mk
