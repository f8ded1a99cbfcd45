#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-user.sh: user-mode networking (-netdev user, libslirp)
# with the Debian guest: DHCP, ping to the gateway, DNS through 10.0.2.3,
# a download from the host, a guest server reached through hostfwd, two
# NICs on hub 0, set_link off/on and "info network" over the monitor.
#
# Nothing leaves the machine: as root the test runs in its own network and
# mount namespaces (unshare -mn), where a small DNS responder listens on
# 127.0.0.1:53 and /etc/resolv.conf (bind-mounted) names it, so that
# libslirp, which forwards 10.0.2.3 to the host's first resolv.conf
# nameserver, asks it. Without namespaces the DNS check is skipped and the
# other servers use free ports on 127.0.0.1.

. "$VMKIT_SRCDIR/tests/guest/guest-lib.sh"

guest_require
"$VMKIT" -nic model=help 2>/dev/null | grep -qx virtio-net-pci ||
    skip_all "this vmkit has no virtio-net-pci NIC"

# --- a private network namespace when we can have one --------------------
guest_netns -mn "$@"
guest_tmp

# --- host-side servers ----------------------------------------------------
DNS_NAME=vmkit-test.example
DNS_ADDR=10.11.12.13
if [ -n "${VMKIT_NET_NS:-}" ]; then
    cat >"$TMP/dns.py" <<'EOF'
