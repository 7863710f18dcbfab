/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Tree all-reduce on NCCL's double binary tree. Every rank is an inner node
 * in one tree and a leaf in the other (or inner in both), so both trees
 * together load every rank's links about evenly; each tree carries half of
 * the buffer. A piece goes up once every child has delivered it (the
 * reduction at that node is then complete), and comes down from the root
 * once the root has it from all its children.
 */

#include <errno.h>
#include <stdlib.h>

#include "fab_coll_priv.h"

/*
 * The binary tree NCCL builds on ranks 0..n-1 (ncclGetBtree in
 * src/graph/trees.cc): a rank's lowest set bit b places it; its parent
 * clears that bit and sets the next one (or only clears it when that is
 * past the end), its children are r - b/2 and r + b/2 (the latter moved
 * down to the largest b/2^i that stays in range). Rank 0 is the root with
 * one child, the largest power of two below n. Odd ranks are the leaves.
 */
void
fab_coll_btree(uint32_t nranks, uint32_t rank, int64_t *up, int64_t *down0, int64_t *down1)
{
	uint32_t bit, low;

	for (bit = 1; bit < nranks; bit <<= 1)
		if ((bit & rank) != 0)
			break;
	*up = *down0 = *down1 = -1;
	if (rank == 0) {
		if (nranks > 1)
			*down1 = bit >> 1;
		return;
	}
	*up = (rank ^ bit) | (bit << 1);
	if (*up >= nranks)
		*up = rank ^ bit;
	low = bit >> 1;
	if (low == 0)
		return;
	*down0 = rank - low;
	for (; low > 0; low >>= 1) {
		if ((uint64_t)rank + low < nranks) {
			*down1 = rank + low;
			break;
		}
	}
}

static int64_t
map_back(int64_t x, uint32_t n)
{
	if (x < 0)
		return -1;
	/* Odd n: shifted by one; even n: mirrored. */
	return n % 2 == 1 ? (x + 1) % n : (int64_t)n - 1 - x;
}

/*
 * ncclGetDtree: tree 1 is tree 0 mirrored (rank r plays n - 1 - r) when n
 * is even, shifted by one (rank r plays r - 1) when n is odd; either way the
 * leaves of tree 0 (odd ranks) are inner nodes of tree 1. Roots: 0, and
 * n - 1 (even n) or 1 (odd n).
 */
void
fab_coll_dtree(uint32_t nranks, uint32_t tree, uint32_t rank,
		int64_t *up, int64_t *down0, int64_t *down1)
{
	uint32_t played;

	if (tree == 0) {
		fab_coll_btree(nranks, rank, up, down0, down1);
		return;
	}
	played = nranks % 2 == 1 ? (rank + nranks - 1) % nranks : nranks - 1 - rank;
	fab_coll_btree(nranks, played, up, down0, down1);
	*up = map_back(*up, nranks);
	*down0 = map_back(*down0, nranks);
	*down1 = map_back(*down1, nranks);
}

struct tree_shape {
	int64_t *up;
	int64_t *down;     /* two per rank */
	uint32_t *order;   /* root first, every parent before its children */
	uint32_t root;
};

static int
tree_shape(uint32_t n, uint32_t t, struct tree_shape *s)
{
	uint32_t r, head = 0, tail = 0;

	for (r = 0; r < n; r++) {
		fab_coll_dtree(n, t, r, &s->up[r], &s->down[2 * r], &s->down[2 * r + 1]);
		if (s->up[r] < 0)
			s->root = r;
	}
	s->order[tail++] = s->root;
	while (head < tail) {
		const uint32_t v = s->order[head++];
		uint32_t i;

		for (i = 0; i < 2; i++) {
			const int64_t u = s->down[2 * v + i];

			if (u < 0)
				continue;
			if (tail >= n)
				return -EINVAL; /* not a tree: cannot happen */
			s->order[tail++] = (uint32_t)u;
		}
	}
	return tail == n ? 0 : -EINVAL;
}

/* One piece of one channel of one tree: up to the root, then down. */
static int
tree_piece(struct fab_coll *c, const struct tree_shape *s, uint32_t t, uint32_t ch,
		uint32_t step_up, uint32_t step_down, uint64_t bytes,
		uint32_t *upidx, uint32_t *downidx)
{
	const uint32_t n = c->conf.nranks;
	uint32_t deps[2], nd, i, j;
	int rc;

	/* Reverse of the top-down order: children before their parent. */
	for (i = n; i-- > 0;) {
		const uint32_t v = s->order[i];

		if (v == s->root)
			continue;
		nd = 0;
		for (j = 0; j < 2; j++)
			if (s->down[2 * v + j] >= 0)
				deps[nd++] = upidx[s->down[2 * v + j]];
		rc = fab_coll_add(c, v, (uint32_t)s->up[v], ch, step_up, t, bytes,
			deps, nd, &upidx[v]);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		const uint32_t v = s->order[i];

		nd = 0;
		if (v == s->root) {
			/* The reduction is complete when every child's piece is in. */
			for (j = 0; j < 2; j++)
				if (s->down[2 * v + j] >= 0)
					deps[nd++] = upidx[s->down[2 * v + j]];
		} else {
			deps[nd++] = downidx[v];
		}
		for (j = 0; j < 2; j++) {
			const int64_t u = s->down[2 * v + j];

			if (u < 0)
				continue;
			rc = fab_coll_add(c, v, (uint32_t)u, ch, step_down, t, bytes,
				deps, nd, &downidx[u]);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int
fab_coll_build_tree(struct fab_coll *c)
{
	const struct fab_coll_conf *cf = &c->conf;
	const uint32_t n = cf->nranks;
	struct tree_shape s = { .root = 0 };
	uint32_t *upidx, *downidx;
	uint32_t t, ch;
	int rc = 0;

	s.up = malloc(sizeof(*s.up) * n);
	s.down = malloc(sizeof(*s.down) * 2 * n);
	s.order = malloc(sizeof(*s.order) * n);
	upidx = malloc(sizeof(*upidx) * n);
	downidx = malloc(sizeof(*downidx) * n);
	if (s.up == NULL || s.down == NULL || s.order == NULL ||
			upidx == NULL || downidx == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (t = 0; t < 2; t++) {
		/* The first tree takes the odd byte. */
		const uint64_t part = fab_coll_split(cf->bytes, 2, t);

		rc = tree_shape(n, t, &s);
		if (rc < 0)
			goto out;
		for (ch = 0; ch < cf->channels; ch++) {
			const uint64_t cpart = fab_coll_split(part, cf->channels, ch);
			const uint64_t np = cpart / cf->chunk_bytes +
				(cpart % cf->chunk_bytes != 0 ? 1 : 0);
			uint64_t p;

			for (p = 0; p < np; p++) {
				const uint64_t bytes = p + 1 < np ? cf->chunk_bytes :
					cpart - (np - 1) * cf->chunk_bytes;

				rc = tree_piece(c, &s, t, ch, (uint32_t)p, (uint32_t)(np + p),
					bytes, upidx, downidx);
				if (rc < 0)
					goto out;
			}
		}
	}
out:
	free(s.up);
	free(s.down);
	free(s.order);
	free(upidx);
	free(downidx);
	return rc;
}
