/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* The per-packet path: admit, release, and the XOFF/XON decisions. */

#include <errno.h>

#include <rte_branch_prediction.h>

#include "fab_mmu_private.h"

static inline void
event_clear(struct fab_mmu_event *ev)
{
	if (ev != NULL) {
		ev->xoff = false;
		ev->xon = false;
	}
}

static inline void
event_set(struct fab_mmu_event *ev, bool xoff, uint16_t port, uint8_t pg,
		const struct fab_mmu_pg *g)
{
	if (ev == NULL)
		return;
	ev->xoff = xoff;
	ev->xon = !xoff;
	ev->port = port;
	ev->pg = pg;
	ev->prio_mask = g->prio_mask;
}

static inline void
count_drop(struct fab_mmu *mmu, struct fab_mmu_pg *g, enum fab_mmu_verdict v,
		uint32_t bytes)
{
	g->drop_pkts[v]++;
	g->drop_bytes[v] += bytes;
	mmu->drop_pkts[v]++;
	mmu->drop_bytes[v] += bytes;
}

/* Book @p n admitted packets, @p bytes in all, split over the group's regions. */
static inline void
account_admitted(struct fab_mmu *mmu, struct fab_mmu_pg *g, struct fab_mmu_queue *q,
		uint32_t n, uint64_t bytes, uint64_t to_reserved, uint64_t to_shared,
		uint64_t to_headroom)
{
	uint64_t used;

	g->reserved_used += to_reserved;
	g->shared_used += to_shared;
	g->headroom_used += to_headroom;
	mmu->pool_used += to_shared;
	q->bytes += bytes;
	/* Every use only grew: its value now is the largest it took. */
	used = g->reserved_used + g->shared_used + g->headroom_used;
	if (used > g->watermark)
		g->watermark = used;
	if (g->headroom_used > g->headroom_watermark)
		g->headroom_watermark = g->headroom_used;
	if (q->bytes > q->watermark)
		q->watermark = q->bytes;
	if (mmu->pool_used > mmu->pool_watermark)
		mmu->pool_watermark = mmu->pool_used;
	g->admit_pkts += n;
	g->admit_bytes += bytes;
	mmu->admit_pkts += n;
	mmu->admit_bytes += bytes;
}

enum fab_mmu_verdict
fab_mmu_admit(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg, uint16_t out_port,
		uint8_t cls, uint32_t bytes, struct fab_mmu_event *ev)
{
	struct fab_mmu_pg *g;
	struct fab_mmu_queue *q;
	enum fab_mmu_verdict verdict = FAB_MMU_ADMIT;
	uint64_t to_reserved, rest, to_shared = 0, to_headroom = 0;
	bool raise_xoff = false;

	event_clear(ev);
	if (unlikely(in_port >= mmu->nb_ports || out_port >= mmu->nb_ports ||
			pg >= FAB_NUM_PRIO || cls >= FAB_NUM_PRIO)) {
		mmu->drop_pkts[FAB_MMU_DROP_INVALID]++;
		mmu->drop_bytes[FAB_MMU_DROP_INVALID] += bytes;
		return FAB_MMU_DROP_INVALID;
	}
	g = &mmu->pg[in_port * FAB_NUM_PRIO + pg];
	q = &mmu->queue[out_port * FAB_NUM_PRIO + cls];

	to_reserved = g->reserved_size - g->reserved_used;
	if (to_reserved > bytes)
		to_reserved = bytes;
	rest = bytes - to_reserved;
	if (rest != 0) {
		if (g->shared_used + rest <= fab_mmu_pg_limit(mmu, g)) {
			to_shared = rest;
		} else if (!g->lossless) {
			verdict = FAB_MMU_DROP_INGRESS;
		} else {
			/* Over its shared limit: the peer must stop, whatever becomes of this packet. */
			raise_xoff = !g->paused;
			if (g->headroom_used + rest <= g->xoff_size)
				to_headroom = rest;
			else
				verdict = FAB_MMU_DROP_HEADROOM;
		}
	}
	/* Both limits see the pool as it was before this packet. */
	if (verdict == FAB_MMU_ADMIT && q->bytes + bytes > fab_mmu_queue_limit(mmu, q))
		verdict = FAB_MMU_DROP_EGRESS;

	if (raise_xoff) {
		g->paused = true;
		g->xoff_count++;
		mmu->xoff_count++;
		event_set(ev, true, in_port, pg, g);
	}
	if (verdict != FAB_MMU_ADMIT) {
		count_drop(mmu, g, verdict, bytes);
		if (verdict == FAB_MMU_DROP_EGRESS) {
			q->drop_pkts++;
			q->drop_bytes += bytes;
		}
		return verdict;
	}

	account_admitted(mmu, g, q, 1, bytes, to_reserved, to_shared, to_headroom);
	return FAB_MMU_ADMIT;
}

