#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# boot.py: boot benchmark for `make bench` — vmkit and qemu-system-riscv64
# side by side: Debian's kernel + test initramfs to userspace and to
# poweroff (medians of N runs), peak RSS, and host CPU use of a guest
# idling for 10 s. Figures only, never asserted.
import os
import resource
import shutil
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

if not os.path.exists(os.path.join(img, "Image")):
    print("boot bench: no guest images in %s (run tools/fetch-guest)" % img)
    sys.exit(0)

emus = {"vmkit": [os.path.join(build, "engine", "vmkit")]}
qemu = shutil.which("qemu-system-riscv64")
if qemu:
    emus["qemu"] = [qemu]


def cmdline(emu, scenario, smp=1):
    c = list(emus[emu]) + ["-M", "virt", "-m", "512M", "-smp", str(smp),
                           "-nographic", "-kernel", img + "/Image",
                           "-initrd", img + "/initrd.gz", "-append",
                           "console=ttyS0 " + scenario]
    if emu == "qemu":
        c += ["-bios", img + "/fw_dynamic.bin"]
    return c


def boot_once(emu):
    t0 = time.monotonic()
    p = subprocess.Popen(cmdline(emu, "vmkit.scenario=boot"),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    t_user = None
    buf = b""
    while True:
        data = p.stdout.read1(65536)
        if not data:
            break
        buf += data
        if t_user is None and b"VMKIT-RESULT scenario=boot" in buf:
            t_user = time.monotonic() - t0
    _, status, ru = os.wait4(p.pid, 0)
    t_off = time.monotonic() - t0
    return t_user, t_off, ru.ru_maxrss


def idle_cpu(emu):
    p = subprocess.Popen(cmdline(emu, "vmkit.scenario=shell"),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    buf = b""
    deadline = time.monotonic() + 300
    while b"VMKIT-READY" not in buf and time.monotonic() < deadline:
        data = p.stdout.read1(65536)
        if not data:
            break
        buf += data
    time.sleep(2)

    def cpu():
        with open("/proc/%d/stat" % p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    c0, t0 = cpu(), time.monotonic()
    time.sleep(10)
    c1, t1 = cpu(), time.monotonic()
    p.kill()
    p.wait()
    return 100.0 * (c1 - c0) / (t1 - t0)


res = {}
for emu in emus:
    samples = [boot_once(emu) for _ in range(runs)]
    res[emu] = {
        "user": statistics.median(s[0] for s in samples if s[0]),
        "off": statistics.median(s[1] for s in samples),
        "rss": max(s[2] for s in samples) / 1024.0,
        "idle": idle_cpu(emu),
    }

print("%-28s %10s %10s %8s" % ("boot (median of %d)" % runs, "vmkit",
                               "qemu" if qemu else "-", "ratio"))
for key, label, fmt in (("user", "to userspace (s)", "%.2f"),
                        ("off", "to poweroff (s)", "%.2f"),
                        ("rss", "peak RSS (MiB)", "%.1f"),
                        ("idle", "idle guest, host CPU (%)", "%.2f")):
    v = res["vmkit"][key]
    q = res["qemu"][key] if qemu else None
    ratio = ("%.2f" % (v / q)) if q else "-"
    print("%-28s %10s %10s %8s" % (label, fmt % v, (fmt % q) if q else "-",
                                   ratio))
print("(ratio = vmkit / QEMU; below 1.00 means vmkit is faster or smaller)")
