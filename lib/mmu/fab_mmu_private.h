/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_MMU_PRIVATE_H
#define FAB_MMU_PRIVATE_H

/*
 * The MMU's layout, shared by its .c files only. Profile and state of a
 * group sit together so that one admit touches one group line and one
 * queue line.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "fab_mmu.h"

extern int fab_mmu_logtype;

#define FAB_MMU_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_mmu_logtype, "mmu: " __VA_ARGS__)

/* One (ingress port, priority group). */
struct fab_mmu_pg {
	/* profile */
	bool lossless;
	uint8_t th_mode;
	int8_t dynamic_th;
	uint8_t prio_mask;
	uint64_t static_th;
	uint64_t reserved_size;
	uint64_t xoff_size;
	uint64_t xon;
	uint64_t xon_offset;
	/* state */
	bool paused;
	uint64_t reserved_used;
	uint64_t shared_used;
	uint64_t headroom_used;
	uint64_t watermark;
	uint64_t headroom_watermark;
	/* counters */
	uint64_t admit_pkts;
	uint64_t admit_bytes;
	uint64_t drop_pkts[FAB_MMU_VERDICT_MAX];
	uint64_t drop_bytes[FAB_MMU_VERDICT_MAX];
	uint64_t xoff_count;
	uint64_t xon_count;
};

/* One (egress port, class). */
struct fab_mmu_queue {
	uint8_t th_mode;
	int8_t dynamic_th;
	uint64_t static_th;
	uint64_t bytes;
	uint64_t watermark;
	uint64_t drop_pkts;
	uint64_t drop_bytes;
};

struct fab_mmu {
	uint16_t nb_ports;
	uint64_t pool_bytes;
	uint64_t pool_used;
	uint64_t pool_watermark;
	uint64_t total_bytes;
	uint64_t admit_pkts;
	uint64_t admit_bytes;
	uint64_t drop_pkts[FAB_MMU_VERDICT_MAX];
	uint64_t drop_bytes[FAB_MMU_VERDICT_MAX];
	uint64_t xoff_count;
	uint64_t xon_count;
	uint64_t release_errors;
	uint8_t *prio_to_pg;          /* nb_ports * FAB_NUM_PRIO */
	struct fab_mmu_pg *pg;        /* nb_ports * FAB_NUM_PRIO, by port then group */
	struct fab_mmu_queue *queue;  /* nb_ports * FAB_NUM_PRIO, by port then class */
};

/* A threshold against the free pool; UINT64_MAX means none. */
static inline uint64_t
fab_mmu_threshold(uint8_t th_mode, int8_t dynamic_th, uint64_t static_th, uint64_t pool_free)
{
	switch (th_mode) {
	case FAB_MMU_TH_DYNAMIC:
		return dynamic_th >= 0 ? pool_free << dynamic_th : pool_free >> -dynamic_th;
	case FAB_MMU_TH_STATIC:
		return static_th;
	default:
		return UINT64_MAX;
	}
}

/*
 * What a group may hold in the shared pool now: its threshold, and never
 * more than it holds plus what is free.
 */
static inline uint64_t
fab_mmu_pg_limit(const struct fab_mmu *mmu, const struct fab_mmu_pg *g)
{
	uint64_t pool_free = mmu->pool_bytes - mmu->pool_used;
	uint64_t th = fab_mmu_threshold(g->th_mode, g->dynamic_th, g->static_th, pool_free);
	uint64_t cap = g->shared_used + pool_free;

	return th < cap ? th : cap;
}

static inline uint64_t
fab_mmu_queue_limit(const struct fab_mmu *mmu, const struct fab_mmu_queue *q)
{
	return fab_mmu_threshold(q->th_mode, q->dynamic_th, q->static_th,
			mmu->pool_bytes - mmu->pool_used);
}

#endif /* FAB_MMU_PRIVATE_H */
