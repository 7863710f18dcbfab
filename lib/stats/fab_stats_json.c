/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fab_json.h"
#include "fab_stats.h"

static void
json_u64_array(FILE *f, const char *key, const uint64_t *v, int n, uint64_t div)
{
	fprintf(f, "\"%s\": ", key);
	fab_json_u64_array(f, v, (unsigned int)n, div);
}

static void
counters(FILE *f, const struct fab_switch_port_stats *s, const char *ind)
{
	int i;

	fprintf(f, "%s\"rx_pkts\": %" PRIu64 ", \"rx_bytes\": %" PRIu64
		", \"tx_pkts\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
		", \"tx_ctrl_pkts\": %" PRIu64 ",\n", ind, s->rx_pkts, s->rx_bytes,
		s->tx_pkts, s->tx_bytes, s->tx_ctrl_pkts);
	fprintf(f, "%s\"fwd_pkts\": %" PRIu64 ", \"consumed_pkts\": %" PRIu64
		", \"drops\": %" PRIu64 ", \"ecn_marked\": %" PRIu64 ",\n", ind, s->fwd_pkts,
		s->consumed_pkts, s->drops, s->ecn_marked);
	fprintf(f, "%s\"drop_reasons\": {", ind);
	for (i = 1; i < FAB_PKT_DROP_MAX; i++)
		fprintf(f, "%s\"%s\": %" PRIu64, i > 1 ? ", " : "",
			fab_pkt_drop_name((enum fab_pkt_drop)i), s->drop_parse[i]);
	for (i = 0; i < FAB_SW_DROP_MAX; i++)
		fprintf(f, ", \"%s\": %" PRIu64, fab_switch_drop_name((enum fab_switch_drop)i),
			s->drop[i]);
	fprintf(f, "},\n%s", ind);
	json_u64_array(f, "pfc_tx", s->pfc_tx, FAB_NUM_PRIO, 1);
	fputs(", ", f);
	json_u64_array(f, "pfc_tx_xoff", s->pfc_tx_xoff, FAB_NUM_PRIO, 1);
	fputs(", ", f);
	json_u64_array(f, "pfc_rx", s->pfc_rx, FAB_NUM_PRIO, 1);
	fprintf(f, ", \"pause_rx\": %" PRIu64 ",\n%s", s->pause_rx, ind);
	json_u64_array(f, "paused_ns", s->paused_ps, FAB_NUM_PRIO, 1000);
	fprintf(f, ",\n%s", ind);
	json_u64_array(f, "max_queue_bytes", s->max_queue_bytes, FAB_NUM_PRIO, 1);
	fprintf(f, ",\n%s", ind);
	json_u64_array(f, "queue_bytes", s->queue_bytes, FAB_NUM_PRIO, 1);
	fprintf(f, ",\n%s\"rx_held_ns\": %" PRIu64 ", \"pfc_wd_storms\": %" PRIu64, ind,
		s->rx_held_ps / 1000, s->pfc_wd_storms);
}

int
fab_stats_write_json(FILE *f, const struct fab_switch *sw, uint64_t now,
		const struct fab_stats_run *run)
{
	struct fab_switch_port_stats tot;
	uint16_t p, n = fab_switch_nb_ports(sw);

	fputs("{\n  \"program\": ", f);
	fab_json_string(f, run->program);
	fputs(",\n  \"config\": ", f);
	fab_json_string(f, run->config_path);
	fputs(",\n  \"time_mode\": ", f);
	fab_json_string(f, run->time_mode);
	fprintf(f, ",\n  \"sim_time_ns\": %" PRIu64 ",\n  \"wall_time_s\": %.3f,\n",
		run->sim_time_ps / 1000, run->wall_time_s);
	fprintf(f, "  \"buffer_bytes\": %" PRIu64 ",\n  \"ecn_plugin\": ",
		fab_switch_buffer_bytes(sw));
	fab_json_string(f, fab_switch_ecn_plugin(sw));
	fputs(",\n  \"lb_plugin\": ", f);
	fab_json_string(f, fab_switch_lb_plugin(sw));
	fputs(",\n  \"ports\": [\n", f);
	for (p = 0; p < n; p++) {
		struct fab_port *port = fab_switch_port(sw, p);
		struct fab_switch_port_stats s;

		fab_switch_port_stats(sw, p, now, &s);
		fputs("    {\n      \"name\": ", f);
		fab_json_string(f, fab_port_name(port));
		fputs(", \"kind\": ", f);
		fab_json_string(f, fab_port_kind_name(fab_port_kind(port)));
		fprintf(f, ", \"rate_bps\": %" PRIu64 ", \"headroom_bytes\": %u,\n",
			fab_port_rate_bps(port), fab_switch_port_headroom(sw, p));
		counters(f, &s, "      ");
		fprintf(f, "\n    }%s\n", p + 1 < n ? "," : "");
	}
	fab_switch_total_stats(sw, now, &tot);
	fputs("  ],\n  \"totals\": {\n", f);
	counters(f, &tot, "    ");
	fputs("\n  }\n}\n", f);
	return ferror(f) ? -EIO : 0;
}

int
fab_stats_write_json_file(const char *path, const struct fab_switch *sw, uint64_t now,
		const struct fab_stats_run *run)
{
	char tmp[4096];
	FILE *f;
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -errno;
	rc = fab_stats_write_json(f, sw, now, run);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		remove(tmp);
	return rc;
}

void
fab_stats_print_line(FILE *f, const struct fab_switch *sw, uint64_t now)
{
	struct fab_switch_port_stats t;
	uint64_t xoff = 0, maxq = 0;
	int i;

	fab_switch_total_stats(sw, now, &t);
	for (i = 0; i < FAB_NUM_PRIO; i++) {
		xoff += t.pfc_tx_xoff[i];
		maxq = t.max_queue_bytes[i] > maxq ? t.max_queue_bytes[i] : maxq;
	}
	fprintf(f, "t=%" PRIu64 ".%06" PRIu64 "s rx=%" PRIu64 " tx=%" PRIu64 " fwd=%" PRIu64
		" drops=%" PRIu64 " ecn=%" PRIu64 " pfc_xoff_tx=%" PRIu64 " max_queue=%" PRIu64
		"B\n", (uint64_t)(now / UINT64_C(1000000000000)), (uint64_t)((now / UINT64_C(1000000)) % 1000000u), t.rx_pkts,
		t.tx_pkts, t.fwd_pkts, t.drops, t.ecn_marked, xoff, maxq);
	fflush(f);
}
