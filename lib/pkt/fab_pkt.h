/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PKT_H
#define FAB_PKT_H

/**
 * @file
 * Wire formats of rocefab: Ethernet with up to two 802.1Q/802.1ad tags,
 * IPv4, IPv6, UDP, the RoCEv2 transport headers (BTH, RETH, AETH, ImmDt,
 * DETH, AtomicETH, AtomicAckETH), the invariant CRC, and IEEE 802.1Qbb PFC
 * and 802.3x PAUSE frames.
 *
 * Parsing is bounds-checked against the real data length of the mbuf chain:
 * length fields are checked, never trusted, and multi-segment mbufs (jumbo
 * frames from net_pcap) are handled. One metadata struct serves the switch
 * and the generator. Builders write into a caller's contiguous buffer, which
 * is usually the data room of a freshly allocated mbuf.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** UDP destination port of RoCEv2 (IANA). */
#define FAB_ROCE_UDP_PORT 4791
/** MAC control ethertype (PAUSE, PFC). */
#define FAB_ETHER_TYPE_MAC_CTRL 0x8808
/** MAC control opcode of 802.3x PAUSE. */
#define FAB_MAC_CTRL_PAUSE 0x0001
/** MAC control opcode of 802.1Qbb priority-based flow control. */
#define FAB_MAC_CTRL_PFC 0x0101
/** Shortest Ethernet frame without its FCS. */
#define FAB_ETH_MIN_FRAME 60
/** Bytes a frame costs on the wire beyond its own: FCS 4, preamble and SFD 8, gap 12. */
#define FAB_ETH_WIRE_OVERHEAD (4 + 8 + 12)
/** Number of priorities / traffic classes. */
#define FAB_NUM_PRIO 8
/** Size of the BTH, RETH, AETH, ImmDt, DETH, AtomicETH, AtomicAckETH and ICRC. */
#define FAB_BTH_LEN 12
#define FAB_RETH_LEN 16
#define FAB_AETH_LEN 4
#define FAB_IMMDT_LEN 4
#define FAB_DETH_LEN 8
#define FAB_ATOMICETH_LEN 28
#define FAB_ATOMICACKETH_LEN 8
#define FAB_CNP_RSVD_LEN 16
#define FAB_ICRC_LEN 4
/** Default partition key. */
#define FAB_PKEY_DEFAULT 0xffff
/** PSNs are 24-bit and wrap. */
#define FAB_PSN_MASK 0xffffffu
/** QPNs are 24-bit; 0 and 1 are the special SMI and GSI queue pairs. */
#define FAB_QPN_MASK 0xffffffu

/** BTH opcodes used by rocefab (RC transport unless named otherwise). */
enum fab_bth_opcode {
	FAB_OP_RC_SEND_FIRST = 0x00,
	FAB_OP_RC_SEND_MIDDLE = 0x01,
	FAB_OP_RC_SEND_LAST = 0x02,
	FAB_OP_RC_SEND_LAST_IMM = 0x03,
	FAB_OP_RC_SEND_ONLY = 0x04,
	FAB_OP_RC_SEND_ONLY_IMM = 0x05,
	FAB_OP_RC_WRITE_FIRST = 0x06,
	FAB_OP_RC_WRITE_MIDDLE = 0x07,
	FAB_OP_RC_WRITE_LAST = 0x08,
	FAB_OP_RC_WRITE_LAST_IMM = 0x09,
	FAB_OP_RC_WRITE_ONLY = 0x0a,
	FAB_OP_RC_WRITE_ONLY_IMM = 0x0b,
	FAB_OP_RC_READ_REQUEST = 0x0c,
	FAB_OP_RC_READ_RESP_FIRST = 0x0d,
	FAB_OP_RC_READ_RESP_MIDDLE = 0x0e,
	FAB_OP_RC_READ_RESP_LAST = 0x0f,
	FAB_OP_RC_READ_RESP_ONLY = 0x10,
	FAB_OP_RC_ACK = 0x11,
	FAB_OP_RC_ATOMIC_ACK = 0x12,
	FAB_OP_RC_CMP_SWAP = 0x13,
	FAB_OP_RC_FETCH_ADD = 0x14,
	FAB_OP_RC_SEND_LAST_INV = 0x16,
	FAB_OP_RC_SEND_ONLY_INV = 0x17,
	FAB_OP_UD_SEND_ONLY = 0x64,
	FAB_OP_UD_SEND_ONLY_IMM = 0x65,
	FAB_OP_CNP = 0x81,
};

