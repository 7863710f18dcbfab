/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rocefab: a whole leaf/spine fabric in one process, from a scenario file.
 * `check` and `topo` only read the scenario: they start no EAL and take no
 * DPDK memory, so they run anywhere (CI, a laptop without hugepages).
 * `run` starts an EAL of its own making (no hugepages, no PCI, no shared
 * config) and leaves the work to lib/run and lib/fabric.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include <fab_scenario.h>
#include <fab_clock.h>
#include <fab_fabric.h>
#include <fab_run.h>

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: rocefab COMMAND FILE [OPTIONS]\n"
		"\n"
		"Commands:\n"
		"  check FILE     validate a scenario (docs/config.md, \"Fabric scenarios\"):\n"
		"                 print a one-line summary, or FILE:LINE:COL: error: ...\n"
		"  topo FILE      print the nodes, ports, links, addresses, MACs, routes,\n"
		"                 flows and run settings the scenario expands to\n"
		"  run FILE       run the scenario and write a run directory\n"
		"\n"
		"Options of run:\n"
		"  --out DIR      the run directory (default ./rocefab-out)\n"
		"  --seed N       replace the scenario's seed\n"
		"  --quiet        no report on stdout, no progress bar\n"
		"  --verbose      also print the EAL arguments and memory size\n"
		"\n"
		"Options:\n"
		"  -h, --help     this text\n"
		"  -V, --version  the version\n"
		"\n"
		"Exit status: 0 done, 1 invalid scenario (or unreadable file, or a failed\n"
		"run), 2 usage error.\n");
}

static int
load(const char *path, struct fab_scenario *s)
{
	char err[1024];
	int ret;

	err[0] = '\0';
	ret = fab_scenario_load(path, s, err, sizeof(err));
	if (ret < 0) {
		if (err[0] != '\0')
			fprintf(stderr, "%s\n", err);
		else
			fprintf(stderr, "rocefab: %s: %s\n", path, strerror(-ret));
		return -1;
	}
	return 0;
}

static int
cmd_check(const char *path)
{
	struct fab_scenario s;
	char line[512];

	if (load(path, &s) < 0)
		return 1;
	fab_scenario_summary(&s, line, sizeof(line));
	printf("%s: ok: %s\n", path, line);
	fab_scenario_free(&s);
	return 0;
}

static int
cmd_topo(const char *path)
{
	struct fab_scenario s;
	char *text;

	if (load(path, &s) < 0)
		return 1;
	text = fab_scenario_format_topo(&s);
	fab_scenario_free(&s);
	if (text == NULL) {
		fprintf(stderr, "rocefab: %s: %s\n", path, strerror(rte_errno));
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}

struct run_args {
	const char *file;
	const char *out;
	uint64_t seed;
	bool seed_set;
	bool quiet;
	bool verbose;
};

/* Virtual time per slice when the scenario samples nothing: progress and pacing granularity. */
#define RUN_DEFAULT_SLICE_PS (UINT64_C(10) * 1000 * 1000)
/*
 * The output writer's chunks: 256 KB each, two per file plus 32 spares
 * before the loop waits. Every open file holds a partial chunk, so with
 * many tapped links the chunks shrink to keep those within 64 MB.
 */
#define RUN_WRITE_CHUNK (UINT32_C(256) << 10)
#define RUN_WRITE_MIN_CHUNK (UINT32_C(16) << 10)
#define RUN_WRITE_PARTIAL_BUDGET (UINT32_C(64) << 20)
#define RUN_WRITE_SPARE_CHUNKS 32
/* Slices of a duration run without sampling. */
#define RUN_DURATION_SLICES 200
/* A run ending "when done" stops at this virtual time whatever happens (scenario maximum). */
#define RUN_MAX_PS (UINT64_C(3600) * FAB_PS_PER_SEC)

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* mkdir -p: the run directory may be several levels deep (run/incast/seed2). */
static int
make_dir(const char *path)
{
	char buf[4096];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf)) {
		fprintf(stderr, "rocefab: '%s': bad directory name\n", path);
		return -1;
	}
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			fprintf(stderr, "rocefab: %s: %s\n", buf, strerror(errno));
			return -1;
		}
		buf[i] = path[i];
	}
	return 0;
}

