/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The jobs' results as nccl-tests reports them: its table (size, count,
 * type, redop, root, time, algbw, busbw, #wrong, then "Avg bus bandwidth")
 * and the same figures as CSV. rocefab run and rocefab-gen print both.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "fab_gen.h"

/* nccl-tests' count column: elements of 4 bytes per rank buffer. */
static uint64_t
nccl_count(enum fab_coll_pattern p, uint64_t bytes, uint32_t nranks)
{
	if (p == FAB_COLL_ALLGATHER || p == FAB_COLL_REDUCE_SCATTER || p == FAB_COLL_ALLTOALL)
		return bytes / 4 / nranks;
	return bytes / 4;
}

/* Patterns with a root: nccl-tests prints it for broadcast; incast has one too. */
static bool
has_root(enum fab_coll_pattern p)
{
	return p == FAB_COLL_BROADCAST || p == FAB_COLL_INCAST;
}

static bool
reduces(enum fab_coll_pattern p)
{
	return p == FAB_COLL_ALLREDUCE_RING || p == FAB_COLL_ALLREDUCE_TREE ||
		p == FAB_COLL_ALLREDUCE_HD || p == FAB_COLL_REDUCE_SCATTER;
}

int
fab_gen_write_collectives(FILE *f, const struct fab_gen *gen)
{
	uint32_t j, k;

	fprintf(f, "job,collective,ranks,size,count,type,redop,root,iters,time_us,min_us,max_us,"
		"algbw_gbps,busbw_gbps,wrong\n");
	for (j = 0; gen != NULL && j < fab_gen_nb_jobs(gen); j++) {
		const struct fab_gen_job_conf *jc = fab_gen_job(gen, j);

		for (k = 0; k < jc->nb_sizes; k++) {
			struct fab_gen_size_result r;

			if (fab_gen_size_result(gen, j, k, &r) < 0)
				return -EINVAL;
			fprintf(f, "%s,%s,%u,%" PRIu64 ",%" PRIu64 ",float,%s,%d,%u,%.3f,%.3f,%.3f,"
				"%.3f,%.3f,%" PRIu64 "\n",
				jc->name, fab_coll_nccl_name(jc->coll.pattern), jc->coll.nranks,
				r.bytes, nccl_count(jc->coll.pattern, r.bytes, jc->coll.nranks),
				reduces(jc->coll.pattern) ? "sum" : "none",
				has_root(jc->coll.pattern) ? (int)jc->coll.root : -1,
				r.iters, (double)r.time_ps / 1e6, (double)r.min_ps / 1e6,
				(double)r.max_ps / 1e6, r.algbw_gbps, r.busbw_gbps, r.wrong);
		}
	}
	return ferror(f) ? -EIO : 0;
}

int
fab_gen_write_nccl(FILE *f, const struct fab_gen *gen)
{
	uint32_t j, k;

	for (j = 0; gen != NULL && j < fab_gen_nb_jobs(gen); j++) {
		const struct fab_gen_job_conf *jc = fab_gen_job(gen, j);
		double sum = 0;
		uint32_t n = 0;

		fprintf(f, "# job %s: %s (%s), %u ranks, %u warm-up + %u iterations, %s\n",
			jc->name, fab_coll_nccl_name(jc->coll.pattern),
			fab_coll_pattern_name(jc->coll.pattern), jc->coll.nranks, jc->warmup,
			jc->iters, fab_gen_cc_name(gen));
		fprintf(f, "#%78s\n", "out-of-place");
		fprintf(f, "#%11s %13s %8s %6s %6s %10s %8s %8s %6s\n", "size", "count", "type",
			"redop", "root", "time", "algbw", "busbw", "#wrong");
		fprintf(f, "#%11s %13s %8s %6s %6s %10s %8s %8s %6s\n", "(B)", "(elements)", "",
			"", "", "(us)", "(GB/s)", "(GB/s)", "");
		for (k = 0; k < jc->nb_sizes; k++) {
			struct fab_gen_size_result r;

			if (fab_gen_size_result(gen, j, k, &r) < 0)
				return -EINVAL;
			if (r.iters == 0) {
				fprintf(f, " %11" PRIu64 " %13" PRIu64 " %8s %6s %6d %10s\n", r.bytes,
					nccl_count(jc->coll.pattern, r.bytes, jc->coll.nranks),
					"float", reduces(jc->coll.pattern) ? "sum" : "none",
					has_root(jc->coll.pattern) ? (int)jc->coll.root : -1,
					"unfinished");
				continue;
			}
			fprintf(f, " %11" PRIu64 " %13" PRIu64 " %8s %6s %6d %10.2f %8.2f %8.2f %6"
				PRIu64 "\n", r.bytes,
				nccl_count(jc->coll.pattern, r.bytes, jc->coll.nranks), "float",
				reduces(jc->coll.pattern) ? "sum" : "none",
				has_root(jc->coll.pattern) ? (int)jc->coll.root : -1,
				(double)r.time_ps / 1e6, r.algbw_gbps, r.busbw_gbps, r.wrong);
			sum += r.busbw_gbps;
			n++;
		}
		fprintf(f, "# Avg bus bandwidth    : %g\n#\n", n != 0 ? sum / n : 0.0);
	}
	return ferror(f) ? -EIO : 0;
}

