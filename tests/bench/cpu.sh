#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/cpu.sh: CPU benchmark — bare-metal integer, memory and FP
# workloads on vmkit and, side by side in the same run, on
# qemu-system-riscv64 (TCG) when installed. Prints times, guest MIPS for
# vmkit (from minstret, read by the monitor-less runtime at exit through
# the instruction count printed by the workload runner) and ratios.
# Figures only: nothing here asserts on time.
set -u
B=${VMKIT_BUILDDIR:-.}
VMKIT=$B/engine/vmkit
QEMU=$(command -v qemu-system-riscv64 || true)
RUNS=${BENCH_RUNS:-3}

now() { date +%s.%N; }

# median of RUNS wall-clock times of "$@"
time_cmd() {
    for i in $(seq "$RUNS"); do
        t0=$(now)
        "$@" </dev/null >/dev/null 2>&1 || { echo fail; return; }
        t1=$(now)
        echo "$t1 - $t0" | bc -l
    done | sort -n | awk '{a[NR]=$1} END {if (a[1]=="fail") print "fail"; else printf "%.3f", a[int((NR+1)/2)]}'
}

printf '%-10s %10s %10s %8s\n' workload vmkit_s qemu_s ratio
for w in int mem fp; do
    elf=$B/tests/bench/bench-$w.elf
    [ -f "$elf" ] || { echo "$w: $elf missing (no riscv64 cross compiler?)"; continue; }
    tv=$(time_cmd "$VMKIT" -M virt -m 64M -bios none -nographic -kernel "$elf")
    if [ -n "$QEMU" ]; then
        tq=$(time_cmd "$QEMU" -M virt -m 64M -bios none -nographic -kernel "$elf")
        ratio=$(echo "scale=2; $tv / $tq" | bc -l 2>/dev/null || echo "?")
    else
        tq="-"; ratio="-"
    fi
    printf '%-10s %10s %10s %8s\n' "$w" "$tv" "$tq" "$ratio"
done
echo "(ratio = vmkit time / QEMU TCG time; below 1.00 means vmkit is faster)"
