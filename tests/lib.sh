# SPDX-License-Identifier: GPL-2.0-or-later
# tests/lib.sh: helpers for shell tests that speak TAP (sourced, not run).
# Usage: . "$VMKIT_SRCDIR/tests/lib.sh"; plan N; ok COND "name"; ... done_testing

: "${VMKIT_BUILDDIR:=$(pwd)}"
: "${VMKIT_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
_t_n=0
_t_fail=0

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
diag() { echo "# $*"; }

# ok NAME CMD...: runs CMD, reports its success as one TAP result
ok() {
    _name=$1; shift
    _t_n=$((_t_n + 1))
    if "$@"; then
        echo "ok $_t_n - $_name"
    else
        echo "not ok $_t_n - $_name"
        _t_fail=$((_t_fail + 1))
    fi
}

skip() { _t_n=$((_t_n + 1)); echo "ok $_t_n - $1 # SKIP $2"; }

done_testing() {
    echo "1..$_t_n"
    [ "$_t_fail" -eq 0 ]
}

# guest_cache: where tools/fetch-guest puts the Debian guest
guest_cache() {
    if [ -n "${VMKIT_GUEST_CACHE:-}" ]; then
        echo "$VMKIT_GUEST_CACHE"
    elif [ -n "${XDG_CACHE_HOME:-}" ]; then
        echo "$XDG_CACHE_HOME/vmkit"
    elif [ "$(id -u)" = 0 ]; then
        echo /var/cache/vmkit
    else
        echo "$HOME/.cache/vmkit"
    fi
}
