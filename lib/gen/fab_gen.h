/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_GEN_H
#define FAB_GEN_H

/**
 * @file
 * The traffic generator: jobs of collectives (lib/collective) run by ranks
 * placed on hosts, each transfer an RDMA WRITE message on its own RC queue
 * pair (lib/transport), each QP paced by congestion control (lib/cc), as
 * NCCL over RoCE NICs does it.
 *
 * A generator knows every host of the jobs (addresses, MACs, rates) and runs
 * the local ones: the fabric runs all of them in one process; rocefab-gen
 * runs those on its ports while another process runs the others. Everything
 * a rank needs to go on is local to it (a step starts when the data it
 * depends on has arrived at that rank), and QPNs, PSNs and UDP source ports
 * are derived from the job list and the seed, so two processes built from
 * the same configuration agree on them.
 *
 * A host's NIC is driven by its owner: fab_gen_rx() for every RoCE frame
 * addressed to a generator QP, fab_gen_poll() at the host's events (job
 * starts, retransmission timers), and fab_gen_tx() to take frames when the
 * host's egress has room; fab_gen_next_event() says when to come back.
 * Times are picoseconds; the same code runs in virtual and real time.
 *
 * Rounds: each job runs, for each of its sizes, warm-up then timed
 * iterations of its collective. A rank enters the next round as soon as
 * its own sends of the round are acknowledged and its receives have arrived
 * (like consecutive kernels on a GPU stream); a round's time runs from the
 * first rank entering it to the last rank finishing it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "fab_pkt.h"
#include "fab_collective.h"

#ifdef __cplusplus
extern "C" {
#endif

/** First QPN of the generator's QPs on every host (lower ones are left to other sources). */
#define FAB_GEN_QPN_BASE 0x100000u
/** Default DSCP of data: RoCE, lossless class 3 on the default maps. */
#define FAB_GEN_DEFAULT_DSCP 26
/** Default DSCP of CNPs. */
#define FAB_GEN_DEFAULT_CNP_DSCP 48
/**
 * Default packets in flight per QP: RDMA WRITEs of an RC QP have no send
 * window but the PSN space, so the NIC sends what congestion control allows.
 */
#define FAB_GEN_DEFAULT_WINDOW (1u << 20)
/**
 * Default packets per coalesced ACK. NICs coalesce ACKs (the HPCC
 * simulator's L2 ACK interval plays the same role); one ACK per 16 packets
 * keeps ACKs at about 6% of a lossless class's frames, so a switch queue of
 * FAB_FABRIC_DEFAULT_QUEUE_CAPACITY descriptors holds the class's whole
 * byte limit before it runs out of descriptors.
 */
#define FAB_GEN_DEFAULT_ACK_EVERY 16
/** Room for a job name with its NUL. */
#define FAB_GEN_NAME_LEN 32

/** How the NICs behave: transport and congestion control, the same on every host. */
struct fab_gen_nic_conf {
	const char *cc;            /**< congestion-control plugin; NULL: "cc-dcqcn" */
	const char *cc_args;       /**< its "key=value,..." arguments; may be NULL */
	const char *plugin_path;   /**< where .so plugins are looked up; may be NULL */
	uint32_t mtu;              /**< RoCE payload per packet; 0: 4096 */
	uint8_t timeout;           /**< RTO exponent (4.096 us x 2^timeout); 0: transport default */
	uint8_t retry_cnt;         /**< 0xff: transport default */
	uint32_t ack_every;        /**< 0: FAB_GEN_DEFAULT_ACK_EVERY */
	uint32_t window;           /**< packets unacknowledged per QP; 0: FAB_GEN_DEFAULT_WINDOW */
	bool ooo_accept;           /**< receivers take packets out of order (adaptive-routing NICs) */
	uint32_t ooo_window;       /**< 0: transport default */
	uint8_t cnp_dscp;          /**< 0: FAB_GEN_DEFAULT_CNP_DSCP */
	bool no_icrc_check;        /**< receivers skip the ICRC check (benchmarks) */
	bool no_payload_check;     /**< receivers skip the payload check (benchmarks) */
};

/** A host the jobs may run on. */
struct fab_gen_host_conf {
	char name[32];
	uint8_t l3;                /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	union fab_ip_addr ip;
	struct rte_ether_addr mac;
	struct rte_ether_addr gw_mac; /**< every frame's destination: the next hop */
	uint64_t rate_bps;
	uint8_t dscp_to_class[64]; /**< egress class of each DSCP (for the caller's queues) */
	bool local;                /**< run by this generator */
};

/** A job: one collective, swept over sizes, on ranks placed on hosts. */
struct fab_gen_job_conf {
	char name[FAB_GEN_NAME_LEN];
	struct fab_coll_conf coll; /**< pattern, nranks, root, channels, chunk, seed (bytes: ignored) */
	const uint32_t *hosts;     /**< host of each rank (generator host indexes) */
	uint32_t nb_sizes;
	const uint64_t *sizes;     /**< bytes of each size, as nccl-tests' size column */
	uint32_t warmup;           /**< untimed iterations per size */
	uint32_t iters;            /**< timed iterations per size (at least 1) */
	uint64_t start_ps;
	uint8_t dscp;
	uint8_t ecn;               /**< 2: ECT(0); 0: Not-ECT */
};

