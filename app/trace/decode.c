/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A RoCE-aware decoder: one line per frame with what the switch and the
 * generator see (lib/pkt's parse), and the one check tshark 4.0 lacks: the
 * ICRC of every RoCEv2 frame is verified.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include <pcap/pcap.h>

#include <fab_pkt.h>

#include "trace.h"

struct decode_totals {
	uint64_t frames;
	uint64_t kind[FAB_PKT_KIND_MAX];
	uint64_t drop[FAB_PKT_DROP_MAX];
	uint64_t icrc_ok;
	uint64_t icrc_bad;
	uint64_t snapped;
};

static const char *
ecn_name(uint8_t ecn)
{
	static const char *const n[] = { "Not-ECT", "ECT1", "ECT0", "CE" };

	return n[ecn & 3];
}

static void
addr_str(const struct fab_flow_key *k, const union fab_ip_addr *a, char *s, size_t n)
{
	if (k->l3 == FAB_L3_IPV4)
		inet_ntop(AF_INET, &a->v4, s, (socklen_t)n);
	else
		inet_ntop(AF_INET6, a->v6, s, (socklen_t)n);
}

static void
print_ip(FILE *out, const struct fab_pkt_meta *mt)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	addr_str(&mt->key, &mt->key.src, src, sizeof(src));
	addr_str(&mt->key, &mt->key.dst, dst, sizeof(dst));
	if (mt->l4_proto == 17 && mt->l3 == FAB_L3_IPV6)
		fprintf(out, "[%s]:%u > [%s]:%u", src, ntohs(mt->key.src_port), dst,
			ntohs(mt->key.dst_port));
	else if (mt->l4_proto == 17)
		fprintf(out, "%s:%u > %s:%u", src, ntohs(mt->key.src_port), dst,
			ntohs(mt->key.dst_port));
	else
		fprintf(out, "%s > %s proto %u", src, dst, mt->l4_proto);
	fprintf(out, " dscp %u %s ttl %u", mt->dscp, ecn_name(mt->ecn), mt->ttl);
}

static void
print_roce(FILE *out, const struct fab_pkt_meta *mt, bool icrc_ok)
{
	fprintf(out, "  %s qp 0x%06x psn %u", fab_bth_opcode_name(mt->bth_opcode),
		mt->dest_qp, mt->psn);
	if (mt->flags & FAB_PKT_F_ACKREQ)
		fprintf(out, " ackreq");
	if (mt->flags & FAB_PKT_F_BECN)
		fprintf(out, " becn");
	if (mt->ext & FAB_EXT_AETH) {
		uint8_t s = mt->aeth_syndrome;

		if ((s & FAB_AETH_KIND_MASK) == FAB_AETH_NAK)
			fprintf(out, " NAK 0x%02x msn %u", s, mt->msn);
		else if ((s & FAB_AETH_KIND_MASK) == FAB_AETH_RNR_NAK)
			fprintf(out, " RNR-NAK 0x%02x msn %u", s, mt->msn);
		else
			fprintf(out, " ACK 0x%02x msn %u", s, mt->msn);
	}
	if (mt->ext & FAB_EXT_PAYLOAD)
		fprintf(out, " payload %u", mt->payload_len);
	fprintf(out, " icrc %s", icrc_ok ? "ok" : "BAD");
}

static void
print_pfc(FILE *out, const uint8_t *f, const struct fab_pkt_meta *mt)
{
	struct fab_pfc_frame pf;
	int i;

	if (fab_pfc_decode_buf(f, mt, &pf) != 0)
		return;
	if (pf.opcode == FAB_MAC_CTRL_PAUSE) {
		fprintf(out, "  PAUSE quanta %u", pf.quanta[0]);
		return;
	}
	fprintf(out, "  PFC enable 0x%02x", pf.enable);
	for (i = 0; i < FAB_NUM_PRIO; i++)
		if (pf.enable & (1u << i))
			fprintf(out, " p%d=%u%s", i, pf.quanta[i],
				pf.quanta[i] == 0 ? "(resume)" : "");
}

