/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Frames with a shared zero payload (fab_pkt_build_roce_zc()): their bytes
 * are exactly those of a copied frame with a zero payload, their ICRC is
 * right by the independent reference, the parser and the ICRC check read
 * them as they read the copy, freeing returns every segment to its pool
 * with the body still pinned to the zeros, and wrong arguments are refused
 * with nothing chained. Also CRC zero extension against real zeros.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <rte_mbuf.h>
#include <rte_memory.h>

#include <fab_pkt.h>

#include "fab_test.h"
#include "icrc_ref.h"

static struct rte_mempool *hdr_pool, *zero_pool;

static int
zc_setup(void)
{
	hdr_pool = rte_pktmbuf_pool_create("zc_hdr", 255, 0, 0, 128, 0);
	zero_pool = fab_pkt_zero_pool_create("zc_zero", 127, 0, 0);
	return hdr_pool == NULL || zero_pool == NULL ? -1 : 0;
}

static int
zc_teardown(void)
{
	rte_mempool_free(hdr_pool);
	rte_mempool_free(zero_pool);
	return 0;
}

/* Three fresh segments; the header and ICRC mbufs without headroom. */
static void
zc_alloc(struct rte_mbuf **head, struct rte_mbuf **body, struct rte_mbuf **tail)
{
	*head = rte_pktmbuf_alloc(hdr_pool);
	*tail = rte_pktmbuf_alloc(hdr_pool);
	*body = rte_pktmbuf_alloc(zero_pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*head);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*tail);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*body);
	(*head)->data_off = 0;
	(*tail)->data_off = 0;
}

static void
test_crc32_zeros_matches_real_zeros(void)
{
	static const uint32_t lens[] = { 0, 1, 3, 4, 255, 4095, 4096, 4097, 9000, 16384 };
	static uint8_t buf[64 + 16384];
	size_t i;

	srand(3);
	for (i = 0; i < 64; i++)
		buf[i] = (uint8_t)rand();
	for (i = 0; i < RTE_DIM(lens); i++) {
		uint32_t a = (uint32_t)(i * 7 % 64), crc_a = fab_crc32(buf, a);

		memset(buf + a, 0, lens[i]);
		CU_ASSERT_EQUAL(fab_crc32_zeros(crc_a, lens[i]), fab_crc32(buf, a + lens[i]));
		CU_ASSERT_EQUAL(fab_crc32_zeros(crc_a, lens[i]),
			(uint32_t)crc32(0, buf, (uInt)(a + lens[i])));
		buf[a] = (uint8_t)rand(); /* the next prefix differs */
	}
	/* One length for many registers, then two lengths in turn (the kept table). */
	memset(buf + 64, 0, 4100);
	for (i = 0; i < 48; i++) {
		uint32_t n = i < 32 ? 4100 : (i & 1 ? 4096 : 4100), j;

		for (j = 0; j < 64; j++)
			buf[j] = (uint8_t)rand();
		CU_ASSERT_EQUAL(fab_crc32_zeros(fab_crc32(buf, 64), n),
			(uint32_t)crc32(0, buf, 64 + n));
	}
}

struct zc_case {
	uint8_t l3;
	bool vlan;
	enum fab_write_part part;
	uint32_t payload;
};

