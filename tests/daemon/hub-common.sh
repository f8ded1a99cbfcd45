# SPDX-License-Identifier: GPL-2.0-or-later
# tests/daemon/hub-common.sh: shared by hub.sh and bridge.sh (sourced): a
# private dbus-daemon and vmd (through $NS_EXEC, e.g. "ip netns exec NS"),
# vmctl on it, guest domain XML, waiting for guest results.
. "$VMKIT_SRCDIR/tests/lib.sh"

VMCTL=$VMKIT_BUILDDIR/client/vmctl
VMD=$VMKIT_BUILDDIR/daemon/vmd
ENGINE=$VMKIT_BUILDDIR/engine/vmkit
: "${NS_EXEC:=}"

command -v dbus-daemon >/dev/null 2>&1 || skip_all "dbus-daemon is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -x "$VMCTL" ] || skip_all "client/vmctl is not built"
[ -x "$VMD" ] || skip_all "daemon/vmd is not built"
[ -x "$ENGINE" ] || skip_all "engine/vmkit is not built"
GUEST=$(guest_cache)/images
[ -f "$GUEST/Image" ] || GUEST=$(guest_cache)
[ -f "$GUEST/Image" ] && [ -f "$GUEST/initrd.gz" ] ||
    skip_all "no guest (tools/fetch-guest)"

T=$(mktemp -d "${TMPDIR:-/tmp}/vmd-hub.XXXXXX")
chmod 755 "$T"
BUS_PID=
VMD_PID=
hub_cleanup() {
    # engines outlive vmd by design: kill the ones this test started
    for _p in "$T"/state/run/*.pid; do
        [ -f "$_p" ] && kill -9 "$(cat "$_p")" 2>/dev/null
    done
    [ -n "$VMD_PID" ] && kill "$VMD_PID" 2>/dev/null
    [ -n "$BUS_PID" ] && kill "$BUS_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}

start_bus() {
    cat >"$T/bus.conf" <<EOF
<busconfig>
  <type>session</type>
  <listen>unix:dir=$T</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
    $NS_EXEC dbus-daemon --config-file="$T/bus.conf" --nofork \
        --print-address=3 3>"$T/addr" 2>"$T/bus.log" &
    BUS_PID=$!
    _i=0
    while [ ! -s "$T/addr" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
    ADDR=$(head -n1 "$T/addr")
    [ -n "$ADDR" ] || skip_all "dbus-daemon did not start: $(cat "$T/bus.log")"
}

vmctl() { $NS_EXEC "$VMCTL" --connect "$ADDR" "$@"; }
gd() { $NS_EXEC gdbus "$@"; }

start_vmd() {
    VMKIT_ENGINE=$ENGINE $NS_EXEC "$VMD" --bus-address "$ADDR" \
        --state-dir "$T/state" 2>>"$T/vmd.log" &
    VMD_PID=$!
    _i=0
    until vmctl list >/dev/null 2>&1; do
        _i=$((_i + 1))
        if [ $_i -gt 100 ] || ! kill -0 "$VMD_PID" 2>/dev/null; then
            echo "1..0 # SKIP vmd did not start: $(cat "$T/vmd.log")"
            exit 0
        fi
        sleep 0.1
    done
}

stop_vmd() {
    kill "$VMD_PID" 2>/dev/null
    wait "$VMD_PID" 2>/dev/null
    VMD_PID=
}

# guest_xml NAME MAC-SUFFIX "KERNEL ARGS" "<interface ...>": a domain whose
# serial console goes to $T/NAME.log
guest_xml() {
    cat >"$T/$1.xml" <<EOF
<domain type='vmkit'><name>$1</name><memory unit='MiB'>256</memory>
<os><type arch='riscv64' machine='virt'>hvm</type>
<kernel>$GUEST/Image</kernel><initrd>$GUEST/initrd.gz</initrd>
<cmdline>console=ttyS0 $3</cmdline></os>
<devices>$4
<serial type='file'><source path='$T/$1.log'/></serial></devices>
</domain>
EOF
}

# wait_result NAME PATTERN [SECONDS]: PATTERN appears in $T/NAME.log
wait_result() {
    _n=0
    while [ $_n -lt "${3:-180}" ]; do
        grep -q "$2" "$T/$1.log" 2>/dev/null && return 0
        sleep 1
        _n=$((_n + 1))
    done
    diag "'$2' not in the console of $1:"
    grep 'VMKIT-RESULT\|vmkit-init' "$T/$1.log" 2>/dev/null | sed 's/^/#   /'
    return 1
}

# run EXPECTED-STATUS CMD...: stdout/stderr in $T/out and $T/err
run() {
    _want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    _rc=$?
    if [ "$_rc" -ne "$_want" ]; then
        diag "exit status $_rc, expected $_want: $*"
        sed 's/^/#   out: /' "$T/out"
        sed 's/^/#   err: /' "$T/err"
        return 1
    fi
}
has() {
    _f=$T/out
    if [ "$1" = -e ]; then _f=$T/err; shift; fi
    grep -q -- "$1" "$_f" && return 0
    diag "'$1' not found in:"
    sed 's/^/#   /' "$_f"
    return 1
}
json() {
    python3 -c "import json, sys; d = json.load(sys.stdin); $1" <"$T/out"
}
