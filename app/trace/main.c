/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * rocefab-trace: decode pcap traces as the rocefab dataplane sees them
 * (verifying every RoCEv2 ICRC), and write the sample traces.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>

#include <fab_pkt.h>

#include "trace.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: rocefab-trace [--crc-path scalar|sse42|avx512] decode [--quiet] [--check] FILE.pcap...\n"
		"       rocefab-trace samples DIR\n"
		"       rocefab-trace malformed FILE.pcap\n"
		"       rocefab-trace incast DIR [BYTES]\n"
		"       rocefab-trace --help | --version\n"
		"\n"
		"decode   print one line per frame as rocefab parses it: addresses, DSCP/ECN,\n"
		"         BTH opcode, QP, PSN, AETH, payload length, and whether the ICRC is\n"
		"         right; malformed frames show their drop reason. A summary follows.\n"
		"  -q, --quiet   the summary only\n"
		"  -c, --check   exit 1 if any frame is malformed or has a bad ICRC\n"
		"samples  write the sample traces of pcaps/ into DIR\n"
		"malformed  write a trace of malformed and edge frames (runts, truncated\n"
		"         headers, bad lengths, fragments, unknown opcodes, jumbo and oversize\n"
		"         frames, stacked VLANs, PFC variants), each followed by a valid frame\n"
		"incast   write inputs for docs/examples/leaf.yaml: h0, h1, h2 and a remote\n"
		"         host behind up0 each write BYTES (default 4 MiB) to h3 at 100 Gb/s\n"
		"\n"
		"--crc-path  CRC-32 implementation (default: the fastest this CPU allows)\n"
		"\n"
		"exit status: 0 clean, 1 findings (with --check), 2 usage or I/O error\n");
}

/* The EAL only tells which SIMD width we may use; no memory, devices or files. */
static void
start_eal(void)
{
	char *argv[] = {
		"rocefab-trace", "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry",
		"-m", "16", "-l", "0", "--log-level=*:error", "--force-max-simd-bitwidth=512",
		NULL,
	};

	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		fprintf(stderr, "rocefab-trace: EAL not started; using the scalar CRC\n");
}

static int
pick_crc_path(const char *name)
{
	int p;

	if (name == NULL) {
		fab_crc_select_best();
		return 0;
	}
	for (p = 0; p < FAB_CRC_PATH_MAX; p++)
		if (strcmp(name, fab_crc_path_name(p)) == 0) {
			if (fab_crc_set_path(p) != 0) {
				fprintf(stderr, "rocefab-trace: CRC path %s is not available here\n",
					name);
				return -1;
			}
			return 0;
		}
	fprintf(stderr, "rocefab-trace: unknown CRC path '%s' (scalar, sse42, avx512)\n", name);
	return -1;
}

static int
cmd_decode(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "check", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	struct decode_opts o = { 0 };
	int c, i, worst = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qc", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			o.quiet = true;
			break;
		case 'c':
			o.check = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "rocefab-trace decode: no pcap file given\n");
		return 2;
	}
	for (i = optind; i < argc; i++) {
		int rc = trace_decode(argv[i], &o, stdout);

		if (rc > worst)
			worst = rc;
	}
	return worst;
}

int
main(int argc, char **argv)
{
	const char *crc_path = NULL;
	int i = 1, rc;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("rocefab-trace %s\n", ROCEFAB_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--crc-path") == 0 && i + 1 < argc) {
			crc_path = argv[++i];
		} else {
			fprintf(stderr, "rocefab-trace: unknown option %s\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	start_eal();
	if (pick_crc_path(crc_path) != 0)
		return 2;
	if (strcmp(argv[i], "decode") == 0)
		rc = cmd_decode(argc - i, argv + i);
	else if (strcmp(argv[i], "samples") == 0 && i + 2 == argc)
		rc = trace_samples(argv[i + 1]);
	else if (strcmp(argv[i], "malformed") == 0 && i + 2 == argc)
		rc = trace_malformed(argv[i + 1]);
	else if (strcmp(argv[i], "incast") == 0 && (i + 2 == argc || i + 3 == argc)) {
		char *end = NULL;
		unsigned long b = i + 3 == argc ? strtoul(argv[i + 2], &end, 0) : 4ul << 20;

		if ((end != NULL && *end != '\0') || b == 0 || b > (1ul << 30)) {
			fprintf(stderr, "rocefab-trace incast: BYTES must be 1 .. 1 GiB\n");
			rc = 2;
		} else {
			rc = trace_incast(argv[i + 1], (uint32_t)b);
		}
	}
	else {
		fprintf(stderr, "rocefab-trace: unknown command '%s'\n", argv[i]);
		usage(stderr);
		rc = 2;
	}
	rte_eal_cleanup();
	return rc;
}
