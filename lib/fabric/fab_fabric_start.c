/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Start: node ids from the sorted names, pools sized from the scenario,
 * links and their port ends, switches (compact routes), hosts, and the
 * first events in the heap.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>

#include "fab_fabric_private.h"

/* Ring sizing of lib/link for a frame of this size, both directions, plus bursts. */
static uint64_t
link_frames(const struct fabric_link *l, uint64_t rate, uint32_t frame)
{
	uint64_t per_dir = (uint64_t)((unsigned __int128)l->delay_ps * rate /
		((uint64_t)(frame + FAB_ETH_WIRE_OVERHEAD) * 8) / UINT64_C(1000000000000));

	return 2 * (per_dir + 2 * FABRIC_BURST);
}

static int
assign_ids(struct fab_fabric *fab)
{
	uint32_t i, j;

	fab->by_id = calloc(fab->nb_nodes, sizeof(*fab->by_id));
	if (fab->by_id == NULL)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	/* Insertion sort of handles by name: start-up only, and names are unique. */
	for (i = 0; i < fab->nb_nodes; i++) {
		uint32_t h = i;

		for (j = i; j > 0 && strcmp(fab->nodes[fab->by_id[j - 1]]->name,
				fab->nodes[h]->name) > 0; j--)
			fab->by_id[j] = fab->by_id[j - 1];
		fab->by_id[j] = h;
	}
	for (i = 0; i < fab->nb_nodes; i++)
		fab->nodes[fab->by_id[i]]->id = i;
	return 0;
}

static int
check_topology(struct fab_fabric *fab)
{
	uint32_t i;
	uint16_t p;

	/* In id order, so that the first complaint does not depend on insertion order. */
	for (i = 0; i < fab->nb_nodes; i++) {
		const struct fabric_node *n = fab->nodes[fab->by_id[i]];

		for (p = 0; p < n->nb_ports; p++)
			if (n->ports[p].link < 0)
				return fabric_fail(fab, -ENOTCONN, "%s %s: port %s is not connected",
					n->kind == FAB_NODE_SWITCH ? "switch" : "host", n->name,
					n->kind == FAB_NODE_SWITCH ? n->swconf.ports[p].name : "0");
	}
	for (i = 0; i < fab->nb_links; i++) {
		const struct fabric_link *l = &fab->links[i];
		const struct fabric_port *pa = &fab->nodes[l->a]->ports[l->port_a];
		const struct fabric_port *pb = &fab->nodes[l->b]->ports[l->port_b];

		if (pa->rate_bps != pb->rate_bps)
			return fabric_fail(fab, -EINVAL,
				"link %s port %u - %s port %u: rates differ (%llu and %llu b/s)",
				fab->nodes[l->a]->name, l->port_a, fab->nodes[l->b]->name,
				l->port_b, (unsigned long long)pa->rate_bps,
				(unsigned long long)pb->rate_bps);
	}
	return 0;
}

