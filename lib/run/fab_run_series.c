/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Time series of a run: every switch port, and every sending QP of the
 * generator's jobs, sampled between run slices.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_run.h"
#include "fab_run_csv.h"

/* What a sending QP had done at the previous sample. */
struct qp_prev {
	uint64_t tx_data_bytes;
	uint64_t retx_pkts;
	uint64_t cnp_rx;
};

/*
 * A port's row after its time: ",switch,port", laid out once, since every
 * sample writes a row for every port (and one per class in use).
 */
struct port_key {
	uint32_t len;
	char text[2 * FAB_SCN_NAME_LEN + 2];
};

struct fab_run_series {
	struct fab_run_writer *w;
	struct fab_run_file *ports;
	struct fab_run_file *queues;
	struct fab_run_file *qps;        /* jobs only */
	char qps_path[4096];
	uint32_t nb_qp_prev;
	struct qp_prev *qp_prev;         /* per (host, QP), in generator order */
	uint32_t nb_ports;               /* switch ports of the scenario */
	struct fab_switch_port_sample *prev; /* the previous sample, in node then port order */
	struct port_key *keys;           /* ",switch,port" of each, in the same order */
	uint64_t prev_ps;
	int error;
	struct fab_csv_row row;
};

static void
put_line(struct fab_run_file *f, const char *line)
{
	fab_run_file_write(f, line, strlen(line));
}

/* The key of every switch port, in node then port order. */
static int
make_keys(struct fab_run_series *ts, const struct fab_scenario *s)
{
	uint32_t i, k = 0;
	uint16_t p;

	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];

		if (n->kind != FAB_SCN_SWITCH)
			continue;
		for (p = 0; p < n->nb_ports && k < ts->nb_ports; p++, k++) {
			struct port_key *key = &ts->keys[k];
			int len = snprintf(key->text, sizeof(key->text), ",%s,%s", n->name,
				s->switches[n->index].conf.ports[p].name);

			if (len < 0 || (size_t)len >= sizeof(key->text))
				return -EOVERFLOW;
			key->len = (uint32_t)len;
		}
	}
	return k == ts->nb_ports ? 0 : -EINVAL;
}

