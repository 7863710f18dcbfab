/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_ECN_H
#define FAB_ECN_H

/**
 * @file
 * ECN marking algorithms as pure functions, and the deterministic PRNG that
 * feeds them.
 *
 * Nothing here touches the EAL, a clock or a global: every function works on
 * plain structs and the caller hands in the queue depth and the random state.
 * The same code therefore runs in the switch, in the ECN plugins and in a
 * unit test, and a seeded run is reproducible bit for bit.
 *
 * As DPDK's rte_red.h does, the RED ramp is split into the parameters a user
 * sets (struct fab_ecn_red_params) and the configuration derived from them
 * once (struct fab_ecn_red_config), which the per-packet decision reads.
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Probability one, in the 2^-32 units of the fixed-point decisions. */
#define FAB_ECN_PROB_ONE (UINT64_C(1) << 32)

/* ------------------------------------------------------------------ */
/* Deterministic PRNG                                                  */
/* ------------------------------------------------------------------ */

/**
 * xoshiro128** (Blackman and Vigna, 2018): 128 bits of state, 32-bit
 * outputs, period 2^128 - 1. Seeded through splitmix64 so that any 64-bit
 * seed, including 0, gives a well-mixed, never all-zero state.
 */
struct fab_rng {
	uint32_t s[4];
};

/**
 * Advance a splitmix64 generator and return its next output.
 *
 * Useful to derive independent seeds (one per node, per port) from one
 * scenario seed.
 *
 * @param state
 *   The generator's 64-bit state, updated in place.
 * @return
 *   The next 64-bit output.
 */
uint64_t fab_rng_splitmix64(uint64_t *state);

/**
 * splitmix64's output for one input: a 64-bit hash of @p x, the value
 * fab_rng_splitmix64() returns from state @p x. For deriving seeds, ports
 * and PSNs from identities.
 */
static inline uint64_t
fab_rng_mix64(uint64_t x)
{
	return fab_rng_splitmix64(&x);
}

/**
 * Seed a generator from a 64-bit seed.
 *
 * The state is the first two outputs of splitmix64 started at @p seed, so
 * equal seeds give equal sequences on every machine.
 *
 * @param rng
 *   The generator to seed.
 * @param seed
 *   Any value, 0 included.
 */
void fab_rng_seed(struct fab_rng *rng, uint64_t seed);

/**
 * Seed a generator for one of many independent streams of a run, e.g.
 * one per switch from the scenario seed and the switch id.
 *
 * @param rng
 *   The generator to seed.
 * @param seed
 *   The run's seed.
 * @param stream
 *   A stable identifier of the stream (a node id, never an address).
 */
void fab_rng_seed_stream(struct fab_rng *rng, uint64_t seed, uint64_t stream);

static inline uint32_t
fab_rng_rotl32_(uint32_t x, int k)
{
	return (x << k) | (x >> (32 - k));
}

/**
 * Next 32-bit output of the generator, uniform over [0, 2^32).
 *
 * @param rng
 *   A seeded generator.
 * @return
 *   The next output.
 */
static inline uint32_t
fab_rng_next(struct fab_rng *rng)
{
	uint32_t *s = rng->s;
	const uint32_t result = fab_rng_rotl32_(s[1] * 5, 7) * 9;
	const uint32_t t = s[1] << 9;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = fab_rng_rotl32_(s[3], 11);
	return result;
}

/**
 * Uniform integer in [0, n), without modulo bias (Lemire's multiply-shift
 * with rejection; the rejection loop runs with probability below n / 2^32).
 *
 * @param rng
 *   A seeded generator.
 * @param n
 *   Bound, at least 1 (0 returns 0).
 * @return
 *   A value in [0, n).
 */
