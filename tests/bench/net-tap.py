#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# net-tap.py: guest-to-host over TAP for `make bench` — inside a network
# namespace this script creates (root only), a tap with 192.168.99.1/24,
# an HTTP server there, and a guest on the tap downloading from it (timed
# in the guest); vmkit and QEMU side by side. Figures only.
import os
import re
import shutil
import statistics
import subprocess
import sys

build = os.environ.get("VMKIT_BUILDDIR", ".")
img = os.path.join(os.environ.get("VMKIT_GUEST_CACHE") or (
    "/var/cache/vmkit" if os.geteuid() == 0
    else os.path.expanduser("~/.cache/vmkit")), "images")
runs = int(os.environ.get("BENCH_RUNS", "3"))
size = int(os.environ.get("BENCH_NET_BYTES", str(32 << 20)))

if os.geteuid() != 0 or not shutil.which("ip"):
    print("net-tap bench: needs root and iproute2 (skipped)")
    sys.exit(0)
if not os.path.exists(os.path.join(img, "Image")):
    print("net-tap bench: no guest images in %s" % img)
    sys.exit(0)

ns = "vmkit-bench-%d" % os.getpid()
NS = ["ip", "netns", "exec", ns]


def sh(*cmd):
    subprocess.run(cmd, check=True)


emus = {"vmkit": [os.path.join(build, "engine", "vmkit")]}
qemu = shutil.which("qemu-system-riscv64")
if qemu:
    emus["qemu"] = [qemu, "-bios", img + "/fw_dynamic.bin"]

sh("ip", "netns", "add", ns)
srv = None
try:
    sh(*NS, "ip", "link", "set", "lo", "up")
    sh(*NS, "ip", "tuntap", "add", "dev", "vmkb0", "mode", "tap")
    sh(*NS, "ip", "addr", "add", "192.168.99.1/24", "dev", "vmkb0")
    sh(*NS, "ip", "link", "set", "vmkb0", "up")
    blob = "/tmp/%s.blob" % ns
    with open(blob, "wb") as f:
        f.write(b"\x5a" * size)
    srv = subprocess.Popen(NS + ["python3", "-m", "http.server", "8099",
                                 "--bind", "192.168.99.1",
                                 "--directory", "/tmp"],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

    def run(emu):
        rom = ",romfile=" if emu == "qemu" else ""
        cmd = NS + emus[emu] + [
            "-M", "virt", "-m", "512M", "-nographic",
            "-kernel", img + "/Image", "-initrd", img + "/initrd.gz",
            "-netdev", "tap,id=n0,ifname=vmkb0,script=no,downscript=no",
            "-device", "virtio-net-pci,netdev=n0" + rom,
            "-append", "console=ttyS0 vmkit.scenario=net "
            "vmkit.static=192.168.99.2/24 "
            "vmkit.fetch=http://192.168.99.1:8099/%s.blob" % ns]
        out = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                             capture_output=True, timeout=600).stdout
        m = re.search(rb"step=fetch status=pass bytes=(\d+) ms=(\d+)", out)
        if not m or int(m.group(2)) == 0:
            return None
        return (int(m.group(1)) / (1 << 20)) / (int(m.group(2)) / 1000.0)

    res = {}
    for emu in emus:
        vals = [v for v in (run(emu) for _ in range(runs)) if v]
        res[emu] = statistics.median(vals) if vals else None
finally:
    if srv:
        srv.kill()
        srv.wait()
    subprocess.run(["ip", "netns", "del", ns])
    try:
        os.unlink("/tmp/%s.blob" % ns)
    except OSError:
        pass

fmt = lambda x: "%.2f" % x if x else "fail"
v, q = res["vmkit"], res.get("qemu")
print("%-34s %10s %10s %8s" % ("TAP guest<-host (median of %d)" % runs,
                               "vmkit", "qemu" if qemu else "-", "ratio"))
print("%-34s %10s %10s %8s" % ("download from the host (MiB/s)", fmt(v),
                               fmt(q) if qemu else "-",
                               "%.2f" % (v / q) if v and q else "-"))
print("(higher is better; ratio = vmkit / QEMU)")
