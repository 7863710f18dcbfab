/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * How ranks move through the rounds of a job. A transfer becomes ready when
 * its sender is in its round and every transfer it depends on has arrived
 * at the sender; it is posted on its connection's QP in transfer order (so
 * the receiver knows which transfer each message it completes is). A rank
 * finishes a round when its sends are acknowledged and its receives have
 * arrived, and enters the next one at once.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fab_gen_private.h"

/* Round state is made when a local rank first touches the round. */
static int
round_touch(struct gen_job *j, uint32_t r)
{
	struct gen_round *rd = &j->rounds[r];
	uint32_t n;

	if (rd->arrived != NULL)
		return 0;
	n = gen_size_of(j, r)->nb_xfers + 1;
	rd->arrived = calloc(n, 1);
	rd->ready = calloc(n, 1);
	rd->post_ps = calloc(n, sizeof(*rd->post_ps));
	rd->arrive_ps = calloc(n, sizeof(*rd->arrive_ps));
	rd->retx0 = calloc(n, sizeof(*rd->retx0));
	rd->cnp0 = calloc(n, sizeof(*rd->cnp0));
	rd->rank_arrivals = calloc(j->conf.coll.nranks, sizeof(*rd->rank_arrivals));
	if (rd->arrived == NULL || rd->ready == NULL || rd->post_ps == NULL ||
			rd->arrive_ps == NULL || rd->retx0 == NULL || rd->cnp0 == NULL ||
			rd->rank_arrivals == NULL) {
		gen_round_release(rd);
		return -ENOMEM;
	}
	if (!rd->started) {
		rd->started = true;
		rd->ranks_left = j->nb_local_ranks;
		rd->first_start_ps = UINT64_MAX;
	}
	return 0;
}

static uint32_t
conn_count(const struct gen_job *j, uint32_t conn, uint32_t round)
{
	const struct gen_size *sz = &j->size[round / j->per_size];

	return sz->conn_start[conn + 1] - sz->conn_start[conn];
}

/* Move a (round, position) cursor of connection @p conn past rounds it has nothing in. */
static void
cursor_norm(const struct gen_job *j, uint32_t conn, uint32_t *round, uint32_t *pos)
{
	while (*round < j->nb_rounds && *pos >= conn_count(j, conn, *round)) {
		(*round)++;
		*pos = 0;
	}
}

static uint32_t
conn_xfer(const struct gen_job *j, uint32_t conn, uint32_t round, uint32_t pos)
{
	const struct gen_size *sz = &j->size[round / j->per_size];

	return sz->conn_xfers[sz->conn_start[conn] + pos];
}

static bool
deps_arrived(const struct gen_size *sz, const struct gen_round *rd, uint32_t t)
{
	const struct fab_coll_xfer *x = fab_coll_xfer(sz->coll, t);
	uint32_t k;

	for (k = 0; k < x->nb_deps; k++)
		if (!rd->arrived[x->deps[k]])
			return false;
	return true;
}

static void
make_ready(struct fab_gen *gen, struct gen_job *j, uint32_t r, uint32_t t, uint64_t now)
{
	struct gen_round *rd = &j->rounds[r];
	const struct gen_size *sz = gen_size_of(j, r);

	if (rd->ready[t] || !deps_arrived(sz, rd, t))
		return;
	rd->ready[t] = 1;
	gen_try_post(gen, j, &j->conns[sz->conn_of[t]], now);
}

void
gen_try_post(struct fab_gen *gen, struct gen_job *j, struct gen_conn *c, uint64_t now)
{
	struct gen_host *h = &gen->hosts[c->src_host];
	struct gen_qp *q;
	uint32_t ci = (uint32_t)(c - j->conns);

	if (c->src_qp == GEN_NONE)
		return;
	q = &h->qps[c->src_qp];
	for (;;) {
		struct gen_round *rd;
		const struct fab_coll_xfer *x;
		struct fab_qp_stats qs;
		uint32_t t;
		int ret;

		cursor_norm(j, ci, &c->post_round, &c->post_pos);
		if (c->post_round >= j->nb_rounds)
			break;
		rd = &j->rounds[c->post_round];
		if (rd->ready == NULL)
			break;
		t = conn_xfer(j, ci, c->post_round, c->post_pos);
		if (!rd->ready[t])
			break;
		x = fab_coll_xfer(gen_size_of(j, c->post_round)->coll, t);
		ret = fab_qp_post_write(q->qp, x->bytes, ((uint64_t)c->post_round << 32) | t);
		if (ret == -ENOSPC)
			break;
		if (ret < 0) {
			h->st.errors++;
			break;
		}
		fab_qp_stats(q->qp, &qs);
		rd->post_ps[t] = now;
		rd->retx0[t] = (uint32_t)qs.retx_pkts;
		rd->cnp0[t] = (uint32_t)q->cnp_rx;
		c->post_pos++;
	}
	gen_qp_schedule(h, c->src_qp, now);
}

