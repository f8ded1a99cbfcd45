#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/diff/run.sh: differential test of the CPU: random RV64GC
# integer programs (gen.py) run on vmkit's native x86-64 backend, on its
# threaded executor (VMKIT_JIT=off) and on QEMU when installed; their
# registers and memory must agree. One TAP line per program and pair.
#
#   VMKIT_DIFF_SEED     seed of the program set (default 1; any string)
#   VMKIT_DIFF_COUNT    number of programs (default 32)
#   VMKIT_DIFF_FIRST    index of the first program (default 0)
#   VMKIT_DIFF_LENGTH   instructions per program, roughly (default 300)
#   VMKIT_DIFF_QEMU     QEMU to compare with (default qemu-system-riscv64
#                       if installed; "no" compares the two vmkit executors)
#   VMKIT_DIFF_JOBS     programs run in parallel (default 4)
#   VMKIT_DIFF_TIMEOUT  seconds per run (default 20)
#   VMKIT_DIFF_KEEP     non-empty: keep the work directory even on success
#
# Manual fuzzing, from the build directory:
#   make check TESTS=tests/engine/diff/run.sh VMKIT_DIFF_SEED=$RANDOM \
#       VMKIT_DIFF_COUNT=500
#
# The programs, their builds and outputs are in
# $VMKIT_BUILDDIR/tests/engine/diff/work (removed when everything passes).
# A difference is bisected to one group of instructions; the diagnosis
# (seed, program, first differing register, the group's source and
# objdump listing, its registers before and after) is shown as TAP
# comments in tests/engine/diff/run.log.
. "$VMKIT_SRCDIR/tests/lib.sh"

diffdir=$VMKIT_BUILDDIR/tests/engine/diff
toolchain=$diffdir/toolchain
[ -f "$toolchain" ] ||
    skip_all "no riscv64 cross compiler (differential test not configured)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
cc=$(cat "$toolchain")
# the objdump next to the compiler (riscv64-linux-gnu-gcc -> ...-objdump)
objdump=$(echo "$cc" | sed -n 's/gcc$/objdump/p')
if [ -z "$objdump" ] || ! command -v "$objdump" >/dev/null 2>&1; then
    objdump=
fi

qemu=${VMKIT_DIFF_QEMU:-qemu-system-riscv64}
case $qemu in
no | none | off) qemu= ;;
*) command -v "$qemu" >/dev/null 2>&1 || qemu= ;;
esac

work=$diffdir/work
rm -rf "$work"
mkdir -p "$work" || exit 1

seed=${VMKIT_DIFF_SEED:-1}
python3 "$VMKIT_SRCDIR/tests/engine/diff/diff.py" \
    --vmkit "$VMKIT_BUILDDIR/engine/vmkit" --qemu "$qemu" \
    --cc "$cc" --objdump "$objdump" \
    --isa-dir "$VMKIT_SRCDIR/tests/engine/isa" --workdir "$work" \
    --seed "$seed" --count "${VMKIT_DIFF_COUNT:-32}" \
    --first "${VMKIT_DIFF_FIRST:-0}" --length "${VMKIT_DIFF_LENGTH:-300}" \
    --jobs "${VMKIT_DIFF_JOBS:-4}" --timeout "${VMKIT_DIFF_TIMEOUT:-20}" \
    >"$work/driver.log" 2>&1
status=$?
ok "driver: seed $seed, ${VMKIT_DIFF_COUNT:-32} programs" test "$status" -eq 0
if [ "$status" -ne 0 ] || [ ! -f "$work/results" ]; then
    while IFS= read -r line; do
        diag "  $line"
    done <"$work/driver.log"
    done_testing
    exit
fi

[ -n "$qemu" ] ||
    skip "native == qemu" "no QEMU (not installed, or VMKIT_DIFF_QEMU=no)"

tab=$(printf '\t')
while IFS=$tab read -r st what detail; do
    case $st in
    skip) skip "$what" "$detail" ;;
    ok) ok "$what" true ;;
    *)
        ok "$what" false
        if [ -f "$detail" ]; then
            while IFS= read -r line; do
                diag "$line"
            done <"$detail"
        fi
        ;;
    esac
done <"$work/results"

if [ "$_t_fail" -ne 0 ]; then
    diag "programs, builds and outputs kept in $work"
elif [ -z "${VMKIT_DIFF_KEEP:-}" ]; then
    rm -rf "$work"
fi
done_testing
