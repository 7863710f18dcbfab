/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_FABRIC_H
#define FAB_FABRIC_H

/**
 * @file
 * A whole fabric in one process, in deterministic virtual time: switches
 * (lib/switch, unchanged), hosts with a simple RoCEv2 traffic source and
 * sink, and in-process links (lib/link) between them.
 *
 * The loop is an indexed min-heap of nodes keyed by (next event time, node
 * id). It pops the earliest node, runs only that node at that time (a
 * switch: fab_switch_poll(); a host: its receive and transmit), asks it for
 * its next event, and lowers the key of every peer whose incoming link got a
 * frame that is due earlier than the peer's key. No event ever sweeps every
 * node. A node may also handle its own later events up to its lookahead
 * (the smallest delay plus minimum frame time of its links) without going
 * back to the heap, since nothing can reach it sooner.
 *
 * Node ids are the ranks of the node names in byte order (strcmp), so the
 * results do not depend on the order in which nodes, links and flows are
 * added. Handles returned by the add functions are insertion indexes.
 *
 * Use: fab_fabric_create(), add switches and hosts, connect their ports,
 * add flows, then fab_fabric_run() (which starts the fabric on its first
 * call, or call fab_fabric_start()), read the counters, fab_fabric_free().
 * Needs the EAL (mbuf pools); time is picoseconds, rates bits per second.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "fab_pkt.h"
#include "fab_config.h"
#include "fab_clock.h"
#include "fab_link.h"
#include "fab_switch.h"
#include "fab_gen.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for a node name with its NUL (as switch names). */
#define FAB_FABRIC_NAME_LEN FAB_CONF_NAME_LEN
/** Default RoCE path MTU of a flow (payload bytes per packet). */
#define FAB_FABRIC_DEFAULT_MTU 4096
/** Default frames a host may hold queued per class before its sources wait. */
#define FAB_FABRIC_DEFAULT_HOST_QUEUE 4
/** Most frames a host may keep queued per class. */
#define FAB_FABRIC_MAX_HOST_QUEUE 65536
/** Default frames per switch egress class queue. */
#define FAB_FABRIC_DEFAULT_QUEUE_CAPACITY 4096

/** Settings of a fabric. All zero is valid (seed 0, defaults everywhere). */
struct fab_fabric_conf {
	const char *name;          /**< for messages; NULL: "fabric" */
	uint64_t seed;             /**< every node's PRNG derives from it and the node's name */
	int socket_id;             /**< NUMA socket of pools, links and tables; SOCKET_ID_ANY is -1 */
	/**
	 * Frames the pools hold: whole-frame mbufs for the generator's and
	 * replayed frames (when there are any), and for flows' frames twice as
	 * many header/ICRC mbufs and as many shared-payload bodies. 0 sizes it
	 * from the switch buffers, the links and the host queues. A pool that
	 * runs dry makes hosts wait (counted as nombuf), which changes timing:
	 * size it generously.
	 */
	uint32_t nb_mbufs;
	uint32_t nb_ctrl_mbufs;    /**< mbufs for the switches' PFC frames; 0: sized from the ports */
	uint32_t queue_capacity;   /**< frames per switch egress class queue, power of two; 0: default */
	uint64_t max_time_ps;      /**< fab_fabric_run() never goes past it; 0: no limit */
	bool no_lookahead;         /**< one heap pop per event (for tests: results are identical) */
	/**
	 * Hosts run at every arrival, instead of leaving the frames that arrive
	 * shortly before their own next event until then, or a sink's for a
	 * short while (for tests: results are identical).
	 */
	bool no_rx_deferral;
};

/** What a node is. */
enum fab_node_kind {
	FAB_NODE_SWITCH = 0,
	FAB_NODE_HOST,
};

