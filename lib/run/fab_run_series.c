/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Time series of a run: every switch port, sampled between run slices. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_run.h"

struct fab_run_series {
	FILE *ports;
	FILE *queues;
	uint32_t nb_ports;               /* switch ports of the scenario */
	struct fab_switch_port_stats *prev; /* the previous sample, in node then port order */
	uint64_t prev_ps;
	int error;
};

struct fab_run_series *
fab_run_series_open(const struct fab_scenario *s, const char *dir)
{
	struct fab_run_series *ts = calloc(1, sizeof(*ts));
	char path[4096];
	uint32_t i;

	if (ts == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < s->nb_switches; i++)
		ts->nb_ports += s->switches[i].conf.nb_ports;
	ts->prev = calloc(ts->nb_ports + 1, sizeof(*ts->prev));
	snprintf(path, sizeof(path), "%s/ports.csv", dir);
	ts->ports = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/queues.csv", dir);
	ts->queues = fopen(path, "w");
	if (ts->prev == NULL || ts->ports == NULL || ts->queues == NULL) {
		rte_errno = ts->prev == NULL ? ENOMEM : errno;
		fab_run_series_close(ts);
		return NULL;
	}
	fprintf(ts->ports, "time_ns,switch,port,tx_bytes,tx_gbps,tx_pkts,ecn_marked,drops,pfc_tx\n");
	fprintf(ts->queues, "time_ns,switch,port,class,queue_bytes,paused_ns,pfc_tx\n");
	return ts;
}

static uint64_t
sum8(const uint64_t *v)
{
	uint64_t s = 0;
	unsigned int i;

	for (i = 0; i < FAB_NUM_PRIO; i++)
		s += v[i];
	return s;
}

int
fab_run_series_sample(struct fab_run_series *ts, const struct fab_scenario *s,
		struct fab_fabric *fab)
{
	uint64_t now = fab_fabric_now(fab), dt = now - ts->prev_ps;
	uint32_t i, k = 0;
	uint16_t p;
	unsigned int c;

	if (now <= ts->prev_ps && ts->prev_ps != 0)
		return 0;
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];
		const struct fab_switch *sw;

		if (n->kind != FAB_SCN_SWITCH)
			continue;
		sw = fab_fabric_switch(fab, (int)i);
		if (sw == NULL)
			return -EINVAL;
		for (p = 0; p < n->nb_ports; p++, k++) {
			struct fab_switch_port_stats st, *pr = &ts->prev[k];
			const char *pn = s->switches[n->index].conf.ports[p].name;
			uint64_t dbytes;

			if (fab_switch_port_stats(sw, p, now, &st) < 0)
				return -EINVAL;
			dbytes = st.tx_bytes - pr->tx_bytes;
			/* Gbit/s with three decimals from integers only: the same text on every machine. */
			fprintf(ts->ports, "%" PRIu64 ",%s,%s,%" PRIu64 ",%" PRIu64 ".%03" PRIu64
				",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
				now / 1000u, n->name, pn, dbytes,
				dt == 0 ? 0 : dbytes * 8000000u / dt / 1000u,
				dt == 0 ? 0 : dbytes * 8000000u / dt % 1000u,
				st.tx_pkts - pr->tx_pkts, st.ecn_marked - pr->ecn_marked,
				st.drops - pr->drops, sum8(st.pfc_tx) - sum8(pr->pfc_tx));
			for (c = 0; c < FAB_NUM_PRIO; c++) {
				/* Only classes that ever held a frame or were paused: the rest is zeros. */
				if (st.max_queue_bytes[c] == 0 && st.paused_ps[c] == 0 &&
						st.pfc_tx[c] == 0)
					continue;
				fprintf(ts->queues, "%" PRIu64 ",%s,%s,%u,%" PRIu64 ",%" PRIu64
					",%" PRIu64 "\n", now / 1000u, n->name, pn, c,
					st.queue_bytes[c], (st.paused_ps[c] - pr->paused_ps[c]) / 1000u,
					st.pfc_tx[c] - pr->pfc_tx[c]);
			}
			*pr = st;
		}
	}
	ts->prev_ps = now;
	if (ferror(ts->ports) || ferror(ts->queues))
		ts->error = -EIO;
	return ts->error;
}

int
fab_run_series_close(struct fab_run_series *ts)
{
	int ret;

	if (ts == NULL)
		return 0;
	ret = ts->error;
	if (ts->ports != NULL && fclose(ts->ports) != 0)
		ret = -EIO;
	if (ts->queues != NULL && fclose(ts->queues) != 0)
		ret = -EIO;
	free(ts->prev);
	free(ts);
	return ret;
}