/** Extension headers that follow the BTH, as a bit set (fab_bth_opcode_info()). */
enum fab_bth_ext {
	FAB_EXT_RETH = 1u << 0,
	FAB_EXT_AETH = 1u << 1,
	FAB_EXT_IMMDT = 1u << 2,
	FAB_EXT_DETH = 1u << 3,
	FAB_EXT_ATOMICETH = 1u << 4,
	FAB_EXT_ATOMICACKETH = 1u << 5,
	FAB_EXT_IETH = 1u << 6,
	FAB_EXT_CNP_RSVD = 1u << 7,
	/** The opcode carries payload (may still be zero bytes long). */
	FAB_EXT_PAYLOAD = 1u << 8,
};

/** AETH syndromes (top three bits select the kind). */
#define FAB_AETH_ACK 0x00
#define FAB_AETH_RNR_NAK 0x20
#define FAB_AETH_NAK 0x60
#define FAB_AETH_KIND_MASK 0xe0
#define FAB_AETH_CREDITS_UNLIMITED 0x1f
#define FAB_AETH_NAK_PSN_SEQ_ERR 0x60
#define FAB_AETH_NAK_INVALID_REQ 0x61
#define FAB_AETH_NAK_REMOTE_ACCESS 0x62
#define FAB_AETH_NAK_REMOTE_OP 0x63

/** What kind of frame the parser found. */
enum fab_pkt_kind {
	FAB_PKT_KIND_L2 = 0,   /**< an ethertype rocefab does not route */
	FAB_PKT_KIND_IP,       /**< IPv4 or IPv6 that is not RoCEv2 */
	FAB_PKT_KIND_ROCE,     /**< RoCEv2: UDP to port 4791 with a valid BTH */
	FAB_PKT_KIND_PFC,      /**< 802.1Qbb priority flow control */
	FAB_PKT_KIND_PAUSE,    /**< 802.3x PAUSE */
	FAB_PKT_KIND_MAC_CTRL, /**< another MAC control opcode */
	FAB_PKT_KIND_MAX,
};

/**
 * Why the parser rejected a frame. Zero means it did not. Each malformed
 * form has its own code so that a switch can count drops by reason.
 */
enum fab_pkt_drop {
	FAB_PKT_OK = 0,
	FAB_PKT_DROP_TRUNC_ETH,       /**< shorter than an Ethernet header */
	FAB_PKT_DROP_TRUNC_VLAN,      /**< ends inside an 802.1Q/802.1ad tag */
	FAB_PKT_DROP_VLAN_DEPTH,      /**< more than two VLAN tags */
	FAB_PKT_DROP_TRUNC_IPV4,      /**< ends inside the IPv4 header (or its options) */
	FAB_PKT_DROP_IP_VERSION,      /**< IP version field disagrees with the ethertype */
	FAB_PKT_DROP_IPV4_IHL,        /**< IHL below 5 */
	FAB_PKT_DROP_IPV4_CHECKSUM,   /**< header checksum wrong */
	FAB_PKT_DROP_IPV4_TOTAL_LEN,  /**< total length beyond the frame or below the header */
	FAB_PKT_DROP_FRAGMENT,        /**< an IPv4 fragment or an IPv6 fragment header */
	FAB_PKT_DROP_TRUNC_IPV6,      /**< ends inside the IPv6 fixed header */
	FAB_PKT_DROP_IPV6_PAYLOAD_LEN,/**< payload length beyond the frame */
	FAB_PKT_DROP_TRUNC_IPV6_EXT,  /**< ends inside an IPv6 extension header */
	FAB_PKT_DROP_TRUNC_UDP,       /**< IP payload shorter than a UDP header */
	FAB_PKT_DROP_UDP_LEN,         /**< UDP length beyond the IP payload or below 8 */
	FAB_PKT_DROP_TRUNC_BTH,       /**< UDP payload shorter than BTH plus ICRC */
	FAB_PKT_DROP_BTH_OPCODE,      /**< an opcode rocefab does not know */
	FAB_PKT_DROP_TRUNC_ROCE_EXT,  /**< extension headers, pad or ICRC do not fit */
	FAB_PKT_DROP_TRUNC_MAC_CTRL,  /**< MAC control frame shorter than its fields */
	FAB_PKT_DROP_RUNT,            /**< well-formed but under the 60-byte minimum */
	FAB_PKT_DROP_MAX,
};

/** Network layer of a parsed frame. */
enum fab_l3 {
	FAB_L3_NONE = 0,
	FAB_L3_IPV4 = 4,
	FAB_L3_IPV6 = 6,
};

