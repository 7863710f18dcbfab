/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Each switch's configuration: its ports from the links, its profile
 * through lib/config's own section parsers, and its routes.
 *
 * Routes are shortest paths in hops over switches (hosts never transit),
 * with every equal-cost next hop in the group, as BGP with multipath gives
 * in a Clos fabric: a switch with hosts has a host route (/32, /128) per
 * host; every other switch has one route per remote subnet. On a leaf/spine
 * fabric this is exactly: leaves reach each remote leaf's subnet over all
 * spines, spines reach each leaf's subnet over the link to that leaf. Per
 * subnet rather than a default route, so a frame to an address no host has
 * is dropped at its first switch (counted as no route) instead of bouncing
 * to a spine.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_scn_priv.h"

/* The MAC of port @p p of node @p node: a switch's from its number, a host's own. */
static void
port_mac(const struct fab_scenario *s, uint32_t node, uint16_t p, struct rte_ether_addr *m)
{
	const struct fab_scn_node *n = &s->nodes[node];
	uint32_t num;

	if (n->kind == FAB_SCN_HOST) {
		*m = s->hosts[n->index].mac;
		return;
	}
	num = n->index + 1;
	m->addr_bytes[0] = 0x02;
	m->addr_bytes[1] = 0xfa;
	m->addr_bytes[2] = 0xb0;
	m->addr_bytes[3] = (uint8_t)(num >> 8);
	m->addr_bytes[4] = (uint8_t)num;
	m->addr_bytes[5] = (uint8_t)p;
}

static int
build_conf(struct scn_ctx *ctx, uint32_t i)
{
	struct fab_scenario *s = ctx->s;
	struct fab_scn_switch *sw = &s->switches[i];
	const struct fab_scn_node *n = &s->nodes[sw->node];
	const struct scn_raw_node *r = &ctx->rn[ctx->node_raw[sw->node]];
	const struct fab_yaml_node *profile;
	struct fab_switch_conf base;
	uint16_t p;
	int ret;

	memset(&base, 0, sizeof(base));
	memcpy(base.name, n->name, sizeof(base.name));
	base.seed = n->seed;
	base.hash_seed = n->seed;
	port_mac(s, sw->node, 0, &base.mac);
	base.time = FAB_CONF_TIME_VIRTUAL;
	base.nb_ports = n->nb_ports;
	base.ports = calloc(n->nb_ports, sizeof(*base.ports));
	if (base.ports == NULL)
		return scn_nomem(ctx, r->def);
	for (p = 0; p < n->nb_ports; p++) {
		const struct fab_scn_port *sp = &n->ports[p];
		const struct fab_scn_link *l = &s->links[sp->link];
		const struct scn_raw_link *rl = &ctx->rl[ctx->link_raw[sp->link]];
		struct fab_conf_port *cp = &base.ports[p];

		memcpy(cp->name, sp->name, sizeof(cp->name));
		cp->kind = FAB_CONF_PORT_LINK;
		cp->rate_bps = l->rate_bps;
		port_mac(s, sw->node, p, &cp->mac);
		port_mac(s, sp->peer_node, sp->peer_port, &cp->peer_mac);
		cp->peer_mac_set = true;
		/* Both ends of a fabric link are switches or hosts that obey PFC. */
		cp->peer_passive = false;
		cp->cable_m = l->cable_m;
		cp->trust = FAB_CONF_TRUST_DSCP;
		cp->line = rl->def->line;
		cp->col = rl->def->col;
	}
	/* Checked when the profiles were read and when the node was. */
	if (scn_find_profile(ctx, sw->profile, &profile) < 0)
		profile = NULL;
	ret = fab_switch_conf_from_profile(profile, ctx->base_dir, &base, &sw->conf, ctx->err,
			ctx->errlen);
	free(base.ports);
	return ret;
}

static int
add_route(struct scn_ctx *ctx, uint32_t i, const struct fab_ip_prefix *prefix,
		const uint16_t *ports, const struct rte_ether_addr *macs, uint32_t nb,
		uint32_t *nh_cap)
{
	struct fab_scenario *s = ctx->s;
	struct fab_switch_conf *c = &s->switches[i].conf;
	const struct scn_raw_node *r = &ctx->rn[ctx->node_raw[s->switches[i].node]];
	struct fab_conf_route *rt = &c->routes[c->nb_routes];
	uint32_t k;

	if (nb > FAB_CONF_MAX_ECMP || nb > c->lb.buckets) {
		const struct fab_yaml_node *at, *profile;
		char addr[64];

		fab_scenario_format_addr(prefix->l3, &prefix->addr, addr, sizeof(addr));
		if (nb > FAB_CONF_MAX_ECMP)
			return fab_yaml_error(r->name_node, ctx->err, ctx->errlen,
					"switch '%s' reaches %s/%u over %u equal-cost next hops; an ECMP group holds at most %u",
					c->name, addr, prefix->depth, nb, FAB_CONF_MAX_ECMP);
		/* The profile's lb.buckets is what to change, when it is written. */
		at = r->name_node;
		if (scn_find_profile(ctx, s->switches[i].profile, &profile) == 0 &&
				scn_get(scn_get(profile, "lb"), "buckets") != NULL)
			at = scn_get(scn_get(profile, "lb"), "buckets");
		return fab_yaml_error(at, ctx->err, ctx->errlen,
				"switch '%s' reaches %s/%u over %u equal-cost next hops, more than lb.buckets = %u",
				c->name, addr, prefix->depth, nb, c->lb.buckets);
	}
	if (c->nb_nexthops + nb > *nh_cap) {
		uint32_t cap = *nh_cap == 0 ? 16 : *nh_cap;
		struct fab_conf_nexthop *grown;

		while (cap < c->nb_nexthops + nb)
			cap *= 2;
		grown = realloc(c->nexthops, cap * sizeof(*grown));
		if (grown == NULL)
			return scn_nomem(ctx, r->def);
		c->nexthops = grown;
		*nh_cap = cap;
	}
	rt->prefix = *prefix;
	rt->first_nexthop = c->nb_nexthops;
	rt->nb_nexthops = (uint16_t)nb;
	rt->line = r->name_node->line;
	rt->col = r->name_node->col;
	for (k = 0; k < nb; k++) {
		c->nexthops[c->nb_nexthops + k].port = ports[k];
		c->nexthops[c->nb_nexthops + k].mac = macs[k];
	}
	c->nb_nexthops += nb;
	c->nb_routes++;
	return 0;
}

