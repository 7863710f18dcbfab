/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * From the raw graph to the model, in an order that does not depend on the
 * file: nodes by name (natural order), each node's ports by name, each
 * link's ends by (node, port), links by their ends. Then the address plan:
 * one subnet per switch with hosts, hosts numbered by name within it, MACs
 * derived from those numbers.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "fab_scn_priv.h"

static int
cmp_node_natural(const void *a, const void *b, void *arg)
{
	const struct scn_raw_node *rn = arg;

	return scn_natural_cmp(rn[*(const uint32_t *)a].name, rn[*(const uint32_t *)b].name);
}

static int
cmp_end_natural(const void *a, const void *b, void *arg)
{
	const struct scn_raw_link *rl = arg;
	uint32_t ea = *(const uint32_t *)a, eb = *(const uint32_t *)b;

	return scn_natural_cmp(rl[ea / 2].end[ea % 2].port, rl[eb / 2].end[eb % 2].port);
}

/* (node id, port index) of an end, as one comparable number. */
static uint64_t
end_key(const struct scn_ctx *ctx, const struct scn_raw_end *e)
{
	return (uint64_t)ctx->rn[e->node].id << 16 | e->port_index;
}

static int
cmp_link(const void *a, const void *b, void *arg)
{
	const struct scn_ctx *ctx = arg;
	const struct scn_raw_link *la = &ctx->rl[*(const uint32_t *)a];
	const struct scn_raw_link *lb = &ctx->rl[*(const uint32_t *)b];
	uint64_t ka = end_key(ctx, &la->end[0]), kb = end_key(ctx, &lb->end[0]);

	if (ka == kb) {
		ka = end_key(ctx, &la->end[1]);
		kb = end_key(ctx, &lb->end[1]);
	}
	return ka < kb ? -1 : ka > kb ? 1 : 0;
}

static int
alloc_model(struct scn_ctx *ctx)
{
	struct fab_scenario *s = ctx->s;
	uint32_t i;

	for (i = 0; i < ctx->nb_rn; i++) {
		if (ctx->rn[i].kind == FAB_SCN_SWITCH)
			s->nb_switches++;
		else
			s->nb_hosts++;
	}
	s->nodes = calloc(ctx->nb_rn, sizeof(*s->nodes));
	s->switches = calloc(s->nb_switches + 1, sizeof(*s->switches));
	s->hosts = calloc(s->nb_hosts + 1, sizeof(*s->hosts));
	s->links = calloc(ctx->nb_rl + 1, sizeof(*s->links));
	ctx->node_raw = malloc((ctx->nb_rn + 1) * sizeof(*ctx->node_raw));
	ctx->link_raw = malloc((ctx->nb_rl + 1) * sizeof(*ctx->link_raw));
	if (s->nodes == NULL || s->switches == NULL || s->hosts == NULL || s->links == NULL ||
			ctx->node_raw == NULL || ctx->link_raw == NULL)
		return scn_nomem(ctx, ctx->topology);
	return 0;
}