/** IPv4 or IPv6 address; IPv4 is held in network order in v4, the rest zero. */
union fab_ip_addr {
	uint32_t v4;
	uint8_t v6[16];
	uint64_t w[2];
};

/**
 * The 5-tuple of a frame; what ECMP hashes. For RoCEv2 the UDP source port
 * carries the flow entropy. Ports and addresses are in network order.
 */
struct fab_flow_key {
	union fab_ip_addr src;
	union fab_ip_addr dst;
	uint16_t src_port;
	uint16_t dst_port;
	uint8_t proto;
	uint8_t l3; /**< enum fab_l3 */
	uint16_t pad_;
};

/** Flags of struct fab_pkt_meta. */
#define FAB_PKT_F_VLAN      (1u << 0)  /**< at least one VLAN tag */
#define FAB_PKT_F_IPV4_OPTS (1u << 1)  /**< IHL above 5 */
#define FAB_PKT_F_IPV6_EXT  (1u << 2)  /**< IPv6 extension headers present */
#define FAB_PKT_F_MULTISEG  (1u << 3)  /**< the mbuf has more than one segment */
#define FAB_PKT_F_SOLICITED (1u << 4)  /**< BTH solicited event */
#define FAB_PKT_F_MIGREQ    (1u << 5)  /**< BTH MigReq */
#define FAB_PKT_F_FECN      (1u << 6)  /**< BTH FECN */
#define FAB_PKT_F_BECN      (1u << 7)  /**< BTH BECN */
#define FAB_PKT_F_ACKREQ    (1u << 8)  /**< BTH AckReq */
#define FAB_PKT_F_L4_UNKNOWN (1u << 9) /**< IPv6 header chain stopped at an ESP/AH/unknown header */
#define FAB_PKT_F_TTL_EXPIRED (1u << 10) /**< fab_pkt_parse_fwd(): TTL or hop limit was 0 or 1, left as it was */

/**
 * Everything the switch and the generator need from one frame. Offsets are
 * from the start of the frame. Fields beyond `kind` are valid only for the
 * layers that kind implies.
 */
struct fab_pkt_meta {
	uint32_t pkt_len;      /**< bytes in the whole mbuf chain */
	uint16_t flags;        /**< FAB_PKT_F_* */
	uint8_t kind;          /**< enum fab_pkt_kind */
	uint8_t drop;          /**< enum fab_pkt_drop; FAB_PKT_OK when valid */

	uint16_t ether_type;   /**< innermost ethertype, host order */
	uint16_t vlan_tci;     /**< outer tag's TCI when FAB_PKT_F_VLAN */
	uint8_t vlan_count;    /**< 0, 1 or 2 */
	uint8_t pcp;           /**< outer tag's priority code point, else 0 */
	uint8_t l3;            /**< enum fab_l3 */
	uint8_t l4_proto;      /**< IPPROTO_* of the transport header */

	uint16_t l3_off;       /**< IP header */
	uint16_t l4_off;       /**< UDP header (or the transport after IPv6 extensions) */
	uint16_t bth_off;      /**< BTH (RoCE only) */
	uint16_t payload_off;  /**< RDMA payload (RoCE only) */
	uint32_t l3_end;       /**< end of the IP datagram: the frame may be padded beyond */

	uint8_t dscp;          /**< 6-bit DSCP */
	uint8_t ecn;           /**< 2-bit ECN field */
	uint8_t ttl;           /**< TTL or hop limit */
	uint8_t bth_opcode;    /**< enum fab_bth_opcode */

	uint16_t ext;          /**< FAB_EXT_* headers present after the BTH */
	uint8_t pad_count;     /**< BTH pad count */
	uint8_t aeth_syndrome; /**< AETH syndrome when FAB_EXT_AETH */

	uint16_t pkey;         /**< BTH partition key */
	uint16_t mac_ctrl_op;  /**< MAC control opcode (PFC/PAUSE/other) */
	uint32_t dest_qp;      /**< BTH destination QP, 24 bits */
	uint32_t psn;          /**< BTH PSN, 24 bits */
	uint32_t msn;          /**< AETH MSN, 24 bits */
	uint32_t payload_len;  /**< RDMA payload bytes, without pad and ICRC */

	struct fab_flow_key key;
};

/**
 * Parse one frame.
 *
 * Fills @p meta from the mbuf chain without writing to it. Every header is
 * checked against the data actually present, and length fields against both
 * the frame and the enclosing header. A frame whose headers are all sound
 * but which is shorter than 60 bytes is a runt.
 *
 * @return FAB_PKT_OK (0), or the enum fab_pkt_drop reason, also stored in
 *   meta->drop.
 */
