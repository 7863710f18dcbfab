/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Building a fabric up: nodes, links and flows as the caller adds them, and teardown. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "fab_fabric_private.h"

RTE_LOG_REGISTER(fab_fabric_logtype, rocefab.fabric, INFO);

int
fabric_fail(struct fab_fabric *fab, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fab->err, sizeof(fab->err), fmt, ap);
	va_end(ap);
	return ret;
}

/* FNV-1a: a node's identity for seeds, independent of where it was added. */
uint64_t
fabric_name_hash(const char *name)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	while (*name != '\0') {
		h ^= (uint8_t)*name++;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

struct fab_fabric *
fab_fabric_create(const struct fab_fabric_conf *conf)
{
	static uint32_t instances;
	struct fab_fabric *fab;
	struct fab_clock_conf cc = { .mode = FAB_CLOCK_VIRTUAL };

	if (conf != NULL && conf->queue_capacity != 0 &&
			(conf->queue_capacity & (conf->queue_capacity - 1)) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	fab = calloc(1, sizeof(*fab));
	if (fab == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	if (conf != NULL)
		fab->conf = *conf;
	snprintf(fab->name, sizeof(fab->name), "%s",
		fab->conf.name != NULL ? fab->conf.name : "fabric");
	fab->conf.name = fab->name;
	if (fab->conf.queue_capacity == 0)
		fab->conf.queue_capacity = FAB_FABRIC_DEFAULT_QUEUE_CAPACITY;
	/* Mempool names are global to the process. */
	fab->instance = __atomic_fetch_add(&instances, 1, __ATOMIC_RELAXED);
	fab->clock = fab_clock_create(&cc);
	if (fab->clock == NULL) {
		free(fab);
		rte_errno = ENOMEM;
		return NULL;
	}
	return fab;
}

static void
node_free(struct fabric_node *n)
{
	uint16_t p;

	if (n == NULL)
		return;
	fab_switch_free(n->sw);
	for (p = 0; p < n->nb_ports; p++)
		fab_port_free(n->ports[p].port);
	free(n->sw_ports);
	free(n->ports);
	fab_switch_conf_free(&n->swconf);
	fabric_host_free(n->host);
	fabric_replay_free(n->replay);
	free(n);
}

void
fab_fabric_free(struct fab_fabric *fab)
{
	uint32_t i;

	if (fab == NULL)
		return;
	/* Switches and hosts hold frames; links hold frames and the port ends. */
	for (i = 0; i < fab->nb_nodes; i++)
		node_free(fab->nodes[i]);
	for (i = 0; i < fab->nb_links; i++)
		fab_link_free(fab->links[i].link);
	/* The generator holds CNPs not yet sent. */
	fabric_jobs_free(fab);
	fabric_replay_free_all(fab);
	rte_mempool_free(fab->pool);
	rte_mempool_free(fab->ctrl_pool);
	rte_mempool_free(fab->hdr_pool);
	rte_mempool_free(fab->zero_pool);
	fab_heap_free(fab->heap);
	fab_clock_free(fab->clock);
	free(fab->by_id);
	free(fab->nodes);
	free(fab->links);
	free(fab->flows);
	free(fab);
}

const char *
fab_fabric_error(const struct fab_fabric *fab)
{
	return fab == NULL ? "no fabric" : fab->err;
}

static int
grow(void **arr, uint32_t *cap, uint32_t need, size_t elt)
{
	uint32_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap * 2;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, (size_t)ncap * elt);
	if (p == NULL)
		return -ENOMEM;
	memset((char *)p + (size_t)*cap * elt, 0, (size_t)(ncap - *cap) * elt);
	*arr = p;
	*cap = ncap;
	return 0;
}

static int
check_name(struct fab_fabric *fab, const char *name)
{
	size_t len = strnlen(name, FAB_FABRIC_NAME_LEN);
	uint32_t i;

	if (len == 0 || len >= FAB_FABRIC_NAME_LEN ||
			name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"0123456789_.:/-")] != '\0')
		return fabric_fail(fab, -EINVAL,
			"'%.*s' is not a valid node name (letters, digits and _.:/-; at most %u)",
			(int)len, name, FAB_FABRIC_NAME_LEN - 1);
	for (i = 0; i < fab->nb_nodes; i++)
		if (strcmp(fab->nodes[i]->name, name) == 0)
			return fabric_fail(fab, -EEXIST, "duplicate node name '%s'", name);
	return 0;
}

