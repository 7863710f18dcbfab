/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_SCHED_H
#define FAB_SCHED_H

/**
 * @file
 * The egress side of one switch port: eight class queues served by strict
 * priority and deficit weighted round robin (DWRR), a PFC pause state per
 * class, a control queue for PFC/PAUSE frames that bypasses the classes,
 * and a line-rate shaper.
 *
 * Time is in picoseconds. The wire is busy until `busy_until`; a frame of
 * L bytes (without FCS) occupies it for (L + 24) * 8 / rate seconds
 * (FCS, preamble and inter-frame gap). A frame starts when the wire is free
 * and the frame is eligible, and fab_sched_dequeue_burst() releases it once
 * that start time has come.
 *
 * Enqueue takes no time: a frame counts as arrived at the `now` of the
 * first fab_sched_dequeue_burst() call that finds it queued. Call dequeue
 * right after enqueuing, with the same `now` (as poll loops and event loops
 * do), and the shaper is exact; a frame never starts before that call.
 *
 * Single-threaded: one lcore owns a scheduler. struct fab_sched is public
 * so that enqueue and the queue-depth reads inline; its fields are internal.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "fab_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Class reported for a frame of the control queue. */
#define FAB_SCHED_CLS_CTRL 0xff
/**
 * Default DWRR base quantum in bytes: the largest jumbo frame, so that every
 * DWRR turn sends at least one frame.
 */
#define FAB_SCHED_DEFAULT_QUANTUM 9216
/** Default control-queue capacity in frames. */
#define FAB_SCHED_DEFAULT_CTRL_CAPACITY 64
/** Largest queue capacity in frames. */
#define FAB_SCHED_MAX_CAPACITY (1u << 24)

/** Parameters of one class queue. */
struct fab_sched_class_conf {
	uint32_t capacity; /**< frames; a power of two, 1 .. FAB_SCHED_MAX_CAPACITY */
	uint32_t weight;   /**< DWRR weight, at least 1 for a DWRR class; ignored when strict */
	bool strict;       /**< served before every DWRR class; higher class first */
};

/** Parameters of a scheduler. */
struct fab_sched_conf {
	const char *name;      /**< for logs; may be NULL */
	int socket_id;         /**< NUMA socket of the queues, or SOCKET_ID_ANY */
	uint64_t rate_bps;     /**< line rate; 0 = unlimited (frames leave at once) */
	uint32_t quantum_bytes;/**< DWRR base quantum; 0 = FAB_SCHED_DEFAULT_QUANTUM */
	uint32_t ctrl_capacity;/**< control queue frames, a power of two; 0 = default */
	struct fab_sched_class_conf cls[FAB_NUM_PRIO];
};

/** Counters and state of one class, as fab_sched_stats() reports them. */
struct fab_sched_class_stats {
	uint64_t enq_pkts;        /**< frames accepted */
	uint64_t enq_bytes;
	uint64_t deq_pkts;        /**< frames released to the wire */
	uint64_t deq_bytes;
	uint64_t full_pkts;       /**< frames refused with -ENOBUFS */
	uint64_t full_bytes;
	uint64_t queued_pkts;     /**< now */
	uint64_t queued_bytes;    /**< now */
	uint64_t max_queued_bytes;/**< watermark since creation or fab_sched_watermark_clear() */
	uint64_t paused_ps;       /**< time spent paused up to the `now` given */
	uint64_t paused_until;    /**< end of the current pause (0 if never paused) */
};

/** Counters of a scheduler. Bytes are frame bytes without FCS. */
struct fab_sched_stats {
	struct fab_sched_class_stats cls[FAB_NUM_PRIO];
	struct fab_sched_class_stats ctrl; /**< the control queue (never paused) */
	uint64_t tx_pkts;       /**< all frames released, control included */
	uint64_t tx_bytes;
	uint64_t wire_busy_ps;  /**< sum of wire occupancy, overheads included */
	uint64_t busy_until;    /**< wire busy until (ps) */
};

/**
 * One place of a queue's ring. The mbuf, its length and when the scheduler
 * first saw it sit together so that a dequeue touches one cache line of the
 * ring, not three.
 */
struct fab_sched_slot {
	struct rte_mbuf *m;
	uint64_t seen_ps;         /**< when a dequeue call first saw the frame */
	uint32_t frame_len;
	uint32_t tag;             /**< the caller's word (fab_sched_enqueue_tagged()) */
};

