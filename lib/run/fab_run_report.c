/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The one-screen text report `rocefab run` prints at the end. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "fab_run.h"

#define REPORT_BUSIEST 5

struct busy_port {
	uint64_t tx_bytes;
	uint32_t node;
	uint16_t port;
	uint64_t ecn_marked, drops, pfc_tx, paused_ps, max_queue;
};

static int
cmp_busy(const void *a, const void *b)
{
	const struct busy_port *x = a, *y = b;

	if (x->tx_bytes != y->tx_bytes)
		return x->tx_bytes > y->tx_bytes ? -1 : 1;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	return (int)x->port - (int)y->port;
}

int
fab_run_write_report(FILE *f, const struct fab_scenario *s, struct fab_fabric *fab,
		const struct fab_run_info *info)
{
	struct fab_fabric_totals t;
	struct fab_run_job_totals jt;
	struct fab_run_fct fct;
	struct busy_port *bp;
	uint64_t now = fab_fabric_now(fab), paused = 0;
	uint32_t i, n = 0, cap = 0;
	unsigned int c;
	uint16_t p;
	int ret;

	ret = fab_fabric_totals(fab, &t);
	if (ret == 0)
		ret = fab_run_fct(fab, &fct);
	if (ret < 0)
		return ret;
	for (i = 0; i < s->nb_switches; i++)
		cap += s->switches[i].conf.nb_ports;
	bp = calloc(cap + 1, sizeof(*bp));
	if (bp == NULL)
		return -ENOMEM;
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_switch *sw = fab_fabric_switch(fab, (int)i);

		if (s->nodes[i].kind != FAB_SCN_SWITCH || sw == NULL)
			continue;
		for (p = 0; p < s->nodes[i].nb_ports && n < cap; p++) {
			struct fab_switch_port_stats st;

			if (fab_switch_port_stats(sw, p, now, &st) < 0)
				continue;
			bp[n] = (struct busy_port){ .tx_bytes = st.tx_bytes, .node = i, .port = p,
				.ecn_marked = st.ecn_marked, .drops = st.drops };
			for (c = 0; c < FAB_NUM_PRIO; c++) {
				bp[n].pfc_tx += st.pfc_tx[c];
				bp[n].paused_ps += st.paused_ps[c];
				bp[n].max_queue = RTE_MAX(bp[n].max_queue, st.max_queue_bytes[c]);
			}
			paused += bp[n].paused_ps;
			n++;
		}
	}
	if (n != 0)
		qsort(bp, n, sizeof(*bp), cmp_busy);

	fprintf(f, "rocefab run: %s (seed %" PRIu64 ", %s time, end %s)\n", s->name, info->seed,
		s->run.time == FAB_SCN_TIME_PACED ? "paced" : "virtual",
		s->run.end_when_done ? "when done" : "after a duration");
	fprintf(f, "  %u switches, %u hosts, %u links, %u flows", s->nb_switches, s->nb_hosts,
		s->nb_links, s->nb_flows);
	if (s->nb_jobs != 0)
		fprintf(f, ", %u job%s", s->nb_jobs, s->nb_jobs == 1 ? "" : "s");
	if (s->nb_replays != 0)
		fprintf(f, ", %u replay%s", s->nb_replays, s->nb_replays == 1 ? "" : "s");
	fputc('\n', f);
	fprintf(f, "  virtual time %.3f us in %.3f s wall; %" PRIu64 " packet-hops (%.2f M/s)\n",
		(double)now / 1e6, info->wall_time_s, t.packet_hops,
		info->wall_time_s > 0 ? (double)t.packet_hops / info->wall_time_s / 1e6 : 0.0);
	fprintf(f, "  frames: hosts sent %" PRIu64 ", received %" PRIu64 ", dropped %" PRIu64
		", in flight %" PRIu64 "\n", t.host_tx, t.host_rx, t.drops, t.in_flight);
	fprintf(f, "  ECN marked %" PRIu64 ", PFC frames %" PRIu64 ", paused %.3f us (sum of ports)\n",
		t.ecn_marked, t.pfc_frames, (double)paused / 1e6);
	fprintf(f, "  flows done %u/%u; FCT p50 %.3f us, p99 %.3f us, max %.3f us\n", fct.done,
		fct.flows, (double)fct.p50_ps / 1e6, (double)fct.p99_ps / 1e6,
		(double)fct.max_ps / 1e6);
	if (s->nb_jobs != 0 && fab_run_job_totals(fab, &jt) == 0)
		fprintf(f, "  jobs done %u/%u; retransmitted %" PRIu64 " packets, %" PRIu64
			" timeouts; CNPs %" PRIu64 "\n", jt.jobs_done, jt.jobs, jt.retransmits,
			jt.timeouts, jt.cnps);
	if (s->run.time == FAB_SCN_TIME_PACED)
		fprintf(f, "  paced: %" PRIu64 " slices late, max slip %.3f us\n", info->pace_late,
			(double)info->pace_max_slip_ps / 1e6);
	fprintf(f, "  busiest switch ports:\n");
	fprintf(f, "    %-24s %14s %10s %8s %8s %12s %12s\n", "port", "tx_bytes", "ecn", "drops",
		"pfc_tx", "paused_us", "max_queue_B");
	for (i = 0; i < n && i < REPORT_BUSIEST; i++) {
		char name[2 * FAB_CONF_NAME_LEN + 2];

		snprintf(name, sizeof(name), "%s:%s", s->nodes[bp[i].node].name,
			s->nodes[bp[i].node].ports[bp[i].port].name);
		fprintf(f, "    %-24s %14" PRIu64 " %10" PRIu64 " %8" PRIu64 " %8" PRIu64
			" %12.3f %12" PRIu64 "\n", name, bp[i].tx_bytes, bp[i].ecn_marked,
			bp[i].drops, bp[i].pfc_tx, (double)bp[i].paused_ps / 1e6, bp[i].max_queue);
	}
	free(bp);
	return ferror(f) ? -EIO : 0;
}
