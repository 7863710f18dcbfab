/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Outputs of the generator's jobs: collectives.csv and the nccl-tests style
 * table, the transfers' rows of flows.csv, fct.txt in the HPCC simulator's
 * format (for simple flows and transfers alike), and the figures
 * summary.json takes from them.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fab_run.h"

#define PS_PER_NS 1000u
/* The RoCEv2 UDP destination port, fct.txt's dport. */
#define RUN_ROCE_PORT 4791

static const char *
host_name(const struct fab_scenario *s, const struct fab_fabric *fab, uint32_t gen_host)
{
	int node = fab_fabric_gen_node(fab, gen_host);

	return node >= 0 ? s->nodes[node].name : "?";
}

int
fab_run_write_collectives(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab)
{
	(void)s;
	return fab_gen_write_collectives(f, fab_fabric_gen(fab));
}

int
fab_run_write_nccl(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab)
{
	(void)s;
	return fab_gen_write_nccl(f, fab_fabric_gen(fab));
}

int
fab_run_write_job_flows(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab)
{
	struct fab_gen *gen = fab_fabric_gen(fab);
	const struct fab_gen_flow *fl;
	uint32_t i, nb;

	if (gen == NULL)
		return 0;
	fl = fab_gen_flows(gen, &nb);
	for (i = 0; i < nb; i++) {
		const struct fab_gen_flow *x = &fl[i];
		uint64_t end = x->arrive_ps != UINT64_MAX ? x->arrive_ps : x->ack_ps;

		fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",,%" PRIu64 ",%" PRIu64 ",,,%s,%u,%u,%u,%u,"
			"%u,%u,%" PRIu32 ",%" PRIu32 ",%d\n",
			host_name(s, fab, x->src_host), host_name(s, fab, x->dst_host), x->bytes,
			x->post_ps / PS_PER_NS, end / PS_PER_NS, (end - x->post_ps) / PS_PER_NS,
			fab_gen_job(gen, x->job)->name, x->round, x->xfer, x->src_rank, x->dst_rank,
			x->dst_qpn, x->sport, x->retx_pkts, x->cnps, x->status);
	}
	return ferror(f) ? -EIO : 0;
}

/* A host's IPv4 address as the HPCC simulator prints it (hex), or IPv6 in full hex. */
static void
print_ip(FILE *f, const struct fab_scenario *s, uint32_t host)
{
	const struct fab_scn_host *h = &s->hosts[host];
	unsigned int i;

	if (h->l3 == FAB_L3_IPV4) {
		fprintf(f, "%08x", rte_be_to_cpu_32(h->addr.v4));
		return;
	}
	for (i = 0; i < 16; i++)
		fprintf(f, "%02x", h->addr.v6[i]);
}

/*
 * Hops between every pair of hosts (breadth first from each source): the
 * standalone FCT is the transfer alone on an idle path, store and forward.
 */
static uint32_t *
host_hops(const struct fab_scenario *s)
{
	uint32_t *hops = calloc((size_t)s->nb_hosts * s->nb_hosts + 1, sizeof(*hops));
	uint32_t *dist = calloc(s->nb_nodes + 1, sizeof(*dist));
	uint32_t *queue = calloc(s->nb_nodes + 1, sizeof(*queue));
	uint32_t a, i;

	if (hops == NULL || dist == NULL || queue == NULL) {
		free(hops);
		hops = NULL;
		goto out;
	}
	for (a = 0; a < s->nb_hosts; a++) {
		uint32_t head = 0, tail = 0;

		for (i = 0; i < s->nb_nodes; i++)
			dist[i] = UINT32_MAX;
		dist[s->hosts[a].node] = 0;
		queue[tail++] = s->hosts[a].node;
		while (head < tail) {
			const struct fab_scn_node *n = &s->nodes[queue[head++]];
			uint16_t p;

			/* Hosts do not forward. */
			if (n->kind == FAB_SCN_HOST && queue[head - 1] != s->hosts[a].node)
				continue;
			for (p = 0; p < n->nb_ports; p++) {
				uint32_t m = n->ports[p].peer_node;

				if (dist[m] != UINT32_MAX)
					continue;
				dist[m] = dist[queue[head - 1]] + 1;
				queue[tail++] = m;
			}
		}
		for (i = 0; i < s->nb_hosts; i++)
			hops[(size_t)a * s->nb_hosts + i] = dist[s->hosts[i].node];
	}
out:
	free(dist);
	free(queue);
	return hops;
}