/**
 * One queue: a power-of-two ring of slots. Internal. The first cache line
 * holds all that a frame's enqueue and dequeue touch (what was accepted is
 * derived: released plus queued); pauses, quanta and refusals sit after it.
 */
struct fab_sched_queue {
	struct fab_sched_slot *slot; /**< the ring: a frame's mbuf, length and first sighting together */
	uint32_t mask;
	uint32_t head;            /**< next to leave (free-running) */
	uint32_t tail;            /**< next free slot (free-running) */
	uint32_t seen;            /**< frames before this index have seen_ps set */
	uint64_t deficit;         /**< DWRR bytes the class may still send */
	uint64_t queued_bytes;
	uint64_t max_queued_bytes;
	uint64_t deq_pkts;
	uint64_t deq_bytes;
	/* Second line. */
	uint32_t quantum;         /**< DWRR bytes per turn */
	uint64_t pause_start;     /**< the current pause took effect at */
	uint64_t paused_until;    /**< no frame may start in [pause_start, paused_until) */
	uint64_t pause_acct_from; /**< pause time before this is in paused_ps */
	uint64_t paused_ps;
	uint64_t full_pkts;
	uint64_t full_bytes;
} __rte_cache_aligned;

/** A scheduler. Public for the inline functions; fields are internal. */
struct fab_sched {
	uint64_t busy_until;   /**< the wire is free from */
	uint64_t rate_bps;
	uint64_t ps_per_byte;  /**< wire ps per byte when integral, else 0 */
	uint64_t wire_rem;     /**< carried remainder (ps * rate) of non-integral wire times */
	uint8_t nonempty;      /**< bit c: class c has frames */
	uint8_t strict_mask;
	uint8_t dwrr_mask;
	uint8_t dwrr_cur;      /**< class whose DWRR turn it is */
	uint8_t dwrr_next[FAB_NUM_PRIO]; /**< next DWRR class in round-robin order */
	bool dwrr_in_turn;     /**< dwrr_cur has received its quantum for this turn */
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t wire_busy_ps;
	struct fab_sched_queue ctrl;
	struct fab_sched_queue cls[FAB_NUM_PRIO];
	void *ring_mem;        /**< every ring, mapped from the kernel */
	size_t ring_bytes;
	int socket_id;
	char name[32];
};

/**
 * Create a scheduler and its queues (allocated here, never per packet).
 *
 * @return the scheduler, or NULL with rte_errno EINVAL (NULL conf; a
 *   capacity that is 0, not a power of two or too large; a DWRR class with
 *   weight 0; a quantum that overflows) or ENOMEM.
 */
struct fab_sched *fab_sched_create(const struct fab_sched_conf *conf);

/** Free a scheduler and every frame still queued in it; NULL is accepted. */
void fab_sched_free(struct fab_sched *s);

/** Frames in one queue (internal helper of the inline functions). */
static inline uint32_t
fab_sched_queue_count(const struct fab_sched_queue *q)
{
	return q->tail - q->head;
}

/**
 * Append a frame to one queue (internal helper of the inline functions).
 *
 * @return 0, or -ENOBUFS when the ring is full (counted).
 */
static inline int
fab_sched_queue_push(struct fab_sched_queue *q, struct rte_mbuf *m, uint32_t frame_len,
		uint32_t tag)
{
	uint32_t idx;

	if (unlikely(fab_sched_queue_count(q) > q->mask)) {
		q->full_pkts++;
		q->full_bytes += frame_len;
		return -ENOBUFS;
	}
	idx = q->tail & q->mask;
	q->slot[idx].m = m;
	q->slot[idx].frame_len = frame_len;
	q->slot[idx].tag = tag;
	q->tail++;
	q->queued_bytes += frame_len;
	if (q->queued_bytes > q->max_queued_bytes)
		q->max_queued_bytes = q->queued_bytes;
	return 0;
}

