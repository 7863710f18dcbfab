/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The two main loops: virtual time (pcap-file ports) and real time (DPDK ports). */

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include <rte_cycles.h>

#include <fab_stats.h>

#include "switch_app.h"

volatile bool app_stop;

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Jump from event to event. Ends when nothing will happen again (every input
 * at its end, every queue empty), at --duration, or on a signal.
 */
int
app_run_virtual(struct app *a)
{
	uint64_t t = 0, next_stats = a->o.stats_interval_ps, stuck = 0;
	double t0 = wall_now();

	while (!app_stop) {
		unsigned int work;
		uint64_t nt;

		fab_clock_set(a->clock, t);
		work = fab_switch_poll(a->sw, t);
		nt = fab_switch_next_event(a->sw, t);
		if (nt == UINT64_MAX)
			break;
		/*
		 * Inputs at their end, queues empty, nothing due now: only PFC
		 * refreshes could follow, for ever. A standing XOFF here means the
		 * buffer still counts bytes no frame holds: say so and stop.
		 */
		if (nt > t && fab_switch_queues_empty(a->sw) && app_inputs_drained(a)) {
			if (!fab_switch_drained(a->sw))
				fprintf(stderr, "rocefab-switch: warning: PFC XOFF still standing "
					"with every queue empty at t=%" PRIu64 " ps\n", t);
			break;
		}
		/*
		 * Time must move: a poll at the same instant may follow one that
		 * raised events (a PFC frame, an XON), but not a million of them.
		 */
		if (nt == t) {
			if (++stuck == (work == 0 ? 1000000u : 10000000u)) {
				fprintf(stderr, "rocefab-switch: virtual time stuck at t=%" PRIu64
					" ps; stopping\n", t);
				return -1;
			}
		} else {
			stuck = 0;
		}
		if (a->o.duration_ps != 0 && nt > a->o.duration_ps) {
			t = a->o.duration_ps;
			fab_clock_set(a->clock, t);
			fab_switch_poll(a->sw, t);
			break;
		}
		while (next_stats != 0 && nt >= next_stats) {
			fab_stats_print_line(stdout, a->sw, next_stats);
			next_stats += a->o.stats_interval_ps;
		}
		t = nt;
	}
	a->end_ps = t;
	a->wall_s = wall_now() - t0;
	return 0;
}

/*
 * Busy-poll while there is work; when a pass finds nothing, back off to short
 * sleeps so that several processes can share two cores.
 */
int
app_run_real(struct app *a)
{
	uint64_t start = fab_clock_now(a->clock), next_stats, now = start;
	uint64_t idle_passes = 0, last_work = start;
	double t0 = wall_now();

	next_stats = a->o.stats_interval_ps != 0 ? start + a->o.stats_interval_ps : 0;
	while (!app_stop) {
		unsigned int work;

		now = fab_clock_now(a->clock);
		work = fab_switch_poll(a->sw, now);
		if (work != 0) {
			idle_passes = 0;
			last_work = now;
		} else if (++idle_passes > 1000) {
			struct timespec ts = { 0, 50000 };

			nanosleep(&ts, NULL);
		}
		if (next_stats != 0 && now >= next_stats) {
			fab_stats_print_line(stdout, a->sw, now);
			next_stats += a->o.stats_interval_ps;
		}
		if (a->o.duration_ps != 0 && now - start >= a->o.duration_ps)
			break;
		/* Drained inputs, empty queues, and a little quiet so late frames land. */
		if (a->o.until_idle && work == 0 && now - last_work > 10000000000ull / 1000 &&
				app_inputs_drained(a) && fab_switch_drained(a->sw))
			break;
	}
	a->end_ps = now - start;
	a->wall_s = wall_now() - t0;
	return 0;
}
