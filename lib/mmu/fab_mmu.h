/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_MMU_H
#define FAB_MMU_H

/**
 * @file
 * Shared-buffer memory management unit in SONiC's (SAI's) model.
 *
 * One shared pool; per (ingress port, priority group) accounting in three
 * regions: a dedicated reserved minimum, the shared pool under a static or
 * dynamic threshold, and for lossless groups a dedicated XOFF headroom; per
 * (egress port, class) accounting of the queued bytes under a static or
 * dynamic threshold, or none. Reserved and headroom bytes lie outside the
 * pool, so the whole buffer is the pool plus every reserved and headroom
 * size (fab_mmu_total_bytes()).
 *
 * A packet is admitted into reserved first, then shared, then (lossless
 * only) headroom. The first time a lossless group does not fit its shared
 * limit, the admit call reports XOFF; lossless bytes drop only when the
 * headroom overruns. A release returns bytes in the reverse order (headroom,
 * then shared, then reserved), as an ASIC's per-group counters do, and
 * reports XON when a paused group falls to its resume point. Because
 * release works on counters, the caller keeps no per-packet tag: the ingress
 * port, group, egress port, class and length it already knows are enough.
 *
 * Algorithms are pure: no EAL, no clock, no global state; the object is
 * touched by one lcore. docs/modules/mmu.md gives the formulas and sources.
 */

#include <stdbool.h>
#include <stdint.h>

#include "fab_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest number of ports one MMU accounts for. */
#define FAB_MMU_MAX_PORTS 1024
/** Smallest and largest SAI dynamic_th exponent. */
#define FAB_MMU_DYNAMIC_TH_MIN (-7)
#define FAB_MMU_DYNAMIC_TH_MAX 7

/** How the shared limit of a priority group or an egress queue is set. */
enum fab_mmu_th_mode {
	/** limit = 2^dynamic_th * free pool bytes, at the moment of the check */
	FAB_MMU_TH_DYNAMIC = 0,
	/** limit = static_th_bytes */
	FAB_MMU_TH_STATIC,
	/** no limit of its own (ingress: only the free pool bounds it) */
	FAB_MMU_TH_UNLIMITED,
	FAB_MMU_TH_MAX,
};

/** Buffer profile of one (ingress port, priority group). */
struct fab_mmu_pg_profile {
	bool lossless;            /**< uses headroom and sends PFC instead of dropping */
	uint8_t th_mode;          /**< enum fab_mmu_th_mode of the shared limit */
	int8_t dynamic_th;        /**< n in -7..7 for FAB_MMU_TH_DYNAMIC */
	uint32_t static_th_bytes; /**< shared limit for FAB_MMU_TH_STATIC */
	uint32_t reserved_bytes;  /**< guaranteed minimum, outside the pool */
	uint32_t xoff_bytes;      /**< headroom size, outside the pool (lossless only) */
	uint32_t xon_bytes;       /**< resume floor on shared use (lossless only) */
	uint32_t xon_offset_bytes;/**< resume offset below the shared limit (lossless only) */
};

/** Buffer profile of one (egress port, class) queue. */
struct fab_mmu_queue_profile {
	uint8_t th_mode;          /**< enum fab_mmu_th_mode of the queue's limit */
	int8_t dynamic_th;        /**< n in -7..7 for FAB_MMU_TH_DYNAMIC */
	uint32_t static_th_bytes; /**< queue limit for FAB_MMU_TH_STATIC */
};

/**
 * Buffer configuration of one port. All zeros is valid: an identity
 * priority-to-group map, lossy groups and queues with dynamic_th 0.
 */
struct fab_mmu_port_conf {
	struct fab_mmu_pg_profile pg[FAB_NUM_PRIO];       /**< by ingress priority group */
	struct fab_mmu_queue_profile queue[FAB_NUM_PRIO]; /**< by egress class */
	bool use_prio_map;                   /**< false: priority n is group n */
	uint8_t prio_to_pg[FAB_NUM_PRIO];    /**< group of each priority when use_prio_map */
};

/** Parameters of fab_mmu_create(). */
struct fab_mmu_conf {
	uint16_t nb_ports;        /**< 1..FAB_MMU_MAX_PORTS */
	uint64_t pool_bytes;      /**< size of the shared pool, > 0 */
	/** Configuration of every port that @p ports does not override. */
	struct fab_mmu_port_conf port_default;
	/** NULL, or nb_ports entries, one per port. */
	const struct fab_mmu_port_conf *ports;
};

