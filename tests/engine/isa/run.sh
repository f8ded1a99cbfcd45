#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/engine/isa/run.sh: runs each bare-metal ISA test program on the
# emulator (one TAP line per program) and shows its UART output on failure.
#
#   VMKIT_ISA_RUNNER   emulator to run (default: the built engine/vmkit;
#                      qemu-system-riscv64 runs the same suite on QEMU)
#   VMKIT_ISA_TESTS    space-separated subset of programs (default: all)
#   VMKIT_ISA_TIMEOUT  seconds per program (default 30)
#   VMKIT_ISA_VERBOSE  non-empty: show the UART output of passing programs too
#
# A program passes when the emulator exits with status 0 (SiFive test
# device: 0x5555) and its output has the "PASS (<file>)" line.
. "$VMKIT_SRCDIR/tests/lib.sh"

isadir=$VMKIT_BUILDDIR/tests/engine/isa
list=$isadir/programs.list
[ -f "$list" ] ||
    skip_all "ISA test programs not built (no riscv64 cross compiler)"

runner=${VMKIT_ISA_RUNNER:-$VMKIT_BUILDDIR/engine/vmkit}
limit=${VMKIT_ISA_TIMEOUT:-30}
programs=${VMKIT_ISA_TESTS:-$(cat "$list")}

# Programs that check where QEMU 7.2 differs from the spec (strict) or
# from vmkit's platform choices (platform): expected to fail on QEMU, so
# there they are reported as skipped, with their output for the record.
case $(basename "$runner") in
qemu-system-riscv64*) on_qemu=1 ;;
*) on_qemu= ;;
esac
qemu_differs() {
    case $1 in
    strict | platform) return 0 ;;
    esac
    return 1
}

if ! command -v "$runner" >/dev/null 2>&1 && [ ! -x "$runner" ]; then
    diag "runner $runner not found"
fi
have_timeout=
command -v timeout >/dev/null 2>&1 && have_timeout=1

out=$(mktemp "${TMPDIR:-/tmp}/vmkit-isa.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM

# run_program NAME: runs NAME.elf, output in $out, sets $status
run_program() {
    elf=$isadir/$1.elf
    if [ ! -f "$elf" ]; then
        echo "missing $elf" >"$out"
        status=127
        return
    fi
    if [ -n "$have_timeout" ]; then
        timeout -k 5 "$limit" "$runner" -M virt -m 64M -bios none \
            -nographic -kernel "$elf" </dev/null >"$out" 2>&1
    else
        "$runner" -M virt -m 64M -bios none -nographic -kernel "$elf" \
            </dev/null >"$out" 2>&1
    fi
    status=$?
}

# passed NAME: the last run of NAME passed
passed() {
    [ "$status" -eq 0 ] && grep -q "PASS ($1\\." "$out"
}

show_output() {
    case $status in
    0) ;;
    124 | 137) diag "$1: timed out after ${limit}s" ;;
    *) diag "$1: exit status $status" ;;
    esac
    # strip CRs and the terminal escapes an emulator might print
    tr -d '\r' <"$out" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' | head -n 60 |
        while IFS= read -r line; do
            diag "  $line"
        done
}

for t in $programs; do
    if [ -n "$on_qemu" ] && qemu_differs "$t"; then
        run_program "$t"
        show_output "$t"
        skip "$t" "checks where QEMU 7.2 is known to differ (see README)"
        continue
    fi
    run_program "$t"
    ok "$t" passed "$t"
    if ! passed "$t" || [ -n "${VMKIT_ISA_VERBOSE:-}" ]; then
        show_output "$t"
    fi
done

done_testing