/* The transfer alone: every packet at the source's rate, the last one forwarded hop by hop. */
static uint64_t
standalone_ps(const struct fab_scenario *s, const uint32_t *hops, uint32_t src, uint32_t dst,
		uint64_t bytes)
{
	const struct fab_scn_host *h = &s->hosts[src];
	uint32_t mtu = s->traffic_mtu, hdr = h->l3 == FAB_L3_IPV4 ? 58 : 78;
	uint64_t full = bytes / mtu, rest = bytes % mtu, links = hops[(size_t)src * s->nb_hosts + dst];
	uint64_t t = full * fab_wire_time_ps(mtu + hdr, h->rate_bps);
	uint64_t last = fab_wire_time_ps((uint32_t)(rest != 0 ? rest : mtu) + hdr, h->rate_bps);

	if (rest != 0)
		t += last;
	if (links == UINT32_MAX)
		return t;
	/* Every further link adds its delay and the last packet's serialization. */
	return t + links * s->links[h->link].delay_ps + (links > 0 ? links - 1 : 0) * last;
}

static uint32_t
host_of_node(const struct fab_scenario *s, int node)
{
	return node >= 0 ? s->nodes[node].index : 0;
}

int
fab_run_write_fct_txt(FILE *f, const struct fab_scenario *s, const struct fab_fabric *fab)
{
	struct fab_gen *gen = fab_fabric_gen(fab);
	uint32_t *hops = host_hops(s), i, nb = 0;
	const struct fab_gen_flow *fl = NULL;

	if (hops == NULL)
		return -ENOMEM;
	for (i = 0; i < s->nb_flows; i++) {
		const struct fab_scn_flow *x = &s->flows[i];
		struct fab_flow_stats st;

		if (fab_fabric_flow_stats(fab, (int)i, &st) < 0 || !st.done)
			continue;
		print_ip(f, s, x->src);
		fputc(' ', f);
		print_ip(f, s, x->dst);
		fprintf(f, " %u %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", x->udp_sport,
			RUN_ROCE_PORT, x->bytes, x->start_ps / PS_PER_NS, st.fct_ps / PS_PER_NS,
			standalone_ps(s, hops, x->src, x->dst, x->bytes) / PS_PER_NS);
	}
	if (gen != NULL)
		fl = fab_gen_flows(gen, &nb);
	for (i = 0; i < nb; i++) {
		const struct fab_gen_flow *x = &fl[i];
		uint32_t src = host_of_node(s, fab_fabric_gen_node(fab, x->src_host));
		uint32_t dst = host_of_node(s, fab_fabric_gen_node(fab, x->dst_host));

		if (x->status != 0 || x->arrive_ps == UINT64_MAX)
			continue;
		print_ip(f, s, src);
		fputc(' ', f);
		print_ip(f, s, dst);
		fprintf(f, " %u %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", x->sport,
			RUN_ROCE_PORT, x->bytes, x->post_ps / PS_PER_NS,
			(x->arrive_ps - x->post_ps) / PS_PER_NS,
			standalone_ps(s, hops, src, dst, x->bytes) / PS_PER_NS);
	}
	free(hops);
	return ferror(f) ? -EIO : 0;
}

int
fab_run_job_totals(const struct fab_fabric *fab, struct fab_run_job_totals *out)
{
	struct fab_gen *gen = fab_fabric_gen(fab);
	uint32_t h;

	memset(out, 0, sizeof(*out));
	if (gen == NULL)
		return 0;
	for (h = 0; h < fab_gen_nb_hosts(gen); h++) {
		struct fab_gen_host_stats st;

		if (fab_gen_host_stats(gen, h, &st) < 0)
			return -EINVAL;
		out->retransmits += st.retx_pkts;
		out->cnps += st.cnp_tx;
		out->timeouts += st.timeouts;
		out->errors += st.errors;
		out->bad_payload += st.rx_bad_payload;
		out->bad_icrc += st.rx_bad_icrc;
	}
	for (h = 0; h < fab_gen_nb_jobs(gen); h++)
		out->jobs_done += fab_gen_job_done(gen, h);
	out->jobs = fab_gen_nb_jobs(gen);
	return 0;
}
