# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# Helpers of the `rocefab run` end-to-end tests (test_rocefab_*.sh), sourced
# after they set rocefab (the program) and cd into their work directory.

fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "SKIP: python3 is needed to read JSON"; exit 77; }

# run WANT_RC ARGS...: run rocefab, check its exit status; output in out, err.
run() {
	local want=$1 rc=0

	shift
	"$rocefab" "$@" >out 2>err || rc=$?
	[ $rc -eq "$want" ] || fail "rocefab $*: exit $rc, expected $want: $(tail -5 err)"
}

# check_summary DIR: the fields docs/outputs.md promises, and conservation.
check_summary() {
	python3 - "$1" <<'PY' || fail "$1/summary.json: see above"
import json, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
def need(obj, keys, where):
    for k in keys:
        if k not in obj:
            sys.exit("%s: no %s" % (where, k))
need(s, ["scenario", "seed", "time_mode", "end", "sim_time_ns", "wall_time_s", "packet_hops",
         "switches", "hosts", "flows", "totals"], "summary")
assert s["time_mode"] == "virtual", s["time_mode"]
assert isinstance(s["wall_time_s"], float)
assert s["sim_time_ns"] > 0 and s["packet_hops"] > 0
# Every pop of a node off the loop's heap runs at least one of its events.
need(s, ["events", "heap_pops"], "summary")
assert 0 < s["heap_pops"] <= s["events"], (s["heap_pops"], s["events"])
hops = 0
for sw in s["switches"]:
    need(sw, ["name", "ports"], "switch")
    assert len(sw["ports"]) > 0
    for p in sw["ports"]:
        need(p, ["name", "peer", "link", "rate_bps", "rx_pkts", "tx_pkts", "tx_bytes", "drops",
                 "ecn_marked", "pfc_tx", "pfc_rx", "paused_ns", "max_queue_bytes"],
             sw["name"] + ":" + p.get("name", "?"))
        for k in ["pfc_tx", "pfc_rx", "paused_ns", "max_queue_bytes"]:
            assert len(p[k]) == 8 and all(isinstance(v, int) for v in p[k]), k
        hops += p["tx_pkts"]
assert hops == s["packet_hops"], (hops, s["packet_hops"])
for h in s["hosts"]:
    need(h, ["name", "tx_bytes", "rx_bytes", "tx_frames", "rx_frames"], "host")
t = s["totals"]
need(t, ["drops", "ecn_marked", "pfc_frames", "host_tx_frames", "host_rx_frames", "in_flight"],
     "totals")
assert t["ecn_marked"] == sum(p["ecn_marked"] for sw in s["switches"] for p in sw["ports"])
assert t["pfc_frames"] == sum(sum(p["pfc_tx"]) for sw in s["switches"] for p in sw["ports"])
# Conservation: frames sent by hosts = received + dropped + in flight.
assert t["host_tx_frames"] == t["host_rx_frames"] + t["drops"] + t["in_flight"], t
assert t["host_tx_frames"] == sum(h["tx_frames"] for h in s["hosts"])
assert t["host_tx_frames"] > 0
if s["end"] == "done":
    assert t["in_flight"] == 0, t
    assert s["flows"]["done"] == s["flows"]["count"], s["flows"]
PY
	local rows
	rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["flows"]["count"])' \
		"$1/summary.json")
	[ "$(head -1 "$1/flows.csv")" = "src,dst,bytes,start_ns,first_ns,last_ns,fct_ns,frames,ce_marked,job,round,transfer,src_rank,dst_rank,qpn,sport,retx_pkts,cnps,status" ] ||
		fail "$1/flows.csv: header $(head -1 "$1/flows.csv")"
	[ "$(($(wc -l <"$1/flows.csv") - 1))" -eq "$rows" ] || fail "$1/flows.csv: not $rows rows"
}

# same_run A B: identical outputs except wall_time_s (and the PNGs, which are gnuplot's).
same_run() {
	diff <(grep -v '"wall_time_s"' "$1/summary.json") <(grep -v '"wall_time_s"' "$2/summary.json") \
		>/dev/null || fail "$1 and $2: summary.json differs"
	(cd "$1" && find . -type f ! -name summary.json ! -name '*.png' | sort) >files.a
	(cd "$2" && find . -type f ! -name summary.json ! -name '*.png' | sort) >files.b
	cmp -s files.a files.b || fail "$1 and $2: different files"
	while read -r f; do
		cmp -s "$1/$f" "$2/$f" || fail "$1 and $2: $f differs"
	done <files.a
}