static void
fill_addr(struct fab_roce_addr *a, const struct zc_case *c)
{
	static const uint8_t v6s[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t v6d[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2 };

	memset(a, 0, sizeof(*a));
	a->l3 = c->l3;
	a->dscp = 26;
	a->ecn = 2;
	a->udp_src_port = 0xc123;
	a->has_vlan = c->vlan;
	a->vlan_tci = 0x6005;
	a->flow_label = 0x12345;
	a->src_mac.addr_bytes[5] = 1;
	a->dst_mac.addr_bytes[5] = 2;
	if (c->l3 == FAB_L3_IPV4) {
		a->src_ip.v4 = rte_cpu_to_be_32(0x0a000001);
		a->dst_ip.v4 = rte_cpu_to_be_32(0x0a000102);
	} else {
		memcpy(a->src_ip.v6, v6s, 16);
		memcpy(a->dst_ip.v6, v6d, 16);
	}
}

/* The frame's bytes and everything read from them equal the copy's. */
static void
test_zc_equals_copy(void)
{
	static const struct zc_case cases[] = {
		{ FAB_L3_IPV4, false, FAB_WRITE_FIRST, 4096 },
		{ FAB_L3_IPV4, false, FAB_WRITE_MIDDLE, 4096 },
		{ FAB_L3_IPV4, false, FAB_WRITE_LAST, 1 },
		{ FAB_L3_IPV4, false, FAB_WRITE_ONLY, 1023 },
		{ FAB_L3_IPV4, true, FAB_WRITE_MIDDLE, 255 },
		{ FAB_L3_IPV6, false, FAB_WRITE_FIRST, 4093 },
		{ FAB_L3_IPV6, true, FAB_WRITE_LAST, 9000 },
	};
	static uint8_t flat[9200], zeros[9100], read[9200];
	struct fab_reth reth = { .vaddr = 0x100000000ull, .rkey = 0x42, .dma_len = 65536 };
	size_t i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct zc_case *c = &cases[i];
		struct fab_roce_addr a;
		struct fab_pkt_meta mf, mz;
		struct rte_mbuf *head, *body, *tail;
		const void *p;
		uint32_t ref;
		size_t ref_off;
		int n, nz;

		fill_addr(&a, c);
		n = fab_pkt_build_write(flat, sizeof(flat), &a, c->part, 0x77, 1000 + (uint32_t)i,
			true, &reth, zeros, c->payload);
		CU_ASSERT_FATAL(n > 0);
		zc_alloc(&head, &body, &tail);
		nz = fab_pkt_build_write_zc(head, body, tail, &a, c->part, 0x77, 1000 + (uint32_t)i,
			true, &reth, c->payload);
		CU_ASSERT_EQUAL_FATAL(nz, n);
		CU_ASSERT_EQUAL(head->nb_segs, 3);
		CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(head), (uint32_t)n);
		CU_ASSERT_PTR_EQUAL(head->next, body);
		CU_ASSERT_PTR_EQUAL(body->next, tail);
		CU_ASSERT_EQUAL(rte_pktmbuf_data_len(tail), 4);
		p = rte_pktmbuf_read(head, 0, (uint32_t)n, read);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_EQUAL(memcmp(p, flat, (size_t)n), 0);
		CU_ASSERT_EQUAL_FATAL(fab_ref_icrc(flat, (size_t)n, &ref, &ref_off), 0);
		CU_ASSERT_EQUAL(ref_off, (size_t)n - 4);

		/* Parsed from the chain as from the copy, the chain flagged as one. */
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse_buf(flat, (uint32_t)n, &mf), FAB_PKT_OK);
		CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(head, &mz), FAB_PKT_OK);
		CU_ASSERT_TRUE(mz.flags & FAB_PKT_F_MULTISEG);
		mz.flags &= (uint16_t)~FAB_PKT_F_MULTISEG;
		CU_ASSERT_EQUAL(memcmp(&mf, &mz, sizeof(mf)), 0);
		CU_ASSERT_EQUAL(fab_icrc_compute(head, &mz), ref);
		CU_ASSERT_TRUE(fab_icrc_verify(head, &mz));

		/* A header byte the ICRC covers, changed: the check sees it. */
		rte_pktmbuf_mtod(head, uint8_t *)[mz.bth_off + 7] ^= 1;
		CU_ASSERT_FALSE(fab_icrc_verify(head, &mz));
		rte_pktmbuf_free(head);
	}
}

/* Freed, each segment goes home; the body comes back still pinned to the zeros. */
static void
test_zc_free_and_reuse(void)
{
	struct fab_roce_addr a;
	struct zc_case c = { FAB_L3_IPV4, false, FAB_WRITE_MIDDLE, 4096 };
	unsigned int hdr0 = rte_mempool_avail_count(hdr_pool);
	unsigned int zero0 = rte_mempool_avail_count(zero_pool);
	struct rte_mbuf *head, *body, *tail, *again[127];
	unsigned int i;

	fill_addr(&a, &c);
	zc_alloc(&head, &body, &tail);
	CU_ASSERT_TRUE(fab_pkt_is_zero_mbuf(body));
	CU_ASSERT_FALSE(fab_pkt_is_zero_mbuf(head));
	CU_ASSERT_FATAL(fab_pkt_build_write_zc(head, body, tail, &a, c.part, 1, 2, false,
		NULL, c.payload) > 0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(hdr_pool), hdr0 - 2);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(zero_pool), zero0 - 1);
	rte_pktmbuf_free(head);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(hdr_pool), hdr0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(zero_pool), zero0);

	/* Every body of the pool, reused, still reads as the shared zeros. */
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_alloc_bulk(zero_pool, again, zero0), 0);
	for (i = 0; i < zero0; i++) {
		CU_ASSERT_TRUE(fab_pkt_is_zero_mbuf(again[i]));
		CU_ASSERT_EQUAL(again[i]->nb_segs, 1);
		CU_ASSERT_PTR_NULL(again[i]->next);
	}
	rte_pktmbuf_free_bulk(again, zero0);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(zero_pool), zero0);
}

