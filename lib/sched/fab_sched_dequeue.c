/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include "fab_sched.h"
#include <rte_prefetch.h>

#include "fab_sched_private.h"

/* select_next() results besides a class number. */
#define SEL_NONE (-1)
#define SEL_CTRL FAB_NUM_PRIO

/*
 * When a dequeue call first saw the head frame of @p q; a frame no call has
 * seen yet counts as arriving at @p now.
 */
static inline uint64_t
head_seen_ps(const struct fab_sched_queue *q, uint64_t now)
{
	return q->seen != q->head ? q->slot[q->head & q->mask].seen_ps : now;
}

/*
 * Earliest time >= @p t at which the head frame of class @p q may start:
 * not before it arrived, and not inside a pause that covers that moment.
 */
static inline uint64_t
head_ready_ps(const struct fab_sched_queue *q, uint64_t t, uint64_t now)
{
	uint64_t x = RTE_MAX(t, head_seen_ps(q, now));

	if (x >= q->pause_start && x < q->paused_until)
		x = q->paused_until;
	return x;
}

/*
 * The classes whose head frame may start at @p t, and in *next the
 * earliest later time some other head frame could (UINT64_MAX if none).
 */
static inline uint8_t
classes_ready_at(const struct fab_sched *s, uint64_t t, uint64_t now, uint64_t *next)
{
	uint64_t first = UINT64_MAX;
	uint8_t mask = s->nonempty, ready = 0;

	while (mask != 0) {
		unsigned int c = (unsigned int)__builtin_ctz(mask);
		uint64_t x = head_ready_ps(&s->cls[c], t, now);

		mask &= (uint8_t)(mask - 1);
		if (x == t)
			ready |= (uint8_t)(1u << c);
		else if (x < first)
			first = x;
	}
	*next = first;
	return ready;
}

/*
 * An emptied queue starts again at its first slot (every index is behind
 * it: head == seen == tail). Frames then cycle through the few slots a burst
 * needs, which stay in the caches, instead of walking the whole ring
 * (megabytes for a deep buffer) and pushing everything else out on the way.
 */
static inline void
rewind_empty(struct fab_sched_queue *q)
{
	q->head = 0;
	q->tail = 0;
	q->seen = 0;
}

/* Stamp the frames of @p q that no call has seen before with @p now. */
static inline void
stamp_arrivals(struct fab_sched_queue *q, uint64_t now)
{
	while (q->seen != q->tail) {
		q->slot[q->seen & q->mask].seen_ps = now;
		q->seen++;
	}
}

static inline void
dwrr_end_turn(struct fab_sched *s)
{
	s->dwrr_cur = s->dwrr_next[s->dwrr_cur];
	s->dwrr_in_turn = false;
}

/*
 * Deficit round robin (Shreedhar and Varghese, SIGCOMM 1995): a class receives its
 * quantum when its turn begins and sends head frames while they fit its
 * deficit; the turn passes on when the head does not fit. Classes that are
 * empty or paused are passed over without receiving a quantum. @p ready
 * holds at least one DWRR class, so the loop ends: every full round adds a
 * quantum to each ready class.
 */
static inline unsigned int
dwrr_pick(struct fab_sched *s, uint8_t ready)
{
	for (;;) {
		unsigned int c = s->dwrr_cur;
		struct fab_sched_queue *q = &s->cls[c];

		if ((ready & (1u << c)) == 0) {
			/*
			 * Pass the turn on to the next ready class at once: the
			 * ring is the DWRR classes in ascending order, @p ready
			 * holds DWRR classes only, and passing a class that is
			 * not ready changes nothing but the turn.
			 */
			uint8_t after = (uint8_t)(ready & (0xfeu << c));

			s->dwrr_cur = (uint8_t)__builtin_ctz(after != 0 ? after : ready);
			s->dwrr_in_turn = false;
			continue;
		}
		if (!s->dwrr_in_turn) {
			q->deficit += q->quantum;
			s->dwrr_in_turn = true;
		}
		if (q->slot[q->head & q->mask].frame_len <= q->deficit)
			return c;
		dwrr_end_turn(s);
	}
}

/*
 * The next frame to start at *t or, when none may start then, at the
 * earliest later time one may, as long as that is <= @p now (moving *t).
 */
static inline int
select_next(struct fab_sched *s, uint64_t *t, uint64_t now)
{
	for (;;) {
		uint64_t next, ctrl_at = UINT64_MAX;
		uint8_t ready, strict;

		if (fab_sched_queue_count(&s->ctrl) != 0) {
			ctrl_at = RTE_MAX(*t, head_seen_ps(&s->ctrl, now));
			if (ctrl_at == *t)
				return SEL_CTRL;
		}
		ready = classes_ready_at(s, *t, now, &next);
		if (ready != 0) {
			strict = ready & s->strict_mask;
			if (strict != 0)
				return 31 - __builtin_clz(strict);
			return (int)dwrr_pick(s, ready);
		}
		next = RTE_MIN(next, ctrl_at);
		if (next > now)
			return SEL_NONE;
		*t = next;
	}
}

