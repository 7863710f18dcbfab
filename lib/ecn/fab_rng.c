/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include "fab_ecn.h"

/*
 * splitmix64 (Steele, Lea and Flood, OOPSLA 2014; the seeding generator
 * Vigna recommends for xoshiro): its output function is a bijection of
 * its state, so two consecutive outputs are never both zero and the
 * xoshiro state built from them is never all-zero.
 */
uint64_t
fab_rng_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
fab_rng_seed(struct fab_rng *rng, uint64_t seed)
{
	uint64_t sm = seed;
	uint64_t a = fab_rng_splitmix64(&sm);
	uint64_t b = fab_rng_splitmix64(&sm);

	rng->s[0] = (uint32_t)a;
	rng->s[1] = (uint32_t)(a >> 32);
	rng->s[2] = (uint32_t)b;
	rng->s[3] = (uint32_t)(b >> 32);
}

void
fab_rng_seed_stream(struct fab_rng *rng, uint64_t seed, uint64_t stream)
{
	/*
	 * Mixing the stream id through splitmix64 before combining keeps
	 * neighbouring ids (switch 1, switch 2) from giving related seeds.
	 */
	uint64_t sm = stream;

	fab_rng_seed(rng, seed ^ fab_rng_splitmix64(&sm));
}
