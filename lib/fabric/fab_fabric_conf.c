/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Switch and host configurations built in C: defaults taken from lib/config
 * itself (by loading the smallest document that names the ports), routes
 * appended, and the fabric's own deep copy of what the caller adds.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_fabric_private.h"

int
fab_fabric_switch_conf_init(struct fab_switch_conf *conf, const char *name,
		uint16_t nb_ports, uint64_t rate_bps, char *err, size_t errlen)
{
	uint64_t h;
	size_t cap, len;
	uint16_t p;
	char *doc;
	int ret;

	if (conf == NULL || name == NULL || nb_ports == 0 || nb_ports > FAB_CONF_MAX_PORTS ||
			rate_bps < FAB_CONF_MIN_RATE || rate_bps > FAB_CONF_MAX_RATE) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "switch conf: invalid name, port count or rate");
		if (conf != NULL)
			memset(conf, 0, sizeof(*conf));
		return -EINVAL;
	}
	/*
	 * lib/config owns the defaults (its set_defaults() is private): ask it
	 * for them by loading a document that gives only the name, a MAC and
	 * the ports (as "dev": the loader takes no link ports; they become
	 * FAB_CONF_PORT_LINK).
	 */
	cap = 256 + (size_t)nb_ports * 32;
	doc = malloc(cap);
	if (doc == NULL) {
		memset(conf, 0, sizeof(*conf));
		return -ENOMEM;
	}
	h = fabric_name_hash(name);
	/* A unicast, locally administered base with room for 256 ports in its last octet. */
	len = (size_t)snprintf(doc, cap,
		"switch: {name: \"%s\", mac: \"02:%02x:%02x:%02x:%02x:00\"}\nports:\n", name,
		(unsigned int)(h & 0xff), (unsigned int)((h >> 8) & 0xff),
		(unsigned int)((h >> 16) & 0xff), (unsigned int)((h >> 24) & 0xff));
	for (p = 0; p < nb_ports && len < cap; p++)
		len += (size_t)snprintf(doc + len, cap - len, "  - {name: p%u, dev: 0}\n", p);
	ret = fab_switch_conf_load_string(name, doc, "", conf, err, errlen);
	free(doc);
	if (ret < 0)
		return ret;
	conf->time = FAB_CONF_TIME_VIRTUAL;
	for (p = 0; p < nb_ports; p++)
		conf->ports[p].kind = FAB_CONF_PORT_LINK;
	/* Seeds of 0 are derived per switch by the fabric. */
	conf->seed = 0;
	conf->hash_seed = 0;
	for (p = 0; p < nb_ports; p++)
		fab_fabric_switch_conf_port_rate(conf, p, rate_bps);
	return 0;
}

int
fab_fabric_switch_conf_port_rate(struct fab_switch_conf *conf, uint16_t port,
		uint64_t rate_bps)
{
	struct fab_conf_port *cp;
	unsigned int cls;

	if (conf == NULL || port >= conf->nb_ports || rate_bps < FAB_CONF_MIN_RATE ||
			rate_bps > FAB_CONF_MAX_RATE)
		return -EINVAL;
	cp = &conf->ports[port];
	cp->rate_bps = rate_bps;
	/* As lib/config resolves a class the file does not mention. */
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		fab_conf_ecn_default(rate_bps, &cp->ecn[cls]);
		cp->ecn[cls].enabled = (conf->qos.lossless_mask >> cls) & 1;
	}
	return 0;
}

static bool
prefix_equal(const struct fab_ip_prefix *a, const struct fab_ip_prefix *b)
{
	return a->l3 == b->l3 && a->depth == b->depth &&
		memcmp(&a->addr, &b->addr, sizeof(a->addr)) == 0;
}

