/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rocefab-gen: the traffic generator on its own. Jobs of collectives over
 * RoCE RC QPs (lib/gen), run either by every host in virtual time over an
 * ideal crossbar to write a pcap trace, or by the local hosts on DPDK ports
 * in real time against a real fabric (rocefab-switch, a NIC, another
 * rocefab-gen running the other hosts). EAL options, then --, then ours.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <fab_yaml.h>

#include "gen_app.h"

volatile bool gen_stop;

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: rocefab-gen [EAL options] -- --config FILE [options]\n"
		"\n"
		"  -c, --config FILE         hosts, NICs and jobs (YAML; see docs/rocefab-gen.md)\n"
		"  -w, --write-trace FILE    run every host in virtual time over an ideal crossbar\n"
		"                            and write every frame sent to FILE (pcap, ns)\n"
		"      --trace-delay T       crossbar delay of --write-trace (default 1us)\n"
		"  -l, --local NAME[,NAME]   the hosts this process runs (each needs a port);\n"
		"                            default: every host with a port\n"
		"  -d, --duration T          stop after T (virtual time with --write-trace, else\n"
		"                            real time; default: when every job is done)\n"
		"      --linger T            ports: keep answering peers for T once done\n"
		"                            (default 200ms)\n"
		"  -o, --out DIR             write DIR/summary.json and DIR/collectives.csv\n"
		"  -q, --quiet               no tables on stdout\n"
		"  -h, --help                this text\n"
		"  -V, --version             the version\n"
		"\n"
		"T is a duration with its unit (500us, 2s). Without EAL options the EAL starts\n"
		"with --no-huge --no-pci --no-shconf.\n"
		"Exit status: 0 done, 1 configuration, start-up or run error, 2 usage error.\n");
}

static void
on_signal(int sig __rte_unused)
{
	gen_stop = true;
}

static int
parse_time(const char *opt, const char *s, uint64_t *ps)
{
	if (fab_parse_duration(s, ps) != 0) {
		fprintf(stderr, GEN_PROG ": %s: '%s' is not a duration (e.g. 500us, 2s)\n", opt, s);
		return -1;
	}
	return 0;
}

static int
parse_opts(int argc, char **argv, struct gen_opts *o)
{
	enum { OPT_TRACE_DELAY = 256, OPT_LINGER };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "write-trace", required_argument, NULL, 'w' },
		{ "trace-delay", required_argument, NULL, OPT_TRACE_DELAY },
		{ "local", required_argument, NULL, 'l' },
		{ "duration", required_argument, NULL, 'd' },
		{ "linger", required_argument, NULL, OPT_LINGER },
		{ "out", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool delay_given = false;
	int c;

	o->trace_delay_ps = GEN_DEFAULT_TRACE_DELAY_PS;
	o->linger_ps = UINT64_C(200000000000);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:w:l:d:o:qhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'w':
			o->trace_path = optarg;
			break;
		case OPT_TRACE_DELAY:
			if (parse_time("--trace-delay", optarg, &o->trace_delay_ps) < 0)
				return 2;
			delay_given = true;
			break;
		case 'l':
			o->local = optarg;
			break;
		case 'd':
			if (parse_time("--duration", optarg, &o->duration_ps) < 0)
				return 2;
			break;
		case OPT_LINGER:
			if (parse_time("--linger", optarg, &o->linger_ps) < 0)
				return 2;
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf(GEN_PROG " %s\n", ROCEFAB_VERSION);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, GEN_PROG ": unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (o->config == NULL) {
		fprintf(stderr, GEN_PROG ": --config FILE is required\n");
		usage(stderr);
		return 2;
	}
	if (o->trace_path != NULL && o->local != NULL) {
		fprintf(stderr, GEN_PROG ": --local is for ports; --write-trace runs every host\n");
		return 2;
	}
	if (o->trace_path == NULL && delay_given) {
		fprintf(stderr, GEN_PROG ": --trace-delay goes with --write-trace\n");
		return 2;
	}
	return 0;
}

/*
 * Start the EAL with the user's options, or private defaults when there are
 * none (the trace needs mbufs only). Returns the index of our first
 * argument, or -1.
 */
