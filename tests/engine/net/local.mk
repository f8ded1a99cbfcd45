# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/net/local.mk: net layer units — the option parser, the core
# (queues, backpressure, links, hubs), option handling and "info network".
NET_TESTS = \
	tests/engine/net/test-opts \
	tests/engine/net/test-net \
	tests/engine/net/test-options
check_PROGRAMS += $(NET_TESTS)
TESTS += $(NET_TESTS)
EXTRA_DIST += tests/engine/net/net-test.h

tests_engine_net_test_opts_SOURCES = tests/engine/net/test-opts.c \
	tests/engine/net/net-test.h
tests_engine_net_test_opts_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_net_test_opts_LDADD = $(ENGINE_LIBS)

tests_engine_net_test_net_SOURCES = tests/engine/net/test-net.c \
	tests/engine/net/net-test.h
tests_engine_net_test_net_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_net_test_net_LDADD = $(ENGINE_LIBS)

tests_engine_net_test_options_SOURCES = tests/engine/net/test-options.c \
	tests/engine/net/net-test.h
tests_engine_net_test_options_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_net_test_options_LDADD = $(ENGINE_LIBS)
