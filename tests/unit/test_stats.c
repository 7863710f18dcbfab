/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/stats: the JSON document (validated by a strict JSON reader here, and
 * by Python's when it is installed), its values against the switch's
 * counters, the one-line summary, and telemetry registration.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fab_stats.h"
#include "fab_test.h"
#include "sw_fixture.h"

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/* ------------------------------------------------------------------ */
/* A strict JSON reader that flattens a document into (path, value).   */
/* ------------------------------------------------------------------ */

struct jv {
	char path[128];   /* ports[0].drop_reasons.no_route, totals.pfc_tx[3] */
	char val[256];    /* number text, or the decoded string */
	bool is_str;
};

struct jdoc {
	const char *s;
	size_t i;
	struct jv *v;
	int n;
	int cap;
	int depth;
	bool bad;
};

static void
j_ws(struct jdoc *d)
{
	while (d->s[d->i] == ' ' || d->s[d->i] == '\n' || d->s[d->i] == '\t' ||
			d->s[d->i] == '\r')
		d->i++;
}

static void
j_put(struct jdoc *d, const char *path, const char *val, bool is_str)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->v = realloc(d->v, (size_t)d->cap * sizeof(*d->v));
		if (d->v == NULL) {
			d->bad = true;
			d->n = d->cap = 0;
			return;
		}
	}
	snprintf(d->v[d->n].path, sizeof(d->v[d->n].path), "%s", path);
	snprintf(d->v[d->n].val, sizeof(d->v[d->n].val), "%s", val);
	d->v[d->n].is_str = is_str;
	d->n++;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A string at d->i into @p out (ASCII escapes only, which is all we write). */
static bool
j_string(struct jdoc *d, char *out, size_t cap)
{
	size_t o = 0;

	if (d->s[d->i] != '"')
		return false;
	d->i++;
	for (;;) {
		unsigned char c = (unsigned char)d->s[d->i++];

		if (c == '"')
			break;
		if (c < 0x20)
			return false; /* raw control characters are not JSON */
		if (c == '\\') {
			c = (unsigned char)d->s[d->i++];
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u': {
				int k, v = 0;

				for (k = 0; k < 4; k++) {
					int h = hexval(d->s[d->i++]);

					if (h < 0)
						return false;
					v = v * 16 + h;
				}
				if (v > 0x7f)
					return false;
				c = (unsigned char)v;
				break;
			}
			default:
				return false;
			}
		}
		if (o + 1 < cap)
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return true;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool
j_number(struct jdoc *d, char *out, size_t cap)
{
	size_t start = d->i, len;

	if (d->s[d->i] == '-')
		d->i++;
	if (d->s[d->i] == '0') {
		d->i++;
	} else if (d->s[d->i] >= '1' && d->s[d->i] <= '9') {
		while (d->s[d->i] >= '0' && d->s[d->i] <= '9')
			d->i++;
	} else {
		return false;
	}
	if (d->s[d->i] == '.') {
		d->i++;
		if (!(d->s[d->i] >= '0' && d->s[d->i] <= '9'))
			return false;
		while (d->s[d->i] >= '0' && d->s[d->i] <= '9')
			d->i++;
	}
	if (d->s[d->i] == 'e' || d->s[d->i] == 'E') {
		d->i++;
		if (d->s[d->i] == '+' || d->s[d->i] == '-')
			d->i++;
		if (!(d->s[d->i] >= '0' && d->s[d->i] <= '9'))
			return false;
		while (d->s[d->i] >= '0' && d->s[d->i] <= '9')
			d->i++;
	}
	len = d->i - start;
	if (len >= cap)
		return false;
	memcpy(out, d->s + start, len);
	out[len] = '\0';
	return true;
}

static bool j_value(struct jdoc *d, const char *path);

