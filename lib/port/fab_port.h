/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PORT_H
#define FAB_PORT_H

/**
 * @file
 * The port abstraction: what a switch or a host sees of a link end. A port
 * receives and transmits bursts of mbufs; it never exposes an ethdev.
 *
 * Backends:
 * - ethdev: one rx and one tx queue of any DPDK port (PCI NIC, net_pcap,
 *   net_ring, memif, af_packet, tap ...), real time.
 * - pcap: a pair of pcap files read and written with libpcap, virtual time:
 *   arrivals at the trace's timestamps or paced at the port's line rate,
 *   output stamped with the virtual transmit-complete time.
 * - anything else through fab_port_create_ops() and a struct fab_port_ops
 *   (the fabric's in-process links).
 *
 * Time is picoseconds (uint64_t) throughout; rates are bits per second.
 * A port is used by one lcore at a time; nothing here locks.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Longest port name, terminating NUL included. */
#define FAB_PORT_NAME_MAX 64
/** Longest frame a pcap port reads or writes (bytes, no FCS). */
#define FAB_PORT_MAX_FRAME 65535
/** Default largest frame (bytes, Ethernet header included, FCS excluded): MTU 1500. */
#define FAB_PORT_DEFAULT_MAX_FRAME 1514
/** Default ethdev ring sizes. */
#define FAB_PORT_DEFAULT_RX_DESC 1024
#define FAB_PORT_DEFAULT_TX_DESC 1024
/** Snapshot length of the pcap files a port writes. */
#define FAB_PORT_PCAP_SNAPLEN 262144
/** fab_port_next_rx_ps() of a port whose input has ended. */
#define FAB_PORT_RX_NEVER UINT64_MAX
/** fab_port_next_rx_ps() of a real-time port: a frame may be waiting now. */
#define FAB_PORT_RX_POLL 0

/** The backend behind a port. */
enum fab_port_kind {
	FAB_PORT_KIND_ETHDEV = 0, /**< a DPDK ethdev queue pair, real time */
	FAB_PORT_KIND_PCAP,       /**< a pcap file pair, virtual time */
	FAB_PORT_KIND_LINK,       /**< an in-process link (the fabric) */
	FAB_PORT_KIND_OTHER,      /**< any other fab_port_ops backend */
	FAB_PORT_KIND_MAX,
};

/**
 * Counters of one port. Every outcome of every frame handed to or taken
 * from the port lands in exactly one counter.
 */
struct fab_port_stats {
	uint64_t rx_packets;      /**< frames delivered by rx bursts */
	/**
	 * Their bytes (no FCS). ethdev: the device's own count (ibytes) when
	 * it keeps one, which includes frames still in its rx ring; otherwise
	 * summed burst by burst.
	 */
	uint64_t rx_bytes;
	/**
	 * Frames lost on input: the sum of the rx_err_* counters (pcap) or
	 * the ethdev's ierrors.
	 */
	uint64_t rx_errors;
	/**
	 * Failed mbuf allocations. pcap: attempts; the frame stays first in
	 * line and is retried by the next burst, so it is not lost. ethdev:
	 * the PMD's rx_nombuf, frames lost.
	 */
	uint64_t rx_nombuf;
	uint64_t rx_missed;       /**< ethdev imissed: the rx ring was full */
	uint64_t rx_err_too_long; /**< pcap records over FAB_PORT_MAX_FRAME, skipped */
	uint64_t rx_err_snapped;  /**< pcap records whose caplen differs from len, skipped */
	uint64_t rx_err_file;     /**< a truncated or corrupt pcap file ended input */
	uint64_t tx_packets;      /**< frames sent or written */
	uint64_t tx_bytes;        /**< their bytes (no FCS) */
	/** Frames freed unsent: the PMD did not take them, a write failed, too long. */
	uint64_t tx_errors;
	/** Frames discarded because the port has no output (pcap without tx_path). */
	uint64_t tx_no_output;
};

