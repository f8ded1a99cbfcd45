#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# console.py: drive a VM's serial console on stdio for the guest tests —
# run a command, wait for patterns, send input, report what was seen.
#
# usage: console.py [--timeout S] [--log FILE] SCRIPT -- CMD ARGS...
#   SCRIPT is a list of steps separated by ';;':
#     expect:REGEX        wait until the output matches REGEX
#     send:TEXT           write TEXT (\n, \r and \x01 escapes understood)
#     count:N:REGEX       wait until REGEX matched N times, then stop the VM
#     exit:CODE           wait for the process to end with CODE
# Exit status 0 when every step succeeded, 1 otherwise (with a reason).
import os
import re
import select
import signal
import subprocess
import sys
import time


def unescape(s):
    return s.encode().decode("unicode_escape").encode("latin-1")


def main():
    args = sys.argv[1:]
    timeout = 120.0
    log = None
    while args and args[0].startswith("--"):
        if args[0] == "--timeout":
            timeout = float(args[1])
            args = args[2:]
        elif args[0] == "--log":
            log = args[1]
            args = args[2:]
        else:
            break
    script, sep, cmd = args[0], args[1], args[2:]
    assert sep == "--"
    steps = [s for s in script.split(";;") if s]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = b""
    deadline = time.monotonic() + timeout
    status = 0
    reason = ""

    def read_some(wait):
        nonlocal out
        r, _, _ = select.select([proc.stdout], [], [], wait)
        if r:
            data = os.read(proc.stdout.fileno(), 65536)
            if not data:
                return False
            out += data
        return True

    pos = 0
    try:
        for step in steps:
            kind, _, arg = step.partition(":")
            if kind == "expect":
                rx = re.compile(arg.encode())
                while True:
                    m = rx.search(out, pos)
                    if m:
                        pos = m.end()
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError("timeout waiting for %r" % arg)
                    if not read_some(0.2) and proc.poll() is not None:
                        raise RuntimeError("VM exited (%s) before %r" %
                                           (proc.returncode, arg))
            elif kind == "send":
                time.sleep(0.2)
                proc.stdin.write(unescape(arg))
                proc.stdin.flush()
            elif kind == "count":
                n, _, rxs = arg.partition(":")
                rx = re.compile(rxs.encode())
                while len(rx.findall(out)) < int(n):
                    if time.monotonic() > deadline:
                        raise RuntimeError("timeout: %r seen %d times" %
                                           (rxs, len(rx.findall(out))))
                    if not read_some(0.2) and proc.poll() is not None:
                        raise RuntimeError("VM exited before %r x%s" %
                                           (rxs, n))
                os.killpg(proc.pid, signal.SIGTERM)
            elif kind == "exit":
                while proc.poll() is None:
                    if time.monotonic() > deadline:
                        raise RuntimeError("timeout waiting for exit")
                    read_some(0.2)
                while read_some(0):
                    if proc.stdout.closed:
                        break
                    r, _, _ = select.select([proc.stdout], [], [], 0)
                    if not r:
                        break
                if proc.returncode != int(arg):
                    raise RuntimeError("exit status %d, want %s" %
                                       (proc.returncode, arg))
            else:
                raise RuntimeError("bad step %r" % step)
    except RuntimeError as e:
        status = 1
        reason = str(e)
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    if log:
        with open(log, "wb") as f:
            f.write(out)
    if status:
        sys.stdout.write("# %s\n" % reason)
        tail = out[-1500:].decode("utf-8", "replace")
        for line in tail.splitlines():
            sys.stdout.write("#   %s\n" % line)
    return status


if __name__ == "__main__":
    sys.exit(main())
