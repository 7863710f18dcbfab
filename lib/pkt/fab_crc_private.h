/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_CRC_PRIVATE_H
#define FAB_CRC_PRIVATE_H

#include <stdint.h>

/*
 * Streaming CRC-32: start from 0xffffffff, feed bytes, finish by inverting.
 * Table-driven and slow; for the few bytes the fast path cannot take.
 */
uint32_t fab_crc32_stream_update(uint32_t state, const void *data, uint32_t len);

#endif /* FAB_CRC_PRIVATE_H */
