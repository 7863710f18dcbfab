/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Checking a configuration and laying out the MMU. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include <rte_errno.h>
#include <rte_log.h>

#include "fab_mmu_private.h"

RTE_LOG_REGISTER(fab_mmu_logtype, rocefab.mmu, INFO);

static int
check_threshold(uint8_t th_mode, int8_t dynamic_th, const char *what,
		unsigned int port, unsigned int idx)
{
	if (th_mode >= FAB_MMU_TH_MAX) {
		FAB_MMU_LOG(ERR, "port %u %s %u: unknown threshold mode %u\n",
			port, what, idx, th_mode);
		return -EINVAL;
	}
	if (th_mode == FAB_MMU_TH_DYNAMIC &&
	    (dynamic_th < FAB_MMU_DYNAMIC_TH_MIN || dynamic_th > FAB_MMU_DYNAMIC_TH_MAX)) {
		FAB_MMU_LOG(ERR, "port %u %s %u: dynamic_th %d outside %d..%d\n",
			port, what, idx, dynamic_th, FAB_MMU_DYNAMIC_TH_MIN,
			FAB_MMU_DYNAMIC_TH_MAX);
		return -EINVAL;
	}
	return 0;
}

static int
check_port_conf(const struct fab_mmu_port_conf *pc, unsigned int port)
{
	unsigned int i;

	for (i = 0; i < FAB_NUM_PRIO; i++) {
		const struct fab_mmu_pg_profile *p = &pc->pg[i];

		if (check_threshold(p->th_mode, p->dynamic_th, "pg", port, i) < 0 ||
		    check_threshold(pc->queue[i].th_mode, pc->queue[i].dynamic_th,
				"queue", port, i) < 0)
			return -EINVAL;
		if (p->lossless && p->xon_bytes > p->xoff_bytes) {
			FAB_MMU_LOG(ERR, "port %u pg %u: xon %u above xoff %u\n",
				port, i, p->xon_bytes, p->xoff_bytes);
			return -EINVAL;
		}
		/* Headroom on a lossy group would be buffer nobody can use. */
		if (!p->lossless && (p->xoff_bytes | p->xon_bytes | p->xon_offset_bytes) != 0) {
			FAB_MMU_LOG(ERR, "port %u pg %u: xoff/xon/xon_offset on a lossy group\n",
				port, i);
			return -EINVAL;
		}
		if (pc->use_prio_map && pc->prio_to_pg[i] >= FAB_NUM_PRIO) {
			FAB_MMU_LOG(ERR, "port %u: priority %u maps to group %u\n",
				port, i, pc->prio_to_pg[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static void
setup_port(struct fab_mmu *mmu, unsigned int port, const struct fab_mmu_port_conf *pc)
{
	uint8_t *map = &mmu->prio_to_pg[port * FAB_NUM_PRIO];
	unsigned int i;

	for (i = 0; i < FAB_NUM_PRIO; i++)
		map[i] = pc->use_prio_map ? pc->prio_to_pg[i] : (uint8_t)i;

	for (i = 0; i < FAB_NUM_PRIO; i++) {
		const struct fab_mmu_pg_profile *p = &pc->pg[i];
		struct fab_mmu_pg *g = &mmu->pg[port * FAB_NUM_PRIO + i];
		struct fab_mmu_queue *q = &mmu->queue[port * FAB_NUM_PRIO + i];
		unsigned int prio;

		g->lossless = p->lossless;
		g->th_mode = p->th_mode;
		g->dynamic_th = p->dynamic_th;
		g->static_th = p->static_th_bytes;
		g->reserved_size = p->reserved_bytes;
		g->xoff_size = p->xoff_bytes;
		g->xon = p->xon_bytes;
		g->xon_offset = p->xon_offset_bytes;
		for (prio = 0; prio < FAB_NUM_PRIO; prio++)
			if (map[prio] == i)
				g->prio_mask |= (uint8_t)(1u << prio);

		q->th_mode = pc->queue[i].th_mode;
		q->dynamic_th = pc->queue[i].dynamic_th;
		q->static_th = pc->queue[i].static_th_bytes;

		mmu->total_bytes += g->reserved_size + g->xoff_size;
	}
}

struct fab_mmu *
fab_mmu_create(const struct fab_mmu_conf *conf)
{
	struct fab_mmu *mmu;
	size_t cells;
	unsigned int port;
	int err = EINVAL;

	if (conf == NULL) {
		FAB_MMU_LOG(ERR, "no configuration\n");
		goto fail;
	}
	if (conf->nb_ports == 0 || conf->nb_ports > FAB_MMU_MAX_PORTS) {
		FAB_MMU_LOG(ERR, "%u ports: need 1..%u\n", conf->nb_ports, FAB_MMU_MAX_PORTS);
		goto fail;
	}
	/* 2^48 keeps 2^7 times the free pool, the largest dynamic limit, in 64 bits. */
	if (conf->pool_bytes == 0 || conf->pool_bytes > (UINT64_C(1) << 48)) {
		FAB_MMU_LOG(ERR, "pool of %" PRIu64 " bytes: need 1..2^48\n", conf->pool_bytes);
		goto fail;
	}
	for (port = 0; port < conf->nb_ports; port++)
		if (check_port_conf(conf->ports != NULL ? &conf->ports[port] :
				&conf->port_default, port) < 0)
			goto fail;

	err = ENOMEM;
	mmu = calloc(1, sizeof(*mmu));
	if (mmu == NULL)
		goto fail;
	cells = (size_t)conf->nb_ports * FAB_NUM_PRIO;
	mmu->prio_to_pg = calloc(cells, sizeof(*mmu->prio_to_pg));
	mmu->pg = calloc(cells, sizeof(*mmu->pg));
	mmu->queue = calloc(cells, sizeof(*mmu->queue));
	if (mmu->prio_to_pg == NULL || mmu->pg == NULL || mmu->queue == NULL)
		goto fail_free;

	mmu->nb_ports = conf->nb_ports;
	mmu->pool_bytes = conf->pool_bytes;
	mmu->total_bytes = conf->pool_bytes;
	for (port = 0; port < conf->nb_ports; port++)
		setup_port(mmu, port, conf->ports != NULL ? &conf->ports[port] :
				&conf->port_default);
	return mmu;

fail_free:
	FAB_MMU_LOG(ERR, "out of memory for %u ports\n", conf->nb_ports);
	fab_mmu_free(mmu);
fail:
	rte_errno = err;
	return NULL;
}

void
fab_mmu_free(struct fab_mmu *mmu)
{
	if (mmu == NULL)
		return;
	free(mmu->queue);
	free(mmu->pg);
	free(mmu->prio_to_pg);
	free(mmu);
}

uint64_t
fab_mmu_total_bytes(const struct fab_mmu *mmu)
{
	return mmu->total_bytes;
}

uint8_t
fab_mmu_pg_of(const struct fab_mmu *mmu, uint16_t port, uint8_t prio)
{
	if (port >= mmu->nb_ports || prio >= FAB_NUM_PRIO)
		return 0;
	return mmu->prio_to_pg[port * FAB_NUM_PRIO + prio];
}
