/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The fabric loop: an indexed min-heap of nodes keyed by (next event time,
 * node id). Pop the earliest, run only that node, put it back with its own
 * next event, and lower the keys of the peers it sent frames to.
 */

#include <errno.h>

#include "fab_fabric_private.h"

static inline void
node_poll(struct fab_fabric *fab, struct fabric_node *n, uint64_t t)
{
	if (n->kind == FAB_NODE_SWITCH)
		fab_switch_poll(n->sw, t);
	else
		fabric_host_poll(fab, n, t);
}

/*
 * A frame the node put on a link is due at the peer no earlier than the
 * peer's key unless the link was empty towards it (delivery times on one
 * link never go back): only then can the peer's key drop, to the frame's
 * arrival or, for a host that takes it later, to then.
 */
static inline void
wake_peers(struct fab_fabric *fab, const struct fabric_node *n)
{
	uint16_t p;

	for (p = 0; p < n->nb_ports; p++) {
		const struct fabric_port *fp = &n->ports[p];
		uint64_t d = fab_link_next_delivery(fab->links[fp->link].link, 1u - fp->end);
		const struct fabric_node *peer;
		uint64_t key;

		if (d == UINT64_MAX)
			continue;
		peer = fab->nodes[fp->peer];
		key = fab_heap_key(fab->heap, peer->id);
		if (d >= key)
			continue;
		if (peer->kind == FAB_NODE_HOST)
			d = fabric_host_rx_wake(fab, peer, d, key);
		if (d < key)
			fab_heap_set(fab->heap, peer->id, d);
	}
}

int
fab_fabric_run(struct fab_fabric *fab, uint64_t until_ps)
{
	uint64_t limit = until_ps, horizon = 0, t;
	uint32_t id;
	int ret;

	if (fab == NULL)
		return -EINVAL;
	ret = fab_fabric_start(fab);
	if (ret < 0)
		return ret;
	if (fab->conf.max_time_ps != 0 && fab->conf.max_time_ps < limit)
		limit = fab->conf.max_time_ps;
	/* A host defers arrivals only to an event of this run: none is left at its end. */
	fab->run_limit = limit;
	fab->run_bounded = until_ps != UINT64_MAX;

	while (fab_heap_top(fab->heap, &id, &t) == 0) {
		struct fabric_node *n = fab->nodes[fab->by_id[id]];
		uint64_t end, next, tn = t;
		uint32_t same = 0;

		if (t > limit) {
			if (limit > fab->now) {
				fab->now = limit;
				fab_clock_set(fab->clock, limit);
			}
			return 1;
		}
		fab->now = t;
		fab_clock_set(fab->clock, t);
		fab->pops++;
		/*
		 * Events of this node before t + lookahead cannot depend on any
		 * other node: run them now, without going back to the heap.
		 */
		end = fab->conf.no_lookahead || n->lookahead_ps > UINT64_MAX - t ? t + 1 :
			t + n->lookahead_ps;
		if (end > limit && limit != UINT64_MAX)
			end = limit + 1;
		for (;;) {
			node_poll(fab, n, tn);
			fab->events++;
			next = fabric_node_next_event(fab, n, tn);
			if (next == tn) {
				if (++same >= FABRIC_MAX_SAME_TIME_RUNS)
					return fabric_fail(fab, -ELOOP,
						"%s keeps asking to run at %llu ps", n->name,
						(unsigned long long)tn);
			} else {
				same = 0;
			}
			if (next >= end)
				break;
			tn = next;
		}
		if (tn > horizon)
			horizon = tn;
		if (next == UINT64_MAX)
			fab_heap_remove(fab->heap, id);
		else
			fab_heap_set(fab->heap, id, next);
		wake_peers(fab, n);
	}
	/* Idle: time stands at the last event run (a window may have gone past the last pop). */
	if (until_ps != UINT64_MAX && limit > horizon)
		horizon = limit;
	if (horizon > fab->now) {
		fab->now = horizon;
		fab_clock_set(fab->clock, horizon);
	}
	return 0;
}

uint64_t
fab_fabric_next_event(const struct fab_fabric *fab)
{
	uint64_t t;

	if (fab == NULL || fab->heap == NULL || fab_heap_top(fab->heap, NULL, &t) != 0)
		return UINT64_MAX;
	return t;
}
