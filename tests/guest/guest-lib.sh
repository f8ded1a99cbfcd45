# SPDX-License-Identifier: GPL-2.0-or-later
# tests/guest/guest-lib.sh: helpers of the Debian-guest network tests
# (sourced, not run; it sources tests/lib.sh): the private namespace, the
# scratch folder, the host's HTTP server, booting a guest, its console,
# its monitor and its VMKIT-RESULT lines.
# Usage: . "$VMKIT_SRCDIR/tests/guest/guest-lib.sh"; guest_require;
# [guest_netns -n "$@";] guest_tmp; ... done_testing

. "$VMKIT_SRCDIR/tests/lib.sh"

VMKIT=${VMKIT:-$VMKIT_BUILDDIR/engine/vmkit}
IMAGES=$(guest_cache)/images
BOOT_TIMEOUT=${VMKIT_NET_TIMEOUT:-240}
GUEST_MEM=256M

# guest_require: skips the whole test without the guest, vmkit or tools
guest_require() {
    [ -r "$IMAGES/Image" ] && [ -r "$IMAGES/initrd.gz" ] ||
        skip_all "no guest images in $IMAGES (make fetch-guest)"
    [ -x "$VMKIT" ] || skip_all "no vmkit binary at $VMKIT"
    command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed"
    command -v timeout >/dev/null 2>&1 || skip_all "timeout is needed"
}

# guest_netns UNSHARE-FLAGS "$@": as root, runs the test again in its own
# namespaces (unshare UNSHARE-FLAGS, e.g. -n or -mn) with lo up there, so
# that nothing leaves the machine; VMKIT_NET_NS is set inside. Call it
# before guest_tmp: the first process execs and leaves nothing behind.
guest_netns() {
    _flags=$1
    shift
    if [ -z "${VMKIT_NET_NS:-}" ] && [ "$(id -u)" = 0 ] &&
        unshare "$_flags" true 2>/dev/null; then
        VMKIT_NET_NS=1 exec unshare "$_flags" -- "${SHELL:-/bin/sh}" "$0" "$@"
    fi
    if [ -n "${VMKIT_NET_NS:-}" ]; then
        ip link set lo up || skip_all "cannot bring up lo in the namespace"
    fi
}

# guest_tmp: a scratch folder $TMP, removed at exit with every process
# whose pid is in $PIDS killed first
guest_tmp() {
    TMP=$(mktemp -d)
    PIDS=""
    trap _guest_cleanup EXIT
    trap 'exit 1' INT TERM
}

_guest_cleanup() {
    for p in $PIDS; do
        kill "$p" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$TMP"
}

# free_port [tcp|udp]: a port of 127.0.0.1 that was free a moment ago
free_port() {
    python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET,
                  socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "${1:-tcp}"
}

# enc VALUE: the guest /init percent-decodes vmkit.* values
enc() {
    printf '%s' "$1" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/"/%22/g'
}

# has TEXT REGEX: TEXT has a line matching REGEX (grep -E)
has() {
    printf '%s\n' "$1" | grep -Eq -- "$2"
}

# http_serve PORT BYTES: serves $TMP/www/blob, BYTES of random data, on
# 127.0.0.1:PORT (the guest's 10.0.2.2:PORT); BLOB_SHA is its sha256.
# Returns once the server answers (or after ten seconds).
http_serve() {
    mkdir -p "$TMP/www"
    head -c "$2" /dev/urandom >"$TMP/www/blob"
    BLOB_SHA=$(sha256sum "$TMP/www/blob" | cut -d' ' -f1)
    python3 -m http.server --bind 127.0.0.1 --directory "$TMP/www" "$1" \
        >"$TMP/http.log" 2>&1 &
    PIDS="$PIDS $!"
    _n=0
    while [ $_n -lt 50 ] && ! python3 -c "import urllib.request as u
u.urlopen('http://127.0.0.1:$1/blob', timeout=1).read()" 2>/dev/null; do
        sleep 0.2
        _n=$((_n + 1))
    done
}

