/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <inttypes.h>

#include "fab_json.h"

void
fab_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
fab_json_u64_array(FILE *f, const uint64_t *v, unsigned int n, uint64_t div)
{
	unsigned int i;

	if (div == 0)
		div = 1;
	fputc('[', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%" PRIu64, i == 0 ? "" : ", ", v[i] / div);
	fputc(']', f);
}
