/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_TEST_H
#define FAB_TEST_H

#include <stdint.h>
#include <CUnit/CUnit.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#define FAB_SUITE(name, needs_eal) int fab_suite_##name(void);
#include "fab_suites.h"
#undef FAB_SUITE

/** Mempool shared by the suites that need mbufs (NULL when the EAL is not up). */
extern struct rte_mempool *fab_test_pool;

/** Directory holding the source tree (vectors, pcaps). */
const char *fab_test_source_root(void);

/** Copy @p len bytes into a fresh mbuf chain of segments of at most @p seg_len bytes. */
struct rte_mbuf *fab_test_mbuf_from(const void *data, uint32_t len, uint32_t seg_len);

/** Read a hex file (whitespace ignored, '#' comments) into @p buf. @return bytes, or -1. */
int fab_test_read_hex(const char *path, uint8_t *buf, uint32_t cap);

/** Register a suite with setup and teardown; returns the CUnit suite or NULL. */
CU_pSuite fab_test_add_suite(const char *name);

#define FAB_ADD_TEST(suite, fn) \
	do { \
		if (CU_add_test((suite), #fn, (fn)) == NULL) \
			return -1; \
	} while (0)

#endif /* FAB_TEST_H */
