/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PFC_H
#define FAB_PFC_H

/**
 * @file
 * IEEE 802.1Qbb priority flow control as pure state machines.
 *
 * - TX (struct fab_pfc_tx, one per port): which priorities we hold paused
 *   at the peer, when the pause must be refreshed, and the contents of the
 *   next PFC frame (fab_pfc_tx_poll()), every priority due coalesced into
 *   one frame.
 * - RX (struct fab_pfc_rx, one per port): PFC (and optionally 802.3x PAUSE)
 *   frames received, turned into a "paused until" time per egress class.
 * - Watchdog (struct fab_pfc_wd, one per lossless queue): SONiC-like storm
 *   detection and restoration.
 *
 * Time is `now` in picoseconds, handed in by the caller; nothing here reads
 * a clock, allocates on the per-packet path, logs there, or needs the EAL.
 * Frames themselves are built and decoded by lib/pkt (fab_pfc_build(),
 * fab_pfc_decode()).
 */

#include <stdbool.h>
#include <stdint.h>

#include "fab_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Time that never comes: no event pending, or not paused. */
#define FAB_PFC_NEVER UINT64_MAX
/** Pause time a PFC frame carries by default (the largest). */
#define FAB_PFC_PAUSE_QUANTA_DEFAULT 0xffff

/* ------------------------------------------------------------------ */
/* TX: pausing the peer                                                */
/* ------------------------------------------------------------------ */

/** Parameters of fab_pfc_tx_create(). */
struct fab_pfc_tx_conf {
	uint64_t rate_bps;      /**< port rate; turns quanta into time */
	uint16_t pause_quanta;  /**< time an XOFF carries; 0 means 0xffff */
	/**
	 * Interval between refreshes of a standing XOFF; 0 means half the
	 * pause time at rate_bps. Must be shorter than the pause time.
	 */
	uint64_t refresh_ps;
	uint8_t enable_mask;    /**< priorities that may send PFC (the lossless ones) */
};

/** Counters of a TX state machine. */
struct fab_pfc_tx_stats {
	uint64_t frames;                   /**< PFC frames asked for by fab_pfc_tx_poll() */
	uint64_t pause[FAB_NUM_PRIO];      /**< frames carrying a non-zero time for the priority */
	uint64_t resume[FAB_NUM_PRIO];     /**< frames carrying time 0 (XON) for the priority */
};

struct fab_pfc_tx;

/**
 * Create the TX state machine of one port.
 *
 * @param conf
 *   Parameters; copied.
 * @return
 *   The object, or NULL with rte_errno set: EINVAL (no conf, rate 0,
 *   refresh_ps not below the pause time), ENOMEM.
 */
struct fab_pfc_tx *fab_pfc_tx_create(const struct fab_pfc_tx_conf *conf);

/**
 * Free a TX state machine.
 *
 * @param tx
 *   The object, or NULL.
 */
void fab_pfc_tx_free(struct fab_pfc_tx *tx);

/**
 * Ask the peer to stop sending @p prio (a lossless group passed XOFF).
 * Sent at the next fab_pfc_tx_poll(); nothing happens if the priority is
 * already paused.
 *
 * @param tx
 *   The port's TX state.
 * @param prio
 *   Priority, 0..7.
 * @param now
 *   Current time, ps.
 * @return
 *   0, -EINVAL for a priority beyond 7, -ENOTSUP for a priority not in
 *   enable_mask.
 */
int fab_pfc_tx_xoff(struct fab_pfc_tx *tx, uint8_t prio, uint64_t now);

/**
 * Let the peer resume @p prio (the group fell to its XON point). A pause
 * time of 0 goes out at the next poll, once; if the XOFF had not been sent
 * yet, both are cancelled and nothing is sent.
 *
 * @param tx
 *   The port's TX state.
 * @param prio
 *   Priority, 0..7.
 * @param now
 *   Current time, ps.
 * @return
 *   0, -EINVAL, -ENOTSUP as fab_pfc_tx_xoff().
 */