/** The generator's configuration. */
struct fab_gen_conf {
	uint64_t seed;             /**< PSNs, UDP source ports; permutations draw from the job's own seed */
	struct fab_gen_nic_conf nic;
	struct rte_mempool *pool;  /**< frames are built from it */
	int socket_id;
};

/** Counters of one host (its QPs summed). */
struct fab_gen_host_stats {
	uint64_t tx_data_pkts;     /**< WRITE packets sent, retransmissions included */
	uint64_t tx_data_bytes;    /**< their payload */
	uint64_t retx_pkts;        /**< retransmitted packets */
	uint64_t rx_data_bytes;    /**< payload delivered (goodput bytes) */
	uint64_t rx_dup;
	uint64_t rx_out_of_seq;
	uint64_t rx_bad_icrc;
	uint64_t rx_bad_payload;
	uint64_t tx_acks, tx_naks, rx_acks, rx_naks;
	uint64_t cnp_tx;           /**< CNPs sent (notification point) */
	uint64_t cnp_rx;           /**< CNPs received (reaction point) */
	uint64_t timeouts;
	uint64_t errors;           /**< messages failed after the retries ran out */
	uint64_t nombuf;
	uint64_t rx_unknown_qp;    /**< frames for a QPN the host does not have */
	uint64_t tx_frames;        /**< frames handed out by fab_gen_tx() */
	uint64_t first_rx_ps;      /**< first data delivered; UINT64_MAX if none */
	uint64_t last_rx_ps;       /**< last data delivered */
};

/** One transfer as it ran: a row of flows.csv. */
struct fab_gen_flow {
	uint32_t job;
	uint32_t round;            /**< size index * (warmup + iters) + iteration */
	uint32_t xfer;             /**< index in the collective's transfers */
	uint32_t src_rank, dst_rank;
	uint32_t src_host, dst_host;
	uint32_t src_qpn, dst_qpn;
	uint16_t sport;
	uint64_t bytes;
	uint64_t post_ps;          /**< posted at the sender */
	uint64_t arrive_ps;        /**< last byte delivered at the receiver (UINT64_MAX if not local) */
	uint64_t ack_ps;           /**< completed at the sender */
	uint32_t retx_pkts;        /**< retransmissions on its QP while it was outstanding */
	uint32_t cnps;             /**< CNPs its QP received while it was outstanding */
	int status;                /**< 0, or -ETIMEDOUT */
};

/** Result of one size of a job (its timed iterations). */
struct fab_gen_size_result {
	uint64_t bytes;            /**< the size */
	uint32_t iters;            /**< timed iterations completed */
	uint64_t time_ps;          /**< mean time of a timed iteration */
	uint64_t min_ps, max_ps;
	double algbw_gbps;         /**< GB/s (1e9 bytes): bytes / time */
	double busbw_gbps;         /**< algbw x nccl-tests' factor */
	uint64_t wrong;            /**< payload or ICRC errors on the job's QPs (nccl-tests' #wrong) */
};

struct fab_gen;

/**
 * Create an empty generator.
 *
 * @return it, or NULL with rte_errno set and a message in @p err.
 */
struct fab_gen *fab_gen_create(const struct fab_gen_conf *conf, char *err, size_t errlen);

/** Free a generator, its QPs and its records; accepts NULL. */
void fab_gen_free(struct fab_gen *gen);

/** Add a host. @return its index, or a negative errno. */
int fab_gen_add_host(struct fab_gen *gen, const struct fab_gen_host_conf *conf);

/**
 * Add a job (copied). Checks it: ranks on distinct hosts of one address
 * family, sizes, pattern constraints.
 *
 * @return its index, or a negative errno with a message in @p err.
 */
int fab_gen_add_job(struct fab_gen *gen, const struct fab_gen_job_conf *conf, char *err,
		size_t errlen);

/**
 * Build the collectives, QPs and congestion-control state of the local
 * hosts. After it, no more hosts or jobs.
 *
 * @return 0, or a negative errno with a message in @p err.
 */
int fab_gen_start(struct fab_gen *gen, uint64_t now_ps, char *err, size_t errlen);

/** Largest frame a local host builds (for pool sizing); valid after start. */
uint32_t fab_gen_max_frame_len(const struct fab_gen *gen);

/** True if @p qpn on host @p host is one of the generator's QPs. */
bool fab_gen_owns_qpn(const struct fab_gen *gen, uint32_t host, uint32_t qpn);

/**
 * A RoCE frame for host @p host (already parsed into @p mt). The caller
 * frees @p m.
 *
 * @return 0, or -ENOENT when no QP of the host has its destination QPN.
 */
int fab_gen_rx(struct fab_gen *gen, uint32_t host, uint64_t now, struct rte_mbuf *m,
		const struct fab_pkt_meta *mt);

