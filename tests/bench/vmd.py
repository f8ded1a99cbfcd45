#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# vmd.py: daemon benchmark for `make bench` — on a private bus: define and
# list 1,000 domains through vmctl, vmd's memory with 100 and 1,000
# domains defined, and start-to-running latency of the Debian guest.
# Figures only, never asserted.
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

build = os.environ.get("VMKIT_BUILDDIR", ".")
img = os.path.join(os.environ.get("VMKIT_GUEST_CACHE") or (
    "/var/cache/vmkit" if os.geteuid() == 0
    else os.path.expanduser("~/.cache/vmkit")), "images")
n_domains = int(os.environ.get("BENCH_DOMAINS", "1000"))
vmctl = os.path.join(build, "client", "vmctl")
tmp = tempfile.mkdtemp(prefix="vmkit-bench-vmd.")

bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork",
                        "--print-address=1"], stdout=subprocess.PIPE)
addr = bus.stdout.readline().decode().strip()
vmd = subprocess.Popen([os.path.join(build, "daemon", "vmd"),
                        "--bus-address", addr, "--state-dir", tmp + "/state",
                        "--engine", os.path.join(build, "engine", "vmkit")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ctl(*args, stdin=None):
    return subprocess.run([vmctl, "--connect", addr] + list(args),
                          input=stdin, capture_output=True)


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


try:
    for _ in range(100):
        if ctl("list").returncode == 0:
            break
        time.sleep(0.1)
    xml = ("<domain type='vmkit'><name>bench%d</name>"
           "<memory unit='MiB'>64</memory><os><type arch='riscv64' "
           "machine='virt'>hvm</type></os><devices><interface type='user'>"
           "<model type='virtio'/></interface></devices></domain>")
    rss0 = rss_mib(vmd.pid)
    t0 = time.monotonic()
    rss100 = None
    for i in range(n_domains):
        r = ctl("define", "-", stdin=(xml % i).encode())
        if r.returncode:
            print("define failed:", r.stderr.decode().strip())
            break
        if i == 99:
            rss100 = rss_mib(vmd.pid)
    t_define = time.monotonic() - t0
    t0 = time.monotonic()
    listed = ctl("list", "--all", "--name").stdout.decode().split()
    t_list = time.monotonic() - t0
    rss_all = rss_mib(vmd.pid)

    start_ms = []
    if os.path.exists(img + "/Image"):
        guest = ("<domain type='vmkit'><name>latency</name>"
                 "<memory unit='MiB'>256</memory><os><type arch='riscv64' "
                 "machine='virt'>hvm</type><kernel>%s/Image</kernel>"
                 "<initrd>%s/initrd.gz</initrd><cmdline>console=ttyS0 "
                 "vmkit.scenario=shell</cmdline></os><devices>"
                 "<interface type='user'><model type='virtio'/></interface>"
                 "</devices></domain>") % (img, img)
        ctl("define", "-", stdin=guest.encode())
        for _ in range(3):
            t0 = time.monotonic()
            r = ctl("start", "latency")
            if r.returncode == 0:
                start_ms.append((time.monotonic() - t0) * 1000)
            ctl("destroy", "latency")

    print("%-44s %12s" % ("vmd (private bus, through vmctl)", "figure"))
    print("%-44s %12.2f" % ("define %d domains (s)" % n_domains, t_define))
    print("%-44s %12.2f" % ("  per define (ms)", 1000 * t_define / n_domains))
    print("%-44s %12.3f" % ("list --all of %d domains (s)" % len(listed),
                            t_list))
    print("%-44s %12.1f" % ("vmd RSS, empty (MiB)", rss0))
    if rss100:
        print("%-44s %12.1f" % ("vmd RSS, 100 domains (MiB)", rss100))
    print("%-44s %12.1f" % ("vmd RSS, %d domains (MiB)" % n_domains, rss_all))
    if start_ms:
        print("%-44s %12.1f" % ("start-to-running latency, median (ms)",
                                statistics.median(start_ms)))
finally:
    vmd.terminate()
    vmd.wait()
    bus.terminate()
    bus.wait()
    shutil.rmtree(tmp, ignore_errors=True)
