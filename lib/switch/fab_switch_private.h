/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_SWITCH_PRIVATE_H
#define FAB_SWITCH_PRIVATE_H

#include <rte_log.h>
#include <rte_mbuf_dyn.h>

#include "fab_switch.h"
#include "fab_mmu.h"
#include "fab_pfc.h"
#include "fab_plugin.h"
#include "fab_sched.h"

extern int fab_switch_logtype;
#define SW_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_switch_logtype, "rocefab.switch: " __VA_ARGS__)

/*
 * What marking a frame CE needs, in an mbuf dynamic field: the IP header's
 * place and TOS byte. Written only for frames that may be marked (all of
 * them when marking at dequeue; those offered to the policy at enqueue).
 */
struct sw_mbuf_meta {
	uint16_t l3_off;
	uint8_t l3;
	uint8_t tos;
};

/*
 * The scheduler tag of a queued frame: its ingress port and priority group,
 * which egress needs to release its buffer without reading the mbuf.
 */
static inline uint32_t
sw_tag(uint16_t in_port, uint8_t pg)
{
	return (uint32_t)in_port << 8 | pg;
}

static inline uint16_t
sw_tag_port(uint32_t tag)
{
	return (uint16_t)(tag >> 8);
}

static inline uint8_t
sw_tag_pg(uint32_t tag)
{
	return (uint8_t)tag;
}

extern int fab_switch_dynfield_offset;

static inline struct sw_mbuf_meta *
sw_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, fab_switch_dynfield_offset, struct sw_mbuf_meta *);
}

/*
 * A port's state: the first two cache lines hold everything a forwarded
 * frame reads or counts at its ingress and egress port, so a frame costs
 * each of its ports two lines; the rest is control state.
 */
struct sw_port {
	struct fab_port *port;
	struct fab_sched *sched;
	struct fab_pfc_tx *pfc_tx;     /* NULL without lossless classes or PFC */
	void *ecn_state;               /* NULL: no ECN on this egress */
	/* Per class, the depth at or below which the policy never marks (UINT32_MAX: never). */
	uint32_t ecn_quiet[FAB_NUM_PRIO];
	struct rte_ether_addr mac;
	uint8_t trust;                 /* enum fab_conf_trust */
	bool is_ethdev;
	uint8_t pg_of[FAB_NUM_PRIO];   /* priority group of each class (the MMU's map) */
	bool passive;                  /* stop reading while we pause the peer */
	bool held;
	uint8_t wd_ignore;             /* classes whose received PFC is ignored */
	uint8_t wd_drop;               /* classes whose frames are dropped at egress */
	uint8_t wd_busy;               /* classes non-empty at the previous sample */
	struct fab_switch_port_stats st; /* what the switch counts itself: the hot five first */
	struct fab_pfc_rx *pfc_rx;
	uint64_t rate_bps;
	uint64_t held_since;
	uint32_t headroom;
	/* PFC watchdog, per egress class */
	struct fab_pfc_wd wd[FAB_NUM_PRIO];
	uint64_t wd_deq[FAB_NUM_PRIO]; /* dequeues at the previous sample */
} __rte_cache_aligned;

struct fab_switch {
	const struct fab_switch_conf *conf;
	uint16_t nb_ports;
	struct sw_port *ports;
	/*
	 * Per port, the earliest time its egress has work (a frame the
	 * scheduler releases, a PFC frame due): what fab_switch_next_event()
	 * and the egress pass read instead of visiting every port's scheduler
	 * and PFC state. 0 marks a port whose state changed since (a frame
	 * queued, a pause, an XOFF or XON), which the next egress pass visits.
	 */
	uint64_t *eg_due;
	/*
	 * Per port, when its next frame lands, kept here by the port itself
	 * (fab_port_bind_next_rx()) when every port can: rx_due_bound. The
	 * poll and fab_switch_next_event() then scan two short arrays.
	 */
	uint64_t *rx_due;
	bool rx_due_bound;
	/*
	 * Per port, when its PFC sender next has a frame due
	 * (fab_pfc_tx_next_event(), UINT64_MAX without one), kept beside the
	 * other due times so that an egress pass reads the sender only when
	 * it has something to send.
	 */
	uint64_t *pfc_due;
	uint32_t eg_touches;           /* sw_eg_touch() calls: the egress pass sees new ones */
	struct fab_route *route;
	struct fab_mmu *mmu;
	struct fab_plugin *ecn_plugin;
	struct fab_plugin *lb_plugin;
	const struct fab_ecn_ops *ecn_ops;
	const struct fab_lb_ops *lb_ops;
	void *lb_state;
	struct rte_mempool *ctrl_pool;
	uint8_t dscp_to_class[64];
	uint8_t pcp_to_class[FAB_NUM_PRIO];
	uint8_t cnp_class;
	uint8_t lossless_mask;
	bool pfc_enabled;
	bool mark_at_dequeue;
	bool wd_enabled;
	struct fab_pfc_wd_conf wd_conf;
	uint32_t mtu;
};

/* fab_switch_ingress.c */
void sw_ingress(struct fab_switch *sw, uint16_t in, struct rte_mbuf **pkts, uint16_t n,
		uint64_t now);
void sw_mmu_event_slow(struct fab_switch *sw, const struct fab_mmu_event *ev, uint64_t now);

/* Most admissions and releases change no PFC state: test inline, act out of line. */
static inline void
sw_mmu_event(struct fab_switch *sw, const struct fab_mmu_event *ev, uint64_t now)
{
	if (unlikely(ev->xoff || ev->xon))
		sw_mmu_event_slow(sw, ev, now);
}

/* The PFC sender of port @p p changed state: keep pfc_due in step. */
static inline void
sw_pfc_due_update(struct fab_switch *sw, uint16_t p)
{
	const struct fab_pfc_tx *tx = sw->ports[p].pfc_tx;

	sw->pfc_due[p] = tx != NULL ? fab_pfc_tx_next_event(tx) : UINT64_MAX;
}

/* Something changed @p p's egress: look at it in the next egress pass. */
static inline void
sw_eg_touch(struct fab_switch *sw, uint16_t p)
{
	sw->eg_due[p] = 0;
	sw->eg_touches++;
}

/* fab_switch_egress.c */
void sw_eg_due_update(struct fab_switch *sw, uint16_t p, uint64_t now);
unsigned int sw_egress(struct fab_switch *sw, uint16_t p, uint64_t now);
void sw_ecn_apply(struct fab_switch *sw, uint16_t out, struct rte_mbuf **m,
		const uint8_t *cls, const uint32_t *qbytes, uint16_t n);

/* ECT(0) or ECT(1): a frame an ECN policy may mark (Not-ECT never, CE already is). */
static inline bool
sw_is_ect(uint8_t ecn)
{
	return ecn == 1 || ecn == 2;
}

static inline void
sw_count_drop(struct sw_port *sp, enum fab_switch_drop why)
{
	sp->st.drop[why]++;
	sp->st.drops++;
}

#endif /* FAB_SWITCH_PRIVATE_H */
