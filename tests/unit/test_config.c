/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/config: the YAML tree, every getter with good and bad values (exact
 * messages, positions included), the two shipped examples, and each
 * validation of the switch schema with the line and column it reports.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_errno.h>

#include "fab_config.h"
#include "fab_test.h"

static char err[1024];

static struct fab_yaml_doc *
parse(const char *text)
{
	err[0] = '\0';
	return fab_yaml_load_string("t.yaml", text, err, sizeof(err));
}

/* Load "t.yaml" that must fail; err then holds the message. */
static int
load_bad(const char *text)
{
	struct fab_switch_conf c;
	int ret;

	err[0] = '\0';
	ret = fab_switch_conf_load_string("t.yaml", text, NULL, &c, err, sizeof(err));
	/* A failed load leaves the conf zeroed. */
	CU_ASSERT_EQUAL(c.ports, NULL);
	CU_ASSERT_EQUAL(c.nb_ports, 0);
	CU_ASSERT_EQUAL(c.path, NULL);
	fab_switch_conf_free(&c);
	return ret;
}

#define ASSERT_ERR(expected) \
	do { \
		CU_ASSERT_STRING_EQUAL(err, expected); \
		if (strcmp(err, expected) != 0) \
			fprintf(stderr, "\n  got:  %s\n  want: %s\n", err, expected); \
	} while (0)

/* One scalar "v: TEXT" at 1:4; returns its node (doc in *d). */
static const struct fab_yaml_node *
scalar(struct fab_yaml_doc **d, const char *text)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "v: %s\n", text);
	*d = parse(buf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*d);
	return fab_yaml_map_get(fab_yaml_root(*d), "v");
}

/* ------------------------------------------------------------------ */
/* The tree                                                            */
/* ------------------------------------------------------------------ */

