/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The poll loop's entry points, the event horizon, and counters. */

#include <errno.h>
#include <string.h>

#include "fab_switch_private.h"

/*
 * Bit i: due[i] <= now, for n <= 64 words. Without a branch per port: which
 * of a leaf's two dozen ports are due changes from one event to the next,
 * and a mispredicted test per port cost more than the compares.
 */
static inline uint64_t
due_mask(const uint64_t *due, unsigned int n, uint64_t now)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		m |= (uint64_t)(due[i] <= now) << i;
	return m;
}

/* Ingress of every port with a frame due, in port order. */
static unsigned int
poll_rx(struct fab_switch *sw, uint64_t now)
{
	unsigned int work = 0;
	uint16_t base, p;

	for (base = 0; base < sw->nb_ports; base += 64) {
		unsigned int n = RTE_MIN(64, sw->nb_ports - base);
		uint64_t m = 0;

		/* A virtual-time port says when its next frame lands; a real one says 0. */
		if (sw->rx_due_bound) {
			m = due_mask(&sw->rx_due[base], n, now);
		} else {
			for (p = 0; p < n; p++)
				if (fab_port_next_rx_ps(sw->ports[base + p].port) <= now)
					m |= (uint64_t)1 << p;
		}
		/* Ingress sends nothing, so no port's next arrival moves meanwhile. */
		while (m != 0) {
			struct rte_mbuf *pkts[FAB_SWITCH_BURST];
			uint16_t k;

			p = (uint16_t)(base + __builtin_ctzll(m));
			m &= m - 1;
			k = fab_port_rx_burst(sw->ports[p].port, now, pkts, FAB_SWITCH_BURST);
			if (k != 0) {
				sw_ingress(sw, p, pkts, k, now);
				work += k;
			}
		}
	}
	return work;
}

/*
 * Egress of every port with work due, in port order. A port touched by an
 * egress earlier in this pass (a release that resumes a peer) is looked at
 * afresh when its turn comes, as when every port was visited. With the
 * watchdog on, every port is visited: it samples each one.
 */
static unsigned int
poll_egress(struct fab_switch *sw, uint64_t now)
{
	unsigned int work = 0;
	uint16_t base;

	for (base = 0; base < sw->nb_ports; base += 64) {
		unsigned int n = RTE_MIN(64, sw->nb_ports - base);
		uint64_t all = n == 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
		uint64_t m = sw->wd_enabled ? all : due_mask(&sw->eg_due[base], n, now);

		while (m != 0) {
			unsigned int b = (unsigned int)__builtin_ctzll(m);
			uint32_t touches = sw->eg_touches;

			m &= m - 1;
			work += sw_egress(sw, (uint16_t)(base + b), now);
			if (unlikely(sw->eg_touches != touches) && b < 63)
				m |= due_mask(&sw->eg_due[base], n, now) & (UINT64_MAX << (b + 1));
		}
	}
	return work;
}

unsigned int
fab_switch_poll(struct fab_switch *sw, uint64_t now)
{
	unsigned int work = poll_rx(sw, now);

	return work + poll_egress(sw, now);
}

uint64_t
fab_switch_next_event(const struct fab_switch *sw, uint64_t now)
{
	uint64_t t = UINT64_MAX;
	uint16_t p;

	if (sw->rx_due_bound && !sw->wd_enabled) {
		/* Four minima in turn, not one chain of compares through every port. */
		uint64_t t4[4] = { UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX };

		for (p = 0; p + 4 <= sw->nb_ports; p += 4) {
			unsigned int j;

			for (j = 0; j < 4; j++) {
				uint64_t due = RTE_MIN(sw->rx_due[p + j], sw->eg_due[p + j]);

				t4[j] = RTE_MIN(t4[j], due);
			}
		}
		for (; p < sw->nb_ports; p++) {
			uint64_t due = RTE_MIN(sw->rx_due[p], sw->eg_due[p]);

			t4[0] = RTE_MIN(t4[0], due);
		}
		t4[0] = RTE_MIN(t4[0], t4[1]);
		t4[2] = RTE_MIN(t4[2], t4[3]);
		t = RTE_MIN(t4[0], t4[2]);
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

/* Frames an ethdev port's device lost before the switch saw them (a link's never). */
static void
device_drops(const struct sw_port *sp, uint64_t *nombuf, uint64_t *missed)
{
	struct fab_port_stats ps;

	*nombuf = 0;
	*missed = 0;
	if (sp->is_ethdev && fab_port_stats(sp->port, &ps) == 0) {
		*nombuf = ps.rx_nombuf;
		*missed = ps.rx_missed;
	}
}

/* The egress classes' paused time, depth and watermark (FAB_NUM_PRIO each). */
static void
port_levels(const struct sw_port *sp, uint64_t now, uint64_t *paused, uint64_t *queue,
		uint64_t *max_queue)
{
	struct fab_sched_levels lv;

	fab_sched_levels(sp->sched, now, &lv);
	memcpy(paused, lv.paused_ps, sizeof(lv.paused_ps));
	memcpy(queue, lv.queued_bytes, sizeof(lv.queued_bytes));
	memcpy(max_queue, lv.max_queued_bytes, sizeof(lv.max_queued_bytes));
}

int
fab_switch_port_stats(const struct fab_switch *sw, uint16_t i, uint64_t now,
		struct fab_switch_port_stats *out)
{
	const struct sw_port *sp;
	uint64_t nombuf, missed;

	if (sw == NULL || out == NULL || i >= sw->nb_ports)
		return -EINVAL;
	sp = &sw->ports[i];
	*out = sp->st;
	if (sp->held)
		out->rx_held_ps += now - sp->held_since;
	device_drops(sp, &nombuf, &missed);
	out->drop[FAB_SW_DROP_RX_NOMBUF] += nombuf;
	out->drop[FAB_SW_DROP_RX_MISSED] += missed;
	out->drops += nombuf + missed;
	port_levels(sp, now, out->paused_ps, out->queue_bytes, out->max_queue_bytes);
	return 0;
}

int
fab_switch_port_sample(const struct fab_switch *sw, uint16_t i, uint64_t now,
		struct fab_switch_port_sample *out)
{
	const struct sw_port *sp;
	uint64_t nombuf, missed;

	if (sw == NULL || out == NULL || i >= sw->nb_ports)
		return -EINVAL;
	sp = &sw->ports[i];
	device_drops(sp, &nombuf, &missed);
	out->tx_pkts = sp->st.tx_pkts;
	out->tx_bytes = sp->st.tx_bytes;
	out->ecn_marked = sp->st.ecn_marked;
	out->drops = sp->st.drops + nombuf + missed;
	memcpy(out->pfc_tx, sp->st.pfc_tx, sizeof(out->pfc_tx));
	port_levels(sp, now, out->paused_ps, out->queue_bytes, out->max_queue_bytes);
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