/** Outcome of fab_mmu_admit(). */
enum fab_mmu_verdict {
	FAB_MMU_ADMIT = 0,        /**< admitted; the caller must release it later */
	FAB_MMU_DROP_INGRESS,     /**< lossy group over its shared limit or the pool */
	FAB_MMU_DROP_EGRESS,      /**< egress queue over its limit */
	FAB_MMU_DROP_HEADROOM,    /**< lossless group overran its headroom: a lossless loss */
	FAB_MMU_DROP_INVALID,     /**< port, group or class out of range */
	FAB_MMU_VERDICT_MAX,
};

/**
 * PFC work an admit or release asks of the caller. Every call that takes an
 * event clears it first; at most one of xoff and xon is set.
 */
struct fab_mmu_event {
	bool xoff;          /**< send XOFF for prio_mask out of port */
	bool xon;           /**< send XON (pause time 0) for prio_mask out of port */
	uint8_t pg;         /**< the priority group that changed state */
	uint8_t prio_mask;  /**< priorities mapped to that group (bit n = priority n) */
	uint16_t port;      /**< the ingress port whose group changed state */
};

/** Occupancy and counters of one (ingress port, priority group). */
struct fab_mmu_pg_stats {
	uint64_t reserved_bytes;     /**< in use in the reserved region */
	uint64_t shared_bytes;       /**< in use in the shared pool */
	uint64_t headroom_bytes;     /**< in use in the headroom */
	/** shared limit now: the profile's threshold capped by shared use plus the free pool */
	uint64_t shared_limit_bytes;
	uint64_t watermark_bytes;    /**< largest reserved + shared + headroom seen */
	uint64_t headroom_watermark_bytes; /**< largest headroom use seen */
	uint64_t admit_pkts;
	uint64_t admit_bytes;
	uint64_t drop_pkts[FAB_MMU_VERDICT_MAX];  /**< by verdict; [FAB_MMU_ADMIT] stays 0 */
	uint64_t drop_bytes[FAB_MMU_VERDICT_MAX];
	uint64_t xoff_count;         /**< XOFF events raised */
	uint64_t xon_count;          /**< XON events raised */
	bool paused;                 /**< XOFF raised and not yet resumed */
};

/** Occupancy and counters of one (egress port, class) queue. */
struct fab_mmu_queue_stats {
	uint64_t bytes;              /**< queued now */
	uint64_t limit_bytes;        /**< limit now (UINT64_MAX when unlimited) */
	uint64_t watermark_bytes;    /**< largest queue seen */
	uint64_t drop_pkts;          /**< FAB_MMU_DROP_EGRESS drops */
	uint64_t drop_bytes;
};

/** Switch-wide occupancy and counters. */
struct fab_mmu_stats {
	uint64_t total_bytes;        /**< fab_mmu_total_bytes() */
	uint64_t pool_bytes;         /**< shared pool size */
	uint64_t pool_used_bytes;    /**< shared bytes in use */
	uint64_t pool_watermark_bytes;
	uint64_t admit_pkts;
	uint64_t admit_bytes;
	uint64_t drop_pkts[FAB_MMU_VERDICT_MAX];
	uint64_t drop_bytes[FAB_MMU_VERDICT_MAX];
	uint64_t xoff_count;
	uint64_t xon_count;
	/** releases of more bytes than their group or queue held (a caller bug) */
	uint64_t release_errors;
};

struct fab_mmu;

/**
 * Create an MMU.
 *
 * @param conf
 *   Pool size, ports and profiles; copied, so the caller may free it.
 * @return
 *   The MMU, or NULL with rte_errno set: EINVAL for an invalid
 *   configuration (no ports, dynamic_th outside -7..7, an unknown threshold
 *   mode, xon_bytes above xoff_bytes, headroom fields on a lossy group, a
 *   map entry beyond 7), ENOMEM.
 */
struct fab_mmu *fab_mmu_create(const struct fab_mmu_conf *conf);

/**
 * Free an MMU.
 *
 * @param mmu
 *   The MMU, or NULL.
 */
void fab_mmu_free(struct fab_mmu *mmu);

