/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_CLOCK_H
#define FAB_CLOCK_H

/**
 * @file
 * The one clock of a rocefab process. Every part asks it for `now`, an
 * unsigned count of picoseconds; nothing else reads the TSC.
 *
 * - FAB_CLOCK_REAL: the TSC since creation, converted exactly to
 *   picoseconds.
 * - FAB_CLOCK_VIRTUAL: a value the event loop sets; it never goes back.
 * - FAB_CLOCK_PACED: virtual time that the event loop may not move ahead of
 *   the wall clock; fab_clock_pace() says how long to wait, or by how much
 *   virtual time has slipped behind.
 *
 * A uint64_t of picoseconds wraps after 2^64 ps, about 213.5 days: that is
 * the longest run one clock can describe.
 *
 * struct fab_clock is public only so that fab_clock_now() inlines; use the
 * functions to change it.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Picoseconds per nanosecond. */
#define FAB_PS_PER_NS 1000ull
/** Picoseconds per second. */
#define FAB_PS_PER_SEC 1000000000000ull

/** Where a clock's time comes from. */
enum fab_clock_mode {
	FAB_CLOCK_REAL = 0, /**< the TSC */
	FAB_CLOCK_VIRTUAL,  /**< set by the event loop */
	FAB_CLOCK_PACED,    /**< set by the event loop, held to the wall clock */
	FAB_CLOCK_MODE_MAX,
};

/**
 * A wall-time source for FAB_CLOCK_PACED: picoseconds from any fixed
 * origin, never decreasing. Tests inject one to be deterministic.
 */
typedef uint64_t (*fab_clock_wall_fn)(void *arg);

/** Parameters of a clock. Zeroed fields take the defaults given. */
struct fab_clock_conf {
	enum fab_clock_mode mode;
	/** Time of creation as fab_clock_now() reports it (default 0). */
	uint64_t start_ps;
	/** TSC frequency; 0 asks the EAL (rte_get_tsc_hz()). Used by REAL, and by PACED without wall_now. */
	uint64_t tsc_hz;
	/** PACED: wall-time source; NULL uses the TSC. */
	fab_clock_wall_fn wall_now;
	/** Argument handed to wall_now. */
	void *wall_arg;
	/** PACED: a pace that finds virtual time more than this behind the wall clock counts as late. */
	uint64_t slip_tolerance_ps;
};

/**
 * Exact TSC-cycles-to-picoseconds conversion: ps = floor(cycles * num / den)
 * with num / den = 10^12 / tsc_hz reduced by their greatest common divisor.
 */
struct fab_clock_tsc_conv {
	uint64_t num;
	uint64_t den;
	uint64_t recip; /**< floor(2^64 / den) when den > 1: division as a multiply */
	bool wide; /**< den * num exceeds 64 bits: the remainder needs a 128-bit product */
};

/** Counters of a paced clock. */
struct fab_clock_pace_stats {
	uint64_t paces;       /**< targets reached */
	uint64_t waits;       /**< targets refused because the wall clock was behind */
	uint64_t late;        /**< targets reached with slip above the tolerance */
	uint64_t slip_ps;     /**< wall clock minus virtual time at the last target reached */
	uint64_t max_slip_ps; /**< largest slip_ps seen */
};

/** A clock. Public for fab_clock_now(); fields are internal. */
struct fab_clock {
	enum fab_clock_mode mode;
	uint64_t virtual_ps;   /**< VIRTUAL, PACED: current time */
	uint64_t start_ps;
	uint64_t tsc_base;     /**< TSC at creation (REAL; PACED on the TSC) */
	struct fab_clock_tsc_conv conv;
	fab_clock_wall_fn wall_now;
	void *wall_arg;
	uint64_t wall_base;    /**< wall_now() at creation */
	uint64_t slip_tolerance_ps;
	struct fab_clock_pace_stats pace;
};

/**
 * Prepare an exact conversion from TSC cycles at @p tsc_hz to picoseconds.
 *
 * @return 0, or -EINVAL when @p tsc_hz is 0.
 */
int fab_clock_tsc_conv_init(struct fab_clock_tsc_conv *conv, uint64_t tsc_hz);

/*
 * floor(@p x / den) for den > 1, and the remainder, by a multiply: with
 * recip = floor(2^64 / den), x * recip / 2^64 falls short of x / den by
 * less than one, so the estimate is the quotient or one below it, and one
 * compare of the remainder settles which. The two dependent divisions
 * this replaces cost the real-time switch 2% of its rate, read once a poll.
 */
static inline uint64_t
fab_clock_div_den(const struct fab_clock_tsc_conv *conv, uint64_t x, uint64_t *rem)
{
	uint64_t q = (uint64_t)(((unsigned __int128)x * conv->recip) >> 64);
	uint64_t r = x - q * conv->den;

	if (r >= conv->den) {
		q++;
		r -= conv->den;
	}
	*rem = r;
	return q;
}

