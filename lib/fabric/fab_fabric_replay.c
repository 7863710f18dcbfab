/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Trace replay: the RoCEv2 frames of a pcap file injected at fabric hosts
 * with the trace's timing (scaled, like tcpreplay's multiplier). The
 * trace's addresses are mapped onto hosts: a frame whose source and
 * destination both map is rewritten (MACs to the host and its gateway, IP
 * addresses to the hosts', IPv4 header checksum and ICRC recomputed) and
 * sent by the source host when its time comes, as back-pressure allows.
 * Everything else is skipped and counted. The whole trace is read at
 * start, so the run never touches the file again.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <rte_byteorder.h>
#include <rte_ip.h>

#include "fab_fabric_private.h"

/* Largest frame replayed: a jumbo frame. */
#define REPLAY_MAX_FRAME 9216

struct replay_frame {
	uint64_t t;                /* injection time, ps */
	uint32_t len;
	uint32_t off;              /* into the host's blob */
	uint8_t cls;
};

struct fabric_replay {
	uint32_t nb, cap, next;
	struct replay_frame *f;
	uint8_t *blob;
	size_t blob_len, blob_cap;
};

int
fab_fabric_add_replay(struct fab_fabric *fab, const struct fab_replay_conf *conf)
{
	struct fab_replay_conf *c;
	uint32_t i;

	if (fab == NULL || conf == NULL || conf->path == NULL || conf->nb_map == 0 ||
			conf->map == NULL)
		return -EINVAL;
	if (fab->started)
		return fabric_fail(fab, -EINVAL, "replay %s: the fabric has started", conf->path);
	if (!(conf->speed > 0))
		return fabric_fail(fab, -EINVAL, "replay %s: the speed must be above 0",
			conf->path);
	for (i = 0; i < conf->nb_map; i++)
		if (conf->map[i].host < 0 || (uint32_t)conf->map[i].host >= fab->nb_nodes ||
				fab->nodes[conf->map[i].host]->kind != FAB_NODE_HOST)
			return fabric_fail(fab, -EINVAL, "replay %s: map entry %u is not a host",
				conf->path, i);
	if (fab->nb_replays == fab->cap_replays) {
		uint32_t cap = fab->cap_replays == 0 ? 4 : fab->cap_replays * 2;
		struct fab_replay_conf *grown = realloc(fab->replays, cap * sizeof(*grown));

		if (grown == NULL)
			return fabric_fail(fab, -ENOMEM, "out of memory");
		fab->replays = grown;
		fab->cap_replays = cap;
	}
	c = &fab->replays[fab->nb_replays];
	*c = *conf;
	c->path = strdup(conf->path);
	c->map = malloc(conf->nb_map * sizeof(*c->map));
	if (c->path == NULL || c->map == NULL) {
		free((void *)(uintptr_t)c->path);
		free(c->map);
		return fabric_fail(fab, -ENOMEM, "out of memory");
	}
	memcpy(c->map, conf->map, conf->nb_map * sizeof(*c->map));
	return (int)fab->nb_replays++;
}

void
fabric_replay_free_all(struct fab_fabric *fab)
{
	uint32_t i;

	for (i = 0; i < fab->nb_replays; i++) {
		free((void *)(uintptr_t)fab->replays[i].path);
		free(fab->replays[i].map);
	}
	free(fab->replays);
}

void
fabric_replay_free(struct fabric_replay *r)
{
	if (r == NULL)
		return;
	free(r->f);
	free(r->blob);
	free(r);
}

/* The host a trace address maps to; -1 if none. */
static int
map_addr(const struct fab_replay_conf *c, uint8_t l3, const uint8_t *addr)
{
	uint32_t i;

	for (i = 0; i < c->nb_map; i++) {
		const struct fab_replay_map *m = &c->map[i];

		if (m->l3 != l3)
			continue;
		if (l3 == FAB_L3_IPV4 ? memcmp(&m->trace_ip.v4, addr, 4) == 0 :
				memcmp(m->trace_ip.v6, addr, 16) == 0)
			return m->host;
	}
	return -1;
}

static int
push_frame(struct fabric_replay *r, uint64_t t, const uint8_t *data, uint32_t len, uint8_t cls)
{
	if (r->nb == r->cap) {
		uint32_t cap = r->cap == 0 ? 256 : r->cap * 2;
		struct replay_frame *grown = realloc(r->f, cap * sizeof(*grown));

		if (grown == NULL)
			return -ENOMEM;
		r->f = grown;
		r->cap = cap;
	}
	if (r->blob_len + len > r->blob_cap) {
		size_t cap = RTE_MAX(r->blob_cap * 2, r->blob_len + len + 65536);
		uint8_t *grown = realloc(r->blob, cap);

		if (grown == NULL)
			return -ENOMEM;
		r->blob = grown;
		r->blob_cap = cap;
	}
	memcpy(r->blob + r->blob_len, data, len);
	r->f[r->nb++] = (struct replay_frame){ .t = t, .len = len, .off = (uint32_t)r->blob_len,
		.cls = cls };
	r->blob_len += len;
	return 0;
}

/* Rewrite one frame for its new ends; false when it cannot be replayed. */
static bool
rewrite(struct fab_fabric *fab, uint8_t *buf, uint32_t len, const struct fab_pkt_meta *mt,
		const struct fabric_node *src, const struct fabric_node *dst)
{
	const struct fabric_port *fp = &src->ports[0];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct fab_pkt_meta again;

	if (src->host->conf.l3 != mt->l3 || dst->host->conf.l3 != mt->l3)
		return false;
	eth->src_addr = src->host->conf.mac;
	eth->dst_addr = fab->nodes[fp->peer]->ports[fp->peer_port].mac;
	if (mt->l3 == FAB_L3_IPV4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + mt->l3_off);

		ip->src_addr = src->host->conf.ip.v4;
		ip->dst_addr = dst->host->conf.ip.v4;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(buf + mt->l3_off);

		memcpy(ip->src_addr, src->host->conf.ip.v6, 16);
		memcpy(ip->dst_addr, dst->host->conf.ip.v6, 16);
	}
	if (fab_pkt_parse_buf(buf, len, &again) != FAB_PKT_OK)
		return false;
	fab_icrc_set_buf(buf, &again);
	return true;
}

