/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_COLLECTIVE_H
#define FAB_COLLECTIVE_H

/**
 * @file
 * Collective communication patterns as NCCL runs them, turned into
 * transfers with dependencies: a transfer is @p bytes from rank src to rank
 * dst, and it may start only when every transfer it depends on has fully
 * arrived at src (ring all-reduce: rank r sends step k+1 once its step-k
 * chunk from r-1 is in). Pure algorithm: no EAL, no time, no I/O.
 *
 * Sizes follow nccl-tests: @p bytes is the size column of nccl-tests
 * (the whole buffer S; for all-gather and reduce-scatter the full buffer of
 * count * type size * nranks). Chunks that do not divide evenly are cut so
 * that the first (bytes % parts) pieces are one byte longer; every byte is
 * sent exactly as the pattern says (fab_coll_matrix()).
 *
 * Channels (NCCL's rings or trees run in parallel, each with its own queue
 * pairs) split every chunk the same way again: transfer channel c carries
 * the c-th piece, and dependencies stay within a channel.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The patterns. */
enum fab_coll_pattern {
	FAB_COLL_ALLREDUCE_RING = 0, /**< reduce-scatter then all-gather on a ring: 2(n-1) steps of S/n */
	FAB_COLL_ALLGATHER,          /**< ring, n-1 steps of S/n */
	FAB_COLL_REDUCE_SCATTER,     /**< ring, n-1 steps of S/n */
	FAB_COLL_BROADCAST,          /**< pipelined chain from the root along the ring */
	FAB_COLL_ALLTOALL,           /**< every rank sends S/n to every other rank at once */
	FAB_COLL_ALLREDUCE_TREE,     /**< NCCL's double binary tree: reduce up, broadcast down, S/2 per tree */
	FAB_COLL_ALLREDUCE_HD,       /**< recursive halving (reduce-scatter) then doubling (all-gather); n a power of two */
	FAB_COLL_INCAST,             /**< every other rank sends S to the root at once */
	FAB_COLL_PERMUTATION,        /**< every rank sends S to one other rank, a random derangement */
	FAB_COLL_NB_PATTERNS
};

/** Room for a pattern's name with its NUL. */
#define FAB_COLL_NAME_LEN 24
/** Most ranks of one collective. */
#define FAB_COLL_MAX_RANKS 65536
/** Most channels. */
#define FAB_COLL_MAX_CHANNELS 64
/**
 * Most transfers of one collective, and most dependencies in all: a
 * configuration that would need more (all-to-all on thousands of ranks, a
 * tiny chunk_bytes on a large buffer) fails with ENOMEM instead of eating
 * the machine's memory.
 */
#define FAB_COLL_MAX_XFERS (UINT32_C(1) << 24)
#define FAB_COLL_MAX_DEPS (UINT64_C(1) << 26)

/** What a collective is made from. */
struct fab_coll_conf {
	enum fab_coll_pattern pattern;
	uint32_t nranks;          /**< 2..FAB_COLL_MAX_RANKS */
	uint64_t bytes;           /**< S, as nccl-tests' size column; at least 1 */
	uint32_t root;            /**< broadcast and incast: the root rank */
	uint32_t channels;        /**< 0 or 1: one; at most FAB_COLL_MAX_CHANNELS */
	/**
	 * Pipelining of broadcast and tree all-reduce: the data goes in chunks
	 * of this many bytes (per channel), each chunk moving on as soon as it
	 * has arrived, as NCCL's chunk steps do. 0: 512 KiB.
	 */
	uint64_t chunk_bytes;
	uint64_t seed;            /**< permutation: the derangement is drawn from it */
};

/** One transfer. */
struct fab_coll_xfer {
	uint32_t src;             /**< sending rank */
	uint32_t dst;             /**< receiving rank */
	uint32_t channel;
	/**
	 * 0-based step within its channel (for reports): ring patterns the ring
	 * step; halving-doubling the exchange (0..log2(n)-1 halving, then
	 * doubling); broadcast the pipeline piece; tree the piece going up, and
	 * pieces + piece coming down; all-to-all the round i - 1 of the pair
	 * (r, r + i); incast and permutation 0.
	 */
	uint32_t step;
	uint64_t bytes;           /**< at least 1 */
	uint32_t nb_deps;
	/**
	 * Tree all-reduce: which of the two trees (0 or 1) it runs on, so that
	 * an edge both trees use (n = 2: 1 -> 0 is up in tree 0 and down in
	 * tree 1) can be told apart; 0 for every other pattern.
	 */
	uint32_t tree;
	const uint32_t *deps;     /**< indexes of transfers that must have arrived at src first (all have dst == src of this one) */
};

/** A collective (opaque). */
struct fab_coll;

/**
 * Build the transfers of a collective.
 *
 * @return the collective, or NULL with errno set (EINVAL: bad conf, with a
 *   reason in @p err; ENOMEM).
 */
struct fab_coll *fab_coll_create(const struct fab_coll_conf *conf, char *err, size_t errlen);

/** Free a collective; accepts NULL. */
void fab_coll_free(struct fab_coll *c);

/** Number of transfers. */
uint32_t fab_coll_nb_xfers(const struct fab_coll *c);

/**
 * Transfer @p i (0 <= i < fab_coll_nb_xfers()). Transfers are ordered so
 * that every dependency of i is below i.
 */
const struct fab_coll_xfer *fab_coll_xfer(const struct fab_coll *c, uint32_t i);

/** The configuration it was built from (channels and chunk_bytes resolved). */
const struct fab_coll_conf *fab_coll_conf(const struct fab_coll *c);

/**
 * Bytes rank @p src sends to rank @p dst over the whole collective, by the
 * pattern's definition (sum of its transfers).
 */
uint64_t fab_coll_matrix(const struct fab_coll *c, uint32_t src, uint32_t dst);

/**
 * nccl-tests' bus bandwidth factor: all-reduce 2(n-1)/n; all-gather,
 * reduce-scatter, all-to-all (n-1)/n; broadcast 1; incast and permutation 1.
 */
double fab_coll_busbw_factor(enum fab_coll_pattern p, uint32_t nranks);

/** Name as scenarios write it ("all-reduce-ring", ...); NULL if unknown. */
const char *fab_coll_pattern_name(enum fab_coll_pattern p);

/**
 * Pattern by name; also accepts "all-reduce" (ring), "allreduce",
 * "all_reduce", and the same spellings of the others.
 *
 * @return the pattern, or -EINVAL.
 */
int fab_coll_pattern_parse(const char *name);

/**
 * nccl-tests' name of the collective for its tables: "all_reduce",
 * "all_gather", "reduce_scatter", "broadcast", "alltoall", "incast",
 * "permutation".
 */
const char *fab_coll_nccl_name(enum fab_coll_pattern p);

/**
 * Sizes as nccl-tests sweeps them: from @p min to @p max, multiplied by
 * @p factor (if above 1) or increased by @p step. Writes at most @p cap
 * sizes into @p out.
 *
 * @return the number of sizes (may exceed @p cap: then only @p cap were
 *   written), or -EINVAL (min 0, min above max, neither a factor above 1
 *   nor a step when min != max).
 */
int fab_coll_sizes(uint64_t min, uint64_t max, uint64_t factor, uint64_t step,
		uint64_t *out, uint32_t cap);

#ifdef __cplusplus
}
#endif

#endif /* FAB_COLLECTIVE_H */