/* After refusals: the three mbufs were left unchained; free them and @p plain. */
static void
free_unchained(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		struct rte_mbuf *plain)
{
	CU_ASSERT_PTR_NULL(head->next);
	CU_ASSERT_PTR_NULL(body->next);
	CU_ASSERT_PTR_NULL(tail->next);
	CU_ASSERT_EQUAL(head->nb_segs, 1);
	rte_pktmbuf_free(head);
	rte_pktmbuf_free(body);
	rte_pktmbuf_free(tail);
	rte_pktmbuf_free(plain);
}

static void
test_zc_refusals(void)
{
	struct fab_roce_addr a;
	struct zc_case c = { FAB_L3_IPV4, false, FAB_WRITE_MIDDLE, 64 };
	struct rte_mbuf *head, *body, *tail, *plain;

	fill_addr(&a, &c);
	zc_alloc(&head, &body, &tail);
	plain = rte_pktmbuf_alloc(hdr_pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);

	/* A body that does not hold the shared zeros would need its bytes written. */
	CU_ASSERT_EQUAL(fab_pkt_build_write_zc(head, plain, tail, &a, c.part, 1, 2, false,
		NULL, 64), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_build_write_zc(head, body, tail, &a, c.part, 1, 2, false,
		NULL, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_build_write_zc(head, body, tail, &a, c.part, 1, 2, false,
		NULL, FAB_PKT_ZERO_AREA_LEN + 1), -EMSGSIZE);
	CU_ASSERT_EQUAL(fab_pkt_build_write_zc(head, body, tail, &a, (enum fab_write_part)9,
		1, 2, false, NULL, 64), -EINVAL);
	/* Headers that do not fit the first mbuf; an ICRC that does not fit the last. */
	head->data_off = (uint16_t)(head->buf_len - 40);
	CU_ASSERT_EQUAL(fab_pkt_build_write_zc(head, body, tail, &a, c.part, 1, 2, false,
		NULL, 64), -ENOSPC);
	head->data_off = 0;
	tail->data_off = (uint16_t)(tail->buf_len - 3);
	CU_ASSERT_EQUAL(fab_pkt_build_write_zc(head, body, tail, &a, c.part, 1, 2, false,
		NULL, 64), -ENOSPC);
	free_unchained(head, body, tail, plain);
}

/*
 * Packed pools live outside the EAL's memory (an anonymous mapping that
 * may get transparent huge pages), have every object they were asked for,
 * and their mbufs claim no IO address.
 */
static void
test_packed_pool_memory(void)
{
	struct rte_mempool *mp = fab_pkt_pool_create_packed("zc_packed", 1000, 256, 0);
	struct rte_mbuf *m[1000];
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(mp), 1000);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_alloc_bulk(mp, m, 1000), 0);
	for (i = 0; i < 1000; i++) {
		CU_ASSERT_PTR_NULL(rte_mem_virt2memseg(m[i], NULL));
		CU_ASSERT_EQUAL(rte_mbuf_iova_get(m[i]), RTE_BAD_IOVA);
		CU_ASSERT_EQUAL(rte_pktmbuf_tailroom(m[i]), 256 - RTE_PKTMBUF_HEADROOM);
		memset(rte_pktmbuf_mtod(m[i], void *), 0xa5, rte_pktmbuf_tailroom(m[i]));
	}
	rte_pktmbuf_free_bulk(m, 1000);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(mp), 1000);
	m[0] = rte_pktmbuf_alloc(zero_pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m[0]);
	CU_ASSERT_PTR_NULL(rte_mem_virt2memseg(m[0], NULL));
	rte_pktmbuf_free(m[0]);
	rte_mempool_free(mp);
}

/*
 * The builder's hint names the frame's own body and tail, so a receiver
 * can fetch them without walking the chain; other frames have none.
 */