/*
 * Wire occupancy of a frame. Integral rates multiply; others divide and
 * carry the remainder, so a busy period's end is exactly
 * floor(total bits / rate) after its start.
 */
static inline uint64_t
wire_ps(struct fab_sched *s, uint32_t frame_len)
{
	uint64_t bytes = (uint64_t)frame_len + FAB_ETH_WIRE_OVERHEAD;
	uint64_t w;

	if (likely(s->ps_per_byte != 0))
		return bytes * s->ps_per_byte;
	if (likely(bytes <= (UINT64_MAX - s->rate_bps) / (8 * FAB_PS_PER_SEC_SCHED))) {
		uint64_t num = bytes * 8 * FAB_PS_PER_SEC_SCHED + s->wire_rem;

		w = num / s->rate_bps;
		s->wire_rem = num - w * s->rate_bps;
	} else {
		unsigned __int128 num = (unsigned __int128)bytes * 8 * FAB_PS_PER_SEC_SCHED +
			s->wire_rem;

		w = (uint64_t)(num / s->rate_bps);
		s->wire_rem = (uint64_t)(num - (unsigned __int128)w * s->rate_bps);
	}
	return w;
}

/* Take the head frame of the queue select_next() chose. */
static inline struct rte_mbuf *
take_frame(struct fab_sched *s, int sel, uint32_t *frame_len, uint32_t *tag)
{
	struct fab_sched_queue *q = sel == SEL_CTRL ? &s->ctrl : &s->cls[sel];
	uint32_t idx = q->head & q->mask;
	struct rte_mbuf *m = q->slot[idx].m;
	uint32_t len = q->slot[idx].frame_len;

	*tag = q->slot[idx].tag;
	/*
	 * A frame queued behind a deep queue left the caches long ago, and the
	 * caller reads its mbuf and headers at once. A shaped queue gives out
	 * one frame per transmit time, long apart: so load this one, the next
	 * one's headers (its mbuf came in at the previous take) and the mbuf
	 * after that, each well before it is read.
	 */
	rte_prefetch0(m);
	if (q->head + 1 != q->tail) {
		rte_prefetch0(rte_pktmbuf_mtod(q->slot[(idx + 1) & q->mask].m, void *));
		if (q->head + 2 != q->tail)
			rte_prefetch0(q->slot[(idx + 2) & q->mask].m);
		/*
		 * And the ring itself further on: the slot read above for the
		 * mbuf two ahead was loaded, not prefetched, and missed when the
		 * queue was deep.
		 */
		rte_prefetch0(&q->slot[(idx + 4) & q->mask]);
	}
	q->head++;
	q->queued_bytes -= len;
	q->deq_pkts++;
	q->deq_bytes += len;
	*frame_len = len;
	if (sel == SEL_CTRL) {
		if (q->head == q->tail)
			rewind_empty(q);
		return m;
	}
	if ((s->dwrr_mask & (1u << sel)) != 0)
		q->deficit -= len;
	if (q->head == q->tail) {
		rewind_empty(q);
		s->nonempty &= (uint8_t)~(1u << sel);
		/* An empty class keeps no credit, or it could burst on return. */
		q->deficit = 0;
		if ((unsigned int)sel == s->dwrr_cur && (s->dwrr_mask & (1u << sel)) != 0)
			dwrr_end_turn(s);
	}
	return m;
}

/*
 * An unshaped port whose frames all wait in one class, with no control
 * frame due (a switch's common case): every frame of the burst starts now,
 * so the class is ready for all of them or for none, and select_next()
 * would pick it each time. DWRR still keeps its books: a head that does not
 * fit the deficit ends the turn, which comes back round to this class with
 * one more quantum. Returns -1 when the case does not apply.
 */
static inline int
dequeue_one_class(struct fab_sched *s, uint64_t now, struct rte_mbuf **out,
		uint8_t *out_cls, uint64_t *tx_done_ps, uint32_t *out_len, uint32_t *out_tag,
		uint16_t max)
{
	struct fab_sched_queue *q;
	uint32_t avail;
	uint64_t bytes = 0;
	unsigned int c;
	uint16_t n;
	bool dwrr;

	if (fab_sched_queue_count(&s->ctrl) != 0 || s->nonempty == 0 ||
			(s->nonempty & (s->nonempty - 1)) != 0)
		return -1;
	c = (unsigned int)__builtin_ctz(s->nonempty);
	q = &s->cls[c];
	if (head_ready_ps(q, now, now) != now)
		return -1;
	dwrr = ((s->strict_mask >> c) & 1) == 0;
	/* Passing the classes before it, none ready, only moves the turn. */
	if (dwrr && s->dwrr_cur != c) {
		s->dwrr_cur = (uint8_t)c;
		s->dwrr_in_turn = false;
	}
	avail = fab_sched_queue_count(q);
	if (max > avail)
		max = (uint16_t)avail;
	for (n = 0; n < max; n++) {
		const struct fab_sched_slot *sl = &q->slot[(q->head + n) & q->mask];
		uint32_t len = sl->frame_len;

		if (dwrr) {
			if (!s->dwrr_in_turn) {
				q->deficit += q->quantum;
				s->dwrr_in_turn = true;
			}
			while (len > q->deficit)
				q->deficit += q->quantum;
			q->deficit -= len;
		}
		/* The caller reads every mbuf next (see take_frame()). */
		rte_prefetch0(sl->m);
		out[n] = sl->m;
		if (out_cls != NULL)
			out_cls[n] = (uint8_t)c;
		if (tx_done_ps != NULL)
			tx_done_ps[n] = now;
		if (out_len != NULL)
			out_len[n] = len;
		if (out_tag != NULL)
			out_tag[n] = sl->tag;
		bytes += len;
	}
	q->head += n;
	q->queued_bytes -= bytes;
	q->deq_pkts += n;
	q->deq_bytes += bytes;
	s->tx_pkts += n;
	s->tx_bytes += bytes;
	if (q->head == q->tail) {
		rewind_empty(q);
		s->nonempty &= (uint8_t)~(1u << c);
		q->deficit = 0;
		if (dwrr && s->dwrr_cur == c)
			dwrr_end_turn(s);
	}
	return n;
}

