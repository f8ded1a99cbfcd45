# SPDX-License-Identifier: GPL-2.0-or-later
# tests/daemon/local.mk: build fragment (included from the top Makefile.am).
# vmd tests: domain XML round trips, engine argv, store, D-Bus API.

vmd_test_programs = \
	tests/daemon/test-domain-xml \
	tests/daemon/test-build \
	tests/daemon/test-store \
	tests/daemon/test-dbus \
	tests/daemon/test-attach \
	tests/daemon/test-lifecycle
check_PROGRAMS += $(vmd_test_programs)
TESTS += $(vmd_test_programs)

VMD_TEST_CPPFLAGS = $(VMD_CPPFLAGS) \
	-DVMD_TEST_SRCDIR=\"$(abs_top_srcdir)\" \
	-DVMD_TEST_BUILDDIR=\"$(abs_top_builddir)\"

tests_daemon_test_domain_xml_SOURCES = tests/daemon/test-domain-xml.c \
	tests/daemon/test-common.h
tests_daemon_test_domain_xml_CPPFLAGS = $(VMD_TEST_CPPFLAGS)
tests_daemon_test_domain_xml_LDADD = $(VMD_LIBS)

tests_daemon_test_build_SOURCES = tests/daemon/test-build.c \
	tests/daemon/test-common.h
tests_daemon_test_build_CPPFLAGS = $(VMD_TEST_CPPFLAGS)
tests_daemon_test_build_LDADD = $(VMD_LIBS)

tests_daemon_test_store_SOURCES = tests/daemon/test-store.c \
	tests/daemon/dbus-harness.c tests/daemon/dbus-harness.h \
	tests/daemon/test-common.h
tests_daemon_test_store_CPPFLAGS = $(VMD_TEST_CPPFLAGS)
tests_daemon_test_store_LDADD = $(VMD_LIBS)

tests_daemon_test_dbus_SOURCES = tests/daemon/test-dbus.c \
	tests/daemon/dbus-harness.c tests/daemon/dbus-harness.h \
	tests/daemon/test-common.h
tests_daemon_test_dbus_CPPFLAGS = $(VMD_TEST_CPPFLAGS)
tests_daemon_test_dbus_LDADD = $(VMD_LIBS)

tests_daemon_test_attach_SOURCES = tests/daemon/test-attach.c \
	tests/daemon/dbus-harness.c tests/daemon/dbus-harness.h \
	tests/daemon/test-common.h
tests_daemon_test_attach_CPPFLAGS = $(VMD_TEST_CPPFLAGS)
tests_daemon_test_attach_LDADD = $(VMD_LIBS)

# the case directories, whole (NAME.xml + NAME.expected / NAME.err)
EXTRA_DIST += tests/daemon/xml tests/daemon/xml-invalid

# domains that run: needs engine/vmkit; the guest cases skip without the
# guest cache (tools/fetch-guest)
tests_daemon_test_lifecycle_SOURCES = tests/daemon/test-lifecycle.c \
	tests/daemon/dbus-harness.c tests/daemon/dbus-harness.h \
	tests/daemon/test-common.h
tests_daemon_test_lifecycle_CPPFLAGS = $(VMD_TEST_CPPFLAGS)
tests_daemon_test_lifecycle_LDADD = $(VMD_LIBS)

# daemon hubs and bridged interfaces with Debian guests (skip without the
# guest cache; bridge.sh needs root for its network namespace)
TESTS += tests/daemon/hub.sh tests/daemon/bridge.sh
EXTRA_DIST += tests/daemon/hub.sh tests/daemon/bridge.sh \
	tests/daemon/hub-common.sh

# A session (non-root) vmd runs the setuid bridge helper for bridged
# interfaces: bridge-session.sh installs this copy setuid root; its ACL is
# compiled in as bridge-session-tmp/bridge.conf (the script computes the
# same path from $VMKIT_BUILDDIR).  Needs root; skipped otherwise.
check_PROGRAMS += tests/daemon/vmkit-bridge-helper-sess
tests_daemon_vmkit_bridge_helper_sess_SOURCES = $(NET_HELPER_SOURCES)
tests_daemon_vmkit_bridge_helper_sess_CPPFLAGS = $(AM_CPPFLAGS) \
	-DVMKIT_BRIDGE_ACL=\"$(abs_top_builddir)/tests/daemon/bridge-session-tmp/bridge.conf\"
tests_daemon_vmkit_bridge_helper_sess_CFLAGS = $(AM_CFLAGS) \
	$(GLIB_CFLAGS) $(CAPNG_CFLAGS)
tests_daemon_vmkit_bridge_helper_sess_LDADD = $(GLIB_LIBS) $(CAPNG_LIBS)
TESTS += tests/daemon/bridge-session.sh
EXTRA_DIST += tests/daemon/bridge-session.sh
