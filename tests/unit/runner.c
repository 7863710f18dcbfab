/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * fab-unit: runs one CUnit suite by name (or all with no argument). Exits
 * non-zero when any assertion fails, so `meson test` fails with it.
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "fab_test.h"

struct rte_mempool *fab_test_pool;

struct suite_entry {
	const char *name;
	bool needs_eal;
	int (*add)(void);
};

static const struct suite_entry suites[] = {
#define FAB_SUITE(n, eal) { #n, eal, fab_suite_##n },
#include "fab_suites.h"
#undef FAB_SUITE
};

static int
start_eal(const char *prog)
{
	/*
	 * No hugepages, no PCI, no shared runtime directory and no telemetry
	 * socket: parallel test processes must not collide. The SIMD width is
	 * raised to 512 so the AVX512 CRC path can be tested where the CPU has it.
	 */
	char *argv[] = {
		(char *)(uintptr_t)prog, "--no-huge", "--no-pci", "--no-shconf",
		"--no-telemetry", "-m", "256", "-l", "0", "--log-level=*:warning",
		"--force-max-simd-bitwidth=512", NULL,
	};
	int argc = (int)RTE_DIM(argv) - 1;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "fab-unit: cannot start the EAL\n");
		return -1;
	}
	fab_test_pool = rte_pktmbuf_pool_create("fab_test", 8191, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (fab_test_pool == NULL) {
		fprintf(stderr, "fab-unit: cannot create the mbuf pool\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	bool eal = false;
	unsigned int failures;
	size_t i;
	int found = 0;

	for (i = 0; i < RTE_DIM(suites); i++)
		if (only == NULL || strcmp(only, suites[i].name) == 0) {
			found++;
			eal |= suites[i].needs_eal;
		}
	if (found == 0) {
		fprintf(stderr, "fab-unit: no suite named '%s'; suites:", only);
		for (i = 0; i < RTE_DIM(suites); i++)
			fprintf(stderr, " %s", suites[i].name);
		fprintf(stderr, "\n");
		return 2;
	}
	if (eal && start_eal(argv[0]) < 0)
		return 1;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	for (i = 0; i < RTE_DIM(suites); i++) {
		if (only != NULL && strcmp(only, suites[i].name) != 0)
			continue;
		if (suites[i].add() != 0) {
			fprintf(stderr, "fab-unit: cannot register suite %s: %s\n",
				suites[i].name, CU_get_error_msg());
			CU_cleanup_registry();
			return 1;
		}
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	if (eal) {
		rte_mempool_free(fab_test_pool);
		rte_eal_cleanup();
	}
	return failures == 0 ? 0 : 1;
}
