/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* PFC and PAUSE frames against scapy's mac_control bytes, and the time arithmetic. */

#include <string.h>

#include <fab_pkt.h>

#include "fab_test_vectors.h"

static const struct rte_ether_addr src = { { 2, 0, 0, 0, 0, 1 } };

static void
test_pfc_build_equals_scapy(void)
{
	uint16_t q[FAB_NUM_PRIO] = { 0 };
	uint8_t out[64], want[VEC_MAX];
	int n;

	q[3] = 0xffff;
	q[5] = 0x1111; /* class 5 not enabled: must be written as 0 */
	CU_ASSERT_EQUAL(fab_pfc_build(out, sizeof(out), &src, 0x08, q), FAB_PFC_FRAME_LEN);
	n = load_vector("pfc_p3", want);
	CU_ASSERT_EQUAL_FATAL(n, FAB_PFC_FRAME_LEN);
	CU_ASSERT_EQUAL(memcmp(out, want, (size_t)n), 0);

	memset(q, 0, sizeof(q));
	CU_ASSERT_EQUAL(fab_pfc_build(out, sizeof(out), &src, 0x18, q), FAB_PFC_FRAME_LEN);
	n = load_vector("pfc_p3_p4_resume", want);
	CU_ASSERT_EQUAL(memcmp(out, want, (size_t)n), 0);

	CU_ASSERT_EQUAL(fab_pause_build(out, sizeof(out), &src, 0x1234), FAB_PFC_FRAME_LEN);
	n = load_vector("pause", want);
	CU_ASSERT_EQUAL(memcmp(out, want, (size_t)n), 0);

	CU_ASSERT_EQUAL(fab_pfc_build(out, 59, &src, 0x08, q), -ENOSPC);
	CU_ASSERT_EQUAL(fab_pause_build(out, 10, &src, 1), -ENOSPC);
}

static void
test_pfc_parse_decode(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("pfc_p3", f), i;
	struct fab_pkt_meta mt;
	struct fab_pfc_frame pf;
	struct rte_mbuf *m;

	CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_PFC);
	CU_ASSERT_EQUAL(mt.mac_ctrl_op, FAB_MAC_CTRL_PFC);
	CU_ASSERT_EQUAL(fab_pfc_decode_buf(f, &mt, &pf), 0);
	CU_ASSERT_EQUAL(pf.opcode, FAB_MAC_CTRL_PFC);
	CU_ASSERT_EQUAL(pf.enable, 0x08);
	for (i = 0; i < FAB_NUM_PRIO; i++)
		CU_ASSERT_EQUAL(pf.quanta[i], i == 3 ? 0xffff : 0);

	m = fab_test_mbuf_from(f, (uint32_t)n, 17); /* body straddles segments */
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	memset(&pf, 0, sizeof(pf));
	CU_ASSERT_EQUAL(fab_pkt_parse(m, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(fab_pfc_decode(m, &mt, &pf), 0);
	CU_ASSERT_EQUAL(pf.enable, 0x08);
	CU_ASSERT_EQUAL(pf.quanta[3], 0xffff);
	rte_pktmbuf_free(m);

	n = load_vector("pause", f);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_PAUSE);
	CU_ASSERT_EQUAL(fab_pfc_decode_buf(f, &mt, &pf), 0);
	CU_ASSERT_EQUAL(pf.enable, 0xff);
	for (i = 0; i < FAB_NUM_PRIO; i++)
		CU_ASSERT_EQUAL(pf.quanta[i], 0x1234);

	/* Another MAC control opcode (EPON GATE) is recognised, not decoded. */
	f[15] = 0x02;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_MAC_CTRL);
	CU_ASSERT_EQUAL(fab_pfc_decode_buf(f, &mt, &pf), -EINVAL);
}

