/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * ICRC against known answers from scapy (IPv4) and the zlib reference
 * (IPv6), on flat buffers and on mbuf chains of every segmentation, on every
 * CRC path this machine has; CRC combine against zlib; and the promise that
 * a switch's rewrites leave the ICRC valid.
 */

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <fab_pkt.h>

#include "fab_test_vectors.h"
#include "icrc_ref.h"

static const char *const roce_vectors[] = {
	"v4_write_first", "v4_write_middle", "v4_write_last", "v4_write_only",
	"v4_ack", "v4_nak", "v4_cnp", "v4_vlan_write_middle",
	"v6_write_first", "v6_ack", "v6_cnp",
};

static uint32_t
stored_icrc(const uint8_t *f, const struct fab_pkt_meta *mt)
{
	uint32_t off = mt->payload_off + mt->payload_len + mt->pad_count;

	return (uint32_t)f[off] | (uint32_t)f[off + 1] << 8 |
		(uint32_t)f[off + 2] << 16 | (uint32_t)f[off + 3] << 24;
}

static void
test_vectors_flat(void)
{
	uint8_t f[VEC_MAX];
	size_t i;

	for (i = 0; i < RTE_DIM(roce_vectors); i++) {
		struct fab_pkt_meta mt;
		uint32_t ref;
		size_t ref_off;
		int n = load_vector(roce_vectors[i], f);

		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_ROCE);
		CU_ASSERT_EQUAL_FATAL(fab_ref_icrc(f, (size_t)n, &ref, &ref_off), 0);
		CU_ASSERT_EQUAL(ref_off, mt.payload_off + mt.payload_len + mt.pad_count);
		CU_ASSERT_EQUAL(fab_icrc_compute_buf(f, &mt), stored_icrc(f, &mt));
		CU_ASSERT_EQUAL(fab_icrc_compute_buf(f, &mt), ref);
		CU_ASSERT_TRUE(fab_icrc_verify_buf(f, &mt));
	}
}

/* Every segmentation, from 1-byte segments (headers straddle) to one segment. */
static void
test_vectors_mbuf_segmented(void)
{
	static const uint32_t segs[] = { 1, 3, 7, 13, 40, 64, 100, 128, 256, 2048 };
	uint8_t f[VEC_MAX];
	size_t i, s;

	for (i = 0; i < RTE_DIM(roce_vectors); i++) {
		int n = load_vector(roce_vectors[i], f);
		struct fab_pkt_meta flat;

		fab_pkt_parse_buf(f, (uint32_t)n, &flat);
		for (s = 0; s < RTE_DIM(segs); s++) {
			struct rte_mbuf *m = fab_test_mbuf_from(f, (uint32_t)n, segs[s]);
			struct fab_pkt_meta mt;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			CU_ASSERT_EQUAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
			CU_ASSERT_EQUAL(fab_icrc_compute(m, &mt), stored_icrc(f, &flat));
			CU_ASSERT_TRUE(fab_icrc_verify(m, &mt));
			/* Computing must not leave the masked bytes behind. */
			{
				uint8_t back[VEC_MAX];
				const uint8_t *p = rte_pktmbuf_read(m, 0, (uint32_t)n, back);

				CU_ASSERT_EQUAL(memcmp(p, f, (size_t)n), 0);
			}
			rte_pktmbuf_free(m);
		}
	}
}

static void
test_all_paths_agree(void)
{
	enum fab_crc_path saved = fab_crc_get_path();
	uint8_t *buf = malloc(9000);
	int p, checked = 0;
	uint32_t len;

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	srand(7);
	for (len = 0; len < 9000; len++)
		buf[len] = (uint8_t)rand();
	CU_ASSERT_TRUE(fab_crc_path_available(FAB_CRC_PATH_SCALAR));
	for (p = 0; p < FAB_CRC_PATH_MAX; p++) {
		static const uint32_t lens[] = { 0, 1, 15, 16, 17, 63, 64, 65, 255,
			256, 1024, 1500, 4096, 4177, 8999 };
		size_t i;

		if (!fab_crc_path_available((enum fab_crc_path)p)) {
			CU_ASSERT_EQUAL(fab_crc_set_path((enum fab_crc_path)p), -ENOTSUP);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(fab_crc_set_path((enum fab_crc_path)p), 0);
		CU_ASSERT_EQUAL(fab_crc_get_path(), p);
		for (i = 0; i < RTE_DIM(lens); i++)
			CU_ASSERT_EQUAL(fab_crc32(buf, lens[i]),
				(uint32_t)crc32(0L, buf, lens[i]));
		for (i = 0; i < 200; i++) {
			uint32_t off = (uint32_t)rand() % 4000, l = (uint32_t)rand() % 5000;

			CU_ASSERT_EQUAL(fab_crc32(buf + off, l),
				(uint32_t)crc32(0L, buf + off, l));
		}
		test_vectors_flat();
		checked++;
	}
	/* This suite's EAL allows 512-bit SIMD: where the CPU has the
	 * instructions, all three paths must have been compared. */
	CU_ASSERT_TRUE(checked >= 1);
	printf(" [crc paths checked: %d, best: %s] ", checked,
		fab_crc_path_name(fab_crc_select_best()));
	fab_crc_set_path(saved);
	free(buf);
}

static void
test_combine_matches_zlib(void)
{
	uint8_t buf[3000];
	int i;

	srand(11);
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (i = 0; i < 300; i++) {
		uint32_t a = (uint32_t)rand() % 1500, b = (uint32_t)rand() % 1500;
		uint32_t ca = fab_crc32(buf, a), cb = fab_crc32(buf + a, b);

		CU_ASSERT_EQUAL(fab_crc32_combine(ca, cb, b), fab_crc32(buf, a + b));
		CU_ASSERT_EQUAL(fab_crc32_combine(ca, cb, b),
			(uint32_t)crc32_combine(ca, cb, (z_off_t)b));
	}
}

/* A switch marks CE, remarks DSCP and decrements TTL: the ICRC stays valid. */
static void
test_switch_rewrites_keep_icrc(void)
{
	static const char *const v[] = { "v4_write_only", "v4_vlan_write_middle",
		"v6_write_first" };
	uint8_t f[VEC_MAX];
	size_t i;

	for (i = 0; i < RTE_DIM(v); i++) {
		int n = load_vector(v[i], f);
		struct rte_mbuf *m = fab_test_mbuf_from(f, (uint32_t)n, 2048);
		struct fab_pkt_meta mt, again;
		uint8_t ttl;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
		CU_ASSERT_EQUAL(mt.ecn, 2);
		ttl = mt.ttl;
		CU_ASSERT_EQUAL(fab_pkt_mark_ce(m, &mt), 1);
		CU_ASSERT_EQUAL(fab_pkt_set_dscp(m, &mt, 46), 0);
		CU_ASSERT_EQUAL(fab_pkt_dec_ttl(m, &mt), ttl - 1);
		/* Re-parsing checks the IPv4 header checksum too. */
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(m, &again), FAB_PKT_OK);
		CU_ASSERT_EQUAL(again.ecn, 3);
		CU_ASSERT_EQUAL(again.dscp, 46);
		CU_ASSERT_EQUAL(again.ttl, ttl - 1);
		CU_ASSERT_TRUE(fab_icrc_verify(m, &again));
		/* ...but the payload is covered. */
		*rte_pktmbuf_mtod_offset(m, uint8_t *, again.payload_off) ^= 0x01;
		CU_ASSERT_FALSE(fab_icrc_verify(m, &again));
		rte_pktmbuf_free(m);
	}
}

