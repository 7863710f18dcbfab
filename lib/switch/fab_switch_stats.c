/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The poll loop's entry points, the event horizon, and counters. */

#include <errno.h>
#include <string.h>

#include "fab_switch_private.h"

unsigned int
fab_switch_poll(struct fab_switch *sw, uint64_t now)
{
	unsigned int work = 0;
	uint16_t p;

	for (p = 0; p < sw->nb_ports; p++) {
		struct rte_mbuf *pkts[FAB_SWITCH_BURST];
		uint16_t n;

		/* A virtual-time port says when its next frame lands; a real one says 0. */
		if ((sw->rx_due_bound ? sw->rx_due[p] : fab_port_next_rx_ps(sw->ports[p].port)) > now)
			continue;
		n = fab_port_rx_burst(sw->ports[p].port, now, pkts, FAB_SWITCH_BURST);
		if (n != 0) {
			sw_ingress(sw, p, pkts, n, now);
			work += n;
		}
	}
	/*
	 * Egress with nothing due is skipped (the watchdog samples every port).
	 * A port touched by an egress earlier in this pass (a release that
	 * resumes a peer) is read here afresh, as it was when every port was
	 * visited.
	 */
	for (p = 0; p < sw->nb_ports; p++)
		if (sw->eg_due[p] <= now || sw->wd_enabled)
			work += sw_egress(sw, p, now);
	return work;
}

uint64_t
fab_switch_next_event(const struct fab_switch *sw, uint64_t now)
{
	uint64_t t = UINT64_MAX;
	uint16_t p;

	if (sw->rx_due_bound && !sw->wd_enabled) {
		for (p = 0; p < sw->nb_ports; p++) {
			uint64_t due = RTE_MIN(sw->rx_due[p], sw->eg_due[p]);

			t = RTE_MIN(t, due);
		}
		return t < now ? now : t;
	}
	for (p = 0; p < sw->nb_ports; p++) {
		const struct sw_port *sp = &sw->ports[p];
		uint64_t r = fab_port_next_rx_ps(sp->port);

		if (r == FAB_PORT_RX_POLL)
			return now;
		t = RTE_MIN(t, r);
		t = RTE_MIN(t, sw->eg_due[p]);
		if (sw->wd_enabled) {
			int cls;

			for (cls = 0; cls < FAB_NUM_PRIO; cls++)
				if ((sw->lossless_mask >> cls) & 1)
					t = RTE_MIN(t, fab_pfc_wd_next_event(&sp->wd[cls],
						&sw->wd_conf));
		}
	}
	return t < now ? now : t;
}

bool
fab_switch_queues_empty(const struct fab_switch *sw)
{
	uint16_t p;

	for (p = 0; p < sw->nb_ports; p++)
		if (!fab_sched_is_empty(sw->ports[p].sched))
			return false;
	return true;
}

bool
fab_switch_drained(const struct fab_switch *sw)
{
	uint16_t p;

	for (p = 0; p < sw->nb_ports; p++) {
		const struct sw_port *sp = &sw->ports[p];

		if (!fab_sched_is_empty(sp->sched))
			return false;
		if (sp->pfc_tx != NULL && fab_pfc_tx_next_event(sp->pfc_tx) != FAB_PFC_NEVER) {
			int prio;

			/* A pending XON still has to go out; standing XOFFs end when queues do. */
			for (prio = 0; prio < FAB_NUM_PRIO; prio++)
				if (fab_pfc_tx_is_xoff(sp->pfc_tx, (uint8_t)prio))
					return false;
		}
	}
	return true;
}

uint16_t
fab_switch_nb_ports(const struct fab_switch *sw)
{
	return sw->nb_ports;
}

struct fab_port *
fab_switch_port(const struct fab_switch *sw, uint16_t i)
{
	return i < sw->nb_ports ? sw->ports[i].port : NULL;
}

int
fab_switch_port_stats(const struct fab_switch *sw, uint16_t i, uint64_t now,
		struct fab_switch_port_stats *out)
{
	const struct sw_port *sp;
	struct fab_sched_stats ss;
	int cls;