int fab_pkt_parse(const struct rte_mbuf *m, struct fab_pkt_meta *meta);

/**
 * Parse one frame as a router's ingress does: fab_pkt_parse(), then, for an
 * IP frame, fab_pkt_dec_ttl() in the same pass while the header is at hand.
 *
 * An IP frame whose TTL (hop limit) was above 1 leaves with it one less, in
 * the frame and in meta->ttl, and its IPv4 checksum updated. One whose TTL
 * was 0 or 1 is left as it was and gets FAB_PKT_F_TTL_EXPIRED: the router
 * drops it. Other frames, and frames the parser refuses, are not written.
 *
 * @return as fab_pkt_parse().
 */
int fab_pkt_parse_fwd(struct rte_mbuf *m, struct fab_pkt_meta *meta);

/**
 * Parse a frame held in one contiguous buffer (a pcap record, a test
 * vector). Same rules as fab_pkt_parse().
 */
int fab_pkt_parse_buf(const void *frame, uint32_t len, struct fab_pkt_meta *meta);

/**
 * What follows the BTH for @p opcode.
 *
 * @return a FAB_EXT_* set, or 0 if rocefab does not know the opcode.
 */
uint16_t fab_bth_opcode_info(uint8_t opcode);

/** Length in bytes of the extension headers in a FAB_EXT_* set. */
uint32_t fab_bth_ext_len(uint16_t ext);

/** Short name of a BTH opcode ("RC_WRITE_FIRST", "CNP", ...), or "UNKNOWN". */
const char *fab_bth_opcode_name(uint8_t opcode);

/** Name of a drop reason, stable and suitable for counters ("trunc_udp"). */
const char *fab_pkt_drop_name(enum fab_pkt_drop reason);

/** Name of a frame kind ("roce", "pfc", ...). */
const char *fab_pkt_kind_name(enum fab_pkt_kind kind);

/**
 * Offset of an extension header within the RoCE frame described by @p meta,
 * or 0 if it is absent.
 */
uint32_t fab_pkt_ext_off(const struct fab_pkt_meta *meta, enum fab_bth_ext which);

/**
 * Mark Congestion Experienced on an ECT frame.
 *
 * IPv4 updates the header checksum incrementally (RFC 1624); IPv6 sets the
 * two ECN bits of the traffic class. The ICRC masks both, so it stays valid.
 * Updates meta->ecn.
 *
 * @return 1 if the frame was marked, 0 if it was not ECN-capable (Not-ECT)
 *   or already CE, -EINVAL if it is not IP.
 */
int fab_pkt_mark_ce(struct rte_mbuf *m, struct fab_pkt_meta *meta);

/** fab_pkt_dec_ttl() for every case but its inline one; not for direct use. */
int fab_pkt_dec_ttl_general(struct rte_mbuf *m, struct fab_pkt_meta *meta);

/**
 * Decrement TTL (IPv4, with an incremental checksum update) or hop limit.
 *
 * @return the new TTL, or -ETIMEDOUT when it was already 0 or 1 (the frame
 *   must be dropped), -EINVAL if the frame is not IP.
 */
static inline int
fab_pkt_dec_ttl(struct rte_mbuf *m, struct fab_pkt_meta *meta)
{
	/*
	 * Inline for the switch's every frame: an IPv4 header in the first
	 * segment is one 32-bit read and write of TTL, protocol and checksum.
	 */
	if (likely(meta->l3 == FAB_L3_IPV4 && meta->ttl > 1 &&
			m->data_len >= (uint32_t)meta->l3_off + 20)) {
		uint8_t *w8 = rte_pktmbuf_mtod_offset(m, uint8_t *, meta->l3_off + 8);
		uint32_t w, sum;

		memcpy(&w, w8, 4);
		w = rte_be_to_cpu_32(w);
		meta->ttl--;
		/*
		 * TTL is the high byte of its 16-bit word: one less TTL is 0x0100
		 * less in the sum, so the checksum grows by 0x0100 with the carry
		 * folded back in (RFC 1624).
		 */
		sum = (w & 0xffff) + 0x0100;
		sum = (sum & 0xffff) + (sum >> 16);
		w = (uint32_t)meta->ttl << 24 | (w & 0x00ff0000) | sum;
		w = rte_cpu_to_be_32(w);
		memcpy(w8, &w, 4);
		return meta->ttl;
	}
	return fab_pkt_dec_ttl_general(m, meta);
}