/* Read one trace into the hosts' replay lists. */
static int
load_trace(struct fab_fabric *fab, const struct fab_replay_conf *c)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	uint8_t buf[REPLAY_MAX_FRAME];
	bool have_t0 = false;
	uint64_t t0 = 0;
	pcap_t *p;
	int ret, rc = 0;

	p = pcap_open_offline_with_tstamp_precision(c->path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL)
		return fabric_fail(fab, -EINVAL, "replay %s: %s", c->path, errbuf);
	if (pcap_datalink(p) != DLT_EN10MB) {
		pcap_close(p);
		return fabric_fail(fab, -EINVAL, "replay %s: not an Ethernet trace", c->path);
	}
	while ((ret = pcap_next_ex(p, &ph, &data)) == 1) {
		uint64_t ts = (uint64_t)ph->ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ph->ts.tv_usec;
		struct fab_pkt_meta mt;
		int s, d;
		struct fabric_node *sn, *dn;
		const uint8_t *sa, *da;
		uint64_t rel;

		if (!have_t0) {
			t0 = ts;
			have_t0 = true;
		}
		fab->replay_stats.frames++;
		if (ph->caplen != ph->len || ph->caplen > REPLAY_MAX_FRAME ||
				fab_pkt_parse_buf(data, ph->caplen, &mt) != FAB_PKT_OK ||
				mt.kind != FAB_PKT_KIND_ROCE) {
			fab->replay_stats.skipped++;
			continue;
		}
		if (mt.l3 == FAB_L3_IPV4) {
			sa = data + mt.l3_off + 12;
			da = data + mt.l3_off + 16;
		} else {
			sa = data + mt.l3_off + 8;
			da = data + mt.l3_off + 24;
		}
		s = map_addr(c, mt.l3, sa);
		d = map_addr(c, mt.l3, da);
		if (s < 0 || d < 0 || s == d) {
			fab->replay_stats.unmapped++;
			continue;
		}
		sn = fab->nodes[s];
		dn = fab->nodes[d];
		memcpy(buf, data, ph->caplen);
		if (!rewrite(fab, buf, ph->caplen, &mt, sn, dn)) {
			fab->replay_stats.skipped++;
			continue;
		}
		/* Relative time scaled by the speed: 2.0 replays twice as fast. */
		rel = ts >= t0 ? ts - t0 : 0;
		if (sn->replay == NULL && (sn->replay = calloc(1, sizeof(*sn->replay))) == NULL) {
			rc = -ENOMEM;
			break;
		}
		rc = push_frame(sn->replay, c->start_ps + (uint64_t)((double)rel * 1000.0 / c->speed),
			buf, ph->caplen,
			sn->host->conf.dscp_to_class[mt.dscp & 63] & (FAB_NUM_PRIO - 1));
		if (rc < 0)
			break;
		fab->replay_stats.loaded++;
		fab->replay_max_frame = RTE_MAX(fab->replay_max_frame, ph->caplen);
	}
	if (ret == PCAP_ERROR && rc == 0)
		rc = fabric_fail(fab, -EINVAL, "replay %s: %s", c->path, pcap_geterr(p));
	else if (rc == -ENOMEM)
		rc = fabric_fail(fab, -ENOMEM, "replay %s: out of memory", c->path);
	pcap_close(p);
	return rc;
}

