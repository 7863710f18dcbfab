/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * lib/plugin and the built-in policies: loading by name, by search
 * path and by file path; every refusal with its errno and message; and the
 * behaviour of ecn-red, ecn-step, lb-ecmp and lb-spray through their ops.
 *
 * The shared objects come from the build tree: the test plugins of
 * tests/unit/meson.build sit next to this runner, the real ones in
 * <build>/plugins, found from /proc/self/exe so no path is baked in.
 */

#include <errno.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_errno.h>

#include <fab_ecn.h>
#include <fab_plugin.h>
#include <fab_route.h>

#include "fab_test.h"

#define ERRLEN 256

static char unit_dir[PATH_MAX];
static char plugin_dir[PATH_MAX];

/* Find the runner's directory and the build tree's plugins directory. */
static void
locate_dirs(void)
{
	char exe[PATH_MAX], up[PATH_MAX + 16];
	ssize_t n;

	if (unit_dir[0] != '\0')
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	CU_ASSERT_FATAL(n > 0);
	exe[n] = '\0';
	snprintf(unit_dir, sizeof(unit_dir), "%s", dirname(exe));
	snprintf(up, sizeof(up), "%s/../../plugins", unit_dir);
	CU_ASSERT_FATAL(realpath(up, plugin_dir) != NULL);
}

static bool
contains(const char *haystack, const char *needle)
{
	return strstr(haystack, needle) != NULL;
}

