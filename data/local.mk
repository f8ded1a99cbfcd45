# SPDX-License-Identifier: GPL-2.0-or-later
# data/local.mk: build fragment (included from the top Makefile.am).
# vmd's bus policy, D-Bus service file, systemd unit and example domains.
# All install under ${prefix} by default (so `make distcheck` works);
# configure's --with-dbus-sys-dir / --with-dbus-services-dir and
# `make systemdsystemunitdir=/lib/systemd/system` move them.

dbuspolicydir = $(dbus_sys_dir)
dist_dbuspolicy_DATA = data/org.vmkit.Vmd1.conf

dbusservicedir = $(dbus_services_dir)
dbusservice_DATA = data/org.vmkit.Vmd1.service

systemdsystemunitdir = $(prefix)/lib/systemd/system
systemdsystemunit_DATA = data/vmd.service

examplesdir = $(docdir)/examples
dist_examples_DATA = examples/debian-riscv64.xml

EXTRA_DIST += data/org.vmkit.Vmd1.service.in data/vmd.service.in
CLEANFILES += data/org.vmkit.Vmd1.service data/vmd.service

vmd_data_subst = $(SED) -e 's|@sbindir[@]|$(sbindir)|g'

data/org.vmkit.Vmd1.service: $(top_srcdir)/data/org.vmkit.Vmd1.service.in
	$(AM_V_GEN)$(MKDIR_P) data && $(vmd_data_subst) $< > $@.tmp && mv $@.tmp $@

data/vmd.service: $(top_srcdir)/data/vmd.service.in
	$(AM_V_GEN)$(MKDIR_P) data && $(vmd_data_subst) $< > $@.tmp && mv $@.tmp $@
