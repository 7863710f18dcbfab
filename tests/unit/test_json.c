/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* lib/json: escaping by hand-worked examples, and a round trip over every byte. */

#include <stdlib.h>
#include <string.h>

#include "fab_json.h"
#include "fab_test.h"

/* What fab_json_string() writes for @p s, in a buffer the caller frees. */
static char *
string_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	fab_json_string(f, s);
	fclose(f);
	return buf;
}

static void
test_string_examples(void)
{
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "leaf0", "\"leaf0\"" },
		{ "", "\"\"" },
		{ "a\"b", "\"a\\\"b\"" },
		{ "c:\\tmp", "\"c:\\\\tmp\"" },
		{ "tab\there", "\"tab\\u0009here\"" },
		{ "nl\n", "\"nl\\u000a\"" },
		{ "\x1f", "\"\\u001f\"" },
		/* UTF-8 passes through: JSON text is UTF-8. */
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
		{ "\x7f", "\"\x7f\"" },
	};
	size_t i;
	char *o;

	for (i = 0; i < RTE_DIM(v); i++) {
		o = string_of(v[i].in);
		CU_ASSERT_PTR_NOT_NULL_FATAL(o);
		CU_ASSERT_STRING_EQUAL(o, v[i].out);
		free(o);
	}
	o = string_of(NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_STRING_EQUAL(o, "\"\"");
	free(o);
}

/* Undo the escapes a JSON string may hold of the kinds fab_json_string() writes. */
static int
unescape(const char *q, char *out, size_t cap)
{
	size_t n = 0;

	if (*q++ != '"')
		return -1;
	while (*q != '"') {
		unsigned int c;

		if (*q == '\0' || (unsigned char)*q < 0x20 || n + 1 >= cap)
			return -1;
		if (*q != '\\') {
			out[n++] = *q++;
			continue;
		}
		q++;
		if (*q == '"' || *q == '\\') {
			out[n++] = *q++;
		} else if (*q == 'u' && sscanf(q + 1, "%4x", &c) == 1 && c < 0x20) {
			out[n++] = (char)c;
			q += 5;
		} else {
			return -1;
		}
	}
	out[n] = '\0';
	return q[1] == '\0' ? 0 : -1;
}

static void
test_string_round_trip(void)
{
	char in[256], back[256];
	unsigned int b;
	char *o;

	for (b = 1; b < 256; b++)
		in[b - 1] = (char)b;
	in[255] = '\0';
	o = string_of(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_EQUAL(unescape(o, back, sizeof(back)), 0);
	CU_ASSERT_STRING_EQUAL(back, in);
	free(o);
}

static void
test_u64_array(void)
{
	static const uint64_t v[] = { 0, 7000, 18446744073709551615ull };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fab_json_u64_array(f, v, 3, 1);
	fputc(' ', f);
	fab_json_u64_array(f, v, 2, 1000);
	fputc(' ', f);
	fab_json_u64_array(f, v, 0, 1);
	fputc(' ', f);
	/* A divisor of 0 is taken as 1, never a crash. */
	fab_json_u64_array(f, v + 1, 1, 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "[0, 7000, 18446744073709551615] [0, 7] [] [7000]");
	free(buf);
}

int
fab_suite_json(void)
{
	CU_pSuite s = fab_test_add_suite("json");

	if (s == NULL)
		return -1;
	FAB_ADD_TEST(s, test_string_examples);
	FAB_ADD_TEST(s, test_string_round_trip);
	FAB_ADD_TEST(s, test_u64_array);
	return 0;
}
