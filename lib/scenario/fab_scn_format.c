/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The model as text: addresses, the one-line summary of `rocefab check` and
 * the listing of `rocefab topo`. Only the model is read, never the file, so
 * the text is the same for every ordering of the file's entries.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <rte_errno.h>

#include "fab_collective.h"
#include "fab_scn_priv.h"

int
fab_scenario_format_addr(uint8_t l3, const union fab_ip_addr *addr, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	if (inet_ntop(l3 == FAB_L3_IPV4 ? AF_INET : AF_INET6,
			l3 == FAB_L3_IPV4 ? (const void *)&addr->v4 : (const void *)addr->v6,
			text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "?");
	return snprintf(buf, len, "%s", text);
}

static const char *
end_text(const struct fab_scenario *s, char *buf, size_t len)
{
	char d[48];

	if (s->run.end_when_done)
		return "until done";
	fab_format_duration(s->run.end_ps, d, sizeof(d));
	snprintf(buf, len, "for %s", d);
	return buf;
}

int
fab_scenario_summary(const struct fab_scenario *s, char *buf, size_t len)
{
	char base[64], end[64], extra[96] = "";
	int n = 0;

	/* Jobs and replays are named only when there are some: older summaries stay as they were. */
	if (s->nb_jobs != 0)
		n = snprintf(extra, sizeof(extra), ", %u job%s", s->nb_jobs,
				s->nb_jobs == 1 ? "" : "s");
	if (s->nb_replays != 0 && n >= 0 && (size_t)n < sizeof(extra))
		snprintf(extra + n, sizeof(extra) - (size_t)n, ", %u replay%s", s->nb_replays,
				s->nb_replays == 1 ? "" : "s");
	fab_scenario_format_addr(s->l3, &s->base.addr, base, sizeof(base));
	return snprintf(buf, len,
			"%s: %u switch%s, %u host%s, %u link%s, %u flow%s%s; %s %s/%u; %s time %s",
			s->name, s->nb_switches, s->nb_switches == 1 ? "" : "es", s->nb_hosts,
			s->nb_hosts == 1 ? "" : "s", s->nb_links, s->nb_links == 1 ? "" : "s",
			s->nb_flows, s->nb_flows == 1 ? "" : "s", extra,
			s->l3 == FAB_L3_IPV4 ? "ipv4" : "ipv6", base, s->base.depth,
			s->run.time == FAB_SCN_TIME_VIRTUAL ? "virtual" : "paced",
			end_text(s, end, sizeof(end)));
}

/* A growing string. */
struct text {
	char *buf;
	size_t len;
	size_t cap;
	bool failed;
};

static void text_add(struct text *t, const char *fmt, ...) __rte_format_printf(2, 3);

static void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (t->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		w = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (w < 0) {
			t->failed = true;
			return;
		}
		if ((size_t)w < t->cap - t->len) {
			t->len += (size_t)w;
			return;
		}
		{
			size_t cap = t->cap * 2 + (size_t)w;
			char *grown = realloc(t->buf, cap);

			if (grown == NULL) {
				t->failed = true;
				return;
			}
			t->buf = grown;
			t->cap = cap;
		}
	}
}

/* Lower case, as the scenario and switch files write MACs. */
static void
mac_text(const struct rte_ether_addr *m, char *buf)
{
	snprintf(buf, RTE_ETHER_ADDR_FMT_SIZE, "%02x:%02x:%02x:%02x:%02x:%02x",
			m->addr_bytes[0], m->addr_bytes[1], m->addr_bytes[2], m->addr_bytes[3],
			m->addr_bytes[4], m->addr_bytes[5]);
}

static void
print_switch(struct text *t, const struct fab_scenario *s, const struct fab_scn_switch *sw)
{
	const struct fab_scn_node *n = &s->nodes[sw->node];
	const struct fab_switch_conf *c = &sw->conf;
	char mac[RTE_ETHER_ADDR_FMT_SIZE], peer[RTE_ETHER_ADDR_FMT_SIZE], rate[32];
	uint16_t p;

	mac_text(&c->mac, mac);
	text_add(t, "  %s  switch%s%s  profile %s  mac %s  seed 0x%016" PRIx64 "  mtu %u\n",
			n->name, sw->tier[0] != '\0' ? " " : "", sw->tier,
			sw->profile[0] != '\0' ? sw->profile : "(defaults)", mac, n->seed, c->mtu);
	for (p = 0; p < n->nb_ports; p++) {
		const struct fab_scn_port *sp = &n->ports[p];
		const struct fab_conf_port *cp = &c->ports[p];
		const struct fab_scn_node *pn = &s->nodes[sp->peer_node];

		fab_format_rate(cp->rate_bps, rate, sizeof(rate));
		mac_text(&cp->mac, mac);
		mac_text(&cp->peer_mac, peer);
		text_add(t, "    port %u %s  %s  mac %s  peer %s:%s %s  cable %um\n", p,
				sp->name, rate, mac, pn->name, pn->ports[sp->peer_port].name, peer,
				cp->cable_m);
	}
}