/** A host: one port, a traffic source and a sink. */
struct fab_host_conf {
	char name[FAB_FABRIC_NAME_LEN];  /**< unique among all nodes */
	/** Source MAC; all zero derives a locally administered one from the name. */
	struct rte_ether_addr mac;
	uint8_t l3;                /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	union fab_ip_addr ip;      /**< the host's address (IPv4 in network order) */
	uint64_t rate_bps;         /**< line rate of its port */
	/** Egress class (= PFC priority) of each DSCP, as the switches classify. */
	uint8_t dscp_to_class[64];
	/**
	 * Frames the host keeps queued per class; its flows wait for room (the
	 * NIC's back-pressure). 0: FAB_FABRIC_DEFAULT_HOST_QUEUE; at most
	 * FAB_FABRIC_MAX_HOST_QUEUE.
	 */
	uint32_t queue_frames;
	/** Do not verify the ICRC of received frames (benchmarks). */
	bool no_icrc_check;
	/** Seed of the host's PRNG (first PSNs); 0: from the fabric seed and the name. */
	uint64_t seed;
};

/** First QPN given to flows that leave it 0. */
#define FAB_FABRIC_AUTO_QPN 0x100

/**
 * A constant-rate RoCEv2 flow: RDMA WRITE messages (cut at 1 GiB) carrying
 * @p bytes, with PSNs from a random first PSN, AckReq on each last packet.
 */
struct fab_flow_conf {
	int src;                   /**< host handle */
	int dst;                   /**< host handle */
	uint64_t bytes;            /**< message size; 0: send until the run ends */
	/** Sending rate; 0 or above the line rate: the source host's line rate. */
	uint64_t rate_bps;
	uint64_t start_ps;         /**< first packet is built at this time */
	uint16_t udp_sport;        /**< UDP source port (ECMP entropy); 0: derived from the QPN */
	uint8_t dscp;
	uint8_t ecn;               /**< 0 Not-ECT, 1 ECT(1), 2 ECT(0) */
	/**
	 * Destination QP, 2..0xffffff, unique per destination host; 0: assigned
	 * at start (FAB_FABRIC_AUTO_QPN and up, in an order set by the flows'
	 * contents and node ids, skipping QPNs given explicitly).
	 */
	uint32_t qpn;
	uint32_t mtu;              /**< payload per packet: 256..4096, power of two; 0: 4096 */
};

/** Counters of one flow, source and sink. */
struct fab_flow_stats {
	uint64_t tx_frames;        /**< packets built by the source */
	uint64_t tx_bytes;         /**< payload bytes in them */
	uint64_t rx_frames;        /**< packets the sink received */
	uint64_t rx_bytes;         /**< payload bytes received */
	uint64_t rx_icrc_bad;      /**< received with a wrong ICRC */
	uint64_t rx_out_of_order;  /**< received with a PSN other than the next expected */
	uint64_t rx_ce;            /**< received marked CE */
	uint64_t first_tx_ps;      /**< when the source built its first packet; UINT64_MAX before */
	uint64_t last_tx_ps;       /**< when it built its latest packet */
	uint64_t first_rx_ps;      /**< arrival of the first packet; UINT64_MAX if none */
	uint64_t last_rx_ps;       /**< arrival of the latest packet; 0 if none */
	bool done;                 /**< every byte received (never for an endless flow) */
	uint32_t qpn;              /**< the flow's QPN (as given, or assigned) */
	uint64_t fct_ps;           /**< last_rx_ps - start_ps once done, else 0 */
};

/** Counters of one host. */
struct fab_host_stats {
	uint64_t tx_frames;        /**< frames built (data) */
	uint64_t tx_bytes;         /**< their frame bytes */
	uint64_t tx_wire_frames;   /**< frames put on the link */
	uint64_t rx_frames;        /**< frames received, MAC control excluded */
	uint64_t rx_bytes;         /**< their frame bytes */
	uint64_t rx_data;          /**< RDMA WRITE packets of a known flow */
	uint64_t rx_cnp;           /**< CNPs received */
	uint64_t rx_ack;           /**< ACKs and NAKs received */
	uint64_t rx_other;         /**< anything else (unknown QP, other opcodes, not RoCE) */
	uint64_t rx_icrc_bad;
	uint64_t pfc_rx[FAB_NUM_PRIO];  /**< PFC frames received naming priority n */
	uint64_t pfc_frames;       /**< PFC and PAUSE frames received */
	uint64_t paused_ps[FAB_NUM_PRIO]; /**< time class n of the host's egress was paused */
	uint64_t nombuf;           /**< times a source found the pool empty */
	uint64_t queued;           /**< frames in the host's egress queues now */
};