/* The reserved high octet of the class-enable vector is ignored. */
static void
test_pfc_vector_high_octet(void)
{
	uint8_t f[VEC_MAX];
	int n = load_vector("pfc_p3", f);
	struct fab_pkt_meta mt;
	struct fab_pfc_frame pf;

	f[16] = 0xff;
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(f, (uint32_t)n, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(fab_pfc_decode_buf(f, &mt, &pf), 0);
	CU_ASSERT_EQUAL(pf.enable, 0x08);
}

static void
test_tagged_pfc(void)
{
	uint8_t f[VEC_MAX], g[VEC_MAX];
	int n = load_vector("pfc_p3", f);
	struct fab_pkt_meta mt;
	struct fab_pfc_frame pf;

	memcpy(g, f, 12);
	g[12] = 0x81;
	g[13] = 0x00;
	g[14] = 0xe0;
	g[15] = 0x00;
	memcpy(g + 16, f + 12, (size_t)n - 12);
	CU_ASSERT_EQUAL(fab_pkt_parse_buf(g, (uint32_t)n + 4, &mt), FAB_PKT_OK);
	CU_ASSERT_EQUAL(mt.kind, FAB_PKT_KIND_PFC);
	CU_ASSERT_EQUAL(fab_pfc_decode_buf(g, &mt, &pf), 0);
	CU_ASSERT_EQUAL(pf.quanta[3], 0xffff);
}

static void
test_quanta_arithmetic(void)
{
	/* 512 bit times: 5.12 ns at 100G, 1.28 ns at 400G, 20.48 ns at 25G (FACTS.md). */
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(1, 100000000000ull), 5120);
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(1, 400000000000ull), 1280);
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(1, 25000000000ull), 20480);
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(1, 10000000000ull), 51200);
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(65535, 100000000000ull), 335539200ull);
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(0, 100000000000ull), 0);
	/* Rounded up: 512 bits at 3 bps is 170.67 s. */
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(1, 3), 170666666666667ull);
	CU_ASSERT_EQUAL(fab_pfc_quanta_to_ps(10, 0), 0);

	CU_ASSERT_EQUAL(fab_pfc_ps_to_quanta(5120, 100000000000ull), 1);
	CU_ASSERT_EQUAL(fab_pfc_ps_to_quanta(5121, 100000000000ull), 2);
	CU_ASSERT_EQUAL(fab_pfc_ps_to_quanta(335539200ull, 100000000000ull), 65535);
	CU_ASSERT_EQUAL(fab_pfc_ps_to_quanta(1000000000000ull, 100000000000ull), 65535);
	CU_ASSERT_EQUAL(fab_pfc_ps_to_quanta(0, 100000000000ull), 0);
}

static void
test_wire_time(void)
{
	/* (64 + 4 FCS + 8 preamble + 12 gap) * 8 bits at 100G. */
	CU_ASSERT_EQUAL(fab_wire_time_ps(64, 100000000000ull), 7040);
	CU_ASSERT_EQUAL(fab_wire_time_ps(60, 100000000000ull), 6720);
	CU_ASSERT_EQUAL(fab_wire_time_ps(1024, 100000000000ull), 83840);
	CU_ASSERT_EQUAL(fab_wire_time_ps(1024, 25000000000ull), 335360);
	CU_ASSERT_EQUAL(fab_wire_time_ps(4178, 400000000000ull), 84040);
	CU_ASSERT_EQUAL(fab_wire_time_ps(9000, 10000000000ull), 7219200);
	CU_ASSERT_EQUAL(fab_wire_time_ps(64, 0), 0);
	/* A non-integral time rounds up: 88 bytes * 8 at 3 Gb/s = 234.67 ns. */
	CU_ASSERT_EQUAL(fab_wire_time_ps(64, 3000000000ull), 234667);
}

int
fab_suite_pfc_frame(void)
{
	CU_pSuite s = fab_test_add_suite("pfc_frame");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_pfc_build_equals_scapy);
	FAB_ADD_TEST(s, test_pfc_parse_decode);
	FAB_ADD_TEST(s, test_pfc_vector_high_octet);
	FAB_ADD_TEST(s, test_tagged_pfc);
	FAB_ADD_TEST(s, test_quanta_arithmetic);
	FAB_ADD_TEST(s, test_wire_time);
	return 0;
}
