/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Create, free and read a collective. The builders (fab_coll_ring.c, ...)
 * append transfers through fab_coll_add(); this file checks the
 * configuration, bounds the size before anything is allocated, and turns
 * the dependency offsets into pointers once the pool stops moving.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_err.h"
#include "fab_coll_priv.h"

/* NCCL's default chunk for the simple protocol is in this range; 512 KiB
 * keeps a 1 GiB tree all-reduce at a few thousand transfers per edge. */
#define FAB_COLL_DEFAULT_CHUNK (UINT64_C(512) * 1024)


/* a * b, saturating at UINT64_MAX: bounds only need to compare. */
static uint64_t
sat_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

static uint64_t
nb_pieces(uint64_t part, uint64_t chunk)
{
	return part / chunk + (part % chunk != 0 ? 1 : 0);
}

static uint32_t
log2_u32(uint32_t n)
{
	uint32_t l = 0;

	while ((UINT32_C(1) << l) < n)
		l++;
	return l;
}

/*
 * Transfers and dependencies the builder will make at most (zero-byte
 * transfers included), so that an oversized collective fails before it
 * allocates.
 */
static void
bounds(const struct fab_coll_conf *cf, uint64_t *xfers, uint64_t *deps)
{
	const uint64_t n = cf->nranks;
	const uint64_t ch = cf->channels;
	uint64_t x = 0, d = 0, l;

	switch (cf->pattern) {
	case FAB_COLL_ALLREDUCE_RING:
		x = sat_mul(sat_mul(2 * (n - 1), n), ch);
		d = x;
		break;
	case FAB_COLL_ALLGATHER:
	case FAB_COLL_REDUCE_SCATTER:
		x = sat_mul(sat_mul(n - 1, n), ch);
		d = x;
		break;
	case FAB_COLL_BROADCAST:
		x = sat_mul(sat_mul(n - 1, ch),
			nb_pieces(fab_coll_split(cf->bytes, ch, 0), cf->chunk_bytes));
		d = x;
		break;
	case FAB_COLL_ALLTOALL:
		x = sat_mul(sat_mul(n, n - 1), ch);
		break;
	case FAB_COLL_ALLREDUCE_TREE:
		x = sat_mul(sat_mul(4 * (n - 1), ch), nb_pieces(
			fab_coll_split(fab_coll_split(cf->bytes, 2, 0), ch, 0),
			cf->chunk_bytes));
		d = sat_mul(x, 2);
		break;
	case FAB_COLL_ALLREDUCE_HD:
		l = log2_u32(cf->nranks);
		x = sat_mul(sat_mul(2 * l, n), ch);
		d = sat_mul(sat_mul(n, ch), l * (2 * l - 1));
		break;
	case FAB_COLL_INCAST:
		x = sat_mul(n - 1, ch);
		break;
	case FAB_COLL_PERMUTATION:
		x = sat_mul(n, ch);
		break;
	default:
		break;
	}
	*xfers = x;
	*deps = d;
}

static int
check_conf(const struct fab_coll_conf *cf, char *err, size_t errlen)
{
	const char *name = fab_coll_pattern_name(cf->pattern);

	if (name == NULL) {
		fab_set_err(err, errlen, "unknown collective pattern %d", (int)cf->pattern);
		return -EINVAL;
	}
	if (cf->nranks < 2 || cf->nranks > FAB_COLL_MAX_RANKS) {
		fab_set_err(err, errlen, "%s: nranks %" PRIu32 " outside 2..%u",
			name, cf->nranks, FAB_COLL_MAX_RANKS);
		return -EINVAL;
	}
	if (cf->bytes == 0) {
		fab_set_err(err, errlen, "%s: bytes must be at least 1", name);
		return -EINVAL;
	}
	if (cf->root >= cf->nranks) {
		fab_set_err(err, errlen, "%s: root %" PRIu32 " is not a rank (nranks %" PRIu32 ")",
			name, cf->root, cf->nranks);
		return -EINVAL;
	}
	if (cf->channels > FAB_COLL_MAX_CHANNELS) {
		fab_set_err(err, errlen, "%s: %" PRIu32 " channels, at most %u",
			name, cf->channels, FAB_COLL_MAX_CHANNELS);
		return -EINVAL;
	}
	if (cf->pattern == FAB_COLL_ALLREDUCE_HD &&
			(cf->nranks & (cf->nranks - 1)) != 0) {
		fab_set_err(err, errlen, "%s: halving-doubling needs a power-of-two number "
			"of ranks, got %" PRIu32 " (use all-reduce-ring or all-reduce-tree)",
			name, cf->nranks);
		return -EINVAL;
	}
	return 0;
}

