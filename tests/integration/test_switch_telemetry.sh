#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Live counters: rocefab-switch runs in real time for a few seconds on an
# endless input (net_pcap with infinite_rx=1 into net_null), with telemetry on
# under a file prefix of its own, while a small client of DPDK's telemetry
# socket (protocol v2 of DPDK 22.11: a SOCK_SEQPACKET socket that greets with
# a JSON object holding max_output_len, then answers one JSON reply per
# command) and dpdk-telemetry.py, driven from stdin, query it. Also checks the
# periodic --stats-interval line and the counters written at the end.
#
#   test_switch_telemetry.sh ROCEFAB_SWITCH ROCEFAB_TRACE SOURCE_DIR
set -euo pipefail

switch=$1
src=$3
. "$src/tests/integration/test_switch_common.sh"
work=$(mktemp -d)
prefix="rocefab-e2e-tel-$$"
# Where DPDK's EAL puts the runtime directory of a file prefix.
if [ -n "${RUNTIME_DIRECTORY:-}" ]; then
	rundir="$RUNTIME_DIRECTORY/dpdk/$prefix"
elif [ "$(id -u)" -eq 0 ]; then
	rundir="/var/run/dpdk/$prefix"
else
	rundir="${XDG_RUNTIME_DIR:-/tmp}/dpdk/$prefix"
fi
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work" "$rundir"
}
trap cleanup EXIT

cat > "$work/switch.yaml" <<'EOF'
switch: { name: sw-telemetry }
ports:
  - { name: feed, dev: net_pcap0, peer: { mac: 02:00:00:00:00:01 } }
  - { name: sink, dev: net_null0, peer: { mac: 02:00:00:00:01:02 } }
routes:
  - { prefix: 10.0.1.2/32, via: { port: sink } }
  - { prefix: 10.0.0.1/32, via: { port: feed } }
EOF

# roce-gbn-cnp.pcap: its frames fit one mbuf, which infinite_rx requires.
duration=5
"$switch" --no-huge --no-pci -m 512 -l 0 '--log-level=*:warning' --file-prefix "$prefix" \
	--vdev "net_pcap0,rx_pcap=$src/pcaps/roce-gbn-cnp.pcap,infinite_rx=1" \
	--vdev net_null0,no-rx=1 \
	-- --config "$work/switch.yaml" --duration $duration --stats-interval 0.5 \
	--out "$work/o" >"$work/stdout" 2>"$work/stderr" &
pid=$!

"$py" - "$rundir/dpdk_telemetry.v2" "$pid" <<'EOF' || fail "telemetry client"
import json, os, socket, sys, time

path, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 20
while True:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(f"rocefab-switch exited before its telemetry socket was up")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(path)
        break
    except OSError:
        s.close()
        if time.monotonic() > deadline:
            sys.exit(f"no telemetry socket at {path}")
        time.sleep(0.05)
greeting = json.loads(s.recv(1024).decode())
maxlen = greeting["max_output_len"]
assert greeting["pid"] == pid, greeting
print("greeting:", greeting)

def query(cmd):
    s.send(cmd.encode())
    reply = json.loads(s.recv(maxlen).decode())
    key = cmd.split(",")[0]
    assert list(reply) == [key], f"{cmd}: reply {reply}"
    return reply[key]

# The socket is up as soon as the EAL is; the switch registers its commands
# once its ports are: wait for them.
while "/rocefab/switch" not in query("/"):
    assert time.monotonic() < deadline, "the /rocefab commands never appeared"
    time.sleep(0.05)
cmds = query("/")
for c in ("/rocefab/ports", "/rocefab/port/stats", "/rocefab/switch"):
    assert c in cmds, f"{c} not registered: {cmds}"
assert query("/rocefab/ports") == ["feed", "sink"]

# The switch may still be starting its ports: wait for the first frames.
while True:
    first = query("/rocefab/port/stats,0")
    if first["rx_pkts"] > 0 or time.monotonic() > deadline:
        break
    time.sleep(0.05)