/**
 * Rewrite DSCP (IPv4 with an incremental checksum update, or IPv6), keeping
 * the ECN bits.
 *
 * @return 0, or -EINVAL if the frame is not IP.
 */
int fab_pkt_set_dscp(struct rte_mbuf *m, struct fab_pkt_meta *meta, uint8_t dscp);

/* ------------------------------------------------------------------ */
/* Builders                                                            */
/* ------------------------------------------------------------------ */

/** Addresses and header fields a RoCEv2 frame starts with. */
struct fab_roce_addr {
	struct rte_ether_addr dst_mac;
	struct rte_ether_addr src_mac;
	uint16_t vlan_tci;     /**< used when has_vlan */
	bool has_vlan;
	uint8_t l3;            /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	union fab_ip_addr src_ip;
	union fab_ip_addr dst_ip;
	uint8_t dscp;
	uint8_t ecn;           /**< ECT(0) = 2, ECT(1) = 1, Not-ECT = 0 */
	uint8_t ttl;           /**< TTL or hop limit; 0 means 64 */
	uint32_t flow_label;   /**< IPv6 only, 20 bits */
	uint16_t udp_src_port; /**< host order; the flow's entropy */
};

/** The BTH fields a builder takes. */
struct fab_bth_fields {
	uint8_t opcode;
	bool solicited;
	bool ack_req;
	bool becn;
	bool fecn;
	uint16_t pkey;         /**< 0 means FAB_PKEY_DEFAULT */
	uint32_t dest_qp;
	uint32_t psn;
};

/** RDMA extended transport header. */
struct fab_reth {
	uint64_t vaddr;
	uint32_t rkey;
	uint32_t dma_len;
};

/** Extension header contents a builder takes; only those the opcode needs are read. */
struct fab_roce_ext {
	struct fab_reth reth;
	uint8_t aeth_syndrome;
	uint32_t aeth_msn;
	uint32_t immdt;        /**< host order */
	uint32_t deth_qkey;
	uint32_t deth_src_qp;
	uint32_t ieth_rkey;
};

/**
 * Size of the frame fab_pkt_build_roce() writes.
 *
 * @return bytes, or 0 if the opcode is unknown.
 */
uint32_t fab_pkt_roce_frame_len(const struct fab_roce_addr *addr, uint8_t opcode,
		uint32_t payload_len);

/**
 * Build a complete RoCEv2 frame: Ethernet (optionally tagged), IPv4 (with
 * DF and a header checksum) or IPv6, UDP to 4791 with checksum 0, the BTH,
 * the extension headers the opcode takes, @p payload_len bytes of payload
 * (copied from @p payload, or left for the caller when it is NULL), the pad
 * to a multiple of 4 (counted in the BTH pad count) and the ICRC.
 *
 * When @p payload is NULL the caller fills the payload at
 * meta.payload_off and then calls fab_icrc_set_buf().
 *
 * @return the frame length, -EINVAL for an unknown opcode or a bad address
 *   family, -ENOSPC if @p cap is too small, -EMSGSIZE for a payload that
 *   cannot fit a UDP datagram.
 */
int fab_pkt_build_roce(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		const struct fab_bth_fields *bth, const struct fab_roce_ext *ext,
		const void *payload, uint32_t payload_len);

/** Which part of a message an RDMA WRITE packet carries. */
enum fab_write_part {
	FAB_WRITE_FIRST,
	FAB_WRITE_MIDDLE,
	FAB_WRITE_LAST,
	FAB_WRITE_ONLY,
};

/**
 * Build an RDMA WRITE first/middle/last/only packet; RETH rides on first and
 * only. See fab_pkt_build_roce() for the return value.
 */
int fab_pkt_build_write(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		enum fab_write_part part, uint32_t dest_qp, uint32_t psn, bool ack_req,
		const struct fab_reth *reth, const void *payload, uint32_t payload_len);

/* ------------------------------------------------------------------ */
/* Frames with a shared zero payload                                   */
/* ------------------------------------------------------------------ */

/** Bytes of the shared read-only zeros: the largest payload plus pad a body segment carries. */
#define FAB_PKT_ZERO_AREA_LEN 16384u

/**
 * Create an mbuf pool of @p n mbufs with @p data_room bytes each, packed:
 * its objects need no IO-contiguous memory, so on 4 KB pages none is
 * rounded up to whole pages. For frames no device ever reads (an
 * in-process fabric's). Per-core cache: the largest the pool allows.
 *
 * @return the pool, or NULL with rte_errno set.
 */