/* A node with @p nb_ports unconnected ports, appended; returns its handle. */
static int
node_add(struct fab_fabric *fab, const char *name, enum fab_node_kind kind,
		uint16_t nb_ports, struct fabric_node **out)
{
	struct fabric_node *n;
	uint16_t p;
	int ret;

	if (fab->started || fab->start_failed)
		return fabric_fail(fab, -EBUSY, "%s: the fabric has started", name);
	ret = check_name(fab, name);
	if (ret < 0)
		return ret;
	if (grow((void **)&fab->nodes, &fab->cap_nodes, fab->nb_nodes + 1,
			sizeof(*fab->nodes)) < 0)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	n->ports = calloc(nb_ports, sizeof(*n->ports));
	if (n->ports == NULL) {
		free(n);
		return fabric_fail(fab, -ENOMEM, "out of memory");
	}
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->kind = kind;
	n->gen_host = UINT32_MAX;
	n->nb_ports = nb_ports;
	n->name_hash = fabric_name_hash(name);
	for (p = 0; p < nb_ports; p++)
		n->ports[p].link = -1;
	fab->nodes[fab->nb_nodes] = n;
	*out = n;
	return (int)fab->nb_nodes++;
}

int
fab_fabric_add_switch(struct fab_fabric *fab, const struct fab_switch_conf *conf)
{
	struct fabric_node *n;
	uint16_t p;
	int h, ret;

	if (fab == NULL || conf == NULL)
		return -EINVAL;
	if (conf->nb_ports == 0 || conf->ports == NULL)
		return fabric_fail(fab, -EINVAL, "switch '%s' has no ports", conf->name);
	h = node_add(fab, conf->name, FAB_NODE_SWITCH, conf->nb_ports, &n);
	if (h < 0)
		return h;
	ret = fabric_switch_conf_copy(&n->swconf, conf);
	if (ret < 0) {
		fab->nb_nodes--;
		node_free(n);
		return fabric_fail(fab, ret, "switch '%s': cannot copy its configuration",
			conf->name);
	}
	for (p = 0; p < conf->nb_ports; p++) {
		n->ports[p].rate_bps = conf->ports[p].rate_bps;
		n->ports[p].mac = conf->ports[p].mac;
	}
	return h;
}

int
fab_fabric_add_host(struct fab_fabric *fab, const struct fab_host_conf *conf)
{
	struct fabric_node *n;
	struct fabric_host *host;
	int h;

	if (fab == NULL || conf == NULL)
		return -EINVAL;
	if (conf->l3 != FAB_L3_IPV4 && conf->l3 != FAB_L3_IPV6)
		return fabric_fail(fab, -EINVAL, "host '%.*s': l3 must be IPv4 or IPv6",
			FAB_FABRIC_NAME_LEN - 1, conf->name);
	if (conf->rate_bps < FAB_CONF_MIN_RATE || conf->rate_bps > FAB_CONF_MAX_RATE)
		return fabric_fail(fab, -ERANGE, "host '%.*s': rate %llu b/s out of range",
			FAB_FABRIC_NAME_LEN - 1, conf->name, (unsigned long long)conf->rate_bps);
	if (conf->queue_frames > FAB_FABRIC_MAX_HOST_QUEUE)
		return fabric_fail(fab, -ERANGE, "host '%.*s': queue of %u frames, at most %u",
			FAB_FABRIC_NAME_LEN - 1, conf->name, conf->queue_frames,
			FAB_FABRIC_MAX_HOST_QUEUE);
	host = calloc(1, sizeof(*host));
	if (host == NULL)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	h = node_add(fab, conf->name, FAB_NODE_HOST, 1, &n);
	if (h < 0) {
		free(host);
		return h;
	}
	n->host = host;
	host->conf = *conf;
	host->queue_frames = conf->queue_frames != 0 ? conf->queue_frames :
		FAB_FABRIC_DEFAULT_HOST_QUEUE;
	if (rte_is_zero_ether_addr(&conf->mac)) {
		/* Locally administered, unicast, from the name: the same wherever added. */
		uint64_t v = n->name_hash;
		int i;

		for (i = 0; i < RTE_ETHER_ADDR_LEN; i++, v >>= 8)
			host->conf.mac.addr_bytes[i] = (uint8_t)v;
		host->conf.mac.addr_bytes[0] = (uint8_t)((host->conf.mac.addr_bytes[0] & 0xfc) | 0x02);
	}
	n->ports[0].rate_bps = conf->rate_bps;
	n->ports[0].mac = host->conf.mac;
	return h;
}