static bool
j_object(struct jdoc *d, const char *path)
{
	d->i++;
	j_ws(d);
	if (d->s[d->i] == '}') {
		d->i++;
		return true;
	}
	for (;;) {
		char key[128], sub[256];
		int k;

		j_ws(d);
		if (!j_string(d, key, sizeof(key)))
			return false;
		snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
		/* A key appears once per object. */
		for (k = 0; k < d->n; k++)
			if (strcmp(d->v[k].path, sub) == 0 ||
					(strncmp(d->v[k].path, sub, strlen(sub)) == 0 &&
					 (d->v[k].path[strlen(sub)] == '.' ||
					  d->v[k].path[strlen(sub)] == '[')))
				return false;
		j_ws(d);
		if (d->s[d->i++] != ':')
			return false;
		if (!j_value(d, sub))
			return false;
		j_ws(d);
		if (d->s[d->i] == ',') {
			d->i++;
			continue;
		}
		if (d->s[d->i] == '}') {
			d->i++;
			return true;
		}
		return false;
	}
}

static bool
j_array(struct jdoc *d, const char *path)
{
	int idx = 0;

	d->i++;
	j_ws(d);
	if (d->s[d->i] == ']') {
		d->i++;
		return true;
	}
	for (;;) {
		char sub[256];

		snprintf(sub, sizeof(sub), "%s[%d]", path, idx++);
		if (!j_value(d, sub))
			return false;
		j_ws(d);
		if (d->s[d->i] == ',') {
			d->i++;
			continue;
		}
		if (d->s[d->i] == ']') {
			d->i++;
			return true;
		}
		return false;
	}
}

static bool
j_value(struct jdoc *d, const char *path)
{
	char val[256];
	bool ok;

	j_ws(d);
	if (++d->depth > 32)
		return false;
	switch (d->s[d->i]) {
	case '{':
		ok = j_object(d, path);
		break;
	case '[':
		ok = j_array(d, path);
		break;
	case '"':
		ok = j_string(d, val, sizeof(val));
		if (ok)
			j_put(d, path, val, true);
		break;
	case 't':
	case 'f':
	case 'n': {
		static const char *const lit[] = { "true", "false", "null" };
		size_t k;

		ok = false;
		for (k = 0; k < RTE_DIM(lit); k++)
			if (strncmp(d->s + d->i, lit[k], strlen(lit[k])) == 0) {
				d->i += strlen(lit[k]);
				j_put(d, path, lit[k], false);
				ok = true;
				break;
			}
		break;
	}
	default:
		ok = j_number(d, val, sizeof(val));
		if (ok)
			j_put(d, path, val, false);
		break;
	}
	d->depth--;
	return ok && !d->bad;
}

/* Parse a whole document; false if it is not exactly one JSON value. */
static bool
j_parse(struct jdoc *d, const char *text)
{
	memset(d, 0, sizeof(*d));
	d->s = text;
	if (!j_value(d, ""))
		return false;
	j_ws(d);
	return d->s[d->i] == '\0';
}

static const struct jv *
j_get(const struct jdoc *d, const char *fmt, ...) __rte_format_printf(2, 3);

static const struct jv *
j_get(const struct jdoc *d, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	int k;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	for (k = 0; k < d->n; k++)
		if (strcmp(d->v[k].path, path) == 0)
			return &d->v[k];
	return NULL;
}

/* Values under @p prefix (an object), counted. */
static int
j_count(const struct jdoc *d, const char *prefix)
{
	size_t pl = strlen(prefix);
	int k, n = 0;

	for (k = 0; k < d->n; k++)
		if (strncmp(d->v[k].path, prefix, pl) == 0 && d->v[k].path[pl] == '.')
			n++;
	return n;
}

static void
expect_u64(const struct jdoc *d, uint64_t want, const char *fmt, ...)
	__rte_format_printf(3, 4);

static void
expect_u64(const struct jdoc *d, uint64_t want, const char *fmt, ...)
{
	char path[256], w[32];
	const struct jv *v;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	v = j_get(d, "%s", path);
	if (v == NULL || v->is_str || strcmp(v->val, (snprintf(w, sizeof(w), "%" PRIu64,
			want), w)) != 0)
		fprintf(stderr, "json %s: %s, want %" PRIu64 "\n", path,
			v != NULL ? v->val : "(missing)", want);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_FALSE(v->is_str);
	CU_ASSERT_STRING_EQUAL(v->val, w);
}