/** Handle what is due at @p now on host @p host: job starts, retransmission timers. */
void fab_gen_poll(struct fab_gen *gen, uint32_t host, uint64_t now);

/**
 * Frames host @p host sends now: CNPs, then ACKs and NAKs, then data of the
 * QPs whose pacing allows it, round robin in time order. @p data_room and
 * @p ctrl_room give, per egress class, how many data and control frames
 * the egress takes now; cls[i] receives frame i's class.
 *
 * @return the number of frames written to @p out (at most @p n).
 */
uint16_t fab_gen_tx(struct fab_gen *gen, uint32_t host, uint64_t now,
		const uint32_t data_room[FAB_NUM_PRIO], const uint32_t ctrl_room[FAB_NUM_PRIO],
		struct rte_mbuf **out, uint8_t *cls, uint16_t n);

/**
 * When host @p host next has something to do (a QP's next packet, a timer,
 * a job start, a frame owed); UINT64_MAX if nothing. Frames waiting for
 * room in the egress count as due now only once the egress has room: the
 * caller polls again when it frees room.
 */
uint64_t fab_gen_next_event(const struct fab_gen *gen, uint32_t host, uint64_t now);

/** True once every local rank of every job has finished every round. */
bool fab_gen_done(const struct fab_gen *gen);

/** Counters of host @p host. @return 0 or -EINVAL. */
int fab_gen_host_stats(const struct fab_gen *gen, uint32_t host, struct fab_gen_host_stats *out);

/** Number of hosts, of jobs. */
uint32_t fab_gen_nb_hosts(const struct fab_gen *gen);
uint32_t fab_gen_nb_jobs(const struct fab_gen *gen);

/** A job's configuration as added (sizes and hosts point into the generator). */
const struct fab_gen_job_conf *fab_gen_job(const struct fab_gen *gen, uint32_t job);

/** True once job @p job is finished on every local rank. */
bool fab_gen_job_done(const struct fab_gen *gen, uint32_t job);

/** Results of size @p size of job @p job. @return 0 or -EINVAL. */
int fab_gen_size_result(const struct fab_gen *gen, uint32_t job, uint32_t size,
		struct fab_gen_size_result *out);

/** The transfers recorded so far, in completion order. */
const struct fab_gen_flow *fab_gen_flows(const struct fab_gen *gen, uint32_t *nb);

/**
 * Payload bytes delivered from rank @p src to rank @p dst of job @p job
 * (counted by the receiving QPs: only local receivers count).
 */
uint64_t fab_gen_rx_matrix(const struct fab_gen *gen, uint32_t job, uint32_t src, uint32_t dst);

/**
 * The collective of job @p job for size @p size (the transfers every round
 * of that size runs).
 */
const struct fab_coll *fab_gen_coll(const struct fab_gen *gen, uint32_t job, uint32_t size);

/** One QP end as time series show it. */
struct fab_gen_qp_info {
	uint32_t job;
	uint32_t src_rank, dst_rank;
	uint32_t src_host, dst_host;
	uint32_t channel;
	uint32_t qpn;              /**< this end's QPN */
	bool sender;               /**< the sending end (else the receiving one) */
	uint64_t rate_bps;         /**< its congestion control's rate now (senders) */
	uint64_t tx_data_bytes;    /**< payload sent, retransmissions included */
	uint64_t acked_bytes;      /**< payload acknowledged */
	uint64_t retx_pkts;
	uint64_t cnp_rx;           /**< CNPs received (senders) */
	uint64_t rx_data_bytes;    /**< payload delivered (receivers) */
};

/** QP ends of local host @p host (0 for a remote one). */
uint32_t fab_gen_host_nb_qps(const struct fab_gen *gen, uint32_t host);

/**
 * QP end @p qi of host @p host at @p now. Reading the rate applies the
 * congestion control's timers due by @p now, as sending would: the results
 * of a run do not depend on whether or how often it is sampled (lib/cc's
 * timers are lazy and exact).
 *
 * @return 0, or -EINVAL.
 */
int fab_gen_qp_info(struct fab_gen *gen, uint32_t host, uint32_t qi, uint64_t now,
		struct fab_gen_qp_info *out);

/**
 * Write the jobs' results in nccl-tests' layout: per job a header, one line
 * per size (out of place), "Avg bus bandwidth". Nothing without jobs; a
 * NULL generator writes nothing.
 *
 * @return 0, or -EIO.
 */
int fab_gen_write_nccl(FILE *f, const struct fab_gen *gen);

/**
 * Write collectives.csv: a header, then per job and size nccl-tests'
 * columns (docs/outputs.md). A NULL generator writes the header only.
 *
 * @return 0, -EINVAL, or -EIO.
 */
int fab_gen_write_collectives(FILE *f, const struct fab_gen *gen);

/** Name of the congestion control in use. */
const char *fab_gen_cc_name(const struct fab_gen *gen);

#ifdef __cplusplus
}
#endif

#endif /* FAB_GEN_H */
