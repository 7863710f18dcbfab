/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_TRANSPORT_H
#define FAB_TRANSPORT_H

/**
 * @file
 * RoCE reliable connection (RC) transport, one queue pair end at a time, as
 * a NIC runs it: the requester cuts posted RDMA WRITE messages into
 * MTU-sized first/middle/last (or only) packets with RETH where due, 24-bit
 * PSNs that wrap, valid ICRCs and a payload pattern derived from
 * (destination QPN, PSN); the responder checks the ICRC and the pattern,
 * delivers in PSN order, ACKs (coalesced), NAKs a PSN gap once per gap
 * (sequence error), and discards duplicates; the requester goes back N on
 * a NAK or on a retransmission timeout (IB: 4.096 us x 2^timeout, retry
 * count, an error when the retries run out).
 *
 * A QP does no I/O and keeps no clock: its user hands it received frames
 * with the time (fab_qp_rx()), asks it for frames to send
 * (fab_qp_tx_ctrl() for ACK/NAK first, then fab_qp_tx_data()), paces them
 * itself (congestion control lives elsewhere: lib/cc), and calls
 * fab_qp_on_timer() at fab_qp_timer_deadline(). The same code runs in the
 * fabric's virtual time and on DPDK ports in real time. Times are
 * picoseconds.
 *
 * A QP end is both requester (it sends WRITEs to its peer and takes ACKs)
 * and responder (it takes WRITEs from its peer and sends ACKs), as in
 * InfiniBand; a one-way flow uses the requester role of one end and the
 * responder role of the other.
 *
 * Not thread-safe; no allocation after create except mbufs from the pool.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "fab_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** IB's retransmission timeout unit: 4.096 us. */
#define FAB_QP_TIMEOUT_UNIT_PS UINT64_C(4096000)
/** Default local ACK timeout exponent (4.096 us x 2^14 = 67 ms; NCCL_IB_TIMEOUT's old default). */
#define FAB_QP_DEFAULT_TIMEOUT 14
/** Default retry count (IB's maximum, 7). */
#define FAB_QP_DEFAULT_RETRY 7
/** Default packets per coalesced ACK. */
#define FAB_QP_DEFAULT_ACK_EVERY 4
/** Default packets sent and not yet acknowledged, at most. */
#define FAB_QP_DEFAULT_WINDOW 1024
/** Default messages a QP can hold posted. */
#define FAB_QP_DEFAULT_MAX_WR 256
/** Default out-of-order window (packets) when ooo_accept is set. */
#define FAB_QP_DEFAULT_OOO_WINDOW 256
/** Largest message: the RETH's DMA length is 32 bits; longer posts are cut into messages of 1 GiB. */
#define FAB_QP_MAX_MESSAGE (UINT64_C(1) << 30)

/** Configuration of one QP end. */
struct fab_qp_conf {
	uint32_t qpn;              /**< this end, 2..0xffffff (0 and 1 are special) */
	uint32_t peer_qpn;         /**< the other end, 2..0xffffff */
	/**
	 * Headers of the data frames this end sends: MACs, addresses, DSCP,
	 * ECN (ECT(0) = 2 for DCQCN), UDP source port (the QP's entropy).
	 * ACK/NAK frames use the same headers with ack_dscp and Not-ECT.
	 */
	struct fab_roce_addr addr;
	uint8_t ack_dscp;          /**< DSCP of ACK and NAK frames */
	uint32_t mtu;              /**< payload per packet: 256..4096, a power of two; 0: 4096 */
	uint32_t psn0;             /**< first PSN this end sends (24 bits) */
	uint32_t peer_psn0;        /**< first PSN it expects from its peer */
	uint8_t timeout;           /**< 1..31: RTO = 4.096 us x 2^timeout; 0: the default */
	uint8_t retry_cnt;         /**< retries before the QP errs, 0..7; 0xff: the default */
	uint32_t ack_every;        /**< responder ACKs every this many packets (and each AckReq); 0: default */
	uint32_t window;           /**< packets in flight unacknowledged, at most; 0: default */
	uint32_t max_wr;           /**< messages posted and not completed, at most; 0: default */
	/**
	 * The responder takes packets out of order within ooo_window instead
	 * of NAKing them; a real loss is then recovered by the requester's
	 * retransmission timeout.
	 */
	bool ooo_accept;
	uint32_t ooo_window;       /**< packets ahead of the expected PSN it takes; 0: default, at most 4096 */
	bool no_icrc_check;        /**< responder skips ICRC checks (benchmarks) */
	bool no_payload_check;     /**< responder skips the pattern check (benchmarks) */
	struct rte_mempool *pool;  /**< frames are allocated here */
	int socket_id;
};

