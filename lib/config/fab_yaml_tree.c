/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Builds the document tree from libyaml's events. The event API is used
 * rather than yaml_parser_load() because the document API resolves aliases
 * silently and keeps no trace of duplicate keys, and both must be refused
 * where they are written.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include <rte_errno.h>

#include "fab_yaml.h"

/* Deeper nesting than any configuration needs; bounds the recursion. */
#define YAML_MAX_DEPTH 64
/* A configuration file is small; refuse anything that is clearly not one. */
#define YAML_MAX_FILE (16u << 20)

struct fab_yaml_doc {
	char *name;
	struct fab_yaml_node *root;
};

struct tree_builder {
	yaml_parser_t parser;
	struct fab_yaml_doc *doc;
	const char *text;
	size_t text_len;
	char *err;
	size_t errlen;
};

static int __rte_format_printf(6, 7)
doc_error(const struct fab_yaml_doc *doc, uint32_t line, uint32_t col,
		char *err, size_t errlen, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err != NULL && errlen > 0) {
		if (line > 0)
			snprintf(err, errlen, "%s:%u:%u: error: %s", doc->name, line, col, msg);
		else
			snprintf(err, errlen, "%s: error: %s", doc->name, msg);
	}
	return -EINVAL;
}

static void
node_free(struct fab_yaml_node *n)
{
	uint32_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->count; i++) {
		node_free(n->items[i]);
		if (n->keys != NULL)
			node_free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free((char *)(uintptr_t)n->value);
	free(n);
}

void
fab_yaml_free(struct fab_yaml_doc *doc)
{
	if (doc == NULL)
		return;
	node_free(doc->root);
	free(doc->name);
	free(doc);
}

const struct fab_yaml_node *
fab_yaml_root(const struct fab_yaml_doc *doc)
{
	return doc == NULL ? NULL : doc->root;
}

const char *
fab_yaml_doc_name(const struct fab_yaml_doc *doc)
{
	return doc == NULL ? NULL : doc->name;
}

/* libyaml reports reader errors (bad UTF-8, NUL) with a byte offset only. */
static void
offset_to_position(const char *text, size_t len, size_t offset,
		uint32_t *line, uint32_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int
parser_error(struct tree_builder *b)
{
	const yaml_parser_t *p = &b->parser;
	uint32_t line, col;
	const char *problem = p->problem != NULL ? p->problem : "malformed YAML";
	const char *hint = "";

	if (p->error == YAML_MEMORY_ERROR) {
		doc_error(b->doc, 0, 0, b->err, b->errlen, "out of memory");
		return -ENOMEM;
	}
	if (p->error == YAML_READER_ERROR) {
		offset_to_position(b->text, b->text_len, p->problem_offset, &line, &col);
		return doc_error(b->doc, line, col, b->err, b->errlen, "%s", problem);
	}
	line = (uint32_t)p->problem_mark.line + 1;
	col = (uint32_t)p->problem_mark.column + 1;
	if (p->problem_mark.index < b->text_len && b->text[p->problem_mark.index] == '\t')
		hint = " (YAML does not allow tabs for indentation)";
	if (p->context != NULL)
		return doc_error(b->doc, line, col, b->err, b->errlen, "%s (%s at %u:%u)%s",
				problem, p->context, (uint32_t)p->context_mark.line + 1,
				(uint32_t)p->context_mark.column + 1, hint);
	return doc_error(b->doc, line, col, b->err, b->errlen, "%s%s", problem, hint);
}

static int
next_event(struct tree_builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev))
		return parser_error(b);
	return 0;
}

static uint32_t
mark_line(const yaml_mark_t *m)
{
	return (uint32_t)m->line + 1;
}

static uint32_t
mark_col(const yaml_mark_t *m)
{
	return (uint32_t)m->column + 1;
}

/* Refuse the YAML features that would let a value be read far from where it is written. */
static int
refuse_anchor_and_tag(struct tree_builder *b, const yaml_event_t *ev,
		const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor != NULL)
		return doc_error(b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
				b->err, b->errlen,
				"anchors (&%s) are not supported; write the value out",
				(const char *)anchor);
	if (tag != NULL)
		return doc_error(b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
				b->err, b->errlen, "tags (%s) are not supported",
				(const char *)tag);
	return 0;
}

static struct fab_yaml_node *
node_new(struct tree_builder *b, enum fab_yaml_type type, const yaml_event_t *ev,
		const struct fab_yaml_node *parent)
{
	struct fab_yaml_node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->type = type;
	n->line = mark_line(&ev->start_mark);
	n->col = mark_col(&ev->start_mark);
	n->doc = b->doc;
	n->parent = parent;
	return n;
}

