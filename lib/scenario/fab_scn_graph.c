/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Checks over the whole raw graph: every node linked, ports used once and at
 * most 256 per switch, no loop of zero-delay links (the fabric loop's
 * lookahead is the smallest delay around a cycle: with none, two switches
 * could exchange frames forever at one instant), and one connected fabric.
 * Where several faults exist, the one written first is reported.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_scn_priv.h"

static int
build_adjacency(struct scn_ctx *ctx)
{
	uint32_t i, e, *fill;

	ctx->adj_start = calloc(ctx->nb_rn + 1, sizeof(*ctx->adj_start));
	ctx->adj = malloc((2 * (size_t)ctx->nb_rl + 1) * sizeof(*ctx->adj));
	fill = calloc(ctx->nb_rn + 1, sizeof(*fill));
	if (ctx->adj_start == NULL || ctx->adj == NULL || fill == NULL) {
		free(fill);
		return scn_nomem(ctx, ctx->topology);
	}
	for (i = 0; i < ctx->nb_rl; i++)
		for (e = 0; e < 2; e++)
			ctx->adj_start[ctx->rl[i].end[e].node + 1]++;
	for (i = 0; i < ctx->nb_rn; i++)
		ctx->adj_start[i + 1] += ctx->adj_start[i];
	/* Filled in link order, so each node's ends are in file order. */
	for (i = 0; i < ctx->nb_rl; i++) {
		for (e = 0; e < 2; e++) {
			uint32_t n = ctx->rl[i].end[e].node;

			ctx->adj[ctx->adj_start[n] + fill[n]++] = i * 2 + e;
		}
	}
	free(fill);
	return 0;
}

static const struct scn_raw_end *
adj_end(const struct scn_ctx *ctx, uint32_t a)
{
	return &ctx->rl[a / 2].end[a % 2];
}

static int
cmp_port_name(const void *a, const void *b, void *arg)
{
	const struct scn_ctx *ctx = arg;
	uint32_t ea = *(const uint32_t *)a, eb = *(const uint32_t *)b;
	int c = strcmp(adj_end(ctx, ea)->port, adj_end(ctx, eb)->port);

	if (c != 0)
		return c;
	return ea < eb ? -1 : ea > eb ? 1 : 0;
}

static int
check_ports(struct scn_ctx *ctx)
{
	uint32_t i, k, dup = UINT32_MAX, first = 0;
	uint32_t *ends;

	for (i = 0; i < ctx->nb_rn; i++) {
		const struct scn_raw_node *n = &ctx->rn[i];

		if (n->nb_links == 0)
			return fab_yaml_error(n->name_node, ctx->err, ctx->errlen,
					"node '%s' has no link", n->name);
	}
	for (i = 0; i < ctx->nb_rn; i++) {
		const struct scn_raw_node *n = &ctx->rn[i];

		if (n->nb_links > FAB_CONF_MAX_PORTS)
			return fab_yaml_error(n->name_node, ctx->err, ctx->errlen,
					"switch '%s' has %u links; a switch has at most %u ports",
					n->name, n->nb_links, FAB_CONF_MAX_PORTS);
	}
	ends = malloc((2 * (size_t)ctx->nb_rl + 1) * sizeof(*ends));
	if (ends == NULL)
		return scn_nomem(ctx, ctx->topology);
	if (ctx->nb_rl != 0)
		memcpy(ends, ctx->adj, 2 * (size_t)ctx->nb_rl * sizeof(*ends));
	for (i = 0; i < ctx->nb_rn; i++) {
		uint32_t *e = ends + ctx->adj_start[i];
		uint32_t cnt = ctx->adj_start[i + 1] - ctx->adj_start[i];

		qsort_r(e, cnt, sizeof(*e), cmp_port_name, ctx);
		for (k = 1; k < cnt; k++) {
			if (strcmp(adj_end(ctx, e[k - 1])->port, adj_end(ctx, e[k])->port) != 0)
				continue;
			/* e[k - 1] is written first; report the later link written first. */
			if (e[k] / 2 < dup / 2 || dup == UINT32_MAX) {
				dup = e[k];
				first = e[k - 1];
			}
		}
	}
	free(ends);
	if (dup != UINT32_MAX) {
		const struct scn_raw_end *d = adj_end(ctx, dup);
		const struct scn_raw_link *fl = &ctx->rl[first / 2];

		return fab_yaml_error(d->value, ctx->err, ctx->errlen,
				"port '%s:%s' is already used by the link at %u:%u%s",
				ctx->rn[d->node].name, d->port, fl->def->line, fl->def->col,
				d->port_given ? "" :
				"; name the ports of parallel links (NODE:PORT)");
	}
	return 0;
}

static uint32_t
uf_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/*
 * The path from @p from to @p to over zero-delay links written before link
 * @p upto, as "a -- b -- c" into @p buf.
 */