/** What fab_qp_rx() made of a frame. */
enum fab_qp_rx_kind {
	FAB_QP_RX_DATA = 0,        /**< a WRITE in order (or accepted out of order): delivered */
	FAB_QP_RX_DUP,             /**< a WRITE already received: discarded (an ACK is due) */
	FAB_QP_RX_OUT_OF_SEQ,      /**< a WRITE beyond the expected PSN: discarded (a NAK may be due) */
	FAB_QP_RX_BAD_ICRC,        /**< dropped: wrong ICRC */
	FAB_QP_RX_BAD_PAYLOAD,     /**< dropped: payload differs from the pattern */
	FAB_QP_RX_ACK,             /**< an ACK for this end's WRITEs */
	FAB_QP_RX_NAK,             /**< a NAK (sequence error): going back to its PSN */
	FAB_QP_RX_CNP,             /**< a CNP for this QP (for congestion control) */
	FAB_QP_RX_OTHER,           /**< anything else addressed to the QP: ignored, counted */
};

/** Details of one received frame, for the caller and for congestion control. */
struct fab_qp_rx_info {
	enum fab_qp_rx_kind kind;
	bool ce;                   /**< the frame was marked CE (a CNP may be due: lib/cc decides) */
	uint32_t delivered_bytes;  /**< payload now delivered at the responder */
	uint64_t acked_bytes;      /**< payload newly acknowledged at the requester */
	uint64_t rtt_ps;           /**< an RTT sample carried by this ACK; 0 if none */
	uint32_t send_completed;   /**< requester messages completed by this frame */
	uint32_t recv_completed;   /**< responder messages completed by this frame */
};

/** A completion. */
struct fab_qp_wc {
	uint64_t wr_id;            /**< as posted (for received messages: their sequence number, from 0) */
	uint64_t bytes;            /**< message payload */
	int status;                /**< 0, or -ETIMEDOUT when the retries ran out */
};

/** Counters of one QP end. */
struct fab_qp_stats {
	uint64_t tx_data_pkts;     /**< WRITE packets sent, retransmissions included */
	uint64_t tx_data_bytes;    /**< their payload */
	uint64_t retx_pkts;        /**< of which retransmissions */
	uint64_t tx_acks;          /**< ACKs sent */
	uint64_t tx_naks;          /**< NAKs sent */
	uint64_t rx_data_pkts;     /**< WRITE packets delivered */
	uint64_t rx_data_bytes;    /**< their payload */
	uint64_t rx_dup;           /**< duplicates discarded */
	uint64_t rx_out_of_seq;    /**< packets beyond the expected PSN discarded */
	uint64_t rx_ooo_accepted;  /**< packets taken out of order (ooo_accept) */
	uint64_t rx_bad_icrc;
	uint64_t rx_bad_payload;
	uint64_t rx_acks;
	uint64_t rx_naks;
	uint64_t rx_cnps;
	uint64_t rx_other;
	uint64_t timeouts;         /**< retransmission timeouts */
	uint64_t errors;           /**< messages failed after the retries ran out */
	uint64_t nombuf;           /**< frames not built for want of mbufs */
	uint64_t posted_bytes;     /**< payload posted */
	uint64_t acked_bytes;      /**< payload acknowledged */
	uint64_t rx_cq_overflow;   /**< responder completions lost: nobody polled and the ring was full */
};

struct fab_qp;

/**
 * Create a QP end.
 *
 * @return the QP, or NULL with rte_errno set (EINVAL: a QPN of 0 or 1 or
 *   above 24 bits, an MTU that is not a power of two in 256..4096, a window
 *   of 2^23 or more, no pool; ENOMEM).
 */
struct fab_qp *fab_qp_create(const struct fab_qp_conf *conf);

/** Free a QP end; accepts NULL. */
void fab_qp_free(struct fab_qp *qp);

/**
 * Post an RDMA WRITE of @p bytes (at least 1). A post longer than
 * FAB_QP_MAX_MESSAGE becomes several messages and one completion.
 *
 * @return 0, -ENOSPC (max_wr messages outstanding), -EINVAL, -EIO (the QP
 *   is in error).
 */
int fab_qp_post_write(struct fab_qp *qp, uint64_t bytes, uint64_t wr_id);

/**
 * Handle a frame addressed to this QP (the caller demultiplexes by the BTH
 * destination QP: fab_qp_qpn()). @p mt is the frame's fab_pkt_parse()
 * result. Does not free @p m.
 *
 * @return 0 with @p info filled.
 */
