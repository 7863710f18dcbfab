/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * --write-trace: every host local, in virtual time, over an ideal
 * non-blocking crossbar: each frame a host's egress releases reaches the
 * host owning its destination address a fixed delay after its last bit left
 * (frames to nobody are counted and dropped). Every frame put on the wire
 * is written to a pcap, stamped with its virtual transmit-start time, in
 * time order.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "gen_app.h"

/* A frame on its way through the crossbar. */
struct flight {
	uint64_t arrive_ps;
	uint64_t seq;              /* ties in sending order */
	uint32_t dst;
	struct rte_mbuf *m;
};

/* A frame to write, released in the current step. */
struct record {
	uint64_t start_ps;
	uint64_t seq;
	struct rte_mbuf *m;        /* a clone's data: the original goes on to its receiver */
	uint32_t len;
};

struct trace {
	pcap_t *dead;
	pcap_dumper_t *dump;
	struct flight *heap;
	uint32_t nb, cap;
	uint64_t seq;
	struct record *rec;
	uint32_t nb_rec, cap_rec;
	uint8_t *buf;              /* one frame, linearized */
	uint64_t written;
	uint64_t no_dst;           /* frames for an address no host has */
	uint64_t last_ts;
};

static bool
flight_less(const struct flight *x, const struct flight *y)
{
	return x->arrive_ps < y->arrive_ps || (x->arrive_ps == y->arrive_ps && x->seq < y->seq);
}

static int
heap_push(struct trace *t, struct flight f)
{
	uint32_t i;

	if (t->nb == t->cap) {
		uint32_t cap = t->cap != 0 ? t->cap * 2 : 1024;
		struct flight *h = realloc(t->heap, (size_t)cap * sizeof(*h));

		if (h == NULL)
			return -ENOMEM;
		t->heap = h;
		t->cap = cap;
	}
	i = t->nb++;
	while (i > 0 && flight_less(&f, &t->heap[(i - 1) / 2])) {
		t->heap[i] = t->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	t->heap[i] = f;
	return 0;
}

static struct flight
heap_pop(struct trace *t)
{
	struct flight top = t->heap[0], last = t->heap[--t->nb];
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= t->nb)
			break;
		if (c + 1 < t->nb && flight_less(&t->heap[c + 1], &t->heap[c]))
			c++;
		if (!flight_less(&t->heap[c], &last))
			break;
		t->heap[i] = t->heap[c];
		i = c;
	}
	if (t->nb != 0)
		t->heap[i] = last;
	return top;
}

/* The host a frame is for, by its destination address; -1 if none. */
static int
dst_host(const struct gen_app *a, const struct rte_mbuf *m)
{
	struct fab_pkt_meta mt;
	uint32_t i;

	if (fab_pkt_parse(m, &mt) != FAB_PKT_OK || (mt.kind != FAB_PKT_KIND_ROCE &&
			mt.kind != FAB_PKT_KIND_IP))
		return -1;
	for (i = 0; i < a->conf.nb_hosts; i++) {
		const struct fab_gen_host_conf *hc = &a->conf.hosts[i].conf;

		if (hc->l3 == mt.l3 && memcmp(&hc->ip, &mt.key.dst,
				hc->l3 == FAB_L3_IPV4 ? 4 : 16) == 0)
			return (int)i;
	}
	return -1;
}

static uint16_t
trace_tx(struct gen_app *a, struct gen_host *h, struct rte_mbuf **pkts, const uint64_t *done,
		uint16_t n)
{
	struct trace *t = a->mode;
	const struct fab_gen_host_conf *hc = &a->conf.hosts[h->idx].conf;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t len = rte_pktmbuf_pkt_len(m);
		int d = dst_host(a, m);

		if (t->nb_rec == t->cap_rec) {
			uint32_t cap = t->cap_rec != 0 ? t->cap_rec * 2 : 256;
			struct record *r = realloc(t->rec, (size_t)cap * sizeof(*r));

			if (r == NULL) {
				rte_pktmbuf_free(m);
				continue;
			}
			t->rec = r;
			t->cap_rec = cap;
		}
		/* The receiver frees its frame: the record holds a reference of its own. */
		rte_pktmbuf_refcnt_update(m, 1);
		t->rec[t->nb_rec++] = (struct record){
			.start_ps = done[i] - fab_wire_time_ps(len, hc->rate_bps),
			.seq = t->seq, .m = m, .len = len,
		};
		if (d < 0 || a->hosts[d].sched == NULL ||
				heap_push(t, (struct flight){ .arrive_ps = done[i] + a->o.trace_delay_ps,
					.seq = t->seq, .dst = (uint32_t)d, .m = m }) != 0) {
			t->no_dst++;
			rte_pktmbuf_free(m);
		}
		t->seq++;
	}
	return n;
}

