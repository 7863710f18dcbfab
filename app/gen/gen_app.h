/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef ROCEFAB_GEN_APP_H
#define ROCEFAB_GEN_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <fab_gen.h>
#include <fab_pfc.h>
#include <fab_port.h>
#include <fab_sched.h>

#define GEN_PROG "rocefab-gen"
#define GEN_BURST 32
/* Data frames a host's class queue holds before the generator waits (a NIC's back-pressure). */
#define GEN_HOST_QUEUE 4
/* Room for ACKs, NAKs and CNPs on top of the data frames, as the fabric's hosts have. */
#define GEN_HOST_CTRL_ROOM 256
#define GEN_DEFAULT_MTU 4096
#define GEN_DEFAULT_TRACE_DELAY_PS UINT64_C(1000000)

/* ------------------------------------------------------------------ */
/* Configuration (config.c)                                            */
/* ------------------------------------------------------------------ */

struct gen_host_def {
	struct fab_gen_host_conf conf;
	char port[FAB_PORT_NAME_MAX]; /* ethdev name or index; "" when remote */
	uint32_t line, col;
};

struct gen_job_def {
	struct fab_gen_job_conf conf; /* hosts and sizes point into the two arrays below */
	uint32_t *hosts;
	uint64_t *sizes;
	uint32_t line, col;
};

struct gen_config {
	char *path;
	uint64_t seed;
	uint32_t mtu;
	struct fab_gen_nic_conf nic;
	char cc[256];
	char cc_args[512];
	uint32_t nb_hosts;
	struct gen_host_def *hosts;
	uint32_t nb_jobs;
	struct gen_job_def *jobs;
};

/* Load @p path; 0, or -1 with a FILE:LINE:COL message in @p err. */
int gen_config_load(const char *path, struct gen_config *c, char *err, size_t errlen);
void gen_config_free(struct gen_config *c);
int gen_config_host_by_name(const struct gen_config *c, const char *name);

/* ------------------------------------------------------------------ */
/* The program                                                         */
/* ------------------------------------------------------------------ */

struct gen_opts {
	const char *config;
	const char *trace_path;
	const char *out_dir;
	const char *local;         /* --local NAME[,NAME] */
	uint64_t duration_ps;      /* 0: until done */
	uint64_t trace_delay_ps;
	uint64_t linger_ps;        /* ports: how long to keep answering once done */
	bool quiet;
};

/* Counters of one local host's NIC, besides the generator's own. */
struct gen_nic_stats {
	uint64_t rx_frames, rx_bytes;
	uint64_t rx_pfc;           /* PFC and PAUSE frames received */
	uint64_t rx_other;         /* frames that are not RoCE for one of its QPs */
	uint64_t tx_frames, tx_bytes;
	uint64_t tx_lost;          /* frames the port did not take */
};

/* A local host: its egress (a scheduler at line rate paused by PFC) and its port. */
struct gen_host {
	uint32_t idx;              /* generator host index = config host index */
	const char *name;
	struct fab_sched *sched;
	struct fab_pfc_rx *pfc_rx;
	uint32_t sched_cap;
	struct fab_port *port;     /* ports mode */
	struct gen_nic_stats st;
};

struct gen_app;

/*
 * Where a host's released frames go: the port (ports mode) or the crossbar
 * and the trace (trace mode). Takes ownership; returns frames taken.
 */
typedef uint16_t (*gen_tx_fn)(struct gen_app *a, struct gen_host *h, struct rte_mbuf **pkts,
		const uint64_t *done_ps, uint16_t n);

struct gen_app {
	struct gen_opts o;
	struct gen_config conf;
	struct rte_mempool *pool;
	struct fab_gen *gen;
	struct gen_host *hosts;    /* one per config host; sched NULL when not local */
	gen_tx_fn tx;
	void *mode;                /* the mode's own state */
	uint64_t end_ps;           /* time the run reached */
	double wall_s;
	bool trace_mode;
	bool ran;                  /* the main loop started */
};

extern volatile bool gen_stop;

/* host.c */
int gen_host_start(struct gen_app *a, struct gen_host *h);
void gen_host_free(struct gen_host *h);
void gen_host_rx_frame(struct gen_app *a, struct gen_host *h, struct rte_mbuf *m,
		uint64_t now);
uint32_t gen_host_step(struct gen_app *a, struct gen_host *h, uint64_t now);
uint64_t gen_host_next_event(const struct gen_app *a, const struct gen_host *h, uint64_t now);
bool gen_host_idle(const struct gen_app *a, const struct gen_host *h, uint64_t now);

/* trace.c */
int gen_run_trace(struct gen_app *a);

/* ports.c */
int gen_open_ports(struct gen_app *a);
void gen_close_ports(struct gen_app *a);
int gen_run_ports(struct gen_app *a);

/* report.c */
void gen_print_nccl(FILE *f, const struct gen_app *a);
void gen_print_hosts(FILE *f, const struct gen_app *a);
int gen_write_out(const struct gen_app *a);

#endif