static void
test_yaml_tree_positions(void)
{
	struct fab_yaml_doc *d = parse("a:\n  b: [1, 'x y']\n  c: {d: ~}\ne: \"q\"\n");
	const struct fab_yaml_node *root, *a, *b, *c, *dd, *e;
	char path[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(fab_yaml_doc_name(d), "t.yaml");
	root = fab_yaml_root(d);
	CU_ASSERT_EQUAL(root->type, FAB_YAML_MAPPING);
	CU_ASSERT_EQUAL(root->count, 2);
	CU_ASSERT_EQUAL(root->line, 1);
	CU_ASSERT_EQUAL(root->col, 1);
	a = fab_yaml_map_get(root, "a");
	CU_ASSERT_EQUAL(a->type, FAB_YAML_MAPPING);
	CU_ASSERT_EQUAL(a->line, 2);
	CU_ASSERT_EQUAL(a->col, 3);
	b = fab_yaml_map_get(a, "b");
	CU_ASSERT_EQUAL(b->type, FAB_YAML_SEQUENCE);
	CU_ASSERT_EQUAL(b->count, 2);
	CU_ASSERT_EQUAL(b->line, 2);
	CU_ASSERT_EQUAL(b->col, 6);
	CU_ASSERT_STRING_EQUAL(b->items[1]->value, "x y");
	CU_ASSERT_TRUE(b->items[1]->quoted);
	CU_ASSERT_FALSE(b->items[0]->quoted);
	CU_ASSERT_EQUAL(b->items[1]->line, 2);
	CU_ASSERT_EQUAL(b->items[1]->col, 10);
	fab_yaml_path(b->items[1], path, sizeof(path));
	CU_ASSERT_STRING_EQUAL(path, "a.b[1]");
	c = fab_yaml_map_get(a, "c");
	dd = fab_yaml_map_get(c, "d");
	CU_ASSERT_TRUE(dd->is_null);
	CU_ASSERT_STRING_EQUAL(fab_yaml_type_name(dd), "an empty value");
	fab_yaml_path(dd, path, sizeof(path));
	CU_ASSERT_STRING_EQUAL(path, "a.c.d");
	/* A key's path is its mapping's. */
	fab_yaml_path(c->keys[0], path, sizeof(path));
	CU_ASSERT_STRING_EQUAL(path, "a.c");
	CU_ASSERT_PTR_EQUAL(fab_yaml_key_of(dd), c->keys[0]);
	e = fab_yaml_map_get(root, "e");
	CU_ASSERT_STRING_EQUAL(e->value, "q");
	CU_ASSERT_FALSE(e->is_null);
	CU_ASSERT_EQUAL(fab_yaml_path(e, path, 2), 1); /* truncated, full length returned */
	CU_ASSERT_PTR_NULL(fab_yaml_map_get(root, "zz"));
	CU_ASSERT_PTR_NULL(fab_yaml_map_get(b, "a"));
	fab_yaml_free(d);

	/* An empty document has no root; it is not an error. */
	d = parse("# nothing\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_PTR_NULL(fab_yaml_root(d));
	fab_yaml_free(d);
}

static void
test_yaml_refused(void)
{
	CU_ASSERT_PTR_NULL(parse("a: 1\nb: 2\na: 3\n"));
	ASSERT_ERR("t.yaml:3:1: error: duplicate key 'a' (first at 1:1)");
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	CU_ASSERT_PTR_NULL(parse("a: &x 1\nb: 2\n"));
	ASSERT_ERR("t.yaml:1:4: error: anchors (&x) are not supported; write the value out");
	CU_ASSERT_PTR_NULL(parse("a: 1\nb: *x\n"));
	ASSERT_ERR("t.yaml:2:4: error: aliases (*x) are not supported; write the value out");
	CU_ASSERT_PTR_NULL(parse("a: !!str 1\n"));
	ASSERT_ERR("t.yaml:1:4: error: tags (tag:yaml.org,2002:str) are not supported");
	CU_ASSERT_PTR_NULL(parse("a: 1\n---\nb: 2\n"));
	ASSERT_ERR("t.yaml:2:1: error: a second YAML document ('---'); one file holds one document");
	CU_ASSERT_PTR_NULL(parse("? [a, b]\n: 1\n"));
	ASSERT_ERR("t.yaml:1:3: error: a key must be a plain word or string, not a sequence");
	CU_ASSERT_PTR_NULL(parse("a:\n\tb: 1\n"));
	ASSERT_ERR("t.yaml:2:1: error: found character that cannot start any token "
		"(while scanning for the next token at 2:1) "
		"(YAML does not allow tabs for indentation)");
	CU_ASSERT_PTR_NULL(parse("a: [1, 2\nb: 3\n"));
	ASSERT_ERR("t.yaml:2:2: error: did not find expected ',' or ']' "
		"(while parsing a flow sequence at 1:4)");
	CU_ASSERT_PTR_NULL(parse("a: \xff\n"));
	ASSERT_ERR("t.yaml:1:4: error: invalid leading UTF-8 octet");
	CU_ASSERT_PTR_NULL(parse("a: \"x\\0y\"\n"));
	ASSERT_ERR("t.yaml:1:4: error: a value contains a NUL character");
}

static void
test_yaml_load_args(void)
{
	char path[256];
	FILE *f;
	struct fab_yaml_doc *d;

	err[0] = '\0';
	CU_ASSERT_PTR_NULL(fab_yaml_load_string(NULL, "a: 1", err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_yaml_load_string("x", NULL, NULL, 0));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_yaml_load_file("/nonexistent/rocefab.yaml", err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	ASSERT_ERR("/nonexistent/rocefab.yaml: error: cannot open: No such file or directory");
	fab_yaml_free(NULL);
	CU_ASSERT_PTR_NULL(fab_yaml_root(NULL));

	snprintf(path, sizeof(path), "/tmp/fab_test_config_%d.yaml", (int)getpid());
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("k: [1, 2, 3]\n", f);
	fclose(f);
	d = fab_yaml_load_file(path, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_STRING_EQUAL(fab_yaml_doc_name(d), path);
	CU_ASSERT_EQUAL(fab_yaml_map_get(fab_yaml_root(d), "k")->count, 3);
	fab_yaml_free(d);
	remove(path);
}

static void
test_yaml_expect_and_keys(void)
{
	struct fab_yaml_doc *d = parse("x:\n  a: 1\n  c: 2\ny: [1]\n");
	static const char *const allowed[] = { "a", "b", NULL };
	static const char *const allowed_c[] = { "a", "b", "c", NULL };
	const struct fab_yaml_node *root = fab_yaml_root(d);

	CU_ASSERT_EQUAL(fab_yaml_check_keys(fab_yaml_map_get(root, "x"), allowed, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:3:3: error: x: unknown key 'c'; allowed keys: a, b");
	CU_ASSERT_EQUAL(fab_yaml_check_keys(fab_yaml_map_get(root, "x"), allowed_c, err,
			sizeof(err)), 0);
	CU_ASSERT_EQUAL(fab_yaml_expect(fab_yaml_map_get(root, "y"), FAB_YAML_MAPPING, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:4:4: error: y: expected a mapping, found a sequence");
	CU_ASSERT_EQUAL(fab_yaml_expect(fab_yaml_map_get(root, "x"), FAB_YAML_SEQUENCE, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:2:3: error: x: expected a sequence, found a mapping");
	CU_ASSERT_EQUAL(fab_yaml_expect(root, FAB_YAML_MAPPING, err, sizeof(err)), 0);
	fab_yaml_free(d);
}

/* ------------------------------------------------------------------ */
/* Getters                                                             */
/* ------------------------------------------------------------------ */

static void
test_get_int(void)
{
	struct fab_yaml_doc *d;
	int64_t i = 0;
	uint64_t u = 0;

	CU_ASSERT_EQUAL(fab_yaml_get_int(scalar(&d, "-7"), -7, 7, &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, -7);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_int(scalar(&d, "010"), 0, 100, &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, 10); /* decimal, not YAML 1.1 octal */
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_int(scalar(&d, "-8"), -7, 7, &i, err, sizeof(err)),
			-ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: -8 is out of range [-7, 7]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_int(scalar(&d, "4x"), -7, 7, &i, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected an integer, found '4x'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_int(scalar(&d, "[1]"), -7, 7, &i, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected an integer, found a sequence");
	fab_yaml_free(d);

	CU_ASSERT_EQUAL(fab_yaml_get_u64(scalar(&d, "0x1F"), 0, 100, &u, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(u, 31);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_u64(scalar(&d, "18446744073709551615"), 0, UINT64_MAX,
			&u, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(u, UINT64_MAX);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_u64(scalar(&d, "18446744073709551616"), 0, UINT64_MAX,
			&u, err, sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: 18446744073709551616 is out of range "
		"[0, 18446744073709551615]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_u64(scalar(&d, "-1"), 0, 10, &u, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected an integer, found '-1'");
	fab_yaml_free(d);
}

static void
test_get_bool_str_enum_double(void)
{
	static const char *const times[] = { "real", "virtual", "auto", NULL };
	struct fab_yaml_doc *d;
	const char *s = NULL;
	unsigned int t = 9;
	bool b = false;
	double x = 0;

	CU_ASSERT_EQUAL(fab_yaml_get_bool(scalar(&d, "Yes"), &b, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(b);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_bool(scalar(&d, "OFF"), &b, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(b);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_bool(scalar(&d, "\"true\""), &b, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(b);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_bool(scalar(&d, "maybe"), &b, err, sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a boolean (true or false), found 'maybe'");
	fab_yaml_free(d);

	CU_ASSERT_EQUAL(fab_yaml_get_str(scalar(&d, "''"), &s, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(s, "");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_str(scalar(&d, ""), &s, err, sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:3: error: v: expected a string, found an empty value");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_str(scalar(&d, "{a: 1}"), &s, err, sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a string, found a mapping");
	fab_yaml_free(d);

	CU_ASSERT_EQUAL(fab_yaml_get_enum(scalar(&d, "virtual"), times, &t, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(t, 1);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_enum(scalar(&d, "Virtual"), times, &t, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected one of: real, virtual, auto; found 'Virtual'");
	fab_yaml_free(d);

	CU_ASSERT_EQUAL(fab_yaml_get_double(scalar(&d, "0.25"), 0, 1, &x, err, sizeof(err)), 0);
	CU_ASSERT_DOUBLE_EQUAL(x, 0.25, 0);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_double(scalar(&d, "1.5"), 0, 1, &x, err, sizeof(err)),
			-ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: 1.5 is out of range [0, 1]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_double(scalar(&d, "nan"), 0, 1, &x, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a number, found 'nan'");
	fab_yaml_free(d);
}

static void
test_get_size(void)
{
	static const struct { const char *text; uint64_t bytes; } good[] = {
		{ "16MB", UINT64_C(16777216) }, { "400KB", 409600 }, { "9216", 9216 },
		{ "1.5MiB", 1572864 }, { "2 kib", 2048 }, { "1g", UINT64_C(1073741824) },
		{ "512B", 512 }, { ".5K", 512 },
	};
	struct fab_yaml_doc *d;
	uint64_t v;
	unsigned int i;

	for (i = 0; i < RTE_DIM(good); i++) {
		v = 0;
		CU_ASSERT_EQUAL(fab_yaml_get_size(scalar(&d, good[i].text), 0, UINT64_MAX, &v,
				err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(v, good[i].bytes);
		fab_yaml_free(d);
	}
	CU_ASSERT_EQUAL(fab_yaml_get_size(scalar(&d, "0.3KB"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: '0.3KB' is not a whole number of bytes");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_size(scalar(&d, "16 parsecs"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a size (bytes, or a number with B, KB, MB, "
		"GB, KiB, MiB, GiB; 1KB = 1024 bytes), found '16 parsecs'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_size(scalar(&d, "20MB"), 65536, UINT64_C(16) << 20, &v,
			err, sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: '20MB' is out of range [64KB, 16MB]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_size(scalar(&d, "99999999999TB"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: '99999999999TB' is out of range "
		"[0B, 18446744073709551615B]");
	fab_yaml_free(d);
}

static void
test_get_rate(void)
{
	static const struct { const char *text; uint64_t bps; } good[] = {
		{ "100G", UINT64_C(100000000000) }, { "25Gbps", UINT64_C(25000000000) },
		{ "400000M", UINT64_C(400000000000) }, { "10Gb/s", UINT64_C(10000000000) },
		{ "2.5g", UINT64_C(2500000000) }, { "1.6T", UINT64_C(1600000000000) },
		{ "100Mbit", UINT64_C(100000000) }, { "1000000", UINT64_C(1000000) },
	};
	struct fab_yaml_doc *d;
	uint64_t v;
	unsigned int i;

	for (i = 0; i < RTE_DIM(good); i++) {
		v = 0;
		CU_ASSERT_EQUAL(fab_yaml_get_rate(scalar(&d, good[i].text), 1, UINT64_MAX, &v,
				err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(v, good[i].bps);
		fab_yaml_free(d);
	}
	/* Bytes per second are refused rather than silently read as bits. */
	CU_ASSERT_EQUAL(fab_yaml_get_rate(scalar(&d, "10GB/s"), 1, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a rate in bits per second (a number with K, "
		"M, G or T, optionally followed by bps, b/s or bit: 100G, 25Gbps, 10Gb/s), "
		"found '10GB/s'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_rate(scalar(&d, "0"), FAB_CONF_MIN_RATE, FAB_CONF_MAX_RATE,
			&v, err, sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: '0' is out of range [1M, 1.6T]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_rate(scalar(&d, "0.5bps"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: '0.5bps' is not a whole number of bits per second");
	fab_yaml_free(d);
}

static void
test_get_duration(void)
{
	static const struct { const char *text; uint64_t ps; } good[] = {
		{ "5us", UINT64_C(5000000) }, { "2.5ms", UINT64_C(2500000000) },
		{ "300ns", UINT64_C(300000) }, { "1s", UINT64_C(1000000000000) },
		{ "0", 0 }, { "7ps", 7 }, { "1.5\xc2\xb5s", UINT64_C(1500000) },
	};
	struct fab_yaml_doc *d;
	uint64_t v;
	unsigned int i;

	for (i = 0; i < RTE_DIM(good); i++) {
		v = 99;
		CU_ASSERT_EQUAL(fab_yaml_get_duration(scalar(&d, good[i].text), 0, UINT64_MAX, &v,
				err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(v, good[i].ps);
		fab_yaml_free(d);
	}
	CU_ASSERT_EQUAL(fab_yaml_get_duration(scalar(&d, "5"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: duration '5' needs a unit (ps, ns, us, ms or s)");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_duration(scalar(&d, "1.5ps"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: '1.5ps' is not a whole number of picoseconds");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_duration(scalar(&d, "5Ms"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a duration (a number with ps, ns, us, ms "
		"or s), found '5Ms'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_duration(scalar(&d, "2h"), 0, UINT64_MAX, &v, err,
			sizeof(err)), -EINVAL);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_duration(scalar(&d, "90s"), 1000000, UINT64_C(60000000000000),
			&v, err, sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:4: error: v: '90s' is out of range [1us, 60s]");
	fab_yaml_free(d);
}

static void
test_parse_and_format_units(void)
{
	char buf[32];
	uint64_t v = 0;

	CU_ASSERT_EQUAL(fab_parse_duration("1.5s", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_C(1500000000000));
	CU_ASSERT_EQUAL(fab_parse_duration("1.5ps", &v), -EDOM);
	CU_ASSERT_EQUAL(fab_parse_duration("s", &v), -EINVAL);
	CU_ASSERT_EQUAL(fab_parse_size("17179869184GB", &v), -ERANGE);
	CU_ASSERT_EQUAL(fab_parse_size("1234567890123456789012345", &v), -ERANGE);
	CU_ASSERT_EQUAL(fab_parse_rate("40G", &v), 0);
	CU_ASSERT_EQUAL(v, UINT64_C(40000000000));
	CU_ASSERT_EQUAL(fab_parse_rate(NULL, &v), -EINVAL);

	fab_format_size(UINT64_C(16777216), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "16MB");
	fab_format_size(1536, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1.5KB");
	fab_format_size(1000, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1000B");
	fab_format_size(1600000, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1562.5KB");
	fab_format_rate(UINT64_C(1600000000000), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1.6T");
	fab_format_rate(UINT64_C(100000000000), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "100G");
	fab_format_rate(1234567, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1234.567K");
	fab_format_rate(999, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "999");
	fab_format_duration(UINT64_C(335539200), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "335.5392us");
	fab_format_duration(UINT64_C(200000000000), buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "200ms");
	fab_format_duration(0, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "0");
	fab_format_duration(1, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "1ps");
}

static void
test_get_mac(void)
{
	static const struct rte_ether_addr want = { { 0x02, 0xaa, 0xbb, 0x00, 0x00, 0x01 } };
	struct rte_ether_addr mac;
	struct fab_yaml_doc *d;

	memset(&mac, 0, sizeof(mac));
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "02:aa:BB:00:00:01"), true, &mac, err,
			sizeof(err)), 0);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &want));
	fab_yaml_free(d);
	memset(&mac, 0, sizeof(mac));
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "02-AA-bb-00-00-01"), true, &mac, err,
			sizeof(err)), 0);
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&mac, &want));
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "02:aa:bb:00:00"), true, &mac, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected a MAC address (like 02:00:00:00:00:01), "
		"found '02:aa:bb:00:00'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "02:aa:bb:00:00:01:02"), true, &mac, err,
			sizeof(err)), -EINVAL);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "02:aa-bb:00:00:01"), true, &mac, err,
			sizeof(err)), -EINVAL);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "01:00:5e:00:00:01"), true, &mac, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: 01:00:5e:00:00:01 is a multicast address; "
		"a unicast one is needed here");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "01:00:5e:00:00:01"), false, &mac, err,
			sizeof(err)), 0);
	CU_ASSERT_EQUAL(mac.addr_bytes[0], 0x01);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_mac(scalar(&d, "00:00:00:00:00:00"), true, &mac, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: 00:00:00:00:00:00 is the zero address; "
		"a unicast one is needed here");
	fab_yaml_free(d);
}

static void
test_get_prefix(void)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct fab_ip_prefix p;
	struct fab_yaml_doc *d;

	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "10.0.1.0/24"), &p, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(p.l3, FAB_L3_IPV4);
	CU_ASSERT_EQUAL(p.depth, 24);
	CU_ASSERT_EQUAL(p.addr.v4, htonl(0x0a000100));
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "'2001:db8::/64'"), &p, err,
			sizeof(err)), 0);
	CU_ASSERT_EQUAL(p.l3, FAB_L3_IPV6);
	CU_ASSERT_EQUAL(p.depth, 64);
	CU_ASSERT_EQUAL(memcmp(p.addr.v6, v6, 16), 0);
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "10.0.0.7"), &p, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(p.depth, 32);
	CU_ASSERT_EQUAL(p.addr.v4, htonl(0x0a000007));
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "0.0.0.0/0"), &p, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(p.depth, 0);
	CU_ASSERT_EQUAL(p.addr.v4, 0);
	fab_yaml_free(d);

	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "10.0.1.5/24"), &p, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: '10.0.1.5/24' has bits set beyond the prefix length; "
		"did you mean 10.0.1.0/24?");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "'2001:db8::1/64'"), &p, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: '2001:db8::1/64' has bits set beyond the prefix "
		"length; did you mean 2001:db8::/64?");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "10.0.1.0/33"), &p, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: prefix length 33 is out of range for IPv4 [0, 32]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "10.0.1/24"), &p, err, sizeof(err)),
			-EINVAL);
	ASSERT_ERR("t.yaml:1:4: error: v: expected an IPv4 or IPv6 prefix (like 10.0.1.0/24 or "
		"2001:db8::/64), found '10.0.1/24'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_prefix(scalar(&d, "10.0.1.0/"), &p, err, sizeof(err)),
			-EINVAL);
	fab_yaml_free(d);
}

static void
test_get_class_map(void)
{
	struct fab_yaml_doc *d;
	uint8_t map[64];
	unsigned int i;

	memset(map, 9, sizeof(map));
	CU_ASSERT_EQUAL(fab_yaml_get_class_map(scalar(&d, "{26: 3, 48: 6, 0-2: 1}"), "DSCP",
			64, map, err, sizeof(err)), 0);
	for (i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(map[i], i == 26 ? 3 : i == 48 ? 6 : i <= 2 ? 1 : 0);
	fab_yaml_free(d);

	CU_ASSERT_EQUAL(fab_yaml_get_class_map(scalar(&d, "{26: 3, 20-30: 1}"), "DSCP", 64,
			map, err, sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:12: error: v: DSCP 26 is mapped twice (first at 1:5)");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_class_map(scalar(&d, "{64: 1}"), "DSCP", 64, map, err,
			sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:5: error: v: DSCP 64 is out of range [0, 63]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_class_map(scalar(&d, "{3: 8}"), "PCP", 8, map, err,
			sizeof(err)), -ERANGE);
	ASSERT_ERR("t.yaml:1:8: error: v.3: 8 is out of range [0, 7]");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_class_map(scalar(&d, "{af41: 3}"), "DSCP", 64, map, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:5: error: v: expected a DSCP value or range (like 26 or 0-7), "
		"found 'af41'");
	fab_yaml_free(d);
	CU_ASSERT_EQUAL(fab_yaml_get_class_map(scalar(&d, "{7-3: 1}"), "PCP", 8, map, err,
			sizeof(err)), -EINVAL);
	ASSERT_ERR("t.yaml:1:5: error: v: PCP range '7-3' is reversed");
	fab_yaml_free(d);
}

/* ------------------------------------------------------------------ */
/* The switch schema                                                   */
/* ------------------------------------------------------------------ */

static void
test_conf_defaults(void)
{
	struct fab_switch_conf c;
	const struct fab_conf_port *p;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load_string("cfg/sw.yaml",
			"ports:\n  - name: p0\n    pcap: {rx: in.pcap}\n", NULL, &c, err,
			sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.path, "cfg/sw.yaml");
	CU_ASSERT_STRING_EQUAL(c.name, "rocefab");
	CU_ASSERT_EQUAL(c.seed, 1);
	CU_ASSERT_EQUAL(c.hash_seed, 1);
	CU_ASSERT_EQUAL(c.mtu, 9100);
	CU_ASSERT_EQUAL(c.time, FAB_CONF_TIME_VIRTUAL);
	CU_ASSERT_EQUAL(c.nb_ports, 1);
	p = &c.ports[0];
	CU_ASSERT_STRING_EQUAL(p->name, "p0");
	CU_ASSERT_EQUAL(p->kind, FAB_CONF_PORT_PCAP);
	CU_ASSERT_STRING_EQUAL(p->pcap_rx, "cfg/in.pcap");
	CU_ASSERT_PTR_NULL(p->pcap_tx);
	CU_ASSERT_EQUAL(p->pcap_timing, FAB_CONF_PCAP_TRACE);
	CU_ASSERT_EQUAL(p->rate_bps, UINT64_C(100000000000));
	CU_ASSERT_TRUE(rte_is_same_ether_addr(&p->mac, &c.mac));
	CU_ASSERT_EQUAL(p->mac.addr_bytes[0], 0x02);
	CU_ASSERT_EQUAL(p->mac.addr_bytes[1], 0xfa);
	CU_ASSERT_EQUAL(p->mac.addr_bytes[2], 0xb0);
	CU_ASSERT_FALSE(p->peer_mac_set);
	CU_ASSERT_TRUE(p->peer_passive);
	CU_ASSERT_EQUAL(p->cable_m, 5);
	CU_ASSERT_EQUAL(p->trust, FAB_CONF_TRUST_DSCP);
	CU_ASSERT_EQUAL(p->line, 2);
	CU_ASSERT_EQUAL(p->col, 5);
	for (i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(c.qos.dscp_to_class[i], i == 26 ? 3 : i == 48 ? 6 : 0);
	for (i = 0; i < FAB_NUM_PRIO; i++) {
		CU_ASSERT_EQUAL(c.qos.pcp_to_class[i], i);
		CU_ASSERT_EQUAL(c.qos.weight[i], 1);
		CU_ASSERT_EQUAL(p->ecn[i].enabled, i == 3 || i == 4);
		CU_ASSERT_EQUAL(p->ecn[i].kmin, 400000);
		CU_ASSERT_EQUAL(p->ecn[i].kmax, 1600000);
		CU_ASSERT_DOUBLE_EQUAL(p->ecn[i].pmax, 0.2, 0);
		CU_ASSERT_EQUAL(p->ecn[i].k, 400000);
	}
	CU_ASSERT_EQUAL(c.qos.lossless_mask, 0x18);
	CU_ASSERT_EQUAL(c.qos.strict_mask, 0x40);
	CU_ASSERT_EQUAL(c.qos.cnp_class, 6);
	CU_ASSERT_EQUAL(c.buffer.pool, UINT64_C(16777216));
	CU_ASSERT_EQUAL(c.buffer.pg_reserved, 0);
	CU_ASSERT_FALSE(c.buffer.pg_static);
	CU_ASSERT_EQUAL(c.buffer.pg_dynamic_th, 0);
	CU_ASSERT_TRUE(c.buffer.xoff_auto);
	CU_ASSERT_EQUAL(c.buffer.xon, 18432);
	CU_ASSERT_EQUAL(c.buffer.xon_offset, 18432);
	CU_ASSERT_EQUAL(c.buffer.peer_response_ps, 1000000);
	CU_ASSERT_FALSE(c.buffer.egress_lossy_static);
	CU_ASSERT_EQUAL(c.buffer.egress_lossy_dynamic_th, 3);
	CU_ASSERT_EQUAL(c.buffer.egress_lossless_limit, UINT64_C(16777216));
	CU_ASSERT_STRING_EQUAL(c.ecn.plugin, "ecn-red");
	CU_ASSERT_STRING_EQUAL(c.ecn.args, "");
	CU_ASSERT_EQUAL(c.ecn.mark_at, FAB_CONF_MARK_ENQUEUE);
	CU_ASSERT_TRUE(c.pfc.enabled);
	CU_ASSERT_EQUAL(c.pfc.pause_quanta, 65535);
	CU_ASSERT_TRUE(c.pfc.refresh_auto);
	CU_ASSERT_FALSE(c.pfc.honor_pause);
	CU_ASSERT_FALSE(c.pfc.watchdog);
	CU_ASSERT_STRING_EQUAL(c.lb.plugin, "lb-ecmp");
	CU_ASSERT_EQUAL(c.lb.buckets, 256);
	CU_ASSERT_STRING_EQUAL(c.lb.args, "");
	CU_ASSERT_EQUAL(c.nb_routes, 0);
	CU_ASSERT_EQUAL(c.nb_plugin_paths, 0);
	CU_ASSERT_EQUAL(c.stats_interval_ps, 0);
	CU_ASSERT_EQUAL(fab_switch_conf_port_by_name(&c, "p0"), 0);
	CU_ASSERT_EQUAL(fab_switch_conf_port_by_name(&c, "p1"), -ENOENT);
	fab_switch_conf_free(&c);
	CU_ASSERT_PTR_NULL(c.ports);
	fab_switch_conf_free(&c);   /* a zeroed conf */
	fab_switch_conf_free(NULL);
}

static void
test_conf_everything_set(void)
{
	static const char text[] =
		"switch:\n"
		"  name: sw1\n"
		"  seed: 7\n"
		"  hash_seed: 0x99\n"
		"  mtu: 4200\n"
		"  time: real\n"
		"  mac: 02:00:00:00:00:fe\n"
		"ports:\n"
		"  - name: eth0\n"
		"    dev: net_pcap0\n"
		"    rate: 25Gbps\n"
		"    trust: pcp\n"
		"    cable_m: 300\n"
		"    peer: {mac: 02:11:11:11:11:11, passive: true}\n"
		"  - name: eth1\n"
		"    dev: 1\n"
		"    rate: 400G\n"
		"    mac: 02:22:22:22:22:22\n"
		"  - name: eth2\n"
		"    dev: 0000:03:00.1\n"
		"qos:\n"
		"  dscp_to_class: {0-63: 1, }\n"
		"  pcp_to_class: {0-7: 2}\n"
		"  lossless: [2]\n"
		"  strict: [2, 7]\n"
		"  weights: {2: 50, 5: 100}\n"
		"  cnp_class: 7\n"
		"buffer:\n"
		"  pool: 32MB\n"
		"  ingress: {reserved: 2KB, static: 1MB, xoff: 96KB, xon: 0, xon_offset: 4KB,"
		" peer_response: 500ns}\n"
		"  egress: {lossy_static: 4MB, lossless_limit: 8MB}\n"
		"ecn:\n"
		"  plugin: ecn-step\n"
		"  mark_at: dequeue\n"
		"  args: 'k=1'\n"
		"  classes:\n"
		"    2: {kmin: 10KB, kmax: 20KB, pmax: 1, k: 15KB}\n"
		"    4: {pmax: 0.5}\n"
		"    5: false\n"
		"pfc:\n"
		"  enabled: false\n"
		"  pause_quanta: 1000\n"
		"  refresh: 1us\n"
		"  honor_pause: yes\n"
		"  watchdog: {detect: 10ms, action: alert}\n"
		"lb: {plugin: lb-spray, buckets: 1024, args: x}\n"
		"plugins: {path: [/opt/p, rel/p]}\n"
		"stats: {interval: 250ms}\n";
	struct fab_switch_conf c;
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load_string("/etc/rocefab/sw.yaml", text, NULL,
			&c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.name, "sw1");
	CU_ASSERT_EQUAL(c.seed, 7);
	CU_ASSERT_EQUAL(c.hash_seed, 0x99);
	CU_ASSERT_EQUAL(c.mtu, 4200);
	CU_ASSERT_EQUAL(c.time, FAB_CONF_TIME_REAL);
	CU_ASSERT_EQUAL(c.nb_ports, 3);
	CU_ASSERT_EQUAL(c.ports[0].kind, FAB_CONF_PORT_DEV);
	CU_ASSERT_STRING_EQUAL(c.ports[0].dev_name, "net_pcap0");
	CU_ASSERT_EQUAL(c.ports[0].rate_bps, UINT64_C(25000000000));
	CU_ASSERT_EQUAL(c.ports[0].trust, FAB_CONF_TRUST_PCP);
	CU_ASSERT_EQUAL(c.ports[0].cable_m, 300);
	CU_ASSERT_TRUE(c.ports[0].peer_mac_set);
	CU_ASSERT_EQUAL(c.ports[0].peer_mac.addr_bytes[5], 0x11);
	CU_ASSERT_TRUE(c.ports[0].peer_passive);
	CU_ASSERT_EQUAL(c.ports[0].mac.addr_bytes[5], 0xfe);   /* base + 0 */
	CU_ASSERT_PTR_NULL(c.ports[1].dev_name);
	CU_ASSERT_EQUAL(c.ports[1].dev_index, 1);
	CU_ASSERT_FALSE(c.ports[1].peer_passive);               /* a device reacts to PFC */
	CU_ASSERT_EQUAL(c.ports[1].mac.addr_bytes[5], 0x22);    /* given */
	CU_ASSERT_STRING_EQUAL(c.ports[2].dev_name, "0000:03:00.1");
	/* Base + 2 carries into the fifth octet. */
	CU_ASSERT_EQUAL(c.ports[2].mac.addr_bytes[4], 0x01);
	CU_ASSERT_EQUAL(c.ports[2].mac.addr_bytes[5], 0x00);
	for (i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(c.qos.dscp_to_class[i], 1);
	for (i = 0; i < FAB_NUM_PRIO; i++) {
		CU_ASSERT_EQUAL(c.qos.pcp_to_class[i], 2);
		CU_ASSERT_EQUAL(c.qos.weight[i], i == 2 ? 50 : i == 5 ? 100 : 1);
	}
	/* A lossless class may also be strict (documented). */
	CU_ASSERT_EQUAL(c.qos.lossless_mask, 0x04);
	CU_ASSERT_EQUAL(c.qos.strict_mask, 0x84);
	CU_ASSERT_EQUAL(c.qos.cnp_class, 7);
	CU_ASSERT_EQUAL(c.buffer.pool, UINT64_C(33554432));
	CU_ASSERT_EQUAL(c.buffer.pg_reserved, 2048);
	CU_ASSERT_TRUE(c.buffer.pg_static);
	CU_ASSERT_EQUAL(c.buffer.pg_static_limit, 1048576);
	CU_ASSERT_FALSE(c.buffer.xoff_auto);
	CU_ASSERT_EQUAL(c.buffer.xoff, 98304);
	CU_ASSERT_EQUAL(c.buffer.xon, 0);
	CU_ASSERT_EQUAL(c.buffer.xon_offset, 4096);
	CU_ASSERT_EQUAL(c.buffer.peer_response_ps, 500000);
	CU_ASSERT_TRUE(c.buffer.egress_lossy_static);
	CU_ASSERT_EQUAL(c.buffer.egress_lossy_static_limit, UINT64_C(4194304));
	CU_ASSERT_EQUAL(c.buffer.egress_lossless_limit, UINT64_C(8388608));
	CU_ASSERT_STRING_EQUAL(c.ecn.plugin, "ecn-step");
	CU_ASSERT_EQUAL(c.ecn.mark_at, FAB_CONF_MARK_DEQUEUE);
	CU_ASSERT_STRING_EQUAL(c.ecn.args, "k=1");
	/* Class 2: all written. Lossless class 2 on, the old defaults 3 and 4 follow the list. */
	CU_ASSERT_TRUE(c.ports[0].ecn[2].enabled);
	CU_ASSERT_EQUAL(c.ports[0].ecn[2].kmin, 10240);
	CU_ASSERT_EQUAL(c.ports[0].ecn[2].kmax, 20480);
	CU_ASSERT_DOUBLE_EQUAL(c.ports[0].ecn[2].pmax, 1.0, 0);
	CU_ASSERT_EQUAL(c.ports[0].ecn[2].k, 15360);
	CU_ASSERT_FALSE(c.ports[0].ecn[3].enabled);
	/* Class 4: listed, so on, with the rate-scaled thresholds of each port. */
	CU_ASSERT_TRUE(c.ports[0].ecn[4].enabled);
	CU_ASSERT_EQUAL(c.ports[0].ecn[4].kmin, 100000);       /* 25G */
	CU_ASSERT_EQUAL(c.ports[0].ecn[4].kmax, 400000);
	CU_ASSERT_DOUBLE_EQUAL(c.ports[0].ecn[4].pmax, 0.5, 0);
	CU_ASSERT_EQUAL(c.ports[1].ecn[4].kmin, 1600000);      /* 400G */
	CU_ASSERT_EQUAL(c.ports[1].ecn[4].kmax, 6400000);
	CU_ASSERT_EQUAL(c.ports[1].ecn[4].k, 1600000);
	CU_ASSERT_FALSE(c.ports[0].ecn[5].enabled);
	CU_ASSERT_FALSE(c.pfc.enabled);
	CU_ASSERT_EQUAL(c.pfc.pause_quanta, 1000);
	CU_ASSERT_FALSE(c.pfc.refresh_auto);
	CU_ASSERT_EQUAL(c.pfc.refresh_ps, 1000000);
	CU_ASSERT_TRUE(c.pfc.honor_pause);
	CU_ASSERT_TRUE(c.pfc.watchdog);
	CU_ASSERT_EQUAL(c.pfc.watchdog_detect_ps, UINT64_C(10000000000));
	CU_ASSERT_EQUAL(c.pfc.watchdog_restore_ps, UINT64_C(20000000000));
	CU_ASSERT_EQUAL(c.pfc.watchdog_action, FAB_CONF_WD_ALERT);
	CU_ASSERT_STRING_EQUAL(c.lb.plugin, "lb-spray");
	CU_ASSERT_EQUAL(c.lb.buckets, 1024);
	CU_ASSERT_STRING_EQUAL(c.lb.args, "x");
	CU_ASSERT_EQUAL_FATAL(c.nb_plugin_paths, 2);
	CU_ASSERT_STRING_EQUAL(c.plugin_paths[0], "/opt/p");
	CU_ASSERT_STRING_EQUAL(c.plugin_paths[1], "/etc/rocefab/rel/p");
	CU_ASSERT_EQUAL(c.stats_interval_ps, UINT64_C(250000000000));
	fab_switch_conf_free(&c);
}

static void
check_leaf(const struct fab_switch_conf *c, const char *dir)
{
	static const char *const names[] = { "h0", "h1", "h2", "h3", "up0", "up1" };
	const struct fab_conf_route *r;
	char want[512];
	unsigned int i;

	CU_ASSERT_STRING_EQUAL(c->name, "leaf1");
	CU_ASSERT_EQUAL(c->seed, 101);
	CU_ASSERT_EQUAL(c->hash_seed, 101);
	CU_ASSERT_EQUAL(c->time, FAB_CONF_TIME_VIRTUAL);
	CU_ASSERT_EQUAL_FATAL(c->nb_ports, 6);
	for (i = 0; i < 6; i++) {
		const struct fab_conf_port *p = &c->ports[i];
		static const uint8_t base[] = { 0x02, 0xfa, 0xb0, 0x01, 0x00 };

		CU_ASSERT_STRING_EQUAL(p->name, names[i]);
		CU_ASSERT_EQUAL(p->kind, FAB_CONF_PORT_PCAP);
		snprintf(want, sizeof(want), "%s/pcaps/leaf/%s.rx.pcap", dir, names[i]);
		CU_ASSERT_STRING_EQUAL(p->pcap_rx, want);
		snprintf(want, sizeof(want), "%s/pcaps/leaf/%s.tx.pcap", dir, names[i]);
		CU_ASSERT_STRING_EQUAL(p->pcap_tx, want);
		CU_ASSERT_EQUAL(p->rate_bps, UINT64_C(100000000000));
		CU_ASSERT_EQUAL(memcmp(p->mac.addr_bytes, base, 5), 0);
		CU_ASSERT_EQUAL(p->mac.addr_bytes[5], i);
		CU_ASSERT_EQUAL(p->cable_m, i < 4 ? 5 : 40);
		CU_ASSERT_TRUE(p->peer_passive);
		CU_ASSERT_TRUE(p->peer_mac_set);
		CU_ASSERT_EQUAL(p->ecn[3].kmin, 400000);
		CU_ASSERT_EQUAL(p->ecn[3].kmax, 1600000);
		CU_ASSERT_TRUE(p->ecn[3].enabled);
		CU_ASSERT_TRUE(p->ecn[4].enabled);
		CU_ASSERT_FALSE(p->ecn[0].enabled);
	}
	CU_ASSERT_EQUAL(c->ports[0].peer_mac.addr_bytes[5], 0x01);
	CU_ASSERT_EQUAL(c->ports[5].peer_mac.addr_bytes[3], 0x11);
	CU_ASSERT_EQUAL_FATAL(c->nb_routes, 10);
	CU_ASSERT_EQUAL(c->nb_nexthops, 12);
	for (i = 0; i < 4; i++) {
		r = &c->routes[i];
		CU_ASSERT_EQUAL(r->prefix.l3, FAB_L3_IPV4);
		CU_ASSERT_EQUAL(r->prefix.depth, 32);
		CU_ASSERT_EQUAL(r->prefix.addr.v4, htonl(0x0a000101 + i));
		CU_ASSERT_EQUAL(r->nb_nexthops, 1);
		CU_ASSERT_EQUAL(c->nexthops[r->first_nexthop].port, i);
		CU_ASSERT_TRUE(rte_is_same_ether_addr(&c->nexthops[r->first_nexthop].mac,
				&c->ports[i].peer_mac));
		r = &c->routes[4 + i];
		CU_ASSERT_EQUAL(r->prefix.l3, FAB_L3_IPV6);
		CU_ASSERT_EQUAL(r->prefix.depth, 128);
		CU_ASSERT_EQUAL(r->prefix.addr.v6[5], 0x01);
		CU_ASSERT_EQUAL(r->prefix.addr.v6[15], i + 1);
		CU_ASSERT_EQUAL(c->nexthops[r->first_nexthop].port, i);
	}
	for (i = 8; i < 10; i++) {
		r = &c->routes[i];
		CU_ASSERT_EQUAL(r->prefix.l3, i == 8 ? FAB_L3_IPV4 : FAB_L3_IPV6);
		CU_ASSERT_EQUAL(r->prefix.depth, 0);
		CU_ASSERT_EQUAL_FATAL(r->nb_nexthops, 2);
		CU_ASSERT_EQUAL(c->nexthops[r->first_nexthop].port, 4);
		CU_ASSERT_EQUAL(c->nexthops[r->first_nexthop + 1].port, 5);
		CU_ASSERT_EQUAL(c->nexthops[r->first_nexthop].mac.addr_bytes[3], 0x10);
		CU_ASSERT_EQUAL(c->nexthops[r->first_nexthop + 1].mac.addr_bytes[3], 0x11);
	}
}

static int
read_text(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (int)n;
}

static void
test_conf_leaf_example(void)
{
	struct fab_switch_conf c;
	char path[600], dir[512];
	static char text[16384];

	snprintf(dir, sizeof(dir), "%s/docs/examples", fab_test_source_root());
	snprintf(path, sizeof(path), "%s/leaf.yaml", dir);
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load(path, &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.path, path);
	check_leaf(&c, dir);
	fab_switch_conf_free(&c);

	/* The same text with the pcaps elsewhere, as tests with generated traces do. */
	CU_ASSERT_FATAL(read_text(path, text, sizeof(text)) > 0);
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load_string("leaf.yaml", text, "/tmp/run1", &c,
			err, sizeof(err)), 0);
	check_leaf(&c, "/tmp/run1");
	fab_switch_conf_free(&c);
}

static void
test_conf_spine_example(void)
{
	struct fab_switch_conf c;
	char path[512];
	unsigned int i;

	snprintf(path, sizeof(path), "%s/docs/examples/spine.yaml", fab_test_source_root());
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load(path, &c, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(c.name, "spine0");
	CU_ASSERT_EQUAL(c.seed, 1001);
	CU_ASSERT_EQUAL(c.hash_seed, 1001);
	CU_ASSERT_EQUAL(c.time, FAB_CONF_TIME_VIRTUAL);
	CU_ASSERT_EQUAL_FATAL(c.nb_ports, 4);
	CU_ASSERT_EQUAL_FATAL(c.nb_routes, 8);
	for (i = 0; i < 4; i++) {
		const struct fab_conf_route *r4 = &c.routes[i], *r6 = &c.routes[4 + i];
		const struct fab_conf_nexthop *nh = &c.nexthops[r4->first_nexthop];
		char name[8];

		snprintf(name, sizeof(name), "leaf%u", i + 1);
		CU_ASSERT_STRING_EQUAL(c.ports[i].name, name);
		CU_ASSERT_EQUAL(c.ports[i].cable_m, 40);
		CU_ASSERT_EQUAL(c.ports[i].mac.addr_bytes[3], 0x10);
		CU_ASSERT_EQUAL(c.ports[i].mac.addr_bytes[5], i);
		CU_ASSERT_EQUAL(r4->prefix.depth, 24);
		CU_ASSERT_EQUAL(r4->prefix.addr.v4, htonl(0x0a000000 + ((i + 1) << 8)));
		CU_ASSERT_EQUAL(r4->nb_nexthops, 1);
		CU_ASSERT_EQUAL(nh->port, i);
		CU_ASSERT_EQUAL(nh->mac.addr_bytes[3], i + 1);
		CU_ASSERT_EQUAL(nh->mac.addr_bytes[5], 0x04);
		CU_ASSERT_EQUAL(r6->prefix.l3, FAB_L3_IPV6);
		CU_ASSERT_EQUAL(r6->prefix.depth, 64);
		CU_ASSERT_EQUAL(r6->prefix.addr.v6[5], i + 1);
		CU_ASSERT_EQUAL(c.nexthops[r6->first_nexthop].port, i);
	}
	CU_ASSERT_TRUE(c.pfc.watchdog);
	CU_ASSERT_EQUAL(c.pfc.watchdog_detect_ps, UINT64_C(200000000000));
	CU_ASSERT_EQUAL(c.pfc.watchdog_restore_ps, UINT64_C(400000000000));
	CU_ASSERT_EQUAL(c.pfc.watchdog_action, FAB_CONF_WD_DROP);
	CU_ASSERT_EQUAL(c.stats_interval_ps, UINT64_C(1000000000000));
	fab_switch_conf_free(&c);
}

static void
test_conf_load_args(void)
{
	struct fab_switch_conf c;

	memset(&c, 0xff, sizeof(c));
	CU_ASSERT_EQUAL(fab_switch_conf_load("/nonexistent/sw.yaml", &c, err, sizeof(err)),
			-ENOENT);
	ASSERT_ERR("/nonexistent/sw.yaml: error: cannot open: No such file or directory");
	CU_ASSERT_PTR_NULL(c.ports);
	CU_ASSERT_EQUAL(fab_switch_conf_load(NULL, &c, err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(fab_switch_conf_load("x.yaml", NULL, err, sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(fab_switch_conf_load_string("t.yaml", NULL, NULL, &c, err,
			sizeof(err)), -EINVAL);
	CU_ASSERT_EQUAL(fab_switch_conf_port_by_name(NULL, "x"), -ENOENT);
	fab_switch_conf_free(NULL);

	CU_ASSERT_EQUAL(load_bad(""), -EINVAL);
	ASSERT_ERR("t.yaml:1:1: error: the file is empty; a switch needs at least a 'ports' list");
	CU_ASSERT_EQUAL(load_bad("switch: {name: a}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:1:1: error: missing key 'ports'; a switch needs at least one port");
	CU_ASSERT_EQUAL(load_bad("ports: []\n"), -EINVAL);
	ASSERT_ERR("t.yaml:1:8: error: ports: a switch needs at least one port");
	CU_ASSERT_EQUAL(load_bad("ports: {a: 1}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:1:8: error: ports: expected a sequence, found a mapping");
	CU_ASSERT_EQUAL(load_bad("- 1\n"), -EINVAL);
	ASSERT_ERR("t.yaml:1:1: error: expected a mapping, found a sequence");
	CU_ASSERT_EQUAL(load_bad("port:\n  - name: a\n"), -EINVAL);
	ASSERT_ERR("t.yaml:1:1: error: unknown key 'port'; allowed keys: switch, ports, qos, "
		"buffer, ecn, pfc, lb, plugins, routes, stats");
}

/* One port p0 (pcap) and whatever follows. */
#define PORT0 "ports:\n  - name: p0\n    pcap: {rx: a.pcap}\n"

static void
test_conf_port_errors(void)
{
	CU_ASSERT_EQUAL(load_bad(PORT0 "  - name: p1\n    pcap: {tx: b.pcap}\n"
			"  - name: p0\n    pcap: {tx: c.pcap}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:6:11: error: ports[2].name: duplicate port name 'p0' (first at 2:5)");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - name: p0\n    rat: 100G\n    pcap: {rx: a}\n"),
			-EINVAL);
	ASSERT_ERR("t.yaml:3:5: error: ports[0]: unknown key 'rat'; allowed keys: name, dev, "
		"pcap, rate, mac, peer, cable_m, trust");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - name: p0\n    dev: net_pcap0\n"
			"    pcap: {rx: a}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:5: error: ports[0]: port 'p0' has both dev and pcap; a port is "
		"either a DPDK device or a pcap file pair");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - name: p0\n    rate: 10G\n"), -EINVAL);
	ASSERT_ERR("t.yaml:2:5: error: ports[0]: port 'p0' needs dev (a DPDK device name or "
		"index) or pcap (rx/tx files)");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - pcap: {rx: a}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:2:5: error: ports[0]: a port needs a name");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - name: p0\n    pcap: {timing: trace}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:3:11: error: ports[0].pcap: a pcap port needs rx (the file to read), "
		"tx (the file to write) or both");

	CU_ASSERT_EQUAL(load_bad(PORT0 "    rate: 0\n"), -ERANGE);
	ASSERT_ERR("t.yaml:4:11: error: ports[0].rate: '0' is out of range [1M, 1.6T]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "    rate: 3.2T\n"), -ERANGE);
	ASSERT_ERR("t.yaml:4:11: error: ports[0].rate: '3.2T' is out of range [1M, 1.6T]");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - name: p0\n    dev: 40\n"), -ERANGE);
	ASSERT_ERR("t.yaml:3:10: error: ports[0].dev: 40 is out of range [0, 31]");

	CU_ASSERT_EQUAL(load_bad(PORT0 "    pcap: {rx: b}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:5: error: duplicate key 'pcap' (first at 3:5)");

	CU_ASSERT_EQUAL(load_bad(PORT0 "    peer: {mac: ff:ff:ff:ff:ff:ff}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:17: error: ports[0].peer.mac: ff:ff:ff:ff:ff:ff is a multicast "
		"address; a unicast one is needed here");

	CU_ASSERT_EQUAL(load_bad(PORT0 "    trust: tos\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:12: error: ports[0].trust: expected one of: dscp, pcp; found 'tos'");

	CU_ASSERT_EQUAL(load_bad("ports:\n  - name: 'p 0'\n    pcap: {rx: a}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:2:11: error: ports[0].name: 'p 0' is not a valid port name "
		"(letters, digits and _.:/-; at most 31)");
}

static void
test_conf_time_errors(void)
{
	CU_ASSERT_EQUAL(load_bad("switch: {time: virtual}\nports:\n  - {name: e0, dev: 0}\n"),
			-EINVAL);
	ASSERT_ERR("t.yaml:3:21: error: ports[0].dev: port 'e0' is a DPDK device, which cannot "
		"run in virtual time (switch.time is 'virtual' at 1:16)");
	CU_ASSERT_EQUAL(load_bad(PORT0 "  - {name: e0, dev: net_tap0}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:21: error: ports[1].dev: port 'e0' is a DPDK device but port 'p0' "
		"is a pcap file; to mix them set switch.time to 'real' (pcap files then play "
		"at wall-clock pace)");
	CU_ASSERT_EQUAL(load_bad("switch: {time: later}\n" PORT0), -EINVAL);
	ASSERT_ERR("t.yaml:1:16: error: switch.time: expected one of: auto, real, virtual; "
		"found 'later'");
}

static void
test_conf_qos_errors(void)
{
	struct fab_switch_conf c;

	CU_ASSERT_EQUAL(load_bad(PORT0 "qos:\n  lossless: [3, 9]\n"), -ERANGE);
	ASSERT_ERR("t.yaml:5:17: error: qos.lossless[1]: 9 is out of range [0, 7]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "qos:\n  strict: [6, 6]\n"), -EINVAL);
	ASSERT_ERR("t.yaml:5:15: error: qos.strict[1]: class 6 is listed twice");
	CU_ASSERT_EQUAL(load_bad(PORT0 "qos:\n  cnp_class: 8\n"), -ERANGE);
	ASSERT_ERR("t.yaml:5:14: error: qos.cnp_class: 8 is out of range [0, 7]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "qos:\n  weights: [1, 2]\n"), -EINVAL);
	ASSERT_ERR("t.yaml:5:12: error: qos.weights: a list of weights needs exactly 8 entries "
		"(one per class), found 2");
	CU_ASSERT_EQUAL(load_bad(PORT0 "qos:\n  weights: {3: 0}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:5:16: error: qos.weights.3: 0 is out of range [1, 100]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "qos:\n  dscp_to_class: {46: 5, 46: 6}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:5:26: error: duplicate key '46' (first at 5:19)");

	/* No lossless class at all is valid, and ECN then marks nothing by default. */
	CU_ASSERT_EQUAL_FATAL(fab_switch_conf_load_string("t.yaml", PORT0 "qos: {lossless: []}\n",
			NULL, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.qos.lossless_mask, 0);
	CU_ASSERT_FALSE(c.ports[0].ecn[3].enabled);
	fab_switch_conf_free(&c);
}

static void
test_conf_buffer_ecn_errors(void)
{
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn:\n  classes:\n    3: {kmin: 2MB, kmax: 1MB}\n"),
			-EINVAL);
	ASSERT_ERR("t.yaml:6:15: error: ecn.classes.3.kmin: kmin (2MB) is above kmax "
		"(1MB at 6:26)");
	/* The default kmax at 100G is 1600000 bytes. */
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn:\n  classes:\n    3: {kmin: 2MB}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:6:15: error: ecn.classes.3.kmin: kmin 2097152 bytes is above kmax "
		"1600000 bytes for port 'p0' (the kmax is the default at its rate); set both");
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn:\n  classes:\n    3: {pmax: 1.5}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:6:15: error: ecn.classes.3.pmax: 1.5 is out of range [0, 1]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn:\n  classes:\n    8: {pmax: 0.1}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:6:5: error: ecn.classes: 8 is out of range [0, 7]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn:\n  classes:\n    3: {kmin: 20MB}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:6:15: error: ecn.classes.3.kmin: '20MB' is out of range [0B, 16MB]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn: {mark_at: egress}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:16: error: ecn.mark_at: expected one of: enqueue, dequeue; "
		"found 'egress'");
	CU_ASSERT_EQUAL(load_bad(PORT0 "ecn: {plugin: ECN_Red}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:15: error: ecn.plugin: 'ECN_Red' is not a plugin name (lower-case "
		"letters, digits, '-' and '_'; at most 63)");

	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  ingress:\n    dynamic_th: 1\n"
			"    static: 1MB\n"), -EINVAL);
	ASSERT_ERR("t.yaml:7:5: error: buffer.ingress: give dynamic_th or static, not both");
	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  ingress: {dynamic_th: 8}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:5:25: error: buffer.ingress.dynamic_th: 8 is out of range [-7, 7]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  ingress: {xoff: 10KB, xon: 12KB}\n"),
			-EINVAL);
	ASSERT_ERR("t.yaml:5:30: error: buffer.ingress.xon: xon (12KB) is above xoff "
		"(10KB at 5:19)");
	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  ingress: {xoff: 10KB}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:5:19: error: buffer.ingress.xoff: xoff (10KB) is below the default "
		"xon of 18432 bytes; set xon too");
	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  pool: 1KB\n"), -ERANGE);
	ASSERT_ERR("t.yaml:5:9: error: buffer.pool: '1KB' is out of range [64KB, 1GB]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  ingress: {xoff: lots}\n"), -EINVAL);
	CU_ASSERT_EQUAL(strncmp(err, "t.yaml:5:19: error: buffer.ingress.xoff: expected a size",
			54), 0);
	CU_ASSERT_EQUAL(load_bad(PORT0 "buffer:\n  egress: {lossy_static: 1MB, lossy_dynamic_th: 1}\n"),
			-EINVAL);
	ASSERT_ERR("t.yaml:5:31: error: buffer.egress: give lossy_dynamic_th or lossy_static, "
		"not both");
}

static void
test_conf_pfc_lb_errors(void)
{
	/* 100 quanta at 100G last 512 ns; a 1 us refresh comes too late. */
	CU_ASSERT_EQUAL(load_bad(PORT0 "pfc: {pause_quanta: 100, refresh: 1us}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:35: error: pfc.refresh: refresh 1us is not shorter than the pause "
		"it renews on port 'p0' (100 quanta at 100G = 512ns)");
	CU_ASSERT_EQUAL(load_bad(PORT0 "pfc: {pause_quanta: 0}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:4:21: error: pfc.pause_quanta: 0 is out of range [1, 65535]");
	CU_ASSERT_EQUAL(load_bad(PORT0 "pfc:\n  watchdog: {action: reboot}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:5:22: error: pfc.watchdog.action: expected one of: drop, forward, "
		"alert; found 'reboot'");

	CU_ASSERT_EQUAL(load_bad(PORT0 "lb: {buckets: 100}\n"), -EINVAL);
	ASSERT_ERR("t.yaml:4:15: error: lb.buckets: buckets must be a power of two, found 100");
	CU_ASSERT_EQUAL(load_bad(PORT0 "lb: {buckets: 131072}\n"), -ERANGE);
	ASSERT_ERR("t.yaml:4:15: error: lb.buckets: 131072 is out of range [1, 65536]");
}

static void
test_conf_route_errors(void)
{
	static const char ports[] =
		"ports:\n"
		"  - {name: a, pcap: {rx: a}, peer: {mac: 02:00:00:00:00:0a}}\n"
		"  - {name: b, pcap: {rx: b}}\n"
		"routes:\n";

	CU_ASSERT_EQUAL(load_bad("ports:\n  - {name: a, pcap: {rx: a}}\n"
			"routes:\n  - {prefix: 10.0.0.0/8, via: {port: c, mac: 02:00:00:00:00:01}}\n"),
			-EINVAL);
	ASSERT_ERR("t.yaml:4:38: error: routes[0].via.port: unknown port 'c'; ports: a");
	{
		char text[512];

		snprintf(text, sizeof(text), "%s  - {prefix: 10.0.0.0/8, via: {port: b}}\n", ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:5:31: error: routes[0].via: a next hop on port 'b' needs a mac "
			"(or give that port a peer.mac)");
		snprintf(text, sizeof(text), "%s  - {prefix: 10.0.0.0/8, via: {port: a}}\n"
			"  - {prefix: 10.0.0.0/8, via: {port: a}}\n", ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:6:14: error: routes[1].prefix: duplicate route 10.0.0.0/8 "
			"(first at 5:5)");
		snprintf(text, sizeof(text), "%s  - {prefix: 10.0.0.1/8, via: {port: a}}\n", ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:5:14: error: routes[0].prefix: '10.0.0.1/8' has bits set beyond "
			"the prefix length; did you mean 10.0.0.0/8?");
		snprintf(text, sizeof(text), "%s  - {prefix: 10.0.0.0/8, via: [{port: a}, {port: a}]}\n",
			ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:5:43: error: routes[0].via[1]: next hop listed twice in this group "
			"(first at 5:32)");
		snprintf(text, sizeof(text), "lb: {buckets: 1}\n%s  - prefix: 0.0.0.0/0\n"
			"    via:\n      - {port: a}\n      - {port: b, mac: 02:00:00:00:00:0b}\n",
			ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:8:7: error: routes[0].via: 2 next hops do not fit in "
			"lb.buckets = 1");
		snprintf(text, sizeof(text), "%s  - {prefix: 10.0.0.0/8}\n", ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:5:5: error: routes[0]: a route needs via: a next hop {port, mac} "
			"or a list of them");
		snprintf(text, sizeof(text), "%s  - {prefix: 10.0.0.0/8, via: a}\n", ports);
		CU_ASSERT_EQUAL(load_bad(text), -EINVAL);
		ASSERT_ERR("t.yaml:5:31: error: routes[0].via: expected a mapping, found a scalar");
	}
}

int
fab_suite_config(void)
{
	CU_pSuite s = fab_test_add_suite("config");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_yaml_tree_positions);
	FAB_ADD_TEST(s, test_yaml_refused);
	FAB_ADD_TEST(s, test_yaml_load_args);
	FAB_ADD_TEST(s, test_yaml_expect_and_keys);
	FAB_ADD_TEST(s, test_get_int);
	FAB_ADD_TEST(s, test_get_bool_str_enum_double);
	FAB_ADD_TEST(s, test_get_size);
	FAB_ADD_TEST(s, test_get_rate);
	FAB_ADD_TEST(s, test_get_duration);
	FAB_ADD_TEST(s, test_parse_and_format_units);
	FAB_ADD_TEST(s, test_get_mac);
	FAB_ADD_TEST(s, test_get_prefix);
	FAB_ADD_TEST(s, test_get_class_map);
	FAB_ADD_TEST(s, test_conf_defaults);
	FAB_ADD_TEST(s, test_conf_everything_set);
	FAB_ADD_TEST(s, test_conf_leaf_example);
	FAB_ADD_TEST(s, test_conf_spine_example);
	FAB_ADD_TEST(s, test_conf_load_args);
	FAB_ADD_TEST(s, test_conf_port_errors);
	FAB_ADD_TEST(s, test_conf_time_errors);
	FAB_ADD_TEST(s, test_conf_qos_errors);
	FAB_ADD_TEST(s, test_conf_buffer_ecn_errors);
	FAB_ADD_TEST(s, test_conf_pfc_lb_errors);
	FAB_ADD_TEST(s, test_conf_route_errors);
	return 0;
}
