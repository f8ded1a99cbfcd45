#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/net-helper/helper.sh: the setuid helper in a private network namespace.
#
# Needs root (it makes a network namespace, a bridge and a setuid copy of
# the helper); skipped otherwise.  Everything happens inside the namespace
# vmkit-test-PID, deleted on exit; no address is configured anywhere.  The
# helper under test is tests/net-helper/vmkit-bridge-helper-test, built
# from the same sources with its ACL compiled in as $T/bridge.conf (see
# tests/net-helper/local.mk), run setuid root by an unprivileged user
# through tests/net-helper/recv-fd, which speaks QEMU's side of the
# protocol.
. "$VMKIT_SRCDIR/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root"
for c in ip setpriv; do
    command -v "$c" >/dev/null 2>&1 || skip_all "no $c"
done
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"

# Must match -DVMKIT_BRIDGE_ACL in tests/net-helper/local.mk.
T="$VMKIT_BUILDDIR/tests/net-helper/helper-tmp"
ACL="$T/bridge.conf"
HELPER="$VMKIT_BUILDDIR/tests/net-helper/vmkit-bridge-helper-test"
RECV="$VMKIT_BUILDDIR/tests/net-helper/recv-fd"
QEMU_HELPER=/usr/lib/qemu/qemu-bridge-helper
NS="vmkit-test-$$"
MSG="vmkit-bridge-helper:"
SUID_DIR=
QEMU_PID=
QEMU_CONF_MADE=
QEMU_DIR_MADE=