static void
print_host(struct text *t, const struct fab_scenario *s, const struct fab_scn_host *h)
{
	const struct fab_scn_node *n = &s->nodes[h->node];
	const struct fab_scn_node *sn = &s->nodes[h->sw_node];
	char mac[RTE_ETHER_ADDR_FMT_SIZE], gw[RTE_ETHER_ADDR_FMT_SIZE], rate[32], addr[64];

	mac_text(&h->mac, mac);
	mac_text(&h->gw_mac, gw);
	fab_format_rate(h->rate_bps, rate, sizeof(rate));
	fab_scenario_format_addr(h->l3, &h->addr, addr, sizeof(addr));
	text_add(t, "  %s  host  %s  mac %s  %s  port %s to %s:%s (gateway mac %s)  seed 0x%016"
			PRIx64 "\n", n->name, addr, mac, rate, n->ports[0].name, sn->name,
			sn->ports[h->sw_port].name, gw, n->seed);
}

static void
print_routes(struct text *t, const struct fab_scn_switch *sw)
{
	const struct fab_switch_conf *c = &sw->conf;
	char addr[64], mac[RTE_ETHER_ADDR_FMT_SIZE];
	uint32_t r, k;

	text_add(t, "  %s:\n", c->name);
	for (r = 0; r < c->nb_routes; r++) {
		const struct fab_conf_route *rt = &c->routes[r];

		fab_scenario_format_addr(rt->prefix.l3, &rt->prefix.addr, addr, sizeof(addr));
		text_add(t, "    %s/%u via", addr, rt->prefix.depth);
		for (k = 0; k < rt->nb_nexthops; k++) {
			const struct fab_conf_nexthop *nh = &c->nexthops[rt->first_nexthop + k];

			mac_text(&nh->mac, mac);
			text_add(t, "%s %s (%s)", k == 0 ? "" : ",", c->ports[nh->port].name, mac);
		}
		text_add(t, "\n");
	}
}

/* Jobs with their ranks' hosts, the NICs, and the replays. */
static void
print_jobs(struct text *t, const struct fab_scenario *s)
{
	char size[32], d[48];
	uint32_t i, k;

	if (s->nb_jobs == 0 && s->nb_replays == 0)
		return;
	text_add(t, "\nnic  cc %s%s%s%s  timeout %u  retry %u  ack_every %u  window %u  %s\n",
			s->nic.cc, s->nic.cc_args[0] != '\0' ? " (" : "", s->nic.cc_args,
			s->nic.cc_args[0] != '\0' ? ")" : "", s->nic.timeout, s->nic.retry_cnt,
			s->nic.ack_every, s->nic.window,
			s->nic.ooo_accept ? "out-of-order accepted" : "in order only");
	text_add(t, "\njobs (%u)\n", s->nb_jobs);
	for (i = 0; i < s->nb_jobs; i++) {
		const struct fab_scn_job *j = &s->jobs[i];

		fab_format_duration(j->start_ps, d, sizeof(d));
		text_add(t, "  %s  %s  %u ranks  %u channel%s  warmup %u  iters %u  start %s  dscp %u  %s\n",
				j->name, fab_coll_pattern_name((enum fab_coll_pattern)j->pattern),
				j->nranks, j->channels, j->channels == 1 ? "" : "s", j->warmup,
				j->iters, d, j->dscp, j->ecn != 0 ? "ect" : "not-ect");
		text_add(t, "    sizes");
		for (k = 0; k < j->nb_sizes; k++) {
			fab_format_size(j->sizes[k], size, sizeof(size));
			text_add(t, " %s", size);
		}
		text_add(t, "\n    ranks");
		for (k = 0; k < j->nranks; k++)
			text_add(t, " %u:%s", k, s->nodes[s->hosts[j->hosts[k]].node].name);
		text_add(t, "\n");
	}
	for (i = 0; i < s->nb_replays; i++) {
		const struct fab_scn_replay *r = &s->replays[i];
		char addr[64];

		fab_format_duration(r->start_ps, d, sizeof(d));
		text_add(t, "  replay %s  speed %g  start %s\n", r->path, r->speed, d);
		for (k = 0; k < r->nb_map; k++) {
			fab_scenario_format_addr(r->map[k].l3, &r->map[k].ip, addr, sizeof(addr));
			text_add(t, "    %s -> %s\n", addr, s->nodes[s->hosts[r->map[k].host].node].name);
		}
	}
}

