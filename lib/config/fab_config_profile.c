/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A switch configuration from a profile (a mapping of the port-independent
 * sections) and ports given by a program: what a fabric scenario does for
 * each of its switches. The section parsers are the switch file's own, run
 * in the same order, so a profile means exactly what the same sections mean
 * in a switch file.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_config_priv.h"

#define PROFILE_MIN_MTU 68
#define PROFILE_MAX_MTU 9216

static const char *const profile_keys[] = {
	"mtu", "seed", "hash_seed", "qos", "buffer", "ecn", "pfc", "lb", "plugins", NULL,
};

static int
dup_opt(struct conf_ctx *ctx, const char *s, char **out)
{
	if (s == NULL) {
		*out = NULL;
		return 0;
	}
	return conf_strdup(ctx, ctx->root, s, out);
}

static int
copy_base(struct conf_ctx *ctx, const struct fab_switch_conf *base)
{
	struct fab_switch_conf *c = ctx->conf;
	uint16_t i, first_dev = UINT16_MAX;
	int ret;

	memcpy(c->name, base->name, sizeof(c->name));
	c->name[sizeof(c->name) - 1] = '\0';
	c->seed = base->seed;
	c->hash_seed = base->hash_seed;
	c->mac = base->mac;
	c->stats_interval_ps = base->stats_interval_ps;
	if (base->nb_ports > FAB_CONF_MAX_PORTS)
		return fab_yaml_error(ctx->root, ctx->err, ctx->errlen,
				"switch '%s' has %u ports; at most %u", c->name, base->nb_ports,
				FAB_CONF_MAX_PORTS);
	if (base->nb_ports > 0) {
		c->ports = calloc(base->nb_ports, sizeof(*c->ports));
		if (c->ports == NULL) {
			fab_yaml_error(ctx->root, ctx->err, ctx->errlen, "out of memory");
			return -ENOMEM;
		}
	}
	for (i = 0; i < base->nb_ports; i++) {
		struct fab_conf_port *p = &c->ports[i];

		*p = base->ports[i];
		p->dev_name = p->pcap_rx = p->pcap_tx = NULL;
		/* Counted as soon as it holds only what it owns, so a failure frees it. */
		c->nb_ports = (uint16_t)(i + 1);
		ret = dup_opt(ctx, base->ports[i].dev_name, &p->dev_name);
		if (ret == 0)
			ret = dup_opt(ctx, base->ports[i].pcap_rx, &p->pcap_rx);
		if (ret == 0)
			ret = dup_opt(ctx, base->ports[i].pcap_tx, &p->pcap_tx);
		if (ret < 0)
			return ret;
		if (p->kind == FAB_CONF_PORT_DEV && first_dev == UINT16_MAX)
			first_dev = i;
	}
	c->time = base->time;
	if (c->time == FAB_CONF_TIME_AUTO)
		c->time = first_dev != UINT16_MAX ? FAB_CONF_TIME_REAL : FAB_CONF_TIME_VIRTUAL;
	return 0;
}

/* mtu, seed and hash_seed: the switch section's keys that a profile may set. */
static int
parse_identity(struct conf_ctx *ctx)
{
	struct fab_switch_conf *c = ctx->conf;
	const struct fab_yaml_node *n;
	uint64_t v;
	int ret;

	n = conf_get(ctx->root, "mtu");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, PROFILE_MIN_MTU, PROFILE_MAX_MTU, &v, ctx->err,
				ctx->errlen);
		if (ret < 0)
			return ret;
		c->mtu = (uint32_t)v;
	}
	n = conf_get(ctx->root, "seed");
	if (n != NULL && (ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &c->seed, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	n = conf_get(ctx->root, "hash_seed");
	if (n != NULL && (ret = fab_yaml_get_u64(n, 0, UINT64_MAX, &c->hash_seed, ctx->err,
			ctx->errlen)) < 0)
		return ret;
	return 0;
}

int
fab_switch_conf_from_profile(const struct fab_yaml_node *profile, const char *base_dir,
		const struct fab_switch_conf *base, struct fab_switch_conf *out,
		char *err, size_t errlen)
{
	struct conf_ctx ctx;
	int ret;

	if (out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (base == NULL || (base->nb_ports > 0 && base->ports == NULL)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no switch identity or ports given");
		return -EINVAL;
	}
	if (profile != NULL && profile->type == FAB_YAML_SCALAR && profile->is_null)
		profile = NULL;

	memset(&ctx, 0, sizeof(ctx));
	ctx.conf = out;
	ctx.root = profile;
	ctx.base_dir = base_dir != NULL ? base_dir : "";
	ctx.err = err;
	ctx.errlen = errlen;

	if (profile != NULL) {
		ret = fab_yaml_check_keys(profile, profile_keys, err, errlen);
		if (ret < 0)
			return ret;
	}
	conf_set_defaults(out);
	ret = conf_strdup(&ctx, profile, profile != NULL ? fab_yaml_doc_name(profile->doc) :
			base->name, &out->path);
	/* The order of fab_switch_conf_load(): ECN and PFC read the ports' rates. */
	if (ret == 0)
		ret = copy_base(&ctx, base);
	if (ret == 0)
		ret = parse_identity(&ctx);
	if (ret == 0)
		ret = conf_parse_qos(&ctx);
	if (ret == 0)
		ret = conf_parse_buffer(&ctx);
	if (ret == 0)
		ret = conf_parse_ecn(&ctx);
	if (ret == 0)
		ret = conf_resolve_ecn(&ctx);
	if (ret == 0)
		ret = conf_parse_pfc(&ctx);
	if (ret == 0)
		ret = conf_parse_lb(&ctx);
	if (ret == 0)
		ret = conf_parse_plugins(&ctx);
	if (ret < 0)
		fab_switch_conf_free(out);
	return ret;
}