int
scn_build_model(struct scn_ctx *ctx)
{
	struct fab_scenario *s = ctx->s;
	uint32_t i, k, nb_sw = 0;
	int ret;

	ret = alloc_model(ctx);
	if (ret < 0)
		return ret;
	for (i = 0; i < ctx->nb_rn; i++)
		ctx->node_raw[i] = i;
	qsort_r(ctx->node_raw, ctx->nb_rn, sizeof(*ctx->node_raw), cmp_node_natural, ctx->rn);
	s->nb_nodes = ctx->nb_rn;
	for (i = 0; i < ctx->nb_rn; i++) {
		struct scn_raw_node *r = &ctx->rn[ctx->node_raw[i]];
		struct fab_scn_node *n = &s->nodes[i];
		uint32_t *ends = ctx->adj + ctx->adj_start[ctx->node_raw[i]];

		r->id = i;
		memcpy(n->name, r->name, sizeof(n->name));
		n->kind = r->kind;
		n->seed = scn_hash_name(s->seed, n->name);
		n->line = r->name_node->line;
		n->col = r->name_node->col;
		n->nb_ports = (uint16_t)r->nb_links;
		n->ports = calloc(r->nb_links, sizeof(*n->ports));
		if (n->ports == NULL)
			return scn_nomem(ctx, r->def);
		/* Its adjacency list is sorted in place: file order is not needed any more. */
		qsort_r(ends, r->nb_links, sizeof(*ends), cmp_end_natural, ctx->rl);
		for (k = 0; k < r->nb_links; k++) {
			struct scn_raw_end *e = &ctx->rl[ends[k] / 2].end[ends[k] % 2];

			e->port_index = (uint16_t)k;
			memcpy(n->ports[k].name, e->port, sizeof(n->ports[k].name));
		}
		if (r->kind == FAB_SCN_SWITCH) {
			struct fab_scn_switch *sw = &s->switches[nb_sw];

			n->index = nb_sw++;
			sw->node = i;
			sw->subnet = FAB_SCN_NONE;
			memcpy(sw->tier, r->tier, sizeof(sw->tier));
			memcpy(sw->profile, r->profile, sizeof(sw->profile));
		}
	}

	/* Each link's ends in canonical order, then the links by their ends. */
	for (i = 0; i < ctx->nb_rl; i++) {
		struct scn_raw_link *l = &ctx->rl[i];

		if (end_key(ctx, &l->end[1]) < end_key(ctx, &l->end[0])) {
			struct scn_raw_end t = l->end[0];

			l->end[0] = l->end[1];
			l->end[1] = t;
		}
		ctx->link_raw[i] = i;
	}
	qsort_r(ctx->link_raw, ctx->nb_rl, sizeof(*ctx->link_raw), cmp_link, ctx);
	s->nb_links = ctx->nb_rl;
	for (i = 0; i < ctx->nb_rl; i++) {
		struct scn_raw_link *r = &ctx->rl[ctx->link_raw[i]];
		struct fab_scn_link *l = &s->links[i];
		unsigned int e;

		r->id = i;
		l->rate_bps = r->rate_bps;
		l->delay_ps = r->delay_ps;
		l->cable_m = r->cable_m;
		for (e = 0; e < 2; e++) {
			l->end[e].node = ctx->rn[r->end[e].node].id;
			l->end[e].port = r->end[e].port_index;
		}
		snprintf(l->name, sizeof(l->name), "%s:%s--%s:%s",
				s->nodes[l->end[0].node].name, r->end[0].port,
				s->nodes[l->end[1].node].name, r->end[1].port);
		for (e = 0; e < 2; e++) {
			struct fab_scn_port *p = &s->nodes[l->end[e].node].ports[l->end[e].port];

			p->link = i;
			p->end = (uint8_t)e;
			p->peer_node = l->end[1 - e].node;
			p->peer_port = l->end[1 - e].port;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Addresses and MACs                                                   */
/* ------------------------------------------------------------------ */

static void
set_mac(struct rte_ether_addr *m, uint8_t a, uint8_t b, uint8_t c, uint32_t hi16,
		uint8_t last)
{
	m->addr_bytes[0] = a;
	m->addr_bytes[1] = b;
	m->addr_bytes[2] = c;
	m->addr_bytes[3] = (uint8_t)(hi16 >> 8);
	m->addr_bytes[4] = (uint8_t)hi16;
	m->addr_bytes[5] = last;
}

/* Subnet number @p k (from 1) under the base, and host number @p j (from 1) in it. */
static void
subnet_prefix(const struct fab_scenario *s, uint32_t k, struct fab_ip_prefix *out)
{
	uint32_t i;

	*out = s->base;
	if (s->l3 == FAB_L3_IPV4) {
		out->addr.v4 = htonl(ntohl(s->base.addr.v4) | k << 8);
		out->depth = 24;
		return;
	}
	/* Add k to the upper 64 bits, which end at the /64. */
	for (i = 8; i-- > 0 && k != 0; ) {
		uint32_t sum = out->addr.v6[i] + (k & 0xff);

		out->addr.v6[i] = (uint8_t)sum;
		k = (k >> 8) + (sum >> 8);
	}
	out->depth = 64;
}

static void
host_addr(const struct fab_scenario *s, const struct fab_ip_prefix *subnet, uint32_t j,
		union fab_ip_addr *out)
{
	*out = subnet->addr;
	if (s->l3 == FAB_L3_IPV4) {
		out->v4 = htonl(ntohl(subnet->addr.v4) | j);
		return;
	}
	out->v6[14] = (uint8_t)(j >> 8);
	out->v6[15] = (uint8_t)j;
}

/* Subnets the base prefix holds (numbers 1 .. max), capped at 2^31. */
static uint64_t
subnet_capacity(const struct fab_scenario *s)
{
	unsigned int bits = s->l3 == FAB_L3_IPV4 ? 24 : 64;

	if (s->base.depth >= bits)
		return 0;
	if (bits - s->base.depth >= 31)
		return UINT64_C(1) << 31;
	return (UINT64_C(1) << (bits - s->base.depth)) - 1;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

int
scn_build_addresses(struct scn_ctx *ctx)
{
	struct fab_scenario *s = ctx->s;
	uint32_t i, p, nb_subnets = 0, nb_hosts = 0;
	uint32_t hosts_here[FAB_CONF_MAX_PORTS];
	uint64_t cap;
	char base[64];

	for (i = 0; i < s->nb_switches; i++) {
		const struct fab_scn_node *n = &s->nodes[s->switches[i].node];

		for (p = 0; p < n->nb_ports; p++)
			if (s->nodes[n->ports[p].peer_node].kind == FAB_SCN_HOST)
				break;
		if (p < n->nb_ports)
			nb_subnets++;
	}
	cap = subnet_capacity(s);
	if (nb_subnets > cap) {
		fab_scenario_format_addr(s->l3, &s->base.addr, base, sizeof(base));
		return fab_yaml_error(ctx->base_node != NULL ? ctx->base_node : ctx->topology,
				ctx->err, ctx->errlen,
				"%s/%u holds %" PRIu64 " subnets of hosts (/%u), the topology needs %u",
				base, s->base.depth, cap, s->l3 == FAB_L3_IPV4 ? 24 : 64,
				nb_subnets);
	}
	s->subnets = calloc(nb_subnets + 1, sizeof(*s->subnets));
	if (s->subnets == NULL)
		return scn_nomem(ctx, ctx->topology);

	for (i = 0; i < s->nb_switches; i++) {
		struct fab_scn_switch *sw = &s->switches[i];
		const struct fab_scn_node *n = &s->nodes[sw->node];
		struct fab_scn_subnet *sn;
		uint32_t nb = 0, j;

		for (p = 0; p < n->nb_ports; p++)
			if (s->nodes[n->ports[p].peer_node].kind == FAB_SCN_HOST)
				hosts_here[nb++] = n->ports[p].peer_node;
		if (nb == 0)
			continue;
		if (nb > FAB_SCN_MAX_HOSTS_PER_SWITCH)
			return fab_yaml_error(ctx->rn[ctx->node_raw[sw->node]].name_node, ctx->err,
					ctx->errlen,
					"switch '%s' has %u hosts; its subnet holds at most %u",
					n->name, nb, FAB_SCN_MAX_HOSTS_PER_SWITCH);
		/* Node ids are in name order: hosts are numbered by name. */
		if (nb != 0)
			qsort(hosts_here, nb, sizeof(hosts_here[0]), cmp_u32);
		sw->subnet = s->nb_subnets;
		sn = &s->subnets[s->nb_subnets++];
		subnet_prefix(s, s->nb_subnets, &sn->prefix);
		sn->sw_node = sw->node;
		sn->first_host = nb_hosts;
		sn->nb_hosts = nb;
		for (j = 0; j < nb; j++) {
			struct fab_scn_host *h = &s->hosts[nb_hosts];
			struct fab_scn_node *hn = &s->nodes[hosts_here[j]];
			const struct fab_scn_port *hp = &hn->ports[0];
			const struct fab_scn_link *l = &s->links[hp->link];

			hn->index = nb_hosts++;
			h->node = hosts_here[j];
			h->l3 = s->l3;
			h->subnet = sw->subnet;
			host_addr(s, &sn->prefix, j + 1, &h->addr);
			set_mac(&h->mac, 0x02, 0x00, 0x00, s->nb_subnets, (uint8_t)(j + 1));
			h->rate_bps = l->rate_bps;
			h->link = hp->link;
			h->sw_node = hp->peer_node;
			h->sw_port = hp->peer_port;
			/* Switch number i + 1, port number in the last octet. */
			set_mac(&h->gw_mac, 0x02, 0xfa, 0xb0, i + 1, (uint8_t)h->sw_port);
		}
	}
	return 0;
}
