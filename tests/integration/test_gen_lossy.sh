#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# PFC off, a lossy class that drops (gen/lossy-incast.yaml): the switches
# drop, the QPs retransmit (NAKs and timeouts), the collective still
# completes, and every byte arrives exactly once with its payload verified
# by the receivers (a wrong byte would count in rx_bad_payload and #wrong).
# The run is deterministic (twice, identical outputs). Then the same run with a one-retry QP budget and a tiny timeout shows the
# error path: the job cannot finish, QP errors are counted, and rocefab
# still exits 0 with the figures.
#
#   test_gen_lossy.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

run 0 run "$src/tests/integration/gen/lossy-incast.yaml" --out lossy --quiet
check_summary lossy
# Drops, NAKs and timeouts included, one seed gives one run: byte for byte.
run 0 run "$src/tests/integration/gen/lossy-incast.yaml" --out lossy-again --quiet
same_run lossy lossy-again
# The same over IPv6: the generator's frames, ACKs and NAKs in the other family.
sed 's/^traffic:/addressing: { family: ipv6 }\ntraffic:/' \
	"$src/tests/integration/gen/lossy-incast.yaml" >lossy6.yaml
grep -q 'family: ipv6' lossy6.yaml || fail "sed did not apply"
run 0 run lossy6.yaml --out lossy6 --quiet
check_summary lossy6

python3 - <<'PY' || fail "see above"
import csv, json
s = json.load(open("lossy/summary.json"))
t = s["totals"]
print("lossy incast: %d drops, %d retransmissions, %d timeouts" %
      (t["drops"], t["retransmits"], t["timeouts"]))
assert t["drops"] > 0 and t["pfc_frames"] == 0, t
assert t["retransmits"] >= t["drops"] - 0, t
assert t["jobs_done"] == 1 and t["qp_errors"] == 0, t
hosts = {h["name"]: h for h in s["hosts"]}
# Four senders of 4 MB each to h2_1: exactly 16 MB delivered, nothing else.
assert hosts["h2_1"]["rx_data_bytes"] == 4 * 4 * 1024 * 1024, hosts["h2_1"]
assert sum(h["rx_data_bytes"] for h in s["hosts"]) == 4 * 4 * 1024 * 1024
assert all(h["rx_bad_payload"] == 0 and h["rx_bad_icrc"] == 0 for h in s["hosts"])
c = s["collectives"][0]
assert c["iters"] == 1 and c["wrong"] == 0, c
rows = [r for r in csv.DictReader(open("lossy/flows.csv")) if r["job"] == "incast"]
assert len(rows) == 4 and all(r["status"] == "0" for r in rows), rows
assert sum(int(r["retx_pkts"]) for r in rows) == t["retransmits"], rows
s6 = json.load(open("lossy6/summary.json"))
t6 = s6["totals"]
assert t6["jobs_done"] == 1 and t6["drops"] > 0 and t6["retransmits"] > 0, t6
h6 = {h["name"]: h for h in s6["hosts"]}
assert h6["h2_1"]["rx_data_bytes"] == 4 * 4 * 1024 * 1024, h6["h2_1"]
assert all(h["rx_bad_payload"] == 0 and h["rx_bad_icrc"] == 0 for h in s6["hosts"])
PY

# Too few retries for this loss: QPs give up, the job stays unfinished.
sed 's/nic: { cc: cc-none, timeout: 8 }/nic: { cc: cc-none, timeout: 1, retry: 0 }/' \
	"$src/tests/integration/gen/lossy-incast.yaml" >giveup.yaml
grep -q 'retry: 0' giveup.yaml || fail "sed did not apply"
run 0 run giveup.yaml --out giveup --quiet
python3 - <<'PY' || fail "see above"
import json
s = json.load(open("giveup/summary.json"))
t = s["totals"]
assert t["qp_errors"] > 0 and t["jobs_done"] == 0, t
assert s["collectives"][0]["iters"] == 0, s["collectives"]
PY
echo "PASS"
