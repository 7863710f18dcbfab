/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * A tiny ECN plugin for unit-plugin, built several times by
 * tests/unit/meson.build: once sound (test-ecn) and once per fault the
 * loader must refuse (another ABI major, a newer minor, no descriptor, a
 * name that differs from its file's, a truncated descriptor, a symbol the
 * host cannot resolve). It marks
 * packets that see more than k bytes, k read from its arguments through
 * the host table, so the test also covers what plugins get from the host.
 */

#include <errno.h>
#include <stdlib.h>

#include <fab_plugin.h>

#ifndef TEST_PLUGIN_NAME
#define TEST_PLUGIN_NAME "test-ecn"
#endif
#ifndef TEST_ABI_MAJOR
#define TEST_ABI_MAJOR FAB_PLUGIN_ABI_MAJOR
#endif
#ifndef TEST_ABI_MINOR
#define TEST_ABI_MINOR FAB_PLUGIN_ABI_MINOR
#endif
#ifndef TEST_DESC_SIZE
#define TEST_DESC_SIZE sizeof(struct fab_plugin_desc)
#endif

struct test_state {
	uint64_t k_bytes;
};

static void *
test_create(const struct fab_ecn_conf *conf)
{
	static const char *const keys[] = { "k", NULL };
	const struct fab_plugin_host *host = conf->host;
	struct test_state *st;
	char bad[64];
	uint64_t k = 0;
	int ret;

	if (host == NULL)
		return NULL;
	if (host->arg_check(conf->args, keys, bad, sizeof(bad)) < 0) {
		host->log(FAB_PLUGIN_LOG_ERR, TEST_PLUGIN_NAME,
			"unknown argument '%s'", bad);
		return NULL;
	}
	ret = host->arg_u64(conf->args, "k", &k);
	if (ret == -EINVAL || k > UINT32_MAX)
		return NULL;
	st = malloc(sizeof(*st));
	if (st == NULL)
		return NULL;
	st->k_bytes = k;
	return st;
}

static void
test_free(void *state)
{
	free(state);
}

#ifdef TEST_UNRESOLVED
/* A host function this rocefab does not have: RTLD_NOW refuses the file. */
void fab_host_function_from_the_future(void);
#endif

static void
test_decide(void *state, const uint8_t *cls, const uint32_t *queue_bytes,
		uint16_t n, uint8_t *mark)
{
	const struct test_state *st = state;
	uint16_t i;

	RTE_SET_USED(cls);
#ifdef TEST_UNRESOLVED
	fab_host_function_from_the_future();
#endif
	for (i = 0; i < n; i++)
		mark[i] = queue_bytes[i] > st->k_bytes;
}

/*
 * Marks nothing at or below k. The 1.0 build (abi-1-0) keeps the member
 * filled, as garbage past a real 1.0 table would be: the host must not
 * read it from a plugin whose minor lacks it.
 */
static uint32_t
test_quiet_depth(const void *state, uint8_t cls)
{
	RTE_SET_USED(cls);
	return (uint32_t)((const struct test_state *)state)->k_bytes;
}

static const struct fab_ecn_ops test_ops = {
	.create = test_create,
	.free = test_free,
	.decide = test_decide,
	.quiet_depth = test_quiet_depth,
};

/* Written by hand rather than with FAB_PLUGIN_DEFINE to forge the faults. */
#ifdef TEST_NO_DESCRIPTOR
#define TEST_SYMBOL fab_plugin_descriptor_v1 /* a plausible misspelling */
#else
#define TEST_SYMBOL fab_plugin_descriptor
#endif

extern const struct fab_plugin_desc TEST_SYMBOL;
const struct fab_plugin_desc TEST_SYMBOL = {
	.abi_major = TEST_ABI_MAJOR,
	.abi_minor = TEST_ABI_MINOR,
	.size = TEST_DESC_SIZE,
	.kind = FAB_PLUGIN_ECN,
	.name = TEST_PLUGIN_NAME,
	.version = "0.0.1",
	.description = "unit-plugin's test policy: mark above k bytes",
	.ops = &test_ops,
};
