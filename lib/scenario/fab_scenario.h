/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_SCENARIO_H
#define FAB_SCENARIO_H

/**
 * @file
 * A fabric scenario (docs/config.md, "Fabric scenarios"): the YAML file that
 * `rocefab` runs, read into a plain model from which the fabric engine builds
 * its switches, hosts and links without reading YAML itself.
 *
 * Loading validates everything (names, ends, rates, loops, profiles,
 * traffic), expands the leaf/spine shorthand, assigns addresses and MACs,
 * and derives every route, so each switch comes with a ready
 * struct fab_switch_conf. The first error stops the load and is reported as
 * `FILE:LINE:COL: error: PATH: MESSAGE`.
 *
 * The model does not depend on the order of entries in the file: nodes are
 * sorted by name (natural order: "leaf2" before "leaf10"), each node's ports
 * by port name, links by name with their ends in canonical order, and flows
 * by their fields. Node ids (indexes into nodes) are therefore stable, which
 * the engine uses to break ties.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "fab_pkt.h"
#include "fab_yaml.h"
#include "fab_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for a scenario name, with its NUL. */
#define FAB_SCN_NAME_LEN 64
/** Room for a link name "a:pa--b:pb", with its NUL. */
#define FAB_SCN_LINK_NAME_LEN (4 * FAB_CONF_NAME_LEN + 4)
/** Nodes a scenario may have. */
#define FAB_SCN_MAX_NODES 65535
/** Hosts attached to one switch (one subnet: .1 to .254). */
#define FAB_SCN_MAX_HOSTS_PER_SWITCH 254
/** No such index. */
#define FAB_SCN_NONE UINT32_MAX

/** What a node is. */
enum fab_scn_node_kind {
	FAB_SCN_SWITCH = 0,
	FAB_SCN_HOST,
};

/** How virtual time advances. */
enum fab_scn_time {
	FAB_SCN_TIME_VIRTUAL = 0, /**< as fast as the machine goes */
	FAB_SCN_TIME_PACED,       /**< virtual time held to the wall clock */
};

/** One port of a node: one end of one link. */
struct fab_scn_port {
	char name[FAB_CONF_NAME_LEN];
	uint32_t link;            /**< index into fab_scenario.links */
	uint8_t end;              /**< 0 or 1: which end of that link this port is */
	uint32_t peer_node;       /**< node at the other end */
	uint16_t peer_port;       /**< its port index */
};

/** A switch or a host. */
struct fab_scn_node {
	char name[FAB_CONF_NAME_LEN];
	enum fab_scn_node_kind kind;
	uint32_t index;           /**< into fab_scenario.switches or .hosts */
	uint64_t seed;            /**< the node's PRNG seed, from scenario.seed and its name */
	uint16_t nb_ports;
	struct fab_scn_port *ports; /**< sorted by name; switch port i is conf.ports[i] */
	uint32_t line;            /**< where it is defined (the shorthand for generated nodes) */
	uint32_t col;
};

/** A switch: its node and its whole configuration. */
struct fab_scn_switch {
	uint32_t node;            /**< index into fab_scenario.nodes */
	char tier[8];             /**< "leaf", "spine" (shorthand) or "" */
	char profile[FAB_CONF_NAME_LEN]; /**< profile name; "" for the built-in defaults */
	uint32_t subnet;          /**< index into subnets, or FAB_SCN_NONE (no hosts) */
	/**
	 * Ready for fab_switch_create(): ports of kind FAB_CONF_PORT_LINK named
	 * after their peers, with rates, MACs, peer MACs and cable lengths, the
	 * profile's sections resolved at those rates, virtual time, and routes.
	 */
	struct fab_switch_conf conf;
};

/** A host: one NIC on one link to a switch. */
struct fab_scn_host {
	uint32_t node;            /**< index into fab_scenario.nodes */
	struct rte_ether_addr mac;
	union fab_ip_addr addr;   /**< IPv4 in network order in addr.v4 */
	uint8_t l3;               /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	uint32_t subnet;          /**< index into subnets */
	uint64_t rate_bps;        /**< its link's rate */
	uint32_t link;            /**< index into links */
	uint32_t sw_node;         /**< the switch it is attached to */
	uint16_t sw_port;         /**< that switch's port towards it */
	struct rte_ether_addr gw_mac; /**< that port's MAC: every frame's destination */
};

