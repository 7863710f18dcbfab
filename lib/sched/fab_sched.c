/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <string.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_string_fns.h>

#include "fab_sched.h"
#include "fab_sched_private.h"

RTE_LOG_REGISTER_DEFAULT(fab_sched_logtype, INFO);

static bool
capacity_valid(uint32_t capacity)
{
	return capacity != 0 && rte_is_power_of_2(capacity) &&
		capacity <= FAB_SCHED_MAX_CAPACITY;
}

static int
check_conf(const struct fab_sched_conf *conf, const char *name)
{
	uint32_t quantum = conf->quantum_bytes != 0 ?
		conf->quantum_bytes : FAB_SCHED_DEFAULT_QUANTUM;
	unsigned int c;

	if (conf->ctrl_capacity != 0 && !capacity_valid(conf->ctrl_capacity)) {
		FAB_SCHED_LOG(ERR, "%s: control queue capacity %u is not a power of two in 1..%u",
			name, conf->ctrl_capacity, FAB_SCHED_MAX_CAPACITY);
		return -EINVAL;
	}
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		const struct fab_sched_class_conf *cc = &conf->cls[c];

		if (!capacity_valid(cc->capacity)) {
			FAB_SCHED_LOG(ERR, "%s: class %u capacity %u is not a power of two in 1..%u",
				name, c, cc->capacity, FAB_SCHED_MAX_CAPACITY);
			return -EINVAL;
		}
		if (cc->strict)
			continue;
		if (cc->weight == 0) {
			FAB_SCHED_LOG(ERR, "%s: DWRR class %u has weight 0", name, c);
			return -EINVAL;
		}
		if ((uint64_t)cc->weight * quantum > UINT32_MAX) {
			FAB_SCHED_LOG(ERR, "%s: class %u quantum %u x weight %u overflows",
				name, c, quantum, cc->weight);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * The rings are sized for the worst case (a whole buffer of small frames in
 * one class) and mostly never touched. From the kernel they cost only the
 * pages used; from DPDK's heap, rte_free() would zero every byte at free
 * (it keeps the heap zeroed), faulting in hundreds of MB in a large fabric.
 * They hold pointers, never DMA targets, so hugepage memory buys nothing.
 */
static void *
ring_mem_alloc(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Carve one ring out of the shared block. */
static uint8_t *
queue_init(struct fab_sched_queue *q, uint8_t *mem, uint32_t capacity)
{
	q->slot = (struct fab_sched_slot *)mem;
	mem += sizeof(*q->slot) * capacity;
	q->mask = capacity - 1;
	return mem;
}

struct fab_sched *
fab_sched_create(const struct fab_sched_conf *conf)
{
	const size_t slot = sizeof(struct fab_sched_slot);
	struct fab_sched *s;
	const char *name;
	uint32_t ctrl_capacity, quantum;
	size_t slots;
	uint8_t *mem;
	unsigned int c;
	int first_dwrr = -1, prev_dwrr = -1;

	if (conf == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	name = conf->name != NULL ? conf->name : "sched";
	if (check_conf(conf, name) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	ctrl_capacity = conf->ctrl_capacity != 0 ?
		conf->ctrl_capacity : FAB_SCHED_DEFAULT_CTRL_CAPACITY;
	quantum = conf->quantum_bytes != 0 ? conf->quantum_bytes : FAB_SCHED_DEFAULT_QUANTUM;

	s = rte_zmalloc_socket(name, sizeof(*s), RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (s == NULL) {
		FAB_SCHED_LOG(ERR, "%s: cannot allocate the scheduler", name);
		rte_errno = ENOMEM;
		return NULL;
	}
	slots = ctrl_capacity;
	for (c = 0; c < FAB_NUM_PRIO; c++)
		slots += conf->cls[c].capacity;
	s->ring_bytes = slots * slot;
	s->ring_mem = ring_mem_alloc(s->ring_bytes);
	if (s->ring_mem == NULL) {
		FAB_SCHED_LOG(ERR, "%s: cannot allocate %zu queue slots", name, slots);
		rte_free(s);
		rte_errno = ENOMEM;
		return NULL;
	}
	rte_strlcpy(s->name, name, sizeof(s->name));
	s->socket_id = conf->socket_id;
	s->rate_bps = conf->rate_bps;
	/*
	 * 8e12 ps-bits per byte divided by the rate is a whole number at every
	 * Ethernet speed (10, 25, 40, 50, 100, 200, 400G): a multiply per
	 * frame then. Other rates carry the remainder so no time is lost.
	 */
	if (s->rate_bps != 0 && (8 * FAB_PS_PER_SEC_SCHED) % s->rate_bps == 0)
		s->ps_per_byte = 8 * FAB_PS_PER_SEC_SCHED / s->rate_bps;

	mem = queue_init(&s->ctrl, s->ring_mem, ctrl_capacity);
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		const struct fab_sched_class_conf *cc = &conf->cls[c];
		struct fab_sched_queue *q = &s->cls[c];

		mem = queue_init(q, mem, cc->capacity);
		if (cc->strict) {
			s->strict_mask |= (uint8_t)(1u << c);
			continue;
		}
		s->dwrr_mask |= (uint8_t)(1u << c);
		q->quantum = cc->weight * quantum;
		if (first_dwrr < 0)
			first_dwrr = (int)c;
		else
			s->dwrr_next[prev_dwrr] = (uint8_t)c;
		prev_dwrr = (int)c;
	}
	if (first_dwrr >= 0) {
		s->dwrr_next[prev_dwrr] = (uint8_t)first_dwrr;
		s->dwrr_cur = (uint8_t)first_dwrr;
	}
	FAB_SCHED_LOG(DEBUG, "%s: rate %" PRIu64 " bps, strict mask 0x%02x, quantum %u",
		name, s->rate_bps, s->strict_mask, quantum);
	return s;
}

static void
queue_drain(struct fab_sched_queue *q)
{
	while (q->head != q->tail) {
		rte_pktmbuf_free(q->slot[q->head & q->mask].m);
		q->head++;
	}
}

void
fab_sched_free(struct fab_sched *s)
{
	unsigned int c;

	if (s == NULL)
		return;
	queue_drain(&s->ctrl);
	for (c = 0; c < FAB_NUM_PRIO; c++)
		queue_drain(&s->cls[c]);
	munmap(s->ring_mem, s->ring_bytes);
	rte_free(s);
}

static void
queue_stats(const struct fab_sched_queue *q, struct fab_sched_class_stats *out)
{
	/* Every frame accepted has left or is still here. */
	out->enq_pkts = q->deq_pkts + fab_sched_queue_count(q);
	out->enq_bytes = q->deq_bytes + q->queued_bytes;
	out->deq_pkts = q->deq_pkts;
	out->deq_bytes = q->deq_bytes;
	out->full_pkts = q->full_pkts;
	out->full_bytes = q->full_bytes;
	out->queued_pkts = fab_sched_queue_count(q);
	out->queued_bytes = q->queued_bytes;
	out->max_queued_bytes = q->max_queued_bytes;
	out->paused_ps = q->paused_ps;
	out->paused_until = q->paused_until;
}

int
fab_sched_stats(const struct fab_sched *s, uint64_t now, struct fab_sched_stats *out)
{
	unsigned int c;

	if (s == NULL || out == NULL)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		const struct fab_sched_queue *q = &s->cls[c];

		queue_stats(q, &out->cls[c]);
		out->cls[c].paused_ps += fab_sched_pause_open_ps(q, now);
	}
	queue_stats(&s->ctrl, &out->ctrl);
	out->tx_pkts = s->tx_pkts;
	out->tx_bytes = s->tx_bytes;
	out->wire_busy_ps = s->wire_busy_ps;
	out->busy_until = s->busy_until;
	return 0;
}

int
fab_sched_levels(const struct fab_sched *s, uint64_t now, struct fab_sched_levels *out)
{
	unsigned int c;

	if (s == NULL || out == NULL)
		return -EINVAL;
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		const struct fab_sched_queue *q = &s->cls[c];

		out->queued_bytes[c] = q->queued_bytes;
		out->max_queued_bytes[c] = q->max_queued_bytes;
		out->paused_ps[c] = q->paused_ps + fab_sched_pause_open_ps(q, now);
	}
	return 0;
}

void
fab_sched_watermark_clear(struct fab_sched *s)
{
	unsigned int c;

	s->ctrl.max_queued_bytes = s->ctrl.queued_bytes;
	for (c = 0; c < FAB_NUM_PRIO; c++)
		s->cls[c].max_queued_bytes = s->cls[c].queued_bytes;
}

const char *
fab_sched_name(const struct fab_sched *s)
{
	return s->name;
}
