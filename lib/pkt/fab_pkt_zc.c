/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Frames whose payload is zeros that nobody copies.
 *
 * An in-process fabric moves megabytes of payload that nothing reads but
 * the ICRC. Copied into every frame, those bytes cost a write at the
 * source, a read at each end for the ICRC, and cache and pool room for
 * every frame in flight (docs/architecture.md D32 has the figures). Such a
 * frame is a chain of three mbufs: its headers, a body segment whose data
 * is one read-only area of zeros shared by all of them, and its ICRC. The
 * bytes on the wire are exactly those of a copied frame.
 *
 * The body mbufs come from a pool with pinned external buffers, DPDK's
 * mechanism for mbufs whose data lives outside them and stays attached
 * across free and alloc: no reference counting per frame, and freeing a
 * frame returns each segment to its own pool. The area is const, so a
 * write into it faults at once instead of corrupting every frame.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_prefetch.h>

#include "fab_pkt.h"
#include "fab_pkt_private.h"

const uint8_t fab_pkt_zero_area[FAB_PKT_ZERO_AREA_LEN] __rte_aligned(RTE_CACHE_LINE_SIZE);

/* Never called: the area is never detached, its count stays at one. */
static void
zero_area_free(void *addr __rte_unused, void *opaque __rte_unused)
{
}

static struct rte_mbuf_ext_shared_info zero_area_shinfo = {
	.free_cb = zero_area_free,
	.refcnt = 1,
};

static void
zero_mbuf_init(struct rte_mempool *mp, void *arg __rte_unused, void *obj, unsigned int idx)
{
	struct rte_mbuf *m = obj;

	rte_pktmbuf_init(mp, NULL, obj, idx);
	m->buf_addr = (void *)(uintptr_t)fab_pkt_zero_area;
	rte_mbuf_iova_set(m, RTE_BAD_IOVA);
	m->buf_len = (uint16_t)FAB_PKT_ZERO_AREA_LEN;
	m->data_off = 0;
	m->ol_flags = RTE_MBUF_F_EXTERNAL;
	m->shinfo = &zero_area_shinfo;
}

/*
 * The pools' objects live in an anonymous mapping of the process, not in
 * the EAL's memory. Without hugepages the EAL's memory is 4 KB pages of a
 * memfd, which the kernel never backs with huge pages; an anonymous
 * mapping advised for transparent huge pages gets 2 MB pages where the
 * system allows them (THP "madvise" or "always"), so the frames of a large
 * fabric in flight need a few hundred TLB entries instead of tens of
 * thousands (bench/README.md has the figures). Nothing here is given to a
 * device: the objects have no IO address.
 */
struct pool_map {
	void *addr;
	size_t len;
};

#define POOL_MAP_ALIGN (UINT64_C(2) << 20)

static void
pool_map_free(struct rte_mempool_memhdr *memhdr __rte_unused, void *opaque)
{
	struct pool_map *pm = opaque;

	munmap(pm->addr, pm->len);
	free(pm);
}

static int
populate_anon(struct rte_mempool *mp)
{
	size_t len = RTE_ALIGN_CEIL((size_t)mp->size *
		(mp->header_size + mp->elt_size + mp->trailer_size) + RTE_CACHE_LINE_SIZE,
		POOL_MAP_ALIGN);
	struct pool_map *pm = malloc(sizeof(*pm));
	void *at;
	int ret;

	if (pm == NULL)
		return -ENOMEM;
	/* One huge page more, to start on a huge-page boundary. */
	pm->len = len + POOL_MAP_ALIGN;
	pm->addr = mmap(NULL, pm->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		-1, 0);
	if (pm->addr == MAP_FAILED) {
		free(pm);
		return -ENOMEM;
	}
	at = RTE_PTR_ALIGN_CEIL(pm->addr, POOL_MAP_ALIGN);
	/* Advice only: a kernel without THP gives 4 KB pages, which work the same. */
	(void)madvise(at, len, MADV_HUGEPAGE);
	ret = rte_mempool_populate_iova(mp, at, RTE_BAD_IOVA, len, pool_map_free, pm);
	if (ret < 0) {
		pool_map_free(NULL, pm);
		return ret;
	}
	return mp->populated_size == mp->size ? 0 : -ENOMEM;
}

