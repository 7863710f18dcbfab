/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_CONFIG_H
#define FAB_CONFIG_H

/**
 * @file
 * The configuration of rocefab-switch, read from YAML (docs/config.md) into
 * plain structs from which lib/switch builds the configurations of the
 * other modules.
 *
 * Loading validates everything that can be checked without hardware and
 * fills in every default, so that a consumer never sees "unset": ECN
 * thresholds are resolved per port from its rate, port MACs are derived
 * from the switch MAC, pcap paths are made relative to the configuration
 * file's directory, and time "auto" becomes real or virtual. Only the
 * headroom ("xoff: auto") and the PFC refresh ("refresh: auto") stay
 * symbolic, because the modules that own them size them (lib/mmu, lib/pfc).
 *
 * The first error stops the load and is reported as
 * `FILE:LINE:COL: error: PATH: MESSAGE`.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "fab_pkt.h"
#include "fab_yaml.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for a switch or port name, with its NUL (31 characters). */
#define FAB_CONF_NAME_LEN 32
/** Room for a plugin name, with its NUL. */
#define FAB_CONF_PLUGIN_LEN 64
/** Ports a switch may have. */
#define FAB_CONF_MAX_PORTS 256
/** Next hops in one ECMP group. */
#define FAB_CONF_MAX_ECMP 64
/** Highest rate a port may have (1.6 Tb/s). */
#define FAB_CONF_MAX_RATE UINT64_C(1600000000000)
/** Lowest rate a port may have (1 Mb/s). */
#define FAB_CONF_MIN_RATE UINT64_C(1000000)

/** Time base of the switch. */
enum fab_conf_time {
	FAB_CONF_TIME_AUTO = 0, /**< only as written; resolved by loading */
	FAB_CONF_TIME_REAL,     /**< TSC time; DPDK device ports */
	FAB_CONF_TIME_VIRTUAL,  /**< virtual time; pcap-file ports */
};

/** Backend of a port. */
enum fab_conf_port_kind {
	FAB_CONF_PORT_DEV = 0,  /**< a DPDK ethdev, by name or index */
	FAB_CONF_PORT_PCAP,     /**< a pcap file pair read with libpcap */
	FAB_CONF_PORT_LINK,     /**< an in-process link of a fabric (lib/link); never from a switch file */
};

/** When a pcap-file port delivers its frames. */
enum fab_conf_pcap_timing {
	FAB_CONF_PCAP_TRACE = 0,    /**< at the timestamps recorded in the file */
	FAB_CONF_PCAP_LINE_RATE,    /**< back to back at the port's rate */
};

/** Which header field classifies a port's ingress traffic. */
enum fab_conf_trust {
	FAB_CONF_TRUST_DSCP = 0,
	FAB_CONF_TRUST_PCP,
};

/** Where the ECN policy looks at the queue. */
enum fab_conf_mark_at {
	FAB_CONF_MARK_ENQUEUE = 0,
	FAB_CONF_MARK_DEQUEUE,
};

/** What the PFC watchdog does with a queue stuck in pause. */
enum fab_conf_wd_action {
	FAB_CONF_WD_DROP = 0,
	FAB_CONF_WD_FORWARD,
	FAB_CONF_WD_ALERT,
};

/** ECN marking of one class at one port, resolved (bytes, probability). */
struct fab_conf_ecn_class {
	bool enabled;
	uint64_t kmin;      /**< bytes: no marking below */
	uint64_t kmax;      /**< bytes: always marked above */
	double pmax;        /**< probability at kmax, in [0, 1] */
	uint64_t k;         /**< bytes: threshold of the step policy */
};

/** One port. */
struct fab_conf_port {
	char name[FAB_CONF_NAME_LEN];
	enum fab_conf_port_kind kind;
	/* FAB_CONF_PORT_DEV */
	char *dev_name;          /**< ethdev name or PCI address; NULL when by index */
	uint16_t dev_index;      /**< ethdev port id when dev_name is NULL */
	/* FAB_CONF_PORT_PCAP */
	char *pcap_rx;           /**< file to read; NULL for an output-only port */
	char *pcap_tx;           /**< file to write; NULL to discard */
	enum fab_conf_pcap_timing pcap_timing;

