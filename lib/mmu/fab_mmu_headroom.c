/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Sizing the XOFF headroom of a lossless priority group. */

#include "fab_mmu.h"

#define PS_PER_NS 1000u
#define PS_PER_S UINT64_C(1000000000000)

uint32_t
fab_mmu_headroom_bytes(uint64_t rate_bps, uint32_t cable_m, uint32_t mtu,
		uint32_t peer_response_ns)
{
	/*
	 * Frames count whole on the wire, whatever the rate: the one being
	 * received and the one the peer has begun, then the PFC frame itself.
	 */
	uint64_t frames = 2 * ((uint64_t)mtu + FAB_ETH_WIRE_OVERHEAD) +
			FAB_PFC_FRAME_LEN + FAB_ETH_WIRE_OVERHEAD;
	/* Delays become bytes at the port rate, rounded up once at the end. */
	uint64_t delay_ps = 2 * (uint64_t)cable_m * FAB_MMU_CABLE_PS_PER_M +
			(uint64_t)peer_response_ns * PS_PER_NS;
	unsigned __int128 delay_bits = (unsigned __int128)delay_ps * rate_bps;
	unsigned __int128 per_byte = (unsigned __int128)8 * PS_PER_S;
	unsigned __int128 total = frames + (delay_bits + per_byte - 1) / per_byte;

	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}
