# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Helpers sourced by the test_switch_*.sh end-to-end tests (not a test of its
# own). The sourcing script sets src (the source tree) before sourcing.
# shellcheck disable=SC2154,SC2120

py=/usr/bin/python3

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# eal_private [MB]: EAL options of a process that shares nothing with any
# other DPDK process: no hugepages, no PCI scan, no runtime directory, no
# telemetry socket; MB of memory (default 512: the mbuf pool for a 16 MB
# buffer, queues and route tables of a few ports).
eal_private() {
	echo --no-huge --no-pci --no-shconf --no-telemetry -m "${1:-512}" -l 0 '--log-level=*:warning'
}

# json_get FILE EXPR: print the Python expression EXPR over the JSON in FILE
# (bound to j), e.g. json_get o/switch.json 'j["totals"]["rx_pkts"]'.
json_get() {
	"$py" -c 'import json, sys
j = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$1" "$2"
}

# pcap_count FILE: the number of records in a pcap file.
pcap_count() {
	"$py" -c 'import sys
sys.path.insert(0, sys.argv[1])
from roce_ref import read_pcap
print(sum(1 for _ in read_pcap(sys.argv[2])))' "$src/tests/vectors" "$1"
}

# switch_conserves FILE: every frame received is forwarded, consumed or
# dropped, and every forwarded frame has left (the queues are empty at the
# end of an --until-idle run), in the totals and at each port.
switch_conserves() {
	"$py" - "$1" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
egress = ("buffer_egress", "queue_full", "pfc_watchdog")
bad = []
def check(name, s, totals):
    ing = sum(v for k, v in s["drop_reasons"].items() if k not in egress)
    egr = sum(s["drop_reasons"][k] for k in egress)
    if s["drops"] != ing + egr:
        bad.append(f"{name}: drops {s['drops']} != sum of reasons {ing + egr}")
    if s["rx_pkts"] != s["fwd_pkts"] + s["consumed_pkts"] + ing:
        bad.append(f"{name}: rx {s['rx_pkts']} != fwd {s['fwd_pkts']} + consumed "
                   f"{s['consumed_pkts']} + ingress drops {ing}")
    if any(s["queue_bytes"]):
        bad.append(f"{name}: queues not empty: {s['queue_bytes']}")
    if totals and s["fwd_pkts"] != s["tx_pkts"] - s["tx_ctrl_pkts"] + egr:
        bad.append(f"{name}: fwd {s['fwd_pkts']} != tx {s['tx_pkts']} - ctrl "
                   f"{s['tx_ctrl_pkts']} + egress drops {egr}")
for p in j["ports"]:
    check(p["name"], p, False)
check("totals", j["totals"], True)
keys = [k for k in j["totals"] if isinstance(j["totals"][k], int)]
for k in keys:
    if sum(p[k] for p in j["ports"]) != j["totals"][k]:
        bad.append(f"totals.{k} {j['totals'][k]} != sum over ports")
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}
