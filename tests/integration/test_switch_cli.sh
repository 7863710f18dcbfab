#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# rocefab-switch's command line and start-up errors: a configuration error
# exits 1 with FILE:LINE:COL: error: pointing at the text to change; a bad
# option exits 2 with a message naming it; --help exits 0 and documents every
# option main.c accepts; a missing pcap file or device is named.
#
#   test_switch_cli.sh ROCEFAB_SWITCH ROCEFAB_TRACE SOURCE_DIR
set -euo pipefail

switch=$(realpath "$1")
src=$(realpath "$3")
. "$src/tests/integration/test_switch_common.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
read -r -a eal <<<"$(eal_private)"
cd "$work"

# expect RC CONFIG PATTERN [options...]: run, check the exit status and that
# stderr holds PATTERN (an extended regular expression).
expect() {
	local want=$1 pattern=$3 rc=0 conf=$2

	shift 3
	"$switch" "${eal[@]}" -- ${conf:+--config "$conf"} "$@" >out 2>err || rc=$?
	[ $rc -eq "$want" ] || fail "${conf:-(no config)} $*: exit $rc, expected $want: $(cat err)"
	grep -Eq -- "$pattern" err || fail "${conf:-(no config)} $*: stderr lacks '$pattern': $(cat err)"
	if [ "$want" -ne 0 ] && grep -q '^rocefab-switch: summary' out; then
		fail "${conf:-(no config)} $*: ran anyway"
	fi
	echo "exit $rc: $(head -n 1 err)"
}

# A valid configuration, then variants with one error each.
"$py" - <<'EOF'
import struct
with open("in.pcap", "wb") as f:   # an empty but valid pcap file
    f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
EOF
cat > good.yaml <<'EOF'
switch: { name: sw-cli }
ports:
  - name: in
    pcap: { rx: in.pcap }
    peer: { mac: 02:00:00:00:00:01 }
  - name: out
    pcap: { tx: out.pcap }
    peer: { mac: 02:00:00:00:01:02 }
routes:
  - { prefix: 10.0.1.2/32, via: { port: out } }
EOF
"$switch" "${eal[@]}" -- --config good.yaml >out 2>err || fail "good.yaml: exit $?: $(cat err)"
grep -q '^rocefab-switch: summary: rx_pkts=0 tx_pkts=0 drops=0 ' out || fail "good.yaml: $(cat out)"

# variant NAME SED: good.yaml edited by SED into NAME.yaml.
variant() { sed -e "$2" good.yaml > "$1.yaml"; }

variant unknown_key 's/^    peer: { mac: 02:00:00:00:00:01 }/&\n    colour: blue/'
expect 1 unknown_key.yaml "^unknown_key\\.yaml:6:5: error: ports\\[0\\]: unknown key 'colour'; allowed keys: name, dev, pcap"

variant bad_rate 's/^  - name: out/&\n    rate: fast/'
expect 1 bad_rate.yaml "^bad_rate\\.yaml:7:11: error: ports\\[1\\]\\.rate: .*fast"
variant big_rate 's/^  - name: out/&\n    rate: 3.2T/'
expect 1 big_rate.yaml "^big_rate\\.yaml:7:11: error: ports\\[1\\]\\.rate: '3\\.2T' is out of range"

variant no_port 's/via: { port: out }/via: { port: h9 }/'
expect 1 no_port.yaml "^no_port\\.yaml:10:41: error: routes\\[0\\]\\.via\\.port: unknown port 'h9'; ports: in, out"

variant dup_key 's/^switch: { name: sw-cli }/switch: { name: sw-cli, name: again }/'
expect 1 dup_key.yaml "^dup_key\\.yaml:1:25: error: .*name"

variant syntax 's/^switch: { name: sw-cli }/switch: { name: sw-cli/'
expect 1 syntax.yaml "^syntax\\.yaml:[0-9]+:[0-9]+: error: "

variant bad_prefix 's|10.0.1.2/32|10.0.1.2/33|'
expect 1 bad_prefix.yaml "^bad_prefix\\.yaml:10:15: error: routes\\[0\\]\\.prefix"

# A relative config path is reported as given; from another directory too.
mkdir sub
(cd sub && expect 1 ../unknown_key.yaml "^\\.\\./unknown_key\\.yaml:6:5: error: ")
expect 1 nonexistent.yaml "nonexistent\\.yaml.*(No such file|cannot open)"

# Errors found when the ports are made: the file or device is named, with the
# position of the port in the configuration.
variant no_pcap 's/rx: in.pcap/rx: missing.pcap/'
expect 1 no_pcap.yaml "^no_pcap\\.yaml:3:5: error: ports\\[0\\]: .*missing\\.pcap.*No such file"
cat > no_dev.yaml <<'EOF'
ports:
  - { name: a, dev: net_pcap7, peer: { mac: 02:00:00:00:00:01 } }
routes:
  - { prefix: 10.0.1.2/32, via: { port: a } }
EOF
expect 1 no_dev.yaml "^no_dev\\.yaml:2:5: error: ports\\[0\\]: .*net_pcap7"
expect 1 no_dev.yaml "^no_dev\\.yaml:2:5: error: ports\\[0\\]: .*DPDK device.*real time" --time virtual

# Usage errors: exit 2, with the option named.
expect 2 good.yaml "unrecognized option '--bogus'" --bogus
expect 2 good.yaml "--time takes real or virtual, not 'sideways'" --time sideways
expect 2 good.yaml "--duration: 'abc' is not a number of seconds" --duration abc
expect 2 good.yaml "--stats-interval: '-1' is not a number of seconds" --stats-interval -1
expect 2 good.yaml "option '--out' requires an argument" --out
expect 2 good.yaml "unexpected argument 'extra'" extra
expect 2 "" "--config FILE is required"
expect 2 "" "--config FILE is required" --until-idle

# --help: exit 0 on stdout, and every long option of main.c is in it.
"$switch" "${eal[@]}" -- --help >out 2>err || fail "--help: exit $?"
opts=$(sed -n '/static const struct option opts\[\]/,/^\t};/p' "$src/app/switch/main.c" |
	grep -o '{ "[a-z-]*"' | tr -d '{" ')
[ "$(echo "$opts" | wc -l)" -ge 9 ] || fail "cannot read the options of main.c: $opts"
for o in $opts; do
	grep -q -- "--$o\\b" out || fail "--help does not mention --$o"
done
grep -q '^usage: rocefab-switch \[EAL options\] -- --config FILE' out || fail "--help: usage line"
grep -q 'Exit status' out || fail "--help: exit status"
echo "--help mentions: ${opts//$'\n'/ }"
"$switch" "${eal[@]}" -- --version >out 2>err || fail "--version: exit $?"
grep -Eq '^rocefab-switch [0-9]+\.[0-9]+\.[0-9]+$' out || fail "--version: $(cat out)"
echo "1 passed, 0 failed"