int
fab_fabric_connect(struct fab_fabric *fab, int a, uint16_t port_a, int b, uint16_t port_b,
		uint64_t delay_ps)
{
	struct fabric_node *na, *nb;
	struct fabric_link *l;

	if (fab == NULL)
		return -EINVAL;
	if (fab->started || fab->start_failed)
		return fabric_fail(fab, -EBUSY, "connect: the fabric has started");
	if (a < 0 || b < 0 || (uint32_t)a >= fab->nb_nodes || (uint32_t)b >= fab->nb_nodes)
		return fabric_fail(fab, -EINVAL, "connect: no node %d", a < 0 ||
			(uint32_t)a >= fab->nb_nodes ? a : b);
	if (a == b)
		return fabric_fail(fab, -EINVAL, "connect: %s to itself", fab->nodes[a]->name);
	na = fab->nodes[a];
	nb = fab->nodes[b];
	if (port_a >= na->nb_ports || port_b >= nb->nb_ports)
		return fabric_fail(fab, -EINVAL, "connect: %s has no port %u",
			port_a >= na->nb_ports ? na->name : nb->name,
			port_a >= na->nb_ports ? port_a : port_b);
	if (na->ports[port_a].link >= 0 || nb->ports[port_b].link >= 0)
		return fabric_fail(fab, -EEXIST, "connect: port %u of %s is already connected",
			na->ports[port_a].link >= 0 ? port_a : port_b,
			na->ports[port_a].link >= 0 ? na->name : nb->name);
	if (grow((void **)&fab->links, &fab->cap_links, fab->nb_links + 1,
			sizeof(*fab->links)) < 0)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	l = &fab->links[fab->nb_links];
	l->a = (uint32_t)a;
	l->b = (uint32_t)b;
	l->port_a = port_a;
	l->port_b = port_b;
	l->delay_ps = delay_ps;
	na->ports[port_a] = (struct fabric_port){ .link = (int)fab->nb_links, .end = 0,
		.peer = (uint32_t)b, .peer_port = port_b, .rate_bps = na->ports[port_a].rate_bps,
		.mac = na->ports[port_a].mac };
	nb->ports[port_b] = (struct fabric_port){ .link = (int)fab->nb_links, .end = 1,
		.peer = (uint32_t)a, .peer_port = port_a, .rate_bps = nb->ports[port_b].rate_bps,
		.mac = nb->ports[port_b].mac };
	return (int)fab->nb_links++;
}

static bool
is_host(const struct fab_fabric *fab, int node)
{
	return node >= 0 && (uint32_t)node < fab->nb_nodes &&
		fab->nodes[node]->kind == FAB_NODE_HOST;
}

