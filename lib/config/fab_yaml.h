/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_YAML_H
#define FAB_YAML_H

/**
 * @file
 * A small YAML document tree for configuration files, with typed getters
 * whose errors name the file, line and column.
 *
 * The tree is built with libyaml's event parser. Every node carries its
 * 1-based line and column. The subset accepted is what configuration files
 * need: mappings, sequences and scalars, one document per file. Anchors,
 * aliases and explicit tags are refused (so every value is read where it is
 * written, and an error always points at the text the user must change), as
 * are duplicate keys and keys that are not scalars.
 *
 * Values are typed by the schema, not by YAML's own resolution: a getter
 * reads the scalar's text, quoted or not, so `rate: "100G"` and
 * `rate: 100G` mean the same.
 *
 * Every getter returns 0, or -EINVAL (-ERANGE for a value out of range)
 * after writing into @p err a single line of the form
 * `FILE:LINE:COL: error: PATH: MESSAGE`, where PATH locates the value
 * (`ports[2].peer.mac`). @p err may be NULL when @p errlen is 0.
 *
 * Units (see docs/config.md):
 * - sizes: a byte count, or a number with B, K/KB/KiB, M/MB/MiB, G/GB/GiB;
 *   all multiples are powers of 1024, as tc(8) and memory datasheets use.
 * - rates: bits per second, decimal multiples: K, M, G, T, each optionally
 *   followed by bps, b/s, bit or bit/s ("100G", "25Gbps", "10Gb/s").
 * - durations: ps, ns, us (or µs), ms, s; stored in picoseconds. A bare
 *   number is refused except 0.
 * Fractions are accepted when the result is a whole number of the base
 * unit ("1.5MiB", "2.5ms"); arithmetic is exact (no floating point).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "fab_pkt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed YAML document (opaque; owns every node). */
struct fab_yaml_doc;

/** Kind of a node. */
enum fab_yaml_type {
	FAB_YAML_SCALAR = 0,
	FAB_YAML_SEQUENCE,
	FAB_YAML_MAPPING,
};

/**
 * One node of the tree. Read-only for users; valid until fab_yaml_free().
 *
 * A mapping has @c count pairs: keys[i] (always scalars) and items[i]
 * (their values). A sequence has @c count items and no keys.
 */
struct fab_yaml_node {
	enum fab_yaml_type type;
	uint32_t line;                 /**< 1-based */
	uint32_t col;                  /**< 1-based, in characters */
	const struct fab_yaml_doc *doc;
	const struct fab_yaml_node *parent; /**< NULL for the root */
	const char *key;   /**< for a mapping value: its key; else NULL */
	uint32_t index;    /**< for a sequence item: its position */
	bool is_key;       /**< this node is a mapping key */

	/* Scalars. */
	const char *value; /**< NUL-terminated text ("" when empty); NULL for collections */
	size_t len;        /**< bytes in value */
	bool quoted;       /**< written in single or double quotes, or as a block */
	bool is_null;      /**< plain "", "~" or "null": no value given */

	/* Sequences and mappings. */
	uint32_t count;
	struct fab_yaml_node **items;
	struct fab_yaml_node **keys;
};

/** An IPv4 or IPv6 prefix. */
struct fab_ip_prefix {
	union fab_ip_addr addr; /**< IPv4 in network order in addr.v4 */
	uint8_t l3;             /**< FAB_L3_IPV4 or FAB_L3_IPV6 */
	uint8_t depth;          /**< prefix length */
};

/**
 * Parse a YAML text held in memory.
 *
 * @param name
 *   File name used in error messages (need not exist).
 * @param text
 *   NUL-terminated YAML text.
 * @return
 *   The document, or NULL with rte_errno set (EINVAL for a syntax error or a
 *   refused construct, ENOMEM) and the reason in @p err.
 */
struct fab_yaml_doc *fab_yaml_load_string(const char *name, const char *text,
		char *err, size_t errlen);

/**
 * Read and parse a YAML file (at most 16 MiB).
 *
 * @return
 *   The document, or NULL with rte_errno set (the errno of open/read, EFBIG,
 *   EINVAL, ENOMEM) and the reason in @p err.
 */
struct fab_yaml_doc *fab_yaml_load_file(const char *path, char *err, size_t errlen);

/** Free a document and all its nodes. Accepts NULL. */
void fab_yaml_free(struct fab_yaml_doc *doc);

/** The root node, or NULL for an empty document. */
const struct fab_yaml_node *fab_yaml_root(const struct fab_yaml_doc *doc);

/** The file name the document was loaded under. */
const char *fab_yaml_doc_name(const struct fab_yaml_doc *doc);

/** "a scalar", "a sequence", "a mapping" or "an empty value". */
const char *fab_yaml_type_name(const struct fab_yaml_node *n);

/**
 * Write the path of @p n ("ports[2].peer.mac"; "" for the root; a key's path
 * is its mapping's) into @p buf.
 *
 * @return the length the full path has (as snprintf).
 */
int fab_yaml_path(const struct fab_yaml_node *n, char *buf, size_t len);

/**
 * Write `FILE:LINE:COL: error: PATH: MESSAGE` about @p n into @p err.
 *
 * @return -EINVAL, so that callers can `return fab_yaml_error(...)`.
 */
int fab_yaml_error(const struct fab_yaml_node *n, char *err, size_t errlen,
		const char *fmt, ...) __rte_format_printf(4, 5);

/**
 * The value under @p key in mapping @p map.
 *
 * @return the node, or NULL if @p map is NULL, not a mapping, or has no
 *   such key.
 */
const struct fab_yaml_node *fab_yaml_map_get(const struct fab_yaml_node *map,
		const char *key);

