# SPDX-License-Identifier: GPL-2.0-or-later
# daemon/local.mk: build fragment (included from the top Makefile.am).
# vmd: the daemon. Everything but main() is in daemon/libvmd.a, which the
# tests link too.

noinst_LIBRARIES += daemon/libvmd.a

daemon_libvmd_a_SOURCES = \
	daemon/error.c daemon/error.h \
	daemon/xml.c daemon/xml.h \
	daemon/domain.c daemon/domain.h \
	daemon/domain-parse.c \
	daemon/domain-validate.c \
	daemon/domain-format.c \
	daemon/build.c daemon/build.h \
	daemon/store.c daemon/store.h \
	daemon/daemon.c daemon/daemon.h \
	daemon/dbus.c daemon/dbus.h \
	daemon/dbus-manager.c \
	daemon/dbus-domain.c \
	daemon/engine.c daemon/engine.h \
	daemon/lifecycle.c daemon/lifecycle.h daemon/lifecycle-internal.h \
	daemon/hotplug.c \
	daemon/hub.c daemon/hub.h \
	daemon/dbus-hub.c \
	daemon/netdev.c daemon/netdev.h \
	common/fdpass.c common/fdpass.h
nodist_daemon_libvmd_a_SOURCES = daemon/vmd-introspection.c

# VMD_SRC_SCHEMA_DIR: schemas found in the source tree by uninstalled
# programs (tests); installed ones use $(pkgdatadir)/schemas first.
VMD_CPPFLAGS = $(AM_CPPFLAGS) -DG_LOG_DOMAIN=\"vmd\" \
	-DVMD_SRC_SCHEMA_DIR=\"$(abs_top_srcdir)/schemas\" \
	-DVMD_BINDIR=\"$(bindir)\" \
	$(GIO_CFLAGS) $(GLIB_CFLAGS) $(XML_CFLAGS)
VMD_LIBS = daemon/libvmd.a $(GIO_LIBS) $(GLIB_LIBS) $(XML_LIBS) $(LIBINTL)

daemon_libvmd_a_CPPFLAGS = $(VMD_CPPFLAGS)

sbin_PROGRAMS = daemon/vmd
daemon_vmd_SOURCES = daemon/vmd.c
daemon_vmd_CPPFLAGS = $(VMD_CPPFLAGS)
daemon_vmd_LDADD = $(VMD_LIBS)

# The introspection XML compiled in as a C string: one source of truth.
daemon/vmd-introspection.c: $(top_srcdir)/schemas/dbus/org.vmkit.Vmd1.xml
	$(AM_V_GEN)$(MKDIR_P) daemon && { \
	  echo '/* generated from schemas/dbus/org.vmkit.Vmd1.xml: do not edit */'; \
	  echo '#include "config.h"'; \
	  echo '#include "daemon/dbus.h"'; \
	  echo 'const char vmd_introspection_xml[] ='; \
	  $(SED) -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' \
	    $(top_srcdir)/schemas/dbus/org.vmkit.Vmd1.xml; \
	  echo ';'; \
	} > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += daemon/vmd-introspection.c
CLEANFILES += daemon/vmd-introspection.c