/**
 * Whole buffer the configuration needs: the pool plus every reserved and
 * headroom size of every port.
 *
 * @param mmu
 *   The MMU.
 * @return
 *   Bytes.
 */
uint64_t fab_mmu_total_bytes(const struct fab_mmu *mmu);

/**
 * Priority group of an ingress priority on a port.
 *
 * @param mmu
 *   The MMU.
 * @param port
 *   Ingress port.
 * @param prio
 *   Priority (PCP or the class DSCP maps to), 0..7.
 * @return
 *   The group, 0..7 (0 for an out-of-range port or priority).
 */
uint8_t fab_mmu_pg_of(const struct fab_mmu *mmu, uint16_t port, uint8_t prio);

/**
 * Admit a packet into the buffer.
 *
 * Ingress: reserved first, then shared while shared use stays within the
 * limit computed from the free pool before this packet, then for a lossless
 * group the headroom. Egress: the queue must stay within its limit. A
 * packet is taken whole or not at all.
 *
 * @param mmu
 *   The MMU.
 * @param in_port
 *   Port the packet arrived on.
 * @param pg
 *   Its priority group there (fab_mmu_pg_of()).
 * @param out_port
 *   Port it leaves by.
 * @param cls
 *   Its egress class there.
 * @param bytes
 *   Bytes it occupies (the frame length).
 * @param ev
 *   Set to XOFF the first time the group needs headroom; may be NULL.
 * @return
 *   FAB_MMU_ADMIT, or the drop reason (also counted). Log
 *   FAB_MMU_DROP_HEADROOM: it means the headroom is too small.
 */
enum fab_mmu_verdict fab_mmu_admit(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg,
		uint16_t out_port, uint8_t cls, uint32_t bytes, struct fab_mmu_event *ev);

/**
 * Release an admitted packet (at dequeue, or when it is discarded later).
 *
 * The group gives the bytes back from headroom first, then shared, then
 * reserved. When the group is paused and its resume rule holds afterwards
 * (fab_mmu_xon_ready()), XON is reported.
 *
 * @param mmu
 *   The MMU.
 * @param in_port
 *   As given to fab_mmu_admit().
 * @param pg
 *   As given to fab_mmu_admit().
 * @param out_port
 *   As given to fab_mmu_admit().
 * @param cls
 *   As given to fab_mmu_admit().
 * @param bytes
 *   As given to fab_mmu_admit().
 * @param ev
 *   Set to XON when the group resumes; may be NULL.
 */
void fab_mmu_release(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg,
		uint16_t out_port, uint8_t cls, uint32_t bytes, struct fab_mmu_event *ev);

/**
 * Admit a run of packets of one (ingress port, group, egress port, class)
 * at once, when none of them can meet a limit: the state and counters end
 * exactly as @p n fab_mmu_admit() calls would leave them, none of which
 * would have dropped or raised XOFF.
 *
 * @param n
 *   Packets in the run.
 * @param bytes
 *   Their bytes in all.
 * @return
 *   0 when all were admitted; -EAGAIN when some packet might meet a limit
 *   (or an argument is out of range): nothing changed, and the caller
 *   admits the packets one by one.
 */
int fab_mmu_admit_run(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg, uint16_t out_port,
		uint8_t cls, uint32_t n, uint64_t bytes);

/**
 * Release a run of admitted packets of one (ingress port, group, egress
 * port, class) at once, exactly as one fab_mmu_release() per packet would;
 * @p ev reports the XON that one of those calls would have.
 *
 * @return
 *   0; -EAGAIN when one of the releases would be an error (more than was
 *   admitted, or an argument out of range): nothing changed, and the
 *   caller releases the packets one by one, which counts the error.
 */
int fab_mmu_release_run(struct fab_mmu *mmu, uint16_t in_port, uint8_t pg,
		uint16_t out_port, uint8_t cls, uint64_t bytes, struct fab_mmu_event *ev);

/**
 * Re-evaluate the resume rule of a paused group without a release of its
 * own, e.g. after other groups freed pool space so its dynamic limit grew,
 * or after the packet that raised XOFF was dropped from an empty group.
 *
 * @param mmu
 *   The MMU.
 * @param port
 *   Ingress port.
 * @param pg
 *   Priority group.
 * @param ev
 *   Set to XON when the group resumes; may be NULL.
 * @return
 *   1 if the group resumed, 0 if not (or it was not paused), -EINVAL.
 */