static void
zero_delay_path(struct scn_ctx *ctx, uint32_t upto, uint32_t from, uint32_t to,
		uint32_t *prev, uint32_t *queue, char *buf, size_t len)
{
	uint32_t head = 0, tail = 0, i, n;
	size_t pos = 0;

	for (i = 0; i < ctx->nb_rn; i++)
		prev[i] = UINT32_MAX;
	prev[from] = from;
	queue[tail++] = from;
	while (head < tail && prev[to] == UINT32_MAX) {
		uint32_t u = queue[head++], a;

		for (a = ctx->adj_start[u]; a < ctx->adj_start[u + 1]; a++) {
			uint32_t li = ctx->adj[a] / 2, v;

			if (li >= upto || ctx->rl[li].delay_ps != 0)
				continue;
			v = ctx->rl[li].end[1 - ctx->adj[a] % 2].node;
			if (prev[v] != UINT32_MAX)
				continue;
			prev[v] = u;
			queue[tail++] = v;
		}
	}
	/* Walk back from 'to': the message reads to -- ... -- from. */
	buf[0] = '\0';
	for (n = to; ; n = prev[n]) {
		int w = snprintf(buf + pos, len - pos, "%s%s", pos == 0 ? "" : " -- ",
				ctx->rn[n].name);

		if (w < 0 || (size_t)w >= len - pos) {
			if (len > 4)
				strcpy(buf + len - 4, "...");
			return;
		}
		pos += (size_t)w;
		if (n == from || prev[n] == UINT32_MAX)
			break;
	}
}

static int
check_zero_delay_loops(struct scn_ctx *ctx)
{
	uint32_t *parent, *prev, *queue, i;
	int ret = 0;

	parent = malloc((ctx->nb_rn + 1) * sizeof(*parent));
	prev = malloc((ctx->nb_rn + 1) * sizeof(*prev));
	queue = malloc((ctx->nb_rn + 1) * sizeof(*queue));
	if (parent == NULL || prev == NULL || queue == NULL) {
		ret = scn_nomem(ctx, ctx->topology);
		goto out;
	}
	for (i = 0; i < ctx->nb_rn; i++)
		parent[i] = i;
	for (i = 0; i < ctx->nb_rl; i++) {
		const struct scn_raw_link *l = &ctx->rl[i];
		uint32_t a, b;
		char path[400];

		if (l->delay_ps != 0)
			continue;
		a = uf_find(parent, l->end[0].node);
		b = uf_find(parent, l->end[1].node);
		if (a != b) {
			parent[a] = b;
			continue;
		}
		/* This link closes a cycle of zero-delay links written before it. */
		zero_delay_path(ctx, i, l->end[0].node, l->end[1].node, prev, queue, path,
				sizeof(path));
		ret = fab_yaml_error(l->delay_node != NULL ? l->delay_node : l->def, ctx->err,
				ctx->errlen,
				"zero-delay loop %s -- %s: every link in it has delay 0; give one of them a delay",
				path, ctx->rn[l->end[1].node].name);
		goto out;
	}
out:
	free(parent);
	free(prev);
	free(queue);
	return ret;
}

static int
check_connected(struct scn_ctx *ctx)
{
	uint32_t *queue, head = 0, tail = 0, i;
	uint8_t *seen;
	int ret = 0;

	queue = malloc((ctx->nb_rn + 1) * sizeof(*queue));
	seen = calloc(ctx->nb_rn + 1, 1);
	if (queue == NULL || seen == NULL) {
		ret = scn_nomem(ctx, ctx->topology);
		goto out;
	}
	seen[0] = 1;
	queue[tail++] = 0;
	while (head < tail) {
		uint32_t u = queue[head++], a;

		for (a = ctx->adj_start[u]; a < ctx->adj_start[u + 1]; a++) {
			uint32_t v = ctx->rl[ctx->adj[a] / 2].end[1 - ctx->adj[a] % 2].node;

			if (seen[v])
				continue;
			seen[v] = 1;
			queue[tail++] = v;
		}
	}
	for (i = 0; i < ctx->nb_rn; i++) {
		if (seen[i])
			continue;
		ret = fab_yaml_error(ctx->rn[i].name_node, ctx->err, ctx->errlen,
				"node '%s' cannot reach '%s': the topology is in more than one piece",
				ctx->rn[i].name, ctx->rn[0].name);
		break;
	}
out:
	free(queue);
	free(seen);
	return ret;
}

int
scn_check_graph(struct scn_ctx *ctx)
{
	int ret;

	ret = build_adjacency(ctx);
	if (ret == 0)
		ret = check_ports(ctx);
	if (ret == 0)
		ret = check_zero_delay_loops(ctx);
	if (ret == 0)
		ret = check_connected(ctx);
	return ret;
}