static inline uint32_t
fab_rng_below(struct fab_rng *rng, uint32_t n)
{
	uint64_t m = (uint64_t)fab_rng_next(rng) * n;
	uint32_t low = (uint32_t)m;

	if (low < n) {
		/* 2^32 mod n: the draws that would make the low buckets larger. */
		const uint32_t reject_below = (uint32_t)-n % n;

		while (low < reject_below) {
			m = (uint64_t)fab_rng_next(rng) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* ------------------------------------------------------------------ */
/* RED-style ramp (DCQCN's congestion point)                           */
/* ------------------------------------------------------------------ */

/** What a user sets for one traffic class. */
struct fab_ecn_red_params {
	uint32_t kmin_bytes; /**< no marking at or below this queue depth */
	uint32_t kmax_bytes; /**< every packet marked above this depth */
	double pmax;         /**< marking probability at kmax_bytes, in [0, 1] */
};

/** Derived once from struct fab_ecn_red_params; read per packet. */
struct fab_ecn_red_config {
	uint32_t kmin_bytes;
	uint32_t kmax_bytes;
	uint32_t range_bytes; /**< kmax_bytes - kmin_bytes */
	uint64_t pmax_fixed;  /**< pmax in 2^-32 units, 0 .. FAB_ECN_PROB_ONE */
};

/**
 * Marking probability of the RED ramp on an instantaneous queue depth:
 * 0 for q <= kmin, pmax * (q - kmin) / (kmax - kmin) for kmin < q <= kmax,
 * 1 for q > kmax. With kmin == kmax the ramp is a step at kmin.
 *
 * This is the reference in floating point, for reports and tests; the data
 * path uses the fixed-point fab_ecn_red_decide().
 *
 * @param q
 *   Queue depth in bytes that the packet sees.
 * @param kmin
 *   Lower threshold in bytes.
 * @param kmax
 *   Upper threshold in bytes, at least @p kmin.
 * @param pmax
 *   Probability at @p kmax.
 * @return
 *   The probability in [0, 1].
 */
double fab_ecn_red_prob(uint32_t q, uint32_t kmin, uint32_t kmax, double pmax);

/**
 * Check user parameters and derive the configuration.
 *
 * @param cfg
 *   Filled on success.
 * @param params
 *   kmin_bytes <= kmax_bytes, pmax in [0, 1].
 * @return
 *   0, or -EINVAL (cfg untouched).
 */
int fab_ecn_red_config_init(struct fab_ecn_red_config *cfg,
		const struct fab_ecn_red_params *params);

/**
 * Exact marking probability of fab_ecn_red_decide() at depth @p q, in
 * 2^-32 units: the number of 32-bit draws that mark.
 *
 * @param cfg
 *   A configuration from fab_ecn_red_config_init().
 * @param q
 *   Queue depth in bytes.
 * @return
 *   0 .. FAB_ECN_PROB_ONE.
 */
uint64_t fab_ecn_red_prob_fixed(const struct fab_ecn_red_config *cfg, uint32_t q);

/**
 * Whether a packet seeing depth @p q is in the random part of the ramp,
 * where a draw is needed. Outside it the decision is fixed, and callers
 * skip the draw, as the HPCC simulator does.
 *
 * @param cfg
 *   A configuration from fab_ecn_red_config_init().
 * @param q
 *   Queue depth in bytes.
 * @return
 *   true when kmin < q <= kmax.
 */
static inline bool
fab_ecn_red_in_ramp(const struct fab_ecn_red_config *cfg, uint32_t q)
{
	return q > cfg->kmin_bytes && q <= cfg->kmax_bytes;
}

/**
 * Fixed-point RED decision against a 32-bit uniform draw.
 *
 * Marks when rnd / 2^32 < pmax * (q - kmin) / (kmax - kmin), evaluated
 * exactly as rnd * range < pmax_fixed * (q - kmin): both products fit in
 * 64 bits, so there is no division and no rounding on the data path.
 *
 * @param cfg
 *   A configuration from fab_ecn_red_config_init().
 * @param q
 *   Queue depth in bytes.
 * @param rnd
 *   A uniform 32-bit draw (ignored outside the ramp).
 * @return
 *   true to mark CE.
 */
static inline bool
fab_ecn_red_decide(const struct fab_ecn_red_config *cfg, uint32_t q, uint32_t rnd)
{
	if (q <= cfg->kmin_bytes)
		return false;
	if (q > cfg->kmax_bytes)
		return true;
	return (uint64_t)rnd * cfg->range_bytes <
		cfg->pmax_fixed * (uint64_t)(q - cfg->kmin_bytes);
}

/**
 * RED decision that draws from @p rng only inside the ramp.
 *
 * @param cfg
 *   A configuration from fab_ecn_red_config_init().
 * @param q
 *   Queue depth in bytes.
 * @param rng
 *   The caller's generator; advanced once when kmin < q <= kmax.
 * @return
 *   true to mark CE.
 */
static inline bool
fab_ecn_red_mark(const struct fab_ecn_red_config *cfg, uint32_t q, struct fab_rng *rng)
{
	if (!fab_ecn_red_in_ramp(cfg, q))
		return q > cfg->kmax_bytes;
	return fab_ecn_red_decide(cfg, q, fab_rng_next(rng));
}

/* ------------------------------------------------------------------ */
/* Step marking (DCTCP's K)                                            */
/* ------------------------------------------------------------------ */

/**
 * DCTCP's switch rule: mark when the instantaneous queue exceeds K
 * (Alizadeh et al., SIGCOMM 2010, section 3.1; RFC 8257 section 3.1).
 *
 * @param q
 *   Queue depth in bytes that the packet sees.
 * @param k_bytes
 *   The threshold K in bytes.
 * @return
 *   true to mark CE, i.e. when q > K.
 */
static inline bool
fab_ecn_step_decide(uint32_t q, uint32_t k_bytes)
{
	return q > k_bytes;
}

#ifdef __cplusplus
}
#endif

#endif /* FAB_ECN_H */