	if (sw == NULL || out == NULL || i >= sw->nb_ports)
		return -EINVAL;
	sp = &sw->ports[i];
	*out = sp->st;
	if (sp->held)
		out->rx_held_ps += now - sp->held_since;
	if (sp->is_ethdev) {
		struct fab_port_stats ps;

		if (fab_port_stats(sp->port, &ps) == 0) {
			out->drop[FAB_SW_DROP_RX_NOMBUF] += ps.rx_nombuf;
			out->drop[FAB_SW_DROP_RX_MISSED] += ps.rx_missed;
			out->drops += ps.rx_nombuf + ps.rx_missed;
		}
	}
	fab_sched_stats(sp->sched, now, &ss);
	for (cls = 0; cls < FAB_NUM_PRIO; cls++) {
		out->paused_ps[cls] = ss.cls[cls].paused_ps;
		out->queue_bytes[cls] = ss.cls[cls].queued_bytes;
		out->max_queue_bytes[cls] = ss.cls[cls].max_queued_bytes;
	}
	return 0;
}

void
fab_switch_total_stats(const struct fab_switch *sw, uint64_t now,
		struct fab_switch_port_stats *out)
{
	uint16_t p;

	memset(out, 0, sizeof(*out));
	for (p = 0; p < sw->nb_ports; p++) {
		struct fab_switch_port_stats s;
		const uint64_t *src = (const uint64_t *)&s;
		uint64_t *dst = (uint64_t *)out;
		size_t k;

		fab_switch_port_stats(sw, p, now, &s);
		/* Every field is a uint64_t counter: sum them as an array. */
		for (k = 0; k < sizeof(s) / sizeof(uint64_t); k++)
			dst[k] += src[k];
	}
	for (p = 0; p < FAB_NUM_PRIO; p++) {
		uint64_t max = 0;
		uint16_t q;

		for (q = 0; q < sw->nb_ports; q++) {
			struct fab_switch_port_stats s;

			fab_switch_port_stats(sw, q, now, &s);
			max = RTE_MAX(max, s.max_queue_bytes[p]);
		}
		out->max_queue_bytes[p] = max;
	}
}

static const char *const drop_names[FAB_SW_DROP_MAX] = {
	[FAB_SW_DROP_NOT_IP] = "not_ip",
	[FAB_SW_DROP_OVERSIZE] = "oversize",
	[FAB_SW_DROP_NO_ROUTE] = "no_route",
	[FAB_SW_DROP_TTL] = "ttl_expired",
	[FAB_SW_DROP_MMU_INGRESS] = "buffer_ingress",
	[FAB_SW_DROP_MMU_HEADROOM] = "buffer_headroom_overrun",
	[FAB_SW_DROP_MMU_EGRESS] = "buffer_egress",
	[FAB_SW_DROP_QUEUE_FULL] = "queue_full",
	[FAB_SW_DROP_PFC_WATCHDOG] = "pfc_watchdog",
	[FAB_SW_DROP_RX_NOMBUF] = "no_mbuf",
	[FAB_SW_DROP_RX_MISSED] = "rx_missed",
};

const char *
fab_switch_drop_name(enum fab_switch_drop reason)
{
	if ((unsigned int)reason >= FAB_SW_DROP_MAX)
		return "invalid";
	return drop_names[reason];
}

const char *
fab_switch_ecn_plugin(const struct fab_switch *sw)
{
	return fab_plugin_get_desc(sw->ecn_plugin)->name;
}

const char *
fab_switch_lb_plugin(const struct fab_switch *sw)
{
	return fab_plugin_get_desc(sw->lb_plugin)->name;
}

uint64_t
fab_switch_buffer_bytes(const struct fab_switch *sw)
{
	return fab_mmu_total_bytes(sw->mmu);
}

uint32_t
fab_switch_port_headroom(const struct fab_switch *sw, uint16_t i)
{
	return i < sw->nb_ports ? sw->ports[i].headroom : 0;
}
