#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/daemon/bridge-session.sh: a session vmd (not root) gets the TAPs
# of bridged interfaces from the setuid bridge helper (TAP).
#
# Needs root to set up; skipped otherwise.  Everything runs inside the
# network namespace vmkit-brs-PID (deleted on exit), as the unprivileged
# user nobody: its dbus-daemon, vmd, vmctl, the engines.  The namespace has
# br0 (10.9.9.1/24) and br1.  vmd runs the helper through
# VMKIT_BRIDGE_HELPER: a setuid-root copy of
# tests/daemon/vmkit-bridge-helper-sess, whose ACL is compiled in as
# bridge-session-tmp/bridge.conf in the build tree (tests/daemon/local.mk)
# and says "allow br0".  A Debian guest on br0 pings 10.9.9.1; domiflist
# names the helper's tapN, a port of br0, gone after destroy.  A domain on
# br1 fails to start with the helper's "access denied" in vmctl's error.
. "$VMKIT_SRCDIR/tests/daemon/hub-common.sh"

# Must match -DVMKIT_BRIDGE_ACL in tests/daemon/local.mk.
ACL_DIR="$VMKIT_BUILDDIR/tests/daemon/bridge-session-tmp"
ACL="$ACL_DIR/bridge.conf"
HELPER="$VMKIT_BUILDDIR/tests/daemon/vmkit-bridge-helper-sess"
NS="vmkit-brs-$$"
SUID_DIR=

ACL_MADE=
# hub-common.sh made $T: the trap comes before any skip
session_cleanup() {
    hub_cleanup
    ip netns del "$NS" 2>/dev/null
    [ -n "$SUID_DIR" ] && rm -rf "$SUID_DIR"
    [ -n "$ACL_MADE" ] && rm -rf "$ACL_DIR"
    :
}
trap session_cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

[ "$(id -u)" = 0 ] || skip_all "needs root (network namespace, setuid helper)"
for c in ip setpriv; do
    command -v "$c" >/dev/null 2>&1 || skip_all "no $c"
done
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"
[ -x "$HELPER" ] || skip_all "tests/daemon/vmkit-bridge-helper-sess is not built"

USER_UID=$(id -u nobody 2>/dev/null) || skip_all "no user nobody"
USER_GID=$(id -g nobody)
as_user() {
    setpriv --reuid="$USER_UID" --regid="$USER_GID" --clear-groups "$@"
}
as_user true 2>/dev/null || skip_all "setpriv cannot switch to nobody"

ip netns add "$NS" 2>/dev/null || skip_all "ip netns unavailable"
ns() { ip netns exec "$NS" "$@"; }
# hub-common.sh runs dbus-daemon, vmctl (and gdbus) through $NS_EXEC: in
# the namespace, as nobody, with a home of its own ($T has no spaces)
chown "$USER_UID:$USER_GID" "$T"
NS_EXEC="ip netns exec $NS setpriv --reuid=$USER_UID --regid=$USER_GID \
--clear-groups env HOME=$T XDG_RUNTIME_DIR=$T"
ns ip link set lo up
ns ip link add br0 type bridge || skip_all "cannot create a bridge"
ns ip addr add 10.9.9.1/24 dev br0
ns ip link set br0 up
ns ip link add br1 type bridge
ns ip link set br1 up

# The setuid copy needs a filesystem mounted without nosuid.
suid_ok() {
    command -v findmnt >/dev/null 2>&1 || return 0
    ! findmnt -n -o OPTIONS -T "$1" | grep -qw nosuid
}
for d in /var/tmp /tmp; do
    if suid_ok "$d"; then
        SUID_DIR=$(mktemp -d "$d/vmkit-sess-helper.XXXXXX") && break
    fi
done
[ -n "$SUID_DIR" ] || skip_all "no suid-capable filesystem for the setuid copy"
chmod 755 "$SUID_DIR"
SUID="$SUID_DIR/vmkit-bridge-helper"
install -o root -m 4755 "$HELPER" "$SUID" || skip_all "cannot install $SUID"
ACL_MADE=1
rm -rf "$ACL_DIR"
mkdir -p "$ACL_DIR" && chmod 755 "$ACL_DIR" || skip_all "cannot create $ACL_DIR"
printf 'allow br0\n' >"$ACL"
chmod 644 "$ACL"
export VMKIT_BRIDGE_HELPER="$SUID"

