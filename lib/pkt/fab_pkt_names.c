/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Opcode table and the names the counters and the decoder print. */

#include <rte_common.h>

#include "fab_pkt.h"
#include "fab_pkt_private.h"

#define RC_PAYLOAD FAB_EXT_PAYLOAD

/* What follows the BTH, per opcode (IBTA vol. 1, 9.2 and table 38; 0x81 from Annex A17). */
static const uint16_t opcode_info[256] = {
	[FAB_OP_RC_SEND_FIRST] = RC_PAYLOAD,
	[FAB_OP_RC_SEND_MIDDLE] = RC_PAYLOAD,
	[FAB_OP_RC_SEND_LAST] = RC_PAYLOAD,
	[FAB_OP_RC_SEND_LAST_IMM] = RC_PAYLOAD | FAB_EXT_IMMDT,
	[FAB_OP_RC_SEND_ONLY] = RC_PAYLOAD,
	[FAB_OP_RC_SEND_ONLY_IMM] = RC_PAYLOAD | FAB_EXT_IMMDT,
	[FAB_OP_RC_WRITE_FIRST] = RC_PAYLOAD | FAB_EXT_RETH,
	[FAB_OP_RC_WRITE_MIDDLE] = RC_PAYLOAD,
	[FAB_OP_RC_WRITE_LAST] = RC_PAYLOAD,
	[FAB_OP_RC_WRITE_LAST_IMM] = RC_PAYLOAD | FAB_EXT_IMMDT,
	[FAB_OP_RC_WRITE_ONLY] = RC_PAYLOAD | FAB_EXT_RETH,
	[FAB_OP_RC_WRITE_ONLY_IMM] = RC_PAYLOAD | FAB_EXT_RETH | FAB_EXT_IMMDT,
	[FAB_OP_RC_READ_REQUEST] = FAB_EXT_RETH,
	[FAB_OP_RC_READ_RESP_FIRST] = RC_PAYLOAD | FAB_EXT_AETH,
	[FAB_OP_RC_READ_RESP_MIDDLE] = RC_PAYLOAD,
	[FAB_OP_RC_READ_RESP_LAST] = RC_PAYLOAD | FAB_EXT_AETH,
	[FAB_OP_RC_READ_RESP_ONLY] = RC_PAYLOAD | FAB_EXT_AETH,
	[FAB_OP_RC_ACK] = FAB_EXT_AETH,
	[FAB_OP_RC_ATOMIC_ACK] = FAB_EXT_AETH | FAB_EXT_ATOMICACKETH,
	[FAB_OP_RC_CMP_SWAP] = FAB_EXT_ATOMICETH,
	[FAB_OP_RC_FETCH_ADD] = FAB_EXT_ATOMICETH,
	[FAB_OP_RC_SEND_LAST_INV] = RC_PAYLOAD | FAB_EXT_IETH,
	[FAB_OP_RC_SEND_ONLY_INV] = RC_PAYLOAD | FAB_EXT_IETH,
	/* UC: the RC layouts without the read, ack and atomic opcodes. */
	[0x20] = RC_PAYLOAD,
	[0x21] = RC_PAYLOAD,
	[0x22] = RC_PAYLOAD,
	[0x23] = RC_PAYLOAD | FAB_EXT_IMMDT,
	[0x24] = RC_PAYLOAD,
	[0x25] = RC_PAYLOAD | FAB_EXT_IMMDT,
	[0x26] = RC_PAYLOAD | FAB_EXT_RETH,
	[0x27] = RC_PAYLOAD,
	[0x28] = RC_PAYLOAD,
	[0x29] = RC_PAYLOAD | FAB_EXT_IMMDT,
	[0x2a] = RC_PAYLOAD | FAB_EXT_RETH,
	[0x2b] = RC_PAYLOAD | FAB_EXT_RETH | FAB_EXT_IMMDT,
	[FAB_OP_UD_SEND_ONLY] = RC_PAYLOAD | FAB_EXT_DETH,
	[FAB_OP_UD_SEND_ONLY_IMM] = RC_PAYLOAD | FAB_EXT_DETH | FAB_EXT_IMMDT,
	[FAB_OP_CNP] = FAB_EXT_CNP_RSVD,
};

