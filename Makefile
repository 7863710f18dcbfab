# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 rocefab authors
#
# A thin layer over scripts/setup.sh and meson: `make run`, `make test`.

BUILD ?= build
RUN_DIR ?= run
MESON_TEST_ARGS ?= --print-errorlogs --num-processes 2

.PHONY: all setup build run test test-fast asan clean

all: build

setup:
	@scripts/setup.sh

$(BUILD)/build.ninja:
	@scripts/setup.sh
	meson setup $(BUILD)

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The main job. Until the fabric runner lands: write the sample RoCEv2, PFC and
# malformed traces and decode them as the dataplane sees them, ICRCs verified.
run: build
	@mkdir -p $(RUN_DIR)
	$(BUILD)/app/trace/rocefab-trace samples $(RUN_DIR)
	$(BUILD)/app/trace/rocefab-trace malformed $(RUN_DIR)/malformed.pcap
	$(BUILD)/app/trace/rocefab-trace decode $(RUN_DIR)/roce-gbn-cnp.pcap $(RUN_DIR)/pfc-pause.pcap
	$(BUILD)/app/trace/rocefab-trace decode --quiet $(RUN_DIR)/*.pcap

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

clean:
	rm -rf $(BUILD) build-asan $(RUN_DIR)