/**
 * Convert @p cycles to picoseconds, rounding down. Exact whenever the result
 * fits 64 bits; no intermediate overflows. Multiplies only (no division)
 * unless num * den exceeds 64 bits, which no whole-kHz TSC frequency does;
 * none at all when the TSC frequency divides 10^12 (1, 2, 2.5, 4 GHz ...).
 */
static inline uint64_t
fab_clock_cycles_to_ps(const struct fab_clock_tsc_conv *conv, uint64_t cycles)
{
	uint64_t q, r, frac, unused;

	if (conv->den == 1)
		return cycles * conv->num;
	q = fab_clock_div_den(conv, cycles, &r);
	if (likely(!conv->wide))
		frac = fab_clock_div_den(conv, r * conv->num, &unused);
	else
		frac = (uint64_t)((unsigned __int128)r * conv->num / conv->den);
	return q * conv->num + frac;
}

/**
 * Create a clock.
 *
 * @return the clock, or NULL with rte_errno EINVAL (NULL conf, unknown mode,
 *   no TSC frequency because the EAL is not up and tsc_hz is 0) or ENOMEM.
 */
struct fab_clock *fab_clock_create(const struct fab_clock_conf *conf);

/** Free a clock; NULL is accepted. */
void fab_clock_free(struct fab_clock *c);

/**
 * The time now, in picoseconds. REAL reads the TSC; VIRTUAL and PACED return
 * the value last set.
 */
static inline uint64_t
fab_clock_now(const struct fab_clock *c)
{
	if (c->mode == FAB_CLOCK_REAL)
		return c->start_ps + fab_clock_cycles_to_ps(&c->conv, rte_rdtsc() - c->tsc_base);
	return c->virtual_ps;
}

/** The clock's mode. */
static inline enum fab_clock_mode
fab_clock_mode(const struct fab_clock *c)
{
	return c->mode;
}

/**
 * Set virtual time (VIRTUAL and PACED; PACED does not check the wall clock
 * here, fab_clock_pace() does).
 *
 * @return 0, -EINVAL if @p t_ps is earlier than now, -ENOTSUP in REAL mode.
 */
int fab_clock_set(struct fab_clock *c, uint64_t t_ps);

/**
 * Move virtual time forward by @p d_ps.
 *
 * @return 0, -ERANGE if the time would wrap, -ENOTSUP in REAL mode.
 */
int fab_clock_advance(struct fab_clock *c, uint64_t d_ps);

/**
 * Paced mode: move virtual time to @p target_ps unless that would run ahead
 * of the wall clock.
 *
 * The wall clock is mapped onto virtual time as start_ps plus the wall time
 * elapsed since creation. If it has reached @p target_ps, virtual time
 * becomes @p target_ps, the slip (wall minus target) is recorded, *wait_ps
 * is 0 and 0 is returned. Otherwise nothing changes and *wait_ps says how
 * long the caller should wait before trying again.
 *
 * @param wait_ps
 *   Out: picoseconds to wait; may be NULL.
 * @return 0, -EAGAIN (wait), -EINVAL if @p target_ps is earlier than now,
 *   -ENOTSUP unless the clock is PACED.
 */
int fab_clock_pace(struct fab_clock *c, uint64_t target_ps, uint64_t *wait_ps);

/**
 * Paced mode: how far virtual time is behind the wall clock right now
 * (0 when it is level or ahead). Reads the wall clock.
 */
uint64_t fab_clock_lag_ps(const struct fab_clock *c);

/**
 * Copy the pacing counters.
 *
 * @return 0, or -ENOTSUP unless the clock is PACED.
 */
int fab_clock_pace_stats(const struct fab_clock *c, struct fab_clock_pace_stats *out);

/** "real", "virtual", "paced", or "unknown". */
const char *fab_clock_mode_name(enum fab_clock_mode mode);

/**
 * Parse a mode name as fab_clock_mode_name() writes it.
 *
 * @return 0, or -EINVAL.
 */
int fab_clock_mode_from_name(const char *name, enum fab_clock_mode *mode);

/** Picoseconds to nanoseconds, rounding down (for reports). */
static inline uint64_t
fab_ps_to_ns(uint64_t ps)
{
	return ps / FAB_PS_PER_NS;
}

/** Nanoseconds to picoseconds, saturating at UINT64_MAX. */
static inline uint64_t
fab_ns_to_ps(uint64_t ns)
{
	if (ns > UINT64_MAX / FAB_PS_PER_NS)
		return UINT64_MAX;
	return ns * FAB_PS_PER_NS;
}

#ifdef __cplusplus
}
#endif

#endif /* FAB_CLOCK_H */
