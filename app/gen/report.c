/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * What a run reports: the nccl-tests table of each job, the hosts'
 * counters, and with --out, summary.json and collectives.csv (the columns
 * of rocefab run's, docs/outputs.md). Figures of a round are those of the
 * local ranks: a process that runs half of a job's ranks times their part.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "fab_json.h"
#include "gen_app.h"

void
gen_print_nccl(FILE *f, const struct gen_app *a)
{
	fab_gen_write_nccl(f, a->gen);
}

void
gen_print_hosts(FILE *f, const struct gen_app *a)
{
	uint32_t i;

	fprintf(f, "# %-12s %12s %12s %8s %8s %8s %8s %8s %8s %8s\n", "host", "tx_data_B",
		"rx_data_B", "tx_pkts", "retx", "acks_rx", "cnp_tx", "cnp_rx", "pfc_rx", "timeouts");
	for (i = 0; i < a->conf.nb_hosts; i++) {
		const struct gen_host *h = &a->hosts[i];
		struct fab_gen_host_stats s;

		if (h->sched == NULL || fab_gen_host_stats(a->gen, i, &s) < 0)
			continue;
		fprintf(f, "  %-12s %12" PRIu64 " %12" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			" %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n", h->name,
			s.tx_data_bytes, s.rx_data_bytes, s.tx_data_pkts, s.retx_pkts, s.rx_acks,
			s.cnp_tx, s.cnp_rx, h->st.rx_pfc, s.timeouts);
	}
}

static int
write_collectives(FILE *f, const struct gen_app *a)
{
	return fab_gen_write_collectives(f, a->gen);
}

static int
write_summary(FILE *f, const struct gen_app *a)
{
	struct fab_gen *gen = a->gen;
	uint32_t i, j, k;
	bool first = true;

	fprintf(f, "{\n  \"program\": \"" GEN_PROG "\",\n  \"file\": ");
	fab_json_string(f, a->conf.path);
	fprintf(f, ",\n  \"mode\": \"%s\",\n  \"seed\": %" PRIu64 ",\n  \"mtu\": %u,\n"
		"  \"cc\": ", a->trace_mode ? "trace" : "ports", a->conf.seed, a->conf.mtu);
	fab_json_string(f, fab_gen_cc_name(gen));
	fprintf(f, ",\n  \"time_ps\": %" PRIu64 ",\n  \"wall_time_s\": %.6f,\n"
		"  \"done\": %s,\n", a->end_ps, a->wall_s, fab_gen_done(gen) ? "true" : "false");
	fprintf(f, "  \"hosts\": [");
	for (i = 0; i < a->conf.nb_hosts; i++) {
		const struct gen_host *h = &a->hosts[i];
		struct fab_gen_host_stats s;

		fprintf(f, "%s\n    {\"name\": ", i == 0 ? "" : ",");
		fab_json_string(f, a->conf.hosts[i].conf.name);
		fprintf(f, ", \"local\": %s", h->sched != NULL ? "true" : "false");
		if (h->sched == NULL || fab_gen_host_stats(gen, i, &s) < 0) {
			fputc('}', f);
			continue;
		}
		fprintf(f, ", \"tx_data_pkts\": %" PRIu64 ", \"tx_data_bytes\": %" PRIu64
			", \"rx_data_bytes\": %" PRIu64 ", \"retx_pkts\": %" PRIu64
			", \"rx_dup\": %" PRIu64 ", \"rx_out_of_seq\": %" PRIu64
			", \"rx_bad_icrc\": %" PRIu64 ", \"rx_bad_payload\": %" PRIu64
			", \"tx_acks\": %" PRIu64 ", \"tx_naks\": %" PRIu64
			", \"rx_acks\": %" PRIu64 ", \"rx_naks\": %" PRIu64
			", \"cnp_tx\": %" PRIu64 ", \"cnp_rx\": %" PRIu64
			", \"timeouts\": %" PRIu64 ", \"errors\": %" PRIu64
			", \"rx_unknown_qp\": %" PRIu64 ", \"nombuf\": %" PRIu64
			", \"rx_frames\": %" PRIu64 ", \"rx_bytes\": %" PRIu64
			", \"rx_pfc\": %" PRIu64 ", \"rx_other\": %" PRIu64
			", \"tx_frames\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
			", \"tx_lost\": %" PRIu64 "}",
			s.tx_data_pkts, s.tx_data_bytes, s.rx_data_bytes, s.retx_pkts, s.rx_dup,
			s.rx_out_of_seq, s.rx_bad_icrc, s.rx_bad_payload, s.tx_acks, s.tx_naks,
			s.rx_acks, s.rx_naks, s.cnp_tx, s.cnp_rx, s.timeouts, s.errors,
			s.rx_unknown_qp, s.nombuf, h->st.rx_frames, h->st.rx_bytes, h->st.rx_pfc,
			h->st.rx_other, h->st.tx_frames, h->st.tx_bytes, h->st.tx_lost);
	}
	fprintf(f, "\n  ],\n  \"jobs\": [");
	for (j = 0; j < fab_gen_nb_jobs(gen); j++) {
		const struct fab_gen_job_conf *jc = fab_gen_job(gen, j);

		fprintf(f, "%s\n    {\"name\": ", j == 0 ? "" : ",");
		fab_json_string(f, jc->name);
		fprintf(f, ", \"pattern\": \"%s\", \"ranks\": %u, \"done\": %s, \"hosts\": [",
			fab_coll_pattern_name(jc->coll.pattern), jc->coll.nranks,
			fab_gen_job_done(gen, j) ? "true" : "false");
		for (k = 0; k < jc->coll.nranks; k++) {
			fprintf(f, "%s", k == 0 ? "" : ", ");
			fab_json_string(f, a->conf.hosts[jc->hosts[k]].conf.name);
		}
		/* Bytes each rank received from all the others (local receivers only). */
		fprintf(f, "], \"rx_bytes\": [");
		for (k = 0; k < jc->coll.nranks; k++) {
			uint64_t sum = 0;
			uint32_t s;

			for (s = 0; s < jc->coll.nranks; s++)
				sum += fab_gen_rx_matrix(gen, j, s, k);
			fprintf(f, "%s%" PRIu64, k == 0 ? "" : ", ", sum);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "\n  ],\n  \"collectives\": [");
	for (j = 0; j < fab_gen_nb_jobs(gen); j++) {
		const struct fab_gen_job_conf *jc = fab_gen_job(gen, j);

		for (k = 0; k < jc->nb_sizes; k++) {
			struct fab_gen_size_result r;

			if (fab_gen_size_result(gen, j, k, &r) < 0)
				return -EINVAL;
			fprintf(f, "%s\n    {\"job\": ", first ? "" : ",");
			first = false;
			fab_json_string(f, jc->name);
			fprintf(f, ", \"pattern\": \"%s\", \"bytes\": %" PRIu64 ", \"ranks\": %u, "
				"\"iters\": %u, \"time_ns\": %.3f, \"algbw_gbps\": %.6f, "
				"\"busbw_gbps\": %.6f, \"wrong\": %" PRIu64 "}",
				fab_coll_pattern_name(jc->coll.pattern), r.bytes, jc->coll.nranks,
				r.iters, (double)r.time_ps / 1e3, r.algbw_gbps, r.busbw_gbps, r.wrong);
		}
	}
	fprintf(f, "\n  ]\n}\n");
	return ferror(f) ? -EIO : 0;
}

static int
write_file(const struct gen_app *a, const char *name, int (*fn)(FILE *, const struct gen_app *))
{
	char path[4096];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", a->o.out_dir, name);
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, GEN_PROG ": cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = fn(f, a);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc != 0) {
		fprintf(stderr, GEN_PROG ": cannot write %s: %s\n", path, strerror(-rc));
		return -1;
	}
	return 0;
}

int
gen_write_out(const struct gen_app *a)
{
	if (a->o.out_dir == NULL)
		return 0;
	if (mkdir(a->o.out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, GEN_PROG ": cannot create %s: %s\n", a->o.out_dir,
			strerror(errno));
		return -1;
	}
	if (write_file(a, "summary.json", write_summary) < 0 ||
			write_file(a, "collectives.csv", write_collectives) < 0)
		return -1;
	return 0;
}
