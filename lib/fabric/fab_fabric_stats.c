/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Counters. The totals account for every data frame a host built, each in
 * exactly one place: received by a host, dropped (by a switch, or by a full
 * link ring), or in flight (on a wire, in a switch queue, in a host queue).
 * PFC frames are made and consumed inside the fabric and kept apart.
 */

#include <errno.h>
#include <string.h>

#include "fab_fabric_private.h"

int
fab_fabric_totals(const struct fab_fabric *fab, struct fab_fabric_totals *out)
{
	uint64_t wire_frames = 0, ctrl_sent = 0, ctrl_consumed = 0;
	uint32_t i;

	if (fab == NULL || out == NULL || !fab->started)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->now_ps = fab->now;
	out->events = fab->events;
	out->heap_pops = fab->pops;
	for (i = 0; i < fab->nb_links; i++) {
		struct fab_link_dir_stats ds;
		unsigned int d;

		wire_frames += fab_link_in_flight(fab->links[i].link);
		for (d = 0; d < 2; d++) {
			fab_link_stats(fab->links[i].link, d, &ds);
			out->link_drops += ds.ring_full;
		}
	}
	for (i = 0; i < fab->nb_nodes; i++) {
		const struct fabric_node *n = fab->nodes[i];

		if (n->kind == FAB_NODE_HOST) {
			const struct fabric_host *h = n->host;
			unsigned int c;

			out->host_tx += h->st.tx_frames;
			out->host_rx += h->st.rx_frames;
			out->host_nombuf += h->st.nombuf;
			ctrl_consumed += h->st.pfc_frames;
			for (c = 0; c < FAB_NUM_PRIO; c++)
				out->in_hosts += fab_sched_queue_pkts(h->sched, (uint8_t)c);
		} else {
			struct fab_switch_port_stats st;
			uint64_t data_drops;

			fab_switch_total_stats(n->sw, fab->now, &st);
			/* A PFC frame the switch could not build is counted as a drop too. */
			data_drops = st.drops - st.drop[FAB_SW_DROP_RX_NOMBUF];
			out->switch_drops += data_drops;
			out->in_switches += st.rx_pkts - st.consumed_pkts - data_drops -
				(st.tx_pkts - st.tx_ctrl_pkts);
			out->packet_hops += st.tx_pkts;
			out->pfc_frames += st.tx_ctrl_pkts;
			out->ecn_marked += st.ecn_marked;
			ctrl_sent += st.tx_ctrl_pkts;
			ctrl_consumed += st.consumed_pkts;
		}
	}
	/* PFC frames still on a wire: sent by a switch, not yet taken by the peer. */
	out->in_links = wire_frames - (ctrl_sent - ctrl_consumed);
	out->drops = out->switch_drops + out->link_drops;
	out->in_flight = out->in_links + out->in_switches + out->in_hosts;
	return 0;
}

int
fab_fabric_flow_stats(const struct fab_fabric *fab, int flow, struct fab_flow_stats *out)
{
	if (fab == NULL || out == NULL || flow < 0 || (uint32_t)flow >= fab->nb_flows)
		return -EINVAL;
	*out = fab->flows[flow].st;
	out->qpn = fab->flows[flow].conf.qpn;
	if (!fab->started) {
		out->first_tx_ps = UINT64_MAX;
		out->first_rx_ps = UINT64_MAX;
	}
	return 0;
}

int
fab_fabric_host_stats(const struct fab_fabric *fab, int node, struct fab_host_stats *out)
{
	const struct fabric_host *h;
	struct fab_sched_stats ss;
	unsigned int c;

	if (fab == NULL || out == NULL || !fab->started || node < 0 ||
			(uint32_t)node >= fab->nb_nodes || fab->nodes[node]->kind != FAB_NODE_HOST)
		return -EINVAL;
	h = fab->nodes[node]->host;
	*out = h->st;
	fab_sched_stats(h->sched, fab->now, &ss);
	out->queued = 0;
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		out->paused_ps[c] = ss.cls[c].paused_ps;
		out->queued += ss.cls[c].queued_pkts;
	}
	return 0;
}
