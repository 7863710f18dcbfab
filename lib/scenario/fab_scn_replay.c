/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * traffic.replay: pcap traces injected at hosts, with the trace's
 * addresses mapped onto hosts. The file is opened here once, so a missing
 * or foreign file is reported at its place in the scenario; the engine
 * reads it at start.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "fab_scn_priv.h"

#define REPLAY_MAX_SPEED 1e6

static int
check_trace(struct scn_ctx *ctx, const struct fab_yaml_node *n, const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, errbuf);
	int link;

	if (p == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "cannot read the trace: %s", errbuf);
	link = pcap_datalink(p);
	pcap_close(p);
	if (link != DLT_EN10MB)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"'%s' is not an Ethernet trace (link type %d)", path, link);
	return 0;
}

static int
parse_map(struct scn_ctx *ctx, const struct fab_yaml_node *map, struct fab_scn_replay *r)
{
	const struct fab_scenario *s = ctx->s;
	uint32_t i, k;
	int ret;

	if ((ret = fab_yaml_expect(map, FAB_YAML_MAPPING, ctx->err, ctx->errlen)) < 0)
		return ret;
	if (map->count == 0)
		return fab_yaml_error(map, ctx->err, ctx->errlen, "an empty map replays nothing");
	r->map = calloc(map->count, sizeof(*r->map));
	if (r->map == NULL)
		return scn_nomem(ctx, map);
	for (i = 0; i < map->count; i++) {
		const struct fab_yaml_node *key = map->keys[i], *val = map->items[i];
		struct fab_scn_replay_map *m = &r->map[i];
		const char *name;
		int idx;

		if (inet_pton(AF_INET, key->value, &m->ip.v4) == 1)
			m->l3 = FAB_L3_IPV4;
		else if (inet_pton(AF_INET6, key->value, m->ip.v6) == 1)
			m->l3 = FAB_L3_IPV6;
		else
			return fab_yaml_error(key, ctx->err, ctx->errlen,
					"'%s' is not an IPv4 or IPv6 address", key->value);
		if ((ret = fab_yaml_get_str(val, &name, ctx->err, ctx->errlen)) < 0)
			return ret;
		idx = fab_scenario_node_by_name(s, name);
		if (idx < 0 || s->nodes[idx].kind != FAB_SCN_HOST)
			return fab_yaml_error(val, ctx->err, ctx->errlen, "'%s' is not a host", name);
		m->host = s->nodes[idx].index;
		if (s->hosts[m->host].l3 != m->l3)
			return fab_yaml_error(val, ctx->err, ctx->errlen,
					"host '%s' has no %s address", name,
					m->l3 == FAB_L3_IPV4 ? "IPv4" : "IPv6");
		for (k = 0; k < i; k++)
			if (r->map[k].host == m->host)
				return fab_yaml_error(val, ctx->err, ctx->errlen,
						"host '%s' is mapped twice", name);
		r->nb_map++;
	}
	return 0;
}

static int
parse_replay(struct scn_ctx *ctx, const struct fab_yaml_node *def, struct fab_scn_replay *r)
{
	static const char *const keys[] = { "pcap", "map", "speed", "start", NULL };
	const struct fab_yaml_node *n;
	const char *path;
	char full[4096];
	int ret;

	if ((ret = fab_yaml_expect(def, FAB_YAML_MAPPING, ctx->err, ctx->errlen)) < 0 ||
			(ret = fab_yaml_check_keys(def, keys, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = scn_get(def, "pcap");
	if (n == NULL || scn_get(def, "map") == NULL)
		return fab_yaml_error(def, ctx->err, ctx->errlen,
				"a replay needs pcap (a trace) and map (trace address: host)");
	if ((ret = fab_yaml_get_str(n, &path, ctx->err, ctx->errlen)) < 0)
		return ret;
	if (path[0] != '/' && ctx->base_dir != NULL && ctx->base_dir[0] != '\0')
		ret = snprintf(full, sizeof(full), "%s/%s", ctx->base_dir, path);
	else
		ret = snprintf(full, sizeof(full), "%s", path);
	if (ret < 0 || (size_t)ret >= sizeof(full))
		return fab_yaml_error(n, ctx->err, ctx->errlen, "path too long");
	r->path = strdup(full);
	if (r->path == NULL)
		return scn_nomem(ctx, n);
	if ((ret = check_trace(ctx, n, r->path)) < 0)
		return ret;
	r->speed = 1.0;
	if ((n = scn_get(def, "speed")) != NULL &&
			(ret = fab_yaml_get_double(n, 1e-6, REPLAY_MAX_SPEED, &r->speed, ctx->err,
				ctx->errlen)) < 0)
		return ret;
	if ((n = scn_get(def, "start")) != NULL &&
			(ret = fab_yaml_get_duration(n, 0, UINT64_C(3600) * 1000000000000,
				&r->start_ps, ctx->err, ctx->errlen)) < 0)
		return ret;
	return parse_map(ctx, scn_get(def, "map"), r);
}

int
scn_parse_replays(struct scn_ctx *ctx, const struct fab_yaml_node *replay)
{
	struct fab_scenario *s = ctx->s;
	uint32_t i, count;
	int ret;

	/* One mapping or a list of them. */
	count = replay->type == FAB_YAML_SEQUENCE ? replay->count : 1;
	s->replays = calloc(count + 1, sizeof(*s->replays));
	if (s->replays == NULL)
		return scn_nomem(ctx, replay);
	for (i = 0; i < count; i++) {
		s->nb_replays = i + 1;
		ret = parse_replay(ctx, replay->type == FAB_YAML_SEQUENCE ? replay->items[i] : replay,
			&s->replays[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}