static int
create_pools(struct fab_fabric *fab)
{
	uint64_t nb = fab->conf.nb_mbufs, nb_ctrl = fab->conf.nb_ctrl_mbufs, nb_whole;
	uint32_t i, max_frame = FAB_ETH_MIN_FRAME, room;
	char name[RTE_MEMPOOL_NAMESIZE];

	for (i = 0; i < fab->nb_nodes; i++)
		if (fab->nodes[i]->kind == FAB_NODE_HOST)
			max_frame = RTE_MAX(max_frame, fabric_host_max_frame(fab, fab->nodes[i]));
	max_frame = RTE_MAX(max_frame, fabric_jobs_max_frame(fab));
	max_frame = RTE_MAX(max_frame, fab->replay_max_frame);
	fab->max_frame_len = max_frame;
	room = RTE_PKTMBUF_HEADROOM + RTE_ALIGN_CEIL(max_frame, 64u);
	if (room > UINT16_MAX)
		return fabric_fail(fab, -EINVAL, "frames of %u bytes do not fit an mbuf", max_frame);
	if (nb == 0) {
		/*
		 * Enough for every switch buffer full of the largest frames, plus a
		 * quarter for the headroom that lies outside it, every wire full,
		 * and every host queue full. A fabric of tiny frames only (or
		 * none) is counted as if its frames were 1 KB.
		 */
		uint32_t count_frame = RTE_MAX(max_frame, 1024u);

		nb = 1024;
		for (i = 0; i < fab->nb_nodes; i++) {
			const struct fabric_node *n = fab->nodes[i];

			if (n->kind == FAB_NODE_SWITCH)
				nb += n->swconf.buffer.pool * 5 / 4 / count_frame + 1;
			else
				nb += (uint64_t)n->host->queue_frames * FAB_NUM_PRIO +
					(fab->nb_jobs != 0 ? FABRIC_HOST_CTRL_ROOM : 0);
		}
		for (i = 0; i < fab->nb_links; i++)
			nb += link_frames(&fab->links[i],
				fab->nodes[fab->links[i].a]->ports[fab->links[i].port_a].rate_bps,
				count_frame);
	}
	if (nb_ctrl == 0) {
		nb_ctrl = 256;
		for (i = 0; i < fab->nb_nodes; i++)
			if (fab->nodes[i]->kind == FAB_NODE_SWITCH)
				nb_ctrl += 4u * fab->nodes[i]->nb_ports;
	}
	if (2 * nb > UINT32_MAX || nb_ctrl > UINT32_MAX)
		return fabric_fail(fab, -ERANGE, "too many mbufs asked for");
	/* Only the generator and replayed traces build whole frames. */
	nb_whole = fab->nb_jobs != 0 || fab->nb_replays != 0 ? nb : FABRIC_IDLE_POOL;
	snprintf(name, sizeof(name), "fabd%u", fab->instance);
	fab->pool = fab_pkt_pool_create_packed(name, (unsigned int)nb_whole, (uint16_t)room,
		fab->conf.socket_id);
	if (fab->pool == NULL)
		return fabric_fail(fab, -rte_errno,
			"cannot create a pool of %llu mbufs of %u bytes (%llu MB): %s",
			(unsigned long long)nb_whole, room,
			(unsigned long long)(nb_whole * (room + 256) >> 20),
			rte_strerror(rte_errno));
	if (fab->nb_flows != 0) {
		/* A flow's frame: a header and an ICRC mbuf, and a body of shared zeros. */
		snprintf(name, sizeof(name), "fabh%u", fab->instance);
		fab->hdr_pool = fab_pkt_pool_create_packed(name, (unsigned int)(2 * nb),
			FABRIC_HDR_ROOM, fab->conf.socket_id);
		snprintf(name, sizeof(name), "fabz%u", fab->instance);
		if (fab->hdr_pool != NULL)
			fab->zero_pool = fab_pkt_zero_pool_create(name, (unsigned int)nb, 0,
				fab->conf.socket_id);
		if (fab->zero_pool == NULL)
			return fabric_fail(fab, -rte_errno,
				"cannot create the pools of %llu frames of shared payload: %s",
				(unsigned long long)nb, rte_strerror(rte_errno));
	}
	snprintf(name, sizeof(name), "fabc%u", fab->instance);
	fab->ctrl_pool = rte_pktmbuf_pool_create(name, (unsigned int)nb_ctrl, 0, 0,
		RTE_PKTMBUF_HEADROOM + 128, fab->conf.socket_id);
	if (fab->ctrl_pool == NULL)
		return fabric_fail(fab, -rte_errno, "cannot create the PFC frame pool: %s",
			rte_strerror(rte_errno));
	return 0;
}

static void
port_name(const struct fabric_node *n, uint16_t p, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%s", n->name,
		n->kind == FAB_NODE_SWITCH ? n->swconf.ports[p].name : "eth0");
}

/* Largest frame a port may receive: the switch's MTU, or anything a host could get. */
static uint32_t
port_max_frame(const struct fab_fabric *fab, const struct fabric_node *n)
{
	if (n->kind == FAB_NODE_SWITCH)
		return n->swconf.mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	return fab->max_frame_len;
}

static int
create_links(struct fab_fabric *fab)
{
	uint32_t i;
	int e;

	for (i = 0; i < fab->nb_links; i++) {
		struct fabric_link *l = &fab->links[i];
		struct fabric_node *end_node[2] = { fab->nodes[l->a], fab->nodes[l->b] };
		uint16_t end_port[2] = { l->port_a, l->port_b };
		char lname[2 * FAB_PORT_NAME_MAX + 2], pname[2][FAB_PORT_NAME_MAX];
		struct fab_link_conf lc = {
			.name = lname,
			.delay_ps = l->delay_ps,
			.rate_bps = end_node[0]->ports[end_port[0]].rate_bps,
			.socket_id = fab->conf.socket_id,
		};

		port_name(end_node[0], end_port[0], pname[0], sizeof(pname[0]));
		port_name(end_node[1], end_port[1], pname[1], sizeof(pname[1]));
		snprintf(lname, sizeof(lname), "%s-%s", pname[0], pname[1]);
		l->link = fab_link_create(&lc);
		if (l->link == NULL)
			return fabric_fail(fab, -rte_errno, "link %s: %s", lname,
				rte_strerror(rte_errno));
		for (e = 0; e < 2; e++) {
			struct fabric_port *fp = &end_node[e]->ports[end_port[e]];
			struct fab_port_conf pc = {
				.name = pname[e], .mac = fp->mac, .rate_bps = fp->rate_bps,
			};
			char err[256];

			fp->port = fab_link_port(l->link, (unsigned int)e, &pc,
				port_max_frame(fab, end_node[e]), err, sizeof(err));
			if (fp->port == NULL)
				return fabric_fail(fab, -rte_errno, "link %s: %s", lname, err);
		}
	}
	return 0;
}

