#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/fetch.sh: the guest cache made by tools/fetch-guest is complete
# and well-formed, and a second run reuses it without downloading.
#
# Runs tools/fetch-guest first (a no-op when CI already did; a real fetch
# otherwise, skipped when that fails, e.g. offline). Does not boot anything:
# the guest tests that boot check the images work.

. "$VMKIT_SRCDIR/tests/lib.sh"

FETCH=$VMKIT_SRCDIR/tools/fetch-guest
CACHE=$(guest_cache)
IMAGES=$CACHE/images
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if ! "$FETCH" >"$TMP/first.log" 2>&1; then
    sed 's/^/# /' "$TMP/first.log" | tail -n 5
    skip_all "tools/fetch-guest could not fetch the guest (offline?)"
fi
diag "$(tail -n 1 "$TMP/first.log")"

# --- images/ -----------------------------------------------------------------

# hex FILE OFFSET COUNT: COUNT bytes at OFFSET as one hex string
hex() {
    od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

print_dir_ok() {
    [ "$("$FETCH" --print-dir)" = "$IMAGES" ]
}
ok "--print-dir names $IMAGES and says complete" print_dir_ok

# Documentation/arch/riscv/boot-image-header.rst: magic "RISCV\0\0\0" at
# 0x30, magic2 "RSC\x05" at 0x38.
ok "Image has the RISC-V Image magic at 0x30" \
    test "$(hex "$IMAGES/Image" 48 8)" = 5249534356000000
ok "Image has magic2 RSC\\x05 at 0x38" \
    test "$(hex "$IMAGES/Image" 56 4)" = 52534305

ok "fw_dynamic.bin is not empty" test -s "$IMAGES/fw_dynamic.bin"
ok "fw_dynamic.elf is an ELF file" \
    test "$(hex "$IMAGES/fw_dynamic.elf" 0 4)" = 7f454c46
ok "u-boot.bin is not empty" test -s "$IMAGES/u-boot.bin"

versions_ok() {
    grep -Eq '^linux-image-6\.12\.[^ ]*-riscv64 [^ ]+$' "$IMAGES/VERSIONS" &&
        grep -Eq '^busybox-static [^ ]+$' "$IMAGES/VERSIONS" &&
        grep -Eq '^opensbi [^ ]+$' "$IMAGES/VERSIONS" &&
        grep -Eq '^u-boot-qemu [^ ]+$' "$IMAGES/VERSIONS"
}
ok "VERSIONS lists the four packages with versions" versions_ok

# guest.env is sourced in a subshell: it must only set variables, all of
# them absolute paths to existing files (KVER apart).
guest_env_ok() {
    (
        . "$IMAGES/guest.env" || exit 1
        for f in "$KERNEL" "$INITRD" "$OPENSBI" "$UBOOT"; do
            case "$f" in /*) ;; *) exit 1 ;; esac
            [ -s "$f" ] || exit 1
        done
        [ "$KERNEL" = "$IMAGES/Image" ] && [ "$INITRD" = "$IMAGES/initrd.gz" ] &&
            [ -n "$KVER" ]
    )
}
ok "guest.env sets KERNEL INITRD OPENSBI UBOOT KVER" guest_env_ok

# --- the initramfs -----------------------------------------------------------

KVER=$(sed -n 's/^KVER=//p' "$IMAGES/guest.env")
MODDIR=lib/modules/$KVER

ok "initrd.gz is gzip" test "$(hex "$IMAGES/initrd.gz" 0 2)" = 1f8b
gzip -dc "$IMAGES/initrd.gz" >"$TMP/initrd.cpio" 2>/dev/null
# newc cpio: every header starts with "070701".
ok "initrd is a newc cpio" test "$(head -c 6 "$TMP/initrd.cpio")" = 070701
cpio -it --quiet <"$TMP/initrd.cpio" >"$TMP/list" 2>/dev/null

has() {
    grep -qx "$1" "$TMP/list"
}
ok "initrd has init" has init
ok "initrd has bin/busybox" has bin/busybox
ok "initrd has bin/sh" has bin/sh
ok "initrd has $MODDIR/modules.dep" has "$MODDIR/modules.dep"
for m in drivers/net/virtio_net.ko drivers/net/net_failover.ko \
    net/core/failover.ko drivers/net/ethernet/intel/e1000/e1000.ko; do
    ok "initrd has $m" has "$MODDIR/kernel/$m"
done
ok "initrd has no compressed modules" \
    sh -c "! grep -Eq '\\.ko\\.(xz|zst|gz)\$' '$TMP/list'"

# extract PATH: one file of the initramfs on stdout
extract() {
    cpio -i --quiet --to-stdout "$1" <"$TMP/initrd.cpio" 2>/dev/null
}

ok "init is tools/guest-init" \
    sh -c "cpio -i --quiet --to-stdout init <'$TMP/initrd.cpio' 2>/dev/null |
        cmp -s - '$VMKIT_SRCDIR/tools/guest-init'"
extract "$MODDIR/kernel/drivers/net/virtio_net.ko" >"$TMP/virtio_net.ko"
ok "virtio_net.ko is a plain ELF module" \
    test "$(hex "$TMP/virtio_net.ko" 0 4)" = 7f454c46
# depmod paths are relative to the module directory.
extract "$MODDIR/modules.dep" >"$TMP/modules.dep"
ok "modules.dep gives virtio_net its failover dependencies" \
    grep -q '^kernel/drivers/net/virtio_net\.ko:.*net_failover\.ko.*failover\.ko' \
    "$TMP/modules.dep"
ok "modules.dep lists e1000" \
    grep -q '^kernel/drivers/net/ethernet/intel/e1000/e1000\.ko:' "$TMP/modules.dep"
extract etc/vmkit/modules >"$TMP/modules"
ok "etc/vmkit/modules names virtio_net and e1000" \
    sh -c "grep -qx virtio_net '$TMP/modules' && grep -qx e1000 '$TMP/modules'"

# --- a second run reuses the cache -------------------------------------------

snapshot() {
    find "$CACHE/images" "$CACHE/debs" "$CACHE/apt/state/lists" -type f \
        -exec stat -c '%n %s %Y' {} + | LC_ALL=C sort
}
snapshot >"$TMP/before"
start=$(date +%s)
"$FETCH" >"$TMP/second.log" 2>&1
rc=$?
end=$(date +%s)
snapshot >"$TMP/after"
diag "second run: $((end - start)) s: $(tail -n 1 "$TMP/second.log")"
ok "second run succeeds" test "$rc" -eq 0
ok "second run says it used the cache" grep -q 'cached' "$TMP/second.log"
ok "second run downloads nothing" \
    sh -c "! grep -Eq '^(Get|Hit|Fetched)' '$TMP/second.log'"
ok "second run changes no file in the cache" cmp -s "$TMP/before" "$TMP/after"

# --- errors --------------------------------------------------------------------

# A private empty cache and a mirror nobody listens on: apt fails fast
# (connection refused) and fetch-guest must say so in one line.
VMKIT_GUEST_CACHE=$TMP/cache VMKIT_DEBIAN_MIRROR=http://127.0.0.1:9/debian \
    "$FETCH" >"$TMP/offline.out" 2>"$TMP/offline.err"
rc=$?
ok "offline: fetch-guest fails" test "$rc" -ne 0
ok "offline: last line is one clear error" \
    sh -c "tail -n 1 '$TMP/offline.err' | grep -q '^fetch-guest: error: .*offline'"
ok "offline: --print-dir says incomplete" \
    sh -c "! VMKIT_GUEST_CACHE='$TMP/cache' '$FETCH' --print-dir >/dev/null"

done_testing
