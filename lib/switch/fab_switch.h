/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_SWITCH_H
#define FAB_SWITCH_H

/**
 * @file
 * One leaf or spine switch: the data path of DESIGN.md over lib/port,
 * lib/route, lib/plugin (ECN and load balancing), lib/mmu, lib/pfc and
 * lib/sched, driven by `now` from the caller's clock.
 *
 * The switch owns no ports and no clock: the program (rocefab-switch, or the
 * fabric runner) creates the ports from the config, hands them over, and calls
 * fab_switch_poll() with the time. In virtual time it calls it at
 * fab_switch_next_event(); in real time, in a loop.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>

#include "fab_pkt.h"
#include "fab_config.h"
#include "fab_port.h"
#include "fab_route.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Frames handled per port per burst. */
#define FAB_SWITCH_BURST 16

/** Why the switch dropped a frame, beyond the parser's reasons (enum fab_pkt_drop). */
enum fab_switch_drop {
	FAB_SW_DROP_NOT_IP = 0,     /**< an ethertype the switch does not route */
	FAB_SW_DROP_OVERSIZE,       /**< IP datagram longer than the MTU */
	FAB_SW_DROP_NO_ROUTE,       /**< no route to the destination */
	FAB_SW_DROP_TTL,            /**< TTL or hop limit expired */
	FAB_SW_DROP_MMU_INGRESS,    /**< lossy priority group over its limit (ingress port) */
	FAB_SW_DROP_MMU_HEADROOM,   /**< lossless group overran its headroom (ingress port) */
	FAB_SW_DROP_MMU_EGRESS,     /**< egress queue over its limit (egress port) */
	FAB_SW_DROP_QUEUE_FULL,     /**< egress ring full (egress port) */
	FAB_SW_DROP_PFC_WATCHDOG,   /**< dropped by the PFC watchdog's drop action (egress port) */
	FAB_SW_DROP_RX_NOMBUF,      /**< no mbuf: the device's rx_nombuf, or a PFC frame not built */
	FAB_SW_DROP_RX_MISSED,      /**< the device's rx ring was full (ethdev imissed) */
	FAB_SW_DROP_MAX,
};

/** Counters of one switch port, as the JSON output and telemetry show them. */
struct fab_switch_port_stats {
	/* The five every forwarded frame counts come first: one cache line in the switch. */
	uint64_t rx_pkts;             /**< frames received */
	uint64_t rx_bytes;
	uint64_t fwd_pkts;            /**< frames received here and admitted to an egress queue */
	uint64_t tx_pkts;             /**< frames transmitted, PFC frames included */
	uint64_t tx_bytes;
	uint64_t tx_ctrl_pkts;        /**< PFC/PAUSE frames this switch sent */
	uint64_t consumed_pkts;       /**< PFC, PAUSE and other MAC control frames received */
	uint64_t drops;               /**< every drop counted at this port */
	uint64_t drop_parse[FAB_PKT_DROP_MAX]; /**< malformed frames by reason */
	uint64_t drop[FAB_SW_DROP_MAX];        /**< switch drops by reason */
	uint64_t ecn_marked;          /**< frames marked CE leaving by this port */
	uint64_t pfc_tx[FAB_NUM_PRIO];   /**< PFC frames sent naming priority n (XOFF or XON) */
	uint64_t pfc_tx_xoff[FAB_NUM_PRIO]; /**< ... with a non-zero time */
	uint64_t pfc_rx[FAB_NUM_PRIO];   /**< PFC frames received naming priority n */
	uint64_t pause_rx;            /**< 802.3x PAUSE frames received */
	uint64_t paused_ps[FAB_NUM_PRIO];  /**< time class n of this egress was paused */
	uint64_t queue_bytes[FAB_NUM_PRIO];/**< egress queue now */
	uint64_t max_queue_bytes[FAB_NUM_PRIO]; /**< egress queue watermark */
	uint64_t rx_held_ps;          /**< time a passive peer's input was held (PFC stand-in) */
	uint64_t pfc_wd_storms;       /**< PFC storms the watchdog detected on this egress */
};

/**
 * The counters of a port a time series needs at every sample: the same
 * values as the fields of fab_switch_port_stats with these names.
 */
struct fab_switch_port_sample {
	uint64_t tx_pkts;
	uint64_t tx_bytes;
	uint64_t ecn_marked;
	uint64_t drops;
	uint64_t pfc_tx[FAB_NUM_PRIO];
	uint64_t paused_ps[FAB_NUM_PRIO];
	uint64_t queue_bytes[FAB_NUM_PRIO];
	uint64_t max_queue_bytes[FAB_NUM_PRIO];
};

