# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/e1000.mk: the e1000 NIC with real drivers — Debian's Linux
# (DHCP, ping, download, upload through hostfwd, set_link) and U-Boot
# (dhcp, tftpboot, crc32) over user-mode networking; skips without the
# guest cache, python3, the e1000 model or user networking.
TESTS += tests/guest/net-e1000.sh
EXTRA_DIST += tests/guest/net-e1000.sh
