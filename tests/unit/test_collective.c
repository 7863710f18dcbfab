/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/collective: every pattern against definitions written here from the
 * chunk rule (not from the module's code), and a data-flow simulation that
 * runs the transfers and checks that every rank ends with what the
 * collective promises.
 *
 * The simulation is strict about dependencies: what a transfer carries is
 * what its sender is guaranteed to hold when the transfer may start, i.e.
 * the sender's own data plus every transfer into the sender that is an
 * ancestor of this one through the dependency lists (those have surely
 * arrived). A missing dependency therefore shows up as a rank ending with a
 * partial sum, even though the transfers are listed in a valid order.
 * Reductions are tracked as bitmasks of contributing ranks; adding a
 * contribution twice is counted as an error.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fab_collective.h>

#include "fab_test.h"

#define MAXN 64

static const uint32_t ranks_list[] = { 2, 3, 4, 5, 8, 16 };
static const uint64_t sizes_list[] = { 1, 3, 7, 1000, 1001, 4099, 65536, 1000003 };
static const uint32_t channels_list[] = { 1, 2, 3 };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The size rule, written again: the first total % parts parts get a byte more. */
static uint64_t
piece_of(uint64_t total, uint64_t parts, uint64_t i)
{
	const uint64_t q = total / parts;

	return q + (i < total - q * parts ? 1 : 0);
}

static uint64_t
full_mask(uint32_t n)
{
	return n == 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;
}

static struct fab_coll *
make(enum fab_coll_pattern p, uint32_t n, uint64_t bytes, uint32_t channels,
		uint64_t chunk, uint32_t root, uint64_t seed)
{
	const struct fab_coll_conf conf = {
		.pattern = p, .nranks = n, .bytes = bytes, .root = root,
		.channels = channels, .chunk_bytes = chunk, .seed = seed,
	};
	char err[256] = "";
	struct fab_coll *c = fab_coll_create(&conf, err, sizeof(err));

	if (c == NULL)
		printf("\n  fab_coll_create(%s, n %u, %lu B): %s\n",
			fab_coll_pattern_name(p), n, (unsigned long)bytes, err);
	return c;
}

/*
 * The contract every collective keeps: no empty transfer, ranks in range,
 * no self transfer, dependencies below the transfer, into its sender, on
 * its channel and tree. @return the number of violations.
 */
static unsigned
bad_xfers(const struct fab_coll *c)
{
	const struct fab_coll_conf *cf = fab_coll_conf(c);
	const uint32_t nx = fab_coll_nb_xfers(c);
	unsigned bad = 0;
	uint32_t i, j;

	for (i = 0; i < nx; i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(c, i);

		if (x == NULL) {
			bad++;
			continue;
		}
		if (x->bytes == 0 || x->src >= cf->nranks || x->dst >= cf->nranks ||
				x->src == x->dst || x->channel >= cf->channels || x->tree > 1)
			bad++;
		if (x->nb_deps > 0 && x->deps == NULL)
			bad++;
		for (j = 0; j < x->nb_deps; j++) {
			const uint32_t d = x->deps[j];
			const struct fab_coll_xfer *y;

			if (d >= i) {
				bad++;
				continue;
			}
			y = fab_coll_xfer(c, d);
			if (y->dst != x->src || y->channel != x->channel || y->tree != x->tree)
				bad++;
		}
	}
	if (fab_coll_xfer(c, nx) != NULL)
		bad++;
	return bad;
}

/*
 * Compare the matrix summed from the transfers and fab_coll_matrix() with
 * @p want (n * n). @return the number of differing cells.
 */
static unsigned
matrix_diff(const struct fab_coll *c, const uint64_t *want)
{
	const uint32_t n = fab_coll_conf(c)->nranks;
	uint64_t *got = calloc((size_t)n * n, sizeof(*got));
	unsigned bad = 0;
	uint32_t i, r, s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	for (i = 0; i < fab_coll_nb_xfers(c); i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(c, i);

		got[x->src * n + x->dst] += x->bytes;
	}
	for (r = 0; r < n; r++) {
		for (s = 0; s < n; s++) {
			if (got[r * n + s] != want[r * n + s] ||
					fab_coll_matrix(c, r, s) != want[r * n + s]) {
				if (bad < 3)
					printf("\n  %s n %u: [%u][%u] want %lu, sum %lu, matrix %lu",
						fab_coll_pattern_name(fab_coll_conf(c)->pattern),
						n, r, s, (unsigned long)want[r * n + s],
						(unsigned long)got[r * n + s],
						(unsigned long)fab_coll_matrix(c, r, s));
				bad++;
			}
		}
	}
	free(got);
	return bad;
}

/* ------------------------------------------------------------------ */
/* Trees, as NCCL's trees.cc describes them: parents only              */
/* ------------------------------------------------------------------ */

/* Clear the lowest set bit b and set 2b, or only clear it past the end. */
static int64_t
btree_parent(uint32_t n, uint32_t r)
{
	uint32_t b, p;

	if (r == 0)
		return -1;
	b = r & (~r + 1);
	p = (r ^ b) | (b << 1);
	return p < n ? p : (r ^ b);
}

/* Tree 1: tree 0 mirrored (even n) or shifted by one rank (odd n). */
static int64_t
tree_parent(uint32_t n, uint32_t t, uint32_t r)
{
	int64_t p;

	if (t == 0)
		return btree_parent(n, r);
	if (n % 2 == 1) {
		p = btree_parent(n, (r + n - 1) % n);
		return p < 0 ? -1 : (p + 1) % n;
	}
	p = btree_parent(n, n - 1 - r);
	return p < 0 ? -1 : (int64_t)n - 1 - p;
}

static uint32_t
tree_nb_children(uint32_t n, uint32_t t, uint32_t v)
{
	uint32_t r, k = 0;

	for (r = 0; r < n; r++)
		k += tree_parent(n, t, r) == (int64_t)v;
	return k;
}

static uint64_t
tree_pieces(uint64_t bytes, uint32_t t, uint32_t channels, uint32_t ch, uint64_t chunk)
{
	const uint64_t cpart = piece_of(piece_of(bytes, 2, t), channels, ch);

	return (cpart + chunk - 1) / chunk;
}

/* ------------------------------------------------------------------ */
/* Data-flow simulation                                                */
/* ------------------------------------------------------------------ */

struct flow;

/*
 * The units (chunk pieces) a transfer carries, written into @p u; @p reduce
 * tells whether the receiver adds them (else it overwrites). @return the
 * count, or -1 if the transfer does not belong to the pattern.
 */
typedef int (*flow_units_t)(const struct flow *f, const struct fab_coll_xfer *x,
		uint32_t *u, bool *reduce);

struct flow {
	const struct fab_coll *c;
	const struct fab_coll_conf *cf;
	uint32_t n;
	uint32_t nunits;
	uint64_t *unit_bytes;   /* nunits */
	uint64_t *init;         /* n * nunits */
	uint64_t *final;        /* n * nunits, after flow_run() */
	flow_units_t units;
	unsigned errors;
};

static void
flow_init(struct flow *f, const struct fab_coll *c, uint32_t nunits, flow_units_t units)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->cf = fab_coll_conf(c);
	f->n = f->cf->nranks;
	f->nunits = nunits;
	f->units = units;
	f->unit_bytes = calloc(nunits, sizeof(uint64_t));
	f->init = calloc((size_t)f->n * nunits, sizeof(uint64_t));
	f->final = calloc((size_t)f->n * nunits, sizeof(uint64_t));
	CU_ASSERT_FATAL(f->unit_bytes != NULL && f->init != NULL && f->final != NULL);
}