static int
start_eal(int argc, char **argv)
{
	char *defaults[] = {
		argv[0], (char *)"--no-huge", (char *)"--no-pci", (char *)"--no-shconf",
		(char *)"--no-telemetry", (char *)"-l", (char *)"0", (char *)"-m", (char *)"512",
		(char *)"--log-level=lib.eal:error",
	};
	int dd, ret;

	for (dd = 1; dd < argc && strcmp(argv[dd], "--") != 0; dd++)
		;
	/* No "--": every argument is ours. "--" first: no EAL option either. */
	if (dd == argc || dd == 1) {
		ret = rte_eal_init((int)RTE_DIM(defaults), defaults);
		if (ret < 0)
			goto fail;
		return dd == argc ? 1 : 2;
	}
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		goto fail;
	return ret + 1;
fail:
	fprintf(stderr, GEN_PROG ": cannot start the EAL: %s\n", rte_strerror(rte_errno));
	return -1;
}

/* Which hosts run here: every one for a trace; --local or those with a port. */
static int
select_local(struct gen_app *a, bool *local)
{
	struct gen_config *c = &a->conf;
	uint32_t i, n = 0;

	if (a->trace_mode) {
		for (i = 0; i < c->nb_hosts; i++)
			local[i] = true;
		return 0;
	}
	if (a->o.local != NULL) {
		char *list = strdup(a->o.local), *save = NULL, *tok;

		if (list == NULL)
			return 1;
		for (tok = strtok_r(list, ",", &save); tok != NULL;
				tok = strtok_r(NULL, ",", &save)) {
			int h = gen_config_host_by_name(c, tok);

			if (h < 0) {
				fprintf(stderr, GEN_PROG ": --local: no host '%s' in %s\n", tok,
					c->path);
				free(list);
				return 2;
			}
			if (c->hosts[h].port[0] == '\0') {
				fprintf(stderr, "%s:%u:%u: error: host %s has no port: it cannot be "
					"local\n", c->path, c->hosts[h].line, c->hosts[h].col, tok);
				free(list);
				return 1;
			}
			local[h] = true;
		}
		free(list);
	} else {
		for (i = 0; i < c->nb_hosts; i++)
			local[i] = c->hosts[i].port[0] != '\0';
	}
	for (i = 0; i < c->nb_hosts; i++)
		n += local[i];
	if (n == 0) {
		fprintf(stderr, GEN_PROG ": %s: no local host (give hosts a port, or use "
			"--write-trace to run them all)\n", c->path);
		return 1;
	}
	return 0;
}

