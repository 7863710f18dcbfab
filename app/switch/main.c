/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rocefab-switch: one leaf or spine switch on DPDK ports (real time) or
 * pcap-file ports (virtual time). EAL options, then --, then ours.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include <fab_stats.h>

#include "switch_app.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: rocefab-switch [EAL options] -- --config FILE [options]\n"
		"\n"
		"  -c, --config FILE        switch configuration (YAML; see docs/config.md)\n"
		"  -t, --time real|virtual  time base; default: virtual when every port is a\n"
		"                           pcap file, real when every port is a DPDK device\n"
		"  -s, --stats-interval S   print a one-line summary every S seconds (of the\n"
		"                           run's time base); 0 = never (default: the config's)\n"
		"  -i, --until-idle         stop once every input is drained and every queue is\n"
		"                           empty (always so in virtual time)\n"
		"  -d, --duration S         stop after S seconds (of the run's time base)\n"
		"  -o, --out DIR            write DIR/switch.json with the final counters\n"
		"      --no-shaper          ignore port rates: release frames as fast as the\n"
		"                           ports take them (for benchmarks)\n"
		"  -h, --help               this text\n"
		"  -V, --version            the version\n"
		"\n"
		"Counters are also live through rte_telemetry: /rocefab/switch,\n"
		"/rocefab/ports, /rocefab/port/stats,<id> (dpdk-telemetry.py).\n"
		"Exit status: 0 done, 1 configuration or start-up error, 2 usage error.\n");
}

static void
on_signal(int sig __rte_unused)
{
	app_stop = true;
}

static int
parse_seconds(const char *opt, const char *s, uint64_t *ps)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || v < 0 || v > 1e7) {
		fprintf(stderr, "rocefab-switch: %s: '%s' is not a number of seconds\n", opt, s);
		return -1;
	}
	*ps = (uint64_t)(v * 1e12 + 0.5);
	return 0;
}

