/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * The generator's life cycle: hosts and jobs are added, start() builds the
 * collectives, numbers the QPs the same way in every process that loads the
 * same jobs, and creates the local QPs and their congestion control.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "fab_ecn.h"
#include "fab_gen_private.h"

/* How many packets' worth of time a paced QP may fall behind and still catch up. */
#define GEN_LAG_FRAMES 4


struct fab_gen *
fab_gen_create(const struct fab_gen_conf *conf, char *err, size_t errlen)
{
	struct fab_gen *gen;

	if (conf == NULL || conf->pool == NULL) {
		snprintf(err, errlen, "generator: no mbuf pool");
		rte_errno = EINVAL;
		return NULL;
	}
	gen = calloc(1, sizeof(*gen));
	if (gen == NULL) {
		snprintf(err, errlen, "generator: out of memory");
		rte_errno = ENOMEM;
		return NULL;
	}
	gen->conf = *conf;
	gen->mtu = conf->nic.mtu != 0 ? conf->nic.mtu : 4096;
	if (gen->conf.nic.cnp_dscp == 0)
		gen->conf.nic.cnp_dscp = FAB_GEN_DEFAULT_CNP_DSCP;
	return gen;
}

static void
free_host(struct gen_host *h)
{
	uint32_t i;

	if (h->qps != NULL)
		for (i = 0; i < h->nb_qps; i++)
			fab_qp_free(h->qps[i].qp);
	while (h->cnp_head != h->cnp_tail) {
		rte_pktmbuf_free(h->cnp_q[h->cnp_head]);
		h->cnp_head = (h->cnp_head + 1) % GEN_CNP_QUEUE;
	}
	fab_heap_free(h->send_heap);
	fab_heap_free(h->timer_heap);
	fab_cc_free(h->cc);
	free(h->qps);
	free(h->ctrl);
	free(h->blocked);
	free(h->cc_mem);
	free(h->start_key);
	free(h->start_job);
	free(h->start_rank);
}

void
fab_gen_free(struct fab_gen *gen)
{
	uint32_t i;

	if (gen == NULL)
		return;
	for (i = 0; i < gen->nb_hosts; i++)
		free_host(&gen->hosts[i]);
	for (i = 0; i < gen->nb_jobs; i++)
		gen_free_job(&gen->jobs[i]);
	free(gen->hosts);
	free(gen->jobs);
	free(gen->flows);
	free(gen);
}

