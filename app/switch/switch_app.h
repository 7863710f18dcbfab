/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef ROCEFAB_SWITCH_APP_H
#define ROCEFAB_SWITCH_APP_H

#include <stdbool.h>
#include <stdint.h>

#include <fab_clock.h>
#include <fab_config.h>
#include <fab_port.h>
#include <fab_switch.h>

struct app_opts {
	const char *config;
	const char *out_dir;
	enum fab_conf_time time;   /* AUTO: as the config says */
	uint64_t stats_interval_ps;
	uint64_t duration_ps;      /* 0: no limit */
	bool until_idle;
	bool no_shaper;
};

struct app {
	struct app_opts o;
	struct fab_switch_conf conf;
	struct rte_mempool *pool;
	struct rte_mempool *ctrl_pool;
	struct fab_port **ports;
	int64_t *rx_expected;      /* real time: records each net_pcap input holds; -1 unknown */
	struct fab_switch *sw;
	struct fab_clock *clock;
	uint64_t end_ps;           /* time the run reached */
	double wall_s;
};

/* ports.c */
int app_create_pools(struct app *a);
int app_create_ports(struct app *a);
void app_free_ports(struct app *a);
bool app_inputs_drained(struct app *a);

/* run.c */
int app_run_virtual(struct app *a);
int app_run_real(struct app *a);
extern volatile bool app_stop;

#endif