static int
parse_opts(int argc, char **argv, struct app_opts *o)
{
	enum { OPT_NO_SHAPER = 256 };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 't' },
		{ "stats-interval", required_argument, NULL, 's' },
		{ "until-idle", no_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "no-shaper", no_argument, NULL, OPT_NO_SHAPER },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool stats_given = false;
	int c;

	o->stats_interval_ps = UINT64_MAX;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:t:s:id:o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 't':
			if (strcmp(optarg, "real") == 0)
				o->time = FAB_CONF_TIME_REAL;
			else if (strcmp(optarg, "virtual") == 0)
				o->time = FAB_CONF_TIME_VIRTUAL;
			else {
				fprintf(stderr, "rocefab-switch: --time takes real or virtual, "
					"not '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			if (parse_seconds("--stats-interval", optarg, &o->stats_interval_ps) < 0)
				return 2;
			stats_given = true;
			break;
		case 'i':
			o->until_idle = true;
			break;
		case 'd':
			if (parse_seconds("--duration", optarg, &o->duration_ps) < 0)
				return 2;
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case OPT_NO_SHAPER:
			o->no_shaper = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("rocefab-switch %s\n", ROCEFAB_VERSION);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rocefab-switch: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (o->config == NULL) {
		fprintf(stderr, "rocefab-switch: --config FILE is required\n");
		usage(stderr);
		return 2;
	}
	if (!stats_given)
		o->stats_interval_ps = UINT64_MAX; /* resolved from the config later */
	return 0;
}

static int
resolve_time(struct app *a)
{
	enum fab_conf_time t = a->o.time != FAB_CONF_TIME_AUTO ? a->o.time : a->conf.time;
	uint16_t p;

	for (p = 0; p < a->conf.nb_ports; p++) {
		const struct fab_conf_port *cp = &a->conf.ports[p];

		if (t == FAB_CONF_TIME_VIRTUAL && cp->kind == FAB_CONF_PORT_DEV) {
			fprintf(stderr, "%s:%u:%u: error: ports[%u]: port %s is a DPDK device: "
				"it runs in real time only (use pcap-file ports for virtual "
				"time)\n", a->conf.path, cp->line, cp->col, p, cp->name);
			return -1;
		}
	}
	a->conf.time = t;
	if (a->o.stats_interval_ps == UINT64_MAX)
		a->o.stats_interval_ps = a->conf.stats_interval_ps;
	return 0;
}

static uint64_t
telemetry_now(void *arg)
{
	struct app *a = arg;

	return a->clock != NULL ? fab_clock_now(a->clock) : 0;
}

static int
write_out(struct app *a)
{
	struct fab_stats_run run = {
		.program = "rocefab-switch",
		.config_path = a->conf.path,
		.time_mode = fab_conf_time_name(a->conf.time),
		.sim_time_ps = a->end_ps,
		.wall_time_s = a->wall_s,
	};
	char path[4096];
	int rc;

	if (a->o.out_dir == NULL)
		return 0;
	if (mkdir(a->o.out_dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "rocefab-switch: cannot create %s: %s\n", a->o.out_dir,
			strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/switch.json", a->o.out_dir);
	rc = fab_stats_write_json_file(path, a->sw, a->end_ps, &run);
	if (rc != 0) {
		fprintf(stderr, "rocefab-switch: cannot write %s: %s\n", path, strerror(-rc));
		return -1;
	}
	return 0;
}

static void
print_summary(struct app *a)
{
	struct fab_switch_port_stats t;
	double s = a->conf.time == FAB_CONF_TIME_VIRTUAL ? (double)a->end_ps / 1e12 : a->wall_s;

	fab_switch_total_stats(a->sw, a->end_ps, &t);
	printf("rocefab-switch: summary: rx_pkts=%" PRIu64 " tx_pkts=%" PRIu64 " drops=%" PRIu64
		" ecn_marked=%" PRIu64 " elapsed_s=%.6f rx_pps=%.0f tx_pps=%.0f\n", t.rx_pkts,
		t.tx_pkts, t.drops, t.ecn_marked, s, s > 0 ? (double)t.rx_pkts / s : 0.0,
		s > 0 ? (double)t.tx_pkts / s : 0.0);
}

int
main(int argc, char **argv)
{
	struct app a = { 0 };
	struct fab_switch_params sp = { 0 };
	char err[1024];
	int ret, rc = 1;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "rocefab-switch: cannot start the EAL: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	ret = parse_opts(argc, argv, &a.o);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret;
	}
	if (fab_switch_conf_load(a.o.config, &a.conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	if (resolve_time(&a) < 0 || app_create_pools(&a) < 0 || app_create_ports(&a) < 0)
		goto out;
	fab_crc_select_best();

	{
		struct fab_clock_conf cc = {
			.mode = a.conf.time == FAB_CONF_TIME_VIRTUAL ? FAB_CLOCK_VIRTUAL :
				FAB_CLOCK_REAL,
		};

		a.clock = fab_clock_create(&cc);
		if (a.clock == NULL) {
			fprintf(stderr, "rocefab-switch: cannot create the clock\n");
			goto out;
		}
	}
	sp.conf = &a.conf;
	sp.ports = a.ports;
	sp.ctrl_pool = a.ctrl_pool;
	sp.route_backend = FAB_ROUTE_DIR24_8;
	sp.unlimited_shaper = a.o.no_shaper;
	sp.socket_id = (int)rte_socket_id();
	a.sw = fab_switch_create(&sp, err, sizeof(err));
	if (a.sw == NULL) {
		fprintf(stderr, "rocefab-switch: %s\n", err);
		goto out;
	}
	fab_stats_telemetry_register(a.sw, telemetry_now, &a);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("rocefab-switch: %s: %u ports, %s time, buffer %" PRIu64 " bytes, ecn %s, lb %s\n",
		a.conf.name, a.conf.nb_ports, fab_conf_time_name(a.conf.time),
		fab_switch_buffer_bytes(a.sw), fab_switch_ecn_plugin(a.sw),
		fab_switch_lb_plugin(a.sw));
	fflush(stdout);
	if (a.conf.time == FAB_CONF_TIME_VIRTUAL)
		ret = app_run_virtual(&a);
	else
		ret = app_run_real(&a);
	print_summary(&a);
	rc = (ret == 0 && write_out(&a) == 0) ? 0 : 1;
out:
	fab_switch_free(a.sw);
	app_free_ports(&a);
	fab_clock_free(a.clock);
	fab_switch_conf_free(&a.conf);
	rte_mempool_free(a.pool);
	rte_mempool_free(a.ctrl_pool);
	rte_eal_cleanup();
	return rc;
}
