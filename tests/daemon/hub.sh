#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/daemon/hub.sh: two Debian guests joined by a daemon hub ping each
# other; the hub's ports, counters, PropertiesChanged, Detach/AttachPort,
# HubDestroy refusing while ports exist, the guests' connectivity across a
# vmd restart (the engines reconnect to the re-created ports), hubs kept
# across a vmd restart (TAP). No root needed: the hub is sockets inside vmd.
. "$VMKIT_SRCDIR/tests/daemon/hub-common.sh"

trap hub_cleanup EXIT
trap 'exit 1' INT TERM HUP
start_bus
start_vmd
HUB=/org/vmkit/Vmd1/hub/lan

ok "hub-create" eval "run 0 vmctl hub-create lan && has \"Hub 'lan' created\""
ok "hub-create: the name is taken" eval "run 1 vmctl hub-create lan && has -e 'already exists'"
ok "hub-create: a bad name" eval "run 1 vmctl hub-create a/b && has -e 'not a valid hub name'"
ok "hub-list" eval "run 0 vmctl hub-list --json && json \"assert [h['name'] for h in d] == ['lan'] and d[0]['scope'] == 'daemon', d\""
ok "hub object: Name, Scope" eval "run 0 gd call --address \"\$ADDR\" --dest org.vmkit.Vmd1 --object-path $HUB \
    --method org.freedesktop.DBus.Properties.GetAll org.vmkit.Vmd1.Hub && has \"'Name': <'lan'>\" && has \"'Scope': <'daemon'>\""

# one guest on <interface type='hub'>, one on type='network': both join lan
guest_xml g1 1 "vmkit.scenario=net vmkit.static=10.7.0.1/24 vmkit.ping=10.7.0.2 vmkit.pingcount=15 vmkit.pingwatch=1 vmkit.after=shell" \
    "<interface type='hub'><mac address='52:54:00:07:00:01'/><source hub='lan'/></interface>"
guest_xml g2 2 "vmkit.scenario=net vmkit.static=10.7.0.2/24 vmkit.ping=10.7.0.1 vmkit.pingcount=15 vmkit.pingwatch=1 vmkit.after=shell" \
    "<interface type='network'><mac address='52:54:00:07:00:02'/><source network='lan'/><model type='e1000'/></interface>"
guest_xml g3 3 "vmkit.scenario=boot" \
    "<interface type='hub'><source hub='nohub'/></interface>"
vmctl define "$T/g1.xml" >/dev/null
vmctl define "$T/g2.xml" >/dev/null
vmctl define "$T/g3.xml" >/dev/null
ok "start: a hub that does not exist" eval "run 1 vmctl start g3 && has -e \"no hub named 'nohub'\""

gd monitor --address "$ADDR" --dest org.vmkit.Vmd1 --object-path $HUB >"$T/monitor" 2>&1 &
MON=$!
sleep 1
ok "start g1 (hub)" eval "run 0 vmctl start g1"
ok "start g2 (network)" eval "run 0 vmctl start g2"
ok "Ports: one per guest while they run" eval "run 0 vmctl hub-show lan --json && json \"
ports = sorted(p['name'] for p in d['ports'])
assert ports == ['g1.net0', 'g2.net0'], d
assert all(p['peer'] == 'net0' and p['kind'] == 'vm' for p in d['ports']), d\""
ok "HubDestroy: refused while ports are attached" eval "run 1 vmctl hub-destroy lan && has -e 'still has 2 port'"

ok "g1 pings g2 through the hub" wait_result g1 'step=ping status=pass'
ok "g2 pings g1 through the hub" wait_result g2 'step=ping status=pass'
ok "counters: both ports received and were sent frames" eval "run 0 vmctl hub-show lan --json && json \"
for p in d['ports']:
    assert p['rx_packets'] > 0 and p['rx_bytes'] > 0, p
    assert p['tx_packets'] > 0 and p['tx_bytes'] > 0, p\""
ok "PortDrops: readable" eval "run 0 gd call --address \"\$ADDR\" --dest org.vmkit.Vmd1 --object-path $HUB \
    --method org.freedesktop.DBus.Properties.Get org.vmkit.Vmd1.Hub PortDrops && has \"'g1.net0'\""
G1=$(vmctl dominfo g1 | sed -n 's/^UUID: *//p' | tr - _)
ok "DetachPort: the port stays, detached" eval "run 0 gd call --address \"\$ADDR\" --dest org.vmkit.Vmd1 --object-path $HUB \
    --method org.vmkit.Vmd1.Hub.DetachPort g1.net0 && run 0 vmctl hub-show lan && has 'g1.net0: net0 \[detached\]'"
ok "DetachPort: an unknown port" eval "run 1 gd call --address \"\$ADDR\" --dest org.vmkit.Vmd1 --object-path $HUB \
    --method org.vmkit.Vmd1.Hub.DetachPort nope.net0 && has -e InvalidArgument"
