/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_PFC_PRIVATE_H
#define FAB_PFC_PRIVATE_H

/* Shared by the .c files of lib/pfc only: the module's log type. */

#include <rte_log.h>

extern int fab_pfc_logtype;

#define FAB_PFC_LOG(level, ...) \
	rte_log(RTE_LOG_ ## level, fab_pfc_logtype, "pfc: " __VA_ARGS__)

#endif /* FAB_PFC_PRIVATE_H */