static void
flow_fini(struct flow *f)
{
	free(f->unit_bytes);
	free(f->init);
	free(f->final);
}

/* One arrival: add (checking for a contribution counted twice) or copy. */
static void
flow_apply(struct flow *f, uint64_t *state, const uint32_t *u, const uint64_t *carried,
		uint32_t cnt, bool reduce)
{
	uint32_t k;

	for (k = 0; k < cnt; k++) {
		if (reduce) {
			if ((state[u[k]] & carried[k]) != 0)
				f->errors++;
			state[u[k]] |= carried[k];
		} else {
			state[u[k]] = carried[k];
		}
	}
}

static void
flow_run(struct flow *f)
{
	const uint32_t nx = fab_coll_nb_xfers(f->c);
	const uint32_t words = (nx + 63) / 64;
	const uint32_t nu = f->nunits;
	uint64_t *anc = calloc((size_t)nx * words + 1, sizeof(uint64_t));
	uint32_t *units = malloc(((size_t)nx * nu + 1) * sizeof(uint32_t));
	uint64_t *carried = malloc(((size_t)nx * nu + 1) * sizeof(uint64_t));
	uint32_t *cnt = calloc((size_t)nx + 1, sizeof(uint32_t));
	bool *red = calloc((size_t)nx + 1, sizeof(bool));
	uint32_t *tmp = malloc(((size_t)nu + 1) * sizeof(uint32_t));
	uint64_t *view = malloc(((size_t)nu + 1) * sizeof(uint64_t));
	uint32_t i, j, k, w, r;

	CU_ASSERT_FATAL(anc != NULL && units != NULL && carried != NULL && cnt != NULL &&
		red != NULL && tmp != NULL && view != NULL);
	for (i = 0; i < nx; i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(f->c, i);
		uint64_t *a = &anc[(size_t)i * words];
		uint64_t sum = 0;
		int got;

		for (j = 0; j < x->nb_deps; j++) {
			const uint32_t d = x->deps[j];

			if (d >= i) {
				f->errors++;
				continue;
			}
			for (w = 0; w < words; w++)
				a[w] |= anc[(size_t)d * words + w];
			a[d / 64] |= UINT64_C(1) << (d % 64);
		}
		got = f->units(f, x, tmp, &red[i]);
		if (got < 0) {
			f->errors++;
			continue;
		}
		/* The bytes are the units' bytes; empty units carry nothing. */
		for (k = 0; k < (uint32_t)got; k++) {
			sum += f->unit_bytes[tmp[k]];
			if (f->unit_bytes[tmp[k]] > 0)
				units[(size_t)i * nu + cnt[i]++] = tmp[k];
		}
		if (sum != x->bytes)
			f->errors++;
		/* What the sender surely holds: its own data and its ancestors into it. */
		memcpy(view, &f->init[(size_t)x->src * nu], nu * sizeof(uint64_t));
		for (w = 0; w < words; w++) {
			uint64_t bits = a[w];

			while (bits != 0) {
				const uint32_t y = w * 64 + (uint32_t)__builtin_ctzll(bits);

				bits &= bits - 1;
				if (fab_coll_xfer(f->c, y)->dst != x->src)
					continue;
				flow_apply(f, view, &units[(size_t)y * nu],
					&carried[(size_t)y * nu], cnt[y], red[y]);
			}
		}
		for (k = 0; k < cnt[i]; k++)
			carried[(size_t)i * nu + k] = view[units[(size_t)i * nu + k]];
	}
	/* Everything has arrived. */
	for (r = 0; r < f->n; r++) {
		uint64_t *st = &f->final[(size_t)r * nu];

		memcpy(st, &f->init[(size_t)r * nu], nu * sizeof(uint64_t));
		for (i = 0; i < nx; i++)
			if (fab_coll_xfer(f->c, i)->dst == r)
				flow_apply(f, st, &units[(size_t)i * nu],
					&carried[(size_t)i * nu], cnt[i], red[i]);
	}
	free(anc);
	free(units);
	free(carried);
	free(cnt);
	free(red);
	free(tmp);
	free(view);
}

/* Ranks whose final mask of a non-empty unit differs from want(rank, unit). */
static unsigned
flow_bad_final(const struct flow *f, uint64_t (*want)(const struct flow *, uint32_t, uint32_t))
{
	unsigned bad = 0;
	uint32_t r, u;

	for (r = 0; r < f->n; r++)
		for (u = 0; u < f->nunits; u++)
			if (f->unit_bytes[u] > 0 &&
					f->final[(size_t)r * f->nunits + u] != want(f, r, u))
				bad++;
	return bad;
}

static uint64_t
want_full(const struct flow *f, uint32_t r, uint32_t u)
{
	(void)r;
	(void)u;
	return full_mask(f->n);
}

/* Units (chunk, channel) of the ring patterns and halving-doubling. */
static void
flow_chunk_units(struct flow *f)
{
	const uint32_t ch = f->cf->channels;
	uint32_t i, c;

	for (i = 0; i < f->n; i++)
		for (c = 0; c < ch; c++)
			f->unit_bytes[i * ch + c] = piece_of(piece_of(f->cf->bytes, f->n, i), ch, c);
}

/* Every rank starts with its own contribution to every unit. */
static void
flow_init_own(struct flow *f)
{
	uint32_t r, u;

	for (r = 0; r < f->n; r++)
		for (u = 0; u < f->nunits; u++)
			f->init[(size_t)r * f->nunits + u] = UINT64_C(1) << r;
}

/* Ring all-reduce, the contract's indexes: r - k, then r + 1 - j. */
static int
units_ring_ar(const struct flow *f, const struct fab_coll_xfer *x, uint32_t *u, bool *reduce)
{
	const uint32_t n = f->n, k = x->step;
	uint32_t chunk;

	if (x->dst != (x->src + 1) % n || k >= 2 * (n - 1))
		return -1;
	if (k < n - 1) {
		chunk = (x->src + n - k) % n;
		*reduce = true;
	} else {
		chunk = (x->src + 1 + n - (k - (n - 1))) % n;
		*reduce = false;
	}
	u[0] = chunk * f->cf->channels + x->channel;
	return 1;
}

/* All-gather alone: rank r sends its own block first, then r - k. */
static int
units_ring_ag(const struct flow *f, const struct fab_coll_xfer *x, uint32_t *u, bool *reduce)
{
	const uint32_t n = f->n;

	if (x->dst != (x->src + 1) % n || x->step >= n - 1)
		return -1;
	*reduce = false;
	u[0] = ((x->src + n - x->step) % n) * f->cf->channels + x->channel;
	return 1;
}

/* Reduce-scatter alone: rank r sends r - 1 - k and ends with block r. */
static int
units_ring_rs(const struct flow *f, const struct fab_coll_xfer *x, uint32_t *u, bool *reduce)
{
	const uint32_t n = f->n;

	if (x->dst != (x->src + 1) % n || x->step >= n - 1)
		return -1;
	*reduce = true;
	u[0] = ((x->src + n - 1 - x->step) % n) * f->cf->channels + x->channel;
	return 1;
}

static uint64_t
want_own_block(const struct flow *f, uint32_t r, uint32_t u)
{
	return u / f->cf->channels == r ? full_mask(f->n) : f->final[(size_t)r * f->nunits + u];
}

static uint64_t
want_block_owner(const struct flow *f, uint32_t r, uint32_t u)
{
	(void)r;
	return UINT64_C(1) << (u / f->cf->channels);
}

static uint32_t
log2_of(uint32_t n)
{
	uint32_t l = 0;

	while ((UINT32_C(1) << l) < n)
		l++;
	return l;
}