/* ECN conf with class 3 enabled with the given thresholds. */
static struct fab_ecn_conf
ecn_conf(uint32_t kmin, uint32_t kmax, double pmax, uint32_t k, const char *args)
{
	struct fab_ecn_conf conf = {
		.seed = 1,
		.args = args,
		.host = fab_plugin_host_default(),
	};

	conf.cls[3].enabled = true;
	conf.cls[3].kmin_bytes = kmin;
	conf.cls[3].kmax_bytes = kmax;
	conf.cls[3].pmax = pmax;
	conf.cls[3].k_bytes = k;
	return conf;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static void
test_builtin_by_name(void)
{
	static const struct {
		const char *name;
		enum fab_plugin_kind kind;
	} builtins[] = {
		{ "ecn-red", FAB_PLUGIN_ECN },
		{ "ecn-step", FAB_PLUGIN_ECN },
		{ "lb-ecmp", FAB_PLUGIN_LB },
		{ "lb-spray", FAB_PLUGIN_LB },
		{ "cc-dcqcn", FAB_PLUGIN_CC },
		{ "cc-none", FAB_PLUGIN_CC },
	};
	char err[ERRLEN];
	unsigned int i;

	for (i = 0; i < RTE_DIM(builtins); i++) {
		/* No search path at all: built-ins need none. */
		struct fab_plugin *p = fab_plugin_load(builtins[i].name, NULL,
				builtins[i].kind, err, sizeof(err));
		const struct fab_plugin_desc *d;

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		d = fab_plugin_get_desc(p);
		CU_ASSERT_STRING_EQUAL(d->name, builtins[i].name);
		CU_ASSERT_EQUAL(d->abi_major, 1);
		CU_ASSERT_EQUAL(d->abi_minor, 1);
		CU_ASSERT_EQUAL(d->size, sizeof(struct fab_plugin_desc));
		CU_ASSERT_STRING_EQUAL(d->version, "1.0.0");
		CU_ASSERT_TRUE(fab_plugin_is_builtin(p));
		CU_ASSERT_STRING_EQUAL(fab_plugin_path(p), "built-in");
		CU_ASSERT_EQUAL(err[0], '\0');
		if (builtins[i].kind == FAB_PLUGIN_ECN) {
			CU_ASSERT_PTR_NOT_NULL(fab_plugin_ecn_ops(p));
			CU_ASSERT_PTR_NULL(fab_plugin_lb_ops(p));
			CU_ASSERT_PTR_NULL(fab_plugin_cc_ops(p));
		} else if (builtins[i].kind == FAB_PLUGIN_LB) {
			CU_ASSERT_PTR_NOT_NULL(fab_plugin_lb_ops(p));
			CU_ASSERT_PTR_NULL(fab_plugin_ecn_ops(p));
			CU_ASSERT_PTR_NULL(fab_plugin_cc_ops(p));
		} else {
			CU_ASSERT_PTR_NOT_NULL(fab_plugin_cc_ops(p));
			CU_ASSERT_PTR_NULL(fab_plugin_ecn_ops(p));
			CU_ASSERT_PTR_NULL(fab_plugin_lb_ops(p));
		}
		CU_ASSERT_PTR_EQUAL(fab_plugin_builtin_get(i), d);
		fab_plugin_unload(p);
	}
	CU_ASSERT_PTR_NULL(fab_plugin_builtin_get(RTE_DIM(builtins)));
	CU_ASSERT_STRING_EQUAL(fab_plugin_kind_name(FAB_PLUGIN_LB), "lb");
}

static void
test_so_by_search_path(void)
{
	struct fab_ecn_conf conf = ecn_conf(0, 0, 0, 0, "k=1000");
	static const uint8_t cls[4] = { 3, 3, 0, 7 };
	static const uint32_t q[4] = { 999, 1000, 1001, 5000 };
	uint8_t mark[4] = { 9, 9, 9, 9 };
	char search[2 * PATH_MAX], expect_path[PATH_MAX + 32];
	const struct fab_ecn_ops *ops;
	char err[ERRLEN];
	struct fab_plugin *p;
	void *st;

	locate_dirs();
	/* A missing directory and an empty entry are passed over. */
	snprintf(search, sizeof(search), "/nonexistent-rocefab-dir::%s", unit_dir);
	p = fab_plugin_load("test-ecn", search, FAB_PLUGIN_ECN, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(fab_plugin_is_builtin(p));
	snprintf(expect_path, sizeof(expect_path), "%s/fab_plugin_test-ecn.so", unit_dir);
	CU_ASSERT_STRING_EQUAL(fab_plugin_path(p), expect_path);
	CU_ASSERT_STRING_EQUAL(fab_plugin_get_desc(p)->version, "0.0.1");
	ops = fab_plugin_ecn_ops(p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ops);

	/* The plugin read k through the host table. */
	st = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	ops->decide(st, cls, q, 4, mark);
	CU_ASSERT_EQUAL(mark[0], 0);
	CU_ASSERT_EQUAL(mark[1], 0);
	CU_ASSERT_EQUAL(mark[2], 1);
	CU_ASSERT_EQUAL(mark[3], 1);
	/* A 1.1 plugin's quiet depth reaches the host. */
	CU_ASSERT_EQUAL(fab_plugin_ecn_quiet_depth(p, st, 3), 1000);
	ops->free(st);
	conf.args = "k=1000,depth=3";
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	conf.args = "k=ten";
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	fab_plugin_unload(p);
}

static void
test_so_by_dir_list(void)
{
	const char *dirs[3] = { NULL, "/nonexistent-rocefab-dir", NULL };
	char err[ERRLEN];
	struct fab_plugin *p;

	locate_dirs();
	dirs[2] = unit_dir;
	p = fab_plugin_load_dirs("test-ecn", dirs, 3, FAB_PLUGIN_ECN, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_FALSE(fab_plugin_is_builtin(p));
	CU_ASSERT_STRING_EQUAL(fab_plugin_get_desc(p)->name, "test-ecn");
	fab_plugin_unload(p);
	/* Only the first two directories: not there. */
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load_dirs("test-ecn", dirs, 2, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	CU_ASSERT_STRING_EQUAL(err, "plugin test-ecn not found: not built in, and no "
		"fab_plugin_test-ecn.so in the plugin path '/nonexistent-rocefab-dir'");
	/* Built-ins need no directory; faults are reported as by fab_plugin_load(). */
	p = fab_plugin_load_dirs("lb-spray", NULL, 0, FAB_PLUGIN_LB, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL(p);
	CU_ASSERT_TRUE(p != NULL && fab_plugin_is_builtin(p));
	fab_plugin_unload(p);
	CU_ASSERT_PTR_NULL(fab_plugin_load_dirs("abi-2-0", dirs, 3, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOTSUP);
	CU_ASSERT_TRUE(contains(err, "plugin abi-2-0: ABI 2.0, rocefab supports 1.1"));
}

static void
test_real_so_by_path_matches_builtin(void)
{
	struct fab_ecn_conf conf = ecn_conf(1000, 2000, 0.5, 0, NULL);
	uint8_t cls[64], mark_so[64], mark_builtin[64];
	const struct fab_ecn_ops *so_ops, *builtin_ops;
	struct fab_plugin *so, *builtin;
	char path[PATH_MAX + 32];
	char err[ERRLEN];
	uint32_t q[64];
	void *st_so, *st_builtin;
	unsigned int i;

	locate_dirs();
	snprintf(path, sizeof(path), "%s/fab_plugin_ecn-red.so", plugin_dir);
	so = fab_plugin_load(path, NULL, FAB_PLUGIN_ECN, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(so);
	CU_ASSERT_FALSE(fab_plugin_is_builtin(so));
	CU_ASSERT_STRING_EQUAL(fab_plugin_path(so), path);
	builtin = fab_plugin_load("ecn-red", NULL, FAB_PLUGIN_ECN, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(builtin);
	so_ops = fab_plugin_ecn_ops(so);
	builtin_ops = fab_plugin_ecn_ops(builtin);
	/* Two copies of the code: the shared object's is its own. */
	CU_ASSERT_PTR_NOT_EQUAL(so_ops, builtin_ops);

	st_so = so_ops->create(&conf);
	st_builtin = builtin_ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st_so);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st_builtin);
	for (i = 0; i < 64; i++) {
		cls[i] = 3;
		q[i] = 1000 + 16 * i; /* through the ramp and past Kmax */
	}
	so_ops->decide(st_so, cls, q, 64, mark_so);
	builtin_ops->decide(st_builtin, cls, q, 64, mark_builtin);
	/* Same source, same seed: the same marks. */
	CU_ASSERT_EQUAL(memcmp(mark_so, mark_builtin, sizeof(mark_so)), 0);
	CU_ASSERT_EQUAL(mark_so[0], 0);  /* q = Kmin */
	CU_ASSERT_EQUAL(mark_so[63], 1); /* q = 2008 > Kmax */
	so_ops->free(st_so);
	builtin_ops->free(st_builtin);
	fab_plugin_unload(so);
	fab_plugin_unload(builtin);
}

static void
test_refuse_wrong_kind(void)
{
	char err[ERRLEN], search[PATH_MAX];

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("lb-ecmp", NULL, FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_STRING_EQUAL(err, "plugin lb-ecmp is a load-balancing plugin, "
		"but an ECN plugin is needed here");
	CU_ASSERT_PTR_NULL(fab_plugin_load("ecn-step", NULL, FAB_PLUGIN_LB, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);

	locate_dirs();
	snprintf(search, sizeof(search), "%s", unit_dir);
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("test-ecn", search, FAB_PLUGIN_LB, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_TRUE(contains(err, "is an ECN plugin"));
}

static void
test_refuse_abi_major(void)
{
	char err[ERRLEN];

	locate_dirs();
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("abi-2-0", unit_dir, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOTSUP);
	CU_ASSERT_TRUE(contains(err, "plugin abi-2-0: ABI 2.0, rocefab supports 1.1"));
}

static void
test_refuse_newer_minor(void)
{
	char err[ERRLEN];

	locate_dirs();
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("abi-1-2", unit_dir, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOTSUP);
	CU_ASSERT_TRUE(contains(err, "plugin abi-1-2: ABI 1.2, rocefab supports 1.1"));
	CU_ASSERT_TRUE(contains(err, "newer minor"));
}

/*
 * A 1.0 plugin loads, but the host reads no member that 1.0 lacks: the
 * abi-1-0 build fills quiet_depth anyway, standing for whatever lies past
 * a real 1.0 table.
 */
static void
test_older_minor_gates_members(void)
{
	struct fab_ecn_conf conf = ecn_conf(0, 0, 0, 0, "k=1000");
	const struct fab_ecn_ops *ops;
	struct fab_plugin *p;
	char err[ERRLEN];
	void *st;

	locate_dirs();
	p = fab_plugin_load("abi-1-0", unit_dir, FAB_PLUGIN_ECN, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(fab_plugin_get_desc(p)->abi_minor, 0);
	ops = fab_plugin_ecn_ops(p);
	st = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	CU_ASSERT_PTR_NOT_NULL(ops->quiet_depth);
	CU_ASSERT_EQUAL(ops->quiet_depth(st, 3), 1000);
	CU_ASSERT_EQUAL(fab_plugin_ecn_quiet_depth(p, st, 3), 0);
	CU_ASSERT_EQUAL(fab_plugin_ecn_quiet_depth(NULL, st, 3), 0);
	ops->free(st);
	fab_plugin_unload(p);
}

static void
test_refuse_missing_symbol(void)
{
	char err[ERRLEN];

	locate_dirs();
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("no-symbol", unit_dir, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOEXEC);
	CU_ASSERT_TRUE(contains(err, "fab_plugin_no-symbol.so exports no fab_plugin_descriptor"));
}

static void
test_refuse_unresolved_symbol(void)
{
	char err[ERRLEN];

	locate_dirs();
	/* RTLD_NOW: a symbol the host lacks fails the load, not a later call. */
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("unresolved", unit_dir, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ELIBBAD);
	CU_ASSERT_TRUE(contains(err, "plugin unresolved: cannot load"));
	CU_ASSERT_TRUE(contains(err, "fab_host_function_from_the_future"));
}

static void
test_refuse_bad_descriptor(void)
{
	char err[ERRLEN];

	locate_dirs();
	/* The file's name and the descriptor's must agree. */
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("misnamed", unit_dir, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOEXEC);
	CU_ASSERT_STRING_EQUAL(err, "plugin misnamed: the file declares the name 'other'");
	/* A descriptor shorter than ABI 1.0's. */
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("small-desc", unit_dir, FAB_PLUGIN_ECN, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOEXEC);
	CU_ASSERT_TRUE(contains(err, "descriptor of 8 bytes"));
}

static void
test_refuse_missing_file(void)
{
	char err[ERRLEN], expect[ERRLEN];

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("ecn-nope", "/nonexistent-a:/nonexistent-b",
		FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	CU_ASSERT_STRING_EQUAL(err, "plugin ecn-nope not found: not built in, and no "
		"fab_plugin_ecn-nope.so in the plugin path '/nonexistent-a:/nonexistent-b'");
	/* No search path: only built-ins can be found. */
	CU_ASSERT_PTR_NULL(fab_plugin_load("ecn-nope", NULL, FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	/* By path. */
	CU_ASSERT_PTR_NULL(fab_plugin_load("/nonexistent/fab_plugin_x.so", NULL,
		FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	snprintf(expect, sizeof(expect), "plugin /nonexistent/fab_plugin_x.so: cannot open "
		"/nonexistent/fab_plugin_x.so: %s", strerror(ENOENT));
	CU_ASSERT_STRING_EQUAL(err, expect);
}

static void
test_refuse_not_a_shared_object(void)
{
	char dir[] = "/tmp/fab-unit-plugin-XXXXXX";
	char path[sizeof(dir) + 32], err[ERRLEN];
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fab_plugin_junk.so", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("not an ELF file\n", f);
	fclose(f);
	rte_errno = 0;
	CU_ASSERT_PTR_NULL(fab_plugin_load("junk", dir, FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ELIBBAD);
	CU_ASSERT_TRUE(contains(err, "plugin junk: cannot load"));
	/* A directory is not a plugin either. */
	CU_ASSERT_PTR_NULL(fab_plugin_load(dir, NULL, FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, ELIBBAD);
	CU_ASSERT_TRUE(contains(err, "is not a regular file"));
	unlink(path);
	rmdir(dir);
}

static void
test_invalid_arguments(void)
{
	char err[ERRLEN];

	CU_ASSERT_PTR_NULL(fab_plugin_load(NULL, NULL, FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_plugin_load("", NULL, FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_plugin_load("ecn red", "/tmp", FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_TRUE(contains(err, "not valid"));
	CU_ASSERT_PTR_NULL(fab_plugin_load("..", "/tmp", FAB_PLUGIN_ECN, err, sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_plugin_load("ecn-red", NULL, (enum fab_plugin_kind)0, err,
		sizeof(err)));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	CU_ASSERT_PTR_NULL(fab_plugin_load("ecn-red", NULL, (enum fab_plugin_kind)9, NULL, 0));
	CU_ASSERT_EQUAL(rte_errno, EINVAL);
	/* Built-ins are found by their exact name only. */
	CU_ASSERT_PTR_NULL(fab_plugin_load("dcqcn", NULL, FAB_PLUGIN_CC, NULL, 0));
	CU_ASSERT_EQUAL(rte_errno, ENOENT);
	fab_plugin_unload(NULL);
	CU_ASSERT_PTR_NULL(fab_plugin_ecn_ops(NULL));
	CU_ASSERT_PTR_NULL(fab_plugin_lb_ops(NULL));
	CU_ASSERT_PTR_NULL(fab_plugin_cc_ops(NULL));
}

static void
test_host_args(void)
{
	const struct fab_plugin_host *h = fab_plugin_host_default();
	static const char *const keys[] = { "k", "p", NULL };
	char bad[32];
	uint64_t u = 7;
	double d = 0;

	CU_ASSERT_EQUAL(h->abi_major, FAB_PLUGIN_ABI_MAJOR);
	CU_ASSERT_EQUAL(h->arg_u64("k=42, p=0.25", "k", &u), 0);
	CU_ASSERT_EQUAL(u, 42);
	CU_ASSERT_EQUAL(h->arg_u64("k=0x10", "k", &u), 0);
	CU_ASSERT_EQUAL(u, 16);
	CU_ASSERT_EQUAL(h->arg_double("k=42, p=0.25", "p", &d), 0);
	CU_ASSERT_EQUAL(d, 0.25);
	CU_ASSERT_EQUAL(h->arg_u64("k=42", "p", &u), -ENOENT);
	CU_ASSERT_EQUAL(h->arg_u64(NULL, "p", &u), -ENOENT);
	CU_ASSERT_EQUAL(h->arg_u64("k=-1", "k", &u), -EINVAL);
	CU_ASSERT_EQUAL(h->arg_u64("k=12abc", "k", &u), -EINVAL);
	CU_ASSERT_EQUAL(h->arg_u64("k=99999999999999999999", "k", &u), -EINVAL);
	CU_ASSERT_EQUAL(h->arg_u64("k", "k", &u), -EINVAL);
	CU_ASSERT_EQUAL(h->arg_double("p=inf", "p", &d), -EINVAL);
	CU_ASSERT_EQUAL(u, 16);
	CU_ASSERT_EQUAL(h->arg_check("k=1,p=2,", keys, bad, sizeof(bad)), 0);
	CU_ASSERT_EQUAL(h->arg_check(NULL, keys, bad, sizeof(bad)), 0);
	CU_ASSERT_EQUAL(h->arg_check("k=1,q=2", keys, bad, sizeof(bad)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(bad, "q=2");
	CU_ASSERT_EQUAL(h->arg_check("k=1,p", keys, bad, sizeof(bad)), -EINVAL);
	CU_ASSERT_STRING_EQUAL(bad, "p");
}

/* ------------------------------------------------------------------ */
/* ECN policies                                                        */
/* ------------------------------------------------------------------ */

static const struct fab_ecn_ops *
ecn_builtin(const char *name, struct fab_plugin **p)
{
	*p = fab_plugin_load(name, NULL, FAB_PLUGIN_ECN, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*p);
	return fab_plugin_ecn_ops(*p);
}

static void
test_ecn_red_thresholds(void)
{
	struct fab_ecn_conf conf = ecn_conf(10000, 20000, 1.0, 0, NULL);
	uint8_t cls[32], mark[32];
	const struct fab_ecn_ops *ops;
	struct fab_plugin *p;
	unsigned int i, marked;
	uint32_t q[32];
	void *st;

	ops = ecn_builtin("ecn-red", &p);
	st = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);

	/* Up to Kmin: nothing. */
	for (i = 0; i < 32; i++) {
		cls[i] = 3;
		q[i] = i * 10000 / 31; /* 0 .. 10000 */
		mark[i] = 9;
	}
	ops->decide(st, cls, q, 32, mark);
	for (i = 0, marked = 0; i < 32; i++)
		marked += mark[i];
	CU_ASSERT_EQUAL(marked, 0);
	/* Above Kmax: everything. */
	for (i = 0; i < 32; i++)
		q[i] = 20001 + i * 1000;
	ops->decide(st, cls, q, 32, mark);
	for (i = 0, marked = 0; i < 32; i++)
		marked += mark[i];
	CU_ASSERT_EQUAL(marked, 32);
	/* Pmax 1 at Kmax: every draw marks. */
	for (i = 0; i < 32; i++)
		q[i] = 20000;
	ops->decide(st, cls, q, 32, mark);
	for (i = 0, marked = 0; i < 32; i++)
		marked += mark[i];
	CU_ASSERT_EQUAL(marked, 32);
	/* A disabled class and an out-of-range class are never marked. */
	cls[0] = 2;
	cls[1] = FAB_NUM_PRIO;
	q[0] = q[1] = UINT32_MAX;
	mark[0] = mark[1] = 9;
	ops->decide(st, cls, q, 2, mark);
	CU_ASSERT_EQUAL(mark[0], 0);
	CU_ASSERT_EQUAL(mark[1], 0);
	/* An empty burst touches nothing. */
	mark[0] = 9;
	ops->decide(st, cls, q, 0, mark);
	CU_ASSERT_EQUAL(mark[0], 9);
	ops->free(st);
	fab_plugin_unload(p);
}

static void
test_ecn_red_ramp_and_seed(void)
{
	struct fab_ecn_conf conf = ecn_conf(100000, 400000, 0.2, 0, NULL);
	enum { N = 256, ROUNDS = 200 };
	uint8_t cls[N], mark_a[N], mark_b[N], mark_c[N];
	const struct fab_ecn_ops *ops;
	struct fab_ecn_red_config cfg;
	struct fab_ecn_red_params params = { 100000, 400000, 0.2 };
	struct fab_plugin *p;
	struct fab_rng rng;
	uint32_t q[N], marked = 0, differ = 0;
	void *a, *b, *c;
	unsigned int i, r;

	ops = ecn_builtin("ecn-red", &p);
	a = ops->create(&conf);
	b = ops->create(&conf);
	conf.seed = 2;
	c = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_FATAL(fab_ecn_red_config_init(&cfg, &params) == 0);
	fab_rng_seed(&rng, 1);
	for (i = 0; i < N; i++) {
		cls[i] = 3;
		q[i] = 250000; /* p = 0.1 */
	}
	for (r = 0; r < ROUNDS; r++) {
		ops->decide(a, cls, q, N, mark_a);
		ops->decide(b, cls, q, N, mark_b);
		ops->decide(c, cls, q, N, mark_c);
		CU_ASSERT_EQUAL_FATAL(memcmp(mark_a, mark_b, N), 0);
		for (i = 0; i < N; i++) {
			/* The policy is exactly lib/ecn's ramp on a PRNG seeded with conf.seed. */
			CU_ASSERT_EQUAL_FATAL(mark_a[i], fab_ecn_red_mark(&cfg, q[i], &rng));
			marked += mark_a[i];
			differ += mark_a[i] != mark_c[i];
		}
	}
	/* 51200 draws at p = 0.1: mean 5120, sd 67.9, five of them 339. */
	CU_ASSERT(marked > 5120 - 339 && marked < 5120 + 339);
	/* Another seed, other marks. */
	CU_ASSERT(differ > 0);
	ops->free(a);
	ops->free(b);
	ops->free(c);
	fab_plugin_unload(p);
}

static void
test_ecn_red_invalid_create(void)
{
	struct fab_ecn_conf conf = ecn_conf(3000, 2000, 0.1, 0, NULL);
	const struct fab_ecn_ops *ops;
	struct fab_plugin *p;
	void *st;

	ops = ecn_builtin("ecn-red", &p);
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	conf = ecn_conf(1000, 2000, 1.5, 0, NULL);
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	conf = ecn_conf(1000, 2000, 0.1, 0, "pmax=0.3");
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	/* Without a host table the refusal is silent but still a refusal. */
	conf = ecn_conf(3000, 2000, 0.1, 0, NULL);
	conf.host = NULL;
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	/* Bad values in a disabled class do not matter. */
	conf.cls[3].enabled = false;
	st = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL(st);
	ops->free(st);
	ops->free(NULL);
	fab_plugin_unload(p);
}

static void
test_ecn_step(void)
{
	struct fab_ecn_conf conf = ecn_conf(0, 0, 0, 5000, NULL);
	static const uint8_t cls[6] = { 3, 3, 3, 3, 0, 200 };
	static const uint32_t q[6] = { 0, 5000, 5001, 900000, 900000, 900000 };
	uint8_t mark[6];
	const struct fab_ecn_ops *ops;
	struct fab_plugin *p;
	void *st;

	ops = ecn_builtin("ecn-step", &p);
	st = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	memset(mark, 9, sizeof(mark));
	ops->decide(st, cls, q, 6, mark);
	CU_ASSERT_EQUAL(mark[0], 0);
	CU_ASSERT_EQUAL(mark[1], 0);
	CU_ASSERT_EQUAL(mark[2], 1);
	CU_ASSERT_EQUAL(mark[3], 1);
	CU_ASSERT_EQUAL(mark[4], 0); /* class 0 disabled */
	CU_ASSERT_EQUAL(mark[5], 0); /* no such class */
	ops->free(st);
	conf.args = "k=1";
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	ops->free(NULL);
	fab_plugin_unload(p);
}

/*
 * quiet_depth's promise, for both built-in policies: handing decide() only
 * the packets deeper than it changes no mark, now or later (the PRNG
 * included). Random classes (disabled ones too) and depths around the
 * thresholds, 200 bursts of 64.
 */
static void
test_ecn_quiet_depth_contract(void)
{
	static const char *const names[] = { "ecn-red", "ecn-step" };
	unsigned int v;

	srand(77);
	for (v = 0; v < RTE_DIM(names); v++) {
		struct fab_ecn_conf conf = ecn_conf(10000, 30000, 0.5, 20000, NULL);
		unsigned int r, i, k, c, skipped = 0, marked = 0;
		uint32_t quiet[FAB_NUM_PRIO];
		const struct fab_ecn_ops *ops;
		struct fab_plugin *p;
		void *all, *some;

		ops = ecn_builtin(names[v], &p);
		all = ops->create(&conf);
		some = ops->create(&conf);
		CU_ASSERT_PTR_NOT_NULL_FATAL(all);
		CU_ASSERT_PTR_NOT_NULL_FATAL(some);
		for (c = 0; c < FAB_NUM_PRIO; c++)
			quiet[c] = fab_plugin_ecn_quiet_depth(p, some, (uint8_t)c);
		CU_ASSERT_EQUAL(quiet[3], v == 0 ? 10000u : 20000u);
		CU_ASSERT_EQUAL(quiet[0], UINT32_MAX); /* disabled */
		for (r = 0; r < 200; r++) {
			uint8_t cls[64], mark[64], cls_s[64], mark_s[64];
			uint32_t q[64], q_s[64];
			uint16_t at[64], ns = 0;

			for (i = 0; i < 64; i++) {
				cls[i] = rand() % 4 == 0 ? (uint8_t)(rand() % FAB_NUM_PRIO) : 3;
				q[i] = (uint32_t)(rand() % 40000);
				if (q[i] > quiet[cls[i]]) {
					cls_s[ns] = cls[i];
					q_s[ns] = q[i];
					at[ns++] = (uint16_t)i;
				} else {
					skipped++;
				}
			}
			ops->decide(all, cls, q, 64, mark);
			ops->decide(some, cls_s, q_s, ns, mark_s);
			for (i = 0, k = 0; i < 64; i++) {
				uint8_t want = 0;

				if (k < ns && at[k] == i)
					want = mark_s[k++];
				CU_ASSERT_EQUAL_FATAL(mark[i], want);
				marked += mark[i];
			}
		}
		CU_ASSERT(skipped > 1000);
		CU_ASSERT(marked > 1000);
		ops->free(all);
		ops->free(some);
		fab_plugin_unload(p);
	}
}

/* ------------------------------------------------------------------ */
/* Load balancing                                                      */
/* ------------------------------------------------------------------ */

static void
flow_meta(struct fab_pkt_meta *m, uint32_t flow)
{
	memset(m, 0, sizeof(*m));
	m->kind = FAB_PKT_KIND_ROCE;
	m->l3 = FAB_L3_IPV4;
	m->key.l3 = FAB_L3_IPV4;
	m->key.proto = 17;
	m->key.src.v4 = rte_cpu_to_be_32(0x0a000001);
	m->key.dst.v4 = rte_cpu_to_be_32(0x0a000102);
	m->key.src_port = rte_cpu_to_be_16((uint16_t)(49152 + flow));
	m->key.dst_port = rte_cpu_to_be_16(FAB_ROCE_UDP_PORT);
}

static const struct fab_lb_ops *
lb_builtin(const char *name, struct fab_plugin **p)
{
	*p = fab_plugin_load(name, NULL, FAB_PLUGIN_LB, NULL, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*p);
	return fab_plugin_lb_ops(*p);
}

enum { FLOWS = 1000, BURST = 32 };

static void
test_lb_ecmp_sticky_and_spread(void)
{
	static const uint32_t members[4] = { 10, 11, 12, 13 };
	struct fab_lb_conf conf = { .seed = 1, .hash_seed = 0x1234,
		.host = fab_plugin_host_default() };
	static struct fab_pkt_meta meta[FLOWS];
	static struct fab_nh_group g4, g1;
	const struct fab_pkt_meta *pkts[BURST];
	const struct fab_nh_group *groups[BURST];
	uint16_t first[FLOWS], member[BURST];
	unsigned int count[4] = { 0 }, moved = 0, i, f, round;
	const struct fab_lb_ops *ops;
	struct fab_plugin *p;
	void *st, *st_other;

	CU_ASSERT_FATAL(fab_nh_group_init(&g4, members, 4, 0) == 0);
	CU_ASSERT_FATAL(fab_nh_group_init(&g1, members, 1, 0) == 0);
	for (f = 0; f < FLOWS; f++)
		flow_meta(&meta[f], f);
	ops = lb_builtin("lb-ecmp", &p);
	st = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);

	/* Four rounds, each visiting the flows in another order and position. */
	for (round = 0; round < 4; round++) {
		for (f = 0; f < FLOWS; f += BURST) {
			uint16_t n = (uint16_t)RTE_MIN((unsigned int)BURST, FLOWS - f);

			for (i = 0; i < n; i++) {
				uint32_t flow = (f + i + round * 7) % FLOWS;

				pkts[i] = &meta[flow];
				groups[i] = &g4;
			}
			ops->select(st, pkts, groups, n, member);
			for (i = 0; i < n; i++) {
				uint32_t flow = (f + i + round * 7) % FLOWS;

				CU_ASSERT_FATAL(member[i] < 4);
				/* Exactly the seeded flow hash into the buckets. */
				CU_ASSERT_EQUAL(member[i], fab_nh_group_select(&g4,
					fab_flow_hash(&meta[flow].key, conf.hash_seed)));
				if (round == 0) {
					first[flow] = member[i];
					count[member[i]]++;
				} else {
					CU_ASSERT_EQUAL(member[i], first[flow]);
				}
			}
		}
	}
	/* 1000 flows over 4 members: mean 250, sd 13.7. */
	for (i = 0; i < 4; i++)
		CU_ASSERT(count[i] > 250 - 69 && count[i] < 250 + 69);

	/* One member: no hash, always 0. */
	pkts[0] = &meta[5];
	groups[0] = &g1;
	member[0] = 7;
	ops->select(st, pkts, groups, 1, member);
	CU_ASSERT_EQUAL(member[0], 0);

	/* Another switch seed moves about three flows in four. */
	conf.hash_seed = 0x5678;
	st_other = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(st_other);
	for (f = 0; f < FLOWS; f++) {
		pkts[0] = &meta[f];
		groups[0] = &g4;
		ops->select(st_other, pkts, groups, 1, member);
		moved += member[0] != first[f];
	}
	CU_ASSERT(moved > 750 - 69 && moved < 750 + 69);
	ops->free(st);
	ops->free(st_other);
	conf.args = "x=1";
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	ops->free(NULL);
	fab_plugin_unload(p);
}

/* Spray one flow of 4000 packets over 4 members with @p args; return the counts. */
static void
spray_counts(const char *args, unsigned int count[4])
{
	static const uint32_t members[4] = { 10, 11, 12, 13 };
	struct fab_lb_conf conf = { .seed = 3, .hash_seed = 0x1234, .args = args };
	enum { PKTS = 4000 };
	static struct fab_nh_group g4, g1;
	const struct fab_pkt_meta *pkts[BURST];
	const struct fab_nh_group *groups[BURST];
	uint16_t member_a[BURST], member_b[BURST];
	unsigned int i, sent;
	const struct fab_lb_ops *ops;
	struct fab_pkt_meta meta;
	struct fab_plugin *p;
	void *a, *b;

	memset(count, 0, 4 * sizeof(count[0]));
	CU_ASSERT_FATAL(fab_nh_group_init(&g4, members, 4, 0) == 0);
	CU_ASSERT_FATAL(fab_nh_group_init(&g1, members, 1, 0) == 0);
	flow_meta(&meta, 42);
	ops = lb_builtin("lb-spray", &p);
	a = ops->create(&conf);
	b = ops->create(&conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (i = 0; i < BURST; i++) {
		pkts[i] = &meta;
		groups[i] = &g4;
	}
	for (sent = 0; sent < PKTS; sent += BURST) {
		ops->select(a, pkts, groups, BURST, member_a);
		ops->select(b, pkts, groups, BURST, member_b);
		/* Same seed, same sequence. */
		CU_ASSERT_EQUAL_FATAL(memcmp(member_a, member_b, sizeof(member_a)), 0);
		for (i = 0; i < BURST; i++) {
			CU_ASSERT_FATAL(member_a[i] < 4);
			count[member_a[i]]++;
		}
	}
	groups[0] = &g1;
	member_a[0] = 7;
	ops->select(a, pkts, groups, 1, member_a);
	CU_ASSERT_EQUAL(member_a[0], 0);
	ops->free(a);
	ops->free(b);
	ops->free(NULL);
	fab_plugin_unload(p);
}

static void
test_lb_spray_spreads_one_flow(void)
{
	unsigned int count[4], i, equal = 0;

	/* Round robin (the default, and mode=rr): exactly even. */
	spray_counts(NULL, count);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(count[i], 1000);
	spray_counts("mode=rr", count);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(count[i], 1000);
	/* Random: mean 1000 per member, sd 27.4; and not the round robin. */
	spray_counts("mode=random", count);
	for (i = 0; i < 4; i++) {
		CU_ASSERT(count[i] > 1000 - 137 && count[i] < 1000 + 137);
		equal += count[i] == 1000;
	}
	CU_ASSERT(equal < 4);
}

static void
test_lb_spray_refuses_bad_args(void)
{
	struct fab_lb_conf conf = { .seed = 1, .args = "mode=hash" };
	const struct fab_lb_ops *ops;
	struct fab_plugin *p;

	ops = lb_builtin("lb-spray", &p);
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	conf.args = "bogus";
	CU_ASSERT_PTR_NULL(ops->create(&conf));
	fab_plugin_unload(p);
}

int
fab_suite_plugin(void)
{
	CU_pSuite s = fab_test_add_suite("plugin");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_builtin_by_name);
	FAB_ADD_TEST(s, test_so_by_search_path);
	FAB_ADD_TEST(s, test_so_by_dir_list);
	FAB_ADD_TEST(s, test_real_so_by_path_matches_builtin);
	FAB_ADD_TEST(s, test_refuse_wrong_kind);
	FAB_ADD_TEST(s, test_refuse_abi_major);
	FAB_ADD_TEST(s, test_refuse_newer_minor);
	FAB_ADD_TEST(s, test_older_minor_gates_members);
	FAB_ADD_TEST(s, test_refuse_missing_symbol);
	FAB_ADD_TEST(s, test_refuse_unresolved_symbol);
	FAB_ADD_TEST(s, test_refuse_bad_descriptor);
	FAB_ADD_TEST(s, test_refuse_missing_file);
	FAB_ADD_TEST(s, test_refuse_not_a_shared_object);
	FAB_ADD_TEST(s, test_invalid_arguments);
	FAB_ADD_TEST(s, test_host_args);
	FAB_ADD_TEST(s, test_ecn_red_thresholds);
	FAB_ADD_TEST(s, test_ecn_red_ramp_and_seed);
	FAB_ADD_TEST(s, test_ecn_red_invalid_create);
	FAB_ADD_TEST(s, test_ecn_step);
	FAB_ADD_TEST(s, test_ecn_quiet_depth_contract);
	FAB_ADD_TEST(s, test_lb_ecmp_sticky_and_spread);
	FAB_ADD_TEST(s, test_lb_spray_spreads_one_flow);
	FAB_ADD_TEST(s, test_lb_spray_refuses_bad_args);
	return 0;
}
