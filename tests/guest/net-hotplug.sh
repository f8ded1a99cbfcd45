#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-hotplug.sh: PCIe native hot-plug of NICs with the Debian
# guest — pcie-root-port slots, "netdev_add" + "device_add" over the
# monitor, the guest's kernel finds the NIC behind the port and gets a
# DHCP lease and a ping through it; "device_del" asks the guest to let go
# (attention button) and the NIC is gone once it powered the slot off;
# the slot takes another NIC (e1000) afterwards; bad input gives one-line
# errors and the engine never waits for the guest.
#
# The guest's /init runs with vmkit.pciehp=1: Debian's riscv64 kernel has
# no CONFIG_HOTPLUG_PCI, so /init answers the slot from user space through
# the ports' configuration space the way pciehp would (tools/guest-init).

. "$VMKIT_SRCDIR/tests/guest/guest-lib.sh"

guest_require
grep -q pciehp_loop "$VMKIT_SRCDIR/tools/guest-init" ||
    skip_all "this guest-init has no vmkit.pciehp"
gunzip -c "$IMAGES/initrd.gz" 2>/dev/null | grep -aq pciehp_loop ||
    skip_all "the cached initrd predates vmkit.pciehp (make fetch-guest)"

guest_tmp

# wait_mon COMMAND PATTERN [SECONDS]: until the command's output matches
wait_mon() {
    _n=0
    while [ $_n -lt $((${3:-30} * 2)) ]; do
        has "$(mon vm "$1")" "$2" && return 0
        sleep 0.5
        _n=$((_n + 1))
    done
    return 1
}

# --- a guest with two empty hot-plug slots and no NIC -----------------------
APPEND="vmkit.scenario=net vmkit.pciehp=1 vmkit.ifwait=180"
APPEND="$APPEND vmkit.ping=10.0.2.2 vmkit.after=shell"
start vm "$APPEND" \
    -nic none \
    -device pcie-root-port,id=rp1,chassis=1,slot=1 \
    -device pcie-root-port,id=rp2,chassis=1,slot=2,addr=5

if ! wait_log vm "scenario=pciehp status=ready ports=2" 120; then
    ok "the guest watches both hot-plug slots" false
    show_log vm 25
    done_testing
    exit 0
fi
ok "the guest watches both hot-plug slots" true

INFO=$(mon vm "info pci")
ok "info pci: the root ports with their windows and empty slots" \
    has "$INFO" "PCI bridge: PCI device 1b36:000c"
ok "info pci: rp2 at addr=5" has "$(printf '%s\n' "$INFO" |
    grep -A1 'device   5, function 0')" "1b36:000c"
ok "info pci: slots start empty and unpowered" \
    test "$(printf '%s\n' "$INFO" | grep -c 'empty, power off')" -eq 2

# --- hot-plug a virtio-net-pci NIC ----------------------------------------
ok "netdev_add user,id=n1" test -z "$(mon vm "netdev_add user,id=n1")"
ok "device_add virtio-net-pci into rp1" test -z "$(mon vm \
    "device_add virtio-net-pci,netdev=n1,bus=rp1,id=nic1,mac=52:54:00:12:34:77")"
wait_log vm "scenario=net status=" 120
ok "the guest powers the slot on and finds the NIC behind the port" \
    grep -aq "scenario=pciehp event=added port=0000:00:01.0" \
    "$TMP/vm.log"
ok "DHCP lease 10.0.2.15 from 10.0.2.2 on the hot-plugged NIC" grep -aEq \
    "step=dhcp status=pass ip=10\.0\.2\.15 router=10\.0\.2\.2" \
    "$TMP/vm.log"
ok "ping 10.0.2.2 through it" grep -aq "step=ping status=pass" \
    "$TMP/vm.log"
