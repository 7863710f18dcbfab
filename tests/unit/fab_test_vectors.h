/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_TEST_VECTORS_H
#define FAB_TEST_VECTORS_H

#include <stdio.h>
#include <CUnit/CUnit.h>

#include "fab_test.h"

#define VEC_MAX 10000

/* Load tests/vectors/<name>.hex; fails the current test if it cannot. */
static inline int
load_vector(const char *name, uint8_t *buf)
{
	char path[512];
	int n;

	snprintf(path, sizeof(path), "%s/tests/vectors/%s.hex", fab_test_source_root(), name);
	n = fab_test_read_hex(path, buf, VEC_MAX);
	CU_ASSERT_FATAL(n > 0);
	return n;
}

#endif
