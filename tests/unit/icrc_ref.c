/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/* Written from IBTA vol. 1 annex A17.3.3; see icrc_ref.h. */

#include <string.h>
#include <zlib.h>

#include "icrc_ref.h"

static unsigned int
rd16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

int
fab_ref_icrc(const uint8_t *f, size_t len, uint32_t *icrc, size_t *icrc_off)
{
	uint8_t buf[10000];
	size_t l3 = 14, udp, end, n;
	unsigned int et;
	int v6;

	if (len < 14)
		return -1;
	et = rd16(f + 12);
	while ((et == 0x8100 || et == 0x88a8) && len >= l3 + 4) {
		et = rd16(f + l3 + 2);
		l3 += 4;
	}
	if (et == 0x0800 && len >= l3 + 20 && f[l3 + 9] == 17) {
		v6 = 0;
		udp = l3 + (size_t)(f[l3] & 0xf) * 4;
	} else if (et == 0x86dd && len >= l3 + 40 && f[l3 + 6] == 17) {
		v6 = 1;
		udp = l3 + 40;
	} else {
		return -1;
	}
	if (len < udp + 8 || rd16(f + udp + 2) != 4791)
		return -1;
	end = udp + rd16(f + udp + 4) - 4;
	if (end > len || end < udp + 8 + 12)
		return -1;

	n = 8 + (end - l3);
	if (n > sizeof(buf))
		return -1;
	memset(buf, 0xff, 8);
	memcpy(buf + 8, f + l3, end - l3);
	if (!v6) {
		buf[8 + 1] = 0xff;
		buf[8 + 8] = 0xff;
		buf[8 + 10] = buf[8 + 11] = 0xff;
	} else {
		buf[8] |= 0x0f;
		buf[8 + 1] = buf[8 + 2] = buf[8 + 3] = 0xff;
		buf[8 + 7] = 0xff;
	}
	buf[8 + (udp - l3) + 6] = buf[8 + (udp - l3) + 7] = 0xff;
	buf[8 + (udp - l3) + 8 + 4] = 0xff;
	*icrc = (uint32_t)crc32(0L, buf, (uInt)n);
	*icrc_off = end;
	return 0;
}