ok "AttachPort: by MAC address, back to forwarding" eval "run 0 gd call --address \"\$ADDR\" --dest org.vmkit.Vmd1 --object-path $HUB \
    --method org.vmkit.Vmd1.Hub.AttachPort /org/vmkit/Vmd1/domain/_$G1 52:54:00:07:00:01 && has \"g1.net0\" &&
    run 0 vmctl hub-show lan && has 'g1.net0: net0 \[vm\]'"

# vmd restarts under running guests: the hub ports were its sockets, so the
# guests lose each other until the re-attached vmd listens again and the
# engines reconnect (reconnect=1); the guests' pingwatch shows both.
# last_watch NAME: the last pingwatch line of NAME's console
last_watch() {
    grep 'step=pingwatch' "$T/$1.log" 2>/dev/null | tail -n 1
}
# wait_watch NAME STATUS [SECONDS]: the last pingwatch line says STATUS
wait_watch() {
    _n=0
    while [ $_n -lt "${3:-60}" ]; do
        last_watch "$1" | grep -q "status=$2" && return 0
        sleep 1
        _n=$((_n + 1))
    done
    diag "$1: no pingwatch status=$2; its lines:"
    grep 'step=pingwatch' "$T/$1.log" 2>/dev/null | sed 's/^/#   /'
    return 1
}
ok "pingwatch: g1 and g2 reach each other" eval "wait_watch g1 pass && wait_watch g2 pass"
ok "the hub sockets are in the runtime directory" eval "
    [ \$(ls \"\$T\"/state/run/*.net0.hub | wc -l) -eq 2 ] || { ls -la \"\$T/state/run\" | sed 's/^/#   /'; false; }"
stop_vmd
ok "vmd stopped: the guests lose each other" eval "wait_watch g1 fail && wait_watch g2 fail"
start_vmd
ok "after the restart: both domains still run" eval "
    run 0 vmctl dominfo g1 && has 'State: *running' && run 0 vmctl dominfo g2 && has 'State: *running'"
ok "after the restart: the hub lists both ports again" eval "run 0 vmctl hub-show lan --json && json \"
ports = sorted(p['name'] for p in d['ports'])
assert ports == ['g1.net0', 'g2.net0'], d
assert all(p['peer'] == 'net0' and p['kind'] == 'vm' for p in d['ports']), d\""
ok "after the restart: g1 and g2 reach each other again" eval "wait_watch g1 pass 30 && wait_watch g2 pass 30"
ok "after the restart: the ports carry frames, counted from zero" eval "run 0 vmctl hub-show lan --json && json \"
for p in d['ports']:
    assert p['rx_packets'] > 0 and p['tx_packets'] > 0, p\""
ok "a second connection to a port is closed at once" eval "python3 -c \"
import glob, socket
path = [p for p in glob.glob('\$T/state/run/*.net0.hub')][0]
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(path)
assert s.recv(1) == b''\""
# a live attach joins the hub the same way (NetdevAdd of -netdev stream)
# port_tx NAME: frames the hub wrote to port NAME
port_tx() {
    vmctl hub-show lan --json | python3 -c "import json, sys
print(sum(p['tx_packets'] for p in json.load(sys.stdin)['ports'] if p['name'] == '$1'))"
}
wait_port_tx() {
    _n=0
    while [ $_n -lt 30 ]; do
        [ "$(port_tx "$1")" -gt 0 ] 2>/dev/null && return 0
        sleep 1
        _n=$((_n + 1))
    done
    diag "port $1 was sent no frame: $(vmctl hub-show lan)"
    return 1
}
ok "attach-interface --live: a hub port for the new NIC" eval "run 0 vmctl attach-interface g1 hub lan --live &&
    run 0 vmctl hub-show lan --json && json \"assert 'g1.net1' in [p['name'] for p in d['ports']], d\" &&
    [ -S \"\$T\"/state/run/\$(vmctl dominfo g1 | sed -n 's/^UUID: *//p').net1.hub ]"
ok "attach-interface --live: its engine connected (the hub sends it frames)" wait_port_tx g1.net1
ok "destroy g1, g2" eval "run 0 vmctl destroy g1 && run 0 vmctl destroy g2"
ok "Ports: empty once they stopped" eval "run 0 vmctl hub-show lan --json && json \"assert d['ports'] == [], d\""
ok "the hub sockets went with the domains" eval "! ls \"\$T\"/state/run/*.hub 2>/dev/null"
sleep 0.5
kill "$MON" 2>/dev/null
wait "$MON" 2>/dev/null
ok "PropertiesChanged: Ports, as ports came and went" eval "
    [ \$(grep -c \"PropertiesChanged ('org.vmkit.Vmd1.Hub', {'Ports'\" \"\$T/monitor\") -ge 5 ] ||
    { sed 's/^/#   /' \"\$T/monitor\"; false; }"
ok "hub-destroy" eval "run 0 vmctl hub-destroy lan && run 0 vmctl hub-list --json && json 'assert d == []'"
ok "hub-destroy: no such hub" eval "run 1 vmctl hub-destroy lan && has -e \"no hub named 'lan'\""

vmctl hub-create keep >/dev/null
stop_vmd
start_vmd
ok "a hub survives a vmd restart" eval "run 0 vmctl hub-list --name && has '^keep\$'"
done_testing
