/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_STATS_H
#define FAB_STATS_H

/**
 * @file
 * A switch's counters, out of the process: as a JSON document (the run
 * directory) and live through rte_telemetry, one port per reply (DPDK
 * 22.11 caps replies at 16 KB).
 */

#include <stdint.h>
#include <stdio.h>

#include "fab_switch.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the JSON document says about the run besides the counters. */
struct fab_stats_run {
	const char *program;      /**< "rocefab-switch" */
	const char *config_path;
	const char *time_mode;    /**< "virtual" or "real" */
	uint64_t sim_time_ps;     /**< virtual time reached (or elapsed real time) */
	double wall_time_s;
};

/**
 * Write the switch's final counters as JSON to @p f: the run, then one object
 * per port (every drop reason listed, zeros included, so the schema is
 * stable), then totals. docs/outputs.md documents each field.
 *
 * @return 0, or -EIO.
 */
int fab_stats_write_json(FILE *f, const struct fab_switch *sw, uint64_t now,
		const struct fab_stats_run *run);

/** fab_stats_write_json() into @p path (written to a temporary name, then renamed). */
int fab_stats_write_json_file(const char *path, const struct fab_switch *sw, uint64_t now,
		const struct fab_stats_run *run);

/** Where telemetry reads the time from: the program's clock. */
typedef uint64_t (*fab_stats_now_fn)(void *arg);

/**
 * Register the telemetry commands of one switch:
 *   /rocefab/ports              the port names, by id
 *   /rocefab/port/stats,<id>    one port's counters
 *   /rocefab/switch             name, ports, buffer, plugins, totals
 * Counters are read while the dataplane runs: each 64-bit counter is read
 * atomically, the set is not a snapshot.
 *
 * @return 0, or a negative errno (e.g. -EEXIST when already registered).
 */
int fab_stats_telemetry_register(const struct fab_switch *sw, fab_stats_now_fn now,
		void *now_arg);

/** One line summarising totals, for periodic printing: "t=... rx=... tx=... drops=...". */
void fab_stats_print_line(FILE *f, const struct fab_switch *sw, uint64_t now);

#ifdef __cplusplus
}
#endif

#endif /* FAB_STATS_H */