static const char *const opcode_names[256] = {
	[FAB_OP_RC_SEND_FIRST] = "RC_SEND_FIRST",
	[FAB_OP_RC_SEND_MIDDLE] = "RC_SEND_MIDDLE",
	[FAB_OP_RC_SEND_LAST] = "RC_SEND_LAST",
	[FAB_OP_RC_SEND_LAST_IMM] = "RC_SEND_LAST_IMM",
	[FAB_OP_RC_SEND_ONLY] = "RC_SEND_ONLY",
	[FAB_OP_RC_SEND_ONLY_IMM] = "RC_SEND_ONLY_IMM",
	[FAB_OP_RC_WRITE_FIRST] = "RC_WRITE_FIRST",
	[FAB_OP_RC_WRITE_MIDDLE] = "RC_WRITE_MIDDLE",
	[FAB_OP_RC_WRITE_LAST] = "RC_WRITE_LAST",
	[FAB_OP_RC_WRITE_LAST_IMM] = "RC_WRITE_LAST_IMM",
	[FAB_OP_RC_WRITE_ONLY] = "RC_WRITE_ONLY",
	[FAB_OP_RC_WRITE_ONLY_IMM] = "RC_WRITE_ONLY_IMM",
	[FAB_OP_RC_READ_REQUEST] = "RC_READ_REQUEST",
	[FAB_OP_RC_READ_RESP_FIRST] = "RC_READ_RESP_FIRST",
	[FAB_OP_RC_READ_RESP_MIDDLE] = "RC_READ_RESP_MIDDLE",
	[FAB_OP_RC_READ_RESP_LAST] = "RC_READ_RESP_LAST",
	[FAB_OP_RC_READ_RESP_ONLY] = "RC_READ_RESP_ONLY",
	[FAB_OP_RC_ACK] = "RC_ACK",
	[FAB_OP_RC_ATOMIC_ACK] = "RC_ATOMIC_ACK",
	[FAB_OP_RC_CMP_SWAP] = "RC_CMP_SWAP",
	[FAB_OP_RC_FETCH_ADD] = "RC_FETCH_ADD",
	[FAB_OP_RC_SEND_LAST_INV] = "RC_SEND_LAST_INV",
	[FAB_OP_RC_SEND_ONLY_INV] = "RC_SEND_ONLY_INV",
	[0x20] = "UC_SEND_FIRST",
	[0x21] = "UC_SEND_MIDDLE",
	[0x22] = "UC_SEND_LAST",
	[0x23] = "UC_SEND_LAST_IMM",
	[0x24] = "UC_SEND_ONLY",
	[0x25] = "UC_SEND_ONLY_IMM",
	[0x26] = "UC_WRITE_FIRST",
	[0x27] = "UC_WRITE_MIDDLE",
	[0x28] = "UC_WRITE_LAST",
	[0x29] = "UC_WRITE_LAST_IMM",
	[0x2a] = "UC_WRITE_ONLY",
	[0x2b] = "UC_WRITE_ONLY_IMM",
	[FAB_OP_UD_SEND_ONLY] = "UD_SEND_ONLY",
	[FAB_OP_UD_SEND_ONLY_IMM] = "UD_SEND_ONLY_IMM",
	[FAB_OP_CNP] = "CNP",
};

/* Extension headers in the order IBTA places them after the BTH. */
static const struct {
	uint16_t bit;
	uint8_t len;
} ext_order[] = {
	{ FAB_EXT_DETH, FAB_DETH_LEN },
	{ FAB_EXT_RETH, FAB_RETH_LEN },
	{ FAB_EXT_ATOMICETH, FAB_ATOMICETH_LEN },
	{ FAB_EXT_AETH, FAB_AETH_LEN },
	{ FAB_EXT_ATOMICACKETH, FAB_ATOMICACKETH_LEN },
	{ FAB_EXT_IMMDT, FAB_IMMDT_LEN },
	{ FAB_EXT_IETH, 4 },
	{ FAB_EXT_CNP_RSVD, FAB_CNP_RSVD_LEN },
};

uint16_t
fab_bth_opcode_info(uint8_t opcode)
{
	return opcode_info[opcode];
}

