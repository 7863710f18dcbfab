/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

#include <stdlib.h>

#include <rte_branch_prediction.h>
#include <rte_errno.h>

#include "fab_heap.h"

struct fab_heap *
fab_heap_create(uint32_t cap)
{
	struct fab_heap *h;
	uint32_t i;

	if (cap == 0 || cap > (UINT32_C(1) << 31)) {
		rte_errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		goto nomem;
	h->e = calloc(cap, sizeof(*h->e));
	h->pos = malloc(sizeof(*h->pos) * cap);
	if (h->e == NULL || h->pos == NULL)
		goto nomem;
	for (i = 0; i < cap; i++)
		h->pos[i] = FAB_HEAP_ABSENT;
	h->cap = cap;
	return h;
nomem:
	fab_heap_free(h);
	rte_errno = ENOMEM;
	return NULL;
}

void
fab_heap_free(struct fab_heap *h)
{
	if (h == NULL)
		return;
	free(h->e);
	free(h->pos);
	free(h);
}

static inline bool
entry_less(const struct fab_heap_entry *a, const struct fab_heap_entry *b)
{
	return a->key < b->key || (a->key == b->key && a->id < b->id);
}

/*
 * entry_less() without a branch: which child is the smaller is a coin toss
 * at every level of a sift, and a mispredicted branch per level cost more
 * than the compare.
 */
static inline uint32_t
entry_less_bit(const struct fab_heap_entry *a, const struct fab_heap_entry *b)
{
	return (uint32_t)(a->key < b->key) | ((uint32_t)(a->key == b->key) & (uint32_t)(a->id < b->id));
}

/* Move the entry at @p i towards the root until its parent is smaller. */
static void
sift_up(struct fab_heap *h, uint32_t i)
{
	struct fab_heap_entry x = h->e[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!entry_less(&x, &h->e[parent]))
			break;
		h->e[i] = h->e[parent];
		h->pos[h->e[i].id] = i;
		i = parent;
	}
	h->e[i] = x;
	h->pos[x.id] = i;
}

/* Move the entry at @p i towards the leaves until its children are larger. */
static void
sift_down(struct fab_heap *h, uint32_t i)
{
	struct fab_heap_entry x = h->e[i];

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->size)
			break;
		if (likely(c + 1 < h->size))
			c += entry_less_bit(&h->e[c + 1], &h->e[c]);
		if (!entry_less(&h->e[c], &x))
			break;
		h->e[i] = h->e[c];
		h->pos[h->e[i].id] = i;
		i = c;
	}
	h->e[i] = x;
	h->pos[x.id] = i;
}

int
fab_heap_push(struct fab_heap *h, uint32_t id, uint64_t key)
{
	if (id >= h->cap)
		return -EINVAL;
	if (h->pos[id] != FAB_HEAP_ABSENT)
		return -EEXIST;
	h->e[h->size] = (struct fab_heap_entry){ .key = key, .id = id };
	h->pos[id] = h->size;
	h->size++;
	sift_up(h, h->size - 1);
	return 0;
}

int
fab_heap_set(struct fab_heap *h, uint32_t id, uint64_t key)
{
	uint32_t i;
	uint64_t old;

	if (id >= h->cap)
		return -EINVAL;
	i = h->pos[id];
	if (i == FAB_HEAP_ABSENT)
		return fab_heap_push(h, id, key);
	old = h->e[i].key;
	h->e[i].key = key;
	if (key < old)
		sift_up(h, i);
	else if (key > old)
		sift_down(h, i);
	return 0;
}

int
fab_heap_remove(struct fab_heap *h, uint32_t id)
{
	uint32_t i;

	if (id >= h->cap)
		return -EINVAL;
	i = h->pos[id];
	if (i == FAB_HEAP_ABSENT)
		return -ENOENT;
	h->pos[id] = FAB_HEAP_ABSENT;
	h->size--;
	if (i == h->size)
		return 0;
	/* The last entry fills the hole and moves whichever way it must. */
	h->e[i] = h->e[h->size];
	h->pos[h->e[i].id] = i;
	if (i > 0 && entry_less(&h->e[i], &h->e[(i - 1) / 2]))
		sift_up(h, i);
	else
		sift_down(h, i);
	return 0;
}

int
fab_heap_pop(struct fab_heap *h, uint32_t *id, uint64_t *key)
{
	uint32_t top;

	if (h->size == 0)
		return -ENOENT;
	top = h->e[0].id;
	if (id != NULL)
		*id = top;
	if (key != NULL)
		*key = h->e[0].key;
	return fab_heap_remove(h, top);
}