static void
expect_counters(const struct jdoc *d, const char *o, const struct fab_switch_port_stats *s)
{
	int i;

	expect_u64(d, s->rx_pkts, "%s.rx_pkts", o);
	expect_u64(d, s->rx_bytes, "%s.rx_bytes", o);
	expect_u64(d, s->tx_pkts, "%s.tx_pkts", o);
	expect_u64(d, s->tx_bytes, "%s.tx_bytes", o);
	expect_u64(d, s->tx_ctrl_pkts, "%s.tx_ctrl_pkts", o);
	expect_u64(d, s->fwd_pkts, "%s.fwd_pkts", o);
	expect_u64(d, s->consumed_pkts, "%s.consumed_pkts", o);
	expect_u64(d, s->drops, "%s.drops", o);
	expect_u64(d, s->ecn_marked, "%s.ecn_marked", o);
	expect_u64(d, s->pause_rx, "%s.pause_rx", o);
	expect_u64(d, s->rx_held_ps / 1000, "%s.rx_held_ns", o);
	expect_u64(d, s->pfc_wd_storms, "%s.pfc_wd_storms", o);
	for (i = 1; i < FAB_PKT_DROP_MAX; i++)
		expect_u64(d, s->drop_parse[i], "%s.drop_reasons.%s", o,
			fab_pkt_drop_name((enum fab_pkt_drop)i));
	for (i = 0; i < FAB_SW_DROP_MAX; i++)
		expect_u64(d, s->drop[i], "%s.drop_reasons.%s", o,
			fab_switch_drop_name((enum fab_switch_drop)i));
	{
		char pre[128];

		/* Every reason once, nothing else. */
		snprintf(pre, sizeof(pre), "%s.drop_reasons", o);
		CU_ASSERT_EQUAL(j_count(d, pre), FAB_PKT_DROP_MAX - 1 + FAB_SW_DROP_MAX);
	}
	for (i = 0; i < FAB_NUM_PRIO; i++) {
		expect_u64(d, s->pfc_tx[i], "%s.pfc_tx[%d]", o, i);
		expect_u64(d, s->pfc_tx_xoff[i], "%s.pfc_tx_xoff[%d]", o, i);
		expect_u64(d, s->pfc_rx[i], "%s.pfc_rx[%d]", o, i);
		expect_u64(d, s->paused_ps[i] / 1000, "%s.paused_ns[%d]", o, i);
		expect_u64(d, s->max_queue_bytes[i], "%s.max_queue_bytes[%d]", o, i);
		expect_u64(d, s->queue_bytes[i], "%s.queue_bytes[%d]", o, i);
	}
	CU_ASSERT_PTR_NULL(j_get(d, "%s.pfc_tx[%d]", o, FAB_NUM_PRIO));
}

/* ------------------------------------------------------------------ */
/* A switch with some of everything in its counters                    */
/* ------------------------------------------------------------------ */

static uint8_t fbuf[4096];

static void
add_write(struct swf *f, uint16_t port, uint32_t dst, uint8_t dscp, uint32_t psn,
		uint64_t ts_ns)
{
	struct swf_flow fl;
	int len;

	memset(&fl, 0, sizeof(fl));
	fl.l3 = FAB_L3_IPV4;
	fl.src4 = IP4(10, 0, 1, 1);
	fl.dst4 = dst;
	fl.dscp = dscp;
	fl.sport = (uint16_t)(0xc000 + psn);
	fl.in_port = (uint8_t)port;
	len = swf_write(fbuf, sizeof(fbuf), &fl, psn, 200);
	CU_ASSERT_FATAL(len > 0);
	swf_add(f, port, fbuf, (uint32_t)len, ts_ns);
}

