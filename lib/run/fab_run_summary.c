/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* summary.json, flows.csv and the flow completion times of a run. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fab_json.h"
#include "fab_run.h"

#define PS_PER_NS 1000u

static void
write_port(FILE *f, const struct fab_scenario *s, const struct fab_scn_node *n, uint16_t p,
		const struct fab_switch_conf *c, const struct fab_switch_port_stats *st)
{
	const struct fab_scn_port *sp = &n->ports[p];
	const struct fab_scn_node *peer = &s->nodes[sp->peer_node];
	char peer_name[2 * FAB_CONF_NAME_LEN + 2];

	snprintf(peer_name, sizeof(peer_name), "%s:%s", peer->name, peer->ports[sp->peer_port].name);
	fprintf(f, "        {\"name\": ");
	fab_json_string(f, c->ports[p].name);
	fprintf(f, ", \"peer\": ");
	fab_json_string(f, peer_name);
	fprintf(f, ", \"link\": ");
	fab_json_string(f, s->links[sp->link].name);
	fprintf(f, ", \"rate_bps\": %" PRIu64 ",\n", c->ports[p].rate_bps);
	fprintf(f, "         \"rx_pkts\": %" PRIu64 ", \"rx_bytes\": %" PRIu64
		", \"tx_pkts\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
		", \"drops\": %" PRIu64 ", \"ecn_marked\": %" PRIu64 ",\n",
		st->rx_pkts, st->rx_bytes, st->tx_pkts, st->tx_bytes, st->drops, st->ecn_marked);
	fprintf(f, "         \"pfc_tx\": ");
	fab_json_u64_array(f, st->pfc_tx, FAB_NUM_PRIO, 1);
	fprintf(f, ", \"pfc_rx\": ");
	fab_json_u64_array(f, st->pfc_rx, FAB_NUM_PRIO, 1);
	fprintf(f, ",\n         \"paused_ns\": ");
	fab_json_u64_array(f, st->paused_ps, FAB_NUM_PRIO, PS_PER_NS);
	fprintf(f, ",\n         \"max_queue_bytes\": ");
	fab_json_u64_array(f, st->max_queue_bytes, FAB_NUM_PRIO, 1);
	fprintf(f, "}");
}

/* What the generator did on a host: goodput, retransmissions, CNPs. */
static void
write_host_gen(FILE *f, struct fab_fabric *fab, int node)
{
	struct fab_gen *gen = fab_fabric_gen(fab);
	int gh = fab_fabric_gen_host(fab, node);
	struct fab_gen_host_stats st;
	double goodput = 0;

	if (gen == NULL || gh < 0 || fab_gen_host_stats(gen, (uint32_t)gh, &st) < 0)
		return;
	if (st.first_rx_ps != UINT64_MAX && st.last_rx_ps > st.first_rx_ps)
		goodput = (double)st.rx_data_bytes * 8.0 * 1000.0 /
			(double)(st.last_rx_ps - st.first_rx_ps);
	fprintf(f, ",\n     \"goodput_gbps\": %.3f, \"rx_data_bytes\": %" PRIu64
		", \"tx_data_pkts\": %" PRIu64 ", \"retx_pkts\": %" PRIu64
		", \"cnp_tx\": %" PRIu64 ", \"cnp_rx\": %" PRIu64 ", \"timeouts\": %" PRIu64
		", \"rx_bad_icrc\": %" PRIu64 ", \"rx_bad_payload\": %" PRIu64,
		goodput, st.rx_data_bytes, st.tx_data_pkts, st.retx_pkts, st.cnp_tx, st.cnp_rx,
		st.timeouts, st.rx_bad_icrc, st.rx_bad_payload);
}

static void
write_collectives(FILE *f, struct fab_fabric *fab)
{
	struct fab_gen *gen = fab_fabric_gen(fab);
	uint32_t j, k, first = 1;

	fprintf(f, "  \"collectives\": [");
	for (j = 0; gen != NULL && j < fab_gen_nb_jobs(gen); j++) {
		const struct fab_gen_job_conf *jc = fab_gen_job(gen, j);

		for (k = 0; k < jc->nb_sizes; k++) {
			struct fab_gen_size_result r;

			if (fab_gen_size_result(gen, j, k, &r) < 0)
				continue;
			fprintf(f, "%s\n    {\"job\": ", first ? "" : ",");
			fab_json_string(f, jc->name);
			fprintf(f, ", \"pattern\": \"%s\", \"bytes\": %" PRIu64
				", \"ranks\": %u, \"iters\": %u, \"time_ns\": %" PRIu64
				", \"algbw_gbps\": %.4f, \"busbw_gbps\": %.4f, \"wrong\": %" PRIu64 "}",
				fab_coll_pattern_name(jc->coll.pattern), r.bytes, jc->coll.nranks,
				r.iters, r.time_ps / PS_PER_NS, r.algbw_gbps, r.busbw_gbps, r.wrong);
			first = 0;
		}
	}
	fprintf(f, "%s],\n", first ? "" : "\n  ");
}