	uint64_t rate_bps;
	struct rte_ether_addr mac;
	struct rte_ether_addr peer_mac;
	bool peer_mac_set;
	/** The peer cannot react to PFC: the switch stops reading this port while it pauses it. */
	bool peer_passive;
	uint32_t cable_m;
	enum fab_conf_trust trust;
	/** ECN per class at this port's rate. */
	struct fab_conf_ecn_class ecn[FAB_NUM_PRIO];
	uint32_t line;           /**< where the port is defined */
	uint32_t col;
};

/** Classification and scheduling. Class = PFC priority = priority group = egress queue. */
struct fab_conf_qos {
	uint8_t dscp_to_class[64];
	uint8_t pcp_to_class[FAB_NUM_PRIO];
	uint8_t lossless_mask;   /**< bit c: class c is lossless (PFC) */
	uint8_t strict_mask;     /**< bit c: class c is served by strict priority */
	uint16_t weight[FAB_NUM_PRIO]; /**< DWRR weight, 1..100 */
	uint8_t cnp_class;       /**< class of RoCE CNPs, whatever their DSCP */
};

/** The shared buffer, in SONiC's model (bytes). */
struct fab_conf_buffer {
	uint64_t pool;
	/* Ingress (port, priority group). */
	uint64_t pg_reserved;
	bool pg_static;          /**< true: pg_static_limit; false: pg_dynamic_th */
	int8_t pg_dynamic_th;    /**< limit = 2^th * free pool, th in -7..7 */
	uint64_t pg_static_limit;
	bool xoff_auto;          /**< size the headroom from rate, cable, MTU, peer */
	uint64_t xoff;           /**< headroom when !xoff_auto */
	uint64_t xon;
	uint64_t xon_offset;
	uint64_t peer_response_ps;
	/* Egress (port, class). */
	bool egress_lossy_static;
	int8_t egress_lossy_dynamic_th;
	uint64_t egress_lossy_static_limit;
	uint64_t egress_lossless_limit;
};

/** ECN policy. The per-class thresholds are in struct fab_conf_port. */
struct fab_conf_ecn {
	char plugin[FAB_CONF_PLUGIN_LEN];
	enum fab_conf_mark_at mark_at;
	char *args;              /**< for the plugin; never NULL ("" by default) */
};

/** PFC. */
struct fab_conf_pfc {
	bool enabled;
	uint16_t pause_quanta;   /**< quanta sent in an XOFF frame */
	bool refresh_auto;       /**< lib/pfc picks the refresh interval */
	uint64_t refresh_ps;     /**< when !refresh_auto */
	bool honor_pause;        /**< 802.3x PAUSE pauses every class */
	bool watchdog;
	uint64_t watchdog_detect_ps;
	uint64_t watchdog_restore_ps;
	enum fab_conf_wd_action watchdog_action;
};

/** Load balancing among the members of an ECMP group. */
struct fab_conf_lb {
	char plugin[FAB_CONF_PLUGIN_LEN];
	uint32_t buckets;        /**< power of two */
	char *args;              /**< never NULL */
};

/** A next hop. */
struct fab_conf_nexthop {
	uint16_t port;           /**< index into ports */
	struct rte_ether_addr mac;
};

/** A route: nb_nexthops entries of the nexthops array from first_nexthop. */
struct fab_conf_route {
	struct fab_ip_prefix prefix;
	uint32_t first_nexthop;
	uint16_t nb_nexthops;
	uint32_t line;
	uint32_t col;
};

/** The whole configuration of one switch. */
struct fab_switch_conf {
	char *path;              /**< the file (or name) it was loaded from */
	char name[FAB_CONF_NAME_LEN];
	uint64_t seed;           /**< per-switch PRNG seed */
	uint64_t hash_seed;      /**< ECMP hash seed */
	uint32_t mtu;            /**< L3 MTU */
	enum fab_conf_time time; /**< REAL or VIRTUAL once loaded */
	struct rte_ether_addr mac;

	uint16_t nb_ports;
	struct fab_conf_port *ports;

	struct fab_conf_qos qos;
	struct fab_conf_buffer buffer;
	struct fab_conf_ecn ecn;
	struct fab_conf_pfc pfc;
	struct fab_conf_lb lb;