char *
fab_scenario_format_topo(const struct fab_scenario *s)
{
	struct text t = { .buf = malloc(4096), .len = 0, .cap = 4096, .failed = false };
	char addr[64], rate[32], d[48], size[32], end[64];
	uint32_t i;

	if (t.buf == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t.buf[0] = '\0';
	fab_scenario_format_addr(s->l3, &s->base.addr, addr, sizeof(addr));
	text_add(&t, "scenario %s  seed %" PRIu64 "  addressing %s %s/%u\n", s->name, s->seed,
			s->l3 == FAB_L3_IPV4 ? "ipv4" : "ipv6", addr, s->base.depth);
	if (s->leaf_spine)
		text_add(&t, "topology leaf_spine: %u spines, %u leaves, %u hosts per leaf\n",
				s->spines, s->leaves, s->hosts_per_leaf);
	else
		text_add(&t, "topology explicit\n");

	text_add(&t, "\nnodes (%u: %u switches, %u hosts)\n", s->nb_nodes, s->nb_switches,
			s->nb_hosts);
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];

		if (n->kind == FAB_SCN_SWITCH)
			print_switch(&t, s, &s->switches[n->index]);
		else
			print_host(&t, s, &s->hosts[n->index]);
	}

	text_add(&t, "\nlinks (%u)\n", s->nb_links);
	for (i = 0; i < s->nb_links; i++) {
		const struct fab_scn_link *l = &s->links[i];

		fab_format_rate(l->rate_bps, rate, sizeof(rate));
		fab_format_duration(l->delay_ps, d, sizeof(d));
		text_add(&t, "  %s  %s  delay %s  cable %um%s\n", l->name, rate, d, l->cable_m,
				l->tap ? "  tap" : "");
	}

	text_add(&t, "\nsubnets (%u)\n", s->nb_subnets);
	for (i = 0; i < s->nb_subnets; i++) {
		const struct fab_scn_subnet *sn = &s->subnets[i];

		fab_scenario_format_addr(sn->prefix.l3, &sn->prefix.addr, addr, sizeof(addr));
		text_add(&t, "  %s/%u  on %s  %u host%s\n", addr, sn->prefix.depth,
				s->nodes[sn->sw_node].name, sn->nb_hosts,
				sn->nb_hosts == 1 ? "" : "s");
	}

	text_add(&t, "\nroutes\n");
	for (i = 0; i < s->nb_switches; i++)
		print_routes(&t, &s->switches[i]);

	text_add(&t, "\nflows (%u; RoCE MTU %u)\n", s->nb_flows, s->traffic_mtu);
	for (i = 0; i < s->nb_flows; i++) {
		const struct fab_scn_flow *f = &s->flows[i];

		fab_format_rate(f->rate_bps, rate, sizeof(rate));
		fab_format_duration(f->start_ps, d, sizeof(d));
		if (f->bytes != 0)
			fab_format_size(f->bytes, size, sizeof(size));
		else
			snprintf(size, sizeof(size), "unlimited");
		text_add(&t, "  %s -> %s  bytes %s  rate %s  start %s  dscp %u  %s  sport %u\n",
				s->nodes[s->hosts[f->src].node].name,
				s->nodes[s->hosts[f->dst].node].name, size, rate, d, f->dscp,
				f->ecn != 0 ? "ect" : "not-ect", f->udp_sport);
	}

	print_jobs(&t, s);

	fab_format_duration(s->run.sample_interval_ps, d, sizeof(d));
	text_add(&t, "\nrun  %s time  %s  sample every %s\n",
			s->run.time == FAB_SCN_TIME_VIRTUAL ? "virtual" : "paced",
			end_text(s, end, sizeof(end)), d);
	for (i = 0; i < s->run.nb_taps; i++)
		text_add(&t, "  tap %s\n", s->links[s->run.taps[i]].name);
	if (t.failed) {
		free(t.buf);
		rte_errno = ENOMEM;
		return NULL;
	}
	return t.buf;
}
