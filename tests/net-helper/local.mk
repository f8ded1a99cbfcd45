# SPDX-License-Identifier: GPL-2.0-or-later
# tests/net-helper/local.mk: vmkit-bridge-helper tests (ACL unit, netns).

check_PROGRAMS += \
	tests/net-helper/test-acl \
	tests/net-helper/recv-fd \
	tests/net-helper/vmkit-bridge-helper-test
TESTS += \
	tests/net-helper/test-acl \
	tests/net-helper/helper.sh
EXTRA_DIST += tests/net-helper/helper.sh

tests_net_helper_test_acl_SOURCES = tests/net-helper/test-acl.c \
	net-helper/acl.c net-helper/acl.h
tests_net_helper_test_acl_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
tests_net_helper_test_acl_LDADD = $(GLIB_LIBS)

tests_net_helper_recv_fd_SOURCES = tests/net-helper/recv-fd.c \
	common/fdpass.c common/fdpass.h
tests_net_helper_recv_fd_CFLAGS = $(AM_CFLAGS) $(GLIB_CFLAGS)
tests_net_helper_recv_fd_LDADD = $(GLIB_LIBS)

# The same helper, reading its ACL from the test's own folder (compiled
# in; the installed helper has no way to change its ACL path).  helper.sh
# computes the same path from $VMKIT_BUILDDIR.
tests_net_helper_vmkit_bridge_helper_test_SOURCES = $(NET_HELPER_SOURCES)
NET_HELPER_TEST_DIR = $(abs_top_builddir)/tests/net-helper/helper-tmp
tests_net_helper_vmkit_bridge_helper_test_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVMKIT_BRIDGE_ACL=\"$(NET_HELPER_TEST_DIR)/bridge.conf\"
tests_net_helper_vmkit_bridge_helper_test_CFLAGS = $(AM_CFLAGS) \
	$(GLIB_CFLAGS) $(CAPNG_CFLAGS)
tests_net_helper_vmkit_bridge_helper_test_LDADD = $(GLIB_LIBS) $(CAPNG_LIBS)
