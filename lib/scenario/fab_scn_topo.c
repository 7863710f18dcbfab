/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The profiles, tiers and topology sections, read into raw nodes and links
 * in file order: the leaf/spine shorthand is expanded here, and explicit
 * link ends are resolved to nodes and ports. Checks that need the whole
 * graph are in fab_scn_graph.c.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_scn_priv.h"

#define SCN_DEFAULT_RATE UINT64_C(100000000000)
#define SCN_DEFAULT_DELAY_PS UINT64_C(1000000)        /* 1 us */
#define SCN_MAX_DELAY_PS UINT64_C(1000000000000)      /* 1 s */
#define SCN_DEFAULT_CABLE_M 5
#define SCN_MAX_CABLE_M 10000
#define SCN_DEFAULT_PROFILE "default"

/* ------------------------------------------------------------------ */
/* Profiles                                                             */
/* ------------------------------------------------------------------ */

int
scn_parse_profiles(struct scn_ctx *ctx)
{
	const struct fab_yaml_node *profiles = scn_get(ctx->root, "profiles");
	uint32_t i;
	int ret;

	if (profiles == NULL)
		return 0;
	ret = fab_yaml_expect(profiles, FAB_YAML_MAPPING, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < profiles->count; i++) {
		const struct fab_yaml_node *key = profiles->keys[i];
		struct fab_switch_conf base, conf;

		ret = scn_check_name(ctx, key, key->value, false, "profile");
		if (ret < 0)
			return ret;
		/* Checked once without ports, so a profile no switch uses is checked too. */
		memset(&base, 0, sizeof(base));
		snprintf(base.name, sizeof(base.name), "%s", key->value);
		base.time = FAB_CONF_TIME_VIRTUAL;
		ret = fab_switch_conf_from_profile(profiles->items[i], ctx->base_dir, &base, &conf,
				ctx->err, ctx->errlen);
		fab_switch_conf_free(&conf);
		if (ret < 0)
			return ret;
	}
	ctx->profiles = profiles;
	return 0;
}

