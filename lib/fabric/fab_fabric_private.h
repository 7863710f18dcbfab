/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_FABRIC_PRIVATE_H
#define FAB_FABRIC_PRIVATE_H

#include <rte_log.h>
#include <rte_mempool.h>

#include "fab_ecn.h"
#include "fab_fabric.h"
#include "fab_heap.h"
#include "fab_pfc.h"
#include "fab_sched.h"

extern int fab_fabric_logtype;
#define FABRIC_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_fabric_logtype, "rocefab.fabric: " __VA_ARGS__)

/* A node that asks to run at the same time this often in a row is stuck. */
#define FABRIC_MAX_SAME_TIME_RUNS (1u << 20)
/* Control frames (ACK, NAK, CNP) a host's egress class holds beyond its data frames. */
#define FABRIC_HOST_CTRL_ROOM 256
/* Frames a node handles per port per burst. */
#define FABRIC_BURST 32
/* Data room of a flow frame's header and ICRC mbufs: any RoCEv2 headers fit. */
#define FABRIC_HDR_ROOM 128
/*
 * Entries of each switch's cache of recent destinations (4 KB): 256 beat
 * 1024 and 4096 on the 256-host fabric, whose every switch sees all 256
 * hosts as destinations; a bigger cache costs more in cache misses than its
 * rarer collisions save.
 */
#define FABRIC_ROUTE_DEST_CACHE 256
/* Whole-frame pool of a fabric whose hosts build none (no generator, no replay). */
#define FABRIC_IDLE_POOL 64

/* One port of a node: a link end. */
struct fabric_port {
	int link;                  /* link handle; -1 while unconnected */
	uint8_t end;               /* which end of the link */
	uint32_t peer;             /* node handle at the other end */
	uint16_t peer_port;
	uint64_t rate_bps;
	struct rte_ether_addr mac;
	struct fab_port *port;     /* made by start */
};

struct fabric_link {
	uint32_t a, b;             /* node handles of end 0 and end 1 */
	uint16_t port_a, port_b;
	uint64_t delay_ps;
	struct fab_link *link;     /* made by start */
};

struct fabric_flow {
	struct fab_flow_conf conf;
	uint32_t src, dst;         /* node handles */
	uint32_t local;            /* index among the source host's flows: its heap id there */
	uint8_t cls;               /* the source host's egress class for its DSCP */
	uint32_t mtu;
	uint64_t pace_bps;         /* min(rate, line rate) */
	uint64_t lag_cap_ps;       /* how far behind schedule a source may fall */
	uint64_t next_send;        /* when the source may build the next packet */
	uint64_t total;            /* payload bytes to send: conf.bytes, or UINT64_MAX for endless */
	uint64_t sent;             /* payload bytes built */
	uint32_t psn0;             /* first PSN (from the source host's PRNG) */
	uint32_t psn;              /* next PSN to send */
	uint32_t rx_psn;           /* next PSN the sink expects */
	struct fab_roce_addr addr; /* headers, filled by start */
	bool has_tmpl;             /* tmpl builds the flow's full-size MIDDLE frames */
	struct fab_flow_stats st;
	struct fab_pkt_zc_tmpl tmpl;
};

/* The sink's index of its flows, by destination QP. */
struct host_rx_flow {
	uint32_t qpn;
	uint32_t flow;
};

struct fabric_host {
	struct fab_host_conf conf;
	uint32_t queue_frames;
	struct fab_sched *sched;
	uint32_t sched_cap;        /* frames each class queue holds */
	struct fab_gen *gen;       /* the fabric's generator, if the host runs jobs */
	struct fab_pfc_rx *pfc_rx;
	struct fab_rng rng;
	uint32_t nb_tx_flows;
	uint32_t *tx_flows;        /* flow handles, in the host's flow order */
	struct fab_heap *flow_heap;/* local flow index keyed by (next_send, local index) */
	uint32_t nb_blocked;
	uint32_t *blocked;         /* local indexes waiting for room in their class queue */
	uint32_t nb_rx_flows;
	struct host_rx_flow *rx_flows; /* sorted by qpn */
	uint64_t rx_defer_ps;      /* longest an arrival waits to be taken (fabric_host_rx_wake()) */
	uint64_t pause_end;        /* when the pause of its egress that ends last ends */
	struct fab_host_stats st;
};

/* A job as added, until start hands it to the generator. */
struct fabric_job {
	struct fab_gen_job_conf conf;
	uint32_t *hosts;           /* node handles */
	uint64_t *sizes;
};

struct fabric_node {
	char name[FAB_FABRIC_NAME_LEN];
	enum fab_node_kind kind;
	uint32_t id;               /* rank of the name: heap id and tie-breaker */
	uint64_t name_hash;        /* stable identity for seeds */
	uint16_t nb_ports;
	struct fabric_port *ports;
	uint64_t lookahead_ps;     /* nothing can reach the node sooner than now + this */
	/* switch */
	struct fab_switch_conf swconf; /* the fabric's own copy */
	struct fab_port **sw_ports;
	struct fab_switch *sw;
	/* host */
	struct fabric_host *host;
	struct fabric_replay *replay;  /* frames of traces it sends; NULL if none */
	uint32_t gen_host;         /* its index in the generator; UINT32_MAX if none */
};