static void
decode_one(const struct pcap_pkthdr *h, const u_char *data, uint64_t t0_ns,
		const struct decode_opts *o, FILE *out, struct decode_totals *t)
{
	static uint8_t frame[262144];
	uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
	struct fab_pkt_meta mt;
	bool icrc_ok = false;
	int rc;

	t->frames++;
	/* A private copy: the ICRC masks bytes in place while it computes. */
	memcpy(frame, data, h->caplen);
	rc = fab_pkt_parse_buf(frame, h->caplen, &mt);
	if (rc == FAB_PKT_OK) {
		t->kind[mt.kind]++;
		if (mt.kind == FAB_PKT_KIND_ROCE) {
			icrc_ok = fab_icrc_verify_buf(frame, &mt);
			if (icrc_ok)
				t->icrc_ok++;
			else
				t->icrc_bad++;
		}
	} else {
		t->drop[rc]++;
	}
	if (h->caplen < h->len)
		t->snapped++;
	if (o->quiet)
		return;

	fprintf(out, "%7" PRIu64 " %4" PRIu64 ".%09" PRIu64 " %5u ", t->frames,
		(uint64_t)((ns - t0_ns) / 1000000000u), (uint64_t)((ns - t0_ns) % 1000000000u),
		h->len);
	if (h->caplen < h->len)
		fprintf(out, "[snapped to %u] ", h->caplen);
	if (mt.vlan_count > 0)
		fprintf(out, "vlan %u pcp %u%s ", mt.vlan_tci & 0xfff, mt.pcp,
			mt.vlan_count == 2 ? " (stacked)" : "");
	if (rc != FAB_PKT_OK) {
		fprintf(out, "MALFORMED %s\n", fab_pkt_drop_name(rc));
		return;
	}
	fprintf(out, "%-5s ", fab_pkt_kind_name(mt.kind));
	switch (mt.kind) {
	case FAB_PKT_KIND_ROCE:
		print_ip(out, &mt);
		print_roce(out, &mt, icrc_ok);
		break;
	case FAB_PKT_KIND_IP:
		print_ip(out, &mt);
		break;
	case FAB_PKT_KIND_PFC:
	case FAB_PKT_KIND_PAUSE:
		print_pfc(out, frame, &mt);
		break;
	case FAB_PKT_KIND_MAC_CTRL:
		fprintf(out, "  opcode 0x%04x", mt.mac_ctrl_op);
		break;
	default:
		fprintf(out, "ethertype 0x%04x", mt.ether_type);
		break;
	}
	fputc('\n', out);
}

static void
print_totals(FILE *out, const char *path, const struct decode_totals *t)
{
	int i;

	fprintf(out, "%s: %" PRIu64 " frames:", path, t->frames);
	for (i = 0; i < FAB_PKT_KIND_MAX; i++)
		if (t->kind[i] != 0)
			fprintf(out, " %s %" PRIu64, fab_pkt_kind_name(i), t->kind[i]);
	for (i = 1; i < FAB_PKT_DROP_MAX; i++)
		if (t->drop[i] != 0)
			fprintf(out, " malformed:%s %" PRIu64, fab_pkt_drop_name(i), t->drop[i]);
	fprintf(out, "; icrc ok %" PRIu64 ", bad %" PRIu64 " (crc path %s)",
		t->icrc_ok, t->icrc_bad, fab_crc_path_name(fab_crc_get_path()));
	if (t->snapped != 0)
		fprintf(out, "; %" PRIu64 " snapped by the capture", t->snapped);
	fputc('\n', out);
}

int
trace_decode(const char *path, const struct decode_opts *o, FILE *out)
{
	char err[PCAP_ERRBUF_SIZE];
	struct decode_totals t;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t t0 = 0;
	pcap_t *p;
	int rc, bad = 0;

	memset(&t, 0, sizeof(t));
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	if (p == NULL) {
		fprintf(stderr, "rocefab-trace: %s: %s\n", path, err);
		return 2;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "rocefab-trace: %s: link type %s, expected Ethernet\n",
			path, pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return 2;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (t.frames == 0)
			t0 = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
		decode_one(h, data, t0, o, out, &t);
	}
	if (rc == PCAP_ERROR) {
		/* A truncated file: say so, keep what was read. */
		fprintf(stderr, "rocefab-trace: %s: after %" PRIu64 " frames: %s\n", path,
			t.frames, pcap_geterr(p));
		bad = 2;
	}
	pcap_close(p);
	print_totals(out, path, &t);
	if (bad)
		return bad;
	if (o->check) {
		uint64_t drops = 0;
		int i;

		for (i = 1; i < FAB_PKT_DROP_MAX; i++)
			drops += t.drop[i];
		if (drops != 0 || t.icrc_bad != 0)
			return 1;
	}
	return 0;
}
