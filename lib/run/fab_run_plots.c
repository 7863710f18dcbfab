/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The gnuplot script of a run: queue depth and link utilisation over time,
 * from the time series, for the ports that matter most (deepest queues,
 * busiest links), so a fabric of hundreds of ports still gives a legible
 * plot.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "fab_run.h"

#define PLOT_SERIES 8

struct plot_pick {
	uint64_t key;            /* what ranks it: max queue bytes, or tx bytes */
	uint32_t node;
	uint16_t port;
	uint8_t cls;
};

static int
cmp_pick(const void *a, const void *b)
{
	const struct plot_pick *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->port != y->port)
		return (int)x->port - (int)y->port;
	return (int)x->cls - (int)y->cls;
}

static void
plot_lines(FILE *f, const struct fab_scenario *s, const struct plot_pick *p, uint32_t n,
		const char *file, bool queue)
{
	uint32_t i;

	fprintf(f, "plot ");
	for (i = 0; i < n; i++) {
		const char *sw = s->nodes[p[i].node].name;
		const char *pn = s->nodes[p[i].node].ports[p[i].port].name;

		/* awk picks one series: NaN for the others would break gnuplot's lines. */
		if (queue)
			fprintf(f, "%s\"< awk -F, '$2 == \\\"%s\\\" && $3 == \\\"%s\\\" && $4 == %u' "
				"%s\" using ($1/1000):($5/1000) with steps title \"%s:%s class %u\"",
				i == 0 ? "" : ", \\\n     ", sw, pn, p[i].cls, file, sw, pn, p[i].cls);
		else
			fprintf(f, "%s\"< awk -F, '$2 == \\\"%s\\\" && $3 == \\\"%s\\\"' %s\" "
				"using ($1/1000):5 with steps title \"%s:%s\"",
				i == 0 ? "" : ", \\\n     ", sw, pn, file, sw, pn);
	}
	fprintf(f, "\n");
}

int
fab_run_write_plot_script(FILE *f, const struct fab_scenario *s, struct fab_fabric *fab)
{
	struct plot_pick *q, *u;
	uint32_t i, nq = 0, nu = 0, cap = 0;
	uint64_t now = fab_fabric_now(fab);
	unsigned int c;
	uint16_t p;

	for (i = 0; i < s->nb_switches; i++)
		cap += s->switches[i].conf.nb_ports;
	q = calloc((size_t)cap * FAB_NUM_PRIO + 1, sizeof(*q));
	u = calloc(cap + 1, sizeof(*u));
	if (q == NULL || u == NULL) {
		free(q);
		free(u);
		return -ENOMEM;
	}
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_switch *sw = fab_fabric_switch(fab, (int)i);

		if (s->nodes[i].kind != FAB_SCN_SWITCH || sw == NULL)
			continue;
		for (p = 0; p < s->nodes[i].nb_ports; p++) {
			struct fab_switch_port_stats st;

			if (fab_switch_port_stats(sw, p, now, &st) < 0 || nu >= cap)
				continue;
			if (st.tx_bytes > 0)
				u[nu++] = (struct plot_pick){ st.tx_bytes, i, p, 0 };
			for (c = 0; c < FAB_NUM_PRIO; c++)
				if (st.max_queue_bytes[c] > 0)
					q[nq++] = (struct plot_pick){ st.max_queue_bytes[c], i, p,
						(uint8_t)c };
		}
	}
	if (nq != 0)
		qsort(q, nq, sizeof(*q), cmp_pick);
	if (nu != 0)
		qsort(u, nu, sizeof(*u), cmp_pick);
	fprintf(f, "# Drawn by rocefab run from ../timeseries; run `gnuplot plots.gp` in this directory.\n"
		"set terminal pngcairo size 1200,600 noenhanced\n"
		"set datafile separator ','\n"
		"set key outside right\n"
		"set xlabel 'virtual time (us)'\n"
		"set grid\n");
	if (nq > 0) {
		fprintf(f, "set output 'queue_depth.png'\n"
			"set title 'Egress queue depth, deepest %u queues (%s)'\n"
			"set ylabel 'queue (KB)'\n", RTE_MIN(nq, (uint32_t)PLOT_SERIES), s->name);
		plot_lines(f, s, q, RTE_MIN(nq, (uint32_t)PLOT_SERIES), "../timeseries/queues.csv",
			true);
	}
	if (nu > 0) {
		fprintf(f, "set output 'link_utilisation.png'\n"
			"set title 'Transmit rate, busiest %u switch ports (%s)'\n"
			"set ylabel 'Gbit/s'\n", RTE_MIN(nu, (uint32_t)PLOT_SERIES), s->name);
		plot_lines(f, s, u, RTE_MIN(nu, (uint32_t)PLOT_SERIES), "../timeseries/ports.csv",
			false);
	}
	free(q);
	free(u);
	return ferror(f) ? -EIO : 0;
}
