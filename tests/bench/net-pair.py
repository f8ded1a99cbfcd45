#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# net-pair.py: VM-to-VM benchmark for `make bench` — two guests joined by
# `-netdev socket,listen=`/`connect=` on 127.0.0.1, one serving a blob over
# HTTP, the other downloading it (timed in the guest); a vmkit pair and a
# QEMU pair side by side. Figures only, never asserted.
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

build = os.environ.get("VMKIT_BUILDDIR", ".")
cache = os.environ.get("VMKIT_GUEST_CACHE") or (
    os.path.join(os.environ["XDG_CACHE_HOME"], "vmkit")
    if os.environ.get("XDG_CACHE_HOME")
    else ("/var/cache/vmkit" if os.geteuid() == 0
          else os.path.expanduser("~/.cache/vmkit")))
img = os.path.join(cache, "images")
runs = int(os.environ.get("BENCH_RUNS", "3"))
size = int(os.environ.get("BENCH_NET_BYTES", str(32 << 20)))

if not os.path.exists(os.path.join(img, "Image")):
    print("net-pair bench: no guest images in %s" % img)
    sys.exit(0)

emus = {"vmkit": [os.path.join(build, "engine", "vmkit")]}
qemu = shutil.which("qemu-system-riscv64")
if qemu:
    emus["qemu"] = [qemu, "-bios", img + "/fw_dynamic.bin"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def guest(emu, netdev, mac, append):
    rom = ",romfile=" if emu == "qemu" else ""
    return emus[emu] + [
        "-M", "virt", "-m", "512M", "-nographic",
        "-kernel", img + "/Image", "-initrd", img + "/initrd.gz",
        "-netdev", netdev,
        "-device", "virtio-net-pci,netdev=n0,mac=%s%s" % (mac, rom),
        "-append", "console=ttyS0 vmkit.scenario=net " + append]


def run(emu):
    port = free_port()
    server = subprocess.Popen(
        guest(emu, "socket,id=n0,listen=127.0.0.1:%d" % port,
              "52:54:00:00:00:01",
              "vmkit.static=10.9.0.1/24 vmkit.serve=8080 "
              "vmkit.blobsize=%d vmkit.wait=300" % size),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    buf = b""
    deadline = time.monotonic() + 300
    while b"step=serve status=ready" not in buf:
        d = server.stdout.read1(65536)
        if not d or time.monotonic() > deadline:
            server.kill()
            return None
        buf += d
    client = subprocess.run(
        guest(emu, "socket,id=n0,connect=127.0.0.1:%d" % port,
              "52:54:00:00:00:02",
              "vmkit.static=10.9.0.2/24 "
              "vmkit.fetch=http://10.9.0.1:8080/blob"),
        stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    server.kill()
    server.wait()
    m = re.search(rb"step=fetch status=pass bytes=(\d+) ms=(\d+)",
                  client.stdout)
    if not m or int(m.group(2)) == 0:
        return None
    return (int(m.group(1)) / (1 << 20)) / (int(m.group(2)) / 1000.0)


res = {}
for emu in emus:
    vals = [v for v in (run(emu) for _ in range(runs)) if v]
    res[emu] = statistics.median(vals) if vals else None

fmt = lambda x: "%.2f" % x if x else "fail"
print("%-34s %10s %10s %8s" % ("VM pair over socket (median of %d)" % runs,
                               "vmkit", "qemu" if qemu else "-", "ratio"))
v, q = res["vmkit"], res.get("qemu")
print("%-34s %10s %10s %8s" % ("guest-to-guest HTTP (MiB/s)", fmt(v),
                               fmt(q) if qemu else "-",
                               "%.2f" % (v / q) if v and q else "-"))
print("(higher is better; ratio = vmkit / QEMU)")
