#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/client/vmctl.sh: vmctl against vmd on a private dbus-daemon: every
# command vmd implements, exit codes, --json, edit, event, French messages
# and the bash completion (TAP).
. "$VMKIT_SRCDIR/tests/lib.sh"

VMCTL=$VMKIT_BUILDDIR/client/vmctl
VMD=$VMKIT_BUILDDIR/daemon/vmd
XML=$VMKIT_SRCDIR/tests/client/demo.xml
UUID=c7a5fdbd-edaf-9455-926a-d65c16db1809

command -v dbus-daemon >/dev/null 2>&1 || skip_all "dbus-daemon is not installed"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
[ -x "$VMCTL" ] || skip_all "client/vmctl is not built"
[ -x "$VMD" ] || skip_all "daemon/vmd is not built"

T=$(mktemp -d "${TMPDIR:-/tmp}/vmctl-test.XXXXXX")
BUS_PID=
VMD_PID=
cleanup() {
    # engines outlive vmd by design: kill the ones this test started
    for _p in "$T"/state/run/*.pid; do
        [ -f "$_p" ] && kill -9 "$(cat "$_p")" 2>/dev/null
    done
    [ -n "$VMD_PID" ] && kill "$VMD_PID" 2>/dev/null
    [ -n "$BUS_PID" ] && kill "$BUS_PID" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
unset VMCTL_CONNECT VISUAL EDITOR LANGUAGE LANG LC_MESSAGES
LC_ALL=C.UTF-8
TMPDIR=$T
export LC_ALL TMPDIR

# ---- a private bus and vmd on it ------------------------------------------
cat >"$T/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
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
dbus-daemon --config-file="$T/bus.conf" --nofork --print-address=3 \
    3>"$T/addr" 2>"$T/bus.log" &
BUS_PID=$!
i=0
while [ ! -s "$T/addr" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ADDR=$(head -n1 "$T/addr")
[ -n "$ADDR" ] || skip_all "dbus-daemon did not start: $(cat "$T/bus.log")"

VMKIT_ENGINE=$VMKIT_BUILDDIR/engine/vmkit \
    "$VMD" --bus-address "$ADDR" --state-dir "$T/state" 2>"$T/vmd.log" &
VMD_PID=$!
vmctl() { "$VMCTL" --connect "$ADDR" "$@"; }
i=0
until vmctl list >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$VMD_PID" 2>/dev/null; then
        echo "1..0 # SKIP vmd did not start: $(cat "$T/vmd.log")"
        exit 0
    fi
    sleep 0.1
done

# run NAME EXPECTED-STATUS CMD...: stdout/stderr in $T/out and $T/err
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
# same [FILE]: $T/out equals FILE (default: $T/expect)
same() {
    _e=${1:-$T/expect}
    cmp -s "$_e" "$T/out" && return 0
    diag "unexpected output:"
    diff -u "$_e" "$T/out" | sed 's/^/#   /'
    return 1
}
# has [-e] PATTERN: grep in $T/out (-e: in $T/err)
has() {
    _f=$T/out
    if [ "$1" = -e ]; then _f=$T/err; shift; fi
    grep -q -- "$1" "$_f" && return 0
    diag "'$1' not found in:"
    sed 's/^/#   /' "$_f"
    return 1
}
# one_error PATTERN: exactly one "error: " line on stderr, matching
one_error() {
    [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "^error: $1" "$T/err" &&
        ! grep -q 'GDBus.Error' "$T/err" && return 0
    diag "expected one 'error: $1' line, got:"
    sed 's/^/#   /' "$T/err"
    return 1
}
json() {
    python3 -c "import json, sys; d = json.load(sys.stdin); $1" <"$T/out"
}
expect() { printf '%s\n' "$@" >"$T/expect"; }
# subscribed: wait until a client (vmctl event) listens to DomainEvent,
# asking dbus-daemon for its match rules (else give it a second)
subscribed() {
    if command -v gdbus >/dev/null 2>&1; then
        _i=0
        while [ $_i -lt 100 ]; do
            gdbus call --address "$ADDR" --dest org.freedesktop.DBus \
                --object-path /org/freedesktop/DBus \
                --method org.freedesktop.DBus.Debug.Stats.GetAllMatchRules \
                2>/dev/null | grep -q "member='DomainEvent'" && return 0
            sleep 0.1
            _i=$((_i + 1))
        done
    fi
    sleep 1
}

# ---- usage and help ---------------------------------------------------------
ok "--help" eval "run 0 vmctl --help && has '^Usage: vmctl' && has '^    domiflist '"
ok "no command: usage, exit 2" eval "run 2 vmctl && has -e '^Usage: vmctl'"
ok "unknown command: exit 2" eval "run 2 vmctl bogus && has -e \"^error: unknown command: 'bogus'\""
ok "unknown option: exit 2 with the command's usage" eval "
    run 2 vmctl list --bogus &&
    has -e \"^error: command 'list' doesn't support option --bogus\" &&
    has -e '^Usage: vmctl list \[--all\] \[--inactive\] \[--name\] \[--json\]'"
ok "missing argument: exit 2" eval "run 2 vmctl dominfo && has -e \"^error: command 'dominfo' requires DOMAIN\""
ok "extra argument: exit 2" eval "run 2 vmctl dominfo a b && has -e \"unexpected argument 'b'\""
ok "bad number: exit 2" eval "run 2 vmctl event --timeout x && has -e 'expects a non-negative number'"
ok "help COMMAND" eval "run 0 vmctl help dumpxml && has '^Usage: vmctl dumpxml DOMAIN \[--inactive\] \[--security-info\]'"
ok "COMMAND --help" eval "run 0 vmctl dumpxml --help && has '^Usage: vmctl dumpxml DOMAIN'"
ok "help for an unknown command: exit 2" eval "run 2 vmctl help bogus"
ok "invalid --connect: exit 1" eval "run 1 \"\$VMCTL\" --connect bogus list && one_error \"failed to list domains: invalid connection 'bogus'\""
ok "VMCTL_CONNECT" eval "VMCTL_CONNECT=\"\$ADDR\" run 0 \"\$VMCTL\" list"
ok "--connect=ADDRESS" eval "run 0 \"\$VMCTL\" --connect=\"\$ADDR\" list"

# ---- define / list ------------------------------------------------------------
expect " Id   Name   State" "--------------------" ""
ok "list: empty" eval "run 0 vmctl list --all && same"

ok "define" eval "run 0 vmctl define \"\$XML\" && has \"^Domain 'demo' defined from \$XML\\\$\""
sed -e 's/<name>demo</<name>demo2</' -e "s/$UUID/0d3f2c6e-2f59-4c4d-9a3f-6b2a1c9e7d10/" \
    -e '/<interface type=.network/,/<\/interface>/d' "$XML" >"$T/demo2.xml"
ok "define from standard input" eval "run 0 vmctl define - <\"\$T/demo2.xml\" && has \"^Domain 'demo2' defined from -\""
printf '<domain type="vmkit"><name>bad</name>\n' >"$T/bad.xml"
ok "define: invalid XML fails with vmd's message" eval "run 1 vmctl define \"\$T/bad.xml\" && one_error \"failed to define domain from \$T/bad.xml: .\""
ok "define: missing file" eval "run 1 vmctl define \"\$T/none.xml\" && one_error '.*none.xml'"

expect " Id   Name   State" "--------------------" ""
ok "list: no active domain" eval "run 0 vmctl list && same"
expect " Id   Name    State" "------------------------" \
    " -    demo    shut off" " -    demo2   shut off" ""
ok "list --all" eval "run 0 vmctl list --all && same"
ok "list --inactive" eval "run 0 vmctl list --inactive && same"
expect demo demo2
ok "list --all --name" eval "run 0 vmctl list --all --name && same"
ok "list --all --json" eval "run 0 vmctl list --all --json && json \"
assert [x['name'] for x in d] == ['demo', 'demo2'], d
assert d[0]['uuid'] == '\$UUID' and d[0]['id'] is None, d
assert d[0]['state'] == 'shutoff' and not d[0]['active'], d
assert d[0]['persistent'] and not d[0]['autostart'], d\""
ok "list --json (none active)" eval "run 0 vmctl list --json && json 'assert d == []'"
ok "list: --name and --json exclude each other" eval "run 2 vmctl list --name --json"

# ---- dominfo / dumpxml / domiflist ----------------------------------------------
expect "Id:             -" "Name:           demo" "UUID:           $UUID" \
    "OS Type:        hvm" "State:          shut off" "CPU(s):         1" \
    "Max memory:     262144 KiB" "Used memory:    262144 KiB" \
    "Persistent:     yes" "Autostart:      disable" ""
ok "dominfo" eval "run 0 vmctl dominfo demo && same"
ok "dominfo by UUID" eval "run 0 vmctl dominfo \$UUID && same"
ok "dominfo --domain NAME" eval "run 0 vmctl dominfo --domain demo && same"
ok "dominfo --json" eval "run 0 vmctl dominfo demo --json && json \"
assert d['name'] == 'demo' and d['vcpus'] == 1, d
assert d['max_memory_kib'] == 262144 and d['os_type'] == 'hvm', d\""
ok "dumpxml" eval "run 0 vmctl dumpxml demo && has '<name>demo</name>' && has \"<uuid>\$UUID</uuid>\" && has \"<source network='lan'/>\""
ok "dumpxml --inactive" eval "run 0 vmctl dumpxml --inactive demo && has '<name>demo</name>'"
vmctl dumpxml demo >"$T/dump.xml" 2>/dev/null
ok "define from dumpxml (round trip)" eval "run 0 vmctl define \"\$T/dump.xml\" && run 0 vmctl dumpxml demo && same \"\$T/dump.xml\""
expect " Interface   Type      Source   Model    MAC" \
    "------------------------------------------------------------" \
    " -           user      -        virtio   52:54:00:12:34:56" \
    " vnet7       network   lan      e1000    52:54:00:12:34:57" ""
ok "domiflist" eval "run 0 vmctl domiflist demo && same"
ok "domiflist --inactive" eval "run 0 vmctl domiflist --inactive demo && same"
ok "domiflist --json" eval "run 0 vmctl domiflist demo --json && json \"
assert [x['type'] for x in d] == ['user', 'network'], d
assert d[1] == dict(interface='vnet7', type='network', source='lan',
                    model='e1000', mac='52:54:00:12:34:57', alias=None,
                    link='up'), d[1]\""

# ---- autostart ----------------------------------------------------------------
ok "autostart" eval "run 0 vmctl autostart demo && has \"^Domain 'demo' marked as autostarted\""
ok "autostart: dominfo says enable" eval "run 0 vmctl dominfo demo && has '^Autostart:      enable'"
ok "autostart: list --json" eval "run 0 vmctl list --all --json && json \"assert d[0]['autostart'] and not d[1]['autostart'], d\""
ok "autostart --disable" eval "run 0 vmctl autostart --disable demo && has \"^Domain 'demo' unmarked as autostarted\""
ok "autostart --disable: dominfo says disable" eval "run 0 vmctl dominfo demo && has '^Autostart:      disable'"

# ---- edit ---------------------------------------------------------------------
echo 's|<vcpu[^>]*>1</vcpu>|<vcpu>2</vcpu>|' >"$T/vcpu2.sed"
echo 's|</domain>|</domian>|' >"$T/break.sed"
ok "edit: a valid change is defined" eval "
    EDITOR=\"sed -i -f \$T/vcpu2.sed\" run 0 vmctl edit demo &&
    has \"^Domain 'demo' XML configuration edited.\" &&
    run 0 vmctl dominfo demo && has '^CPU(s):         2'"
vmctl dumpxml demo >"$T/before.xml" 2>/dev/null
ok "edit: no change" eval "EDITOR=true run 0 vmctl edit demo && has \"^Domain 'demo' XML configuration not changed.\""
ok "edit: an invalid change keeps the old definition" eval "
    EDITOR=\"sed -i -f \$T/break.sed\" run 1 vmctl edit demo </dev/null &&
    one_error \"failed to define domain 'demo' from the edited XML: .*the definition is unchanged\" &&
    run 0 vmctl dumpxml demo && same \"\$T/before.xml\""
ok "edit: a failing editor" eval "EDITOR=false run 1 vmctl edit demo && one_error \"the editor 'false' failed\""
ok "edit: VISUAL wins over EDITOR" eval "VISUAL=true EDITOR=false run 0 vmctl edit demo"

# ---- events -------------------------------------------------------------------
sed -e 's/<name>demo</<name>demo3</' -e "s/$UUID/5b0e8f9a-1c2d-4e3f-8a9b-0c1d2e3f4a5b/" \
    "$XML" >"$T/demo3.xml"
vmctl event --loop --timeout 3 >"$T/events" 2>&1 &
EV=$!
subscribed
vmctl define "$T/demo3.xml" >/dev/null 2>&1
vmctl define "$T/demo3.xml" >/dev/null 2>&1
vmctl undefine demo3 >/dev/null 2>&1
wait $EV
EV_RC=$?
expect "event 'defined' for domain 'demo3': added" \
    "event 'defined' for domain 'demo3': updated" \
    "event 'undefined' for domain 'demo3': removed" \
    "event loop timed out" "events received: 3"
ok "event --loop --timeout: define, redefine, undefine" eval "[ \$EV_RC -eq 0 ] && cp \"\$T/events\" \"\$T/out\" && same"

vmctl event --timeout 10 >"$T/events" 2>&1 &
EV=$!
subscribed
vmctl define "$T/demo3.xml" >/dev/null 2>&1
wait $EV
EV_RC=$?
expect "event 'defined' for domain 'demo3': added" "events received: 1"
ok "event: stops after the first event" eval "[ \$EV_RC -eq 0 ] && cp \"\$T/events\" \"\$T/out\" && same"

vmctl event --domain demo2 --loop --timeout 2 >"$T/events" 2>&1 &
EV=$!
subscribed
vmctl define "$T/demo3.xml" >/dev/null 2>&1
vmctl define "$T/demo2.xml" >/dev/null 2>&1
wait $EV
expect "event 'defined' for domain 'demo2': updated" "event loop timed out" \
    "events received: 1"
ok "event --domain: only that domain" eval "cp \"\$T/events\" \"\$T/out\" && same"
vmctl undefine demo3 >/dev/null 2>&1

expect "event loop timed out" "events received: 0"
ok "event --timeout without events" eval "run 0 vmctl event --timeout 1 && same"

# ---- errors -------------------------------------------------------------------
ok "unknown domain: exit 1, one error line naming it" eval "run 1 vmctl dominfo nosuch && one_error \"failed to get domain 'nosuch': .*nosuch\""
ok "unknown UUID: exit 1" eval "run 1 vmctl dumpxml 11111111-2222-3333-4444-555555555555 && one_error \"failed to get domain '11111111-2222-3333-4444-555555555555'\""
ok "start: exit 1 with vmd's NoHub message (no hub 'lan' yet)" eval "run 1 vmctl start demo && one_error \"failed to start domain 'demo': interface 1: no hub named 'lan'\""
for c in shutdown destroy reboot reset suspend resume; do
    ok "$c of an inactive domain: exit 1" eval "run 1 vmctl $c demo && one_error \"failed to $c domain 'demo': .\""
done
ok "console of an inactive domain: exit 1" eval "run 1 vmctl console demo </dev/null && one_error \"failed to open the console of domain 'demo': .\""
ok "domifstat of an inactive domain: exit 1" eval "run 1 vmctl domifstat demo vnet7 && one_error \"failed to get interface stats of 'vnet7' on domain 'demo': .\""
ok "domif-setlink of an inactive domain: exit 1" eval "run 1 vmctl domif-setlink demo vnet7 down && one_error \"failed to set the link state of 'vnet7' on domain 'demo': .\""
ok "domif-setlink: a bad state is a usage error" eval "run 2 vmctl domif-setlink demo vnet7 sideways"
ok "hostfwd-add of an inactive domain: exit 1" eval "run 1 vmctl hostfwd-add demo tcp:127.0.0.1:2223-:22 && one_error \"failed to add port forwarding 'tcp:127.0.0.1:2223-:22' to domain 'demo': .\""
ok "hostfwd-remove of an inactive domain: exit 1" eval "run 1 vmctl hostfwd-remove demo tcp:127.0.0.1:2223 && one_error \"failed to remove port forwarding 'tcp:127.0.0.1:2223' from domain 'demo': .\""
ok "undefine: unknown domain" eval "run 1 vmctl undefine nosuch && one_error \"failed to get domain 'nosuch'\""

# ---- attach-interface / detach-interface ------------------------------------------
expect "<interface type='network'>" "  <source network='lan'/>" \
    "  <mac address='52:54:00:aa:bb:cc'/>" "  <model type='e1000'/>" \
    "  <target dev='vnet9'/>" "</interface>"
ok "attach-interface --print-xml (network)" eval "run 0 vmctl attach-interface demo network lan --mac 52:54:00:aa:bb:cc --model e1000 --target vnet9 --print-xml && same"
expect "<interface type='udp'>" "  <source address='230.0.0.1' port='1234'>" \
    "    <local address='127.0.0.1' port='5555'/>" "  </source>" "</interface>"
ok "attach-interface --print-xml (udp)" eval "run 0 vmctl attach-interface demo udp 230.0.0.1:1234 --local 127.0.0.1:5555 --print-xml && same"
ok "attach-interface: user takes no source" eval "run 2 vmctl attach-interface demo user x"
ok "attach-interface: unknown type" eval "run 2 vmctl attach-interface demo wifi"
ok "attach-interface: --current excludes --live" eval "run 2 vmctl attach-interface demo user --current --live"
# --live needs a running domain (the live cases are with the bare machine)
NOLIVE="domain 'demo' is not running (a live change needs a running domain; use CONFIG)"
vmctl dumpxml --inactive demo >"$T/before-attach.xml" 2>/dev/null
expect "Interface attached successfully"
ok "attach-interface --config" eval "run 0 vmctl attach-interface demo network lan --mac 52:54:00:aa:bb:cc --config && same"
ok "attach-interface --config: in the definition, defaults filled" eval "run 0 vmctl domiflist --inactive demo &&
    has '^ -  *network  *lan  *virtio  *52:54:00:aa:bb:cc\$' && run 0 vmctl dumpxml --inactive demo &&
    has \"<address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>\""
ok "attach-interface: a MAC the domain uses, exit 1" eval "run 1 vmctl attach-interface demo user --mac 52:54:00:12:34:56 --config &&
    one_error \"failed to attach interface to domain 'demo': MAC address 52:54:00:12:34:56 is already used by an interface of domain 'demo'\\\$\""
ok "attach-interface --live: exit 1, one line" eval "run 1 vmctl attach-interface demo user --live && one_error \"failed to attach interface to domain 'demo': \$NOLIVE\\\$\""
ok "attach-interface --live --config: refused whole" eval "run 1 vmctl attach-interface demo hub lan --live --config &&
    one_error \"failed to attach interface to domain 'demo': \$NOLIVE\\\$\" &&
    run 0 vmctl domiflist --inactive demo && ! grep -q ' hub ' \"\$T/out\""
ok "detach-interface: no such type" eval "run 1 vmctl detach-interface demo bridge && one_error \"domain 'demo' has no interface of type 'bridge'\""
ok "detach-interface: two of a type need --mac" eval "run 1 vmctl detach-interface demo network --config && one_error \"domain 'demo' has 2 interfaces of type 'network': choose one with --mac\""
ok "detach-interface --live: exit 1, one line" eval "run 1 vmctl detach-interface demo network --mac 52:54:00:aa:bb:cc --live &&
    one_error \"failed to detach interface from domain 'demo': \$NOLIVE\\\$\""
expect "Interface detached successfully"
ok "detach-interface --config --mac" eval "run 0 vmctl detach-interface demo network --mac 52:54:00:aa:bb:cc --config && same &&
    run 0 vmctl dumpxml --inactive demo && same \"\$T/before-attach.xml\""
expect "Interface attached successfully"
ok "attach-interface (current) of an inactive domain: the definition" eval "run 0 vmctl attach-interface demo hub lan && same &&
    run 0 vmctl domiflist --inactive demo && has '^ -  *hub  *lan  *virtio  *52:54:00:'"
expect "Interface detached successfully"
ok "detach-interface (current) by type" eval "run 0 vmctl detach-interface demo hub && same &&
    run 0 vmctl dumpxml --inactive demo && same \"\$T/before-attach.xml\""

# ---- hubs -----------------------------------------------------------------------
expect " Name   Scope   Ports" "-----------------------" ""
ok "hub-list: empty" eval "run 0 vmctl hub-list && same"
ok "hub-list --json: empty" eval "run 0 vmctl hub-list --json && json 'assert d == []'"
ok "hub-show: unknown hub" eval "run 1 vmctl hub-show nohub && one_error \"failed to get hub 'nohub': .\""
ok "hub-create" eval "run 0 vmctl hub-create lan && has \"^Hub 'lan' created\""
ok "hub-create: exit 1 when the name is taken" eval "run 1 vmctl hub-create lan && one_error \"failed to create hub 'lan': .*already exists\""
ok "hub-list --json: the daemon hub" eval "run 0 vmctl hub-list --json && json \"assert [(h['name'], h['scope'], h['ports']) for h in d] == [('lan', 'daemon', [])], d\""
ok "hub-show: no ports" eval "run 0 vmctl hub-show lan && has \"^hub 'lan' (daemon)\" && has '(no ports)'"
ok "hub-destroy" eval "run 0 vmctl hub-destroy lan && has \"^Hub 'lan' destroyed\" && run 0 vmctl hub-list --json && json 'assert d == []'"
ok "hub-destroy: unknown hub" eval "run 1 vmctl hub-destroy lan && one_error \"failed to destroy hub 'lan': .\""

# ---- bash completion ------------------------------------------------------------
COMP=$VMKIT_SRCDIR/data/bash-completion/vmctl
if command -v bash >/dev/null 2>&1; then
    # the command list of the completion is the one of `vmctl help`
    vmctl help | sed -n 's/^    \([a-z][a-z-]*\) .*/\1/p' | sort >"$T/cmds"
    bash -c ". '$COMP'; printf '%s\n' \$_vmctl_commands" | grep -v '^help$' | sort >"$T/out"
    ok "completion: same commands as vmctl help" same "$T/cmds"
    # each command's options are the ones of its --help
    bad=
    for c in $(cat "$T/cmds"); do
        vmctl help "$c" | sed -n 's/^  \(\[\)\{0,1\}\(--[a-z-]*\).*/\2/p' |
            grep -v '^--help$' | sort >"$T/a"
        bash -c ". '$COMP'; printf '%s\n' \$(_vmctl_command_options $c)" | sort >"$T/b"
        cmp -s "$T/a" "$T/b" || bad="$bad $c"
    done
    ok "completion: same options as COMMAND --help${bad:+ (differ:$bad)}" [ -z "$bad" ]
    # bash-completion's helpers, when that package is not installed
    cat >"$T/comp.sh" <<EOF
PATH="$VMKIT_BUILDDIR/client:\$PATH"
type _init_completion >/dev/null 2>&1 || _init_completion() {
    cur=\${COMP_WORDS[COMP_CWORD]}; prev=\${COMP_WORDS[COMP_CWORD-1]}
    words=("\${COMP_WORDS[@]}"); cword=\$COMP_CWORD
}
type _filedir >/dev/null 2>&1 || _filedir() { COMPREPLY=(\$(compgen -f -- "\$cur")); }
. "$COMP"
COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1))
_vmctl
printf '%s\n' "\${COMPREPLY[@]}"
EOF
    ok "completion: commands" eval "bash \"\$T/comp.sh\" vmctl dom >\"\$T/out\" &&
        expect dominfo domiflist domifstat domif-setlink && same"
    ok "completion: domain names" eval "bash \"\$T/comp.sh\" vmctl --connect \"\$ADDR\" dominfo '' >\"\$T/out\" &&
        expect demo demo2 && same"
    ok "completion: options" eval "bash \"\$T/comp.sh\" vmctl list --a >\"\$T/out\" && expect --all && same"
    ok "completion: link states" eval "bash \"\$T/comp.sh\" vmctl domif-setlink demo vnet7 '' >\"\$T/out\" &&
        expect up down && same"