struct fab_fabric {
	struct fab_fabric_conf conf;
	char name[32];
	char err[512];
	struct fab_clock *clock;
	bool started;
	bool start_failed;
	uint32_t instance;

	uint32_t nb_nodes, cap_nodes;
	struct fabric_node **nodes;
	uint32_t *by_id;           /* node handle of each id */
	uint32_t nb_links, cap_links;
	struct fabric_link *links;
	uint32_t nb_flows, cap_flows;
	struct fabric_flow *flows;

	struct fab_heap *heap;
	struct rte_mempool *pool;      /* whole frames: the generator's and replayed ones */
	struct rte_mempool *ctrl_pool;
	/* The flows' frames: headers and ICRC (hdr_pool), payload zeros shared (zero_pool). */
	struct rte_mempool *hdr_pool;
	struct rte_mempool *zero_pool;
	uint32_t max_frame_len;

	/* traffic generator */
	struct fab_gen_nic_conf nic;
	char *nic_strings[3];      /* the copies nic points to: cc, cc_args, plugin_path */
	uint32_t nb_jobs, cap_jobs;
	struct fabric_job *jobs;
	struct fab_gen *gen;
	uint32_t *gen_nodes;       /* node handle of each generator host */
	/* trace replay */
	uint32_t nb_replays, cap_replays;
	struct fab_replay_conf *replays;
	struct fab_replay_stats replay_stats;
	uint32_t replay_max_frame;

	uint64_t now;
	uint64_t run_limit;        /* the time the latest fab_fabric_run() runs to */
	bool run_bounded;          /* ... and that run leaves time there, not at its last event */
	uint64_t events;
	uint64_t pops;
};

/*
 * When a host must run for the frame due at @p rx, the next in its link,
 * given its own next event at @p t (> rx): at rx, or later, taking it then.
 * A host without a generator only counts what it receives, with each
 * frame's own arrival time; a PFC frame among them can pause its egress,
 * and the host applies the pause from the frame's arrival before it
 * decides anything. Only a resume could let it send before t, and it can
 * have no effect while no pause is running at rx. Such a host waits for
 * its own next event if that comes within rx_defer_ps (which keeps the
 * frames waiting in a link within its ring's margin) and within the run;
 * otherwise, in a run to a finite time, it still waits rx_defer_ps, or
 * until the end of the run, where fab_fabric_run() leaves virtual time
 * whatever ran. A run to no end stops at its last event, so there an
 * event of the host's own choosing would show. A generator host answers
 * what it receives (ACKs, CNPs) at once, so it takes each frame at its
 * arrival.
 */
static inline uint64_t
fabric_host_rx_wake(const struct fab_fabric *fab, const struct fabric_node *n, uint64_t rx,
		uint64_t t)
{
	const struct fabric_host *h = n->host;

	if (rx > fab->run_limit || h->pause_end > rx || n->gen_host != UINT32_MAX)
		return rx;
	if (t - rx <= h->rx_defer_ps && t <= fab->run_limit)
		return t;
	if (!fab->run_bounded)
		return rx;
	return rx + RTE_MIN(h->rx_defer_ps, fab->run_limit - rx);
}

/* fab_fabric.c */
int fabric_fail(struct fab_fabric *fab, int ret, const char *fmt, ...)
	__rte_format_printf(3, 4);
uint64_t fabric_name_hash(const char *name);

/* fab_fabric_conf.c */
int fabric_switch_conf_copy(struct fab_switch_conf *dst, const struct fab_switch_conf *src);

/* fab_fabric_start.c */
uint64_t fabric_node_next_event(const struct fab_fabric *fab, const struct fabric_node *n,
	uint64_t now);

/* fab_fabric_jobs.c */
uint32_t fabric_jobs_max_frame(const struct fab_fabric *fab);
int fabric_jobs_start(struct fab_fabric *fab);
void fabric_jobs_free(struct fab_fabric *fab);

/* fab_fabric_replay.c */
struct fabric_replay;
int fabric_replay_start(struct fab_fabric *fab);
void fabric_replay_free(struct fabric_replay *r);
void fabric_replay_free_all(struct fab_fabric *fab);
uint32_t fabric_replay_fill(struct fab_fabric *fab, struct fabric_node *n, uint64_t now);
uint64_t fabric_replay_next(const struct fabric_node *n);

/* fab_fabric_host.c */
int fabric_host_start(struct fab_fabric *fab, struct fabric_node *n);
void fabric_host_free(struct fabric_host *h);
uint32_t fabric_host_max_frame(struct fab_fabric *fab, const struct fabric_node *n);
int fabric_assign_qpns(struct fab_fabric *fab);
void fabric_host_poll(struct fab_fabric *fab, struct fabric_node *n, uint64_t now);
uint64_t fabric_host_next_event(const struct fab_fabric *fab, const struct fabric_node *n,
	uint64_t now);

#endif /* FAB_FABRIC_PRIVATE_H */
