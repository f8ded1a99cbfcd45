# SPDX-License-Identifier: GPL-2.0-or-later
# man/local.mk: the manual pages of vmkit, vmctl, vmd and the bridge helper,
# made from man/*.in with the configured paths and version.
MAN_IN_FILES = \
	man/vmkit.1.in \
	man/vmctl.1.in \
	man/vmd.8.in \
	man/vmkit-bridge-helper.8.in
nodist_man_MANS = \
	man/vmkit.1 \
	man/vmctl.1 \
	man/vmd.8 \
	man/vmkit-bridge-helper.8
EXTRA_DIST += $(MAN_IN_FILES)
CLEANFILES += $(nodist_man_MANS)

man_edit = $(SED) \
	-e 's|@VERSION[@]|$(VERSION)|g' \
	-e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@libexecdir[@]|$(libexecdir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@localstatedir[@]|$(localstatedir)|g' \
	-e 's|@datadir[@]|$(datadir)|g' \
	-e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	-e 's|@docdir[@]|$(docdir)|g' \
	-e 's|@dbus_sys_dir[@]|$(dbus_sys_dir)|g'

man/%.1: man/%.1.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(man_edit) $< > $@.tmp && mv $@.tmp $@
man/%.8: man/%.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) man && $(man_edit) $< > $@.tmp && mv $@.tmp $@