int
scn_find_profile(struct scn_ctx *ctx, const char *name, const struct fab_yaml_node **out)
{
	uint32_t i;

	*out = NULL;
	if (name[0] == '\0')
		return 0;
	for (i = 0; ctx->profiles != NULL && i < ctx->profiles->count; i++) {
		if (strcmp(ctx->profiles->keys[i]->value, name) == 0) {
			*out = ctx->profiles->items[i];
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * The profile a reference names into @p out: "" (built-in defaults) when
 * there is no reference and no profile called "default".
 */
static int
resolve_profile(struct scn_ctx *ctx, const struct fab_yaml_node *ref, char *out)
{
	const struct fab_yaml_node *p;
	const char *name;
	char list[256];
	size_t pos = 0;
	uint32_t i;
	int ret;

	if (ref == NULL) {
		ret = scn_find_profile(ctx, SCN_DEFAULT_PROFILE, &p);
		snprintf(out, FAB_CONF_NAME_LEN, "%s", ret == 0 ? SCN_DEFAULT_PROFILE : "");
		return 0;
	}
	ret = fab_yaml_get_str(ref, &name, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (scn_find_profile(ctx, name, &p) == 0) {
		snprintf(out, FAB_CONF_NAME_LEN, "%s", name);
		return 0;
	}
	/* "default" may be named without being defined: the built-in defaults. */
	if (strcmp(name, SCN_DEFAULT_PROFILE) == 0) {
		out[0] = '\0';
		return 0;
	}
	list[0] = '\0';
	for (i = 0; ctx->profiles != NULL && i < ctx->profiles->count && pos < sizeof(list);
			i++) {
		int w = snprintf(list + pos, sizeof(list) - pos, "%s%s", i == 0 ? "" : ", ",
				ctx->profiles->keys[i]->value);
		if (w > 0)
			pos += (size_t)w;
	}
	if (list[0] == '\0')
		return fab_yaml_error(ref, ctx->err, ctx->errlen,
				"unknown profile '%s'; no profiles are defined", name);
	return fab_yaml_error(ref, ctx->err, ctx->errlen, "unknown profile '%s'; profiles: %s",
			name, list);
}

/* ------------------------------------------------------------------ */
/* Raw nodes and links                                                  */
/* ------------------------------------------------------------------ */

static struct scn_raw_node *
add_node(struct scn_ctx *ctx, const struct fab_yaml_node *at)
{
	struct scn_raw_node *n;

	if (ctx->nb_rn >= FAB_SCN_MAX_NODES) {
		fab_yaml_error(at, ctx->err, ctx->errlen, "more than %u nodes", FAB_SCN_MAX_NODES);
		return NULL;
	}
	if (ctx->nb_rn == ctx->cap_rn) {
		uint32_t cap = ctx->cap_rn == 0 ? 64 : ctx->cap_rn * 2;
		struct scn_raw_node *grown = realloc(ctx->rn, cap * sizeof(*grown));

		if (grown == NULL) {
			scn_nomem(ctx, at);
			return NULL;
		}
		ctx->rn = grown;
		ctx->cap_rn = cap;
	}
	n = &ctx->rn[ctx->nb_rn++];
	memset(n, 0, sizeof(*n));
	n->def = at;
	n->name_node = at;
	return n;
}

static struct scn_raw_link *
add_link(struct scn_ctx *ctx, const struct fab_yaml_node *at)
{
	struct scn_raw_link *l;

	if (ctx->nb_rl == ctx->cap_rl) {
		uint32_t cap = ctx->cap_rl == 0 ? 64 : ctx->cap_rl * 2;
		struct scn_raw_link *grown;

		if (cap > UINT32_MAX / 4) {
			fab_yaml_error(at, ctx->err, ctx->errlen, "too many links");
			return NULL;
		}
		grown = realloc(ctx->rl, cap * sizeof(*grown));
		if (grown == NULL) {
			scn_nomem(ctx, at);
			return NULL;
		}
		ctx->rl = grown;
		ctx->cap_rl = cap;
	}
	l = &ctx->rl[ctx->nb_rl++];
	memset(l, 0, sizeof(*l));
	l->def = at;
	l->delay_ps = SCN_DEFAULT_DELAY_PS;
	l->cable_m = SCN_DEFAULT_CABLE_M;
	return l;
}

/* ------------------------------------------------------------------ */
/* The leaf/spine shorthand                                             */
/* ------------------------------------------------------------------ */

static int
get_count(struct scn_ctx *ctx, const struct fab_yaml_node *ls, const char *key,
		uint64_t max, uint32_t *out, const struct fab_yaml_node **node)
{
	const struct fab_yaml_node *n = scn_get(ls, key);
	uint64_t v;
	int ret;

	*node = n;
	if (n == NULL)
		return fab_yaml_error(ls, ctx->err, ctx->errlen, "missing key '%s'", key);
	ret = fab_yaml_get_u64(n, 1, max, &v, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_tiers(struct scn_ctx *ctx, const struct fab_yaml_node *tiers,
		const struct fab_yaml_node **leaf, const struct fab_yaml_node **spine)
{
	static const char *const keys[] = { "leaf", "spine", NULL };
	int ret;

	*leaf = *spine = NULL;
	ret = scn_section(ctx, tiers, keys);
	if (ret < 0)
		return ret;
	*leaf = scn_get(tiers, "leaf");
	*spine = scn_get(tiers, "spine");
	return 0;
}

static int
leaf_spine_link(struct scn_ctx *ctx, const struct fab_yaml_node *ls, uint32_t a,
		const char *pa, uint32_t b, const char *pb, uint64_t rate,
		const struct fab_yaml_node *rate_node, uint64_t delay,
		const struct fab_yaml_node *delay_node, uint32_t cable_m)
{
	struct scn_raw_link *l = add_link(ctx, ls);

	if (l == NULL)
		return -ENOMEM;
	l->end[0].node = a;
	snprintf(l->end[0].port, sizeof(l->end[0].port), "%s", pa);
	l->end[0].value = ls;
	l->end[0].port_given = true;
	l->end[1].node = b;
	snprintf(l->end[1].port, sizeof(l->end[1].port), "%s", pb);
	l->end[1].value = ls;
	l->end[1].port_given = true;
	l->rate_bps = rate;
	l->rate_node = rate_node;
	l->delay_ps = delay;
	l->delay_node = delay_node;
	l->cable_m = cable_m;
	ctx->rn[a].nb_links++;
	ctx->rn[b].nb_links++;
	return 0;
}

static int
parse_leaf_spine(struct scn_ctx *ctx, const struct fab_yaml_node *ls,
		const struct fab_yaml_node *tiers)
{
	static const char *const keys[] = {
		"spines", "leaves", "hosts_per_leaf", "host_rate", "uplink_rate", "delay",
		"cable_m", NULL,
	};
	const struct fab_yaml_node *spines_n = NULL, *leaves_n = NULL, *hosts_n = NULL;
	const struct fab_yaml_node *host_rate_n = NULL, *uplink_rate_n = NULL;
	const struct fab_yaml_node *delay_n, *n, *leaf_ref, *spine_ref;
	struct fab_scenario *s = ctx->s;
	uint64_t host_rate = SCN_DEFAULT_RATE, uplink_rate, delay = SCN_DEFAULT_DELAY_PS, v;
	uint32_t cable_m = SCN_DEFAULT_CABLE_M, i, j, first_spine;
	char leaf_profile[FAB_CONF_NAME_LEN], spine_profile[FAB_CONF_NAME_LEN];
	int ret;

	ret = fab_yaml_check_keys(ls, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	ret = get_count(ctx, ls, "spines", FAB_CONF_MAX_PORTS, &s->spines, &spines_n);
	if (ret == 0)
		ret = get_count(ctx, ls, "leaves", FAB_CONF_MAX_PORTS, &s->leaves, &leaves_n);
	if (ret == 0)
		ret = get_count(ctx, ls, "hosts_per_leaf", FAB_SCN_MAX_HOSTS_PER_SWITCH,
				&s->hosts_per_leaf, &hosts_n);
	if (ret < 0)
		return ret;
	if (s->spines + s->hosts_per_leaf > FAB_CONF_MAX_PORTS)
		return fab_yaml_error(spines_n, ctx->err, ctx->errlen,
				"a leaf would have %u ports (hosts_per_leaf + spines); at most %u",
				s->spines + s->hosts_per_leaf, FAB_CONF_MAX_PORTS);
	if ((uint64_t)s->leaves * (s->hosts_per_leaf + 1) + s->spines > FAB_SCN_MAX_NODES)
		return fab_yaml_error(leaves_n, ctx->err, ctx->errlen, "more than %u nodes",
				FAB_SCN_MAX_NODES);
	host_rate_n = scn_get(ls, "host_rate");
	if (host_rate_n != NULL && (ret = fab_yaml_get_rate(host_rate_n, FAB_CONF_MIN_RATE,
			FAB_CONF_MAX_RATE, &host_rate, ctx->err, ctx->errlen)) < 0)
		return ret;
	uplink_rate = host_rate;
	uplink_rate_n = scn_get(ls, "uplink_rate");
	if (uplink_rate_n != NULL && (ret = fab_yaml_get_rate(uplink_rate_n, FAB_CONF_MIN_RATE,
			FAB_CONF_MAX_RATE, &uplink_rate, ctx->err, ctx->errlen)) < 0)
		return ret;
	delay_n = scn_get(ls, "delay");
	if (delay_n != NULL && (ret = fab_yaml_get_duration(delay_n, 0, SCN_MAX_DELAY_PS,
			&delay, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = scn_get(ls, "cable_m");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, 0, SCN_MAX_CABLE_M, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		cable_m = (uint32_t)v;
	}
	ret = parse_tiers(ctx, tiers, &leaf_ref, &spine_ref);
	if (ret == 0)
		ret = resolve_profile(ctx, leaf_ref, leaf_profile);
	if (ret == 0)
		ret = resolve_profile(ctx, spine_ref, spine_profile);
	if (ret < 0)
		return ret;

	s->leaf_spine = true;
	first_spine = ctx->nb_rn;
	for (i = 0; i < s->spines; i++) {
		struct scn_raw_node *sp = add_node(ctx, spines_n);

		if (sp == NULL)
			return -ENOMEM;
		snprintf(sp->name, sizeof(sp->name), "spine%u", i + 1);
		sp->kind = FAB_SCN_SWITCH;
		sp->profile_node = spine_ref;
		snprintf(sp->tier, sizeof(sp->tier), "spine");
		memcpy(sp->profile, spine_profile, sizeof(sp->profile));
	}
	for (i = 0; i < s->leaves; i++) {
		struct scn_raw_node *lf = add_node(ctx, leaves_n);
		uint32_t leaf = ctx->nb_rn - 1;
		char leaf_name[FAB_CONF_NAME_LEN];

		if (lf == NULL)
			return -ENOMEM;
		snprintf(lf->name, sizeof(lf->name), "leaf%u", i + 1);
		lf->kind = FAB_SCN_SWITCH;
		lf->profile_node = leaf_ref;
		snprintf(lf->tier, sizeof(lf->tier), "leaf");
		memcpy(lf->profile, leaf_profile, sizeof(lf->profile));
		memcpy(leaf_name, lf->name, sizeof(leaf_name));
		for (j = 0; j < s->hosts_per_leaf; j++) {
			struct scn_raw_node *h = add_node(ctx, hosts_n);

			if (h == NULL)
				return -ENOMEM;
			snprintf(h->name, sizeof(h->name), "h%u_%u", i + 1, j + 1);
			h->kind = FAB_SCN_HOST;
			ret = leaf_spine_link(ctx, ls, ctx->nb_rn - 1, "eth0", leaf, h->name,
					host_rate, host_rate_n, delay, delay_n, cable_m);
			if (ret < 0)
				return ret;
		}
		for (j = 0; j < s->spines; j++) {
			ret = leaf_spine_link(ctx, ls, leaf, ctx->rn[first_spine + j].name,
					first_spine + j, leaf_name, uplink_rate, uplink_rate_n,
					delay, delay_n, cable_m);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Explicit nodes and links                                             */
/* ------------------------------------------------------------------ */

static int
parse_node(struct scn_ctx *ctx, const struct fab_yaml_node *def)
{
	static const char *const keys[] = { "name", "kind", "profile", "rate", NULL };
	static const char *const kinds[] = { "switch", "host", NULL };
	const struct fab_yaml_node *name_n, *kind_n, *n;
	struct scn_raw_node *rn;
	const char *name;
	unsigned int kind;
	int ret;

	ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	name_n = fab_yaml_map_get(def, "name");
	if (name_n == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen, "a node needs a name");
	ret = fab_yaml_get_str(name_n, &name, ctx->err, ctx->errlen);
	if (ret == 0)
		ret = scn_check_name(ctx, name_n, name, false, "node");
	if (ret < 0)
		return ret;
	kind_n = fab_yaml_map_get(def, "kind");
	if (kind_n == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"node '%s' needs a kind: switch or host", name);
	ret = fab_yaml_get_enum(kind_n, kinds, &kind, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	rn = add_node(ctx, def);
	if (rn == NULL)
		return -ENOMEM;
	strcpy(rn->name, name);
	rn->name_node = name_n;
	rn->kind = kind == 0 ? FAB_SCN_SWITCH : FAB_SCN_HOST;
	n = scn_get(def, "profile");
	if (n != NULL && rn->kind == FAB_SCN_HOST)
		return fab_yaml_error(fab_yaml_key_of(n), ctx->err, ctx->errlen,
				"host '%s' has no profile (profiles configure switches)", name);
	if (rn->kind == FAB_SCN_SWITCH) {
		rn->profile_node = n;
		ret = resolve_profile(ctx, n, rn->profile);
		if (ret < 0)
			return ret;
	}
	n = scn_get(def, "rate");
	if (n != NULL) {
		ret = fab_yaml_get_rate(n, FAB_CONF_MIN_RATE, FAB_CONF_MAX_RATE, &rn->rate_bps,
				ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		rn->rate_node = n;
	}
	return 0;
}

static int
cmp_raw_name(const void *a, const void *b, void *arg)
{
	const struct scn_raw_node *rn = arg;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	int c = strcmp(rn[ia].name, rn[ib].name);

	if (c != 0)
		return c;
	return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/* Sort raw nodes by name; refuse a name given twice (the second one written). */
static int
index_names(struct scn_ctx *ctx)
{
	uint32_t i, dup = UINT32_MAX, first = 0, group_first;

	ctx->rn_by_name = malloc((ctx->nb_rn + 1) * sizeof(*ctx->rn_by_name));
	if (ctx->rn_by_name == NULL)
		return scn_nomem(ctx, ctx->topology);
	for (i = 0; i < ctx->nb_rn; i++)
		ctx->rn_by_name[i] = i;
	qsort_r(ctx->rn_by_name, ctx->nb_rn, sizeof(*ctx->rn_by_name), cmp_raw_name, ctx->rn);
	/* Within a run of one name, indexes ascend: the run's second is its first duplicate. */
	group_first = ctx->rn_by_name[0];
	for (i = 1; i < ctx->nb_rn; i++) {
		uint32_t b = ctx->rn_by_name[i];

		if (strcmp(ctx->rn[group_first].name, ctx->rn[b].name) != 0) {
			group_first = b;
			continue;
		}
		if (b < dup) {
			dup = b;
			first = group_first;
		}
	}
	if (dup != UINT32_MAX)
		return fab_yaml_error(ctx->rn[dup].name_node, ctx->err, ctx->errlen,
				"duplicate node name '%s' (first at %u:%u)", ctx->rn[dup].name,
				ctx->rn[first].name_node->line, ctx->rn[first].name_node->col);
	return 0;
}

static int
find_raw_node(struct scn_ctx *ctx, const char *name)
{
	uint32_t lo = 0, hi = ctx->nb_rn;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ctx->rn[ctx->rn_by_name[mid]].name, name);

		if (c == 0)
			return (int)ctx->rn_by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

/* "node:port" or "node" into @p end; the default port name is set later. */
static int
parse_end(struct scn_ctx *ctx, const struct fab_yaml_node *v, struct scn_raw_end *end)
{
	char node[FAB_CONF_NAME_LEN];
	const char *text, *colon;
	size_t len;
	int ret, idx;

	ret = fab_yaml_get_str(v, &text, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	end->value = v;
	colon = strchr(text, ':');
	len = colon != NULL ? (size_t)(colon - text) : strlen(text);
	if (len == 0 || len >= sizeof(node)) {
		if (len == 0)
			return fab_yaml_error(v, ctx->err, ctx->errlen,
					"'%s' names no node; a link end is NODE:PORT or NODE", text);
		return fab_yaml_error(v, ctx->err, ctx->errlen,
				"'%.*s' is not a valid node name (at most %u characters)",
				(int)len, text, FAB_CONF_NAME_LEN - 1);
	}
	memcpy(node, text, len);
	node[len] = '\0';
	idx = find_raw_node(ctx, node);
	if (idx < 0)
		return fab_yaml_error(v, ctx->err, ctx->errlen, "unknown node '%s'", node);
	end->node = (uint32_t)idx;
	if (colon == NULL)
		return 0;
	ret = scn_check_name(ctx, v, colon + 1, true, "port");
	if (ret < 0)
		return ret;
	strcpy(end->port, colon + 1);
	end->port_given = true;
	return 0;
}

/* A rate written on a link must agree with the rates written on its nodes. */
static int
link_rate(struct scn_ctx *ctx, struct scn_raw_link *l)
{
	unsigned int e;

	for (e = 0; e < 2; e++) {
		const struct scn_raw_node *n = &ctx->rn[l->end[e].node];
		char lr[32], nr[32];

		if (n->rate_bps == 0)
			continue;
		if (l->rate_node == NULL) {
			if (l->rate_bps == 0 || n->rate_bps < l->rate_bps)
				l->rate_bps = n->rate_bps;
			continue;
		}
		if (n->rate_bps == l->rate_bps)
			continue;
		fab_format_rate(l->rate_bps, lr, sizeof(lr));
		fab_format_rate(n->rate_bps, nr, sizeof(nr));
		return fab_yaml_error(l->rate_node, ctx->err, ctx->errlen,
				"rate %s contradicts node '%s' (rate %s at %u:%u)", lr, n->name, nr,
				n->rate_node->line, n->rate_node->col);
	}
	if (l->rate_bps == 0)
		l->rate_bps = SCN_DEFAULT_RATE;
	return 0;
}

static int
parse_link(struct scn_ctx *ctx, const struct fab_yaml_node *def)
{
	static const char *const keys[] = { "a", "b", "rate", "delay", "cable_m", NULL };
	const struct fab_yaml_node *a, *b, *n;
	struct scn_raw_link *l;
	struct scn_raw_node *na, *nb;
	uint32_t li;
	uint64_t v;
	int ret;

	ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	a = scn_get(def, "a");
	b = scn_get(def, "b");
	if (a == NULL || b == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"missing link end '%s'; a link needs a and b (NODE:PORT or NODE)",
				a == NULL ? "a" : "b");
	l = add_link(ctx, def);
	if (l == NULL)
		return -ENOMEM;
	li = ctx->nb_rl - 1;
	ret = parse_end(ctx, a, &l->end[0]);
	if (ret == 0)
		ret = parse_end(ctx, b, &l->end[1]);
	if (ret < 0)
		return ret;
	na = &ctx->rn[l->end[0].node];
	nb = &ctx->rn[l->end[1].node];
	if (na == nb)
		return fab_yaml_error(b, ctx->err, ctx->errlen, "a link from '%s' to itself",
				na->name);
	if (na->kind == FAB_SCN_HOST && nb->kind == FAB_SCN_HOST)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"a link between two hosts ('%s', '%s'); hosts attach to switches",
				na->name, nb->name);
	/* A port not named is named after its peer, or eth0 on a host (it has one). */
	if (!l->end[0].port_given)
		snprintf(l->end[0].port, sizeof(l->end[0].port), "%s",
				na->kind == FAB_SCN_HOST ? "eth0" : nb->name);
	if (!l->end[1].port_given)
		snprintf(l->end[1].port, sizeof(l->end[1].port), "%s",
				nb->kind == FAB_SCN_HOST ? "eth0" : na->name);
	if (na->kind == FAB_SCN_HOST && na->nb_links > 0)
		return fab_yaml_error(a, ctx->err, ctx->errlen,
				"host '%s' has a second link (the first is at %u:%u); a host has one NIC",
				na->name, ctx->rl[na->first_link].def->line,
				ctx->rl[na->first_link].def->col);
	if (nb->kind == FAB_SCN_HOST && nb->nb_links > 0)
		return fab_yaml_error(b, ctx->err, ctx->errlen,
				"host '%s' has a second link (the first is at %u:%u); a host has one NIC",
				nb->name, ctx->rl[nb->first_link].def->line,
				ctx->rl[nb->first_link].def->col);
	if (na->nb_links++ == 0)
		na->first_link = li;
	if (nb->nb_links++ == 0)
		nb->first_link = li;

	n = scn_get(def, "rate");
	if (n != NULL) {
		ret = fab_yaml_get_rate(n, FAB_CONF_MIN_RATE, FAB_CONF_MAX_RATE, &l->rate_bps,
				ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		l->rate_node = n;
	}
	ret = link_rate(ctx, l);
	if (ret < 0)
		return ret;
	n = scn_get(def, "delay");
	if (n != NULL) {
		ret = fab_yaml_get_duration(n, 0, SCN_MAX_DELAY_PS, &l->delay_ps, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		l->delay_node = n;
	}
	n = scn_get(def, "cable_m");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, 0, SCN_MAX_CABLE_M, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		l->cable_m = (uint32_t)v;
	}
	return 0;
}

static int
parse_explicit(struct scn_ctx *ctx, const struct fab_yaml_node *topo)
{
	const struct fab_yaml_node *nodes = scn_get(topo, "nodes");
	const struct fab_yaml_node *links = scn_get(topo, "links");
	uint32_t i;
	int ret;

	if (nodes == NULL)
		return fab_yaml_error(topo, ctx->err, ctx->errlen,
				"missing key 'nodes'; a topology is leaf_spine, or nodes and links");
	ret = fab_yaml_expect(nodes, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (nodes->count == 0)
		return fab_yaml_error(nodes, ctx->err, ctx->errlen, "no nodes");
	for (i = 0; i < nodes->count; i++) {
		ret = parse_node(ctx, nodes->items[i]);
		if (ret < 0)
			return ret;
	}
	ret = index_names(ctx);
	if (ret < 0)
		return ret;
	if (links == NULL)
		return 0;
	ret = fab_yaml_expect(links, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < links->count; i++) {
		ret = parse_link(ctx, links->items[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int
scn_parse_topology(struct scn_ctx *ctx)
{
	static const char *const keys[] = { "leaf_spine", "nodes", "links", NULL };
	const struct fab_yaml_node *topo = scn_get(ctx->root, "topology");
	const struct fab_yaml_node *ls, *nodes, *links, *tiers;
	int ret;

	if (topo == NULL)
		return fab_yaml_error(ctx->root, ctx->err, ctx->errlen,
				"missing key 'topology'; give leaf_spine, or nodes and links");
	ret = fab_yaml_check_keys(topo, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	ctx->topology = topo;
	ls = scn_get(topo, "leaf_spine");
	nodes = fab_yaml_map_get(topo, "nodes");
	links = fab_yaml_map_get(topo, "links");
	tiers = scn_get(ctx->root, "tiers");
	if (ls != NULL && (nodes != NULL || links != NULL))
		return fab_yaml_error(fab_yaml_key_of(nodes != NULL ? nodes : links), ctx->err,
				ctx->errlen, "give leaf_spine, or nodes and links, not both");
	if (ls != NULL) {
		ret = fab_yaml_expect(ls, FAB_YAML_MAPPING, ctx->err, ctx->errlen);
		if (ret == 0)
			ret = parse_leaf_spine(ctx, ls, tiers);
		if (ret == 0)
			ret = index_names(ctx);
		return ret;
	}
	if (tiers != NULL)
		return fab_yaml_error(fab_yaml_key_of(tiers), ctx->err, ctx->errlen,
				"tiers apply to the leaf_spine shorthand; give each node its profile");
	return parse_explicit(ctx, topo);
}
