/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The buffer section (SONiC's shared-buffer model) and the pfc section. */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "fab_config_priv.h"

#define CONF_MIN_POOL (UINT64_C(64) << 10)
#define CONF_MAX_POOL (UINT64_C(1) << 30)
/* SAI's dynamic_th range as the issue asks for: alpha from 1/128 to 128. */
#define CONF_MIN_DYNAMIC_TH -7
#define CONF_MAX_DYNAMIC_TH 7
#define CONF_MAX_PEER_RESPONSE_PS (UINT64_C(1000) * 1000000)

/* Exactly one of dynamic_th and static; the later one written is the error. */
static int
parse_threshold(struct conf_ctx *ctx, const struct fab_yaml_node *map,
		const char *dyn_key, const char *static_key, bool *is_static, int8_t *dyn,
		uint64_t *limit)
{
	const struct fab_yaml_node *d = conf_get(map, dyn_key);
	const struct fab_yaml_node *s = conf_get(map, static_key);
	int64_t th;
	int ret;

	if (d != NULL && s != NULL) {
		const struct fab_yaml_node *later = d->line > s->line ||
			(d->line == s->line && d->col > s->col) ? d : s;

		return fab_yaml_error(fab_yaml_key_of(later), ctx->err, ctx->errlen,
				"give %s or %s, not both", dyn_key, static_key);
	}
	if (d != NULL) {
		ret = fab_yaml_get_int(d, CONF_MIN_DYNAMIC_TH, CONF_MAX_DYNAMIC_TH, &th,
				ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		*dyn = (int8_t)th;
		*is_static = false;
	}
	if (s != NULL) {
		ret = fab_yaml_get_size(s, 1, ctx->conf->buffer.pool, limit, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		*is_static = true;
	}
	return 0;
}

static int
parse_ingress(struct conf_ctx *ctx, const struct fab_yaml_node *in)
{
	static const char *const keys[] = {
		"reserved", "dynamic_th", "static", "xoff", "xon", "xon_offset",
		"peer_response", NULL,
	};
	struct fab_conf_buffer *b = &ctx->conf->buffer;
	const struct fab_yaml_node *n;
	int ret;

	ret = conf_section(ctx, in, keys);
	if (ret < 0)
		return ret;
	n = conf_get(in, "reserved");
	if (n != NULL && (ret = fab_yaml_get_size(n, 0, b->pool, &b->pg_reserved,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	ret = parse_threshold(ctx, in, "dynamic_th", "static", &b->pg_static,
			&b->pg_dynamic_th, &b->pg_static_limit);
	if (ret < 0)
		return ret;
	n = conf_get(in, "xoff");
	if (n != NULL && !(n->type == FAB_YAML_SCALAR && strcmp(n->value, "auto") == 0)) {
		ret = fab_yaml_get_size(n, 1, b->pool, &b->xoff, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		b->xoff_auto = false;
	}
	n = conf_get(in, "xon");
	if (n != NULL && (ret = fab_yaml_get_size(n, 0, b->pool, &b->xon, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	n = conf_get(in, "xon_offset");
	if (n != NULL && (ret = fab_yaml_get_size(n, 0, b->pool, &b->xon_offset, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	/* lib/mmu refuses it too, but without a position in the file. */
	if (!b->xoff_auto && b->xon > b->xoff) {
		const struct fab_yaml_node *xon = conf_get(in, "xon");
		const struct fab_yaml_node *xoff = conf_get(in, "xoff");

		if (xon != NULL)
			return fab_yaml_error(xon, ctx->err, ctx->errlen,
					"xon (%s) is above xoff (%s at %u:%u)", xon->value,
					xoff->value, xoff->line, xoff->col);
		return fab_yaml_error(xoff, ctx->err, ctx->errlen,
				"xoff (%s) is below the default xon of %" PRIu64 " bytes; set xon too",
				xoff->value, b->xon);
	}
	n = conf_get(in, "peer_response");
	if (n != NULL && (ret = fab_yaml_get_duration(n, 0, CONF_MAX_PEER_RESPONSE_PS,
			&b->peer_response_ps, ctx->err, ctx->errlen)) < 0)
		return ret;
	return 0;
}

static int
parse_egress(struct conf_ctx *ctx, const struct fab_yaml_node *eg)
{
	static const char *const keys[] = {
		"lossy_dynamic_th", "lossy_static", "lossless_limit", NULL,
	};
	struct fab_conf_buffer *b = &ctx->conf->buffer;
	const struct fab_yaml_node *n;
	int ret;

	ret = conf_section(ctx, eg, keys);
	if (ret < 0)
		return ret;
	ret = parse_threshold(ctx, eg, "lossy_dynamic_th", "lossy_static",
			&b->egress_lossy_static, &b->egress_lossy_dynamic_th,
			&b->egress_lossy_static_limit);
	if (ret < 0)
		return ret;
	n = conf_get(eg, "lossless_limit");
	if (n != NULL && (ret = fab_yaml_get_size(n, 1, b->pool, &b->egress_lossless_limit,
			ctx->err, ctx->errlen)) < 0)
		return ret;
	return 0;
}

int
conf_parse_buffer(struct conf_ctx *ctx)
{
	static const char *const keys[] = { "pool", "ingress", "egress", NULL };
	const struct fab_yaml_node *buf = conf_get(ctx->root, "buffer"), *n;
	struct fab_conf_buffer *b = &ctx->conf->buffer;
	int ret;

	ret = conf_section(ctx, buf, keys);
	if (ret < 0)
		return ret;
	n = conf_get(buf, "pool");
	if (n != NULL) {
		ret = fab_yaml_get_size(n, CONF_MIN_POOL, CONF_MAX_POOL, &b->pool, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		/* Lossless egress is never the limit unless asked: SONiC sets it to the pool. */
		b->egress_lossless_limit = b->pool;
	}
	ret = parse_ingress(ctx, conf_get(buf, "ingress"));
	if (ret < 0)
		return ret;
	return parse_egress(ctx, conf_get(buf, "egress"));
}

static int
parse_watchdog(struct conf_ctx *ctx, const struct fab_yaml_node *wd)
{
	static const char *const keys[] = { "enabled", "detect", "restore", "action", NULL };
	static const char *const actions[] = { "drop", "forward", "alert", NULL };
	static const uint64_t min_ps = UINT64_C(1000000);          /* 1 us */
	static const uint64_t max_ps = UINT64_C(60) * 1000000000000; /* 60 s */
	struct fab_conf_pfc *p = &ctx->conf->pfc;
	const struct fab_yaml_node *n;
	unsigned int a;
	int ret;

	ret = conf_section(ctx, wd, keys);
	if (ret < 0)
		return ret;
	/* Writing the section turns the watchdog on. */
	p->watchdog = true;
	n = conf_get(wd, "enabled");
	if (n != NULL && (ret = fab_yaml_get_bool(n, &p->watchdog, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = conf_get(wd, "detect");
	if (n != NULL) {
		ret = fab_yaml_get_duration(n, min_ps, max_ps, &p->watchdog_detect_ps,
				ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->watchdog_restore_ps = 2 * p->watchdog_detect_ps;
	}
	n = conf_get(wd, "restore");
	if (n != NULL && (ret = fab_yaml_get_duration(n, min_ps, 2 * max_ps,
			&p->watchdog_restore_ps, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = conf_get(wd, "action");
	if (n != NULL) {
		ret = fab_yaml_get_enum(n, actions, &a, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->watchdog_action = a == 0 ? FAB_CONF_WD_DROP : a == 1 ? FAB_CONF_WD_FORWARD :
			FAB_CONF_WD_ALERT;
	}
	return 0;
}

int
conf_parse_pfc(struct conf_ctx *ctx)
{
	static const char *const keys[] = {
		"enabled", "pause_quanta", "refresh", "honor_pause", "watchdog", NULL,
	};
	const struct fab_yaml_node *pfc = conf_get(ctx->root, "pfc"), *n;
	struct fab_switch_conf *c = ctx->conf;
	struct fab_conf_pfc *p = &c->pfc;
	uint64_t v;
	uint16_t i;
	int ret;

	ret = conf_section(ctx, pfc, keys);
	if (ret < 0)
		return ret;
	n = conf_get(pfc, "enabled");
	if (n != NULL && (ret = fab_yaml_get_bool(n, &p->enabled, ctx->err, ctx->errlen)) < 0)
		return ret;
	n = conf_get(pfc, "pause_quanta");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, 1, UINT16_MAX, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		p->pause_quanta = (uint16_t)v;
	}
	n = conf_get(pfc, "honor_pause");
	if (n != NULL && (ret = fab_yaml_get_bool(n, &p->honor_pause, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	n = conf_get(pfc, "watchdog");
	if (n != NULL && (ret = parse_watchdog(ctx, n)) < 0)
		return ret;

	n = conf_get(pfc, "refresh");
	if (n == NULL || (n->type == FAB_YAML_SCALAR && strcmp(n->value, "auto") == 0))
		return 0;
	ret = fab_yaml_get_duration(n, 1, UINT64_C(1000000000000), &p->refresh_ps, ctx->err,
			ctx->errlen);
	if (ret < 0)
		return ret;
	p->refresh_auto = false;
	/* A refresh that comes after the pause has expired lets traffic leak. */
	for (i = 0; i < c->nb_ports; i++) {
		uint64_t pause_ps = fab_pfc_quanta_to_ps(p->pause_quanta, c->ports[i].rate_bps);
		char pause[48], rate[32];

		if (p->refresh_ps < pause_ps)
			continue;
		fab_format_duration(pause_ps, pause, sizeof(pause));
		fab_format_rate(c->ports[i].rate_bps, rate, sizeof(rate));
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"refresh %s is not shorter than the pause it renews on port '%s' "
				"(%u quanta at %s = %s)", n->value, c->ports[i].name,
				p->pause_quanta, rate, pause);
	}
	return 0;
}