static int
record_cmp(const void *pa, const void *pb)
{
	const struct record *x = pa, *y = pb;

	if (x->start_ps != y->start_ps)
		return x->start_ps < y->start_ps ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the step's frames in transmit-start order. */
static void
flush_records(struct trace *t)
{
	uint32_t i;

	if (t->nb_rec > 1)
		qsort(t->rec, t->nb_rec, sizeof(*t->rec), record_cmp);
	for (i = 0; i < t->nb_rec; i++) {
		struct record *r = &t->rec[i];
		const void *p = rte_pktmbuf_read(r->m, 0, r->len, t->buf);
		struct pcap_pkthdr ph;
		uint64_t ns = r->start_ps / 1000;

		ph.ts.tv_sec = (time_t)(ns / 1000000000u);
		ph.ts.tv_usec = (suseconds_t)(ns % 1000000000u); /* nanoseconds in a NANO dump */
		ph.caplen = r->len;
		ph.len = r->len;
		if (p != NULL)
			pcap_dump((u_char *)t->dump, &ph, p);
		t->written++;
		t->last_ts = r->start_ps;
		rte_pktmbuf_free(r->m);
	}
	t->nb_rec = 0;
}

static int
trace_open(struct trace *t, const char *path)
{
	t->buf = malloc(FAB_PORT_MAX_FRAME);
	t->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, FAB_PORT_PCAP_SNAPLEN,
		PCAP_TSTAMP_PRECISION_NANO);
	if (t->buf == NULL || t->dead == NULL) {
		fprintf(stderr, GEN_PROG ": out of memory\n");
		return -1;
	}
	t->dump = pcap_dump_open(t->dead, path);
	if (t->dump == NULL) {
		fprintf(stderr, GEN_PROG ": cannot write %s: %s\n", path, pcap_geterr(t->dead));
		return -1;
	}
	return 0;
}

static int
trace_close(struct trace *t, const char *path)
{
	int rc = 0;

	while (t->nb != 0)
		rte_pktmbuf_free(heap_pop(t).m);
	if (t->dump != NULL) {
		if (pcap_dump_flush(t->dump) != 0) {
			fprintf(stderr, GEN_PROG ": cannot write %s\n", path);
			rc = -1;
		}
		pcap_dump_close(t->dump);
	}
	if (t->dead != NULL)
		pcap_close(t->dead);
	free(t->heap);
	free(t->rec);
	free(t->buf);
	return rc;
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool
all_quiet(const struct gen_app *a, const struct trace *t, uint64_t now)
{
	uint32_t i;

	if (t->nb != 0)
		return false;
	for (i = 0; i < a->conf.nb_hosts; i++)
		if (!gen_host_idle(a, &a->hosts[i], now))
			return false;
	return true;
}

int
gen_run_trace(struct gen_app *a)
{
	struct trace t = { 0 };
	uint64_t now = 0, stuck = 0;
	double t0 = wall_now();
	int rc = 0;

	if (trace_open(&t, a->o.trace_path) < 0) {
		trace_close(&t, a->o.trace_path);
		return -1;
	}
	a->mode = &t;
	a->tx = trace_tx;
	a->ran = true;
	while (!gen_stop) {
		uint64_t next = UINT64_MAX;
		uint32_t i, work = 0;

		while (t.nb != 0 && t.heap[0].arrive_ps <= now) {
			struct flight f = heap_pop(&t);

			gen_host_rx_frame(a, &a->hosts[f.dst], f.m, now);
			work++;
		}
		for (i = 0; i < a->conf.nb_hosts; i++)
			work += gen_host_step(a, &a->hosts[i], now);
		flush_records(&t);
		if (fab_gen_done(a->gen) && all_quiet(a, &t, now))
			break;
		for (i = 0; i < a->conf.nb_hosts; i++)
			next = RTE_MIN(next, gen_host_next_event(a, &a->hosts[i], now));
		if (t.nb != 0)
			next = RTE_MIN(next, t.heap[0].arrive_ps);
		if (next == UINT64_MAX) {
			fprintf(stderr, GEN_PROG ": nothing more can happen at t=%" PRIu64
				" ps and the jobs are not done\n", now);
			rc = -1;
			break;
		}
		if (next <= now) {
			if (++stuck == (work == 0 ? 1000000u : 10000000u)) {
				fprintf(stderr, GEN_PROG ": virtual time stuck at t=%" PRIu64
					" ps; stopping\n", now);
				rc = -1;
				break;
			}
			next = now;
		} else {
			stuck = 0;
		}
		if (a->o.duration_ps != 0 && next > a->o.duration_ps) {
			now = a->o.duration_ps;
			break;
		}
		now = next;
	}
	a->end_ps = now;
	a->wall_s = wall_now() - t0;
	if (!a->o.quiet)
		printf(GEN_PROG ": wrote %" PRIu64 " frames to %s (%.3f us of virtual time)\n",
			t.written, a->o.trace_path, (double)now / 1e6);
	if (t.no_dst != 0)
		fprintf(stderr, GEN_PROG ": warning: %" PRIu64 " frames for addresses of no host\n",
			t.no_dst);
	if (trace_close(&t, a->o.trace_path) < 0)
		rc = -1;
	a->mode = NULL;
	return rc;
}