/**
 * Queue frame @p m in class @p cls.
 *
 * @param frame_len
 *   The frame's length without FCS, as the caller already knows it
 *   (meta->pkt_len); 0 reads rte_pktmbuf_pkt_len(m). Queue depth, counters
 *   and wire time all use this length.
 * @param tag
 *   A word of the caller's that fab_sched_dequeue_burst_tagged() hands back
 *   with the frame (the switch keeps the frame's ingress port and group
 *   there, so that releasing its buffer reads nothing from the mbuf).
 * @return 0; -ENOBUFS when the class ring is full (counted in full_pkts; the
 *   caller still owns the frame and frees it); -EINVAL when cls >= 8.
 */
static inline int
fab_sched_enqueue_tagged(struct fab_sched *s, uint8_t cls, struct rte_mbuf *m,
		uint32_t frame_len, uint32_t tag)
{
	int ret;

	if (unlikely(cls >= FAB_NUM_PRIO))
		return -EINVAL;
	if (frame_len == 0)
		frame_len = rte_pktmbuf_pkt_len(m);
	ret = fab_sched_queue_push(&s->cls[cls], m, frame_len, tag);
	if (likely(ret == 0))
		s->nonempty |= (uint8_t)(1u << cls);
	return ret;
}

/** fab_sched_enqueue_tagged() with tag 0. */
static inline int
fab_sched_enqueue(struct fab_sched *s, uint8_t cls, struct rte_mbuf *m, uint32_t frame_len)
{
	return fab_sched_enqueue_tagged(s, cls, m, frame_len, 0);
}

/**
 * Queue a PFC or PAUSE frame. It bypasses the classes: it starts at the
 * next frame boundary, before any class, is never paused, and occupies the
 * wire like any frame.
 *
 * @return 0, or -ENOBUFS when the control queue is full (the caller frees).
 */
static inline int
fab_sched_push_ctrl(struct fab_sched *s, struct rte_mbuf *m)
{
	return fab_sched_queue_push(&s->ctrl, m, rte_pktmbuf_pkt_len(m), 0);
}

/**
 * Release the frames whose start time has come.
 *
 * Repeatedly: stop if the wire is busy past @p now; pick the next frame (the
 * control queue first; then the highest strict class that is not empty and
 * not paused at the frame's start; then DWRR among the other such classes);
 * it starts at the later of the time the wire freed and the time it became
 * eligible (arrived, and not paused), and ends at start + wire time. A call
 * that comes late releases, back to back from when the wire freed, every
 * frame whose start time is <= @p now. With rate 0 every eligible frame
 * leaves at once with tx_done = @p now.
 *
 * @param out
 *   Frames released, in wire order; the caller transmits or frees them.
 * @param out_cls
 *   Class of each frame, FAB_SCHED_CLS_CTRL for the control queue; may be NULL.
 * @param tx_done_ps
 *   Time each frame's last bit leaves; may be NULL.
 * @return frames released (at most @p max).
 */
uint16_t fab_sched_dequeue_burst(struct fab_sched *s, uint64_t now, struct rte_mbuf **out,
		uint8_t *out_cls, uint64_t *tx_done_ps, uint16_t max);

/**
 * fab_sched_dequeue_burst() that also gives each frame's length as queued
 * (@p out_len) and its tag (@p out_tag), from the queue's own slots, so the
 * caller need not read the mbufs. Either may be NULL.
 */
uint16_t fab_sched_dequeue_burst_tagged(struct fab_sched *s, uint64_t now,
		struct rte_mbuf **out, uint8_t *out_cls, uint64_t *tx_done_ps,
		uint32_t *out_len, uint32_t *out_tag, uint16_t max);

/**
 * Earliest time >= @p now at which fab_sched_dequeue_burst() could release
 * a frame: when the wire frees if something is eligible then, else the
 * earliest pause expiry of a non-empty class; UINT64_MAX when nothing is
 * queued. A virtual-time loop may sleep exactly until then (or until a new
 * frame arrives).
 */
uint64_t fab_sched_next_event(const struct fab_sched *s, uint64_t now);

/**
 * Pause class @p cls: from @p now on it may not start a frame before
 * @p until_ps. A later call replaces the pause end (as a new PFC frame
 * restarts the pause timer); @p until_ps <= @p now resumes the class. A
 * frame already released is never recalled. Paused time is accounted
 * exactly, overlapping pauses counted once. A class >= 8 is ignored.
 */
void fab_sched_pause(struct fab_sched *s, uint8_t cls, uint64_t now, uint64_t until_ps);