struct rte_mempool *fab_pkt_pool_create_packed(const char *name, unsigned int n,
		uint16_t data_room, int socket_id);

/**
 * Create a pool of body segments: mbufs whose data is pinned to one
 * read-only area of zeros that every frame built with
 * fab_pkt_build_roce_zc() shares (DPDK's pinned external buffers, all
 * pointing at the same bytes), packed as fab_pkt_pool_create_packed()
 * packs. Freed like any mbuf. @p cache_size 0 (or one too large for @p n)
 * gives the largest per-core cache the pool allows.
 *
 * @return the pool, or NULL with rte_errno set.
 */
struct rte_mempool *fab_pkt_zero_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, int socket_id);

/** Whether @p m is a body segment of such a pool. */
bool fab_pkt_is_zero_mbuf(const struct rte_mbuf *m);

/**
 * Start loading, for writing, the @p n mbufs that the next allocations
 * from @p mp on this lcore will return (the top of its per-lcore cache,
 * taken last in, first out). A caller that allocates a frame's mbufs now
 * and then, with other work between, calls it after each allocation: the
 * next one then writes to mbufs already in the cache instead of waiting
 * for each. Frees in between put other mbufs on top; nothing is lost but
 * the prefetch. Changes nothing.
 */
void fab_pkt_pool_prefetch_next(struct rte_mempool *mp, unsigned int n);

/**
 * Start fetching every mbuf of a frame built by fab_pkt_build_roce_zc()
 * (and the tail's data) into the cache at once, from a hint the builder
 * leaves in the head's first cache line, instead of one segment after the
 * other as following the chain does. For a receiver about to check the
 * ICRC and free the frame: after a long wait in queues its segments are
 * cold, and the chain is four dependent misses. Reads only the head's
 * first cache line; does nothing for other frames (a stale hint on one of
 * them costs a useless fetch, never a fault). The hint lives in the mbuf's
 * RSS hash field, which a NIC's receive writes: it is for frames that stay
 * in the process.
 */
void fab_pkt_prefetch_zc(const struct rte_mbuf *m);

/**
 * Where the hint of fab_pkt_prefetch_zc() says a frame's body and tail
 * mbufs are, read from the head's first cache line alone. The hint is not
 * checked against the chain: follow m->next to know.
 *
 * @return 0, or -ENOENT if @p m is not a three-segment frame with a hint.
 */
int fab_pkt_zc_hint(const struct rte_mbuf *m, const struct rte_mbuf **body,
		const struct rte_mbuf **tail);

/**
 * Build a RoCEv2 frame whose payload is zeros without writing or copying
 * them: a chain of @p head (the headers, written at its data offset), @p body
 * (a mbuf of fab_pkt_zero_pool_create()'s pool: the payload and pad) and
 * @p tail (the ICRC, at its data offset). The frame's bytes are exactly what
 * fab_pkt_build_roce() writes with a payload of zeros, and its ICRC is
 * computed from the headers alone. Nothing may write into the body: its
 * bytes are shared by every such frame and lie in read-only memory.
 *
 * On success the three mbufs are one frame, owned through @p head; on
 * failure they are left as they were, unchained.
 *
 * @return the frame length, -EINVAL (see fab_pkt_build_roce(), an empty
 *   payload, or a body that is not a zero-pool mbuf), -ENOSPC (the headers
 *   do not fit @p head or the ICRC @p tail) or -EMSGSIZE (a payload larger
 *   than the shared area or a UDP datagram).
 */
int fab_pkt_build_roce_zc(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		const struct fab_roce_addr *addr, const struct fab_bth_fields *bth,
		const struct fab_roce_ext *ext, uint32_t payload_len);

/** fab_pkt_build_write() as fab_pkt_build_roce_zc() builds: a zero payload, not copied. */
int fab_pkt_build_write_zc(struct rte_mbuf *head, struct rte_mbuf *body, struct rte_mbuf *tail,
		const struct fab_roce_addr *addr, enum fab_write_part part, uint32_t dest_qp,
		uint32_t psn, bool ack_req, const struct fab_reth *reth, uint32_t payload_len);

/** Bytes of headers a zero-payload frame template holds. */
#define FAB_PKT_ZC_TMPL_HDR_MAX 128u

/**
 * A flow's full-size RDMA WRITE MIDDLE frames with a zero payload: the
 * headers of one with PSN 0, and the ICRC's CRC state over them up to the
 * PSN. Filled by fab_pkt_zc_tmpl_init(); read-only afterwards, so one
 * template may serve any number of threads.
 */
