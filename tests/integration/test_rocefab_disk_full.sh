#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# `rocefab run` on a disk that fills up: the default scenario writes a 17 MB
# pcap into a 4 MB tmpfs. The run must end (no hang while the output writer
# has nowhere to put its chunks), exit 1 and say that it could not write its
# outputs; with room enough, the same run succeeds. The tmpfs lives in a
# mount namespace of the test's own (unshare), so nothing leaks; skipped
# (77) where that is not allowed.
#
#   test_rocefab_disk_full.sh ROCEFAB SOURCE_DIR
set -euo pipefail

rocefab=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

. "$src/tests/integration/test_rocefab_common.sh"

mkdir small
command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
unshare --mount --propagation private sh -c 'mount -t tmpfs -o size=4m none small' 2>/dev/null ||
	{ echo "SKIP: cannot mount a tmpfs in a mount namespace"; exit 77; }

# in_small SIZE ARGS...: rocefab with SIZE of room in ./small; exit status in rc.
in_small() {
	local size=$1

	shift
	rc=0
	timeout 120 unshare --mount --propagation private sh -c \
		'mount -t tmpfs -o size="$1" none small && shift && exec "$@"' \
		sh "$size" "$rocefab" "$@" >out 2>err || rc=$?
}

# The writer's thread finds the error; the loop hears of it at a sample of
# the time series or at the flush that ends the loop, whichever comes first
# (a matter of timing, so either message will do). Without time series,
# only the flush can.
sed 's/sample_interval: 5us/sample_interval: 0/' "$src/docs/examples/incast.yaml" >noseries.yaml
grep -q 'sample_interval: 0$' noseries.yaml || fail "cannot make noseries.yaml"
for f in "$src/docs/examples/incast.yaml" noseries.yaml; do
	in_small 4m run "$f" --out small/inc --quiet
	[ $rc -ne 124 ] || fail "$f: rocefab hung on a full disk"
	[ $rc -eq 1 ] || fail "$f: full disk: exit $rc, expected 1: $(tail -5 err)"
	grep -Eq '^rocefab: cannot write the (time series|pcaps or the time series): No space left on device$' err ||
		fail "$f: full disk: no clear error: $(cat err)"
	[ "$f" != noseries.yaml ] || grep -q 'cannot write the pcaps or the time series' err ||
		fail "$f: only the flush can notice: $(cat err)"
done

in_small 64m run "$src/docs/examples/incast.yaml" --out small/inc --quiet
[ $rc -eq 0 ] || fail "64 MB of room: exit $rc: $(tail -5 err)"
echo "PASS"