/** What the caller hands to fab_switch_create(). */
struct fab_switch_params {
	/** The loaded configuration; must outlive the switch. */
	const struct fab_switch_conf *conf;
	/** conf->nb_ports ports, in the config's order; the switch does not free them. */
	struct fab_port *const *ports;
	/** Pool for the PFC frames the switch builds. */
	struct rte_mempool *ctrl_pool;
	/** FAB_ROUTE_DIR24_8 for a standalone switch, FAB_ROUTE_COMPACT in a fabric. */
	enum fab_route_backend route_backend;
	/**
	 * Entries of the route object's cache of recent destinations
	 * (fab_route_conf.dest_cache): 0 for none; then the switch must be
	 * polled from one lcore at a time.
	 */
	uint32_t route_dest_cache;
	/** Ignore port rates and release frames as fast as the ports take them (benchmarks). */
	bool unlimited_shaper;
	/** Frames per egress class queue (a power of two); 0: sized from the buffer. */
	uint32_t queue_capacity;
	/** NUMA socket for the switch's tables. */
	int socket_id;
};

struct fab_switch;

/**
 * Build a switch from its configuration: routes, next hops and ECMP groups,
 * the MMU, a scheduler and PFC state machines per port, and the ECN and
 * load-balancing plugins (looked up by name: built-in first, then the
 * config's plugin path).
 *
 * @return the switch, or NULL with a message in @p err.
 */
struct fab_switch *fab_switch_create(const struct fab_switch_params *params,
		char *err, size_t errlen);

/** Free a switch and the frames it still queues; accepts NULL. The ports stay. */
void fab_switch_free(struct fab_switch *sw);

/**
 * Run the switch at time @p now: take the frames that have arrived on every
 * port (bursts of FAB_SWITCH_BURST), parse, classify, route, admit, mark and
 * enqueue them; apply received PFC; send due PFC frames; release what the
 * shapers allow and transmit it.
 *
 * @return the number of frames received and transmitted, 0 when idle.
 */
unsigned int fab_switch_poll(struct fab_switch *sw, uint64_t now);

/**
 * The earliest time after @p now at which the switch has something to do: a
 * frame arriving on a virtual-time port, a shaper or pause releasing a frame,
 * a PFC refresh. UINT64_MAX when nothing will ever happen again; @p now when
 * a real-time port must be polled.
 */
uint64_t fab_switch_next_event(const struct fab_switch *sw, uint64_t now);

/** True when no frame, PFC frames included, waits in any egress queue. */
bool fab_switch_queues_empty(const struct fab_switch *sw);

/** True when no frame is queued anywhere and no XOFF stands (inputs are the caller's). */
bool fab_switch_drained(const struct fab_switch *sw);

/** Number of ports. */
uint16_t fab_switch_nb_ports(const struct fab_switch *sw);

/** The switch's port @p i. */
struct fab_port *fab_switch_port(const struct fab_switch *sw, uint16_t i);

/** Counters of port @p i at time @p now (paused time is accounted up to now). */
int fab_switch_port_stats(const struct fab_switch *sw, uint16_t i, uint64_t now,
		struct fab_switch_port_stats *out);

/**
 * The sampled counters of port @p i at time @p now: what
 * fab_switch_port_stats() gives for them, reading a fifth of the memory
 * (a sampler calls it for every port at every interval, between runs of
 * the loop, and the full counters are cold by then).
 */
int fab_switch_port_sample(const struct fab_switch *sw, uint16_t i, uint64_t now,
		struct fab_switch_port_sample *out);

/** Sum of every port's counters. */
void fab_switch_total_stats(const struct fab_switch *sw, uint64_t now,
		struct fab_switch_port_stats *out);

/** Stable name of a switch drop reason, for counters ("no_route"). */
const char *fab_switch_drop_name(enum fab_switch_drop reason);

/** Names of the plugins in use. */
const char *fab_switch_ecn_plugin(const struct fab_switch *sw);
const char *fab_switch_lb_plugin(const struct fab_switch *sw);

/** Bytes of the shared buffer, reserved and headroom regions together. */
uint64_t fab_switch_buffer_bytes(const struct fab_switch *sw);

/** XOFF headroom, in bytes, of the lossless groups of port @p i (0 if none). */
uint32_t fab_switch_port_headroom(const struct fab_switch *sw, uint16_t i);

#ifdef __cplusplus
}
#endif

#endif /* FAB_SWITCH_H */