int fab_pfc_tx_xon(struct fab_pfc_tx *tx, uint8_t prio, uint64_t now);

/**
 * Whether a PFC frame must leave now, and what it carries.
 *
 * A frame is due when a new XOFF or XON waits or a refresh has come due.
 * It then carries every priority held paused (with pause_quanta; each one's
 * refresh restarts from @p now) and every waiting XON (with time 0).
 *
 * @param tx
 *   The port's TX state.
 * @param now
 *   Current time, ps.
 * @param enable
 *   Set to the class-enable vector (0 when no frame is due).
 * @param quanta
 *   Set to the eight pause times (all 0 when no frame is due).
 * @return
 *   true if the caller must send the frame (fab_pfc_build()).
 */
bool fab_pfc_tx_poll(struct fab_pfc_tx *tx, uint64_t now, uint8_t *enable,
		uint16_t quanta[FAB_NUM_PRIO]);

/**
 * When fab_pfc_tx_poll() next has a frame to send.
 *
 * @param tx
 *   The port's TX state.
 * @return
 *   A time in ps (at or before now when something waits), or FAB_PFC_NEVER.
 */
uint64_t fab_pfc_tx_next_event(const struct fab_pfc_tx *tx);

/**
 * Whether we hold @p prio paused at the peer.
 *
 * @param tx
 *   The port's TX state.
 * @param prio
 *   Priority, 0..7.
 * @return
 *   true between fab_pfc_tx_xoff() and fab_pfc_tx_xon().
 */
bool fab_pfc_tx_is_xoff(const struct fab_pfc_tx *tx, uint8_t prio);

/**
 * The refresh interval in use (refresh_ps or its default).
 *
 * @param tx
 *   The port's TX state.
 * @return
 *   Picoseconds.
 */
uint64_t fab_pfc_tx_refresh_ps(const struct fab_pfc_tx *tx);

/**
 * Counters.
 *
 * @param tx
 *   The port's TX state.
 * @param out
 *   Filled.
 */
void fab_pfc_tx_stats_get(const struct fab_pfc_tx *tx, struct fab_pfc_tx_stats *out);

/* ------------------------------------------------------------------ */
/* RX: being paused by the peer                                        */
/* ------------------------------------------------------------------ */

/** Parameters of fab_pfc_rx_create(). */
struct fab_pfc_rx_conf {
	uint64_t rate_bps;       /**< port rate; turns quanta into time */
	/**
	 * Pause every class on an 802.3x PAUSE frame. Off by default, as SONiC
	 * ignores PAUSE on lossless ports: the frame is then counted only.
	 */
	bool honor_pause;
	uint8_t ignore_mask;     /**< priorities whose PFC is counted but not obeyed */
	bool use_prio_map;       /**< false: priority n pauses class n */
	uint8_t prio_to_class[FAB_NUM_PRIO]; /**< egress class of each priority */
};

/** Counters of an RX state machine. */
struct fab_pfc_rx_stats {
	uint64_t pfc_frames;                /**< PFC frames handed in */
	uint64_t pause_frames;              /**< 802.3x PAUSE frames obeyed */
	uint64_t pause_ignored;             /**< 802.3x PAUSE frames ignored (honor_pause off) */
	uint64_t prio_ignored;              /**< enabled priorities in ignore_mask */
	uint64_t frames[FAB_NUM_PRIO];      /**< by class: priorities obeyed */
	uint64_t pauses[FAB_NUM_PRIO];      /**< by class: non-zero times obeyed */
	uint64_t resumes[FAB_NUM_PRIO];     /**< by class: zero times obeyed */
};

struct fab_pfc_rx;

/**
 * Create the RX state machine of one port.
 *
 * @param conf
 *   Parameters; copied.
 * @return
 *   The object, or NULL with rte_errno set: EINVAL (no conf, rate 0, a
 *   class beyond 7 in the map), ENOMEM.
 */
struct fab_pfc_rx *fab_pfc_rx_create(const struct fab_pfc_rx_conf *conf);