/* Forwarded frames, a no-route and a runt, a PFC pause on h1 and a PAUSE. */
static void
busy_switch(struct swf *f, const char *name)
{
	uint16_t quanta[FAB_NUM_PRIO] = { 0 };
	struct rte_ether_addr peer;
	char yaml[8192];
	uint8_t fr[64];

	swf_begin(f);
	add_write(f, SWF_H0, IP4(10, 0, 1, 2), 26, 1, 0);
	add_write(f, SWF_H0, IP4(10, 0, 1, 2), 0, 2, 0);
	add_write(f, SWF_H0, IP4(10, 9, 0, 1), 0, 3, 1000);
	add_write(f, SWF_H0, IP4(172, 16, 0, 1), 0, 4, 2000);
	memset(fr, 0, sizeof(fr));
	fr[12] = 0x88;
	fr[13] = 0xb5;
	swf_add(f, SWF_H0, fr, 30, 3000);
	swf_peer_mac(SWF_H1, &peer);
	quanta[3] = 1000;
	CU_ASSERT_EQUAL_FATAL(fab_pfc_build(fr, sizeof(fr), &peer, 0x08, quanta),
		FAB_PFC_FRAME_LEN);
	swf_add(f, SWF_H1, fr, FAB_PFC_FRAME_LEN, 0);
	CU_ASSERT_EQUAL_FATAL(fab_pause_build(fr, sizeof(fr), &peer, 10), FAB_PFC_FRAME_LEN);
	swf_add(f, SWF_H1, fr, FAB_PFC_FRAME_LEN, 100);
	swf_yaml(yaml, sizeof(yaml), name, 7, NULL);
	CU_ASSERT_EQUAL_FATAL(swf_start(f, yaml), 0);
	swf_run(f);
	swf_check_conservation(f);
	/* What the document must then show. */
	CU_ASSERT_EQUAL(f->tot.rx_pkts, 7);
	CU_ASSERT_EQUAL(f->tot.fwd_pkts, 3);
	CU_ASSERT_EQUAL(f->st[SWF_H0].drop[FAB_SW_DROP_NO_ROUTE], 1);
	CU_ASSERT_EQUAL(f->st[SWF_H0].drop_parse[FAB_PKT_DROP_RUNT], 1);
	CU_ASSERT_EQUAL(f->st[SWF_H1].pfc_rx[3], 1);
	CU_ASSERT_EQUAL(f->st[SWF_H1].pause_rx, 1);
	CU_ASSERT_EQUAL(f->st[SWF_H1].paused_ps[3], fab_pfc_quanta_to_ps(1000, SWF_G25));
}