/* rte_pktmbuf_init() computes an IO address from the object's, which has none. */
static void
packed_mbuf_init(struct rte_mempool *mp, void *arg __rte_unused, void *obj, unsigned int idx)
{
	rte_pktmbuf_init(mp, NULL, obj, idx);
	rte_mbuf_iova_set(obj, RTE_BAD_IOVA);
}

/*
 * An mbuf pool whose objects need no IO-contiguous memory (nothing here is
 * given to a device): on 4 KB pages a mempool would otherwise keep each
 * object within one page or round it up to whole pages, so that a 4 KB
 * frame's mbuf took 8 KB. The per-core cache is at most half the pool;
 * cache_size 0 asks for the largest.
 */
static struct rte_mempool *
pool_create(const char *name, unsigned int n, uint16_t data_room, unsigned int cache_size,
		int socket_id, rte_mempool_obj_cb_t *init)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = data_room,
		.flags = init == zero_mbuf_init ? RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF : 0,
	};
	struct rte_mempool *mp;
	int ret;

	if (name == NULL || n == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* A per-core cache may hold at most two thirds of the pool. */
	cache_size = RTE_MIN(cache_size == 0 ? (unsigned int)RTE_MEMPOOL_CACHE_MAX_SIZE :
		cache_size, n / 2);
	mp = rte_mempool_create_empty(name, n, sizeof(struct rte_mbuf) + data_room, cache_size,
		sizeof(priv), socket_id, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (mp == NULL)
		return NULL;
	ret = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(), NULL);
	if (ret == 0) {
		rte_pktmbuf_pool_init(mp, &priv);
		ret = populate_anon(mp);
	}
	if (ret < 0) {
		rte_mempool_free(mp);
		rte_errno = -ret;
		return NULL;
	}
	rte_mempool_obj_iter(mp, init, NULL);
	return mp;
}

struct rte_mempool *
fab_pkt_pool_create_packed(const char *name, unsigned int n, uint16_t data_room,
		int socket_id)
{
	return pool_create(name, n, data_room, 0, socket_id, packed_mbuf_init);
}

struct rte_mempool *
fab_pkt_zero_pool_create(const char *name, unsigned int n, unsigned int cache_size,
		int socket_id)
{
	return pool_create(name, n, 0, cache_size, socket_id, zero_mbuf_init);
}

/*
 * Where a frame's body and tail mbufs lie, as two 32-bit distances from the
 * head in cache lines, kept in the head's first cache line (its RSS hash
 * field, which only a receiving NIC writes and nothing here reads): a
 * receiver can then fetch the whole chain at once instead of one segment
 * after the other. A distance that does not fit leaves no hint.
 */
static int32_t
line_delta(const struct rte_mbuf *from, const struct rte_mbuf *to)
{
	intptr_t d = ((intptr_t)to - (intptr_t)from) / RTE_CACHE_LINE_SIZE;

	return d > INT32_MAX || d < -INT32_MAX ? 0 : (int32_t)d;
}

static void
set_chain_hint(struct rte_mbuf *head, const struct rte_mbuf *body, const struct rte_mbuf *tail)
{
	int32_t b = line_delta(head, body), t = line_delta(head, tail);
	uint64_t hint = b == 0 || t == 0 ? 0 :
		(uint64_t)(uint32_t)b | (uint64_t)(uint32_t)t << 32;

	RTE_BUILD_BUG_ON(sizeof(head->hash) != sizeof(hint));
	memcpy(&head->hash, &hint, sizeof(hint));
}

int
fab_pkt_zc_hint(const struct rte_mbuf *m, const struct rte_mbuf **body,
		const struct rte_mbuf **tail)
{
	const uint8_t *h = (const uint8_t *)m;
	uint64_t hint;

	if (m->nb_segs != 3)
		return -ENOENT;
	memcpy(&hint, &m->hash, sizeof(hint));
	if (hint == 0)
		return -ENOENT;
	*body = (const struct rte_mbuf *)(h +
		(intptr_t)(int32_t)(uint32_t)hint * RTE_CACHE_LINE_SIZE);
	*tail = (const struct rte_mbuf *)(h +
		(intptr_t)(int32_t)(uint32_t)(hint >> 32) * RTE_CACHE_LINE_SIZE);
	return 0;
}

