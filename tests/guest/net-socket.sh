#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-socket.sh: Debian guests talking over the socket-family
# backends — two vmkit guests over -netdev socket listen=/connect=,
# mcast=, udp=, and -netdev dgram; a vmkit guest and a QEMU guest over
# -netdev socket and -netdev stream, each side listening in turn; a hub
# joining a user backend, a socket backend and two NICs. In each pair one
# guest serves a random blob over HTTP (vmkit.serve) and the other pings
# it and downloads the blob, checking the sha256 the server printed.
. "$VMKIT_SRCDIR/tests/guest/guest-lib.sh"

guest_require
guest_tmp
T=$TMP
IMG=$IMAGES
QEMU=$(command -v qemu-system-riscv64 2>/dev/null)

BLOB=262144     # bytes the server guest serves
TMO=300         # seconds any one VM may run

# vm NAME APPEND ARGS...: a vmkit guest in the background, console in
# $T/NAME.log
vm() {
    name=$1 app=$2; shift 2
    # a fresh log now: wait_log must not read the last guest's
    : >"$T/$name.log"
    timeout "$TMO" "$VMKIT" -M virt -m 512M -nographic \
        -kernel "$IMG/Image" -initrd "$IMG/initrd.gz" \
        -append "console=ttyS0 vmkit.scenario=net $app" "$@" \
        </dev/null >"$T/$name.log" 2>&1 &
    PIDS="$PIDS $!"
    eval "PID_$name=$!"
}

# qvm NAME APPEND ARGS...: the same guest on QEMU (Debian's OpenSBI as
# -bios; no option ROM for the NIC: efi-virtio.rom is not installed)
qvm() {
    name=$1 app=$2; shift 2
    # a fresh log now: wait_log must not read the last guest's
    : >"$T/$name.log"
    timeout "$TMO" "$QEMU" -M virt -m 512M -nographic \
        -bios "$IMG/fw_dynamic.bin" \
        -kernel "$IMG/Image" -initrd "$IMG/initrd.gz" \
        -append "console=ttyS0 vmkit.scenario=net $app" "$@" \
        </dev/null >"$T/$name.log" 2>&1 &
    PIDS="$PIDS $!"
    eval "PID_$name=$!"
}

# wait_log NAME REGEX: until the console shows REGEX (or the VM is gone,
# or TMO); prints the matching line
wait_log() {
    i=0
    while [ $i -lt $((TMO * 2)) ]; do
        if grep -a -m1 -E "$2" "$T/$1.log" 2>/dev/null; then
            return 0
        fi
        eval "p=\$PID_$1"
        kill -0 "$p" 2>/dev/null || break
        sleep 0.5
        i=$((i + 1))
    done
    grep -a -m1 -E "$2" "$T/$1.log" 2>/dev/null
}

# okr NAME CMD...: ok, and CMD's status as ours
okr() {
    _okr=$1; shift
    if "$@"; then
        ok "$_okr" true
    else
        ok "$_okr" false
        return 1
    fi
}

stop() { # stop NAME: ends a VM (a serving guest waits long)
    eval "p=\$PID_$1"
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
}

show() { # show NAME: the end of a console log as TAP comments
    diag "--- $1:"
    tail -n 15 "$T/$1.log" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
}

