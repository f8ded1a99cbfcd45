# SPDX-License-Identifier: GPL-2.0-or-later
# engine/core/chr.mk: character backends and the human monitor (included
# from engine/core/local.mk; chardev.h is listed there).
engine_libvmkit_engine_a_SOURCES += \
	engine/core/chardev.c \
	engine/core/monitor.c engine/core/monitor.h

# The control channel (-control): org.vmkit.Engine1 for vmd. Its
# introspection XML is compiled in, one source of truth with the
# installed schemas/dbus/org.vmkit.Engine1.xml.
engine_libvmkit_engine_a_SOURCES += \
	engine/core/control.c engine/core/control.h
nodist_engine_libvmkit_engine_a_SOURCES = \
	engine/core/engine1-introspection.c
engine/core/engine1-introspection.c: \
		$(top_srcdir)/schemas/dbus/org.vmkit.Engine1.xml
	$(AM_V_GEN)$(MKDIR_P) engine/core && { \
	  echo '/* generated from schemas/dbus/org.vmkit.Engine1.xml: do not edit */'; \
	  echo 'extern const char emu_control_introspection_xml[];'; \
	  echo 'const char emu_control_introspection_xml[] ='; \
	  $(SED) -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' \
	    $(top_srcdir)/schemas/dbus/org.vmkit.Engine1.xml; \
	  echo ';'; \
	} > $@.tmp && mv $@.tmp $@
BUILT_SOURCES += engine/core/engine1-introspection.c
CLEANFILES += engine/core/engine1-introspection.c