/** The hosts of one switch: one IPv4 /24 or IPv6 /64. */
struct fab_scn_subnet {
	struct fab_ip_prefix prefix;
	uint32_t sw_node;
	uint32_t first_host;      /**< its hosts are hosts[first_host .. + nb_hosts) */
	uint32_t nb_hosts;
};

/** One end of a link. */
struct fab_scn_link_end {
	uint32_t node;
	uint16_t port;            /**< index into that node's ports */
};

/** A full-duplex link. */
struct fab_scn_link {
	char name[FAB_SCN_LINK_NAME_LEN]; /**< "a:pa--b:pb", ends in canonical order */
	struct fab_scn_link_end end[2];
	uint64_t rate_bps;
	uint64_t delay_ps;        /**< propagation delay, each direction */
	uint32_t cable_m;         /**< for headroom sizing */
	bool tap;                 /**< listed in run.tap */
};

/** A constant-rate RoCEv2 flow of the simple traffic source. */
struct fab_scn_flow {
	uint32_t src;             /**< index into hosts */
	uint32_t dst;             /**< index into hosts */
	uint64_t bytes;           /**< payload to send; 0: until the run ends */
	uint64_t rate_bps;        /**< sending rate (on the wire) */
	uint64_t start_ps;
	uint8_t dscp;
	uint8_t ecn;              /**< ECT(0) = 2 or Not-ECT = 0 */
	uint16_t udp_sport;       /**< entropy for ECMP, from the seed and the flow's index */
};

/** Where the ranks of a job go. */
enum fab_scn_placement {
	FAB_SCN_PLACE_LINEAR = 0,   /**< rank i on the i-th host in model order (leaf by leaf) */
	FAB_SCN_PLACE_ROUND_ROBIN,  /**< rank i on switch (i mod switches)'s next host: across leaves */
	FAB_SCN_PLACE_LIST,         /**< as listed in hosts */
};

/** Room for a job name, with its NUL. */
#define FAB_SCN_JOB_NAME_LEN 32

/** A job of the traffic generator: one collective swept over sizes (traffic.jobs). */
struct fab_scn_job {
	char name[FAB_SCN_JOB_NAME_LEN];
	uint32_t pattern;         /**< enum fab_coll_pattern */
	enum fab_scn_placement placement;
	uint32_t nranks;
	uint32_t *hosts;          /**< host (index into hosts) of each rank */
	uint32_t nb_sizes;
	uint64_t *sizes;          /**< nccl-tests' size column, ascending */
	uint32_t warmup;
	uint32_t iters;
	uint32_t channels;
	uint32_t root;
	uint64_t chunk_bytes;     /**< 0: the collective's default */
	uint64_t start_ps;
	uint64_t seed;            /**< permutation's draw */
	uint8_t dscp;
	uint8_t ecn;              /**< ECT(0) = 2 or Not-ECT = 0 */
	uint32_t line, col;       /**< where it is defined */
};

/** The hosts' NICs: transport and congestion control (traffic.nic). */
struct fab_scn_nic {
	char cc[256];             /**< plugin name, or a path (made absolute from the file's directory) */
	char cc_args[256];        /**< "key=value,..."; "" for none */
	uint8_t timeout;          /**< 0: the transport's default */
	uint8_t retry_cnt;        /**< 0xff: the transport's default */
	uint32_t ack_every;       /**< 0: default */
	uint32_t window;          /**< 0: default */
	bool ooo_accept;
	uint32_t ooo_window;      /**< 0: default */
	uint8_t cnp_dscp;
};

/** A trace address and the host it becomes (traffic.replay[].map). */
struct fab_scn_replay_map {
	uint8_t l3;               /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	union fab_ip_addr ip;     /**< as in the trace */
	uint32_t host;            /**< index into hosts */
};

/** A pcap trace injected at the hosts (traffic.replay). */
struct fab_scn_replay {
	char *path;               /**< made absolute from the file's directory */
	double speed;             /**< time multiplier (2: twice as fast) */
	uint64_t start_ps;
	uint32_t nb_map;
	struct fab_scn_replay_map *map;
};