static bool
plain_is_null(const char *v, size_t len)
{
	return len == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
		strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static int
scalar_from_event(struct tree_builder *b, const yaml_event_t *ev,
		struct fab_yaml_node *n)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	char *copy;

	if (memchr(v, '\0', len) != NULL)
		return doc_error(b->doc, n->line, n->col, b->err, b->errlen,
				"a value contains a NUL character");
	copy = malloc(len + 1);
	if (copy == NULL)
		return -ENOMEM;
	memcpy(copy, v, len);
	copy[len] = '\0';
	n->value = copy;
	n->len = len;
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	n->is_null = !n->quoted && plain_is_null(copy, len);
	return 0;
}

static int
append_child(struct fab_yaml_node *parent, struct fab_yaml_node *key,
		struct fab_yaml_node *item)
{
	struct fab_yaml_node **items, **keys;
	uint32_t cap = parent->count + 1;

	items = realloc(parent->items, cap * sizeof(*items));
	if (items == NULL)
		return -ENOMEM;
	parent->items = items;
	if (parent->type == FAB_YAML_MAPPING) {
		keys = realloc(parent->keys, cap * sizeof(*keys));
		if (keys == NULL)
			return -ENOMEM;
		parent->keys = keys;
		keys[parent->count] = key;
	}
	items[parent->count] = item;
	parent->count++;
	return 0;
}

static int build_node(struct tree_builder *b, yaml_event_t *ev,
		const struct fab_yaml_node *parent, unsigned int depth,
		struct fab_yaml_node **out);

static int
build_sequence(struct tree_builder *b, struct fab_yaml_node *seq, unsigned int depth)
{
	for (;;) {
		struct fab_yaml_node *item = NULL;
		yaml_event_t ev;
		int ret;

		ret = next_event(b, &ev);
		if (ret < 0)
			return ret;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		ret = build_node(b, &ev, seq, depth + 1, &item);
		yaml_event_delete(&ev);
		if (ret < 0)
			return ret;
		item->index = seq->count;
		ret = append_child(seq, NULL, item);
		if (ret < 0) {
			node_free(item);
			return ret;
		}
	}
}

static int
build_mapping(struct tree_builder *b, struct fab_yaml_node *map, unsigned int depth)
{
	for (;;) {
		struct fab_yaml_node *key = NULL, *value = NULL;
		yaml_event_t ev;
		uint32_t i;
		int ret;

		ret = next_event(b, &ev);
		if (ret < 0)
			return ret;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			ret = doc_error(b->doc, mark_line(&ev.start_mark),
					mark_col(&ev.start_mark), b->err, b->errlen,
					"a key must be a plain word or string, not a %s",
					ev.type == YAML_MAPPING_START_EVENT ? "mapping" :
					ev.type == YAML_SEQUENCE_START_EVENT ? "sequence" :
					"alias");
			yaml_event_delete(&ev);
			return ret;
		}
		ret = build_node(b, &ev, map, depth + 1, &key);
		yaml_event_delete(&ev);
		if (ret < 0)
			return ret;
		key->is_key = true;
		for (i = 0; i < map->count; i++) {
			if (strcmp(map->keys[i]->value, key->value) == 0) {
				ret = doc_error(b->doc, key->line, key->col, b->err, b->errlen,
						"duplicate key '%s' (first at %u:%u)",
						key->value, map->keys[i]->line,
						map->keys[i]->col);
				node_free(key);
				return ret;
			}
		}

		ret = next_event(b, &ev);
		if (ret < 0) {
			node_free(key);
			return ret;
		}
		ret = build_node(b, &ev, map, depth + 1, &value);
		yaml_event_delete(&ev);
		if (ret < 0) {
			node_free(key);
			return ret;
		}
		value->key = key->value;
		ret = append_child(map, key, value);
		if (ret < 0) {
			node_free(key);
			node_free(value);
			return ret;
		}
	}
}

