/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Link taps of a run: a pcap per tapped link (a small writer of its own:
 * the nanosecond pcap format is 40 lines, and app/trace is not a library),
 * and every PFC frame on any link for pfc.txt.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include "fab_run.h"

#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1u
#define PCAP_SNAPLEN 65535u

struct pfc_event {
	uint64_t time_ps;        /* arrival at the paused end */
	uint32_t node;           /* scenario node index of the paused end */
	uint16_t port;
	uint8_t pause;           /* 1: pause (non-zero time), 0: resume */
	uint8_t cls;
};

struct run_tap {
	struct fab_run_taps *taps;
	const struct fab_scn_link *link;
	struct fab_run_file *pcap; /* NULL: not tapped for a pcap */
};

struct fab_run_taps {
	const struct fab_scenario *s;
	uint32_t nb;
	struct run_tap *tap;     /* one per link */
	FILE *pfc;
	struct pfc_event *ev;
	size_t nb_ev, cap_ev;
	uint64_t pfc_frames;
	int error;
};

static void
pcap_header(struct fab_run_file *f)
{
	uint32_t h32[5] = { PCAP_MAGIC_NS, 0, 0, PCAP_SNAPLEN, PCAP_LINKTYPE_ETHERNET };
	uint16_t ver[2] = { 2, 4 };

	/* magic, version 2.4, thiszone, sigfigs, snaplen, linktype: host byte order. */
	fab_run_file_write(f, &h32[0], 4);
	fab_run_file_write(f, ver, sizeof(ver));
	fab_run_file_write(f, &h32[1], 16);
}

/* The record header, then the frame segment by segment: no copy besides the writer's. */
static void
pcap_record(struct fab_run_file *f, uint64_t ps, const struct rte_mbuf *m)
{
	uint32_t len = rte_pktmbuf_pkt_len(m), cap = RTE_MIN(len, PCAP_SNAPLEN), left = cap;
	uint64_t ns = ps / 1000u;
	uint32_t rec[4] = { (uint32_t)(ns / 1000000000u), (uint32_t)(ns % 1000000000u), cap, len };

	fab_run_file_write(f, rec, sizeof(rec));
	for (; m != NULL && left > 0; m = m->next) {
		uint32_t k = RTE_MIN((uint32_t)rte_pktmbuf_data_len(m), left);

		fab_run_file_write(f, rte_pktmbuf_mtod(m, const void *), k);
		left -= k;
	}
	if (left > 0) {
		/* A chain shorter than its pkt_len: keep the record's length honest. */
		static const uint8_t zero[64];

		while (left > 0) {
			uint32_t k = RTE_MIN(left, (uint32_t)sizeof(zero));

			fab_run_file_write(f, zero, k);
			left -= k;
		}
	}
}

static void
pfc_record(struct fab_run_taps *t, const struct fab_scn_link *l, unsigned int dir,
		uint64_t tx_done_ps, const struct rte_mbuf *m)
{
	uint8_t buf[34];
	const uint8_t *p;
	unsigned int c;
	uint16_t opcode;
	uint8_t enable;

	if (rte_pktmbuf_pkt_len(m) < sizeof(buf))
		return;
	p = rte_pktmbuf_read(m, 0, sizeof(buf), buf);
	if (p == NULL || ((p[12] << 8) | p[13]) != FAB_ETHER_TYPE_MAC_CTRL)
		return;
	opcode = (uint16_t)((p[14] << 8) | p[15]);
	if (opcode == FAB_MAC_CTRL_PFC)
		enable = p[17];
	else if (opcode == FAB_MAC_CTRL_PAUSE)
		enable = 0xff;
	else
		return;
	t->pfc_frames++;
	for (c = 0; c < FAB_NUM_PRIO; c++) {
		struct pfc_event *e;
		uint16_t quanta;

		if (!(enable & (1u << c)))
			continue;
		quanta = opcode == FAB_MAC_CTRL_PFC ?
			(uint16_t)((p[18 + 2 * c] << 8) | p[19 + 2 * c]) :
			(uint16_t)((p[16] << 8) | p[17]);
		if (t->nb_ev == t->cap_ev) {
			size_t cap = t->cap_ev == 0 ? 1024 : 2 * t->cap_ev;
			struct pfc_event *ev = realloc(t->ev, cap * sizeof(*ev));

			if (ev == NULL) {
				t->error = -ENOMEM;
				return;
			}
			t->ev = ev;
			t->cap_ev = cap;
		}
		e = &t->ev[t->nb_ev++];
		/* As the HPCC simulator: logged where the frame arrives, the paused end. */
		e->time_ps = tx_done_ps + l->delay_ps;
		e->node = l->end[1 - dir].node;
		e->port = l->end[1 - dir].port;
		e->pause = quanta != 0;
		e->cls = (uint8_t)c;
	}
}