static __rte_always_inline uint16_t
dequeue_burst(struct fab_sched *s, uint64_t now, struct rte_mbuf **out, uint8_t *out_cls,
		uint64_t *tx_done_ps, uint32_t *out_len, uint32_t *out_tag, uint16_t max,
		const bool shaped)
{
	uint8_t mask = s->nonempty;
	uint16_t n = 0;
	uint64_t t;

	/*
	 * Whatever is queued now arrived by now. An unshaped port starts every
	 * frame the moment it is polled, so when a frame was first seen never
	 * matters there: nothing is stamped, and the zeroed slots read as seen
	 * long ago.
	 */
	if (shaped) {
		stamp_arrivals(&s->ctrl, now);
		while (mask != 0) {
			unsigned int c = (unsigned int)__builtin_ctz(mask);

			mask &= (uint8_t)(mask - 1);
			stamp_arrivals(&s->cls[c], now);
		}
	} else {
		int one = dequeue_one_class(s, now, out, out_cls, tx_done_ps, out_len, out_tag,
			max);

		if (one >= 0)
			return (uint16_t)one;
	}
	t = shaped ? s->busy_until : now;

	while (n < max && t <= now) {
		uint64_t start = t;
		int sel = select_next(s, &start, now);
		uint32_t len, tag;

		if (sel == SEL_NONE)
			break;
		out[n] = take_frame(s, sel, &len, &tag);
		if (out_len != NULL)
			out_len[n] = len;
		if (out_tag != NULL)
			out_tag[n] = tag;
		if (out_cls != NULL)
			out_cls[n] = sel == SEL_CTRL ? FAB_SCHED_CLS_CTRL : (uint8_t)sel;
		s->tx_pkts++;
		s->tx_bytes += len;
		if (shaped) {
			uint64_t w;

			/* The wire idled: a new busy period starts on a whole ps. */
			if (start > s->busy_until)
				s->wire_rem = 0;
			w = wire_ps(s, len);
			t = start + w;
			s->busy_until = t;
			s->wire_busy_ps += w;
		}
		if (tx_done_ps != NULL)
			tx_done_ps[n] = t;
		n++;
	}
	return n;
}

uint16_t
fab_sched_dequeue_burst_tagged(struct fab_sched *s, uint64_t now, struct rte_mbuf **out,
		uint8_t *out_cls, uint64_t *tx_done_ps, uint32_t *out_len, uint32_t *out_tag,
		uint16_t max)
{
	if (s->rate_bps == 0)
		return dequeue_burst(s, now, out, out_cls, tx_done_ps, out_len, out_tag, max,
			false);
	return dequeue_burst(s, now, out, out_cls, tx_done_ps, out_len, out_tag, max, true);
}

uint16_t
fab_sched_dequeue_burst(struct fab_sched *s, uint64_t now, struct rte_mbuf **out,
		uint8_t *out_cls, uint64_t *tx_done_ps, uint16_t max)
{
	return fab_sched_dequeue_burst_tagged(s, now, out, out_cls, tx_done_ps, NULL, NULL,
		max);
}

uint64_t
fab_sched_next_event(const struct fab_sched *s, uint64_t now)
{
	uint64_t t, next, ctrl_at = UINT64_MAX;

	if (fab_sched_is_empty(s))
		return UINT64_MAX;
	/* As fab_sched_dequeue_burst() would look, frames not yet seen arriving now. */
	t = s->rate_bps != 0 ? s->busy_until : now;
	if (fab_sched_queue_count(&s->ctrl) != 0)
		ctrl_at = RTE_MAX(t, head_seen_ps(&s->ctrl, now));
	if (classes_ready_at(s, t, now, &next) != 0)
		return RTE_MAX(t, now);
	next = RTE_MIN(next, ctrl_at);
	return RTE_MAX(next, now);
}
