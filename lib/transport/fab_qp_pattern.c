/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The payload pattern. Each packet's bytes follow from (destination QPN,
 * PSN) alone, so the responder checks every byte without any state shared
 * with the requester, a retransmission carries the same bytes as the
 * original, and a packet delivered to the wrong QP or under the wrong PSN
 * fails the check. One multiply-free add per 8 bytes keeps the fill cheap.
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_vect.h>

#include "fab_transport.h"

#define PATTERN_STEP UINT64_C(0x9E3779B97F4A7C15)

/*
 * The pattern is an arithmetic sequence of 64-bit words, so lanes of a
 * vector advance independently: a 1 KB payload is 16 AVX-512 stores rather
 * than 64 SSE ones. The wide paths run when the CPU has them and the EAL's
 * SIMD width allows them (--force-max-simd-bitwidth=512 for AVX-512), as
 * DPDK decides for its own vector code. Only x86 (little-endian) has them.
 */
#ifdef RTE_ARCH_X86
#include <immintrin.h>

static bool cpu_avx2;
static bool cpu_avx512;
/* fab_qp_pattern_set_max_simd(): 0 follows the EAL's width alone. */
static unsigned int pattern_max_bits;

RTE_INIT(fab_qp_pattern_cpu_init)
{
	__builtin_cpu_init();
	cpu_avx2 = __builtin_cpu_supports("avx2");
	cpu_avx512 = __builtin_cpu_supports("avx512f");
}

/* The pattern's words w .. w + 7 STEP, lowest lane first. */
__attribute__((target("avx512f")))
static inline __m512i
words512(uint64_t w)
{
	return _mm512_set_epi64((long long)(w + 7 * PATTERN_STEP),
		(long long)(w + 6 * PATTERN_STEP), (long long)(w + 5 * PATTERN_STEP),
		(long long)(w + 4 * PATTERN_STEP), (long long)(w + 3 * PATTERN_STEP),
		(long long)(w + 2 * PATTERN_STEP), (long long)(w + PATTERN_STEP),
		(long long)w);
}

/* Words w .. w + 3 STEP. */
__attribute__((target("avx2")))
static inline __m256i
words256(uint64_t w)
{
	return _mm256_set_epi64x((long long)(w + 3 * PATTERN_STEP),
		(long long)(w + 2 * PATTERN_STEP), (long long)(w + PATTERN_STEP),
		(long long)w);
}

/* Words w, w + STEP, ... into @p nw * 8 bytes at @p p; @p nw a multiple of 8. */
__attribute__((target("avx512f")))
static void
fill_avx512(uint8_t *p, uint64_t w, uint32_t nw)
{
	const __m512i inc = _mm512_set1_epi64((long long)(8 * PATTERN_STEP));
	__m512i v = words512(w);
	uint32_t i;

	for (i = 0; i < nw; i += 8) {
		_mm512_storeu_si512((void *)(p + 8 * i), v);
		v = _mm512_add_epi64(v, inc);
	}
}

/* The same with AVX2; @p nw a multiple of 4. */
__attribute__((target("avx2")))
static void
fill_avx2(uint8_t *p, uint64_t w, uint32_t nw)
{
	const __m256i inc = _mm256_set1_epi64x((long long)(4 * PATTERN_STEP));
	__m256i v = words256(w);
	uint32_t i;

	for (i = 0; i < nw; i += 4) {
		_mm256_storeu_si256((__m256i *)(void *)(p + 8 * i), v);
		v = _mm256_add_epi64(v, inc);
	}
}

/*
 * The words' differences from the pattern, ORed lane by lane: a check is a
 * load, a xor and an or per vector, with no branch until the end (a
 * mismatch is rare), and as cheap as the fill. Nonzero: a mismatch.
 */
__attribute__((target("avx512f")))
static uint64_t
diff_avx512(const uint8_t *p, uint64_t w, uint32_t nw)
{
	const __m512i inc = _mm512_set1_epi64((long long)(8 * PATTERN_STEP));
	__m512i v = words512(w);
	__m512i diff = _mm512_setzero_si512();
	uint32_t i;

	for (i = 0; i < nw; i += 8) {
		diff = _mm512_or_si512(diff,
			_mm512_xor_si512(_mm512_loadu_si512((const void *)(p + 8 * i)), v));
		v = _mm512_add_epi64(v, inc);
	}
	return _mm512_test_epi64_mask(diff, diff);
}