int
fab_fabric_switch_conf_add_route(struct fab_switch_conf *conf,
		const struct fab_ip_prefix *prefix, const struct fab_conf_nexthop *nh, uint16_t nb)
{
	struct fab_conf_route *routes;
	struct fab_conf_nexthop *nhs;
	uint32_t i;

	if (conf == NULL || prefix == NULL || nh == NULL || nb == 0 ||
			nb > FAB_CONF_MAX_ECMP || nb > conf->lb.buckets ||
			(prefix->l3 != FAB_L3_IPV4 && prefix->l3 != FAB_L3_IPV6) ||
			prefix->depth > (prefix->l3 == FAB_L3_IPV4 ? 32 : 128))
		return -EINVAL;
	for (i = 0; i < nb; i++)
		if (nh[i].port >= conf->nb_ports)
			return -EINVAL;
	for (i = 0; i < conf->nb_routes; i++)
		if (prefix_equal(&conf->routes[i].prefix, prefix))
			return -EEXIST;
	routes = realloc(conf->routes, sizeof(*routes) * (conf->nb_routes + 1));
	if (routes == NULL)
		return -ENOMEM;
	conf->routes = routes;
	nhs = realloc(conf->nexthops, sizeof(*nhs) * (conf->nb_nexthops + nb));
	if (nhs == NULL)
		return -ENOMEM;
	conf->nexthops = nhs;
	memcpy(&nhs[conf->nb_nexthops], nh, sizeof(*nh) * nb);
	routes[conf->nb_routes] = (struct fab_conf_route){
		.prefix = *prefix,
		.first_nexthop = conf->nb_nexthops,
		.nb_nexthops = nb,
	};
	conf->nb_nexthops += nb;
	conf->nb_routes++;
	return 0;
}

void
fab_fabric_host_conf_defaults(struct fab_host_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->l3 = FAB_L3_IPV4;
	conf->rate_bps = UINT64_C(100000000000);
	/* lib/config's defaults: RoCE on DSCP 26 (class 3), CNPs on DSCP 48 (class 6). */
	conf->dscp_to_class[26] = 3;
	conf->dscp_to_class[48] = 6;
	conf->queue_frames = FAB_FABRIC_DEFAULT_HOST_QUEUE;
}

static char *
dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static void *
dup_mem(const void *src, size_t n)
{
	void *p;

	if (n == 0 || src == NULL)
		return NULL;
	p = malloc(n);
	if (p != NULL)
		memcpy(p, src, n);
	return p;
}

int
fabric_switch_conf_copy(struct fab_switch_conf *dst, const struct fab_switch_conf *src)
{
	uint32_t i;

	*dst = *src;
	dst->ports = NULL;
	dst->routes = NULL;
	dst->nexthops = NULL;
	dst->plugin_paths = NULL;
	dst->nb_plugin_paths = 0;
	dst->path = dup_or_empty(src->path != NULL ? src->path : src->name);
	dst->ecn.args = dup_or_empty(src->ecn.args);
	dst->lb.args = dup_or_empty(src->lb.args);
	dst->ports = dup_mem(src->ports, sizeof(*src->ports) * src->nb_ports);
	dst->routes = dup_mem(src->routes, sizeof(*src->routes) * src->nb_routes);
	dst->nexthops = dup_mem(src->nexthops, sizeof(*src->nexthops) * src->nb_nexthops);
	if (dst->path == NULL || dst->ecn.args == NULL || dst->lb.args == NULL ||
			dst->ports == NULL || (src->nb_routes != 0 && dst->routes == NULL) ||
			(src->nb_nexthops != 0 && dst->nexthops == NULL))
		goto nomem;
	/* Only the fields the switch reads stay: the ports are link ends here. */
	for (i = 0; i < src->nb_ports; i++) {
		dst->ports[i].kind = FAB_CONF_PORT_LINK;
		dst->ports[i].dev_name = NULL;
		dst->ports[i].pcap_rx = NULL;
		dst->ports[i].pcap_tx = NULL;
		dst->ports[i].peer_passive = false;
	}
	if (src->nb_plugin_paths != 0 && src->plugin_paths != NULL) {
		dst->plugin_paths = calloc(src->nb_plugin_paths + 1, sizeof(char *));
		if (dst->plugin_paths == NULL)
			goto nomem;
		for (i = 0; i < src->nb_plugin_paths; i++) {
			dst->plugin_paths[i] = strdup(src->plugin_paths[i]);
			if (dst->plugin_paths[i] == NULL)
				goto nomem;
			dst->nb_plugin_paths++;
		}
	}
	dst->time = FAB_CONF_TIME_VIRTUAL;
	return 0;
nomem:
	fab_switch_conf_free(dst);
	return -ENOMEM;
}
