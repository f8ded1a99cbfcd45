#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/diff/diff.py: the differential test's driver: generates the
# programs (gen.py), builds them with the riscv64 cross compiler, runs each
# on vmkit's native backend, on its threaded executor (VMKIT_JIT=off) and
# on QEMU, compares the register/memory dumps and, on a difference,
# bisects it to one instruction group and writes a diagnosis.
#
# Called by run.sh, which turns the results into TAP; by hand:
#
#   diff.py --vmkit BUILD/engine/vmkit --cc riscv64-linux-gnu-gcc \
#       --isa-dir SRC/tests/engine/isa --workdir /tmp/w [--qemu QEMU]
#       [--seed S] [--count N] [--length L] [--jobs J] [--timeout SECS]
#
# Results go to WORKDIR/results, one line per comparison, tab-separated:
#   ok|fail|skip <TAB> name <TAB> diagnosis file (fail) or reason (skip)
# Program i of seed S is gen.py --seed S --index i --length L; its files
# are WORKDIR/p<i>.S and .elf, and the runs' outputs p<i>.<runner>.out.
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # the source tree may be read-only
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

ABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
       "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
       "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"]

RUNNER_NAMES = {"native": "vmkit native backend",
                "threaded": "vmkit threaded executor (VMKIT_JIT=off)",
                "qemu": "QEMU"}


class Ctx:
    pass


def reg_name(name):
    m = re.fullmatch(r"x(\d+)", name)
    if m:
        return "%s (%s)" % (name, ABI[int(m.group(1))])
    m = re.fullmatch(r"m(\d+)", name)
    if m:
        return "buffer doubleword at sp+%s" % m.group(1)
    if name == "mem":
        return "buffer checksum"
    if name == "trap":
        return "last trap: mcause mepc mtval count"
    return name


def build(ctx, stem, seed, index, stop_after=None, dump_mem=False,
          misaligned=True):
    """generates and builds one program; returns (elf, source) or raises"""
    g = gen.Gen(seed, index, ctx.length, misaligned)
    g.generate()
    src = stem + ".S"
    with open(src, "w") as f:
        f.write(gen.emit(g, seed, index, stop_after, dump_mem))
    elf = stem + ".elf"
    cmd = ctx.cc + ["-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany",
                    "-nostdlib", "-nostartfiles", "-static", "-fno-pic",
                    "-g", "-I" + ctx.isa_dir,
                    "-T", os.path.join(ctx.isa_dir, "link.ld"),
                    "-Wl,--no-relax", "-Wl,--build-id=none",
                    "-o", elf, ctx.crt_obj, src]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    if p.returncode != 0:
        raise RuntimeError("building %s failed:\n%s\n%s" %
                           (src, " ".join(cmd), p.stdout))
    return elf, g


ESCAPES = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def run(ctx, runner, elf):
    """runs elf; returns (signature, text): the signature is what must be
    equal between runners (dump lines, PASS/FAIL lines, exit status)"""
    env = dict(os.environ)
    env.pop("VMKIT_JIT", None)
    if runner == "qemu":
        exe = ctx.qemu
    else:
        exe = ctx.vmkit
        if runner == "threaded":
            env["VMKIT_JIT"] = "off"
    cmd = [exe, "-M", "virt", "-m", "64M", "-bios", "none", "-nographic",
           "-kernel", elf]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=env, timeout=ctx.timeout)
        status = "exit %d" % p.returncode
        out = p.stdout
    except subprocess.TimeoutExpired as e:
        status = "timed out after %ds" % ctx.timeout
        out = e.stdout or b""
    except OSError as e:
        status = "could not run %s: %s" % (exe, e)
        out = b""
    text = ESCAPES.sub("", out.decode("utf-8", "replace").replace("\r", ""))
    with open("%s.%s.out" % (elf[:-4], runner), "w") as f:
        f.write(text + "[%s]\n" % status)
    sig = [l for l in text.split("\n")
           if l.startswith("@") or l.startswith("PASS") or
           l.startswith("FAIL")]
    sig.append(status)
    return sig, text + "[%s]" % status


def passed(sig):
    return sig[-1] == "exit 0" and any(l.startswith("PASS") for l in sig)


def dumps(sig):
    """{(checkpoint, name): value} and the ordered keys"""
    vals, order = {}, []
    for l in sig:
        parts = l.split()
        if l.startswith("@") and len(parts) >= 3:
            k = (int(parts[0][1:]), parts[1])
            vals[k] = " ".join(parts[2:])
            order.append(k)
    return vals, order


def first_difference(sa, sb):
    """(checkpoint, [differing names]) of the first checkpoint that
    differs, or (None, None) if the dumps agree"""
    va, oa = dumps(sa)
    vb, ob = dumps(sb)
    for k in oa + ob:
        if va.get(k) != vb.get(k):
            names = []
            for (c, n) in oa + ob:
                if c == k[0] and va.get((c, n)) != vb.get((c, n)) and \
                        n not in names:
                    names.append(n)
            return k[0], names
    return None, None