/**
 * Free an RX state machine.
 *
 * @param rx
 *   The object, or NULL.
 */
void fab_pfc_rx_free(struct fab_pfc_rx *rx);

/**
 * Apply a received PFC or PAUSE frame.
 *
 * Each enabled priority's pause ends at now + fab_pfc_quanta_to_ps(time,
 * rate) (time 0 resumes at once); the new time replaces the old one, as
 * 802.1Qbb's timers do. A class stays paused while any priority mapped to
 * it is.
 *
 * @param rx
 *   The port's RX state.
 * @param now
 *   Arrival time of the frame, ps.
 * @param f
 *   The decoded frame (fab_pfc_decode()).
 * @param until_out
 *   If not NULL, set to each class's pause end (at or before @p now: not
 *   paused).
 * @param changed_mask
 *   If not NULL, set to the classes whose pause end this frame changed.
 * @return
 *   0, or -EINVAL for a NULL argument or an opcode other than PFC and PAUSE.
 */
int fab_pfc_rx_frame(struct fab_pfc_rx *rx, uint64_t now, const struct fab_pfc_frame *f,
		uint64_t until_out[FAB_NUM_PRIO], uint8_t *changed_mask);

/**
 * When the pause of a class ends.
 *
 * @param rx
 *   The port's RX state.
 * @param cls
 *   Class, 0..7.
 * @return
 *   The time in ps; the class is paused while now is before it (0 if it
 *   never was, or cls is out of range).
 */
uint64_t fab_pfc_rx_paused_until(const struct fab_pfc_rx *rx, uint8_t cls);

/**
 * Since when a class has been paused without a break.
 *
 * @param rx
 *   The port's RX state.
 * @param cls
 *   Class, 0..7.
 * @param now
 *   Current time, ps.
 * @return
 *   The start of the current pause, or FAB_PFC_NEVER if not paused now.
 */
uint64_t fab_pfc_rx_paused_since(const struct fab_pfc_rx *rx, uint8_t cls, uint64_t now);

/**
 * Arrival of the last frame that gave a class a non-zero pause time.
 *
 * @param rx
 *   The port's RX state.
 * @param cls
 *   Class, 0..7.
 * @return
 *   The time in ps, or FAB_PFC_NEVER if none arrived.
 */
uint64_t fab_pfc_rx_last_pause(const struct fab_pfc_rx *rx, uint8_t cls);

/**
 * Total time a class has spent paused up to @p now.
 *
 * @param rx
 *   The port's RX state.
 * @param cls
 *   Class, 0..7.
 * @param now
 *   Current time, ps, not before the last frame.
 * @return
 *   Picoseconds.
 */
uint64_t fab_pfc_rx_paused_ps(const struct fab_pfc_rx *rx, uint8_t cls, uint64_t now);

/**
 * Earliest pause end after @p now over all classes, for the scheduler.
 *
 * @param rx
 *   The port's RX state.
 * @param now
 *   Current time, ps.
 * @return
 *   A time after @p now, or FAB_PFC_NEVER when no class is paused.
 */
uint64_t fab_pfc_rx_next_event(const struct fab_pfc_rx *rx, uint64_t now);

/**
 * Counters.
 *
 * @param rx
 *   The port's RX state.
 * @param out
 *   Filled.
 */
void fab_pfc_rx_stats_get(const struct fab_pfc_rx *rx, struct fab_pfc_rx_stats *out);

/* ------------------------------------------------------------------ */
/* Watchdog                                                            */
/* ------------------------------------------------------------------ */

/** What the switch does with a queue in a storm (SONiC's pfcwd actions). */
enum fab_pfc_wd_action {
	FAB_PFC_WD_DROP = 0,  /**< drop the queue's packets and the group's arrivals (default) */
	FAB_PFC_WD_FORWARD,   /**< ignore the peer's PFC and transmit */
	FAB_PFC_WD_ALERT,     /**< only count and report */
	FAB_PFC_WD_ACTION_MAX,
};