	uint16_t nb_plugin_paths;
	char **plugin_paths;

	uint32_t nb_routes;
	struct fab_conf_route *routes;
	uint32_t nb_nexthops;
	struct fab_conf_nexthop *nexthops;

	uint64_t stats_interval_ps; /**< 0: no periodic summary */
};

/**
 * Load and validate a switch configuration file.
 *
 * Relative paths in the file (pcap files, plugin directories) are taken
 * relative to the directory holding @p path.
 *
 * @param out
 *   Filled on success; on failure left zeroed (fab_switch_conf_free() is
 *   still safe to call).
 * @param err
 *   Receives `FILE:LINE:COL: error: ...` on failure.
 * @return
 *   0, or a negative errno: -EINVAL for an invalid file (also -ERANGE for a
 *   value out of range), the errno of opening or reading it, -ENOMEM.
 */
int fab_switch_conf_load(const char *path, struct fab_switch_conf *out,
		char *err, size_t errlen);

/**
 * Load a switch configuration from YAML text in memory.
 *
 * @param name
 *   File name used in messages.
 * @param base_dir
 *   Directory that relative paths are taken from; NULL means the directory
 *   part of @p name (none when it has no '/': paths stay as written).
 * @return as fab_switch_conf_load().
 */
int fab_switch_conf_load_string(const char *name, const char *text, const char *base_dir,
		struct fab_switch_conf *out, char *err, size_t errlen);

/**
 * Build a switch configuration from a profile: the sections of a switch file
 * that do not name ports or routes, written as one mapping (a scenario's
 * `profiles.NAME`, docs/config.md "Fabric scenarios").
 *
 * Allowed keys: `mtu`, `seed`, `hash_seed` (as in the switch section), and
 * the sections `qos`, `buffer`, `ecn`, `pfc`, `lb`, `plugins`, each exactly as
 * in a switch file. Everything else comes from @p base: name, seed,
 * hash_seed, MAC, time and the ports (copied as given, strings duplicated;
 * their ECN thresholds are then resolved from the profile at each port's
 * rate, and the PFC refresh is checked against each port's rate, as
 * fab_switch_conf_load() does). Routes are not read from @p base: @p out has
 * none, and the caller adds them (fab_switch_conf_free() frees them).
 *
 * A `seed` or `hash_seed` written in the profile replaces @p base's. A time
 * of FAB_CONF_TIME_AUTO in @p base becomes REAL if a port is a DPDK device,
 * VIRTUAL otherwise.
 *
 * @param profile
 *   The profile's mapping; NULL (or an empty value) gives every default.
 * @param base_dir
 *   Directory that relative plugin paths are taken from; NULL or "" keeps
 *   them as written.
 * @param base
 *   Identity and ports, as above; not changed.
 * @param out
 *   Filled on success; zeroed on failure.
 * @param err
 *   Receives `FILE:LINE:COL: error: PATH: MESSAGE` about the profile.
 * @return
 *   0, -EINVAL (also -ERANGE) for an invalid profile, -ENOMEM.
 */
int fab_switch_conf_from_profile(const struct fab_yaml_node *profile, const char *base_dir,
		const struct fab_switch_conf *base, struct fab_switch_conf *out,
		char *err, size_t errlen);

/** Free what a load allocated and zero @p conf. Accepts NULL and a zeroed conf. */
void fab_switch_conf_free(struct fab_switch_conf *conf);

/**
 * Index of the port named @p name.
 *
 * @return the index, or -ENOENT.
 */
int fab_switch_conf_port_by_name(const struct fab_switch_conf *conf, const char *name);

/**
 * Default ECN thresholds at @p rate_bps: the HPCC simulator's 100G values
 * (Kmin 400 KB, Kmax 1600 KB with KB = 1000 bytes, Pmax 0.2) scaled
 * linearly with the rate, so 25G gives 100 KB / 400 KB as HPCC's map does.
 */
void fab_conf_ecn_default(uint64_t rate_bps, struct fab_conf_ecn_class *out);

/** "real", "virtual" or "auto". */
const char *fab_conf_time_name(enum fab_conf_time time);

#ifdef __cplusplus
}
#endif

#endif /* FAB_CONFIG_H */
