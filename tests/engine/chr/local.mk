# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/chr/local.mk: chardev backends, the mux and the monitor
# (included from tests/engine/local.mk).
CHR_TESTS = tests/engine/chr/test-chardev tests/engine/chr/test-monitor
check_PROGRAMS += $(CHR_TESTS)
TESTS += $(CHR_TESTS)

tests_engine_chr_test_chardev_SOURCES = tests/engine/chr/test-chardev.c \
	tests/engine/chr/chr-test.h
tests_engine_chr_test_chardev_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_chr_test_chardev_LDADD = $(ENGINE_LIBS)

tests_engine_chr_test_monitor_SOURCES = tests/engine/chr/test-monitor.c \
	tests/engine/chr/chr-test.h
tests_engine_chr_test_monitor_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_chr_test_monitor_LDADD = $(ENGINE_LIBS)
