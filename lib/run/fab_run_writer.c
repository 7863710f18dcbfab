/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 rocefab authors
 */

/*
 * Run outputs written by a thread of their own. A tap sees every frame of
 * its link from inside the fabric loop; with stdio there, each 4 KB frame
 * cost a write(2) and the kernel's copy into the page cache, 60% of the
 * default scenario's loop. Here the loop only copies bytes into a chunk;
 * a full chunk goes to a DPDK control thread (on a core that no lcore
 * uses, where there is one) that writes it. Each file's chunks are
 * written in the order they were filled, by one thread, so the files are
 * the bytes the loop produced, whatever the timing.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "fab_run.h"

struct chunk {
	struct chunk *next;
	struct fab_run_file *file;
	size_t len;
	bool last;               /* the file's final chunk: close it after */
	uint8_t data[];
};

struct fab_run_writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;     /* the thread's wait: a chunk queued, or stop */
	pthread_cond_t done;     /* the loop's wait: a chunk written */
	struct chunk *head, *tail;  /* queued, oldest first */
	struct chunk *free;      /* written, for reuse */
	size_t chunk_size;
	unsigned int nb_chunks, max_chunks;
	unsigned int pending;    /* queued or being written */
	bool stop;
	struct fab_run_file *files; /* open, for flush; only the loop's thread touches it */
};

struct fab_run_file {
	struct fab_run_writer *w;
	struct fab_run_file *next, *prev;
	int fd;
	struct chunk *cur;       /* being filled by the loop */
	atomic_int error;        /* first error, negative errno: sticky */
	bool closed;             /* the thread closed fd: under the lock */
	int close_ret;
};

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			return -EIO;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void
set_error(struct fab_run_file *f, int err)
{
	int none = 0;

	atomic_compare_exchange_strong(&f->error, &none, err);
}

static void *
writer_main(void *arg)
{
	struct fab_run_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct chunk *c;
		struct fab_run_file *f;
		int ret = 0;

		while (w->head == NULL && !w->stop)
			pthread_cond_wait(&w->work, &w->lock);
		if (w->head == NULL)
			break;
		c = w->head;
		w->head = c->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);

		f = c->file;
		if (c->len > 0 && atomic_load(&f->error) == 0) {
			ret = write_all(f->fd, c->data, c->len);
			if (ret < 0)
				set_error(f, ret);
		}
		if (c->last && close(f->fd) != 0)
			set_error(f, -errno);

		pthread_mutex_lock(&w->lock);
		if (c->last) {
			f->close_ret = atomic_load(&f->error);
			f->closed = true;
		}
		c->next = w->free;
		w->free = c;
		w->pending--;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct fab_run_writer *
