#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/diff/gen.py: random RV64GC integer programs for the
# differential test (run.sh, diff.py), written as assembly for the ISA
# suite's bare-metal runtime (tests/engine/isa/crt.S, link.ld).
#
#   gen.py --seed S --index I [--length N] [--stop-after G] [--dump-mem]
#          [--no-misaligned] [-o prog.S]
#
# `make check` runs 32 programs of seed 1 (run.sh); for manual fuzzing,
# VMKIT_DIFF_SEED=<any string> VMKIT_DIFF_COUNT=<n> VMKIT_DIFF_LENGTH=<n>
# in the environment of `make check TESTS=tests/engine/diff/run.sh` pick
# another set (see run.sh for the other variables).
#
# A program is a function of (seed, index, length) only: the same
# arguments give the same program with any Python 3, so a failure is
# reproduced by its seed and index. --stop-after G ends the program after
# its group G (the generator draws the whole program first, so the groups
# up to G are the same instructions as in the full program); diff.py uses
# it to bisect a difference down to one group.
#
# What a program does:
#  - x2 (sp) points to a 2 KiB scratch buffer with random contents that
#    straddles a page boundary (at sp + 1024), so that some accesses
#    cross it; sp is never a destination. The register save area of the
#    checkpoints is the 256 bytes below the buffer.
#  - x1, x3..x31 start with random values, a third of them edge values
#    (0, -1, INT64_MIN/MAX, INT32_MIN/MAX sign patterns, shift amounts).
#  - then about --length instructions in groups: RV64I register-register
#    and immediate ALU operations with the W forms and edge shift amounts,
#    LUI/AUIPC, the M extension with division by zero and INT_MIN / -1,
#    loads and stores of every width and signedness at random offsets
#    from sp or from another base register (some misaligned unless
#    --no-misaligned), forward branches of every kind over small groups,
#    JAL/JALR to local labels (JALR with bit 0 of the target set), calls
#    to out-of-line functions with random link registers, counted loops,
#    and `.option rvc` regions with explicit C instructions (C.ADDI4SPN,
#    C.LWSP/LDSP/SWSP/SDSP, C.LD/SD/LW/SW, C.BEQZ/C.BNEZ, C.J, C.JALR...)
#    and ordinary instructions the assembler compresses, and traps in the
#    middle of a block (access faults, ECALL, EBREAK, illegal
#    instructions) that crt's handler resumes after, registers intact.
#    Registers are random, x0 included as source and destination,
#    rd == rs1 == rs2 included.
#  - a few checkpoints and a final one print every register and a
#    checksum of the buffer on the UART, one line each:
#        @<checkpoint> x<n> <hex>        @<checkpoint> mem <hex>
#        @<checkpoint> trap <mcause> <mepc> <mtval> <count>  (the last)
#    (--dump-mem adds "@<checkpoint> m<offset> <hex>" for every
#    doubleword of the buffer); then the program ends with crt's PASS.
import argparse
import random
import sys

XLEN_MASK = (1 << 64) - 1
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1

# values that tend to find bugs in 64-bit and 32-bit (W) arithmetic,
# sign/zero extension and shift-amount masking
EDGES = [
    0, 1, -1, 2, -2, 3, INT64_MIN, INT64_MAX, INT64_MIN + 1,
    0x7fffffff, 0x80000000, 0xffffffff, -0x80000000, -0x80000001,
    0x100000000, 0x80000001, 0x7fffffff00000000, 0xffffffff00000000 - (1 << 64),
    0x0000ffff, 0x00008000, 0x7fff, 0xff, 0x80, 0x7ff, 0x800, -2048, -2049,
    31, 32, 33, 63, 64, 65, 127, -32, -63, -64,
    0x5555555555555555, -0x5555555555555556, 0x00000000fffff800,
]

ALU_RR = ["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or",
          "and", "addw", "subw", "sllw", "srlw", "sraw"]