__attribute__((target("avx2")))
static uint64_t
diff_avx2(const uint8_t *p, uint64_t w, uint32_t nw)
{
	const __m256i inc = _mm256_set1_epi64x((long long)(4 * PATTERN_STEP));
	__m256i v = words256(w);
	__m256i diff = _mm256_setzero_si256();
	uint32_t i;

	for (i = 0; i < nw; i += 4) {
		diff = _mm256_or_si256(diff, _mm256_xor_si256(
			_mm256_loadu_si256((const __m256i *)(const void *)(p + 8 * i)), v));
		v = _mm256_add_epi64(v, inc);
	}
	return !_mm256_testz_si256(diff, diff);
}

/* The widest path the CPU, the EAL and fab_qp_pattern_set_max_simd() allow. */
static inline unsigned int
wide_bits(void)
{
	unsigned int bits = rte_vect_get_max_simd_bitwidth();

	if (pattern_max_bits != 0 && pattern_max_bits < bits)
		bits = pattern_max_bits;
	if (cpu_avx512 && bits >= RTE_VECT_SIMD_512)
		return 512;
	if (cpu_avx2 && bits >= RTE_VECT_SIMD_256)
		return 256;
	return 0;
}

/* Fill the leading words with a wide path; @return the words written. */
static inline uint32_t
fill_wide(uint8_t *p, uint64_t w, uint32_t len)
{
	uint32_t nw;

	if (len < 64)
		return 0;
	switch (wide_bits()) {
	case 512:
		nw = (len / 64) * 8;
		fill_avx512(p, w, nw);
		return nw;
	case 256:
		nw = (len / 32) * 4;
		fill_avx2(p, w, nw);
		return nw;
	default:
		return 0;
	}
}

/* Check the leading words with a wide path: @return the words checked; *diff nonzero on a mismatch. */
static inline uint32_t
check_wide(const uint8_t *p, uint64_t w, uint32_t len, uint64_t *diff)
{
	uint32_t nw;

	*diff = 0;
	if (len < 64)
		return 0;
	switch (wide_bits()) {
	case 512:
		nw = (len / 64) * 8;
		*diff = diff_avx512(p, w, nw);
		return nw;
	case 256:
		nw = (len / 32) * 4;
		*diff = diff_avx2(p, w, nw);
		return nw;
	default:
		return 0;
	}
}

unsigned int
fab_qp_pattern_set_max_simd(unsigned int max_bits)
{
	pattern_max_bits = max_bits;
	return wide_bits();
}
#else
static inline uint32_t
fill_wide(uint8_t *p __rte_unused, uint64_t w __rte_unused, uint32_t len __rte_unused)
{
	return 0;
}

static inline uint32_t
check_wide(const uint8_t *p __rte_unused, uint64_t w __rte_unused, uint32_t len __rte_unused,
		uint64_t *diff)
{
	*diff = 0;
	return 0;
}

unsigned int
fab_qp_pattern_set_max_simd(unsigned int max_bits __rte_unused)
{
	return 0;
}
#endif

/* splitmix64 (Steele, Lea, Flood 2014): one output of the generator whose state is x. */
static inline uint64_t
splitmix64(uint64_t x)
{
	uint64_t z = x + PATTERN_STEP;

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline uint64_t
pattern_seed(uint32_t qpn, uint32_t psn)
{
	return splitmix64((uint64_t)(qpn & 0xffffff) << 24 | (psn & 0xffffff));
}

void
fab_qp_pattern_fill(uint32_t qpn, uint32_t psn, void *buf, uint32_t len)
{
	uint8_t *p = buf;
	uint64_t w = pattern_seed(qpn, psn), le;
	uint32_t i, nw = fill_wide(p, w, len);

	w += nw * PATTERN_STEP;
	for (i = nw * 8; i + 8 <= len; i += 8) {
		le = rte_cpu_to_le_64(w);
		memcpy(p + i, &le, 8);
		w += PATTERN_STEP;
	}
	if (i < len) {
		le = rte_cpu_to_le_64(w);
		memcpy(p + i, &le, len - i);
	}
}

bool
fab_qp_pattern_check(uint32_t qpn, uint32_t psn, const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint64_t w = pattern_seed(qpn, psn), le, got;
	uint64_t diff;
	uint32_t i, nw = check_wide(p, w, len, &diff);

	w += nw * PATTERN_STEP;
	/* Accumulate rather than branch per word: a mismatch is rare. */
	for (i = nw * 8; i + 8 <= len; i += 8) {
		memcpy(&got, p + i, 8);
		diff |= got ^ rte_cpu_to_le_64(w);
		w += PATTERN_STEP;
	}
	if (diff != 0)
		return false;
	if (i < len) {
		le = rte_cpu_to_le_64(w);
		return memcmp(p + i, &le, len - i) == 0;
	}
	return true;
}