for f in "$VMD" "$VMCTL" "$ENGINE" "$SUID"; do
    as_user test -x "$f" || skip_all "$f is not executable by nobody"
done
as_user test -r "$ACL" || skip_all "$ACL is not readable by nobody"
# the guest, readable by nobody (a copy in $T if the cache is not)
if ! as_user test -r "$GUEST/Image" -a -r "$GUEST/initrd.gz"; then
    mkdir "$T/guest"
    cp "$GUEST/Image" "$GUEST/initrd.gz" "$T/guest/"
    chmod 755 "$T/guest"
    chmod 644 "$T/guest/Image" "$T/guest/initrd.gz"
    GUEST=$T/guest
fi

start_bus
$NS_EXEC "$VMD" --bus-address "$ADDR" --state-dir "$T/state" \
    --engine "$ENGINE" 2>>"$T/vmd.log" &
VMD_PID=$!
_i=0
until vmctl list >/dev/null 2>&1; do
    _i=$((_i + 1))
    if [ $_i -gt 100 ] || ! kill -0 "$VMD_PID" 2>/dev/null; then
        skip_all "vmd did not start: $(cat "$T/vmd.log")"
    fi
    sleep 0.1
done

# gone NAME: the interface disappears within 5 s
gone() {
    _i=0
    while ns ip link show "$1" >/dev/null 2>&1; do
        [ $_i -ge 50 ] && { diag "$1 still exists"; return 1; }
        sleep 0.1
        _i=$((_i + 1))
    done
}
taps() { ns ip -o link show type tun 2>/dev/null | awk -F': ' '{ print $2 }' | sed 's/@.*//'; }

ok "vmd runs as nobody" eval "[ \"\$(stat -c %u /proc/\$VMD_PID)\" = \"\$USER_UID\" ]"

# vmkit.after=shell: the guest stays up until destroy
guest_xml s1 1 "vmkit.scenario=net vmkit.static=10.9.9.2/24 vmkit.ping=10.9.9.1 vmkit.after=shell" \
    "<interface type='bridge'><mac address='52:54:00:09:09:02'/><source bridge='br0'/></interface>"
chmod 644 "$T/s1.xml"
ok "define s1 (bridge br0)" eval "run 0 vmctl define \"\$T/s1.xml\""
ok "start s1: the helper makes the TAP" eval "run 0 vmctl start s1"
TAP=$(vmctl domiflist s1 2>/dev/null | awk '$2 == "bridge" { print $1 }')
ok "domiflist: the helper's tapN" eval "case \"\$TAP\" in tap[0-9]*) true ;; *) diag \"got '\$TAP'\"; vmctl domiflist s1 | sed 's/^/#   /'; false ;; esac"
ok "live XML: <target dev=...>" eval "run 0 vmctl dumpxml s1 && has \"<target dev='\$TAP'/>\""
ok "the TAP is a port of br0, up" eval "
    ns ip -o link show master br0 >\"\$T/out\" && has \"\$TAP\" &&
    ns ip -o link show \"\$TAP\" >\"\$T/out\" && has 'link/ether fe:' &&
    has 'state UP\\|UP,LOWER_UP\\|,UP'"
ok "s1 pings 10.9.9.1 over br0" wait_result s1 'VMKIT-RESULT.*step=ping status=pass'
ok "s1 is still running, the TAP still there" eval "run 0 vmctl dominfo s1 && has 'State: *running' &&
    ns ip link show \"\$TAP\" >/dev/null"
ok "destroy s1" eval "run 0 vmctl destroy s1"
ok "no TAP is left" eval "gone \"\$TAP\" && [ -z \"\$(taps)\" ]"

# br1 exists, the ACL denies it: the helper's message, on one line
guest_xml s2 2 "vmkit.scenario=net" \
    "<interface type='bridge'><source bridge='br1'/></interface>"
chmod 644 "$T/s2.xml"
vmctl define "$T/s2.xml" >/dev/null
ok "start s2 (bridge br1, denied by the ACL) fails" eval "run 1 vmctl start s2"
ok "vmctl's error has the helper's access denied" eval \
    "has -e \"access denied: bridge 'br1' is not allowed by \$ACL\""
ok "vmctl's error is one line" eval "[ \"\$(wc -l <\"\$T/err\")\" = 1 ]"
sed 's/^/# /' "$T/err"
ok "s2 is not running, no TAP" eval "run 0 vmctl dominfo s2 && has 'State: *shut off' && [ -z \"\$(taps)\" ]"
done_testing