/** Frame accounting of the whole fabric, in data frames (PFC frames apart). */
struct fab_fabric_totals {
	uint64_t now_ps;           /**< virtual time of the reading */
	uint64_t host_tx;          /**< frames built by hosts */
	uint64_t host_rx;          /**< frames received by hosts */
	uint64_t drops;            /**< switch_drops + link_drops */
	uint64_t switch_drops;     /**< data frames the switches dropped */
	uint64_t link_drops;       /**< frames refused by a full link ring (never with auto sizing) */
	uint64_t in_flight;        /**< in_links + in_switches + in_hosts */
	uint64_t in_links;         /**< data frames on the wires */
	uint64_t in_switches;      /**< data frames in switch queues */
	uint64_t in_hosts;         /**< frames built and still queued in a host */
	uint64_t packet_hops;      /**< frames transmitted by all switch ports, PFC included */
	uint64_t pfc_frames;       /**< PFC frames the switches sent */
	uint64_t ecn_marked;       /**< frames the switches marked CE */
	uint64_t host_nombuf;      /**< frames hosts could not build for want of mbufs */
	uint64_t events;           /**< node runs */
	uint64_t heap_pops;        /**< times the loop took a node off the heap */
};

struct fab_fabric;

/**
 * Create an empty fabric (its pools are made by fab_fabric_start()).
 *
 * @return the fabric, or NULL with rte_errno set (EINVAL: a queue capacity
 *   that is not a power of two; ENOMEM).
 */
struct fab_fabric *fab_fabric_create(const struct fab_fabric_conf *conf);

/** Free a fabric: switches, hosts, links, pools, in flight frames; accepts NULL. */
void fab_fabric_free(struct fab_fabric *fab);

/** The last error message ("" if none). */
const char *fab_fabric_error(const struct fab_fabric *fab);

/**
 * Fill @p conf with the defaults of lib/config for a switch named @p name
 * with @p nb_ports ports "p0".."pN-1" at @p rate_bps: the configuration a
 * YAML file giving only those would load to (classes, buffer, ECN at the
 * port rate, PFC, load balancing), in virtual time, no routes. The switch
 * MAC is derived from the name and port i has that MAC plus i.
 *
 * Change fields as needed, add routes with fab_fabric_switch_conf_add_route(),
 * and free with fab_switch_conf_free().
 *
 * @return 0, or a negative errno with a message in @p err.
 */
int fab_fabric_switch_conf_init(struct fab_switch_conf *conf, const char *name,
		uint16_t nb_ports, uint64_t rate_bps, char *err, size_t errlen);

/**
 * Set port @p port's rate and its ECN thresholds to the defaults at that
 * rate (fab_conf_ecn_default(); marking on the lossless classes).
 *
 * @return 0, or -EINVAL.
 */
int fab_fabric_switch_conf_port_rate(struct fab_switch_conf *conf, uint16_t port,
		uint64_t rate_bps);

/**
 * Append a route to @p conf: @p prefix via @p nb next hops (an ECMP group
 * when more than one).
 *
 * @return 0, -EINVAL (no next hop, more than FAB_CONF_MAX_ECMP or lb.buckets,
 *   a port out of range), -EEXIST (the prefix is already routed), -ENOMEM.
 */
int fab_fabric_switch_conf_add_route(struct fab_switch_conf *conf,
		const struct fab_ip_prefix *prefix, const struct fab_conf_nexthop *nh,
		uint16_t nb);

/**
 * Fill @p conf with a host's defaults: 100G, IPv4 with no address, the
 * switches' default DSCP map (DSCP 26 to class 3, 48 to class 6, the rest to
 * class 0), default queue. Name, address and MAC are the caller's.
 */