struct fab_pkt_zc_tmpl {
	uint8_t hdr[FAB_PKT_ZC_TMPL_HDR_MAX]; /**< the headers, PSN 0 */
	uint16_t hdr_len;       /**< header bytes: where the payload starts */
	uint16_t psn_off;       /**< the PSN's three bytes: the last of the headers */
	uint32_t payload_len;
	uint32_t body_len;      /**< payload and pad */
	uint32_t frame_len;
	uint32_t crc_state;     /**< CRC register after the masked headers before the PSN */
};

/**
 * Prepare @p t for WRITE MIDDLE frames of @p payload_len bytes to
 * @p dest_qp with the headers of @p addr (no AckReq: a message's middle).
 *
 * @return 0, or -EINVAL (NULL argument, empty payload, or what
 *   fab_pkt_build_roce() refuses), -EMSGSIZE (a payload larger than the
 *   shared zeros), -ENOSPC (headers longer than the template holds).
 */
int fab_pkt_zc_tmpl_init(struct fab_pkt_zc_tmpl *t, const struct fab_roce_addr *addr,
		uint32_t dest_qp, uint32_t payload_len);

/**
 * Build the WRITE MIDDLE frame with PSN @p psn (24 bits) of template @p t
 * into @p head, @p body and @p tail as fab_pkt_build_write_zc() would (the
 * bytes are the same), by copying the headers and carrying the ICRC on
 * over the PSN instead of writing and CRC-ing every field. Refusals and
 * the return value are fab_pkt_build_roce_zc()'s.
 */
int fab_pkt_build_write_middle_zc(const struct fab_pkt_zc_tmpl *t, struct rte_mbuf *head,
		struct rte_mbuf *body, struct rte_mbuf *tail, uint32_t psn);

/**
 * Build an RC ACK or NAK: opcode 0x11 with an AETH carrying @p syndrome and
 * @p msn; @p psn is the PSN acknowledged, or for a NAK the PSN expected.
 */
int fab_pkt_build_ack(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		uint32_t dest_qp, uint32_t psn, uint8_t syndrome, uint32_t msn);

/**
 * Build a congestion notification packet for @p dest_qp: opcode 0x81, BECN
 * set, 16 reserved zero bytes, ICRC. Per RoCEv2 the PSN is 0.
 */
int fab_pkt_build_cnp(void *buf, uint32_t cap, const struct fab_roce_addr *addr,
		uint32_t dest_qp);

/* ------------------------------------------------------------------ */
/* ICRC                                                                */
/* ------------------------------------------------------------------ */

/** CRC-32 implementations, fastest last. */
enum fab_crc_path {
	FAB_CRC_PATH_SCALAR = 0,  /**< DPDK's table-driven code */
	FAB_CRC_PATH_SSE42,       /**< DPDK's PCLMULQDQ folding */
	FAB_CRC_PATH_AVX512,      /**< DPDK's VPCLMULQDQ folding */
	FAB_CRC_PATH_MAX,
};

/**
 * Choose the fastest CRC-32 path this CPU and the EAL's maximum SIMD width
 * allow (call after rte_eal_init()). AVX512 needs AVX512F/BW/DQ/VL and
 * VPCLMULQDQ and `--force-max-simd-bitwidth=512`.
 *
 * @return the path chosen.
 */
enum fab_crc_path fab_crc_select_best(void);

/**
 * Use @p path for every later CRC. A path the CPU or the EAL's SIMD width
 * cannot run is refused.
 *
 * @return 0, or -ENOTSUP.
 */
int fab_crc_set_path(enum fab_crc_path path);

/** The path in use. */
enum fab_crc_path fab_crc_get_path(void);

/** Whether @p path can run here. */
bool fab_crc_path_available(enum fab_crc_path path);

/** "scalar", "sse42" or "avx512". */
const char *fab_crc_path_name(enum fab_crc_path path);

/** CRC-32 (Ethernet polynomial, as zlib's crc32(0, data, len)) of a buffer. */
uint32_t fab_crc32(const void *data, uint32_t len);

/**
 * CRC-32 of A followed by B, from crc(A), crc(B) and the length of B
 * (as zlib's crc32_combine).
 */
uint32_t fab_crc32_combine(uint32_t crc_a, uint32_t crc_b, uint64_t len_b);

/**
 * CRC-32 of A followed by @p n zero bytes, from crc(A), without reading any:
 * a multiplication by x^(8n) modulo the polynomial.
 */