int
fab_coll_add(struct fab_coll *c, uint32_t src, uint32_t dst, uint32_t channel,
		uint32_t step, uint32_t tree, uint64_t bytes,
		const uint32_t *vdeps, uint32_t nb_vdeps, uint32_t *vidx)
{
	struct fab_coll_xfer *x;
	uint32_t i, v;

	/* Capacities come from bounds(), checked before building. */
	if (c->nb_virt >= c->virt_cap)
		return -ENOMEM;
	v = c->nb_virt;
	if (bytes == 0) {
		c->vmap[v] = FAB_COLL_DROPPED;
		c->nb_virt++;
		*vidx = v;
		return 0;
	}
	if (c->nb_xfers >= c->xfer_cap || c->nb_dep_pool + nb_vdeps > c->dep_cap)
		return -ENOMEM;
	x = &c->xfers[c->nb_xfers];
	x->src = src;
	x->dst = dst;
	x->channel = channel;
	x->step = step;
	x->tree = tree;
	x->bytes = bytes;
	x->nb_deps = 0;
	/* The pool is allocated once at its bound and never moves. */
	x->deps = c->dep_pool + c->nb_dep_pool;
	for (i = 0; i < nb_vdeps; i++) {
		const uint32_t real = c->vmap[vdeps[i]];

		if (real == FAB_COLL_DROPPED)
			continue;
		c->dep_pool[c->nb_dep_pool++] = real;
		x->nb_deps++;
	}
	/* Last: @p vidx may alias one of @p vdeps. */
	c->vmap[v] = c->nb_xfers++;
	c->nb_virt++;
	*vidx = v;
	return 0;
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct fab_coll_edge *x = a, *y = b;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	return 0;
}

/* Sum the transfers per (src, dst) so that fab_coll_matrix() is a search. */
static int
build_edges(struct fab_coll *c)
{
	uint64_t i, n = 0;

	c->edges = malloc(sizeof(*c->edges) * (c->nb_xfers > 0 ? c->nb_xfers : 1));
	if (c->edges == NULL)
		return -ENOMEM;
	for (i = 0; i < c->nb_xfers; i++) {
		c->edges[i].src = c->xfers[i].src;
		c->edges[i].dst = c->xfers[i].dst;
		c->edges[i].bytes = c->xfers[i].bytes;
	}
	qsort(c->edges, c->nb_xfers, sizeof(*c->edges), edge_cmp);
	for (i = 0; i < c->nb_xfers; i++) {
		if (n > 0 && edge_cmp(&c->edges[n - 1], &c->edges[i]) == 0)
			c->edges[n - 1].bytes += c->edges[i].bytes;
		else
			c->edges[n++] = c->edges[i];
	}
	c->nb_edges = n;
	return 0;
}

static int
build(struct fab_coll *c)
{
	switch (c->conf.pattern) {
	case FAB_COLL_ALLREDUCE_RING:
	case FAB_COLL_ALLGATHER:
	case FAB_COLL_REDUCE_SCATTER:
		return fab_coll_build_ring(c);
	case FAB_COLL_BROADCAST:
		return fab_coll_build_broadcast(c);
	case FAB_COLL_ALLTOALL:
		return fab_coll_build_alltoall(c);
	case FAB_COLL_ALLREDUCE_TREE:
		return fab_coll_build_tree(c);
	case FAB_COLL_ALLREDUCE_HD:
		return fab_coll_build_hd(c);
	case FAB_COLL_INCAST:
		return fab_coll_build_incast(c);
	case FAB_COLL_PERMUTATION:
		return fab_coll_build_permutation(c);
	default:
		return -EINVAL;
	}
}