static int
start_eal(const struct fab_scenario *s, const struct run_args *a)
{
	uint64_t mb = (fab_run_memory_bytes(s) + (UINT64_C(1) << 20) - 1) >> 20;
	char mem[32];
	char *argv[] = {
		(char *)"rocefab", (char *)"--no-huge", (char *)"--no-pci", (char *)"--no-shconf",
		(char *)"--no-telemetry", (char *)"-l", (char *)"0", (char *)"-m", mem,
		(char *)"--force-max-simd-bitwidth=512", (char *)"--log-level=lib.eal:error",
		/* The switches' start-up lines only with --verbose. */
		(char *)(a->verbose ? "--log-level=rocefab.*:info" : "--log-level=rocefab.*:warning"),
	};
	int argc = (int)RTE_DIM(argv), i;

	snprintf(mem, sizeof(mem), "%" PRIu64, mb);
	if (a->verbose) {
		fprintf(stderr, "rocefab: memory %" PRIu64 " MB; EAL:", mb);
		for (i = 0; i < argc; i++)
			fprintf(stderr, " %s", argv[i]);
		fputc('\n', stderr);
	}
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "rocefab: cannot start the EAL: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	fab_crc_select_best();
	return 0;
}

static void
progress(const struct fab_scenario *s, uint64_t now, double wall)
{
	if (s->run.end_when_done) {
		fprintf(stderr, "\r[ %12.3f us of virtual time, until done ] %.1f s wall", (double)now / 1e6,
			wall);
	} else {
		unsigned int width = 40, done = (unsigned int)((unsigned __int128)now * width /
			(s->run.end_ps != 0 ? s->run.end_ps : 1));
		char bar[41];

		if (done > width)
			done = width;
		memset(bar, '#', done);
		memset(bar + done, '.', width - done);
		bar[width] = '\0';
		fprintf(stderr, "\r[%s] %.3f / %.3f us, %.1f s wall", bar, (double)now / 1e6,
			(double)s->run.end_ps / 1e6, wall);
	}
	fflush(stderr);
}

/* Run slice by slice: samples, progress and pacing happen between slices. */
static int
run_loop(struct fab_fabric *fab, const struct fab_scenario *s, struct fab_run_series *ts,
		struct fab_run_writer *w, bool bar, struct fab_run_info *info)
{
	uint64_t slice, end = s->run.end_when_done ? RUN_MAX_PS : s->run.end_ps, target = 0;
	struct fab_clock *pace = NULL;
	double t0 = wall_now(), last_bar = 0;
	int ret;

	slice = s->run.sample_interval_ps;
	if (slice == 0)
		slice = s->run.end_when_done ? RUN_DEFAULT_SLICE_PS :
			RTE_MAX(s->run.end_ps / RUN_DURATION_SLICES, UINT64_C(1));
	if (s->run.time == FAB_SCN_TIME_PACED) {
		struct fab_clock_conf cc = { .mode = FAB_CLOCK_PACED };

		pace = fab_clock_create(&cc);
		if (pace == NULL) {
			fprintf(stderr, "rocefab: cannot create the paced clock: %s\n",
				rte_strerror(rte_errno));
			return -1;
		}
	}
	do {
		target = end - target > slice ? target + slice : end;
		ret = fab_fabric_run(fab, target);
		if (ret < 0) {
			fprintf(stderr, "rocefab: %s\n", fab_fabric_error(fab));
			break;
		}
		if (ts != NULL) {
			int e = fab_run_series_sample(ts, s, fab);

			if (e < 0) {
				fprintf(stderr, "rocefab: cannot write the time series: %s\n",
					strerror(-e));
				ret = e;
				break;
			}
		}
		if (pace != NULL) {
			uint64_t wait = 0;

			/* Hold virtual time to the wall clock: wait when ahead, count slip when behind. */
			while (fab_clock_pace(pace, fab_fabric_now(fab), &wait) == -EAGAIN) {
				struct timespec d = { .tv_sec = (time_t)(wait / FAB_PS_PER_SEC),
					.tv_nsec = (long)(wait % FAB_PS_PER_SEC / 1000) };

				nanosleep(&d, NULL);
			}
		}
		if (bar && wall_now() - last_bar > 0.2) {
			last_bar = wall_now();
			progress(s, fab_fabric_now(fab), last_bar - t0);
		}
	} while (target < end && (ret == 1 || !s->run.end_when_done));
	/* The run is done when its taps and series are on disk: the wall time includes the writer's tail. */
	if (ret >= 0) {
		int e = fab_run_writer_flush(w);

		if (e < 0) {
			fprintf(stderr, "rocefab: cannot write the pcaps or the time series: %s\n",
				strerror(-e));
			ret = e;
		}
	}
	info->wall_time_s = wall_now() - t0;
	if (bar) {
		progress(s, fab_fabric_now(fab), info->wall_time_s);
		fputc('\n', stderr);
	}
	if (pace != NULL) {
		struct fab_clock_pace_stats ps;

		if (fab_clock_pace_stats(pace, &ps) == 0) {
			info->pace_late = ps.late;
			info->pace_max_slip_ps = ps.max_slip_ps;
		}
		fab_clock_free(pace);
	}
	return ret < 0 ? -1 : 0;
}