void
fab_pkt_pool_prefetch_next(struct rte_mempool *mp, unsigned int n)
{
	struct rte_mempool_cache *c = rte_mempool_default_cache(mp, rte_lcore_id());
	unsigned int i;

	if (c == NULL)
		return;
	for (i = 0; i < n && i < c->len; i++) {
		const uint8_t *obj = c->objs[c->len - 1 - i];

		/* The reset at allocation writes both of an mbuf's first two lines. */
		rte_prefetch0_write(obj);
		rte_prefetch0_write(obj + RTE_CACHE_LINE_SIZE);
	}
}

void
fab_pkt_prefetch_zc(const struct rte_mbuf *m)
{
	const struct rte_mbuf *body, *tail;

	if (fab_pkt_zc_hint(m, &body, &tail) != 0)
		return;
	/* Prefetches never fault: a stale hint costs a useless fetch, nothing more. */
	rte_prefetch0(&m->next);
	rte_prefetch0(body);
	rte_prefetch0(&body->next);
	rte_prefetch0(tail);
	rte_prefetch0(&tail->next);
	/* The tail's data, where a pool without private area puts it. */
	rte_prefetch0(tail + 1);
}

bool
fab_pkt_is_zero_mbuf(const struct rte_mbuf *m)
{
	return m != NULL && m->buf_addr == (const void *)fab_pkt_zero_area &&
		(m->ol_flags & RTE_MBUF_F_EXTERNAL) != 0 && m->shinfo == &zero_area_shinfo;
}

int
fab_pkt_build_roce_zc(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		const struct fab_roce_addr *addr, const struct fab_bth_fields *bth,
		const struct fab_roce_ext *ext, uint32_t payload_len)
{
	struct fab_pkt_meta mt;
	uint32_t body_len;
	int len;

	if (head == NULL || tail == NULL || addr == NULL || bth == NULL || ext == NULL ||
			payload_len == 0 || !fab_pkt_is_zero_mbuf(body) || head == tail)
		return -EINVAL;
	len = fab_pkt_build_hdr(rte_pktmbuf_mtod(head, void *), rte_pktmbuf_tailroom(head),
		addr, bth, ext, payload_len, &mt);
	if (len < 0)
		return len;
	body_len = payload_len + mt.pad_count;
	if (body_len > FAB_PKT_ZERO_AREA_LEN)
		return -EMSGSIZE;
	if (rte_pktmbuf_tailroom(tail) < FAB_ICRC_LEN)
		return -ENOSPC;

	put_le32(rte_pktmbuf_mtod(tail, uint8_t *),
		fab_icrc_hdr_zeros(rte_pktmbuf_mtod(head, void *), &mt));
	fab_pkt_chain_zc(head, body, tail, mt.payload_off, body_len, (uint32_t)len);
	return len;
}

void
fab_pkt_chain_zc(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		uint16_t hdr_len, uint32_t body_len, uint32_t frame_len)
{
	head->data_len = hdr_len;
	body->data_off = 0;
	body->data_len = (uint16_t)body_len;
	body->pkt_len = body_len;
	tail->data_len = FAB_ICRC_LEN;
	tail->pkt_len = FAB_ICRC_LEN;
	head->next = body;
	body->next = tail;
	tail->next = NULL;
	head->nb_segs = 3;
	head->pkt_len = frame_len;
	set_chain_hint(head, body, tail);
}

int
fab_pkt_build_write_zc(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		const struct fab_roce_addr *addr, enum fab_write_part part, uint32_t dest_qp,
		uint32_t psn, bool ack_req, const struct fab_reth *reth, uint32_t payload_len)
{
	struct fab_bth_fields bth;
	struct fab_roce_ext ext;
	int ret = fab_pkt_write_fields(part, dest_qp, psn, ack_req, reth, &bth, &ext);

	if (ret < 0)
		return ret;
	return fab_pkt_build_roce_zc(head, body, tail, addr, &bth, &ext, payload_len);
}