static int
create_switch(struct fab_fabric *fab, struct fabric_node *n)
{
	struct fab_switch_conf *c = &n->swconf;
	uint64_t state = fab->conf.seed ^ n->name_hash;
	struct fab_switch_params prm = {
		.conf = c,
		.ctrl_pool = fab->ctrl_pool,
		.route_backend = FAB_ROUTE_COMPACT,
		/* One thread runs every switch: the trie walks only on a miss. */
		.route_dest_cache = FABRIC_ROUTE_DEST_CACHE,
		.queue_capacity = fab->conf.queue_capacity,
		.socket_id = fab->conf.socket_id,
	};
	char err[512];
	uint16_t p;

	/* Seeds from the fabric seed and the switch's identity, unless given. */
	if (c->seed == 0)
		c->seed = fab_rng_splitmix64(&state);
	else
		(void)fab_rng_splitmix64(&state);
	if (c->hash_seed == 0)
		c->hash_seed = fab_rng_splitmix64(&state);
	n->sw_ports = calloc(n->nb_ports, sizeof(*n->sw_ports));
	if (n->sw_ports == NULL)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	for (p = 0; p < n->nb_ports; p++)
		n->sw_ports[p] = n->ports[p].port;
	prm.ports = n->sw_ports;
	n->sw = fab_switch_create(&prm, err, sizeof(err));
	if (n->sw == NULL)
		return fabric_fail(fab, -EINVAL, "switch %s: %s", n->name, err);
	return 0;
}

static uint64_t
node_lookahead(const struct fab_fabric *fab, const struct fabric_node *n)
{
	uint64_t la = UINT64_MAX;
	uint16_t p;

	/*
	 * A peer runs no earlier than the heap's minimum and a frame it starts
	 * then ends at least one empty frame's wire time later, so nothing
	 * arrives before now + delay + that.
	 */
	for (p = 0; p < n->nb_ports; p++) {
		const struct fabric_port *fp = &n->ports[p];

		la = RTE_MIN(la, fab->links[fp->link].delay_ps +
			fab_wire_time_ps(0, fp->rate_bps));
	}
	return la == 0 ? 1 : la;
}

uint64_t
fabric_node_next_event(const struct fab_fabric *fab, const struct fabric_node *n,
		uint64_t now)
{
	if (n->kind == FAB_NODE_SWITCH)
		return fab_switch_next_event(n->sw, now);
	return fabric_host_next_event(fab, n, now);
}

int
fab_fabric_start(struct fab_fabric *fab)
{
	uint32_t i;
	int ret;

	if (fab == NULL)
		return -EINVAL;
	if (fab->started)
		return 0;
	if (fab->start_failed)
		return fabric_fail(fab, -EINVAL, "start failed before (%s)", fab->err);
	fab->start_failed = true;
	if (fab->nb_nodes == 0)
		return fabric_fail(fab, -EINVAL, "the fabric has no nodes");
	ret = assign_ids(fab);
	if (ret == 0)
		ret = check_topology(fab);
	if (ret == 0)
		ret = fabric_assign_qpns(fab);
	if (ret == 0)
		ret = fabric_replay_start(fab);
	if (ret == 0)
		ret = create_pools(fab);
	if (ret == 0)
		ret = create_links(fab);
	for (i = 0; ret == 0 && i < fab->nb_nodes; i++) {
		struct fabric_node *n = fab->nodes[fab->by_id[i]];

		n->lookahead_ps = node_lookahead(fab, n);
		ret = n->kind == FAB_NODE_SWITCH ? create_switch(fab, n) :
			fabric_host_start(fab, n);
	}
	if (ret == 0)
		ret = fabric_jobs_start(fab);
	if (ret < 0)
		return ret;
	fab->heap = fab_heap_create(fab->nb_nodes);
	if (fab->heap == NULL)
		return fabric_fail(fab, -ENOMEM, "out of memory");
	for (i = 0; i < fab->nb_nodes; i++) {
		uint64_t t = fabric_node_next_event(fab, fab->nodes[fab->by_id[i]], 0);

		if (t != UINT64_MAX)
			fab_heap_push(fab->heap, i, t);
	}
	fab->start_failed = false;
	fab->started = true;
	FABRIC_LOG(DEBUG, "%s: %u nodes, %u links, %u flows, %u mbufs of %u bytes\n",
		fab->name, fab->nb_nodes, fab->nb_links, fab->nb_flows,
		fab->pool->size, fab->max_frame_len);
	return 0;
}