else
    skip "completion" "bash is not installed"
fi

# ---- French -------------------------------------------------------------------
if command -v msgfmt >/dev/null 2>&1; then
    mkdir -p "$T/locale/fr/LC_MESSAGES"
    msgfmt -o "$T/locale/fr/LC_MESSAGES/vmkit.mo" "$VMKIT_SRCDIR/po/fr.po"
    # LANGUAGE is honoured whenever the locale is not "C"; glibc does not
    # count C.UTF-8 as "C", so no French locale needs to be installed.
    vmctl_fr() {
        env LC_ALL=C.UTF-8 LANGUAGE=fr VMKIT_LOCALEDIR="$T/locale" \
            "$VMCTL" --connect "$ADDR" "$@"
    }
    ok "LANGUAGE=fr: French help" eval "run 0 vmctl_fr --help &&
        has '^Utilisation : vmctl' && has '^Gestion des domaines :'"
    ok "LANGUAGE=fr: French usage errors" eval "run 2 vmctl_fr bogus &&
        has -e '^erreur : commande inconnue : « bogus »'"
    ok "LANGUAGE=fr: French operation errors" eval "run 1 vmctl_fr dominfo nosuch &&
        has -e \"^erreur : impossible d'obtenir le domaine « nosuch » : \""
    expect " Id   Nom     État" "---------------------" \
        " -    demo    fermé" " -    demo2   fermé" ""
    ok "LANGUAGE=fr: French table, aligned" eval "run 0 vmctl_fr list --all && same"
    ok "LANGUAGE=fr: JSON stays English" eval "run 0 vmctl_fr list --all --json &&
        json \"assert d[0]['state'] == 'shutoff', d\""
    # LANG=fr_FR.UTF-8 needs that locale: the system's, else one built with
    # localedef (package locales) into the test directory, found by LOCPATH.
    if locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\{0,1\}8$'; then
        LOCPATH_FR=
        HAVE_FR=yes
    elif command -v localedef >/dev/null 2>&1 && mkdir -p "$T/loc" &&
        { localedef -i fr_FR -f UTF-8 "$T/loc/fr_FR.UTF-8" >/dev/null 2>&1
          [ -f "$T/loc/fr_FR.UTF-8/LC_MESSAGES/SYS_LC_MESSAGES" ]; }; then
        LOCPATH_FR=$T/loc
        HAVE_FR=yes
    else
        HAVE_FR=
    fi
    if [ -n "$HAVE_FR" ]; then
        vmctl_lang() {
            env -u LC_ALL -u LANGUAGE ${LOCPATH_FR:+LOCPATH="$LOCPATH_FR"} \
                LANG=fr_FR.UTF-8 VMKIT_LOCALEDIR="$T/locale" \
                "$VMCTL" --connect "$ADDR" "$@"
        }
        ok "LANG=fr_FR.UTF-8: French help" eval "run 0 vmctl_lang --help &&
            has '^Utilisation : vmctl'"
        ok "LANG=fr_FR.UTF-8: French dominfo" eval "run 0 vmctl_lang dominfo demo &&
            has '^Nom :           demo' && has '^Persistant :    oui'"
    else
        skip "LANG=fr_FR.UTF-8" "no fr_FR.UTF-8 locale and no localedef (package locales)"
    fi