struct fab_coll *
fab_coll_create(const struct fab_coll_conf *conf, char *err, size_t errlen)
{
	struct fab_coll *c;
	uint64_t max_x, max_d;
	uint32_t i;
	int rc;

	if (conf == NULL) {
		fab_set_err(err, errlen, "no collective configuration");
		errno = EINVAL;
		return NULL;
	}
	rc = check_conf(conf, err, errlen);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		fab_set_err(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	c->conf = *conf;
	if (c->conf.channels == 0)
		c->conf.channels = 1;
	if (c->conf.chunk_bytes == 0)
		c->conf.chunk_bytes = FAB_COLL_DEFAULT_CHUNK;

	bounds(&c->conf, &max_x, &max_d);
	if (max_x > FAB_COLL_MAX_XFERS || max_d > FAB_COLL_MAX_DEPS) {
		fab_set_err(err, errlen, "%s on %" PRIu32 " ranks would make up to %" PRIu64
			" transfers and %" PRIu64 " dependencies, above the limits of %"
			PRIu32 " and %" PRIu64 " (fewer ranks or channels, larger chunk_bytes)",
			fab_coll_pattern_name(c->conf.pattern), c->conf.nranks,
			max_x, max_d, FAB_COLL_MAX_XFERS, FAB_COLL_MAX_DEPS);
		rc = -ENOMEM;
		goto fail;
	}
	c->xfer_cap = c->virt_cap = (uint32_t)max_x;
	c->dep_cap = max_d;
	c->xfers = malloc(sizeof(*c->xfers) * (max_x > 0 ? max_x : 1));
	c->vmap = malloc(sizeof(*c->vmap) * (max_x > 0 ? max_x : 1));
	c->dep_pool = malloc(sizeof(*c->dep_pool) * (max_d > 0 ? max_d : 1));
	if (c->xfers == NULL || c->vmap == NULL || c->dep_pool == NULL) {
		fab_set_err(err, errlen, "out of memory for %" PRIu64 " transfers", max_x);
		rc = -ENOMEM;
		goto fail;
	}

	rc = build(c);
	if (rc < 0) {
		fab_set_err(err, errlen, "%s: cannot build the transfers: %s",
			fab_coll_pattern_name(c->conf.pattern), strerror(-rc));
		goto fail;
	}
	/* The vmap is only needed while building; dropped transfers leave
	 * room at the end of the array. */
	free(c->vmap);
	c->vmap = NULL;
	if (c->nb_xfers > 0 && c->nb_xfers < c->xfer_cap) {
		struct fab_coll_xfer *x = realloc(c->xfers, sizeof(*x) * c->nb_xfers);

		if (x != NULL) {
			c->xfers = x;
			c->xfer_cap = c->nb_xfers;
		}
	}
	for (i = 0; i < c->nb_xfers; i++)
		if (c->xfers[i].nb_deps == 0)
			c->xfers[i].deps = NULL;
	rc = build_edges(c);
	if (rc < 0) {
		fab_set_err(err, errlen, "out of memory");
		goto fail;
	}
	return c;

fail:
	fab_coll_free(c);
	errno = -rc;
	return NULL;
}

void
fab_coll_free(struct fab_coll *c)
{
	if (c == NULL)
		return;
	free(c->xfers);
	free(c->vmap);
	free(c->dep_pool);
	free(c->edges);
	free(c);
}

uint32_t
fab_coll_nb_xfers(const struct fab_coll *c)
{
	return c != NULL ? c->nb_xfers : 0;
}

const struct fab_coll_xfer *
fab_coll_xfer(const struct fab_coll *c, uint32_t i)
{
	if (c == NULL || i >= c->nb_xfers)
		return NULL;
	return &c->xfers[i];
}

const struct fab_coll_conf *
fab_coll_conf(const struct fab_coll *c)
{
	return c != NULL ? &c->conf : NULL;
}

uint64_t
fab_coll_matrix(const struct fab_coll *c, uint32_t src, uint32_t dst)
{
	const struct fab_coll_edge key = { .src = src, .dst = dst };
	const struct fab_coll_edge *e;

	if (c == NULL || c->nb_edges == 0)
		return 0;
	e = bsearch(&key, c->edges, c->nb_edges, sizeof(*c->edges), edge_cmp);
	return e != NULL ? e->bytes : 0;
}
