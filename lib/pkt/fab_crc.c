/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * CRC-32 with the Ethernet polynomial, as zlib computes it. The bulk work goes
 * to DPDK's rte_net_crc (scalar, SSE4.2 or AVX512 folding, picked at run
 * time). rte_net_crc takes no seed, so pieces are joined with
 * fab_crc32_combine() and a small streaming table CRC serves the rare frame
 * whose headers straddle mbuf segments.
 */

#include <errno.h>
#include <stdbool.h>

#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_net_crc.h>
#include <rte_vect.h>

#include "fab_pkt.h"
#include "fab_crc_private.h"

#define CRC32_POLY_REFLECTED 0xedb88320u

static uint32_t crc_table[256];
/* x^(2^n) mod P(x), for n = 0..31, to shift a CRC past 2^n zero bits. */
static uint32_t x2n_table[32];
static enum fab_crc_path current_path = FAB_CRC_PATH_SCALAR;

/*
 * Product of two residues modulo P in the reflected representation, where
 * bit 31 holds the coefficient of x^0: each step multiplies b by x.
 */
static uint32_t
gf2_mulmod(uint32_t a, uint32_t b)
{
	uint32_t prod = 0;
	int bit;

	for (bit = 31; bit >= 0; bit--) {
		if (a & (1u << bit))
			prod ^= b;
		b = (b & 1) ? (b >> 1) ^ CRC32_POLY_REFLECTED : b >> 1;
	}
	return prod;
}

RTE_INIT(fab_crc_tables_init)
{
	uint32_t i, p;

	for (i = 0; i < 256; i++) {
		uint32_t c = i;
		int k;

		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32_POLY_REFLECTED : c >> 1;
		crc_table[i] = c;
	}
	p = 1u << 30; /* x^1 */
	x2n_table[0] = p;
	for (i = 1; i < 32; i++)
		x2n_table[i] = p = gf2_mulmod(p, p);
}

/* x^(8 len) mod P: the operator that moves a CRC register past len zero bytes. */
static uint32_t
x8n_modp(uint64_t len)
{
	uint32_t p = 1u << 31; /* x^0 */
	unsigned int k = 3;    /* 8 = 2^3 bits per byte */

	while (len != 0) {
		if (len & 1)
			p = gf2_mulmod(x2n_table[k & 31], p);
		len >>= 1;
		k++;
	}
	return p;
}

uint32_t
fab_crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b)
{
	/* crc(A || B) = crc(A) * x^(8 len_b) mod P, xor crc(B). */
	return gf2_mulmod(x8n_modp(len_b), crc_a) ^ crc_b;
}

/*
 * Multiplying by one fixed residue is linear in the other factor: a table
 * per nibble of it (8 x 16 words) turns the product into eight lookups.
 * A fabric extends every frame's CRC over the same few payload lengths, so
 * the table of the last length is kept, per thread (the tables are written
 * on a change of length). Bit by bit, the product's branches on data bits
 * mispredicted about half the time: several hundred cycles a frame.
 */
struct zeros_table {
	uint64_t n;
	bool valid;
	uint32_t nib[8][16];
};

static _Thread_local struct zeros_table zeros_last;

static void
zeros_table_fill(struct zeros_table *t, uint64_t n)
{
	uint32_t b = x8n_modp(n), basis[32];
	unsigned int k, i, v;

	/* basis[k]: x^(8n) times the residue with only bit k set, i.e. x^(31-k). */
	for (k = 32; k-- > 0;) {
		basis[k] = b;
		b = (b & 1) ? (b >> 1) ^ CRC32_POLY_REFLECTED : b >> 1;
	}
	for (i = 0; i < 8; i++) {
		t->nib[i][0] = 0;
		for (v = 1; v < 16; v++)
			t->nib[i][v] = t->nib[i][v & (v - 1)] ^
				basis[4 * i + (unsigned int)__builtin_ctz(v)];
	}
	t->n = n;
	t->valid = true;
}

uint32_t
fab_crc32_zeros(uint32_t crc_a, uint64_t n)
{
	struct zeros_table *t = &zeros_last;
	uint32_t r = ~crc_a, prod = 0;
	unsigned int i;

	if (!t->valid || t->n != n)
		zeros_table_fill(t, n);
	/* The register (the CRC inverted) times x^(8n); zeros add nothing else. */
	for (i = 0; i < 8; i++)
		prod ^= t->nib[i][(r >> (4 * i)) & 15];
	return ~prod;
}

uint32_t
fab_crc32_stream_update(uint32_t state, const void *data, uint32_t len)
{
	const uint8_t *p = data;

	while (len-- != 0)
		state = crc_table[(state ^ *p++) & 0xff] ^ (state >> 8);
	return state;
}

uint32_t
fab_crc32(const void *data, uint32_t len)
{
	return rte_net_crc_calc(data, len, RTE_NET_CRC32_ETH);
}

/* Mirrors the conditions rte_net_crc_set_alg() applies in DPDK 22.11, which
 * falls back silently; we want to say which path really runs. */
bool
fab_crc_path_available(enum fab_crc_path path)
{
	uint16_t simd = rte_vect_get_max_simd_bitwidth();

	switch (path) {
	case FAB_CRC_PATH_SCALAR:
		return true;
	case FAB_CRC_PATH_SSE42:
#ifdef RTE_ARCH_X86
		return rte_cpu_get_flag_enabled(RTE_CPUFLAG_PCLMULQDQ) > 0 &&
			simd >= RTE_VECT_SIMD_128;
#else
		return false;
#endif
	case FAB_CRC_PATH_AVX512:
#ifdef RTE_ARCH_X86
		return rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512F) > 0 &&
			rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512BW) > 0 &&
			rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512DQ) > 0 &&
			rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX512VL) > 0 &&
			rte_cpu_get_flag_enabled(RTE_CPUFLAG_VPCLMULQDQ) > 0 &&
			simd >= RTE_VECT_SIMD_512;
#else
		return false;
#endif
	default:
		return false;
	}
}

int
fab_crc_set_path(enum fab_crc_path path)
{
	static const enum rte_net_crc_alg alg[FAB_CRC_PATH_MAX] = {
		[FAB_CRC_PATH_SCALAR] = RTE_NET_CRC_SCALAR,
		[FAB_CRC_PATH_SSE42] = RTE_NET_CRC_SSE42,
		[FAB_CRC_PATH_AVX512] = RTE_NET_CRC_AVX512,
	};

	if ((unsigned int)path >= FAB_CRC_PATH_MAX || !fab_crc_path_available(path))
		return -ENOTSUP;
	rte_net_crc_set_alg(alg[path]);
	current_path = path;
	return 0;
}

enum fab_crc_path
fab_crc_select_best(void)
{
	int p;

	for (p = FAB_CRC_PATH_MAX - 1; p > FAB_CRC_PATH_SCALAR; p--)
		if (fab_crc_set_path((enum fab_crc_path)p) == 0)
			return (enum fab_crc_path)p;
	fab_crc_set_path(FAB_CRC_PATH_SCALAR);
	return FAB_CRC_PATH_SCALAR;
}

enum fab_crc_path
fab_crc_get_path(void)
{
	return current_path;
}

const char *
fab_crc_path_name(enum fab_crc_path path)
{
	switch (path) {
	case FAB_CRC_PATH_SCALAR:
		return "scalar";
	case FAB_CRC_PATH_SSE42:
		return "sse42";
	case FAB_CRC_PATH_AVX512:
		return "avx512";
	default:
		return "invalid";
	}
}
