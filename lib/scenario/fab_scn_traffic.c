/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The traffic section (the simple source: constant-rate flows, a
 * permutation, incasts) and the run section. Flows are put in a canonical
 * order at the end, so listing them in another order changes nothing.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_scn_priv.h"

#define SCN_DEFAULT_DSCP 26                     /* RoCE: class 3, lossless */
#define SCN_DEFAULT_TRAFFIC_MTU 4096
#define SCN_MAX_TIME_PS (UINT64_C(3600) * 1000000000000) /* 1 h */
#define SCN_DEFAULT_SAMPLE_PS UINT64_C(10000000)  /* 10 us */
#define SCN_MAX_FLOW_BYTES (UINT64_C(1) << 50)
/* IP datagram around a RoCE payload: UDP 8, BTH 12, RETH 16 (on the first packet), ICRC 4. */
#define SCN_ROCE_OVERHEAD (8 + 12 + 16 + 4)

/* Settings every way of writing flows shares. */
struct flow_common {
	const struct fab_yaml_node *bytes;
	const struct fab_yaml_node *rate;
	const struct fab_yaml_node *start;
	const struct fab_yaml_node *dscp;
	const struct fab_yaml_node *ect;
};

static struct scn_raw_flow *
add_flow(struct scn_ctx *ctx, const struct fab_yaml_node *def)
{
	struct scn_raw_flow *f;

	if (ctx->nb_rf == ctx->cap_rf) {
		uint32_t cap = ctx->cap_rf == 0 ? 64 : ctx->cap_rf * 2;
		struct scn_raw_flow *grown;

		if (cap > UINT32_MAX / 2 / sizeof(*grown)) {
			fab_yaml_error(def, ctx->err, ctx->errlen, "too many flows");
			return NULL;
		}
		grown = realloc(ctx->rf, cap * sizeof(*grown));
		if (grown == NULL) {
			scn_nomem(ctx, def);
			return NULL;
		}
		ctx->rf = grown;
		ctx->cap_rf = cap;
	}
	f = &ctx->rf[ctx->nb_rf++];
	memset(f, 0, sizeof(*f));
	f->def = def;
	return f;
}

/* The host a flow or a job names, as an index into hosts. */
int
scn_get_host(struct scn_ctx *ctx, const struct fab_yaml_node *n, uint32_t *out)
{
	const struct fab_scenario *s = ctx->s;
	const char *name;
	int ret, idx;

	ret = fab_yaml_get_str(n, &name, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	idx = fab_scenario_node_by_name(s, name);
	if (idx < 0)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "unknown host '%s'", name);
	if (s->nodes[idx].kind != FAB_SCN_HOST)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "'%s' is a switch, not a host",
				name);
	*out = s->nodes[idx].index;
	return 0;
}