static void
run_tap_fn(void *arg, unsigned int dir, uint64_t tx_done_ps, const struct rte_mbuf *m)
{
	struct run_tap *rt = arg;

	if (rt->pcap != NULL)
		pcap_record(rt->pcap, tx_done_ps, m);
	if (rt->taps->pfc != NULL)
		pfc_record(rt->taps, rt->link, dir, tx_done_ps, m);
}

static int
cmp_event(const void *a, const void *b)
{
	const struct pfc_event *x = a, *y = b;

	if (x->time_ps != y->time_ps)
		return x->time_ps < y->time_ps ? -1 : 1;
	if (x->node != y->node)
		return x->node < y->node ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->cls != y->cls)
		return x->cls < y->cls ? -1 : 1;
	return (int)x->pause - (int)y->pause;
}

struct fab_run_taps *
fab_run_taps_open(const struct fab_scenario *s, struct fab_fabric *fab, struct fab_run_writer *w,
		const char *pcap_dir, const char *pfc_path, char *err, size_t errlen)
{
	struct fab_run_taps *t = calloc(1, sizeof(*t));
	char path[4096];
	uint32_t i;

	if (t == NULL)
		goto nomem;
	t->s = s;
	t->nb = s->nb_links;
	t->tap = calloc(s->nb_links + 1, sizeof(*t->tap));
	if (t->tap == NULL)
		goto nomem;
	if (pfc_path != NULL) {
		t->pfc = fopen(pfc_path, "w");
		if (t->pfc == NULL) {
			snprintf(err, errlen, "%s: %s", pfc_path, strerror(errno));
			goto fail;
		}
	}
	for (i = 0; i < s->nb_links; i++) {
		struct run_tap *rt = &t->tap[i];
		struct fab_link *l = fab_fabric_link(fab, (int)i);

		rt->taps = t;
		rt->link = &s->links[i];
		if (l == NULL) {
			snprintf(err, errlen, "link %s: not started", s->links[i].name);
			rte_errno = EINVAL;
			goto fail_set;
		}
		if (s->links[i].tap && pcap_dir != NULL) {
			snprintf(path, sizeof(path), "%s/%s.pcap", pcap_dir, s->links[i].name);
			rt->pcap = fab_run_file_open(w, path);
			if (rt->pcap == NULL) {
				snprintf(err, errlen, "%s: %s", path, strerror(rte_errno));
				goto fail_set;
			}
			pcap_header(rt->pcap);
		}
		if (rt->pcap != NULL || t->pfc != NULL) {
			fab_link_set_tap(l, run_tap_fn, rt);
			/* Only the PFC log: it needs to see MAC control frames alone. */
			fab_link_set_tap_ether_type(l, rt->pcap != NULL ? 0 : FAB_ETHER_TYPE_MAC_CTRL);
		}
	}
	return t;
nomem:
	snprintf(err, errlen, "out of memory");
	rte_errno = ENOMEM;
	fab_run_taps_close(t, fab);
	return NULL;
fail:
	rte_errno = errno != 0 ? errno : EIO;
fail_set:
	fab_run_taps_close(t, fab);
	return NULL;
}

int
fab_run_taps_close(struct fab_run_taps *t, struct fab_fabric *fab)
{
	int ret;
	size_t i;

	if (t == NULL)
		return 0;
	ret = t->error;
	for (i = 0; t->tap != NULL && i < t->nb; i++) {
		struct fab_link *l = fab_fabric_link(fab, (int)i);

		if (l != NULL)
			fab_link_set_tap(l, NULL, NULL);
		if (t->tap[i].pcap != NULL) {
			int r = fab_run_file_close(t->tap[i].pcap);

			if (r < 0 && ret == 0)
				ret = r;
		}
	}
	if (t->pfc != NULL) {
		if (t->nb_ev != 0)
			qsort(t->ev, t->nb_ev, sizeof(*t->ev), cmp_event);
		for (i = 0; i < t->nb_ev; i++) {
			const struct pfc_event *e = &t->ev[i];

			/* time_ns node node_type(0 host, 1 switch) ifindex(port + 1) pause/resume */
			fprintf(t->pfc, "%" PRIu64 " %u %u %u %u\n", e->time_ps / 1000u, e->node,
				t->s->nodes[e->node].kind == FAB_SCN_SWITCH ? 1u : 0u,
				e->port + 1u, e->pause);
		}
		if (fclose(t->pfc) != 0 && ret == 0)
			ret = -errno;
	}
	free(t->ev);
	free(t->tap);
	free(t);
	return ret;
}

uint64_t
fab_run_taps_pfc_frames(const struct fab_run_taps *t)
{
	return t != NULL ? t->pfc_frames : 0;
}