static void
enter_round(struct fab_gen *gen, struct gen_job *j, uint32_t rank, uint64_t now)
{
	struct gen_rank *rk = &j->ranks[rank];
	uint32_t r = rk->round, i;
	struct gen_size *sz;
	struct gen_round *rd;

	if (r >= j->nb_rounds) {
		if (++j->ranks_done == j->nb_local_ranks)
			gen->jobs_done++;
		return;
	}
	if (round_touch(j, r) < 0) {
		/* Out of memory between rounds: the rank stops here, counted. */
		gen->hosts[rk->host].st.errors++;
		rk->round = j->nb_rounds;
		return;
	}
	rd = &j->rounds[r];
	sz = gen_size_of(j, r);
	if (now < rd->first_start_ps)
		rd->first_start_ps = now;
	rk->sends_left = sz->send_start[rank + 1] - sz->send_start[rank];
	for (i = sz->send_start[rank]; i < sz->send_start[rank + 1]; i++)
		make_ready(gen, j, r, sz->send_xfers[i], now);
}

/* Finish rounds while the rank has nothing left in its current one. */
static void
rank_progress(struct fab_gen *gen, struct gen_job *j, uint32_t rank, uint64_t now)
{
	struct gen_rank *rk = &j->ranks[rank];

	if (!rk->started)
		return;
	while (rk->round < j->nb_rounds) {
		uint32_t r = rk->round;
		struct gen_round *rd = &j->rounds[r];
		const struct gen_size *sz = gen_size_of(j, r);

		if (rk->sends_left != 0 || rd->rank_arrivals[rank] < sz->nb_recvs[rank])
			return;
		if (now > rd->last_end_ps)
			rd->last_end_ps = now;
		if (--rd->ranks_left == 0)
			gen_round_release(rd);
		rk->round++;
		enter_round(gen, j, rank, now);
	}
}

void
gen_rank_start(struct fab_gen *gen, uint32_t job, uint32_t rank, uint64_t now)
{
	struct gen_job *j = &gen->jobs[job];
	struct gen_rank *rk = &j->ranks[rank];

	if (rk->started)
		return;
	rk->started = true;
	rk->round = 0;
	enter_round(gen, j, rank, now);
	rank_progress(gen, j, rank, now);
}

void
gen_recv_done(struct fab_gen *gen, struct gen_job *j, struct gen_conn *c, uint64_t now,
		uint64_t bytes)
{
	uint32_t ci = (uint32_t)(c - j->conns), r, t, dst = c->dst_rank, i;
	const struct fab_coll_xfer *x;
	struct gen_round *rd;
	struct gen_size *sz;

	cursor_norm(j, ci, &c->recv_round, &c->recv_pos);
	if (c->recv_round >= j->nb_rounds || round_touch(j, c->recv_round) < 0) {
		/* More messages than the pattern has, or no memory: a wrong result. */
		j->wrong++;
		return;
	}
	r = c->recv_round;
	t = conn_xfer(j, ci, r, c->recv_pos);
	c->recv_pos++;
	rd = &j->rounds[r];
	sz = gen_size_of(j, r);
	x = fab_coll_xfer(sz->coll, t);
	if (bytes != x->bytes)
		j->wrong++;
	rd->arrived[t] = 1;
	rd->arrive_ps[t] = now;
	rd->rank_arrivals[dst]++;
	if (j->ranks[dst].started && j->ranks[dst].round == r)
		for (i = sz->dep_start[t]; i < sz->dep_start[t + 1]; i++)
			make_ready(gen, j, r, sz->dependents[i], now);
	rank_progress(gen, j, dst, now);
}

static void
record_flow(struct fab_gen *gen, const struct fab_gen_flow *f)
{
	if (gen->nb_flows == gen->cap_flows) {
		uint32_t cap = gen->cap_flows == 0 ? 1024 : gen->cap_flows * 2;
		struct fab_gen_flow *grown = realloc(gen->flows, (size_t)cap * sizeof(*grown));

		if (grown == NULL)
			return; /* the record is lost, the run goes on */
		gen->flows = grown;
		gen->cap_flows = cap;
	}
	gen->flows[gen->nb_flows++] = *f;
}

void
gen_send_done(struct fab_gen *gen, struct gen_job *j, struct gen_qp *q,
		const struct fab_qp_wc *wc, uint64_t now)
{
	uint32_t r = (uint32_t)(wc->wr_id >> 32), t = (uint32_t)wc->wr_id;
	struct gen_conn *c = &j->conns[q->conn];
	struct gen_round *rd = &j->rounds[r];
	struct fab_qp_stats qs;
	struct fab_gen_flow f;

	fab_qp_stats(q->qp, &qs);
	f = (struct fab_gen_flow){
		.job = q->job, .round = r, .xfer = t,
		.src_rank = c->src_rank, .dst_rank = c->dst_rank,
		.src_host = c->src_host, .dst_host = c->dst_host,
		.src_qpn = c->src_qpn, .dst_qpn = c->dst_qpn, .sport = c->sport,
		.bytes = wc->bytes, .post_ps = rd->post_ps[t],
		.arrive_ps = rd->arrived[t] ? rd->arrive_ps[t] : UINT64_MAX,
		.ack_ps = now,
		.retx_pkts = (uint32_t)qs.retx_pkts - rd->retx0[t],
		.cnps = (uint32_t)q->cnp_rx - rd->cnp0[t],
		.status = wc->status,
	};
	record_flow(gen, &f);
	if (wc->status != 0)
		return; /* the receiver never completes: the job stops here */
	j->ranks[c->src_rank].sends_left--;
	rank_progress(gen, j, c->src_rank, now);
	gen_try_post(gen, j, c, now);
}