/** The run section. */
struct fab_scn_run {
	enum fab_scn_time time;
	bool end_when_done;       /**< end when every flow has finished */
	uint64_t end_ps;          /**< when !end_when_done */
	uint64_t sample_interval_ps; /**< time series; 0: none */
	uint32_t nb_taps;
	uint32_t *taps;           /**< link indexes, ascending */
};

/** A loaded scenario. Read-only for users; freed by fab_scenario_free(). */
struct fab_scenario {
	char *path;               /**< the file (or name) it was loaded from */
	char name[FAB_SCN_NAME_LEN];
	uint64_t seed;
	uint8_t l3;               /**< addressing family: FAB_L3_IPV4 or FAB_L3_IPV6 */
	struct fab_ip_prefix base; /**< addressing.base */
	bool leaf_spine;          /**< written as the shorthand */
	uint32_t spines, leaves, hosts_per_leaf; /**< the shorthand's shape */

	uint32_t nb_nodes;
	struct fab_scn_node *nodes;
	uint32_t nb_switches;
	struct fab_scn_switch *switches;
	uint32_t nb_hosts;
	struct fab_scn_host *hosts;
	uint32_t nb_subnets;
	struct fab_scn_subnet *subnets;
	uint32_t nb_links;
	struct fab_scn_link *links;
	uint32_t nb_flows;
	struct fab_scn_flow *flows;
	uint32_t traffic_mtu;     /**< RoCE payload per packet (path MTU) */
	struct fab_scn_nic nic;
	uint32_t nb_jobs;
	struct fab_scn_job *jobs; /**< in file order (names are unique) */
	uint32_t nb_replays;
	struct fab_scn_replay *replays; /**< in file order */

	struct fab_scn_run run;
};

/**
 * Load and validate a scenario file. Relative paths in it (plugin
 * directories of profiles) are taken from its directory.
 *
 * @param out
 *   Filled on success; zeroed on failure (fab_scenario_free() is still safe).
 * @param err
 *   Receives `FILE:LINE:COL: error: PATH: MESSAGE` on failure.
 * @return
 *   0, or -EINVAL (also -ERANGE) for an invalid file, the errno of reading
 *   it, -ENOMEM.
 */
int fab_scenario_load(const char *path, struct fab_scenario *out, char *err, size_t errlen);

/**
 * Load a scenario from YAML text in memory.
 *
 * @param name
 *   File name used in messages, and the default scenario name.
 * @param base_dir
 *   Directory for relative paths; NULL means the directory part of @p name.
 * @return as fab_scenario_load().
 */
int fab_scenario_load_string(const char *name, const char *text, const char *base_dir,
		struct fab_scenario *out, char *err, size_t errlen);

/** Free what a load allocated and zero @p s. Accepts NULL and a zeroed scenario. */
void fab_scenario_free(struct fab_scenario *s);

/** Index of the node named @p name, or -ENOENT. */
int fab_scenario_node_by_name(const struct fab_scenario *s, const char *name);

/**
 * Index of the link named @p name, written with its ends in either order
 * ("leaf1:spine1--spine1:leaf1" or "spine1:leaf1--leaf1:spine1"), or -ENOENT.
 */
int fab_scenario_link_by_name(const struct fab_scenario *s, const char *name);

/**
 * Write a host's address ("10.0.1.1", "fd00:0:0:1::1") into @p buf.
 *
 * @return as snprintf.
 */
int fab_scenario_format_addr(uint8_t l3, const union fab_ip_addr *addr, char *buf,
		size_t len);

/**
 * A one-line summary: name, counts of switches, hosts, links and flows, the
 * address plan and the run's end ("incast: 6 switches, 16 hosts, 24 links,
 * 15 flows; ipv4 10.0.0.0/8; virtual time until done").
 *
 * @return as snprintf.
 */
int fab_scenario_summary(const struct fab_scenario *s, char *buf, size_t len);

/**
 * The whole model as text, for `rocefab topo`: nodes with their ports,
 * links, addresses and MACs, every switch's routes, flows and the run. Its
 * lines depend only on the model, so reordering the file changes nothing.
 *
 * @return a string to free(), or NULL (ENOMEM) with rte_errno set.
 */
char *fab_scenario_format_topo(const struct fab_scenario *s);

#ifdef __cplusplus
}
#endif

#endif /* FAB_SCENARIO_H */