/*
 * Halving-doubling: halving step s exchanges with r ^ (n >> (s + 1)) and
 * sends the aligned block of that size holding the peer; doubling step j
 * exchanges with r ^ 2^j and sends the aligned block of 2^j holding r.
 */
static int
units_hd(const struct flow *f, const struct fab_coll_xfer *x, uint32_t *u, bool *reduce)
{
	const uint32_t n = f->n, l = log2_of(n), s = x->step;
	uint32_t d, base, i;

	if (s >= 2 * l)
		return -1;
	if (s < l) {
		d = n >> (s + 1);
		base = x->dst & ~(d - 1);
		*reduce = true;
	} else {
		d = UINT32_C(1) << (s - l);
		base = x->src & ~(d - 1);
		*reduce = false;
	}
	if (x->dst != (x->src ^ d))
		return -1;
	for (i = 0; i < d; i++)
		u[i] = (base + i) * f->cf->channels + x->channel;
	return (int)d;
}

/* Tree units (tree, channel, piece): nunits = 2 * channels * pieces. */
static uint64_t tree_max_pieces;

static int
units_tree(const struct flow *f, const struct fab_coll_xfer *x, uint32_t *u, bool *reduce)
{
	const uint64_t np = tree_pieces(f->cf->bytes, x->tree, f->cf->channels, x->channel,
		f->cf->chunk_bytes);
	uint64_t piece;

	if (x->step < np) {
		piece = x->step;
		*reduce = true;
		if (tree_parent(f->n, x->tree, x->src) != (int64_t)x->dst)
			return -1;
	} else {
		piece = x->step - np;
		*reduce = false;
		if (piece >= np || tree_parent(f->n, x->tree, x->dst) != (int64_t)x->src)
			return -1;
	}
	u[0] = (uint32_t)(((uint64_t)x->tree * f->cf->channels + x->channel) *
		tree_max_pieces + piece);
	return 1;
}

static void
tree_units_init(struct flow *f)
{
	uint32_t t, ch;
	uint64_t p, np;

	for (t = 0; t < 2; t++) {
		for (ch = 0; ch < f->cf->channels; ch++) {
			const uint64_t cpart = piece_of(piece_of(f->cf->bytes, 2, t),
				f->cf->channels, ch);

			np = tree_pieces(f->cf->bytes, t, f->cf->channels, ch, f->cf->chunk_bytes);
			for (p = 0; p < np; p++)
				f->unit_bytes[((uint64_t)t * f->cf->channels + ch) * tree_max_pieces + p] =
					p + 1 < np ? f->cf->chunk_bytes :
					cpart - (np - 1) * f->cf->chunk_bytes;
		}
	}
}

/* Broadcast units (channel, piece); the root alone holds the data (bit 0). */
static uint64_t bcast_max_pieces;

static int
units_bcast(const struct flow *f, const struct fab_coll_xfer *x, uint32_t *u, bool *reduce)
{
	if (x->dst != (x->src + 1) % f->n || x->src == (f->cf->root + f->n - 1) % f->n ||
			x->step >= bcast_max_pieces)
		return -1;
	*reduce = false;
	u[0] = (uint32_t)(x->channel * bcast_max_pieces + x->step);
	return 1;
}

static uint64_t
want_one(const struct flow *f, uint32_t r, uint32_t u)
{
	(void)f;
	(void)r;
	(void)u;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Ring patterns                                                       */
/* ------------------------------------------------------------------ */

static void
ring_expect(enum fab_coll_pattern p, uint32_t n, uint64_t s, uint64_t *want)
{
	uint32_t r;

	memset(want, 0, sizeof(*want) * n * n);
	for (r = 0; r < n; r++) {
		uint64_t b;

		if (p == FAB_COLL_ALLREDUCE_RING)
			/* Every chunk twice, except r + 1 in the reduce-scatter
			 * (the one it ends up reducing) and r + 2 in the
			 * all-gather (the one it gets last). */
			b = 2 * s - piece_of(s, n, (r + 1) % n) - piece_of(s, n, (r + 2) % n);
		else if (p == FAB_COLL_ALLGATHER)
			b = s - piece_of(s, n, (r + 1) % n); /* all but its successor's block */
		else
			b = s - piece_of(s, n, r);           /* all but its own block */
		want[r * n + (r + 1) % n] = b;
	}
}

static void
test_ring_matrix_and_flow(void)
{
	static const enum fab_coll_pattern pats[] = {
		FAB_COLL_ALLREDUCE_RING, FAB_COLL_ALLGATHER, FAB_COLL_REDUCE_SCATTER,
	};
	uint64_t want[MAXN * MAXN];
	uint32_t pi, ni, si, ci;

	for (pi = 0; pi < NELEM(pats); pi++)
	for (ni = 0; ni < NELEM(ranks_list); ni++)
	for (si = 0; si < NELEM(sizes_list); si++)
	for (ci = 0; ci < NELEM(channels_list); ci++) {
		const uint32_t n = ranks_list[ni], ch = channels_list[ci];
		const uint64_t s = sizes_list[si];
		struct fab_coll *c = make(pats[pi], n, s, ch, 0, 0, 0);
		uint64_t total = 0;
		struct flow f;
		uint32_t r;

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(bad_xfers(c), 0);
		ring_expect(pats[pi], n, s, want);
		CU_ASSERT_EQUAL(matrix_diff(c, want), 0);
		for (r = 0; r < n; r++)
			total += fab_coll_matrix(c, r, (r + 1) % n);
		/* 2(n-1)/n * S per rank on average, exactly 2(n-1) S in all. */
		CU_ASSERT_EQUAL(total, (pats[pi] == FAB_COLL_ALLREDUCE_RING ? 2 : 1) * (n - 1) * s);

		flow_init(&f, c, n * ch, pats[pi] == FAB_COLL_ALLREDUCE_RING ? units_ring_ar :
			pats[pi] == FAB_COLL_ALLGATHER ? units_ring_ag : units_ring_rs);
		flow_chunk_units(&f);
		if (pats[pi] == FAB_COLL_ALLGATHER) {
			uint32_t q;

			for (r = 0; r < n; r++)
				for (q = 0; q < ch; q++)
					f.init[(size_t)r * f.nunits + r * ch + q] = UINT64_C(1) << r;
		} else {
			flow_init_own(&f);
		}
		flow_run(&f);
		CU_ASSERT_EQUAL(f.errors, 0);
		CU_ASSERT_EQUAL(flow_bad_final(&f,
			pats[pi] == FAB_COLL_ALLREDUCE_RING ? want_full :
			pats[pi] == FAB_COLL_ALLGATHER ? want_block_owner : want_own_block), 0);
		flow_fini(&f);
		fab_coll_free(c);
	}
}

/* Steps, counts and the one dependency of every ring transfer. */
static void
test_ring_steps_and_deps(void)
{
	const uint32_t n = 5, ch = 3;
	const uint64_t s = 1000003;
	struct fab_coll *c = make(FAB_COLL_ALLREDUCE_RING, n, s, ch, 0, 0, 0);
	uint32_t count[FAB_COLL_MAX_CHANNELS][2 * 5] = { { 0 } };
	unsigned bad = 0, beyond = 0;
	uint64_t per_ch[3] = { 0 };
	uint32_t i, k, c_;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 2 * (n - 1) * n * ch);
	for (i = 0; i < fab_coll_nb_xfers(c); i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(c, i);

		if (x->step >= 2 * (n - 1)) {
			beyond++;
			continue;
		}
		count[x->channel][x->step]++;
		if (x->src == 0)
			per_ch[x->channel] += x->bytes;
		if (x->step == 0) {
			bad += x->nb_deps != 0;
		} else {
			const struct fab_coll_xfer *y;

			if (x->nb_deps != 1) {
				bad++;
				continue;
			}
			y = fab_coll_xfer(c, x->deps[0]);
			bad += y->step != x->step - 1 || y->src != (x->src + n - 1) % n ||
				y->channel != x->channel || y->bytes != x->bytes;
		}
	}
	CU_ASSERT_EQUAL(beyond, 0);
	CU_ASSERT_EQUAL(bad, 0);
	for (c_ = 0; c_ < ch; c_++)
		for (k = 0; k < 2 * (n - 1); k++)
			CU_ASSERT_EQUAL(count[c_][k], n);
	/*
	 * Rank 0 sends chunks 0,4,3,2 then 1,0,4,3; chunks are 200001 (0..2)
	 * and 200000 (3, 4); channel c gets its share of each.
	 */
	for (c_ = 0; c_ < ch; c_++) {
		const uint64_t big = piece_of(200001, ch, c_), small = piece_of(200000, ch, c_);

		CU_ASSERT_EQUAL(per_ch[c_], 2 * big + 2 * small + 2 * big + 2 * small);
	}
	CU_ASSERT_EQUAL(fab_coll_matrix(c, 0, 1), 2 * 1000003 - 200001 - 200001);
	fab_coll_free(c);

	/* All-gather and reduce-scatter: n - 1 steps. */
	c = make(FAB_COLL_ALLGATHER, 8, 8000, 2, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 7 * 8 * 2);
	for (i = 0, k = 0; i < fab_coll_nb_xfers(c); i++)
		k = fab_coll_xfer(c, i)->step > k ? fab_coll_xfer(c, i)->step : k;
	CU_ASSERT_EQUAL(k, 6);
	/* 8000 / 8 / 2: every transfer 500 bytes. */
	for (i = 0; i < fab_coll_nb_xfers(c); i++)
		CU_ASSERT_EQUAL(fab_coll_xfer(c, i)->bytes, 500);
	fab_coll_free(c);
}