struct fab_run_series *
fab_run_series_open(const struct fab_scenario *s, struct fab_run_writer *w, const char *dir)
{
	struct fab_run_series *ts = calloc(1, sizeof(*ts));
	char path[4096];
	uint32_t i;
	int ret;

	if (ts == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ts->w = w;
	for (i = 0; i < s->nb_switches; i++)
		ts->nb_ports += s->switches[i].conf.nb_ports;
	ts->prev = calloc(ts->nb_ports + 1, sizeof(*ts->prev));
	ts->keys = calloc(ts->nb_ports + 1, sizeof(*ts->keys));
	snprintf(path, sizeof(path), "%s/ports.csv", dir);
	ts->ports = fab_run_file_open(w, path);
	snprintf(path, sizeof(path), "%s/queues.csv", dir);
	ts->queues = ts->ports != NULL ? fab_run_file_open(w, path) : NULL;
	if (ts->prev == NULL || ts->keys == NULL || ts->ports == NULL || ts->queues == NULL) {
		int e = ts->prev == NULL || ts->keys == NULL ? ENOMEM : rte_errno;

		fab_run_series_close(ts);
		rte_errno = e;
		return NULL;
	}
	ret = make_keys(ts, s);
	if (ret < 0) {
		fab_run_series_close(ts);
		rte_errno = -ret;
		return NULL;
	}
	if (s->nb_jobs != 0)
		snprintf(ts->qps_path, sizeof(ts->qps_path), "%s/qps.csv", dir);
	put_line(ts->ports, "time_ns,switch,port,tx_bytes,tx_gbps,tx_pkts,ecn_marked,drops,pfc_tx\n");
	put_line(ts->queues, "time_ns,switch,port,class,queue_bytes,paused_ns,pfc_tx\n");
	return ts;
}

/* Remember the first error (a negative errno): it names the cause. */
static void
keep_error(struct fab_run_series *ts, int err)
{
	if (err < 0 && ts->error == 0)
		ts->error = err;
}

static uint64_t
sum8(const uint64_t *v)
{
	uint64_t s = 0;
	unsigned int i;

	for (i = 0; i < FAB_NUM_PRIO; i++)
		s += v[i];
	return s;
}

/* Gbit/s with three decimals from integers only: the same text on every machine. */
static void
put_gbps(struct fab_csv_row *r, uint64_t bytes, uint64_t dt_ps)
{
	fab_csv_milli(r, dt_ps == 0 ? 0 : bytes * 8000000u / dt_ps);
}

/* A port's row up to its counters: time in ns (@p time, already in decimal), switch, port. */
static void
row_start(struct fab_csv_row *r, const struct fab_csv_row *time, const struct port_key *key)
{
	fab_csv_begin(r);
	fab_csv_bytes(r, time->buf, time->len);
	fab_csv_bytes(r, key->text, key->len);
}

/* The sending QPs of the jobs: their congestion control's rate and what they sent. */
static int
sample_qps(struct fab_run_series *ts, const struct fab_scenario *s, struct fab_fabric *fab,
		uint64_t now, uint64_t dt)
{
	struct fab_gen *gen = fab_fabric_gen(fab);
	struct fab_csv_row *r = &ts->row;
	uint32_t h, q, k = 0, total = 0;
	int ret;

	if (gen == NULL || ts->qps_path[0] == '\0')
		return 0;
	for (h = 0; h < fab_gen_nb_hosts(gen); h++)
		total += fab_gen_host_nb_qps(gen, h);
	if (ts->qps == NULL) {
		ts->qps = fab_run_file_open(ts->w, ts->qps_path);
		ts->qp_prev = calloc(total + 1, sizeof(*ts->qp_prev));
		if (ts->qps == NULL || ts->qp_prev == NULL)
			return ts->qps == NULL ? -rte_errno : -ENOMEM;
		ts->nb_qp_prev = total;
		put_line(ts->qps, "time_ns,job,src,dst,channel,qpn,rate_gbps,tx_gbps,retx_pkts,cnps\n");
	}
	for (h = 0; h < fab_gen_nb_hosts(gen); h++) {
		for (q = 0; q < fab_gen_host_nb_qps(gen, h) && k < ts->nb_qp_prev; q++, k++) {
			struct fab_gen_qp_info in;
			struct qp_prev *pr = &ts->qp_prev[k];
			int sn, dn;

			if (fab_gen_qp_info(gen, h, q, now, &in) < 0)
				return -EINVAL;
			if (!in.sender)
				continue;
			sn = fab_fabric_gen_node(fab, in.src_host);
			dn = fab_fabric_gen_node(fab, in.dst_host);
			fab_csv_begin(r);
			fab_csv_u64(r, now / 1000u);
			fab_csv_next_str(r, fab_gen_job(gen, in.job)->name);
			fab_csv_next_str(r, sn >= 0 ? s->nodes[sn].name : "?");
			fab_csv_next_str(r, dn >= 0 ? s->nodes[dn].name : "?");
			fab_csv_next_u64(r, in.channel);
			fab_csv_next_u64(r, in.qpn);
			fab_csv_char(r, ',');
			put_gbps(r, in.rate_bps / 8, 1000000000000u);
			fab_csv_char(r, ',');
			put_gbps(r, in.tx_data_bytes - pr->tx_data_bytes, dt);
			fab_csv_next_u64(r, in.retx_pkts - pr->retx_pkts);
			fab_csv_next_u64(r, in.cnp_rx - pr->cnp_rx);
			ret = fab_csv_end(r, ts->qps);
			if (ret < 0)
				return ret;
			*pr = (struct qp_prev){ in.tx_data_bytes, in.retx_pkts, in.cnp_rx };
		}
	}
	return fab_run_file_error(ts->qps);
}

int
fab_run_series_sample(struct fab_run_series *ts, const struct fab_scenario *s,
		struct fab_fabric *fab)
{
	uint64_t now = fab_fabric_now(fab), dt = now - ts->prev_ps;
	struct fab_csv_row *r = &ts->row, time;
	uint32_t i, k = 0;
	uint16_t p;
	unsigned int c;

	if (now <= ts->prev_ps && ts->prev_ps != 0)
		return 0;
	fab_csv_begin(&time);
	fab_csv_u64(&time, now / 1000u);
	for (i = 0; i < s->nb_nodes; i++) {
		const struct fab_scn_node *n = &s->nodes[i];
		const struct fab_switch *sw;

		if (n->kind != FAB_SCN_SWITCH)
			continue;
		sw = fab_fabric_switch(fab, (int)i);
		if (sw == NULL)
			return -EINVAL;
		for (p = 0; p < n->nb_ports && k < ts->nb_ports; p++, k++) {
			struct fab_switch_port_sample st, *pr = &ts->prev[k];
			uint64_t dbytes;

			if (fab_switch_port_sample(sw, p, now, &st) < 0)
				return -EINVAL;
			dbytes = st.tx_bytes - pr->tx_bytes;
			row_start(r, &time, &ts->keys[k]);
			fab_csv_next_u64(r, dbytes);
			fab_csv_char(r, ',');
			put_gbps(r, dbytes, dt);
			fab_csv_next_u64(r, st.tx_pkts - pr->tx_pkts);
			fab_csv_next_u64(r, st.ecn_marked - pr->ecn_marked);
			fab_csv_next_u64(r, st.drops - pr->drops);
			fab_csv_next_u64(r, sum8(st.pfc_tx) - sum8(pr->pfc_tx));
			keep_error(ts, fab_csv_end(r, ts->ports));
			for (c = 0; c < FAB_NUM_PRIO; c++) {
				/* Only classes that ever held a frame or were paused: the rest is zeros. */
				if (st.max_queue_bytes[c] == 0 && st.paused_ps[c] == 0 &&
						st.pfc_tx[c] == 0)
					continue;
				row_start(r, &time, &ts->keys[k]);
				fab_csv_next_u64(r, c);
				fab_csv_next_u64(r, st.queue_bytes[c]);
				fab_csv_next_u64(r, (st.paused_ps[c] - pr->paused_ps[c]) / 1000u);
				fab_csv_next_u64(r, st.pfc_tx[c] - pr->pfc_tx[c]);
				keep_error(ts, fab_csv_end(r, ts->queues));
			}
			*pr = st;
		}
	}
	if (ts->error == 0) {
		int e = sample_qps(ts, s, fab, now, dt);

		if (e < 0)
			ts->error = e;
	}
	ts->prev_ps = now;
	/* The writer's error names the cause (ENOSPC, EDQUOT, ...): keep it. */
	if (ts->error == 0)
		ts->error = fab_run_file_error(ts->ports);
	if (ts->error == 0)
		ts->error = fab_run_file_error(ts->queues);
	return ts->error;
}

int
fab_run_series_close(struct fab_run_series *ts)
{
	int ret;

	if (ts == NULL)
		return 0;
	keep_error(ts, fab_run_file_close(ts->ports));
	keep_error(ts, fab_run_file_close(ts->queues));
	keep_error(ts, fab_run_file_close(ts->qps));
	ret = ts->error;
	free(ts->qp_prev);
	free(ts->keys);
	free(ts->prev);
	free(ts);
	return ret;
}
