/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The scenario model onto lib/fabric: nodes in model order, links, flows. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "fab_link.h"
#include "fab_run.h"

/* The EAL's own heap, the control frames' pool, names and tables of small fabrics. */
#define RUN_MEMORY_BASE (UINT64_C(96) << 20)
/* A switch's own state: MMU, PFC, statistics, its route tables. */
#define RUN_SWITCH_BYTES (UINT64_C(1) << 20)
/* A link ring's slot (delivery time, mbuf), as lib/link sizes its rings. */
#define RUN_LINK_SLOT_BYTES 16u

/*
 * The frames' pools and the egress rings take memory of their own
 * (lib/pkt's packed pools, lib/sched's rings: anonymous mappings that
 * cost only what is used); the EAL's memory holds the rest.
 */
uint64_t
fab_run_memory_bytes(const struct fab_scenario *s)
{
	uint64_t bytes = RUN_MEMORY_BASE;
	uint32_t i;

	bytes += (uint64_t)s->nb_switches * RUN_SWITCH_BYTES;
	for (i = 0; i < s->nb_links; i++) {
		struct fab_link_conf lc = {
			.delay_ps = s->links[i].delay_ps, .rate_bps = s->links[i].rate_bps,
		};

		/* Each way, the ring lib/link will give the link. */
		bytes += 2 * (uint64_t)fab_link_ring_size(&lc) * RUN_LINK_SLOT_BYTES;
	}
	/* Slack for fragmentation of the heap. */
	return bytes + bytes / 4;
}

static struct fab_fabric *
build_fail(struct fab_fabric *fab, int ret, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, fab != NULL && fab_fabric_error(fab)[0] != '\0' ?
		fab_fabric_error(fab) : strerror(-ret));
	fab_fabric_free(fab);
	rte_errno = -ret;
	return NULL;
}

static int
add_host(struct fab_fabric *fab, const struct fab_scenario *s, const struct fab_scn_node *n,
		bool seed_set)
{
	const struct fab_scn_host *h = &s->hosts[n->index];
	const struct fab_switch_conf *sw = &s->switches[s->nodes[h->sw_node].index].conf;
	struct fab_host_conf hc;

	fab_fabric_host_conf_defaults(&hc);
	snprintf(hc.name, sizeof(hc.name), "%s", n->name);
	hc.mac = h->mac;
	hc.l3 = h->l3;
	hc.ip = h->addr;
	hc.rate_bps = h->rate_bps;
	/* The host classifies as the switch it hangs on, so PFC pauses the class it sends on. */
	memcpy(hc.dscp_to_class, sw->qos.dscp_to_class, sizeof(hc.dscp_to_class));
	hc.seed = seed_set ? 0 : n->seed;
	return fab_fabric_add_host(fab, &hc);
}

/* The generator's NICs and jobs; ranks go to the hosts' node handles (model order). */
static int
add_jobs(struct fab_fabric *fab, const struct fab_scenario *s)
{
	struct fab_gen_nic_conf nic = {
		.cc = s->nic.cc,
		.cc_args = s->nic.cc_args[0] != '\0' ? s->nic.cc_args : NULL,
		.mtu = s->traffic_mtu,
		.timeout = s->nic.timeout,
		.retry_cnt = s->nic.retry_cnt,
		.ack_every = s->nic.ack_every,
		.window = s->nic.window,
		.ooo_accept = s->nic.ooo_accept,
		.ooo_window = s->nic.ooo_window,
		.cnp_dscp = s->nic.cnp_dscp,
	};
	uint32_t i, k;
	int ret;

	if (s->nb_jobs == 0)
		return 0;
	ret = fab_fabric_set_nic(fab, &nic);
	for (i = 0; ret >= 0 && i < s->nb_jobs; i++) {
		const struct fab_scn_job *sj = &s->jobs[i];
		uint32_t *nodes = calloc(sj->nranks, sizeof(*nodes));
		struct fab_gen_job_conf jc = {
			.coll = {
				.pattern = (enum fab_coll_pattern)sj->pattern,
				.nranks = sj->nranks, .root = sj->root, .channels = sj->channels,
				.chunk_bytes = sj->chunk_bytes, .seed = sj->seed,
			},
			.hosts = nodes, .nb_sizes = sj->nb_sizes, .sizes = sj->sizes,
			.warmup = sj->warmup, .iters = sj->iters, .start_ps = sj->start_ps,
			.dscp = sj->dscp, .ecn = sj->ecn,
		};

		if (nodes == NULL)
			return -ENOMEM;
		snprintf(jc.name, sizeof(jc.name), "%s", sj->name);
		for (k = 0; k < sj->nranks; k++)
			nodes[k] = s->hosts[sj->hosts[k]].node;
		ret = fab_fabric_add_job(fab, &jc);
		free(nodes);
	}
	return ret < 0 ? ret : 0;
}

