#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/uboot-net.sh: Debian's U-Boot (qemu-riscv64_smode, over the
# default OpenSBI) on vmkit's NICs with user networking: interrupt
# autoboot on the serial console, then "dhcp" (with the bootfile= that
# slirp's DHCP hands out), "ping 10.0.2.2", "tftpboot" of a file from the
# tftp= directory and its crc32 against the host's. Everything stays inside
# vmkit's slirp: no host network is used.

. "$VMKIT_SRCDIR/tests/lib.sh"

VMKIT=${VMKIT:-$VMKIT_BUILDDIR/engine/vmkit}
IMAGES=$(guest_cache)/images

[ -r "$IMAGES/u-boot.bin" ] || skip_all "no u-boot.bin in $IMAGES (make fetch-guest)"
[ -x "$VMKIT" ] || skip_all "no vmkit binary at $VMKIT"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
MODELS=$("$VMKIT" -nic model=help 2>/dev/null | tail -n +2)
[ -n "$MODELS" ] || skip_all "this vmkit has no NIC model"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/tftp"
head -c 1048576 /dev/urandom >"$TMP/tftp/blob.bin"
CRC=$(python3 -c "import zlib, sys
print('%08x' % zlib.crc32(open(sys.argv[1], 'rb').read()))" "$TMP/tftp/blob.bin")

cat >"$TMP/drive.py" <<'EOF'
# Drives U-Boot's prompt over vmkit's stdio serial; prints "KEY=VALUE"
# facts and leaves the transcript in argv[2].
import os, re, select, subprocess, sys, time

vmkit, log, images, tftp, model = sys.argv[1:6]
args = [vmkit, "-M", "virt", "-m", "256M", "-nographic",
        "-kernel", os.path.join(images, "u-boot.bin"),
        "-netdev", "user,id=n0,tftp=%s,bootfile=blob.bin" % tftp,
        "-device", "%s,netdev=n0" % model]
p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.STDOUT)
out = b""
transcript = open(log, "wb")

def expect(pattern, timeout):
    """reads until @pattern (bytes regex) shows up after what was seen"""
    global out
    end = time.time() + timeout
    rx = re.compile(pattern)
    while time.time() < end:
        m = rx.search(out)
        if m:
            seen, out = out[:m.end()], out[m.end():]
            return seen
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            d = os.read(p.stdout.fileno(), 4096)
            if not d:
                break
            transcript.write(d)
            transcript.flush()
            out += d
    return None

def cmd(line, timeout=30):
    p.stdin.write(line.encode() + b"\n")
    p.stdin.flush()
    return (expect(rb"\n=> ", timeout) or b"").decode(errors="replace")

def fact(k, v):
    print("%s=%s" % (k, v), flush=True)

try:
    if expect(rb"Hit any key to stop autoboot", 60) is None:
        fact("prompt", "no")
        sys.exit(0)
    p.stdin.write(b" ")
    p.stdin.flush()
    fact("prompt", "yes" if expect(rb"=> ", 10) is not None else "no")
    cmd("setenv autoload no")
    r = cmd("dhcp", 60)
    m = re.search(r"DHCP client bound to address ([0-9.]+)", r)
    fact("dhcp", m.group(1) if m else "none")
    r = cmd("echo ${bootfile}")
    fact("bootfile", r.split("\n")[1].strip() if "\n" in r else "none")
    cmd("setenv serverip 10.0.2.2")
    r = cmd("ping 10.0.2.2", 30)
    fact("ping", "alive" if "host 10.0.2.2 is alive" in r else "dead")
    r = cmd("tftpboot ${kernel_addr_r} blob.bin", 120)
    m = re.search(r"Bytes transferred = (\d+)", r)
    fact("tftp_bytes", m.group(1) if m else "none")
    r = cmd("crc32 ${kernel_addr_r} ${filesize}")
    m = re.search(r"==> ([0-9a-f]{8})", r)
    fact("crc32", m.group(1) if m else "none")
finally:
    p.kill()
    p.wait()
EOF

for model in virtio-net-pci e1000; do
    if ! printf '%s\n' "$MODELS" | grep -qx "$model"; then
        skip "$model: U-Boot dhcp/ping/tftp" "$model is not built in"
        continue
    fi
    timeout 240 python3 "$TMP/drive.py" "$VMKIT" "$TMP/$model.log" \
        "$IMAGES" "$TMP/tftp" "$model" >"$TMP/$model.facts" 2>&1
    fact() {
        sed -n "s/^$1=//p" "$TMP/$model.facts" | tail -n 1
    }
    ok "$model: U-Boot prompt (autoboot interrupted)" test "$(fact prompt)" = yes
    ok "$model: dhcp gets 10.0.2.15" test "$(fact dhcp)" = 10.0.2.15
    ok "$model: DHCP hands out bootfile=blob.bin" test "$(fact bootfile)" = blob.bin
    ok "$model: ping 10.0.2.2" test "$(fact ping)" = alive
    ok "$model: tftpboot transfers 1048576 bytes" test "$(fact tftp_bytes)" = 1048576
    ok "$model: crc32 matches the host's ($CRC)" test "$(fact crc32)" = "$CRC"
    if [ "$(fact crc32)" != "$CRC" ]; then
        diag "--- $model transcript (tail)"
        tail -n 20 "$TMP/$model.log" | tr -d '\r' | sed 's/^/#   /'
        sed 's/^/#   /' "$TMP/$model.facts"
    fi
done

done_testing
