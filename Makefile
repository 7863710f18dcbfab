# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# A thin layer over scripts/setup.sh and meson: `make run`, `make test`.

BUILD ?= build
RUN_DIR ?= run
MESON_TEST_ARGS ?= --print-errorlogs --num-processes 2

.PHONY: all setup build run run-switch test test-fast asan tsan bench clean

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	@scripts/setup.sh
	meson setup $(BUILD)

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The main job: the default fabric scenario (docs/examples/incast.yaml: 2
# spines, 4 leaves, 4 hosts per leaf at 100G, an incast) in virtual time.
run: build
	$(BUILD)/app/rocefab/rocefab run docs/examples/incast.yaml --out $(RUN_DIR)

# One leaf switch of docs/examples/leaf.yaml under a 4-to-1 incast of RDMA
# WRITEs read from pcap files: rocefab-switch on its own.
EAL_ARGS ?= --no-huge --no-pci --no-shconf --no-telemetry -m 1024 -l 0 --log-level=*:warning
run-switch: build
	@mkdir -p $(RUN_DIR)/switch/pcaps/leaf
	@cp docs/examples/leaf.yaml $(RUN_DIR)/switch/leaf.yaml
	$(BUILD)/app/trace/rocefab-trace incast $(RUN_DIR)/switch/pcaps/leaf 6291456
	$(BUILD)/app/switch/rocefab-switch $(EAL_ARGS) -- --config $(RUN_DIR)/switch/leaf.yaml \
		--out $(RUN_DIR)/switch/out --stats-interval 0.0005
	@python3 scripts/switch-report.py $(RUN_DIR)/switch/out/switch.json
	$(BUILD)/app/trace/rocefab-trace decode --quiet $(RUN_DIR)/switch/pcaps/leaf/*.tx.pcap

test: build
	meson test -C $(BUILD) $(MESON_TEST_ARGS)

test-fast: build
	meson test -C $(BUILD) --suite fast $(MESON_TEST_ARGS)

# The sanitizer configuration CI runs: unit tests and the fast end-to-end set.
asan: setup
	@[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug
	ninja -C build-asan
	ASAN_OPTIONS=$${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1} \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan --suite fast $(MESON_TEST_ARGS)

# ThreadSanitizer over what runs on two threads: lib/run's output writer
# (the run suite) and `rocefab run` with taps and time series beside it.
tsan: setup
	@[ -f build-tsan/build.ninja ] || meson setup build-tsan -Db_sanitize=thread \
		-Dbuildtype=debugoptimized
	ninja -C build-tsan tests/unit/fab-unit app/rocefab/rocefab
	TSAN_OPTIONS=$${TSAN_OPTIONS:-halt_on_error=1} \
		meson test -C build-tsan --no-rebuild unit-run e2e-rocefab-run $(MESON_TEST_ARGS)

# Benchmarks print our figures beside a baseline run in the same invocation
# (bench/README.md): the switch beside DPDK's testpmd and l3fwd, the
# generator beside testpmd's txonly, the fabric beside ns-3; from a release
# build (-O3, link-time optimisation, -march=corei7 as Debian's DPDK and the
# l3fwd it is compared with).
# The fabric is also measured from a profile-guided build of the same
# sources (scripts/build-pgo.sh, trained on other scenarios than it measures).
BENCH_BUILD ?= build-release
BENCH_PGO_BUILD ?= build-pgo
bench: setup
	@[ -f $(BENCH_BUILD)/build.ninja ] || meson setup $(BENCH_BUILD) -Dbuildtype=release \
		-Db_lto=true -Dtests=false
	ninja -C $(BENCH_BUILD)
	scripts/build-pgo.sh $(BENCH_PGO_BUILD)
	bench/switch-fwd/run.sh $(BENCH_BUILD)
	bench/gen/run.sh $(BENCH_BUILD)
	PGO_BUILD=$(BENCH_PGO_BUILD) bench/fabric/run.sh $(BENCH_BUILD)

clean:
	rm -rf $(BUILD) build-asan build-tsan $(BENCH_BUILD) $(BENCH_PGO_BUILD) $(RUN_DIR)