/** What fab_pfc_wd_update() saw happen. */
enum fab_pfc_wd_event {
	FAB_PFC_WD_NONE = 0,
	FAB_PFC_WD_DETECTED,  /**< a storm starts: apply the action */
	FAB_PFC_WD_RESTORED,  /**< the storm is over: back to normal */
};

/** Watchdog parameters, shared by the queues they apply to. */
struct fab_pfc_wd_conf {
	uint64_t detect_ps;   /**< stall time that makes a storm, > 0 */
	uint64_t restore_ps;  /**< quiet time that ends it; 0 means 2 * detect_ps */
	uint8_t action;       /**< enum fab_pfc_wd_action */
	/**
	 * Count a paused queue as stalled even when it is empty (SONiC's test
	 * plan: "even when the queue is empty"). Off: only a non-empty queue
	 * that makes no progress stalls.
	 */
	bool detect_empty;
};

/** What the caller observes of one queue at one instant. */
struct fab_pfc_wd_sample {
	uint64_t paused_since;   /**< fab_pfc_rx_paused_since(); FAB_PFC_NEVER if not paused */
	uint64_t last_pause_rx;  /**< fab_pfc_rx_last_pause() */
	bool queue_nonempty;     /**< packets wait in the queue */
	bool tx_progress;        /**< the queue sent something since the previous sample */
};

/** Watchdog state of one queue; plain data, all zeros after fab_pfc_wd_init(). */
struct fab_pfc_wd {
	bool stormed;            /**< between DETECTED and RESTORED */
	uint64_t stall_since;    /**< start of the current stall, or FAB_PFC_NEVER */
	uint64_t last_ok;        /**< last sample that was not a stall */
	uint64_t last_pause_rx;  /**< from the last sample */
	uint64_t storms;         /**< storms detected */
	uint64_t restorations;   /**< storms restored */
};

/**
 * Check watchdog parameters.
 *
 * @param conf
 *   Parameters.
 * @return
 *   0, or -EINVAL (NULL, detect_ps 0, unknown action, restore_ps that
 *   overflows).
 */
int fab_pfc_wd_conf_check(const struct fab_pfc_wd_conf *conf);

/**
 * Start a queue's watchdog: no stall, no storm, counters zero.
 *
 * @param wd
 *   State to initialise.
 */
void fab_pfc_wd_init(struct fab_pfc_wd *wd);

/**
 * Feed one observation of a queue.
 *
 * A stall is a sample where the class is paused and either the queue is
 * non-empty and made no progress, or detect_empty is set. It started at
 * the later of the pause start and the last sample that was not a stall;
 * once it has lasted detect_ps, a storm is detected. In a storm, once no
 * pause frame has arrived for restore_ps, it is restored.
 *
 * @param wd
 *   The queue's state.
 * @param conf
 *   Checked parameters.
 * @param now
 *   Time of the sample, ps; samples come in time order.
 * @param s
 *   What the caller sees.
 * @return
 *   The event this sample causes.
 */
enum fab_pfc_wd_event fab_pfc_wd_update(struct fab_pfc_wd *wd,
		const struct fab_pfc_wd_conf *conf, uint64_t now,
		const struct fab_pfc_wd_sample *s);

/**
 * When the watchdog next needs a sample to act on time, if nothing changes.
 *
 * @param wd
 *   The queue's state.
 * @param conf
 *   Checked parameters.
 * @return
 *   The detection time of a running stall, the restoration time of a
 *   storm, or FAB_PFC_NEVER.
 */
uint64_t fab_pfc_wd_next_event(const struct fab_pfc_wd *wd,
		const struct fab_pfc_wd_conf *conf);

/**
 * The restoration time in use (restore_ps or its default).
 *
 * @param conf
 *   Parameters.
 * @return
 *   Picoseconds.
 */
uint64_t fab_pfc_wd_restore_ps(const struct fab_pfc_wd_conf *conf);

#ifdef __cplusplus
}
#endif

#endif /* FAB_PFC_H */
