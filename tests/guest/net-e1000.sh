#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-e1000.sh: the e1000 (82540EM) with real drivers over
# user-mode networking — Debian's Linux e1000 driver: DHCP lease, ping to
# the gateway, a download from the host checked by sha256; a 1 MiB upload
# from the guest through hostfwd (the guest transmits with TCP
# segmentation and checksum offload), "info network", set_link off/on;
# U-Boot's e1000 driver: dhcp, tftpboot and crc32 against the host's.
# The DHCP lease time on e1000 and on virtio-net-pci is reported as a
# diagnostic (benchmarks never assert on time).
#
# Nothing leaves the machine: servers listen on 127.0.0.1 and the guest
# reaches them as 10.0.2.2 through slirp; as root the test runs in its own
# network namespace (unshare -n).

. "$VMKIT_SRCDIR/tests/lib.sh"

VMKIT=${VMKIT:-$VMKIT_BUILDDIR/engine/vmkit}
IMAGES=$(guest_cache)/images
TIMEOUT=${VMKIT_NET_TIMEOUT:-240}

[ -r "$IMAGES/Image" ] && [ -r "$IMAGES/initrd.gz" ] ||
    skip_all "no guest images in $IMAGES (make fetch-guest)"
[ -x "$VMKIT" ] || skip_all "no vmkit binary at $VMKIT"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
"$VMKIT" -nic model=help 2>/dev/null | grep -qx e1000 ||
    skip_all "this vmkit has no e1000 NIC"
"$VMKIT" -netdev help 2>/dev/null | grep -qx user ||
    skip_all "this vmkit has no user-mode networking"