/* ------------------------------------------------------------------ */
/* Halving-doubling                                                    */
/* ------------------------------------------------------------------ */

static uint64_t
block_bytes(uint64_t s, uint32_t n, uint32_t first, uint32_t len)
{
	uint64_t b = 0;
	uint32_t i;

	for (i = first; i < first + len; i++)
		b += piece_of(s, n, i);
	return b;
}

static void
test_hd(void)
{
	static const uint32_t hd_ranks[] = { 2, 4, 8, 16 };
	uint64_t want[MAXN * MAXN];
	uint32_t ni, si, ci, r, d;

	for (ni = 0; ni < NELEM(hd_ranks); ni++)
	for (si = 0; si < NELEM(sizes_list); si++)
	for (ci = 0; ci < NELEM(channels_list); ci++) {
		const uint32_t n = hd_ranks[ni], ch = channels_list[ci];
		const uint64_t s = sizes_list[si];
		struct fab_coll *c = make(FAB_COLL_ALLREDUCE_HD, n, s, ch, 0, 0, 0);
		uint64_t total = 0;
		struct flow f;

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(bad_xfers(c), 0);
		memset(want, 0, sizeof(want));
		for (r = 0; r < n; r++) {
			for (d = 1; d < n; d <<= 1) {
				/* Halving: the half the peer keeps; doubling: mine. */
				want[r * n + (r ^ d)] = block_bytes(s, n, (r ^ d) & ~(d - 1), d) +
					block_bytes(s, n, r & ~(d - 1), d);
			}
		}
		CU_ASSERT_EQUAL(matrix_diff(c, want), 0);
		for (r = 0; r < n; r++) {
			uint64_t sent_rs = 0;
			uint32_t i;

			for (i = 0; i < fab_coll_nb_xfers(c); i++) {
				const struct fab_coll_xfer *x = fab_coll_xfer(c, i);

				if (x->src == r && x->step < log2_of(n))
					sent_rs += x->bytes;
				if (x->src == r)
					total += x->bytes;
			}
			/* The halving sends everything but its own chunk, once. */
			CU_ASSERT_EQUAL(sent_rs, s - piece_of(s, n, r));
		}
		CU_ASSERT_EQUAL(total, 2 * (uint64_t)(n - 1) * s);

		flow_init(&f, c, n * ch, units_hd);
		flow_chunk_units(&f);
		flow_init_own(&f);
		flow_run(&f);
		CU_ASSERT_EQUAL(f.errors, 0);
		CU_ASSERT_EQUAL(flow_bad_final(&f, want_full), 0);
		flow_fini(&f);
		fab_coll_free(c);
	}
}

/* A send waits for every earlier receive of its rank, not only the last. */
static void
test_hd_deps(void)
{
	const uint32_t n = 8, l = 3;
	struct fab_coll *c = make(FAB_COLL_ALLREDUCE_HD, n, 8 * 1024, 1, 0, 0, 0);
	unsigned bad = 0;
	uint32_t i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 2 * l * n);
	for (i = 0; i < fab_coll_nb_xfers(c); i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(c, i);
		uint32_t seen = 0;

		bad += x->nb_deps != x->step;
		for (j = 0; j < x->nb_deps; j++)
			seen |= 1u << fab_coll_xfer(c, x->deps[j])->step;
		bad += seen != (1u << x->step) - 1;
		/* 8 KiB: halving 4, 2, 1 KiB, doubling 1, 2, 4 KiB. */
		bad += x->bytes != (x->step < l ? 4096u >> x->step : 1024u << (x->step - l));
		bad += x->dst != (x->src ^ (x->step < l ? n >> (x->step + 1) : 1u << (x->step - l)));
	}
	CU_ASSERT_EQUAL(bad, 0);
	fab_coll_free(c);
}

/* ------------------------------------------------------------------ */
/* Tree all-reduce                                                     */
/* ------------------------------------------------------------------ */

/* Parents as the collective's first piece going up shows them. */
static void
tree_parents_of(const struct fab_coll *c, uint32_t t, int64_t *parent)
{
	const uint32_t n = fab_coll_conf(c)->nranks;
	uint32_t i;

	for (i = 0; i < n; i++)
		parent[i] = -1;
	for (i = 0; i < fab_coll_nb_xfers(c); i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(c, i);

		if (x->tree == t && x->channel == 0 && x->step == 0)
			parent[x->src] = x->dst;
	}
}