/* Hops from every switch to switch @p dst over switches; UINT32_MAX: unreachable. */
static void
hops_to(const struct fab_scenario *s, uint32_t dst, uint32_t *dist, uint32_t *queue)
{
	uint32_t head = 0, tail = 0, i;

	for (i = 0; i < s->nb_nodes; i++)
		dist[i] = UINT32_MAX;
	dist[dst] = 0;
	queue[tail++] = dst;
	while (head < tail) {
		const struct fab_scn_node *u = &s->nodes[queue[head]];
		uint32_t du = dist[queue[head++]];
		uint16_t p;

		for (p = 0; p < u->nb_ports; p++) {
			uint32_t v = u->ports[p].peer_node;

			if (s->nodes[v].kind != FAB_SCN_SWITCH || dist[v] != UINT32_MAX)
				continue;
			dist[v] = du + 1;
			queue[tail++] = v;
		}
	}
}

static int
build_routes(struct scn_ctx *ctx)
{
	struct fab_scenario *s = ctx->s;
	uint32_t *dist, *queue, *nh_cap, i, k;
	uint16_t ports[FAB_CONF_MAX_PORTS];
	struct rte_ether_addr macs[FAB_CONF_MAX_PORTS];
	int ret = 0;

	dist = malloc((s->nb_nodes + 1) * sizeof(*dist));
	queue = malloc((s->nb_nodes + 1) * sizeof(*queue));
	nh_cap = calloc(s->nb_switches + 1, sizeof(*nh_cap));
	if (dist == NULL || queue == NULL || nh_cap == NULL) {
		ret = scn_nomem(ctx, ctx->topology);
		goto out;
	}
	/* Each switch has its hosts' routes plus one per other subnet. */
	for (i = 0; i < s->nb_switches; i++) {
		struct fab_scn_switch *sw = &s->switches[i];
		uint32_t nb = s->nb_subnets;

		if (sw->subnet != FAB_SCN_NONE)
			nb += s->subnets[sw->subnet].nb_hosts - 1;
		sw->conf.routes = calloc(nb + 1, sizeof(*sw->conf.routes));
		if (sw->conf.routes == NULL) {
			ret = scn_nomem(ctx, ctx->topology);
			goto out;
		}
	}
	for (k = 0; k < s->nb_subnets && ret == 0; k++) {
		const struct fab_scn_subnet *sn = &s->subnets[k];

		hops_to(s, sn->sw_node, dist, queue);
		for (i = 0; i < s->nb_switches && ret == 0; i++) {
			const struct fab_scn_switch *sw = &s->switches[i];
			const struct fab_scn_node *n = &s->nodes[sw->node];
			uint32_t nb = 0, h;
			uint16_t p;

			if (sw->node == sn->sw_node) {
				uint32_t last = sn->first_host + sn->nb_hosts;

				for (h = sn->first_host; h < last && ret == 0; h++) {
					const struct fab_scn_host *host = &s->hosts[h];
					struct fab_ip_prefix pfx = {
						.addr = host->addr,
						.l3 = host->l3,
						.depth = host->l3 == FAB_L3_IPV4 ? 32 : 128,
					};

					ret = add_route(ctx, i, &pfx, &host->sw_port, &host->mac, 1,
							&nh_cap[i]);
				}
				continue;
			}
			if (dist[sw->node] == UINT32_MAX)
				continue;
			for (p = 0; p < n->nb_ports; p++) {
				const struct fab_scn_port *sp = &n->ports[p];

				if (s->nodes[sp->peer_node].kind != FAB_SCN_SWITCH ||
						dist[sp->peer_node] + 1 != dist[sw->node])
					continue;
				ports[nb] = p;
				port_mac(s, sp->peer_node, sp->peer_port, &macs[nb]);
				nb++;
			}
			ret = add_route(ctx, i, &sn->prefix, ports, macs, nb, &nh_cap[i]);
		}
	}
out:
	free(dist);
	free(queue);
	free(nh_cap);
	return ret;
}

int
scn_build_switches(struct scn_ctx *ctx)
{
	uint32_t i;
	int ret;

	for (i = 0; i < ctx->s->nb_switches; i++) {
		ret = build_conf(ctx, i);
		if (ret < 0)
			return ret;
	}
	return build_routes(ctx);
}
