#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/daemon/bridge.sh: vmd as root makes the TAPs of bridged and
# ethernet interfaces (TAP).
#
# Everything runs inside the network namespace vmkit-br-PID (deleted on
# exit): its dbus-daemon, vmd, the engines, a bridge br0 with 10.8.0.1/24.
# Two Debian guests with <interface type='bridge'><source bridge='br0'/>
# ping each other and the bridge's address, the namespace pings them;
# domiflist and the live XML name their TAPs, which are gone after destroy.
# Bare machines (no guest) check type='ethernet': managed TAPs are created
# and removed, managed='no' uses an existing one and leaves it.
. "$VMKIT_SRCDIR/tests/daemon/hub-common.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (network namespace, TAPs)"
command -v ip >/dev/null 2>&1 || skip_all "no ip (iproute2)"
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"

NS="vmkit-br-$$"
bridge_cleanup() {
    hub_cleanup
    ip netns del "$NS" 2>/dev/null
}
trap bridge_cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" 2>/dev/null || skip_all "ip netns unavailable"
NS_EXEC="ip netns exec $NS"
ns() { ip netns exec "$NS" "$@"; }
ns ip link set lo up
ns ip link add br0 type bridge || skip_all "cannot create a bridge"
ns ip addr add 10.8.0.1/24 dev br0
ns ip link set br0 up

start_bus
start_vmd

# taps NAME...: the namespace's interfaces of kind tun
taps() { ns ip -o link show type tun 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//'; }
# gone NAME: the interface disappears within 5 s
gone() {
    _i=0
    while ns ip link show "$1" >/dev/null 2>&1; do
        [ $_i -ge 50 ] && { diag "$1 still exists"; return 1; }
        sleep 0.1
        _i=$((_i + 1))
    done
}

guest_xml b1 1 "vmkit.scenario=net vmkit.static=10.8.0.11/24 vmkit.ping=10.8.0.12 vmkit.pingcount=15 vmkit.after=shell" \
    "<interface type='bridge'><mac address='52:54:00:08:00:01'/><source bridge='br0'/></interface>"
guest_xml b2 2 "vmkit.scenario=net vmkit.static=10.8.0.12/24 vmkit.ping=10.8.0.1 vmkit.pingcount=15 vmkit.after=shell" \
    "<interface type='bridge'><mac address='52:54:00:08:00:02'/><source bridge='br0'/><target dev='vmkbr2'/><model type='e1000'/></interface>"
vmctl define "$T/b1.xml" >/dev/null
vmctl define "$T/b2.xml" >/dev/null

ok "start b1 (bridge, TAP named by vmd)" eval "run 0 vmctl start b1"
ok "start b2 (bridge, <target dev='vmkbr2'/>)" eval "run 0 vmctl start b2"
TAP1=$(vmctl domiflist b1 | awk '$2 == "bridge" { print $1 }')
ok "domiflist: b1's TAP is vnetN" eval "case \"\$TAP1\" in vnet[0-9]*) true ;; *) diag \"got '\$TAP1'\"; false ;; esac"
ok "domiflist: b2's TAP is vmkbr2" eval "run 0 vmctl domiflist b2 && has '^ vmkbr2  *bridge  *br0  *e1000'"
ok "live XML: <target dev=...>" eval "run 0 vmctl dumpxml b1 && has \"<target dev='\$TAP1'/>\""
ok "inactive XML: no target" eval "run 0 vmctl dumpxml --inactive b1 && ! grep -q '<target dev=' \"\$T/out\""
ok "both TAPs are ports of br0, up, MAC fe:..., bridge MTU" eval "
    ns ip -o link show master br0 >\"\$T/out\" && has \"\$TAP1\" && has 'vmkbr2' &&
    ns ip -o link show vmkbr2 >\"\$T/out\" && has 'mtu 1500' && has 'link/ether fe:54:00:08:00:02' &&
    has 'state UP\\|UP,LOWER_UP\\|,UP'"
ok "b1 pings b2 over br0" wait_result b1 'step=ping status=pass'
ok "b2 pings the bridge's address 10.8.0.1" wait_result b2 'step=ping status=pass'
# icmp_ping ADDR: one ICMP echo from the namespace, answered within 5 s
# (python3 and a raw socket: ping(8) may be missing)
icmp_ping() {
    ns python3 - "$1" <<'EOF'
import os, socket, struct, sys, time
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident = os.getpid() & 0xffff
body = b"vmkit-bridge-tests"
hdr = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + body), ident, 1) + body
end = time.time() + 5
while time.time() < end:
    s.sendto(pkt, (sys.argv[1], 0))
    s.settimeout(1)
    try:
        while True:
            data, addr = s.recvfrom(2048)
            ihl = (data[0] & 15) * 4
            t, _, _, i, _ = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if addr[0] == sys.argv[1] and t == 0 and i == ident:
                sys.exit(0)
    except socket.timeout:
        pass
sys.exit(1)
EOF
}
ok "the namespace pings b1 and b2" eval "icmp_ping 10.8.0.11 && icmp_ping 10.8.0.12"
ok "destroy b1, b2" eval "run 0 vmctl destroy b1 && run 0 vmctl destroy b2"
ok "no TAP is left" eval "gone \"\$TAP1\" && gone vmkbr2 && [ -z \"\$(taps)\" ]"

# type='ethernet' on bare machines (-bios none: nothing boots, no guest)
bare_xml() {
    cat >"$T/$1.xml" <<EOF
<domain type='vmkit'><name>$1</name><memory unit='MiB'>64</memory>
<os><type arch='riscv64' machine='virt'>hvm</type><loader>none</loader></os>
<devices>$2</devices></domain>
EOF
    vmctl define "$T/$1.xml" >/dev/null
}
bare_xml e1 "<interface type='ethernet'><target dev='vmkman'/></interface>"
bare_xml e2 "<interface type='ethernet'><target dev='vmkpre' managed='no'/></interface>"
bare_xml e3 "<interface type='ethernet'><target dev='vmkabsent' managed='no'/></interface>"
bare_xml e4 "<interface type='bridge'><source bridge='nobr0'/></interface>"
ns ip tuntap add dev vmkpre mode tap
ok "ethernet, managed: vmd creates the TAP" eval "run 0 vmctl start e1 && ns ip link show vmkman >/dev/null &&
    run 0 vmctl domiflist e1 && has '^ vmkman  *ethernet'"
ok "ethernet, managed: removed after destroy" eval "run 0 vmctl destroy e1 && gone vmkman"
ok "ethernet, managed='no': the existing TAP" eval "run 0 vmctl start e2 && run 0 vmctl domiflist e2 && has '^ vmkpre  *ethernet'"
ok "ethernet, managed='no': still there after destroy" eval "run 0 vmctl destroy e2 && sleep 0.5 && ns ip link show vmkpre >/dev/null"
ok "ethernet, managed='no': a missing TAP fails clearly" eval "run 1 vmctl start e3 && has -e \"TAP device 'vmkabsent' does not exist\" &&
    ! ns ip link show vmkabsent >/dev/null 2>&1"
ok "bridge: a missing bridge fails clearly" eval "run 1 vmctl start e4 && has -e \"bridge 'nobr0' does not exist\""
ok "managed TAP name taken: refused" eval "ns ip link set vmkpre name vmkman && run 1 vmctl start e1 && has -e \"'vmkman' already exists\""
ns ip link del vmkman 2>/dev/null
done_testing
