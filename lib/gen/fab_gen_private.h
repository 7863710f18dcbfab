/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_GEN_PRIVATE_H
#define FAB_GEN_PRIVATE_H

#include <rte_common.h>

#include "fab_cc.h"
#include "fab_gen.h"
#include "fab_heap.h"
#include "fab_transport.h"

#define GEN_NONE UINT32_MAX
/* CNPs a host may hold before its egress takes them; more are dropped (counted). */
#define GEN_CNP_QUEUE 256

/*
 * One size of a job: its collective and the tables the rounds walk. CSR
 * arrays: *_start has one more entry than items, the lists are contiguous.
 */
struct gen_size {
	struct fab_coll *coll;
	uint32_t nb_xfers;
	uint32_t *conn_of;         /* connection index of each transfer */
	uint32_t *conn_start;      /* per connection: its transfers, in index order */
	uint32_t *conn_xfers;
	uint32_t *dep_start;       /* per transfer: transfers that depend on it */
	uint32_t *dependents;
	uint32_t *send_start;      /* per rank: transfers it sends */
	uint32_t *send_xfers;
	uint32_t *nb_recvs;        /* per rank: transfers it receives */
};

/* State of one round of a job, alive while a local rank may still touch it. */
struct gen_round {
	uint8_t *arrived;          /* per transfer: delivered at its (local) receiver */
	uint8_t *ready;            /* per transfer: its sender may post it */
	uint64_t *post_ps;         /* per transfer: when it was posted (local senders) */
	uint64_t *arrive_ps;       /* per transfer: when it arrived (local receivers) */
	uint32_t *retx0;           /* sender QP's retransmissions when posted */
	uint32_t *cnp0;            /* sender QP's CNPs received when posted */
	uint32_t *rank_arrivals;   /* per rank: transfers of the round arrived */
	uint32_t ranks_left;       /* local ranks that have not finished it */
	uint64_t first_start_ps;   /* first local rank entering it */
	uint64_t last_end_ps;      /* last local rank finishing it */
	bool started;
};

/* A directed connection of a job: one RC QP pair, sender end and receiver end. */
struct gen_conn {
	uint32_t job;
	uint32_t src_rank, dst_rank, channel;
	uint32_t src_host, dst_host;
	uint32_t src_qpn, dst_qpn;
	uint32_t src_qp, dst_qp;   /* the hosts' QP indexes; GEN_NONE if the host is not local */
	uint32_t psn0;
	uint16_t sport;
	/* Sender side: the next transfer to post, as (round, position in the conn's list). */
	uint32_t post_round, post_pos;
	/* Receiver side: the transfer the next received message is. */
	uint32_t recv_round, recv_pos;
	uint64_t rx_bytes;         /* payload delivered at the receiver end */
};

/* A rank's progress (local ranks only). */
struct gen_rank {
	uint32_t host;
	uint32_t round;            /* current round; nb_rounds once finished */
	uint32_t sends_left;       /* of the current round, not yet acknowledged */
	bool started;
};

struct gen_job {
	struct fab_gen_job_conf conf;
	uint32_t *hosts;
	uint64_t *sizes;
	uint32_t per_size;         /* warmup + iters */
	uint32_t nb_rounds;
	struct gen_size *size;     /* nb_sizes */
	uint32_t nb_conns;
	struct gen_conn *conns;    /* sorted by (src, dst, channel) */
	struct gen_rank *ranks;    /* nranks; host GEN_NONE when not local */
	uint32_t nb_local_ranks;
	struct gen_round *rounds;  /* nb_rounds */
	uint64_t *matrix;          /* nranks x nranks delivered bytes */
	uint64_t wrong;
	uint32_t ranks_done;
};

/* One QP end on a host. */
struct gen_qp {
	struct fab_qp *qp;
	uint32_t job, conn;
	bool sender;               /* the conn's source end */
	uint8_t cls;               /* egress class of its data */
	uint8_t ack_cls;           /* egress class of its ACKs and NAKs */
	bool owes_ctrl;            /* in the host's ctrl list */
	bool blocked;              /* waiting for room in its class */
	uint64_t next_send;
	uint64_t lag_cap_ps;
	uint64_t cnp_rx;
	void *cc;                  /* its congestion-control area */
};

struct gen_host {
	struct fab_gen_host_conf conf;
	uint32_t nb_qps, cap_qps;
	struct gen_qp *qps;        /* index = QPN - FAB_GEN_QPN_BASE */
	struct fab_heap *send_heap;  /* QPs that may send, by (next_send, index) */
	struct fab_heap *timer_heap; /* QPs with a running timer, by deadline */
	uint32_t nb_ctrl;
	uint32_t *ctrl;            /* QPs owing an ACK or NAK */
	uint32_t nb_blocked;
	uint32_t *blocked;         /* QPs waiting for room */
	struct rte_mbuf *cnp_q[GEN_CNP_QUEUE];
	uint32_t cnp_head, cnp_tail;
	uint8_t cnp_cls;
	uint32_t nb_starts;        /* (job, rank) pairs placed here, by start time */
	uint64_t *start_key;
	uint32_t *start_job, *start_rank;
	uint32_t next_start;       /* first not yet started */
	struct fab_cc *cc;         /* its NIC's congestion control (at its rate) */
	uint8_t *cc_mem;
	struct fab_gen_host_stats st;
};

struct fab_gen {
	struct fab_gen_conf conf;
	uint32_t mtu;
	uint32_t nb_hosts, cap_hosts;
	struct gen_host *hosts;
	uint32_t nb_jobs, cap_jobs;
	struct gen_job *jobs;
	bool started;
	uint32_t max_frame;
	uint32_t jobs_done;
	uint32_t nb_flows, cap_flows;
	struct fab_gen_flow *flows;
};

/* fab_gen_build.c */
int gen_build_job(struct fab_gen *gen, struct gen_job *j, char *err, size_t errlen);
void gen_free_job(struct gen_job *j);
void gen_round_release(struct gen_round *r);

/* fab_gen_rounds.c */
void gen_rank_start(struct fab_gen *gen, uint32_t job, uint32_t rank, uint64_t now);
void gen_recv_done(struct fab_gen *gen, struct gen_job *j, struct gen_conn *c, uint64_t now,
		uint64_t bytes);
void gen_send_done(struct fab_gen *gen, struct gen_job *j, struct gen_qp *q,
		const struct fab_qp_wc *wc, uint64_t now);
void gen_try_post(struct fab_gen *gen, struct gen_job *j, struct gen_conn *c, uint64_t now);

/* fab_gen_nic.c */
void gen_qp_schedule(struct gen_host *h, uint32_t qi, uint64_t now);

static inline struct gen_round *
gen_round_get(struct gen_job *j, uint32_t round)
{
	return &j->rounds[round];
}

static inline struct gen_size *
gen_size_of(struct gen_job *j, uint32_t round)
{
	return &j->size[round / j->per_size];
}

#endif /* FAB_GEN_PRIVATE_H */