cleanup() {
    if [ -n "$QEMU_PID" ]; then
        kill "$QEMU_PID" 2>/dev/null
        wait "$QEMU_PID" 2>/dev/null
    fi
    ip netns del "$NS" 2>/dev/null
    if [ -n "$QEMU_CONF_MADE" ]; then
        rm -f /etc/qemu/bridge.conf
        [ -n "$QEMU_DIR_MADE" ] && rmdir /etc/qemu 2>/dev/null
    fi
    [ -n "$SUID_DIR" ] && [ "$SUID_DIR" != "$T/bin" ] && rm -rf "$SUID_DIR"
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

rm -rf "$T"
mkdir -p "$T" || skip_all "cannot create $T"
chmod 755 "$T"

ip netns add "$NS" 2>/dev/null || skip_all "ip netns unavailable"
ns() { ip netns exec "$NS" "$@"; }

# The unprivileged caller
USER_UID=$(id -u nobody 2>/dev/null) || skip_all "no user nobody"
USER_GID=$(id -g nobody)
as_user() {
    setpriv --reuid="$USER_UID" --regid="$USER_GID" --clear-groups "$@"
}

# The setuid copy needs a filesystem mounted without nosuid.
suid_ok() {
    command -v findmnt >/dev/null 2>&1 || return 0
    ! findmnt -n -o OPTIONS -T "$1" | grep -qw nosuid
}
if suid_ok "$T"; then
    SUID_DIR="$T/bin"
    mkdir "$SUID_DIR"
else
    for d in /var/tmp /tmp; do
        if suid_ok "$d"; then
            SUID_DIR=$(mktemp -d "$d/vmkit-helper.XXXXXX") && break
        fi
    done
fi
[ -n "$SUID_DIR" ] || skip_all "no suid-capable filesystem for the setuid copy"
chmod 755 "$SUID_DIR"
SUID="$SUID_DIR/vmkit-bridge-helper"
install -o root -m 4755 "$HELPER" "$SUID" || skip_all "cannot install $SUID"

set_acl() {
    printf '%s\n' "$@" >"$ACL"
    chmod 644 "$ACL"
}
set_acl "allow br0"
as_user test -x "$RECV" -a -x "$SUID" -a -r "$ACL" ||
    skip_all "the build tree is not readable by nobody"

# br0 (MTU 1400) with one port up0 already, like a host NIC; br1; and
# nb0, a tap that is no bridge.  A bridge without a MAC set by hand takes
# the lowest of its ports' MACs: the helper's fe: MAC must not win over
# up0's fa:ff:..., which nearly every random MAC would.
ns ip link add br0 type bridge || skip_all "cannot create a bridge"
ns ip link set br0 mtu 1400
ns ip tuntap add dev up0 mode tap
ns ip link set up0 address fa:ff:ff:ff:ff:fe mtu 1400 master br0
ns ip link add br1 type bridge
ns ip tuntap add dev nb0 mode tap
BR0_MAC=$(ns cat /sys/class/net/br0/address)
[ "$BR0_MAC" = fa:ff:ff:ff:ff:fe ] || diag "br0 MAC $BR0_MAC"

# run user|root [recv-fd options] HELPER ARGS: sets $rc, $T/out, $T/err
run() {
    who=$1
    shift
    if [ "$who" = user ]; then
        ns setpriv --reuid="$USER_UID" --regid="$USER_GID" --clear-groups \
            "$RECV" "$@" >"$T/out" 2>"$T/err"
    else
        ns "$RECV" "$@" >"$T/out" 2>"$T/err"
    fi
    rc=$?
}

show() {
    diag "rc=$rc"
    sed 's/^/# out: /' "$T/out"
    sed 's/^/# err: /' "$T/err"
}

# taps named tap<N> in the namespace
taps() { ns ip -o link show | sed -n 's/^[0-9]*: \(tap[0-9]*\)[:@].*/\1/p'; }
no_taps() {
    left=$(taps)
    [ -z "$left" ] || { diag "taps left: $left"; false; }
}

line() { sed -n "$1p" "$T/out"; }
has_line() { grep -qxF -- "$1" "$2" || { show; false; }; }

# What --run prints while recv-fd holds the fd
FACTS='d=/sys/class/net/$TAP; cat $d/mtu; basename "$(readlink $d/master)";
cat $d/address; echo $(($(cat $d/flags) & 1)); cat /sys/class/net/br0/address'

# refused NAME MESSAGE [run args]: the helper fails with MESSAGE, no tap
refused() {
    name=$1
    msg=$2
    ok "$name: refused" [ "$rc" != 0 ]
    ok "$name: says \"$msg\"" has_line "$MSG $msg" "$T/err"
    ok "$name: one line from the helper" \
        [ "$(grep -c "^$MSG" "$T/err")" = 1 ]
    ok "$name: no tap left" no_taps
}

# ---- allowed: the whole job -------------------------------------------
set_acl "# test ACL" "allow br0"
run user --run "$FACTS" "$SUID" --br=br0
TAP=$(line 1 | sed -n 's/^tap=\(tap[0-9]*\) .*/\1/p')
ok "allowed: fd received by an unprivileged caller" \
    [ "$rc" = 0 -a -n "$TAP" ]
[ "$rc" = 0 ] || show
ok "allowed: no vnet header without --use-vnet" \
    [ "$(line 1)" = "tap=$TAP vnet_hdr=0" ]
ok "allowed: tap has the bridge MTU 1400" [ "$(line 2)" = 1400 ]
ok "allowed: tap enslaved to br0" [ "$(line 3)" = br0 ]
ok "allowed: tap MAC starts with fe:" \
    sh -c 'case "$1" in fe:*) exit 0;; *) exit 1;; esac' - "$(line 4)"
ok "allowed: tap is up" [ "$(line 5)" = 1 ]
ok "allowed: bridge kept its MAC" [ "$(line 6)" = "$BR0_MAC" ]
ok "allowed: helper printed nothing" [ ! -s "$T/err" ]
ok "allowed: tap gone once the receiver closed the fd" no_taps

run user "$SUID" --use-vnet --br=br0
ok "--use-vnet: tap has IFF_VNET_HDR" \
    grep -q '^tap=tap[0-9]* vnet_hdr=1$' "$T/out"
ok "--use-vnet: tap gone after" no_taps

# ---- privileges -----------------------------------------------------------
# CAP_NET_ADMIN is bit 12: 0x1000.  Ids all the caller's, nothing else kept.
CREDS_USER="uid=$USER_UID $USER_UID $USER_UID $USER_UID"
CREDS_USER="$CREDS_USER gid=$USER_GID $USER_GID $USER_GID $USER_GID"
CAPS="capeff=0000000000001000 capprm=0000000000001000 capbnd=0000000000000000"
run user --creds "$SUID" --br=br0
ok "setuid: runs as the caller with CAP_NET_ADMIN only" \
    has_line "$CREDS_USER $CAPS" "$T/out"
ok "setuid: still delivers the fd" grep -q '^tap=tap' "$T/out"
run root --creds "$HELPER" --br=br0
ok "as root (not setuid): CAP_NET_ADMIN only" \
    has_line "uid=0 0 0 0 gid=0 0 0 0 $CAPS" "$T/out"
ok "privileges: no tap left" no_taps

# ---- ACL refusals -----------------------------------------------------------
set_acl "allow br0"
run user "$SUID" --br=br1
refused "bridge not in the ACL" \
    "access denied: bridge 'br1' is not allowed by $ACL"

set_acl "allow br0" "deny all"
run user "$SUID" --br=br0
refused "deny all over allow br0" \
    "access denied: bridge 'br0' is not allowed by $ACL"

set_acl "allow all" "deny br0"
run user "$SUID" --br=br0
refused "deny br0 over allow all" \
    "access denied: bridge 'br0' is not allowed by $ACL"

set_acl "# test" "" "alow br0"
run user "$SUID" --br=br0
refused "malformed ACL" "access denied: $ACL:3: unknown keyword 'alow'"

set_acl "allow br0" "include $T/none.conf"
run user "$SUID" --br=br0
refused "missing include" "access denied: $ACL:2: cannot read included \
file '$T/none.conf': No such file or directory"

set_acl "allow br0"
chmod 600 "$ACL"
run user "$SUID" --br=br0
refused "ACL unreadable by the caller" \
    "access denied: cannot read ACL file '$ACL': Permission denied"

# The ACL path is compiled in: no variable or argument moves it.
set_acl "deny all"
printf 'allow all\n' >"$T/evil.conf"
chmod 644 "$T/evil.conf"
ns env VMKIT_BRIDGE_ACL="$T/evil.conf" BRIDGE_ACL="$T/evil.conf" \
    setpriv --reuid="$USER_UID" --regid="$USER_GID" --clear-groups \
    "$RECV" "$SUID" --br=br0 >"$T/out" 2>"$T/err"
rc=$?
refused "environment cannot change the ACL" \
    "access denied: bridge 'br0' is not allowed by $ACL"

# ---- names: refused before the ACL is read (it is missing here) -----------
rm -f "$ACL"
run user "$SUID" --br=br0
refused "missing ACL file" \
    "access denied: cannot read ACL file '$ACL': No such file or directory"
run user "$SUID" --br=abcdefghijklmnop
refused "16-character name" \
    "invalid bridge name 'abcdefghijklmnop': it is 16 bytes long, \
the limit is 15"
run user "$SUID" --br=../x
refused "name ../x" "invalid bridge name '../x': it contains '/'"
run user "$SUID" "--br=br 0"
refused "name with a space" "invalid bridge name 'br 0': it contains whitespace"
run user "$SUID" --br=..
refused "name .." \
    "invalid bridge name '..': '.' and '..' are not interface names"
run user "$SUID" --br=
refused "empty name" "invalid bridge name '': it is empty"

# ---- failures after the ACL: nothing left behind ---------------------------
set_acl "allow all"
run user "$SUID" --br=nobr0
refused "bridge that does not exist" "bridge 'nobr0' does not exist"

# nb0 is a tap, not a bridge: the new tap exists until enslaving fails
run user "$SUID" --br=nb0
ok "not a bridge: refused" [ "$rc" != 0 ]
ok "not a bridge: says it cannot add the tap" \
    grep -q "^$MSG cannot add 'tap[0-9]*' to bridge 'nb0': " "$T/err"
ok "not a bridge: no tap left" no_taps
diag "$(grep "^$MSG" "$T/err")"

run user --close "$SUID" --br=br0
ok "receiver gone: helper fails" grep -q '^status=[1-9]' "$T/out"
ok "receiver gone: says the send failed" \
    has_line "$MSG cannot send the tap fd: Broken pipe" "$T/err"
ok "receiver gone: tap removed" no_taps

ns setpriv --reuid="$USER_UID" --regid="$USER_GID" --clear-groups \
    "$SUID" --br=br0 --fd=0 </dev/null >"$T/out" 2>"$T/err"
rc=$?
refused "--fd not a socket" "--fd=0 is not a unix stream socket"

# ---- QEMU interop -----------------------------------------------------------
set_acl "allow br0"

# QEMU (as nobody) runs our setuid helper for -netdev bridge
QEMU=$(command -v qemu-system-riscv64 2>/dev/null)
if [ -n "$QEMU" ]; then
    # exec: $! must be QEMU itself, not a subshell running ns()
    (exec ip netns exec "$NS" setpriv --reuid="$USER_UID" \
        --regid="$USER_GID" --clear-groups \
        "$QEMU" -M virt -bios none -display none -nodefaults -S \
        -monitor none -serial none \
        -netdev "bridge,id=n0,br=br0,helper=$SUID" \
        -device virtio-net-pci,netdev=n0,romfile= \
        </dev/null >"$T/qemu.log" 2>&1) &
    QEMU_PID=$!
    qtap=
    for i in $(seq 1 100); do
        qtap=$(ns sh -c 'for d in /sys/class/net/tap*; do
            [ "$(basename "$(readlink "$d/master")")" = br0 ] &&
            echo "${d##*/}"; done' 2>/dev/null)
        [ -n "$qtap" ] && break
        kill -0 "$QEMU_PID" 2>/dev/null || break
        sleep 0.1
    done
    ok "QEMU with our helper: tap enslaved to br0" [ -n "$qtap" ]
    [ -n "$qtap" ] || sed 's/^/# qemu: /' "$T/qemu.log"
    ok "QEMU with our helper: tap MTU 1400" \
        [ "$(ns cat "/sys/class/net/$qtap/mtu" 2>/dev/null)" = 1400 ]
    kill "$QEMU_PID" 2>/dev/null
    wait "$QEMU_PID" 2>/dev/null
    QEMU_PID=
    ok "QEMU with our helper: tap gone after QEMU exits" no_taps
else
    skip "QEMU with our helper" "no qemu-system-riscv64"
fi

# QEMU's helper (as root, it is not setuid here) with our receiver
if [ -x "$QEMU_HELPER" ]; then
    if [ ! -e /etc/qemu/bridge.conf ]; then
        if [ ! -d /etc/qemu ]; then
            mkdir /etc/qemu && QEMU_DIR_MADE=1
        fi
        printf 'allow br0\n' >/etc/qemu/bridge.conf && QEMU_CONF_MADE=1
    fi
    if grep -qx 'allow br0' /etc/qemu/bridge.conf; then
        run root --run "$FACTS" "$QEMU_HELPER" --use-vnet --br=br0
        ok "QEMU's helper with our receiver: fd received" \
            grep -q '^tap=tap[0-9]* vnet_hdr=1$' "$T/out"
        [ "$rc" = 0 ] || show
        ok "QEMU's helper with our receiver: tap enslaved to br0" \
            [ "$(line 3)" = br0 ]
        ok "QEMU's helper with our receiver: tap gone after" no_taps
    else
        skip "QEMU's helper with our receiver" \
            "/etc/qemu/bridge.conf exists and does not allow br0"
    fi
else
    skip "QEMU's helper with our receiver" "no $QEMU_HELPER"
fi

done_testing