if [ -z "${VMKIT_NET_NS:-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -n true 2>/dev/null; then
    VMKIT_NET_NS=1 exec unshare -n -- "${SHELL:-/bin/sh}" "$0" "$@"
fi
if [ -n "${VMKIT_NET_NS:-}" ]; then
    ip link set lo up || skip_all "cannot bring up lo in the namespace"
fi

TMP=$(mktemp -d)
PIDS=""
cleanup() {
    for p in $PIDS; do
        kill "$p" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

enc() { # the guest /init percent-decodes vmkit.* values
    printf '%s' "$1" | sed -e 's/%/%25/g' -e 's/ /%20/g'
}

has() {
    printf '%s\n' "$1" | grep -Eq -- "$2"
}

# ---- a web server on the host's loopback ----------------------------------
HTTP_PORT=$(free_port)
mkdir -p "$TMP/www" "$TMP/tftp"
head -c 1048576 /dev/urandom >"$TMP/www/blob"
BLOB_SHA=$(sha256sum "$TMP/www/blob" | cut -d' ' -f1)
python3 -m http.server --bind 127.0.0.1 --directory "$TMP/www" "$HTTP_PORT" \
    >"$TMP/http.log" 2>&1 &
PIDS="$PIDS $!"
i=0
while [ $i -lt 50 ] && ! python3 -c "import urllib.request as u
u.urlopen('http://127.0.0.1:$HTTP_PORT/blob', timeout=1).read()" 2>/dev/null
do
    sleep 0.2
    i=$((i + 1))
done

# run.py LOG -- CMD...: runs a VM with its console on stdout, keeps the
# transcript with each line's time since the start ("  12.345 text")
cat >"$TMP/run.py" <<'EOF'
import subprocess, sys, time
log = open(sys.argv[1], "w")
t0 = time.monotonic()
p = subprocess.Popen(sys.argv[3:], stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
for line in p.stdout:
    text = line.decode(errors="replace").rstrip("\r\n")
    log.write("%8.3f %s\n" % (time.monotonic() - t0, text))
    log.flush()
sys.exit(p.wait())
EOF

# lease_time LOG: seconds from "udhcpc: started" to "lease ... obtained"
lease_time() {
    awk '/udhcpc: started/ && !s { s = $1 }
         /udhcpc: lease of/ && s && !l { l = $1 }
         END { if (s && l) printf "%.3f", l - s; else print "none" }' "$1"
}

result() { # result LOG STEP
    grep -a "VMKIT-RESULT scenario=net step=$2 " "$1" | tail -n 1
}

linux_net() { # linux_net NAME NIC-MODEL
    timeout "$TIMEOUT" python3 "$TMP/run.py" "$TMP/$1.log" -- \
        "$VMKIT" -M virt -m 512M -nographic \
        -kernel "$IMAGES/Image" -initrd "$IMAGES/initrd.gz" \
        -append "console=ttyS0 vmkit.scenario=net vmkit.ping=10.0.2.2 vmkit.url=$(enc "http://10.0.2.2:$HTTP_PORT/blob") vmkit.sha256=$BLOB_SHA" \
        -netdev user,id=n0 -device "$2,netdev=n0"
}

show_log() {
    diag "--- $1 (tail)"
    tail -n 15 "$TMP/$1.log" 2>/dev/null | sed 's/^/#   /'
}

# ---- 1. Linux: DHCP, ping, download -----------------------------------------
linux_net e1000 e1000
R=$(result "$TMP/e1000.log" dhcp)
ok "Linux e1000: DHCP lease 10.0.2.15 from 10.0.2.2" \
    has "$R" "status=pass ip=10\.0\.2\.15 router=10\.0\.2\.2"
ok "Linux e1000: ping 10.0.2.2" \
    has "$(result "$TMP/e1000.log" ping)" "status=pass addr=10\.0\.2\.2"
ok "Linux e1000: 1 MiB download from the host, sha256 matches" \
    has "$(result "$TMP/e1000.log" download)" \
    "status=pass bytes=1048576 sha256=$BLOB_SHA"
ok "Linux e1000: the scenario passes and the guest powers off" \
    grep -aq "VMKIT-RESULT scenario=net status=pass" "$TMP/e1000.log"
has "$R" "status=pass" || show_log e1000

# the lease time against virtio-net-pci: QEMU 7.2's e1000 holds back
# received frames for a second after every RCTL write; this one must not
E1000_LEASE=$(lease_time "$TMP/e1000.log")
if "$VMKIT" -nic model=help 2>/dev/null | grep -qx virtio-net-pci; then
    linux_net virtio virtio-net-pci
    VIRTIO_LEASE=$(lease_time "$TMP/virtio.log")
else
    VIRTIO_LEASE="n/a"
fi
diag "DHCP lease time (udhcpc start -> lease): e1000 ${E1000_LEASE} s," \
    "virtio-net-pci ${VIRTIO_LEASE} s"

# ---- 2. the guest sends: hostfwd, info network, set_link -------------------
FWD=$(free_port)
timeout "$TIMEOUT" "$VMKIT" -M virt -m 512M -display none \
    -serial "file:$TMP/serve.log" \
    -monitor "unix:$TMP/serve.mon,server,nowait" \
    -kernel "$IMAGES/Image" -initrd "$IMAGES/initrd.gz" \
    -append "console=ttyS0 vmkit.scenario=net vmkit.serve=8080 vmkit.blobsize=1048576 vmkit.wait=120" \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$FWD-:8080" \
    -device e1000,netdev=n0,id=nic0 >"$TMP/serve.out" 2>&1 &
VM=$!
PIDS="$PIDS $VM"

mon() { # mon COMMAND: one monitor command, its output
    python3 - "$TMP/serve.mon" "$1" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
for _ in range(100):
    try:
        s.connect(sys.argv[1])
        break
    except OSError:
        time.sleep(0.1)
s.settimeout(10)
buf = b""
def until(tok):
    global buf
    while tok not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    out, _, buf = buf.partition(tok)
    return out
until(b"(vmkit) ")
s.sendall(sys.argv[2].encode() + b"\r\n")
out = until(b"(vmkit) ").decode(errors="replace").replace("\r\n", "\n")
sys.stdout.write(out.partition("\n")[2])
EOF
}

fetch() { # sha256 of the guest's /blob through hostfwd, "" on failure
    python3 - "$FWD" <<'EOF' 2>/dev/null
import hashlib, sys, urllib.request
d = urllib.request.urlopen("http://127.0.0.1:%s/blob" % sys.argv[1],
                           timeout=5).read()
print(hashlib.sha256(d).hexdigest())
EOF
}

n=0
while [ $n -lt 600 ] && ! grep -aq "step=serve status=" "$TMP/serve.log" 2>/dev/null; do
    sleep 0.2
    n=$((n + 1))
done
READY=$(grep -a "step=serve status=" "$TMP/serve.log" | tail -n 1)
if has "$READY" "status=ready"; then
    GUEST_SHA=$(printf '%s\n' "$READY" | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p')
    ok "guest upload: 1 MiB from the guest's httpd through hostfwd (sha256)" \
        test "$(fetch)" = "$GUEST_SHA"
    ok "info network: the e1000 with its backend" test "$(mon "info network")" = \
        "$(printf '%s\n' \
            'nic0: index=0,type=nic,model=e1000,macaddr=52:54:00:12:34:56' \
            ' \ n0: index=0,type=user,net=10.0.2.0,restrict=off')"
    mon "set_link nic0 off" >/dev/null
    ok "set_link nic0 off: no traffic" test -z "$(fetch)"
    mon "set_link nic0 on" >/dev/null
    n=0
    got=""
    while [ $n -lt 10 ] && [ "$got" != "$GUEST_SHA" ]; do
        got=$(fetch)
        n=$((n + 1))
    done
    ok "set_link nic0 on: the driver sees the link again, traffic flows" \
        test "$got" = "$GUEST_SHA"
    mon quit >/dev/null 2>&1
else
    ok "guest upload: the guest's server came up" false
    show_log serve
fi
wait "$VM" 2>/dev/null

# ---- 3. U-Boot: dhcp, tftpboot, crc32 ----------------------------------------
if [ -r "$IMAGES/u-boot.bin" ]; then
    head -c 2097152 /dev/urandom >"$TMP/tftp/image.bin"
    CRC=$(python3 -c "import sys, zlib
print('%08x' % zlib.crc32(open(sys.argv[1], 'rb').read()))" "$TMP/tftp/image.bin")
    python3 "$VMKIT_SRCDIR/tests/guest/console.py" --timeout "$TIMEOUT" \
        --log "$TMP/uboot.log" \
        'expect:Hit any key to stop autoboot;;send: ;;expect:=> ;;send:setenv autoload no\n;;expect:=> ;;send:dhcp\n;;expect:DHCP client bound to address 10\.0\.2\.15;;expect:=> ;;send:tftpboot ${kernel_addr_r} image.bin\n;;expect:Bytes transferred = 2097152;;expect:=> ;;send:crc32 ${kernel_addr_r} ${filesize}\n;;expect:==> '"$CRC"';;expect:=> ;;send:poweroff\n;;exit:0' -- \
        "$VMKIT" -M virt -m 256M -nographic -kernel "$IMAGES/u-boot.bin" \
        -netdev "user,id=n0,tftp=$TMP/tftp" -device e1000,netdev=n0 \
        >"$TMP/uboot.out" 2>&1
    RC=$?
    ok "U-Boot e1000: dhcp 10.0.2.15, tftpboot 2 MiB, crc32 $CRC" test $RC -eq 0
    if [ $RC -ne 0 ]; then
        sed 's/^/#   /' "$TMP/uboot.out"
        diag "--- U-Boot (tail)"
        tail -n 15 "$TMP/uboot.log" | tr -d '\r' | sed 's/^/#   /'
    fi
else
    skip "U-Boot e1000: dhcp, tftpboot, crc32" "no u-boot.bin in $IMAGES"
fi

done_testing
