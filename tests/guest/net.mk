# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net.mk: guest network tests — the Debian guest on user-mode
# networking (DHCP, ping, DNS, download, hostfwd, hubs, set_link, "info
# network") and U-Boot's dhcp/ping/tftpboot on vmkit's NICs. Each skips
# when the guest cache, python3 or the NIC model is missing.
TESTS += tests/guest/net-user.sh tests/guest/uboot-net.sh
EXTRA_DIST += tests/guest/net-user.sh tests/guest/uboot-net.sh
# PCIe hot-plug: root ports, netdev_add/device_add/device_del
TESTS += tests/guest/net-hotplug.sh
EXTRA_DIST += tests/guest/net-hotplug.sh