/** Whether class @p cls (< 8) may not start a frame at @p t. */
static inline bool
fab_sched_is_paused(const struct fab_sched *s, uint8_t cls, uint64_t t)
{
	const struct fab_sched_queue *q = &s->cls[cls];

	return t >= q->pause_start && t < q->paused_until;
}

/**
 * Queue @p n frames in class @p cls (< 8), in order, where fab_sched_room()
 * said they fit, all with tag @p tag: the queue ends as after one
 * fab_sched_enqueue_tagged() per frame.
 *
 * @return 0; -ENOBUFS (nothing queued, nothing counted) when they do not fit.
 */
static inline int
fab_sched_enqueue_run(struct fab_sched *s, uint8_t cls, struct rte_mbuf *const *m,
		const uint32_t *frame_len, uint16_t n, uint32_t tag)
{
	struct fab_sched_queue *q = &s->cls[cls];
	uint64_t bytes = 0;
	uint16_t i;

	if (unlikely(fab_sched_queue_count(q) + n > q->mask + 1u))
		return -ENOBUFS;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct fab_sched_slot *sl = &q->slot[(q->tail + i) & q->mask];

		sl->m = m[i];
		sl->frame_len = frame_len[i];
		sl->tag = tag;
		bytes += frame_len[i];
	}
	q->tail += n;
	q->queued_bytes += bytes;
	/* Depth only grew during the run: its end is its largest. */
	if (q->queued_bytes > q->max_queued_bytes)
		q->max_queued_bytes = q->queued_bytes;
	s->nonempty |= (uint8_t)(1u << cls);
	return 0;
}

/** Frames class @p cls (< 8) can still take before fab_sched_enqueue() refuses one. */
static inline uint32_t
fab_sched_room(const struct fab_sched *s, uint8_t cls)
{
	const struct fab_sched_queue *q = &s->cls[cls];

	return q->mask + 1 - fab_sched_queue_count(q);
}

/** Bytes queued in class @p cls (for ECN marking and MMU checks); 0 for cls >= 8. */
static inline uint64_t
fab_sched_queue_bytes(const struct fab_sched *s, uint8_t cls)
{
	if (unlikely(cls >= FAB_NUM_PRIO))
		return 0;
	return s->cls[cls].queued_bytes;
}

/** Frames queued in class @p cls; 0 for cls >= 8. */
static inline uint32_t
fab_sched_queue_pkts(const struct fab_sched *s, uint8_t cls)
{
	if (unlikely(cls >= FAB_NUM_PRIO))
		return 0;
	return fab_sched_queue_count(&s->cls[cls]);
}

/** Whether nothing at all is queued, control frames included. */
static inline bool
fab_sched_is_empty(const struct fab_sched *s)
{
	return s->nonempty == 0 && fab_sched_queue_count(&s->ctrl) == 0;
}

/** The time the wire frees (the last frame's tx_done). */
static inline uint64_t
fab_sched_busy_until(const struct fab_sched *s)
{
	return s->busy_until;
}

/**
 * Read the counters. Paused time includes the part of a pause still open
 * up to @p now.
 *
 * @return 0, or -EINVAL on NULL arguments.
 */
int fab_sched_stats(const struct fab_sched *s, uint64_t now, struct fab_sched_stats *out);

/**
 * What a time series reads of each class at every sample: the depth, the
 * watermark and the paused time, without the rest of fab_sched_stats().
 */
struct fab_sched_levels {
	uint64_t queued_bytes[FAB_NUM_PRIO];     /**< now */
	uint64_t max_queued_bytes[FAB_NUM_PRIO]; /**< as in fab_sched_class_stats */
	uint64_t paused_ps[FAB_NUM_PRIO];        /**< up to the `now` given, a pause still open included */
};

/**
 * The levels of every class at @p now: the same values as the fields of
 * fab_sched_stats() with those names, reading only the fields they need
 * (a sampler calls it for every port at every interval).
 *
 * @return 0, or -EINVAL on NULL arguments.
 */
int fab_sched_levels(const struct fab_sched *s, uint64_t now, struct fab_sched_levels *out);

/** Restart every max_queued_bytes watermark from the current depth. */
void fab_sched_watermark_clear(struct fab_sched *s);

/** The name given at creation. */
const char *fab_sched_name(const struct fab_sched *s);

#ifdef __cplusplus
}
#endif

#endif /* FAB_SCHED_H */