/* For the parser: what follows the BTH and how long it is, by opcode, in one load. */
struct fab_pkt_opcode_layout fab_pkt_opcode_layout[256];

RTE_INIT(fab_pkt_opcode_layout_init)
{
	int op;

	for (op = 0; op < 256; op++) {
		fab_pkt_opcode_layout[op].ext = opcode_info[op];
		fab_pkt_opcode_layout[op].ext_len = (uint16_t)fab_bth_ext_len(opcode_info[op]);
	}
}

uint32_t
fab_bth_ext_len(uint16_t ext)
{
	uint32_t len = 0;
	size_t i;

	for (i = 0; i < RTE_DIM(ext_order); i++)
		if (ext & ext_order[i].bit)
			len += ext_order[i].len;
	return len;
}

uint32_t
fab_pkt_ext_off(const struct fab_pkt_meta *meta, enum fab_bth_ext which)
{
	uint32_t off;
	size_t i;

	if (meta->kind != FAB_PKT_KIND_ROCE || !(meta->ext & which))
		return 0;
	off = (uint32_t)meta->bth_off + FAB_BTH_LEN;
	for (i = 0; i < RTE_DIM(ext_order); i++) {
		if (ext_order[i].bit == (uint16_t)which)
			return off;
		if (meta->ext & ext_order[i].bit)
			off += ext_order[i].len;
	}
	return 0;
}

const char *
fab_bth_opcode_name(uint8_t opcode)
{
	return opcode_names[opcode] != NULL ? opcode_names[opcode] : "UNKNOWN";
}

static const char *const drop_names[FAB_PKT_DROP_MAX] = {
	[FAB_PKT_OK] = "ok",
	[FAB_PKT_DROP_TRUNC_ETH] = "trunc_eth",
	[FAB_PKT_DROP_TRUNC_VLAN] = "trunc_vlan",
	[FAB_PKT_DROP_VLAN_DEPTH] = "vlan_depth",
	[FAB_PKT_DROP_TRUNC_IPV4] = "trunc_ipv4",
	[FAB_PKT_DROP_IP_VERSION] = "ip_version",
	[FAB_PKT_DROP_IPV4_IHL] = "ipv4_ihl",
	[FAB_PKT_DROP_IPV4_CHECKSUM] = "ipv4_checksum",
	[FAB_PKT_DROP_IPV4_TOTAL_LEN] = "ipv4_total_len",
	[FAB_PKT_DROP_FRAGMENT] = "fragment",
	[FAB_PKT_DROP_TRUNC_IPV6] = "trunc_ipv6",
	[FAB_PKT_DROP_IPV6_PAYLOAD_LEN] = "ipv6_payload_len",
	[FAB_PKT_DROP_TRUNC_IPV6_EXT] = "trunc_ipv6_ext",
	[FAB_PKT_DROP_TRUNC_UDP] = "trunc_udp",
	[FAB_PKT_DROP_UDP_LEN] = "udp_len",
	[FAB_PKT_DROP_TRUNC_BTH] = "trunc_bth",
	[FAB_PKT_DROP_BTH_OPCODE] = "bth_opcode",
	[FAB_PKT_DROP_TRUNC_ROCE_EXT] = "trunc_roce_ext",
	[FAB_PKT_DROP_TRUNC_MAC_CTRL] = "trunc_mac_ctrl",
	[FAB_PKT_DROP_RUNT] = "runt",
};

const char *
fab_pkt_drop_name(enum fab_pkt_drop reason)
{
	if ((unsigned int)reason >= FAB_PKT_DROP_MAX)
		return "invalid";
	return drop_names[reason];
}

static const char *const kind_names[FAB_PKT_KIND_MAX] = {
	[FAB_PKT_KIND_L2] = "l2",
	[FAB_PKT_KIND_IP] = "ip",
	[FAB_PKT_KIND_ROCE] = "roce",
	[FAB_PKT_KIND_PFC] = "pfc",
	[FAB_PKT_KIND_PAUSE] = "pause",
	[FAB_PKT_KIND_MAC_CTRL] = "mac_ctrl",
};

const char *
fab_pkt_kind_name(enum fab_pkt_kind kind)
{
	if ((unsigned int)kind >= FAB_PKT_KIND_MAX)
		return "invalid";
	return kind_names[kind];
}
