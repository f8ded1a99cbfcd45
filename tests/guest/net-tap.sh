#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/net-tap.sh: Debian guests on TAP devices, all inside a
# network namespace this test creates (vmkit-tap-PID, deleted on exit):
#  - a TAP vmkit makes (tap%d) whose up-script gives the host side
#    192.168.77.1/24 and starts an HTTP server there: the guest pings it
#    and downloads a file (sha256 checked); the down-script runs at exit;
#  - fd=: the test opens a TAP made with `ip tuntap` and passes its fd;
#  - ifname=: vmkit makes vmkif0, the test configures it;
#  - two guests on TAPs in bridge br0 (the example vmkit-ifup script),
#    one serving, one pinging and downloading;
#  - -netdev bridge with a test build of vmkit-bridge-helper (its ACL in
#    the build tree) next to a TAP guest on the same bridge; a bridge the
#    ACL does not allow is refused with the helper's message.
# Needs root, `ip netns`, /dev/net/tun and python3; skipped otherwise.
. "$VMKIT_SRCDIR/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v ip >/dev/null 2>&1 || skip_all "no ip"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"
[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"
VMKIT=$VMKIT_BUILDDIR/engine/vmkit
IMG=$(guest_cache)/images
[ -f "$IMG/Image" ] && [ -f "$IMG/initrd.gz" ] ||
    skip_all "no guest images in $IMG (run tools/fetch-guest)"
# Must match -DVMKIT_BRIDGE_ACL in tests/guest/net-be.mk.
T="$VMKIT_BUILDDIR/tests/guest/net-tap-tmp"
HELPER="$VMKIT_BUILDDIR/tests/guest/vmkit-bridge-helper-netbe"
NS="vmkit-tap-$$"
TMO=300
PIDS=

cleanup() {
    for p in $PIDS; do
        kill "$p" 2>/dev/null
    done
    [ -s "$T/http.pid" ] && kill "$(cat "$T/http.pid")" 2>/dev/null
    wait 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

rm -rf "$T"
mkdir -p "$T/www" || skip_all "cannot create $T"
ip netns add "$NS" 2>/dev/null || skip_all "ip netns unavailable"
ns() { ip netns exec "$NS" "$@"; }
ns ip link set lo up

head -c 300000 /dev/urandom >"$T/www/blob"
SUM=$(sha256sum "$T/www/blob" | cut -d' ' -f1)

# vm NAME APPEND ARGS...: a vmkit guest inside the namespace, in the
# background, console in $T/NAME.log
vm() {
    name=$1 app=$2; shift 2
    # a fresh log now: wait_log must not read the last guest's
    : >"$T/$name.log"
    # not through ns(): $! must be the VM's process (ip execs timeout),
    # not a subshell whose death would leave the VM running
    ip netns exec "$NS" timeout "$TMO" "$VMKIT" -M virt -m 512M -nographic \
        -kernel "$IMG/Image" -initrd "$IMG/initrd.gz" \
        -append "console=ttyS0 vmkit.scenario=net $app" "$@" \
        </dev/null >"$T/$name.log" 2>&1 &
    PIDS="$PIDS $!"
    eval "PID_$name=$!"
}

# wait_log NAME REGEX: until the console shows REGEX, the VM ends or TMO
wait_log() {
    i=0
    while [ $i -lt $((TMO * 2)) ]; do
        grep -a -m1 -E "$2" "$T/$1.log" 2>/dev/null && return 0
        eval "p=\$PID_$1"
        kill -0 "$p" 2>/dev/null || break
        sleep 0.5
        i=$((i + 1))
    done
    grep -a -m1 -E "$2" "$T/$1.log" 2>/dev/null
}

# finish NAME: waits for the guest to power off by itself
finish() {
    eval "p=\$PID_$1"
    wait "$p" 2>/dev/null
}

stop() {
    eval "p=\$PID_$1"
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
}

show() {
    diag "--- $1:"
    tail -n 15 "$T/$1.log" 2>/dev/null | tr -d '\r' | sed 's/^/#   /'
}

okr() { # ok, and the command's status as ours
    _okr=$1; shift
    if "$@"; then
        ok "$_okr" true
    else
        ok "$_okr" false
        return 1
    fi
}

# guest_ok NAME DESC: the guest pinged 192.168.77.1 and got the blob
guest_ok() {
    if okr "$2: ping the host side" \
        grep -q -a 'step=ping status=pass addr=192.168.77.1' "$T/$1.log" &&
        okr "$2: download from the host, sha256 checked" \
            grep -q -a "step=download status=pass bytes=300000 sha256=$SUM" "$T/$1.log"
    then :; else
        show "$1"
    fi
}

HOST_NET="vmkit.static=192.168.77.2/24 vmkit.ping=192.168.77.1 vmkit.url=http://192.168.77.1:8000/blob vmkit.sha256=$SUM"

# ---- 1. vmkit makes the TAP; the up-script configures the host side ----
cat >"$T/up.sh" <<EOF
#!/bin/sh
# \$1: the TAP vmkit made. Host side address, an HTTP server on it.
echo "up \$*" >>"$T/scripts.log"
ip addr add 192.168.77.1/24 dev "\$1" || exit 1
ip link set "\$1" up || exit 1
cd "$T/www" && python3 -m http.server --bind 192.168.77.1 8000 \
    >"$T/http.log" 2>&1 </dev/null &
echo \$! >"$T/http.pid"
# serving before the guest asks
for i in \$(seq 50); do
    python3 -c 'import socket; socket.create_connection(("192.168.77.1", 8000), 1)' \
        2>/dev/null && exit 0
    sleep 0.1
done
exit 1
EOF
cat >"$T/down.sh" <<EOF
#!/bin/sh
echo "down \$*" >>"$T/scripts.log"
kill \$(cat "$T/http.pid") 2>/dev/null
exit 0
EOF
chmod 755 "$T/up.sh" "$T/down.sh"

vm g1 "$HOST_NET" -netdev tap,id=n0,script="$T/up.sh",downscript="$T/down.sh" \
    -device virtio-net-pci,netdev=n0
wait_log g1 'VMKIT-RESULT scenario=net status=' >/dev/null
finish g1
guest_ok g1 "tap made by vmkit, up-script"
okr "the scripts got the TAP's name, the down-script ran at exit" \
    grep -q -x 'down tap0' "$T/scripts.log" ||
    { diag "scripts.log:"; sed 's/^/#   /' "$T/scripts.log"; }
okr "the TAP is gone with vmkit" sh -c "! ip netns exec $NS ip link show tap0 >/dev/null 2>&1"

# the host side for the next guests: a persistent TAP the test owns
ns ip tuntap add dev vmkfd0 mode tap
ns ip addr add 192.168.77.1/24 dev vmkfd0
ns ip link set vmkfd0 up
(cd "$T/www" && exec ip netns exec "$NS" python3 -m http.server \
    --bind 192.168.77.1 8000 >"$T/http2.log" 2>&1 </dev/null) &
HTTP=$!     # the subshell execs: this is the server
PIDS="$PIDS $HTTP"

# ---- 2. fd=: the test opens the TAP and passes the fd -------------------
# with-tap IFNAME CMD...: opens IFNAME (IFF_TAP|IFF_NO_PI|IFF_VNET_HDR),
# runs CMD with @FD@ replaced by the inherited fd's number
cat >"$T/with-tap.py" <<'EOF'
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
# TUNSETIFF, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH22x", sys.argv[1].encode(),
                                        0x0002 | 0x1000 | 0x4000))
