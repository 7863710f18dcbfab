/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_RUN_H
#define FAB_RUN_H

/**
 * @file
 * What `rocefab run` does besides parsing its command line: build a
 * fabric (lib/fabric) from a loaded scenario (lib/scenario), and write the
 * run directory: summary.json, flows.csv, pcaps of tapped links, pfc.txt
 * and the time series (docs/outputs.md, "rocefab run").
 *
 * Node handle i of the fabric is node i of the scenario (nodes are added in
 * model order), link handle i is link i, flow handle i is flow i.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fab_scenario.h"
#include "fab_fabric.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Settings of a run that the scenario does not give. */
struct fab_run_opts {
	uint64_t seed;          /**< the fabric seed */
	bool seed_set;          /**< seed replaces the scenario's (node seeds derive from it) */
};

/**
 * Bytes of the EAL's memory a fabric of @p s needs, for its -m: a fixed
 * base (the EAL's heap, the control frames' pool), each switch's tables and
 * each link's rings. The frame pools and the egress rings are not in it:
 * they are anonymous mappings of their own (lib/pkt, lib/sched).
 */
uint64_t fab_run_memory_bytes(const struct fab_scenario *s);

/**
 * Build the fabric of @p s: nodes in model order, links, flows. The fabric
 * is not started.
 *
 * @return the fabric, or NULL with a message in @p err and rte_errno set.
 */
struct fab_fabric *fab_run_build(const struct fab_scenario *s, const struct fab_run_opts *opts,
		char *err, size_t errlen);

/** What the run loop measured, for summary.json. */
struct fab_run_info {
	uint64_t seed;          /**< the fabric seed used */
	double wall_time_s;     /**< wall time of the run loop */
	uint64_t pace_late;     /**< paced runs: slices that ended behind the wall clock */
	uint64_t pace_max_slip_ps; /**< paced runs: largest lag seen */
};

/**
 * Write summary.json for a finished (or stopped) run of @p fab built from
 * @p s. Deterministic: only wall_time_s depends on the machine.
 *
 * @return 0, or a negative errno (writing failed).
 */
int fab_run_write_summary(FILE *f, const struct fab_scenario *s, struct fab_fabric *fab,
		const struct fab_run_info *info);

/**
 * Write flows.csv: a header line and one row per flow in model order.
 *
 * @return 0, or a negative errno.
 */
int fab_run_write_flows(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab);

/** Flow completion times of the finished flows, for the report. */
struct fab_run_fct {
	uint32_t flows;         /**< flows */
	uint32_t done;          /**< flows finished */
	uint64_t p50_ps, p99_ps, max_ps; /**< nearest-rank percentiles of the finished flows */
};

/** Compute fct over the flows of @p fab. @return 0, or -ENOMEM. */
int fab_run_fct(const struct fab_fabric *fab, struct fab_run_fct *out);

/**
 * Nearest-rank percentile @p pct (0..100) of @p n sorted values; 0 if none.
 */
uint64_t fab_run_percentile(const uint64_t *sorted, uint32_t n, unsigned int pct);

/**
 * Write the one-screen text report: sizes, times and packet-hops per wall
 * second, frame accounting, ECN/PFC totals, flow completion times and the
 * busiest switch ports.
 *
 * @return 0, or a negative errno.
 */
int fab_run_write_report(FILE *f, const struct fab_scenario *s, struct fab_fabric *fab,
		const struct fab_run_info *info);

struct fab_run_writer;
struct fab_run_file;

/**
 * A writer of run outputs: a DPDK control thread (on the cores no lcore
 * uses, where there are any) that writes what the fabric loop hands it, in
 * chunks of @p chunk_size bytes, at most @p max_chunks of them in memory
 * (the loop waits for one while the thread writes; past them only when
 * every chunk is an open file's partial one). The loop itself then makes
 * no system call for its taps and time series. Needs the EAL.
 *
 * @return the writer, or NULL with rte_errno set.
 */
struct fab_run_writer *fab_run_writer_create(size_t chunk_size, unsigned int max_chunks);

/**
 * Hand every open file's partial chunk to the thread and wait until all
 * is written. @return 0, or the first file's negative errno.
 */
int fab_run_writer_flush(struct fab_run_writer *w);

/** Close every file still open, stop the thread, free; accepts NULL. @return 0 or a negative errno. */
int fab_run_writer_free(struct fab_run_writer *w);

