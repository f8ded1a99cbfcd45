# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/netbe/local.mk: the host backends' units — framing, option
# messages, socket/stream/dgram moving frames in one process, and tap /
# bridge helper in a private network namespace (root; skipped otherwise).
NETBE_TESTS = \
	tests/engine/netbe/test-netbe-opts \
	tests/engine/netbe/test-netbe-socket \
	tests/engine/netbe/test-netbe-tap
check_PROGRAMS += $(NETBE_TESTS)
TESTS += $(NETBE_TESTS)
EXTRA_DIST += tests/engine/netbe/netbe-test.h

tests_engine_netbe_test_netbe_opts_SOURCES = \
	tests/engine/netbe/test-netbe-opts.c tests/engine/netbe/netbe-test.h
tests_engine_netbe_test_netbe_opts_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_netbe_test_netbe_opts_LDADD = $(ENGINE_LIBS)

tests_engine_netbe_test_netbe_socket_SOURCES = \
	tests/engine/netbe/test-netbe-socket.c tests/engine/netbe/netbe-test.h
tests_engine_netbe_test_netbe_socket_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_netbe_test_netbe_socket_LDADD = $(ENGINE_LIBS)

tests_engine_netbe_test_netbe_tap_SOURCES = \
	tests/engine/netbe/test-netbe-tap.c tests/engine/netbe/netbe-test.h
tests_engine_netbe_test_netbe_tap_CFLAGS = $(AM_CFLAGS) $(ENGINE_CFLAGS)
tests_engine_netbe_test_netbe_tap_LDADD = $(ENGINE_LIBS)