os.set_inheritable(fd, True)
args = [a.replace("@FD@", str(fd)) for a in sys.argv[2:]]
os.execv(args[0], args)
EOF
ns timeout "$TMO" python3 "$T/with-tap.py" vmkfd0 "$VMKIT" -M virt -m 512M \
    -nographic -kernel "$IMG/Image" -initrd "$IMG/initrd.gz" \
    -append "console=ttyS0 vmkit.scenario=net $HOST_NET" \
    -netdev tap,id=n0,fd=@FD@ -device virtio-net-pci,netdev=n0 \
    </dev/null >"$T/g2.log" 2>&1
guest_ok g2 "fd= (a TAP the test opened, vnet header on)"

# ---- 3. ifname=: vmkit makes vmkif0, the test configures it -------------
ns ip link set vmkfd0 down
ns ip addr flush dev vmkfd0
vm g3 "$HOST_NET" -netdev tap,id=n0,ifname=vmkif0,script=no,downscript=no \
    -device virtio-net-pci,netdev=n0
i=0
until ns ip link show vmkif0 >/dev/null 2>&1 || [ $i -gt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
ns ip addr add 192.168.77.1/24 dev vmkif0
ns ip link set vmkif0 up
wait_log g3 'VMKIT-RESULT scenario=net status=' >/dev/null
finish g3
guest_ok g3 "ifname=vmkif0, configured by the test"

# ---- 4. two guests on br0 through the example vmkit-ifup ---------------
ns ip link add br0 type bridge
ns ip link set br0 up
cp "$VMKIT_SRCDIR/data/vmkit-ifup" "$VMKIT_SRCDIR/data/vmkit-ifdown" "$T/"
chmod 755 "$T/vmkit-ifup" "$T/vmkit-ifdown"
# guest A serves; guest B pings it and downloads
serve_pair() { # serve_pair DESC NETDEV-A NETDEV-B
    desc=$1
    vm srv "vmkit.static=10.7.0.1/24 vmkit.serve=8080 vmkit.blobsize=262144 vmkit.wait=$TMO" \
        -netdev "$2" -device virtio-net-pci,netdev=n0,mac=52:54:00:00:07:01
    line=$(wait_log srv 'step=serve status=ready')
    sum=$(echo "$line" | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p')
    if [ -n "$sum" ]; then
        vm cli "vmkit.static=10.7.0.2/24 vmkit.ping=10.7.0.1 vmkit.url=http://10.7.0.1:8080/blob vmkit.sha256=$sum" \
            -netdev "$3" -device virtio-net-pci,netdev=n0,mac=52:54:00:00:07:02
        wait_log cli 'VMKIT-RESULT scenario=net status=' >/dev/null
        finish cli
    fi
    stop srv
    if okr "$desc: ping between the guests" \
        grep -q -a 'step=ping status=pass addr=10.7.0.1' "$T/cli.log" &&
        okr "$desc: download between the guests" \
            grep -q -a "step=download status=pass bytes=262144 sha256=$sum" "$T/cli.log"
    then :; else
        show srv
        show cli
    fi
}
TAPBR="tap,id=n0,script=$T/vmkit-ifup,downscript=$T/vmkit-ifdown"
serve_pair "two TAPs in br0 (vmkit-ifup)" "$TAPBR" "$TAPBR"

# ---- 5. -netdev bridge with the helper ----------------------------------
printf 'allow br0\n' >"$T/bridge.conf"
chmod 644 "$T/bridge.conf"
if [ -x "$HELPER" ]; then
    serve_pair "-netdev bridge (vmkit-bridge-helper) and a TAP in br0" \
        "bridge,id=n0,br=br0,helper=$HELPER" "$TAPBR"
    ns ip link add br1 type bridge
    ns "$VMKIT" -M virt -m 64M -nographic -kernel "$IMG/Image" \
        -netdev "bridge,id=n0,br=br1,helper=$HELPER" \
        -device virtio-net-pci,netdev=n0 </dev/null >"$T/out" 2>"$T/err"
    rc=$?
    okr "a bridge the ACL does not allow: one line, exit 1" \
        sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] &&
            grep -q \"bridge helper failed: vmkit-bridge-helper: access denied: bridge 'br1' is not allowed by $T/bridge.conf\" '$T/err'" ||
        { diag "exit $rc"; sed 's/^/#   /' "$T/err"; }
else
    skip "-netdev bridge with the helper" "no $HELPER"
    skip "-netdev bridge with the helper" "no $HELPER"
    skip "bridge not in the ACL" "no $HELPER"
fi

# ---- bad input ------------------------------------------------------------
printf '#!/bin/sh\nexit 1\n' >"$T/fail.sh"
chmod 755 "$T/fail.sh"
ns "$VMKIT" -M virt -m 64M -nographic -kernel "$IMG/Image" \
    -netdev "tap,id=n0,script=$T/fail.sh" -device virtio-net-pci,netdev=n0 \
    </dev/null >"$T/out" 2>"$T/err"
rc=$?
okr "a failing up-script: one line, exit 1" \
    sh -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] &&
        grep -q 'network script $T/fail.sh failed with status 1' '$T/err'" ||
    { diag "exit $rc"; sed 's/^/#   /' "$T/err"; }
okr "no TAP is left behind" sh -c "! ip netns exec $NS ip link show tap0 >/dev/null 2>&1" ||
    ns ip -br link | sed 's/^/#   /'

done_testing