print("port 0:", first)
assert first["name"] == "feed", first
assert first["rx_pkts"] > 0, first
for k in ("rx_bytes", "tx_pkts", "fwd_pkts", "drops", "ecn_marked"):
    assert isinstance(first[k], int), (k, first)
assert len(first["pfc_tx"]) == 8 and len(first["max_queue_bytes"]) == 8, first
time.sleep(0.3)
second = query("/rocefab/port/stats,0")
print("port 0 again:", second["rx_pkts"])
assert second["rx_pkts"] > first["rx_pkts"], (first["rx_pkts"], second["rx_pkts"])
sink = query("/rocefab/port/stats,1")
assert sink["name"] == "sink" and sink["tx_pkts"] > 0 and sink["rx_pkts"] == 0, sink

# Bad ids: no reply data (DPDK answers null for a failed command).
for bad in ("/rocefab/port/stats,2", "/rocefab/port/stats,-1",
            "/rocefab/port/stats,x", "/rocefab/port/stats,0x", "/rocefab/port/stats"):
    r = query(bad)
    assert r is None, f"{bad}: {r}"

sw = query("/rocefab/switch")
print("switch:", {k: sw[k] for k in ("ports", "ecn_plugin", "lb_plugin", "rx_pkts")})
assert sw["ecn_plugin"] == "ecn-red" and sw["lb_plugin"] == "lb-ecmp", sw
assert sw["ports"] == 2 and sw["buffer_bytes"] > 0, sw
assert sw["rx_pkts"] >= second["rx_pkts"], sw
s.close()
EOF

# DPDK's own client reads commands from stdin when it is not a terminal.
out=$(printf '/rocefab/ports\n/rocefab/port/stats,1\nquit\n' |
	"$py" /usr/bin/dpdk-telemetry.py -f "$prefix") || fail "dpdk-telemetry.py: $out"
echo "$out"
"$py" - "$out" <<'EOF' || fail "dpdk-telemetry.py output"
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines() if l.startswith("{")]
assert lines[0] == {"/rocefab/ports": ["feed", "sink"]}, lines
assert lines[1]["/rocefab/port/stats"]["name"] == "sink", lines
EOF
kill -0 "$pid" 2>/dev/null || fail "the switch ended before the queries were done (slow machine?)"

rc=0
wait "$pid" || rc=$?
pid=
cat "$work/stdout"
[ $rc -eq 0 ] || fail "rocefab-switch exit $rc: $(cat "$work/stderr")"

# --stats-interval 0.5 over 5 s: a line every half second, counters growing.
"$py" - "$work/stdout" $duration <<'EOF' || fail "stats lines"
import re, sys
pat = re.compile(r"^t=(\d+\.\d{6})s rx=(\d+) tx=(\d+) fwd=(\d+) drops=(\d+) ecn=(\d+) "
                 r"pfc_xoff_tx=(\d+) max_queue=(\d+)B$")
rows = [m.groups() for m in map(pat.match, open(sys.argv[1])) if m]
ts = [float(r[0]) for r in rows]
rx = [int(r[1]) for r in rows]
# Real time: line k is due at k * 0.5 s; a loaded machine may print it late,
# never early, and never more lines than the duration holds.
assert 3 <= len(rows) <= float(sys.argv[2]) / 0.5, rows
assert all(t >= 0.5 * k for k, t in enumerate(ts, 1)), ts
assert all(b > a for a, b in zip(rx, rx[1:])), rx
print(f"{len(rows)} stats lines, rx {rx[0]} .. {rx[-1]}")
EOF
grep -q '^rocefab-switch: summary: rx_pkts=[1-9][0-9]* tx_pkts=[1-9][0-9]* ' "$work/stdout" ||
	fail "summary line"
j="$work/o/switch.json"
[ "$(json_get "$j" 'j["time_mode"]')" = real ] || fail "time_mode"
[ "$(json_get "$j" 'j["ports"][0]["rx_pkts"] > 0 and j["ports"][1]["tx_pkts"] > 0')" = True ] ||
	fail "switch.json counters"
echo "1 passed, 0 failed"