static char *
slurp(FILE *fp)
{
	long len;
	char *s;

	CU_ASSERT_EQUAL_FATAL(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	CU_ASSERT_FATAL(len > 0);
	rewind(fp);
	s = malloc((size_t)len + 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL_FATAL(fread(s, 1, (size_t)len, fp), (size_t)len);
	s[len] = '\0';
	return s;
}

/* Python's json module agrees, when there is a Python. */
static void
python_validates(const char *path)
{
	char cmd[512];

	if (access("/usr/bin/python3", X_OK) != 0) {
		fprintf(stderr, "test_stats: no /usr/bin/python3; strict reader only\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c 'import json,sys; "
		"json.load(open(sys.argv[1]))' '%s'", path);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void
test_stats_json(void)
{
	struct fab_stats_run run = {
		.program = "rocefab-switch",
		/* Quotes, backslashes and control characters must be escaped. */
		.config_path = "dir \"x\"\\y\n\tz.yaml",
		.time_mode = "virtual",
		.sim_time_ps = 123456789,
		.wall_time_s = 0.25,
	};
	struct swf f;
	struct jdoc d;
	char path[128], *text;
	const struct jv *v;
	FILE *fp;
	uint16_t p;

	busy_switch(&f, "json");
	snprintf(path, sizeof(path), "%s/direct.json", f.dir);
	fp = fopen(path, "w+");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fab_stats_write_json(fp, f.sw, f.end_ps, &run), 0);
	fflush(fp);
	text = slurp(fp);
	fclose(fp);

	CU_ASSERT_TRUE_FATAL(j_parse(&d, text));
	python_validates(path);

	v = j_get(&d, "program");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->val, "rocefab-switch");
	v = j_get(&d, "config");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->val, run.config_path);
	v = j_get(&d, "time_mode");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->val, "virtual");
	expect_u64(&d, 123456, "sim_time_ns");
	v = j_get(&d, "wall_time_s");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_STRING_EQUAL(v->val, "0.250");
	expect_u64(&d, fab_switch_buffer_bytes(f.sw), "buffer_bytes");
	CU_ASSERT_STRING_EQUAL(j_get(&d, "ecn_plugin")->val, "ecn-red");
	CU_ASSERT_STRING_EQUAL(j_get(&d, "lb_plugin")->val, "lb-ecmp");

	/* One object per port, in order, then nothing. */
	for (p = 0; p < SWF_NB_PORTS; p++) {
		char o[32];

		snprintf(o, sizeof(o), "ports[%u]", p);
		v = j_get(&d, "%s.name", o);
		CU_ASSERT_PTR_NOT_NULL_FATAL(v);
		CU_ASSERT_STRING_EQUAL(v->val, f.conf.ports[p].name);
		CU_ASSERT_STRING_EQUAL(j_get(&d, "%s.kind", o)->val, "pcap");
		expect_u64(&d, f.conf.ports[p].rate_bps, "%s.rate_bps", o);
		expect_u64(&d, fab_switch_port_headroom(f.sw, p), "%s.headroom_bytes", o);
		expect_counters(&d, o, &f.st[p]);
	}
	CU_ASSERT_PTR_NULL(j_get(&d, "ports[%u].name", SWF_NB_PORTS));
	{
		/* Totals: sums, except the watermarks, which are the maximum. */
		const size_t nf = sizeof(struct fab_switch_port_stats) / sizeof(uint64_t);
		struct fab_switch_port_stats want;
		uint64_t *w = (uint64_t *)&want;
		size_t k;
		int c;

		memset(&want, 0, sizeof(want));
		for (p = 0; p < SWF_NB_PORTS; p++)
			for (k = 0; k < nf; k++)
				w[k] += ((const uint64_t *)&f.st[p])[k];
		for (c = 0; c < FAB_NUM_PRIO; c++) {
			want.max_queue_bytes[c] = 0;
			for (p = 0; p < SWF_NB_PORTS; p++)
				want.max_queue_bytes[c] = RTE_MAX(want.max_queue_bytes[c],
					f.st[p].max_queue_bytes[c]);
		}
		/* Class 0 queued on h1 and on an uplink: a sum would be twice the max. */
		CU_ASSERT(want.max_queue_bytes[0] != 0);
		CU_ASSERT_EQUAL(f.st[SWF_H1].max_queue_bytes[0] +
			f.st[SWF_UP0].max_queue_bytes[0] + f.st[SWF_UP1].max_queue_bytes[0],
			2 * want.max_queue_bytes[0]);
		expect_counters(&d, "totals", &want);
	}
	/* The totals are the sums (maxima for the watermarks). */
	CU_ASSERT_EQUAL(f.tot.rx_pkts, f.st[SWF_H0].rx_pkts + f.st[SWF_H1].rx_pkts);
	CU_ASSERT_EQUAL(f.tot.max_queue_bytes[3], f.st[SWF_H1].max_queue_bytes[3]);
	CU_ASSERT(f.tot.max_queue_bytes[3] != 0);
	CU_ASSERT_EQUAL(f.tot.paused_ps[3], f.st[SWF_H1].paused_ps[3]);

	free(d.v);
	free(text);

	/* NULL strings in the run are written as empty strings, still JSON. */
	memset(&run, 0, sizeof(run));
	fp = tmpfile();
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	CU_ASSERT_EQUAL(fab_stats_write_json(fp, f.sw, f.end_ps, &run), 0);
	text = slurp(fp);
	fclose(fp);
	CU_ASSERT_TRUE(j_parse(&d, text));
	CU_ASSERT_STRING_EQUAL(j_get(&d, "program")->val, "");
	free(d.v);
	free(text);
	swf_end(&f);
}