grep -aq "scenario=net status=pass" "$TMP/vm.log" || show_log vm 25
INFO=$(mon vm "info pci")
BUS1=$(printf '%s\n' "$INFO" | grep -A4 '^  Bus  1, device   0')
ok "info pci: nic1 on rp1's secondary bus" has "$BUS1" 'id "nic1"'
ok "info pci: its BAR decodes (the guest placed it in rp1's window)" \
    has "$BUS1" "BAR4: 64 bit prefetchable memory at 0x[0-9a-f]+ \["
ok "info network: nic1 with n1" has "$(mon vm "info network")" \
    "nic1: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:12:34:77"

# --- errors --------------------------------------------------------------
ok "device_add: an occupied slot is refused" has "$(mon vm \
    "device_add e1000,bus=rp1,id=x1")" "^Error: .*bus 'rp1' is in use by 'nic1'"
ok "device_add: unknown bus" has \
    "$(mon vm "device_add e1000,bus=nope,id=x2")" "^Error: Bus 'nope' not found"
ok "device_add: pcie.0 has no hot-plug" has \
    "$(mon vm "device_add e1000,id=x3")" "^Error: Bus 'pcie.0' does not support"
ok "device_add: netdev in use" has \
    "$(mon vm "device_add e1000,bus=rp2,netdev=n1")" "^Error: .*in use"
ok "device_add: not hot-pluggable" has \
    "$(mon vm "device_add virtio-net-device")" "^Error: .*not hot-pluggable"
ok "device_add: unknown option, nothing left behind" has \
    "$(mon vm "device_add e1000,bus=rp2,id=x4,foo=bar")" \
    "^Error: invalid parameter 'foo'"
ok "device_del: no such id" has "$(mon vm "device_del nope")" \
    "^Error: Device 'nope' not found"
ok "device_del: a root port is not hot-pluggable" has \
    "$(mon vm "device_del rp2")" "^Error: Bus 'pcie.0' does not support"
ok "netdev_add: duplicate id" has "$(mon vm "netdev_add user,id=n1")" \
    "^Error: Duplicate ID 'n1'"
ok "the refused device_add left nothing" wait_mon "info network" \
    '^nic1:.*' 5
has "$(mon vm "info network")" "x4" && ok "no x4 in info network" false

# --- hot-unplug ------------------------------------------------------------
ok "device_del nic1 returns at once" test -z "$(mon vm "device_del nic1")"
ok "the guest lets go of the slot (removes the NIC, powers it off)" \
    wait_log vm "scenario=pciehp event=removed port=0000:00:01.0" 60
ok "the engine deleted nic1" wait_mon "info network" '^n1: index=0' 30
ok "info network: only the netdev is left" test "$(mon vm "info network")" = \
    "n1: index=0,type=user,net=10.0.2.0,restrict=off"
ok "info pci: rp1 empty and off again" has "$(mon vm "info pci" |
    grep 'slot 1 ')" "empty, power off"
ok "device_del nic1 again: gone" has "$(mon vm "device_del nic1")" \
    "^Error: Device 'nic1' not found"

# --- the same slot again, with an e1000; netdev_del while in use ----------
ok "device_add e1000 into the emptied slot" test -z "$(mon vm \
    "device_add e1000,netdev=n1,bus=rp1,id=nic2")"
n=0
while [ $n -lt 50 ] && [ "$(grep -ac "event=added port=0000:00:01.0" \
    "$TMP/vm.log")" -lt 2 ]; do
    sleep 0.2
    n=$((n + 1))
done
ok "the guest finds it (a second hot-plug event for rp1)" test \
    "$(grep -ac "event=added port=0000:00:01.0" "$TMP/vm.log")" -ge 2
ok "netdev_del n1 while nic2 holds it" test -z "$(mon vm "netdev_del n1")"
ok "device_del nic2" test -z "$(mon vm "device_del nic2")"
ok "nic2 and n1 both gone" wait_mon "info network" '^$' 30
ok "netdev_del n1 again: gone" has "$(mon vm "netdev_del n1")" \
    "^Error: Device 'n1' not found"

mon vm quit >/dev/null 2>&1
wait "$VM_PID" 2>/dev/null
done_testing