/* bytes, rate, start, dscp and ect of a flow from @p src; the rest is the caller's. */
static int
apply_common(struct scn_ctx *ctx, const struct flow_common *c, struct fab_scn_flow *f)
{
	const struct fab_scenario *s = ctx->s;
	const struct fab_scn_host *h = &s->hosts[f->src];
	bool ect = true;
	uint64_t v;
	int ret;

	f->bytes = 0;
	if (c->bytes != NULL && (ret = fab_yaml_get_size(c->bytes, 1, SCN_MAX_FLOW_BYTES,
			&f->bytes, ctx->err, ctx->errlen)) < 0)
		return ret;
	f->rate_bps = h->rate_bps;
	if (c->rate != NULL) {
		ret = fab_yaml_get_rate(c->rate, FAB_CONF_MIN_RATE, FAB_CONF_MAX_RATE, &f->rate_bps,
				ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		if (f->rate_bps > h->rate_bps) {
			char lr[32];

			fab_format_rate(h->rate_bps, lr, sizeof(lr));
			return fab_yaml_error(c->rate, ctx->err, ctx->errlen,
					"rate %s is above the link rate of host '%s' (%s)",
					c->rate->value, s->nodes[h->node].name, lr);
		}
	}
	f->start_ps = 0;
	if (c->start != NULL && (ret = fab_yaml_get_duration(c->start, 0, SCN_MAX_TIME_PS,
			&f->start_ps, ctx->err, ctx->errlen)) < 0)
		return ret;
	f->dscp = SCN_DEFAULT_DSCP;
	if (c->dscp != NULL) {
		ret = fab_yaml_get_u64(c->dscp, 0, 63, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		f->dscp = (uint8_t)v;
	}
	if (c->ect != NULL && (ret = fab_yaml_get_bool(c->ect, &ect, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	f->ecn = ect ? 2 : 0;
	return 0;
}

static void
get_common(const struct fab_yaml_node *map, struct flow_common *c)
{
	c->bytes = scn_get(map, "bytes");
	c->rate = scn_get(map, "rate");
	c->start = scn_get(map, "start");
	c->dscp = scn_get(map, "dscp");
	c->ect = scn_get(map, "ect");
}

static int
add_pair(struct scn_ctx *ctx, const struct fab_yaml_node *def, const struct flow_common *c,
		uint32_t src, uint32_t dst)
{
	struct scn_raw_flow *f = add_flow(ctx, def);

	if (f == NULL)
		return -ENOMEM;
	f->flow.src = src;
	f->flow.dst = dst;
	return apply_common(ctx, c, &f->flow);
}

static int
parse_flow(struct scn_ctx *ctx, const struct fab_yaml_node *def)
{
	static const char *const keys[] = {
		"from", "to", "bytes", "rate", "start", "dscp", "ect", NULL,
	};
	const struct fab_yaml_node *from, *to;
	struct flow_common c;
	uint32_t src, dst;
	int ret;

	ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	from = scn_get(def, "from");
	to = scn_get(def, "to");
	if (from == NULL || to == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"a flow needs from and to (hosts)");
	ret = scn_get_host(ctx, from, &src);
	if (ret == 0)
		ret = scn_get_host(ctx, to, &dst);
	if (ret < 0)
		return ret;
	if (src == dst)
		return fab_yaml_error(to, ctx->err, ctx->errlen, "a flow from '%s' to itself",
				to->value);
	get_common(def, &c);
	return add_pair(ctx, def, &c, src, dst);
}

/*
 * Every host sends to another and receives from one: a random cyclic
 * permutation (Sattolo's algorithm), so no host sends to itself.
 */
static int
parse_permutation(struct scn_ctx *ctx, const struct fab_yaml_node *def)
{
	static const char *const keys[] = {
		"bytes", "seed", "rate", "start", "dscp", "ect", NULL,
	};
	const struct fab_scenario *s = ctx->s;
	const struct fab_yaml_node *n;
	struct flow_common c;
	uint64_t seed = s->seed, state;
	uint32_t *to, i;
	int ret = 0;

	ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	n = scn_get(def, "seed");
	if (n != NULL && (ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &seed, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	if (s->nb_hosts < 2)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"a permutation needs at least two hosts; the topology has %u",
				s->nb_hosts);
	to = malloc(s->nb_hosts * sizeof(*to));
	if (to == NULL)
		return scn_nomem(ctx, def);
	for (i = 0; i < s->nb_hosts; i++)
		to[i] = i;
	state = seed;
	for (i = s->nb_hosts - 1; i > 0; i--) {
		uint32_t j, t;

		state += UINT64_C(0x9e3779b97f4a7c15);
		j = (uint32_t)(scn_mix64(state) % i); /* j < i: Sattolo, one cycle */
		t = to[i];
		to[i] = to[j];
		to[j] = t;
	}
	get_common(def, &c);
	for (i = 0; i < s->nb_hosts && ret == 0; i++)
		ret = add_pair(ctx, def, &c, i, to[i]);
	free(to);
	return ret;
}

static int
parse_incast(struct scn_ctx *ctx, const struct fab_yaml_node *def)
{
	static const char *const keys[] = {
		"to", "from", "count", "bytes", "rate", "start", "dscp", "ect", NULL,
	};
	const struct fab_scenario *s = ctx->s;
	const struct fab_yaml_node *to, *from, *count;
	struct flow_common c;
	uint32_t dst, i;
	uint64_t nb;
	int ret;

	ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	to = scn_get(def, "to");
	if (to == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen, "an incast needs to (a host)");
	ret = scn_get_host(ctx, to, &dst);
	if (ret < 0)
		return ret;
	from = scn_get(def, "from");
	count = scn_get(def, "count");
	if (from != NULL && count != NULL) {
		/* The one written later is the error. */
		const struct fab_yaml_node *later = from->line > count->line ||
			(from->line == count->line && from->col > count->col) ? from : count;

		return fab_yaml_error(fab_yaml_key_of(later), ctx->err, ctx->errlen,
				"give from or count, not both");
	}
	get_common(def, &c);
	if (from != NULL) {
		uint8_t *used;

		ret = fab_yaml_expect(from, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		if (from->count == 0)
			return fab_yaml_error(from, ctx->err, ctx->errlen, "no senders");
		used = calloc(s->nb_hosts, 1);
		if (used == NULL)
			return scn_nomem(ctx, from);
		for (i = 0; i < from->count && ret == 0; i++) {
			uint32_t src;

			ret = scn_get_host(ctx, from->items[i], &src);
			if (ret < 0)
				break;
			if (src == dst)
				ret = fab_yaml_error(from->items[i], ctx->err, ctx->errlen,
						"'%s' is the receiver of this incast",
						from->items[i]->value);
			else if (used[src])
				ret = fab_yaml_error(from->items[i], ctx->err, ctx->errlen,
						"'%s' is listed twice", from->items[i]->value);
			else
				ret = add_pair(ctx, def, &c, src, dst);
			used[src] = 1;
		}
		free(used);
		return ret;
	}
	/* count senders: the hosts after the receiver in the model's order, wrapping. */
	nb = s->nb_hosts - 1;
	if (count != NULL && (ret = fab_yaml_get_u64(count, 1, s->nb_hosts > 1 ?
			s->nb_hosts - 1 : 1, &nb, ctx->err, ctx->errlen)) < 0)
		return ret;
	if (nb == 0 || s->nb_hosts < 2)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"an incast needs at least two hosts");
	for (i = 1; i <= nb && ret == 0; i++)
		ret = add_pair(ctx, def, &c, (dst + i) % s->nb_hosts, dst);
	return ret;
}

/* The IP MTU every switch needs for the RoCE payload. */
static int
check_mtu(struct scn_ctx *ctx, const struct fab_yaml_node *mtu_node)
{
	const struct fab_scenario *s = ctx->s;
	uint32_t need = (s->l3 == FAB_L3_IPV4 ? 20 : 40) + SCN_ROCE_OVERHEAD + s->traffic_mtu;
	uint32_t i;

	for (i = 0; i < s->nb_switches; i++) {
		const struct fab_scn_switch *sw = &s->switches[i];
		const struct fab_yaml_node *profile, *at = mtu_node;

		if (sw->conf.mtu >= need)
			continue;
		if (at == NULL && scn_find_profile(ctx, sw->profile, &profile) == 0)
			at = scn_get(profile, "mtu");
		return fab_yaml_error(at, ctx->err, ctx->errlen,
				"RoCE packets of %u bytes need an IP MTU of %u; switch '%s' has %u",
				s->traffic_mtu, need, s->nodes[sw->node].name, sw->conf.mtu);
	}
	return 0;
}

int
scn_parse_traffic(struct scn_ctx *ctx)
{
	static const char *const keys[] = {
		"mtu", "flows", "permutation", "incast", "nic", "jobs", "replay", NULL,
	};
	const struct fab_yaml_node *tr = scn_get(ctx->root, "traffic"), *n;
	struct fab_scenario *s = ctx->s;
	uint32_t i;
	uint64_t v;
	int ret;

	s->traffic_mtu = SCN_DEFAULT_TRAFFIC_MTU;
	ret = scn_section(ctx, tr, keys);
	if (ret < 0)
		return ret;
	n = scn_get(tr, "mtu");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, 256, 4096, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		/* The InfiniBand path MTUs RoCE uses. */
		if ((v & (v - 1)) != 0)
			return fab_yaml_error(n, ctx->err, ctx->errlen,
					"the RoCE MTU is 256, 512, 1024, 2048 or 4096, not %s",
					n->value);
		s->traffic_mtu = (uint32_t)v;
	}
	ret = check_mtu(ctx, n);
	if (ret < 0)
		return ret;
	n = scn_get(tr, "flows");
	if (n != NULL) {
		ret = fab_yaml_expect(n, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
		for (i = 0; ret == 0 && i < n->count; i++)
			ret = parse_flow(ctx, n->items[i]);
		if (ret < 0)
			return ret;
	}
	n = scn_get(tr, "permutation");
	if (n != NULL && (ret = parse_permutation(ctx, n)) < 0)
		return ret;
	n = scn_get(tr, "incast");
	if (n != NULL && n->type == FAB_YAML_SEQUENCE) {
		for (i = 0; ret == 0 && i < n->count; i++)
			ret = parse_incast(ctx, n->items[i]);
	} else if (n != NULL) {
		ret = parse_incast(ctx, n);
	}
	if (ret == 0)
		ret = scn_parse_nic(ctx, scn_get(tr, "nic"));
	if (ret == 0 && (n = scn_get(tr, "jobs")) != NULL)
		ret = scn_parse_jobs(ctx, n);
	if (ret == 0 && (n = scn_get(tr, "replay")) != NULL)
		ret = scn_parse_replays(ctx, n);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Run                                                                  */
/* ------------------------------------------------------------------ */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

static int
parse_taps(struct scn_ctx *ctx, const struct fab_yaml_node *tap)
{
	struct fab_scenario *s = ctx->s;
	const struct fab_yaml_node **first;
	uint32_t i;
	int ret;

	ret = fab_yaml_expect(tap, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	s->run.taps = calloc(tap->count + 1, sizeof(*s->run.taps));
	first = calloc(s->nb_links + 1, sizeof(*first));
	if (s->run.taps == NULL || first == NULL) {
		free(first);
		return scn_nomem(ctx, tap);
	}
	for (i = 0; i < tap->count; i++) {
		const struct fab_yaml_node *n = tap->items[i];
		const char *name;
		int l;

		ret = fab_yaml_get_str(n, &name, ctx->err, ctx->errlen);
		if (ret < 0)
			break;
		l = fab_scenario_link_by_name(s, name);
		if (l < 0) {
			ret = fab_yaml_error(n, ctx->err, ctx->errlen,
					"unknown link '%s'; links are named NODE:PORT--NODE:PORT, as rocefab topo lists them",
					name);
			break;
		}
		if (first[l] != NULL) {
			ret = fab_yaml_error(n, ctx->err, ctx->errlen,
					"link '%s' is tapped twice (first at %u:%u)", s->links[l].name,
					first[l]->line, first[l]->col);
			break;
		}
		first[l] = n;
		s->links[l].tap = true;
		s->run.taps[s->run.nb_taps++] = (uint32_t)l;
	}
	free(first);
	if (ret == 0 && s->run.nb_taps != 0)
		qsort(s->run.taps, s->run.nb_taps, sizeof(*s->run.taps), cmp_u32);
	return ret;
}

int
scn_parse_run(struct scn_ctx *ctx)
{
	static const char *const keys[] = { "time", "end", "sample_interval", "tap", NULL };
	static const char *const times[] = { "virtual", "paced", NULL };
	const struct fab_yaml_node *run = scn_get(ctx->root, "run"), *n, *end;
	struct fab_scenario *s = ctx->s;
	unsigned int t;
	uint32_t i;
	int ret;

	s->run.time = FAB_SCN_TIME_VIRTUAL;
	s->run.end_when_done = true;
	s->run.sample_interval_ps = SCN_DEFAULT_SAMPLE_PS;
	ret = scn_section(ctx, run, keys);
	if (ret < 0)
		return ret;
	n = scn_get(run, "time");
	if (n != NULL) {
		ret = fab_yaml_get_enum(n, times, &t, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		s->run.time = t == 0 ? FAB_SCN_TIME_VIRTUAL : FAB_SCN_TIME_PACED;
	}
	end = scn_get(run, "end");
	if (end != NULL && !(end->type == FAB_YAML_SCALAR && strcmp(end->value, "done") == 0)) {
		ret = fab_yaml_get_duration(end, 1, SCN_MAX_TIME_PS, &s->run.end_ps, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		s->run.end_when_done = false;
	}
	n = scn_get(run, "sample_interval");
	if (n != NULL && (ret = fab_yaml_get_duration(n, 0, SCN_MAX_TIME_PS,
			&s->run.sample_interval_ps, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = scn_get(run, "tap");
	if (n != NULL && (ret = parse_taps(ctx, n)) < 0)
		return ret;

	for (i = 0; i < ctx->nb_rf; i++) {
		const struct scn_raw_flow *f = &ctx->rf[i];
		char when[48], stop[48];

		if (s->run.end_when_done && f->flow.bytes == 0)
			return fab_yaml_error(f->def, ctx->err, ctx->errlen,
					"a flow without bytes never ends, so the run would never be done; give it bytes, or run.end a duration");
		if (!s->run.end_when_done && f->flow.start_ps >= s->run.end_ps) {
			fab_format_duration(f->flow.start_ps, when, sizeof(when));
			fab_format_duration(s->run.end_ps, stop, sizeof(stop));
			return fab_yaml_error(f->def, ctx->err, ctx->errlen,
					"a flow starting at %s, when the run has ended (run.end %s at %u:%u)",
					when, stop, end->line, end->col);
		}
	}
	return 0;
}

static int
cmp_flow(const void *a, const void *b)
{
	const struct fab_scn_flow *x = &((const struct scn_raw_flow *)a)->flow;
	const struct fab_scn_flow *y = &((const struct scn_raw_flow *)b)->flow;

#define FLOW_CMP(f) do { if (x->f != y->f) return x->f < y->f ? -1 : 1; } while (0)
	FLOW_CMP(start_ps);
	FLOW_CMP(src);
	FLOW_CMP(dst);
	FLOW_CMP(bytes);
	FLOW_CMP(rate_bps);
	FLOW_CMP(dscp);
	FLOW_CMP(ecn);
#undef FLOW_CMP
	return 0;
}

int
scn_finish_flows(struct scn_ctx *ctx)
{
	struct fab_scenario *s = ctx->s;
	uint32_t i;

	s->flows = calloc(ctx->nb_rf + 1, sizeof(*s->flows));
	if (s->flows == NULL)
		return scn_nomem(ctx, ctx->root);
	/* Flows equal in every field are interchangeable, so this order is canonical. */
	if (ctx->nb_rf != 0)
		qsort(ctx->rf, ctx->nb_rf, sizeof(*ctx->rf), cmp_flow);
	for (i = 0; i < ctx->nb_rf; i++) {
		s->flows[i] = ctx->rf[i].flow;
		/* RoCEv2 senders pick the source port from the dynamic range 49152..65535. */
		s->flows[i].udp_sport = (uint16_t)(0xc000 |
				(scn_mix64(s->seed ^ scn_mix64(i)) & 0x3fff));
	}
	s->nb_flows = ctx->nb_rf;
	return 0;
}