/* The trees drawn in NCCL's src/graph/trees.cc, copied by hand. */
static void
test_tree_shapes(void)
{
	/* 14 ranks, tree 0: 0-8, 8-4, 8-12, 4-2, 4-6, 2-1, 2-3, 6-5, 6-7, 12-10, 12-13, 10-9, 10-11. */
	static const int64_t t0_14[14] = { -1, 2, 4, 2, 8, 6, 4, 6, 0, 10, 12, 10, 8, 12 };
	/* 12 ranks, tree 1 (mirror): 11-3, 3-1, 3-7, 1-0, 1-2, 7-5, 7-9, 5-4, 5-6, 9-8, 9-10. */
	static const int64_t t1_12[12] = { 1, 3, 1, 11, 5, 7, 5, 3, 9, 7, 9, -1 };
	/* 13 ranks, tree 1 (shift): 1-9, 9-5, 9-0, 5-3, 5-7, 0-11, 3-2, 3-4, 7-6, 7-8, 11-10, 11-12. */
	static const int64_t t1_13[13] = { 9, -1, 3, 5, 3, 9, 7, 5, 7, 1, 11, 0, 11 };
	int64_t parent[2][MAXN];
	struct fab_coll *c;
	uint32_t n, r, t;

	c = make(FAB_COLL_ALLREDUCE_TREE, 14, 1 << 20, 1, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	tree_parents_of(c, 0, parent[0]);
	CU_ASSERT_EQUAL(memcmp(parent[0], t0_14, sizeof(t0_14)), 0);
	fab_coll_free(c);
	c = make(FAB_COLL_ALLREDUCE_TREE, 12, 1 << 20, 1, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	tree_parents_of(c, 1, parent[1]);
	CU_ASSERT_EQUAL(memcmp(parent[1], t1_12, sizeof(t1_12)), 0);
	fab_coll_free(c);
	c = make(FAB_COLL_ALLREDUCE_TREE, 13, 1 << 20, 1, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	tree_parents_of(c, 1, parent[1]);
	CU_ASSERT_EQUAL(memcmp(parent[1], t1_13, sizeof(t1_13)), 0);
	fab_coll_free(c);

	/* Every size: the parent rule, and no rank a leaf of both trees. */
	for (n = 2; n <= MAXN; n++) {
		unsigned bad = 0, leaf_twice = 0;

		c = make(FAB_COLL_ALLREDUCE_TREE, n, 1 << 20, 1, 1 << 20, 0, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		for (t = 0; t < 2; t++) {
			tree_parents_of(c, t, parent[t]);
			for (r = 0; r < n; r++)
				bad += parent[t][r] != tree_parent(n, t, r);
		}
		for (r = 0; r < n; r++)
			leaf_twice += tree_nb_children(n, 0, r) == 0 && tree_nb_children(n, 1, r) == 0;
		CU_ASSERT_EQUAL(bad, 0);
		CU_ASSERT_EQUAL(leaf_twice, 0);
		/* Roots 0 and n - 1 (even n) or 1 (odd n). */
		CU_ASSERT_EQUAL(parent[0][0], -1);
		CU_ASSERT_EQUAL(parent[1][n % 2 == 1 ? 1 : n - 1], -1);
		/* One piece per tree: up and down once over each of the n - 1 edges. */
		CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 4 * (n - 1));
		fab_coll_free(c);
	}
}

static void
test_tree_matrix_and_flow(void)
{
	static const uint32_t tree_ranks[] = { 2, 3, 4, 5, 8, 13, 14, 16 };
	static const uint64_t tree_sizes[] = { 1, 2, 7, 1001, 4099 };
	static const uint64_t chunks[] = { 100, 1 << 19 };
	uint64_t want[MAXN * MAXN];
	uint32_t ni, si, ci, ki, r, t;

	for (ni = 0; ni < NELEM(tree_ranks); ni++)
	for (si = 0; si < NELEM(tree_sizes); si++)
	for (ci = 0; ci < NELEM(channels_list); ci++)
	for (ki = 0; ki < NELEM(chunks); ki++) {
		const uint32_t n = tree_ranks[ni], ch = channels_list[ci];
		const uint64_t s = tree_sizes[si], chunk = chunks[ki];
		struct fab_coll *c = make(FAB_COLL_ALLREDUCE_TREE, n, s, ch, chunk, 0, 0);
		struct flow f;

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(bad_xfers(c), 0);
		/* Each tree edge carries that tree's half up and down. */
		memset(want, 0, sizeof(want));
		for (t = 0; t < 2; t++) {
			for (r = 0; r < n; r++) {
				const int64_t p = tree_parent(n, t, r);

				if (p < 0)
					continue;
				want[r * n + p] += piece_of(s, 2, t);
				want[p * n + r] += piece_of(s, 2, t);
			}
		}
		CU_ASSERT_EQUAL(matrix_diff(c, want), 0);

		tree_max_pieces = tree_pieces(s, 0, ch, 0, chunk);
		flow_init(&f, c, (uint32_t)(2 * ch * tree_max_pieces), units_tree);
		tree_units_init(&f);
		flow_init_own(&f);
		flow_run(&f);
		CU_ASSERT_EQUAL(f.errors, 0);
		CU_ASSERT_EQUAL(flow_bad_final(&f, want_full), 0);
		flow_fini(&f);
		fab_coll_free(c);
	}
}

/* The dependency rule, transfer by transfer. */
static void
test_tree_deps(void)
{
	const uint32_t n = 11, ch = 2;
	const uint64_t s = 10000, chunk = 1000;
	struct fab_coll *c = make(FAB_COLL_ALLREDUCE_TREE, n, s, ch, chunk, 0, 0);
	unsigned bad = 0;
	uint32_t i, j;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	/* 5000 per tree, 2500 per channel: 3 pieces (1000, 1000, 500). */
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 2 * ch * 3 * 2 * (n - 1));
	for (i = 0; i < fab_coll_nb_xfers(c); i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(c, i);
		const bool up = x->step < 3;
		const uint32_t piece = up ? x->step : x->step - 3;
		uint32_t want_deps;

		bad += x->bytes != (piece < 2 ? 1000u : 500u);
		if (up)
			want_deps = tree_nb_children(n, x->tree, x->src);
		else if (tree_parent(n, x->tree, x->src) < 0)
			want_deps = tree_nb_children(n, x->tree, x->src);
		else
			want_deps = 1;
		bad += x->nb_deps != want_deps;
		for (j = 0; j < x->nb_deps; j++) {
			const struct fab_coll_xfer *y = fab_coll_xfer(c, x->deps[j]);
			const bool y_up = y->step < 3;

			/* Up and the root's first step down wait for pieces coming
			 * up; inner nodes wait for the piece coming down. */
			if (up || tree_parent(n, x->tree, x->src) < 0)
				bad += !y_up || y->step != piece;
			else
				bad += y_up || y->step != 3 + piece;
		}
	}
	CU_ASSERT_EQUAL(bad, 0);
	fab_coll_free(c);
}

/* ------------------------------------------------------------------ */
/* Broadcast, all-to-all, incast, permutation                          */
/* ------------------------------------------------------------------ */

static void
test_broadcast(void)
{
	static const uint64_t chunks[] = { 64, 1000, 1 << 19 };
	uint64_t want[MAXN * MAXN];
	uint32_t ni, si, ci, ki, root, r, i;

	for (ni = 0; ni < NELEM(ranks_list); ni++)
	for (si = 0; si < 6; si++)
	for (ci = 0; ci < NELEM(channels_list); ci++)
	for (ki = 0; ki < NELEM(chunks); ki++) {
		const uint32_t n = ranks_list[ni], ch = channels_list[ci];
		const uint64_t s = sizes_list[si], chunk = chunks[ki];

		root = (ni + si) % n;
		{
			struct fab_coll *c = make(FAB_COLL_BROADCAST, n, s, ch, chunk, root, 0);
			uint64_t recv[MAXN] = { 0 };
			unsigned bad = 0;
			struct flow f;

			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
			CU_ASSERT_EQUAL(bad_xfers(c), 0);
			memset(want, 0, sizeof(want));
			for (r = 0; r + 1 < n; r++)
				want[((root + r) % n) * n + (root + r + 1) % n] = s;
			CU_ASSERT_EQUAL(matrix_diff(c, want), 0);
			for (i = 0; i < fab_coll_nb_xfers(c); i++) {
				const struct fab_coll_xfer *x = fab_coll_xfer(c, i);
				const uint64_t part = piece_of(s, ch, x->channel);
				const uint64_t np = (part + chunk - 1) / chunk;

				recv[x->dst] += x->bytes;
				/* Pieces of chunk_bytes, the last one shorter. */
				bad += x->bytes != (x->step + 1 < np ? chunk : part - (np - 1) * chunk);
				/* Piece p on edge i waits for piece p on edge i - 1. */
				if (x->src == root) {
					bad += x->nb_deps != 0;
				} else {
					const struct fab_coll_xfer *y;

					if (x->nb_deps != 1) {
						bad++;
						continue;
					}
					y = fab_coll_xfer(c, x->deps[0]);
					bad += y->step != x->step || y->src != (x->src + n - 1) % n;
				}
			}
			CU_ASSERT_EQUAL(bad, 0);
			for (r = 0; r < n; r++)
				CU_ASSERT_EQUAL(recv[r], r == root ? 0 : s);

			bcast_max_pieces = (piece_of(s, ch, 0) + chunk - 1) / chunk;
			flow_init(&f, c, (uint32_t)(ch * bcast_max_pieces), units_bcast);
			for (i = 0; i < ch; i++) {
				const uint64_t part = piece_of(s, ch, i);
				const uint64_t np = (part + chunk - 1) / chunk;
				uint64_t p;

				for (p = 0; p < np; p++) {
					f.unit_bytes[i * bcast_max_pieces + p] =
						p + 1 < np ? chunk : part - (np - 1) * chunk;
					f.init[(size_t)root * f.nunits + i * bcast_max_pieces + p] = 1;
				}
			}
			flow_run(&f);
			CU_ASSERT_EQUAL(f.errors, 0);
			CU_ASSERT_EQUAL(flow_bad_final(&f, want_one), 0);
			flow_fini(&f);
			fab_coll_free(c);
		}
	}
}

static void
test_alltoall_incast(void)
{
	uint64_t want[MAXN * MAXN];
	uint32_t ni, si, ci, r, d, i;

	for (ni = 0; ni < NELEM(ranks_list); ni++)
	for (si = 0; si < NELEM(sizes_list); si++)
	for (ci = 0; ci < NELEM(channels_list); ci++) {
		const uint32_t n = ranks_list[ni], ch = channels_list[ci];
		const uint64_t s = sizes_list[si];
		const uint32_t root = n - 1 - (si % n);
		struct fab_coll *c = make(FAB_COLL_ALLTOALL, n, s, ch, 0, 0, 0);
		unsigned deps = 0;

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(bad_xfers(c), 0);
		/* Block d of every buffer goes to rank d. */
		for (r = 0; r < n; r++)
			for (d = 0; d < n; d++)
				want[r * n + d] = r == d ? 0 : piece_of(s, n, d);
		CU_ASSERT_EQUAL(matrix_diff(c, want), 0);
		for (i = 0; i < fab_coll_nb_xfers(c); i++)
			deps += fab_coll_xfer(c, i)->nb_deps;
		CU_ASSERT_EQUAL(deps, 0);
		fab_coll_free(c);

		c = make(FAB_COLL_INCAST, n, s, ch, 0, root, 0);
		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(bad_xfers(c), 0);
		memset(want, 0, sizeof(want));
		for (r = 0; r < n; r++)
			if (r != root)
				want[r * n + root] = s;
		CU_ASSERT_EQUAL(matrix_diff(c, want), 0);
		for (i = 0, deps = 0; i < fab_coll_nb_xfers(c); i++)
			deps += fab_coll_xfer(c, i)->nb_deps;
		CU_ASSERT_EQUAL(deps, 0);
		fab_coll_free(c);
	}
	/* 10 bytes on 4 ranks: blocks 3, 3, 2, 2; round i pairs r with r + i. */
	{
		struct fab_coll *c = make(FAB_COLL_ALLTOALL, 4, 10, 1, 0, 0, 0);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		CU_ASSERT_EQUAL(fab_coll_matrix(c, 3, 0), 3);
		CU_ASSERT_EQUAL(fab_coll_matrix(c, 0, 3), 2);
		CU_ASSERT_EQUAL(fab_coll_matrix(c, 2, 2), 0);
		for (i = 0; i < fab_coll_nb_xfers(c); i++) {
			const struct fab_coll_xfer *x = fab_coll_xfer(c, i);

			CU_ASSERT_EQUAL(x->dst, (x->src + x->step + 1) % 4);
		}
		fab_coll_free(c);
	}
}

/* The image of every rank, from the transfers. */
static void
perm_of(const struct fab_coll *c, uint32_t *img)
{
	uint32_t i;

	for (i = 0; i < fab_coll_nb_xfers(c); i++)
		img[fab_coll_xfer(c, i)->src] = fab_coll_xfer(c, i)->dst;
}

static void
test_permutation(void)
{
	static const uint32_t perm_ranks[] = { 2, 3, 5, 16, 64 };
	uint32_t img[MAXN], img2[MAXN];
	uint32_t ni, r, seed;

	for (ni = 0; ni < NELEM(perm_ranks); ni++) {
		const uint32_t n = perm_ranks[ni];
		unsigned distinct = 0;

		for (seed = 0; seed < 20; seed++) {
			struct fab_coll *c = make(FAB_COLL_PERMUTATION, n, 4097, 2, 0, 0, seed);
			uint32_t hits[MAXN] = { 0 };
			unsigned fixed = 0, notperm = 0, deps = 0;
			uint32_t i;

			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
			CU_ASSERT_EQUAL(bad_xfers(c), 0);
			CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 2 * n);
			for (i = 0; i < fab_coll_nb_xfers(c); i++)
				deps += fab_coll_xfer(c, i)->nb_deps;
			CU_ASSERT_EQUAL(deps, 0);
			perm_of(c, img);
			for (r = 0; r < n; r++) {
				fixed += img[r] == r;
				hits[img[r]]++;
				/* The whole buffer, 2049 + 2048 over the two channels. */
				CU_ASSERT_EQUAL(fab_coll_matrix(c, r, img[r]), 4097);
			}
			for (r = 0; r < n; r++)
				notperm += hits[r] != 1;
			CU_ASSERT_EQUAL(fixed, 0);
			CU_ASSERT_EQUAL(notperm, 0);
			fab_coll_free(c);

			/* Same seed, same permutation. */
			c = make(FAB_COLL_PERMUTATION, n, 100, 1, 0, 0, seed);
			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
			perm_of(c, img2);
			CU_ASSERT_EQUAL(memcmp(img, img2, n * sizeof(*img)), 0);
			fab_coll_free(c);

			/* Another seed, another permutation (for n >= 5 here). */
			c = make(FAB_COLL_PERMUTATION, n, 100, 1, 0, 0, seed + 1000);
			CU_ASSERT_PTR_NOT_NULL_FATAL(c);
			perm_of(c, img2);
			distinct += memcmp(img, img2, n * sizeof(*img)) != 0;
			fab_coll_free(c);
		}
		/* n = 2: the swap is the only derangement. */
		if (n == 2) {
			CU_ASSERT_EQUAL(distinct, 0);
		} else if (n >= 16) {
			CU_ASSERT_EQUAL(distinct, 20);
		} else {
			CU_ASSERT(distinct >= 5);
		}
	}
}

/*
 * Uniform over derangements: the 9 derangements of 4 ranks over 9000
 * seeds, each within five standard deviations (sqrt(9000 * 1/9 * 8/9) =
 * 29.8) of 1000. Deterministic: the seeds are fixed.
 */
static void
test_permutation_uniform(void)
{
	uint32_t counts[256] = { 0 };
	uint32_t img[4], seed, kinds = 0, i;

	for (seed = 0; seed < 9000; seed++) {
		struct fab_coll *c = make(FAB_COLL_PERMUTATION, 4, 8, 1, 0, 0, seed);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		perm_of(c, img);
		counts[img[0] | img[1] << 2 | img[2] << 4 | img[3] << 6]++;
		fab_coll_free(c);
	}
	for (i = 0; i < 256; i++) {
		if (counts[i] == 0)
			continue;
		kinds++;
		CU_ASSERT(counts[i] > 1000 - 149 && counts[i] < 1000 + 149);
	}
	CU_ASSERT_EQUAL(kinds, 9);
}

/* ------------------------------------------------------------------ */
/* Buffers smaller than nranks * channels: empty pieces are dropped      */
/* ------------------------------------------------------------------ */

static void
test_tiny_buffers(void)
{
	struct fab_coll *c;
	struct flow f;
	uint64_t want[MAXN * MAXN];
	uint32_t i;

	/* 3 bytes on 8 ranks, 2 channels: only chunks 0..2, channel 0 move. */
	c = make(FAB_COLL_ALLREDUCE_RING, 8, 3, 2, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(bad_xfers(c), 0);
	/* 3 chunks of one byte, each over 14 steps. */
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 3 * 14);
	for (i = 0; i < fab_coll_nb_xfers(c); i++) {
		CU_ASSERT_EQUAL(fab_coll_xfer(c, i)->channel, 0);
		CU_ASSERT_EQUAL(fab_coll_xfer(c, i)->bytes, 1);
		/* Every transfer after the first step keeps its one dependency. */
		CU_ASSERT_EQUAL(fab_coll_xfer(c, i)->nb_deps, fab_coll_xfer(c, i)->step > 0);
	}
	ring_expect(FAB_COLL_ALLREDUCE_RING, 8, 3, want);
	CU_ASSERT_EQUAL(matrix_diff(c, want), 0);
	flow_init(&f, c, 16, units_ring_ar);
	flow_chunk_units(&f);
	flow_init_own(&f);
	flow_run(&f);
	CU_ASSERT_EQUAL(f.errors, 0);
	CU_ASSERT_EQUAL(flow_bad_final(&f, want_full), 0);
	flow_fini(&f);
	fab_coll_free(c);

	/* Halving-doubling with empty chunks: data still reaches everyone. */
	c = make(FAB_COLL_ALLREDUCE_HD, 16, 5, 3, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(bad_xfers(c), 0);
	flow_init(&f, c, 16 * 3, units_hd);
	flow_chunk_units(&f);
	flow_init_own(&f);
	flow_run(&f);
	CU_ASSERT_EQUAL(f.errors, 0);
	CU_ASSERT_EQUAL(flow_bad_final(&f, want_full), 0);
	flow_fini(&f);
	fab_coll_free(c);

	/* One byte in a tree all-reduce: only tree 0 carries it. */
	c = make(FAB_COLL_ALLREDUCE_TREE, 5, 1, 4, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(bad_xfers(c), 0);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 2 * 4);
	for (i = 0; i < fab_coll_nb_xfers(c); i++)
		CU_ASSERT_EQUAL(fab_coll_xfer(c, i)->tree, 0);
	fab_coll_free(c);

	/* Broadcast of 2 bytes over 4 channels: two channels, one piece each. */
	c = make(FAB_COLL_BROADCAST, 3, 2, 4, 0, 1, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(bad_xfers(c), 0);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 2 * 2);
	CU_ASSERT_EQUAL(fab_coll_matrix(c, 1, 2), 2);
	CU_ASSERT_EQUAL(fab_coll_matrix(c, 2, 0), 2);
	fab_coll_free(c);

	/* All-to-all of 3 bytes on 5 ranks: only blocks 0..2 exist. */
	c = make(FAB_COLL_ALLTOALL, 5, 3, 1, 0, 0, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 3 * 4);
	CU_ASSERT_EQUAL(fab_coll_matrix(c, 4, 2), 1);
	CU_ASSERT_EQUAL(fab_coll_matrix(c, 0, 3), 0);
	fab_coll_free(c);
}

/* ------------------------------------------------------------------ */
/* Configuration, errors, names, factors, sizes                        */
/* ------------------------------------------------------------------ */

static void
expect_einval(struct fab_coll_conf conf, const char *needle)
{
	char err[256] = "";
	struct fab_coll *c;

	errno = 0;
	c = fab_coll_create(&conf, err, sizeof(err));
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(errno, EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, needle));
	fab_coll_free(c);
}

static void
test_errors(void)
{
	const struct fab_coll_conf ok = {
		.pattern = FAB_COLL_ALLREDUCE_RING, .nranks = 4, .bytes = 1024,
	};
	struct fab_coll_conf conf;
	char err[256] = "";
	struct fab_coll *c;

	conf = ok; conf.nranks = 1;
	expect_einval(conf, "nranks 1");
	conf = ok; conf.nranks = 0;
	expect_einval(conf, "nranks 0");
	conf = ok; conf.nranks = FAB_COLL_MAX_RANKS + 1;
	expect_einval(conf, "nranks 65537");
	conf = ok; conf.root = 4;
	expect_einval(conf, "root 4");
	conf = ok; conf.bytes = 0;
	expect_einval(conf, "bytes");
	conf = ok; conf.channels = FAB_COLL_MAX_CHANNELS + 1;
	expect_einval(conf, "65 channels");
	conf = ok; conf.pattern = FAB_COLL_ALLREDUCE_HD; conf.nranks = 6;
	expect_einval(conf, "power-of-two");
	conf = ok; conf.pattern = FAB_COLL_NB_PATTERNS;
	expect_einval(conf, "unknown");
	errno = 0;
	CU_ASSERT_PTR_NULL(fab_coll_create(NULL, err, sizeof(err)));
	CU_ASSERT_EQUAL(errno, EINVAL);
	/* No error buffer is fine too. */
	conf = ok; conf.nranks = 1;
	errno = 0;
	CU_ASSERT_PTR_NULL(fab_coll_create(&conf, NULL, 0));
	CU_ASSERT_EQUAL(errno, EINVAL);

	/* 65536 ranks all-to-all would be 4 billion transfers: refused. */
	conf = ok; conf.pattern = FAB_COLL_ALLTOALL; conf.nranks = FAB_COLL_MAX_RANKS;
	errno = 0;
	c = fab_coll_create(&conf, err, sizeof(err));
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT_EQUAL(errno, ENOMEM);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "above the limits"));

	/* Edges that are valid: 64 channels, the largest rank as root. */
	conf = ok; conf.channels = FAB_COLL_MAX_CHANNELS; conf.root = 3;
	c = fab_coll_create(&conf, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(c);
	fab_coll_free(c);
	fab_coll_free(NULL);
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(NULL), 0);
	CU_ASSERT_PTR_NULL(fab_coll_xfer(NULL, 0));
	CU_ASSERT_PTR_NULL(fab_coll_conf(NULL));
	CU_ASSERT_EQUAL(fab_coll_matrix(NULL, 0, 1), 0);
}

