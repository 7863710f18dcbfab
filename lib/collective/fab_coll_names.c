/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Names, nccl-tests' bus bandwidth factors and its size sweep: the parts
 * of lib/collective that reports and scenario files use without building
 * any transfer.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "fab_collective.h"

static const struct {
	const char *name;   /* as scenarios write it */
	const char *nccl;   /* nccl-tests' collective name */
} coll_names[FAB_COLL_NB_PATTERNS] = {
	[FAB_COLL_ALLREDUCE_RING] = { "all-reduce-ring", "all_reduce" },
	[FAB_COLL_ALLGATHER] = { "all-gather", "all_gather" },
	[FAB_COLL_REDUCE_SCATTER] = { "reduce-scatter", "reduce_scatter" },
	[FAB_COLL_BROADCAST] = { "broadcast", "broadcast" },
	[FAB_COLL_ALLTOALL] = { "all-to-all", "alltoall" },
	[FAB_COLL_ALLREDUCE_TREE] = { "all-reduce-tree", "all_reduce" },
	[FAB_COLL_ALLREDUCE_HD] = { "all-reduce-hd", "all_reduce" },
	[FAB_COLL_INCAST] = { "incast", "incast" },
	[FAB_COLL_PERMUTATION] = { "permutation", "permutation" },
};

const char *
fab_coll_pattern_name(enum fab_coll_pattern p)
{
	if ((unsigned int)p >= FAB_COLL_NB_PATTERNS)
		return NULL;
	return coll_names[p].name;
}

const char *
fab_coll_nccl_name(enum fab_coll_pattern p)
{
	if ((unsigned int)p >= FAB_COLL_NB_PATTERNS)
		return NULL;
	return coll_names[p].nccl;
}

/*
 * Lower case without '-' and '_', so that "all-reduce", "all_reduce",
 * "allreduce" and "AllReduce" are one spelling. @return -1 if too long.
 */
static int
squash(const char *in, char *out, size_t cap)
{
	size_t n = 0;

	for (; *in != '\0'; in++) {
		if (*in == '-' || *in == '_')
			continue;
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)tolower((unsigned char)*in);
	}
	out[n] = '\0';
	return 0;
}

int
fab_coll_pattern_parse(const char *name)
{
	char want[FAB_COLL_NAME_LEN], have[FAB_COLL_NAME_LEN];
	int p;

	if (name == NULL || squash(name, want, sizeof(want)) < 0 || want[0] == '\0')
		return -EINVAL;
	/* Plain all-reduce is the ring, NCCL's default for large buffers. */
	if (strcmp(want, "allreduce") == 0)
		return FAB_COLL_ALLREDUCE_RING;
	for (p = 0; p < FAB_COLL_NB_PATTERNS; p++) {
		if (squash(coll_names[p].name, have, sizeof(have)) == 0 &&
				strcmp(want, have) == 0)
			return p;
	}
	return -EINVAL;
}

double
fab_coll_busbw_factor(enum fab_coll_pattern p, uint32_t nranks)
{
	const double n = nranks;

	if (nranks == 0)
		return 0.0;
	switch (p) {
	case FAB_COLL_ALLREDUCE_RING:
	case FAB_COLL_ALLREDUCE_TREE:
	case FAB_COLL_ALLREDUCE_HD:
		return 2.0 * (n - 1.0) / n;
	case FAB_COLL_ALLGATHER:
	case FAB_COLL_REDUCE_SCATTER:
	case FAB_COLL_ALLTOALL:
		return (n - 1.0) / n;
	case FAB_COLL_BROADCAST:
	case FAB_COLL_INCAST:
	case FAB_COLL_PERMUTATION:
		return 1.0;
	default:
		return 0.0;
	}
}

/*
 * nccl-tests' loop: size = min; size <= max; size = factor > 1 ?
 * size * factor : size + step. The factor wins when both are given, as in
 * nccl-tests. A sweep longer than INT_MAX sizes is refused.
 */
int
fab_coll_sizes(uint64_t min, uint64_t max, uint64_t factor, uint64_t step,
		uint64_t *out, uint32_t cap)
{
	uint64_t size = min, count = 0;

	if (min == 0 || min > max)
		return -EINVAL;
	if (min != max && factor <= 1 && step == 0)
		return -EINVAL;
	if (factor <= 1 && step != 0 && (max - min) / step >= INT_MAX)
		return -EINVAL;
	for (;;) {
		if (count < cap && out != NULL)
			out[count] = size;
		count++;
		if (min == max)
			break;
		if (factor > 1) {
			if (size > max / factor)
				break;
			size *= factor;
		} else {
			if (max - size < step)
				break;
			size += step;
		}
	}
	return (int)count;
}
