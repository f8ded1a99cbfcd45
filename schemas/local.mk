# SPDX-License-Identifier: GPL-2.0-or-later
# schemas/local.mk: build fragment (included from the top Makefile.am).
# RelaxNG schemas (read by vmd at run time) and the D-Bus introspection XML.

schemasdir = $(pkgdatadir)/schemas
dist_schemas_DATA = schemas/domain.rng schemas/domain-device.rng

dbusinterfacesdir = $(datadir)/dbus-1/interfaces
dist_dbusinterfaces_DATA = schemas/dbus/org.vmkit.Vmd1.xml \
	schemas/dbus/org.vmkit.Engine1.xml