static FILE *
open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL)
		fprintf(stderr, "rocefab: %s: %s\n", path, strerror(errno));
	return f;
}

static int
write_file(const char *dir, const char *name, const struct fab_scenario *s,
		struct fab_fabric *fab, const struct fab_run_info *info)
{
	FILE *f = open_out(dir, name);
	int ret;

	if (f == NULL)
		return -1;
	if (info != NULL)
		ret = fab_run_write_summary(f, s, fab, info);
	else if (strcmp(name, "collectives.csv") == 0)
		ret = fab_run_write_collectives(f, s, fab);
	else if (strcmp(name, "fct.txt") == 0)
		ret = fab_run_write_fct_txt(f, s, fab);
	else
		ret = fab_run_write_flows(f, s, fab);
	if (fclose(f) != 0 || ret < 0) {
		fprintf(stderr, "rocefab: %s/%s: cannot write\n", dir, name);
		return -1;
	}
	return 0;
}

/*
 * Draw the plots with gnuplot when it is installed: the script is written
 * either way, so the plots can be drawn later elsewhere.
 */
static void
draw_plots(const char *out, const struct fab_scenario *s, struct fab_fabric *fab, bool quiet)
{
	char dir[4096];
	FILE *f;
	pid_t pid;
	int st = 0, ret;

	snprintf(dir, sizeof(dir), "%s/plots", out);
	if (make_dir(dir) < 0)
		return;
	f = open_out(dir, "plots.gp");
	if (f == NULL)
		return;
	ret = fab_run_write_plot_script(f, s, fab);
	if (fclose(f) != 0 || ret < 0) {
		fprintf(stderr, "rocefab: %s/plots.gp: cannot write\n", dir);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (chdir(dir) == 0)
			execlp("gnuplot", "gnuplot", "plots.gp", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		f = open_out(dir, "NOTE.txt");
		if (f != NULL) {
			fprintf(f, "gnuplot is not installed or failed: no plots drawn; "
				"run `gnuplot plots.gp` here to draw them.\n");
			fclose(f);
		}
		if (!quiet)
			printf("  plots skipped: gnuplot is not installed or failed (see %s/NOTE.txt)\n",
				dir);
	}
}

static int
cmd_run(const struct run_args *a)
{
	char err[1024], path[4096];
	struct fab_run_opts opts = { .seed = a->seed, .seed_set = a->seed_set };
	struct fab_run_info info;
	struct fab_run_series *ts = NULL;
	struct fab_run_taps *taps = NULL;
	struct fab_run_writer *w = NULL;
	struct fab_fabric *fab = NULL;
	struct fab_scenario s;
	int rc = 1;

	if (load(a->file, &s) < 0)
		return 1;
	memset(&info, 0, sizeof(info));
	info.seed = a->seed_set ? a->seed : s.seed;
	if (make_dir(a->out) < 0 || start_eal(&s, a) < 0) {
		fab_scenario_free(&s);
		return 1;
	}
	err[0] = '\0';
	fab = fab_run_build(&s, &opts, err, sizeof(err));
	if (fab == NULL) {
		fprintf(stderr, "rocefab: %s: %s\n", a->file, err);
		goto out;
	}
	if (fab_fabric_start(fab) < 0) {
		fprintf(stderr, "rocefab: %s: %s\n", a->file, fab_fabric_error(fab));
		goto out;
	}
	{
		/* The taps' pcaps and the three series files at most. */
		uint32_t files = s.run.nb_taps + 3;
		uint32_t chunk = RTE_MIN(RUN_WRITE_PARTIAL_BUDGET / files, RUN_WRITE_CHUNK);

		if (chunk < RUN_WRITE_MIN_CHUNK)
			chunk = RUN_WRITE_MIN_CHUNK;

		w = fab_run_writer_create(chunk, 2 * files + RUN_WRITE_SPARE_CHUNKS);
	}
	if (w == NULL) {
		fprintf(stderr, "rocefab: cannot start the output writer: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/pcaps", a->out);
	if (s.run.nb_taps > 0 && make_dir(path) < 0)
		goto out;
	{
		char pfc[4096];

		snprintf(pfc, sizeof(pfc), "%s/pfc.txt", a->out);
		taps = fab_run_taps_open(&s, fab, w, s.run.nb_taps > 0 ? path : NULL, pfc, err,
			sizeof(err));
		if (taps == NULL) {
			fprintf(stderr, "rocefab: %s\n", err);
			goto out;
		}
	}
	if (s.run.sample_interval_ps != 0) {
		snprintf(path, sizeof(path), "%s/timeseries", a->out);
		if (make_dir(path) < 0)
			goto out;
		ts = fab_run_series_open(&s, w, path);
		if (ts == NULL) {
			fprintf(stderr, "rocefab: %s: %s\n", path, strerror(rte_errno));
			goto out;
		}
	}
	if (run_loop(fab, &s, ts, w, !a->quiet && isatty(STDERR_FILENO), &info) < 0)
		goto out;
	{
		int e = fab_run_taps_close(taps, fab);

		taps = NULL;
		if (e < 0) {
			fprintf(stderr, "rocefab: cannot write the pcaps or pfc.txt: %s\n", strerror(-e));
			goto out;
		}
	}
	{
		int e = fab_run_series_close(ts);

		ts = NULL;
		if (e < 0) {
			fprintf(stderr, "rocefab: cannot write the time series: %s\n", strerror(-e));
			goto out;
		}
	}
	ts = NULL;
	/* Before gnuplot is forked: no thread of ours runs beside a fork. */
	if (fab_run_writer_free(w) < 0) {
		w = NULL;
		fprintf(stderr, "rocefab: cannot write the run's outputs\n");
		goto out;
	}
	w = NULL;
	if (write_file(a->out, "summary.json", &s, fab, &info) < 0 ||
			write_file(a->out, "flows.csv", &s, fab, NULL) < 0 ||
			write_file(a->out, "fct.txt", &s, fab, NULL) < 0 ||
			(s.nb_jobs != 0 && write_file(a->out, "collectives.csv", &s, fab, NULL) < 0))
		goto out;
	if (!a->quiet) {
		fab_run_write_report(stdout, &s, fab, &info);
		fab_run_write_nccl(stdout, &s, fab);
	}
	if (s.run.sample_interval_ps != 0)
		draw_plots(a->out, &s, fab, a->quiet);
	if (!a->quiet) {
		printf("  outputs in %s/\n", a->out);
	}
	rc = 0;
out:
	fab_run_taps_close(taps, fab);
	fab_run_series_close(ts);
	fab_run_writer_free(w);
	fab_fabric_free(fab);
	fab_scenario_free(&s);
	rte_eal_cleanup();
	return rc;
}

static int
parse_run(int argc, char **argv, struct run_args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->out = "rocefab-out";
	for (i = 2; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "--out") == 0 && i + 1 < argc) {
			a->out = argv[++i];
		} else if (strcmp(o, "--seed") == 0 && i + 1 < argc) {
			char *end;

			errno = 0;
			a->seed = strtoull(argv[++i], &end, 0);
			if (errno != 0 || *end != '\0' || argv[i][0] == '\0' || argv[i][0] == '-') {
				fprintf(stderr, "rocefab: --seed: not a number: '%s'\n", argv[i]);
				return -1;
			}
			a->seed_set = true;
		} else if (strcmp(o, "--quiet") == 0 || strcmp(o, "-q") == 0) {
			a->quiet = true;
		} else if (strcmp(o, "--verbose") == 0 || strcmp(o, "-v") == 0) {
			a->verbose = true;
		} else if (o[0] == '-' && o[1] != '\0') {
			fprintf(stderr, "rocefab: run: unknown option or missing value: '%s'\n", o);
			return -1;
		} else if (a->file == NULL) {
			a->file = o;
		} else {
			fprintf(stderr, "rocefab: run takes one scenario file\n");
			return -1;
		}
	}
	if (a->file == NULL) {
		fprintf(stderr, "rocefab: run needs a scenario file\n");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct run_args ra;
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("rocefab %s\n", ROCEFAB_VERSION);
		return 0;
	}
	if (strcmp(cmd, "run") == 0) {
		if (parse_run(argc, argv, &ra) < 0) {
			usage(stderr);
			return 2;
		}
		return cmd_run(&ra);
	}
	if (strcmp(cmd, "check") != 0 && strcmp(cmd, "topo") != 0) {
		fprintf(stderr, "rocefab: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	if (argc != 3) {
		fprintf(stderr, "rocefab: %s takes one scenario file\n", cmd);
		usage(stderr);
		return 2;
	}
	return strcmp(cmd, "check") == 0 ? cmd_check(argv[2]) : cmd_topo(argv[2]);
}
