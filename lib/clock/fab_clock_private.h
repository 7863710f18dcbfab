/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_CLOCK_PRIVATE_H
#define FAB_CLOCK_PRIVATE_H

#include <rte_log.h>

extern int fab_clock_logtype;

#define FAB_CLOCK_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, fab_clock_logtype, "rocefab.clock: " fmt "\n", ##__VA_ARGS__)

#endif /* FAB_CLOCK_PRIVATE_H */
