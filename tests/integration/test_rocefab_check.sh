#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# rocefab's scenario commands end to end: `rocefab check` accepts the shipped
# examples with a one-line summary and refuses broken scenarios with exit 1
# and FILE:LINE:COL: error: pointing at the text to change; `rocefab topo`
# prints the same text whatever the order of the file's entries; usage
# errors exit 2; --help and --version.
#
#   test_rocefab_check.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

# run WANT_RC ARGS...: run rocefab, check its exit status; output in out, err.
run() {
	local want=$1 rc=0

	shift
	"$rocefab" "$@" >out 2>err || rc=$?
	[ $rc -eq "$want" ] || fail "rocefab $*: exit $rc, expected $want: $(cat err)"
}

# --help, --version, usage errors.
run 0 --help
grep -q '^usage: rocefab COMMAND FILE' out || fail "--help: $(cat out)"
grep -q '^  check FILE' out || fail "--help lacks check"
grep -q '^  topo FILE' out || fail "--help lacks topo"
grep -q '^  run FILE' out || fail "--help lacks run"
run 0 -h
run 0 --version
grep -Eq '^rocefab [0-9]+\.[0-9]+\.[0-9]+$' out || fail "--version: $(cat out)"
run 2
grep -q '^usage:' err || fail "no arguments: $(cat err)"
run 2 frobnicate x.yaml
grep -q "^rocefab: unknown command 'frobnicate'" err || fail "unknown command: $(cat err)"
run 2 check
grep -q '^rocefab: check takes one scenario file' err || fail "check alone: $(cat err)"
run 1 check nonexistent.yaml
grep -q 'nonexistent.yaml' err || fail "missing file: $(cat err)"

# The shipped examples.
ex="$src/docs/examples"
run 0 check "$ex/incast.yaml"
want="$ex/incast.yaml: ok: incast: 6 switches, 16 hosts, 24 links, 0 flows, 1 job; ipv4 10.0.0.0/8; virtual time until done"
[ "$(cat out)" = "$want" ] || fail "incast.yaml: $(cat out)"
[ -s err ] && fail "incast.yaml: stderr: $(cat err)"
run 0 check "$ex/chain.yaml"
want="$ex/chain.yaml: ok: chain: 4 switches, 2 hosts, 5 links, 1 flow; ipv4 10.0.0.0/8; virtual time until done"
[ "$(cat out)" = "$want" ] || fail "chain.yaml: $(cat out)"
run 0 check "$ex/permutation.yaml"
want="$ex/permutation.yaml: ok: permutation: 6 switches, 16 hosts, 24 links, 16 flows; ipv6 fd00::/48; virtual time for 2ms"
[ "$(cat out)" = "$want" ] || fail "permutation.yaml: $(cat out)"

run 0 check "$ex/allreduce.yaml"
want="$ex/allreduce.yaml: ok: allreduce: 6 switches, 16 hosts, 24 links, 0 flows, 2 jobs; ipv4 10.0.0.0/8; virtual time until done"
[ "$(cat out)" = "$want" ] || fail "allreduce.yaml: $(cat out)"
run 0 topo "$ex/allreduce.yaml"
# Round-robin placement: one rank per leaf in turn.
grep -qF '    ranks 0:h1_1 1:h2_1 2:h3_1 3:h4_1 4:h1_2 5:h2_2' out || fail "allreduce topo: $(grep ranks out)"
grep -qF '    sizes 1MB 4MB 16MB' out || fail "allreduce topo sizes: $(grep sizes out)"

run 0 check "$ex/dcqcn-join.yaml"
grep -qF 'dcqcn-join: 3 switches, 4 hosts, 6 links, 0 flows, 2 jobs' out || fail "dcqcn-join.yaml: $(cat out)"

# Jobs that cannot run are refused at their place in the file.
job_error() { # WHAT JOB_LINE EXPECTED_MESSAGE
	printf '%s\n' 'scenario: { name: j }' \
		'topology: { leaf_spine: { spines: 1, leaves: 2, hosts_per_leaf: 3 } }' \
		'traffic:' '  jobs:' "$2" >job.yaml
	run 1 check job.yaml
	grep -qF -- "$3" err || fail "$1: $(cat err)"
}
job_error hd '    - { collective: all-reduce-hd, ranks: 6, size: 1MB }' \
	'job.yaml:5:52: error: traffic.jobs[0].size:'