int
fab_mmu_admit_run(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg, uint16_t out_port,
		uint8_t cls, uint32_t n, uint64_t bytes)
{
	struct fab_mmu_pg *g;
	struct fab_mmu_queue *q;
	uint64_t to_reserved, rest, pool_free;

	if (unlikely(in_port >= mmu->nb_ports || out_port >= mmu->nb_ports ||
			pg >= FAB_NUM_PRIO || cls >= FAB_NUM_PRIO))
		return -EAGAIN;
	g = &mmu->pg[in_port * FAB_NUM_PRIO + pg];
	q = &mmu->queue[out_port * FAB_NUM_PRIO + cls];
	to_reserved = RTE_MIN(g->reserved_size - g->reserved_used, bytes);
	rest = bytes - to_reserved;
	pool_free = mmu->pool_bytes - mmu->pool_used;
	/*
	 * Each packet's test compares a use that only grows with a limit that
	 * only shrinks as the run is admitted: the whole run measured against
	 * the limits left after it bounds every one of them.
	 */
	if (rest != 0 && (rest > pool_free || g->shared_used + rest >
			fab_mmu_threshold(g->th_mode, g->dynamic_th, g->static_th,
				pool_free - rest)))
		return -EAGAIN;
	if (q->bytes + bytes > fab_mmu_threshold(q->th_mode, q->dynamic_th, q->static_th,
			pool_free - rest))
		return -EAGAIN;

	account_admitted(mmu, g, q, n, bytes, to_reserved, rest, 0);
	return 0;
}

/* Resume a paused group if its rule holds; true if it did. */
static inline bool
try_xon(struct fab_mmu *mmu, struct fab_mmu_pg *g, uint16_t port, uint8_t pg,
		struct fab_mmu_event *ev)
{
	if (!g->paused || !fab_mmu_xon_ready(g->headroom_used, g->shared_used,
			fab_mmu_pg_limit(mmu, g), g->xon, g->xon_offset))
		return false;
	g->paused = false;
	g->xon_count++;
	mmu->xon_count++;
	event_set(ev, false, port, pg, g);
	return true;
}

void
fab_mmu_release(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg, uint16_t out_port,
		uint8_t cls, uint32_t bytes, struct fab_mmu_event *ev)
{
	struct fab_mmu_pg *g;
	struct fab_mmu_queue *q;
	uint64_t rest = bytes, part;

	event_clear(ev);
	if (unlikely(in_port >= mmu->nb_ports || out_port >= mmu->nb_ports ||
			pg >= FAB_NUM_PRIO || cls >= FAB_NUM_PRIO)) {
		mmu->release_errors++;
		return;
	}
	g = &mmu->pg[in_port * FAB_NUM_PRIO + pg];
	q = &mmu->queue[out_port * FAB_NUM_PRIO + cls];

	/*
	 * Reverse order of admission, as an ASIC's group counters drain: the
	 * headroom empties first, so XON can come while the queue still holds
	 * the packets that went to shared, and the link does not idle.
	 */
	part = rest < g->headroom_used ? rest : g->headroom_used;
	g->headroom_used -= part;
	rest -= part;
	part = rest < g->shared_used ? rest : g->shared_used;
	g->shared_used -= part;
	mmu->pool_used -= part;
	rest -= part;
	part = rest < g->reserved_used ? rest : g->reserved_used;
	g->reserved_used -= part;
	rest -= part;
	if (unlikely(rest != 0 || q->bytes < bytes)) {
		mmu->release_errors++;
		q->bytes = q->bytes < bytes ? 0 : q->bytes - bytes;
	} else {
		q->bytes -= bytes;
	}
	try_xon(mmu, g, in_port, pg, ev);
}

int
fab_mmu_release_run(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg, uint16_t out_port,
		uint8_t cls, uint64_t bytes, struct fab_mmu_event *ev)
{
	struct fab_mmu_pg *g;
	struct fab_mmu_queue *q;
	uint64_t part;

	event_clear(ev);
	if (unlikely(in_port >= mmu->nb_ports || out_port >= mmu->nb_ports ||
			pg >= FAB_NUM_PRIO || cls >= FAB_NUM_PRIO))
		return -EAGAIN;
	g = &mmu->pg[in_port * FAB_NUM_PRIO + pg];
	q = &mmu->queue[out_port * FAB_NUM_PRIO + cls];
	if (unlikely(q->bytes < bytes ||
			g->headroom_used + g->shared_used + g->reserved_used < bytes))
		return -EAGAIN;
	/* Draining in order, headroom then shared then reserved, adds up over packets. */
	part = RTE_MIN(bytes, g->headroom_used);
	g->headroom_used -= part;
	bytes -= part;
	q->bytes -= part;
	part = RTE_MIN(bytes, g->shared_used);
	g->shared_used -= part;
	mmu->pool_used -= part;
	bytes -= part;
	q->bytes -= part;
	g->reserved_used -= bytes;
	q->bytes -= bytes;
	/* Resuming only gets easier as bytes leave: due after the run iff due at some packet. */
	try_xon(mmu, g, in_port, pg, ev);
	return 0;
}

int
fab_mmu_check_xon(struct fab_mmu *mmu, uint16_t port, uint8_t pg, struct fab_mmu_event *ev)
{
	event_clear(ev);
	if (port >= mmu->nb_ports || pg >= FAB_NUM_PRIO)
		return -EINVAL;
	return try_xon(mmu, &mmu->pg[port * FAB_NUM_PRIO + pg], port, pg, ev) ? 1 : 0;
}