# start NAME APPEND [VMKIT-ARGS...]: boots the guest in the background
# with "console=ttyS0 APPEND", $GUEST_MEM of RAM, the console in
# $TMP/NAME.log, a monitor on $TMP/NAME.mon and vmkit's own output in
# $TMP/NAME.out; VM_PID is its pid
start() {
    _vm=$1 _append=$2
    shift 2
    timeout "$BOOT_TIMEOUT" "$VMKIT" -M virt -m "$GUEST_MEM" -display none \
        -serial "file:$TMP/$_vm.log" \
        -monitor "unix:$TMP/$_vm.mon,server,nowait" \
        -kernel "$IMAGES/Image" -initrd "$IMAGES/initrd.gz" \
        -append "console=ttyS0 $_append" "$@" >"$TMP/$_vm.out" 2>&1 &
    VM_PID=$!
    PIDS="$PIDS $VM_PID"
}

# boot NAME APPEND [VMKIT-ARGS...]: the same in the foreground, until the
# guest powers off (or BOOT_TIMEOUT)
boot() {
    start "$@"
    wait "$VM_PID"
}

# wait_log NAME PATTERN [SECONDS]: the console shows PATTERN (grep -E)
# within SECONDS (180)
wait_log() {
    _n=0
    _max=$((${3:-180} * 5))
    while [ $_n -lt $_max ]; do
        grep -aEq "$2" "$TMP/$1.log" 2>/dev/null && return 0
        sleep 0.2
        _n=$((_n + 1))
    done
    return 1
}

# mon NAME COMMAND: runs a command on the monitor of start NAME, prints
# its output (without the echo of the command line)
mon() {
    python3 - "$TMP/$1.mon" "$2" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
for _ in range(100):
    try:
        s.connect(sys.argv[1])
        break
    except OSError:
        time.sleep(0.1)
s.settimeout(10)
buf = b""
def until(tok):
    global buf
    while tok not in buf:
        d = s.recv(4096)
        if not d:
            break
        buf += d
    out, _, buf = buf.partition(tok)
    return out
until(b"(vmkit) ")
s.sendall(sys.argv[2].encode() + b"\r\n")
out = until(b"(vmkit) ").decode(errors="replace").replace("\r\n", "\n")
sys.stdout.write(out.partition("\n")[2])
EOF
}

# result NAME STEP: the last VMKIT-RESULT line of a net step on NAME's
# console
result() {
    grep -a "VMKIT-RESULT scenario=net step=$2 " "$TMP/$1.log" | tail -n 1
}

# guest_sha NAME: the sha256 the guest's server (vmkit.serve) printed
guest_sha() {
    result "$1" serve | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p'
}

# fetch PORT: sha256 of /blob from the guest's httpd through hostfwd on
# 127.0.0.1:PORT, "" on failure
fetch() {
    python3 - "$1" <<'EOF' 2>/dev/null
import hashlib, sys, urllib.request
d = urllib.request.urlopen("http://127.0.0.1:%s/blob" % sys.argv[1],
                           timeout=5).read()
print(hashlib.sha256(d).hexdigest())
EOF
}

# fetch_again PORT SHA: fetch, up to ten times until it gives SHA (a
# guest re-learning its link, TCP retrying); prints the last answer
fetch_again() {
    _n=0
    _got=""
    while [ $_n -lt 10 ] && [ "$_got" != "$2" ]; do
        _got=$(fetch "$1")
        _n=$((_n + 1))
    done
    printf '%s\n' "$_got"
}

# show_log NAME [LINES]: the tail of NAME's console (15 lines) and
# vmkit's own output, as TAP diagnostics
show_log() {
    diag "--- $1 console (tail)"
    tail -n "${2:-15}" "$TMP/$1.log" 2>/dev/null | sed 's/^/#   /'
    sed 's/^/#   /' "$TMP/$1.out" 2>/dev/null
}