# A tiny DNS responder: one A record, NOERROR/empty for other types,
# NXDOMAIN for other names (RFC 1035 §4.1).
import socket, struct, sys
name, addr = sys.argv[1].lower(), socket.inet_aton(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
print("ready", flush=True)
while True:
    q, peer = s.recvfrom(512)
    if len(q) < 12:
        continue
    qid, flags, qd = struct.unpack(">HHH", q[:6])
    p, labels = 12, []
    while p < len(q) and q[p]:
        labels.append(q[p + 1:p + 1 + q[p]].decode(errors="replace"))
        p += 1 + q[p]
    p += 1
    qtype = struct.unpack(">H", q[p:p + 2])[0]
    question = q[12:p + 4]
    qname = ".".join(labels).lower()
    an = b""
    rcode = 0
    if qname == name and qtype == 1:
        an = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + addr
    elif qname != name:
        rcode = 3
    hdr = struct.pack(">HHHHHH", qid, 0x8180 | rcode, 1, 1 if an else 0, 0, 0)
    s.sendto(hdr + question + an, peer)
EOF
    python3 "$TMP/dns.py" "$DNS_NAME" "$DNS_ADDR" >"$TMP/dns.log" 2>&1 &
    PIDS="$PIDS $!"
    echo "nameserver 127.0.0.1" >"$TMP/resolv.conf"
    mount --bind "$TMP/resolv.conf" /etc/resolv.conf ||
        diag "cannot bind-mount resolv.conf"
    HTTP_PORT=8000
else
    HTTP_PORT=$(free_port)
fi

http_serve "$HTTP_PORT" 300000

# --- 1. virtio-net-pci: DHCP, ping, DNS, download --------------------------
APPEND="vmkit.scenario=net vmkit.ping=10.0.2.2"
APPEND="$APPEND vmkit.url=$(enc "http://10.0.2.2:$HTTP_PORT/blob")"
APPEND="$APPEND vmkit.sha256=$BLOB_SHA"
if [ -n "${VMKIT_NET_NS:-}" ]; then
    APPEND="$APPEND vmkit.resolve=$DNS_NAME"
fi
boot pci "$APPEND" -netdev user,id=n0 -device virtio-net-pci,netdev=n0
R=$(result pci dhcp)
ok "virtio-net-pci: DHCP lease 10.0.2.15 from 10.0.2.2, DNS 10.0.2.3" \
    has "$R" "status=pass ip=10\.0\.2\.15 router=10\.0\.2\.2 dns=10\.0\.2\.3"
ok "virtio-net-pci: ping 10.0.2.2 (slirp's gateway)" \
    has "$(result pci ping)" "status=pass"
if [ -n "${VMKIT_NET_NS:-}" ]; then
    ok "virtio-net-pci: $DNS_NAME resolves through 10.0.2.3" \
        has "$(result pci resolve)" "status=pass name=$DNS_NAME addr=$DNS_ADDR"
else
    skip "virtio-net-pci: name resolution" "needs a private netns (root)"
fi
ok "virtio-net-pci: download from the host via 10.0.2.2 (sha256)" \
    has "$(result pci download)" "status=pass bytes=300000 sha256=$BLOB_SHA"
has "$R" "status=pass" || show_log pci

# --- 2. virtio-net-device (virtio-mmio) -------------------------------------
# A ping beyond the gateway goes out through a host ICMP socket (libslirp
# opens an unprivileged "ping" socket, allowed by ping_group_range, or a
# raw one as root). Only in the private namespace, where 192.0.2.1 (a
# TEST-NET-1 address) sits on lo, so that the echo never leaves it.
PING=10.0.2.2
if [ -n "${VMKIT_NET_NS:-}" ] && ip addr add 192.0.2.1/32 dev lo; then
    # the namespace's own sysctl: let every group use ping sockets
    echo "0 2147483647" >/proc/sys/net/ipv4/ping_group_range 2>/dev/null
    PING=192.0.2.1
fi
boot mmio "vmkit.scenario=net vmkit.ping=$PING" \
    -netdev user,id=n0 -device virtio-net-device,netdev=n0
ok "virtio-net-device: DHCP lease 10.0.2.15" \
    has "$(result mmio dhcp)" "status=pass ip=10\.0\.2\.15 router=10\.0\.2\.2"
ok "virtio-net-device: ping $PING" \
    has "$(result mmio ping)" "status=pass"
has "$(result mmio dhcp)" "status=pass" || show_log mmio

# --- 3. hostfwd, set_link, info network ------------------------------------
FWD=$(free_port)
start fwd "vmkit.scenario=net vmkit.serve=8080 vmkit.blobsize=200000 vmkit.wait=600" \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$FWD-:8080" \
    -device virtio-net-pci,netdev=n0,id=nic0
if wait_log fwd "step=serve status=ready"; then
    GUEST_SHA=$(guest_sha fwd)
    ok "hostfwd: the guest's file reaches the host (sha256 matches)" \
        test "$(fetch "$FWD")" = "$GUEST_SHA"

    INFO=$(mon fwd "info network")
    ok "info network: NIC with its backend, QEMU's layout" test "$INFO" = \
        "$(printf '%s\n' \
            'nic0: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:12:34:56' \
            ' \ n0: index=0,type=user,net=10.0.2.0,restrict=off')"

    FWD2=$(free_port)
    OUT=$(mon fwd "hostfwd_add n0 tcp:127.0.0.1:$FWD2-:8080")
    ok "hostfwd_add at run time" test -z "$OUT"
    ok "hostfwd_add: the new port works" test "$(fetch "$FWD2")" = "$GUEST_SHA"
    OUT=$(mon fwd "hostfwd_add n0 tcp:127.0.0.1:$FWD2-:8080")
    ok "hostfwd_add: the same port again is refused" \
        has "$OUT" "could not set up host forwarding rule .*already forwarded"
    ok "info usernet lists the forwardings" \
        has "$(mon fwd "info usernet")" "HOST_FORWARD"
    OUT=$(mon fwd "hostfwd_remove n0 tcp:127.0.0.1:$FWD2")
    ok "hostfwd_remove" test "$OUT" = \
        "host forwarding rule for tcp:127.0.0.1:$FWD2 removed"
    ok "hostfwd_remove: the port is closed" test -z "$(fetch "$FWD2")"

    OUT=$(mon fwd "set_link nic0 off")
    ok "set_link nic0 off" test -z "$OUT"
    ok "link down: no traffic" test -z "$(fetch "$FWD")"
    mon fwd "set_link nic0 on" >/dev/null
    # the guest re-learns the link; TCP retries
    ok "set_link nic0 on: traffic again" \
        test "$(fetch_again "$FWD" "$GUEST_SHA")" = "$GUEST_SHA"
    ok "set_link: unknown name" test "$(mon fwd "set_link nope off")" = \
        "Error: Device 'nope' not found"
    mon fwd quit >/dev/null 2>&1
else
    ok "hostfwd: the guest's server came up" false
    show_log fwd
fi
wait "$VM_PID" 2>/dev/null

# --- 4. two NICs on hub 0 (legacy -net), guestfwd to a command -------------
# guestfwd=...-cmd:...: slirp runs the command for each guest connection
# to 10.0.2.100:1234, its stdin/stdout being the connection
printf '#!/bin/sh\nprintf "HTTP/1.0 200 OK\\r\\n\\r\\nguestfwd-ok\\n"\n' \
    >"$TMP/fwd.sh"
CMD='for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth1 ] && break; sleep 1; done;'
CMD="$CMD ip link set eth0 up; ip link set eth1 up;"
CMD="$CMD udhcpc -i eth0 -n -q -t 5 -s /bin/true; udhcpc -i eth1 -n -q -t 5 -s /bin/true;"
CMD="$CMD ip addr add 10.0.2.15/24 dev eth0;"
CMD="$CMD echo fwd=\$(wget -q -T 10 -O - http://10.0.2.100:1234/)"
start hub "vmkit.scenario=cmd vmkit.cmd=$(enc "$CMD") vmkit.after=shell" \
    -net nic,model=virtio-net-pci -net nic,model=virtio-net-pci \
    -net "user,guestfwd=tcp:10.0.2.100:1234-cmd:/bin/sh $TMP/fwd.sh"
wait_log hub "scenario=cmd status="
LEASES=$(grep -aEo 'lease of 10\.0\.2\.[0-9]+ obtained' "$TMP/hub.log" |
    sort -u | wc -l)
ok "hub 0: both NICs get their own DHCP lease" test "$LEASES" -eq 2
ok "guestfwd: 10.0.2.100:1234 reaches cmd:" grep -aq "fwd=guestfwd-ok" \
    "$TMP/hub.log"
INFO=$(mon hub "info network")
ok "info network: hub 0 with its ports and peers" test "$INFO" = \
    "$(printf '%s\n' 'hub 0' \
        ' \ hub0port2: #net0: index=0,type=user,net=10.0.2.0,restrict=off' \
        ' \ hub0port1: virtio-net-pci.1: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:12:34:57' \
        ' \ hub0port0: virtio-net-pci.0: index=0,type=nic,model=virtio-net-pci,macaddr=52:54:00:12:34:56')"
[ "$LEASES" -eq 2 ] || show_log hub
mon hub quit >/dev/null 2>&1
wait "$VM_PID" 2>/dev/null

done_testing