static void
test_conf_defaults(void)
{
	struct fab_coll *c = make(FAB_COLL_BROADCAST, 4, 3 << 20, 0, 0, 2, 0);
	const struct fab_coll_conf *cf;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	cf = fab_coll_conf(c);
	CU_ASSERT_EQUAL(cf->channels, 1);
	CU_ASSERT_EQUAL(cf->chunk_bytes, 512 * 1024);
	CU_ASSERT_EQUAL(cf->root, 2);
	CU_ASSERT_EQUAL(cf->nranks, 4);
	/* 3 MiB in 512 KiB pieces over 3 edges. */
	CU_ASSERT_EQUAL(fab_coll_nb_xfers(c), 6 * 3);
	fab_coll_free(c);
}

static void
test_names(void)
{
	static const struct {
		const char *name;
		int want;
	} cases[] = {
		{ "all-reduce", FAB_COLL_ALLREDUCE_RING },
		{ "allreduce", FAB_COLL_ALLREDUCE_RING },
		{ "all_reduce", FAB_COLL_ALLREDUCE_RING },
		{ "AllReduce", FAB_COLL_ALLREDUCE_RING },
		{ "all_reduce_ring", FAB_COLL_ALLREDUCE_RING },
		{ "allreduce-tree", FAB_COLL_ALLREDUCE_TREE },
		{ "all_reduce_hd", FAB_COLL_ALLREDUCE_HD },
		{ "allgather", FAB_COLL_ALLGATHER },
		{ "all_gather", FAB_COLL_ALLGATHER },
		{ "reduce_scatter", FAB_COLL_REDUCE_SCATTER },
		{ "reducescatter", FAB_COLL_REDUCE_SCATTER },
		{ "alltoall", FAB_COLL_ALLTOALL },
		{ "all_to_all", FAB_COLL_ALLTOALL },
		{ "broadcast", FAB_COLL_BROADCAST },
		{ "incast", FAB_COLL_INCAST },
		{ "permutation", FAB_COLL_PERMUTATION },
		{ "", -EINVAL },
		{ "-", -EINVAL },
		{ "all-reduce-foo", -EINVAL },
		{ "reduce", -EINVAL },
		{ "all-reduce-ring-and-then-some-more", -EINVAL },
	};
	static const char *const nccl[FAB_COLL_NB_PATTERNS] = {
		"all_reduce", "all_gather", "reduce_scatter", "broadcast", "alltoall",
		"all_reduce", "all_reduce", "incast", "permutation",
	};
	static const char *const canon[FAB_COLL_NB_PATTERNS] = {
		"all-reduce-ring", "all-gather", "reduce-scatter", "broadcast", "all-to-all",
		"all-reduce-tree", "all-reduce-hd", "incast", "permutation",
	};
	uint32_t i;

	for (i = 0; i < NELEM(cases); i++)
		CU_ASSERT_EQUAL(fab_coll_pattern_parse(cases[i].name), cases[i].want);
	CU_ASSERT_EQUAL(fab_coll_pattern_parse(NULL), -EINVAL);
	for (i = 0; i < FAB_COLL_NB_PATTERNS; i++) {
		CU_ASSERT_STRING_EQUAL(fab_coll_pattern_name(i), canon[i]);
		CU_ASSERT(strlen(fab_coll_pattern_name(i)) < FAB_COLL_NAME_LEN);
		CU_ASSERT_EQUAL(fab_coll_pattern_parse(fab_coll_pattern_name(i)), (int)i);
		CU_ASSERT_STRING_EQUAL(fab_coll_nccl_name(i), nccl[i]);
	}
	CU_ASSERT_PTR_NULL(fab_coll_pattern_name(FAB_COLL_NB_PATTERNS));
	CU_ASSERT_PTR_NULL(fab_coll_nccl_name(FAB_COLL_NB_PATTERNS));
}