int
fab_fabric_add_flow(struct fab_fabric *fab, const struct fab_flow_conf *conf)
{
	struct fabric_flow *f;
	uint32_t mtu;

	if (fab == NULL || conf == NULL)
		return -EINVAL;
	if (fab->started || fab->start_failed)
		return fabric_fail(fab, -EBUSY, "add flow: the fabric has started");
	if (!is_host(fab, conf->src) || !is_host(fab, conf->dst))
		return fabric_fail(fab, -EINVAL, "flow: source %d and destination %d must be hosts",
			conf->src, conf->dst);
	if (conf->src == conf->dst)
		return fabric_fail(fab, -EINVAL, "flow: %s to itself", fab->nodes[conf->src]->name);
	if (fab->nodes[conf->src]->host->conf.l3 != fab->nodes[conf->dst]->host->conf.l3)
		return fabric_fail(fab, -EINVAL, "flow %s to %s: address families differ",
			fab->nodes[conf->src]->name, fab->nodes[conf->dst]->name);
	if (conf->qpn == 1 || conf->qpn > FAB_QPN_MASK)
		return fabric_fail(fab, -EINVAL, "flow %s to %s: QPN %u is not in 2..0xffffff",
			fab->nodes[conf->src]->name, fab->nodes[conf->dst]->name, conf->qpn);
	mtu = conf->mtu != 0 ? conf->mtu : FAB_FABRIC_DEFAULT_MTU;
	if (mtu < 256 || mtu > 4096 || (mtu & (mtu - 1)) != 0)
		return fabric_fail(fab, -EINVAL, "flow %s to %s: MTU %u is not 256..4096, a power of two",
			fab->nodes[conf->src]->name, fab->nodes[conf->dst]->name, mtu);
	if (conf->dscp > 63 || conf->ecn > 2)
		return fabric_fail(fab, -EINVAL, "flow %s to %s: DSCP %u / ECN %u out of range",
			fab->nodes[conf->src]->name, fab->nodes[conf->dst]->name, conf->dscp,
			conf->ecn);
	if (grow((void **)&fab->flows, &fab->cap_flows, fab->nb_flows + 1,
			sizeof(*fab->flows)) < 0)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	f = &fab->flows[fab->nb_flows];
	memset(f, 0, sizeof(*f));
	f->conf = *conf;
	f->conf.mtu = mtu;
	f->mtu = mtu;
	f->src = (uint32_t)conf->src;
	f->dst = (uint32_t)conf->dst;
	f->total = conf->bytes != 0 ? conf->bytes : UINT64_MAX;
	return (int)fab->nb_flows++;
}

uint64_t
fab_fabric_now(const struct fab_fabric *fab)
{
	return fab->now;
}

struct fab_clock *
fab_fabric_clock(struct fab_fabric *fab)
{
	return fab->clock;
}

unsigned int
fab_fabric_nb_nodes(const struct fab_fabric *fab)
{
	return fab->nb_nodes;
}

unsigned int
fab_fabric_nb_links(const struct fab_fabric *fab)
{
	return fab->nb_links;
}

unsigned int
fab_fabric_nb_flows(const struct fab_fabric *fab)
{
	return fab->nb_flows;
}

int
fab_fabric_node_by_name(const struct fab_fabric *fab, const char *name)
{
	uint32_t i;

	for (i = 0; name != NULL && i < fab->nb_nodes; i++)
		if (strcmp(fab->nodes[i]->name, name) == 0)
			return (int)i;
	return -ENOENT;
}

const char *
fab_fabric_node_name(const struct fab_fabric *fab, int node)
{
	return node >= 0 && (uint32_t)node < fab->nb_nodes ? fab->nodes[node]->name : NULL;
}

int
fab_fabric_node_kind(const struct fab_fabric *fab, int node)
{
	return node >= 0 && (uint32_t)node < fab->nb_nodes ? (int)fab->nodes[node]->kind :
		-EINVAL;
}

int
fab_fabric_node_id(const struct fab_fabric *fab, int node)
{
	uint32_t i, id = 0;

	if (node < 0 || (uint32_t)node >= fab->nb_nodes)
		return -EINVAL;
	if (fab->started)
		return (int)fab->nodes[node]->id;
	/* Before start: the rank the name will have. */
	for (i = 0; i < fab->nb_nodes; i++)
		if (strcmp(fab->nodes[i]->name, fab->nodes[node]->name) < 0)
			id++;
	return (int)id;
}

struct fab_switch *
fab_fabric_switch(const struct fab_fabric *fab, int node)
{
	return node >= 0 && (uint32_t)node < fab->nb_nodes ? fab->nodes[node]->sw : NULL;
}

struct fab_link *
fab_fabric_link(const struct fab_fabric *fab, int link)
{
	return link >= 0 && (uint32_t)link < fab->nb_links ? fab->links[link].link : NULL;
}

uint32_t
fab_fabric_max_frame_len(const struct fab_fabric *fab)
{
	return fab->max_frame_len;
}