fab_run_writer_create(size_t chunk_size, unsigned int max_chunks)
{
	struct fab_run_writer *w;
	int ret;

	if (chunk_size == 0 || max_chunks < 2) {
		rte_errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	w->chunk_size = chunk_size;
	w->max_chunks = max_chunks;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	/* A control thread: its cores are those no lcore runs on, so it never takes the loop's. */
	ret = rte_ctrl_thread_create(&w->thread, "fab-run-write", NULL, writer_main, w);
	if (ret != 0) {
		pthread_cond_destroy(&w->done);
		pthread_cond_destroy(&w->work);
		pthread_mutex_destroy(&w->lock);
		free(w);
		rte_errno = ret > 0 ? ret : -ret;
		return NULL;
	}
	return w;
}

/*
 * A chunk for the loop to fill: a free one, a new one, or one the thread
 * gives back. It waits only while the thread holds chunks: when every
 * chunk is some open file's partial one, a new one is made past the
 * maximum, since waiting would never end.
 */
static struct chunk *
chunk_get(struct fab_run_writer *w)
{
	struct chunk *c = NULL;

	pthread_mutex_lock(&w->lock);
	while (w->free == NULL && w->nb_chunks >= w->max_chunks && w->pending > 0)
		pthread_cond_wait(&w->done, &w->lock);
	if (w->free != NULL) {
		c = w->free;
		w->free = c->next;
	} else {
		c = malloc(sizeof(*c) + w->chunk_size);
		if (c != NULL)
			w->nb_chunks++;
	}
	pthread_mutex_unlock(&w->lock);
	return c;
}

static void
chunk_put(struct fab_run_writer *w, struct chunk *c)
{
	c->next = NULL;
	pthread_mutex_lock(&w->lock);
	if (w->tail != NULL)
		w->tail->next = c;
	else
		w->head = c;
	w->tail = c;
	w->pending++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
}

struct fab_run_file *
fab_run_file_open(struct fab_run_writer *w, const char *path)
{
	struct fab_run_file *f;

	if (w == NULL || path == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	f->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f->fd < 0) {
		rte_errno = errno;
		free(f);
		return NULL;
	}
	f->w = w;
	atomic_init(&f->error, 0);
	f->next = w->files;
	if (w->files != NULL)
		w->files->prev = f;
	w->files = f;
	return f;
}

void
fab_run_file_write(struct fab_run_file *f, const void *data, size_t n)
{
	struct fab_run_writer *w = f->w;
	const uint8_t *p = data;

	/* After an error the file is lost anyway: spare the copies. */
	if (atomic_load_explicit(&f->error, memory_order_relaxed) != 0)
		return;
	while (n > 0) {
		size_t k;

		if (f->cur == NULL) {
			f->cur = chunk_get(w);
			if (f->cur == NULL) {
				set_error(f, -ENOMEM);
				return;
			}
			f->cur->file = f;
			f->cur->len = 0;
			f->cur->last = false;
		}
		k = RTE_MIN(n, w->chunk_size - f->cur->len);
		memcpy(f->cur->data + f->cur->len, p, k);
		f->cur->len += k;
		p += k;
		n -= k;
		if (f->cur->len == w->chunk_size) {
			chunk_put(w, f->cur);
			f->cur = NULL;
		}
	}
}

int
fab_run_file_error(struct fab_run_file *f)
{
	return f != NULL ? atomic_load(&f->error) : 0;
}

/* Wait until the thread has written every chunk handed to it. */
static void
wait_idle(struct fab_run_writer *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->pending > 0)
		pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

int
fab_run_writer_flush(struct fab_run_writer *w)
{
	struct fab_run_file *f;
	int ret = 0;

	if (w == NULL)
		return 0;
	for (f = w->files; f != NULL; f = f->next) {
		if (f->cur != NULL && f->cur->len > 0) {
			chunk_put(w, f->cur);
			f->cur = NULL;
		}
	}
	wait_idle(w);
	for (f = w->files; f != NULL; f = f->next)
		if (ret == 0)
			ret = fab_run_file_error(f);
	return ret;
}

int
fab_run_file_close(struct fab_run_file *f)
{
	struct fab_run_writer *w;
	int ret;

	if (f == NULL)
		return 0;
	w = f->w;
	if (f->cur == NULL) {
		f->cur = chunk_get(w);
		if (f->cur == NULL) {
			/* No chunk to carry the close: close here, after what is queued. */
			wait_idle(w);
			if (close(f->fd) != 0)
				set_error(f, -errno);
			f->close_ret = atomic_load(&f->error);
			f->closed = true;
			if (f->close_ret == 0)
				f->close_ret = -ENOMEM;
			goto unlink;
		}
		f->cur->file = f;
		f->cur->len = 0;
	}
	f->cur->last = true;
	chunk_put(w, f->cur);
	f->cur = NULL;
	pthread_mutex_lock(&w->lock);
	while (!f->closed)
		pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
unlink:
	if (f->prev != NULL)
		f->prev->next = f->next;
	else
		w->files = f->next;
	if (f->next != NULL)
		f->next->prev = f->prev;
	ret = f->close_ret;
	free(f);
	return ret;
}

int
fab_run_writer_free(struct fab_run_writer *w)
{
	int ret = 0;

	if (w == NULL)
		return 0;
	while (w->files != NULL) {
		int r = fab_run_file_close(w->files);

		if (ret == 0)
			ret = r;
	}
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while (w->free != NULL) {
		struct chunk *c = w->free;

		w->free = c->next;
		free(c);
	}
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->lock);
	free(w);
	return ret;
}