/**
 * Operations of a port backend. rx_burst, tx_burst and free are required;
 * the others may be NULL (the defaults are given with each). Every call
 * gets the backend pointer given to fab_port_create_ops() and the port's
 * counters, which the backend updates.
 */
struct fab_port_ops {
	/** What the backend is. */
	enum fab_port_kind kind;
	/**
	 * Deliver up to @p n frames whose arrival time is at most @p now, in
	 * order. When @p arrival_ps is not NULL, store each frame's arrival
	 * time (the time its last bit arrived) in it. Counts rx_packets,
	 * rx_bytes and any error.
	 */
	uint16_t (*rx_burst)(void *backend, struct fab_port_stats *stats,
			uint64_t now, struct rte_mbuf **pkts, uint64_t *arrival_ps,
			uint16_t n);
	/**
	 * Take ownership of @p n frames: send them, write them, or free and
	 * count them. @p tx_done_ps (may be NULL for real-time backends) is
	 * each frame's transmit-complete time. Return the number sent.
	 */
	uint16_t (*tx_burst)(void *backend, struct fab_port_stats *stats,
			const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n);
	/** Arrival time of the next frame. Default FAB_PORT_RX_POLL. */
	uint64_t (*next_rx_ps)(const void *backend);
	/** Whether input has ended for good. Default false. */
	bool (*rx_eof)(const void *backend);
	/** Hold arrivals until @p until_ps. Default -ENOTSUP. */
	int (*rx_hold)(void *backend, uint64_t until_ps);
	/** Push buffered output to its destination. Default: nothing to do. */
	int (*flush)(void *backend);
	/** Merge counters the device keeps itself into @p stats. Optional. */
	void (*stats_read)(void *backend, struct fab_port_stats *stats);
	/** The backend's last error message. Default "". */
	const char *(*last_error)(const void *backend);
	/** Release the backend (the port is being freed). */
	void (*free)(void *backend);
	/**
	 * tx_burst for a caller that has already summed the frames' lengths
	 * into @p bytes (fab_port_tx_burst_bytes()). Optional: only a backend
	 * that would otherwise read every frame just to count it gains by it.
	 */
	uint16_t (*tx_burst_bytes)(void *backend, struct fab_port_stats *stats,
			const uint64_t *tx_done_ps, struct rte_mbuf **pkts, uint16_t n,
			uint64_t bytes);
	/**
	 * Keep the next arrival time (what next_rx_ps says) in @p slot from
	 * now on, writing it there at once; NULL: back in the backend's own
	 * word. Return the word that now holds it. Optional: see
	 * fab_port_bind_next_rx().
	 */
	const uint64_t *(*bind_next_rx)(void *backend, uint64_t *slot);
};

/** What every port has, whatever its backend. */
struct fab_port_conf {
	/** Name used in messages and counters (copied); required. */
	const char *name;
	/**
	 * Source MAC of frames the port originates (PFC, the switch's
	 * rewrites). All zero: the device's own MAC (ethdev), or a locally
	 * administered MAC derived from the name (other backends).
	 */
	struct rte_ether_addr mac;
	/**
	 * Emulated line rate in bits per second. Required (non-zero) for
	 * pcap ports; 0 on an ethdev port takes the link speed.
	 */
	uint64_t rate_bps;
};

