/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Ring patterns: all-reduce, all-gather and reduce-scatter. The ring is the
 * rank order, r -> (r + 1) % n; each channel is a ring of its own. At every
 * step every rank sends one chunk to its successor, and the chunk it sends
 * at step k is the one its predecessor sent it at step k - 1, which is the
 * whole dependency (the chunk indexes below make that hold by
 * construction; the unit test checks it with a data-flow simulation).
 */

#include <errno.h>
#include <stdlib.h>

#include "fab_coll_priv.h"

/* (a - b) mod n for a, b < n. */
static uint32_t
sub_mod(uint32_t a, uint32_t b, uint32_t n)
{
	return a >= b ? a - b : a + n - b;
}

/*
 * The chunk rank r sends at step k (NCCL's kernel runs the all-reduce with
 * every index one lower; only which rank's chunk has the odd byte differs,
 * see docs/modules/collective.md):
 * - all-reduce, reduce-scatter part (k < n - 1): r - k; rank r ends it
 *   holding chunk r + 1 fully reduced;
 * - all-reduce, all-gather part (j = k - (n - 1)): r + 1 - j, starting from
 *   that reduced chunk;
 * - reduce-scatter alone: r - 1 - k, so that rank r ends with chunk r (its
 *   output block);
 * - all-gather alone: r - k, starting from its own block r.
 */
static uint32_t
ring_chunk(enum fab_coll_pattern p, uint32_t n, uint32_t r, uint32_t k)
{
	switch (p) {
	case FAB_COLL_ALLREDUCE_RING:
		if (k < n - 1)
			return sub_mod(r, k % n, n);
		return sub_mod((r + 1) % n, (k - (n - 1)) % n, n);
	case FAB_COLL_REDUCE_SCATTER:
		return sub_mod(r, (k + 1) % n, n);
	case FAB_COLL_ALLGATHER:
	default:
		return sub_mod(r, k % n, n);
	}
}

int
fab_coll_build_ring(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	const uint32_t n = cf->nranks;
	const uint32_t nch = cf->channels;
	const uint32_t steps = cf->pattern == FAB_COLL_ALLREDUCE_RING ? 2 * (n - 1) : n - 1;
	uint32_t *prev, *cur, *tmp;
	uint32_t k, ch, r;
	int rc = 0;

	/* Per (channel, rank): what the rank sent at the previous step. */
	prev = malloc(sizeof(*prev) * nch * n);
	cur = malloc(sizeof(*cur) * nch * n);
	if (prev == NULL || cur == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (k = 0; k < steps; k++) {
		for (ch = 0; ch < nch; ch++) {
			for (r = 0; r < n; r++) {
				const uint32_t chunk = ring_chunk(cf->pattern, n, r, k);
				const uint64_t bytes = fab_coll_split(
					fab_coll_split(cf->bytes, n, chunk), nch, ch);
				/* Into r at step k - 1: sent by r - 1. */
				const uint32_t *dep = &prev[ch * n + sub_mod(r, 1, n)];

				rc = fab_coll_add(c, r, (r + 1) % n, ch, k, 0, bytes,
					dep, k > 0 ? 1 : 0, &cur[ch * n + r]);
				if (rc < 0)
					goto out;
			}
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
out:
	free(prev);
	free(cur);
	return rc;
}