void fab_fabric_host_conf_defaults(struct fab_host_conf *conf);

/**
 * Add a switch. The configuration is copied (its routes, ports and
 * strings too); the switch is built by fab_fabric_start() once all its
 * ports are connected. A seed or hash_seed of 0 is derived from the fabric
 * seed and the switch name. The ports' kind and peer settings are ignored:
 * every port is a link end and every peer reacts to PFC itself.
 *
 * @return the node handle (>= 0), or a negative errno (duplicate or invalid
 *   name, no ports, already started, -ENOMEM) with a message.
 */
int fab_fabric_add_switch(struct fab_fabric *fab, const struct fab_switch_conf *conf);

/**
 * Add a host (copied).
 *
 * @return the node handle, or a negative errno with a message.
 */
int fab_fabric_add_host(struct fab_fabric *fab, const struct fab_host_conf *conf);

/**
 * Connect port @p port_a of node @p a to port @p port_b of node @p b with a
 * full-duplex link of propagation delay @p delay_ps each way. A host has
 * one port, 0. Both ends must have the same rate (checked at start).
 *
 * @return the link handle (>= 0), or a negative errno (unknown node or
 *   port, port already connected, a node to itself, already started).
 */
int fab_fabric_connect(struct fab_fabric *fab, int a, uint16_t port_a, int b,
		uint16_t port_b, uint64_t delay_ps);

/**
 * Add a flow between two hosts of the same address family.
 *
 * @return the flow handle (>= 0), or a negative errno with a message.
 */
int fab_fabric_add_flow(struct fab_fabric *fab, const struct fab_flow_conf *conf);

/**
 * Set how the hosts' NICs run the jobs' traffic (transport and congestion
 * control; lib/gen). The strings are copied. Without it: the defaults
 * (DCQCN, MTU 4096).
 *
 * @return 0, or -EINVAL (after start).
 */
int fab_fabric_set_nic(struct fab_fabric *fab, const struct fab_gen_nic_conf *nic);

/**
 * Add a job of the traffic generator: @p conf->hosts are host node handles
 * (rank i runs on host conf->hosts[i]); the job is copied.
 *
 * @return the job index (>= 0), or a negative errno with a message.
 */
int fab_fabric_add_job(struct fab_fabric *fab, const struct fab_gen_job_conf *conf);

/** A trace address and the host it becomes. */
struct fab_replay_map {
	uint8_t l3;                /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	union fab_ip_addr trace_ip; /**< as in the trace (IPv4 in network order) */
	int host;                  /**< host node handle */
};

/** A pcap trace to inject (tcpreplay-like). */
struct fab_replay_conf {
	const char *path;          /**< the pcap file (Ethernet; us or ns timestamps) */
	double speed;              /**< time multiplier: 1 keeps the trace's timing, 2 replays twice as fast */
	uint64_t start_ps;         /**< when the trace's first frame is due */
	uint32_t nb_map;
	struct fab_replay_map *map;
};

/** What the replays did. */
struct fab_replay_stats {
	uint64_t frames;           /**< frames read from the traces */
	uint64_t loaded;           /**< frames both of whose addresses map onto hosts */
	uint64_t unmapped;         /**< skipped: an address without a host (or the same host twice) */
	uint64_t skipped;          /**< skipped: not RoCEv2, malformed, truncated, too large, or of another address family than its hosts */
	uint64_t sent;             /**< frames the hosts sent so far */
};

/**
 * Replay a pcap trace: at start every RoCEv2 frame whose source and
 * destination addresses map onto two hosts is rewritten for them (MACs to
 * the source host and its gateway, IP addresses to the hosts', IPv4
 * checksum and ICRC recomputed) and the source host sends it at
 * start_ps + (its time - the first frame's time) / speed, or as soon after
 * as its egress has room. The conf is copied.
 *
 * @return the replay's index, or a negative errno with a message (the file
 *   itself is read, and may fail, at start).
 */
int fab_fabric_add_replay(struct fab_fabric *fab, const struct fab_replay_conf *conf);

