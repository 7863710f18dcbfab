/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rocefab-bench-gen: how many RoCEv2 RDMA WRITE packets one core builds and
 * sends, with valid ICRCs, through the generator's own path: the requester
 * of a lib/transport RC QP (fab_qp_tx_data(): headers, the (QPN, PSN)
 * payload pattern, the ICRC) into mbufs, 32 at a time to rte_eth_tx_burst()
 * on one ethdev port (by default a net_null vdev, which frees what it is
 * sent). bench/gen/run.sh runs it beside dpdk-testpmd's txonly mode.
 *
 * The QP's peer is simulated: nothing receives the WRITEs, so every
 * ACK_EVERY packets the program builds the cumulative ACK the responder
 * would send (fab_pkt_build_ack(), parsed with fab_pkt_parse()) and hands
 * it to fab_qp_rx(). That costs one small frame per ACK_EVERY data frames
 * and keeps the requester's window, completions and re-posting exactly as
 * in the generator. A second QP as the real responder would verify every
 * ICRC and payload byte on the same core and so measure the sink as much
 * as the source.
 *
 * EAL options, then --, then ours. Output: one line
 *   gen payload=1024 frame=1082 pps=... gbps=... crc=avx512 frames=... seconds=...
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <fab_pkt.h>
#include <fab_transport.h>

#define BURST 32
#define ACK_EVERY 1024          /* data packets per synthetic ACK */
#define MAX_WR_64 4096          /* > ACK_EVERY: 64-byte messages are one packet each */
#define MAX_WR_BIG 4            /* 64 MiB messages: at most 2^18 packets posted ahead */
#define PRECHECK_PKTS 1000
#define NB_MBUF 8191
#define TX_RETRIES 8
#define QPN_LOCAL 0x100
#define QPN_PEER 0x200

static volatile bool stop_now;

struct opts {
	uint32_t payload;
	double seconds;          /* 0: until SIGINT/SIGTERM */
	const char *crc;
	uint64_t verify_every;   /* 0: off */
	uint16_t port;
	int vlan;                /* -1: untagged */
	bool ipv6;
};

struct gen {
	struct fab_qp *qp;
	struct rte_mempool *pool;
	struct fab_roce_addr data_addr; /* the WRITEs' headers */
	struct fab_roce_addr peer_addr; /* the ACKs' headers */
	uint64_t msg_bytes;
	uint64_t posted;
	uint32_t since_ack;
	uint32_t last_psn;
	uint64_t bad_icrc;
	uint64_t verified;
	uint64_t dropped;
};

