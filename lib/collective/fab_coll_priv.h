/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_COLL_PRIV_H
#define FAB_COLL_PRIV_H

/*
 * Shared by the pattern builders of lib/collective: the transfer list under
 * construction and the size rule. Not installed.
 */

#include <stdint.h>

#include "fab_collective.h"

/** vmap entry of a transfer that carried no byte and was not stored. */
#define FAB_COLL_DROPPED UINT32_MAX

/** A source/destination pair and the bytes it carries, for fab_coll_matrix(). */
struct fab_coll_edge {
	uint32_t src;
	uint32_t dst;
	uint64_t bytes;
};

struct fab_coll {
	struct fab_coll_conf conf;
	struct fab_coll_xfer *xfers;
	uint32_t nb_xfers;
	uint32_t xfer_cap;
	uint32_t *dep_pool;       /* every transfer's deps, back to back */
	uint64_t nb_dep_pool;
	uint64_t dep_cap;
	struct fab_coll_edge *edges; /* sorted by (src, dst), bytes summed */
	uint64_t nb_edges;
	/* Builders number every transfer they make, zero-byte ones included
	 * (a "virtual" index); vmap turns that into the kept index. */
	uint32_t *vmap;
	uint32_t nb_virt;
	uint32_t virt_cap;
};

/**
 * Part @p i of @p total cut into @p parts: the first total % parts parts
 * are one byte longer.
 */
static inline uint64_t
fab_coll_split(uint64_t total, uint64_t parts, uint64_t i)
{
	return total / parts + (i < total % parts ? 1 : 0);
}

/**
 * Append a transfer. @p vdeps are virtual indexes from earlier calls;
 * dropped ones are left out: in every pattern here a transfer's
 * dependencies are the transfers that bring it the data it forwards, and a
 * transfer of no byte brings none. A transfer of 0 bytes is not stored but
 * still gets a virtual index, so builders need not special-case it.
 *
 * @return 0 with the virtual index in @p vidx, or -ENOMEM.
 */
int fab_coll_add(struct fab_coll *c, uint32_t src, uint32_t dst, uint32_t channel,
		uint32_t step, uint32_t tree, uint64_t bytes,
		const uint32_t *vdeps, uint32_t nb_vdeps, uint32_t *vidx);

/* One builder per pattern family; each returns 0 or a negative errno. */
int fab_coll_build_ring(struct fab_coll *c);
int fab_coll_build_tree(struct fab_coll *c);
int fab_coll_build_hd(struct fab_coll *c);
int fab_coll_build_broadcast(struct fab_coll *c);
int fab_coll_build_alltoall(struct fab_coll *c);
int fab_coll_build_incast(struct fab_coll *c);
int fab_coll_build_permutation(struct fab_coll *c);

/** NCCL's binary tree (ncclGetBtree): parent and two children, -1 if none. */
void fab_coll_btree(uint32_t nranks, uint32_t rank, int64_t *up, int64_t *down0, int64_t *down1);

/**
 * NCCL's double binary tree (ncclGetDtree): tree 0 is the binary tree,
 * tree 1 its mirror (even nranks) or its shift by one (odd nranks).
 */
void fab_coll_dtree(uint32_t nranks, uint32_t tree, uint32_t rank,
		int64_t *up, int64_t *down0, int64_t *down1);

#endif /* FAB_COLL_PRIV_H */