/**
 * fab_yaml_map_get(), but a key written with no value ("key:" or
 * "key: null") counts as absent, so that its default applies.
 */
const struct fab_yaml_node *fab_yaml_map_get_set(const struct fab_yaml_node *map,
		const char *key);

/** The key node of the pair whose value is @p value, or NULL. */
const struct fab_yaml_node *fab_yaml_key_of(const struct fab_yaml_node *value);

/**
 * Check that @p n is of type @p type ("expected a mapping, found a
 * sequence").
 */
int fab_yaml_expect(const struct fab_yaml_node *n, enum fab_yaml_type type,
		char *err, size_t errlen);

/**
 * Check that every key of mapping @p map is in @p allowed (a NULL-terminated
 * list). The error names the unknown key and lists the allowed ones.
 */
int fab_yaml_check_keys(const struct fab_yaml_node *map, const char *const allowed[],
		char *err, size_t errlen);

/** A string: any scalar but an empty value. */
int fab_yaml_get_str(const struct fab_yaml_node *n, const char **out,
		char *err, size_t errlen);

/** A signed decimal (or 0x-prefixed hexadecimal) integer in [@p min, @p max]. */
int fab_yaml_get_int(const struct fab_yaml_node *n, int64_t min, int64_t max,
		int64_t *out, char *err, size_t errlen);

/** An unsigned decimal (or 0x-prefixed hexadecimal) integer in [@p min, @p max]. */
int fab_yaml_get_u64(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *out, char *err, size_t errlen);

/** A decimal number (as strtod, finite) in [@p min, @p max]. */
int fab_yaml_get_double(const struct fab_yaml_node *n, double min, double max,
		double *out, char *err, size_t errlen);

/** true/false, yes/no or on/off, in any case. */
int fab_yaml_get_bool(const struct fab_yaml_node *n, bool *out, char *err, size_t errlen);

/**
 * One of a fixed list of words (case-sensitive).
 *
 * @param names
 *   NULL-terminated list; the error lists them all.
 * @param out
 *   Index of the word in @p names.
 */
int fab_yaml_get_enum(const struct fab_yaml_node *n, const char *const names[],
		unsigned int *out, char *err, size_t errlen);

/** A size in bytes in [@p min, @p max] (1 KB = 1 KiB = 1024 bytes). */
int fab_yaml_get_size(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *bytes, char *err, size_t errlen);

/** A rate in bits per second in [@p min, @p max] (1G = 10^9 b/s). */
int fab_yaml_get_rate(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *bps, char *err, size_t errlen);

/** A duration in picoseconds in [@p min, @p max]. */
int fab_yaml_get_duration(const struct fab_yaml_node *n, uint64_t min, uint64_t max,
		uint64_t *ps, char *err, size_t errlen);

/**
 * A MAC address: six pairs of hex digits separated by ':' or '-'.
 *
 * @param unicast
 *   Refuse multicast/broadcast and all-zero addresses.
 */
int fab_yaml_get_mac(const struct fab_yaml_node *n, bool unicast,
		struct rte_ether_addr *out, char *err, size_t errlen);

/**
 * An IPv4 or IPv6 prefix ("10.0.1.0/24", "2001:db8::/64"); a bare address
 * is a host prefix (/32, /128). Bits beyond the prefix length must be zero.
 */
int fab_yaml_get_prefix(const struct fab_yaml_node *n, struct fab_ip_prefix *out,
		char *err, size_t errlen);

/**
 * A map from code points (DSCP 0..63, PCP 0..7) to classes 0..7, written as
 * a mapping whose keys are code points or inclusive ranges "A-B".
 *
 * Code points the mapping does not name map to class 0. Naming a code point
 * twice is an error.
 *
 * @param what
 *   Name of the code point in messages ("DSCP", "PCP").
 * @param nb_codes
 *   64 for DSCP, 8 for PCP.
 * @param map
 *   Array of @p nb_codes entries, overwritten.
 */
int fab_yaml_get_class_map(const struct fab_yaml_node *n, const char *what,
		unsigned int nb_codes, uint8_t *map, char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* The same unit parsers on plain strings (command-line options).       */
/* ------------------------------------------------------------------ */

/**
 * The directory part of @p path ("dir/file.yaml" gives "dir", "/x" gives "/",
 * "file.yaml" gives ""), against which relative paths in a file resolve.
 *
 * @return a string to free(), or NULL when out of memory.
 */
char *fab_yaml_dir_of(const char *path);

/**
 * Parse a size.
 *
 * @return 0, -EINVAL (not a size), -ERANGE (above 2^64 - 1) or -EDOM (not
 *   a whole number of bytes).
 */
int fab_parse_size(const char *text, uint64_t *bytes);

/** Parse a rate. @return 0, -EINVAL, -ERANGE or -EDOM (as fab_parse_size()). */
int fab_parse_rate(const char *text, uint64_t *bps);

/**
 * Parse a duration. A bare number other than 0 is -EINVAL.
 *
 * @return 0, -EINVAL, -ERANGE or -EDOM (as fab_parse_size()).
 */
int fab_parse_duration(const char *text, uint64_t *ps);

/**
 * Format a size exactly, in the largest of GB, MB, KB (powers of 1024) that
 * needs at most 3 decimals ("16MB", "1.5KB"), else in bytes ("1000B").
 */
void fab_format_size(uint64_t bytes, char *buf, size_t len);

/**
 * Format a rate exactly, in the largest of T, G, M, K that needs at most 3
 * decimals ("100G", "1.6T"), else in bits per second ("1500").
 */
void fab_format_rate(uint64_t bps, char *buf, size_t len);

/** Format a duration exactly in the largest unit it reaches ("335.5392us", "200ms", "0"). */
void fab_format_duration(uint64_t ps, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* FAB_YAML_H */