/** Configuration of an ethdev port. */
struct fab_port_ethdev_conf {
	struct fab_port_conf port;
	/**
	 * DPDK device name ("net_pcap0", "net_ring0", "0000:01:00.0") or a
	 * decimal port index ("0"); NULL selects @p port_id.
	 */
	const char *device;
	/**
	 * Device arguments to hot-plug the device with when it does not exist
	 * yet ("net_pcap0,rx_pcap=in.pcap,tx_pcap=out.pcap"); NULL: the
	 * device must exist (EAL -a or --vdev). A device the port plugged is
	 * removed when the port is freed.
	 */
	const char *devargs;
	uint16_t port_id;          /**< used when device is NULL */
	struct rte_mempool *mempool; /**< rx buffers; required */
	uint16_t nb_rx_desc;       /**< rx ring size; 0: FAB_PORT_DEFAULT_RX_DESC */
	uint16_t nb_tx_desc;       /**< tx ring size; 0: FAB_PORT_DEFAULT_TX_DESC */
	/**
	 * Largest frame to receive, Ethernet header included, FCS excluded
	 * (the MTU plus 14); 0: FAB_PORT_DEFAULT_MAX_FRAME.
	 */
	uint32_t max_frame_len;
	bool no_promiscuous;       /**< leave promiscuous mode off */
};

/** How a pcap port times its arrivals. */
enum fab_port_timing {
	/**
	 * Each record arrives at its own timestamp minus the first record's,
	 * plus start_ps; never faster than the port's line rate.
	 */
	FAB_PORT_TIMING_TRACE = 0,
	/** Records arrive back to back at the port's line rate from start_ps. */
	FAB_PORT_TIMING_LINE_RATE,
};

/** Configuration of a pcap file port. */
struct fab_port_pcap_conf {
	struct fab_port_conf port;
	/** pcap (microsecond or nanosecond) to read, Ethernet only; NULL: no input. */
	const char *rx_path;
	/** pcap to write (nanosecond timestamps, Ethernet); NULL: no output. */
	const char *tx_path;
	enum fab_port_timing timing;
	/** Virtual time of the start of input (see enum fab_port_timing). */
	uint64_t start_ps;
	/** rx buffers; required with rx_path. Longer frames become mbuf chains. */
	struct rte_mempool *mempool;
	/**
	 * Largest valid frame, Ethernet header included, FCS excluded; 0:
	 * FAB_PORT_DEFAULT_MAX_FRAME. Longer frames are still delivered (the
	 * switch drops and counts oversize); it is reported by
	 * fab_port_max_frame_len().
	 */
	uint32_t max_frame_len;
};

/** A port; opaque. */
struct fab_port;

/**
 * The longest frame (without FCS) a DPDK device takes, as 22.11's
 * rte_eth_dev_configure() checks the MTU: its largest MTU plus the
 * Ethernet header. af_packet, for one, takes 1518-byte frames whatever the
 * configuration asks. Use it to size max_frame_len before opening a port.
 *
 * @param port_id
 *   The ethdev.
 * @param want
 *   The frame length the caller would like.
 * @return
 *   The smaller of @p want and the device's limit; @p want itself when the
 *   device is unknown or states no usable limit (opening the port then
 *   reports what is wrong).
 */
uint32_t fab_port_ethdev_frame_limit(uint16_t port_id, uint32_t want);

/**
 * Open a DPDK ethdev as a port: configure one rx and one tx queue, set the
 * MTU from max_frame_len, ask for scattered rx when a frame may exceed one
 * mbuf and for multi-segment tx, each only if the device offers it, enable
 * promiscuous mode where supported, and start the device.
 *
 * @param conf
 *   The configuration.
 * @param err
 *   Buffer for a message naming the port, the device and the DPDK error;
 *   may be NULL.
 * @param err_len
 *   Size of @p err.
 * @return
 *   The port, or NULL with rte_errno set.
 */
struct fab_port *fab_port_create_ethdev(const struct fab_port_ethdev_conf *conf,
		char *err, size_t err_len);

/**
 * Open a pcap file pair as a port in virtual time.
 *
 * Record i arrives (its last bit) at
 *   max(trace_i, arrival_{i-1} + wire_i, hold_until + wire_i)
 * where wire_i = fab_wire_time_ps(len_i, rate) and trace_i is
 * start_ps + (ts_i - ts_0) for trace timing; a line-rate port has no trace_i
 * and its first record arrives at start_ps + wire_0. A trace denser than
 * the line rate is therefore stretched to line rate. Input is read lazily,
 * one record ahead.
 *
 * @param conf
 *   The configuration.
 * @param err
 *   Buffer for a message naming the port and the file; may be NULL.
 * @param err_len
 *   Size of @p err.
 * @return
 *   The port, or NULL with rte_errno set.
 */