static int
grow(void **arr, uint32_t *cap, uint32_t nb, size_t size)
{
	uint32_t ncap;
	void *p;

	if (nb < *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap * 2;
	p = realloc(*arr, (size_t)ncap * size);
	if (p == NULL)
		return -ENOMEM;
	memset((char *)p + (size_t)*cap * size, 0, (size_t)(ncap - *cap) * size);
	*arr = p;
	*cap = ncap;
	return 0;
}

int
fab_gen_add_host(struct fab_gen *gen, const struct fab_gen_host_conf *conf)
{
	struct gen_host *h;

	if (gen == NULL || conf == NULL || gen->started || conf->rate_bps == 0 ||
			(conf->l3 != FAB_L3_IPV4 && conf->l3 != FAB_L3_IPV6))
		return -EINVAL;
	if (grow((void **)&gen->hosts, &gen->cap_hosts, gen->nb_hosts, sizeof(*gen->hosts)) < 0)
		return -ENOMEM;
	h = &gen->hosts[gen->nb_hosts];
	memset(h, 0, sizeof(*h));
	h->conf = *conf;
	h->conf.name[sizeof(h->conf.name) - 1] = '\0';
	h->st.first_rx_ps = UINT64_MAX;
	return (int)gen->nb_hosts++;
}

int
fab_gen_add_job(struct fab_gen *gen, const struct fab_gen_job_conf *conf, char *err,
		size_t errlen)
{
	uint32_t n, i, k;
	struct gen_job *j;

	if (gen == NULL || conf == NULL || gen->started) {
		snprintf(err, errlen, "generator: cannot add a job now");
		return -EINVAL;
	}
	n = conf->coll.nranks;
	if (n < 2 || conf->hosts == NULL || conf->nb_sizes == 0 || conf->sizes == NULL ||
			conf->iters == 0) {
		snprintf(err, errlen, "job %s: needs 2 or more ranks, a size and an iteration",
			conf->name);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (conf->hosts[i] >= gen->nb_hosts) {
			snprintf(err, errlen, "job %s: rank %u on an unknown host", conf->name, i);
			return -EINVAL;
		}
		if (gen->hosts[conf->hosts[i]].conf.l3 != gen->hosts[conf->hosts[0]].conf.l3) {
			snprintf(err, errlen, "job %s: ranks on hosts of two address families",
				conf->name);
			return -EINVAL;
		}
		for (k = 0; k < i; k++)
			if (conf->hosts[k] == conf->hosts[i]) {
				snprintf(err, errlen, "job %s: ranks %u and %u on one host (%s)",
					conf->name, k, i, gen->hosts[conf->hosts[i]].conf.name);
				return -EINVAL;
			}
	}
	for (i = 0; i < conf->nb_sizes; i++)
		if (conf->sizes[i] == 0) {
			snprintf(err, errlen, "job %s: a size of 0 bytes", conf->name);
			return -EINVAL;
		}
	if (grow((void **)&gen->jobs, &gen->cap_jobs, gen->nb_jobs, sizeof(*gen->jobs)) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	j = &gen->jobs[gen->nb_jobs];
	memset(j, 0, sizeof(*j));
	j->conf = *conf;
	j->conf.name[sizeof(j->conf.name) - 1] = '\0';
	j->hosts = malloc(n * sizeof(*j->hosts));
	j->sizes = malloc(conf->nb_sizes * sizeof(*j->sizes));
	if (j->hosts == NULL || j->sizes == NULL) {
		free(j->hosts);
		free(j->sizes);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(j->hosts, conf->hosts, n * sizeof(*j->hosts));
	memcpy(j->sizes, conf->sizes, conf->nb_sizes * sizeof(*j->sizes));
	j->conf.hosts = j->hosts;
	j->conf.sizes = j->sizes;
	return (int)gen->nb_jobs++;
}

/* QPNs, PSNs and source ports: a function of the job list and the seed only. */
static void
number_conns(struct fab_gen *gen, uint32_t *per_host)
{
	uint32_t ji, ci;

	for (ji = 0; ji < gen->nb_jobs; ji++) {
		struct gen_job *j = &gen->jobs[ji];

		for (ci = 0; ci < j->nb_conns; ci++) {
			struct gen_conn *c = &j->conns[ci];
			uint64_t pair = ((uint64_t)ji << 48) | ((uint64_t)c->src_rank << 24) |
				c->dst_rank;
			uint64_t id = fab_rng_mix64(gen->conf.seed ^ fab_rng_mix64(pair));

			c->job = ji;
			c->src_qpn = FAB_GEN_QPN_BASE + per_host[c->src_host]++;
			c->dst_qpn = FAB_GEN_QPN_BASE + per_host[c->dst_host]++;
			/* Channels of one pair get distinct ports: 0x1001 is odd, a bijection mod 2^14. */
			c->sport = (uint16_t)(0xc000 | ((id + (uint64_t)c->channel * 0x1001) & 0x3fff));
			c->psn0 = (uint32_t)fab_rng_mix64(id ^ c->channel) & FAB_PSN_MASK;
		}
	}
}

static int
make_qp(struct fab_gen *gen, struct gen_job *j, uint32_t ci, bool sender, char *err,
		size_t errlen)
{
	struct gen_conn *c = &j->conns[ci];
	uint32_t me = sender ? c->src_host : c->dst_host;
	uint32_t peer = sender ? c->dst_host : c->src_host;
	uint32_t qpn = sender ? c->src_qpn : c->dst_qpn;
	struct gen_host *h = &gen->hosts[me];
	const struct fab_gen_nic_conf *nic = &gen->conf.nic;
	uint32_t qi = qpn - FAB_GEN_QPN_BASE;
	struct gen_qp *q = &h->qps[qi];
	struct fab_qp_conf qc = {
		.qpn = qpn,
		.peer_qpn = sender ? c->dst_qpn : c->src_qpn,
		.ack_dscp = j->conf.dscp,
		.mtu = gen->mtu,
		/* The receiving end never sends data; its own first PSN is unused. */
		.psn0 = c->psn0,
		.peer_psn0 = c->psn0,
		.timeout = nic->timeout,
		.retry_cnt = nic->retry_cnt,
		.ack_every = nic->ack_every != 0 ? nic->ack_every : FAB_GEN_DEFAULT_ACK_EVERY,
		.window = nic->window != 0 ? nic->window : FAB_GEN_DEFAULT_WINDOW,
		.ooo_accept = nic->ooo_accept,
		.ooo_window = nic->ooo_window,
		.no_icrc_check = nic->no_icrc_check,
		.no_payload_check = nic->no_payload_check,
		.pool = gen->conf.pool,
		.socket_id = gen->conf.socket_id,
	};

	qc.addr.src_mac = h->conf.mac;
	qc.addr.dst_mac = h->conf.gw_mac;
	qc.addr.l3 = h->conf.l3;
	qc.addr.src_ip = h->conf.ip;
	qc.addr.dst_ip = gen->hosts[peer].conf.ip;
	qc.addr.dscp = j->conf.dscp;
	qc.addr.ecn = j->conf.ecn;
	qc.addr.ttl = 64;
	qc.addr.udp_src_port = c->sport;
	q->qp = fab_qp_create(&qc);
	if (q->qp == NULL) {
		snprintf(err, errlen, "job %s: host %s: cannot create QP 0x%x: %s", j->conf.name,
			h->conf.name, qpn, rte_strerror(rte_errno));
		return -rte_errno;
	}
	q->job = c->job;
	q->conn = ci;
	q->sender = sender;
	q->cls = h->conf.dscp_to_class[j->conf.dscp & 63] & (FAB_NUM_PRIO - 1);
	q->ack_cls = q->cls;
	q->lag_cap_ps = GEN_LAG_FRAMES * fab_wire_time_ps(fab_qp_max_frame_len(q->qp),
		h->conf.rate_bps);
	if (sender)
		c->src_qp = qi;
	else
		c->dst_qp = qi;
	gen->max_frame = RTE_MAX(gen->max_frame, fab_qp_max_frame_len(q->qp));
	return 0;
}

static int
start_host(struct fab_gen *gen, uint32_t hi, uint32_t nb_qps, uint64_t now,
		char *err, size_t errlen)
{
	struct gen_host *h = &gen->hosts[hi];
	struct fab_cc_conf ccc = {
		.line_rate_bps = h->conf.rate_bps,
		.mtu = gen->mtu,
		.seed = fab_rng_mix64(gen->conf.seed ^ fab_rng_mix64(hi)),
		.args = gen->conf.nic.cc_args,
		/* Without a host a plugin cannot read its arguments or say what it refuses. */
		.host = fab_plugin_host_default(),
	};
	const char *cc = gen->conf.nic.cc != NULL ? gen->conf.nic.cc : FAB_CC_DEFAULT;
	uint32_t cap = RTE_MAX(nb_qps, 1u), fs;

	h->cc = fab_cc_create(cc, gen->conf.nic.plugin_path, &ccc, err, errlen);
	if (h->cc == NULL)
		return -EINVAL;
	fs = fab_cc_flow_size(h->cc);
	h->qps = calloc(cap, sizeof(*h->qps));
	h->ctrl = calloc(cap, sizeof(*h->ctrl));
	h->blocked = calloc(cap, sizeof(*h->blocked));
	h->cc_mem = calloc(cap, fs);
	h->send_heap = fab_heap_create(cap);
	h->timer_heap = fab_heap_create(cap);
	if (h->qps == NULL || h->ctrl == NULL || h->blocked == NULL || h->cc_mem == NULL ||
			h->send_heap == NULL || h->timer_heap == NULL) {
		snprintf(err, errlen, "host %s: out of memory", h->conf.name);
		return -ENOMEM;
	}
	h->nb_qps = nb_qps;
	h->cnp_cls = h->conf.dscp_to_class[gen->conf.nic.cnp_dscp & 63] & (FAB_NUM_PRIO - 1);
	(void)now;
	return 0;
}

struct start_item {
	uint64_t key;
	uint32_t job, rank;
};

static int
start_cmp(const void *pa, const void *pb)
{
	const struct start_item *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->job != b->job)
		return a->job < b->job ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static int
place_starts(struct fab_gen *gen, struct gen_host *h, uint32_t hi)
{
	struct start_item *items;
	uint32_t ji, r, n = 0;

	for (ji = 0; ji < gen->nb_jobs; ji++)
		for (r = 0; r < gen->jobs[ji].conf.coll.nranks; r++)
			n += gen->jobs[ji].hosts[r] == hi;
	items = calloc(n + 1, sizeof(*items));
	h->start_key = calloc(n + 1, sizeof(*h->start_key));
	h->start_job = calloc(n + 1, sizeof(*h->start_job));
	h->start_rank = calloc(n + 1, sizeof(*h->start_rank));
	if (items == NULL || h->start_key == NULL || h->start_job == NULL ||
			h->start_rank == NULL) {
		free(items);
		return -ENOMEM;
	}
	n = 0;
	for (ji = 0; ji < gen->nb_jobs; ji++)
		for (r = 0; r < gen->jobs[ji].conf.coll.nranks; r++)
			if (gen->jobs[ji].hosts[r] == hi)
				items[n++] = (struct start_item){
					gen->jobs[ji].conf.start_ps, ji, r };
	qsort(items, n, sizeof(*items), start_cmp);
	for (r = 0; r < n; r++) {
		h->start_key[r] = items[r].key;
		h->start_job[r] = items[r].job;
		h->start_rank[r] = items[r].rank;
	}
	h->nb_starts = n;
	free(items);
	return 0;
}

int
fab_gen_start(struct fab_gen *gen, uint64_t now_ps, char *err, size_t errlen)
{
	uint32_t *per_host, hi, ji, ci, r;
	int ret = 0;

	if (gen == NULL || gen->started) {
		snprintf(err, errlen, "generator: already started");
		return -EINVAL;
	}
	gen->started = true;
	for (ji = 0; ji < gen->nb_jobs && ret == 0; ji++) {
		struct gen_job *j = &gen->jobs[ji];

		ret = gen_build_job(gen, j, err, errlen);
		for (r = 0; ret == 0 && r < j->conf.coll.nranks; r++) {
			j->ranks[r].host = gen->hosts[j->hosts[r]].conf.local ? j->hosts[r] : GEN_NONE;
			j->nb_local_ranks += gen->hosts[j->hosts[r]].conf.local;
		}
		if (ret == 0 && j->nb_local_ranks == 0)
			gen->jobs_done++;
	}
	if (ret < 0)
		return ret;
	per_host = calloc(gen->nb_hosts + 1, sizeof(*per_host));
	if (per_host == NULL) {
		snprintf(err, errlen, "generator: out of memory");
		return -ENOMEM;
	}
	number_conns(gen, per_host);
	for (hi = 0; hi < gen->nb_hosts && ret == 0; hi++) {
		struct gen_host *h = &gen->hosts[hi];

		if (!h->conf.local)
			continue;
		if (per_host[hi] > FAB_QPN_MASK - FAB_GEN_QPN_BASE) {
			snprintf(err, errlen, "host %s: out of QPNs", h->conf.name);
			ret = -ERANGE;
			break;
		}
		ret = start_host(gen, hi, per_host[hi], now_ps, err, errlen);
		if (ret == 0 && place_starts(gen, h, hi) < 0) {
			snprintf(err, errlen, "generator: out of memory");
			ret = -ENOMEM;
		}
	}
	free(per_host);
	for (ji = 0; ji < gen->nb_jobs && ret == 0; ji++) {
		struct gen_job *j = &gen->jobs[ji];

		for (ci = 0; ci < j->nb_conns && ret == 0; ci++) {
			if (gen->hosts[j->conns[ci].src_host].conf.local)
				ret = make_qp(gen, j, ci, true, err, errlen);
			if (ret == 0 && gen->hosts[j->conns[ci].dst_host].conf.local)
				ret = make_qp(gen, j, ci, false, err, errlen);
		}
	}
	for (hi = 0; hi < gen->nb_hosts && ret == 0; hi++) {
		struct gen_host *h = &gen->hosts[hi];
		uint32_t fs, qi;

		if (!h->conf.local)
			continue;
		fs = fab_cc_flow_size(h->cc);
		for (qi = 0; qi < h->nb_qps; qi++) {
			h->qps[qi].cc = h->cc_mem + (size_t)qi * fs;
			fab_cc_flow_init(h->cc, h->qps[qi].cc, now_ps);
			h->qps[qi].next_send = now_ps;
		}
	}
	return ret;
}

uint32_t
fab_gen_max_frame_len(const struct fab_gen *gen)
{
	return gen->max_frame;
}

bool
fab_gen_owns_qpn(const struct fab_gen *gen, uint32_t host, uint32_t qpn)
{
	return host < gen->nb_hosts && qpn >= FAB_GEN_QPN_BASE &&
		qpn - FAB_GEN_QPN_BASE < gen->hosts[host].nb_qps;
}

bool
fab_gen_done(const struct fab_gen *gen)
{
	return gen->jobs_done == gen->nb_jobs;
}

int
fab_gen_host_stats(const struct fab_gen *gen, uint32_t host, struct fab_gen_host_stats *out)
{
	const struct gen_host *h;
	uint32_t qi;

	if (gen == NULL || host >= gen->nb_hosts || out == NULL)
		return -EINVAL;
	h = &gen->hosts[host];
	*out = h->st;
	for (qi = 0; qi < h->nb_qps; qi++) {
		struct fab_qp_stats s;

		if (h->qps[qi].qp == NULL)
			continue;
		fab_qp_stats(h->qps[qi].qp, &s);
		out->tx_data_pkts += s.tx_data_pkts;
		out->tx_data_bytes += s.tx_data_bytes;
		out->retx_pkts += s.retx_pkts;
		out->rx_data_bytes += s.rx_data_bytes;
		out->rx_dup += s.rx_dup;
		out->rx_out_of_seq += s.rx_out_of_seq;
		out->rx_bad_icrc += s.rx_bad_icrc;
		out->rx_bad_payload += s.rx_bad_payload;
		out->tx_acks += s.tx_acks;
		out->tx_naks += s.tx_naks;
		out->rx_acks += s.rx_acks;
		out->rx_naks += s.rx_naks;
		out->timeouts += s.timeouts;
		out->errors += s.errors;
		out->nombuf += s.nombuf;
	}
	return 0;
}

uint32_t
fab_gen_nb_hosts(const struct fab_gen *gen)
{
	return gen->nb_hosts;
}

uint32_t
fab_gen_nb_jobs(const struct fab_gen *gen)
{
	return gen->nb_jobs;
}

const struct fab_gen_job_conf *
fab_gen_job(const struct fab_gen *gen, uint32_t job)
{
	return job < gen->nb_jobs ? &gen->jobs[job].conf : NULL;
}

bool
fab_gen_job_done(const struct fab_gen *gen, uint32_t job)
{
	const struct gen_job *j;

	if (job >= gen->nb_jobs)
		return false;
	j = &gen->jobs[job];
	return j->ranks_done == j->nb_local_ranks;
}

int
fab_gen_size_result(const struct fab_gen *gen, uint32_t job, uint32_t size,
		struct fab_gen_size_result *out)
{
	const struct gen_job *j;
	uint64_t sum = 0;
	uint32_t it;

	if (gen == NULL || out == NULL || job >= gen->nb_jobs ||
			size >= gen->jobs[job].conf.nb_sizes || !gen->started)
		return -EINVAL;
	j = &gen->jobs[job];
	memset(out, 0, sizeof(*out));
	out->bytes = j->sizes[size];
	out->min_ps = UINT64_MAX;
	out->wrong = j->wrong;
	for (it = j->conf.warmup; it < j->per_size; it++) {
		const struct gen_round *rd = &j->rounds[size * j->per_size + it];
		uint64_t t;

		if (!rd->started || rd->ranks_left != 0)
			continue;
		t = rd->last_end_ps - rd->first_start_ps;
		sum += t;
		out->iters++;
		out->min_ps = RTE_MIN(out->min_ps, t);
		out->max_ps = RTE_MAX(out->max_ps, t);
	}
	if (out->iters == 0) {
		out->min_ps = 0;
		return 0;
	}
	out->time_ps = sum / out->iters;
	if (out->time_ps != 0) {
		/* GB/s = bytes / ns */
		out->algbw_gbps = (double)out->bytes * 1000.0 / (double)out->time_ps;
		out->busbw_gbps = out->algbw_gbps *
			fab_coll_busbw_factor(j->conf.coll.pattern, j->conf.coll.nranks);
	}
	return 0;
}

const struct fab_gen_flow *
fab_gen_flows(const struct fab_gen *gen, uint32_t *nb)
{
	*nb = gen->nb_flows;
	return gen->flows;
}

uint64_t
fab_gen_rx_matrix(const struct fab_gen *gen, uint32_t job, uint32_t src, uint32_t dst)
{
	const struct gen_job *j;

	if (job >= gen->nb_jobs)
		return 0;
	j = &gen->jobs[job];
	if (src >= j->conf.coll.nranks || dst >= j->conf.coll.nranks || j->matrix == NULL)
		return 0;
	return j->matrix[(size_t)src * j->conf.coll.nranks + dst];
}

const struct fab_coll *
fab_gen_coll(const struct fab_gen *gen, uint32_t job, uint32_t size)
{
	if (job >= gen->nb_jobs || size >= gen->jobs[job].conf.nb_sizes ||
			gen->jobs[job].size == NULL)
		return NULL;
	return gen->jobs[job].size[size].coll;
}

const char *
fab_gen_cc_name(const struct fab_gen *gen)
{
	uint32_t i;

	for (i = 0; i < gen->nb_hosts; i++)
		if (gen->hosts[i].cc != NULL)
			return fab_cc_name(gen->hosts[i].cc);
	return gen->conf.nic.cc != NULL ? gen->conf.nic.cc : FAB_CC_DEFAULT;
}

uint32_t
fab_gen_host_nb_qps(const struct fab_gen *gen, uint32_t host)
{
	if (gen == NULL || host >= gen->nb_hosts || !gen->hosts[host].conf.local)
		return 0;
	return gen->hosts[host].nb_qps;
}

int
fab_gen_qp_info(struct fab_gen *gen, uint32_t host, uint32_t qi, uint64_t now,
		struct fab_gen_qp_info *out)
{
	const struct gen_conn *c;
	struct fab_qp_stats st;
	struct gen_host *h;
	struct gen_qp *q;

	if (gen == NULL || out == NULL || host >= gen->nb_hosts)
		return -EINVAL;
	h = &gen->hosts[host];
	if (!h->conf.local || qi >= h->nb_qps || h->qps[qi].qp == NULL)
		return -EINVAL;
	q = &h->qps[qi];
	c = &gen->jobs[q->job].conns[q->conn];
	fab_qp_stats(q->qp, &st);
	*out = (struct fab_gen_qp_info){
		.job = q->job, .src_rank = c->src_rank, .dst_rank = c->dst_rank,
		.src_host = c->src_host, .dst_host = c->dst_host, .channel = c->channel,
		.qpn = fab_qp_qpn(q->qp), .sender = q->sender,
		.rate_bps = q->sender ? fab_cc_rate(h->cc, q->cc, now) : 0,
		.tx_data_bytes = st.tx_data_bytes, .acked_bytes = st.acked_bytes,
		.retx_pkts = st.retx_pkts, .cnp_rx = q->cnp_rx, .rx_data_bytes = st.rx_data_bytes,
	};
	return 0;
}
