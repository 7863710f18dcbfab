/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_ICRC_REF_H
#define FAB_ICRC_REF_H

#include <stddef.h>
#include <stdint.h>

/*
 * Independent ICRC reference for the tests: its own header walk, a masked
 * copy and zlib's crc32; shares no code with lib/pkt. Returns 0 and sets
 * *icrc for a RoCEv2 frame (IPv4 or IPv6, up to two VLAN tags), -1 otherwise.
 */
int fab_ref_icrc(const uint8_t *frame, size_t len, uint32_t *icrc, size_t *icrc_off);

#endif