struct fab_port *fab_port_create_pcap(const struct fab_port_pcap_conf *conf,
		char *err, size_t err_len);

/**
 * Make a port of any backend (the fabric's links, test doubles).
 *
 * @param conf
 *   Name, MAC and rate of the port; rate_bps must be non-zero.
 * @param ops
 *   The backend's operations; must outlive the port.
 * @param backend
 *   Handed to every operation; released by ops->free when the port is
 *   freed, and also when creation fails.
 * @param max_frame_len
 *   Largest valid frame; 0: FAB_PORT_DEFAULT_MAX_FRAME.
 * @param err
 *   Buffer for a message; may be NULL.
 * @param err_len
 *   Size of @p err.
 * @return
 *   The port, or NULL with rte_errno set.
 */
struct fab_port *fab_port_create_ops(const struct fab_port_conf *conf,
		const struct fab_port_ops *ops, void *backend, uint32_t max_frame_len,
		char *err, size_t err_len);

/**
 * For backends: let fab_port_next_rx_ps() read the next arrival time from
 * @p next_rx_ps instead of calling ops->next_rx_ps. A backend that keeps
 * that time in one word (an in-process link does) saves a call and the
 * loads behind it on every check; the fabric checks every port of a node at
 * every event. The word must outlive the port; NULL removes the hint.
 */
void fab_port_set_next_rx_hint(struct fab_port *port, const uint64_t *next_rx_ps);

/**
 * Close a port: an ethdev is stopped and closed (and removed if the port
 * plugged it); a pcap output is flushed and closed. Frames still in a
 * backend are freed.
 *
 * @param port
 *   The port, or NULL (nothing happens).
 */
void fab_port_free(struct fab_port *port);

/**
 * Receive a burst: up to @p n frames that have arrived by @p now, in
 * arrival order. Real-time ports ignore @p now.
 *
 * @return
 *   The number of frames stored in @p pkts; the caller owns them.
 */
uint16_t fab_port_rx_burst(struct fab_port *port, uint64_t now,
		struct rte_mbuf **pkts, uint16_t n);

/**
 * fab_port_rx_burst() that also stores each frame's arrival time (when its
 * last bit arrived; @p now on a real-time port) in @p arrival_ps.
 *
 * @return
 *   The number of frames stored in @p pkts and @p arrival_ps.
 */
uint16_t fab_port_rx_burst_ts(struct fab_port *port, uint64_t now,
		struct rte_mbuf **pkts, uint64_t *arrival_ps, uint16_t n);

/**
 * Transmit a burst. The port takes ownership of every frame: it sends or
 * writes it, or frees it and counts it (tx_errors, tx_no_output). Nothing
 * is retried.
 *
 * @param port
 *   The port.
 * @param tx_done_ps
 *   Transmit-complete time of each frame (the pcap output's timestamps);
 *   may be NULL on a real-time port.
 * @param pkts
 *   The frames.
 * @param n
 *   How many.
 * @return
 *   The number sent or written.
 */
uint16_t fab_port_tx_burst(struct fab_port *port, const uint64_t *tx_done_ps,
		struct rte_mbuf **pkts, uint16_t n);

/**
 * fab_port_tx_burst() for a caller that knows the frames' total length
 * already (the switch sums it to release buffer space): an ethdev port
 * then counts tx_bytes without reading every frame once more.
 *
 * @param bytes
 *   The sum of rte_pktmbuf_pkt_len() over the @p n frames.
 */
uint16_t fab_port_tx_burst_bytes(struct fab_port *port, const uint64_t *tx_done_ps,
		struct rte_mbuf **pkts, uint16_t n, uint64_t bytes);