static void
on_signal(int sig __rte_unused)
{
	stop_now = true;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: rocefab-bench-gen [EAL options] -- [options]\n"
		"  --payload N      RDMA payload per packet: 64 (WRITE ONLY messages of 64 B,\n"
		"                   MTU 1024), 1024 (MTU 1024) or 4096 (MTU 4096); default 1024\n"
		"  --seconds S      timed run; 0: until SIGINT (default 5)\n"
		"  --crc PATH       scalar, sse42, avx512 or best (default best)\n"
		"  --verify N       parse and verify the ICRC of every Nth packet in the timed\n"
		"                   loop (default 0: off; the first %d are always verified)\n"
		"  --port P         ethdev port (default 0)\n"
		"  --vlan TCI       802.1Q-tagged frames (default untagged)\n"
		"  --ipv6           IPv6 frames (default IPv4)\n", PRECHECK_PKTS);
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "payload", required_argument, NULL, 'p' },
		{ "seconds", required_argument, NULL, 's' },
		{ "crc", required_argument, NULL, 'c' },
		{ "verify", required_argument, NULL, 'v' },
		{ "port", required_argument, NULL, 'P' },
		{ "vlan", required_argument, NULL, 'V' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	o->payload = 1024;
	o->seconds = 5;
	o->crc = "best";
	o->verify_every = 0;
	o->port = 0;
	o->vlan = -1;
	o->ipv6 = false;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->payload = (uint32_t)strtoul(optarg, &end, 0);
			if (*end != '\0' || (o->payload != 64 && o->payload != 1024 &&
					o->payload != 4096)) {
				fprintf(stderr, "rocefab-bench-gen: --payload: 64, 1024 or 4096\n");
				return -1;
			}
			break;
		case 's':
			o->seconds = strtod(optarg, &end);
			if (*end != '\0' || o->seconds < 0 || o->seconds > 1e6) {
				fprintf(stderr, "rocefab-bench-gen: --seconds: '%s'\n", optarg);
				return -1;
			}
			break;
		case 'c':
			o->crc = optarg;
			break;
		case 'v':
			o->verify_every = strtoull(optarg, &end, 0);
			if (*end != '\0') {
				fprintf(stderr, "rocefab-bench-gen: --verify: '%s'\n", optarg);
				return -1;
			}
			break;
		case 'P':
			o->port = (uint16_t)strtoul(optarg, &end, 0);
			break;
		case 'V':
			o->vlan = (int)strtoul(optarg, &end, 0);
			if (*end != '\0' || o->vlan > 0xffff) {
				fprintf(stderr, "rocefab-bench-gen: --vlan: a TCI, 0..0xffff\n");
				return -1;
			}
			break;
		case '6':
			o->ipv6 = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

static int
set_crc(const char *name)
{
	static const char *const names[FAB_CRC_PATH_MAX] = {
		[FAB_CRC_PATH_SCALAR] = "scalar",
		[FAB_CRC_PATH_SSE42] = "sse42",
		[FAB_CRC_PATH_AVX512] = "avx512",
	};
	int p;

	if (strcmp(name, "best") == 0) {
		fab_crc_select_best();
		return 0;
	}
	for (p = 0; p < FAB_CRC_PATH_MAX; p++)
		if (strcmp(name, names[p]) == 0)
			return fab_crc_set_path((enum fab_crc_path)p);
	return -EINVAL;
}

static int
port_init(uint16_t port, struct rte_mempool *pool)
{
	struct rte_eth_conf conf;
	int rc;

	memset(&conf, 0, sizeof(conf));
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	if (rc == 0)
		rc = rte_eth_rx_queue_setup(port, 0, 512, rte_eth_dev_socket_id(port), NULL, pool);
	if (rc == 0)
		rc = rte_eth_tx_queue_setup(port, 0, 512, rte_eth_dev_socket_id(port), NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	return rc;
}

/* Keep the QP's send queue full: re-post what the ACKs completed. */
static void
refill(struct gen *g)
{
	struct fab_qp_wc wc[256];

	while (fab_qp_poll_send(g->qp, wc, RTE_DIM(wc)) != 0)
		;
	while (fab_qp_post_write(g->qp, g->msg_bytes, g->posted) == 0)
		g->posted++;
}

/* The responder's cumulative ACK of everything sent so far. */
static int
feed_ack(struct gen *g, uint64_t now)
{
	struct fab_qp_rx_info info;
	struct fab_pkt_meta mt;
	struct rte_mbuf *m;
	uint32_t len;
	int rc;

	len = fab_pkt_roce_frame_len(&g->peer_addr, FAB_OP_RC_ACK, 0);
	m = rte_pktmbuf_alloc(g->pool);
	if (m == NULL)
		return -ENOMEM;
	rc = fab_pkt_build_ack(rte_pktmbuf_append(m, (uint16_t)len), len, &g->peer_addr,
			QPN_LOCAL, g->last_psn, FAB_AETH_ACK | FAB_AETH_CREDITS_UNLIMITED, 0);
	if (rc > 0 && fab_pkt_parse(m, &mt) == FAB_PKT_OK) {
		fab_qp_rx(g->qp, now, m, &mt, &info);
		rc = info.kind == FAB_QP_RX_ACK ? 0 : -EPROTO;
	} else {
		rc = -EPROTO;
	}
	rte_pktmbuf_free(m);
	g->since_ack = 0;
	refill(g);
	return rc;
}

static inline uint32_t
get_be32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return rte_be_to_cpu_32(v);
}

/*
 * The frame fab_pkt_build_write() builds for the same packet, with the
 * pattern as payload: the QP's own header writer must match it byte for byte.
 */
static bool
same_as_reference(const struct gen *g, const uint8_t *f, uint32_t len,
		const struct fab_pkt_meta *mt)
{
	static uint8_t ref[8192], pay[4096];
	static const enum fab_write_part parts[] = {
		[FAB_OP_RC_WRITE_FIRST] = FAB_WRITE_FIRST,
		[FAB_OP_RC_WRITE_MIDDLE] = FAB_WRITE_MIDDLE,
		[FAB_OP_RC_WRITE_LAST] = FAB_WRITE_LAST,
		[FAB_OP_RC_WRITE_ONLY] = FAB_WRITE_ONLY,
	};
	struct fab_reth reth = { 0 };
	uint32_t r = fab_pkt_ext_off(mt, FAB_EXT_RETH);
	int n;

	if (mt->bth_opcode < FAB_OP_RC_WRITE_FIRST || mt->bth_opcode > FAB_OP_RC_WRITE_ONLY ||
			mt->bth_opcode == FAB_OP_RC_WRITE_LAST_IMM || mt->payload_len > sizeof(pay))
		return false;
	if (r != 0) {
		reth.vaddr = (uint64_t)get_be32(f + r) << 32 | get_be32(f + r + 4);
		reth.rkey = get_be32(f + r + 8);
		reth.dma_len = get_be32(f + r + 12);
	}
	fab_qp_pattern_fill(mt->dest_qp, mt->psn, pay, mt->payload_len);
	n = fab_pkt_build_write(ref, sizeof(ref), &g->data_addr, parts[mt->bth_opcode],
			mt->dest_qp, mt->psn, (mt->flags & FAB_PKT_F_ACKREQ) != 0, &reth,
			pay, mt->payload_len);
	return n > 0 && (uint32_t)n == len && memcmp(ref, f, len) == 0;
}

/*
 * Parse the frame as a receiver would and check its ICRC; with @p full also
 * its payload pattern and every byte against the reference builder.
 */
static bool
frame_ok(const struct gen *g, struct rte_mbuf *m, bool full)
{
	struct fab_pkt_meta mt;

	if (fab_pkt_parse(m, &mt) != FAB_PKT_OK || mt.kind != FAB_PKT_KIND_ROCE)
		return false;
	if (!fab_icrc_verify(m, &mt))
		return false;
	if (!full)
		return true;
	return fab_qp_pattern_check(mt.dest_qp, mt.psn,
			rte_pktmbuf_mtod_offset(m, const uint8_t *, mt.payload_off),
			mt.payload_len) &&
		same_as_reference(g, rte_pktmbuf_mtod(m, const uint8_t *),
			rte_pktmbuf_data_len(m), &mt);
}

/* Build up to @p n data packets; runs the ACK loop when it is due. */
static unsigned int
build_burst(struct gen *g, uint64_t now, struct rte_mbuf **pkts, unsigned int n)
{
	bool acked = false;
	unsigned int k = 0;
	int rc;

	while (k < n) {
		rc = fab_qp_tx_data(g->qp, now, &pkts[k], NULL);
		if (rc == 1) {
			k++;
			g->since_ack++;
			g->last_psn = (g->last_psn + 1) & FAB_PSN_MASK;
			continue;
		}
		/* Out of mbufs, or the QP stalled even after an ACK. */
		if (rc < 0 || acked || g->since_ack == 0)
			break;
		/* Window or send queue exhausted early: acknowledge and re-post. */
		feed_ack(g, now);
		acked = true;
	}
	if (g->since_ack >= ACK_EVERY)
		feed_ack(g, now);
	return k;
}

static uint64_t
send_burst(struct gen *g, uint16_t port, struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int sent = 0, tries = 0;

	while (sent < n && tries++ < TX_RETRIES)
		sent += rte_eth_tx_burst(port, 0, pkts + sent, (uint16_t)(n - sent));
	if (sent < n) {
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		g->dropped += n - sent;
	}
	return sent;
}

int
main(int argc, char **argv)
{
	struct rte_mbuf *pkts[BURST];
	struct fab_qp_conf qc;
	struct fab_qp_stats st;
	struct opts o;
	struct gen g;
	uint64_t frames = 0, stalls = 0, t0, t1, deadline, hz, i, n_verify_pkts = 0;
	uint32_t frame_len, mtu, data_room;
	double secs, pps;
	int rc;

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		fprintf(stderr, "rocefab-bench-gen: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	if (parse_opts(argc, argv, &o) != 0)
		return 2;
	if (set_crc(o.crc) != 0) {
		fprintf(stderr, "rocefab-bench-gen: --crc %s: not available here%s\n", o.crc,
			strcmp(o.crc, "avx512") == 0 ?
			" (needs AVX512F/BW/DQ/VL, VPCLMULQDQ and --force-max-simd-bitwidth=512)" : "");
		return 2;
	}
	if (!rte_eth_dev_is_valid_port(o.port)) {
		fprintf(stderr, "rocefab-bench-gen: no port %u (try --vdev net_null0,no-rx=1)\n",
			o.port);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	mtu = o.payload == 4096 ? 4096 : 1024;
	data_room = RTE_PKTMBUF_HEADROOM + RTE_ALIGN_CEIL(mtu + 128, 64);
	memset(&g, 0, sizeof(g));
	g.pool = rte_pktmbuf_pool_create("gen_pool", NB_MBUF, 256, 0, (uint16_t)data_room,
			(int)rte_socket_id());
	if (g.pool == NULL) {
		fprintf(stderr, "rocefab-bench-gen: mbuf pool: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	if (port_init(o.port, g.pool) != 0) {
		fprintf(stderr, "rocefab-bench-gen: port %u would not start\n", o.port);
		return 1;
	}

	memset(&qc, 0, sizeof(qc));
	qc.qpn = QPN_LOCAL;
	qc.peer_qpn = QPN_PEER;
	rte_eth_macaddr_get(o.port, &qc.addr.src_mac);
	qc.addr.dst_mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x02 } };
	qc.addr.l3 = FAB_L3_IPV4;
	qc.addr.src_ip.v4 = rte_cpu_to_be_32(0xc6120001); /* 198.18.0.1 */
	qc.addr.dst_ip.v4 = rte_cpu_to_be_32(0xc6120101); /* 198.18.1.1 */
	if (o.ipv6) {
		static const uint8_t src6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
		static const uint8_t dst6[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 };

		qc.addr.l3 = FAB_L3_IPV6;
		memcpy(qc.addr.src_ip.v6, src6, 16);
		memcpy(qc.addr.dst_ip.v6, dst6, 16);
		qc.addr.flow_label = 0x12345;
	}
	if (o.vlan >= 0) {
		qc.addr.has_vlan = true;
		qc.addr.vlan_tci = (uint16_t)o.vlan;
	}
	qc.addr.dscp = 26;
	qc.addr.ecn = 2;
	qc.addr.udp_src_port = 49152;
	qc.ack_dscp = 48;
	qc.mtu = mtu;
	qc.psn0 = 0;
	qc.retry_cnt = 0xff;
	qc.window = (1u << 23) - 1;
	qc.max_wr = o.payload == 64 ? MAX_WR_64 : MAX_WR_BIG;
	qc.pool = g.pool;
	qc.socket_id = (int)rte_socket_id();
	g.qp = fab_qp_create(&qc);
	if (g.qp == NULL) {
		fprintf(stderr, "rocefab-bench-gen: QP: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	g.data_addr = qc.addr;
	g.peer_addr = qc.addr;
	g.peer_addr.src_mac = qc.addr.dst_mac;
	g.peer_addr.dst_mac = qc.addr.src_mac;
	g.peer_addr.src_ip = qc.addr.dst_ip;
	g.peer_addr.dst_ip = qc.addr.src_ip;
	g.peer_addr.dscp = qc.ack_dscp;
	g.peer_addr.ecn = 0;
	/* 64 B: one WRITE ONLY per message; else messages of 64 MiB, re-posted. */
	g.msg_bytes = o.payload == 64 ? 64 : UINT64_C(1) << 26;
	g.last_psn = FAB_PSN_MASK; /* one before psn0 */
	refill(&g);
	frame_len = fab_pkt_roce_frame_len(&qc.addr,
		o.payload == 64 ? FAB_OP_RC_WRITE_ONLY : FAB_OP_RC_WRITE_MIDDLE, o.payload);

	/* Before timing: the first packets must parse, carry the right ICRC and pattern. */
	for (i = 0; i < PRECHECK_PKTS; ) {
		unsigned int k, n = build_burst(&g, 0, pkts, BURST);

		if (n == 0) {
			fprintf(stderr, "rocefab-bench-gen: the QP built nothing\n");
			return 1;
		}
		for (k = 0; k < n; k++)
			if (!frame_ok(&g, pkts[k], true))
				g.bad_icrc++;
		i += n;
		frames += send_burst(&g, o.port, pkts, n);
	}
	n_verify_pkts = i;
	if (g.bad_icrc != 0) {
		fprintf(stderr, "rocefab-bench-gen: %" PRIu64 " of the first %" PRIu64
			" packets have a wrong ICRC or payload or differ from fab_pkt_build_write()\n", g.bad_icrc, i);
		return 1;
	}

	hz = rte_get_tsc_hz();
	rte_eth_stats_reset(o.port);
	frames = 0;
	t0 = rte_rdtsc();
	deadline = o.seconds > 0 ? t0 + (uint64_t)(o.seconds * (double)hz) : UINT64_MAX;
	t1 = t0;
	while (!stop_now && t1 < deadline && stalls < 1000) {
		/* The QP's clock (ps); no timer runs, so only RTT samples read it. */
		uint64_t now = (t1 - t0) * (UINT64_C(1000000000000) / hz);
		unsigned int n = build_burst(&g, now, pkts, BURST);

		/* A QP that builds nothing (mbufs all gone, an error) ends the run. */
		stalls = n == 0 ? stalls + 1 : 0;
		if (o.verify_every != 0) {
			unsigned int k;

			for (k = 0; k < n; k++)
				if ((frames + k) % o.verify_every == 0) {
					g.verified++;
					if (!frame_ok(&g, pkts[k], false))
						g.bad_icrc++;
				}
		}
		frames += send_burst(&g, o.port, pkts, n);
		t1 = rte_rdtsc();
	}
	secs = (double)(t1 - t0) / (double)hz;
	if (stalls != 0)
		fprintf(stderr, "rocefab-bench-gen: the QP stopped building packets\n");
	pps = secs > 0 ? (double)frames / secs : 0;
	fab_qp_stats(g.qp, &st);
	printf("gen payload=%u frame=%u pps=%.0f gbps=%.3f crc=%s frames=%" PRIu64
		" seconds=%.3f dropped=%" PRIu64 " verified=%" PRIu64 " bad=%" PRIu64
		" prechecked=%" PRIu64 " acks=%" PRIu64 " nombuf=%" PRIu64 "\n",
		o.payload, frame_len, pps, pps * frame_len * 8 / 1e9,
		fab_crc_path_name(fab_crc_get_path()), frames, secs, g.dropped, g.verified,
		g.bad_icrc, n_verify_pkts, st.rx_acks, st.nombuf);
	fflush(stdout);
	rte_eth_dev_stop(o.port);
	fab_qp_free(g.qp);
	rte_eal_cleanup();
	return g.bad_icrc != 0 || stalls != 0 ? 1 : 0;
}
