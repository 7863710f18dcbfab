/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The qos section (classification, scheduling) and the ecn section. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fab_config_priv.h"

/* SONiC's DWRR weights are 1..100. */
#define CONF_MAX_WEIGHT 100

static int
parse_weights(struct conf_ctx *ctx, const struct fab_yaml_node *n)
{
	uint16_t *weight = ctx->conf->qos.weight;
	uint32_t i;
	uint64_t w;
	int ret;

	if (n->type == FAB_YAML_SEQUENCE) {
		if (n->count != FAB_NUM_PRIO)
			return fab_yaml_error(n, ctx->err, ctx->errlen,
					"a list of weights needs exactly %u entries (one per class), found %u",
					FAB_NUM_PRIO, n->count);
		for (i = 0; i < n->count; i++) {
			ret = fab_yaml_get_u64(n->items[i], 1, CONF_MAX_WEIGHT, &w, ctx->err,
					ctx->errlen);
			if (ret < 0)
				return ret;
			weight[i] = (uint16_t)w;
		}
		return 0;
	}
	ret = fab_yaml_expect(n, FAB_YAML_MAPPING, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < n->count; i++) {
		uint64_t c;

		ret = fab_yaml_get_u64(n->keys[i], 0, FAB_NUM_PRIO - 1, &c, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		ret = fab_yaml_get_u64(n->items[i], 1, CONF_MAX_WEIGHT, &w, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		weight[c] = (uint16_t)w;
	}
	return 0;
}

int
conf_parse_qos(struct conf_ctx *ctx)
{
	static const char *const keys[] = {
		"dscp_to_class", "pcp_to_class", "lossless", "strict", "weights",
		"cnp_class", NULL,
	};
	const struct fab_yaml_node *qos = conf_get(ctx->root, "qos"), *n;
	struct fab_conf_qos *q = &ctx->conf->qos;
	uint64_t v;
	int ret;

	ret = conf_section(ctx, qos, keys);
	if (ret < 0)
		return ret;
	n = conf_get(qos, "dscp_to_class");
	if (n != NULL && (ret = fab_yaml_get_class_map(n, "DSCP", 64, q->dscp_to_class,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	n = conf_get(qos, "pcp_to_class");
	if (n != NULL && (ret = fab_yaml_get_class_map(n, "PCP", FAB_NUM_PRIO,
			q->pcp_to_class, ctx->err, ctx->errlen)) < 0)
		return ret;
	/* An empty list is meaningful here ("no lossless class"), so no conf_get(). */
	n = fab_yaml_map_get(qos, "lossless");
	if (n != NULL && !(n->type == FAB_YAML_SCALAR && n->is_null) &&
			(ret = conf_class_list(ctx, n, &q->lossless_mask)) < 0)
		return ret;
	n = fab_yaml_map_get(qos, "strict");
	if (n != NULL && !(n->type == FAB_YAML_SCALAR && n->is_null) &&
			(ret = conf_class_list(ctx, n, &q->strict_mask)) < 0)
		return ret;
	n = conf_get(qos, "weights");
	if (n != NULL && (ret = parse_weights(ctx, n)) < 0)
		return ret;
	n = conf_get(qos, "cnp_class");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, 0, FAB_NUM_PRIO - 1, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		q->cnp_class = (uint8_t)v;
	}
	return 0;
}

static int
parse_ecn_class(struct conf_ctx *ctx, const struct fab_yaml_node *n,
		struct conf_ecn_written *w)
{
	static const char *const keys[] = { "enabled", "kmin", "kmax", "pmax", "k", NULL };
	uint64_t pool = ctx->conf->buffer.pool;
	int ret;

	w->node = n;
	w->on = true;
	/* "3: false" switches a class off and keeps the rest default. */
	if (n->type == FAB_YAML_SCALAR) {
		w->enabled = n;
		return fab_yaml_get_bool(n, &w->on, ctx->err, ctx->errlen);
	}
	ret = fab_yaml_check_keys(n, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	w->enabled = conf_get(n, "enabled");
	if (w->enabled != NULL &&
			(ret = fab_yaml_get_bool(w->enabled, &w->on, ctx->err, ctx->errlen)) < 0)
		return ret;
	w->kmin = conf_get(n, "kmin");
	if (w->kmin != NULL && (ret = fab_yaml_get_size(w->kmin, 0, pool, &w->kmin_bytes,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	w->kmax = conf_get(n, "kmax");
	if (w->kmax != NULL && (ret = fab_yaml_get_size(w->kmax, 0, pool, &w->kmax_bytes,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	w->pmax = conf_get(n, "pmax");
	if (w->pmax != NULL && (ret = fab_yaml_get_double(w->pmax, 0.0, 1.0, &w->pmax_value,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	w->k = conf_get(n, "k");
	if (w->k != NULL && (ret = fab_yaml_get_size(w->k, 0, pool, &w->k_bytes,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	if (w->kmin != NULL && w->kmax != NULL && w->kmin_bytes > w->kmax_bytes)
		return fab_yaml_error(w->kmin, ctx->err, ctx->errlen,
				"kmin (%s) is above kmax (%s at %u:%u)", w->kmin->value,
				w->kmax->value, w->kmax->line, w->kmax->col);
	return 0;
}

int
conf_parse_ecn(struct conf_ctx *ctx)
{
	static const char *const keys[] = { "plugin", "mark_at", "args", "classes", NULL };
	static const char *const mark_ats[] = { "enqueue", "dequeue", NULL };
	const struct fab_yaml_node *ecn = conf_get(ctx->root, "ecn"), *n;
	struct fab_conf_ecn *e = &ctx->conf->ecn;
	const char *args = "";
	unsigned int t;
	uint32_t i;
	int ret;

	ret = conf_section(ctx, ecn, keys);
	if (ret < 0)
		return ret;
	n = conf_get(ecn, "plugin");
	if (n != NULL && (ret = conf_plugin_name(ctx, n, e->plugin)) < 0)
		return ret;
	n = conf_get(ecn, "mark_at");
	if (n != NULL) {
		ret = fab_yaml_get_enum(n, mark_ats, &t, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		e->mark_at = t == 0 ? FAB_CONF_MARK_ENQUEUE : FAB_CONF_MARK_DEQUEUE;
	}
	n = conf_get(ecn, "args");
	if (n != NULL && (ret = fab_yaml_get_str(n, &args, ctx->err, ctx->errlen)) < 0)
		return ret;
	ret = conf_strdup(ctx, ecn != NULL ? ecn : ctx->root, args, &e->args);
	if (ret < 0)
		return ret;

	n = conf_get(ecn, "classes");
	if (n == NULL)
		return 0;
	ret = fab_yaml_expect(n, FAB_YAML_MAPPING, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < n->count; i++) {
		uint64_t c;

		ret = fab_yaml_get_u64(n->keys[i], 0, FAB_NUM_PRIO - 1, &c, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		ret = parse_ecn_class(ctx, n->items[i], &ctx->ecn[c]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Each port gets the HPCC defaults at its own rate, marking on the lossless
 * classes only (RoCE runs there; SONiC's default ECN profile is applied to
 * the lossless queues), then what the file says per class.
 */
int
conf_resolve_ecn(struct conf_ctx *ctx)
{
	struct fab_switch_conf *c = ctx->conf;
	uint16_t p;
	unsigned int cls;

	for (p = 0; p < c->nb_ports; p++) {
		for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
			const struct conf_ecn_written *w = &ctx->ecn[cls];
			struct fab_conf_ecn_class *e = &c->ports[p].ecn[cls];
			const struct fab_yaml_node *culprit;

			fab_conf_ecn_default(c->ports[p].rate_bps, e);
			e->enabled = (c->qos.lossless_mask >> cls) & 1;
			if (w->node == NULL)
				continue;
			e->enabled = w->on;
			if (w->kmin != NULL) {
				e->kmin = w->kmin_bytes;
				e->k = w->kmin_bytes;
			}
			if (w->kmax != NULL)
				e->kmax = w->kmax_bytes;
			if (w->pmax != NULL)
				e->pmax = w->pmax_value;
			if (w->k != NULL)
				e->k = w->k_bytes;
			if (e->kmin <= e->kmax)
				continue;
			culprit = w->kmin != NULL ? w->kmin : w->kmax;
			return fab_yaml_error(culprit, ctx->err, ctx->errlen,
					"kmin %" PRIu64 " bytes is above kmax %" PRIu64
					" bytes for port '%s' (the %s is the default at its rate); set both",
					e->kmin, e->kmax, c->ports[p].name,
					w->kmin != NULL ? "kmax" : "kmin");
		}
	}
	return 0;
}
