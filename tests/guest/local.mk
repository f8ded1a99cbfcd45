# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/local.mk: build fragment (included from the top Makefile.am).
# The guest cache check: tools/fetch-guest makes a complete, well-formed
# cache and reuses it (the boot tests live next to the engine they boot).
TESTS += tests/guest/fetch.sh
EXTRA_DIST += tests/guest/fetch.sh tools/fetch-guest tools/guest-init

# guest boot tests (the lead's): Linux, U-Boot, reboot, monitor, bad input
TESTS += tests/guest/boot.sh
EXTRA_DIST += tests/guest/boot.sh tests/guest/console.py

# helpers the Debian-guest network tests source (net-user, net-hotplug,
# net-e1000)
EXTRA_DIST += tests/guest/guest-lib.sh

include tests/guest/net.mk
include tests/guest/net-be.mk
include tests/guest/e1000.mk
