#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# A profile-guided release build of rocefab: what bench/fabric measures
# beside the plain release build (bench/README.md, "fabric").
#
#   scripts/build-pgo.sh [BUILD_DIR]        # BUILD_DIR defaults to build-pgo
#
# It configures BUILD_DIR as the release build (-O3, link-time optimisation,
# -march=corei7) with GCC's profile instrumentation (meson's b_pgo=generate),
# runs `rocefab run` on a training set, then rebuilds with the profile
# (b_pgo=use). The training set is docs/examples' fabric scenarios and a
# 64-host leaf/spine permutation; it never includes the scenarios the
# benchmark measures (docs/examples/incast.yaml aside, which is the README's
# default run and belongs to any profile of ordinary use). The binaries
# compute exactly what the plain build computes: the profile only guides
# code layout, inlining and branch order.
#
# Functions no training run reaches have no profile; GCC warns about each
# (-Wmissing-profile), which -Werror would make fatal, so that one warning
# is turned off here.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-pgo}
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT

if [ -f "$build/build.ninja" ]; then
	meson configure "$build" -Db_pgo=generate >/dev/null
else
	meson setup "$build" "$src" -Dbuildtype=release -Db_lto=true -Dtests=false \
		-Db_pgo=generate -Dc_args=-Wno-missing-profile >/dev/null
fi
# A previous profile would be merged into the new one.
find "$build" -name '*.gcda' -delete
ninja -C "$build" >/dev/null
rocefab="$build/app/rocefab/rocefab"

cat >"$train/fabric64.yaml" <<'YAML'
scenario:
  name: pgo-fabric64
  seed: 11
topology:
  leaf_spine:
    spines: 4
    leaves: 8
    hosts_per_leaf: 8
    host_rate: 100G
    uplink_rate: 200G
    delay: 1us
    cable_m: 200
profiles:
  leaf: {}
  spine: {}
tiers: { leaf: leaf, spine: spine }
addressing: { family: ipv4, base: 10.0.0.0/8 }
traffic:
  mtu: 4096
  permutation:
    bytes: 16MB
run:
  end: done
  sample_interval: 0
YAML

for f in "$src"/docs/examples/{incast,permutation,allreduce,chain,dcqcn-join}.yaml \
		"$train/fabric64.yaml"; do
	echo "build-pgo: training on $(basename "$f")"
	"$rocefab" run "$f" --out "$train/out" --quiet >/dev/null
done

meson configure "$build" -Db_pgo=use >/dev/null
ninja -C "$build" >/dev/null
echo "build-pgo: $rocefab (profile-guided)"
