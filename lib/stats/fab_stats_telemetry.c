/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rte_telemetry endpoints. The callbacks run on DPDK's telemetry thread: they
 * only read counters (aligned 64-bit loads), never change switch state.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_telemetry.h>

#include "fab_stats.h"

static const struct fab_switch *tel_sw;
static fab_stats_now_fn tel_now;
static void *tel_now_arg;

static uint64_t
now_ps(void)
{
	return tel_now != NULL ? tel_now(tel_now_arg) : 0;
}

static void
add_array(struct rte_tel_data *d, const char *name, const uint64_t *v, uint64_t div)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	int i;

	if (a == NULL)
		return;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = 0; i < FAB_NUM_PRIO; i++)
		rte_tel_data_add_array_u64(a, v[i] / div);
	if (rte_tel_data_add_dict_container(d, name, a, 0) != 0)
		rte_tel_data_free(a);
}

static void
add_counters(struct rte_tel_data *d, const struct fab_switch_port_stats *s)
{
	int i;

	rte_tel_data_add_dict_u64(d, "rx_pkts", s->rx_pkts);
	rte_tel_data_add_dict_u64(d, "rx_bytes", s->rx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_pkts", s->tx_pkts);
	rte_tel_data_add_dict_u64(d, "tx_bytes", s->tx_bytes);
	rte_tel_data_add_dict_u64(d, "tx_ctrl_pkts", s->tx_ctrl_pkts);
	rte_tel_data_add_dict_u64(d, "fwd_pkts", s->fwd_pkts);
	rte_tel_data_add_dict_u64(d, "consumed_pkts", s->consumed_pkts);
	rte_tel_data_add_dict_u64(d, "drops", s->drops);
	rte_tel_data_add_dict_u64(d, "ecn_marked", s->ecn_marked);
	for (i = 1; i < FAB_PKT_DROP_MAX; i++)
		if (s->drop_parse[i] != 0)
			rte_tel_data_add_dict_u64(d, fab_pkt_drop_name((enum fab_pkt_drop)i),
				s->drop_parse[i]);
	for (i = 0; i < FAB_SW_DROP_MAX; i++)
		if (s->drop[i] != 0)
			rte_tel_data_add_dict_u64(d,
				fab_switch_drop_name((enum fab_switch_drop)i), s->drop[i]);
	rte_tel_data_add_dict_u64(d, "pause_rx", s->pause_rx);
	rte_tel_data_add_dict_u64(d, "rx_held_ns", s->rx_held_ps / 1000);
	rte_tel_data_add_dict_u64(d, "pfc_wd_storms", s->pfc_wd_storms);
	add_array(d, "pfc_tx", s->pfc_tx, 1);
	add_array(d, "pfc_tx_xoff", s->pfc_tx_xoff, 1);
	add_array(d, "pfc_rx", s->pfc_rx, 1);
	add_array(d, "paused_ns", s->paused_ps, 1000);
	add_array(d, "queue_bytes", s->queue_bytes, 1);
	add_array(d, "max_queue_bytes", s->max_queue_bytes, 1);
}

static int
cmd_ports(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	uint16_t p;

	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (p = 0; p < fab_switch_nb_ports(tel_sw); p++)
		rte_tel_data_add_array_string(d, fab_port_name(fab_switch_port(tel_sw, p)));
	return 0;
}

static int
cmd_port_stats(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct fab_switch_port_stats s;
	char *end;
	unsigned long id;

	if (params == NULL || *params == '\0')
		return -EINVAL;
	id = strtoul(params, &end, 10);
	if (*end != '\0' || id >= fab_switch_nb_ports(tel_sw))
		return -EINVAL;
	if (fab_switch_port_stats(tel_sw, (uint16_t)id, now_ps(), &s) != 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", fab_port_name(fab_switch_port(tel_sw,
		(uint16_t)id)));
	add_counters(d, &s);
	return 0;
}

static int
cmd_switch(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct fab_switch_port_stats t;
	uint64_t now = now_ps();

	fab_switch_total_stats(tel_sw, now, &t);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "time_ns", now / 1000);
	rte_tel_data_add_dict_u64(d, "ports", fab_switch_nb_ports(tel_sw));
	rte_tel_data_add_dict_u64(d, "buffer_bytes", fab_switch_buffer_bytes(tel_sw));
	rte_tel_data_add_dict_string(d, "ecn_plugin", fab_switch_ecn_plugin(tel_sw));
	rte_tel_data_add_dict_string(d, "lb_plugin", fab_switch_lb_plugin(tel_sw));
	add_counters(d, &t);
	return 0;
}

int
fab_stats_telemetry_register(const struct fab_switch *sw, fab_stats_now_fn now,
		void *now_arg)
{
	int rc;

	if (sw == NULL)
		return -EINVAL;
	if (tel_sw != NULL)
		return -EEXIST;
	tel_sw = sw;
	tel_now = now;
	tel_now_arg = now_arg;
	rc = rte_telemetry_register_cmd("/rocefab/ports", cmd_ports,
		"Names of the switch's ports, by id. Takes no parameters");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/rocefab/port/stats", cmd_port_stats,
			"Counters of one port. Parameters: int port_id");
	if (rc == 0)
		rc = rte_telemetry_register_cmd("/rocefab/switch", cmd_switch,
			"The switch: buffer, plugins, totals. Takes no parameters");
	return rc;
}