static void
test_zc_chain_hint(void)
{
	struct fab_roce_addr a;
	struct zc_case c = { FAB_L3_IPV4, false, FAB_WRITE_MIDDLE, 1024 };
	const struct rte_mbuf *hb, *ht;
	struct rte_mbuf *head, *body, *tail, *plain;
	uint64_t stale = UINT64_MAX;

	/* Head and tail from a packed pool, as a fabric's: near the bodies. */
	struct rte_mempool *packed = fab_pkt_pool_create_packed("zc_hint", 64, 256, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(packed);
	fill_addr(&a, &c);
	head = rte_pktmbuf_alloc(packed);
	tail = rte_pktmbuf_alloc(packed);
	body = rte_pktmbuf_alloc(zero_pool);
	CU_ASSERT_FATAL(head != NULL && tail != NULL && body != NULL);
	CU_ASSERT_FATAL(fab_pkt_build_write_zc(head, body, tail, &a, c.part, 1, 2, false,
		NULL, c.payload) > 0);
	CU_ASSERT_EQUAL(fab_pkt_zc_hint(head, &hb, &ht), 0);
	CU_ASSERT_PTR_EQUAL(hb, body);
	CU_ASSERT_PTR_EQUAL(ht, tail);
	CU_ASSERT_PTR_EQUAL(ht, head->next->next);
	fab_pkt_prefetch_zc(head);
	rte_pktmbuf_free(head);

	/* A one-segment frame, whatever its hash field holds, has no hint. */
	plain = rte_pktmbuf_alloc(hdr_pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	memcpy(&plain->hash, &stale, sizeof(stale));
	CU_ASSERT_EQUAL(fab_pkt_zc_hint(plain, &hb, &ht), -ENOENT);
	fab_pkt_prefetch_zc(plain);
	rte_pktmbuf_free(plain);
	rte_mempool_free(packed);
}

/*
 * A template's MIDDLE frames are byte for byte the generic zero-payload
 * builder's, ICRC included (checked by the independent reference too),
 * for every address family, a VLAN, a padded payload and PSNs across the
 * 24-bit range; one template serves several frames in turn.
 */
static void
test_zc_template_equals_builder(void)
{
	static const struct zc_case cases[] = {
		{ FAB_L3_IPV4, false, FAB_WRITE_MIDDLE, 4096 },
		{ FAB_L3_IPV4, true, FAB_WRITE_MIDDLE, 1021 },
		{ FAB_L3_IPV6, false, FAB_WRITE_MIDDLE, 1024 },
		{ FAB_L3_IPV6, true, FAB_WRITE_MIDDLE, 9000 },
	};
	static const uint32_t psns[] = { 0, 1, 0x800000, 0xfffffe, 0xffffff, 0x123456 };
	static uint8_t want[9200], got[9200];
	size_t i, k;

	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct zc_case *c = &cases[i];
		struct fab_pkt_zc_tmpl t;
		struct fab_roce_addr a;

		fill_addr(&a, c);
		CU_ASSERT_EQUAL_FATAL(fab_pkt_zc_tmpl_init(&t, &a, 0x77, c->payload), 0);
		for (k = 0; k < RTE_DIM(psns); k++) {
			struct rte_mbuf *h1, *b1, *t1, *h2, *b2, *t2;
			struct fab_pkt_meta mt;
			const void *p1, *p2;
			uint32_t ref;
			size_t ref_off;
			int n1, n2;

			zc_alloc(&h1, &b1, &t1);
			zc_alloc(&h2, &b2, &t2);
			n1 = fab_pkt_build_write_zc(h1, b1, t1, &a, FAB_WRITE_MIDDLE, 0x77, psns[k],
				false, NULL, c->payload);
			n2 = fab_pkt_build_write_middle_zc(&t, h2, b2, t2, psns[k]);
			CU_ASSERT_FATAL(n1 > 0);
			CU_ASSERT_EQUAL_FATAL(n2, n1);
			CU_ASSERT_EQUAL(h2->nb_segs, 3);
			CU_ASSERT_EQUAL(h2->data_len, h1->data_len);
			CU_ASSERT_EQUAL(b2->data_len, b1->data_len);
			p1 = rte_pktmbuf_read(h1, 0, (uint32_t)n1, want);
			p2 = rte_pktmbuf_read(h2, 0, (uint32_t)n2, got);
			CU_ASSERT_FATAL(p1 != NULL && p2 != NULL);
			CU_ASSERT_EQUAL(memcmp(p1, p2, (size_t)n1), 0);
			if (p2 != got)
				memcpy(got, p2, (size_t)n2);
			CU_ASSERT_EQUAL_FATAL(fab_ref_icrc(got, (size_t)n2, &ref, &ref_off), 0);
			CU_ASSERT_EQUAL_FATAL(fab_pkt_parse(h2, &mt), FAB_PKT_OK);
			CU_ASSERT_EQUAL(mt.psn, psns[k]);
			CU_ASSERT_TRUE(fab_icrc_verify(h2, &mt));
			CU_ASSERT_EQUAL(fab_icrc_compute(h2, &mt), ref);
			rte_pktmbuf_free(h1);
			rte_pktmbuf_free(h2);
		}
	}
}

/* Template refusals: what the builders refuse, and mbufs that cannot hold the frame. */
static void
test_zc_template_refusals(void)
{
	struct zc_case c = { FAB_L3_IPV4, false, FAB_WRITE_MIDDLE, 64 };
	struct rte_mbuf *head, *body, *tail, *plain;
	struct fab_pkt_zc_tmpl t;
	struct fab_roce_addr a;

	fill_addr(&a, &c);
	CU_ASSERT_EQUAL(fab_pkt_zc_tmpl_init(NULL, &a, 1, 64), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_zc_tmpl_init(&t, NULL, 1, 64), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_zc_tmpl_init(&t, &a, 1, 0), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_zc_tmpl_init(&t, &a, 1, FAB_PKT_ZERO_AREA_LEN + 1), -EMSGSIZE);
	CU_ASSERT_EQUAL_FATAL(fab_pkt_zc_tmpl_init(&t, &a, 1, 64), 0);
	zc_alloc(&head, &body, &tail);
	plain = rte_pktmbuf_alloc(hdr_pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(plain);
	CU_ASSERT_EQUAL(fab_pkt_build_write_middle_zc(&t, head, plain, tail, 5), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_build_write_middle_zc(NULL, head, body, tail, 5), -EINVAL);
	CU_ASSERT_EQUAL(fab_pkt_build_write_middle_zc(&t, head, body, head, 5), -EINVAL);
	head->data_off = (uint16_t)(head->buf_len - 40);
	CU_ASSERT_EQUAL(fab_pkt_build_write_middle_zc(&t, head, body, tail, 5), -ENOSPC);
	head->data_off = 0;
	tail->data_off = (uint16_t)(tail->buf_len - 3);
	CU_ASSERT_EQUAL(fab_pkt_build_write_middle_zc(&t, head, body, tail, 5), -ENOSPC);
	free_unchained(head, body, tail, plain);
}

/*
 * Prefetching the next allocations takes nothing out of the pool: the mbufs
 * freed last still come back first, in the same order, and a pool without a
 * per-lcore cache, or with fewer cached mbufs than asked, is no error.
 */
static void
test_pool_prefetch_next(void)
{
	struct rte_mempool *mp = fab_pkt_pool_create_packed("pfnext", 64, 128, SOCKET_ID_ANY);
	struct rte_mempool *nocache = rte_pktmbuf_pool_create("pfnext0", 64, 0, 0, 256,
		SOCKET_ID_ANY);
	struct rte_mbuf *m[3], *again[3];
	unsigned int avail;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_PTR_NOT_NULL_FATAL(nocache);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_alloc_bulk(mp, m, 3), 0);
	for (i = 0; i < 3; i++)
		rte_pktmbuf_free(m[i]);
	avail = rte_mempool_avail_count(mp);
	fab_pkt_pool_prefetch_next(mp, 2);
	fab_pkt_pool_prefetch_next(mp, 1000);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(mp), avail);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_alloc_bulk(mp, again, 3), 0);
	/* Last in, first out: the cache gives them back in reverse. */
	for (i = 0; i < 3; i++)
		CU_ASSERT_PTR_EQUAL(again[i], m[2 - i]);
	rte_pktmbuf_free_bulk(again, 3);
	fab_pkt_pool_prefetch_next(nocache, 4);
	CU_ASSERT_EQUAL(rte_mempool_avail_count(nocache), 64);
	rte_mempool_free(nocache);
	rte_mempool_free(mp);
}

int
fab_suite_pkt_zc(void)
{
	CU_pSuite s = CU_add_suite("pkt_zc", zc_setup, zc_teardown);

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_crc32_zeros_matches_real_zeros);
	FAB_ADD_TEST(s, test_zc_equals_copy);
	FAB_ADD_TEST(s, test_zc_free_and_reuse);
	FAB_ADD_TEST(s, test_zc_refusals);
	FAB_ADD_TEST(s, test_packed_pool_memory);
	FAB_ADD_TEST(s, test_zc_chain_hint);
	FAB_ADD_TEST(s, test_zc_template_equals_builder);
	FAB_ADD_TEST(s, test_zc_template_refusals);
	FAB_ADD_TEST(s, test_pool_prefetch_next);
	return 0;
}
