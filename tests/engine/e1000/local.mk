# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/e1000/local.mk: e1000 device tests — the 82540EM driven
# through ECAM and BAR0 as the Linux/U-Boot drivers do, and a hostile
# guest (included from tests/engine/local.mk).
E1000_TESTS = \
	tests/engine/e1000/test-e1000 \
	tests/engine/e1000/test-e1000-hostile
check_PROGRAMS += $(E1000_TESTS)
TESTS += $(E1000_TESTS)
EXTRA_DIST += tests/engine/e1000/e1000-test.h \
	tests/engine/nic-test.h

tests_engine_e1000_test_e1000_SOURCES = tests/engine/e1000/test-e1000.c \
	tests/engine/e1000/e1000-test.h \
	tests/engine/nic-test.h
tests_engine_e1000_test_e1000_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_e1000_test_e1000_LDADD = $(ENGINE_LIBS)

tests_engine_e1000_test_e1000_hostile_SOURCES = \
	tests/engine/e1000/test-e1000-hostile.c tests/engine/e1000/e1000-test.h \
	tests/engine/nic-test.h
tests_engine_e1000_test_e1000_hostile_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_e1000_test_e1000_hostile_LDADD = $(ENGINE_LIBS)
