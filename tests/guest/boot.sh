#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/boot.sh: Debian's OpenSBI, Linux and U-Boot on vmkit's virt
# board — boot to userspace and power off (1 and 2 harts), reboot, U-Boot
# prompt and command, monitor, -dumpdtb, and bad input handled cleanly.
. "$VMKIT_SRCDIR/tests/lib.sh"

VMKIT=$VMKIT_BUILDDIR/engine/vmkit
IMG=$(guest_cache)/images
CON="python3 $VMKIT_SRCDIR/tests/guest/console.py"
[ -f "$IMG/Image" ] && [ -f "$IMG/initrd.gz" ] ||
    skip_all "no guest images in $IMG (run tools/fetch-guest)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

boot() { # boot SMP SCENARIO-ARGS...
    smp=$1; shift
    echo "$VMKIT -M virt -m 512M -smp $smp -nographic -kernel $IMG/Image -initrd $IMG/initrd.gz -append 'console=ttyS0 $*'"
}

ok "Linux boots to userspace and powers off (-smp 1)" \
    $CON --timeout 240 "expect:VMKIT-RESULT scenario=boot status=pass .*nproc=1;;exit:0" -- \
    $VMKIT -M virt -m 512M -smp 1 -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=boot"

ok "Linux boots to userspace and powers off (-smp 2)" \
    $CON --timeout 240 "expect:VMKIT-RESULT scenario=boot status=pass .*nproc=2;;exit:0" -- \
    $VMKIT -M virt -m 512M -smp 2 -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=boot"

ok "a command runs in the guest and prints its result" \
    $CON --timeout 240 "expect:vmkit-says-42;;expect:VMKIT-RESULT scenario=cmd status=pass rc=0;;exit:0" -- \
    $VMKIT -M virt -m 256M -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" \
    -append "console=ttyS0 vmkit.scenario=cmd vmkit.cmd=echo%20vmkit-says-\$((6*7))"

ok "guest reboot restarts the machine and it boots again" \
    $CON --timeout 300 "count:2:VMKIT-RESULT scenario=reboot status=rebooting" -- \
    $VMKIT -M virt -m 256M -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=reboot"

ok "-no-reboot turns a guest reboot into an exit" \
    $CON --timeout 240 "expect:status=rebooting;;exit:0" -- \
    $VMKIT -M virt -m 256M -nographic -no-reboot -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=reboot"

ok "the shell answers on the serial console" \
    $CON --timeout 240 "expect:VMKIT-READY;;expect:vmkit# ;;send:echo sum=\$((40+2))\n;;expect:sum=42;;send:exit\n;;exit:0" -- \
    $VMKIT -M virt -m 256M -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=shell"

ok "Ctrl-A x quits from the stdio console" \
    $CON --timeout 240 "expect:VMKIT-READY;;send:\x01x;;exit:0" -- \
    $VMKIT -M virt -m 256M -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=shell"

ok "Ctrl-A c reaches the monitor (info status)" \
    $CON --timeout 240 "expect:VMKIT-READY;;send:\x01c;;send:info status\n;;expect:VM status: running;;send:quit\n;;exit:0" -- \
    $VMKIT -M virt -m 256M -nographic -kernel "$IMG/Image" \
    -initrd "$IMG/initrd.gz" -append "console=ttyS0 vmkit.scenario=shell"

if [ -f "$IMG/u-boot.bin" ]; then
    ok "U-Boot (S-mode over OpenSBI) reaches its prompt and runs a command" \
        $CON --timeout 240 "expect:U-Boot 20;;expect:autoboot|=> ;;send:\n;;expect:=> ;;send:echo uboot-\${board}-ok\n;;expect:uboot-.*-ok;;send:poweroff\n;;exit:0" -- \
        $VMKIT -M virt -m 256M -nographic -kernel "$IMG/u-boot.bin"
else
    skip "U-Boot" "no u-boot.bin in the cache"
fi

# ---- bad input: one line naming the problem, exit status 1 -------------
bad() { # bad NAME PATTERN ARGS...
    name=$1 pat=$2; shift 2
    "$VMKIT" "$@" </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    if [ $rc -ne 1 ]; then
        diag "$name: exit status $rc, want 1"; cat "$T/err" | sed 's/^/# /'
        return 1
    fi
    if [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q -- "$pat" "$T/err"; then
        diag "$name: stderr:"; sed 's/^/# /' "$T/err"; return 1
    fi
}
ok "unknown option" bad unknown "unknown option '-frobnicate'" -frobnicate
ok "missing option argument" bad noarg "needs an argument" -m
ok "missing kernel file" bad nokernel "/nonexistent/Image" -M virt -kernel /nonexistent/Image -nographic
ok "unsupported machine" bad machine "unsupported machine type 'pc'" -M pc
ok "bad -m" bad badm "invalid RAM size 'lots'" -m lots
ok "-m too large for the host" bad bigm "RAM" -m 15T -bios none -nographic
ok "image that does not fit in RAM" bad fit "does not fit" -m 16M -bios none -nographic -kernel "$IMG/Image"
ok "bad -smp" bad smp "invalid -smp '99'" -smp 99

# ---- device tree ----------------------------------------------------------
ok "-dumpdtb writes the board's device tree" \
    "$VMKIT" -M virt -m 256M -smp 2 -dumpdtb "$T/virt.dtb" -append "hello=1"
if command -v dtc >/dev/null 2>&1; then
    dtc -I dtb -O dts -o "$T/virt.dts" "$T/virt.dtb" 2>/dev/null
    for c in 'riscv,clint0' 'riscv,plic0' 'ns16550a' 'google,goldfish-rtc' \
             'sifive,test1' 'syscon-poweroff' 'syscon-reboot' 'virtio,mmio' \
             'pci-host-ecam-generic' 'rv64imafdc' 'hello=1' 'cpu@1'; do
        ok "device tree has $c" grep -q -- "$c" "$T/virt.dts"
    done
else
    skip "device tree contents" "dtc not installed"
fi

done_testing
