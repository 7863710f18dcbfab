/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rocefab: a whole leaf/spine fabric in one process, from a scenario file.
 * `check` and `topo` only read the scenario: they start no EAL and take no
 * DPDK memory, so they run anywhere (CI, a laptop without hugepages).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include <fab_scenario.h>

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: rocefab COMMAND FILE\n"
		"\n"
		"Commands:\n"
		"  check FILE     validate a scenario (docs/config.md, \"Fabric scenarios\"):\n"
		"                 print a one-line summary, or FILE:LINE:COL: error: ...\n"
		"  topo FILE      print the nodes, ports, links, addresses, MACs, routes,\n"
		"                 flows and run settings the scenario expands to\n"
		"\n"
		"Options:\n"
		"  -h, --help     this text\n"
		"  -V, --version  the version\n"
		"\n"
		"Exit status: 0 done, 1 invalid scenario (or unreadable file), 2 usage error.\n");
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

int
main(int argc, char **argv)
{
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