def tail(text, n=25):
    lines = text.rstrip("\n").split("\n")
    return "\n".join("    " + l for l in lines[-n:])


def group_source(src, gi):
    """the source lines of group gi (and of its function f<gi>)"""
    lines = open(src).read().split("\n")
    out, on = [], False
    for l in lines:
        if re.fullmatch(r"[gf]\d+:", l):
            on = l in ("g%d:" % gi, "f%d:" % gi)
        elif on and (l.startswith("#") or l.startswith("dd_") or
                     l.strip() == ".balign 4"):
            on = False
        if on:
            out.append(l)
    return out


def group_listing(ctx, elf, gi):
    """objdump -d of group gi and of its function f<gi>"""
    if not ctx.objdump:
        return []
    try:
        p = subprocess.run([ctx.objdump, "-d", elf], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL,
                           universal_newlines=True)
    except OSError:
        return []
    out, on = [], False
    for l in p.stdout.split("\n"):
        m = re.match(r"[0-9a-f]+ <([^>]+)>:", l)
        if m:
            on = m.group(1) in ("g%d" % gi, "f%d" % gi)
        if on and l.strip():
            out.append(l)
    return out


def regs_of(lines):
    return sorted({int(r) for l in lines for r in re.findall(r"\bx(\d+)\b",
                                                            l.split("#")[0])})


def bisect(ctx, seed, index, a, b, hi, misaligned, stem):
    """smallest group G such that the program stopped after G differs
    between runners a and b; returns (G, sig_a, sig_b, before, elf) or
    None when the truncated programs do not show the difference"""
    cache = {}

    def differs(g):
        if g not in cache:
            elf, _ = build(ctx, "%s-g%d" % (stem, g), seed, index,
                           stop_after=g, dump_mem=True,
                           misaligned=misaligned)
            sa, _ = run(ctx, a, elf)
            sb, _ = run(ctx, b, elf)
            cache[g] = (sa != sb, sa, sb, elf)
        return cache[g][0]

    if not differs(hi):
        return None
    lo = -1
    if differs(lo):
        return (lo,) + cache[lo][1:3] + (None, cache[lo][3])
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if differs(mid):
            hi = mid
        else:
            lo = mid
    return (hi,) + cache[hi][1:3] + (cache[lo][1],) + (cache[hi][3],)


def diagnose(ctx, seed, index, a, b, sa, sb, g, misaligned, stem, ta, tb):
    """the text explaining a difference between runners a and b"""
    out = []
    opt = "" if misaligned else " --no-misaligned"
    out.append("seed %s program %d: %s and %s differ" %
               (seed, index, RUNNER_NAMES[a], RUNNER_NAMES[b]))
    out.append("program: gen.py --seed %s --index %d --length %d%s "
               "(%s.S)" % (seed, index, ctx.length, opt, stem))
    if sa == sb:
        out.append("both runs agree but the program did not PASS (a bug "
                   "of the generator or of both runners); output ends:")
        out.append(tail(ta))
        return "\n".join(out) + "\n"
    if not passed(sa) or not passed(sb):
        for r, s, t in ((a, sa, ta), (b, sb, tb)):
            out.append("%s: %s%s" % (r, s[-1], "" if passed(s) else
                                     ", did not PASS; output ends:"))
            if not passed(s):
                out.append(tail(t))
    ck, names = first_difference(sa, sb)
    nck = len(g.checkpoints_emitted)
    if ck is not None:
        after = g.checkpoints_emitted[ck - 1] if ck <= nck else None
        va, _ = dumps(sa)
        vb, _ = dumps(sb)
        out.append("first difference at checkpoint %d (after group %s): %s"
                   % (ck, after, reg_name(names[0])))
        for n in names:
            out.append("    %-34s %s %-18s %s %s" %
                       (reg_name(n), a, va.get((ck, n)), b, vb.get((ck, n))))
        hi = after
    else:
        hi = len(g.groups) - 1
        out.append("the dumps agree; the runs differ in their ending")
    res = None
    if hi is not None:
        try:
            res = bisect(ctx, seed, index, a, b, hi, misaligned, stem)
        except RuntimeError as e:
            out.append("bisection failed: %s" % e)
    if res is None:
        out.append("(the difference does not show when the program is cut "
                   "after group %s: look between the checkpoints)" % hi)
        return "\n".join(out) + "\n"
    gi, ba, bb, before, elf = res
    if gi < 0:
        out.append("bisected: the state differs before the first group "
                   "(initialisation, %s-g-1.S)" % stem)
        return "\n".join(out) + "\n"
    out.append("bisected to group %d: the program cut after group %d "
               "differs (%s-g%d.S/.elf), cut after group %d it agrees"
               % (gi, gi, stem, gi, gi - 1))
    src = group_source("%s-g%d.S" % (stem, gi), gi)
    out.append("source of group %d:" % gi)
    out += ["    " + l for l in src]
    lst = group_listing(ctx, elf, gi)
    if lst:
        out.append("objdump -d:")
        out += ["    " + l for l in lst]
    vb4, _ = dumps(before)
    last_ck = max(c for (c, _) in vb4) if vb4 else 0
    used = regs_of(src)
    if used:
        out.append("registers of group %d before it (all runners agree):"
                   % gi)
        for r in used:
            v = "0" if r == 0 else vb4.get((last_ck, "x%d" % r))
            out.append("    %-34s %s" % (reg_name("x%d" % r), v))
    ck, names = first_difference(ba, bb)
    if ck is not None:
        va, _ = dumps(ba)
        vb, _ = dumps(bb)
        out.append("after group %d:" % gi)
        for n in names:
            out.append("    %-34s %s %-18s %s %s" %
                       (reg_name(n), a, va.get((ck, n)), b, vb.get((ck, n))))
    else:
        out.append("after group %d the dumps agree but the runs end "
                   "differently: %s: %s / %s: %s" % (gi, a, ba[-1], b, bb[-1]))
    return "\n".join(out) + "\n"