MUL_RR = ["mul", "mulh", "mulhsu", "mulhu", "mulw"]
DIV_RR = ["div", "divu", "rem", "remu", "divw", "divuw", "remw", "remuw"]
ALU_RI = ["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"]
SHIFT_I = ["slli", "srli", "srai"]
SHIFT_IW = ["slliw", "srliw", "sraiw"]
BRANCHES = ["beq", "bne", "blt", "bge", "bltu", "bgeu"]
BRANCHES_Z = ["beqz", "bnez", "blez", "bgez", "bltz", "bgtz"]
LOADS = {"lb": 1, "lbu": 1, "lh": 2, "lhu": 2, "lw": 4, "lwu": 4, "ld": 8}
STORES = {"sb": 1, "sh": 2, "sw": 4, "sd": 8}

SP = 2
BUF_SIZE = 2048
SAVE_OFF = -256         # x<n> saved at SAVE_OFF + 8 * n (sp)
CREGS = list(range(8, 16))  # registers the C.* 3-bit fields name


def to_signed(v):
    v &= XLEN_MASK
    return v - (1 << 64) if v >> 63 else v


class Gen:
    def __init__(self, seed, index, length, misaligned):
        self.rng = random.Random("vmkit-diff:%s:%d" % (seed, index))
        self.length = length
        self.misaligned = misaligned
        self.label_n = 0
        self.count = 0          # instructions drawn so far (estimate)
        self.funcs = []         # out-of-line functions: list of lines

    # ---- operands ------------------------------------------------------
    def value(self):
        r = self.rng.random()
        if r < 0.35:
            return to_signed(self.rng.choice(EDGES))
        if r < 0.5:
            return to_signed(self.rng.getrandbits(32) - (1 << 31))
        if r < 0.6:
            return self.rng.randint(-100, 100)
        if r < 0.7:     # one bit, or all bits but one
            b = 1 << self.rng.randrange(64)
            return to_signed(b if self.rng.random() < 0.5 else ~b)
        return to_signed(self.rng.getrandbits(64))

    def rd(self, forbid=()):
        """a destination: never sp, x0 sometimes"""
        while True:
            if self.rng.random() < 0.06:
                r = 0
            else:
                r = self.rng.randrange(1, 32)
            if r != SP and r not in forbid:
                return r

    def rs(self):
        r = self.rng.random()
        if r < 0.08:
            return 0
        return self.rng.randrange(1, 32)

    def base(self, forbid=()):
        """a scratch register for addresses (not x0/sp/forbidden)"""
        while True:
            r = self.rng.randrange(1, 32)
            if r != SP and r not in forbid:
                return r

    def creg(self, forbid=()):
        while True:
            r = self.rng.choice(CREGS)
            if r not in forbid:
                return r

    def imm12(self):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice([0, 1, -1, 2047, -2048, 2046, -2047,
                                    0x7ff, 0x400, -0x400, 31, 32, 63])
        return self.rng.randint(-2048, 2047)

    def shamt(self, bits):
        if self.rng.random() < 0.5:
            return self.rng.choice([0, 1, bits // 2 - 1, bits // 2,
                                    bits // 2 + 1, bits - 2, bits - 1])
        return self.rng.randrange(bits)

    def label(self):
        self.label_n += 1
        return ".Ld%d" % self.label_n

    # ---- instruction groups -------------------------------------------
    # Each returns a list of assembly lines. `forbid` are registers the
    # group must not write (loop counters, link registers).

    def alu_rr(self, forbid):
        op = self.rng.choice(ALU_RR * 2 + MUL_RR * 2 + DIV_RR)
        d = self.rd(forbid)
        a, b = self.rs(), self.rs()
        r = self.rng.random()
        if r < 0.08:
            a = b = d
        elif r < 0.16:
            a = d
        elif r < 0.22:
            b = a
        self.count += 1
        return ["%s x%d, x%d, x%d" % (op, d, a, b)]

    def alu_ri(self, forbid):
        d = self.rd(forbid)
        a = d if self.rng.random() < 0.15 else self.rs()
        self.count += 1
        r = self.rng.random()
        if r < 0.55:
            op = self.rng.choice(ALU_RI)
            return ["%s x%d, x%d, %d" % (op, d, a, self.imm12())]
        if r < 0.8:
            op = self.rng.choice(SHIFT_I)
            return ["%s x%d, x%d, %d" % (op, d, a, self.shamt(64))]
        op = self.rng.choice(SHIFT_IW)
        return ["%s x%d, x%d, %d" % (op, d, a, self.shamt(32))]

    def upper(self, forbid):
        d = self.rd(forbid)
        imm = self.rng.choice([0, 1, 0x7ffff, 0x80000, 0xfffff,
                               self.rng.getrandbits(20)])
        self.count += 1
        op = "lui" if self.rng.random() < 0.6 else "auipc"
        return ["%s x%d, 0x%x" % (op, d, imm)]

    def li_edge(self, forbid):
        d = self.rd(forbid)
        self.count += 2
        return ["li x%d, %d" % (d, self.value())]

    def div_edge(self, forbid):
        """division by zero and the overflowing INT_MIN / -1"""
        n = self.base(forbid)
        m = self.base(forbid + (n,))
        d = self.rd(forbid)
        op = self.rng.choice(DIV_RR)
        w = op.endswith("w")
        kind = self.rng.randrange(3)
        out = []
        if kind == 0:       # INT_MIN / -1 (W forms look at the low word)
            if w:
                hi = self.rng.choice([0, -1, self.rng.getrandbits(32)])
                out.append("li x%d, %d" % (n, to_signed((hi << 32) |
                                                       0x80000000)))
                out.append("li x%d, %d" % (m, to_signed(
                    (self.rng.getrandbits(32) << 32) | 0xffffffff)))
            else:
                out.append("li x%d, %d" % (n, INT64_MIN))
                out.append("li x%d, -1" % m)
            out.append("%s x%d, x%d, x%d" % (op, d, n, m))
        elif kind == 1:     # by x0
            out.append("%s x%d, x%d, x0" % (op, d, self.rs()))
        else:               # by a register whose (low word) is zero
            v = (self.rng.getrandbits(32) << 32) if w else 0
            out.append("li x%d, %d" % (m, to_signed(v)))
            out.append("%s x%d, x%d, x%d" % (op, d, self.rs(), m))
        self.count += 4
        return out

    def offset(self, width):
        """an offset in the buffer for an access of `width` bytes"""
        off = self.rng.randrange(0, BUF_SIZE - 8 + 1)
        # draw even without misaligned accesses: the same program, aligned
        if self.rng.random() < 0.1 and self.misaligned:
            return off
        return off & ~(width - 1)

    def mem(self, forbid):
        if self.rng.random() < 0.5:
            op, width = self.rng.choice(list(LOADS.items()))
        else:
            op, width = self.rng.choice(list(STORES.items()))
        off = self.offset(width)
        if self.rng.random() < 0.55:
            base, pre = SP, []
        else:
            # another base register: base + imm lands on `off`
            base = self.base(forbid)
            imm = self.rng.randint(max(-2048, off - 2047),
                                   min(2047, off + 2048))
            pre = ["addi x%d, x%d, %d" % (base, SP, off - imm)]
            off = imm
        self.count += 1 + len(pre)
        if op in STORES:
            return pre + ["%s x%d, %d(x%d)" % (op, self.rs(), off, base)]
        return pre + ["%s x%d, %d(x%d)" % (op, self.rd(forbid), off, base)]

    def simple(self, forbid=()):
        r = self.rng.random()
        if r < 0.4:
            return self.alu_rr(forbid)
        if r < 0.7:
            return self.alu_ri(forbid)
        if r < 0.78:
            return self.upper(forbid)
        return self.mem(forbid)

    def body(self, n, forbid):
        out = []
        for _ in range(n):
            out += self.simple(forbid)
        return out

    def branch(self, forbid):
        skip = self.label()
        if self.rng.random() < 0.7:
            op = self.rng.choice(BRANCHES)
            a = self.rs()
            b = a if self.rng.random() < 0.15 else self.rs()
            br = "%s x%d, x%d, %s" % (op, a, b, skip)
        else:
            op = self.rng.choice(BRANCHES_Z)
            br = "%s x%d, %s" % (op, self.rs(), skip)
        self.count += 1
        return [br] + self.body(self.rng.randint(1, 4), forbid) + \
            [skip + ":"]

    def jump(self, forbid):
        """JAL over a group, or JALR through a register to a label"""
        to = self.label()
        d = self.rd(forbid)
        if self.rng.random() < 0.5:
            out = ["jal x%d, %s" % (d, to)]
        else:
            t = self.base(forbid)
            k = self.rng.choice([0, 0, 4, -8, 2047, -2048])
            odd = self.rng.random() < 0.3   # JALR clears bit 0
            if self.rng.random() < 0.2:
                d = t if t not in forbid else d   # rd == rs1
            out = ["lla x%d, %s%+d" % (t, to, int(odd) - k),
                   "jalr x%d, %d(x%d)" % (d, k, t)]
        self.count += len(out)
        return out + self.body(self.rng.randint(1, 3), forbid) + [to + ":"]

    def call(self, forbid, name):
        """a call to an out-of-line function with a random link register
        (or through C.JALR, which links x1)"""
        cjalr = self.rng.random() < 0.3
        if cjalr:
            link = 1
            if link in forbid:
                return []
            t = self.base(forbid + (1,))
            out = ["lla x%d, %s" % (t, name),
                   ".option push", ".option rvc",
                   "c.jalr x%d" % t, ".option pop"]
        else:
            link = self.base(forbid)
            out = ["jal x%d, %s" % (link, name)]
        fb = self.body(self.rng.randint(1, 6), forbid + (link,))
        r = self.rng.random()
        if r < 0.3:     # via another register
            t = self.base(forbid + (link,))
            fb += ["mv x%d, x%d" % (t, link), "jr x%d" % t]
        elif r < 0.5:
            fb += [".option push", ".option rvc", "c.jr x%d" % link,
                   ".option pop"]
        else:
            fb.append("jalr x0, 0(x%d)" % link)
        self.funcs.append(["    .balign 4", name + ":"] + fb)
        self.count += len(out) + 1
        return out

    def loop(self, forbid, depth=0):
        c = self.base(forbid)
        n = self.rng.choice([1, 2, 3, 4, 5, 8, 13, 20])
        top = self.label()
        body_forbid = forbid + (c,)
        kind = self.rng.randrange(4)
        init = {0: n, 1: n, 2: n - 1, 3: -n}[kind]
        out = ["li x%d, %d" % (c, init), top + ":"]
        for _ in range(self.rng.randint(1, 4)):
            r = self.rng.random()
            if r < 0.2:
                out += self.branch(body_forbid)
            elif r < 0.27 and depth == 0:
                out += self.loop(body_forbid, 1)
            else:
                out += self.simple(body_forbid)
        if kind == 0:
            out += ["addi x%d, x%d, -1" % (c, c), "bnez x%d, %s" % (c, top)]
        elif kind == 1:
            out += ["addi x%d, x%d, -1" % (c, c), "bgtz x%d, %s" % (c, top)]
        elif kind == 2:
            out += ["addi x%d, x%d, -1" % (c, c), "bge x%d, x0, %s" % (c, top)]
        else:
            out += ["addi x%d, x%d, 1" % (c, c), "bltz x%d, %s" % (c, top)]
        self.count += 3
        return out

    def trap(self, forbid):
        """a trap in the middle of a block: crt's handler resumes at the
        armed label with every register as it was at the trap (precise
        exceptions); the cause, epc and tval go into the dumps"""
        t = self.base(forbid)
        u = self.base(forbid + (t,))    # the address temporary of sd
        to = self.label()
        out = ["lla x%d, %s" % (t, to),
               "sd x%d, vk_trap_resume, x%d" % (t, u)]
        out += self.body(self.rng.randint(0, 3), forbid)
        k = self.rng.randrange(6)
        clear_tval = False
        if k <= 1:      # access fault: nothing is mapped at 0x20000
            # aligned: for a misaligned access QEMU 7.2 reports the
            # aligned-down address in mtval
            a = self.base(forbid)
            out.append("li x%d, 0x21000" % a)
            if k == 0:
                op, width = self.rng.choice(list(LOADS.items()))
                r = self.rd(forbid)
            else:
                op, width = self.rng.choice(list(STORES.items()))
                r = self.rs()
            out.append("%s x%d, %d(x%d)" % (op, r, self.imm12() & -width,
                                            a))
        elif k == 2:
            out.append("ecall")
        elif k == 3:    # mtval is 0 or the pc: not compared
            out += self.rng.choice([["ebreak"], [".option push",
                                   ".option rvc", "c.ebreak", ".option pop"]])
            clear_tval = True
        elif k == 4:    # csrrw x0, cycle, x0: illegal, mtval = its bits
            out.append("unimp")
        else:           # the all-zero halfword: illegal (mtval = 0)
            out.append(".2byte 0")
            out.append(".2byte 0")
        out += self.body(self.rng.randint(1, 2), forbid)
        out.append(to + ":")
        if clear_tval:
            out.append("sd x0, vk_trap_tval, x%d" % u)
        self.count += len(out)
        return out

    # ---- compressed ------------------------------------------------------
    def cinsn(self, forbid):
        rng = self.rng
        k = rng.randrange(14)
        d = self.rd(forbid + (0,))
        cd = self.creg(forbid)
        c2 = self.creg()
        nz6 = rng.choice([i for i in range(-32, 32) if i])
        if k == 0:
            return ["c.addi x%d, %d" % (d, nz6)]
        if k == 1:
            return ["c.addiw x%d, %d" % (d, rng.randint(-32, 31))]
        if k == 2:
            return ["c.li x%d, %d" % (d, rng.randint(-32, 31))]
        if k == 3:
            imm = rng.choice(list(range(1, 32)) + list(range(0xfffe0,
                                                             0x100000)))
            return ["c.lui x%d, 0x%x" % (d, imm)]
        if k == 4:
            return ["c.slli x%d, %d" % (d, rng.randint(1, 63))]
        if k == 5:
            op = rng.choice(["c.srli", "c.srai"])
            return ["%s x%d, %d" % (op, cd, rng.randint(1, 63))]
        if k == 6:
            return ["c.andi x%d, %d" % (cd, rng.randint(-32, 31))]
        if k == 7:
            op = rng.choice(["c.mv", "c.add"])
            return ["%s x%d, x%d" % (op, d, rng.randrange(1, 32))]
        if k == 8:
            op = rng.choice(["c.and", "c.or", "c.xor", "c.sub", "c.addw",
                             "c.subw"])
            return ["%s x%d, x%d" % (op, cd, cd if rng.random() < 0.2
                                     else c2)]
        if k == 9:      # sp-relative
            op = rng.choice(["c.ldsp", "c.lwsp", "c.sdsp", "c.swsp"])
            w = 8 if "d" in op[2:4] else 4
            off = rng.randrange(0, (504 if w == 8 else 252) + 1, w)
            r = d if "l" in op[2:3] else rng.randrange(0, 32)
            return ["%s x%d, %d(x2)" % (op, r, off)]
        if k == 10:     # register-relative through C.ADDI4SPN
            p = self.creg(forbid)
            op = rng.choice(["c.ld", "c.lw", "c.sd", "c.sw"])
            w = 8 if op.endswith("d") else 4
            off = rng.randrange(0, (248 if w == 8 else 124) + 1, w)
            r = self.creg(forbid) if op in ("c.ld", "c.lw") else c2
            return ["c.addi4spn x%d, x2, %d" % (p, rng.randrange(8, 1017, 8)),
                    "%s x%d, %d(x%d)" % (op, r, off, p)]
        if k == 11:     # short forward branch / jump
            skip = self.label()
            if rng.random() < 0.7:
                op = rng.choice(["c.beqz", "c.bnez"])
                head = "%s x%d, %s" % (op, c2, skip)
            else:
                head = "c.j %s" % skip
            return [head] + self.cinsn(forbid) + [skip + ":"]
        if k == 12 and rng.random() < 0.3:
            # sp moves and comes back (no access in between)
            return ["c.addi16sp x2, 32", "c.addi16sp x2, -32"]
        return ["c.nop"]

    def compressed(self, forbid):
        out = [".option push", ".option rvc"]
        for _ in range(self.rng.randint(2, 10)):
            if self.rng.random() < 0.75:
                lines = self.cinsn(forbid)
            else:   # ordinary instructions (the assembler may compress)
                lines = self.simple(forbid)
            self.count += len(lines)
            out += lines
        return out + [".option pop"]

    # ---- program ---------------------------------------------------------
    def group(self, index):
        r = self.rng.random()
        if r < 0.3:
            g = self.simple(())
        elif r < 0.38:
            g = self.mem(())
        elif r < 0.43:
            g = self.li_edge(())
        elif r < 0.48:
            g = self.div_edge(())
        elif r < 0.6:
            g = self.branch(())
        elif r < 0.66:
            g = self.jump(())
        elif r < 0.7:
            g = self.call((), "f%d" % index)
        elif r < 0.75:
            g = self.loop(())
        elif r < 0.79:
            g = self.trap(())
        else:
            g = self.compressed(())
        # a few groups run with compressed instructions allowed
        if g and self.rng.random() < 0.15 and not g[0].startswith(".option"):
            g = [".option push", ".option rvc"] + g + [".option pop"]
        return g

    def generate(self):
        self.init = {r: self.value() for r in range(1, 32) if r != SP}
        self.buf = [self.rng.getrandbits(64) for _ in range(BUF_SIZE // 8)]
        self.groups = []
        while self.count < self.length:
            self.groups.append(self.group(len(self.groups)))
        n = len(self.groups)
        ncheck = self.rng.randint(2, 4)
        self.checkpoints = sorted({self.rng.randrange(n)
                                   for _ in range(ncheck)})


def checkpoint():
    out = ["# checkpoint: save, dump, restore"]
    for r in range(1, 32):
        out.append("sd x%d, %d(x2)" % (r, SAVE_OFF + 8 * r))
    out.append("jal x1, dd_dump")
    for r in range(1, 32):
        if r != SP:
            out.append("ld x%d, %d(x2)" % (r, SAVE_OFF + 8 * r))
    return out


DUMP = """
# dd_dump: prints the registers saved at dd_save and the buffer's
# checksum; called with x1 = return address, may clobber everything.
    .balign 4
dd_dump:
    mv s0, x1
    ld s3, dd_ck
    addi s3, s3, 1
    sd s3, dd_ck, t0
    lla s1, dd_save + 8
    li s2, 1
1:  call dd_head
    li a0, 'x'
    call vk_putc
    mv a0, s2
    call vk_putdec
    li a0, ' '
    call vk_putc
    ld a0, 0(s1)
    call vk_puthex
    li a0, '\\n'
    call vk_putc
    addi s1, s1, 8
    addi s2, s2, 1
    li t0, 32
    bltu s2, t0, 1b
    /* checksum: rotate, xor, add the index */
    /* the last trap taken: cause, epc, tval and the count */
    call dd_head
    lla a0, dd_trap
    call vk_puts
    ld a0, vk_trap_cause
    call vk_puthex
    li a0, ' '
    call vk_putc
    ld a0, vk_trap_epc
    call vk_puthex
    li a0, ' '
    call vk_putc
    ld a0, vk_trap_tval
    call vk_puthex
    li a0, ' '
    call vk_putc
    ld a0, vk_trap_count
    call vk_puthex
    li a0, '\\n'
    call vk_putc
    lla s4, dd_buf
    li s5, %(words)d
    li s6, 0
2:  ld t0, 0(s4)
    slli t1, s6, 7
    srli t2, s6, 57
    or s6, t1, t2
    xor s6, s6, t0
    add s6, s6, s5
    addi s4, s4, 8
    addi s5, s5, -1
    bnez s5, 2b
    call dd_head
    lla a0, dd_mem
    call vk_puts
    mv a0, s6
    call vk_puthex
    li a0, '\\n'
    call vk_putc
%(dumpmem)s    jr s0

/* "@<checkpoint> " */
dd_head:
    mv s11, ra
    li a0, '@'
    call vk_putc
    mv a0, s3
    call vk_putdec
    li a0, ' '
    call vk_putc
    mv ra, s11
    ret
"""

DUMPMEM = """    lla s4, dd_buf
    li s5, 0
3:  call dd_head
    li a0, 'm'
    call vk_putc
    mv a0, s5
    call vk_putdec
    li a0, ' '
    call vk_putc
    add t0, s4, s5
    ld a0, 0(t0)
    call vk_puthex
    li a0, '\\n'
    call vk_putc
    addi s5, s5, 8
    li t0, %d
    bltu s5, t0, 3b
""" % BUF_SIZE


def emit(gen, seed, index, stop_after, dump_mem):
    ind = "    "
    out = ["/* SPDX-License-Identifier: GPL-2.0-or-later */",
           "/* generated by tests/engine/diff/gen.py --seed %s --index %d "
           "--length %d%s: do not edit */" %
           (seed, index, gen.length,
            "" if stop_after is None else " --stop-after %d" % stop_after),
           "# groups: %d" % len(gen.groups),
           "# checkpoints after groups: %s" %
           " ".join(str(c) for c in gen.checkpoints),
           "#include \"macros.h\"      /* vk_test_name, .option norvc */",
           ind + ".option norvc",
           ind + ".text",
           ind + ".globl test_main",
           ind + ".balign 4",
           "test_main:",
           ind + "lla x2, dd_buf"]
    for r, v in sorted(gen.init.items()):
        out.append(ind + "li x%d, %d" % (r, v))
    last = len(gen.groups) - 1 if stop_after is None else \
        min(stop_after, len(gen.groups) - 1)
    for i in range(last + 1):
        out.append("g%d:" % i)
        out += [l if l.endswith(":") else ind + l for l in gen.groups[i]]
        if i in gen.checkpoints and i != last:
            out += [ind + l for l in checkpoint()]
    out.append("g%d:" % (last + 1))
    out += [ind + l for l in checkpoint()]
    out.append(ind + "j vk_pass")
    out.append("")
    out.append("# out-of-line functions (called from group f<n>)")
    for f in gen.funcs:
        out += [l if l.endswith(":") else ind + l for l in f]
    out += (DUMP % {"words": BUF_SIZE // 8,
                    "dumpmem": DUMPMEM if dump_mem else ""}).split("\n")
    out += [ind + ".section .rodata",
            "dd_mem: .asciz \"mem \"",
            "dd_trap: .asciz \"trap \"",
            ind + ".data",
            ind + ".balign 4096",
            "dd_pad: .space %d" % (4096 - BUF_SIZE // 2 + SAVE_OFF),
            "dd_save: .space %d" % -SAVE_OFF,
            "dd_buf:"]
    for i in range(0, len(gen.buf), 4):
        out.append(ind + ".dword " + ", ".join("0x%016x" % w
                                               for w in gen.buf[i:i + 4]))
    out.append("dd_ck: .dword 0")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--seed", default="1")
    p.add_argument("--index", type=int, default=0)
    p.add_argument("--length", type=int, default=300)
    p.add_argument("--stop-after", type=int)
    p.add_argument("--dump-mem", action="store_true")
    p.add_argument("--no-misaligned", action="store_true")
    p.add_argument("-o", "--output")
    a = p.parse_args()
    g = Gen(a.seed, a.index, a.length, not a.no_misaligned)
    g.generate()
    text = emit(g, a.seed, a.index, a.stop_after, a.dump_mem)
    if a.output:
        with open(a.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