/* Build the node that starts with @p ev (which the caller deletes). */
static int
build_node(struct tree_builder *b, yaml_event_t *ev, const struct fab_yaml_node *parent,
		unsigned int depth, struct fab_yaml_node **out)
{
	struct fab_yaml_node *n;
	int ret;

	if (depth > YAML_MAX_DEPTH)
		return doc_error(b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
				b->err, b->errlen, "nesting deeper than %u levels",
				YAML_MAX_DEPTH);
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return doc_error(b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
				b->err, b->errlen,
				"aliases (*%s) are not supported; write the value out",
				(const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		/* A plain or quoted scalar without "!" carries an implicit tag. */
		ret = refuse_anchor_and_tag(b, ev, ev->data.scalar.anchor,
				ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit ?
				NULL : ev->data.scalar.tag);
		if (ret < 0)
			return ret;
		n = node_new(b, FAB_YAML_SCALAR, ev, parent);
		if (n == NULL)
			return -ENOMEM;
		ret = scalar_from_event(b, ev, n);
		break;
	case YAML_SEQUENCE_START_EVENT:
		ret = refuse_anchor_and_tag(b, ev, ev->data.sequence_start.anchor,
				ev->data.sequence_start.implicit ? NULL :
				ev->data.sequence_start.tag);
		if (ret < 0)
			return ret;
		n = node_new(b, FAB_YAML_SEQUENCE, ev, parent);
		if (n == NULL)
			return -ENOMEM;
		ret = build_sequence(b, n, depth);
		break;
	case YAML_MAPPING_START_EVENT:
		ret = refuse_anchor_and_tag(b, ev, ev->data.mapping_start.anchor,
				ev->data.mapping_start.implicit ? NULL :
				ev->data.mapping_start.tag);
		if (ret < 0)
			return ret;
		n = node_new(b, FAB_YAML_MAPPING, ev, parent);
		if (n == NULL)
			return -ENOMEM;
		ret = build_mapping(b, n, depth);
		break;
	default:
		return doc_error(b->doc, mark_line(&ev->start_mark), mark_col(&ev->start_mark),
				b->err, b->errlen, "unexpected YAML event %d", (int)ev->type);
	}
	if (ret < 0) {
		node_free(n);
		return ret;
	}
	*out = n;
	return 0;
}

/* Stream: one document at most; an empty stream gives a NULL root. */
static int
build_stream(struct tree_builder *b)
{
	yaml_event_t ev;
	int ret;

	ret = next_event(b, &ev); /* STREAM-START */
	if (ret < 0)
		return ret;
	yaml_event_delete(&ev);
	ret = next_event(b, &ev);
	if (ret < 0)
		return ret;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */

	ret = next_event(b, &ev);
	if (ret < 0)
		return ret;
	ret = build_node(b, &ev, NULL, 0, &b->doc->root);
	yaml_event_delete(&ev);
	if (ret < 0)
		return ret;

	ret = next_event(b, &ev); /* DOCUMENT-END */
	if (ret < 0)
		return ret;
	yaml_event_delete(&ev);
	ret = next_event(b, &ev);
	if (ret < 0)
		return ret;
	if (ev.type != YAML_STREAM_END_EVENT)
		ret = doc_error(b->doc, mark_line(&ev.start_mark), mark_col(&ev.start_mark),
				b->err, b->errlen,
				"a second YAML document ('---'); one file holds one document");
	yaml_event_delete(&ev);
	return ret;
}

static struct fab_yaml_doc *
load_buffer(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
	struct tree_builder b;
	struct fab_yaml_doc *doc;
	int ret;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	doc = calloc(1, sizeof(*doc));
	if (doc == NULL || (doc->name = strdup(name)) == NULL) {
		free(doc);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: error: out of memory", name);
		rte_errno = ENOMEM;
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.text = text;
	b.text_len = len;
	b.err = err;
	b.errlen = errlen;
	if (!yaml_parser_initialize(&b.parser)) {
		fab_yaml_free(doc);
		rte_errno = ENOMEM;
		return NULL;
	}
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)text, len);
	ret = build_stream(&b);
	yaml_parser_delete(&b.parser);
	if (ret < 0) {
		if (ret == -ENOMEM)
			doc_error(doc, 0, 0, err, errlen, "out of memory");
		fab_yaml_free(doc);
		rte_errno = -ret;
		return NULL;
	}
	return doc;
}

struct fab_yaml_doc *
fab_yaml_load_string(const char *name, const char *text, char *err, size_t errlen)
{
	if (name == NULL || text == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no YAML text given");
		rte_errno = EINVAL;
		return NULL;
	}
	return load_buffer(name, text, strlen(text), err, errlen);
}

struct fab_yaml_doc *
fab_yaml_load_file(const char *path, char *err, size_t errlen)
{
	struct fab_yaml_doc *doc = NULL;
	size_t len = 0, cap = 0;
	char *text = NULL;
	int saved = 0;
	FILE *f;

	if (path == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "error: no file name given");
		rte_errno = EINVAL;
		return NULL;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		saved = errno;
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: error: cannot open: %s", path, strerror(saved));
		rte_errno = saved;
		return NULL;
	}
	for (;;) {
		size_t got;

		if (len > YAML_MAX_FILE) {
			saved = EFBIG;
			if (err != NULL && errlen > 0)
				snprintf(err, errlen,
					"%s: error: larger than %u MiB; not a configuration file",
					path, YAML_MAX_FILE >> 20);
			goto out;
		}
		if (len == cap) {
			char *grown;

			cap = cap == 0 ? 65536 : cap * 2;
			grown = realloc(text, cap);
			if (grown == NULL) {
				saved = ENOMEM;
				if (err != NULL && errlen > 0)
					snprintf(err, errlen, "%s: error: out of memory", path);
				goto out;
			}
			text = grown;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		saved = errno != 0 ? errno : EIO;
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: error: cannot read: %s", path, strerror(saved));
		goto out;
	}
	doc = load_buffer(path, text, len, err, errlen);
	saved = doc == NULL ? rte_errno : 0;
out:
	free(text);
	fclose(f);
	if (doc == NULL)
		rte_errno = saved;
	return doc;
}
