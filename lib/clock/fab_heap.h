/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#ifndef FAB_HEAP_H
#define FAB_HEAP_H

/**
 * @file
 * An indexed binary min-heap of ids 0..cap-1 keyed by (key, id): the event
 * queue of the fabric loop (ids are node ids, keys next event times) and of
 * a host's flows. Ties on the key are broken by the smaller id, so the
 * order of equal keys is a property of the ids, never of the insertion
 * order or of addresses. Each id is at most once in the heap; its place is
 * indexed, so changing an id's key in either direction (decrease-key,
 * increase-key) or removing it costs O(log n) without a search.
 *
 * Plain memory (malloc): no EAL needed; single-threaded.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Position of an id that is not in the heap. */
#define FAB_HEAP_ABSENT UINT32_MAX

/** One entry: kept together so that sifting touches one array. */
struct fab_heap_entry {
	uint64_t key;
	uint32_t id;
};

/** A heap. Public for the inline readers; fields are internal. */
struct fab_heap {
	struct fab_heap_entry *e;  /**< e[0] is the minimum */
	uint32_t *pos;             /**< pos[id]: index in e, or FAB_HEAP_ABSENT */
	uint32_t size;
	uint32_t cap;
};

/**
 * Create an empty heap for ids 0..@p cap - 1.
 *
 * @return the heap, or NULL with rte_errno set (EINVAL for a capacity of 0
 *   or above 2^31, ENOMEM).
 */
struct fab_heap *fab_heap_create(uint32_t cap);

/** Free a heap; accepts NULL. */
void fab_heap_free(struct fab_heap *h);

/**
 * Insert @p id with @p key.
 *
 * @return 0, -EINVAL if id >= capacity, -EEXIST if it is already there.
 */
int fab_heap_push(struct fab_heap *h, uint32_t id, uint64_t key);

/**
 * Give @p id the key @p key, lower or higher than before (decrease-key or
 * increase-key), inserting it if absent.
 *
 * @return 0, or -EINVAL if id >= capacity.
 */
int fab_heap_set(struct fab_heap *h, uint32_t id, uint64_t key);

/**
 * Remove @p id.
 *
 * @return 0, -EINVAL if id >= capacity, -ENOENT if it is not there.
 */
int fab_heap_remove(struct fab_heap *h, uint32_t id);

/**
 * Remove the minimum (smallest key, then smallest id).
 *
 * @param id
 *   Receives its id; may be NULL.
 * @param key
 *   Receives its key; may be NULL.
 * @return 0, or -ENOENT when the heap is empty.
 */
int fab_heap_pop(struct fab_heap *h, uint32_t *id, uint64_t *key);

/** Number of ids in the heap. */
static inline uint32_t
fab_heap_size(const struct fab_heap *h)
{
	return h->size;
}

/** Whether the heap is empty. */
static inline bool
fab_heap_empty(const struct fab_heap *h)
{
	return h->size == 0;
}

/**
 * Read the minimum without removing it.
 *
 * @return 0, or -ENOENT when the heap is empty (outputs untouched).
 */
static inline int
fab_heap_top(const struct fab_heap *h, uint32_t *id, uint64_t *key)
{
	if (h->size == 0)
		return -ENOENT;
	if (id != NULL)
		*id = h->e[0].id;
	if (key != NULL)
		*key = h->e[0].key;
	return 0;
}

/** Whether @p id is in the heap (false for an id beyond the capacity). */
static inline bool
fab_heap_contains(const struct fab_heap *h, uint32_t id)
{
	return id < h->cap && h->pos[id] != FAB_HEAP_ABSENT;
}

/** Key of @p id, or UINT64_MAX when it is not in the heap. */
static inline uint64_t
fab_heap_key(const struct fab_heap *h, uint32_t id)
{
	return fab_heap_contains(h, id) ? h->e[h->pos[id]].key : UINT64_MAX;
}

#ifdef __cplusplus
}
#endif

#endif /* FAB_HEAP_H */
