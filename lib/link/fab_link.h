/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_LINK_H
#define FAB_LINK_H

/**
 * @file
 * An in-process, full-duplex link between two ports of a fabric: the third
 * port backend, beside ethdevs and pcap files. Not an ethdev: Debian's DPDK
 * allows 32 ethdev ports per process and a 256-host fabric has about 800
 * port ends.
 *
 * Each direction is a single-producer, single-consumer ring of
 * {delivery time, mbuf}. A frame is delivered at its transmit-complete time
 * (from the sender's shaper) plus the propagation delay, so latency through a
 * chain is exactly the sum of serialization and propagation when nothing
 * queues. The receiver takes only frames whose delivery time has come.
 */

#include <stdbool.h>
#include <stdint.h>

#include "fab_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The smallest frame a ring is sized for, on the wire: a RoCEv2 frame with
 * no payload (58 bytes: Ethernet, IPv4, UDP, BTH, ICRC; nothing pads it to
 * 60) plus 24 of FCS, preamble and gap, rounded down to 80.
 */
#define FAB_LINK_MIN_WIRE_BYTES 80u

/** Ring slots beyond the delay's frames kept for the sender's bursts (two of 32). */
#define FAB_LINK_BURST_SLOTS 64u

/** Ring slots beyond those, at least, for a receiver that takes its frames late. */
#define FAB_LINK_LATE_SLOTS 64u

/** Configuration of a link. */
struct fab_link_conf {
	const char *name;       /**< for messages and the tap; required */
	uint64_t delay_ps;      /**< propagation delay, each direction */
	/**
	 * Frames each direction can hold, a power of two; 0 sizes it from the
	 * rate and delay: the smallest frames (FAB_LINK_MIN_WIRE_BYTES) that
	 * fit on the wire, plus FAB_LINK_BURST_SLOTS and FAB_LINK_LATE_SLOTS,
	 * rounded up.
	 */
	uint32_t capacity;
	uint64_t rate_bps;      /**< of both ends; used to size the ring */
	int socket_id;
};

/** Counters of one direction (end 0 to end 1 is direction 0). */
struct fab_link_dir_stats {
	uint64_t frames;        /**< frames put on the wire */
	uint64_t bytes;
	uint64_t delivered;     /**< frames taken by the receiver */
	uint64_t ring_full;     /**< frames refused because the ring was full (freed) */
	uint64_t in_flight;     /**< frames on the wire now */
};

struct fab_link;

/**
 * The slots each direction of a link made from @p conf has: its capacity,
 * or the size computed from its rate and delay. For sizing memory before
 * any link exists.
 */
uint32_t fab_link_ring_size(const struct fab_link_conf *conf);

/** Create a link; NULL with rte_errno on error. */
struct fab_link *fab_link_create(const struct fab_link_conf *conf);

/**
 * Free a link and every frame still in flight; accepts NULL. Free the two
 * ports made by fab_link_port() first or after: either order is safe.
 */
void fab_link_free(struct fab_link *link);

/**
 * The port of end @p end (0 or 1): what it transmits travels to the other
 * end; what it receives came from it. Each end gives exactly one port.
 *
 * @return the port, or NULL with a message in @p err.
 */
struct fab_port *fab_link_port(struct fab_link *link, unsigned int end,
		const struct fab_port_conf *conf, uint32_t max_frame_len,
		char *err, size_t err_len);

/** Counters of direction @p dir (0: end 0 to end 1). */
int fab_link_stats(const struct fab_link *link, unsigned int dir,
		struct fab_link_dir_stats *out);

/** Frames in flight in both directions. */
uint64_t fab_link_in_flight(const struct fab_link *link);

/** Frames each direction's ring holds at most. */
uint32_t fab_link_capacity(const struct fab_link *link);

/**
 * How long a receiver may leave arrived frames in the ring without the
 * ring refusing one, if its sender sends the smallest frames back to back
 * at @p rate_bps: the slots left beyond the frames the delay holds, the
 * sender's bursts and one, in smallest-frame times (0 if none are left).
 */
uint64_t fab_link_rx_slack_ps(const struct fab_link *link, uint64_t rate_bps);

/** Delivery time of the next frame towards end @p end, or UINT64_MAX. */
uint64_t fab_link_next_delivery(const struct fab_link *link, unsigned int end);

/**
 * The @p k-th frame (0: the next) still on the wire towards end @p end, or
 * NULL: for a receiver that wants to start loading what it will read next.
 * The frame stays the link's: not to be kept, changed or freed.
 */
const struct rte_mbuf *fab_link_peek(const struct fab_link *link, unsigned int end,
		uint32_t k);

/** The link's name. */
const char *fab_link_name(const struct fab_link *link);

/**
 * Called with every frame put on the wire, in transmit order: for taps
 * (a pcap per link). @p dir is 0 for end 0 to end 1. The frame must not be
 * kept or changed.
 */
typedef void (*fab_link_tap_fn)(void *arg, unsigned int dir, uint64_t tx_done_ps,
		const struct rte_mbuf *m);

/** Set (or clear, with NULL) the link's tap: it sees every frame. */
void fab_link_set_tap(struct fab_link *link, fab_link_tap_fn fn, void *arg);

/**
 * Show the tap only frames whose EtherType (bytes 12-13, untagged) is
 * @p ether_type (host order); 0, the default, shows it every frame. A log of
 * PFC frames (0x8808) then costs the other frames one compare, not a call.
 */
void fab_link_set_tap_ether_type(struct fab_link *link, uint16_t ether_type);

#ifdef __cplusplus
}
#endif

#endif /* FAB_LINK_H */