int
fab_run_write_summary(FILE *f, const struct fab_scenario *s, struct fab_fabric *fab,
		const struct fab_run_info *info)
{
	struct fab_run_job_totals jt;
	struct fab_replay_stats rs;
	struct fab_fabric_totals t;
	struct fab_run_fct fct;
	uint64_t now = fab_fabric_now(fab);
	uint32_t i, first;
	int ret;

	ret = fab_fabric_totals(fab, &t);
	if (ret < 0)
		return ret;
	ret = fab_run_fct(fab, &fct);
	if (ret == 0)
		ret = fab_run_job_totals(fab, &jt);
	if (ret < 0)
		return ret;
	fprintf(f, "{\n  \"scenario\": ");
	fab_json_string(f, s->name);
	fprintf(f, ",\n  \"file\": ");
	fab_json_string(f, s->path != NULL ? s->path : "");
	fprintf(f, ",\n  \"seed\": %" PRIu64 ",\n", info->seed);
	fprintf(f, "  \"time_mode\": \"%s\",\n",
		s->run.time == FAB_SCN_TIME_PACED ? "paced" : "virtual");
	fprintf(f, "  \"end\": \"%s\",\n", s->run.end_when_done ? "done" : "duration");
	fprintf(f, "  \"sim_time_ns\": %" PRIu64 ",\n", now / PS_PER_NS);
	fprintf(f, "  \"wall_time_s\": %.6f,\n", info->wall_time_s);
	if (s->run.time == FAB_SCN_TIME_PACED)
		fprintf(f, "  \"pace\": {\"late\": %" PRIu64 ", \"max_slip_ns\": %" PRIu64 "},\n",
			info->pace_late, info->pace_max_slip_ps / PS_PER_NS);
	fprintf(f, "  \"packet_hops\": %" PRIu64 ",\n", t.packet_hops);
	fprintf(f, "  \"events\": %" PRIu64 ",\n", t.events);
	fprintf(f, "  \"heap_pops\": %" PRIu64 ",\n", t.heap_pops);

	fprintf(f, "  \"switches\": [");
	first = 1;
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];
		const struct fab_switch_conf *c;
		const struct fab_switch *sw;
		struct fab_switch_port_stats st;
		uint16_t p;

		if (n->kind != FAB_SCN_SWITCH)
			continue;
		c = &s->switches[n->index].conf;
		sw = fab_fabric_switch(fab, (int)i);
		if (sw == NULL)
			return -EINVAL;
		fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
		fab_json_string(f, n->name);
		fprintf(f, ", \"ports\": [\n");
		for (p = 0; p < c->nb_ports; p++) {
			ret = fab_switch_port_stats(sw, p, now, &st);
			if (ret < 0)
				return ret;
			write_port(f, s, n, p, c, &st);
			fprintf(f, "%s\n", p + 1 < c->nb_ports ? "," : "");
		}
		fprintf(f, "      ]}");
		first = 0;
	}
	fprintf(f, "\n  ],\n  \"hosts\": [");
	first = 1;
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];
		struct fab_host_stats hs;

		if (n->kind != FAB_SCN_HOST)
			continue;
		ret = fab_fabric_host_stats(fab, (int)i, &hs);
		if (ret < 0)
			return ret;
		fprintf(f, "%s\n    {\"name\": ", first ? "" : ",");
		fab_json_string(f, n->name);
		fprintf(f, ", \"tx_frames\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
			", \"rx_frames\": %" PRIu64 ", \"rx_bytes\": %" PRIu64
			", \"rx_cnp\": %" PRIu64 ", \"pfc_rx\": %" PRIu64,
			hs.tx_frames, hs.tx_bytes, hs.rx_frames, hs.rx_bytes,
			hs.rx_cnp, hs.pfc_frames);
		write_host_gen(f, fab, (int)i);
		fputc('}', f);
		first = 0;
	}
	fprintf(f, "\n  ],\n");
	fprintf(f, "  \"flows\": {\"count\": %u, \"done\": %u, \"fct_p50_ns\": %" PRIu64
		", \"fct_p99_ns\": %" PRIu64 ", \"fct_max_ns\": %" PRIu64 "},\n",
		fct.flows, fct.done, fct.p50_ps / PS_PER_NS, fct.p99_ps / PS_PER_NS,
		fct.max_ps / PS_PER_NS);
	write_collectives(f, fab);
	if (fab_fabric_replay_stats(fab, &rs) == 0 && s->nb_replays != 0)
		fprintf(f, "  \"replay\": {\"frames\": %" PRIu64 ", \"loaded\": %" PRIu64
			", \"unmapped\": %" PRIu64 ", \"skipped\": %" PRIu64 ", \"sent\": %" PRIu64
			"},\n", rs.frames, rs.loaded, rs.unmapped, rs.skipped, rs.sent);
	fprintf(f, "  \"totals\": {\"drops\": %" PRIu64 ", \"switch_drops\": %" PRIu64
		", \"link_drops\": %" PRIu64 ", \"ecn_marked\": %" PRIu64
		", \"pfc_frames\": %" PRIu64 ",\n             \"host_tx_frames\": %" PRIu64
		", \"host_rx_frames\": %" PRIu64 ", \"in_flight\": %" PRIu64
		", \"host_nombuf\": %" PRIu64 ",\n             \"retransmits\": %" PRIu64
		", \"cnps\": %" PRIu64 ", \"timeouts\": %" PRIu64 ", \"qp_errors\": %" PRIu64
		", \"jobs\": %u, \"jobs_done\": %u}\n}\n",
		t.drops, t.switch_drops, t.link_drops, t.ecn_marked, t.pfc_frames,
		t.host_tx, t.host_rx, t.in_flight, t.host_nombuf, jt.retransmits, jt.cnps,
		jt.timeouts, jt.errors, jt.jobs, jt.jobs_done);
	return ferror(f) ? -EIO : 0;
}