/** Create (or truncate) @p path, written through @p w. @return the file, or NULL with rte_errno set. */
struct fab_run_file *fab_run_file_open(struct fab_run_writer *w, const char *path);

/**
 * Append @p n bytes: a copy into the file's chunk, no system call unless
 * every chunk is full. An error (a write that failed, no memory) is kept
 * and the rest of the file is dropped; fab_run_file_error() and
 * fab_run_file_close() report it.
 */
void fab_run_file_write(struct fab_run_file *f, const void *data, size_t n);

/** The file's first error so far (negative errno), or 0; accepts NULL. */
int fab_run_file_error(struct fab_run_file *f);

/** Write what is left, close and free; accepts NULL. @return 0 or the file's first negative errno. */
int fab_run_file_close(struct fab_run_file *f);

struct fab_run_taps;

/**
 * Tap the links of @p fab (started): a pcap per link the scenario taps,
 * in @p pcap_dir as LINK.pcap (nanosecond timestamps in virtual time),
 * written through @p w, and every PFC frame into @p pfc_path (NULL: none)
 * in the HPCC simulator's format, written at close. Directories must exist.
 *
 * @return the taps, or NULL with rte_errno set and a message in @p err.
 */
struct fab_run_taps *fab_run_taps_open(const struct fab_scenario *s, struct fab_fabric *fab,
		struct fab_run_writer *w, const char *pcap_dir, const char *pfc_path, char *err,
		size_t errlen);

/** Flush and close the taps (and clear them from the links); accepts NULL. @return 0, or the first error (a negative errno). */
int fab_run_taps_close(struct fab_run_taps *t, struct fab_fabric *fab);

/** PFC frames the taps saw (sent by switches and hosts). */
uint64_t fab_run_taps_pfc_frames(const struct fab_run_taps *t);

struct fab_run_series;

/**
 * Open the time series files in @p dir, written through @p w: ports.csv
 * (per switch port), queues.csv (per switch port and class) and, with
 * jobs, qps.csv (per sending QP).
 *
 * @return the series, or NULL with rte_errno set.
 */
struct fab_run_series *fab_run_series_open(const struct fab_scenario *s, struct fab_run_writer *w,
		const char *dir);

/**
 * Take a sample of every switch port now; rates are over the time since
 * the last sample. @return 0, or the first error so far (a negative errno:
 * -ENOSPC for a full disk).
 */
int fab_run_series_sample(struct fab_run_series *ts, const struct fab_scenario *s,
		struct fab_fabric *fab);

/** Close the files; accepts NULL. @return 0, or the first error (a negative errno). */
int fab_run_series_close(struct fab_run_series *ts);

/**
 * Write a gnuplot script (for the plots directory, next to timeseries/)
 * drawing queue_depth.png (the 8 deepest egress queues by port and class)
 * and link_utilisation.png (the 8 busiest switch ports).
 *
 * @return 0, or a negative errno.
 */
int fab_run_write_plot_script(FILE *f, const struct fab_scenario *s, struct fab_fabric *fab);

/** Figures of the generator's jobs, summed over hosts. */
struct fab_run_job_totals {
	uint64_t retransmits;   /**< data packets sent again */
	uint64_t cnps;          /**< CNPs sent by notification points */
	uint64_t timeouts;      /**< retransmission timeouts */
	uint64_t errors;        /**< messages failed after the retries ran out */
	uint64_t bad_payload;   /**< packets whose payload differed from the pattern */
	uint64_t bad_icrc;      /**< packets dropped by receivers for a wrong ICRC */
	uint32_t jobs, jobs_done;
};

/** Sum the generator's counters (all zero without jobs). @return 0 or -EINVAL. */
int fab_run_job_totals(const struct fab_fabric *fab, struct fab_run_job_totals *out);

/**
 * Write collectives.csv: a header and one row per job and size (nccl-tests'
 * columns, out of place).
 */
int fab_run_write_collectives(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab);

/** Write the jobs' results as nccl-tests prints them (one table per job). */
int fab_run_write_nccl(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab);

/** Append one flows.csv row per transfer of the jobs, in completion order. */
int fab_run_write_job_flows(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab);

/**
 * Write fct.txt in the HPCC simulator's format: "sip dip sport dport size
 * start_ns fct_ns standalone_fct_ns", one line per finished flow and
 * transfer.
 */
int fab_run_write_fct_txt(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab);

#ifdef __cplusplus
}
#endif

#endif /* FAB_RUN_H */