uint32_t fab_crc32_zeros(uint32_t crc_a, uint64_t n);

/**
 * Compute the ICRC of the RoCEv2 frame @p meta describes (masking, as IBTA
 * Annex A17 prescribes, the LRH stand-in, the IP fields a router may change,
 * the UDP checksum and the BTH's FECN/BECN/reserved byte).
 *
 * The mbuf may be multi-segment. Its first segment is masked in place and
 * restored before returning, so the mbuf must not be shared with another
 * thread during the call.
 *
 * @return the ICRC as a host-order value (stored on the wire least
 *   significant byte first).
 */
uint32_t fab_icrc_compute(struct rte_mbuf *m, const struct fab_pkt_meta *meta);

/** Compute the ICRC and write it into the frame's last four bytes of the UDP payload. */
void fab_icrc_set(struct rte_mbuf *m, const struct fab_pkt_meta *meta);

/** @return true if the frame's ICRC is correct. */
bool fab_icrc_verify(struct rte_mbuf *m, const struct fab_pkt_meta *meta);

/** fab_icrc_compute() over one contiguous frame buffer. */
uint32_t fab_icrc_compute_buf(void *frame, const struct fab_pkt_meta *meta);

/** fab_icrc_set() over one contiguous frame buffer. */
void fab_icrc_set_buf(void *frame, const struct fab_pkt_meta *meta);

/** fab_icrc_verify() over one contiguous frame buffer. */
bool fab_icrc_verify_buf(void *frame, const struct fab_pkt_meta *meta);

/* ------------------------------------------------------------------ */
/* PFC and PAUSE                                                       */
/* ------------------------------------------------------------------ */

/** Destination of PAUSE and PFC frames. */
#define FAB_PFC_DST_MAC { { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x01 } }
/** Length of a built PFC or PAUSE frame, padded, without FCS. */
#define FAB_PFC_FRAME_LEN FAB_ETH_MIN_FRAME

/** The contents of a PFC or PAUSE frame. */
struct fab_pfc_frame {
	uint16_t opcode;       /**< FAB_MAC_CTRL_PFC or FAB_MAC_CTRL_PAUSE */
	uint8_t enable;        /**< class-enable vector: bit n = priority n (PAUSE: 0xff) */
	uint16_t quanta[FAB_NUM_PRIO]; /**< pause time per priority; PAUSE repeats its one time */
};

/**
 * Build a PFC frame from @p src_mac: 01:80:c2:00:00:01, 0x8808, opcode
 * 0x0101, the class-enable vector, eight pause times (those of disabled
 * classes written as 0), zero padding to 60 bytes.
 *
 * @return FAB_PFC_FRAME_LEN, or -ENOSPC.
 */
int fab_pfc_build(void *buf, uint32_t cap, const struct rte_ether_addr *src_mac,
		uint8_t enable, const uint16_t quanta[FAB_NUM_PRIO]);

/** Build a classic 802.3x PAUSE frame. @return FAB_PFC_FRAME_LEN, or -ENOSPC. */
int fab_pause_build(void *buf, uint32_t cap, const struct rte_ether_addr *src_mac,
		uint16_t quanta);

/**
 * Decode the MAC control frame that fab_pkt_parse() classified as
 * FAB_PKT_KIND_PFC or FAB_PKT_KIND_PAUSE.
 *
 * @return 0, or -EINVAL if it is neither.
 */
int fab_pfc_decode(const struct rte_mbuf *m, const struct fab_pkt_meta *meta,
		struct fab_pfc_frame *out);

/** fab_pfc_decode() over a contiguous buffer. */
int fab_pfc_decode_buf(const void *frame, const struct fab_pkt_meta *meta,
		struct fab_pfc_frame *out);

/**
 * Duration of @p quanta pause quanta (512 bit times each) at @p rate_bps, in
 * picoseconds, rounded up so a pause never ends early.
 */
uint64_t fab_pfc_quanta_to_ps(uint32_t quanta, uint64_t rate_bps);

/**
 * Pause quanta that cover at least @p ps picoseconds at @p rate_bps,
 * saturated at 65535.
 */
uint16_t fab_pfc_ps_to_quanta(uint64_t ps, uint64_t rate_bps);

/** Time a frame of @p frame_len bytes (no FCS) occupies the wire at @p rate_bps, in ps. */
uint64_t fab_wire_time_ps(uint32_t frame_len, uint64_t rate_bps);

#ifdef __cplusplus
}
#endif

#endif /* FAB_PKT_H */