static void
test_corruption_detected(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("v4_write_first", f), bit;
	struct fab_pkt_meta mt;

	fab_pkt_parse_buf(f, (uint32_t)n, &mt);
	/* Flip one bit at a time over every covered byte that is not masked. */
	for (bit = 8 * (mt.l4_off + 8 + 5); bit < 8 * (n - 4); bit += 37) {
		f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		CU_ASSERT_FALSE(fab_icrc_verify_buf(f, &mt));
		f[bit / 8] ^= (uint8_t)(1u << (bit % 8));
	}
	CU_ASSERT_TRUE(fab_icrc_verify_buf(f, &mt));
}

/* A 9000-byte jumbo frame in 2 KB segments, as net_pcap delivers it. */
static void
test_jumbo_multiseg(void)
{
	struct fab_roce_addr a = {
		.l3 = FAB_L3_IPV4, .ecn = 2, .udp_src_port = 50001,
	};
	static uint8_t frame[9100], payload[8900];
	struct fab_pkt_meta mt;
	struct rte_mbuf *m;
	uint32_t ref;
	size_t ref_off;
	int n, i;

	a.src_ip.v4 = rte_cpu_to_be_32(0x0a000001);
	a.dst_ip.v4 = rte_cpu_to_be_32(0x0a000102);
	for (i = 0; i < (int)sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 31);
	n = fab_pkt_build_write(frame, sizeof(frame), &a, FAB_WRITE_MIDDLE, 0x77, 5,
		false, NULL, payload, sizeof(payload));
	CU_ASSERT_EQUAL_FATAL(n, 14 + 20 + 8 + 12 + 8900 + 4);
	CU_ASSERT_EQUAL_FATAL(fab_ref_icrc(frame, (size_t)n, &ref, &ref_off), 0);
	m = fab_test_mbuf_from(frame, (uint32_t)n, 2048);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(m->nb_segs, 5);
	i = fab_pkt_parse(m, &mt);
	if (i != FAB_PKT_OK)
		printf("parse: %s\n", fab_pkt_drop_name(i));
	CU_ASSERT_EQUAL_FATAL(i, FAB_PKT_OK);
	CU_ASSERT_TRUE(mt.flags & FAB_PKT_F_MULTISEG);
	CU_ASSERT_EQUAL(mt.payload_len, 8900);
	CU_ASSERT_EQUAL(fab_icrc_compute(m, &mt), ref);
	CU_ASSERT_TRUE(fab_icrc_verify(m, &mt));
	rte_pktmbuf_free(m);
}

static void
test_not_roce_has_no_icrc(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("pfc_p3", f);
	struct fab_pkt_meta mt;

	fab_pkt_parse_buf(f, (uint32_t)n, &mt);
	CU_ASSERT_FALSE(fab_icrc_verify_buf(f, &mt));
	CU_ASSERT_EQUAL(fab_icrc_compute_buf(f, &mt), 0);
}

int
fab_suite_icrc(void)
{
	CU_pSuite s = fab_test_add_suite("icrc");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_vectors_flat);
	FAB_ADD_TEST(s, test_vectors_mbuf_segmented);
	FAB_ADD_TEST(s, test_all_paths_agree);
	FAB_ADD_TEST(s, test_combine_matches_zlib);
	FAB_ADD_TEST(s, test_switch_rewrites_keep_icrc);
	FAB_ADD_TEST(s, test_corruption_detected);
	FAB_ADD_TEST(s, test_jumbo_multiseg);
	FAB_ADD_TEST(s, test_not_roce_has_no_icrc);
	return 0;
}
