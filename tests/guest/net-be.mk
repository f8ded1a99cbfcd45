# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-be.mk: guest tests of the host backends (included from
# tests/guest/local.mk) — Debian guests over -netdev socket/stream/dgram
# (with QEMU as the peer when installed), and over tap and bridge in a
# network namespace (root; skipped otherwise).
TESTS += tests/guest/net-socket.sh tests/guest/net-tap.sh
EXTRA_DIST += tests/guest/net-socket.sh tests/guest/net-tap.sh

# The bridge helper, reading its ACL from net-tap.sh's folder (compiled
# in, as tests/net-helper does; net-tap.sh computes the same path).
check_PROGRAMS += tests/guest/vmkit-bridge-helper-netbe
tests_guest_vmkit_bridge_helper_netbe_SOURCES = $(NET_HELPER_SOURCES)
tests_guest_vmkit_bridge_helper_netbe_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVMKIT_BRIDGE_ACL=\"$(abs_top_builddir)/tests/guest/net-tap-tmp/bridge.conf\"
tests_guest_vmkit_bridge_helper_netbe_CFLAGS = $(AM_CFLAGS) \
	$(GLIB_CFLAGS) $(CAPNG_CFLAGS)
tests_guest_vmkit_bridge_helper_netbe_LDADD = $(GLIB_LIBS) $(CAPNG_LIBS)