job_error hd-why '    - { collective: all-reduce-hd, ranks: 6, size: 1MB }' 'power-of-two number of ranks'
job_error pattern '    - { collective: all-mixup, size: 1MB }' \
	"job.yaml:5:21: error: traffic.jobs[0].collective: unknown collective 'all-mixup'"
job_error ranks '    - { collective: all-reduce, ranks: 9, size: 1MB }' \
	'traffic.jobs[0].ranks:'
job_error nosize '    - { collective: all-reduce }' 'a job needs size (bytes) or sizes'
job_error twohosts '    - { collective: all-reduce, hosts: [h1_1, h1_1], size: 1MB }' \
	"'h1_1' is listed twice"
job_error rounds '    - { collective: all-reduce, sizes: { min: 1, max: 64, step: 1 }, iters: 100000 }' \
	'is more than 1048576 rounds'
job_error switch '    - { collective: all-reduce, hosts: [h1_1, leaf1], size: 1MB }' \
	"'leaf1' is a switch, not a host"

# topo: a few lines that must be there, exactly.
run 0 topo "$ex/incast.yaml"
cp out incast.topo
for line in \
	'  h1_1  host  10.0.1.1  mac 02:00:00:00:01:01  100G  port eth0 to leaf1:h1_1 (gateway mac 02:fa:b0:00:01:00)' \
	'    port 4 spine1  100G  mac 02:fa:b0:00:01:04  peer spine1:leaf1 02:fa:b0:00:05:00  cable 200m' \
	'  h1_1:eth0--leaf1:h1_1  100G  delay 1us  cable 200m  tap' \
	'    10.0.2.0/24 via spine1 (02:fa:b0:00:05:00), spine2 (02:fa:b0:00:06:00)' \
	'    10.0.3.0/24 via leaf3 (02:fa:b0:00:03:04)' \
	'  10.0.4.0/24  on leaf4  4 hosts'; do
	grep -qF -- "$line" out || fail "incast topo lacks: $line"
done
grep -qF '    ranks 0:h1_1 1:h2_1 2:h2_2 3:h2_3 4:h2_4 5:h3_1 6:h3_2 7:h3_3 8:h3_4' out ||
	fail "incast topo: ranks $(grep ranks out)"
run 0 topo "$ex/incast.yaml"
cmp -s out incast.topo || fail "topo differs between two runs"

# The same chain with its sections, nodes, links and link ends in another order.
cat > chain-a.yaml <<'YAML'
scenario: { name: chain, seed: 7 }
topology:
  nodes:
    - { name: h0, kind: host }
    - { name: s1, kind: switch }
    - { name: s2, kind: switch }
    - { name: s3, kind: switch }
    - { name: s4, kind: switch }
    - { name: h1, kind: host }
  links:
    - { a: h0, b: s1, delay: 500ns }
    - { a: s1, b: s2, delay: 1us }
    - { a: s2, b: s3, delay: 1us, rate: 40G, cable_m: 40 }
    - { a: s3, b: s4, delay: 1us }
    - { a: s4, b: h1, delay: 500ns }
traffic:
  flows:
    - { from: h0, to: h1, bytes: 1MB }
    - { from: h1, to: h0, bytes: 64KB, start: 10us }
run: { end: done, tap: [s2:s3--s3:s2] }
YAML
cat > chain-b.yaml <<'YAML'
run: { tap: [s3:s2--s2:s3], end: done }
traffic:
  flows:
    - { start: 10us, from: h1, to: h0, bytes: 64KB }
    - { from: h0, to: h1, bytes: 1MB }
topology:
  links:
    - { b: s3, a: s4, delay: 1us }
    - { a: h1, b: s4, delay: 500ns }
    - { a: s2, b: s1, delay: 1us }
    - { a: s3, b: s2, cable_m: 40, rate: 40G, delay: 1us }
    - { a: s1, b: h0, delay: 500ns }
  nodes:
    - { name: s4, kind: switch }
    - { name: h1, kind: host }
    - { name: s2, kind: switch }
    - { kind: host, name: h0 }
    - { name: s3, kind: switch }
    - { name: s1, kind: switch }