def misaligned_trap(text):
    return re.search(r"mcause=0x[46]\b", text) is not None


def check_program(ctx, index):
    """runs program `index` on every runner; returns result tuples"""
    seed = ctx.seed
    stem = os.path.join(ctx.workdir, "p%d" % index)
    name = "seed %s program %d" % (seed, index)
    try:
        elf, g = build(ctx, stem, seed, index)
    except RuntimeError as e:
        d = stem + ".diag"
        with open(d, "w") as f:
            f.write(str(e) + "\n")
        return [("fail", name + ": build", d)]
    # the checkpoints as emitted (the last one is the final dump)
    g.checkpoints_emitted = [c for c in g.checkpoints
                             if c != len(g.groups) - 1] + [len(g.groups) - 1]
    results = []
    sn, tn = run(ctx, "native", elf)
    others = ["threaded"] + (["qemu"] if ctx.qemu else [])
    for other in others:
        what = "%s: native == %s" % (name, other)
        so, to = run(ctx, other, elf)
        misaligned, s_a, t_a = True, sn, tn
        if other == "qemu" and not passed(so) and passed(sn) and \
                misaligned_trap(to):
            # a QEMU that traps misaligned accesses (the spec allows it):
            # compare the same program with them aligned
            misaligned = False
            stem2 = stem + "-aligned"
            elf2, g = build(ctx, stem2, seed, index, misaligned=False)
            g.checkpoints_emitted = [c for c in g.checkpoints
                                     if c != len(g.groups) - 1] + \
                [len(g.groups) - 1]
            s_a, t_a = run(ctx, "native", elf2)
            so, to = run(ctx, other, elf2)
            what += " (misaligned accesses aligned: QEMU traps them)"
        if s_a == so and passed(so):
            results.append(("ok", what, ""))
            continue
        d = "%s.%s.diag" % (stem, other)
        try:
            text = diagnose(ctx, seed, index, "native", other, s_a, so, g,
                            misaligned, stem if misaligned else stem2,
                            t_a, to)
        except Exception as e:  # the diagnosis must not hide the failure
            text = "%s: outputs differ (diagnosis failed: %r)\n" % (name, e)
        with open(d, "w") as f:
            f.write(text)
        results.append(("fail", what, d))
    return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vmkit", required=True)
    p.add_argument("--qemu", default="")
    p.add_argument("--cc", required=True, help="riscv64 compiler command")
    p.add_argument("--objdump", default="")
    p.add_argument("--isa-dir", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--seed", default="1")
    p.add_argument("--count", type=int, default=32)
    p.add_argument("--first", type=int, default=0)
    p.add_argument("--length", type=int, default=300)
    p.add_argument("--jobs", type=int, default=4)
    p.add_argument("--timeout", type=int, default=20)
    ctx = p.parse_args()
    ctx.cc = ctx.cc.split()
    os.makedirs(ctx.workdir, exist_ok=True)
    ctx.crt_obj = os.path.join(ctx.workdir, "crt.o")
    cmd = ctx.cc + ["-march=rv64gc", "-mabi=lp64d", "-mcmodel=medany",
                    "-fno-pic", "-I" + ctx.isa_dir, "-c", "-o", ctx.crt_obj,
                    os.path.join(ctx.isa_dir, "crt.S")]
    subprocess.run(cmd, check=True)
    indices = range(ctx.first, ctx.first + ctx.count)
    with concurrent.futures.ThreadPoolExecutor(max(1, ctx.jobs)) as ex:
        all_results = list(ex.map(lambda i: check_program(ctx, i), indices))
    with open(os.path.join(ctx.workdir, "results"), "w") as f:
        for results in all_results:
            for st, what, detail in results:
                f.write("%s\t%s\t%s\n" % (st, what, detail))
    return 0


if __name__ == "__main__":
    sys.exit(main())
