/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A job's tables: one collective per size, the connections (one RC QP pair
 * per sender, receiver and channel, shared by every size), and the CSR
 * lists the rounds walk (transfers per connection, dependents per
 * transfer, sends per rank).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fab_gen_private.h"

struct triple {
	uint32_t src, dst, channel;
};

static int
triple_cmp(const void *pa, const void *pb)
{
	const struct triple *a = pa, *b = pb;

	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	if (a->dst != b->dst)
		return a->dst < b->dst ? -1 : 1;
	if (a->channel != b->channel)
		return a->channel < b->channel ? -1 : 1;
	return 0;
}

static uint32_t
conn_find(const struct gen_job *j, uint32_t src, uint32_t dst, uint32_t channel)
{
	uint32_t lo = 0, hi = j->nb_conns;
	struct triple key = { src, dst, channel };

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct gen_conn *c = &j->conns[mid];
		struct triple t = { c->src_rank, c->dst_rank, c->channel };
		int r = triple_cmp(&t, &key);

		if (r == 0)
			return mid;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return GEN_NONE;
}

/* Every (src, dst, channel) that any size uses, sorted and unique. */
static int
build_conns(struct gen_job *j)
{
	uint64_t total = 0;
	struct triple *t;
	uint32_t s, i, n = 0;

	for (s = 0; s < j->conf.nb_sizes; s++)
		total += j->size[s].nb_xfers;
	t = calloc(total + 1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	for (s = 0; s < j->conf.nb_sizes; s++)
		for (i = 0; i < j->size[s].nb_xfers; i++) {
			const struct fab_coll_xfer *x = fab_coll_xfer(j->size[s].coll, i);

			t[n++] = (struct triple){ x->src, x->dst, x->channel };
		}
	qsort(t, n, sizeof(*t), triple_cmp);
	j->conns = calloc(n + 1, sizeof(*j->conns));
	if (j->conns == NULL) {
		free(t);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct gen_conn *c;

		if (j->nb_conns != 0 && triple_cmp(&t[i], &t[i - 1]) == 0)
			continue;
		c = &j->conns[j->nb_conns++];
		c->src_rank = t[i].src;
		c->dst_rank = t[i].dst;
		c->channel = t[i].channel;
		c->src_host = j->hosts[t[i].src];
		c->dst_host = j->hosts[t[i].dst];
		c->src_qp = GEN_NONE;
		c->dst_qp = GEN_NONE;
	}
	free(t);
	return 0;
}

/* Count-then-fill of a CSR list; @p key(i) gives item i's bucket or GEN_NONE. */
static int
csr_alloc(uint32_t nb_buckets, uint32_t nb_items, uint32_t **start, uint32_t **list)
{
	*start = calloc((size_t)nb_buckets + 1, sizeof(**start));
	*list = calloc((size_t)nb_items + 1, sizeof(**list));
	return *start == NULL || *list == NULL ? -ENOMEM : 0;
}

static void
csr_prefix(uint32_t *start, uint32_t nb_buckets)
{
	uint32_t b, sum = 0;

	for (b = 0; b < nb_buckets; b++) {
		uint32_t c = start[b];

		start[b] = sum;
		sum += c;
	}
	start[nb_buckets] = sum;
}

static int
build_size(struct gen_job *j, struct gen_size *sz)
{
	uint32_t n = sz->nb_xfers, nranks = j->conf.coll.nranks, i, k, nb_deps = 0, fill_n;
	uint32_t *fill;
	int ret;

	sz->conn_of = calloc(n + 1, sizeof(*sz->conn_of));
	sz->nb_recvs = calloc(nranks, sizeof(*sz->nb_recvs));
	if (sz->conn_of == NULL || sz->nb_recvs == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(sz->coll, i);

		sz->conn_of[i] = conn_find(j, x->src, x->dst, x->channel);
		sz->nb_recvs[x->dst]++;
		nb_deps += x->nb_deps;
	}
	if ((ret = csr_alloc(j->nb_conns, n, &sz->conn_start, &sz->conn_xfers)) < 0 ||
			(ret = csr_alloc(n, nb_deps, &sz->dep_start, &sz->dependents)) < 0 ||
			(ret = csr_alloc(nranks, n, &sz->send_start, &sz->send_xfers)) < 0)
		return ret;
	for (i = 0; i < n; i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(sz->coll, i);

		sz->conn_start[sz->conn_of[i]]++;
		sz->send_start[x->src]++;
		for (k = 0; k < x->nb_deps; k++)
			sz->dep_start[x->deps[k]]++;
	}
	csr_prefix(sz->conn_start, j->nb_conns);
	csr_prefix(sz->send_start, nranks);
	csr_prefix(sz->dep_start, n);
	fill_n = RTE_MAX(j->nb_conns, nranks);
	fill_n = RTE_MAX(fill_n, n) + 1;
	fill = calloc(fill_n, sizeof(*fill));
	if (fill == NULL)
		return -ENOMEM;
	/* Ascending i keeps every list in transfer order. */
	for (i = 0; i < n; i++)
		sz->conn_xfers[sz->conn_start[sz->conn_of[i]] + fill[sz->conn_of[i]]++] = i;
	memset(fill, 0, sizeof(*fill) * fill_n);
	for (i = 0; i < n; i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(sz->coll, i);

		sz->send_xfers[sz->send_start[x->src] + fill[x->src]++] = i;
	}
	memset(fill, 0, sizeof(*fill) * fill_n);
	for (i = 0; i < n; i++) {
		const struct fab_coll_xfer *x = fab_coll_xfer(sz->coll, i);

		for (k = 0; k < x->nb_deps; k++) {
			uint32_t d = x->deps[k];

			sz->dependents[sz->dep_start[d] + fill[d]++] = i;
		}
	}
	free(fill);
	return 0;
}

int
gen_build_job(struct fab_gen *gen, struct gen_job *j, char *err, size_t errlen)
{
	uint32_t s, nranks = j->conf.coll.nranks;
	int ret;

	(void)gen;
	j->per_size = j->conf.warmup + j->conf.iters;
	j->nb_rounds = j->per_size * j->conf.nb_sizes;
	j->size = calloc(j->conf.nb_sizes, sizeof(*j->size));
	j->ranks = calloc(nranks, sizeof(*j->ranks));
	j->rounds = calloc(j->nb_rounds, sizeof(*j->rounds));
	j->matrix = calloc((size_t)nranks * nranks, sizeof(*j->matrix));
	if (j->size == NULL || j->ranks == NULL || j->rounds == NULL || j->matrix == NULL) {
		snprintf(err, errlen, "job %s: out of memory", j->conf.name);
		return -ENOMEM;
	}
	for (s = 0; s < j->conf.nb_sizes; s++) {
		struct fab_coll_conf cc = j->conf.coll;
		char why[160];

		cc.bytes = j->sizes[s];
		j->size[s].coll = fab_coll_create(&cc, why, sizeof(why));
		if (j->size[s].coll == NULL) {
			snprintf(err, errlen, "job %s: size %llu: %s", j->conf.name,
				(unsigned long long)j->sizes[s], why);
			return -EINVAL;
		}
		j->size[s].nb_xfers = fab_coll_nb_xfers(j->size[s].coll);
	}
	ret = build_conns(j);
	for (s = 0; ret == 0 && s < j->conf.nb_sizes; s++)
		ret = build_size(j, &j->size[s]);
	if (ret < 0)
		snprintf(err, errlen, "job %s: out of memory", j->conf.name);
	return ret;
}

static void
free_round(struct gen_round *r)
{
	free(r->arrived);
	free(r->ready);
	free(r->post_ps);
	free(r->arrive_ps);
	free(r->retx0);
	free(r->cnp0);
	free(r->rank_arrivals);
	/* Its times stay: the results are read from them. */
	r->arrived = NULL;
	r->ready = NULL;
	r->post_ps = NULL;
	r->arrive_ps = NULL;
	r->retx0 = NULL;
	r->cnp0 = NULL;
	r->rank_arrivals = NULL;
}

void
gen_free_job(struct gen_job *j)
{
	uint32_t s;

	if (j->size != NULL)
		for (s = 0; s < j->conf.nb_sizes; s++) {
			struct gen_size *sz = &j->size[s];

			fab_coll_free(sz->coll);
			free(sz->conn_of);
			free(sz->conn_start);
			free(sz->conn_xfers);
			free(sz->dep_start);
			free(sz->dependents);
			free(sz->send_start);
			free(sz->send_xfers);
			free(sz->nb_recvs);
		}
	if (j->rounds != NULL)
		for (s = 0; s < j->nb_rounds; s++)
			free_round(&j->rounds[s]);
	free(j->size);
	free(j->conns);
	free(j->ranks);
	free(j->rounds);
	free(j->matrix);
	free(j->hosts);
	free(j->sizes);
	memset(j, 0, sizeof(*j));
}

void
gen_round_release(struct gen_round *r)
{
	free_round(r);
}