static int
create_pool(struct gen_app *a, uint32_t nb_local)
{
	struct fab_roce_addr any = { .l3 = FAB_L3_IPV6 };
	uint32_t frame = fab_pkt_roce_frame_len(&any, FAB_OP_RC_WRITE_FIRST, a->conf.mtu);
	uint64_t per_host = 4096, n, rate = 0;
	uint32_t i;

	/*
	 * Ports: the rx and tx rings and the egress. Trace: the egress, and the
	 * crossbar's delay worth of frames in flight from each host (of 512
	 * bytes on average: data and ACKs).
	 */
	if (a->trace_mode) {
		for (i = 0; i < a->conf.nb_hosts; i++)
			rate = RTE_MAX(rate, a->conf.hosts[i].conf.rate_bps);
		per_host = 256 + (uint64_t)((double)a->o.trace_delay_ps * 1e-12 * (double)rate /
			8 / 512);
	}
	n = RTE_MIN(4096 + nb_local * per_host, (uint64_t)1 << 20);
	a->pool = rte_pktmbuf_pool_create("rocefab_gen", (unsigned int)n, 256, 0,
		(uint16_t)RTE_MAX(frame + RTE_PKTMBUF_HEADROOM, (uint32_t)RTE_MBUF_DEFAULT_BUF_SIZE),
		(int)rte_socket_id());
	if (a->pool == NULL) {
		fprintf(stderr, GEN_PROG ": cannot create a pool of %" PRIu64 " mbufs of %u bytes: "
			"%s; give the EAL more memory (-m)\n", n, frame, rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static int
create_gen(struct gen_app *a, const bool *local)
{
	struct fab_gen_conf gc = {
		.seed = a->conf.seed,
		.nic = a->conf.nic,
		.pool = a->pool,
		.socket_id = (int)rte_socket_id(),
	};
	char err[512];
	uint32_t i;
	int ret;

	a->gen = fab_gen_create(&gc, err, sizeof(err));
	if (a->gen == NULL) {
		fprintf(stderr, GEN_PROG ": %s\n", err);
		return -1;
	}
	for (i = 0; i < a->conf.nb_hosts; i++) {
		struct fab_gen_host_conf hc = a->conf.hosts[i].conf;

		hc.local = local[i];
		ret = fab_gen_add_host(a->gen, &hc);
		if (ret < 0) {
			fprintf(stderr, "%s:%u:%u: error: host %s: %s\n", a->conf.path,
				a->conf.hosts[i].line, a->conf.hosts[i].col, hc.name, strerror(-ret));
			return -1;
		}
	}
	for (i = 0; i < a->conf.nb_jobs; i++) {
		const struct gen_job_def *j = &a->conf.jobs[i];

		ret = fab_gen_add_job(a->gen, &j->conf, err, sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "%s:%u:%u: error: jobs[%u]: %s\n", a->conf.path, j->line,
				j->col, i, err);
			return -1;
		}
	}
	if (fab_gen_start(a->gen, 0, err, sizeof(err)) < 0) {
		fprintf(stderr, GEN_PROG ": %s\n", err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct gen_app a = { 0 };
	char err[1024];
	bool *local = NULL;
	uint32_t i, nb_local = 0;
	int first, ret, rc = 1;

	first = start_eal(argc, argv);
	if (first < 0)
		return 1;
	argv[first - 1] = argv[0];
	ret = parse_opts(argc - first + 1, argv + first - 1, &a.o);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret;
	}
	a.trace_mode = a.o.trace_path != NULL;
	if (gen_config_load(a.o.config, &a.conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}
	local = calloc(a.conf.nb_hosts, sizeof(*local));
	a.hosts = calloc(a.conf.nb_hosts, sizeof(*a.hosts));
	if (local == NULL || a.hosts == NULL)
		goto out;
	ret = select_local(&a, local);
	if (ret != 0) {
		rc = ret;
		goto out;
	}
	for (i = 0; i < a.conf.nb_hosts; i++) {
		a.hosts[i].idx = i;
		a.hosts[i].name = a.conf.hosts[i].conf.name;
		nb_local += local[i];
	}
	fab_crc_select_best();
	if (create_pool(&a, nb_local) < 0 || create_gen(&a, local) < 0)
		goto out;
	for (i = 0; i < a.conf.nb_hosts; i++)
		if (local[i] && gen_host_start(&a, &a.hosts[i]) < 0)
			goto out;
	if (!a.trace_mode && gen_open_ports(&a) < 0)
		goto out;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!a.o.quiet) {
		printf(GEN_PROG ": %s: %u hosts (%u local), %u jobs, %s, mtu %u, %s\n",
			a.conf.path, a.conf.nb_hosts, nb_local, a.conf.nb_jobs,
			fab_gen_cc_name(a.gen), a.conf.mtu,
			a.trace_mode ? "virtual time, trace" : "real time, ports");
		fflush(stdout);
	}
	ret = a.trace_mode ? gen_run_trace(&a) : gen_run_ports(&a);
	if (!a.o.quiet && a.ran) {
		gen_print_nccl(stdout, &a);
		gen_print_hosts(stdout, &a);
		printf(GEN_PROG ": %s after %.6f s (%s time)\n",
			fab_gen_done(a.gen) ? "done" : "stopped", (double)a.end_ps / 1e12,
			a.trace_mode ? "virtual" : "real");
	}
	rc = (ret == 0 && gen_write_out(&a) == 0) ? 0 : 1;
out:
	if (a.hosts != NULL) {
		gen_close_ports(&a);
		for (i = 0; i < a.conf.nb_hosts; i++)
			gen_host_free(&a.hosts[i]);
	}
	fab_gen_free(a.gen);
	free(a.hosts);
	free(local);
	gen_config_free(&a.conf);
	rte_mempool_free(a.pool);
	rte_eal_cleanup();
	return rc;
}
