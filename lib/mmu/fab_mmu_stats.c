/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Read-only views of the MMU for tests, stats and telemetry. */

#include <errno.h>
#include <string.h>

#include "fab_mmu_private.h"

int
fab_mmu_pg_stats_get(const struct fab_mmu *mmu, uint16_t port, uint8_t pg,
		struct fab_mmu_pg_stats *out)
{
	const struct fab_mmu_pg *g;

	if (mmu == NULL || out == NULL || port >= mmu->nb_ports || pg >= FAB_NUM_PRIO)
		return -EINVAL;
	g = &mmu->pg[port * FAB_NUM_PRIO + pg];
	memset(out, 0, sizeof(*out));
	out->reserved_bytes = g->reserved_used;
	out->shared_bytes = g->shared_used;
	out->headroom_bytes = g->headroom_used;
	out->shared_limit_bytes = fab_mmu_pg_limit(mmu, g);
	out->watermark_bytes = g->watermark;
	out->headroom_watermark_bytes = g->headroom_watermark;
	out->admit_pkts = g->admit_pkts;
	out->admit_bytes = g->admit_bytes;
	memcpy(out->drop_pkts, g->drop_pkts, sizeof(out->drop_pkts));
	memcpy(out->drop_bytes, g->drop_bytes, sizeof(out->drop_bytes));
	out->xoff_count = g->xoff_count;
	out->xon_count = g->xon_count;
	out->paused = g->paused;
	return 0;
}

int
fab_mmu_queue_stats_get(const struct fab_mmu *mmu, uint16_t port, uint8_t cls,
		struct fab_mmu_queue_stats *out)
{
	const struct fab_mmu_queue *q;

	if (mmu == NULL || out == NULL || port >= mmu->nb_ports || cls >= FAB_NUM_PRIO)
		return -EINVAL;
	q = &mmu->queue[port * FAB_NUM_PRIO + cls];
	out->bytes = q->bytes;
	out->limit_bytes = fab_mmu_queue_limit(mmu, q);
	out->watermark_bytes = q->watermark;
	out->drop_pkts = q->drop_pkts;
	out->drop_bytes = q->drop_bytes;
	return 0;
}

void
fab_mmu_stats_get(const struct fab_mmu *mmu, struct fab_mmu_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->total_bytes = mmu->total_bytes;
	out->pool_bytes = mmu->pool_bytes;
	out->pool_used_bytes = mmu->pool_used;
	out->pool_watermark_bytes = mmu->pool_watermark;
	out->admit_pkts = mmu->admit_pkts;
	out->admit_bytes = mmu->admit_bytes;
	memcpy(out->drop_pkts, mmu->drop_pkts, sizeof(out->drop_pkts));
	memcpy(out->drop_bytes, mmu->drop_bytes, sizeof(out->drop_bytes));
	out->xoff_count = mmu->xoff_count;
	out->xon_count = mmu->xon_count;
	out->release_errors = mmu->release_errors;
}

void
fab_mmu_watermarks_reset(struct fab_mmu *mmu)
{
	size_t i, cells = (size_t)mmu->nb_ports * FAB_NUM_PRIO;

	for (i = 0; i < cells; i++) {
		struct fab_mmu_pg *g = &mmu->pg[i];

		g->watermark = g->reserved_used + g->shared_used + g->headroom_used;
		g->headroom_watermark = g->headroom_used;
		mmu->queue[i].watermark = mmu->queue[i].bytes;
	}
	mmu->pool_watermark = mmu->pool_used;
}

const char *
fab_mmu_verdict_name(enum fab_mmu_verdict verdict)
{
	static const char *const names[FAB_MMU_VERDICT_MAX] = {
		[FAB_MMU_ADMIT] = "admit",
		[FAB_MMU_DROP_INGRESS] = "drop_ingress",
		[FAB_MMU_DROP_EGRESS] = "drop_egress",
		[FAB_MMU_DROP_HEADROOM] = "drop_headroom",
		[FAB_MMU_DROP_INVALID] = "drop_invalid",
	};

	if ((unsigned int)verdict >= FAB_MMU_VERDICT_MAX)
		return "unknown";
	return names[verdict];
}
