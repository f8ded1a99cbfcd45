# SPDX-License-Identifier: GPL-2.0-or-later
# tests/client/local.mk: vmctl against a vmd on a private dbus-daemon, the
# French catalog, the bash completion and the manual pages.
TESTS += \
	tests/client/vmctl.sh \
	tests/client/man.sh
EXTRA_DIST += \
	tests/client/vmctl.sh \
	tests/client/man.sh \
	tests/client/demo.xml
