/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_TRANSPORT_PRIVATE_H
#define FAB_TRANSPORT_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "fab_pkt.h"
#include "fab_transport.h"

/*
 * The RETH of every FIRST/ONLY packet: a fixed base plus the message's
 * offset within its post, a fixed R_Key. Nothing reads memory here, so any
 * constant would do; these are easy to spot in a capture.
 */
#define FAB_QP_VADDR_BASE UINT64_C(0x00007f0000000000)
#define FAB_QP_RKEY 0x0000fab1u

/* Largest payload a responder checks (IB's largest path MTU). */
#define FAB_QP_MAX_MTU 4096

/* Flags of one out-of-order slot. */
#define FAB_QP_OOO_HELD   0x01 /* the PSN was accepted and waits for e */
#define FAB_QP_OOO_LAST   0x02 /* it was the last packet of its message */
#define FAB_QP_OOO_ACKREQ 0x04 /* it asked for an ACK */

/* One posted message: a PSN range [first_psn, first_psn + npkts). */
struct fab_qp_wqe {
	uint64_t wr_id;       /* completion's wr_id (last message of a post) */
	uint64_t post_bytes;  /* completion's byte count (last message of a post) */
	uint64_t msg_off;     /* offset of this message in its post (RETH) */
	uint32_t bytes;       /* payload of this message, 1..2^30 */
	uint32_t first_psn;
	uint32_t npkts;
	bool last_of_post;    /* this message's completion is the post's */
};

/* One held out-of-order packet (ooo_accept). */
struct fab_qp_ooo_slot {
	uint16_t len;         /* its payload, for the message byte count */
	uint8_t flags;        /* FAB_QP_OOO_* */
};

struct fab_qp {
	/* Configuration, derived once. */
	uint32_t qpn;
	uint32_t peer_qpn;
	uint32_t mtu;
	uint32_t mtu_shift;
	uint32_t window;
	uint32_t ack_every;
	uint32_t ooo_window;
	uint64_t rto_ps;
	uint8_t retry_cnt;
	bool ooo_accept;
	bool no_icrc_check;
	bool no_payload_check;
	struct fab_roce_addr addr;      /* data frames */
	struct fab_roce_addr ctrl_addr; /* ACK, NAK, CNP: ack_dscp, Not-ECT */
	struct fab_pkt_meta icrc_mt;    /* header offsets of our data frames */
	uint32_t hdr_len;               /* bytes before the payload, without RETH */
	struct rte_mempool *pool;

	/* Requester. */
	struct fab_qp_wqe *wqe;         /* ring of wqe_mask + 1 */
	uint32_t wqe_mask;
	uint32_t max_wr;
	uint32_t wq_head;               /* oldest message not completed */
	uint32_t wq_tx;                 /* message holding snd_nxt (wq_tail: none) */
	uint32_t wq_tail;               /* next free slot */
	uint32_t next_psn;              /* first PSN of the next message posted */
	uint32_t snd_una;               /* oldest PSN not acknowledged */
	uint32_t snd_nxt;               /* next PSN to send */
	uint32_t snd_max;               /* one past the highest PSN ever sent */
	uint64_t last_progress;         /* the RTO runs from here */
	uint32_t retries;
	bool error;
	bool rtt_timing;
	uint32_t rtt_psn;
	uint64_t rtt_sent;

	/* Requester completions: fab_qp_post_write() keeps room for them. */
	struct fab_qp_wc *scq;
	uint32_t scq_mask;
	uint32_t scq_head;
	uint32_t scq_tail;

	/* Responder. */
	uint32_t rcv_e;                 /* expected PSN */
	uint32_t msn;                   /* messages completed, 24 bits on the wire */
	uint64_t rcv_msg_seq;           /* next received message's wr_id */
	uint64_t rcv_msg_bytes;         /* payload of the message being received */
	uint32_t since_ack;             /* packets delivered since the last ACK */
	bool ack_owed;
	bool nak_owed;
	bool nak_armed;                 /* no NAK yet for the gap at rcv_e */
	struct fab_qp_ooo_slot *ooo;    /* ring of ooo_mask + 1, indexed by PSN */
	uint32_t ooo_mask;
	uint32_t ooo_held;              /* slots held */

	/* Responder completions: the oldest are kept when nobody polls. */
	struct fab_qp_wc *rcq;
	uint32_t rcq_mask;
	uint32_t rcq_head;
	uint32_t rcq_tail;

	struct fab_qp_stats st;
	uint8_t scratch[FAB_QP_MAX_MTU]; /* a payload split over segments */
};

/* Last PSN of a message. */
static inline uint32_t
fab_qp_wqe_last_psn(const struct fab_qp_wqe *w)
{
	return (w->first_psn + w->npkts - 1) & FAB_PSN_MASK;
}

/* Payload bytes of a message before its packet @p k (0..npkts). */
static inline uint64_t
fab_qp_wqe_bytes_before(const struct fab_qp *qp, const struct fab_qp_wqe *w, uint32_t k)
{
	uint64_t b = (uint64_t)k << qp->mtu_shift;

	return b < w->bytes ? b : w->bytes;
}

/* Packets outstanding: sent at least once and not acknowledged. */
static inline bool
fab_qp_outstanding(const struct fab_qp *qp)
{
	return qp->snd_max != qp->snd_una;
}

/* fab_qp_tx.c: the requester's moves, shared with the receive path. */
void fab_qp_go_back(struct fab_qp *qp, uint32_t psn);
void fab_qp_ack_to(struct fab_qp *qp, uint64_t now, uint32_t psn,
		struct fab_qp_rx_info *info);

/* fab_qp_rx.c */
void fab_qp_rcq_push(struct fab_qp *qp, uint64_t bytes);

#endif /* FAB_TRANSPORT_PRIVATE_H */