int
fab_run_write_flows(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab)
{
	uint32_t i;
	int ret;

	fprintf(f, "src,dst,bytes,start_ns,first_ns,last_ns,fct_ns,frames,ce_marked,"
		"job,round,transfer,src_rank,dst_rank,qpn,sport,retx_pkts,cnps,status\n");
	for (i = 0; i < s->nb_flows; i++) {
		const struct fab_scn_flow *fl = &s->flows[i];
		struct fab_flow_stats st;

		ret = fab_fabric_flow_stats(fab, (int)i, &st);
		if (ret < 0)
			return ret;
		fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",,,,,,,,,,\n",
			s->nodes[s->hosts[fl->src].node].name, s->nodes[s->hosts[fl->dst].node].name,
			fl->bytes, fl->start_ps / PS_PER_NS,
			st.first_rx_ps == UINT64_MAX ? 0 : st.first_rx_ps / PS_PER_NS,
			st.last_rx_ps / PS_PER_NS, st.done ? st.fct_ps / PS_PER_NS : 0,
			st.rx_frames, st.rx_ce);
	}
	ret = fab_run_write_job_flows(f, s, fab);
	if (ret < 0)
		return ret;
	return ferror(f) ? -EIO : 0;
}

uint64_t
fab_run_percentile(const uint64_t *sorted, uint32_t n, unsigned int pct)
{
	uint64_t rank;

	if (n == 0)
		return 0;
	if (pct > 100)
		pct = 100;
	/* Nearest rank: the smallest value with at least pct% of the values at or below it. */
	rank = ((uint64_t)pct * n + 99) / 100;
	if (rank == 0)
		rank = 1;
	return sorted[rank - 1];
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
fab_run_fct(const struct fab_fabric *fab, struct fab_run_fct *out)
{
	unsigned int i, n = fab_fabric_nb_flows(fab);
	struct fab_gen *gen = fab_fabric_gen(fab);
	const struct fab_gen_flow *gf = NULL;
	uint32_t nb_gf = 0;
	uint64_t *v;

	memset(out, 0, sizeof(*out));
	if (gen != NULL)
		gf = fab_gen_flows(gen, &nb_gf);
	out->flows = n + nb_gf;
	if (out->flows == 0)
		return 0;
	v = calloc(out->flows, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct fab_flow_stats st;

		if (fab_fabric_flow_stats(fab, (int)i, &st) == 0 && st.done)
			v[out->done++] = st.fct_ps;
	}
	/* A transfer's FCT: posted at the sender to delivered at the receiver. */
	for (i = 0; i < nb_gf; i++)
		if (gf[i].status == 0 && gf[i].arrive_ps != UINT64_MAX)
			v[out->done++] = gf[i].arrive_ps - gf[i].post_ps;
	if (out->done != 0)
		qsort(v, out->done, sizeof(*v), cmp_u64);
	out->p50_ps = fab_run_percentile(v, out->done, 50);
	out->p99_ps = fab_run_percentile(v, out->done, 99);
	out->max_ps = out->done > 0 ? v[out->done - 1] : 0;
	free(v);
	return 0;
}
