/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_ERR_H
#define FAB_ERR_H

/**
 * @file
 * The one way rocefab's control paths fill a caller's error buffer
 * (`char *err, size_t errlen` arguments). lib/pkt is the first module every
 * other one links, so the helper lives beside it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <rte_common.h>

/** Write a message into @p err (if not NULL and not empty), printf-style, truncated to fit. */
static inline void __rte_format_printf(3, 4)
fab_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

#endif /* FAB_ERR_H */