scenario: { seed: 7, name: chain }
YAML
run 0 topo chain-a.yaml
cp out chain-a.topo
run 0 topo chain-b.yaml
diff chain-a.topo out >/dev/null || fail "topo depends on the order of the file: $(diff chain-a.topo out)"
grep -qF '  s2:s3--s3:s2  40G  delay 1us  cable 40m  tap' out || fail "chain topo: $(cat out)"

# The default scenario with its sections in reverse order (the blocks between blank lines).
awk 'BEGIN { RS = ""; ORS = "\n\n" } { b[NR] = $0 } END { for (i = NR; i >= 1; i--) print b[i] }' \
	"$ex/incast.yaml" > incast-rev.yaml
run 0 topo incast-rev.yaml
diff incast.topo out >/dev/null || fail "incast topo depends on section order: $(diff incast.topo out)"

# Broken scenarios: exit 1, one line on stderr naming the file, line and column.
# bad NAME 'EXPECTED STDERR' < YAML
bad() {
	cat > "$1.yaml"
	run 1 check "$1.yaml"
	[ "$(cat err)" = "$2" ] || fail "$1.yaml: got '$(cat err)', expected '$2'"
	[ -s out ] && fail "$1.yaml: printed a summary: $(cat out)"
	run 1 topo "$1.yaml"
	[ "$(cat err)" = "$2" ] || fail "$1.yaml (topo): $(cat err)"
	[ -s out ] && fail "$1.yaml (topo): printed a topology"
	echo "refused: $2"
}

bad unknown_key "unknown_key.yaml:3:5: error: topology.leaf_spine: unknown key 'spine'; allowed keys: spines, leaves, hosts_per_leaf, host_rate, uplink_rate, delay, cable_m" <<'YAML'
topology:
  leaf_spine:
    spine: 2
    leaves: 4
    hosts_per_leaf: 4
YAML
bad wrong_type "wrong_type.yaml:2:36: error: topology.leaf_spine.leaves: expected an integer, found 'four'" <<'YAML'
topology:
  leaf_spine: { spines: 2, leaves: four, hosts_per_leaf: 4 }
YAML
bad missing_end "missing_end.yaml:6:19: error: topology.links[1].b: unknown node 's3'" <<'YAML'
topology:
  nodes: [ { name: h0, kind: host }, { name: s1, kind: switch }, { name: s2, kind: switch },
           { name: h1, kind: host } ]
  links:
    - { a: h0, b: s1 }
    - { a: s1, b: s3 }
YAML
bad duplicate "duplicate.yaml:4:15: error: topology.nodes[1].name: duplicate node name 's1' (first at 3:15)" <<'YAML'
topology:
  nodes:
    - { name: s1, kind: switch }
    - { name: s1, kind: host }
YAML
bad rate "rate.yaml:2:69: error: topology.leaf_spine.host_rate: '0' is out of range [1M, 1.6T]" <<'YAML'
topology:
  leaf_spine: { spines: 2, leaves: 4, hosts_per_leaf: 4, host_rate: 0 }
YAML
bad loop "loop.yaml:7:30: error: topology.links[2].delay: zero-delay loop s1 -- s2 -- s3 -- s1: every link in it has delay 0; give one of them a delay" <<'YAML'
topology:
  nodes: [ { name: s1, kind: switch }, { name: s2, kind: switch },
           { name: s3, kind: switch } ]
  links:
    - { a: s1, b: s2, delay: 0 }
    - { a: s2, b: s3, delay: 0 }
    - { a: s3, b: s1, delay: 0 }
YAML
bad flow_host "flow_host.yaml:4:30: error: traffic.flows[0].to: unknown host 'h9_9'" <<'YAML'
topology:
  leaf_spine: { spines: 2, leaves: 2, hosts_per_leaf: 2 }
traffic:
  flows: [ { from: h1_1, to: h9_9, bytes: 1MB } ]
YAML
bad yaml_syntax "yaml_syntax.yaml:2:2: error: did not find expected key (while parsing a block mapping at 1:1)" <<'YAML'
topology: {}
 - x
YAML
echo "ok"