int fab_mmu_check_xon(struct fab_mmu *mmu, uint16_t port, uint8_t pg,
		struct fab_mmu_event *ev);

/**
 * The resume rule, in one place: a paused lossless group resumes when its
 * headroom is empty and its shared use is at most
 * max(xon_bytes, shared_limit - xon_offset_bytes) (SAI
 * SAI_BUFFER_PROFILE_ATTR_XON_OFFSET_TH; a difference below zero counts
 * as zero).
 *
 * @param headroom_used
 *   Headroom bytes in use.
 * @param shared_used
 *   Shared bytes in use.
 * @param shared_limit
 *   Shared limit now.
 * @param xon_bytes
 *   The profile's xon.
 * @param xon_offset_bytes
 *   The profile's xon_offset.
 * @return
 *   true if XON is due.
 */
static inline bool
fab_mmu_xon_ready(uint64_t headroom_used, uint64_t shared_used, uint64_t shared_limit,
		uint64_t xon_bytes, uint64_t xon_offset_bytes)
{
	uint64_t below_limit = shared_limit > xon_offset_bytes ?
			shared_limit - xon_offset_bytes : 0;
	uint64_t resume_at = below_limit > xon_bytes ? below_limit : xon_bytes;

	return headroom_used == 0 && shared_used <= resume_at;
}

/**
 * Occupancy and counters of one priority group.
 *
 * @param mmu
 *   The MMU.
 * @param port
 *   Ingress port.
 * @param pg
 *   Priority group.
 * @param out
 *   Filled on success.
 * @return
 *   0, or -EINVAL.
 */
int fab_mmu_pg_stats_get(const struct fab_mmu *mmu, uint16_t port, uint8_t pg,
		struct fab_mmu_pg_stats *out);

/**
 * Occupancy and counters of one egress queue.
 *
 * @param mmu
 *   The MMU.
 * @param port
 *   Egress port.
 * @param cls
 *   Class.
 * @param out
 *   Filled on success.
 * @return
 *   0, or -EINVAL.
 */
int fab_mmu_queue_stats_get(const struct fab_mmu *mmu, uint16_t port, uint8_t cls,
		struct fab_mmu_queue_stats *out);

/**
 * Switch-wide occupancy and counters.
 *
 * @param mmu
 *   The MMU.
 * @param out
 *   Filled.
 */
void fab_mmu_stats_get(const struct fab_mmu *mmu, struct fab_mmu_stats *out);

/**
 * Restart every watermark from the current occupancy (for per-interval
 * maxima in time series).
 *
 * @param mmu
 *   The MMU.
 */
void fab_mmu_watermarks_reset(struct fab_mmu *mmu);

/**
 * Stable name of a verdict, for counters and logs ("drop_headroom").
 *
 * @param verdict
 *   A verdict.
 * @return
 *   The name, or "unknown".
 */
const char *fab_mmu_verdict_name(enum fab_mmu_verdict verdict);

/** Propagation delay of a cable, ps per metre, each way (about c / 1.5). */
#define FAB_MMU_CABLE_PS_PER_M 5000

/**
 * XOFF headroom a lossless priority group needs: the bytes that can still
 * arrive after the switch decides to send XOFF. Sum of, at the port rate:
 * the frame being received when the decision is taken and the frame the
 * peer has started when the PFC frame reaches it (two frames of @p mtu plus
 * FAB_ETH_WIRE_OVERHEAD each), the PFC frame's own time on the wire
 * (FAB_PFC_FRAME_LEN plus FAB_ETH_WIRE_OVERHEAD), the round trip over the
 * cable (2 * cable_m * FAB_MMU_CABLE_PS_PER_M) and the peer's response time;
 * the time terms are converted to bytes rounded up.
 *
 * @param rate_bps
 *   Port rate, bits per second.
 * @param cable_m
 *   Cable length in metres.
 * @param mtu
 *   Largest frame on the lossless class, bytes without FCS.
 * @param peer_response_ns
 *   Time the peer takes to stop after receiving PFC, ns.
 * @return
 *   Headroom bytes, saturated at UINT32_MAX.
 */
uint32_t fab_mmu_headroom_bytes(uint64_t rate_bps, uint32_t cable_m, uint32_t mtu,
		uint32_t peer_response_ns);

#ifdef __cplusplus
}
#endif

#endif /* FAB_MMU_H */
