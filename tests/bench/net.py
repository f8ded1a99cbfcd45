#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# net.py: user-mode networking benchmark for `make bench` — vmkit and
# qemu-system-riscv64 side by side, same guest, same host server: guest
# download throughput through slirp (64 MiB from an HTTP server on
# 127.0.0.1), DHCP lease time and gateway ping RTT, as the guest measures
# them. Figures only, never asserted.
import functools
import http.server
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading

build = os.environ.get("VMKIT_BUILDDIR", ".")
cache = os.environ.get("VMKIT_GUEST_CACHE") or (
    os.path.join(os.environ["XDG_CACHE_HOME"], "vmkit")
    if os.environ.get("XDG_CACHE_HOME")
    else ("/var/cache/vmkit" if os.geteuid() == 0
          else os.path.expanduser("~/.cache/vmkit")))
img = os.path.join(cache, "images")
runs = int(os.environ.get("BENCH_RUNS", "3"))
size = int(os.environ.get("BENCH_NET_BYTES", str(64 << 20)))
nic = os.environ.get("BENCH_NIC", "virtio-net-pci")

if not os.path.exists(os.path.join(img, "Image")):
    print("net bench: no guest images in %s (run tools/fetch-guest)" % img)
    sys.exit(0)


class Blob(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"\xa5" * 65536
        left = size
        while left > 0:
            n = min(left, len(chunk))
            self.wfile.write(chunk[:n])
            left -= n

    def log_message(self, *args):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Blob)
port = srv.server_address[1]
threading.Thread(target=srv.serve_forever, daemon=True).start()

emus = {"vmkit": [os.path.join(build, "engine", "vmkit")]}
qemu = shutil.which("qemu-system-riscv64")
if qemu:
    emus["qemu"] = [qemu, "-bios", img + "/fw_dynamic.bin"]


def run(emu):
    romfile = ",romfile=" if emu == "qemu" else ""
    cmd = emus[emu] + [
        "-M", "virt", "-m", "512M", "-nographic",
        "-kernel", img + "/Image", "-initrd", img + "/initrd.gz",
        "-netdev", "user,id=n0", "-device", nic + ",netdev=n0" + romfile,
        "-append", "console=ttyS0 vmkit.scenario=net vmkit.ping=10.0.2.2 "
        "vmkit.pingcount=20 vmkit.fetch=http://10.0.2.2:%d/blob" % port]
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=600).stdout.decode("utf-8", "replace")
    r = {}
    m = re.search(r"step=dhcp status=pass .*ms=(\d+)", out)
    r["lease_ms"] = float(m.group(1)) if m else None
    m = re.search(r"step=ping status=pass .*rtt=([0-9.]+)", out)
    r["rtt_ms"] = float(m.group(1)) if m else None
    m = re.search(r"step=fetch status=pass bytes=(\d+) ms=(\d+)", out)
    r["mibs"] = (int(m.group(1)) / (1 << 20)) / (int(m.group(2)) / 1000.0) \
        if m and int(m.group(2)) > 0 else None
    return r


res = {}
for emu in emus:
    samples = [run(emu) for _ in range(runs)]
    res[emu] = {}
    for k in ("mibs", "lease_ms", "rtt_ms"):
        vals = [s[k] for s in samples if s[k] is not None]
        res[emu][k] = statistics.median(vals) if vals else None

print("%-32s %10s %10s %8s" % ("user net, %s (median of %d)" % (nic, runs),
                               "vmkit", "qemu" if qemu else "-", "ratio"))
for k, label in (("mibs", "download through slirp (MiB/s)"),
                 ("lease_ms", "DHCP lease (ms)"),
                 ("rtt_ms", "gateway ping RTT (ms)")):
    v = res["vmkit"][k]
    q = res["qemu"][k] if qemu else None
    fmt = lambda x: "%.2f" % x if x is not None else "fail"
    ratio = "%.2f" % (v / q) if v and q else "-"
    print("%-32s %10s %10s %8s" % (label, fmt(v), fmt(q) if qemu else "-",
                                   ratio))
print("(throughput: higher is better; lease and RTT: lower is better)")
