/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Halving-doubling all-reduce (Rabenseifner; Thakur, Rabenseifner and Gropp,
 * "Optimization of Collective Communication Operations in MPICH", 2005):
 * recursive halving reduce-scatter, then recursive doubling all-gather, on
 * a power-of-two number of ranks. The buffer is in n chunks as for the ring;
 * a rank's segment is always an aligned block of chunks that contains its
 * own chunk, so rank r ends the reduce-scatter holding chunk r.
 */

#include <errno.h>
#include <stdlib.h>

#include "fab_coll_priv.h"

/*
 * Channel @p ch's bytes of chunks [first, first + len): chunks are S / n,
 * the first S % n one byte longer, each then split over the channels.
 */
static uint64_t
range_bytes(const struct fab_coll_conf *cf, uint32_t ch, uint32_t first, uint32_t len)
{
	const uint64_t q = cf->bytes / cf->nranks;
	const uint64_t rem = cf->bytes % cf->nranks;
	const uint64_t end = first + len;
	uint64_t big = 0;

	if (rem > first)
		big = (end < rem ? end : rem) - first;
	return big * fab_coll_split(q + 1, cf->channels, ch) +
		(len - big) * fab_coll_split(q, cf->channels, ch);
}

int
fab_coll_build_hd(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	const uint32_t n = cf->nranks;
	uint32_t l = 0, steps, ch, s, r;
	uint32_t *recv;
	int rc = 0;

	while ((UINT32_C(1) << l) < n)
		l++;
	steps = 2 * l;
	/* recv[r * steps + s]: what rank r received at step s, this channel. */
	recv = malloc(sizeof(*recv) * n * steps);
	if (recv == NULL)
		return -ENOMEM;
	for (ch = 0; ch < cf->channels; ch++) {
		for (s = 0; s < steps; s++) {
			for (r = 0; r < n; r++) {
				uint32_t d, peer, first;

				if (s < l) {
					/* Halving: partners n/2 apart first; send
					 * the half of the segment the peer keeps. */
					d = n >> (s + 1);
					peer = r ^ d;
					first = peer & ~(d - 1);
				} else {
					/* Doubling: partners 1 apart first; send
					 * everything gathered so far. */
					d = UINT32_C(1) << (s - l);
					peer = r ^ d;
					first = r & ~(d - 1);
				}
				/*
				 * Every earlier receive, not only the last one:
				 * the last one does not imply the others have
				 * arrived (it was sent by another rank), and the
				 * data sent holds what all of them brought.
				 */
				rc = fab_coll_add(c, r, peer, ch, s, 0,
					range_bytes(cf, ch, first, d),
					&recv[r * steps], s, &recv[peer * steps + s]);
				if (rc < 0)
					goto out;
			}
		}
	}
out:
	free(recv);
	return rc;
}