int fab_qp_rx(struct fab_qp *qp, uint64_t now, struct rte_mbuf *m,
		const struct fab_pkt_meta *mt, struct fab_qp_rx_info *info);

/**
 * The next ACK or NAK this end owes its peer, built from the pool.
 *
 * @return 1 with *@p out set, 0 when none is due, -ENOMEM (it stays due).
 */
int fab_qp_tx_ctrl(struct fab_qp *qp, uint64_t now, struct rte_mbuf **out);

/** True when data (new or to retransmit) may be sent now: posted, inside the window, no error. */
bool fab_qp_tx_ready(const struct fab_qp *qp);

/**
 * Build the next data packet: the next new one, or after a NAK or a
 * timeout the next one to resend. The caller paces: this never waits.
 *
 * @return 1 with *@p out set (payload bytes in *@p payload if not NULL),
 *   0 when nothing may be sent, -ENOMEM.
 */
int fab_qp_tx_data(struct fab_qp *qp, uint64_t now, struct rte_mbuf **out, uint32_t *payload);

/** Frame length of the largest data packet this QP builds (for pacing and pool sizing). */
uint32_t fab_qp_max_frame_len(const struct fab_qp *qp);

/**
 * Build a CNP to the peer (BTH destination = the peer QP, the QP being
 * throttled), with @p dscp and Not-ECT.
 *
 * @return 1 with *@p out set, -ENOMEM.
 */
int fab_qp_build_cnp(struct fab_qp *qp, uint8_t dscp, struct rte_mbuf **out);

/** When fab_qp_on_timer() is due (ps); UINT64_MAX when no timer runs. */
uint64_t fab_qp_timer_deadline(const struct fab_qp *qp);

/**
 * Handle the retransmission timer at @p now: if it has expired, go back to
 * the oldest unacknowledged PSN and count a retry; after retry_cnt retries
 * the outstanding messages complete with -ETIMEDOUT and the QP is in error.
 *
 * @return 1 if it expired, 0 if not yet, -ETIMEDOUT when the QP just erred.
 */
int fab_qp_on_timer(struct fab_qp *qp, uint64_t now);

/** Take requester completions, oldest first. @return how many were written. */
unsigned int fab_qp_poll_send(struct fab_qp *qp, struct fab_qp_wc *wc, unsigned int n);

/** Take responder completions (whole messages delivered), oldest first. */
unsigned int fab_qp_poll_recv(struct fab_qp *qp, struct fab_qp_wc *wc, unsigned int n);

/** Nothing posted is unacknowledged and no ACK is owed. */
bool fab_qp_idle(const struct fab_qp *qp);

/** True once the retries ran out. */
bool fab_qp_in_error(const struct fab_qp *qp);

/** This end's QPN. */
uint32_t fab_qp_qpn(const struct fab_qp *qp);

/** Counters. */
void fab_qp_stats(const struct fab_qp *qp, struct fab_qp_stats *out);

/**
 * The payload pattern: the bytes of the packet with destination QP @p qpn
 * and PSN @p psn. Word j (8 bytes, little-endian) is s + j * 0x9E3779B97F4A7C15
 * where s = splitmix64 of ((qpn << 24) | psn); a final partial word is cut.
 */
void fab_qp_pattern_fill(uint32_t qpn, uint32_t psn, void *buf, uint32_t len);

/** True when @p buf holds the pattern of (@p qpn, @p psn) for @p len bytes. */
bool fab_qp_pattern_check(uint32_t qpn, uint32_t psn, const void *buf, uint32_t len);

/**
 * Narrow the vector paths of the pattern's fill and check to @p max_bits
 * (128: scalar, 256: AVX2, 512: AVX-512; 0: only the EAL's SIMD width and
 * the CPU decide, the default), as rte_net_crc_set_alg() picks DPDK's CRC
 * path; for tests and benchmarks that compare the paths. Not thread-safe.
 *
 * @return the width the paths now use: 512, 256, or 0 (scalar).
 */
unsigned int fab_qp_pattern_set_max_simd(unsigned int max_bits);

/** PSN @p a minus PSN @p b in 24-bit serial arithmetic (-2^23 .. 2^23-1). */
static inline int32_t
fab_psn_diff(uint32_t a, uint32_t b)
{
	return (int32_t)((a - b) << 8) >> 8;
}

#ifdef __cplusplus
}
#endif

#endif /* FAB_TRANSPORT_H */