/** Counters of the replays (loaded at start). @return 0 or -EINVAL. */
int fab_fabric_replay_stats(const struct fab_fabric *fab, struct fab_replay_stats *out);

/** The generator running the jobs once started; NULL without jobs. */
struct fab_gen *fab_fabric_gen(const struct fab_fabric *fab);

/** The generator's host index of host node @p node; -EINVAL if none. */
int fab_fabric_gen_host(const struct fab_fabric *fab, int node);

/** Host node handle of generator host @p gen_host; -EINVAL if none. */
int fab_fabric_gen_node(const struct fab_fabric *fab, uint32_t gen_host);

/**
 * Build everything: check that every port is connected and that both ends
 * of each link have one rate, give nodes their ids, create the pools, the
 * links and their ports, the switches (compact routes) and the hosts, and
 * schedule the first events. Called by the first fab_fabric_run() if not
 * called before.
 *
 * @return 0, or a negative errno with a message (fab_fabric_error()).
 */
int fab_fabric_start(struct fab_fabric *fab);

/**
 * Run until no event remains or the next one is after @p until_ps (or the
 * conf's max_time_ps). Virtual time then stands at @p until_ps if that is
 * finite and later, else at the last event. May be called again with a
 * later time.
 *
 * @return 0 when nothing is left to do, 1 when events remain after
 *   @p until_ps, or a negative errno (start failed; -ELOOP when a node keeps
 *   asking to run at the same time, which is a bug).
 */
int fab_fabric_run(struct fab_fabric *fab, uint64_t until_ps);

/** Virtual time now (ps). */
uint64_t fab_fabric_now(const struct fab_fabric *fab);

/** The fabric's clock (virtual): for the parts that take a clock. */
struct fab_clock *fab_fabric_clock(struct fab_fabric *fab);

/** Time of the next event, UINT64_MAX if none (after start). */
uint64_t fab_fabric_next_event(const struct fab_fabric *fab);

/**
 * Frame accounting now. Exact at any time: host_tx == host_rx + drops +
 * in_flight.
 *
 * @return 0, or -EINVAL (NULL, or not started).
 */
int fab_fabric_totals(const struct fab_fabric *fab, struct fab_fabric_totals *out);

/** Counters of flow @p flow; -EINVAL for an unknown flow. */
int fab_fabric_flow_stats(const struct fab_fabric *fab, int flow, struct fab_flow_stats *out);

/** Counters of host @p node; -EINVAL if it is not a host (or not started). */
int fab_fabric_host_stats(const struct fab_fabric *fab, int node, struct fab_host_stats *out);

/** Number of nodes, links and flows. */
unsigned int fab_fabric_nb_nodes(const struct fab_fabric *fab);
unsigned int fab_fabric_nb_links(const struct fab_fabric *fab);
unsigned int fab_fabric_nb_flows(const struct fab_fabric *fab);

/** Handle of the node named @p name, or -ENOENT. */
int fab_fabric_node_by_name(const struct fab_fabric *fab, const char *name);

/** Name of node @p node, or NULL. */
const char *fab_fabric_node_name(const struct fab_fabric *fab, int node);

/** Kind of node @p node; -EINVAL for an unknown node. */
int fab_fabric_node_kind(const struct fab_fabric *fab, int node);

/** Id of node @p node: the rank of its name; -EINVAL for an unknown node. */
int fab_fabric_node_id(const struct fab_fabric *fab, int node);

/** The switch of node @p node once started (for its counters), else NULL. */
struct fab_switch *fab_fabric_switch(const struct fab_fabric *fab, int node);

/** The link @p link once started (for taps and counters), else NULL. */
struct fab_link *fab_fabric_link(const struct fab_fabric *fab, int link);

/** Largest frame the hosts build (what one mbuf of the frame pool holds); 0 before start. */
uint32_t fab_fabric_max_frame_len(const struct fab_fabric *fab);

#ifdef __cplusplus
}
#endif

#endif /* FAB_FABRIC_H */
