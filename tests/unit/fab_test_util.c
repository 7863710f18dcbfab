/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fab_test.h"

const char *
fab_test_source_root(void)
{
	return FAB_SOURCE_ROOT;
}

CU_pSuite
fab_test_add_suite(const char *name)
{
	return CU_add_suite(name, NULL, NULL);
}

struct rte_mbuf *
fab_test_mbuf_from(const void *data, uint32_t len, uint32_t seg_len)
{
	const uint8_t *p = data;
	struct rte_mbuf *head = NULL, *last = NULL;
	uint32_t done = 0;

	if (fab_test_pool == NULL || seg_len == 0)
		return NULL;
	do {
		uint32_t n = RTE_MIN(seg_len, len - done);
		struct rte_mbuf *m = rte_pktmbuf_alloc(fab_test_pool);
		char *dst;

		if (m == NULL || n > rte_pktmbuf_tailroom(m)) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		dst = rte_pktmbuf_append(m, (uint16_t)n);
		memcpy(dst, p + done, n);
		done += n;
		if (head == NULL) {
			head = m;
		} else {
			last->next = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
		last = m;
	} while (done < len);
	return head;
}

int
fab_test_read_hex(const char *path, uint8_t *buf, uint32_t cap)
{
	FILE *f = fopen(path, "r");
	int c, hi = -1;
	uint32_t n = 0;

	if (f == NULL)
		return -1;
	while ((c = fgetc(f)) != EOF) {
		int v;

		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (isspace(c))
			continue;
		if (!isxdigit(c)) {
			fclose(f);
			return -1;
		}
		v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap) {
			fclose(f);
			return -1;
		}
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	fclose(f);
	return hi < 0 ? (int)n : -1;
}