static void
test_busbw_factor(void)
{
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLREDUCE_RING, 8), 1.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLREDUCE_TREE, 8), 1.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLREDUCE_HD, 2), 1.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLREDUCE_RING, 3), 4.0 / 3.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLGATHER, 8), 0.875, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_REDUCE_SCATTER, 4), 0.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLTOALL, 16), 0.9375, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_BROADCAST, 16), 1.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_INCAST, 16), 1.0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(fab_coll_busbw_factor(FAB_COLL_PERMUTATION, 5), 1.0, 1e-12);
	CU_ASSERT_EQUAL(fab_coll_busbw_factor(FAB_COLL_NB_PATTERNS, 8), 0.0);
	CU_ASSERT_EQUAL(fab_coll_busbw_factor(FAB_COLL_ALLREDUCE_RING, 0), 0.0);
}

static void
test_sizes(void)
{
	uint64_t out[80];
	int n, i;

	/* nccl-tests -b 8 -e 1K -f 2 */
	n = fab_coll_sizes(8, 1024, 2, 0, out, 80);
	CU_ASSERT_EQUAL(n, 8);
	for (i = 0; i < n && i < 8; i++)
		CU_ASSERT_EQUAL(out[i], UINT64_C(8) << i);
	/* -f 3 stops below max: 3 9 27 81 */
	n = fab_coll_sizes(3, 100, 3, 0, out, 80);
	CU_ASSERT_EQUAL(n, 4);
	CU_ASSERT_EQUAL(out[3], 81);
	/* -i 1000: 1000 .. 5000, max included */
	n = fab_coll_sizes(1000, 5000, 0, 1000, out, 80);
	CU_ASSERT_EQUAL(n, 5);
	CU_ASSERT_EQUAL(out[0], 1000);
	CU_ASSERT_EQUAL(out[4], 5000);
	/* -i that does not land on max */
	n = fab_coll_sizes(1000, 5500, 1, 2000, out, 80);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(out[2], 5000);
	/* The factor wins when both are given. */
	n = fab_coll_sizes(1, 16, 4, 1, out, 80);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(out[2], 16);
	/* min == max: one size, whatever the step. */
	n = fab_coll_sizes(4096, 4096, 0, 0, out, 80);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(out[0], 4096);
	/* Capacity short: the count still says how many. */
	out[2] = 777;
	n = fab_coll_sizes(1, 1 << 20, 2, 0, out, 2);
	CU_ASSERT_EQUAL(n, 21);
	CU_ASSERT_EQUAL(out[1], 2);
	CU_ASSERT_EQUAL(out[2], 777);
	CU_ASSERT_EQUAL(fab_coll_sizes(1, 1 << 20, 2, 0, NULL, 0), 21);
	/* No overflow at the top. */
	n = fab_coll_sizes(1, UINT64_MAX, 2, 0, out, 80);
	CU_ASSERT_EQUAL(n, 64);
	CU_ASSERT_EQUAL(out[63], UINT64_C(1) << 63);
	n = fab_coll_sizes(UINT64_MAX - 2, UINT64_MAX, 0, 1, out, 80);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(out[2], UINT64_MAX);
	/* Errors. */
	CU_ASSERT_EQUAL(fab_coll_sizes(0, 8, 2, 0, out, 80), -EINVAL);
	CU_ASSERT_EQUAL(fab_coll_sizes(16, 8, 2, 0, out, 80), -EINVAL);
	CU_ASSERT_EQUAL(fab_coll_sizes(8, 16, 1, 0, out, 80), -EINVAL);
	CU_ASSERT_EQUAL(fab_coll_sizes(8, 16, 0, 0, out, 80), -EINVAL);
	CU_ASSERT_EQUAL(fab_coll_sizes(1, UINT64_MAX, 0, 1, NULL, 0), -EINVAL);
}

int
fab_suite_collective(void)
{
	CU_pSuite s = fab_test_add_suite("collective");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_ring_matrix_and_flow);
	FAB_ADD_TEST(s, test_ring_steps_and_deps);
	FAB_ADD_TEST(s, test_hd);
	FAB_ADD_TEST(s, test_hd_deps);
	FAB_ADD_TEST(s, test_tree_shapes);
	FAB_ADD_TEST(s, test_tree_matrix_and_flow);
	FAB_ADD_TEST(s, test_tree_deps);
	FAB_ADD_TEST(s, test_broadcast);
	FAB_ADD_TEST(s, test_alltoall_incast);
	FAB_ADD_TEST(s, test_permutation);
	FAB_ADD_TEST(s, test_permutation_uniform);
	FAB_ADD_TEST(s, test_tiny_buffers);
	FAB_ADD_TEST(s, test_errors);
	FAB_ADD_TEST(s, test_conf_defaults);
	FAB_ADD_TEST(s, test_names);
	FAB_ADD_TEST(s, test_busbw_factor);
	FAB_ADD_TEST(s, test_sizes);
	return 0;
}
