/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * pcap input in virtual time. The arrival of a record is the time its last
 * bit arrives; a link cannot deliver faster than its rate, so
 *   arrival_i = max(trace_i, arrival_{i-1} + wire_i, hold_until + wire_i)
 * and a trace denser than the line rate is stretched to it.
 */

#include <inttypes.h>
#include <string.h>

#include <fab_pkt.h>

#include "fab_port_pcap_priv.h"

#define PS_PER_NS 1000u
#define FAB_NS_PER_S 1000000000ll

static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t
trace_time_ps(const struct pcap_backend *b, int64_t ts_ns)
{
	/* Out-of-order timestamps count as simultaneous with the first. */
	uint64_t rel_ns = ts_ns > b->first_ts_ns ? (uint64_t)(ts_ns - b->first_ts_ns) : 0;

	if (rel_ns > (UINT64_MAX - b->start_ps) / PS_PER_NS)
		return UINT64_MAX;
	return b->start_ps + rel_ns * PS_PER_NS;
}

void
fab_port_pcap_read_ahead(struct pcap_backend *b)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int64_t ts_ns;
	int rc;

	b->pending = false;
	if (b->rx == NULL)
		return;
	for (;;) {
		rc = pcap_next_ex(b->rx, &h, &data);
		if (rc == PCAP_ERROR_BREAK)
			return; /* end of file */
		if (rc != 1) {
			/* A truncated or corrupt file: input ends here, loudly. */
			b->rx_err_file++;
			snprintf(b->last_error, sizeof(b->last_error),
				"rx pcap '%s': after record %" PRIu64 ": %s; input ends",
				b->rx_path, b->rec_no, pcap_geterr(b->rx));
			return;
		}
		b->rec_no++;
		/* Opened with nanosecond precision: tv_usec holds nanoseconds. */
		ts_ns = (int64_t)h->ts.tv_sec * FAB_NS_PER_S + (int64_t)h->ts.tv_usec;
		if (!b->have_first) {
			b->first_ts_ns = ts_ns;
			b->have_first = true;
		}
		if (h->len > FAB_PORT_MAX_FRAME) {
			b->rx_err_too_long++;
			snprintf(b->last_error, sizeof(b->last_error),
				"rx pcap '%s': record %" PRIu64 ": %u bytes, over %u; skipped",
				b->rx_path, b->rec_no, h->len, FAB_PORT_MAX_FRAME);
			continue;
		}
		if (h->caplen != h->len) {
			b->rx_err_snapped++;
			snprintf(b->last_error, sizeof(b->last_error),
				"rx pcap '%s': record %" PRIu64 ": %u of %u bytes captured; skipped",
				b->rx_path, b->rec_no, h->caplen, h->len);
			continue;
		}
		break;
	}
	b->rec_data = data;
	b->rec_len = h->len;
	b->rec_wire_ps = fab_wire_time_ps(h->len, b->rate_bps);
	if (b->timing == FAB_PORT_TIMING_LINE_RATE) {
		b->rec_base_ps = sat_add(b->have_prev ? b->prev_arrival_ps : b->start_ps,
				b->rec_wire_ps);
	} else {
		/* The first record arrives at its own time: the trace says so. */
		b->rec_base_ps = trace_time_ps(b, ts_ns);
		if (b->have_prev)
			b->rec_base_ps = RTE_MAX(b->rec_base_ps,
					sat_add(b->prev_arrival_ps, b->rec_wire_ps));
	}
	b->pending = true;
}

uint64_t
fab_port_pcap_arrival(const struct pcap_backend *b)
{
	if (!b->held)
		return b->rec_base_ps;
	return RTE_MAX(b->rec_base_ps, sat_add(b->hold_until_ps, b->rec_wire_ps));
}

/* Copy the record read ahead into a fresh mbuf chain, or NULL if the pool is dry. */
static struct rte_mbuf *
record_to_mbuf(struct pcap_backend *b)
{
	uint32_t len = b->rec_len, off = 0, nseg, i;
	struct rte_mbuf *head;

	nseg = len == 0 ? 1 : (len + b->seg_room - 1) / b->seg_room;
	/* All or nothing, so a dry pool leaves no half-built chain behind. */
	if (rte_pktmbuf_alloc_bulk(b->mempool, b->segs, nseg) != 0)
		return NULL;
	for (i = 0; i < nseg; i++) {
		struct rte_mbuf *m = b->segs[i];
		uint32_t chunk = RTE_MIN(b->seg_room, len - off);

		memcpy(rte_pktmbuf_mtod(m, uint8_t *), b->rec_data + off, chunk);
		m->data_len = (uint16_t)chunk;
		off += chunk;
		if (i + 1 < nseg)
			m->next = b->segs[i + 1];
	}
	head = b->segs[0];
	head->nb_segs = (uint16_t)nseg;
	head->pkt_len = len;
	return head;
}

uint16_t
fab_port_pcap_rx_burst(void *backend, struct fab_port_stats *stats, uint64_t now,
		struct rte_mbuf **pkts, uint64_t *arrival_ps, uint16_t n)
{
	struct pcap_backend *b = backend;
	uint16_t nb = 0;

	while (nb < n && b->pending) {
		uint64_t at = fab_port_pcap_arrival(b);
		struct rte_mbuf *m;

		if (at > now)
			break;
		m = record_to_mbuf(b);
		if (m == NULL) {
			/* The record stays first in line for the next burst. */
			stats->rx_nombuf++;
			break;
		}
		pkts[nb] = m;
		if (arrival_ps != NULL)
			arrival_ps[nb] = at;
		nb++;
		stats->rx_packets++;
		stats->rx_bytes += b->rec_len;
		b->prev_arrival_ps = at;
		b->have_prev = true;
		fab_port_pcap_read_ahead(b);
	}
	return nb;
}
