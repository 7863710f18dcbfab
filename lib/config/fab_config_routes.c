/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The lb section (ECMP member selection) and the routes section. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_config_priv.h"

#define CONF_MAX_BUCKETS 65536

int
conf_parse_lb(struct conf_ctx *ctx)
{
	static const char *const keys[] = { "plugin", "buckets", "args", NULL };
	const struct fab_yaml_node *lb = conf_get(ctx->root, "lb"), *n;
	struct fab_conf_lb *l = &ctx->conf->lb;
	const char *args = "";
	uint64_t v;
	int ret;

	ret = conf_section(ctx, lb, keys);
	if (ret < 0)
		return ret;
	n = conf_get(lb, "plugin");
	if (n != NULL && (ret = conf_plugin_name(ctx, n, l->plugin)) < 0)
		return ret;
	n = conf_get(lb, "buckets");
	if (n != NULL) {
		ret = fab_yaml_get_u64(n, 1, CONF_MAX_BUCKETS, &v, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		/* The data path picks a bucket with hash & (buckets - 1). */
		if ((v & (v - 1)) != 0)
			return fab_yaml_error(n, ctx->err, ctx->errlen,
					"buckets must be a power of two, found %s", n->value);
		l->buckets = (uint32_t)v;
	}
	n = conf_get(lb, "args");
	if (n != NULL && (ret = fab_yaml_get_str(n, &args, ctx->err, ctx->errlen)) < 0)
		return ret;
	return conf_strdup(ctx, lb != NULL ? lb : ctx->root, args, &l->args);
}

/* "h0, h1, up0" for messages, cut short when long. */
static void
port_names(const struct fab_switch_conf *c, char *buf, size_t len)
{
	size_t pos = 0;
	uint16_t i;

	buf[0] = '\0';
	for (i = 0; i < c->nb_ports && pos + 1 < len; i++) {
		int w = snprintf(buf + pos, len - pos, "%s%s", i == 0 ? "" : ", ",
				c->ports[i].name);
		if (w > 0)
			pos += (size_t)w;
	}
	if (pos >= len && len > 4)
		strcpy(buf + len - 4, "...");
}

static int
parse_nexthop(struct conf_ctx *ctx, const struct fab_yaml_node *n,
		struct fab_conf_nexthop *nh)
{
	static const char *const keys[] = { "port", "mac", NULL };
	struct fab_switch_conf *c = ctx->conf;
	const struct fab_yaml_node *v;
	const char *name;
	int ret, port;

	ret = fab_yaml_check_keys(n, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	v = fab_yaml_map_get(n, "port");
	if (v == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "a next hop needs a port");
	ret = fab_yaml_get_str(v, &name, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	port = fab_switch_conf_port_by_name(c, name);
	if (port < 0) {
		char names[256];

		port_names(c, names, sizeof(names));
		return fab_yaml_error(v, ctx->err, ctx->errlen, "unknown port '%s'; ports: %s",
				name, names);
	}
	nh->port = (uint16_t)port;
	v = conf_get(n, "mac");
	if (v != NULL)
		return fab_yaml_get_mac(v, true, &nh->mac, ctx->err, ctx->errlen);
	if (!c->ports[port].peer_mac_set)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"a next hop on port '%s' needs a mac (or give that port a peer.mac)",
				name);
	nh->mac = c->ports[port].peer_mac;
	return 0;
}

static bool
prefix_equal(const struct fab_ip_prefix *a, const struct fab_ip_prefix *b)
{
	return a->l3 == b->l3 && a->depth == b->depth &&
		memcmp(&a->addr, &b->addr, sizeof(a->addr)) == 0;
}

static int
parse_route(struct conf_ctx *ctx, const struct fab_yaml_node *n, uint32_t index)
{
	static const char *const keys[] = { "prefix", "via", NULL };
	struct fab_switch_conf *c = ctx->conf;
	struct fab_conf_route *r = &c->routes[index];
	const struct fab_yaml_node *pfx, *via;
	uint32_t i, j, count;
	int ret;

	ret = fab_yaml_check_keys(n, keys, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	r->line = n->line;
	r->col = n->col;
	pfx = fab_yaml_map_get(n, "prefix");
	if (pfx == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen, "a route needs a prefix");
	ret = fab_yaml_get_prefix(pfx, &r->prefix, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	for (i = 0; i < index; i++)
		if (prefix_equal(&c->routes[i].prefix, &r->prefix))
			return fab_yaml_error(pfx, ctx->err, ctx->errlen,
					"duplicate route %s (first at %u:%u)", pfx->value,
					c->routes[i].line, c->routes[i].col);

	via = conf_get(n, "via");
	if (via == NULL)
		return fab_yaml_error(n, ctx->err, ctx->errlen,
				"a route needs via: a next hop {port, mac} or a list of them");
	if (via->type == FAB_YAML_SEQUENCE) {
		count = via->count;
		if (count == 0)
			return fab_yaml_error(via, ctx->err, ctx->errlen,
					"an ECMP group needs at least one next hop");
	} else {
		ret = fab_yaml_expect(via, FAB_YAML_MAPPING, ctx->err, ctx->errlen);
		if (ret < 0)
			return ret;
		count = 1;
	}
	if (count > FAB_CONF_MAX_ECMP)
		return fab_yaml_error(via, ctx->err, ctx->errlen,
				"%u next hops; an ECMP group holds at most %u", count,
				FAB_CONF_MAX_ECMP);
	if (count > c->lb.buckets)
		return fab_yaml_error(via, ctx->err, ctx->errlen,
				"%u next hops do not fit in lb.buckets = %u", count, c->lb.buckets);

	{
		struct fab_conf_nexthop *grown = realloc(c->nexthops,
				(c->nb_nexthops + count) * sizeof(*grown));

		if (grown == NULL) {
			fab_yaml_error(n, ctx->err, ctx->errlen, "out of memory");
			return -ENOMEM;
		}
		c->nexthops = grown;
	}
	r->first_nexthop = c->nb_nexthops;
	for (i = 0; i < count; i++) {
		const struct fab_yaml_node *item = via->type == FAB_YAML_SEQUENCE ?
			via->items[i] : via;
		struct fab_conf_nexthop *nh = &c->nexthops[r->first_nexthop + i];

		ret = parse_nexthop(ctx, item, nh);
		if (ret < 0)
			return ret;
		for (j = 0; j < i; j++) {
			const struct fab_conf_nexthop *o = &c->nexthops[r->first_nexthop + j];

			if (o->port == nh->port && rte_is_same_ether_addr(&o->mac, &nh->mac))
				return fab_yaml_error(item, ctx->err, ctx->errlen,
						"next hop listed twice in this group (first at %u:%u)",
						via->items[j]->line, via->items[j]->col);
		}
	}
	c->nb_nexthops += count;
	r->nb_nexthops = (uint16_t)count;
	return 0;
}

int
conf_parse_routes(struct conf_ctx *ctx)
{
	const struct fab_yaml_node *routes = conf_get(ctx->root, "routes");
	struct fab_switch_conf *c = ctx->conf;
	uint32_t i;
	int ret;

	if (routes == NULL)
		return 0;
	ret = fab_yaml_expect(routes, FAB_YAML_SEQUENCE, ctx->err, ctx->errlen);
	if (ret < 0)
		return ret;
	if (routes->count == 0)
		return 0;
	c->routes = calloc(routes->count, sizeof(*c->routes));
	if (c->routes == NULL) {
		fab_yaml_error(routes, ctx->err, ctx->errlen, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < routes->count; i++) {
		ret = parse_route(ctx, routes->items[i], i);
		if (ret < 0)
			return ret;
		c->nb_routes++;
	}
	return 0;
}