static void
test_stats_json_file(void)
{
	struct fab_stats_run run = { .program = "p", .config_path = "c", .time_mode = "real" };
	char path[256], tmp[300], *text, longp[5000];
	struct stat st;
	struct swf f;
	struct jdoc d;
	FILE *fp;

	busy_switch(&f, "jfile");
	snprintf(path, sizeof(path), "%s/switch.json", f.dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	CU_ASSERT_EQUAL(fab_stats_write_json_file(path, f.sw, f.end_ps, &run), 0);
	/* Written under a temporary name, then renamed: no leftover. */
	CU_ASSERT_EQUAL(stat(tmp, &st), -1);
	fp = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	text = slurp(fp);
	fclose(fp);
	CU_ASSERT_TRUE(j_parse(&d, text));
	expect_u64(&d, f.tot.rx_pkts, "totals.rx_pkts");
	expect_u64(&d, f.st[SWF_H1].paused_ps[3] / 1000, "ports[1].paused_ns[3]");
	free(d.v);
	free(text);
	python_validates(path);

	/* A directory that does not exist, and a name too long for the temporary. */
	snprintf(path, sizeof(path), "%s/no/such/dir/x.json", f.dir);
	CU_ASSERT_EQUAL(fab_stats_write_json_file(path, f.sw, f.end_ps, &run), -ENOENT);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	CU_ASSERT_EQUAL(fab_stats_write_json_file(longp, f.sw, f.end_ps, &run),
		-ENAMETOOLONG);
	swf_end(&f);
}

static void
test_stats_print_line(void)
{
	/* 1.234567890123 s: printed to the microsecond, truncated. */
	const uint64_t now = UINT64_C(1234567890123);
	char *buf = NULL, want[512];
	size_t len = 0;
	uint64_t xoff = 0, maxq = 0;
	struct swf f;
	FILE *fp;
	int i;

	busy_switch(&f, "line");
	fp = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fab_stats_print_line(fp, f.sw, now);
	fclose(fp);
	/* The switch is idle: counters at `now` are those at the end of the run. */
	for (i = 0; i < FAB_NUM_PRIO; i++) {
		xoff += f.tot.pfc_tx_xoff[i];
		maxq = RTE_MAX(maxq, f.tot.max_queue_bytes[i]);
	}
	snprintf(want, sizeof(want), "t=1.234567s rx=%" PRIu64 " tx=%" PRIu64 " fwd=%" PRIu64
		" drops=%" PRIu64 " ecn=%" PRIu64 " pfc_xoff_tx=%" PRIu64 " max_queue=%" PRIu64
		"B\n", f.tot.rx_pkts, f.tot.tx_pkts, f.tot.fwd_pkts, f.tot.drops,
		f.tot.ecn_marked, xoff, maxq);
	CU_ASSERT_STRING_EQUAL(buf, want);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " rx=7 "));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, " drops=2 "));
	free(buf);

	/* Under a second, with leading zeros in the fraction. */
	buf = NULL;
	fp = open_memstream(&buf, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fab_stats_print_line(fp, f.sw, UINT64_C(5000000));
	fclose(fp);
	CU_ASSERT_EQUAL(strncmp(buf, "t=0.000005s rx=", 15), 0);
	free(buf);
	swf_end(&f);
}

static uint64_t
fixed_now(void *arg)
{
	return *(const uint64_t *)arg;
}

static void
test_stats_telemetry_register(void)
{
	static uint64_t now = 42;
	struct swf f, g;

	busy_switch(&f, "tel");
	CU_ASSERT_EQUAL(fab_stats_telemetry_register(NULL, fixed_now, &now), -EINVAL);
	/* The EAL runs without the telemetry socket; registration still works. */
	CU_ASSERT_EQUAL(fab_stats_telemetry_register(f.sw, fixed_now, &now), 0);
	CU_ASSERT_EQUAL(fab_stats_telemetry_register(f.sw, fixed_now, &now), -EEXIST);
	/* One switch per process: another one is refused too. */
	busy_switch(&g, "tel2");
	CU_ASSERT_EQUAL(fab_stats_telemetry_register(g.sw, NULL, NULL), -EEXIST);
	swf_end(&g);
	swf_end(&f);
}

int
fab_suite_stats(void)
{
	CU_pSuite s = fab_test_add_suite("stats");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_stats_json);
	FAB_ADD_TEST(s, test_stats_json_file);
	FAB_ADD_TEST(s, test_stats_print_line);
	FAB_ADD_TEST(s, test_stats_telemetry_register);
	return 0;
}