# pair DESC SERVER-KIND CLIENT-KIND SERVER-NET CLIENT-NET
#   KIND is vm or qvm; NET the netdev options (the NIC is added here).
#   The server (10.9.0.1) starts first and serves; once it is ready the
#   client (10.9.0.2) pings it and downloads the blob.
pair() {
    desc=$1 skind=$2 ckind=$3 snet=$4 cnet=$5
    $skind srv "vmkit.static=10.9.0.1/24 vmkit.serve=8080 vmkit.blobsize=$BLOB vmkit.wait=$TMO" \
        -netdev "$snet" -device virtio-net-pci,netdev=n0,romfile=,mac=52:54:00:00:09:01
    line=$(wait_log srv 'step=serve status=ready')
    sum=$(echo "$line" | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p')
    if [ -z "$sum" ]; then
        ok "$desc: the serving guest is ready" false
        show srv
        stop srv
        return
    fi
    $ckind cli "vmkit.static=10.9.0.2/24 vmkit.ping=10.9.0.1 vmkit.url=http://10.9.0.1:8080/blob vmkit.sha256=$sum" \
        -netdev "$cnet" -device virtio-net-pci,netdev=n0,romfile=,mac=52:54:00:00:09:02
    wait_log cli 'VMKIT-RESULT scenario=net status=' >/dev/null
    stop cli
    stop srv
    if okr "$desc: ping" grep -q -a 'step=ping status=pass' "$T/cli.log" &&
        okr "$desc: blob download, sha256 checked" \
            grep -q -a "step=download status=pass bytes=$BLOB sha256=$sum" "$T/cli.log"
    then :; else
        show srv
        show cli
    fi
}

# vmkit's NIC options take romfile= like QEMU's (ignored)
P1=$(free_port tcp)
pair "vmkit-vmkit socket listen/connect" vm vm \
    "socket,id=n0,listen=127.0.0.1:$P1" "socket,id=n0,connect=127.0.0.1:$P1"

P2=$(free_port udp)
pair "vmkit-vmkit socket mcast" vm vm \
    "socket,id=n0,mcast=230.0.0.1:$P2,localaddr=127.0.0.1" \
    "socket,id=n0,mcast=230.0.0.1:$P2,localaddr=127.0.0.1"

P3=$(free_port udp) P4=$(free_port udp)
pair "vmkit-vmkit socket udp" vm vm \
    "socket,id=n0,udp=127.0.0.1:$P4,localaddr=127.0.0.1:$P3" \
    "socket,id=n0,udp=127.0.0.1:$P3,localaddr=127.0.0.1:$P4"

pair "vmkit-vmkit dgram unix" vm vm \
    "dgram,id=n0,local.type=unix,local.path=$T/d1.sock,remote.type=unix,remote.path=$T/d2.sock" \
    "dgram,id=n0,local.type=unix,local.path=$T/d2.sock,remote.type=unix,remote.path=$T/d1.sock"

P5=$(free_port tcp)
pair "vmkit-vmkit stream reconnect" vm vm \
    "stream,id=n0,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=$P5" \
    "stream,id=n0,addr.type=inet,addr.host=127.0.0.1,addr.port=$P5,reconnect=1"

if [ -n "$QEMU" ] && [ -f "$IMG/fw_dynamic.bin" ]; then
    P=$(free_port tcp)
    pair "vmkit listens, QEMU connects (-netdev socket)" vm qvm \
        "socket,id=n0,listen=127.0.0.1:$P" "socket,id=n0,connect=127.0.0.1:$P"
    P=$(free_port tcp)
    pair "QEMU listens, vmkit connects (-netdev socket)" qvm vm \
        "socket,id=n0,listen=127.0.0.1:$P" "socket,id=n0,connect=127.0.0.1:$P"
    P=$(free_port tcp)
    pair "vmkit server, QEMU client (-netdev stream)" vm qvm \
        "stream,id=n0,server=on,addr.type=inet,addr.host=127.0.0.1,addr.port=$P" \
        "stream,id=n0,server=off,addr.type=inet,addr.host=127.0.0.1,addr.port=$P"
    pair "QEMU server, vmkit client (-netdev stream, unix)" qvm vm \
        "stream,id=n0,server=on,addr.type=unix,addr.path=$T/q.sock" \
        "stream,id=n0,server=off,addr.type=unix,addr.path=$T/q.sock,reconnect=1"
    P=$(free_port udp)
    pair "vmkit and QEMU on one multicast group" vm qvm \
        "socket,id=n0,mcast=230.0.0.1:$P,localaddr=127.0.0.1" \
        "socket,id=n0,mcast=230.0.0.1:$P,localaddr=127.0.0.1"
else
    for d in "socket: vmkit listens" "socket: QEMU listens" \
        "stream: vmkit server" "stream: QEMU server" "mcast with QEMU"; do
        skip "$d" "no qemu-system-riscv64 (or no fw_dynamic.bin)"
    done
fi

# A hub: guest A has the user backend (DHCP, gateway 10.0.2.2), a socket
# backend and two NICs on hub 0; guest B, on the far end of the socket,
# gets its lease from A's user backend through the hub, pings the gateway
# and downloads a blob from an HTTP server on the host's loopback (the
# user backend's 10.0.2.2). Guest to guest TCP is not tried: the user
# backend on the hub answers every TCP connection too, as in QEMU.
mkdir -p "$T/www"
head -c "$BLOB" /dev/urandom >"$T/www/blob"
hsum=$(sha256sum "$T/www/blob" | cut -d' ' -f1)
(cd "$T/www" && exec python3 -c 'import http.server, socketserver, sys
class Q(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
s = socketserver.TCPServer(("127.0.0.1", 0), Q)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()' "$T/http.port") &
PIDS="$PIDS $!"
i=0
while [ ! -s "$T/http.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
HPORT=$(cat "$T/http.port")
P6=$(free_port tcp)
vm hubA "vmkit.ping=10.0.2.2 vmkit.serve=8080 vmkit.wait=$TMO" \
    -netdev user,id=u0 -netdev hubport,id=hp0,hubid=0,netdev=u0 \
    -netdev socket,id=s0,listen=127.0.0.1:$P6 \
    -netdev hubport,id=hp1,hubid=0,netdev=s0 \
    -netdev hubport,id=hp2,hubid=0 -device virtio-net-pci,netdev=hp2 \
    -netdev hubport,id=hp3,hubid=0 -device virtio-net-pci,netdev=hp3
wait_log hubA 'step=serve status=ready' >/dev/null
vm hubB "vmkit.ping=10.0.2.2 vmkit.url=http://10.0.2.2:$HPORT/blob vmkit.sha256=$hsum" \
    -netdev socket,id=n0,connect=127.0.0.1:$P6 \
    -device virtio-net-pci,netdev=n0,mac=52:54:00:00:09:03
wait_log hubB 'VMKIT-RESULT scenario=net status=' >/dev/null
stop hubB
stop hubA
okr "hub: guest A (user + socket + 2 NICs) gets a lease and pings" \
    grep -q -a 'step=ping status=pass addr=10.0.2.2' "$T/hubA.log" || show hubA
okr "hub: guest B gets a lease through the hub and the socket" \
    grep -q -a 'step=dhcp status=pass' "$T/hubB.log" || show hubB
ok "hub: guest B pings the user backend's gateway" \
    grep -q -a 'step=ping status=pass addr=10.0.2.2' "$T/hubB.log"
okr "hub: guest B downloads from the host through the hub" \
    grep -q -a "step=download status=pass bytes=$BLOB sha256=$hsum" "$T/hubB.log" ||
    { show hubA; show hubB; }

# ---- bad input: one line, exit 1 ----------------------------------------
bad() { # bad NAME PATTERN NETDEV
    "$VMKIT" -M virt -m 64M -nographic -kernel "$IMG/Image" -netdev "$3" \
        -device virtio-net-pci,netdev=n0 </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -ne 1 ] || [ "$(wc -l <"$T/err")" -ne 1 ] ||
        ! grep -q -- "$2" "$T/err"; then
        diag "$1: exit status $rc, stderr:"
        sed 's/^/#   /' "$T/err"
        return 1
    fi
}
ok "mcast= with a unicast address is refused" \
    bad mcast "specified mcastaddr 10.0.0.1 (0x0a000001) does not contain a multicast address" \
    "socket,id=n0,mcast=10.0.0.1:5000"
ok "udp= without localaddr= is refused" \
    bad udp "localaddr= is mandatory with udp=" "socket,id=n0,udp=127.0.0.1:5000"
# a port held by another process
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1]); sys.stdout.flush(); time.sleep(60)' >"$T/held" &
HOLD=$!
PIDS="$PIDS $HOLD"
i=0
while [ ! -s "$T/held" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
ok "a port in use is refused" \
    bad busy "can't bind ip=127.0.0.1 to socket: Address already in use" \
    "socket,id=n0,listen=127.0.0.1:$(cat "$T/held")"
kill $HOLD 2>/dev/null

done_testing