/**
 * Have the port keep its next arrival time (fab_port_next_rx_ps()) in the
 * caller's word @p slot, updated as frames arrive and leave. A node that
 * checks every port at every event then reads one array of its own instead
 * of following a pointer to each backend (the fabric's switches do).
 *
 * @param slot
 *   The word; it must stay valid until the port is unbound (NULL) or freed.
 * @return
 *   0; -EINVAL without a port; -ENOTSUP when the backend cannot (real-time
 *   and pcap ports: their time is not one word another party writes).
 */
int fab_port_bind_next_rx(struct fab_port *port, uint64_t *slot);

/**
 * Arrival time of the next frame: FAB_PORT_RX_NEVER once input has ended,
 * FAB_PORT_RX_POLL on a real-time port (a frame may be waiting at any time).
 */
uint64_t fab_port_next_rx_ps(const struct fab_port *port);

/** Whether input has ended for good (exact for pcap ports; ethdev: false). */
bool fab_port_rx_eof(const struct fab_port *port);

/**
 * Hold arrivals: no frame arrives before @p until_ps plus its own wire
 * time; the backlog then arrives at line rate. This stands in for a passive
 * peer (a pcap file) that a switch has paused. A new call replaces the
 * previous hold, so a hold may be shortened (a resume) as well as extended.
 *
 * @return
 *   0, or -ENOTSUP on a real-time port (a real peer reacts to PFC itself).
 */
int fab_port_rx_hold(struct fab_port *port, uint64_t until_ps);

/**
 * Push buffered output (a pcap file) to its destination.
 *
 * @return
 *   0, or a negative errno.
 */
int fab_port_flush(struct fab_port *port);

/**
 * Read the port's counters, with those the device keeps itself (ethdev
 * rx_nombuf, imissed, ierrors) merged in.
 *
 * @return
 *   0, or -EINVAL.
 */
int fab_port_stats(struct fab_port *port, struct fab_port_stats *stats);

/**
 * The DPDK counters of an ethdev port (imissed and rx_nombuf tell whether
 * input was lost, which an input-drained check needs).
 *
 * @return
 *   0, -ENOTSUP if the port is not an ethdev, or the ethdev's error.
 */
int fab_port_ethdev_stats(const struct fab_port *port, struct rte_eth_stats *stats);

/** DPDK port id of an ethdev port, or -ENOTSUP. */
int fab_port_ethdev_id(const struct fab_port *port);

/** The port's name. */
const char *fab_port_name(const struct fab_port *port);

/** The port's backend. */
enum fab_port_kind fab_port_kind(const struct fab_port *port);

/** "ethdev", "pcap", "link", "other" or "unknown". */
const char *fab_port_kind_name(enum fab_port_kind kind);

/** The port's MAC address. */
void fab_port_mac(const struct fab_port *port, struct rte_ether_addr *mac);

/** The port's line rate in bits per second. */
uint64_t fab_port_rate_bps(const struct fab_port *port);

/** Largest valid frame (Ethernet header included, FCS excluded). */
uint32_t fab_port_max_frame_len(const struct fab_port *port);

/**
 * The last error the backend met while running (a truncated pcap, a
 * skipped record), naming the file and the record; "" if none.
 */
const char *fab_port_last_error(const struct fab_port *port);

/**
 * Count the records of a pcap file with libpcap. net_pcap in DPDK 22.11
 * gives no end-of-file signal, so a real-time run learns that its input has
 * drained by comparing this count with what it received.
 *
 * @param path
 *   The file.
 * @param err
 *   Receives a message when the file cannot be read, or when it ends in a
 *   truncated or corrupt record (the records before it are still counted);
 *   "" otherwise. May be NULL.
 * @param err_len
 *   Size of @p err.
 * @return
 *   The number of complete records, or a negative errno when the file
 *   cannot be opened as a pcap.
 */
int64_t fab_pcap_count_records(const char *path, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif /* FAB_PORT_H */
