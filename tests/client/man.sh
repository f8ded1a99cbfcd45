#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/client/man.sh: the manual pages format without groff warnings, have
# their paths substituted, and vmctl.1 documents every vmctl command (TAP).
. "$VMKIT_SRCDIR/tests/lib.sh"

command -v groff >/dev/null 2>&1 || skip_all "groff is not installed"
MAN=$VMKIT_BUILDDIR/man
T=$(mktemp -d "${TMPDIR:-/tmp}/man-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

for page in vmkit.1 vmctl.1 vmd.8 vmkit-bridge-helper.8; do
    f=$MAN/$page
    if [ ! -f "$f" ]; then
        skip "$page" "not built"
        continue
    fi
    # "can't break line" depends on the configured paths' length (a long
    # --prefix, as in distcheck), not on the page: not a page defect
    LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$f" 2>&1 |
        grep -v "can't break line" >"$T/warn"
    ok "$page: no groff warning" test ! -s "$T/warn"
    [ -s "$T/warn" ] && sed 's/^/#   /' "$T/warn"
    ok "$page: no unsubstituted @variable@" sh -c "! grep -q '@[a-zA-Z_]*@' '$f'"
done

# every command of `vmctl help` has an entry in vmctl.1
VMCTL=$VMKIT_BUILDDIR/client/vmctl
if [ -x "$VMCTL" ] && [ -f "$MAN/vmctl.1" ]; then
    LC_ALL=C.UTF-8 MANWIDTH=200 groff -man -Tutf8 -P-cbou "$MAN/vmctl.1" \
        2>/dev/null >"$T/vmctl.txt"
    missing=
    for c in $(LC_ALL=C.UTF-8 "$VMCTL" help | sed -n 's/^    \([a-z][a-z-]*\) .*/\1/p'); do
        grep -q "^       $c\( \|$\)" "$T/vmctl.txt" || missing="$missing $c"
    done
    ok "vmctl.1 documents every command${missing:+ (missing:$missing)}" test -z "$missing"
else
    skip "vmctl.1 documents every command" "vmctl or vmctl.1 not built"
fi

done_testing
