/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The patterns without a reduction: broadcast (a pipelined chain), and the
 * three without dependencies that load the fabric all at once (all-to-all,
 * incast, a random permutation).
 */

#include <errno.h>
#include <stdlib.h>

#include <fab_ecn.h>

#include "fab_coll_priv.h"

/*
 * Broadcast as NCCL's ring broadcast: a chain root -> root + 1 -> ... ->
 * root - 1. Each channel's share is cut into pieces of chunk_bytes; a rank
 * forwards a piece as soon as it has it, so the pieces pipeline down the
 * chain.
 */
int
fab_coll_build_broadcast(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	const uint32_t n = cf->nranks;
	uint32_t ch, i, prev = 0;
	uint64_t p;
	int rc;

	for (ch = 0; ch < cf->channels; ch++) {
		const uint64_t part = fab_coll_split(cf->bytes, cf->channels, ch);
		const uint64_t np = part / cf->chunk_bytes +
			(part % cf->chunk_bytes != 0 ? 1 : 0);

		for (p = 0; p < np; p++) {
			const uint64_t bytes = p + 1 < np ? cf->chunk_bytes :
				part - (np - 1) * cf->chunk_bytes;

			for (i = 0; i + 1 < n; i++) {
				const uint32_t src = (cf->root + i) % n;

				rc = fab_coll_add(c, src, (src + 1) % n, ch, (uint32_t)p, 0,
					bytes, &prev, i > 0 ? 1 : 0, &prev);
				if (rc < 0)
					return rc;
			}
		}
	}
	return 0;
}

/*
 * All-to-all: rank r sends block s of its buffer (S / n, the first S % n
 * blocks one byte longer, so by destination index) to every s != r. Round
 * i pairs r with r + i, as NCCL's point-to-point schedule staggers peers so
 * that no rank is everybody's first destination.
 */
int
fab_coll_build_alltoall(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	const uint32_t n = cf->nranks;
	uint32_t i, r, ch, v;
	int rc;

	for (i = 1; i < n; i++) {
		for (r = 0; r < n; r++) {
			const uint32_t s = (r + i) % n;
			const uint64_t block = fab_coll_split(cf->bytes, n, s);

			for (ch = 0; ch < cf->channels; ch++) {
				rc = fab_coll_add(c, r, s, ch, i - 1, 0,
					fab_coll_split(block, cf->channels, ch), NULL, 0, &v);
				if (rc < 0)
					return rc;
			}
		}
	}
	return 0;
}

/* Incast: every other rank sends the whole buffer to the root at once. */
int
fab_coll_build_incast(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	uint32_t r, ch, v;
	int rc;

	for (r = 0; r < cf->nranks; r++) {
		if (r == cf->root)
			continue;
		for (ch = 0; ch < cf->channels; ch++) {
			rc = fab_coll_add(c, r, cf->root, ch, 0, 0,
				fab_coll_split(cf->bytes, cf->channels, ch), NULL, 0, &v);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/*
 * A derangement drawn uniformly: Fisher-Yates shuffles until one has no
 * fixed point. A shuffle is a derangement with probability close to 1/e,
 * so about e shuffles are drawn; rejecting whole shuffles (not patching
 * fixed points) keeps every derangement equally likely.
 */
static void
derangement(uint32_t n, uint64_t seed, uint32_t *perm)
{
	struct fab_rng rng;
	uint32_t i, j, t;
	bool fixed;

	fab_rng_seed(&rng, seed);
	do {
		for (i = 0; i < n; i++)
			perm[i] = i;
		for (i = n - 1; i > 0; i--) {
			j = fab_rng_below(&rng, i + 1);
			t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		fixed = false;
		for (i = 0; i < n && !fixed; i++)
			fixed = perm[i] == i;
	} while (fixed);
}

/* Permutation: every rank sends the whole buffer to its image. */
int
fab_coll_build_permutation(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	uint32_t *perm;
	uint32_t r, ch, v;
	int rc = 0;

	perm = malloc(sizeof(*perm) * cf->nranks);
	if (perm == NULL)
		return -ENOMEM;
	derangement(cf->nranks, cf->seed, perm);
	for (r = 0; r < cf->nranks && rc == 0; r++)
		for (ch = 0; ch < cf->channels && rc == 0; ch++)
			rc = fab_coll_add(c, r, perm[r], ch, 0, 0,
				fab_coll_split(cf->bytes, cf->channels, ch), NULL, 0, &v);
	free(perm);
	return rc;
}