else
    skip "French messages" "msgfmt is not installed (package gettext)"
fi

# ---- undefine -----------------------------------------------------------------
ok "undefine" eval "run 0 vmctl undefine demo && has \"^Domain 'demo' has been undefined\""
expect " Id   Name    State" "------------------------" " -    demo2   shut off" ""
ok "list --all after undefine" eval "run 0 vmctl list --all && same"
ok "undefine by UUID" eval "run 0 vmctl undefine 0d3f2c6e-2f59-4c4d-9a3f-6b2a1c9e7d10 &&
    has \"^Domain 'demo2' has been undefined\""
expect " Id   Name   State" "--------------------" ""
ok "list --all: empty again" eval "run 0 vmctl list --all && same"

# ---- running domains ------------------------------------------------------------
# gone NAME: wait until NAME is no longer active
gone() {
    _i=0
    while vmctl list --name 2>/dev/null | grep -qx "$1"; do
        _i=$((_i + 1))
        [ $_i -gt 200 ] && return 1
        sleep 0.1
    done
}
if [ -x "$VMKIT_BUILDDIR/engine/vmkit" ]; then
    # a bare machine: no firmware, no kernel (its hart spins on traps)
    cat >"$T/bare.xml" <<EOF
<domain type='vmkit'><name>bare</name><memory unit='MiB'>64</memory>
<os><type arch='riscv64' machine='virt'>hvm</type><loader>none</loader></os>
</domain>
EOF
    vmctl define "$T/bare.xml" >/dev/null 2>&1
    vmctl event --domain bare --loop --timeout 60 >"$T/events" 2>&1 &
    EV_PID=$!
    subscribed
    ok "start" eval "run 0 vmctl start bare && has \"^Domain 'bare' started\""
    ok "list: running, with an Id" eval "run 0 vmctl list && grep -Eq '^ [0-9]+ +bare +running' \"\$T/out\""
    ok "start a running domain: exit 1" eval "run 1 vmctl start bare &&
        one_error \"failed to start domain 'bare': domain 'bare' is already running\""
    ok "dumpxml: live id and console pty" eval "run 0 vmctl dumpxml bare &&
        has \"<domain type='vmkit' id='[0-9]*'>\" && has \"<console type='pty' tty='/dev/pts/\""
    ok "suspend" eval "run 0 vmctl suspend bare && has \"^Domain 'bare' suspended\" &&
        run 0 vmctl list && grep -Eq ' bare +paused' \"\$T/out\""
    ok "resume" eval "run 0 vmctl resume bare && has \"^Domain 'bare' resumed\" &&
        run 0 vmctl list && grep -Eq ' bare +running' \"\$T/out\""
    ok "reset" eval "run 0 vmctl reset bare && has \"^Domain 'bare' was reset\""
    # live hot-plug: a free hot-plug port; a bare machine never powers its
    # slots, so the engine lets go of the NIC at once on detach
    ok "attach-interface --live" eval "run 0 vmctl attach-interface bare user --mac 52:54:00:00:0b:01 --live &&
        has '^Interface attached successfully' && run 0 vmctl dumpxml bare &&
        has \"<alias name='net0'/>\" && has \"bus='0x01' slot='0x00'\" &&
        run 0 vmctl domiflist bare && has '52:54:00:00:0b:01' &&
        run 0 vmctl dumpxml --inactive bare && ! has '52:54:00:00:0b:01'"
    ok "detach-interface --live" eval "run 0 vmctl detach-interface bare user --mac 52:54:00:00:0b:01 --live &&
        has '^Interface detached successfully' && run 0 vmctl dumpxml bare && ! has '52:54:00:00:0b:01'"
    ok "detach-interface --live: no such MAC, exit 1" eval "run 1 vmctl detach-interface bare user --mac 52:54:00:00:0b:01 --live &&
        [ \"\$(wc -l <\"\$T/err\")\" -eq 1 ] && has -e '52:54:00:00:0b:01'"
    ok "shutdown" eval "run 0 vmctl shutdown bare && has \"^Domain 'bare' is being shutdown\" && gone bare"
    ok "destroy" eval "run 0 vmctl start bare && run 0 vmctl destroy bare &&
        has \"^Domain 'bare' destroyed\" && ! vmctl list --name | grep -qx bare"
    ok "destroy an inactive domain: exit 1" eval "run 1 vmctl destroy bare &&
        one_error \"failed to destroy domain 'bare': domain 'bare' is not running\""
    sleep 0.5
    kill "$EV_PID" 2>/dev/null
    wait "$EV_PID" 2>/dev/null
    expect "event 'started' for domain 'bare': booted" \
        "event 'suspended' for domain 'bare': paused" \
        "event 'resumed' for domain 'bare': unpaused" \
        "event 'shutdown' for domain 'bare': finished after host request" \
        "event 'stopped' for domain 'bare': shutdown" \
        "event 'started' for domain 'bare': booted" \
        "event 'stopped' for domain 'bare': destroyed"
    ok "events of a run, in order" eval "grep '^event' \"\$T/events\" >\"\$T/out\"; same"
    vmctl undefine bare >/dev/null 2>&1
else
    skip "start, shutdown, destroy, suspend, resume" "engine/vmkit is not built"
fi

# the Debian guest: console, interface counters, link, port forwarding
GUEST=$(guest_cache)/images
[ -f "$GUEST/Image" ] || GUEST=$(guest_cache)
if [ -x "$VMKIT_BUILDDIR/engine/vmkit" ] && [ -f "$GUEST/Image" ] &&
    [ -f "$GUEST/initrd.gz" ]; then
    cat >"$T/guest.xml" <<EOF
<domain type='vmkit'><name>guest</name><memory unit='MiB'>256</memory>
<os><type arch='riscv64' machine='virt'>hvm</type>
<kernel>$GUEST/Image</kernel><initrd>$GUEST/initrd.gz</initrd>
<cmdline>console=ttyS0 vmkit.scenario=net vmkit.ping=10.0.2.2 vmkit.after=shell</cmdline></os>
<devices><interface type='user'><mac address='52:54:00:12:34:56'/></interface></devices>
</domain>
EOF
    # console.py: vmctl console on a pty; wait for the shell, run a
    # command, detach with Ctrl-]
    cat >"$T/console.py" <<'EOF'
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
buf = b""
def wait_for(pat, secs, poke=False):
    global buf
    end = time.time() + secs
    last = 0
    while time.time() < end:
        if poke and time.time() - last > 2:
            os.write(fd, b"\r")
            last = time.time()
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return False
            if not d:
                return False
            buf += d
            if pat in buf:
                return True
    return False
ok = wait_for(b"Escape character", 10) and wait_for(b"vmkit# ", 120, True)
if ok:
    os.write(fd, b"echo answer-$((6*7))\r")
    ok = wait_for(b"answer-42", 20)
os.write(fd, b"\x1d")
_, st = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
sys.exit(0 if ok and st == 0 else 1)
EOF
    vmctl define "$T/guest.xml" >/dev/null 2>&1
    ok "start the guest" eval "run 0 vmctl start guest"
    ok "console: the guest shell answers; Ctrl-] detaches" eval "run 0 python3 \"\$T/console.py\" \"\$VMCTL\" --connect \"\$ADDR\" console guest &&
        has \"Connected to domain 'guest'\" && has 'answer-42'"
    ok "domifstat: the DHCP lease and the ping went through" eval "run 0 vmctl domifstat guest 52:54:00:12:34:56 &&
        awk '\$2 == \"rx_packets\" && \$3 > 0 { f = 1 } END { exit !f }' \"\$T/out\""
    ok "domif-setlink down" eval "run 0 vmctl domif-setlink guest 52:54:00:12:34:56 down &&
        run 0 vmctl dumpxml guest && has \"<link state='down'/>\""
    ok "domif-setlink up" eval "run 0 vmctl domif-setlink guest 52:54:00:12:34:56 up &&
        run 0 vmctl dumpxml guest && ! grep -q \"<link state='down'/>\" \"\$T/out\""
    ok "hostfwd-add" eval "run 0 vmctl hostfwd-add guest tcp:127.0.0.1:65011-:22 &&
        has \"Port forwarding 'tcp:127.0.0.1:65011-:22' added\""
    ok "hostfwd-remove" eval "run 0 vmctl hostfwd-remove guest tcp:127.0.0.1:65011 &&
        has \"Port forwarding 'tcp:127.0.0.1:65011' removed\""
    ok "hostfwd-remove: no such rule, exit 1" eval "run 1 vmctl hostfwd-remove guest tcp:127.0.0.1:65011"
    ok "destroy the guest" eval "run 0 vmctl destroy guest"
    vmctl undefine guest >/dev/null 2>&1
else
    skip "console, domifstat, domif-setlink, hostfwd-add, hostfwd-remove" \
        "no engine or no guest (tools/fetch-guest)"
fi
if [ -x "$VMKIT_BUILDDIR/engine/vmkit" ]; then
    # a bare machine (no guest) joining a daemon hub: its port while it runs
    cat >"$T/hubvm.xml" <<EOF
<domain type='vmkit'><name>hubvm</name><memory unit='MiB'>64</memory>
<os><type arch='riscv64' machine='virt'>hvm</type><loader>none</loader></os>
<devices><interface type='hub'><source hub='lan'/></interface></devices></domain>
EOF
    vmctl define "$T/hubvm.xml" >/dev/null 2>&1
    ok "hub-show with ports: a running domain's interface" eval "run 0 vmctl hub-create lan && run 0 vmctl start hubvm &&
        run 0 vmctl hub-show lan --json && json \"assert [(p['name'], p['peer'], p['kind'], p['domain']) for p in d['ports']] == [('hubvm.net0', 'net0', 'vm', 'hubvm')], d\""
    ok "attach-interface on a running domain: live only" eval "run 0 vmctl attach-interface hubvm user --mac 52:54:00:aa:bb:02 &&
        run 0 vmctl domiflist --inactive hubvm && ! grep -q ' user ' \"\$T/out\" &&
        run 0 vmctl domiflist hubvm && has '52:54:00:aa:bb:02'"
    ok "attach-interface --config on a running domain: the next start" eval "run 0 vmctl attach-interface hubvm user --mac 52:54:00:aa:bb:01 --config &&
        run 0 vmctl domiflist --inactive hubvm && has '52:54:00:aa:bb:01' &&
        run 0 vmctl domiflist hubvm && ! grep -q '52:54:00:aa:bb:01' \"\$T/out\""
    ok "detach-interface on a running domain: not a cold-plugged one; --config works" eval "run 1 vmctl detach-interface hubvm hub &&
        one_error \"failed to detach interface from domain 'hubvm': interface 'net0' is not behind a hot-plug port\" &&
        run 0 vmctl detach-interface hubvm user --config &&
        run 0 vmctl domiflist --inactive hubvm && ! grep -q '52:54:00:aa:bb:01' \"\$T/out\""
    ok "hub-destroy: exit 1 while a domain uses it" eval "run 1 vmctl hub-destroy lan && one_error \"failed to destroy hub 'lan': .*port\""
    ok "hub-show: the port goes with the domain; hub-destroy" eval "run 0 vmctl destroy hubvm &&
        run 0 vmctl hub-show lan && has '(no ports)' && run 0 vmctl hub-destroy lan"
    vmctl undefine hubvm >/dev/null 2>&1
else
    skip "hub-show with ports, hub-destroy while used, attach-interface and detach-interface on a running domain" "engine/vmkit is not built"
fi

# ---- vmd gone -------------------------------------------------------------------
kill "$VMD_PID" 2>/dev/null
wait "$VMD_PID" 2>/dev/null
VMD_PID=
ok "vmd not on the bus: exit 1" eval "run 1 vmctl list &&
    one_error 'failed to list domains: vmd is not running on this bus'"

done_testing
