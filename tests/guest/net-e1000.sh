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

. "$VMKIT_SRCDIR/tests/guest/guest-lib.sh"

GUEST_MEM=512M
guest_require
"$VMKIT" -nic model=help 2>/dev/null | grep -qx e1000 ||
    skip_all "this vmkit has no e1000 NIC"
"$VMKIT" -netdev help 2>/dev/null | grep -qx user ||
    skip_all "this vmkit has no user-mode networking"

guest_netns -n "$@"
guest_tmp

# ---- a web server on the host's loopback ----------------------------------
HTTP_PORT=$(free_port)
http_serve "$HTTP_PORT" 1048576
mkdir -p "$TMP/tftp"

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

linux_net() { # linux_net NAME NIC-MODEL
    timeout "$BOOT_TIMEOUT" python3 "$TMP/run.py" "$TMP/$1.log" -- \
        "$VMKIT" -M virt -m "$GUEST_MEM" -nographic \
        -kernel "$IMAGES/Image" -initrd "$IMAGES/initrd.gz" \
        -append "console=ttyS0 vmkit.scenario=net vmkit.ping=10.0.2.2 vmkit.url=$(enc "http://10.0.2.2:$HTTP_PORT/blob") vmkit.sha256=$BLOB_SHA" \
        -netdev user,id=n0 -device "$2,netdev=n0"
}

# ---- 1. Linux: DHCP, ping, download -----------------------------------------
linux_net e1000 e1000
R=$(result e1000 dhcp)
ok "Linux e1000: DHCP lease 10.0.2.15 from 10.0.2.2" \
    has "$R" "status=pass ip=10\.0\.2\.15 router=10\.0\.2\.2"
ok "Linux e1000: ping 10.0.2.2" \
    has "$(result e1000 ping)" "status=pass addr=10\.0\.2\.2"
ok "Linux e1000: 1 MiB download from the host, sha256 matches" \
    has "$(result e1000 download)" \
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
start serve "vmkit.scenario=net vmkit.serve=8080 vmkit.blobsize=1048576 vmkit.wait=120" \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$FWD-:8080" \
    -device e1000,netdev=n0,id=nic0
wait_log serve "step=serve status=" 120
READY=$(result serve serve)
if has "$READY" "status=ready"; then
    GUEST_SHA=$(guest_sha serve)
    ok "guest upload: 1 MiB from the guest's httpd through hostfwd (sha256)" \
        test "$(fetch "$FWD")" = "$GUEST_SHA"
    ok "info network: the e1000 with its backend" test "$(mon serve "info network")" = \
        "$(printf '%s\n' \
            'nic0: index=0,type=nic,model=e1000,macaddr=52:54:00:12:34:56' \
            ' \ n0: index=0,type=user,net=10.0.2.0,restrict=off')"
    mon serve "set_link nic0 off" >/dev/null
    ok "set_link nic0 off: no traffic" test -z "$(fetch "$FWD")"
    mon serve "set_link nic0 on" >/dev/null
    ok "set_link nic0 on: the driver sees the link again, traffic flows" \
        test "$(fetch_again "$FWD" "$GUEST_SHA")" = "$GUEST_SHA"
    mon serve quit >/dev/null 2>&1
else
    ok "guest upload: the guest's server came up" false
    show_log serve
fi
wait "$VM_PID" 2>/dev/null

# ---- 3. U-Boot: dhcp, tftpboot, crc32 ----------------------------------------
if [ -r "$IMAGES/u-boot.bin" ]; then
    head -c 2097152 /dev/urandom >"$TMP/tftp/image.bin"
    CRC=$(python3 -c "import sys, zlib
print('%08x' % zlib.crc32(open(sys.argv[1], 'rb').read()))" "$TMP/tftp/image.bin")
    python3 "$VMKIT_SRCDIR/tests/guest/console.py" --timeout "$BOOT_TIMEOUT" \
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