static int
frame_cmp(const void *pa, const void *pb)
{
	const struct replay_frame *a = pa, *b = pb;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->off < b->off ? -1 : a->off > b->off;
}

int
fabric_replay_start(struct fab_fabric *fab)
{
	uint32_t i;
	int ret;

	for (i = 0; i < fab->nb_replays; i++) {
		ret = load_trace(fab, &fab->replays[i]);
		if (ret < 0)
			return ret;
	}
	/* Traces mix by time; frames of one time keep the order they were read in. */
	for (i = 0; i < fab->nb_nodes; i++) {
		struct fabric_replay *r = fab->nodes[i]->replay;

		if (r != NULL && r->nb > 1)
			qsort(r->f, r->nb, sizeof(*r->f), frame_cmp);
	}
	return 0;
}

/* Send the frames whose time has come while their class has room; returns frames sent. */
uint32_t
fabric_replay_fill(struct fab_fabric *fab, struct fabric_node *n, uint64_t now)
{
	struct fabric_replay *r = n->replay;
	struct fabric_host *h = n->host;
	uint32_t sent = 0;

	while (r->next < r->nb && r->f[r->next].t <= now) {
		const struct replay_frame *f = &r->f[r->next];
		struct rte_mbuf *m;

		if (fab_sched_queue_pkts(h->sched, f->cls) >= h->queue_frames)
			break; /* the NIC's back-pressure: later frames wait too */
		m = rte_pktmbuf_alloc(fab->pool);
		if (m == NULL) {
			h->st.nombuf++;
			break;
		}
		memcpy(rte_pktmbuf_mtod(m, void *), r->blob + f->off, f->len);
		rte_pktmbuf_append(m, (uint16_t)f->len);
		if (fab_sched_enqueue(h->sched, f->cls, m, f->len) != 0) {
			rte_pktmbuf_free(m);
			break;
		}
		h->st.tx_frames++;
		h->st.tx_bytes += f->len;
		fab->replay_stats.sent++;
		r->next++;
		sent++;
	}
	return sent;
}

uint64_t
fabric_replay_next(const struct fabric_node *n)
{
	const struct fabric_replay *r = n->replay;
	const struct fabric_host *h = n->host;

	if (r == NULL || r->next >= r->nb)
		return UINT64_MAX;
	/* A full class waits for its egress, whose release is an event of its own. */
	if (fab_sched_queue_pkts(h->sched, r->f[r->next].cls) >= h->queue_frames)
		return UINT64_MAX;
	return r->f[r->next].t;
}

int
fab_fabric_replay_stats(const struct fab_fabric *fab, struct fab_replay_stats *out)
{
	if (fab == NULL || out == NULL)
		return -EINVAL;
	*out = fab->replay_stats;
	return 0;
}