static int
add_replay(struct fab_fabric *fab, const struct fab_scenario *s, const struct fab_scn_replay *r)
{
	struct fab_replay_map *map = calloc(r->nb_map, sizeof(*map));
	struct fab_replay_conf rc = {
		.path = r->path, .speed = r->speed, .start_ps = r->start_ps,
		.nb_map = r->nb_map, .map = map,
	};
	uint32_t k;
	int ret;

	if (map == NULL)
		return -ENOMEM;
	for (k = 0; k < r->nb_map; k++) {
		map[k].l3 = r->map[k].l3;
		map[k].trace_ip = r->map[k].ip;
		map[k].host = (int)s->hosts[r->map[k].host].node;
	}
	ret = fab_fabric_add_replay(fab, &rc);
	free(map);
	return ret < 0 ? ret : 0;
}

struct fab_fabric *
fab_run_build(const struct fab_scenario *s, const struct fab_run_opts *opts, char *err,
		size_t errlen)
{
	struct fab_fabric_conf fc;
	struct fab_fabric *fab;
	bool seed_set = opts != NULL && opts->seed_set;
	uint32_t i;
	int ret;

	memset(&fc, 0, sizeof(fc));
	fc.name = s->name;
	fc.seed = seed_set ? opts->seed : s->seed;
	fc.socket_id = SOCKET_ID_ANY;
	fab = fab_fabric_create(&fc);
	if (fab == NULL) {
		snprintf(err, errlen, "cannot create the fabric: %s", strerror(rte_errno));
		return NULL;
	}
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];

		if (n->kind == FAB_SCN_SWITCH) {
			struct fab_switch_conf c = s->switches[n->index].conf;

			/* Another seed reseeds every switch: the fabric derives them from it. */
			if (seed_set) {
				c.seed = 0;
				c.hash_seed = 0;
			}
			ret = fab_fabric_add_switch(fab, &c);
		} else {
			ret = add_host(fab, s, n, seed_set);
		}
		if (ret < 0)
			return build_fail(fab, ret, err, errlen, n->name);
		if ((uint32_t)ret != i)
			return build_fail(fab, -EPROTO, err, errlen, n->name);
	}
	for (i = 0; i < s->nb_links; i++) {
		const struct fab_scn_link *l = &s->links[i];

		ret = fab_fabric_connect(fab, (int)l->end[0].node, l->end[0].port,
			(int)l->end[1].node, l->end[1].port, l->delay_ps);
		if (ret < 0)
			return build_fail(fab, ret, err, errlen, l->name);
	}
	for (i = 0; i < s->nb_flows; i++) {
		const struct fab_scn_flow *f = &s->flows[i];
		struct fab_flow_conf c;
		char what[64];

		memset(&c, 0, sizeof(c));
		c.src = (int)s->hosts[f->src].node;
		c.dst = (int)s->hosts[f->dst].node;
		c.bytes = f->bytes;
		c.rate_bps = f->rate_bps;
		c.start_ps = f->start_ps;
		c.udp_sport = f->udp_sport;
		c.dscp = f->dscp;
		c.ecn = f->ecn;
		c.mtu = s->traffic_mtu;
		ret = fab_fabric_add_flow(fab, &c);
		if (ret < 0) {
			snprintf(what, sizeof(what), "flow %u", i);
			return build_fail(fab, ret, err, errlen, what);
		}
	}
	ret = add_jobs(fab, s);
	if (ret < 0)
		return build_fail(fab, ret, err, errlen, "traffic.jobs");
	for (i = 0; i < s->nb_replays; i++) {
		ret = add_replay(fab, s, &s->replays[i]);
		if (ret < 0)
			return build_fail(fab, ret, err, errlen, "traffic.replay");
	}
	return fab;
}
